/* test-rubric.c: the courtyard rubric, inspection scoring and designations
 *
 * Approvals come from a made-up county reviewer's replica through
 * jg_store_apply_changes(): received changes are merged without the local
 * rules, as in sync, so these tests do not depend on who may approve here.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-rubric.h"
#include "jg-store-private.h"

#define REVIEWER_REPLICA "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0"
#define VILLAGE "331082004240"

typedef struct
{
  JgStore *store;
  gint64   reviewer_counter;
} Fixture;

/* ---- helpers ----------------------------------------------------------- */

static JsonObject *
object_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
array_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static JgRubric *
default_rubric (void)
{
  g_autoptr(GError) error = NULL;
  JgRubric *rubric = jg_rubric_lookup (NULL, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rubric);
  return rubric;
}

/* Full marks everywhere, then the given items overridden. */
static JsonObject *
scores_with (JgRubric   *rubric,
             const char *overrides)
{
  JsonObject *scores = json_object_new ();
  g_autoptr(JsonObject) extra = object_from (overrides ? overrides : "{}");
  g_autoptr(GList) members = json_object_get_members (extra);

  for (guint s = 0; s < jg_rubric_get_n_sections (rubric); s++)
    for (guint i = 0; i < jg_rubric_get_n_items (rubric, s); i++)
      {
        const JgRubricEntry *item = jg_rubric_get_item (rubric, s, i);

        json_object_set_double_member (scores, item->code, item->max);
      }
  for (GList *l = members; l; l = l->next)
    json_object_set_member (scores, l->data,
                            json_node_copy (json_object_get_member (extra, l->data)));
  return scores;
}

static double
section_total (JsonObject *totals,
               const char *section)
{
  JsonNode *node = json_object_get_member (totals, section);

  g_assert_nonnull (node);
  return json_node_get_double (node);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "rubric.db", NULL);
  f->store = jg_store_open (path, JG_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (jg_store_set_username (f->store, "wang", &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->store);
}

static char *
put_ok (Fixture    *f,
        const char *entity,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = object_from (json);
  char *id = jg_store_put (f->store, entity, fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
put_fails (Fixture     *f,
           const char  *entity,
           JsonObject  *fields,
           int          code,
           const char  *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = jg_store_put (f->store, entity, fields, &error);

  g_assert_null (id);
  g_assert_error (error, JG_ERROR, code);
  g_assert_cmpstr (jg_error_get_field (error), ==, field);
}

static char *
add_household (Fixture *f)
{
  return put_ok (f, "household",
                 "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"王芳\",\"member_count\":4}");
}

/* An inspection with full marks except @overrides. */
static char *
add_inspection (Fixture    *f,
                const char *household,
                const char *date,
                const char *stage,
                const char *overrides,
                const char *vetoes)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (fields, "org_unit", VILLAGE);
  json_object_set_string_member (fields, "household", household);
  json_object_set_string_member (fields, "inspected_at", date);
  json_object_set_string_member (fields, "stage", stage);
  json_object_set_object_member (fields, "item_scores", scores_with (rubric, overrides));
  if (vetoes != NULL)
    json_object_set_array_member (fields, "veto_hits", array_from (vetoes));
  id = jg_store_put (f->store, "inspection", fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static JsonObject *
get_record (Fixture    *f,
            const char *entity,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = jg_store_get (f->store, entity, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* The county reviewer's approval, arriving as a synced change. */
static void
approve (Fixture    *f,
         const char *entity,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = jg_store_changes_since (f->store, 0, 0, NULL, &error);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  g_autoptr(JsonObject) record = NULL;
  JgChange *change = jg_change_new ();
  gint64 base = 0, rbase = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      JgChange *c = log->pdata[i];

      if (strcmp (c->record, id) != 0)
        continue;
      rbase = MAX (rbase, c->hlc);
      if (strcmp (c->field, "review_state") == 0)
        base = MAX (base, c->hlc);
    }

  change->replica = g_strdup (REVIEWER_REPLICA);
  change->counter = ++f->reviewer_counter;
  change->entity = g_strdup (entity);
  change->record = g_strdup (id);
  change->field = g_strdup ("review_state");
  change->value = g_strdup ("\"approved\"");
  change->hlc = jg_hlc_now (jg_store_get_hlc (f->store));
  change->base = base;
  change->rbase = rbase;
  change->author = g_strdup ("county_reviewer");
  g_ptr_array_add (changes, change);

  g_assert_true (jg_store_apply_changes (f->store, changes, NULL, NULL, &error));
  g_assert_no_error (error);

  record = get_record (f, entity, id);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, "approved");
}

/* Another laptop deleted the record (the household of a designation this
 * one holds): a deletion arrives by sync, where jg_store_delete() would
 * refuse it here. */
static void
delete_elsewhere (Fixture    *f,
                  const char *entity,
                  const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  JgChange *change = jg_change_new ();

  change->replica = g_strdup (REVIEWER_REPLICA);
  change->counter = ++f->reviewer_counter;
  change->entity = g_strdup (entity);
  change->record = g_strdup (id);
  change->field = g_strdup ("deleted");
  change->value = g_strdup ("true");
  change->hlc = jg_hlc_now (jg_store_get_hlc (f->store));
  change->author = g_strdup ("county_reviewer");
  g_ptr_array_add (changes, change);

  g_assert_true (jg_store_apply_changes (f->store, changes, NULL, NULL, &error));
  g_assert_no_error (error);
}

static char *
add_approved_inspection (Fixture    *f,
                         const char *household,
                         const char *date,
                         const char *overrides)
{
  char *id = add_inspection (f, household, date, "village", overrides, NULL);

  approve (f, "inspection", id);
  return id;
}

static char *
designate (Fixture    *f,
           const char *household,
           const char *level,
           const char *valid_from)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"%s\",\"valid_from\":\"%s\"}",
                                           household, level, valid_from);

  return put_ok (f, "designation", json);
}

static void
designate_fails (Fixture    *f,
                 const char *household,
                 const char *level,
                 const char *valid_from,
                 int         code,
                 const char *field)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"%s\",\"valid_from\":\"%s\"}",
                                           household, level, valid_from);
  g_autoptr(JsonObject) fields = object_from (json);

  put_fails (f, "designation", fields, code, field);
}

/* A rubric "v2" of four-beauty: the room section weighs 35 and the family
 * ethos 15, so that scores under the two versions differ. */
static const char v2_rubric[] =
  "{\"id\":\"four-beauty\",\"version\":2,\"label\":\"Four beauties 2\",\"label_zh\":\"四美第二版\","
  "\"sections\":["
  " {\"code\":\"room\",\"label\":\"Rooms\",\"label_zh\":\"居室美\",\"max\":35,\"items\":["
  "  {\"code\":\"R1\",\"label\":\"Clean\",\"label_zh\":\"干净\",\"max\":20},"
  "  {\"code\":\"R2\",\"label\":\"Tidy\",\"label_zh\":\"整齐\",\"max\":15}]},"
  " {\"code\":\"yard\",\"label\":\"Yard\",\"label_zh\":\"庭院美\",\"max\":30,\"items\":["
  "  {\"code\":\"Y1\",\"label\":\"Clean\",\"label_zh\":\"干净\",\"max\":30}]},"
  " {\"code\":\"kitchen_toilet\",\"label\":\"Kitchen\",\"label_zh\":\"厨厕美\",\"max\":20,\"items\":["
  "  {\"code\":\"K1\",\"label\":\"Clean\",\"label_zh\":\"干净\",\"max\":20}]},"
  " {\"code\":\"family_ethos\",\"label\":\"Ethos\",\"label_zh\":\"家风美\",\"max\":15,\"items\":["
  "  {\"code\":\"F1\",\"label\":\"Harmony\",\"label_zh\":\"和睦\",\"max\":15}]}],"
  "\"veto_items\":[{\"code\":\"V1\",\"label\":\"Crime\",\"label_zh\":\"违法\"}],"
  "\"thresholds\":{\"pass\":60,\"stars\":[70,80,90],\"section_min_percent\":60},"
  "\"designation\":{\"min_total\":{\"village\":80}}}";

