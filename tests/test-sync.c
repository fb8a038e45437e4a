/* test-sync.c: the client's sync engine against a real jinguo-server */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <inttypes.h>

#include "jg-demo.h"
#include "jg-ledger.h"
#include "jg-rubric.h"
#include "sync-test-util.h"

typedef struct
{
  TestServer *ts;
  char       *dir;
} Fixture;

static char *
store_path (Fixture    *f,
            const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* A client store nobody has signed in to yet (local-only). */
static char *
local_laptop (Fixture    *f,
              const char *name)
{
  char *path = store_path (f, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_CREATE, &error);

  g_assert_no_error (error);
  return path;
}

/* A client store signed in as username. */
static char *
laptop (Fixture    *f,
        const char *name,
        const char *username)
{
  char *path = store_path (f, name);

  client_login (f->ts, path, username);
  return path;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->ts = test_server_new ();
  f->dir = g_build_filename (f->ts->dir, "clients", NULL);
  g_mkdir_with_parents (f->dir, 0700);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_server_free (f->ts);
  g_free (f->dir);
}

static JsonArray *
list_records (const char *path,
              const char *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);
  JsonArray *list;

  g_assert_no_error (error);
  list = jg_store_list (store, entity, NULL, &error);
  g_assert_no_error (error);
  return list;
}

static char *
record_text (const char *path,
             const char *entity,
             const char *id,
             const char *field)
{
  g_autoptr(JsonObject) r = get_record (path, entity, id);
  JsonNode *node;

  if (r == NULL)
    return NULL;
  node = json_object_get_member (r, field);
  return node ? jg_json_canonical (node) : NULL;
}

static void
edit (const char *path,
      const char *entity,
      const char *id,
      const char *field,
      const char *value_json)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"%s\":%s}", id, field, value_json);
  g_autofree char *same = put_record (path, entity, json);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_convergence (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *b = laptop (f, "b.db", "vb");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *ha = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autofree char *hb = put_record (b, "household", "{\"org_unit\":\"" VILLAGE_B "\",\"head_name\":\"李梅\"}");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;
  g_autoptr(JsonObject) s6 = NULL;
  g_autoptr(JsonObject) s7 = NULL;
  g_autofree char *va = NULL;
  g_autofree char *vc = NULL;

  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s1, "accepted"), >, 0);
  s2 = client_sync (b);
  s3 = client_sync (c);
  /* The reviewer sees both villages. */
  g_assert_nonnull (get_record (c, "household", ha));
  g_assert_nonnull (get_record (c, "household", hb));

  /* Offline, interleaved: the village and the county edit the same record. */
  edit (a, "household", ha, "address", "\"村东1号\"");
  edit (c, "household", ha, "member_count", "4");
  edit (c, "household", ha, "address", "\"村东2号\"");
  edit (a, "household", ha, "phone", "\"13800000000\"");

  s4 = client_sync (c);
  s5 = client_sync (a);
  s6 = client_sync (c);
  s7 = client_sync (a);
  g_assert_cmpint (summary_int (s5, "pulled"), >, 0);

  for (guint i = 0; i < 4; i++)
    {
      const char *fields[] = { "address", "member_count", "phone", "head_name" };

      g_clear_pointer (&va, g_free);
      g_clear_pointer (&vc, g_free);
      va = record_text (a, "household", ha, fields[i]);
      vc = record_text (c, "household", ha, fields[i]);
      g_assert_cmpstr (va, ==, vc);
    }
  /* A village does not see another village. */
  g_assert_null (get_record (a, "household", hb));
  g_assert_null (get_record (b, "household", ha));
}

static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  /* Written before the laptop was signed in: once it is, the store refuses
   * such a write itself (/jg/cli-domain/scope). */
  g_autofree char *a = local_laptop (f, "a.db");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *other = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_B "\",\"head_name\":\"越界\"}");
  g_autofree char *own = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"本村\"}");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(GError) error = NULL;

  client_login (f->ts, a, "va");
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), >, 0);
  g_assert_cmpint (summary_int (s1, "accepted"), >, 0);
  s2 = client_sync (c);
  g_assert_null (get_record (c, "household", other));
  g_assert_nonnull (get_record (c, "household", own));
  /* Nothing of the out-of-area record reached the server. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE record_id = '%s'", other);

    g_assert_cmpint (server_count (f->ts, sql), ==, 0);
  }

  /* Quarantined, listed with the reason, and the rest went through. */
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    rejected = jg_sync_list_rejected (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (rejected), >, 0);
    g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (rejected, 0), "code"), ==, "out_of_scope");
  }
  /* Not sent again on the next sync. */
  {
    g_autoptr(JsonObject) s3 = client_sync (a);

    g_assert_cmpint (summary_int (s3, "pushed"), ==, 0);
  }
}

static void
test_village_cannot_approve (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autofree char *state = NULL;

  edit (a, "household", h, "review_state", "\"submitted\"");
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);

  /* Forge an approval in the village's own store, past the local rules. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    jg_store_set_meta (store, "role", "county_reviewer", NULL);
    jg_store_set_meta (store, "org_unit", COUNTY, NULL);
  }
  edit (a, "household", h, "review_state", "\"approved\"");
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "rejected"), ==, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s2, "rejections"), 0), "code"),
                   ==, "permission_denied");

  /* The reviewer above approves. */
  s3 = client_sync (c);
  edit (c, "household", h, "review_state", "\"approved\"");
  s4 = client_sync (c);
  g_assert_cmpint (summary_int (s4, "accepted"), ==, 1);
  state = record_text (c, "household", h, "review_state");
  g_assert_cmpstr (state, ==, "\"approved\"");
}

static void
test_redemption_race (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a1 = laptop (f, "a1.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a1, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a1, "service_entry", json);
  g_autofree char *redeem = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                             "\"item\":\"goods\",\"item_name\":\"大米\"}", vol);
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s[8] = { NULL };

  g_ptr_array_add (keep, s[0] = client_sync (a1));
  g_assert_cmpint (summary_int (s[0], "rejected"), ==, 0);
  g_ptr_array_add (keep, s[1] = client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, s[2] = client_sync (c));
  g_assert_cmpint (summary_int (s[2], "rejected"), ==, 0);
  g_ptr_array_add (keep, s[3] = client_sync (a1));
  g_ptr_array_add (keep, s[4] = client_sync (a2));

  /* Both laptops, offline, spend the same hour. */
  r1 = put_record (a1, "redemption", redeem);
  r2 = put_record (a2, "redemption", redeem);
  g_ptr_array_add (keep, s[5] = client_sync (a1));
  g_ptr_array_add (keep, s[6] = client_sync (a2));
  {
    g_autoptr(JsonNode) n = json_node_init_object (json_node_alloc (), s[5]);
    g_autofree char *text = jg_json_to_string (n, FALSE);

    g_test_message ("first laptop: %s", text);
  }
  g_assert_cmpint (summary_int (s[5], "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s[6], "rejected"), >, 0);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s[6], "rejections"), 0), "code"),
                   ==, "insufficient_balance");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM redemption"), ==, 1);
  g_ptr_array_add (keep, s[7] = client_sync (c));
  g_assert_nonnull (get_record (c, "redemption", r1));
  g_assert_null (get_record (c, "redemption", r2));
}

/* Two laptops reverse the same approved entry offline: the second to
 * reach the server is told the entry is already reversed, not that its
 * hours were redeemed (nothing was). */
static void
test_double_reversal (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a1 = laptop (f, "a1.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a1, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a1, "service_entry", json);
  g_autofree char *reverse = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                              "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                              "\"reverses\":\"%s\",\"reason\":\"录入重复\"}", vol, entry);
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s1, *s2, *refusal;

  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (a2));

  r1 = put_record (a1, "service_entry", reverse);
  r2 = put_record (a2, "service_entry", reverse);
  g_ptr_array_add (keep, s1 = client_sync (a1));
  g_ptr_array_add (keep, s2 = client_sync (a2));
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s2, "rejected"), >, 0);
  refusal = json_array_get_object_element (json_object_get_array_member (s2, "rejections"), 0);
  g_test_message ("second laptop: %s", jg_json_get_string (refusal, "message"));
  g_assert_cmpstr (jg_json_get_string (refusal, "code"), ==, "invalid");
  g_assert_nonnull (strstr (jg_json_get_string (refusal, "message"), "already been reversed"));
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reverses IS NOT NULL"), ==, 1);
}

/* A reversal the server refuses is settled on the laptop that made it as
 * a refused redemption is: one rejection in the server's words, nothing
 * quarantined or sent again, the reversal rejected with that reason and
 * counting for nothing.  Here the reason (another laptop's reversal came
 * first) still stands after the pull, so the entry is not reversed again. */
static void
test_reversal_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *a1 = laptop (f, "a1.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a1, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a1, "service_entry", json);
  g_autofree char *r2 = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) refused = NULL;
  JsonObject *s, *rejection;

  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (a2));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store1 = jg_store_open (a1, JG_STORE_FLAGS_NONE, &error);
    g_autoptr(JgStore) store2 = NULL;
    g_autofree char *r1 = NULL;

    g_assert_no_error (error);
    r1 = jg_ledger_reverse (store1, "service_entry", entry, "录入重复", &error);
    g_assert_no_error (error);
    store2 = jg_store_open (a2, JG_STORE_FLAGS_NONE, &error);
    g_assert_no_error (error);
    r2 = jg_ledger_reverse (store2, "service_entry", entry, "时长填错", &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, s = client_sync (a1));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_ptr_array_add (keep, s = client_sync (a2));

  /* One rejection for the record, saying why. */
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);
  rejection = json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0);
  g_assert_cmpstr (jg_json_get_string (rejection, "record"), ==, r2);
  g_assert_cmpstr (jg_json_get_string (rejection, "code"), ==, "invalid");
  g_assert_nonnull (strstr (jg_json_get_string (rejection, "message"), "already been reversed"));

  /* The reversal says so, and nothing of it is quarantined or waits. */
  refused = get_record (a2, "service_entry", r2);
  g_assert_cmpstr (jg_json_get_string (refused, "status"), ==, "rejected");
  g_assert_cmpstr (jg_json_get_string (refused, "status_reason"), ==, jg_json_get_string (rejection, "message"));
  g_assert_cmpstr (jg_json_get_string (refused, "reason"), ==, "时长填错");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a2, JG_STORE_FLAGS_NONE, &error);
    g_autoptr(JsonArray) quarantined = NULL;
    g_autofree char *again = NULL;

    g_assert_no_error (error);
    quarantined = jg_sync_list_rejected (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (quarantined), ==, 0);
    /* The other laptop's reversal, pulled, is the one that stands. */
    again = jg_ledger_reverse (store, "service_entry", entry, "再试一次", &error);
    g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
    g_assert_null (again);
  }
  g_ptr_array_add (keep, s = client_sync (a2));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s, "pushed"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reverses IS NOT NULL"), ==, 1);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE status IS NOT NULL"), ==, 0);
}

/* A refused reversal's reason allows another one: the hours were
 * promised to a redemption when it reached the server; once that is
 * refused by the county, the entry is reversed again from the same laptop
 * and the server takes it. */
static void
test_reversal_refused_again (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a1 = laptop (f, "a1.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a1, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *redeem = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                             "\"item\":\"goods\",\"item_name\":\"大米\"}", vol);
  g_autofree char *entry = put_record (a1, "service_entry", json);
  g_autofree char *red = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) refused = NULL;
  JsonObject *s, *rejection;

  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (a2));

  red = put_record (a1, "redemption", redeem);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a2, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    r2 = jg_ledger_reverse (store, "service_entry", entry, "录入重复", &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, s = client_sync (a2));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);
  rejection = json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0);
  g_assert_cmpstr (jg_json_get_string (rejection, "code"), ==, "insufficient_balance");
  refused = get_record (a2, "service_entry", r2);
  g_assert_cmpstr (jg_json_get_string (refused, "status"), ==, "rejected");

  /* The county refuses the redemption; the hours are there again. */
  g_ptr_array_add (keep, client_sync (c));
  {
    g_autofree char *decision = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"rejected\","
                                                 "\"status_reason\":\"库存不足\"}", red);
    g_autofree char *same = put_record (c, "redemption", decision);
  }
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a2));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a2, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    r3 = jg_ledger_reverse (store, "service_entry", entry, "录入重复", &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, s = client_sync (a2));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reverses IS NOT NULL"), ==, 1);
}

/* A reversal the county returns is corrected and submitted again, then
 * withdrawn, from the village laptop, and the server takes each step; a
 * new reversal of the entry follows the withdrawn one and is approved. */
static void
test_returned_reversal (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a, "service_entry", json);
  g_autofree char *rev = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *fix = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    rev = jg_ledger_reverse (store, "service_entry", entry, "录入重复", &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  fix = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\",\"review_note\":\"理由不清\"}", rev);
  g_free (put_record (c, "service_entry", fix));
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));

  /* Corrected and submitted again. */
  g_free (fix);
  fix = g_strdup_printf ("{\"id\":\"%s\",\"reason\":\"活动取消\",\"review_state\":\"submitted\"}", rev);
  g_free (put_record (a, "service_entry", fix));
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reason = '活动取消'"
                                        " AND review_state = 'submitted'"), ==, 1);

  /* Returned again, and withdrawn. */
  g_ptr_array_add (keep, client_sync (c));
  g_free (fix);
  fix = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\",\"review_note\":\"不必冲正\"}", rev);
  g_free (put_record (c, "service_entry", fix));
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_true (jg_store_delete (store, "service_entry", rev, &error));
    g_assert_no_error (error);
    rev2 = jg_ledger_reverse (store, "service_entry", entry, "录入重复", &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reverses IS NOT NULL"
                                        " AND deleted IS NOT 1"), ==, 1);

  /* The new one is approved at the county. */
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", rev2, "review_state", "\"approved\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE reverses IS NOT NULL"
                                        " AND review_state = 'approved'"), ==, 1);
}

