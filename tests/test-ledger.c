/* test-ledger.c: the time bank (jg-ledger.h)
 *
 * Entries are written by a village user and approved by a county reviewer
 * of the same store (the meta "role" and "org_unit" switch the actor), so
 * that balances come from real, reviewed entries.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-test-fixture.h"
#include "jg-ledger.h"
#include "jg-stats.h"
#include "jg-store-private.h"


static char *
add_volunteer (JgTestFixture *f)
{
  return jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"李梅\",\"gender\":\"female\"}");
}

static char *
entry_json (const char *volunteer,
            gint64      minutes,
            const char *served_at,
            const char *extra)
{
  return g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":%" PRId64 ","
                          "\"service_type\":\"care_visit\",\"served_at\":\"%s\"%s%s}",
                          volunteer, minutes, served_at, extra ? "," : "", extra ? extra : "");
}

static char *
add_entry (JgTestFixture    *f,
           const char *volunteer,
           gint64      minutes,
           const char *served_at)
{
  g_autofree char *json = entry_json (volunteer, minutes, served_at, "\"review_state\":\"submitted\"");

  return jg_test_put_ok (f, "service_entry", json);
}

/* Submits as the village user. */
static void
submit (JgTestFixture *f,
        const char    *entity,
        const char    *id)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", id);

  g_free (jg_test_put_ok (f, entity, json));
}

/* Approves as a county reviewer, then goes back to the village user. */
static void
approve (JgTestFixture    *f,
         const char *entity,
         const char *id)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", id);

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  g_free (jg_test_put_ok (f, entity, json));
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
}

static char *
add_approved_entry (JgTestFixture    *f,
                    const char *volunteer,
                    gint64      minutes,
                    const char *served_at)
{
  char *id = add_entry (f, volunteer, minutes, served_at);

  approve (f, "service_entry", id);
  return id;
}

static char *
redemption_json (const char *volunteer,
                 gint64      minutes,
                 const char *extra)
{
  return g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":%" PRId64 ","
                          "\"item\":\"goods\",\"item_name\":\"大米一袋\"%s%s}",
                          volunteer, minutes, extra ? "," : "", extra ? extra : "");
}

static JgLedgerBalance
balance_of (JgTestFixture    *f,
            const char *volunteer)
{
  g_autoptr(GError) error = NULL;
  JgLedgerBalance b;

  g_assert_true (jg_ledger_balance (f->store, volunteer, &b, &error));
  g_assert_no_error (error);
  return b;
}

static void
test_volunteer_must_exist (JgTestFixture       *f,
                           gconstpointer  data)
{
  g_autofree char *json = entry_json ("01890a5d-ac96-774b-bcce-b302099a8057", 60, "2024-03-08T09:30", NULL);
  g_autofree char *r = redemption_json ("01890a5d-ac96-774b-bcce-b302099a8057", 60, NULL);

  jg_test_put_refused (f, "service_entry", json, JG_ERROR_NOT_FOUND, "volunteer");
  jg_test_put_refused (f, "redemption", r, JG_ERROR_NOT_FOUND, "volunteer");
}

/* The volunteer of an entry is registered where the entry is recorded:
 * even a county reviewer, whose area holds both villages, does not spend
 * or add one village's hours in another (the server asks the same). */
static void
test_volunteer_of_other_unit (JgTestFixture *f,
                              gconstpointer  data)
{
  g_autofree char *other = NULL;
  g_autofree char *json = NULL;
  g_autofree char *r = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  other = jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"331082004241\",\"name\":\"陈静\",\"gender\":\"female\"}");
  json = entry_json (other, 60, "2024-03-08T09:30", NULL);
  r = redemption_json (other, 60, NULL);
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_OTHER_UNIT, "volunteer");
  jg_test_put_refused (f, "redemption", r, JG_ERROR_OTHER_UNIT, "volunteer");
}

/* A redemption recorded in the app is submitted; the reviewer's approval
 * decides it: accepted, against the approved balance. */
static void
test_redemption_approval_decides (JgTestFixture *f,
                                  gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *r = redemption_json (v, 100, "\"review_state\":\"submitted\"");
  g_autofree char *rid = jg_test_put_ok (f, "redemption", r);
  g_autoptr(JsonObject) record = NULL;
  JgLedgerBalance bal;

  approve (f, "redemption", rid);
  record = jg_test_get_record (f, "redemption", rid);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "accepted");
  bal = balance_of (f, v);
  g_assert_cmpint (bal.redeemed_minutes, ==, 100);
  g_assert_cmpint (bal.pending_minutes, ==, 0);
  g_assert_cmpint (bal.available_minutes, ==, 20);
}

static void
test_recorded_by_filled (JgTestFixture       *f,
                         gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *id = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "service_entry", id);

  g_assert_cmpstr (json_object_get_string_member (record, "recorded_by"), ==, "village1");
}

static void
test_content_immutable (JgTestFixture       *f,
                        gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *id = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"minutes\":90}", id);

  jg_test_put_refused (f, "service_entry", json, JG_ERROR_IMMUTABLE, "minutes");
}

static void
test_balance_counts_approved (JgTestFixture       *f,
                              gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_entry (f, v, 60, "2024-03-09T09:30");
  JgLedgerBalance bal = balance_of (f, v);

  g_assert_cmpint (bal.earned_minutes, ==, 120);
  g_assert_cmpint (bal.available_minutes, ==, 120);
  g_assert_cmpint (bal.redeemed_minutes, ==, 0);
  g_assert_cmpint (bal.pending_minutes, ==, 0);
  g_assert_cmpint (bal.lifetime_approved_minutes, ==, 120);
}

static void
test_redemption_insufficient (JgTestFixture       *f,
                              gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *pending_entry = add_entry (f, v, 600, "2024-03-09T09:30");
  g_autofree char *json = redemption_json (v, 121, NULL);

  /* Submitted but unapproved hours do not count. */
  jg_test_put_refused (f, "redemption", json, JG_ERROR_INSUFFICIENT_BALANCE, "minutes");
}

