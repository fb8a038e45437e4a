/* jg-application.c: the desktop app
 *
 * One store per profile; `--store FILE` opens another one (a copy received
 * on a USB stick, demo data).  The store is opened by the worker thread.
 * Without --store the app looks in the profiles folder: no profile yet
 * means the welcome window; otherwise the profile used last opens.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-application.h"
#include "jg-gui.h"
#include "jg-profiles.h"
#include "jg-welcome-window.h"
#include "jg-window.h"

struct _JgApplication
{
  AdwApplication  parent_instance;

  char           *store_path;
  gboolean        explicit_store;   /* --store: no profiles */
  JgStoreWorker  *worker;
  GSettings      *settings;
  char           *profiles_dir;
  char          **profiles;         /* file names, in the menu's order */
  GMenu          *profile_menu;
  GtkWindow      *welcome;
  gboolean        moving;           /* a profile is being renamed: no window */
};

G_DEFINE_FINAL_TYPE (JgApplication, jg_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_store_path (JgApplication *self,
                const char    *path)
{
  if (g_strcmp0 (self->store_path, path) == 0)
    return;

  g_free (self->store_path);
  self->store_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_PATH]);
}

static int
jg_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  JgApplication *self = JG_APPLICATION (app);
  g_autofree char *store = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("jinguo %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "store", "^ay", &store))
    {
      g_autofree char *absolute = g_canonicalize_filename (store, NULL);

      set_store_path (self, absolute);
      self->explicit_store = TRUE;
      /* Another store is another app instance, not a window of this one. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Jinguo developers"), NULL };
  GtkWindow *window = gtk_application_get_active_window (app);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-icon", "org.jinguo.Jinguo",
                        "application-name", _("Jinguo"),
                        "developer-name", _("The Jinguo developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Records for grassroots women's federations: activities, volunteers and their time bank, households and courtyard inspections, family awards. Works offline."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* ---- profiles ---- */

static void
rebuild_profile_menu (JgApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  g_menu_remove_all (self->profile_menu);
  for (guint i = 0; self->profiles != NULL && self->profiles[i] != NULL; i++)
    {
      g_autofree char *label = jg_profiles_display_name (self->profiles[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "app.switch-profile", "s", self->profiles[i]);
      g_menu_append_item (self->profile_menu, item);
    }
  for (GList *l = windows; l != NULL; l = l->next)
    if (JG_IS_WINDOW (l->data))
      jg_window_set_profile_menu (l->data, G_MENU_MODEL (self->profile_menu));
}

/* The folder's profiles, in the order GSettings remembers, new ones last. */
static void
set_profiles (JgApplication      *self,
              const char * const *found)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) remembered = self->settings ? g_settings_get_strv (self->settings, "profiles") : NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; remembered != NULL && remembered[i] != NULL; i++)
    if (g_strv_contains (found, remembered[i]))
      {
        g_strv_builder_add (builder, remembered[i]);
        g_ptr_array_add (seen, remembered[i]);
      }
  for (guint i = 0; found[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < seen->len && !known; j++)
        known = g_strcmp0 (seen->pdata[j], found[i]) == 0;
      if (!known)
        g_strv_builder_add (builder, found[i]);
    }

  g_strfreev (self->profiles);
  self->profiles = g_strv_builder_end (builder);
  if (self->settings != NULL)
    g_settings_set_strv (self->settings, "profiles", (const char * const *) self->profiles);
  rebuild_profile_menu (self);
}

static void
add_profile_name (JgApplication *self,
                  const char    *file_name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) found = NULL;

  if (self->profiles != NULL)
    g_strv_builder_addv (builder, (const char **) self->profiles);
  if (self->profiles == NULL || !g_strv_contains ((const char * const *) self->profiles, file_name))
    g_strv_builder_add (builder, file_name);
  found = g_strv_builder_end (builder);
  set_profiles (self, (const char * const *) found);
}

