/* jg-review-page.h: the reviewer's queues: by state, by unit, per record type */
#pragma once

#include <adwaita.h>

#include "jg-record-list.h"
#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_REVIEW_PAGE (jg_review_page_get_type ())
G_DECLARE_FINAL_TYPE (JgReviewPage, jg_review_page, JG, REVIEW_PAGE, AdwBin)

JgStoreWorker *jg_review_page_get_worker     (JgReviewPage  *self);
void           jg_review_page_set_worker     (JgReviewPage  *self,
                                              JgStoreWorker *worker);
const char    *jg_review_page_get_entity     (JgReviewPage  *self);
void           jg_review_page_set_entity     (JgReviewPage  *self,
                                              const char    *entity);
const char    *jg_review_page_get_state      (JgReviewPage  *self);
void           jg_review_page_set_state      (JgReviewPage  *self,
                                              const char    *state);
gboolean       jg_review_page_get_busy       (JgReviewPage  *self);
JgRecordList  *jg_review_page_get_model      (JgReviewPage  *self);
GtkSelectionModel *jg_review_page_get_selection (JgReviewPage *self);
GListModel    *jg_review_page_get_units      (JgReviewPage  *self);
JsonObject    *jg_review_page_get_record     (JgReviewPage  *self);
JsonArray     *jg_review_page_get_flags      (JgReviewPage  *self);
guint          jg_review_page_get_history_length (JgReviewPage *self);

/* What the actions do, without their dialogs (tests, and the dialogs). */
void           jg_review_page_set_selected_state (JgReviewPage *self,
                                              const char    *state,
                                              const char    *note);
void           jg_review_page_award_step     (JgReviewPage  *self,
                                              const char    *to,
                                              const char    *field,
                                              const char    *value);
void           jg_review_page_revoke_designation (JgReviewPage  *self,
                                                  const char    *reason);
void           jg_review_page_export_to_file (JgReviewPage  *self,
                                              const char    *path);

G_END_DECLS
