/* jg-export.c: lists and tables as CSV or XLSX, and the export log */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "jg-entity.h"
#include "jg-error.h"
#include "jg-export.h"
#include "jg-json.h"
#include "jg-org-units.h"
#include "jg-rubric.h"
#include "jg-store-private.h"
#include "jg-validate.h"

#define PAGE 1000

JgExportTable *
jg_export_table_new (const char         *title,
                     const char * const *headers)
{
  JgExportTable *table = g_new0 (JgExportTable, 1);

  table->title = g_strdup (title);
  table->headers = g_strdupv ((char **) headers);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->text = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_array_set_size (table->text, g_strv_length (table->headers));
  return table;
}

void
jg_export_table_set_sheet_name (JgExportTable *table,
                                const char    *name)
{
  g_free (table->sheet_name);
  table->sheet_name = g_strdup (name);
}

void
jg_export_table_set_text_column (JgExportTable *table,
                                 guint          column)
{
  g_return_if_fail (column < table->text->len);

  g_array_index (table->text, gboolean, column) = TRUE;
}

void
jg_export_table_add_row (JgExportTable      *table,
                         const char * const *cells)
{
  g_ptr_array_add (table->rows, g_strdupv ((char **) cells));
}

void
jg_export_table_free (JgExportTable *table)
{
  if (table == NULL)
    return;
  g_free (table->title);
  g_free (table->sheet_name);
  g_strfreev (table->headers);
  g_ptr_array_unref (table->rows);
  g_array_unref (table->text);
  g_free (table);
}

JgExportFormat
jg_export_format_for_path (const char *path)
{
  g_autofree char *lower = path ? g_ascii_strdown (path, -1) : NULL;

  return lower && g_str_has_suffix (lower, ".xlsx") ? JG_EXPORT_XLSX : JG_EXPORT_CSV;
}

const char *
jg_export_format_name (JgExportFormat format)
{
  return format == JG_EXPORT_XLSX ? "xlsx" : "csv";
}

const char *
jg_export_format_extension (JgExportFormat format)
{
  return format == JG_EXPORT_XLSX ? ".xlsx" : ".csv";
}

char *
jg_export_path_for_format (const char     *path,
                           JgExportFormat  format)
{
  static const char * const known[] = { ".csv", ".xlsx", ".xls" };
  const char *ext = jg_export_format_extension (format);
  g_autofree char *lower = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  lower = g_ascii_strdown (path, -1);
  len = strlen (path);
  if (g_str_has_suffix (lower, ext))
    return g_strdup (path);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_has_suffix (lower, known[i]) && len > strlen (known[i]))
      {
        g_autofree char *stem = g_strndup (path, len - strlen (known[i]));

        /* Not a bare ".csv" in a folder's name: the name must have a stem. */
        if (!g_str_has_suffix (stem, G_DIR_SEPARATOR_S))
          return g_strconcat (stem, ext, NULL);
      }
  return g_strconcat (path, ext, NULL);
}

char *
jg_export_sheet_name (const char *name)
{
  g_autoptr(GString) s = g_string_new (NULL);
  int i = 0;

  for (const char *p = name ? name : ""; *p && i < 31; p = g_utf8_next_char (p), i++)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      /* Excel refuses these, and a name that starts or ends with an
       * apostrophe. */
      if (c < 128 && strchr ("[]:*?/\\", (int) c) != NULL)
        c = '_';
      if (c == '\'' && (i == 0 || *next == '\0' || i == 30))
        c = '_';
      if (g_unichar_iscntrl (c))
        c = ' ';
      g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  if (s->str[0] == '\0')
    /* Translators: the name of a spreadsheet's sheet when it has no other;
       at most 31 characters, none of []:*?/ or a backslash */
    return g_strdup (C_("spreadsheet", "Sheet1"));
  return g_strdup (s->str);
}

/* As the lists show it: 138****5678; a short landline keeps its last four. */
char *
jg_export_mask_phone (const char *phone)
{
  glong len;
  GString *s;

  if (phone == NULL || *phone == '\0')
    return g_strdup ("");
  len = g_utf8_strlen (phone, -1);
  if (len <= 4)
    return g_strnfill (len, '*');
  s = g_string_new (NULL);
  for (glong i = 0; i < len; i++)
    {
      const char *p = g_utf8_offset_to_pointer (phone, i);

      if ((len >= 11 && i < 3) || i >= len - 4)
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (s, '*');
    }
  return g_string_free (s, FALSE);
}

