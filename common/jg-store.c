/* jg-store.c: the SQLite store
 *
 * One connection per JgStore; a JgStore belongs to one thread.  Every write
 * is one transaction holding the record's row and its changes.  Rows keep
 * the current value of each field in a column and the field's version in
 * "_v", packed as JG_VERSION_SIZE bytes per field in the order of
 * jg-entity.c: hlc, base, rbase (int64) and the replica's index (int32),
 * little-endian.  A field added by a later migration reads as version 0.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-entity.h"
#include "jg-error.h"
#include "jg-id.h"
#include "jg-json.h"
#include "jg-ledger.h"
#include "jg-merge.h"
#include "jg-review.h"
#include "jg-rubric.h"
#include "jg-rules.h"
#include "jg-store-private.h"

/* How long a statement waits for another connection's write transaction;
 * opening a store waits longer while another connection migrates it (a
 * county's log of a million changes takes half a minute to move). */
#define BUSY_TIMEOUT_MS            5000
#define MIGRATION_BUSY_TIMEOUT_MS  600000

/* change_field codes above this are not the store's own (a hand edit). */
#define FIELD_CODE_MAX             65535

#define JG_VERSION_SIZE 28
#define MIGRATIONS_PATH "/org/jinguo/common/migrations"

typedef struct
{
  gint64  hlc;
  gint64  base;
  gint64  rbase;
  guint32 replica;
} FieldVersion;

/* One record loaded for a write or a merge. */
typedef struct
{
  const JgEntityDef *entity;
  char              *id;
  gboolean           exists;
  gint64             rowid;
  char             **values;    /* canonical JSON text per field, never NULL */
  FieldVersion      *versions;
  gboolean           merged;    /* a change from elsewhere set a value */
} Row;

struct _JgStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;     /* SQL -> sqlite3_stmt */
  GHashTable  *select_cache;   /* entity|purpose -> SQL text built from the field list */
  guint        tx_depth;
  gboolean     tx_failed;

  char        *replica_id;
  guint32      replica_idx;
  GHashTable  *replica_index;  /* replica id -> GUINT_TO_POINTER (idx) */
  GHashTable  *replica_names;  /* GUINT_TO_POINTER (idx) -> replica id */
  gint64       counter;        /* the last change counter used */
  char        *username;
  JgHlc       *hlc;
  int          schema_version;

  gint64       last_log_seq;   /* seq of the last change log_insert() wrote */
  GPtrArray   *field_names;    /* change_field code -> FieldName (NULL: none) */
  gint64      *field_codes;    /* entity_slot () + field index -> code */
  Row         *batch_row;      /* jg_store_batch_apply(): the record not yet saved */
  gboolean     batch_dirty;    /* … and the clock, saved at the commit */
};

G_DEFINE_FINAL_TYPE (JgStore, jg_store, G_TYPE_OBJECT)

static void
row_free (Row *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  if (row->values)
    for (guint i = 0; i < row->entity->n_fields; i++)
      g_free (row->values[i]);
  g_free (row->values);
  g_free (row->versions);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_free)

static void
jg_store_finalize (GObject *object)
{
  JgStore *self = (JgStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->select_cache, g_hash_table_unref);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->replica_id, g_free);
  g_clear_pointer (&self->replica_index, g_hash_table_unref);
  g_clear_pointer (&self->replica_names, g_hash_table_unref);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->hlc, jg_hlc_free);
  g_clear_pointer (&self->batch_row, row_free);
  g_clear_pointer (&self->field_names, g_ptr_array_unref);
  g_clear_pointer (&self->field_codes, g_free);

  G_OBJECT_CLASS (jg_store_parent_class)->finalize (object);
}

static void
jg_store_class_init (JgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jg_store_finalize;
}

