/* jg-ledger.c: the time bank: append-only ledger, balances, flags, star levels
 *
 * jg-rules.c already keeps the content of an entry fixed once written; this
 * module checks what a new entry may say (a reversal cancels one existing
 * entry exactly, a redemption cannot spend more than is there) and derives
 * balances from the entries.  The server is the one place that orders
 * redemptions from several laptops; the local check only stops a redemption
 * that cannot succeed anywhere.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-config.h"
#include "jg-error.h"
#include "jg-json.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-review.h"
#include "jg-store-private.h"
#include "jg-validate.h"

#define DEFAULT_DAILY_CAP_MINUTES 480

static const gint64 default_star_hours[] = { 100, 300, 600, 1000, 1500 };

/* ---- balances -------------------------------------------------------- */

/* Reversed entries and reversing entries both drop out of the sums: an
 * entry cancelled by an approved reversal counts as if it had never been.
 * A reversal not yet approved changes nothing (JG_LEDGER_REVERSED_SQL);
 * approving one asks jg_ledger_check_reversal_covered() first, so that the
 * balance never goes below zero. */
static const char balance_sql[] =
  "SELECT "
  " (SELECT coalesce (sum (minutes), 0) FROM service_entry"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND review_state = 'approved'"
  "     AND id NOT IN (" JG_LEDGER_REVERSED_SQL ("service_entry") ")),"
  " (SELECT coalesce (sum (minutes), 0) FROM redemption"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND status = 'accepted'"
  "     AND id NOT IN (" JG_LEDGER_REVERSED_SQL ("redemption") ")),"
  " (SELECT coalesce (sum (minutes), 0) FROM redemption"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND coalesce (status, 'pending') = 'pending'"
  "     AND id NOT IN (" JG_LEDGER_REVERSED_SQL ("redemption") "))";

gboolean
jg_ledger_balance (JgStore          *store,
                   const char       *volunteer_id,
                   JgLedgerBalance  *out,
                   GError          **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (volunteer_id == NULL)
    return TRUE;

  stmt = jg_store_prepare (store, balance_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);

  out->earned_minutes = sqlite3_column_int64 (stmt, 0);
  out->redeemed_minutes = sqlite3_column_int64 (stmt, 1);
  out->pending_minutes = sqlite3_column_int64 (stmt, 2);
  out->available_minutes = MAX (0, out->earned_minutes - out->redeemed_minutes - out->pending_minutes);
  /* Spending hours does not undo having served them; reversed service does. */
  out->lifetime_approved_minutes = out->earned_minutes;
  return TRUE;
}

guint
jg_ledger_star_level (gint64 lifetime_approved_minutes)
{
  JsonObject *time_bank = jg_config_get_object (jg_config_get_default (), "time_bank");
  JsonArray *hours = NULL;
  guint level = 0;

  if (time_bank != NULL && json_object_has_member (time_bank, "star_hours") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (time_bank, "star_hours")))
    hours = json_object_get_array_member (time_bank, "star_hours");

  if (hours == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (default_star_hours); i++)
        if (lifetime_approved_minutes >= default_star_hours[i] * 60)
          level = i + 1;
      return level;
    }

  for (guint i = 0; i < json_array_get_length (hours) && i < 5; i++)
    {
      JsonNode *e = json_array_get_element (hours, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64)
        break;
      if (lifetime_approved_minutes >= json_node_get_int (e) * 60)
        level = i + 1;
    }
  return level;
}

/* ---- flags ----------------------------------------------------------- */

/* Other live entries of the volunteer that start near a time: an entry is
 * at most a day long, so anything overlapping starts within the window. */
static const char nearby_sql[] =
  "SELECT id, served_at, minutes FROM service_entry"
  " WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "   AND id IS NOT ?2 AND served_at >= ?3 AND served_at < ?4"
  "   AND id NOT IN (" JG_LEDGER_REVERSED_SQL ("service_entry") ")"
  " ORDER BY served_at, id";

static char *
day_text (GDateTime *dt,
          int        days)
{
  g_autoptr(GDateTime) moved = g_date_time_add_days (dt, days);

  return g_date_time_format (moved, "%Y-%m-%d");
}

/* An entry recorded with a date and no time of day: the forms write such a
 * date as its midnight ("2024-03-08T00:00", served_at being a date and
 * time).  It is on a day but not at a time, so it overlaps nothing: two
 * services recorded for one day were the morning's and the afternoon's,
 * not one twice.  It still counts toward the day's total (the daily cap).
 * A service really begun at midnight is taken as untimed too: the price is
 * an overlap not flagged, where the other way every second entry of a day
 * would be. */
