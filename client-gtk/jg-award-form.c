/* jg-award-form.c: the form of a family award nomination (家庭表彰)
 *
 * New (optionally for a household: household-id) or existing (record-id).
 * The workflow steps are shown with the current one marked; when the
 * household has not consented to publicity the form says what that means
 * before anyone is surprised by the refusal at the public notice.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-award-form.h"
#include "jg-config.h"
#include "jg-form.h"

#define ENTITY "award"
#define N_STEPS 4

struct _JgAwardForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *record_id;
  char           *household_id;
  JsonObject     *record;        /* as read, NULL for a new one */
  GCancellable   *cancellable;
  const char * const *award_types;
  guint           busy : 1;
  guint           consent_missing : 1;

  /* Template widgets */
  GtkRevealer    *review_revealer;
  GtkLabel       *review_label;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkRevealer    *consent_revealer;
  AdwActionRow   *household_row;
  AdwEntryRow    *family_name_row;
  AdwEntryRow    *org_unit_row;
  AdwComboRow    *award_type_row;
  AdwComboRow    *level_row;
  AdwEntryRow    *year_row;
  AdwEntryRow    *batch_row;
  GtkTextView    *deeds_view;
  GtkImage       *step_icons[N_STEPS];
  AdwActionRow   *steps[N_STEPS];
};

G_DEFINE_FINAL_TYPE (JgAwardForm, jg_award_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_RECORD_ID,
  PROP_HOUSEHOLD_ID,
  PROP_CONSENT_MISSING,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const fields[] = {
  "household", "family_name", "org_unit", "award_type", "level", "year", "batch", "deeds", "state", NULL
};

static const char * const bound_by_name[] = {
  "household_error",
  "family_name_error",
  "org_unit_error",
  "award_type_error",
  "level_error",
  "year_error",
  "batch_error",
  "state_row",
  "state_error",
  "delete_button",
  NULL
};

static const char * const levels[] = { "village", "township", "county", "city", "province", "national", NULL };
static const char * const states[] = { "nominated", "under_review", "public_notice", "awarded", NULL };

static void
update_actions (JgAwardForm *self)
{
  gboolean ready = self->record_id == NULL || self->record != NULL;

  jg_form_update_save_actions (GTK_WIDGET (self), self->record, ready, self->busy);
}

/* Past steps ticked, the current one marked, later ones plain. */
static void
show_workflow (JgAwardForm *self,
               const char  *state)
{
  int current = 0;

  for (int i = 0; states[i]; i++)
    if (g_strcmp0 (states[i], state) == 0)
      current = i;

  for (int i = 0; i < N_STEPS; i++)
    {
      const char *icon = i < current ? "emblem-ok-symbolic"
                       : i == current ? "media-record-symbolic"
                       : "radio-symbolic";

      gtk_image_set_from_icon_name (self->step_icons[i], icon);
      if (i == current && g_strcmp0 (state, "declined") != 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->steps[i]), "accent");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->steps[i]), "accent");
    }
}

static void
show_household (JgAwardForm *self,
                JsonObject  *household)
{
  const char *head = json_object_get_string_member_with_default (household, "head_name", "");
  const char *address = json_object_get_string_member_with_default (household, "address", NULL);
  g_autofree char *subtitle = address && *address ? g_strdup_printf ("%s · %s", head, address)
                                                  : g_strdup (head);
  gboolean consent = json_object_get_boolean_member_with_default (household, "publicity_consent", FALSE);

  adw_action_row_set_subtitle (self->household_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->household_row), TRUE);

  if (self->record == NULL)
    {
      g_autofree char *family = NULL;

      /* 张三家庭: the name a notice would print. */
      if (*head != '\0' && *gtk_editable_get_text (GTK_EDITABLE (self->family_name_row)) == '\0')
        {
          family = g_strdup_printf (_("%s’s family"), head);
          gtk_editable_set_text (GTK_EDITABLE (self->family_name_row), family);
        }
      jg_form_load_text (self->org_unit_row, household, "org_unit");
    }

  if (self->consent_missing != !consent)
    {
      self->consent_missing = !consent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSENT_MISSING]);
    }
  gtk_revealer_set_reveal_child (self->consent_revealer, !consent);
}

