/* test-entity.c: record types and field types (jg-entity.h)
 *
 * Also the test that keeps jg-entity.c and schemas/migrations in step: every
 * field of every entity must be a column of its table in a freshly migrated
 * store, with a matching SQL type, and the other way round.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-config.h"
#include "jg-entity.h"
#include "jg-error.h"
#include "jg-json.h"
#include "jg-store-private.h"

/* The record types of DOMAIN.md and the fields it names for each. */
static const struct
{
  const char *entity;
  const char *fields[20];
} domain_entities[] = {
  { "household", { "head_name", "address", "member_count", "phone", "tags",
                   "publicity_consent", "consent_at" } },
  { "activity", { "title", "category", "start_at", "end_at", "location", "organizer",
                  "partners", "participants", "participants_women", "participants_children",
                  "beneficiaries", "funds_yuan", "summary" } },
  { "volunteer", { "name", "gender", "birth_year", "phone", "id_last4", "team", "skills",
                   "joined_at", "active" } },
  { "service_entry", { "volunteer", "minutes", "service_type", "activity", "served_at",
                       "recorded_by", "reverses", "reason" } },
  { "redemption", { "volunteer", "minutes", "item", "item_name", "beneficiary", "status",
                    "reverses", "reason" } },
  { "inspection", { "household", "inspected_at", "inspectors", "stage", "rubric",
                    "rubric_version", "item_scores", "veto_hits", "notes", "total",
                    "section_totals", "star", "rectify_by" } },
  { "designation", { "household", "level", "valid_from", "valid_to", "plaque_no",
                     "revoked", "revoked_reason" } },
  { "award", { "household", "family_name", "award_type", "level", "year", "batch", "deeds",
               "nominated_by", "state", "notice_start", "notice_end", "certificate_no" } },
};

static const char * const common_fields[] = {
  "org_unit", "created_by", "created_at", "review_state", "review_note", "deleted",
};

static void
test_entities_exist (void)
{
  guint n = 0;
  const JgEntityDef * const *all = jg_entity_all (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (domain_entities));
  for (guint i = 0; i < G_N_ELEMENTS (domain_entities); i++)
    {
      const JgEntityDef *e = jg_entity_lookup (domain_entities[i].entity);
      gboolean listed = FALSE;

      g_assert_nonnull (e);
      g_assert_cmpstr (e->name, ==, domain_entities[i].entity);
      for (guint j = 0; j < n; j++)
        listed |= all[j] == e;
      g_assert_true (listed);

      for (guint j = 0; domain_entities[i].fields[j]; j++)
        {
          const char *name = domain_entities[i].fields[j];

          if (jg_entity_field (e, name, NULL) == NULL)
            g_error ("%s has no field %s", e->name, name);
        }
    }

  g_assert_null (jg_entity_lookup ("user"));
  g_assert_null (jg_entity_lookup ("Household"));
  g_assert_null (jg_entity_lookup (""));
  g_assert_null (jg_entity_lookup (NULL));
}

static void
test_common_fields (void)
{
  guint n = 0;
  const JgEntityDef * const *all = jg_entity_all (&n);

  for (guint i = 0; i < n; i++)
    {
      const JgEntityDef *e = all[i];
      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_cmpuint (e->n_fields, >, JG_N_COMMON_FIELDS);
      /* The common fields sit at fixed positions (JG_COMMON_*). */
      for (guint j = 0; j < G_N_ELEMENTS (common_fields); j++)
        g_assert_cmpstr (e->fields[j].name, ==, common_fields[j]);
      g_assert_true (e->fields[JG_COMMON_ORG_UNIT].type == JG_FIELD_UNIT);
      g_assert_true (e->fields[JG_COMMON_ORG_UNIT].flags & JG_FIELD_FLAG_REQUIRED);
      g_assert_true (e->fields[JG_COMMON_DELETED].type == JG_FIELD_BOOL);
      g_assert_true (e->fields[JG_COMMON_DELETED].flags & JG_FIELD_FLAG_SYSTEM);
      g_assert_true (e->fields[JG_COMMON_CREATED_AT].flags & JG_FIELD_FLAG_SYSTEM);
      g_assert_true (e->fields[JG_COMMON_CREATED_BY].flags & JG_FIELD_FLAG_SYSTEM);
      g_assert_true (e->fields[JG_COMMON_REVIEW_STATE].type == JG_FIELD_ENUM);

      /* Unique names, which the store and the wire format rely on; "id" and
       * "updated_at" are not fields. */
      for (guint j = 0; j < e->n_fields; j++)
        {
          g_assert_true (g_hash_table_add (names, (gpointer) e->fields[j].name));
          g_assert_cmpint (jg_entity_field_index (e, e->fields[j].name), ==, (int) j);
        }
      g_assert_null (jg_entity_field (e, "id", NULL));
      g_assert_null (jg_entity_field (e, "updated_at", NULL));
    }
}

