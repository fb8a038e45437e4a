/* jg-sync-gzip.h: gzip for the sync protocol's bodies, both ways */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes   *jg_sync_gzip_compress   (const guint8  *data,
                                   gsize          len);
GBytes   *jg_sync_gzip_decompress (const guint8  *data,
                                   gsize          len,
                                   gsize          max_len,
                                   GError       **error);
gboolean  jg_sync_accepts_gzip    (const char    *accept_encoding);

G_END_DECLS
