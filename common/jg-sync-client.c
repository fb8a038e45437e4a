/* jg-sync-client.c: the client's sync engine
 *
 * Each operation runs in a GTask thread with its own JgStore connection and
 * its own SoupSession (sync API), so neither is shared between threads.
 * The state lives in the store (sync_state: server, token, cursor), so an
 * interrupted sync resumes where the last saved page ended: the cursor is
 * saved in the same transaction as the page it covers.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "jg-common.h"
#include "jg-ledger.h"
#include "jg-store-private.h"
#include "jg-review.h"
#include "jg-sync-client.h"
#include "jg-sync-gzip.h"

#define MAX_SKEW_RETRIES 3
#define GZIP_MIN_BYTES   1024

struct _JgSyncClient
{
  GObject  parent_instance;

  char    *store_path;
};

G_DEFINE_FINAL_TYPE (JgSyncClient, jg_sync_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE_PATH,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- sync_state ----------------------------------------------------------- */

static char *
state_get (JgStore    *store,
           const char *key)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT value FROM sync_state WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup (jg_stmt_text (stmt, 0));
  return NULL;
}

static gboolean
state_set (JgStore     *store,
           const char  *key,
           const char  *value,
           GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static gboolean
state_delete (JgStore     *store,
              const char  *key,
              GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, "DELETE FROM sync_state WHERE key = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static gboolean
state_set_int (JgStore     *store,
               const char  *key,
               gint64       value,
               GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" PRId64, value);
  return state_set (store, key, buf, error);
}

/* The reuse of a number is the one push rejection with the code "conflict"
 * (server: same_as_stored()). */
#define REUSED_NUMBER_CODE "conflict"

/* ---- HTTP ---------------------------------------------------------------------- */

static int
code_from_wire (const char *name)
{
  int code = jg_error_code_from_name (name);

  if (code >= 0)
    return code;
  /* A sign-in refused is the CLI's "permission denied" (77), as a
   * revoked one is; a sign-in to be tried again later is "busy" (75). */
  if (g_strcmp0 (name, "bad_credentials") == 0)
    return JG_ERROR_UNAUTHORIZED;
  if (g_strcmp0 (name, "rate_limited") == 0)
    return JG_ERROR_BUSY;
  if (g_strcmp0 (name, "client_too_old") == 0)
    return JG_ERROR_PROTOCOL_VERSION;
  return JG_ERROR_FAILED;
}

/* The server's words for a sign-in it refuses are in the server's
 * language: these the user reads in her own. */
static const char *
sign_in_message (const char *name)
{
  if (g_strcmp0 (name, "bad_credentials") == 0)
    return _("Wrong user name or password");
  if (g_strcmp0 (name, "rate_limited") == 0)
    return _("Too many failed sign-ins; wait a few minutes and try again");
  if (g_strcmp0 (name, "unauthorized") == 0)
    return _("This device’s sign-in is not valid any more; sign in again");
  return NULL;
}

/* The large members of a sync answer, kept as text and read without a
 * node tree: a snapshot page's records, the push's results, the pulled
 * changes (a thousand of each). */
typedef struct
{
  GBytes *records;
  GBytes *results;
  GBytes *changes;
} ReplyText;

static void
reply_text_clear (ReplyText *t)
{
  g_clear_pointer (&t->records, g_bytes_unref);
  g_clear_pointer (&t->results, g_bytes_unref);
  g_clear_pointer (&t->changes, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReplyText, reply_text_clear)

/* The answer's object without the members of ReplyText, which go to @text. */
static JsonNode *
read_reply (GBytes    *reply,
            ReplyText *text)
{
  gsize len;
  const char *data = g_bytes_get_data (reply, &len);
  g_autoptr(JsonObject) o = json_object_new ();
  JgJsonReader r;

  if (!jg_json_check (data, len, NULL))
    return NULL;
  jg_json_reader_init (&r, data, len);
  if (!jg_json_reader_begin (&r, '{'))
    return NULL;
  while (jg_json_reader_next (&r, '}'))
    {
      g_autofree char *name = jg_json_reader_member (&r);
      GBytes **kept = NULL;
      JsonNode *value;

      if (name == NULL)
        return NULL;
      if (strcmp (name, "records") == 0)
        kept = &text->records;
      else if (strcmp (name, "results") == 0)
        kept = &text->results;
      else if (strcmp (name, "changes") == 0)
        kept = &text->changes;
      if (kept != NULL)
        {
          const char *start;
          gsize n;

          if (!jg_json_reader_skip (&r, &start, &n))
            return NULL;
          g_clear_pointer (kept, g_bytes_unref);
          *kept = g_bytes_new_from_bytes (reply, (gsize) (start - data), n);
          continue;
        }
      if ((value = jg_json_reader_value (&r)) == NULL)
        return NULL;
      json_object_set_member (o, name, value);
    }
  return json_node_init_object (json_node_alloc (), o);
}

/* A request body (JSON, taken) as sent: gzipped unless it is small. */
static GBytes *
pack_body (char     *body,
           gsize     len,
           gboolean *gzipped)
{
  g_autofree char *text = body;

  *gzipped = len >= GZIP_MIN_BYTES;
  if (*gzipped)
    return jg_sync_gzip_compress ((const guint8 *) text, len);
  return g_bytes_new_take (g_steal_pointer (&text), len);
}

/* Posts @request (from pack_body()) and returns the answer's object; with
 * @text, read_reply() keeps the answer's large members as text there. */
static JsonNode *
post_bytes (SoupSession   *session,
            const char    *base_url,
            const char    *endpoint,
            const char    *token,
            GBytes        *request,
            gboolean       gzipped,
            ReplyText     *text,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *url = g_strconcat (base_url, endpoint, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeaders *headers;
  const char *data;
  gsize reply_len;
  guint status;

  /* A sync server speaks HTTP (TLS or not); nothing else is one. */
  if (g_ascii_strncasecmp (base_url, "http://", 7) == 0 || g_ascii_strncasecmp (base_url, "https://", 8) == 0)
    msg = soup_message_new ("POST", url);
  if (msg == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("“%s” is not a server address"), base_url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (gzipped)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  reply = soup_session_send_and_read (session, msg, cancellable, error);
  if (reply == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &reply_len);
  if (status == SOUP_STATUS_OK && text != NULL)
    node = reply_len > 0 ? read_reply (reply, text) : NULL;
  else
    node = reply_len > 0 ? jg_json_parse (data, (gssize) reply_len, NULL) : NULL;

  if (status != SOUP_STATUS_OK)
    {
      JsonObject *e = NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *en = json_object_get_member (json_node_get_object (node), "error");

          if (en != NULL && JSON_NODE_HOLDS_OBJECT (en))
            e = json_node_get_object (en);
        }
      if (e != NULL && sign_in_message (jg_json_get_string (e, "code")) != NULL)
        g_set_error_literal (error, JG_ERROR, code_from_wire (jg_json_get_string (e, "code")),
                             sign_in_message (jg_json_get_string (e, "code")));
      else if (e != NULL && jg_json_get_string (e, "message"))
        jg_set_field_error (error, code_from_wire (jg_json_get_string (e, "code")),
                            jg_json_get_string (e, "field"),
                            _("The server says: %s (HTTP %u)"), jg_json_get_string (e, "message"), status);
      else
        /* A proxy's or an older server's page: a path it does not serve
         * is "not found" all the same (an older server has no fork). */
        g_set_error (error, JG_ERROR,
                     status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED ||
                     status == SOUP_STATUS_NOT_IMPLEMENTED ? JG_ERROR_NOT_FOUND : JG_ERROR_FAILED,
                     _("The server answered HTTP %u %s"), status, soup_message_get_reason_phrase (msg));
      return NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer is not a JSON object"));
      return NULL;
    }
  return g_steal_pointer (&node);
}

/* Posts @body (JSON, taken); see post_bytes(). */
static JsonNode *
post_text (SoupSession   *session,
           const char    *base_url,
           const char    *endpoint,
           const char    *token,
           char          *body,
           gsize          len,
           ReplyText     *text,
           GCancellable  *cancellable,
           GError       **error)
{
  gboolean gzipped;
  g_autoptr(GBytes) request = pack_body (body, len, &gzipped);

  return post_bytes (session, base_url, endpoint, token, request, gzipped, text, cancellable, error);
}

static JsonNode *
post_json (SoupSession   *session,
           const char    *base_url,
           const char    *endpoint,
           const char    *token,
           JsonNode      *body,
           GCancellable  *cancellable,
           GError       **error)
{
  char *text = jg_json_to_string (body, FALSE);

  return post_text (session, base_url, endpoint, token, text, strlen (text), NULL, cancellable, error);
}

/* A county server often has a certificate of its own making: the file
 * named by JINGUO_CA_FILE (PEM) is then the authority trusted instead of
 * the system's.  One that cannot be used fails the sign-in or the sync
 * saying so, rather than as a certificate the server did not have. */
static SoupSession *
new_session (GError **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120,
                                                                  "user-agent", "jinguo/" PACKAGE_VERSION " ",
                                                                  NULL);
  const char *ca_file = g_getenv ("JINGUO_CA_FILE");

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      /* GLib takes only an absolute name; a relative one is the current
       * folder's, as for any other file named on the command line. */
      g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (absolute, &local_error);

      if (database == NULL)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_FAILED,
                       /* Translators: JINGUO_CA_FILE is an environment variable; the file, then why */
                       _("Cannot use the certificates in %s (JINGUO_CA_FILE): %s"), absolute, local_error->message);
          return NULL;
        }
      soup_session_set_tls_database (session, database);
    }
  return g_steal_pointer (&session);
}

