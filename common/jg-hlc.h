/* jg-hlc.h: hybrid logical clock (Kulkarni et al. 2014)
 *
 * A stamp is one gint64: 48 bits of milliseconds since the Unix epoch and a
 * 16-bit logical counter.  Stamps order changes together with the replica id.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JG_HLC_COUNTER_BITS 16
#define JG_HLC_COUNTER_MASK ((gint64) 0xffff)

/* How far ahead of our own clock a received stamp may be (5 minutes). */
#define JG_HLC_MAX_DRIFT_MS ((gint64) 5 * 60 * 1000)

typedef gint64 (*JgHlcWallClock) (gpointer user_data);

typedef struct _JgHlc JgHlc;

JgHlc   *jg_hlc_new              (gint64          last);
void     jg_hlc_free             (JgHlc          *hlc);
void     jg_hlc_set_wall_clock   (JgHlc          *hlc,
                                  JgHlcWallClock  clock,
                                  gpointer        user_data);
void     jg_hlc_set_offset_ms    (JgHlc          *hlc,
                                  gint64          offset_ms);
gint64   jg_hlc_get_offset_ms    (JgHlc          *hlc);
gint64   jg_hlc_wall_ms          (JgHlc          *hlc);
gint64   jg_hlc_now              (JgHlc          *hlc);
gboolean jg_hlc_receive          (JgHlc          *hlc,
                                  gint64          remote,
                                  GError        **error);
gint64   jg_hlc_last             (JgHlc          *hlc);
void     jg_hlc_advance          (JgHlc          *hlc,
                                  gint64          stamp);

static inline gint64
jg_hlc_pack (gint64 ms, gint64 counter)
{
  return (ms << JG_HLC_COUNTER_BITS) | (counter & JG_HLC_COUNTER_MASK);
}

static inline gint64
jg_hlc_ms (gint64 stamp)
{
  return stamp >> JG_HLC_COUNTER_BITS;
}

static inline gint64
jg_hlc_counter (gint64 stamp)
{
  return stamp & JG_HLC_COUNTER_MASK;
}

char    *jg_hlc_to_iso8601       (gint64          stamp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgHlc, jg_hlc_free)

G_END_DECLS
