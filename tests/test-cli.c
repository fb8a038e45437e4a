/* test-cli.c: jinguo-cli, run as a real process
 *
 * Every case spawns the built binary ($JINGUO_CLI) and looks only at what a
 * user or a script sees: stdout, stderr and the exit status.  A refused
 * command must print nothing on stdout, say why on stderr, exit with the
 * documented status (2 usage, 65 bad data, 66 no such input) and leave the
 * store exactly as it was.
 */

#include "config.h"

#include <inttypes.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"

#define EXIT_USAGE   2
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66

typedef struct
{
  char *out;
  char *err;
  int   status;
} CliResult;

static void
cli_result_free (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("JINGUO_CLI");

  g_assert_nonnull (path);
  return path;
}

/* The child must not find a store through $JINGUO_DB by accident. */
static char **
child_environ (void)
{
  char **env = g_get_environ ();

  return g_environ_unsetenv (env, "JINGUO_DB");
}

static int
exit_code (int wait_status)
{
  g_autoptr(GError) error = NULL;

  if (g_spawn_check_wait_status (wait_status, &error))
    return 0;
  /* A crash is never an acceptable way to refuse input. */
  if (error->domain != G_SPAWN_EXIT_ERROR)
    g_error ("jinguo-cli did not exit normally: %s", error->message);
  return error->code;
}

/* Runs jinguo-cli [--db DB] ARGS…; "input" (or NULL) goes to its stdin. */
static CliResult *
cli_runv (const char         *db,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = child_environ ();
  g_autoptr(GError) error = NULL;
  CliResult *r = g_new0 (CliResult, 1);
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  if (db != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, (gpointer) db);
    }
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (input == NULL)
    {
      g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                    &r->out, &r->err, &wait_status, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) proc = NULL;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_environ (launcher, env);
      proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error);
      g_assert_no_error (error);
      wait_status = g_subprocess_get_status (proc);
    }
  r->status = exit_code (wait_status);
  if (r->out == NULL)
    r->out = g_strdup ("");
  if (r->err == NULL)
    r->err = g_strdup ("");
  return r;
}

#define cli(db, ...) cli_runv ((db), NULL, (const char * const []) { __VA_ARGS__, NULL })
#define cli_stdin(db, input, ...) cli_runv ((db), (input), (const char * const []) { __VA_ARGS__, NULL })

/* Asserts success and returns stdout. */
static char *
cli_ok_v (const char         *db,
          const char         *input,
          const char * const *args)
{
  g_autoptr(CliResult) r = cli_runv (db, input, args);

  if (r->status != 0)
    g_test_message ("jinguo-cli %s … failed: %s", args[0], r->err);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->err, ==, "");
  return g_steal_pointer (&r->out);
}

#define cli_ok(db, ...) cli_ok_v ((db), NULL, (const char * const []) { __VA_ARGS__, NULL })

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = jg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

/* ---- stores in a temporary directory ---------------------------------- */

typedef struct
{
  char *dir;
} TmpDir;

