/* jg-rubric.c: the courtyard rubric: scoring inspections, designations
 *
 * A rubric is read from JSON (data/rubric/four-beauty-v1.json is the shape)
 * and checked hard on loading, so that scoring can trust it.  Loaded
 * versions are never dropped: an inspection names (rubric, rubric_version)
 * and is scored with exactly that version for as long as it exists.
 *
 * Points are whole or half numbers everywhere (maxima, scores, thresholds),
 * so every sum and comparison below is exact in a double.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "jg-common.h"
#include "jg-error.h"
#include "jg-rubric.h"
#include "jg-review.h"
#include "jg-validate.h"
#include "jg-store-private.h"

#define BUILTIN_RUBRIC "/org/jinguo/common/rubric/four-beauty-v1.json"

typedef struct
{
  JgRubricEntry  entry;
  GArray        *items;   /* JgRubricEntry */
} Section;

typedef struct
{
  guint                section;
  const JgRubricEntry *entry;
} ItemRef;

struct _JgRubric
{
  GObject     parent_instance;

  JsonNode   *root;                /* the source: every string points into it */
  char       *canonical;           /* tells two rubrics with one version apart */
  const char *id;
  gint64      version;
  const char *label;
  const char *label_zh;
  GArray     *sections;            /* Section */
  GArray     *vetoes;              /* JgRubricEntry */
  GHashTable *items;               /* item code -> ItemRef */
  GHashTable *veto_codes;          /* veto code -> JgRubricEntry */
  double      max_total;
  double      pass_mark;
  GArray     *stars;               /* double, ascending */
  guint       section_min_percent;
  JsonObject *designation_min;     /* level -> points; NULL: not in this rubric */
  gboolean    level_below_first;
};

G_DEFINE_FINAL_TYPE (JgRubric, jg_rubric, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_VERSION,
  PROP_LABEL,
  PROP_LABEL_ZH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;   /* "id/version" -> JgRubric */

static void
section_clear (gpointer data)
{
  Section *section = data;

  g_clear_pointer (&section->items, g_array_unref);
}

static void
jg_rubric_finalize (GObject *object)
{
  JgRubric *self = (JgRubric *) object;

  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->veto_codes, g_hash_table_unref);
  g_clear_pointer (&self->sections, g_array_unref);
  g_clear_pointer (&self->vetoes, g_array_unref);
  g_clear_pointer (&self->stars, g_array_unref);
  g_clear_pointer (&self->canonical, g_free);
  g_clear_pointer (&self->root, json_node_unref);

  G_OBJECT_CLASS (jg_rubric_parent_class)->finalize (object);
}

static void
jg_rubric_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JgRubric *self = JG_RUBRIC (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_LABEL_ZH:
      g_value_set_string (value, self->label_zh);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_rubric_class_init (JgRubricClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_rubric_finalize;
  object_class->get_property = jg_rubric_get_property;

  /* Read-only: a rubric is what its file says, and a loaded version never changes. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LABEL_ZH] =
    g_param_spec_string ("label-zh", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_rubric_init (JgRubric *self)
{
  self->sections = g_array_new (FALSE, TRUE, sizeof (Section));
  g_array_set_clear_func (self->sections, section_clear);
  self->vetoes = g_array_new (FALSE, TRUE, sizeof (JgRubricEntry));
  self->stars = g_array_new (FALSE, FALSE, sizeof (double));
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->veto_codes = g_hash_table_new (g_str_hash, g_str_equal);
  self->level_below_first = TRUE;
}

/* ---- small JSON helpers ---------------------------------------------- */

static gboolean
node_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
is_half_step (double value)
{
  return floor (value * 2) == value * 2;
}

/* Points in a rubric file: a whole or half number, not negative. */
static gboolean
member_points (JsonObject *object,
               const char *member,
               double     *out)
{
  return node_number (json_object_get_member (object, member), out) &&
         *out >= 0 && is_half_step (*out);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  return *s ? s : NULL;
}

static gboolean
member_int (JsonObject *object,
            const char *member,
            gint64     *out)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
member_true (JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* JSON numbers read back best as integers when they are whole. */
static JsonNode *
points_node (double value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (value == floor (value) && fabs (value) < 1e15)
    json_node_set_int (node, (gint64) value);
  else
    json_node_set_double (node, value);
  return node;
}

/* ---- levels of designations (jg-entity.c has the order) -------------- */

static const char * const *
designation_levels (void)
{
  const JgFieldDef *field = jg_entity_field (jg_entity_lookup ("designation"), "level", NULL);

  return field->choices;
}

static int
level_index (const char *level)
{
  const char * const *levels = designation_levels ();

  for (int i = 0; level != NULL && levels[i] != NULL; i++)
    if (strcmp (levels[i], level) == 0)
      return i;
  return -1;
}

/* ---- loading --------------------------------------------------------- */

static gboolean
malformed (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
malformed (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, JG_ERROR, JG_ERROR_MALFORMED, message);
  return FALSE;
}

/* "list" is the JSON member the entry came from, to point at the mistake. */
static gboolean
parse_entry (JsonNode      *node,
             const char    *list,
             gboolean       with_max,
             JgRubricEntry *out,
             GError       **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, _("An entry of “%s” in the rubric is not an object"), list);
  object = json_node_get_object (node);
  out->code = member_string (object, "code");
  out->label = member_string (object, "label");
  out->label_zh = member_string (object, "label_zh");
  out->max = 0;
  if (out->code == NULL)
    return malformed (error, _("An entry of “%s” in the rubric has no code"), list);
  if (out->label == NULL || out->label_zh == NULL)
    return malformed (error, _("“%s” in the rubric needs a label and a Chinese label"), out->code);
  if (with_max && (!member_points (object, "max", &out->max) || out->max <= 0))
    return malformed (error, _("“%s” in the rubric needs a maximum of whole or half points above 0"),
                      out->code);
  return TRUE;
}

static gboolean
parse_sections (JgRubric   *self,
                JsonObject *root,
                GHashTable *codes,
                GError    **error)
{
  JsonArray *sections = member_array (root, "sections");

  if (sections == NULL || json_array_get_length (sections) == 0)
    return malformed (error, _("The rubric has no sections"));

  for (guint i = 0; i < json_array_get_length (sections); i++)
    {
      JsonNode *node = json_array_get_element (sections, i);
      Section section = { { 0 }, NULL };
      JsonArray *items;
      double sum = 0;

      if (!parse_entry (node, "sections", TRUE, &section.entry, error))
        return FALSE;
      if (!g_hash_table_add (codes, (gpointer) section.entry.code))
        return malformed (error, _("The code “%s” appears twice in the rubric"), section.entry.code);

      items = member_array (json_node_get_object (node), "items");
      if (items == NULL || json_array_get_length (items) == 0)
        return malformed (error, _("The section “%s” of the rubric has no items"), section.entry.code);

      section.items = g_array_sized_new (FALSE, TRUE, sizeof (JgRubricEntry),
                                         json_array_get_length (items));
      g_array_append_val (self->sections, section);

      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JgRubricEntry item;

          if (!parse_entry (json_array_get_element (items, j), "items", TRUE, &item, error))
            return FALSE;
          if (!g_hash_table_add (codes, (gpointer) item.code))
            return malformed (error, _("The code “%s” appears twice in the rubric"), item.code);
          g_array_append_val (section.items, item);
          sum += item.max;
        }

      /* A section's maximum that its items cannot reach (or exceed) would
       * make the 60 % rule mean something else than the county intended. */
      if (sum != section.entry.max)
        return malformed (error, _("The items of the section “%s” add up to %g points, not its maximum %g"),
                          section.entry.code, sum, section.entry.max);
      self->max_total += section.entry.max;
    }

  /* Only now: the arrays no longer move. */
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = &g_array_index (self->sections, Section, i);

      for (guint j = 0; j < section->items->len; j++)
        {
          ItemRef *ref = g_new0 (ItemRef, 1);

          ref->section = i;
          ref->entry = &g_array_index (section->items, JgRubricEntry, j);
          g_hash_table_insert (self->items, (gpointer) ref->entry->code, ref);
        }
    }
  return TRUE;
}

