/* test-demo.c: the demo data generator (jg-demo.h)
 *
 * The read-only checks share one small demo store, made once; the cases
 * that change a store make their own.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-demo.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-store-private.h"

static char *tmp_dir;
static guint n_stores;

static JgStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/store-%u.db", tmp_dir, n_stores++);
  JgStore *store = jg_store_open (path, JG_STORE_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static JsonObject *
generate (JgStore             *store,
          const JgDemoOptions *options)
{
  g_autoptr(GError) error = NULL;
  JsonObject *summary = jg_demo_generate (store, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

/* The small demo, made once for the read-only cases. */
static JgStore *shared_store;
static JsonObject *shared_summary;

static JgStore *
small_demo (JsonObject **summary_out)
{
  if (shared_store == NULL)
    {
      JgDemoOptions options = { .seed = 1 };

      shared_store = new_store ();
      shared_summary = generate (shared_store, &options);
      g_test_message ("small demo: %" PRId64 " writes in %.2f s (%.0f writes/s)",
                      json_object_get_int_member (shared_summary, "writes"),
                      json_object_get_int_member (shared_summary, "milliseconds") / 1000.0,
                      (double) json_object_get_int_member (shared_summary, "writes_per_second"));
    }
  if (summary_out)
    *summary_out = shared_summary;
  return shared_store;
}

static JsonArray *
list_all (JgStore    *store,
          const char *entity)
{
  g_autoptr(GError) error = NULL;
  JsonArray *records = jg_store_list (store, entity, NULL, &error);

  g_assert_no_error (error);
  return records;
}

static guint
count (JgStore    *store,
       const char *entity)
{
  g_autoptr(JsonArray) records = list_all (store, entity);

  return json_array_get_length (records);
}

static JsonObject *
get (JgStore    *store,
     const char *entity,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = jg_store_get (store, entity, id, &error);

  g_assert_no_error (error);
  return record;
}

/* ---- the small demo -------------------------------------------------- */

static const struct
{
  const char *entity;
  const char *summary_key;
} kinds[] = {
  { "household", "households" },
  { "activity", "activities" },
  { "volunteer", "volunteers" },
  { "service_entry", "service_entries" },
  { "redemption", "redemptions" },
  { "inspection", "inspections" },
  { "designation", "designations" },
  { "award", "awards" },
};

static void
test_small_counts (void)
{
  JsonObject *summary;
  JgStore *store = small_demo (&summary);
  gint64 total = 0;

  g_assert_cmpint (json_object_get_int_member (summary, "households"), ==, JG_DEMO_SMALL_HOUSEHOLDS);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gint64 n = json_object_get_int_member (summary, kinds[i].summary_key);

      /* Every kind of record is there, and listed. */
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (count (store, kinds[i].entity), ==, n);
      total += n;
    }
  g_assert_cmpint (json_object_get_int_member (summary, "activities"), >=, 50);
  g_assert_cmpint (json_object_get_int_member (summary, "volunteers"), >=, 15);
  /* "a few hundred other records" */
  g_assert_cmpint (total - JG_DEMO_SMALL_HOUSEHOLDS, >=, 200);
  g_assert_cmpint (total - JG_DEMO_SMALL_HOUSEHOLDS, <=, 2000);
  g_assert_cmpint (json_object_get_int_member (summary, "villages"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (summary, "county"), ==, "331082");
}

/* How fast the demo is made is a benchmark's question (tests/bench,
 * docs/benchmarks.md), never a unit test's; here, that it reports it. */
static void
test_small_reports_time (void)
{
  JsonObject *summary;

  small_demo (&summary);
  g_assert_true (json_object_has_member (summary, "milliseconds"));
  g_assert_cmpint (json_object_get_int_member (summary, "milliseconds"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "writes"), >, 0);
}

static void
test_small_imports_units (void)
{
  JgStore *store = small_demo (NULL);

  /* The store was empty: the built-in slice came first. */
  g_assert_cmpint (jg_org_units_count (store, "village"), ==, 678);
  g_assert_cmpint (jg_org_units_count (store, "county"), ==, 1);
}

