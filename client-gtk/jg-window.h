/* jg-window.h: the main window: one page per record type */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"
#include "jg-record-page.h"
#include "jg-sync-button.h"

G_BEGIN_DECLS

#define JG_TYPE_WINDOW (jg_window_get_type ())
G_DECLARE_FINAL_TYPE (JgWindow, jg_window, JG, WINDOW, AdwApplicationWindow)

JgWindow      *jg_window_new               (GtkApplication *application,
                                            JgStoreWorker  *worker);
JgStoreWorker *jg_window_get_worker        (JgWindow       *self);
JgRecordPage  *jg_window_get_page          (JgWindow       *self,
                                            const char     *entity);
JgRecordPage  *jg_window_get_visible_page  (JgWindow       *self);
void           jg_window_set_visible_page  (JgWindow       *self,
                                            const char     *entity);
GtkWindow     *jg_window_open_form         (JgWindow       *self,
                                            const char     *entity,
                                            const char     *record_id);
GtkWindow     *jg_window_get_form          (JgWindow       *self);
void           jg_window_add_toast         (JgWindow       *self,
                                            const char     *message);
JgSyncButton  *jg_window_get_sync_button   (JgWindow       *self);
void           jg_window_set_profile_menu  (JgWindow       *self,
                                            GMenuModel     *profiles);
GtkWindow     *jg_window_show_preferences  (JgWindow       *self);
GtkWindow     *jg_window_get_preferences   (JgWindow       *self);

G_END_DECLS
