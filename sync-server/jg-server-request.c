/* jg-server-request.c: a request body, from bytes to a checked request
 *
 * The body is inflated with a limit on the *inflated* size (a gzip bomb
 * stops at JG_SERVER_MAX_BODY), parsed by jg_json_parse (UTF-8, depth and
 * number guards), and its members are read with explicit type checks.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-common.h"
#include "jg-server.h"
#include "jg-server-backend.h"
#include "jg-server-error.h"
#include "jg-server-request.h"
#include "jg-sync-gzip.h"

/* The body as text: inflated (bounded) when it came gzipped. */
static GBytes *
body_text (const guint8  *data,
           gsize          len,
           gboolean       gzip,
           GError       **error)
{
  g_autoptr(GBytes) plain = NULL;

  if (gzip)
    {
      g_autoptr(GError) local_error = NULL;

      plain = jg_sync_gzip_decompress (data, len, JG_SERVER_MAX_BODY, &local_error);
      if (plain == NULL)
        {
          if (g_error_matches (local_error, JG_ERROR, JG_ERROR_OUT_OF_RANGE))
            g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_TOO_LARGE, "%s", local_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      data = g_bytes_get_data (plain, &len);
    }
  if (len == 0 || data == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The request has no body"));
      return NULL;
    }
  return plain != NULL ? g_steal_pointer (&plain) : g_bytes_new_static (data, len);
}

JsonNode *
jg_server_request_parse_body (const guint8  *data,
                              gsize          len,
                              gboolean       gzip,
                              GError       **error)
{
  g_autoptr(GBytes) text = body_text (data, len, gzip, error);
  const char *p;

  if (text == NULL)
    return NULL;
  p = g_bytes_get_data (text, &len);
  return jg_json_parse (p, (gssize) len, error);
}

/* One value of checked text, as jg_json_parse() gives it (which also
 * refuses a number too large to store). */
static JsonNode *
read_node (JgJsonReader  *r,
           GError       **error)
{
  const char *start;
  gsize len;

  if (!jg_json_reader_skip (r, &start, &len))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON does not parse"));
      return NULL;
    }
  return jg_json_parse (start, (gssize) len, error);
}

static void
clear_error (gpointer data)
{
  if (data != NULL)
    g_error_free (data);
}

static void
changes_clear (JgSyncRequest *req)
{
  g_clear_pointer (&req->changes, g_ptr_array_unref);
  g_clear_pointer (&req->change_errors, g_ptr_array_unref);
  g_clear_pointer (&req->refused, g_ptr_array_unref);
}

/* The pushed changes, each read as push_changes() needs it: a change, or
 * the error that refuses it.  Those past the batch limit are only read as
 * JSON (the request is then refused as too large). */
static gboolean
read_changes (JgJsonReader   *r,
              JgSyncRequest  *out,
              guint          *count,
              GError        **error)
{
  changes_clear (out);
  out->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  out->change_errors = g_ptr_array_new_with_free_func (clear_error);
  out->refused = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  *count = 0;

  if (!jg_json_reader_begin (r, '['))
    return FALSE;
  while (jg_json_reader_next (r, ']'))
    {
      JgJsonReader element;
      JgChange *change = NULL, *id = NULL;
      GError *change_error = NULL;

      jg_json_reader_peek (r);
      element = *r;
      if (++*count <= JG_SERVER_MAX_BATCH)
        jg_change_read_usual (r, &change, &change_error);
      if (change == NULL)
        {
          /* Read (again) from its start as a node: an unusual shape, a
           * refused change's replica and n, one past the limit. */
          g_autoptr(JsonNode) node = NULL;
          const char *start;
          gsize len;
          JsonObject *o;

          if (!jg_json_reader_skip (&element, &start, &len))
            {
              g_clear_error (&change_error);
              g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON does not parse"));
              return FALSE;
            }
          *r = element;
          if (*count > JG_SERVER_MAX_BATCH)
            {
              g_clear_error (&change_error);
              continue;
            }
          /* Text the request's check passed that still does not build (an
           * integer past 64 bits) refuses this change only. */
          node = jg_json_parse (start, (gssize) len, change_error == NULL ? &change_error : NULL);
          if (change_error == NULL)
            change = jg_change_from_json (node, &change_error);
          /* A refused change is answered with what it says it is. */
          if (change == NULL && node != NULL &&
              (o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL))
            {
              id = jg_change_new ();
              id->replica = g_strdup (jg_json_get_string (o, "replica"));
              jg_json_get_int (o, "n", &id->counter);
            }
        }
      g_ptr_array_add (out->changes, change);
      g_ptr_array_add (out->change_errors, change_error);
      g_ptr_array_add (out->refused, id);
    }
  return TRUE;
}

