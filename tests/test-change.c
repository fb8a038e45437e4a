/* test-change.c: one field change and change bundles (jg-change.h)
 *
 * Everything jg_change_from_json() and jg_bundle_parse() read may come from
 * another machine, so most of these cases are malformed input.
 */

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include "jg-change.h"
#include "jg-error.h"
#include "jg-hlc.h"
#include "jg-json.h"

#define REPLICA "0123456789abcdef0123456789abcdef"
#define RECORD  "018e1d2c-3b4a-7c5d-8e6f-0a1b2c3d4e5f"
#define HLC     ((gint64) 1709890200000 << 16)

static JgChange *
sample_change (void)
{
  JgChange *c = jg_change_new ();

  c->replica = g_strdup (REPLICA);
  c->counter = 7;
  c->entity = g_strdup ("household");
  c->record = g_strdup (RECORD);
  c->field = g_strdup ("head_name");
  c->value = g_strdup ("\"王芳\"");
  c->hlc = HLC + 3;
  c->base = HLC - 1000;
  c->rbase = HLC + 1;
  c->author = g_strdup ("village1");
  c->seq = 12;
  return c;
}

/* The JSON object of sample_change(), for editing one member at a time. */
static JsonObject *
sample_object (void)
{
  g_autoptr(JgChange) c = sample_change ();
  g_autoptr(JsonNode) node = jg_change_to_json (c);

  return json_object_ref (json_node_get_object (node));
}

static JgChange *
from_object (JsonObject  *o,
             GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);

  return jg_change_from_json (node, error);
}

static void
assert_changes_equal (const JgChange *a,
                      const JgChange *b)
{
  g_assert_cmpstr (a->replica, ==, b->replica);
  g_assert_cmpint (a->counter, ==, b->counter);
  g_assert_cmpstr (a->entity, ==, b->entity);
  g_assert_cmpstr (a->record, ==, b->record);
  g_assert_cmpstr (a->field, ==, b->field);
  g_assert_cmpstr (a->value, ==, b->value);
  g_assert_cmpint (a->hlc, ==, b->hlc);
  g_assert_cmpint (a->base, ==, b->base);
  g_assert_cmpint (a->rbase, ==, b->rbase);
  g_assert_cmpstr (a->author, ==, b->author);
  g_assert_cmpint (a->seq, ==, b->seq);
}

