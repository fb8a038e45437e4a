/* jg-json.c: JSON helpers
 *
 * Values are compared and stored as canonical text (members sorted, no
 * spaces) so that two replicas holding the same value hold the same bytes.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "jg-error.h"
#include "jg-json.h"
#include "jg-json-writer.h"

static void canonical_append (GString *out, JsonNode *node);

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
append_string (GString    *out,
               const char *s)
{
  jg_json_append_string (out, s);
}

static void
canonical_append (GString  *out,
                  JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (GList *l = members; l; l = l->next)
        g_ptr_array_add (names, l->data);
      g_ptr_array_sort (names, compare_strings);

      g_string_append_c (out, '{');
      for (guint i = 0; i < names->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_string (out, names->pdata[i]);
          g_string_append_c (out, ':');
          canonical_append (out, json_object_get_member (object, names->pdata[i]));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          canonical_append (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    append_string (out, json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" PRId64, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_string_append (out, text);
    }
}

char *
jg_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  canonical_append (out, node);
  return g_string_free (out, FALSE);
}

gboolean
jg_json_equal (JsonNode *a,
               JsonNode *b)
{
  g_autofree char *ta = jg_json_canonical (a);
  g_autofree char *tb = jg_json_canonical (b);

  return strcmp (ta, tb) == 0;
}

/* A strict RFC 8259 check before json-glib sees the text.  json-glib 1.6
 * reads more than JSON: comments, single quotes, hex numbers, "\q", raw
 * control characters in strings, a second document after the first (it
 * keeps the first), and "\u0000" silently ends a string.  Whatever one
 * reader accepts another must read the same, so only JSON gets through.
 * It also bounds nesting before the recursive parser runs.  The text is
 * valid UTF-8 here. */

typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_CLOSE,   /* just after '[' */
  EXPECT_KEY,
  EXPECT_KEY_OR_CLOSE,     /* just after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,
  EXPECT_END,
} Expect;

static int
hex4 (const char *p,
      const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      v = (v << 4) | d;
    }
  return v;
}

/* p is at the opening quote; returns the position after the closing one. */
static const char *
scan_string (const char *p,
             const char *end)
{
  for (p++; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        return p + 1;
      if (c < 0x20)
        return NULL;
      if (c != '\\')
        continue;
      if (++p >= end)
        return NULL;
      if (strchr ("\"\\/bfnrt", *p) != NULL && *p != '\0')
        continue;
      if (*p != 'u')
        return NULL;
      {
        int v = hex4 (p + 1, end);

        /* NUL would end the string early in json-glib. */
        if (v <= 0 || (v >= 0xdc00 && v <= 0xdfff))
          return NULL;
        p += 4;
        if (v >= 0xd800 && v <= 0xdbff)
          {
            int low;

            if (end - p < 3 || p[1] != '\\' || p[2] != 'u')
              return NULL;
            low = hex4 (p + 3, end);
            if (low < 0xdc00 || low > 0xdfff)
              return NULL;
            p += 6;
          }
      }
    }
  return NULL;
}

