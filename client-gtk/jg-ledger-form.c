/* jg-ledger-form.c: a new time bank entry (时间银行): hours served or redeemed
 *
 * Three uses, one form: hours served by one volunteer (kind
 * "service_entry", volunteer-id), a redemption (kind "redemption",
 * volunteer-id), or the same hours for several participants of an activity
 * (kind "service_entry", activity-id), written in one transaction.  Ledger
 * entries are never edited, so the form only creates, and submits what it
 * creates for review.  The store refuses a
 * redemption above the available balance; its message shows at the minutes.
 *
 * Hours served are checked first as a reviewer will see them
 * (jg_ledger_flag_details(): overlapping entries, more than the daily
 * limit): the recorder is shown what was found and may go back to fix a
 * typo, which she cannot once the entry is written, or submit it as it is.
 * A warning, not a refusal: the time bank flags, it does not decide.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-config.h"
#include "jg-form.h"
#include "jg-ledger.h"
#include "jg-ledger-form.h"

struct _JgLedgerForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *kind;
  char           *volunteer_id;
  char           *activity_id;
  JsonObject     *volunteer;     /* as read */
  JsonObject     *activity;      /* as read */
  GPtrArray      *participants;  /* JsonObject of the volunteers offered */
  GPtrArray      *checks;        /* GtkCheckButton per participant */
  GCancellable   *cancellable;
  const char * const *service_types;
  JsonArray      *pending;       /* the service entries checked, to write once confirmed */
  AdwMessageDialog *flags_dialog; /* asking about the checks' flags, until it answers */
  guint           busy : 1;

  /* Template widgets */
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwActionRow   *volunteer_row;
  AdwEntryRow    *minutes_row;
  AdwEntryRow    *served_at_row;
  AdwComboRow    *service_type_row;
  AdwComboRow    *item_row;
  AdwEntryRow    *item_name_row;
  AdwEntryRow    *beneficiary_row;
  AdwPreferencesGroup *volunteers_group;
};

G_DEFINE_FINAL_TYPE (JgLedgerForm, jg_ledger_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_KIND,
  PROP_VOLUNTEER_ID,
  PROP_ACTIVITY_ID,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const fields[] = {
  "volunteer", "minutes", "served_at", "service_type", "item", "item_name", "beneficiary", NULL
};

static const char * const bound_by_name[] = {
  "volunteer_error", "minutes_error", "served_at_error", "service_type_error",
  "item_error", "item_name_error", "beneficiary_error", "review_revealer", NULL
};

static const char * const items[] = { "service", "goods", "privilege", NULL };

static gboolean
is_redemption (JgLedgerForm *self)
{
  return g_strcmp0 (self->kind, "redemption") == 0;
}

static void
update_actions (JgLedgerForm *self)
{
  gboolean ready = self->activity_id != NULL ? self->activity != NULL : self->volunteer != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", !self->busy && ready);
}

static JsonObject *
entry_fields (JgLedgerForm *self,
              JsonObject   *volunteer)
{
  JsonObject *o = json_object_new ();
  g_autofree char *served = jg_form_entry_dup_text (self->served_at_row);
  g_autofree char *served_at = jg_form_text_to_datetime (served);
  g_autofree char *item_name = jg_form_entry_dup_text (self->item_name_row);
  g_autofree char *beneficiary = jg_form_entry_dup_text (self->beneficiary_row);
  guint type = adw_combo_row_get_selected (self->service_type_row);
  guint item = adw_combo_row_get_selected (self->item_row);

  jg_form_set_text (o, "org_unit", json_object_get_string_member_with_default (volunteer, "org_unit", NULL));
  jg_form_set_text (o, "volunteer", json_object_get_string_member_with_default (volunteer, "id", NULL));
  jg_form_set_number (o, "minutes", self->minutes_row, FALSE);
  /* Ledger entries are never edited, and the form only creates: a draft
   * could never be submitted later, so what is recorded goes to the
   * reviewer at once (DOMAIN.md: only approved entries count). */
  json_object_set_string_member (o, "review_state", "submitted");
  if (is_redemption (self))
    {
      jg_form_set_text (o, "item", item < G_N_ELEMENTS (items) - 1 ? items[item] : NULL);
      jg_form_set_text (o, "item_name", item_name);
      jg_form_set_text (o, "beneficiary", beneficiary);
    }
  else
    {
      if (self->service_types != NULL && type < g_strv_length ((char **) self->service_types))
        json_object_set_string_member (o, "service_type", self->service_types[type]);
      jg_form_set_text (o, "served_at", served_at);
      jg_form_set_text (o, "activity", self->activity_id);
    }
  return o;
}

/* For jg_form_watch_changes(): what was typed or chosen, and who is ticked. */
static JsonObject *
collect_cb (GtkWidget *form)
{
  JgLedgerForm *self = JG_LEDGER_FORM (form);
  g_autoptr(JsonObject) nobody = json_object_new ();
  JsonObject *o = entry_fields (self, nobody);
  JsonArray *ticked = json_array_new ();

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      json_array_add_string_element (ticked,
                                     json_object_get_string_member_with_default (g_ptr_array_index (self->participants, i),
                                                                                 "id", ""));
  json_object_set_array_member (o, "ticked", ticked);
  return o;
}

static void
volunteer_cb (GtkWidget  *widget,
              JsonObject *record)
{
  JgLedgerForm *self = JG_LEDGER_FORM (widget);

  self->busy = FALSE;
  if (record != NULL)
    {
      adw_action_row_set_subtitle (self->volunteer_row,
                                   json_object_get_string_member_with_default (record, "name", ""));
      self->volunteer = json_object_ref (record);
    }
  update_actions (self);
}

static void
participants_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JgLedgerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = NULL;

  array = jg_store_worker_search_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (array == NULL)
    {
      jg_form_show_error (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, error,
                          self->error_revealer, self->error_label);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *v = json_array_get_object_element (array, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member_with_default (v, "name", ""));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   json_object_get_string_member_with_default (v, "team", ""));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->volunteers_group, row);
      g_ptr_array_add (self->participants, json_object_ref (v));
      g_ptr_array_add (self->checks, check);
    }
}