/* ---- clock ---------------------------------------------------------------------- */

/* The offset that brings this computer's clock to the server's. */
static gboolean
correct_clock (JgStore  *store,
               gint64    server_time_ms,
               GError  **error)
{
  JgHlc *hlc = jg_store_get_hlc (store);
  gint64 raw = jg_hlc_wall_ms (hlc) - jg_hlc_get_offset_ms (hlc);
  gint64 offset = server_time_ms - raw;
  char buf[32];

  jg_hlc_set_offset_ms (hlc, offset);
  g_snprintf (buf, sizeof buf, "%" PRId64, offset);
  return jg_store_set_meta (store, "hlc_offset_ms", buf, error);
}

/* ---- login --------------------------------------------------------------------- */

typedef struct
{
  char *url;
  char *username;
  char *password;
} LoginData;

static void
login_data_free (LoginData *d)
{
  g_free (d->url);
  g_free (d->username);
  if (d->password)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static char *
normalize_url (const char *url)
{
  g_autofree char *copy = g_strdup (url);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return g_steal_pointer (&copy);
}

/* The records of units outside @org_unit's subtree that hold nothing
 * the server has not taken: forgotten as records that left the user's
 * area are (jg_store_purge_record()).  One with a change still to send
 * stays, so the user sees what the server answers for it. */
static gboolean
forget_outside (JgStore     *store,
                const char  *org_unit,
                GError     **error)
{
  g_autofree char *prefix = jg_review_significant_code (org_unit);
  const JgEntityDef * const *all;
  guint n;

  all = jg_entity_all (&n);
  for (guint e = 0; e < n; e++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT id FROM \"%s\" t WHERE substr (t.org_unit, 1, length (?1)) IS NOT ?1 "
        "AND NOT EXISTS (SELECT 1 FROM change_entry c WHERE c.record = jg_uuid_blob (t.id) "
        "  AND c.server_seq IS NULL AND c.replica_idx ="
        "    (SELECT idx FROM replica WHERE replica_id = (SELECT value FROM meta WHERE key = 'replica_id')))",
        all[e]->name);
      g_autoptr(JgStmt) stmt = jg_store_prepare (store, sql, error);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup (jg_stmt_text (stmt, 0)));
      if (rc != SQLITE_DONE)
        return jg_store_sqlite_error (store, error);
      jg_stmt_release (g_steal_pointer (&stmt));
      for (guint i = 0; i < ids->len; i++)
        if (!jg_store_purge_record (store, all[e]->name, ids->pdata[i], error))
          return FALSE;
    }
  return TRUE;
}

