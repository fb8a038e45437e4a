/* jg-activity-form.c: the form of an activity (活动)
 *
 * New or existing (record-id).  An existing record is read through the
 * worker; saving sends, in one put, the fields the user changed on the versions
 * she saw (jg_form_load_async()), so the store takes all of them or none,
 * and its error is shown at its field.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-activity-form.h"
#include "jg-config.h"
#include "jg-form.h"
#include "jg-ledger-form.h"

#define ENTITY "activity"

struct _JgActivityForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *record_id;
  JsonObject     *record;        /* as read, NULL for a new one */
  GCancellable   *cancellable;
  GtkWindow      *child_form;    /* hours for participants, until destroyed */
  const char * const *categories;
  guint           busy : 1;

  /* Template widgets */
  GtkRevealer    *review_revealer;
  GtkLabel       *review_label;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwEntryRow    *title_row;
  AdwComboRow    *category_row;
  AdwEntryRow    *start_at_row;
  AdwEntryRow    *end_at_row;
  AdwEntryRow    *location_row;
  AdwEntryRow    *organizer_row;
  AdwEntryRow    *partners_row;
  AdwEntryRow    *org_unit_row;
  AdwEntryRow    *participants_row;
  AdwEntryRow    *participants_women_row;
  AdwEntryRow    *participants_children_row;
  AdwEntryRow    *beneficiaries_row;
  AdwEntryRow    *funds_yuan_row;
  GtkTextView    *summary_view;
  GtkWidget      *hours_group;
};

G_DEFINE_FINAL_TYPE (JgActivityForm, jg_activity_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_RECORD_ID,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const fields[] = {
  "title", "category", "start_at", "end_at", "location", "organizer", "partners", "org_unit",
  "participants", "participants_women", "participants_children", "beneficiaries",
  "funds_yuan", "summary", NULL
};

static const char * const bound_by_name[] = {
  "title_error",
  "category_error",
  "start_at_error",
  "end_at_error",
  "location_error",
  "organizer_error",
  "partners_error",
  "org_unit_error",
  "participants_error",
  "participants_women_error",
  "participants_children_error",
  "beneficiaries_error",
  "funds_yuan_error",
  "delete_button",
  NULL
};

static void
update_actions (JgActivityForm *self)
{
  jg_form_update_save_actions (GTK_WIDGET (self), self->record,
                               self->record_id == NULL || self->record != NULL, self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.participant-hours",
                                 self->record != NULL && self->child_form == NULL);
}

static void
child_form_destroy_cb (JgActivityForm *self,
                       GtkWindow      *form)
{
  if (self->child_form != form)
    return;
  self->child_form = NULL;
  update_actions (self);
}

static void
participant_hours_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (widget);

  if (self->child_form != NULL)
    {
      gtk_window_present (self->child_form);
      return;
    }
  self->child_form = g_object_new (JG_TYPE_LEDGER_FORM,
                                   "worker", self->worker,
                                   "kind", "service_entry",
                                   "activity-id", self->record_id,
                                   "transient-for", self,
                                   "modal", TRUE,
                                   NULL);
  g_signal_connect_object (self->child_form, "destroy", G_CALLBACK (child_form_destroy_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (self->child_form);
  update_actions (self);
}

static void
load_record (JgActivityForm *self,
             JsonObject *r)
{
  const char *category = json_object_get_string_member_with_default (r, "category", NULL);
  const char *summary = json_object_get_string_member_with_default (r, "summary", NULL);
  g_autofree char *start = jg_form_datetime_to_text (json_object_get_string_member_with_default (r, "start_at", NULL));
  g_autofree char *end = jg_form_datetime_to_text (json_object_get_string_member_with_default (r, "end_at", NULL));

  jg_form_load_text (self->title_row, r, "title");
  jg_form_load_text (self->location_row, r, "location");
  jg_form_load_text (self->organizer_row, r, "organizer");
  jg_form_load_text (self->partners_row, r, "partners");
  jg_form_load_text (self->org_unit_row, r, "org_unit");
  gtk_editable_set_text (GTK_EDITABLE (self->start_at_row), start);
  gtk_editable_set_text (GTK_EDITABLE (self->end_at_row), end);

  for (guint i = 0; self->categories && self->categories[i]; i++)
    if (g_strcmp0 (self->categories[i], category) == 0)
      adw_combo_row_set_selected (self->category_row, i);

  jg_form_load_number (self->participants_row, r, "participants");
  jg_form_load_number (self->participants_women_row, r, "participants_women");
  jg_form_load_number (self->participants_children_row, r, "participants_children");
  jg_form_load_number (self->beneficiaries_row, r, "beneficiaries");
  jg_form_load_number (self->funds_yuan_row, r, "funds_yuan");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->summary_view), summary ? summary : "", -1);

  gtk_window_set_title (GTK_WINDOW (self), _("Activity"));
  jg_form_show_review (r, self->review_revealer, self->review_label);
}