static void
activity_cb (GtkWidget  *widget,
             JsonObject *record)
{
  JgLedgerForm *self = JG_LEDGER_FORM (widget);
  g_autoptr(JsonObject) active = json_object_new ();
  g_autofree char *start = NULL;
  const char *category;
  gboolean changed;

  self->busy = FALSE;
  if (record == NULL)
    {
      update_actions (self);
      return;
    }

  /* The activity's own date and category, to be changed if need be: a
   * default, not an edit. */
  changed = jg_form_has_changes (widget);
  start = jg_form_datetime_to_text (json_object_get_string_member_with_default (record, "start_at", NULL));
  gtk_editable_set_text (GTK_EDITABLE (self->served_at_row), start);
  category = json_object_get_string_member_with_default (record, "category", NULL);
  for (guint i = 0; self->service_types && self->service_types[i]; i++)
    if (g_strcmp0 (self->service_types[i], category) == 0)
      adw_combo_row_set_selected (self->service_type_row, i);
  if (!changed)
    jg_form_mark_pristine (widget);
  gtk_window_set_title (GTK_WINDOW (self), json_object_get_string_member_with_default (record, "title", ""));
  self->activity = json_object_ref (record);
  update_actions (self);

  /* A village's volunteers: a few hundred at most. */
  json_object_set_string_member (active, "org_unit",
                                 json_object_get_string_member_with_default (self->activity, "org_unit", ""));
  jg_store_worker_search_where_async (self->worker, "volunteer", NULL, active, 0, 1000,
                                      self->cancellable, participants_cb, g_object_ref (self));
}

static void
saved (JgLedgerForm *self,
       const char   *id)
{
  jg_form_saved (GTK_WIDGET (self), signals[SAVED], id, NULL);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgLedgerForm *self = JG_LEDGER_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    saved (self, id);
}

static void
put_many_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JgLedgerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  ids = jg_store_worker_put_many_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_actions (self);
  if (ids == NULL)
    jg_form_show_error (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, error,
                        self->error_revealer, self->error_label);
  else
    saved (self, ids[0]);
}

/* Writes what was checked (self->pending). */
static void
write_pending (JgLedgerForm *self)
{
  g_autoptr(JsonArray) records = g_steal_pointer (&self->pending);

  self->busy = TRUE;
  if (self->activity_id != NULL)
    jg_store_worker_put_many_async (self->worker, "service_entry", records, self->cancellable,
                                    put_many_cb, g_object_ref (self));
  else
    jg_form_put_async (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, self->worker, self->kind,
                       json_array_get_object_element (records, 0),
                       self->cancellable, self->error_revealer, self->error_label, put_cb);
  update_actions (self);
}

/* On the worker: the time checks of each entry to write, {"name",
 * "record"}, against what the store holds.  Recorder = approver is for
 * the reviewer who approves, not for the recorder: left out. */