static void
tmp_dir_free (TmpDir *t)
{
  g_autoptr(GDir) d = g_dir_open (t->dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (t->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (t->dir);
  g_free (t->dir);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TmpDir, tmp_dir_free)

static TmpDir *
tmp_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  TmpDir *t = g_new0 (TmpDir, 1);

  t->dir = g_dir_make_tmp ("jg-cli-XXXXXX", &error);
  g_assert_no_error (error);
  return t;
}

static char *
tmp_path (TmpDir     *t,
          const char *name)
{
  return g_build_filename (t->dir, name, NULL);
}

/* A new store; returns its path. */
static char *
new_store (TmpDir     *t,
           const char *name)
{
  char *db = tmp_path (t, name);
  g_autofree char *out = cli_ok (db, "init");
  g_autoptr(JsonObject) o = parse_object (out);

  g_assert_true (jg_replica_id_valid (json_object_get_string_member (o, "replica")));
  return db;
}

static char *
put (const char *db,
     const char *entity,
     const char *json)
{
  g_autofree char *out = cli_ok (db, "put", entity, json);
  g_autoptr(JsonObject) o = parse_object (out);
  const char *id = json_object_get_string_member (o, "id");

  g_assert_true (jg_uuid_valid (id));
  return g_strdup (id);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Everything a user can read from a store: the change log, every list
 * (tombstones included) and every conflict. */
static char *
snapshot (const char *db)
{
  GString *s = g_string_new (NULL);
  g_autofree char *log = cli_ok (db, "export-changes");
  g_autofree char *conflicts = cli_ok (db, "conflicts", "--all");
  guint n;
  const JgEntityDef * const *entities = jg_entity_all (&n);

  g_string_append (s, log);
  for (guint e = 0; e < n; e++)
    {
      g_autofree char *list = cli_ok (db, "list", entities[e]->name, "--all");

      g_string_append_printf (s, "%s: %s", entities[e]->name, list);
    }
  g_string_append (s, conflicts);
  return g_string_free (s, FALSE);
}

/* Every entity's list, as the acceptance criterion compares them. */
static char *
lists (const char *db)
{
  GString *s = g_string_new (NULL);
  guint n;
  const JgEntityDef * const *entities = jg_entity_all (&n);

  for (guint e = 0; e < n; e++)
    {
      g_autofree char *list = cli_ok (db, "list", entities[e]->name);
      g_autofree char *all = NULL;

      /* Tombstones too, for the types these tests write. */
      if (e < 3)
        all = cli_ok (db, "list", entities[e]->name, "--all");
      g_string_append_printf (s, "%s: %s%s", entities[e]->name, list, all ? all : "");
    }
  return g_string_free (s, FALSE);
}

/* The hard conflicts of "conflicts --all" without "detected_at", which is
 * local by nature.  Only the hard ones: which pairs of versions of two
 * different fields are recorded as soft conflicts depends on the order in
 * which the versions arrive, so soft conflicts may differ between stores. */
static char *
hard_conflicts (const char *db)
{
  g_autofree char *out = cli_ok (db, "conflicts", "--all");
  g_autoptr(JsonArray) all = parse_array (out);
  g_autoptr(JsonArray) hard = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint k = 0; k < json_array_get_length (all); k++)
    {
      JsonObject *c = json_array_get_object_element (all, k);

      if (strcmp (json_object_get_string_member (c, "kind"), "hard") != 0)
        continue;
      json_object_remove_member (c, "detected_at");
      json_array_add_object_element (hard, json_object_ref (c));
    }
  node = json_node_init_array (json_node_alloc (), hard);
  return jg_json_canonical (node);
}

static void
assert_refusal (CliResult  *r,
                int         status,
                const char *fragment)
{
  if (r->status != status || *r->out != '\0' || strstr (r->err, fragment) == NULL)
    g_test_message ("status %d, stdout “%s”, stderr “%s”", r->status, r->out, r->err);
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "jinguo-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_nonnull (strstr (r->err, fragment));
}

/* The same as snapshot(), read in-process: cheap enough to run after every
 * refused command (the CLI's own snapshot is compared once per fixture). */
static char *
store_state (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (db, JG_STORE_FLAGS_NONE, &error);
  g_autoptr(JsonNode) log = NULL;
  g_autoptr(JsonArray) conflicts = NULL;
  g_autoptr(JsonNode) cnode = NULL;
  GString *s = g_string_new (NULL);
  JgListQuery query = { .include_deleted = TRUE };
  guint n;
  const JgEntityDef * const *entities = jg_entity_all (&n);
  g_autofree char *log_text = NULL;
  g_autofree char *conflicts_text = NULL;

  g_assert_no_error (error);
  log = jg_store_export_bundle (store, 0, &error);
  g_assert_no_error (error);
  log_text = jg_json_canonical (log);
  g_string_append_printf (s, "%s\n", log_text);
  for (guint e = 0; e < n; e++)
    {
      g_autoptr(JsonArray) list = jg_store_list (store, entities[e]->name, &query, &error);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      node = json_node_init_array (json_node_alloc (), list);
      text = jg_json_canonical (node);
      g_string_append_printf (s, "%s: %s\n", entities[e]->name, text);
    }
  conflicts = jg_store_list_conflicts (store, TRUE, &error);
  g_assert_no_error (error);
  cnode = json_node_init_array (json_node_alloc (), conflicts);
  conflicts_text = jg_json_canonical (cnode);
  g_string_append (s, conflicts_text);
  return g_string_free (s, FALSE);
}

/* ---- a store with some records, for the refusals --------------------- */

typedef struct
{
  TmpDir *tmp;
  char   *db;
  char   *household;
  char   *activity;
  char   *before;   /* snapshot (): what the CLI shows */
  char   *state;    /* store_state () */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmp = tmp_dir_new ();
  f->db = new_store (f->tmp, "village.db");
  f->household = put (f->db, "household",
                      "{\"org_unit\":\"331082004240\",\"head_name\":\"王秀英\","
                      "\"address\":\"临海市大田街道刘村3组12号\",\"member_count\":4}");
  f->activity = put (f->db, "activity",
                     "{\"org_unit\":\"331082004240\",\"title\":\"三八妇女节主题宣讲\","
                     "\"category\":\"outreach_talk\",\"start_at\":\"2024-03-08T09:30\","
                     "\"participants\":60}");
  g_free (put (f->db, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"李桂兰\",\"gender\":\"female\"}"));
  f->before = snapshot (f->db);
  f->state = store_state (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->household);
  g_free (f->activity);
  if (!g_test_failed ())
    {
      g_autofree char *after = snapshot (f->db);

      g_assert_cmpstr (after, ==, f->before);
    }
  g_free (f->before);
  g_free (f->state);
  g_free (f->db);
  tmp_dir_free (f->tmp);
}

static void
assert_unchanged (Fixture *f)
{
  g_autofree char *after = store_state (f->db);

  g_assert_cmpstr (after, ==, f->state);
}

/* Runs a command that must be refused with "status", and checks the store. */
static void
refused_v (Fixture            *f,
           int                 status,
           const char         *fragment,
           const char         *input,
           const char * const *args)
{
  g_autoptr(CliResult) r = cli_runv (f->db, input, args);

  assert_refusal (r, status, fragment);
  assert_unchanged (f);
}

#define refused(f, status, fragment, ...) \
  refused_v ((f), (status), (fragment), NULL, (const char * const []) { __VA_ARGS__, NULL })

/* ---- init, put, get, list, delete -------------------------------------- */

static void
test_init (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *db = tmp_path (t, "new.db");
  g_autofree char *out1 = cli_ok (db, "init");
  g_autofree char *out2 = cli_ok (db, "init");
  g_autoptr(JsonObject) o1 = parse_object (out1);
  g_autoptr(JsonObject) o2 = parse_object (out2);

  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_true (jg_replica_id_valid (json_object_get_string_member (o1, "replica")));
  g_assert_cmpstr (json_object_get_string_member (o1, "path"), ==, db);
  g_assert_cmpint (json_object_get_int_member (o1, "schema_version"), >=, 1);
  /* A second init shows the store that is there: same identity. */
  g_assert_cmpstr (json_object_get_string_member (o2, "replica"), ==,
                   json_object_get_string_member (o1, "replica"));

  /* An empty store path is no store (SQLite would open a temporary one
   * and keep nothing), and a sync server is an http(s) address. */
  {
    g_autoptr(CliResult) empty = cli ("", "init");
    g_autoptr(CliResult) ftp = cli_stdin (db, "secret\n", "login", "ftp://127.0.0.1:21", "va");

    g_assert_cmpint (empty->status, ==, EXIT_NOINPUT);
    g_assert_cmpint (ftp->status, ==, 65);
    g_assert_nonnull (strstr (ftp->err, "ftp://127.0.0.1:21"));
  }
}

static void
test_put_get (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *db = new_store (t, "s.db");
  g_autofree char *id = put (db, "household",
                             "{\"org_unit\":\"331082004240\",\"head_name\":\"陈美华\","
                             "\"address\":\"临海市大田街道刘村1组8号\",\"member_count\":3,"
                             "\"phone\":\"13812345678\",\"tags\":[\"留守妇女\"]}");
  g_autofree char *out = cli_ok (db, "get", "household", id);
  g_autoptr(JsonObject) o = parse_object (out);
  g_autofree char *list = cli_ok (db, "list", "household");
  g_autoptr(JsonArray) all = parse_array (list);
  JsonArray *tags;

  /* The record's own view shows the phone; a list masks it (DOMAIN.md). */
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "13812345678");
  g_assert_cmpuint (json_array_get_length (all), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (all, 0), "phone"), ==,
                   "138****5678");
  g_assert_null (strstr (list, "13812345678"));

  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (o, "org_unit"), ==, "331082004240");
  g_assert_cmpstr (json_object_get_string_member (o, "head_name"), ==, "陈美华");
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "临海市大田街道刘村1组8号");
  g_assert_cmpint (json_object_get_int_member (o, "member_count"), ==, 3);
  tags = json_object_get_array_member (o, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "留守妇女");
  g_assert_false (json_object_get_boolean_member (o, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "draft");
  g_assert_true (json_object_has_member (o, "created_at"));
  g_assert_true (json_object_has_member (o, "updated_at"));
}