static void
login_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  JgSyncClient *self = source;
  LoginData *d = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *old_url = NULL;
  g_autofree char *old_user = NULL;
  g_autofree char *old_unit = NULL;
  g_autofree char *old_role = NULL;
  gboolean moved;
  JsonObject *o, *user;
  JsonNode *user_node;
  const char *token, *username, *role, *org_unit;
  gint64 server_time = 0;

  store = jg_store_open (self->store_path, JG_STORE_CREATE, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, d->username);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, d->password);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, jg_store_get_replica_id (store));
  json_builder_set_member_name (b, "device");
  json_builder_add_string_value (b, g_get_host_name ());
  json_builder_end_object (b);
  request = json_builder_get_root (b);

  session = new_session (&error);
  if (session == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  reply = post_json (session, d->url, "/api/v1/login", NULL, request, cancellable, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  o = json_node_get_object (reply);
  token = jg_json_get_string (o, "token");
  user_node = json_object_get_member (o, "user");
  user = user_node && JSON_NODE_HOLDS_OBJECT (user_node) ? json_node_get_object (user_node) : NULL;
  username = user ? jg_json_get_string (user, "username") : NULL;
  role = user ? jg_json_get_string (user, "role") : NULL;
  org_unit = user ? jg_json_get_string (user, "org_unit") : NULL;
  if (token == NULL || username == NULL || role == NULL || org_unit == NULL)
    {
      g_task_return_new_error (task, JG_ERROR, JG_ERROR_MALFORMED,
                               _("The server’s answer to the sign-in is incomplete"));
      return;
    }
  jg_json_get_int (o, "server_time_ms", &server_time);

  old_url = state_get (store, "server_url");
  old_user = state_get (store, "username");
  old_unit = state_get (store, "org_unit");
  old_role = state_get (store, "role");
  if (!jg_store_begin (store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another server or user: start pulling from the beginning.  The same
   * user moved to another unit or role (user-add) too: her new area's
   * records were sent before the cursor, and the old area's she no
   * longer serves are forgotten (personal data she has no need of). */
  moved = old_user != NULL && g_strcmp0 (old_url, d->url) == 0 && g_strcmp0 (old_user, username) == 0 &&
          (g_strcmp0 (old_unit, org_unit) != 0 || g_strcmp0 (old_role, role) != 0);
  if ((g_strcmp0 (old_url, d->url) != 0 || g_strcmp0 (old_user, username) != 0 || moved) &&
      (!state_set_int (store, "cursor", 0, &error) || !state_delete (store, "snapshot", &error)))
    goto fail;
  if (moved && g_strcmp0 (old_unit, org_unit) != 0 && !forget_outside (store, org_unit, &error))
    goto fail;
  /* Another server has a history of its own: the first answer's is taken
   * as it is, not as the sign of a server restored from a backup (which
   * would send again every change the old server acknowledged). */
  if (g_strcmp0 (old_url, d->url) != 0)
    {
      g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                                 "SELECT coalesce (max (counter), 0) FROM change_entry"
                                                 " WHERE server_seq > 0 AND replica_idx ="
                                                 "   (SELECT idx FROM replica WHERE replica_id ="
                                                 "      (SELECT value FROM meta WHERE key = 'replica_id'))", &error);

      /* What the old server acknowledged says nothing of this one. */
      if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW ||
          !state_delete (store, "history", &error) ||
          !state_set_int (store, "acked_elsewhere", sqlite3_column_int64 (stmt, 0), &error))
        {
          if (error == NULL)
            jg_store_sqlite_error (store, &error);
          goto fail;
        }
    }
  if (!state_set (store, "server_url", d->url, &error) ||
      !state_set (store, "token", token, &error) ||
      !state_set (store, "username", username, &error) ||
      !state_set (store, "role", role, &error) ||
      !state_set (store, "org_unit", org_unit, &error) ||
      !jg_store_set_meta (store, "role", role, &error) ||
      !jg_store_set_meta (store, "org_unit", org_unit, &error) ||
      !jg_store_set_username (store, username, &error))
    goto fail;
  if (server_time > 0 &&
      ABS (server_time - jg_hlc_wall_ms (jg_store_get_hlc (store))) > JG_HLC_MAX_DRIFT_MS / 2 &&
      !correct_clock (store, server_time, &error))
    goto fail;
  if (!jg_store_commit (store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, json_object_ref (user), (GDestroyNotify) json_object_unref);
  return;

fail:
  jg_store_rollback (store);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
jg_sync_client_login_async (JgSyncClient        *self,
                            const char          *server_url,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *d;

  g_return_if_fail (JG_IS_SYNC_CLIENT (self));
  g_return_if_fail (server_url != NULL && username != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_sync_client_login_async);
  d = g_new0 (LoginData, 1);
  d->url = normalize_url (server_url);
  d->username = g_strdup (username);
  d->password = g_strdup (password);
  g_task_set_task_data (task, d, (GDestroyNotify) login_data_free);
  g_task_run_in_thread (task, login_thread);
}

JsonObject *
jg_sync_client_login_finish (JgSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- sync ------------------------------------------------------------------------- */

typedef struct
{
  guint      pushed;
  guint      accepted;
  guint      duplicates;
  guint      pulled;
  guint      snapshot;   /* records received as current state */
  guint      removed;    /* records that left the user's area */
  guint      conflicts;
  guint      clock_corrections;
  guint      forks;      /* 1 when this store went on as a new replica */
  guint      server_restored;   /* 1 when the server had lost what it acknowledged */
  JsonArray *rejected;
} Summary;

typedef struct
{
  JgSyncClient *self;
  char         *phase;
  guint         pushed;
  guint         pulled;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *p = data;

  g_signal_emit (p->self, signals[SIGNAL_PROGRESS], 0, p->phase, p->pushed, p->pulled);
  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *p)
{
  g_object_unref (p->self);
  g_free (p->phase);
  g_free (p);
}

static void
report (GTask         *task,
        const char    *phase,
        const Summary *s)
{
  Progress *p;

  /* jg_sync_client_sync() has no task and no caller's context to tell. */
  if (task == NULL)
    return;
  p = g_new0 (Progress, 1);
  p->self = g_object_ref (g_task_get_source_object (task));
  p->phase = g_strdup (phase);
  p->pushed = s->pushed;
  p->pulled = s->pulled;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              emit_progress, p, (GDestroyNotify) progress_free);
}

static gboolean
own_replica_idx (JgStore  *store,
                 gint64   *idx,
                 GError  **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT idx FROM replica WHERE replica_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, jg_store_get_replica_id (store), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  *idx = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* A quarantined change goes out again once its record was edited since:
 * the edit is the user's answer to the rejection. */
static gboolean
release_edited (JgStore  *store,
                gint64    own,
                GError  **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  /* Usually there is nothing quarantined: then nothing to look at. */
  stmt = jg_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM sync_rejected)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  if (sqlite3_column_int (stmt, 0) == 0)
    return TRUE;
  jg_stmt_release (g_steal_pointer (&stmt));

  /* A rejected value the user has since replaced is never sent: it is
   * marked done (server_seq 0) and leaves the list of rejections.  The
   * joins start from the few rejections ("CROSS JOIN" keeps that order),
   * not from the whole change log. */
  stmt = jg_store_prepare (store,
                           "UPDATE change_entry SET server_seq = 0 WHERE replica_idx = ?1 AND counter IN ("
                           " SELECT q.counter FROM sync_rejected q CROSS JOIN change_entry c "
                           "   ON c.replica_idx = ?1 AND c.counter = q.counter "
                           " WHERE EXISTS (SELECT 1 FROM change_entry l WHERE l.replica_idx = ?1 "
                           "   AND l.record = c.record AND l.field = c.field AND l.counter > q.counter))",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, own);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  jg_stmt_release (g_steal_pointer (&stmt));

  stmt = jg_store_prepare (store,
                           "DELETE FROM sync_rejected WHERE counter IN (SELECT counter FROM change_entry "
                           "WHERE replica_idx = ? AND server_seq = 0)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, own);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  jg_stmt_release (g_steal_pointer (&stmt));

  stmt = jg_store_prepare (store,
                           "DELETE FROM sync_rejected WHERE counter IN ("
                           " SELECT q.counter FROM sync_rejected q CROSS JOIN change_entry c "
                           "   ON c.replica_idx = ?1 AND c.counter = q.counter "
                           " WHERE EXISTS (SELECT 1 FROM change_entry l WHERE l.replica_idx = ?1 "
                           "   AND l.record = c.record AND l.counter > q.counter "
                           "   AND l.server_seq IS NULL "
                           "   AND l.counter NOT IN (SELECT counter FROM sync_rejected)))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, own);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

/* The values of one push, at most: with the rest of each change (a few
 * hundred bytes) a full batch stays under the server's 8 MiB body limit
 * even when it is all long texts. */
#define PUSH_VALUE_BYTES (4 * 1024 * 1024)

/* The own changes still to send after n ?2 of replica ?1: not answered
 * with a seq, not quarantined. */
#define OUTBOX_AFTER \
  "c.replica_idx = ?1 AND c.server_seq IS NULL AND c.counter > ?2 " \
  "AND c.counter NOT IN (SELECT counter FROM sync_rejected)"

/* The oldest unacknowledged changes above counter @after (those up to it
 * are in a request still in flight), at most @limit and PUSH_VALUE_BYTES
 * of values; *all_of_them says whether nothing else waits to be sent. */
static GPtrArray *
unacked_batch (JgStore  *store,
               gint64    own,
               gint64    after,
               guint     limit,
               gboolean *all_of_them,
               GError  **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  g_autoptr(JgStmt) stmt = NULL;
  gsize value_bytes = 0;
  gboolean cut = FALSE;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT " JG_STORE_CHANGE_COLUMNS
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE " OUTBOX_AFTER " ORDER BY c.counter LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, own);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JgChange *c = jg_change_new ();

      g_ptr_array_add (changes, c);
      if (!jg_store_read_change (store, stmt, c, error))
        return NULL;
      c->seq = 0;   /* this store's order, not the server's: not sent */
      value_bytes += strlen (c->value);
      if (value_bytes >= PUSH_VALUE_BYTES)
        {
          cut = TRUE;
          break;
        }
    }
  if (!cut && rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  cut = cut || changes->len == limit;
  *all_of_them = !cut;

  /* Never split one write (one record, one stamp) across two pushes: the
   * server judges a new record, a redemption above all, from its whole
   * write.  If the next change continues the last write, end the batch
   * before that write, unless it is all the batch has. */
  if (cut)
    {
      const JgChange *last = changes->pdata[changes->len - 1];
      g_autoptr(JgStmt) next = NULL;

      next = jg_store_prepare (store,
                               "SELECT record, hlc FROM change_entry "
                               "WHERE replica_idx = ? AND server_seq IS NULL AND counter > ? "
                               "AND counter NOT IN (SELECT counter FROM sync_rejected) "
                               "ORDER BY counter LIMIT 1", error);
      if (next == NULL)
        return NULL;
      sqlite3_bind_int64 (next, 1, own);
      sqlite3_bind_int64 (next, 2, last->counter);
      rc = sqlite3_step (next);
      g_autofree char *next_record = rc == SQLITE_ROW ? jg_store_column_record (next, 0) : NULL;

      if (rc == SQLITE_ROW && g_strcmp0 (next_record, last->record) == 0 &&
          sqlite3_column_int64 (next, 1) == last->hlc)
        {
          guint start = changes->len - 1;

          while (start > 0)
            {
              const JgChange *c = changes->pdata[start - 1];

              if (strcmp (c->record, last->record) != 0 || c->hlc != last->hlc)
                break;
              start--;
            }
          if (start > 0)
            g_ptr_array_set_size (changes, start);
        }
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          jg_store_sqlite_error (store, error);
          return NULL;
        }
    }
  return g_steal_pointer (&changes);
}

/* The index of the change with @counter in @batch, or -1.  The server
 * answers in the order of the batch: it is usually at @hint, just after
 * the one answered before. */
static gint
find_counter (GPtrArray *batch,
              guint      hint,
              gint64     counter)
{
  if (hint < batch->len && ((JgChange *) batch->pdata[hint])->counter == counter)
    return (gint) hint;
  for (guint i = 0; i < batch->len; i++)
    if (((JgChange *) batch->pdata[i])->counter == counter)
      return (gint) i;
  return -1;
}

/* One element of a push's "results", read from the answer's text; members
 * of another type count as absent. */
typedef struct
{
  char   *replica;
  char   *status;
  char   *code;
  char   *message;
  char   *field;
  gint64  counter;
  gint64  count;        /* a run: counter … counter + count - 1; 0 when absent */
  gint64  server_seq;
  char   *current;      /* a rejection: the field on the server, JSON text */
} PushResult;

static void
push_result_clear (PushResult *r)
{
  g_free (r->replica);
  g_free (r->status);
  g_free (r->code);
  g_free (r->message);
  g_free (r->field);
  g_free (r->current);
  memset (r, 0, sizeof *r);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PushResult, push_result_clear)

/* FALSE, with the element stepped over, when it is not an object. */
static gboolean
read_result (JgJsonReader *r,
             PushResult   *out)
{
  const char *start;
  gsize len;

  if (jg_json_reader_peek (r) != '{')
    {
      jg_json_reader_skip (r, &start, &len);
      return FALSE;
    }
  jg_json_reader_begin (r, '{');
  while (jg_json_reader_next (r, '}'))
    {
      g_autofree char *name = jg_json_reader_member (r);
      char **text = NULL;
      gint64 *number = NULL;

      if (name == NULL)
        return FALSE;
      if (strcmp (name, "current") == 0 && jg_json_reader_peek (r) == '{')
        {
          if (!jg_json_reader_skip (r, &start, &len))
            return FALSE;
          g_free (out->current);
          out->current = g_strndup (start, len);
          continue;
        }
      if (strcmp (name, "replica") == 0)
        text = &out->replica;
      else if (strcmp (name, "status") == 0)
        text = &out->status;
      else if (strcmp (name, "code") == 0)
        text = &out->code;
      else if (strcmp (name, "message") == 0)
        text = &out->message;
      else if (strcmp (name, "field") == 0)
        text = &out->field;
      else if (strcmp (name, "n") == 0)
        number = &out->counter;
      else if (strcmp (name, "count") == 0)
        number = &out->count;
      else if (strcmp (name, "server_seq") == 0)
        number = &out->server_seq;

      if (text != NULL && jg_json_reader_peek (r) == '"')
        {
          g_free (*text);
          *text = jg_json_reader_string (r);
        }
      else if (number == NULL || !jg_json_reader_int (r, number))
        {
          if (text != NULL)
            g_clear_pointer (text, g_free);
          if (number != NULL)
            *number = 0;
          if (!jg_json_reader_skip (r, &start, &len))
            return FALSE;
        }
    }
  return TRUE;
}

/* Acknowledged changes of consecutive counters that got consecutive
 * server_seqs (or one change: seq 0 for a duplicate without one), marked
 * in one statement. */
typedef struct
{
  gint64 first;   /* counters; 0: none */
  gint64 last;
  gint64 seq;     /* the first one's server_seq */
} AckRun;

static gboolean
ack_run (JgStore  *store,
         gint64    own,
         AckRun   *run,
         GError  **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  if (run->first == 0)
    return TRUE;
  stmt = jg_store_prepare (store,
                           "UPDATE change_entry SET server_seq = ?1 + (counter - ?2) "
                           "WHERE replica_idx = ?3 AND counter BETWEEN ?2 AND ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->seq);
  sqlite3_bind_int64 (stmt, 2, run->first);
  sqlite3_bind_int64 (stmt, 3, own);
  sqlite3_bind_int64 (stmt, 4, run->last);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  *run = (AckRun) { 0 };
  return TRUE;
}

/* Adds one acknowledged change to @run, or marks the run and starts
 * another with it. */
static gboolean
ack_run_add (JgStore  *store,
             gint64    own,
             AckRun   *run,
             gint64    counter,
             gint64    server_seq,
             GError  **error)
{
  server_seq = MAX (server_seq, 0);
  if (run->last > 0 && counter == run->last + 1 && run->seq > 0 &&
      server_seq == run->seq + (counter - run->first))
    {
      run->last = counter;
      return TRUE;
    }
  if (!ack_run (store, own, run, error))
    return FALSE;
  *run = (AckRun) { counter, counter, server_seq };
  return TRUE;
}

/* A rejection's "current" (protocol.md "Push rules"): the refused field's
 * value and version on the server.  FALSE when absent or not in that shape
 * (the device then goes back to the versions it holds). */
static gboolean
read_current (const char   *text,
              JgFieldState *state)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonNode *value;
  gint64 hlc = -1, base = 0, rbase = 0;
  const char *replica;

  if (text == NULL || (node = jg_json_parse (text, -1, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  value = json_object_get_member (o, "value");
  if (value == NULL || !jg_json_get_int (o, "hlc", &hlc) || hlc < 0)
    return FALSE;
  replica = jg_json_get_string (o, "replica");
  if (hlc > 0 && (!jg_replica_id_valid (replica) ||
                  !jg_json_get_int (o, "base", &base) || base < 0 ||
                  !jg_json_get_int (o, "rbase", &rbase) || rbase < 0))
    return FALSE;
  state->value = jg_json_canonical (value);
  state->hlc = hlc;
  state->base = base;
  state->rbase = rbase;
  state->replica = hlc > 0 ? g_strdup (replica) : NULL;
  return TRUE;
}

/* The new reversals of @batch the server refused as a whole (record id ->
 * the change of it that says "reverses"): every change of the record in the
 * batch was rejected, its creation among them (a reversal's "reverses" is
 * set only there), so the server holds nothing of it.  Read from the
 * answer before it is recorded: none of such a record's fields is
 * quarantined or unapplied, it is refused as a refused redemption is. */
static GHashTable *
refused_reversals (GPtrArray  *batch,
                   const char *replica,
                   const char *data,
                   gsize       len)
{
  GHashTable *left = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *refused = g_hash_table_new (g_str_hash, g_str_equal);
  JgJsonReader reader;
  GHashTableIter iter;
  gpointer key, value;
  guint hint = 0;

  for (guint i = 0; i < batch->len; i++)
    {
      const JgChange *c = batch->pdata[i];

      if (strcmp (c->field, "reverses") == 0 && strcmp (c->value, "null") != 0 &&
          jg_entity_lookup (c->entity) != NULL && jg_entity_lookup (c->entity)->ledger)
        g_hash_table_insert (left, c->record, GINT_TO_POINTER (0));
    }
  if (g_hash_table_size (left) == 0)
    {
      g_hash_table_unref (left);
      return refused;
    }
  for (guint i = 0; i < batch->len; i++)
    {
      const JgChange *c = batch->pdata[i];

      if (g_hash_table_contains (left, c->record))
        g_hash_table_insert (left, c->record,
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (left, c->record)) + 1));
    }

  jg_json_reader_init (&reader, data, len);
  if (jg_json_reader_begin (&reader, '['))
    while (jg_json_reader_next (&reader, ']'))
      {
        g_auto(PushResult) r = { 0 };
        const JgChange *c;
        gint at;

        if (!read_result (&reader, &r) || r.counter == 0 || g_strcmp0 (r.status, "rejected") != 0 ||
            g_strcmp0 (r.code, "clock_skew") == 0 || g_strcmp0 (r.replica, replica) != 0 ||
            (at = find_counter (batch, hint, r.counter)) < 0)
          continue;
        hint = (guint) at + 1;
        c = batch->pdata[at];
        if (g_hash_table_contains (left, c->record))
          g_hash_table_insert (left, c->record,
                               GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (left, c->record)) - 1));
      }
  g_hash_table_iter_init (&iter, left);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_INT (value) == 0)
      g_hash_table_add (refused, key);
  g_hash_table_unref (left);
  return refused;
}

/* Acknowledgements and rejections of the answer to a push of @batch (the
 * text of its "results"), in one transaction; @batch counts as pushed. */
static gboolean
record_results (JgStore    *store,
                gint64      own,
                GPtrArray  *batch,
                GBytes     *results,
                Summary    *s,
                gboolean   *skewed,
                GError    **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autofree char *now = g_date_time_format_iso8601 (utc);
  JgJsonReader reader;
  AckRun run = { 0 };
  guint hint = 0;
  gsize len;
  const char *data = results ? g_bytes_get_data (results, &len) : NULL;
  /* record id -> the server's reason: redemptions and reversals it refused */
  g_autoptr(GHashTable) refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* record id -> its record type, of the same */
  g_autoptr(GHashTable) refused_entity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) reversals = NULL;
  GHashTableIter iter;
  gpointer id, reason;

  s->pushed += batch->len;
  if (data != NULL)
    jg_json_reader_init (&reader, data, len);
  if (data == NULL || !jg_json_reader_begin (&reader, '['))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer has no results"));
      return FALSE;
    }
  reversals = refused_reversals (batch, jg_store_get_replica_id (store), data, len);
  if (!jg_store_begin (store, error))
    return FALSE;
  while (jg_json_reader_next (&reader, ']'))
    {
      g_auto(PushResult) r = { 0 };
      const char *code, *message;
      JgChange *change;
      g_autoptr(JgStmt) stmt = NULL;
      gint at;

      if (!read_result (&reader, &r) || r.counter == 0 || r.status == NULL ||
          g_strcmp0 (r.replica, jg_store_get_replica_id (store)) != 0 ||
          (at = find_counter (batch, hint, r.counter)) < 0)
        continue;
      change = batch->pdata[at];
      hint = (guint) at + 1;
      code = r.code ? r.code : "failed";
      message = r.message ? r.message : "";

      if (strcmp (r.status, "accepted") == 0 || strcmp (r.status, "duplicate") == 0)
        {
          gboolean accepted = strcmp (r.status, "accepted") == 0;
          /* A run names consecutive changes of the batch; one it does not
           * hold is not acknowledged (it goes out again). */
          gint64 count = r.count > 1 && r.server_seq > 0 ? MIN (r.count, (gint64) batch->len) : 1;

          for (gint64 k = 0; k < count; k++)
            {
              if (k > 0)
                {
                  if ((at = find_counter (batch, hint, r.counter + k)) < 0)
                    continue;
                  hint = (guint) at + 1;
                }
              if (accepted)
                s->accepted++;
              else
                s->duplicates++;
              if (!ack_run_add (store, own, &run, r.counter + k, r.server_seq > 0 ? r.server_seq + k : 0, error))
                goto fail;
            }
        }
      else if (strcmp (r.status, "rejected") == 0)
        {
          JsonObject *item;

          if (strcmp (code, "clock_skew") == 0)
            {
              /* Not the change's fault: fixed by the clock, then sent again. */
              *skewed = TRUE;
              continue;
            }
          if (jg_ledger_is_refused_redemption (change->entity, code) ||
              g_hash_table_contains (reversals, change->record))
            {
              /* Decided, not to be answered by an edit: nothing of it is
               * sent again, and it is one rejection, not one per field. */
              if (!ack_run_add (store, own, &run, r.counter, 0, error))
                goto fail;
              if (g_hash_table_contains (refused, change->record))
                continue;
              g_hash_table_insert (refused, g_strdup (change->record), g_strdup (message));
              g_hash_table_insert (refused_entity, g_strdup (change->record),
                                   (gpointer) jg_entity_lookup (change->entity)->name);
            }
          else
            {
              stmt = jg_store_prepare (store,
                                       "INSERT INTO sync_rejected (counter, code, message, field, rejected_at) "
                                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (counter) DO UPDATE SET "
                                       "code = excluded.code, message = excluded.message, "
                                       "field = excluded.field, rejected_at = excluded.rejected_at", error);
              if (stmt == NULL)
                goto fail;
              sqlite3_bind_int64 (stmt, 1, r.counter);
              sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 4, r.field, -1, SQLITE_STATIC);
              sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
              if (sqlite3_step (stmt) != SQLITE_DONE)
                {
                  jg_store_sqlite_error (store, error);
                  goto fail;
                }
              /* The refused value is not what the record holds: the field
               * shows the newest version the server may hold.  Not for a
               * number another copy used: a fork sends that one again. */
              if (strcmp (code, REUSED_NUMBER_CODE) != 0)
                {
                  JgFieldState current = { 0 };
                  gboolean has_current = read_current (r.current, &current);
                  /* The acknowledgements before it first: an own change of
                   * the field the server took is a version it holds. */
                  gboolean ok = ack_run (store, own, &run, error) &&
                                jg_store_unapply_refused (store, r.counter, has_current ? &current : NULL, error);

                  jg_field_state_clear (&current);
                  if (!ok)
                    goto fail;
                }
            }
          item = json_object_new ();
          json_object_set_string_member (item, "entity", change->entity);
          json_object_set_string_member (item, "record", change->record);
          json_object_set_string_member (item, "field", change->field);
          json_object_set_int_member (item, "n", r.counter);
          json_object_set_string_member (item, "code", code);
          json_object_set_string_member (item, "message", message);
          json_array_add_object_element (s->rejected, item);
        }
    }
  if (!ack_run (store, own, &run, error))
    goto fail;
  g_hash_table_iter_init (&iter, refused);
  while (g_hash_table_iter_next (&iter, &id, &reason))
    if (!jg_ledger_record_refusal (store, g_hash_table_lookup (refused_entity, id), id, reason, error))
      goto fail;
  return jg_store_commit (store, error);

