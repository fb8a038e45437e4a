/* test-json.c: canonical JSON text and guarded parsing (jg-json.h) */

#include "config.h"

#include <string.h>

#include "jg-error.h"
#include "jg-json.h"
#include "jg-json-writer.h"

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = jg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
canonical_of (const char *text)
{
  g_autoptr(JsonNode) node = parse_ok (text);

  return jg_json_canonical (node);
}

static void
assert_refused (const char *text,
                gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_json_parse (text, length, &error);

  g_assert_null (node);
  g_assert_error (error, JG_ERROR, JG_ERROR_MALFORMED);
}

static void
test_canonical_sorted (void)
{
  g_autofree char *c = canonical_of ("{ \"b\": 1, \"a\": 2, \"c\": { \"z\": [ {\"y\": 1, \"x\": 2} ], \"m\": null } }");

  /* Sorted at every depth, including objects inside arrays; no spaces. */
  g_assert_cmpstr (c, ==, "{\"a\":2,\"b\":1,\"c\":{\"m\":null,\"z\":[{\"x\":2,\"y\":1}]}}");
}

static void
test_canonical_member_order (void)
{
  g_autofree char *a = canonical_of ("{\"head_name\": \"王芳\", \"tags\": [\"留守\", \"低保\"], \"member_count\": 4}");
  g_autofree char *b = canonical_of ("{\"member_count\": 4, \"head_name\": \"王芳\", \"tags\": [\"留守\", \"低保\"]}");
  g_autofree char *c = canonical_of ("{\"member_count\":4,\"tags\":[\"低保\",\"留守\"],\"head_name\":\"王芳\"}");
  g_autoptr(JsonNode) na = parse_ok ("{\"x\": {\"b\": 1, \"a\": 2}}");
  g_autoptr(JsonNode) nb = parse_ok ("{\"x\": {\"a\": 2, \"b\": 1}}");

  /* The same value written two ways gives the same bytes. */
  g_assert_cmpstr (a, ==, b);
  /* Array order is part of the value. */
  g_assert_cmpstr (a, !=, c);
  g_assert_true (jg_json_equal (na, nb));
  g_assert_false (jg_json_equal (na, NULL));
}

static void
test_canonical_stable (void)
{
  const char *texts[] = {
    "{\"k\":\"line\\nbreak \\\"quoted\\\" \\\\ tab\\t\",\"a\":[1,2.5,-3,true,false,null]}",
    "\"巾帼台账\"",
    "[]",
    "{}",
    "12",
    "-0.125",
    "null",
    "{\"\":\"empty name\",\"é\":1,\"e\":2,\"Z\":3}",
  };

  /* canonical(parse(canonical(x))) == canonical(x) */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *once = canonical_of (texts[i]);
      g_autofree char *twice = canonical_of (once);

      g_assert_cmpstr (once, ==, twice);
    }
}

static void
test_canonical_bytewise_order (void)
{
  g_autofree char *c = canonical_of ("{\"é\":1,\"e\":2,\"Z\":3,\"\":4,\"ab\":5,\"a\":6}");

  /* Byte order of the UTF-8 names, independent of the locale. */
  g_assert_cmpstr (c, ==, "{\"\":4,\"Z\":3,\"a\":6,\"ab\":5,\"e\":2,\"é\":1}");
}

static void
test_canonical_null (void)
{
  g_autofree char *c = jg_json_canonical (NULL);
  g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);
  g_autofree char *d = jg_json_canonical (null_node);

  g_assert_cmpstr (c, ==, "null");
  g_assert_cmpstr (d, ==, "null");
}

static void
test_parse_valid (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"a\": [1, {\"b\": \"户主\"}]}");
  g_autoptr(JsonNode) scalar = parse_ok ("  42 ");
  g_autoptr(JsonNode) part = NULL;
  g_autoptr(JsonNode) typed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  gint64 n = 0;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "a")));
  g_assert_cmpint (json_node_get_int (scalar), ==, 42);

  /* An explicit length: only that much is read. */
  part = jg_json_parse ("[1,2]garbage", 5, &error);
  g_assert_no_error (error);
  g_assert_nonnull (part);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (part)), ==, 2);

  typed = parse_ok ("{\"i\": 3, \"d\": 3.5, \"s\": \"x\", \"b\": true}");
  o = json_node_get_object (typed);
  g_assert_true (jg_json_get_int (o, "i", &n));
  g_assert_cmpint (n, ==, 3);
  g_assert_false (jg_json_get_int (o, "d", &n));
  g_assert_false (jg_json_get_int (o, "s", &n));
  g_assert_false (jg_json_get_int (o, "missing", &n));
  g_assert_cmpstr (jg_json_get_string (o, "s"), ==, "x");
  g_assert_null (jg_json_get_string (o, "i"));
  g_assert_null (jg_json_get_string (o, "missing"));
}