static void
test_redemption_pending (JgTestFixture       *f,
                         gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = redemption_json (v, 90, NULL);
  g_autofree char *more = redemption_json (v, 31, NULL);
  g_autofree char *id = jg_test_put_ok (f, "redemption", json);
  g_autoptr(JsonObject) record = jg_test_get_record (f, "redemption", id);
  JgLedgerBalance bal = balance_of (f, v);

  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (record, "beneficiary"), ==, "self");
  g_assert_cmpint (bal.pending_minutes, ==, 90);
  g_assert_cmpint (bal.available_minutes, ==, 30);
  /* Two redemptions offline cannot spend the same hours. */
  jg_test_put_refused (f, "redemption", more, JG_ERROR_INSUFFICIENT_BALANCE, "minutes");
}

static void
test_redemption_starts_pending (JgTestFixture       *f,
                                gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = redemption_json (v, 60, "\"status\":\"accepted\"");

  jg_test_put_refused (f, "redemption", json, JG_ERROR_READ_ONLY, "status");
}

static void
test_family_transfer (JgTestFixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JgConfig) saved = g_object_ref (jg_config_get_default ());
  g_autoptr(JgConfig) strict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = redemption_json (v, 30, "\"beneficiary\":\"母亲 张兰\"");
  g_autofree char *self = redemption_json (v, 30, "\"beneficiary\":\"self\"");

  g_free (jg_test_put_ok (f, "redemption", json));

  strict = jg_config_new_from_data ("{\"time_bank\":{\"family_transfer_allowed\":false}}", -1, &error);
  g_assert_no_error (error);
  jg_config_set_default (strict);
  jg_test_put_refused (f, "redemption", json, JG_ERROR_NOT_ALLOWED_VALUE, "beneficiary");
  g_free (jg_test_put_ok (f, "redemption", self));
  jg_config_set_default (saved);
}

static void
test_status_decided_by_reviewer (JgTestFixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = redemption_json (v, 100, NULL);
  g_autofree char *id = jg_test_put_ok (f, "redemption", json);
  g_autofree char *accept = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"accepted\"}", id);
  g_autofree char *reject = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"rejected\"}", id);
  g_autofree char *back = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"pending\"}", id);
  JgLedgerBalance bal;

  jg_test_put_refused (f, "redemption", accept, JG_ERROR_PERMISSION, "status");
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  jg_test_put_refused (f, "redemption", reject, JG_ERROR_REQUIRED, "status_reason");
  g_free (jg_test_put_ok (f, "redemption", accept));
  bal = balance_of (f, v);
  g_assert_cmpint (bal.redeemed_minutes, ==, 100);
  g_assert_cmpint (bal.pending_minutes, ==, 0);
  g_assert_cmpint (bal.available_minutes, ==, 20);
  g_assert_cmpint (bal.lifetime_approved_minutes, ==, 120);
  jg_test_put_refused (f, "redemption", back, JG_ERROR_TRANSITION, "status");
}

static void
test_reversal_needs_reason (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\"", a);
  g_autofree char *json = entry_json (v, 120, "2024-03-08T09:30", extra);
  g_autofree char *blank_extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\" \"", a);
  g_autofree char *blank = entry_json (v, 120, "2024-03-08T09:30", blank_extra);

  jg_test_put_refused (f, "service_entry", json, JG_ERROR_REQUIRED, "reason");
  jg_test_put_refused (f, "service_entry", blank, JG_ERROR_REQUIRED, "reason");
}

static void
test_reversal_target_must_exist (JgTestFixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *json = entry_json (v, 120, "2024-03-08T09:30",
                                      "\"reverses\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"reason\":\"录入重复\"");

  jg_test_put_refused (f, "service_entry", json, JG_ERROR_NOT_FOUND, "reverses");
}

static void
test_reversal_must_match (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *w = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"录入重复\"", a);
  g_autofree char *minutes = entry_json (v, 60, "2024-03-08T09:30", extra);
  g_autofree char *someone = entry_json (w, 120, "2024-03-08T09:30", extra);

  jg_test_put_refused (f, "service_entry", minutes, JG_ERROR_INVALID, "minutes");
  jg_test_put_refused (f, "service_entry", someone, JG_ERROR_INVALID, "volunteer");
}

static void
test_reversal_subtracts_once (JgTestFixture       *f,
                              gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_approved_entry (f, v, 60, "2024-03-09T09:30");
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"录入重复\"", a);
  g_autofree char *json = entry_json (v, 120, "2024-03-08T09:30", extra);
  g_autofree char *rev = jg_test_put_ok (f, "service_entry", json);
  g_autofree char *again_extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"再次\"", rev);
  g_autofree char *again = entry_json (v, 120, "2024-03-08T09:30", again_extra);
  JgLedgerBalance bal;

  /* It counts once approved, as any entry. */
  submit (f, "service_entry", rev);
  approve (f, "service_entry", rev);
  bal = balance_of (f, v);

  g_assert_cmpint (bal.earned_minutes, ==, 60);
  g_assert_cmpint (bal.available_minutes, ==, 60);
  g_assert_cmpint (bal.lifetime_approved_minutes, ==, 60);
  /* Once only, and a reversal is not itself reversed. */
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_INVALID, "reverses");
  jg_test_put_refused (f, "service_entry", again, JG_ERROR_INVALID, "reverses");
}

