/* jg-record-page.c: one record type as a searchable, lazily read table */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-config.h"
#include "jg-gui.h"
#include "jg-json.h"
#include "jg-record-page.h"

struct _JgRecordPage
{
  AdwBin          parent_instance;

  JgStoreWorker  *worker;
  JgRecordList   *model;
  char           *entity;
  const char * const *categories;   /* activity categories, owned by the config */
  const char     *date_field;       /* what the date filter narrows, or NULL */
  GPtrArray      *date_bounds;      /* from, to of each date item; item 0: NULL, NULL */
  GPtrArray      *unit_paths;       /* the path of each unit item; item 0 (all): NULL */
  GCancellable   *units_cancellable;
  guint           setting_units : 1;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkDropDown    *state_dropdown;
  GtkDropDown    *category_dropdown;
  GtkDropDown    *unit_dropdown;
  GtkDropDown    *date_dropdown;
  GtkSpinner     *spinner;
  GtkLabel       *count_label;
  GtkStack       *stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (JgRecordPage, jg_record_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENTITY,
  PROP_WORKER,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  PROP_EMPTY_ICON_NAME,
  N_PROPS
};

enum {
  ACTIVATE_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  const char *entity;
  const char *field;
  const char *title;   /* N_() */
  gboolean    expand;
} Column;

static const Column columns[] = {
  { "activity", "title", N_("Title"), TRUE },
  { "activity", "category", N_("Category"), FALSE },
  { "activity", "start_at", N_("Date"), FALSE },
  { "activity", "location", N_("Place"), TRUE },
  { "activity", "participants", N_("Participants"), FALSE },
  { "activity", "review_state", N_("State"), FALSE },

  { "volunteer", "name", N_("Name"), TRUE },
  { "volunteer", "gender", N_("Gender"), FALSE },
  { "volunteer", "phone", N_("Phone"), FALSE },
  { "volunteer", "team", N_("Team"), TRUE },
  { "volunteer", "joined_at", N_("Joined"), FALSE },
  { "volunteer", "review_state", N_("State"), FALSE },

  { "household", "head_name", N_("Head of Household"), TRUE },
  { "household", "address", N_("Address"), TRUE },
  { "household", "member_count", N_("Members"), FALSE },
  { "household", "phone", N_("Phone"), FALSE },
  { "household", "review_state", N_("State"), FALSE },

  { "award", "family_name", N_("Family"), TRUE },
  { "award", "award_type", N_("Award"), TRUE },
  { "award", "level", N_("Level"), FALSE },
  { "award", "year", N_("Year"), FALSE },
  { "award", "state", N_("Stage"), FALSE },
};

/* The field the date filter narrows for each record type; an integer
 * field is a year, and offers years only. */
static const struct {
  const char *entity;
  const char *field;
  gboolean    years_only;
} date_fields[] = {
  { "activity", "start_at", FALSE },
  { "inspection", "inspected_at", FALSE },
  { "service_entry", "served_at", FALSE },
  { "award", "year", TRUE },
};

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const char               *field)
{
  JgRecord *record = gtk_list_item_get_item (item);
  g_autofree char *text = jg_record_dup_display (record, field);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_columns (JgRecordPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkListItemFactory) factory = NULL;
      g_autoptr(GtkColumnViewColumn) column = NULL;

      if (strcmp (columns[i].entity, self->entity) != 0)
        continue;

      factory = gtk_signal_list_item_factory_new ();
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) columns[i].field);
      column = gtk_column_view_column_new (_(columns[i].title), g_steal_pointer (&factory));
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static void
update_state (JgRecordPage *self)
{
  guint n = 0;
  const char *visible = "list";
  g_autofree char *count = NULL;

  if (self->model != NULL)
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
      if (jg_record_list_get_ready (self->model) && n == 0)
        visible = jg_record_list_get_narrowed (self->model) ? "no-results" : "empty";
      gtk_spinner_set_spinning (self->spinner, jg_record_list_get_loading (self->model));
    }

  gtk_stack_set_visible_child_name (self->stack, visible);
  /* The search entry and filters stay for "no-results" so they can be undone. */
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), strcmp (visible, "empty") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->state_dropdown), strcmp (visible, "empty") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->category_dropdown),
                          self->categories != NULL && strcmp (visible, "empty") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_dropdown),
                          self->unit_paths->len > 1 && strcmp (visible, "empty") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->date_dropdown),
                          self->date_field != NULL && strcmp (visible, "empty") != 0);

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record", "%u records", n), n);
  gtk_label_set_text (self->count_label, count);
}

