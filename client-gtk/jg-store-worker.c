/* jg-store-worker.c: a thread that owns the app's store connection
 *
 * The GTK main thread never touches SQLite.  Every store call is queued here
 * as a GTask; the worker thread opens its own JgStore on first use, runs the
 * jobs in order, and the tasks complete back in the caller's main context.
 * "changed" is emitted in the main context after a successful write, before
 * the write's own callback runs, so lists can refresh themselves.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-rubric.h"
#include "jg-store.h"
#include "jg-sync-client.h"
#include "jg-store-worker.h"

struct _JgStoreWorker
{
  GObject       parent_instance;

  char         *path;
  GThread      *thread;
  GAsyncQueue  *jobs;
  GMainContext *context;       /* where "changed" is emitted */

  /* Only the worker thread touches these. */
  JgStore      *store;
  GError       *open_error;
};

typedef void (*JobFunc) (JgStoreWorker *self,
                         JgStore       *store,
                         GTask         *task);

typedef struct
{
  char       *entity;
  char       *id;
  char       *search;
  char       *unit_path;
  gboolean    unit_below;  /* unit_path came as JG_STORE_WORKER_UNIT_BELOW */
  char       *range_field;
  char       *range_from;
  char       *range_to;
  JsonObject *fields;
  JsonObject *seen;
  JsonObject *equal;
  JsonArray  *records;
  guint       offset;
  guint       limit;
  JgDemoOptions        demo;
  JgDemoProgressFunc   progress;
  gpointer             progress_data;
  JgStoreWorkerFunc    run;
  gpointer             run_data;
  GDestroyNotify       run_data_free;
  JobFunc     func;
} Job;

G_DEFINE_FINAL_TYPE (JgStoreWorker, jg_store_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A sentinel that tells the thread to stop. */
static GTask *stop_job;

static void
job_free (Job *job)
{
  g_free (job->entity);
  g_free (job->id);
  g_free (job->search);
  g_free (job->unit_path);
  g_free (job->range_field);
  g_free (job->range_from);
  g_free (job->range_to);
  g_clear_pointer (&job->fields, json_object_unref);
  g_clear_pointer (&job->seen, json_object_unref);
  g_clear_pointer (&job->equal, json_object_unref);
  g_clear_pointer (&job->records, json_array_unref);
  if (job->run_data_free != NULL)
    job->run_data_free (job->run_data);
  g_free (job);
}

typedef struct
{
  JgStoreWorker *self;
  char          *entity;
} Changed;

static gboolean
emit_changed (gpointer data)
{
  Changed *c = data;

  g_signal_emit (c->self, signals[CHANGED], 0, c->entity);
  g_object_unref (c->self);
  g_free (c->entity);
  g_free (c);
  return G_SOURCE_REMOVE;
}

static gboolean
drop_task (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
serve_task (JgStoreWorker *self,
            GTask         *task)
{
  Job *job;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->store == NULL && self->open_error == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);

      /* The profile folder does not exist on first start. */
      if (g_mkdir_with_parents (dir, 0700) != 0)
        g_debug ("Could not create %s", dir);
      self->store = jg_store_open (self->path, JG_STORE_CREATE, &self->open_error);
    }
  if (self->store == NULL)
    {
      g_task_return_error (task, g_error_copy (self->open_error));
      return;
    }

  job = g_task_get_task_data (task);
  job->func (self, self->store, task);
}

static gpointer
worker_thread (gpointer data)
{
  JgStoreWorker *self = data;   /* not a reference: dispose joins us */

  for (;;)
    {
      GTask *task = g_async_queue_pop (self->jobs);

      if (task == stop_job)
        break;
      serve_task (self, task);
      /* A task holds the worker.  Were its last reference dropped here,
       * after its callback had run and its caller had let the worker go,
       * the worker's dispose would run on this thread and wait for it to
       * end: the last one goes back where the task came from. */
      g_main_context_invoke (self->context, drop_task, task);
    }

  g_clear_object (&self->store);
  g_clear_error (&self->open_error);
  return NULL;
}