static void
jg_store_init (JgStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->select_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->replica_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->replica_names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

/* ---- SQL plumbing ---------------------------------------------------- */

sqlite3 *
jg_store_get_db (JgStore *self)
{
  return self->db;
}

gboolean
jg_store_sqlite_error (JgStore  *self,
                       GError  **error)
{
  int code = sqlite3_extended_errcode (self->db);

  g_set_error (error, JG_ERROR,
               (code & 0xff) == SQLITE_NOTADB ? JG_ERROR_NOT_A_STORE : JG_ERROR_STORE,
               _("Store error: %s"), sqlite3_errmsg (self->db));
  return FALSE;
}

JgStmt *
jg_store_prepare (JgStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
jg_store_exec (JgStore     *self,
               const char  *sql,
               GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, JG_ERROR,
                   (sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_NOTADB
                     ? JG_ERROR_NOT_A_STORE : JG_ERROR_STORE,
                   _("Store error: %s"), msg ? msg : sqlite3_errmsg (self->db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void     forget_uncommitted_replicas (JgStore *self);
static void     batch_discard               (JgStore *self);

static gboolean replica_lookup (JgStore    *self,
                                const char *replica_id,
                                gboolean    create,
                                guint32    *idx_out,
                                GError    **error);

/* Another connection may have forked the store (jg_store_fork()): its
 * writes go on as the replica the store now is. */
static gboolean
follow_replica (JgStore  *self,
                GError  **error)
{
  g_autofree char *replica = jg_store_dup_meta (self, "replica_id");
  guint32 idx = 0;

  if (replica == NULL || g_strcmp0 (replica, self->replica_id) == 0)
    return TRUE;
  if (!replica_lookup (self, replica, TRUE, &idx, error))
    return FALSE;
  g_free (self->replica_id);
  self->replica_id = g_steal_pointer (&replica);
  self->replica_idx = idx;
  return TRUE;
}

/* Nested transactions: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints, so a helper can wrap its work without knowing its caller. */
static gint64 get_meta_int (JgStore    *self,
                            const char *key,
                            gint64      fallback);

gboolean
jg_store_begin (JgStore  *self,
                GError  **error)
{
  if (self->tx_depth == 0)
    {
      if (!jg_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->tx_failed = FALSE;
      /* Another connection to this store (the app and the CLI, or two
       * CLIs) may have written since: go on from its counter and clock. */
      if (self->hlc != NULL)
        {
          g_autofree char *offset = jg_store_dup_meta (self, "hlc_offset_ms");

          if (!follow_replica (self, error))
            {
              jg_store_exec (self, "ROLLBACK", NULL);
              return FALSE;
            }
          self->counter = get_meta_int (self, "counter", self->counter);
          jg_hlc_advance (self->hlc, get_meta_int (self, "hlc", 0));
          /* … and its correction of this computer's clock. */
          if (offset != NULL)
            jg_hlc_set_offset_ms (self->hlc, g_ascii_strtoll (offset, NULL, 10));
        }
    }
  else if (!jg_store_exec (self, "SAVEPOINT jg", error))
    return FALSE;
  self->tx_depth++;
  return TRUE;
}

static gboolean batch_finish (JgStore  *self,
                              GError  **error);

gboolean
jg_store_commit (JgStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1 && self->tx_failed)
    {
      jg_store_rollback (self);
      g_set_error (error, JG_ERROR, JG_ERROR_STORE,
                   _("The transaction was rolled back by an inner failure"));
      return FALSE;
    }
  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return jg_store_exec (self, "RELEASE jg", error);
    }
  if (!batch_finish (self, error) || !jg_store_exec (self, "COMMIT", error))
    {
      jg_store_rollback (self);
      return FALSE;
    }
  self->tx_depth = 0;
  return TRUE;
}

/* Replica indexes handed out in what is rolled back are taken back too:
 * the cache of them is dropped (it fills again as it is used). */
void
jg_store_rollback (JgStore *self)
{
  g_return_if_fail (self->tx_depth > 0);

  forget_uncommitted_replicas (self);
  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      jg_store_exec (self, "ROLLBACK TO jg; RELEASE jg", NULL);
      self->tx_failed = TRUE;
      return;
    }
  jg_store_exec (self, "ROLLBACK", NULL);
  self->tx_depth = 0;
  self->tx_failed = FALSE;
  batch_discard (self);
}

/* ---- meta ------------------------------------------------------------ */

char *
jg_store_dup_meta (JgStore    *self,
                   const char *key)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup (jg_stmt_text (stmt, 0));
  return NULL;
}

gboolean
jg_store_set_meta (JgStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  stmt = jg_store_prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

static gboolean
set_meta_int (JgStore     *self,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" PRId64, value);
  return jg_store_set_meta (self, key, buf, error);
}

static gint64
get_meta_int (JgStore    *self,
              const char *key,
              gint64      fallback)
{
  g_autofree char *v = jg_store_dup_meta (self, key);

  return v ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

const char *
jg_store_get_username (JgStore *self)
{
  return self->username;
}

gboolean
jg_store_set_username (JgStore     *self,
                       const char  *username,
                       GError     **error)
{
  if (!jg_store_set_meta (self, "username", username, error))
    return FALSE;
  g_free (self->username);
  self->username = g_strdup (username);
  return TRUE;
}

const char *
jg_store_get_path (JgStore *self)
{
  return self->path;
}

const char *
jg_store_get_replica_id (JgStore *self)
{
  return self->replica_id;
}

int
jg_store_get_schema_version (JgStore *self)
{
  return self->schema_version;
}

JgHlc *
jg_store_get_hlc (JgStore *self)
{
  return self->hlc;
}

/* ---- replicas -------------------------------------------------------- */

static gboolean
replica_lookup (JgStore    *self,
                const char *replica_id,
                gboolean    create,
                guint32    *idx_out,
                GError    **error)
{
  gpointer value;
  g_autoptr(JgStmt) stmt = NULL;

  if (g_hash_table_lookup_extended (self->replica_index, replica_id, NULL, &value))
    {
      *idx_out = GPOINTER_TO_UINT (value);
      return TRUE;
    }

  stmt = jg_store_prepare (self, "SELECT idx FROM replica WHERE replica_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replica_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *idx_out = (guint32) sqlite3_column_int64 (stmt, 0);
  else if (!create)
    {
      *idx_out = 0;
      return TRUE;
    }
  else
    {
      g_autoptr(JgStmt) ins = jg_store_prepare (self, "INSERT INTO replica (replica_id) VALUES (?)", error);

      if (ins == NULL)
        return FALSE;
      sqlite3_bind_text (ins, 1, replica_id, -1, SQLITE_STATIC);
      if (sqlite3_step (ins) != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
      *idx_out = (guint32) sqlite3_last_insert_rowid (self->db);
      /* Not cached: the transaction that made it may still roll back. */
      return TRUE;
    }

  g_hash_table_insert (self->replica_index, g_strdup (replica_id), GUINT_TO_POINTER (*idx_out));
  g_hash_table_insert (self->replica_names, GUINT_TO_POINTER (*idx_out), g_strdup (replica_id));
  return TRUE;
}

static const char *
replica_name (JgStore *self,
              guint32  idx)
{
  const char *name;
  g_autoptr(JgStmt) stmt = NULL;

  if (idx == 0)
    return "";
  name = g_hash_table_lookup (self->replica_names, GUINT_TO_POINTER (idx));
  if (name != NULL)
    return name;

  stmt = jg_store_prepare (self, "SELECT replica_id FROM replica WHERE idx = ?", NULL);
  if (stmt == NULL)
    return "";
  sqlite3_bind_int64 (stmt, 1, idx);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return "";
  /* Cached only while outside a transaction that could roll it back. */
  if (self->tx_depth == 0)
    {
      g_hash_table_insert (self->replica_index, g_strdup (jg_stmt_text (stmt, 0)), GUINT_TO_POINTER (idx));
      g_hash_table_insert (self->replica_names, GUINT_TO_POINTER (idx), g_strdup (jg_stmt_text (stmt, 0)));
      return g_hash_table_lookup (self->replica_names, GUINT_TO_POINTER (idx));
    }
  /* Inside a transaction, keep the name alive in the cache of names only. */
  g_hash_table_insert (self->replica_names, GUINT_TO_POINTER (idx), g_strdup (jg_stmt_text (stmt, 0)));
  return g_hash_table_lookup (self->replica_names, GUINT_TO_POINTER (idx));
}

/* After a rollback an index may have been handed out and taken back. */
static void
forget_uncommitted_replicas (JgStore *self)
{
  g_hash_table_remove_all (self->replica_index);
  g_hash_table_remove_all (self->replica_names);
}

/* ---- opening and migrations ------------------------------------------ */

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const JgMigration *ma = *(const JgMigration **) a;
  const JgMigration *mb = *(const JgMigration **) b;

  return ma->version - mb->version;
}

/* The built-in migrations, from schemas/migrations/NNNN-name.sql. */
static GPtrArray *
builtin_migrations (void)
{
  static GPtrArray *migrations;

  jg_common_init ();

  if (g_once_init_enter (&migrations))
    {
      GPtrArray *list = g_ptr_array_new ();
      g_auto(GStrv) names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, NULL);

      for (guint i = 0; names && names[i]; i++)
        {
          g_autofree char *path = g_strconcat (MIGRATIONS_PATH "/", names[i], NULL);
          GBytes *bytes = g_resources_lookup_data (path, 0, NULL);
          JgMigration *m;

          if (bytes == NULL || !g_ascii_isdigit (names[i][0]))
            {
              g_clear_pointer (&bytes, g_bytes_unref);
              continue;
            }
          m = g_new0 (JgMigration, 1);
          m->version = (int) g_ascii_strtoll (names[i], NULL, 10);
          m->name = g_strdup (names[i]);
          /* Resource data is NUL-terminated and lives for the process. */
          m->sql = g_bytes_get_data (bytes, NULL);
          g_ptr_array_add (list, m);
        }
      g_ptr_array_sort (list, compare_migrations);
      g_once_init_leave (&migrations, list);
    }
  return migrations;
}

int
jg_store_get_latest_schema_version (void)
{
  GPtrArray *list = builtin_migrations ();

  return list->len ? ((JgMigration *) list->pdata[list->len - 1])->version : 0;
}

static gboolean
query_int (JgStore    *self,
           const char *sql,
           gint64     *out,
           GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return jg_store_sqlite_error (self, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* ---- the change log's compact columns (migration 0006) ------------------ */

/* jg_uuid_blob (TEXT): a record id's 16 bytes; anything that is not a UUID
 * comes back as it was.  jg_uuid_text (BLOB) is the way back. */
static void
uuid_blob_fn (sqlite3_context *ctx,
              int              argc,
              sqlite3_value  **argv)
{
  guint8 bytes[16];

  /* The type first: reading a blob as text would convert it. */
  if (sqlite3_value_type (argv[0]) == SQLITE_TEXT &&
      jg_uuid_to_bytes ((const char *) sqlite3_value_text (argv[0]), bytes))
    sqlite3_result_blob (ctx, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_result_value (ctx, argv[0]);
}

static void
uuid_text_fn (sqlite3_context *ctx,
              int              argc,
              sqlite3_value  **argv)
{
  char text[37];

  if (sqlite3_value_type (argv[0]) == SQLITE_BLOB && sqlite3_value_bytes (argv[0]) == 16)
    {
      jg_uuid_format (sqlite3_value_blob (argv[0]), text);
      sqlite3_result_text (ctx, text, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_result_value (ctx, argv[0]);
}

static void
register_functions (JgStore *self)
{
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

  sqlite3_create_function (self->db, "jg_uuid_blob", 1, flags, NULL, uuid_blob_fn, NULL, NULL);
  sqlite3_create_function (self->db, "jg_uuid_text", 1, flags, NULL, uuid_text_fn, NULL, NULL);
}

void
jg_store_bind_record (JgStmt     *stmt,
                      int         index,
                      const char *record)
{
  guint8 bytes[16];

  if (jg_uuid_to_bytes (record, bytes))
    sqlite3_bind_blob (stmt, index, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, index, record, -1, SQLITE_TRANSIENT);
}

char *
jg_store_column_record (JgStmt *stmt,
                        int     col)
{
  char text[37];

  if (sqlite3_column_type (stmt, col) == SQLITE_BLOB && sqlite3_column_bytes (stmt, col) == 16)
    {
      jg_uuid_format (sqlite3_column_blob (stmt, col), text);
      return g_strdup (text);
    }
  return g_strdup (jg_stmt_text (stmt, col));
}

typedef struct
{
  char *entity;
  char *field;
} FieldName;

static void
field_name_free (FieldName *name)
{
  if (name == NULL)
    return;
  g_free (name->entity);
  g_free (name->field);
  g_free (name);
}

/* Where an entity's fields start in field_codes. */
static gssize
entity_slot (const JgEntityDef *entity)
{
  guint n_entities;
  const JgEntityDef * const *all = jg_entity_all (&n_entities);
  gsize slot = 0;

  for (guint i = 0; i < n_entities; i++)
    {
      if (all[i] == entity)
        return (gssize) slot;
      slot += all[i]->n_fields;
    }
  return -1;
}

static gsize
n_field_slots (void)
{
  guint n_entities;
  const JgEntityDef * const *all = jg_entity_all (&n_entities);
  gsize n = 0;

  for (guint i = 0; i < n_entities; i++)
    n += all[i]->n_fields;
  return n;
}

/* The code of a (record type, field) pair in this store's change_field; 0
 * for a pair jg-entity.c does not define (never in the log). */
gint64
jg_store_field_code (JgStore    *self,
                     const char *entity_name,
                     const char *field)
{
  const JgEntityDef *entity = entity_name ? jg_entity_lookup (entity_name) : NULL;
  gssize slot;
  int index;

  if (entity == NULL || field == NULL || (slot = entity_slot (entity)) < 0 ||
      (index = jg_entity_field_index (entity, field)) < 0)
    return 0;
  return self->field_codes[slot + index];
}

/* The pair a code stands for; FALSE for a code change_field does not hold. */
static gboolean
field_name (JgStore     *self,
            gint64       code,
            const char **entity,
            const char **field)
{
  const FieldName *name = code > 0 && code < self->field_names->len ? self->field_names->pdata[code] : NULL;

  if (name == NULL)
    return FALSE;
  *entity = name->entity;
  *field = name->field;
  return TRUE;
}

static gboolean
read_field_names (JgStore  *self,
                  GError  **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self, "SELECT code, entity, field FROM change_field", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  g_ptr_array_set_size (self->field_names, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 code = sqlite3_column_int64 (stmt, 0);
      FieldName *name;

      if (code <= 0 || code > FIELD_CODE_MAX)
        continue;
      if (code >= self->field_names->len)
        g_ptr_array_set_size (self->field_names, (guint) code + 1);
      name = g_new0 (FieldName, 1);
      name->entity = g_strdup (jg_stmt_text (stmt, 1));
      name->field = g_strdup (jg_stmt_text (stmt, 2));
      g_clear_pointer (&self->field_names->pdata[code], field_name_free);
      self->field_names->pdata[code] = name;
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

/* Every (record type, field) pair of jg-entity.c has a code: the ones this
 * version adds get theirs when it first opens the store. */
static gboolean
load_field_codes (JgStore  *self,
                  GError  **error)
{
  guint n_entities;
  const JgEntityDef * const *all = jg_entity_all (&n_entities);

  self->field_names = g_ptr_array_new_with_free_func ((GDestroyNotify) field_name_free);
  self->field_codes = g_new0 (gint64, n_field_slots ());

  for (int attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gboolean missing = FALSE;
      gsize slot = 0;

      if (!read_field_names (self, error))
        return FALSE;
      for (guint code = 1; code < self->field_names->len; code++)
        {
          const FieldName *name = self->field_names->pdata[code];

          if (name != NULL)
            g_hash_table_insert (known, g_strconcat (name->entity, "\n", name->field, NULL),
                                 GUINT_TO_POINTER (code));
        }
      for (guint i = 0; i < n_entities; i++)
        for (guint j = 0; j < all[i]->n_fields; j++, slot++)
          {
            g_autofree char *key = g_strconcat (all[i]->name, "\n", all[i]->fields[j].name, NULL);

            self->field_codes[slot] = GPOINTER_TO_UINT (g_hash_table_lookup (known, key));
            missing = missing || self->field_codes[slot] == 0;
          }
      if (!missing)
        return TRUE;
      if (attempt > 0)
        break;

      /* Another connection may add them at the same moment: OR IGNORE, then
       * read the codes again. */
      if (!jg_store_begin (self, error))
        return FALSE;
      for (guint i = 0; i < n_entities; i++)
        for (guint j = 0; j < all[i]->n_fields; j++)
          {
            g_autoptr(JgStmt) stmt = jg_store_prepare (self,
                                                       "INSERT OR IGNORE INTO change_field (entity, field) "
                                                       "VALUES (?, ?)", error);

            if (stmt == NULL)
              goto fail;
            sqlite3_bind_text (stmt, 1, all[i]->name, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 2, all[i]->fields[j].name, -1, SQLITE_STATIC);
            if (sqlite3_step (stmt) != SQLITE_DONE)
              {
                jg_store_sqlite_error (self, error);
                goto fail;
              }
          }
      if (!jg_store_commit (self, error))
        return FALSE;
    }
  g_set_error (error, JG_ERROR, JG_ERROR_STORE, _("Store error: %s"), "change_field is incomplete");
  return FALSE;

fail:
  jg_store_rollback (self);
  return FALSE;
}

/* One change as JG_STORE_CHANGE_COLUMNS selects it. */
gboolean
jg_store_read_change (JgStore  *self,
                      JgStmt   *stmt,
                      JgChange *c,
                      GError  **error)
{
  const char *entity, *field;

  if (!field_name (self, sqlite3_column_int64 (stmt, 4), &entity, &field))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_STORE, _("Store error: %s"), "unknown change_field code");
      return FALSE;
    }
  c->seq = sqlite3_column_int64 (stmt, 0);
  c->replica = g_strdup (jg_stmt_text (stmt, 1));
  c->counter = sqlite3_column_int64 (stmt, 2);
  c->record = jg_store_column_record (stmt, 3);
  c->entity = g_strdup (entity);
  c->field = g_strdup (field);
  c->value = g_strdup (jg_stmt_text (stmt, 5));
  c->hlc = sqlite3_column_int64 (stmt, 6);
  c->base = sqlite3_column_int64 (stmt, 7);
  c->rbase = sqlite3_column_int64 (stmt, 8);
  c->author = g_strdup (jg_stmt_text (stmt, 9));
  return TRUE;
}

/* A store at or past the newest schema this version knows: the newest is
 * opened as it is, a newer one is refused. */
static gboolean
version_is_latest (JgStore  *self,
                   gint64    version,
                   int       latest,
                   GError  **error)
{
  if (version > latest)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_STORE_NEWER,
                   _("“%s” was written by a newer version of Jinguo (schema %" PRId64
                     ", this version knows up to %d). Please update Jinguo."),
                   self->path, version, latest);
      return FALSE;
    }
  self->schema_version = latest;
  return TRUE;
}

static gboolean
migrate (JgStore            *self,
         const JgMigration  *extra,
         guint               n_extra,
         GError            **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GPtrArray *builtin = builtin_migrations ();
  gint64 app_id = 0, version = 0, n_objects = 0;
  int latest;
  g_autofree char *set_version = NULL;
  g_autofree char *set_app_id = NULL;

  for (guint i = 0; i < builtin->len; i++)
    g_ptr_array_add (all, builtin->pdata[i]);
  for (guint i = 0; i < n_extra; i++)
    g_ptr_array_add (all, (gpointer) &extra[i]);
  g_ptr_array_sort (all, compare_migrations);
  latest = all->len ? ((JgMigration *) all->pdata[all->len - 1])->version : 0;

  if (!query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "PRAGMA user_version", &version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_master", &n_objects, error))
    return FALSE;

  if (app_id != JG_STORE_APPLICATION_ID && (app_id != 0 || n_objects > 0))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_A_STORE,
                   _("“%s” is not a Jinguo store"), self->path);
      return FALSE;
    }
  if (version >= latest)
    return version_is_latest (self, version, latest, error);

  /* All pending migrations in one transaction: a store is never half-migrated.
   * Another connection (the app opens a store from several threads) may be
   * migrating it right now: wait for it, as long as a large log takes to
   * move, and read the version again once the store is ours. */
  sqlite3_busy_timeout (self->db, MIGRATION_BUSY_TIMEOUT_MS);
  if (!jg_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!query_int (self, "PRAGMA user_version", &version, error))
    {
      jg_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  if (version >= latest)
    {
      jg_store_exec (self, "ROLLBACK", NULL);
      return version_is_latest (self, version, latest, error);
    }
  for (guint i = 0; i < all->len; i++)
    {
      const JgMigration *m = all->pdata[i];
      g_autoptr(GError) local_error = NULL;

      if (m->version <= version)
        continue;
      if (!jg_store_exec (self, m->sql, &local_error))
        {
          jg_store_exec (self, "ROLLBACK", NULL);
          g_set_error (error, JG_ERROR, JG_ERROR_STORE,
                       _("Migration %s failed: %s"), m->name ? m->name : "?", local_error->message);
          return FALSE;
        }
    }
  set_version = g_strdup_printf ("PRAGMA user_version = %d", latest);
  set_app_id = g_strdup_printf ("PRAGMA application_id = %d", JG_STORE_APPLICATION_ID);
  if (!jg_store_exec (self, set_version, error) ||
      !jg_store_exec (self, set_app_id, error) ||
      !jg_store_exec (self, "COMMIT", error))
    {
      jg_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  self->schema_version = latest;
  return TRUE;
}

static gboolean
load_identity (JgStore  *self,
               GError  **error)
{
  g_autofree char *replica = jg_store_dup_meta (self, "replica_id");
  g_autofree char *offset = NULL;

  if (replica == NULL)
    {
      replica = jg_replica_id_new ();
      if (!jg_store_begin (self, error))
        return FALSE;
      if (!jg_store_set_meta (self, "replica_id", replica, error) ||
          !set_meta_int (self, "counter", 0, error) ||
          !set_meta_int (self, "hlc", 0, error) ||
          !jg_store_commit (self, error))
        {
          if (self->tx_depth)
            jg_store_rollback (self);
          return FALSE;
        }
    }
  self->replica_id = g_steal_pointer (&replica);
  if (!jg_store_begin (self, error))
    return FALSE;
  if (!replica_lookup (self, self->replica_id, TRUE, &self->replica_idx, error) ||
      !jg_store_commit (self, error))
    {
      if (self->tx_depth)
        jg_store_rollback (self);
      return FALSE;
    }

  self->counter = get_meta_int (self, "counter", 0);
  self->hlc = jg_hlc_new (get_meta_int (self, "hlc", 0));
  offset = jg_store_dup_meta (self, "hlc_offset_ms");
  if (offset)
    jg_hlc_set_offset_ms (self->hlc, g_ascii_strtoll (offset, NULL, 10));
  self->username = jg_store_dup_meta (self, "username");
  if (self->username == NULL)
    self->username = g_strdup (JG_STORE_LOCAL_USER);
  return TRUE;
}

JgStore *
jg_store_open_with_migrations (const char         *path,
                               JgStoreFlags        flags,
                               const JgMigration  *extra,
                               guint               n_extra,
                               GError            **error)
{
  g_autoptr(JgStore) self = g_object_new (JG_TYPE_STORE, NULL);
  int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

  g_return_val_if_fail (path != NULL, NULL);

  jg_common_init ();
  self->path = g_strdup (path);

  if (flags & JG_STORE_CREATE)
    open_flags |= SQLITE_OPEN_CREATE;
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no store at “%s”; create one first"), path);
      return NULL;
    }

  if (sqlite3_open_v2 (path, &self->db, open_flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_STORE,
                   _("Cannot open the store “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!jg_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;
  register_functions (self);
  if (!migrate (self, extra, n_extra, error))
    return NULL;
  if (!jg_store_exec (self, "PRAGMA journal_mode = WAL", error))
    return NULL;
  if (!jg_store_exec (self, (flags & JG_STORE_DURABLE) ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL", error))
    return NULL;
  if (!load_field_codes (self, error) || !load_identity (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

JgStore *
jg_store_open (const char    *path,
               JgStoreFlags   flags,
               GError       **error)
{
  return jg_store_open_with_migrations (path, flags, NULL, 0, error);
}

static void
unknown_entity (const char  *entity_name,
                GError     **error)
{
  jg_set_field_error (error, JG_ERROR_UNKNOWN_ENTITY, NULL,
                      _("Unknown record type “%s”"), entity_name ? entity_name : "");
}

/* ---- values: canonical text <-> columns ------------------------------ */

static gboolean
field_is_textual (JgFieldType type)
{
  switch (type)
    {
    case JG_FIELD_TEXT:
    case JG_FIELD_DATE:
    case JG_FIELD_DATETIME:
    case JG_FIELD_ENUM:
    case JG_FIELD_REF:
    case JG_FIELD_UNIT:
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
string_to_canonical (const char *s)
{
  GString *out = g_string_sized_new (strlen (s) + 8);

  jg_json_append_string (out, s);
  return g_string_free (out, FALSE);
}

/* Numbers in a REAL field are always written as doubles, so that 12 and
 * 12.0 are the same value everywhere. */
static JsonNode *
normalize_value (const JgFieldDef *field,
                 JsonNode         *value)
{
  if (value == NULL)
    return json_node_new (JSON_NODE_NULL);
  if (field->type == JG_FIELD_REAL && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_INT64)
    {
      JsonNode *d = json_node_new (JSON_NODE_VALUE);

      json_node_set_double (d, (double) json_node_get_int (value));
      return d;
    }
  return json_node_ref (value);
}

static char *
column_to_canonical (const JgFieldDef *field,
                     JgStmt           *stmt,
                     int               col)
{
  g_autoptr(JsonNode) node = NULL;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return g_strdup ("null");

  if (field_is_textual (field->type))
    {
      const char *text = jg_stmt_text (stmt, col);

      /* Nothing to escape (the usual case): the JSON text is the string in quotes. */
      for (const char *p = text; ; p++)
        {
          if (*p == '\0')
            return g_strconcat ("\"", text, "\"", NULL);
          if ((guchar) *p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
            break;
        }
      return string_to_canonical (text);
    }

  switch (field->type)
    {
    case JG_FIELD_STRLIST:
    case JG_FIELD_OBJECT:
      return g_strdup (jg_stmt_text (stmt, col));
    case JG_FIELD_INT:
      return g_strdup_printf ("%" PRId64, (gint64) sqlite3_column_int64 (stmt, col));
    case JG_FIELD_BOOL:
      return g_strdup (sqlite3_column_int64 (stmt, col) ? "true" : "false");
    case JG_FIELD_REAL:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, sqlite3_column_double (stmt, col));
      return jg_json_canonical (node);
    default:
      return g_strdup ("null");
    }
}

static void
bind_canonical (const JgFieldDef *field,
                JgStmt           *stmt,
                int               param,
                const char       *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL || strcmp (text, "null") == 0)
    {
      sqlite3_bind_null (stmt, param);
      return;
    }
  if (field->type == JG_FIELD_STRLIST || field->type == JG_FIELD_OBJECT)
    {
      sqlite3_bind_text (stmt, param, text, -1, SQLITE_TRANSIENT);
      return;
    }

  /* The common canonical forms without a parser: a string with nothing
   * escaped, true, false, a plain integer. */
  {
    gsize len = strlen (text);

    if (field_is_textual (field->type) && len >= 2 && text[0] == '"' && text[len - 1] == '"' &&
        memchr (text, '\\', len) == NULL)
      {
        sqlite3_bind_text (stmt, param, text + 1, (int) len - 2, SQLITE_TRANSIENT);
        return;
      }
    if (field->type == JG_FIELD_BOOL && (strcmp (text, "true") == 0 || strcmp (text, "false") == 0))
      {
        sqlite3_bind_int (stmt, param, text[0] == 't');
        return;
      }
    if (field->type == JG_FIELD_INT && len > (gsize) (text[0] == '-') && len < 18 &&
        strspn (text + (text[0] == '-'), "0123456789") == len - (text[0] == '-'))
      {
        sqlite3_bind_int64 (stmt, param, g_ascii_strtoll (text, NULL, 10));
        return;
      }
  }

  node = jg_json_parse (text, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    {
      sqlite3_bind_null (stmt, param);
      return;
    }

  switch (field->type)
    {
    case JG_FIELD_INT:
      sqlite3_bind_int64 (stmt, param, json_node_get_int (node));
      break;
    case JG_FIELD_REAL:
      sqlite3_bind_double (stmt, param, json_node_get_double (node));
      break;
    case JG_FIELD_BOOL:
      sqlite3_bind_int (stmt, param, json_node_get_boolean (node) ? 1 : 0);
      break;
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        sqlite3_bind_text (stmt, param, json_node_get_string (node), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, param);
      break;
    }
}

/* ---- rows ------------------------------------------------------------ */

static const char *
select_sql (JgStore           *self,
            const JgEntityDef *entity,
            const char        *tail)
{
  /* Identifiers come from jg-entity.c, never from input. */
  g_autofree char *key = g_strconcat (entity->name, "|", tail, NULL);
  GString *sql;
  const char *hit;

  /* Per store: a store belongs to one thread, so no lock is needed. */
  if ((hit = g_hash_table_lookup (self->select_cache, key)))
    return hit;

  sql = g_string_new ("SELECT rowid_, id, _v");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
  g_string_append_printf (sql, " FROM \"%s\" %s", entity->name, tail);
  hit = g_string_free (sql, FALSE);
  g_hash_table_insert (self->select_cache, g_steal_pointer (&key), (gpointer) hit);
  return hit;
}

static void
unpack_versions (const JgEntityDef *entity,
                 const guint8      *blob,
                 gsize              len,
                 FieldVersion      *out)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const guint8 *p = blob + (gsize) i * JG_VERSION_SIZE;
      gint64 v[3];
      guint32 r;

      if ((gsize) (i + 1) * JG_VERSION_SIZE > len)
        {
          memset (&out[i], 0, sizeof out[i]);
          continue;
        }
      memcpy (v, p, sizeof v);
      memcpy (&r, p + 24, sizeof r);
      out[i].hlc = GINT64_FROM_LE (v[0]);
      out[i].base = GINT64_FROM_LE (v[1]);
      out[i].rbase = GINT64_FROM_LE (v[2]);
      out[i].replica = GUINT32_FROM_LE (r);
    }
}

static guint8 *
pack_versions (const JgEntityDef  *entity,
               const FieldVersion *in,
               gsize              *len_out)
{
  gsize len = (gsize) entity->n_fields * JG_VERSION_SIZE;
  guint8 *blob = g_malloc0 (len);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      guint8 *p = blob + (gsize) i * JG_VERSION_SIZE;
      gint64 v[3] = { GINT64_TO_LE (in[i].hlc), GINT64_TO_LE (in[i].base), GINT64_TO_LE (in[i].rbase) };
      guint32 r = GUINT32_TO_LE (in[i].replica);

      memcpy (p, v, sizeof v);
      memcpy (p + 24, &r, sizeof r);
    }
  *len_out = len;
  return blob;
}

static Row *
row_new_empty (const JgEntityDef *entity,
               const char        *id)
{
  Row *row = g_new0 (Row, 1);

  row->entity = entity;
  row->id = g_strdup (id);
  row->values = g_new0 (char *, entity->n_fields);
  row->versions = g_new0 (FieldVersion, entity->n_fields);
  for (guint i = 0; i < entity->n_fields; i++)
    row->values[i] = g_strdup ("null");
  return row;
}

static Row *
row_from_stmt (const JgEntityDef *entity,
               JgStmt            *stmt)
{
  Row *row = g_new0 (Row, 1);

  row->entity = entity;
  row->exists = TRUE;
  row->rowid = sqlite3_column_int64 (stmt, 0);
  row->id = g_strdup (jg_stmt_text (stmt, 1));
  row->values = g_new0 (char *, entity->n_fields);
  row->versions = g_new0 (FieldVersion, entity->n_fields);
  unpack_versions (entity, sqlite3_column_blob (stmt, 2), (gsize) sqlite3_column_bytes (stmt, 2),
                   row->versions);
  for (guint i = 0; i < entity->n_fields; i++)
    row->values[i] = column_to_canonical (&entity->fields[i], stmt, 3 + (int) i);
  return row;
}

/* Returns FALSE on a store error; *row_out is NULL when there is no row. */
static gboolean
row_load (JgStore           *self,
          const JgEntityDef *entity,
          const char        *id,
          Row              **row_out,
          GError           **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self, select_sql (self, entity, "WHERE id = ?"), error);
  int rc;

  *row_out = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *row_out = row_from_stmt (entity, stmt);
  else if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

/* The UPDATE (of an existing row) or INSERT that row_save() runs. */
static const char *
save_sql (JgStore           *self,
          const JgEntityDef *entity,
          gboolean           exists)
{
  g_autofree char *key = g_strconcat (entity->name, exists ? "|update" : "|insert", NULL);
  const char *hit;
  GString *sql;

  if ((hit = g_hash_table_lookup (self->select_cache, key)))
    return hit;
  sql = g_string_new (NULL);
  if (exists)
    {
      g_string_append_printf (sql, "UPDATE \"%s\" SET _v = ?", entity->name);
      for (guint i = 0; i < entity->n_fields; i++)
        g_string_append_printf (sql, ", \"%s\" = ?", entity->fields[i].name);
      g_string_append (sql, " WHERE rowid_ = ?");
    }
  else
    {
      g_string_append_printf (sql, "INSERT INTO \"%s\" (_v", entity->name);
      for (guint i = 0; i < entity->n_fields; i++)
        g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
      g_string_append (sql, ", id) VALUES (?");
      for (guint i = 0; i < entity->n_fields; i++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ", ?)");
    }
  hit = g_string_free (sql, FALSE);
  g_hash_table_insert (self->select_cache, g_steal_pointer (&key), (gpointer) hit);
  return hit;
}

/* A record merged from changes takes its computed fields from its merged
 * inputs (jg_rubric_derive()), never from whichever change of them won:
 * every replica holding the same changes derives the same values. */
static void
row_derive (Row *row)
{
  const JgEntityDef *entity = row->entity;
  g_autoptr(JsonObject) record = NULL;
  gboolean computed = FALSE;

  for (guint i = 0; i < entity->n_fields; i++)
    computed = computed || (entity->fields[i].flags & JG_FIELD_FLAG_COMPUTED);
  if (!computed)
    return;
  /* Only what the derivation reads: this runs for every merged row of a
   * push. */
  record = json_object_new ();
  for (guint k = 0; jg_rubric_derive_inputs[k] != NULL; k++)
    {
      int i = jg_entity_field_index (entity, jg_rubric_derive_inputs[k]);
      JsonNode *value = i >= 0 ? jg_json_parse (row->values[i], -1, NULL) : NULL;

      if (value != NULL)
        json_object_set_member (record, jg_rubric_derive_inputs[k], value);
    }
  if (!jg_rubric_derive (record))
    return;
  for (guint i = 0; i < entity->n_fields; i++)
    {
      JsonNode *value;

      if (!(entity->fields[i].flags & JG_FIELD_FLAG_COMPUTED) ||
          (value = json_object_get_member (record, entity->fields[i].name)) == NULL)
        continue;
      g_free (row->values[i]);
      row->values[i] = jg_json_canonical (value);
    }
}

static gboolean
row_save (JgStore  *self,
          Row      *row,
          GError  **error)
{
  const JgEntityDef *entity = row->entity;
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree guint8 *blob = NULL;
  gsize blob_len;
  int p = 1;
  const char *sql = save_sql (self, entity, row->exists);

  if (row->merged)
    row_derive (row);
  row->merged = FALSE;

  stmt = jg_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  blob = pack_versions (entity, row->versions, &blob_len);
  sqlite3_bind_blob (stmt, p++, blob, (int) blob_len, SQLITE_STATIC);
  for (guint i = 0; i < entity->n_fields; i++)
    bind_canonical (&entity->fields[i], stmt, p++, row->values[i]);
  if (row->exists)
    sqlite3_bind_int64 (stmt, p++, row->rowid);
  else
    sqlite3_bind_text (stmt, p++, row->id, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  if (!row->exists)
    {
      row->exists = TRUE;
      row->rowid = sqlite3_last_insert_rowid (self->db);
    }
  return TRUE;
}

static gint64
row_max_hlc (Row *row)
{
  gint64 max = 0;

  for (guint i = 0; i < row->entity->n_fields; i++)
    max = MAX (max, row->versions[i].hlc);
  return max;
}

static gboolean
row_is_deleted (Row *row)
{
  return strcmp (row->values[JG_COMMON_DELETED], "true") == 0;
}

static JsonObject *
row_to_json (Row *row)
{
  JsonObject *o = json_object_new ();
  g_autofree char *updated = NULL;

  json_object_set_string_member (o, "id", row->id);
  for (guint i = 0; i < row->entity->n_fields; i++)
    {
      const JgFieldDef *f = &row->entity->fields[i];
      JsonNode *value = jg_json_parse (row->values[i], -1, NULL);

      if (i == JG_COMMON_DELETED && JSON_NODE_HOLDS_NULL (value))
        {
          json_node_unref (value);
          json_object_set_boolean_member (o, f->name, FALSE);
          continue;
        }
      json_object_set_member (o, f->name, value);
    }
  updated = jg_hlc_to_iso8601 (row_max_hlc (row));
  json_object_set_string_member (o, "updated_at", updated);
  return o;
}

/* ---- the change log -------------------------------------------------- */

/* Appends @change to the log; *duplicate says the log held it already
 * (the same replica and counter: the unique index answers, no lookup
 * first) and nothing was written. */
static gboolean
log_insert (JgStore        *self,
            guint32         replica_idx,
            const JgChange *change,
            gboolean       *duplicate,
            GError        **error)
{
  gint64 code = jg_store_field_code (self, change->entity, change->field);
  int rc;
  g_autoptr(JgStmt) stmt = NULL;

  *duplicate = FALSE;
  if (code == 0)
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, change->field,
                          _("A %s has no field “%s”"), jg_entity_label (change->entity), change->field);
      return FALSE;
    }
  stmt = jg_store_prepare (self,
                           "INSERT INTO change_entry (replica_idx, counter, record, field, "
                           "value, hlc, base, rbase, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, replica_idx);
  sqlite3_bind_int64 (stmt, 2, change->counter);
  jg_store_bind_record (stmt, 3, change->record);
  sqlite3_bind_int64 (stmt, 4, code);
  sqlite3_bind_text (stmt, 5, change->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, change->hlc);
  sqlite3_bind_int64 (stmt, 7, change->base);
  sqlite3_bind_int64 (stmt, 8, change->rbase);
  if (change->author)
    sqlite3_bind_text (stmt, 9, change->author, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *duplicate = (rc & 0xff) == SQLITE_CONSTRAINT &&
               sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE;
  if (*duplicate)
    return TRUE;
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  self->last_log_seq = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* A local write's change: this store's next counter, never in the log. */
static gboolean
log_append (JgStore        *self,
            const JgChange *change,
            GError        **error)
{
  gboolean duplicate = FALSE;

  if (!log_insert (self, self->replica_idx, change, &duplicate, error))
    return FALSE;
  if (duplicate)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_STORE, _("Store error: %s"), "change counter reused");
      return FALSE;
    }
  return TRUE;
}

static char *
log_author_of (JgStore           *self,
               const JgEntityDef *entity,
               const char        *record,
               const char        *field,
               gint64             hlc,
               guint32            replica_idx)
{
  g_autoptr(JgStmt) stmt = NULL;

  stmt = jg_store_prepare (self,
                           "SELECT author FROM change_entry WHERE record = ? AND field = ? "
                           "AND hlc = ? AND replica_idx = ?", NULL);
  if (stmt == NULL)
    return NULL;
  jg_store_bind_record (stmt, 1, record);
  sqlite3_bind_int64 (stmt, 2, jg_store_field_code (self, entity->name, field));
  sqlite3_bind_int64 (stmt, 3, hlc);
  sqlite3_bind_int64 (stmt, 4, replica_idx);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup (jg_stmt_text (stmt, 0));
  return NULL;
}

static gboolean
save_clock (JgStore  *self,
            GError  **error)
{
  return set_meta_int (self, "counter", self->counter, error) &&
         set_meta_int (self, "hlc", jg_hlc_last (self->hlc), error);
}

/* ---- conflicts ------------------------------------------------------- */

/* A conflict still to show: not settled by a decision, and not a soft one
 * this laptop's user has marked as seen (jg_store_dismiss_conflict()). */
#define CONFLICT_OPEN "(resolved_by IS NULL AND seen_at IS NULL)"

typedef struct
{
  const char *field;
  const char *value;
  JgStamp     stamp;
  const char *author;
} ConflictSide;

static gboolean
conflict_record (JgStore            *self,
                 const char         *id,
                 const char         *kind,
                 Row                *row,
                 const char         *field,
                 const ConflictSide *a,
                 const ConflictSide *b,
                 gboolean           *recorded,
                 GError            **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *now = jg_hlc_to_iso8601 (jg_hlc_last (self->hlc));

  stmt = jg_store_prepare (self,
                           "INSERT OR IGNORE INTO conflict (id, kind, entity, record_id, field, "
                           "a_field, a_value, a_hlc, a_replica, a_author, "
                           "b_field, b_value, b_hlc, b_replica, b_author, detected_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, a->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, a->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, a->stamp.hlc);
  sqlite3_bind_text (stmt, 9, a->stamp.replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, a->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, b->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, b->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, b->stamp.hlc);
  sqlite3_bind_text (stmt, 14, b->stamp.replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, b->author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  *recorded = sqlite3_changes (self->db) > 0;
  return TRUE;
}

/* Which of two changes settling one conflict a store keeps: the earlier
 * (by time, then change id), so that every store names the same one,
 * whatever order they arrived in.  A version a snapshot brought has no
 * known change id (counter 0, never a real one): it comes after a known
 * one of the same time, so that the id every other store names (from the
 * snapshot's conflicts) replaces it.  SQL: is (at, by) kept over (cur_at,
 * cur_by)? */
#define SETTLES_BEFORE(at, by, cur_at, cur_by) \
  "(" at ", " by " GLOB '*:0', " by ") < (" cur_at ", " cur_by " GLOB '*:0', " cur_by ")"

/* A change whose author saw both sides of a hard conflict settles it.
 * Two replicas may settle one conflict concurrently and their changes
 * arrive in any order: each store keeps the one SETTLES_BEFORE says. */
static gboolean
conflicts_settle (JgStore        *self,
                  const JgChange *change,
                  GError        **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *when = NULL;

  /* A change made without seeing the field (a new record's) settles
   * nothing: every side of a conflict has a stamp above 0. */
  if (change->base == 0)
    return TRUE;
  id = jg_change_dup_id (change);
  when = jg_hlc_to_iso8601 (change->hlc);
  stmt = jg_store_prepare (self,
                           "UPDATE conflict SET resolved_by = ?1, resolved_at = ?2 "
                           "WHERE record_id = ?3 AND field = ?4 AND kind = 'hard' "
                           "AND a_hlc <= ?5 AND b_hlc <= ?5 "
                           "AND (resolved_by IS NULL OR "
                           SETTLES_BEFORE ("?2", "?1", "resolved_at", "resolved_by") ")", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, when, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, change->base);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

/* ---- the merge: one change from another replica ----------------------- */

static gboolean
merge_one (JgStore        *self,
           Row            *row,
           const JgChange *change,
           guint32         replica_idx,
           guint          *n_conflicts,
           GError        **error)
{
  const JgEntityDef *entity = row->entity;
  int fi = jg_entity_field_index (entity, change->field);
  FieldVersion *cur = &row->versions[fi];
  JgStamp incoming = { change->hlc, change->base, change->rbase, change->replica };
  JgStamp current = { cur->hlc, cur->base, cur->rbase, replica_name (self, cur->replica) };
  gboolean wins = cur->hlc == 0 || jg_stamp_compare (&incoming, &current) > 0;

  /* Hard conflict: the same field, concurrently, to different values.  A
   * computed field follows its inputs, whose conflicts are the ones to
   * show (row_derive()). */
  if (!(entity->fields[fi].flags & JG_FIELD_FLAG_COMPUTED) &&
      cur->hlc != 0 && jg_stamp_concurrent (&incoming, &current) &&
      strcmp (row->values[fi], change->value) != 0)
    {
      g_autofree char *cur_author = log_author_of (self, row->entity, row->id, change->field, cur->hlc, cur->replica);
      ConflictSide in_side = { change->field, change->value, incoming, change->author };
      ConflictSide cur_side = { change->field, row->values[fi], current, cur_author };
      const ConflictSide *winner = wins ? &in_side : &cur_side;
      const ConflictSide *loser = wins ? &cur_side : &in_side;
      g_autofree char *id = jg_conflict_id_for_loser (row->id, change->field, &loser->stamp);
      gboolean recorded = FALSE;

      if (!conflict_record (self, id, "hard", row, change->field, winner, loser, &recorded, error))
        return FALSE;
      *n_conflicts += recorded;
    }

  /* Soft conflicts: other fields of the record edited concurrently.  An
   * edit that meets a concurrent deletion is the "delete" kind. */
  for (guint j = 0; j < entity->n_fields; j++)
    {
      FieldVersion *other = &row->versions[j];
      JgStamp os;
      const char *kind;

      if ((int) j == fi || other->hlc == 0 || other->replica == replica_idx ||
          ((entity->fields[fi].flags | entity->fields[j].flags) & JG_FIELD_FLAG_COMPUTED))
        continue;
      os = (JgStamp) { other->hlc, other->base, other->rbase, replica_name (self, other->replica) };
      if (!jg_stamp_record_concurrent (&incoming, &os))
        continue;

      if ((fi == JG_COMMON_DELETED && strcmp (change->value, "true") == 0) ||
          (j == JG_COMMON_DELETED && strcmp (row->values[j], "true") == 0))
        kind = "delete";
      else
        kind = "soft";

      {
        g_autofree char *other_author = log_author_of (self, row->entity, row->id, entity->fields[j].name,
                                                       other->hlc, other->replica);
        ConflictSide in_side = { change->field, change->value, incoming, change->author };
        ConflictSide other_side = { entity->fields[j].name, row->values[j], os, other_author };
        gboolean in_first = jg_stamp_compare (&incoming, &os) > 0;
        g_autofree char *id = jg_conflict_id_for_pair (row->id, change->field, &incoming,
                                                       entity->fields[j].name, &os);
        gboolean recorded = FALSE;

        /* Deterministic order of the sides: the newer first. */
        if (!conflict_record (self, id, kind, row,
                              in_first ? change->field : entity->fields[j].name,
                              in_first ? &in_side : &other_side,
                              in_first ? &other_side : &in_side,
                              &recorded, error))
          return FALSE;
        *n_conflicts += recorded;
      }
    }

  if (wins)
    {
      g_free (row->values[fi]);
      row->values[fi] = g_strdup (change->value);
      *cur = (FieldVersion) { change->hlc, change->base, change->rbase, replica_idx };
      row->merged = TRUE;
    }

  return conflicts_settle (self, change, error);
}

/* One change from another replica, merged into *row (loaded, or kept from
 * the change before when it is the same record; the one it replaces is
 * saved).  The caller saves the last row and the clock. */
static gboolean
apply_one (JgStore        *self,
           Row           **row,
           const JgChange *change,
           JgApplyStatus  *status,
           guint          *n_conflicts,
           GError        **error)
{
  const JgEntityDef *entity = jg_entity_lookup (change->entity);
  guint32 replica_idx = 0;
  gboolean found = FALSE;

  if (entity == NULL || jg_entity_field_index (entity, change->field) < 0)
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, change->field,
                          _("Unknown field “%s.%s”"), change->entity, change->field);
      return FALSE;
    }

  if (!replica_lookup (self, change->replica, TRUE, &replica_idx, error) ||
      !log_insert (self, replica_idx, change, &found, error))
    return FALSE;
  if (found)
    {
      *status = JG_APPLY_DUPLICATE;
      return TRUE;
    }
  /* On failure the caller rolls back, the log entry with it. */
  if (!jg_hlc_receive (self->hlc, change->hlc, error))
    return FALSE;

  /* Consecutive changes usually belong to one record: keep it loaded. */
  if (*row == NULL || (*row)->entity != entity || strcmp ((*row)->id, change->record) != 0)
    {
      Row *loaded = NULL;

      if (*row != NULL && !row_save (self, *row, error))
        return FALSE;
      g_clear_pointer (row, row_free);
      if (!row_load (self, entity, change->record, &loaded, error))
        return FALSE;
      *row = loaded ? loaded : row_new_empty (entity, change->record);
    }

  if (!merge_one (self, *row, change, replica_idx, n_conflicts, error))
    return FALSE;
  *status = JG_APPLY_ACCEPTED;
  return TRUE;
}

static gboolean
apply_changes_locked (JgStore       *self,
                      GPtrArray     *changes,
                      GArray        *statuses,
                      JgApplyCounts *counts,
                      GError       **error)
{
  g_autoptr(Row) row = NULL;

  for (guint i = 0; i < changes->len; i++)
    {
      JgApplyStatus status;

      if (!apply_one (self, &row, changes->pdata[i], &status,
                      counts ? &counts->conflicts : &(guint) { 0 }, error))
        return FALSE;
      if (counts)
        {
          if (status == JG_APPLY_ACCEPTED)
            counts->accepted++;
          else
            counts->duplicates++;
        }
      if (statuses)
        g_array_append_val (statuses, status);
    }

  if (row != NULL && !row_save (self, row, error))
    return FALSE;
  return save_clock (self, error);
}

/* ---- a batch judged change by change: the server's push ---------------- */

/* Inside a transaction, applies one change like jg_store_apply_changes()
 * but keeps its record's row unsaved until a change of another record
 * comes, jg_store_batch_flush() or the commit, and the clock until the
 * commit: a record's dozen fields are one row write, not a dozen.  *seq
 * is the change's seq in the log (0 for a duplicate).  Whoever reads rows
 * with SQL in between flushes first; jg_store_batch_peek() reads the
 * unsaved row. */
gboolean
jg_store_batch_apply (JgStore         *self,
                      const JgChange  *change,
                      gint64          *seq,
                      GError         **error)
{
  JgApplyStatus status = JG_APPLY_DUPLICATE;
  guint conflicts = 0;

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  *seq = 0;
  if (!apply_one (self, &self->batch_row, change, &status, &conflicts, error))
    return FALSE;
  self->batch_dirty = TRUE;
  if (status == JG_APPLY_ACCEPTED)
    *seq = self->last_log_seq;
  return TRUE;
}

gboolean
jg_store_batch_flush (JgStore  *self,
                      GError  **error)
{
  if (self->batch_row != NULL && !row_save (self, self->batch_row, error))
    return FALSE;
  g_clear_pointer (&self->batch_row, row_free);
  return TRUE;
}

/* The row, and the clock: once, when the transaction commits (nobody
 * reads the clock's meta rows in between; the clock in memory is the
 * store's). */
static gboolean
batch_finish (JgStore  *self,
              GError  **error)
{
  if (!jg_store_batch_flush (self, error))
    return FALSE;
  if (self->batch_dirty && !save_clock (self, error))
    return FALSE;
  self->batch_dirty = FALSE;
  return TRUE;
}

static void
batch_discard (JgStore *self)
{
  g_clear_pointer (&self->batch_row, row_free);
  self->batch_dirty = FALSE;
}

/* Whether the unsaved row is @record's. */
gboolean
jg_store_batch_holds (JgStore    *self,
                      const char *record)
{
  return self->batch_row != NULL && strcmp (self->batch_row->id, record) == 0;
}

/* @record as a check during a push sees it: the push's unsaved row, or the
 * stored one (into *@loaded); NULL when the store does not hold it. */
static gboolean
row_as_checked (JgStore            *self,
                const JgEntityDef  *entity,
                const char         *record,
                Row               **loaded,
                const Row         **row,
                GError            **error)
{
  *row = NULL;
  if (jg_store_batch_holds (self, record))
    {
      *row = self->batch_row;
      return TRUE;
    }
  if (!row_load (self, entity, record, loaded, error))
    return FALSE;
  *row = *loaded;
  return TRUE;
}

/**
 * jg_store_field_hlc:
 *
 * The stamp of the version @record holds of @field, 0 when there is none
 * (the unsaved row of a push counts): whether the write a change belongs
 * to, with its stamp, is the one that set the field.
 */
gboolean
jg_store_field_hlc (JgStore           *self,
                    const JgEntityDef *entity,
                    const char        *record,
                    const char        *field,
                    gint64            *hlc,
                    GError           **error)
{
  g_autoptr(Row) loaded = NULL;
  const Row *row = NULL;
  int fi;

  *hlc = 0;
  if (!row_as_checked (self, entity, record, &loaded, &row, error))
    return FALSE;
  if (row != NULL && (fi = jg_entity_field_index (row->entity, field)) >= 0)
    *hlc = row->versions[fi].hlc;
  return TRUE;
}

/**
 * jg_store_creation_hlc:
 *
 * The stamp of the write that created @record, 0 when the store does not
 * hold it: the oldest stamp among its fields' versions.  A record's first
 * write is its oldest (whoever writes it later has seen it), and a write
 * stamps every field it sets alike.  The unsaved row of a push counts.
 */
gboolean
jg_store_creation_hlc (JgStore           *self,
                       const JgEntityDef *entity,
                       const char        *record,
                       gint64            *hlc,
                       GError           **error)
{
  g_autoptr(Row) loaded = NULL;
  const Row *row = NULL;

  *hlc = 0;
  if (!row_as_checked (self, entity, record, &loaded, &row, error))
    return FALSE;
  for (guint i = 0; row != NULL && i < row->entity->n_fields; i++)
    {
      gint64 v = row->versions[i].hlc;

      if (v > 0 && (*hlc == 0 || v < *hlc))
        *hlc = v;
    }
  return TRUE;
}

/* A field of the unsaved row as SQL would give its column: NULL for null,
 * a string's text, a number's digits, 1 or 0 for a boolean.  FALSE when
 * the unsaved row is not @record's (read the table instead). */
gboolean
jg_store_batch_peek (JgStore     *self,
                     const char  *record,
                     const char  *field,
                     char       **text)
{
  int fi;
  const char *value;

  *text = NULL;
  if (!jg_store_batch_holds (self, record))
    return FALSE;
  fi = jg_entity_field_index (self->batch_row->entity, field);
  if (fi < 0)
    return TRUE;
  value = self->batch_row->values[fi];
  if (strcmp (value, "null") == 0)
    *text = NULL;
  else if (strcmp (value, "true") == 0 || strcmp (value, "false") == 0)
    *text = g_strdup (value[0] == 't' ? "1" : "0");
  else if (value[0] == '"')
    {
      g_autoptr(JsonNode) node = jg_json_parse (value, -1, NULL);

      *text = node && JSON_NODE_HOLDS_VALUE (node) ? g_strdup (json_node_get_string (node)) : NULL;
    }
  else
    *text = g_strdup (value);
  return TRUE;
}

gboolean
jg_store_apply_changes (JgStore       *self,
                        GPtrArray     *changes,
                        GArray        *statuses,
                        JgApplyCounts *counts,
                        GError       **error)
{
  g_return_val_if_fail (JG_IS_STORE (self), FALSE);

  if (counts)
    memset (counts, 0, sizeof *counts);
  if (!jg_store_begin (self, error))
    return FALSE;
  if (!apply_changes_locked (self, changes, statuses, counts, error))
    {
      jg_store_rollback (self);
      if (statuses)
        g_array_set_size (statuses, 0);
      if (counts)
        memset (counts, 0, sizeof *counts);
      /* The receive rule may have moved the clock for changes now undone:
       * harmless, a clock only has to be monotonic. */
      return FALSE;
    }
  return jg_store_commit (self, error);
}

/* ---- the local write path ------------------------------------------- */

static JsonObject *
row_to_record (Row *row)
{
  return row_to_json (row);
}

/* A local write of field @i of @row made without seeing its current
 * version (another replica's): both are concurrent, the new one wins on
 * its newer stamp, so the current one is the loser the conflict is named
 * after (merge_one() names it alike where this change arrives). */
static gboolean
record_seen_conflict (JgStore        *self,
                      Row            *row,
                      guint           i,
                      const JgChange *change,
                      GError        **error)
{
  const FieldVersion *cur = &row->versions[i];
  JgStamp incoming = { change->hlc, change->base, change->rbase, change->replica };
  JgStamp current = { cur->hlc, cur->base, cur->rbase, replica_name (self, cur->replica) };
  g_autofree char *cur_author = NULL;
  g_autofree char *id = NULL;
  gboolean recorded = FALSE;

  if (!jg_stamp_concurrent (&incoming, &current))
    return TRUE;
  cur_author = log_author_of (self, row->entity, row->id, change->field, cur->hlc, cur->replica);
  id = jg_conflict_id_for_loser (row->id, change->field, &current);
  {
    ConflictSide in_side = { change->field, change->value, incoming, change->author };
    ConflictSide cur_side = { change->field, row->values[i], current, cur_author };

    return conflict_record (self, id, "hard", row, change->field, &in_side, &cur_side, &recorded, error);
  }
}

/* One write's changes: every field of @new_record whose canonical value
 * differs from @row's, stamped @hlc, appended to the log and applied to
 * @row (saved by the caller).  Field @forced (-1: none) is written even
 * when it holds that value, with base @forced_base, and its change given
 * back in *@forced_change: a decided conflict.  @changed collects the
 * names of the fields written.
 *
 * @seen (or NULL) maps fields to the hlc of the version the author saw
 * (jg_store_get_seen()): a field that changed since, from another replica,
 * gets that older base, and when it is written with another value the two
 * edits are concurrent, a hard conflict recorded here as the merge records
 * it on every other replica (the same id: the version replaced loses). */
static gboolean
write_fields (JgStore     *self,
              Row         *row,
              JsonObject  *new_record,
              gint64       hlc,
              int          forced,
              gint64       forced_base,
              JsonObject  *seen,
              GPtrArray   *changed,
              JgChange   **forced_change,
              GError     **error)
{
  const JgEntityDef *entity = row->entity;
  gint64 rbase = MAX (row_max_hlc (row), forced >= 0 ? forced_base : 0);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];
      g_autoptr(JsonNode) value = normalize_value (f, json_object_get_member (new_record, f->name));
      g_autofree char *text = NULL;
      g_autoptr(JgChange) change = NULL;

      if ((int) i != forced)
        {
          if (i == JG_COMMON_DELETED && JSON_NODE_HOLDS_VALUE (value) && !json_node_get_boolean (value) &&
              strcmp (row->values[i], "null") == 0)
            continue;   /* not deleted is the default, not a change */
          text = jg_json_canonical (value);
          if (strcmp (text, row->values[i]) == 0)
            continue;
        }
      else
        text = jg_json_canonical (value);

      change = jg_change_new ();
      change->replica = g_strdup (self->replica_id);
      change->counter = ++self->counter;
      change->entity = g_strdup (entity->name);
      change->record = g_strdup (row->id);
      change->field = g_strdup (f->name);
      change->value = g_strdup (text);
      change->hlc = hlc;
      change->base = (int) i == forced ? forced_base : row->versions[i].hlc;
      change->rbase = rbase;
      change->author = g_strdup (self->username);

      if ((int) i != forced && seen != NULL && json_object_has_member (seen, f->name))
        {
          JsonNode *node = json_object_get_member (seen, f->name);
          gint64 seen_hlc = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
                            ? json_node_get_int (node) : -1;
          const FieldVersion *cur = &row->versions[i];

          if (seen_hlc >= 0 && seen_hlc < cur->hlc)
            {
              change->base = seen_hlc;
              if (cur->replica != self->replica_idx && !(f->flags & JG_FIELD_FLAG_COMPUTED) &&
                  !record_seen_conflict (self, row, i, change, error))
                return FALSE;
            }
        }

      if (!log_append (self, change, error) ||
          !conflicts_settle (self, change, error))
        return FALSE;

      g_free (row->values[i]);
      row->values[i] = g_steal_pointer (&text);
      row->versions[i] = (FieldVersion) { hlc, change->base, rbase, self->replica_idx };
      if (changed != NULL)
        g_ptr_array_add (changed, (gpointer) f->name);
      if ((int) i == forced && forced_change != NULL)
        *forced_change = g_steal_pointer (&change);
    }
  return TRUE;
}

char *
jg_store_put (JgStore     *self,
              const char  *entity_name,
              JsonObject  *fields,
              GError     **error)
{
  return jg_store_put_seen (self, entity_name, fields, NULL, error);
}

/* Like jg_store_put(), for an author who edited the record as @seen says
 * it was: field name -> hlc of the version shown to her, as
 * jg_store_get_seen() gave them.  A field written that has changed since
 * keeps that older base, so the write is judged concurrent with the change
 * it did not see (a hard conflict where the values differ, DESIGN.md),
 * never a silent overwrite.  Fields left out of @seen were seen as they
 * are. */
char *
jg_store_put_seen (JgStore     *self,
                   const char  *entity_name,
                   JsonObject  *fields,
                   JsonObject  *seen,
                   GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(GList) members = NULL;
  g_autoptr(Row) row = NULL;
  g_autoptr(JsonObject) old_record = NULL;
  g_autoptr(JsonObject) new_record = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  const char *id = NULL;
  g_autofree char *new_id = NULL;
  gint64 hlc;

  g_return_val_if_fail (JG_IS_STORE (self), NULL);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }

  if (json_object_has_member (fields, "id"))
    {
      id = jg_json_get_string (fields, "id");
      if (id == NULL || !jg_uuid_valid (id))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, "id", _("“id” must be a record id"));
          return NULL;
        }
    }

  /* The shape of the input first: names, writability, types. */
  members = json_object_get_members (fields);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      const JgFieldDef *f;

      if (strcmp (name, "id") == 0)
        continue;
      f = jg_entity_field (entity, name, NULL);
      if (f == NULL)
        {
          if (strcmp (name, "updated_at") == 0)
            continue;   /* derived: checked against the stored record below */
          jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, name,
                              _("A %s has no field “%s”"), jg_entity_label (entity->name), name);
          return NULL;
        }
      if (f->flags & (JG_FIELD_FLAG_SYSTEM | JG_FIELD_FLAG_COMPUTED))
        continue;   /* checked against the stored value below */
      if (!jg_field_check_type (f, json_object_get_member (fields, name), error))
        return NULL;
    }

  if (!jg_store_begin (self, error))
    return NULL;

  if (id != NULL)
    {
      if (!row_load (self, entity, id, &row, error))
        goto fail;
      if (row == NULL)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                       _("There is no %s with id %s"), jg_entity_label (entity->name), id);
          goto fail;
        }
      if (row_is_deleted (row))
        {
          g_set_error (error, JG_ERROR, JG_ERROR_DELETED,
                       _("The %s %s has been deleted"), jg_entity_label (entity->name), id);
          goto fail;
        }
      old_record = row_to_record (row);
    }
  else
    {
      new_id = jg_uuid7_new (jg_hlc_wall_ms (self->hlc));
      id = new_id;
      row = row_new_empty (entity, id);
    }

  hlc = jg_hlc_now (self->hlc);
  new_record = row_to_record (row);
  if (old_record == NULL)
    {
      g_autofree char *created_at = jg_hlc_to_iso8601 (hlc);

      json_object_set_string_member (new_record, "created_by", self->username);
      json_object_set_string_member (new_record, "created_at", created_at);
      json_object_set_string_member (new_record, "review_state", "draft");
    }

  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      const JgFieldDef *f = jg_entity_field (entity, name, NULL);
      JsonNode *value = json_object_get_member (fields, name);

      if (strcmp (name, "id") == 0)
        continue;
      if (f == NULL)
        {
          /* updated_at is accepted back from "get" as it was, never set:
           * a different one (or any on a new record) is refused, not
           * silently dropped. */
          g_autofree char *updated = old_record ? jg_hlc_to_iso8601 (row_max_hlc (row)) : NULL;

          if (updated == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_STRING ||
              strcmp (json_node_get_string (value), updated) != 0)
            {
              jg_set_field_error (error, JG_ERROR_READ_ONLY, name, _("“%s” cannot be set directly"), name);
              goto fail;
            }
          continue;
        }
      if (f->flags & (JG_FIELD_FLAG_SYSTEM | JG_FIELD_FLAG_COMPUTED))
        {
          /* Accept a record read back by "get" as long as these are untouched. */
          if (!json_node_equal (value, json_object_get_member (new_record, name)) &&
              !(old_record == NULL && f->flags & JG_FIELD_FLAG_COMPUTED))
            {
              jg_set_field_error (error, JG_ERROR_READ_ONLY, name,
                                  _("“%s” cannot be set directly"), name);
              goto fail;
            }
          continue;
        }
      json_object_set_member (new_record, name, normalize_value (f, value));
    }

  if (!jg_rules_check_write (self, entity, old_record, new_record, error))
    goto fail;

  if (!write_fields (self, row, new_record, hlc, -1, 0, seen, changed, NULL, error))
    goto fail;

  if (changed->len > 0 && (!row_save (self, row, error) || !save_clock (self, error)))
    goto fail;
  if (!jg_store_commit (self, error))
    goto fail_committed;
  return g_strdup (id);

fail:
  jg_store_rollback (self);
fail_committed:
  /* The counter and clock in memory may be ahead of the stored ones; that
   * only skips numbers, which is allowed. */
  return NULL;
}

gboolean
jg_store_delete (JgStore     *self,
                 const char  *entity_name,
                 const char  *id,
                 GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(Row) row = NULL;
  g_autoptr(JgChange) change = NULL;
  gint64 hlc;

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return FALSE;
    }
  if (id == NULL || !jg_uuid_valid (id))
    {
      jg_set_field_error (error, JG_ERROR_WRONG_TYPE, "id", _("“id” must be a record id"));
      return FALSE;
    }

  if (!jg_store_begin (self, error))
    return FALSE;
  if (!row_load (self, entity, id, &row, error))
    goto fail;
  if (row == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no %s with id %s"), jg_entity_label (entity->name), id);
      goto fail;
    }
  if (row_is_deleted (row))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_DELETED,
                   _("The %s %s has been deleted"), jg_entity_label (entity->name), id);
      goto fail;
    }
  if (entity->ledger)
    {
      g_autoptr(JsonObject) current = row_to_record (row);

      if (!jg_ledger_check_withdrawal (entity, jg_json_get_string (current, "reverses"),
                                       jg_json_get_string (current, "review_state"), error))
        goto fail;
    }
  if (!jg_rules_check_delete (self, entity, id, error))
    goto fail;
  {
    g_autoptr(JsonObject) current = row_to_record (row);

    if (!jg_review_check_delete (entity, jg_json_get_string (current, "review_state"), error))
      goto fail;
  }

  hlc = jg_hlc_now (self->hlc);
  change = jg_change_new ();
  change->replica = g_strdup (self->replica_id);
  change->counter = ++self->counter;
  change->entity = g_strdup (entity->name);
  change->record = g_strdup (id);
  change->field = g_strdup ("deleted");
  change->value = g_strdup ("true");
  change->hlc = hlc;
  change->base = row->versions[JG_COMMON_DELETED].hlc;
  change->rbase = row_max_hlc (row);
  change->author = g_strdup (self->username);

  if (!log_append (self, change, error))
    goto fail;
  g_free (row->values[JG_COMMON_DELETED]);
  row->values[JG_COMMON_DELETED] = g_strdup ("true");
  row->versions[JG_COMMON_DELETED] = (FieldVersion) { hlc, change->base, change->rbase, self->replica_idx };
  if (!row_save (self, row, error) || !save_clock (self, error))
    goto fail;
  return jg_store_commit (self, error);

fail:
  jg_store_rollback (self);
  return FALSE;
}

/* ---- reading --------------------------------------------------------- */

/* Like jg_store_get(), with in *@versions each field's version as the
 * record is now (field name -> hlc, 0 for a field never written): what
 * an editor saw, for jg_store_put_seen(). */
JsonObject *
jg_store_get_seen (JgStore     *self,
                   const char  *entity_name,
                   const char  *id,
                   JsonObject **versions,
                   GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(Row) row = NULL;
  JsonObject *v;

  g_return_val_if_fail (versions != NULL, NULL);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }
  if (id == NULL || !jg_uuid_valid (id))
    {
      jg_set_field_error (error, JG_ERROR_WRONG_TYPE, "id", _("“id” must be a record id"));
      return NULL;
    }
  if (!row_load (self, entity, id, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no %s with id %s"), jg_entity_label (entity->name), id);
      return NULL;
    }
  v = json_object_new ();
  for (guint i = 0; i < entity->n_fields; i++)
    json_object_set_int_member (v, entity->fields[i].name, row->versions[i].hlc);
  *versions = v;
  return row_to_json (row);
}

JsonObject *
jg_store_get (JgStore     *self,
              const char  *entity_name,
              const char  *id,
              GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(Row) row = NULL;

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }
  if (id == NULL || !jg_uuid_valid (id))
    {
      jg_set_field_error (error, JG_ERROR_WRONG_TYPE, "id", _("“id” must be a record id"));
      return NULL;
    }
  if (!row_load (self, entity, id, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no %s with id %s"), jg_entity_label (entity->name), id);
      return NULL;
    }
  return row_to_json (row);
}

JsonArray *
jg_store_list (JgStore           *self,
               const char        *entity_name,
               const JgListQuery *query,
               GError           **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  JgListQuery defaults = { 0 };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  const char *sql;
  int rc;

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }
  if (query == NULL)
    query = &defaults;

  sql = select_sql (self, entity,
                    "WHERE (?1 OR deleted IS NOT 1) "
                    "AND (?2 IS NULL OR org_unit IN (SELECT division_code FROM org_unit "
                    "                                WHERE substr (path, 1, length (?2)) = ?2)) "
                    "ORDER BY id LIMIT ?3 OFFSET ?4");
  stmt = jg_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, query->include_deleted ? 1 : 0);
  if (query->org_unit_prefix)
    sqlite3_bind_text (stmt, 2, query->org_unit_prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, query->limit ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, 4, query->offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(Row) row = row_from_stmt (entity, stmt);

      json_array_add_object_element (array, row_to_json (row));
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/* ---- change bundles -------------------------------------------------- */

gint64
jg_store_get_last_seq (JgStore *self)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self, "SELECT coalesce (max (seq), 0) FROM change_entry", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

GPtrArray *
jg_store_changes_since (JgStore     *self,
                        gint64       since,
                        guint        limit,
                        gint64      *last_seq,
                        GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  g_autoptr(JgStmt) stmt = NULL;
  gint64 last = since;
  int rc;

  stmt = jg_store_prepare (self,
                           "SELECT " JG_STORE_CHANGE_COLUMNS
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE c.seq > ? ORDER BY c.seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JgChange *c = jg_change_new ();

      g_ptr_array_add (changes, c);
      if (!jg_store_read_change (self, stmt, c, error))
        return NULL;
      last = c->seq;
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  if (last_seq)
    *last_seq = last;
  return g_steal_pointer (&changes);
}

JsonNode *
jg_store_export_bundle (JgStore     *self,
                        gint64       since,
                        GError     **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  gint64 last = 0;

  changes = jg_store_changes_since (self, since, 0, &last, error);
  if (changes == NULL)
    return NULL;
  return jg_bundle_build (self->replica_id, last, changes);
}

gboolean
jg_store_import_bundle (JgStore        *self,
                        JsonNode       *bundle,
                        JgApplyCounts  *counts,
                        GError        **error)
{
  g_autoptr(GPtrArray) changes = jg_bundle_parse (bundle, NULL, error);

  if (changes == NULL)
    return FALSE;
  return jg_store_apply_changes (self, changes, NULL, counts, error);
}

/* What a person knows record @id by (jg_entity_title_field()), following
 * one reference; NULL when it has nothing to show. */
static char *
record_title (JgStore           *self,
              const JgEntityDef *entity,
              const char        *id,
              gboolean           follow)
{
  const JgFieldDef *f = entity ? jg_entity_title_field (entity) : NULL;
  g_autofree char *sql = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *value = NULL;

  if (f == NULL || id == NULL)
    return NULL;
  /* Both names come from jg-entity.c. */
  sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?", f->name, entity->name);
  stmt = jg_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || jg_stmt_text (stmt, 0) == NULL || *jg_stmt_text (stmt, 0) == '\0')
    return NULL;
  value = g_strdup (jg_stmt_text (stmt, 0));
  jg_stmt_release (g_steal_pointer (&stmt));
  if (f->type == JG_FIELD_REF)
    return follow ? record_title (self, jg_entity_lookup (f->ref_entity), value, FALSE) : NULL;
  return g_steal_pointer (&value);
}

char *
jg_store_dup_record_title (JgStore    *self,
                           const char *entity_name,
                           const char *id)
{
  g_return_val_if_fail (JG_IS_STORE (self), NULL);

  return record_title (self, jg_entity_lookup (entity_name), id, TRUE);
}

JsonArray *
jg_store_list_conflicts (JgStore   *self,
                         gboolean   include_resolved,
                         GError   **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (self,
                           "SELECT id, kind, entity, record_id, field, "
                           "a_field, a_value, a_hlc, a_replica, a_author, "
                           "b_field, b_value, b_hlc, b_replica, b_author, "
                           "detected_at, resolved_by, resolved_at, seen_at, seen_by "
                           "FROM conflict WHERE (?1 OR " CONFLICT_OPEN ") ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_resolved ? 1 : 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      JsonArray *values = json_array_new ();

      json_object_set_string_member (o, "id", jg_stmt_text (stmt, 0));
      json_object_set_string_member (o, "kind", jg_stmt_text (stmt, 1));
      json_object_set_string_member (o, "entity", jg_stmt_text (stmt, 2));
      json_object_set_string_member (o, "record", jg_stmt_text (stmt, 3));
      {
        g_autofree char *title = record_title (self, jg_entity_lookup (jg_stmt_text (stmt, 2)),
                                               jg_stmt_text (stmt, 3), TRUE);

        if (title != NULL)
          json_object_set_string_member (o, "title", title);
      }
      json_object_set_string_member (o, "field", jg_stmt_text (stmt, 4));
      for (int side = 0; side < 2; side++)
        {
          int c = 5 + side * 5;
          JsonObject *v = json_object_new ();
          g_autofree char *when = jg_hlc_to_iso8601 (sqlite3_column_int64 (stmt, c + 2));

          json_object_set_string_member (v, "field", jg_stmt_text (stmt, c));
          json_object_set_member (v, "value", jg_json_parse (jg_stmt_text (stmt, c + 1), -1, NULL));
          json_object_set_int_member (v, "hlc", sqlite3_column_int64 (stmt, c + 2));
          json_object_set_string_member (v, "at", when);
          json_object_set_string_member (v, "replica", jg_stmt_text (stmt, c + 3));
          if (jg_stmt_text (stmt, c + 4))
            json_object_set_string_member (v, "author", jg_stmt_text (stmt, c + 4));
          else
            json_object_set_null_member (v, "author");
          json_array_add_object_element (values, v);
        }
      json_object_set_array_member (o, "values", values);
      json_object_set_string_member (o, "detected_at", jg_stmt_text (stmt, 15));
      json_object_set_boolean_member (o, "resolved", jg_stmt_text (stmt, 16) != NULL);
      if (jg_stmt_text (stmt, 16))
        {
          json_object_set_string_member (o, "resolved_by", jg_stmt_text (stmt, 16));
          json_object_set_string_member (o, "resolved_at", jg_stmt_text (stmt, 17));
        }
      if (jg_stmt_text (stmt, 18))
        {
          json_object_set_string_member (o, "seen_at", jg_stmt_text (stmt, 18));
          if (jg_stmt_text (stmt, 19))
            json_object_set_string_member (o, "seen_by", jg_stmt_text (stmt, 19));
        }
      json_array_add_object_element (array, o);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/* Marks soft conflicts as seen, now, by the store's user: @id's, or every
 * open one when @id is NULL.  The count of those newly marked in *@n. */
static gboolean
conflicts_mark_seen (JgStore     *self,
                     const char  *id,
                     guint       *n,
                     GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  stmt = jg_store_prepare (self,
                           "UPDATE conflict SET seen_at = ?1, seen_by = ?2 "
                           "WHERE " CONFLICT_OPEN " AND (?3 IS NULL AND kind = 'soft' OR"
                           " id = ?3 AND kind <> 'hard')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, jg_store_get_username (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  if (n != NULL)
    *n = sqlite3_changes (self->db);
  return TRUE;
}

/**
 * jg_store_dismiss_conflict:
 *
 * Marks a soft conflict, or an edit that met a deletion, as seen, in
 * this store only: it leaves the open list (jg_store_list_conflicts()
 * without @include_resolved) and the sync status's count.  The deletion
 * stands either way (an edit never brings a record back); the conflict
 * was there to say so, not to hide it.  A hard conflict waits for a
 * reviewer's decision: JG_ERROR_CONFLICT.  One seen already is no error.
 */
gboolean
jg_store_dismiss_conflict (JgStore     *self,
                           const char  *conflict_id,
                           GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *kind = NULL;
  gboolean resolved;

  g_return_val_if_fail (JG_IS_STORE (self), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);

  stmt = jg_store_prepare (self, "SELECT kind, resolved_by IS NOT NULL FROM conflict WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("There is no conflict %s"), conflict_id);
      return FALSE;
    }
  kind = g_strdup (jg_stmt_text (stmt, 0));
  resolved = sqlite3_column_int (stmt, 1) != 0;
  jg_stmt_release (g_steal_pointer (&stmt));
  if (strcmp (kind, "hard") == 0)
    {
      g_set_error_literal (error, JG_ERROR, JG_ERROR_CONFLICT,
                           _("A conflict over one field’s value cannot be dismissed: it waits for a reviewer’s decision"));
      return FALSE;
    }
  if (resolved)
    return TRUE;
  return conflicts_mark_seen (self, conflict_id, NULL, error);
}

/**
 * jg_store_dismiss_soft_conflicts:
 *
 * jg_store_dismiss_conflict() for every open soft conflict; how many in
 * *@n_dismissed.
 */
gboolean
jg_store_dismiss_soft_conflicts (JgStore  *self,
                                 guint    *n_dismissed,
                                 GError  **error)
{
  g_return_val_if_fail (JG_IS_STORE (self), FALSE);

  return conflicts_mark_seen (self, NULL, n_dismissed, error);
}

/* ---- queries for the app ---- */

/* The WHERE clause shared by jg_store_count() and jg_store_search():
 * ?1 include deleted, ?2 org-unit path prefix, ?3 LIKE pattern or NULL.
 * The searched columns are the entity's own text fields, named from
 * jg-entity.c; the user's text is only ever a bound parameter. */
static char *
search_where (const JgEntityDef *entity)
{
  /* ?1 holds two flags (search_bind()): 1 with tombstones, 2 strictly below ?2. */
  GString *sql = g_string_new ("WHERE ((?1 & 1) OR deleted IS NOT 1) "
                               "AND (?2 IS NULL OR org_unit IN (SELECT division_code FROM org_unit "
                               "                                WHERE substr (path, 1, length (?2)) = ?2 "
                               "                                AND ((?1 & 2) = 0 OR length (path) > length (?2)))) "
                               "AND (?3 IS NULL");
  g_autofree char *live = jg_rules_live_parents_sql (entity, entity->name);

  for (guint i = JG_N_COMMON_FIELDS; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if (f->type != JG_FIELD_TEXT && f->type != JG_FIELD_ENUM && f->type != JG_FIELD_UNIT)
        continue;
      g_string_append_printf (sql, " OR \"%s\" LIKE ?3 ESCAPE '\\'", f->name);
    }
  g_string_append (sql, " OR org_unit LIKE ?3 ESCAPE '\\')");
  /* A record of a deleted household is left out with it (jg-rules.h). */
  if (*live != '\0')
    g_string_append_printf (sql, " AND ((?1 & 1) OR (1%s))", live);
  return g_string_free (sql, FALSE);
}

/* "50%" must match a literal percent sign. */
static char *
search_pattern (const char *text)
{
  GString *p;

  if (text == NULL || *text == '\0')
    return NULL;
  p = g_string_new ("%");
  for (const char *s = text; *s; s++)
    {
      if (*s == '%' || *s == '_' || *s == '\\')
        g_string_append_c (p, '\\');
      g_string_append_c (p, *s);
    }
  g_string_append_c (p, '%');
  return g_string_free (p, FALSE);
}

static void
search_bind (JgStmt            *stmt,
             const JgListQuery *query,
             const char        *pattern)
{
  sqlite3_bind_int (stmt, 1, (query->include_deleted ? 1 : 0) | (query->org_unit_below ? 2 : 0));
  if (query->org_unit_prefix)
    sqlite3_bind_text (stmt, 2, query->org_unit_prefix, -1, SQLITE_TRANSIENT);
  if (pattern)
    sqlite3_bind_text (stmt, 3, pattern, -1, SQLITE_TRANSIENT);
}

/* The number of records jg_store_search() would return without a limit. */
gint64
jg_store_count (JgStore           *self,
                const char        *entity_name,
                const JgListQuery *query,
                const char        *search,
                GError           **error)
{
  return jg_store_count_where (self, entity_name, query, search, NULL, error);
}

/* Like jg_store_list(), newest first, keeping the records whose text
 * fields contain @search (all of them when it is NULL or empty). */
JsonArray *
jg_store_search (JgStore           *self,
                 const char        *entity_name,
                 const JgListQuery *query,
                 const char        *search,
                 GError           **error)
{
  return jg_store_search_where (self, entity_name, query, search, NULL, error);
}

/* ---- sync support ---- */

/* Fields of a record that only this device holds (the server refused the
 * record): the changes go into the log like any write, so the row is what
 * the log says, but they are marked done (server_seq 0) at once and never
 * sent.  No rules run: the caller states a decision already made. */
gboolean
jg_store_put_local (JgStore     *self,
                    const char  *entity_name,
                    const char  *id,
                    JsonObject  *fields,
                    GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(Row) row = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  gint64 first;

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return FALSE;
    }
  if (!jg_store_begin (self, error))
    return FALSE;
  if (!row_load (self, entity, id, &row, error))
    goto fail;
  if (row == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no %s with id %s"), jg_entity_label (entity->name), id);
      goto fail;
    }

  record = row_to_record (row);
  members = json_object_get_members (fields);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (record, l->data, json_node_copy (json_object_get_member (fields, l->data)));

  first = self->counter + 1;
  if (!write_fields (self, row, record, jg_hlc_now (self->hlc), -1, 0, NULL, NULL, NULL, error) ||
      !row_save (self, row, error) || !save_clock (self, error))
    goto fail;

  stmt = jg_store_prepare (self,
                           "UPDATE change_entry SET server_seq = 0 "
                           "WHERE replica_idx = ? AND counter >= ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  sqlite3_bind_int64 (stmt, 2, first);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      goto fail;
    }
  return jg_store_commit (self, error);

fail:
  jg_store_rollback (self);
  return FALSE;
}

/* A record that left this user's area (a reviewer moved it to another
 * unit): the server no longer sends its changes, so the device forgets it
 * — its row, its history and its conflicts — rather than keep a copy
 * nobody updates.  Should it come back, the server sends its history
 * again.  The own changes the server refused stay, quarantined (often
 * refused for that very move, out_of_scope): they are what the user typed,
 * shown with their values until the user has given them to whoever holds
 * the record now (sync.md item 2). */
gboolean
jg_store_purge_record (JgStore     *self,
                       const char  *entity_name,
                       const char  *id,
                       GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  static const char * const tails[] = {
    ("DELETE FROM change_entry WHERE record = jg_uuid_blob (?1) "
     "AND NOT (replica_idx = ?2 AND counter IN (SELECT counter FROM sync_rejected))"),
    "DELETE FROM conflict WHERE record_id = ?1",
  };
  g_autofree char *delete_row = NULL;

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return FALSE;
    }
  if (!jg_store_begin (self, error))
    return FALSE;

  /* The table name comes from jg-entity.c, never from the server. */
  delete_row = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", entity->name);
  for (guint i = 0; i <= G_N_ELEMENTS (tails); i++)
    {
      g_autoptr(JgStmt) stmt = jg_store_prepare (self, i < G_N_ELEMENTS (tails) ? tails[i] : delete_row, error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (i == 0)
        sqlite3_bind_int64 (stmt, 2, self->replica_idx);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          jg_store_sqlite_error (self, error);
          goto fail;
        }
    }
  return jg_store_commit (self, error);

fail:
  jg_store_rollback (self);
  return FALSE;
}

void
jg_field_state_clear (JgFieldState *state)
{
  g_clear_pointer (&state->value, g_free);
  g_clear_pointer (&state->replica, g_free);
  state->hlc = state->base = state->rbase = 0;
}

/**
 * jg_store_field_state:
 * @found: (out): FALSE when the store holds no row of @record
 * @state: (out): the field's value and version, cleared with
 *   jg_field_state_clear()
 *
 * The current value and version of one field, as the server tells a
 * device whose change it refused (protocol.md "Push rules").  Returns FALSE
 * only on a store error or an unknown entity or field.
 */
gboolean
jg_store_field_state (JgStore      *self,
                      const char   *entity_name,
                      const char   *record,
                      const char   *field,
                      gboolean     *found,
                      JgFieldState *state,
                      GError      **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(Row) row = NULL;
  int i;

  *found = FALSE;
  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return FALSE;
    }
  if ((i = jg_entity_field_index (entity, field)) < 0)
    {
      jg_set_field_error (error, JG_ERROR_UNKNOWN_FIELD, field,
                          _("A %s has no field “%s”"), jg_entity_label (entity_name), field);
      return FALSE;
    }
  if (!row_load (self, entity, record, &row, error))
    return FALSE;
  if (row == NULL)
    return TRUE;
  *found = TRUE;
  state->value = g_strdup (row->values[i]);
  state->hlc = row->versions[i].hlc;
  state->base = row->versions[i].base;
  state->rbase = row->versions[i].rbase;
  state->replica = state->hlc > 0 ? g_strdup (replica_name (self, row->versions[i].replica)) : NULL;
  return TRUE;
}

/**
 * jg_store_unapply_refused:
 * @counter: the n of an own change the server refused (quarantined)
 * @server: (nullable): the field's version on the server, when the
 *   rejection said it (protocol.md "Push rules": "current")
 *
 * The server refused the change: its value is in effect nowhere but here.
 * The conflicts the refused version was a side of go (no other replica
 * records them: settling them by keeping it would only be refused again),
 * whether or not the field still holds it.  When the field still holds it,
 * it goes back to the newest of the other versions the store holds of it
 * and the server's version (the merge of that field without the refused
 * change).  Without the server's version, a field the store knows no other
 * version of (the record is the store's own, or came in a snapshot, which
 * brings no history) keeps the refused value.  The change stays in the log
 * and in the quarantine, shown to the user.  The caller holds a
 * transaction (reviewer-gui.md item 2).
 */
gboolean
jg_store_unapply_refused (JgStore            *self,
                          gint64              counter,
                          const JgFieldState *server,
                          GError            **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(JgStmt) other = NULL;
  g_autoptr(Row) row = NULL;
  g_autofree char *record = NULL;
  g_autofree char *entity_name = NULL;
  g_autofree char *field = NULL;
  const JgEntityDef *entity;
  gboolean use_server = FALSE;
  gint64 hlc;
  int i, rc;

  stmt = jg_store_prepare (self,
                           "SELECT jg_uuid_text (c.record), f.entity, f.field, c.hlc "
                           "FROM change_entry c JOIN change_field f ON f.code = c.field "
                           "WHERE c.replica_idx = ? AND c.counter = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  sqlite3_bind_int64 (stmt, 2, counter);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return jg_store_sqlite_error (self, error);
  record = g_strdup (jg_stmt_text (stmt, 0));
  entity_name = g_strdup (jg_stmt_text (stmt, 1));
  field = g_strdup (jg_stmt_text (stmt, 2));
  hlc = sqlite3_column_int64 (stmt, 3);
  jg_stmt_release (g_steal_pointer (&stmt));

  entity = jg_entity_lookup (entity_name);
  if (entity == NULL || (i = jg_entity_field_index (entity, field)) < 0)
    return TRUE;

  /* Its conflicts, also when a newer version holds the field already (it
   * lost to a concurrent edit that arrived before the refusal): nobody
   * else ever held the refused version. */
  stmt = jg_store_prepare (self,
                           "DELETE FROM conflict WHERE record_id = ?1 AND resolved_by IS NULL AND "
                           "((a_field = ?2 AND a_hlc = ?3 AND a_replica = ?4) OR "
                           " (b_field = ?2 AND b_hlc = ?3 AND b_replica = ?4))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, hlc);
  sqlite3_bind_text (stmt, 4, self->replica_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  jg_stmt_release (g_steal_pointer (&stmt));

  if (!row_load (self, entity, record, &row, error))
    return FALSE;
  /* Nothing to undo when a newer version holds the field already. */
  if (row == NULL || row->versions[i].replica != self->replica_idx || row->versions[i].hlc != hlc)
    return TRUE;

  /* The newest version of the field but the refused ones, in the merge's
   * order (hlc, then replica id). */
  other = jg_store_prepare (self,
                            "SELECT c.value, c.hlc, c.base, c.rbase, c.replica_idx, r.replica_id "
                            "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                            "WHERE c.record = jg_uuid_blob (?1) "
                            "AND c.field = (SELECT code FROM change_field WHERE entity = ?2 AND field = ?3) "
                            "AND NOT (c.replica_idx = ?4 AND (c.counter IN (SELECT counter FROM sync_rejected) "
                            "                                 OR c.server_seq = 0)) "
                            "ORDER BY c.hlc DESC, r.replica_id DESC LIMIT 1", error);
  if (other == NULL)
    return FALSE;
  sqlite3_bind_text (other, 1, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (other, 2, entity_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (other, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (other, 4, self->replica_idx);
  rc = sqlite3_step (other);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);

  /* The server's version is one it holds: taken when the store holds no
   * newer one (a snapshot brought the record without its history). */
  if (server != NULL && server->value != NULL &&
      (server->hlc == 0 || server->replica != NULL))
    use_server = rc == SQLITE_DONE ||
                 server->hlc > sqlite3_column_int64 (other, 1) ||
                 (server->hlc == sqlite3_column_int64 (other, 1) && server->hlc > 0 &&
                  strcmp (server->replica, jg_stmt_text (other, 5)) > 0);
  if (use_server)
    {
      guint32 idx = 0;

      if (server->hlc > 0 && !replica_lookup (self, server->replica, TRUE, &idx, error))
        return FALSE;
      g_free (row->values[i]);
      row->values[i] = g_strdup (server->value);
      row->versions[i].hlc = server->hlc;
      row->versions[i].base = server->hlc > 0 ? server->base : 0;
      row->versions[i].rbase = server->hlc > 0 ? server->rbase : 0;
      row->versions[i].replica = idx;
    }
  else if (rc == SQLITE_ROW)
    {
      g_free (row->values[i]);
      row->values[i] = g_strdup (jg_stmt_text (other, 0));
      row->versions[i].hlc = sqlite3_column_int64 (other, 1);
      row->versions[i].base = sqlite3_column_int64 (other, 2);
      row->versions[i].rbase = sqlite3_column_int64 (other, 3);
      row->versions[i].replica = (guint32) sqlite3_column_int64 (other, 4);
    }
  else
    return TRUE;
  row->merged = TRUE;   /* computed fields follow */
  return row_save (self, row, error);
}

static gint64
remap_stamp (GHashTable *map,
             gint64      stamp,
             gint64      limit)
{
  gint64 *to = g_hash_table_lookup (map, &stamp);
  gint64 v = to ? *to : stamp;

  /* A base is always older than its change. */
  return v >= limit ? limit - 1 : v;
}

/* The created_at a put derived from the old stamp follows it. */
static char *
restamped_created_at (const char *value,
                      gint64      old_hlc,
                      gint64      new_hlc)
{
  g_autofree char *old_iso = jg_hlc_to_iso8601 (old_hlc);
  g_autofree char *old_text = string_to_canonical (old_iso);
  g_autofree char *new_iso = NULL;

  if (g_strcmp0 (value, old_text) != 0)
    return NULL;
  new_iso = jg_hlc_to_iso8601 (new_hlc);
  return string_to_canonical (new_iso);
}

/**
 * jg_store_restamp_unacked:
 *
 * After the clock offset was corrected (clock_skew from the server): gives
 * this replica's changes that no server has acknowledged new stamps from
 * the corrected clock, in their old order.  Bases that pointed at a
 * re-stamped change follow it, and so do the rows' field versions, so the
 * store stays consistent with its log.  Acknowledged changes are history
 * other replicas hold and are never touched.
 */
gboolean
jg_store_restamp_unacked (JgStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JgStmt) stmt = NULL;
  gint64 offset = jg_hlc_get_offset_ms (self->hlc);
  gint64 kept = 0;
  int rc;

  if (!jg_store_begin (self, error))
    return FALSE;

  stmt = jg_store_prepare (self,
                           "SELECT coalesce (max (hlc), 0) FROM change_entry "
                           "WHERE NOT (replica_idx = ? AND server_seq IS NULL)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    kept = sqlite3_column_int64 (stmt, 0);
  jg_stmt_release (g_steal_pointer (&stmt));

  stmt = jg_store_prepare (self,
                           "SELECT " JG_STORE_CHANGE_COLUMNS
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE c.replica_idx = ? AND c.server_seq IS NULL ORDER BY c.counter", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JgChange *u = jg_change_new ();

      g_ptr_array_add (list, u);
      if (!jg_store_read_change (self, stmt, u, error))
        goto fail;
    }
  jg_stmt_release (g_steal_pointer (&stmt));
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      goto fail;
    }

  /* The clock restarts from what others have seen, not from the wrong
   * stamps it handed out. */
  jg_hlc_free (self->hlc);
  self->hlc = jg_hlc_new (kept);
  jg_hlc_set_offset_ms (self->hlc, offset);

  for (guint i = 0; i < list->len; i++)
    {
      JgChange *u = list->pdata[i];

      if (!g_hash_table_contains (map, &u->hlc))
        g_hash_table_insert (map, g_memdup2 (&u->hlc, sizeof u->hlc),
                             g_memdup2 (&(gint64) { jg_hlc_now (self->hlc) }, sizeof (gint64)));
    }

  for (guint i = 0; i < list->len; i++)
    {
      JgChange *u = list->pdata[i];
      gint64 new_hlc = *(gint64 *) g_hash_table_lookup (map, &u->hlc);
      g_autofree char *value = NULL;

      if (strcmp (u->field, "created_at") == 0)
        value = restamped_created_at (u->value, u->hlc, new_hlc);
      stmt = jg_store_prepare (self,
                               "UPDATE change_entry SET hlc = ?, base = ?, rbase = ?, value = ? WHERE seq = ?",
                               error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, new_hlc);
      sqlite3_bind_int64 (stmt, 2, remap_stamp (map, u->base, new_hlc));
      sqlite3_bind_int64 (stmt, 3, remap_stamp (map, u->rbase, new_hlc));
      sqlite3_bind_text (stmt, 4, value ? value : u->value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, u->seq);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          jg_store_sqlite_error (self, error);
          goto fail;
        }
      jg_stmt_release (g_steal_pointer (&stmt));
      g_hash_table_insert (records, g_strdup (u->record), (gpointer) jg_entity_lookup (u->entity));
    }

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, records);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        const JgEntityDef *entity = value;
        g_autoptr(Row) row = NULL;

        if (entity == NULL)
          continue;
        if (!row_load (self, entity, key, &row, error))
          goto fail;
        if (row == NULL)
          continue;
        for (guint i = 0; i < entity->n_fields; i++)
          {
            FieldVersion *v = &row->versions[i];
            gint64 *to;

            if (v->replica != self->replica_idx || !(to = g_hash_table_lookup (map, &v->hlc)))
              continue;
            if (i == JG_COMMON_CREATED_AT)
              {
                g_autofree char *moved = restamped_created_at (row->values[i], v->hlc, *to);

                if (moved)
                  {
                    g_free (row->values[i]);
                    row->values[i] = g_steal_pointer (&moved);
                  }
              }
            v->base = remap_stamp (map, v->base, *to);
            v->rbase = remap_stamp (map, v->rbase, *to);
            v->hlc = *to;
          }
        if (!row_save (self, row, error))
          goto fail;
      }
  }

  if (!save_clock (self, error))
    goto fail;
  return jg_store_commit (self, error);

fail:
  jg_store_rollback (self);
  return FALSE;
}

/* ---- a fork: this store's history is another store's too ------------- */

/*
 * A store restored from a backup (or copied) shares its replica id with the
 * store it was copied from, and numbers its new changes from where the copy
 * was: numbers the server may already hold with other content.  Such a
 * store forks (jg-sync-client.c decides when): it goes on as a new replica,
 * and the old replica's changes become another replica's, which the server
 * then sends it like anybody's.
 */

/* The own changes a fork moves to the new replica: every one no server
 * has acknowledged with a seq (not sent, rejected, or marked done without
 * being sent), in counter order. */
#define FORK_MOVED_WHERE "c.replica_idx = ?1 AND (c.server_seq IS NULL OR c.server_seq = 0)"

/**
 * jg_store_fork_point:
 *
 * The highest n up to which this store holds every change of its replica
 * that a server may hold: just before the first change a fork would move,
 * or the last counter when it would move none.
 */
gboolean
jg_store_fork_point (JgStore  *self,
                     gint64   *after,
                     GError  **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self,
                                             "SELECT min (c.counter) FROM change_entry c WHERE " FORK_MOVED_WHERE,
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (self, error);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *after = sqlite3_column_int64 (stmt, 0) - 1;
  else
    *after = MAX (get_meta_int (self, "counter", 0), self->counter);
  return TRUE;
}

/* One change a fork moves. */
typedef struct
{
  JgChange *change;   /* its seq and old counter, record, field, stamp */
  gboolean  unsent;   /* server_seq NULL; else marked done, never sent */
} Moved;

static void
moved_clear (gpointer data)
{
  g_clear_pointer (&((Moved *) data)->change, jg_change_free);
}

static GArray *
fork_moved (JgStore  *self,
            GError  **error)
{
  g_autoptr(GArray) moved = g_array_new (FALSE, TRUE, sizeof (Moved));
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  g_array_set_clear_func (moved, moved_clear);
  stmt = jg_store_prepare (self,
                           "SELECT " JG_STORE_CHANGE_COLUMNS ", c.server_seq IS NULL "
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE " FORK_MOVED_WHERE " ORDER BY c.counter", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->replica_idx);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Moved m = { jg_change_new (), sqlite3_column_int (stmt, 10) != 0 };

      g_array_append_val (moved, m);
      if (!jg_store_read_change (self, stmt, m.change, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&moved);
}

/* Moves the changes to the new replica, numbered from 1 in their order,
 * and their quarantine entries with them; any other entry named a number
 * of the old replica and is dropped. */
static gboolean
fork_renumber (JgStore  *self,
               GArray   *moved,
               GError  **error)
{
  static const char * const tail[] = {
    "DELETE FROM sync_rejected WHERE counter > 0",
    "UPDATE sync_rejected SET counter = - counter",
  };

  for (guint i = 0; i < moved->len; i++)
    {
      const JgChange *c = g_array_index (moved, Moved, i).change;
      g_autoptr(JgStmt) stmt = NULL;

      stmt = jg_store_prepare (self, "UPDATE change_entry SET replica_idx = ?, counter = ? WHERE seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, self->replica_idx);
      sqlite3_bind_int64 (stmt, 2, (gint64) i + 1);
      sqlite3_bind_int64 (stmt, 3, c->seq);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
      jg_stmt_release (g_steal_pointer (&stmt));

      /* Negative until the old numbers are gone: never two on one number. */
      stmt = jg_store_prepare (self, "UPDATE sync_rejected SET counter = ? WHERE counter = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, - ((gint64) i + 1));
      sqlite3_bind_int64 (stmt, 2, c->counter);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
    if (!jg_store_exec (self, tail[i], error))
      return FALSE;
  return TRUE;
}

/* The rows' field versions written by the moved unsent changes now name
 * the new replica, as the server will.  A version is matched by record,
 * field and stamp: one that a sent change of the same write holds keeps
 * the old replica. */
static gboolean
fork_retag_rows (JgStore  *self,
                 GArray   *moved,
                 guint32   old_idx,
                 GError  **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < moved->len; i++)
    {
      const Moved *m = &g_array_index (moved, Moved, i);

      if (!m->unsent)
        continue;   /* marked done: a later change holds its field */
      g_hash_table_add (keys, g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT,
                                               m->change->record, m->change->field, m->change->hlc));
      g_hash_table_insert (records, g_strdup (m->change->record), (gpointer) jg_entity_lookup (m->change->entity));
    }

  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const JgEntityDef *entity = value;
      g_autoptr(Row) row = NULL;
      gboolean changed = FALSE;

      if (entity == NULL)
        continue;
      if (!row_load (self, entity, key, &row, error))
        return FALSE;
      if (row == NULL)
        continue;
      for (guint i = 0; i < entity->n_fields; i++)
        {
          FieldVersion *v = &row->versions[i];
          g_autofree char *k = NULL;

          if (v->replica != old_idx)
            continue;
          k = g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT, (const char *) key, entity->fields[i].name, v->hlc);
          if (g_hash_table_contains (keys, k))
            {
              v->replica = self->replica_idx;
              changed = TRUE;
            }
        }
      if (changed && !row_save (self, row, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * jg_store_fork:
 * @new_replica: a replica id nobody has used (jg_replica_id_new())
 *
 * Makes this store the replica @new_replica, in one transaction: the own
 * changes no server has acknowledged (jg_store_fork_point()) are numbered
 * again from 1 under it, in their order, with their stamps, bases and
 * values; the rows' versions they wrote and their quarantine entries
 * follow them.  Changes a server acknowledged stay the old replica's.
 * The caller lifts the quarantine of what was refused only for reusing a
 * number, and sets what its server needs (jg-sync-client.c).
 */
gboolean
jg_store_fork (JgStore     *self,
               const char  *new_replica,
               GError     **error)
{
  g_autoptr(GArray) moved = NULL;
  g_autofree char *old_replica = NULL;
  guint32 old_idx = self->replica_idx;
  gint64 old_counter = self->counter;

  g_return_val_if_fail (jg_replica_id_valid (new_replica), FALSE);

  if (!jg_store_begin (self, error))
    return FALSE;
  old_idx = self->replica_idx;
  old_counter = self->counter;
  old_replica = g_strdup (self->replica_id);
  if ((moved = fork_moved (self, error)) == NULL ||
      !replica_lookup (self, new_replica, TRUE, &self->replica_idx, error))
    goto fail;
  g_free (self->replica_id);
  self->replica_id = g_strdup (new_replica);
  self->counter = moved->len;
  if (!fork_renumber (self, moved, error) ||
      !fork_retag_rows (self, moved, old_idx, error) ||
      !jg_store_set_meta (self, "replica_id", new_replica, error) ||
      !save_clock (self, error))
    goto fail;
  if (jg_store_commit (self, error))
    return TRUE;
  goto undone;

fail:
  jg_store_rollback (self);
undone:
  g_free (self->replica_id);
  self->replica_id = g_steal_pointer (&old_replica);
  self->replica_idx = old_idx;
  self->counter = old_counter;
  return FALSE;
}

/**
 * jg_store_resolve_conflict:
 *
 * A reviewer's decision on a hard conflict: a new local change to the
 * conflict's field whose base covers both sides, written even when the
 * chosen value is the one that won the merge (a put would write nothing
 * then).  Every store that receives the change settles the conflict.
 * Returns the id of the new change.
 */
char *
jg_store_resolve_conflict (JgStore     *self,
                           const char  *conflict_id,
                           JsonNode    *value,
                           GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(Row) row = NULL;
  g_autoptr(JgChange) change = NULL;
  g_autofree char *entity_name = NULL;
  g_autofree char *record = NULL;
  g_autofree char *field = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(JsonObject) old_record = NULL;
  g_autoptr(JsonObject) new_record = NULL;
  const JgEntityDef *entity;
  const JgFieldDef *f;
  gint64 a_hlc = 0, b_hlc = 0, hlc;
  int fi = -1;

  stmt = jg_store_prepare (self,
                           "SELECT kind, entity, record_id, field, a_hlc, b_hlc FROM conflict "
                           "WHERE id = ? AND resolved_by IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("There is no open conflict %s"), conflict_id);
      return NULL;
    }
  kind = g_strdup (jg_stmt_text (stmt, 0));
  entity_name = g_strdup (jg_stmt_text (stmt, 1));
  record = g_strdup (jg_stmt_text (stmt, 2));
  field = g_strdup (jg_stmt_text (stmt, 3));
  a_hlc = sqlite3_column_int64 (stmt, 4);
  b_hlc = sqlite3_column_int64 (stmt, 5);
  jg_stmt_release (g_steal_pointer (&stmt));

  entity = jg_entity_lookup (entity_name);
  f = entity ? jg_entity_field (entity, field, &fi) : NULL;
  if (f == NULL || strcmp (kind, "hard") != 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_CONFLICT,
                   _("Only a conflict over one field's value can be decided with a value"));
      return NULL;
    }
  if (!jg_field_check_type (f, value, error))
    return NULL;

  if (!jg_store_begin (self, error))
    return NULL;
  if (!row_load (self, entity, record, &row, error))
    goto fail;
  if (row == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("There is no %s with id %s"), jg_entity_label (entity->name), record);
      goto fail;
    }

  /* Deciding is a reviewer's act, whatever the value: a village laptop
   * that settled a conflict would settle it for every laptop, and the
   * reviewer would never see it. */
  old_record = row_to_record (row);
  if (!jg_review_store_may_resolve (self, jg_json_get_string (old_record, "org_unit"), field, error))
    goto fail;

  /* The chosen value is a write like any other: the same rules judge it,
   * and what they add (an inspection's scores computed again) is written
   * with it.  Not the step back to review an edit of approved content
   * takes: the one deciding is a reviewer who may approve it, and she chose
   * the value having seen both, so her decision keeps the approval. */
  new_record = row_to_record (row);
  json_object_set_member (new_record, field, normalize_value (f, value));
  if (!jg_rules_check_write (self, entity, old_record, new_record, error))
    goto fail;
  if (strcmp (field, "review_state") != 0 &&
      g_strcmp0 (jg_json_get_string (old_record, "review_state"), "approved") == 0 &&
      g_strcmp0 (jg_json_get_string (new_record, "review_state"), "submitted") == 0)
    json_object_set_string_member (new_record, "review_state", "approved");

  hlc = jg_hlc_now (self->hlc);
  /* Its base covers both sides: it settles the conflict. */
  if (!write_fields (self, row, new_record, hlc, fi, MAX (row->versions[fi].hlc, MAX (a_hlc, b_hlc)), NULL,
                     NULL, &change, error))
    goto fail;
  if (!row_save (self, row, error) || !save_clock (self, error))
    goto fail;
  if (!jg_store_commit (self, error))
    return NULL;
  return jg_change_dup_id (change);

fail:
  jg_store_rollback (self);
  return NULL;
}

/* ---- queries for the app: filtered lists ---- */

/* search_where() narrowed to records whose fields hold the given text
 * values (?6, ?7, …).  Field names come from jg-entity.c; a name that is
 * not a text-like field of the entity is an error, never pasted. */
static char *
search_where_equal (const JgEntityDef *entity,
                    JsonObject        *equal,
                    GPtrArray         *values,
                    GError           **error)
{
  g_autofree char *base = search_where (entity);
  g_autoptr(GString) sql = g_string_new (base);
  g_autoptr(GList) names = equal ? json_object_get_members (equal) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      const JgFieldDef *f = jg_entity_field (entity, l->data, NULL);
      JsonNode *node = json_object_get_member (equal, l->data);

      if (f == NULL ||
          (f->type != JG_FIELD_TEXT && f->type != JG_FIELD_ENUM &&
           f->type != JG_FIELD_REF && f->type != JG_FIELD_UNIT) ||
          !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, l->data,
                              _("Records cannot be filtered by “%s”"), (const char *) l->data);
          return NULL;
        }
      g_ptr_array_add (values, (gpointer) json_node_get_string (node));
      g_string_append_printf (sql, " AND \"%s\" = ?%u", f->name, 5 + values->len);
    }
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static void
equal_bind (JgStmt    *stmt,
            GPtrArray *values)
{
  for (guint i = 0; i < values->len; i++)
    sqlite3_bind_text (stmt, 6 + (int) i, g_ptr_array_index (values, i), -1, SQLITE_TRANSIENT);
}

/* jg_store_count() keeping only the records whose fields equal the
 * string members of @equal (e.g. {"review_state": "submitted"}). */
gint64
jg_store_count_where (JgStore           *self,
                      const char        *entity_name,
                      const JgListQuery *query,
                      const char        *search,
                      JsonObject        *equal,
                      GError           **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  JgListQuery defaults = { 0 };
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pattern = search_pattern (search);
  g_autoptr(JgStmt) stmt = NULL;

  g_return_val_if_fail (JG_IS_STORE (self), -1);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return -1;
    }
  if (query == NULL)
    query = &defaults;

  where = search_where_equal (entity, equal, values, error);
  if (where == NULL)
    return -1;
  sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" %s", entity->name, where);
  stmt = jg_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  search_bind (stmt, query, pattern);
  equal_bind (stmt, values);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      jg_store_sqlite_error (self, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* jg_store_search() with the filter of jg_store_count_where(). */
JsonArray *
jg_store_search_where (JgStore           *self,
                       const char        *entity_name,
                       const JgListQuery *query,
                       const char        *search,
                       JsonObject        *equal,
                       GError           **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  JgListQuery defaults = { 0 };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *where = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *pattern = search_pattern (search);
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (self), NULL);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }
  if (query == NULL)
    query = &defaults;

  where = search_where_equal (entity, equal, values, error);
  if (where == NULL)
    return NULL;
  tail = g_strconcat (where, " ORDER BY id DESC LIMIT ?4 OFFSET ?5", NULL);
  stmt = jg_store_prepare (self, select_sql (self, entity, tail), error);
  if (stmt == NULL)
    return NULL;
  search_bind (stmt, query, pattern);
  sqlite3_bind_int64 (stmt, 4, query->limit ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, 5, query->offset);
  equal_bind (stmt, values);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(Row) row = row_from_stmt (entity, stmt);

      json_array_add_object_element (array, row_to_json (row));
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}

/* ---- snapshots: a new device's first sync ----------------------------------- */

static gboolean
version_equal (const FieldVersion *a,
               const FieldVersion *b)
{
  return a->hlc == b->hlc && a->base == b->base && a->rbase == b->rbase && a->replica == b->replica;
}

/* One page of the current state of the records whose unit lies under
 * @path_prefix, with every field's version, in the order of the entity list
 * then of rows; (*entity_pos, *after_rowid) is where the page starts and,
 * on return, where the next one does (*entity_pos past the last entity:
 * done).  Writes the members "records" and "replicas" into @b.
 *
 * A record is {"e": entity, "id": id, "s": [[hlc, base, rbase, r], …],
 * "f": [[field, value, stamp], …]}: the record's distinct versions once,
 * each field pointing at one, r indexing "replicas".  Fields never written
 * are left out. */
gboolean
jg_store_snapshot_page (JgStore      *self,
                        const char   *path_prefix,
                        guint        *entity_pos,
                        gint64       *after_rowid,
                        guint         limit,
                        JgJsonWriter *b,
                        GError      **error)
{
  guint n_entities;
  const JgEntityDef * const *entities = jg_entity_all (&n_entities);
  g_autoptr(GHashTable) page_replicas = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) replica_ids = g_ptr_array_new ();
  guint n = 0;

  jg_json_writer_member (b, "records");
  jg_json_writer_begin_array (b);
  while (*entity_pos < n_entities && n < limit)
    {
      const JgEntityDef *entity = entities[*entity_pos];
      g_autoptr(GString) sql = g_string_new ("SELECT t.rowid_, t.id, t._v");
      g_autoptr(JgStmt) stmt = NULL;
      g_autofree FieldVersion *versions = g_new0 (FieldVersion, entity->n_fields);
      g_autofree FieldVersion *stamps = g_new0 (FieldVersion, entity->n_fields);
      guint got = 0;
      int rc;

      /* Identifiers come from jg-entity.c, never from input. */
      for (guint i = 0; i < entity->n_fields; i++)
        g_string_append_printf (sql, ", t.\"%s\"", entity->fields[i].name);
      g_string_append_printf (sql, " FROM \"%s\" t JOIN record_scope s ON s.record_id = t.id "
                                   "WHERE t.rowid_ > ?1 AND substr (s.path, 1, length (?2)) = ?2 "
                                   "ORDER BY t.rowid_ LIMIT ?3", entity->name);
      stmt = jg_store_prepare (self, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *after_rowid);
      sqlite3_bind_text (stmt, 2, path_prefix, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, limit - n);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          guint n_stamps = 0;

          got++;
          *after_rowid = sqlite3_column_int64 (stmt, 0);
          unpack_versions (entity, sqlite3_column_blob (stmt, 2), (gsize) sqlite3_column_bytes (stmt, 2),
                           versions);
          jg_json_writer_begin_object (b);
          jg_json_writer_member (b, "e");
          jg_json_writer_string (b, entity->name);
          jg_json_writer_member (b, "id");
          jg_json_writer_string (b, jg_stmt_text (stmt, 1));

          jg_json_writer_member (b, "s");
          jg_json_writer_begin_array (b);
          for (guint i = 0; i < entity->n_fields; i++)
            {
              FieldVersion *v = &versions[i];
              guint k;

              if (v->hlc == 0)
                continue;
              for (k = 0; k < n_stamps; k++)
                if (version_equal (&stamps[k], v))
                  break;
              if (k < n_stamps)
                continue;
              stamps[n_stamps++] = *v;
              if (!g_hash_table_contains (page_replicas, GUINT_TO_POINTER (v->replica)))
                {
                  g_hash_table_insert (page_replicas, GUINT_TO_POINTER (v->replica),
                                       GUINT_TO_POINTER (replica_ids->len));
                  g_ptr_array_add (replica_ids, (gpointer) replica_name (self, v->replica));
                }
              jg_json_writer_begin_array (b);
              jg_json_writer_int (b, v->hlc);
              jg_json_writer_int (b, v->base);
              jg_json_writer_int (b, v->rbase);
              jg_json_writer_int (b, GPOINTER_TO_UINT (g_hash_table_lookup (page_replicas,
                                                                                    GUINT_TO_POINTER (v->replica))));
              jg_json_writer_end_array (b);
            }
          jg_json_writer_end_array (b);

          jg_json_writer_member (b, "f");
          jg_json_writer_begin_array (b);
          for (guint i = 0; i < entity->n_fields; i++)
            {
              const JgFieldDef *f = &entity->fields[i];
              int col = 3 + (int) i;
              guint k;

              if (versions[i].hlc == 0)
                continue;
              for (k = 0; k < n_stamps; k++)
                if (version_equal (&stamps[k], &versions[i]))
                  break;
              jg_json_writer_begin_array (b);
              jg_json_writer_string (b, f->name);
              if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
                jg_json_writer_null (b);
              else if (field_is_textual (f->type))
                jg_json_writer_string (b, jg_stmt_text (stmt, col));
              else if (f->type == JG_FIELD_INT)
                jg_json_writer_int (b, sqlite3_column_int64 (stmt, col));
              else if (f->type == JG_FIELD_BOOL)
                jg_json_writer_boolean (b, sqlite3_column_int64 (stmt, col) != 0);
              else if (f->type == JG_FIELD_REAL)
                {
                  g_autoptr(JsonNode) value = json_node_init_double (json_node_alloc (),
                                                                     sqlite3_column_double (stmt, col));

                  jg_json_writer_node (b, value);
                }
              else
                jg_json_writer_raw (b, jg_stmt_text (stmt, col));   /* canonical JSON text */
              jg_json_writer_int (b, k);
              jg_json_writer_end_array (b);
            }
          jg_json_writer_end_array (b);
          jg_json_writer_end_object (b);
          n++;
        }
      if (rc != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
      if (n < limit || got == 0)
        {
          /* This entity is done. */
          (*entity_pos)++;
          *after_rowid = 0;
        }
    }
  jg_json_writer_end_array (b);

  jg_json_writer_member (b, "replicas");
  jg_json_writer_begin_array (b);
  for (guint i = 0; i < replica_ids->len; i++)
    jg_json_writer_string (b, replica_ids->pdata[i]);
  jg_json_writer_end_array (b);
  return TRUE;
}

static gboolean
snapshot_malformed (GError **error)
{
  g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The server sent a snapshot this version cannot read"));
  return FALSE;
}

typedef struct
{
  int       field;   /* index in the entity */
  JsonNode *value;
  gint64    stamp;   /* index in the record's stamps */
} SnapshotField;

static void
snapshot_field_clear (gpointer data)
{
  SnapshotField *f = data;

  g_clear_pointer (&f->value, json_node_unref);
}

static void
clear_string (gpointer data)
{
  g_free (*(char **) data);
}

/* One record of a page: {"e", "id", "s": [[hlc, base, rbase, r], …],
 * "f": [[field, value, stamp], …]}, members in any order. */
static gboolean
snapshot_read_record (JgJsonReader       *r,
                      const JgEntityDef **entity,
                      char              **id,
                      GArray             *stamps,
                      GArray             *fields)
{
  g_autofree char *entity_name = NULL;
  g_autoptr(GArray) field_names = g_array_new (FALSE, FALSE, sizeof (char *));

  g_array_set_clear_func (field_names, clear_string);
  if (!jg_json_reader_begin (r, '{'))
    return FALSE;
  while (jg_json_reader_next (r, '}'))
    {
      g_autofree char *name = jg_json_reader_member (r);

      if (name == NULL)
        return FALSE;
      if (strcmp (name, "e") == 0)
        {
          g_free (entity_name);
          if ((entity_name = jg_json_reader_string (r)) == NULL)
            return FALSE;
        }
      else if (strcmp (name, "id") == 0)
        {
          g_free (*id);
          if ((*id = jg_json_reader_string (r)) == NULL)
            return FALSE;
        }
      else if (strcmp (name, "s") == 0)
        {
          g_array_set_size (stamps, 0);
          if (!jg_json_reader_begin (r, '['))
            return FALSE;
          while (jg_json_reader_next (r, ']'))
            {
              gint64 v[4];

              if (!jg_json_reader_begin (r, '['))
                return FALSE;
              for (int k = 0; k < 4; k++)
                if (!jg_json_reader_next (r, ']') || !jg_json_reader_int (r, &v[k]))
                  return FALSE;
              if (jg_json_reader_next (r, ']'))
                return FALSE;
              g_array_append_vals (stamps, v, 4);
            }
        }
      else if (strcmp (name, "f") == 0)
        {
          g_array_set_size (fields, 0);
          g_array_set_size (field_names, 0);
          if (!jg_json_reader_begin (r, '['))
            return FALSE;
          while (jg_json_reader_next (r, ']'))
            {
              SnapshotField f = { -1, NULL, -1 };
              char *field_name;

              if (!jg_json_reader_begin (r, '[') || !jg_json_reader_next (r, ']') ||
                  (field_name = jg_json_reader_string (r)) == NULL)
                return FALSE;
              g_array_append_val (field_names, field_name);
              if (!jg_json_reader_next (r, ']') || (f.value = jg_json_reader_value (r)) == NULL)
                return FALSE;
              g_array_append_val (fields, f);
              if (!jg_json_reader_next (r, ']') ||
                  !jg_json_reader_int (r, &g_array_index (fields, SnapshotField, fields->len - 1).stamp) ||
                  jg_json_reader_next (r, ']'))
                return FALSE;
            }
        }
      else
        {
          const char *start;
          gsize len;

          if (!jg_json_reader_skip (r, &start, &len))
            return FALSE;
        }
    }

  *entity = entity_name ? jg_entity_lookup (entity_name) : NULL;
  if (*entity == NULL)
    return FALSE;
  for (guint k = 0; k < fields->len; k++)
    {
      SnapshotField *f = &g_array_index (fields, SnapshotField, k);

      f->field = jg_entity_field_index (*entity, g_array_index (field_names, char *, k));
      if (f->field < 0)
        return FALSE;
    }
  return TRUE;
}

/* Writes one page of jg_store_snapshot_page() in one transaction: @records
 * is the text of its "records" array (checked by jg_json_check()), read
 * record by record without building it.  A record this store does not
 * have is written as it is: row and versions, no change log (the server
 * keeps the history) and nothing to merge.  A record it has (its own, or a
 * page sent again after an interruption) is merged field by field with the
 * usual rules, conflicts included. */
gboolean
jg_store_apply_snapshot (JgStore    *self,
                         const char *records,
                         gsize       records_length,
                         JsonArray  *replicas,
                         guint      *n_records,
                         guint      *n_conflicts,
                         GError    **error)
{
  guint n_replicas = json_array_get_length (replicas);
  g_autofree guint32 *replica_map = g_new0 (guint32, MAX (n_replicas, 1));
  g_autoptr(GArray) raw_stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (SnapshotField));
  JgJsonReader reader;
  gint64 max_hlc = 0;
  guint conflicts = 0;

  g_array_set_clear_func (fields, snapshot_field_clear);
  if (!jg_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_replicas; i++)
    {
      JsonNode *node = json_array_get_element (replicas, i);
      const char *id = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                       ? json_node_get_string (node) : NULL;

      if (id == NULL || !jg_replica_id_valid (id))
        {
          snapshot_malformed (error);
          goto fail;
        }
      if (!replica_lookup (self, id, TRUE, &replica_map[i], error))
        goto fail;
    }

  jg_json_reader_init (&reader, records, records_length);
  if (!jg_json_reader_begin (&reader, '['))
    {
      snapshot_malformed (error);
      goto fail;
    }
  while (jg_json_reader_next (&reader, ']'))
    {
      const JgEntityDef *entity = NULL;
      g_autofree char *id = NULL;
      g_autofree FieldVersion *stamps = NULL;
      guint n_stamps;
      g_autoptr(Row) row = NULL;
      gboolean fresh;

      g_array_set_size (raw_stamps, 0);
      g_array_set_size (fields, 0);
      if (!snapshot_read_record (&reader, &entity, &id, raw_stamps, fields) ||
          id == NULL || !jg_uuid_valid (id))
        {
          snapshot_malformed (error);
          goto fail;
        }
      n_stamps = raw_stamps->len / 4;
      stamps = g_new0 (FieldVersion, MAX (n_stamps, 1));
      for (guint k = 0; k < n_stamps; k++)
        {
          const gint64 *v = &g_array_index (raw_stamps, gint64, k * 4);

          if (v[3] < 0 || v[3] >= n_replicas || v[0] <= 0)
            {
              snapshot_malformed (error);
              goto fail;
            }
          stamps[k] = (FieldVersion) { v[0], v[1], v[2], replica_map[v[3]] };
          max_hlc = MAX (max_hlc, v[0]);
        }

      if (!row_load (self, entity, id, &row, error))
        goto fail;
      fresh = row == NULL;
      if (fresh)
        row = row_new_empty (entity, id);

      for (guint k = 0; k < fields->len; k++)
        {
          SnapshotField *sf = &g_array_index (fields, SnapshotField, k);
          const JgFieldDef *f = &entity->fields[sf->field];
          gint64 si = sf->stamp;
          g_autoptr(JsonNode) value = NULL;
          g_autofree char *text = NULL;
          int fi = sf->field;

          if (si < 0 || si >= n_stamps)
            {
              snapshot_malformed (error);
              goto fail;
            }
          value = normalize_value (f, sf->value);
          if (!JSON_NODE_HOLDS_NULL (value) && !jg_field_check_type (f, value, NULL))
            {
              snapshot_malformed (error);
              goto fail;
            }
          text = jg_json_canonical (value);

          if (fresh)
            {
              g_free (row->values[fi]);
              row->values[fi] = g_steal_pointer (&text);
              row->versions[fi] = stamps[si];
            }
          else
            {
              g_autoptr(JgChange) change = jg_change_new ();

              if (version_equal (&row->versions[fi], &stamps[si]))
                continue;   /* already this version */
              change->replica = g_strdup (replica_name (self, stamps[si].replica));
              change->entity = g_strdup (entity->name);
              change->record = g_strdup (id);
              change->field = g_strdup (f->name);
              change->value = g_steal_pointer (&text);
              change->hlc = stamps[si].hlc;
              change->base = stamps[si].base;
              change->rbase = stamps[si].rbase;
              if (!merge_one (self, row, change, stamps[si].replica, &conflicts, error))
                goto fail;
            }
        }
      if (!row_save (self, row, error))
        goto fail;
      if (n_records)
        (*n_records)++;
    }
  if (jg_json_reader_peek (&reader) != '\0')
    {
      snapshot_malformed (error);
      goto fail;
    }

  if (max_hlc > 0 && !jg_hlc_receive (self->hlc, max_hlc, error))
    goto fail;
  if (!save_clock (self, error))
    goto fail;
  if (!jg_store_commit (self, error))
    return FALSE;
  if (n_conflicts)
    *n_conflicts += conflicts;
  return TRUE;

fail:
  jg_store_rollback (self);
  return FALSE;
}

