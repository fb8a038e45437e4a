/* test-cli-domain.c: jinguo-cli's domain commands, run as a real process
 *
 * balance, review and stats, and the domain rules as a user of the CLI meets
 * them: each refused write exits 65 with its error code on stderr, prints
 * nothing on stdout and leaves the change log and every list as they were.
 * The figures of "stats" are counted again here from "list" output.
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

#define VILLAGE "331082004240"

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

static int
exit_code (int wait_status)
{
  g_autoptr(GError) error = NULL;

  if (g_spawn_check_wait_status (wait_status, &error))
    return 0;
  if (error->domain != G_SPAWN_EXIT_ERROR)
    g_error ("jinguo-cli did not exit normally: %s", error->message);
  return error->code;
}

/* Runs jinguo-cli --db DB ARGS…, never with a $JINGUO_DB of the caller. */
static CliResult *
cli_runv (const char         *db,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "JINGUO_DB");
  g_autoptr(GError) error = NULL;
  CliResult *r = g_new0 (CliResult, 1);
  const char *cli = g_getenv ("JINGUO_CLI");
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  r->status = exit_code (wait_status);
  return r;
}

#define cli(db, ...) cli_runv ((db), (const char * const []) { __VA_ARGS__, NULL })

static char *
cli_ok_v (const char         *db,
          const char * const *args)
{
  g_autoptr(CliResult) r = cli_runv (db, args);

  if (r->status != 0)
    g_test_message ("jinguo-cli %s … failed: %s", args[0], r->err);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->err, ==, "");
  return g_steal_pointer (&r->out);
}

#define cli_ok(db, ...) cli_ok_v ((db), (const char * const []) { __VA_ARGS__, NULL })

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

/* "put" and the id it prints. */
static char *
put (const char *db,
     const char *entity,
     const char *json)
{
  g_autofree char *out = cli_ok (db, "put", entity, json);
  g_autoptr(JsonObject) o = parse_object (out);

  return g_strdup (json_object_get_string_member (o, "id"));
}

static JsonArray *
list (const char *db,
      const char *entity)
{
  g_autofree char *out = cli_ok (db, "list", entity);

  return parse_array (out);
}

/* The change log and every list, tombstones included. */
static char *
snapshot (const char *db)
{
  GString *s = g_string_new (NULL);
  g_autofree char *log = cli_ok (db, "export-changes");
  const JgEntityDef * const *entities;
  guint n;

  g_string_append (s, log);
  entities = jg_entity_all (&n);
  for (guint e = 0; e < n; e++)
    {
      g_autofree char *out = cli_ok (db, "list", entities[e]->name, "--all");

      g_string_append_printf (s, "%s: %s", entities[e]->name, out);
    }
  return g_string_free (s, FALSE);
}

/* ---- a store in a fresh directory ------------------------------------- */

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  f->dir = g_dir_make_tmp ("jg-cli-domain-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "store.db", NULL);
  out = cli_ok (f->db, "init");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Signs the store in as a role, as "login" would leave it; NULL signs out
 * (a local-only store).  The CLI is not running meanwhile. */
static void
set_role (Fixture    *f,
          const char *role,
          const char *org_unit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->db, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_true (jg_store_set_meta (store, "role", role ? role : "", &error));
  g_assert_no_error (error);
  g_assert_true (jg_store_set_meta (store, "org_unit", org_unit ? org_unit : "", &error));
  g_assert_no_error (error);
}

static char *
review (Fixture    *f,
        const char *entity,
        const char *id,
        const char *action,
        const char *expect_state)
{
  g_autofree char *out = cli_ok (f->db, "review", entity, id, action);
  g_autoptr(JsonObject) record = parse_object (out);

  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, expect_state);
  return g_strdup (id);
}

static char *
volunteer (Fixture *f)
{
  return put (f->db, "volunteer", "{\"org_unit\":\"" VILLAGE "\",\"name\":\"李梅\",\"gender\":\"female\"}");
}

static char *
service_entry (Fixture    *f,
               const char *volunteer_id,
               gint64      minutes,
               const char *served_at,
               gboolean    approve)
{
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"volunteer\":\"%s\","
                                           "\"minutes\":%" PRId64 ",\"service_type\":\"care_visit\","
                                           "\"served_at\":\"%s\",\"review_state\":\"submitted\"}",
                                           volunteer_id, minutes, served_at);
  char *id = put (f->db, "service_entry", json);

  if (approve)
    g_free (review (f, "service_entry", id, "approve", "approved"));
  return id;
}

/* ---- refusals ---------------------------------------------------------- */

