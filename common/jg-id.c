/* jg-id.c: random identifiers
 *
 * Record ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds first, so
 * ids made offline are unique and keep SQLite's B-tree inserts at the end.
 * Within one millisecond a counter in rand_a keeps them increasing.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "jg-id.h"

void
jg_random_bytes (guint8 *buf,
                 gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      done += (gsize) n;
    }
}

static char *
hex_encode (const guint8 *buf,
            gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[i * 2] = digits[buf[i] >> 4];
      out[i * 2 + 1] = digits[buf[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

char *
jg_replica_id_new (void)
{
  guint8 buf[16];

  jg_random_bytes (buf, sizeof buf);
  return hex_encode (buf, sizeof buf);
}

gboolean
jg_replica_id_valid (const char *id)
{
  if (id == NULL || strlen (id) != 32)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

char *
jg_token_new (void)
{
  guint8 buf[32];

  jg_random_bytes (buf, sizeof buf);
  return hex_encode (buf, sizeof buf);
}

G_LOCK_DEFINE_STATIC (uuid7);
static gint64 uuid7_last_ms;
static guint uuid7_seq;

char *
jg_uuid7_new (gint64 unix_ms)
{
  guint8 b[16];
  guint seq;

  jg_random_bytes (b, sizeof b);

  G_LOCK (uuid7);
  if (unix_ms <= uuid7_last_ms)
    {
      unix_ms = uuid7_last_ms;
      seq = ++uuid7_seq;
      if (seq > 0xfff)
        {
          /* 4096 ids in one millisecond: move on to the next one. */
          unix_ms = ++uuid7_last_ms;
          seq = uuid7_seq = (b[6] & 0x07);
        }
    }
  else
    {
      uuid7_last_ms = unix_ms;
      /* Start low so the counter has room, but not at zero. */
      seq = uuid7_seq = ((b[6] & 0x07) << 4) | (b[7] & 0x0f);
    }
  G_UNLOCK (uuid7);

  b[0] = (unix_ms >> 40) & 0xff;
  b[1] = (unix_ms >> 32) & 0xff;
  b[2] = (unix_ms >> 24) & 0xff;
  b[3] = (unix_ms >> 16) & 0xff;
  b[4] = (unix_ms >> 8) & 0xff;
  b[5] = unix_ms & 0xff;
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

gboolean
jg_uuid_valid (const char *id)
{
  if (id == NULL || strlen (id) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (id[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (id[i]) || g_ascii_isupper (id[i]))
        return FALSE;
    }
  return TRUE;
}

gint64
jg_uuid7_get_ms (const char *id)
{
  gint64 ms = 0;
  int n = 0;

  g_return_val_if_fail (jg_uuid_valid (id), 0);

  for (const char *p = id; *p && n < 12; p++)
    {
      if (*p == '-')
        continue;
      ms = (ms << 4) | g_ascii_xdigit_value (*p);
      n++;
    }
  return ms;
}

/* The 16 bytes of a valid id (jg_uuid_valid()); FALSE for anything else. */
gboolean
jg_uuid_to_bytes (const char *id,
                  guint8      out[16])
{
  if (!jg_uuid_valid (id))
    return FALSE;
  for (int i = 0, n = 0; n < 16; n++)
    {
      if (id[i] == '-')
        i++;
      out[n] = (guint8) (g_ascii_xdigit_value (id[i]) << 4 | g_ascii_xdigit_value (id[i + 1]));
      i += 2;
    }
  return TRUE;
}

/* The id of jg_uuid_to_bytes()'s bytes, as jg_uuid7_new() writes it. */
void
jg_uuid_format (const guint8 b[16],
                char         out[37])
{
  static const char digits[] = "0123456789abcdef";
  char *p = out;

  for (int n = 0; n < 16; n++)
    {
      if (n == 4 || n == 6 || n == 8 || n == 10)
        *p++ = '-';
      *p++ = digits[b[n] >> 4];
      *p++ = digits[b[n] & 0xf];
    }
  *p = '\0';
}
