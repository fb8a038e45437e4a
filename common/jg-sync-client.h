/* jg-sync-client.h: the client's sync engine (no GTK)
 *
 * Signs in to a jinguo-server and syncs one store with it: pushes this
 * replica's unacknowledged changes, pulls the changes of the user's subtree.
 * The work runs in a thread with its own store connection; progress is
 * reported on the main context of the caller.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/* Changes per push: every server takes JG_SYNC_PUSH_BATCH; one whose
 * answers say "max_push" gets up to that many, JG_SYNC_PUSH_BATCH_MAX at
 * most. */
#define JG_SYNC_PUSH_BATCH     1000
#define JG_SYNC_PUSH_BATCH_MAX 4000
#define JG_SYNC_PULL_PAGE  1000
#define JG_SYNC_SNAPSHOT_PAGE 1000   /* records per page of a new device's snapshot */

#define JG_TYPE_SYNC_CLIENT (jg_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (JgSyncClient, jg_sync_client, JG, SYNC_CLIENT, GObject)

JgSyncClient *jg_sync_client_new              (const char           *store_path);
const char   *jg_sync_client_get_store_path   (JgSyncClient         *self);

void          jg_sync_client_login_async      (JgSyncClient         *self,
                                               const char           *server_url,
                                               const char           *username,
                                               const char           *password,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject   *jg_sync_client_login_finish     (JgSyncClient         *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void          jg_sync_client_sync_async       (JgSyncClient         *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject   *jg_sync_client_sync_finish      (JgSyncClient         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
JsonObject   *jg_sync_client_sync             (JgSyncClient         *self,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* On a store of the calling thread. */
JsonArray    *jg_sync_list_rejected           (JgStore              *store,
                                               GError              **error);
char         *jg_sync_resolve_conflict        (JgStore              *store,
                                               const char           *conflict_id,
                                               JsonNode             *value,
                                               GError              **error);

G_END_DECLS