void
jg_server_sync_request_clear (JgSyncRequest *req)
{
  changes_clear (req);
  g_clear_pointer (&req->root, json_node_unref);
  memset (req, 0, sizeof *req);
}

/* A sync request, read from its body (jg_server_sync_request_check() then
 * judges its members).  The pushed changes, nearly all of a push's bytes,
 * are read from the text one by one, never built as a node tree; every
 * other member is.  The request is read as one document, as
 * jg_server_request_parse_body() would read it: a member given twice counts
 * the second time.  On failure @out holds nothing. */
gboolean
jg_server_sync_request_parse (const guint8   *data,
                              gsize           len,
                              gboolean        gzip,
                              JgSyncRequest  *out,
                              GError        **error)
{
  g_autoptr(GBytes) text = NULL;
  g_autoptr(JsonObject) members = NULL;
  JgJsonReader r;
  const char *p;
  guint count = 0;

  memset (out, 0, sizeof *out);

  if ((text = body_text (data, len, gzip, error)) == NULL)
    return FALSE;
  p = g_bytes_get_data (text, &len);
  if (!jg_json_check (p, len, error))
    return FALSE;

  jg_json_reader_init (&r, p, len);
  if (jg_json_reader_peek (&r) != '{')
    {
      /* JSON, but no object: refused by jg_server_sync_request_check(). */
      if ((out->root = read_node (&r, error)) == NULL)
        return FALSE;
      return TRUE;
    }
  jg_json_reader_begin (&r, '{');
  members = json_object_new ();
  while (jg_json_reader_next (&r, '}'))
    {
      g_autofree char *name = jg_json_reader_member (&r);
      JsonNode *node;

      if (name == NULL)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON does not parse"));
          goto fail;
        }
      if (strcmp (name, "changes") == 0)
        {
          out->changes_not_list = jg_json_reader_peek (&r) != '[';
          if (!out->changes_not_list)
            {
              if (!read_changes (&r, out, &count, error))
                goto fail;
            }
          else
            {
              g_autoptr(JsonNode) value = read_node (&r, error);

              changes_clear (out);
              count = 0;
              if (value == NULL)
                goto fail;
            }
          continue;
        }
      if ((node = read_node (&r, error)) == NULL)
        goto fail;
      json_object_set_member (members, name, node);
    }

  out->root = json_node_init_object (json_node_alloc (), members);
  out->n_changes = count;
  return TRUE;

fail:
  jg_server_sync_request_clear (out);
  return FALSE;
}

/* The "protocol" member of a request: one this server speaks. */
static gboolean
check_protocol (JsonObject  *members,
                gint64      *protocol,
                GError     **error)
{
  if (!jg_json_get_int (members, "protocol", protocol))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "protocol", _("The sync request has no protocol version"));
      return FALSE;
    }
  /* Any number below the oldest the server speaks, 0 and negative ones
   * too, is a client too old: it is told to update, like any other. */
  if (*protocol < JG_SERVER_MIN_CLIENT_PROTOCOL)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_CLIENT_TOO_OLD,
                   _("This version of Jinguo is too old for the server; please update it"));
      return FALSE;
    }
  if (*protocol > JG_PROTOCOL_VERSION)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_PROTOCOL_VERSION,
                   _("The server speaks protocol version %d"), JG_PROTOCOL_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
replica_member (JsonObject  *members,
                const char  *name,
                const char **replica,
                GError     **error)
{
  *replica = jg_json_get_string (members, name);
  if (*replica == NULL || !jg_replica_id_valid (*replica))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, name, _("“%s” is not a replica id"), name);
      return FALSE;
    }
  return TRUE;
}

/* The rules of a sync request's members, judged after the caller is
 * known (a stranger hears 401 before anything about the request). */