static void
test_reversal_of_spent_hours (JgTestFixture       *f,
                              gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *r = redemption_json (v, 100, NULL);
  g_autofree char *rid = jg_test_put_ok (f, "redemption", r);
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"录入重复\"", a);
  g_autofree char *json = entry_json (v, 120, "2024-03-08T09:30", extra);
  g_autofree char *rextra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"取消兑换\"", rid);
  g_autofree char *cancel = redemption_json (v, 100, rextra);
  JgLedgerBalance bal;

  /* The balance would go below zero: the redemption is cancelled first. */
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_INSUFFICIENT_BALANCE, "minutes");
  {
    g_autofree char *cid = jg_test_put_ok (f, "redemption", cancel);

    /* The cancellation counts once approved, as any reversal. */
    bal = balance_of (f, v);
    g_assert_cmpint (bal.pending_minutes, ==, 100);
    submit (f, "redemption", cid);
    approve (f, "redemption", cid);
  }
  bal = balance_of (f, v);
  g_assert_cmpint (bal.pending_minutes, ==, 0);
  g_assert_cmpint (bal.available_minutes, ==, 120);
  {
    g_autofree char *rev = jg_test_put_ok (f, "service_entry", json);

    submit (f, "service_entry", rev);
    approve (f, "service_entry", rev);
  }
  bal = balance_of (f, v);
  g_assert_cmpint (bal.available_minutes, ==, 0);
}

/* jg_ledger_reverse(), what the volunteer's page uses: the reversal
 * copies the entry, carries the reason, goes to review, and counts once
 * approved; the ledger's rules still hold. */
static void
test_reverse_entry (JgTestFixture *f,
                    gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_approved_entry (f, v, 60, "2024-03-09T09:30");
  g_autofree char *r = redemption_json (v, 30, NULL);
  g_autofree char *rid = jg_test_put_ok (f, "redemption", r);
  g_autofree char *rev = NULL;
  g_autofree char *rrev = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(JsonObject) target = NULL;
  g_autoptr(GError) error = NULL;
  char *none;

  /* A blank reason is refused at the reason. */
  none = jg_ledger_reverse (f->store, "service_entry", a, "  ", &error);
  g_assert_null (none);
  g_assert_error (error, JG_ERROR, JG_ERROR_REQUIRED);
  g_assert_cmpstr (jg_error_get_field (error), ==, "reason");
  g_clear_error (&error);

  rev = jg_ledger_reverse (f->store, "service_entry", a, " 录入重复 ", &error);
  g_assert_no_error (error);
  o = jg_store_get (f->store, "service_entry", rev, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o, "reverses"), ==, a);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "录入重复");
  g_assert_cmpstr (json_object_get_string_member (o, "volunteer"), ==, v);
  g_assert_cmpint (json_object_get_int_member (o, "minutes"), ==, 120);
  g_assert_cmpstr (json_object_get_string_member (o, "service_type"), ==, "care_visit");
  g_assert_cmpstr (json_object_get_string_member (o, "org_unit"), ==, "331082004240");
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
  target = jg_store_get (f->store, "service_entry", a, &error);
  g_assert_no_error (error);
  g_assert_true (jg_ledger_entry_reversible (target));
  g_assert_false (jg_ledger_entry_reversible (o));
  /* Waiting for review, it takes nothing off. */
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 180);
  approve (f, "service_entry", rev);
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 60);

  /* Once only; a reversal is not reversed. */
  none = jg_ledger_reverse (f->store, "service_entry", a, "再次", &error);
  g_assert_null (none);
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_clear_error (&error);
  none = jg_ledger_reverse (f->store, "service_entry", rev, "再次", &error);
  g_assert_null (none);
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_clear_error (&error);

  /* A redemption: the item is copied, and it gives the minutes back once approved. */
  rrev = jg_ledger_reverse (f->store, "redemption", rid, "兑换取消", &error);
  g_assert_no_error (error);
  g_clear_pointer (&o, json_object_unref);
  o = jg_store_get (f->store, "redemption", rrev, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o, "item_name"), ==, "大米一袋");
  g_assert_cmpint (json_object_get_int_member (o, "minutes"), ==, 30);
  g_assert_cmpint (balance_of (f, v).pending_minutes, ==, 30);
  approve (f, "redemption", rrev);
  g_assert_cmpint (balance_of (f, v).pending_minutes, ==, 0);
  g_assert_cmpint (balance_of (f, v).available_minutes, ==, 60);

  /* Only ledger entries. */
  none = jg_ledger_reverse (f->store, "volunteer", v, "错误", &error);
  g_assert_null (none);
  g_assert_error (error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY);
  (void) b;
}

/* A reversal the server refused (jg_ledger_record_refusal(), as the sync
 * records it) is rejected with the server's reason, cancels nothing and
 * blocks no new reversal; nobody sets that by hand. */
static void
test_refused_reversal (JgTestFixture *f,
                       gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *rev = NULL;
  g_autofree char *again = NULL;
  g_autofree char *by_hand = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(GError) error = NULL;

  rev = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  by_hand = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"rejected\"}", rev);
  jg_test_put_refused (f, "service_entry", by_hand, JG_ERROR_READ_ONLY, "status");

  g_assert_true (jg_ledger_record_refusal (f->store, "service_entry", rev, "已被其他电脑冲正", &error));
  g_assert_no_error (error);
  o = jg_store_get (f->store, "service_entry", rev, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (o, "status_reason"), ==, "已被其他电脑冲正");
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 120);

  /* The entry can be reversed again, and that one counts once approved. */
  again = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  approve (f, "service_entry", again);
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 0);
}

/* Returns @id as a county reviewer, with a note. */
static void
give_back (JgTestFixture *f,
           const char    *entity,
           const char    *id)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                           "\"review_note\":\"理由写清楚\"}", id);

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  g_free (jg_test_put_ok (f, entity, json));
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
}

/* A reversal the reviewer returns is the village's to act on: its reason
 * corrected and submitted again, or withdrawn (a tombstone), and a
 * withdrawn one blocks no new reversal.  Nothing else of the ledger is
 * deleted, and of two live reversals of one entry only one is approved. */