typedef enum
{
  AS_LOCAL,          /* nobody signed in */
  AS_VILLAGE_STAFF,  /* signed in as village staff of VILLAGE */
} Actor;

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *household = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"王芳\"}");
  g_autofree char *submitted = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"赵敏\","
                                                       "\"review_state\":\"submitted\"}");
  g_autofree char *v = volunteer (f);
  g_autofree char *entry = service_entry (f, v, 120, "2024-03-08T09:30", TRUE);
  g_autofree char *award_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                                 "\"award_type\":\"most_beautiful_family\",\"level\":\"village\","
                                                 "\"year\":2024}", household);
  g_autofree char *award = put (f->db, "award", award_json);
  g_autofree char *under_review = g_strdup_printf ("{\"id\":\"%s\",\"state\":\"under_review\"}", award);
  g_autofree char *ignored = put (f->db, "award", under_review);
  g_autofree char *over_max = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                               "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                               "\"item_scores\":{\"R1\":9}}", household);
  g_autofree char *unknown_item = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                                   "\"inspected_at\":\"2024-03-01\",\"stage\":\"village\","
                                                   "\"item_scores\":{\"R1\":6,\"Z1\":1}}", household);
  g_autofree char *negative = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"volunteer\":\"%s\",\"minutes\":-30,"
                                               "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-09T09:30\"}", v);
  g_autofree char *too_much = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"volunteer\":\"%s\",\"minutes\":121,"
                                               "\"item\":\"goods\",\"item_name\":\"大米一袋\"}", v);
  g_autofree char *edit_minutes = g_strdup_printf ("{\"id\":\"%s\",\"minutes\":90}", entry);
  g_autofree char *notice = g_strdup_printf ("{\"id\":\"%s\",\"state\":\"public_notice\"}", award);
  g_autofree char *approved = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"孙丽\","
                                                      "\"review_state\":\"submitted\"}");
  g_autofree char *approving = cli_ok (f->db, "review", "household", approved, "approve");
  g_autofree char *returned = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"钱红\","
                                                      "\"review_state\":\"submitted\"}");
  g_autofree char *returning = cli_ok (f->db, "review", "household", returned, "return", "--note", "电话号码有误");
  /* On public notice from today: not granted before the notice is over
   * (jg_award_check_notice_over(), as the review page and the server). */
  g_autofree char *consenting = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"周霞\","
                                                        "\"publicity_consent\":true}");
  g_autofree char *noticed_json = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"household\":\"%s\","
                                                   "\"award_type\":\"most_beautiful_family\",\"level\":\"village\","
                                                   "\"year\":2024}", consenting);
  g_autofree char *noticed = put (f->db, "award", noticed_json);
  g_autofree char *noticed_review = g_strdup_printf ("{\"id\":\"%s\",\"state\":\"under_review\"}", noticed);
  g_autofree char *noticed_ignored = put (f->db, "award", noticed_review);
  g_autofree char *noticed_up = g_strdup_printf ("{\"id\":\"%s\",\"state\":\"public_notice\"}", noticed);
  g_autofree char *noticed_same = put (f->db, "award", noticed_up);
  g_autofree char *grant = g_strdup_printf ("{\"id\":\"%s\",\"state\":\"awarded\",\"certificate_no\":\"LH-1\"}",
                                            noticed);
  const struct
  {
    const char *what;
    Actor       actor;
    const char *args[8];
    const char *expect;   /* on stderr */
  } cases[] = {
    { "an item score above its maximum", AS_LOCAL,
      { "put", "inspection", over_max }, "(out_of_range: item_scores.R1)" },
    { "an unknown item code", AS_LOCAL,
      { "put", "inspection", unknown_item }, "(invalid: item_scores.Z1)" },
    { "negative minutes", AS_LOCAL,
      { "put", "service_entry", negative }, "(out_of_range: minutes)" },
    { "a redemption above the balance", AS_LOCAL,
      { "put", "redemption", too_much }, "(insufficient_balance: minutes)" },
    { "a change to a ledger entry's minutes", AS_LOCAL,
      { "put", "service_entry", edit_minutes }, "(immutable: minutes)" },
    { "an approval without reviewer rights", AS_VILLAGE_STAFF,
      { "review", "household", submitted, "approve" }, "(permission_denied: review_state)" },
    { "a return without reviewer rights", AS_VILLAGE_STAFF,
      { "review", "household", submitted, "return", "--note", "请补充" }, "(permission_denied: review_state)" },
    { "a public notice without consent", AS_LOCAL,
      { "put", "award", notice }, "(consent_required: state)" },
    { "a grant before the public notice is over", AS_LOCAL,
      { "put", "award", grant }, "(transition_not_allowed: state)" },
    { "a return without a note", AS_LOCAL,
      { "review", "household", submitted, "return" }, "(required: review_note)" },
    /* Steps that change nothing, or are not this user's even where the
     * record already is (F13). */
    { "an approval of an approved record without reviewer rights", AS_VILLAGE_STAFF,
      { "review", "household", approved, "approve" }, "(permission_denied: review_state)" },
    { "an approval of an approved record", AS_LOCAL,
      { "review", "household", approved, "approve" }, "(transition_not_allowed: review_state)" },
    { "a return of a returned record with an empty note", AS_LOCAL,
      { "review", "household", returned, "return", "--note", "" }, "(transition_not_allowed: review_state)" },
    { "an approval of a draft", AS_LOCAL,
      { "review", "household", household, "approve" }, "(transition_not_allowed: review_state)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(CliResult) r = NULL;

      g_test_message ("%s", cases[i].what);
      if (cases[i].actor == AS_VILLAGE_STAFF)
        set_role (f, "village_staff", VILLAGE);
      before = snapshot (f->db);
      r = cli_runv (f->db, cases[i].args);
      g_assert_cmpint (r->status, ==, EXIT_DATAERR);
      g_assert_cmpstr (r->out, ==, "");
      g_assert_nonnull (strstr (r->err, cases[i].expect));
      g_assert_true (g_str_has_prefix (r->err, "jinguo-cli: "));
      after = snapshot (f->db);
      g_assert_cmpstr (after, ==, before);
      if (cases[i].actor == AS_VILLAGE_STAFF)
        set_role (f, NULL, NULL);
    }
}