gboolean
jg_server_sync_request_check (JgSyncRequest  *req,
                              GError        **error)
{
  JsonObject *members;

  if (!JSON_NODE_HOLDS_OBJECT (req->root))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The sync request must be a JSON object"));
      return FALSE;
    }
  members = json_node_get_object (req->root);
  if (!check_protocol (members, &req->protocol, error) ||
      !replica_member (members, "replica", &req->replica, error))
    return FALSE;
  req->limit = JG_SERVER_DEFAULT_PAGE;
  if (json_object_has_member (members, "cursor") &&
      (!jg_json_get_int (members, "cursor", &req->cursor) || req->cursor < 0))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "cursor", _("“cursor” must be a whole number"));
      return FALSE;
    }
  if (json_object_has_member (members, "limit") &&
      (!jg_json_get_int (members, "limit", &req->limit) || req->limit < 0 || req->limit > JG_SERVER_MAX_PAGE))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "limit",
                          _("“limit” must be a whole number from 0 to %d"), JG_SERVER_MAX_PAGE);
      return FALSE;
    }
  if (json_object_has_member (members, "result_runs"))
    {
      JsonNode *node = json_object_get_member (members, "result_runs");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          jg_set_field_error (error, JG_ERROR_MALFORMED, "result_runs", _("“result_runs” must be true or false"));
          return FALSE;
        }
      req->result_runs = json_node_get_boolean (node);
    }
  if (req->changes_not_list)
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "changes", _("“changes” must be a list"));
      return FALSE;
    }
  if (req->n_changes > JG_SERVER_MAX_BATCH)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_TOO_LARGE,
                   _("At most %d changes may be pushed at once"), JG_SERVER_MAX_BATCH);
      return FALSE;
    }
  return TRUE;
}

/* A new device asks for current state instead of the history: its
 * "snapshot" position, or NULL.  Judged after the replica is known to be
 * the caller's. */
gboolean
jg_server_sync_request_check_snapshot (JgSyncRequest  *req,
                                       GError        **error)
{
  JsonObject *members = json_node_get_object (req->root);

  if (json_object_has_member (members, "snapshot") &&
      (req->snapshot = jg_json_get_string (members, "snapshot")) == NULL)
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "snapshot", _("“snapshot” is not a snapshot position"));
      return FALSE;
    }
  return TRUE;
}

static const char *
string_member (JsonObject *o,
               const char *name,
               gsize       max_len)
{
  const char *s = jg_json_get_string (o, name);

  if (s == NULL || *s == '\0' || strlen (s) > max_len)
    return NULL;
  return s;
}

gboolean
jg_server_login_request_read (JsonNode        *request,
                              JgLoginRequest  *out,
                              GError         **error)
{
  JsonObject *o;

  memset (out, 0, sizeof *out);

  if (!JSON_NODE_HOLDS_OBJECT (request))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The login request must be a JSON object"));
      return FALSE;
    }
  o = json_node_get_object (request);
  out->username = string_member (o, "username", 256);
  out->password = string_member (o, "password", 1024);
  if (out->username == NULL || out->password == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The login request needs a username and a password"));
      return FALSE;
    }
  out->replica = jg_json_get_string (o, "replica");
  if (out->replica != NULL && !jg_replica_id_valid (out->replica))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "replica", _("“replica” is not a replica id"));
      return FALSE;
    }
  out->device = jg_json_get_string (o, "device");
  if (out->device != NULL && strlen (out->device) > 200)
    out->device = NULL;
  return TRUE;
}

/* A device that found its replica id used by another store's history (its
 * store was restored from a backup, or copied) asks to go on as a new
 * replica; see docs/protocol.md "POST /api/v1/fork". */
gboolean
jg_server_fork_request_read (JsonNode       *request,
                             JgForkRequest  *out,
                             GError        **error)
{
  JsonObject *o;

  memset (out, 0, sizeof *out);

  if (!JSON_NODE_HOLDS_OBJECT (request))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The fork request must be a JSON object"));
      return FALSE;
    }
  o = json_node_get_object (request);
  if (!check_protocol (o, &out->protocol, error) ||
      !replica_member (o, "replica", &out->replica, error) ||
      !replica_member (o, "new_replica", &out->new_replica, error))
    return FALSE;
  if (json_object_has_member (o, "after") && (!jg_json_get_int (o, "after", &out->after) || out->after < 0))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "after", _("“after” must be a whole number"));
      return FALSE;
    }
  return TRUE;
}
