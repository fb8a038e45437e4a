/* test-stats.c: the figures of an annual work report (jg-stats.h)
 *
 * A small county written by hand, where every figure is known, and a demo
 * county, where every figure is counted again record by record from
 * jg_store_list() and compared with the grouped queries.  The store is
 * local-only, so its user approves what the figures need approved.
 */

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include "jg-common.h"
#include "jg-demo.h"
#include "jg-error.h"
#include "jg-org-units.h"
#include "jg-review-queue.h"
#include "jg-rubric.h"
#include "jg-stats.h"
#include "jg-test-fixture.h"

#define VILLAGE_A  "331082004240"   /* 大田刘村委会, 大田街道 */
#define VILLAGE_A2 "331082004241"   /* 田俊村委会, 大田街道 */
#define VILLAGE_B  "331082001001"   /* 文化社区, 古城街道 */
#define TOWN_1     "331082004"
#define TOWN_2     "331082001"
#define COUNTY     "331082"

static void
import_units (JgTestFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_org_units_import_builtin (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
put_members (JgTestFixture *f,
             const char    *entity,
             const char    *id,
             const char    *members)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",%s}", id, members);

  g_free (jg_test_put_ok (f, entity, json));
}

/* Submitted and approved by the local user: only approved records count. */
static void
approve (JgTestFixture *f,
         const char    *entity,
         const char    *id)
{
  put_members (f, entity, id, "\"review_state\":\"submitted\"");
  put_members (f, entity, id, "\"review_state\":\"approved\"");
}

static char *
household (JgTestFixture *f,
           const char    *unit,
           gboolean       consent)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"head_name\":\"王芳\",\"member_count\":3%s}",
                                           unit, consent ? ",\"publicity_consent\":true" : "");
  char *id = jg_test_put_ok (f, "household", json);

  approve (f, "household", id);
  return id;
}

/* An approved record is deleted as its unit would: returned by the
 * reviewer first (jg_review_check_delete()). */
static void
delete_approved (JgTestFixture *f,
                 const char    *entity,
                 const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *back = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                           "\"review_note\":\"重复登记\"}", id);

  g_assert_false (jg_store_delete (f->store, entity, id, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
  g_clear_error (&error);
  g_free (jg_test_put_ok (f, entity, back));
  g_assert_true (jg_store_delete (f->store, entity, id, &error));
  g_assert_no_error (error);
}

/* Full marks but @overrides, submitted and approved by the local user.
 * With its inspectors, and a rectification deadline when a veto fails it:
 * an inspection is submitted only with what a reviewer needs
 * (jg_rubric_check_submit()). */
static char *
inspection (JgTestFixture *f,
            const char    *unit,
            const char    *household_id,
            const char    *date,
            const char    *overrides,
            const char    *vetoes)
{
  g_autofree char *json = NULL;
  char *id;

  json = g_strdup_printf ("{\"org_unit\":\"%s\",\"household\":\"%s\",\"inspected_at\":\"%s\","
                          "\"stage\":\"village\",\"review_state\":\"submitted\",\"inspectors\":[\"王芳\",\"李娟\"],"
                          "\"item_scores\":{\"R1\":6,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,"
                          "\"Y1\":7,\"Y2\":6,\"Y3\":6,\"Y4\":4,\"Y5\":4,\"Y6\":3,"
                          "\"K1\":5,\"K2\":4,\"K3\":7,\"K4\":4,"
                          "\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4,\"F5\":4,\"F6\":3}%s%s%s}",
                          unit, household_id, date, vetoes ? ",\"veto_hits\":" : "", vetoes ? vetoes : "",
                          vetoes ? ",\"rectify_by\":\"2025-06-30\"" : "");
  id = jg_test_put_ok (f, "inspection", json);
  if (overrides != NULL)
    put_members (f, "inspection", id, overrides);
  put_members (f, "inspection", id, "\"review_state\":\"approved\"");
  return id;
}

static char *
activity (JgTestFixture *f,
          const char    *unit,
          const char    *category,
          const char    *start_at,
          const char    *figures)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"title\":\"巾帼宣讲\",\"category\":\"%s\","
                                           "\"start_at\":\"%s\"%s%s}",
                                           unit, category, start_at, figures ? "," : "", figures ? figures : "");
  char *id = jg_test_put_ok (f, "activity", json);

  approve (f, "activity", id);
  return id;
}

static char *
service (JgTestFixture *f,
         const char    *unit,
         const char    *volunteer,
         gint64         minutes,
         const char    *served_at,
         gboolean       approve)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"volunteer\":\"%s\",\"minutes\":%" PRId64 ","
                                           "\"service_type\":\"care_visit\",\"served_at\":\"%s\","
                                           "\"review_state\":\"submitted\"}",
                                           unit, volunteer, minutes, served_at);
  char *id = jg_test_put_ok (f, "service_entry", json);

  if (approve)
    put_members (f, "service_entry", id, "\"review_state\":\"approved\"");
  return id;
}