static void
jg_store_worker_dispose (GObject *object)
{
  JgStoreWorker *self = (JgStoreWorker *)object;

  if (self->thread != NULL)
    {
      g_async_queue_push (self->jobs, stop_job);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  G_OBJECT_CLASS (jg_store_worker_parent_class)->dispose (object);
}

static void
jg_store_worker_finalize (GObject *object)
{
  JgStoreWorker *self = (JgStoreWorker *)object;

  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (jg_store_worker_parent_class)->finalize (object);
}

static void
jg_store_worker_constructed (GObject *object)
{
  JgStoreWorker *self = (JgStoreWorker *)object;

  G_OBJECT_CLASS (jg_store_worker_parent_class)->constructed (object);

  self->thread = g_thread_new ("jg-store-worker", worker_thread, self);
}

static void
jg_store_worker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JgStoreWorker *self = JG_STORE_WORKER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_store_worker_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JgStoreWorker *self = JG_STORE_WORKER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_store_worker_class_init (JgStoreWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jg_store_worker_constructed;
  object_class->dispose = jg_store_worker_dispose;
  object_class->finalize = jg_store_worker_finalize;
  object_class->get_property = jg_store_worker_get_property;
  object_class->set_property = jg_store_worker_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgStoreWorker::changed:
   * @entity: the record type that was written
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  stop_job = g_task_new (NULL, NULL, NULL, NULL);
}

static void
jg_store_worker_init (JgStoreWorker *self)
{
  self->jobs = g_async_queue_new ();
  self->context = g_main_context_ref_thread_default ();
}

JgStoreWorker *
jg_store_worker_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (JG_TYPE_STORE_WORKER, "path", path, NULL);
}

const char *
jg_store_worker_get_path (JgStoreWorker *self)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (self), NULL);

  return self->path;
}

static void
queue_job (JgStoreWorker       *self,
           Job                 *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_async_queue_push (self->jobs, task);
}

/* ---- put ---- */

static void
put_job (JgStoreWorker *self,
         JgStore       *store,
         GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *id = jg_store_put_seen (store, job->entity, job->fields, job->seen, &error);
  Changed *changed;

  if (id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  changed = g_new0 (Changed, 1);
  changed->self = g_object_ref (self);
  changed->entity = g_strdup (job->entity);
  g_main_context_invoke (self->context, emit_changed, changed);
  g_task_return_pointer (task, id, g_free);
}

/* A deep copy: the caller may go on changing its object. */
static JsonObject *
object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonNode) copy = NULL;

  json_node_init_object (node, object);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

void
jg_store_worker_put_async (JgStoreWorker       *self,
                           const char          *entity,
                           JsonObject          *fields,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  jg_store_worker_put_seen_async (self, entity, fields, NULL, cancellable, callback, user_data);
}

/* jg_store_put_seen(): @seen, the versions the editor saw, as
 * jg_store_worker_get_seen_finish() gave them.  Finish with
 * jg_store_worker_put_finish(). */
void
jg_store_worker_put_seen_async (JgStoreWorker       *self,
                                const char          *entity,
                                JsonObject          *fields,
                                JsonObject          *seen,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));
  g_return_if_fail (entity != NULL);
  g_return_if_fail (fields != NULL);

  job = g_new0 (Job, 1);
  job->func = put_job;
  job->entity = g_strdup (entity);
  job->fields = object_copy (fields);
  job->seen = seen ? object_copy (seen) : NULL;
  queue_job (self, job, jg_store_worker_put_async, cancellable, callback, user_data);
}