char *
jg_export_list_value (const char *entity,
                      const char *field,
                      JsonNode   *value)
{
  const JgEntityDef *def = jg_entity_lookup (entity != NULL ? entity : "household");
  const JgFieldDef *field_def = def != NULL && field != NULL ? jg_entity_field (def, field, NULL) : NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (value);

      if (g_strcmp0 (field, "phone") == 0)
        return jg_export_mask_phone (s);
      if (field_def != NULL && field_def->type == JG_FIELD_ENUM)
        return g_strdup (jg_choice_label (field_def, s));
      return g_strdup (s);
    }
  return jg_json_canonical (value);
}

void
jg_export_mask_conflicts (JsonArray *conflicts)
{
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);
      JsonNode *values = c ? json_object_get_member (c, "values") : NULL;
      JsonArray *sides = values && JSON_NODE_HOLDS_ARRAY (values) ? json_node_get_array (values) : NULL;

      for (guint k = 0; sides != NULL && k < json_array_get_length (sides); k++)
        {
          JsonObject *side = json_array_get_object_element (sides, k);
          JsonNode *value = side ? json_object_get_member (side, "value") : NULL;

          if (side == NULL || g_strcmp0 (jg_json_get_string (side, "field"), "phone") != 0 ||
              value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          {
            g_autofree char *masked = jg_export_mask_phone (json_node_get_string (value));

            json_object_set_string_member (side, "value", masked);
          }
        }
    }
}

/* ---- CSV ---- */

static gboolean is_number (const char *cell,
                           double     *out);

static void
csv_cell (GString    *out,
          const char *cell)
{
  g_autofree char *guarded = NULL;
  double number;

  if (cell == NULL)
    return;
  /* A text a spreadsheet would run as a formula (a title typed as
   * "=HYPERLINK(…)" or "+1", CSV injection) starts with an apostrophe, which
   * Excel and WPS show as text and do not print; a number stays a number. */
  if (strchr ("=+-@\t\r", cell[0]) != NULL && cell[0] != '\0' && !is_number (cell, &number))
    cell = guarded = g_strconcat ("'", cell, NULL);
  if (strpbrk (cell, ",\"\r\n") == NULL)
    {
      g_string_append (out, cell);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = cell; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_row (GString            *out,
         const char * const *cells,
         guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      csv_cell (out, cells && i < g_strv_length ((char **) cells) ? cells[i] : NULL);
    }
  g_string_append (out, "\r\n");
}

static gboolean
write_csv (JgExportTable  *table,
           const char     *path,
           GError        **error)
{
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");
  guint n = g_strv_length (table->headers);

  csv_row (out, (const char * const *) table->headers, n);
  for (guint i = 0; i < table->rows->len; i++)
    csv_row (out, g_ptr_array_index (table->rows, i), n);
  return g_file_set_contents (path, out->str, out->len, error);
}

/* ---- XLSX ---- */

static gboolean
xlsx_error (lxw_error  code,
            GError   **error)
{
  if (code == LXW_NO_ERROR)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not write the spreadsheet: %s"), lxw_strerror (code));
  return FALSE;
}

/* A cell that is a plain number is written as one, so that it adds up. */
static gboolean
is_number (const char *cell,
           double     *out)
{
  char *end = NULL;

  if (cell == NULL || *cell == '\0' || strlen (cell) > 15)
    return FALSE;
  /* Codes and phones with leading zeros stay text, and so do digits as
   * many as a division code's (12): an id, not an amount. */
  if (cell[0] == '0' && cell[1] != '\0' && cell[1] != '.')
    return FALSE;
  if (strlen (cell) >= 12 && strspn (cell, "0123456789") == strlen (cell))
    return FALSE;
  *out = g_ascii_strtod (cell, &end);
  return end != NULL && *end == '\0';
}

static gboolean
write_xlsx (JgExportTable  *table,
            const char     *path,
            GError        **error)
{
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  lxw_workbook *workbook = workbook_new (tmp);
  lxw_worksheet *sheet;
  lxw_format *bold;
  guint n = g_strv_length (table->headers);
  g_autofree char *sheet_name = NULL;
  lxw_error rc;

  if (workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not create the spreadsheet “%s”"), path);
      return FALSE;
    }
  sheet_name = jg_export_sheet_name (table->sheet_name ? table->sheet_name : table->title);
  sheet = workbook_add_worksheet (workbook, sheet_name);
  if (sheet == NULL)
    sheet = workbook_add_worksheet (workbook, NULL);
  bold = workbook_add_format (workbook);
  format_set_bold (bold);

  for (guint c = 0; c < n; c++)
    worksheet_write_string (sheet, 0, c, table->headers[c], bold);
  worksheet_freeze_panes (sheet, 1, 0);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **cells = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < n && cells[c] != NULL; c++)
        {
          double number;

          if ((c >= table->text->len || !g_array_index (table->text, gboolean, c)) &&
              is_number (cells[c], &number))
            worksheet_write_number (sheet, r + 1, c, number, NULL);
          else if (*cells[c] != '\0')
            worksheet_write_string (sheet, r + 1, c, cells[c], NULL);
        }
    }

  rc = workbook_close (workbook);
  if (!xlsx_error (rc, error))
    {
      g_remove (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_remove (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
jg_export_write (JgExportTable  *table,
                 const char     *path,
                 JgExportFormat  format,
                 GError        **error)
{
  g_return_val_if_fail (table != NULL && path != NULL, FALSE);

  return format == JG_EXPORT_XLSX ? write_xlsx (table, path, error)
                                  : write_csv (table, path, error);
}

/* ---- records ---- */

/* A cell as a person reads it: a choice by its label in the reader's
 * language, a reference to another record by what that record is called
 * (a household by its head; @titles caches them), a phone masked. */
static char *
cell_text (JgStore          *store,
           GHashTable       *titles,
           JsonObject       *record,
           const JgFieldDef *field,
           JsonNode         *node,
           JgExportFlags     flags)
{
  char *described;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (field != NULL && field->type == JG_FIELD_BOOL && JSON_NODE_HOLDS_VALUE (node))
    return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
  /* An inspection's scores by the rubric's labels, not as JSON. */
  if (field != NULL && (described = jg_rubric_describe_field (record, field->name, jg_ui_is_chinese ())) != NULL)
    return described;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      /* A moment as people write it, like the dates beside it:
       * "2024-03-08 09:30", not "2024-03-08T01:30:00Z". */
      if (field != NULL && field->type == JG_FIELD_DATETIME)
        {
          char *shown = jg_validate_format_datetime (s);

          return shown != NULL ? shown : g_strdup (s);
        }
      if (field != NULL && strcmp (field->name, "phone") == 0 && !(flags & JG_EXPORT_FULL_PHONES))
        return jg_export_mask_phone (s);
      if (field != NULL && field->type == JG_FIELD_ENUM)
        return g_strdup (jg_choice_label (field, s));
      if (field != NULL && field->type == JG_FIELD_REF && field->ref_entity != NULL)
        {
          const char *title = g_hash_table_lookup (titles, s);

          if (title == NULL)
            {
              char *found = jg_store_dup_record_title (store, field->ref_entity, s);

              /* A record this store does not hold keeps its id. */
              title = found != NULL ? found : g_strdup (s);
              g_hash_table_insert (titles, g_strdup (s), (char *) title);
            }
          return g_strdup (title);
        }
      return g_strdup (s);
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && field != NULL && field->type == JG_FIELD_STRLIST)
    {
      JsonArray *a = json_node_get_array (node);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) parts = NULL;

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          const char *s = json_node_get_string (json_array_get_element (a, i));

          if (s != NULL)
            g_strv_builder_add (b, s);
        }
      parts = g_strv_builder_end (b);
      return g_strjoinv ("、", parts);
    }
  return jg_json_canonical (node);
}

