/* sync-test-util.h: a real jinguo-server on 127.0.0.1 for the server tests
 *
 * The server runs as a subprocess ($JINGUO_SERVER, "serve --listen
 * 127.0.0.1:0"), so a test can also kill -9 it.  Static functions: each
 * test binary includes this once.
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "jg-common.h"
#include "jg-store-private.h"
#include "jg-sync-client.h"
#include "jg-sync-gzip.h"

#define TEST_PASSWORD "secret123"

/* Before g_test_init(): no desktop proxy settings in isolated dirs. */
G_GNUC_UNUSED static void
sync_test_init_env (void)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* Org units of the built-in 临海市 slice. */
#define COUNTY    "331082"
#define TOWNSHIP  "331082004"
#define VILLAGE_A "331082004240"
#define VILLAGE_B "331082004241"

typedef struct
{
  char        *dir;
  char        *db;
  char        *url;
  guint        port;
  guint        idle_timeout;   /* serve --idle-timeout; 0: the default */
  GSubprocess *proc;
} TestServer;

G_GNUC_UNUSED static const char *
server_binary (void)
{
  const char *path = g_getenv ("JINGUO_SERVER");

  g_assert_nonnull (path);
  return path;
}

/* Runs jinguo-server @args; its exit status, and with @out its standard
 * output. */
G_GNUC_UNUSED static int
run_server_command_output (const char * const *args,
                           const char         *password,
                           char              **out)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new ((out ? G_SUBPROCESS_FLAGS_STDOUT_PIPE : G_SUBPROCESS_FLAGS_STDOUT_SILENCE) |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) server_binary ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (password)
    g_subprocess_launcher_setenv (launcher, "JINGUO_PASSWORD", password, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_test_message ("jinguo-server %s: %s", args[0], err);
  return g_subprocess_get_exit_status (proc);
}

G_GNUC_UNUSED static int
run_server_command (const char * const *args,
                    const char         *password)
{
  return run_server_command_output (args, password, NULL);
}

G_GNUC_UNUSED static void
test_server_add_user (TestServer *ts,
                      const char *username,
                      const char *role,
                      const char *org)
{
  const char *args[] = { "user-add", "--db", ts->db, "--username", username, "--role", role,
                         "--org", org, NULL };

  g_assert_cmpint (run_server_command (args, TEST_PASSWORD), ==, 0);
}

/* A server left behind by a failed test would run forever. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

G_GNUC_UNUSED static void
test_server_start (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *line = NULL;
  g_autofree char *idle = g_strdup_printf ("%u", ts->idle_timeout);
  const char *argv[] = { server_binary (), "serve", "--db", ts->db, "--listen", "127.0.0.1:0",
                         ts->idle_timeout ? "--idle-timeout" : NULL, idle, NULL };

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  ts->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ts->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  ts->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (ts->port, >, 0);
  g_free (ts->url);
  ts->url = g_strdup_printf ("http://127.0.0.1:%u", ts->port);
}

G_GNUC_UNUSED static void
test_server_stop (TestServer *ts,
                  gboolean    kill9)
{
  g_autoptr(GError) error = NULL;

  if (ts->proc == NULL)
    return;
  g_subprocess_send_signal (ts->proc, kill9 ? SIGKILL : SIGTERM);
  g_subprocess_wait (ts->proc, NULL, &error);
  g_assert_no_error (error);
  if (!kill9)
    g_assert_true (g_subprocess_get_if_exited (ts->proc) && g_subprocess_get_exit_status (ts->proc) == 0);
  g_clear_object (&ts->proc);
}

/* A server store with a county reviewer, a township, two villages. */
G_GNUC_UNUSED static TestServer *
test_server_new (void)
{
  TestServer *ts = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  const char *init[] = { "init", "--db", NULL, NULL };

  ts->dir = g_dir_make_tmp ("jg-server-XXXXXX", &error);
  g_assert_no_error (error);
  ts->db = g_build_filename (ts->dir, "server.db", NULL);
  init[2] = ts->db;
  g_assert_cmpint (run_server_command (init, NULL), ==, 0);
  test_server_add_user (ts, "county", "county_reviewer", COUNTY);
  test_server_add_user (ts, "town", "township_staff", TOWNSHIP);
  test_server_add_user (ts, "va", "village_staff", VILLAGE_A);
  test_server_add_user (ts, "vb", "village_staff", VILLAGE_B);
  test_server_start (ts);
  return ts;
}