/* ---- a snapshot's conflicts ------------------------------------------ */

/* The columns of a conflict, in the order jg_store_snapshot_conflicts()
 * writes them and jg_store_add_snapshot_conflicts() reads them. */
#define CONFLICT_COLUMNS "id, kind, entity, record_id, field, " \
                         "a_field, a_value, a_hlc, a_replica, a_author, " \
                         "b_field, b_value, b_hlc, b_replica, b_author, " \
                         "detected_at, resolved_by, resolved_at"
enum { CONFLICT_N_COLUMNS = 18, CONFLICT_A_HLC = 7, CONFLICT_B_HLC = 12 };

/* The conflicts recorded for the records under @path_prefix, settled or
 * not, as the member "conflicts" of @b: one array per conflict, its
 * columns in the order of CONFLICT_COLUMNS.  A snapshot's last page
 * carries them, so that a new device lists the conflicts a device that
 * replayed the history would have recorded. */
gboolean
jg_store_snapshot_conflicts (JgStore      *self,
                             const char   *path_prefix,
                             JgJsonWriter *b,
                             GError      **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (self,
                           "SELECT " CONFLICT_COLUMNS " FROM conflict WHERE record_id IN "
                           "(SELECT record_id FROM record_scope WHERE substr (path, 1, length (?1)) = ?1) "
                           "ORDER BY rowid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, path_prefix, -1, SQLITE_STATIC);
  jg_json_writer_member (b, "conflicts");
  jg_json_writer_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      jg_json_writer_begin_array (b);
      for (int i = 0; i < CONFLICT_N_COLUMNS; i++)
        {
          if (i == CONFLICT_A_HLC || i == CONFLICT_B_HLC)
            jg_json_writer_int (b, sqlite3_column_int64 (stmt, i));
          else if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            jg_json_writer_null (b);
          else
            jg_json_writer_string (b, jg_stmt_text (stmt, i));
        }
      jg_json_writer_end_array (b);
    }
  jg_json_writer_end_array (b);
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

/* One conflict of a snapshot's "conflicts" read into @text and @hlc; FALSE
 * if it is not in the shape jg_store_snapshot_conflicts() writes. */
static gboolean
snapshot_conflict_read (JsonNode   *node,
                        const char *text[CONFLICT_N_COLUMNS],
                        gint64      hlc[2])
{
  /* The columns that may be NULL: the authors, and who settled it when. */
  static const gboolean nullable[CONFLICT_N_COLUMNS] = {
    [9] = TRUE, [14] = TRUE, [16] = TRUE, [17] = TRUE,
  };
  JsonArray *a;

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (a = json_node_get_array (node)) != CONFLICT_N_COLUMNS)
    return FALSE;
  for (int i = 0; i < CONFLICT_N_COLUMNS; i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      text[i] = NULL;
      if (i == CONFLICT_A_HLC || i == CONFLICT_B_HLC)
        {
          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
              json_node_get_int (e) <= 0)
            return FALSE;
          hlc[i == CONFLICT_B_HLC] = json_node_get_int (e);
        }
      else if (JSON_NODE_HOLDS_NULL (e) && nullable[i])
        continue;
      else if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        text[i] = json_node_get_string (e);
      else
        return FALSE;
    }
  return TRUE;
}