fail:
  jg_store_rollback (store);
  return FALSE;
}

/* One page of pulled changes, the records that left the user's area, and
 * the cursor after them, in one transaction. */
static gboolean
apply_page (JgStore    *store,
            GBytes     *changes,
            JsonArray  *removed,
            gint64      cursor,
            Summary    *s,
            GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  JgApplyCounts counts = { 0 };

  JgJsonReader r;
  gsize len;
  const char *data = changes ? g_bytes_get_data (changes, &len) : NULL;

  if (data != NULL)
    jg_json_reader_init (&r, data, len);
  if (data == NULL || !jg_json_reader_begin (&r, '['))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer has no changes"));
      return FALSE;
    }
  while (jg_json_reader_next (&r, ']'))
    {
      g_autoptr(GError) local_error = NULL;
      JgChange *c = NULL;
      JgJsonReader element;

      jg_json_reader_peek (&r);
      element = r;
      /* Read from the text; an unusual shape again from its start, through
       * a node. */
      if (!jg_change_read_usual (&r, &c, &local_error))
        {
          g_autoptr(JsonNode) node = jg_json_reader_value (&element);

          r = element;
          c = jg_change_from_json (node, &local_error);
        }
      if (c == NULL)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                       _("The server sent a change this version cannot read: %s"), local_error->message);
          return FALSE;
        }
      g_ptr_array_add (list, c);
    }

  if (!jg_store_begin (store, error))
    return FALSE;
  if (list->len > 0 && !jg_store_apply_changes (store, list, NULL, &counts, error))
    goto fail;
  for (guint i = 0; removed != NULL && i < json_array_get_length (removed); i++)
    {
      JsonNode *node = json_array_get_element (removed, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *entity = o ? jg_json_get_string (o, "entity") : NULL;
      const char *record = o ? jg_json_get_string (o, "record") : NULL;

      if (entity == NULL || jg_entity_lookup (entity) == NULL || !jg_uuid_valid (record))
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                       _("The server named a removed record this version cannot read"));
          goto fail;
        }
      if (!jg_store_purge_record (store, entity, record, error))
        goto fail;
      s->removed++;
    }
  if (!state_set_int (store, "cursor", cursor, error))
    goto fail;
  if (!jg_store_commit (store, error))
    return FALSE;
  s->pulled += counts.accepted;
  s->conflicts += counts.conflicts;
  return TRUE;

