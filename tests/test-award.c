/* test-award.c: family awards (jg-award.h)
 *
 * The store's clock is fixed on Sunday 2024-03-10 (China time), so that
 * notice periods and "after the notice" are exact; a case moves it on.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-award.h"
#include "jg-common.h"
#include "jg-test-fixture.h"


#define AWARD "\"org_unit\":\"331082004240\",\"award_type\":\"most_beautiful_family\",\"year\":2024"

static char *
add_household (JgTestFixture  *f,
               gboolean  consent)
{
  return jg_test_put_ok (f, "household", consent
                 ? "{\"org_unit\":\"331082004240\",\"head_name\":\"王芳\",\"member_count\":4,\"publicity_consent\":true}"
                 : "{\"org_unit\":\"331082004240\",\"head_name\":\"王芳\",\"member_count\":4}");
}

static char *
add_award (JgTestFixture    *f,
           const char *household,
           const char *level)
{
  g_autofree char *json = g_strdup_printf ("{" AWARD ",\"household\":\"%s\",\"level\":\"%s\"}", household, level);

  return jg_test_put_ok (f, "award", json);
}

static void
set_state (JgTestFixture    *f,
           const char *id,
           const char *members)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",%s}", id, members);

  g_free (jg_test_put_ok (f, "award", json));
}

static void
refuse_state (JgTestFixture     *f,
              const char  *id,
              const char  *members,
              JgErrorCode  code,
              const char  *field)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",%s}", id, members);

  jg_test_put_refused (f, "award", json, code, field);
}

static const char *
member (JsonObject *record,
        const char *name)
{
  return json_object_get_string_member_with_default (record, name, NULL);
}

/* An award with consent, taken through review into its public notice. */
static char *
award_in_notice (JgTestFixture    *f,
                 const char *household,
                 const char *level)
{
  char *id = add_award (f, household, level);

  set_state (f, id, "\"state\":\"under_review\"");
  set_state (f, id, "\"state\":\"public_notice\"");
  return id;
}

/* Grants an award: through its notice, then past it. */
static char *
award_granted (JgTestFixture    *f,
               const char *household,
               const char *level)
{
  char *id = award_in_notice (f, household, level);
  gint64 saved = f->now_ms;

  f->now_ms += 7 * DAY_MS;
  set_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  f->now_ms = saved;
  return id;
}

static void
test_new_is_nominated (JgTestFixture       *f,
                       gconstpointer  data)
{
  g_autofree char *h = add_household (f, FALSE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "award", id);

  g_assert_cmpstr (member (record, "state"), ==, "nominated");
  g_assert_cmpstr (member (record, "nominated_by"), ==, "village1");
}

static void
test_nominated_by_kept (JgTestFixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "award", "{" AWARD ",\"family_name\":\"张三家庭\",\"level\":\"village\","
                                            "\"nominated_by\":\"村妇联\"}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "award", id);

  g_assert_cmpstr (member (record, "nominated_by"), ==, "村妇联");
}

static void
test_new_cannot_skip_ahead (JgTestFixture       *f,
                            gconstpointer  data)
{
  jg_test_put_refused (f, "award", "{" AWARD ",\"family_name\":\"张三家庭\",\"level\":\"village\",\"state\":\"awarded\"}",
               JG_ERROR_TRANSITION, "state");
}

static void
test_household_or_family_name (JgTestFixture       *f,
                               gconstpointer  data)
{
  jg_test_put_refused (f, "award", "{" AWARD ",\"level\":\"village\"}", JG_ERROR_REQUIRED, "household");
  jg_test_put_refused (f, "award", "{" AWARD ",\"level\":\"village\",\"family_name\":\"  \"}", JG_ERROR_REQUIRED, "household");
  g_free (jg_test_put_ok (f, "award", "{" AWARD ",\"level\":\"village\",\"family_name\":\"张三家庭\"}"));
}

