/* test-simulation.c: randomized convergence of many laptops through a real
 * jinguo-server, with server crashes
 *
 * N simulated laptops (default 8: two each for three villages, a township
 * reviewer and a county reviewer; every laptop is a client store signed in
 * to a real jinguo-server on 127.0.0.1) make random offline writes: records
 * created, edited and deleted, service entries and redemptions, reversals,
 * submissions, approvals and returns, redemption decisions.  Each round a
 * random subset of the laptops syncs, in random order, one after the other
 * or all at once (each sync runs in its own thread).  Now and then the
 * server is restarted, gracefully or with kill -9 while laptops are syncing
 * (from a timeout source of the main loop); it comes back on the same store,
 * on the same port or a new one (the laptops are pointed at it).  A sync cut
 * by the crash must fail cleanly and the next one must succeed, and every
 * change a laptop holds as acknowledged must be in the crashed server's
 * store.
 *
 * At the end every laptop syncs twice, a fresh laptop of every user pulls
 * everything, and the test checks:
 *
 *  - every laptop's records equal those of a fresh laptop of its user
 *    (fields of a laptop's quarantined changes aside: they stay on the
 *    laptop until its user acts), and the county's are the union of the
 *    villages';
 *  - nothing is left unsent; every acknowledged change is in the server's
 *    change log with the server_seq the laptop was told, and nothing else
 *    is (no change lost, none twice: server changes = distinct (replica, n)
 *    = acknowledged changes of all laptops = changes a fresh county laptop
 *    pulled);
 *  - every pair of concurrent edits of one field to different values is a
 *    hard conflict in the county laptop's store, the server's and a fresh
 *    county laptop's (its snapshot brings the conflicts recorded before it
 *    joined), and the fresh laptop holds exactly the server's hard
 *    conflicts, settled or not.  Concurrency is tracked by the
 *    simulation, not read from the stamps: an edit made on laptop L with
 *    cursor c has seen another laptop's change iff the server gave that
 *    change a server_seq ≤ c.  Asserted for "simple" pairs (each side the
 *    only edit of the field its laptop made without seeing the other, and
 *    no third laptop's edit of the field concurrent with either), the case
 *    docs/sync-model.md promises; other concurrent pairs are counted and
 *    reported (stamps, not version vectors, are approximate there);
 *  - no volunteer's balance below zero on the server's data (a fresh county
 *    laptop): approved earned − accepted ≥ 0, and − pending too;
 *  - every approval or return in the server's log was pushed (author, set
 *    by the server) by a reviewer of a unit above the record's unit.
 *
 * Environment:
 *   JG_SIM_SEED=N      replay one seed (printed by every run); timings of
 *                      crashes and threads are not replayed, the writes are
 *   JG_SIM_ROUNDS=N    rounds per seed (default 25; long mode: 1000)
 *   JG_SIM_SEEDS=N     seeds to run (default 2)
 *   JG_SIM_LAPTOPS=N   laptops (default 8, at most 32)
 *
 * Long mode, e.g.:
 *   JG_SIM_ROUNDS=1000 JG_SIM_SEEDS=3 meson test -C BUILD simulation \
 *     --suite reliability --timeout-multiplier 0
 */

#include "config.h"

#include <inttypes.h>

#include "jg-ledger.h"
#include "jg-review.h"
#include "sync-test-util.h"

#define VILLAGE_C   "331082001201"   /* 谢里王村委会, another township */
#define MAX_LAPTOPS 32
#define WAIT_LIMIT_US (120 * G_USEC_PER_SEC)

typedef struct
{
  const char *user;
  const char *role;
  const char *unit;     /* the user's unit */
} SimUser;

static const SimUser users[] = {
  { "va", "village_staff", VILLAGE_A },
  { "vb", "village_staff", VILLAGE_B },
  { "vc", "village_staff", VILLAGE_C },
  { "town", "township_staff", TOWNSHIP },
  { "county", "county_reviewer", COUNTY },
};

/* Laptop i is signed in as users[laptop_user[i % 8]]. */
static const guint laptop_user[] = { 0, 0, 1, 1, 2, 2, 3, 4 };

static const char * const villages[] = { VILLAGE_A, VILLAGE_B, VILLAGE_C };

/* Own changes (from, to] were written while the laptop's cursor was cursor. */
typedef struct
{
  gint64 from;
  gint64 to;
  gint64 cursor;
} Batch;

typedef struct
{
  char           *name;
  const SimUser  *user;
  char           *path;
  char           *replica;
  GArray         *batches;
  /* one sync */
  JgSyncClient   *client;
  gboolean        syncing;
  gboolean        done;
  JsonObject     *result;
  GError         *error;
} Laptop;

typedef struct
{
  char *entity;
  char *id;
  char *unit;
} SimRecord;

typedef struct
{
  guint32     seed;
  guint       rounds;
  guint       n_laptops;
  GRand      *rand;
  TestServer *ts;
  char       *dir;
  Laptop      laptops[MAX_LAPTOPS];
  GPtrArray  *records;
  guint       round;
  guint       uniq;

  /* statistics */
  guint writes, refused_locally, syncs, concurrent_rounds;
  guint kills, kills_hit, restarts, port_changes, failed_syncs;
  guint rejected;
} Sim;

/* ---- small helpers --------------------------------------------------------- */

static gboolean
chance (Sim    *sim,
        double  p)
{
  return g_rand_double (sim->rand) < p;
}

static guint
pick (Sim   *sim,
      guint  n)
{
  return (guint) g_rand_int_range (sim->rand, 0, (gint32) n);
}

static JgStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  JgStore *store = jg_store_open (path, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
query_int (JgStore    *store,
           const char *sql,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  if (text)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
own_counter (JgStore *store)
{
  return query_int (store,
                    "SELECT coalesce (max (c.counter), 0) FROM change_log c "
                    "JOIN replica r ON r.idx = c.replica_idx WHERE r.replica_id = ?",
                    jg_store_get_replica_id (store));
}

static gint64
store_cursor (JgStore *store)
{
  return query_int (store,
                    "SELECT coalesce ((SELECT CAST (value AS INTEGER) FROM sync_state "
                    "WHERE key = 'cursor'), 0)", NULL);
}

static gboolean
role_is_reviewer (const SimUser *user)
{
  return strcmp (user->role, "village_staff") != 0;
}

/* Is the record's unit inside the user's subtree (significant codes)? */
static gboolean
in_scope (const SimUser *user,
          const char    *unit)
{
  g_autofree char *u = jg_review_significant_code (user->unit);

  return g_str_has_prefix (unit, u);
}

static gboolean
unit_above (const char *upper,
            const char *lower)
{
  g_autofree char *u = jg_review_significant_code (upper);
  g_autofree char *l = jg_review_significant_code (lower);

  return jg_review_unit_is_above (u, l);
}

/* ---- the server ------------------------------------------------------------- */

/* Like test_server_start(), on a given port (0: any); FALSE when it could
 * not listen there.  On port 0 the server prints the port on stdout, on a
 * given one it says "listening on" on stderr. */
static gboolean
sim_server_start (TestServer *ts,
                  guint       port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *line = NULL;
  gboolean ok;

  launcher = g_subprocess_launcher_new (port == 0 ? G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE
                                                  : G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  ts->proc = g_subprocess_launcher_spawn (launcher, &error,
                                          server_binary (), "serve", "--db", ts->db,
                                          "--listen", listen, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (port == 0 ? g_subprocess_get_stdout_pipe (ts->proc)
                                          : g_subprocess_get_stderr_pipe (ts->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
  if (port == 0)
    {
      ok = line != NULL && g_ascii_strtoull (line, NULL, 10) > 0;
      port = ok ? (guint) g_ascii_strtoull (line, NULL, 10) : 0;
    }
  else
    ok = line != NULL && strstr (line, "listening on") != NULL;
  if (!ok)
    {
      g_test_message ("jinguo-server did not start on %s: %s", listen, line ? line : "(nothing)");
      g_subprocess_force_exit (ts->proc);
      g_subprocess_wait (ts->proc, NULL, NULL);
      g_clear_object (&ts->proc);
      return FALSE;
    }
  ts->port = port;
  g_free (ts->url);
  ts->url = g_strdup_printf ("http://127.0.0.1:%u", ts->port);
  return TRUE;
}

static void
point_laptops (Sim *sim)
{
  for (guint i = 0; i < sim->n_laptops; i++)
    {
      g_autoptr(JgStore) store = open_store (sim->laptops[i].path);
      g_autoptr(GError) error = NULL;
      g_autoptr(JgStmt) stmt = jg_store_prepare (store, "UPDATE sync_state SET value = ? WHERE key = 'server_url'",
                                                 &error);

      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, sim->ts->url, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
}

/* Back on the same store: the old port when it can be had again. */
static void
restart_server (Sim      *sim,
                gboolean  new_port)
{
  guint old_port = sim->ts->port;
  gboolean same = !new_port && chance (sim, 0.5);

  if (!same || !sim_server_start (sim->ts, old_port))
    {
      for (guint attempt = 0; attempt < 5 && !sim_server_start (sim->ts, 0); attempt++)
        g_usleep (50 * 1000);
      g_assert_nonnull (sim->ts->proc);
    }
  if (sim->ts->port != old_port)
    {
      sim->port_changes++;
      point_laptops (sim);
    }
  sim->restarts++;
}

/* Every change a laptop holds as acknowledged is in the server's store,
 * with the server_seq it was told. */
static void
check_acked_durable (Sim *sim)
{
  g_autoptr(JgStore) server = open_store (sim->ts->db);

  for (guint i = 0; i < sim->n_laptops; i++)
    {
      Laptop *l = &sim->laptops[i];
      g_autoptr(JgStore) store = open_store (l->path);
      g_autoptr(GError) error = NULL;
      g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                                 "SELECT c.counter, c.server_seq FROM change_log c "
                                                 "JOIN replica r ON r.idx = c.replica_idx "
                                                 "WHERE r.replica_id = ? AND c.server_seq > 0", &error);
      g_autoptr(JgStmt) look = jg_store_prepare (server,
                                                 "SELECT c.seq FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                                 "WHERE r.replica_id = ? AND c.counter = ?", &error);

      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, l->replica, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 counter = sqlite3_column_int64 (stmt, 0);
          gint64 seq = sqlite3_column_int64 (stmt, 1);

          sqlite3_reset (look);
          sqlite3_bind_text (look, 1, l->replica, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (look, 2, counter);
          if (sqlite3_step (look) != SQLITE_ROW || sqlite3_column_int64 (look, 0) != seq)
            g_error ("seed %u: %s's change %" PRId64 " was acknowledged as server_seq %"
                     PRId64 " but the server does not have it", sim->seed, l->name, counter, seq);
        }
    }
}

/* ---- syncing ---------------------------------------------------------------- */

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Laptop *l = user_data;

  l->result = jg_sync_client_sync_finish (JG_SYNC_CLIENT (source), result, &l->error);
  l->done = TRUE;
}

static void
sync_start (Sim    *sim,
            Laptop *l)
{
  g_assert_false (l->syncing);
  l->client = jg_sync_client_new (l->path);
  l->syncing = TRUE;
  l->done = FALSE;
  jg_sync_client_sync_async (l->client, NULL, sync_done, l);
  sim->syncs++;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
all_done (Sim *sim)
{
  for (guint i = 0; i < sim->n_laptops; i++)
    if (sim->laptops[i].syncing && !sim->laptops[i].done)
      return FALSE;
  return TRUE;
}

typedef struct
{
  Sim      *sim;
  gboolean  fired;
  gboolean  syncs_running;
} Kill;

static gboolean
kill_now (gpointer data)
{
  Kill *k = data;

  /* Did it land in the middle of a sync? */
  k->syncs_running = !all_done (k->sim);
  test_server_stop (k->sim->ts, TRUE);
  k->fired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for every started sync, bounded in time. */
static void
wait_syncs (Sim *sim)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;
  guint id = g_timeout_add (20, wake, NULL);

  while (!all_done (sim))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("seed %u: a sync did not finish in %d s", sim->seed, (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
    }
  g_source_remove (id);
}

/* The outcome of a finished sync: TRUE if it succeeded. */
static gboolean
sync_finish (Sim      *sim,
             Laptop   *l,
             gboolean  may_fail)
{
  gboolean ok = l->error == NULL;

  g_assert_true (l->syncing && l->done);
  if (!ok)
    {
      if (!may_fail)
        g_error ("seed %u round %u: %s's sync failed with the server up: %s",
                 sim->seed, sim->round, l->name, l->error->message);
      /* Cleanly: an error of the network or of the protocol, nothing else. */
      g_assert_true (l->error->domain == G_IO_ERROR || l->error->domain == JG_ERROR ||
                     l->error->domain == G_RESOLVER_ERROR);
      g_test_message ("seed %u round %u: %s's sync cut by the crash: %s",
                      sim->seed, sim->round, l->name, l->error->message);
      sim->failed_syncs++;
    }
  else
    {
      gint64 n = 0;

      g_assert_nonnull (l->result);
      g_assert_true (jg_json_get_int (l->result, "rejected", &n));
      sim->rejected += (guint) n;
    }
  g_clear_error (&l->error);
  g_clear_pointer (&l->result, json_object_unref);
  g_clear_object (&l->client);
  l->syncing = FALSE;
  l->done = FALSE;
  return ok;
}

static void
sync_one (Sim    *sim,
          Laptop *l)
{
  sync_start (sim, l);
  wait_syncs (sim);
  sync_finish (sim, l, FALSE);
}

/* One round's syncs: a random subset, in random order, sequentially or all
 * at once; with kill, the server dies at a random moment meanwhile. */
static void
sync_round (Sim      *sim,
            gboolean  kill)
{
  guint order[MAX_LAPTOPS];
  guint n = 0;
  gboolean concurrent = kill || chance (sim, 0.4);
  Kill k = { sim, FALSE, FALSE };

  for (guint i = 0; i < sim->n_laptops; i++)
    if (kill || chance (sim, 0.5))
      order[n++] = i;
  for (guint i = n; i > 1; i--)
    {
      guint j = pick (sim, i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  if (!concurrent)
    {
      for (guint i = 0; i < n; i++)
        sync_one (sim, &sim->laptops[order[i]]);
      return;
    }

  sim->concurrent_rounds++;
  for (guint i = 0; i < n; i++)
    sync_start (sim, &sim->laptops[order[i]]);
  if (kill)
    {
      gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

      g_timeout_add (pick (sim, 12), kill_now, &k);

      while (!k.fired && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (k.fired);
      sim->kills++;
      sim->kills_hit += k.syncs_running;
    }
  wait_syncs (sim);

  if (!kill)
    {
      for (guint i = 0; i < n; i++)
        sync_finish (sim, &sim->laptops[order[i]], FALSE);
      return;
    }

  {
    gboolean failed[MAX_LAPTOPS] = { FALSE };

    for (guint i = 0; i < n; i++)
      failed[i] = !sync_finish (sim, &sim->laptops[order[i]], TRUE);
    /* Acknowledged means durable, crash or not. */
    check_acked_durable (sim);
    restart_server (sim, FALSE);
    g_test_message ("seed %u round %u: kill -9 %s a sync; back on port %u",
                    sim->seed, sim->round, k.syncs_running ? "during" : "between", sim->ts->port);
    /* A sync the crash cut succeeds the next time. */
    for (guint i = 0; i < n; i++)
      if (failed[i])
        sync_one (sim, &sim->laptops[order[i]]);
  }
}

/* ---- offline writes ------------------------------------------------------------ */

static const SimRecord *
random_record (Sim        *sim,
               Laptop     *l,
               const char *entity)
{
  g_autoptr(GPtrArray) fit = g_ptr_array_new ();

  for (guint i = 0; i < sim->records->len; i++)
    {
      SimRecord *r = sim->records->pdata[i];

      if ((entity == NULL || strcmp (r->entity, entity) == 0) && in_scope (l->user, r->unit))
        g_ptr_array_add (fit, r);
    }
  if (fit->len == 0)
    return NULL;
  /* Half the time one of the newest: more concurrent edits and reviews. */
  if (fit->len > 8 && chance (sim, 0.5))
    return fit->pdata[fit->len - 1 - pick (sim, 8)];
  return fit->pdata[pick (sim, fit->len)];
}

static const char *
random_unit (Sim    *sim,
             Laptop *l)
{
  if (!role_is_reviewer (l->user))
    return l->user->unit;
  for (guint tries = 0; tries < 20; tries++)
    {
      const char *v = villages[pick (sim, G_N_ELEMENTS (villages))];

      if (in_scope (l->user, v))
        return v;
    }
  return VILLAGE_A;
}

static char *
text_value (Sim *sim)
{
  static const char * const pool[] = { "村东1号", "村西2号", "王芳", "李梅" };

  /* Now and then the same value from two laptops: not a conflict. */
  if (chance (sim, 0.25))
    return g_strdup_printf ("\"%s\"", pool[pick (sim, G_N_ELEMENTS (pool))]);
  return g_strdup_printf ("\"v%u-%u\"", sim->round, ++sim->uniq);
}

static void
add_record (Sim        *sim,
            const char *entity,
            const char *id,
            const char *unit)
{
  SimRecord *r = g_new0 (SimRecord, 1);

  r->entity = g_strdup (entity);
  r->id = g_strdup (id);
  r->unit = g_strdup (unit);
  g_ptr_array_add (sim->records, r);
}

static void
sim_record_free (SimRecord *r)
{
  g_free (r->entity);
  g_free (r->id);
  g_free (r->unit);
  g_free (r);
}

/* One jg_store_put() of json; refusals by the local rules are fine. */
static char *
put (Sim        *sim,
     JgStore    *store,
     const char *entity,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_json_parse (json, -1, &error);
  char *id;

  g_assert_no_error (error);
  id = jg_store_put (store, entity, json_node_get_object (node), &error);
  if (id == NULL)
    {
      g_assert_true (error->domain == JG_ERROR);
      sim->refused_locally++;
    }
  return id;
}

static JsonObject *
local_get (JgStore    *store,
           const char *entity,
           const char *id)
{
  return jg_store_get (store, entity, id, NULL);
}

static void
one_write (Sim    *sim,
           Laptop *l,
           JgStore *store)
{
  gboolean reviewer = role_is_reviewer (l->user);
  /* Reviewers mostly review: half their writes are the workflow's. */
  guint what = reviewer && chance (sim, 0.5) ? 75 + pick (sim, 25) : pick (sim, 100);
  g_autofree char *json = NULL;
  g_autofree char *id = NULL;
  const SimRecord *r;
  g_autoptr(JsonObject) rec = NULL;
  const char *entity = NULL;

  if (what < 10)
    {
      const char *unit = random_unit (sim, l);
      g_autofree char *name = text_value (sim);

      json = g_strdup_printf ("{\"org_unit\":\"%s\",\"head_name\":%s,\"review_state\":\"%s\"}",
                              unit, name, chance (sim, 0.5) ? "draft" : "submitted");
      id = put (sim, store, "household", json);
      if (id)
        add_record (sim, "household", id, unit);
    }
  else if (what < 15)
    {
      const char *unit = random_unit (sim, l);

      json = g_strdup_printf ("{\"org_unit\":\"%s\",\"name\":\"志愿者%u\",\"review_state\":\"submitted\"}",
                              unit, ++sim->uniq);
      id = put (sim, store, "volunteer", json);
      if (id)
        add_record (sim, "volunteer", id, unit);
    }
  else if (what < 40)
    {
      /* Edit a household field. */
      static const char * const fields[] = { "head_name", "address", "member_count", "phone" };
      const char *field = fields[pick (sim, G_N_ELEMENTS (fields))];
      g_autofree char *value = NULL;

      if ((r = random_record (sim, l, "household")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      if (strcmp (field, "member_count") == 0)
        value = g_strdup_printf ("%u", 1 + pick (sim, 8));
      else
        value = text_value (sim);
      json = g_strdup_printf ("{\"id\":\"%s\",\"%s\":%s}", r->id, field, value);
      id = put (sim, store, "household", json);
    }
  else if (what < 47)
    {
      static const char * const fields[] = { "team", "skills" };
      g_autofree char *value = text_value (sim);

      if ((r = random_record (sim, l, "volunteer")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      json = g_strdup_printf ("{\"id\":\"%s\",\"%s\":%s}", r->id, fields[pick (sim, 2)], value);
      id = put (sim, store, "volunteer", json);
    }
  else if (what < 50)
    {
      g_autoptr(GError) error = NULL;

      if ((r = random_record (sim, l, "household")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      if (!jg_store_delete (store, "household", r->id, &error))
        {
          g_assert_true (error->domain == JG_ERROR);
          sim->refused_locally++;
        }
    }
  else if (what < 62)
    {
      /* Hours served. */
      const char *unit;

      if ((r = random_record (sim, l, "volunteer")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      unit = jg_json_get_string (rec, "org_unit");
      json = g_strdup_printf ("{\"org_unit\":\"%s\",\"volunteer\":\"%s\",\"minutes\":%u,"
                              "\"service_type\":\"volunteer_service\",\"served_at\":\"2024-%02u-%02uT09:00\","
                              "\"review_state\":\"%s\"}", unit, r->id, 30 * (1 + pick (sim, 6)),
                              1 + pick (sim, 12), 1 + pick (sim, 28), chance (sim, 0.7) ? "submitted" : "draft");
      id = put (sim, store, "service_entry", json);
      if (id)
        add_record (sim, "service_entry", id, unit);
    }
  else if (what < 72)
    {
      /* Spend hours: up to what this laptop thinks is there. */
      JgLedgerBalance balance;
      g_autoptr(GError) error = NULL;
      const char *unit;
      gint64 minutes;

      if ((r = random_record (sim, l, "volunteer")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      g_assert_true (jg_ledger_balance (store, r->id, &balance, &error));
      if (balance.available_minutes <= 0)
        return;
      minutes = 1 + (gint64) pick (sim, (guint) MIN (balance.available_minutes, 600));
      unit = jg_json_get_string (rec, "org_unit");
      json = g_strdup_printf ("{\"org_unit\":\"%s\",\"volunteer\":\"%s\",\"minutes\":%" PRId64 ","
                              "\"item\":\"goods\",\"item_name\":\"大米\",\"review_state\":\"submitted\"}",
                              unit, r->id, minutes);
      id = put (sim, store, "redemption", json);
      if (id)
        add_record (sim, "redemption", id, unit);
    }
  else if (what < 75)
    {
      /* Cancel approved hours with a reversing entry. */
      gint64 minutes = 0;

      if ((r = random_record (sim, l, "service_entry")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL ||
          g_strcmp0 (jg_json_get_string (rec, "review_state"), "approved") != 0 ||
          jg_json_get_string (rec, "reverses") != NULL)
        return;
      jg_json_get_int (rec, "minutes", &minutes);
      json = g_strdup_printf ("{\"org_unit\":\"%s\",\"volunteer\":\"%s\",\"minutes\":%" PRId64 ","
                              "\"service_type\":\"volunteer_service\",\"served_at\":\"%s\","
                              "\"reverses\":\"%s\",\"reason\":\"录错\",\"review_state\":\"submitted\"}",
                              r->unit, jg_json_get_string (rec, "volunteer"), minutes,
                              jg_json_get_string (rec, "served_at"), r->id);
      id = put (sim, store, "service_entry", json);
      if (id)
        add_record (sim, "service_entry", id, r->unit);
    }
  else if (what < 92)
    {
      /* The review workflow, on any record type. */
      static const char * const entities[] = { "household", "volunteer", "service_entry", "redemption" };
      const char *state;
      const char *to = NULL;

      entity = entities[pick (sim, G_N_ELEMENTS (entities))];
      if ((r = random_record (sim, l, entity)) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL)
        return;
      state = jg_json_get_string (rec, "review_state");
      if (reviewer && g_strcmp0 (state, "submitted") == 0 && unit_above (l->user->unit, r->unit))
        to = chance (sim, 0.75) ? "approved" : "returned";
      else if (reviewer && g_strcmp0 (state, "approved") == 0 && unit_above (l->user->unit, r->unit) &&
               chance (sim, 0.2))
        to = "returned";
      else if (g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "returned") == 0)
        to = "submitted";
      else if (g_strcmp0 (state, "submitted") == 0 && chance (sim, 0.3))
        to = "draft";
      if (to == NULL)
        return;
      json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"%s\"%s}", r->id, to,
                              strcmp (to, "returned") == 0 ? ",\"review_note\":\"请补充材料\"" : "");
      id = put (sim, store, entity, json);
    }
  else
    {
      /* A reviewer decides on a pending redemption. */
      gboolean accept = chance (sim, 0.7);

      if (!reviewer ||
          (r = random_record (sim, l, "redemption")) == NULL ||
          (rec = local_get (store, r->entity, r->id)) == NULL ||
          g_strcmp0 (jg_json_get_string (rec, "status"), "pending") != 0)
        return;
      json = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"%s\"%s}", r->id, accept ? "accepted" : "rejected",
                              accept ? "" : ",\"status_reason\":\"库存不足\"");
      id = put (sim, store, "redemption", json);
    }
  sim->writes++;
}

/* A few offline writes on a laptop, with the cursor they were made at. */
static void
laptop_writes (Sim    *sim,
               Laptop *l)
{
  g_autoptr(JgStore) store = open_store (l->path);
  guint n = pick (sim, 4);
  Batch b;

  b.cursor = store_cursor (store);
  b.from = own_counter (store);
  for (guint i = 0; i < n; i++)
    one_write (sim, l, store);
  b.to = own_counter (store);
  if (b.to > b.from)
    g_array_append_val (l->batches, b);
}

/* ---- the checks at the end -------------------------------------------------------- */

typedef struct
{
  guint   laptop;
  gint64  counter;
  char   *record;
  char   *field;
  char   *value;
  gint64  hlc;
  gint64  seq;      /* server_seq; 0 or -1: not on the server */
  gint64  cursor;   /* the laptop's cursor when it was made */
} Edit;

static void
edit_free (Edit *e)
{
  g_free (e->record);
  g_free (e->field);
  g_free (e->value);
  g_free (e);
}

static gint64
batch_cursor (Laptop *l,
              gint64  counter)
{
  for (guint i = 0; i < l->batches->len; i++)
    {
      Batch *b = &g_array_index (l->batches, Batch, i);

      if (counter > b->from && counter <= b->to)
        return b->cursor;
    }
  return -1;
}

/* Every own change of every laptop: made, acknowledged or not. */
static GPtrArray *
collect_edits (Sim *sim)
{
  GPtrArray *edits = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_free);

  for (guint i = 0; i < sim->n_laptops; i++)
    {
      Laptop *l = &sim->laptops[i];
      g_autoptr(JgStore) store = open_store (l->path);
      g_autoptr(GError) error = NULL;
      g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                                 "SELECT c.counter, c.record_id, c.field, c.value, c.hlc, "
                                                 "coalesce (c.server_seq, -1) FROM change_log c "
                                                 "JOIN replica r ON r.idx = c.replica_idx WHERE r.replica_id = ? "
                                                 "ORDER BY c.counter", &error);

      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, l->replica, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          Edit *e = g_new0 (Edit, 1);

          e->laptop = i;
          e->counter = sqlite3_column_int64 (stmt, 0);
          e->record = g_strdup (jg_stmt_text (stmt, 1));
          e->field = g_strdup (jg_stmt_text (stmt, 2));
          e->value = g_strdup (jg_stmt_text (stmt, 3));
          e->hlc = sqlite3_column_int64 (stmt, 4);
          e->seq = sqlite3_column_int64 (stmt, 5);
          e->cursor = batch_cursor (l, e->counter);
          /* Not one of the simulation's writes: a refusal of the server's
           * that the laptop recorded (jg_ledger_record_refusal()), kept
           * on the laptop and never sent. */
          if (e->cursor < 0)
            {
              g_assert_cmpint (e->seq, ==, 0);
              edit_free (e);
              continue;
            }
          g_ptr_array_add (edits, e);
        }
    }
  return edits;
}

/* Had the author of a seen b when making a?  Only through the server. */
static gboolean
saw (const Edit *a,
     const Edit *b)
{
  if (a->laptop == b->laptop)
    return b->counter < a->counter;
  return b->seq > 0 && b->seq <= a->cursor;
}

static gboolean
concurrent (const Edit *a,
            const Edit *b)
{
  return a->laptop != b->laptop && !saw (a, b) && !saw (b, a);
}

/* What a store knows of one field: for the message of a failure. */
static void
dump_field (JgStore    *store,
            const char *record,
            const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT c.seq, r.replica_id, c.counter, c.value, c.hlc, c.base, c.rbase, "
                                             "c.author FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                             "WHERE c.record_id = ?1 AND c.field = ?2 ORDER BY c.seq", &error);

  g_assert_no_error (error);
  g_test_message ("  %s: %" PRId64 " changes, %" PRId64 " of the record", jg_store_get_path (store),
                  query_int (store, "SELECT count (*) FROM change_log", NULL),
                  query_int (store, "SELECT count (*) FROM change_log WHERE record_id = ?", record));
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_test_message ("  seq %" PRId64 " %.8s n %" PRId64 " %s hlc %" PRId64
                    " base %" PRId64 " rbase %" PRId64 " by %s",
                    (gint64) sqlite3_column_int64 (stmt, 0), jg_stmt_text (stmt, 1), (gint64) sqlite3_column_int64 (stmt, 2),
                    jg_stmt_text (stmt, 3), (gint64) sqlite3_column_int64 (stmt, 4), (gint64) sqlite3_column_int64 (stmt, 5),
                    (gint64) sqlite3_column_int64 (stmt, 6), jg_stmt_text (stmt, 7));
  jg_stmt_release (g_steal_pointer (&stmt));
  stmt = jg_store_prepare (store, "SELECT kind, field, a_value, a_hlc, b_value, b_hlc FROM conflict "
                                  "WHERE record_id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_test_message ("  conflict %s %s: %s @%" PRId64 " / %s @%" PRId64,
                    jg_stmt_text (stmt, 0), jg_stmt_text (stmt, 1), jg_stmt_text (stmt, 2),
                    (gint64) sqlite3_column_int64 (stmt, 3), jg_stmt_text (stmt, 4), (gint64) sqlite3_column_int64 (stmt, 5));
}

static gboolean
has_hard_conflict (JgStore    *store,
                   const Edit *a,
                   const Edit *b,
                   const char *replica_a,
                   const char *replica_b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT count (*) FROM conflict WHERE kind = 'hard' "
                                             "AND record_id = ?1 AND field = ?2 AND ("
                                             " (a_hlc = ?3 AND a_replica = ?4) OR (b_hlc = ?3 AND b_replica = ?4) OR "
                                             " (a_hlc = ?5 AND a_replica = ?6) OR (b_hlc = ?5 AND b_replica = ?6))",
                                             &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, a->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, a->field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, a->hlc);
  sqlite3_bind_text (stmt, 4, replica_a, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, b->hlc);
  sqlite3_bind_text (stmt, 6, replica_b, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0) > 0;
}

/* Is e the only edit of its field its laptop made without seeing other? */
static gboolean
only_unseen (GPtrArray  *same,
             const Edit *e,
             const Edit *other)
{
  for (guint i = 0; i < same->len; i++)
    {
      const Edit *x = same->pdata[i];

      if (x != e && x->laptop == e->laptop && !saw (other, x) && !saw (x, other))
        return FALSE;
    }
  return TRUE;
}

/* "id|resolved_by" of every hard conflict in @store, sorted, one per line. */
static char *
hard_conflicts_text (JgStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT id || '|' || coalesce (resolved_by, '') FROM conflict "
                                             "WHERE kind = 'hard' ORDER BY id", &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", jg_stmt_text (stmt, 0));
  return g_string_free (out, FALSE);
}

/* A fresh county laptop holds the server's hard conflicts, each settled
 * by the same change or by none. */
static void
check_same_hard_conflicts (Sim     *sim,
                           JgStore *server,
                           JgStore *fresh)
{
  g_autofree char *theirs = hard_conflicts_text (server);
  g_autofree char *mine = hard_conflicts_text (fresh);

  if (strcmp (theirs, mine) != 0)
    g_error ("seed %u: a fresh county laptop's hard conflicts differ from the server's:\n%s---\n%s",
             sim->seed, theirs, mine);
}

static void
check_conflicts (Sim        *sim,
                 GPtrArray  *edits,
                 JgStore   **county_stores,
                 guint       n_county)
{
  g_autoptr(GHashTable) by_field = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  GPtrArray *same;
  guint simple = 0, simple_missing = 0, other = 0, other_missing = 0;

  for (guint i = 0; i < edits->len; i++)
    {
      Edit *e = edits->pdata[i];
      g_autofree char *key = g_strconcat (e->record, "|", e->field, NULL);
      GPtrArray *list = g_hash_table_lookup (by_field, key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_field, g_steal_pointer (&key), list);
        }
      g_ptr_array_add (list, e);
    }

  g_hash_table_iter_init (&iter, by_field);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &same))
    for (guint i = 0; i < same->len; i++)
      for (guint j = i + 1; j < same->len; j++)
        {
          const Edit *a = same->pdata[i];
          const Edit *b = same->pdata[j];
          gboolean is_simple = TRUE, found = TRUE;

          if (a->seq <= 0 || b->seq <= 0 || !concurrent (a, b) || strcmp (a->value, b->value) == 0)
            continue;
          /* The latest edit of each side made without seeing the other. */
          {
            gboolean later = FALSE;

            for (guint k = 0; k < same->len && !later; k++)
              {
                const Edit *x = same->pdata[k];

                later = x->seq > 0 && x != a && x != b &&
                        ((x->laptop == a->laptop && x->counter > a->counter && !saw (x, b)) ||
                         (x->laptop == b->laptop && x->counter > b->counter && !saw (x, a)));
              }
            if (later)
              continue;
          }
          if (!only_unseen (same, a, b) || !only_unseen (same, b, a))
            is_simple = FALSE;
          for (guint k = 0; k < same->len && is_simple; k++)
            {
              const Edit *x = same->pdata[k];

              if (x->laptop != a->laptop && x->laptop != b->laptop &&
                  (concurrent (x, a) || concurrent (x, b)))
                is_simple = FALSE;
            }
          for (guint c = 0; c < n_county; c++)
            found = found && has_hard_conflict (county_stores[c], a, b,
                                                sim->laptops[a->laptop].replica,
                                                sim->laptops[b->laptop].replica);
          if (is_simple)
            {
              simple++;
              if (!found)
                {
                  simple_missing++;
                  g_test_message ("seed %u: no hard conflict for %s.%s: %s's %s (n %" PRId64
                                  ", seq %" PRId64 ", cursor %" PRId64 ") and %s's %s (n %"
                                  PRId64 ", seq %" PRId64 ", cursor %" PRId64 ")",
                                  sim->seed, a->record, a->field,
                                  sim->laptops[a->laptop].name, a->value, a->counter, a->seq, a->cursor,
                                  sim->laptops[b->laptop].name, b->value, b->counter, b->seq, b->cursor);
                  for (guint k = 0; k < same->len; k++)
                    {
                      const Edit *x = same->pdata[k];

                      g_test_message ("  edit by %s (%.8s) n %" PRId64 " seq %" PRId64
                                      " cursor %" PRId64 " %s", sim->laptops[x->laptop].name,
                                      sim->laptops[x->laptop].replica, x->counter, x->seq, x->cursor, x->value);
                    }
                  dump_field (county_stores[0], a->record, a->field);
                }
            }
          else
            {
              other++;
              other_missing += !found;
            }
        }
  g_test_message ("seed %u: concurrent same-field edits: %u simple (%u without a conflict), "
                  "%u with more versions (%u without a conflict: stamps are approximate there)",
                  sim->seed, simple, simple_missing, other, other_missing);
  if (g_getenv ("JG_SIM_KEEP"))
    return;
  g_assert_cmpuint (simple_missing, ==, 0);
}

static GHashTable *
records_by_id (const char *path,
               const char *entity)
{
  g_autoptr(JgStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  JgListQuery q = { .include_deleted = TRUE };
  g_autoptr(JsonArray) list = jg_store_list (store, entity, &q, &error);
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      g_hash_table_insert (map, g_strdup (jg_json_get_string (o, "id")), json_object_ref (o));
    }
  return map;
}

static char *
member_text (JsonObject *o,
             const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n ? jg_json_canonical (n) : g_strdup ("(none)");
}

/* (record|field) of the laptop's quarantined changes, and the records all
 * of whose changes it holds were refused. */
static void
quarantine_of (Laptop      *l,
               GHashTable **fields_out,
               GHashTable **refused_out)
{
  g_autoptr(JgStore) store = open_store (l->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  stmt = jg_store_prepare (store,
                           "SELECT c.record_id, c.field FROM sync_rejected q JOIN replica r ON r.replica_id = ?1 "
                           "JOIN change_log c ON c.replica_idx = r.idx AND c.counter = q.counter", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, l->replica, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (fields, g_strconcat (jg_stmt_text (stmt, 0), "|", jg_stmt_text (stmt, 1), NULL));
  jg_stmt_release (g_steal_pointer (&stmt));

  /* Records only this laptop wrote, none of whose changes the server took. */
  stmt = jg_store_prepare (store,
                           "SELECT c.record_id FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                           "GROUP BY c.record_id HAVING max (coalesce (c.server_seq, 0)) = 0 "
                           "AND min (r.replica_id) = ?1 AND max (r.replica_id) = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, l->replica, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (refused, g_strdup (jg_stmt_text (stmt, 0)));
  *fields_out = fields;
  *refused_out = refused;
}

/* The laptop's records equal the fresh laptop's, quarantine aside. */
static void
check_replica (Sim        *sim,
               Laptop     *l,
               const char *fresh,
               guint      *compared,
               guint      *excluded)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  g_autoptr(GHashTable) qfields = NULL;
  g_autoptr(GHashTable) refused = NULL;

  quarantine_of (l, &qfields, &refused);
  for (guint e = 0; e < n_entities; e++)
    {
      const JgEntityDef *entity = entities[e];
      g_autoptr(GHashTable) mine = records_by_id (l->path, entity->name);
      g_autoptr(GHashTable) theirs = records_by_id (fresh, entity->name);
      GHashTableIter iter;
      const char *id;
      JsonObject *o;

      g_hash_table_iter_init (&iter, theirs);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        if (!g_hash_table_contains (mine, id))
          g_error ("seed %u: %s lacks %s %s that the server has", sim->seed, l->name, entity->name, id);

      g_hash_table_iter_init (&iter, mine);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &o))
        {
          JsonObject *t = g_hash_table_lookup (theirs, id);
          gboolean any_quarantined = FALSE;

          if (t == NULL)
            {
              if (!g_hash_table_contains (refused, id))
                g_error ("seed %u: %s has %s %s that the server does not", sim->seed, l->name, entity->name, id);
              (*excluded)++;
              continue;
            }
          for (guint f = 0; f < entity->n_fields; f++)
            {
              const char *field = entity->fields[f].name;
              g_autofree char *key = g_strconcat (id, "|", field, NULL);
              g_autofree char *a = NULL;
              g_autofree char *b = NULL;

              if (g_hash_table_contains (qfields, key))
                {
                  any_quarantined = TRUE;
                  continue;
                }
              a = member_text (o, field);
              b = member_text (t, field);
              if (g_strcmp0 (a, b) != 0)
                g_error ("seed %u: %s's %s %s has %s = %s, the server's data %s",
                         sim->seed, l->name, entity->name, id, field, a, b);
            }
          if (!any_quarantined)
            {
              g_autofree char *a = member_text (o, "updated_at");
              g_autofree char *b = member_text (t, "updated_at");

              g_assert_cmpstr (a, ==, b);
            }
          *excluded += any_quarantined;
          (*compared)++;
        }
    }
}

/* The records of target are the union of those of parts, equal, each
 * part holding the records of its unit. */
static void
check_union (Sim         *sim,
             const char         *target,
             const char * const *parts,
             const char * const *units,
             guint               n_parts)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);

  for (guint e = 0; e < n_entities; e++)
    {
      g_autoptr(GHashTable) all = records_by_id (target, entities[e]->name);
      guint total = 0;

      for (guint v = 0; v < n_parts; v++)
        {
          g_autoptr(GHashTable) part = records_by_id (parts[v], entities[e]->name);
          GHashTableIter iter;
          const char *id;
          JsonObject *o;

          total += g_hash_table_size (part);
          g_hash_table_iter_init (&iter, part);
          while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &o))
            {
              JsonObject *c = g_hash_table_lookup (all, id);
              g_autoptr(JsonNode) na = NULL;
              g_autoptr(JsonNode) nb = NULL;
              g_autofree char *a = NULL;
              g_autofree char *b = NULL;

              if (c == NULL)
                g_error ("seed %u: %s lacks %s %s", sim->seed, target, entities[e]->name, id);
              g_assert_cmpstr (jg_json_get_string (o, "org_unit"), ==, units[v]);
              na = json_node_init_object (json_node_alloc (), json_object_ref (o));
              nb = json_node_init_object (json_node_alloc (), json_object_ref (c));
              a = jg_json_canonical (na);
              b = jg_json_canonical (nb);
              g_assert_cmpstr (a, ==, b);
            }
        }
      g_assert_cmpuint (total, ==, g_hash_table_size (all));
    }
}

static void
check_balances (Sim        *sim,
                const char *county)
{
  g_autoptr(GHashTable) vols = records_by_id (county, "volunteer");
  g_autoptr(JgStore) store = open_store (county);
  GHashTableIter iter;
  const char *id;
  guint with_hours = 0;

  g_hash_table_iter_init (&iter, vols);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      JgLedgerBalance b;
      g_autoptr(GError) error = NULL;

      g_assert_true (jg_ledger_balance (store, id, &b, &error));
      g_assert_no_error (error);
      with_hours += b.earned_minutes > 0;
      if ((b.earned_minutes - b.redeemed_minutes < 0 ||
           b.earned_minutes - b.redeemed_minutes - b.pending_minutes < 0) && g_getenv ("JG_SIM_KEEP"))
        g_test_message ("kept %s", sim->ts->dir);
      if (b.earned_minutes - b.redeemed_minutes < 0 ||
          b.earned_minutes - b.redeemed_minutes - b.pending_minutes < 0)
        g_error ("seed %u: volunteer %s is below zero on the server's data: earned %" PRId64
                 ", redeemed %" PRId64 ", pending %" PRId64,
                 sim->seed, id, b.earned_minutes, b.redeemed_minutes, b.pending_minutes);
    }
  g_test_message ("seed %u: %u volunteers, %u with approved hours, none below zero",
                  sim->seed, g_hash_table_size (vols), with_hours);
}

static const SimUser *
user_named (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_strcmp0 (users[i].user, name) == 0)
      return &users[i];
  return NULL;
}

/* Approvals and returns in the server's log (author: the pushing user). */
static void
check_approvals (Sim     *sim,
                 JgStore *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStmt) stmt = jg_store_prepare (server,
                                             "SELECT entity, record_id, value, author FROM change_log "
                                             "WHERE field = 'review_state' "
                                             "AND value IN ('\"approved\"', '\"returned\"')", &error);
  guint n = 0;

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const SimUser *author = user_named (jg_stmt_text (stmt, 3));
      g_autoptr(JsonObject) rec = jg_store_get (server, jg_stmt_text (stmt, 0), jg_stmt_text (stmt, 1), NULL);

      g_assert_nonnull (rec);
      if (author == NULL || !role_is_reviewer (author) ||
          !unit_above (author->unit, jg_json_get_string (rec, "org_unit")))
        g_error ("seed %u: %s %s was %s by %s", sim->seed, jg_stmt_text (stmt, 0), jg_stmt_text (stmt, 1),
                 jg_stmt_text (stmt, 2), jg_stmt_text (stmt, 3));
      n++;
    }
  g_test_message ("seed %u: %u approvals and returns, all by reviewers above", sim->seed, n);
}

/* The server's log against the laptops', with the server stopped.  A
 * county laptop that joined at the start holds the whole history. */
static void
check_server_log (Sim     *sim,
                  JgStore *server,
                  Laptop  *county)
{
  g_autoptr(JgStore) cstore = open_store (county->path);
  gint64 total, distinct, pulled, acked = 0, pending = 0;

  total = query_int (server, "SELECT count (*) FROM change_log", NULL);
  distinct = query_int (server, "SELECT count (*) FROM (SELECT DISTINCT replica_idx, counter FROM change_log)", NULL);
  pulled = query_int (cstore, "SELECT count (*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                              "WHERE r.replica_id != ?1 OR c.server_seq > 0", county->replica);
  for (guint i = 0; i < sim->n_laptops; i++)
    {
      g_autoptr(JgStore) store = open_store (sim->laptops[i].path);
      const char *rep = sim->laptops[i].replica;

      acked += query_int (store, "SELECT count (*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                 "WHERE r.replica_id = ? AND c.server_seq > 0", rep);
      pending += query_int (store, "SELECT count (*) FROM change_log c JOIN replica r ON r.idx = c.replica_idx "
                                   "WHERE r.replica_id = ? AND c.server_seq IS NULL "
                                   "AND c.counter NOT IN (SELECT counter FROM sync_rejected)", rep);
    }
  g_test_message ("seed %u: server changes %" PRId64 ", distinct %" PRId64
                  ", acknowledged %" PRId64 ", known to %s %" PRId64,
                  sim->seed, total, distinct, acked, county->name, pulled);
  g_assert_cmpint (pending, ==, 0);
  g_assert_cmpint (total, ==, distinct);
  g_assert_cmpint (total, ==, acked);
  g_assert_cmpint (total, ==, pulled);
  check_acked_durable (sim);
}

static char *
fresh_laptop (Sim           *sim,
              const SimUser *user)
{
  g_autofree char *name = g_strdup_printf ("fresh-%s.db", user->user);
  char *path = g_build_filename (sim->dir, name, NULL);

  client_login (sim->ts, path, user->user);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) s = client_sync (path);

      g_test_message ("seed %u: a fresh laptop of %s pulled %" PRId64, sim->seed, user->user,
                      summary_int (s, "pulled"));
      g_assert_cmpint (summary_int (s, "pushed"), ==, 0);
    }
  return path;
}

/* ---- one simulation ------------------------------------------------------------------ */

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *v = g_getenv (name);

  return v && *v ? (guint) g_ascii_strtoull (v, NULL, 10) : fallback;
}

static void
run_simulation (guint32 seed)
{
  Sim sim_ = { 0 }, *sim = &sim_;
  gint64 started = g_get_monotonic_time ();
  g_autoptr(GHashTable) kill_rounds = g_hash_table_new (NULL, NULL);
  char *fresh[G_N_ELEMENTS (users)] = { NULL };
  guint compared = 0, excluded = 0;

  sim->seed = seed;
  sim->rounds = env_uint ("JG_SIM_ROUNDS", 25);
  sim->n_laptops = CLAMP (env_uint ("JG_SIM_LAPTOPS", 8), 2, MAX_LAPTOPS);
  sim->rand = g_rand_new_with_seed (seed);
  sim->records = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_record_free);
  g_test_message ("simulation seed %u (replay: JG_SIM_SEED=%u), %u laptops, %u rounds",
                  seed, seed, sim->n_laptops, sim->rounds);

  sim->ts = test_server_new ();
  test_server_add_user (sim->ts, "vc", "village_staff", VILLAGE_C);
  sim->dir = g_build_filename (sim->ts->dir, "laptops", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sim->dir, 0700), ==, 0);

  for (guint i = 0; i < sim->n_laptops; i++)
    {
      Laptop *l = &sim->laptops[i];
      g_autofree char *file = NULL;

      l->user = &users[laptop_user[i % G_N_ELEMENTS (laptop_user)]];
      l->name = g_strdup_printf ("%s#%u", l->user->user, i);
      file = g_strdup_printf ("laptop-%u.db", i);
      l->path = g_build_filename (sim->dir, file, NULL);
      l->batches = g_array_new (FALSE, FALSE, sizeof (Batch));
      client_login (sim->ts, l->path, l->user->user);
      {
        g_autoptr(JgStore) store = open_store (l->path);

        l->replica = g_strdup (jg_store_get_replica_id (store));
      }
    }

  /* A first sync on the empty server: every laptop then holds the whole
   * history of its scope, not a snapshot of it. */
  for (guint i = 0; i < sim->n_laptops; i++)
    sync_one (sim, &sim->laptops[i]);

  /* At least two crashes in the middle of syncs, more in long runs. */
  if (sim->rounds >= 4)
    {
      g_hash_table_add (kill_rounds, GUINT_TO_POINTER (1 + sim->rounds / 3 + pick (sim, sim->rounds / 4 + 1)));
      g_hash_table_add (kill_rounds, GUINT_TO_POINTER (1 + (2 * sim->rounds) / 3 + pick (sim, sim->rounds / 4 + 1)));
    }

  for (sim->round = 1; sim->round <= sim->rounds; sim->round++)
    {
      gboolean kill = g_hash_table_contains (kill_rounds, GUINT_TO_POINTER (sim->round)) ||
                      chance (sim, 1.0 / 30);

      for (guint i = 0; i < sim->n_laptops; i++)
        laptop_writes (sim, &sim->laptops[i]);
      sync_round (sim, kill);

      /* A graceful restart now and then, the first early on. */
      if (sim->round == 3 || chance (sim, 1.0 / 40))
        {
          test_server_stop (sim->ts, FALSE);
          restart_server (sim, sim->round == 3);
        }
      if (sim->round % 100 == 0)
        g_test_message ("seed %u: round %u, %u writes, %u records, %.1f s", seed, sim->round, sim->writes,
                        sim->records->len, (g_get_monotonic_time () - started) / 1e6);
    }

  /* Everybody syncs twice with the server up. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < sim->n_laptops; i++)
      sync_one (sim, &sim->laptops[i]);

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    fresh[u] = fresh_laptop (sim, &users[u]);

  for (guint i = 0; i < sim->n_laptops; i++)
    {
      Laptop *l = &sim->laptops[i];

      check_replica (sim, l, fresh[l->user - users], &compared, &excluded);
    }
  /* The county's records are the villages', the township's its two. */
  {
    const char *parts[] = { fresh[0], fresh[1], fresh[2] };

    check_union (sim, fresh[4], parts, villages, 3);
    check_union (sim, fresh[3], parts, villages, 2);
  }
  check_balances (sim, fresh[4]);

  /* The server's own store, read with the server stopped. */
  test_server_stop (sim->ts, FALSE);
  {
    g_autoptr(GPtrArray) edits = collect_edits (sim);
    g_autoptr(JgStore) server = open_store (sim->ts->db);
    g_autoptr(JgStore) cstore = NULL;
    g_autoptr(JgStore) fresh_county = open_store (fresh[4]);
    Laptop *county = NULL;
    JgStore *stores[3];

    for (guint i = 0; i < sim->n_laptops && county == NULL; i++)
      if (strcmp (sim->laptops[i].user->user, "county") == 0)
        county = &sim->laptops[i];
    g_assert_nonnull (county);
    cstore = open_store (county->path);
    stores[0] = cstore;
    stores[1] = server;
    stores[2] = fresh_county;
    check_approvals (sim, server);
    check_conflicts (sim, edits, stores, 3);
    check_same_hard_conflicts (sim, server, fresh_county);
    check_server_log (sim, server, county);
  }

  g_test_message ("seed %u: %u rounds, %u writes (%u refused locally), %u records, %u syncs "
                  "(%u rounds concurrent), %u rejected changes, %u kill -9 (%u during a sync, %u syncs cut), "
                  "%u restarts (%u on a new port), %u records compared (%u with quarantined fields "
                  "or refused), %.1f s",
                  seed, sim->rounds, sim->writes, sim->refused_locally, sim->records->len, sim->syncs,
                  sim->concurrent_rounds, sim->rejected, sim->kills, sim->kills_hit, sim->failed_syncs,
                  sim->restarts, sim->port_changes, compared, excluded,
                  (g_get_monotonic_time () - started) / 1e6);

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    g_free (fresh[u]);
  for (guint i = 0; i < sim->n_laptops; i++)
    {
      Laptop *l = &sim->laptops[i];

      g_free (l->name);
      g_free (l->path);
      g_free (l->replica);
      g_array_unref (l->batches);
    }
  g_ptr_array_unref (sim->records);
  g_rand_free (sim->rand);
  g_free (sim->dir);
  if (g_getenv ("JG_SIM_KEEP"))
    {
      g_test_message ("kept %s", sim->ts->dir);
      g_clear_pointer (&sim->ts->dir, g_free);
      sim->ts->dir = g_strdup ("/nonexistent");
    }
  test_server_free (sim->ts);
}

static void
test_seed (gconstpointer data)
{
  run_simulation (GPOINTER_TO_UINT (data));
}

int
main (int    argc,
      char **argv)
{
  const char *replay;
  guint n_seeds;

  sync_test_init_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

  replay = g_getenv ("JG_SIM_SEED");
  if (replay && *replay)
    {
      guint32 seed = (guint32) g_ascii_strtoull (replay, NULL, 10);
      g_autofree char *path = g_strdup_printf ("/jg/reliability/simulation/replay-%u", seed);

      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_seed);
      return g_test_run ();
    }

  n_seeds = env_uint ("JG_SIM_SEEDS", 2);
  for (guint i = 0; i < n_seeds; i++)
    {
      /* From the test framework's seed: --seed replays a whole run too. */
      guint32 seed = (guint32) g_test_rand_int_range (1, G_MAXINT32);
      g_autofree char *path = g_strdup_printf ("/jg/reliability/simulation/random-%u", i);

      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_seed);
    }
  return g_test_run ();
}
