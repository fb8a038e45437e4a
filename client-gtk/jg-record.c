/* jg-record.c: one stored record as a list item
 *
 * A record whose page has not been read yet is a placeholder: no object,
 * "loaded" FALSE.  Lists show it as an empty row until its page arrives.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "jg-config.h"
#include "jg-entity.h"
#include "jg-export.h"
#include "jg-record.h"
#include "jg-store-worker.h"

struct _JgRecord
{
  GObject     parent_instance;

  char       *entity;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (JgRecord, jg_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENTITY,
  PROP_ID,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jg_record_finalize (GObject *object)
{
  JgRecord *self = (JgRecord *)object;

  g_clear_pointer (&self->entity, g_free);
  g_clear_pointer (&self->object, json_object_unref);

  G_OBJECT_CLASS (jg_record_parent_class)->finalize (object);
}

static void
jg_record_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JgRecord *self = JG_RECORD (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;

    case PROP_ID:
      g_value_set_string (value, jg_record_get_id (self));
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->object != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_record_class_init (JgRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_record_finalize;
  object_class->get_property = jg_record_get_property;

  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_record_init (JgRecord *self)
{
}

/* @object may be NULL for a placeholder. */
JgRecord *
jg_record_new (const char *entity,
               JsonObject *object)
{
  JgRecord *self = g_object_new (JG_TYPE_RECORD, NULL);

  self->entity = g_strdup (entity);
  self->object = object ? json_object_ref (object) : NULL;
  return self;
}

const char *
jg_record_get_entity (JgRecord *self)
{
  g_return_val_if_fail (JG_IS_RECORD (self), NULL);

  return self->entity;
}

const char *
jg_record_get_id (JgRecord *self)
{
  g_return_val_if_fail (JG_IS_RECORD (self), NULL);

  if (self->object == NULL)
    return NULL;
  return json_object_get_string_member_with_default (self->object, "id", NULL);
}

gboolean
jg_record_get_loaded (JgRecord *self)
{
  g_return_val_if_fail (JG_IS_RECORD (self), FALSE);

  return self->object != NULL;
}

JsonObject *
jg_record_get_object (JgRecord *self)
{
  g_return_val_if_fail (JG_IS_RECORD (self), NULL);

  return self->object;
}

/* PIPL: lists show 138****5678; the full number only in the record's form.
 * The rule is the exports' (jg-export.c). */
char *
jg_mask_phone (const char *phone)
{
  return jg_export_mask_phone (phone);
}

/* The text a list shows for one field. */
char *
jg_record_dup_display (JgRecord   *self,
                       const char *field)
{
  const JgEntityDef *entity;
  const JgFieldDef *def;
  JsonNode *node;

  g_return_val_if_fail (JG_IS_RECORD (self), NULL);

  if (self->object == NULL || !json_object_has_member (self->object, field))
    return g_strdup ("");
  node = json_object_get_member (self->object, field);
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  entity = jg_entity_lookup (self->entity);
  def = entity ? jg_entity_field (entity, field, NULL) : NULL;

  /* A unit by its name where the worker found it, else by its code. */
  if (strcmp (field, "org_unit") == 0 &&
      json_object_get_string_member_with_default (self->object, JG_STORE_WORKER_UNIT_NAME, NULL) != NULL)
    return g_strdup (json_object_get_string_member (self->object, JG_STORE_WORKER_UNIT_NAME));

  /* A household by its head's name where the worker found it. */
  if (strcmp (field, "household") == 0 &&
      json_object_get_string_member_with_default (self->object, JG_STORE_WORKER_HOUSEHOLD_NAME, NULL) != NULL)
    return g_strdup (json_object_get_string_member (self->object, JG_STORE_WORKER_HOUSEHOLD_NAME));

  if (strcmp (field, "rubric") == 0 &&
      json_object_get_string_member_with_default (self->object, JG_STORE_WORKER_RUBRIC_LABEL, NULL) != NULL)
    return g_strdup (json_object_get_string_member (self->object, JG_STORE_WORKER_RUBRIC_LABEL));

  if (def != NULL && strcmp (field, "phone") == 0)
    return jg_mask_phone (json_node_get_string (node));

  if (def != NULL && def->type == JG_FIELD_ENUM && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (jg_choice_label (def, json_node_get_string (node)));

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);

      if (t == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          /* Date-times read better without the "T" and seconds. */
          if (def != NULL && def->type == JG_FIELD_DATETIME && strlen (s) >= 16 && s[10] == 'T')
            return g_strdup_printf ("%.10s %.5s", s, s + 11);
          return g_strdup (s);
        }
      if (t == G_TYPE_INT64)
        return g_strdup_printf ("%" PRId64, json_node_get_int (node));
      if (t == G_TYPE_DOUBLE)
        return g_strdup_printf ("%.2f", json_node_get_double (node));
      if (t == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    }
  return g_strdup ("");
}
