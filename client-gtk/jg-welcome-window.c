/* jg-welcome-window.c: first start, and adding a profile
 *
 * Makes a new profile store in the profiles folder, in one of two ways:
 * signing in to a county server (the store is named after the user and the
 * server), or a store that stays on this computer, optionally filled with
 * demo data.  "profile-ready" then names the new store's file; the
 * application opens it.  A store made for an attempt that failed or was
 * cancelled is removed again, so it never shows up as a profile.
 *
 * jg_welcome_window_sign_in_again() asks only for the password of a store
 * whose sign-in the server no longer takes, and signs that store in again
 * ("signed-in"): its records and its place stay as they are.
 *
 * jg_welcome_window_sign_in_local() signs a store that was never signed in
 * (a "This Computer Only" profile) in to a server, so that its records go
 * to the server at the next sync; "moved" then names the file the profile
 * is to be called by from now on (USER@HOST.db), which the application
 * renames it to.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-gui.h"
#include "jg-profiles.h"
#include "jg-store-worker.h"
#include "jg-sync-client.h"
#include "jg-welcome-window.h"

struct _JgWelcomeWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *profiles_dir;
  char                **existing;       /* file names of the profiles there */
  GCancellable         *cancellable;    /* the running attempt, if any */
  GCancellable         *list_cancellable;
  JgStoreWorker        *worker;         /* of the local profile being made */
  char                 *sign_in_path;   /* the store signed in again, or NULL */
  gboolean              moving;         /* sign_in_path is a local store going to a server */
  char                 *move_to;        /* the file name it takes when signed in */
  gboolean              busy;

  /* Template widgets */
  GtkStack             *stack;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *connect_group;
  GtkWidget            *back_button;
  AdwEntryRow          *server_row;
  AdwEntryRow          *username_row;
  AdwEntryRow          *password_row;
  GtkLabel             *connect_error;
  GtkSpinner           *connect_spinner;
  GtkSwitch            *demo_switch;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkLabel             *offline_error;
  GtkWidget            *start_button;
  GtkWidget            *cancel_button;
};

G_DEFINE_FINAL_TYPE (JgWelcomeWindow, jg_welcome_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROFILES_DIR,
  PROP_BUSY,
  N_PROPS
};

enum {
  PROFILE_READY,
  SIGNED_IN,
  MOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One attempt at making a profile; it outlives the window if need be, so
 * that a cancelled attempt can still remove what it made. */
typedef struct
{
  JgWelcomeWindow *self;       /* not a reference: only used when not cancelled */
  char            *file_name;
  char            *path;
  gboolean         is_new;
  JgStoreWorker   *worker;
  JgSyncClient    *client;
  char            *url;
  char            *username;
  char            *password;
} Attempt;

static void
attempt_free (Attempt *a)
{
  g_free (a->file_name);
  g_free (a->path);
  g_clear_object (&a->worker);
  g_clear_object (&a->client);
  g_free (a->url);
  g_free (a->username);
  if (a->password != NULL)
    memset (a->password, 0, strlen (a->password));
  g_free (a->password);
  g_free (a);
}

/* A store made for nothing goes again; one that was there before stays. */
static void
attempt_fail (Attempt *a)
{
  if (a->is_new)
    jg_profiles_discard (g_steal_pointer (&a->worker), a->path);
  attempt_free (a);
}

static Attempt *
attempt_new (JgWelcomeWindow *self,
             const char      *file_name)
{
  Attempt *a = g_new0 (Attempt, 1);

  a->self = self;
  /* Signing a store in again: that store, kept whatever the answer. */
  if (self->sign_in_path != NULL)
    {
      a->file_name = g_path_get_basename (self->sign_in_path);
      a->path = g_strdup (self->sign_in_path);
      return a;
    }
  a->file_name = g_strdup (file_name);
  a->path = g_build_filename (self->profiles_dir, file_name, NULL);
  a->is_new = self->existing == NULL || !g_strv_contains ((const char * const *) self->existing, file_name);
  return a;
}

/* ---- state ---- */

static void
update_actions (JgWelcomeWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean filled = *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->username_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.connect",
                                 !self->busy && filled && (self->profiles_dir != NULL || self->sign_in_path != NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.start", !self->busy && self->profiles_dir != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.cancel", self->busy && !self->moving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.back",
                                 g_strcmp0 (page, "start") != 0 && self->sign_in_path == NULL);
  gtk_widget_set_visible (self->back_button, g_strcmp0 (page, "start") != 0 && self->sign_in_path == NULL);
}

static void
set_busy (JgWelcomeWindow *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->connect_spinner), busy);
  gtk_spinner_set_spinning (self->connect_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy && (self->sign_in_path == NULL || self->moving));
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), !busy && (self->sign_in_path == NULL || self->moving));
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_switch), !busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  /* Signing a profile in to a server is not cancelled half-way: the store
   * may be signed in before the answer is read, and is then renamed. */
  gtk_window_set_deletable (GTK_WINDOW (self), !(busy && self->moving));
  gtk_widget_set_visible (self->start_button, !busy);
  if (!busy)
    gtk_widget_set_visible (self->progress_box, FALSE);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