static void
test_household_must_exist (JgTestFixture       *f,
                           gconstpointer  data)
{
  jg_test_put_refused (f, "award", "{" AWARD ",\"level\":\"village\",\"household\":\"01890a5d-ac96-774b-bcce-b302099a8057\"}",
               JG_ERROR_NOT_FOUND, "household");
}

static void
test_steps_in_order (JgTestFixture       *f,
                     gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");

  refuse_state (f, id, "\"state\":\"public_notice\"", JG_ERROR_TRANSITION, "state");
  refuse_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"1\"", JG_ERROR_TRANSITION, "state");
  refuse_state (f, id, "\"state\":\"declined\",\"decline_reason\":\"x\"", JG_ERROR_TRANSITION, "state");
  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"nominated\"", JG_ERROR_TRANSITION, "state");
}

static void
test_notice_needs_consent (JgTestFixture       *f,
                           gconstpointer  data)
{
  g_autofree char *h = add_household (f, FALSE);
  g_autofree char *id = add_award (f, h, "village");
  g_autofree char *named = jg_test_put_ok (f, "award", "{" AWARD ",\"level\":\"village\",\"family_name\":\"张三家庭\"}");

  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"public_notice\"", JG_ERROR_CONSENT_REQUIRED, "state");
  /* A family named without a household record has no consent on file. */
  set_state (f, named, "\"state\":\"under_review\"");
  refuse_state (f, named, "\"state\":\"public_notice\"", JG_ERROR_CONSENT_REQUIRED, "state");
}

static void
test_notice_after_consent (JgTestFixture       *f,
                           gconstpointer  data)
{
  g_autofree char *h = add_household (f, FALSE);
  g_autofree char *id = add_award (f, h, "village");
  g_autofree char *consent = g_strdup_printf ("{\"id\":\"%s\",\"publicity_consent\":true}", h);

  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"public_notice\"", JG_ERROR_CONSENT_REQUIRED, "state");
  g_free (jg_test_put_ok (f, "household", consent));
  set_state (f, id, "\"state\":\"public_notice\"");
}

/* PIPL: while the family is named on a notice, its consent cannot be
 * taken back here; once the award is decided it can, and a withdrawn
 * consent keeps no time of the consent it replaced. */
static void
test_consent_kept_during_notice (JgTestFixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = award_in_notice (f, h, "village");
  g_autofree char *withdraw = g_strdup_printf ("{\"id\":\"%s\",\"publicity_consent\":false}", h);
  g_autoptr(JsonObject) household = NULL;

  jg_test_put_refused (f, "household", withdraw, JG_ERROR_CONSENT_REQUIRED, "publicity_consent");
  household = jg_test_get_record (f, "household", h);
  g_assert_true (json_object_get_boolean_member (household, "publicity_consent"));
  g_clear_pointer (&household, json_object_unref);

  set_state (f, id, "\"state\":\"declined\",\"decline_reason\":\"户主要求撤回\"");
  g_free (jg_test_put_ok (f, "household", withdraw));
  household = jg_test_get_record (f, "household", h);
  g_assert_false (json_object_get_boolean_member (household, "publicity_consent"));
  g_assert_true (json_object_get_null_member (household, "consent_at"));
}

static void
test_notice_dates_filled (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = award_in_notice (f, h, "village");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "award", id);

  /* Sunday 10 March: Monday, Tuesday, Wednesday. */
  g_assert_cmpstr (member (record, "state"), ==, "public_notice");
  g_assert_cmpstr (member (record, "notice_start"), ==, "2024-03-10");
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-13");
}

static void
test_notice_dates_given (JgTestFixture       *f,
                         gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  set_state (f, id, "\"state\":\"under_review\"");
  /* Put up on Friday 8 March (a notice never starts in the past). */
  f->now_ms = T_NOW - 2 * DAY_MS;
  refuse_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-08\",\"notice_end\":\"2024-03-07\"",
                JG_ERROR_INVALID, "notice_end");
  /* Friday 8 March, then Monday and Tuesday: the weekend is skipped. */
  set_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-08\"");
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-12");
}

