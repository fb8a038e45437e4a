/* test-validate.c: the domain's value rules (jg-validate.h)
 *
 * Every case writes through jg_store_put() on a real store, so the rules
 * are tested where they run; a refusal must leave the change log as it was.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-test-fixture.h"
#include "jg-store-private.h"
#include "jg-validate.h"


#define HOUSEHOLD "\"org_unit\":\"331082004240\",\"head_name\":\"王芳\""
#define VOLUNTEER "\"org_unit\":\"331082004240\",\"name\":\"李梅\",\"gender\":\"female\""
#define ACTIVITY "\"org_unit\":\"331082004240\",\"title\":\"三八节宣讲\",\"category\":\"outreach_talk\",\"start_at\":\"2024-03-08T09:00\""

static void
test_household_valid (JgTestFixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"member_count\":4,\"phone\":\"13812345678\"}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "household", id);

  g_assert_cmpint (json_object_get_int_member (record, "member_count"), ==, 4);
  g_assert_cmpint (jg_store_get_last_seq (f->store), >, 0);
}

static void
test_member_count_range (JgTestFixture       *f,
                         gconstpointer  data)
{
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"member_count\":0}", JG_ERROR_OUT_OF_RANGE, "member_count");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"member_count\":51}", JG_ERROR_OUT_OF_RANGE, "member_count");
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"member_count\":1}"));
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"member_count\":50}"));
}

static void
test_blank_required_text (JgTestFixture       *f,
                          gconstpointer  data)
{
  jg_test_put_refused (f, "household", "{\"org_unit\":\"331082004240\",\"head_name\":\"   \"}",
               JG_ERROR_REQUIRED, "head_name");
  /* The full-width space of Chinese input methods is white space too. */
  jg_test_put_refused (f, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"\u3000\u3000\"}",
               JG_ERROR_REQUIRED, "name");
}

static void
test_phone_mobile (JgTestFixture       *f,
                   gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"13912345678\"}"));
  /* A mobile has 11 digits. */
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"1391234567\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"139123456789\"}", JG_ERROR_INVALID, "phone");
  /* Written in groups, as people often do. */
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"138-1234-5678\"}"));
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"138-1234-567\"}", JG_ERROR_INVALID, "phone");
  /* With the country's code. */
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"+8613812345678\"}"));
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"86-138-1234-5678\"}"));
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"008613812345678\"}"));
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"+86138123456789\"}", JG_ERROR_INVALID, "phone");
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"86123456\"}"));
  /* Shorter than the country's code itself (read past its end before). */
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"86\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"+8\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"008\"}", JG_ERROR_INVALID, "phone");
}

static void
test_phone_landline (JgTestFixture       *f,
                     gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"0576-85123456\"}"));
  g_free (jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"phone\":\"85123456\"}"));
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"123456\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"0576 8512345\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"phone\":\"call me\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"phone\":\"0576--8512345\"}", JG_ERROR_INVALID, "phone");
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"057685123456\"}"));
  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"phone\":\"010-12345678\"}"));
  /* Eleven digits that are neither a mobile nor a number with its area
   * code (exploratory test C), and a local number too long to be one. */
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"99999999999\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"851234567\"}", JG_ERROR_INVALID, "phone");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"phone\":\"0576-851234567\"}", JG_ERROR_INVALID, "phone");
}

static void
test_consent_fills_time (JgTestFixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"publicity_consent\":true}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "household", id);

  g_assert_cmpstr (json_object_get_string_member (record, "consent_at"), ==, "2024-03-10T04:00:00Z");
}

static void
test_consent_keeps_given_time (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household",
                                "{" HOUSEHOLD ",\"publicity_consent\":true,\"consent_at\":\"2024-03-01T10:00\"}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "household", id);

  g_assert_cmpstr (json_object_get_string_member (record, "consent_at"), ==, "2024-03-01T10:00");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"publicity_consent\":true,\"consent_at\":\"2024-04-01T10:00\"}",
               JG_ERROR_OUT_OF_RANGE, "consent_at");
}

static void
test_activity_dates (JgTestFixture       *f,
                     gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"end_at\":\"2024-03-08T11:30\"}"));
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"end_at\":\"2024-03-08T08:59\"}", JG_ERROR_INVALID, "end_at");
  /* A zone in one of them is honoured: 01:30Z is 09:30 in China. */
  g_free (jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"end_at\":\"2024-03-08T01:30:00Z\"}"));
  jg_test_put_refused (f, "activity", "{\"org_unit\":\"331082004240\",\"title\":\"x\",\"category\":\"training\","
                              "\"start_at\":\"2026-01-01T09:00\"}", JG_ERROR_OUT_OF_RANGE, "start_at");
}

