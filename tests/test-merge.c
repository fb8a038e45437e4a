/* test-merge.c: the rules of the field-level merge (jg-merge.h) */

#include "config.h"

#include <string.h>

#include "jg-hlc.h"
#include "jg-id.h"
#include "jg-merge.h"

#define RA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define RB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define RC "cccccccccccccccccccccccccccccccc"
#define RECORD "018e1d2c-3b4a-7c5d-8e6f-0a1b2c3d4e5f"

#define T(ms, c) jg_hlc_pack ((gint64) 1709890200000 + (ms), (c))

static void
test_compare_hlc (void)
{
  JgStamp a = { T (0, 5), 0, 0, RB };
  JgStamp b = { T (1, 0), 0, 0, RA };
  JgStamp c = { T (0, 6), 0, 0, RA };

  /* The stamp decides first, whatever the replicas. */
  g_assert_cmpint (jg_stamp_compare (&a, &b), <, 0);
  g_assert_cmpint (jg_stamp_compare (&b, &a), >, 0);
  g_assert_cmpint (jg_stamp_compare (&a, &c), <, 0);
  g_assert_cmpint (jg_stamp_compare (&c, &a), >, 0);
}

static void
test_compare_replica (void)
{
  JgStamp a = { T (0, 5), 0, 0, RA };
  JgStamp b = { T (0, 5), 0, 0, RB };
  JgStamp a2 = { T (0, 5), 17, 3, RA };

  /* Equal stamps: the replica id breaks the tie. */
  g_assert_cmpint (jg_stamp_compare (&a, &b), ==, -1);
  g_assert_cmpint (jg_stamp_compare (&b, &a), ==, 1);
  /* base and rbase play no part in the order. */
  g_assert_cmpint (jg_stamp_compare (&a, &a2), ==, 0);
  g_assert_cmpint (jg_stamp_compare (&a, &a), ==, 0);
}

static void
test_compare_total_order (void)
{
  const char *replicas[] = { RA, RB, RC };
  JgStamp stamps[27];
  guint n = 0;

  for (int ms = 0; ms < 3; ms++)
    for (int c = 0; c < 3; c++)
      for (int r = 0; r < 3; r++)
        stamps[n++] = (JgStamp) { T (ms, c), 0, 0, replicas[r] };

  /* Antisymmetric and transitive over a grid of stamps: every replica
   * sorts the same changes the same way. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        int ij = jg_stamp_compare (&stamps[i], &stamps[j]);

        g_assert_cmpint (ij, ==, -jg_stamp_compare (&stamps[j], &stamps[i]));
        g_assert_cmpint (ij, ==, i < j ? -1 : (i > j ? 1 : 0));
      }
}

static void
test_concurrent_same_field (void)
{
  /* Both edited a version stamped T(0,0) without seeing each other. */
  JgStamp a = { T (10, 0), T (0, 0), T (0, 0), RA };
  JgStamp b = { T (20, 0), T (0, 0), T (0, 0), RB };
  /* C saw A's version before writing. */
  JgStamp c = { T (30, 0), T (10, 0), T (10, 0), RC };

  g_assert_true (jg_stamp_concurrent (&a, &b));
  g_assert_true (jg_stamp_concurrent (&b, &a));
  g_assert_false (jg_stamp_concurrent (&a, &c));
  g_assert_false (jg_stamp_concurrent (&c, &a));
  /* C did not see B: concurrent with it. */
  g_assert_true (jg_stamp_concurrent (&b, &c));
}

static void
test_concurrent_new_field (void)
{
  /* Two replicas fill in a field nobody had written (base 0). */
  JgStamp a = { T (10, 0), 0, 0, RA };
  JgStamp b = { T (10, 0), 0, 0, RB };

  g_assert_true (jg_stamp_concurrent (&a, &b));
}