static gboolean
parse_vetoes (JgRubric   *self,
              JsonObject *root,
              GHashTable *codes,
              GError    **error)
{
  JsonArray *vetoes;

  if (!json_object_has_member (root, "veto_items"))
    return TRUE;
  vetoes = member_array (root, "veto_items");
  if (vetoes == NULL)
    return malformed (error, _("“veto_items” in the rubric is not a list"));

  for (guint i = 0; i < json_array_get_length (vetoes); i++)
    {
      JgRubricEntry veto;

      if (!parse_entry (json_array_get_element (vetoes, i), "veto_items", FALSE, &veto, error))
        return FALSE;
      if (!g_hash_table_add (codes, (gpointer) veto.code))
        return malformed (error, _("The code “%s” appears twice in the rubric"), veto.code);
      g_array_append_val (self->vetoes, veto);
    }
  for (guint i = 0; i < self->vetoes->len; i++)
    {
      JgRubricEntry *veto = &g_array_index (self->vetoes, JgRubricEntry, i);

      g_hash_table_insert (self->veto_codes, (gpointer) veto->code, veto);
    }
  return TRUE;
}

static gboolean
parse_thresholds (JgRubric   *self,
                  JsonObject *root,
                  GError    **error)
{
  JsonObject *thresholds = member_object (root, "thresholds");
  JsonArray *stars;
  gint64 percent = 0;

  if (thresholds == NULL)
    return malformed (error, _("The rubric has no thresholds"));
  if (!member_points (thresholds, "pass", &self->pass_mark))
    return malformed (error, _("The pass mark of the rubric must be whole or half points"));

  stars = member_array (thresholds, "stars");
  if (stars == NULL)
    return malformed (error, _("The star thresholds of the rubric must be a list"));
  for (guint i = 0; i < json_array_get_length (stars); i++)
    {
      double points;

      if (!node_number (json_array_get_element (stars, i), &points) ||
          points < 0 || !is_half_step (points) || points > self->max_total ||
          (i > 0 && points <= g_array_index (self->stars, double, i - 1)))
        return malformed (error, _("The star thresholds of the rubric must rise, in whole or half points, up to %g"),
                          self->max_total);
      g_array_append_val (self->stars, points);
    }

  if (json_object_has_member (thresholds, "section_min_percent") &&
      (!member_int (thresholds, "section_min_percent", &percent) || percent < 0 || percent > 100))
    return malformed (error, _("“section_min_percent” in the rubric must be a whole number from 0 to 100"));
  self->section_min_percent = (guint) percent;
  return TRUE;
}

static gboolean
parse_designation_min (JsonObject *designation,
                       JsonObject **out,
                       GError    **error)
{
  JsonObject *mins = member_object (designation, "min_total");
  g_autoptr(GList) levels = NULL;

  if (mins == NULL)
    return malformed (error, _("“designation” in the rubric needs “min_total”, the minimum score per level"));
  levels = json_object_get_members (mins);
  for (GList *l = levels; l; l = l->next)
    {
      double points;

      if (level_index (l->data) < 0)
        return malformed (error, _("“%s” is not a level of designations"), (const char *) l->data);
      if (!member_points (mins, l->data, &points))
        return malformed (error, _("The minimum score of a %s designation must be whole or half points"),
                          (const char *) l->data);
    }
  *out = mins;
  return TRUE;
}

static gboolean
parse_designation (JgRubric   *self,
                   JsonObject *root,
                   GError    **error)
{
  JsonObject *designation;
  JsonNode *below;

  if (!json_object_has_member (root, "designation"))
    return TRUE;
  designation = member_object (root, "designation");
  if (designation == NULL)
    return malformed (error, _("“designation” in the rubric is not an object"));
  if (!parse_designation_min (designation, &self->designation_min, error))
    return FALSE;

  below = json_object_get_member (designation, "level_below_first");
  if (below != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (below) || json_node_get_value_type (below) != G_TYPE_BOOLEAN)
        return malformed (error, _("“level_below_first” in the rubric must be true or false"));
      self->level_below_first = json_node_get_boolean (below);
    }
  return TRUE;
}

JgRubric *
jg_rubric_new_from_data (const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JgRubric) self = g_object_new (JG_TYPE_RUBRIC, NULL);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *root;

  g_return_val_if_fail (data != NULL, NULL);

  self->root = jg_json_parse (data, length, error);
  if (self->root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (self->root))
    {
      malformed (error, _("The rubric is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (self->root);

  self->id = member_string (root, "id");
  if (self->id == NULL)
    {
      malformed (error, _("The rubric has no id"));
      return NULL;
    }
  if (!member_int (root, "version", &self->version) || self->version < 1)
    {
      malformed (error, _("The rubric “%s” needs a version, a whole number from 1"), self->id);
      return NULL;
    }
  self->label = member_string (root, "label");
  self->label_zh = member_string (root, "label_zh");
  if (self->label == NULL)
    self->label = self->id;
  if (self->label_zh == NULL)
    self->label_zh = self->label;

  if (!parse_sections (self, root, codes, error) ||
      !parse_vetoes (self, root, codes, error) ||
      !parse_thresholds (self, root, error) ||
      !parse_designation (self, root, error))
    return NULL;

  self->canonical = jg_json_canonical (self->root);
  return g_steal_pointer (&self);
}

JgRubric *
jg_rubric_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;
  JgRubric *rubric;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  rubric = jg_rubric_new_from_data (data, (gssize) length, error);
  if (rubric == NULL)
    g_prefix_error (error, "%s: ", path);
  return rubric;
}

/* ---- the registry of versions ---------------------------------------- */

static char *
registry_key (const char *id,
              gint64      version)
{
  return g_strdup_printf ("%s/%" PRId64, id, version);
}

static gboolean
registry_add_locked (JgRubric  *rubric,
                     GError   **error)
{
  g_autofree char *key = registry_key (rubric->id, rubric->version);
  JgRubric *existing = g_hash_table_lookup (registry, key);

  if (existing != NULL)
    {
      if (strcmp (existing->canonical, rubric->canonical) == 0)
        return TRUE;
      /* Inspections already scored with that version must keep their meaning. */
      g_set_error (error, JG_ERROR, JG_ERROR_CONFLICT,
                   _("Version %" PRId64 " of the rubric “%s” is already loaded with other "
                     "content; give the new one another version number"),
                   rubric->version, rubric->id);
      return FALSE;
    }
  g_hash_table_insert (registry, g_steal_pointer (&key), g_object_ref (rubric));
  return TRUE;
}

/* JINGUO_RUBRIC_FILE: one file or several separated like PATH. */
static void
registry_load_overrides_locked (void)
{
  const char *env = g_getenv ("JINGUO_RUBRIC_FILE");
  g_auto(GStrv) paths = NULL;

  if (env == NULL || *env == '\0')
    return;
  paths = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(JgRubric) rubric = NULL;
      g_autoptr(GError) error = NULL;

      if (*paths[i] == '\0')
        continue;
      rubric = jg_rubric_new_from_file (paths[i], &error);
      if (rubric == NULL || !registry_add_locked (rubric, &error))
        g_warning ("Cannot load the rubric %s: %s", paths[i], error->message);
    }
}