/* ---- the rubric as data ------------------------------------------------ */

static void
test_default_shape (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  static const struct { const char *code; double max; guint n_items; } sections[] = {
    { "room", 25, 5 }, { "yard", 30, 6 }, { "kitchen_toilet", 20, 4 }, { "family_ethos", 25, 6 },
  };

  g_assert_cmpstr (jg_rubric_get_id (rubric), ==, "four-beauty");
  g_assert_cmpint (jg_rubric_get_version (rubric), ==, 1);
  g_assert_cmpfloat (jg_rubric_get_max_total (rubric), ==, 100);
  g_assert_cmpuint (jg_rubric_get_n_sections (rubric), ==, G_N_ELEMENTS (sections));
  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      const JgRubricEntry *section = jg_rubric_get_section (rubric, s);
      double sum = 0;

      g_assert_cmpstr (section->code, ==, sections[s].code);
      g_assert_cmpfloat (section->max, ==, sections[s].max);
      g_assert_nonnull (section->label);
      g_assert_nonnull (section->label_zh);
      g_assert_cmpuint (jg_rubric_get_n_items (rubric, s), ==, sections[s].n_items);
      for (guint i = 0; i < sections[s].n_items; i++)
        {
          const JgRubricEntry *item = jg_rubric_get_item (rubric, s, i);

          g_assert_true (g_utf8_validate (item->label_zh, -1, NULL));
          g_assert_cmpuint (strlen (item->label), >, 0);
          sum += item->max;
        }
      g_assert_cmpfloat (sum, ==, section->max);
    }
  g_assert_cmpstr (jg_rubric_get_section (rubric, 0)->label_zh, ==, "居室美");
  g_assert_cmpstr (jg_rubric_get_item (rubric, 0, 0)->label_zh, ==, "地面、墙面、门窗干净整洁");
}

static void
test_default_items (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  static const struct { const char *code; double max; guint section; } items[] = {
    { "R1", 6, 0 }, { "R2", 6, 0 }, { "R3", 5, 0 }, { "R4", 4, 0 }, { "R5", 4, 0 },
    { "Y1", 7, 1 }, { "Y2", 6, 1 }, { "Y3", 6, 1 }, { "Y4", 4, 1 }, { "Y5", 4, 1 }, { "Y6", 3, 1 },
    { "K1", 5, 2 }, { "K2", 4, 2 }, { "K3", 7, 2 }, { "K4", 4, 2 },
    { "F1", 6, 3 }, { "F2", 4, 3 }, { "F3", 4, 3 }, { "F4", 4, 3 }, { "F5", 4, 3 }, { "F6", 3, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      guint section = 99;
      const JgRubricEntry *item = jg_rubric_find_item (rubric, items[i].code, &section);

      g_assert_nonnull (item);
      g_assert_cmpfloat (item->max, ==, items[i].max);
      g_assert_cmpuint (section, ==, items[i].section);
    }
  g_assert_null (jg_rubric_find_item (rubric, "room", NULL));
  g_assert_null (jg_rubric_find_item (rubric, "V1", NULL));
}

static void
test_default_vetoes_thresholds (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  double min = 0;

  g_assert_cmpuint (jg_rubric_get_n_vetoes (rubric), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *code = g_strdup_printf ("V%u", i + 1);

      g_assert_cmpstr (jg_rubric_get_veto (rubric, i)->code, ==, code);
      g_assert_nonnull (jg_rubric_get_veto (rubric, i)->label_zh);
    }
  g_assert_cmpfloat (jg_rubric_get_pass_mark (rubric), ==, 60);
  g_assert_cmpuint (jg_rubric_get_n_stars (rubric), ==, 3);
  g_assert_cmpfloat (jg_rubric_get_star_threshold (rubric, 1), ==, 70);
  g_assert_cmpfloat (jg_rubric_get_star_threshold (rubric, 2), ==, 80);
  g_assert_cmpfloat (jg_rubric_get_star_threshold (rubric, 3), ==, 90);
  g_assert_cmpuint (jg_rubric_get_section_min_percent (rubric), ==, 60);

  g_assert_true (jg_rubric_get_designation_min (rubric, "village", &min));
  g_assert_cmpfloat (min, ==, 85);
  g_assert_true (jg_rubric_get_designation_min (rubric, "township", &min));
  g_assert_cmpfloat (min, ==, 90);
  g_assert_true (jg_rubric_get_designation_min (rubric, "county", &min));
  g_assert_cmpfloat (min, ==, 92);
  /* No own minimum: at least what the level below asks. */
  g_assert_true (jg_rubric_get_designation_min (rubric, "province", &min));
  g_assert_cmpfloat (min, ==, 92);
  g_assert_false (jg_rubric_get_designation_min (rubric, "galaxy", &min));
  g_assert_true (jg_rubric_get_level_below_first (rubric));
}

static void
test_load_malformed (void)
{
  static const char * const broken[] = {
    "[]",
    "{\"version\":1,\"sections\":[]}",
    /* no version */
    "{\"id\":\"x\",\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":5,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]}}",
    /* items do not add up to the section */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":6,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]}}",
    /* a code twice */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":10,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5},"
    "{\"code\":\"A1\",\"label\":\"b\",\"label_zh\":\"乙\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]}}",
    /* stars not rising */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":5,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4,4]}}",
    /* a maximum in quarter points */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":5.25,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5.25}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]}}",
    /* no Chinese label */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"max\":5,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]}}",
    /* a designation level that does not exist */
    "{\"id\":\"x\",\"version\":1,\"sections\":[{\"code\":\"a\",\"label\":\"A\",\"label_zh\":\"甲\",\"max\":5,"
    "\"items\":[{\"code\":\"A1\",\"label\":\"a\",\"label_zh\":\"甲\",\"max\":5}]}],"
    "\"thresholds\":{\"pass\":3,\"stars\":[4]},\"designation\":{\"min_total\":{\"hamlet\":4}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgRubric) rubric = jg_rubric_new_from_data (broken[i], -1, &error);

      g_test_message ("case %u", i);
      g_assert_null (rubric);
      g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
    }
}

/* ---- scoring ------------------------------------------------------------ */

static void
score (JgRubric   *rubric,
       const char *overrides,
       const char *vetoes,
       double     *total,
       int        *star,
       gboolean   *passed)
{
  g_autoptr(JsonObject) scores = scores_with (rubric, overrides);
  g_autoptr(JsonArray) hits = vetoes ? array_from (vetoes) : NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_rubric_score (rubric, scores, hits, total, NULL, star, passed, &error));
  g_assert_no_error (error);
}

