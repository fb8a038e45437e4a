/* test-hlc.c: the hybrid logical clock (jg-hlc.h)
 *
 * Every test drives the clock with a fake wall clock, so that "the same
 * millisecond", "a slow clock" and "a clock that jumps back" are exact.
 */

#include "config.h"

#include "jg-error.h"
#include "jg-hlc.h"

/* 2024-03-08T09:30:00Z */
#define T0 ((gint64) 1709890200000)

typedef struct
{
  gint64 now;
  guint  calls;
  guint  step_every;   /* advance "now" by 1 ms every this many calls; 0: never */
} FakeClock;

static gint64
fake_clock (gpointer user_data)
{
  FakeClock *clock = user_data;

  clock->calls++;
  if (clock->step_every && clock->calls % clock->step_every == 0)
    clock->now++;
  return clock->now;
}

static JgHlc *
new_hlc_at (FakeClock *clock,
            gint64     last)
{
  JgHlc *hlc = jg_hlc_new (last);

  jg_hlc_set_wall_clock (hlc, fake_clock, clock);
  return hlc;
}

static void
test_pack (void)
{
  gint64 s = jg_hlc_pack (T0, 42);

  g_assert_cmpint (jg_hlc_ms (s), ==, T0);
  g_assert_cmpint (jg_hlc_counter (s), ==, 42);
  /* The counter is the low part: a later millisecond always sorts after. */
  g_assert_cmpint (jg_hlc_pack (T0 + 1, 0), >, jg_hlc_pack (T0, JG_HLC_COUNTER_MASK));
  g_assert_cmpint (jg_hlc_pack (T0, 1), >, jg_hlc_pack (T0, 0));
  /* The counter is masked rather than spilling into the milliseconds. */
  g_assert_cmpint (jg_hlc_ms (jg_hlc_pack (T0, 0x10001)), ==, T0);
  g_assert_cmpint (jg_hlc_counter (jg_hlc_pack (T0, 0x10001)), ==, 1);
}

static void
test_fixed_clock (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  gint64 prev = 0;

  for (int i = 0; i < 1000; i++)
    {
      gint64 s = jg_hlc_now (hlc);

      g_assert_cmpint (s, >, prev);
      g_assert_cmpint (jg_hlc_ms (s), ==, T0);
      g_assert_cmpint (jg_hlc_counter (s), ==, i);
      g_assert_cmpint (jg_hlc_last (hlc), ==, s);
      prev = s;
    }
}

static void
test_slow_clock (void)
{
  FakeClock clock = { T0, 0, 10 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  gint64 prev = 0;

  for (int i = 0; i < 1000; i++)
    {
      gint64 s = jg_hlc_now (hlc);

      g_assert_cmpint (s, >, prev);
      /* Never ahead of the wall clock when nothing pushed it there. */
      g_assert_cmpint (jg_hlc_ms (s), ==, clock.now);
      if (jg_hlc_ms (s) > jg_hlc_ms (prev))
        g_assert_cmpint (jg_hlc_counter (s), ==, 0);
      else
        g_assert_cmpint (jg_hlc_counter (s), ==, jg_hlc_counter (prev) + 1);
      prev = s;
    }
  g_assert_cmpint (jg_hlc_ms (prev), ==, T0 + 100);
}

static void
test_clock_backwards (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  gint64 prev, s;

  prev = jg_hlc_now (hlc);
  jg_hlc_now (hlc);
  prev = jg_hlc_now (hlc);
  g_assert_cmpint (jg_hlc_counter (prev), ==, 2);

  /* The clock is set back an hour: stamps keep increasing on the old time. */
  clock.now = T0 - 3600 * 1000;
  for (int i = 0; i < 100; i++)
    {
      s = jg_hlc_now (hlc);
      g_assert_cmpint (s, >, prev);
      g_assert_cmpint (jg_hlc_ms (s), ==, T0);
      prev = s;
    }

  /* Once the wall clock passes the old time again, it takes over. */
  clock.now = T0 + 5;
  s = jg_hlc_now (hlc);
  g_assert_cmpint (s, >, prev);
  g_assert_cmpint (s, ==, jg_hlc_pack (T0 + 5, 0));
}

static void
test_new_with_last (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) ahead = new_hlc_at (&clock, jg_hlc_pack (T0 + 1000, 7));
  g_autoptr(JgHlc) negative = new_hlc_at (&clock, -5);

  /* A clock restored from a store never goes below its saved stamp. */
  g_assert_cmpint (jg_hlc_last (ahead), ==, jg_hlc_pack (T0 + 1000, 7));
  g_assert_cmpint (jg_hlc_now (ahead), ==, jg_hlc_pack (T0 + 1000, 8));

  g_assert_cmpint (jg_hlc_last (negative), ==, 0);
  g_assert_cmpint (jg_hlc_now (negative), ==, jg_hlc_pack (T0, 0));
}

static void
test_receive_remote_ahead (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0 - 10, 3));
  g_autoptr(GError) error = NULL;
  gint64 remote = jg_hlc_pack (T0 + 2000, 5);

  /* l' = l_m: the counter follows the remote one. */
  g_assert_true (jg_hlc_receive (hlc, remote, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0 + 2000, 6));
  g_assert_cmpint (jg_hlc_now (hlc), >, remote);
}