static const char *
scan_number (const char *p,
             const char *end)
{
  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return NULL;
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p < end && *p == '.')
    {
      if (++p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  return p;
}

/* An integer (no fraction, no exponent) beyond int64: GScanner reads it
 * into 64 bits without a word, and json-glib hands on whatever it wrapped
 * to (99999999999999999999 is -1, 9223372036854775808 is negative). */
static gboolean
integer_overflows (const char *start,
                   const char *end)
{
  gboolean negative = *start == '-';
  const char *digits = start + negative;
  gsize n = (gsize) (end - digits);

  for (const char *q = digits; q < end; q++)
    if (!g_ascii_isdigit (*q))
      return FALSE;
  if (n != 19)
    return n > 19;
  return memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0;
}

/* @whole_integers: refuse an integer beyond int64, for text about to be
 * built as a tree.  A JgJsonReader reads integers itself and judges them
 * one value at a time, so that one bad change does not refuse a push. */
static gboolean
check_strict (const char  *text,
              gsize        length,
              gboolean     whole_integers,
              GError     **error)
{
  const char *p = text;
  const char *end = text + length;
  const char *at = text;   /* where the token being read starts */
  char stack[JG_JSON_MAX_DEPTH];
  int depth = 0;
  Expect expect = EXPECT_VALUE;

  for (;;)
    {
      char c;

      while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
      if (p >= end)
        {
          if (expect == EXPECT_END)
            return TRUE;
          break;
        }
      at = p;
      c = *p;

      switch (expect)
        {
        case EXPECT_VALUE_OR_CLOSE:
        case EXPECT_VALUE:
          if (expect == EXPECT_VALUE_OR_CLOSE && c == ']')
            {
              p++;
              depth--;
              expect = depth > 0 ? EXPECT_COMMA_OR_CLOSE : EXPECT_END;
              continue;
            }
          if (c == '{' || c == '[')
            {
              if (depth >= JG_JSON_MAX_DEPTH)
                {
                  g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                               _("The JSON is nested more than %d levels deep"), JG_JSON_MAX_DEPTH);
                  return FALSE;
                }
              stack[depth++] = c;
              p++;
              expect = c == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
              continue;
            }
          if (c == '"')
            p = scan_string (p, end);
          else if (c == '-' || g_ascii_isdigit (c))
            {
              const char *start = p;

              p = scan_number (p, end);
              if (p != NULL && whole_integers && integer_overflows (start, p))
                {
                  g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON has a number too large to store"));
                  return FALSE;
                }
            }
          else if (end - p >= 4 && memcmp (p, "true", 4) == 0)
            p += 4;
          else if (end - p >= 5 && memcmp (p, "false", 5) == 0)
            p += 5;
          else if (end - p >= 4 && memcmp (p, "null", 4) == 0)
            p += 4;
          else
            p = NULL;
          if (p == NULL)
            break;
          expect = depth > 0 ? EXPECT_COMMA_OR_CLOSE : EXPECT_END;
          continue;

        case EXPECT_KEY_OR_CLOSE:
        case EXPECT_KEY:
          if (expect == EXPECT_KEY_OR_CLOSE && c == '}')
            {
              p++;
              depth--;
              expect = depth > 0 ? EXPECT_COMMA_OR_CLOSE : EXPECT_END;
              continue;
            }
          if (c != '"' || (p = scan_string (p, end)) == NULL)
            break;
          expect = EXPECT_COLON;
          continue;

        case EXPECT_COLON:
          if (c != ':')
            break;
          p++;
          expect = EXPECT_VALUE;
          continue;

        case EXPECT_COMMA_OR_CLOSE:
          if (c == ',')
            {
              p++;
              expect = stack[depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
              continue;
            }
          if (c != (stack[depth - 1] == '{' ? '}' : ']'))
            break;
          p++;
          depth--;
          expect = depth > 0 ? EXPECT_COMMA_OR_CLOSE : EXPECT_END;
          continue;

        case EXPECT_END:
        default:
          break;
        }
      break;
    }

  if (p != NULL && p >= end)
    g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON ends too early"));
  else
    g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON is not valid at byte %zu"),
                 (gsize) (at - text));
  return FALSE;
}

/* Numbers json-glib 1.6 cannot write back: 1e400 is read as infinity and
 * written "inf.0"; 1e21 and 1e-300 are written "1e+21.0" and "1e-300.0" (it
 * appends ".0" to any double without a dot).  None of these parses again,
 * so a value holding one would break the change log and every bundle it
 * goes into.  The tree is at most JG_JSON_MAX_DEPTH deep here. */
static gboolean
has_unwritable_number (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double d;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l; l = l->next)
        if (has_unwritable_number (l->data))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (has_unwritable_number (json_array_get_element (array, i)))
          return TRUE;
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return FALSE;
  d = json_node_get_double (node);
  if (!isfinite (d))
    return TRUE;
  g_ascii_dtostr (buf, sizeof buf, d);
  return strchr (buf, '.') == NULL && strchr (buf, 'e') != NULL;
}

/* ---- a faster reader for the text check_strict() passed ------------------
 *
 * json-glib's parser goes through GScanner a character at a time; a sync
 * page of 1,000 records spent more time there than everywhere else.  This
 * builds the same nodes directly, for text already known to be strict
 * JSON.  Whatever it is not sure to read exactly as json-glib does (any
 * number but a plain integer or a short decimal without exponent, a surrogate pair) makes it
 * give up, and the document goes to json-glib as before. */

typedef JgJsonReader Reader;

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

