/* jinguo-bench.c: how fast Jinguo is at county scale
 *
 * A program, not a test: it makes a data set with the demo generator and
 * measures, in one run and against baselines measured in that same run,
 * the raw SQLite insert of the same rows, the local write path, a new
 * device's first sync and the first upload against a real jinguo-server on
 * 127.0.0.1, a delta of 1,000 records each way, the bytes on the wire per
 * record (a counting TCP proxy between client and server), 50 devices
 * syncing small deltas at once, peak memory of client and server, and the
 * first page of a 200,000-household list in the app's list model.  With
 * --peer it runs the PouchDB peer (<srcroot>/../shared/peer-pouchdb) on the
 * same records.
 *
 *   jinguo-bench [--records N] [--runs R] [--json] [--peer] [--county]
 *
 * Each run starts from empty stores in a fresh temporary directory.  With
 * --runs > 1 every figure is the median of the runs.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "jg-common.h"
#include "jg-demo.h"
#include "jg-id.h"
#include "jg-org-units.h"
#include "jg-record-list.h"
#include "jg-store-private.h"
#include "jg-sync-client.h"

#define RECORDS_PER_HOUSEHOLD 2.25   /* the demo's mix: 2,000 households, 4,496 records */
#define PASSWORD              "bench-password-1"
#define DELTA_RECORDS         1000

static guint    opt_records = 20000;
static guint    opt_runs = 1;
static guint    opt_devices = 50;
static guint    opt_rounds = 5;
static guint    opt_list_households = 200000;
static guint    opt_peer_batch = 100;
static gboolean opt_json;
static gboolean opt_peer;
static gboolean opt_county;
static gboolean opt_keep;
static gboolean opt_verbose;
static char    *opt_peer_dir;

/* --peer was asked for and could not run: the figures are printed without
 * the peer's (from any run: the medians would mix), and the exit status is
 * EXIT_NO_PEER. */
static gboolean peer_failed;
#define EXIT_NO_PEER 3

/* ---- small helpers ------------------------------------------------------ */

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  va_list args;
  g_autofree char *text = NULL;

  if (opt_json && !opt_verbose)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s\n", text);
}

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("jinguo-bench: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gint64
count_records (JgStore *store)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  gint64 total = 0;

  for (guint i = 0; i < n_entities; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM \"%s\"", entities[i]->name);
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (jg_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        total += sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return total;
}

static gint64
query_int (JgStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  if (sqlite3_prepare_v2 (jg_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static JgStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  JgStore *store = jg_store_open (path, JG_STORE_CREATE, &error);

  if (store == NULL)
    die (path, error);
  return store;
}

static double
client_peak_rss_mib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

/* ---- the server --------------------------------------------------------- */

static const char *
server_binary (void)
{
  const char *env = g_getenv ("JINGUO_SERVER");

  return env ? env : JG_BENCH_SERVER;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_command (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) server_binary ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "JINGUO_PASSWORD", PASSWORD, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, &error))
    die (args[0], error);
}

static void
server_add_user (const char *db,
                 const char *username,
                 const char *role,
                 const char *org)
{
  const char *args[] = { "user-add", "--db", db, "--username", username, "--role", role, "--org", org, NULL };

  server_command (args);
}

static GSubprocess *
server_start (const char *db,
              guint      *port)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, server_binary (), "serve", "--db", db,
                                      "--listen", "127.0.0.1:0", NULL);
  if (proc == NULL)
    die ("jinguo-server serve", error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  if (line == NULL)
    die ("jinguo-server serve", error);
  *port = (guint) g_ascii_strtoull (line, NULL, 10);
  return proc;
}

/* VmHWM: the server's peak resident memory. */
static double
server_peak_rss_mib (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (proc));
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strstr (text, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtoll (p + 6, NULL, 10) / 1024.0;
}

static void
server_stop (GSubprocess *proc)
{
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
}

/* ---- a counting TCP proxy: the bytes on the wire ------------------------- */

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint         upstream_port;
  guint         port;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint64       up;      /* client to server */
  guint64       down;    /* server to client */
} Proxy;

typedef struct
{
  Proxy         *proxy;
  GInputStream  *in;
  GOutputStream *out;
  GSocket       *out_socket;
  guint64       *counter;
} Pipe;

static gpointer
pipe_run (gpointer data)
{
  Pipe *pipe = data;
  guint8 buf[65536];

  for (;;)
    {
      gssize n = g_input_stream_read (pipe->in, buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        break;
      if (!g_output_stream_write_all (pipe->out, buf, (gsize) n, NULL, NULL, NULL))
        break;
      g_mutex_lock (&pipe->proxy->lock);
      *pipe->counter += (guint64) n;
      g_mutex_unlock (&pipe->proxy->lock);
    }
  g_socket_shutdown (pipe->out_socket, FALSE, TRUE, NULL);
  return NULL;
}

static gboolean
proxy_connection (GThreadedSocketService *service,
                  GSocketConnection      *connection,
                  GObject                *source,
                  gpointer                user_data)
{
  Proxy *proxy = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  Pipe up, down;
  GThread *thread;

  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) proxy->upstream_port, NULL, NULL);
  if (upstream == NULL)
    return TRUE;
  up = (Pipe) { proxy, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                g_io_stream_get_output_stream (G_IO_STREAM (upstream)),
                g_socket_connection_get_socket (upstream), &proxy->up };
  down = (Pipe) { proxy, g_io_stream_get_input_stream (G_IO_STREAM (upstream)),
                  g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                  g_socket_connection_get_socket (connection), &proxy->down };
  thread = g_thread_new ("proxy-down", pipe_run, &down);
  pipe_run (&up);
  g_thread_join (thread);
  g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  return TRUE;
}