static void
test_score_full (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) scores = scores_with (rubric, NULL);
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(GError) error = NULL;
  double total = 0;
  int star = -1;
  gboolean passed = FALSE;

  g_assert_true (jg_rubric_score (rubric, scores, NULL, &total, &totals, &star, &passed, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (total, ==, 100);
  g_assert_cmpint (star, ==, 3);
  g_assert_true (passed);
  g_assert_cmpuint (json_object_get_size (totals), ==, 4);
  g_assert_cmpfloat (section_total (totals, "room"), ==, 25);
  g_assert_cmpfloat (section_total (totals, "yard"), ==, 30);
  g_assert_cmpfloat (section_total (totals, "kitchen_toilet"), ==, 20);
  g_assert_cmpfloat (section_total (totals, "family_ethos"), ==, 25);
}

static void
test_score_two_stars (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  double total;
  int star;
  gboolean passed;

  /* 100 − 6 − 5 = 89 */
  score (rubric, "{\"R1\":0,\"K1\":0}", NULL, &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 89);
  g_assert_cmpint (star, ==, 2);
  g_assert_true (passed);
}

static void
test_score_boundaries (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  double total;
  int star;
  gboolean passed;

  /* 90 exactly: the third star. */
  score (rubric, "{\"R1\":0,\"K2\":0}", NULL, &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 90);
  g_assert_cmpint (star, ==, 3);
  /* 80 exactly, every section still above 60 %. */
  score (rubric, "{\"R1\":0,\"Y1\":0,\"K1\":0,\"F6\":1}", NULL, &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 80);
  g_assert_cmpint (star, ==, 2);
  /* 70 with room 15/25, yard 18/30 and kitchen 12/20: exactly 60 % each. */
  score (rubric, "{\"R1\":0,\"R3\":1,\"Y1\":0,\"Y2\":1,\"K3\":0,\"K4\":3}", NULL, &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 70);
  g_assert_cmpint (star, ==, 1);
  g_assert_true (passed);
}

static void
test_score_section_below (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) scores = scores_with (rubric, "{\"K1\":0,\"K3\":0,\"K2\":2}");
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(GError) error = NULL;
  double total;
  int star;
  gboolean passed;

  /* kitchen_toilet 6/20 = 30 %, though the total is 86. */
  g_assert_true (jg_rubric_score (rubric, scores, NULL, &total, &totals, &star, &passed, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (total, ==, 86);
  g_assert_cmpfloat (section_total (totals, "kitchen_toilet"), ==, 6);
  g_assert_cmpint (star, ==, 0);
  g_assert_true (passed);

  /* 11.5/20 is just under 60 % of 20. */
  score (rubric, "{\"K1\":0.5,\"K2\":0}", NULL, &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 91.5);
  g_assert_cmpint (star, ==, 0);
}

static void
test_score_veto (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  double total;
  int star;
  gboolean passed;

  score (rubric, NULL, "[\"V2\"]", &total, &star, &passed);
  g_assert_cmpfloat (total, ==, 100);
  g_assert_cmpint (star, ==, 0);
  g_assert_false (passed);
}

/* The acceptance case: 88 points with every section at 60 % or more earns
 * two stars; the same scores with any veto hit earn none and do not pass. */
static const char eighty_eight[] = "{\"R1\":0,\"K1\":0,\"F6\":2}";   /* 100 − 6 − 5 − 1 */

static const struct
{
  const char *vetoes;
  int         star;
  gboolean    passed;
} eighty_eight_cases[] = {
  { NULL, 2, TRUE },
  { "[]", 2, TRUE },
  { "[\"V1\"]", 0, FALSE },
  { "[\"V2\"]", 0, FALSE },
  { "[\"V3\"]", 0, FALSE },
  { "[\"V4\"]", 0, FALSE },
  { "[\"V5\"]", 0, FALSE },
  { "[\"V1\",\"V3\"]", 0, FALSE },
};

static void
test_score_eighty_eight (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();

  for (guint i = 0; i < G_N_ELEMENTS (eighty_eight_cases); i++)
    {
      g_autoptr(JsonObject) scores = scores_with (rubric, eighty_eight);
      g_autoptr(JsonArray) hits = eighty_eight_cases[i].vetoes ? array_from (eighty_eight_cases[i].vetoes) : NULL;
      g_autoptr(JsonObject) totals = NULL;
      g_autoptr(GError) error = NULL;
      double total = -1;
      int star = -1;
      gboolean passed = !eighty_eight_cases[i].passed;

      g_test_message ("veto hits %s", eighty_eight_cases[i].vetoes ? eighty_eight_cases[i].vetoes : "none");
      g_assert_true (jg_rubric_score (rubric, scores, hits, &total, &totals, &star, &passed, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (total, ==, 88);
      /* Every section at or above 60 % of its maximum. */
      g_assert_cmpfloat (section_total (totals, "room"), ==, 19);
      g_assert_cmpfloat (section_total (totals, "yard"), ==, 30);
      g_assert_cmpfloat (section_total (totals, "kitchen_toilet"), ==, 15);
      g_assert_cmpfloat (section_total (totals, "family_ethos"), ==, 24);
      g_assert_cmpint (star, ==, eighty_eight_cases[i].star);
      g_assert_true (passed == eighty_eight_cases[i].passed);
    }
}

static void
test_score_pass_without_star (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) scores = object_from ("{\"R1\":6,\"R2\":6,\"R3\":5,\"Y1\":7,\"Y2\":6,\"Y3\":6,"
                                              "\"K1\":5,\"K2\":4,\"K3\":7,\"F1\":6,\"F5\":2}");
  g_autoptr(GError) error = NULL;
  double total;
  int star;
  gboolean passed;

  g_assert_true (jg_rubric_score (rubric, scores, NULL, &total, NULL, &star, &passed, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (total, ==, 60);
  g_assert_cmpint (star, ==, 0);
  g_assert_true (passed);

  json_object_set_double_member (scores, "F5", 1.5);
  g_assert_true (jg_rubric_score (rubric, scores, NULL, &total, NULL, &star, &passed, &error));
  g_assert_cmpfloat (total, ==, 59.5);
  g_assert_false (passed);
}

static void
test_score_empty (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(GError) error = NULL;
  double total = -1;
  int star = -1;
  gboolean passed = TRUE;

  g_assert_true (jg_rubric_score (rubric, NULL, NULL, &total, &totals, &star, &passed, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (total, ==, 0);
  g_assert_cmpint (star, ==, 0);
  g_assert_false (passed);
  g_assert_cmpfloat (section_total (totals, "yard"), ==, 0);
}

static void
score_refused (const char *scores_json,
               const char *vetoes_json,
               int         code,
               const char *field)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) scores = object_from (scores_json);
  g_autoptr(JsonArray) vetoes = vetoes_json ? array_from (vetoes_json) : NULL;
  g_autoptr(GError) error = NULL;
  double total = -1;

  g_assert_false (jg_rubric_score (rubric, scores, vetoes, &total, NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, code);
  g_assert_cmpstr (jg_error_get_field (error), ==, field);
  g_assert_cmpfloat (total, ==, -1);
}

static void
test_score_above_max (void)
{
  score_refused ("{\"R1\":7}", NULL, JG_ERROR_OUT_OF_RANGE, "item_scores.R1");
  score_refused ("{\"F6\":3.5}", NULL, JG_ERROR_OUT_OF_RANGE, "item_scores.F6");
}

static void
test_score_negative (void)
{
  score_refused ("{\"Y2\":-1}", NULL, JG_ERROR_OUT_OF_RANGE, "item_scores.Y2");
}

static void
test_score_unknown_item (void)
{
  score_refused ("{\"R1\":6,\"R9\":1}", NULL, JG_ERROR_INVALID, "item_scores.R9");
  score_refused ("{\"room\":20}", NULL, JG_ERROR_INVALID, "item_scores.room");
}

static void
test_score_halves (void)
{
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) scores = object_from ("{\"R1\":5.5,\"R2\":0.5}");
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(GError) error = NULL;
  double total;

  g_assert_true (jg_rubric_score (rubric, scores, NULL, &total, &totals, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (total, ==, 6);
  g_assert_cmpfloat (section_total (totals, "room"), ==, 6);

  score_refused ("{\"R1\":5.25}", NULL, JG_ERROR_INVALID, "item_scores.R1");
  score_refused ("{\"R1\":\"6\"}", NULL, JG_ERROR_WRONG_TYPE, "item_scores.R1");
  score_refused ("{\"R1\":true}", NULL, JG_ERROR_WRONG_TYPE, "item_scores.R1");
}

static void
test_score_unknown_veto (void)
{
  score_refused ("{}", "[\"V1\",\"V9\"]", JG_ERROR_INVALID, "veto_hits");
  score_refused ("{}", "[\"R1\"]", JG_ERROR_INVALID, "veto_hits");
  score_refused ("{}", "[3]", JG_ERROR_WRONG_TYPE, "veto_hits");
}

/* ---- versions ------------------------------------------------------------ */

static void
test_registry_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRubric) newest = jg_rubric_lookup ("four-beauty", 0, &error);
  g_autoptr(JgRubric) again = jg_rubric_lookup (NULL, 1, &error);
  g_autoptr(JgRubric) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (jg_rubric_get_version (newest), ==, 1);
  g_assert_true (newest == again);

  missing = jg_rubric_lookup ("four-beauty", 9, &error);
  g_assert_null (missing);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_assert_cmpstr (jg_error_get_field (error), ==, "rubric_version");
  g_clear_error (&error);

  missing = jg_rubric_lookup ("five-beauty", 0, &error);
  g_assert_null (missing);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_assert_cmpstr (jg_error_get_field (error), ==, "rubric");
}

static JgRubric *
register_v2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRubric) v2 = jg_rubric_new_from_data (v2_rubric, -1, &error);

  g_assert_no_error (error);
  g_assert_true (jg_rubric_register (v2, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&v2);
}

/* Runs in a child process so that version 2 does not reach other tests. */
static void
test_registry_register (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRubric) v2 = NULL;
  g_autoptr(JgRubric) newest = NULL;
  g_autoptr(JgRubric) v1 = NULL;
  g_autoptr(JgRubric) clash = NULL;
  g_autofree char *other = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  v2 = register_v2 ();
  /* The same content again is harmless. */
  g_assert_true (jg_rubric_register (v2, &error));
  g_assert_no_error (error);

  newest = jg_rubric_lookup (NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jg_rubric_get_version (newest), ==, 2);
  v1 = jg_rubric_lookup ("four-beauty", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (jg_rubric_get_section (v1, 0)->max, ==, 25);
  g_assert_cmpfloat (jg_rubric_get_section (newest, 0)->max, ==, 35);

  /* Other content under a version already loaded would re-score old inspections. */
  other = g_strdup (v2_rubric);
  memcpy (strstr (other, "Four beauties 2"), "Four beauties X", 15);
  clash = jg_rubric_new_from_data (other, -1, &error);
  g_assert_no_error (error);
  g_assert_false (jg_rubric_register (clash, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_CONFLICT);
}

/* JINGUO_RUBRIC_FILE: a county's new version, and one standing in for the
 * built-in version 1.  In a child: the registry loads the variable once. */
static void
test_registry_env_override (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRubric) newest = NULL;
  g_autoptr(JgRubric) v1 = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *v2_path = NULL;
  g_autofree char *v1_path = NULL;
  g_autofree char *v1_text = NULL;
  g_autofree char *paths = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_build_filename (g_get_user_data_dir (), "county", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  v2_path = g_build_filename (dir, "four-beauty-v2.json", NULL);
  v1_path = g_build_filename (dir, "four-beauty-v1.json", NULL);
  g_assert_true (g_file_set_contents (v2_path, v2_rubric, -1, &error));
  v1_text = g_strdup (v2_rubric);
  memcpy (strstr (v1_text, "\"version\":2"), "\"version\":1", 11);
  g_assert_true (g_file_set_contents (v1_path, v1_text, -1, &error));
  g_assert_no_error (error);

  paths = g_strjoin (G_SEARCHPATH_SEPARATOR_S, v2_path, v1_path, NULL);
  g_setenv ("JINGUO_RUBRIC_FILE", paths, TRUE);

  newest = jg_rubric_lookup (NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jg_rubric_get_version (newest), ==, 2);
  g_assert_cmpstr (jg_rubric_get_label (newest, TRUE), ==, "四美第二版");
  v1 = jg_rubric_lookup (NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (jg_rubric_get_section (v1, 0)->max, ==, 35);
}

/* ---- inspections through the store ------------------------------------- */

static void
test_inspection_computed (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *id = add_inspection (f, household, "2024-03-01", "village", "{\"R1\":0}", NULL);
  g_autoptr(JsonObject) record = get_record (f, "inspection", id);
  JsonObject *totals;

  g_assert_cmpstr (json_object_get_string_member (record, "rubric"), ==, "four-beauty");
  g_assert_cmpint (json_object_get_int_member (record, "rubric_version"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 94);
  g_assert_cmpint (json_object_get_int_member (record, "star"), ==, 3);
  g_assert_true (json_object_get_boolean_member (record, "passed"));
  totals = json_object_get_object_member (record, "section_totals");
  g_assert_nonnull (totals);
  g_assert_cmpfloat (section_total (totals, "room"), ==, 19);
  g_assert_cmpfloat (section_total (totals, "yard"), ==, 30);
}

/* The same acceptance case through the store: the computed star is kept. */
static void
test_inspection_eighty_eight (Fixture       *f,
                              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (eighty_eight_cases); i++)
    {
      g_autofree char *household = add_household (f);
      g_autofree char *id = add_inspection (f, household, "2024-03-01", "village",
                                            eighty_eight, eighty_eight_cases[i].vetoes);
      g_autoptr(JsonObject) record = get_record (f, "inspection", id);

      g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 88);
      g_assert_cmpint (json_object_get_int_member (record, "star"), ==, eighty_eight_cases[i].star);
      g_assert_true (json_object_get_boolean_member (record, "passed") == eighty_eight_cases[i].passed);
    }
}

static void
test_inspection_user_total (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *created = NULL;
  g_autofree char *id = add_inspection (f, household, "2024-03-01", "village", NULL, NULL);
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"total\":50}", id);
  g_autofree char *fresh_json = NULL;
  g_autoptr(JsonObject) fields = object_from (json);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) made = NULL;

  put_fails (f, "inspection", fields, JG_ERROR_READ_ONLY, "total");
  record = get_record (f, "inspection", id);
  g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 100);

  /* A record read back and written again unchanged is accepted. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *again = jg_store_put (f->store, "inspection", record, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, id);
  }

  /* On a new record a computed value given by hand is replaced. */
  fresh_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                "\"inspected_at\":\"2024-03-02\",\"stage\":\"self\","
                                "\"item_scores\":{\"R1\":6},\"total\":99,\"star\":3}",
                                household);
  created = put_ok (f, "inspection", fresh_json);
  made = get_record (f, "inspection", created);
  g_assert_cmpfloat (json_object_get_double_member (made, "total"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (made, "star"), ==, 0);
  g_assert_false (json_object_get_boolean_member (made, "passed"));
}

static void
test_inspection_rescored (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *id = add_inspection (f, household, "2024-03-01", "village", NULL, NULL);
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"item_scores\":{\"R1\":6,\"Y1\":6.5},"
                                           "\"veto_hits\":[\"V3\"]}", id);
  g_autofree char *same = put_ok (f, "inspection", json);
  g_autoptr(JsonObject) record = get_record (f, "inspection", id);

  g_assert_cmpstr (same, ==, id);
  g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 12.5);
  g_assert_cmpint (json_object_get_int_member (record, "star"), ==, 0);
  g_assert_false (json_object_get_boolean_member (record, "passed"));
  g_assert_cmpfloat (section_total (json_object_get_object_member (record, "section_totals"), "yard"),
                     ==, 6.5);
}

