/* jg-record.h: one stored record as a list item */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_RECORD (jg_record_get_type ())
G_DECLARE_FINAL_TYPE (JgRecord, jg_record, JG, RECORD, GObject)

JgRecord   *jg_record_new          (const char *entity,
                                    JsonObject *object);
const char *jg_record_get_entity   (JgRecord   *self);
const char *jg_record_get_id       (JgRecord   *self);
gboolean    jg_record_get_loaded   (JgRecord   *self);
JsonObject *jg_record_get_object   (JgRecord   *self);
char       *jg_record_dup_display  (JgRecord   *self,
                                    const char *field);

char       *jg_mask_phone          (const char *phone);

G_END_DECLS
