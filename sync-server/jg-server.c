/* jg-server.c: the sync server's HTTP side
 *
 * SoupServer runs on the main loop; a request that needs the store is
 * paused, handed to one worker thread that owns the store's only
 * connection (so pushes are naturally serialised, as the server's order of
 * redemptions requires), and unpaused with its reply back on the main loop.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "jg-common.h"
#include "jg-server.h"
#include "jg-server-backend.h"
#include "jg-server-error.h"
#include "jg-server-request.h"
#include "jg-sync-gzip.h"

struct _JgServer
{
  GObject       parent_instance;

  char         *db_path;
  SoupServer   *soup;
  GThreadPool  *worker;
  GMainContext *context;
  JgStore      *worker_store;   /* used by the worker thread only */
  guint         idle_timeout;   /* seconds; 0: never */
};

G_DEFINE_FINAL_TYPE (JgServer, jg_server, G_TYPE_OBJECT)

/* Connections waiting to be accepted (the kernel caps it at somaxconn). */
#define LISTEN_BACKLOG 1024

typedef enum
{
  JOB_LOGIN,
  JOB_SYNC,
  JOB_FORK,
} JobKind;

typedef struct
{
  JgServer          *server;
  SoupServerMessage *msg;
  JobKind            kind;
  GBytes            *body;
  gboolean           body_gzip;
  gboolean           reply_gzip;
  char              *token;
  char              *address;

  guint              status;
  GBytes            *reply;          /* the body, gzipped when reply_gzipped */
  gboolean           reply_gzipped;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_free (job->token);
  g_free (job->address);
  g_free (job);
}

/* ---- replies ------------------------------------------------------------- */

static JsonNode *
error_node (const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  /* A reply is UTF-8 whatever a message quotes from the request. */
  g_autofree char *message = g_utf8_make_valid (error->message, -1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, jg_server_error_code_name (error));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (jg_error_get_field (error))
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, jg_error_get_field (error));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Small replies are not worth the CPU. */
#define GZIP_MIN_REPLY 512

static GBytes *
reply_bytes (char     *text,
             gsize     len,
             gboolean  gzip,
             gboolean *gzipped)
{
  *gzipped = gzip && len > GZIP_MIN_REPLY;
  if (*gzipped)
    {
      GBytes *packed = jg_sync_gzip_compress ((const guint8 *) text, len);

      g_free (text);
      return packed;
    }
  return g_bytes_new_take (text, len);
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               GBytes            *body,
               gboolean           gzipped)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* libsoup 3.2 never closes its end of a kept-alive connection the client
   * has closed: each would stay in CLOSE_WAIT with its descriptor, until
   * the server runs out of them.  One request per connection. */
  soup_message_headers_replace (headers, "Connection", "close");
  if (gzipped)
    soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonNode          *node,
         gboolean           gzip)
{
  char *text = jg_json_to_string (node, FALSE);
  gboolean gzipped;
  g_autoptr(GBytes) body = reply_bytes (text, strlen (text), gzip, &gzipped);

  respond_bytes (msg, status, body, gzipped);
}

static void
respond_error (SoupServerMessage *msg,
               const GError      *error)
{
  g_autoptr(JsonNode) node = error_node (error);

  respond (msg, jg_server_error_http_status (error), node, FALSE);
}

/* ---- the worker thread ------------------------------------------------------ */

