/* jg-ledger.h: the time bank: append-only ledger, balances, flags, star levels */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

/* Called by jg_rules_check_write() inside the write transaction.
 * old_record is NULL for a new record; new_record may be amended. */
gboolean jg_ledger_check_write (JgStore           *store,
                               const JgEntityDef *entity,
                               JsonObject        *old_record,
                               JsonObject        *new_record,
                               GError           **error);

G_END_DECLS
