/* test-server.c: jinguo-server over HTTP: health, login, errors, push rules */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "jg-server-backend.h"
#include "sync-test-util.h"

static char *
change_json (const char *replica,
             gint64      n,
             const char *entity,
             const char *record,
             const char *field,
             const char *value,
             gint64      hlc)
{
  return g_strdup_printf ("{\"replica\":\"%s\",\"n\":%" PRId64 ",\"entity\":\"%s\","
                          "\"record\":\"%s\",\"field\":\"%s\",\"value\":%s,\"hlc\":%" PRId64
                          ",\"base\":0,\"rbase\":0}",
                          replica, n, entity, record, field, value, hlc);
}

#define REPLICA "0123456789abcdef0123456789abcdef"

static gint64
now_hlc (void)
{
  return jg_hlc_pack (g_get_real_time () / 1000, 0);
}

static JsonNode *
push (TestServer *ts,
      const char *token,
      const char *changes,
      guint      *status)
{
  g_autofree char *body = g_strdup_printf ("{\"protocol\":1,\"replica\":\"%s\",\"cursor\":0,"
                                           "\"limit\":0,\"changes\":[%s]}", REPLICA, changes);

  return http_post_json (ts, "/api/v1/sync", token, body, status);
}

static const char *
result_status (JsonNode *reply,
               guint     i,
               const char **code)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (reply), "results");
  JsonObject *r = json_array_get_object_element (results, i);

  if (code)
    *code = jg_json_get_string (r, "code");
  return jg_json_get_string (r, "status");
}

static void
test_health (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *o;
  gint64 v = 0;
  guint status = 0;

  reply = http_request (ts, "GET", "/api/v1/health", NULL, NULL, 0, FALSE, &status);
  g_assert_cmpuint (status, ==, 200);
  o = json_node_get_object (reply);
  g_assert_cmpstr (jg_json_get_string (o, "status"), ==, "ok");
  g_assert_true (jg_json_get_int (o, "protocol", &v) && v == 1);
  g_assert_true (jg_json_get_int (o, "min_client_protocol", &v) && v == 1);
  g_assert_nonnull (jg_json_get_string (o, "version"));

  g_clear_pointer (&reply, json_node_unref);
  reply = http_request (ts, "GET", "/api/v1/nothing", NULL, NULL, 0, FALSE, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpstr (error_code (reply), ==, "not_found");
}

static void
test_login_ok (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *user;
  guint status = 0;

  reply = http_post_json (ts, "/api/v1/login", NULL,
                          "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "\","
                          "\"replica\":\"" REPLICA "\",\"device\":\"laptop\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (jg_json_get_string (json_node_get_object (reply), "token"));
  user = json_object_get_object_member (json_node_get_object (reply), "user");
  g_assert_cmpstr (jg_json_get_string (user, "username"), ==, "va");
  g_assert_cmpstr (jg_json_get_string (user, "role"), ==, "village_staff");
  g_assert_cmpstr (jg_json_get_string (user, "org_unit"), ==, VILLAGE_A);
  /* Only the hash of a token is kept. */
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM device_token WHERE length (token_hash) = 64"), ==, 1);
}

static void
test_login_wrong_password (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = http_post_json (ts, "/api/v1/login", NULL,
                          "{\"username\":\"va\",\"password\":\"wrong-one\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (error_code (reply), ==, "bad_credentials");
  g_clear_pointer (&reply, json_node_unref);
  reply = http_post_json (ts, "/api/v1/login", NULL,
                          "{\"username\":\"nobody\",\"password\":\"wrong-one\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM device_token"), ==, 0);
}

static void
test_login_rate_limit (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  guint status = 0;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/login", NULL,
                                                  "{\"username\":\"vb\",\"password\":\"guess-guess\"}", &status);
      g_assert_cmpuint (status, ==, 401);
    }
  {
    /* Even the right password waits now. */
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/login", NULL,
                                                "{\"username\":\"vb\",\"password\":\"" TEST_PASSWORD "\"}", &status);
    g_assert_cmpuint (status, ==, 429);
    g_assert_cmpstr (error_code (reply), ==, "rate_limited");
  }
  {
    /* Another user is not affected. */
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/login", NULL,
                                                "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "\"}", &status);
    g_assert_cmpuint (status, ==, 200);
  }
}

static void
test_malformed (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  const char *bodies[] = {
    "{\"protocol\":1,\"replica\":",                           /* does not parse */
    "[1,2,3]",                                                /* not an object */
    "{\"protocol\":\"1\",\"replica\":\"" REPLICA "\"}",       /* wrong type */
    "{\"protocol\":1,\"replica\":\"" REPLICA "\",\"cursor\":\"x\"}",
    "{\"protocol\":1,\"replica\":\"nope\"}",
    "{\"protocol\":1,\"replica\":\"" REPLICA "\",\"changes\":{}}",
    "",
  };
  g_autofree char *deep = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      guint status = 0;
      g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/sync", token, bodies[i], &status);

      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (error_code (reply), ==, "malformed");
    }
  {
    GString *s = g_string_new ("{\"protocol\":1,\"x\":");
    guint status = 0;
    g_autoptr(JsonNode) reply = NULL;

    for (int i = 0; i < 100; i++)
      g_string_append_c (s, '[');
    for (int i = 0; i < 100; i++)
      g_string_append_c (s, ']');
    g_string_append_c (s, '}');
    deep = g_string_free (s, FALSE);
    reply = http_post_json (ts, "/api/v1/sync", token, deep, &status);
    g_assert_cmpuint (status, ==, 400);
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);
}

