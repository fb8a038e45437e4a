/* jg-household-form.c: the form of a household (户)
 *
 * New or existing (record-id).  An existing record is read through the
 * worker; saving sends, in one put, the fields the user changed on the versions
 * she saw (jg_form_load_async()), so the store takes all of them or none,
 * and its error is shown at its field.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "jg-award-form.h"
#include "jg-config.h"
#include "jg-household-form.h"
#include "jg-form.h"
#include "jg-inspection-form.h"
#include "jg-entity.h"
#include "jg-rubric.h"

#define ENTITY "household"

struct _JgHouseholdForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *record_id;
  JsonObject     *record;        /* as read, NULL for a new one */
  GCancellable   *cancellable;
  GCancellable   *related_cancellable;   /* the current reads of related records */
  GtkWindow      *child_form;            /* an inspection or nomination, until destroyed */
  GPtrArray      *related_rows[3];       /* rows of inspections, designations, awards */
  guint           busy : 1;

  /* Template widgets */
  AdwPreferencesGroup *related_groups[3];
  GtkRevealer    *review_revealer;
  GtkLabel       *review_label;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwEntryRow    *head_name_row;
  AdwEntryRow    *address_row;
  AdwEntryRow    *member_count_row;
  AdwEntryRow    *phone_row;
  AdwEntryRow    *tags_row;
  AdwEntryRow    *org_unit_row;
  GtkSwitch      *publicity_consent_switch;
};

G_DEFINE_FINAL_TYPE (JgHouseholdForm, jg_household_form, ADW_TYPE_WINDOW)

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
  "head_name", "address", "member_count", "phone", "tags", "org_unit", "publicity_consent", "consent_at", NULL
};

static const char * const bound_by_name[] = {
  "head_name_error",
  "address_error",
  "member_count_error",
  "phone_error",
  "tags_error",
  "org_unit_error",
  "publicity_consent_error",
  "publicity_consent_row",
  "delete_button",
  NULL
};

/* The records shown under an existing household, in the order of
 * related_groups. */
static const char * const related_entities[] = { "inspection", "designation", "award" };

static void
update_actions (JgHouseholdForm *self)
{
  jg_form_update_save_actions (GTK_WIDGET (self), self->record,
                               self->record_id == NULL || self->record != NULL, self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.inspect",
                                 self->record != NULL && self->child_form == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.nominate",
                                 self->record != NULL && self->child_form == NULL);
}

static const char *
stage_label (const char *stage)
{
  if (g_strcmp0 (stage, "self") == 0)
    return _("Self-assessment");
  if (g_strcmp0 (stage, "village") == 0)
    return _("Village assessment");
  if (g_strcmp0 (stage, "township") == 0)
    return _("Township review");
  if (g_strcmp0 (stage, "county") == 0)
    return _("County spot check");
  if (g_strcmp0 (stage, "third_party") == 0)
    return _("Third party");
  if (g_strcmp0 (stage, "reinspection") == 0)
    return _("Re-inspection");
  return stage ? stage : "";
}

static const char *
level_label (const char *level)
{
  if (g_strcmp0 (level, "village") == 0)
    return _("Village");
  if (g_strcmp0 (level, "township") == 0)
    return _("Township");
  if (g_strcmp0 (level, "county") == 0)
    return _("County");
  if (g_strcmp0 (level, "city") == 0)
    return _("City");
  if (g_strcmp0 (level, "province") == 0)
    return _("Province");
  if (g_strcmp0 (level, "national") == 0)
    return _("National");
  return level ? level : "";
}

static const char *
award_state_label (const char *state)
{
  if (g_strcmp0 (state, "under_review") == 0)
    return _("Under review");
  if (g_strcmp0 (state, "public_notice") == 0)
    return _("On public notice");
  if (g_strcmp0 (state, "awarded") == 0)
    return _("Awarded");
  if (g_strcmp0 (state, "declined") == 0)
    return _("Declined");
  return _("Nominated");
}