static JsonObject *
collect_fields (JgActivityForm *self)
{
  JsonObject *o = json_object_new ();
  g_autofree char *title = jg_form_entry_dup_text (self->title_row);
  g_autofree char *start = jg_form_entry_dup_text (self->start_at_row);
  g_autofree char *end = jg_form_entry_dup_text (self->end_at_row);
  g_autofree char *start_at = jg_form_text_to_datetime (start);
  g_autofree char *end_at = jg_form_text_to_datetime (end);
  g_autofree char *location = jg_form_entry_dup_text (self->location_row);
  g_autofree char *organizer = jg_form_entry_dup_text (self->organizer_row);
  g_autofree char *partners = jg_form_entry_dup_text (self->partners_row);
  g_autofree char *org_unit = jg_form_entry_dup_text (self->org_unit_row);
  g_autofree char *summary = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->summary_view);
  GtkTextIter begin, finish;
  guint category = adw_combo_row_get_selected (self->category_row);

  gtk_text_buffer_get_bounds (buffer, &begin, &finish);
  summary = gtk_text_buffer_get_text (buffer, &begin, &finish, FALSE);

  if (self->record_id != NULL)
    json_object_set_string_member (o, "id", self->record_id);
  jg_form_set_text (o, "org_unit", org_unit);
  jg_form_set_text (o, "title", title);
  if (self->categories != NULL && category < g_strv_length ((char **) self->categories))
    json_object_set_string_member (o, "category", self->categories[category]);
  else
    json_object_set_null_member (o, "category");
  jg_form_set_text (o, "start_at", start_at);
  jg_form_set_text (o, "end_at", end_at);
  jg_form_set_text (o, "location", location);
  jg_form_set_text (o, "organizer", organizer);
  jg_form_set_text (o, "partners", partners);
  jg_form_set_number (o, "participants", self->participants_row, FALSE);
  jg_form_set_number (o, "participants_women", self->participants_women_row, FALSE);
  jg_form_set_number (o, "participants_children", self->participants_children_row, FALSE);
  jg_form_set_number (o, "beneficiaries", self->beneficiaries_row, FALSE);
  jg_form_set_number (o, "funds_yuan", self->funds_yuan_row, TRUE);
  jg_form_set_text (o, "summary", *summary ? summary : NULL);
  return o;
}

/* For jg_form_watch_changes(). */
static JsonObject *
collect_cb (GtkWidget *form)
{
  return collect_fields (JG_ACTIVITY_FORM (form));
}

/* For jg_form_load_async(): a record changed elsewhere, with the user's
 * edits over it. */
static void
fill_cb (GtkWidget  *form,
         JsonObject *record)
{
  load_record (JG_ACTIVITY_FORM (form), record);
}

static void
loaded_cb (GtkWidget  *widget,
           JsonObject *record)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (widget);

  self->busy = FALSE;
  if (record != NULL)
    {
      g_clear_pointer (&self->record, json_object_unref);
      self->record = json_object_ref (record);
      load_record (self, self->record);
      jg_form_mark_pristine (widget);
      gtk_widget_set_visible (self->hours_group, TRUE);
    }
  update_actions (self);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    jg_form_saved (widget, signals[SAVED], id, self->org_unit_row);
}