/* ---- balance -------------------------------------------------------------- */

static void
test_balance (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *v = volunteer (f);
  g_autofree char *a = service_entry (f, v, 300, "2024-03-01T09:00", TRUE);
  g_autofree char *b = service_entry (f, v, 240, "2024-03-02T09:00", TRUE);
  g_autofree char *c = service_entry (f, v, 60, "2024-03-03T09:00", TRUE);
  g_autofree char *d = service_entry (f, v, 120, "2024-03-04T09:00", FALSE);
  g_autofree char *redeem = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"volunteer\":\"%s\",\"minutes\":200,"
                                             "\"item\":\"goods\",\"item_name\":\"大米一袋\"}", v);
  g_autofree char *r = put (f->db, "redemption", redeem);
  g_autofree char *reverse = g_strdup_printf ("{\"org_unit\":\"" VILLAGE "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                              "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-03T09:00\","
                                              "\"reverses\":\"%s\",\"reason\":\"录入重复\",\"review_state\":\"submitted\"}",
                                              v, c);
  g_autofree char *rev = put (f->db, "service_entry", reverse);
  /* A reversal counts once approved (DOMAIN.md: only approved entries count). */
  g_autofree char *approved_rev = review (f, "service_entry", rev, "approve", "approved");
  g_autofree char *out = cli_ok (f->db, "balance", v);
  g_autoptr(JsonObject) balance = parse_object (out);
  const struct
  {
    const char *member;
    gint64      minutes;
  } expected[] = {
    { "approved", 600 },
    { "pending", 120 },
    { "reversed", 60 },
    { "redeemed", 0 },
    { "pending_redemptions", 200 },
    { "available", 340 },
    { "lifetime_approved_minutes", 540 },
    { "star_level", 0 },
  };

  /* The redemption is still pending: the county decides it. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s", expected[i].member);
      g_assert_cmpint (json_object_get_int_member (balance, expected[i].member), ==, expected[i].minutes);
    }
  g_assert_cmpfloat (json_object_get_double_member (balance, "lifetime_approved_hours"), ==, 9.0);
  g_assert_cmpstr (json_object_get_string_member (balance, "volunteer"), ==, v);

  {
    g_autoptr(CliResult) missing = cli (f->db, "balance", "01890a5d-ac96-774b-bcce-b302099a8057");
    g_autoptr(CliResult) usage = cli (f->db, "balance");

    g_assert_cmpint (missing->status, ==, EXIT_NOINPUT);
    g_assert_cmpstr (missing->out, ==, "");
    g_assert_nonnull (strstr (missing->err, "(not_found)"));
    g_assert_cmpint (usage->status, ==, EXIT_USAGE);
  }
}

/* ---- review -------------------------------------------------------------- */

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *h = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"王芳\"}");
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) record = NULL;

  /* A local-only store's user takes every step. */
  g_free (review (f, "household", h, "submit", "submitted"));
  out = cli_ok (f->db, "review", "household", h, "return", "--note", "门牌号有误");
  record = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (record, "review_note"), ==, "门牌号有误");
  g_free (review (f, "household", h, "submit", "submitted"));
  g_free (review (f, "household", h, "approve", "approved"));

  /* Signed in: a county reviewer may, village staff may not. */
  set_role (f, "county_reviewer", "331082");
  g_free (out);
  out = cli_ok (f->db, "review", "household", h, "return", "--note=再核实");
  g_clear_pointer (&record, json_object_unref);
  record = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (record, "review_state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (record, "review_note"), ==, "再核实");

  {
    const struct
    {
      const char *args[8];
      int         status;
    } bad[] = {
      { { "review", "household", h, "accept" }, EXIT_USAGE },
      { { "review", "household", h }, EXIT_USAGE },
      { { "review", "household", h, "return", "--note" }, EXIT_USAGE },
      { { "review", "household", h, "submit", "--force" }, EXIT_USAGE },
      { { "review", "family", h, "submit" }, EXIT_DATAERR },
      { { "review", "household", "01890a5d-ac96-774b-bcce-b302099a8057", "submit" }, EXIT_NOINPUT },
    };
    g_autofree char *before = snapshot (f->db);
    g_autofree char *after = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(CliResult) r = cli_runv (f->db, bad[i].args);

        g_assert_cmpint (r->status, ==, bad[i].status);
        g_assert_cmpstr (r->out, ==, "");
        g_assert_cmpstr (r->err, !=, "");
      }
    after = snapshot (f->db);
    g_assert_cmpstr (after, ==, before);
  }
}

