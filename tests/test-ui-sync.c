/* test-ui-sync.c: the sync indicator against a real jinguo-server */

#include "config.h"

#include "sync-test-util.h"
#include "jg-demo.h"
#include "jg-gui.h"
#include "jg-org-units.h"
#include "jg-profiles.h"
#include "jg-welcome-window.h"
#include "jg-ui-test.h"

/* ---- a network monitor whose network comes and goes on demand ---- */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

enum { MON_PROP_0, MON_PROP_AVAILABLE, MON_PROP_METERED, MON_PROP_CONNECTIVITY };

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MON_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MON_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MON_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MON_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MON_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MON_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static gboolean
test_monitor_initable (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable;
}

static void
test_monitor_init (TestMonitor *self)
{
}

static void
test_monitor_set (TestMonitor *self,
                  gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ---- helpers ---- */

static JgSyncButton *
sync_button (Fixture *f)
{
  return jg_window_get_sync_button (f->window);
}

typedef struct
{
  JgSyncButton *button;
  const char   *state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *w = data;

  return !jg_sync_button_get_syncing (w->button) &&
         g_strcmp0 (jg_sync_button_get_state (w->button), w->state) == 0;
}

static void
wait_state (Fixture    *f,
            const char *state)
{
  StateWait w = { sync_button (f), state };

  wait_until (has_state, &w);
}

static void
set_auto_sync (gboolean on)
{
  g_autoptr(GSettings) settings = jg_gui_settings_new ();

  g_assert_nonnull (settings);
  g_settings_set_boolean (settings, "auto-sync", on);
}

static char *
put_household (Fixture    *f,
               const char *unit,
               const char *head)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"head_name\":\"%s\",\"member_count\":3}",
                                           unit, head);

  return put_record (f->path, "household", json);
}

static void
signed_in_store (Fixture    *f,
                 TestServer *ts,
                 const char *user)
{
  g_autoptr(JgStore) store = fixture_open_store (f);

  client_login (ts, f->path, user);
}

/* ---- tests ---- */

static void
test_local_only (Fixture       *f,
                 gconstpointer  data)
{
  set_auto_sync (TRUE);
  fixture_open_window (f);
  wait_page (f->window, "activity");
  wait_state (f, "local-only");

  g_assert_cmpstr (jg_sync_button_get_label (sync_button (f)), ==, "Local only");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (sync_button (f)), "sync.now", NULL) &&
                  jg_sync_button_get_syncing (sync_button (f)));
}

static void
test_pending_then_synced (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *id = NULL;
  JsonObject *status;

  set_auto_sync (FALSE);
  signed_in_store (f, ts, "va");
  id = put_household (f, VILLAGE_A, "李梅");

  fixture_open_window (f);
  wait_state (f, "pending");
  g_assert_cmpstr (jg_sync_button_get_label (sync_button (f)), ==, "1 change waiting");
  status = jg_sync_button_get_status (sync_button (f));
  g_assert_cmpstr (json_object_get_string_member (status, "username"), ==, "va");
  g_assert_cmpstr (json_object_get_string_member (status, "server_url"), ==, ts->url);

  /* Sync Now, from the popover's button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sync_button (f)), "sync.now", NULL));
  g_assert_true (jg_sync_button_get_syncing (sync_button (f)));
  g_assert_cmpstr (jg_sync_button_get_state (sync_button (f)), ==, "syncing");
  wait_state (f, "up-to-date");
  g_assert_true (g_str_has_prefix (jg_sync_button_get_label (sync_button (f)), "Synced"));
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), >, 0);

  /* A new edit waits again. */
  {
    g_autoptr(JsonObject) o = json_object_new ();

    json_object_set_string_member (o, "org_unit", VILLAGE_A);
    json_object_set_string_member (o, "head_name", "王芳");
    json_object_set_int_member (o, "member_count", 2);
    jg_store_worker_put_async (f->worker, "household", o, NULL, NULL, NULL);
  }
  wait_state (f, "pending");
}

