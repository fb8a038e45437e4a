/* test-ui-profiles.c: the welcome window, profiles and preferences */

#include "config.h"

#include "sync-test-util.h"
#include "jg-gui.h"
#include "jg-preferences-window.h"
#include "jg-profiles.h"
#include "jg-ui-test.h"
#include "jg-welcome-window.h"

typedef struct
{
  char            *dir;
  JgWelcomeWindow *welcome;
  char            *ready;
} Welcome;

static void
ready_cb (JgWelcomeWindow *welcome,
          const char      *file_name,
          Welcome         *w)
{
  g_free (w->ready);
  w->ready = g_strdup (file_name);
}

static void
welcome_open (Welcome *w)
{
  g_autoptr(GError) error = NULL;

  w->dir = g_dir_make_tmp ("jinguo-profiles-XXXXXX", &error);
  g_assert_no_error (error);
  w->welcome = g_object_ref (jg_welcome_window_new (NULL, w->dir));
  g_signal_connect (w->welcome, "profile-ready", G_CALLBACK (ready_cb), w);
  gtk_window_present (GTK_WINDOW (w->welcome));
  drain ();
}

static void
welcome_close (Welcome *w)
{
  /* Xvfb has no window manager to send the entry its focus-out. */
  gtk_window_set_focus (GTK_WINDOW (w->welcome), NULL);
  gtk_window_destroy (GTK_WINDOW (w->welcome));
  drain ();
  g_assert_finalize_object (w->welcome);
  remove_tree (w->dir);
  g_free (w->dir);
  g_free (w->ready);
}