/* ---- conflicts ---------------------------------------------------------------- */

/* Deciding a conflict is a reviewer's act: village staff signed in on the
 * laptop that holds the conflict are refused (permission_denied, status
 * 65) and nothing is written; a county reviewer decides it. */
static void
test_resolve_rights (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *bundle_path = g_build_filename (f->dir, "bundle.json", NULL);
  g_autofree char *h = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"何金花\"}");
  g_autofree char *ea = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"刘村2组5号\"}", h);
  g_autofree char *eb = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"刘村2组15号\"}", h);
  g_autofree char *bundle = NULL;
  g_autofree char *out = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = NULL;

  g_free (cli_ok (other, "init"));
  bundle = cli_ok (f->db, "export-changes");
  g_assert_true (g_file_set_contents (bundle_path, bundle, -1, &error));
  g_assert_no_error (error);
  g_free (cli_ok (other, "import-changes", bundle_path));
  g_free (put (f->db, "household", ea));
  g_free (put (other, "household", eb));
  g_free (bundle);
  bundle = cli_ok (other, "export-changes");
  g_assert_true (g_file_set_contents (bundle_path, bundle, -1, &error));
  g_assert_no_error (error);
  g_free (cli_ok (f->db, "import-changes", bundle_path));

  out = cli_ok (f->db, "conflicts");
  conflicts = parse_array (out);
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (conflicts, i), "kind"), "hard") == 0)
      id = json_object_get_string_member (json_array_get_object_element (conflicts, i), "id");
  g_assert_nonnull (id);

  /* Village staff of the record's own village: refused, nothing written. */
  set_role (f, "village_staff", VILLAGE);
  before = snapshot (f->db);
  {
    g_autoptr(CliResult) r = cli (f->db, "resolve", id, "--value", "\"刘村2组5号\"");

    g_assert_cmpint (r->status, ==, EXIT_DATAERR);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_nonnull (strstr (r->err, "permission_denied"));
  }
  after = snapshot (f->db);
  g_assert_cmpstr (after, ==, before);

  /* A county reviewer decides it. */
  set_role (f, "county_reviewer", "331082");
  g_free (out);
  out = cli_ok (f->db, "resolve", id, "--value", "\"刘村2组5号\"");
  {
    g_autoptr(JsonObject) o = parse_object (out);
    g_autoptr(JsonArray) open = NULL;
    g_autofree char *left = cli_ok (f->db, "conflicts");

    g_assert_true (json_object_get_boolean_member (o, "resolved"));
    open = parse_array (left);
    for (guint i = 0; i < json_array_get_length (open); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (open, i), "id"), !=, id);
  }
}

/* A soft conflict is marked as seen from the CLI too (the app's Dismiss):
 * one by id, or every soft one; a hard one is refused, it is decided. */
