/* jg-store.h: the SQLite store: records, change log, merge, conflicts */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-change.h"
#include "jg-hlc.h"

G_BEGIN_DECLS

#define JG_STORE_APPLICATION_ID 0x4a47544c /* "JGTL" */

typedef enum
{
  JG_STORE_FLAGS_NONE = 0,
  JG_STORE_CREATE     = 1 << 0,  /* create the file if it does not exist */
  JG_STORE_DURABLE    = 1 << 1,  /* synchronous=FULL: the server's acknowledgements */
} JgStoreFlags;

typedef struct
{
  int         version;
  const char *name;
  const char *sql;
} JgMigration;

typedef enum
{
  JG_APPLY_ACCEPTED,
  JG_APPLY_DUPLICATE,
} JgApplyStatus;

typedef struct
{
  guint accepted;
  guint duplicates;
  guint conflicts;   /* conflicts newly recorded */
} JgApplyCounts;

typedef struct
{
  const char *org_unit_prefix;   /* path prefix of the caller's subtree, or NULL */
  gboolean    org_unit_below;    /* with org_unit_prefix: only the units strictly below
                                  * it, not the unit itself (what a reviewer decides) */
  gboolean    include_deleted;
  guint       limit;             /* 0: all */
  guint       offset;
} JgListQuery;

#define JG_TYPE_STORE (jg_store_get_type ())
G_DECLARE_FINAL_TYPE (JgStore, jg_store, JG, STORE, GObject)

JgStore    *jg_store_open                 (const char        *path,
                                           JgStoreFlags       flags,
                                           GError           **error);
JgStore    *jg_store_open_with_migrations (const char        *path,
                                           JgStoreFlags       flags,
                                           const JgMigration *extra,
                                           guint              n_extra,
                                           GError           **error);
const char *jg_store_get_path             (JgStore           *self);
const char *jg_store_get_replica_id       (JgStore           *self);
int         jg_store_get_schema_version   (JgStore           *self);
int         jg_store_get_latest_schema_version (void);
JgHlc      *jg_store_get_hlc              (JgStore           *self);

char       *jg_store_dup_meta             (JgStore           *self,
                                           const char        *key);
gboolean    jg_store_set_meta             (JgStore           *self,
                                           const char        *key,
                                           const char        *value,
                                           GError           **error);
/* The user of a store nobody has signed in to (local-only mode): the
 * author and created_by of what is written there. */
#define JG_STORE_LOCAL_USER "local"

const char *jg_store_get_username         (JgStore           *self);
gboolean    jg_store_set_username         (JgStore           *self,
                                           const char        *username,
                                           GError           **error);

gboolean    jg_store_begin                (JgStore           *self,
                                           GError           **error);
gboolean    jg_store_commit               (JgStore           *self,
                                           GError           **error);
void        jg_store_rollback             (JgStore           *self);

char       *jg_store_put                  (JgStore           *self,
                                           const char        *entity,
                                           JsonObject        *fields,
                                           GError           **error);
char       *jg_store_put_seen             (JgStore           *self,
                                           const char        *entity,
                                           JsonObject        *fields,
                                           JsonObject        *seen,
                                           GError           **error);
JsonObject *jg_store_get_seen             (JgStore           *self,
                                           const char        *entity,
                                           const char        *id,
                                           JsonObject       **versions,
                                           GError           **error);
JsonObject *jg_store_get                  (JgStore           *self,
                                           const char        *entity,
                                           const char        *id,
                                           GError           **error);
JsonArray  *jg_store_list                 (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           GError           **error);
gboolean    jg_store_delete               (JgStore           *self,
                                           const char        *entity,
                                           const char        *id,
                                           GError           **error);

GPtrArray  *jg_store_changes_since        (JgStore           *self,
                                           gint64             since,
                                           guint              limit,
                                           gint64            *last_seq,
                                           GError           **error);
gint64      jg_store_get_last_seq         (JgStore           *self);
gboolean    jg_store_apply_changes        (JgStore           *self,
                                           GPtrArray         *changes,
                                           GArray            *statuses,
                                           JgApplyCounts     *counts,
                                           GError           **error);
JsonNode   *jg_store_export_bundle        (JgStore           *self,
                                           gint64             since,
                                           GError           **error);
gboolean    jg_store_import_bundle        (JgStore           *self,
                                           JsonNode          *bundle,
                                           JgApplyCounts     *counts,
                                           GError           **error);

JsonArray  *jg_store_list_conflicts       (JgStore           *self,
                                           gboolean           include_resolved,
                                           GError           **error);
/* A soft conflict marked as seen, here only; hard ones are decided. */
gboolean    jg_store_dismiss_conflict     (JgStore           *self,
                                           const char        *conflict_id,
                                           GError           **error);
gboolean    jg_store_dismiss_soft_conflicts (JgStore         *self,
                                           guint             *n_dismissed,
                                           GError           **error);

/* What a person knows the record by (a household's head, an activity's
 * title, an inspection's household), or NULL when it has nothing to show. */
char       *jg_store_dup_record_title     (JgStore           *self,
                                           const char        *entity_name,
                                           const char        *id);

/* ---- queries for the app ---- */

gint64      jg_store_count                (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           GError           **error);
JsonArray  *jg_store_search               (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           GError           **error);
gint64      jg_store_count_where          (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           JsonObject        *equal,
                                           GError           **error);
JsonArray  *jg_store_search_where         (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           JsonObject        *equal,
                                           GError           **error);
gint64      jg_store_count_between        (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           JsonObject        *equal,
                                           const char        *field,
                                           const char        *from,
                                           const char        *to,
                                           GError           **error);
JsonArray  *jg_store_search_between       (JgStore           *self,
                                           const char        *entity,
                                           const JgListQuery *query,
                                           const char        *search,
                                           JsonObject        *equal,
                                           const char        *field,
                                           const char        *from,
                                           const char        *to,
                                           GError           **error);

JsonObject *jg_store_sync_status          (JgStore           *self,
                                           GError           **error);
gboolean    jg_store_forget_token         (JgStore           *self,
                                           GError           **error);

G_END_DECLS
