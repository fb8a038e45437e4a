/* test-review.c: review states and who may move a record (jg-review.h)
 *
 * The workflow is tested twice: as the pure rule the server shares
 * (jg_review_can_transition) and through jg_store_put() with the store's
 * user as the actor.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"
#include "jg-test-fixture.h"
#include "jg-review.h"
#include "jg-store-private.h"


#define HOUSEHOLD "\"org_unit\":\"331082004240\",\"head_name\":\"王芳\",\"member_count\":4"

static char *
state_of (JgTestFixture    *f,
          const char *entity,
          const char *id)
{
  g_autoptr(JsonObject) record = jg_test_get_record (f, entity, id);

  return g_strdup (json_object_get_string_member (record, "review_state"));
}

static void
put_id (JgTestFixture    *f,
        const char *id,
        const char *members)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",%s}", id, members);

  g_free (jg_test_put_ok (f, "household", json));
}

static void
refuse_id (JgTestFixture     *f,
           const char  *id,
           const char  *members,
           JgErrorCode  code,
           const char  *field)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",%s}", id, members);

  jg_test_put_refused (f, "household", json, code, field);
}

/* A household submitted by village staff. */
static char *
submitted_household (JgTestFixture *f)
{
  return jg_test_put_ok (f, "household", "{" HOUSEHOLD ",\"review_state\":\"submitted\"}");
}

static void
test_new_starts_draft (JgTestFixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");
  g_autofree char *state = state_of (f, "household", id);

  g_assert_cmpstr (state, ==, "draft");
}

static void
test_new_submitted_on_request (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = state_of (f, "household", id);

  g_assert_cmpstr (state, ==, "submitted");
}

static void
test_new_cannot_start_approved (JgTestFixture       *f,
                                gconstpointer  data)
{
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"review_state\":\"approved\"}",
               JG_ERROR_TRANSITION, "review_state");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"review_state\":\"returned\"}",
               JG_ERROR_TRANSITION, "review_state");
}

static void
test_village_staff_submit (JgTestFixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");
  g_autofree char *state = NULL;

  put_id (f, id, "\"review_state\":\"submitted\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "submitted");
  /* Withdrawn before review. */
  put_id (f, id, "\"review_state\":\"draft\"");
}

static void
test_village_staff_cannot_approve (JgTestFixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);

  /* Signed in as village staff: the server's rule, even on its own village. */
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  refuse_id (f, id, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
  refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"x\"", JG_ERROR_PERMISSION, "review_state");
}

/* ---- a local-only store: one local user with every right ------------- */

static void add_unit (JgTestFixture *f,
                      int            id,
                      const char    *code,
                      const char    *level,
                      const char    *path);

static void
test_local_only_approves (JgTestFixture *f,
                          gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *other = submitted_household (f);
  g_autofree char *draft = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");
  g_autofree char *state = NULL;
  g_autofree char *other_state = NULL;

  /* No role and no unit in the store: nobody has signed in. */
  put_id (f, id, "\"review_state\":\"approved\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "approved");
  /* The workflow's steps and the note rule still hold. */
  refuse_id (f, other, "\"review_state\":\"returned\"", JG_ERROR_REQUIRED, "review_note");
  put_id (f, other, "\"review_state\":\"returned\",\"review_note\":\"门牌号有误\"");
  other_state = state_of (f, "household", other);
  g_assert_cmpstr (other_state, ==, "returned");
  refuse_id (f, draft, "\"review_state\":\"approved\"", JG_ERROR_TRANSITION, "review_state");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"review_state\":\"approved\"}",
                       JG_ERROR_TRANSITION, "review_state");
  /* An approval taken back by the same user. */
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"再核实\"");
}