static void
test_activity_participants (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"participants\":80,\"participants_women\":60,"
                                 "\"participants_children\":20,\"beneficiaries\":0}"));
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"participants\":80,\"participants_women\":81}",
               JG_ERROR_INVALID, "participants_women");
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"participants\":10,\"participants_children\":11}",
               JG_ERROR_INVALID, "participants_children");
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"participants\":-1}", JG_ERROR_OUT_OF_RANGE, "participants");
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"beneficiaries\":-5}", JG_ERROR_OUT_OF_RANGE, "beneficiaries");
}

static void
test_activity_participants_edit (JgTestFixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"participants\":80,\"participants_women\":60}");
  g_autofree char *lower = g_strdup_printf ("{\"id\":\"%s\",\"participants\":50}", id);

  /* Lowering the total below a part already recorded is caught too. */
  jg_test_put_refused (f, "activity", lower, JG_ERROR_INVALID, "participants_women");
}

static void
test_activity_funds (JgTestFixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"funds_yuan\":1234.5}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "activity", id);

  g_assert_cmpfloat (json_object_get_double_member (record, "funds_yuan"), ==, 1234.5);
  g_free (jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"funds_yuan\":0.07}"));
  g_free (jg_test_put_ok (f, "activity", "{" ACTIVITY ",\"funds_yuan\":10000000}"));
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"funds_yuan\":12.345}", JG_ERROR_INVALID, "funds_yuan");
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"funds_yuan\":-1}", JG_ERROR_OUT_OF_RANGE, "funds_yuan");
  jg_test_put_refused (f, "activity", "{" ACTIVITY ",\"funds_yuan\":10000000.01}", JG_ERROR_OUT_OF_RANGE, "funds_yuan");
}

static void
test_birth_year (JgTestFixture       *f,
                 gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"birth_year\":1920}"));
  g_free (jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"birth_year\":2024}"));
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"birth_year\":1919}", JG_ERROR_OUT_OF_RANGE, "birth_year");
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"birth_year\":2025}", JG_ERROR_OUT_OF_RANGE, "birth_year");
}

static void
test_id_last4 (JgTestFixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"id_last4\":\"123x\"}");
  g_autoptr(JsonObject) record = jg_test_get_record (f, "volunteer", id);

  g_assert_cmpstr (json_object_get_string_member (record, "id_last4"), ==, "123X");
  g_free (jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"id_last4\":\"0021\"}"));
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"id_last4\":\"12a4\"}", JG_ERROR_INVALID, "id_last4");
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"id_last4\":\"123\"}", JG_ERROR_INVALID, "id_last4");
}

static void
test_id_full_number_refused (JgTestFixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = jg_test_parse_object ("{" VOLUNTEER ",\"id_last4\":\"33108219800308002X\"}");
  g_autofree char *id = NULL;
  gint64 seq = jg_store_get_last_seq (f->store);

  id = jg_store_put (f->store, "volunteer", fields, &error);
  g_assert_null (id);
  g_assert_error (error, JG_ERROR, JG_ERROR_INVALID);
  g_assert_cmpstr (jg_error_get_field (error), ==, "id_last4");
  g_assert_nonnull (strstr (error->message, "last four"));
  g_assert_cmpint (jg_store_get_last_seq (f->store), ==, seq);
}

static void
test_joined_at_future (JgTestFixture       *f,
                       gconstpointer  data)
{
  g_free (jg_test_put_ok (f, "volunteer", "{" VOLUNTEER ",\"joined_at\":\"2024-03-11\"}"));
  jg_test_put_refused (f, "volunteer", "{" VOLUNTEER ",\"joined_at\":\"2024-03-12\"}", JG_ERROR_OUT_OF_RANGE, "joined_at");
}

static char *
add_volunteer (JgTestFixture *f)
{
  return jg_test_put_ok (f, "volunteer", "{" VOLUNTEER "}");
}

static void
test_service_minutes (JgTestFixture       *f,
                      gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *ok = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":1440,"
                                         "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-08T09:30\"}", v);
  g_autofree char *zero = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":0,"
                                           "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-08T09:30\"}", v);
  g_autofree char *day = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":1441,"
                                          "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-08T09:30\"}", v);

  g_free (jg_test_put_ok (f, "service_entry", ok));
  jg_test_put_refused (f, "service_entry", zero, JG_ERROR_OUT_OF_RANGE, "minutes");
  jg_test_put_refused (f, "service_entry", day, JG_ERROR_OUT_OF_RANGE, "minutes");
}