static void
test_round_trip (void)
{
  g_autoptr(JgChange) c = sample_change ();
  g_autoptr(JsonNode) node = jg_change_to_json (c);
  g_autofree char *text = jg_json_to_string (node, FALSE);
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(JgChange) back = NULL;
  g_autoptr(GError) error = NULL;

  /* Through text, as on the wire. */
  reparsed = jg_json_parse (text, -1, &error);
  g_assert_no_error (error);
  back = jg_change_from_json (reparsed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_changes_equal (c, back);

  /* The value travels as JSON, not as a string holding JSON. */
  g_assert_cmpstr (jg_json_get_string (json_node_get_object (node), "value"), ==, "王芳");
  g_assert_cmpstr (jg_json_get_string (json_node_get_object (node), "replica"), ==, REPLICA);
}

static void
test_round_trip_values (void)
{
  const char *cases[][3] = {
    /* field, value in, canonical value out */
    { "tags", "[\"留守\",\"低保\"]", "[\"留守\",\"低保\"]" },
    { "member_count", "4", "4" },
    { "publicity_consent", "true", "true" },
    { "head_name", "null", "null" },
    { "consent_at", "\"2024-03-08T09:30\"", "\"2024-03-08T09:30\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JgChange) c = sample_change ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JgChange) back = NULL;
      g_autoptr(GError) error = NULL;

      g_free (c->field);
      c->field = g_strdup (cases[i][0]);
      g_free (c->value);
      c->value = g_strdup (cases[i][1]);
      node = jg_change_to_json (c);
      back = jg_change_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back->value, ==, cases[i][2]);
    }
}

static void
test_value_canonical (void)
{
  g_autoptr(JsonObject) o = sample_object ();
  g_autoptr(JsonNode) scores = jg_json_parse ("{ \"Y3\": 4, \"R1\": 6 }", -1, NULL);
  g_autoptr(JgChange) c = NULL;
  g_autoptr(GError) error = NULL;

  /* Whatever the sender's member order, the value is kept canonical. */
  json_object_set_string_member (o, "entity", "inspection");
  json_object_set_string_member (o, "field", "item_scores");
  json_object_set_member (o, "value", json_node_ref (scores));
  c = from_object (o, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->value, ==, "{\"R1\":6,\"Y3\":4}");
}

static void
test_optional_members (void)
{
  g_autoptr(JsonObject) o = sample_object ();
  g_autoptr(JgChange) c = NULL;
  g_autoptr(JgChange) plain = sample_change ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  json_object_remove_member (o, "author");
  json_object_remove_member (o, "seq");
  c = from_object (o, &error);
  g_assert_no_error (error);
  g_assert_null (c->author);
  g_assert_cmpint (c->seq, ==, 0);

  /* And to_json leaves them out when unset. */
  g_clear_pointer (&plain->author, g_free);
  plain->seq = 0;
  node = jg_change_to_json (plain);
  g_assert_false (json_object_has_member (json_node_get_object (node), "author"));
  g_assert_false (json_object_has_member (json_node_get_object (node), "seq"));
}

static void
test_copy_and_id (void)
{
  g_autoptr(JgChange) c = sample_change ();
  g_autoptr(JgChange) copy = jg_change_copy (c);
  g_autofree char *id = jg_change_dup_id (c);
  JgChange *boxed;

  assert_changes_equal (c, copy);
  g_assert_true (copy->value != c->value);
  g_assert_cmpstr (id, ==, REPLICA ":7");

  boxed = g_boxed_copy (JG_TYPE_CHANGE, c);
  assert_changes_equal (c, boxed);
  g_boxed_free (JG_TYPE_CHANGE, boxed);
  jg_change_free (NULL);
}

typedef enum
{
  SET_STRING,
  SET_INT,
  SET_JSON,
  REMOVE,
} Edit;

static const struct
{
  const char *member;
  Edit        edit;
  const char *s;
  gint64      i;
  int         code;
  const char *field;   /* jg_error_get_field(), when it names one */
} malformed_cases[] = {
  { "replica", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "replica" },
  { "replica", SET_STRING, "0123456789ABCDEF0123456789ABCDEF", 0, JG_ERROR_MALFORMED, "replica" },
  { "replica", SET_STRING, "short", 0, JG_ERROR_MALFORMED, "replica" },
  { "replica", SET_INT, NULL, 12, JG_ERROR_MALFORMED, "replica" },
  { "n", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "n" },
  { "n", SET_INT, NULL, 0, JG_ERROR_MALFORMED, "n" },
  { "n", SET_INT, NULL, -3, JG_ERROR_MALFORMED, "n" },
  { "n", SET_STRING, "7", 0, JG_ERROR_MALFORMED, "n" },
  { "n", SET_JSON, "7.5", 0, JG_ERROR_MALFORMED, "n" },
  { "entity", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "entity" },
  { "entity", SET_INT, NULL, 1, JG_ERROR_MALFORMED, "entity" },
  { "entity", SET_STRING, "user", 0, JG_ERROR_UNKNOWN_ENTITY, "entity" },
  { "entity", SET_STRING, "Household", 0, JG_ERROR_UNKNOWN_ENTITY, "entity" },
  { "record", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "record" },
  { "record", SET_STRING, "1", 0, JG_ERROR_MALFORMED, "record" },
  { "record", SET_STRING, "018E1D2C-3B4A-7C5D-8E6F-0A1B2C3D4E5F", 0, JG_ERROR_MALFORMED, "record" },
  { "field", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "field" },
  { "field", SET_JSON, "null", 0, JG_ERROR_MALFORMED, "field" },
  { "field", SET_STRING, "password", 0, JG_ERROR_UNKNOWN_FIELD, "password" },
  { "field", SET_STRING, "id", 0, JG_ERROR_UNKNOWN_FIELD, "id" },
  { "value", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "value" },
  { "value", SET_INT, NULL, 5, JG_ERROR_WRONG_TYPE, "head_name" },
  { "value", SET_JSON, "[\"王芳\"]", 0, JG_ERROR_WRONG_TYPE, "head_name" },
  { "value", SET_JSON, "{\"a\": 1}", 0, JG_ERROR_WRONG_TYPE, "head_name" },
  { "hlc", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "hlc" },
  { "hlc", SET_INT, NULL, 0, JG_ERROR_MALFORMED, "hlc" },
  { "hlc", SET_INT, NULL, -1, JG_ERROR_MALFORMED, "hlc" },
  { "hlc", SET_STRING, "2024-03-08", 0, JG_ERROR_MALFORMED, "hlc" },
  { "base", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "base" },
  { "base", SET_INT, NULL, -1, JG_ERROR_MALFORMED, "base" },
  { "base", SET_INT, NULL, HLC + 3, JG_ERROR_MALFORMED, "base" },   /* not before the change */
  { "base", SET_INT, NULL, HLC + 4, JG_ERROR_MALFORMED, "base" },
  { "rbase", REMOVE, NULL, 0, JG_ERROR_MALFORMED, "rbase" },
  { "rbase", SET_INT, NULL, -1, JG_ERROR_MALFORMED, "rbase" },
  { "rbase", SET_INT, NULL, HLC + 3, JG_ERROR_MALFORMED, "rbase" },
  { "author", SET_INT, NULL, 1, JG_ERROR_MALFORMED, "author" },
  { "author", SET_JSON, "null", 0, JG_ERROR_MALFORMED, "author" },
  { "seq", SET_STRING, "12", 0, JG_ERROR_MALFORMED, "seq" },
};

static void
test_malformed_members (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autoptr(JsonObject) o = sample_object ();
      g_autoptr(JgChange) c = NULL;
      g_autoptr(GError) error = NULL;
      const char *member = malformed_cases[i].member;

      switch (malformed_cases[i].edit)
        {
        case SET_STRING:
          json_object_set_string_member (o, member, malformed_cases[i].s);
          break;
        case SET_INT:
          json_object_set_int_member (o, member, malformed_cases[i].i);
          break;
        case SET_JSON:
          json_object_set_member (o, member, jg_json_parse (malformed_cases[i].s, -1, NULL));
          break;
        case REMOVE:
          json_object_remove_member (o, member);
          break;
        }

      c = from_object (o, &error);
      if (c != NULL || error == NULL || error->domain != JG_ERROR ||
          error->code != malformed_cases[i].code)
        g_error ("case %u (%s): expected code %d, got %s", i, member, malformed_cases[i].code,
                 error ? error->message : "success");
      g_assert_cmpstr (jg_error_get_field (error), ==, malformed_cases[i].field);
    }
}

