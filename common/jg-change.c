/* jg-change.c: one field change and its JSON form
 *
 * Everything read here may come from another machine: every member is
 * checked for presence and type, and a value is checked against its field.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "jg-change.h"
#include "jg-entity.h"
#include "jg-error.h"
#include "jg-id.h"
#include "jg-json.h"
#include "jg-json-writer.h"

G_DEFINE_BOXED_TYPE (JgChange, jg_change, jg_change_copy, jg_change_free)

JgChange *
jg_change_new (void)
{
  return g_new0 (JgChange, 1);
}

JgChange *
jg_change_copy (const JgChange *change)
{
  JgChange *copy = g_new0 (JgChange, 1);

  *copy = *change;
  copy->replica = g_strdup (change->replica);
  copy->entity = g_strdup (change->entity);
  copy->record = g_strdup (change->record);
  copy->field = g_strdup (change->field);
  copy->value = g_strdup (change->value);
  copy->author = g_strdup (change->author);
  return copy;
}

void
jg_change_free (JgChange *change)
{
  if (change == NULL)
    return;
  g_free (change->replica);
  g_free (change->entity);
  g_free (change->record);
  g_free (change->field);
  g_free (change->value);
  g_free (change->author);
  g_free (change);
}

char *
jg_change_dup_id (const JgChange *change)
{
  return g_strdup_printf ("%s:%" PRId64, change->replica, change->counter);
}

JsonNode *
jg_change_to_json (const JgChange *change)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) value = NULL;

  value = jg_json_parse (change->value ? change->value : "null", -1, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, change->replica);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, change->counter);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, change->entity);
  json_builder_set_member_name (b, "record");
  json_builder_add_string_value (b, change->record);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, change->field);
  json_builder_set_member_name (b, "value");
  json_builder_add_value (b, value ? json_node_ref (value) : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (b, "hlc");
  json_builder_add_int_value (b, change->hlc);
  json_builder_set_member_name (b, "base");
  json_builder_add_int_value (b, change->base);
  json_builder_set_member_name (b, "rbase");
  json_builder_add_int_value (b, change->rbase);
  if (change->author)
    {
      json_builder_set_member_name (b, "author");
      json_builder_add_string_value (b, change->author);
    }
  if (change->seq > 0)
    {
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, change->seq);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* The same object as jg_change_to_json(), written straight to text: the
 * value is the change log's canonical JSON, spliced in as it is. */
void
jg_change_write (const JgChange *change,
                 JgJsonWriter   *w)
{
  jg_json_writer_begin_object (w);
  jg_json_writer_member (w, "replica");
  jg_json_writer_string (w, change->replica);
  jg_json_writer_member (w, "n");
  jg_json_writer_int (w, change->counter);
  jg_json_writer_member (w, "entity");
  jg_json_writer_string (w, change->entity);
  jg_json_writer_member (w, "record");
  jg_json_writer_string (w, change->record);
  jg_json_writer_member (w, "field");
  jg_json_writer_string (w, change->field);
  jg_json_writer_member (w, "value");
  jg_json_writer_raw (w, change->value ? change->value : "null");
  jg_json_writer_member (w, "hlc");
  jg_json_writer_int (w, change->hlc);
  jg_json_writer_member (w, "base");
  jg_json_writer_int (w, change->base);
  jg_json_writer_member (w, "rbase");
  jg_json_writer_int (w, change->rbase);
  if (change->author)
    {
      jg_json_writer_member (w, "author");
      jg_json_writer_string (w, change->author);
    }
  if (change->seq > 0)
    {
      jg_json_writer_member (w, "seq");
      jg_json_writer_int (w, change->seq);
    }
  jg_json_writer_end_object (w);
}

static gpointer
malformed (GError    **error,
           const char *member)
{
  jg_set_field_error (error, JG_ERROR_MALFORMED, member,
                      _("A change has a missing or wrong “%s”"), member);
  return NULL;
}

