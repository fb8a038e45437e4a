/* jg-history.c: a record's history, read from the change log */

#include "config.h"

#include <string.h>

#include "jg-hlc.h"
#include "jg-history.h"
#include "jg-json.h"
#include "jg-store-private.h"

JsonArray *
jg_history_list (JgStore     *store,
                 const char  *entity,
                 const char  *record_id,
                 GError     **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  const char *self_replica = jg_store_get_replica_id (store);
  int rc;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);
  g_return_val_if_fail (entity != NULL && record_id != NULL, NULL);

  stmt = jg_store_prepare (store,
                           "SELECT f.field, c.value, c.hlc, c.author, r.replica_id"
                           " FROM change_entry c JOIN replica r ON r.idx = c.replica_idx"
                           " JOIN change_field f ON f.code = c.field"
                           " WHERE c.record = ?1 AND f.entity = ?2"
                           " ORDER BY c.hlc, r.replica_id, c.counter", error);
  if (stmt == NULL)
    return NULL;
  jg_store_bind_record (stmt, 1, record_id);
  sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      gint64 hlc = sqlite3_column_int64 (stmt, 2);
      g_autofree char *at = jg_hlc_to_iso8601 (hlc);
      JsonNode *value = jg_json_parse (jg_stmt_text (stmt, 1), -1, NULL);
      const char *replica = jg_stmt_text (stmt, 4);

      json_object_set_string_member (o, "field", jg_stmt_text (stmt, 0));
      json_object_set_member (o, "value", value ? value : json_node_new (JSON_NODE_NULL));
      json_object_set_int_member (o, "hlc", hlc);
      json_object_set_string_member (o, "at", at);
      if (jg_stmt_text (stmt, 3) != NULL)
        json_object_set_string_member (o, "author", jg_stmt_text (stmt, 3));
      else
        json_object_set_null_member (o, "author");
      json_object_set_string_member (o, "replica", replica);
      json_object_set_boolean_member (o, "this_device", g_strcmp0 (replica, self_replica) == 0);
      json_array_add_object_element (array, o);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&array);
}
