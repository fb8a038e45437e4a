/* jg-server-error.h: errors of the sync server that have no JG_ERROR code */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JG_SERVER_ERROR (jg_server_error_quark ())

typedef enum
{
  JG_SERVER_ERROR_UNAUTHORIZED,    /* 401: bad token */
  JG_SERVER_ERROR_BAD_CREDENTIALS, /* 401: bad username or password */
  JG_SERVER_ERROR_RATE_LIMITED,    /* 429 */
  JG_SERVER_ERROR_TOO_LARGE,       /* 413: body or batch */
  JG_SERVER_ERROR_CLIENT_TOO_OLD,  /* 426 */
  JG_SERVER_ERROR_NOT_FOUND,       /* 404: no such endpoint */
  JG_SERVER_ERROR_METHOD,          /* 405 */
  JG_SERVER_ERROR_MEDIA_TYPE,      /* 415: a body that is not application/json */
} JgServerErrorCode;

GQuark      jg_server_error_quark       (void);
const char *jg_server_error_code_name   (const GError *error);
guint       jg_server_error_http_status (const GError *error);

G_END_DECLS