static void
test_local_only_own_subtree (JgTestFixture *f,
                             gconstpointer  data)
{
  const struct
  {
    const char *actor_unit;   /* the store's org_unit meta */
    const char *record_unit;
    int         code;         /* -1: allowed */
  } cases[] = {
    { "331082004240", "331082004240", -1 },                  /* its own village */
    { "331082004240", "331082004241", JG_ERROR_PERMISSION }, /* the next village */
    { "331082004000", "331082004240", -1 },                  /* a village of its township */
    { "331082004", "331082004", -1 },                        /* the township itself */
    { "331082004", "331082005201", JG_ERROR_PERMISSION },    /* another township's village */
    { "331082000000", "331082005201", -1 },                  /* the county: all of it */
    { "331082004240", "331082004", JG_ERROR_PERMISSION },    /* the unit above */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"%s\",\"head_name\":\"王芳\","
                                               "\"review_state\":\"submitted\"}", cases[i].record_unit);
      g_autofree char *id = NULL;
      g_autofree char *state = NULL;
      g_auto(JgActor) actor = { 0 };
      g_autoptr(GError) error = NULL;

      jg_store_set_meta (f->store, "org_unit", "", &error);
      g_assert_no_error (error);
      id = jg_test_put_ok (f, "household", json);
      jg_test_set_actor (f, "village1", NULL, cases[i].actor_unit);
      g_assert_true (jg_review_get_actor (f->store, &actor, &error));
      g_assert_no_error (error);
      g_assert_true (actor.local_only);

      if (cases[i].code < 0)
        {
          put_id (f, id, "\"review_state\":\"approved\"");
          state = state_of (f, "household", id);
          g_assert_cmpstr (state, ==, "approved");
        }
      else
        {
          refuse_id (f, id, "\"review_state\":\"approved\"", cases[i].code, "review_state");
          refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"x\"",
                     cases[i].code, "review_state");
          /* Submitting is not a review: it stays open to the local user. */
          put_id (f, id, "\"review_state\":\"draft\"");
        }
    }
}

static void
test_local_only_units_from_table (JgTestFixture *f,
                                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;

  add_unit (f, 1, "331082000000", "county", "/1/");
  add_unit (f, 2, "331082004000", "township", "/1/2/");
  add_unit (f, 3, "331082004240", "village", "/1/2/3/");
  add_unit (f, 12, "331082004241", "village", "/12/");
  id = submitted_household (f);
  other = jg_test_put_ok (f, "household", "{\"org_unit\":\"331082004241\",\"head_name\":\"赵敏\",\"review_state\":\"submitted\"}");

  /* The table's paths decide, not the codes. */
  jg_test_set_actor (f, "village1", NULL, "331082004000");
  put_id (f, id, "\"review_state\":\"approved\"");
  refuse_id (f, other, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
}

static void
test_local_only_ledger_approval (JgTestFixture *f,
                                 gconstpointer  data)
{
  g_autofree char *v = jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"李梅\",\"gender\":\"female\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":120,"
                                           "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-08T09:30\","
                                           "\"review_state\":\"submitted\"}", v);
  g_autofree char *entry = jg_test_put_ok (f, "service_entry", json);
  g_autofree char *approve = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", entry);
  g_autofree char *take_back = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\",\"review_note\":\"x\"}", entry);

  jg_test_set_actor (f, "village1", NULL, "331082004240");
  g_free (jg_test_put_ok (f, "service_entry", approve));
  /* Every right, but an approved ledger entry is still final. */
  jg_test_put_refused (f, "service_entry", take_back, JG_ERROR_TRANSITION, "review_state");
}

static void
test_county_reviewer_approves (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"approved\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "approved");
}