static char *
related_title (const char *entity,
               JsonObject *r,
               char      **subtitle)
{
  const char *s = NULL;

  if (g_strcmp0 (entity, "inspection") == 0)
    {
      double total = 0;
      gint64 star = jg_form_get_int (r, "star", 0);
      g_autoptr(GString) stars = g_string_new (NULL);

      if (json_object_has_member (r, "total") && !json_object_get_null_member (r, "total"))
        total = json_object_get_double_member (r, "total");
      for (gint64 i = 0; i < star; i++)
        g_string_append (stars, "★");
      *subtitle = g_strdup_printf (_("%g points · %s"), total, star > 0 ? stars->str : _("No star"));
      return g_strdup_printf ("%s · %s", json_object_get_string_member_with_default (r, "inspected_at", ""),
                              stage_label (json_object_get_string_member_with_default (r, "stage", NULL)));
    }
  if (g_strcmp0 (entity, "designation") == 0)
    {
      const char *plaque = json_object_get_string_member_with_default (r, "plaque_no", NULL);

      const char *from = json_object_get_string_member_with_default (r, "valid_from", "");
      const char *to = json_object_get_string_member_with_default (r, "valid_to", "");
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      /* Whether it is in force is the rubric's to say, not the dates'. */
      switch (jg_rubric_designation_status (r, today))
        {
        case JG_DESIGNATION_REVOKED:
          *subtitle = g_strdup_printf (_("Revoked: %s"),
                                       json_object_get_string_member_with_default (r, "revoked_reason", ""));
          break;
        case JG_DESIGNATION_NOT_GRANTED:
          /* Translators: %s is a review state: 草稿, 已提交, 已退回 */
          *subtitle = g_strdup_printf (_("Not granted yet (%s); not in force"),
                                       jg_entity_choice_label ("designation", "review_state",
                                                               json_object_get_string_member_with_default (r, "review_state", "draft")));
          break;
        case JG_DESIGNATION_NOT_YET:
          *subtitle = g_strdup_printf (_("Granted; in force from %s"), from);
          break;
        case JG_DESIGNATION_EXPIRED:
          *subtitle = g_strdup_printf (_("Expired on %s"), to);
          break;
        case JG_DESIGNATION_IN_FORCE:
        default:
          *subtitle = g_strdup_printf (_("Valid from %s"), from);
          break;
        }
      s = level_label (json_object_get_string_member_with_default (r, "level", NULL));
      return plaque ? g_strdup_printf ("%s · %s", s, plaque) : g_strdup (s);
    }

  *subtitle = g_strdup_printf ("%" PRId64 " · %s", jg_form_get_int (r, "year", 0),
                               award_state_label (json_object_get_string_member_with_default (r, "state", NULL)));
  return g_strdup_printf ("%s · %s",
                          jg_config_get_label (jg_config_get_default (), "award_types",
                                               json_object_get_string_member_with_default (r, "award_type", ""), TRUE),
                          level_label (json_object_get_string_member_with_default (r, "level", NULL)));
}

static void child_form_destroy_cb (JgHouseholdForm *self,
                                   GtkWindow       *form);