static void
test_dismiss (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *bundle_path = g_build_filename (f->dir, "bundle.json", NULL);
  g_autofree char *h = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"何金花\"}");
  g_autofree char *ea = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"刘村2组5号\",\"head_name\":\"何金华\"}", h);
  g_autofree char *eb = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":5,\"head_name\":\"何今花\"}", h);
  g_autofree char *bundle = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  const char *hard = NULL;
  guint n_soft = 0;

  g_free (cli_ok (other, "init"));
  bundle = cli_ok (f->db, "export-changes");
  g_assert_true (g_file_set_contents (bundle_path, bundle, -1, &error));
  g_assert_no_error (error);
  g_free (cli_ok (other, "import-changes", bundle_path));
  g_free (put (f->db, "household", ea));
  g_free (put (other, "household", eb));
  g_free (bundle);
  bundle = cli_ok (other, "export-changes");
  g_assert_true (g_file_set_contents (bundle_path, bundle, -1, &error));
  g_assert_no_error (error);
  g_free (cli_ok (f->db, "import-changes", bundle_path));

  out = cli_ok (f->db, "conflicts");
  conflicts = parse_array (out);
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "hard") == 0)
        hard = json_object_get_string_member (c, "id");
      else if (g_strcmp0 (json_object_get_string_member (c, "kind"), "soft") == 0)
        n_soft++;
    }
  g_assert_nonnull (hard);
  g_assert_cmpuint (n_soft, >=, 1);

  /* Usage, an unknown id and a hard conflict: refused, nothing changes. */
  {
    g_autoptr(CliResult) r = cli (f->db, "dismiss");

    g_assert_cmpint (r->status, ==, EXIT_USAGE);
  }
  {
    g_autoptr(CliResult) r = cli (f->db, "dismiss", "no-such-conflict");

    g_assert_cmpint (r->status, !=, 0);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_nonnull (strstr (r->err, "no-such-conflict"));
  }
  {
    g_autoptr(CliResult) r = cli (f->db, "dismiss", hard);
    g_autofree char *still = cli_ok (f->db, "conflicts");
    g_autoptr(JsonArray) a = parse_array (still);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (conflicts));
  }

  /* Every soft one: the open list keeps only the hard one. */
  g_free (out);
  out = cli_ok (f->db, "dismiss", "--all-soft");
  {
    g_autoptr(JsonObject) o = parse_object (out);
    g_autofree char *left = cli_ok (f->db, "conflicts");
    g_autoptr(JsonArray) open = parse_array (left);

    g_assert_cmpint (json_object_get_int_member (o, "dismissed"), ==, n_soft);
    g_assert_cmpuint (json_array_get_length (open), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (open, 0), "id"), ==, hard);
  }
}

/* ---- the signed-in user's area ---------------------------------------------- */

static void
assert_out_of_scope (Fixture    *f,
                     const char *json)
{
  g_autofree char *before = snapshot (f->db);
  g_autofree char *after = NULL;
  g_autoptr(CliResult) r = cli (f->db, "put", "household", json);

  g_assert_cmpint (r->status, ==, EXIT_DATAERR);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_nonnull (strstr (r->err, "(out_of_scope: org_unit)"));
  after = snapshot (f->db);
  g_assert_cmpstr (after, ==, before);
}

#define OTHER_VILLAGE "331082004241"

/* A store signed in to a server writes only its user's area, as the server
 * would judge it at the next sync; a local-only store writes any unit. */
static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *mine = put (f->db, "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"王芳\"}");
  g_autofree char *other = put (f->db, "household", "{\"org_unit\":\"" OTHER_VILLAGE "\",\"head_name\":\"李梅\"}");
  g_autofree char *json = NULL;

  set_role (f, "village_staff", VILLAGE);
  g_free (cli_ok (f->db, "put", "household", "{\"org_unit\":\"" VILLAGE "\",\"head_name\":\"张兰\"}"));
  assert_out_of_scope (f, "{\"org_unit\":\"" OTHER_VILLAGE "\",\"head_name\":\"赵敏\"}");
  /* Nor moved out of the area, nor edited there. */
  json = g_strdup_printf ("{\"id\":\"%s\",\"org_unit\":\"" OTHER_VILLAGE "\"}", mine);
  assert_out_of_scope (f, json);
  g_free (json);
  json = g_strdup_printf ("{\"id\":\"%s\",\"address\":\"村东\"}", other);
  assert_out_of_scope (f, json);

  /* The township's staff writes the villages below it. */
  set_role (f, "township_staff", "331082004");
  g_free (cli_ok (f->db, "put", "household", "{\"org_unit\":\"" OTHER_VILLAGE "\",\"head_name\":\"赵敏\"}"));
  assert_out_of_scope (f, "{\"org_unit\":\"331082001001\",\"head_name\":\"钱红\"}");

  /* Signed out: local-only again, any unit. */
  set_role (f, NULL, NULL);
  g_free (cli_ok (f->db, "put", "household", "{\"org_unit\":\"331082001001\",\"head_name\":\"钱红\"}"));
}

/* ---- time-bank flags --------------------------------------------------- */

static JsonObject *
flag_named (JsonObject *record,
            const char *code)
{
  JsonArray *flags = json_object_get_array_member (record, "flags");

  g_assert_nonnull (flags);
  for (guint i = 0; i < json_array_get_length (flags); i++)
    {
      JsonObject *flag = json_array_get_object_element (flags, i);

      if (g_strcmp0 (json_object_get_string_member (flag, "code"), code) == 0)
        return flag;
    }
  return NULL;
}

static void
set_username (Fixture    *f,
              const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->db, JG_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_true (jg_store_set_username (store, username, &error));
  g_assert_no_error (error);
}

