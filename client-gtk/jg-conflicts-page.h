/* jg-conflicts-page.h: the conflicts sync found, for a reviewer to settle */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_CONFLICTS_PAGE (jg_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (JgConflictsPage, jg_conflicts_page, JG, CONFLICTS_PAGE, AdwBin)

JgStoreWorker *jg_conflicts_page_get_worker (JgConflictsPage *self);
void           jg_conflicts_page_set_worker (JgConflictsPage *self,
                                             JgStoreWorker   *worker);
JsonArray     *jg_conflicts_page_get_conflicts (JgConflictsPage *self);
gboolean       jg_conflicts_page_get_busy   (JgConflictsPage *self);
void           jg_conflicts_page_resolve    (JgConflictsPage *self,
                                             const char      *conflict_id,
                                             JsonNode        *value);
void           jg_conflicts_page_dismiss    (JgConflictsPage *self,
                                             const char      *conflict_id);

G_END_DECLS