/* Version 2 of four-beauty, known to a laptop and not to the server. */
static const char rubric_v2[] =
  "{\"id\":\"four-beauty\",\"version\":2,\"label\":\"Four beauties 2\",\"label_zh\":\"四美第二版\","
  "\"sections\":["
  " {\"code\":\"room\",\"label\":\"Rooms\",\"label_zh\":\"居室美\",\"max\":35,\"items\":["
  "  {\"code\":\"R1\",\"label\":\"Clean\",\"label_zh\":\"干净\",\"max\":20},"
  "  {\"code\":\"R2\",\"label\":\"Tidy\",\"label_zh\":\"整齐\",\"max\":15}]},"
  " {\"code\":\"yard\",\"label\":\"Yard\",\"label_zh\":\"庭院美\",\"max\":65,\"items\":["
  "  {\"code\":\"Y1\",\"label\":\"Clean\",\"label_zh\":\"干净\",\"max\":65}]}],"
  "\"veto_items\":[{\"code\":\"V1\",\"label\":\"Crime\",\"label_zh\":\"违法\"}],"
  "\"thresholds\":{\"pass\":60,\"stars\":[70,80,90],\"section_min_percent\":60},"
  "\"designation\":{\"min_total\":{\"village\":80}}}";

/* An inspection scored with a rubric version the server does not know is
 * refused whole: the county never sees its version and totals without its
 * scores, and the laptop keeps every change of it. */
static void
test_unknown_rubric_version (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;
  g_autofree char *h = NULL;
  g_autofree char *json = NULL;
  g_autofree char *z = NULL;
  g_autoptr(JgRubric) v2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *rejections;
  JsonObject *s;

  /* Version 2 stays in the child's registry, away from the other tests. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  a = laptop (f, "a.db", "va");
  c = laptop (f, "c.db", "county");
  h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_ptr_array_add (keep, client_sync (a));
  v2 = jg_rubric_new_from_data (rubric_v2, -1, &error);
  g_assert_no_error (error);
  g_assert_true (jg_rubric_register (v2, &error));
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                          "\"inspected_at\":\"2024-05-01\",\"stage\":\"village\","
                          "\"item_scores\":{\"R1\":20}}", h);
  z = put_record (a, "inspection", json);

  g_ptr_array_add (keep, s = client_sync (a));
  rejections = json_object_get_array_member (s, "rejections");
  g_assert_cmpint (summary_int (s, "rejected"), >, 1);
  for (guint i = 0; i < json_array_get_length (rejections); i++)
    {
      JsonObject *r = json_array_get_object_element (rejections, i);

      g_assert_cmpstr (jg_json_get_string (r, "record"), ==, z);
      g_assert_cmpstr (jg_json_get_string (r, "code"), ==, "not_found");
    }
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection"), ==, 0);
  g_ptr_array_add (keep, client_sync (c));
  g_assert_null (get_record (c, "inspection", z));
}

/* An inspection's score is never merged field by field: a veto added on the
 * township's laptop and higher scores entered offline in the village meet
 * as a veto hit with no star, on every replica, and no conflict is asked
 * about the computed fields. */
static void
test_inspection_score_merged (Fixture       *f,
                              gconstpointer  data)
{
  static const char *const fields[] = { "total", "star", "passed", "section_totals", "veto_hits" };
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *t = laptop (f, "t.db", "town");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-05-01\",\"stage\":\"village\","
                                           "\"item_scores\":{\"R1\":6,\"Y1\":7}}", h);
  g_autofree char *z = put_record (a, "inspection", json);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *star = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (t));

  edit (t, "inspection", z, "veto_hits", "[\"V2\"]");
  edit (a, "inspection", z, "item_scores",
        "{\"R1\":6,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,\"Y1\":7,\"Y2\":6,\"Y3\":6,\"Y4\":4,\"Y5\":4,"
        "\"Y6\":3,\"K1\":5,\"K2\":4,\"K3\":7,\"K4\":4,\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4,\"F5\":4,\"F6\":3}");
  g_ptr_array_add (keep, client_sync (t));
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (t));
  g_ptr_array_add (keep, client_sync (c));

  star = record_text (c, "inspection", z, "star");
  g_assert_cmpstr (star, ==, "0");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *va = record_text (a, "inspection", z, fields[i]);
      g_autofree char *vt = record_text (t, "inspection", z, fields[i]);
      g_autofree char *vc = record_text (c, "inspection", z, fields[i]);

      g_assert_cmpstr (va, ==, vc);
      g_assert_cmpstr (vt, ==, vc);
    }
  {
    g_autofree char *passed = record_text (c, "inspection", z, "passed");
    g_autofree char *total = record_text (c, "inspection", z, "total");

    g_assert_cmpstr (passed, ==, "false");
    g_assert_cmpstr (total, ==, "100.0");
  }
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE star = 0 AND passed = 0"), ==, 1);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict WHERE kind = 'hard'"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict WHERE field IN ('total', 'star', 'passed', "
                                        "'section_totals')"), ==, 0);
}

static gboolean
release_lock (gpointer data)
{
  close (GPOINTER_TO_INT (data));
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* One sync of a store at a time (the app's and the CLI's): a second waits
 * for the first to end, and can be cancelled while it waits. */
static void
test_one_sync_at_a_time (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *lock_path = g_strconcat (a, ".sync-lock", NULL);
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) s = NULL;
  gint64 start;
  int fd;

  /* Held by somebody else: cancelled while it waits, nothing sent. */
  fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  {
    g_autoptr(JgSyncClient) client = jg_sync_client_new (a);
    Wait w = { 0 };

    g_timeout_add (300, cancel_later, cancellable);
    jg_sync_client_sync_async (client, cancellable, wait_sync, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&w.error);
  }
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household"), ==, 0);

  /* Released a moment later: the waiting sync goes on. */
  start = g_get_monotonic_time ();
  g_timeout_add (400, release_lock, GINT_TO_POINTER (fd));
  s = client_sync (a);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (summary_int (s, "pushed"), >, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household"), ==, 1);
}

/* The laptop that lost a redemption race learns it: its redemption is
 * rejected there with the server's reason, reported once, and no longer
 * holds the volunteer's minutes, so what is left can still be redeemed. */
static void
test_redemption_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a1 = laptop (f, "a1.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *vol = put_record (a1, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"王秀兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":720,"
                                           "\"service_type\":\"care_visit\",\"served_at\":\"2024-05-01T08:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a1, "service_entry", json);
  g_autofree char *redeem = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":500,"
                                             "\"item\":\"goods\",\"item_name\":\"大米\"}", vol);
  g_autofree char *rest = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":220,"
                                           "\"item\":\"goods\",\"item_name\":\"油\"}", vol);
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonArray) quarantined = NULL;
  JsonObject *s = NULL, *rejection;
  JgLedgerBalance balance;

  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, client_sync (a2));

  g_free (put_record (a1, "redemption", redeem));
  r2 = put_record (a2, "redemption", redeem);
  g_ptr_array_add (keep, client_sync (a1));
  g_ptr_array_add (keep, s = client_sync (a2));

  /* One message for the one redemption, saying what is available. */
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);
  rejection = json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0);
  g_assert_cmpstr (jg_json_get_string (rejection, "code"), ==, "insufficient_balance");
  g_assert_cmpstr (jg_json_get_string (rejection, "record"), ==, r2);
  g_assert_nonnull (strstr (jg_json_get_string (rejection, "message"), "220"));
  g_assert_nonnull (strstr (jg_json_get_string (rejection, "message"), "720 approved"));

  /* The redemption says so; nothing of it waits to be sent. */
  refused = get_record (a2, "redemption", r2);
  g_assert_cmpstr (jg_json_get_string (refused, "status"), ==, "rejected");
  g_assert_cmpstr (jg_json_get_string (refused, "status_reason"), ==, jg_json_get_string (rejection, "message"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (a2, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    quarantined = jg_sync_list_rejected (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (quarantined), ==, 0);
    jg_ledger_balance (store, vol, &balance, &error);
    g_assert_no_error (error);
  }
  /* The other laptop's redemption, which the server took, is pending
   * until the county settles it; the refused one counts for nothing. */
  g_assert_cmpint (balance.pending_minutes + balance.redeemed_minutes, ==, 500);
  g_assert_cmpint (balance.available_minutes, ==, 220);
  g_ptr_array_add (keep, s = client_sync (a2));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s, "pushed"), ==, 0);

  /* What is left can be redeemed from this laptop, and the server takes it. */
  r3 = put_record (a2, "redemption", rest);
  g_ptr_array_add (keep, s = client_sync (a2));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM redemption"), ==, 2);
}

/* A laptop that did not know the award went on public notice withdraws
 * the household's consent: the server refuses it as the laptop would. */
static void
test_consent_during_notice (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\","
                                                   "\"publicity_consent\":true}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"award_type\":\"most_beautiful_family\",\"level\":\"village\","
                                           "\"year\":2026,\"review_state\":\"submitted\"}", h);
  g_autofree char *award = put_record (a, "award", json);
  g_autofree char *consent = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "award", award, "review_state", "\"approved\"");
  edit (c, "award", award, "state", "\"under_review\"");
  edit (c, "award", award, "state", "\"public_notice\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  edit (a, "household", h, "publicity_consent", "false");
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), >=, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0), "code"),
                   ==, "consent_required");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE publicity_consent = 1"), ==, 1);
  consent = record_text (c, "household", h, "publicity_consent");
  g_assert_cmpstr (consent, ==, "true");
}

/* A reviewer grants a designation and numbers its plaque in one write: the
 * server takes the whole write, as her laptop did (the grant fixes the
 * fields for later writes, not for its own). */
static void
test_grant_with_plaque (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                           /* submitted: with who inspected (jg_rubric_check_submit()) */
                                           "\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],\"item_scores\":{"
                                           "\"R1\":6,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,\"Y1\":7,\"Y2\":6,"
                                           "\"Y3\":6,\"Y4\":4,\"Y5\":4,\"Y6\":3,\"K1\":5,\"K2\":4,\"K3\":7,"
                                           "\"K4\":4,\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4}}", h);
  g_autofree char *inspection = put_record (a, "inspection", json);
  g_autofree char *village = NULL;
  g_autofree char *grant = NULL;
  g_autofree char *same = NULL;
  g_autofree char *local_plaque = NULL;
  g_autofree char *server_plaque = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "inspection", inspection, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  g_free (json);
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"level\":\"village\","
                          "\"valid_from\":\"2024-05-01\",\"review_state\":\"submitted\"}", h);
  village = put_record (a, "designation", json);
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  /* The county grants it and numbers the plaque, in one write. */
  grant = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\",\"plaque_no\":\"LH-001\","
                           "\"valid_to\":\"2027-04-30\"}", village);
  same = put_record (c, "designation", grant);
  local_plaque = record_text (c, "designation", village, "plaque_no");
  g_assert_cmpstr (local_plaque, ==, "\"LH-001\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_test_message ("rejected: %" G_GINT64_FORMAT, summary_int (s, "rejected"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (f->ts->db, JG_STORE_FLAGS_NONE, &error);
    g_autoptr(JsonObject) r = jg_store_get (store, "designation", village, &error);
    JsonNode *node = r ? json_object_get_member (r, "plaque_no") : NULL;

    server_plaque = node ? jg_json_canonical (node) : NULL;
  }
  g_test_message ("laptop plaque_no %s, server plaque_no %s", local_plaque, server_plaque);
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_assert_cmpstr (server_plaque, ==, local_plaque);
}

/* A consent withdrawal refused while the family is on public notice takes
 * the rest of its write with it: the time consent was given stays. */
static void
test_consent_withdrawal_whole (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\","
                                                   "\"publicity_consent\":true}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"award_type\":\"most_beautiful_family\",\"level\":\"village\","
                                           "\"year\":2026,\"review_state\":\"submitted\"}", h);
  g_autofree char *award = put_record (a, "award", json);
  g_autofree char *before = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  before = record_text (c, "household", h, "consent_at");
  g_test_message ("consent_at before: %s", before);
  edit (c, "award", award, "review_state", "\"approved\"");
  edit (c, "award", award, "state", "\"under_review\"");
  edit (c, "award", award, "state", "\"public_notice\"");
  g_ptr_array_add (keep, s = client_sync (c));

  edit (a, "household", h, "publicity_consent", "false");
  /* A later edit of the household is a write of its own: it stands. */
  edit (a, "household", h, "phone", "\"13900001111\"");
  g_ptr_array_add (keep, s = client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  {
    g_autofree char *consent = record_text (c, "household", h, "publicity_consent");
    g_autofree char *at = record_text (c, "household", h, "consent_at");

    g_test_message ("county laptop after: consent %s consent_at %s", consent, at);
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE publicity_consent = 1"), ==, 1);
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE consent_at IS NULL"), ==, 0);
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE phone = '13900001111'"), ==, 1);
  }
}

/* The server holds designations to the same rules as a laptop: a granted
 * one is not overwritten by a laptop that had not seen the grant, and a
 * title above village is not given by a village, whatever its store says. */
/* A laptop deletes a household offline while another adds its inspection
 * and syncs first: the server refuses the deletion (in_use), the deleting
 * laptop is told, and the household stays live on the server. */
static void
test_delete_in_use (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *b = laptop (f, "b.db", "va");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\"}");
  g_autofree char *json = NULL;
  g_autofree char *inspection = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (b));
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                          "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\"}", h);
  inspection = put_record (b, "inspection", json);
  g_ptr_array_add (keep, s = client_sync (b));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_true (jg_store_delete (store, "household", h, &error));
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0), "code"),
                   ==, "in_use");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE deleted IS NOT 1"), ==, 1);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE deleted IS NOT 1"), ==, 1);
}

