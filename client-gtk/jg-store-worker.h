/* jg-store-worker.h: a thread that owns the app's store connection */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-demo.h"
#include "jg-ledger.h"

G_BEGIN_DECLS

/* A member of the @equal of a search or count that is not a field: the
 * path of an org unit (org_unit.path) whose subtree the records lie in. */
#define JG_STORE_WORKER_UNIT_PATH "org_unit_path"

/* The same for the units strictly below that unit, not the unit itself:
 * what a signed-in reviewer of that unit decides.  Takes the place of
 * JG_STORE_WORKER_UNIT_PATH when both are given. */
#define JG_STORE_WORKER_UNIT_BELOW "org_unit_below"

/* Not a field either: what a search adds to a record, the name of its
 * unit ("大田刘村委会") when the store knows the code. */
#define JG_STORE_WORKER_UNIT_NAME "org_unit_name"

/* Likewise the head of the household a record refers to ("household":
 * designations, awards, inspections), so that a list shows a name, not
 * an id. */
#define JG_STORE_WORKER_HOUSEHOLD_NAME "household_name"

/* And an inspection's rubric by its title, not its id ("four-beauty"). */
#define JG_STORE_WORKER_RUBRIC_LABEL "rubric_label"

/* What a volunteer's ledger read adds to an entry a reversal cancels:
 * the reversal's id. */
#define JG_STORE_WORKER_REVERSED_BY "reversed_by"

/* Nor are these: the name of a date, datetime or integer (year) field and
 * the range [from, to) it must lie in, either end left out for an open
 * one ("start_at" from "2024-01-01" to "2025-01-01": 2024's activities). */
#define JG_STORE_WORKER_DATE_FIELD "date_field"
#define JG_STORE_WORKER_DATE_FROM  "date_from"
#define JG_STORE_WORKER_DATE_TO    "date_to"

/* Runs on the worker's thread; returns NULL only with @error set.
 * @report may be called from there, any number of times. */
typedef JsonNode *(*JgStoreWorkerFunc) (JgStore            *store,
                                        gpointer            data,
                                        JgDemoProgressFunc  report,
                                        gpointer            report_data,
                                        GCancellable       *cancellable,
                                        GError            **error);

#define JG_TYPE_STORE_WORKER (jg_store_worker_get_type ())
G_DECLARE_FINAL_TYPE (JgStoreWorker, jg_store_worker, JG, STORE_WORKER, GObject)

JgStoreWorker *jg_store_worker_new            (const char           *path);
const char    *jg_store_worker_get_path       (JgStoreWorker        *self);

void           jg_store_worker_put_async      (JgStoreWorker        *self,
                                               const char           *entity,
                                               JsonObject           *fields,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char          *jg_store_worker_put_finish     (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_put_seen_async (JgStoreWorker        *self,
                                               const char           *entity,
                                               JsonObject           *fields,
                                               JsonObject           *seen,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           jg_store_worker_delete_async   (JgStoreWorker        *self,
                                               const char           *entity,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       jg_store_worker_delete_finish  (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_get_async      (JgStoreWorker        *self,
                                               const char           *entity,
                                               const char           *id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject    *jg_store_worker_get_finish     (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
JsonObject    *jg_store_worker_get_seen_finish (JgStoreWorker       *self,
                                               GAsyncResult         *result,
                                               JsonObject          **versions,
                                               GError              **error);
const char    *jg_store_worker_get_title      (JgStoreWorker        *self,
                                               GAsyncResult         *result);
void           jg_store_worker_search_async   (JgStoreWorker        *self,
                                               const char           *entity,
                                               const char           *search,
                                               guint                 offset,
                                               guint                 limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonArray     *jg_store_worker_search_finish  (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_count_async    (JgStoreWorker        *self,
                                               const char           *entity,
                                               const char           *search,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gint64         jg_store_worker_count_finish   (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_area_units_async (JgStoreWorker      *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonArray     *jg_store_worker_area_units_finish (JgStoreWorker     *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_dup_meta_async (JgStoreWorker        *self,
                                               const char           *key,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char          *jg_store_worker_dup_meta_finish (JgStoreWorker       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_search_where_async (JgStoreWorker    *self,
                                               const char           *entity,
                                               const char           *search,
                                               JsonObject           *equal,
                                               guint                 offset,
                                               guint                 limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           jg_store_worker_count_where_async (JgStoreWorker     *self,
                                               const char           *entity,
                                               const char           *search,
                                               JsonObject           *equal,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void           jg_store_worker_put_many_async (JgStoreWorker        *self,
                                               const char           *entity,
                                               JsonArray            *records,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char         **jg_store_worker_put_many_finish (JgStoreWorker       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_balance_async  (JgStoreWorker        *self,
                                               const char           *volunteer_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       jg_store_worker_balance_finish (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               JgLedgerBalance      *out,
                                               GError              **error);
void           jg_store_worker_ledger_async   (JgStoreWorker        *self,
                                               const char           *volunteer_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonArray     *jg_store_worker_ledger_finish  (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void           jg_store_worker_notify_changed (JgStoreWorker        *self,
                                               const char           *entity);

void           jg_store_worker_sync_status_async (JgStoreWorker     *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject    *jg_store_worker_sync_status_finish (JgStoreWorker    *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_sync_problems_async (JgStoreWorker   *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject    *jg_store_worker_sync_problems_finish (JgStoreWorker  *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_close_async    (JgStoreWorker        *self,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       jg_store_worker_close_finish   (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_sign_out_async (JgStoreWorker        *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       jg_store_worker_sign_out_finish (JgStoreWorker       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_demo_async     (JgStoreWorker        *self,
                                               const JgDemoOptions  *options,
                                               JgDemoProgressFunc    progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonObject    *jg_store_worker_demo_finish    (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void           jg_store_worker_run_async      (JgStoreWorker        *self,
                                               JgStoreWorkerFunc     func,
                                               gpointer              data,
                                               GDestroyNotify        data_free,
                                               const char           *changed_entity,
                                               JgDemoProgressFunc    progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
JsonNode      *jg_store_worker_run_finish     (JgStoreWorker        *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           jg_store_worker_dismiss_conflict_async  (JgStoreWorker        *self,
                                                        const char           *conflict_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gint64         jg_store_worker_dismiss_conflict_finish (JgStoreWorker        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* On the worker's thread: adds JG_STORE_WORKER_HOUSEHOLD_NAME to each of
 * @records that refers to a household the store holds, and
 * JG_STORE_WORKER_RUBRIC_LABEL to each that names a known rubric. */
void jg_store_worker_add_names (JgStore   *store,
                                JsonArray *records);

G_END_DECLS
