/* jg-validate.h: the domain's value rules per record type: ranges, lengths, cross-field checks
 *
 * jg-entity.c checks the type and syntax of each value; this module checks
 * what the domain says about it (a household has 1..50 members, a phone looks
 * like a phone, an activity does not end before it starts).  It also holds
 * the small helpers about time and configuration that the other rule modules
 * (review, ledger, award) share, so that "now" means the same everywhere.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

/* Called by jg_rules_check_write() inside the write transaction.
 * old_record is NULL for a new record; new_record may be amended. */
gboolean   jg_validate_record          (JgStore           *store,
                                        const JgEntityDef *entity,
                                        JsonObject        *old_record,
                                        JsonObject        *new_record,
                                        GError           **error);

/* "Now" as the store's clock sees it (corrected by the offset learnt from
 * the server), in the domain's time zone (China Standard Time, UTC+8). */
GDateTime *jg_validate_now             (JgStore           *store);

/* Parses a JG_FIELD_DATETIME value; a time without a zone is China time. */
GDateTime *jg_validate_parse_datetime  (const char        *value);
/* Such a value as people read it, "2024-03-08 09:30" in China time (a
 * stamp in UTC is shown there); NULL for a value that is not one. */
char      *jg_validate_format_datetime (const char        *value);

/* Parses a JG_FIELD_DATE value ("YYYY-MM-DD"). */
GDate     *jg_validate_parse_date      (const char        *value);

/* A number from a section of data/domain/domain.json, e.g.
 * ("time_bank", "daily_cap_minutes"); the fallback when it is missing. */
gint64     jg_validate_config_int      (const char        *section,
                                        const char        *key,
                                        gint64             fallback);
gboolean   jg_validate_config_bool     (const char        *section,
                                        const char        *key,
                                        gboolean           fallback);

/* TRUE when the text is NULL, empty or only white space (including the
 * ideographic space U+3000 that Chinese input methods produce). */
gboolean   jg_validate_text_is_blank   (const char        *text);

/* Does the field differ between the two records?  A NULL old record
 * (creation) counts as changed when the new value is not null. */
gboolean   jg_validate_field_changed   (JsonObject        *old_record,
                                        JsonObject        *new_record,
                                        const char        *field);

gboolean    jg_validate_change         (JgStore           *store,
                                        const JgEntityDef *entity,
                                        const char        *field,
                                        JsonNode          *value,
                                        GError           **error);

G_END_DECLS