static void
test_returned_reversal (JgTestFixture *f,
                        gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *rev = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_autoptr(GError) error = NULL;
  char *none;

  rev = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  /* Neither an entry nor a reversal in review is deleted. */
  g_assert_false (jg_store_delete (f->store, "service_entry", a, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_IMMUTABLE);
  g_clear_error (&error);
  g_assert_false (jg_store_delete (f->store, "service_entry", rev, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_IMMUTABLE);
  g_clear_error (&error);

  give_back (f, "service_entry", rev);
  /* Returned, it still stands for the entry: no second reversal. */
  none = jg_ledger_reverse (f->store, "service_entry", a, "再次", &error);
  g_assert_null (none);
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_clear_error (&error);

  /* Corrected and submitted again: it does not block itself. */
  json = g_strdup_printf ("{\"id\":\"%s\",\"reason\":\"  \",\"review_state\":\"submitted\"}", rev);
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_REQUIRED, "reason");
  g_free (json);
  json = g_strdup_printf ("{\"id\":\"%s\",\"reason\":\"活动取消，时长录入重复\",\"review_state\":\"submitted\"}", rev);
  g_free (jg_test_put_ok (f, "service_entry", json));
  o = jg_store_get (f->store, "service_entry", rev, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "活动取消，时长录入重复");
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
  /* The minutes stay fixed. */
  g_free (json);
  json = g_strdup_printf ("{\"id\":\"%s\",\"minutes\":60}", rev);
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_IMMUTABLE, "minutes");

  /* Returned again and withdrawn: a new reversal may be made. */
  give_back (f, "service_entry", rev);
  g_assert_true (jg_store_delete (f->store, "service_entry", rev, &error));
  g_assert_no_error (error);
  rev2 = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 120);
  approve (f, "service_entry", rev2);
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 0);
  /* An approved reversal stays. */
  g_assert_false (jg_store_delete (f->store, "service_entry", rev2, &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_IMMUTABLE);
}

/* Two live reversals of one entry (two laptops, or one refused and then
 * taken up again): approving one is checked against the other, not
 * against itself, and the second is refused. */
static void
test_two_live_reversals (JgTestFixture *f,
                         gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) live = json_object_new ();
  g_autoptr(GError) error = NULL;

  r1 = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  g_assert_true (jg_ledger_record_refusal (f->store, "service_entry", r1, "拒收", &error));
  r2 = jg_ledger_reverse (f->store, "service_entry", a, "录入重复", &error);
  g_assert_no_error (error);
  json_object_set_null_member (live, "status");
  g_assert_true (jg_store_put_local (f->store, "service_entry", r1, live, &error));
  g_assert_no_error (error);

  approve (f, "service_entry", r2);
  json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", r1);
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  jg_test_put_refused (f, "service_entry", json, JG_ERROR_INVALID, "reverses");
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 0);
}

/* A reversal waiting for review takes nothing off (DOMAIN.md: only approved
 * entries count), however long it waits or if it is returned; the hours it
 * would take back may be redeemed meanwhile, and then it cannot be
 * approved: the balance would go below zero. */
static void
test_reversal_counts_when_approved (JgTestFixture *f,
                                    gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_approved_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_approved_entry (f, v, 60, "2024-03-09T09:30");
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"录入重复\"", b);
  g_autofree char *json = entry_json (v, 60, "2024-03-09T09:30", extra);
  g_autofree char *rev = jg_test_put_ok (f, "service_entry", json);
  g_autofree char *returned = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                               "\"review_note\":\"不同意冲正\"}", rev);
  g_autofree char *approved = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", rev);
  g_autofree char *r = redemption_json (v, 150, NULL);
  g_autofree char *rid = NULL;
  g_autoptr(JsonObject) shown = NULL;
  JgLedgerBalance bal;

  /* A draft. */
  bal = balance_of (f, v);
  g_assert_cmpint (bal.earned_minutes, ==, 180);
  g_assert_cmpint (bal.available_minutes, ==, 180);
  g_assert_cmpint (bal.lifetime_approved_minutes, ==, 180);
  shown = jg_stats_volunteer_balance (f->store, v, NULL);
  g_assert_cmpint (json_object_get_int_member (shown, "reversed"), ==, 0);

  /* Submitted, then returned. */
  submit (f, "service_entry", rev);
  g_assert_cmpint (balance_of (f, v).available_minutes, ==, 180);
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  g_free (jg_test_put_ok (f, "service_entry", returned));
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  g_assert_cmpint (balance_of (f, v).available_minutes, ==, 180);
  g_assert_cmpint (balance_of (f, v).lifetime_approved_minutes, ==, 180);

  /* Submitted again; 150 of the 180 minutes are redeemed meanwhile. */
  submit (f, "service_entry", rev);
  rid = jg_test_put_ok (f, "redemption", r);
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  jg_test_put_refused (f, "service_entry", approved, JG_ERROR_INSUFFICIENT_BALANCE, "minutes");
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  g_assert_cmpint (balance_of (f, v).earned_minutes, ==, 180);
  g_assert_cmpint (balance_of (f, v).available_minutes, ==, 30);
  (void) a;
}

/* The acceptance case, step by step: 600 minutes approved, 120 awaiting
 * approval, 200 redeemed and accepted, then 60 approved minutes reversed
 * leave 340 available.  After every step the balance is checked as the
 * ledger computes it and as "jinguo-cli balance" prints it. */
typedef enum
{
  STEP_APPROVED_ENTRY,   /* a service entry, submitted and approved */
  STEP_SUBMITTED_ENTRY,  /* a service entry awaiting approval */
  STEP_REDEMPTION,       /* a redemption, pending */
  STEP_ACCEPT,           /* the county accepts the last redemption */
  STEP_REVERSE,          /* a reversing entry for the entry of step "target", submitted */
  STEP_RETURN,           /* the county returns the last reversal */
  STEP_APPROVE,          /* the county approves the last reversal */
} LedgerStep;

