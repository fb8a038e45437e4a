/* jg-json.h: JSON helpers: canonical text, guarded parsing */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_JSON_MAX_DEPTH 32

char     *jg_json_canonical      (JsonNode    *node);
JsonNode *jg_json_parse          (const char  *text,
                                  gssize       length,
                                  GError     **error);
char     *jg_json_to_string      (JsonNode    *node,
                                  gboolean     pretty);
gboolean  jg_json_equal          (JsonNode    *a,
                                  JsonNode    *b);
gboolean  jg_json_get_int        (JsonObject  *object,
                                  const char  *member,
                                  gint64      *out);
const char *jg_json_get_string   (JsonObject  *object,
                                  const char  *member);

gboolean  jg_json_check          (const char  *text,
                                  gsize        length,
                                  GError     **error);

/* Walks text that passed jg_json_check(), value by value. */
typedef struct
{
  const char *p;
  const char *end;
} JgJsonReader;

void      jg_json_reader_init    (JgJsonReader *r,
                                  const char   *text,
                                  gsize         length);
char      jg_json_reader_peek    (JgJsonReader *r);
gboolean  jg_json_reader_begin   (JgJsonReader *r,
                                  char          open);
gboolean  jg_json_reader_next    (JgJsonReader *r,
                                  char          close);
char     *jg_json_reader_member  (JgJsonReader *r);
char     *jg_json_reader_string  (JgJsonReader *r);
gboolean  jg_json_reader_int     (JgJsonReader *r,
                                  gint64       *out);
gboolean  jg_json_reader_skip    (JgJsonReader *r,
                                  const char  **start,
                                  gsize        *length);
JsonNode *jg_json_reader_value   (JgJsonReader *r);

G_END_DECLS
