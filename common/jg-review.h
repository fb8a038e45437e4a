/* jg-review.h: review states and who may move a record between them
 *
 * Every record type has review_state: draft → submitted → approved or
 * returned (with a note); a returned record is submitted again, and editing
 * the content of an approved record sends it back to submitted.  Village
 * staff record and submit; only a reviewer of a unit strictly above the
 * record's unit approves or returns.  jg_review_can_transition() is the pure
 * rule, shared with the server; jg_review_check_write() applies it to a
 * local write with the store's own user as the actor.
 *
 * A local-only store (nobody has signed in, so there is no server to answer
 * to) has one local user with every right over its own unit's subtree:
 * jg_review_can_transition_local() is that rule.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

/* Who is writing: the store's user, from the store's meta table. */
typedef struct
{
  char     *username;
  char     *role;        /* never NULL; "village_staff" for a local-only profile,
                          * whose review rights come from local_only instead */
  char     *org_unit;    /* division code, or NULL when none is set */
  char     *unit_path;   /* the unit's org_unit.path, or its significant code */
  gboolean  local_only;  /* no role in the store: nobody has signed in */
} JgActor;

void     jg_actor_clear              (JgActor           *actor);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JgActor, jg_actor_clear)

gboolean jg_review_get_actor         (JgStore           *store,
                                      JgActor           *out,
                                      GError           **error);

gboolean jg_review_role_valid        (const char        *role);
gboolean jg_review_role_is_reviewer  (const char        *role);
/* The role's name for people, translated; an unknown one as it is. */
const char *jg_review_role_title     (const char        *role);

/* Is @division_code a unit a user of @role works at?  Village staff at a
 * village (or community), township staff at a township (or subdistrict),
 * county reviewers and administrators at a county or above.  The level is
 * read from the code itself (its significant digits).  Fails naming both. */
gboolean jg_review_role_fits_unit    (const char        *role,
                                      const char        *division_code,
                                      GError           **error);

/* A division code without its trailing zero groups: 331082000000 → 331082,
 * so that prefixes follow the hierarchy. */
char    *jg_review_significant_code  (const char        *division_code);

/* Is the unit at upper_path strictly above the unit at lower_path?  Paths
 * are prefixes of their descendants' paths (org_unit.path), or significant
 * division codes when the units are not in the store. */
gboolean jg_review_unit_is_above     (const char        *upper_path,
                                      const char        *lower_path);

/* May a user with this role at this unit decide on a record at
 * record_unit_path: approve it, return it, write its review note?  Only a
 * reviewer of a unit strictly above the record's.  The one rule behind the
 * review_state steps and review_note, locally and on the server.  Fails
 * with JG_ERROR_PERMISSION naming field. */
gboolean jg_review_can_decide        (const char        *role,
                                      const char        *actor_unit_path,
                                      const char        *record_unit_path,
                                      const char        *field,
                                      GError           **error);

/* The same for the local user of a local-only store: records of the unit
 * at actor_unit_path or below it (NULL: every unit). */
gboolean jg_review_can_decide_local  (const char        *actor_unit_path,
                                      const char        *record_unit_path,
                                      const char        *field,
                                      GError           **error);

/* May a user with this role at this unit move a record at record_unit_path
 * from one review state to another?  from is NULL for a new record.  Fails
 * with JG_ERROR_TRANSITION for a step the workflow does not have, and
 * JG_ERROR_PERMISSION for one this user may not take; both name the field
 * "review_state".  The note that returning needs is checked by the caller. */
gboolean jg_review_can_transition    (const char        *role,
                                      const char        *actor_unit_path,
                                      const char        *record_unit_path,
                                      const char        *from,
                                      const char        *to,
                                      GError           **error);

/* The same steps for the local user of a local-only store, who may take
 * every one of them (approve and return included) on records of the unit
 * at actor_unit_path or below it; actor_unit_path NULL (no unit set) is
 * every unit.  Fails like jg_review_can_transition(). */
