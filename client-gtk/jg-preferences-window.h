/* jg-preferences-window.h: sync settings and the current profile */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_PREFERENCES_WINDOW (jg_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (JgPreferencesWindow, jg_preferences_window, JG, PREFERENCES_WINDOW, AdwPreferencesWindow)

JgPreferencesWindow *jg_preferences_window_new        (JgStoreWorker       *worker);
JsonObject          *jg_preferences_window_get_status (JgPreferencesWindow *self);

G_END_DECLS
