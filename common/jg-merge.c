/* jg-merge.c: the rules of the field-level merge
 *
 * Why conflicts are keyed the way they are: every replica must record the
 * same conflicts whatever order changes reach it in.  Among concurrent
 * versions of one field every one but the final winner loses exactly once,
 * so a hard conflict is named after its loser.  A soft conflict (concurrent
 * edits of different fields) is named after the unordered pair.
 */

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include "jg-merge.h"

int
jg_stamp_compare (const JgStamp *a,
                  const JgStamp *b)
{
  int r;

  if (a->hlc != b->hlc)
    return a->hlc < b->hlc ? -1 : 1;
  r = g_strcmp0 (a->replica, b->replica);
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

/* Two versions of the same field: neither author had seen the other. */
gboolean
jg_stamp_concurrent (const JgStamp *a,
                     const JgStamp *b)
{
  if (a->hlc == 0 || b->hlc == 0)
    return FALSE;
  if (g_strcmp0 (a->replica, b->replica) == 0)
    return FALSE;
  return a->base < b->hlc && b->base < a->hlc;
}

/* Two versions of different fields of one record, judged on the record. */
gboolean
jg_stamp_record_concurrent (const JgStamp *a,
                            const JgStamp *b)
{
  if (a->hlc == 0 || b->hlc == 0)
    return FALSE;
  if (g_strcmp0 (a->replica, b->replica) == 0)
    return FALSE;
  return a->rbase < b->hlc && b->rbase < a->hlc;
}

static char *
digest (const char *text)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  /* 128 bits, written like a UUID so ids look alike everywhere. */
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

char *
jg_conflict_id_for_loser (const char    *record,
                          const char    *field,
                          const JgStamp *loser)
{
  g_autofree char *key = g_strdup_printf ("hard|%s|%s|%s|%" PRId64,
                                          record, field, loser->replica, loser->hlc);
  return digest (key);
}

char *
jg_conflict_id_for_pair (const char    *record,
                         const char    *field_a,
                         const JgStamp *a,
                         const char    *field_b,
                         const JgStamp *b)
{
  g_autofree char *ka = g_strdup_printf ("%s|%s|%" PRId64, field_a, a->replica, a->hlc);
  g_autofree char *kb = g_strdup_printf ("%s|%s|%" PRId64, field_b, b->replica, b->hlc);
  g_autofree char *key = NULL;

  if (strcmp (ka, kb) > 0)
    key = g_strdup_printf ("pair|%s|%s|%s", record, kb, ka);
  else
    key = g_strdup_printf ("pair|%s|%s|%s", record, ka, kb);
  return digest (key);
}