/* Whether @text[] (from snapshot_conflict_read()) is a conflict of this
 * domain: known kind, entity and fields, JSON values, both or neither of
 * who settled it and when. */
static const JgEntityDef *
snapshot_conflict_entity (const char *text[CONFLICT_N_COLUMNS])
{
  const JgEntityDef *entity = jg_entity_lookup (text[2]);

  if (entity == NULL ||
      (strcmp (text[1], "hard") != 0 && strcmp (text[1], "soft") != 0 && strcmp (text[1], "delete") != 0) ||
      jg_entity_field_index (entity, text[4]) < 0 ||
      jg_entity_field_index (entity, text[5]) < 0 ||
      jg_entity_field_index (entity, text[10]) < 0 ||
      !jg_json_check (text[6], strlen (text[6]), NULL) ||
      !jg_json_check (text[11], strlen (text[11]), NULL) ||
      !jg_uuid_valid (text[3]) || !jg_replica_id_valid (text[8]) || !jg_replica_id_valid (text[13]) ||
      (text[16] == NULL) != (text[17] == NULL))
    return NULL;
  return entity;
}

/* Records the conflicts of a snapshot's last page (its member "conflicts",
 * from jg_store_snapshot_conflicts(); NULL from a server without them) in
 * the transaction the caller holds.  One whose record this store does not
 * hold is skipped; one it knows keeps its own, except that the settling
 * change SETTLES_BEFORE picks wins.  The clock moves past
 * their stamps, as past a page's.  *n_open counts the unsettled ones that
 * were new here. */