static void
put_json_fails (Fixture    *f,
                const char *json,
                const char *field)
{
  g_autoptr(JsonObject) fields = object_from (json);

  put_fails (f, "inspection", fields, JG_ERROR_REQUIRED, field);
}

/* Submitting an inspection needs what a reviewer needs (exploratory test
 * village-gui item 6): who inspected, an item scored or a veto hit, and a
 * rectification deadline when it did not pass.  A draft is saved as it is. */
static void
test_inspection_submit_needs (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *base = g_strdup_printf ("\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\"", household);
  g_autofree char *draft_json = g_strdup_printf ("{%s}", base);
  g_autofree char *draft = put_ok (f, "inspection", draft_json);
  g_autofree char *submit_json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", draft);
  g_autofree char *named_json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\","
                                                 "\"inspectors\":[\" \",\"王芳\"]}", draft);
  g_autofree char *scored_json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\","
                                                  "\"inspectors\":[\"王芳\"],\"item_scores\":{\"R1\":6,\"R2\":0}}",
                                                  draft);
  g_autofree char *done_json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\","
                                                "\"inspectors\":[\"王芳\"],\"item_scores\":{\"R1\":6},"
                                                "\"rectify_by\":\"2024-04-01\"}", draft);
  g_autofree char *blank_names = g_strdup_printf ("{%s,\"review_state\":\"submitted\",\"inspectors\":[\" \"],"
                                                  "\"item_scores\":{\"R1\":6},\"rectify_by\":\"2024-04-01\"}", base);
  g_autofree char *zeros = g_strdup_printf ("{%s,\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],"
                                            "\"item_scores\":{\"R1\":0},\"rectify_by\":\"2024-04-01\"}", base);
  g_autofree char *veto = g_strdup_printf ("{%s,\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],"
                                           "\"veto_hits\":[\"V2\"],\"rectify_by\":\"2024-04-01\"}", base);
  g_autofree char *veto_no_deadline = g_strdup_printf ("{%s,\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],"
                                                       "\"veto_hits\":[\"V2\"]}", base);
  g_autoptr(JgRubric) rubric = default_rubric ();
  g_autoptr(JsonObject) full = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) error = NULL;

  put_json_fails (f, submit_json, "inspectors");
  put_json_fails (f, blank_names, "inspectors");
  put_json_fails (f, named_json, "item_scores");
  put_json_fails (f, zeros, "item_scores");
  put_json_fails (f, scored_json, "rectify_by");
  put_json_fails (f, veto_no_deadline, "rectify_by");
  record = get_record (f, "inspection", draft);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, "draft");

  g_free (put_ok (f, "inspection", done_json));
  g_clear_pointer (&record, json_object_unref);
  record = get_record (f, "inspection", draft);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, "submitted");
  g_free (put_ok (f, "inspection", veto));

  /* Passed: no deadline needed.  The record's own "passed" is not taken
   * on trust; its scores say. */
  json_object_set_string_member (full, "rubric", jg_rubric_get_id (rubric));
  json_object_set_int_member (full, "rubric_version", jg_rubric_get_version (rubric));
  json_object_set_object_member (full, "item_scores", scores_with (rubric, NULL));
  json_object_set_array_member (full, "inspectors", array_from ("[\"王芳\"]"));
  json_object_set_boolean_member (full, "passed", FALSE);
  g_assert_true (jg_rubric_check_submit (full, &error));
  g_assert_no_error (error);
  json_object_set_object_member (full, "item_scores", object_from ("{\"R1\":6}"));
  json_object_set_boolean_member (full, "passed", TRUE);
  g_assert_false (jg_rubric_check_submit (full, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_REQUIRED);
  g_assert_cmpstr (jg_error_get_field (error), ==, "rectify_by");
}