static void
registry_ensure_locked (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JgRubric) builtin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *data;
  gsize length;

  if (registry != NULL)
    return;

  jg_common_init ();
  registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  /* The county's files first, so that one of them may even stand in for
   * the built-in version 1. */
  registry_load_overrides_locked ();

  bytes = g_resources_lookup_data (BUILTIN_RUBRIC, 0, &error);
  if (bytes == NULL)
    g_error ("The built-in rubric is missing: %s", error->message);
  data = g_bytes_get_data (bytes, &length);
  builtin = jg_rubric_new_from_data (data, (gssize) length, &error);
  if (builtin == NULL)
    g_error ("The built-in rubric is broken: %s", error->message);
  key = registry_key (builtin->id, builtin->version);
  if (!g_hash_table_contains (registry, key))
    g_hash_table_insert (registry, g_steal_pointer (&key), g_object_ref (builtin));
  else
    g_debug ("The rubric %s version %" PRId64 " from JINGUO_RUBRIC_FILE replaces the built-in one",
             builtin->id, builtin->version);
}

/**
 * jg_rubric_register:
 *
 * Adds a version of a rubric to those loaded.  Registering the same content
 * again is allowed; other content under a version already loaded is not.
 */
gboolean
jg_rubric_register (JgRubric  *rubric,
                    GError   **error)
{
  gboolean ret;

  g_return_val_if_fail (JG_IS_RUBRIC (rubric), FALSE);

  G_LOCK (registry);
  registry_ensure_locked ();
  ret = registry_add_locked (rubric, error);
  G_UNLOCK (registry);
  return ret;
}

/**
 * jg_rubric_lookup:
 * @id: (nullable): the rubric's id; %NULL for the default one
 * @version: a version, or 0 for the newest
 *
 * Returns: (transfer full): the rubric, or %NULL with JG_ERROR_NOT_FOUND
 */
JgRubric *
jg_rubric_lookup (const char  *id,
                  gint64       version,
                  GError     **error)
{
  JgRubric *found = NULL;
  g_autofree char *known_label = NULL;   /* of another version, for the message */
  GHashTableIter iter;
  gpointer value;

  if (id == NULL || *id == '\0')
    id = JG_RUBRIC_DEFAULT_ID;

  G_LOCK (registry);
  registry_ensure_locked ();
  g_hash_table_iter_init (&iter, registry);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JgRubric *rubric = value;

      if (strcmp (rubric->id, id) != 0)
        continue;
      if (known_label == NULL)
        known_label = g_strdup (jg_rubric_get_label (rubric, jg_ui_is_chinese ()));
      if (version > 0 ? rubric->version == version
                      : (found == NULL || rubric->version > found->version))
        found = rubric;
    }
  if (found != NULL)
    g_object_ref (found);
  G_UNLOCK (registry);

  if (found == NULL && known_label != NULL)
    jg_set_field_error (error, JG_ERROR_NOT_FOUND, "rubric_version",
                        _("There is no version %" PRId64 " of the rubric “%s”"), version, known_label);
  else if (found == NULL)
    jg_set_field_error (error, JG_ERROR_NOT_FOUND, "rubric",
                        _("There is no rubric “%s”"), id);
  return found;
}

/* ---- accessors ------------------------------------------------------- */

const char *
jg_rubric_get_id (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);
  return self->id;
}

gint64
jg_rubric_get_version (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->version;
}

const char *
jg_rubric_get_label (JgRubric *self,
                     gboolean  chinese)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);
  return chinese ? self->label_zh : self->label;
}

double
jg_rubric_get_max_total (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->max_total;
}

guint
jg_rubric_get_n_sections (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->sections->len;
}

const JgRubricEntry *
jg_rubric_get_section (JgRubric *self,
                       guint     section)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);
  g_return_val_if_fail (section < self->sections->len, NULL);
  return &g_array_index (self->sections, Section, section).entry;
}

guint
jg_rubric_get_n_items (JgRubric *self,
                       guint     section)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  g_return_val_if_fail (section < self->sections->len, 0);
  return g_array_index (self->sections, Section, section).items->len;
}

const JgRubricEntry *
jg_rubric_get_item (JgRubric *self,
                    guint     section,
                    guint     item)
{
  GArray *items;

  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);
  g_return_val_if_fail (section < self->sections->len, NULL);
  items = g_array_index (self->sections, Section, section).items;
  g_return_val_if_fail (item < items->len, NULL);
  return &g_array_index (items, JgRubricEntry, item);
}

/* Returns NULL for a code that is not an item (section and veto codes included). */
const JgRubricEntry *
jg_rubric_find_item (JgRubric   *self,
                     const char *code,
                     guint      *section_out)
{
  ItemRef *ref;

  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);

  ref = code ? g_hash_table_lookup (self->items, code) : NULL;
  if (ref == NULL)
    return NULL;
  if (section_out)
    *section_out = ref->section;
  return ref->entry;
}

guint
jg_rubric_get_n_vetoes (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->vetoes->len;
}

const JgRubricEntry *
jg_rubric_get_veto (JgRubric *self,
                    guint     veto)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), NULL);
  g_return_val_if_fail (veto < self->vetoes->len, NULL);
  return &g_array_index (self->vetoes, JgRubricEntry, veto);
}

double
jg_rubric_get_pass_mark (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->pass_mark;
}

guint
jg_rubric_get_n_stars (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->stars->len;
}

/* @star counts from 1: the total needed for that many stars. */
double
jg_rubric_get_star_threshold (JgRubric *self,
                              guint     star)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  g_return_val_if_fail (star >= 1 && star <= self->stars->len, 0);
  return g_array_index (self->stars, double, star - 1);
}

guint
jg_rubric_get_section_min_percent (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), 0);
  return self->section_min_percent;
}

gboolean
jg_rubric_get_level_below_first (JgRubric *self)
{
  g_return_val_if_fail (JG_IS_RUBRIC (self), TRUE);
  return self->level_below_first;
}

/* A rubric without a "designation" block uses the one in the domain
 * configuration, if that has one. */
static JsonObject *
config_designation_min (void)
{
  JsonObject *designation = jg_config_get_object (jg_config_get_default (), "designation");
  JsonObject *mins = NULL;

  if (designation == NULL || !parse_designation_min (designation, &mins, NULL))
    return NULL;
  return mins;
}

/**
 * jg_rubric_get_designation_min:
 *
 * The lowest total an approved inspection needs for a designation at
 * @level.  A level without its own minimum (city and province by default)
 * asks at least what the level below it asks.
 *
 * Returns: %FALSE when neither the rubric nor the configuration sets one
 */
