/* jg-test-fixture.c: a real store in a fresh directory, with a fixed clock,
 * and the write helpers the tests of the domain rules share. */

#include "config.h"

#include <glib/gstdio.h>

#include "jg-test-fixture.h"

gint64
jg_test_fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

void
jg_test_fixture_set_up (JgTestFixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("jg-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "store.db", NULL);
  f->store = jg_store_open (path, JG_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  f->now_ms = T_NOW;
  jg_hlc_set_wall_clock (jg_store_get_hlc (f->store), jg_test_fixed_clock, &f->now_ms);
  jg_store_set_username (f->store, "village1", &error);
  g_assert_no_error (error);
}

void
jg_test_fixture_tear_down (JgTestFixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

JsonObject *
jg_test_parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Writes a record that must be accepted; returns its id. */
char *
jg_test_put_ok (JgTestFixture    *f,
        const char *entity,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = jg_test_parse_object (json);
  char *id = jg_store_put (f->store, entity, fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* Writes a record that must be refused with this code on this field, and
 * checks that nothing reached the change log. */
void
jg_test_put_refused (JgTestFixture     *f,
             const char  *entity,
             const char  *json,
             JgErrorCode  code,
             const char  *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = jg_test_parse_object (json);
  g_autofree char *id = NULL;
  gint64 seq = jg_store_get_last_seq (f->store);

  id = jg_store_put (f->store, entity, fields, &error);
  g_assert_null (id);
  g_assert_error (error, JG_ERROR, (int) code);
  g_assert_cmpstr (jg_error_get_field (error), ==, field);
  g_assert_cmpint (jg_store_get_last_seq (f->store), ==, seq);
}

JsonObject *
jg_test_get_record (JgTestFixture    *f,
            const char *entity,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = jg_store_get (f->store, entity, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

void
jg_test_set_actor (JgTestFixture    *f,
           const char *username,
           const char *role,
           const char *org_unit)
{
  g_autoptr(GError) error = NULL;

  jg_store_set_username (f->store, username, &error);
  g_assert_no_error (error);
  if (role != NULL)
    jg_store_set_meta (f->store, "role", role, &error);
  g_assert_no_error (error);
  if (org_unit != NULL)
    jg_store_set_meta (f->store, "org_unit", org_unit, &error);
  g_assert_no_error (error);
}