static JsonNode *
check_func (JgStore            *store,
            gpointer            data,
            JgDemoProgressFunc  report,
            gpointer            report_data,
            GCancellable       *cancellable,
            GError            **error)
{
  JsonArray *entries = data;
  g_autoptr(JsonArray) found = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      g_autoptr(JsonArray) flags = NULL;
      g_autoptr(JsonArray) messages = json_array_new ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      flags = jg_ledger_flag_details (store, NULL, json_object_get_object_member (entry, "record"), error);
      if (flags == NULL)
        return NULL;
      for (guint k = 0; k < json_array_get_length (flags); k++)
        {
          JsonObject *flag = json_array_get_object_element (flags, k);
          const char *code = json_object_get_string_member_with_default (flag, "code", "");

          if (g_str_equal (code, JG_LEDGER_FLAG_OVERLAP) || g_str_equal (code, JG_LEDGER_FLAG_DAILY_CAP))
            json_array_add_string_element (messages, json_object_get_string_member_with_default (flag, "message", ""));
        }
      if (json_array_get_length (messages) > 0)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "name", json_object_get_string_member_with_default (entry, "name", ""));
          json_object_set_array_member (o, "messages", g_steal_pointer (&messages));
          json_array_add_object_element (found, o);
        }
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&found));
  return node;
}

static void
flags_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   JgLedgerForm     *self)
{
  self->flags_dialog = NULL;
  if (g_strcmp0 (response, "submit") == 0 && self->pending != NULL)
    write_pending (self);
  else
    g_clear_pointer (&self->pending, json_array_unref);
  update_actions (self);
}

/* What the checks found, for the recorder to fix or to confirm. */
static void
confirm_flags (JgLedgerForm *self,
               JsonArray    *found)
{
  g_autoptr(GString) body = g_string_new (_("The time bank’s checks found this. The entry cannot be changed "
                                            "once it is recorded: go back to correct a mistake, or submit it as "
                                            "it is and the reviewer will see the same."));
  GtkWidget *dialog;

  for (guint i = 0; i < json_array_get_length (found); i++)
    {
      JsonObject *o = json_array_get_object_element (found, i);
      JsonArray *messages = json_object_get_array_member (o, "messages");

      g_string_append (body, "\n");
      if (self->activity_id != NULL)
        {
          g_string_append_c (body, '\n');
          /* Translators: a volunteer's name, before what was found about her hours */
          g_string_append_printf (body, _("%s:"), json_object_get_string_member (o, "name"));
        }
      for (guint k = 0; k < json_array_get_length (messages); k++)
        {
          g_string_append (body, "\n• ");
          g_string_append (body, json_array_get_string_element (messages, k));
        }
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Check These Hours"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "back", _("_Go Back"),
                                    "submit", _("_Submit Anyway"),
                                    NULL);
  /* Correcting is the safe answer; submitting is a choice made on purpose. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "back");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "back");
  self->flags_dialog = ADW_MESSAGE_DIALOG (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (flags_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JgLedgerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (node == NULL)
    {
      g_clear_pointer (&self->pending, json_array_unref);
      jg_form_show_error (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, error,
                          self->error_revealer, self->error_label);
      update_actions (self);
      return;
    }
  if (json_array_get_length (json_node_get_array (node)) == 0)
    write_pending (self);
  else
    confirm_flags (self, json_node_get_array (node));
  update_actions (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  JgLedgerForm *self = JG_LEDGER_FORM (widget);
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(JsonArray) checks = json_array_new ();

  jg_form_clear_errors (widget, JG_TYPE_LEDGER_FORM, fields, self->error_revealer);

  if (self->activity_id != NULL)
    {
      for (guint i = 0; i < self->checks->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
          {
            JsonObject *volunteer = g_ptr_array_index (self->participants, i);
            JsonObject *check = json_object_new ();

            json_array_add_object_element (records, entry_fields (self, volunteer));
            json_object_set_string_member (check, "name",
                                           json_object_get_string_member_with_default (volunteer, "name", ""));
            json_object_set_object_member (check, "record", entry_fields (self, volunteer));
            json_array_add_object_element (checks, check);
          }
      if (json_array_get_length (records) == 0)
        {
          gtk_label_set_text (self->error_label, _("Tick the volunteers who took part"));
          gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
          return;
        }
    }
  else
    {
      JsonObject *check = json_object_new ();

      json_array_add_object_element (records, entry_fields (self, self->volunteer));
      json_object_set_object_member (check, "record", entry_fields (self, self->volunteer));
      json_array_add_object_element (checks, check);
    }

  g_clear_pointer (&self->pending, json_array_unref);
  self->pending = g_steal_pointer (&records);
  if (is_redemption (self))
    {
      write_pending (self);
      return;
    }
  /* The worker gets a copy of its own: the records written stay here. */
  self->busy = TRUE;
  jg_store_worker_run_async (self->worker, check_func, g_steal_pointer (&checks), (GDestroyNotify) json_array_unref,
                             NULL, NULL, NULL, self->cancellable, check_cb, g_object_ref (self));
  update_actions (self);
}