static gboolean
has_time_of_day (GDateTime *local)
{
  return g_date_time_get_hour (local) != 0 || g_date_time_get_minute (local) != 0 ||
         g_date_time_get_second (local) != 0;
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* A length of time as people say it: "8 h", "3 h 20 min", "40 min". */
static char *
duration_text (gint64 minutes)
{
  int h = (int) (minutes / 60), m = (int) (minutes % 60);

  if (h == 0)
    /* Translators: a length of time in minutes */
    return g_strdup_printf (_("%d min"), m);
  if (m == 0)
    /* Translators: a length of time in hours */
    return g_strdup_printf (_("%d h"), h);
  /* Translators: a length of time in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), h, m);
}

/* What the time checks found about one entry. */
typedef struct
{
  JsonArray *overlapping;   /* {"id", "served_at", "minutes"} of each entry it overlaps */
  char      *day;           /* its China day, "2024-03-08" */
  gint64     day_minutes;   /* the volunteer's minutes that day, this entry's included */
  gint64     cap_minutes;   /* time_bank.daily_cap_minutes */
} TimeChecks;

static void
time_checks_clear (TimeChecks *t)
{
  g_clear_pointer (&t->overlapping, json_array_unref);
  g_clear_pointer (&t->day, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TimeChecks, time_checks_clear)

static gboolean
flag_times (JgStore     *store,
            JsonObject  *record,
            TimeChecks  *out,
            GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 60 * 60);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const char *volunteer = jg_json_get_string (record, "volunteer");
  const char *served_at = jg_json_get_string (record, "served_at");
  gint64 minutes;
  GTimeSpan length;
  int rc;

  out->overlapping = json_array_new ();
  if (volunteer == NULL || served_at == NULL ||
      !jg_json_get_int (record, "minutes", &minutes) ||
      jg_json_get_string (record, "reverses") != NULL)
    return TRUE;
  start = jg_validate_parse_datetime (served_at);
  if (start == NULL)
    return TRUE;
  {
    /* Days are China days, whatever zone the text was written in. */
    GDateTime *local = g_date_time_to_timezone (start, tz);

    g_date_time_unref (start);
    start = local;
  }
  length = minutes * G_TIME_SPAN_MINUTE;
  out->day = day_text (start, 0);
  out->day_minutes = minutes;
  /* The limit is the county's to set (DOMAIN.md), in data/domain/domain.json. */
  out->cap_minutes = jg_validate_config_int ("time_bank", "daily_cap_minutes", DEFAULT_DAILY_CAP_MINUTES);

  from = day_text (start, -2);
  to = day_text (start, 3);
  stmt = jg_store_prepare (store, nearby_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, volunteer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, jg_json_get_string (record, "id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, to, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) other = jg_validate_parse_datetime (jg_stmt_text (stmt, 1));
      g_autoptr(GDateTime) other_local = NULL;
      gint64 other_minutes = sqlite3_column_int64 (stmt, 2);

      if (other == NULL)
        continue;
      other_local = g_date_time_to_timezone (other, tz);
      /* [start, start + length) and [other, other + its length) meet,
       * both being at a time of day and not only on a date. */
      if (has_time_of_day (start) && has_time_of_day (other_local) &&
          g_date_time_difference (other_local, start) < length &&
          g_date_time_difference (start, other_local) < other_minutes * G_TIME_SPAN_MINUTE)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "id", jg_stmt_text (stmt, 0));
          json_object_set_string_member (o, "served_at", jg_stmt_text (stmt, 1));
          json_object_set_int_member (o, "minutes", other_minutes);
          json_array_add_object_element (out->overlapping, o);
        }
      if (same_day (start, other_local))
        out->day_minutes += other_minutes;
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

/* The author of the change that approved a stored record, from the log. */
static gboolean
stored_approver (JgStore     *store,
                 const char  *entity,
                 const char  *id,
                 char       **approver,
                 GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  *approver = NULL;
  if (id == NULL)
    return TRUE;
  stmt = jg_store_prepare (store,
                           "SELECT author FROM change_entry"
                           " WHERE record = ?1 AND field = ?2"
                           "   AND value = '\"approved\"'"
                           " ORDER BY hlc DESC, seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  jg_store_bind_record (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, jg_store_field_code (store, entity, "review_state"));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *approver = g_strdup (jg_stmt_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static JsonObject *
flag_new (const char *code,
          char       *message)
{
  JsonObject *flag = json_object_new ();

  json_object_set_string_member (flag, "code", code);
  json_object_set_string_member (flag, "message", message);
  g_free (message);
  return flag;
}

/* An overlapping entry as a reviewer finds it in the list: its start and length. */
static char *
entry_text (JsonObject *entry)
{
  const char *served_at = json_object_get_string_member (entry, "served_at");
  g_autoptr(GDateTime) dt = jg_validate_parse_datetime (served_at);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 60 * 60);
  g_autoptr(GDateTime) local = dt ? g_date_time_to_timezone (dt, tz) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (served_at);
  g_autofree char *length = duration_text (json_object_get_int_member (entry, "minutes"));

  /* Translators: an entry of the time bank: when it started, how long */
  return g_strdup_printf (_("%s, for %s"), when, length);
}

/* Who would approve the entry now, when it is waiting for a decision: the
 * store's user, if she is a reviewer (a village worker cannot approve, and
 * the one user of a local-only store has nobody else to ask). */
static gboolean
prospective_approver (JgStore     *store,
                      char       **approver,
                      GError     **error)
{
  g_auto(JgActor) actor = { 0 };

  *approver = NULL;
  if (!jg_review_get_actor (store, &actor, error))
    return FALSE;
  if (!actor.local_only && jg_review_role_is_reviewer (actor.role))
    *approver = g_strdup (actor.username);
  return TRUE;
}

JsonArray *
jg_ledger_flag_details (JgStore     *store,
                        const char  *service_entry_id,
                        JsonObject  *record,
                        GError     **error)
{
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(JsonArray) flags = json_array_new ();
  g_auto(TimeChecks) times = { 0 };
  g_autofree char *approver = NULL;
  const char *state;
  const char *recorder;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);
  g_return_val_if_fail (service_entry_id != NULL || record != NULL, NULL);

  if (record == NULL)
    {
      loaded = jg_store_get (store, "service_entry", service_entry_id, error);
      if (loaded == NULL)
        return NULL;
      record = loaded;
    }

  if (!flag_times (store, record, &times, error))
    return NULL;
  if (json_array_get_length (times.overlapping) > 0)
    {
      guint n = json_array_get_length (times.overlapping);
      g_autoptr(GString) which = g_string_new (NULL);
      JsonObject *flag;

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = entry_text (json_array_get_object_element (times.overlapping, i));

          if (i > 0)
            /* Translators: between the entries of a list */
            g_string_append (which, _("; "));
          g_string_append (which, text);
        }
      flag = flag_new (JG_LEDGER_FLAG_OVERLAP,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Overlaps %u other entry of this volunteer: %s",
                                                     "Overlaps %u other entries of this volunteer: %s", n),
                                        n, which->str));
      json_object_set_array_member (flag, "entries", json_array_ref (times.overlapping));
      json_array_add_object_element (flags, flag);
    }
  if (times.day != NULL && times.day_minutes > times.cap_minutes)
    {
      g_autofree char *total = duration_text (times.day_minutes);
      g_autofree char *cap = duration_text (times.cap_minutes);
      JsonObject *flag;

      /* Translators: the day, the volunteer's service that day, the limit */
      flag = flag_new (JG_LEDGER_FLAG_DAILY_CAP,
                       g_strdup_printf (_("%s of service on %s, more than the daily limit of %s"),
                                        total, times.day, cap));
      json_object_set_string_member (flag, "day", times.day);
      json_object_set_int_member (flag, "day_minutes", times.day_minutes);
      json_object_set_int_member (flag, "cap_minutes", times.cap_minutes);
      json_array_add_object_element (flags, flag);
    }

  recorder = jg_json_get_string (record, "recorded_by");
  if (recorder == NULL)
    recorder = jg_json_get_string (record, "created_by");
  state = jg_json_get_string (record, "review_state");
  if (g_strcmp0 (state, "approved") == 0)
    {
      /* The approver is whoever set "approved": the log knows for a stored
       * entry; for one being approved now, it is this store's user. */
      if (!stored_approver (store, "service_entry", jg_json_get_string (record, "id"),
                            &approver, error))
        return NULL;
      if (approver == NULL)
        approver = g_strdup (jg_store_get_username (store));
      /* The one user of a local-only store has nobody else to ask: that
       * she records and approves is how such a store works, not a flag. */
      if (recorder != NULL && g_strcmp0 (recorder, approver) == 0 &&
          g_strcmp0 (approver, JG_STORE_LOCAL_USER) != 0)
        {
          JsonObject *flag = flag_new (JG_LEDGER_FLAG_SELF_APPROVED,
                                       g_strdup_printf (_("Recorded and approved by the same person, %s"),
                                                        recorder));

          json_object_set_string_member (flag, "recorder", recorder);
          json_object_set_string_member (flag, "approver", approver);
          json_array_add_object_element (flags, flag);
        }
    }
  else if (g_strcmp0 (state, "submitted") == 0)
    {
      /* Not yet decided: the reviewer looking at it would be the approver. */
      if (!prospective_approver (store, &approver, error))
        return NULL;
      if (recorder != NULL && approver != NULL && g_strcmp0 (recorder, approver) == 0)
        {
          JsonObject *flag = flag_new (JG_LEDGER_FLAG_SELF_APPROVED,
                                       g_strdup_printf (_("You (%s) recorded this entry: approving it makes you both its recorder and its approver"),
                                                        recorder));

          json_object_set_string_member (flag, "recorder", recorder);
          json_object_set_string_member (flag, "approver", approver);
          json_array_add_object_element (flags, flag);
        }
    }

  return g_steal_pointer (&flags);
}

