/* test-org-units.c: org units (jg-org-units.h): CSV import, lookups, subtrees
 *
 * The shipped 临海市 slice is the data: imported from the GResource and from
 * the project's data/org-units/331082 (G_TEST_SRCDIR/../data).  Broken CSVs
 * are written into a temporary directory per case.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "jg-common.h"
#include "jg-org-units.h"
#include "jg-store-private.h"

#define N_TOWNSHIPS 19
#define N_VILLAGES 678

typedef struct
{
  char    *dir;     /* a temporary directory for stores and CSVs */
  JgStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("jg-org-units-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "store.db", NULL);
  f->store = jg_store_open (path, JG_STORE_CREATE, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
import_builtin (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_org_units_import_builtin (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A sub-directory of the fixture's with the given files. */
static char *
write_csv_dir (Fixture    *f,
               const char *name,
               ...)
{
  char *dir = g_build_filename (f->dir, name, NULL);
  const char *file;
  va_list args;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  va_start (args, name);
  while ((file = va_arg (args, const char *)) != NULL)
    {
      const char *text = va_arg (args, const char *);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  return dir;
}

static char *
project_slice_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "org-units", "331082", NULL);
}

/* Everything in org_unit, to compare a store before and after. */
static char *
dump_units (JgStore *store)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT id, division_code, code_edition, name, level, "
                                             "coalesce (parent_id, 0), path FROM org_unit ORDER BY id", NULL);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%lld|%s|%s|%s|%s|%lld|%s\n",
                            (long long) sqlite3_column_int64 (stmt, 0),
                            jg_stmt_text (stmt, 1), jg_stmt_text (stmt, 2), jg_stmt_text (stmt, 3),
                            jg_stmt_text (stmt, 4), (long long) sqlite3_column_int64 (stmt, 5),
                            jg_stmt_text (stmt, 6));
  return g_string_free (out, FALSE);
}

/* ---- the shipped slice ----------------------------------------------- */

static void
test_builtin_counts (Fixture       *f,
                     gconstpointer  data)
{
  import_builtin (f);

  g_assert_cmpint (jg_org_units_count (f->store, "province"), ==, 1);
  g_assert_cmpint (jg_org_units_count (f->store, "prefecture"), ==, 1);
  g_assert_cmpint (jg_org_units_count (f->store, "county"), ==, 1);
  g_assert_cmpint (jg_org_units_count (f->store, "township"), ==, N_TOWNSHIPS);
  g_assert_cmpint (jg_org_units_count (f->store, "village"), ==, N_VILLAGES);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 3 + N_TOWNSHIPS + N_VILLAGES);
}

static void
test_builtin_lookup_village (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) village = NULL;
  g_autoptr(JsonObject) township = NULL;

  import_builtin (f);

  /* Seed 000 names this village. */
  village = jg_org_units_lookup (f->store, "331082004240", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (village, "name"), ==, "大田刘村委会");
  g_assert_cmpstr (json_object_get_string_member (village, "level"), ==, "village");
  g_assert_cmpstr (json_object_get_string_member (village, "parent"), ==, "331082004");
  g_assert_cmpstr (json_object_get_string_member (village, "path"), ==,
                   "/33/3310/331082/331082004/331082004240/");
  g_assert_cmpstr (json_object_get_string_member (village, "edition"), ==, "2023");

  township = jg_org_units_lookup (f->store, "331082004", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (township, "name"), ==, "大田街道");
  g_assert_cmpstr (json_object_get_string_member (township, "level"), ==, "township");
  g_assert_cmpstr (json_object_get_string_member (township, "parent"), ==, "331082");
}

