/* jg-preferences-window.c: sync settings and the current profile
 *
 * The sync settings are GSettings keys, bound in place.  The profile part is
 * read from the store through the worker; it cannot be edited here (the
 * server decides who a user is), only signed out of.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-gui.h"
#include "jg-preferences-window.h"
#include "jg-review.h"

struct _JgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  JgStoreWorker        *worker;
  GSettings            *settings;
  JsonObject           *status;
  GCancellable         *cancellable;
  gboolean              signing_out;

  /* Template widgets */
  GtkSwitch            *auto_sync_switch;
  GtkSpinButton        *interval_spin;
  AdwPreferencesGroup  *profile_group;
  AdwActionRow         *server_row;
  AdwActionRow         *user_row;
  AdwActionRow         *role_row;
  AdwActionRow         *unit_row;
  AdwActionRow         *store_row;
  AdwActionRow         *sign_out_row;
};

G_DEFINE_FINAL_TYPE (JgPreferencesWindow, jg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
signed_in (JgPreferencesWindow *self)
{
  return self->status != NULL &&
         json_object_get_boolean_member_with_default (self->status, "signed_in", FALSE);
}

static const char *
status_string (JgPreferencesWindow *self,
               const char          *member)
{
  if (self->status == NULL)
    return NULL;
  return json_object_get_string_member_with_default (self->status, member, NULL);
}

static void
update_actions (JgPreferencesWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-out",
                                 self->worker != NULL && signed_in (self) && !self->signing_out);
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value ? value : _("None"));
}

static void
update_profile (JgPreferencesWindow *self)
{
  const char *server = status_string (self, "server_url");
  const char *unit = status_string (self, "org_unit");
  const char *unit_name = status_string (self, "org_unit_name");
  g_autofree char *unit_text = NULL;

  if (unit != NULL && unit_name != NULL)
    unit_text = g_strdup_printf ("%s (%s)", unit_name, unit);
  else
    unit_text = g_strdup (unit);

  set_row (self->server_row, server);
  set_row (self->user_row, status_string (self, "username"));
  set_row (self->role_row, jg_review_role_title (status_string (self, "role")));
  set_row (self->unit_row, unit_text);
  set_row (self->store_row, self->worker ? jg_store_worker_get_path (self->worker) : NULL);

  if (server == NULL)
    adw_preferences_group_set_description (self->profile_group,
                                           _("This profile works on this computer only: it has never signed in to a server."));
  else if (!signed_in (self))
    adw_preferences_group_set_description (self->profile_group,
                                           _("Signed out. To sign in again, add a profile for the same user and server: it carries on with these records."));
  else
    adw_preferences_group_set_description (self->profile_group,
                                           _("Who you are on the county server. Your county federation changes this, not the app."));
  update_actions (self);
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = jg_store_worker_sync_status_finish (JG_STORE_WORKER (object), result, &error);
  JgPreferencesWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_PREFERENCES_WINDOW (user_data);
  if (status == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  g_clear_pointer (&self->status, json_object_unref);
  self->status = g_steal_pointer (&status);
  update_profile (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
load_status (JgPreferencesWindow *self)
{
  if (self->worker == NULL)
    return;
  jg_store_worker_sync_status_async (self->worker, self->cancellable, status_cb, self);
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JgPreferencesWindow *self;

  if (!jg_store_worker_sign_out_finish (JG_STORE_WORKER (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_PREFERENCES_WINDOW (user_data);
  self->signing_out = FALSE;
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (error ? error->message : _("Signed out")));
  load_status (self);
}

static void
sign_out_response_cb (AdwMessageDialog    *dialog,
                      const char          *response,
                      JgPreferencesWindow *self)
{
  if (g_strcmp0 (response, "sign-out") != 0 || self->worker == NULL)
    return;
  self->signing_out = TRUE;
  update_actions (self);
  jg_store_worker_sign_out_async (self->worker, self->cancellable, sign_out_cb, self);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Sign Out?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("This computer stops syncing with %s until you sign in again. "
                                    "The records and the changes not sent yet stay in this profile."),
                                  status_string (self, "server_url"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
jg_preferences_window_constructed (GObject *object)
{
  JgPreferencesWindow *self = (JgPreferencesWindow *)object;

  G_OBJECT_CLASS (jg_preferences_window_parent_class)->constructed (object);

  if ((self->settings = jg_gui_settings_new ()) != NULL)
    {
      g_settings_bind (self->settings, "auto-sync", self->auto_sync_switch, "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "sync-interval",
                       gtk_spin_button_get_adjustment (self->interval_spin), "value", G_SETTINGS_BIND_DEFAULT);
    }
  update_profile (self);
  load_status (self);
}

static void
jg_preferences_window_dispose (GObject *object)
{
  JgPreferencesWindow *self = (JgPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (jg_preferences_window_parent_class)->dispose (object);
}

static void
jg_preferences_window_finalize (GObject *object)
{
  JgPreferencesWindow *self = (JgPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->status, json_object_unref);

  G_OBJECT_CLASS (jg_preferences_window_parent_class)->finalize (object);
}

static void
jg_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_preferences_window_class_init (JgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_preferences_window_constructed;
  object_class->dispose = jg_preferences_window_dispose;
  object_class->finalize = jg_preferences_window_finalize;
  object_class->get_property = jg_preferences_window_get_property;
  object_class->set_property = jg_preferences_window_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_boxed ("status", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, auto_sync_switch);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, profile_group);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, unit_row);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, store_row);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, sign_out_row);

  gtk_widget_class_install_action (widget_class, "prefs.sign-out", NULL, sign_out_action);
}

static void
jg_preferences_window_init (JgPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

JgPreferencesWindow *
jg_preferences_window_new (JgStoreWorker *worker)
{
  g_return_val_if_fail (!worker || JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_PREFERENCES_WINDOW, "worker", worker, NULL);
}

/* What was read from the store; NULL until then. */
JsonObject *
jg_preferences_window_get_status (JgPreferencesWindow *self)
{
  g_return_val_if_fail (JG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->status;
}
