/* jg-sync-gzip.c: gzip for the sync protocol's bodies
 *
 * SoupServer does not decode request bodies, and a body from the network
 * must not be allowed to inflate without bound (a "zip bomb"), so the
 * decompressor stops at a caller's limit.
 */

#include "config.h"

#include <inttypes.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-error.h"
#include "jg-sync-gzip.h"

static GBytes *
convert_all (GConverter    *converter,
             const guint8  *data,
             gsize          len,
             gsize          max_len,
             GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[16384];
  gsize in_off = 0;

  for (;;)
    {
      gsize read = 0, written = 0;
      g_autoptr(GError) local_error = NULL;
      GConverterResult r;

      r = g_converter_convert (converter, data + in_off, len - in_off, buf, sizeof buf,
                               G_CONVERTER_INPUT_AT_END, &read, &written, &local_error);
      if (r == G_CONVERTER_ERROR)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED,
                       _("The compressed body cannot be read: %s"), local_error->message);
          return NULL;
        }
      in_off += read;
      g_byte_array_append (out, buf, (guint) written);
      if (max_len > 0 && out->len > max_len)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE,
                       _("The body is larger than %zu bytes"), max_len);
          return NULL;
        }
      if (r == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The compressed body is truncated"));
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
jg_sync_gzip_compress (const guint8 *data,
                       gsize         len)
{
  g_autoptr(GZlibCompressor) c = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);

  return convert_all (G_CONVERTER (c), data, len, 0, NULL);
}

GBytes *
jg_sync_gzip_decompress (const guint8  *data,
                         gsize          len,
                         gsize          max_len,
                         GError       **error)
{
  g_autoptr(GZlibDecompressor) d = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

  return convert_all (G_CONVERTER (d), data, len, max_len, error);
}

/* "gzip" among the codings of an Accept-Encoding header, not refused by q=0. */
gboolean
jg_sync_accepts_gzip (const char *accept_encoding)
{
  g_auto(GStrv) parts = NULL;

  if (accept_encoding == NULL)
    return FALSE;
  parts = g_strsplit (accept_encoding, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      g_auto(GStrv) p = g_strsplit (parts[i], ";", 2);
      const char *coding = g_strstrip (p[0]);

      if (g_ascii_strcasecmp (coding, "gzip") == 0 || strcmp (coding, "*") == 0)
        return !(p[1] && strstr (p[1], "q=0") && !strstr (p[1], "q=0."));
    }
  return FALSE;
}