/* At the opening quote; NULL to give up. */
static char *
read_string (Reader *r)
{
  const char *start = ++r->p;
  const char *q = start;
  GString *out;

  while (q < r->end && *q != '"' && *q != '\\')
    q++;
  if (q >= r->end)
    return NULL;
  if (*q == '"')
    {
      r->p = q + 1;
      return g_strndup (start, q - start);
    }

  out = g_string_new_len (start, q - start);
  while (q < r->end && *q != '"')
    {
      if (*q != '\\')
        {
          g_string_append_c (out, *q++);
          continue;
        }
      if (++q >= r->end)
        break;
      switch (*q)
        {
        case '"': case '\\': case '/': g_string_append_c (out, *q); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            int v = hex4 (q + 1, r->end);

            if (v <= 0 || (v >= 0xd800 && v <= 0xdfff))
              {
                g_string_free (out, TRUE);
                return NULL;
              }
            g_string_append_unichar (out, (gunichar) v);
            q += 4;
          }
          break;
        default:
          g_string_free (out, TRUE);
          return NULL;
        }
      q++;
    }
  if (q >= r->end)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  r->p = q + 1;
  return g_string_free (out, FALSE);
}

static JsonNode *read_value (Reader *r, int depth);

static gboolean has_unwritable_number (JsonNode *node);

/* A plain integer of up to 18 digits (always an int64), without fraction
 * or exponent; the reader moves past it only when it is one.  The text
 * need not end after the number (a document may be only a number): the
 * digits are read here, never by strtoll. */
static gboolean
read_integer (Reader *r,
              gint64 *out)
{
  const char *q = r->p + (r->p < r->end && *r->p == '-');
  const char *digits = q;
  gint64 v = 0;

  while (q < r->end && g_ascii_isdigit (*q) && q - digits < 18)
    v = v * 10 + (*q++ - '0');
  if (q == digits ||
      (q < r->end && (g_ascii_isdigit (*q) || *q == '.' || *q == 'e' || *q == 'E')))
    return FALSE;
  *out = *r->p == '-' ? -v : v;
  r->p = q;
  return TRUE;
}

/* An integer (read_integer) or a decimal without an exponent of up to 17
 * digits (what a double holds), read to the value GScanner reads. */
static JsonNode *
read_number (Reader *r)
{
  const char *start = r->p;
  const char *q = start;
  int digits = 0, fraction = 0;
  gint64 v;
  char buf[24];   /* sign, 17 digits, the point, NUL */
  JsonNode *node;

  if (read_integer (r, &v))
    return json_node_init_int (json_node_alloc (), v);

  if (q < r->end && *q == '-')
    q++;
  while (q < r->end && g_ascii_isdigit (*q))
    q++, digits++;
  if (q >= r->end || *q != '.')
    return NULL;
  q++;
  while (q < r->end && g_ascii_isdigit (*q))
    q++, fraction++;
  if (digits == 0 || fraction == 0 || digits + fraction > 17 ||
      (q < r->end && (*q == 'e' || *q == 'E')))
    return NULL;

  /* Copied: strtod would read on past the end of the text. */
  memcpy (buf, start, (gsize) (q - start));
  buf[q - start] = '\0';
  node = json_node_init_double (json_node_alloc (), g_ascii_strtod (buf, NULL));
  if (has_unwritable_number (node))
    {
      json_node_unref (node);
      return NULL;
    }
  r->p = q;
  return node;
}

static JsonNode *
read_object (Reader *r,
             int     depth)
{
  JsonObject *object = json_object_new ();

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == '}')
    {
      JsonNode *node;

      r->p++;
      node = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
      return node;
    }
  for (;;)
    {
      char *name;
      JsonNode *member;

      skip_space (r);
      if (r->p >= r->end || *r->p != '"' || (name = read_string (r)) == NULL)
        break;
      skip_space (r);
      if (r->p >= r->end || *r->p != ':')
        {
          g_free (name);
          break;
        }
      r->p++;
      member = read_value (r, depth + 1);
      if (member == NULL)
        {
          g_free (name);
          break;
        }
      json_object_set_member (object, name, member);
      g_free (name);
      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          {
            JsonNode *node = json_node_init_object (json_node_alloc (), object);

            json_object_unref (object);
            return node;
          }
        }
      break;
    }
  json_object_unref (object);
  return NULL;
}

static JsonNode *
read_array (Reader *r,
            int     depth)
{
  JsonArray *array = json_array_new ();

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == ']')
    {
      JsonNode *node;

      r->p++;
      node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      return node;
    }
  for (;;)
    {
      JsonNode *element = read_value (r, depth + 1);

      if (element == NULL)
        break;
      json_array_add_element (array, element);
      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          JsonNode *node;

          r->p++;
          node = json_node_init_array (json_node_alloc (), array);
          json_array_unref (array);
          return node;
        }
      break;
    }
  json_array_unref (array);
  return NULL;
}