static void
test_valid_required_and_units (void)
{
  JgStore *store = small_demo (NULL);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const JgEntityDef *entity = jg_entity_lookup (kinds[k].entity);
      g_autoptr(JsonArray) records = list_all (store, kinds[k].entity);

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonObject *r = json_array_get_object_element (records, i);
          const char *unit = json_object_get_string_member (r, "org_unit");

          for (guint f = 0; f < entity->n_fields; f++)
            if (entity->fields[f].flags & JG_FIELD_FLAG_REQUIRED)
              {
                JsonNode *v = json_object_get_member (r, entity->fields[f].name);

                g_assert_nonnull (v);
                g_assert_false (JSON_NODE_HOLDS_NULL (v));
              }
          g_assert_true (g_strv_contains (jg_review_states,
                                          json_object_get_string_member (r, "review_state")));
          g_assert_true (jg_org_units_is_within (store, unit, "331082"));
          g_assert_false (json_object_get_boolean_member (r, "deleted"));
        }
    }
}

static void
test_valid_households (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) records = list_all (store, "household");
  guint tagged = 0, consent = 0, approved = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *h = json_array_get_object_element (records, i);
      const char *name = json_object_get_string_member (h, "head_name");
      const char *address = json_object_get_string_member (h, "address");
      gint64 members = json_object_get_int_member (h, "member_count");

      g_assert_cmpint (g_utf8_strlen (name, -1), >=, 2);
      g_assert_cmpint (g_utf8_strlen (name, -1), <=, 3);
      g_assert_true (g_str_has_suffix (address, "号") || g_str_has_suffix (address, "室"));
      g_assert_cmpint (members, >=, 1);
      g_assert_cmpint (members, <=, 7);
      if (!json_object_get_null_member (h, "phone"))
        {
          const char *phone = json_object_get_string_member (h, "phone");

          g_assert_cmpuint (strlen (phone), ==, 11);
          g_assert_true (phone[0] == '1');
        }
      if (!json_object_get_null_member (h, "tags"))
        tagged++;
      if (json_object_get_boolean_member_with_default (h, "publicity_consent", FALSE))
        {
          g_assert_false (json_object_get_null_member (h, "consent_at"));
          consent++;
        }
      if (g_strcmp0 (json_object_get_string_member (h, "review_state"), "approved") == 0)
        approved++;
    }
  /* A few tagged, some consenting, most approved. */
  g_assert_cmpuint (tagged, >, 0);
  g_assert_cmpuint (tagged, <, 60);
  g_assert_cmpuint (consent, >, 60);
  g_assert_cmpuint (consent, <, 240);
  g_assert_cmpuint (approved, >, 240);
}

static void
test_valid_activities (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) records = list_all (store, "activity");
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  double funds = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *a = json_array_get_object_element (records, i);
      gint64 participants = json_object_get_int_member (a, "participants");

      g_assert_cmpint (json_object_get_int_member (a, "participants_women"), <=, participants);
      g_assert_cmpint (json_object_get_int_member (a, "participants_children"), <=, participants);
      g_assert_cmpint (json_object_get_int_member (a, "beneficiaries"), >=, participants);
      g_assert_cmpstr (json_object_get_string_member (a, "start_at"), <,
                       json_object_get_string_member (a, "end_at"));
      g_hash_table_add (categories, (gpointer) json_object_get_string_member (a, "category"));
      funds += json_object_get_double_member (a, "funds_yuan");
    }
  g_assert_cmpuint (g_hash_table_size (categories), >=, 6);
  g_assert_cmpfloat (funds, >, 0);
}

