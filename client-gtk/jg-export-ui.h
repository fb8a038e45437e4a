/* jg-export-ui.h: what the pages that export share
 *
 * Choosing the file (GtkFileChooserNative, CSV or XLSX) and telling the
 * user how it went.  The writing itself runs on the store's thread.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef void (*JgExportChosenFunc) (GtkWidget  *widget,
                                    const char *path,
                                    gpointer    user_data);

/* Shows the file chooser; @chosen gets a path whose extension is the
 * chosen type's (jg_export_path_for_format()).  Returns the dialog
 * (transfer none: it is freed once answered), for the tests. */
GtkNativeDialog *jg_export_ui_choose (GtkWidget          *widget,
                                      const char         *suggested_name,
                                      JgExportChosenFunc  chosen,
                                      gpointer            user_data);
void             jg_export_ui_toast  (GtkWidget          *widget,
                                      const char         *message);

G_END_DECLS
