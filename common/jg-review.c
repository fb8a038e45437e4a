/* jg-review.c: review states and who may move a record between them */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-error.h"
#include "jg-json.h"
#include "jg-review.h"
#include "jg-store-private.h"
#include "jg-validate.h"

static const char * const roles[] = {
  "village_staff", "township_staff", "county_reviewer", "county_admin", NULL
};

/* The steps of the workflow; from NULL is a new record. */
static const struct
{
  const char *from;
  const char *to;
} steps[] = {
  { NULL, "draft" },
  { NULL, "submitted" },
  { "draft", "submitted" },
  { "submitted", "draft" },       /* withdrawn before review */
  { "submitted", "approved" },
  { "submitted", "returned" },
  { "returned", "submitted" },
  { "returned", "draft" },
  { "approved", "submitted" },    /* reopened by an edit */
  { "approved", "returned" },     /* a reviewer takes an approval back */
};

/* Fields that carry a record type's own workflow rather than its content:
 * moving an award along or settling a redemption is not an edit that
 * should send an approved record back for review. */
static const struct
{
  const char *entity;
  const char *field;
} workflow_fields[] = {
  { "redemption", "status" },
  { "redemption", "status_reason" },
  { "award", "state" },
  { "award", "notice_start" },
  { "award", "notice_end" },
  { "award", "objections" },
  { "award", "certificate_no" },
  { "award", "decline_reason" },
  { "designation", "revoked" },
  { "designation", "revoked_at" },
  { "designation", "revoked_reason" },
};

void
jg_actor_clear (JgActor *actor)
{
  g_clear_pointer (&actor->username, g_free);
  g_clear_pointer (&actor->role, g_free);
  g_clear_pointer (&actor->org_unit, g_free);
  g_clear_pointer (&actor->unit_path, g_free);
  actor->local_only = FALSE;
}

gboolean
jg_review_role_valid (const char *role)
{
  return role != NULL && g_strv_contains (roles, role);
}

const char *
jg_review_role_title (const char *role)
{
  if (g_strcmp0 (role, "village_staff") == 0)
    return _("Village staff");
  if (g_strcmp0 (role, "township_staff") == 0)
    return _("Township staff");
  if (g_strcmp0 (role, "county_reviewer") == 0)
    return _("County reviewer");
  if (g_strcmp0 (role, "county_admin") == 0)
    return _("County administrator");
  return role;
}

gboolean
jg_review_role_is_reviewer (const char *role)
{
  return jg_review_role_valid (role) && strcmp (role, "village_staff") != 0;
}

char *
jg_review_significant_code (const char *division_code)
{
  /* PP CC DD TTT VVV: the groups that may be zero, from the right. */
  static const gsize cuts[] = { 12, 9, 6, 4, 2 };
  g_autofree char *code = NULL;
  gsize len;

  if (division_code == NULL)
    return NULL;
  code = g_strdup (division_code);
  len = strlen (code);
  for (guint i = 0; i + 1 < G_N_ELEMENTS (cuts); i++)
    {
      gsize keep = cuts[i + 1];

      if (len != cuts[i])
        continue;
      for (gsize j = keep; j < len; j++)
        if (code[j] != '0')
          return g_steal_pointer (&code);
      code[keep] = '\0';
      len = keep;
    }
  return g_steal_pointer (&code);
}

gboolean
jg_review_role_fits_unit (const char  *role,
                          const char  *division_code,
                          GError     **error)
{
  g_autofree char *code = jg_review_significant_code (division_code);
  gsize len = code ? strlen (code) : 0;
  gboolean fits;

  if (g_strcmp0 (role, "village_staff") == 0)
    fits = len == 12;
  else if (g_strcmp0 (role, "township_staff") == 0)
    fits = len == 9;
  else
    fits = len > 0 && len <= 6;
  if (!fits && g_strcmp0 (role, "village_staff") == 0)
    g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                 _("Village staff work at a village or community; %s is not one"), division_code ? division_code : "");
  else if (!fits && g_strcmp0 (role, "township_staff") == 0)
    g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                 _("Township staff work at a township or subdistrict; %s is not one"), division_code ? division_code : "");
  else if (!fits)
    g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                 _("County reviewers and administrators work at a county or above; %s is not one"),
                 division_code ? division_code : "");
  return fits;
}

static gboolean
is_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