static void
test_builtin_top (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) top = NULL;
  g_autoptr(JsonObject) county = NULL;
  g_autoptr(JsonObject) province = NULL;

  import_builtin (f);

  top = jg_org_units_children (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (top), ==, 1);
  province = json_object_ref (json_array_get_object_element (top, 0));
  g_assert_cmpstr (json_object_get_string_member (province, "name"), ==, "浙江省");
  g_assert_true (json_object_get_null_member (province, "parent"));

  county = jg_org_units_lookup (f->store, "331082", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (county, "name"), ==, "临海市");
  g_assert_cmpstr (json_object_get_string_member (county, "level"), ==, "county");
  g_assert_cmpstr (json_object_get_string_member (county, "parent"), ==, "3310");
  g_assert_cmpstr (json_object_get_string_member (county, "path"), ==, "/33/3310/331082/");
}

/* ---- lookups --------------------------------------------------------- */

static void
test_normalize (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "331082000000", "331082" },
    { "331082004000", "331082004" },
    { "331082004240", "331082004240" },
    { "331000000000", "3310" },
    { "330000000000", "33" },
    { "331082", "331082" },
    { "331000", "3310" },
    { "3310", "3310" },
    { "33", "33" },
    { "33108200424", NULL },
    { "33a082", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = jg_org_units_normalize_code (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_lookup_padded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) county = NULL;
  g_autoptr(JsonObject) township = NULL;

  import_builtin (f);

  /* The 12-digit statistical form names the same unit. */
  county = jg_org_units_lookup (f->store, "331082000000", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (county, "code"), ==, "331082");
  township = jg_org_units_lookup (f->store, "331082004000", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (township, "name"), ==, "大田街道");
}

static void
test_lookup_unknown (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *unit;

  import_builtin (f);

  unit = jg_org_units_lookup (f->store, "331082999999", &error);
  g_assert_null (unit);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  unit = jg_org_units_lookup (f->store, "临海", &error);
  g_assert_null (unit);
  g_assert_error (error, JG_ERROR, JG_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_assert_null (jg_org_units_children (f->store, "331083", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_assert_null (jg_org_units_path_for_code (f->store, "331083"));
}

/* ---- subtrees -------------------------------------------------------- */

static void
test_children (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) townships = NULL;
  g_autoptr(JsonArray) villages = NULL;
  g_autoptr(JsonArray) subtree = NULL;
  g_autofree char *path = NULL;

  import_builtin (f);

  townships = jg_org_units_children (f->store, "331082", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (townships), ==, N_TOWNSHIPS);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (townships, 0), "name"),
                   ==, "古城街道");
  for (guint i = 0; i < N_TOWNSHIPS; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (townships, i), "level"),
                     ==, "township");

  /* The children of 大田街道 are exactly its subtree's villages. */
  villages = jg_org_units_children (f->store, "331082004", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (villages), >, 10);
  path = jg_org_units_path_for_code (f->store, "331082004");
  subtree = jg_org_units_list_level (f->store, path, "village", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (subtree), ==, json_array_get_length (villages));

  /* A village has none. */
  g_clear_pointer (&villages, json_array_unref);
  villages = jg_org_units_children (f->store, "331082004240", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (villages), ==, 0);
}

static void
test_subtree_prefix (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) county_villages = NULL;
  g_autoptr(JsonArray) whole = NULL;
  g_autofree char *path = NULL;
  g_autofree char *village_path = NULL;
  guint sum = 0;

  import_builtin (f);
  path = jg_org_units_path_for_code (f->store, "331082");
  g_assert_cmpstr (path, ==, "/33/3310/331082/");

  county_villages = jg_org_units_list_level (f->store, path, "village", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (county_villages), ==, N_VILLAGES);

  /* The townships' subtrees partition the county's villages. */
  for (guint i = 1; i <= 114; i++)
    {
      g_autofree char *code = g_strdup_printf ("331082%03u", i);
      g_autofree char *tpath = jg_org_units_path_for_code (f->store, code);
      g_autoptr(JsonArray) list = NULL;

      if (tpath == NULL)
        continue;
      list = jg_org_units_list_level (f->store, tpath, "village", &error);
      g_assert_no_error (error);
      sum += json_array_get_length (list);
    }
  g_assert_cmpuint (sum, ==, N_VILLAGES);

  /* The whole subtree holds the county itself and everything below. */
  whole = jg_org_units_list_level (f->store, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (whole), ==, 1 + N_TOWNSHIPS + N_VILLAGES);

  village_path = jg_org_units_path_for_code (f->store, "331082004240");
  g_assert_true (g_str_has_prefix (village_path, path));
}

