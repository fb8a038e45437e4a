/* test-id.c: replica ids and UUIDv7 record ids (jg-id.h)
 *
 * jg_uuid7_new() keeps its last millisecond in a static, so each test asks
 * for a millisecond later than any earlier test used (fresh_ms()).
 */

#include "config.h"

#include <string.h>

#include "jg-id.h"

static gint64
fresh_ms (void)
{
  static gint64 next;

  if (next == 0)
    next = g_get_real_time () / 1000 + 1000;
  next += 1000000;
  return next;
}

static guint
hex_at (const char *uuid,
        int         pos)
{
  return (guint) g_ascii_xdigit_value (uuid[pos]);
}

static void
test_uuid7_layout (void)
{
  for (int i = 0; i < 200; i++)
    {
      gint64 ms = fresh_ms ();
      g_autofree char *id = jg_uuid7_new (ms);

      g_assert_true (jg_uuid_valid (id));
      g_assert_cmpuint (strlen (id), ==, 36);
      g_assert_cmpint (id[8], ==, '-');
      g_assert_cmpint (id[13], ==, '-');
      g_assert_cmpint (id[18], ==, '-');
      g_assert_cmpint (id[23], ==, '-');
      /* Version 7 in the high nibble of byte 6. */
      g_assert_cmpint (id[14], ==, '7');
      /* RFC 9562 variant: the two high bits of byte 8 are 10. */
      g_assert_cmpuint (hex_at (id, 19) & 0xc, ==, 0x8);
      g_assert_cmpint (jg_uuid7_get_ms (id), ==, ms);
    }
}