gboolean
jg_review_unit_is_above (const char *upper_path,
                         const char *lower_path)
{
  gsize n;

  if (upper_path == NULL || lower_path == NULL || *upper_path == '\0')
    return FALSE;
  n = strlen (upper_path);
  if (strlen (lower_path) <= n || strncmp (upper_path, lower_path, n) != 0)
    return FALSE;

  /* Division codes nest by prefix; a path of ids nests only at a separator,
   * or "1/5" would look like the parent of "1/59". */
  if (is_digits (upper_path) && is_digits (lower_path))
    return TRUE;
  return !g_ascii_isalnum (upper_path[n - 1]) || !g_ascii_isalnum (lower_path[n]);
}

/* Is the step one the workflow has?  Both rules start here, so a local
 * user with every right still cannot approve a draft. */
static gboolean
check_step (const char  *from,
            const char  *to,
            GError     **error)
{
  gboolean known = FALSE;

  if (to == NULL || !g_strv_contains (jg_review_states, to) ||
      (from != NULL && !g_strv_contains (jg_review_states, from)))
    {
      jg_set_field_error (error, JG_ERROR_NOT_ALLOWED_VALUE, "review_state",
                          _("“%s” is not a review state"), to ? to : "");
      return FALSE;
    }
  if (g_strcmp0 (from, to) == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (steps[i].from, from) == 0 && strcmp (steps[i].to, to) == 0)
      known = TRUE;
  if (!known)
    {
      if (from == NULL)
        jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                            _("A new record starts as a draft or submitted, not “%s”"),
                            jg_entity_choice_label (NULL, "review_state", to));
      else
        jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                            _("A record cannot go from “%s” to “%s”"),
                            jg_entity_choice_label (NULL, "review_state", from),
                            jg_entity_choice_label (NULL, "review_state", to));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_review_step (const char *to)
{
  return strcmp (to, "approved") == 0 || strcmp (to, "returned") == 0;
}

gboolean
jg_review_can_decide (const char  *role,
                      const char  *actor_unit_path,
                      const char  *record_unit_path,
                      const char  *field,
                      GError     **error)
{
  /* An unknown role gets the least rights, like a missing one. */
  if (!jg_review_role_is_reviewer (role))
    {
      jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                          _("Only a reviewer of a higher unit may approve or return a record"));
      return FALSE;
    }
  if (!jg_review_unit_is_above (actor_unit_path, record_unit_path))
    {
      jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                          _("Only a reviewer of a unit above the record’s unit may approve or return it"));
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_review_can_decide_local (const char  *actor_unit_path,
                            const char  *record_unit_path,
                            const char  *field,
                            GError     **error)
{
  /* A laptop that was never given a unit keeps the records of whatever
   * units its user works on; one that was stays inside its subtree. */
  if (actor_unit_path == NULL)
    return TRUE;
  if (record_unit_path != NULL &&
      (strcmp (actor_unit_path, record_unit_path) == 0 ||
       jg_review_unit_is_above (actor_unit_path, record_unit_path)))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                      _("Only records of this store’s own unit and the units below it can be approved or returned here"));
  return FALSE;
}

gboolean
jg_review_can_transition (const char  *role,
                          const char  *actor_unit_path,
                          const char  *record_unit_path,
                          const char  *from,
                          const char  *to,
                          GError     **error)
{
  if (!check_step (from, to, error))
    return FALSE;
  if (g_strcmp0 (from, to) == 0 || !is_review_step (to))
    return TRUE;
  return jg_review_can_decide (role, actor_unit_path, record_unit_path, "review_state", error);
}

gboolean
jg_review_can_transition_local (const char  *actor_unit_path,
                                const char  *record_unit_path,
                                const char  *from,
                                const char  *to,
                                GError     **error)
{
  if (!check_step (from, to, error))
    return FALSE;
  if (g_strcmp0 (from, to) == 0 || !is_review_step (to))
    return TRUE;
  return jg_review_can_decide_local (actor_unit_path, record_unit_path, "review_state", error);
}

gboolean
jg_review_is_content_field (const JgEntityDef *entity,
                            const JgFieldDef  *field)
{
  if (field->flags & (JG_FIELD_FLAG_REVIEW | JG_FIELD_FLAG_SYSTEM | JG_FIELD_FLAG_COMPUTED))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (workflow_fields); i++)
    if (strcmp (workflow_fields[i].entity, entity->name) == 0 &&
        strcmp (workflow_fields[i].field, field->name) == 0)
      return FALSE;
  return TRUE;
}