/* A household the county approved: once the village laptop has synced,
 * it is not deleted there (jg_review_check_delete()); returned by the
 * county, it is.  (A laptop that deleted it offline before the approval
 * arrived deletes it: the server does not judge a deletion by its review
 * state, see check_role().) */
static void
test_delete_approved (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\","
                                                   "\"review_state\":\"submitted\"}");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *deleted = NULL;
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "household", h, "review_state", "\"approved\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_ptr_array_add (keep, client_sync (a));

  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_false (jg_store_delete (store, "household", h, &error));
    g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
    g_clear_error (&error);
  }
  {
    g_autofree char *back = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                             "\"review_note\":\"重复登记，请删除\"}", h);

    g_free (put_record (c, "household", back));
  }
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_ptr_array_add (keep, client_sync (a));
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_true (jg_store_delete (store, "household", h, &error));
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  deleted = record_text (a, "household", h, "deleted");
  g_assert_cmpstr (deleted, ==, "true");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE deleted IS NOT 1"), ==, 0);
}

static gboolean
has_record (const char *path,
            const char *entity,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JsonObject) record = NULL;

  g_assert_no_error (error);
  record = jg_store_get (store, entity, id, &error);
  if (record == NULL)
    {
      g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
      return FALSE;
    }
  return TRUE;
}

/* An admin moves a village worker to another village (user-add with the
 * new unit, exploratory test D item 2): her laptop is signed out, and
 * signed in again it pulls the new village's records, which the server
 * had sent before its cursor, and forgets the old village's, except one
 * she has still to send. */
static void
test_user_moved (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *b = laptop (f, "b.db", "vb");
  g_autofree char *old = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\"}");
  g_autofree char *there = put_record (b, "household", "{\"org_unit\":\"" VILLAGE_B "\",\"head_name\":\"陈静\"}");
  g_autofree char *unsent = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *move[] = { "user-add", "--db", f->ts->db, "--username", "va", "--role", "village_staff",
                         "--org", VILLAGE_B, NULL };
  g_autofree char *out = NULL;
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (b));
  g_ptr_array_add (keep, client_sync (a));
  g_assert_false (has_record (a, "household", there));

  g_assert_cmpint (run_server_command_output (move, TEST_PASSWORD, &out), ==, 0);
  g_assert_nonnull (strstr (out, "1 device was signed out"));
  unsent = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"未送出\"}");
  {
    g_autoptr(JgSyncClient) client = jg_sync_client_new (a);
    Wait w = { 0 };

    jg_sync_client_sync_async (client, NULL, wait_sync, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (w.result);
    g_assert_error (w.error, JG_ERROR, JG_ERROR_UNAUTHORIZED);
    g_clear_error (&w.error);
  }

  client_login (f->ts, a, "va");
  g_assert_false (has_record (a, "household", old));
  g_assert_true (has_record (a, "household", unsent));
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_true (has_record (a, "household", there));
  g_assert_false (has_record (a, "household", old));
  /* The one she had not sent is refused where it is, not lost unseen. */
  g_assert_cmpint (summary_int (s, "rejected"), >=, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0),
                                       "code"), ==, "out_of_scope");
  g_assert_true (has_record (a, "household", unsent));
  /* The old village's record is still on the server. */
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household WHERE org_unit = '" VILLAGE_A "'"), ==, 1);
}

static void
test_designation_rules (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘桂英\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                           /* submitted: with who inspected (jg_rubric_check_submit()) */
                                           "\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],\"item_scores\":{"
                                           "\"R1\":6,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,\"Y1\":7,\"Y2\":6,"
                                           "\"Y3\":6,\"Y4\":4,\"Y5\":4,\"Y6\":3,\"K1\":5,\"K2\":4,\"K3\":7,"
                                           "\"K4\":4,\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4}}", h);
  g_autofree char *inspection = put_record (a, "inspection", json);
  g_autofree char *village = NULL;
  g_autofree char *township = NULL;
  g_autofree char *plaque = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s = NULL;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "inspection", inspection, "review_state", "\"approved\"");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  g_free (json);
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"level\":\"village\","
                          "\"valid_from\":\"2024-05-01\",\"plaque_no\":\"P1\",\"review_state\":\"submitted\"}", h);
  village = put_record (a, "designation", json);
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "designation", village, "review_state", "\"approved\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  /* The village had not seen the grant: its new plaque number is refused. */
  edit (a, "designation", village, "plaque_no", "\"P9\"");
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), >=, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0), "code"),
                   ==, "immutable");
  plaque = record_text (c, "designation", village, "plaque_no");
  g_assert_cmpstr (plaque, ==, "\"P1\"");
  /* A refused edit changed nothing the grant missed: nothing goes back to
   * review, here or on the server. */
  g_ptr_array_add (keep, client_sync (a));
  {
    g_autofree char *state = record_text (a, "designation", village, "review_state");

    g_assert_cmpstr (state, ==, "\"approved\"");
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM designation WHERE review_state = 'approved'"), ==, 1);
  }

  /* A village store that claims a county's role grants nothing above village
   * (another laptop of the village's). */
  b = laptop (f, "b.db", "va");
  g_ptr_array_add (keep, client_sync (b));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (b, JG_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    jg_store_set_meta (store, "role", "county_reviewer", NULL);
    jg_store_set_meta (store, "org_unit", COUNTY, NULL);
  }
  g_free (json);
  json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"household\":\"%s\",\"level\":\"township\","
                          "\"valid_from\":\"2024-06-01\",\"plaque_no\":\"T1\"}", h);
  township = put_record (b, "designation", json);
  g_ptr_array_add (keep, s = client_sync (b));
  g_assert_cmpint (summary_int (s, "rejected"), >=, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0), "code"),
                   ==, "permission_denied");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM designation"), ==, 1);

  /* Revoked (摘牌) by the county, the title stays as it is: a township
   * laptop that had not seen the revocation cannot take the grant back. */
  {
    g_autofree char *t = laptop (f, "t.db", "town");
    g_autofree char *revoke = g_strdup_printf ("{\"id\":\"%s\",\"revoked\":true,"
                                               "\"revoked_reason\":\"回头看两次不合格\"}", village);
    g_autofree char *take_back = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                                  "\"review_note\":\"请重新评估\"}", village);
    g_autofree char *same = NULL;
    g_autofree char *again = NULL;

    g_ptr_array_add (keep, client_sync (t));
    same = put_record (c, "designation", revoke);
    g_ptr_array_add (keep, s = client_sync (c));
    g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
    /* A granted title is not returned at all: the township's laptop
     * refuses it itself ... */
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgStore) store = jg_store_open (t, 0, &error);
      g_autoptr(JsonNode) node = jg_json_parse (take_back, -1, &error);

      g_assert_no_error (error);
      again = jg_store_put (store, "designation", json_node_get_object (node), &error);
      g_assert_null (again);
      g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
    }
    /* ... and the server refuses the step from any device. */
    {
      g_autofree char *token = test_login (f->ts, "town");
      g_autofree char *body = g_strdup_printf (
        "{\"protocol\":1,\"replica\":\"0123456789abcdef0123456789abcdef\",\"cursor\":0,\"limit\":0,"
        "\"changes\":[{\"replica\":\"0123456789abcdef0123456789abcdef\",\"n\":1,\"entity\":\"designation\","
        "\"record\":\"%s\",\"field\":\"review_state\",\"value\":\"returned\",\"hlc\":%" G_GINT64_FORMAT ","
        "\"base\":0,\"rbase\":0}]}", village, (g_get_real_time () / 1000) << 16);
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *result;
      guint status = 0;

      reply = http_post_json (f->ts, "/api/v1/sync", token, body, &status);
      g_assert_cmpuint (status, ==, 200);
      result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "results"), 0);
      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "transition_not_allowed");
    }
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM designation WHERE review_state = 'approved'"
                                          " AND revoked = 1"), ==, 1);
  }
}

/* Approved hours are money: a township reviewer who had not seen the
 * county's approval cannot take it back (approved → returned) once a
 * redemption is paid from it, so no balance goes below zero. */
static void
test_approval_stays (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *t = laptop (f, "t.db", "town");
  g_autofree char *vol = put_record (a, "volunteer", "{\"org_unit\":\"" VILLAGE_A "\",\"name\":\"张兰\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-05-01T09:00\","
                                           "\"review_state\":\"submitted\"}", vol);
  g_autofree char *entry = put_record (a, "service_entry", json);
  g_autofree char *state = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (t));

  /* The county approves; the township, offline, returns the same entry. */
  edit (c, "service_entry", entry, "review_state", "\"approved\"");
  {
    g_autofree char *ret = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\",\"review_note\":\"补充材料\"}", entry);
    g_autofree char *same = put_record (t, "service_entry", ret);
  }
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_ptr_array_add (keep, s = client_sync (t));
  g_assert_cmpint (summary_int (s, "rejected"), >, 0);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (json_object_get_array_member (s, "rejections"), 0), "code"),
                   ==, "transition_not_allowed");

  g_ptr_array_add (keep, client_sync (c));
  state = record_text (c, "service_entry", entry, "review_state");
  g_assert_cmpstr (state, ==, "\"approved\"");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM service_entry WHERE review_state = 'approved'"), ==, 1);
}

/* Returned, resubmitted unchanged, returned again in the same words: the
 * resubmission clears the answered note on the laptop and on the server, so
 * the second return is a new note and nobody refuses it. */
static void
test_return_again (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *t = laptop (f, "t.db", "town");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"钱芳\","
                                                   "\"member_count\":3,\"review_state\":\"submitted\"}");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s;

  for (int round = 0; round < 2; round++)
    {
      g_autofree char *state = NULL;
      g_autofree char *note = NULL;

      g_ptr_array_add (keep, client_sync (a));
      g_ptr_array_add (keep, client_sync (t));
      {
        g_autofree char *ret = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                                "\"review_note\":\"请补充门牌号\"}", h);

        g_free (put_record (t, "household", ret));
      }
      g_ptr_array_add (keep, s = client_sync (t));
      g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
      g_ptr_array_add (keep, client_sync (a));
      state = record_text (a, "household", h, "review_state");
      note = record_text (a, "household", h, "review_note");
      g_assert_cmpstr (state, ==, "\"returned\"");
      g_assert_cmpstr (note, ==, "\"请补充门牌号\"");

      /* The village sends it back unchanged. */
      edit (a, "household", h, "review_state", "\"submitted\"");
      g_ptr_array_add (keep, s = client_sync (a));
      g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
      g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household"
                                            " WHERE review_state = 'submitted' AND review_note IS NULL"), ==, 1);
    }
}

/* The township returns a household while the county, offline, approves
 * it: the server refuses the approval (the record is no longer submitted).
 * The county laptop must then hold what the server holds (returned, with
 * the township's note), not the refused approval, and offer no conflict
 * whose "keep approved" would be refused again; the refusal stays listed
 * (reviewer-gui.md item 2). */
static void
test_refused_not_kept (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *t = laptop (f, "t.db", "town");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = NULL;
  g_autofree char *state = NULL;
  g_autofree char *note = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *s;

  /* The county laptop pulls the history (not a snapshot). */
  g_ptr_array_add (keep, client_sync (c));
  h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"孙丽\","
                                  "\"member_count\":2,\"review_state\":\"submitted\"}");
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (t));
  g_ptr_array_add (keep, client_sync (c));

  {
    g_autofree char *ret = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                            "\"review_note\":\"请补充门牌号\"}", h);

    g_free (put_record (t, "household", ret));
  }
  g_ptr_array_add (keep, s = client_sync (t));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  approve = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", h);
  g_free (put_record (c, "household", approve));
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);

  state = record_text (c, "household", h, "review_state");
  note = record_text (c, "household", h, "review_note");
  g_assert_cmpstr (state, ==, "\"returned\"");
  g_assert_cmpstr (note, ==, "\"请补充门牌号\"");
  store = jg_store_open (c, JG_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT count (*) FROM conflict WHERE resolved_by IS NULL "
                                                      "AND field = 'review_state'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  }
  rejected = jg_sync_list_rejected (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (rejected, 0), "field"), ==, "review_state");
  g_clear_object (&store);

  /* Nothing is sent again; the laptop stays as the server. */
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "pushed"), ==, 0);
  g_clear_pointer (&state, g_free);
  state = record_text (c, "household", h, "review_state");
  g_assert_cmpstr (state, ==, "\"returned\"");
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM household WHERE review_state = 'returned'"), ==, 1);
}

/* A county laptop that joined with a snapshot holds no earlier version of
 * the household's review_state in its log.  Its approval, refused because
 * the township returned the household meanwhile, must not stay: the
 * rejection carries the server's version of the field, which the laptop
 * takes as the field's version (the township's "returned", older than the
 * refused approval, would otherwise lose every later merge against it). */