static gpointer
proxy_thread (gpointer data)
{
  Proxy *proxy = data;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (proxy->context);
  service = g_threaded_socket_service_new (256);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    die ("proxy", error);
  g_signal_connect (service, "run", G_CALLBACK (proxy_connection), proxy);
  g_socket_service_start (service);

  g_mutex_lock (&proxy->lock);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  proxy->ready = TRUE;
  g_cond_signal (&proxy->cond);
  g_mutex_unlock (&proxy->lock);

  g_main_loop_run (proxy->loop);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

static Proxy *
proxy_start (guint upstream_port)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  proxy->upstream_port = upstream_port;
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->thread = g_thread_new ("proxy", proxy_thread, proxy);
  g_mutex_lock (&proxy->lock);
  while (!proxy->ready)
    g_cond_wait (&proxy->cond, &proxy->lock);
  g_mutex_unlock (&proxy->lock);
  return proxy;
}

static void
proxy_read (Proxy   *proxy,
            guint64 *up,
            guint64 *down)
{
  g_mutex_lock (&proxy->lock);
  *up = proxy->up;
  *down = proxy->down;
  g_mutex_unlock (&proxy->lock);
}

/* Connections the sessions keep alive end with the process. */
static void
proxy_stop (Proxy *proxy)
{
  g_main_loop_quit (proxy->loop);
  g_thread_join (proxy->thread);
}

/* ---- the client ---------------------------------------------------------- */

typedef struct
{
  gboolean    done;
  JsonObject *result;
  GError     *error;
} Wait;

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->result = jg_sync_client_login_finish (JG_SYNC_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
client_login (const char *path,
              const char *url,
              const char *username)
{
  g_autoptr(JgSyncClient) client = jg_sync_client_new (path);
  Wait w = { 0 };

  jg_sync_client_login_async (client, url, username, PASSWORD, NULL, login_done, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (w.result == NULL)
    die ("login", w.error);
  json_object_unref (w.result);
}

/* Seconds for one full sync of the store at @path. */
static double
client_sync (const char  *path,
             JsonObject **summary_out)
{
  g_autoptr(JgSyncClient) client = jg_sync_client_new (path);
  g_autoptr(GError) error = NULL;
  JsonObject *summary;
  double t0 = now_s (), t;

  summary = jg_sync_client_sync (client, NULL, &error);
  t = now_s () - t0;
  if (summary == NULL)
    die ("sync", error);
  if (opt_verbose)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), summary);
      g_autofree char *text = jg_json_to_string (node, FALSE);

      g_printerr ("  sync %s: %s\n", path, text);
    }
  if (summary_out)
    *summary_out = summary;
  else
    json_object_unref (summary);
  return t;
}

/* ---- raw SQLite: the physical baseline ------------------------------------ */

typedef struct
{
  char       *create;     /* CREATE TABLE text */
  GPtrArray  *indexes;    /* CREATE INDEX texts */
  char       *insert;
  int         n_cols;
  GPtrArray  *values;     /* sqlite3_value *, n_cols per row */
} RawTable;

static void
raw_table_free (RawTable *t)
{
  g_free (t->create);
  g_ptr_array_unref (t->indexes);
  g_free (t->insert);
  g_ptr_array_unref (t->values);
  g_free (t);
}

/* The rows of @names in @source, with the same tables and indexes, inserted
 * into a new database in @dir with one prepared statement per table in one
 * transaction: what the disk and SQLite can do.  Rows per second. */