static void
test_township_staff_approves_below (JgTestFixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *other = submitted_household (f);

  jg_test_set_actor (f, "town", "township_staff", "331082004");
  put_id (f, id, "\"review_state\":\"approved\"");
  /* Another township's staff may not. */
  jg_test_set_actor (f, "town2", "township_staff", "331082005");
  refuse_id (f, other, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
}

static void
test_reviewer_of_same_unit_refused (JgTestFixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082004240");
  refuse_id (f, id, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
  /* A reviewer without a unit is above nothing. */
  jg_store_set_meta (f->store, "org_unit", "", NULL);
  refuse_id (f, id, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
}

static void
test_draft_cannot_be_approved (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  refuse_id (f, id, "\"review_state\":\"approved\"", JG_ERROR_TRANSITION, "review_state");
}

static void
test_return_needs_note (JgTestFixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  refuse_id (f, id, "\"review_state\":\"returned\"", JG_ERROR_REQUIRED, "review_note");
  refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"  \"", JG_ERROR_REQUIRED, "review_note");
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"户主姓名有误\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "returned");
}

/* The note is the reviewer's: village staff may not write it, not even
 * with a step of their own, and nobody writes it without a decision. */
static void
test_note_is_the_reviewers (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *draft = jg_test_put_ok (f, "household", "{" HOUSEHOLD "}");

  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  refuse_id (f, id, "\"review_note\":\"自己批准\"", JG_ERROR_PERMISSION, "review_note");
  refuse_id (f, draft, "\"review_state\":\"submitted\",\"review_note\":\"自己批准\"",
             JG_ERROR_PERMISSION, "review_note");
  jg_test_put_refused (f, "household", "{" HOUSEHOLD ",\"review_note\":\"x\"}",
                       JG_ERROR_PERMISSION, "review_note");

  /* A reviewer writes it with a decision, not on a record still waiting. */
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  refuse_id (f, id, "\"review_note\":\"看过了\"", JG_ERROR_PERMISSION, "review_note");
  /* A reviewer of another county may not write it on an approved record. */
  put_id (f, id, "\"review_state\":\"approved\",\"review_note\":\"已核实\"");
  jg_test_set_actor (f, "reviewer2", "county_reviewer", "331083");
  refuse_id (f, id, "\"review_note\":\"x\"", JG_ERROR_PERMISSION, "review_note");
}

/* A return says what needs to change now: the note of an earlier round
 * (or one somebody else left) does not count, nor does a blank one.  A
 * resubmission clears the answered note, so that the next return may say
 * the same words again when the same thing still needs to change. */
static void
test_return_needs_new_note (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"请补充电话\"");
  /* Returned again: a blank note does not replace the one there. */
  refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"\"", JG_ERROR_REQUIRED, "review_note");
  refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":null", JG_ERROR_REQUIRED, "review_note");
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  put_id (f, id, "\"review_state\":\"submitted\"");
  {
    g_autoptr(JsonObject) r = jg_test_get_record (f, "household", id);

    g_assert_true (json_object_get_null_member (r, "review_note"));
  }
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  refuse_id (f, id, "\"review_state\":\"returned\"", JG_ERROR_REQUIRED, "review_note");
  refuse_id (f, id, "\"review_state\":\"returned\",\"review_note\":\" \"", JG_ERROR_REQUIRED, "review_note");
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"请补充电话\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "returned");

  /* Submitted and returned once more, in other words. */
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  put_id (f, id, "\"review_state\":\"submitted\"");
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"电话号码有误\"");
  g_free (state);
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "returned");

  /* Village staff still never write a note of their own. */
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  refuse_id (f, id, "\"review_state\":\"submitted\",\"review_note\":\"已补充\"", JG_ERROR_PERMISSION, "review_note");
}

static void
test_returned_submitted_again (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"returned\",\"review_note\":\"请补充电话\"");
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  put_id (f, id, "\"phone\":\"13812345678\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "returned");
  put_id (f, id, "\"review_state\":\"submitted\"");
  g_free (state);
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "submitted");
}

static void
test_edit_reopens_approved (JgTestFixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"approved\"");
  jg_test_set_actor (f, "village1", "village_staff", "331082004240");
  put_id (f, id, "\"member_count\":5");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "submitted");
}

static void
test_note_keeps_approved (JgTestFixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_autofree char *state = NULL;

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  put_id (f, id, "\"review_state\":\"approved\"");
  /* The note is the review's own field, not content. */
  put_id (f, id, "\"review_note\":\"已核实\"");
  state = state_of (f, "household", id);
  g_assert_cmpstr (state, ==, "approved");
}

