/* test-faults.c: syncs through a faulty network (tests/jg-fault-proxy.c)
 *
 * Two laptops of one village sync with a real jinguo-server through a proxy
 * on 127.0.0.1 that refuses connections, loses replies the server has
 * already committed, cuts replies short, delays them, or flips a byte of a
 * request or reply.  With the fault, a sync either completes or fails with
 * an error; the next syncs without it finish the job: every local change
 * acknowledged, the server holding each change exactly once, and the same
 * records on both laptops and on the server.
 */

#include "config.h"

#include <inttypes.h>

#include "jg-fault-proxy.h"
#include "sync-test-util.h"

#define N_A 600   /* households on laptop a: over one push batch */
#define N_B 40

typedef struct
{
  JgFault     fault;
  gsize       arg;
  guint       n_connections;
  gboolean    must_succeed;
} FaultCase;

static const FaultCase faults[] = {
  { JG_FAULT_NONE, 0, 0, TRUE },
  { JG_FAULT_REFUSE, 0, 1, FALSE },
  { JG_FAULT_REFUSE, 0, 5, FALSE },
  { JG_FAULT_DROP_REPLY, 0, 1, FALSE },
  { JG_FAULT_DROP_REPLY, 0, 3, FALSE },
  { JG_FAULT_CUT_REPLY, 20, 1, FALSE },
  { JG_FAULT_CUT_REPLY, 400, 1, FALSE },
  { JG_FAULT_CUT_REPLY, 6000, 1, FALSE },
  { JG_FAULT_CUT_REPLY, 9000, 1, FALSE },
  { JG_FAULT_DELAY_REPLY, 1500, 1, TRUE },
  { JG_FAULT_CORRUPT_REPLY, 5, 1, FALSE },    /* gzip's MTIME: harmless */
  { JG_FAULT_CORRUPT_REPLY, 12, 1, FALSE },
  { JG_FAULT_CORRUPT_REPLY, 3000, 1, FALSE },
  { JG_FAULT_CORRUPT_REQUEST, 5, 1, FALSE },
  { JG_FAULT_CORRUPT_REQUEST, 40, 1, FALSE },
  { JG_FAULT_CORRUPT_REQUEST, 2000, 1, FALSE },
};

static const char * const fault_names[] = {
  [JG_FAULT_NONE] = "none",
  [JG_FAULT_REFUSE] = "refuse",
  [JG_FAULT_DROP_REPLY] = "drop-reply",
  [JG_FAULT_CUT_REPLY] = "cut-reply",
  [JG_FAULT_DELAY_REPLY] = "delay-reply",
  [JG_FAULT_CORRUPT_REPLY] = "corrupt-reply",
  [JG_FAULT_CORRUPT_REQUEST] = "corrupt-request",
};

/* Syncs once; returns FALSE with the error when the sync failed.  Bounded:
 * 90 s (the client's own timeout is 120 s, the proxy's 60 s). */