static void
test_parse_invalid_utf8 (void)
{
  assert_refused ("\"\xff\"", -1);
  assert_refused ("{\"a\": \"\xc3\x28\"}", -1);
  /* An overlong encoding of '/'. */
  assert_refused ("[\"\xc0\xaf\"]", -1);
  /* A UTF-16 surrogate written as UTF-8. */
  assert_refused ("\"\xed\xa0\x80\"", -1);
  /* Truncated multi-byte sequence at the end. */
  assert_refused ("\"\xe5\xb7", -1);
}

static void
test_parse_depth (void)
{
  GString *ok = g_string_new (NULL);
  GString *deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Exactly the limit parses. */
  for (int i = 0; i < JG_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (int i = 0; i < JG_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  node = jg_json_parse (ok->str, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  /* One more does not. */
  g_string_printf (deep, "[%s]", ok->str);
  assert_refused (deep->str, -1);

  /* Objects count too. */
  g_string_truncate (deep, 0);
  for (int i = 0; i <= JG_JSON_MAX_DEPTH; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (int i = 0; i <= JG_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '}');
  assert_refused (deep->str, -1);

  g_string_free (ok, TRUE);
  g_string_free (deep, TRUE);
}

static void
test_parse_deep_brackets (void)
{
  gsize n = 100000;
  char *open = g_malloc (n + 1);
  char *both = g_malloc (2 * n + 1);

  /* 100,000 nested brackets must be refused, not overflow the stack. */
  memset (open, '[', n);
  open[n] = '\0';
  assert_refused (open, -1);

  memset (both, '{', n);
  memset (both + n, '}', n);
  both[2 * n] = '\0';
  assert_refused (both, -1);

  memset (both, '[', n);
  memset (both + n, ']', n);
  assert_refused (both, (gssize) (2 * n));

  g_free (open);
  g_free (both);
}

static void
test_parse_brackets_in_strings (void)
{
  GString *s = g_string_new ("[\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Brackets inside a string are text, not nesting; escaped quotes do not
   * end the string. */
  for (int i = 0; i < 1000; i++)
    g_string_append (s, "[{\\\"");
  g_string_append (s, "\"]");
  node = jg_json_parse (s->str, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_string_free (s, TRUE);
}

static void
test_parse_empty (void)
{
  assert_refused ("", -1);
  assert_refused ("", 0);
  assert_refused ("   \n\t ", -1);
}

static void
test_parse_garbage (void)
{
  const char *garbage[] = {
    "{",
    "}",
    "[1,2",
    "{\"a\":}",
    "{\"a\" 1}",
    "{a: 1}",
    "[1,]x",
    "nul",
    "\"unterminated",
    "{\"a\":1}}",
    "\x01\x02\x03",
    "<html></html>",
    "SQLite format 3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    assert_refused (garbage[i], -1);
}

static void
test_parse_unwritable_numbers (void)
{
  const char *fine[] = { "1200.0", "-0.5", "1.5e20", "1e16", "9.9999999999999992e+22", "1e-5" };

  /* Numbers past a double's range become "inf", and json-glib writes a few
   * large round ones as "1e+21.0": neither is JSON.  Refused rather than
   * stored as text that cannot be read back. */
  assert_refused ("1e400", -1);
  assert_refused ("[1, -1e999]", -1);
  assert_refused ("{\"a\": {\"b\": [1e309]}}", -1);
  assert_refused ("1e21", -1);
  assert_refused ("{\"R1\": 1e17}", -1);
  assert_refused ("1e-300", -1);
  /* An integer past int64 would be read wrapped round (to -1, or below 0). */
  assert_refused ("99999999999999999999", -1);
  assert_refused ("{\"n\": 9223372036854775808}", -1);
  assert_refused ("[-9223372036854775809]", -1);
  {
    g_autoptr(JsonNode) max = parse_ok ("[9223372036854775807, -9223372036854775808]");
    JsonArray *a = json_node_get_array (max);

    g_assert_cmpint (json_array_get_int_element (a, 0), ==, G_MAXINT64);
    g_assert_cmpint (json_array_get_int_element (a, 1), ==, G_MININT64);
  }

  /* Everything else reads back as the same value from its canonical text. */
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (fine[i]);
      g_autofree char *text = jg_json_canonical (node);
      g_autoptr(JsonNode) again = parse_ok (text);
      g_autofree char *wire = jg_json_to_string (node, FALSE);
      g_autoptr(JsonNode) from_wire = parse_ok (wire);

      g_assert_true (jg_json_equal (node, again));
      g_assert_cmpfloat (json_node_get_double (from_wire), ==, json_node_get_double (node));
    }
}

static void
test_to_string (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"a\": [1, 2]}");
  g_autofree char *compact = jg_json_to_string (node, FALSE);
  g_autofree char *pretty = jg_json_to_string (node, TRUE);
  g_autoptr(JsonNode) back = parse_ok (pretty);

  g_assert_cmpstr (compact, ==, "{\"a\":[1,2]}");
  g_assert_nonnull (strchr (pretty, '\n'));
  g_assert_true (jg_json_equal (node, back));

  /* Fractions in the fewest digits that keep their value (json-glib
   * writes 17: 8.6999999999999993), whole ones still as fractions;
   * digits inside strings are left alone. */
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) numbers = NULL;
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) again = NULL;
    JsonArray *a;

    json_builder_begin_array (b);
    json_builder_add_double_value (b, 8.7);
    json_builder_add_double_value (b, 520.0 / 60.0);
    json_builder_add_double_value (b, 100.0);
    json_builder_add_double_value (b, -0.1);
    json_builder_add_double_value (b, 1.5e-300);
    json_builder_add_int_value (b, G_MAXINT64);
    json_builder_add_string_value (b, "8.6999999999999993 \" 1.10");
    json_builder_end_array (b);
    numbers = json_builder_get_root (b);
    text = jg_json_to_string (numbers, FALSE);
    g_assert_cmpstr (text, ==, "[8.7,8.666666666666666,100.0,-0.1,1.5e-300,9223372036854775807,"
                               "\"8.6999999999999993 \\\" 1.10\"]");
    again = parse_ok (text);
    a = json_node_get_array (again);
    g_assert_cmpfloat (json_array_get_double_element (a, 1), ==, 520.0 / 60.0);
    g_assert_cmpint (json_array_get_int_element (a, 5), ==, G_MAXINT64);
  }

  /* Every control character comes out escaped, U+001F too (json-glib
   * writes it raw): the text parses back to the same strings.  Found by
   * fuzz-bundle (corpus/bundle/crash-unit-separator.json). */
  for (int c = 1; c < 0x20; c++)
    {
      g_autofree char *value = g_strdup_printf ("a%cb\x1f", c);
      g_autoptr(JsonNode) string = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_string_member (o, "k\x1f", value);
      json_node_set_object (string, o);
      for (int p = 0; p < 2; p++)
        {
          g_autofree char *text = jg_json_to_string (string, p);
          g_autoptr(JsonNode) again = parse_ok (text);

          if (!p)   /* pretty text has line breaks of its own */
            g_assert_null (memchr (text, c, strlen (text)));
          g_assert_cmpstr (jg_json_get_string (json_node_get_object (again), "k\x1f"), ==, value);
        }
    }
}

/* The writer's strings are json-glib's, so canonical text is the same
 * whichever wrote it; except U+001F, which json-glib leaves raw. */
static void
test_writer_escapes_like_json_glib (void)
{
  const char *samples[] = { "plain", "引号\"与\\反斜杠", "tab\there", "line\nbreak\r\n",
                            "\b\f", "del\x7f", "中文 · 美丽庭院", "\xe2\x80\xa8sep", "" };

  for (int c = 1; c < 0x80; c++)
    {
      char s[2] = { (char) c, '\0' };
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *theirs = NULL;
      g_autoptr(GString) ours = g_string_new (NULL);

      json_node_set_string (node, s);
      theirs = json_to_string (node, FALSE);
      jg_json_append_string (ours, s);
      if (c == 0x1f)
        g_assert_cmpstr (ours->str, ==, "\"\\u001f\"");
      else
        g_assert_cmpstr (ours->str, ==, theirs);
    }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *theirs = NULL;
      g_autoptr(GString) ours = g_string_new (NULL);

      json_node_set_string (node, samples[i]);
      theirs = json_to_string (node, FALSE);
      jg_json_append_string (ours, samples[i]);
      g_assert_cmpstr (ours->str, ==, theirs);
    }
}

static void
test_writer_document (void)
{
  g_autoptr(JgJsonWriter) w = jg_json_writer_new ();
  g_autoptr(JsonNode) value = parse_ok ("{\"b\":[1,true],\"a\":null}");
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  jg_json_writer_begin_object (w);
  jg_json_writer_member (w, "s");
  jg_json_writer_string (w, "x\"y");
  jg_json_writer_member (w, "n");
  jg_json_writer_int (w, G_MININT64);
  jg_json_writer_member (w, "empty");
  jg_json_writer_begin_array (w);
  jg_json_writer_end_array (w);
  jg_json_writer_member (w, "list");
  jg_json_writer_begin_array (w);
  jg_json_writer_boolean (w, FALSE);
  jg_json_writer_null (w);
  jg_json_writer_string (w, NULL);
  jg_json_writer_raw (w, "[1,2]");
  jg_json_writer_begin_object (w);
  jg_json_writer_end_object (w);
  jg_json_writer_node (w, value);
  jg_json_writer_end_array (w);
  jg_json_writer_end_object (w);
  text = jg_json_writer_free_to_text (g_steal_pointer (&w), &len);

  g_assert_cmpstr (text, ==, "{\"s\":\"x\\\"y\",\"n\":-9223372036854775808,\"empty\":[],"
                             "\"list\":[false,null,null,[1,2],{},{\"a\":null,\"b\":[1,true]}]}");
  g_assert_cmpuint (len, ==, strlen (text));
  back = parse_ok (text);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (back));
}