gboolean
jg_rubric_get_designation_min (JgRubric   *self,
                               const char *level,
                               double     *min_total)
{
  const char * const *levels = designation_levels ();
  JsonObject *mins;

  g_return_val_if_fail (JG_IS_RUBRIC (self), FALSE);

  mins = self->designation_min ? self->designation_min : config_designation_min ();
  if (mins == NULL)
    return FALSE;
  for (int i = level_index (level); i >= 0; i--)
    {
      double points;

      if (member_points (mins, levels[i], &points))
        {
          if (min_total)
            *min_total = points;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- scoring --------------------------------------------------------- */

static gboolean
score_items (JgRubric   *self,
             JsonObject *item_scores,
             double     *section_sums,
             GError    **error)
{
  g_autoptr(GList) codes = NULL;

  if (item_scores == NULL)
    return TRUE;

  codes = json_object_get_members (item_scores);
  for (GList *l = codes; l; l = l->next)
    {
      const char *code = l->data;
      g_autofree char *field = g_strconcat ("item_scores.", code, NULL);
      ItemRef *ref = g_hash_table_lookup (self->items, code);
      double points;

      if (ref == NULL)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, field,
                              _("“%s” is not an item of the rubric “%s” version %" PRId64),
                              code, jg_rubric_get_label (self, jg_ui_is_chinese ()), self->version);
          return FALSE;
        }
      if (!node_number (json_object_get_member (item_scores, code), &points))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field,
                              _("The score of %s must be a number"), code);
          return FALSE;
        }
      if (points < 0 || points > ref->entry->max)
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, field,
                              _("The score of %s must be from 0 to %g points"),
                              code, ref->entry->max);
          return FALSE;
        }
      if (!is_half_step (points))
        {
          jg_set_field_error (error, JG_ERROR_INVALID, field,
                              _("The score of %s must be in whole or half points"), code);
          return FALSE;
        }
      section_sums[ref->section] += points;
    }
  return TRUE;
}

static gboolean
check_vetoes (JgRubric  *self,
              JsonArray *veto_hits,
              gboolean  *vetoed,
              GError   **error)
{
  *vetoed = FALSE;
  if (veto_hits == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (veto_hits); i++)
    {
      JsonNode *node = json_array_get_element (veto_hits, i);
      const char *code;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, "veto_hits",
                              _("Veto items are listed by their codes"));
          return FALSE;
        }
      code = json_node_get_string (node);
      if (!g_hash_table_contains (self->veto_codes, code))
        {
          jg_set_field_error (error, JG_ERROR_INVALID, "veto_hits",
                              _("“%s” is not a veto item of the rubric “%s” version %" PRId64),
                              code, jg_rubric_get_label (self, jg_ui_is_chinese ()), self->version);
          return FALSE;
        }
      *vetoed = TRUE;
    }
  return TRUE;
}

/**
 * jg_rubric_score:
 * @item_scores: (nullable): item code -> points; an item left out scores 0
 * @veto_hits: (nullable): codes of the veto items hit
 * @total: (out) (optional):
 * @section_totals: (out) (optional) (transfer full): section code -> points
 * @star: (out) (optional): 0 for none
 * @passed: (out) (optional):
 *
 * Any veto hit means no star and not passed.  Stars also need every
 * section at its minimum share; passing needs only the total.
 */
gboolean
jg_rubric_score (JgRubric     *self,
                 JsonObject   *item_scores,
                 JsonArray    *veto_hits,
                 double       *total,
                 JsonObject  **section_totals,
                 int          *star,
                 gboolean     *passed,
                 GError      **error)
{
  g_autofree double *sums = NULL;
  gboolean vetoed = FALSE;
  gboolean sections_ok = TRUE;
  double sum = 0;
  int stars = 0;

  g_return_val_if_fail (JG_IS_RUBRIC (self), FALSE);

  sums = g_new0 (double, self->sections->len);
  if (!score_items (self, item_scores, sums, error) ||
      !check_vetoes (self, veto_hits, &vetoed, error))
    return FALSE;

  for (guint i = 0; i < self->sections->len; i++)
    {
      const Section *section = &g_array_index (self->sections, Section, i);

      sum += sums[i];
      /* In whole numbers, so that 60 % of 25 is exactly 15. */
      if (sums[i] * 100 < (double) self->section_min_percent * section->entry.max)
        sections_ok = FALSE;
    }

  if (!vetoed && sections_ok)
    for (guint i = 0; i < self->stars->len; i++)
      if (sum >= g_array_index (self->stars, double, i))
        stars = (int) i + 1;

  if (total)
    *total = sum;
  if (star)
    *star = stars;
  if (passed)
    *passed = !vetoed && sum >= self->pass_mark;
  if (section_totals)
    {
      JsonObject *object = json_object_new ();

      for (guint i = 0; i < self->sections->len; i++)
        json_object_set_member (object, g_array_index (self->sections, Section, i).entry.code,
                                points_node (sums[i]));
      *section_totals = object;
    }
  return TRUE;
}

/* ---- queries --------------------------------------------------------- */