static void
test_field_lookup (void)
{
  const JgEntityDef *e = jg_entity_lookup ("household");
  const JgFieldDef *f;
  int index = 42;

  f = jg_entity_field (e, "head_name", &index);
  g_assert_nonnull (f);
  g_assert_cmpstr (f->name, ==, "head_name");
  g_assert_cmpint (index, ==, JG_N_COMMON_FIELDS);
  g_assert_true (f == &e->fields[index]);

  g_assert_null (jg_entity_field (e, "no_such_field", &index));
  g_assert_cmpint (index, ==, -1);
  g_assert_cmpint (jg_entity_field_index (e, NULL), ==, -1);
  g_assert_cmpint (jg_entity_field_index (e, "HEAD_NAME"), ==, -1);
}

static void
test_ledger_flags (void)
{
  const char *ledgers[] = { "service_entry", "redemption" };
  const JgEntityDef *inspection = jg_entity_lookup ("inspection");

  for (guint i = 0; i < G_N_ELEMENTS (ledgers); i++)
    {
      const JgEntityDef *e = jg_entity_lookup (ledgers[i]);

      g_assert_true (e->ledger);
      g_assert_true (jg_entity_field (e, "volunteer", NULL)->flags & JG_FIELD_FLAG_IMMUTABLE);
      g_assert_true (jg_entity_field (e, "minutes", NULL)->flags & JG_FIELD_FLAG_IMMUTABLE);
      g_assert_true (jg_entity_field (e, "reverses", NULL)->flags & JG_FIELD_FLAG_IMMUTABLE);
      g_assert_cmpstr (jg_entity_field (e, "reverses", NULL)->ref_entity, ==, e->name);
    }
  /* A redemption's status is decided later by the server. */
  g_assert_false (jg_entity_field (jg_entity_lookup ("redemption"), "status", NULL)->flags &
                  JG_FIELD_FLAG_IMMUTABLE);
  g_assert_false (jg_entity_lookup ("household")->ledger);

  /* The inspection's score is computed, never typed in. */
  g_assert_true (jg_entity_field (inspection, "total", NULL)->flags & JG_FIELD_FLAG_COMPUTED);
  g_assert_true (jg_entity_field (inspection, "star", NULL)->flags & JG_FIELD_FLAG_COMPUTED);
  g_assert_true (jg_entity_field (inspection, "section_totals", NULL)->flags & JG_FIELD_FLAG_COMPUTED);
  g_assert_false (jg_entity_field (inspection, "item_scores", NULL)->flags & JG_FIELD_FLAG_COMPUTED);

  /* Personal data is marked. */
  g_assert_true (jg_entity_field (jg_entity_lookup ("household"), "phone", NULL)->flags &
                 JG_FIELD_FLAG_SENSITIVE);
  g_assert_true (jg_entity_field (jg_entity_lookup ("household"), "tags", NULL)->flags &
                 JG_FIELD_FLAG_SENSITIVE);
  g_assert_true (jg_entity_field (jg_entity_lookup ("volunteer"), "id_last4", NULL)->flags &
                 JG_FIELD_FLAG_SENSITIVE);
}

static const char *
sql_type_for (JgFieldType type)
{
  switch (type)
    {
    case JG_FIELD_INT:
    case JG_FIELD_BOOL:
      return "INTEGER";
    case JG_FIELD_REAL:
      return "REAL";
    default:
      return "TEXT";
    }
}