static void
test_served_at_future (JgTestFixture       *f,
                       gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *tomorrow = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":60,"
                                               "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-11T09:30\"}", v);
  g_autofree char *later = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":60,"
                                            "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-12T09:30\"}", v);

  /* Within a day of now (a clock a little slow) is fine; more is a typo. */
  g_free (jg_test_put_ok (f, "service_entry", tomorrow));
  jg_test_put_refused (f, "service_entry", later, JG_ERROR_OUT_OF_RANGE, "served_at");
}

static void
test_store_clock_decides (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *v = add_volunteer (f);
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":60,"
                                           "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-12T09:30\"}", v);

  /* The correction learnt from the server counts: a laptop two days slow
   * still accepts today's work. */
  jg_hlc_set_offset_ms (jg_store_get_hlc (f->store), 2 * DAY_MS);
  g_free (jg_test_put_ok (f, "service_entry", json));
}

static void
test_award_year (JgTestFixture       *f,
                 gconstpointer  data)
{
  jg_test_put_refused (f, "award", "{\"org_unit\":\"331082004240\",\"family_name\":\"张三家庭\","
                           "\"award_type\":\"most_beautiful_family\",\"level\":\"village\",\"year\":1999}",
               JG_ERROR_OUT_OF_RANGE, "year");
  jg_test_put_refused (f, "award", "{\"org_unit\":\"331082004240\",\"family_name\":\"张三家庭\","
                           "\"award_type\":\"most_beautiful_family\",\"level\":\"village\",\"year\":2026}",
               JG_ERROR_OUT_OF_RANGE, "year");
  g_free (jg_test_put_ok (f, "award", "{\"org_unit\":\"331082004240\",\"family_name\":\"张三家庭\","
                              "\"award_type\":\"most_beautiful_family\",\"level\":\"village\",\"year\":2025}"));
}

static void
test_designation_dates (JgTestFixture       *f,
                        gconstpointer  data)
{
  g_autofree char *h = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"household\":\"%s\",\"level\":\"village\","
                                           "\"valid_from\":\"2024-01-01\",\"valid_to\":\"2023-12-31\"}", h);

  jg_test_put_refused (f, "designation", json, JG_ERROR_INVALID, "valid_to");
}

static void
test_inspection_future (JgTestFixture       *f,
                        gconstpointer  data)
{
  g_autofree char *h = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"household\":\"%s\",\"stage\":\"village\","
                                           "\"inspected_at\":\"2024-03-20\"}", h);

  jg_test_put_refused (f, "inspection", json, JG_ERROR_OUT_OF_RANGE, "inspected_at");
}

static void
add_unit (JgTestFixture    *f,
          int         id,
          const char *code,
          const char *level,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO org_unit (id, division_code, code_edition, name, level, path) "
                                          "VALUES (%d, '%s', '2023', 'unit', '%s', '%s')", id, code, level, path);

  jg_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static void
test_org_unit_bare_store (JgTestFixture       *f,
                          gconstpointer  data)
{
  /* No units imported yet: any well-formed code will do. */
  g_free (jg_test_put_ok (f, "household", "{\"org_unit\":\"110101001001\",\"head_name\":\"王芳\"}"));
}

static void
test_org_unit_known (JgTestFixture       *f,
                     gconstpointer  data)
{
  add_unit (f, 1, "331082000000", "county", "331082");
  add_unit (f, 2, "331082004240", "village", "331082/331082004/331082004240");

  g_free (jg_test_put_ok (f, "household", "{" HOUSEHOLD "}"));
  /* The county by its short code. */
  g_free (jg_test_put_ok (f, "household", "{\"org_unit\":\"331082\",\"head_name\":\"王芳\"}"));
  jg_test_put_refused (f, "household", "{\"org_unit\":\"331082004999\",\"head_name\":\"王芳\"}",
               JG_ERROR_NOT_FOUND, "org_unit");
}

static void
test_only_changed_fields (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *edit = NULL;

  id = jg_test_put_ok (f, "household", "{\"org_unit\":\"331082004999\",\"head_name\":\"王芳\"}");
  /* The unit list arrives later and does not have this unit: the record's
   * other fields stay editable. */
  add_unit (f, 1, "331082004240", "village", "331082/331082004/331082004240");
  edit = g_strdup_printf ("{\"id\":\"%s\",\"member_count\":3}", id);
  g_free (jg_test_put_ok (f, "household", edit));
}