static double
raw_insert_rows_per_s (JgStore           *source,
                       const char        *dir,
                       const char        *file,
                       const char * const *names,
                       guint              n_names)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_table_free);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  sqlite3 *src = jg_store_get_db (source);
  sqlite3 *db = NULL;
  gint64 rows = 0;
  double t0, t;

  for (guint i = 0; i < n_names; i++)
    {
      RawTable *rt = g_new0 (RawTable, 1);
      sqlite3_stmt *stmt = NULL;
      g_autofree char *select = g_strdup_printf ("SELECT * FROM \"%s\"", names[i]);
      GString *insert;

      rt->indexes = g_ptr_array_new_with_free_func (g_free);
      rt->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
      sqlite3_prepare_v2 (src, "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, names[i], -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          if (strcmp ((const char *) sqlite3_column_text (stmt, 0), "table") == 0)
            rt->create = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          else
            g_ptr_array_add (rt->indexes, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_finalize (stmt);

      sqlite3_prepare_v2 (src, select, -1, &stmt, NULL);
      rt->n_cols = sqlite3_column_count (stmt);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < rt->n_cols; c++)
          g_ptr_array_add (rt->values, sqlite3_value_dup (sqlite3_column_value (stmt, c)));
      sqlite3_finalize (stmt);
      rows += rt->values->len / rt->n_cols;

      insert = g_string_new (NULL);
      g_string_append_printf (insert, "INSERT INTO \"%s\" VALUES (?", names[i]);
      for (int c = 1; c < rt->n_cols; c++)
        g_string_append (insert, ", ?");
      g_string_append (insert, ")");
      rt->insert = g_string_free (insert, FALSE);
      g_ptr_array_add (tables, rt);
    }

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  for (guint i = 0; i < tables->len; i++)
    {
      RawTable *rt = tables->pdata[i];

      sqlite3_exec (db, rt->create, NULL, NULL, NULL);
      for (guint k = 0; k < rt->indexes->len; k++)
        sqlite3_exec (db, rt->indexes->pdata[k], NULL, NULL, NULL);
    }

  t0 = now_s ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < tables->len; i++)
    {
      RawTable *rt = tables->pdata[i];
      sqlite3_stmt *stmt = NULL;

      sqlite3_prepare_v2 (db, rt->insert, -1, &stmt, NULL);
      for (guint r = 0; r < rt->values->len; r += (guint) rt->n_cols)
        {
          for (int c = 0; c < rt->n_cols; c++)
            sqlite3_bind_value (stmt, c + 1, rt->values->pdata[r + (guint) c]);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            g_printerr ("jinguo-bench: raw insert: %s\n", sqlite3_errmsg (db));
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  t = now_s () - t0;
  sqlite3_close (db);
  return rows / t;
}

/* The records' own rows: the baseline every target is measured against. */
static double
raw_sqlite_rows_per_s (JgStore    *source,
                       const char *dir)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  g_autofree const char **names = g_new0 (const char *, n_entities);

  for (guint i = 0; i < n_entities; i++)
    names[i] = entities[i]->name;
  return raw_insert_rows_per_s (source, dir, "raw.db", names, n_entities);
}

/* The change log's rows (change_entry, as the server stores them: its table
 * and its two indexes), the same way.  A server that keeps one log row per
 * field changed, as DESIGN.md's change log does, cannot take a first upload
 * faster than it can insert these rows and the records' rows, with nothing
 * else: the ceiling reported as first_upload_ceiling_records_per_s. */
static double
raw_log_rows_per_s (JgStore    *source,
                    const char *dir)
{
  const char *names[] = { "change_entry" };

  return raw_insert_rows_per_s (source, dir, "raw-log.db", names, G_N_ELEMENTS (names));
}

/* ---- 50 devices at once ------------------------------------------------------ */

typedef struct
{
  char    *path;
  char    *village;
  GArray  *latencies_ms;
  guint    errors;
  guint    syncs;
  GMutex  *lock;
  GCond   *cond;
  gboolean *go;
} Device;

static gpointer
device_run (gpointer data)
{
  Device *d = data;
  g_autoptr(JgSyncClient) client = jg_sync_client_new (d->path);

  g_mutex_lock (d->lock);
  while (!*d->go)
    g_cond_wait (d->cond, d->lock);
  g_mutex_unlock (d->lock);

  for (guint round = 0; round < opt_rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) summary = NULL;
      double t0, ms;

      /* A small delta: three households and an edit, as a village office makes. */
      {
        g_autoptr(JgStore) store = jg_store_open (d->path, JG_STORE_FLAGS_NONE, &error);

        for (guint k = 0; store && k < 3; k++)
          {
            g_autoptr(JsonObject) o = json_object_new ();
            g_autofree char *name = g_strdup_printf ("设备户%u-%u", round, k);
            g_autofree char *id = NULL;

            json_object_set_string_member (o, "org_unit", d->village);
            json_object_set_string_member (o, "head_name", name);
            json_object_set_int_member (o, "member_count", 3);
            id = jg_store_put (store, "household", o, &error);
            if (id != NULL && k == 0)
              {
                g_autoptr(JsonObject) e = json_object_new ();

                json_object_set_string_member (e, "id", id);
                json_object_set_string_member (e, "phone", "13800000000");
                g_free (jg_store_put (store, "household", e, &error));
              }
          }
        if (error != NULL)
          {
            d->errors++;
            continue;
          }
      }

      t0 = now_s ();
      summary = jg_sync_client_sync (client, NULL, &error);
      ms = (now_s () - t0) * 1000;
      d->syncs++;
      if (summary == NULL || json_object_get_int_member (summary, "rejected") > 0)
        {
          if (opt_verbose)
            g_printerr ("  device %s: %s\n", d->path, error ? error->message : "rejected changes");
          d->errors++;
        }
      g_array_append_val (d->latencies_ms, ms);
    }
  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint) ceil (p / 100.0 * sorted->len);
  i = i > 0 ? i - 1 : 0;
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

