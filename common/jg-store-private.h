/* jg-store-private.h: for the modules of common/ that run their own SQL */
#pragma once

#include <sqlite3.h>

#include "jg-change.h"
#include "jg-json-writer.h"
#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

typedef sqlite3_stmt JgStmt;

static inline void
jg_stmt_release (JgStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgStmt, jg_stmt_release)

sqlite3    *jg_store_get_db          (JgStore     *self);
JgStmt     *jg_store_prepare         (JgStore     *self,
                                      const char  *sql,
                                      GError     **error);
gboolean    jg_store_exec            (JgStore     *self,
                                      const char  *sql,
                                      GError     **error);
gboolean    jg_store_sqlite_error    (JgStore     *self,
                                      GError     **error);

/* Sync support (jg-sync-client.c): a store that forks. */
gboolean    jg_store_fork_point      (JgStore     *self,
                                      gint64      *after,
                                      GError     **error);
gboolean    jg_store_fork            (JgStore     *self,
                                      const char  *new_replica,
                                      GError     **error);
/* Sync support (jg-sync-client.c): after a clock correction. */
gboolean    jg_store_restamp_unacked (JgStore     *self,
                                      GError     **error);
/* A new device's first sync: current state instead of the history. */
gboolean    jg_store_snapshot_page   (JgStore     *self,
                                      const char  *path_prefix,
                                      guint       *entity_pos,
                                      gint64      *after_rowid,
                                      guint        limit,
                                      JgJsonWriter *b,
                                      GError     **error);
gboolean    jg_store_apply_snapshot  (JgStore     *self,
                                      const char  *records,
                                      gsize        records_length,
                                      JsonArray   *replicas,
                                      guint       *n_records,
                                      guint       *n_conflicts,
                                      GError     **error);
gboolean    jg_store_snapshot_conflicts (JgStore      *self,
                                         const char   *path_prefix,
                                         JgJsonWriter *b,
                                         GError      **error);
gboolean    jg_store_add_snapshot_conflicts (JgStore    *self,
                                             JsonNode   *member,
                                             guint      *n_open,
                                             GError    **error);
char       *jg_store_resolve_conflict (JgStore    *self,
                                       const char *conflict_id,
                                       JsonNode   *value,
                                       GError    **error);

/* The change log (change_entry, migration 0006): a record id is bound and
 * read as its 16 bytes, a (record type, field) pair as its code
 * (jg_store_read_change() names it again). */
void        jg_store_bind_record     (JgStmt      *stmt,
                                      int          index,
                                      const char  *record);
char       *jg_store_column_record   (JgStmt      *stmt,
                                      int          col);
gint64      jg_store_field_code      (JgStore     *self,
                                      const char  *entity,
                                      const char  *field);

/* The columns jg_store_read_change() reads, from change_entry c joined
 * with replica r. */
#define JG_STORE_CHANGE_COLUMNS \
  "c.seq, r.replica_id, c.counter, c.record, c.field, c.value, c.hlc, c.base, c.rbase, c.author "
gboolean    jg_store_read_change     (JgStore     *self,
                                      JgStmt      *stmt,
                                      JgChange    *change,
                                      GError     **error);

/* Text columns: NULL stays NULL. */
static inline const char *
jg_stmt_text (JgStmt *stmt,
              int     col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* The server's push: changes applied one at a time, rows saved per record. */
gboolean    jg_store_batch_apply     (JgStore         *self,
                                      const JgChange  *change,
                                      gint64          *seq,
                                      GError         **error);
gboolean    jg_store_batch_flush     (JgStore     *self,
                                      GError     **error);
gboolean    jg_store_batch_holds     (JgStore     *self,
                                      const char  *record);
gboolean    jg_store_batch_peek      (JgStore     *self,
                                      const char  *record,
                                      const char  *field,
                                      char       **text);
gboolean    jg_store_field_hlc       (JgStore           *self,
                                      const JgEntityDef *entity,
                                      const char        *record,
                                      const char        *field,
                                      gint64            *hlc,
                                      GError           **error);
gboolean    jg_store_creation_hlc    (JgStore           *self,
                                      const JgEntityDef *entity,
                                      const char        *record,
                                      gint64            *hlc,
                                      GError           **error);

gboolean    jg_store_put_local       (JgStore     *self,
                                      const char  *entity_name,
                                      const char  *id,
                                      JsonObject  *fields,
                                      GError     **error);
gboolean    jg_store_purge_record    (JgStore     *self,
                                      const char  *entity_name,
                                      const char  *id,
                                      GError     **error);
/* A field's version as the server holds it (protocol.md "Push rules":
 * a rejection's "current"). */
typedef struct
{
  char   *value;     /* canonical JSON text */
  gint64  hlc;       /* 0: the field was never written */
  gint64  base;
  gint64  rbase;
  char   *replica;   /* NULL when hlc is 0 */
} JgFieldState;

void        jg_field_state_clear     (JgFieldState *state);
gboolean    jg_store_field_state     (JgStore      *self,
                                      const char   *entity_name,
                                      const char   *record,
                                      const char   *field,
                                      gboolean     *found,
                                      JgFieldState *state,
                                      GError      **error);
gboolean    jg_store_unapply_refused (JgStore            *self,
                                      gint64              counter,
                                      const JgFieldState *server,
                                      GError            **error);

G_END_DECLS