static void
load_record (JgAwardForm *self,
             JsonObject *r)
{
  const char *type = json_object_get_string_member_with_default (r, "award_type", NULL);
  const char *level = json_object_get_string_member_with_default (r, "level", NULL);
  const char *deeds = json_object_get_string_member_with_default (r, "deeds", NULL);

  jg_form_load_text (self->family_name_row, r, "family_name");
  jg_form_load_text (self->org_unit_row, r, "org_unit");
  jg_form_load_text (self->batch_row, r, "batch");
  for (guint i = 0; self->award_types && self->award_types[i]; i++)
    if (g_strcmp0 (self->award_types[i], type) == 0)
      adw_combo_row_set_selected (self->award_type_row, i);
  for (guint i = 0; levels[i]; i++)
    if (g_strcmp0 (levels[i], level) == 0)
      adw_combo_row_set_selected (self->level_row, i);
  jg_form_load_number (self->year_row, r, "year");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->deeds_view), deeds ? deeds : "", -1);

  show_workflow (self, json_object_get_string_member_with_default (r, "state", "nominated"));
  gtk_window_set_title (GTK_WINDOW (self), _("Family Award"));
  jg_form_show_review (r, self->review_revealer, self->review_label);
}

static JsonObject *
collect_fields (JgAwardForm *self)
{
  JsonObject *o = json_object_new ();
  g_autofree char *family_name = jg_form_entry_dup_text (self->family_name_row);
  g_autofree char *org_unit = jg_form_entry_dup_text (self->org_unit_row);
  g_autofree char *batch = jg_form_entry_dup_text (self->batch_row);
  g_autofree char *deeds = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->deeds_view);
  GtkTextIter begin, end;
  guint type = adw_combo_row_get_selected (self->award_type_row);
  guint level = adw_combo_row_get_selected (self->level_row);

  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  deeds = gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);

  if (self->record_id != NULL)
    json_object_set_string_member (o, "id", self->record_id);
  else
    json_object_set_string_member (o, "state", "nominated");
  jg_form_set_text (o, "org_unit", org_unit);
  jg_form_set_text (o, "household", self->household_id);
  jg_form_set_text (o, "family_name", family_name);
  if (self->award_types != NULL && type < g_strv_length ((char **) self->award_types))
    json_object_set_string_member (o, "award_type", self->award_types[type]);
  else
    json_object_set_null_member (o, "award_type");
  jg_form_set_text (o, "level", level < G_N_ELEMENTS (levels) - 1 ? levels[level] : NULL);
  jg_form_set_number (o, "year", self->year_row, FALSE);
  jg_form_set_text (o, "batch", batch);
  jg_form_set_text (o, "deeds", *deeds ? deeds : NULL);
  return o;
}

static void
household_cb (GtkWidget  *widget,
              JsonObject *household)
{
  JgAwardForm *self = JG_AWARD_FORM (widget);

  self->busy = FALSE;
  if (household != NULL)
    {
      /* What the household fills in is no edit. */
      gboolean changed = jg_form_has_changes (widget);

      show_household (self, household);
      if (!changed)
        jg_form_mark_pristine (widget);
    }
  update_actions (self);
}

static void
read_household (JgAwardForm *self)
{
  self->busy = TRUE;
  jg_form_get_async (GTK_WIDGET (self), JG_TYPE_AWARD_FORM, self->worker, "household",
                     self->household_id, self->cancellable,
                     self->error_revealer, self->error_label, household_cb);
}

/* For jg_form_watch_changes(). */
static JsonObject *
collect_cb (GtkWidget *form)
{
  return collect_fields (JG_AWARD_FORM (form));
}

/* For jg_form_load_async(): a record changed elsewhere, with the user's
 * edits over it. */
static void
fill_cb (GtkWidget  *form,
         JsonObject *record)
{
  load_record (JG_AWARD_FORM (form), record);
}

static void
loaded_cb (GtkWidget  *widget,
           JsonObject *record)
{
  JgAwardForm *self = JG_AWARD_FORM (widget);

  self->busy = FALSE;
  if (record != NULL)
    {
      g_clear_pointer (&self->record, json_object_unref);
      self->record = json_object_ref (record);
      g_free (self->household_id);
      self->household_id = g_strdup (json_object_get_string_member_with_default (self->record, "household", NULL));
      load_record (self, self->record);
      jg_form_mark_pristine (widget);
      if (self->household_id != NULL)
        read_household (self);
    }
  update_actions (self);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgAwardForm *self = JG_AWARD_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    jg_form_saved (widget, signals[SAVED], id, self->org_unit_row);
}