static void
test_inspection_bad_score (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                           "\"item_scores\":{\"R1\":9}}", household);
  g_autoptr(JsonObject) fields = object_from (json);
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(GError) error = NULL;

  put_fails (f, "inspection", fields, JG_ERROR_OUT_OF_RANGE, "item_scores.R1");
  json_object_set_object_member (fields, "item_scores", object_from ("{\"Z1\":1}"));
  put_fails (f, "inspection", fields, JG_ERROR_INVALID, "item_scores.Z1");
  json_object_set_object_member (fields, "item_scores", object_from ("{}"));
  json_object_set_array_member (fields, "veto_hits", array_from ("[\"V6\"]"));
  put_fails (f, "inspection", fields, JG_ERROR_INVALID, "veto_hits");

  all = jg_store_list (f->store, "inspection", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (all), ==, 0);
}

static void
test_inspection_household (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *nobody = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *household = add_household (f);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\"}",
                                           nobody);
  g_autoptr(JsonObject) fields = object_from (json);
  g_autoptr(GError) error = NULL;

  put_fails (f, "inspection", fields, JG_ERROR_NOT_FOUND, "household");

  g_assert_true (jg_store_delete (f->store, "household", household, &error));
  g_assert_no_error (error);
  json_object_set_string_member (fields, "household", household);
  put_fails (f, "inspection", fields, JG_ERROR_NOT_FOUND, "household");
}

static void
test_inspection_rectify_by (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *failed = add_inspection (f, household, "2024-03-01", "village", NULL, "[\"V4\"]");
  g_autofree char *early = g_strdup_printf ("{\"id\":\"%s\",\"rectify_by\":\"2024-02-28\"}", failed);
  g_autofree char *later = g_strdup_printf ("{\"id\":\"%s\",\"rectify_by\":\"2024-06-30\"}", failed);
  g_autoptr(JsonObject) fields = object_from (early);
  g_autoptr(JsonObject) record = get_record (f, "inspection", failed);
  g_autofree char *same = NULL;

  /* Failed without a deadline yet: allowed. */
  g_assert_false (json_object_get_boolean_member (record, "passed"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (record, "rectify_by")));

  put_fails (f, "inspection", fields, JG_ERROR_INVALID, "rectify_by");
  same = put_ok (f, "inspection", later);
  g_clear_pointer (&record, json_object_unref);
  record = get_record (f, "inspection", failed);
  g_assert_cmpstr (json_object_get_string_member (record, "rectify_by"), ==, "2024-06-30");

  /* Put right: the veto was a mistake, and the inspection passes.  Its
   * deadline goes with the failure. */
  {
    g_autofree char *fixed = g_strdup_printf ("{\"id\":\"%s\",\"veto_hits\":[]}", failed);

    g_free (put_ok (f, "inspection", fixed));
  }
  g_clear_pointer (&record, json_object_unref);
  record = get_record (f, "inspection", failed);
  g_assert_true (json_object_get_boolean_member (record, "passed"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (record, "rectify_by")));
}

static void
test_inspection_unknown_rubric (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                           "\"rubric_version\":7}", household);
  g_autoptr(JsonObject) fields = object_from (json);

  put_fails (f, "inspection", fields, JG_ERROR_NOT_FOUND, "rubric_version");
  json_object_remove_member (fields, "rubric_version");
  json_object_set_string_member (fields, "rubric", "nine-beauty");
  put_fails (f, "inspection", fields, JG_ERROR_NOT_FOUND, "rubric");
  json_object_set_string_member (fields, "rubric", "four-beauty");
  json_object_set_int_member (fields, "rubric_version", 0);
  put_fails (f, "inspection", fields, JG_ERROR_OUT_OF_RANGE, "rubric_version");
}

/* An inspection keeps the version it was scored with when a newer one
 * arrives; a new inspection takes the newest.  In a child process. */
static void
test_inspection_keeps_version (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(JgRubric) v2 = NULL;
  g_autofree char *household = NULL;
  g_autofree char *old = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *fresh_json = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *pinned_json = NULL;
  g_autofree char *pinned = NULL;
  g_autoptr(JsonObject) record = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  fixture_setup (f, NULL);
  household = add_household (f);
  old = add_inspection (f, household, "2024-03-01", "village", "{\"R1\":0}", NULL);
  v2 = register_v2 ();

  /* R3 exists only in version 1: accepted, so the edit was scored with it. */
  edit = g_strdup_printf ("{\"id\":\"%s\",\"item_scores\":{\"R1\":6,\"R3\":5}}", old);
  g_free (put_ok (f, "inspection", edit));
  record = get_record (f, "inspection", old);
  g_assert_cmpint (json_object_get_int_member (record, "rubric_version"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 11);

  /* R1 up to 20 exists only in version 2. */
  fresh_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                "\"inspected_at\":\"2024-03-02\",\"stage\":\"village\","
                                "\"item_scores\":{\"R1\":20}}", household);
  fresh = put_ok (f, "inspection", fresh_json);
  g_clear_pointer (&record, json_object_unref);
  record = get_record (f, "inspection", fresh);
  g_assert_cmpint (json_object_get_int_member (record, "rubric_version"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (record, "total"), ==, 20);

  /* Naming the old version is still possible. */
  pinned_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                 "\"inspected_at\":\"2024-03-03\",\"stage\":\"village\","
                                 "\"rubric_version\":1,\"item_scores\":{\"R3\":5}}", household);
  pinned = put_ok (f, "inspection", pinned_json);
  g_clear_pointer (&record, json_object_unref);
  record = get_record (f, "inspection", pinned);
  g_assert_cmpint (json_object_get_int_member (record, "rubric_version"), ==, 1);

  fixture_teardown (f, NULL);
}

/* ---- designations -------------------------------------------------------- */