static void
test_flags (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *v = volunteer (f);
  g_autofree char *a = service_entry (f, v, 200, "2026-11-20T09:00", FALSE);
  g_autofree char *b = service_entry (f, v, 200, "2026-11-20T09:00", FALSE);
  g_autofree char *c = service_entry (f, v, 200, "2026-11-20T09:00", FALSE);
  g_autofree char *clean = service_entry (f, v, 60, "2026-11-18T09:00", FALSE);
  g_autofree char *got = cli_ok (f->db, "get", "service_entry", a);
  g_autoptr(JsonObject) record = parse_object (got);
  g_autoptr(JsonArray) all = list (f->db, "service_entry");
  JsonObject *overlap = flag_named (record, "overlap");
  JsonObject *cap = flag_named (record, "daily_cap");

  /* get names each flag, with its message and what it is about. */
  g_assert_nonnull (overlap);
  g_assert_nonnull (strstr (json_object_get_string_member (overlap, "message"), "Overlaps 2 other entries"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (overlap, "entries")), ==, 2);
  g_assert_nonnull (cap);
  g_assert_cmpint (json_object_get_int_member (cap, "day_minutes"), ==, 600);
  g_assert_cmpint (json_object_get_int_member (cap, "cap_minutes"), ==, 480);
  g_assert_null (flag_named (record, "self_approved"));

  /* list counts them. */
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *o = json_array_get_object_element (all, i);

      g_assert_cmpint (json_object_get_int_member (o, "flag_count"), ==,
                       g_strcmp0 (json_object_get_string_member (o, "id"), clean) == 0 ? 0 : 2);
    }

  /* What get printed can be put again. */
  g_free (cli_ok (f->db, "put", "service_entry", got));

  /* Approving a flagged entry is done, and said on stderr. */
  {
    g_autoptr(CliResult) r = cli (f->db, "review", "service_entry", b, "approve");
    g_autoptr(JsonObject) approved = NULL;

    g_assert_cmpint (r->status, ==, 0);
    approved = parse_object (r->out);
    g_assert_cmpstr (json_object_get_string_member (approved, "review_state"), ==, "approved");
    g_assert_nonnull (flag_named (approved, "overlap"));
    g_assert_nonnull (strstr (r->err, "warning: approved despite a flag: Overlaps 2 other entries"));
    g_assert_nonnull (strstr (r->err, "(daily_cap)"));
  }
  /* A clean one says nothing (review() checks stderr is empty). */
  g_free (review (f, "service_entry", clean, "approve", "approved"));
}

static void
test_flags_self_approval (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *v = volunteer (f);
  g_autofree char *e = NULL;
  g_autofree char *got = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(CliResult) r = NULL;
  g_autoptr(JsonObject) approved = NULL;
  JsonObject *flag;

  /* A township reviewer records an entry herself, then approves it. */
  set_username (f, "ta");
  set_role (f, "township_staff", "331082004");
  e = service_entry (f, v, 60, "2026-11-19T09:00", FALSE);
  got = cli_ok (f->db, "get", "service_entry", e);
  record = parse_object (got);
  flag = flag_named (record, "self_approved");
  g_assert_nonnull (flag);
  g_assert_cmpstr (json_object_get_string_member (flag, "recorder"), ==, "ta");

  r = cli (f->db, "review", "service_entry", e, "approve");
  g_assert_cmpint (r->status, ==, 0);
  approved = parse_object (r->out);
  g_assert_cmpstr (json_object_get_string_member (approved, "review_state"), ==, "approved");
  flag = flag_named (approved, "self_approved");
  g_assert_nonnull (flag);
  g_assert_cmpstr (json_object_get_string_member (flag, "approver"), ==, "ta");
  g_assert_nonnull (strstr (r->err, "(self_approved)"));
}

/* ---- stats, counted again from list output ------------------------------ */

static gint64
figure (JsonObject *row,
        const char *group,
        const char *member)
{
  JsonObject *o = group ? json_object_get_object_member (row, group) : row;

  g_assert_true (json_object_has_member (o, member));
  return json_object_get_int_member (o, member);
}

/* A row's records: its unit's subtree, or for a unit's own row (本级) the
 * records of that very code. */
static gboolean
in_unit_and_year (JsonObject *record,
                  const char *code,
                  gboolean    own,
                  const char *date_field,
                  const char *year_prefix)
{
  const char *date = date_field ? json_object_get_string_member_with_default (record, date_field, "") : NULL;
  const char *unit = json_object_get_string_member (record, "org_unit");

  return (own ? strcmp (unit, code) == 0 : g_str_has_prefix (unit, code)) &&
         (date == NULL || g_str_has_prefix (date, year_prefix));
}