JgChange *
jg_change_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(JgChange) change = jg_change_new ();
  const JgEntityDef *entity;
  const JgFieldDef *field;
  JsonObject *o;
  JsonNode *value;
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("A change is not a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);

  if (!(s = jg_json_get_string (o, "replica")) || !jg_replica_id_valid (s))
    return malformed (error, "replica");
  change->replica = g_strdup (s);

  if (!jg_json_get_int (o, "n", &change->counter) || change->counter < 1)
    return malformed (error, "n");

  if (!(s = jg_json_get_string (o, "entity")))
    return malformed (error, "entity");
  if (!(entity = jg_entity_lookup (s)))
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_ENTITY, "entity",
                          _("Unknown record type “%s”"), s);
      return NULL;
    }
  change->entity = g_strdup (s);

  if (!(s = jg_json_get_string (o, "record")) || !jg_uuid_valid (s))
    return malformed (error, "record");
  change->record = g_strdup (s);

  if (!(s = jg_json_get_string (o, "field")))
    return malformed (error, "field");
  if (!(field = jg_entity_field (entity, s, NULL)))
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, s,
                          _("A %s has no field “%s”"), entity->name, s);
      return NULL;
    }
  change->field = g_strdup (s);

  if (!json_object_has_member (o, "value"))
    return malformed (error, "value");
  value = json_object_get_member (o, "value");
  if (!jg_field_check_type (field, value, error))
    return NULL;
  change->value = jg_json_canonical (value);

  if (!jg_json_get_int (o, "hlc", &change->hlc) || change->hlc <= 0)
    return malformed (error, "hlc");
  if (!jg_json_get_int (o, "base", &change->base) || change->base < 0 || change->base >= change->hlc)
    return malformed (error, "base");
  if (!jg_json_get_int (o, "rbase", &change->rbase) || change->rbase < 0 || change->rbase >= change->hlc)
    return malformed (error, "rbase");

  if (json_object_has_member (o, "author"))
    {
      if (!(s = jg_json_get_string (o, "author")) || g_utf8_strlen (s, -1) > 100)
        return malformed (error, "author");
      change->author = g_strdup (s);
    }

  /* A server_seq: 0 or absent for a change not yet on the server. */
  if (json_object_has_member (o, "seq") && (!jg_json_get_int (o, "seq", &change->seq) || change->seq < 0))
    return malformed (error, "seq");

  return g_steal_pointer (&change);
}

JsonNode *
jg_bundle_build (const char *replica,
                 gint64      last_seq,
                 GPtrArray  *changes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, JG_BUNDLE_FORMAT);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, JG_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "replica");
  json_builder_add_string_value (b, replica);
  json_builder_set_member_name (b, "last_seq");
  json_builder_add_int_value (b, last_seq);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; changes && i < changes->len; i++)
    json_builder_add_value (b, jg_change_to_json (changes->pdata[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

GPtrArray *
jg_bundle_parse (JsonNode  *root,
                 gint64    *last_seq_out,
                 GError   **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  JsonObject *o;
  JsonNode *node;
  JsonArray *array;
  const char *format;
  gint64 protocol = 0;
  gint64 last_seq = 0;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("A change bundle must be a JSON object"));
      return NULL;
    }
  o = json_node_get_object (root);

  format = jg_json_get_string (o, "format");
  if (g_strcmp0 (format, JG_BUNDLE_FORMAT) != 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("This is not a Jinguo change bundle"));
      return NULL;
    }
  if (!jg_json_get_int (o, "protocol", &protocol) || protocol < 1)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The change bundle has no protocol version"));
      return NULL;
    }
  if (protocol > JG_PROTOCOL_VERSION)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_PROTOCOL_VERSION,
                   _("The change bundle uses protocol version %" PRId64
                     "; this version of Jinguo reads up to version %d. Please update Jinguo."),
                   protocol, JG_PROTOCOL_VERSION);
      return NULL;
    }
  if (json_object_has_member (o, "last_seq") && !jg_json_get_int (o, "last_seq", &last_seq))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The change bundle has a wrong “last_seq”"));
      return NULL;
    }

  node = json_object_get_member (o, "changes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The change bundle has no list of changes"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local_error = NULL;
      JgChange *change = jg_change_from_json (json_array_get_element (array, i), &local_error);

      if (change == NULL)
        {
          g_set_error (error, JG_ERROR, local_error->code,
                       _("Change %u of the bundle: %s"), i + 1, local_error->message);
          return NULL;
        }
      g_ptr_array_add (changes, change);
    }

  if (last_seq_out)
    *last_seq_out = last_seq;
  return g_steal_pointer (&changes);
}