static void
concurrent_devices (const char *dir,
                    const char *server_db,
                    const char *url,
                    JgStore    *source,
                    JsonObject *out)
{
  g_autoptr(GPtrArray) villages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Device *devices = g_new0 (Device, opt_devices);
  GThread **threads = g_new0 (GThread *, opt_devices);
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  guint errors = 0, syncs = 0, n_users;
  sqlite3_stmt *stmt = NULL;
  double t0, wall;

  g_mutex_init (&lock);
  g_cond_init (&cond);

  sqlite3_prepare_v2 (jg_store_get_db (source),
                      "SELECT DISTINCT org_unit FROM household ORDER BY org_unit LIMIT 10", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (villages, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  n_users = villages->len;
  if (n_users == 0)
    return;

  /* Village users, several devices each; every device signs in and pulls
   * its village once before the clock starts. */
  for (guint u = 0; u < n_users; u++)
    {
      g_autofree char *name = g_strdup_printf ("v%u", u);

      server_add_user (server_db, name, "village_staff", villages->pdata[u]);
    }
  for (guint i = 0; i < opt_devices; i++)
    {
      Device *d = &devices[i];
      g_autofree char *name = g_strdup_printf ("v%u", i % n_users);
      g_autofree char *file = g_strdup_printf ("device-%02u.db", i);

      d->path = g_build_filename (dir, file, NULL);
      d->village = g_strdup (villages->pdata[i % n_users]);
      d->latencies_ms = g_array_new (FALSE, FALSE, sizeof (double));
      d->lock = &lock;
      d->cond = &cond;
      d->go = &go;
      client_login (d->path, url, name);
      client_sync (d->path, NULL);
    }

  for (guint i = 0; i < opt_devices; i++)
    threads[i] = g_thread_new ("device", device_run, &devices[i]);
  t0 = now_s ();
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < opt_devices; i++)
    g_thread_join (threads[i]);
  wall = now_s () - t0;

  for (guint i = 0; i < opt_devices; i++)
    {
      Device *d = &devices[i];

      g_array_append_vals (all, d->latencies_ms->data, d->latencies_ms->len);
      errors += d->errors;
      syncs += d->syncs;
      g_free (d->path);
      g_free (d->village);
      g_array_unref (d->latencies_ms);
    }
  g_array_sort (all, compare_double);
  json_object_set_int_member (out, "concurrent_devices", opt_devices);
  json_object_set_double_member (out, "concurrent_syncs_per_s", syncs / wall);
  json_object_set_double_member (out, "concurrent_p50_ms", percentile (all, 50));
  json_object_set_double_member (out, "concurrent_p99_ms", percentile (all, 99));
  json_object_set_int_member (out, "concurrent_errors", errors);
  g_free (devices);
  g_free (threads);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

/* ---- the households list ------------------------------------------------------ */

/* Until the list has counted its records and read the page holding the
 * first one, as a view showing the top of the list makes it. */
static void
list_first_page (JgRecordList *list)
{
  while (!jg_record_list_get_ready (list) || jg_record_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
    {
      g_autoptr(GObject) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

      while (jg_record_list_get_loading (list))
        g_main_context_iteration (NULL, TRUE);
    }
}

/* Copies the generated households, with fresh ids, up to @target rows, then
 * times what the app does when the list opens and when it is filtered. */
static void
households_list (const char *dir,
                 const char *source_path,
                 JsonObject *out)
{
  g_autofree char *path = g_build_filename (dir, "list.db", NULL);
  char *attach;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JgStoreWorker) worker = NULL;
  g_autoptr(JgRecordList) list = NULL;
  g_autofree char *township_path = NULL;
  sqlite3_stmt *ins = NULL, *sel = NULL;
  gint64 have;
  double t0;

  store = open_store (path);
  jg_org_units_import_builtin (store, NULL, NULL, NULL, NULL);
  attach = sqlite3_mprintf ("ATTACH %Q AS src", source_path);
  jg_store_exec (store, attach, NULL);
  sqlite3_free (attach);
  jg_store_exec (store, "BEGIN", NULL);
  sqlite3_prepare_v2 (jg_store_get_db (store),
                      "SELECT org_unit, created_by, created_at, review_state, review_note, deleted, head_name, "
                      "address, member_count, phone, tags, publicity_consent, consent_at, _v FROM src.household",
                      -1, &sel, NULL);
  sqlite3_prepare_v2 (jg_store_get_db (store),
                      "INSERT INTO household (id, org_unit, created_by, created_at, review_state, review_note, "
                      "deleted, head_name, address, member_count, phone, tags, publicity_consent, consent_at, _v) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL);
  have = 0;
  while (have < opt_list_households)
    {
      gint64 copied = 0;

      while (have < opt_list_households && sqlite3_step (sel) == SQLITE_ROW)
        {
          g_autofree char *id = jg_uuid7_new (g_get_real_time () / 1000);

          sqlite3_bind_text (ins, 1, id, -1, SQLITE_TRANSIENT);
          for (int c = 0; c < 14; c++)
            sqlite3_bind_value (ins, c + 2, sqlite3_column_value (sel, c));
          sqlite3_step (ins);
          sqlite3_reset (ins);
          have++;
          copied++;
        }
      sqlite3_reset (sel);
      if (copied == 0)
        break;
    }
  sqlite3_finalize (sel);
  sqlite3_finalize (ins);
  jg_store_exec (store, "COMMIT", NULL);
  jg_store_exec (store, "DETACH src", NULL);
  g_clear_object (&store);

  /* As the app does it: its list model (count, then the page in view, on
   * the store's worker thread) over a freshly opened store; then typing a
   * search, then choosing a township. */
  t0 = now_s ();
  worker = jg_store_worker_new (path);
  list = jg_record_list_new (worker, "household");
  list_first_page (list);
  json_object_set_double_member (out, "list_open_first_page_ms", (now_s () - t0) * 1000);
  json_object_set_int_member (out, "list_households", g_list_model_get_n_items (G_LIST_MODEL (list)));

  t0 = now_s ();
  jg_record_list_set_search (list, "陈");
  list_first_page (list);
  json_object_set_double_member (out, "list_search_first_page_ms", (now_s () - t0) * 1000);
  json_object_set_int_member (out, "list_search_matches", g_list_model_get_n_items (G_LIST_MODEL (list)));

  store = open_store (path);
  township_path = jg_org_units_path_for_code (store, "331082004");
  g_clear_object (&store);
  if (township_path == NULL)
    die ("households list: no township 331082004", NULL);
  jg_record_list_set_search (list, NULL);
  list_first_page (list);
  t0 = now_s ();
  jg_record_list_set_filter (list, JG_STORE_WORKER_UNIT_PATH, township_path);
  list_first_page (list);
  json_object_set_double_member (out, "list_township_first_page_ms", (now_s () - t0) * 1000);
  json_object_set_int_member (out, "list_township_matches", g_list_model_get_n_items (G_LIST_MODEL (list)));

  /* The worker's tasks let go of it on this thread: until they have, it
   * is not closed. */
  g_clear_object (&list);
  {
    JgStoreWorker *gone = worker;

    g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
    g_clear_object (&worker);
    while (gone != NULL)
      g_main_context_iteration (NULL, TRUE);
  }
}

/* ---- the PouchDB peer ------------------------------------------------------------ */

static void
export_jsonl (JgStore    *store,
              const char *path)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n_entities; i++)
    {
      g_autoptr(JsonArray) list = jg_store_list (store, entities[i]->name, NULL, NULL);

      for (guint k = 0; list && k < json_array_get_length (list); k++)
        {
          JsonObject *o = json_array_get_object_element (list, k);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *line = NULL;

          json_object_set_string_member (o, "type", entities[i]->name);
          node = json_node_init_object (json_node_alloc (), o);
          line = jg_json_to_string (node, FALSE);
          g_string_append (text, line);
          g_string_append_c (text, '\n');
        }
    }
  g_file_set_contents (path, text->str, (gssize) text->len, NULL);
}

/* "... push   median_secs=… median_docs_per_s=N …" of summarize.js */
static double
peer_figure (const char *output,
             const char *phase,
             const char *key)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *tag = g_strdup_printf (" %s ", phase);
      const char *p;

      if (strstr (lines[i], tag) == NULL || (p = strstr (lines[i], key)) == NULL)
        continue;
      return g_ascii_strtod (p + strlen (key), NULL);
    }
  return -1;
}

