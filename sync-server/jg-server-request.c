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

JsonNode *
jg_server_request_parse_body (const guint8  *data,
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
  return jg_json_parse ((const char *) data, (gssize) len, error);
}

gboolean
jg_server_sync_request_read (JsonNode       *request,
                             JgSyncRequest  *out,
                             GError        **error)
{
  JsonObject *o;
  JsonNode *changes;

  memset (out, 0, sizeof *out);
  out->limit = JG_SERVER_DEFAULT_PAGE;

  if (!JSON_NODE_HOLDS_OBJECT (request))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The sync request must be a JSON object"));
      return FALSE;
    }
  o = json_node_get_object (request);
  if (!jg_json_get_int (o, "protocol", &out->protocol) || out->protocol < 1)
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "protocol", _("The sync request has no protocol version"));
      return FALSE;
    }
  if (out->protocol < JG_SERVER_MIN_CLIENT_PROTOCOL)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_CLIENT_TOO_OLD,
                   _("This version of Jinguo is too old for the server; please update it"));
      return FALSE;
    }
  if (out->protocol > JG_PROTOCOL_VERSION)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_PROTOCOL_VERSION,
                   _("The server speaks protocol version %d"), JG_PROTOCOL_VERSION);
      return FALSE;
    }
  out->replica = jg_json_get_string (o, "replica");
  if (out->replica == NULL || !jg_replica_id_valid (out->replica))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "replica", _("“replica” is not a replica id"));
      return FALSE;
    }
  if (json_object_has_member (o, "cursor") && (!jg_json_get_int (o, "cursor", &out->cursor) || out->cursor < 0))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "cursor", _("“cursor” must be a whole number"));
      return FALSE;
    }
  if (json_object_has_member (o, "limit") &&
      (!jg_json_get_int (o, "limit", &out->limit) || out->limit < 0 || out->limit > JG_SERVER_MAX_PAGE))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "limit",
                          _("“limit” must be a whole number from 0 to %d"), JG_SERVER_MAX_PAGE);
      return FALSE;
    }
  changes = json_object_get_member (o, "changes");
  if (changes != NULL && !JSON_NODE_HOLDS_ARRAY (changes))
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "changes", _("“changes” must be a list"));
      return FALSE;
    }
  if (changes != NULL && json_array_get_length (json_node_get_array (changes)) > JG_SERVER_MAX_BATCH)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_TOO_LARGE,
                   _("At most %d changes may be pushed at once"), JG_SERVER_MAX_BATCH);
      return FALSE;
    }
  out->changes = changes != NULL ? json_node_get_array (changes) : NULL;
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