static void
test_uuid7_timestamp (void)
{
  gint64 ms = fresh_ms ();
  g_autofree char *id = jg_uuid7_new (ms);
  char prefix[14];

  /* The first 48 bits are the milliseconds, big-endian, in plain hex. */
  g_snprintf (prefix, sizeof prefix, "%08" G_GINT64_MODIFIER "x-%04" G_GINT64_MODIFIER "x",
              ms >> 16, ms & 0xffff);
  g_assert_true (g_str_has_prefix (id, prefix));
  g_assert_cmpint (jg_uuid7_get_ms (id), ==, ms);
  g_assert_cmpint (jg_uuid7_get_ms ("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), ==, 0x017f22e279b0);
}

static void
test_uuid7_same_ms (void)
{
  gint64 ms = fresh_ms ();
  g_autofree char *prev = jg_uuid7_new (ms);

  /* Far more ids than the counter holds in one millisecond: still strictly
   * increasing, and the timestamp only moves forward a little. */
  for (int i = 0; i < 10000; i++)
    {
      g_autofree char *id = jg_uuid7_new (ms);

      g_assert_true (jg_uuid_valid (id));
      if (strcmp (prev, id) >= 0)
        g_assert_cmpstr (prev, <, id);
      g_assert_cmpint (jg_uuid7_get_ms (id), >=, ms);
      g_assert_cmpint (jg_uuid7_get_ms (id), <=, ms + 5);
      g_free (prev);
      prev = g_steal_pointer (&id);
    }
}

static void
test_uuid7_first_in_ms (void)
{
  gint64 ms = fresh_ms ();
  g_autofree char *a = jg_uuid7_new (ms);
  g_autofree char *b = jg_uuid7_new (ms);

  /* Same millisecond: same timestamp, the counter makes the difference. */
  g_assert_cmpint (jg_uuid7_get_ms (a), ==, ms);
  g_assert_cmpint (jg_uuid7_get_ms (b), ==, ms);
  g_assert_cmpstr (a, <, b);
}

static void
test_uuid7_clock_backwards (void)
{
  gint64 ms = fresh_ms ();
  g_autofree char *a = jg_uuid7_new (ms);
  g_autofree char *b = jg_uuid7_new (ms - 60000);

  /* A clock set back does not produce an id that sorts before older ones. */
  g_assert_cmpstr (a, <, b);
}

static void
test_uuid7_many (void)
{
  gint64 ms = fresh_ms ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *prev = NULL;

  /* Across many milliseconds, calls a few per millisecond. */
  for (int i = 0; i < 20000; i++)
    {
      char *id = jg_uuid7_new (ms + i / 3);

      g_assert_true (g_hash_table_add (seen, id));
      if (prev != NULL && strcmp (prev, id) >= 0)
        g_assert_cmpstr (prev, <, id);
      g_free (prev);
      prev = g_strdup (id);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 20000);
}

static void
test_uuid7_threads_worker (gpointer data,
                           gpointer user_data)
{
  GPtrArray *out = data;

  for (int i = 0; i < 2000; i++)
    g_ptr_array_add (out, jg_uuid7_new (GPOINTER_TO_SIZE (user_data)));
}

static void
test_uuid7_threads (void)
{
  gint64 ms = fresh_ms ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *outs[4];
  GThreadPool *pool;

  /* jg_uuid7_new() is called from worker threads (sync): no duplicates. */
  pool = g_thread_pool_new (test_uuid7_threads_worker, GSIZE_TO_POINTER ((gsize) ms), 4, TRUE, NULL);
  for (int t = 0; t < 4; t++)
    {
      outs[t] = g_ptr_array_new_with_free_func (g_free);
      g_thread_pool_push (pool, outs[t], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (int t = 0; t < 4; t++)
    {
      for (guint i = 0; i < outs[t]->len; i++)
        {
          g_assert_true (g_hash_table_add (seen, outs[t]->pdata[i]));
          if (i > 0)
            g_assert_cmpstr (outs[t]->pdata[i - 1], <, outs[t]->pdata[i]);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 8000);
  for (int t = 0; t < 4; t++)
    g_ptr_array_unref (outs[t]);
}

static void
test_uuid_valid (void)
{
  const char *good[] = {
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-4fff-bfff-ffffffffffff",
  };
  const char *bad[] = {
    "",
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398",     /* too short */
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398f0",   /* too long */
    "017F22E2-79B0-7CC3-98C4-DC0C0C07398F",    /* upper case */
    "017f22e2x79b0-7cc3-98c4-dc0c0c07398f",    /* separator */
    "017f22e279b07cc398c4dc0c0c07398f",        /* no dashes */
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398g",    /* not hex */
    "017f22e2-79b0-7cc3-98c4-dc0c0c0739 f",    /* space */
    "{017f22e2-79b0-7cc3-98c4-dc0c0c0739}",
    "017f22e2-79b0-7cc3-98c4-dc0c0c07398\xc3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (jg_uuid_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (jg_uuid_valid (bad[i]));
  g_assert_false (jg_uuid_valid (NULL));
}

static void
test_replica_id (void)
{
  g_autofree char *a = jg_replica_id_new ();
  g_autofree char *b = jg_replica_id_new ();

  g_assert_true (jg_replica_id_valid (a));
  g_assert_true (jg_replica_id_valid (b));
  g_assert_cmpuint (strlen (a), ==, 32);
  g_assert_cmpstr (a, !=, b);
}

static void
test_replica_id_valid (void)
{
  const char *bad[] = {
    "",
    "0123456789abcdef0123456789abcde",     /* 31 */
    "0123456789abcdef0123456789abcdef0",   /* 33 */
    "0123456789ABCDEF0123456789abcdef",    /* upper case */
    "0123456789abcdeg0123456789abcdef",    /* not hex */
    "01234567-89ab-cdef-0123-456789abcdef",/* a UUID is not a replica id */
    "0123456789abcdef 123456789abcdef",
  };

  g_assert_true (jg_replica_id_valid ("0123456789abcdef0123456789abcdef"));
  g_assert_true (jg_replica_id_valid ("00000000000000000000000000000000"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (jg_replica_id_valid (bad[i]));
  g_assert_false (jg_replica_id_valid (NULL));
}

static void
test_token (void)
{
  g_autofree char *a = jg_token_new ();
  g_autofree char *b = jg_token_new ();

  /* 256 bits of randomness, in lower-case hex. */
  g_assert_cmpuint (strlen (a), ==, 64);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
}

static void
test_random_bytes (void)
{
  guint8 buf[4096] = { 0 };
  guint counts[256] = { 0 };

  jg_random_bytes (buf, sizeof buf);
  for (gsize i = 0; i < sizeof buf; i++)
    counts[buf[i]]++;
  /* Loose: no byte value dominates (expected 16 each). */
  for (guint i = 0; i < 256; i++)
    g_assert_cmpuint (counts[i], <, 100);
  jg_random_bytes (buf, 0);
}

/* The change log keeps a record id as its 16 bytes: every valid id comes
 * back the same, and nothing else is taken for one. */
static void
test_uuid_bytes (void)
{
  static const char *const not_ids[] = {
    "", "r1", "018F2A6C-8F00-7000-8000-000000000001", "018f2a6c-8f00-7000-8000-00000000000",
    "018f2a6c-8f00-7000-8000-0000000000011", "018f2a6c8f00-7000-8000-0000000000001",
    "018f2a6c-8f00-7000-8000-00000000000g",
  };
  guint8 bytes[16];
  char text[37];

  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *id = jg_uuid7_new (1714550400000 + i * 7919);

      g_assert_true (jg_uuid_to_bytes (id, bytes));
      jg_uuid_format (bytes, text);
      g_assert_cmpstr (text, ==, id);
    }
  g_assert_true (jg_uuid_to_bytes ("00000000-0000-0000-0000-0000000000ff", bytes));
  for (int n = 0; n < 15; n++)
    g_assert_cmpuint (bytes[n], ==, 0);
  g_assert_cmpuint (bytes[15], ==, 0xff);
  for (guint i = 0; i < G_N_ELEMENTS (not_ids); i++)
    g_assert_false (jg_uuid_to_bytes (not_ids[i], bytes));
  g_assert_false (jg_uuid_to_bytes (NULL, bytes));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/id/uuid7/layout", test_uuid7_layout);
  g_test_add_func ("/jg/id/uuid7/timestamp", test_uuid7_timestamp);
  g_test_add_func ("/jg/id/uuid7/first-in-ms", test_uuid7_first_in_ms);
  g_test_add_func ("/jg/id/uuid7/same-ms", test_uuid7_same_ms);
  g_test_add_func ("/jg/id/uuid7/clock-backwards", test_uuid7_clock_backwards);
  g_test_add_func ("/jg/id/uuid7/many", test_uuid7_many);
  g_test_add_func ("/jg/id/uuid7/threads", test_uuid7_threads);
  g_test_add_func ("/jg/id/uuid-valid", test_uuid_valid);
  g_test_add_func ("/jg/id/uuid-bytes", test_uuid_bytes);
  g_test_add_func ("/jg/id/replica-id", test_replica_id);
  g_test_add_func ("/jg/id/replica-id-valid", test_replica_id_valid);
  g_test_add_func ("/jg/id/token", test_token);
  g_test_add_func ("/jg/id/random-bytes", test_random_bytes);

  return g_test_run ();
}