static void
test_long_author (void)
{
  g_autoptr(JsonObject) o = sample_object ();
  g_autoptr(JgChange) ok = NULL;
  g_autoptr(JgChange) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hundred = g_strnfill (100, 'a');
  g_autofree char *more = g_strnfill (101, 'a');

  json_object_set_string_member (o, "author", hundred);
  ok = from_object (o, &error);
  g_assert_no_error (error);
  json_object_set_string_member (o, "author", more);
  bad = from_object (o, &error);
  g_assert_null (bad);
  g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
}

static void
test_not_an_object (void)
{
  const char *texts[] = { "[]", "\"change\"", "null", "42" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = jg_json_parse (texts[i], -1, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JgChange) c = jg_change_from_json (node, &error);

      g_assert_null (c);
      g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (jg_change_from_json (NULL, &error));
    g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
  }
}

/* Reads @text both ways: jg_change_read_usual() straight from the text, and
 * jg_change_from_json() from its node.  Returns whether the text reader
 * took the text; when it did, both gave the same change or the same error. */
static gboolean
read_both_ways (const char *text)
{
  g_autoptr(GError) error = NULL, usual_error = NULL;
  g_autoptr(JsonNode) node = jg_json_parse (text, -1, &error);
  g_autoptr(JgChange) tree = NULL, usual = NULL;
  JgJsonReader reader;
  gboolean taken;

  g_assert_no_error (error);
  tree = jg_change_from_json (node, &error);
  jg_json_reader_init (&reader, text, strlen (text));
  taken = jg_change_read_usual (&reader, &usual, &usual_error);
  if (!taken)
    {
      g_assert_null (usual);
      g_assert_null (usual_error);
      return FALSE;
    }
  /* The reader stands past the change. */
  g_assert_cmpint (jg_json_reader_peek (&reader), ==, '\0');
  if (tree == NULL)
    {
      g_assert_null (usual);
      g_assert_error (usual_error, error->domain, error->code);
      g_assert_cmpstr (usual_error->message, ==, error->message);
      g_assert_cmpstr (jg_error_get_field (usual_error), ==, jg_error_get_field (error));
      return TRUE;
    }
  g_assert_no_error (usual_error);
  g_assert_nonnull (usual);
  g_assert_cmpstr (usual->replica, ==, tree->replica);
  g_assert_cmpint (usual->counter, ==, tree->counter);
  g_assert_cmpstr (usual->entity, ==, tree->entity);
  g_assert_cmpstr (usual->record, ==, tree->record);
  g_assert_cmpstr (usual->field, ==, tree->field);
  g_assert_cmpstr (usual->value, ==, tree->value);
  g_assert_cmpint (usual->hlc, ==, tree->hlc);
  g_assert_cmpint (usual->base, ==, tree->base);
  g_assert_cmpint (usual->rbase, ==, tree->rbase);
  g_assert_cmpstr (usual->author, ==, tree->author);
  g_assert_cmpint (usual->seq, ==, tree->seq);
  return TRUE;
}