static void
test_schema_matches (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jg-entity-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  guint n = 0;
  const JgEntityDef * const *all = jg_entity_all (&n);

  g_assert_nonnull (dir);
  store = jg_store_open (path, JG_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  for (guint i = 0; i < n; i++)
    {
      const JgEntityDef *e = all[i];
      g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(JgStmt) stmt = NULL;
      guint n_columns = 0;

      stmt = jg_store_prepare (store, "SELECT name, type FROM pragma_table_info (?)", &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, e->name, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_hash_table_insert (columns, g_strdup (jg_stmt_text (stmt, 0)),
                               g_ascii_strup (jg_stmt_text (stmt, 1), -1));
          n_columns++;
        }
      if (n_columns == 0)
        g_error ("The store has no table for %s", e->name);

      /* The store's own columns. */
      g_assert_cmpstr (g_hash_table_lookup (columns, "rowid_"), ==, "INTEGER");
      g_assert_cmpstr (g_hash_table_lookup (columns, "id"), ==, "TEXT");
      g_assert_cmpstr (g_hash_table_lookup (columns, "_v"), ==, "BLOB");

      for (guint j = 0; j < e->n_fields; j++)
        {
          const JgFieldDef *f = &e->fields[j];
          const char *type = g_hash_table_lookup (columns, f->name);

          if (type == NULL)
            g_error ("Table %s has no column for the field %s", e->name, f->name);
          if (strcmp (type, sql_type_for (f->type)) != 0)
            g_error ("Column %s.%s is %s, the field is a %s", e->name, f->name, type,
                     jg_field_type_name (f->type));
        }
      /* And no column that is not a field. */
      if (n_columns != e->n_fields + 3)
        {
          GHashTableIter iter;
          gpointer name;

          g_hash_table_iter_init (&iter, columns);
          while (g_hash_table_iter_next (&iter, &name, NULL))
            if (jg_entity_field (e, name, NULL) == NULL &&
                strcmp (name, "rowid_") != 0 && strcmp (name, "id") != 0 && strcmp (name, "_v") != 0)
              g_error ("Table %s has a column %s that jg-entity.c does not know", e->name,
                       (char *) name);
        }
      g_assert_cmpuint (n_columns, ==, e->n_fields + 3);
    }

  g_clear_object (&store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* -1 when the value passes, else the error code. */
static int
check (const char *entity,
       const char *field,
       const char *json)
{
  const JgEntityDef *e = jg_entity_lookup (entity);
  const JgFieldDef *f = jg_entity_field (e, field, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean ok;

  g_assert_nonnull (f);
  value = jg_json_parse (json, -1, &error);
  g_assert_no_error (error);
  ok = jg_field_check_type (f, value, &error);
  if (ok)
    {
      g_assert_no_error (error);
      return -1;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == JG_ERROR);
  /* Errors about one value name the field. */
  g_assert_cmpstr (jg_error_get_field (error), ==, field);
  return error->code;
}

#define assert_ok(e, f, j) g_assert_cmpint (check (e, f, j), ==, -1)
#define assert_code(e, f, j, c) g_assert_cmpint (check (e, f, j), ==, c)

static void
test_type_null (void)
{
  const JgEntityDef *e = jg_entity_lookup ("household");

  /* Null clears a field of any type. */
  for (guint i = 0; i < e->n_fields; i++)
    assert_ok ("household", e->fields[i].name, "null");
  g_assert_true (jg_field_check_type (jg_entity_field (e, "head_name", NULL), NULL, NULL));
}

static void
test_type_date (void)
{
  assert_ok ("volunteer", "joined_at", "\"2024-03-08\"");
  assert_ok ("volunteer", "joined_at", "\"2024-02-29\"");
  assert_ok ("volunteer", "joined_at", "\"2000-02-29\"");
  assert_ok ("volunteer", "joined_at", "\"2023-12-31\"");
  assert_code ("volunteer", "joined_at", "\"2023-02-29\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"1900-02-29\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-04-31\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-13-01\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-00-10\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-01-00\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-3-8\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024/03/08\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"2024-03-08T09:30\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\" 2024-03-08\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"+024-03-08\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"0024-03-08\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "\"\"", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "20240308", JG_ERROR_WRONG_TYPE);
  assert_code ("volunteer", "joined_at", "[\"2024-03-08\"]", JG_ERROR_WRONG_TYPE);
}

static void
test_type_datetime (void)
{
  assert_ok ("activity", "start_at", "\"2024-03-08T09:30\"");
  assert_ok ("activity", "start_at", "\"2024-03-08T09:30:15\"");
  assert_ok ("activity", "start_at", "\"2024-03-08 09:30\"");
  assert_ok ("activity", "start_at", "\"2024-03-08T09:30:00+08:00\"");
  assert_ok ("activity", "start_at", "\"2024-03-08T01:30:00Z\"");
  assert_ok ("activity", "start_at", "\"2024-02-29T23:59\"");
  assert_code ("activity", "start_at", "\"2023-02-29T09:30\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08T24:30\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08T09:60\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08T9:30\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08X09:30\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"2024-03-08T09:30:00 nonsense\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "\"yesterday\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "start_at", "1709890200", JG_ERROR_WRONG_TYPE);
}

static void
test_type_division_code (void)
{
  assert_ok ("household", "org_unit", "\"331082004240\"");
  assert_ok ("household", "org_unit", "\"331082004\"");
  assert_ok ("household", "org_unit", "\"331082\"");
  assert_ok ("household", "org_unit", "\"3310\"");
  assert_ok ("household", "org_unit", "\"33\"");
  assert_code ("household", "org_unit", "\"33108200424\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "\"3310820042400\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "\"33108200424x\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "\"33 1082004240\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "\"3\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "\"\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "org_unit", "331082004240", JG_ERROR_WRONG_TYPE);
}

static void
test_type_enum (void)
{
  for (guint i = 0; jg_review_states[i]; i++)
    {
      g_autofree char *json = g_strdup_printf ("\"%s\"", jg_review_states[i]);

      assert_ok ("household", "review_state", json);
    }
  assert_code ("household", "review_state", "\"published\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_code ("household", "review_state", "\"Draft\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_code ("household", "review_state", "\"\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_code ("household", "review_state", "1", JG_ERROR_WRONG_TYPE);

  assert_ok ("volunteer", "gender", "\"female\"");
  assert_ok ("volunteer", "gender", "\"male\"");
  assert_code ("volunteer", "gender", "\"f\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_ok ("inspection", "stage", "\"third_party\"");
  assert_ok ("inspection", "stage", "\"reinspection\"");
  assert_code ("inspection", "stage", "\"audit\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_ok ("redemption", "item", "\"privilege\"");
  assert_code ("redemption", "item", "\"cash\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_ok ("award", "level", "\"national\"");
  assert_code ("designation", "level", "\"national\"", JG_ERROR_NOT_ALLOWED_VALUE);
  assert_ok ("award", "state", "\"public_notice\"");
  assert_code ("award", "state", "\"published\"", JG_ERROR_NOT_ALLOWED_VALUE);
}

static void
test_type_configurable_lists (void)
{
  JgConfig *config = jg_config_get_default ();
  const char *lists[][2] = {
    { "activity", "category" },
    { "service_entry", "service_type" },
    { "award", "award_type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      const JgFieldDef *f = jg_entity_field (jg_entity_lookup (lists[i][0]), lists[i][1], NULL);
      const char * const *codes;

      g_assert_nonnull (f->choice_list);
      g_assert_null (f->choices);
      codes = jg_config_get_list (config, f->choice_list);
      g_assert_nonnull (codes);
      g_assert_cmpuint (g_strv_length ((char **) codes), >, 1);
      for (guint j = 0; codes[j]; j++)
        {
          g_autofree char *json = g_strdup_printf ("\"%s\"", codes[j]);

          g_assert_true (jg_field_choice_allowed (f, codes[j]));
          assert_ok (lists[i][0], lists[i][1], json);
        }
      g_assert_false (jg_field_choice_allowed (f, "no_such_code"));
      g_assert_false (jg_field_choice_allowed (f, NULL));
      assert_code (lists[i][0], lists[i][1], "\"no_such_code\"", JG_ERROR_NOT_ALLOWED_VALUE);
    }

  /* The DOMAIN.md defaults. */
  assert_ok ("activity", "category", "\"training\"");
  assert_ok ("activity", "category", "\"outreach_talk\"");
  assert_ok ("award", "award_type", "\"most_beautiful_family\"");
}

static void
test_type_replaced_config (void)
{
  const char *data = "{\"version\": 1, \"lists\": {"
                     "\"activity_categories\": [{\"code\": \"harvest_fair\"}, \"tea_picking\"]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JgConfig) county = jg_config_new_from_data (data, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (county);

  /* A county that replaces the list: the check follows the configuration. */
  jg_config_set_default (county);
  assert_ok ("activity", "category", "\"harvest_fair\"");
  assert_ok ("activity", "category", "\"tea_picking\"");
  assert_code ("activity", "category", "\"training\"", JG_ERROR_NOT_ALLOWED_VALUE);
  /* A list the county left out allows nothing rather than anything. */
  assert_code ("service_entry", "service_type", "\"training\"", JG_ERROR_NOT_ALLOWED_VALUE);

  jg_config_set_default (NULL);
  assert_ok ("activity", "category", "\"training\"");
  assert_code ("activity", "category", "\"harvest_fair\"", JG_ERROR_NOT_ALLOWED_VALUE);
}

static void
test_type_strlist (void)
{
  GString *many = g_string_new ("[");

  assert_ok ("household", "tags", "[]");
  assert_ok ("household", "tags", "[\"留守\", \"低保\"]");
  assert_code ("household", "tags", "\"留守\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "tags", "[\"留守\", 1]", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "tags", "[null]", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "tags", "[[\"a\"]]", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "tags", "{\"a\": \"b\"}", JG_ERROR_WRONG_TYPE);

  for (int i = 0; i < 201; i++)
    g_string_append_printf (many, "%s\"t%d\"", i ? "," : "", i);
  g_string_append_c (many, ']');
  assert_code ("household", "tags", many->str, JG_ERROR_TOO_LONG);
  g_string_free (many, TRUE);
}

static void
test_type_object (void)
{
  assert_ok ("inspection", "item_scores", "{}");
  assert_ok ("inspection", "item_scores", "{\"R1\": 6, \"Y3\": 4}");
  assert_code ("inspection", "item_scores", "[]", JG_ERROR_WRONG_TYPE);
  assert_code ("inspection", "item_scores", "\"R1\"", JG_ERROR_WRONG_TYPE);
  assert_code ("inspection", "item_scores", "6", JG_ERROR_WRONG_TYPE);
}

static void
test_type_numbers (void)
{
  assert_ok ("household", "member_count", "4");
  assert_ok ("household", "member_count", "-4");
  assert_code ("household", "member_count", "4.5", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "member_count", "4.0", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "member_count", "\"4\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "member_count", "true", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "member_count", "[4]", JG_ERROR_WRONG_TYPE);

  /* A real accepts integers too. */
  assert_ok ("activity", "funds_yuan", "1200");
  assert_ok ("activity", "funds_yuan", "1200.5");
  assert_ok ("activity", "funds_yuan", "0");
  assert_code ("activity", "funds_yuan", "\"1200.5\"", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "funds_yuan", "false", JG_ERROR_WRONG_TYPE);
  assert_code ("activity", "funds_yuan", "{}", JG_ERROR_WRONG_TYPE);
}

static void
test_type_bool (void)
{
  assert_ok ("household", "publicity_consent", "true");
  assert_ok ("household", "publicity_consent", "false");
  assert_code ("household", "publicity_consent", "1", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "publicity_consent", "0", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "publicity_consent", "\"true\"", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "publicity_consent", "[]", JG_ERROR_WRONG_TYPE);
}

static void
test_type_text (void)
{
  GString *s = g_string_new (NULL);

  assert_ok ("household", "head_name", "\"王芳\"");
  assert_ok ("household", "head_name", "\"\"");
  assert_code ("household", "head_name", "42", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "head_name", "[\"王芳\"]", JG_ERROR_WRONG_TYPE);
  assert_code ("household", "head_name", "{}", JG_ERROR_WRONG_TYPE);

  /* The limit counts characters, not bytes: 200 Chinese characters fit. */
  for (int i = 0; i < JG_TEXT_MAX_DEFAULT; i++)
    g_string_append (s, "王");
  g_string_prepend_c (s, '"');
  g_string_append_c (s, '"');
  assert_ok ("household", "head_name", s->str);
  g_string_insert (s, 1, "a");
  assert_code ("household", "head_name", s->str, JG_ERROR_TOO_LONG);

  /* Long text fields have the long limit. */
  assert_ok ("activity", "summary", s->str);
  g_string_truncate (s, 0);
  g_string_append_c (s, '"');
  for (int i = 0; i < JG_TEXT_MAX_LONG; i++)
    g_string_append_c (s, 'x');
  g_string_append_c (s, '"');
  assert_ok ("activity", "summary", s->str);
  g_string_insert (s, 1, "y");
  assert_code ("activity", "summary", s->str, JG_ERROR_TOO_LONG);

  /* An entry of a list of text has the same limit. */
  g_string_printf (s, "[\"%0*d\"]", JG_TEXT_MAX_DEFAULT + 1, 0);
  assert_code ("household", "tags", s->str, JG_ERROR_TOO_LONG);
  g_string_free (s, TRUE);
}

static void
test_type_ref (void)
{
  assert_ok ("inspection", "household", "\"017f22e2-79b0-7cc3-98c4-dc0c0c07398f\"");
  assert_code ("inspection", "household", "\"017F22E2-79B0-7CC3-98C4-DC0C0C07398F\"", JG_ERROR_WRONG_TYPE);
  assert_code ("inspection", "household", "\"王芳\"", JG_ERROR_WRONG_TYPE);
  assert_code ("inspection", "household", "\"\"", JG_ERROR_WRONG_TYPE);
  assert_code ("inspection", "household", "1", JG_ERROR_WRONG_TYPE);
}

static void
test_type_names (void)
{
  /* Shown in messages; every type has a name. */
  for (int t = JG_FIELD_TEXT; t <= JG_FIELD_OBJECT; t++)
    g_assert_cmpstr (jg_field_type_name ((JgFieldType) t), !=, "unknown");
  g_assert_cmpstr (jg_field_type_name (JG_FIELD_DATE), ==, "date");
}

static char *
from_text (const char *entity,
           const char *field,
           const char *text,
           GError    **error)
{
  const JgFieldDef *def = jg_entity_field (jg_entity_lookup (entity), field, NULL);
  g_autoptr(JsonNode) node = jg_field_value_from_text (def, text, error);

  return node ? jg_json_canonical (node) : NULL;
}

/* What a reviewer types for a value: a choice by its code or its label in
 * either language (培训 was refused), yes/no, numbers in digits. */
static void
test_value_from_text (void)
{
  const struct { const char *entity, *field, *text, *json; } ok[] = {
    { "activity", "category", "培训", "\"training\"" },
    { "activity", "category", "training", "\"training\"" },
    { "activity", "category", " 维权 ", "\"rights_protection\"" },
    { "household", "review_state", "approved", "\"approved\"" },
    { "household", "publicity_consent", "是", "true" },
    { "household", "publicity_consent", "No", "false" },
    { "household", "member_count", "12", "12" },
    { "activity", "funds_yuan", "2000.5", "2000.5" },
    { "household", "head_name", "王芳", "\"王芳\"" },
  };
  const struct { const char *entity, *field, *text, *words; } bad[] = {
    { "activity", "category", "跳舞", "choices" },
    { "household", "member_count", "十二", "whole number" },
    { "household", "member_count", "3.5", "whole number" },
    { "activity", "funds_yuan", "", "number" },
    { "household", "publicity_consent", "maybe", "yes or no" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = from_text (ok[i].entity, ok[i].field, ok[i].text, &error);

      g_test_message ("%s", ok[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (json, ==, ok[i].json);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = from_text (bad[i].entity, bad[i].field, bad[i].text, &error);

      g_test_message ("%s", bad[i].text);
      g_assert_null (json);
      g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].words));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/entity/exist", test_entities_exist);
  g_test_add_func ("/jg/entity/common-fields", test_common_fields);
  g_test_add_func ("/jg/entity/field-lookup", test_field_lookup);
  g_test_add_func ("/jg/entity/flags", test_ledger_flags);
  g_test_add_func ("/jg/entity/schema-matches", test_schema_matches);
  g_test_add_func ("/jg/entity/type/null", test_type_null);
  g_test_add_func ("/jg/entity/type/date", test_type_date);
  g_test_add_func ("/jg/entity/type/datetime", test_type_datetime);
  g_test_add_func ("/jg/entity/type/division-code", test_type_division_code);
  g_test_add_func ("/jg/entity/type/enum", test_type_enum);
  g_test_add_func ("/jg/entity/type/configurable-lists", test_type_configurable_lists);
  g_test_add_func ("/jg/entity/type/replaced-config", test_type_replaced_config);
  g_test_add_func ("/jg/entity/type/strlist", test_type_strlist);
  g_test_add_func ("/jg/entity/type/object", test_type_object);
  g_test_add_func ("/jg/entity/type/numbers", test_type_numbers);
  g_test_add_func ("/jg/entity/type/bool", test_type_bool);
  g_test_add_func ("/jg/entity/value-from-text", test_value_from_text);
  g_test_add_func ("/jg/entity/type/text", test_type_text);
  g_test_add_func ("/jg/entity/type/ref", test_type_ref);
  g_test_add_func ("/jg/entity/type/names", test_type_names);

  return g_test_run ();
}