static void
test_receive_local_ahead (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0 + 50, 9));
  g_autoptr(GError) error = NULL;

  /* l' = l: the remote counter does not matter. */
  g_assert_true (jg_hlc_receive (hlc, jg_hlc_pack (T0 + 20, 400), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0 + 50, 10));
}

static void
test_receive_equal (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) a = new_hlc_at (&clock, jg_hlc_pack (T0 + 50, 9));
  g_autoptr(JgHlc) b = new_hlc_at (&clock, jg_hlc_pack (T0 + 50, 30));
  g_autoptr(GError) error = NULL;

  /* l' = l = l_m: max of both counters, plus one. */
  g_assert_true (jg_hlc_receive (a, jg_hlc_pack (T0 + 50, 20), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (a), ==, jg_hlc_pack (T0 + 50, 21));

  g_assert_true (jg_hlc_receive (b, jg_hlc_pack (T0 + 50, 20), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (b), ==, jg_hlc_pack (T0 + 50, 31));
}

static void
test_receive_physical (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0 - 100, 9));
  g_autoptr(GError) error = NULL;

  /* The wall clock is ahead of both: the counter starts again. */
  g_assert_true (jg_hlc_receive (hlc, jg_hlc_pack (T0 - 50, 70), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0, 0));
}

static void
test_receive_keeps_order (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) a = new_hlc_at (&clock, 0);
  g_autoptr(JgHlc) b = new_hlc_at (&clock, 0);
  gint64 prev = 0;

  /* Messages going back and forth: every event is after its causes. */
  for (int i = 0; i < 200; i++)
    {
      JgHlc *from = (i % 2) ? a : b;
      JgHlc *to = (i % 2) ? b : a;
      gint64 sent = jg_hlc_now (from);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (sent, >, prev);
      g_assert_true (jg_hlc_receive (to, sent, &error));
      g_assert_no_error (error);
      g_assert_cmpint (jg_hlc_last (to), >, sent);
      prev = jg_hlc_last (to);
      if (i % 7 == 0)
        clock.now++;
    }
}

static void
test_counter_exhaustion (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0, JG_HLC_COUNTER_MASK - 1));
  gint64 a, b, c;

  a = jg_hlc_now (hlc);
  g_assert_cmpint (a, ==, jg_hlc_pack (T0, JG_HLC_COUNTER_MASK));
  /* No room left in this millisecond: borrow the next one. */
  b = jg_hlc_now (hlc);
  g_assert_cmpint (b, ==, jg_hlc_pack (T0 + 1, 0));
  g_assert_cmpint (b, >, a);
  c = jg_hlc_now (hlc);
  g_assert_cmpint (c, ==, jg_hlc_pack (T0 + 1, 1));
}

static void
test_counter_exhaustion_many (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  gint64 prev = 0;

  /* 200,000 events in one wall-clock millisecond. */
  for (int i = 0; i < 200000; i++)
    {
      gint64 s = jg_hlc_now (hlc);

      if (s <= prev)
        g_assert_cmpint (s, >, prev);
      prev = s;
    }
  g_assert_cmpint (jg_hlc_ms (prev), ==, T0 + 200000 / (JG_HLC_COUNTER_MASK + 1));
}

static void
test_receive_counter_exhaustion (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0 + 10, 4));
  g_autoptr(GError) error = NULL;
  gint64 remote = jg_hlc_pack (T0 + 10, JG_HLC_COUNTER_MASK);

  g_assert_true (jg_hlc_receive (hlc, remote, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (hlc), >, remote);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0 + 11, 0));
}