static void
test_valid_inspections (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) records = list_all (store, "inspection");
  g_autoptr(GHashTable) stars = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *r = json_array_get_object_element (records, i);
      JsonObject *scores = json_object_get_object_member (r, "item_scores");
      g_autoptr(JsonObject) household = get (store, "household", json_object_get_string_member (r, "household"));
      g_autoptr(GList) items = json_object_get_members (scores);
      gint64 sum = 0;

      g_assert_cmpuint (g_list_length (items), ==, 21);
      for (GList *l = items; l; l = l->next)
        sum += json_object_get_int_member (scores, l->data);
      g_assert_cmpint (sum, <=, 100);
      g_assert_cmpstr (json_object_get_string_member (household, "org_unit"), ==,
                       json_object_get_string_member (r, "org_unit"));
      g_hash_table_add (stages, (gpointer) json_object_get_string_member (r, "stage"));
      /* What a reviewer needs (jg_rubric_check_submit()), drafts too: who
       * inspected, and a deadline for one that failed. */
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "inspectors")), >=, 1);
      if (!json_object_get_boolean_member (r, "passed"))
        g_assert_false (json_object_get_null_member (r, "rectify_by"));

      /* Scored by the rubric on the way in. */
      if (!json_object_get_null_member (r, "total"))
        {
          g_assert_cmpfloat (json_object_get_double_member (r, "total"), ==, (double) sum);
          g_hash_table_add (stars, GINT_TO_POINTER (1 + (int) json_object_get_int_member_with_default (r, "star", 0)));
        }
    }
  g_assert_true (g_hash_table_contains (stages, "village"));
  /* Stars vary: at least three of none, 1★, 2★, 3★. */
  g_assert_cmpuint (g_hash_table_size (stars), >=, 3);
}

static void
test_valid_designations (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) records = list_all (store, "designation");

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *d = json_array_get_object_element (records, i);
      g_autoptr(JsonObject) inspection = get (store, "inspection", json_object_get_string_member (d, "inspection"));
      const char *level = json_object_get_string_member (d, "level");
      JsonObject *scores = json_object_get_object_member (inspection, "item_scores");
      g_autoptr(GList) items = json_object_get_members (scores);
      gint64 sum = 0;

      for (GList *l = items; l; l = l->next)
        sum += json_object_get_int_member (scores, l->data);

      /* Granted from an approved inspection of the same household that
       * reached the level's mark. */
      g_assert_cmpstr (json_object_get_string_member (inspection, "review_state"), ==, "approved");
      g_assert_cmpstr (json_object_get_string_member (inspection, "household"), ==,
                       json_object_get_string_member (d, "household"));
      g_assert_cmpint (sum, >=, strcmp (level, "village") == 0 ? 85 : 90);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (inspection, "veto_hits")), ==, 0);
      g_assert_cmpstr (json_object_get_string_member (d, "valid_from"), >=,
                       json_object_get_string_member (inspection, "inspected_at"));
      g_assert_cmpstr (json_object_get_string_member (d, "valid_from"), <,
                       json_object_get_string_member (d, "valid_to"));
      g_assert_false (json_object_get_null_member (d, "plaque_no"));
    }
}

static void
test_valid_ledger (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) redemptions = list_all (store, "redemption");
  guint accepted = 0;

  for (guint i = 0; i < json_array_get_length (redemptions); i++)
    {
      JsonObject *r = json_array_get_object_element (redemptions, i);
      g_autoptr(GError) error = NULL;
      JgLedgerBalance balance;

      g_assert_true (jg_ledger_balance (store, json_object_get_string_member (r, "volunteer"), &balance, &error));
      g_assert_no_error (error);
      /* Hours are spent only from approved service. */
      g_assert_cmpint (balance.redeemed_minutes + balance.pending_minutes, <=, balance.earned_minutes);
      g_assert_cmpint (balance.available_minutes, >=, 0);
      if (g_strcmp0 (json_object_get_string_member (r, "status"), "accepted") == 0)
        accepted++;
    }
  g_assert_cmpuint (accepted, >, 0);
}

static void
test_valid_awards (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(JsonArray) records = list_all (store, "award");
  guint awarded = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *a = json_array_get_object_element (records, i);
      const char *state = json_object_get_string_member (a, "state");
      g_autoptr(JsonObject) household = get (store, "household", json_object_get_string_member (a, "household"));

      g_assert_true (g_str_has_suffix (json_object_get_string_member (a, "family_name"), "家庭"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (a, "family_name"),
                                       json_object_get_string_member (household, "head_name")));
      if (strcmp (state, "public_notice") == 0 || strcmp (state, "awarded") == 0)
        g_assert_true (json_object_get_boolean_member (household, "publicity_consent"));
      if (strcmp (state, "awarded") == 0)
        {
          g_assert_false (json_object_get_null_member (a, "certificate_no"));
          awarded++;
        }
    }
  g_assert_cmpuint (awarded, >, 0);
}