char *
jg_store_worker_put_finish (JgStoreWorker  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- delete ---- */

static void
delete_job (JgStoreWorker *self,
            JgStore       *store,
            GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  Changed *changed;

  if (!jg_store_delete (store, job->entity, job->id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  changed = g_new0 (Changed, 1);
  changed->self = g_object_ref (self);
  changed->entity = g_strdup (job->entity);
  g_main_context_invoke (self->context, emit_changed, changed);
  g_task_return_boolean (task, TRUE);
}

/* jg_store_delete(): the record stays as a tombstone, and leaves the lists
 * ("changed" is emitted).  A ledger entry is refused: it is reversed. */
void
jg_store_worker_delete_async (JgStoreWorker       *self,
                              const char          *entity,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));
  g_return_if_fail (entity != NULL);

  job = g_new0 (Job, 1);
  job->func = delete_job;
  job->entity = g_strdup (entity);
  job->id = g_strdup (id);
  queue_job (self, job, jg_store_worker_delete_async, cancellable, callback, user_data);
}

gboolean
jg_store_worker_delete_finish (JgStoreWorker  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- get ---- */

static void
get_job (JgStoreWorker *self,
         JgStore       *store,
         GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) versions = NULL;
  JsonObject *record = jg_store_get_seen (store, job->entity, job->id, &versions, &error);

  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Read in one go with the record: jg_store_worker_get_seen_finish(). */
  g_object_set_data_full (G_OBJECT (task), "versions", g_steal_pointer (&versions),
                          (GDestroyNotify) json_object_unref);
  /* And what the record is called where it is named to the user, e.g. a
   * household by its head: jg_store_worker_get_title(). */
  g_object_set_data_full (G_OBJECT (task), "title",
                          jg_store_dup_record_title (store, job->entity, job->id), g_free);
  g_task_return_pointer (task, record, (GDestroyNotify) json_object_unref);
}

void
jg_store_worker_get_async (JgStoreWorker       *self,
                           const char          *entity,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = get_job;
  job->entity = g_strdup (entity);
  job->id = g_strdup (id);
  queue_job (self, job, jg_store_worker_get_async, cancellable, callback, user_data);
}

JsonObject *
jg_store_worker_get_finish (JgStoreWorker  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Like jg_store_worker_get_finish(), with in *@versions the version of
 * each field as read with the record (jg_store_get_seen()). */
JsonObject *
jg_store_worker_get_seen_finish (JgStoreWorker  *self,
                                 GAsyncResult   *result,
                                 JsonObject    **versions,
                                 GError        **error)
{
  JsonObject *record;
  JsonObject *v;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (versions != NULL, NULL);

  record = g_task_propagate_pointer (G_TASK (result), error);
  v = g_object_get_data (G_OBJECT (result), "versions");
  *versions = record && v ? json_object_ref (v) : NULL;
  return record;
}

/* The title of the record jg_store_worker_get_async() read, as the store
 * names it (jg_store_dup_record_title()), or %NULL when it has none. */
const char *
jg_store_worker_get_title (JgStoreWorker *self,
                           GAsyncResult  *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_object_get_data (G_OBJECT (result), "title");
}

/* ---- search ---- */

static char *
take_member (JsonObject *equal,
             const char *name)
{
  char *value = NULL;

  if (equal != NULL && json_object_has_member (equal, name))
    {
      value = g_strdup (json_object_get_string_member_with_default (equal, name, NULL));
      json_object_remove_member (equal, name);
    }
  return value;
}

/* JG_STORE_WORKER_UNIT_PATH and _UNIT_BELOW are not fields: they narrow a
 * search to a unit's subtree, or to the units below it.  Taken out of the
 * job's own copy of @equal, into @query. */
static void
take_unit_path (Job         *job,
                JgListQuery *query)
{
  if (job->unit_path == NULL && job->equal != NULL)
    {
      char *path = take_member (job->equal, JG_STORE_WORKER_UNIT_PATH);
      char *below = take_member (job->equal, JG_STORE_WORKER_UNIT_BELOW);

      job->unit_below = below != NULL;
      job->unit_path = below != NULL ? below : path;
      if (below != NULL)
        g_free (path);
    }
  query->org_unit_prefix = job->unit_path;
  query->org_unit_below = job->unit_below;
}

/* JG_STORE_WORKER_DATE_FIELD and its bounds are not fields either: they
 * narrow a search to a range of dates (or years). */
static void
take_range (Job *job)
{
  if (job->range_field != NULL)
    return;
  job->range_field = take_member (job->equal, JG_STORE_WORKER_DATE_FIELD);
  job->range_from = take_member (job->equal, JG_STORE_WORKER_DATE_FROM);
  job->range_to = take_member (job->equal, JG_STORE_WORKER_DATE_TO);
}

/* Lists name a record's unit, not only its code: "org_unit_name" (not a
 * field; jg_record_dup_display() shows it), when the store knows it. */
static void
add_unit_names (JgStore   *store,
                JsonArray *records)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *code = record ? json_object_get_string_member_with_default (record, "org_unit", NULL) : NULL;
      const char *name;

      if (code == NULL || *code == '\0')
        continue;
      if (!g_hash_table_lookup_extended (names, code, NULL, (gpointer *) &name))
        {
          g_autoptr(JsonObject) unit = jg_org_units_lookup (store, code, NULL);

          name = unit ? json_object_get_string_member_with_default (unit, "name", NULL) : NULL;
          g_hash_table_insert (names, g_strdup (code), g_strdup (name));
          name = g_hash_table_lookup (names, code);
        }
      if (name != NULL)
        json_object_set_string_member (record, JG_STORE_WORKER_UNIT_NAME, name);
    }
}

void
jg_store_worker_add_names (JgStore   *store,
                                     JsonArray *records)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *id = record ? json_object_get_string_member_with_default (record, "household", NULL) : NULL;
      const char *rubric_id = record ? json_object_get_string_member_with_default (record, "rubric", NULL) : NULL;
      const char *name;

      if (rubric_id != NULL)
        {
          g_autoptr(JgRubric) rubric = jg_rubric_lookup (rubric_id,
                                                         json_object_get_int_member_with_default (record, "rubric_version", 0),
                                                         NULL);

          if (rubric != NULL)
            json_object_set_string_member (record, JG_STORE_WORKER_RUBRIC_LABEL,
                                           jg_rubric_get_label (rubric, jg_ui_is_chinese ()));
        }
      if (id == NULL || *id == '\0')
        continue;
      if (!g_hash_table_lookup_extended (names, id, NULL, (gpointer *) &name))
        {
          g_autoptr(JsonObject) household = jg_store_get (store, "household", id, NULL);

          name = household ? json_object_get_string_member_with_default (household, "head_name", NULL) : NULL;
          g_hash_table_insert (names, g_strdup (id), g_strdup (name));
          name = g_hash_table_lookup (names, id);
        }
      if (name != NULL)
        json_object_set_string_member (record, JG_STORE_WORKER_HOUSEHOLD_NAME, name);
    }
}

