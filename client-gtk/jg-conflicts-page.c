/* jg-conflicts-page.c: the conflicts sync found, for a reviewer to settle
 *
 * A hard conflict shows both values side by side with who wrote each and
 * when; the reviewer keeps one or types another, and
 * jg_sync_resolve_conflict() makes that decision a new change, which every
 * laptop receives with the next sync.  Soft conflicts are listed only.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-entity.h"
#include "jg-export.h"
#include "jg-export-ui.h"
#include "jg-json.h"
#include "jg-conflicts-page.h"
#include "jg-sync-client.h"

struct _JgConflictsPage
{
  AdwBin         parent_instance;

  JgStoreWorker *worker;
  JsonArray     *conflicts;
  GCancellable  *cancellable;      /* reading the list */
  GCancellable  *job_cancellable;  /* a decision being written */

  /* Template widgets */
  GtkStack      *stack;
  GtkWidget     *hard_group;
  GtkWidget     *soft_group;
  GtkListBox    *hard_list;
  GtkListBox    *soft_list;
};

G_DEFINE_FINAL_TYPE (JgConflictsPage, jg_conflicts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (JgConflictsPage *self);

static void
remove_all (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* As every list shows it: a phone masked (DOMAIN.md); "Keep" still
 * writes the value itself. */
static char *
value_text (const char *field,
            JsonNode   *node)
{
  char *text = jg_export_list_value (field, node);

  return text ? text : g_strdup (_("(empty)"));
}

static char *
side_text (JsonObject *side)
{
  const char *author = json_object_get_string_member_with_default (side, "author", NULL);
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (json_object_get_string_member (side, "at"), NULL);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");

  /* Translators: who wrote a value, when, and on which laptop */
  return g_strdup_printf (_("%s · %s · laptop %.8s"), author ? author : _("unknown"), when,
                          json_object_get_string_member_with_default (side, "replica", ""));
}

static void
keep_clicked_cb (GtkButton       *button,
                 JgConflictsPage *self)
{
  JsonNode *value = g_object_get_data (G_OBJECT (button), "jg-value");
  const char *id = g_object_get_data (G_OBJECT (button), "jg-conflict");

  jg_conflicts_page_resolve (self, id, value);
}

static void
typed_apply_cb (AdwEntryRow     *row,
                JgConflictsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "jg-conflict");
  const char *type = g_object_get_data (G_OBJECT (row), "jg-type");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(JsonNode) value = NULL;

  /* Numbers and other non-text values are typed as JSON. */
  if (g_strcmp0 (type, "text") == 0)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, text);
    }
  else if ((value = jg_json_parse (text, -1, NULL)) == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), _("That is not a value this field can hold"));
      return;
    }
  jg_conflicts_page_resolve (self, id, value);
}