/* Through review and its public notice, then past the notice. */
static char *
award (JgTestFixture *f,
       const char    *household_id,
       const char    *type,
       const char    *level,
       int            year,
       gboolean       grant)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"award_type\":\"%s\",\"level\":\"%s\",\"year\":%d}",
                                           household_id, type, level, year);
  char *id = jg_test_put_ok (f, "award", json);
  gint64 saved = f->now_ms;

  approve (f, "award", id);
  if (!grant)
    return id;
  put_members (f, "award", id, "\"state\":\"under_review\"");
  put_members (f, "award", id, "\"state\":\"public_notice\"");
  f->now_ms += 7 * DAY_MS;
  put_members (f, "award", id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-001\"");
  f->now_ms = saved;
  return id;
}

static JsonObject *
compute (JgTestFixture *f,
         const char    *code,
         int            year)
{
  g_autoptr(GError) error = NULL;
  JsonObject *stats = jg_stats_compute (f->store, code, year, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static JsonObject *
child (JsonObject *stats,
       const char *code)
{
  JsonArray *children = json_object_get_array_member (stats, "children");

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *c = json_array_get_object_element (children, i);

      if (strcmp (json_object_get_string_member (c, "code"), code) == 0)
        return c;
    }
  g_assert_not_reached ();
}

static gint64
int_at (JsonObject *figures,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *o = figures;
  guint i;

  for (i = 0; parts[i + 1] != NULL; i++)
    o = json_object_get_object_member (o, parts[i]);
  g_assert_true (json_object_has_member (o, parts[i]));
  return json_object_get_int_member (o, parts[i]);
}

static double
double_at (JsonObject *figures,
           const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *o = figures;
  guint i;

  for (i = 0; parts[i + 1] != NULL; i++)
    o = json_object_get_object_member (o, parts[i]);
  g_assert_true (json_object_has_member (o, parts[i]));
  return json_object_get_double_member (o, parts[i]);
}

/* The rows of a report, the children and the unit's own (本级), add up to
 * its total, in every figure that is a sum (a family holding awards in two
 * rows is one family of the unit, so awards.families is not one). */
static void
assert_rows_add_up (JsonObject *stats)
{
  static const char * const sums[] = {
    "households", "designated_households", "activities.count", "activities.beneficiaries",
    "activities.participants", "inspections.total", "volunteer_service.minutes", "awards.total",
    "not_approved.total",
  };
  JsonArray *children = json_object_get_array_member (stats, "children");
  JsonObject *own = json_object_has_member (stats, "own") ? json_object_get_object_member (stats, "own") : NULL;
  JsonObject *unit = json_object_get_object_member (stats, "unit");

  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    {
      gint64 sum = own ? int_at (own, sums[i]) : 0;

      for (guint c = 0; c < json_array_get_length (children); c++)
        sum += int_at (json_array_get_object_element (children, c), sums[i]);
      g_test_message ("%s adds up", sums[i]);
      g_assert_cmpint (sum, ==, int_at (unit, sums[i]));
    }
  {
    double funds = own ? double_at (own, "activities.funds_yuan") : 0;

    for (guint c = 0; c < json_array_get_length (children); c++)
      funds += double_at (json_array_get_object_element (children, c), "activities.funds_yuan");
    g_assert_cmpfloat_with_epsilon (funds, double_at (unit, "activities.funds_yuan"), 0.005);
  }
}

/* A small county with every figure known: two townships, three villages. */
static void
fill_county (JgTestFixture *f)
{
  g_autofree char *h1 = NULL, *h2 = NULL, *h3 = NULL, *h4 = NULL, *h5 = NULL, *h6 = NULL, *h7 = NULL;
  g_autofree char *i1 = NULL, *i2 = NULL, *i3 = NULL, *i4 = NULL, *i5 = NULL, *i6 = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *a4 = NULL, *a5 = NULL, *a6 = NULL;
  g_autofree char *v = NULL, *w = NULL;
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL, *rev = NULL;
  g_autofree char *rev_json = NULL, *draft_rev_json = NULL, *draft_rev = NULL;
  g_autofree char *aw1 = NULL, *aw2 = NULL, *aw3 = NULL, *aw4 = NULL;
  g_autoptr(GError) error = NULL;

  import_units (f);
  /* Mid-December 2024, so that the whole year has happened. */
  f->now_ms = T_NOW + 280 * DAY_MS;

  h1 = household (f, VILLAGE_A, TRUE);
  h2 = household (f, VILLAGE_A, FALSE);
  h3 = household (f, VILLAGE_A, FALSE);
  h4 = household (f, VILLAGE_A2, FALSE);
  h5 = household (f, VILLAGE_B, FALSE);
  h6 = household (f, VILLAGE_B, FALSE);
  h7 = household (f, VILLAGE_A, FALSE);
  delete_approved (f, "household", h7);

  /* 2024: 3★, 3★, 2★ (88 points), none (a veto); 2023 and a deleted one do not count. */
  i1 = inspection (f, VILLAGE_A, h1, "2024-03-01", NULL, NULL);
  i2 = inspection (f, VILLAGE_A, h2, "2024-03-02", NULL, NULL);
  i3 = inspection (f, VILLAGE_A2, h4, "2024-04-01", "\"item_scores\":{\"R1\":0,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,"
                   "\"Y1\":7,\"Y2\":6,\"Y3\":6,\"Y4\":4,\"Y5\":4,\"Y6\":3,\"K1\":0,\"K2\":4,\"K3\":7,\"K4\":4,"
                   "\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4,\"F5\":4,\"F6\":2}", NULL);
  i4 = inspection (f, VILLAGE_B, h5, "2024-05-01", NULL, "[\"V2\"]");
  i5 = inspection (f, VILLAGE_B, h6, "2023-06-01", NULL, NULL);
  i6 = inspection (f, VILLAGE_A, h3, "2024-06-01", NULL, NULL);
  delete_approved (f, "inspection", i6);
  {
    g_autoptr(JsonObject) r = jg_test_get_record (f, "inspection", i3);

    g_assert_cmpint (json_object_get_int_member (r, "star"), ==, 2);
  }

  /* Designated: h1; h2 was, and has been revoked. */
  {
    g_autofree char *j1 = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-06-01\"}", h1);
    g_autofree char *j2 = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-06-01\"}", h2);

    d1 = jg_test_put_ok (f, "designation", j1);
    d2 = jg_test_put_ok (f, "designation", j2);
    approve (f, "designation", d1);
    approve (f, "designation", d2);
    put_members (f, "designation", d2, "\"revoked\":true,\"revoked_reason\":\"回头看两次不合格\"");
  }

  a1 = activity (f, VILLAGE_A, "training", "2024-03-05T09:00",
                 "\"beneficiaries\":100,\"participants\":40,\"funds_yuan\":1000.5");
  a2 = activity (f, VILLAGE_A, "care_visit", "2024-05-12T14:00", "\"beneficiaries\":50,\"participants\":20");
  a3 = activity (f, TOWN_1, "training", "2024-05-20T09:00", "\"beneficiaries\":30");
  a4 = activity (f, VILLAGE_B, "outreach_talk", "2024-11-02T09:00",
                 "\"beneficiaries\":200,\"participants\":150,\"funds_yuan\":2000");
  a5 = activity (f, VILLAGE_A, "training", "2023-12-31T20:00", "\"beneficiaries\":70");
  a6 = activity (f, VILLAGE_A2, "training", "2024-05-01T09:00", "\"beneficiaries\":10");
  delete_approved (f, "activity", a6);

  v = jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"李梅\",\"gender\":\"female\"}");
  w = jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"" VILLAGE_B "\",\"name\":\"陈静\",\"gender\":\"female\"}");
  s1 = service (f, VILLAGE_A, v, 120, "2024-04-01T09:00", TRUE);
  s2 = service (f, VILLAGE_A, v, 60, "2024-04-02T09:00", TRUE);
  s3 = service (f, VILLAGE_A, v, 30, "2024-04-03T09:00", FALSE);
  s4 = service (f, VILLAGE_A, v, 90, "2023-11-01T09:00", TRUE);
  s5 = service (f, VILLAGE_B, w, 45, "2024-06-01T09:00", TRUE);
  rev_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                              "\"service_type\":\"care_visit\",\"served_at\":\"2024-04-02T09:00\","
                              "\"reverses\":\"%s\",\"reason\":\"录入重复\",\"review_state\":\"submitted\"}", v, s2);
  rev = jg_test_put_ok (f, "service_entry", rev_json);
  /* A reversal counts once approved (it was a draft here before reversals
   * needed approval), and a draft one takes nothing off: s1 stays in. */
  put_members (f, "service_entry", rev, "\"review_state\":\"approved\"");
  draft_rev_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":120,"
                                    "\"service_type\":\"care_visit\",\"served_at\":\"2024-04-01T09:00\","
                                    "\"reverses\":\"%s\",\"reason\":\"录入重复\"}", v, s1);
  draft_rev = jg_test_put_ok (f, "service_entry", draft_rev_json);

  aw1 = award (f, h1, "most_beautiful_family", "village", 2024, TRUE);
  aw2 = award (f, h1, "most_beautiful_family", "township", 2024, TRUE);
  aw3 = award (f, h1, "green_family", "village", 2024, FALSE);
  aw4 = award (f, h1, "five_good_family", "village", 2023, TRUE);

  /* Not approved (yet): left out of every figure, counted apart.  In
   * 大田街道: a household still a draft, a submitted activity of 2024 (and
   * one of 2023, out of the year), a submitted inspection, a returned
   * designation and a draft award; in 古城街道 a submitted service entry. */
  {
    g_autofree char *j = NULL;
    g_autofree char *id = NULL;
    g_autofree char *h8 = jg_test_put_ok (f, "household",
                                          "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"陈兰\",\"member_count\":2}");

    g_free (jg_test_put_ok (f, "activity", "{\"org_unit\":\"" VILLAGE_A "\",\"title\":\"未审\",\"category\":\"training\","
                                           "\"start_at\":\"2024-07-01T09:00\",\"beneficiaries\":999,\"review_state\":\"submitted\"}"));
    g_free (jg_test_put_ok (f, "activity", "{\"org_unit\":\"" VILLAGE_A "\",\"title\":\"未审\",\"category\":\"training\","
                                           "\"start_at\":\"2023-07-01T09:00\",\"beneficiaries\":999}"));
    j = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"inspected_at\":\"2024-08-01\","
                         "\"stage\":\"village\",\"review_state\":\"submitted\",\"item_scores\":{\"R1\":6},"
                         /* failed: submitted with who inspected and a deadline */
                         "\"inspectors\":[\"王芳\"],\"rectify_by\":\"2024-10-01\"}", h3);
    g_free (jg_test_put_ok (f, "inspection", j));
    g_free (j);
    j = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"level\":\"village\","
                         "\"valid_from\":\"2024-06-01\",\"review_state\":\"submitted\"}", h4);
    id = jg_test_put_ok (f, "designation", j);
    put_members (f, "designation", id, "\"review_state\":\"returned\",\"review_note\":\"分数不够\"");
    g_free (jg_test_put_ok (f, "award", "{\"org_unit\":\"" VILLAGE_A "\",\"family_name\":\"张三家庭\","
                                        "\"award_type\":\"green_family\",\"level\":\"village\",\"year\":2024}"));
    g_free (service (f, VILLAGE_B, w, 30, "2024-06-02T09:00", FALSE));
  }
}

