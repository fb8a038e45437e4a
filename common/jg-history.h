/* jg-history.h: a record's history, read from the change log
 *
 * Who changed which field, when and on which laptop: every change the store
 * holds for one record, oldest first.  A laptop may have compacted its log
 * to the latest change per field once the server acknowledged it, so the
 * history there can be shorter than the server's.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/**
 * jg_history_list:
 *
 * Returns: (transfer full): an array of {"field", "value", "hlc", "at"
 *   (ISO 8601, UTC), "author" (or null), "replica", "this_device"}, in the
 *   order the changes were made (hlc, then replica).
 */
JsonArray *jg_history_list (JgStore     *store,
                            const char  *entity,
                            const char  *record_id,
                            GError     **error);

G_END_DECLS