static gboolean
try_sync (const char  *store_path,
          GError     **error)
{
  g_autoptr(JgSyncClient) client = jg_sync_client_new (store_path);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  Wait w = { 0 };

  jg_sync_client_sync_async (client, NULL, wait_sync, &w);
  while (!w.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (w.result != NULL)
    json_object_unref (w.result);
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

static gint64
store_count (const char *path,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JgStmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = jg_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* The households of a store, as text: what a user would see listed. */
static char *
household_list (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JgStmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  stmt = jg_store_prepare (store, "SELECT id, org_unit, head_name, member_count FROM household ORDER BY id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s|%s|%s|%lld\n", jg_stmt_text (stmt, 0), jg_stmt_text (stmt, 1),
                            jg_stmt_text (stmt, 2), (long long) sqlite3_column_int64 (stmt, 3));
  return g_string_free (out, FALSE);
}

static void
make_households (const char *path,
                 const char *tag,
                 guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"%s户%u\","
                                               "\"member_count\":%u}", tag, i, 1 + i % 7);
      g_autoptr(JsonNode) node = jg_json_parse (json, -1, NULL);
      g_autofree char *id = jg_store_put (store, "household", json_node_get_object (node), &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }
}

static void
test_fault (gconstpointer data)
{
  const FaultCase *fc = data;
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(JgFaultProxy) proxy = jg_fault_proxy_new (ts->port);
  g_autofree char *direct_url = g_strdup (ts->url);
  g_autofree char *dir = g_dir_make_tmp ("jg-faults-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.db", NULL);
  g_autofree char *b = g_build_filename (dir, "b.db", NULL);
  g_autofree char *list_a = NULL;
  g_autofree char *list_b = NULL;
  g_autofree char *list_server = NULL;
  gint64 local_a, local_b;
  const char *own_unacked = "SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                            "JOIN meta m ON m.key = 'replica_id' AND m.value = r.replica_id "
                            "WHERE c.server_seq IS NULL";
  const char *own_all = "SELECT count(*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                        "JOIN meta m ON m.key = 'replica_id' AND m.value = r.replica_id";

  /* Both laptops sign in and will sync through the proxy. */
  g_free (ts->url);
  ts->url = g_strdup_printf ("http://127.0.0.1:%u", jg_fault_proxy_get_port (proxy));
  client_login (ts, a, "va");
  client_login (ts, b, "va");
  make_households (a, "甲", N_A);
  make_households (b, "乙", N_B);
  local_a = store_count (a, own_all);
  local_b = store_count (b, own_all);
  g_assert_cmpint (local_a, >, JG_SYNC_PUSH_BATCH);

  /* With the fault: a clean success or a clean error, for each laptop. */
  for (guint round = 0; round < 2; round++)
    {
      const char *laptop = round == 0 ? a : b;
      g_autoptr(GError) error = NULL;
      guint before = jg_fault_proxy_get_injected (proxy);
      gboolean ok;

      jg_fault_proxy_arm (proxy, fc->fault, fc->arg, fc->n_connections);
      ok = try_sync (laptop, &error);
      g_test_message ("%s %zu, laptop %c: %s", fault_names[fc->fault], fc->arg,
                      "ab"[round], ok ? "synced" : error->message);
      if (fc->must_succeed)
        g_assert_no_error (error);
      if (!ok)
        {
          g_assert_nonnull (error);
          g_assert_true (error->message != NULL && *error->message != '\0');
        }
      if (fc->fault != JG_FAULT_NONE && fc->fault != JG_FAULT_CORRUPT_REPLY &&
          fc->fault != JG_FAULT_CORRUPT_REQUEST && fc->fault != JG_FAULT_CUT_REPLY)
        g_assert_cmpuint (jg_fault_proxy_get_injected (proxy), >, before);
      jg_fault_proxy_arm (proxy, JG_FAULT_NONE, 0, 0);
    }

  /* Without it: the job gets done. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      try_sync (a, &error);
      g_assert_no_error (error);
      try_sync (b, &error);
      g_assert_no_error (error);
    }
  try_sync (a, NULL);

  /* No loss: every local change acknowledged, none quarantined. */
  g_assert_cmpint (store_count (a, own_unacked), ==, 0);
  g_assert_cmpint (store_count (b, own_unacked), ==, 0);
  g_assert_cmpint (store_count (a, "SELECT count(*) FROM sync_rejected"), ==, 0);
  g_assert_cmpint (store_count (b, "SELECT count(*) FROM sync_rejected"), ==, 0);

  /* No duplicates: the server holds each change once, and all of them. */
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, local_a + local_b);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM (SELECT DISTINCT replica_idx, counter FROM change_log)"),
                   ==, local_a + local_b);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM household"), ==, N_A + N_B);

  /* The same list on both laptops and on the server. */
  list_a = household_list (a);
  list_b = household_list (b);
  list_server = household_list (ts->db);
  g_assert_cmpint (store_count (a, "SELECT count(*) FROM household"), ==, N_A + N_B);
  g_assert_cmpstr (list_a, ==, list_b);
  g_assert_cmpstr (list_a, ==, list_server);

  g_free (ts->url);
  ts->url = g_steal_pointer (&direct_url);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  sync_test_init_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/jg/faults/%s/%zu-x%u",
                                               fault_names[faults[i].fault], faults[i].arg,
                                               faults[i].n_connections);

      g_test_add_data_func (path, &faults[i], test_fault);
    }
  return g_test_run ();
}
