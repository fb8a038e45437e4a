/* fuzz-request.c: libFuzzer target for the server's request handling
 *
 * Input: one flags byte, then a request body.  Flag bit 0: the body is
 * gzip-compressed (Content-Encoding: gzip); bit 1: a login request, else a
 * sync request.  It runs what the server's worker runs before it touches
 * the store: jg_server_request_parse_body, jg_server_sync_request_read or
 * jg_server_login_request_read, and jg_change_from_json on every pushed
 * change, as push_changes() does.  Every refusal must be an error with the
 * 4xx status the server would send.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jg-common.h"
#include "jg-server-error.h"
#include "jg-server-request.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  return 0;
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
      check_refusal (error);
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

      if (!jg_server_sync_request_read (request, &req, &error))
        {
          check_refusal (error);
          return 0;
        }
      if (req.replica == NULL || req.cursor < 0 || req.limit < 0)
        abort ();
      for (guint i = 0; req.changes != NULL && i < json_array_get_length (req.changes); i++)
        {
          g_autoptr(GError) change_error = NULL;
          g_autoptr(JgChange) change = jg_change_from_json (json_array_get_element (req.changes, i),
                                                            &change_error);

          if (change == NULL)
            check_refusal (change_error);
          else if (change->replica == NULL || change->entity == NULL || change->record == NULL ||
                   change->field == NULL || change->value == NULL ||
                   jg_entity_lookup (change->entity) == NULL)
            abort ();
        }
    }
  return 0;
}