static void
test_unknown_role_is_village_staff (JgTestFixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *id = submitted_household (f);
  g_auto(JgActor) actor = { 0 };
  g_autoptr(GError) error = NULL;

  jg_test_set_actor (f, "someone", "superuser", "331082");
  jg_review_get_actor (f->store, &actor, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actor.role, ==, "village_staff");
  refuse_id (f, id, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
}

static void
test_get_actor (JgTestFixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JgActor actor;

  g_assert_true (jg_review_get_actor (f->store, &actor, &error));
  g_assert_no_error (error);
  g_assert_true (actor.local_only);
  g_assert_cmpstr (actor.role, ==, "village_staff");
  g_assert_cmpstr (actor.username, ==, "village1");
  g_assert_null (actor.org_unit);
  jg_actor_clear (&actor);

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082000000");
  g_assert_true (jg_review_get_actor (f->store, &actor, &error));
  g_assert_false (actor.local_only);
  g_assert_cmpstr (actor.role, ==, "county_reviewer");
  g_assert_cmpstr (actor.org_unit, ==, "331082000000");
  g_assert_cmpstr (actor.unit_path, ==, "331082");
  jg_actor_clear (&actor);
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
test_units_from_table (JgTestFixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;

  /* Paths of ids: the codes say nothing, the paths say everything. */
  add_unit (f, 1, "331082000000", "county", "/1/");
  add_unit (f, 2, "331082004000", "township", "/1/2/");
  add_unit (f, 3, "331082004240", "village", "/1/2/3/");
  add_unit (f, 12, "331082004241", "village", "/12/");
  id = submitted_household (f);
  other = jg_test_put_ok (f, "household", "{\"org_unit\":\"331082004241\",\"head_name\":\"赵敏\",\"review_state\":\"submitted\"}");

  jg_test_set_actor (f, "town", "township_staff", "331082004000");
  put_id (f, id, "\"review_state\":\"approved\"");
  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  refuse_id (f, other, "\"review_state\":\"approved\"", JG_ERROR_PERMISSION, "review_state");
}

static void
test_ledger_approval_is_final (JgTestFixture       *f,
                               gconstpointer  data)
{
  g_autofree char *v = jg_test_put_ok (f, "volunteer", "{\"org_unit\":\"331082004240\",\"name\":\"李梅\",\"gender\":\"female\"}");
  g_autofree char *json = g_strdup_printf ("{\"org_unit\":\"331082004240\",\"volunteer\":\"%s\",\"minutes\":120,"
                                           "\"service_type\":\"care_visit\",\"served_at\":\"2024-03-08T09:30\","
                                           "\"review_state\":\"submitted\"}", v);
  g_autofree char *entry = jg_test_put_ok (f, "service_entry", json);
  g_autofree char *approve = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"approved\"}", entry);
  g_autofree char *take_back = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"returned\",\"review_note\":\"x\"}", entry);

  jg_test_set_actor (f, "reviewer", "county_reviewer", "331082");
  g_free (jg_test_put_ok (f, "service_entry", approve));
  jg_test_put_refused (f, "service_entry", take_back, JG_ERROR_TRANSITION, "review_state");
}

/* ---- the pure rule --------------------------------------------------- */

static void
assert_transition (const char  *role,
                   const char  *actor_path,
                   const char  *record_path,
                   const char  *from,
                   const char  *to,
                   int          code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = jg_review_can_transition (role, actor_path, record_path, from, to, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, JG_ERROR, code);
  g_assert_cmpstr (jg_error_get_field (error), ==, "review_state");
}

static void
test_can_transition_steps (void)
{
  const char *v = "331082004240";

  assert_transition ("village_staff", v, v, NULL, "draft", -1);
  assert_transition ("village_staff", v, v, NULL, "submitted", -1);
  assert_transition ("village_staff", v, v, "draft", "submitted", -1);
  assert_transition ("village_staff", v, v, "returned", "submitted", -1);
  assert_transition ("village_staff", v, v, "approved", "submitted", -1);
  assert_transition ("village_staff", v, v, "draft", "draft", -1);
  assert_transition ("county_reviewer", "331082", v, NULL, "approved", JG_ERROR_TRANSITION);
  assert_transition ("county_reviewer", "331082", v, "draft", "returned", JG_ERROR_TRANSITION);
  assert_transition ("village_staff", v, v, "draft", "bogus", JG_ERROR_NOT_ALLOWED_VALUE);
}