/* The fast paths of the canonical form give json-glib's bytes. */
static void
test_canonical_scalars (void)
{
  const char *texts[] = { "\"a\\u0001b\"", "-42", "9007199254740993", "true", "false", "0.5", "1e3", "null" };
  const char *expected[] = { "\"a\\u0001b\"", "-42", "9007199254740993", "true", "false", "0.5", "1000.0", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (texts[i]);
      g_autofree char *canonical = jg_json_canonical (node);

      g_assert_cmpstr (canonical, ==, expected[i]);
    }
}

/* The reader in jg_json_parse() and json-glib's parser give the same
 * tree: compared by canonical text and by node type. */
static void
assert_reads_like_json_glib (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonNode) ours = jg_json_parse (text, -1, NULL);
  g_autofree char *ours_text = NULL;
  g_autofree char *theirs_text = NULL;

  g_assert_nonnull (ours);
  g_assert_true (json_node_is_immutable (ours));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  ours_text = jg_json_canonical (ours);
  theirs_text = jg_json_canonical (json_parser_get_root (parser));
  g_assert_cmpstr (ours_text, ==, theirs_text);
}

static void
test_parse_same_as_json_glib (void)
{
  const char *texts[] = {
    "{}", "[]", " [ ] ", "\t{\n\"a\" :\r1 }\n", "0", "-0", "-7", "123456789012345",
    "1234567890123456", "-999999999999999", "123456789012345678", "-999999999999999999",
    "1234567890123456789", "113378816000000000", "100.0", "0.5", "-3.25", "0.1", "-0.0",
    "12345678.901234567", "1234567890.12345678", "0.00000000000000001", "[88.5,{\"x\":1.0}]", "9223372036854775807", "1.5", "-2e3",
    "\"\"", "\"x\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u4e2d\\u0001\\u001f\\u007f\"",
    "\"\\ud83d\\ude00\"", "\"中文 and ascii\"", "true", "false", "null",
    "{\"a\":1,\"a\":2}", "{\"b\":[1,{\"c\":null}],\"a\":\"z\"}",
    "[[[[[]]]]]", "[1,\"2\",true,null,{},[]]",
    "{\"protocol\":1,\"changes\":[{\"replica\":\"00112233445566778899aabbccddeeff\",\"n\":1,"
    "\"value\":{\"x\":[\"a\",\"b\"]},\"hlc\":1730000000000000}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_reads_like_json_glib (texts[i]);
}

/* The reader walks checked text member by member, skips what it is not
 * asked for (strings with brackets and escaped quotes included) and says
 * FALSE when the text is not what the caller expects. */
static void
test_reader_walk (void)
{
  const char *text = " {\"skip\": {\"a\": [\"]}\\\"\", {\"b\": 1}], \"c\": null}, \"n\": -42,"
                     " \"s\": \"\\u4e2d\\n\", \"list\": [1, [2, 3], {\"x\": true}], \"last\": false } ";
  JgJsonReader r;
  const char *start;
  gsize len;
  gint64 n = 0;

  g_assert_true (jg_json_check (text, strlen (text), NULL));
  jg_json_reader_init (&r, text, strlen (text));
  g_assert_false (jg_json_reader_begin (&r, '['));
  g_assert_true (jg_json_reader_begin (&r, '{'));

  g_assert_true (jg_json_reader_next (&r, '}'));
  {
    g_autofree char *name = jg_json_reader_member (&r);

    g_assert_cmpstr (name, ==, "skip");
  }
  g_assert_true (jg_json_reader_skip (&r, &start, &len));
  g_assert_cmpint (strncmp (start, "{\"a\"", 4), ==, 0);
  g_assert_cmpint (start[len - 1], ==, '}');

  g_assert_true (jg_json_reader_next (&r, '}'));
  {
    g_autofree char *name = jg_json_reader_member (&r);
    g_autofree char *not_a_string = NULL;

    g_assert_cmpstr (name, ==, "n");
    not_a_string = jg_json_reader_string (&r);
    g_assert_null (not_a_string);
    g_assert_true (jg_json_reader_int (&r, &n));
    g_assert_cmpint (n, ==, -42);
  }

  g_assert_true (jg_json_reader_next (&r, '}'));
  {
    g_autofree char *name = jg_json_reader_member (&r);
    g_autofree char *value = jg_json_reader_string (&r);

    g_assert_cmpstr (name, ==, "s");
    g_assert_cmpstr (value, ==, "中\n");
  }

  g_assert_true (jg_json_reader_next (&r, '}'));
  {
    g_autofree char *name = jg_json_reader_member (&r);
    g_autoptr(JsonNode) value = NULL;
    g_autofree char *canonical = NULL;

    g_assert_cmpstr (name, ==, "list");
    value = jg_json_reader_value (&r);
    canonical = jg_json_canonical (value);
    g_assert_cmpstr (canonical, ==, "[1,[2,3],{\"x\":true}]");
  }

  g_assert_true (jg_json_reader_next (&r, '}'));
  {
    g_autofree char *name = jg_json_reader_member (&r);

    g_assert_cmpstr (name, ==, "last");
    g_assert_false (jg_json_reader_int (&r, &n));
    g_assert_true (jg_json_reader_skip (&r, &start, &len));
    g_assert_cmpint (len, ==, 5);
  }
  g_assert_false (jg_json_reader_next (&r, '}'));
  g_assert_cmpint (jg_json_reader_peek (&r), ==, '\0');
}

/* A document may be only a number, and the text need not end with NUL
 * there: the bytes after @length are not part of it (fuzz-request found a
 * read past the end, corpus/request/crash-number-at-end-of-buffer). */
static void
test_parse_number_at_end (void)
{
  const char buffer[] = "12345 -2.5999 77";
  g_autoptr(JsonNode) i = jg_json_parse (buffer, 3, NULL);
  g_autoptr(JsonNode) d = jg_json_parse (buffer + 6, 4, NULL);
  g_autoptr(JsonNode) n = jg_json_parse (buffer + 14, 1, NULL);

  g_assert_nonnull (i);
  g_assert_cmpint (json_node_get_int (i), ==, 123);
  g_assert_nonnull (d);
  g_assert_cmpfloat (json_node_get_double (d), ==, -2.5);
  g_assert_nonnull (n);
  g_assert_cmpint (json_node_get_int (n), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/json/canonical/sorted", test_canonical_sorted);
  g_test_add_func ("/jg/json/canonical/member-order", test_canonical_member_order);
  g_test_add_func ("/jg/json/canonical/stable", test_canonical_stable);
  g_test_add_func ("/jg/json/canonical/bytewise-order", test_canonical_bytewise_order);
  g_test_add_func ("/jg/json/canonical/null", test_canonical_null);
  g_test_add_func ("/jg/json/parse/valid", test_parse_valid);
  g_test_add_func ("/jg/json/parse/invalid-utf8", test_parse_invalid_utf8);
  g_test_add_func ("/jg/json/parse/depth", test_parse_depth);
  g_test_add_func ("/jg/json/parse/deep-brackets", test_parse_deep_brackets);
  g_test_add_func ("/jg/json/parse/brackets-in-strings", test_parse_brackets_in_strings);
  g_test_add_func ("/jg/json/parse/empty", test_parse_empty);
  g_test_add_func ("/jg/json/parse/garbage", test_parse_garbage);
  g_test_add_func ("/jg/json/parse/unwritable-numbers", test_parse_unwritable_numbers);
  g_test_add_func ("/jg/json/to-string", test_to_string);
  g_test_add_func ("/jg/json/parse/same-as-json-glib", test_parse_same_as_json_glib);
  g_test_add_func ("/jg/json/reader/walk", test_reader_walk);
  g_test_add_func ("/jg/json/parse/number-at-end", test_parse_number_at_end);
  g_test_add_func ("/jg/json/writer/escapes", test_writer_escapes_like_json_glib);
  g_test_add_func ("/jg/json/writer/document", test_writer_document);
  g_test_add_func ("/jg/json/canonical/scalars", test_canonical_scalars);

  return g_test_run ();
}