/* A unit's name, the path below the county ("桃渚镇 东山村"), from the
 * store's org units; "" for a unit it does not know. */
static char *
unit_name (JgStore    *store,
           GHashTable *cache,
           const char *code)
{
  const char *name;

  if (code == NULL || *code == '\0')
    return g_strdup ("");
  name = g_hash_table_lookup (cache, code);
  if (name == NULL)
    {
      g_autoptr(JsonObject) unit = jg_org_units_lookup (store, code, NULL);
      const char *level = unit ? json_object_get_string_member_with_default (unit, "level", "") : "";
      const char *parent = unit ? json_object_get_string_member_with_default (unit, "parent", NULL) : NULL;
      g_autoptr(JsonObject) township = NULL;

      /* Villages of the same name are told apart by their township. */
      if (strcmp (level, "village") == 0 && parent != NULL)
        township = jg_org_units_lookup (store, parent, NULL);
      g_hash_table_insert (cache, g_strdup (code),
                           township != NULL
                           ? g_strdup_printf ("%s %s",
                                              json_object_get_string_member_with_default (township, "name", ""),
                                              json_object_get_string_member_with_default (unit, "name", ""))
                           : g_strdup (unit ? json_object_get_string_member_with_default (unit, "name", "") : ""));
      name = g_hash_table_lookup (cache, code);
    }
  return g_strdup (name);
}