static void
test_can_transition_roles (void)
{
  const char *v = "331082004240";

  assert_transition ("county_reviewer", "331082", v, "submitted", "approved", -1);
  assert_transition ("county_admin", "331082", v, "submitted", "returned", -1);
  assert_transition ("township_staff", "331082004", v, "approved", "returned", -1);
  assert_transition ("village_staff", "331082", v, "submitted", "approved", JG_ERROR_PERMISSION);
  assert_transition (NULL, "331082", v, "submitted", "approved", JG_ERROR_PERMISSION);
  assert_transition ("county_reviewer", v, v, "submitted", "approved", JG_ERROR_PERMISSION);
  assert_transition ("county_reviewer", NULL, v, "submitted", "approved", JG_ERROR_PERMISSION);
  assert_transition ("county_reviewer", "331083", v, "submitted", "approved", JG_ERROR_PERMISSION);
}

static void
assert_local (const char *actor_path,
              const char *record_path,
              const char *from,
              const char *to,
              int         code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = jg_review_can_transition_local (actor_path, record_path, from, to, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }
  g_assert_false (ok);
  g_assert_error (error, JG_ERROR, code);
  g_assert_cmpstr (jg_error_get_field (error), ==, "review_state");
}

static void
test_can_transition_local (void)
{
  const char *v = "331082004240";

  assert_local (v, v, "submitted", "approved", -1);
  assert_local (v, v, "submitted", "returned", -1);
  assert_local (v, v, "approved", "returned", -1);
  assert_local ("331082004", v, "submitted", "approved", -1);
  assert_local (NULL, v, "submitted", "approved", -1);
  assert_local (NULL, v, NULL, "draft", -1);
  assert_local (v, "331082004241", "submitted", "approved", JG_ERROR_PERMISSION);
  assert_local (v, "331082004", "submitted", "approved", JG_ERROR_PERMISSION);
  assert_local (v, NULL, "submitted", "approved", JG_ERROR_PERMISSION);
  assert_local ("/1/2/", "/1/2/3/", "submitted", "approved", -1);
  assert_local ("/1/2/", "/1/20/", "submitted", "returned", JG_ERROR_PERMISSION);
  /* Every right, but only the workflow's steps. */
  assert_local (NULL, v, "draft", "approved", JG_ERROR_TRANSITION);
  assert_local (NULL, v, NULL, "approved", JG_ERROR_TRANSITION);
  assert_local (NULL, v, "returned", "approved", JG_ERROR_TRANSITION);
  assert_local (NULL, v, "draft", "bogus", JG_ERROR_NOT_ALLOWED_VALUE);
}

static void
test_unit_paths (void)
{
  g_assert_true (jg_review_unit_is_above ("331082", "331082004240"));
  g_assert_true (jg_review_unit_is_above ("33", "331082"));
  g_assert_false (jg_review_unit_is_above ("331082004240", "331082004240"));
  g_assert_false (jg_review_unit_is_above ("331082004240", "331082"));
  g_assert_false (jg_review_unit_is_above ("", "331082"));
  g_assert_true (jg_review_unit_is_above ("/1/", "/1/2/"));
  g_assert_true (jg_review_unit_is_above ("1/5", "1/5/9"));
  g_assert_false (jg_review_unit_is_above ("1/5", "1/59"));
  g_assert_false (jg_review_unit_is_above ("/1/2/", "/1/"));
}

static void
test_significant_code (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "331082000000", "331082" },
    { "331082004000", "331082004" },
    { "331082004240", "331082004240" },
    { "330000000000", "33" },
    { "331000000000", "3310" },
    { "331082", "331082" },
    { "331000", "3310" },
    { "331082004", "331082004" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = jg_review_significant_code (cases[i].in);

      g_assert_cmpstr (s, ==, cases[i].out);
    }
  g_assert_null (jg_review_significant_code (NULL));
}

static void
test_content_fields (void)
{
  const JgEntityDef *award = jg_entity_lookup ("award");
  const JgEntityDef *household = jg_entity_lookup ("household");

  g_assert_true (jg_review_is_content_field (household, jg_entity_field (household, "head_name", NULL)));
  g_assert_false (jg_review_is_content_field (household, jg_entity_field (household, "review_note", NULL)));
  g_assert_false (jg_review_is_content_field (household, jg_entity_field (household, "created_by", NULL)));
  g_assert_true (jg_review_is_content_field (award, jg_entity_field (award, "deeds", NULL)));
  g_assert_false (jg_review_is_content_field (award, jg_entity_field (award, "state", NULL)));
  g_assert_true (jg_review_role_is_reviewer ("township_staff"));
  g_assert_false (jg_review_role_is_reviewer ("village_staff"));
  g_assert_false (jg_review_role_is_reviewer ("root"));
}