static void
test_refused_snapshot (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *t = laptop (f, "t.db", "town");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s;

  h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"孙丽\","
                                  "\"member_count\":2,\"review_state\":\"submitted\"}");
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (t));
  /* The county joins now: a snapshot, no history. */
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 1);

  {
    g_autofree char *ret = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                            "\"review_note\":\"请补充门牌号\"}", h);

    g_free (put_record (t, "household", ret));
  }
  g_ptr_array_add (keep, s = client_sync (t));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  approve = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", h);
  g_free (put_record (c, "household", approve));
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 1);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *state = record_text (c, "household", h, "review_state");
      g_autofree char *note = record_text (c, "household", h, "review_note");
      g_autofree char *fresh = NULL;
      g_autofree char *fresh_state = NULL;

      g_assert_cmpstr (state, ==, "\"returned\"");
      g_assert_cmpstr (note, ==, "\"请补充门牌号\"");
      /* The same version as a laptop that joins now holds. */
      fresh = laptop (f, round == 0 ? "c2.db" : "c3.db", "county");
      g_ptr_array_add (keep, client_sync (fresh));
      fresh_state = record_text (fresh, "household", h, "review_state");
      g_assert_cmpstr (fresh_state, ==, state);
      g_ptr_array_add (keep, s = client_sync (c));
      g_assert_cmpint (summary_int (s, "pushed"), ==, 0);
    }
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM household WHERE review_state = 'returned'"), ==, 1);
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM household WHERE review_state = 'approved'"), ==, 0);

  /* The township's edit that follows reaches the county laptop as usual. */
  {
    g_autofree char *again = g_strdup_printf ("{\"id\":\"%s\",\"review_note\":\"已补\"}", h);
    g_autofree char *note = NULL;

    g_free (put_record (t, "household", again));
    g_ptr_array_add (keep, client_sync (t));
    g_ptr_array_add (keep, client_sync (c));
    note = record_text (c, "household", h, "review_note");
    g_assert_cmpstr (note, ==, "\"已补\"");
  }
}

/* The county moves a household from village A to village B: A's laptop
 * forgets it (a removal), B's laptop receives it whole, with the fields set
 * before the move, and later edits reach B, not A. */
static void
test_record_moves (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *bl = laptop (f, "b.db", "vb");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"赵敏\","
                                                   "\"address\":\"大田刘村2组5号\",\"member_count\":3}");
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *members = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (bl));   /* B is past the household's history now */
  g_ptr_array_add (keep, client_sync (c));
  g_assert_null (get_record (bl, "household", h));

  edit (c, "household", h, "org_unit", "\"" VILLAGE_B "\"");
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);

  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "removed"), ==, 1);
  g_assert_null (get_record (a, "household", h));

  g_ptr_array_add (keep, client_sync (bl));
  name = record_text (bl, "household", h, "head_name");
  address = record_text (bl, "household", h, "address");
  g_assert_cmpstr (name, ==, "\"赵敏\"");
  g_assert_cmpstr (address, ==, "\"大田刘村2组5号\"");

  /* A later edit by the county reaches the new village only. */
  edit (c, "household", h, "member_count", "5");
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (bl));
  g_ptr_array_add (keep, s = client_sync (a));
  members = record_text (bl, "household", h, "member_count");
  g_assert_cmpstr (members, ==, "5");
  g_assert_null (get_record (a, "household", h));
  g_assert_cmpint (summary_int (s, "pulled"), ==, 0);
}

/* The village edits a household offline while the county moves it to
 * another village: the edits are refused (out_of_scope) and the removal
 * makes the laptop forget the record, but not the refused edits: they stay
 * listed with their values, so what was typed is not lost without trace
 * (sync.md item 2). */
static void
test_moved_while_edited (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"赵敏\","
                                                   "\"address\":\"旧址\"}");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) rejected = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (c, "household", h, "org_unit", "\"" VILLAGE_B "\"");
  g_ptr_array_add (keep, client_sync (c));

  edit (a, "household", h, "address", "\"新址 3 号\"");
  edit (a, "household", h, "phone", "\"13900000000\"");
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 2);
  g_assert_cmpint (summary_int (s, "removed"), ==, 1);
  g_assert_null (get_record (a, "household", h));

  /* Listed, with the values typed, and shown as gone. */
  store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  rejected = jg_sync_list_rejected (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);
      const char *field = jg_json_get_string (r, "field");
      const char *value = json_object_get_string_member (r, "value");

      g_assert_cmpstr (jg_json_get_string (r, "record"), ==, h);
      g_assert_cmpstr (jg_json_get_string (r, "code"), ==, "out_of_scope");
      g_assert_true (json_object_get_boolean_member_with_default (r, "gone", FALSE));
      g_assert_cmpstr (value, ==, strcmp (field, "address") == 0 ? "新址 3 号" : "13900000000");
    }
  g_clear_object (&store);

  /* Nothing is sent again, and the list stays. */
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "pushed"), ==, 0);
  g_assert_null (get_record (a, "household", h));
  store = jg_store_open (a, JG_STORE_FLAGS_NONE, &error);
  g_clear_pointer (&rejected, json_array_unref);
  rejected = jg_sync_list_rejected (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
}

/* The server over TLS with a certificate of its own making: a laptop that
 * trusts it (JINGUO_CA_FILE) signs in and syncs; one that does not is
 * refused before any password is sent. */
static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (f->ts->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->ts->dir, "key.pem", NULL);
  g_autofree char *store = g_build_filename (f->dir, "tls.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) summary = NULL;
  Wait w = { 0 };
  guint port;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  /* LeakSanitizer's exit-time scan fails in a process that loaded the TLS
   * backend (glib-networking); the normal build runs this test. */
  if (g_getenv ("JINGUO_SANITIZE") != NULL)
    {
      g_test_skip ("TLS is not tested in the sanitized build");
      return;
    }
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                           "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    int status = -1;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  test_server_stop (f->ts, FALSE);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->ts->proc = g_subprocess_launcher_spawn (launcher, &error, server_binary (), "serve", "--db", f->ts->db,
                                             "--listen", "127.0.0.1:0", "--tls-cert", cert,
                                             "--tls-key", key, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->ts->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (port, >, 0);
  url = g_strdup_printf ("https://127.0.0.1:%u", port);

  {
    g_autoptr(JgStore) s = jg_store_open (store, JG_STORE_CREATE, &error);

    g_assert_no_error (error);
  }

  /* Not trusted: refused. */
  g_unsetenv ("JINGUO_CA_FILE");
  {
    g_autoptr(JgSyncClient) client = jg_sync_client_new (store);

    jg_sync_client_login_async (client, url, "va", TEST_PASSWORD, NULL, wait_login, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (w.error);
    g_assert_null (w.result);
    g_clear_error (&w.error);
  }

  /* A certificate file that cannot be read: said, naming it, not taken
   * for a server with the wrong certificate. */
  g_setenv ("JINGUO_CA_FILE", "/nonexistent/county-ca.pem", TRUE);
  memset (&w, 0, sizeof w);
  {
    g_autoptr(JgSyncClient) client = jg_sync_client_new (store);

    jg_sync_client_login_async (client, url, "va", TEST_PASSWORD, NULL, wait_login, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (w.error);
    g_assert_nonnull (strstr (w.error->message, "/nonexistent/county-ca.pem (JINGUO_CA_FILE)"));
    g_clear_error (&w.error);
  }

  /* Trusted, the file named relative to the current folder (GLib itself
   * takes only absolute names). */
  {
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *cert_dir = g_path_get_dirname (cert);
    g_autofree char *cert_name = g_path_get_basename (cert);

    g_assert_cmpint (g_chdir (cert_dir), ==, 0);
    g_setenv ("JINGUO_CA_FILE", cert_name, TRUE);
    memset (&w, 0, sizeof w);
    {
      g_autoptr(JgSyncClient) client = jg_sync_client_new (store);

      jg_sync_client_login_async (client, url, "va", TEST_PASSWORD, NULL, wait_login, &w);
      while (!w.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (w.error);
      json_object_unref (w.result);
    }
    g_assert_cmpint (g_chdir (cwd), ==, 0);
  }
  g_setenv ("JINGUO_CA_FILE", cert, TRUE);
  id = put_record (store, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"孙丽\"}");
  summary = client_sync (store);
  g_unsetenv ("JINGUO_CA_FILE");
  g_assert_cmpint (summary_int (summary, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (summary, "accepted"), >, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM household"), ==, 1);

  /* Stopped hard: under LeakSanitizer the TLS backend's threads make the
   * exit-time leak scan fail now and then; clean shutdown is checked by the
   * other tests. */
  test_server_stop (f->ts, TRUE);
}

static void
test_lost_reply (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  gint64 before;

  s1 = client_sync (a);
  before = server_count (f->ts, "SELECT count(*) FROM change_log");
  /* The reply was lost: the laptop never recorded the acknowledgements. */
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);

    g_assert_true (jg_store_exec (store, "UPDATE change_entry SET server_seq = NULL", NULL));
  }
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "pushed"), ==, summary_int (s1, "pushed"));
  g_assert_cmpint (summary_int (s2, "duplicates"), ==, summary_int (s1, "pushed"));
  g_assert_cmpint (summary_int (s2, "accepted"), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM change_log"), ==, before);
}

static void
test_clock_ahead (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = NULL;
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;
  g_autofree char *addr = NULL;
  g_autofree char *created = NULL;

  /* The village laptop's clock is a year ahead. */
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autofree char *year = g_strdup_printf ("%" PRId64, (gint64) 365 * 24 * 3600 * 1000);

    jg_store_set_meta (store, "hlc_offset_ms", year, NULL);
  }
  h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\",\"address\":\"旧\"}");
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "clock_corrections"), ==, 1);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s1, "accepted"), >, 0);
  created = record_text (a, "household", h, "created_at");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *year = g_strdup_printf ("\"%d-", g_date_time_get_year (now));

    g_assert_true (g_str_has_prefix (created, year) || g_date_time_get_month (now) == 12);
  }

  /* The county edits later, in real time: its edit wins. */
  s2 = client_sync (c);
  edit (c, "household", h, "address", "\"新\"");
  s3 = client_sync (c);
  s4 = client_sync (a);
  s5 = client_sync (c);
  addr = record_text (a, "household", h, "address");
  g_assert_cmpstr (addr, ==, "\"新\"");
  g_clear_pointer (&addr, g_free);
  addr = record_text (c, "household", h, "address");
  g_assert_cmpstr (addr, ==, "\"新\"");
}

/* A sum over a store's own changes that differs when any change's stamp
 * does: the stamps a device holds against those the server accepted. */
#define STAMPS_SQL(replica_cond) \
  "SELECT count(*) * 1000003 + coalesce (sum ((c.hlc - c.hlc / 1000003 * 1000003) * c.counter), 0) FROM change_log c " \
  "JOIN replica r ON r.idx = c.replica_idx WHERE " replica_cond

/* A long outbox (several push batches, sent back to back) from a laptop
 * whose clock jumped a year ahead halfway through: the first batches are
 * accepted, the later ones refused (those already in flight as well), the
 * clock is corrected once and the refused changes stamped again, and the
 * server ends with each change once, holding the stamps the laptop holds. */
static void
add_households (const char *path,
                int         first,
                int         n)
{
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, NULL);

  for (int i = first; i < first + n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"户%d\"}", i);
      g_autoptr(JsonNode) node = jg_json_parse (json, -1, NULL);
      g_autofree char *id = jg_store_put (store, "household", json_node_get_object (node), NULL);

      g_assert_nonnull (id);
    }
}

static void
test_clock_ahead_long_outbox (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autofree char *replica = NULL;
  gint64 own, own_stamps;

  add_households (a, 0, 1400);
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autofree char *year = g_strdup_printf ("%" PRId64, (gint64) 365 * 24 * 3600 * 1000);

    jg_store_set_meta (store, "hlc_offset_ms", year, NULL);
    replica = g_strdup (jg_store_get_replica_id (store));
  }
  add_households (a, 1400, 1400);

  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "clock_corrections"), ==, 1);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  /* The snapshot a new device asks for first holds what the server had by
   * then (the first batch at most), not the 2800 households pushed after. */
  g_assert_cmpint (summary_int (s1, "snapshot"), <=, JG_SYNC_PUSH_BATCH / 5);

  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStmt) stmt = NULL;
    g_autofree char *sql = NULL;

    stmt = jg_store_prepare (store, "SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                    "WHERE r.replica_id = ?1 AND c.server_seq IS NULL", NULL);
    sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
    jg_stmt_release (g_steal_pointer (&stmt));

    stmt = jg_store_prepare (store, "SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                    "WHERE r.replica_id = ?1", NULL);
    sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    own = sqlite3_column_int64 (stmt, 0);
    jg_stmt_release (g_steal_pointer (&stmt));
    /* The first batch, then over three of the size the server's answers
     * allow: all but the last go out back to back. */
    g_assert_cmpint (own, >, JG_SYNC_PUSH_BATCH + 3 * JG_SYNC_PUSH_BATCH_MAX);
    /* Refused once, sent again: only the batch whose answer held the
     * clock_skew, nothing sent after it with the old stamps. */
    g_assert_cmpint (summary_int (s1, "pushed"), >, own);
    g_assert_cmpint (summary_int (s1, "pushed") - own, <=, JG_SYNC_PUSH_BATCH_MAX);
    g_assert_cmpint (summary_int (s1, "accepted"), ==, own);

    stmt = jg_store_prepare (store, STAMPS_SQL ("r.replica_id = ?1"), NULL);
    sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    own_stamps = sqlite3_column_int64 (stmt, 0);

    /* The server holds every change with the stamp the laptop holds. */
    sql = g_strdup_printf ("SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE r.replica_id = '%s'", replica);
    g_assert_cmpint (server_count (f->ts, sql), ==, own);
    g_clear_pointer (&sql, g_free);
    sql = g_strdup_printf (STAMPS_SQL ("r.replica_id = '%s'"), replica);
    g_assert_cmpint (server_count (f->ts, sql), ==, own_stamps);
  }

  /* Nothing left to send, nothing sent twice. */
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "pushed"), ==, 0);
  g_assert_cmpint (summary_int (s2, "clock_corrections"), ==, 0);
}

static void
test_quarantine_released_by_edit (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *a = local_laptop (f, "a.db");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_B "\",\"head_name\":\"错村\"}");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;

  client_login (f->ts, a, "va");
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "accepted"), ==, 0);
  /* The user fixes the unit: the record goes out, whole. */
  edit (a, "household", h, "org_unit", "\"" VILLAGE_A "\"");
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "accepted"), >, 0);
  s3 = client_sync (c);
  {
    g_autofree char *name = record_text (c, "household", h, "head_name");
    g_autofree char *unit = record_text (c, "household", h, "org_unit");

    g_assert_cmpstr (name, ==, "\"错村\"");
    g_assert_cmpstr (unit, ==, "\"" VILLAGE_A "\"");
  }
}