gboolean
jg_store_add_snapshot_conflicts (JgStore    *self,
                                 JsonNode   *member,
                                 guint      *n_open,
                                 GError    **error)
{
  JsonArray *conflicts;
  gint64 max_hlc = 0;

  *n_open = 0;
  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return snapshot_malformed (error);
  conflicts = json_node_get_array (member);
  for (guint k = 0; k < json_array_get_length (conflicts); k++)
    {
      const char *text[CONFLICT_N_COLUMNS];
      gint64 hlc[2];
      const JgEntityDef *entity;
      g_autoptr(JgStmt) known = NULL;
      g_autoptr(JgStmt) has_record = NULL;
      g_autoptr(JgStmt) upsert = NULL;
      g_autofree char *sql = NULL;
      gboolean is_new;
      int rc;

      if (!snapshot_conflict_read (json_array_get_element (conflicts, k), text, hlc) ||
          !(entity = snapshot_conflict_entity (text)))
        return snapshot_malformed (error);
      max_hlc = MAX (max_hlc, MAX (hlc[0], hlc[1]));

      /* Identifiers come from jg-entity.c, never from input. */
      sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE id = ?", entity->name);
      has_record = jg_store_prepare (self, sql, error);
      if (has_record == NULL)
        return FALSE;
      sqlite3_bind_text (has_record, 1, text[3], -1, SQLITE_STATIC);
      rc = sqlite3_step (has_record);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        return jg_store_sqlite_error (self, error);

      known = jg_store_prepare (self, "SELECT 1 FROM conflict WHERE id = ?", error);
      if (known == NULL)
        return FALSE;
      sqlite3_bind_text (known, 1, text[0], -1, SQLITE_STATIC);
      rc = sqlite3_step (known);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
      is_new = rc == SQLITE_DONE;

      upsert = jg_store_prepare (self,
                                 "INSERT INTO conflict (" CONFLICT_COLUMNS ") "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
                                 "ON CONFLICT (id) DO UPDATE SET resolved_by = excluded.resolved_by, "
                                 "resolved_at = excluded.resolved_at "
                                 "WHERE excluded.resolved_by IS NOT NULL AND (conflict.resolved_by IS NULL OR "
                                 SETTLES_BEFORE ("excluded.resolved_at", "excluded.resolved_by",
                                                 "conflict.resolved_at", "conflict.resolved_by") ")",
                                 error);
      if (upsert == NULL)
        return FALSE;
      for (int i = 0; i < CONFLICT_N_COLUMNS; i++)
        {
          if (i == CONFLICT_A_HLC || i == CONFLICT_B_HLC)
            sqlite3_bind_int64 (upsert, i + 1, hlc[i == CONFLICT_B_HLC]);
          else if (text[i] != NULL)
            sqlite3_bind_text (upsert, i + 1, text[i], -1, SQLITE_STATIC);
        }
      if (sqlite3_step (upsert) != SQLITE_DONE)
        return jg_store_sqlite_error (self, error);
      if (is_new && text[16] == NULL)
        (*n_open)++;
    }
  if (max_hlc > 0 && (!jg_hlc_receive (self->hlc, max_hlc, error) || !save_clock (self, error)))
    return FALSE;
  return TRUE;
}