fail:
  jg_store_rollback (store);
  return FALSE;
}

/* One page of a snapshot (a new device's first sync) and where the next
 * starts, in one transaction.  After the last page the cursor becomes the
 * server's newest change when the snapshot began: what changed since then
 * comes as changes, and merging one the snapshot already holds is a no-op. */
static gboolean
apply_snapshot_page (JgStore     *store,
                     JsonObject  *reply,
                     GBytes      *records,
                     JsonObject  *snapshot,
                     gboolean     first,
                     Summary     *s,
                     GError     **error)
{
  JsonNode *replicas = json_object_get_member (reply, "replicas");
  JsonNode *next = json_object_get_member (snapshot, "next");
  gint64 seq = -1;
  guint n_records = 0, n_conflicts = 0;

  if (records == NULL || replicas == NULL ||
      !JSON_NODE_HOLDS_ARRAY (replicas) || next == NULL ||
      !(JSON_NODE_HOLDS_NULL (next) || (JSON_NODE_HOLDS_VALUE (next) &&
                                        json_node_get_value_type (next) == G_TYPE_STRING)) ||
      !jg_json_get_int (snapshot, "seq", &seq) || seq < 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server sent a snapshot this version cannot read"));
      return FALSE;
    }

  if (!jg_store_begin (store, error))
    return FALSE;
  if (!jg_store_apply_snapshot (store, g_bytes_get_data (records, NULL), g_bytes_get_size (records),
                                json_node_get_array (replicas), &n_records, &n_conflicts, error))
    goto fail;
  if (first && !state_set_int (store, "snapshot_seq", seq, error))
    goto fail;
  if (JSON_NODE_HOLDS_NULL (next))
    {
      g_autofree char *start = state_get (store, "snapshot_seq");
      guint n_open = 0;

      /* The last page lists the conflicts recorded before this device joined. */
      if (!jg_store_add_snapshot_conflicts (store, json_object_get_member (reply, "conflicts"), &n_open, error))
        goto fail;
      n_conflicts += n_open;

      if (!state_set (store, "cursor", start ? start : "0", error) ||
          !state_set (store, "snapshot", "done", error))
        goto fail;
    }
  else if (!state_set (store, "snapshot", json_node_get_string (next), error))
    goto fail;
  if (!jg_store_commit (store, error))
    return FALSE;
  s->snapshot += n_records;
  s->conflicts += n_conflicts;
  return TRUE;

fail:
  jg_store_rollback (store);
  return FALSE;
}

static JsonObject *
summary_to_json (Summary *s)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "pushed", s->pushed);
  json_object_set_int_member (o, "accepted", s->accepted);
  json_object_set_int_member (o, "duplicates", s->duplicates);
  json_object_set_int_member (o, "rejected", json_array_get_length (s->rejected));
  json_object_set_array_member (o, "rejections", json_array_ref (s->rejected));
  json_object_set_int_member (o, "pulled", s->pulled);
  json_object_set_int_member (o, "snapshot", s->snapshot);
  json_object_set_int_member (o, "removed", s->removed);
  json_object_set_int_member (o, "conflicts", s->conflicts);
  json_object_set_int_member (o, "clock_corrections", s->clock_corrections);
  json_object_set_int_member (o, "forks", s->forks);
  json_object_set_int_member (o, "server_restored", s->server_restored);
  return o;
}

/* A sync request: the batch to push, and a pull from @cursor (a snapshot
 * page at @snapshot) unless @pull is FALSE. */
static char *
build_request (JgStore    *store,
               gint64      cursor,
               const char *snapshot,
               gboolean    pull,
               GPtrArray  *batch,
               gsize      *length)
{
  g_autoptr(JgJsonWriter) b = jg_json_writer_new ();

  jg_json_writer_begin_object (b);
  jg_json_writer_member (b, "protocol");
  jg_json_writer_int (b, JG_PROTOCOL_VERSION);
  jg_json_writer_member (b, "replica");
  jg_json_writer_string (b, jg_store_get_replica_id (store));
  jg_json_writer_member (b, "cursor");
  jg_json_writer_int (b, cursor);
  jg_json_writer_member (b, "limit");
  jg_json_writer_int (b, !pull ? 0 : snapshot ? JG_SYNC_SNAPSHOT_PAGE : JG_SYNC_PULL_PAGE);
  /* A run of acknowledgements as one result ("count"); a server that does
   * not know the member answers change by change, which reads the same. */
  jg_json_writer_member (b, "result_runs");
  jg_json_writer_boolean (b, TRUE);
  if (pull && snapshot)
    {
      jg_json_writer_member (b, "snapshot");
      jg_json_writer_string (b, snapshot);
    }
  jg_json_writer_member (b, "changes");
  jg_json_writer_begin_array (b);
  for (guint i = 0; batch != NULL && i < batch->len; i++)
    jg_change_write (batch->pdata[i], b);
  jg_json_writer_end_array (b);
  jg_json_writer_end_object (b);
  return jg_json_writer_free_to_text (g_steal_pointer (&b), length);
}

/* A request in flight in a thread of its own (on the sync's session) while
 * the sync thread goes on with the store: the next page of a snapshot
 * asked for while this one is written (only a request that pushes
 * nothing; its reply is used only if the next request turns out to be
 * that same one), or the next batch of a long outbox pushed while the
 * last one's results are recorded. */
typedef struct
{
  GThread      *thread;
  SoupSession  *session;  /* the sync's: libsoup 3.2 sends from any thread */
  char         *url;
  char         *token;
  char         *position;
  gint64        cursor;
  GBytes       *body;     /* from pack_body() */
  gboolean      gzipped;
  GCancellable *cancellable;  /* its own: cancelled with the sync's, or alone */
  GCancellable *caller;       /* the sync's, and the handler joining the two */
  gulong        caller_handler;
  GPtrArray    *batch;    /* what a push sent */
  JsonNode     *reply;
  ReplyText     text;
  GError       *error;
} Flight;

static gpointer
flight_run (gpointer data)
{
  Flight *p = data;

  p->reply = post_bytes (p->session, p->url, "/api/v1/sync", p->token, p->body, p->gzipped,
                         &p->text, p->cancellable, &p->error);
  return NULL;
}

static void
flight_cancel_cb (GCancellable *caller,
                  gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Sends @body (from pack_body(), taken). */
static Flight *
flight_start (SoupSession  *session,
              const char   *url,
              const char   *token,
              GBytes       *body,
              gboolean      gzipped,
              GCancellable *cancellable)
{
  Flight *p = g_new0 (Flight, 1);

  p->session = g_object_ref (session);
  p->url = g_strdup (url);
  p->token = g_strdup (token);
  p->body = body;
  p->gzipped = gzipped;
  p->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      p->caller = g_object_ref (cancellable);
      p->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (flight_cancel_cb),
                                                 g_object_ref (p->cancellable), g_object_unref);
    }
  p->thread = g_thread_new ("jinguo-request", flight_run, p);
  return p;
}

/* A sync that fails while a request is in flight does not wait for its
 * answer: it is cancelled (what it pushed goes out again next time, and
 * the server answers "duplicate" for what it took). */
static void
flight_abandon (Flight *p)
{
  if (p != NULL)
    g_cancellable_cancel (p->cancellable);
}

static Flight *
prefetch_start (JgStore      *store,
                SoupSession  *session,
                const char   *url,
                const char   *token,
                gint64        cursor,
                const char   *position,
                GCancellable *cancellable)
{
  gsize length;
  gboolean gzipped;
  char *text = build_request (store, cursor, position, TRUE, NULL, &length);
  GBytes *body = pack_body (text, length, &gzipped);
  Flight *p = flight_start (session, url, token, body, gzipped, cancellable);

  p->position = g_strdup (position);
  p->cursor = cursor;
  return p;
}

/* Waits for the answer; FALSE with @error when there is none. */
static gboolean
flight_wait (Flight  *p,
             GError **error)
{
  if (p->thread != NULL)
    g_thread_join (g_steal_pointer (&p->thread));
  if (p->reply == NULL)
    {
      if (p->error != NULL)
        g_propagate_error (error, g_steal_pointer (&p->error));
      else
        g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer is not a JSON object"));
      return FALSE;
    }
  return TRUE;
}