static void
test_notice_working_days_configured (JgTestFixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JgConfig) saved = g_object_ref (jg_config_get_default ());
  g_autoptr(JgConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  config = jg_config_new_from_data ("{\"award\":{\"notice_working_days\":7},"
                                    "\"lists\":{\"award_types\":[\"most_beautiful_family\"]}}", -1, &error);
  g_assert_no_error (error);
  jg_config_set_default (config);
  set_state (f, id, "\"state\":\"under_review\"");
  set_state (f, id, "\"state\":\"public_notice\"");
  jg_config_set_default (saved);
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-19");
}

static void
test_notice_end_days (void)
{
  const struct { int d, m, y; guint n; int ed, em, ey; } cases[] = {
    /* The first day counts when it is a working day (Wednesday to Friday
     * is 3 working days, as a 公示 notice says). */
    { 11, 3, 2024, 3, 13, 3, 2024 },   /* Monday → Wednesday */
    { 13, 3, 2024, 3, 15, 3, 2024 },   /* Wednesday → Friday */
    { 8, 3, 2024, 3, 12, 3, 2024 },    /* Friday, Monday → Tuesday */
    { 9, 3, 2024, 3, 13, 3, 2024 },    /* Saturday → Wednesday */
    { 10, 3, 2024, 3, 13, 3, 2024 },   /* Sunday → Wednesday */
    { 8, 3, 2024, 0, 8, 3, 2024 },
    { 8, 3, 2024, 1, 8, 3, 2024 },     /* one working day: that Friday */
    { 29, 2, 2024, 5, 6, 3, 2024 },    /* Thursday, across the month end */
    { 31, 12, 2024, 2, 1, 1, 2025 },   /* across the year end */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate start, end;

      g_date_clear (&start, 1);
      g_date_set_dmy (&start, cases[i].d, cases[i].m, cases[i].y);
      jg_award_notice_end (&start, cases[i].n, &end);
      g_assert_cmpint (g_date_get_day (&end), ==, cases[i].ed);
      g_assert_cmpint (g_date_get_month (&end), ==, cases[i].em);
      g_assert_cmpint (g_date_get_year (&end), ==, cases[i].ey);
    }
}

static void
test_awarded_after_notice (JgTestFixture       *f,
                           gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = award_in_notice (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  refuse_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"", JG_ERROR_TRANSITION, "state");
  /* The last day of the notice is still the notice. */
  f->now_ms = T_NOW + 3 * DAY_MS;
  refuse_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"", JG_ERROR_TRANSITION, "state");
  f->now_ms = T_NOW + 4 * DAY_MS;
  refuse_state (f, id, "\"state\":\"awarded\"", JG_ERROR_REQUIRED, "certificate_no");
  set_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "state"), ==, "awarded");
  refuse_state (f, id, "\"state\":\"declined\",\"decline_reason\":\"x\"", JG_ERROR_TRANSITION, "state");
}

/* The rule a front end asks before it offers the grant is the one the
 * store applies to the step: they agree on every day of the notice. */
static void
test_may_grant (JgTestFixture       *f,
                gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *nominated = add_award (f, h, "village");
  g_autofree char *id = award_in_notice (f, h, "village");
  static const struct { gint64 offset; gboolean over; } days[] = {
    { 0, FALSE }, { 3 * DAY_MS, FALSE }, { 4 * DAY_MS, TRUE },
  };
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(JsonObject) record = jg_test_get_record (f, "award", nominated);

    g_assert_false (jg_award_may_grant (f->store, record, &error));
    g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
    g_clear_error (&error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autoptr(JsonObject) record = jg_test_get_record (f, "award", id);

      f->now_ms = T_NOW + days[i].offset;
      g_assert_cmpint (jg_award_may_grant (f->store, record, &error), ==, days[i].over);
      if (days[i].over)
        {
          g_assert_no_error (error);
          set_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
        }
      else
        {
          /* It says until when the notice runs. */
          g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
          g_assert_nonnull (strstr (error->message, "2024-03-13"));
          g_clear_error (&error);
          refuse_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"",
                        JG_ERROR_TRANSITION, "state");
        }
    }
  {
    g_autoptr(JsonObject) record = jg_test_get_record (f, "award", id);

    g_assert_false (jg_award_may_grant (f->store, record, &error));
    g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
  }
}

