/* jg-ledger.h: the time bank: append-only ledger, balances, flags, star levels
 *
 * Volunteer hours are money-like: service entries (earned) and redemptions
 * (spent) are never edited, a mistake is cancelled by a reversing entry, and
 * a balance is always computed from the entries, never stored.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 earned_minutes;             /* approved service, less reversed entries */
  gint64 redeemed_minutes;           /* accepted redemptions, less reversed ones */
  gint64 pending_minutes;            /* redemptions the server has not decided */
  gint64 available_minutes;          /* earned − redeemed − pending, never below 0 */
  gint64 lifetime_approved_minutes;  /* what the star level is computed from */
} JgLedgerBalance;

/* The entries of @table (a ledger table's name, a literal) that a reversal
 * cancels, as a subquery: only an approved reversal does (DOMAIN.md: only
 * approved entries count).  A draft, submitted or returned one changes no
 * balance, report or list; the one place this rule is written. */
#define JG_LEDGER_REVERSED_SQL(table) \
  "SELECT reverses FROM " table \
  " WHERE reverses IS NOT NULL AND deleted IS NOT 1 AND review_state = 'approved'"

/* Flag codes of jg_ledger_flags(). */
#define JG_LEDGER_FLAG_OVERLAP       "overlap"
#define JG_LEDGER_FLAG_DAILY_CAP     "daily_cap"
#define JG_LEDGER_FLAG_SELF_APPROVED "self_approved"

gboolean   jg_ledger_balance      (JgStore           *store,
                                   const char        *volunteer_id,
                                   JgLedgerBalance   *out,
                                   GError           **error);

/* 0 (no star) to 5 from the configured hours (time_bank.star_hours). */
guint      jg_ledger_star_level   (gint64             lifetime_approved_minutes);
gboolean   jg_ledger_check_status_step (const char   *from,
                                        const char   *to,
                                        GError      **error);
gboolean   jg_ledger_check_decider (const char  *role,
                                    GError     **error);
/* A reversal of approved service takes hours back: not hours already
 * redeemed or promised to a pending redemption, or the balance would go
 * below zero.  Asked when the reversal is made and again when it is
 * approved (it counts only then), on the laptop and on the server. */
gboolean   jg_ledger_check_reversal_covered (JgStore     *store,
                                             const char  *volunteer_id,
                                             const char  *target_id,
                                             gint64       minutes,
                                             GError     **error);
/* What a new ledger entry of @entity_name in @org_unit names lies in its
 * unit: the volunteer (its own unit: hours are earned and spent where the
 * volunteer is registered), the entry it reverses (same unit) and the
 * activity it was served at (the entry's unit inside the activity's).
 * Each must exist (JG_ERROR_NOT_FOUND); one of another unit is
 * JG_ERROR_OTHER_UNIT.  The laptop's write and the server's push ask it. */
gboolean   jg_ledger_check_references (JgStore     *store,
                                       const char  *entity_name,
                                       const char  *org_unit,
                                       const char  *volunteer_id,
                                       const char  *reverses,
                                       const char  *activity_id,
                                       GError     **error);
/* No live reversal of @target_id (not withdrawn, not refused by the
 * server) other than @except_id (the record being written, or NULL); with
 * @approved_only, none approved.  Asked when a reversal is made or
 * submitted again (any live one blocks) and when it is approved (an
 * approved one blocks: of two, only one is ever approved). */
gboolean   jg_ledger_check_not_reversed (JgStore           *store,
                                         const JgEntityDef *entity,
                                         const char        *target_id,
                                         const char        *except_id,
                                         gboolean           approved_only,
                                         GError           **error);
/* A reversal @id (of @reverses) moving from review state @from to @to:
 * jg_ledger_check_not_reversed() at a resubmission and at an approval,
 * except itself.  The laptop's write and the server's push ask it. */
gboolean   jg_ledger_check_review_step (JgStore           *store,
                                        const JgEntityDef *entity,
                                        const char        *id,
                                        const char        *reverses,
                                        const char        *from,
                                        const char        *to,
                                        GError           **error);
