/* jg-ui-test.h: what the UI tests share
 *
 * Each test builds the real window on a fresh store in a temporary folder,
 * drives it through its actions and widgets, and checks the store with a
 * connection of its own.
 */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-gui.h"
#include "jg-record-list.h"
#include "jg-record-page.h"
#include "jg-store-worker.h"
#include "jg-window.h"

#define UNIT "331082004240"

typedef struct
{
  char          *dir;
  char          *path;
  JgStoreWorker *worker;
  JgWindow      *window;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until cond holds; fails the test after 10 s, times
 * JG_TEST_TIME_SCALE (test.sh sets it for the slower sanitized build). */
static inline void
wait_until (Condition cond,
            gpointer  data)
{
  const char *scale_env = g_getenv ("JG_TEST_TIME_SCALE");
  gint64 scale = scale_env ? MAX (1, g_ascii_strtoll (scale_env, NULL, 10)) : 1;
  gint64 deadline = g_get_monotonic_time () + scale * 10 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for a condition");
      g_usleep (1000);
    }
}

/* Lets everything queued finish: the worker's replies and GTK's idles. */
static inline void
drain (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

static gboolean
model_ready (gpointer data)
{
  JgRecordList *model = data;

  return jg_record_list_get_ready (model) && !jg_record_list_get_loading (model);
}

static inline JgRecordList *
wait_page (JgWindow   *window,
           const char *entity)
{
  JgRecordList *model = jg_record_page_get_model (jg_window_get_page (window, entity));

  g_assert_nonnull (model);
  wait_until (model_ready, model);
  return model;
}

/* A store with content before the app sees it. */
static inline JgStore *
fixture_open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profiles = g_path_get_dirname (f->path);
  JgStore *store;

  g_assert_cmpint (g_mkdir_with_parents (profiles, 0700), ==, 0);
  store = jg_store_open (f->path, JG_STORE_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static inline void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jinguo-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "profiles", "local.db", NULL);
}

static inline void
fixture_open_window (Fixture *f)
{
  f->worker = jg_store_worker_new (f->path);
  f->window = g_object_ref (jg_window_new (NULL, f->worker));
  gtk_window_present (GTK_WINDOW (f->window));
}

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      drain ();
      g_assert_finalize_object (f->window);
    }
  if (f->worker != NULL)
    {
      drain ();
      g_assert_finalize_object (f->worker);
    }
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_autofree char *profiles = g_path_get_dirname (f->path);

    g_remove (f->path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (profiles);
    g_rmdir (f->dir);
  }
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->dir, g_free);
}

static inline JsonArray *
store_list (Fixture    *f,
            const char *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = jg_store_list (store, entity, NULL, &error);
  g_assert_no_error (error);
  return array;
}

/* A record of @entity from @json through the store's rules; its id. */
static inline char *
store_put_json (JgStore    *store,
                const char *entity,
                const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = jg_store_put (store, entity, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return id;
}

/* A household of UNIT headed by @head, with an approved full-marks
 * inspection and a village designation (plaque @plaque) left in
 * @review_state ("draft", "submitted", "approved"); the designation's id. */
static inline char *
store_put_designation (JgStore    *store,
                       const char *head,
                       const char *plaque,
                       const char *review_state,
                       char      **household_out)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" UNIT "\",\"head_name\":\"%s\",\"member_count\":3}",
                                           head);
  g_autofree char *household = store_put_json (store, "household", json);
  g_autofree char *inspection = NULL;
  char *id;

  g_free (json);
  json = g_strdup_printf ("{\"org_unit\":\"" UNIT "\",\"household\":\"%s\",\"inspected_at\":\"2024-03-01\","
                          /* submitted: with who inspected (jg_rubric_check_submit()) */
                          "\"stage\":\"village\",\"review_state\":\"submitted\",\"inspectors\":[\"王芳\"],"
                          "\"item_scores\":{\"R1\":6,\"R2\":6,\"R3\":5,\"R4\":4,\"R5\":4,"
                          "\"Y1\":7,\"Y2\":6,\"Y3\":6,\"Y4\":4,\"Y5\":4,\"Y6\":3,"
                          "\"K1\":5,\"K2\":4,\"K3\":7,\"K4\":4,"
                          "\"F1\":6,\"F2\":4,\"F3\":4,\"F4\":4,\"F5\":4,\"F6\":3}}", household);
  inspection = store_put_json (store, "inspection", json);
  g_free (json);
  json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", inspection);
  g_free (store_put_json (store, "inspection", json));
  g_free (json);
  json = g_strdup_printf ("{\"org_unit\":\"" UNIT "\",\"household\":\"%s\",\"level\":\"village\","
                          "\"valid_from\":\"2024-04-01\",\"plaque_no\":\"%s\",\"inspection\":\"%s\"}",
                          household, plaque, inspection);
  id = store_put_json (store, "designation", json);
  if (g_strcmp0 (review_state, "draft") != 0)
    {
      g_free (json);
      json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", id);
      g_free (store_put_json (store, "designation", json));
    }
  if (g_strcmp0 (review_state, "approved") == 0)
    {
      g_free (json);
      json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", id);
      g_free (store_put_json (store, "designation", json));
    }
  if (household_out != NULL)
    *household_out = g_steal_pointer (&household);
  return id;
}

static inline GObject *
form_child (GtkWindow  *form,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (form), G_OBJECT_TYPE (form), name);

  g_assert_nonnull (child);
  return child;
}

static inline void
form_set_text (GtkWindow  *form,
               const char *name,
               const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (form_child (form, name)), text);
}

static inline void
form_set_spin (GtkWindow  *form,
               const char *name,
               double      value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (form_child (form, name)), value);
}

static inline gboolean
form_field_shows_error (GtkWindow  *form,
                        const char *field)
{
  g_autofree char *row = g_strconcat (field, "_row", NULL);
  g_autofree char *error = g_strconcat (field, "_error", NULL);

  return gtk_widget_has_css_class (GTK_WIDGET (form_child (form, row)), "error") &&
         gtk_widget_get_visible (GTK_WIDGET (form_child (form, error)));
}

static inline const char *
form_field_error_text (GtkWindow  *form,
                       const char *field)
{
  g_autofree char *name = g_strconcat (field, "_error", NULL);
  GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (form_child (form, name)));

  return gtk_label_get_text (GTK_LABEL (label));
}

static inline void
ui_test_init (int    *argc,
              char ***argv)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the system's data dirs, and
   * with them the MIME database GTK needs to load its own SVG icons.  Every
   * test works on a store in its own g_dir_make_tmp() folder and settings
   * live in memory (GSETTINGS_BACKEND=memory), so nothing leaks out. */
  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  adw_init ();
  jg_gui_init ();
}
