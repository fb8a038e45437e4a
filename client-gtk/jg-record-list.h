/* jg-record-list.h: a GListModel over one record type, read in pages */
#pragma once

#include <gio/gio.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_RECORD_LIST_PAGE_SIZE 200

#define JG_TYPE_RECORD_LIST (jg_record_list_get_type ())
G_DECLARE_FINAL_TYPE (JgRecordList, jg_record_list, JG, RECORD_LIST, GObject)

JgRecordList *jg_record_list_new         (JgStoreWorker *worker,
                                          const char    *entity);
const char   *jg_record_list_get_entity  (JgRecordList  *self);
const char   *jg_record_list_get_search  (JgRecordList  *self);
void          jg_record_list_set_search  (JgRecordList  *self,
                                          const char    *search);
gboolean      jg_record_list_get_loading (JgRecordList  *self);
gboolean      jg_record_list_get_ready   (JgRecordList  *self);
void          jg_record_list_reload      (JgRecordList  *self);
void          jg_record_list_set_filter  (JgRecordList  *self,
                                          const char    *field,
                                          const char    *value);
const char   *jg_record_list_get_filter  (JgRecordList  *self,
                                          const char    *field);
void          jg_record_list_set_range   (JgRecordList  *self,
                                          const char    *field,
                                          const char    *from,
                                          const char    *to);
gboolean      jg_record_list_get_narrowed (JgRecordList *self);

G_END_DECLS
