/* jg-award.h: family awards: workflow, level ladder, consent before public notice
 *
 * An award goes nominated → under_review → public_notice → awarded, or is
 * declined from review or notice.  The public notice names the family, so it
 * needs the household's consent; it runs a configured number of working
 * days, and the award is granted only after it is over.  A nomination above
 * village level needs the same award one level below (the ladder).
 *
 * Village staff nominate and submit for review (nominated → under_review);
 * every later step — public notice, award, decline — and the notice dates
 * are decided by a reviewer of a unit above the award's.  A notice runs at
 * least the configured number of working days and does not start more than
 * a day before the step that puts the award on it.  Local writes and the
 * server's per-change checks ask the same functions below.
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
 * working_days working days, the first day among them when it is one
 * (Saturdays and Sundays skipped; public holidays are not known and count
 * as working days): 3 from Wednesday end on Friday, 3 from Saturday on
 * Wednesday. */
void     jg_award_notice_end       (const GDate       *start,
                                    guint              working_days,
                                    GDate             *end_out);

/* Is moving an award from → to a reviewer's decision (public notice,
 * awarded, declined)?  Staying in the same state is not. */
gboolean jg_award_step_is_decision (const char        *from,
                                    const char        *to);

/* Is field one a reviewer decides (the state when the step is a decision,
 * the notice dates always)? */
gboolean jg_award_field_is_decided (const char        *field);

/* May a user with this role at actor_unit_path decide on an award of this
 * level (nullable: not known yet) at record_unit_path?  A reviewer above
 * the record's unit, whose federation is at the award's level or higher: a
 * township decides a village's and a township's awards, a county any
 * (it records those of the city, the province and the nation, which are
 * decided above any user of the app).  Fails with JG_ERROR_PERMISSION
 * naming field. */
gboolean jg_award_check_decider    (const char        *role,
                                    const char        *actor_unit_path,
                                    const char        *record_unit_path,
                                    const char        *award_level,
                                    const char        *field,
                                    GError           **error);

/* Are the notice dates (YYYY-MM-DD) acceptable on step_day, the day of
 * the write that sets them?  Both are needed; the notice runs at least
 * the configured working days from its start; when start_changed, the
 * start is not before the day before step_day.  Fails naming
 * notice_start or notice_end. */
gboolean jg_award_check_notice     (const char        *notice_start,
                                    const char        *notice_end,
                                    const GDate       *step_day,
                                    gboolean           start_changed,
                                    GError           **error);

/* Is an award's public notice, ending on notice_end (YYYY-MM-DD), over
 * on day, so that the award may be granted?  Not on its last day.  Fails
 * with JG_ERROR_TRANSITION naming "state", saying until when the notice
 * runs.  The one rule behind the grant, for the store, the server and the
 * review page's button. */
gboolean jg_award_check_notice_over (const char        *notice_end,
                                     const GDate       *day,
                                     GError           **error);

/* May the award as stored be granted now (by the store's clock): it is on
 * public notice and the notice is over?  For a front end, before it
 * offers the step; the certificate number is asked with the step. */
gboolean jg_award_may_grant        (JgStore           *store,
                                    JsonObject        *award,
                                    GError           **error);

/* May an award be granted on day: its notice is over and it has a
 * certificate number? */
gboolean jg_award_check_grant      (const char        *notice_end,
                                    const char        *certificate_no,
                                    const GDate       *day,
                                    GError           **error);

/* Has the household agreed to be named on a public notice?  NULL (a
 * family named without a household record) has no consent on file. */
gboolean jg_award_check_consent    (JgStore           *store,
                                    const char        *household_id,
                                    GError           **error);

/* The ladder: a nomination at level needs the same award one level below,
 * granted to the same household (or family name when household is NULL).
 * id is the award's own id, never counted.  Fails naming "level". */
gboolean jg_award_check_ladder     (JgStore           *store,
                                    const char        *id,
                                    const char        *award_type,
                                    const char        *level,
                                    const char        *household,
                                    const char        *family_name,
                                    GError           **error);

/* The day (China time) of a moment in Unix milliseconds, e.g. a change's
 * stamp: the server judges a step by the day it was taken. */
void     jg_award_day_of           (gint64             unix_ms,
                                    GDate             *out);

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