/* An award's own workflow, nominated to awarded, is its decision: awarded,
 * it counts whatever its review state says, and is not "waiting". */
static void
test_award_counts_when_awarded (JgTestFixture *f,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *h = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id = NULL;
  JsonObject *county;

  import_units (f);
  f->now_ms = T_NOW + 280 * DAY_MS;
  h = household (f, VILLAGE_A, TRUE);
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                          "\"award_type\":\"most_beautiful_family\",\"level\":\"village\",\"year\":2024}", h);
  id = jg_test_put_ok (f, "award", json);
  put_members (f, "award", id, "\"state\":\"under_review\"");
  put_members (f, "award", id, "\"state\":\"public_notice\"");
  f->now_ms += 7 * DAY_MS;
  put_members (f, "award", id, "\"state\":\"awarded\",\"certificate_no\":\"LH-2024-009\"");

  stats = compute (f, COUNTY, 2024);
  county = json_object_get_object_member (stats, "unit");
  g_assert_cmpint (int_at (county, "awards.total"), ==, 1);
  g_assert_cmpint (int_at (county, "not_approved.awards"), ==, 0);
}

/* 表彰家庭N户 counts families, each once: a household however many awards
 * it holds, a named family (no household record) by its name in its unit,
 * and a family whose awards lie under two children once in the unit. */