JsonArray *
jg_ledger_flags (JgStore     *store,
                 const char  *service_entry_id,
                 JsonObject  *record,
                 GError     **error)
{
  g_autoptr(JsonArray) details = jg_ledger_flag_details (store, service_entry_id, record, error);
  JsonArray *codes;

  if (details == NULL)
    return NULL;
  codes = json_array_new ();
  for (guint i = 0; i < json_array_get_length (details); i++)
    json_array_add_string_element (codes,
                                   json_object_get_string_member (json_array_get_object_element (details, i),
                                                                  "code"));
  return codes;
}

/* ---- checks on a write ----------------------------------------------- */

/* The unit and tombstone of a record @table names, or NOT_FOUND/DELETED on @field. */
static gboolean
referenced_unit (JgStore     *store,
                 const char  *table,
                 const char  *field,
                 const char  *id,
                 char       **unit,
                 GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  *unit = NULL;
  /* The table name is one of this file's, never from input. */
  sql = g_strdup_printf ("SELECT org_unit, deleted FROM %s WHERE id = ?1", table);
  stmt = jg_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (strcmp (table, "volunteer") == 0)
        jg_set_field_error (error, JG_ERROR_NOT_FOUND, field,
                            _("There is no volunteer with id %s"), id);
      else if (strcmp (table, "activity") == 0)
        jg_set_field_error (error, JG_ERROR_NOT_FOUND, field,
                            _("There is no activity with id %s"), id);
      else
        jg_set_field_error (error, JG_ERROR_NOT_FOUND, field,
                            _("There is no entry %s to reverse"), id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  if (sqlite3_column_int (stmt, 1) == 1 && strcmp (table, "volunteer") == 0)
    {
      jg_set_field_error (error, JG_ERROR_DELETED, field,
                          _("The volunteer %s has been deleted"), id);
      return FALSE;
    }
  *unit = g_strdup (jg_stmt_text (stmt, 0));
  return TRUE;
}

/* Whether the unit @code lies inside @outer (or is it). */
static gboolean
unit_within (JgStore    *store,
             const char *code,
             const char *outer)
{
  g_autofree char *path = NULL;
  g_autofree char *outer_path = NULL;

  if (g_strcmp0 (code, outer) == 0)
    return TRUE;
  if (code == NULL || outer == NULL)
    return FALSE;
  path = jg_org_units_path_for_code (store, code);
  outer_path = jg_org_units_path_for_code (store, outer);
  return path != NULL && outer_path != NULL && g_str_has_prefix (path, outer_path);
}

gboolean
jg_ledger_check_references (JgStore     *store,
                            const char  *entity_name,
                            const char  *org_unit,
                            const char  *volunteer_id,
                            const char  *reverses,
                            const char  *activity_id,
                            GError     **error)
{
  g_autofree char *unit = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  if (volunteer_id != NULL)
    {
      if (!referenced_unit (store, "volunteer", "volunteer", volunteer_id, &unit, error))
        return FALSE;
      if (org_unit != NULL && g_strcmp0 (unit, org_unit) != 0)
        {
          jg_set_field_error (error, JG_ERROR_OTHER_UNIT, "volunteer",
                              _("The volunteer is registered in %s, not in %s where this entry is recorded"),
                              unit ? unit : "?", org_unit);
          return FALSE;
        }
      g_clear_pointer (&unit, g_free);
    }
  if (reverses != NULL)
    {
      if (!referenced_unit (store, entity_name, "reverses", reverses, &unit, error))
        return FALSE;
      if (org_unit != NULL && g_strcmp0 (unit, org_unit) != 0)
        {
          jg_set_field_error (error, JG_ERROR_OTHER_UNIT, "reverses",
                              _("The entry %s was recorded in %s, not in %s"),
                              reverses, unit ? unit : "?", org_unit);
          return FALSE;
        }
      g_clear_pointer (&unit, g_free);
    }
  if (activity_id != NULL && strcmp (entity_name, "service_entry") == 0)
    {
      if (!referenced_unit (store, "activity", "activity", activity_id, &unit, error))
        return FALSE;
      if (org_unit != NULL && !unit_within (store, org_unit, unit))
        {
          jg_set_field_error (error, JG_ERROR_OTHER_UNIT, "activity",
                              _("The activity belongs to %s, which does not include %s"),
                              unit ? unit : "?", org_unit);
          return FALSE;
        }
    }
  return TRUE;
}

/* An entry is reversed once.  The server asks it too: two laptops may
 * reverse the same entry offline.  A withdrawn reversal (deleted) and one
 * the server refused (status rejected) are no reversal. */
gboolean
jg_ledger_check_not_reversed (JgStore           *store,
                              const JgEntityDef *entity,
                              const char        *target_id,
                              const char        *except_id,
                              gboolean           approved_only,
                              GError           **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  /* The table name comes from jg-entity.c, never from input. */
  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE reverses = ?1 AND deleted IS NOT 1"
                         " AND coalesce (status, '') <> 'rejected' AND id IS NOT ?2%s LIMIT 1",
                         entity->name, approved_only ? " AND review_state = 'approved'" : "");
  stmt = jg_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, except_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "reverses",
                          _("The entry %s has already been reversed"), target_id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

/* Who settles a redemption: a reviewer, township or county staff
 * (DOMAIN.md); the server asks the same. */
gboolean
jg_ledger_check_decider (const char  *role,
                         GError     **error)
{
  if (jg_review_role_is_reviewer (role))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_PERMISSION, "status",
                      _("Only township or county staff decide on a redemption"));
  return FALSE;
}

