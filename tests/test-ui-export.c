/* test-ui-export.c: the export dialog and the conflicts page's soft conflicts */

#include "config.h"

#include "jg-ui-test.h"
#include "jg-conflicts-page.h"
#include "jg-export.h"
#include "jg-export-ui.h"
#include "jg-sync-button.h"

/* ---- the export dialog ---- */

static void
chosen_cb (GtkWidget  *widget,
           const char *path,
           gpointer    user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup (path);
}

/* The dialog answered with @name in @folder and the type @filter_index
 * (0: CSV, 1: Excel) chosen; the path it hands the page. */
static char *
choose (const char *suggested,
        const char *folder,
        const char *name,
        guint       filter_index)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("");
  GtkNativeDialog *dialog;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (folder);
  char *path = NULL;

  gtk_window_set_child (GTK_WINDOW (window), label);
  dialog = jg_export_ui_choose (label, suggested, chosen_cb, &path);
  g_object_ref (dialog);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  filter = g_list_model_get_item (filters, filter_index);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), dir, NULL));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* The chooser takes the folder and name once it has run. */
  drain ();
  gtk_native_dialog_hide (dialog);
  g_signal_emit_by_name (dialog, "response", GTK_RESPONSE_ACCEPT);
  g_object_unref (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  return path;
}

/* @needle somewhere in @len bytes that may hold NULs (a zip's names are
 * stored as they are). */