/* Every record came in through the change log, as a user's would. */
static void
test_valid_change_log (void)
{
  JgStore *store = small_demo (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = jg_store_changes_since (store, 0, 0, NULL, &error);
  g_autoptr(GHashTable) records = g_hash_table_new (g_str_hash, g_str_equal);
  guint total = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    g_hash_table_add (records, ((JgChange *) changes->pdata[i])->record);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(JsonArray) list = list_all (store, kinds[k].entity);

      for (guint i = 0; i < json_array_get_length (list); i++)
        g_assert_true (g_hash_table_contains (records,
                                              json_object_get_string_member (json_array_get_object_element (list, i), "id")));
      total += json_array_get_length (list);
    }
  g_assert_cmpuint (g_hash_table_size (records), ==, total);
}

/* ---- cases with their own store -------------------------------------- */

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* What a seed decides: everything but ids and timestamps. */
static char *
signature (JgStore *store)
{
  static const char * const fields[] = {
    "household:head_name", "household:address", "household:phone", "household:org_unit",
    "activity:title", "activity:start_at", "activity:org_unit",
    "volunteer:name", "volunteer:team", "service_entry:minutes", "inspection:item_scores",
    "award:family_name",
  };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_auto(GStrv) parts = g_strsplit (fields[f], ":", 2);
      g_autoptr(JsonArray) list = list_all (store, parts[0]);

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *v = json_object_get_member (json_array_get_object_element (list, i), parts[1]);
          g_autofree char *text = jg_json_canonical (v);

          g_ptr_array_add (lines, g_strdup_printf ("%s=%s", fields[f], text));
        }
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

static void
test_deterministic (void)
{
  JgDemoOptions options = { .households = 120, .seed = 42, .year = 2024 };
  g_autoptr(JgStore) a = new_store ();
  g_autoptr(JgStore) b = new_store ();
  g_autoptr(JgStore) c = new_store ();
  g_autoptr(JsonObject) sa = generate (a, &options);
  g_autoptr(JsonObject) sb = generate (b, &options);
  g_autoptr(JsonObject) sc = NULL;
  g_autofree char *siga = signature (a);
  g_autofree char *sigb = signature (b);
  g_autofree char *sigc = NULL;

  /* Not cmpstr: a failure would print thousands of lines. */
  g_assert_true (strcmp (siga, sigb) == 0);
  g_assert_cmpint (json_object_get_int_member (sa, "writes"), ==, json_object_get_int_member (sb, "writes"));

  options.seed = 43;
  sc = generate (c, &options);
  sigc = signature (c);
  g_assert_false (strcmp (siga, sigc) == 0);
}

static void
test_year (void)
{
  JgDemoOptions options = { .households = 60, .seed = 5, .year = 2023 };
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(JsonObject) summary = generate (store, &options);
  g_autoptr(JsonArray) activities = list_all (store, "activity");

  g_assert_cmpint (json_object_get_int_member (summary, "year"), ==, 2023);
  for (guint i = 0; i < json_array_get_length (activities); i++)
    g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (activities, i),
                                                                    "start_at"), "2023-"));
}