static gboolean
check_reversal (JgStore           *store,
                const JgEntityDef *entity,
                JsonObject        *record,
                const char        *target_id,
                GError           **error)
{
  g_autoptr(JsonObject) target = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 minutes = 0, target_minutes = 0;

  if (jg_validate_text_is_blank (jg_json_get_string (record, "reason")))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "reason",
                          _("A reversing entry needs a reason"));
      return FALSE;
    }

  target = jg_store_get (store, entity->name, target_id, &local_error);
  if (target == NULL)
    {
      if (g_error_matches (local_error, JG_ERROR, JG_ERROR_NOT_FOUND))
        {
          jg_set_field_error (error, JG_ERROR_NOT_FOUND, "reverses",
                              _("There is no entry %s to reverse"), target_id);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (json_object_get_boolean_member_with_default (target, "deleted", FALSE))
    {
      jg_set_field_error (error, JG_ERROR_DELETED, "reverses",
                          _("The entry %s has been deleted"), target_id);
      return FALSE;
    }
  /* Reversing a reversal would make balances depend on chains; record the
   * entry again instead. */
  if (jg_json_get_string (target, "reverses") != NULL)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "reverses",
                          _("A reversing entry cannot itself be reversed"));
      return FALSE;
    }
  if (g_strcmp0 (jg_json_get_string (target, "status"), "rejected") == 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "reverses",
                          _("A rejected redemption took nothing, so there is nothing to reverse"));
      return FALSE;
    }
  if (g_strcmp0 (jg_json_get_string (target, "volunteer"), jg_json_get_string (record, "volunteer")) != 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "volunteer",
                          _("A reversing entry must be for the same volunteer as the entry it reverses"));
      return FALSE;
    }
  jg_json_get_int (target, "minutes", &target_minutes);
  jg_json_get_int (record, "minutes", &minutes);
  if (minutes != target_minutes)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "minutes",
                          _("A reversing entry must have the same minutes as the entry it reverses (%" PRId64 ")"),
                          target_minutes);
      return FALSE;
    }

  if (!jg_ledger_check_not_reversed (store, entity, target_id, jg_json_get_string (record, "id"), FALSE, error))
    return FALSE;

  if (strcmp (entity->name, "service_entry") == 0 &&
      !jg_ledger_check_reversal_covered (store, jg_json_get_string (record, "volunteer"),
                                         target_id, minutes, error))
    return FALSE;
  return TRUE;
}