static void
test_designation_needs_approved (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *draft = NULL;

  designate_fails (f, household, "village", "2024-05-01", JG_ERROR_INVALID, "inspection");
  draft = add_inspection (f, household, "2024-03-01", "village", NULL, NULL);
  designate_fails (f, household, "village", "2024-05-01", JG_ERROR_INVALID, "inspection");
}

static void
test_designation_village_min (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *low = add_approved_inspection (f, household, "2024-03-01",
                                                  "{\"R1\":0,\"Y1\":0,\"F6\":0}");
  g_autofree char *enough = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) record = NULL;

  designate_fails (f, household, "village", "2024-05-01", JG_ERROR_INVALID, "inspection");
  enough = add_approved_inspection (f, household, "2024-04-01", "{\"R1\":0,\"Y1\":0,\"F6\":1}");
  id = designate (f, household, "village", "2024-05-01");
  record = get_record (f, "designation", id);
  /* The record names the inspection it was granted from. */
  g_assert_cmpstr (json_object_get_string_member (record, "inspection"), ==, enough);
}

static void
test_designation_latest_counts (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *good = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *worse = add_approved_inspection (f, household, "2024-04-01", "{\"R1\":0,\"Y1\":0,\"K1\":0,\"F6\":1}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-05-01\","
                                           "\"inspection\":\"%s\"}", household, good);
  g_autofree char *id = NULL;

  designate_fails (f, household, "village", "2024-05-01", JG_ERROR_INVALID, "inspection");
  /* Naming the better one explicitly is allowed. */
  id = put_ok (f, "designation", json);
  g_assert_nonnull (id);
}

static void
test_designation_explicit_inspection (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *neighbour = add_household (f);
  g_autofree char *theirs = add_approved_inspection (f, neighbour, "2024-03-01", NULL);
  g_autofree char *nothing = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-05-01\","
                                           "\"inspection\":\"%s\"}", household, theirs);
  g_autoptr(JsonObject) fields = object_from (json);

  put_fails (f, "designation", fields, JG_ERROR_INVALID, "inspection");
  json_object_set_string_member (fields, "inspection", nothing);
  put_fails (f, "designation", fields, JG_ERROR_NOT_FOUND, "inspection");
}

static void
test_designation_veto (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *vetoed = add_inspection (f, household, "2024-03-01", "village", NULL, "[\"V5\"]");

  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-05-01\"}", household);
  g_autoptr(JsonObject) fields = object_from (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  approve (f, "inspection", vetoed);
  designate_fails (f, household, "village", "2024-05-01", JG_ERROR_INVALID, "inspection");
  /* The refusal says why: the veto, not the points (it has all of them). */
  id = jg_store_put (f->store, "designation", fields, &error);
  g_assert_null (id);
  g_assert_nonnull (strstr (error->message, "veto"));
  g_assert_null (strstr (error->message, "points"));
}

static void
test_designation_household (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *nobody = jg_uuid7_new (g_get_real_time () / 1000);

  designate_fails (f, nobody, "village", "2024-05-01", JG_ERROR_NOT_FOUND, "household");
}

static void
test_designation_ladder (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", "{\"R1\":0,\"F6\":2}");
  g_autofree char *village = NULL;
  g_autofree char *township = NULL;
  g_autofree char *county = NULL;
  g_autofree char *city = NULL;

  /* 93 points: enough for every level, but the ladder goes one step at a time. */
  designate_fails (f, household, "township", "2024-05-01", JG_ERROR_INVALID, "level");
  village = designate (f, household, "village", "2024-05-01");
  /* Held means granted: a draft below is not enough. */
  designate_fails (f, household, "township", "2024-06-01", JG_ERROR_INVALID, "level");
  approve (f, "designation", village);
  designate_fails (f, household, "county", "2024-06-01", JG_ERROR_INVALID, "level");
  township = designate (f, household, "township", "2024-06-01");
  approve (f, "designation", township);
  /* Held on the new one's first day, not only some time. */
  designate_fails (f, household, "county", "2024-05-15", JG_ERROR_INVALID, "level");
  county = designate (f, household, "county", "2024-07-01");
  approve (f, "designation", county);
  city = designate (f, household, "city", "2024-08-01");
  g_assert_nonnull (city);
}

/* Above village, a title is the higher federation's to give. */
static void
test_designation_granter (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", "{\"R1\":0,\"F6\":2}");
  g_autofree char *village = NULL;
  g_autofree char *township = NULL;
  g_autoptr(GError) error = NULL;

  jg_store_set_meta (f->store, "role", "village_staff", &error);
  jg_store_set_meta (f->store, "org_unit", VILLAGE, &error);
  g_assert_no_error (error);
  village = designate (f, household, "village", "2024-05-01");
  approve (f, "designation", village);
  designate_fails (f, household, "township", "2024-06-01", JG_ERROR_PERMISSION, "level");

  /* A township's staff gives a township title, not a county one. */
  jg_store_set_meta (f->store, "role", "township_staff", &error);
  jg_store_set_meta (f->store, "org_unit", "331082004", &error);
  g_assert_no_error (error);
  township = designate (f, household, "township", "2024-06-01");
  approve (f, "designation", township);
  designate_fails (f, household, "county", "2024-07-01", JG_ERROR_PERMISSION, "level");

  g_assert_true (jg_rubric_check_granter ("county", "county_reviewer", "331082", NULL));
  g_assert_true (jg_rubric_check_granter ("village", "village_staff", VILLAGE, NULL));
  g_assert_false (jg_rubric_check_granter ("county", "village_staff", "331082", NULL));
}

/* A granted designation is never overwritten; a draft may be corrected. */
static void
test_designation_granted_fixed (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-05-01");
  g_autofree char *plaque = g_strdup_printf ("{\"id\":\"%s\",\"plaque_no\":\"P9\"}", id);
  g_autofree char *valid_to = g_strdup_printf ("{\"id\":\"%s\",\"valid_to\":\"2099-01-01\"}", id);
  g_autofree char *revoke = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,\"revoked_reason\":\"复查两次不合格\"}", id);
  g_autoptr(JsonObject) plaque_fields = object_from (plaque);
  g_autoptr(JsonObject) valid_to_fields = object_from (valid_to);

  g_free (put_ok (f, "designation", plaque));
  approve (f, "designation", id);
  json_object_set_string_member (plaque_fields, "plaque_no", "P10");
  put_fails (f, "designation", plaque_fields, JG_ERROR_IMMUTABLE, "plaque_no");
  put_fails (f, "designation", valid_to_fields, JG_ERROR_IMMUTABLE, "valid_to");
  g_free (put_ok (f, "designation", revoke));
}

static void
test_designation_level_min (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  /* 91: village and township, not county (92). */
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", "{\"R1\":0,\"F6\":0}");
  g_autofree char *village = designate (f, household, "village", "2024-05-01");
  g_autofree char *township = NULL;

  approve (f, "designation", village);
  township = designate (f, household, "township", "2024-06-01");
  approve (f, "designation", township);
  designate_fails (f, household, "county", "2024-07-01", JG_ERROR_INVALID, "inspection");
}

static void
test_designation_duplicate (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *first = designate (f, household, "village", "2024-05-01");

  designate_fails (f, household, "village", "2024-09-01", JG_ERROR_INVALID, "level");
}

static void
test_designation_valid_to (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                           "\"level\":\"village\",\"valid_from\":\"2024-05-01\","
                                           "\"valid_to\":\"2024-04-30\"}", household);
  g_autoptr(JsonObject) fields = object_from (json);
  g_autofree char *id = NULL;
  g_autofree char *update = NULL;
  g_autoptr(JsonObject) update_fields = NULL;

  put_fails (f, "designation", fields, JG_ERROR_INVALID, "valid_to");
  json_object_set_string_member (fields, "valid_to", "2027-04-30");
  {
    g_autoptr(GError) error = NULL;

    id = jg_store_put (f->store, "designation", fields, &error);
    g_assert_no_error (error);
    g_assert_nonnull (id);
  }
  update = g_strdup_printf ("{\"id\":\"%s\",\"valid_to\":\"2023-01-01\"}", id);
  update_fields = object_from (update);
  put_fails (f, "designation", update_fields, JG_ERROR_INVALID, "valid_to");
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
test_designation_revoke_reason (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-05-01");
  g_autofree char *bare = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true}", id);
  g_autofree char *reasoned = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,"
                                               "\"revoked_reason\":\"回头看两次不合格\"}", id);
  g_autoptr(JsonObject) fields = object_from (bare);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *date = today ();

  put_fails (f, "designation", fields, JG_ERROR_REQUIRED, "revoked_reason");
  g_free (put_ok (f, "designation", reasoned));
  record = get_record (f, "designation", id);
  g_assert_true (json_object_get_boolean_member (record, "revoked"));
  g_assert_cmpstr (json_object_get_string_member (record, "revoked_at"), ==, date);
}

