/* jg-config.h: the configurable parts of the domain (DOMAIN.md "configurable")
 *
 * Shipped as data (data/domain/domain.json, built into the library); a county
 * may replace it with its own file.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_CONFIG (jg_config_get_type ())
G_DECLARE_FINAL_TYPE (JgConfig, jg_config, JG, CONFIG, GObject)

JgConfig           *jg_config_get_default   (void);
void                jg_config_set_default   (JgConfig    *config);
JgConfig           *jg_config_new_from_data (const char  *data,
                                             gssize       length,
                                             GError     **error);
JgConfig           *jg_config_new_from_file (const char  *path,
                                             GError     **error);
const char * const *jg_config_get_list      (JgConfig    *self,
                                             const char  *name);
const char         *jg_config_get_label     (JgConfig    *self,
                                             const char  *list,
                                             const char  *code,
                                             gboolean     chinese);
gint64              jg_config_get_int       (JgConfig    *self,
                                             const char  *key,
                                             gint64       fallback);
JsonObject         *jg_config_get_object    (JgConfig    *self,
                                             const char  *key);

G_END_DECLS