static void
open_child_form (JgHouseholdForm *self,
                 GType            type,
                 const char      *record_id)
{
  if (self->child_form != NULL)
    {
      gtk_window_present (self->child_form);
      return;
    }
  self->child_form = g_object_new (type,
                                   "worker", self->worker,
                                   record_id ? "record-id" : "household-id",
                                   record_id ? record_id : self->record_id,
                                   "transient-for", self,
                                   NULL);
  g_signal_connect_object (self->child_form, "destroy", G_CALLBACK (child_form_destroy_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (self->child_form);
  update_actions (self);
}

static void
child_form_destroy_cb (JgHouseholdForm *self,
                       GtkWindow       *form)
{
  if (self->child_form != form)
    return;
  self->child_form = NULL;
  update_actions (self);
}

static void
related_row_activated_cb (AdwActionRow    *row,
                          JgHouseholdForm *self)
{
  const char *entity = g_object_get_data (G_OBJECT (row), "entity");
  const char *id = g_object_get_data (G_OBJECT (row), "record-id");

  if (g_strcmp0 (entity, "inspection") == 0)
    open_child_form (self, JG_TYPE_INSPECTION_FORM, id);
  else if (g_strcmp0 (entity, "award") == 0)
    open_child_form (self, JG_TYPE_AWARD_FORM, id);
}

typedef struct
{
  JgHouseholdForm *self;
  guint            which;
} RelatedRead;

static void
related_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RelatedRead *read = user_data;
  g_autoptr(JgHouseholdForm) self = read->self;
  guint which = read->which;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = NULL;
  AdwPreferencesGroup *group;
  GPtrArray *rows;

  g_free (read);
  array = jg_store_worker_search_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  group = self->related_groups[which];
  rows = self->related_rows[which];
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);

  if (array == NULL)
    {
      jg_form_show_error (GTK_WIDGET (self), JG_TYPE_HOUSEHOLD_FORM, error,
                          self->error_revealer, self->error_label);
      return;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *r = json_array_get_object_element (array, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = related_title (related_entities[which], r, &subtitle);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (which != 1)
        {
          g_object_set_data_full (G_OBJECT (row), "record-id",
                                  g_strdup (json_object_get_string_member_with_default (r, "id", NULL)), g_free);
          g_object_set_data (G_OBJECT (row), "entity", (gpointer) related_entities[which]);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_signal_connect_object (row, "activated", G_CALLBACK (related_row_activated_cb), self, 0);
        }
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
  if (array != NULL && json_array_get_length (array) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("None yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
}

static void
read_related (JgHouseholdForm *self)
{
  g_autoptr(JsonObject) equal = json_object_new ();

  if (self->record_id == NULL)
    return;

  g_cancellable_cancel (self->related_cancellable);
  g_clear_object (&self->related_cancellable);
  self->related_cancellable = g_cancellable_new ();

  json_object_set_string_member (equal, "household", self->record_id);
  for (guint i = 0; i < G_N_ELEMENTS (related_entities); i++)
    {
      RelatedRead *read = g_new0 (RelatedRead, 1);

      read->self = g_object_ref (self);
      read->which = i;
      gtk_widget_set_visible (GTK_WIDGET (self->related_groups[i]), TRUE);
      jg_store_worker_search_where_async (self->worker, related_entities[i], NULL, equal, 0, 0,
                                          self->related_cancellable, related_cb, read);
    }
}

static void
worker_changed_cb (JgHouseholdForm *self,
                   const char      *entity,
                   JgStoreWorker   *worker)
{
  if (self->record != NULL && g_strv_contains (related_entities, entity))
    read_related (self);
}

static void
inspect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  open_child_form (JG_HOUSEHOLD_FORM (widget), JG_TYPE_INSPECTION_FORM, NULL);
}

static void
nominate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  open_child_form (JG_HOUSEHOLD_FORM (widget), JG_TYPE_AWARD_FORM, NULL);
}

static void
load_record (JgHouseholdForm *self,
             JsonObject *r)
{

  jg_form_load_text (self->head_name_row, r, "head_name");
  jg_form_load_text (self->address_row, r, "address");
  /* The full number only here, in the record's own form. */
  jg_form_load_text (self->phone_row, r, "phone");
  jg_form_load_text (self->org_unit_row, r, "org_unit");
  jg_form_load_number (self->member_count_row, r, "member_count");
  jg_form_load_list (self->tags_row, r, "tags");
  gtk_switch_set_active (self->publicity_consent_switch,
                         json_object_get_boolean_member_with_default (r, "publicity_consent", FALSE));

  gtk_window_set_title (GTK_WINDOW (self), _("Household"));
  jg_form_show_review (r, self->review_revealer, self->review_label);
}

static JsonObject *
collect_fields (JgHouseholdForm *self)
{
  JsonObject *o = json_object_new ();
  g_autofree char *head_name = jg_form_entry_dup_text (self->head_name_row);
  g_autofree char *address = jg_form_entry_dup_text (self->address_row);
  g_autofree char *phone = jg_form_entry_dup_text (self->phone_row);
  g_autofree char *org_unit = jg_form_entry_dup_text (self->org_unit_row);

  if (self->record_id != NULL)
    json_object_set_string_member (o, "id", self->record_id);
  jg_form_set_text (o, "org_unit", org_unit);
  jg_form_set_text (o, "head_name", head_name);
  jg_form_set_text (o, "address", address);
  jg_form_set_number (o, "member_count", self->member_count_row, FALSE);
  jg_form_set_text (o, "phone", phone);
  jg_form_set_list (o, "tags", self->tags_row);
  json_object_set_boolean_member (o, "publicity_consent", gtk_switch_get_active (self->publicity_consent_switch));
  return o;
}

/* For jg_form_watch_changes(). */
static JsonObject *
collect_cb (GtkWidget *form)
{
  return collect_fields (JG_HOUSEHOLD_FORM (form));
}

/* For jg_form_load_async(): a record changed elsewhere, with the user's
 * edits over it. */
static void
fill_cb (GtkWidget  *form,
         JsonObject *record)
{
  load_record (JG_HOUSEHOLD_FORM (form), record);
}

static void
loaded_cb (GtkWidget  *widget,
           JsonObject *record)
{
  JgHouseholdForm *self = JG_HOUSEHOLD_FORM (widget);

  self->busy = FALSE;
  if (record != NULL)
    {
      g_clear_pointer (&self->record, json_object_unref);
      self->record = json_object_ref (record);
      load_record (self, self->record);
      jg_form_mark_pristine (widget);
      read_related (self);
    }
  update_actions (self);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgHouseholdForm *self = JG_HOUSEHOLD_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    jg_form_saved (widget, signals[SAVED], id, self->org_unit_row);
}

static void
save (JgHouseholdForm *self,
      gboolean        submit)
{
  g_autoptr(JsonObject) fields_object = collect_fields (self);

  jg_form_prepare_put (GTK_WIDGET (self), JG_TYPE_HOUSEHOLD_FORM, fields, self->error_revealer,
                       fields_object, submit);
  self->busy = TRUE;
  update_actions (self);
  jg_form_put_async (GTK_WIDGET (self), JG_TYPE_HOUSEHOLD_FORM, self->worker, ENTITY, fields_object,
                     self->cancellable, self->error_revealer, self->error_label, put_cb);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (JG_HOUSEHOLD_FORM (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  save (JG_HOUSEHOLD_FORM (widget), TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgHouseholdForm *self = JG_HOUSEHOLD_FORM (widget);

  jg_form_delete (widget, JG_TYPE_HOUSEHOLD_FORM, self->worker, ENTITY, self->record_id, self->cancellable,
                  self->error_revealer, self->error_label);
}

static void
jg_household_form_constructed (GObject *object)
{
  JgHouseholdForm *self = (JgHouseholdForm *)object;

  G_OBJECT_CLASS (jg_household_form_parent_class)->constructed (object);

  if (self->record_id != NULL)
    {
      self->busy = TRUE;
      g_signal_connect_object (self->worker, "changed", G_CALLBACK (worker_changed_cb),
                               self, G_CONNECT_SWAPPED);
      jg_form_load_async (GTK_WIDGET (self), JG_TYPE_HOUSEHOLD_FORM, self->worker, ENTITY,
                         self->record_id, self->cancellable, self->review_revealer,
                         self->error_revealer, self->error_label, loaded_cb, fill_cb);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Household"));
      jg_form_fill_org_unit (GTK_WIDGET (self), self->worker, self->org_unit_row, self->cancellable);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_household_form_dispose (GObject *object)
{
  JgHouseholdForm *self = (JgHouseholdForm *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->related_cancellable);
  if (self->child_form != NULL)
    {
      GtkWindow *form = g_steal_pointer (&self->child_form);

      g_signal_handlers_disconnect_by_data (form, self);
      gtk_window_destroy (form);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_HOUSEHOLD_FORM);
  for (guint i = 0; i < G_N_ELEMENTS (self->related_rows); i++)
    g_clear_pointer (&self->related_rows[i], g_ptr_array_unref);

  G_OBJECT_CLASS (jg_household_form_parent_class)->dispose (object);
}

static void
jg_household_form_finalize (GObject *object)
{
  JgHouseholdForm *self = (JgHouseholdForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->related_cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->record_id, g_free);

  G_OBJECT_CLASS (jg_household_form_parent_class)->finalize (object);
}

static void
jg_household_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgHouseholdForm *self = JG_HOUSEHOLD_FORM (object);

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
jg_household_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgHouseholdForm *self = JG_HOUSEHOLD_FORM (object);

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
jg_household_form_class_init (JgHouseholdFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_household_form_constructed;
  object_class->dispose = jg_household_form_dispose;
  object_class->finalize = jg_household_form_finalize;
  object_class->get_property = jg_household_form_get_property;
  object_class->set_property = jg_household_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgHouseholdForm::saved:
   * @id: the id of the record written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-household-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, review_label);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, head_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, address_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, member_count_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, phone_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, tags_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, org_unit_row);
  gtk_widget_class_bind_template_child (widget_class, JgHouseholdForm, publicity_consent_switch);
  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_bind_template_child_full (widget_class, "inspections_group", FALSE,
                                             G_STRUCT_OFFSET (JgHouseholdForm, related_groups[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "designations_group", FALSE,
                                             G_STRUCT_OFFSET (JgHouseholdForm, related_groups[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "awards_group", FALSE,
                                             G_STRUCT_OFFSET (JgHouseholdForm, related_groups[2]));

  gtk_widget_class_install_action (widget_class, "form.inspect", NULL, inspect_action);
  gtk_widget_class_install_action (widget_class, "form.nominate", NULL, nominate_action);
  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_household_form_init (JgHouseholdForm *self)
{
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (self->related_rows); i++)
    self->related_rows[i] = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_household_form_new (JgStoreWorker *worker,
                      const char    *record_id)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_HOUSEHOLD_FORM,
                       "worker", worker,
                       "record-id", record_id,
                       NULL);
}

const char *
jg_household_form_get_record_id (JgHouseholdForm *self)
{
  g_return_val_if_fail (JG_IS_HOUSEHOLD_FORM (self), NULL);

  return self->record_id;
}

/* The inspection or nomination opened from this household, if any. */
GtkWindow *
jg_household_form_get_child_form (JgHouseholdForm *self)
{
  g_return_val_if_fail (JG_IS_HOUSEHOLD_FORM (self), NULL);

  return self->child_form;
}

/* The rows of the inspections (0), designations (1) or awards (2) shown;
 * a lone "None yet" row when there are none. */
guint
jg_household_form_get_n_related (JgHouseholdForm *self,
                                 guint            which)
{
  g_return_val_if_fail (JG_IS_HOUSEHOLD_FORM (self), 0);
  g_return_val_if_fail (which < G_N_ELEMENTS (self->related_rows), 0);

  return self->related_rows[which]->len;
}

AdwActionRow *
jg_household_form_get_related_row (JgHouseholdForm *self,
                                   guint            which,
                                   guint            position)
{
  g_return_val_if_fail (JG_IS_HOUSEHOLD_FORM (self), NULL);
  g_return_val_if_fail (which < G_N_ELEMENTS (self->related_rows), NULL);

  if (position >= self->related_rows[which]->len)
    return NULL;
  return g_ptr_array_index (self->related_rows[which], position);
}