static JgWindow *
open_store (JgApplication *self,
            const char    *path)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_autoptr(JgStoreWorker) worker = jg_store_worker_new (path);
  JgWindow *window;

  set_store_path (self, path);
  g_set_object (&self->worker, worker);

  /* The new window first: the application quits when its last one goes. */
  window = jg_window_new (GTK_APPLICATION (self), worker);
  jg_window_set_profile_menu (window, G_MENU_MODEL (self->profile_menu));
  gtk_window_present (GTK_WINDOW (window));

  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != (gpointer) window)
      gtk_window_destroy (l->data);
  g_list_free (windows);
  return window;
}

static void
open_profile (JgApplication *self,
              const char    *file_name)
{
  g_autofree char *path = g_build_filename (self->profiles_dir, file_name, NULL);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "switch-profile");

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "current-profile", file_name);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (file_name));
  open_store (self, path);
}

static void
welcome_ready_cb (JgApplication   *self,
                  const char      *file_name,
                  JgWelcomeWindow *welcome)
{
  add_profile_name (self, file_name);
  open_profile (self, file_name);
}

static void
welcome_destroy_cb (JgApplication *self,
                    GtkWindow     *welcome)
{
  if (self->welcome == welcome)
    self->welcome = NULL;
}

/* The one welcome window, over @parent (NULL: the first start). */
static JgWelcomeWindow *
new_welcome (JgApplication *self,
             GtkWindow     *parent)
{
  JgWelcomeWindow *welcome = jg_welcome_window_new (GTK_APPLICATION (self), self->profiles_dir);

  self->welcome = GTK_WINDOW (welcome);
  g_signal_connect_object (welcome, "destroy", G_CALLBACK (welcome_destroy_cb), self, G_CONNECT_SWAPPED);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (self->welcome, parent);
      gtk_window_set_modal (self->welcome, TRUE);
    }
  return welcome;
}

static void
show_welcome (JgApplication *self,
              GtkWindow     *parent)
{
  if (self->welcome == NULL)
    {
      JgWelcomeWindow *welcome = new_welcome (self, parent);

      g_signal_connect_object (welcome, "profile-ready", G_CALLBACK (welcome_ready_cb), self, G_CONNECT_SWAPPED);
      if (parent != NULL)
        gtk_window_set_title (self->welcome, _("Add Profile"));
    }
  gtk_window_present (self->welcome);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) found = jg_profiles_list_finish (result, &error);
  g_autofree char *current = NULL;
  const char *open = NULL;

  g_application_release (G_APPLICATION (self));
  if (found == NULL)
    found = g_new0 (char *, 1);
  set_profiles (self, (const char * const *) found);

  if (self->profiles[0] == NULL)
    {
      show_welcome (self, NULL);
      return;
    }

  current = self->settings ? g_settings_get_string (self->settings, "current-profile") : NULL;
  if (current != NULL && g_strv_contains ((const char * const *) self->profiles, current))
    open = current;
  else if (g_strv_contains ((const char * const *) self->profiles, JG_PROFILES_LOCAL))
    open = JG_PROFILES_LOCAL;
  else
    open = self->profiles[0];
  open_profile (self, open);
}

static void
switch_profile_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  JgApplication *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  if (g_strcmp0 (g_variant_get_string (state, NULL), g_variant_get_string (param, NULL)) == 0 &&
      !self->explicit_store)
    return;
  self->explicit_store = FALSE;
  open_profile (self, g_variant_get_string (param, NULL));
}

static void
add_profile_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  JgApplication *self = user_data;

  show_welcome (self, gtk_application_get_active_window (GTK_APPLICATION (self)));
}

