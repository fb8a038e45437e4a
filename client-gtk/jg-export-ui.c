/* jg-export-ui.c: what the pages that export share */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-export.h"
#include "jg-export-ui.h"

typedef struct
{
  GtkWidget          *widget;
  JgExportChosenFunc  chosen;
  gpointer            user_data;
} Choice;

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             gpointer         data)
{
  Choice *choice = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));

      if (path != NULL)
        {
          /* The type chosen decides the format, and the name follows it:
           * "overview-2024.xlsx" saved as CSV becomes "overview-2024.csv",
           * never an Excel file under either name.  No type chosen: the
           * name's. */
          JgExportFormat format = filter != NULL && g_object_get_data (G_OBJECT (filter), "jg-format") != NULL
                                  ? (JgExportFormat) (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (filter), "jg-format")) - 1)
                                  : jg_export_format_for_path (path);
          char *named = jg_export_path_for_format (path, format);

          g_free (path);
          path = named;
        }
      if (path != NULL)
        choice->chosen (choice->widget, path, choice->user_data);
    }
  g_object_unref (choice->widget);
  g_free (choice);
  g_object_unref (dialog);
}

static GtkFileFilter *
filter_new (const char     *name,
            const char     *mime,
            JgExportFormat  format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strconcat ("*", jg_export_format_extension (format), NULL);

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, mime);
  g_object_set_data (G_OBJECT (filter), "jg-format", GINT_TO_POINTER (format + 1));
  return filter;
}

GtkNativeDialog *
jg_export_ui_choose (GtkWidget          *widget,
                     const char         *suggested_name,
                     JgExportChosenFunc  chosen,
                     gpointer            user_data)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) csv = NULL;
  g_autoptr(GtkFileFilter) xlsx = NULL;
  Choice *choice;

  dialog = gtk_file_chooser_native_new (_("Export"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  csv = filter_new (_("CSV (UTF-8)"), "text/csv", JG_EXPORT_CSV);
  xlsx = filter_new (_("Excel Workbook"),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", JG_EXPORT_XLSX);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), xlsx);
  /* The type shown is the suggested name's. */
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), jg_export_format_for_path (suggested_name) == JG_EXPORT_XLSX ? xlsx : csv);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested_name);
  /* Not the app's working directory, where nobody looks for a report. */
  {
    const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
    g_autoptr(GFile) folder = g_file_new_for_path (documents ? documents : g_get_home_dir ());

    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  }

  choice = g_new0 (Choice, 1);
  choice->widget = g_object_ref (widget);
  choice->chosen = chosen;
  choice->user_data = user_data;
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  return GTK_NATIVE_DIALOG (dialog);
}

void
jg_export_ui_toast (GtkWidget  *widget,
                    const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}
