/* jg-error.c: the error domain of libjinguo-common */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-entity.h"
#include "jg-error.h"

/* GError has no room for extra data before GLib 2.68's extended errors, which
 * need registration at domain creation; we use that mechanism for the field. */
typedef struct
{
  char *field;
} JgErrorPrivate;

static void
jg_error_private_init (JgErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
jg_error_private_copy (const JgErrorPrivate *src,
                       JgErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
jg_error_private_clear (JgErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (JgError, jg_error)

static const char * const code_names[] = {
  [JG_ERROR_FAILED] = "failed",
  [JG_ERROR_INVALID] = "invalid",
  [JG_ERROR_UNKNOWN_ENTITY] = "unknown_entity",
  [JG_ERROR_UNKNOWN_FIELD] = "unknown_field",
  [JG_ERROR_WRONG_TYPE] = "wrong_type",
  [JG_ERROR_REQUIRED] = "required",
  [JG_ERROR_OUT_OF_RANGE] = "out_of_range",
  [JG_ERROR_TOO_LONG] = "too_long",
  [JG_ERROR_NOT_ALLOWED_VALUE] = "not_allowed_value",
  [JG_ERROR_READ_ONLY] = "read_only",
  [JG_ERROR_IMMUTABLE] = "immutable",
  [JG_ERROR_NOT_FOUND] = "not_found",
  [JG_ERROR_DELETED] = "deleted",
  [JG_ERROR_MALFORMED] = "malformed",
  [JG_ERROR_PROTOCOL_VERSION] = "protocol_version",
  [JG_ERROR_CLOCK_SKEW] = "clock_skew",
  [JG_ERROR_STORE] = "store",
  [JG_ERROR_STORE_NEWER] = "store_newer",
  [JG_ERROR_NOT_A_STORE] = "not_a_store",
  [JG_ERROR_PERMISSION] = "permission_denied",
  [JG_ERROR_OUT_OF_SCOPE] = "out_of_scope",
  [JG_ERROR_INSUFFICIENT_BALANCE] = "insufficient_balance",
  [JG_ERROR_TRANSITION] = "transition_not_allowed",
  [JG_ERROR_CONSENT_REQUIRED] = "consent_required",
  [JG_ERROR_CONFLICT] = "conflict",
  [JG_ERROR_BUSY] = "busy",
  [JG_ERROR_OTHER_UNIT] = "other_unit",
  [JG_ERROR_UNAUTHORIZED] = "unauthorized",
  [JG_ERROR_IN_USE] = "in_use",
};

const char *
jg_error_code_name (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (code_names) || code_names[code] == NULL)
    return "failed";
  return code_names[code];
}

/* @message with each quoted field name, “start_at”, as its label. */
static char *
labelled_fields (const char *message)
{
  static const char open[] = "“", close[] = "”";
  GString *out = g_string_new (NULL);
  const char *p = message;
  const char *start;

  while ((start = strstr (p, open)) != NULL)
    {
      const char *name = start + strlen (open);
      const char *end = strstr (name, close);
      g_autofree char *field = NULL;
      const char *label;

      if (end == NULL)
        break;
      field = g_strndup (name, (gsize) (end - name));
      label = jg_field_label (field);
      g_string_append_len (out, p, name - p);
      g_string_append (out, label != NULL ? label : field);
      g_string_append (out, close);
      p = end + strlen (close);
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

void
jg_set_field_error (GError     **error,
                    JgErrorCode  code,
                    const char  *field,
                    const char  *format,
                    ...)
{
  JgErrorPrivate *priv;
  GError *e;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  e = g_error_new_valist (JG_ERROR, code, format, args);
  va_end (args);

  /* Messages quote field names, “head_name” (the field's, and another's
   * a rule compares it with); people read their labels. */
  {
    g_autofree char *message = labelled_fields (e->message);

    g_free (e->message);
    e->message = g_steal_pointer (&message);
  }

  priv = jg_error_get_private (e);
  if (priv != NULL)
    priv->field = g_strdup (field);

  g_propagate_error (error, e);
}

const char *
jg_error_get_field (const GError *error)
{
  JgErrorPrivate *priv;

  if (error == NULL || error->domain != JG_ERROR)
    return NULL;
  priv = jg_error_get_private (error);
  return priv ? priv->field : NULL;
}

/* The code a wire name stands for; -1 for a name this version does not
 * know. */
int
jg_error_code_from_name (const char *name)
{
  for (int code = 0; name != NULL && code < (int) G_N_ELEMENTS (code_names); code++)
    if (code_names[code] != NULL && strcmp (code_names[code], name) == 0)
      return code;
  return -1;
}

/**
 * jg_error_reason:
 * @code: an error code as on the wire ("permission_denied")
 * @field: (nullable): the field it is about
 *
 * What a refusal means, in the reader's language, made from its code: a
 * server answers in its own language, and a laptop shows its user hers
 * (the server's words stay beside it).  NULL for a code this version does
 * not know, or one that says nothing more than the server's words.
 */
char *
jg_error_reason (const char *code,
                 const char *field)
{
  const char *label = field != NULL ? jg_field_label (field) : NULL;
  int known = jg_error_code_from_name (code);

  if (label == NULL)
    label = field != NULL && *field != '\0' ? field : _("The value");
  if (known < 0)
    return NULL;
  switch ((JgErrorCode) known)
    {
    case JG_ERROR_REQUIRED:
      return g_strdup_printf (_("“%s” is required"), label);
    case JG_ERROR_WRONG_TYPE:
      return g_strdup_printf (_("“%s” has a value of the wrong kind"), label);
    case JG_ERROR_OUT_OF_RANGE:
      return g_strdup_printf (_("“%s” is out of the allowed range"), label);
    case JG_ERROR_TOO_LONG:
      return g_strdup_printf (_("“%s” is too long"), label);
    case JG_ERROR_NOT_ALLOWED_VALUE:
      return g_strdup_printf (_("“%s” is not one of the allowed values"), label);
    case JG_ERROR_INVALID:
      return g_strdup_printf (_("“%s” breaks one of the record’s rules"), label);
    case JG_ERROR_READ_ONLY:
      return g_strdup_printf (_("“%s” cannot be set this way"), label);
    case JG_ERROR_IMMUTABLE:
      return g_strdup_printf (_("“%s” cannot be changed once recorded"), label);
    case JG_ERROR_UNKNOWN_FIELD:
    case JG_ERROR_UNKNOWN_ENTITY:
      return g_strdup (_("The server does not know this kind of record or field; it may need updating"));
    case JG_ERROR_NOT_FOUND:
      return g_strdup (_("Something this change refers to is not on the server"));
    case JG_ERROR_DELETED:
      return g_strdup (_("The record has been deleted"));
    case JG_ERROR_MALFORMED:
      return g_strdup (_("The change could not be read"));
    case JG_ERROR_CLOCK_SKEW:
      return g_strdup (_("This computer’s clock is ahead of the server’s"));
    case JG_ERROR_PERMISSION:
      return g_strdup_printf (_("You may not change “%s” of this record"), label);
    case JG_ERROR_OUT_OF_SCOPE:
      return g_strdup (_("The record is outside your area"));
    case JG_ERROR_INSUFFICIENT_BALANCE:
      return g_strdup (_("Not enough approved hours are left for this redemption"));
    case JG_ERROR_TRANSITION:
      return g_strdup (_("This step of the workflow is not allowed now"));
    case JG_ERROR_CONSENT_REQUIRED:
      return g_strdup (_("The household has not consented to publicity"));
    case JG_ERROR_CONFLICT:
      return g_strdup (_("The server already holds another change under this number"));
    case JG_ERROR_OTHER_UNIT:
      return g_strdup (_("The entry names a volunteer or an entry of another village"));
    case JG_ERROR_IN_USE:
      return g_strdup (_("Other records still refer to this record; delete them first"));
    case JG_ERROR_FAILED:
    case JG_ERROR_PROTOCOL_VERSION:
    case JG_ERROR_STORE:
    case JG_ERROR_STORE_NEWER:
    case JG_ERROR_NOT_A_STORE:
    case JG_ERROR_BUSY:
    case JG_ERROR_UNAUTHORIZED:
      return NULL;
    }
  return NULL;
}