static void
test_designation_revoked_at_kept (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-05-01");
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,\"revoked_at\":\"2024-10-08\","
                                           "\"revoked_reason\":\"违章建筑未整改\"}", id);
  g_autoptr(JsonObject) record = NULL;

  g_free (put_ok (f, "designation", json));
  record = get_record (f, "designation", id);
  g_assert_cmpstr (json_object_get_string_member (record, "revoked_at"), ==, "2024-10-08");
}

static void
test_designation_no_unrevoke (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-05-01");
  g_autofree char *revoke = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,\"revoked_reason\":\"摘牌\"}", id);
  g_autofree char *restore = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":false}", id);
  g_autofree char *clear = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":null}", id);
  g_autoptr(JsonObject) restore_fields = object_from (restore);
  g_autoptr(JsonObject) clear_fields = object_from (clear);
  g_autofree char *again = NULL;

  g_free (put_ok (f, "designation", revoke));
  put_fails (f, "designation", restore_fields, JG_ERROR_INVALID, "revoked");
  put_fails (f, "designation", clear_fields, JG_ERROR_INVALID, "revoked");
  /* Earned again: a new designation. */
  again = designate (f, household, "village", "2025-01-01");
  g_assert_cmpstr (again, !=, id);
}

static void
test_designation_revoked_breaks_ladder (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-03-01", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-05-01");
  g_autofree char *revoke = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,\"revoked_reason\":\"摘牌\"}", id);

  g_free (put_ok (f, "designation", revoke));
  designate_fails (f, household, "township", "2024-06-01", JG_ERROR_INVALID, "level");
}

static char *
add_reinspection (Fixture    *f,
                  const char *household,
                  const char *date,
                  gboolean    pass,
                  gboolean    approved)
{
  char *id = add_inspection (f, household, date, "reinspection", NULL, pass ? NULL : "[\"V2\"]");

  if (approved)
    approve (f, "inspection", id);
  return id;
}

static void
test_should_revoke (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-01-10", NULL);
  g_autofree char *id = NULL;
  g_autofree char *r0 = NULL, *r1 = NULL, *r2 = NULL, *r3 = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  /* No designation: nothing to revoke, whatever the inspections say. */
  r0 = add_reinspection (f, household, "2024-01-05", FALSE, TRUE);
  g_assert_false (jg_rubric_designation_should_revoke (f->store, household, NULL, &reason, &error));
  g_assert_no_error (error);
  g_assert_null (reason);

  id = designate (f, household, "village", "2024-02-01");
  r1 = add_reinspection (f, household, "2024-06-01", FALSE, TRUE);
  /* One failure since the designation (the one before it does not count). */
  g_assert_false (jg_rubric_designation_should_revoke (f->store, household, "village", &reason, &error));
  g_assert_no_error (error);

  /* A draft is not a finding yet. */
  r2 = add_reinspection (f, household, "2024-09-01", FALSE, FALSE);
  g_assert_false (jg_rubric_designation_should_revoke (f->store, household, "village", &reason, &error));
  approve (f, "inspection", r2);
  g_assert_true (jg_rubric_designation_should_revoke (f->store, household, "village", &reason, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "2024-06-01"));
  g_assert_nonnull (strstr (reason, "2024-09-01"));
  g_clear_pointer (&reason, g_free);

  /* Another level: none held there. */
  g_assert_false (jg_rubric_designation_should_revoke (f->store, household, "township", &reason, &error));

  /* A pass after that: the last two are no longer both failures. */
  r3 = add_reinspection (f, household, "2024-11-01", TRUE, TRUE);
  g_assert_false (jg_rubric_designation_should_revoke (f->store, household, NULL, &reason, &error));
  g_assert_null (reason);
}

static void
test_should_revoke_low_scores (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *household = add_household (f);
  g_autofree char *inspection = add_approved_inspection (f, household, "2024-01-10", NULL);
  g_autofree char *id = designate (f, household, "village", "2024-02-01");
  g_autofree char *a = add_inspection (f, household, "2024-06-01", "reinspection",
                                       "{\"R1\":0,\"R2\":0,\"R3\":0,\"R4\":0,\"R5\":0,\"Y1\":0,\"Y2\":0,\"Y3\":0}", NULL);
  g_autofree char *b = add_inspection (f, household, "2024-07-01", "reinspection",
                                       "{\"K1\":0,\"K2\":0,\"K3\":0,\"K4\":0,\"F1\":0,\"F2\":0,\"F3\":0,\"F4\":0,\"F5\":0,\"F6\":0}", NULL);
  g_autoptr(GError) error = NULL;

  approve (f, "inspection", a);
  approve (f, "inspection", b);
  g_assert_true (jg_rubric_designation_should_revoke (f->store, household, "village", NULL, &error));
  g_assert_no_error (error);
}

static void
add_org_unit (Fixture    *f,
              const char *code,
              const char *level,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (f->store,
                                             "INSERT INTO org_unit (division_code, code_edition, name, level, path) "
                                             "VALUES (?1, '2023', ?1, ?2, ?3)", &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static char *
add_household_in (Fixture    *f,
                  const char *unit)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"head_name\":\"李梅\",\"member_count\":3}", unit);

  return put_ok (f, "household", json);
}

/* A submitted designation is no title yet, whatever its dates say: the
 * household form showed one "valid from" as if it were in force. */