static gboolean
form_open (gpointer data)
{
  return jg_window_get_form (((Fixture *) data)->window) != NULL;
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *id = NULL;
  JsonObject *problems;
  JsonArray *rejected;
  JsonObject *first;
  GtkListBox *list;
  GtkWidget *row, *button;

  set_auto_sync (FALSE);
  /* Village A's staff may not write for village B: the server refuses a
   * record written before the laptop was signed in (signed in, the store
   * refuses such a write itself). */
  {
    g_autoptr(JgStore) store = fixture_open_store (f);
  }
  id = put_household (f, VILLAGE_B, "赵兰");
  signed_in_store (f, ts, "va");

  fixture_open_window (f);
  wait_state (f, "pending");
  jg_sync_button_sync_now (sync_button (f));
  wait_state (f, "problems");
  g_assert_true (g_str_has_suffix (jg_sync_button_get_label (sync_button (f)), "problems") ||
                 g_str_has_suffix (jg_sync_button_get_label (sync_button (f)), "problem"));

  /* The popover lists them with the server's reason. */
  jg_sync_button_refresh (sync_button (f));
  drain ();
  problems = jg_sync_button_get_problems (sync_button (f));
  g_assert_nonnull (problems);
  rejected = json_object_get_array_member (problems, "rejected");
  g_assert_cmpuint (json_array_get_length (rejected), >, 0);
  first = json_array_get_object_element (rejected, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "record"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (first, "code"), !=, "");

  list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (sync_button (f)), JG_TYPE_SYNC_BUTTON, "rejected_list"));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list)));
  /* Why, in the reader's language, made from the refusal's code (the
   * server answers in its own); the server's words in the tooltip. */
  g_assert_cmpstr (json_object_get_string_member (first, "code"), ==, "out_of_scope");
  g_assert_nonnull (json_object_get_string_member_with_default (first, "reason", NULL));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            json_object_get_string_member (first, "reason")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, json_object_get_string_member (first, "message"));

  /* Open: the record's form, to correct it. */
  button = gtk_widget_get_last_child (gtk_widget_get_last_child (gtk_widget_get_first_child (row)));
  while (button != NULL && !GTK_IS_BUTTON (button))
    button = gtk_widget_get_prev_sibling (button);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_until (form_open, f);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (jg_window_get_form (f->window)), ==, "JgHouseholdForm");
}

static void
test_network_returns (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autofree char *id = NULL;

  set_auto_sync (TRUE);
  signed_in_store (f, ts, "va");
  id = put_household (f, VILLAGE_A, "陈静");

  f->worker = jg_store_worker_new (f->path);
  f->window = g_object_ref (jg_window_new (NULL, f->worker));
  /* Before the status arrives: the window starts offline. */
  jg_sync_button_set_network_monitor (jg_window_get_sync_button (f->window), G_NETWORK_MONITOR (monitor));
  gtk_window_present (GTK_WINDOW (f->window));

  wait_state (f, "offline");
  g_assert_cmpstr (jg_sync_button_get_label (sync_button (f)), ==, "Offline");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);

  /* The network comes back: a sync starts by itself. */
  test_monitor_set (monitor, TRUE);
  g_assert_true (jg_sync_button_get_syncing (sync_button (f)));
  wait_state (f, "up-to-date");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), >, 0);

  jg_sync_button_set_network_monitor (sync_button (f), NULL);
}

typedef struct
{
  JgRecordList *model;
  guint         n;
} Count;

static gboolean
model_has_n (gpointer data)
{
  Count *c = data;

  return jg_record_list_get_ready (c->model) && !jg_record_list_get_loading (c->model) &&
         g_list_model_get_n_items (G_LIST_MODEL (c->model)) == c->n;
}

static void
test_pull_refreshes_lists (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *other_dir = g_dir_make_tmp ("jinguo-other-XXXXXX", NULL);
  g_autofree char *other = g_build_filename (other_dir, "other.db", NULL);
  g_autofree char *id = NULL;
  Count c;

  set_auto_sync (FALSE);
  /* Village A records on another laptop and syncs. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (other, JG_STORE_CREATE, &error);

    g_assert_no_error (error);
  }
  client_login (ts, other, "va");
  id = put_record (other, "household", "{\"org_unit\":\"" VILLAGE_A "\",\"head_name\":\"刘霞\",\"member_count\":4}");
  json_object_unref (client_sync (other));

  /* The township's window receives it. */
  signed_in_store (f, ts, "town");
  fixture_open_window (f);
  c.model = wait_page (f->window, "household");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (c.model)), ==, 0);
  wait_state (f, "up-to-date");
  jg_sync_button_sync_now (sync_button (f));
  wait_state (f, "up-to-date");
  c.n = 1;
  wait_until (model_has_n, &c);

  remove_tree (other_dir);
}