static void
test_not_concurrent (void)
{
  JgStamp a = { T (10, 0), T (0, 0), T (0, 0), RA };
  JgStamp a_later = { T (20, 0), T (0, 0), T (0, 0), RA };
  JgStamp b_saw_a = { T (20, 0), T (10, 0), T (10, 0), RB };
  JgStamp none = { 0, 0, 0, RB };

  /* One replica's own versions are never concurrent with each other. */
  g_assert_false (jg_stamp_concurrent (&a, &a_later));
  /* An author who saw the other's version. */
  g_assert_false (jg_stamp_concurrent (&a, &b_saw_a));
  g_assert_false (jg_stamp_concurrent (&b_saw_a, &a));
  /* A field that was never written is not a version. */
  g_assert_false (jg_stamp_concurrent (&a, &none));
  g_assert_false (jg_stamp_concurrent (&none, &a));
}

static void
test_record_concurrent (void)
{
  /* Edits of different fields: judged on rbase, the newest stamp of the
   * whole record the author had seen. */
  JgStamp a = { T (10, 0), T (0, 0), T (5, 0), RA };
  JgStamp b = { T (20, 0), 0, T (5, 0), RB };
  JgStamp b_saw_a = { T (20, 0), 0, T (10, 0), RB };
  JgStamp a_same = { T (30, 0), 0, T (5, 0), RA };
  JgStamp none = { 0, 0, 0, RB };

  g_assert_true (jg_stamp_record_concurrent (&a, &b));
  g_assert_true (jg_stamp_record_concurrent (&b, &a));
  g_assert_false (jg_stamp_record_concurrent (&a, &b_saw_a));
  g_assert_false (jg_stamp_record_concurrent (&b_saw_a, &a));
  g_assert_false (jg_stamp_record_concurrent (&a, &a_same));
  g_assert_false (jg_stamp_record_concurrent (&a, &none));

  /* base does not count for the record rule, rbase not for the field rule. */
  {
    JgStamp x = { T (10, 0), T (20, 0), T (0, 0), RA };
    JgStamp y = { T (20, 0), T (10, 0), T (0, 0), RB };

    g_assert_true (jg_stamp_record_concurrent (&x, &y));
    g_assert_false (jg_stamp_concurrent (&x, &y));
  }
}

static gboolean
is_id_like (const char *id)
{
  return jg_uuid_valid (id);
}

static void
test_conflict_id_pair_symmetric (void)
{
  JgStamp a = { T (10, 0), 0, 0, RA };
  JgStamp b = { T (20, 0), 0, 0, RB };
  g_autofree char *ab = jg_conflict_id_for_pair (RECORD, "head_name", &a, "address", &b);
  g_autofree char *ba = jg_conflict_id_for_pair (RECORD, "address", &b, "head_name", &a);
  g_autofree char *again = jg_conflict_id_for_pair (RECORD, "head_name", &a, "address", &b);

  g_assert_true (is_id_like (ab));
  g_assert_cmpstr (ab, ==, ba);
  g_assert_cmpstr (ab, ==, again);
}

static void
test_conflict_id_pair_distinct (void)
{
  JgStamp a = { T (10, 0), 0, 0, RA };
  JgStamp b = { T (20, 0), 0, 0, RB };
  JgStamp b2 = { T (20, 1), 0, 0, RB };
  JgStamp bc = { T (20, 0), 0, 0, RC };
  g_autofree char *ab = jg_conflict_id_for_pair (RECORD, "head_name", &a, "address", &b);
  g_autofree char *ab2 = jg_conflict_id_for_pair (RECORD, "head_name", &a, "address", &b2);
  g_autofree char *abc = jg_conflict_id_for_pair (RECORD, "head_name", &a, "address", &bc);
  g_autofree char *swapped = jg_conflict_id_for_pair (RECORD, "address", &a, "head_name", &b);
  g_autofree char *other = jg_conflict_id_for_pair ("018e1d2c-3b4a-7c5d-8e6f-0a1b2c3d4e60",
                                                    "head_name", &a, "address", &b);

  /* Any other version, field or record is another conflict. */
  g_assert_cmpstr (ab, !=, ab2);
  g_assert_cmpstr (ab, !=, abc);
  g_assert_cmpstr (ab, !=, swapped);
  g_assert_cmpstr (ab, !=, other);
}

