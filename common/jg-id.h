/* jg-id.h: random identifiers: replica ids and UUIDv7 record ids */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void      jg_random_bytes     (guint8      *buf,
                               gsize        len);
char     *jg_replica_id_new   (void);
gboolean  jg_replica_id_valid (const char *id);
char     *jg_uuid7_new        (gint64      unix_ms);
gboolean  jg_uuid_valid       (const char *id);
gint64    jg_uuid7_get_ms     (const char *id);
gboolean  jg_uuid_to_bytes    (const char *id,
                               guint8      out[16]);
void      jg_uuid_format      (const guint8 bytes[16],
                               char         out[37]);
char     *jg_token_new        (void);

G_END_DECLS