/* Today by the store's clock, which sync keeps corrected. */
static char *
store_today (JgStore *store)
{
  gint64 ms = jg_hlc_wall_ms (jg_store_get_hlc (store));
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
household_exists (JgStore    *store,
                  const char *household,
                  gboolean   *exists,
                  GError    **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT 1 FROM household WHERE id = ?1 AND deleted IS NOT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Whether the household holds an active (not revoked, in force on @date)
 * designation at @level. */
static gboolean
holds_level (JgStore    *store,
             const char *household,
             const char *level,
             const char *date,
             gboolean    granted_only,
             gboolean   *holds,
             GError    **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT 1 FROM designation "
                                             "WHERE household = ?1 AND level = ?2 "
                                             "AND deleted IS NOT 1 AND revoked IS NOT 1 "
                                             "AND (?4 = 0 OR review_state = 'approved') "
                                             "AND (valid_from IS NULL OR valid_from <= ?3) "
                                             "AND (valid_to IS NULL OR valid_to >= ?3) LIMIT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, granted_only);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  *holds = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
latest_approved_inspection (JgStore     *store,
                            const char  *household,
                            char       **id_out,
                            GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT id FROM inspection "
                                             "WHERE household = ?1 AND review_state = 'approved' "
                                             "AND deleted IS NOT 1 "
                                             "ORDER BY inspected_at DESC, id DESC LIMIT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, household, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  *id_out = rc == SQLITE_ROW ? g_strdup (jg_stmt_text (stmt, 0)) : NULL;
  return TRUE;
}

typedef struct
{
  gboolean found;
  char    *household;
  char    *review_state;
  char    *rubric;
  gint64   rubric_version;
  double   total;
  gboolean passed;
  gboolean vetoed;
} InspectionFacts;

static void
inspection_facts_clear (InspectionFacts *facts)
{
  g_clear_pointer (&facts->household, g_free);
  g_clear_pointer (&facts->review_state, g_free);
  g_clear_pointer (&facts->rubric, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InspectionFacts, inspection_facts_clear)

static gboolean
load_inspection_facts (JgStore         *store,
                       const char      *id,
                       InspectionFacts *facts,
                       GError         **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT household, review_state, rubric, rubric_version, "
                                             "total, passed, "
                                             "coalesce (json_valid (veto_hits) AND json_array_length (veto_hits) > 0, 0) FROM inspection "
                                             "WHERE id = ?1 AND deleted IS NOT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  facts->found = rc == SQLITE_ROW;
  if (!facts->found)
    return TRUE;
  facts->household = g_strdup (jg_stmt_text (stmt, 0));
  facts->review_state = g_strdup (jg_stmt_text (stmt, 1));
  facts->rubric = g_strdup (jg_stmt_text (stmt, 2));
  facts->rubric_version = sqlite3_column_int64 (stmt, 3);
  facts->total = sqlite3_column_double (stmt, 4);
  facts->passed = sqlite3_column_int (stmt, 5) != 0;
  facts->vetoed = sqlite3_column_int (stmt, 6) != 0;
  return TRUE;
}

/* ---- inspections ----------------------------------------------------- */

/* Which (rubric, version) an inspection is scored with: what it names; an
 * existing inspection keeps its own; a new one gets the newest. */
static JgRubric *
inspection_rubric (JsonObject  *old_record,
                   JsonObject  *new_record,
                   GError     **error)
{
  const char *old_id = old_record ? member_string (old_record, "rubric") : NULL;
  const char *new_id = member_string (new_record, "rubric");
  gint64 old_version = 0, version = 0;
  gboolean old_has_version = member_int (old_record, "rubric_version", &old_version);
  gboolean has_version = member_int (new_record, "rubric_version", &version);

  if (old_record != NULL && old_id == NULL)
    old_id = JG_RUBRIC_DEFAULT_ID;
  if (new_id == NULL)
    new_id = old_id ? old_id : JG_RUBRIC_DEFAULT_ID;

  if (old_record != NULL && g_strcmp0 (new_id, old_id) == 0)
    {
      if (!has_version && old_has_version)
        {
          version = old_version;
          has_version = TRUE;
        }
    }
  else if (old_record != NULL && has_version && old_has_version && version == old_version)
    {
      /* Another rubric named without a version: the carried-over number
       * belongs to the old rubric, so take the newest of the new one. */
      has_version = FALSE;
    }

  if (has_version && version < 1)
    {
      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, "rubric_version",
                          _("A rubric version is a whole number from 1"));
      return NULL;
    }
  return jg_rubric_lookup (new_id, has_version ? version : 0, error);
}

/* The computed fields of an inspection, in one place. */
static void
set_score (JsonObject *record,
           double      total,
           JsonObject *section_totals,
           int         star,
           gboolean    passed)
{
  json_object_set_double_member (record, "total", total);
  json_object_set_object_member (record, "section_totals", section_totals);
  json_object_set_int_member (record, "star", star);
  json_object_set_boolean_member (record, "passed", passed);
}

/* ---- submitting an inspection ---------------------------------------- */

static gboolean
has_inspector (JsonArray *inspectors)
{
  for (guint i = 0; inspectors != NULL && i < json_array_get_length (inspectors); i++)
    {
      JsonNode *node = json_array_get_element (inspectors, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          !jg_validate_text_is_blank (json_node_get_string (node)))
        return TRUE;
    }
  return FALSE;
}

/* An item scored above zero: a form may send every item, untouched ones at 0. */
static gboolean
has_score (JsonObject *item_scores)
{
  g_autoptr(GList) members = item_scores ? json_object_get_members (item_scores) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      double points = 0;

      if (node_number (json_object_get_member (item_scores, l->data), &points) && points > 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
jg_rubric_check_submit (JsonObject  *record,
                        GError     **error)
{
  JsonArray *vetoes;

  g_return_val_if_fail (record != NULL, FALSE);

  vetoes = member_array (record, "veto_hits");
  if (!has_inspector (member_array (record, "inspectors")))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "inspectors",
                          _("Name who inspected before submitting the inspection for review"));
      return FALSE;
    }
  if (!has_score (member_object (record, "item_scores")) &&
      (vetoes == NULL || json_array_get_length (vetoes) == 0))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "item_scores",
                          _("Score the items, or tick the veto item that was hit, before submitting "
                            "the inspection for review"));
      return FALSE;
    }
  /* Whether it passed, from its scores: a record put together from a
   * push's changes may carry a stale "passed". */
  jg_rubric_derive (record);
  if (!member_true (record, "passed") && member_string (record, "rectify_by") == NULL)
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "rectify_by",
                          _("An inspection that did not pass needs a rectification deadline before "
                            "it is submitted for review"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_inspection (JgStore     *store,
                  JsonObject  *old_record,
                  JsonObject  *new_record,
                  GError     **error)
{
  g_autoptr(JgRubric) rubric = NULL;
  g_autoptr(JsonObject) section_totals = NULL;
  JsonObject *item_scores = member_object (new_record, "item_scores");
  JsonNode *vetoes = json_object_get_member (new_record, "veto_hits");
  const char *household = member_string (new_record, "household");
  const char *inspected_at = member_string (new_record, "inspected_at");
  const char *rectify_by = member_string (new_record, "rectify_by");
  double total;
  int star;
  gboolean passed;

  rubric = inspection_rubric (old_record, new_record, error);
  if (rubric == NULL)
    return FALSE;
  if (!jg_rubric_score (rubric, item_scores,
                        vetoes && JSON_NODE_HOLDS_ARRAY (vetoes) ? json_node_get_array (vetoes) : NULL,
                        &total, &section_totals, &star, &passed, error))
    return FALSE;

  /* A failed inspection may wait for its deadline to be set; a deadline
   * before the visit itself is a typing mistake. */
  if (rectify_by != NULL && inspected_at != NULL && strcmp (rectify_by, inspected_at) < 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "rectify_by",
                          _("The rectification deadline cannot be before the inspection date"));
      return FALSE;
    }

  /* Checked when the reference is made, not on every later edit: a
   * household deleted afterwards must not lock its old inspections. */
  if (household != NULL &&
      (old_record == NULL || g_strcmp0 (household, member_string (old_record, "household")) != 0))
    {
      gboolean exists = FALSE;

      if (!household_exists (store, household, &exists, error))
        return FALSE;
      if (!exists)
        {
          jg_set_field_error (error, JG_ERROR_NOT_FOUND, "household",
                              _("The household of this inspection does not exist"));
          return FALSE;
        }
    }

  json_object_set_string_member (new_record, "rubric", jg_rubric_get_id (rubric));
  json_object_set_int_member (new_record, "rubric_version", jg_rubric_get_version (rubric));
  set_score (new_record, total, g_steal_pointer (&section_totals), star, passed);
  /* A deadline to put things right belongs to a failed inspection: one
   * corrected to pass keeps none (exploratory test C: a 3★ inspection
   * exported with the deadline of the veto it no longer has). */
  if (passed && rectify_by != NULL)
    json_object_set_null_member (new_record, "rectify_by");

  /* Going to review: what the reviewer needs must be there.  A draft may
   * be saved half done. */
  if (g_strcmp0 (member_string (new_record, "review_state"), "submitted") == 0 &&
      g_strcmp0 (old_record ? member_string (old_record, "review_state") : NULL, "submitted") != 0 &&
      !jg_rubric_check_submit (new_record, error))
    return FALSE;
  return TRUE;
}

/* The fields jg_rubric_derive() reads. */
const char * const jg_rubric_derive_inputs[] = {
  "rubric", "rubric_version", "item_scores", "veto_hits", NULL
};

/**
 * jg_rubric_derive:
 * @record: an inspection's fields, merged from changes
 *
 * Sets an inspection's score (total, section totals, star, passed) from its
 * item scores and veto hits under its rubric version: a score is never
 * merged field by field, so that a veto added on one laptop and scores
 * raised on another cannot meet as a veto hit with three stars.  Every
 * replica holding the same inputs derives the same score.  Leaves @record
 * as it is when its rubric version is unknown here or its scores do not
 * fit it (FALSE).
 */
gboolean
jg_rubric_derive (JsonObject *record)
{
  g_autoptr(JgRubric) rubric = NULL;
  g_autoptr(JsonObject) section_totals = NULL;
  const char *id = member_string (record, "rubric");
  JsonNode *version = json_object_get_member (record, "rubric_version");
  JsonNode *vetoes = json_object_get_member (record, "veto_hits");
  double total;
  int star;
  gboolean passed;

  if (id == NULL || version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64)
    return FALSE;
  rubric = jg_rubric_lookup (id, json_node_get_int (version), NULL);
  if (rubric == NULL ||
      !jg_rubric_score (rubric, member_object (record, "item_scores"),
                        vetoes && JSON_NODE_HOLDS_ARRAY (vetoes) ? json_node_get_array (vetoes) : NULL,
                        &total, &section_totals, &star, &passed, NULL))
    return FALSE;
  set_score (record, total, g_steal_pointer (&section_totals), star, passed);
  return TRUE;
}

static void
append_points (GString *out,
               double   points)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.10g", points);
  g_string_append (out, buf);
}

static const JgRubricEntry *
find_veto (JgRubric   *rubric,
           const char *code)
{
  for (guint v = 0; rubric != NULL && v < jg_rubric_get_n_vetoes (rubric); v++)
    if (g_strcmp0 (jg_rubric_get_veto (rubric, v)->code, code) == 0)
      return jg_rubric_get_veto (rubric, v);
  return NULL;
}

static const char *
entry_label (const JgRubricEntry *entry,
             gboolean             chinese)
{
  return chinese && entry->label_zh != NULL ? entry->label_zh : entry->label;
}

/* One "label points/max" for each member of @scores, in the rubric's own
 * order (sections, then their items); a code the rubric does not know
 * comes last by its code. */
static void
describe_scores (GString    *out,
                 JgRubric   *rubric,
                 JsonObject *scores,
                 gboolean    sections,
                 gboolean    chinese)
{
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) members = json_object_get_members (scores);
  /* Translators: between the entries of a list of scores in an exported
   * table ("Yard 27/30; Rooms 23/25") */
  const char *separator = _("; ");

  for (guint s = 0; rubric != NULL && s < jg_rubric_get_n_sections (rubric); s++)
    {
      guint n = sections ? 1 : jg_rubric_get_n_items (rubric, s);

      for (guint i = 0; i < n; i++)
        {
          const JgRubricEntry *entry = sections ? jg_rubric_get_section (rubric, s) : jg_rubric_get_item (rubric, s, i);
          JsonNode *points = json_object_get_member (scores, entry->code);

          if (points == NULL || !JSON_NODE_HOLDS_VALUE (points))
            continue;
          if (out->len > 0)
            g_string_append (out, separator);
          g_string_append_printf (out, "%s ", entry_label (entry, chinese));
          append_points (out, json_node_get_double (points));
          g_string_append_c (out, '/');
          append_points (out, entry->max);
          g_hash_table_add (done, (gpointer) entry->code);
        }
    }
  members = g_list_sort (members, (GCompareFunc) strcmp);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *points = json_object_get_member (scores, l->data);

      if (g_hash_table_contains (done, l->data))
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append_printf (out, "%s ", (const char *) l->data);
      if (JSON_NODE_HOLDS_VALUE (points) && json_node_get_value_type (points) != G_TYPE_STRING)
        append_points (out, json_node_get_double (points));
      else
        g_string_append (out, "?");
    }
}

