/* jg-rules.c: the domain's rules on a local write */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-award.h"
#include "jg-error.h"
#include "jg-json.h"
#include "jg-ledger.h"
#include "jg-review.h"
#include "jg-rubric.h"
#include "jg-rules.h"
#include "jg-store-private.h"
#include "jg-validate.h"

static gboolean
is_null (JsonObject *record,
         const char *field)
{
  JsonNode *node = json_object_get_member (record, field);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) == '\0');
}

static gboolean
check_required (const JgEntityDef *entity,
                JsonObject        *record,
                GError           **error)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if ((f->flags & JG_FIELD_FLAG_REQUIRED) && is_null (record, f->name))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, f->name,
                              _("“%s” is required"), f->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_immutable (const JgEntityDef *entity,
                 JsonObject        *old_record,
                 JsonObject        *new_record,
                 GError           **error)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if (!(f->flags & JG_FIELD_FLAG_IMMUTABLE))
        continue;
      if (entity->ledger &&
          jg_ledger_field_correctable (f->name, jg_json_get_string (old_record, "reverses"),
                                       jg_json_get_string (old_record, "review_state")))
        continue;
      if (!json_node_equal (json_object_get_member (old_record, f->name),
                            json_object_get_member (new_record, f->name)))
        {
          jg_set_field_error (error, JG_ERROR_IMMUTABLE, f->name,
                              _("“%s” cannot be changed once recorded; record a reversing entry instead"),
                              f->name);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
jg_rules_check_write (JgStore           *store,
                      const JgEntityDef *entity,
                      JsonObject        *old_record,
                      JsonObject        *new_record,
                      GError           **error)
{
  if (!check_required (entity, new_record, error))
    return FALSE;
  if (old_record != NULL && !check_immutable (entity, old_record, new_record, error))
    return FALSE;

  /* The order matters: values first, then the workflow, then the
   * signed-in user's area (what the server would reject is refused now,
   * not at the next sync), then the rules of each record type (which may
   * fill in computed fields). */
  return jg_validate_record (store, entity, old_record, new_record, error) &&
         jg_review_check_write (store, entity, old_record, new_record, error) &&
         jg_review_check_scope (store, old_record, new_record, error) &&
         jg_rubric_check_write (store, entity, old_record, new_record, error) &&
         jg_ledger_check_write (store, entity, old_record, new_record, error) &&
         jg_award_check_write (store, entity, old_record, new_record, error);
}

/* How many of a kind refer to the record, for the refusal's message. */
static char *
dependents_phrase (const char *entity,
                   gint64      n64)
{
  int n = (int) MIN (n64, G_MAXINT);

  if (g_strcmp0 (entity, "inspection") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d courtyard inspection",
                                         "%d courtyard inspections", n), n);
  if (g_strcmp0 (entity, "designation") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d demonstration household title",
                                         "%d demonstration household titles", n), n);
  if (g_strcmp0 (entity, "award") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d family award",
                                         "%d family awards", n), n);
  if (g_strcmp0 (entity, "service_entry") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d time bank service entry",
                                         "%d time bank service entries", n), n);
  if (g_strcmp0 (entity, "redemption") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d time bank redemption",
                                         "%d time bank redemptions", n), n);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d other record", "%d other records", n), n);
}

/* The live records of @dependent whose @field names @id.  A ledger entry
 * that an approved reversal cancels, and a reversal, no longer stand for
 * anything: reversing wrong hours is how an activity's mistakes go. */
static gboolean
count_dependents (JgStore           *store,
                  const JgEntityDef *dependent,
                  const JgFieldDef  *field,
                  const char        *id,
                  gint64            *n,
                  GError           **error)
{
  g_autofree char *sql = NULL;
  JgStmt *stmt;
  int rc;

  /* The names come from jg-entity.c, never from the caller. */
  if (dependent->ledger)
    sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" WHERE \"%s\" = ?1 AND deleted IS NOT 1"
                           " AND reverses IS NULL AND id NOT IN (SELECT reverses FROM \"%s\""
                           "  WHERE reverses IS NOT NULL AND deleted IS NOT 1 AND review_state = 'approved')",
                           dependent->name, field->name, dependent->name);
  else
    sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" WHERE \"%s\" = ?1 AND deleted IS NOT 1",
                           dependent->name, field->name);
  stmt = jg_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      jg_store_sqlite_error (store, error);
      jg_stmt_release (stmt);
      return FALSE;
    }
  *n = sqlite3_column_int64 (stmt, 0);
  jg_stmt_release (stmt);
  return TRUE;
}

gboolean
jg_rules_check_delete (JgStore           *store,
                       const JgEntityDef *entity,
                       const char        *id,
                       GError           **error)
{
  const JgEntityDef * const *all;
  guint n_entities;
  g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func (g_free);
  gboolean ledger = FALSE;
  g_autofree char *list = NULL;
  g_autofree char *title = NULL;

  all = jg_entity_all (&n_entities);
  for (guint e = 0; e < n_entities; e++)
    {
      gint64 total = 0;

      /* A ledger entry's own "reverses" is never deleted with it: ledger
       * entries are not deleted at all (refused before). */
      if (all[e] == entity)
        continue;
      for (guint i = 0; i < all[e]->n_fields; i++)
        {
          const JgFieldDef *f = &all[e]->fields[i];
          gint64 n = 0;

          if (f->type != JG_FIELD_REF || g_strcmp0 (f->ref_entity, entity->name) != 0)
            continue;
          if (!count_dependents (store, all[e], f, id, &n, error))
            return FALSE;
          total += n;
        }
      if (total > 0)
        {
          g_ptr_array_add (phrases, dependents_phrase (all[e]->name, total));
          ledger |= all[e]->ledger;
        }
    }
  if (phrases->len == 0)
    return TRUE;

  g_ptr_array_add (phrases, NULL);
  /* TRANSLATORS: joins the counts of a list: "2 courtyard inspections, 1 family award" */
  list = g_strjoinv (_(", "), (char **) phrases->pdata);
  title = jg_store_dup_record_title (store, entity->name, id);
  if (title == NULL)
    title = g_strdup (id);
  if (ledger)
    /* TRANSLATORS: "Volunteer “张秀英” still has 3 time bank service entries; …" */
    jg_set_field_error (error, JG_ERROR_IN_USE, "deleted",
                 _("%s “%s” still has %s; time bank entries are never deleted, so it cannot be deleted "
                   "(wrong hours are cancelled with a reversing entry)"),
                 jg_entity_label (entity->name), title, list);
  else
    /* TRANSLATORS: "Household “王建国” still has 2 courtyard inspections, 1 family award; …" */
    jg_set_field_error (error, JG_ERROR_IN_USE, "deleted",
                 _("%s “%s” still has %s; delete those records first"),
                 jg_entity_label (entity->name), title, list);
  return FALSE;
}

char *
jg_rules_live_parents_sql (const JgEntityDef *entity,
                           const char        *table)
{
  GString *sql = g_string_new (NULL);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];
      g_autofree char *col = NULL;

      if (f->type != JG_FIELD_REF || g_strcmp0 (f->ref_entity, "household") != 0)
        continue;
      col = g_strdup_printf ("\"%s\".\"%s\"", table, f->name);
      g_string_append_printf (sql, " AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("%s"), col);
    }
  return g_string_free (sql, FALSE);
}