/* The unit's path from the org-unit table, or NULL when it is not there.
 * A unit may be listed with its 12-digit code and named by a shorter one. */
static gboolean
lookup_unit_path (JgStore     *store,
                  const char  *code,
                  char       **path_out,
                  GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *padded = NULL;
  int rc;

  *path_out = NULL;
  if (code == NULL)
    return TRUE;
  padded = g_strdup_printf ("%s%.*s", code, (int) MAX (0, 12 - (int) strlen (code)), "000000000000");
  stmt = jg_store_prepare (store,
                           "SELECT path FROM org_unit WHERE division_code IN (?1, ?2) "
                           "ORDER BY code_edition DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, padded, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *path_out = g_strdup (jg_stmt_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

gboolean
jg_review_get_actor (JgStore  *store,
                     JgActor  *out,
                     GError  **error)
{
  g_autofree char *role = jg_store_dup_meta (store, "role");
  g_autofree char *path = NULL;

  memset (out, 0, sizeof *out);
  out->username = g_strdup (jg_store_get_username (store));
  out->org_unit = jg_store_dup_meta (store, "org_unit");
  if (out->org_unit != NULL && *out->org_unit == '\0')
    g_clear_pointer (&out->org_unit, g_free);
  out->local_only = role == NULL || *role == '\0';
  out->role = g_strdup (jg_review_role_valid (role) ? role : "village_staff");

  if (!lookup_unit_path (store, out->org_unit, &path, error))
    {
      jg_actor_clear (out);
      return FALSE;
    }
  out->unit_path = path ? g_steal_pointer (&path) : jg_review_significant_code (out->org_unit);
  return TRUE;
}

/* Both units' paths from the table, or else both significant codes: a path
 * and a code cannot be compared with each other. */
static gboolean
resolve_paths (JgStore     *store,
               const char  *actor_code,
               const char  *record_code,
               char       **actor_path,
               char       **record_path,
               GError     **error)
{
  g_autofree char *a = NULL;
  g_autofree char *r = NULL;

  if (!lookup_unit_path (store, actor_code, &a, error) ||
      !lookup_unit_path (store, record_code, &r, error))
    return FALSE;
  if (a != NULL && r != NULL)
    {
      *actor_path = g_steal_pointer (&a);
      *record_path = g_steal_pointer (&r);
    }
  else
    {
      *actor_path = jg_review_significant_code (actor_code);
      *record_path = jg_review_significant_code (record_code);
    }
  return TRUE;
}

/* Whether the unit @record_code is the actor's own or below it. */
static gboolean
unit_in_scope (JgStore     *store,
               const char  *actor_code,
               const char  *record_code,
               gboolean    *in_scope,
               GError     **error)
{
  g_autofree char *actor_path = NULL;
  g_autofree char *record_path = NULL;

  if (!resolve_paths (store, actor_code, record_code, &actor_path, &record_path, error))
    return FALSE;
  *in_scope = actor_path != NULL && record_path != NULL &&
              (strcmp (actor_path, record_path) == 0 || jg_review_unit_is_above (actor_path, record_path));
  return TRUE;
}

gboolean
jg_review_check_scope (JgStore     *store,
                       JsonObject  *old_record,
                       JsonObject  *new_record,
                       GError     **error)
{
  g_auto(JgActor) actor = { 0 };
  const char *code = jg_json_get_string (new_record, "org_unit");
  gboolean in_scope = TRUE;

  if (!jg_review_get_actor (store, &actor, error))
    return FALSE;
  if (actor.local_only || actor.org_unit == NULL || code == NULL)
    return TRUE;

  /* The record's unit after the write: a record of another area is neither
   * made, nor edited, nor moved there; one a mistake left outside (written
   * before signing in, quarantined by the server) may be moved in. */
  if (!unit_in_scope (store, actor.org_unit, code, &in_scope, error))
    return FALSE;
  if (in_scope)
    return TRUE;
  if (old_record != NULL && g_strcmp0 (jg_json_get_string (old_record, "org_unit"), code) == 0)
    jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                        _("This record belongs to %s, outside your area"), code);
  else
    jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                        _("Org unit %s is outside your area"), code);
  return FALSE;
}