static void
test_balance_acceptance (JgTestFixture *f,
                         gconstpointer  data)
{
  const struct
  {
    LedgerStep  step;
    gint64      minutes;
    const char *served_at;
    guint       target;
    gint64      approved, pending, reversed, redeemed, pending_redemptions, available;
  } steps[] = {
    { STEP_APPROVED_ENTRY, 300, "2024-03-01T09:00", 0, 300, 0, 0, 0, 0, 300 },
    { STEP_APPROVED_ENTRY, 240, "2024-03-02T09:00", 0, 540, 0, 0, 0, 0, 540 },
    { STEP_APPROVED_ENTRY, 60, "2024-03-03T09:00", 0, 600, 0, 0, 0, 0, 600 },
    { STEP_SUBMITTED_ENTRY, 120, "2024-03-04T09:00", 0, 600, 120, 0, 0, 0, 600 },
    { STEP_REDEMPTION, 200, NULL, 0, 600, 120, 0, 0, 200, 400 },
    { STEP_ACCEPT, 0, NULL, 0, 600, 120, 0, 200, 0, 400 },
    /* A reversal counts only once approved (DOMAIN.md: only approved
     * entries count): submitted or returned, it changes nothing. */
    { STEP_REVERSE, 60, "2024-03-03T09:00", 2, 600, 120, 0, 200, 0, 400 },
    { STEP_RETURN, 0, NULL, 0, 600, 120, 0, 200, 0, 400 },
    { STEP_APPROVE, 0, NULL, 0, 600, 120, 60, 200, 0, 340 },
  };
  g_autofree char *v = add_volunteer (f);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *redemption = NULL;
  g_autofree char *reversal = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JsonObject) shown = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      JgLedgerBalance bal;
      char *id = NULL;

      switch (steps[i].step)
        {
        case STEP_APPROVED_ENTRY:
          id = add_approved_entry (f, v, steps[i].minutes, steps[i].served_at);
          break;
        case STEP_SUBMITTED_ENTRY:
          id = add_entry (f, v, steps[i].minutes, steps[i].served_at);
          break;
        case STEP_REDEMPTION:
          json = redemption_json (v, steps[i].minutes, NULL);
          g_free (redemption);
          redemption = jg_test_put_ok (f, "redemption", json);
          break;
        case STEP_ACCEPT:
          json = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"accepted\"}", redemption);
          jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
          g_free (jg_test_put_ok (f, "redemption", json));
          jg_test_set_actor (f, "village1", "village_staff", "331082004240");
          break;
        case STEP_REVERSE:
          {
            g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"录入重复\"",
                                                      (char *) ids->pdata[steps[i].target]);

            json = entry_json (v, steps[i].minutes, steps[i].served_at, extra);
            id = jg_test_put_ok (f, "service_entry", json);
            g_free (reversal);
            reversal = g_strdup (id);
            g_free (json);
            json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", id);
            g_free (jg_test_put_ok (f, "service_entry", json));
          }
          break;
        case STEP_RETURN:
          json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\","
                                  "\"review_note\":\"不同意冲正\"}", reversal);
          jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
          g_free (jg_test_put_ok (f, "service_entry", json));
          jg_test_set_actor (f, "village1", "village_staff", "331082004240");
          g_free (json);
          json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"submitted\"}", reversal);
          bal = balance_of (f, v);
          g_assert_cmpint (bal.available_minutes, ==, steps[i].available);
          g_free (jg_test_put_ok (f, "service_entry", json));
          break;
        case STEP_APPROVE:
          approve (f, "service_entry", reversal);
          break;
        default:
          g_assert_not_reached ();
        }
      g_ptr_array_add (ids, id);

      g_test_message ("step %u", i);
      bal = balance_of (f, v);
      g_assert_cmpint (bal.earned_minutes, ==, steps[i].approved - steps[i].reversed);
      g_assert_cmpint (bal.redeemed_minutes, ==, steps[i].redeemed);
      g_assert_cmpint (bal.pending_minutes, ==, steps[i].pending_redemptions);
      g_assert_cmpint (bal.available_minutes, ==, steps[i].available);
      g_assert_cmpint (bal.lifetime_approved_minutes, ==, steps[i].approved - steps[i].reversed);

      shown = jg_stats_volunteer_balance (f->store, v, &error);
      g_assert_no_error (error);
      g_assert_nonnull (shown);
      g_assert_cmpint (json_object_get_int_member (shown, "approved"), ==, steps[i].approved);
      g_assert_cmpint (json_object_get_int_member (shown, "pending"), ==, steps[i].pending);
      g_assert_cmpint (json_object_get_int_member (shown, "reversed"), ==, steps[i].reversed);
      g_assert_cmpint (json_object_get_int_member (shown, "redeemed"), ==, steps[i].redeemed);
      g_assert_cmpint (json_object_get_int_member (shown, "pending_redemptions"), ==, steps[i].pending_redemptions);
      g_assert_cmpint (json_object_get_int_member (shown, "available"), ==, steps[i].available);
      g_assert_cmpint (json_object_get_int_member (shown, "lifetime_approved_minutes"), ==,
                       steps[i].approved - steps[i].reversed);
    }

  /* 540 approved minutes are 9 hours, below the first star's 100. */
  {
    g_autoptr(JsonObject) shown = jg_stats_volunteer_balance (f->store, v, NULL);

    g_assert_cmpfloat (json_object_get_double_member (shown, "lifetime_approved_hours"), ==, 9.0);
    g_assert_cmpint (json_object_get_int_member (shown, "star_level"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (shown, "name"), ==, "李梅");
  }
}

static void
test_balance_unknown_volunteer (JgTestFixture *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) shown = jg_stats_volunteer_balance (f->store, "01890a5d-ac96-774b-bcce-b302099a8057", &error);

  g_assert_null (shown);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
}

static void
test_star_level (void)
{
  g_assert_cmpuint (jg_ledger_star_level (0), ==, 0);
  g_assert_cmpuint (jg_ledger_star_level (100 * 60 - 1), ==, 0);
  g_assert_cmpuint (jg_ledger_star_level (100 * 60), ==, 1);
  g_assert_cmpuint (jg_ledger_star_level (300 * 60), ==, 2);
  g_assert_cmpuint (jg_ledger_star_level (999 * 60), ==, 3);
  g_assert_cmpuint (jg_ledger_star_level (1499 * 60), ==, 4);
  g_assert_cmpuint (jg_ledger_star_level (5000 * 60), ==, 5);
}

