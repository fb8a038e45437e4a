/* test-hostile.c: a catalogue of hostile requests against a running server
 *
 * One jinguo-server on 127.0.0.1 with a few records in two villages and a
 * township.  Each case of the table is sent over a raw socket (so methods,
 * headers and bytes are exactly what the case says) and must be answered
 * with its HTTP status and error code; then a health request must succeed
 * and a logical dump of the store (every row of every table, as SQL
 * literals) must be what it was before the case.  Failed sign-ins are the
 * one thing a hostile request may record (login_attempt, the rate limiter).
 */

#include "config.h"

#include <inttypes.h>

#include "jg-server-backend.h"
#include "sync-test-util.h"

#define RA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"   /* va's laptop */
#define RB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"   /* vb's laptop */
#define RT "cccccccccccccccccccccccccccccccc"   /* the township's laptop */

#define H_A   "018f2a6c-8f00-7000-8000-00000000000a"  /* household of village A */
#define H_B   "018f2a6c-8f00-7000-8000-00000000000b"  /* household of village B */
#define H_T   "018f2a6c-8f00-7000-8000-00000000000c"  /* household of the township */
#define RD_A  "018f2a6c-8f00-7000-8000-00000000000d"  /* redemption of village A */
#define H_NEW "018f2a6c-8f00-7000-8000-00000000000e"  /* never created */
#define VOL   "018f2a6c-8f00-7000-8000-0000000000f0"

/* June 2024: in the past, so never refused as clock skew. */
#define HLC "112652085288960000"
/* A later write of the same day. */
#define HLC_LATER "112652085288970000"

#define CHG_FULL(replica, n, entity, record, field, value, hlc, base) \
  "{\"replica\":\"" replica "\",\"n\":" n ",\"entity\":\"" entity "\",\"record\":\"" record "\"," \
  "\"field\":\"" field "\",\"value\":" value ",\"hlc\":" hlc ",\"base\":" base ",\"rbase\":0}"
#define CHG(n, entity, record, field, value) CHG_FULL (RA, n, entity, record, field, value, HLC, "0")
#define SYNC_AS(replica, changes) \
  "{\"protocol\":1,\"replica\":\"" replica "\",\"cursor\":0,\"limit\":0,\"changes\":[" changes "]}"
#define SYNC(changes) SYNC_AS (RA, changes)
/* A change with members in place of the usual ones. */
#define CHG_RAW(members) SYNC ("{" members "}")
#define GOOD_MEMBERS \
  "\"entity\":\"household\",\"record\":\"" H_A "\",\"field\":\"address\",\"value\":\"x\""

/* va's first push, sent again by the replay case. */
#define SEED_A SYNC (CHG ("1", "household", H_A, "org_unit", "\"" VILLAGE_A "\"") "," \
                     CHG ("2", "household", H_A, "head_name", "\"王芳\"") "," \
                     CHG ("3", "household", H_A, "review_state", "\"submitted\"") "," \
                     CHG ("4", "redemption", RD_A, "org_unit", "\"" VILLAGE_A "\"") "," \
                     CHG ("5", "redemption", RD_A, "volunteer", "\"" VOL "\"") "," \
                     CHG ("6", "redemption", RD_A, "minutes", "30") "," \
                     CHG ("7", "redemption", RD_A, "item", "\"goods\"") "," \
                     CHG ("8", "redemption", RD_A, "item_name", "\"米\"") "," \
                     CHG ("9", "household", H_A, "member_count", "3") "," \
                     CHG ("10", "redemption", RD_A, "status", "\"pending\"") "," \
                     CHG ("11", "household", H_A, "created_by", "\"va\""))
/* Before it: the volunteer its redemption spends from, in village A, with
 * 60 minutes of service the township approves (SEED_APPROVE).  A ledger
 * entry names a volunteer of its own village that the server holds. */
#define SE_A  "018f2a6c-8f00-7000-8000-0000000000f2"
#define SEED_VOL SYNC (CHG ("101", "volunteer", VOL, "org_unit", "\"" VILLAGE_A "\"") "," \
                       CHG ("102", "volunteer", VOL, "name", "\"李梅\"") "," \
                       CHG ("103", "service_entry", SE_A, "org_unit", "\"" VILLAGE_A "\"") "," \
                       CHG ("104", "service_entry", SE_A, "volunteer", "\"" VOL "\"") "," \
                       CHG ("105", "service_entry", SE_A, "minutes", "60") "," \
                       CHG ("106", "service_entry", SE_A, "service_type", "\"care_visit\"") "," \
                       CHG ("107", "service_entry", SE_A, "served_at", "\"2024-06-01T09:00\"") "," \
                       CHG ("108", "service_entry", SE_A, "review_state", "\"submitted\""))
#define SEED_APPROVE SYNC_AS (RT, CHG_FULL (RT, "101", "service_entry", SE_A, "review_state", "\"approved\"", \
                                            HLC_LATER, HLC))
#define SEED_B SYNC_AS (RB, CHG_FULL (RB, "1", "household", H_B, "org_unit", "\"" VILLAGE_B "\"", HLC, "0") "," \
                            CHG_FULL (RB, "2", "household", H_B, "head_name", "\"李梅\"", HLC, "0"))
#define SEED_T SYNC_AS (RT, CHG_FULL (RT, "1", "household", H_T, "org_unit", "\"" TOWNSHIP "\"", HLC, "0") "," \
                            CHG_FULL (RT, "2", "household", H_T, "head_name", "\"张兰\"", HLC, "0") "," \
                            CHG_FULL (RT, "3", "household", H_T, "review_state", "\"submitted\"", HLC, "0"))

typedef enum
{
  AUTH_VA,       /* the default */
  AUTH_NONE,
  AUTH_VB,
  AUTH_TOWN,
  AUTH_REVOKED,
  AUTH_DISABLED,
  AUTH_FORGED,
  AUTH_RAW,      /* the case's own Authorization header */
} Auth;

typedef enum
{
  BODY_TEXT,
  BODY_EMPTY,
  BODY_DEEP,
  BODY_TOO_LARGE,
  BODY_HUGE_STRING,
  BODY_MANY_MEMBERS,
  BODY_GZIP_BOMB,
  BODY_GZIP_GARBAGE,
  BODY_GZIP_TRUNCATED,
  BODY_BATCH_OVER,
  BODY_HUGE_PASSWORD,
  BODY_PASSWORD_1025,
  BODY_INVALID_UTF8,
  BODY_INVALID_UTF8_VALUE,
  BODY_NUL,
} BodyKind;