static void
test_helpers (void)
{
  g_autoptr(GDateTime) naive = jg_validate_parse_datetime ("2024-03-08T09:30");
  g_autoptr(GDateTime) zoned = jg_validate_parse_datetime ("2024-03-08T01:30:00Z");
  g_autoptr(GDate) date = jg_validate_parse_date ("2024-02-29");
  g_autoptr(GDate) bad = jg_validate_parse_date ("2023-02-29");

  g_assert_nonnull (naive);
  g_assert_nonnull (zoned);
  g_assert_true (g_date_time_equal (naive, zoned));
  g_assert_nonnull (date);
  g_assert_null (bad);
  g_assert_true (jg_validate_text_is_blank (NULL));
  g_assert_true (jg_validate_text_is_blank (" \t\u3000"));
  g_assert_false (jg_validate_text_is_blank (" 王 "));
  g_assert_cmpint (jg_validate_config_int ("time_bank", "daily_cap_minutes", 0), ==, 480);
  g_assert_cmpint (jg_validate_config_int ("time_bank", "no_such_key", 7), ==, 7);
  g_assert_cmpint (jg_validate_config_int ("no_such_section", "x", 9), ==, 9);
  g_assert_true (jg_validate_config_bool ("time_bank", "family_transfer_allowed", FALSE));
}

/* A message names fields by their labels, every quoted one: the field of
 * the error and another a rule compares it with; other quoted text stays. */
static void
test_field_labels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other = NULL;

  jg_set_field_error (&error, JG_ERROR_INVALID, "end_at", "“%s” cannot be before “%s”", "end_at", "start_at");
  g_assert_cmpstr (error->message, ==, "“End” cannot be before “Start”");
  g_assert_cmpstr (jg_error_get_field (error), ==, "end_at");

  jg_set_field_error (&other, JG_ERROR_NOT_FOUND, "org_unit", "“%s” is not a known org unit, “%s", "331082", "participants");
  g_assert_cmpstr (other->message, ==, "“331082” is not a known org unit, “participants");

  /* A value of the wrong type: what it must be, in words. */
  {
    const JgFieldDef *members = jg_entity_field (jg_entity_lookup ("household"), "member_count", NULL);
    g_autoptr(JsonNode) text = jg_json_parse ("\"three\"", -1, NULL);
    g_autoptr(GError) wrong = NULL;

    g_assert_false (jg_field_check_type (members, text, &wrong));
    g_assert_error (wrong, JG_ERROR, JG_ERROR_WRONG_TYPE);
    g_assert_true (g_str_has_suffix (wrong->message, "” must be a whole number"));
    g_assert_null (strstr (wrong->message, "member_count"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/validate/helpers", test_helpers);
  g_test_add_func ("/jg/validate/field-labels", test_field_labels);
  ADD ("/jg/validate/household-valid", test_household_valid);
  ADD ("/jg/validate/member-count-range", test_member_count_range);
  ADD ("/jg/validate/blank-required-text", test_blank_required_text);
  ADD ("/jg/validate/phone-mobile", test_phone_mobile);
  ADD ("/jg/validate/phone-landline", test_phone_landline);
  ADD ("/jg/validate/consent-fills-time", test_consent_fills_time);
  ADD ("/jg/validate/consent-keeps-given-time", test_consent_keeps_given_time);
  ADD ("/jg/validate/activity-dates", test_activity_dates);
  ADD ("/jg/validate/activity-participants", test_activity_participants);
  ADD ("/jg/validate/activity-participants-edit", test_activity_participants_edit);
  ADD ("/jg/validate/activity-funds", test_activity_funds);
  ADD ("/jg/validate/birth-year", test_birth_year);
  ADD ("/jg/validate/id-last4", test_id_last4);
  ADD ("/jg/validate/id-full-number-refused", test_id_full_number_refused);
  ADD ("/jg/validate/joined-at-future", test_joined_at_future);
  ADD ("/jg/validate/service-minutes", test_service_minutes);
  ADD ("/jg/validate/served-at-future", test_served_at_future);
  ADD ("/jg/validate/store-clock-decides", test_store_clock_decides);
  ADD ("/jg/validate/award-year", test_award_year);
  ADD ("/jg/validate/designation-dates", test_designation_dates);
  ADD ("/jg/validate/inspection-future", test_inspection_future);
  ADD ("/jg/validate/org-unit-bare-store", test_org_unit_bare_store);
  ADD ("/jg/validate/org-unit-known", test_org_unit_known);
  ADD ("/jg/validate/only-changed-fields", test_only_changed_fields);

  return g_test_run ();
}