static void
test_award_families (JgTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  JsonObject *county;

  import_units (f);
  f->now_ms = T_NOW + 280 * DAY_MS;
  h1 = household (f, VILLAGE_A, TRUE);
  h2 = household (f, VILLAGE_A, TRUE);
  g_free (award (f, h1, "most_beautiful_family", "village", 2024, TRUE));
  g_free (award (f, h1, "green_family", "village", 2024, TRUE));
  g_free (award (f, h1, "most_beautiful_family", "township", 2024, TRUE));
  g_free (award (f, h2, "green_family", "village", 2024, TRUE));
  g_free (award (f, h2, "five_good_family", "village", 2024, FALSE));   /* not awarded */
  g_free (award (f, h2, "five_good_family", "village", 2023, TRUE));    /* another year */

  stats = compute (f, COUNTY, 2024);
  county = json_object_get_object_member (stats, "unit");
  g_assert_cmpint (int_at (county, "awards.total"), ==, 4);
  g_assert_cmpint (int_at (county, "awards.families"), ==, 2);
  g_assert_cmpint (int_at (county, "awards.by_type.most_beautiful_family"), ==, 2);
  g_assert_cmpint (int_at (child (stats, TOWN_1), "awards.families"), ==, 2);
  g_assert_cmpint (int_at (child (stats, TOWN_2), "awards.families"), ==, 0);
}

