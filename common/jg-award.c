/* jg-award.c: family awards: workflow, level ladder, consent before public notice */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-award.h"
#include "jg-error.h"
#include "jg-json.h"
#include "jg-review.h"
#include "jg-store-private.h"
#include "jg-validate.h"

#define DEFAULT_NOTICE_WORKING_DAYS 3

static const char * const levels[] = {
  "village", "township", "county", "city", "province", "national", NULL
};

static const struct
{
  const char *from;
  const char *to;
} steps[] = {
  { NULL, "nominated" },
  { "nominated", "under_review" },
  { "under_review", "public_notice" },
  { "under_review", "declined" },
  { "public_notice", "awarded" },
  { "public_notice", "declined" },
};

int
jg_award_level_rank (const char *level)
{
  if (level == NULL)
    return -1;
  for (int i = 0; levels[i] != NULL; i++)
    if (strcmp (levels[i], level) == 0)
      return i;
  return -1;
}

gboolean
jg_award_can_transition (const char  *from,
                         const char  *to,
                         GError     **error)
{
  if (g_strcmp0 (from, to) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (steps[i].from, from) == 0 && g_strcmp0 (steps[i].to, to) == 0)
      return TRUE;

  if (from == NULL)
    jg_set_field_error (error, JG_ERROR_TRANSITION, "state",
                        _("A new award starts as nominated"));
  else
    jg_set_field_error (error, JG_ERROR_TRANSITION, "state",
                        _("An award cannot go from “%s” to “%s”"),
                        jg_entity_choice_label ("award", "state", from),
                        to ? jg_entity_choice_label ("award", "state", to) : "");
  return FALSE;
}

void
jg_award_notice_end (const GDate *start,
                     guint        working_days,
                     GDate       *end_out)
{
  GDateWeekday wd = g_date_get_weekday (start);
  /* The first day counts when it is a working day: a notice of 3 working
   * days put up on a Wednesday ends on Friday (公示期 as offices count it). */
  guint counted = wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY ? 1 : 0;

  *end_out = *start;
  while (counted < working_days)
    {
      g_date_add_days (end_out, 1);
      wd = g_date_get_weekday (end_out);
      if (wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY)
        counted++;
    }
}