/* The store is signed in again: what waited goes now. */
static void
signed_in_cb (JgApplication *self)
{
  /* Not the active window: that is still the sign-in window. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (JG_IS_WINDOW (l->data))
      {
        jg_sync_button_sync_now (jg_window_get_sync_button (JG_WINDOW (l->data)));
        return;
      }
}

/* "(ss)": the server and user of the open store, whose sign-in the
 * server no longer takes (the sync popover's Sign In Again…). */
static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  JgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *url, *username;
  JgWelcomeWindow *welcome;

  if (self->store_path == NULL || (self->welcome != NULL && jg_welcome_window_get_busy (JG_WELCOME_WINDOW (self->welcome))))
    return;
  g_variant_get (param, "(&s&s)", &url, &username);
  if (self->welcome != NULL)
    gtk_window_destroy (self->welcome);
  welcome = new_welcome (self, parent);
  g_signal_connect_object (welcome, "signed-in", G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
  jg_welcome_window_sign_in_again (welcome, self->store_path, url, username);
  gtk_window_present (self->welcome);
}

typedef struct
{
  JgApplication *self;
  JgStoreWorker *worker;
  char          *file_name;
  char          *old_file_name;
} MoveData;

static void
move_data_free (MoveData *m)
{
  g_object_unref (m->self);
  g_clear_object (&m->worker);
  g_free (m->file_name);
  g_free (m->old_file_name);
  g_free (m);
}

static void
rename_in (char       **names,
           const char  *from,
           const char  *to)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_strcmp0 (names[i], from) == 0)
      {
        g_free (names[i]);
        names[i] = g_strdup (to);
      }
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  MoveData *m = user_data;
  JgApplication *self = m->self;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  self->moving = FALSE;
  if (jg_profiles_move_finish (result, &error))
    {
      /* In the menu where the old name was (set_profiles() keeps the
       * remembered order). */
      if (self->settings != NULL)
        {
          g_auto(GStrv) remembered = g_settings_get_strv (self->settings, "profiles");

          rename_in (remembered, m->old_file_name, m->file_name);
          g_settings_set_strv (self->settings, "profiles", (const char * const *) remembered);
        }
      rename_in (self->profiles, m->old_file_name, m->file_name);
      if (self->profiles != NULL)
        set_profiles (self, (const char * const *) self->profiles);
      open_profile (self, m->file_name);
    }
  else
    {
      /* Signed in all the same: it syncs under its old name. */
      open_profile (self, m->old_file_name);
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (JG_IS_WINDOW (window))
        jg_window_add_toast (JG_WINDOW (window), error->message);
    }
  g_application_release (G_APPLICATION (self));
  move_data_free (m);
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MoveData *m = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = g_build_filename (m->self->profiles_dir, m->old_file_name, NULL);
  g_autofree char *to = g_build_filename (m->self->profiles_dir, m->file_name, NULL);

  if (!jg_store_worker_close_finish (JG_STORE_WORKER (object), result, &error))
    g_warning ("Closing %s: %s", from, error->message);
  /* This worker's thread ends here, not in the renaming thread. */
  g_clear_object (&m->worker);
  jg_profiles_move_async (from, to, moved_cb, m);
}

/* The open local-only store is signed in to a server and takes the
 * account's name: closed (its windows go), renamed, opened again; its
 * records then go to the server as the profile syncs on opening. */
static void
welcome_moved_cb (JgApplication *self,
                  const char    *file_name)
{
  MoveData *m;
  GList *windows;

  if (self->explicit_store || self->store_path == NULL || self->profiles_dir == NULL || self->worker == NULL)
    {
      signed_in_cb (self);
      return;
    }
  m = g_new0 (MoveData, 1);
  m->self = g_object_ref (self);
  m->file_name = g_strdup (file_name);
  m->old_file_name = g_path_get_basename (self->store_path);
  m->worker = g_steal_pointer (&self->worker);

  /* Kept alive while no window is open; a second start waits for it. */
  self->moving = TRUE;
  g_application_hold (G_APPLICATION (self));
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (JG_IS_WINDOW (l->data))
      gtk_window_destroy (l->data);
  g_list_free (windows);
  set_store_path (self, NULL);
  /* The store closed after what the windows had queued, on its own
   * thread; then renamed. */
  jg_store_worker_close_async (m->worker, closed_cb, m);
}

/* The sync popover's Sign In to a Server…: a local-only profile's records
 * go to a county server from now on. */