/* ---- a store restored from a backup ------------------------------------------ */

/* A plain file copy of a closed store, as a backup or a restore is made. */
static void
copy_store (const char *from,
            const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_file_copy (src, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
store_replica (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return g_strdup (jg_store_get_replica_id (store));
}

static char *
new_household (const char *path,
               const char *head_name)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"%s\"}", head_name);

  return put_record (path, "household", json);
}

/* The device shows nothing waiting and nothing refused, as the app reads it. */
static void
assert_nothing_stuck (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonArray) rejected = NULL;

  g_assert_no_error (error);
  status = jg_store_sync_status (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary_int (status, "pending"), ==, 0);
  g_assert_cmpint (summary_int (status, "rejected"), ==, 0);
  rejected = jg_sync_list_rejected (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejected), ==, 0);
}

/* Both stores hold the same households, field for field. */
static void
assert_same_households (const char *a,
                        const char *b)
{
  g_autoptr(JsonArray) list_a = list_records (a, "household");
  g_autoptr(JsonArray) list_b = list_records (b, "household");

  g_assert_cmpuint (json_array_get_length (list_a), ==, json_array_get_length (list_b));
  for (guint i = 0; i < json_array_get_length (list_a); i++)
    {
      JsonObject *r = json_array_get_object_element (list_a, i);
      g_autoptr(JsonObject) other = get_record (b, "household", jg_json_get_string (r, "id"));
      g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), r);
      g_autoptr(JsonNode) nb = NULL;
      g_autofree char *ta = NULL;
      g_autofree char *tb = NULL;

      g_assert_nonnull (other);
      nb = json_node_init_object (json_node_alloc (), other);
      ta = jg_json_canonical (na);
      tb = jg_json_canonical (nb);
      g_assert_cmpstr (ta, ==, tb);
    }
}

/* No change sits on the server twice (under two ids). */
#define SERVER_TWINS_SQL \
  "SELECT count (*) FROM (SELECT 1 FROM change_entry GROUP BY record, field, hlc HAVING count (*) > 1)"

/* A's store is put back from a copy made after its first sync: its new
 * changes reuse numbers the server holds for changes made after the copy.
 * The sync forks it to a new replica: the new changes are accepted, the
 * changes made before the restore come back, and nothing stays stuck. */
static void
test_restored_backup (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;
  g_autofree char *old_replica = store_replica (a);
  g_autofree char *new_replica = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;
  gint64 server_total;

  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  copy_store (a, backup);

  /* After the backup: a new household and an edit, synced. */
  h2 = new_household (a, "李梅");
  edit (a, "household", h1, "address", "\"村东1号\"");
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s2, "forks"), ==, 0);

  /* The laptop is put back from the backup, and used again. */
  copy_store (backup, a);
  g_assert_null (get_record (a, "household", h2));
  h3 = new_household (a, "张兰");
  edit (a, "household", h1, "phone", "\"13800000000\"");

  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  g_assert_cmpint (summary_int (s3, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s3, "accepted"), >, 0);
  new_replica = store_replica (a);
  g_assert_cmpstr (new_replica, !=, old_replica);

  /* Everything, the changes made before the restore too. */
  g_assert_nonnull (get_record (a, "household", h2));
  g_assert_nonnull (get_record (a, "household", h3));
  {
    g_autofree char *address = record_text (a, "household", h1, "address");
    g_autofree char *phone = record_text (a, "household", h1, "phone");

    g_assert_cmpstr (address, ==, "\"村东1号\"");
    g_assert_cmpstr (phone, ==, "\"13800000000\"");
  }

  /* The new changes are on the server under the new replica, once. */
  sql = g_strdup_printf ("SELECT count (*) FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                         "WHERE r.replica_id = '%s'", new_replica);
  g_assert_cmpint (server_count (f->ts, sql), ==, summary_int (s3, "accepted"));
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);
  server_total = server_count (f->ts, "SELECT count (*) FROM change_entry");

  /* A second sync is clean, and nothing waits or is refused. */
  s4 = client_sync (a);
  g_assert_cmpint (summary_int (s4, "pushed"), ==, 0);
  g_assert_cmpint (summary_int (s4, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s4, "forks"), ==, 0);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM change_entry"), ==, server_total);

  /* The laptop holds what the server holds. */
  s5 = client_sync (c);
  assert_same_households (a, c);
}

/* Put back from a backup and synced before any new change: the server's
 * "last_n" shows the store is behind its own replica, and it forks. */
static void
test_restored_backup_unchanged (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;
  g_autoptr(JsonObject) s6 = NULL;

  s1 = client_sync (a);
  copy_store (a, backup);
  h2 = new_household (a, "李梅");
  s2 = client_sync (a);
  copy_store (backup, a);

  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  g_assert_cmpint (summary_int (s3, "pushed"), ==, 0);
  g_assert_nonnull (get_record (a, "household", h2));

  /* Its next changes go out under the new replica. */
  h3 = new_household (a, "张兰");
  s4 = client_sync (a);
  g_assert_cmpint (summary_int (s4, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s4, "accepted"), >, 0);
  g_assert_cmpint (summary_int (s4, "forks"), ==, 0);
  s5 = client_sync (a);
  g_assert_cmpint (summary_int (s5, "pushed"), ==, 0);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);
  s6 = client_sync (c);
  assert_same_households (a, c);
}

/* Put back from a backup and used more than it was before the restore:
 * the changes above the server's numbers are taken under the old replica,
 * the ones that reuse a number go out under the new one, and the same
 * field edited on both sides of the restore converges like any two
 * replicas' edits. */
static void
test_restored_backup_busier (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;

  s1 = client_sync (a);
  copy_store (a, backup);
  edit (a, "household", h1, "address", "\"村东1号\"");
  s2 = client_sync (a);
  copy_store (backup, a);

  edit (a, "household", h1, "address", "\"村西2号\"");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("户主%u", i);

      g_ptr_array_add (made, new_household (a, name));
    }
  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  g_assert_cmpint (summary_int (s3, "rejected"), ==, 0);
  s4 = client_sync (a);
  g_assert_cmpint (summary_int (s4, "pushed"), ==, 0);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);

  s5 = client_sync (c);
  for (guint i = 0; i < made->len; i++)
    g_assert_nonnull (get_record (c, "household", made->pdata[i]));
  assert_same_households (a, c);
}

/* A new record made after the restore: its first change takes a number the
 * server holds, its other fields numbers above the server's highest.  The
 * whole record goes out under the new replica, nothing stays refused. */
static void
test_restored_backup_new_record (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h3 = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL;

  s1 = client_sync (a);
  copy_store (a, backup);
  edit (a, "household", h1, "address", "\"村东1号\"");
  s2 = client_sync (a);
  copy_store (backup, a);

  h3 = new_household (a, "张兰");
  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  s4 = client_sync (a);
  g_assert_cmpint (summary_int (s4, "pushed"), ==, 0);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);

  g_clear_pointer (&s1, json_object_unref);
  s1 = client_sync (c);
  name = record_text (c, "household", h3, "head_name");
  g_assert_cmpstr (name, ==, "\"张兰\"");
  assert_same_households (a, c);
}

/* The backup held more than a push of changes not yet sent, which the
 * other copy sent (the same) before one more edit: they come back as
 * duplicates and are never sent again under the new replica. */
static void
test_restored_backup_long_outbox (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autoptr(JsonObject) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL, s5 = NULL;

  s1 = client_sync (a);
  add_households (a, 0, 400);
  copy_store (a, backup);
  s2 = client_sync (a);
  edit (a, "household", h1, "address", "\"村东1号\"");
  s3 = client_sync (a);
  copy_store (backup, a);

  s4 = client_sync (a);
  g_assert_cmpint (summary_int (s4, "forks"), ==, 1);
  s5 = client_sync (a);
  g_assert_cmpint (summary_int (s5, "pushed"), ==, 0);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict"), ==, 0);
  {
    g_autofree char *address = record_text (a, "household", h1, "address");

    g_assert_cmpstr (address, ==, "\"村东1号\"");
  }
}

/* One edit of two fields after the restore, one of them numbered where the
 * server holds another change: it is one write, under one replica, and no
 * conflict with itself. */
static void
test_restored_backup_split_write (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h0 = new_household (a, "陈英");
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"村西\",\"phone\":\"13900000000\"}", h1);
  g_autofree char *same = NULL;
  g_autoptr(JsonObject) s1 = NULL, s2 = NULL, s3 = NULL;

  s1 = client_sync (a);
  copy_store (a, backup);
  edit (a, "household", h0, "tags", "[\"留守\"]");
  s2 = client_sync (a);
  copy_store (backup, a);

  same = put_record (a, "household", json);
  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict"), ==, 0);
}

/* The same field edited by both copies after the restore, the restored
 * one's edit numbered above the server's highest: a hard conflict, as
 * between any two laptops, never one copy silently over the other. */
static void
test_restored_backup_same_field (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *backup = store_path (f, "a-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h0 = new_household (a, "陈英");
  g_autoptr(JsonObject) s1 = NULL, s2 = NULL, s3 = NULL;

  s1 = client_sync (a);
  copy_store (a, backup);
  edit (a, "household", h1, "address", "\"原机\"");
  s2 = client_sync (a);
  copy_store (backup, a);
  edit (a, "household", h0, "phone", "\"13900000000\"");
  edit (a, "household", h1, "address", "\"恢复机\"");
  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "forks"), ==, 1);
  assert_nothing_stuck (a);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict WHERE kind = 'hard' AND field = 'address'"),
                   ==, 1);
}

/* ---- a server restored from a backup -------------------------------------- */

/* The server's store is put back from a `jinguo-server backup` copy: the
 * server stops, the copy replaces its store, and it serves again (on a new
 * port, which the laptops are told). */
static void
restore_server (Fixture     *f,
                const char  *backup,
                const char **laptops)
{
  test_server_stop (f->ts, FALSE);
  copy_store (backup, f->ts->db);
  test_server_start (f->ts);
  for (guint i = 0; laptops[i] != NULL; i++)
    {
      g_autoptr(JgStore) store = jg_store_open (laptops[i], JG_STORE_FLAGS_NONE, NULL);
      g_autoptr(JgStmt) stmt = jg_store_prepare (store, "UPDATE sync_state SET value = ? WHERE key = 'server_url'",
                                                 NULL);

      sqlite3_bind_text (stmt, 1, f->ts->url, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
}

/* What the server accepted after the backup is gone once it is restored:
 * the laptop that pushed it must send it again (it held it as
 * acknowledged), and laptops whose cursor is beyond the restored server's
 * newest seq must pull again, or they never see what others push to the
 * restored server (sync.md item 1). */
static void
test_restored_server (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *a2 = laptop (f, "a2.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *fresh = NULL;
  g_autofree char *backup = store_path (f, "server-backup.db");
  g_autofree char *h1 = new_household (a, "王芳");
  g_autofree char *h2 = NULL;
  g_autofree char *h4 = NULL;
  const char *backup_args[] = { "backup", "--db", f->ts->db, "--to", backup, NULL };
  const char *laptops[] = { a, a2, c, NULL };
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autoptr(JsonObject) s4 = NULL;
  g_autoptr(JsonObject) s5 = NULL;
  g_autoptr(JsonObject) s6 = NULL;
  g_autoptr(JsonObject) s7 = NULL;
  g_autoptr(JsonObject) s8 = NULL;
  g_autoptr(JsonObject) s9 = NULL;
  gint64 lost;

  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_clear_pointer (&s1, json_object_unref);
  s1 = client_sync (a2);
  g_clear_pointer (&s1, json_object_unref);
  s1 = client_sync (c);
  g_assert_cmpint (run_server_command (backup_args, NULL), ==, 0);

  /* Accepted after the backup, and pulled by the others. */
  h2 = new_household (a, "李梅");
  edit (a, "household", h1, "address", "\"村东1号\"");
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "accepted"), >, 0);
  g_assert_cmpint (summary_int (s2, "rejected"), ==, 0);
  lost = summary_int (s2, "accepted");
  s3 = client_sync (a2);
  g_assert_nonnull (get_record (a2, "household", h2));
  g_clear_pointer (&s3, json_object_unref);
  s3 = client_sync (c);
  g_assert_nonnull (get_record (c, "household", h2));

  restore_server (f, backup, laptops);
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM household"), ==, 1);

  /* A second laptop of the village writes after the restore and syncs: it
   * is behind nothing of its own, but its cursor is beyond the server's. */
  h4 = new_household (a2, "张兰");
  s4 = client_sync (a2);
  g_assert_cmpint (summary_int (s4, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s4, "server_restored"), ==, 1);

  /* The laptop that pushed what was lost sends it again, and receives
   * what the restored server took meanwhile. */
  s5 = client_sync (a);
  g_assert_cmpint (summary_int (s5, "server_restored"), ==, 1);
  g_assert_cmpint (summary_int (s5, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s5, "accepted"), ==, lost);
  g_assert_nonnull (get_record (a, "household", h4));
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM household"), ==, 3);

  /* The county laptop had pulled beyond the restored server too. */
  s6 = client_sync (c);
  g_assert_cmpint (summary_int (s6, "server_restored"), ==, 1);
  g_assert_nonnull (get_record (c, "household", h4));

  /* Once more each: nothing more to do, nothing counted twice. */
  s7 = client_sync (a2);
  g_clear_pointer (&s7, json_object_unref);
  s7 = client_sync (a);
  g_assert_cmpint (summary_int (s7, "pushed"), ==, 0);
  g_assert_cmpint (summary_int (s7, "server_restored"), ==, 0);
  s8 = client_sync (c);
  g_assert_cmpint (summary_int (s8, "server_restored"), ==, 0);
  assert_nothing_stuck (a);
  assert_nothing_stuck (a2);
  assert_nothing_stuck (c);
  g_assert_cmpint (server_count (f->ts, SERVER_TWINS_SQL), ==, 0);
  g_assert_cmpint (server_count (f->ts, "SELECT count (*) FROM (SELECT 1 FROM change_entry "
                                        "GROUP BY replica_idx, counter HAVING count (*) > 1)"), ==, 0);

  /* Every laptop holds what a new one receives from the server. */
  fresh = laptop (f, "fresh.db", "county");
  s9 = client_sync (fresh);
  g_assert_nonnull (get_record (fresh, "household", h2));
  g_assert_nonnull (get_record (fresh, "household", h4));
  assert_same_households (a, fresh);
  assert_same_households (a2, fresh);
  assert_same_households (c, fresh);
}

/* Signing in to another server is not a restore: its history is its own,
 * and what the first server acknowledged is not sent again. */
static void
test_other_server_not_restored (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *h = new_household (a, "王芳");
  g_autoptr(TestServer) other = test_server_new ();
  g_autoptr(JsonObject) s1 = client_sync (a);
  g_autoptr(JsonObject) s2 = NULL;

  g_assert_cmpint (summary_int (s1, "accepted"), >, 0);
  client_login (other, a, "va");
  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "server_restored"), ==, 0);
  g_assert_cmpint (summary_int (s2, "pushed"), ==, 0);
  g_assert_nonnull (get_record (a, "household", h));
}