static void
test_star_level_configured (void)
{
  g_autoptr(JgConfig) saved = g_object_ref (jg_config_get_default ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JgConfig) config = jg_config_new_from_data ("{\"time_bank\":{\"star_hours\":[10,20,30,40,50]}}",
                                                        -1, &error);

  g_assert_no_error (error);
  jg_config_set_default (config);
  g_assert_cmpuint (jg_ledger_star_level (25 * 60), ==, 2);
  g_assert_cmpuint (jg_ledger_star_level (50 * 60), ==, 5);
  jg_config_set_default (saved);
}

static gboolean
has_flag (JsonArray  *flags,
          const char *flag)
{
  for (guint i = 0; i < json_array_get_length (flags); i++)
    if (g_strcmp0 (json_array_get_string_element (flags, i), flag) == 0)
      return TRUE;
  return FALSE;
}

static JsonArray *
flags_of (JgTestFixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonArray *flags = jg_ledger_flags (f->store, id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (flags);
  return flags;
}

static void
test_flags_clean (JgTestFixture       *f,
                  gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_entry (f, v, 60, "2024-03-08T11:30");
  g_autoptr(JsonArray) flags = flags_of (f, b);

  /* Back to back is not an overlap. */
  g_assert_cmpuint (json_array_get_length (flags), ==, 0);
}

static void
test_flags_overlap (JgTestFixture       *f,
                    gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *w = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *b = add_entry (f, v, 60, "2024-03-08T11:00");
  g_autofree char *c = add_entry (f, w, 60, "2024-03-08T10:00");
  g_autoptr(JsonArray) fa = flags_of (f, a);
  g_autoptr(JsonArray) fb = flags_of (f, b);
  g_autoptr(JsonArray) fc = flags_of (f, c);

  g_assert_true (has_flag (fa, JG_LEDGER_FLAG_OVERLAP));
  g_assert_true (has_flag (fb, JG_LEDGER_FLAG_OVERLAP));
  /* Another volunteer at the same time is no overlap. */
  g_assert_false (has_flag (fc, JG_LEDGER_FLAG_OVERLAP));
}

static void
test_flags_overlap_across_midnight (JgTestFixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 180, "2024-03-07T23:00");
  g_autofree char *b = add_entry (f, v, 60, "2024-03-08T01:00");
  g_autoptr(JsonArray) fb = flags_of (f, b);

  g_assert_true (has_flag (fb, JG_LEDGER_FLAG_OVERLAP));
  g_assert_false (has_flag (fb, JG_LEDGER_FLAG_DAILY_CAP));
}

/* An entry with a date and no time (the form writes it as the day's
 * midnight) is on the day, not at a time: two of them on one day are the
 * morning's and the afternoon's, not an overlap (village-gui.md item 3);
 * they still make the day's total, and timed entries still overlap. */
static void
test_flags_date_only_no_overlap (JgTestFixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 120, "2024-03-08T00:00");
  g_autofree char *b = add_entry (f, v, 120, "2024-03-08T00:00");
  g_autofree char *c = add_entry (f, v, 60, "2024-03-08T09:00");
  g_autoptr(JsonArray) fa = flags_of (f, a);
  g_autoptr(JsonArray) fb = flags_of (f, b);
  g_autoptr(JsonArray) fc = flags_of (f, c);
  g_autofree char *d = add_entry (f, v, 200, "2024-03-08T00:00");
  g_autoptr(JsonArray) fd = flags_of (f, d);
  g_autofree char *e = add_entry (f, v, 30, "2024-03-08T09:30");
  g_autoptr(JsonArray) fe = flags_of (f, e);

  g_assert_false (has_flag (fa, JG_LEDGER_FLAG_OVERLAP));
  g_assert_false (has_flag (fb, JG_LEDGER_FLAG_OVERLAP));
  /* A timed entry does not overlap an untimed one of its day either. */
  g_assert_false (has_flag (fc, JG_LEDGER_FLAG_OVERLAP));
  g_assert_cmpuint (json_array_get_length (fc), ==, 0);
  /* 120 + 120 + 60 + 200 min = 8 h 20 min that day. */
  g_assert_true (has_flag (fd, JG_LEDGER_FLAG_DAILY_CAP));
  g_assert_false (has_flag (fd, JG_LEDGER_FLAG_OVERLAP));
  g_assert_true (has_flag (fe, JG_LEDGER_FLAG_OVERLAP));
}

static void
test_flags_daily_cap (JgTestFixture       *f,
                      gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 240, "2024-03-08T08:00");
  g_autofree char *b = add_entry (f, v, 240, "2024-03-08T13:00");
  g_autoptr(JsonArray) at_cap = flags_of (f, b);
  g_autofree char *c = add_entry (f, v, 30, "2024-03-08T19:00");
  g_autoptr(JsonArray) over = flags_of (f, c);
  g_autofree char *d = add_entry (f, v, 30, "2024-03-09T19:00");
  g_autoptr(JsonArray) next_day = flags_of (f, d);

  g_assert_false (has_flag (at_cap, JG_LEDGER_FLAG_DAILY_CAP));
  g_assert_true (has_flag (over, JG_LEDGER_FLAG_DAILY_CAP));
  g_assert_false (has_flag (over, JG_LEDGER_FLAG_OVERLAP));
  g_assert_false (has_flag (next_day, JG_LEDGER_FLAG_DAILY_CAP));
}

static void
test_flags_reversed_entries_ignored (JgTestFixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *extra = g_strdup_printf ("\"reverses\":\"%s\",\"reason\":\"时间录错\"", a);
  g_autofree char *json = entry_json (v, 120, "2024-03-08T09:30", extra);
  g_autofree char *rev = jg_test_put_ok (f, "service_entry", json);
  g_autofree char *b = add_entry (f, v, 120, "2024-03-08T10:00");
  g_autoptr(JsonArray) pending = flags_of (f, b);
  g_autoptr(JsonArray) fb = NULL;

  /* The entry stands until its reversal is approved (the rule of the
   * balance); it was left out at once before reversals needed approval. */
  g_assert_true (has_flag (pending, JG_LEDGER_FLAG_OVERLAP));
  submit (f, "service_entry", rev);
  approve (f, "service_entry", rev);
  fb = flags_of (f, b);
  g_assert_false (has_flag (fb, JG_LEDGER_FLAG_OVERLAP));
}