static void
test_declined_needs_reason (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autofree char *other = award_in_notice (f, h, "village");

  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"declined\"", JG_ERROR_REQUIRED, "decline_reason");
  set_state (f, id, "\"state\":\"declined\",\"decline_reason\":\"事迹材料不实\"");
  /* An objection during the notice ends it too. */
  set_state (f, other, "\"objections\":\"群众反映有违规建房\",\"state\":\"declined\",\"decline_reason\":\"公示有异议\"");
}

static void
test_ladder_needs_level_below (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *json = g_strdup_printf ("{" AWARD ",\"household\":\"%s\",\"level\":\"township\"}", h);
  g_autofree char *skip = g_strdup_printf ("{" AWARD ",\"household\":\"%s\",\"level\":\"county\"}", h);
  g_autofree char *village = NULL;

  jg_test_put_refused (f, "award", json, JG_ERROR_INVALID, "level");
  /* Nominated is not granted. */
  village = add_award (f, h, "village");
  jg_test_put_refused (f, "award", json, JG_ERROR_INVALID, "level");
  set_state (f, village, "\"state\":\"under_review\"");
  set_state (f, village, "\"state\":\"public_notice\"");
  f->now_ms += 7 * DAY_MS;
  set_state (f, village, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  g_free (jg_test_put_ok (f, "award", json));
  /* One rung at a time. */
  jg_test_put_refused (f, "award", skip, JG_ERROR_INVALID, "level");
}

static void
test_ladder_same_award_type (JgTestFixture       *f,
                             gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *village = award_granted (f, h, "village");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"award_type\":\"green_family\","
                                           "\"year\":2024,\"household\":\"%s\",\"level\":\"township\"}", h);

  jg_test_put_refused (f, "award", json, JG_ERROR_INVALID, "level");
}

static void
test_ladder_same_household (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *other = add_household (f, TRUE);
  g_autofree char *village = award_granted (f, h, "village");
  g_autofree char *json = g_strdup_printf ("{" AWARD ",\"household\":\"%s\",\"level\":\"township\"}", other);

  jg_test_put_refused (f, "award", json, JG_ERROR_INVALID, "level");
}

static void
test_ladder_on_level_change (JgTestFixture       *f,
                             gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");

  /* Raising the level of a nomination climbs the same ladder. */
  refuse_state (f, id, "\"level\":\"township\"", JG_ERROR_INVALID, "level");
}

/* DOMAIN.md: village staff nominate and submit for review; only a
 * reviewer of a unit above the award's puts it on notice, sets the notice
 * dates, grants or declines it. */
static void
test_decided_by_reviewer (JgTestFixture *f,
                          gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;

  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  id = add_award (f, h, "village");
  other = add_award (f, h, "village");
  set_state (f, id, "\"state\":\"under_review\"");
  set_state (f, other, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"public_notice\"", JG_ERROR_PERMISSION, "state");
  refuse_state (f, other, "\"state\":\"declined\",\"decline_reason\":\"x\"", JG_ERROR_PERMISSION, "state");

  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  set_state (f, id, "\"state\":\"public_notice\"");

  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  refuse_state (f, id, "\"notice_end\":\"2024-03-29\"", JG_ERROR_PERMISSION, "notice_end");
  f->now_ms = T_NOW + 7 * DAY_MS;
  refuse_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"", JG_ERROR_PERMISSION, "state");

  /* Township staff decide on their villages' awards, not on their own unit's. */
  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  set_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  set_state (f, other, "\"state\":\"declined\",\"decline_reason\":\"事迹材料不实\"");
}