static void
test_bad_options (void)
{
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  JgDemoOptions options = { .households = 10, .year = 1999 };

  g_assert_null (jg_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);

  options.year = 9999;
  g_assert_null (jg_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);

  options.year = 0;
  options.county = "331082004";   /* a township */
  g_assert_null (jg_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_assert_cmpuint (count (store, "household"), ==, 0);
}

static void
test_padded_county (void)
{
  JgDemoOptions options = { .households = 30, .seed = 9, .county = "331082000000" };
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(JsonObject) summary = generate (store, &options);

  g_assert_cmpstr (json_object_get_string_member (summary, "county"), ==, "331082");
  g_assert_cmpuint (count (store, "household"), ==, 30);
}

static void
test_meta_restored (void)
{
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(JgStore) bare = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autofree char *role = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *bare_role = NULL;
  JgDemoOptions options = { .households = 20, .seed = 3 };

  jg_store_set_meta (store, "role", "village_staff", &error);
  g_assert_no_error (error);
  jg_store_set_meta (store, "org_unit", "331082004240", &error);
  g_assert_no_error (error);

  s1 = generate (store, &options);
  role = jg_store_dup_meta (store, "role");
  unit = jg_store_dup_meta (store, "org_unit");
  g_assert_cmpstr (role, ==, "village_staff");
  g_assert_cmpstr (unit, ==, "331082004240");

  /* A store that had no user stays without one. */
  s2 = generate (bare, &options);
  bare_role = jg_store_dup_meta (bare, "role");
  g_assert_null (bare_role);
}

static void
test_cancelled (void)
{
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *role = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (jg_demo_generate (store, NULL, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count (store, "household"), ==, 0);
  role = jg_store_dup_meta (store, "role");
  g_assert_null (role);
}

static void
cancel_half_way (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  g_assert_nonnull (message);
  if (fraction >= 0.5)
    g_cancellable_cancel (user_data);
}

/* Villages already committed stay, whole; the rest never starts. */
static void
test_cancelled_midway (void)
{
  g_autoptr(JgStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonArray) households = NULL;
  g_autoptr(GHashTable) villages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *role = NULL;
  JgDemoOptions options = { .households = 200, .seed = 11, .batch_size = 1 };

  g_assert_null (jg_demo_generate (store, &options, cancellable, cancel_half_way, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  households = list_all (store, "household");
  g_assert_cmpuint (json_array_get_length (households), >, 0);
  g_assert_cmpuint (json_array_get_length (households), <, 200);
  for (guint i = 0; i < json_array_get_length (households); i++)
    g_hash_table_add (villages, (gpointer) json_object_get_string_member (json_array_get_object_element (households, i),
                                                                          "org_unit"));
  g_assert_cmpuint (g_hash_table_size (villages), <, 4);
  /* No township work was done. */
  g_assert_cmpuint (count (store, "activity"), >, 0);
  role = jg_store_dup_meta (store, "role");
  g_assert_null (role);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();
  tmp_dir = g_dir_make_tmp ("jg-demo-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/jg/demo/small/counts", test_small_counts);
  g_test_add_func ("/jg/demo/small/reports-time", test_small_reports_time);
  g_test_add_func ("/jg/demo/small/imports-units", test_small_imports_units);
  g_test_add_func ("/jg/demo/valid/required-and-units", test_valid_required_and_units);
  g_test_add_func ("/jg/demo/valid/households", test_valid_households);
  g_test_add_func ("/jg/demo/valid/activities", test_valid_activities);
  g_test_add_func ("/jg/demo/valid/inspections", test_valid_inspections);
  g_test_add_func ("/jg/demo/valid/designations", test_valid_designations);
  g_test_add_func ("/jg/demo/valid/ledger", test_valid_ledger);
  g_test_add_func ("/jg/demo/valid/awards", test_valid_awards);
  g_test_add_func ("/jg/demo/valid/change-log", test_valid_change_log);
  g_test_add_func ("/jg/demo/deterministic", test_deterministic);
  g_test_add_func ("/jg/demo/year", test_year);
  g_test_add_func ("/jg/demo/bad-options", test_bad_options);
  g_test_add_func ("/jg/demo/padded-county", test_padded_county);
  g_test_add_func ("/jg/demo/meta-restored", test_meta_restored);
  g_test_add_func ("/jg/demo/cancelled", test_cancelled);
  g_test_add_func ("/jg/demo/cancelled-midway", test_cancelled_midway);

  status = g_test_run ();

  g_clear_object (&shared_store);
  g_clear_pointer (&shared_summary, json_object_unref);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