static void
today (JgStore *store,
       GDate   *out)
{
  g_autoptr(GDateTime) now = jg_validate_now (store);

  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static char *
date_text (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d",
                          g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

static gboolean
check_household (JgStore     *store,
                 const char  *household,
                 JsonObject **out,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) record = jg_store_get (store, "household", household, &local_error);

  if (record == NULL)
    {
      if (g_error_matches (local_error, JG_ERROR, JG_ERROR_NOT_FOUND))
        {
          jg_set_field_error (error, JG_ERROR_NOT_FOUND, "household",
                              _("There is no household with id %s"), household);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (json_object_get_boolean_member_with_default (record, "deleted", FALSE))
    {
      jg_set_field_error (error, JG_ERROR_DELETED, "household",
                          _("The household %s has been deleted"), household);
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&record);
  return TRUE;
}

/* The provincial ladder: the same award, granted one level below, to the
 * same household (or, for a family named without a household record, the
 * same family name). */
gboolean
jg_award_check_ladder (JgStore     *store,
                       const char  *id,
                       const char  *award_type,
                       const char  *level,
                       const char  *household,
                       const char  *family_name,
                       GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rank = jg_award_level_rank (level);
  int rc;

  if (rank <= 0)
    return TRUE;

  stmt = jg_store_prepare (store,
                           "SELECT 1 FROM award"
                           " WHERE award_type = ?1 AND level = ?2 AND state = 'awarded'"
                           "   AND deleted IS NOT 1 AND id IS NOT ?3"
                           "   AND (CASE WHEN ?4 IS NOT NULL THEN household = ?4"
                           "             ELSE household IS NULL AND family_name = ?5 END)"
                           " LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, award_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, levels[rank - 1], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, household, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, family_name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);

  jg_set_field_error (error, JG_ERROR_INVALID, "level",
                      /* Translators: two levels, "Township level" and "Village level" */
                      _("A nomination at %s needs the same award at %s first"),
                      jg_entity_choice_label ("award", "level", level),
                      jg_entity_choice_label ("award", "level", levels[rank - 1]));
  return FALSE;
}

static gboolean
check_ladder (JgStore     *store,
              JsonObject  *record,
              GError     **error)
{
  return jg_award_check_ladder (store,
                                jg_json_get_string (record, "id"),
                                jg_json_get_string (record, "award_type"),
                                jg_json_get_string (record, "level"),
                                jg_json_get_string (record, "household"),
                                jg_json_get_string (record, "family_name"),
                                error);
}

/* ---- who decides, and the notice ------------------------------------- */

static const char * const decided_fields[] = { "notice_start", "notice_end", NULL };

gboolean
jg_award_step_is_decision (const char *from,
                           const char *to)
{
  return g_strcmp0 (from, to) != 0 &&
         (g_strcmp0 (to, "public_notice") == 0 || g_strcmp0 (to, "awarded") == 0 ||
          g_strcmp0 (to, "declined") == 0);
}

gboolean
jg_award_field_is_decided (const char *field)
{
  return field != NULL && g_strv_contains (decided_fields, field);
}

static void
set_decider_error (GError     **error,
                   const char  *field)
{
  jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                      _("Only a reviewer of a unit above the award’s puts it on public notice, "
                        "sets the notice dates, grants it or declines it"));
}

/* The award level of the federation at a unit (a path, whose last segment
 * is the unit's significant code, or that code alone): 12 digits are a
 * village, 9 a township, 6 a county, 4 a city, 2 a province; -1 unknown. */
static int
unit_award_rank (const char *unit_path)
{
  const char *end, *start;
  gsize len;

  if (unit_path == NULL)
    return -1;
  end = unit_path + strlen (unit_path);
  while (end > unit_path && end[-1] == '/')
    end--;
  start = end;
  while (start > unit_path && start[-1] != '/')
    start--;
  len = (gsize) (end - start);
  switch (len)
    {
    case 12: return jg_award_level_rank ("village");
    case 9: return jg_award_level_rank ("township");
    case 6: return jg_award_level_rank ("county");
    case 4: return jg_award_level_rank ("city");
    case 2: return jg_award_level_rank ("province");
    default: return -1;
    }
}

/* The award's level is not above the decider's federation's (a county
 * records the higher ones). */
static gboolean
check_decider_level (const char  *actor_unit_path,
                     const char  *award_level,
                     const char  *field,
                     GError     **error)
{
  int actor = unit_award_rank (actor_unit_path);
  int award = jg_award_level_rank (award_level);
  int county = jg_award_level_rank ("county");

  /* A level not known (a value refused on its own) asks for the county. */
  if (award < 0)
    award = county;
  if (actor < 0 || actor >= MIN (award, county))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_PERMISSION, field,
                      /* Translators: the level is "County level", "City level", … */
                      _("A %s award is decided by a federation at that level or above, "
                        "not by this reviewer's"),
                      jg_entity_choice_label ("award", "level", award_level));
  return FALSE;
}

gboolean
jg_award_check_decider (const char  *role,
                        const char  *actor_unit_path,
                        const char  *record_unit_path,
                        const char  *award_level,
                        const char  *field,
                        GError     **error)
{
  if (!jg_review_can_decide (role, actor_unit_path, record_unit_path, field, NULL))
    {
      set_decider_error (error, field);
      return FALSE;
    }
  return check_decider_level (actor_unit_path, award_level, field, error);
}

/* The store's own user, by the same rule (a local-only store's user runs
 * her own unit, as in the review rules). */
static gboolean
check_store_decider (JgStore     *store,
                     JsonObject  *record,
                     const char  *field,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (jg_review_store_may_decide (store, jg_json_get_string (record, "org_unit"), field, &local_error))
    {
      g_auto(JgActor) actor = { 0 };
      g_autofree char *code = NULL;

      if (!jg_review_get_actor (store, &actor, error))
        return FALSE;
      code = jg_review_significant_code (actor.org_unit);
      return check_decider_level (code, jg_json_get_string (record, "level"), field, error);
    }
  if (!g_error_matches (local_error, JG_ERROR, JG_ERROR_PERMISSION))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_decider_error (error, field);
  return FALSE;
}

static guint
notice_working_days (void)
{
  gint64 days = jg_validate_config_int ("award", "notice_working_days", DEFAULT_NOTICE_WORKING_DAYS);

  return (guint) CLAMP (days, 0, 365);
}

gboolean
jg_award_check_notice (const char   *notice_start,
                       const char   *notice_end,
                       const GDate  *step_day,
                       gboolean      start_changed,
                       GError      **error)
{
  g_autoptr(GDate) start = jg_validate_parse_date (notice_start);
  g_autoptr(GDate) end = jg_validate_parse_date (notice_end);
  GDate earliest = *step_day;
  GDate shortest;
  guint days = notice_working_days ();

  if (start == NULL || end == NULL)
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, start == NULL ? "notice_start" : "notice_end",
                          _("A public notice needs its first and last day"));
      return FALSE;
    }
  /* A day's grace for a notice posted the evening before it was entered;
   * never a notice that ran before anyone decided on it. */
  g_date_subtract_days (&earliest, 1);
  if (start_changed && g_date_compare (start, &earliest) < 0)
    {
      g_autofree char *text = date_text (&earliest);

      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, "notice_start",
                          _("A public notice cannot start before %s, the day before it is put up"), text);
      return FALSE;
    }
  jg_award_notice_end (start, days, &shortest);
  if (g_date_compare (end, &shortest) < 0)
    {
      g_autofree char *text = date_text (&shortest);

      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, "notice_end",
                          g_dngettext (GETTEXT_PACKAGE,
                                       "A public notice runs at least %u working day: this one until %s or later",
                                       "A public notice runs at least %u working days: this one until %s or later",
                                       days),
                          days, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_award_check_notice_over (const char   *notice_end,
                            const GDate  *day,
                            GError      **error)
{
  g_autoptr(GDate) end = jg_validate_parse_date (notice_end);

  if (end == NULL || g_date_compare (day, end) <= 0)
    {
      g_autofree char *text = end ? date_text (end) : NULL;

      if (text != NULL)
        jg_set_field_error (error, JG_ERROR_TRANSITION, "state",
                            _("The public notice runs until %s; the award can be granted after it"),
                            text);
      else
        jg_set_field_error (error, JG_ERROR_TRANSITION, "state",
                            _("The award can be granted only after its public notice"));
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_award_check_grant (const char   *notice_end,
                      const char   *certificate_no,
                      const GDate  *day,
                      GError      **error)
{
  if (!jg_award_check_notice_over (notice_end, day, error))
    return FALSE;
  if (jg_validate_text_is_blank (certificate_no))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "certificate_no",
                          _("An award needs its certificate number"));
      return FALSE;
    }
  return TRUE;
}

void
jg_award_day_of (gint64  unix_ms,
                 GDate  *out)
{
  /* China time, UTC+8 all year. */
  gint64 days = (unix_ms / 1000 + 8 * 60 * 60) / (24 * 60 * 60);

  g_date_clear (out, 1);
  g_date_set_dmy (out, 1, G_DATE_JANUARY, 1970);
  g_date_add_days (out, (guint) MAX (days, 0));
}

gboolean
jg_award_check_consent (JgStore     *store,
                        const char  *household_id,
                        GError     **error)
{
  g_autoptr(JsonObject) household = NULL;

  /* PIPL: a public notice names the family, so it needs recorded consent,
   * which only a household record can hold. */
  if (household_id == NULL)
    {
      jg_set_field_error (error, JG_ERROR_CONSENT_REQUIRED, "state",
                          _("A public notice needs the household’s consent; link the household and record its consent"));
      return FALSE;
    }
  if (!check_household (store, household_id, &household, error))
    return FALSE;
  if (!json_object_get_boolean_member_with_default (household, "publicity_consent", FALSE))
    {
      jg_set_field_error (error, JG_ERROR_CONSENT_REQUIRED, "state",
                          _("The household has not agreed to be named on a public notice"));
      return FALSE;
    }
  return TRUE;
}

/* Fills in the dates a reviewer left out: from today, the configured
 * working days. */
static void
fill_notice_dates (JgStore    *store,
                   JsonObject *record)
{
  const char *start_text = jg_json_get_string (record, "notice_start");
  g_autoptr(GDate) start = NULL;

  if (start_text == NULL)
    {
      g_autofree char *text = NULL;

      start = g_date_new ();
      today (store, start);
      text = date_text (start);
      json_object_set_string_member (record, "notice_start", text);
    }
  else if ((start = jg_validate_parse_date (start_text)) == NULL)
    return;   /* the syntax is jg-entity.c's business */

  if (jg_json_get_string (record, "notice_end") == NULL)
    {
      GDate end;
      g_autofree char *text = NULL;

      jg_award_notice_end (start, notice_working_days (), &end);
      text = date_text (&end);
      json_object_set_string_member (record, "notice_end", text);
    }
}

static gboolean
enter_public_notice (JgStore     *store,
                     JsonObject  *record,
                     GError     **error)
{
  GDate now;

  if (!jg_award_check_consent (store, jg_json_get_string (record, "household"), error))
    return FALSE;
  fill_notice_dates (store, record);
  today (store, &now);
  return jg_award_check_notice (jg_json_get_string (record, "notice_start"),
                                jg_json_get_string (record, "notice_end"), &now, TRUE, error);
}

static gboolean
enter_awarded (JgStore     *store,
               JsonObject  *record,
               GError     **error)
{
  GDate now;

  today (store, &now);
  return jg_award_check_grant (jg_json_get_string (record, "notice_end"),
                               jg_json_get_string (record, "certificate_no"), &now, error);
}

gboolean
jg_award_may_grant (JgStore     *store,
                    JsonObject  *award,
                    GError     **error)
{
  GDate now;
  const char *state;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);
  g_return_val_if_fail (award != NULL, FALSE);

  state = jg_json_get_string (award, "state");
  if (g_strcmp0 (state, "public_notice") != 0)
    {
      /* Only from public notice; the message of a step that is not there,
       * or of one already taken. */
      if (jg_award_can_transition (state ? state : "nominated", "awarded", error))
        jg_set_field_error (error, JG_ERROR_TRANSITION, "state", _("The award has been granted already"));
      return FALSE;
    }
  today (store, &now);
  return jg_award_check_notice_over (jg_json_get_string (award, "notice_end"), &now, error);
}