/* A put with "id" changes the fields it names and nothing else. */
static void
test_put_update (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *db = new_store (t, "s.db");
  g_autofree char *id = put (db, "activity",
                             "{\"org_unit\":\"331082004240\",\"title\":\"家庭教育公益讲座\","
                             "\"category\":\"family_education\",\"start_at\":\"2024-05-12T14:00\","
                             "\"location\":\"刘村文化礼堂\",\"participants\":45}");
  g_autofree char *before_text = cli_ok (db, "get", "activity", id);
  g_autofree char *log_before = cli_ok (db, "export-changes");
  g_autoptr(JsonObject) before = parse_object (before_text);
  g_autoptr(JsonObject) bundle_before = parse_object (log_before);
  g_autofree char *edit = g_strdup_printf ("{\"id\":\"%s\",\"participants\":52}", id);
  g_autofree char *id2 = put (db, "activity", edit);
  g_autofree char *after_text = cli_ok (db, "get", "activity", id);
  g_autoptr(JsonObject) after = parse_object (after_text);
  g_autofree char *since = g_strdup_printf ("%" PRId64,
                                            json_object_get_int_member (bundle_before, "last_seq"));
  g_autofree char *log_after = cli_ok (db, "export-changes", "--since", since);
  g_autoptr(JsonObject) bundle_after = parse_object (log_after);
  JsonArray *changes = json_object_get_array_member (bundle_after, "changes");
  g_autoptr(GList) members = json_object_get_members (before);

  g_assert_cmpstr (id2, ==, id);
  g_assert_cmpint (json_object_get_int_member (after, "participants"), ==, 52);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (strcmp (name, "participants") == 0 || strcmp (name, "updated_at") == 0)
        continue;
      a = jg_json_canonical (json_object_get_member (before, name));
      b = jg_json_canonical (json_object_get_member (after, name));
      g_assert_cmpstr (b, ==, a);
    }
  /* One field changed: one change in the log. */
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "field"),
                   ==, "participants");
}

static void
test_list_delete (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *db = new_store (t, "s.db");
  g_autofree char *a = put (db, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"应素芬\",\"birth_year\":1972}");
  g_autofree char *b = put (db, "volunteer", "{\"org_unit\":\"331082004201\",\"name\":\"徐雪梅\",\"team\":\"刘村巾帼志愿服务队\"}");
  g_autofree char *empty = cli_ok (db, "list", "household");
  g_autofree char *list1 = cli_ok (db, "list", "volunteer");
  g_autoptr(JsonArray) l1 = parse_array (list1);
  g_autoptr(JsonArray) l0 = parse_array (empty);
  g_autofree char *del = cli_ok (db, "delete", "volunteer", a);
  g_autoptr(JsonObject) d = parse_object (del);
  g_autofree char *list2 = cli_ok (db, "list", "volunteer");
  g_autofree char *list3 = cli_ok (db, "list", "volunteer", "--all");
  g_autofree char *got = cli_ok (db, "get", "volunteer", a);
  g_autoptr(JsonArray) l2 = parse_array (list2);
  g_autoptr(JsonArray) l3 = parse_array (list3);
  g_autoptr(JsonObject) g = parse_object (got);
  g_autoptr(CliResult) again = cli (db, "delete", "volunteer", a);

  g_assert_cmpuint (json_array_get_length (l0), ==, 0);
  g_assert_cmpuint (json_array_get_length (l1), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (d, "id"), ==, a);
  g_assert_true (json_object_get_boolean_member (d, "deleted"));
  g_assert_cmpuint (json_array_get_length (l2), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (l2, 0), "id"), ==, b);
  g_assert_cmpuint (json_array_get_length (l3), ==, 2);
  /* A tombstone, not a removal. */
  g_assert_true (json_object_get_boolean_member (g, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (g, "name"), ==, "应素芬");
  /* Deleting twice is refused. */
  g_assert_cmpint (again->status, !=, 0);
  g_assert_cmpstr (again->out, ==, "");
  g_assert_true (g_str_has_prefix (again->err, "jinguo-cli: "));
}