static void
test_wrong_types_in_change (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  g_autofree char *c2 = change_json (REPLICA, 2, "household", rec, "member_count", "\"many\"", now_hlc ());
  g_autofree char *c3 = change_json (REPLICA, 3, "household", rec, "head_name", "\"李梅\"", now_hlc ());
  g_autofree char *all = g_strdup_printf ("%s,%s,%s,{\"n\":\"x\"}", c1, c2, c3);
  const char *code = NULL;
  guint status = 0;

  reply = push (ts, token, all, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (result_status (reply, 0, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 1, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "wrong_type");
  /* A rejected change does not block the rest of the batch. */
  g_assert_cmpstr (result_status (reply, 2, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 3, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "malformed");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 2);
}

/* The server judges each value by the rules a local write runs: a range,
 * a format, the rubric's maximum for an item, a required field not
 * emptied — table-driven, each refused
 * with its code while the valid changes around it are stored. */
static void
test_domain_values (void)
{
  static const struct
  {
    const char *entity;
    const char *field;
    const char *value;
    const char *code;
  } cases[] = {
    { "household", "member_count", "500", "out_of_range" },
    { "household", "phone", "\"12345\"", "invalid" },
    { "volunteer", "id_last4", "\"110101199003071234\"", "invalid" },
    { "volunteer", "birth_year", "1800", "out_of_range" },
    { "activity", "funds_yuan", "-5", "out_of_range" },
    { "inspection", "item_scores", "{\"R1\":99}", "out_of_range" },
    { "inspection", "item_scores", "{\"Z9\":1}", "invalid" },
    { "inspection", "veto_hits", "[\"V9\"]", "invalid" },
    /* A required field emptied: the record could not be saved again. */
    { "household", "head_name", "null", "required" },
    { "activity", "start_at", "null", "required" },
    { "award", "year", "null", "required" },
  };
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
      g_autofree char *c1 = change_json (REPLICA, ++n, cases[i].entity, rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
      g_autofree char *c2 = change_json (REPLICA, ++n, cases[i].entity, rec, cases[i].field, cases[i].value, now_hlc ());
      g_autofree char *all = g_strdup_printf ("%s,%s", c1, c2);
      g_autoptr(JsonNode) reply = NULL;
      const char *code = NULL;
      guint status = 0;

      reply = push (ts, token, all, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (result_status (reply, 0, NULL), ==, "accepted");
      g_assert_cmpstr (result_status (reply, 1, &code), ==, "rejected");
      g_test_message ("%s.%s = %s: %s", cases[i].entity, cases[i].field, cases[i].value, code);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
  /* Only the org_unit changes are stored. */
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, G_N_ELEMENTS (cases));
}

static void
test_oversized (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  gsize len = 9 * 1024 * 1024;
  g_autofree char *big = g_malloc (len);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  memset (big, ' ', len);
  big[0] = '{';
  big[len - 1] = '}';
  reply = http_request (ts, "POST", "/api/v1/sync", token, big, len, FALSE, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (error_code (reply), ==, "too_large");

  /* The same, compressed to a few kilobytes: the inflated size counts. */
  g_clear_pointer (&reply, json_node_unref);
  reply = http_request (ts, "POST", "/api/v1/sync", token, big, len, TRUE, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);

  /* A body declared too large is refused on its headers, before a client
   * that asks first sends it (nothing of it is written here). */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) conn = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *head = g_strdup_printf ("POST /api/v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Content-Type: application/json\r\n"
                                             "Expect: 100-continue\r\n"
                                             "Content-Length: 400000000\r\n\r\n");
    char answer[4096] = { 0 };
    gssize got;

    g_socket_client_set_timeout (client, 10);
    conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) ts->port, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                              head, strlen (head), NULL, NULL, &error));
    /* The whole answer: the server closes the connection after it. */
    for (gsize at = 0; at < sizeof answer - 1; at += (gsize) got)
      {
        got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                                   answer + at, sizeof answer - 1 - at, NULL, &error);
        g_assert_no_error (error);
        if (got == 0)
          break;
      }
    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413"));
    g_assert_nonnull (strstr (answer, "too_large"));
  }
}

/* The most changes one push may hold are taken, and every answer says
 * how many that is; one more and the push is refused whole. */
static void
test_batch_max (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *results;
  gint64 max_push = 0;
  guint status = 0;

  for (int i = 1; i <= JG_SERVER_MAX_BATCH; i++)
    {
      g_autofree char *c = i == 1 ? change_json (REPLICA, i, "household", rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ())
                                  : change_json (REPLICA, i, "household", rec, "address", "\"x\"", now_hlc ());

      if (i > 1)
        g_string_append_c (changes, ',');
      g_string_append (changes, c);
    }
  reply = push (ts, token, changes->str, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (jg_json_get_int (json_node_get_object (reply), "max_push", &max_push));
  g_assert_cmpint (max_push, ==, JG_SERVER_MAX_BATCH);
  g_assert_cmpint (max_push, >=, 1000);   /* what every server of protocol 1 takes */
  results = json_object_get_array_member (json_node_get_object (reply), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, JG_SERVER_MAX_BATCH);
  for (guint i = 0; i < JG_SERVER_MAX_BATCH; i++)
    g_assert_cmpstr (result_status (reply, i, NULL), ==, "accepted");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, JG_SERVER_MAX_BATCH);
}

static void
test_batch_too_large (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  for (int i = 1; i <= JG_SERVER_MAX_BATCH + 1; i++)
    {
      g_autofree char *c = change_json (REPLICA, i, "household", rec, "address", "\"x\"", now_hlc ());

      if (i > 1)
        g_string_append_c (changes, ',');
      g_string_append (changes, c);
    }
  reply = push (ts, token, changes->str, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);
}

static void
test_gzip_both_ways (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  for (int i = 1; i <= 50; i++)
    {
      g_autofree char *c = change_json (REPLICA, i, "household", rec,
                                        i == 1 ? "org_unit" : "address",
                                        i == 1 ? "\"" VILLAGE_A "\"" : "\"村口第一家\"", now_hlc () + i);

      if (i > 1)
        g_string_append_c (changes, ',');
      g_string_append (changes, c);
    }
  body = g_strdup_printf ("{\"protocol\":1,\"replica\":\"%s\",\"cursor\":0,\"changes\":[%s]}",
                          REPLICA, changes->str);
  /* SoupSession decodes the gzip reply it asked for with Accept-Encoding. */
  reply = http_request (ts, "POST", "/api/v1/sync", token, body, strlen (body), TRUE, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "results")),
                    ==, 50);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 50);
}