static void
check_row (JsonObject *row,
           gboolean    own,
           const char *year_prefix,
           int         year,
           JsonArray  *households,
           JsonArray  *activities,
           JsonArray  *entries,
           JsonArray  *inspections,
           JsonArray  *awards,
           GHashTable *reversed)
{
  const char *code = json_object_get_string_member (row, "code");
  gint64 n_households = 0, n_activities = 0, beneficiaries = 0, minutes = 0, n_awards = 0;
  gint64 stars[4] = { 0 };
  /* 表彰家庭N户: each family once, a household or a named family of a unit */
  g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (households); i++)
    n_households += in_unit_and_year (json_array_get_object_element (households, i), code, own, NULL, NULL);
  for (guint i = 0; i < json_array_get_length (activities); i++)
    {
      JsonObject *a = json_array_get_object_element (activities, i);

      if (in_unit_and_year (a, code, own, "start_at", year_prefix))
        {
          n_activities++;
          beneficiaries += json_object_get_int_member_with_default (a, "beneficiaries", 0);
        }
    }
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (in_unit_and_year (e, code, own, "served_at", year_prefix) &&
          g_strcmp0 (json_object_get_string_member (e, "review_state"), "approved") == 0 &&
          json_object_get_string_member_with_default (e, "reverses", NULL) == NULL &&
          !g_hash_table_contains (reversed, json_object_get_string_member (e, "id")))
        minutes += json_object_get_int_member (e, "minutes");
    }
  for (guint i = 0; i < json_array_get_length (inspections); i++)
    {
      JsonObject *r = json_array_get_object_element (inspections, i);

      if (in_unit_and_year (r, code, own, "inspected_at", year_prefix))
        stars[json_object_get_int_member_with_default (r, "star", 0)]++;
    }
  for (guint i = 0; i < json_array_get_length (awards); i++)
    {
      JsonObject *r = json_array_get_object_element (awards, i);

      if (in_unit_and_year (r, code, own, NULL, NULL) &&
          json_object_get_int_member (r, "year") == year &&
          g_strcmp0 (json_object_get_string_member_with_default (r, "state", ""), "awarded") == 0)
        {
          const char *household = json_object_get_string_member_with_default (r, "household", NULL);

          n_awards++;
          g_hash_table_add (families,
                            household != NULL
                            ? g_strdup (household)
                            : g_strdup_printf ("%s/%s", json_object_get_string_member (r, "org_unit"),
                                               json_object_get_string_member_with_default (r, "family_name", "")));
        }
    }

  g_test_message ("unit %s%s", code, own ? " (own records)" : "");
  g_assert_cmpint (figure (row, NULL, "households"), ==, n_households);
  g_assert_cmpint (figure (row, "activities", "count"), ==, n_activities);
  g_assert_cmpint (figure (row, "activities", "beneficiaries"), ==, beneficiaries);
  g_assert_cmpint (figure (row, "volunteer_service", "minutes"), ==, minutes);
  g_assert_cmpint (figure (row, "awards", "total"), ==, n_awards);
  g_assert_cmpint (figure (row, "awards", "families"), ==, g_hash_table_size (families));
  for (int s = 0; s <= 3; s++)
    {
      char key[8];

      g_snprintf (key, sizeof key, "%d", s);
      g_assert_cmpint (figure (json_object_get_object_member (row, "inspections"), "by_star", key), ==, stars[s]);
    }
}

/* The rows of stats output, children and the unit's own (本级), add up to
 * its total; the own row, when there is one, is checked against the list. */
static void
check_rows (JsonObject *stats,
            const char *year_prefix,
            int         year,
            JsonArray  *households,
            JsonArray  *activities,
            JsonArray  *entries,
            JsonArray  *inspections,
            JsonArray  *awards,
            GHashTable *reversed)
{
  static const struct { const char *group, *member; } sums[] = {
    { NULL, "households" }, { "activities", "count" }, { "activities", "beneficiaries" },
    { "volunteer_service", "minutes" }, { "awards", "total" }, { "inspections", "total" },
  };
  JsonObject *unit = json_object_get_object_member (stats, "unit");
  JsonArray *children = json_object_get_array_member (stats, "children");
  JsonObject *own = json_object_has_member (stats, "own") ? json_object_get_object_member (stats, "own") : NULL;

  if (own != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (own, "code"), ==, json_object_get_string_member (unit, "code"));
      check_row (own, TRUE, year_prefix, year, households, activities, entries, inspections, awards, reversed);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    {
      gint64 sum = own ? figure (own, sums[i].group, sums[i].member) : 0;

      for (guint c = 0; c < json_array_get_length (children); c++)
        sum += figure (json_array_get_object_element (children, c), sums[i].group, sums[i].member);
      g_assert_cmpint (sum, ==, figure (unit, sums[i].group, sums[i].member));
    }
}