static gboolean
job_done_in_main (gpointer data)
{
  Job *job = data;

  respond_bytes (job->msg, job->status, job->reply, job->reply_gzipped);
  soup_server_message_unpause (job->msg);
  return G_SOURCE_REMOVE;
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  JgServer *self = job->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  JgSyncRequest sync = { 0 };
  gboolean parsed = FALSE;

  if (self->worker_store == NULL)
    self->worker_store = jg_store_open (self->db_path, JG_STORE_DURABLE, &error);

  if (self->worker_store != NULL)
    {
      gsize len;
      const guint8 *body = g_bytes_get_data (job->body, &len);

      /* A sync request's pushed changes are read without a node tree. */
      if (job->kind == JOB_SYNC)
        parsed = jg_server_sync_request_parse (body, len, job->body_gzip, &sync, &error);
      else
        parsed = (request = jg_server_request_parse_body (body, len, job->body_gzip, &error)) != NULL;
    }

  /* The reply is written and packed here, off the main loop that serves
   * every connection. */
  if (parsed && job->kind == JOB_LOGIN)
    {
      g_autoptr(JsonNode) reply = jg_server_backend_login (self->worker_store, request, job->address, &error);

      if (reply != NULL)
        {
          char *text = jg_json_to_string (reply, FALSE);

          job->reply = reply_bytes (text, strlen (text), job->reply_gzip, &job->reply_gzipped);
        }
    }
  else if (parsed && job->kind == JOB_SYNC)
    {
      g_autoptr(JgServerUser) user = jg_server_backend_authenticate (self->worker_store, job->token, &error);

      if (user != NULL)
        {
          gsize len = 0;
          char *text = jg_server_backend_sync (self->worker_store, user, &sync, &len, &error);

          if (text != NULL)
            job->reply = reply_bytes (text, len, job->reply_gzip, &job->reply_gzipped);
        }
    }
  else if (parsed && job->kind == JOB_FORK)
    {
      g_autoptr(JgServerUser) user = jg_server_backend_authenticate (self->worker_store, job->token, &error);
      g_autoptr(JsonNode) reply = NULL;
      JgForkRequest fork = { 0 };

      if (user != NULL && jg_server_fork_request_read (request, &fork, &error))
        reply = jg_server_backend_fork (self->worker_store, user, job->token, &fork, &error);
      if (reply != NULL)
        {
          char *text = jg_json_to_string (reply, FALSE);

          job->reply = reply_bytes (text, strlen (text), job->reply_gzip, &job->reply_gzipped);
        }
    }
  jg_server_sync_request_clear (&sync);

  if (job->reply != NULL)
    job->status = SOUP_STATUS_OK;
  else
    {
      g_autoptr(JsonNode) node = NULL;
      char *text;

      if (error == NULL)
        g_set_error (&error, JG_ERROR, JG_ERROR_FAILED, _("The request failed"));
      if (jg_server_error_http_status (error) >= 500)
        g_warning ("%s", error->message);
      job->status = jg_server_error_http_status (error);
      node = error_node (error);
      text = jg_json_to_string (node, FALSE);
      job->reply = reply_bytes (text, strlen (text), FALSE, &job->reply_gzipped);
    }

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, job_done_in_main, job,
                              (GDestroyNotify) job_free);
}

/* ---- routing ---------------------------------------------------------------- */

static void
handle_health (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, JG_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "min_client_protocol");
  json_builder_add_int_value (b, JG_SERVER_MIN_CLIENT_PROTOCOL);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "server_time_ms");
  json_builder_add_int_value (b, g_get_real_time () / 1000);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  respond (msg, SOUP_STATUS_OK, node, FALSE);
}