static GtkWidget *
sync_button_child (Fixture    *f,
                   const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (sync_button (f)), JG_TYPE_SYNC_BUTTON, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
sign_in_offered (gpointer data)
{
  Fixture *f = data;

  return !jg_sync_button_get_syncing (sync_button (f)) &&
         gtk_widget_get_visible (sync_button_child (f, "sign_in_button"));
}

static void
flag_cb (gpointer  instance,
         gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A device signed out by the county (token-revoke): the sync says so in
 * the client's words and offers to sign in again; only the password is
 * asked, and the same store, with what waited in it, syncs again
 * (exploratory test D item 3). */
static void
test_sign_in_again (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  const char *revoke[] = { "token-revoke", "--db", ts->db, "--username", "va", NULL };
  g_autofree char *id = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(JgWelcomeWindow) welcome = NULL;
  gboolean signed_in = FALSE;
  GtkWidget *row;

  set_auto_sync (FALSE);
  signed_in_store (f, ts, "va");
  id = put_household (f, VILLAGE_A, "李梅");
  g_assert_cmpint (run_server_command (revoke, NULL), ==, 0);

  fixture_open_window (f);
  wait_state (f, "pending");
  g_assert_false (gtk_widget_get_visible (sync_button_child (f, "sign_in_button")));
  jg_sync_button_sync_now (sync_button (f));
  wait_until (sign_in_offered, f);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sync_button_child (f, "error_label"))), ==,
                   "This device’s sign-in is not valid any more; sign in again");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM household"), ==, 0);

  /* What the button opens (app.sign-in): this store's server and user. */
  welcome = g_object_ref_sink (jg_welcome_window_new (NULL, dir));
  g_signal_connect (welcome, "signed-in", G_CALLBACK (flag_cb), &signed_in);
  jg_welcome_window_sign_in_again (welcome, f->path, ts->url, "va");
  gtk_window_present (GTK_WINDOW (welcome));
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "server_row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, ts->url);
  g_assert_false (gtk_widget_is_sensitive (row));
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "username_row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "va");
  g_assert_false (gtk_widget_is_sensitive (row));
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "password_row"));
  gtk_editable_set_text (GTK_EDITABLE (row), TEST_PASSWORD);
  gtk_window_set_focus (GTK_WINDOW (welcome), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.connect", NULL));
  wait_until (is_set, &signed_in);
  /* No new profile beside it. */
  {
    g_autofree char *name = jg_profiles_file_name ("va", ts->url);
    g_autofree char *other = g_build_filename (dir, name, NULL);

    if (g_strcmp0 (other, f->path) != 0)
      g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }

  jg_sync_button_sync_now (sync_button (f));
  wait_state (f, "up-to-date");
  g_assert_false (gtk_widget_get_visible (sync_button_child (f, "sign_in_button")));
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM household"), ==, 1);
}

