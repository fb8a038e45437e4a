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

G_END_DECLS