static void
test_resolve_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\","
                                                   "\"review_state\":\"submitted\"}");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *s[6] = { NULL };
  g_autoptr(JsonArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *change = NULL;
  const char *id;

  g_ptr_array_add (keep, s[0] = client_sync (a));
  g_ptr_array_add (keep, s[1] = client_sync (c));
  edit (a, "household", h, "address", "\"甲\"");
  edit (c, "household", h, "address", "\"乙\"");
  g_ptr_array_add (keep, s[2] = client_sync (a));
  g_ptr_array_add (keep, s[3] = client_sync (c));
  g_assert_cmpint (summary_int (s[3], "conflicts"), >, 0);

  /* The village laptop lists the conflict but may not decide it: that is
   * a reviewer's act (DOMAIN.md), and nothing is written. */
  g_ptr_array_add (keep, client_sync (a));
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonNode) value = jg_json_parse ("\"乙\"", -1, NULL);
    g_autoptr(JsonArray) open = jg_store_list_conflicts (store, FALSE, &error);
    g_autofree char *refused = NULL;
    g_autofree char *before = record_text (a, "household", h, "address");
    g_autofree char *after = NULL;
    const char *hard = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (open); i++)
      if (g_strcmp0 (jg_json_get_string (json_array_get_object_element (open, i), "kind"), "hard") == 0)
        hard = jg_json_get_string (json_array_get_object_element (open, i), "id");
    g_assert_nonnull (hard);
    refused = jg_sync_resolve_conflict (store, hard, value, &error);
    g_assert_error (error, JG_ERROR, JG_ERROR_PERMISSION);
    g_assert_null (refused);
    g_clear_error (&error);
    after = record_text (a, "household", h, "address");
    g_assert_cmpstr (after, ==, before);
  }

  /* The county approves the record, then decides the conflict: her
   * decision keeps her approval (it is not a village edit of approved
   * content, which goes back to review). */
  edit (c, "household", h, "review_state", "\"approved\"");
  {
    g_autoptr(JgStore) store = jg_store_open (c, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonNode) value = jg_json_parse ("\"甲\"", -1, NULL);

    conflicts = jg_store_list_conflicts (store, FALSE, &error);
    g_assert_no_error (error);
    id = NULL;
    for (guint i = 0; i < json_array_get_length (conflicts); i++)
      if (g_strcmp0 (jg_json_get_string (json_array_get_object_element (conflicts, i), "kind"), "hard") == 0)
        id = jg_json_get_string (json_array_get_object_element (conflicts, i), "id");
    g_assert_nonnull (id);
    change = jg_sync_resolve_conflict (store, id, value, &error);
    g_assert_no_error (error);
    g_assert_nonnull (change);
  }
  g_ptr_array_add (keep, s[4] = client_sync (c));
  g_ptr_array_add (keep, s[5] = client_sync (a));
  {
    g_autofree char *va = record_text (a, "household", h, "address");
    g_autofree char *vc = record_text (c, "household", h, "address");

    g_autofree char *sa = record_text (a, "household", h, "review_state");
    g_autofree char *sc = record_text (c, "household", h, "review_state");

    g_assert_cmpstr (va, ==, "\"甲\"");
    g_assert_cmpstr (vc, ==, "\"甲\"");
    g_assert_cmpstr (sa, ==, "\"approved\"");
    g_assert_cmpstr (sc, ==, "\"approved\"");
  }
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonArray) open = jg_store_list_conflicts (store, FALSE, NULL);

    for (guint i = 0; i < json_array_get_length (open); i++)
      g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (open, i), "kind"), !=, "hard");
  }
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of @path's hard conflicts, settled ones too with @all, sorted. */
static GPtrArray *
hard_conflict_ids (const char *path,
                   gboolean    all)
{
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, NULL);
  g_autoptr(JsonArray) list = jg_store_list_conflicts (store, all, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (g_strcmp0 (jg_json_get_string (o, "kind"), "hard") == 0)
        g_ptr_array_add (ids, g_strdup (jg_json_get_string (o, "id")));
    }
  g_ptr_array_sort (ids, compare_ids);
  return ids;
}

/* A device that joins later lists the conflicts recorded before it did:
 * the snapshot's last page carries them, named as everywhere, settled or
 * not, and the new device's reviewer settles the open one for every
 * device.  A device whose area does not hold the record receives none. */
static void
test_snapshot_conflicts (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h1 = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autofree char *h2 = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"李梅\"}");
  g_autofree char *fresh = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) all_c = NULL;
  g_autoptr(GPtrArray) all_fresh = NULL;
  g_autoptr(GPtrArray) open_fresh = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (a, "household", h1, "address", "\"甲\"");
  edit (c, "household", h1, "address", "\"乙\"");
  edit (a, "household", h2, "address", "\"东\"");
  edit (c, "household", h2, "address", "\"西\"");
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, s = client_sync (c));
  g_assert_cmpint (summary_int (s, "conflicts"), >=, 2);

  /* c settles h2's conflict; h1's stays open. */
  {
    g_autoptr(JgStore) store = jg_store_open (c, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonArray) list = jg_store_list_conflicts (store, FALSE, &error);
    g_autoptr(JsonNode) value = jg_json_parse ("\"西\"", -1, NULL);
    g_autofree char *change = NULL;
    const char *id = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);

        if (g_strcmp0 (jg_json_get_string (o, "kind"), "hard") == 0 &&
            g_strcmp0 (jg_json_get_string (o, "record"), h2) == 0)
          id = jg_json_get_string (o, "id");
      }
    g_assert_nonnull (id);
    change = jg_sync_resolve_conflict (store, id, value, &error);
    g_assert_no_error (error);
  }
  g_ptr_array_add (keep, client_sync (c));
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict WHERE kind = 'hard'"), ==, 2);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM conflict WHERE kind = 'hard' "
                                        "AND resolved_by IS NULL"), ==, 1);

  fresh = laptop (f, "fresh.db", "county");
  g_ptr_array_add (keep, s = client_sync (fresh));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 2);
  g_assert_cmpint (summary_int (s, "conflicts"), ==, 1);   /* the open one */
  all_c = hard_conflict_ids (c, TRUE);
  all_fresh = hard_conflict_ids (fresh, TRUE);
  open_fresh = hard_conflict_ids (fresh, FALSE);
  g_assert_cmpuint (all_fresh->len, ==, 2);
  g_assert_cmpuint (all_c->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (all_fresh->pdata[i], ==, all_c->pdata[i]);
  g_assert_cmpuint (open_fresh->len, ==, 1);

  /* The new device's reviewer settles the open one, for everybody. */
  {
    g_autoptr(JgStore) store = jg_store_open (fresh, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonNode) value = jg_json_parse ("\"乙\"", -1, NULL);
    g_autofree char *change = jg_sync_resolve_conflict (store, open_fresh->pdata[0], value, &error);

    g_assert_no_error (error);
    g_assert_nonnull (change);
  }
  g_ptr_array_add (keep, client_sync (fresh));
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  for (guint i = 0; i < 3; i++)
    {
      const char *path = i == 0 ? a : i == 1 ? c : fresh;
      g_autoptr(GPtrArray) open = hard_conflict_ids (path, FALSE);
      g_autofree char *v = record_text (path, "household", h1, "address");

      g_assert_cmpuint (open->len, ==, 0);
      g_assert_cmpstr (v, ==, "\"乙\"");
    }

  /* Another village's laptop: neither the records nor their conflicts. */
  other = laptop (f, "other.db", "vb");
  g_ptr_array_add (keep, s = client_sync (other));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 0);
  none = hard_conflict_ids (other, TRUE);
  g_assert_cmpuint (none->len, ==, 0);
}

/* A laptop that signs in as another user takes a snapshot over the
 * records it holds.  A version of the snapshot that settles a conflict the
 * laptop holds open arrives without its change id; the snapshot's
 * conflicts then name the change every other store names. */
static void
test_snapshot_settles_held (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) open_a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settle = NULL;
  g_autofree char *on_server = NULL;
  JsonObject *s;

  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  edit (a, "household", h, "address", "\"甲\"");
  edit (c, "household", h, "address", "\"乙\"");
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (c));
  g_ptr_array_add (keep, client_sync (a));
  open_a = hard_conflict_ids (a, FALSE);
  g_assert_cmpuint (open_a->len, ==, 1);

  /* The county settles it; the village laptop has not heard yet. */
  {
    g_autoptr(JgStore) store = jg_store_open (c, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonNode) value = jg_json_parse ("\"乙\"", -1, NULL);

    settle = jg_sync_resolve_conflict (store, open_a->pdata[0], value, &error);
    g_assert_no_error (error);
    g_assert_nonnull (settle);
  }
  g_ptr_array_add (keep, client_sync (c));
  {
    g_autoptr(JgStore) store = jg_store_open (f->ts->db, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT resolved_by FROM conflict WHERE kind = 'hard'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    on_server = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  }
  g_assert_cmpstr (on_server, ==, settle);

  /* The township's staff signs in on that laptop: a snapshot. */
  client_login (f->ts, a, "town");
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 1);
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JsonArray) all = jg_store_list_conflicts (store, TRUE, &error);
    guint n_hard = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *o = json_array_get_object_element (all, i);

        if (g_strcmp0 (jg_json_get_string (o, "kind"), "hard") != 0)
          continue;
        n_hard++;
        g_assert_cmpstr (jg_json_get_string (o, "id"), ==, open_a->pdata[0]);
        g_assert_cmpstr (jg_json_get_string (o, "resolved_by"), ==, settle);
      }
    g_assert_cmpuint (n_hard, ==, 1);
  }
  {
    g_autofree char *v = record_text (a, "household", h, "address");

    g_assert_cmpstr (v, ==, "\"乙\"");
  }
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonArray) list = NULL;
  gint64 pushed;

  /* c has synced before (its snapshot is done): it pulls changes, in pages. */
  json_object_unref (client_sync (c));
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);

    for (int i = 0; i < 300; i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"户%d\"}", i);
        g_autoptr(JsonNode) node = jg_json_parse (json, -1, NULL);
        g_autofree char *id = jg_store_put (store, "household", json_node_get_object (node), NULL);

        g_assert_nonnull (id);
      }
  }
  s1 = client_sync (a);
  pushed = summary_int (s1, "pushed");
  g_assert_cmpint (pushed, >, JG_SYNC_PUSH_BATCH);   /* more than one batch */
  g_assert_cmpint (summary_int (s1, "accepted"), ==, pushed);
  s2 = client_sync (c);
  g_assert_cmpint (summary_int (s2, "pulled"), ==, pushed);   /* several pages */
  list = list_records (c, "household");
  g_assert_cmpuint (json_array_get_length (list), ==, 300);
}

/* A demo county from one laptop: thousands of changes in many batches,
 * records created, submitted and approved, hours approved before they are
 * redeemed.  Every change is accepted (no write is split across batches,
 * the server keeps the order the changes were made in), and a second
 * county laptop pulls exactly the same records. */
static void
test_demo_county (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autofree char *c2 = laptop (f, "c2.db", "county");
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (c, JG_STORE_FLAGS_NONE, &error);
    JgDemoOptions options = { .households = 120, .seed = 7 };
    g_autoptr(JsonObject) summary = NULL;

    g_assert_no_error (error);
    summary = jg_demo_generate (store, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (summary, "redemptions"), >, 0);
  }

  s1 = client_sync (c);
  g_assert_cmpint (summary_int (s1, "pushed"), >, 2 * JG_SYNC_PUSH_BATCH);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s1, "accepted"), ==, summary_int (s1, "pushed"));

  /* c2 is a new device: it gets current state, not the history. */
  s2 = client_sync (c2);
  g_assert_cmpint (summary_int (s2, "pulled"), ==, 0);
  g_assert_cmpint (summary_int (s2, "snapshot"), >, 100);
  for (guint i = 0; i < n_entities; i++)
    {
      g_autoptr(JsonArray) l1 = list_records (c, entities[i]->name);
      g_autoptr(JsonArray) l2 = list_records (c2, entities[i]->name);
      g_autoptr(JsonNode) n1 = json_node_init_array (json_node_alloc (), l1);
      g_autoptr(JsonNode) n2 = json_node_init_array (json_node_alloc (), l2);
      g_autofree char *t1 = jg_json_canonical (n1);
      g_autofree char *t2 = jg_json_canonical (n2);

      g_assert_cmpstr (t1, ==, t2);
    }
}