JgExportTable *
jg_export_records_table (JgStore            *store,
                         const char         *entity_name,
                         const JgListQuery  *query,
                         JsonObject         *equal,
                         JgExportFlags       flags,
                         GCancellable       *cancellable,
                         GError            **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(JgExportTable) table = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) unit_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JgListQuery page = { 0 };

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  if (entity == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY,
                   _("Unknown record type “%s”"), entity_name ? entity_name : "");
      return NULL;
    }

  /* Translators: the column of a record's id (a UUID) in an exported list */
  g_ptr_array_add (headers, (gpointer) _("Record ID"));
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *label = jg_field_label (entity->fields[i].name);

      g_ptr_array_add (headers, (gpointer) (label ? label : entity->fields[i].name));
      /* The unit by its code (for other systems) and by its name (for
       * the person reading the sheet). */
      if (entity->fields[i].type == JG_FIELD_UNIT)
        /* Translators: the column of an exported list beside the unit's
         * division code, with the unit's name (e.g. 桃渚镇东山村) */
        g_ptr_array_add (headers, (gpointer) _("Unit name"));
    }
  g_ptr_array_add (headers, NULL);
  table = jg_export_table_new (entity->name, (const char * const *) headers->pdata);
  jg_export_table_set_sheet_name (table, jg_entity_label (entity->name));
  /* Only amounts and counts are numbers; codes, phones, ids and dates
   * stay as written. */
  jg_export_table_set_text_column (table, 0);
  for (guint i = 0, column = 1; i < entity->n_fields; i++, column++)
    {
      if (entity->fields[i].type != JG_FIELD_INT && entity->fields[i].type != JG_FIELD_REAL)
        jg_export_table_set_text_column (table, column);
      if (entity->fields[i].type == JG_FIELD_UNIT)
        jg_export_table_set_text_column (table, ++column);
    }

  if (query != NULL)
    page = *query;
  page.limit = PAGE;
  page.offset = 0;
  for (;;)
    {
      g_autoptr(JsonArray) records = NULL;
      guint n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      records = jg_store_search_where (store, entity->name, &page, NULL, equal, error);
      if (records == NULL)
        return NULL;
      n = json_array_get_length (records);
      for (guint r = 0; r < n; r++)
        {
          JsonObject *o = json_array_get_object_element (records, r);
          g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

          g_ptr_array_add (cells, g_strdup (json_object_get_string_member_with_default (o, "id", "")));
          for (guint i = 0; i < entity->n_fields; i++)
            {
              g_ptr_array_add (cells, cell_text (store, titles, o, &entity->fields[i],
                                                 json_object_get_member (o, entity->fields[i].name),
                                                 flags));
              if (entity->fields[i].type == JG_FIELD_UNIT)
                g_ptr_array_add (cells, unit_name (store, unit_names,
                                                   json_object_get_string_member_with_default (o, entity->fields[i].name,
                                                                                               NULL)));
            }
          g_ptr_array_add (cells, NULL);
          jg_export_table_add_row (table, (const char * const *) cells->pdata);
        }
      if (n < PAGE)
        break;
      page.offset += n;
    }
  return g_steal_pointer (&table);
}

/* ---- the log ---- */

gboolean
jg_export_log_add (JgStore         *store,
                   const char      *what,
                   JgExportFormat   format,
                   guint            rows,
                   gboolean         masked,
                   const char      *path,
                   GError         **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  stmt = jg_store_prepare (store,
                           "INSERT INTO export_log (exported_at, username, what, format, rows, masked, path)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, jg_store_get_username (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, jg_export_format_name (format), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, rows);
  sqlite3_bind_int (stmt, 6, masked ? 1 : 0);
  sqlite3_bind_text (stmt, 7, path, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

gboolean
jg_export_write_logged (JgStore         *store,
                        JgExportTable   *table,
                        const char      *path,
                        JgExportFormat   format,
                        gboolean         masked,
                        GError         **error)
{
  /* Logged first, in a transaction that commits only once the file is
   * written: no file without its log row, no row for a file not made. */
  if (!jg_store_begin (store, error))
    return FALSE;
  if (!jg_export_log_add (store, table->title, format, table->rows->len, masked, path, error) ||
      !jg_export_write (table, path, format, error))
    {
      jg_store_rollback (store);
      return FALSE;
    }
  return jg_store_commit (store, error);
}

JsonArray *
jg_export_log_list (JgStore  *store,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT id, exported_at, username, what, format, rows, masked, path"
                           " FROM export_log ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (o, "exported_at", jg_stmt_text (stmt, 1));
      if (jg_stmt_text (stmt, 2))
        json_object_set_string_member (o, "username", jg_stmt_text (stmt, 2));
      else
        json_object_set_null_member (o, "username");
      json_object_set_string_member (o, "what", jg_stmt_text (stmt, 3));
      json_object_set_string_member (o, "format", jg_stmt_text (stmt, 4));
      json_object_set_int_member (o, "rows", sqlite3_column_int64 (stmt, 5));
      json_object_set_boolean_member (o, "masked", sqlite3_column_int (stmt, 6) != 0);
      if (jg_stmt_text (stmt, 7))
        json_object_set_string_member (o, "path", jg_stmt_text (stmt, 7));
      json_array_add_object_element (array, o);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}