/* ---- bundles ----------------------------------------------------------- */

static void
test_export_import (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *a = new_store (t, "a.db");
  g_autofree char *b = new_store (t, "b.db");
  g_autofree char *file1 = tmp_path (t, "a-1.json");
  g_autofree char *file2 = tmp_path (t, "a-2.json");
  g_autofree char *h = put (a, "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"郑红霞\",\"member_count\":2}");
  g_autofree char *bundle1 = cli_ok (a, "export-changes");
  g_autoptr(JsonObject) b1 = parse_object (bundle1);
  g_autofree char *since = g_strdup_printf ("%" PRId64, json_object_get_int_member (b1, "last_seq"));
  g_autofree char *since_eq = g_strdup_printf ("--since=%s", since);
  g_autofree char *counts1 = NULL;
  g_autofree char *counts2 = NULL;
  g_autofree char *counts3 = NULL;
  g_autofree char *bundle2 = NULL;
  g_autofree char *bundle2b = NULL;
  g_autofree char *edit = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":3}", h);
  g_autofree char *la = NULL;
  g_autofree char *lb = NULL;
  g_autoptr(JsonObject) c1 = NULL;
  g_autoptr(JsonObject) c2 = NULL;
  g_autoptr(JsonObject) c3 = NULL;
  g_autoptr(JsonObject) b2 = NULL;
  guint n1 = json_array_get_length (json_object_get_array_member (b1, "changes"));

  g_assert_cmpstr (json_object_get_string_member (b1, "format"), ==, "jinguo-changes");
  g_assert_cmpint (json_object_get_int_member (b1, "protocol"), ==, 1);
  g_assert_cmpuint (n1, >, 0);
  write_file (file1, bundle1);
  counts1 = cli_ok (b, "import-changes", file1);
  c1 = parse_object (counts1);
  g_assert_cmpint (json_object_get_int_member (c1, "accepted"), ==, n1);
  g_assert_cmpint (json_object_get_int_member (c1, "duplicates"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c1, "conflicts"), ==, 0);

  /* Only what is new since the last export, in both spellings of --since. */
  g_free (put (a, "household", edit));
  bundle2 = cli_ok (a, "export-changes", "--since", since);
  bundle2b = cli_ok (a, "export-changes", since_eq);
  g_assert_cmpstr (bundle2b, ==, bundle2);
  b2 = parse_object (bundle2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (b2, "changes")), ==, 1);
  write_file (file2, bundle2);
  counts2 = cli_ok (b, "import-changes", file2);
  c2 = parse_object (counts2);
  g_assert_cmpint (json_object_get_int_member (c2, "accepted"), ==, 1);

  /* The full bundle again: nothing new. */
  counts3 = cli_ok (b, "import-changes", file1);
  c3 = parse_object (counts3);
  g_assert_cmpint (json_object_get_int_member (c3, "accepted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (c3, "duplicates"), ==, n1);

  la = lists (a);
  lb = lists (b);
  g_assert_cmpstr (lb, ==, la);
}

static void
test_import_stdin (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *a = new_store (t, "a.db");
  g_autofree char *b = new_store (t, "b.db");
  g_autofree char *id = put (a, "activity",
                             "{\"org_unit\":\"331082004205\",\"title\":\"关爱留守儿童暑期慰问\","
                             "\"category\":\"care_visit\",\"start_at\":\"2024-07-20T09:00\","
                             "\"funds_yuan\":3000.5}");
  g_autofree char *bundle = cli_ok (a, "export-changes");
  g_autofree char *counts = cli_ok_v (b, bundle, (const char * const []) { "import-changes", "-", NULL });
  g_autoptr(JsonObject) c = parse_object (counts);
  g_autofree char *got = cli_ok (b, "get", "activity", id);
  g_autoptr(JsonObject) o = parse_object (got);
  g_autofree char *la = lists (a);
  g_autofree char *lb = lists (b);

  g_assert_cmpint (json_object_get_int_member (c, "accepted"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "关爱留守儿童暑期慰问");
  g_assert_cmpfloat (json_object_get_double_member (o, "funds_yuan"), ==, 3000.5);
  g_assert_cmpstr (lb, ==, la);
}

/* Two stores set one field to different values offline. */
static void
test_conflicts_output (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *a = new_store (t, "a.db");
  g_autofree char *b = new_store (t, "b.db");
  g_autofree char *fa = tmp_path (t, "a.json");
  g_autofree char *fb = tmp_path (t, "b.json");
  g_autofree char *id = put (a, "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"何金花\"}");
  g_autofree char *bundle = cli_ok (a, "export-changes");
  g_autofree char *ea = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"临海市大田街道刘村2组5号\"}", id);
  g_autofree char *eb = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"临海市大田街道刘村2组15号\"}", id);
  const char *stores[] = { a, b };

  write_file (fa, bundle);
  g_free (cli_ok (b, "import-changes", fa));
  g_free (put (a, "household", ea));
  g_free (put (b, "household", eb));
  g_free (bundle);
  bundle = cli_ok (a, "export-changes");
  write_file (fa, bundle);
  g_free (bundle);
  bundle = cli_ok (b, "export-changes");
  write_file (fb, bundle);
  g_free (cli_ok (a, "import-changes", fb));
  g_free (cli_ok (b, "import-changes", fa));

  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *out = cli_ok (stores[s], "conflicts");
      g_autoptr(JsonArray) list = parse_array (out);
      JsonObject *c;
      JsonArray *values;
      g_autofree char *v0 = NULL;
      g_autofree char *v1 = NULL;

      g_assert_cmpuint (json_array_get_length (list), ==, 1);
      c = json_array_get_object_element (list, 0);
      g_assert_cmpuint (strlen (json_object_get_string_member (c, "id")), ==, 36);
      g_assert_cmpstr (json_object_get_string_member (c, "kind"), ==, "hard");
      g_assert_cmpstr (json_object_get_string_member (c, "entity"), ==, "household");
      g_assert_cmpstr (json_object_get_string_member (c, "record"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (c, "field"), ==, "address");
      values = json_object_get_array_member (c, "values");
      g_assert_cmpuint (json_array_get_length (values), ==, 2);
      v0 = g_strdup (json_object_get_string_member (json_array_get_object_element (values, 0), "value"));
      v1 = g_strdup (json_object_get_string_member (json_array_get_object_element (values, 1), "value"));
      g_assert_cmpstr (v0, !=, v1);
      g_assert_true (g_strcmp0 (v0, "临海市大田街道刘村2组5号") == 0 || g_strcmp0 (v1, "临海市大田街道刘村2组5号") == 0);
      g_assert_true (g_strcmp0 (v0, "临海市大田街道刘村2组15号") == 0 || g_strcmp0 (v1, "临海市大田街道刘村2组15号") == 0);
    }
}

