/* jg-record-page.h: one record type as a searchable, lazily read table */
#pragma once

#include <adwaita.h>

#include "jg-record.h"
#include "jg-record-list.h"
#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_RECORD_PAGE (jg_record_page_get_type ())
G_DECLARE_FINAL_TYPE (JgRecordPage, jg_record_page, JG, RECORD_PAGE, AdwBin)

const char    *jg_record_page_get_entity     (JgRecordPage  *self);
JgStoreWorker *jg_record_page_get_worker     (JgRecordPage  *self);
void           jg_record_page_set_worker     (JgRecordPage  *self,
                                              JgStoreWorker *worker);
JgRecordList  *jg_record_page_get_model      (JgRecordPage  *self);
void           jg_record_page_focus_search   (JgRecordPage  *self);
const char    *jg_record_page_get_state      (JgRecordPage  *self);

G_END_DECLS
