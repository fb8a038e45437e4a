/* jg-record-list.c: a GListModel over one record type, read in pages
 *
 * n_items comes from a count in the worker; rows are read only when a view
 * asks for them, JG_RECORD_LIST_PAGE_SIZE at a time with LIMIT/OFFSET.  An
 * item whose page is still on its way is an empty placeholder; when the page
 * arrives the placeholders are replaced and items-changed says so.  So a
 * county's 200,000 households cost one count and the pages in view.
 */

#include "config.h"

#include "jg-record.h"
#include "jg-record-list.h"

struct _JgRecordList
{
  GObject        parent_instance;

  JgStoreWorker *worker;
  char          *entity;
  char          *search;
  JsonObject    *filter;        /* field -> value the records must hold */

  guint          n_items;
  GHashTable    *pages;         /* page number -> GPtrArray of JgRecord */
  GCancellable  *cancellable;   /* the current generation of reads */
  guint          pending;       /* reads in flight */
  guint          ready : 1;     /* the first count has arrived */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JgRecordList, jg_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_WORKER,
  PROP_ENTITY,
  PROP_SEARCH,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  JgRecordList *self;
  GCancellable *cancellable;
  guint         page;
} PageRead;

static void
set_pending (JgRecordList *self,
             int           delta)
{
  gboolean was_loading = self->pending > 0;

  self->pending = (guint) ((int) self->pending + delta);
  if (was_loading != (self->pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
page_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PageRead *read = user_data;
  JgRecordList *self = read->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = NULL;
  GPtrArray *page;
  guint n;

  array = jg_store_worker_search_finish (JG_STORE_WORKER (object), result, &error);
  set_pending (self, -1);

  if (g_cancellable_is_cancelled (read->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  if (array == NULL)
    {
      g_warning ("Could not read %s records: %s", self->entity, error->message);
      goto out;
    }

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (read->page));
  if (page == NULL)
    goto out;

  n = MIN (page->len, json_array_get_length (array));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      JgRecord *placeholder = g_ptr_array_index (page, i);

      g_ptr_array_index (page, i) = jg_record_new (self->entity, o);
      g_object_unref (placeholder);
    }
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), read->page * JG_RECORD_LIST_PAGE_SIZE, n, n);

out:
  g_object_unref (read->cancellable);
  g_object_unref (read->self);
  g_free (read);
}

static GPtrArray *
ensure_page (JgRecordList *self,
             guint         page_no)
{
  GPtrArray *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_no));
  guint start = page_no * JG_RECORD_LIST_PAGE_SIZE;
  guint len;
  PageRead *read;

  if (page != NULL)
    return page;

  len = MIN (JG_RECORD_LIST_PAGE_SIZE, self->n_items - start);
  page = g_ptr_array_new_full (len, g_object_unref);
  for (guint i = 0; i < len; i++)
    g_ptr_array_add (page, jg_record_new (self->entity, NULL));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_no), page);

  read = g_new0 (PageRead, 1);
  read->self = g_object_ref (self);
  read->cancellable = g_object_ref (self->cancellable);
  read->page = page_no;
  set_pending (self, +1);
  jg_store_worker_search_where_async (self->worker, self->entity, self->search, self->filter,
                                      start, JG_RECORD_LIST_PAGE_SIZE,
                                      self->cancellable, page_read_cb, read);
  return page;
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PageRead *read = user_data;
  JgRecordList *self = read->self;
  g_autoptr(GError) error = NULL;
  gint64 n;
  guint old_n;

  n = jg_store_worker_count_finish (JG_STORE_WORKER (object), result, &error);
  set_pending (self, -1);

  if (g_cancellable_is_cancelled (read->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  if (n < 0)
    {
      g_warning ("Could not count %s records: %s", self->entity, error->message);
      n = 0;
    }

  old_n = self->n_items;
  self->n_items = (guint) n;
  g_hash_table_remove_all (self->pages);
  if (old_n != 0 || n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (!self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }

out:
  g_object_unref (read->cancellable);
  g_object_unref (read->self);
  g_free (read);
}

void
jg_record_list_reload (JgRecordList *self)
{
  PageRead *read;

  g_return_if_fail (JG_IS_RECORD_LIST (self));

  if (self->worker == NULL || self->entity == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_object_unref (self->cancellable);

  read = g_new0 (PageRead, 1);
  read->self = g_object_ref (self);
  read->cancellable = g_object_ref (self->cancellable);
  set_pending (self, +1);
  jg_store_worker_count_where_async (self->worker, self->entity, self->search, self->filter,
                                     self->cancellable, count_cb, read);
}

static void
worker_changed_cb (JgRecordList  *self,
                   const char    *entity,
                   JgStoreWorker *worker)
{
  if (g_strcmp0 (entity, self->entity) == 0)
    jg_record_list_reload (self);
}

static GType
jg_record_list_get_item_type (GListModel *model)
{
  return JG_TYPE_RECORD;
}

static guint
jg_record_list_get_n_items (GListModel *model)
{
  return JG_RECORD_LIST (model)->n_items;
}

static gpointer
jg_record_list_get_item (GListModel *model,
                         guint       position)
{
  JgRecordList *self = JG_RECORD_LIST (model);
  GPtrArray *page;
  guint index;

  if (position >= self->n_items)
    return NULL;

  page = ensure_page (self, position / JG_RECORD_LIST_PAGE_SIZE);
  index = position % JG_RECORD_LIST_PAGE_SIZE;
  if (index >= page->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (page, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = jg_record_list_get_item_type;
  iface->get_n_items = jg_record_list_get_n_items;
  iface->get_item = jg_record_list_get_item;
}

static void
jg_record_list_constructed (GObject *object)
{
  JgRecordList *self = (JgRecordList *)object;

  G_OBJECT_CLASS (jg_record_list_parent_class)->constructed (object);

  g_signal_connect_object (self->worker, "changed",
                           G_CALLBACK (worker_changed_cb), self,
                           G_CONNECT_SWAPPED);
  jg_record_list_reload (self);
}

static void
jg_record_list_dispose (GObject *object)
{
  JgRecordList *self = (JgRecordList *)object;

  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->pages);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (jg_record_list_parent_class)->dispose (object);
}

static void
jg_record_list_finalize (GObject *object)
{
  JgRecordList *self = (JgRecordList *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->entity, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->filter, json_object_unref);

  G_OBJECT_CLASS (jg_record_list_parent_class)->finalize (object);
}

static void
jg_record_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgRecordList *self = JG_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;

    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_record_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgRecordList *self = JG_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_ENTITY:
      self->entity = g_value_dup_string (value);
      break;

    case PROP_SEARCH:
      jg_record_list_set_search (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_record_list_class_init (JgRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jg_record_list_constructed;
  object_class->dispose = jg_record_list_dispose;
  object_class->finalize = jg_record_list_finalize;
  object_class->get_property = jg_record_list_get_property;
  object_class->set_property = jg_record_list_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_record_list_init (JgRecordList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
  self->filter = json_object_new ();
}

JgRecordList *
jg_record_list_new (JgStoreWorker *worker,
                    const char    *entity)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  return g_object_new (JG_TYPE_RECORD_LIST,
                       "worker", worker,
                       "entity", entity,
                       NULL);
}

const char *
jg_record_list_get_entity (JgRecordList *self)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), NULL);

  return self->entity;
}

const char *
jg_record_list_get_search (JgRecordList *self)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), NULL);

  return self->search;
}

