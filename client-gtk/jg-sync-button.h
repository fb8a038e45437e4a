/* jg-sync-button.h: the header bar's sync indicator and its popover */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_SYNC_BUTTON (jg_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (JgSyncButton, jg_sync_button, JG, SYNC_BUTTON, AdwBin)

JgStoreWorker   *jg_sync_button_get_worker          (JgSyncButton    *self);
void             jg_sync_button_set_worker          (JgSyncButton    *self,
                                                     JgStoreWorker   *worker);
GNetworkMonitor *jg_sync_button_get_network_monitor (JgSyncButton    *self);
void             jg_sync_button_set_network_monitor (JgSyncButton    *self,
                                                     GNetworkMonitor *monitor);
const char      *jg_sync_button_get_state           (JgSyncButton    *self);
const char      *jg_sync_button_get_label           (JgSyncButton    *self);
gboolean         jg_sync_button_get_syncing         (JgSyncButton    *self);
JsonObject      *jg_sync_button_get_status          (JgSyncButton    *self);
JsonObject      *jg_sync_button_get_problems        (JgSyncButton    *self);
void             jg_sync_button_sync_now            (JgSyncButton    *self);
void             jg_sync_button_refresh             (JgSyncButton    *self);

G_END_DECLS