gboolean
jg_ledger_check_reversal_covered (JgStore     *store,
                                  const char  *volunteer_id,
                                  const char  *target_id,
                                  gint64       minutes,
                                  GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  JgLedgerBalance balance;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  if (volunteer_id == NULL || target_id == NULL || minutes <= 0)
    return TRUE;
  /* Only approved service is in the balance to take back. */
  stmt = jg_store_prepare (store, "SELECT review_state FROM service_entry WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE || (rc == SQLITE_ROW && g_strcmp0 (jg_stmt_text (stmt, 0), "approved") != 0))
    return TRUE;
  if (rc != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  jg_stmt_release (g_steal_pointer (&stmt));

  /* Taking back approved hours that were already spent would leave the
   * volunteer owing: reverse the redemption first. */
  if (!jg_ledger_balance (store, volunteer_id, &balance, error))
    return FALSE;
  if (balance.earned_minutes - balance.redeemed_minutes - balance.pending_minutes < minutes)
    {
      jg_set_field_error (error, JG_ERROR_INSUFFICIENT_BALANCE, "minutes",
                          _("These hours have already been redeemed; reverse the redemption first"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_new_redemption (JgStore     *store,
                      JsonObject  *record,
                      GError     **error)
{
  const char *status = jg_json_get_string (record, "status");
  const char *beneficiary = jg_json_get_string (record, "beneficiary");
  JgLedgerBalance balance;
  gint64 minutes = 0;

  /* The server decides, in the order it receives them. */
  if (status == NULL)
    json_object_set_string_member (record, "status", "pending");
  else if (strcmp (status, "pending") != 0)
    {
      jg_set_field_error (error, JG_ERROR_READ_ONLY, "status",
                          _("A new redemption is pending until it is decided"));
      return FALSE;
    }

  if (jg_validate_text_is_blank (beneficiary))
    json_object_set_string_member (record, "beneficiary", "self");
  else if (strcmp (beneficiary, "self") != 0 &&
           !jg_validate_config_bool ("time_bank", "family_transfer_allowed", TRUE))
    {
      jg_set_field_error (error, JG_ERROR_NOT_ALLOWED_VALUE, "beneficiary",
                          _("Hours can only be redeemed by the volunteer here, not transferred to family"));
      return FALSE;
    }

  if (jg_json_get_string (record, "reverses") != NULL)
    return TRUE;   /* a cancelled redemption gives hours back */

  if (!jg_ledger_balance (store, jg_json_get_string (record, "volunteer"), &balance, error))
    return FALSE;
  jg_json_get_int (record, "minutes", &minutes);
  if (minutes > balance.available_minutes)
    {
      jg_set_field_error (error, JG_ERROR_INSUFFICIENT_BALANCE, "minutes",
                          _("Only %" PRId64 " minutes are available to redeem"),
                          balance.available_minutes);
      return FALSE;
    }
  return TRUE;
}

/* Settling a redemption is the server's decision; a reviewer's store may
 * record it too, for a county that runs without a server for a while. */
static gboolean
check_status_change (JgStore     *store,
                     JsonObject  *old_record,
                     JsonObject  *new_record,
                     GError     **error)
{
  g_auto(JgActor) actor = { 0 };
  const char *from = jg_json_get_string (old_record, "status");
  const char *to = jg_json_get_string (new_record, "status");

  if (from == NULL)
    from = "pending";
  if (to == NULL)
    to = "pending";
  if (strcmp (from, to) == 0)
    return TRUE;

  if (!jg_ledger_check_status_step (from, to, error))
    return FALSE;
  if (!jg_review_get_actor (store, &actor, error))
    return FALSE;
  if (!jg_ledger_check_decider (actor.role, error))
    return FALSE;
  if (strcmp (to, "rejected") == 0 &&
      jg_validate_text_is_blank (jg_json_get_string (new_record, "status_reason")))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "status_reason",
                          _("Say why the redemption is rejected"));
      return FALSE;
    }
  if (strcmp (to, "accepted") == 0 && jg_json_get_string (new_record, "reverses") == NULL)
    {
      JgLedgerBalance balance;
      gint64 minutes = 0;

      /* Against the approved balance only: other pending ones wait their turn. */
      if (!jg_ledger_balance (store, jg_json_get_string (new_record, "volunteer"), &balance, error))
        return FALSE;
      jg_json_get_int (new_record, "minutes", &minutes);
      if (balance.earned_minutes - balance.redeemed_minutes < minutes)
        {
          jg_set_field_error (error, JG_ERROR_INSUFFICIENT_BALANCE, "minutes",
                              _("Only %" PRId64 " approved minutes are left"),
                              MAX (0, balance.earned_minutes - balance.redeemed_minutes));
          return FALSE;
        }
    }
  return TRUE;
}

/* A redemption is decided once: pending → accepted or rejected.  The
 * server asks the same question of every status change it receives. */
gboolean
jg_ledger_check_status_step (const char  *from,
                             const char  *to,
                             GError     **error)
{
  if (from == NULL)
    from = "pending";
  if (to == NULL)
    to = "pending";
  if (strcmp (from, to) == 0)
    return TRUE;
  if (strcmp (from, "pending") != 0 || strcmp (to, "pending") == 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, "status",
                          _("A redemption that was %s stays so"),
                          jg_entity_choice_label ("redemption", "status", from));
      return FALSE;
    }
  return TRUE;
}

/* The server refuses a new redemption as a whole when the balance cannot
 * pay it; that is its decision (DOMAIN.md: it decides, in its order), so
 * the laptop records it on the redemption instead of keeping it pending
 * for ever.  Other refusals are answered by editing the record. */
gboolean
jg_ledger_is_refused_redemption (const char *entity,
                                 const char *code)
{
  return g_strcmp0 (entity, "redemption") == 0 &&
         g_strcmp0 (code, jg_error_code_name (JG_ERROR_INSUFFICIENT_BALANCE)) == 0;
}

gboolean
jg_ledger_is_local_field (const char *entity,
                          const char *field)
{
  return g_strcmp0 (entity, "service_entry") == 0 &&
         (g_strcmp0 (field, "status") == 0 || g_strcmp0 (field, "status_reason") == 0);
}

gboolean
jg_ledger_record_refusal (JgStore     *store,
                          const char  *entity_name,
                          const char  *id,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  json_object_set_string_member (fields, "status", "rejected");
  json_object_set_string_member (fields, "status_reason",
                                 reason != NULL && *reason != '\0' ? reason : _("Refused by the server"));
  return jg_store_put_local (store, entity_name, id, fields, error);
}

/* Whether a reversing entry may be recorded for @entry (as read): not for
 * a reversal (record the entry again instead), a rejected redemption
 * (it took nothing) or a deleted entry.  That it was not reversed already
 * is jg_ledger_check_not_reversed()'s question. */
gboolean
jg_ledger_entry_reversible (JsonObject *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);

  return jg_json_get_string (entry, "reverses") == NULL &&
         g_strcmp0 (jg_json_get_string (entry, "status"), "rejected") != 0 &&
         !json_object_get_boolean_member_with_default (entry, "deleted", FALSE);
}

/* The fields a reversal copies from the entry it cancels: what was served
 * or redeemed stays readable on the reversal itself. */
static const char * const reversal_copies[] = {
  "org_unit", "volunteer", "minutes", "service_type", "served_at", "item", "item_name", "beneficiary", NULL
};

char *
jg_ledger_reverse (JgStore     *store,
                   const char  *entity_name,
                   const char  *target_id,
                   const char  *reason,
                   GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(JsonObject) target = NULL;
  g_autoptr(JsonObject) record = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);

  if (entity == NULL || !entity->ledger)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY,
                   _("Only time bank entries are reversed"));
      return NULL;
    }
  target = jg_store_get (store, entity->name, target_id, error);
  if (target == NULL)
    return NULL;

  record = json_object_new ();
  for (guint i = 0; reversal_copies[i]; i++)
    {
      JsonNode *value = json_object_get_member (target, reversal_copies[i]);

      if (value != NULL && !JSON_NODE_HOLDS_NULL (value) &&
          jg_entity_field (entity, reversal_copies[i], NULL) != NULL)
        json_object_set_member (record, reversal_copies[i], json_node_copy (value));
    }
  json_object_set_string_member (record, "reverses", target_id);
  if (reason != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (reason));

      json_object_set_string_member (record, "reason", stripped);
    }
  /* Ledger entries are never edited: a draft reversal could not be
   * submitted later, so it goes to review at once, as the entries the
   * ledger form records. */
  json_object_set_string_member (record, "review_state", "submitted");
  return jg_store_put (store, entity->name, record, error);
}