static void
search_changed_cb (JgRecordPage   *self,
                   GtkSearchEntry *entry)
{
  if (self->model != NULL)
    jg_record_list_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* The order of the state drop-down's items in the template. */
static const char * const filter_states[] = { NULL, "draft", "submitted", "approved", "returned" };

static void
state_selected_cb (JgRecordPage *self,
                   GParamSpec   *pspec,
                   GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->model != NULL)
    jg_record_list_set_filter (self->model, "review_state",
                               i < G_N_ELEMENTS (filter_states) ? filter_states[i] : NULL);
}

static void
category_selected_cb (JgRecordPage *self,
                      GParamSpec   *pspec,
                      GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *category = NULL;

  /* Item 0 is "all categories". */
  if (self->categories != NULL && i > 0 && i <= g_strv_length ((char **) self->categories))
    category = self->categories[i - 1];
  if (self->model != NULL)
    jg_record_list_set_filter (self->model, "category", category);
}

static void
unit_selected_cb (JgRecordPage *self,
                  GParamSpec   *pspec,
                  GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  /* Item 0 is "all units". */
  if (self->model != NULL && !self->setting_units)
    jg_record_list_set_filter (self->model, JG_STORE_WORKER_UNIT_PATH,
                               i < self->unit_paths->len ? g_ptr_array_index (self->unit_paths, i) : NULL);
}

/* Townships, and villages after their township's name; keeps the unit
 * chosen if it is still there. */
static void
set_units (JgRecordPage *self,
           JsonArray    *units)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GHashTable) townships = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *keep = NULL;
  guint selected = gtk_drop_down_get_selected (self->unit_dropdown);
  guint n = units ? json_array_get_length (units) : 0;

  if (selected < self->unit_paths->len)
    keep = g_strdup (g_ptr_array_index (self->unit_paths, selected));
  selected = 0;
  g_ptr_array_set_size (self->unit_paths, 0);

  gtk_string_list_append (labels, _("All Units"));
  g_ptr_array_add (self->unit_paths, NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *unit = json_array_get_object_element (units, i);
      const char *code = jg_json_get_string (unit, "code");
      const char *name = jg_json_get_string (unit, "name");
      const char *path = jg_json_get_string (unit, "path");
      const char *parent = jg_json_get_string (unit, "parent");
      const char *township = parent ? g_hash_table_lookup (townships, parent) : NULL;
      g_autofree char *label = NULL;

      if (code == NULL || name == NULL || path == NULL)
        continue;
      if (g_strcmp0 (jg_json_get_string (unit, "level"), "township") == 0)
        g_hash_table_insert (townships, (gpointer) code, (gpointer) name);
      if (township != NULL)
        /* Translators: a village in the unit filter: "township · village" */
        label = g_strdup_printf (C_("unit filter", "%s · %s"), township, name);
      gtk_string_list_append (labels, label ? label : name);
      if (g_strcmp0 (path, keep) == 0)
        selected = self->unit_paths->len;
      g_ptr_array_add (self->unit_paths, g_strdup (path));
    }

  self->setting_units = TRUE;
  gtk_drop_down_set_model (self->unit_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->unit_dropdown, selected);
  self->setting_units = FALSE;
  unit_selected_cb (self, NULL, self->unit_dropdown);
  update_state (self);
}

static void
area_units_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JgRecordPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) units = jg_store_worker_area_units_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (units == NULL)
    g_warning ("Could not read the org units: %s", error->message);
  else
    set_units (self, units);
}