static void
test_known_county (JgTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *county, *t1, *t2;

  fill_county (f);
  stats = compute (f, COUNTY, 2024);
  g_assert_cmpint (json_object_get_int_member (stats, "year"), ==, 2024);
  county = json_object_get_object_member (stats, "unit");
  g_assert_cmpstr (json_object_get_string_member (county, "code"), ==, COUNTY);
  g_assert_cmpstr (json_object_get_string_member (county, "level"), ==, "county");
  /* Every township of the county is a row, with records or not. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stats, "children")), ==, 19);
  t1 = child (stats, TOWN_1);
  t2 = child (stats, TOWN_2);

  {
    const struct
    {
      const char *figure;
      gint64      county, t1, t2;
    } ints[] = {
      { "households", 7, 5, 2 },   /* the draft one too: the register */
      { "designated_households", 1, 1, 0 },
      { "inspections.total", 4, 3, 1 },
      { "inspections.by_star.0", 1, 0, 1 },
      { "inspections.by_star.1", 0, 0, 0 },
      { "inspections.by_star.2", 1, 1, 0 },
      { "inspections.by_star.3", 2, 2, 0 },
      { "activities.count", 4, 3, 1 },
      { "activities.beneficiaries", 380, 180, 200 },
      { "activities.participants", 210, 60, 150 },
      { "activities.by_category.training.count", 2, 2, -1 },
      { "activities.by_category.training.beneficiaries", 130, 130, -1 },
      { "activities.by_category.care_visit.count", 1, 1, -1 },
      { "activities.by_category.outreach_talk.beneficiaries", 200, -1, 200 },
      { "activities.by_month.03.count", 1, 1, 0 },
      { "activities.by_month.05.count", 2, 2, 0 },
      { "activities.by_month.05.beneficiaries", 80, 80, 0 },
      { "activities.by_month.11.beneficiaries", 200, 0, 200 },
      { "activities.by_month.12.count", 0, 0, 0 },
      { "volunteer_service.minutes", 165, 120, 45 },
      { "awards.total", 2, 2, 0 },
      { "awards.families", 1, 1, 0 },   /* both awarded awards went to h1 */
      { "awards.by_type.most_beautiful_family", 2, 2, -1 },
      { "awards.by_level.village", 1, 1, -1 },
      { "awards.by_level.township", 1, 1, -1 },
      { "not_approved.households", 1, 1, 0 },
      { "not_approved.activities", 1, 1, 0 },
      { "not_approved.inspections", 1, 1, 0 },
      { "not_approved.service_entries", 3, 2, 1 },   /* with the draft reversal of s1 */
      { "not_approved.designations", 1, 1, 0 },
      { "not_approved.awards", 1, 1, 0 },
      { "not_approved.total", 8, 7, 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
      {
        g_test_message ("%s", ints[i].figure);
        g_assert_cmpint (int_at (county, ints[i].figure), ==, ints[i].county);
        if (ints[i].t1 >= 0)
          g_assert_cmpint (int_at (t1, ints[i].figure), ==, ints[i].t1);
        if (ints[i].t2 >= 0)
          g_assert_cmpint (int_at (t2, ints[i].figure), ==, ints[i].t2);
      }
  }

  /* Only the categories, types and levels there are. */
  g_assert_false (json_object_has_member (json_object_get_object_member (json_object_get_object_member (t2, "activities"),
                                                                         "by_category"), "training"));
  g_assert_false (json_object_has_member (json_object_get_object_member (json_object_get_object_member (county, "awards"),
                                                                         "by_type"), "green_family"));
  g_assert_cmpfloat (double_at (county, "coverage_percent"), ==, 14.3);   /* 1 of all 7 */
  g_assert_cmpfloat (double_at (t1, "coverage_percent"), ==, 20.0);
  g_assert_cmpfloat (double_at (t2, "coverage_percent"), ==, 0.0);
  g_assert_cmpfloat (double_at (county, "activities.funds_yuan"), ==, 3000.5);
  g_assert_cmpfloat (double_at (county, "volunteer_service.hours"), ==, 2.8);
  g_assert_cmpfloat (double_at (t1, "volunteer_service.hours"), ==, 2.0);
}

static void
test_known_township (JgTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) padded = NULL;
  g_autoptr(JsonObject) last_year = NULL;
  JsonObject *town, *a, *a2;

  fill_county (f);
  stats = compute (f, TOWN_1, 2024);
  town = json_object_get_object_member (stats, "unit");
  a = child (stats, VILLAGE_A);
  a2 = child (stats, VILLAGE_A2);
  g_assert_cmpstr (json_object_get_string_member (town, "level"), ==, "township");
  g_assert_cmpstr (json_object_get_string_member (a, "level"), ==, "village");

  g_assert_cmpint (int_at (town, "households"), ==, 5);
  g_assert_cmpint (int_at (a, "households"), ==, 4);
  g_assert_cmpint (int_at (a2, "households"), ==, 1);
  g_assert_cmpfloat (double_at (a, "coverage_percent"), ==, 25.0);
  g_assert_cmpint (int_at (a2, "inspections.by_star.2"), ==, 1);
  /* The township's own activity counts for the township, not for a village. */
  g_assert_cmpint (int_at (town, "activities.count"), ==, 3);
  g_assert_cmpint (int_at (a, "activities.count"), ==, 2);
  g_assert_cmpint (int_at (a, "activities.beneficiaries"), ==, 150);
  g_assert_cmpint (int_at (a2, "activities.count"), ==, 0);
  g_assert_cmpint (int_at (a, "volunteer_service.minutes"), ==, 120);

  /* It has a row of its own (本级), so that the rows add up to the total;
   * the county has none, having no records of its own, and no village has
   * one (its own records are all it has). */
  {
    JsonObject *own = json_object_get_object_member (stats, "own");
    g_autoptr(JsonObject) county = compute (f, COUNTY, 2024);
    g_autoptr(JsonObject) village = compute (f, VILLAGE_A, 2024);

    g_assert_nonnull (own);
    g_assert_cmpstr (json_object_get_string_member (own, "code"), ==, TOWN_1);
    g_assert_cmpstr (json_object_get_string_member (own, "name"), ==,
                     json_object_get_string_member (town, "name"));
    g_assert_cmpint (int_at (own, "activities.count"), ==, 1);
    g_assert_cmpint (int_at (own, "activities.beneficiaries"), ==, 30);
    g_assert_cmpint (int_at (own, "activities.by_category.training.count"), ==, 1);
    g_assert_cmpint (int_at (own, "activities.by_month.05.count"), ==, 1);
    g_assert_cmpint (int_at (own, "households"), ==, 0);
    g_assert_cmpint (int_at (own, "volunteer_service.minutes"), ==, 0);
    g_assert_cmpint (int_at (own, "not_approved.total"), ==, 0);
    g_assert_cmpint (int_at (a, "activities.count") + int_at (a2, "activities.count") + int_at (own, "activities.count"),
                     ==, int_at (town, "activities.count"));
    g_assert_false (json_object_has_member (county, "own"));
    g_assert_false (json_object_has_member (village, "own"));
    assert_rows_add_up (stats);
    assert_rows_add_up (county);
  }

  /* The padded code names the same unit. */
  padded = compute (f, "331082004000", 2024);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (padded, "unit"), "code"), ==, TOWN_1);

  /* Another year, other figures; the households are now (the register),
   * the designations those in force when the year ended: h1's title,
   * valid from 2024-06-01, is not in 2023's report. */
  last_year = compute (f, TOWN_1, 2023);
  town = json_object_get_object_member (last_year, "unit");
  g_assert_cmpint (int_at (town, "households"), ==, 5);
  g_assert_cmpint (int_at (town, "designated_households"), ==, 0);
  g_assert_cmpint (int_at (town, "activities.count"), ==, 1);
  g_assert_cmpint (int_at (town, "activities.by_month.12.beneficiaries"), ==, 70);
  g_assert_cmpint (int_at (town, "volunteer_service.minutes"), ==, 90);
  g_assert_cmpint (int_at (town, "awards.by_type.five_good_family"), ==, 1);
  g_assert_cmpint (int_at (town, "inspections.total"), ==, 0);
}

