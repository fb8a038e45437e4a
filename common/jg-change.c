/* jg-change.c: one field change and its JSON form
 *
 * Everything read here may come from another machine: every member is
 * checked for presence and type, and a value is checked against its field.
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

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

/* What a change object held, before its rules are checked: the strings
 * (NULL when absent or not a string) are the change's own. */
enum
{
  HAVE_N      = 1 << 0,   /* present and a whole number */
  HAVE_HLC    = 1 << 1,
  HAVE_BASE   = 1 << 2,
  HAVE_RBASE  = 1 << 3,
  HAVE_VALUE  = 1 << 4,   /* present, whatever it is */
  BAD_AUTHOR  = 1 << 5,   /* present but not a string */
  BAD_SEQ     = 1 << 6,   /* present but not a whole number */
};

/* Every rule of a change read from another machine, in the order its
 * members are judged: jg_change_from_json() and jg_change_read_usual()
 * both end here, so they accept and refuse alike. */
static JgChange *
change_check (JgChange  *change,
              guint      have,
              JsonNode  *value,
              GError   **error)
{
  g_autoptr(JgChange) owned = change;
  const JgEntityDef *entity;
  const JgFieldDef *field;

  if (change->replica == NULL || !jg_replica_id_valid (change->replica))
    return malformed (error, "replica");
  if (!(have & HAVE_N) || change->counter < 1)
    return malformed (error, "n");
  if (change->entity == NULL)
    return malformed (error, "entity");
  if (!(entity = jg_entity_lookup (change->entity)))
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_ENTITY, "entity",
                          _("Unknown record type “%s”"), change->entity);
      return NULL;
    }
  if (change->record == NULL || !jg_uuid_valid (change->record))
    return malformed (error, "record");
  if (change->field == NULL)
    return malformed (error, "field");
  if (!(field = jg_entity_field (entity, change->field, NULL)))
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, change->field,
                          _("A %s has no field “%s”"), jg_entity_label (entity->name), change->field);
      return NULL;
    }
  if (!(have & HAVE_VALUE))
    return malformed (error, "value");
  if (!jg_field_check_type (field, value, error))
    return NULL;
  change->value = jg_json_canonical (value);
  if (!(have & HAVE_HLC) || change->hlc <= 0)
    return malformed (error, "hlc");
  if (!(have & HAVE_BASE) || change->base < 0 || change->base >= change->hlc)
    return malformed (error, "base");
  if (!(have & HAVE_RBASE) || change->rbase < 0 || change->rbase >= change->hlc)
    return malformed (error, "rbase");
  if ((have & BAD_AUTHOR) || (change->author != NULL && g_utf8_strlen (change->author, -1) > 100))
    return malformed (error, "author");
  /* A server_seq: 0 or absent for a change not yet on the server. */
  if ((have & BAD_SEQ) || change->seq < 0)
    return malformed (error, "seq");

  return g_steal_pointer (&owned);
}

static guint
get_int (JsonObject *o,
         const char *member,
         gint64     *out,
         guint       flag)
{
  return jg_json_get_int (o, member, out) ? flag : 0;
}

JgChange *
jg_change_from_json (JsonNode  *node,
                     GError   **error)
{
  JgChange *change;
  JsonObject *o;
  guint have = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("A change is not a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);

  change = jg_change_new ();
  change->replica = g_strdup (jg_json_get_string (o, "replica"));
  have |= get_int (o, "n", &change->counter, HAVE_N);
  change->entity = g_strdup (jg_json_get_string (o, "entity"));
  change->record = g_strdup (jg_json_get_string (o, "record"));
  change->field = g_strdup (jg_json_get_string (o, "field"));
  have |= json_object_has_member (o, "value") ? HAVE_VALUE : 0;
  have |= get_int (o, "hlc", &change->hlc, HAVE_HLC);
  have |= get_int (o, "base", &change->base, HAVE_BASE);
  have |= get_int (o, "rbase", &change->rbase, HAVE_RBASE);
  if (json_object_has_member (o, "author") &&
      (change->author = g_strdup (jg_json_get_string (o, "author"))) == NULL)
    have |= BAD_AUTHOR;
  if (json_object_has_member (o, "seq") && !jg_json_get_int (o, "seq", &change->seq))
    have |= BAD_SEQ;

  return change_check (change, have, json_object_get_member (o, "value"), error);
}

/* A change in the shape jg_change_write() gives it (its members in that
 * order, each of the right type), read straight from the text @r stands
 * in (text that passed jg_json_check()), which it steps past: a device's
 * push holds a thousand of them, and a node tree of each was most of the
 * server's work.  Returns FALSE, with nothing in *out and @r anywhere in
 * the value, for any other shape: the caller then reads the value again as
 * a node and asks jg_change_from_json(), which reads every shape.  For the
 * usual shape the two give the same change or the same error
 * (change_check()). */
gboolean
jg_change_read_usual (JgJsonReader  *r,
                      JgChange     **out,
                      GError       **error)
{
  static const char *const names[] = {
    "replica", "n", "entity", "record", "field", "value", "hlc", "base", "rbase", "author", "seq"
  };
  g_autoptr(JgChange) change = jg_change_new ();
  g_autoptr(JsonNode) value = NULL;
  guint have = 0;
  guint i = 0;

  *out = NULL;
  if (!jg_json_reader_begin (r, '{'))
    return FALSE;
  while (jg_json_reader_next (r, '}'))
    {
      g_autofree char *name = jg_json_reader_member (r);
      gboolean ok;

      /* The nine required members in order, then author and seq if any:
       * no member twice, none unknown. */
      while (name != NULL && i < G_N_ELEMENTS (names) && i >= 9 && strcmp (name, names[i]) != 0)
        i++;
      if (name == NULL || i >= G_N_ELEMENTS (names) || strcmp (name, names[i]) != 0)
        return FALSE;
      switch (i++)
        {
        case 0: ok = (change->replica = jg_json_reader_string (r)) != NULL; break;
        case 1: ok = jg_json_reader_int (r, &change->counter); break;
        case 2: ok = (change->entity = jg_json_reader_string (r)) != NULL; break;
        case 3: ok = (change->record = jg_json_reader_string (r)) != NULL; break;
        case 4: ok = (change->field = jg_json_reader_string (r)) != NULL; break;
        case 5: ok = (value = jg_json_reader_value (r)) != NULL; break;
        case 6: ok = jg_json_reader_int (r, &change->hlc); break;
        case 7: ok = jg_json_reader_int (r, &change->base); break;
        case 8: ok = jg_json_reader_int (r, &change->rbase); break;
        case 9: ok = (change->author = jg_json_reader_string (r)) != NULL; break;
        default: ok = jg_json_reader_int (r, &change->seq); break;
        }
      if (!ok)
        return FALSE;
    }
  if (i < 9)
    return FALSE;
  have = HAVE_N | HAVE_VALUE | HAVE_HLC | HAVE_BASE | HAVE_RBASE;
  *out = change_check (g_steal_pointer (&change), have, value, error);
  return TRUE;
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