/* "conflicts" is a list: phone numbers in it are masked (DOMAIN.md); the
 * change bundle is data and keeps them whole. */
static void
test_conflicts_mask_phones (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *a = new_store (t, "a.db");
  g_autofree char *b = new_store (t, "b.db");
  g_autofree char *fa = tmp_path (t, "a.json");
  g_autofree char *fb = tmp_path (t, "b.json");
  g_autofree char *id = put (a, "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"何金花\"}");
  g_autofree char *bundle = cli_ok (a, "export-changes");
  g_autofree char *ea = g_strdup_printf ("{\"id\":\"%s\",\"phone\":\"13811112222\"}", id);
  g_autofree char *eb = g_strdup_printf ("{\"id\":\"%s\",\"phone\":\"13933334444\"}", id);
  g_autofree char *out = NULL;

  write_file (fa, bundle);
  g_free (cli_ok (b, "import-changes", fa));
  g_free (put (a, "household", ea));
  g_free (put (b, "household", eb));
  g_free (bundle);
  bundle = cli_ok (b, "export-changes");
  write_file (fb, bundle);
  g_free (cli_ok (a, "import-changes", fb));

  out = cli_ok (a, "conflicts", "--all");
  g_assert_nonnull (strstr (out, "\"phone\""));
  g_assert_null (strstr (out, "13811112222"));
  g_assert_null (strstr (out, "13933334444"));
  g_assert_nonnull (strstr (out, "138****2222"));
  g_assert_nonnull (strstr (out, "139****4444"));
  /* The record's own form shows it whole, and so does the bundle. */
  g_free (bundle);
  bundle = cli_ok (a, "export-changes");
  g_assert_nonnull (strstr (bundle, "13811112222"));
  g_assert_nonnull (strstr (bundle, "13933334444"));
}

/* The acceptance scenario: three village laptops edit offline, swap bundle
 * files in any order, and end with the same lists and the same conflicts. */