static void
test_default_unit_and_year (JgTestFixture *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) by_default = NULL;
  g_autoptr(JsonObject) own = NULL;
  g_autoptr(JsonObject) village = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(GError) error = NULL;

  fill_county (f);
  /* No unit of its own: the county of the built-in slice; this year. */
  by_default = compute (f, NULL, 0);
  g_assert_cmpint (json_object_get_int_member (by_default, "year"), ==, 2024);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (by_default, "unit"), "code"),
                   ==, COUNTY);
  g_assert_cmpint (int_at (json_object_get_object_member (by_default, "unit"), "activities.count"), ==, 4);

  jg_store_set_meta (f->store, "org_unit", "331082004000", &error);
  g_assert_no_error (error);
  own = compute (f, NULL, 2024);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (own, "unit"), "code"), ==, TOWN_1);

  /* A village has no rows below it. */
  village = compute (f, VILLAGE_A, 2024);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (village, "children")), ==, 0);
  g_assert_cmpint (int_at (json_object_get_object_member (village, "unit"), "households"), ==, 4);

  missing = jg_stats_compute (f->store, "339999", 2024, &error);
  g_assert_null (missing);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
}

/* ---- a demo county, counted again record by record -------------------- */

static gboolean
in_year (const char *value,
         int         year)
{
  char prefix[8];

  g_snprintf (prefix, sizeof prefix, "%04d-", year);
  return value != NULL && g_str_has_prefix (value, prefix);
}

static JsonArray *
list_all (JgTestFixture *f,
          const char    *entity)
{
  g_autoptr(GError) error = NULL;
  JgListQuery query = { 0 };
  JsonArray *records = jg_store_list (f->store, entity, &query, &error);

  g_assert_no_error (error);
  return records;
}

static gboolean
is_approved (JsonObject *record)
{
  return g_strcmp0 (json_object_get_string_member (record, "review_state"), "approved") == 0;
}