gboolean jg_review_can_transition_local (const char     *actor_unit_path,
                                         const char     *record_unit_path,
                                         const char     *from,
                                         const char     *to,
                                         GError        **error);

/* Is the field part of the record's content (so that editing it reopens an
 * approved record), rather than its review or workflow bookkeeping? */
gboolean jg_review_is_content_field  (const JgEntityDef *entity,
                                      const JgFieldDef  *field);

/* An approved ledger entry (service_entry, redemption) stays approved. */
gboolean jg_review_check_ledger_step (const JgEntityDef *entity,
                                      const char        *from,
                                      const char        *to,
                                      GError           **error);

/* An approved record is not deleted: the reviewer who approved it counts
 * it, so it is returned first (then its unit may delete it), and a granted
 * designation is revoked instead.  review_state: the record's, as stored.
 * Fails with JG_ERROR_TRANSITION naming "deleted".  The store's delete
 * asks it, and the form's Delete button says it; the server does not (a
 * deletion made offline before the approval arrived stands, check_role()
 * in jg-server-backend.c says why). */
gboolean jg_review_check_delete      (const JgEntityDef *entity,
                                      const char        *review_state,
                                      GError           **error);

/* A revoked designation (摘牌) is final, its review state with it: it is
 * never approved again, returned or sent back for review (a household
 * earns a title again with a new designation).  revoked: the record's
 * "revoked", before the write or with it; from is NULL for a new record.
 * Fails with JG_ERROR_TRANSITION naming "review_state".  The server asks
 * the same of every review_state change it receives. */
gboolean jg_review_check_revoked_step (const JgEntityDef *entity,
                                       gboolean           revoked,
                                       const char        *from,
                                       const char        *to,
                                       GError           **error);

/* Is the record a revoked designation (摘牌)? */
gboolean jg_review_is_revoked        (const char        *entity,
                                      JsonObject        *record);

/* A store signed in to a server (a role is set) writes only records whose
 * unit (after the write) is its user's unit or below it: the server would
 * reject the change at the next sync (out_of_scope).  A local-only store
 * writes any unit.  Fails with JG_ERROR_OUT_OF_SCOPE on "org_unit". */
gboolean jg_review_check_scope       (JgStore           *store,
                                      JsonObject        *old_record,
                                      JsonObject        *new_record,
                                      GError           **error);

/* May the store's own user decide on a record of the unit record_unit (a
 * division code): jg_review_can_decide() once signed in, the local-only
 * rule before.  For the workflow of other record types (awards). */
gboolean jg_review_store_may_decide  (JgStore           *store,
                                      const char        *record_unit,
                                      const char        *field,
                                      GError           **error);

/* May the store's own user decide a hard conflict over a field of a record
 * of the unit record_unit (a division code), by choosing its value?  A
 * conflict is the reviewers' to settle (DOMAIN.md): the rule of
 * jg_review_store_may_decide(), a reviewer of a unit strictly above the
 * record's once signed in, the local user over its own unit's subtree
 * before.  Fails with JG_ERROR_PERMISSION naming field. */
gboolean jg_review_store_may_resolve (JgStore           *store,
                                      const char        *record_unit,
                                      const char        *field,
                                      GError           **error);

/* An explicit review step a person asks for (the CLI's review, the review
 * page) on the stored record: refused when this user may not take it
 * (JG_ERROR_PERMISSION), even where the record is already there, and when
 * it would change nothing (JG_ERROR_TRANSITION); both name "review_state". */
gboolean jg_review_check_request     (JgStore           *store,
                                      JsonObject        *record,
                                      const char        *to,
                                      GError           **error);

/* Called by jg_rules_check_write() inside the write transaction.
 * old_record is NULL for a new record; new_record may be amended. */
gboolean jg_review_check_write       (JgStore           *store,
                                      const JgEntityDef *entity,
                                      JsonObject        *old_record,
                                      JsonObject        *new_record,
                                      GError           **error);

G_END_DECLS