static void
reload_units (JgRecordPage *self)
{
  g_cancellable_cancel (self->units_cancellable);
  g_clear_object (&self->units_cancellable);
  if (self->worker == NULL)
    return;
  self->units_cancellable = g_cancellable_new ();
  jg_store_worker_area_units_async (self->worker, self->units_cancellable,
                                    area_units_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgRecordPage  *self,
                   const char    *entity,
                   JgStoreWorker *worker)
{
  /* A sign-in or sign-out may change the store's unit. */
  if (g_strcmp0 (entity, "sync") == 0)
    reload_units (self);
}

static void
date_selected_cb (JgRecordPage *self,
                  GParamSpec   *pspec,
                  GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *from = NULL;
  const char *to = NULL;

  /* Item 0 is "any time". */
  if (i > 0 && 2 * i + 1 < self->date_bounds->len)
    {
      from = g_ptr_array_index (self->date_bounds, 2 * i);
      to = g_ptr_array_index (self->date_bounds, 2 * i + 1);
    }
  if (self->model != NULL)
    jg_record_list_set_range (self->model, from || to ? self->date_field : NULL, from, to);
}

/* A bound of the date filter: "2024-03-01", or "2024" for a year field. */
static char *
date_bound (gboolean years_only,
            int      year,
            int      month)
{
  if (month > 12)
    {
      year++;
      month = 1;
    }
  if (years_only)
    return g_strdup_printf ("%d", year);
  return g_strdup_printf ("%04d-%02d-01", year, month);
}

static void
add_date_item (JgRecordPage  *self,
               GtkStringList *labels,
               int            year,
               int            month,     /* 0: the whole year */
               gboolean       years_only)
{
  g_autoptr(GDateTime) date = g_date_time_new_local (year, MAX (month, 1), 1, 0, 0, 0);
  g_autofree char *label = NULL;

  if (month == 0)
    /* Translators: a year in the list's date filter, see g_date_time_format() */
    label = g_date_time_format (date, C_("date filter", "%Y"));
  else
    /* Translators: a month in the list's date filter, see g_date_time_format() */
    label = g_date_time_format (date, C_("date filter", "%B %Y"));
  if (label == NULL)
    label = month == 0 ? g_strdup_printf ("%d", year) : g_strdup_printf ("%d-%02d", year, month);
  gtk_string_list_append (labels, label);
  g_ptr_array_add (self->date_bounds, date_bound (years_only, year, MAX (month, 1)));
  g_ptr_array_add (self->date_bounds, month == 0 ? date_bound (years_only, year + 1, 1)
                                                 : date_bound (years_only, year, month + 1));
}

/* "Any time", this year, last year and the months of this year. */
static void
setup_date_filter (JgRecordPage *self)
{
  g_autoptr(GtkStringList) labels = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean years_only = FALSE;
  int year;

  for (guint i = 0; i < G_N_ELEMENTS (date_fields); i++)
    if (strcmp (date_fields[i].entity, self->entity) == 0)
      {
        self->date_field = date_fields[i].field;
        years_only = date_fields[i].years_only;
      }
  if (self->date_field == NULL)
    return;

  now = g_date_time_new_now_local ();
  year = g_date_time_get_year (now);
  labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, _("Any Time"));
  g_ptr_array_add (self->date_bounds, NULL);
  g_ptr_array_add (self->date_bounds, NULL);
  add_date_item (self, labels, year, 0, years_only);
  add_date_item (self, labels, year - 1, 0, years_only);
  for (int month = 1; !years_only && month <= 12; month++)
    add_date_item (self, labels, year, month, years_only);
  gtk_drop_down_set_model (self->date_dropdown, G_LIST_MODEL (labels));
}