static void
test_demo_recounted (JgTestFixture *f,
                     gconstpointer  data)
{
  JgDemoOptions options = { .households = 300, .seed = 7, .year = 2023 };
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonArray) households = NULL;
  g_autoptr(JsonArray) activities = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(JsonArray) inspections = NULL;
  g_autoptr(JsonArray) awards = NULL;
  g_autoptr(GHashTable) reversed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  JsonArray *children;
  int year;

  import_units (f);
  summary = jg_demo_generate (f->store, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  year = (int) json_object_get_int_member (summary, "year");
  stats = compute (f, COUNTY, year);
  children = json_object_get_array_member (stats, "children");

  households = list_all (f, "household");
  activities = list_all (f, "activity");
  entries = list_all (f, "service_entry");
  inspections = list_all (f, "inspection");
  awards = list_all (f, "award");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      /* Only an approved reversal cancels its entry. */
      if (json_object_has_member (e, "reverses") && !json_object_get_null_member (e, "reverses") &&
          is_approved (e))
        g_hash_table_add (reversed, g_strdup (json_object_get_string_member (e, "reverses")));
    }

  /* Every township, and the county as the whole. */
  for (guint t = 0; t <= json_array_get_length (children); t++)
    {
      JsonObject *row = t < json_array_get_length (children)
                          ? json_array_get_object_element (children, t)
                          : json_object_get_object_member (stats, "unit");
      const char *code = json_object_get_string_member (row, "code");
      gint64 n_not_approved = 0;
      gint64 n_households = 0, n_activities = 0, beneficiaries = 0, minutes = 0, n_awards = 0;
      gint64 stars[4] = { 0 };
      gint64 designated = -1, covered = -1;
      g_autofree char *path = jg_org_units_path_for_code (f->store, code);

      for (guint i = 0; i < json_array_get_length (households); i++)
        n_households += g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (households, i), "org_unit"), code);
      for (guint i = 0; i < json_array_get_length (activities); i++)
        {
          JsonObject *a = json_array_get_object_element (activities, i);

          if (!g_str_has_prefix (json_object_get_string_member (a, "org_unit"), code) ||
              !in_year (json_object_get_string_member (a, "start_at"), year))
            continue;
          if (!is_approved (a))
            {
              n_not_approved++;
              continue;
            }
          n_activities++;
          beneficiaries += json_object_get_int_member_with_default (a, "beneficiaries", 0);
        }
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *e = json_array_get_object_element (entries, i);

          if (g_str_has_prefix (json_object_get_string_member (e, "org_unit"), code) &&
              in_year (json_object_get_string_member (e, "served_at"), year) &&
              g_strcmp0 (json_object_get_string_member (e, "review_state"), "approved") == 0 &&
              (!json_object_has_member (e, "reverses") || json_object_get_null_member (e, "reverses")) &&
              !g_hash_table_contains (reversed, json_object_get_string_member (e, "id")))
            minutes += json_object_get_int_member (e, "minutes");
        }
      for (guint i = 0; i < json_array_get_length (inspections); i++)
        {
          JsonObject *r = json_array_get_object_element (inspections, i);

          if (g_str_has_prefix (json_object_get_string_member (r, "org_unit"), code) &&
              in_year (json_object_get_string_member (r, "inspected_at"), year) && is_approved (r))
            stars[json_object_get_int_member_with_default (r, "star", 0)]++;
        }
      for (guint i = 0; i < json_array_get_length (awards); i++)
        {
          JsonObject *r = json_array_get_object_element (awards, i);

          if (g_str_has_prefix (json_object_get_string_member (r, "org_unit"), code) &&
              json_object_get_int_member (r, "year") == year && is_approved (r) &&
              g_strcmp0 (json_object_get_string_member (r, "state"), "awarded") == 0)
            n_awards++;
        }
      g_assert_true (jg_rubric_designation_coverage (f->store, path, &designated, &covered, &error));
      g_assert_no_error (error);

      g_test_message ("unit %s", code);
      g_assert_cmpint (int_at (row, "households"), ==, n_households);
      g_assert_cmpint (int_at (row, "households"), ==, covered);
      g_assert_cmpint (int_at (row, "designated_households"), ==, designated);
      g_assert_cmpint (int_at (row, "activities.count"), ==, n_activities);
      g_assert_cmpint (int_at (row, "not_approved.activities"), ==, n_not_approved);
      g_assert_cmpint (int_at (row, "activities.beneficiaries"), ==, beneficiaries);
      g_assert_cmpint (int_at (row, "volunteer_service.minutes"), ==, minutes);
      g_assert_cmpint (int_at (row, "awards.total"), ==, n_awards);
      for (int s = 0; s <= 3; s++)
        {
          char key[32];

          g_snprintf (key, sizeof key, "inspections.by_star.%d", s);
          g_assert_cmpint (int_at (row, key), ==, stars[s]);
        }
    }
  /* Each township's villages and its own records (本级: the demo's
   * township activities) add up to the township; the own row holds exactly
   * the records of the township's own code. */
  assert_rows_add_up (stats);
  {
    guint with_own = 0;

    for (guint t = 0; t < json_array_get_length (children); t++)
      {
        const char *code = json_object_get_string_member (json_array_get_object_element (children, t), "code");
        g_autoptr(JsonObject) town = compute (f, code, year);
        JsonObject *own = json_object_has_member (town, "own") ? json_object_get_object_member (town, "own") : NULL;
        gint64 n_own = 0, own_beneficiaries = 0;

        assert_rows_add_up (town);
        for (guint i = 0; i < json_array_get_length (activities); i++)
          {
            JsonObject *a = json_array_get_object_element (activities, i);

            if (strcmp (json_object_get_string_member (a, "org_unit"), code) == 0 && is_approved (a) &&
                in_year (json_object_get_string_member (a, "start_at"), year))
              {
                n_own++;
                own_beneficiaries += json_object_get_int_member_with_default (a, "beneficiaries", 0);
              }
          }
        if (own == NULL)
          {
            g_assert_cmpint (n_own, ==, 0);
            continue;
          }
        with_own++;
        g_assert_cmpstr (json_object_get_string_member (own, "code"), ==, code);
        g_assert_cmpint (int_at (own, "activities.count"), ==, n_own);
        g_assert_cmpint (int_at (own, "activities.beneficiaries"), ==, own_beneficiaries);
      }
    g_assert_cmpuint (with_own, >, 0);
  }

  /* The demo is not empty, or the comparison proves nothing. */
  g_assert_cmpint (int_at (json_object_get_object_member (stats, "unit"), "activities.count"), >, 0);
  g_assert_cmpint (int_at (json_object_get_object_member (stats, "unit"), "designated_households"), >, 0);
  g_assert_cmpint (int_at (json_object_get_object_member (stats, "unit"), "volunteer_service.minutes"), >, 0);
  /* Nor without records waiting for review, or leaving them out proves nothing. */
  g_assert_cmpint (int_at (json_object_get_object_member (stats, "unit"), "not_approved.activities"), >, 0);
}