/* The notice dates change only while the award is on notice, by whoever
 * may put it there; a notice is never cut short or moved into the past. */
static gboolean
check_notice_edit (JgStore     *store,
                   JsonObject  *old_record,
                   JsonObject  *new_record,
                   GError     **error)
{
  gboolean start_changed = jg_validate_field_changed (old_record, new_record, "notice_start");
  const char *field = start_changed ? "notice_start" : "notice_end";
  GDate now;

  if (!start_changed && !jg_validate_field_changed (old_record, new_record, "notice_end"))
    return TRUE;
  if (!check_store_decider (store, new_record, field, error))
    return FALSE;
  if (g_strcmp0 (jg_json_get_string (new_record, "state"), "public_notice") != 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, field,
                          _("The notice dates are set while the award is on public notice"));
      return FALSE;
    }
  today (store, &now);
  return jg_award_check_notice (jg_json_get_string (new_record, "notice_start"),
                                jg_json_get_string (new_record, "notice_end"), &now, start_changed, error);
}

/* PIPL: a public notice names the family only with its consent.  A
 * notice that is up cannot be taken back from every wall and screen by
 * this laptop, so the withdrawal waits until a reviewer decides the award
 * (declines it, or grants it after the notice); the message says so. */
gboolean
jg_award_check_consent_withdrawal (JgStore     *store,
                                   const char  *household_id,
                                   GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  if (household_id == NULL)
    return TRUE;
  stmt = jg_store_prepare (store,
                           "SELECT notice_end FROM award"
                           " WHERE household = ?1 AND state = 'public_notice' AND deleted IS NOT 1"
                           " ORDER BY notice_end DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);

  jg_set_field_error (error, JG_ERROR_CONSENT_REQUIRED, "publicity_consent",
                      _("An award of this household is on public notice (until %s). Consent can be "
                        "withdrawn once a reviewer has declined the award or granted it after the notice"),
                      jg_stmt_text (stmt, 0) ? jg_stmt_text (stmt, 0) : "?");
  return FALSE;
}

static gboolean
check_household_write (JgStore     *store,
                       JsonObject  *old_record,
                       JsonObject  *new_record,
                       GError     **error)
{
  gboolean had = old_record != NULL &&
                 json_object_get_boolean_member_with_default (old_record, "publicity_consent", FALSE);
  gboolean has = json_object_get_boolean_member_with_default (new_record, "publicity_consent", FALSE);

  if (!had || has)
    return TRUE;
  return jg_award_check_consent_withdrawal (store, jg_json_get_string (new_record, "id"), error);
}

gboolean
jg_award_check_write (JgStore           *store,
                      const JgEntityDef *entity,
                      JsonObject        *old_record,
                      JsonObject        *new_record,
                      GError           **error)
{
  const char *from = NULL;
  const char *to;
  const char *household;

  if (strcmp (entity->name, "household") == 0)
    return check_household_write (store, old_record, new_record, error);
  if (strcmp (entity->name, "award") != 0)
    return TRUE;

  if (old_record == NULL)
    {
      if (jg_validate_text_is_blank (jg_json_get_string (new_record, "nominated_by")))
        json_object_set_string_member (new_record, "nominated_by", jg_store_get_username (store));
    }
  else
    {
      from = jg_json_get_string (old_record, "state");
      if (from == NULL)
        from = "nominated";
    }
  to = jg_json_get_string (new_record, "state");
  if (to == NULL)
    {
      to = from ? from : "nominated";
      json_object_set_string_member (new_record, "state", to);
      to = jg_json_get_string (new_record, "state");
    }

  household = jg_json_get_string (new_record, "household");
  if (household == NULL && jg_validate_text_is_blank (jg_json_get_string (new_record, "family_name")))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "household",
                          _("Name the household or the family the award is for"));
      return FALSE;
    }
  if (household != NULL && jg_validate_field_changed (old_record, new_record, "household") &&
      !check_household (store, household, NULL, error))
    return FALSE;

  if (old_record == NULL ||
      jg_validate_field_changed (old_record, new_record, "level") ||
      jg_validate_field_changed (old_record, new_record, "award_type") ||
      jg_validate_field_changed (old_record, new_record, "household") ||
      jg_validate_field_changed (old_record, new_record, "family_name"))
    {
      if (!check_ladder (store, new_record, error))
        return FALSE;
    }

  if (g_strcmp0 (from, to) != 0)
    {
      if (!jg_award_can_transition (from, to, error))
        return FALSE;
      if (jg_award_step_is_decision (from, to) &&
          !check_store_decider (store, new_record, "state", error))
        return FALSE;
      if (strcmp (to, "public_notice") == 0)
        return enter_public_notice (store, new_record, error);
      if (strcmp (to, "awarded") == 0 && !enter_awarded (store, new_record, error))
        return FALSE;
      if (strcmp (to, "declined") == 0 &&
          jg_validate_text_is_blank (jg_json_get_string (new_record, "decline_reason")))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, "decline_reason",
                              _("Say why the nomination is declined"));
          return FALSE;
        }
    }
  return check_notice_edit (store, old_record, new_record, error);
}