/* Whether the fixed @field of a ledger entry may still be corrected: a
 * reversal's reason, until the reversal is approved (a returned one is
 * corrected and submitted again). */
gboolean   jg_ledger_field_correctable (const char        *field,
                                        const char        *reverses,
                                        const char        *review_state);
/* Whether a ledger entry may be deleted: only a reversal the reviewer
 * returned, withdrawn by the village (a tombstone; it then blocks no new
 * reversal).  Anything else is corrected by a reversing entry. */
gboolean   jg_ledger_check_withdrawal (const JgEntityDef *entity,
                                       const char        *reverses,
                                       const char        *review_state,
                                       GError           **error);

/* Checks worth a reviewer's look on a service entry, as an array of flag
 * codes (empty when there is nothing to see).  Give the id of a stored entry,
 * or a record (new or edited, as a form holds it) with id NULL.  The flags
 * are reported, never acted on.  An entry served at midnight China time is
 * one recorded with a date and no time: it overlaps nothing, and counts
 * toward its day's total. */
JsonArray *jg_ledger_flags        (JgStore           *store,
                                   const char        *service_entry_id,
                                   JsonObject        *record,
                                   GError           **error);

/* The same checks, as a reviewer reads them: an array of objects with
 * "code" (as above), "message" (translated, for people) and what the flag is
 * about: "entries" (the overlapping entries: "id", "served_at", "minutes"),
 * "day", "day_minutes" and "cap_minutes" (over the configured
 * time_bank.daily_cap_minutes), "recorder" and "approver".  Recorder =
 * approver is flagged for an approved entry (its approver from the log),
 * and for a submitted one when the store's user, a reviewer, recorded it:
 * approving it would make her both.  Never for the one user of a
 * local-only store, who records and approves by design. */
JsonArray *jg_ledger_flag_details (JgStore           *store,
                                   const char        *service_entry_id,
                                   JsonObject        *record,
                                   GError           **error);

/* Whether a server's refusal (its error code) of a change of this entity
 * is the server deciding against a new redemption. */
gboolean   jg_ledger_is_refused_redemption (const char  *entity,
                                            const char  *code);
/* Records on this device that the server refused a new ledger entry as a
 * whole: a redemption (jg_ledger_is_refused_redemption()) or a reversal
 * of either kind (another laptop's reversal came first, the hours were
 * spent meanwhile, …).  It is rejected (status) with the server's reason
 * (status_reason) and counts for nothing: no balance, and a refused
 * reversal blocks no new one.  Never sent: the server does not hold the
 * record. */
gboolean   jg_ledger_record_refusal (JgStore           *store,
                                     const char        *entity_name,
                                     const char        *id,
                                     const char        *reason,
                                     GError           **error);
/* Fields only this device writes (a service entry's refusal): the server
 * refuses them, a local write cannot set them. */
gboolean   jg_ledger_is_local_field (const char        *entity,
                                     const char        *field);

gboolean   jg_ledger_entry_reversible (JsonObject        *entry);
/* Records a reversing entry (冲正) for the entry @target_id of
 * @entity_name ("service_entry" or "redemption"): same volunteer, unit
 * and minutes, with @reason, submitted for review.  It counts once
 * approved.  The ledger's rules refuse a blank reason, a second reversal,
 * approved hours already redeemed.  Returns the new entry's id. */
char      *jg_ledger_reverse      (JgStore           *store,
                                   const char        *entity_name,
                                   const char        *target_id,
                                   const char        *reason,
                                   GError           **error);

/* Called by jg_rules_check_write() inside the write transaction.
 * old_record is NULL for a new record; new_record may be amended. */
gboolean   jg_ledger_check_write  (JgStore           *store,
                                   const JgEntityDef *entity,
                                   JsonObject        *old_record,
                                   JsonObject        *new_record,
                                   GError           **error);

G_END_DECLS