static void
string_cb (JgWelcomeWindow *welcome,
           const char      *file_name,
           char           **out)
{
  g_free (*out);
  *out = g_strdup (file_name);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  if (!jg_profiles_move_finish (result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "done");
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_assert_true (jg_store_worker_close_finish (JG_STORE_WORKER (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_cmpint (jg_store_worker_count_finish (JG_STORE_WORKER (object), result, error), <, 0);
  g_assert_nonnull (*error);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

static gboolean
list_has_rows (gpointer data)
{
  return gtk_widget_get_first_child (data) != NULL;
}

static gboolean
status_loaded (gpointer data)
{
  return jg_sync_button_get_status (data) != NULL;
}

static gboolean
label_shown (gpointer data)
{
  return gtk_widget_get_visible (data) && *gtk_label_get_text (GTK_LABEL (data)) != '\0';
}

/* A village that began on "This Computer Only" gets an account: the sync
 * menu offers Sign In to a Server…; the sign-in asks for the server and the
 * user; an account that already has a profile here is not made twice; the
 * store then takes the account's name (as the app renames it), and its
 * records go to the server as any signed-in profile's do. */
static void
test_sign_in_local (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *file_name = jg_profiles_file_name ("va", ts->url);
  g_autofree char *new_path = g_build_filename (dir, file_name, NULL);
  g_autofree char *id = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *outside = NULL;
  g_autoptr(JgWelcomeWindow) welcome = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row, *connect_error;

  set_auto_sync (FALSE);
  {
    g_autoptr(JgStore) store = fixture_open_store (f);
  }
  id = put_household (f, VILLAGE_A, "李梅");
  outside = put_household (f, VILLAGE_B, "林美华");

  fixture_open_window (f);
  wait_state (f, "local-only");
  wait_until (status_loaded, sync_button (f));
  g_assert_true (gtk_widget_get_visible (sync_button_child (f, "move_button")));
  g_assert_false (gtk_widget_get_visible (sync_button_child (f, "sign_in_button")));

  /* What the button opens (app.move-to-server): the server and the user
   * are asked for. */
  welcome = g_object_ref_sink (jg_welcome_window_new (NULL, dir));
  g_signal_connect (welcome, "moved", G_CALLBACK (string_cb), &moved_to);
  jg_welcome_window_sign_in_local (welcome, f->path);
  gtk_window_present (GTK_WINDOW (welcome));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (welcome)), ==, "Sign In to a Server");
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "server_row"));
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_editable_set_text (GTK_EDITABLE (row), ts->url);
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "username_row"));
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_editable_set_text (GTK_EDITABLE (row), "va");
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW, "password_row"));
  gtk_editable_set_text (GTK_EDITABLE (row), TEST_PASSWORD);
  gtk_window_set_focus (GTK_WINDOW (welcome), NULL);
  connect_error = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome), JG_TYPE_WELCOME_WINDOW,
                                                             "connect_error"));

  /* The account has a profile here already: said, and nothing signed in. */
  g_assert_true (g_file_set_contents (new_path, "", 0, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.connect", NULL));
  wait_until (label_shown, connect_error);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (connect_error)), "already has a profile for va@"));
  g_assert_null (moved_to);
  g_assert_false (jg_welcome_window_get_busy (welcome));
  g_remove (new_path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.connect", NULL));
  wait_until (string_set, &moved_to);
  g_assert_cmpstr (moved_to, ==, file_name);

  /* What the app does then: the window goes, the store is closed on the
   * worker's thread (after what was queued), then renamed.  The worker
   * refuses what comes after. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  drain ();
  g_assert_finalize_object (g_steal_pointer (&f->window));
  {
    gboolean closed = FALSE;
    g_autoptr(GError) late = NULL;

    jg_store_worker_close_async (f->worker, closed_cb, &closed);
    wait_until (is_set, &closed);
    jg_store_worker_count_async (f->worker, "household", NULL, NULL, counted_cb, &late);
    wait_until (error_set, &late);
    g_assert_error (late, G_IO_ERROR, G_IO_ERROR_CLOSED);
    drain ();
    g_assert_finalize_object (g_steal_pointer (&f->worker));
  }
  jg_profiles_move_async (f->path, new_path, moved_cb, &error);
  wait_until (error_set, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NONE);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_free (f->path);
  f->path = g_strdup (new_path);

  /* Opened again: signed in, the household waiting, then at the server. */
  fixture_open_window (f);
  wait_state (f, "pending");
  g_assert_false (gtk_widget_get_visible (sync_button_child (f, "move_button")));
  jg_sync_button_sync_now (sync_button (f));
  /* The household of another village is refused whole: one problem, one
   * row naming it and its fields, not a row for each field. */
  wait_state (f, "problems");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM household"), ==, 1);
  g_assert_cmpstr (jg_sync_button_get_label (sync_button (f)), ==, "1 problem");
  {
    GtkWidget *list = sync_button_child (f, "rejected_list");
    GtkWidget *row;

    wait_until (list_has_rows, list);
    row = gtk_widget_get_first_child (list);
    g_assert_null (gtk_widget_get_next_sibling (row));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Household · 林美华");
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Head of household"));
  }
}

/* Demo data never goes to a county server: no Sign In to a Server… there. */
static void
test_demo_stays_local (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_auto_sync (FALSE);
  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    JgDemoOptions options = { .households = 20, .seed = 7 };
    g_autoptr(JsonObject) made = NULL;

    g_assert_true (jg_org_units_import_builtin (store, NULL, NULL, NULL, &error));
    made = jg_demo_generate (store, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  fixture_open_window (f);
  wait_state (f, "local-only");
  wait_until (status_loaded, sync_button (f));
  g_assert_false (gtk_widget_get_visible (sync_button_child (f, "move_button")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (sync_button_child (f, "detail_label"))), "demo data"));
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/jg/ui/sync/local-only", test_local_only);
  ADD ("/jg/ui/sync/pending-then-synced", test_pending_then_synced);
  ADD ("/jg/ui/sync/rejected", test_rejected);
  ADD ("/jg/ui/sync/network-returns", test_network_returns);
  ADD ("/jg/ui/sync/pull-refreshes-lists", test_pull_refreshes_lists);
  ADD ("/jg/ui/sync/sign-in-again", test_sign_in_again);
  ADD ("/jg/ui/sync/sign-in-local", test_sign_in_local);
  ADD ("/jg/ui/sync/demo-stays-local", test_demo_stays_local);
#undef ADD

  return g_test_run ();
}
