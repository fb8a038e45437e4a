/* jg-json.c: JSON helpers
 *
 * Values are compared and stored as canonical text (members sorted, no
 * spaces) so that two replicas holding the same value hold the same bytes.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "jg-error.h"
#include "jg-json.h"

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
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (node, s);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
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

/* Refuse deep nesting before the recursive parser sees it. */
static gboolean
check_depth (const char *text,
             gsize       length,
             GError    **error)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > JG_JSON_MAX_DEPTH)
            {
              g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                           _("The JSON is nested more than %d levels deep"), JG_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
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

JsonNode *
jg_json_parse (const char  *text,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length < 0)
    length = (gssize) strlen (text);

  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The JSON is not valid UTF-8"));
      return NULL;
    }
  if (!check_depth (text, (gsize) length, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                   _("The JSON does not parse: %s"), local_error->message);
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

char *
jg_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
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