static void
test_acceptance (void)
{
  static const guint perms[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autoptr(GRand) rand = NULL;
  const char *seed_env = g_getenv ("JG_TEST_SEED");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  char *db[3];
  char *file[3];
  g_autofree char *first = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *act = NULL;
  g_autofree char *vol = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *reference_conflicts = NULL;

  g_test_message ("seed %u (replay with JG_TEST_SEED=%u)", seed, seed);
  rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("laptop-%u.db", i);
      g_autofree char *fname = g_strdup_printf ("laptop-%u.json", i);

      db[i] = new_store (t, name);
      file[i] = tmp_path (t, fname);
    }

  /* Day 0: laptop 0 enters the records, the others copy them. */
  h1 = put (db[0], "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"王秀英\",\"member_count\":4,"
                                "\"address\":\"临海市大田街道刘村3组12号\"}");
  h2 = put (db[0], "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"刘建国\",\"member_count\":2}");
  act = put (db[0], "activity", "{\"org_unit\":\"331082004240\",\"title\":\"美丽庭院创建培训\","
                                "\"category\":\"training\",\"start_at\":\"2024-04-02T14:30\",\"participants\":35}");
  vol = put (db[0], "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"周慧敏\",\"gender\":\"female\"}");
  first = cli_ok (db[0], "export-changes");
  write_file (file[0], first);
  g_free (cli_ok (db[1], "import-changes", file[0]));
  g_free (cli_ok (db[2], "import-changes", file[0]));

  /* Offline: concurrent edits, some of the same fields. */
  {
    g_autofree char *e0 = g_strdup_printf ("{\"id\":\"%s\",\"head_name\":\"王秀兰\",\"member_count\":5}", h1);
    g_autofree char *e1 = g_strdup_printf ("{\"id\":\"%s\",\"head_name\":\"汪秀英\",\"address\":\"临海市大田街道刘村3组21号\"}", h1);
    g_autofree char *e2 = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":3}", h1);
    g_autofree char *e3 = g_strdup_printf ("{\"id\":\"%s\",\"participants\":41}", act);
    g_autofree char *e4 = g_strdup_printf ("{\"id\":\"%s\",\"participants\":38,\"location\":\"刘村文化礼堂\"}", act);
    g_autofree char *e5 = g_strdup_printf ("{\"id\":\"%s\",\"phone\":\"13857661234\"}", vol);

    g_free (put (db[0], "household", e0));
    g_free (put (db[1], "household", e1));
    g_free (put (db[2], "household", e2));
    g_free (put (db[1], "activity", e3));
    g_free (put (db[2], "activity", e4));
    g_free (put (db[1], "volunteer", e5));
    g_free (cli_ok (db[0], "delete", "volunteer", vol));
    g_free (cli_ok (db[2], "delete", "household", h2));
    g_free (put (db[1], "household", "{\"org_unit\":\"331082004201\",\"head_name\":\"孙桂英\",\"member_count\":6}"));
    g_free (put (db[2], "volunteer", "{\"org_unit\":\"331082004205\",\"name\":\"罗丽娟\",\"birth_year\":1985}"));
  }

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *bundle = cli_ok (db[i], "export-changes");

      write_file (file[i], bundle);
    }

  /* Each laptop takes the other two bundles in a random order. */
  for (guint i = 0; i < 3; i++)
    {
      guint others[2] = { (i + 1) % 3, (i + 2) % 3 };

      if (g_rand_boolean (rand))
        {
          guint x = others[0];

          others[0] = others[1];
          others[1] = x;
        }
      for (guint k = 0; k < 2; k++)
        g_free (cli_ok (db[i], "import-changes", file[others[k]]));
    }

  /* And six fresh stores take all three bundles, one in every order. */
  for (guint p = 0; p < G_N_ELEMENTS (perms); p++)
    {
      g_autofree char *name = g_strdup_printf ("county-%u.db", p);
      g_autofree char *fresh = new_store (t, name);
      g_autofree char *l = NULL;
      g_autofree char *c = NULL;

      for (guint k = 0; k < 3; k++)
        g_free (cli_ok (fresh, "import-changes", file[perms[p][k]]));
      l = lists (fresh);
      c = hard_conflicts (fresh);
      if (reference == NULL)
        {
          reference = g_steal_pointer (&l);
          reference_conflicts = g_steal_pointer (&c);
        }
      else
        {
          g_assert_cmpstr (l, ==, reference);
          g_assert_cmpstr (c, ==, reference_conflicts);
        }
    }

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *l = lists (db[i]);
      g_autofree char *all = hard_conflicts (db[i]);
      g_autofree char *out = cli_ok (db[i], "conflicts");
      g_autoptr(JsonArray) conflicts = parse_array (out);
      const char *expect[][2] = { { h1, "head_name" }, { h1, "member_count" }, { act, "participants" } };
      guint n_hard = 0;

      g_assert_cmpstr (l, ==, reference);
      g_assert_cmpstr (all, ==, reference_conflicts);
      for (guint e = 0; e < G_N_ELEMENTS (expect); e++)
        {
          gboolean found = FALSE;

          for (guint k = 0; k < json_array_get_length (conflicts); k++)
            {
              JsonObject *c = json_array_get_object_element (conflicts, k);

              if (strcmp (json_object_get_string_member (c, "kind"), "hard") == 0 &&
                  strcmp (json_object_get_string_member (c, "record"), expect[e][0]) == 0 &&
                  strcmp (json_object_get_string_member (c, "field"), expect[e][1]) == 0)
                found = TRUE;
            }
          if (!found)
            g_test_message ("laptop %u has no conflict for %s", i, expect[e][1]);
          g_assert_true (found);
        }
      for (guint k = 0; k < json_array_get_length (conflicts); k++)
        n_hard += strcmp (json_object_get_string_member (json_array_get_object_element (conflicts, k), "kind"), "hard") == 0;
      /* Three fields met, each between two versions. */
      g_assert_cmpuint (n_hard, ==, 3);
    }

  /* The deletion holds against the concurrent edit of the phone. */
  {
    g_autofree char *got = cli_ok (db[1], "get", "volunteer", vol);
    g_autoptr(JsonObject) o = parse_object (got);

    g_assert_true (json_object_get_boolean_member (o, "deleted"));
  }

  for (guint i = 0; i < 3; i++)
    {
      g_free (db[i]);
      g_free (file[i]);
    }
}

/* ---- refusals ----------------------------------------------------------- */

static void
test_bad_entity (Fixture       *f,
                 gconstpointer  data)
{
  refused (f, EXIT_DATAERR, "(unknown_entity)", "put", "family", "{\"org_unit\":\"331082004240\"}");
  refused (f, EXIT_DATAERR, "(unknown_entity)", "list", "family");
  refused (f, EXIT_DATAERR, "(unknown_entity)", "get", "family", f->household);
  refused (f, EXIT_DATAERR, "(unknown_entity)", "delete", "family", f->household);
}

/* A household with live inspections is not deleted: the refusal says what
 * holds it, with its code and status, and nothing is written. */
static void
test_delete_in_use (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"household\":\"%s\","
                                           "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\"}",
                                           f->household);

  g_free (put (f->db, "inspection", json));
  g_free (f->before);
  f->before = snapshot (f->db);
  g_free (f->state);
  f->state = store_state (f->db);
  refused (f, EXIT_DATAERR, "(in_use: deleted)", "delete", "household", f->household);
  refused (f, EXIT_DATAERR, "1 courtyard inspection", "delete", "household", f->household);
}

static void
test_bad_json (Fixture       *f,
               gconstpointer  data)
{
  refused (f, EXIT_DATAERR, "(malformed)", "put", "household", "{\"org_unit\":\"331082004240\",\"head_name\":");
  refused (f, EXIT_DATAERR, "(malformed)", "put", "household", "[\"331082004240\"]");
  refused (f, EXIT_DATAERR, "(malformed)", "put", "household", "");
}

static void
test_bad_field (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *edit = g_strdup_printf ("{\"id\":\"%s\",\"income\":12000}", f->household);

  refused (f, EXIT_DATAERR, "(unknown_field: income)", "put", "household",
           "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\",\"income\":12000}");
  refused (f, EXIT_DATAERR, "(unknown_field: income)", "put", "household", edit);
  /* Fields the store keeps are not for the user to set. */
  refused (f, EXIT_DATAERR, "(read_only: created_by)", "put", "household",
           "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\",\"created_by\":\"someone\"}");
  /* updated_at is the store's: refused, not silently dropped, unless it is
   * the one "get" showed. */
  refused (f, EXIT_DATAERR, "(read_only: updated_at)", "put", "household",
           "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\",\"updated_at\":\"2020-01-01T00:00:00Z\"}");
  g_free (edit);
  edit = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":3,\"updated_at\":\"2020-01-01T00:00:00Z\"}", f->household);
  refused (f, EXIT_DATAERR, "(read_only: updated_at)", "put", "household", edit);
}