static void
run_peer (const char *dir,
          JgStore    *store,
          gint64      n_records,
          JsonObject *out)
{
  g_autofree char *peer_dir = opt_peer_dir ? g_strdup (opt_peer_dir)
                                            : g_build_filename (JG_BENCH_SRCDIR, "..", "shared", "peer-pouchdb", NULL);
  g_autofree char *script = g_build_filename (peer_dir, "run.sh", NULL);
  g_autofree char *jsonl = g_build_filename (dir, "records.jsonl", NULL);
  g_autofree char *n_text = g_strdup_printf ("%" PRId64, n_records);
  g_autofree char *batch = g_strdup_printf ("%u", opt_peer_batch);
  g_autofree char *output = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *npm = g_find_program_in_path ("npm");
  static const struct { const char *key, *phase, *figure; } figures[] = {
    { "peer_push_docs_per_s", "push", "median_docs_per_s=" },
    { "peer_pull_docs_per_s", "pull", "median_docs_per_s=" },
    { "peer_pull_bytes_per_doc", "pull", "bytes/doc=" },
    { "peer_delta_push_s", "dpush", "median_secs=" },
    { "peer_delta_pull_s", "dpull", "median_secs=" },
  };
  double values[G_N_ELEMENTS (figures)];
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (script, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("jinguo-bench: no PouchDB peer at %s; skipping --peer\n", peer_dir);
      return;
    }
  if (node == NULL || npm == NULL)
    {
      g_printerr ("jinguo-bench: the PouchDB peer needs Node.js and npm, and %s is not installed "
                  "(on Debian: apt-get install nodejs npm); no peer figures\n", node == NULL ? "node" : "npm");
      peer_failed = TRUE;
      return;
    }
  export_jsonl (store, jsonl);
  say ("peer: PouchDB on the same %s records", n_text);
  /* Its own errors (npm, node) go to our standard error as they come. */
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, script, n_text, batch, "1", jsonl, NULL);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &output, NULL, &error))
    {
      g_printerr ("jinguo-bench: the PouchDB peer failed: %s; no peer figures\n", error->message);
      peer_failed = TRUE;
      return;
    }
  if (opt_verbose)
    g_printerr ("%s", output);
  if (!g_subprocess_get_successful (proc))
    {
      g_printerr ("jinguo-bench: the PouchDB peer (%s) failed with exit status %d; no peer figures\n",
                  script, g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1);
      peer_failed = TRUE;
      return;
    }
  /* summarize.js checks that every run's stores ended with every record. */
  if (strstr (output, "counts ok: true") == NULL)
    {
      g_printerr ("jinguo-bench: the PouchDB peer's replication did not hold every record at the end "
                  "(no \"counts ok: true\"); no peer figures\n");
      peer_failed = TRUE;
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      values[i] = peer_figure (output, figures[i].phase, figures[i].figure);
      if (values[i] < 0)
        {
          g_printerr ("jinguo-bench: the PouchDB peer printed no %s figure for %s; no peer figures\n",
                      figures[i].figure, figures[i].phase);
          peer_failed = TRUE;
          return;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    json_object_set_double_member (out, figures[i].key, values[i]);
}

/* ---- one run ---------------------------------------------------------------------- */

static JsonObject *
run_once (guint run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-bench-XXXXXX", &error);
  g_autofree char *a_path = NULL, *b_path = NULL, *server_db = NULL, *url = NULL, *proxy_url = NULL;
  g_autoptr(JgStore) a = NULL;
  g_autoptr(JsonObject) demo = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(JsonArray) households = NULL;
  JsonObject *out = json_object_new ();
  JgDemoOptions options = { 0 };
  JgListQuery first = { .limit = DELTA_RECORDS };
  Proxy *proxy;
  guint port;
  gint64 records, changes;
  guint64 up0, down0, up1, down1;
  double t, t0;

  if (dir == NULL)
    die ("temporary directory", error);
  a_path = g_build_filename (dir, "a.db", NULL);
  b_path = g_build_filename (dir, "b.db", NULL);
  server_db = g_build_filename (dir, "server.db", NULL);

  /* The data set: the demo generator's county, sized to about N records. */
  options.households = MAX (10, (guint) (opt_records / RECORDS_PER_HOUSEHOLD));
  options.seed = 20240501 + run;
  options.for_server = TRUE;   /* pushed below: no back-dated award notices */
  a = open_store (a_path);
  t0 = now_s ();
  demo = jg_demo_generate (a, &options, NULL, NULL, NULL, &error);
  t = now_s () - t0;
  if (demo == NULL)
    die ("demo", error);
  records = count_records (a);
  changes = query_int (a, "SELECT count (*) FROM change_log");
  json_object_set_int_member (out, "records", records);
  json_object_set_int_member (out, "changes", changes);
  json_object_set_int_member (out, "households", options.households);
  json_object_set_double_member (out, "local_write_records_per_s", records / t);
  json_object_set_double_member (out, "local_writes_per_s", json_object_get_int_member (demo, "writes") / t);
  say ("run %u: %" PRId64 " records, %" PRId64 " changes, %" PRId64
       " writes in %.1f s", run + 1, records, changes, json_object_get_int_member (demo, "writes"), t);

  json_object_set_double_member (out, "raw_sqlite_rows_per_s", raw_sqlite_rows_per_s (a, dir));
  say ("  raw SQLite: %.0f rows/s", json_object_get_double_member (out, "raw_sqlite_rows_per_s"));
  {
    double log_rate = raw_log_rows_per_s (a, dir);
    double floor_s = changes / log_rate + records / json_object_get_double_member (out, "raw_sqlite_rows_per_s");

    json_object_set_double_member (out, "raw_log_rows_per_s", log_rate);
    json_object_set_double_member (out, "first_upload_ceiling_records_per_s", records / floor_s);
    say ("  raw SQLite, the change log's rows: %.0f rows/s; records and log rows alone: %.0f records/s",
         log_rate, records / floor_s);
  }

  /* The server: a county reviewer, like test-sync's demo case. */
  {
    const char *init[] = { "init", "--db", server_db, NULL };

    server_command (init);
    server_add_user (server_db, "county", "county_reviewer", json_object_get_string_member (demo, "county"));
  }
  server = server_start (server_db, &port);
  proxy = proxy_start (port);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);

  /* First upload: everything A made. */
  client_login (a_path, proxy_url, "county");
  proxy_read (proxy, &up0, &down0);
  t = client_sync (a_path, NULL);
  proxy_read (proxy, &up1, &down1);
  json_object_set_double_member (out, "first_upload_s", t);
  json_object_set_double_member (out, "first_upload_records_per_s", records / t);
  json_object_set_double_member (out, "push_bytes_per_record", (double) (up1 - up0 + down1 - down0) / records);
  say ("  first upload: %.2f s, %.0f records/s, %.0f B/record",
       t, records / t, (double) (up1 - up0 + down1 - down0) / records);

  /* A new device's first sync: everything back. */
  client_login (b_path, proxy_url, "county");
  proxy_read (proxy, &up0, &down0);
  t = client_sync (b_path, NULL);
  proxy_read (proxy, &up1, &down1);
  json_object_set_double_member (out, "initial_sync_s", t);
  json_object_set_double_member (out, "initial_sync_records_per_s", records / t);
  json_object_set_double_member (out, "pull_bytes_per_record", (double) (up1 - up0 + down1 - down0) / records);
  {
    g_autoptr(JgStore) b = open_store (b_path);

    json_object_set_boolean_member (out, "initial_sync_complete", count_records (b) == records);
  }
  say ("  initial sync: %.2f s, %.0f records/s, %.0f B/record",
       t, records / t, (double) (up1 - up0 + down1 - down0) / records);

  /* 1,000 changed records each way. */
  households = jg_store_list (a, "household", &first, &error);
  if (households == NULL)
    die ("list", error);
  jg_store_begin (a, NULL);
  for (guint i = 0; i < json_array_get_length (households); i++)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autofree char *phone = g_strdup_printf ("139%08u", i);
      g_autofree char *id = NULL;

      json_object_set_string_member (o, "id", json_object_get_string_member (json_array_get_object_element (households, i), "id"));
      json_object_set_string_member (o, "phone", phone);
      id = jg_store_put (a, "household", o, &error);
      if (id == NULL)
        die ("delta", error);
    }
  jg_store_commit (a, NULL);
  t = client_sync (a_path, NULL);
  json_object_set_double_member (out, "delta_push_s", t);
  proxy_read (proxy, &up0, &down0);
  t = client_sync (b_path, NULL);
  proxy_read (proxy, &up1, &down1);
  json_object_set_double_member (out, "delta_pull_s", t);
  json_object_set_double_member (out, "delta_records", json_array_get_length (households));
  {
    g_autoptr(JgStore) b = open_store (b_path);
    const char *last_id = json_object_get_string_member (json_array_get_object_element (households, 0), "id");
    g_autoptr(JsonObject) r = jg_store_get (b, "household", last_id, NULL);

    json_object_set_boolean_member (out, "delta_ok", r && g_strcmp0 (json_object_get_string_member (r, "phone"),
                                                                     "13900000000") == 0);
  }
  say ("  delta of %u: push %.3f s, pull %.3f s", json_array_get_length (households),
       json_object_get_double_member (out, "delta_push_s"), t);

  concurrent_devices (dir, server_db, url, a, out);
  say ("  %u devices: %.0f syncs/s, p50 %.0f ms, p99 %.0f ms, %" PRId64 " errors", opt_devices,
       json_object_get_double_member (out, "concurrent_syncs_per_s"),
       json_object_get_double_member (out, "concurrent_p50_ms"),
       json_object_get_double_member (out, "concurrent_p99_ms"),
       json_object_get_int_member (out, "concurrent_errors"));

  json_object_set_double_member (out, "server_peak_rss_mib", server_peak_rss_mib (server));
  server_stop (server);
  proxy_stop (proxy);

  households_list (dir, a_path, out);
  say ("  households list of %" PRId64 ": open + first page %.1f ms, search %.1f ms, township %.1f ms",
       json_object_get_int_member (out, "list_households"),
       json_object_get_double_member (out, "list_open_first_page_ms"),
       json_object_get_double_member (out, "list_search_first_page_ms"),
       json_object_get_double_member (out, "list_township_first_page_ms"));

  if (opt_peer)
    run_peer (dir, a, records, out);

  json_object_set_double_member (out, "client_peak_rss_mib", client_peak_rss_mib ());
  g_clear_object (&a);
  if (!opt_keep)
    remove_tree (dir);
  else
    say ("  kept %s", dir);
  return out;
}

