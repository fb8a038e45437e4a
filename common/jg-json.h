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

G_END_DECLS