static void
save (JgAwardForm *self,
      gboolean     submit)
{
  g_autoptr(JsonObject) fields_object = collect_fields (self);

  jg_form_prepare_put (GTK_WIDGET (self), JG_TYPE_AWARD_FORM, fields, self->error_revealer,
                       fields_object, submit);
  self->busy = TRUE;
  update_actions (self);
  jg_form_put_async (GTK_WIDGET (self), JG_TYPE_AWARD_FORM, self->worker, ENTITY, fields_object,
                     self->cancellable, self->error_revealer, self->error_label, put_cb);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (JG_AWARD_FORM (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  save (JG_AWARD_FORM (widget), TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgAwardForm *self = JG_AWARD_FORM (widget);

  jg_form_delete (widget, JG_TYPE_AWARD_FORM, self->worker, ENTITY, self->record_id, self->cancellable,
                  self->error_revealer, self->error_label);
}

static void
jg_award_form_constructed (GObject *object)
{
  JgAwardForm *self = (JgAwardForm *)object;
  JgConfig *config = jg_config_get_default ();

  G_OBJECT_CLASS (jg_award_form_parent_class)->constructed (object);

  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    /* The award names are the federation's own terms: 最美家庭, 五好家庭… */
    self->award_types = jg_config_get_list (config, "award_types");
    for (guint i = 0; self->award_types && self->award_types[i]; i++)
      gtk_string_list_append (labels, jg_config_get_label (config, "award_types", self->award_types[i], TRUE));
    adw_combo_row_set_model (self->award_type_row, G_LIST_MODEL (labels));
  }
  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    gtk_string_list_append (labels, _("Village"));
    gtk_string_list_append (labels, _("Township"));
    gtk_string_list_append (labels, _("County"));
    gtk_string_list_append (labels, _("City"));
    gtk_string_list_append (labels, _("Province"));
    gtk_string_list_append (labels, _("National"));
    adw_combo_row_set_model (self->level_row, G_LIST_MODEL (labels));
  }
  show_workflow (self, "nominated");

  if (self->record_id != NULL)
    {
      self->busy = TRUE;
      jg_form_load_async (GTK_WIDGET (self), JG_TYPE_AWARD_FORM, self->worker, ENTITY,
                         self->record_id, self->cancellable, self->review_revealer,
                         self->error_revealer, self->error_label, loaded_cb, fill_cb);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (now));

      gtk_window_set_title (GTK_WINDOW (self), _("New Family Award Nomination"));
      jg_form_fill_org_unit (GTK_WIDGET (self), self->worker, self->org_unit_row, self->cancellable);
      /* Nominations are for this year: a default, not a guess. */
      gtk_editable_set_text (GTK_EDITABLE (self->year_row), year);
      if (self->household_id != NULL)
        read_household (self);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_award_form_dispose (GObject *object)
{
  JgAwardForm *self = (JgAwardForm *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_AWARD_FORM);

  G_OBJECT_CLASS (jg_award_form_parent_class)->dispose (object);
}

static void
jg_award_form_finalize (GObject *object)
{
  JgAwardForm *self = (JgAwardForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->record_id, g_free);
  g_clear_pointer (&self->household_id, g_free);

  G_OBJECT_CLASS (jg_award_form_parent_class)->finalize (object);
}

static void
jg_award_form_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  JgAwardForm *self = JG_AWARD_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;

    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;

    case PROP_CONSENT_MISSING:
      g_value_set_boolean (value, self->consent_missing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_award_form_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  JgAwardForm *self = JG_AWARD_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_RECORD_ID:
      self->record_id = g_value_dup_string (value);
      break;

    case PROP_HOUSEHOLD_ID:
      self->household_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_award_form_class_init (JgAwardFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_award_form_constructed;
  object_class->dispose = jg_award_form_dispose;
  object_class->finalize = jg_award_form_finalize;
  object_class->get_property = jg_award_form_get_property;
  object_class->set_property = jg_award_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONSENT_MISSING] =
    g_param_spec_boolean ("consent-missing", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgAwardForm::saved:
   * @id: the id of the record written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-award-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, review_label);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, consent_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, household_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, family_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, org_unit_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, award_type_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, level_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, year_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, batch_row);
  gtk_widget_class_bind_template_child (widget_class, JgAwardForm, deeds_view);
  gtk_widget_class_bind_template_child_full (widget_class, "step_0", FALSE, G_STRUCT_OFFSET (JgAwardForm, steps[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_1", FALSE, G_STRUCT_OFFSET (JgAwardForm, steps[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_2", FALSE, G_STRUCT_OFFSET (JgAwardForm, steps[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_3", FALSE, G_STRUCT_OFFSET (JgAwardForm, steps[3]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_0_icon", FALSE, G_STRUCT_OFFSET (JgAwardForm, step_icons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_1_icon", FALSE, G_STRUCT_OFFSET (JgAwardForm, step_icons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_2_icon", FALSE, G_STRUCT_OFFSET (JgAwardForm, step_icons[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "step_3_icon", FALSE, G_STRUCT_OFFSET (JgAwardForm, step_icons[3]));
  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_award_form_init (JgAwardForm *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_award_form_new (JgStoreWorker *worker,
                   const char    *household_id)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_AWARD_FORM,
                       "worker", worker,
                       "household-id", household_id,
                       NULL);
}

gboolean
jg_award_form_get_consent_missing (JgAwardForm *self)
{
  g_return_val_if_fail (JG_IS_AWARD_FORM (self), FALSE);

  return self->consent_missing;
}