static gboolean
holds (const char *bytes,
       gsize       len,
       const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (bytes + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The type chosen in the dialog is the format written, and the name's
 * extension follows it: the overview's suggested "…xlsx" saved as CSV is
 * a CSV named ".csv", which a CSV reader opens. */
static void
test_dialog_format (void)
{
  static const struct { const char *suggested, *name; guint filter; const char *expect; } cases[] = {
    { "overview-2024.xlsx", "overview-2024.xlsx", 0, "overview-2024.csv" },
    { "overview-2024.xlsx", "overview-2024.xlsx", 1, "overview-2024.xlsx" },
    { "农户-已提交.csv", "农户-已提交.csv", 1, "农户-已提交.xlsx" },
    { "农户-已提交.csv", "report", 0, "report.csv" },
    { "农户-已提交.csv", "report", 1, "report.xlsx" },
    { "农户-已提交.csv", "Report.CSV", 1, "Report.xlsx" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-ui-XXXXXX", &error);
  static const char * const headers[] = { "Code", NULL };
  static const char * const row[] = { UNIT, NULL };
  g_autoptr(JgExportTable) table = jg_export_table_new ("t", headers);

  g_assert_no_error (error);
  jg_export_table_add_row (table, row);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = choose (cases[i].suggested, dir, cases[i].name, cases[i].filter);
      g_autofree char *base = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_nonnull (path);
      base = g_path_get_basename (path);
      g_test_message ("%s → %s", cases[i].name, base);
      g_assert_cmpstr (base, ==, cases[i].expect);

      /* Written as the pages write it: the format of the name. */
      g_assert_true (jg_export_write (table, path, jg_export_format_for_path (path), &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      if (cases[i].filter == 0)
        {
          g_assert_cmpmem (contents, 3, "\xEF\xBB\xBF", 3);
          g_assert_cmpstr (contents + 3, ==, "Code\r\n" UNIT "\r\n");
        }
      else
        {
          g_assert_cmpmem (contents, 4, "PK\x03\x04", 4);
          g_assert_true (holds (contents, len, "xl/workbook.xml"));
        }
      g_remove (path);
    }
  g_rmdir (dir);
}

/* ---- soft conflicts dismissed on the conflicts page ---- */

static void
exchange (JgStore *from,
          JgStore *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bundle = jg_store_export_bundle (from, 0, &error);
  JgApplyCounts counts;

  g_assert_no_error (error);
  jg_store_import_bundle (to, bundle, &counts, &error);
  g_assert_no_error (error);
}

static guint
count_kind (JsonArray  *conflicts,
            const char *kind)
{
  guint n = 0;

  for (guint i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
    n += g_strcmp0 (json_object_get_string_member (json_array_get_object_element (conflicts, i), "kind"), kind) == 0;
  return n;
}

static gboolean
page_read (gpointer data)
{
  JsonArray *c = jg_conflicts_page_get_conflicts (JG_CONFLICTS_PAGE (data));

  return c != NULL && json_array_get_length (c) > 0 && !jg_conflicts_page_get_busy (JG_CONFLICTS_PAGE (data));
}

static guint expected_soft;

/* The page shows expected_soft soft conflicts, done with its job. */
static gboolean
page_shows_soft (gpointer data)
{
  return page_read (data) &&
         count_kind (jg_conflicts_page_get_conflicts (JG_CONFLICTS_PAGE (data)), "soft") == expected_soft;
}

static void
find_named (GtkWidget  *widget,
            const char *name,
            GPtrArray  *found)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0 && gtk_widget_get_visible (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_named (c, name, found);
}

static gint64
store_conflict_count (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
  g_autoptr(JsonObject) status = jg_store_sync_status (store, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (status, "conflicts");
}

/* A soft conflict has its Dismiss button, the group a Dismiss All; each
 * takes them off the page and out of the sync count, the hard one stays
 * with no such button. */
static void
test_dismiss_soft (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *other = NULL;
  g_autoptr(JgStoreWorker) worker = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  JgConflictsPage *page;
  guint n_soft;
  gint64 count;

  {
    g_autoptr(JgStore) a = fixture_open_store (f);
    g_autoptr(JgStore) b = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = store_put_json (a, "household",
                                          "{\"org_unit\":\"" UNIT "\",\"head_name\":\"王芳\",\"member_count\":4}");
    g_autofree char *edit_a = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":3,\"phone\":\"13812345678\"}", id);
    g_autofree char *edit_b = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"8号\",\"phone\":\"13900001111\"}", id);
    g_autofree char *put_a = NULL;
    g_autofree char *put_b = NULL;

    other = g_build_filename (f->dir, "other.db", NULL);
    b = jg_store_open (other, JG_STORE_CREATE, &error);
    g_assert_no_error (error);
    exchange (a, b);
    put_a = store_put_json (a, "household", edit_a);
    put_b = store_put_json (b, "household", edit_b);
    exchange (b, a);
  }
  count = store_conflict_count (f);

  worker = jg_store_worker_new (f->path);
  page = g_object_ref_sink (g_object_new (JG_TYPE_CONFLICTS_PAGE, "worker", worker, NULL));
  wait_until (page_read, page);
  drain ();
  n_soft = count_kind (jg_conflicts_page_get_conflicts (page), "soft");
  g_assert_cmpuint (n_soft, >=, 2);
  g_assert_cmpuint (count_kind (jg_conflicts_page_get_conflicts (page), "hard"), ==, 1);
  g_assert_cmpint (count, ==, n_soft + 1);

  find_named (GTK_WIDGET (page), "dismiss", buttons);
  g_assert_cmpuint (buttons->len, ==, n_soft);
  g_signal_emit_by_name (buttons->pdata[0], "clicked");
  g_assert_true (jg_conflicts_page_get_busy (page));
  expected_soft = n_soft - 1;
  wait_until (page_shows_soft, page);
  drain ();
  g_assert_cmpuint (count_kind (jg_conflicts_page_get_conflicts (page), "soft"), ==, n_soft - 1);
  g_assert_cmpint (store_conflict_count (f), ==, n_soft);

  find_named (GTK_WIDGET (page), "dismiss-all", all);
  g_assert_cmpuint (all->len, ==, 1);
  g_signal_emit_by_name (all->pdata[0], "clicked");
  expected_soft = 0;
  wait_until (page_shows_soft, page);
  drain ();
  g_assert_cmpuint (count_kind (jg_conflicts_page_get_conflicts (page), "soft"), ==, 0);
  g_assert_cmpuint (count_kind (jg_conflicts_page_get_conflicts (page), "hard"), ==, 1);
  g_assert_cmpint (store_conflict_count (f), ==, 1);
  g_ptr_array_set_size (all, 0);
  find_named (GTK_WIDGET (page), "dismiss-all", all);
  g_assert_cmpuint (all->len, ==, 0);

  drain ();
  g_assert_finalize_object (page);
  g_assert_finalize_object (g_steal_pointer (&worker));
  {
    g_autofree char *wal = g_strconcat (other, "-wal", NULL);
    g_autofree char *shm = g_strconcat (other, "-shm", NULL);

    g_remove (other);
    g_remove (wal);
    g_remove (shm);
  }
}

static gboolean
page_idle_ui (gpointer data)
{
  return !jg_conflicts_page_get_busy (JG_CONFLICTS_PAGE (data));
}

static gboolean
button_problems_read (gpointer data)
{
  JsonObject *problems = jg_sync_button_get_problems (JG_SYNC_BUTTON (data));

  return problems != NULL;
}

static gboolean
no_conflicts_left (gpointer data)
{
  return store_conflict_count (data) == 0;
}

/* An edit that met a deletion: nothing to decide (the deletion stands),
 * so it says so and may be dismissed once seen, on the conflicts page
 * and in the sync popover, which is all village staff have. */
static void
test_dismiss_deleted (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *other = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  for (guint pass = 0; pass < 2; pass++)
    {
      {
        g_autoptr(JgStore) a = fixture_open_store (f);
        g_autoptr(JgStore) b = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *edit = NULL;
        g_autofree char *put = NULL;

        g_free (id);
        id = store_put_json (a, "household", "{\"org_unit\":\"" UNIT "\",\"head_name\":\"王芳\"}");
        edit = g_strdup_printf ("{\"id\":\"%s\",\"head_name\":\"王芳芳\"}", id);
        g_free (other);
        other = g_build_filename (f->dir, pass == 0 ? "other.db" : "third.db", NULL);
        b = jg_store_open (other, JG_STORE_CREATE, &error);
        g_assert_no_error (error);
        exchange (a, b);
        g_assert_true (jg_store_delete (a, "household", id, &error));
        g_assert_no_error (error);
        put = store_put_json (b, "household", edit);
        exchange (b, a);
      }
      g_assert_cmpint (store_conflict_count (f), >=, 1);

      if (pass == 0)
        {
          g_autoptr(JgStoreWorker) worker = jg_store_worker_new (f->path);
          JgConflictsPage *page = g_object_ref_sink (g_object_new (JG_TYPE_CONFLICTS_PAGE, "worker", worker, NULL));

          wait_until (page_read, page);
          drain ();
          g_assert_cmpuint (count_kind (jg_conflicts_page_get_conflicts (page), "delete"), >=, 1);
          /* Said so, not "both kept". */
          g_ptr_array_set_size (buttons, 0);
          find_named (GTK_WIDGET (page), "dismiss", buttons);
          g_assert_cmpuint (buttons->len, >=, 1);
          g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (buttons->pdata[0], ADW_TYPE_ACTION_ROW))),
                                    "The record was deleted"));
          /* Each button in turn: the page is built again after each. */
          while (store_conflict_count (f) > 0)
            {
              g_ptr_array_set_size (buttons, 0);
              find_named (GTK_WIDGET (page), "dismiss", buttons);
              g_test_message ("%u buttons, %" G_GINT64_FORMAT " conflicts", buttons->len, store_conflict_count (f));
              g_assert_cmpuint (buttons->len, >=, 1);
              g_signal_emit_by_name (buttons->pdata[0], "clicked");
              wait_until (page_idle_ui, page);
              drain ();
            }
          drain ();
          g_assert_finalize_object (page);
          g_assert_finalize_object (g_steal_pointer (&worker));
        }
      else
        {
          g_autoptr(JgStoreWorker) worker = jg_store_worker_new (f->path);
          JgSyncButton *button = g_object_ref_sink (g_object_new (JG_TYPE_SYNC_BUTTON, NULL));

          jg_sync_button_set_worker (button, worker);
          jg_sync_button_refresh (button);
          wait_until (button_problems_read, button);
          drain ();
          g_ptr_array_set_size (buttons, 0);
          find_named (GTK_WIDGET (button), "dismiss", buttons);
          g_assert_cmpuint (buttons->len, >=, 1);
          g_signal_emit_by_name (buttons->pdata[0], "clicked");
          wait_until (no_conflicts_left, f);
          drain ();
          jg_sync_button_set_worker (button, NULL);
          g_object_unref (button);
        }
      /* The deletion stands. */
      {
        g_autoptr(JgStore) store = fixture_open_store (f);
        g_autoptr(JsonObject) o = jg_store_get (store, "household", id, NULL);

        g_assert_true (json_object_get_boolean_member (o, "deleted"));
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/jg/ui/export/dialog-format", test_dialog_format);
  g_test_add ("/jg/ui/conflicts/dismiss-soft", Fixture, NULL, fixture_set_up, test_dismiss_soft, fixture_tear_down);
  g_test_add ("/jg/ui/conflicts/dismiss-deleted", Fixture, NULL, fixture_set_up, test_dismiss_deleted, fixture_tear_down);

  return g_test_run ();
}