char *
jg_rubric_describe_field (JsonObject *record,
                          const char *field,
                          gboolean    chinese)
{
  g_autoptr(JgRubric) rubric = NULL;
  JsonNode *value = record ? json_object_get_member (record, field) : NULL;
  JsonNode *version = record ? json_object_get_member (record, "rubric_version") : NULL;
  GString *out;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value) ||
      !(g_strcmp0 (field, "rubric") == 0 || g_strcmp0 (field, "item_scores") == 0 ||
        g_strcmp0 (field, "section_totals") == 0 || g_strcmp0 (field, "veto_hits") == 0))
    return NULL;
  rubric = jg_rubric_lookup (member_string (record, "rubric"),
                             version && JSON_NODE_HOLDS_VALUE (version) &&
                             json_node_get_value_type (version) == G_TYPE_INT64 ? json_node_get_int (version) : 0,
                             NULL);
  if (g_strcmp0 (field, "rubric") == 0 && rubric != NULL)
    return g_strdup (jg_rubric_get_label (rubric, chinese));
  if ((g_strcmp0 (field, "item_scores") == 0 || g_strcmp0 (field, "section_totals") == 0) &&
      JSON_NODE_HOLDS_OBJECT (value))
    {
      out = g_string_new (NULL);
      describe_scores (out, rubric, json_node_get_object (value),
                       strcmp (field, "section_totals") == 0, chinese);
      return g_string_free (out, FALSE);
    }
  if (g_strcmp0 (field, "veto_hits") == 0 && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *hits = json_node_get_array (value);

      out = g_string_new (NULL);
      for (guint i = 0; i < json_array_get_length (hits); i++)
        {
          JsonNode *node = json_array_get_element (hits, i);
          const char *code = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                             ? json_node_get_string (node) : NULL;
          const JgRubricEntry *veto = find_veto (rubric, code);

          if (code == NULL)
            continue;
          if (out->len > 0)
            /* Translators: between the entries of a list */
            g_string_append (out, _(", "));
          g_string_append (out, veto ? entry_label (veto, chinese) : code);
        }
      return g_string_free (out, FALSE);
    }
  return NULL;
}

/* ---- designations ---------------------------------------------------- */

/* The inspection a designation is granted from: of this household,
 * approved, passed, and at the level's minimum under its own rubric. */
static gboolean
check_qualifying_inspection (JgStore     *store,
                             const char  *household,
                             const char  *level,
                             const char  *inspection,
                             JgRubric   **rubric_out,
                             GError     **error)
{
  g_auto(InspectionFacts) facts = { 0 };
  g_autoptr(JgRubric) rubric = NULL;
  double min_total;

  if (!load_inspection_facts (store, inspection, &facts, error))
    return FALSE;
  if (!facts.found)
    {
      jg_set_field_error (error, JG_ERROR_NOT_FOUND, "inspection",
                          _("The inspection of this designation does not exist"));
      return FALSE;
    }
  if (g_strcmp0 (facts.household, household) != 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                          _("The inspection is of another household"));
      return FALSE;
    }
  if (g_strcmp0 (facts.review_state, "approved") != 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                          _("A designation is granted only from an approved inspection"));
      return FALSE;
    }

  rubric = jg_rubric_lookup (facts.rubric, facts.rubric_version, error);
  if (rubric == NULL)
    return FALSE;
  if (!jg_rubric_get_designation_min (rubric, level, &min_total))
    {
      jg_set_field_error (error, JG_ERROR_NOT_ALLOWED_VALUE, "level",
                          _("The rubric sets no minimum score for a designation at %s"),
                          jg_entity_choice_label ("designation", "level", level));
      return FALSE;
    }
  if (facts.vetoed)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                          _("A designation at %s cannot be granted from an inspection with a veto item"),
                          jg_entity_choice_label ("designation", "level", level));
      return FALSE;
    }
  if (facts.total < min_total)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                          _("A designation at %s needs an inspection of at least %g points; this one has %g"),
                          jg_entity_choice_label ("designation", "level", level), min_total, facts.total);
      return FALSE;
    }
  if (!facts.passed)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                          _("A designation at %s needs an inspection that passed"),
                          jg_entity_choice_label ("designation", "level", level));
      return FALSE;
    }
  if (rubric_out)
    *rubric_out = g_steal_pointer (&rubric);
  return TRUE;
}