static JsonNode *
read_value (Reader *r,
            int     depth)
{
  skip_space (r);
  if (r->p >= r->end || depth > JG_JSON_MAX_DEPTH)
    return NULL;
  switch (*r->p)
    {
    case '{':
      return read_object (r, depth);
    case '[':
      return read_array (r, depth);
    case '"':
      {
        char *text = read_string (r);
        JsonNode *node;

        if (text == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), text);
        g_free (text);
        return node;
      }
    case 't':
      if (r->end - r->p >= 4 && memcmp (r->p, "true", 4) == 0)
        {
          r->p += 4;
          return json_node_init_boolean (json_node_alloc (), TRUE);
        }
      return NULL;
    case 'f':
      if (r->end - r->p >= 5 && memcmp (r->p, "false", 5) == 0)
        {
          r->p += 5;
          return json_node_init_boolean (json_node_alloc (), FALSE);
        }
      return NULL;
    case 'n':
      if (r->end - r->p >= 4 && memcmp (r->p, "null", 4) == 0)
        {
          r->p += 4;
          return json_node_init_null (json_node_alloc ());
        }
      return NULL;
    default:
      return read_number (r);
    }
}

/* The document's root, sealed like json-glib's immutable parser's, or NULL
 * to leave the text to json-glib. */
static JsonNode *
fast_parse (const char *text,
            gsize       length)
{
  Reader r = { text, text + length };
  JsonNode *root = read_value (&r, 1);

  if (root == NULL)
    return NULL;
  skip_space (&r);
  if (r.p != r.end)
    {
      json_node_unref (root);
      return NULL;
    }
  json_node_seal (root);
  return root;
}

JsonNode *
jg_json_parse (const char  *text,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length < 0)
    length = (gssize) strlen (text);

  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON is not valid UTF-8"));
      return NULL;
    }
  if (!check_strict (text, (gsize) length, TRUE, error))
    return NULL;
  root = fast_parse (text, (gsize) length);
  if (root != NULL)
    return root;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      /* Its message may quote what it read, decoded into bytes that are
       * not UTF-8 (a lone surrogate): it goes into a JSON reply. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON does not parse: %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON is empty"));
      return NULL;
    }
  if (has_unwritable_number (root))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON has a number too large to store"));
      return NULL;
    }
  return json_node_ref (root);
}

/* Whether @text is one strict JSON document (what jg_json_parse() reads),
 * without building it: for text a JgJsonReader then walks. */
gboolean
jg_json_check (const char  *text,
               gsize        length,
               GError     **error)
{
  if (!g_utf8_validate (text, (gssize) length, NULL))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON is not valid UTF-8"));
      return FALSE;
    }
  return check_strict (text, length, FALSE, error);
}

/* ---- walking checked text without building it ---------------------------
 *
 * For the large pages of a sync: the caller knows the shape it expects and
 * reads member by member.  The text must have passed jg_json_check(); the
 * reader still never reads past its end, and every call says FALSE (or
 * NULL) when the text is not what was asked for. */

void
jg_json_reader_init (JgJsonReader *r,
                     const char   *text,
                     gsize         length)
{
  r->p = text;
  r->end = text + length;
}

/* The first character of the next value, or '\0' at the end. */
char
jg_json_reader_peek (JgJsonReader *r)
{
  skip_space (r);
  return r->p < r->end ? *r->p : '\0';
}

/* Enters an object ('{') or array ('['). */
gboolean
jg_json_reader_begin (JgJsonReader *r,
                      char          open)
{
  if (jg_json_reader_peek (r) != open)
    return FALSE;
  r->p++;
  return TRUE;
}

/* TRUE when another member or element follows (its separator read);
 * FALSE at the container's end, which is read. */
gboolean
jg_json_reader_next (JgJsonReader *r,
                     char          close)
{
  char c = jg_json_reader_peek (r);

  if (c == ',')
    {
      r->p++;
      return TRUE;
    }
  if (c == close)
    {
      r->p++;
      return FALSE;
    }
  return c != '\0';
}

