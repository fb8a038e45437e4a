/* jg-rules.h: the domain's rules on a local write (DOMAIN.md)
 *
 * The store calls jg_rules_check_write() inside the write transaction with
 * the record as it was (NULL for a new one) and as it would be.  The rules
 * may refuse the write, and fill in computed fields.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

gboolean jg_rules_check_write (JgStore           *store,
                               const JgEntityDef *entity,
                               JsonObject        *old_record,
                               JsonObject        *new_record,
                               GError           **error);

/* A record that live records refer to (a household's inspections,
 * designations and awards; an activity's or a volunteer's time bank
 * entries) cannot be deleted: they would be left pointing at nothing and
 * still counted.  JG_ERROR_IN_USE names each kind and how many.  Run by
 * jg_store_delete() and by the server on a pushed deletion. */
gboolean jg_rules_check_delete (JgStore           *store,
                                const JgEntityDef *entity,
                                const char        *id,
                                GError           **error);

/* A record whose household is deleted goes with it: the statistics, the
 * review queues and the app's lists leave it out, as they leave out the
 * household (another laptop may have added an inspection while this one
 * deleted the household offline; the server takes both).  @col is the
 * record's household column, qualified; a record naming no household
 * passes.  Time bank entries of a deleted activity are not left out: their
 * hours were served and the balance counts them. */
#define JG_RULES_HOUSEHOLD_LIVE_SQL(col) \
  "NOT EXISTS (SELECT 1 FROM household dh WHERE dh.id = " col " AND dh.deleted IS 1)"

/* " AND " JG_RULES_HOUSEHOLD_LIVE_SQL() for each household field of
 * @entity (named @table in the statement), or "" when it has none. */
char    *jg_rules_live_parents_sql (const JgEntityDef *entity,
                                    const char        *table);

G_END_DECLS