static void
search_job (JgStoreWorker *self,
            JgStore       *store,
            GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  JgListQuery query = { .limit = job->limit, .offset = job->offset };
  GError *error = NULL;
  JsonArray *array;

  take_unit_path (job, &query);
  take_range (job);
  array = jg_store_search_between (store, job->entity, &query, job->search, job->equal,
                                   job->range_field, job->range_from, job->range_to, &error);

  if (array == NULL)
    g_task_return_error (task, error);
  else
    {
      add_unit_names (store, array);
      jg_store_worker_add_names (store, array);
      g_task_return_pointer (task, array, (GDestroyNotify) json_array_unref);
    }
}

/* The job's own @object: json_node_copy() only refs an object, and the
 * job takes members out of it (take_unit_path(), take_range()).  Members
 * are copied one level deep, which is all the flat @equal needs. */
static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return NULL;
  copy = json_object_new ();
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

void
jg_store_worker_search_async (JgStoreWorker       *self,
                              const char          *entity,
                              const char          *search,
                              guint                offset,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  jg_store_worker_search_where_async (self, entity, search, NULL, offset, limit,
                                      cancellable, callback, user_data);
}

/* Only the records whose fields equal the string members of @equal
 * (NULL: all); finish with jg_store_worker_search_finish(). */
void
jg_store_worker_search_where_async (JgStoreWorker       *self,
                                    const char          *entity,
                                    const char          *search,
                                    JsonObject          *equal,
                                    guint                offset,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = search_job;
  job->entity = g_strdup (entity);
  job->search = g_strdup (search);
  job->equal = copy_object (equal);
  job->offset = offset;
  job->limit = limit;
  queue_job (self, job, jg_store_worker_search_async, cancellable, callback, user_data);
}

JsonArray *
jg_store_worker_search_finish (JgStoreWorker  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- count ---- */

static void
count_job (JgStoreWorker *self,
           JgStore       *store,
           GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  JgListQuery query = { 0 };
  GError *error = NULL;
  gint64 n;

  take_unit_path (job, &query);
  take_range (job);
  n = jg_store_count_between (store, job->entity, &query, job->search, job->equal,
                              job->range_field, job->range_from, job->range_to, &error);

  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) n);
}

void
jg_store_worker_count_async (JgStoreWorker       *self,
                             const char          *entity,
                             const char          *search,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  jg_store_worker_count_where_async (self, entity, search, NULL, cancellable, callback, user_data);
}

/* Finish with jg_store_worker_count_finish(). */
void
jg_store_worker_count_where_async (JgStoreWorker       *self,
                                   const char          *entity,
                                   const char          *search,
                                   JsonObject          *equal,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = count_job;
  job->entity = g_strdup (entity);
  job->search = g_strdup (search);
  job->equal = copy_object (equal);
  queue_job (self, job, jg_store_worker_count_async, cancellable, callback, user_data);
}

gint64
jg_store_worker_count_finish (JgStoreWorker  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- org units ---- */

/* The unit the store works for: its "org_unit", else its first county. */
static JsonObject *
area_unit (JgStore *store)
{
  g_autofree char *own = jg_store_dup_meta (store, "org_unit");
  g_autoptr(JsonArray) counties = NULL;
  JsonObject *unit;

  if (own != NULL && *own != '\0' && (unit = jg_org_units_lookup (store, own, NULL)) != NULL)
    return unit;
  counties = jg_org_units_list_level (store, NULL, "county", NULL);
  if (counties == NULL || json_array_get_length (counties) == 0)
    return NULL;
  return json_object_ref (json_array_get_object_element (counties, 0));
}

static void
area_units_job (JgStoreWorker *self,
                JgStore       *store,
                GTask         *task)
{
  g_autoptr(JsonObject) area = area_unit (store);
  g_autoptr(JsonArray) units = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *out = json_array_new ();
  GError *error = NULL;

  if (area == NULL)
    {
      g_task_return_pointer (task, out, (GDestroyNotify) json_array_unref);
      return;
    }
  units = jg_org_units_list_level (store, json_object_get_string_member (area, "path"), NULL, &error);
  if (units == NULL)
    {
      json_array_unref (out);
      g_task_return_error (task, error);
      return;
    }
  /* Ordered by code, so each township comes before its villages. */
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *unit = json_array_get_object_element (units, i);
      const char *level = json_object_get_string_member_with_default (unit, "level", "");
      const char *code = json_object_get_string_member_with_default (unit, "code", "");

      if ((g_strcmp0 (level, "township") != 0 && g_strcmp0 (level, "village") != 0) ||
          !g_hash_table_add (seen, (gpointer) code))
        continue;
      json_array_add_object_element (out, json_object_ref (unit));
    }
  g_task_return_pointer (task, out, (GDestroyNotify) json_array_unref);
}