/* The award's level is the awarding federation's: a township decides its
 * villages' awards and its own level's, not a county's; the county decides
 * the county's and records those decided above it. */
static void
test_decided_at_award_level (JgTestFixture *f,
                             gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *village = award_granted (f, h, "village");
  g_autofree char *township = NULL;
  g_autofree char *county = NULL;
  g_autofree char *city = NULL;

  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  township = add_award (f, h, "township");
  set_state (f, township, "\"state\":\"under_review\"");
  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  set_state (f, township, "\"state\":\"public_notice\"");
  f->now_ms += 7 * DAY_MS;
  set_state (f, township, "\"state\":\"awarded\",\"certificate_no\":\"LH-T-001\"");

  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  county = add_award (f, h, "county");
  set_state (f, county, "\"state\":\"under_review\"");
  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  refuse_state (f, county, "\"state\":\"public_notice\"", JG_ERROR_PERMISSION, "state");
  refuse_state (f, county, "\"state\":\"declined\",\"decline_reason\":\"名额已满\"", JG_ERROR_PERMISSION, "state");
  jg_test_set_actor (f, "county1", "county_reviewer", "331082");
  set_state (f, county, "\"state\":\"public_notice\"");
  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  f->now_ms += 7 * DAY_MS;
  refuse_state (f, county, "\"state\":\"awarded\",\"certificate_no\":\"LH-C-001\"", JG_ERROR_PERMISSION, "state");
  jg_test_set_actor (f, "county1", "county_reviewer", "331082");
  set_state (f, county, "\"state\":\"awarded\",\"certificate_no\":\"LH-C-001\"");

  /* A city's award, decided in the city, is recorded by the county. */
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  city = add_award (f, h, "city");
  set_state (f, city, "\"state\":\"under_review\"");
  jg_test_set_actor (f, "town1", "township_staff", "331082004");
  refuse_state (f, city, "\"state\":\"public_notice\"", JG_ERROR_PERMISSION, "state");
  jg_test_set_actor (f, "county1", "county_reviewer", "331082");
  set_state (f, city, "\"state\":\"public_notice\"");
}

/* A notice runs at least the configured working days and is not
 * back-dated: it may start the day before it is put up, not earlier. */
static void
test_notice_not_short_or_back_dated (JgTestFixture *f,
                                     gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-01\"",
                JG_ERROR_OUT_OF_RANGE, "notice_start");
  refuse_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-10\",\"notice_end\":\"2024-03-10\"",
                JG_ERROR_OUT_OF_RANGE, "notice_end");
  /* Saturday 9 March to Tuesday 12 is two working days. */
  refuse_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-09\",\"notice_end\":\"2024-03-12\"",
                JG_ERROR_OUT_OF_RANGE, "notice_end");
  set_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-09\"");
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-13");
}

/* Wednesday to Friday is a notice of 3 working days, as the office's
 * notice says it (exploratory test C): not refused as two. */
static void
test_notice_wednesday_to_friday (JgTestFixture *f,
                                 gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  set_state (f, id, "\"state\":\"under_review\"");
  refuse_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-13\",\"notice_end\":\"2024-03-14\"",
                JG_ERROR_OUT_OF_RANGE, "notice_end");
  set_state (f, id, "\"state\":\"public_notice\",\"notice_start\":\"2024-03-13\",\"notice_end\":\"2024-03-15\"");
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-15");
}

/* On notice the dates are not moved into the past or cut short (a notice
 * may run longer); before and after it they are not written at all. */
