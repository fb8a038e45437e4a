/* jg-application.c: the desktop app
 *
 * One store per profile; `--store FILE` opens another one (a copy received
 * on a USB stick, demo data).  The store is opened by the worker thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-application.h"
#include "jg-window.h"

struct _JgApplication
{
  AdwApplication  parent_instance;

  char           *store_path;
  JgStoreWorker  *worker;
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
  static const char *developers[] = { "The Jinguo developers", NULL };
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

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
jg_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *new_accels[] = { "<primary>n", NULL };
  static const char *search_accels[] = { "<primary>f", NULL };

  G_APPLICATION_CLASS (jg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-record", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
}

static void
jg_application_activate (GApplication *app)
{
  JgApplication *self = JG_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (jg_window_new (GTK_APPLICATION (app), jg_application_get_worker (self)));
  gtk_window_present (window);
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
  g_clear_pointer (&self->store_path, g_free);

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
    self->store_path = g_build_filename (g_get_user_data_dir (), "jinguo", "profiles", "local.db", NULL);
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
