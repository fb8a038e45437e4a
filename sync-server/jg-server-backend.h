/* jg-server-backend.h: what the sync server does with its store
 *
 * Everything here runs on the server's worker thread with that thread's own
 * JgStore.  It is the one interface between the HTTP layer and storage, so a
 * PostgreSQL backend can stand in for SQLite later (DESIGN.md "Scale").
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-common.h"

#include "jg-server-request.h"

G_BEGIN_DECLS

#define JG_SERVER_MIN_CLIENT_PROTOCOL 1
/* The most changes one push may hold; every answer says it ("max_push").
 * Every server takes 1000 (protocol 1); a client sends more only to a
 * server that said so.  Larger pushes mean fewer commits: a first upload
 * rewrites the same index pages a quarter as often at 4000. */
#define JG_SERVER_MAX_BATCH           4000
#define JG_SERVER_DEFAULT_PAGE        500
#define JG_SERVER_MAX_PAGE            1000

typedef struct
{
  char *username;
  char *role;
  char *org_unit;
  char *path;      /* the org unit's path: the caller's subtree */
  char *replica;   /* the replica the token was issued to, or NULL */
  char *token_hash;
} JgServerUser;

void          jg_server_user_free             (JgServerUser  *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgServerUser, jg_server_user_free)

char         *jg_server_unit_path             (JgStore       *store,
                                               const char    *code);
gboolean      jg_server_role_valid            (const char    *role);

gboolean      jg_server_backend_init_store    (JgStore       *store,
                                               GError       **error);
gboolean      jg_server_backend_user_add      (JgStore       *store,
                                               const char    *username,
                                               const char    *role,
                                               const char    *org_unit,
                                               const char    *password,
                                               guint         *n_signed_out,
                                               GError       **error);
gboolean      jg_server_backend_token_revoke  (JgStore       *store,
                                               const char    *username,
                                               guint         *n_revoked,
                                               GError       **error);
gboolean      jg_server_backend_user_disable  (JgStore       *store,
                                               const char    *username,
                                               guint         *n_revoked,
                                               GError       **error);
JsonArray    *jg_server_backend_user_list     (JgStore       *store,
                                               GError       **error);

JsonNode     *jg_server_backend_login         (JgStore       *store,
                                               JsonNode      *request,
                                               const char    *address,
                                               GError       **error);
JgServerUser *jg_server_backend_authenticate  (JgStore       *store,
                                               const char    *token,
                                               GError       **error);
gboolean      jg_server_backend_open_history  (JgStore       *store,
                                               GError       **error);
char         *jg_server_backend_sync          (JgStore       *store,
                                               JgServerUser  *user,
                                               JgSyncRequest *request,
                                               gsize         *length,
                                               GError       **error);
JsonNode     *jg_server_backend_fork          (JgStore       *store,
                                               JgServerUser  *user,
                                               const char    *token,
                                               JgForkRequest *request,
                                               GError       **error);

G_END_DECLS