/* A revoked designation (摘牌) keeps its review state, whoever asks. */
static void
test_revoked_step (void)
{
  const JgEntityDef *designation = jg_entity_lookup ("designation");
  const JgEntityDef *household = jg_entity_lookup ("household");
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_review_check_revoked_step (designation, FALSE, "submitted", "approved", NULL));
  g_assert_true (jg_review_check_revoked_step (designation, TRUE, "approved", "approved", NULL));
  g_assert_true (jg_review_check_revoked_step (designation, TRUE, NULL, "draft", NULL));
  g_assert_true (jg_review_check_revoked_step (household, TRUE, "approved", "returned", NULL));
  g_assert_false (jg_review_check_revoked_step (designation, TRUE, "submitted", "approved", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
  g_clear_error (&error);
  g_assert_false (jg_review_check_revoked_step (designation, TRUE, "approved", "returned", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
  g_clear_error (&error);

  /* Granted, a designation is not returned to be edited and granted
   * again either: it is revoked with a reason (never overwritten). */
  g_assert_true (jg_review_check_ledger_step (designation, "submitted", "approved", NULL));
  g_assert_true (jg_review_check_ledger_step (designation, "submitted", "returned", NULL));
  g_assert_true (jg_review_check_ledger_step (household, "approved", "returned", NULL));
  g_assert_false (jg_review_check_ledger_step (designation, "approved", "returned", &error));
  g_assert_error (error, JG_ERROR, JG_ERROR_TRANSITION);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/review/can-transition-steps", test_can_transition_steps);
  g_test_add_func ("/jg/review/can-transition-roles", test_can_transition_roles);
  g_test_add_func ("/jg/review/can-transition-local", test_can_transition_local);
  g_test_add_func ("/jg/review/unit-paths", test_unit_paths);
  g_test_add_func ("/jg/review/significant-code", test_significant_code);
  g_test_add_func ("/jg/review/content-fields", test_content_fields);
  g_test_add_func ("/jg/review/revoked-step", test_revoked_step);
  ADD ("/jg/review/new-starts-draft", test_new_starts_draft);
  ADD ("/jg/review/new-submitted-on-request", test_new_submitted_on_request);
  ADD ("/jg/review/new-cannot-start-approved", test_new_cannot_start_approved);
  ADD ("/jg/review/village-staff-submit", test_village_staff_submit);
  ADD ("/jg/review/village-staff-cannot-approve", test_village_staff_cannot_approve);
  ADD ("/jg/review/local-only-approves", test_local_only_approves);
  ADD ("/jg/review/local-only-own-subtree", test_local_only_own_subtree);
  ADD ("/jg/review/local-only-units-from-table", test_local_only_units_from_table);
  ADD ("/jg/review/local-only-ledger-approval", test_local_only_ledger_approval);
  ADD ("/jg/review/county-reviewer-approves", test_county_reviewer_approves);
  ADD ("/jg/review/township-staff-approves-below", test_township_staff_approves_below);
  ADD ("/jg/review/reviewer-of-same-unit-refused", test_reviewer_of_same_unit_refused);
  ADD ("/jg/review/draft-cannot-be-approved", test_draft_cannot_be_approved);
  ADD ("/jg/review/return-needs-note", test_return_needs_note);
  ADD ("/jg/review/note-is-the-reviewers", test_note_is_the_reviewers);
  ADD ("/jg/review/return-needs-new-note", test_return_needs_new_note);
  ADD ("/jg/review/returned-submitted-again", test_returned_submitted_again);
  ADD ("/jg/review/edit-reopens-approved", test_edit_reopens_approved);
  ADD ("/jg/review/note-keeps-approved", test_note_keeps_approved);
  ADD ("/jg/review/unknown-role-is-village-staff", test_unknown_role_is_village_staff);
  ADD ("/jg/review/get-actor", test_get_actor);
  ADD ("/jg/review/units-from-table", test_units_from_table);
  ADD ("/jg/review/ledger-approval-is-final", test_ledger_approval_is_final);

  return g_test_run ();
}
