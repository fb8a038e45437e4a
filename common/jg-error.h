/* jg-error.h: the error domain of libjinguo-common */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JG_ERROR (jg_error_quark ())

/* Stable codes; jg_error_code_name() gives the string used on the wire. */
typedef enum
{
  JG_ERROR_FAILED,
  JG_ERROR_INVALID,            /* a value that breaks a rule */
  JG_ERROR_UNKNOWN_ENTITY,
  JG_ERROR_UNKNOWN_FIELD,
  JG_ERROR_WRONG_TYPE,
  JG_ERROR_REQUIRED,
  JG_ERROR_OUT_OF_RANGE,
  JG_ERROR_TOO_LONG,
  JG_ERROR_NOT_ALLOWED_VALUE,  /* not one of an enumeration */
  JG_ERROR_READ_ONLY,          /* a field that cannot be set this way */
  JG_ERROR_IMMUTABLE,          /* ledger content after creation */
  JG_ERROR_NOT_FOUND,
  JG_ERROR_DELETED,
  JG_ERROR_MALFORMED,          /* JSON that does not parse or has the wrong shape */
  JG_ERROR_PROTOCOL_VERSION,
  JG_ERROR_CLOCK_SKEW,
  JG_ERROR_STORE,              /* SQLite said no */
  JG_ERROR_STORE_NEWER,        /* written by a newer version */
  JG_ERROR_NOT_A_STORE,
  JG_ERROR_PERMISSION,
  JG_ERROR_OUT_OF_SCOPE,
  JG_ERROR_INSUFFICIENT_BALANCE,
  JG_ERROR_TRANSITION,         /* a review or award step that is not allowed */
  JG_ERROR_CONSENT_REQUIRED,
  JG_ERROR_CONFLICT,
  JG_ERROR_BUSY,               /* another process is doing the same now */
  JG_ERROR_OTHER_UNIT,         /* a ledger entry naming another unit's volunteer or entry */
  JG_ERROR_UNAUTHORIZED,       /* the server no longer takes the device's sign-in */
  JG_ERROR_IN_USE,             /* a deletion of a record live records refer to */
} JgErrorCode;

GQuark      jg_error_quark      (void);
const char *jg_error_code_name  (int code);
int         jg_error_code_from_name (const char *name);
char       *jg_error_reason     (const char *code,
                                 const char *field);

/* Errors about one field carry its name; see jg_error_get_field(). */
void        jg_set_field_error  (GError    **error,
                                 JgErrorCode code,
                                 const char *field,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (4, 5);
const char *jg_error_get_field  (const GError *error);

G_END_DECLS
