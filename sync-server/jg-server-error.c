/* jg-server-error.c: wire names and HTTP statuses of the server's errors */

#include "config.h"

#include "jg-common.h"
#include "jg-server-error.h"

G_DEFINE_QUARK (jg-server-error-quark, jg_server_error)

static const char * const server_code_names[] = {
  [JG_SERVER_ERROR_UNAUTHORIZED] = "unauthorized",
  [JG_SERVER_ERROR_BAD_CREDENTIALS] = "bad_credentials",
  [JG_SERVER_ERROR_RATE_LIMITED] = "rate_limited",
  [JG_SERVER_ERROR_TOO_LARGE] = "too_large",
  [JG_SERVER_ERROR_CLIENT_TOO_OLD] = "client_too_old",
  [JG_SERVER_ERROR_NOT_FOUND] = "not_found",
  [JG_SERVER_ERROR_METHOD] = "method_not_allowed",
  [JG_SERVER_ERROR_MEDIA_TYPE] = "unsupported_media_type",
};

const char *
jg_server_error_code_name (const GError *error)
{
  if (error->domain == JG_SERVER_ERROR &&
      error->code >= 0 && error->code < (int) G_N_ELEMENTS (server_code_names))
    return server_code_names[error->code];
  if (error->domain == JG_ERROR)
    return jg_error_code_name (error->code);
  return "failed";
}

guint
jg_server_error_http_status (const GError *error)
{
  if (error->domain == JG_SERVER_ERROR)
    {
      switch ((JgServerErrorCode) error->code)
        {
        case JG_SERVER_ERROR_UNAUTHORIZED:
        case JG_SERVER_ERROR_BAD_CREDENTIALS:
          return 401;
        case JG_SERVER_ERROR_RATE_LIMITED:
          return 429;
        case JG_SERVER_ERROR_TOO_LARGE:
          return 413;
        case JG_SERVER_ERROR_CLIENT_TOO_OLD:
          return 426;
        case JG_SERVER_ERROR_NOT_FOUND:
          return 404;
        case JG_SERVER_ERROR_METHOD:
          return 405;
        case JG_SERVER_ERROR_MEDIA_TYPE:
          return 415;
        default:
          return 500;
        }
    }
  if (error->domain == JG_ERROR)
    {
      switch (error->code)
        {
        case JG_ERROR_PERMISSION:
        case JG_ERROR_OUT_OF_SCOPE:
          return 403;
        case JG_ERROR_PROTOCOL_VERSION:
          /* A client newer than the server (docs/protocol.md); too old is
           * JG_SERVER_ERROR_CLIENT_TOO_OLD, 426. */
          return 400;
        case JG_ERROR_STORE:
        case JG_ERROR_STORE_NEWER:
        case JG_ERROR_NOT_A_STORE:
        case JG_ERROR_FAILED:
          return 500;
        default:
          return 400;
        }
    }
  return 500;
}