static void
test_conflict_id_loser (void)
{
  JgStamp loser = { T (10, 0), T (0, 0), T (0, 0), RA };
  JgStamp same_version = { T (10, 0), 0, T (9, 0), RA };
  JgStamp other = { T (10, 0), T (0, 0), T (0, 0), RB };
  g_autofree char *id = jg_conflict_id_for_loser (RECORD, "head_name", &loser);
  g_autofree char *again = jg_conflict_id_for_loser (RECORD, "head_name", &same_version);
  g_autofree char *by_other = jg_conflict_id_for_loser (RECORD, "head_name", &other);
  g_autofree char *other_field = jg_conflict_id_for_loser (RECORD, "address", &loser);
  g_autofree char *as_pair = jg_conflict_id_for_pair (RECORD, "head_name", &loser, "head_name", &other);

  /* Named after the losing version alone (hlc, replica): the same on every
   * replica, whichever winner it met. */
  g_assert_true (is_id_like (id));
  g_assert_cmpstr (id, ==, again);
  g_assert_cmpstr (id, !=, by_other);
  g_assert_cmpstr (id, !=, other_field);
  g_assert_cmpstr (id, !=, as_pair);
}

static void
test_three_way (void)
{
  /* Three concurrent versions of one field: A < B < C.  Whichever order a
   * replica meets them in, the winner is C and the losers are A and B, so
   * every replica records the same two conflict ids. */
  JgStamp v[3] = {
    { T (10, 0), T (0, 0), T (0, 0), RA },
    { T (20, 0), T (0, 0), T (0, 0), RB },
    { T (30, 0), T (0, 0), T (0, 0), RC },
  };
  const int orders[6][3] = { {0,1,2}, {0,2,1}, {1,0,2}, {1,2,0}, {2,0,1}, {2,1,0} };
  g_autoptr(GHashTable) first = NULL;

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      const JgStamp *cur = &v[orders[o][0]];

      for (int k = 1; k < 3; k++)
        {
          const JgStamp *in = &v[orders[o][k]];

          g_assert_true (jg_stamp_concurrent (in, cur));
          if (jg_stamp_compare (in, cur) > 0)
            {
              g_hash_table_add (ids, jg_conflict_id_for_loser (RECORD, "phone", cur));
              cur = in;
            }
          else
            g_hash_table_add (ids, jg_conflict_id_for_loser (RECORD, "phone", in));
        }
      g_assert_true (cur == &v[2]);
      g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
      if (first == NULL)
        first = g_hash_table_ref (ids);
      else
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, ids);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_assert_true (g_hash_table_contains (first, key));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/merge/compare/hlc", test_compare_hlc);
  g_test_add_func ("/jg/merge/compare/replica", test_compare_replica);
  g_test_add_func ("/jg/merge/compare/total-order", test_compare_total_order);
  g_test_add_func ("/jg/merge/concurrent/same-field", test_concurrent_same_field);
  g_test_add_func ("/jg/merge/concurrent/new-field", test_concurrent_new_field);
  g_test_add_func ("/jg/merge/concurrent/not", test_not_concurrent);
  g_test_add_func ("/jg/merge/concurrent/record", test_record_concurrent);
  g_test_add_func ("/jg/merge/conflict-id/pair-symmetric", test_conflict_id_pair_symmetric);
  g_test_add_func ("/jg/merge/conflict-id/pair-distinct", test_conflict_id_pair_distinct);
  g_test_add_func ("/jg/merge/conflict-id/loser", test_conflict_id_loser);
  g_test_add_func ("/jg/merge/conflict-id/three-way", test_three_way);

  return g_test_run ();
}
