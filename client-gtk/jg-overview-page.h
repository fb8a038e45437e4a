/* jg-overview-page.h: the figures of the reviewer's area for a year */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_OVERVIEW_PAGE (jg_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (JgOverviewPage, jg_overview_page, JG, OVERVIEW_PAGE, AdwBin)

JgStoreWorker *jg_overview_page_get_worker  (JgOverviewPage *self);
void           jg_overview_page_set_worker  (JgOverviewPage *self,
                                             JgStoreWorker  *worker);
int            jg_overview_page_get_year    (JgOverviewPage *self);
void           jg_overview_page_set_year    (JgOverviewPage *self,
                                             int             year);
JsonObject    *jg_overview_page_get_stats   (JgOverviewPage *self);
const char    *jg_overview_page_get_summary (JgOverviewPage *self);
gboolean       jg_overview_page_get_busy    (JgOverviewPage *self);
void           jg_overview_page_export_to_file (JgOverviewPage *self,
                                             const char     *path);

G_END_DECLS