/* The server reads pushed changes with jg_change_read_usual(): what it
 * takes must read exactly as jg_change_from_json() reads it, refusals
 * included, and anything unusual must be left to jg_change_from_json(). */
static void
test_read_usual (void)
{
#define R "\"replica\":\"0123456789abcdef0123456789abcdef\","
#define ID "\"record\":\"018f2a6c-8f00-7000-8000-000000000001\","
  static const char *const taken[] = {
    /* what jg_change_write() writes */
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"head_name\",\"value\":\"\u738b\u82b3\","
    "\"hlc\":112652085288960000,\"base\":0,\"rbase\":0,\"author\":\"va\"}",
    "{" R "\"n\":2,\"entity\":\"household\"," ID "\"field\":\"tags\",\"value\":[\"a\",\"b\"],"
    "\"hlc\":5,\"base\":4,\"rbase\":4,\"seq\":9}",
    " { " R " \"n\" : 3 , \"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,"
    "\"hlc\":5,\"base\":0,\"rbase\":0,\"author\":\"va\",\"seq\":0 } ",
    "{" R "\"n\":4,\"entity\":\"activity\"," ID "\"field\":\"funds_yuan\",\"value\":12.50,"
    "\"hlc\":5,\"base\":0,\"rbase\":0}",
    /* the usual shape, refused by a rule */
    "{" R "\"n\":0,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{\"replica\":\"xyz\",\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"spaceship\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\",\"record\":\"nope\",\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"warp\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"member_count\",\"value\":\"four\",\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":0,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":5,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":-1}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0,\"seq\":-3}",
  };
  static const char *const left[] = {
    /* members in another order, missing, twice, unknown, or of another type */
    "{\"n\":1," R "\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0,\"rbase\":1}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0,\"seq\":1,\"author\":\"va\"}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0,\"colour\":1}",
    "{" R "\"n\":1.5,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":\"1\",\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":7," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":1e3,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":1234567890123456789,\"base\":0,\"rbase\":0}",
    "{" R "\"n\":1,\"entity\":\"household\"," ID "\"field\":\"phone\",\"value\":null,\"hlc\":5,\"base\":0,\"rbase\":0,\"author\":null}",
    "[1,2]",
    "{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    g_assert_true (read_both_ways (taken[i]));
  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    g_assert_false (read_both_ways (left[i]));

  /* A change of every sample field, as the client writes it. */
  {
    g_autoptr(JgChange) c = sample_change ();
    g_autoptr(JgJsonWriter) w = jg_json_writer_new ();
    g_autofree char *text = NULL;
    gsize len;

    jg_change_write (c, w);
    text = jg_json_writer_free_to_text (g_steal_pointer (&w), &len);
    g_assert_true (read_both_ways (text));
  }
#undef R
#undef ID
}

