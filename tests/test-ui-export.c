/* test-ui-export.c: the export dialog and the conflicts page's soft conflicts */

#include "config.h"

#include "jg-ui-test.h"
#include "jg-conflicts-page.h"
#include "jg-export.h"
#include "jg-export-ui.h"

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

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/jg/ui/export/dialog-format", test_dialog_format);

  return g_test_run ();
}
