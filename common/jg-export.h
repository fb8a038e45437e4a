/* jg-export.h: lists and tables as CSV or XLSX, and the export log
 *
 * PIPL: every export is logged in the store (who, when, what, how many
 * rows), and phones are masked unless the export is of one record's own
 * form.  CSV is UTF-8 with a byte order mark, so that Excel on a Chinese
 * Windows reads it as UTF-8; XLSX is written with libxlsxwriter.  Both are
 * slow work for a county's list: call them on the store's thread.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

typedef enum
{
  JG_EXPORT_CSV,
  JG_EXPORT_XLSX,
} JgExportFormat;

typedef enum
{
  JG_EXPORT_FLAGS_NONE      = 0,
  JG_EXPORT_FULL_PHONES     = 1 << 0,  /* the record's own form: phones unmasked */
} JgExportFlags;

/* A table: headers and rows of text cells. */
typedef struct
{
  char      *title;      /* what the log records */
  char      *sheet_name; /* the XLSX sheet's name, translated; NULL: from title */
  GStrv      headers;
  GPtrArray *rows;       /* of GStrv, one cell per header */
  GArray    *text;       /* of gboolean per column: never written as a number */
} JgExportTable;

JgExportTable *jg_export_table_new        (const char          *title,
                                           const char * const  *headers);
void           jg_export_table_add_row    (JgExportTable       *table,
                                           const char * const  *cells);
void           jg_export_table_free       (JgExportTable       *table);
void           jg_export_table_set_sheet_name (JgExportTable   *table,
                                           const char          *name);
/* The column holds codes, phones or ids: cells stay text in XLSX, so that
 * Excel keeps leading zeros and shows 331082004240, not 3.31082E+11. */
void           jg_export_table_set_text_column (JgExportTable  *table,
                                           guint                column);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgExportTable, jg_export_table_free)

/* csv, or xlsx when the name ends in ".xlsx". */
JgExportFormat jg_export_format_for_path  (const char          *path);
const char    *jg_export_format_name      (JgExportFormat       format);
/* ".csv" or ".xlsx". */
const char    *jg_export_format_extension (JgExportFormat       format);
/* @path with the extension of @format: the other format's extension
 * (any case) replaced, none added; so that the file written in @format
 * is named for it. */
char          *jg_export_path_for_format  (const char          *path,
                                           JgExportFormat       format);
/* A valid XLSX sheet name from @name: at most 31 characters, none of
 * []:*?/\ and not empty (a translated default then). */
char          *jg_export_sheet_name       (const char          *name);

char          *jg_export_mask_phone       (const char          *phone);
/* The text a list shows for a value of @entity's @field, as people read
 * it: a choice by its label (已通过, 维权), a yes/no as 是/否, a phone
 * masked, other text as is, anything else as its JSON.  NULL for no
 * value.  @entity may be NULL for the fields every record has. */
char          *jg_export_list_value       (const char          *entity,
                                           const char          *field,
                                           JsonNode            *value);
/* Masks, in place, the phones of a list of conflicts (jg_store_list_conflicts()):
 * each side's "value" when the field is "phone".  Change bundles are data, not
 * lists, and keep them whole. */
void           jg_export_mask_conflicts   (JsonArray           *conflicts);

/* Writes the table to path (replacing it). */
gboolean       jg_export_write            (JgExportTable       *table,
                                           const char          *path,
                                           JgExportFormat       format,
                                           GError             **error);

/* The records of entity that a list shows (query and equal as for
 * jg_store_search_where()), every field, as a table; phones masked unless
 * flags say otherwise. */
JgExportTable *jg_export_records_table    (JgStore             *store,
                                           const char          *entity,
                                           const JgListQuery   *query,
                                           JsonObject          *equal,
                                           JgExportFlags        flags,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* Writes the table and logs the export as the store's user. */
gboolean       jg_export_write_logged     (JgStore             *store,
                                           JgExportTable       *table,
                                           const char          *path,
                                           JgExportFormat       format,
                                           gboolean             masked,
                                           GError             **error);

gboolean       jg_export_log_add          (JgStore             *store,
                                           const char          *what,
                                           JgExportFormat       format,
                                           guint                rows,
                                           gboolean             masked,
                                           const char          *path,
                                           GError             **error);

/* Newest first: {"id", "exported_at", "username", "what", "format", "rows",
 * "masked", "path"}; limit 0 for all. */
JsonArray     *jg_export_log_list         (JgStore             *store,
                                           guint                limit,
                                           GError             **error);

G_END_DECLS