static GPtrArray *
sample_changes (guint n)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);

  for (guint i = 0; i < n; i++)
    {
      JgChange *c = sample_change ();

      c->counter = i + 1;
      c->hlc = HLC + i + 10;
      c->seq = i + 1;
      g_ptr_array_add (changes, c);
    }
  return changes;
}

static void
test_bundle_round_trip (void)
{
  g_autoptr(GPtrArray) changes = sample_changes (5);
  g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 41, changes);
  g_autofree char *text = jg_json_to_string (bundle, TRUE);
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o = json_node_get_object (bundle);
  gint64 last_seq = 0;

  g_assert_cmpstr (jg_json_get_string (o, "format"), ==, JG_BUNDLE_FORMAT);
  g_assert_cmpint (json_object_get_int_member (o, "protocol"), ==, JG_PROTOCOL_VERSION);
  g_assert_cmpstr (jg_json_get_string (o, "replica"), ==, REPLICA);

  reparsed = jg_json_parse (text, -1, &error);
  g_assert_no_error (error);
  back = jg_bundle_parse (reparsed, &last_seq, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (last_seq, ==, 41);
  g_assert_cmpuint (back->len, ==, 5);
  for (guint i = 0; i < back->len; i++)
    assert_changes_equal (changes->pdata[i], back->pdata[i]);
}

static void
test_bundle_empty (void)
{
  g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 0, NULL);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_seq = -1;

  back = jg_bundle_parse (bundle, &last_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 0);
  g_assert_cmpint (last_seq, ==, 0);
}

static void
test_bundle_newer_protocol (void)
{
  g_autoptr(GPtrArray) changes = sample_changes (1);
  g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 1, changes);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (json_node_get_object (bundle), "protocol", JG_PROTOCOL_VERSION + 1);
  back = jg_bundle_parse (bundle, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, JG_ERROR, JG_ERROR_PROTOCOL_VERSION);
}

static void
test_bundle_bad_protocol (void)
{
  const char *values[] = { "0", "-1", "\"1\"", "1.5", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 1, NULL);
      g_autoptr(GPtrArray) back = NULL;
      g_autoptr(GError) error = NULL;

      json_object_set_member (json_node_get_object (bundle), "protocol",
                              jg_json_parse (values[i], -1, NULL));
      back = jg_bundle_parse (bundle, NULL, &error);
      g_assert_null (back);
      g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
    }
  {
    g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 1, NULL);
    g_autoptr(GPtrArray) back = NULL;
    g_autoptr(GError) error = NULL;

    json_object_remove_member (json_node_get_object (bundle), "protocol");
    back = jg_bundle_parse (bundle, NULL, &error);
    g_assert_null (back);
    g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
  }
}

static void
test_bundle_not_a_bundle (void)
{
  const char *texts[] = {
    "[]",
    "\"jinguo-changes\"",
    "{}",
    "{\"format\": \"something-else\", \"protocol\": 1, \"changes\": []}",
    "{\"format\": 1, \"protocol\": 1, \"changes\": []}",
    "{\"protocol\": 1, \"changes\": []}",
    "{\"format\": \"jinguo-changes\", \"protocol\": 1}",
    "{\"format\": \"jinguo-changes\", \"protocol\": 1, \"changes\": {}}",
    "{\"format\": \"jinguo-changes\", \"protocol\": 1, \"changes\": [], \"last_seq\": \"9\"}",
    "{\"format\": \"jinguo-changes\", \"protocol\": 1, \"changes\": [42]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = jg_json_parse (texts[i], -1, &error);
      g_autoptr(GPtrArray) back = NULL;

      g_assert_no_error (error);
      back = jg_bundle_parse (node, NULL, &error);
      if (back != NULL)
        g_error ("“%s” was taken for a bundle", texts[i]);
      g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (jg_bundle_parse (NULL, NULL, &error));
    g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
  }
}