gboolean
jg_review_store_may_decide (JgStore     *store,
                            const char  *record_unit,
                            const char  *field,
                            GError     **error)
{
  g_auto(JgActor) actor = { 0 };
  g_autofree char *actor_path = NULL;
  g_autofree char *record_path = NULL;

  if (!jg_review_get_actor (store, &actor, error) ||
      !resolve_paths (store, actor.org_unit, record_unit, &actor_path, &record_path, error))
    return FALSE;
  return actor.local_only
         ? jg_review_can_decide_local (actor_path, record_path, field, error)
         : jg_review_can_decide (actor.role, actor_path, record_path, field, error);
}

gboolean
jg_review_store_may_resolve (JgStore     *store,
                             const char  *record_unit,
                             const char  *field,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *role = NULL;

  if (jg_review_store_may_decide (store, record_unit, field, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, JG_ERROR, JG_ERROR_PERMISSION))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* The same rule, said about conflicts rather than approvals. */
  role = jg_store_dup_meta (store, "role");
  if (role == NULL || *role == '\0')
    jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                        _("Only conflicts over records of this store’s own unit and the units below it can be decided here"));
  else
    jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                        _("Only a reviewer of a unit above the record’s unit may decide its conflicts"));
  return FALSE;
}

gboolean
jg_review_check_request (JgStore     *store,
                         JsonObject  *record,
                         const char  *to,
                         GError     **error)
{
  const char *from = jg_json_get_string (record, "review_state");

  if (to != NULL && is_review_step (to) &&
      !jg_review_store_may_decide (store, jg_json_get_string (record, "org_unit"), "review_state", error))
    return FALSE;
  if (g_strcmp0 (from ? from : "draft", to) == 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                          _("The record is already in this review state; nothing was changed"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
content_changed (const JgEntityDef *entity,
                 JsonObject        *old_record,
                 JsonObject        *new_record)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if (jg_review_is_content_field (entity, f) &&
          jg_validate_field_changed (old_record, new_record, f->name))
        return TRUE;
    }
  return FALSE;
}

gboolean
jg_review_is_revoked (const char *entity,
                      JsonObject *record)
{
  JsonNode *node;

  if (g_strcmp0 (entity, "designation") != 0 || record == NULL)
    return FALSE;
  node = json_object_get_member (record, "revoked");
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

gboolean
jg_review_check_revoked_step (const JgEntityDef  *entity,
                              gboolean            revoked,
                              const char         *from,
                              const char         *to,
                              GError            **error)
{
  if (!revoked || strcmp (entity->name, "designation") != 0 || from == NULL || g_strcmp0 (from, to) == 0)
    return TRUE;
  jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                      _("The designation has been revoked (摘牌) and stays as it is; grant a new one instead"));
  return FALSE;
}

/* Approved ledger entries are money: they are corrected by reversing
 * entries, never by taking the approval back.  A granted designation
 * (示范户) is not returned either, to be edited and granted again: it is
 * never overwritten, it is revoked (摘牌) with a reason (DOMAIN.md).  The
 * server asks the same question of every review_state change it
 * receives. */
gboolean
jg_review_check_ledger_step (const JgEntityDef  *entity,
                             const char         *from,
                             const char         *to,
                             GError            **error)
{
  if (entity->ledger && g_strcmp0 (from, "approved") == 0 && g_strcmp0 (to, "approved") != 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                          _("An approved ledger entry stays approved; record a reversing entry instead"));
      return FALSE;
    }
  if (strcmp (entity->name, "designation") == 0 && g_strcmp0 (from, "approved") == 0 &&
      g_strcmp0 (to, "returned") == 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, "review_state",
                          _("A granted designation is not returned; revoke it (摘牌) with a reason instead"));
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_review_check_delete (const JgEntityDef  *entity,
                        const char         *review_state,
                        GError            **error)
{
  if (g_strcmp0 (review_state, "approved") != 0)
    return TRUE;
  if (strcmp (entity->name, "designation") == 0)
    jg_set_field_error (error, JG_ERROR_TRANSITION, "deleted",
                        _("A granted designation is not deleted; revoke it (摘牌) with a reason instead"));
  else
    /* TRANSLATORS: %s is the kind of record, e.g. "Courtyard inspection" */
    jg_set_field_error (error, JG_ERROR_TRANSITION, "deleted",
                        _("The %s has been approved, so it is not deleted; ask the reviewer to return it first"),
                        jg_entity_label (entity->name));
  return FALSE;
}

/* The review note is the reviewer's word on a decision: written with an
 * approval or a return (or on a record that has one), by someone who may
 * take that decision.  Village staff never write it. */
static gboolean
check_note (const JgActor  *actor,
            const char     *actor_path,
            const char     *record_path,
            const char     *to,
            GError        **error)
{
  if (!is_review_step (to))
    {
      jg_set_field_error (error, JG_ERROR_PERMISSION, "review_note",
                          _("The review note is written by a reviewer when approving or returning a record"));
      return FALSE;
    }
  return actor->local_only
         ? jg_review_can_decide_local (actor_path, record_path, "review_note", error)
         : jg_review_can_decide (actor->role, actor_path, record_path, "review_note", error);
}

gboolean
jg_review_check_write (JgStore           *store,
                       const JgEntityDef *entity,
                       JsonObject        *old_record,
                       JsonObject        *new_record,
                       GError           **error)
{
  g_auto(JgActor) actor = { 0 };
  g_autofree char *actor_path = NULL;
  g_autofree char *record_path = NULL;
  const char *from = NULL;
  const char *to;
  gboolean note_changed;
  gboolean resubmitted;

  if (old_record != NULL)
    {
      /* A record from an older replica may have no state: a draft. */
      from = jg_json_get_string (old_record, "review_state");
      if (from == NULL)
        from = "draft";
    }
  to = jg_json_get_string (new_record, "review_state");
  if (to == NULL)
    {
      to = from ? from : "draft";
      json_object_set_string_member (new_record, "review_state", to);
    }

  /* An approval is of what the reviewer saw; changed content needs a new one. */
  if (g_strcmp0 (from, "approved") == 0 && strcmp (to, "approved") == 0 &&
      content_changed (entity, old_record, new_record))
    {
      json_object_set_string_member (new_record, "review_state", "submitted");
      to = "submitted";
    }

  /* A resubmission answers the return: the return's note goes with it (the
   * history keeps it), so that the record does not show an answered note as
   * if it were still asked, and a second return's note is new whatever its
   * words. */
  resubmitted = g_strcmp0 (from, "returned") == 0 && strcmp (to, "submitted") == 0;
  if (resubmitted && !jg_validate_field_changed (old_record, new_record, "review_note") &&
      jg_json_get_string (new_record, "review_note") != NULL)
    json_object_set_null_member (new_record, "review_note");

  note_changed = jg_validate_field_changed (old_record, new_record, "review_note");
  if (g_strcmp0 (from, to) == 0 && !note_changed)
    return TRUE;

  if (!jg_review_check_ledger_step (entity, from, to, error))
    return FALSE;
  if (!jg_review_check_revoked_step (entity,
                                     jg_review_is_revoked (entity->name, old_record) ||
                                     jg_review_is_revoked (entity->name, new_record),
                                     from, to, error))
    return FALSE;

  if (!jg_review_get_actor (store, &actor, error))
    return FALSE;
  if (is_review_step (to) || note_changed)
    {
      if (!resolve_paths (store, actor.org_unit,
                          jg_json_get_string (new_record, "org_unit"),
                          &actor_path, &record_path, error))
        return FALSE;
    }
  /* Nobody has signed in: the store's one local user runs its own unit.
   * Once a role is set, the server's rule applies here too, so that what
   * is approved offline is not refused at the next sync. */
  if (actor.local_only
      ? !jg_review_can_transition_local (actor_path, record_path, from, to, error)
      : !jg_review_can_transition (actor.role, actor_path, record_path, from, to, error))
    return FALSE;
  if (note_changed && !(resubmitted && jg_json_get_string (new_record, "review_note") == NULL) &&
      !check_note (&actor, actor_path, record_path, to, error))
    return FALSE;

  /* A return says what needs to change now: a note left from an earlier
   * review does not. */
  if (strcmp (to, "returned") == 0 &&
      (!note_changed || jg_validate_text_is_blank (jg_json_get_string (new_record, "review_note"))))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "review_note",
                          _("Write a new review note saying what needs to change before returning the record"));
      return FALSE;
    }
  return TRUE;
}
