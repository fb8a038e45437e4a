/* jg-config.c: the configurable parts of the domain */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-common.h"
#include "jg-config.h"
#include "jg-error.h"

struct _JgConfig
{
  GObject     parent_instance;

  JsonNode   *root;
  GHashTable *lists;   /* name -> GStrv of codes */
};

G_DEFINE_FINAL_TYPE (JgConfig, jg_config, G_TYPE_OBJECT)

static JgConfig *default_config;
G_LOCK_DEFINE_STATIC (default_config);

static void
jg_config_finalize (GObject *object)
{
  JgConfig *self = (JgConfig *) object;

  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->lists, g_hash_table_unref);

  G_OBJECT_CLASS (jg_config_parent_class)->finalize (object);
}

static void
jg_config_class_init (JgConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jg_config_finalize;
}

static void
jg_config_init (JgConfig *self)
{
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
}

static gboolean
load_lists (JgConfig  *self,
            GError   **error)
{
  JsonObject *root = json_node_get_object (self->root);
  JsonObject *lists;
  g_autoptr(GList) names = NULL;

  if (!json_object_has_member (root, "lists") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "lists")))
    return TRUE;

  lists = json_object_get_object_member (root, "lists");
  names = json_object_get_members (lists);
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (lists, l->data);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                       _("The list “%s” in the configuration is not an array"), (char *) l->data);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (e) &&
              json_object_get_string_member_with_default (json_node_get_object (e), "code", NULL))
            g_strv_builder_add (builder, json_object_get_string_member (json_node_get_object (e), "code"));
          else if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (e));
          else
            {
              g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                           _("The list “%s” in the configuration has an entry without a code"),
                           (char *) l->data);
              return FALSE;
            }
        }
      g_hash_table_insert (self->lists, g_strdup (l->data), g_strv_builder_end (builder));
    }
  return TRUE;
}

JgConfig *
jg_config_new_from_data (const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JgConfig) self = g_object_new (JG_TYPE_CONFIG, NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                   _("The configuration is not a JSON object"));
      return NULL;
    }
  self->root = json_node_ref (json_parser_get_root (parser));
  if (!load_lists (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

JgConfig *
jg_config_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return jg_config_new_from_data (data, (gssize) len, error);
}

JgConfig *
jg_config_get_default (void)
{
  JgConfig *ret;

  jg_common_init ();
  G_LOCK (default_config);
  if (default_config == NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      const char *override = g_getenv ("JINGUO_DOMAIN_CONFIG");

      if (override != NULL && *override)
        {
          default_config = jg_config_new_from_file (override, &error);
          if (default_config == NULL)
            g_warning ("Cannot load %s, using the built-in configuration: %s",
                       override, error->message);
          g_clear_error (&error);
        }
      if (default_config == NULL)
        {
          gsize len;
          const char *data;

          bytes = g_resources_lookup_data ("/org/jinguo/common/domain/domain.json", 0, &error);
          if (bytes == NULL)
            g_error ("The built-in domain configuration is missing: %s", error->message);
          data = g_bytes_get_data (bytes, &len);
          default_config = jg_config_new_from_data (data, (gssize) len, &error);
          if (default_config == NULL)
            g_error ("The built-in domain configuration is broken: %s", error->message);
        }
    }
  ret = default_config;
  G_UNLOCK (default_config);
  return ret;
}

void
jg_config_set_default (JgConfig *config)
{
  G_LOCK (default_config);
  g_set_object (&default_config, config);
  G_UNLOCK (default_config);
}

const char * const *
jg_config_get_list (JgConfig   *self,
                    const char *name)
{
  g_return_val_if_fail (JG_IS_CONFIG (self), NULL);
  return g_hash_table_lookup (self->lists, name);
}

const char *
jg_config_get_label (JgConfig   *self,
                     const char *list,
                     const char *code,
                     gboolean    chinese)
{
  JsonObject *root = json_node_get_object (self->root);
  JsonObject *lists;
  JsonArray *array;

  if (code == NULL || !json_object_has_member (root, "lists"))
    return code;
  lists = json_object_get_object_member (root, "lists");
  if (!json_object_has_member (lists, list))
    return code;
  array = json_object_get_array_member (lists, list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      o = json_node_get_object (e);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, "code", NULL), code) == 0)
        return json_object_get_string_member_with_default (o, chinese ? "label_zh" : "label", code);
    }
  return code;
}

gint64
jg_config_get_int (JgConfig   *self,
                   const char *key,
                   gint64      fallback)
{
  JsonObject *root = json_node_get_object (self->root);
  JsonNode *node;

  if (!json_object_has_member (root, key))
    return fallback;
  node = json_object_get_member (root, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

JsonObject *
jg_config_get_object (JgConfig   *self,
                      const char *key)
{
  JsonObject *root = json_node_get_object (self->root);
  JsonNode *node;

  if (!json_object_has_member (root, key))
    return NULL;
  node = json_object_get_member (root, key);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