static void
test_is_within (Fixture       *f,
                gconstpointer  data)
{
  import_builtin (f);

  g_assert_true (jg_org_units_is_within (f->store, "331082004240", "331082004"));
  g_assert_true (jg_org_units_is_within (f->store, "331082004240", "331082"));
  g_assert_true (jg_org_units_is_within (f->store, "331082004240", "33"));
  g_assert_true (jg_org_units_is_within (f->store, "331082004240", "331082000000"));
  g_assert_true (jg_org_units_is_within (f->store, "331082004240", "331082004240"));
  g_assert_false (jg_org_units_is_within (f->store, "331082004240", "331082001"));
  g_assert_false (jg_org_units_is_within (f->store, "331082", "331082004240"));
  g_assert_false (jg_org_units_is_within (f->store, "331082999999", "331082"));
  g_assert_false (jg_org_units_is_within (f->store, "331082004240", "331083"));
}

/* jg_store_list's org_unit_prefix takes the path: records of a subtree. */
static void
test_records_by_subtree (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const units[] = { "331082004240", "331082004001", "331082001001" };
  g_autoptr(GError) error = NULL;
  g_autofree char *township = NULL;
  g_autofree char *county = NULL;
  g_autoptr(JsonArray) in_township = NULL;
  g_autoptr(JsonArray) in_county = NULL;
  JgListQuery query = { 0 };

  import_builtin (f);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *id = NULL;

      json_object_set_string_member (fields, "org_unit", units[i]);
      json_object_set_string_member (fields, "head_name", "王建国");
      id = jg_store_put (f->store, "household", fields, &error);
      g_assert_no_error (error);
    }

  township = jg_org_units_path_for_code (f->store, "331082004");
  query.org_unit_prefix = township;
  in_township = jg_store_list (f->store, "household", &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (in_township), ==, 2);

  county = jg_org_units_path_for_code (f->store, "331082");
  query.org_unit_prefix = county;
  in_county = jg_store_list (f->store, "household", &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (in_county), ==, 3);
}

/* ---- importing ------------------------------------------------------- */

static void
test_reimport_idempotent (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  import_builtin (f);
  before = dump_units (f->store);
  import_builtin (f);
  after = dump_units (f->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 3 + N_TOWNSHIPS + N_VILLAGES);
}

