/* jg-hlc.c: hybrid logical clock */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "jg-error.h"
#include "jg-hlc.h"

struct _JgHlc
{
  gint64         last;
  gint64         offset_ms;
  JgHlcWallClock clock;
  gpointer       clock_data;
};

static gint64
default_wall_clock (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

JgHlc *
jg_hlc_new (gint64 last)
{
  JgHlc *hlc = g_new0 (JgHlc, 1);

  hlc->last = MAX (last, 0);
  hlc->clock = default_wall_clock;
  return hlc;
}

void
jg_hlc_free (JgHlc *hlc)
{
  g_free (hlc);
}

void
jg_hlc_set_wall_clock (JgHlc          *hlc,
                       JgHlcWallClock  clock,
                       gpointer        user_data)
{
  hlc->clock = clock ? clock : default_wall_clock;
  hlc->clock_data = user_data;
}

/* A correction learnt from the server (clock_skew): added to the wall clock. */
void
jg_hlc_set_offset_ms (JgHlc  *hlc,
                      gint64  offset_ms)
{
  hlc->offset_ms = offset_ms;
}

gint64
jg_hlc_get_offset_ms (JgHlc *hlc)
{
  return hlc->offset_ms;
}

gint64
jg_hlc_wall_ms (JgHlc *hlc)
{
  return hlc->clock (hlc->clock_data) + hlc->offset_ms;
}

gint64
jg_hlc_last (JgHlc *hlc)
{
  return hlc->last;
}

/* Send/local event: l' = max(l, pt); the counter grows while l' does not. */
gint64
jg_hlc_now (JgHlc *hlc)
{
  gint64 pt = jg_hlc_wall_ms (hlc);
  gint64 l = jg_hlc_ms (hlc->last);
  gint64 c = jg_hlc_counter (hlc->last);

  if (pt > l)
    {
      l = pt;
      c = 0;
    }
  else if (c < JG_HLC_COUNTER_MASK)
    c++;
  else
    {
      /* Counter exhausted within one millisecond: borrow the next one. */
      l++;
      c = 0;
    }

  hlc->last = jg_hlc_pack (l, c);
  return hlc->last;
}

/* Receive event: l' = max(l, l_m, pt), with the counter rules of the paper.
 * A stamp too far ahead of our clock is refused rather than adopted, so a
 * machine with a wrong clock cannot drag everybody's clock into the future. */
gboolean
jg_hlc_receive (JgHlc   *hlc,
                gint64   remote,
                GError **error)
{
  gint64 pt = jg_hlc_wall_ms (hlc);
  gint64 l = jg_hlc_ms (hlc->last);
  gint64 c = jg_hlc_counter (hlc->last);
  gint64 lm = jg_hlc_ms (remote);
  gint64 cm = jg_hlc_counter (remote);
  gint64 nl;

  if (remote < 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                   _("Invalid clock stamp %" PRId64), remote);
      return FALSE;
    }

  if (lm - pt > JG_HLC_MAX_DRIFT_MS)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_CLOCK_SKEW,
                   _("A change is stamped %" PRId64 " seconds ahead of this computer’s clock"),
                   (lm - pt) / 1000);
      return FALSE;
    }

  nl = MAX (MAX (l, lm), pt);
  if (nl == l && nl == lm)
    c = MAX (c, cm) + 1;
  else if (nl == l)
    c = c + 1;
  else if (nl == lm)
    c = cm + 1;
  else
    c = 0;

  if (c > JG_HLC_COUNTER_MASK)
    {
      nl++;
      c = 0;
    }

  hlc->last = jg_hlc_pack (nl, c);
  return TRUE;
}

char *
jg_hlc_to_iso8601 (gint64 stamp)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 ms = jg_hlc_ms (stamp);

  dt = g_date_time_new_from_unix_utc (ms / 1000);
  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* The clock is at least @stamp: one this replica gave out through another
 * connection to its store. */
void
jg_hlc_advance (JgHlc  *hlc,
                gint64  stamp)
{
  hlc->last = MAX (hlc->last, stamp);
}