cancel_attempt (JgWelcomeWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  set_busy (self, FALSE);
}

static void
finish (JgWelcomeWindow *self,
        const char      *file_name)
{
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[PROFILE_READY], 0, file_name);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char **names = jg_profiles_list_finish (result, &error);
  JgWelcomeWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_WELCOME_WINDOW (user_data);
  g_strfreev (self->existing);
  self->existing = names;
}

/* ---- connecting ---- */

static char *
server_url (JgWelcomeWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));

  /* "county.example:8443" means the secure address. */
  if (strstr (text, "://") == NULL)
    return g_strconcat ("https://", text, NULL);
  return g_steal_pointer (&text);
}

static void login_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data);

/* Signs in the attempt's store. */
static void
attempt_login (Attempt *a)
{
  a->client = jg_sync_client_new (a->path);
  jg_sync_client_login_async (a->client, a->url, a->username, a->password,
                              a->self->cancellable, login_cb, a);
}

/* The attempt ended without a profile: the form again, saying why. */
static void
connect_failed (JgWelcomeWindow *self,
                const char      *message)
{
  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  show_error (self->connect_error, message);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) user = jg_sync_client_login_finish (JG_SYNC_CLIENT (object), result, &error);
  JgWelcomeWindow *self;
  g_autofree char *file_name = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      attempt_fail (a);
      return;
    }
  self = a->self;
  if (user == NULL)
    {
      attempt_fail (a);
      connect_failed (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  file_name = g_strdup (a->file_name);
  attempt_free (a);
  if (self->sign_in_path != NULL)
    {
      set_busy (self, FALSE);
      g_clear_object (&self->cancellable);
      if (self->moving)
        g_signal_emit (self, signals[MOVED], 0, self->move_to);
      else
        g_signal_emit (self, signals[SIGNED_IN], 0);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  finish (self, file_name);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;
  JgWelcomeWindow *self;

  if (!jg_profiles_prepare_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          attempt_free (a);
          return;
        }
      self = a->self;
      attempt_free (a);
      connect_failed (self, error->message);
      return;
    }
  attempt_login (a);
}

/* A profile moving to a server takes the account's name; the account may
 * already have its own profile here, which would be two stores of the same
 * account: the profiles as they are now are looked at first. */
static void
move_list_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = jg_profiles_list_finish (result, &error);
  JgWelcomeWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      attempt_free (a);
      return;
    }
  self = a->self;
  if (names != NULL && g_strv_contains ((const char * const *) names, self->move_to))
    {
      g_autofree char *profile = jg_profiles_display_name (self->move_to);
      g_autofree char *message =
        /* Translators: %s names a profile, e.g. li@county.example */
        g_strdup_printf (_("This computer already has a profile for %s. Open that profile from the profile menu to "
                           "sync its records, or sign in here as another user."), profile);

      attempt_free (a);
      connect_failed (self, message);
      return;
    }
  attempt_login (a);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (widget);
  g_autofree char *url = server_url (self);
  g_autofree char *username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  g_autofree char *file_name = jg_profiles_file_name (username, url);
  Attempt *a;

  if (self->busy)
    return;
  show_error (self->connect_error, NULL);
  if (self->moving)
    {
      g_free (self->move_to);
      self->move_to = g_strdup (file_name);
    }
  a = attempt_new (self, file_name);
  a->url = g_steal_pointer (&url);
  a->username = g_steal_pointer (&username);
  a->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  if (self->moving && self->profiles_dir != NULL)
    {
      jg_profiles_list_async (self->profiles_dir, self->cancellable, move_list_cb, a);
      return;
    }
  if (self->sign_in_path != NULL)
    {
      attempt_login (a);
      return;
    }
  jg_profiles_prepare_async (self->profiles_dir, self->cancellable, prepare_cb, a);
}