/* The county-scale demo: how long the generator takes for 200,000 households. */
static void
county_demo (JsonObject *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "county.db", NULL);
  g_autoptr(JgStore) store = open_store (path);
  JgDemoOptions options = { .households = JG_DEMO_COUNTY_HOUSEHOLDS, .seed = 1 };
  g_autoptr(JsonObject) demo = NULL;
  double t0 = now_s ();

  demo = jg_demo_generate (store, &options, NULL, NULL, NULL, &error);
  if (demo == NULL)
    die ("county demo", error);
  json_object_set_double_member (out, "county_demo_s", now_s () - t0);
  json_object_set_int_member (out, "county_demo_writes", json_object_get_int_member (demo, "writes"));
  json_object_set_int_member (out, "county_demo_records", count_records (store));
  say ("county demo: %.0f s, %" PRId64 " writes", now_s () - t0,
       json_object_get_int_member (demo, "writes"));
  g_clear_object (&store);
  remove_tree (dir);
}

/* ---- medians and ratios ------------------------------------------------------------- */

static JsonObject *
medians (GPtrArray *runs)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *out = json_object_new ();

  /* Every figure of any run (the peer's may be missing from some), in the
   * order they were measured. */
  for (guint r = 0; r < runs->len; r++)
    {
      g_autoptr(GList) members = json_object_get_members (runs->pdata[r]);

      for (GList *l = members; l; l = l->next)
        if (g_hash_table_add (seen, l->data))
          g_ptr_array_add (names, l->data);
    }

  for (guint k = 0; k < names->len; k++)
    {
      const char *name = names->pdata[k];
      JsonNode *node = NULL;
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint r = 0; r < runs->len && node == NULL; r++)
        node = json_object_get_member (runs->pdata[r], name);
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          gboolean all = TRUE;

          for (guint r = 0; r < runs->len; r++)
            all = all && json_object_has_member (runs->pdata[r], name) &&
                  json_object_get_boolean_member (runs->pdata[r], name);
          json_object_set_boolean_member (out, name, all);
          continue;
        }
      /* The median of the runs that measured it. */
      for (guint r = 0; r < runs->len; r++)
        {
          double v;

          if (!json_object_has_member (runs->pdata[r], name))
            continue;
          v = json_object_get_double_member (runs->pdata[r], name);
          g_array_append_val (values, v);
        }
      g_array_sort (values, compare_double);
      {
        double m = g_array_index (values, double, (values->len - 1) / 2);

        if (json_node_get_value_type (node) == G_TYPE_INT64)
          json_object_set_int_member (out, name, (gint64) m);
        else
          json_object_set_double_member (out, name, round (m * 1000) / 1000);
      }
    }
  return out;
}