/* Another laptop deleted @id while this one added records to it: the
 * deletion arrives by sync (jg_store_delete() here would refuse it). */
static void
delete_elsewhere (JgTestFixture *f,
                  const char    *entity,
                  const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  JgChange *change = jg_change_new ();

  change->replica = g_strdup ("d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0");
  change->counter = 1;
  change->entity = g_strdup (entity);
  change->record = g_strdup (id);
  change->field = g_strdup ("deleted");
  change->value = g_strdup ("true");
  change->hlc = jg_hlc_now (jg_store_get_hlc (f->store));
  change->author = g_strdup ("local");
  g_ptr_array_add (changes, change);
  g_assert_true (jg_store_apply_changes (f->store, changes, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
queue_count (JgTestFixture *f,
             const char    *entity,
             const char    *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = jg_review_queue_units (f->store, entity, COUNTY, state, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return json_object_get_int_member (root, "count");
}

/* A household deleted on one laptop while another added its inspection
 * and award: both laptops end with the household deleted and its records
 * live, and the figures, the review queues and the lists leave the records
 * out with their household. */
static void
test_deleted_household_takes_its_records (JgTestFixture *f,
                                          gconstpointer  data)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *h = NULL, *i = NULL, *aw = NULL, *waiting = NULL, *json = NULL;
  JgListQuery query = { 0 };
  JgListQuery all = { .include_deleted = TRUE };
  JsonObject *unit;

  import_units (f);
  f->now_ms = T_NOW + 280 * DAY_MS;
  h = household (f, VILLAGE_A, TRUE);
  i = inspection (f, VILLAGE_A, h, "2024-03-01", NULL, NULL);
  aw = award (f, h, "most_beautiful_family", "village", 2024, TRUE);
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"inspected_at\":\"2024-09-01\","
                          "\"stage\":\"village\",\"inspectors\":[\"王芳\"],\"item_scores\":{\"R1\":6},"
                          "\"rectify_by\":\"2024-12-31\"}", h);
  waiting = jg_test_put_ok (f, "inspection", json);
  put_members (f, "inspection", waiting, "\"review_state\":\"submitted\"");

  before = compute (f, COUNTY, 2024);
  unit = json_object_get_object_member (before, "unit");
  g_assert_cmpint (int_at (unit, "households"), ==, 1);
  g_assert_cmpint (int_at (unit, "inspections.total"), ==, 1);
  g_assert_cmpint (int_at (unit, "inspections.by_star.3"), ==, 1);
  g_assert_cmpint (int_at (unit, "awards.total"), ==, 1);
  g_assert_cmpint (int_at (unit, "awards.families"), ==, 1);
  g_assert_cmpint (int_at (unit, "not_approved.inspections"), ==, 1);
  g_assert_cmpint (queue_count (f, "inspection", "submitted"), ==, 1);
  g_assert_cmpint (jg_store_count (f->store, "inspection", &query, NULL, &error), ==, 2);

  /* Here the household cannot go while they are live. */
  g_assert_false (jg_store_delete (f->store, "household", h, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_IN_USE);
  g_clear_error (&error);

  f->now_ms += 8 * DAY_MS;  /* past the award's notice, where its clock went */
  delete_elsewhere (f, "household", h);
  after = compute (f, COUNTY, 2024);
  assert_rows_add_up (after);
  unit = json_object_get_object_member (after, "unit");
  g_assert_cmpint (int_at (unit, "households"), ==, 0);
  g_assert_cmpint (int_at (unit, "inspections.total"), ==, 0);
  g_assert_cmpint (int_at (unit, "inspections.by_star.3"), ==, 0);
  g_assert_cmpint (int_at (unit, "awards.total"), ==, 0);
  g_assert_cmpint (int_at (unit, "awards.families"), ==, 0);
  g_assert_cmpint (int_at (unit, "not_approved.inspections"), ==, 0);
  g_assert_cmpint (int_at (unit, "not_approved.total"), ==, 0);
  g_assert_cmpint (queue_count (f, "inspection", "submitted"), ==, 0);
  g_assert_cmpint (jg_store_count (f->store, "inspection", &query, NULL, &error), ==, 0);
  g_assert_cmpint (jg_store_count (f->store, "award", &query, NULL, &error), ==, 0);
  g_assert_no_error (error);
  /* Nothing is lost: with the tombstones they are all there. */
  g_assert_cmpint (jg_store_count (f->store, "inspection", &all, NULL, &error), ==, 2);
  g_assert_cmpint (jg_store_count (f->store, "award", &all, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/jg/stats/known-county", test_known_county);
  ADD ("/jg/stats/award-counts-when-awarded", test_award_counts_when_awarded);
  ADD ("/jg/stats/award-families", test_award_families);
  ADD ("/jg/stats/known-township", test_known_township);
  ADD ("/jg/stats/default-unit-and-year", test_default_unit_and_year);
  ADD ("/jg/stats/demo-recounted", test_demo_recounted);
  ADD ("/jg/stats/deleted-household-takes-its-records", test_deleted_household_takes_its_records);

  return g_test_run ();
}