static void
password_activated_cb (JgWelcomeWindow *self,
                       AdwEntryRow     *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.connect", NULL);
}

static void
entry_changed_cb (JgWelcomeWindow *self,
                  GtkEditable     *editable)
{
  update_actions (self);
}

/* ---- working offline ---- */

static void
demo_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  JgWelcomeWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_text (self->progress_label, message ? message : "");
}

static void
local_done (Attempt *a,
            GError  *error)
{
  JgWelcomeWindow *self = a->self;
  g_autofree char *file_name = NULL;

  if (error != NULL)
    {
      g_clear_object (&self->worker);
      attempt_fail (a);
      set_busy (self, FALSE);
      g_clear_object (&self->cancellable);
      show_error (self->offline_error, error->message);
      return;
    }
  file_name = g_strdup (a->file_name);
  attempt_free (a);
  /* The application opens the store with a worker of its own. */
  g_clear_object (&self->worker);
  finish (self, file_name);
}

static void
demo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = jg_store_worker_demo_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      attempt_fail (a);
      return;
    }
  local_done (a, summary == NULL ? error : NULL);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *a = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = jg_store_worker_sync_status_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      attempt_fail (a);
      return;
    }
  local_done (a, status == NULL ? error : NULL);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (widget);
  g_autofree char *file_name = jg_profiles_free_name ((const char * const *) self->existing);
  Attempt *a;

  if (self->busy)
    return;
  show_error (self->offline_error, NULL);
  a = attempt_new (self, file_name);
  /* The worker creates the folder and the store with its first job. */
  self->worker = jg_store_worker_new (a->path);
  a->worker = g_object_ref (self->worker);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  if (gtk_switch_get_active (self->demo_switch))
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->progress_label, _("Starting…"));
      gtk_widget_set_visible (self->progress_box, TRUE);
      jg_store_worker_demo_async (self->worker, NULL, demo_progress_cb, self,
                                  self->cancellable, demo_cb, a);
    }
  else
    /* Any job opens (and so creates) the store. */
    jg_store_worker_sync_status_async (self->worker, self->cancellable, created_cb, a);
}

/* ---- navigation ---- */

static void
show_page (JgWelcomeWindow *self,
           const char      *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  update_actions (self);
  if (g_strcmp0 (page, "connect") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static void
show_connect_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  show_page (JG_WELCOME_WINDOW (widget), "connect");
}

static void
show_offline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  show_page (JG_WELCOME_WINDOW (widget), "offline");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (widget);

  cancel_attempt (self);
  show_page (self, "start");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  cancel_attempt (JG_WELCOME_WINDOW (widget));
}

/* ---- the object ---- */

static void
jg_welcome_window_constructed (GObject *object)
{
  JgWelcomeWindow *self = (JgWelcomeWindow *)object;

  G_OBJECT_CLASS (jg_welcome_window_parent_class)->constructed (object);

  if (self->profiles_dir == NULL)
    self->profiles_dir = jg_profiles_default_dir ();
  /* To tell a new store from one there already. */
  self->list_cancellable = g_cancellable_new ();
  jg_profiles_list_async (self->profiles_dir, self->list_cancellable, list_cb, self);
  update_actions (self);
}

static void
jg_welcome_window_dispose (GObject *object)
{
  JgWelcomeWindow *self = (JgWelcomeWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->worker);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_WELCOME_WINDOW);

  G_OBJECT_CLASS (jg_welcome_window_parent_class)->dispose (object);
}

static void
jg_welcome_window_finalize (GObject *object)
{
  JgWelcomeWindow *self = (JgWelcomeWindow *)object;

  g_clear_pointer (&self->profiles_dir, g_free);
  g_clear_pointer (&self->existing, g_strfreev);
  g_free (self->sign_in_path);
  g_free (self->move_to);

  G_OBJECT_CLASS (jg_welcome_window_parent_class)->finalize (object);
}

static void
jg_welcome_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROFILES_DIR:
      g_value_set_string (value, self->profiles_dir);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_welcome_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROFILES_DIR:
      self->profiles_dir = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
jg_welcome_window_close_request (GtkWindow *window)
{
  JgWelcomeWindow *self = JG_WELCOME_WINDOW (window);

  /* See set_busy(): the sign-in of a profile moving to a server ends. */
  if (self->busy && self->moving)
    return TRUE;
  return GTK_WINDOW_CLASS (jg_welcome_window_parent_class)->close_request (window);
}

