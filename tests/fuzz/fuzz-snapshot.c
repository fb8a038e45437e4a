/* fuzz-snapshot.c: libFuzzer target for the snapshot page reader
 *
 * Input: the text of a snapshot page's "records" array, as a server sends
 * it to a new device.  jg_json_check, then jg_store_apply_snapshot, which
 * walks the text with a JgJsonReader record by record.  Beyond "no crash":
 * a page the store refuses leaves nothing written, and the generic reader
 * steps over any checked document exactly to its end.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "jg-common.h"
#include "jg-store-private.h"

#define REPLICA "0123456789abcdef0123456789abcdef"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static JgStore *store;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jinguo-fuzz-snapshot-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  jg_common_init ();
  if (dir == NULL)
    abort ();
  path = g_build_filename (dir, "fuzz.db", NULL);
  store = jg_store_open (path, JG_STORE_CREATE, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      abort ();
    }
  return 0;
}

static gint64
count_rows (void)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  gint64 total = 0;

  for (guint i = 0; i < n_entities; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM \"%s\"", entities[i]->name);
      g_autoptr(JgStmt) stmt = jg_store_prepare (store, sql, NULL);

      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        total += sqlite3_column_int64 (stmt, 0);
    }
  return total;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonArray) replicas = json_array_new ();
  g_autoptr(GError) error = NULL;
  JgJsonReader r;
  const char *start;
  gsize len;
  guint n_records = 0;
  gint64 before;

  if (!jg_json_check (text, size, NULL))
    return 0;

  /* Any checked document is one value: the reader steps over all of it. */
  jg_json_reader_init (&r, text, size);
  if (!jg_json_reader_skip (&r, &start, &len) || jg_json_reader_peek (&r) != '\0')
    {
      g_printerr ("the reader does not step over a whole checked document\n");
      abort ();
    }

  json_array_add_string_element (replicas, REPLICA);
  before = count_rows ();
  if (!jg_store_apply_snapshot (store, text, size, replicas, &n_records, NULL, &error))
    {
      if (count_rows () != before)
        {
          g_printerr ("a refused page wrote rows: %s\n", error->message);
          abort ();
        }
    }
  else if (count_rows () > before + n_records)
    {
      g_printerr ("a page wrote more rows than it had records\n");
      abort ();
    }
  return 0;
}