static void
test_forged_token (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *c = change_json (REPLICA, 1, "household", "01890000-0000-7000-8000-000000000000",
                                    "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  guint status = 0;

  {
    g_autoptr(JsonNode) reply = push (ts, "forged-token-forged-token", c, &status);

    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (error_code (reply), ==, "unauthorized");
  }
  {
    g_autoptr(JsonNode) reply = push (ts, NULL, c, &status);

    g_assert_cmpuint (status, ==, 401);
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);
}

static void
test_revoked_token (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  g_autofree char *c2 = change_json (REPLICA, 2, "household", rec, "address", "\"x\"", now_hlc ());
  const char *revoke[] = { "token-revoke", "--db", ts->db, "--username", "va", NULL };
  guint status = 0;

  {
    g_autoptr(JsonNode) reply = push (ts, token, c1, &status);

    g_assert_cmpuint (status, ==, 200);
  }
  g_assert_cmpint (run_server_command (revoke, NULL), ==, 0);
  {
    g_autoptr(JsonNode) reply = push (ts, token, c2, &status);

    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (error_code (reply), ==, "unauthorized");
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 1);
}

/* A token issued without a replica is the replica's it first syncs as; it
 * cannot speak for another user's laptop (which would turn that laptop's
 * own changes into "duplicates", or force it to fork). */
static void
test_login_without_replica (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *va = test_login (ts, "va");   /* REPLICA is va's laptop */
  g_autofree char *vb = NULL;
  guint status = 0;

  {
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/login", NULL,
                                                "{\"username\":\"vb\",\"password\":\"" TEST_PASSWORD "\"}", &status);

    g_assert_cmpuint (status, ==, 200);
    vb = g_strdup (jg_json_get_string (json_node_get_object (reply), "token"));
  }
  {
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/sync", vb,
                                                "{\"protocol\":1,\"replica\":\"" REPLICA "\",\"cursor\":0,"
                                                "\"limit\":0,\"changes\":[]}", &status);

    g_assert_cmpuint (status, ==, 403);
    g_assert_cmpstr (error_code (reply), ==, "permission_denied");
  }
  {
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/sync", vb,
                                                "{\"protocol\":1,\"replica\":\"feedfeedfeedfeedfeedfeedfeedfeed\","
                                                "\"cursor\":0,\"limit\":0,\"changes\":[]}", &status);

    g_assert_cmpuint (status, ==, 200);
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM device_token WHERE username = 'vb'"
                                     " AND replica = 'feedfeedfeedfeedfeedfeedfeedfeed'"), ==, 1);
  {
    /* Bound now: another replica is refused as for any token. */
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/sync", vb,
                                                "{\"protocol\":1,\"replica\":\"beefbeefbeefbeefbeefbeefbeefbeef\","
                                                "\"cursor\":0,\"limit\":0,\"changes\":[]}", &status);

    g_assert_cmpuint (status, ==, 403);
    g_assert_cmpstr (error_code (reply), ==, "permission_denied");
  }
  {
    g_autoptr(JsonNode) reply = http_post_json (ts, "/api/v1/sync", va,
                                                "{\"protocol\":1,\"replica\":\"" REPLICA "\",\"cursor\":0,"
                                                "\"limit\":0,\"changes\":[]}", &status);

    g_assert_cmpuint (status, ==, 200);
  }
}

static void
test_clock_skew_push (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  gint64 ahead = jg_hlc_pack (g_get_real_time () / 1000 + (gint64) 365 * 24 * 3600 * 1000, 0);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"", ahead);
  g_autoptr(JsonNode) reply = NULL;
  const char *code = NULL;
  guint status = 0;

  reply = push (ts, token, c1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (result_status (reply, 0, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "clock_skew");
  g_assert_true (json_object_has_member (json_node_get_object (reply), "server_time_ms"));
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 0);
}

static void
test_duplicate_push (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  guint status = 0;

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(JsonNode) reply = push (ts, token, c1, &status);

      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (result_status (reply, 0, NULL), ==, round == 0 ? "accepted" : "duplicate");
    }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 1);

  /* The same change stamped again (a clock correction after an answer
   * was lost) is still the one the server holds. */
  {
    g_autofree char *again = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"",
                                          now_hlc () + 1000);
    g_autoptr(JsonNode) reply = push (ts, token, again, &status);

    g_assert_cmpstr (result_status (reply, 0, NULL), ==, "duplicate");
  }

  /* Another change under the same id (a device restored from a backup, or
   * one claiming another's ids) is refused, not taken for the first. */
  {
    g_autofree char *other = jg_uuid7_new (g_get_real_time () / 1000);
    g_autofree char *c2 = change_json (REPLICA, 1, "household", other, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
    g_autoptr(JsonNode) reply = push (ts, token, c2, &status);
    const char *code = NULL;

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (result_status (reply, 0, &code), ==, "rejected");
    g_assert_cmpstr (code, ==, "conflict");
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 1);
}

/* One push holding a change twice, and counters out of order: the server
 * looks up only counters the log may hold, and must still find the second
 * copy, which the first put there moments before. */