static void
save (JgActivityForm *self,
      gboolean        submit)
{
  g_autoptr(JsonObject) fields_object = collect_fields (self);

  jg_form_prepare_put (GTK_WIDGET (self), JG_TYPE_ACTIVITY_FORM, fields, self->error_revealer,
                       fields_object, submit);
  self->busy = TRUE;
  update_actions (self);
  jg_form_put_async (GTK_WIDGET (self), JG_TYPE_ACTIVITY_FORM, self->worker, ENTITY, fields_object,
                     self->cancellable, self->error_revealer, self->error_label, put_cb);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (JG_ACTIVITY_FORM (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  save (JG_ACTIVITY_FORM (widget), TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (widget);

  jg_form_delete (widget, JG_TYPE_ACTIVITY_FORM, self->worker, ENTITY, self->record_id, self->cancellable,
                  self->error_revealer, self->error_label);
}

static void
jg_activity_form_constructed (GObject *object)
{
  JgActivityForm *self = (JgActivityForm *)object;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  JgConfig *config = jg_config_get_default ();

  G_OBJECT_CLASS (jg_activity_form_parent_class)->constructed (object);

  self->categories = jg_config_get_list (config, "activity_categories");
  for (guint i = 0; self->categories && self->categories[i]; i++)
    gtk_string_list_append (labels, jg_config_get_label (config, "activity_categories",
                                                         self->categories[i], TRUE));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (labels));

  if (self->record_id != NULL)
    {
      self->busy = TRUE;
      jg_form_load_async (GTK_WIDGET (self), JG_TYPE_ACTIVITY_FORM, self->worker, ENTITY,
                         self->record_id, self->cancellable, self->review_revealer,
                         self->error_revealer, self->error_label, loaded_cb, fill_cb);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d %H:%M");

      gtk_window_set_title (GTK_WINDOW (self), _("New Activity"));
      gtk_editable_set_text (GTK_EDITABLE (self->start_at_row), today);
      jg_form_fill_org_unit (GTK_WIDGET (self), self->worker, self->org_unit_row, self->cancellable);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_activity_form_dispose (GObject *object)
{
  JgActivityForm *self = (JgActivityForm *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->child_form != NULL)
    {
      GtkWindow *form = g_steal_pointer (&self->child_form);

      g_signal_handlers_disconnect_by_data (form, self);
      gtk_window_destroy (form);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_ACTIVITY_FORM);

  G_OBJECT_CLASS (jg_activity_form_parent_class)->dispose (object);
}

static void
jg_activity_form_finalize (GObject *object)
{
  JgActivityForm *self = (JgActivityForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->record_id, g_free);

  G_OBJECT_CLASS (jg_activity_form_parent_class)->finalize (object);
}

static void
jg_activity_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_activity_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgActivityForm *self = JG_ACTIVITY_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_RECORD_ID:
      self->record_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_activity_form_class_init (JgActivityFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_activity_form_constructed;
  object_class->dispose = jg_activity_form_dispose;
  object_class->finalize = jg_activity_form_finalize;
  object_class->get_property = jg_activity_form_get_property;
  object_class->set_property = jg_activity_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgActivityForm::saved:
   * @id: the id of the record written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-activity-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, review_label);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, title_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, category_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, start_at_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, end_at_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, location_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, organizer_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, partners_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, org_unit_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, participants_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, participants_women_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, participants_children_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, beneficiaries_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, funds_yuan_row);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, summary_view);
  gtk_widget_class_bind_template_child (widget_class, JgActivityForm, hours_group);

  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_install_action (widget_class, "form.participant-hours", NULL, participant_hours_action);
  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_activity_form_init (JgActivityForm *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_activity_form_new (JgStoreWorker *worker,
                      const char    *record_id)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_ACTIVITY_FORM,
                       "worker", worker,
                       "record-id", record_id,
                       NULL);
}

const char *
jg_activity_form_get_record_id (JgActivityForm *self)
{
  g_return_val_if_fail (JG_IS_ACTIVITY_FORM (self), NULL);

  return self->record_id;
}

/* "Hours for participants" opened from this form, if any. */
GtkWindow *
jg_activity_form_get_child_form (JgActivityForm *self)
{
  g_return_val_if_fail (JG_IS_ACTIVITY_FORM (self), NULL);

  return self->child_form;
}