static char *
bearer_token (SoupMessageHeaders *headers)
{
  const char *auth = soup_message_headers_get_one (headers, "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (auth + 7));
}

/* "application/json", with or without parameters ("; charset=utf-8"). */
static gboolean
is_json_media_type (const char *content_type)
{
  gsize len = strlen ("application/json");

  if (content_type == NULL || g_ascii_strncasecmp (content_type, "application/json", len) != 0)
    return FALSE;
  content_type += len;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;
  return *content_type == '\0' || *content_type == ';';
}

/* A body larger than the limit is never held: refused as soon as its
 * headers say so (before it is sent, for a client that asks first with
 * "Expect: 100-continue"), or, when it does not say its length, as soon as
 * it grows past the limit; the rest is read and dropped.  Nobody makes the
 * server hold 400 MB to hear 413. */
#define TOO_LARGE_KEY "jg-too-large"

static void
refuse_too_large (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;

  if (g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), TOO_LARGE_KEY, GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_TOO_LARGE,
               _("The request is larger than %zu bytes"), JG_SERVER_MAX_BODY);
  respond_error (msg, error);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* Headers come in one packet or two.  One sent a byte at a time, each
 * just before the idle timeout (slowloris), would hold the connection for
 * ever: they must all be in within the idle timeout of the connection's
 * start.  A body only has the idle timeout: a long push on a slow line
 * takes as long as it takes. */
#define HEADER_DEADLINE_KEY "jg-header-deadline"

static gboolean
header_deadline_cb (gpointer data)
{
  GSocket *socket = data;

  /* The read libsoup waits in sees the end of the stream, and libsoup
   * drops the connection as it would a client's close. */
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
header_deadline_free (gpointer data)
{
  GSource *deadline = data;

  g_source_destroy (deadline);
  g_source_unref (deadline);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_object_set_data (G_OBJECT (msg), HEADER_DEADLINE_KEY, NULL);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) JG_SERVER_MAX_BODY)
    refuse_too_large (msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > (goffset) JG_SERVER_MAX_BODY)
    {
      refuse_too_large (msg);
      soup_message_body_truncate (body);
    }
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  JgServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  /* A connection that sends nothing would otherwise hold its descriptor
   * for ever.  GSocket's timeout is per wait, not per request: each byte
   * read or written starts it again, so a long push being sent or a long
   * reply being read is never cut, and while a request is paused for the
   * worker nothing waits on the socket. */
  if (socket != NULL && self->idle_timeout > 0)
    {
      GSource *deadline = g_timeout_source_new_seconds (self->idle_timeout);

      g_socket_set_timeout (socket, self->idle_timeout);
      g_source_set_callback (deadline, header_deadline_cb, g_object_ref (socket), g_object_unref);
      g_source_attach (deadline, self->context);
      g_object_set_data_full (G_OBJECT (msg), HEADER_DEADLINE_KEY, deadline, header_deadline_free);
    }

  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  JgServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GSocketAddress *remote;
  JobKind kind;
  Job *job;

  if (g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) != NULL)
    return;   /* answered already: refuse_too_large() */
  if (strcmp (path, "/api/v1/health") == 0)
    {
      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        {
          g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_METHOD, _("Use GET"));
          respond_error (msg, error);
          return;
        }
      handle_health (msg);
      return;
    }

  if (strcmp (path, "/api/v1/login") == 0)
    kind = JOB_LOGIN;
  else if (strcmp (path, "/api/v1/sync") == 0)
    kind = JOB_SYNC;
  else if (strcmp (path, "/api/v1/fork") == 0)
    kind = JOB_FORK;
  else
    {
      g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_NOT_FOUND, _("There is no %s here"), path);
      respond_error (msg, error);
      return;
    }
  if (strcmp (method, "POST") != 0)
    {
      g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_METHOD, _("Use POST"));
      respond_error (msg, error);
      return;
    }
  if (body->length < 0 || (gsize) body->length > JG_SERVER_MAX_BODY)
    {
      g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_TOO_LARGE,
                   _("The request is larger than %zu bytes"), JG_SERVER_MAX_BODY);
      respond_error (msg, error);
      return;
    }
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") != 0 &&
      g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      g_set_error (&error, JG_ERROR, JG_ERROR_MALFORMED, _("Unsupported Content-Encoding “%s”"), encoding);
      respond_error (msg, error);
      return;
    }

  /* A browser may send text/plain or a form anywhere without asking first;
   * only a body declared as JSON is read as one. */
  if (body->length > 0 && !is_json_media_type (soup_message_headers_get_one (headers, "Content-Type")))
    {
      g_set_error (&error, JG_SERVER_ERROR, JG_SERVER_ERROR_MEDIA_TYPE,
                   _("The request body must be sent as application/json"));
      respond_error (msg, error);
      return;
    }

  bytes = soup_message_body_flatten (body);
  job = g_new0 (Job, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->kind = kind;
  job->body = g_steal_pointer (&bytes);
  job->body_gzip = encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") == 0;
  job->reply_gzip = jg_sync_accepts_gzip (soup_message_headers_get_one (headers, "Accept-Encoding"));
  job->token = bearer_token (headers);
  remote = soup_server_message_get_remote_address (msg);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    job->address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  soup_server_message_pause (msg);
  g_thread_pool_push (self->worker, job, NULL);
}