static void
test_designation_status (void)
{
  const struct { const char *json; JgDesignationStatus status; } cases[] = {
    { "{\"review_state\":\"submitted\",\"valid_from\":\"2024-01-01\"}", JG_DESIGNATION_NOT_GRANTED },
    { "{\"review_state\":\"draft\",\"valid_from\":\"2024-01-01\"}", JG_DESIGNATION_NOT_GRANTED },
    { "{\"review_state\":\"returned\",\"valid_from\":\"2024-01-01\"}", JG_DESIGNATION_NOT_GRANTED },
    { "{\"valid_from\":\"2024-01-01\"}", JG_DESIGNATION_NOT_GRANTED },
    { "{\"review_state\":\"approved\",\"valid_from\":\"2024-01-01\"}", JG_DESIGNATION_IN_FORCE },
    { "{\"review_state\":\"approved\",\"valid_from\":\"2024-06-01\",\"valid_to\":\"2024-06-01\"}", JG_DESIGNATION_IN_FORCE },
    { "{\"review_state\":\"approved\",\"valid_from\":\"2024-06-02\"}", JG_DESIGNATION_NOT_YET },
    { "{\"review_state\":\"approved\",\"valid_from\":\"2023-01-01\",\"valid_to\":\"2024-05-31\"}", JG_DESIGNATION_EXPIRED },
    { "{\"review_state\":\"approved\",\"valid_from\":\"2024-01-01\",\"revoked\":true}", JG_DESIGNATION_REVOKED },
    { "{\"review_state\":\"submitted\",\"revoked\":true}", JG_DESIGNATION_REVOKED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (jg_rubric_designation_status (json_node_get_object (node), "2024-06-01"), ==, cases[i].status);
    }
}

static void
test_coverage (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL, *h3 = NULL, *h4 = NULL, *h5 = NULL, *h6 = NULL;
  g_autofree char *i1 = NULL, *i2 = NULL, *i4 = NULL, *i5 = NULL, *i6 = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *d4 = NULL, *d5 = NULL, *d6 = NULL;
  g_autofree char *revoke = NULL;
  g_autofree char *expired = NULL;
  gint64 designated = -1, households = -1;

  add_org_unit (f, "331082004", "township", "/33/3310/331082/331082004/");
  add_org_unit (f, VILLAGE, "village", "/33/3310/331082/331082004/331082004240/");
  add_org_unit (f, "331082005200", "village", "/33/3310/331082/331082005/331082005200/");

  g_assert_true (jg_rubric_designation_coverage (f->store, NULL, &designated, &households, &error));
  g_assert_no_error (error);
  g_assert_cmpint (designated, ==, 0);
  g_assert_cmpint (households, ==, 0);

  /* Every household counts (the register, DOMAIN.md: "designated households / all
   * households"); only approved designations do, as in every report figure. */
  g_free (add_household_in (f, VILLAGE));  /* not approved: counts */
  h1 = add_household_in (f, VILLAGE);     /* designated */
  h2 = add_household_in (f, VILLAGE);     /* revoked */
  h3 = add_household_in (f, VILLAGE);     /* never designated */
  h4 = add_household_in (f, "331082005200");  /* designated, other township */
  h5 = add_household_in (f, VILLAGE);     /* designated, household deleted */
  h6 = add_household_in (f, VILLAGE);     /* designation expired */

  i1 = add_approved_inspection (f, h1, "2024-03-01", NULL);
  i2 = add_approved_inspection (f, h2, "2024-03-01", NULL);
  i4 = add_approved_inspection (f, h4, "2024-03-01", NULL);
  i5 = add_approved_inspection (f, h5, "2024-03-01", NULL);
  i6 = add_approved_inspection (f, h6, "2024-03-01", NULL);
  d1 = designate (f, h1, "village", "2024-05-01");
  d2 = designate (f, h2, "village", "2024-05-01");
  d4 = designate (f, h4, "village", "2024-05-01");
  d5 = designate (f, h5, "village", "2024-05-01");
  /* Two levels for one household count once. */
  approve (f, "designation", d1);
  g_free (designate (f, h1, "township", "2024-06-01"));
  expired = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\",\"level\":\"village\","
                             "\"valid_from\":\"2024-04-01\",\"valid_to\":\"2024-04-30\"}", h6);
  d6 = put_ok (f, "designation", expired);
  {
    const char *approved[] = { h1, h2, h3, h4, h5, h6, d1, d2, d4, d5, d6 };

    for (guint i = 0; i < G_N_ELEMENTS (approved); i++)
      {
        const char *entity = i < 6 ? "household" : "designation";
        g_autofree char *submit = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", approved[i]);
        g_autofree char *approve = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", approved[i]);

        g_free (put_ok (f, entity, submit));
        g_free (put_ok (f, entity, approve));
      }
  }
  /* A designation not approved yet does not count. */
  g_free (designate (f, h6, "village", "2024-05-01"));

  revoke = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,\"revoked_reason\":\"摘牌\"}", d2);
  g_free (put_ok (f, "designation", revoke));
  /* Its designation is live: deleted on another laptop that had not seen it. */
  g_assert_false (jg_store_delete (f->store, "household", h5, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_IN_USE);
  g_clear_error (&error);
  delete_elsewhere (f, "household", h5);

  g_assert_true (jg_rubric_designation_coverage (f->store, NULL, &designated, &households, &error));
  g_assert_no_error (error);
  g_assert_cmpint (designated, ==, 2);
  g_assert_cmpint (households, ==, 6);

  g_assert_true (jg_rubric_designation_coverage (f->store, "/33/3310/331082/331082004/",
                                                 &designated, &households, &error));
  g_assert_no_error (error);
  g_assert_cmpint (designated, ==, 1);
  g_assert_cmpint (households, ==, 5);

  g_assert_true (jg_rubric_designation_coverage (f->store, "/33/3310/331082/331082005/",
                                                 &designated, &households, &error));
  g_assert_cmpint (designated, ==, 1);
  g_assert_cmpint (households, ==, 1);

  g_assert_true (jg_rubric_designation_coverage (f->store, "/44/", &designated, &households, &error));
  g_assert_cmpint (designated, ==, 0);
  g_assert_cmpint (households, ==, 0);
}

/* ---- main ------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

  g_test_add_func ("/jg/rubric/default/shape", test_default_shape);
  g_test_add_func ("/jg/rubric/default/items", test_default_items);
  g_test_add_func ("/jg/rubric/default/vetoes-thresholds", test_default_vetoes_thresholds);
  g_test_add_func ("/jg/rubric/load/malformed", test_load_malformed);
  g_test_add_func ("/jg/rubric/score/full", test_score_full);
  g_test_add_func ("/jg/rubric/score/two-stars", test_score_two_stars);
  g_test_add_func ("/jg/rubric/score/boundaries", test_score_boundaries);
  g_test_add_func ("/jg/rubric/score/section-below", test_score_section_below);
  g_test_add_func ("/jg/rubric/score/veto", test_score_veto);
  g_test_add_func ("/jg/rubric/score/eighty-eight", test_score_eighty_eight);
  g_test_add_func ("/jg/rubric/score/pass-without-star", test_score_pass_without_star);
  g_test_add_func ("/jg/rubric/score/empty", test_score_empty);
  g_test_add_func ("/jg/rubric/score/above-max", test_score_above_max);
  g_test_add_func ("/jg/rubric/score/negative", test_score_negative);
  g_test_add_func ("/jg/rubric/score/unknown-item", test_score_unknown_item);
  g_test_add_func ("/jg/rubric/score/halves", test_score_halves);
  g_test_add_func ("/jg/rubric/score/unknown-veto", test_score_unknown_veto);
  g_test_add_func ("/jg/rubric/registry/lookup", test_registry_lookup);
  g_test_add_func ("/jg/rubric/registry/register", test_registry_register);
  g_test_add_func ("/jg/rubric/registry/env-override", test_registry_env_override);
  g_test_add_func ("/jg/rubric/inspection/keeps-version", test_inspection_keeps_version);
  g_test_add_func ("/jg/rubric/designation/status", test_designation_status);

#define ADD(path, func) \
  g_test_add ("/jg/rubric/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("inspection/computed", test_inspection_computed);
  ADD ("inspection/eighty-eight", test_inspection_eighty_eight);
  ADD ("inspection/user-total", test_inspection_user_total);
  ADD ("inspection/rescored", test_inspection_rescored);
  ADD ("inspection/bad-score", test_inspection_bad_score);
  ADD ("inspection/submit-needs", test_inspection_submit_needs);
  ADD ("inspection/household", test_inspection_household);
  ADD ("inspection/rectify-by", test_inspection_rectify_by);
  ADD ("inspection/unknown-rubric", test_inspection_unknown_rubric);
  ADD ("designation/needs-approved", test_designation_needs_approved);
  ADD ("designation/village-min", test_designation_village_min);
  ADD ("designation/latest-counts", test_designation_latest_counts);
  ADD ("designation/explicit-inspection", test_designation_explicit_inspection);
  ADD ("designation/veto", test_designation_veto);
  ADD ("designation/household", test_designation_household);
  ADD ("designation/ladder", test_designation_ladder);
  ADD ("designation/granter", test_designation_granter);
  ADD ("designation/granted-fixed", test_designation_granted_fixed);
  ADD ("designation/level-min", test_designation_level_min);
  ADD ("designation/duplicate", test_designation_duplicate);
  ADD ("designation/valid-to", test_designation_valid_to);
  ADD ("designation/revoke-reason", test_designation_revoke_reason);
  ADD ("designation/revoked-at-kept", test_designation_revoked_at_kept);
  ADD ("designation/no-unrevoke", test_designation_no_unrevoke);
  ADD ("designation/revoked-breaks-ladder", test_designation_revoked_breaks_ladder);
  ADD ("designation/should-revoke", test_should_revoke);
  ADD ("designation/should-revoke-low-scores", test_should_revoke_low_scores);
  ADD ("designation/coverage", test_coverage);
#undef ADD

  return g_test_run ();
}
