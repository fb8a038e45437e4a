/* fuzz-request.c: libFuzzer target for the server's request handling
 *
 * Input: one flags byte, then a request body.  Flag bit 0: the body is
 * gzip-compressed (Content-Encoding: gzip); bit 1: a login request, else a
 * sync request.  It runs what the server's worker runs before it touches
 * the store: jg_server_sync_request_parse and _check, or jg_server_request_parse_body
 * and jg_server_login_request_read.  A sync request's changes, which the
 * server reads from the text, are compared with what jg_change_from_json
 * reads from the body's node tree: the same change or the same refusal.  Every refusal must be an error with the
 * 4xx status the server would send.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jg-common.h"
#include "jg-server-error.h"
#include "jg-server-request.h"
#include "jg-server.h"
#include "jg-sync-gzip.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  return 0;
}

/* Whether the (inflated) body is one strict JSON document, its integers
 * unjudged (jg_json_check). */
static gboolean
body_is_json (const guint8 *data,
              gsize         size,
              gboolean      gzip)
{
  g_autoptr(GBytes) plain = NULL;
  const char *text = (const char *) data;

  if (gzip)
    {
      plain = jg_sync_gzip_decompress (data, size, JG_SERVER_MAX_BODY, NULL);
      if (plain == NULL)
        return FALSE;
      text = g_bytes_get_data (plain, &size);
    }
  return size > 0 && jg_json_check (text, size, NULL);
}

/* What the client did wrong is a 4xx, never a 500. */
static void
check_refusal (const GError *error)
{
  guint status;

  if (error == NULL)
    abort ();
  status = jg_server_error_http_status (error);
  if (status < 400 || status >= 500)
    {
      g_printerr ("a bad request would be answered %u: %s\n", status, error->message);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  gboolean gzip, login;

  if (size < 1)
    return 0;
  gzip = (data[0] & 1) != 0;
  login = (data[0] & 2) != 0;

  request = jg_server_request_parse_body (data + 1, size - 1, gzip, &error);
  if (request == NULL)
    {
      JgSyncRequest req;
      g_autoptr(GError) sync_error = NULL;

      check_refusal (error);
      /* A body that is no JSON is refused by the sync reader too.  One
       * that is JSON but holds an integer past 64 bits is refused whole
       * by the tree, while the sync reader refuses only the change that
       * holds it (read_changes), so that one bad change does not refuse
       * a device's push: then the body is JSON, and a change is refused. */
      if (!login && jg_server_sync_request_parse (data + 1, size - 1, gzip, &req, &sync_error))
        {
          gboolean refused = FALSE;

          if (!g_error_matches (error, JG_ERROR, JG_ERROR_MALFORMED) || req.changes == NULL)
            abort ();
          for (guint i = 0; i < req.changes->len; i++)
            if (req.changes->pdata[i] == NULL)
              {
                const GError *read_error = req.change_errors->pdata[i];

                check_refusal (read_error);
                refused = TRUE;
              }
          if (!refused || !body_is_json (data + 1, size - 1, gzip))
            abort ();
          jg_server_sync_request_clear (&req);
        }
      return 0;
    }

  if (login)
    {
      JgLoginRequest req;

      if (!jg_server_login_request_read (request, &req, &error))
        check_refusal (error);
      else if (req.username == NULL || req.password == NULL ||
               (req.replica != NULL && !jg_replica_id_valid (req.replica)))
        abort ();
      return 0;
    }
  else
    {
      JgSyncRequest req;
      JsonNode *changes;
      gboolean ok;

      /* The server reads a sync request's changes from the text; the tree
       * of the same body must give the same changes and refusals. */
      ok = jg_server_sync_request_parse (data + 1, size - 1, gzip, &req, &error);
      if (!ok)
        {
          check_refusal (error);
          return 0;
        }
      if (!jg_server_sync_request_check (&req, &error) ||
          !jg_server_sync_request_check_snapshot (&req, &error))
        {
          check_refusal (error);
          jg_server_sync_request_clear (&req);
          return 0;
        }
      if (req.replica == NULL || req.cursor < 0 || req.limit < 0 || request == NULL)
        abort ();
      changes = json_object_get_member (json_node_get_object (request), "changes");
      if ((changes == NULL) != (req.changes == NULL))
        abort ();
      for (guint i = 0; req.changes != NULL && i < req.changes->len; i++)
        {
          g_autoptr(GError) change_error = NULL;
          g_autoptr(JgChange) change = jg_change_from_json (json_array_get_element (json_node_get_array (changes), i),
                                                            &change_error);
          const JgChange *read = req.changes->pdata[i];
          const GError *read_error = req.change_errors->pdata[i];

          if (json_array_get_length (json_node_get_array (changes)) != req.changes->len)
            abort ();
          if (change == NULL)
            {
              check_refusal (change_error);
              if (read != NULL || read_error == NULL || !g_error_matches (read_error, change_error->domain, change_error->code) ||
                  strcmp (read_error->message, change_error->message) != 0)
                abort ();
            }
          else if (read == NULL || read_error != NULL ||
                   change->replica == NULL || change->entity == NULL || change->record == NULL ||
                   change->field == NULL || change->value == NULL ||
                   jg_entity_lookup (change->entity) == NULL ||
                   strcmp (change->replica, read->replica) || change->counter != read->counter ||
                   strcmp (change->entity, read->entity) || strcmp (change->record, read->record) ||
                   strcmp (change->field, read->field) || strcmp (change->value, read->value) ||
                   change->hlc != read->hlc || change->base != read->base || change->rbase != read->rbase ||
                   g_strcmp0 (change->author, read->author) || change->seq != read->seq)
            abort ();
        }
      jg_server_sync_request_clear (&req);
    }
  return 0;
}