/* The approved records of the list (which it takes). */
static JsonArray *
approved_only (JsonArray *all)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *r = json_array_get_object_element (all, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (r, "review_state", NULL), "approved") == 0)
        json_array_add_object_element (out, json_object_ref (r));
    }
  json_array_unref (all);
  return out;
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *demo_out = cli_ok (f->db, "demo", "--households", "120", "--seed", "11");
  g_autoptr(JsonObject) demo = parse_object (demo_out);
  int year = (int) json_object_get_int_member (demo, "year");
  g_autofree char *year_text = g_strdup_printf ("%d", year);
  g_autofree char *year_prefix = g_strdup_printf ("%d-", year);
  /* A report counts approved records only; households are the register, all of them. */
  g_autoptr(JsonArray) households = list (f->db, "household");
  g_autoptr(JsonArray) activities = approved_only (list (f->db, "activity"));
  g_autoptr(JsonArray) entries = list (f->db, "service_entry");
  g_autoptr(JsonArray) inspections = approved_only (list (f->db, "inspection"));
  g_autoptr(JsonArray) awards = approved_only (list (f->db, "award"));
  g_autoptr(GHashTable) reversed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *county_out = cli_ok (f->db, "stats", "--year", year_text);
  g_autoptr(JsonObject) county = parse_object (county_out);
  JsonArray *townships = json_object_get_array_member (county, "children");
  guint checked = 0;
  guint with_own = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      const char *target = json_object_get_string_member_with_default (json_array_get_object_element (entries, i),
                                                                        "reverses", NULL);
      if (target != NULL)
        g_hash_table_add (reversed, (gpointer) target);
    }

  /* The store has no unit of its own: the county of the shipped slice. */
  g_assert_cmpint (json_object_get_int_member (county, "year"), ==, year);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (county, "unit"), "code"),
                   ==, "331082");
  g_assert_cmpint (figure (json_object_get_object_member (county, "unit"), NULL, "households"), ==,
                   json_array_get_length (households));
  check_row (json_object_get_object_member (county, "unit"), FALSE, year_prefix, year,
             households, activities, entries, inspections, awards, reversed);
  check_rows (county, year_prefix, year, households, activities, entries, inspections, awards, reversed);

  /* Every township with households, and the villages of each. */
  for (guint t = 0; t < json_array_get_length (townships); t++)
    {
      JsonObject *town = json_array_get_object_element (townships, t);
      const char *code = json_object_get_string_member (town, "code");
      g_autofree char *town_out = NULL;
      g_autoptr(JsonObject) town_stats = NULL;
      JsonArray *villages;

      check_row (town, FALSE, year_prefix, year, households, activities, entries, inspections, awards, reversed);
      if (figure (town, NULL, "households") == 0)
        continue;
      town_out = cli_ok (f->db, "stats", "--org", code, "--year", year_text);
      town_stats = parse_object (town_out);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (town_stats, "unit"), "code"),
                       ==, code);
      villages = json_object_get_array_member (town_stats, "children");
      for (guint v = 0; v < json_array_get_length (villages); v++)
        check_row (json_array_get_object_element (villages, v), FALSE, year_prefix, year,
                   households, activities, entries, inspections, awards, reversed);
      /* The township's own activities (the demo makes some) are a row of
       * their own, so the villages and it add up to the township. */
      check_rows (town_stats, year_prefix, year, households, activities, entries, inspections, awards, reversed);
      with_own += json_object_has_member (town_stats, "own");
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (with_own, >, 0);
  g_assert_cmpint (figure (json_object_get_object_member (county, "unit"), "activities", "count"), >, 0);

  {
    g_autoptr(CliResult) missing = cli (f->db, "stats", "--org", "339999");
    g_autoptr(CliResult) bad_year = cli (f->db, "stats", "--year", "next");
    g_autoptr(CliResult) stray = cli (f->db, "stats", "331082");

    g_assert_cmpint (missing->status, ==, EXIT_NOINPUT);
    g_assert_cmpstr (missing->out, ==, "");
    g_assert_cmpint (bad_year->status, ==, EXIT_USAGE);
    g_assert_cmpint (stray->status, ==, EXIT_USAGE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/jg/cli-domain/refusals", test_refusals);
  ADD ("/jg/cli-domain/balance", test_balance);
  ADD ("/jg/cli-domain/review", test_review);
  ADD ("/jg/cli-domain/scope", test_scope);
  ADD ("/jg/cli-domain/resolve-rights", test_resolve_rights);
  ADD ("/jg/cli-domain/dismiss", test_dismiss);
  ADD ("/jg/cli-domain/stats", test_stats);
  ADD ("/jg/cli-domain/flags", test_flags);
  ADD ("/jg/cli-domain/flags-self-approval", test_flags_self_approval);
#undef ADD

  return g_test_run ();
}