/* ---- the object --------------------------------------------------------------- */

void
jg_server_shutdown (JgServer *self)
{
  g_return_if_fail (JG_IS_SERVER (self));

  if (self->soup)
    soup_server_disconnect (self->soup);
  if (self->worker)
    {
      /* Lets every queued push finish and commit. */
      g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, TRUE);
    }
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->worker_store);
}

static void
jg_server_dispose (GObject *object)
{
  JgServer *self = (JgServer *) object;

  if (self->worker)
    jg_server_shutdown (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->worker_store);

  G_OBJECT_CLASS (jg_server_parent_class)->dispose (object);
}

static void
jg_server_finalize (GObject *object)
{
  JgServer *self = (JgServer *) object;

  g_free (self->db_path);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (jg_server_parent_class)->finalize (object);
}

static void
jg_server_class_init (JgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_server_dispose;
  object_class->finalize = jg_server_finalize;
}

static void
jg_server_init (JgServer *self)
{
  self->idle_timeout = JG_SERVER_DEFAULT_IDLE_TIMEOUT;
}

JgServer *
jg_server_new (const char  *db_path,
               GError     **error)
{
  g_autoptr(JgServer) self = g_object_new (JG_TYPE_SERVER, NULL);
  g_autoptr(JgStore) probe = NULL;
  g_autofree char *role = NULL;

  /* Fail now, not on the first request, when the store is missing. */
  probe = jg_store_open (db_path, JG_STORE_DURABLE, error);
  if (probe == NULL)
    return NULL;
  role = jg_store_dup_meta (probe, "store_kind");
  if (g_strcmp0 (role, "server") != 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_A_STORE,
                   _("“%s” is not a server store; create one with “jinguo-server init”"), db_path);
      return NULL;
    }
  if (!jg_server_backend_open_history (probe, error))
    return NULL;
  g_clear_object (&probe);

  self->db_path = g_strdup (db_path);
  self->context = g_main_context_ref_thread_default ();
  self->worker = g_thread_pool_new (worker_run, self, 1, TRUE, error);
  if (self->worker == NULL)
    return NULL;
  self->soup = soup_server_new ("server-header", "jinguo-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, "/", handle_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  return g_steal_pointer (&self);
}

gboolean
jg_server_listen (JgServer    *self,
                  const char  *host,
                  guint        port,
                  const char  *tls_cert,
                  const char  *tls_key,
                  GError     **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (JG_IS_SERVER (self), FALSE);

  if (tls_cert != NULL || tls_key != NULL)
    {
      g_autoptr(GTlsCertificate) cert = NULL;

      if (tls_cert == NULL || tls_key == NULL)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("TLS needs both a certificate and a key file"));
          return FALSE;
        }
      cert = g_tls_certificate_new_from_files (tls_cert, tls_key, error);
      if (cert == NULL)
        return FALSE;
      soup_server_set_tls_certificate (self->soup, cert);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  address = g_inet_socket_address_new_from_string (host, port);
  if (address == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("“%s” is not an IP address"), host);
      return FALSE;
    }

  /* soup_server_listen() would listen with GSocket's default backlog of
   * 10: the eleventh laptop to connect at once has its SYN dropped and
   * waits a second for the retry.  Our own socket, with room for many. */
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (self->soup, socket, options, error);
}

/* Applies to connections accepted from now on. */
void
jg_server_set_idle_timeout (JgServer *self,
                            guint     seconds)
{
  g_return_if_fail (JG_IS_SERVER (self));

  self->idle_timeout = seconds;
}

guint
jg_server_get_port (JgServer *self)
{
  GSList *uris;
  guint port = 0;

  g_return_val_if_fail (JG_IS_SERVER (self), 0);

  uris = soup_server_get_uris (self->soup);
  if (uris)
    port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}