static void
test_duplicate_in_one_push (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  gint64 hlc = now_hlc ();
  g_autofree char *c5 = change_json (REPLICA, 5, "household", rec, "org_unit", "\"" VILLAGE_A "\"", hlc);
  g_autofree char *c3 = change_json (REPLICA, 3, "household", rec, "head_name", "\"王芳\"", hlc + 1);
  g_autofree char *c7 = change_json (REPLICA, 7, "household", rec, "address", "\"村口\"", hlc + 2);
  g_autofree char *changes = g_strjoin (",", c5, c3, c5, c7, c3, NULL);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *results;
  guint status = 0;

  reply = push (ts, token, changes, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (result_status (reply, 0, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 1, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 2, NULL), ==, "duplicate");
  g_assert_cmpstr (result_status (reply, 3, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 4, NULL), ==, "duplicate");
  results = json_object_get_array_member (json_node_get_object (reply), "results");
  /* A duplicate names the server_seq its first copy got. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 2), "server_seq"), ==,
                   json_object_get_int_member (json_array_get_object_element (results, 0), "server_seq"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 4), "server_seq"), ==,
                   json_object_get_int_member (json_array_get_object_element (results, 1), "server_seq"));
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 3);

  /* Sent again: every one a duplicate, below the highest counter stored. */
  g_clear_pointer (&reply, json_node_unref);
  reply = push (ts, token, changes, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (result_status (reply, i, NULL), ==, "duplicate");
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 3);
}

static void
test_scope_and_role (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *rec2 = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_B "\"", now_hlc ());
  g_autofree char *c2 = change_json (REPLICA, 2, "household", rec2, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  g_autofree char *c3 = change_json (REPLICA, 3, "household", rec2, "review_state", "\"approved\"", now_hlc () + 1);
  g_autofree char *c4 = change_json (REPLICA, 4, "household", rec2, "org_unit", "\"" VILLAGE_B "\"", now_hlc () + 2);
  g_autofree char *all = g_strdup_printf ("%s,%s,%s,%s", c1, c2, c3, c4);
  g_autoptr(JsonNode) reply = NULL;
  const char *code = NULL;
  guint status = 0;

  reply = push (ts, token, all, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (result_status (reply, 0, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "out_of_scope");
  g_assert_cmpstr (result_status (reply, 1, NULL), ==, "accepted");
  g_assert_cmpstr (result_status (reply, 2, &code), ==, "rejected");
  g_assert_true (g_strcmp0 (code, "permission_denied") == 0 || g_strcmp0 (code, "transition_not_allowed") == 0);
  /* Moving a record out of one's area is refused. */
  g_assert_cmpstr (result_status (reply, 3, &code), ==, "rejected");
  g_assert_cmpstr (code, ==, "out_of_scope");
}

/* The award rules on the server (DOMAIN.md: family award; review
 * workflow): a village puts nothing on public notice and grants nothing;
 * a reviewer's notice is not back-dated, not shorter than three working
 * days, not for a household without consent, and the award waits for its
 * end; a higher level needs the award below. */
static void
test_award_rules (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *va = test_login (ts, "va");
  g_autofree char *town = NULL;
  g_autofree char *h = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *h2 = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *a = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *b = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *up = jg_uuid7_new (g_get_real_time () / 1000);
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (china);
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -10);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 14);
  g_autofree char *today = g_date_time_format (now, "\"%Y-%m-%d\"");
  g_autofree char *back = g_date_time_format (past, "\"%Y-%m-%d\"");
  g_autofree char *end = g_date_time_format (later, "\"%Y-%m-%d\"");
  gint64 t = now_hlc ();
  gint64 n = 0;
  struct { const char *record, *field, *value, *status, *code; } village[] = {
    { h, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { h, "head_name", "\"刘桂英\"", "accepted", NULL },
    { h, "publicity_consent", "true", "accepted", NULL },
    { h2, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { h2, "head_name", "\"陈美华\"", "accepted", NULL },
    { a, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { a, "household", NULL, "accepted", NULL },
    { a, "award_type", "\"most_beautiful_family\"", "accepted", NULL },
    { a, "level", "\"village\"", "accepted", NULL },
    { a, "year", "2026", "accepted", NULL },
    { a, "state", "\"nominated\"", "accepted", NULL },
    { a, "state", "\"under_review\"", "accepted", NULL },
    { a, "state", "\"public_notice\"", "rejected", "permission_denied" },
    { a, "notice_start", today, "rejected", "permission_denied" },
    { b, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { b, "household", NULL, "accepted", NULL },
    { b, "award_type", "\"civilized_family\"", "accepted", NULL },
    { b, "level", "\"village\"", "accepted", NULL },
    { b, "year", "2026", "accepted", NULL },
    { b, "state", "\"nominated\"", "accepted", NULL },
    { b, "state", "\"under_review\"", "accepted", NULL },
    /* A township nomination with no village award below: none of it. */
    { up, "org_unit", "\"" VILLAGE_A "\"", "rejected", "invalid" },
    { up, "household", NULL, "rejected", "invalid" },
    { up, "award_type", "\"most_beautiful_family\"", "rejected", "invalid" },
    { up, "level", "\"township\"", "rejected", "invalid" },
  };
  /* w: the write a change belongs to (its changes share a stamp). */
  struct { guint w; const char *record, *field, *value, *status, *code; } reviewer[] = {
    /* Back-dated, then too short, then a real notice. */
    { 0, a, "state", "\"public_notice\"", "rejected", "out_of_range" },
    { 0, a, "notice_start", back, "rejected", "transition_not_allowed" },
    { 0, a, "notice_end", end, "rejected", "transition_not_allowed" },
    { 1, a, "state", "\"public_notice\"", "rejected", "out_of_range" },
    { 1, a, "notice_start", today, "rejected", "transition_not_allowed" },
    { 1, a, "notice_end", today, "rejected", "transition_not_allowed" },
    { 2, a, "state", "\"public_notice\"", "accepted", NULL },
    { 2, a, "notice_start", today, "accepted", NULL },
    { 2, a, "notice_end", end, "accepted", NULL },
    /* On notice: not moved into the past, not cut short, not granted yet. */
    { 3, a, "notice_start", back, "rejected", "out_of_range" },
    { 4, a, "notice_end", today, "rejected", "out_of_range" },
    { 5, a, "state", "\"awarded\"", "rejected", "transition_not_allowed" },
    { 5, a, "certificate_no", "\"LH-1\"", "accepted", NULL },
    /* No consent on file for b's household. */
    { 6, b, "state", "\"public_notice\"", "rejected", "consent_required" },
    { 6, b, "notice_start", today, "rejected", "transition_not_allowed" },
    { 6, b, "notice_end", end, "rejected", "transition_not_allowed" },
  };
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (village); i++)
    {
      const char *value = village[i].value ? village[i].value : (village[i].record == b ? h2 : h);
      g_autofree char *quoted = village[i].value ? NULL : g_strdup_printf ("\"%s\"", value);
      /* A record's creation is one write; each later step another. */
      gboolean step = strcmp (village[i].field, "notice_start") == 0 ||
                      (strcmp (village[i].field, "state") == 0 && strcmp (village[i].value, "\"nominated\"") != 0);
      gint64 hlc = t + (step ? 10 + (gint64) i : 0);
      g_autofree char *c = change_json (REPLICA, ++n, "award", village[i].record, village[i].field,
                                        quoted ? quoted : value, hlc);

      if (village[i].record == h || village[i].record == h2)
        {
          g_free (c);
          c = change_json (REPLICA, n, "household", village[i].record, village[i].field, value, hlc);
        }
      g_string_append_printf (all, "%s%s", i ? "," : "", c);
    }
  reply = push (ts, va, all->str, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (village); i++)
    {
      const char *code = NULL;

      g_test_message ("village change %u: %s", i, village[i].field);
      g_assert_cmpstr (result_status (reply, i, &code), ==, village[i].status);
      g_assert_cmpstr (code, ==, village[i].code);
    }
  g_clear_pointer (&reply, json_node_unref);

  town = test_login (ts, "town");
  g_string_truncate (all, 0);
  for (guint i = 0; i < G_N_ELEMENTS (reviewer); i++)
    {
      g_autofree char *c = change_json (REPLICA, ++n, "award", reviewer[i].record, reviewer[i].field,
                                        reviewer[i].value, t + 100 + (gint64) reviewer[i].w);

      g_string_append_printf (all, "%s%s", i ? "," : "", c);
    }
  reply = push (ts, town, all->str, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (reviewer); i++)
    {
      const char *code = NULL;

      g_test_message ("reviewer change %u: %s", i, reviewer[i].field);
      g_assert_cmpstr (result_status (reply, i, &code), ==, reviewer[i].status);
      g_assert_cmpstr (code, ==, reviewer[i].code);
    }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM award WHERE state = 'public_notice'"), ==, 1);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM award"), ==, 2);
}

/* A new record's created_by is whoever pushes it, or another user who
 * signed in on the same device (a shared laptop), or a local-only store's
 * user; never anybody else. */
/* A ledger entry names a volunteer (and a reversed entry) of its own unit:
 * a village user may not spend or add hours of another village's
 * volunteer by recording the entry in her own village, and a township
 * worker, whose area holds both, may not mix them either.  None of a
 * refused entry's fields is taken. */
static void
test_ledger_references (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *va = test_login (ts, "va");
  g_autofree char *town = test_login (ts, "town");
  g_autofree char *vol_b = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *vol_a = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *mine = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *spend = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *add = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *mixed = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *q_b = g_strdup_printf ("\"%s\"", vol_b);
  g_autofree char *q_a = g_strdup_printf ("\"%s\"", vol_a);
  gint64 t = now_hlc ();
  gint64 n = 0;
  struct { const char *token, *entity, *record, *field, *value, *status, *code; } changes[] = {
    { town, "volunteer", vol_b, "org_unit", "\"" VILLAGE_B "\"", "accepted", NULL },
    { town, "volunteer", vol_b, "name", "\"陈静\"", "accepted", NULL },
    { va, "volunteer", vol_a, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { va, "volunteer", vol_a, "name", "\"李梅\"", "accepted", NULL },
    /* Her own volunteer: taken. */
    { va, "service_entry", mine, "org_unit", "\"" VILLAGE_A "\"", "accepted", NULL },
    { va, "service_entry", mine, "volunteer", q_a, "accepted", NULL },
    { va, "service_entry", mine, "minutes", "60", "accepted", NULL },
    /* Another village's volunteer, recorded in her own village. */
    { va, "redemption", spend, "org_unit", "\"" VILLAGE_A "\"", "rejected", "other_unit" },
    { va, "redemption", spend, "volunteer", q_b, "rejected", "other_unit" },
    { va, "redemption", spend, "minutes", "250", "rejected", "other_unit" },
    { va, "service_entry", add, "org_unit", "\"" VILLAGE_A "\"", "rejected", "other_unit" },
    { va, "service_entry", add, "volunteer", q_b, "rejected", "other_unit" },
    { va, "service_entry", add, "minutes", "600", "rejected", "other_unit" },
    /* Both villages are the township's, but not the same one. */
    { town, "service_entry", mixed, "org_unit", "\"" VILLAGE_A "\"", "rejected", "other_unit" },
    { town, "service_entry", mixed, "volunteer", q_b, "rejected", "other_unit" },
    { town, "service_entry", mixed, "minutes", "30", "rejected", "other_unit" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autofree char *c = change_json (REPLICA, ++n, changes[i].entity, changes[i].record,
                                        changes[i].field, changes[i].value, t);
      g_autoptr(JsonNode) reply = NULL;
      const char *code = NULL;
      guint status = 0;

      /* A record's changes are one write, pushed together. */
      if (i + 1 < G_N_ELEMENTS (changes) && changes[i + 1].record == changes[i].record &&
          changes[i + 1].token == changes[i].token)
        {
          g_autoptr(GString) write = g_string_new (c);
          guint first = i;

          while (i + 1 < G_N_ELEMENTS (changes) && changes[i + 1].record == changes[first].record)
            {
              g_autofree char *more = NULL;

              i++;
              more = change_json (REPLICA, ++n, changes[i].entity, changes[i].record,
                                  changes[i].field, changes[i].value, t);
              g_string_append_printf (write, ",%s", more);
            }
          reply = push (ts, changes[first].token, write->str, &status);
          g_assert_cmpuint (status, ==, 200);
          for (guint k = first; k <= i; k++)
            {
              g_test_message ("change %u: %s.%s", k, changes[k].entity, changes[k].field);
              g_assert_cmpstr (result_status (reply, k - first, &code), ==, changes[k].status);
              g_assert_cmpstr (code, ==, changes[k].code);
            }
          continue;
        }
      reply = push (ts, changes[i].token, c, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (result_status (reply, 0, &code), ==, changes[i].status);
    }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM redemption"), ==, 0);
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM service_entry"), ==, 1);
}

/* Two reviewers decide the same redemption: the second decision is
 * refused whole, its reason with its status, whatever order the write's
 * changes come in (the reason was taken before, on an accepted
 * redemption). */
static void
test_redemption_decided_once (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *va = test_login (ts, "va");
  g_autofree char *town = test_login (ts, "town");
  g_autofree char *county = test_login (ts, "county");
  g_autofree char *vol = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *entry = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *red = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *q_vol = g_strdup_printf ("\"%s\"", vol);
  gint64 t = now_hlc () - (G_GINT64_CONSTANT (60000) << 16);   /* a minute ago */
  gint64 n = 0;
  struct { const char *token, *entity, *record, *field, *value; gint64 dt; const char *status; } changes[] = {
    { va, "volunteer", vol, "org_unit", "\"" VILLAGE_A "\"", 0, "accepted" },
    { va, "volunteer", vol, "name", "\"王五\"", 0, "accepted" },
    { va, "service_entry", entry, "org_unit", "\"" VILLAGE_A "\"", 1, "accepted" },
    { va, "service_entry", entry, "volunteer", q_vol, 1, "accepted" },
    { va, "service_entry", entry, "minutes", "120", 1, "accepted" },
    { va, "service_entry", entry, "review_state", "\"submitted\"", 1, "accepted" },
    { town, "service_entry", entry, "review_state", "\"approved\"", 2, "accepted" },
    { va, "redemption", red, "org_unit", "\"" VILLAGE_A "\"", 3, "accepted" },
    { va, "redemption", red, "volunteer", q_vol, 3, "accepted" },
    { va, "redemption", red, "minutes", "100", 3, "accepted" },
    { va, "redemption", red, "status", "\"pending\"", 3, "accepted" },
    { town, "redemption", red, "status", "\"accepted\"", 4, "accepted" },
    /* The county's rejection, the reason first. */
    { county, "redemption", red, "status_reason", "\"不符合\"", 5, "rejected" },
    { county, "redemption", red, "status", "\"rejected\"", 5, "rejected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(GString) write = g_string_new (NULL);
      g_autoptr(JsonNode) reply = NULL;
      guint first = i;
      guint status = 0;

      /* One write (one record, one stamp) a push. */
      for (;;)
        {
          g_autofree char *c = change_json (REPLICA, ++n, changes[i].entity, changes[i].record,
                                            changes[i].field, changes[i].value, t + changes[i].dt * 65536);

          g_string_append_printf (write, "%s%s", i > first ? "," : "", c);
          if (i + 1 >= G_N_ELEMENTS (changes) || changes[i + 1].record != changes[first].record ||
              changes[i + 1].dt != changes[first].dt)
            break;
          i++;
        }
      reply = push (ts, changes[first].token, write->str, &status);
      g_assert_cmpuint (status, ==, 200);
      for (guint k = first; k <= i; k++)
        {
          const char *code = NULL;

          g_test_message ("change %u: %s.%s", k, changes[k].entity, changes[k].field);
          g_assert_cmpstr (result_status (reply, k - first, &code), ==, changes[k].status);
          if (strcmp (changes[k].status, "rejected") == 0)
            g_assert_cmpstr (code, ==, "transition_not_allowed");
        }
    }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM redemption WHERE status = 'accepted'"
                                     " AND status_reason IS NULL"), ==, 1);
}

static void
test_created_by (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *va = test_login (ts, "va");
  g_autofree char *town = NULL;
  const char *authors[] = { "vb", "county", "va", "town", JG_STORE_LOCAL_USER, "nobody" };
  const char *expected[] = { "rejected", "rejected", "accepted", "accepted", "accepted", "rejected" };
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  /* va signed in on this laptop first; the township's staff pushes now. */
  town = test_login (ts, "town");
  for (guint i = 0; i < G_N_ELEMENTS (authors); i++)
    {
      g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
      g_autofree char *name = g_strdup_printf ("\"%s\"", authors[i]);
      g_autofree char *unit = change_json (REPLICA, 2 * i + 1, "household", rec, "org_unit",
                                           "\"" VILLAGE_A "\"", now_hlc ());
      g_autofree char *by = change_json (REPLICA, 2 * i + 2, "household", rec, "created_by", name, now_hlc ());

      g_string_append_printf (all, "%s%s,%s", i ? "," : "", unit, by);
    }
  reply = push (ts, town, all->str, &status);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (authors); i++)
    {
      const char *code = NULL;

      g_test_message ("created_by %s", authors[i]);
      g_assert_cmpstr (result_status (reply, 2 * i, NULL), ==, "accepted");
      g_assert_cmpstr (result_status (reply, 2 * i + 1, &code), ==, expected[i]);
      if (strcmp (expected[i], "rejected") == 0)
        g_assert_cmpstr (code, ==, "permission_denied");
    }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM household WHERE created_by = 'vb'"), ==, 0);
}

/* user-list --json: the object of @username. */
static JsonObject *
listed_user (TestServer *ts,
             const char *username)
{
  const char *list[] = { "user-list", "--db", ts->db, "--json", NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (run_server_command_output (list, NULL, &out), ==, 0);
  node = jg_json_parse (out, -1, NULL);

  g_assert_nonnull (node);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *u = json_array_get_object_element (json_node_get_array (node), i);

      if (g_strcmp0 (jg_json_get_string (u, "username"), username) == 0)
        return json_object_ref (u);
    }
  g_assert_not_reached ();
}

/* A staff member who leaves: disabled, their devices signed out, their
 * password refused; user-add gives the account back. */
static void
test_user_disable (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *rec = jg_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *c1 = change_json (REPLICA, 1, "household", rec, "org_unit", "\"" VILLAGE_A "\"", now_hlc ());
  g_autofree char *c2 = change_json (REPLICA, 2, "household", rec, "address", "\"x\"", now_hlc ());
  g_autofree char *login = g_strdup_printf ("{\"username\":\"va\",\"password\":\"%s\"}", TEST_PASSWORD);
  const char *disable[] = { "user-disable", "--db", ts->db, "--username", "va", NULL };
  const char *nobody[] = { "user-disable", "--db", ts->db, "--username", "nobody", NULL };
  const char *enable[] = { "user-add", "--db", ts->db, "--username", "va", "--role", "village_staff",
                           "--org", VILLAGE_A, NULL };
  const char *table[] = { "user-list", "--db", ts->db, NULL };
  guint status = 0;

  {
    g_autoptr(JsonNode) reply = push (ts, token, c1, &status);
    g_autoptr(JsonObject) va = listed_user (ts, "va");

    g_assert_cmpuint (status, ==, 200);
    g_assert_false (json_object_get_boolean_member (va, "disabled"));
    g_assert_cmpint (json_object_get_int_member (va, "devices"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (va, "org_unit"), ==, VILLAGE_A);
    g_assert_cmpstr (json_object_get_string_member (va, "role"), ==, "village_staff");
    g_assert_nonnull (jg_json_get_string (va, "unit_name"));
  }

  g_assert_cmpint (run_server_command (disable, NULL), ==, 0);
  g_assert_cmpint (run_server_command (nobody, NULL), !=, 0);
  {
    g_autoptr(JsonNode) reply = push (ts, token, c2, &status);
    g_autoptr(JsonNode) again = NULL;
    g_autoptr(JsonObject) va = listed_user (ts, "va");
    g_autofree char *text = NULL;

    g_assert_cmpint (run_server_command_output (table, NULL, &text), ==, 0);
    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (error_code (reply), ==, "unauthorized");
    again = http_post_json (ts, "/api/v1/login", NULL, login, &status);
    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (error_code (again), ==, "bad_credentials");
    g_assert_true (json_object_get_boolean_member (va, "disabled"));
    g_assert_cmpint (json_object_get_int_member (va, "devices"), ==, 0);
    /* The table names every user, with the state, and roles as people
     * call them (--json keeps the identifiers). */
    g_assert_nonnull (strstr (text, "va "));
    g_assert_nonnull (strstr (text, "vb "));
    g_assert_nonnull (strstr (text, "Village staff"));
    g_assert_nonnull (strstr (text, "County reviewer"));
    g_assert_null (strstr (text, "village_staff"));
  }
  g_assert_cmpint (server_count (ts, "SELECT count(*) FROM change_log"), ==, 1);

  g_assert_cmpint (run_server_command (enable, TEST_PASSWORD), ==, 0);
  {
    g_autofree char *fresh = test_login (ts, "va");
    g_autoptr(JsonNode) reply = push (ts, fresh, c2, &status);

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (result_status (reply, 0, NULL), ==, "accepted");
  }
}

static void
test_backup (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = test_login (ts, "va");
  g_autofree char *copy = g_build_filename (ts->dir, "copy.db", NULL);
  const char *backup[] = { "backup", "--db", ts->db, "--to", copy, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autofree char *kind = NULL;

  /* While the server runs. */
  g_assert_cmpint (run_server_command (backup, NULL), ==, 0);
  store = jg_store_open (copy, JG_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  kind = jg_store_dup_meta (store, "store_kind");
  g_assert_cmpstr (kind, ==, "server");
}

static void
test_admin_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jg-admin-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  const char *no_store[] = { "serve", "--db", db, "--listen", "127.0.0.1:0", NULL };
  const char *init[] = { "init", "--db", db, NULL };
  const char *bad_role[] = { "user-add", "--db", db, "--username", "x", "--role", "queen", "--org", COUNTY, NULL };
  const char *bad_org[] = { "user-add", "--db", db, "--username", "x", "--role", "village_staff", "--org", "999", NULL };
  const char *unknown[] = { "frobnicate", NULL };
  g_autofree char *same = g_build_filename (dir, ".", "s.db", NULL);
  const char *backup_onto_itself[] = { "backup", "--db", db, "--to", same, NULL };
  const char *revoke_nobody[] = { "token-revoke", "--db", db, "--username", "nobody", NULL };

  g_assert_cmpint (run_server_command (no_store, NULL), !=, 0);
  g_assert_cmpint (run_server_command (init, NULL), ==, 0);
  /* A backup over the store it copies is refused. */
  g_assert_cmpint (run_server_command (backup_onto_itself, NULL), ==, 2);
  /* So is signing out a user nobody has. */
  g_assert_cmpint (run_server_command (revoke_nobody, NULL), !=, 0);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run_server_command (bad_role, TEST_PASSWORD), !=, 0);
  g_assert_cmpint (run_server_command (bad_org, TEST_PASSWORD), !=, 0);
  g_assert_cmpint (run_server_command (bad_role, NULL), !=, 0);
  g_assert_cmpint (run_server_command (unknown, NULL), !=, 0);

  /* A role at a unit of another level (a typo in --org, or in --role):
   * refused, and nobody added. */
  {
    const char *village_at_county[] = { "user-add", "--db", db, "--username", "x", "--role", "village_staff",
                                        "--org", COUNTY, NULL };
    const char *reviewer_at_village[] = { "user-add", "--db", db, "--username", "x", "--role", "county_reviewer",
                                          "--org", VILLAGE_A, NULL };
    const char *township_at_village[] = { "user-add", "--db", db, "--username", "x", "--role", "township_staff",
                                          "--org", VILLAGE_A, NULL };
    const char *township[] = { "user-add", "--db", db, "--username", "t", "--role", "township_staff",
                               "--org", TOWNSHIP, NULL };
    const char *list[] = { "user-list", "--db", db, "--json", NULL };
    g_autofree char *users = NULL;

    g_assert_cmpint (run_server_command (village_at_county, TEST_PASSWORD), ==, 1);
    g_assert_cmpint (run_server_command (reviewer_at_village, TEST_PASSWORD), ==, 1);
    g_assert_cmpint (run_server_command (township_at_village, TEST_PASSWORD), ==, 1);
    g_assert_cmpint (run_server_command (township, TEST_PASSWORD), ==, 0);
    g_assert_cmpint (run_server_command_output (list, NULL, &users), ==, 0);
    g_assert_nonnull (strstr (users, "\"t\""));
    g_assert_null (strstr (users, "\"x\""));
  }
  remove_tree (dir);
}

static guint
count_sockets (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (proc));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *fd = g_build_filename (path, name, NULL);
      g_autofree char *target = g_file_read_link (fd, NULL);

      n += target != NULL && g_str_has_prefix (target, "socket:");
    }
  return n;
}

/* A client that went away leaves nothing open on the server: libsoup 3.2
 * kept each such kept-alive connection in CLOSE_WAIT, and a county server
 * with hundreds of laptops would have run out of descriptors. */
static void
test_closed_connections (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  guint before = count_sockets (ts->proc);

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) ts->port,
                                                                       NULL, NULL);
      g_autofree char *request = g_strdup ("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      char buf[4096];
      gssize n;

      g_assert_nonnull (c);
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)),
                                                request, strlen (request), NULL, NULL, NULL));
      n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), buf, sizeof buf - 1, NULL, NULL);
      g_assert_cmpint (n, >, 0);
      buf[n] = '\0';
      g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 200"));
      g_io_stream_close (G_IO_STREAM (c), NULL, NULL);
    }

  /* The server closes its ends as the replies go out. */
  for (int tries = 0; tries < 100 && count_sockets (ts->proc) > before + 2; tries++)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_sockets (ts->proc), <=, before + 2);
}