/* Waits for it and drops it, reply and all (a failed sync's way out). */
static void
flight_free (Flight *p)
{
  if (p->thread != NULL)
    g_thread_join (p->thread);
  g_clear_pointer (&p->reply, json_node_unref);
  reply_text_clear (&p->text);
  g_clear_pointer (&p->batch, g_ptr_array_unref);
  g_clear_error (&p->error);
  if (p->caller != NULL)
    g_cancellable_disconnect (p->caller, p->caller_handler);
  g_clear_object (&p->caller);
  g_clear_object (&p->session);
  g_free (p->url);
  g_free (p->token);
  g_free (p->position);
  g_clear_pointer (&p->body, g_bytes_unref);
  g_clear_object (&p->cancellable);
  g_free (p);
}

/* Waits for it; its reply (the large members in *text), or NULL when
 * there is none or it does not answer the request about to be made. */
static JsonNode *
prefetch_finish (Flight     *p,
                 gint64      cursor,
                 const char *position,
                 GPtrArray  *batch,
                 ReplyText  *text)
{
  JsonNode *reply = NULL;

  g_thread_join (g_steal_pointer (&p->thread));
  if (p->reply != NULL && batch->len == 0 && cursor == p->cursor && g_strcmp0 (position, p->position) == 0)
    {
      reply = g_steal_pointer (&p->reply);
      reply_text_clear (text);
      *text = p->text;
      memset (&p->text, 0, sizeof p->text);
    }
  flight_free (p);
  return reply;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Flight, flight_free)

/* Whether a push's results (their text) refuse a change with @code (of
 * @replica, when not NULL). */
static gboolean
results_refuse (GBytes     *results,
                const char *replica,
                const char *code)
{
  JgJsonReader reader;
  gsize len;
  const char *data = results ? g_bytes_get_data (results, &len) : NULL;

  if (data == NULL)
    return FALSE;
  jg_json_reader_init (&reader, data, len);
  if (!jg_json_reader_begin (&reader, '['))
    return FALSE;
  while (jg_json_reader_next (&reader, ']'))
    {
      g_auto(PushResult) r = { 0 };

      if (read_result (&reader, &r) && g_strcmp0 (r.status, "rejected") == 0 &&
          g_strcmp0 (r.code, code) == 0 && (replica == NULL || g_strcmp0 (r.replica, replica) == 0))
        return TRUE;
    }
  return FALSE;
}

/* After a clock_skew result, with nothing in flight: the clock corrected
 * to the server's and the unacknowledged changes stamped again, a few
 * times at most. */
static gboolean
restamp_after_skew (JgStore  *store,
                    gint64    server_time,
                    guint    *retries,
                    Summary  *s,
                    GError  **error)
{
  if (++*retries > MAX_SKEW_RETRIES)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_CLOCK_SKEW,
                   _("The server keeps refusing this computer’s clock; check the date and time"));
      return FALSE;
    }
  if (!correct_clock (store, server_time, error) || !jg_store_restamp_unacked (store, error))
    return FALSE;
  s->clock_corrections++;
  return TRUE;
}

/* How many changes the next push may hold: what the server's answer says
 * ("max_push"), up to JG_SYNC_PUSH_BATCH_MAX.  A server that does not say
 * takes JG_SYNC_PUSH_BATCH, which is where every sync starts. */
static void
note_max_push (JsonObject *answer,
               guint      *push_limit)
{
  gint64 max_push = 0;

  if (jg_json_get_int (answer, "max_push", &max_push) && max_push > 0)
    *push_limit = (guint) MIN (max_push, JG_SYNC_PUSH_BATCH_MAX);
}

/* ---- a fork: another store's history under this replica -------------- */


/* Whether any own change after n @sent is still to be sent (not answered,
 * not quarantined). */
static gboolean
outbox_after (JgStore *store,
              gint64   own,
              gint64   sent)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT EXISTS (SELECT 1 FROM change_entry c WHERE "
                                             OUTBOX_AFTER ")", NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, own);
  sqlite3_bind_int64 (stmt, 2, sent);
  return sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
}

/* Whether the server holds changes of this store's replica that the store
 * does not have, so that the store is a copy of another's history (it was
 * restored from a backup, or copied): a push was refused for reusing a
 * number (the server then refuses the rest of that push too), or the
 * answer's "last_n" is above any number the store gave out.  In the second
 * case only once every own change has been answered (@sent: the highest n
 * of the push answered): changes the other copy already sent come back as
 * duplicates, and only what is left moves to the new replica. */
static gboolean
fork_due (JgStore    *store,
          gint64      own,
          JsonObject *answer,
          GBytes     *results,
          gint64      sent)
{
  g_autofree char *counter = jg_store_dup_meta (store, "counter");
  gint64 last_n = 0;

  if (results_refuse (results, jg_store_get_replica_id (store), REUSED_NUMBER_CODE))
    return TRUE;
  return jg_json_get_int (answer, "last_n", &last_n) &&
         last_n > (counter ? g_ascii_strtoll (counter, NULL, 10) : 0) &&
         !outbox_after (store, own, sent);
}

/* Whether an earlier sync left changes quarantined for reusing a number
 * (a version that could not fork, or a server that could not). */