gboolean
jg_ledger_check_review_step (JgStore           *store,
                             const JgEntityDef *entity,
                             const char        *id,
                             const char        *reverses,
                             const char        *from,
                             const char        *to,
                             GError           **error)
{
  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  if (reverses == NULL || g_strcmp0 (from, to) == 0)
    return TRUE;
  /* Submitted again: no other live reversal of the entry came meanwhile. */
  if (g_strcmp0 (to, "submitted") == 0)
    return jg_ledger_check_not_reversed (store, entity, reverses, id, FALSE, error);
  /* Approved: of two live reversals of one entry, only one is. */
  if (g_strcmp0 (to, "approved") == 0)
    return jg_ledger_check_not_reversed (store, entity, reverses, id, TRUE, error);
  return TRUE;
}

gboolean
jg_ledger_field_correctable (const char *field,
                             const char *reverses,
                             const char *review_state)
{
  return g_strcmp0 (field, "reason") == 0 && reverses != NULL &&
         g_strcmp0 (review_state, "approved") != 0;
}

gboolean
jg_ledger_check_withdrawal (const JgEntityDef  *entity,
                            const char         *reverses,
                            const char         *review_state,
                            GError            **error)
{
  if (!entity->ledger)
    return TRUE;
  if (reverses == NULL)
    {
      jg_set_field_error (error, JG_ERROR_IMMUTABLE, "deleted",
                          _("Ledger entries cannot be deleted; record a reversing entry instead"));
      return FALSE;
    }
  if (g_strcmp0 (review_state, "returned") != 0)
    {
      jg_set_field_error (error, JG_ERROR_IMMUTABLE, "deleted",
                          _("Only a reversing entry the reviewer returned can be withdrawn"));
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_ledger_check_write (JgStore           *store,
                       const JgEntityDef *entity,
                       JsonObject        *old_record,
                       JsonObject        *new_record,
                       GError           **error)
{
  gboolean is_redemption;
  const char *reverses;

  if (!entity->ledger)
    return TRUE;
  is_redemption = strcmp (entity->name, "redemption") == 0;

  if (old_record != NULL)
    {
      reverses = jg_json_get_string (new_record, "reverses");
      if (reverses != NULL &&
          !jg_ledger_check_review_step (store, entity, jg_json_get_string (new_record, "id"), reverses,
                                        jg_json_get_string (old_record, "review_state"),
                                        jg_json_get_string (new_record, "review_state"), error))
        return FALSE;
      if (reverses != NULL && jg_validate_field_changed (old_record, new_record, "reason") &&
          jg_validate_text_is_blank (jg_json_get_string (new_record, "reason")))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, "reason",
                              _("A reversing entry needs a reason"));
          return FALSE;
        }
      /* A reversal counts from its approval: the hours must still be there then. */
      if (!is_redemption && reverses != NULL &&
          g_strcmp0 (jg_json_get_string (new_record, "review_state"), "approved") == 0 &&
          g_strcmp0 (jg_json_get_string (old_record, "review_state"), "approved") != 0)
        {
          gint64 minutes = 0;

          jg_json_get_int (new_record, "minutes", &minutes);
          if (!jg_ledger_check_reversal_covered (store, jg_json_get_string (new_record, "volunteer"),
                                                 reverses, minutes, error))
            return FALSE;
        }
      /* A reviewer's approval of a pending redemption is her decision on
       * it: it is accepted in the same write (against the approved
       * balance, below), so that a redemption recorded in the app and
       * approved in the review page does not stay pending for ever. */
      if (is_redemption && reverses == NULL &&
          g_strcmp0 (jg_json_get_string (new_record, "review_state"), "approved") == 0 &&
          g_strcmp0 (jg_json_get_string (old_record, "review_state"), "approved") != 0 &&
          g_strcmp0 (jg_json_get_string (old_record, "status") ? jg_json_get_string (old_record, "status") : "pending",
                     "pending") == 0 &&
          !jg_validate_field_changed (old_record, new_record, "status"))
        json_object_set_string_member (new_record, "status", "accepted");
      return !is_redemption || check_status_change (store, old_record, new_record, error);
    }

  if (!jg_ledger_check_references (store, entity->name,
                                   jg_json_get_string (new_record, "org_unit"),
                                   jg_json_get_string (new_record, "volunteer"),
                                   jg_json_get_string (new_record, "reverses"),
                                   jg_json_get_string (new_record, "activity"), error))
    return FALSE;

  if (!is_redemption && jg_validate_text_is_blank (jg_json_get_string (new_record, "recorded_by")))
    json_object_set_string_member (new_record, "recorded_by", jg_store_get_username (store));

  reverses = jg_json_get_string (new_record, "reverses");
  if (reverses != NULL && !check_reversal (store, entity, new_record, reverses, error))
    return FALSE;

  return !is_redemption || check_new_redemption (store, new_record, error);
}