static void
test_import_project_dir (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = project_slice_dir ();
  g_autofree char *from_dir = NULL;
  g_autofree char *from_resource = NULL;

  /* The directory and the built-in copy are the same data. */
  g_assert_true (jg_org_units_import_csv_dir (f->store, dir, "2023", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  from_dir = dump_units (f->store);
  import_builtin (f);
  from_resource = dump_units (f->store);
  g_assert_cmpstr (from_dir, ==, from_resource);
  g_assert_cmpint (jg_org_units_count (f->store, "village"), ==, N_VILLAGES);
}

static void
test_import_updates_names (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) village = NULL;
  g_autofree char *dir = NULL;

  import_builtin (f);
  dir = write_csv_dir (f, "renamed",
                       "villages.csv",
                       "code,name,streetCode,provinceCode,cityCode,areaCode\r\n"
                       "331082004240,\"大田刘村\",331082004,33,3310,331082\r\n",
                       NULL);
  g_assert_true (jg_org_units_import_csv_dir (f->store, dir, "2023", NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  village = jg_org_units_lookup (f->store, "331082004240", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (village, "name"), ==, "大田刘村");
  g_assert_cmpstr (json_object_get_string_member (village, "parent"), ==, "331082004");
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 3 + N_TOWNSHIPS + N_VILLAGES);
}

/* Without the files of the upper levels the lower ones still get their full
 * paths, and are the top of what the store holds. */
static void
test_import_partial (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) top = NULL;
  g_autoptr(JsonObject) village = NULL;
  g_autofree char *dir = NULL;

  dir = write_csv_dir (f, "partial",
                       "streets.csv",
                       "code,name,areaCode,provinceCode,cityCode\n"
                       "331082004,\"大田街道\",331082,33,3310\n",
                       "villages.csv",
                       "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                       "331082004240,\"大田刘村委会\",331082004,33,3310,331082\n"
                       "331082004241,\"\"\"引号\"\"村委会\",331082004,33,3310,331082\n",
                       NULL);
  g_assert_true (jg_org_units_import_csv_dir (f->store, dir, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 3);

  top = jg_org_units_children (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (top), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (top, 0), "path"),
                   ==, "/33/3310/331082/331082004/");

  village = jg_org_units_lookup (f->store, "331082004241", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (village, "name"), ==, "\"引号\"村委会");
  g_assert_true (jg_org_units_is_within (f->store, "331082004241", "331082004"));
}

static void
test_import_empty_dir (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = write_csv_dir (f, "empty", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);

  g_assert_false (jg_org_units_import_csv_dir (f->store, dir, "2023", NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (jg_org_units_import_csv_dir (f->store, missing, "2023", NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

typedef struct
{
  double last;
  guint  calls;
} Progress;

static void
record_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  Progress *p = user_data;

  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  g_assert_nonnull (message);
  p->last = fraction;
  p->calls++;
}

static void
test_import_progress (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Progress p = { 0 };

  g_assert_true (jg_org_units_import_builtin (f->store, NULL, record_progress, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.calls, >=, 3);
  g_assert_cmpfloat (p.last, ==, 1.0);
}

static void
test_import_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  g_assert_false (jg_org_units_import_builtin (f->store, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

/* Cancelled half way through the writes: nothing stays. */
static void
cancel_at_half (double      fraction,
                const char *message,
                gpointer    user_data)
{
  if (fraction >= 0.5)
    g_cancellable_cancel (user_data);
}

static void
test_import_cancelled_midway (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_assert_false (jg_org_units_import_builtin (f->store, cancellable, cancel_at_half, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

/* ---- bad CSVs: refused with file and line, the store unchanged -------- */

static void
assert_refused (Fixture    *f,
                const char *dir,
                const char *file,
                const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump_units (f->store);
  g_autofree char *after = NULL;

  g_assert_false (jg_org_units_import_csv_dir (f->store, dir, "2023", NULL, NULL, NULL, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, file));
  g_assert_nonnull (strstr (error->message, line));
  after = dump_units (f->store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_bad_header (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = NULL;

  import_builtin (f);
  dir = write_csv_dir (f, "bad-header",
                       "villages.csv",
                       "id,name,streetCode\n331082004240,\"X村\",331082004\n",
                       NULL);
  assert_refused (f, dir, "villages.csv", "line 1");
}

static void
test_bad_header_no_parent (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = NULL;

  dir = write_csv_dir (f, "no-parent-column",
                       "streets.csv",
                       "code,name,provinceCode\n331082004,\"大田街道\",33\n",
                       NULL);
  assert_refused (f, dir, "streets.csv", "line 1");
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

static void
test_bad_code (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = NULL;

  import_builtin (f);
  dir = write_csv_dir (f, "bad-code",
                       "villages.csv",
                       "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                       "331082004240,\"大田刘村委会\",331082004,33,3310,331082\n"
                       "33108200424,\"短码村\",331082004,33,3310,331082\n",
                       NULL);
  assert_refused (f, dir, "villages.csv", "line 3");
}

static void
test_bad_mismatch (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = NULL;

  import_builtin (f);
  /* The area column disagrees with the code. */
  dir = write_csv_dir (f, "mismatch",
                       "villages.csv",
                       "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                       "331082004240,\"大田刘村委会\",331082004,33,3310,331083\n",
                       NULL);
  assert_refused (f, dir, "villages.csv", "line 2");
}

static void
test_bad_orphan (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = NULL;

  /* streets.csv is there but lacks 331082005, the parent of line 3. */
  dir = write_csv_dir (f, "orphan",
                       "streets.csv",
                       "code,name,areaCode,provinceCode,cityCode\n"
                       "331082004,\"大田街道\",331082,33,3310\n",
                       "villages.csv",
                       "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                       "331082004240,\"大田刘村委会\",331082004,33,3310,331082\n"
                       "331082005201,\"孤村\",331082005,33,3310,331082\n",
                       NULL);
  assert_refused (f, dir, "villages.csv", "line 3");
  /* Nothing of the good rows before it stayed either. */
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

static void
test_bad_quote (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = NULL;

  import_builtin (f);
  dir = write_csv_dir (f, "quote",
                       "streets.csv",
                       "code,name,areaCode,provinceCode,cityCode\n"
                       "331082004,\"大田街道,331082,33,3310\n",
                       NULL);
  assert_refused (f, dir, "streets.csv", "line 2");
}

static void
test_bad_duplicate (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = NULL;

  dir = write_csv_dir (f, "duplicate",
                       "provinces.csv", "code,name\n33,\"浙江省\"\n33,\"浙江\"\n",
                       NULL);
  assert_refused (f, dir, "provinces.csv", "line 3");
}

static void
test_bad_field_count (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = NULL;

  import_builtin (f);
  dir = write_csv_dir (f, "fields",
                       "areas.csv", "code,name,cityCode,provinceCode\n331082,\"临海市\",3310\n",
                       NULL);
  assert_refused (f, dir, "areas.csv", "line 2");
}

/* A bad last file undoes the good files before it. */
static void
test_bad_late_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = NULL;

  dir = write_csv_dir (f, "late",
                       "provinces.csv", "code,name\n33,\"浙江省\"\n",
                       "cities.csv", "code,name,provinceCode\n3310,\"台州市\",33\n",
                       "villages.csv", "code,name,streetCode\n331082004240,\"\",331082004\n",
                       NULL);
  assert_refused (f, dir, "villages.csv", "line 2");
  g_assert_cmpint (jg_org_units_count (f->store, NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

#define ADD(path, func) \
  g_test_add ("/jg/org-units/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("builtin/counts", test_builtin_counts);
  ADD ("builtin/lookup-village", test_builtin_lookup_village);
  ADD ("builtin/top", test_builtin_top);
  g_test_add_func ("/jg/org-units/normalize", test_normalize);
  ADD ("lookup/padded", test_lookup_padded);
  ADD ("lookup/unknown", test_lookup_unknown);
  ADD ("subtree/children", test_children);
  ADD ("subtree/prefix", test_subtree_prefix);
  ADD ("subtree/is-within", test_is_within);
  ADD ("subtree/records", test_records_by_subtree);
  ADD ("import/idempotent", test_reimport_idempotent);
  ADD ("import/project-dir", test_import_project_dir);
  ADD ("import/updates-names", test_import_updates_names);
  ADD ("import/partial", test_import_partial);
  ADD ("import/empty-dir", test_import_empty_dir);
  ADD ("import/progress", test_import_progress);
  ADD ("import/cancelled", test_import_cancelled);
  ADD ("import/cancelled-midway", test_import_cancelled_midway);
  ADD ("bad/header", test_bad_header);
  ADD ("bad/header-no-parent", test_bad_header_no_parent);
  ADD ("bad/code", test_bad_code);
  ADD ("bad/mismatch", test_bad_mismatch);
  ADD ("bad/orphan", test_bad_orphan);
  ADD ("bad/quote", test_bad_quote);
  ADD ("bad/duplicate", test_bad_duplicate);
  ADD ("bad/field-count", test_bad_field_count);
  ADD ("bad/late-file", test_bad_late_file);

  return g_test_run ();
}