static gboolean
fork_pending (JgStore  *store,
              gboolean *due,
              GError  **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT EXISTS (SELECT 1 FROM sync_rejected WHERE code = ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, REUSED_NUMBER_CODE, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  *due = *due || sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/* The summary no longer lists what the fork sends again. */
static void
summary_forget_reused (Summary *s)
{
  for (guint i = json_array_get_length (s->rejected); i > 0; i--)
    {
      JsonObject *item = json_array_get_object_element (s->rejected, i - 1);

      if (g_strcmp0 (jg_json_get_string (item, "code"), REUSED_NUMBER_CODE) == 0)
        json_array_remove_element (s->rejected, i - 1);
    }
}

/* The store goes on as a new replica (protocol.md "POST /api/v1/fork"):
 * the server gives a token for it and the cursor from which the pull
 * brings the old replica's changes the store lacks; then, in one
 * transaction, the unacknowledged changes are numbered again under it
 * (jg_store_fork()), those refused only for their numbers leave the
 * quarantine, and the token and the cursor are kept.  A server without
 * forks leaves the store as it was (*token unchanged). */
static gboolean
fork_replica (JgStore       *store,
              SoupSession   *session,
              const char    *url,
              char         **token,
              Summary       *s,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *new_replica = jg_replica_id_new ();
  g_autofree char *cursor_text = NULL;
  const char *new_token;
  gint64 after = 0, cursor = -1;

  if (!jg_store_fork_point (store, &after, error))
    return FALSE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, JG_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, jg_store_get_replica_id (store));
  json_builder_set_member_name (b, "new_replica");
  json_builder_add_string_value (b, new_replica);
  json_builder_set_member_name (b, "after");
  json_builder_add_int_value (b, after);
  json_builder_end_object (b);
  request = json_builder_get_root (b);

  reply = post_json (session, url, "/api/v1/fork", *token, request, cancellable, &local_error);
  if (reply == NULL && g_error_matches (local_error, JG_ERROR, JG_ERROR_NOT_FOUND))
    return TRUE;   /* an older server: the refused changes stay quarantined */
  if (reply == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  new_token = jg_json_get_string (json_node_get_object (reply), "token");
  if (new_token == NULL || *new_token == '\0' ||
      !jg_json_get_int (json_node_get_object (reply), "cursor", &cursor) || cursor < 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer to the fork is incomplete"));
      return FALSE;
    }

  if (!jg_store_begin (store, error))
    return FALSE;
  stmt = jg_store_prepare (store, "DELETE FROM sync_rejected WHERE code = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, REUSED_NUMBER_CODE, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      goto fail;
    }
  cursor_text = state_get (store, "cursor");
  if (cursor_text != NULL)
    cursor = MIN (cursor, g_ascii_strtoll (cursor_text, NULL, 10));
  if (!jg_store_fork (store, new_replica, error) ||
      !state_set (store, "token", new_token, error) ||
      !state_set_int (store, "cursor", cursor, error))
    goto fail;
  if (!jg_store_commit (store, error))
    return FALSE;

  g_free (*token);
  *token = g_strdup (new_token);
  summary_forget_reused (s);
  s->forks++;
  return TRUE;

fail:
  jg_store_rollback (store);
  return FALSE;
}

/* ---- a server restored from a backup ------------------------------------ */

/* Whether the server is behind this store (protocol.md "A server restored
 * from a backup"): its store is a backup copy (its "history" is not the
 * one the store synced with), it no longer holds an own change it
 * acknowledged (one above its "last_n"), or it answered a pull from
 * @cursor with a cursor below it (no server hands out a cursor beyond its
 * newest seq).  Checked before the answer's own results are recorded:
 * every change the store holds as acknowledged then was acknowledged
 * before this request.  *history becomes the answer's history id. */
static gboolean
server_behind (JgStore     *store,
               gint64       own,
               JsonObject  *answer,
               gint64       cursor,
               char       **history)
{
  g_autoptr(JgStmt) stmt = NULL;
  const char *answer_history = jg_json_get_string (answer, "history");
  gint64 last_n = 0, answer_cursor = 0;

  if (answer_history != NULL)
    {
      g_autofree char *known = state_get (store, "history");

      g_free (*history);
      *history = g_strdup (answer_history);
      if (known != NULL && strcmp (known, answer_history) != 0)
        return TRUE;
      /* A server this store has not synced with since it signed in there
       * (its history is forgotten at a sign-in to another server): what
       * it holds of this store is not a sign of anything. */
      if (known == NULL)
        return FALSE;
    }
  if (jg_json_get_int (answer, "cursor", &answer_cursor) && answer_cursor < cursor)
    return TRUE;
  if (!jg_json_get_int (answer, "last_n", &last_n))
    return FALSE;   /* an older server */
  /* Changes acknowledged by a server this store signed in to before are
   * not this server's to hold. */
  {
    g_autofree char *elsewhere = state_get (store, "acked_elsewhere");

    if (elsewhere != NULL)
      last_n = MAX (last_n, g_ascii_strtoll (elsewhere, NULL, 10));
  }
  stmt = jg_store_prepare (store,
                           "SELECT EXISTS (SELECT 1 FROM change_entry WHERE replica_idx = ?1 "
                           "AND server_seq > 0 AND counter > ?2)", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, own);
  sqlite3_bind_int64 (stmt, 2, last_n);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

/* The server was put back from a backup: what it acknowledged after the
 * backup is gone, and the seqs it gave out since are given out again.  In
 * one transaction every own change it acknowledged counts as unsent again
 * (those it still holds come back as duplicates, with their seqs; the
 * others are accepted anew), and the pull starts again from the start of
 * the history (what the store holds already merges as a no-op, what others
 * sent the restored server arrives).  Nothing is lost, nothing is stored
 * twice. */
static gboolean
resync_restored_server (JgStore     *store,
                        gint64       own,
                        const char  *history,
                        Summary     *s,
                        GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  if (!jg_store_begin (store, error))
    return FALSE;
  stmt = jg_store_prepare (store,
                           "UPDATE change_entry SET server_seq = NULL WHERE replica_idx = ? AND server_seq > 0",
                           error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, own);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      goto fail;
    }
  /* The history, not a snapshot: the store's own records are not sent
   * back to it, and the changes others made come with their ids. */
  if (!state_set_int (store, "cursor", 0, error) ||
      !state_set (store, "snapshot", "done", error) ||
      (history != NULL && !state_set (store, "history", history, error)))
    goto fail;
  if (!jg_store_commit (store, error))
    return FALSE;
  s->server_restored++;
  return TRUE;

fail:
  jg_store_rollback (store);
  return FALSE;
}

/* A long outbox goes out in push-only requests, one after the other: the
 * next batch is read and written while the server judges the one before,
 * sent the moment that one is answered (the server still gets a device's
 * requests one at a time, in order), and the answer is recorded while the
 * server judges the next.  Device and server work at the same time
 * instead of taking turns.  The last batch is left to sync_run()'s loop,
 * with the pull.  Each answer is looked at before the next request goes
 * out: after a clock_skew refusal nothing more is sent, and *skewed tells
 * the caller to correct the clock and stamp again; after an answer that
 * shows the store must fork (fork_due()), *forking tells it to fork. */
static gboolean
push_ahead (GTask        *task,
            JgStore      *store,
            gint64        own,
            SoupSession  *session,
            const char   *url,
            const char   *token,
            gint64        cursor,
            Summary      *s,
            guint        *push_limit,
            gboolean     *skewed,
            gboolean     *forking,
            gboolean     *behind,
            char        **history,
            gint64       *server_time,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(Flight) flight = NULL;
  gint64 after = 0;

  do
    {
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(Flight) answered = NULL;
      g_autoptr(GBytes) body = NULL;
      gboolean gzipped = FALSE, all = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      batch = unacked_batch (store, own, after, *push_limit, &all, error);
      if (batch == NULL)
        goto fail;
      if (!all)
        {
          gsize length;
          char *text = build_request (store, cursor, NULL, FALSE, batch, &length);

          body = pack_body (text, length, &gzipped);
        }
      if (flight != NULL)
        {
          answered = g_steal_pointer (&flight);
          if (!flight_wait (answered, error))
            return FALSE;
          /* A server that now takes fewer (another version behind the
           * same address) is not sent a batch it would refuse whole: the
           * rest goes out with sync_run()'s loop. */
          note_max_push (json_node_get_object (answered->reply), push_limit);
          if (batch->len > *push_limit)
            g_clear_pointer (&body, g_bytes_unref);
          /* Nothing goes out after a clock_skew refusal until the changes
           * are stamped again: judged a moment later, by a server clock
           * that has moved on, the next batch could pass with stamps that
           * the refused changes' new ones would then exceed. */
          if (results_refuse (answered->text.results, NULL, "clock_skew"))
            g_clear_pointer (&body, g_bytes_unref);
          /* Nor after the server showed that this replica's numbers are
           * another store's too: the rest goes out under the new replica. */
          if (fork_due (store, own, json_node_get_object (answered->reply), answered->text.results,
                        ((JgChange *) answered->batch->pdata[answered->batch->len - 1])->counter))
            {
              *forking = TRUE;
              g_clear_pointer (&body, g_bytes_unref);
            }
          /* Nor to a server that lost what it acknowledged: the outbox
           * goes out again from its start. */
          if (server_behind (store, own, json_node_get_object (answered->reply), cursor, history))
            {
              *behind = TRUE;
              g_clear_pointer (&body, g_bytes_unref);
            }
        }
      if (body != NULL)
        {
          flight = flight_start (session, url, token, g_steal_pointer (&body), gzipped, cancellable);
          flight->batch = g_ptr_array_ref (batch);
          after = ((JgChange *) batch->pdata[batch->len - 1])->counter;
        }
      if (answered != NULL)
        {
          jg_json_get_int (json_node_get_object (answered->reply), "server_time_ms", server_time);
          if (!record_results (store, own, answered->batch, answered->text.results, s, skewed, error))
            goto fail;
          report (task, "push", s);
        }
    }
  while (flight != NULL);
  return TRUE;

fail:
  flight_abandon (flight);
  return FALSE;
}

static gboolean
sync_run (GTask         *task,
          JgStore       *store,
          Summary       *s,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(SoupSession) session = new_session (error);
  g_autofree char *url = state_get (store, "server_url");
  g_autofree char *token = state_get (store, "token");
  g_autoptr(Flight) prefetch = NULL;
  gint64 own = 0;
  guint skew_retries = 0, push_limit = JG_SYNC_PUSH_BATCH;
  gboolean pushed_ahead = FALSE, forking = FALSE, fork_tried = FALSE;
  gboolean behind = FALSE, behind_tried = FALSE;
  g_autofree char *history = NULL;

  if (session == NULL)
    return FALSE;
  if (url == NULL || token == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_PERMISSION,
                   _("This store has not signed in to a server; use “login” first"));
      return FALSE;
    }
  if (!own_replica_idx (store, &own, error) || !release_edited (store, own, error) ||
      !fork_pending (store, &forking, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(JsonNode) reply = NULL;
      g_auto(ReplyText) text = { 0 };
      g_autofree char *cursor_text = state_get (store, "cursor");
      gint64 cursor = cursor_text ? g_ascii_strtoll (cursor_text, NULL, 10) : 0;
      g_autofree char *snapshot = state_get (store, "snapshot");
      gint64 new_cursor = cursor, server_time = 0;
      gboolean more = FALSE, skewed = FALSE, all_sent = FALSE;
      JsonObject *o;
      JsonNode *node;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* Once, with nothing in flight: the store goes on as a new replica
       * and the outbox goes out again under it. */
      if (forking && !fork_tried)
        {
          fork_tried = TRUE;
          g_clear_pointer (&prefetch, flight_free);
          if (!fork_replica (store, session, url, &token, s, cancellable, error) ||
              !own_replica_idx (store, &own, error))
            return FALSE;
          pushed_ahead = FALSE;
          g_clear_pointer (&cursor_text, g_free);
          cursor_text = state_get (store, "cursor");
          cursor = cursor_text ? g_ascii_strtoll (cursor_text, NULL, 10) : 0;
        }
      forking = FALSE;

      /* Once, too: the server was restored from a backup. */
      if (behind && !behind_tried)
        {
          behind_tried = TRUE;
          g_clear_pointer (&prefetch, flight_free);
          if (!resync_restored_server (store, own, history, s, error))
            return FALSE;
          pushed_ahead = FALSE;
          g_clear_pointer (&cursor_text, g_free);
          g_clear_pointer (&snapshot, g_free);
          snapshot = state_get (store, "snapshot");
          cursor = 0;
        }
      behind = FALSE;

      /* A new device asks for current state instead of the history. */
      if (cursor == 0 && snapshot == NULL)
        snapshot = g_strdup ("0:0");
      else if (g_strcmp0 (snapshot, "done") == 0)
        g_clear_pointer (&snapshot, g_free);

      /* Once no snapshot is under way, the outbox goes out back to back.
       * Not before: a snapshot begun after the pushes would bring the
       * device's own records back. */
      if (!pushed_ahead && snapshot == NULL)
        {
          gboolean skewed_ahead = FALSE;

          pushed_ahead = TRUE;
          if (!push_ahead (task, store, own, session, url, token, cursor, s, &push_limit, &skewed_ahead,
                           &forking, &behind, &history, &server_time, cancellable, error))
            return FALSE;
          if (skewed_ahead && !restamp_after_skew (store, server_time, &skew_retries, s, error))
            return FALSE;
          if ((forking && !fork_tried) || (behind && !behind_tried))
            continue;
        }

      batch = unacked_batch (store, own, 0, push_limit, &all_sent, error);
      if (batch == NULL)
        return FALSE;

      if (prefetch != NULL)
        reply = prefetch_finish (g_steal_pointer (&prefetch), cursor, snapshot, batch, &text);
      if (reply == NULL)
        {
          gsize request_len;
          char *request = build_request (store, cursor, snapshot, TRUE, batch, &request_len);

          reply = post_text (session, url, "/api/v1/sync", token, request, request_len,
                             &text, cancellable, error);
          if (reply == NULL)
            return FALSE;
        }
      o = json_node_get_object (reply);
      jg_json_get_int (o, "server_time_ms", &server_time);
      note_max_push (o, &push_limit);
      if (!jg_json_get_int (o, "cursor", &new_cursor) || new_cursor < 0)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer has no cursor"));
          return FALSE;
        }
      node = json_object_get_member (o, "more");
      more = node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
             json_node_get_boolean (node);

      behind = behind || server_behind (store, own, o, cursor, &history);
      /* The server's history, first heard of (a store that synced only
       * with an older server, or never): kept, to know it again. */
      if (!behind && history != NULL)
        {
          g_autofree char *known = state_get (store, "history");

          if (known == NULL && !state_set (store, "history", history, error))
            return FALSE;
        }
      if (!record_results (store, own, batch, text.results, s, &skewed, error))
        return FALSE;
      forking = fork_due (store, own, o, text.results,
                          batch->len > 0 ? ((JgChange *) batch->pdata[batch->len - 1])->counter : 0);

      /* A clock far behind the server's would refuse the pulled stamps. */
      if (server_time > 0 &&
          server_time - jg_hlc_wall_ms (jg_store_get_hlc (store)) > JG_HLC_MAX_DRIFT_MS / 2 &&
          !correct_clock (store, server_time, error))
        return FALSE;

      node = json_object_get_member (o, "snapshot");
      if (snapshot != NULL && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *next = json_object_get_member (json_node_get_object (node), "next");

          if (batch->len == 0 && next != NULL && JSON_NODE_HOLDS_VALUE (next) &&
              json_node_get_value_type (next) == G_TYPE_STRING)
            prefetch = prefetch_start (store, session, url, token, cursor, json_node_get_string (next), cancellable);
          if (!apply_snapshot_page (store, o, text.records, json_node_get_object (node), strcmp (snapshot, "0:0") == 0,
                                    s, error))
            return FALSE;
          more = TRUE;   /* the changes since the snapshot follow */
        }
      else
        {
          if (text.changes == NULL)
            {
              g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server’s answer has no changes"));
              return FALSE;
            }
          /* A server without snapshots sent the history: nothing to ask again. */
          if (snapshot != NULL && !state_set (store, "snapshot", "done", error))
            return FALSE;
          {
            JsonNode *removed = json_object_get_member (o, "removed");

            if (!apply_page (store, text.changes,
                             removed && JSON_NODE_HOLDS_ARRAY (removed) ? json_node_get_array (removed) : NULL,
                             new_cursor, s, error))
              return FALSE;
          }
        }

      if (skewed && !restamp_after_skew (store, server_time, &skew_retries, s, error))
        return FALSE;

      report (task, more ? "pull" : "push", s);
      /* Done when this request sent the whole outbox and received the last
       * page: no round trip only to hear that there is nothing more. */
      if (!more && !skewed && all_sent && !(forking && !fork_tried) && !(behind && !behind_tried))
        break;
    }

  {
    g_autofree char *now = g_date_time_format_iso8601 (g_date_time_new_now_utc ());

    state_set (store, "last_sync", now, NULL);
  }
  report (task, "done", s);
  return TRUE;
}

/* How long a sync waits for another sync of the same store to end. */
#define SYNC_LOCK_WAIT_MS 30000

/* One sync of a store at a time (the app's and the CLI's): two would each
 * write the pull cursor, and one could undo the cursor a fork set back.
 * The lock is a file beside the store, held for the sync; the file
 * descriptor, or -1. */
static int
sync_lock (const char    *store_path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = g_strconcat (store_path, ".sync-lock", NULL);
  gint64 deadline = g_get_monotonic_time () + SYNC_LOCK_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot open “%s”: %s"),
                   path, g_strerror (saved));
      return -1;
    }
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot lock “%s”: %s"),
                       path, g_strerror (saved));
          close (fd);
          return -1;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return -1;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_BUSY,
                       _("Another sync of this store is under way; try again when it has finished"));
          close (fd);
          return -1;
        }
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  return fd;
}

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  JgSyncClient *self = source;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) rejected = json_array_new ();
  Summary s = { 0 };
  int lock;

  s.rejected = rejected;
  lock = sync_lock (self->store_path, cancellable, &error);
  if (lock < 0 ||
      (store = jg_store_open (self->store_path, JG_STORE_FLAGS_NONE, &error)) == NULL ||
      !sync_run (task, store, &s, cancellable, &error))
    {
      if (lock >= 0)
        close (lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  close (lock);
  g_task_return_pointer (task, summary_to_json (&s), (GDestroyNotify) json_object_unref);
}

void
jg_sync_client_sync_async (JgSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JG_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_sync_client_sync_async);
  g_task_run_in_thread (task, sync_thread);
}