typedef struct
{
  const char *name;
  const char *method;        /* NULL: POST */
  const char *path;          /* NULL: /api/v1/sync */
  Auth        auth;
  const char *auth_header;   /* AUTH_RAW: the header's value */
  const char *content_type;  /* NULL: application/json; "": none */
  const char *extra_header;  /* a whole header line, or NULL */
  BodyKind    kind;
  const char *body;
  guint       status;
  /* The error's code; for status 200, what every pushed change got: a
   * rejection code, or "duplicate". */
  const char *code;
} HostileCase;

static const HostileCase cases[] = {
  /* ---- malformed JSON ---- */
  { "json/truncated", .body = "{\"protocol\":1,\"replica\":", .status = 400, .code = "malformed" },
  { "json/trailing-garbage", .body = SYNC ("") "garbage", .status = 400, .code = "malformed" },
  { "json/two-documents", .body = SYNC ("") SYNC (""), .status = 400, .code = "malformed" },
  { "json/nan", .body = "{\"protocol\":NaN,\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "json/infinity", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":Infinity}", .status = 400, .code = "malformed" },
  { "json/huge-number", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":1e400}", .status = 400, .code = "malformed" },
  { "json/block-comment", .body = "{\"protocol\":1 /* hi */,\"replica\":\"" RA "\",\"limit\":0}", .status = 400, .code = "malformed" },
  { "json/line-comment", .body = "{\"protocol\":1,\n// hi\n\"replica\":\"" RA "\",\"limit\":0}", .status = 400, .code = "malformed" },
  { "json/single-quotes", .body = "{'protocol':1,'replica':'" RA "'}", .status = 400, .code = "malformed" },
  { "json/trailing-comma", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":0,}", .status = 400, .code = "malformed" },
  { "json/bare-word", .body = "{\"protocol\":1,\"replica\":" RA "}", .status = 400, .code = "malformed" },
  { "json/not-object", .body = "[" SYNC ("") "]", .status = 400, .code = "malformed" },
  { "json/scalar", .body = "42", .status = 400, .code = "malformed" },
  { "json/null", .body = "null", .status = 400, .code = "malformed" },
  { "json/empty-body", .kind = BODY_EMPTY, .status = 400, .code = "malformed" },
  { "json/whitespace-only", .body = " \n\t ", .status = 400, .code = "malformed" },
  { "json/nul-byte", .kind = BODY_NUL, .status = 400, .code = "malformed" },
  { "json/deep-nesting", .kind = BODY_DEEP, .status = 400, .code = "malformed" },
  { "json/too-large", .kind = BODY_TOO_LARGE, .status = 413, .code = "too_large" },
  { "json/huge-string", .kind = BODY_HUGE_STRING, .status = 200, .code = "too_long" },
  { "json/many-members", .kind = BODY_MANY_MEMBERS, .status = 400, .code = "malformed" },
  { "json/invalid-utf8-body", .kind = BODY_INVALID_UTF8, .status = 400, .code = "malformed" },
  { "json/invalid-utf8-value", .kind = BODY_INVALID_UTF8_VALUE, .status = 400, .code = "malformed" },
  { "json/lone-surrogate", .body = SYNC (CHG ("50", "household", H_A, "address", "\"\\ud800\"")),
    .status = 400, .code = "malformed" },

  /* ---- gzip ---- */
  { "gzip/bomb", .kind = BODY_GZIP_BOMB, .status = 413, .code = "too_large" },
  { "gzip/garbage", .kind = BODY_GZIP_GARBAGE, .status = 400, .code = "malformed" },
  { "gzip/truncated", .kind = BODY_GZIP_TRUNCATED, .status = 400, .code = "malformed" },
  { "gzip/unknown-encoding", .extra_header = "Content-Encoding: br", .body = SYNC (""), .status = 400, .code = "malformed" },

  /* ---- the sync request's members ---- */
  { "sync/protocol-string", .body = "{\"protocol\":\"1\",\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "sync/protocol-double", .body = "{\"protocol\":1.0,\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "sync/protocol-bool", .body = "{\"protocol\":true,\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "sync/protocol-missing", .body = "{\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "sync/protocol-zero", .body = "{\"protocol\":0,\"replica\":\"" RA "\"}", .status = 426, .code = "client_too_old" },
  { "sync/protocol-negative", .body = "{\"protocol\":-1,\"replica\":\"" RA "\"}", .status = 426, .code = "client_too_old" },
  { "sync/protocol-min", .body = "{\"protocol\":-9223372036854775808,\"replica\":\"" RA "\"}", .status = 426, .code = "client_too_old" },
  { "sync/protocol-newer", .body = "{\"protocol\":2,\"replica\":\"" RA "\"}", .status = 400, .code = "protocol_version" },
  { "sync/protocol-overflow", .body = "{\"protocol\":99999999999999999999,\"replica\":\"" RA "\"}", .status = 400, .code = "malformed" },
  { "sync/replica-number", .body = "{\"protocol\":1,\"replica\":12}", .status = 400, .code = "malformed" },
  { "sync/replica-null", .body = "{\"protocol\":1,\"replica\":null}", .status = 400, .code = "malformed" },
  { "sync/replica-short", .body = "{\"protocol\":1,\"replica\":\"abc\"}", .status = 400, .code = "malformed" },
  { "sync/replica-upper", .body = "{\"protocol\":1,\"replica\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", .status = 400, .code = "malformed" },
  { "sync/replica-sql", .body = "{\"protocol\":1,\"replica\":\"' OR 1=1; --aaaaaaaaaaaaaaaaaaaaa\"}", .status = 400, .code = "malformed" },
  { "sync/cursor-string", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":\"0\"}", .status = 400, .code = "malformed" },
  { "sync/cursor-double", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":1.5}", .status = 400, .code = "malformed" },
  { "sync/cursor-negative", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":-1}", .status = 400, .code = "malformed" },
  { "sync/cursor-min", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":-9223372036854775808}", .status = 400, .code = "malformed" },
  { "sync/cursor-overflow", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"cursor\":9223372036854775808}", .status = 400, .code = "malformed" },
  { "sync/limit-negative", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":-1}", .status = 400, .code = "malformed" },
  { "sync/limit-too-big", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":1001}", .status = 400, .code = "malformed" },
  { "sync/limit-max", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":9223372036854775807}", .status = 400, .code = "malformed" },
  { "sync/limit-null", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":null}", .status = 400, .code = "malformed" },
  { "sync/changes-object", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"changes\":{}}", .status = 400, .code = "malformed" },
  { "sync/changes-string", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"changes\":\"[]\"}", .status = 400, .code = "malformed" },
  { "sync/changes-null", .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"changes\":null}", .status = 400, .code = "malformed" },
  { "sync/batch-over-max", .kind = BODY_BATCH_OVER, .status = 413, .code = "too_large" },
  { "sync/other-replica", .body = SYNC_AS (RB, ""), .status = 403, .code = "permission_denied" },
  { "sync/other-replica-bad-snapshot", .body = "{\"protocol\":1,\"replica\":\"" RB "\",\"snapshot\":5}",
    .status = 403, .code = "permission_denied" },

  /* ---- a change's members (judged one by one: 200, rejected) ---- */
  { "change/not-object", .body = SYNC ("5"), .status = 200, .code = "malformed" },
  { "change/array", .body = SYNC ("[]"), .status = 200, .code = "malformed" },
  { "change/replica-number", .body = CHG_RAW ("\"replica\":1,\"n\":50," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/n-string", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":\"50\"," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/n-double", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50.5," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/n-zero", .body = SYNC (CHG ("0", "household", H_A, "address", "\"x\"")), .status = 200, .code = "malformed" },
  { "change/n-negative", .body = SYNC (CHG ("-5", "household", H_A, "address", "\"x\"")), .status = 200, .code = "malformed" },
  { "change/value-overflow", .body = SYNC (CHG ("50", "household", H_A, "member_count", "99999999999999999999")), .status = 200, .code = "malformed" },
  { "change/value-huge-double", .body = SYNC (CHG ("50", "household", H_A, "member_count", "1e400")), .status = 200, .code = "malformed" },
  { "change/n-overflow", .body = SYNC (CHG ("18446744073709551616", "household", H_A, "address", "\"x\"")), .status = 200, .code = "malformed" },
  { "change/entity-number", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50,\"entity\":7,\"record\":\"" H_A "\",\"field\":\"address\",\"value\":\"x\",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/entity-unknown", .body = SYNC (CHG ("50", "spaceship", H_A, "address", "\"x\"")), .status = 200, .code = "unknown_entity" },
  { "change/entity-sql", .body = SYNC (CHG ("50", "household; DROP TABLE household", H_A, "address", "\"x\"")), .status = 200, .code = "unknown_entity" },
  { "change/record-bad", .body = SYNC (CHG ("50", "household", "not-a-uuid", "address", "\"x\"")), .status = 200, .code = "malformed" },
  { "change/record-sql", .body = SYNC (CHG ("50", "household", "x' OR '1'='1'; DROP TABLE user; --x", "address", "\"x\"")), .status = 200, .code = "malformed" },
  { "change/field-array", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50,\"entity\":\"household\",\"record\":\"" H_A "\",\"field\":[],\"value\":\"x\",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/field-unknown", .body = SYNC (CHG ("50", "household", H_A, "salary", "\"x\"")), .status = 200, .code = "unknown_field" },
  { "change/field-sql", .body = SYNC (CHG ("50", "household", H_A, "address\\\" = 1; --", "\"x\"")), .status = 200, .code = "unknown_field" },
  { "change/value-missing", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50,\"entity\":\"household\",\"record\":\"" H_A "\",\"field\":\"address\",\"hlc\":" HLC ",\"base\":0,\"rbase\":0"), .status = 200, .code = "malformed" },
  { "change/value-int-for-text", .body = SYNC (CHG ("50", "household", H_A, "address", "5")), .status = 200, .code = "wrong_type" },
  { "change/value-text-for-int", .body = SYNC (CHG ("50", "household", H_A, "member_count", "\"many\"")), .status = 200, .code = "wrong_type" },
  { "change/value-object-for-bool", .body = SYNC (CHG ("50", "household", H_A, "publicity_consent", "{}")), .status = 200, .code = "wrong_type" },
  { "change/value-enum-sql", .body = SYNC (CHG ("50", "household", H_A, "review_state", "\"approved' --\"")), .status = 200, .code = "not_allowed_value" },
  { "change/value-unit-sql", .body = SYNC (CHG ("50", "household", H_A, "org_unit", "\"331082004240' OR '1'='1\"")), .status = 200, .code = "wrong_type" },
  { "change/hlc-string", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", "\"1\"", "0")), .status = 200, .code = "malformed" },
  { "change/hlc-negative", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", "-1", "0")), .status = 200, .code = "malformed" },
  { "change/hlc-overflow", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", "9223372036854775808", "0")), .status = 200, .code = "malformed" },
  { "change/hlc-far-future", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", "9223372036854775807", "0")), .status = 200, .code = "clock_skew" },
  { "change/base-negative", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", HLC, "-1")), .status = 200, .code = "malformed" },
  { "change/base-after-hlc", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", HLC, HLC)), .status = 200, .code = "malformed" },
  { "change/base-string", .body = SYNC (CHG_FULL (RA, "50", "household", H_A, "address", "\"x\"", HLC, "\"0\"")), .status = 200, .code = "malformed" },
  { "change/rbase-null", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":null"), .status = 200, .code = "malformed" },
  { "change/author-number", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":0,\"author\":5"), .status = 200, .code = "malformed" },
  { "change/seq-string", .body = CHG_RAW ("\"replica\":\"" RA "\",\"n\":50," GOOD_MEMBERS ",\"hlc\":" HLC ",\"base\":0,\"rbase\":0,\"seq\":\"1\""), .status = 200, .code = "malformed" },

  /* ---- tokens ---- */
  { "token/missing", .auth = AUTH_NONE, .body = SYNC (""), .status = 401, .code = "unauthorized" },
  /* A stranger hears nothing about the request but 401. */
  { "token/missing-bad-members", .auth = AUTH_NONE, .body = "{\"protocol\":99,\"changes\":7}", .status = 401, .code = "unauthorized" },
  { "token/missing-not-object", .auth = AUTH_NONE, .body = "[1]", .status = 401, .code = "unauthorized" },
  { "token/forged-bad-snapshot", .auth = AUTH_FORGED, .body = "{\"protocol\":1,\"replica\":\"" RA "\",\"snapshot\":5}",
    .status = 401, .code = "unauthorized" },
  { "token/forged", .auth = AUTH_FORGED, .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/revoked", .auth = AUTH_REVOKED, .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/user-disabled", .auth = AUTH_DISABLED, .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/empty-bearer", .auth = AUTH_RAW, .auth_header = "Bearer ", .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/basic-scheme", .auth = AUTH_RAW, .auth_header = "Basic dmE6c2VjcmV0MTIz", .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/too-long", .auth = AUTH_RAW, .auth_header = "Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/sql", .auth = AUTH_RAW, .auth_header = "Bearer ' OR '1'='1", .body = SYNC (""), .status = 401, .code = "unauthorized" },
  { "token/invalid-utf8-header", .auth = AUTH_RAW, .auth_header = "Bearer \xff\xfe\xc3\x28", .body = SYNC (""), .status = 401, .code = "unauthorized" },

  /* ---- HTTP ---- */
  { "http/content-type-missing", .content_type = "", .body = SYNC (""), .status = 415, .code = "unsupported_media_type" },
  { "http/content-type-text", .content_type = "text/plain", .body = SYNC (""), .status = 415, .code = "unsupported_media_type" },
  { "http/content-type-form", .path = "/api/v1/login", .content_type = "application/x-www-form-urlencoded",
    .body = "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "\"}", .status = 415, .code = "unsupported_media_type" },
  { "http/content-type-prefix", .content_type = "application/jsonp", .body = SYNC (""), .status = 415, .code = "unsupported_media_type" },
  { "http/content-type-invalid-utf8", .content_type = "application/\xff\xfe", .body = SYNC (""), .status = 415, .code = "unsupported_media_type" },
  { "http/get-sync", .method = "GET", .kind = BODY_EMPTY, .status = 405, .code = "method_not_allowed" },
  { "http/put-login", .method = "PUT", .path = "/api/v1/login", .body = "{}", .status = 405, .code = "method_not_allowed" },
  { "http/delete-sync", .method = "DELETE", .kind = BODY_EMPTY, .status = 405, .code = "method_not_allowed" },
  { "http/post-health", .path = "/api/v1/health", .body = "{}", .status = 405, .code = "method_not_allowed" },
  { "http/unknown-path", .path = "/api/v1/sync/../../etc/passwd", .body = SYNC (""), .status = 404, .code = "not_found" },
  { "http/blobs-reserved", .method = "PUT", .path = "/api/v1/blobs/00", .body = "{}", .status = 404, .code = "not_found" },

  /* ---- replay ---- */
  { "replay/push", .body = SEED_A, .status = 200, .code = "duplicate" },
  /* Another change under a stored id is refused, never taken for it. */
  { "replay/push-changed-content", .body = SYNC (CHG ("2", "household", H_A, "head_name", "\"冒名\"")),
    .status = 200, .code = "conflict" },

  /* ---- scope ---- */
  { "scope/other-village-record", .body = SYNC (CHG ("50", "household", H_B, "head_name", "\"x\"")), .status = 200, .code = "out_of_scope" },
  { "scope/new-record-other-village", .body = SYNC (CHG ("50", "household", H_NEW, "org_unit", "\"" VILLAGE_B "\"")), .status = 200, .code = "out_of_scope" },
  { "scope/move-out", .body = SYNC (CHG ("50", "household", H_A, "org_unit", "\"" VILLAGE_B "\"")), .status = 200, .code = "out_of_scope" },
  { "scope/move-up", .body = SYNC (CHG ("50", "household", H_A, "org_unit", "\"" TOWNSHIP "\"")), .status = 200, .code = "out_of_scope" },
  { "scope/unknown-unit", .body = SYNC (CHG ("50", "household", H_NEW, "org_unit", "\"999999999999\"")), .status = 200, .code = "not_allowed_value" },
  { "scope/record-without-unit", .body = SYNC (CHG ("50", "household", H_NEW, "head_name", "\"x\"")), .status = 200, .code = "out_of_scope" },
  { "scope/entity-mismatch", .body = SYNC (CHG ("50", "volunteer", H_A, "name", "\"x\"")), .status = 200, .code = "invalid" },
  { "scope/township-record-from-village", .body = SYNC (CHG ("50", "household", H_T, "head_name", "\"x\"")), .status = 200, .code = "out_of_scope" },

  /* ---- privilege ---- */
  { "privilege/village-approves", .body = SYNC (CHG ("50", "household", H_A, "review_state", "\"approved\"")), .status = 200, .code = "permission_denied" },
  { "privilege/village-returns", .body = SYNC (CHG ("50", "household", H_A, "review_state", "\"returned\"")), .status = 200, .code = "permission_denied" },
  { "privilege/reviewer-same-unit", .auth = AUTH_TOWN,
    .body = SYNC_AS (RT, CHG_FULL (RT, "50", "household", H_T, "review_state", "\"approved\"", HLC, "0")), .status = 200, .code = "permission_denied" },
  { "privilege/village-writes-review-note", .body = SYNC (CHG ("50", "household", H_A, "review_note", "\"自己批准\"")), .status = 200, .code = "permission_denied" },
  { "privilege/reviewer-same-unit-note", .auth = AUTH_TOWN,
    .body = SYNC_AS (RT, CHG_FULL (RT, "50", "household", H_T, "review_note", "\"x\"", HLC, "0")), .status = 200, .code = "permission_denied" },
  { "privilege/village-settles-redemption", .body = SYNC (CHG ("50", "redemption", RD_A, "status", "\"accepted\"")), .status = 200, .code = "permission_denied" },
  { "privilege/village-rejects-redemption", .body = SYNC (CHG ("50", "redemption", RD_A, "status", "\"rejected\"")), .status = 200, .code = "permission_denied" },
  { "privilege/ledger-minutes", .body = SYNC (CHG ("50", "redemption", RD_A, "minutes", "1")), .status = 200, .code = "immutable" },
  { "privilege/ledger-delete", .body = SYNC (CHG ("50", "redemption", RD_A, "deleted", "true")), .status = 200, .code = "immutable" },
  /* Left empty at creation is fixed too: a later "reverses" would turn
   * earned hours into a reversal. */
  { "privilege/ledger-empty-field-later",
    .body = SYNC (CHG_FULL (RA, "50", "redemption", RD_A, "beneficiary", "\"张\"", HLC_LATER, HLC)),
    .status = 200, .code = "immutable" },
  { "privilege/created-by", .body = SYNC (CHG ("50", "household", H_A, "created_by", "\"county\"")), .status = 200, .code = "read_only" },
  { "privilege/redemption-no-balance", .body = SYNC (CHG ("50", "redemption", H_NEW, "org_unit", "\"" VILLAGE_A "\"") ","
                                                     CHG ("51", "redemption", H_NEW, "volunteer", "\"" VOL "\"") ","
                                                     CHG ("52", "redemption", H_NEW, "minutes", "600")),
    .status = 200, .code = "insufficient_balance" },
  { "privilege/other-replica-changes", .body = SYNC (CHG_FULL (RB, "50", "household", H_A, "address", "\"x\"", HLC, "0")), .status = 200, .code = "permission_denied" },

  /* ---- login ---- */
  { "login/huge-password", .path = "/api/v1/login", .auth = AUTH_NONE, .kind = BODY_HUGE_PASSWORD, .status = 400, .code = "malformed" },
  { "login/password-1025", .path = "/api/v1/login", .auth = AUTH_NONE, .kind = BODY_PASSWORD_1025, .status = 400, .code = "malformed" },
  { "login/password-number", .path = "/api/v1/login", .auth = AUTH_NONE, .body = "{\"username\":\"va\",\"password\":12345678}", .status = 400, .code = "malformed" },
  { "login/username-missing", .path = "/api/v1/login", .auth = AUTH_NONE, .body = "{\"password\":\"" TEST_PASSWORD "\"}", .status = 400, .code = "malformed" },
  { "login/replica-bad", .path = "/api/v1/login", .auth = AUTH_NONE,
    .body = "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "\",\"replica\":\"x\"}", .status = 400, .code = "malformed" },
  { "login/sql-username", .path = "/api/v1/login", .auth = AUTH_NONE,
    .body = "{\"username\":\"va' OR '1'='1\",\"password\":\"' OR '1'='1\"}", .status = 401, .code = "bad_credentials" },
  { "login/wrong-password", .path = "/api/v1/login", .auth = AUTH_NONE,
    .body = "{\"username\":\"va\",\"password\":\"" TEST_PASSWORD "x\"}", .status = 401, .code = "bad_credentials" },
  { "login/disabled-user", .path = "/api/v1/login", .auth = AUTH_NONE,
    .body = "{\"username\":\"vd\",\"password\":\"" TEST_PASSWORD "\"}", .status = 401, .code = "bad_credentials" },
};

/* ---- the fixture ---------------------------------------------------------- */

static TestServer *server;
static char *token_va, *token_vb, *token_town, *token_revoked, *token_disabled;
static char *baseline;

static int
compare_row (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every row of every table as SQL literals, sorted: equal dumps mean equal
 * stores, whatever the page layout. */
static char *
store_dump (const char *db)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (conn,
                                       "SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name != 'login_attempt' ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *probe_sql = g_strdup_printf ("SELECT * FROM \"%s\" LIMIT 0", table);
      g_autoptr(GString) select = g_string_new ("SELECT ");
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *probe = NULL;
      sqlite3_stmt *stmt = NULL;
      int n;

      g_assert_cmpint (sqlite3_prepare_v2 (conn, probe_sql, -1, &probe, NULL), ==, SQLITE_OK);
      n = sqlite3_column_count (probe);
      for (int i = 0; i < n; i++)
        g_string_append_printf (select, "%squote (\"%s\")", i ? " || ',' || " : "",
                                sqlite3_column_name (probe, i));
      sqlite3_finalize (probe);
      g_string_append_printf (select, " FROM \"%s\"", table);
      g_assert_cmpint (sqlite3_prepare_v2 (conn, select->str, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, (GCompareFunc) compare_row);
      g_string_append_printf (out, "-- %s (%u rows)\n", table, rows->len);
      for (guint i = 0; i < rows->len; i++)
        g_string_append_printf (out, "%s\n", (const char *) rows->pdata[i]);
    }
  sqlite3_finalize (tables);
  sqlite3_close (conn);
  return g_string_free (out, FALSE);
}

/* ---- raw HTTP ---------------------------------------------------------------- */

typedef struct
{
  guint     status;
  JsonNode *body;    /* NULL when the reply has no JSON body */
} RawReply;

static void
raw_reply_clear (RawReply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawReply, raw_reply_clear)

/* Sends exactly these bytes and reads the reply to the end (the request
 * says "Connection: close"); every read has a 30 s timeout. */
static void
raw_exchange (const char *request,
              gsize       request_len,
              const char *body,
              gsize       body_len,
              RawReply   *reply)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GByteArray) in = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  GInputStream *input;
  guint8 buf[65536];
  const char *head_end;
  const char *text;
  gssize n;

  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) server->port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  input = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (out, request, request_len, NULL, NULL, &error);
  g_assert_no_error (error);
  if (body_len > 0)
    {
      /* The server may answer (413) and close before reading it all. */
      g_output_stream_write_all (out, body, body_len, NULL, NULL, NULL);
    }
  /* Bounded: 64 MiB of reply at most. */
  while (in->len < 64 * 1024 * 1024 &&
         (n = g_input_stream_read (input, buf, sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (in, buf, (guint) n);
  if (error != NULL && in->len == 0)
    g_assert_no_error (error);
  g_byte_array_append (in, (const guint8 *) "", 1);

  text = (const char *) in->data;
  g_assert_true (g_str_has_prefix (text, "HTTP/1.1 "));
  reply->status = (guint) g_ascii_strtoull (text + 9, NULL, 10);
  head_end = strstr (text, "\r\n\r\n");
  g_assert_nonnull (head_end);
  head_end += 4;
  reply->body = NULL;
  if (*head_end != '\0')
    reply->body = jg_json_parse (head_end, (gssize) (in->len - 1 - (gsize) (head_end - text)), NULL);
}

static void
raw_request (const char *method,
             const char *path,
             const char *auth_header,
             const char *content_type,
             const char *extra_header,
             const char *body,
             gsize       body_len,
             RawReply   *reply)
{
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n",
                          method, path, server->port);
  if (auth_header != NULL)
    g_string_append_printf (head, "Authorization: %s\r\n", auth_header);
  if (content_type != NULL && *content_type != '\0')
    g_string_append_printf (head, "Content-Type: %s\r\n", content_type);
  if (extra_header != NULL)
    g_string_append_printf (head, "%s\r\n", extra_header);
  g_string_append_printf (head, "Content-Length: %zu\r\n\r\n", body_len);
  raw_exchange (head->str, head->len, body, body_len, reply);
}

static void
assert_health (void)
{
  g_auto(RawReply) reply = { 0 };

  raw_request ("GET", "/api/v1/health", NULL, NULL, NULL, NULL, 0, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_nonnull (reply.body);
  g_assert_cmpstr (jg_json_get_string (json_node_get_object (reply.body), "status"), ==, "ok");
}

/* ---- bodies -------------------------------------------------------------------- */

static GBytes *
gzip_of (const char *text,
         gsize       len)
{
  return jg_sync_gzip_compress ((const guint8 *) text, len);
}

/* The body of a case, and whether it is gzip-compressed. */
static GBytes *
make_body (const HostileCase *c,
           gboolean          *gzip)
{
  GString *s;

  *gzip = FALSE;
  switch (c->kind)
    {
    case BODY_TEXT:
      return g_bytes_new_static (c->body, strlen (c->body));

    case BODY_EMPTY:
      return g_bytes_new_static ("", 0);

    case BODY_NUL:
      {
        static const char text[] = "{\"protocol\":1,\0\"replica\":\"" RA "\"}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case BODY_DEEP:
      s = g_string_new ("{\"protocol\":1,\"replica\":\"" RA "\",\"x\":");
      for (int i = 0; i < 100000; i++)
        g_string_append_c (s, '[');
      for (int i = 0; i < 100000; i++)
        g_string_append_c (s, ']');
      g_string_append_c (s, '}');
      return g_string_free_to_bytes (s);

    case BODY_TOO_LARGE:
      /* 9 MiB: over the 8 MiB limit before anything is parsed. */
      s = g_string_new (SYNC (""));
      g_string_truncate (s, s->len - 1);
      while (s->len < 9 * 1024 * 1024)
        g_string_append (s, "                ");
      g_string_append_c (s, '}');
      return g_string_free_to_bytes (s);

    case BODY_HUGE_STRING:
      /* 6 MiB of text in one value: under the body limit, over a field's. */
      s = g_string_new ("{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":0,\"changes\":["
                        "{\"replica\":\"" RA "\",\"n\":50,\"entity\":\"household\",\"record\":\"" H_A "\","
                        "\"field\":\"address\",\"hlc\":" HLC ",\"base\":0,\"rbase\":0,\"value\":\"");
      while (s->len < 6 * 1024 * 1024)
        g_string_append (s, "巾帼巾帼巾帼巾帼");
      g_string_append (s, "\"}]}");
      return g_string_free_to_bytes (s);

    case BODY_MANY_MEMBERS:
      /* 300,000 members named alike, in an otherwise broken request. */
      s = g_string_new ("{\"protocol\":1,\"replica\":\"x\"");
      for (int i = 0; i < 300000; i++)
        g_string_append_printf (s, ",\"m%d\":%d", i, i);
      g_string_append_c (s, '}');
      return g_string_free_to_bytes (s);

    case BODY_GZIP_BOMB:
      {
        /* 64 MiB of spaces inflate from about 64 KiB. */
        gsize len = 64 * 1024 * 1024;
        g_autofree char *big = g_malloc (len);
        GBytes *packed;

        memset (big, ' ', len);
        big[0] = '{';
        big[len - 1] = '}';
        packed = gzip_of (big, len);
        g_assert_cmpuint (g_bytes_get_size (packed), <, 1024 * 1024);
        *gzip = TRUE;
        return packed;
      }

    case BODY_GZIP_GARBAGE:
      *gzip = TRUE;
      {
        static const char text[] = "\x1f\x8b\x08\x00garbage, not deflate";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case BODY_GZIP_TRUNCATED:
      {
        g_autoptr(GBytes) packed = gzip_of (SEED_A, strlen (SEED_A));

        *gzip = TRUE;
        return g_bytes_new_from_bytes (packed, 0, g_bytes_get_size (packed) / 2);
      }

    case BODY_BATCH_OVER:
      s = g_string_new ("{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":0,\"changes\":[");
      for (int i = 1; i <= JG_SERVER_MAX_BATCH + 1; i++)
        g_string_append_printf (s, "%s{\"replica\":\"" RA "\",\"n\":%d,\"entity\":\"household\","
                                "\"record\":\"" H_A "\",\"field\":\"address\",\"value\":\"x\","
                                "\"hlc\":" HLC ",\"base\":0,\"rbase\":0}", i > 1 ? "," : "", 100 + i);
      g_string_append (s, "]}");
      return g_string_free_to_bytes (s);

    case BODY_HUGE_PASSWORD:
    case BODY_PASSWORD_1025:
      {
        gsize len = c->kind == BODY_HUGE_PASSWORD ? 4 * 1024 * 1024 : 1025;

        s = g_string_new ("{\"username\":\"va\",\"password\":\"");
        for (gsize i = 0; i < len; i++)
          g_string_append_c (s, 'p');
        g_string_append (s, "\"}");
        return g_string_free_to_bytes (s);
      }

    case BODY_INVALID_UTF8:
      {
        static const char text[] = "{\"protocol\":1,\"replica\":\"" RA "\",\"x\xff\xfe\":1}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case BODY_INVALID_UTF8_VALUE:
      {
        static const char text[] = SYNC (CHG ("50", "household", H_A, "address", "\"\xc3\x28\xed\xa0\x80\""));

        return g_bytes_new_static (text, sizeof text - 1);
      }

    default:
      g_assert_not_reached ();
    }
}

/* ---- the cases ------------------------------------------------------------------- */

static void
assert_results (const HostileCase *c,
                JsonNode          *body)
{
  JsonArray *results;
  g_autoptr(JsonNode) request = c->body != NULL ? jg_json_parse (c->body, -1, NULL) : NULL;
  JsonArray *sent = NULL;

  if (request != NULL && JSON_NODE_HOLDS_OBJECT (request) &&
      json_object_get_member (json_node_get_object (request), "changes") != NULL &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (request), "changes")))
    sent = json_object_get_array_member (json_node_get_object (request), "changes");
  g_assert_nonnull (body);
  results = json_object_get_array_member (json_node_get_object (body), "results");
  g_assert_nonnull (results);
  g_assert_cmpuint (json_array_get_length (results), >, 0);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      /* A change is answered with the replica and n it gave ("" and 0
       * when it gave none). */
      if (sent != NULL && i < json_array_get_length (sent) &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (sent, i)))
        {
          JsonObject *change = json_array_get_object_element (sent, i);
          const char *replica = jg_json_get_string (change, "replica");
          gint64 n = 0, echoed = -1;

          g_assert_cmpstr (jg_json_get_string (r, "replica"), ==, replica ? replica : "");
          jg_json_get_int (change, "n", &n);
          g_assert_true (jg_json_get_int (r, "n", &echoed));
          g_assert_cmpint (echoed, ==, n);
        }
      if (strcmp (c->code, "duplicate") == 0)
        g_assert_cmpstr (jg_json_get_string (r, "status"), ==, "duplicate");
      else
        {
          g_assert_cmpstr (jg_json_get_string (r, "status"), ==, "rejected");
          g_assert_cmpstr (jg_json_get_string (r, "code"), ==, c->code);
          g_assert_nonnull (jg_json_get_string (r, "message"));
        }
    }
}

static void
test_case (gconstpointer data)
{
  const HostileCase *c = data;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *after = NULL;
  g_auto(RawReply) reply = { 0 };
  const char *content_type = c->content_type ? c->content_type : "application/json";
  const char *extra = c->extra_header;
  gboolean gzip;
  gsize len;
  const char *bytes;

  switch (c->auth)
    {
    case AUTH_VA: auth = g_strconcat ("Bearer ", token_va, NULL); break;
    case AUTH_VB: auth = g_strconcat ("Bearer ", token_vb, NULL); break;
    case AUTH_TOWN: auth = g_strconcat ("Bearer ", token_town, NULL); break;
    case AUTH_REVOKED: auth = g_strconcat ("Bearer ", token_revoked, NULL); break;
    case AUTH_DISABLED: auth = g_strconcat ("Bearer ", token_disabled, NULL); break;
    case AUTH_FORGED: auth = g_strdup ("Bearer 0000000000000000000000000000000000000000000000000000000000000000"); break;
    case AUTH_RAW: auth = g_strdup (c->auth_header); break;
    case AUTH_NONE:
    default:
      break;
    }

  body = make_body (c, &gzip);
  if (gzip)
    extra = "Content-Encoding: gzip";
  bytes = g_bytes_get_data (body, &len);
  raw_request (c->method ? c->method : "POST", c->path ? c->path : "/api/v1/sync", auth,
               content_type, extra, bytes, len, &reply);

  g_test_message ("%s: HTTP %u", c->name, reply.status);
  g_assert_cmpuint (reply.status, ==, c->status);
  if (reply.status != c->status)
    ;   /* reported above (with JG_TEST_NONFATAL, go on to the store) */
  else if (c->status == 200)
    assert_results (c, reply.body);
  else
    g_assert_cmpstr (error_code (reply.body), ==, c->code);

  /* Still serving, and nothing written. */
  assert_health ();
  after = store_dump (server->db);
  g_assert_cmpstr (after, ==, baseline);
}

/* ---- beyond the table ------------------------------------------------------------ */

/* SQL in a valid value is data: stored and sent back byte for byte. */
static void
test_sql_literal (void)
{
  static const char * const values[] = {
    "'); DROP TABLE household; --",
    "\" OR \"\"=\"",
    "Robert'); DELETE FROM change_log WHERE ('1'='1",
    "%' UNION SELECT password_hash FROM user --",
  };
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *auth = g_strconcat ("Bearer ", token_va, NULL);
  g_autofree char *town_auth = g_strconcat ("Bearer ", token_town, NULL);
  g_auto(RawReply) reply = { 0 };
  g_auto(RawReply) pulled = { 0 };
  const char *pull = "{\"protocol\":1,\"replica\":\"" RT "\",\"cursor\":0,\"limit\":1000}";
  JsonArray *list;
  guint found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) v = json_node_new (JSON_NODE_VALUE);
      g_autofree char *quoted = NULL;
      g_autofree char *rec = g_strdup_printf ("018f2a6c-8f00-7000-8000-0000000001%02u", i);

      json_node_set_string (v, values[i]);
      quoted = jg_json_to_string (v, FALSE);
      g_string_append_printf (changes, "%s{\"replica\":\"" RA "\",\"n\":%u,\"entity\":\"household\","
                              "\"record\":\"%s\",\"field\":\"org_unit\",\"value\":\"" VILLAGE_A "\","
                              "\"hlc\":" HLC ",\"base\":0,\"rbase\":0},"
                              "{\"replica\":\"" RA "\",\"n\":%u,\"entity\":\"household\","
                              "\"record\":\"%s\",\"field\":\"head_name\",\"value\":%s,"
                              "\"hlc\":" HLC ",\"base\":0,\"rbase\":0}",
                              i ? "," : "", 200 + 2 * i, rec, 201 + 2 * i, rec, quoted);
    }
  body = g_strdup_printf ("{\"protocol\":1,\"replica\":\"" RA "\",\"limit\":0,\"changes\":[%s]}", changes->str);
  raw_request ("POST", "/api/v1/sync", auth, "application/json", NULL, body, strlen (body), &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  {
    JsonArray *results = json_object_get_array_member (json_node_get_object (reply.body), "results");

    for (guint i = 0; i < json_array_get_length (results); i++)
      g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (results, i), "status"), ==, "accepted");
  }
  assert_health ();

  /* The township pulls them back unchanged. */
  raw_request ("POST", "/api/v1/sync", town_auth, "application/json", NULL, pull, strlen (pull), &pulled);
  g_assert_cmpuint (pulled.status, ==, 200);
  list = json_object_get_array_member (json_node_get_object (pulled.body), "changes");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *ch = json_array_get_object_element (list, i);

      if (g_strcmp0 (jg_json_get_string (ch, "field"), "head_name") != 0)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (values); k++)
        if (g_strcmp0 (jg_json_get_string (ch, "value"), values[k]) == 0)
          found++;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (values));
  g_assert_cmpint (server_count (server, "SELECT count(*) FROM household WHERE head_name = "
                                         "'''); DROP TABLE household; --'"), ==, 1);

  /* The store moved on: later cases compare against the new state. */
  g_free (baseline);
  baseline = store_dump (server->db);
}