static void
jg_welcome_window_class_init (JgWelcomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = jg_welcome_window_constructed;
  object_class->dispose = jg_welcome_window_dispose;
  object_class->finalize = jg_welcome_window_finalize;
  object_class->get_property = jg_welcome_window_get_property;
  object_class->set_property = jg_welcome_window_set_property;
  window_class->close_request = jg_welcome_window_close_request;

  properties[PROP_PROFILES_DIR] =
    g_param_spec_string ("profiles-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgWelcomeWindow::profile-ready:
   * @file_name: the new profile's store, a file name in the profiles folder
   */
  signals[PROFILE_READY] =
    g_signal_new ("profile-ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* jg_welcome_window_sign_in_again(): the store is signed in again; the
   * window closes itself after it. */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * JgWelcomeWindow::moved:
   * @file_name: what the profile is called now that it is signed in
   *
   * jg_welcome_window_sign_in_local(): the store is signed in; the window
   * closes itself after it.
   */
  signals[MOVED] =
    g_signal_new ("moved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-welcome-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, connect_group);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, connect_error);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, demo_switch);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, offline_error);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, JgWelcomeWindow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);

  gtk_widget_class_install_action (widget_class, "welcome.show-connect", NULL, show_connect_action);
  gtk_widget_class_install_action (widget_class, "welcome.show-offline", NULL, show_offline_action);
  gtk_widget_class_install_action (widget_class, "welcome.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "welcome.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "welcome.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "welcome.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "welcome.back", NULL);
}

static void
jg_welcome_window_init (JgWelcomeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
}

JgWelcomeWindow *
jg_welcome_window_new (GtkApplication *application,
                       const char     *profiles_dir)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (JG_TYPE_WELCOME_WINDOW,
                       "application", application,
                       "profiles-dir", profiles_dir,
                       NULL);
}

const char *
jg_welcome_window_get_profiles_dir (JgWelcomeWindow *self)
{
  g_return_val_if_fail (JG_IS_WELCOME_WINDOW (self), NULL);

  return self->profiles_dir;
}

/* Signing in or making the store is under way. */
gboolean
jg_welcome_window_get_busy (JgWelcomeWindow *self)
{
  g_return_val_if_fail (JG_IS_WELCOME_WINDOW (self), FALSE);

  return self->busy;
}

/* Asks only for the password of @username at @url, to sign the store at
 * @path in again (its sign-in was revoked or has lapsed); "signed-in"
 * follows, and the window closes.  The server and user stay as they are:
 * another user is another profile. */
void
jg_welcome_window_sign_in_again (JgWelcomeWindow *self,
                                 const char      *path,
                                 const char      *url,
                                 const char      *username)
{
  g_return_if_fail (JG_IS_WELCOME_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_free (self->sign_in_path);
  self->sign_in_path = g_strdup (path);
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In Again"));
  adw_window_title_set_title (self->window_title, _("Sign In Again"));
  adw_preferences_group_set_title (self->connect_group, _("Sign In Again"));
  adw_preferences_group_set_description (self->connect_group,
                                         _("The server has signed this computer out. Enter the password to go on "
                                           "syncing; the records on this computer stay as they are."));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), FALSE);
  show_error (self->connect_error, NULL);
  show_page (self, "connect");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* Asks for a server, a user and a password to sign the store at @path,
 * which was never signed in, in to that server: its records go there at
 * the next sync, under that account ("moved" follows, and the window
 * closes). */
void
jg_welcome_window_sign_in_local (JgWelcomeWindow *self,
                                 const char      *path)
{
  g_return_if_fail (JG_IS_WELCOME_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_free (self->sign_in_path);
  self->sign_in_path = g_strdup (path);
  self->moving = TRUE;
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In to a Server"));
  adw_window_title_set_title (self->window_title, _("Sign In to a Server"));
  adw_preferences_group_set_title (self->connect_group, _("Sign In to a Server"));
  adw_preferences_group_set_description (self->connect_group,
                                         _("The records of this profile go to the county server at the next sync and "
                                           "are kept there under the account you sign in with. Records of villages "
                                           "outside that account's area are not taken; they are listed to correct."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), TRUE);
  show_error (self->connect_error, NULL);
  show_page (self, "connect");
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}