/* The townships and villages of the store's area (its "org_unit", else
 * its first county), each township followed by its villages: objects
 * with "code", "name", "level", "path" and "parent" as
 * jg_org_units_children() gives them.  Empty without org units. */
void
jg_store_worker_area_units_async (JgStoreWorker       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = area_units_job;
  queue_job (self, job, jg_store_worker_area_units_async, cancellable, callback, user_data);
}

JsonArray *
jg_store_worker_area_units_finish (JgStoreWorker  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- meta ---- */

static void
dup_meta_job (JgStoreWorker *self,
              JgStore       *store,
              GTask         *task)
{
  Job *job = g_task_get_task_data (task);

  g_task_return_pointer (task, jg_store_dup_meta (store, job->id), g_free);
}

void
jg_store_worker_dup_meta_async (JgStoreWorker       *self,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = dup_meta_job;
  job->id = g_strdup (key);
  queue_job (self, job, jg_store_worker_dup_meta_async, cancellable, callback, user_data);
}

/* NULL with no error when the key is not set. */
char *
jg_store_worker_dup_meta_finish (JgStoreWorker  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- put many ---- */

static void
put_many_job (JgStoreWorker *self,
              JgStore       *store,
              GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Changed *changed;

  /* All or none: one transaction around the puts. */
  if (!jg_store_begin (store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < json_array_get_length (job->records); i++)
    {
      char *id = jg_store_put (store, job->entity,
                               json_array_get_object_element (job->records, i), &error);

      if (id == NULL)
        {
          jg_store_rollback (store);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (ids, id);
    }
  if (!jg_store_commit (store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (ids, NULL);

  changed = g_new0 (Changed, 1);
  changed->self = g_object_ref (self);
  changed->entity = g_strdup (job->entity);
  g_main_context_invoke (self->context, emit_changed, changed);
  g_task_return_pointer (task, g_ptr_array_steal (ids, NULL), (GDestroyNotify) g_strfreev);
}

/* Writes every object of @records (an array of objects) in one transaction:
 * all of them or, on the first error, none. */
void
jg_store_worker_put_many_async (JgStoreWorker       *self,
                                const char          *entity,
                                JsonArray           *records,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job;
  g_autoptr(JsonNode) copy = NULL;

  g_return_if_fail (JG_IS_STORE_WORKER (self));
  g_return_if_fail (entity != NULL);
  g_return_if_fail (records != NULL);

  copy = json_node_alloc ();
  json_node_init_array (copy, records);
  copy = json_node_copy (copy);

  job = g_new0 (Job, 1);
  job->func = put_many_job;
  job->entity = g_strdup (entity);
  job->records = json_array_ref (json_node_get_array (copy));
  queue_job (self, job, jg_store_worker_put_many_async, cancellable, callback, user_data);
}

/* The ids written, in the order of the records. */
char **
jg_store_worker_put_many_finish (JgStoreWorker  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the time bank ---- */

static void
balance_job (JgStoreWorker *self,
             JgStore       *store,
             GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  JgLedgerBalance balance;

  if (!jg_ledger_balance (store, job->id, &balance, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&balance, sizeof balance), g_free);
}

void
jg_store_worker_balance_async (JgStoreWorker       *self,
                               const char          *volunteer_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = balance_job;
  job->id = g_strdup (volunteer_id);
  queue_job (self, job, jg_store_worker_balance_async, cancellable, callback, user_data);
}

gboolean
jg_store_worker_balance_finish (JgStoreWorker    *self,
                                GAsyncResult     *result,
                                JgLedgerBalance  *out,
                                GError          **error)
{
  g_autofree JgLedgerBalance *balance = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  balance = g_task_propagate_pointer (G_TASK (result), error);
  if (balance == NULL)
    return FALSE;
  *out = *balance;
  return TRUE;
}

/* When a history entry happened: hours when they were served (a reversal
 * copies its entry's), a redemption when it was asked for. */
static const char *
ledger_date (JsonObject *o)
{
  const char *served = json_object_get_string_member_with_default (o, "served_at", NULL);

  return served != NULL ? served : json_object_get_string_member_with_default (o, "created_at", "");
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  JsonObject *oa = json_node_get_object (*(JsonNode **) a);
  JsonObject *ob = json_node_get_object (*(JsonNode **) b);

  int by_date = -g_strcmp0 (ledger_date (oa), ledger_date (ob));

  if (by_date != 0)
    return by_date;
  /* The same day and time: UUIDv7 ids sort in the order the entries were
   * made, so a reversal comes right above the entry it cancels. */
  return -g_strcmp0 (json_object_get_string_member_with_default (oa, "id", ""),
                     json_object_get_string_member_with_default (ob, "id", ""));
}

static void
ledger_job (JgStoreWorker *self,
            JgStore       *store,
            GTask         *task)
{
  static const char * const entities[] = { "service_entry", "redemption" };
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonObject) equal = json_object_new ();
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonArray *out;

  json_object_set_string_member (equal, "volunteer", job->id);
  for (guint e = 0; e < G_N_ELEMENTS (entities); e++)
    {
      GError *error = NULL;
      g_autoptr(JsonArray) array = jg_store_search_where (store, entities[e], NULL, NULL, equal, &error);

      if (array == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_node_copy (json_array_get_element (array, i));

          json_object_set_string_member (json_node_get_object (node), "entity", entities[e]);
          g_ptr_array_add (nodes, node);
        }
    }

  g_ptr_array_sort (nodes, compare_newest_first);
  /* Each entry cancelled by a reversal (of any review state) names it,
   * so that the page offers no second one (jg_ledger_check_not_reversed()):
   * not one the server refused, which cancels nothing. */
  {
    g_autoptr(GHashTable) reversed = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < nodes->len; i++)
      {
        JsonObject *o = json_node_get_object (g_ptr_array_index (nodes, i));
        const char *target = json_object_get_string_member_with_default (o, "reverses", NULL);

        if (target != NULL && !json_object_get_boolean_member_with_default (o, "deleted", FALSE) &&
            g_strcmp0 (json_object_get_string_member_with_default (o, "status", NULL), "rejected") != 0)
          g_hash_table_insert (reversed, (gpointer) target, o);
      }
    for (guint i = 0; i < nodes->len; i++)
      {
        JsonObject *o = json_node_get_object (g_ptr_array_index (nodes, i));
        JsonObject *reversal = g_hash_table_lookup (reversed,
                                                    json_object_get_string_member_with_default (o, "id", ""));

        if (reversal != NULL)
          json_object_set_string_member (o, JG_STORE_WORKER_REVERSED_BY,
                                         json_object_get_string_member_with_default (reversal, "id", ""));
      }
  }
  out = json_array_sized_new (nodes->len);
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (out, json_node_copy (g_ptr_array_index (nodes, i)));
  g_task_return_pointer (task, out, (GDestroyNotify) json_array_unref);
}

/* A volunteer's service entries and redemptions, newest first (hours by
 * when they were served, redemptions by when they were asked for), each with
 * an "entity" member naming which it is, and JG_STORE_WORKER_REVERSED_BY
 * on an entry a reversal cancels. */
void
jg_store_worker_ledger_async (JgStoreWorker       *self,
                              const char          *volunteer_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = ledger_job;
  job->id = g_strdup (volunteer_id);
  queue_job (self, job, jg_store_worker_ledger_async, cancellable, callback, user_data);
}

JsonArray *
jg_store_worker_ledger_finish (JgStoreWorker  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- sync ---- */

/* Tells the lists that @entity changed behind the worker's back: a sync
 * writes with a connection of its own. */
void
jg_store_worker_notify_changed (JgStoreWorker *self,
                                const char    *entity)
{
  g_return_if_fail (JG_IS_STORE_WORKER (self));

  g_signal_emit (self, signals[CHANGED], 0, entity);
}

static void
sync_status_job (JgStoreWorker *self,
                 JgStore       *store,
                 GTask         *task)
{
  GError *error = NULL;
  JsonObject *status = jg_store_sync_status (store, &error);
  const char *unit;

  if (status == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  unit = json_object_get_string_member_with_default (status, "org_unit", NULL);
  if (unit != NULL)
    {
      g_autoptr(JsonObject) found = jg_org_units_lookup (store, unit, NULL);

      if (found != NULL && json_object_has_member (found, "name"))
        json_object_set_string_member (status, "org_unit_name",
                                       json_object_get_string_member (found, "name"));
    }
  g_task_return_pointer (task, status, (GDestroyNotify) json_object_unref);
}

/* What the sync button shows: see jg_store_sync_status(), plus
 * "org_unit_name" when the unit is known. */
void
jg_store_worker_sync_status_async (JgStoreWorker       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = sync_status_job;
  queue_job (self, job, jg_store_worker_sync_status_async, cancellable, callback, user_data);
}

JsonObject *
jg_store_worker_sync_status_finish (JgStoreWorker  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sync_problems_job (JgStoreWorker *self,
                   JgStore       *store,
                   GTask         *task)
{
  GError *error = NULL;
  JsonArray *rejected = jg_sync_list_rejected (store, &error);
  JsonArray *conflicts;
  JsonObject *o;

  if (rejected == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Each refused record by what people call it (a household by its head). */
  for (guint i = 0; i < json_array_get_length (rejected); i++)
    {
      JsonObject *r = json_array_get_object_element (rejected, i);
      g_autofree char *title = jg_store_dup_record_title (store,
                                                          json_object_get_string_member_with_default (r, "entity", ""),
                                                          json_object_get_string_member_with_default (r, "record", ""));

      if (title != NULL)
        json_object_set_string_member (r, "title", title);
    }
  conflicts = jg_store_list_conflicts (store, FALSE, &error);
  if (conflicts == NULL)
    {
      json_array_unref (rejected);
      g_task_return_error (task, error);
      return;
    }
  o = json_object_new ();
  json_object_set_array_member (o, "rejected", rejected);
  json_object_set_array_member (o, "conflicts", conflicts);
  g_task_return_pointer (task, o, (GDestroyNotify) json_object_unref);
}

/* {"rejected": jg_sync_list_rejected(), "conflicts": the unresolved ones
 * of jg_store_list_conflicts()} */
void
jg_store_worker_sync_problems_async (JgStoreWorker       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = sync_problems_job;
  queue_job (self, job, jg_store_worker_sync_problems_async, cancellable, callback, user_data);
}

JsonObject *
jg_store_worker_sync_problems_finish (JgStoreWorker  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sign_out_job (JgStoreWorker *self,
              JgStore       *store,
              GTask         *task)
{
  GError *error = NULL;
  Changed *changed;

  if (!jg_store_forget_token (store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  changed = g_new0 (Changed, 1);
  changed->self = g_object_ref (self);
  changed->entity = g_strdup ("sync");
  g_main_context_invoke (self->context, emit_changed, changed);
  g_task_return_boolean (task, TRUE);
}

/* Forgets the profile's token; its records stay.  Emits "changed" with
 * "sync". */
void
jg_store_worker_sign_out_async (JgStoreWorker       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = sign_out_job;
  queue_job (self, job, jg_store_worker_sign_out_async, cancellable, callback, user_data);
}

gboolean
jg_store_worker_sign_out_finish (JgStoreWorker  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- closing ---- */

static void
close_job (JgStoreWorker *self,
           JgStore       *store,
           GTask         *task)
{
  /* The last connection of this worker goes; later jobs fail as closed
   * instead of opening the store again. */
  g_clear_object (&self->store);
  g_clear_error (&self->open_error);
  self->open_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("This profile’s store has been closed"));
  g_task_return_boolean (task, TRUE);
}

/* Closes the store after the jobs queued before this one (a profile about
 * to be renamed); the worker then refuses every job. */
void
jg_store_worker_close_async (JgStoreWorker       *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = close_job;
  queue_job (self, job, jg_store_worker_close_async, NULL, callback, user_data);
}

gboolean
jg_store_worker_close_finish (JgStoreWorker  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- demo data ---- */

typedef struct
{
  GCancellable       *cancellable;
  JgDemoProgressFunc  func;
  gpointer            data;
  double              fraction;
  char               *message;
} DemoProgress;

static gboolean
demo_progress_emit (gpointer user_data)
{
  DemoProgress *p = user_data;

  /* The caller cancels before it goes away, on this same thread. */
  if (p->cancellable == NULL || !g_cancellable_is_cancelled (p->cancellable))
    p->func (p->fraction, p->message, p->data);
  return G_SOURCE_REMOVE;
}

static void
demo_progress_free (DemoProgress *p)
{
  g_clear_object (&p->cancellable);
  g_free (p->message);
  g_free (p);
}

typedef struct
{
  JgStoreWorker *self;
  GTask         *task;
  gint64         last;
} DemoRun;

static void
demo_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  DemoRun *run = user_data;
  Job *job = g_task_get_task_data (run->task);
  gint64 now = g_get_monotonic_time ();
  DemoProgress *p;

  /* Ten updates a second are plenty for a progress bar. */
  if (job->progress == NULL || (now - run->last < G_USEC_PER_SEC / 10 && fraction < 1.0))
    return;
  run->last = now;

  p = g_new0 (DemoProgress, 1);
  p->cancellable = g_task_get_cancellable (run->task) ? g_object_ref (g_task_get_cancellable (run->task)) : NULL;
  p->func = job->progress;
  p->data = job->progress_data;
  p->fraction = fraction;
  p->message = g_strdup (message);
  g_main_context_invoke_full (run->self->context, G_PRIORITY_DEFAULT,
                              demo_progress_emit, p, (GDestroyNotify) demo_progress_free);
}

static void
demo_job (JgStoreWorker *self,
          JgStore       *store,
          GTask         *task)
{
  static const char * const entities[] = { "activity", "volunteer", "household", "award" };
  Job *job = g_task_get_task_data (task);
  DemoRun run = { self, task, 0 };
  GError *error = NULL;
  JsonObject *summary;

  summary = jg_demo_generate (store, &job->demo, g_task_get_cancellable (task),
                              demo_progress_cb, &run, &error);
  if (summary == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      Changed *changed = g_new0 (Changed, 1);

      changed->self = g_object_ref (self);
      changed->entity = g_strdup (entities[i]);
      g_main_context_invoke (self->context, emit_changed, changed);
    }
  g_task_return_pointer (task, summary, (GDestroyNotify) json_object_unref);
}

/* Fills the store with demo data (jg_demo_generate()).  @progress runs in
 * the worker's main context, never after @cancellable was cancelled: cancel
 * it before @progress_data goes away. */
void
jg_store_worker_demo_async (JgStoreWorker       *self,
                            const JgDemoOptions *options,
                            JgDemoProgressFunc   progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));

  job = g_new0 (Job, 1);
  job->func = demo_job;
  if (options != NULL)
    job->demo = *options;
  /* The county is the only pointer: keep the built-in one rather than
   * a string the caller may free. */
  job->demo.county = NULL;
  job->progress = progress;
  job->progress_data = progress_data;
  queue_job (self, job, jg_store_worker_demo_async, cancellable, callback, user_data);
}

JsonObject *
jg_store_worker_demo_finish (JgStoreWorker  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- any work on the store ---- */

static void
run_job (JgStoreWorker *self,
         JgStore       *store,
         GTask         *task)
{
  Job *job = g_task_get_task_data (task);
  DemoRun run = { self, task, 0 };
  GError *error = NULL;
  JsonNode *result;

  result = job->run (store, job->run_data, demo_progress_cb, &run,
                     g_task_get_cancellable (task), &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->entity != NULL)
    {
      Changed *changed = g_new0 (Changed, 1);

      changed->self = g_object_ref (self);
      changed->entity = g_strdup (job->entity);
      g_main_context_invoke (self->context, emit_changed, changed);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

/* Runs @func on the worker's thread with its store: for work that has its
 * own function in common/ (a batch of review steps, an export, a report).
 * @data belongs to the job and is freed with @data_free on any thread;
 * give it copies.  When @changed_entity is set, "changed" is emitted for
 * it after a success.  @progress runs in the worker's main context, never
 * after @cancellable was cancelled. */
void
jg_store_worker_run_async (JgStoreWorker       *self,
                           JgStoreWorkerFunc    func,
                           gpointer             data,
                           GDestroyNotify       data_free,
                           const char          *changed_entity,
                           JgDemoProgressFunc   progress,
                           gpointer             progress_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Job *job;

  g_return_if_fail (JG_IS_STORE_WORKER (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->func = run_job;
  job->run = func;
  job->run_data = data;
  job->run_data_free = data_free;
  job->entity = g_strdup (changed_entity);
  job->progress = progress;
  job->progress_data = progress_data;
  queue_job (self, job, jg_store_worker_run_async, cancellable, callback, user_data);
}

/* What @func returned. */
JsonNode *
jg_store_worker_run_finish (JgStoreWorker  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- conflicts marked as seen ---- */

static JsonNode *
dismiss_func (JgStore            *store,
              gpointer            data,
              JgDemoProgressFunc  report,
              gpointer            report_data,
              GCancellable       *cancellable,
              GError            **error)
{
  const char *id = data;
  guint n = 0;
  JsonNode *node;

  if (id != NULL ? !jg_store_dismiss_conflict (store, id, error)
                 : !jg_store_dismiss_soft_conflicts (store, &n, error))
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, id != NULL ? 1 : n);
  return node;
}

/* Marks the conflict @conflict_id as seen on this laptop
 * (jg_store_dismiss_conflict()), or every open soft one when it is %NULL
 * (jg_store_dismiss_soft_conflicts()); "changed" says "sync", so that the
 * conflicts page and the sync count follow.  Finish with
 * jg_store_worker_dismiss_conflict_finish(). */
void
jg_store_worker_dismiss_conflict_async (JgStoreWorker       *self,
                                        const char          *conflict_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (JG_IS_STORE_WORKER (self));

  jg_store_worker_run_async (self, dismiss_func, g_strdup (conflict_id), g_free, "sync", NULL, NULL,
                             cancellable, callback, user_data);
}

/* How many were marked as seen; -1 with @error set when none could be. */
gint64
jg_store_worker_dismiss_conflict_finish (JgStoreWorker  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (self, result, error);

  return node != NULL ? json_node_get_int (node) : -1;
}