static void
test_notice_dates_kept (JgTestFixture *f,
                        gconstpointer  data)
{
  g_autofree char *h = add_household (f, TRUE);
  g_autofree char *id = add_award (f, h, "village");
  g_autoptr(JsonObject) record = NULL;

  refuse_state (f, id, "\"notice_start\":\"2024-03-10\",\"notice_end\":\"2024-03-20\"",
                JG_ERROR_TRANSITION, "notice_start");
  set_state (f, id, "\"state\":\"under_review\"");
  set_state (f, id, "\"state\":\"public_notice\"");
  f->now_ms = T_NOW + 2 * DAY_MS;
  refuse_state (f, id, "\"notice_start\":\"2024-03-01\"", JG_ERROR_OUT_OF_RANGE, "notice_start");
  refuse_state (f, id, "\"notice_end\":\"2024-03-11\"", JG_ERROR_OUT_OF_RANGE, "notice_end");
  set_state (f, id, "\"notice_end\":\"2024-03-15\"");
  f->now_ms = T_NOW + 6 * DAY_MS;
  set_state (f, id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  refuse_state (f, id, "\"notice_end\":\"2024-03-20\"", JG_ERROR_TRANSITION, "notice_end");
  record = jg_test_get_record (f, "award", id);
  g_assert_cmpstr (member (record, "notice_start"), ==, "2024-03-10");
  g_assert_cmpstr (member (record, "notice_end"), ==, "2024-03-15");
}

static void
test_can_transition (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_award_can_transition (NULL, "nominated", NULL));
  g_assert_true (jg_award_can_transition ("under_review", "declined", NULL));
  g_assert_true (jg_award_can_transition ("public_notice", "declined", NULL));
  g_assert_true (jg_award_can_transition ("awarded", "awarded", NULL));
  g_assert_false (jg_award_can_transition ("nominated", "declined", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
  g_assert_cmpstr (jg_error_get_field (error), ==, "state");
  g_assert_cmpint (jg_award_level_rank ("village"), ==, 0);
  g_assert_cmpint (jg_award_level_rank ("national"), ==, 5);
  g_assert_cmpint (jg_award_level_rank ("planet"), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/award/can-transition", test_can_transition);
  g_test_add_func ("/jg/award/notice-end-days", test_notice_end_days);
  ADD ("/jg/award/new-is-nominated", test_new_is_nominated);
  ADD ("/jg/award/may-grant", test_may_grant);
  ADD ("/jg/award/nominated-by-kept", test_nominated_by_kept);
  ADD ("/jg/award/new-cannot-skip-ahead", test_new_cannot_skip_ahead);
  ADD ("/jg/award/household-or-family-name", test_household_or_family_name);
  ADD ("/jg/award/household-must-exist", test_household_must_exist);
  ADD ("/jg/award/steps-in-order", test_steps_in_order);
  ADD ("/jg/award/notice-needs-consent", test_notice_needs_consent);
  ADD ("/jg/award/notice-after-consent", test_notice_after_consent);
  ADD ("/jg/award/consent-kept-during-notice", test_consent_kept_during_notice);
  ADD ("/jg/award/notice-dates-filled", test_notice_dates_filled);
  ADD ("/jg/award/notice-dates-given", test_notice_dates_given);
  ADD ("/jg/award/notice-working-days-configured", test_notice_working_days_configured);
  ADD ("/jg/award/awarded-after-notice", test_awarded_after_notice);
  ADD ("/jg/award/declined-needs-reason", test_declined_needs_reason);
  ADD ("/jg/award/ladder-needs-level-below", test_ladder_needs_level_below);
  ADD ("/jg/award/ladder-same-award-type", test_ladder_same_award_type);
  ADD ("/jg/award/ladder-same-household", test_ladder_same_household);
  ADD ("/jg/award/ladder-on-level-change", test_ladder_on_level_change);
  ADD ("/jg/award/decided-by-reviewer", test_decided_by_reviewer);
  ADD ("/jg/award/decided-at-award-level", test_decided_at_award_level);
  ADD ("/jg/award/notice-not-short-or-back-dated", test_notice_not_short_or_back_dated);
  ADD ("/jg/award/notice-wednesday-to-friday", test_notice_wednesday_to_friday);
  ADD ("/jg/award/notice-dates-kept", test_notice_dates_kept);

  return g_test_run ();
}