static void
jg_ledger_form_constructed (GObject *object)
{
  JgLedgerForm *self = (JgLedgerForm *)object;
  JgConfig *config = jg_config_get_default ();
  gboolean redeem;

  G_OBJECT_CLASS (jg_ledger_form_parent_class)->constructed (object);

  if (self->kind == NULL)
    self->kind = g_strdup ("service_entry");
  redeem = is_redemption (self);

  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    self->service_types = jg_config_get_list (config, "service_types");
    for (guint i = 0; self->service_types && self->service_types[i]; i++)
      gtk_string_list_append (labels, jg_config_get_label (config, "service_types", self->service_types[i], TRUE));
    adw_combo_row_set_model (self->service_type_row, G_LIST_MODEL (labels));
  }
  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    gtk_string_list_append (labels, _("Services"));
    gtk_string_list_append (labels, _("Goods"));
    gtk_string_list_append (labels, _("Privileges"));
    adw_combo_row_set_model (self->item_row, G_LIST_MODEL (labels));
    adw_combo_row_set_selected (self->item_row, 1);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->served_at_row), !redeem);
  gtk_widget_set_visible (GTK_WIDGET (self->service_type_row), !redeem);
  gtk_widget_set_visible (GTK_WIDGET (self->item_row), redeem);
  gtk_widget_set_visible (GTK_WIDGET (self->item_name_row), redeem);
  gtk_widget_set_visible (GTK_WIDGET (self->beneficiary_row), redeem);
  gtk_widget_set_visible (GTK_WIDGET (self->volunteer_row), self->activity_id == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->volunteers_group), self->activity_id != NULL);

  self->busy = TRUE;
  if (self->activity_id != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Hours for Participants"));
      jg_form_get_async (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, self->worker, "activity",
                         self->activity_id, self->cancellable,
                         self->error_revealer, self->error_label, activity_cb);
    }
  else
    {
      g_autofree char *today = jg_form_dup_today ();

      gtk_window_set_title (GTK_WINDOW (self), redeem ? _("Redeem Hours") : _("Add Hours"));
      gtk_editable_set_text (GTK_EDITABLE (self->served_at_row), today);
      jg_form_get_async (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM, self->worker, "volunteer",
                         self->volunteer_id, self->cancellable,
                         self->error_revealer, self->error_label, volunteer_cb);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_ledger_form_dispose (GObject *object)
{
  JgLedgerForm *self = (JgLedgerForm *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->flags_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->flags_dialog)));
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_LEDGER_FORM);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_ledger_form_parent_class)->dispose (object);
}

static void
jg_ledger_form_finalize (GObject *object)
{
  JgLedgerForm *self = (JgLedgerForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->volunteer, json_object_unref);
  g_clear_pointer (&self->activity, json_object_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->pending, json_array_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->volunteer_id, g_free);
  g_clear_pointer (&self->activity_id, g_free);

  G_OBJECT_CLASS (jg_ledger_form_parent_class)->finalize (object);
}

static void
jg_ledger_form_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgLedgerForm *self = JG_LEDGER_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_VOLUNTEER_ID:
      g_value_set_string (value, self->volunteer_id);
      break;

    case PROP_ACTIVITY_ID:
      g_value_set_string (value, self->activity_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_ledger_form_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgLedgerForm *self = JG_LEDGER_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;

    case PROP_VOLUNTEER_ID:
      self->volunteer_id = g_value_dup_string (value);
      break;

    case PROP_ACTIVITY_ID:
      self->activity_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_ledger_form_class_init (JgLedgerFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_ledger_form_constructed;
  object_class->dispose = jg_ledger_form_dispose;
  object_class->finalize = jg_ledger_form_finalize;
  object_class->get_property = jg_ledger_form_get_property;
  object_class->set_property = jg_ledger_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_VOLUNTEER_ID] =
    g_param_spec_string ("volunteer-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACTIVITY_ID] =
    g_param_spec_string ("activity-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgLedgerForm::saved:
   * @id: the id of the (first) entry written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-ledger-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, volunteer_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, minutes_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, served_at_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, service_type_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, item_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, item_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, beneficiary_row);
  gtk_widget_class_bind_template_child (widget_class, JgLedgerForm, volunteers_group);
  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_ledger_form_init (JgLedgerForm *self)
{
  self->cancellable = g_cancellable_new ();
  self->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The question about the time checks' flags, while it is asked. */
AdwMessageDialog *
jg_ledger_form_get_flags_dialog (JgLedgerForm *self)
{
  g_return_val_if_fail (JG_IS_LEDGER_FORM (self), NULL);

  return self->flags_dialog;
}

/* The check button of the participant with this name. */
GtkCheckButton *
jg_ledger_form_get_participant_check (JgLedgerForm *self,
                                      const char   *name)
{
  g_return_val_if_fail (JG_IS_LEDGER_FORM (self), NULL);

  for (guint i = 0; self->checks && i < self->checks->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (g_ptr_array_index (self->participants, i),
                                                               "name", NULL), name) == 0)
      return g_ptr_array_index (self->checks, i);
  return NULL;
}
