/* jg-profiles.h: the profile stores of the app: one per server and user */
#pragma once

#include <gio/gio.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_PROFILES_LOCAL "local.db"

char      *jg_profiles_default_dir   (void);
char      *jg_profiles_file_name     (const char           *username,
                                      const char           *server_url);
char      *jg_profiles_free_name     (const char * const   *existing);
char      *jg_profiles_display_name  (const char           *file_name);

void       jg_profiles_list_async    (const char           *dir,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
char     **jg_profiles_list_finish   (GAsyncResult         *result,
                                      GError              **error);
void       jg_profiles_prepare_async (const char           *dir,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean   jg_profiles_prepare_finish (GAsyncResult        *result,
                                      GError              **error);
void       jg_profiles_discard       (JgStoreWorker        *worker,
                                      const char           *path);
void       jg_profiles_move_async    (const char           *from,
                                      const char           *to,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean   jg_profiles_move_finish   (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