static void
ratio (JsonObject *o,
       const char *name,
       const char *num,
       const char *den)
{
  double d;

  if (!json_object_has_member (o, num) || !json_object_has_member (o, den))
    return;
  d = json_object_get_double_member (o, den);
  if (d > 0)
    json_object_set_double_member (o, name, round (json_object_get_double_member (o, num) / d * 1000) / 1000);
}

/* A number option out of its range is refused, not run: a negative
 * --records would otherwise read as four billion. */
static void
check_range (const char *option,
             guint       value,
             guint       min,
             guint       max)
{
  if (value < min || value > max)
    {
      g_printerr ("jinguo-bench: --%s must be a whole number from %u to %u\n", option, min, max);
      exit (2);
    }
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &opt_records, "About N records of the demo's mix (20000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs; figures are their medians (1)", "R" },
    { "devices", 0, 0, G_OPTION_ARG_INT, &opt_devices, "Devices syncing at once (50)", "D" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Syncs per device (5)", "K" },
    { "list-households", 0, 0, G_OPTION_ARG_INT, &opt_list_households, "Households in the list test (200000)", "H" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print one JSON line", NULL },
    { "peer", 0, 0, G_OPTION_ARG_NONE, &opt_peer, "Also run the PouchDB peer on the same records", NULL },
    { "peer-batch", 0, 0, G_OPTION_ARG_INT, &opt_peer_batch, "PouchDB batch_size (100)", "B" },
    { "peer-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_peer_dir,
      "Where the peer's run.sh is (<source>/../shared/peer-pouchdb)", "DIR" },
    { "county", 0, 0, G_OPTION_ARG_NONE, &opt_county, "Also time the demo generator at county scale", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the temporary stores", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say more", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- how fast Jinguo is at county scale");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("jinguo-bench: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("jinguo-bench: unexpected argument '%s' (see --help)\n", argv[1]);
      return 2;
    }
  check_range ("records", opt_records, 1, 5000000);
  check_range ("runs", opt_runs, 1, 99);
  check_range ("devices", opt_devices, 1, 1000);
  check_range ("rounds", opt_rounds, 1, 1000);
  check_range ("list-households", opt_list_households, 1, 5000000);
  check_range ("peer-batch", opt_peer_batch, 1, 100000);
  if (opt_peer_dir != NULL)
    {
      g_autofree char *script = g_build_filename (opt_peer_dir, "run.sh", NULL);

      if (!g_file_test (script, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_printerr ("jinguo-bench: --peer-dir: there is no executable run.sh in %s\n", opt_peer_dir);
          return 2;
        }
    }

  for (guint r = 0; r < opt_runs; r++)
    g_ptr_array_add (runs, run_once (r));
  if (peer_failed)
    for (guint r = 0; r < runs->len; r++)
      {
        g_autoptr(GList) members = json_object_get_members (runs->pdata[r]);

        for (GList *l = members; l; l = l->next)
          if (g_str_has_prefix (l->data, "peer_"))
            json_object_remove_member (runs->pdata[r], l->data);
      }
  result = medians (runs);
  json_object_set_int_member (result, "runs", opt_runs);
  ratio (result, "initial_sync_vs_raw_sqlite", "initial_sync_records_per_s", "raw_sqlite_rows_per_s");
  ratio (result, "initial_sync_vs_peer_pull", "initial_sync_records_per_s", "peer_pull_docs_per_s");
  ratio (result, "first_upload_vs_peer_push", "first_upload_records_per_s", "peer_push_docs_per_s");
  ratio (result, "first_upload_vs_ceiling", "first_upload_records_per_s", "first_upload_ceiling_records_per_s");
  ratio (result, "first_upload_ceiling_vs_peer_push", "first_upload_ceiling_records_per_s", "peer_push_docs_per_s");
  ratio (result, "local_write_vs_raw_sqlite", "local_write_records_per_s", "raw_sqlite_rows_per_s");
  if (opt_county)
    county_demo (result);

  node = json_node_init_object (json_node_alloc (), result);
  text = jg_json_to_string (node, !opt_json);
  g_print ("%s\n", text);
  if (peer_failed)
    {
      g_printerr ("jinguo-bench: --peer was asked for but the peer did not run (see above)\n");
      return EXIT_NO_PEER;
    }
  return 0;
}
