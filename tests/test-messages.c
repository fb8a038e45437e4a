/* test-messages.c: what a Chinese user reads
 *
 * Runs in zh_CN with the build tree's translations (JINGUO_LOCALEDIR from
 * tests/meson.build): every message that names a review state, a level, a
 * record type or the rubric shows its label, never the code.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "jg-award.h"
#include "jg-error.h"
#include "jg-ledger.h"
#include "jg-review.h"
#include "jg-rubric.h"
#include "jg-test-fixture.h"

/* @error's message contains @label and none of @codes. */
static void
assert_labelled (GError             *error,
                 const char         *label,
                 const char * const *codes)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, label));
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    g_assert_null (strstr (error->message, codes[i]));
}

/* A server's refusal, told in the reader's language from its code: the
 * field by its label, never the code or the field's name. */
static void
test_refusal_reason (void)
{
  static const char * const codes[] = { "permission_denied", "immutable", "out_of_scope", "head_name", "minutes", NULL };
  static const struct { const char *code, *field, *expect; } cases[] = {
    { "permission_denied", "head_name", "户主" },
    { "immutable", "minutes", "分钟" },
    { "out_of_scope", "org_unit", "辖区" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason = jg_error_reason (cases[i].code, cases[i].field);

      g_assert_nonnull (reason);
      g_test_message ("%s", reason);
      g_assert_nonnull (strstr (reason, cases[i].expect));
      for (guint k = 0; codes[k] != NULL; k++)
        g_assert_null (strstr (reason, codes[k]));
    }
  g_assert_null (jg_error_reason ("some_future_code", "head_name"));
}

static void
test_review_state (void)
{
  static const char * const codes[] = { "returned", "approved", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_review_can_transition_local ("/1/2/", "/1/2/3/", "returned", "approved", &error));
  assert_labelled (error, "“已退回”", codes);
  assert_labelled (error, "“已通过”", codes);
}

static void
test_award_state (void)
{
  static const char * const codes[] = { "awarded", "public_notice", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_award_can_transition ("awarded", "public_notice", &error));
  assert_labelled (error, "“已表彰”", codes);
}

static void
test_redemption_status (void)
{
  static const char * const codes[] = { "accepted", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_ledger_check_status_step ("accepted", "rejected", &error));
  assert_labelled (error, "已批准", codes);
}

static void
test_level (void)
{
  static const char * const codes[] = { "township", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_rubric_check_granter ("township", "village_staff", "331082004240", &error));
  assert_labelled (error, "乡镇（街道）级", codes);
}

/* Township staff settle redemptions too (DOMAIN.md); the refusal says so. */
static void
test_redemption_decider (void)
{
  static const char * const codes[] = { NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_ledger_check_decider ("township_staff", NULL));
  g_assert_true (jg_ledger_check_decider ("county_reviewer", NULL));
  g_assert_false (jg_ledger_check_decider ("village_staff", &error));
  assert_labelled (error, "乡镇", codes);
}

static void
test_entity (JgTestFixture *f,
             gconstpointer  data)
{
  static const char * const codes[] = { "volunteer", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = jg_store_get (f->store, "volunteer", "01890a5d-ac96-774b-bcce-b302099a8057",
                                               &error);

  g_assert_null (record);
  assert_labelled (error, "志愿者", codes);
}

static void
test_rubric_name (void)
{
  static const char * const codes[] = { "four-beauty", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRubric) rubric = jg_rubric_lookup (NULL, 1, &error);
  g_autoptr(JsonObject) scores = jg_test_parse_object ("{\"Z1\":1}");
  double total;

  g_assert_no_error (error);
  g_assert_false (jg_rubric_score (rubric, scores, NULL, &total, NULL, NULL, NULL, &error));
  assert_labelled (error, "美丽庭院“四美”评分标准", codes);

  g_clear_error (&error);
  g_assert_null (jg_rubric_lookup (NULL, 99, &error));
  assert_labelled (error, "美丽庭院“四美”评分标准", codes);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  jg_common_init ();

  g_test_add_func ("/jg/messages/review-state", test_review_state);
  g_test_add_func ("/jg/messages/refusal-reason", test_refusal_reason);
  g_test_add_func ("/jg/messages/award-state", test_award_state);
  g_test_add_func ("/jg/messages/redemption-status", test_redemption_status);
  g_test_add_func ("/jg/messages/level", test_level);
  g_test_add_func ("/jg/messages/redemption-decider", test_redemption_decider);
  ADD ("/jg/messages/entity", test_entity);
  g_test_add_func ("/jg/messages/rubric-name", test_rubric_name);
  return g_test_run ();
}