static void
test_bundle_bad_change (void)
{
  g_autoptr(GPtrArray) changes = sample_changes (3);
  g_autoptr(JsonNode) bundle = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_seq = -5;

  /* One bad change refuses the whole bundle, with the change's code and
   * its position in the message. */
  g_free (((JgChange *) changes->pdata[1])->field);
  ((JgChange *) changes->pdata[1])->field = g_strdup ("no_such_field");
  bundle = jg_bundle_build (REPLICA, 3, changes);
  back = jg_bundle_parse (bundle, &last_seq, &error);
  g_assert_null (back);
  g_assert_error (error, JG_ERROR, JG_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_cmpint (last_seq, ==, -5);
}

static void
test_bundle_truncated (void)
{
  g_autoptr(GPtrArray) changes = sample_changes (4);
  g_autoptr(JsonNode) bundle = jg_bundle_build (REPLICA, 4, changes);
  g_autofree char *text = jg_json_to_string (bundle, FALSE);
  gsize len = strlen (text);

  /* Cut anywhere (except after the last byte): the text does not parse. */
  for (gsize cut = 0; cut < len; cut += (cut < 64 ? 1 : 7))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = jg_json_parse (text, (gssize) cut, &error);

      if (node != NULL)
        g_error ("The bundle cut at %zu of %zu parsed", cut, len);
      g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = jg_json_parse (text, (gssize) len, &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
}

/* The text writer and the node builder give the same bytes, with and
 * without the optional members, for values of every kind. */
static void
test_write_matches_to_json (void)
{
  const char *values[] = { "\"王芳\"", "null", "42", "true", "{\"a\":[1,\"x\\\"y\"],\"b\":null}", "\"tab\\t\"" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    for (int plain = 0; plain < 2; plain++)
      {
        g_autoptr(JgChange) c = sample_change ();
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(JgJsonWriter) w = jg_json_writer_new ();
        g_autofree char *expected = NULL;
        g_autofree char *written = NULL;

        g_free (c->value);
        c->value = g_strdup (values[i]);
        if (plain)
          {
            g_clear_pointer (&c->author, g_free);
            c->seq = 0;
          }
        node = jg_change_to_json (c);
        expected = jg_json_to_string (node, FALSE);
        jg_change_write (c, w);
        written = jg_json_writer_free_to_text (g_steal_pointer (&w), NULL);
        g_assert_cmpstr (written, ==, expected);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/change/round-trip", test_round_trip);
  g_test_add_func ("/jg/change/write-matches-to-json", test_write_matches_to_json);
  g_test_add_func ("/jg/change/round-trip-values", test_round_trip_values);
  g_test_add_func ("/jg/change/value-canonical", test_value_canonical);
  g_test_add_func ("/jg/change/optional-members", test_optional_members);
  g_test_add_func ("/jg/change/copy-and-id", test_copy_and_id);
  g_test_add_func ("/jg/change/malformed-members", test_malformed_members);
  g_test_add_func ("/jg/change/long-author", test_long_author);
  g_test_add_func ("/jg/change/not-an-object", test_not_an_object);
  g_test_add_func ("/jg/change/bundle/round-trip", test_bundle_round_trip);
  g_test_add_func ("/jg/change/bundle/empty", test_bundle_empty);
  g_test_add_func ("/jg/change/read-usual", test_read_usual);
  g_test_add_func ("/jg/change/bundle/newer-protocol", test_bundle_newer_protocol);
  g_test_add_func ("/jg/change/bundle/bad-protocol", test_bundle_bad_protocol);
  g_test_add_func ("/jg/change/bundle/not-a-bundle", test_bundle_not_a_bundle);
  g_test_add_func ("/jg/change/bundle/bad-change", test_bundle_bad_change);
  g_test_add_func ("/jg/change/bundle/truncated", test_bundle_truncated);

  return g_test_run ();
}