static void
test_receive_drift (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0, 3));
  g_autoptr(GError) error = NULL;
  gint64 before;

  /* Exactly the allowed drift is still accepted. */
  g_assert_true (jg_hlc_receive (hlc, jg_hlc_pack (T0 + JG_HLC_MAX_DRIFT_MS, 0), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0 + JG_HLC_MAX_DRIFT_MS, 1));

  /* One millisecond more is refused, and the clock does not move. */
  before = jg_hlc_last (hlc);
  g_assert_false (jg_hlc_receive (hlc, jg_hlc_pack (T0 + JG_HLC_MAX_DRIFT_MS + 1, 0), &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_CLOCK_SKEW);
  g_assert_cmpint (jg_hlc_last (hlc), ==, before);
  g_clear_error (&error);

  /* A stamp a year ahead: same. */
  g_assert_false (jg_hlc_receive (hlc, jg_hlc_pack (T0 + (gint64) 365 * 86400 * 1000, 0), &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_CLOCK_SKEW);
  g_assert_cmpint (jg_hlc_last (hlc), ==, before);
}

static void
test_receive_invalid (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, jg_hlc_pack (T0, 3));
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_hlc_receive (hlc, -1, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_assert_cmpint (jg_hlc_last (hlc), ==, jg_hlc_pack (T0, 3));
}

static void
test_offset (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  g_autoptr(GError) error = NULL;
  gint64 ahead = T0 + 10 * 60 * 1000;   /* the server's clock, 10 minutes ahead */

  g_assert_cmpint (jg_hlc_get_offset_ms (hlc), ==, 0);
  g_assert_cmpint (jg_hlc_wall_ms (hlc), ==, T0);

  g_assert_false (jg_hlc_receive (hlc, jg_hlc_pack (ahead, 0), &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_CLOCK_SKEW);
  g_clear_error (&error);

  /* The correction learnt from the server's clock_skew answer. */
  jg_hlc_set_offset_ms (hlc, ahead - T0);
  g_assert_cmpint (jg_hlc_get_offset_ms (hlc), ==, ahead - T0);
  g_assert_cmpint (jg_hlc_wall_ms (hlc), ==, ahead);
  g_assert_true (jg_hlc_receive (hlc, jg_hlc_pack (ahead, 0), &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_hlc_ms (jg_hlc_now (hlc)), ==, ahead);

  clock.now += 1000;
  g_assert_cmpint (jg_hlc_now (hlc), ==, jg_hlc_pack (ahead + 1000, 0));
}

static void
test_offset_negative (void)
{
  FakeClock clock = { T0, 0, 0 };
  g_autoptr(JgHlc) hlc = new_hlc_at (&clock, 0);
  gint64 s1, s2;

  /* A clock months ahead is pulled back, but stamps already handed out
   * stay behind us: the next one is still later. */
  s1 = jg_hlc_now (hlc);
  jg_hlc_set_offset_ms (hlc, -(gint64) 90 * 86400 * 1000);
  g_assert_cmpint (jg_hlc_wall_ms (hlc), ==, T0 - (gint64) 90 * 86400 * 1000);
  s2 = jg_hlc_now (hlc);
  g_assert_cmpint (s2, >, s1);
  g_assert_cmpint (jg_hlc_ms (s2), ==, T0);
}

static void
test_default_clock (void)
{
  g_autoptr(JgHlc) hlc = jg_hlc_new (0);
  FakeClock clock = { T0, 0, 0 };
  gint64 before = g_get_real_time () / 1000;
  gint64 wall = jg_hlc_wall_ms (hlc);
  gint64 after = g_get_real_time () / 1000;

  g_assert_cmpint (wall, >=, before);
  g_assert_cmpint (wall, <=, after);

  jg_hlc_set_wall_clock (hlc, fake_clock, &clock);
  g_assert_cmpint (jg_hlc_wall_ms (hlc), ==, T0);
  /* NULL puts the real clock back. */
  jg_hlc_set_wall_clock (hlc, NULL, NULL);
  g_assert_cmpint (jg_hlc_wall_ms (hlc), >=, after);
}

static void
test_iso8601 (void)
{
  g_autofree char *epoch = jg_hlc_to_iso8601 (0);
  g_autofree char *t0 = jg_hlc_to_iso8601 (jg_hlc_pack (T0, 0));
  g_autofree char *t0_later = jg_hlc_to_iso8601 (jg_hlc_pack (T0 + 999, 12345));
  g_autofree char *t0_next = jg_hlc_to_iso8601 (jg_hlc_pack (T0 + 1000, 0));

  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00Z");
  g_assert_cmpstr (t0, ==, "2024-03-08T09:30:00Z");
  /* Milliseconds and the counter are below the precision of the text. */
  g_assert_cmpstr (t0_later, ==, "2024-03-08T09:30:00Z");
  g_assert_cmpstr (t0_next, ==, "2024-03-08T09:30:01Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/hlc/pack", test_pack);
  g_test_add_func ("/jg/hlc/fixed-clock", test_fixed_clock);
  g_test_add_func ("/jg/hlc/slow-clock", test_slow_clock);
  g_test_add_func ("/jg/hlc/clock-backwards", test_clock_backwards);
  g_test_add_func ("/jg/hlc/new-with-last", test_new_with_last);
  g_test_add_func ("/jg/hlc/receive/remote-ahead", test_receive_remote_ahead);
  g_test_add_func ("/jg/hlc/receive/local-ahead", test_receive_local_ahead);
  g_test_add_func ("/jg/hlc/receive/equal", test_receive_equal);
  g_test_add_func ("/jg/hlc/receive/physical", test_receive_physical);
  g_test_add_func ("/jg/hlc/receive/keeps-order", test_receive_keeps_order);
  g_test_add_func ("/jg/hlc/receive/counter-exhaustion", test_receive_counter_exhaustion);
  g_test_add_func ("/jg/hlc/receive/drift", test_receive_drift);
  g_test_add_func ("/jg/hlc/receive/invalid", test_receive_invalid);
  g_test_add_func ("/jg/hlc/counter-exhaustion", test_counter_exhaustion);
  g_test_add_func ("/jg/hlc/counter-exhaustion-many", test_counter_exhaustion_many);
  g_test_add_func ("/jg/hlc/offset", test_offset);
  g_test_add_func ("/jg/hlc/offset-negative", test_offset_negative);
  g_test_add_func ("/jg/hlc/default-clock", test_default_clock);
  g_test_add_func ("/jg/hlc/iso8601", test_iso8601);

  return g_test_run ();
}