static void
test_bad_type (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *edit = g_strdup_printf ("{\"id\":\"%s\",\"participants\":\"sixty\"}", f->activity);

  refused (f, EXIT_DATAERR, "(wrong_type: member_count)", "put", "household",
           "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\",\"member_count\":\"四\"}");
  refused (f, EXIT_DATAERR, "(wrong_type: participants)", "put", "activity", edit);
  refused (f, EXIT_DATAERR, "(wrong_type: start_at)", "put", "activity",
           "{\"org_unit\":\"331082004240\",\"title\":\"培训\",\"category\":\"training\",\"start_at\":\"3月8日\"}");
  refused (f, EXIT_DATAERR, "(wrong_type: org_unit)", "put", "volunteer",
           "{\"org_unit\":\"大田刘村\",\"name\":\"张桂英\"}");
  refused (f, EXIT_DATAERR, "(not_allowed_value: category)", "put", "activity",
           "{\"org_unit\":\"331082004240\",\"title\":\"培训\",\"category\":\"party\",\"start_at\":\"2024-03-08T09:30\"}");
  refused (f, EXIT_DATAERR, "(wrong_type: id)", "put", "household", "{\"id\":\"12\",\"head_name\":\"张桂英\"}");
  refused (f, EXIT_DATAERR, "(wrong_type: id)", "get", "household", "12");
}

static void
test_bad_value (Fixture       *f,
                gconstpointer  data)
{
  refused (f, EXIT_DATAERR, "(required: head_name)", "put", "household", "{\"org_unit\":\"331082004240\"}");
  refused (f, EXIT_DATAERR, "(out_of_range: member_count)", "put", "household",
           "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\",\"member_count\":0}");
}

static void
test_missing_record (Fixture       *f,
                     gconstpointer  data)
{
  const char *nobody = "018e1b6e-0000-7000-8000-000000000000";
  g_autofree char *edit = g_strdup_printf ("{\"id\":\"%s\",\"head_name\":\"张桂英\"}", nobody);

  refused (f, EXIT_NOINPUT, "(not_found)", "get", "household", nobody);
  /* The household's id is not an activity's. */
  refused (f, EXIT_NOINPUT, "(not_found)", "get", "activity", f->household);
  refused (f, EXIT_NOINPUT, "(not_found)", "put", "household", edit);
  refused (f, EXIT_NOINPUT, "(not_found)", "delete", "household", nobody);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  refused (f, EXIT_USAGE, "Unknown command", "frobnicate");
  refused (f, EXIT_USAGE, "Unknown option", "--verbose", "list", "household");
  refused (f, EXIT_USAGE, "Usage: put", "put", "household");
  refused (f, EXIT_USAGE, "Usage: get", "get", "household");
  refused (f, EXIT_USAGE, "Usage: list", "list", "household", "--deleted");
  refused (f, EXIT_USAGE, "--since", "export-changes", "--since", "yesterday");
  refused (f, EXIT_USAGE, "Usage: import-changes", "import-changes");
  refused (f, EXIT_USAGE, "Usage: conflicts", "conflicts", "--open");
}

static void
test_usage_no_command (void)
{
  g_autoptr(CliResult) r = cli_runv (NULL, NULL, (const char * const []) { NULL });
  g_autoptr(CliResult) r2 = cli (NULL, "--db");

  assert_refusal (r, EXIT_USAGE, "No command");
  assert_refusal (r2, EXIT_USAGE, "--db");
}

/* No --db and no $JINGUO_DB: nothing to open, and nothing is created. */
static void
test_missing_db (void)
{
  g_autoptr(TmpDir) t = tmp_dir_new ();
  g_autofree char *absent = tmp_path (t, "absent.db");
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(CliResult) r1 = cli (NULL, "list", "household");
  g_autoptr(CliResult) r2 = cli (NULL, "put", "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"张桂英\"}");
  g_autoptr(CliResult) r3 = cli (absent, "list", "household");
  g_autoptr(GDir) d = g_dir_open (t->dir, 0, NULL);

  assert_refusal (r1, EXIT_NOINPUT, "--db");
  assert_refusal (r2, EXIT_NOINPUT, "--db");
  assert_refusal (r3, EXIT_NOINPUT, "(not_found)");
  /* Only "init" creates a store. */
  g_assert_false (g_file_test (absent, G_FILE_TEST_EXISTS));
  g_assert_null (g_dir_read_name (d));
}

/* A good bundle from another store, with "edit" applied to its JSON. */
static char *
other_bundle (Fixture *f,
              void   (*edit) (JsonObject *bundle))
{
  g_autofree char *other = new_store (f->tmp, "other.db");
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_free (put (other, "household", "{\"org_unit\":\"331082004205\",\"head_name\":\"吴春花\",\"member_count\":3}"));
  g_free (put (other, "volunteer", "{\"org_unit\":\"331082004205\",\"name\":\"黄晓丽\",\"birth_year\":1990}"));
  text = cli_ok (other, "export-changes");
  o = parse_object (text);
  if (edit)
    edit (o);
  node = json_node_init_object (json_node_alloc (), o);
  return jg_json_to_string (node, FALSE);
}

static void
edit_protocol (JsonObject *bundle)
{
  json_object_set_int_member (bundle, "protocol", JG_PROTOCOL_VERSION + 1);
}

