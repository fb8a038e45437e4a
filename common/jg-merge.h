/* jg-merge.h: the rules of the field-level merge (DESIGN.md), as pure functions
 *
 * A field version is identified by its stamp: (hlc, replica).  Last writer
 * wins on that order.  "base" is the hlc of the version the author saw of the
 * same field, "rbase" the newest hlc of the whole record the author saw.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64      hlc;
  gint64      base;
  gint64      rbase;
  const char *replica;
} JgStamp;

int       jg_stamp_compare                 (const JgStamp *a,
                                            const JgStamp *b);
gboolean  jg_stamp_concurrent              (const JgStamp *a,
                                            const JgStamp *b);
gboolean  jg_stamp_record_concurrent       (const JgStamp *a,
                                            const JgStamp *b);
char     *jg_conflict_id_for_loser         (const char    *record,
                                            const char    *field,
                                            const JgStamp *loser);
char     *jg_conflict_id_for_pair          (const char    *record,
                                            const char    *field_a,
                                            const JgStamp *a,
                                            const char    *field_b,
                                            const JgStamp *b);

G_END_DECLS