static GObject *
welcome_child (Welcome    *w,
               const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (w->welcome), JG_TYPE_WELCOME_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
is_ready (gpointer data)
{
  return ((Welcome *) data)->ready != NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !jg_welcome_window_get_busy (((Welcome *) data)->welcome);
}

static char *
profile_path (Welcome    *w,
              const char *name)
{
  return g_build_filename (w->dir, name, NULL);
}

static void
test_welcome_offline (void)
{
  Welcome w = { 0 };
  g_autofree char *path = NULL;

  welcome_open (&w);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.show-offline", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (welcome_child (&w, "stack"))), ==, "offline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.start", NULL));
  wait_until (is_ready, &w);

  g_assert_cmpstr (w.ready, ==, JG_PROFILES_LOCAL);
  path = profile_path (&w, w.ready);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  welcome_close (&w);
}

static void
test_welcome_demo (void)
{
  Welcome w = { 0 };
  g_autofree char *path = NULL;

  welcome_open (&w);
  gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.show-offline", NULL);
  gtk_switch_set_active (GTK_SWITCH (welcome_child (&w, "demo_switch")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.start", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (welcome_child (&w, "progress_box"))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (welcome_child (&w, "cancel_button"))));
  wait_until (is_ready, &w);

  path = profile_path (&w, w.ready);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (path, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (jg_store_count (store, "household", NULL, NULL, NULL), >, 0);
  }
  welcome_close (&w);
}

static gboolean
no_store_left (gpointer data)
{
  Welcome *w = data;
  g_autofree char *path = profile_path (w, JG_PROFILES_LOCAL);

  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_welcome_demo_cancel (void)
{
  Welcome w = { 0 };

  welcome_open (&w);
  gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.show-offline", NULL);
  gtk_switch_set_active (GTK_SWITCH (welcome_child (&w, "demo_switch")), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.start", NULL);
  g_assert_true (jg_welcome_window_get_busy (w.welcome));
  g_usleep (G_USEC_PER_SEC / 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.cancel", NULL));

  g_assert_false (jg_welcome_window_get_busy (w.welcome));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (welcome_child (&w, "progress_box"))));
  /* The half-made store goes: it never shows up as a profile. */
  wait_until (no_store_left, &w);
  drain ();
  g_assert_null (w.ready);
  welcome_close (&w);
}

static void
fill_connect_form (Welcome    *w,
                   TestServer *ts,
                   const char *user,
                   const char *password)
{
  gtk_widget_activate_action (GTK_WIDGET (w->welcome), "welcome.show-connect", NULL);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (w->welcome), "welcome.connect", NULL) &&
                  jg_welcome_window_get_busy (w->welcome));
  gtk_editable_set_text (GTK_EDITABLE (welcome_child (w, "server_row")), ts->url);
  gtk_editable_set_text (GTK_EDITABLE (welcome_child (w, "username_row")), user);
  gtk_editable_set_text (GTK_EDITABLE (welcome_child (w, "password_row")), password);
  /* The rows go insensitive while connecting; without a window manager
   * (Xvfb) the focused one would never get its focus-out. */
  gtk_window_set_focus (GTK_WINDOW (w->welcome), NULL);
}

static void
test_welcome_wrong_password (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  Welcome w = { 0 };
  g_auto(GStrv) left = NULL;
  GtkLabel *error;

  welcome_open (&w);
  fill_connect_form (&w, ts, "va", "not-the-password");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.connect", NULL));
  g_assert_true (jg_welcome_window_get_busy (w.welcome));
  wait_until (not_busy, &w);

  /* Shown in the form; no profile made. */
  error = GTK_LABEL (welcome_child (&w, "connect_error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_cmpstr (gtk_label_get_text (error), !=, "");
  g_assert_null (w.ready);
  drain ();
  {
    g_autofree char *name = jg_profiles_file_name ("va", ts->url);
    g_autofree char *path = profile_path (&w, name);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* The right one. */
  gtk_editable_set_text (GTK_EDITABLE (welcome_child (&w, "password_row")), TEST_PASSWORD);
  gtk_window_set_focus (GTK_WINDOW (w.welcome), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.welcome), "welcome.connect", NULL));
  wait_until (is_ready, &w);
  g_assert_true (g_str_has_prefix (w.ready, "va@127.0.0.1-"));
  g_assert_true (g_str_has_suffix (w.ready, ".db"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  {
    g_autofree char *path = profile_path (&w, w.ready);
    g_autoptr(GError) err = NULL;
    g_autoptr(JgStore) store = jg_store_open (path, 0, &err);
    g_autoptr(JsonObject) status = NULL;

    g_assert_no_error (err);
    status = jg_store_sync_status (store, &err);
    g_assert_no_error (err);
    g_assert_true (json_object_get_boolean_member (status, "signed_in"));
    g_assert_cmpstr (json_object_get_string_member (status, "username"), ==, "va");
  }
  welcome_close (&w);
}

static void
test_profile_names (void)
{
  const char *none[] = { NULL };
  const char *one[] = { "local.db", NULL };
  const char *two[] = { "local.db", "local-2.db", NULL };
  g_autofree char *a = jg_profiles_file_name ("va", "http://127.0.0.1:8080");
  g_autofree char *b = jg_profiles_file_name ("李梅", "https://county.example/");
  g_autofree char *c = jg_profiles_free_name (none);
  g_autofree char *d = jg_profiles_free_name (one);
  g_autofree char *e = jg_profiles_free_name (two);
  g_autofree char *f = jg_profiles_display_name ("va@county.example.db");

  g_assert_cmpstr (a, ==, "va@127.0.0.1-8080.db");
  g_assert_cmpstr (b, ==, "李梅@county.example.db");
  g_assert_cmpstr (c, ==, "local.db");
  g_assert_cmpstr (d, ==, "local-2.db");
  g_assert_cmpstr (e, ==, "local-3.db");
  g_assert_cmpstr (f, ==, "va@county.example");
}

/* ---- preferences ---- */

static gboolean
prefs_status_loaded (gpointer data)
{
  return jg_preferences_window_get_status (data) != NULL;
}

static gboolean
prefs_signed_out (gpointer data)
{
  JsonObject *status = jg_preferences_window_get_status (data);

  return status != NULL && !json_object_get_boolean_member (status, "signed_in");
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
button_local_only (gpointer data)
{
  return g_strcmp0 (jg_sync_button_get_state (data), "local-only") == 0;
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(GSettings) settings = jg_gui_settings_new ();
  GtkWindow *prefs;
  GObject *row, *sw;

  g_settings_set_boolean (settings, "auto-sync", FALSE);
  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    client_login (ts, f->path, "va");
  }
  fixture_open_window (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.preferences", NULL));
  prefs = jg_window_get_preferences (f->window);
  g_assert_true (JG_IS_PREFERENCES_WINDOW (prefs));
  wait_until (prefs_status_loaded, prefs);

  row = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "server_row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, ts->url);
  row = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "user_row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "va");
  row = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "role_row");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Village staff");
  row = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "unit_row");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), VILLAGE_A));

  /* The switch is the setting. */
  sw = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "auto_sync_switch");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "auto-sync"));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_settings_set_uint (settings, "sync-interval", 30);
  sw = gtk_widget_get_template_child (GTK_WIDGET (prefs), JG_TYPE_PREFERENCES_WINDOW, "interval_spin");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (sw)), ==, 30);

  /* Sign out: a decision, so a dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.sign-out", NULL));
  wait_until (dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "sign-out");
  wait_until (prefs_signed_out, prefs);
  wait_until (button_local_only, jg_window_get_sync_button (f->window));

  /* The records stay; only the token went. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
    g_autoptr(JsonObject) status = jg_store_sync_status (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (status, "server_url"), ==, ts->url);
    g_assert_false (json_object_get_boolean_member (status, "signed_in"));
  }
  gtk_window_destroy (prefs);
  drain ();
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/jg/ui/profiles/names", test_profile_names);
  g_test_add_func ("/jg/ui/welcome/offline", test_welcome_offline);
  g_test_add_func ("/jg/ui/welcome/demo", test_welcome_demo);
  g_test_add_func ("/jg/ui/welcome/demo-cancel", test_welcome_demo_cancel);
  g_test_add_func ("/jg/ui/welcome/wrong-password", test_welcome_wrong_password);
  g_test_add ("/jg/ui/preferences", Fixture, NULL, fixture_set_up, test_preferences, fixture_tear_down);

  return g_test_run ();
}