typedef struct
{
  guint calls;
  gboolean done_seen;
} ProgressCount;

static void
count_progress (JgSyncClient *client,
                const char   *phase,
                guint         pushed,
                guint         pulled,
                gpointer      user_data)
{
  ProgressCount *p = user_data;

  p->calls++;
  if (g_strcmp0 (phase, "done") == 0)
    p->done_seen = TRUE;
}

static void
cancel_at_push (JgSyncClient *client,
                const char   *phase,
                guint         pushed,
                guint         pulled,
                gpointer      user_data)
{
  if (g_strcmp0 (phase, "push") == 0)
    g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* A sync cancelled while its batches go out back to back stops at once,
 * with the request in flight cancelled too, and the next sync finishes
 * the job: every change on the server once, nothing left to send. */
static void
test_cancel_long_outbox (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autoptr(JgSyncClient) client = jg_sync_client_new (a);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) s2 = NULL;
  g_autoptr(JsonObject) s3 = NULL;
  g_autofree char *replica = NULL;
  g_autofree char *sql = NULL;
  gint64 own;
  Wait w = { 0 };

  add_households (a, 0, 2000);
  g_signal_connect (client, "progress", G_CALLBACK (cancel_at_push), cancellable);
  jg_sync_client_sync_async (client, cancellable, wait_sync, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);

  s2 = client_sync (a);
  g_assert_cmpint (summary_int (s2, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s2, "pushed"), >, 0);
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStmt) stmt = NULL;

    replica = g_strdup (jg_store_get_replica_id (store));
    stmt = jg_store_prepare (store, "SELECT count(*), count(*) FILTER (WHERE c.server_seq IS NULL) "
                                    "FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                    "WHERE r.replica_id = ?1", NULL);
    sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    own = sqlite3_column_int64 (stmt, 0);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 0);
  }
  sql = g_strdup_printf ("SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                         "WHERE r.replica_id = '%s'", replica);
  g_assert_cmpint (server_count (f->ts, sql), ==, own);
  s3 = client_sync (a);
  g_assert_cmpint (summary_int (s3, "pushed"), ==, 0);
}

/* Long texts go out in pushes the server takes: a batch is cut by the size
 * of its values too, not only by their number.  400 activity summaries of
 * 20,000 characters are 24 MB in 2,800 changes: a push of 1,000 of them
 * would hold more than the 8 MiB a body may, one of 4,000 three times as much. */
static void
test_long_texts (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonObject) s1 = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *replica = NULL;
  gint64 own;

  for (int i = 0; i < JG_TEXT_MAX_LONG; i++)
    g_string_append (text, "妇");
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);

    replica = g_strdup (jg_store_get_replica_id (store));
    for (int i = 0; i < 400; i++)
      {
        g_autoptr(JsonObject) o = json_object_new ();
        g_autoptr(GError) error = NULL;
        g_autofree char *title = g_strdup_printf ("培训%d", i);
        g_autofree char *id = NULL;

        json_object_set_string_member (o, "org_unit", VILLAGE_A);
        json_object_set_string_member (o, "title", title);
        json_object_set_string_member (o, "category", "training");
        json_object_set_string_member (o, "start_at", "2026-11-01T09:30");
        json_object_set_string_member (o, "summary", text->str);
        id = jg_store_put (store, "activity", o, &error);
        g_assert_no_error (error);
      }
    {
      g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT count(*) FROM change_log c JOIN replica r "
                                                        "ON r.idx = c.replica_idx WHERE r.replica_id = ?1", NULL);

      sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      own = sqlite3_column_int64 (stmt, 0);
    }
  }
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  g_assert_cmpint (summary_int (s1, "pushed"), ==, own);
  g_assert_cmpint (summary_int (s1, "accepted"), ==, own);
  sql = g_strdup_printf ("SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                         "WHERE r.replica_id = '%s' AND c.field = 'summary'", replica);
  g_assert_cmpint (server_count (f->ts, sql), ==, 400);
}

static void
test_progress_and_not_signed_in (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *fresh = store_path (f, "fresh.db");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autoptr(JgSyncClient) client = jg_sync_client_new (a);
  ProgressCount p = { 0 };
  Wait w = { 0 };

  g_signal_connect (client, "progress", G_CALLBACK (count_progress), &p);
  jg_sync_client_sync_async (client, NULL, wait_sync, &w);
  while (!w.done || !p.done_seen)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  g_assert_cmpuint (p.calls, >=, 2);
  json_object_unref (w.result);

  /* A store that never signed in says so. */
  {
    g_autoptr(JgStore) store = jg_store_open (fresh, JG_STORE_CREATE, NULL);
    g_autoptr(JgSyncClient) c2 = jg_sync_client_new (fresh);
    Wait w2 = { 0 };

    jg_sync_client_sync_async (c2, NULL, wait_sync, &w2);
    while (!w2.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (w2.error, JG_ERROR, JG_ERROR_PERMISSION);
    g_clear_error (&w2.error);
  }
}

static void
test_kill9 (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *c = laptop (f, "c.db", "county");
  g_autoptr(JgSyncClient) client = jg_sync_client_new (a);
  g_autoptr(JsonObject) s1 = NULL;
  g_autoptr(JsonObject) s2 = NULL;
  gint64 acked_before, server_changes;
  Wait w = { 0 };

  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);

    for (int i = 0; i < 600; i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"户%d\"}", i);
        g_autoptr(JsonNode) node = jg_json_parse (json, -1, NULL);
        g_autofree char *id = jg_store_put (store, "household", json_node_get_object (node), NULL);
      }
  }

  /* Kill the server while the pushes are under way. */
  jg_sync_client_sync_async (client, NULL, wait_sync, &w);
  g_usleep (30 * 1000);
  test_server_stop (f->ts, TRUE);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_error (&w.error);
  g_clear_pointer (&w.result, json_object_unref);

  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT count(*) FROM change_log WHERE server_seq IS NOT NULL", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    acked_before = sqlite3_column_int64 (stmt, 0);
  }
  /* Everything acknowledged survived the crash. */
  server_changes = server_count (f->ts, "SELECT count(*) FROM change_log");
  g_assert_cmpint (server_changes, >=, acked_before);

  test_server_start (f->ts);
  {
    /* The client holds the server's address; the port changed. */
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStore) cstore = jg_store_open (c, JG_STORE_FLAGS_NONE, NULL);
    g_autoptr(JgStmt) stmt = jg_store_prepare (store, "UPDATE sync_state SET value = ? WHERE key = 'server_url'", NULL);
    g_autoptr(JgStmt) cstmt = jg_store_prepare (cstore, "UPDATE sync_state SET value = ? WHERE key = 'server_url'", NULL);

    sqlite3_bind_text (stmt, 1, f->ts->url, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_bind_text (cstmt, 1, f->ts->url, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (cstmt), ==, SQLITE_DONE);
  }
  s1 = client_sync (a);
  g_assert_cmpint (summary_int (s1, "rejected"), ==, 0);
  /* Every change exactly once. */
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM change_log"), ==, 600 * 5);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM (SELECT replica_idx, counter FROM change_log "
                                        "GROUP BY replica_idx, counter HAVING count(*) > 1)"), ==, 0);
  s2 = client_sync (c);
  {
    g_autoptr(JsonArray) list = list_records (c, "household");

    g_assert_cmpuint (json_array_get_length (list), ==, 600);
  }
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const char *cli = g_getenv ("JINGUO_CLI");
  g_autofree char *db = store_path (f, "cli.db");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  const char *steps[][6] = {
    { "--db", db, "init", NULL },
    /* Written before signing in: signed in, the CLI refuses it at once. */
    { "--db", db, "put", "household", "{\"org_unit\":\"" VILLAGE_B "\",\"head_name\":\"越界\"}", NULL },
    { "--db", db, "login", f->ts->url, "va", NULL },
    { "--db", db, "put", "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}", NULL },
    { "--db", db, "sync", NULL },
    { "--db", db, "rejected", NULL },
  };
  g_autofree char *last = NULL;

  g_assert_nonnull (cli);
  g_subprocess_launcher_setenv (launcher, "JINGUO_PASSWORD", TEST_PASSWORD, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      proc = g_subprocess_launcher_spawn (launcher, &error, cli, steps[i][0], steps[i][1], steps[i][2],
                                          steps[i][3], steps[i][4], steps[i][5], NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (proc) != 0)
        g_test_message ("%s: %s", steps[i][2], err);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
      if (i == 4)
        {
          g_autoptr(JsonNode) summary = jg_json_parse (out, -1, NULL);
          gint64 n = 0;

          g_assert_nonnull (summary);
          g_assert_true (jg_json_get_int (json_node_get_object (summary), "rejected", &n));
          g_assert_cmpint (n, >, 0);
          g_assert_true (jg_json_get_int (json_node_get_object (summary), "accepted", &n));
          g_assert_cmpint (n, >, 0);
        }
      g_free (last);
      last = g_steal_pointer (&out);
    }
  g_assert_nonnull (strstr (last, "out_of_scope"));

  /* A wrong password: refused sign-in (77), said in the user's language
   * whatever the server's is (it runs in English here). */
  for (guint chinese = 0; chinese < 2; chinese++)
    {
      g_autoptr(GSubprocessLauncher) l2 = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *err = NULL;
      g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

      g_subprocess_launcher_setenv (l2, "JINGUO_PASSWORD", "wrong-password", TRUE);
      if (chinese)
        {
          g_subprocess_launcher_setenv (l2, "LANGUAGE", "zh_CN", TRUE);
          g_subprocess_launcher_setenv (l2, "LANG", "C.UTF-8", TRUE);
          g_subprocess_launcher_setenv (l2, "LC_ALL", "C.UTF-8", TRUE);
          g_subprocess_launcher_setenv (l2, "JINGUO_LOCALEDIR", po, TRUE);
        }
      proc = g_subprocess_launcher_spawn (l2, &error, cli, "--db", db, "login", f->ts->url, "va", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 77);
      g_assert_nonnull (strstr (err, chinese ? "用户名或密码错误" : "Wrong user name or password"));
      g_assert_null (strstr (err, "HTTP"));
    }
}

/* A device whose token was revoked: the CLI says the server's
 * "unauthorized" and exits 77 (sign in again), not permission_denied and
 * 65, which mean a refused value (docs/cli.md; sync.md item 9). */
static void
test_cli_revoked (Fixture       *f,
                  gconstpointer  data)
{
  const char *cli = g_getenv ("JINGUO_CLI");
  g_autofree char *db = store_path (f, "cli.db");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char *revoke[] = { "token-revoke", "--db", f->ts->db, "--username", "va", NULL };
  const char *steps[][4] = {
    { "--db", db, "login", "va" },
    { "--db", db, "sync", NULL },
  };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  g_subprocess_launcher_setenv (launcher, "JINGUO_PASSWORD", TEST_PASSWORD, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (steps) + 1; i++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (i == G_N_ELEMENTS (steps))
        {
          g_assert_cmpint (run_server_command (revoke, NULL), ==, 0);
          proc = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", db, "sync", NULL);
        }
      else if (i == 0)
        proc = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", db, "login", f->ts->url, "va", NULL);
      else
        proc = g_subprocess_launcher_spawn (launcher, &error, cli, steps[i][0], steps[i][1], steps[i][2], NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      if (i < G_N_ELEMENTS (steps))
        {
          g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
          continue;
        }
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 77);
      g_assert_nonnull (strstr (err, "(unauthorized)"));
      g_assert_cmpstr (out, ==, "");
    }
}

/* A new device's first sync is a snapshot of current state, in pages, with
 * every field's version: it ends with the same records as a device that
 * pulled the whole history, later changes reach it as changes, and a
 * concurrent edit from it is judged (and its conflict named) exactly as one
 * from the history device. */