void
jg_record_list_set_search (JgRecordList *self,
                           const char   *search)
{
  g_return_if_fail (JG_IS_RECORD_LIST (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  jg_record_list_reload (self);
}

gboolean
jg_record_list_get_loading (JgRecordList *self)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), FALSE);

  return self->pending > 0;
}

gboolean
jg_record_list_get_ready (JgRecordList *self)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), FALSE);

  return self->ready;
}

/* Keeps only the records whose field holds value; NULL or "" removes the
 * condition on that field. */
void
jg_record_list_set_filter (JgRecordList *self,
                           const char   *field,
                           const char   *value)
{
  const char *old;

  g_return_if_fail (JG_IS_RECORD_LIST (self));
  g_return_if_fail (field != NULL);

  if (value != NULL && *value == '\0')
    value = NULL;
  old = json_object_get_string_member_with_default (self->filter, field, NULL);
  if (g_strcmp0 (old, value) == 0)
    return;

  if (value == NULL)
    json_object_remove_member (self->filter, field);
  else
    json_object_set_string_member (self->filter, field, value);
  jg_record_list_reload (self);
}

const char *
jg_record_list_get_filter (JgRecordList *self,
                           const char   *field)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), NULL);

  return json_object_get_string_member_with_default (self->filter, field, NULL);
}

/* Keeps only the records whose date, datetime or integer (year) @field
 * lies in [@from, @to), either end NULL for an open one; a NULL @field
 * removes the condition.  One reload, however many of them change. */
void
jg_record_list_set_range (JgRecordList *self,
                          const char   *field,
                          const char   *from,
                          const char   *to)
{
  const char * const names[] = { JG_STORE_WORKER_DATE_FIELD, JG_STORE_WORKER_DATE_FROM, JG_STORE_WORKER_DATE_TO };
  const char *values[] = { field, field ? from : NULL, field ? to : NULL };
  gboolean changed = FALSE;

  g_return_if_fail (JG_IS_RECORD_LIST (self));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = values[i] != NULL && *values[i] != '\0' ? values[i] : NULL;

      if (g_strcmp0 (json_object_get_string_member_with_default (self->filter, names[i], NULL), value) == 0)
        continue;
      if (value == NULL)
        json_object_remove_member (self->filter, names[i]);
      else
        json_object_set_string_member (self->filter, names[i], value);
      changed = TRUE;
    }
  if (changed)
    jg_record_list_reload (self);
}

/* Whether a search or any filter narrows the list. */
gboolean
jg_record_list_get_narrowed (JgRecordList *self)
{
  g_return_val_if_fail (JG_IS_RECORD_LIST (self), FALSE);

  return self->search != NULL || json_object_get_size (self->filter) > 0;
}