/* A member's name and its colon. */
char *
jg_json_reader_member (JgJsonReader *r)
{
  char *name;

  if (jg_json_reader_peek (r) != '"' || (name = jg_json_reader_string (r)) == NULL)
    return NULL;
  if (jg_json_reader_peek (r) != ':')
    {
      g_free (name);
      return NULL;
    }
  r->p++;
  return name;
}

char *
jg_json_reader_string (JgJsonReader *r)
{
  char *text;
  const char *at = r->p;
  g_autoptr(JsonNode) node = NULL;
  const char *start;
  gsize len;

  if (jg_json_reader_peek (r) != '"')
    return NULL;
  text = read_string (r);
  if (text != NULL)
    return text;
  /* A surrogate pair: json-glib decodes it. */
  r->p = at;
  if (!jg_json_reader_skip (r, &start, &len) || (node = jg_json_parse (start, (gssize) len, NULL)) == NULL)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

gboolean
jg_json_reader_int (JgJsonReader *r,
                    gint64       *out)
{
  jg_json_reader_peek (r);   /* past the spaces */
  return read_integer (r, out);
}

/* Steps over one value; [*start, *start + *length) is its text. */
gboolean
jg_json_reader_skip (JgJsonReader *r,
                     const char  **start,
                     gsize        *length)
{
  const char *q;
  int depth = 0;

  skip_space (r);
  q = *start = r->p;
  if (q >= r->end)
    return FALSE;
  do
    {
      char c = *q;

      if (c == '"')
        {
          for (q++; q < r->end && *q != '"'; q++)
            if (*q == '\\')
              q++;
          if (q >= r->end)
            return FALSE;
          q++;   /* the closing quote */
        }
      else if (c == '{' || c == '[')
        {
          depth++;
          q++;
        }
      else if (c == '}' || c == ']')
        {
          if (--depth < 0)
            return FALSE;
          q++;
        }
      else if (depth == 0)
        {
          /* A number, true, false or null. */
          while (q < r->end && strchr (",}] \t\n\r", *q) == NULL)
            q++;
        }
      else
        q++;
    }
  while (depth > 0 && q < r->end);
  if (depth != 0)
    return FALSE;
  *length = (gsize) (q - *start);
  r->p = q;
  return TRUE;
}

/* One value, as jg_json_parse() would give it. */
JsonNode *
jg_json_reader_value (JgJsonReader *r)
{
  const char *at;
  const char *start;
  gsize len;
  JsonNode *node;

  skip_space (r);
  at = r->p;
  node = read_value (r, 1);
  if (node != NULL)
    {
      json_node_seal (node);
      return node;
    }
  r->p = at;
  if (!jg_json_reader_skip (r, &start, &len))
    return NULL;
  return jg_json_parse (start, (gssize) len, NULL);
}

/* A number json-glib wrote with 17 digits ("8.6999999999999993"), in the
 * fewest digits that read back as the same double ("8.7"). */
static void
append_short_number (GString    *out,
                     const char *token,
                     gsize       len)
{
  g_autofree char *text = g_strndup (token, len);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double d = g_ascii_strtod (text, NULL);

  gsize significant = 0;

  for (const char *p = text; *p && *p != 'e' && *p != 'E'; p++)
    significant += g_ascii_isdigit (*p) != 0;
  /* An integer, or a fraction json-glib wrote short already. */
  if (strpbrk (text, ".eE") == NULL || significant < 16)
    {
      g_string_append (out, text);
      return;
    }
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  g_string_append (out, buf);
  /* Still a fraction to whoever reads it, as it was written. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

/* json-glib 1.6 writes U+001F raw inside strings (its escape test stops
 * one short), which is not JSON: every reader, ours included, refuses the
 * text.  The byte 0x1F occurs in UTF-8 only as that character, so it is
 * escaped here wherever it is.  It also writes every double with 17
 * digits, 520 minutes as 8.6666666666666661 hours: numbers are written
 * again in the fewest digits that keep their value. */
char *
jg_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  GString *out;
  gboolean in_string = FALSE;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  text = json_generator_to_data (gen, NULL);
  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == 0x1f)
            g_string_append (out, "\\u001f");
          else
            g_string_append_c (out, *p);
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        {
          g_string_append_c (out, *p);
          in_string = TRUE;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          gsize len = strspn (p, "0123456789+-.eE");

          append_short_number (out, p, len);
          p += len - 1;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

gboolean
jg_json_get_int (JsonObject *object,
                 const char *member,
                 gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

const char *
jg_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