static void
test_snapshot (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *old = laptop (f, "old.db", "county");
  g_autofree char *fresh = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) ids_old = NULL;
  g_autoptr(GPtrArray) ids_fresh = NULL;
  g_autoptr(GPtrArray) ids_a = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonObject *s;
  const guint n = JG_SYNC_SNAPSHOT_PAGE + 50;   /* two pages */

  /* old has synced before anything exists: it will pull the history. */
  g_ptr_array_add (keep, s = client_sync (old));
  {
    g_autoptr(JgStore) store = jg_store_open (a, JG_STORE_FLAGS_NONE, NULL);

    g_assert_true (jg_store_begin (store, NULL));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"户%u\","
                                                 "\"member_count\":%u,\"tags\":[\"留守\"]}", i, 1 + i % 5);
        g_autoptr(JsonNode) node = jg_json_parse (json, -1, NULL);
        char *id = jg_store_put (store, "household", json_node_get_object (node), NULL);

        g_assert_nonnull (id);
        if (i == 0)
          first = id;
        else if (i == 1)
          second = id;
        else
          g_free (id);
      }
    g_assert_true (jg_store_commit (store, NULL));
  }
  edit (a, "household", first, "address", "\"东街1号\"");
  g_ptr_array_add (keep, s = client_sync (a));
  g_assert_cmpint (summary_int (s, "rejected"), ==, 0);
  g_ptr_array_add (keep, s = client_sync (old));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 0);
  g_assert_cmpint (summary_int (s, "pulled"), >, n);

  fresh = laptop (f, "fresh.db", "county");
  g_ptr_array_add (keep, s = client_sync (fresh));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, n);
  g_assert_cmpint (summary_int (s, "pulled"), ==, 0);
  {
    g_autoptr(JsonArray) l1 = list_records (old, "household");
    g_autoptr(JsonArray) l2 = list_records (fresh, "household");
    g_autoptr(JsonNode) n1 = json_node_init_array (json_node_alloc (), l1);
    g_autoptr(JsonNode) n2 = json_node_init_array (json_node_alloc (), l2);
    g_autofree char *t1 = jg_json_canonical (n1);
    g_autofree char *t2 = jg_json_canonical (n2);

    g_assert_cmpuint (json_array_get_length (l2), ==, n);
    g_assert_cmpstr (t1, ==, t2);   /* values, and updated_at from the versions */
  }

  /* Later changes come as changes; a sync with nothing new is quick. */
  edit (a, "household", second, "phone", "\"13800000001\"");
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, s = client_sync (fresh));
  g_assert_cmpint (summary_int (s, "snapshot"), ==, 0);
  g_assert_cmpint (summary_int (s, "pulled"), ==, 1);
  {
    g_autofree char *v = record_text (fresh, "household", second, "phone");

    g_assert_cmpstr (v, ==, "\"13800000001\"");
  }

  /* The same field edited concurrently on a and on the snapshot device:
   * both other devices record the same hard conflict and the same value. */
  edit (a, "household", first, "address", "\"甲\"");
  edit (fresh, "household", first, "address", "\"乙\"");
  g_ptr_array_add (keep, client_sync (fresh));
  g_ptr_array_add (keep, client_sync (a));
  g_ptr_array_add (keep, client_sync (old));
  g_ptr_array_add (keep, client_sync (fresh));
  ids_old = hard_conflict_ids (old, TRUE);
  ids_fresh = hard_conflict_ids (fresh, TRUE);
  ids_a = hard_conflict_ids (a, TRUE);
  g_assert_cmpuint (ids_old->len, ==, 1);
  g_assert_cmpuint (ids_fresh->len, ==, 1);
  g_assert_cmpuint (ids_a->len, ==, 1);
  g_assert_cmpstr (ids_old->pdata[0], ==, ids_fresh->pdata[0]);
  {
    g_autofree char *va = record_text (a, "household", first, "address");
    g_autofree char *vo = record_text (old, "household", first, "address");
    g_autofree char *vf = record_text (fresh, "household", first, "address");

    g_assert_cmpstr (va, ==, vo);
    g_assert_cmpstr (vo, ==, vf);
  }
}

/* One write of raw changes (all stamped @hlc), pushed as the device
 * 0123…ef of @token; the results. */
static JsonArray *
push_write (Fixture    *f,
            const char *token,
            guint      *counter,
            gint64      hlc,
            const char *record,
            const char *const *fields_values)
{
  g_autoptr(GString) body = g_string_new ("{\"protocol\":1,\"replica\":\"0123456789abcdef0123456789abcdef\","
                                          "\"cursor\":0,\"limit\":0,\"changes\":[");
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  for (guint i = 0; fields_values[i]; i += 2)
    g_string_append_printf (body, "%s{\"replica\":\"0123456789abcdef0123456789abcdef\",\"n\":%u,"
                            "\"entity\":\"inspection\",\"record\":\"%s\",\"field\":\"%s\",\"value\":%s,"
                            "\"hlc\":%" G_GINT64_FORMAT ",\"base\":0,\"rbase\":0}",
                            i ? "," : "", ++*counter, record, fields_values[i], fields_values[i + 1], hlc);
  g_string_append (body, "]}");
  reply = http_post_json (f->ts, "/api/v1/sync", token, body->str, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_array_ref (json_object_get_array_member (json_node_get_object (reply), "results"));
}

/* The result of the change of @field in @results. */
static JsonObject *
result_of (JsonArray  *results,
           const char *const *fields_values,
           const char *field)
{
  for (guint i = 0; fields_values[i]; i += 2)
    if (strcmp (fields_values[i], field) == 0)
      return json_array_get_object_element (results, i / 2);
  g_assert_not_reached ();
}

/* The server asks of a pushed review_state → submitted what the laptop
 * asks (jg_rubric_check_submit()): on the inspection as stored with the
 * changes of the same write, wherever they come in the push. */
static void
test_inspection_submit_checked (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *a = laptop (f, "a.db", "va");
  g_autofree char *h = put_record (a, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"王芳\"}");
  g_autofree char *token = test_login (f->ts, "va");
  g_autofree char *org_unit = g_strdup ("\"" VILLAGE_A "\"");
  g_autofree char *household = g_strdup_printf ("\"%s\"", h);
  g_autoptr(JsonObject) first = client_sync (a);
  gint64 hlc = (g_get_real_time () / 1000 - 60000) << 16;
  guint n = 0;
  const char *one = "018f2a6c-8f00-7000-8000-000000000401";
  const char *two = "018f2a6c-8f00-7000-8000-000000000402";
  /* Submitted in the write that creates it; what it needs comes after. */
  const char *complete[] = {
    "review_state", "\"submitted\"", "org_unit", org_unit, "household", household,
    "inspected_at", "\"2024-05-01\"", "stage", "\"village\"", "item_scores", "{\"R1\":6}",
    "inspectors", "[\"王芳\"]", "rectify_by", "\"2024-07-01\"", NULL
  };
  /* A draft with nothing scored and nobody named ... */
  const char *draft[] = {
    "org_unit", org_unit, "household", household, "inspected_at", "\"2024-05-02\"",
    "stage", "\"village\"", NULL
  };
  /* ... submitted as it is ... */
  const char *bare[] = { "review_state", "\"submitted\"", NULL };
  /* ... with inspectors and a failing score but no deadline ... */
  const char *no_deadline[] = {
    "review_state", "\"submitted\"", "inspectors", "[\"王芳\"]", "item_scores", "{\"R1\":6}", NULL
  };
  /* ... with a deadline that is no date (refused on its own: the
   * submission must not be judged on it) ... */
  const char *bad_deadline[] = { "rectify_by", "\"not-a-date\"", "review_state", "\"submitted\"", NULL };
  /* ... or with scores above the rubric's maximum, which would pass. */
  const char *bad_scores[] = {
    "item_scores", "{\"R1\":99,\"R2\":99,\"Y1\":99,\"K1\":99,\"F1\":99}", "review_state", "\"submitted\"", NULL
  };
  /* ... and then with the deadline, the rest as stored. */
  const char *deadline[] = { "rectify_by", "\"2024-07-01\"", "review_state", "\"submitted\"", NULL };
  g_autoptr(JsonArray) results = NULL;
  JsonObject *r;

  results = push_write (f, token, &n, hlc, one, complete);
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (results, i), "status"), ==, "accepted");
  g_clear_pointer (&results, json_array_unref);

  results = push_write (f, token, &n, hlc + 1, two, draft);
  g_clear_pointer (&results, json_array_unref);

  results = push_write (f, token, &n, hlc + 2, two, bare);
  r = result_of (results, bare, "review_state");
  g_assert_cmpstr (jg_json_get_string (r, "status"), ==, "rejected");
  g_assert_cmpstr (jg_json_get_string (r, "code"), ==, "required");
  g_assert_cmpstr (jg_json_get_string (r, "field"), ==, "inspectors");
  g_clear_pointer (&results, json_array_unref);

  results = push_write (f, token, &n, hlc + 3, two, no_deadline);
  r = result_of (results, no_deadline, "review_state");
  g_assert_cmpstr (jg_json_get_string (r, "status"), ==, "rejected");
  g_assert_cmpstr (jg_json_get_string (r, "field"), ==, "rectify_by");
  g_assert_cmpstr (jg_json_get_string (result_of (results, no_deadline, "inspectors"), "status"), ==, "accepted");
  g_clear_pointer (&results, json_array_unref);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE review_state = 'submitted'"), ==, 1);

  results = push_write (f, token, &n, hlc + 4, two, bad_deadline);
  g_assert_cmpstr (jg_json_get_string (result_of (results, bad_deadline, "rectify_by"), "status"), ==, "rejected");
  r = result_of (results, bad_deadline, "review_state");
  g_assert_cmpstr (jg_json_get_string (r, "status"), ==, "rejected");
  g_assert_cmpstr (jg_json_get_string (r, "field"), ==, "rectify_by");
  g_clear_pointer (&results, json_array_unref);
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE review_state = 'submitted'"), ==, 1);

  {
    const char *three = "018f2a6c-8f00-7000-8000-000000000403";
    const char *draft3[] = {
      "org_unit", org_unit, "household", household, "inspected_at", "\"2024-05-03\"",
      "stage", "\"village\"", "inspectors", "[\"王芳\"]", NULL
    };

    results = push_write (f, token, &n, hlc + 5, three, draft3);
    g_clear_pointer (&results, json_array_unref);
    results = push_write (f, token, &n, hlc + 6, three, bad_scores);
    g_assert_cmpstr (jg_json_get_string (result_of (results, bad_scores, "item_scores"), "status"), ==, "rejected");
    g_assert_cmpstr (jg_json_get_string (result_of (results, bad_scores, "review_state"), "status"), ==, "rejected");
    g_clear_pointer (&results, json_array_unref);
    g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE review_state = 'submitted'"), ==, 1);
  }

  results = push_write (f, token, &n, hlc + 7, two, deadline);
  g_assert_cmpstr (jg_json_get_string (result_of (results, deadline, "review_state"), "status"), ==, "accepted");
  g_assert_cmpint (server_count (f->ts, "SELECT count(*) FROM inspection WHERE review_state = 'submitted'"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  sync_test_init_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/jg/server/sync/convergence", test_convergence);
  ADD ("/jg/server/sync/scope", test_scope);
  ADD ("/jg/server/sync/village-cannot-approve", test_village_cannot_approve);
  ADD ("/jg/server/sync/redemption-race", test_redemption_race);
  ADD ("/jg/server/sync/redemption-refused", test_redemption_refused);
  ADD ("/jg/server/sync/double-reversal", test_double_reversal);
  ADD ("/jg/server/sync/reversal-refused", test_reversal_refused);
  ADD ("/jg/server/sync/reversal-refused-again", test_reversal_refused_again);
  ADD ("/jg/server/sync/returned-reversal", test_returned_reversal);
  ADD ("/jg/server/sync/unknown-rubric-version", test_unknown_rubric_version);
  ADD ("/jg/server/sync/consent-during-notice", test_consent_during_notice);
  ADD ("/jg/server/sync/inspection-submit-checked", test_inspection_submit_checked);
  ADD ("/jg/server/sync/designation-rules", test_designation_rules);
  ADD ("/jg/server/sync/delete-approved", test_delete_approved);
  ADD ("/jg/server/sync/user-moved", test_user_moved);
  ADD ("/jg/server/sync/delete-in-use", test_delete_in_use);
  ADD ("/jg/server/sync/grant-with-plaque", test_grant_with_plaque);
  ADD ("/jg/server/sync/consent-withdrawal-whole", test_consent_withdrawal_whole);
  ADD ("/jg/server/sync/approval-stays", test_approval_stays);
  ADD ("/jg/server/sync/return-again", test_return_again);
  ADD ("/jg/server/sync/refused-not-kept", test_refused_not_kept);
  ADD ("/jg/server/sync/refused-snapshot", test_refused_snapshot);
  ADD ("/jg/server/sync/record-moves", test_record_moves);
  ADD ("/jg/server/sync/moved-while-edited", test_moved_while_edited);
  ADD ("/jg/server/sync/tls", test_tls);
  ADD ("/jg/server/sync/lost-reply", test_lost_reply);
  ADD ("/jg/server/sync/clock-ahead", test_clock_ahead);
  ADD ("/jg/server/sync/clock-ahead-long-outbox", test_clock_ahead_long_outbox);
  ADD ("/jg/server/sync/quarantine-released", test_quarantine_released_by_edit);
  ADD ("/jg/server/sync/resolve", test_resolve_conflict);
  ADD ("/jg/server/sync/restored-backup", test_restored_backup);
  ADD ("/jg/server/sync/restored-backup-unchanged", test_restored_backup_unchanged);
  ADD ("/jg/server/sync/restored-backup-busier", test_restored_backup_busier);
  ADD ("/jg/server/sync/inspection-score-merged", test_inspection_score_merged);
  ADD ("/jg/server/sync/one-sync-at-a-time", test_one_sync_at_a_time);
  ADD ("/jg/server/sync/restored-backup-new-record", test_restored_backup_new_record);
  ADD ("/jg/server/sync/restored-backup-long-outbox", test_restored_backup_long_outbox);
  ADD ("/jg/server/sync/restored-backup-split-write", test_restored_backup_split_write);
  ADD ("/jg/server/sync/restored-backup-same-field", test_restored_backup_same_field);
  ADD ("/jg/server/sync/restored-server", test_restored_server);
  ADD ("/jg/server/sync/other-server-not-restored", test_other_server_not_restored);
  ADD ("/jg/server/sync/paging", test_paging);
  ADD ("/jg/server/sync/demo-county", test_demo_county);
  ADD ("/jg/server/sync/progress", test_progress_and_not_signed_in);
  ADD ("/jg/server/sync/cancel-long-outbox", test_cancel_long_outbox);
  ADD ("/jg/server/sync/long-texts", test_long_texts);
  ADD ("/jg/server/sync/snapshot-conflicts", test_snapshot_conflicts);
  ADD ("/jg/server/sync/snapshot-settles-held", test_snapshot_settles_held);
  ADD ("/jg/server/sync/kill9", test_kill9);
  ADD ("/jg/server/sync/cli", test_cli);
  ADD ("/jg/server/sync/cli-revoked", test_cli_revoked);
  ADD ("/jg/server/sync/snapshot", test_snapshot);
#undef ADD

  return g_test_run ();
}
