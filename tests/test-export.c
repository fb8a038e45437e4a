/* test-export.c: what an export writes, opened again
 *
 * Runs in zh_CN with the build tree's translations (JINGUO_LOCALEDIR from
 * tests/meson.build), as a county office's Excel reads it: a CSV is
 * parsed back, an XLSX is opened as the zip it must be and its sheet and
 * cells read from the XML inside.
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "jg-export.h"
#include "jg-org-units.h"
#include "jg-test-fixture.h"

#define UNIT "331082004240"

/* ---- reading back ---- */

/* RFC 4180: rows of fields, quotes doubled inside quoted fields; after
 * the byte order mark, which must be there. */
static GPtrArray *
parse_csv (const char *bytes,
           gsize       len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) cell = g_string_new (NULL);
  const char *p = bytes + 3, *end = bytes + len;
  gboolean quoted = FALSE;

  g_assert_cmpuint (len, >=, 3);
  g_assert_cmpmem (bytes, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (p, end - p, NULL));
  while (p < end)
    {
      if (quoted)
        {
          if (*p == '"' && p + 1 < end && p[1] == '"')
            g_string_append_c (cell, '"'), p++;
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (cell, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        {
          g_strv_builder_add (row, cell->str);
          g_string_truncate (cell, 0);
        }
      else if (*p == '\r' && p + 1 < end && p[1] == '\n')
        {
          g_strv_builder_add (row, cell->str);
          g_string_truncate (cell, 0);
          g_ptr_array_add (rows, g_strv_builder_end (row));
          g_strv_builder_unref (row);
          row = g_strv_builder_new ();
          p++;
        }
      else
        {
          /* Only CRLF ends a row; no byte of a zip or a stray NUL. */
          g_assert_cmpint (*p, !=, '\0');
          g_string_append_c (cell, *p);
        }
      p++;
    }
  g_assert_false (quoted);
  g_assert_cmpuint (cell->len, ==, 0);
  return rows;
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

/* The member @name of the zip in @bytes, inflated; NULL when the zip has
 * none.  Fails the test when @bytes is not a zip. */
static char *
zip_member (GBytes     *bytes,
            const char *name)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *eocd = NULL;
  guint32 cd_offset;
  guint16 n_entries;
  const guint8 *p;

  g_assert_cmpuint (len, >, 22);
  g_assert_cmpmem (data, 4, "PK\x03\x04", 4);
  for (gsize i = len - 22; i + 1 > 0 && eocd == NULL; i--)
    if (le32 (data + i) == 0x06054b50)
      eocd = data + i;
  g_assert_nonnull (eocd);
  n_entries = le16 (eocd + 10);
  cd_offset = le32 (eocd + 16);
  g_assert_cmpuint (cd_offset, <, len);
  p = data + cd_offset;
  for (guint e = 0; e < n_entries; e++)
    {
      guint16 method = le16 (p + 10);
      guint32 csize = le32 (p + 20), usize = le32 (p + 24);
      guint16 nlen = le16 (p + 28), xlen = le16 (p + 30), clen = le16 (p + 32);
      guint32 local = le32 (p + 42);

      g_assert_cmpuint (le32 (p), ==, 0x02014b50);
      if (nlen == strlen (name) && memcmp (p + 46, name, nlen) == 0)
        {
          const guint8 *lh = data + local;
          const guint8 *content = lh + 30 + le16 (lh + 26) + le16 (lh + 28);
          char *out = g_malloc0 (usize + 1);

          g_assert_cmpuint (le32 (lh), ==, 0x04034b50);
          g_assert_cmpuint (content + csize - data, <=, len);
          if (method == 0)
            memcpy (out, content, usize);
          else
            {
              g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
              gsize read = 0, written = 0;
              g_autoptr(GError) error = NULL;

              g_assert_cmpuint (method, ==, 8);
              g_assert_cmpint (g_converter_convert (G_CONVERTER (z), content, csize, out, usize,
                                                    G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                               ==, G_CONVERTER_FINISHED);
              g_assert_no_error (error);
              g_assert_cmpuint (written, ==, usize);
            }
          return out;
        }
      p += 46 + nlen + xlen + clen;
    }
  return NULL;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* The XML of the cell at @ref (like "B2") in @sheet_xml. */
static char *
xlsx_cell (const char *sheet_xml,
           const char *ref)
{
  g_autofree char *needle = g_strdup_printf ("<c r=\"%s\"", ref);
  const char *start = strstr (sheet_xml, needle);
  const char *end;

  if (start == NULL)
    return NULL;
  end = strstr (start, "</c>");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static gboolean
cell_is_number (const char *cell_xml)
{
  /* Numbers carry no type, or t="n"; text is t="s", "str" or "inlineStr". */
  return cell_xml != NULL && (strstr (cell_xml, " t=\"") == NULL || strstr (cell_xml, " t=\"n\"") != NULL);
}

/* ---- the tests ---- */

static JgExportTable *
sample_table (void)
{
  static const char * const headers[] = { "名称", "Code", "Amount", "Note", NULL };
  static const char * const row1[] = { "大田刘村委会", UNIT, "12", "刘, 美\"丽\"", NULL };
  static const char * const row2[] = { "东, 村", "331082004241", "3.5", "两行\r\n第二行", NULL };
  JgExportTable *table = jg_export_table_new ("sample", headers);

  jg_export_table_add_row (table, row1);
  jg_export_table_add_row (table, row2);
  return table;
}

static void
assert_is_csv (const char    *path,
               JgExportTable *table)
{
  g_autoptr(GBytes) bytes = read_file (path);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_false (len >= 2 && data[0] == 'P' && data[1] == 'K');
  rows = parse_csv (data, len);
  g_assert_cmpuint (rows->len, ==, table->rows->len + 1);
  g_assert_cmpstrv (rows->pdata[0], table->headers);
  for (guint i = 0; i < table->rows->len; i++)
    g_assert_cmpstrv (rows->pdata[i + 1], table->rows->pdata[i]);
}

static void
assert_is_xlsx (const char *path)
{
  g_autoptr(GBytes) bytes = read_file (path);
  g_autofree char *workbook = zip_member (bytes, "xl/workbook.xml");
  g_autofree char *types = zip_member (bytes, "[Content_Types].xml");

  g_assert_nonnull (workbook);
  g_assert_nonnull (strstr (workbook, "<sheet "));
  g_assert_nonnull (types);
  g_assert_nonnull (strstr (types, "spreadsheetml"));
}

/* The name follows the type chosen: the other type's extension is
 * replaced, whatever its case, none is added to a name that has its own. */
static void
test_path_for_format (void)
{
  static const struct { const char *path; JgExportFormat format; const char *expect; } cases[] = {
    { "/d/overview-2024.xlsx", JG_EXPORT_CSV, "/d/overview-2024.csv" },
    { "/d/overview-2024.XLSX", JG_EXPORT_CSV, "/d/overview-2024.csv" },
    { "/d/户-已提交.csv", JG_EXPORT_XLSX, "/d/户-已提交.xlsx" },
    { "/d/old.xls", JG_EXPORT_XLSX, "/d/old.xlsx" },
    { "/d/report", JG_EXPORT_CSV, "/d/report.csv" },
    { "/d/report", JG_EXPORT_XLSX, "/d/report.xlsx" },
    { "/d/report.CSV", JG_EXPORT_CSV, "/d/report.CSV" },
    { "/d/report.xlsx", JG_EXPORT_XLSX, "/d/report.xlsx" },
    { "/d/report.2024", JG_EXPORT_CSV, "/d/report.2024.csv" },
    { "/d/.csv", JG_EXPORT_XLSX, "/d/.csv.xlsx" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = jg_export_path_for_format (cases[i].path, cases[i].format);

      g_assert_cmpstr (path, ==, cases[i].expect);
      g_assert_cmpint (jg_export_format_for_path (path), ==, cases[i].format);
    }
}

/* Every type the export dialog offers, with every name it may suggest or
 * be given: what is written is the type chosen, under its extension (the
 * dialog names it with jg_export_path_for_format(), the pages write the
 * format of the name). */
static void
test_written_matches_format (void)
{
  static const char * const names[] = { "overview-2024.xlsx", "农户-已提交.csv", "report", "Report.XLSX" };
  static const JgExportFormat formats[] = { JG_EXPORT_CSV, JG_EXPORT_XLSX };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-export-XXXXXX", &error);
  g_autoptr(JgExportTable) table = sample_table ();

  g_assert_no_error (error);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    for (guint n = 0; n < G_N_ELEMENTS (names); n++)
      {
        g_autofree char *given = g_build_filename (dir, names[n], NULL);
        g_autofree char *path = jg_export_path_for_format (given, formats[f]);

        g_test_message ("%s as %s: %s", names[n], jg_export_format_name (formats[f]), path);
        g_assert_cmpint (jg_export_format_for_path (path), ==, formats[f]);
        g_assert_true (jg_export_write (table, path, jg_export_format_for_path (path), &error));
        g_assert_no_error (error);
        if (formats[f] == JG_EXPORT_CSV)
          assert_is_csv (path, table);
        else
          assert_is_xlsx (path);
        g_assert_cmpint (g_remove (path), ==, 0);
      }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Sheet names are valid whatever the title holds. */
static void
test_sheet_name (void)
{
  g_autofree char *long_name = jg_export_sheet_name ("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三");
  g_autofree char *bad = jg_export_sheet_name ("a[b]c:d*e?f/g\\h");
  g_autofree char *quoted = jg_export_sheet_name ("'x'");
  g_autofree char *empty = jg_export_sheet_name ("  ");
  g_autofree char *none = jg_export_sheet_name (NULL);

  g_assert_cmpint (g_utf8_strlen (long_name, -1), ==, 31);
  g_assert_cmpstr (bad, ==, "a_b_c_d_e_f_g_h");
  g_assert_cmpstr (quoted, ==, "_x_");
  /* The default sheet name, in Chinese. */
  g_assert_cmpstr (empty, ==, none);
  g_assert_cmpstr (none, !=, "Sheet1");
  g_assert_true (g_utf8_validate (none, -1, NULL));
  g_assert_nonnull (strstr (none, "表"));
}

/* Codes stay text, amounts are numbers. */
static void
test_xlsx_text_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "t.xlsx", NULL);
  g_autoptr(JgExportTable) table = sample_table ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *workbook = NULL;
  g_autofree char *strings = NULL;

  jg_export_table_set_sheet_name (table, "汇总:2024/区划");
  g_assert_true (jg_export_write (table, path, JG_EXPORT_XLSX, &error));
  g_assert_no_error (error);
  bytes = read_file (path);
  workbook = zip_member (bytes, "xl/workbook.xml");
  sheet = zip_member (bytes, "xl/worksheets/sheet1.xml");
  strings = zip_member (bytes, "xl/sharedStrings.xml");
  g_assert_nonnull (workbook);
  g_assert_nonnull (sheet);
  g_assert_nonnull (strstr (workbook, "name=\"汇总_2024_区划\""));
  for (guint r = 2; r <= 3; r++)
    {
      g_autofree char *ref_code = g_strdup_printf ("B%u", r);
      g_autofree char *ref_amount = g_strdup_printf ("C%u", r);
      g_autofree char *code = xlsx_cell (sheet, ref_code);
      g_autofree char *amount = xlsx_cell (sheet, ref_amount);

      g_test_message ("%s / %s", code, amount);
      g_assert_nonnull (code);
      g_assert_false (cell_is_number (code));
      g_assert_true (cell_is_number (amount));
    }
  g_assert_nonnull (strstr (strings, UNIT));

  /* Marked text: even a short code with no leading zero. */
  {
    static const char * const headers[] = { "id_last4", "minutes", NULL };
    static const char * const row[] = { "1234", "90", NULL };
    g_autoptr(JgExportTable) t = jg_export_table_new (NULL, headers);
    g_autofree char *sheet2 = NULL;
    g_autofree char *cell_a = NULL;
    g_autofree char *cell_b = NULL;

    jg_export_table_add_row (t, row);
    jg_export_table_set_text_column (t, 0);
    g_assert_true (jg_export_write (t, path, JG_EXPORT_XLSX, &error));
    g_assert_no_error (error);
    g_bytes_unref (bytes);
    bytes = read_file (path);
    sheet2 = zip_member (bytes, "xl/worksheets/sheet1.xml");
    cell_a = xlsx_cell (sheet2, "A2");
    cell_b = xlsx_cell (sheet2, "B2");
    g_assert_false (cell_is_number (cell_a));
    g_assert_true (cell_is_number (cell_b));
  }
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A list of records as Excel opens it in a Chinese office: the sheet
 * named in Chinese, the unit's code and the phone as text, a count as a
 * number; the CSV with its byte order mark. */
static void
test_records_table (JgTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = jg_test_put_ok (f, "household",
                                        "{\"org_unit\": \"" UNIT "\", \"head_name\": \"刘美丽\","
                                        " \"phone\": \"05761234567\", \"member_count\": 4}");
  g_autoptr(JgExportTable) table = jg_export_records_table (f->store, "household", NULL, NULL,
                                                            JG_EXPORT_FULL_PHONES, NULL, &error);
  g_autofree char *path = g_build_filename (f->dir, "农户.xlsx", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "农户.csv", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *workbook = NULL;
  g_autofree char *sheet = NULL;
  int unit_col = -1, phone_col = -1, count_col = -1;

  g_assert_no_error (error);
  g_assert_nonnull (table);
  for (guint c = 0; table->headers[c]; c++)
    {
      if (strcmp (table->headers[c], "所属单位") == 0 || strcmp (table->headers[c], "辖区") == 0 ||
          strstr (table->headers[c], "单位") != NULL)
        unit_col = unit_col < 0 ? (int) c : unit_col;
      if (strstr (table->headers[c], "电话") != NULL)
        phone_col = (int) c;
      if (strstr (table->headers[c], "人数") != NULL || strstr (table->headers[c], "人口") != NULL)
        count_col = (int) c;
    }
  g_test_message ("unit %d phone %d count %d", unit_col, phone_col, count_col);
  g_assert_cmpint (unit_col, >=, 0);
  g_assert_cmpint (phone_col, >=, 0);
  g_assert_cmpint (count_col, >=, 0);

  g_assert_true (jg_export_write (table, path, JG_EXPORT_XLSX, &error));
  g_assert_no_error (error);
  bytes = read_file (path);
  workbook = zip_member (bytes, "xl/workbook.xml");
  sheet = zip_member (bytes, "xl/worksheets/sheet1.xml");
  g_test_message ("%s", workbook);
  g_assert_nonnull (strstr (workbook, "name=\"农户\""));
  {
    g_autofree char *unit_ref = g_strdup_printf ("%c2", 'A' + unit_col);
    g_autofree char *phone_ref = g_strdup_printf ("%c2", 'A' + phone_col);
    g_autofree char *count_ref = g_strdup_printf ("%c2", 'A' + count_col);
    g_autofree char *unit = xlsx_cell (sheet, unit_ref);
    g_autofree char *phone = xlsx_cell (sheet, phone_ref);
    g_autofree char *count = xlsx_cell (sheet, count_ref);

    g_assert (unit_col < 26 && phone_col < 26 && count_col < 26);
    g_assert_false (cell_is_number (unit));
    g_assert_false (cell_is_number (phone));
    g_assert_true (cell_is_number (count));
  }

  g_assert_true (jg_export_write (table, csv, JG_EXPORT_CSV, &error));
  g_assert_no_error (error);
  assert_is_csv (csv, table);
  g_remove (path);
  g_remove (csv);
}

/* The column headed @header; fails the test when there is none. */
static int
column (JgExportTable *table,
        const char    *header)
{
  for (int c = 0; table->headers[c] != NULL; c++)
    if (g_strcmp0 (table->headers[c], header) == 0)
      return c;
  g_error ("no column “%s”", header);
  return -1;
}

/* A list read by a person: a choice by its Chinese label, a reference
 * by the name of what it refers to, not by codes and UUIDs. */
static void
test_records_table_labels (JgTestFixture *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *volunteer = jg_test_put_ok (f, "volunteer",
                                               "{\"org_unit\": \"" UNIT "\", \"name\": \"李娟\"}");
  g_autofree char *entry_json = g_strdup_printf ("{\"org_unit\": \"" UNIT "\", \"volunteer\": \"%s\","
                                                 " \"minutes\": 60, \"service_type\": \"care_visit\","
                                                 " \"served_at\": \"2024-03-08T09:00\"}", volunteer);
  g_autofree char *entry = jg_test_put_ok (f, "service_entry", entry_json);
  g_autoptr(JgExportTable) table = jg_export_records_table (f->store, "service_entry", NULL, NULL,
                                                            JG_EXPORT_FLAGS_NONE, NULL, &error);
  const JgEntityDef *def = jg_entity_lookup ("service_entry");
  char **row;
  guint found = 0;

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (table->rows->len, ==, 1);
  row = g_ptr_array_index (table->rows, 0);
  g_assert_cmpstr (table->headers[0], ==, "记录编号");
  g_assert_cmpstr (row[0], ==, entry);
  for (guint i = 0; i < def->n_fields; i++)
    {
      if (strcmp (def->fields[i].name, "volunteer") == 0)
        {
          g_assert_cmpstr (row[column (table, jg_field_label ("volunteer"))], ==, "李娟");
          found++;
        }
      else if (strcmp (def->fields[i].name, "service_type") == 0)
        {
          g_assert_cmpstr (row[column (table, jg_field_label ("service_type"))], ==, "关爱慰问");
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 2);
  /* A moment as people write it, in local time; the clock is fixed. */
  g_assert_true (g_regex_match_simple ("^20[0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]$",
                                       row[column (table, "创建时间")], 0, 0));
  g_assert_cmpstr (row[column (table, jg_field_label ("served_at"))], ==, "2024-03-08 09:00");
}

/* An inspection's scores as the score sheet names them, not as JSON with
 * the rubric's codes; its unit by name beside the code. */
static void
test_records_table_inspection (JgTestFixture *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *household = jg_test_put_ok (f, "household",
                                               "{\"org_unit\": \"" UNIT "\", \"head_name\": \"王芳\", \"member_count\": 4}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\": \"" UNIT "\", \"household\": \"%s\","
                                           " \"inspected_at\": \"2024-03-09\", \"stage\": \"village\","
                                           " \"item_scores\": {\"Y1\": 7, \"R1\": 5.5, \"Y2\": 4},"
                                           " \"veto_hits\": [\"V2\"]}", household);
  g_autofree char *inspection = NULL;
  g_autoptr(JgExportTable) table = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  char **row;

  g_assert_true (jg_org_units_import_builtin (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  inspection = jg_test_put_ok (f, "inspection", json);
  table = jg_export_records_table (f->store, "inspection", NULL, NULL, JG_EXPORT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 1);
  row = g_ptr_array_index (table->rows, 0);
  for (guint c = 0; row[c] != NULL; c++)
    g_string_append_printf (all, "%s | ", row[c]);
  g_test_message ("%s", all->str);

  g_assert_cmpstr (row[column (table, "各部分得分")], ==, "居室美 5.5/25；庭院美 11/30；厨厕美 0/20；家风美 0/25");
  g_assert_cmpstr (row[column (table, jg_field_label ("rubric"))], ==, "美丽庭院“四美”评分标准");
  g_assert_cmpstr (row[column (table, "各项得分")], ==,
                   "地面、墙面、门窗干净整洁 5.5/6；地面干净，无垃圾、无污水 7/7；柴草、农具等杂物堆放整齐 4/6");
  g_assert_cmpstr (row[column (table, "一票否决项")], ==, "有违章建筑且未整改");
  g_assert_cmpstr (row[column (table, "农户")], ==, "王芳");
  /* The code stays (other systems read it), and the name is beside it. */
  g_assert_cmpstr (row[column (table, "村（社区）或单位")], ==, UNIT);
  g_assert_cmpint (column (table, "单位名称"), ==, column (table, "村（社区）或单位") + 1);
  g_assert_cmpstr (row[column (table, "单位名称")], ==, "大田街道 大田刘村委会");
  g_assert_null (strchr (all->str, '{'));
}

/* A text a village worker typed that a spreadsheet would run as a formula
 * is written so that it stays text (CSV injection); numbers stay numbers. */
static void
test_csv_formulas (JgTestFixture *f,
                   gconstpointer  data)
{
  const char * const headers[] = { "a", "b", "c", "d", "e", NULL };
  const char * const row[] = { "=HYPERLINK(\"http://x\",\"点我\")", "-5", "+1+2", "@SUM(A1)", "端午包粽子", NULL };
  g_autoptr(JgExportTable) table = jg_export_table_new ("t", headers);
  g_autofree char *path = g_build_filename (f->dir, "t.csv", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr(GError) error = NULL;

  jg_export_table_add_row (table, row);
  g_assert_true (jg_export_write (table, path, JG_EXPORT_CSV, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &bytes, NULL, &error));
  g_assert_cmpstr (bytes, ==, "\xEF\xBB\xBF" "a,b,c,d,e\r\n"
                              "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",-5,'+1+2,'@SUM(A1),端午包粽子\r\n");
  g_remove (path);
}

/* ---- conflicts: a soft one dismissed once seen ---- */

static void
exchange (JgStore *from,
          JgStore *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bundle = jg_store_export_bundle (from, 0, &error);
  JgApplyCounts counts;

  g_assert_no_error (error);
  jg_store_import_bundle (to, bundle, &counts, &error);
  g_assert_no_error (error);
}

static void
edit (JgStore    *store,
      const char *id,
      const char *json)
{
  g_autoptr(JsonObject) o = jg_test_parse_object (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *put = NULL;

  json_object_set_string_member (o, "id", id);
  put = jg_store_put (store, "household", o, &error);
  g_assert_no_error (error);
}

static guint
count_kind (JsonArray  *conflicts,
            const char *kind,
            char      **first_id)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), kind) != 0)
        continue;
      if (n++ == 0 && first_id != NULL)
        *first_id = g_strdup (json_object_get_string_member (c, "id"));
    }
  return n;
}

static gint64
status_conflicts (JgStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = jg_store_sync_status (store, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (status, "conflicts");
}

/* A soft conflict may be marked as seen: it leaves the open list and the
 * sync count, here only; a hard one cannot, it waits for a decision. */
static void
test_dismiss_soft (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-conflicts-XXXXXX", &error);
  g_autofree char *one = g_build_filename (dir, "one.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autoptr(JgStore) a = jg_store_open (one, JG_STORE_CREATE, &error);
  g_autoptr(JgStore) b = jg_store_open (other, JG_STORE_CREATE, &error);
  struct { JgStore *store; } fs = { a }, *f = &fs;
  g_autofree char *id = NULL;
  g_autofree char *soft = NULL;
  g_autofree char *hard = NULL;
  g_autoptr(JsonArray) open = NULL;
  g_autoptr(JsonArray) all = NULL;
  guint n_soft, n = 0;

  g_assert_no_error (error);
  g_assert_true (jg_store_set_username (f->store, "village_wang", NULL));
  {
    g_autoptr(JsonObject) o = jg_test_parse_object ("{\"org_unit\": \"" UNIT "\", \"head_name\": \"王芳\", \"member_count\": 4}");

    id = jg_store_put (a, "household", o, &error);
    g_assert_no_error (error);
  }
  exchange (f->store, b);
  edit (f->store, id, "{\"member_count\": 3, \"phone\": \"13812345678\"}");
  edit (b, id, "{\"address\": \"大田刘村 8 号\", \"phone\": \"13900001111\"}");
  exchange (b, f->store);

  open = jg_store_list_conflicts (f->store, FALSE, &error);
  g_assert_no_error (error);
  n_soft = count_kind (open, "soft", &soft);
  g_assert_cmpuint (n_soft, >=, 2);
  g_assert_cmpuint (count_kind (open, "hard", &hard), ==, 1);
  g_assert_cmpint (status_conflicts (f->store), ==, n_soft + 1);

  /* One soft conflict, seen. */
  g_assert_true (jg_store_dismiss_conflict (f->store, soft, &error));
  g_assert_no_error (error);
  g_clear_pointer (&open, json_array_unref);
  open = jg_store_list_conflicts (f->store, FALSE, &error);
  g_assert_cmpuint (count_kind (open, "soft", NULL), ==, n_soft - 1);
  g_assert_cmpint (status_conflicts (f->store), ==, n_soft);
  /* Twice is no error and changes nothing. */
  g_assert_true (jg_store_dismiss_conflict (f->store, soft, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_conflicts (f->store), ==, n_soft);

  /* A hard one is not dismissed, and an unknown id is an error. */
  g_assert_false (jg_store_dismiss_conflict (f->store, hard, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (jg_store_dismiss_conflict (f->store, "no-such-conflict", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The rest of the soft ones at once; the hard one stays. */
  g_assert_true (jg_store_dismiss_soft_conflicts (f->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_soft - 1);
  g_clear_pointer (&open, json_array_unref);
  open = jg_store_list_conflicts (f->store, FALSE, &error);
  g_assert_cmpuint (json_array_get_length (open), ==, 1);
  g_assert_cmpuint (count_kind (open, "hard", NULL), ==, 1);
  g_assert_cmpint (status_conflicts (f->store), ==, 1);

  /* Still there when asked for all, marked as seen by whom. */
  all = jg_store_list_conflicts (f->store, TRUE, &error);
  g_assert_cmpuint (count_kind (all, "soft", NULL), ==, n_soft);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *c = json_array_get_object_element (all, i);

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "soft") == 0)
        g_assert_cmpstr (json_object_get_string_member_with_default (c, "seen_by", NULL), ==, "village_wang");
    }

  /* Local only: the other laptop still shows its own, and the same
   * changes arriving again do not bring the dismissed ones back. */
  exchange (b, f->store);
  g_assert_cmpint (status_conflicts (f->store), ==, 1);
  g_assert_true (jg_store_dismiss_soft_conflicts (f->store, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  /* Not carried by a change bundle: the other laptop, meeting the same
   * edits, shows its own. */
  exchange (f->store, b);
  g_assert_cmpint (status_conflicts (b), >=, 1 + 2);

  g_clear_object (&a);
  g_clear_object (&b);
  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? one : other;
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_remove (path);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

  g_test_add_func ("/jg/export/path-for-format", test_path_for_format);
  g_test_add_func ("/jg/export/written-matches-format", test_written_matches_format);
  g_test_add_func ("/jg/export/sheet-name", test_sheet_name);
  g_test_add_func ("/jg/export/xlsx-text-columns", test_xlsx_text_columns);
  ADD ("/jg/export/records-table", test_records_table);
  ADD ("/jg/export/records-table-labels", test_records_table_labels);
  ADD ("/jg/export/records-table-inspection", test_records_table_inspection);
  ADD ("/jg/export/csv-formulas", test_csv_formulas);
  g_test_add_func ("/jg/conflicts/dismiss-soft", test_dismiss_soft);
  return g_test_run ();
}
