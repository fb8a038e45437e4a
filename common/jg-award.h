/* jg-award.h: family awards: workflow, level ladder, consent before public notice
 *
 * An award goes nominated → under_review → public_notice → awarded, or is
 * declined from review or notice.  The public notice names the family, so it
 * needs the household's consent; it runs a configured number of working
 * days, and the award is granted only after it is over.  A nomination above
 * village level needs the same award one level below (the ladder).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

/* The award levels from the bottom: village, township, county, city,
 * province, national.  -1 for anything else. */
int      jg_award_level_rank       (const char        *level);

/* May an award move between these states (from NULL: a new award)?
 * Fails with JG_ERROR_TRANSITION naming the field "state". */
gboolean jg_award_can_transition   (const char        *from,
                                    const char        *to,
                                    GError           **error);

/* The last day of a public notice that starts on start and runs
 * working_days working days after it (Saturdays and Sundays skipped;
 * public holidays are not known and count as working days). */
void     jg_award_notice_end       (const GDate       *start,
                                    guint              working_days,
                                    GDate             *end_out);

/* May the household withdraw its consent to publicity now?  Not while an
 * award of it is on public notice (JG_ERROR_CONSENT_REQUIRED naming
 * "publicity_consent").  The server asks the same of a pushed change. */
gboolean jg_award_check_consent_withdrawal (JgStore     *store,
                                            const char  *household_id,
                                            GError     **error);

/* Called by jg_rules_check_write() inside the write transaction, for
 * awards and for households (their consent).  old_record is NULL for a
 * new record; new_record may be amended. */
gboolean jg_award_check_write      (JgStore           *store,
                                    const JgEntityDef *entity,
                                    JsonObject        *old_record,
                                    JsonObject        *new_record,
                                    GError           **error);

G_END_DECLS