/* A record's creating write may reach the server over several pushes: its
 * later fields, stamped like the first, still set what is fixed at
 * creation. */
static void
test_ledger_creation_continued (void)
{
  g_autofree char *auth = g_strconcat ("Bearer ", token_va, NULL);
  const char *body = SYNC (CHG ("300", "redemption", RD_A, "reason", "\"换米\""));
  g_auto(RawReply) reply = { 0 };
  JsonArray *results;

  raw_request ("POST", "/api/v1/sync", auth, "application/json", NULL, body, strlen (body), &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  results = json_object_get_array_member (json_node_get_object (reply.body), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpstr (jg_json_get_string (json_array_get_object_element (results, 0), "status"), ==, "accepted");
  g_assert_cmpint (server_count (server, "SELECT count(*) FROM redemption WHERE reason = '换米'"), ==, 1);

  g_free (baseline);
  baseline = store_dump (server->db);
}

/* A score is derived from the item scores, whatever a device says it is:
 * a pushed star never stands next to scores that do not earn it. */
static void
test_forged_score (void)
{
  g_autofree char *auth = g_strconcat ("Bearer ", token_va, NULL);
#define INSP "018f2a6c-8f00-7000-8000-000000000301"
  const char *body = SYNC (CHG ("310", "inspection", INSP, "org_unit", "\"" VILLAGE_A "\"") ","
                           CHG ("311", "inspection", INSP, "household", "\"" H_A "\"") ","
                           CHG ("312", "inspection", INSP, "inspected_at", "\"2024-05-01\"") ","
                           CHG ("313", "inspection", INSP, "stage", "\"village\"") ","
                           CHG ("314", "inspection", INSP, "rubric", "\"four-beauty\"") ","
                           CHG ("315", "inspection", INSP, "rubric_version", "1") ","
                           CHG ("316", "inspection", INSP, "item_scores", "{\"R1\":1}") ","
                           CHG ("317", "inspection", INSP, "total", "100") ","
                           CHG ("318", "inspection", INSP, "star", "3") ","
                           CHG ("319", "inspection", INSP, "passed", "true"));
  g_auto(RawReply) reply = { 0 };

  raw_request ("POST", "/api/v1/sync", auth, "application/json", NULL, body, strlen (body), &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpint (server_count (server, "SELECT count(*) FROM inspection WHERE id = '" INSP "' "
                                         "AND star = 0 AND passed = 0 AND total = 1"), ==, 1);
#undef INSP

  g_free (baseline);
  baseline = store_dump (server->db);
}

static char *
login_as (const char *username,
          const char *replica)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" TEST_PASSWORD "\","
                                           "\"replica\":\"%s\",\"device\":\"hostile\"}", username, replica);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = http_post_json (server, "/api/v1/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (jg_json_get_string (json_node_get_object (reply), "token"));
}

static void
push_all_accepted (const char *token,
                   const char *body)
{
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *results;
  guint status = 0;

  reply = http_post_json (server, "/api/v1/sync", token, body, &status);
  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (json_node_get_object (reply), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      if (g_strcmp0 (jg_json_get_string (r, "status"), "accepted") != 0)
        g_error ("seed change %u: %s %s", i, jg_json_get_string (r, "code"), jg_json_get_string (r, "message"));
    }
}

static void
fixture_setup (void)
{
  const char *revoke[] = { "token-revoke", "--db", NULL, "--username", "vr", NULL };
  sqlite3 *conn = NULL;

  server = test_server_new ();
  test_server_add_user (server, "vr", "village_staff", VILLAGE_A);
  test_server_add_user (server, "vd", "village_staff", VILLAGE_A);

  token_va = login_as ("va", RA);
  token_vb = login_as ("vb", RB);
  token_town = login_as ("town", RT);
  token_revoked = login_as ("vr", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
  token_disabled = login_as ("vd", "ffffffffffffffffffffffffffffffff");

  push_all_accepted (token_va, SEED_VOL);
  push_all_accepted (token_town, SEED_APPROVE);
  push_all_accepted (token_va, SEED_A);
  push_all_accepted (token_vb, SEED_B);
  push_all_accepted (token_town, SEED_T);

  revoke[2] = server->db;
  g_assert_cmpint (run_server_command (revoke, NULL), ==, 0);
  /* No admin command disables a user yet; the column is what counts. */
  g_assert_cmpint (sqlite3_open (server->db, &conn), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 10000);
  g_assert_cmpint (sqlite3_exec (conn, "UPDATE user SET disabled = 1 WHERE username = 'vd'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (conn);

  baseline = store_dump (server->db);
}

int
main (int    argc,
      char **argv)
{
  int status;

  sync_test_init_env ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* For a survey of every case at once while developing. */
  if (g_getenv ("JG_TEST_NONFATAL") != NULL)
    g_test_set_nonfatal_assertions ();
  fixture_setup ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/jg/hostile/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/jg/hostile/sql-stored-literally", test_sql_literal);
  g_test_add_func ("/jg/hostile/ledger-creation-continued", test_ledger_creation_continued);
  g_test_add_func ("/jg/hostile/forged-score", test_forged_score);
  status = g_test_run ();

  test_server_free (server);
  g_free (token_va);
  g_free (token_vb);
  g_free (token_town);
  g_free (token_revoked);
  g_free (token_disabled);
  g_free (baseline);
  return status;
}