/**
 * jg_sync_client_sync:
 * @self: a #JgSyncClient
 * @cancellable: (nullable): checked between requests and during each one
 * @error: return location for a #GError
 *
 * Like jg_sync_client_sync_async(), in the calling thread, which it blocks
 * (for a thread of the caller's own, e.g. many devices of a benchmark at
 * once); no progress is reported.
 *
 * Returns: (transfer full): the summary, or %NULL on an error
 */
JsonObject *
jg_sync_client_sync (JgSyncClient  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) rejected = json_array_new ();
  Summary s = { 0 };

  g_return_val_if_fail (JG_IS_SYNC_CLIENT (self), NULL);

  s.rejected = rejected;
  store = jg_store_open (self->store_path, JG_STORE_FLAGS_NONE, error);
  if (store == NULL || !sync_run (NULL, store, &s, cancellable, error))
    return NULL;
  return summary_to_json (&s);
}

JsonObject *
jg_sync_client_sync_finish (JgSyncClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- on the caller's store ------------------------------------------------------------ */

/* Whether the store holds a row of @record. */
static gboolean
record_present (JgStore    *store,
                const char *entity_name,
                const char *record)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autofree char *sql = NULL;
  g_autoptr(JgStmt) stmt = NULL;

  if (entity == NULL || record == NULL)
    return TRUE;
  /* The table name comes from jg-entity.c. */
  sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM \"%s\" WHERE id = ?)", entity->name);
  stmt = jg_store_prepare (store, sql, NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
}

JsonArray *
jg_sync_list_rejected (JgStore  *store,
                       GError  **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT q.counter, f.entity, jg_uuid_text (c.record), f.field, c.value, q.code, "
                           "q.message, q.field, q.rejected_at FROM sync_rejected q "
                           /* The replica the store is now (another connection may have forked it). */
                           "JOIN replica r ON r.replica_id = (SELECT value FROM meta WHERE key = 'replica_id') "
                           "JOIN change_entry c ON c.replica_idx = r.idx AND c.counter = q.counter "
                           "JOIN change_field f ON f.code = c.field "
                           "ORDER BY q.counter", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *reason = NULL;

      json_object_set_int_member (o, "n", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (o, "entity", jg_stmt_text (stmt, 1));
      json_object_set_string_member (o, "record", jg_stmt_text (stmt, 2));
      json_object_set_string_member (o, "field", jg_stmt_text (stmt, 3));
      json_object_set_member (o, "value", jg_json_parse (jg_stmt_text (stmt, 4), -1, NULL));
      json_object_set_string_member (o, "code", jg_stmt_text (stmt, 5));
      json_object_set_string_member (o, "message", jg_stmt_text (stmt, 6));
      /* The server's words are in its language; this is in the reader's. */
      reason = jg_error_reason (jg_stmt_text (stmt, 5), jg_stmt_text (stmt, 7));
      if (reason != NULL)
        json_object_set_string_member (o, "reason", reason);
      if (jg_stmt_text (stmt, 7))
        json_object_set_string_member (o, "reason_field", jg_stmt_text (stmt, 7));
      json_object_set_string_member (o, "rejected_at", jg_stmt_text (stmt, 8));
      /* The record left the user's area since (jg_store_purge_record()):
       * the refused value is all the device still holds of it. */
      if (!record_present (store, jg_stmt_text (stmt, 1), jg_stmt_text (stmt, 2)))
        json_object_set_boolean_member (o, "gone", TRUE);
      json_array_add_object_element (array, o);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

char *
jg_sync_resolve_conflict (JgStore     *store,
                          const char  *conflict_id,
                          JsonNode    *value,
                          GError     **error)
{
  return jg_store_resolve_conflict (store, conflict_id, value, error);
}

/* ---- the object ------------------------------------------------------------------------ */

static void
jg_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgSyncClient *self = JG_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_sync_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgSyncClient *self = JG_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      g_free (self->store_path);
      self->store_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_sync_client_finalize (GObject *object)
{
  JgSyncClient *self = JG_SYNC_CLIENT (object);

  g_free (self->store_path);

  G_OBJECT_CLASS (jg_sync_client_parent_class)->finalize (object);
}

static void
jg_sync_client_class_init (JgSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = jg_sync_client_get_property;
  object_class->set_property = jg_sync_client_set_property;
  object_class->finalize = jg_sync_client_finalize;

  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgSyncClient::progress:
   * @phase: "push", "pull" or "done"
   * @pushed: changes sent so far
   * @pulled: changes received and merged so far
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
}

static void
jg_sync_client_init (JgSyncClient *self)
{
}

JgSyncClient *
jg_sync_client_new (const char *store_path)
{
  return g_object_new (JG_TYPE_SYNC_CLIENT, "store-path", store_path, NULL);
}

const char *
jg_sync_client_get_store_path (JgSyncClient *self)
{
  g_return_val_if_fail (JG_IS_SYNC_CLIENT (self), NULL);

  return self->store_path;
}
