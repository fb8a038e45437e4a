/* jg-review-queue.c: what a reviewer's queues need from the store */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-entity.h"
#include "jg-error.h"
#include "jg-org-units.h"
#include "jg-review.h"
#include "jg-review-queue.h"
#include "jg-rules.h"
#include "jg-store-private.h"

static JsonObject *
node_new (const char *code,
          const char *name,
          const char *level,
          const char *path)
{
  JsonObject *o = json_object_new ();

  if (code != NULL)
    json_object_set_string_member (o, "code", code);
  else
    json_object_set_null_member (o, "code");
  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "level", level ? level : "");
  if (path != NULL)
    json_object_set_string_member (o, "path", path);
  else
    json_object_set_null_member (o, "path");
  json_object_set_int_member (o, "count", 0);
  json_object_set_array_member (o, "children", json_array_new ());
  return o;
}

static gboolean
root_unit (JgStore     *store,
           const char  *org_code,
           JsonObject **out,
           GError     **error)
{
  g_autofree char *own = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (org_code == NULL)
    org_code = own = jg_store_dup_meta (store, "org_unit");
  if (org_code != NULL && *org_code != '\0')
    {
      *out = jg_org_units_lookup (store, org_code, &local_error);
      if (*out != NULL)
        return TRUE;
      if (!g_error_matches (local_error, JG_ERROR, JG_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  stmt = jg_store_prepare (store,
                           "SELECT division_code FROM org_unit WHERE level = 'county'"
                           " ORDER BY path LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *code = g_strdup (jg_stmt_text (stmt, 0));

      jg_stmt_release (g_steal_pointer (&stmt));
      *out = jg_org_units_lookup (store, code, error);
      return *out != NULL;
    }
  return TRUE;
}

static int
depth_below (const char *root_path,
             const char *path)
{
  int depth = 0;

  for (const char *p = path + strlen (root_path); *p; p++)
    if (*p == '/')
      depth++;
  return depth;
}

JsonObject *
jg_review_queue_units (JgStore     *store,
                       const char  *entity_name,
                       const char  *org_code,
                       const char  *state,
                       GError     **error)
{
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(GHashTable) by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *live = NULL;
  const char *root_path;
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  if (entity == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY,
                   _("Unknown record type “%s”"), entity_name ? entity_name : "");
      return NULL;
    }
  if (!root_unit (store, org_code, &unit, error))
    return NULL;

  if (unit == NULL)
    {
      JgListQuery query = { 0 };
      g_autoptr(JsonObject) equal = json_object_new ();
      gint64 n;

      root = node_new (NULL, _("All Units"), NULL, NULL);
      if (state != NULL)
        json_object_set_string_member (equal, "review_state", state);
      n = jg_store_count_where (store, entity->name, &query, NULL, equal, error);
      if (n < 0)
        return NULL;
      json_object_set_int_member (root, "count", n);
      return g_steal_pointer (&root);
    }

  root_path = json_object_get_string_member (unit, "path");
  root = node_new (json_object_get_string_member (unit, "code"),
                   json_object_get_string_member (unit, "name"),
                   json_object_get_string_member (unit, "level"),
                   root_path);
  g_hash_table_insert (by_path, g_strdup (root_path), root);
  {
    g_autoptr(GError) local_error = NULL;
    gboolean decidable = jg_review_store_may_decide (store, json_object_get_string_member (unit, "code"),
                                                     "review_state", &local_error);

    if (local_error != NULL && !g_error_matches (local_error, JG_ERROR, JG_ERROR_PERMISSION))
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    json_object_set_boolean_member (root, "decidable", decidable);
  }

  /* The two levels below the root, in path order: parents come first. */
  stmt = jg_store_prepare (store,
                           "SELECT division_code, name, level, path FROM org_unit"
                           " WHERE substr (path, 1, length (?1)) = ?1 AND path <> ?1"
                           " ORDER BY path", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, root_path, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *path = jg_stmt_text (stmt, 3);
      int depth = depth_below (root_path, path);
      g_autofree char *parent_path = NULL;
      JsonObject *parent, *node;
      const char *slash;

      if (depth < 1 || depth > 2 || g_hash_table_contains (by_path, path))
        continue;
      /* "/a/b/c/" → "/a/b/" */
      slash = path + strlen (path) - 1;
      while (slash > path && *(slash - 1) != '/')
        slash--;
      parent_path = g_strndup (path, slash - path);
      parent = g_hash_table_lookup (by_path, parent_path);
      if (parent == NULL)
        continue;
      node = node_new (jg_stmt_text (stmt, 0), jg_stmt_text (stmt, 1), jg_stmt_text (stmt, 2), path);
      json_array_add_object_element (json_object_get_array_member (parent, "children"), node);
      g_hash_table_insert (by_path, g_strdup (path), node);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  jg_stmt_release (g_steal_pointer (&stmt));

  /* One grouped count; the table name comes from jg-entity.c, never from
   * the caller. */
  live = jg_rules_live_parents_sql (entity, "r");
  sql = g_strdup_printf ("SELECT o.path, count (*) FROM \"%s\" r"
                         " JOIN (SELECT division_code, max (path) AS path FROM org_unit"
                         "       WHERE substr (path, 1, length (?1)) = ?1 GROUP BY division_code) o"
                         "   ON o.division_code = r.org_unit"
                         " WHERE r.deleted IS NOT 1 AND (?2 IS NULL OR r.review_state = ?2)%s"
                         " GROUP BY o.path", entity->name, live);
  stmt = jg_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, root_path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *path = jg_stmt_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);

      /* The root's own records wait for a unit above this user's. */
      if (strcmp (path, root_path) == 0 && !json_object_get_boolean_member (root, "decidable"))
        continue;

      /* Add to the unit and to each of its ancestors in the tree. */
      for (gsize len = strlen (root_path); len <= strlen (path); len++)
        {
          g_autofree char *prefix = NULL;
          JsonObject *node;

          if (path[len - 1] != '/')
            continue;
          prefix = g_strndup (path, len);
          node = g_hash_table_lookup (by_path, prefix);
          if (node != NULL)
            json_object_set_int_member (node, "count", json_object_get_int_member (node, "count") + n);
        }
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&root);
}

gint64
jg_review_queue_set_state (JgStore              *store,
                           const char           *entity,
                           const char * const   *ids,
                           const char           *state,
                           const char           *note,
                           const char           *from_state,
                           guint                *n_skipped,
                           GStrv                *skipped_titles,
                           JgReviewProgressFunc  progress,
                           gpointer              progress_data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
  guint n;
  guint skipped = 0;

  g_return_val_if_fail (JG_IS_STORE (store), -1);
  g_return_val_if_fail (entity != NULL && ids != NULL && state != NULL, -1);

  if (n_skipped != NULL)
    *n_skipped = 0;
  if (skipped_titles != NULL)
    *skipped_titles = NULL;

  n = g_strv_length ((char **) ids);
  if (!jg_store_begin (store, error))
    return -1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) record = NULL;
      g_autofree char *id = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          jg_store_rollback (store);
          return -1;
        }
      json_object_set_string_member (fields, "id", ids[i]);
      json_object_set_string_member (fields, "review_state", state);
      if (note != NULL)
        json_object_set_string_member (fields, "review_note", note);
      record = jg_store_get (store, entity, ids[i], &local_error);
      /* Moved since it was listed, or a designation revoked (摘牌): its
       * review state never changes again (jg_review_check_revoked_step()). */
      if (record != NULL && from_state != NULL &&
          (g_strcmp0 (json_object_get_string_member_with_default (record, "review_state", "draft"),
                      from_state) != 0 ||
           jg_review_is_revoked (entity, record)))
        {
          skipped++;
          if (skipped_titles != NULL)
            {
              g_autofree char *title = jg_store_dup_record_title (store, entity, ids[i]);

              g_strv_builder_add (titles, title ? title : ids[i]);
            }
          goto next;
        }
      if (record != NULL && jg_review_check_request (store, record, state, &local_error))
        id = jg_store_put (store, entity, fields, &local_error);
      if (id == NULL)
        {
          g_autofree char *title = jg_store_dup_record_title (store, entity, ids[i]);

          jg_store_rollback (store);
          /* The reviewer knows a record by its name, not by where it was
           * in the selection. */
          if (title != NULL)
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        /* Translators: a record's name, then why it was refused */
                                        _("“%s”: "), title);
          else
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        _("Record %u of %u: "), i + 1, n);
          return -1;
        }
    next:
      if (progress != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("%u of %u records"), i + 1, n);

          progress ((double) (i + 1) / MAX (n, 1), message, progress_data);
        }
    }
  if (!jg_store_commit (store, error))
    return -1;
  if (n_skipped != NULL)
    *n_skipped = skipped;
  if (skipped_titles != NULL)
    *skipped_titles = g_strv_builder_end (titles);
  return n - skipped;
}
