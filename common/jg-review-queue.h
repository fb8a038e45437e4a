/* jg-review-queue.h: what a reviewer's queues need from the store
 *
 * The units below the reviewer's with the number of records waiting in a
 * review state, and the one step that moves many records at once: one
 * transaction through jg_store_put(), so every rule of jg-review.c applies
 * to each record, and either all of them move or none does.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/* fraction: 0..1; message: what is being done, translated. */
typedef void (*JgReviewProgressFunc) (double      fraction,
                                      const char *message,
                                      gpointer    user_data);

/**
 * jg_review_queue_units:
 * @org_code: (nullable): the reviewer's unit; %NULL for the store's own
 *   ("org_unit" meta), or else its first county
 * @state: (nullable): a review state; %NULL counts every state
 *
 * Returns: (transfer full): the unit as {"code", "name", "level", "path",
 *   "count", "children"}, its children and their children likewise (two
 *   levels: the townships and villages of a county).  "count" is the
 *   number of records of @entity in that state in the unit's subtree
 *   that the store's user may decide: the root also has "decidable",
 *   whether its own records are among them (not for a signed-in
 *   reviewer's own unit: a unit above decides those), and when not, its
 *   count leaves them out, as the queue does.
 *   When the store has no org units, a unit with a null code and path
 *   that counts everything.
 */
JsonObject *jg_review_queue_units     (JgStore              *store,
                                       const char           *entity,
                                       const char           *org_code,
                                       const char           *state,
                                       GError              **error);

/**
 * jg_review_queue_set_state:
 * @ids: (array zero-terminated=1): the records
 * @state: "approved" or "returned" (any review state the rules allow)
 * @note: (nullable): the review note; returning needs one
 * @from_state: (nullable): the review state the records were listed in
 * @n_skipped: (out) (optional): how many records were skipped
 * @skipped_titles: (out) (optional) (array zero-terminated=1) (transfer full):
 *   the names of the records skipped, in the order of @ids (a record's
 *   title, or its id when it has none)
 *
 * Moves every record to @state in one transaction: all of them, or on the
 * first refusal none (the error names the record's position in its
 * message).  Cancelling before the commit rolls everything back.
 *
 * A record that has left @from_state since it was listed (another reviewer
 * approved it, a sync brought a return) is not a refusal: it is skipped,
 * left as it is, and counted in @n_skipped, so that one record moved
 * elsewhere does not stop the reviewer's batch.  So is a revoked
 * designation (摘牌), whose review state stays as it is for good.
 *
 * Returns: the number of records moved, or -1 with @error set.
 */
gint64      jg_review_queue_set_state (JgStore              *store,
                                       const char           *entity,
                                       const char * const   *ids,
                                       const char           *state,
                                       const char           *note,
                                       const char           *from_state,
                                       guint                *n_skipped,
                                       GStrv                *skipped_titles,
                                       JgReviewProgressFunc  progress,
                                       gpointer              progress_data,
                                       GCancellable         *cancellable,
                                       GError              **error);

G_END_DECLS