static void
test_flags_self_approved (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = NULL;
  g_autofree char *b = add_approved_entry (f, v, 60, "2024-03-09T09:30");
  g_autofree char *json = NULL;
  g_autoptr(JsonArray) fa = NULL;
  g_autoptr(JsonArray) fb = flags_of (f, b);

  /* A township worker records and approves the same entry. */
  jg_test_set_actor (f, "town", "township_staff", "331082004");
  a = add_entry (f, v, 120, "2024-03-08T09:30");
  json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", a);
  g_free (jg_test_put_ok (f, "service_entry", json));
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");

  fa = flags_of (f, a);
  g_assert_true (has_flag (fa, JG_LEDGER_FLAG_SELF_APPROVED));
  g_assert_false (has_flag (fb, JG_LEDGER_FLAG_SELF_APPROVED));
}

static void
test_flags_of_unsaved_record (JgTestFixture       *f,
                              gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 120, "2024-03-08T09:30");
  g_autofree char *json = entry_json (v, 400, "2024-03-08T10:00", "\"review_state\":\"approved\",\"recorded_by\":\"village1\"");
  g_autoptr(JsonObject) record = jg_test_parse_object (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) flags = jg_ledger_flags (f->store, NULL, record, &error);

  /* A form asks before saving; the approver would be this store's user. */
  g_assert_no_error (error);
  g_assert_true (has_flag (flags, JG_LEDGER_FLAG_OVERLAP));
  g_assert_true (has_flag (flags, JG_LEDGER_FLAG_DAILY_CAP));
  g_assert_true (has_flag (flags, JG_LEDGER_FLAG_SELF_APPROVED));
}

static JsonObject *
flag_of (JsonArray  *details,
         const char *code)
{
  for (guint i = 0; i < json_array_get_length (details); i++)
    {
      JsonObject *flag = json_array_get_object_element (details, i);

      if (g_strcmp0 (json_object_get_string_member (flag, "code"), code) == 0)
        return flag;
    }
  return NULL;
}

static JsonArray *
details_of (JgTestFixture *f,
            const char    *id)
{
  g_autoptr(GError) error = NULL;
  JsonArray *details = jg_ledger_flag_details (f->store, id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (details);
  return details;
}

static void
test_flag_details (JgTestFixture *f,
                   gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 200, "2024-03-08T09:00");
  g_autofree char *b = add_entry (f, v, 200, "2024-03-08T09:00");
  g_autofree char *c = add_entry (f, v, 200, "2024-03-08T09:00");
  g_autofree char *d = add_entry (f, v, 60, "2024-03-09T09:00");
  g_autoptr(JsonArray) fa = details_of (f, a);
  g_autoptr(JsonArray) fd = details_of (f, d);
  JsonObject *overlap = flag_of (fa, JG_LEDGER_FLAG_OVERLAP);
  JsonObject *cap = flag_of (fa, JG_LEDGER_FLAG_DAILY_CAP);
  JsonArray *entries;

  g_assert_cmpuint (json_array_get_length (fd), ==, 0);

  /* Which entries it overlaps, for the reviewer to open. */
  g_assert_nonnull (overlap);
  entries = json_object_get_array_member (overlap, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *other = json_object_get_string_member (json_array_get_object_element (entries, i), "id");

      g_assert_true (g_strcmp0 (other, b) == 0 || g_strcmp0 (other, c) == 0);
    }
  g_assert_nonnull (strstr (json_object_get_string_member (overlap, "message"), "2024-03-08 09:00"));

  /* 10 h on the day against the configured 8 h. */
  g_assert_nonnull (cap);
  g_assert_cmpstr (json_object_get_string_member (cap, "day"), ==, "2024-03-08");
  g_assert_cmpint (json_object_get_int_member (cap, "day_minutes"), ==, 600);
  g_assert_cmpint (json_object_get_int_member (cap, "cap_minutes"), ==, 480);
  g_assert_nonnull (strstr (json_object_get_string_member (cap, "message"), "10 h"));
  g_assert_nonnull (strstr (json_object_get_string_member (cap, "message"), "8 h"));
  g_assert_null (flag_of (fa, JG_LEDGER_FLAG_SELF_APPROVED));
}

