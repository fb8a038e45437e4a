/* jg-json-writer.c: JSON written straight to text
 *
 * The sync replies and requests carry thousands of records: building a
 * JsonNode tree for each, then a generator's copy of it, cost more than
 * reading the rows.  This writes the text directly, with the same string
 * escapes as the canonical form (jg-json.c), and splices values that are
 * already canonical JSON (the change log's) without parsing them again.
 *
 * The writer trusts its caller for structure (a member name inside an
 * object, balanced begin/end): every caller is code, never input.
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "jg-json.h"
#include "jg-json-writer.h"

#define MAX_DEPTH 64

struct _JgJsonWriter
{
  GString  *out;
  guint     depth;
  gboolean  after_member;
  gboolean  has_items[MAX_DEPTH];
};

static const char hex_digits[] = "0123456789abcdef";

/* What json-glib writes for a string, so that canonical text does not
 * depend on which of the two wrote it; except that every control character
 * is escaped (json-glib leaves U+001F as it is, which is not JSON). */
void
jg_json_append_string (GString    *out,
                       const char *value)
{
  const char *run = value;
  const char *p;

  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default: break;
        }
      if (escape != NULL)
        g_string_append (out, escape);
      else
        {
          char u[7] = { '\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xf], '\0' };

          g_string_append_len (out, u, 6);
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

JgJsonWriter *
jg_json_writer_new (void)
{
  JgJsonWriter *self = g_new0 (JgJsonWriter, 1);

  self->out = g_string_sized_new (4096);
  return self;
}

void
jg_json_writer_free (JgJsonWriter *self)
{
  if (self == NULL)
    return;
  g_string_free (self->out, TRUE);
  g_free (self);
}

char *
jg_json_writer_free_to_text (JgJsonWriter *self,
                             gsize        *length)
{
  char *text;

  g_return_val_if_fail (self->depth == 0, NULL);
  if (length)
    *length = self->out->len;
  text = g_string_free (self->out, FALSE);
  g_free (self);
  return text;
}

/* The separator before a value: none after a member name or first in its
 * container, a comma otherwise. */
static void
value_start (JgJsonWriter *self)
{
  if (self->after_member)
    self->after_member = FALSE;
  else if (self->depth > 0)
    {
      if (self->has_items[self->depth - 1])
        g_string_append_c (self->out, ',');
      self->has_items[self->depth - 1] = TRUE;
    }
}

static void
open_container (JgJsonWriter *self,
                char          c)
{
  value_start (self);
  g_return_if_fail (self->depth < MAX_DEPTH);
  g_string_append_c (self->out, c);
  self->has_items[self->depth++] = FALSE;
}

static void
close_container (JgJsonWriter *self,
                 char          c)
{
  g_return_if_fail (self->depth > 0);
  self->depth--;
  g_string_append_c (self->out, c);
}

void
jg_json_writer_begin_object (JgJsonWriter *self)
{
  open_container (self, '{');
}

void
jg_json_writer_end_object (JgJsonWriter *self)
{
  close_container (self, '}');
}

void
jg_json_writer_begin_array (JgJsonWriter *self)
{
  open_container (self, '[');
}

void
jg_json_writer_end_array (JgJsonWriter *self)
{
  close_container (self, ']');
}

void
jg_json_writer_member (JgJsonWriter *self,
                       const char   *name)
{
  value_start (self);
  jg_json_append_string (self->out, name);
  g_string_append_c (self->out, ':');
  self->after_member = TRUE;
}

void
jg_json_writer_string (JgJsonWriter *self,
                       const char   *value)
{
  if (value == NULL)
    {
      jg_json_writer_null (self);
      return;
    }
  value_start (self);
  jg_json_append_string (self->out, value);
}

void
jg_json_writer_int (JgJsonWriter *self,
                    gint64        value)
{
  value_start (self);
  g_string_append_printf (self->out, "%" PRId64, value);
}

void
jg_json_writer_boolean (JgJsonWriter *self,
                        gboolean      value)
{
  value_start (self);
  g_string_append (self->out, value ? "true" : "false");
}

void
jg_json_writer_null (JgJsonWriter *self)
{
  value_start (self);
  g_string_append (self->out, "null");
}

/* @json must be one JSON value: canonical text from the store. */
void
jg_json_writer_raw (JgJsonWriter *self,
                    const char   *json)
{
  value_start (self);
  g_string_append (self->out, json);
}

void
jg_json_writer_node (JgJsonWriter *self,
                     JsonNode     *node)
{
  g_autofree char *text = jg_json_canonical (node);

  jg_json_writer_raw (self, text);
}