static void
move_to_server_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  JgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  JgWelcomeWindow *welcome;

  if (self->store_path == NULL || (self->welcome != NULL && jg_welcome_window_get_busy (JG_WELCOME_WINDOW (self->welcome))))
    return;
  if (self->welcome != NULL)
    gtk_window_destroy (self->welcome);
  welcome = new_welcome (self, parent);
  g_signal_connect_object (welcome, "moved", G_CALLBACK (welcome_moved_cb), self, G_CONNECT_SWAPPED);
  jg_welcome_window_sign_in_local (welcome, self->store_path);
  gtk_window_present (self->welcome);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "switch-profile", switch_profile_action, "s", "''" },
  { "add-profile", add_profile_action },
  { "sign-in", sign_in_action, "(ss)" },
  { "move-to-server", move_to_server_action },
};

static void
jg_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *new_accels[] = { "<primary>n", NULL };
  static const char *search_accels[] = { "<primary>f", NULL };
  static const char *preferences_accels[] = { "<primary>comma", NULL };

  G_APPLICATION_CLASS (jg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-record", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.preferences", preferences_accels);
}

static void
jg_application_activate (GApplication *app)
{
  JgApplication *self = JG_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  /* A profile is being renamed: its window comes back when it is. */
  if (self->moving)
    return;
  if (self->explicit_store)
    {
      window = GTK_WINDOW (jg_window_new (GTK_APPLICATION (app), jg_application_get_worker (self)));
      gtk_window_present (window);
      return;
    }

  /* Held until the folder is read and a window is up. */
  g_application_hold (app);
  jg_profiles_list_async (self->profiles_dir, NULL, list_cb, g_object_ref (self));
}

static void
jg_application_shutdown (GApplication *app)
{
  JgApplication *self = JG_APPLICATION (app);

  G_APPLICATION_CLASS (jg_application_parent_class)->shutdown (app);

  /* Joins the worker thread after its queued writes. */
  g_clear_object (&self->worker);
}

static void
jg_application_finalize (GObject *object)
{
  JgApplication *self = (JgApplication *)object;

  g_clear_object (&self->worker);
  g_clear_object (&self->settings);
  g_clear_object (&self->profile_menu);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->profiles_dir, g_free);
  g_clear_pointer (&self->profiles, g_strfreev);

  G_OBJECT_CLASS (jg_application_parent_class)->finalize (object);
}

static void
jg_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgApplication *self = JG_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      g_value_set_string (value, jg_application_get_store_path (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgApplication *self = JG_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      set_store_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_application_class_init (JgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = jg_application_finalize;
  object_class->get_property = jg_application_get_property;
  object_class->set_property = jg_application_set_property;

  app_class->handle_local_options = jg_application_handle_local_options;
  app_class->startup = jg_application_startup;
  app_class->activate = jg_application_activate;
  app_class->shutdown = jg_application_shutdown;

  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_application_init (JgApplication *self)
{
  static const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the store in FILE instead of the profile's"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);

  self->settings = jg_gui_settings_new ();
  self->profiles_dir = jg_profiles_default_dir ();
  self->profile_menu = g_menu_new ();
}

JgApplication *
jg_application_new (void)
{
  return g_object_new (JG_TYPE_APPLICATION,
                       "application-id", "org.jinguo.Jinguo",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/jinguo/Jinguo",
                       NULL);
}

/* The profile's store unless --store named another. */
const char *
jg_application_get_store_path (JgApplication *self)
{
  g_return_val_if_fail (JG_IS_APPLICATION (self), NULL);

  if (self->store_path == NULL)
    self->store_path = g_build_filename (self->profiles_dir, JG_PROFILES_LOCAL, NULL);
  return self->store_path;
}

JgStoreWorker *
jg_application_get_worker (JgApplication *self)
{
  g_return_val_if_fail (JG_IS_APPLICATION (self), NULL);

  if (self->worker == NULL)
    self->worker = jg_store_worker_new (jg_application_get_store_path (self));
  return self->worker;
}