static void
test_flags_daily_cap_configured (JgTestFixture *f,
                                 gconstpointer  data)
{
  g_autoptr(JgConfig) saved = g_object_ref (jg_config_get_default ());
  g_autoptr(JgConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v = add_volunteer (f);
  g_autofree char *a = add_entry (f, v, 200, "2024-03-08T08:00");
  g_autofree char *b = add_entry (f, v, 200, "2024-03-08T13:00");
  g_autoptr(JsonArray) by_default = details_of (f, b);
  g_autoptr(JsonArray) configured = NULL;
  JsonObject *cap;

  g_assert_null (flag_of (by_default, JG_LEDGER_FLAG_DAILY_CAP));

  /* A county that allows 5 h a day. */
  config = jg_config_new_from_data ("{\"time_bank\":{\"daily_cap_minutes\":300}}", -1, &error);
  g_assert_no_error (error);
  jg_config_set_default (config);
  configured = details_of (f, b);
  jg_config_set_default (saved);

  cap = flag_of (configured, JG_LEDGER_FLAG_DAILY_CAP);
  g_assert_nonnull (cap);
  g_assert_cmpint (json_object_get_int_member (cap, "day_minutes"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (cap, "cap_minutes"), ==, 300);
}

static void
test_flags_self_approval_ahead (JgTestFixture *f,
                                gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *mine = NULL;
  g_autofree char *village = add_entry (f, v, 60, "2024-03-09T09:30");
  g_autoptr(JsonArray) as_town = NULL;
  g_autoptr(JsonArray) village_as_town = NULL;
  g_autoptr(JsonArray) as_county = NULL;
  g_autoptr(JsonArray) as_village = NULL;
  JsonObject *flag;

  /* A township reviewer records an entry and submits it: she is about to
   * be asked to approve her own entry. */
  jg_test_set_actor (f, "town", "township_staff", "331082004");
  mine = add_entry (f, v, 120, "2024-03-08T09:30");
  as_town = details_of (f, mine);
  village_as_town = details_of (f, village);
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  as_county = details_of (f, mine);
  jg_test_set_actor (f, "town", "village_staff", "331082004240");
  as_village = details_of (f, mine);
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");

  flag = flag_of (as_town, JG_LEDGER_FLAG_SELF_APPROVED);
  g_assert_nonnull (flag);
  g_assert_cmpstr (json_object_get_string_member (flag, "recorder"), ==, "town");
  g_assert_cmpstr (json_object_get_string_member (flag, "approver"), ==, "town");
  g_assert_nonnull (strstr (json_object_get_string_member (flag, "message"), "town"));
  /* Someone else's entry, another reviewer, or a user who cannot approve. */
  g_assert_null (flag_of (village_as_town, JG_LEDGER_FLAG_SELF_APPROVED));
  g_assert_null (flag_of (as_county, JG_LEDGER_FLAG_SELF_APPROVED));
  g_assert_null (flag_of (as_village, JG_LEDGER_FLAG_SELF_APPROVED));
}

static void
test_flags_local_only_not_self_approval (JgTestFixture *f,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v = NULL;
  g_autofree char *a = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonArray) flags = NULL;

  /* Nobody signed in: the local user records and approves everything. */
  jg_store_set_username (f->store, JG_STORE_LOCAL_USER, &error);
  g_assert_no_error (error);
  jg_store_set_meta (f->store, "role", "", &error);
  g_assert_no_error (error);
  v = add_volunteer (f);
  a = add_entry (f, v, 120, "2024-03-08T09:30");
  json = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", a);
  g_free (jg_test_put_ok (f, "service_entry", json));
  flags = details_of (f, a);
  g_assert_cmpuint (json_array_get_length (flags), ==, 0);
}

static void
test_flags_missing_entry (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) flags = jg_ledger_flags (f->store, "01890a5d-ac96-774b-bcce-b302099a8057", NULL, &error);

  g_assert_null (flags);
  g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/ledger/star-level", test_star_level);
  g_test_add_func ("/jg/ledger/star-level-configured", test_star_level_configured);
  ADD ("/jg/ledger/volunteer-must-exist", test_volunteer_must_exist);
  ADD ("/jg/ledger/recorded-by-filled", test_recorded_by_filled);
  ADD ("/jg/ledger/content-immutable", test_content_immutable);
  ADD ("/jg/ledger/balance-counts-approved", test_balance_counts_approved);
  ADD ("/jg/ledger/balance-acceptance", test_balance_acceptance);
  ADD ("/jg/ledger/balance-unknown-volunteer", test_balance_unknown_volunteer);
  ADD ("/jg/ledger/redemption-insufficient", test_redemption_insufficient);
  ADD ("/jg/ledger/redemption-pending", test_redemption_pending);
  ADD ("/jg/ledger/redemption-starts-pending", test_redemption_starts_pending);
  ADD ("/jg/ledger/family-transfer", test_family_transfer);
  ADD ("/jg/ledger/status-decided-by-reviewer", test_status_decided_by_reviewer);
  ADD ("/jg/ledger/reversal-needs-reason", test_reversal_needs_reason);
  ADD ("/jg/ledger/reversal-target-must-exist", test_reversal_target_must_exist);
  ADD ("/jg/ledger/reversal-must-match", test_reversal_must_match);
  ADD ("/jg/ledger/reversal-subtracts-once", test_reversal_subtracts_once);
  ADD ("/jg/ledger/reversal-of-spent-hours", test_reversal_of_spent_hours);
  ADD ("/jg/ledger/reversal-counts-when-approved", test_reversal_counts_when_approved);
  ADD ("/jg/ledger/reverse-entry", test_reverse_entry);
  ADD ("/jg/ledger/refused-reversal", test_refused_reversal);
  ADD ("/jg/ledger/returned-reversal", test_returned_reversal);
  ADD ("/jg/ledger/two-live-reversals", test_two_live_reversals);
  ADD ("/jg/ledger/volunteer-of-other-unit", test_volunteer_of_other_unit);
  ADD ("/jg/ledger/redemption-approval-decides", test_redemption_approval_decides);
  ADD ("/jg/ledger/flags-clean", test_flags_clean);
  ADD ("/jg/ledger/flags-overlap", test_flags_overlap);
  ADD ("/jg/ledger/flags-overlap-across-midnight", test_flags_overlap_across_midnight);
  ADD ("/jg/ledger/flags-date-only-no-overlap", test_flags_date_only_no_overlap);
  ADD ("/jg/ledger/flags-daily-cap", test_flags_daily_cap);
  ADD ("/jg/ledger/flags-reversed-entries-ignored", test_flags_reversed_entries_ignored);
  ADD ("/jg/ledger/flags-self-approved", test_flags_self_approved);
  ADD ("/jg/ledger/flags-of-unsaved-record", test_flags_of_unsaved_record);
  ADD ("/jg/ledger/flags-missing-entry", test_flags_missing_entry);
  ADD ("/jg/ledger/flag-details", test_flag_details);
  ADD ("/jg/ledger/flags-daily-cap-configured", test_flags_daily_cap_configured);
  ADD ("/jg/ledger/flags-self-approval-ahead", test_flags_self_approval_ahead);
  ADD ("/jg/ledger/flags-local-only", test_flags_local_only_not_self_approval);

  return g_test_run ();
}