G_GNUC_UNUSED static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

G_GNUC_UNUSED static void
test_server_free (TestServer *ts)
{
  test_server_stop (ts, FALSE);
  remove_tree (ts->dir);
  g_free (ts->dir);
  g_free (ts->db);
  g_free (ts->url);
  g_free (ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

/* ---- raw HTTP ------------------------------------------------------------ */

G_GNUC_UNUSED static JsonNode *
http_request (TestServer   *ts,
              const char   *method,
              const char   *path,
              const char   *token,
              const void   *body,
              gsize         len,
              gboolean      gzip,
              guint        *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (ts->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize reply_len;
  const char *data;

  if (token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr(GBytes) bytes = NULL;

      if (gzip)
        {
          bytes = jg_sync_gzip_compress (body, len);
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Encoding", "gzip");
        }
      else
        bytes = g_bytes_new (body, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &reply_len);
  if (reply_len == 0)
    return NULL;
  return jg_json_parse (data, (gssize) reply_len, NULL);
}

G_GNUC_UNUSED static JsonNode *
http_post_json (TestServer *ts,
                const char *path,
                const char *token,
                const char *text,
                guint      *status)
{
  return http_request (ts, "POST", path, token, text, strlen (text), FALSE, status);
}

G_GNUC_UNUSED static const char *
error_code (JsonNode *reply)
{
  JsonObject *e;

  g_assert_nonnull (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
  g_assert_true (json_object_has_member (json_node_get_object (reply), "error"));
  e = json_object_get_object_member (json_node_get_object (reply), "error");
  g_assert_nonnull (jg_json_get_string (e, "message"));
  return jg_json_get_string (e, "code");
}

G_GNUC_UNUSED static char *
test_login (TestServer *ts,
            const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\","
                                           "\"replica\":\"0123456789abcdef0123456789abcdef\","
                                           "\"device\":\"test\"}", username, TEST_PASSWORD);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = http_post_json (ts, "/api/v1/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (jg_json_get_string (json_node_get_object (reply), "token"));
}

/* Counts rows of the server's store, read-only beside the running server. */
G_GNUC_UNUSED static gint64
server_count (TestServer *ts,
              const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (ts->db, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JgStmt) stmt = NULL;
  gint64 n;

  g_assert_no_error (error);
  stmt = jg_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  return n;
}

/* ---- the client engine ------------------------------------------------------ */

typedef struct
{
  gboolean    done;
  JsonObject *result;
  GError     *error;
} Wait;

G_GNUC_UNUSED static void
wait_login (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->result = jg_sync_client_login_finish (JG_SYNC_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

G_GNUC_UNUSED static void
wait_sync (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->result = jg_sync_client_sync_finish (JG_SYNC_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

G_GNUC_UNUSED static void
client_login (TestServer *ts,
              const char *store_path,
              const char *username)
{
  g_autoptr(JgSyncClient) client = jg_sync_client_new (store_path);
  Wait w = { 0 };

  jg_sync_client_login_async (client, ts->url, username, TEST_PASSWORD, NULL, wait_login, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.result);
  json_object_unref (w.result);
}

/* Syncs and returns the summary; asserts success. */
G_GNUC_UNUSED static JsonObject *
client_sync (const char *store_path)
{
  g_autoptr(JgSyncClient) client = jg_sync_client_new (store_path);
  Wait w = { 0 };

  jg_sync_client_sync_async (client, NULL, wait_sync, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  return w.result;
}

G_GNUC_UNUSED static gint64
summary_int (JsonObject *summary,
             const char *member)
{
  gint64 v = -1;

  g_assert_true (jg_json_get_int (summary, member, &v));
  return v;
}

G_GNUC_UNUSED static char *
put_record (const char *store_path,
            const char *entity,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (store_path, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JsonNode) node = jg_json_parse (json, -1, &error);
  char *id;

  g_assert_no_error (error);
  id = jg_store_put (store, entity, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return id;
}

G_GNUC_UNUSED static JsonObject *
get_record (const char *store_path,
            const char *entity,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (store_path, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return jg_store_get (store, entity, id, NULL);
}