static void
edit_format (JsonObject *bundle)
{
  json_object_set_string_member (bundle, "format", "pouchdb-changes");
}

static JsonObject *
change_for (JsonObject *bundle,
            const char *field)
{
  JsonArray *changes = json_object_get_array_member (bundle, "changes");

  for (guint k = 0; k < json_array_get_length (changes); k++)
    {
      JsonObject *c = json_array_get_object_element (changes, k);

      if (strcmp (json_object_get_string_member (c, "field"), field) == 0)
        return c;
    }
  g_assert_not_reached ();
}

/* One change in the middle is bad, the ones around it are good. */
static void
edit_one_wrong_type (JsonObject *bundle)
{
  json_object_set_string_member (change_for (bundle, "member_count"), "value", "三口人");
}

static void
edit_one_unknown_field (JsonObject *bundle)
{
  json_object_set_string_member (change_for (bundle, "member_count"), "field", "income");
}

static void
edit_one_unknown_entity (JsonObject *bundle)
{
  json_object_set_string_member (change_for (bundle, "birth_year"), "entity", "family");
}

static void
edit_one_bad_record (JsonObject *bundle)
{
  json_object_set_string_member (change_for (bundle, "head_name"), "record", "not-a-uuid");
}

static void
edit_one_missing_hlc (JsonObject *bundle)
{
  json_object_remove_member (change_for (bundle, "birth_year"), "hlc");
}

static void
import_refused (Fixture    *f,
                const char *bundle,
                const char *fragment)
{
  g_autofree char *file = tmp_path (f->tmp, "bad.json");

  write_file (file, bundle);
  refused (f, EXIT_DATAERR, fragment, "import-changes", file);
  refused_v (f, EXIT_DATAERR, fragment, bundle, (const char * const []) { "import-changes", "-", NULL });
}

static void
test_bad_bundle_truncated (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *bundle = other_bundle (f, NULL);
  g_autofree char *half = g_strndup (bundle, strlen (bundle) / 2);

  import_refused (f, half, "(malformed)");
  import_refused (f, "", "(malformed)");
  import_refused (f, "{\"format\":\"jinguo-changes\",\"protocol\":1}", "(malformed)");
}

static void
test_bad_bundle_protocol (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *newer = other_bundle (f, edit_protocol);
  g_autofree char *foreign = other_bundle (f, edit_format);

  import_refused (f, newer, "(protocol_version)");
  import_refused (f, foreign, "(malformed)");
}

static void
test_bad_bundle_one_change (Fixture       *f,
                            gconstpointer  data)
{
  struct { void (*edit) (JsonObject *); const char *fragment; } cases[] = {
    { edit_one_wrong_type, "(wrong_type)" },
    { edit_one_unknown_field, "(unknown_field)" },
    { edit_one_unknown_entity, "(unknown_entity)" },
    { edit_one_bad_record, "(malformed)" },
    { edit_one_missing_hlc, "(malformed)" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *bundle = other_bundle (f, cases[k].edit);

      import_refused (f, bundle, cases[k].fragment);
    }
}

static void
test_bad_bundle_missing_file (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *file = tmp_path (f->tmp, "never-written.json");

  refused (f, EXIT_NOINPUT, "never-written.json", "import-changes", file);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/cli/init", test_init);
  g_test_add_func ("/jg/cli/put-get", test_put_get);
  g_test_add_func ("/jg/cli/put-update", test_put_update);
  g_test_add_func ("/jg/cli/list-delete", test_list_delete);
  g_test_add_func ("/jg/cli/export-import", test_export_import);
  g_test_add_func ("/jg/cli/import-stdin", test_import_stdin);
  g_test_add_func ("/jg/cli/conflicts", test_conflicts_output);
  g_test_add_func ("/jg/cli/conflicts-mask-phones", test_conflicts_mask_phones);
  g_test_add_func ("/jg/cli/acceptance", test_acceptance);

  g_test_add ("/jg/cli/refuse/entity", Fixture, NULL, fixture_setup, test_bad_entity, fixture_teardown);
  g_test_add ("/jg/cli/refuse/delete-in-use", Fixture, NULL, fixture_setup, test_delete_in_use, fixture_teardown);
  g_test_add ("/jg/cli/refuse/json", Fixture, NULL, fixture_setup, test_bad_json, fixture_teardown);
  g_test_add ("/jg/cli/refuse/field", Fixture, NULL, fixture_setup, test_bad_field, fixture_teardown);
  g_test_add ("/jg/cli/refuse/type", Fixture, NULL, fixture_setup, test_bad_type, fixture_teardown);
  g_test_add ("/jg/cli/refuse/value", Fixture, NULL, fixture_setup, test_bad_value, fixture_teardown);
  g_test_add ("/jg/cli/refuse/missing-record", Fixture, NULL, fixture_setup, test_missing_record, fixture_teardown);
  g_test_add ("/jg/cli/refuse/usage", Fixture, NULL, fixture_setup, test_usage, fixture_teardown);
  g_test_add_func ("/jg/cli/refuse/no-command", test_usage_no_command);
  g_test_add_func ("/jg/cli/refuse/missing-db", test_missing_db);
  g_test_add ("/jg/cli/refuse/bundle-truncated", Fixture, NULL, fixture_setup, test_bad_bundle_truncated, fixture_teardown);
  g_test_add ("/jg/cli/refuse/bundle-protocol", Fixture, NULL, fixture_setup, test_bad_bundle_protocol, fixture_teardown);
  g_test_add ("/jg/cli/refuse/bundle-one-bad-change", Fixture, NULL, fixture_setup, test_bad_bundle_one_change, fixture_teardown);
  g_test_add ("/jg/cli/refuse/bundle-missing-file", Fixture, NULL, fixture_setup, test_bad_bundle_missing_file, fixture_teardown);

  return g_test_run ();
}