static GtkWidget *
hard_row (JgConflictsPage *self,
          JsonObject      *c)
{
  const char *field = json_object_get_string_member (c, "field");
  const char *entity_name = json_object_get_string_member (c, "entity");
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  const JgFieldDef *def = entity ? jg_entity_field (entity, field, NULL) : NULL;
  JsonArray *values = json_object_get_array_member (c, "values");
  GtkWidget *expander = adw_expander_row_new ();
  const char *label = jg_field_label (field);
  g_autofree char *title = g_strdup_printf ("%s · %s", jg_entity_label (entity_name), label ? label : field);
  GtkWidget *typed;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  /* The record as people know it (its head, its title), else its id. */
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 json_object_get_string_member_with_default (c, "title",
                                                                             json_object_get_string_member (c, "record")));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *side = json_array_get_object_element (values, i);
      JsonNode *value = json_object_get_member (side, "value");
      g_autofree char *text = value_text (field, value);
      g_autofree char *who = side_text (side);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Keep"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), who);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, i == 0 ? "keep-a" : "keep-b");
      g_object_set_data_full (G_OBJECT (button), "jg-value",
                              value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL),
                              (GDestroyNotify) json_node_unref);
      g_object_set_data_full (G_OBJECT (button), "jg-conflict",
                              g_strdup (json_object_get_string_member (c, "id")), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (keep_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  typed = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (typed), _("Or type the right value"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (typed), TRUE);
  g_object_set_data_full (G_OBJECT (typed), "jg-conflict",
                          g_strdup (json_object_get_string_member (c, "id")), g_free);
  g_object_set_data (G_OBJECT (typed), "jg-type",
                     (gpointer) (def == NULL || def->type == JG_FIELD_TEXT || def->type == JG_FIELD_DATE ||
                                 def->type == JG_FIELD_DATETIME || def->type == JG_FIELD_ENUM ||
                                 def->type == JG_FIELD_UNIT || def->type == JG_FIELD_REF ? "text" : "json"));
  g_signal_connect_object (typed, "apply", G_CALLBACK (typed_apply_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), typed);
  return expander;
}

static GtkWidget *
soft_row (JsonObject *c)
{
  JsonArray *values = json_object_get_array_member (c, "values");
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("%s · %s", jg_entity_label (json_object_get_string_member (c, "entity")),
                                            json_object_get_string_member_with_default (c, "title",
                                                                                        json_object_get_string_member (c, "record")));

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *side = json_array_get_object_element (values, i);
      g_autofree char *who = side_text (side);
      const char *field = json_object_get_string_member_with_default (side, "field", "");
      const char *label = jg_field_label (field);

      if (i > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, "%s: %s", label ? label : field, who);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  return row;
}

static void
show (JgConflictsPage *self)
{
  guint n_hard = 0, n_soft = 0;

  remove_all (self->hard_list);
  remove_all (self->soft_list);
  for (guint i = 0; self->conflicts && i < json_array_get_length (self->conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (self->conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "hard") == 0)
        {
          gtk_list_box_append (self->hard_list, hard_row (self, c));
          n_hard++;
        }
      else
        {
          gtk_list_box_append (self->soft_list, soft_row (c));
          n_soft++;
        }
    }
  gtk_widget_set_visible (self->hard_group, n_hard > 0);
  gtk_widget_set_visible (self->soft_group, n_soft > 0);
  gtk_stack_set_visible_child_name (self->stack, n_hard + n_soft > 0 ? "list" : "empty");
}

static JsonNode *
list_func (JgStore            *store,
           gpointer            data,
           JgDemoProgressFunc  report,
           gpointer            report_data,
           GCancellable       *cancellable,
           GError            **error)
{
  JsonArray *array = jg_store_list_conflicts (store, FALSE, error);
  JsonNode *node;

  if (array == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JgConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->conflicts, json_array_unref);
  self->conflicts = json_array_ref (json_node_get_array (node));
  show (self);
}

static void
reload (JgConflictsPage *self)
{
  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  jg_store_worker_run_async (self->worker, list_func, NULL, NULL, NULL, NULL, NULL,
                             self->cancellable, list_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgConflictsPage *self,
                   const char      *entity,
                   JgStoreWorker   *worker)
{
  reload (self);
}

typedef struct
{
  char     *id;
  JsonNode *value;
  char     *entity;
} Decision;

static void
decision_free (Decision *d)
{
  g_free (d->id);
  g_free (d->entity);
  json_node_unref (d->value);
  g_free (d);
}

static JsonNode *
resolve_func (JgStore            *store,
              gpointer            data,
              JgDemoProgressFunc  report,
              gpointer            report_data,
              GCancellable       *cancellable,
              GError            **error)
{
  Decision *d = data;
  g_autofree char *change = jg_sync_resolve_conflict (store, d->id, d->value, error);
  JsonNode *node;

  if (change == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, change);
  return node;
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  g_clear_object (&self->job_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  jg_export_ui_toast (GTK_WIDGET (self), _("Decided; every laptop receives it with the next sync"));
  reload (self);
}

/* Settles one conflict with value, through the worker. */
void
jg_conflicts_page_resolve (JgConflictsPage *self,
                           const char      *conflict_id,
                           JsonNode        *value)
{
  Decision *d;
  const char *entity = NULL;

  g_return_if_fail (JG_IS_CONFLICTS_PAGE (self));
  g_return_if_fail (conflict_id != NULL && value != NULL);

  if (self->worker == NULL || self->job_cancellable != NULL)
    return;
  for (guint i = 0; self->conflicts && i < json_array_get_length (self->conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (self->conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "id"), conflict_id) == 0)
        entity = json_object_get_string_member (c, "entity");
    }
  self->job_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  d = g_new0 (Decision, 1);
  d->id = g_strdup (conflict_id);
  d->value = json_node_copy (value);
  d->entity = g_strdup (entity);
  /* "changed" for the record's type refreshes its lists and this page. */
  jg_store_worker_run_async (self->worker, resolve_func, d, (GDestroyNotify) decision_free,
                             entity ? entity : "sync", NULL, NULL, self->job_cancellable,
                             resolve_cb, g_object_ref (self));
}

static void
jg_conflicts_page_dispose (GObject *object)
{
  JgConflictsPage *self = (JgConflictsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->conflicts, json_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_CONFLICTS_PAGE);

  G_OBJECT_CLASS (jg_conflicts_page_parent_class)->dispose (object);
}

static void
jg_conflicts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JgConflictsPage *self = JG_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->job_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_conflicts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JgConflictsPage *self = JG_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      jg_conflicts_page_set_worker (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_conflicts_page_class_init (JgConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_conflicts_page_dispose;
  object_class->get_property = jg_conflicts_page_get_property;
  object_class->set_property = jg_conflicts_page_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_group);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, soft_group);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_list);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, soft_list);
}

static void
jg_conflicts_page_init (JgConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JgStoreWorker *
jg_conflicts_page_get_worker (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), NULL);

  return self->worker;
}

void
jg_conflicts_page_set_worker (JgConflictsPage *self,
                              JgStoreWorker   *worker)
{
  g_return_if_fail (JG_IS_CONFLICTS_PAGE (self));

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (!g_set_object (&self->worker, worker))
    return;
  if (worker != NULL)
    g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

/* The open conflicts as jg_store_list_conflicts() gives them; NULL before
 * the first read. */
JsonArray *
jg_conflicts_page_get_conflicts (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), NULL);

  return self->conflicts;
}

gboolean
jg_conflicts_page_get_busy (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), FALSE);

  return self->job_cancellable != NULL;
}