static gboolean
check_grant (JgStore     *store,
             JsonObject  *record,
             GError     **error)
{
  const char *household = member_string (record, "household");
  const char *level = member_string (record, "level");
  const char *valid_from = member_string (record, "valid_from");
  g_autofree char *inspection = g_strdup (member_string (record, "inspection"));
  g_autoptr(JgRubric) rubric = NULL;
  gboolean exists = FALSE, holds = FALSE;
  int index = level_index (level);

  /* Missing or unknown values have been refused before the rules run. */
  if (household == NULL || index < 0 || valid_from == NULL)
    return TRUE;

  if (!household_exists (store, household, &exists, error))
    return FALSE;
  if (!exists)
    {
      jg_set_field_error (error, JG_ERROR_NOT_FOUND, "household",
                          _("The household of this designation does not exist"));
      return FALSE;
    }

  if (inspection == NULL)
    {
      if (!latest_approved_inspection (store, household, &inspection, error))
        return FALSE;
      if (inspection == NULL)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, "inspection",
                              _("The household has no approved inspection to grant a designation from"));
          return FALSE;
        }
      /* The record says which inspection granted it. */
      json_object_set_string_member (record, "inspection", inspection);
    }
  if (!check_qualifying_inspection (store, household, level, inspection, &rubric, error))
    return FALSE;

  if (!holds_level (store, household, level, valid_from, FALSE, &holds, error))
    return FALSE;
  if (holds)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "level",
                          _("The household already holds an active designation at %s"),
                          jg_entity_choice_label ("designation", "level", level));
      return FALSE;
    }

  if (jg_rubric_get_level_below_first (rubric) &&
      !jg_rubric_check_level_below (store, household, level, valid_from, error))
    return FALSE;
  return TRUE;
}

/* ---- who grants a designation, and what stays ------------------------- */

/* DOMAIN.md: "the level below held first" — held means granted (approved),
 * not revoked, and in force on @date; a draft is not held. */
gboolean
jg_rubric_check_level_below (JgStore     *store,
                             const char  *household,
                             const char  *level,
                             const char  *date,
                             GError     **error)
{
  int index = level_index (level);
  const char *below;
  gboolean holds = FALSE;

  if (index <= 0 || household == NULL || date == NULL)
    return TRUE;
  below = designation_levels ()[index - 1];
  if (!holds_level (store, household, below, date, TRUE, &holds, error))
    return FALSE;
  if (!holds)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "level",
                          /* Translators: two levels, "Township level" and "Village level" */
                          _("A designation at %s needs a granted (approved), active designation at %s first"),
                          jg_entity_choice_label ("designation", "level", level), jg_entity_choice_label ("designation", "level", below));
      return FALSE;
    }
  return TRUE;
}

/* The level of a unit from its division code (village: 12 significant
 * digits, township 9, county 6, city 4, province 2), as an index into
 * the designation levels; -1 when the code says nothing. */
static int
unit_level_index (const char *division_code)
{
  static const gsize lengths[] = { 12, 9, 6, 4, 2 };
  g_autofree char *code = jg_review_significant_code (division_code);

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (lengths); i++)
    if (strlen (code) == lengths[i])
      return (int) i;
  return -1;
}

/* A village designation is recorded in the village and approved above
 * it, like any record; a title above village is the higher federation's
 * to give: only its reviewers create or approve one. */
gboolean
jg_rubric_check_granter (const char  *level,
                         const char  *role,
                         const char  *actor_unit,
                         GError     **error)
{
  int index = level_index (level);

  if (index <= 0)
    return TRUE;
  if (!jg_review_role_is_reviewer (role) || unit_level_index (actor_unit) < index)
    {
      jg_set_field_error (error, JG_ERROR_PERMISSION, "level",
                          _("A designation at %s is granted by the reviewers of a federation at that level or higher"),
                          jg_entity_choice_label ("designation", "level", level));
      return FALSE;
    }
  return TRUE;
}

/* DOMAIN.md: a designation is "never overwritten".  Once granted its
 * content stays; it ends by revocation (摘牌), and a household earns a
 * title again with a new designation. */
static const char * const granted_fixed_fields[] = {
  "household", "level", "inspection", "valid_from", "valid_to", "plaque_no", NULL
};

gboolean
jg_rubric_check_granted_field (const char  *stored_review_state,
                               const char  *field,
                               GError     **error)
{
  if (g_strcmp0 (stored_review_state, "approved") != 0 ||
      !g_strv_contains (granted_fixed_fields, field))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_IMMUTABLE, field,
                      _("A granted designation is never changed; revoke it and grant a new one"));
  return FALSE;
}

static gboolean
check_granted_unchanged (JsonObject  *old_record,
                         JsonObject  *new_record,
                         GError     **error)
{
  const char *state = member_string (old_record, "review_state");

  for (guint i = 0; granted_fixed_fields[i] != NULL; i++)
    if (jg_validate_field_changed (old_record, new_record, granted_fixed_fields[i]) &&
        !jg_rubric_check_granted_field (state, granted_fixed_fields[i], error))
      return FALSE;
  return TRUE;
}

/* Creating a designation, and approving one, is granting it. */
static gboolean
check_granting (JgStore     *store,
                JsonObject  *old_record,
                JsonObject  *new_record,
                GError     **error)
{
  g_auto(JgActor) actor = { 0 };
  const char *level = member_string (new_record, "level");
  gboolean approving = old_record != NULL &&
                       g_strcmp0 (member_string (old_record, "review_state"), "approved") != 0 &&
                       g_strcmp0 (member_string (new_record, "review_state"), "approved") == 0;

  if (old_record != NULL && !approving)
    return TRUE;
  if (!jg_review_get_actor (store, &actor, error))
    return FALSE;
  /* Nobody signed in: the store's one user runs its own unit. */
  if (!actor.local_only && !jg_rubric_check_granter (level, actor.role, actor.org_unit, error))
    return FALSE;
  return !approving ||
         jg_rubric_check_level_below (store, member_string (new_record, "household"), level,
                                      member_string (new_record, "valid_from"), error);
}

static gboolean
check_designation (JgStore     *store,
                   JsonObject  *old_record,
                   JsonObject  *new_record,
                   GError     **error)
{
  const char *valid_from = member_string (new_record, "valid_from");
  const char *valid_to = member_string (new_record, "valid_to");
  const char *inspection = member_string (new_record, "inspection");
  gboolean revoked = member_true (new_record, "revoked");

  if (valid_from != NULL && valid_to != NULL && strcmp (valid_to, valid_from) < 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "valid_to",
                          _("A designation cannot end before it starts"));
      return FALSE;
    }

  /* 摘牌 is final: a household earns a title again with a new designation. */
  if (old_record != NULL && member_true (old_record, "revoked") && !revoked)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "revoked",
                          _("A revoked designation cannot be restored; grant a new one instead"));
      return FALSE;
    }
  if (revoked)
    {
      if (member_string (new_record, "revoked_reason") == NULL)
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, "revoked_reason",
                              _("Revoking a designation needs a reason"));
          return FALSE;
        }
      if (member_string (new_record, "revoked_at") == NULL)
        {
          g_autofree char *today = store_today (store);

          json_object_set_string_member (new_record, "revoked_at", today);
        }
    }

  if (old_record != NULL && !check_granted_unchanged (old_record, new_record, error))
    return FALSE;
  if (!check_granting (store, old_record, new_record, error))
    return FALSE;
  if (old_record == NULL)
    return check_grant (store, new_record, error);

  /* Pointing an existing designation at another inspection needs that
   * inspection to qualify as well. */
  if (inspection != NULL && g_strcmp0 (inspection, member_string (old_record, "inspection")) != 0)
    return check_qualifying_inspection (store,
                                        member_string (new_record, "household"),
                                        member_string (new_record, "level"),
                                        inspection, NULL, error);
  return TRUE;
}