/* ---- idle connections ---- */

static GSocket *
raw_connect (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", ts->port);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);
  return socket;
}

/* TRUE once the server has closed its end: what it sent is read and
 * dropped until the end of the stream (or a reset). */
static gboolean
server_closed (GSocket *socket,
               gint64   wait_us)
{
  char buf[4096];
  gssize n;

  if (!g_socket_condition_timed_wait (socket, G_IO_IN, wait_us, NULL, NULL))
    return FALSE;
  n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
  return n <= 0 || server_closed (socket, 0);
}

static void
send_text (GSocket    *socket,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send (socket, text, strlen (text), NULL, &error), ==, (gssize) strlen (text));
  g_assert_no_error (error);
}

/* The reply's status line, after the whole reply was read. */
static char *
read_status_line (GSocket *socket)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  char buf[4096];
  gssize n;

  g_socket_set_timeout (socket, 20);
  while ((n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (reply, buf, n);
  return g_strndup (reply->str, strcspn (reply->str, "\r"));
}

#define LOGIN_BODY "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "\"}"
#define LOGIN_HEAD "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n" \
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n"

/* A connection that sends nothing, or its headers a byte at a time, is
 * closed after the idle timeout; one that is slow but busy is not. */
static void
test_idle_connections (void)
{
  g_autoptr(TestServer) ts = test_server_new ();
  g_autofree char *token = NULL;
  gint64 start;

  test_server_stop (ts, FALSE);
  ts->idle_timeout = 1;
  test_server_start (ts);

  /* Silent. */
  {
    g_autoptr(GSocket) socket = raw_connect (ts);

    start = g_get_monotonic_time ();
    g_assert_true (server_closed (socket, 10 * G_USEC_PER_SEC));
    g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  }

  /* Slowloris: a header byte every 200 ms never times out a read, but the
   * headers must be in within the timeout. */
  {
    g_autoptr(GSocket) socket = raw_connect (ts);
    const char *head = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n";
    gboolean closed = FALSE;

    start = g_get_monotonic_time ();
    for (const char *p = head; *p && !closed; p++)
      {
        g_socket_send (socket, p, 1, NULL, NULL);
        closed = server_closed (socket, 200 * 1000);
      }
    g_assert_true (closed);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  }

  /* A body sent slowly, for longer than the timeout, in pieces that come
   * more often: a long push on a slow line. */
  {
    g_autoptr(GSocket) socket = raw_connect (ts);
    g_autofree char *head = g_strdup_printf (LOGIN_HEAD, strlen (LOGIN_BODY));
    g_autofree char *status = NULL;
    const char *body = LOGIN_BODY;
    gsize len = strlen (body), piece = len / 6 + 1;

    send_text (socket, head);
    for (gsize off = 0; off < len; off += piece)
      {
        g_autofree char *part = g_strndup (body + off, piece);

        g_usleep (400 * 1000);
        send_text (socket, part);
      }
    status = read_status_line (socket);
    g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");
  }

  /* A request the worker takes longer than the timeout to answer (the
   * store is busy): nothing waits on the socket meanwhile. */
  {
    g_autoptr(GSocket) socket = raw_connect (ts);
    g_autofree char *request = g_strdup_printf (LOGIN_HEAD "%s", strlen (LOGIN_BODY), LOGIN_BODY);
    g_autofree char *status = NULL;
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (ts->db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
    send_text (socket, request);
    g_usleep (2500 * 1000);
    g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    status = read_status_line (socket);
    g_assert_cmpstr (status, ==, "HTTP/1.1 200 OK");
  }

  /* And the usual requests still work. */
  token = test_login (ts, "va");
  g_assert_nonnull (token);
}

int
main (int    argc,
      char **argv)
{
  sync_test_init_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

  g_test_add_func ("/jg/server/health", test_health);
  g_test_add_func ("/jg/server/closed-connections", test_closed_connections);
  g_test_add_func ("/jg/server/idle-connections", test_idle_connections);
  g_test_add_func ("/jg/server/login/ok", test_login_ok);
  g_test_add_func ("/jg/server/login/without-replica", test_login_without_replica);
  g_test_add_func ("/jg/server/login/wrong-password", test_login_wrong_password);
  g_test_add_func ("/jg/server/login/rate-limit", test_login_rate_limit);
  g_test_add_func ("/jg/server/error/malformed", test_malformed);
  g_test_add_func ("/jg/server/error/wrong-types", test_wrong_types_in_change);
  g_test_add_func ("/jg/server/error/domain-values", test_domain_values);
  g_test_add_func ("/jg/server/error/oversized", test_oversized);
  g_test_add_func ("/jg/server/push/batch-max", test_batch_max);
  g_test_add_func ("/jg/server/error/batch-too-large", test_batch_too_large);
  g_test_add_func ("/jg/server/error/forged-token", test_forged_token);
  g_test_add_func ("/jg/server/error/revoked-token", test_revoked_token);
  g_test_add_func ("/jg/server/gzip", test_gzip_both_ways);
  g_test_add_func ("/jg/server/push/clock-skew", test_clock_skew_push);
  g_test_add_func ("/jg/server/push/duplicate", test_duplicate_push);
  g_test_add_func ("/jg/server/push/duplicate-in-one-push", test_duplicate_in_one_push);
  g_test_add_func ("/jg/server/push/scope-and-role", test_scope_and_role);
  g_test_add_func ("/jg/server/push/award-rules", test_award_rules);
  g_test_add_func ("/jg/server/push/created-by", test_created_by);
  g_test_add_func ("/jg/server/push/ledger-references", test_ledger_references);
  g_test_add_func ("/jg/server/push/redemption-decided-once", test_redemption_decided_once);
  g_test_add_func ("/jg/server/admin/backup", test_backup);
  g_test_add_func ("/jg/server/admin/user-disable", test_user_disable);
  g_test_add_func ("/jg/server/admin/errors", test_admin_errors);

  return g_test_run ();
}