static void
stop_search_cb (JgRecordPage   *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
column_view_activate_cb (JgRecordPage  *self,
                         guint          position,
                         GtkColumnView *view)
{
  g_autoptr(JgRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (record != NULL && jg_record_get_loaded (record))
    g_signal_emit (self, signals[ACTIVATE_RECORD], 0, record);
}

static void
jg_record_page_dispose (GObject *object)
{
  JgRecordPage *self = (JgRecordPage *)object;

  g_cancellable_cancel (self->units_cancellable);
  g_clear_object (&self->units_cancellable);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_object (&self->worker);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_RECORD_PAGE);

  G_OBJECT_CLASS (jg_record_page_parent_class)->dispose (object);
}

static void
jg_record_page_finalize (GObject *object)
{
  JgRecordPage *self = (JgRecordPage *)object;

  g_clear_pointer (&self->entity, g_free);
  g_clear_pointer (&self->date_bounds, g_ptr_array_unref);
  g_clear_pointer (&self->unit_paths, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_record_page_parent_class)->finalize (object);
}

static void
jg_record_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgRecordPage *self = JG_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;

    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_EMPTY_TITLE:
      g_value_set_string (value, adw_status_page_get_title (self->empty_page));
      break;

    case PROP_EMPTY_DESCRIPTION:
      g_value_set_string (value, adw_status_page_get_description (self->empty_page));
      break;

    case PROP_EMPTY_ICON_NAME:
      g_value_set_string (value, adw_status_page_get_icon_name (self->empty_page));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_record_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgRecordPage *self = JG_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENTITY:
      self->entity = g_value_dup_string (value);
      break;

    case PROP_WORKER:
      jg_record_page_set_worker (self, g_value_get_object (value));
      break;

    case PROP_EMPTY_TITLE:
      adw_status_page_set_title (self->empty_page, g_value_get_string (value));
      break;

    case PROP_EMPTY_DESCRIPTION:
      adw_status_page_set_description (self->empty_page, g_value_get_string (value));
      break;

    case PROP_EMPTY_ICON_NAME:
      adw_status_page_set_icon_name (self->empty_page, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_record_page_constructed (GObject *object)
{
  JgRecordPage *self = (JgRecordPage *)object;

  G_OBJECT_CLASS (jg_record_page_parent_class)->constructed (object);

  g_return_if_fail (self->entity != NULL);
  add_columns (self);

  if (strcmp (self->entity, "activity") == 0)
    {
      JgConfig *config = jg_config_get_default ();
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      self->categories = jg_config_get_list (config, "activity_categories");
      gtk_string_list_append (labels, _("All Categories"));
      for (guint i = 0; self->categories && self->categories[i]; i++)
        gtk_string_list_append (labels, jg_config_get_label (config, "activity_categories",
                                                             self->categories[i], TRUE));
      gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (labels));
    }
  setup_date_filter (self);
  update_state (self);
}

static void
jg_record_page_class_init (JgRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_record_page_constructed;
  object_class->dispose = jg_record_page_dispose;
  object_class->finalize = jg_record_page_finalize;
  object_class->get_property = jg_record_page_get_property;
  object_class->set_property = jg_record_page_set_property;

  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMPTY_TITLE] =
    g_param_spec_string ("empty-title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMPTY_DESCRIPTION] =
    g_param_spec_string ("empty-description", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMPTY_ICON_NAME] =
    g_param_spec_string ("empty-icon-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgRecordPage::activate-record:
   * @record: the record a row shows
   */
  signals[ACTIVATE_RECORD] =
    g_signal_new ("activate-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JG_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, JgRecordPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, state_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, unit_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
}

static void
jg_record_page_init (JgRecordPage *self)
{
  self->date_bounds = g_ptr_array_new_with_free_func (g_free);
  self->unit_paths = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
}

const char *
jg_record_page_get_entity (JgRecordPage *self)
{
  g_return_val_if_fail (JG_IS_RECORD_PAGE (self), NULL);

  return self->entity;
}

JgStoreWorker *
jg_record_page_get_worker (JgRecordPage *self)
{
  g_return_val_if_fail (JG_IS_RECORD_PAGE (self), NULL);

  return self->worker;
}

/* The page reads nothing until it has a worker. */
void
jg_record_page_set_worker (JgRecordPage  *self,
                           JgStoreWorker *worker)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  g_return_if_fail (JG_IS_RECORD_PAGE (self));
  g_return_if_fail (!worker || JG_IS_STORE_WORKER (worker));

  if (self->worker == worker)
    return;
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  if (worker != NULL)
    {
      self->model = jg_record_list_new (worker, self->entity);
      g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->model, "notify::ready", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model))));
      gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
      gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
      g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);

      /* The new list keeps the filters chosen; the units are the new store's. */
      state_selected_cb (self, NULL, self->state_dropdown);
      category_selected_cb (self, NULL, self->category_dropdown);
      date_selected_cb (self, NULL, self->date_dropdown);
    }
  gtk_column_view_set_model (self->column_view, selection);
  set_units (self, NULL);
  reload_units (self);

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

JgRecordList *
jg_record_page_get_model (JgRecordPage *self)
{
  g_return_val_if_fail (JG_IS_RECORD_PAGE (self), NULL);

  return self->model;
}

void
jg_record_page_focus_search (JgRecordPage *self)
{
  g_return_if_fail (JG_IS_RECORD_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* "list", "empty" or "no-results": what the page shows. */
const char *
jg_record_page_get_state (JgRecordPage *self)
{
  g_return_val_if_fail (JG_IS_RECORD_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
