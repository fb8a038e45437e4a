/* jg-server.h: the sync server: HTTP/1.1 JSON under /api/v1 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JG_SERVER_MAX_BODY ((gsize) 8 * 1024 * 1024)

/* Seconds a connection may go without the client sending or taking a
 * byte before the server closes it. */
#define JG_SERVER_DEFAULT_IDLE_TIMEOUT 60

#define JG_TYPE_SERVER (jg_server_get_type ())
G_DECLARE_FINAL_TYPE (JgServer, jg_server, JG, SERVER, GObject)

JgServer *jg_server_new      (const char  *db_path,
                              GError     **error);
gboolean  jg_server_listen   (JgServer    *self,
                              const char  *host,
                              guint        port,
                              const char  *tls_cert,
                              const char  *tls_key,
                              GError     **error);
guint     jg_server_get_port (JgServer    *self);
void      jg_server_set_idle_timeout (JgServer *self,
                                      guint     seconds);
void      jg_server_shutdown (JgServer    *self);

G_END_DECLS