/**
 * jg_rubric_designation_status:
 * @date: the day, "YYYY-MM-DD"
 *
 * The conditions holds_level() and jg_rubric_designation_coverage() put
 * in SQL, for one designation as read: a revoked one is revoked whatever
 * its review state; one not approved is not granted yet, however its
 * dates read.
 */
JgDesignationStatus
jg_rubric_designation_status (JsonObject *designation,
                              const char *date)
{
  const char *from, *to;

  g_return_val_if_fail (designation != NULL, JG_DESIGNATION_NOT_GRANTED);
  g_return_val_if_fail (date != NULL, JG_DESIGNATION_NOT_GRANTED);

  if (member_true (designation, "revoked"))
    return JG_DESIGNATION_REVOKED;
  if (g_strcmp0 (member_string (designation, "review_state"), "approved") != 0)
    return JG_DESIGNATION_NOT_GRANTED;
  from = member_string (designation, "valid_from");
  to = member_string (designation, "valid_to");
  if (from != NULL && strcmp (from, date) > 0)
    return JG_DESIGNATION_NOT_YET;
  if (to != NULL && strcmp (to, date) < 0)
    return JG_DESIGNATION_EXPIRED;
  return JG_DESIGNATION_IN_FORCE;
}

/**
 * jg_rubric_designation_should_revoke:
 * @level: (nullable): the level of the designation; %NULL for any
 * @out_reason: (out) (optional) (transfer full): why, for the reviewer
 *
 * DOMAIN.md: a designation is revoked (摘牌) when a re-inspection fails
 * twice.  TRUE when the household holds an active designation (at @level)
 * and its last two approved re-inspections since that designation began
 * both failed.  Only approved re-inspections count: a draft is not yet a
 * finding.
 */
gboolean
jg_rubric_designation_should_revoke (JgStore     *store,
                                     const char  *household_id,
                                     const char  *level,
                                     char       **out_reason,
                                     GError     **error)
{
  g_autofree char *today = NULL;
  g_autofree char *since = NULL;
  char *dates[2] = { NULL, NULL };
  guint n_failed = 0;
  gboolean any = FALSE;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);
  g_return_val_if_fail (household_id != NULL, FALSE);

  if (out_reason)
    *out_reason = NULL;
  today = store_today (store);

  {
    g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                               "SELECT count (*), min (valid_from) FROM designation "
                                               "WHERE household = ?1 AND (?2 IS NULL OR level = ?2) "
                                               "AND deleted IS NOT 1 AND revoked IS NOT 1 "
                                               "AND (valid_to IS NULL OR valid_to >= ?3)",
                                               error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
    if (level != NULL)
      sqlite3_bind_text (stmt, 2, level, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, today, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return jg_store_sqlite_error (store, error);
    any = sqlite3_column_int64 (stmt, 0) > 0;
    since = g_strdup (jg_stmt_text (stmt, 1));
  }
  if (!any)
    return FALSE;

  {
    g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                               "SELECT inspected_at, passed FROM inspection "
                                               "WHERE household = ?1 AND stage = 'reinspection' "
                                               "AND review_state = 'approved' AND deleted IS NOT 1 "
                                               "AND (?2 IS NULL OR inspected_at >= ?2) "
                                               "ORDER BY inspected_at DESC, id DESC LIMIT 2",
                                               error);
    guint n = 0;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, household_id, -1, SQLITE_TRANSIENT);
    if (since != NULL)
      sqlite3_bind_text (stmt, 2, since, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        dates[n++] = g_strdup (jg_stmt_text (stmt, 0));
        if (sqlite3_column_int (stmt, 1) == 0)
          n_failed++;
      }
    if (rc != SQLITE_DONE)
      {
        g_free (dates[0]);
        g_free (dates[1]);
        return jg_store_sqlite_error (store, error);
      }
  }

  if (n_failed == 2 && out_reason)
    *out_reason = g_strdup_printf (_("The re-inspections of %s and %s both failed"),
                                   dates[1], dates[0]);
  g_free (dates[0]);
  g_free (dates[1]);
  return n_failed == 2;
}

/**
 * jg_rubric_designation_coverage:
 * @org_unit_path_prefix: (nullable): the subtree, as in #JgListQuery; %NULL for all
 * @designated: (out): households not deleted holding an approved designation
 *   in force today at any level
 * @households: (out): all households not deleted, approved or not
 *
 * Designations count when approved, as in every report figure (jg-stats.c);
 * households are the register, and all of them count.
 *
 * Coverage (示范户占比) is @designated / @households.
 */
gboolean
jg_rubric_designation_coverage (JgStore     *store,
                                const char  *org_unit_path_prefix,
                                gint64      *designated,
                                gint64      *households,
                                GError     **error)
{
  g_autofree char *today = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  today = store_today (store);

  {
    g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                               "SELECT count (*) FROM household "
                                               "WHERE deleted IS NOT 1 "
                                               "AND (?1 IS NULL OR org_unit IN (SELECT division_code FROM org_unit "
                                               "     WHERE substr (path, 1, length (?1)) = ?1))",
                                               error);
    if (stmt == NULL)
      return FALSE;
    if (org_unit_path_prefix != NULL)
      sqlite3_bind_text (stmt, 1, org_unit_path_prefix, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return jg_store_sqlite_error (store, error);
    if (households)
      *households = sqlite3_column_int64 (stmt, 0);
  }

  {
    g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                               "SELECT count (DISTINCT d.household) FROM designation d "
                                               "JOIN household h ON h.id = d.household "
                                               "WHERE h.deleted IS NOT 1 AND d.deleted IS NOT 1 "
                                               "AND d.revoked IS NOT 1 AND d.review_state = 'approved' "
                                               "AND (d.valid_from IS NULL OR d.valid_from <= ?2) "
                                               "AND (d.valid_to IS NULL OR d.valid_to >= ?2) "
                                               "AND (?1 IS NULL OR h.org_unit IN (SELECT division_code FROM org_unit "
                                               "     WHERE substr (path, 1, length (?1)) = ?1))",
                                               error);
    if (stmt == NULL)
      return FALSE;
    if (org_unit_path_prefix != NULL)
      sqlite3_bind_text (stmt, 1, org_unit_path_prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return jg_store_sqlite_error (store, error);
    if (designated)
      *designated = sqlite3_column_int64 (stmt, 0);
  }
  return TRUE;
}

/* ---- the write rule -------------------------------------------------- */

gboolean
jg_rubric_check_write (JgStore           *store,
                      const JgEntityDef *entity,
                      JsonObject        *old_record,
                      JsonObject        *new_record,
                      GError           **error)
{
  if (strcmp (entity->name, "inspection") == 0)
    return check_inspection (store, old_record, new_record, error);
  if (strcmp (entity->name, "designation") == 0)
    return check_designation (store, old_record, new_record, error);
  return TRUE;
}