/* ---- queries for the app: the state of sync ---- */

static gint64
count_query (JgStore     *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      jg_store_sqlite_error (self, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* What the app shows about sync: the sync_state strings (server_url,
 * username, role, org_unit, last_sync), "signed_in" (a token is kept), "demo"
 * (the demo generator wrote to this store) and
 * the counts "pending" (records with changes of this replica the server has
 * not acknowledged, rejected ones aside: one edited record is one, however
 * many fields changed), "rejected" (refused changes), "rejected_records"
 * (the records they belong to, once for each code and field of the
 * refusal) and "conflicts"
 * (unresolved). */
JsonObject *
jg_store_sync_status (JgStore  *self,
                      GError  **error)
{
  static const char * const keys[] = { "server_url", "username", "role", "org_unit", "last_sync" };
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JgStmt) stmt = NULL;
  gboolean signed_in = FALSE;
  gint64 pending, rejected, rejected_records, conflicts;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (self), NULL);

  stmt = jg_store_prepare (self, "SELECT key, value FROM sync_state", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = jg_stmt_text (stmt, 0);

      if (g_strcmp0 (key, "token") == 0)
        signed_in = jg_stmt_text (stmt, 1) != NULL && *jg_stmt_text (stmt, 1) != '\0';
      else if (g_strv_contains (keys, key))
        json_object_set_string_member (o, key, jg_stmt_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }

  /* The replica the store is now: another connection may have forked it. */
  pending = count_query (self,
                         "SELECT count (DISTINCT c.record) FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                         "WHERE r.replica_id = (SELECT value FROM meta WHERE key = 'replica_id') "
                         "AND c.server_seq IS NULL "
                         "AND c.counter NOT IN (SELECT counter FROM sync_rejected)", error);
  if (pending < 0)
    return NULL;
  rejected = count_query (self, "SELECT count (*) FROM sync_rejected", error);
  if (rejected < 0)
    return NULL;
  /* A record refused whole (out of the user's area, say) is one problem,
   * however many of its fields were sent: one for each record, refusal
   * code and field the refusal names, as the app shows them. */
  rejected_records = count_query (self,
                                  "SELECT count (*) FROM (SELECT DISTINCT c.record, q.code, q.field FROM sync_rejected q "
                                  "JOIN replica r ON r.replica_id = (SELECT value FROM meta WHERE key = 'replica_id') "
                                  "JOIN change_entry c ON c.replica_idx = r.idx AND c.counter = q.counter)", error);
  if (rejected_records < 0)
    return NULL;
  conflicts = count_query (self, "SELECT count (*) FROM conflict WHERE " CONFLICT_OPEN, error);
  if (conflicts < 0)
    return NULL;

  json_object_set_boolean_member (o, "signed_in", signed_in);
  {
    g_autofree char *demo = jg_store_dup_meta (self, "demo");

    json_object_set_boolean_member (o, "demo", demo != NULL);
  }
  json_object_set_int_member (o, "pending", pending);
  json_object_set_int_member (o, "rejected", rejected);
  json_object_set_int_member (o, "rejected_records", rejected_records);
  json_object_set_int_member (o, "conflicts", conflicts);
  return g_steal_pointer (&o);
}

/* Signing out forgets the token; the records, the change log and the
 * server's address stay, so signing in again carries on. */
gboolean
jg_store_forget_token (JgStore  *self,
                       GError  **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  g_return_val_if_fail (JG_IS_STORE (self), FALSE);

  stmt = jg_store_prepare (self, "DELETE FROM sync_state WHERE key = 'token'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (self, error);
  return TRUE;
}

/* ---- queries for the app: a date range ---- */

/* search_where_equal() narrowed to the records whose @field lies in
 * [from, to): bound as ?(6 + n) and ?(7 + n) after the n values of @equal,
 * NULL for an open end.  A date or datetime field compares as text
 * ("2024-03-08T09:30" lies in ["2024-01-01", "2025-01-01")), an integer
 * field (a year) as a number.  The field's name comes from jg-entity.c. */
static char *
search_where_between (const JgEntityDef  *entity,
                      JsonObject         *equal,
                      GPtrArray          *values,
                      const char         *field,
                      const JgFieldDef  **field_out,
                      GError            **error)
{
  const JgFieldDef *f = NULL;
  g_autofree char *where = NULL;
  guint lo, hi;

  if (field != NULL)
    {
      f = jg_entity_field (entity, field, NULL);
      if (f == NULL ||
          (f->type != JG_FIELD_DATE && f->type != JG_FIELD_DATETIME && f->type != JG_FIELD_INT))
        {
          jg_set_field_error (error, JG_ERROR_INVALID, field,
                              _("Records cannot be filtered by “%s”"), field);
          return NULL;
        }
    }
  where = search_where_equal (entity, equal, values, error);
  if (where == NULL)
    return NULL;
  *field_out = f;
  if (f == NULL)
    return g_steal_pointer (&where);
  lo = 6 + values->len;
  hi = lo + 1;
  return g_strdup_printf ("%s AND (?%u IS NULL OR \"%s\" >= ?%u) AND (?%u IS NULL OR \"%s\" < ?%u)",
                          where, lo, f->name, lo, hi, f->name, hi);
}

static gboolean
between_bind_one (JgStmt            *stmt,
                  int                index,
                  const JgFieldDef  *f,
                  const char        *bound,
                  GError           **error)
{
  gint64 n;

  if (bound == NULL)
    return TRUE;
  if (f->type != JG_FIELD_INT)
    {
      sqlite3_bind_text (stmt, index, bound, -1, SQLITE_TRANSIENT);
      return TRUE;
    }
  if (!g_ascii_string_to_signed (bound, 10, G_MININT64, G_MAXINT64, &n, NULL))
    {
      jg_set_field_error (error, JG_ERROR_INVALID, f->name,
                          _("Records cannot be filtered by “%s”"), f->name);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, index, n);
  return TRUE;
}

static gboolean
between_bind (JgStmt            *stmt,
              GPtrArray         *values,
              const JgFieldDef  *f,
              const char        *from,
              const char        *to,
              GError           **error)
{
  equal_bind (stmt, values);
  if (f == NULL)
    return TRUE;
  return between_bind_one (stmt, 6 + (int) values->len, f, from, error) &&
         between_bind_one (stmt, 7 + (int) values->len, f, to, error);
}

/* jg_store_count_where() keeping only the records whose date, datetime or
 * integer @field (NULL: no such condition) is at least @from and less than
 * @to, each NULL for an open end: the activities of 2024 are those with
 * "start_at" in ["2024-01-01", "2025-01-01"), its awards those with
 * "year" in ["2024", "2025"). */
gint64
jg_store_count_between (JgStore           *self,
                        const char        *entity_name,
                        const JgListQuery *query,
                        const char        *search,
                        JsonObject        *equal,
                        const char        *field,
                        const char        *from,
                        const char        *to,
                        GError           **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  const JgFieldDef *f = NULL;
  JgListQuery defaults = { 0 };
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *pattern = search_pattern (search);
  g_autoptr(JgStmt) stmt = NULL;

  g_return_val_if_fail (JG_IS_STORE (self), -1);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return -1;
    }
  if (query == NULL)
    query = &defaults;

  where = search_where_between (entity, equal, values, field, &f, error);
  if (where == NULL)
    return -1;
  sql = g_strdup_printf ("SELECT count (*) FROM \"%s\" %s", entity->name, where);
  stmt = jg_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  search_bind (stmt, query, pattern);
  if (!between_bind (stmt, values, f, from, to, error))
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      jg_store_sqlite_error (self, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* jg_store_search_where() with the range of jg_store_count_between(). */
JsonArray *
jg_store_search_between (JgStore           *self,
                         const char        *entity_name,
                         const JgListQuery *query,
                         const char        *search,
                         JsonObject        *equal,
                         const char        *field,
                         const char        *from,
                         const char        *to,
                         GError           **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  const JgFieldDef *f = NULL;
  JgListQuery defaults = { 0 };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *where = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *pattern = search_pattern (search);
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (self), NULL);

  if (entity == NULL)
    {
      unknown_entity (entity_name, error);
      return NULL;
    }
  if (query == NULL)
    query = &defaults;

  where = search_where_between (entity, equal, values, field, &f, error);
  if (where == NULL)
    return NULL;
  tail = g_strconcat (where, " ORDER BY id DESC LIMIT ?4 OFFSET ?5", NULL);
  stmt = jg_store_prepare (self, select_sql (self, entity, tail), error);
  if (stmt == NULL)
    return NULL;
  search_bind (stmt, query, pattern);
  sqlite3_bind_int64 (stmt, 4, query->limit ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, 5, query->offset);
  if (!between_bind (stmt, values, f, from, to, error))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(Row) row = row_from_stmt (entity, stmt);

      json_array_add_object_element (array, row_to_json (row));
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}
