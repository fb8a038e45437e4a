/* jg-json-writer.h: JSON written straight to text, without a node tree */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _JgJsonWriter JgJsonWriter;

JgJsonWriter *jg_json_writer_new          (void);
void          jg_json_writer_free         (JgJsonWriter *self);
char         *jg_json_writer_free_to_text (JgJsonWriter *self,
                                           gsize        *length);

void          jg_json_writer_begin_object (JgJsonWriter *self);
void          jg_json_writer_end_object   (JgJsonWriter *self);
void          jg_json_writer_begin_array  (JgJsonWriter *self);
void          jg_json_writer_end_array    (JgJsonWriter *self);
void          jg_json_writer_member       (JgJsonWriter *self,
                                           const char   *name);

void          jg_json_writer_string       (JgJsonWriter *self,
                                           const char   *value);
void          jg_json_writer_int          (JgJsonWriter *self,
                                           gint64        value);
void          jg_json_writer_boolean      (JgJsonWriter *self,
                                           gboolean      value);
void          jg_json_writer_null         (JgJsonWriter *self);
void          jg_json_writer_raw          (JgJsonWriter *self,
                                           const char   *json);
void          jg_json_writer_node         (JgJsonWriter *self,
                                           JsonNode     *node);

void          jg_json_append_string       (GString      *out,
                                           const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgJsonWriter, jg_json_writer_free)

G_END_DECLS
