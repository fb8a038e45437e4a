/* test-ui-records.c: households with their inspections and awards, list filters */

#include "config.h"

#include <string.h>

#include "jg-activity-form.h"
#include "jg-award-form.h"
#include "jg-form.h"
#include "jg-ledger-form.h"
#include "jg-volunteer-form.h"
#include "jg-household-form.h"
#include "jg-inspection-form.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-record.h"
#include "jg-ui-test.h"

static gboolean
form_closed (gpointer data)
{
  return jg_window_get_form (JG_WINDOW (data)) == NULL;
}

static gboolean
child_closed (gpointer data)
{
  JgHouseholdForm *household = data;
  GtkWindow *child = jg_household_form_get_child_form (household);

  /* A refusal the test did not expect: say what it was. */
  if (child != NULL &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (child, "error_revealer"))))
    g_error ("The form shows: %s", gtk_label_get_text (GTK_LABEL (form_child (child, "error_label"))));
  if (child != NULL)
    {
      static const char * const fields[] = { "household", "inspected_at", "rectify_by", "item_scores", "veto_hits", NULL };

      for (guint i = 0; JG_IS_INSPECTION_FORM (child) && fields[i]; i++)
        if (form_field_shows_error (child, fields[i]))
          g_error ("%s: %s", fields[i], form_field_error_text (child, fields[i]));
    }
  return child == NULL;
}

static gboolean
action_enabled (gpointer data)
{
  GtkWidget *form = data;
  const char *name = g_object_get_data (G_OBJECT (form), "test-action");

  return gtk_widget_activate_action (form, name, NULL) &&
         (JG_IS_HOUSEHOLD_FORM (form) ? jg_household_form_get_child_form (JG_HOUSEHOLD_FORM (form)) != NULL : TRUE);
}

typedef struct
{
  GtkWindow  *form;
  const char *field;
} FieldRef;

static gboolean
field_error_shown (gpointer data)
{
  FieldRef *r = data;

  return form_field_shows_error (r->form, r->field);
}

static char *
put_household (JgStore    *store,
               const char *head,
               gboolean    consent)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "head_name", head);
  json_object_set_string_member (o, "address", "大田刘村12号");
  json_object_set_int_member (o, "member_count", 4);
  json_object_set_boolean_member (o, "publicity_consent", consent);
  id = jg_store_put (store, "household", o, &error);
  g_assert_no_error (error);
  return id;
}

static JgHouseholdForm *
open_household (Fixture    *f,
                const char *id)
{
  GtkWindow *form;

  wait_page (f->window, "household");
  form = jg_window_open_form (f->window, "household", id);
  g_assert_true (JG_IS_HOUSEHOLD_FORM (form));
  return JG_HOUSEHOLD_FORM (form);
}

/* Opens the inspection form from the household's own form. */
static JgInspectionForm *
inspect (JgHouseholdForm *household)
{
  GtkWindow *child;

  g_object_set_data (G_OBJECT (household), "test-action", (gpointer) "form.inspect");
  wait_until (action_enabled, household);
  child = jg_household_form_get_child_form (household);
  g_assert_true (JG_IS_INSPECTION_FORM (child));
  return JG_INSPECTION_FORM (child);
}

/* Saving waits for the household: the inspection takes its village. */
static gboolean
household_shown (gpointer data)
{
  const char *s = adw_action_row_get_subtitle (ADW_ACTION_ROW (form_child (GTK_WINDOW (data), "household_row")));

  return s != NULL && *s != '\0';
}

static gboolean
save_enabled (gpointer data)
{
  wait_until (household_shown, data);
  return gtk_widget_activate_action (GTK_WIDGET (data), "form.save", NULL);
}

static void
score_all (JgInspectionForm *form,
           double            fraction)
{
  static const struct { const char *code; double max; } items[] = {
    { "R1", 6 }, { "R2", 6 }, { "R3", 5 }, { "R4", 4 }, { "R5", 4 },
    { "Y1", 7 }, { "Y2", 6 }, { "Y3", 6 }, { "Y4", 4 }, { "Y5", 4 }, { "Y6", 3 },
    { "K1", 5 }, { "K2", 4 }, { "K3", 7 }, { "K4", 4 },
    { "F1", 6 }, { "F2", 4 }, { "F3", 4 }, { "F4", 4 }, { "F5", 4 }, { "F6", 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      GtkSpinButton *spin = jg_inspection_form_get_score_spin (form, items[i].code);

      g_assert_nonnull (spin);
      gtk_spin_button_set_value (spin, items[i].max * fraction);
    }
}

static void
test_inspection_live_score (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *household_id = NULL;
  JgHouseholdForm *household;
  JgInspectionForm *form;
  GtkLabel *total;
  GtkLabel *star;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    household_id = put_household (store, "王芳", TRUE);
  }

  fixture_open_window (f);
  household = open_household (f, household_id);
  form = inspect (household);
  total = GTK_LABEL (form_child (GTK_WINDOW (form), "total_label"));
  star = GTK_LABEL (form_child (GTK_WINDOW (form), "star_label"));

  /* Nothing scored: no star, and a deadline to put things right. */
  g_assert_cmpfloat (jg_inspection_form_get_total (form), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (star), ==, "No star");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (form), "rectify_by_row"))));

  /* Full marks: 100, three stars, every section full. */
  score_all (form, 1.0);
  g_assert_cmpfloat (jg_inspection_form_get_total (form), ==, 100);
  g_assert_cmpint (jg_inspection_form_get_star (form), ==, 3);
  g_assert_cmpstr (gtk_label_get_text (star), ==, "★★★");
  g_assert_nonnull (strstr (gtk_label_get_text (total), "100"));
  g_assert_cmpstr (gtk_label_get_text (jg_inspection_form_get_section_label (form, 0)), ==, "25 of 25");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (form), "rectify_by_row"))));

  /* Half a point off one item: 99.5, still three stars. */
  gtk_spin_button_set_value (jg_inspection_form_get_score_spin (form, "R1"), 5.5);
  g_assert_cmpfloat (jg_inspection_form_get_total (form), ==, 99.5);
  g_assert_cmpstr (gtk_label_get_text (jg_inspection_form_get_section_label (form, 0)), ==, "24.5 of 25");

  /* A veto hit: no star whatever the score. */
  gtk_check_button_set_active (jg_inspection_form_get_veto_check (form, "V3"), TRUE);
  g_assert_cmpint (jg_inspection_form_get_star (form), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (star), ==, "No star");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (form), "rectify_by_row"))));
  gtk_check_button_set_active (jg_inspection_form_get_veto_check (form, "V3"), FALSE);
  g_assert_cmpint (jg_inspection_form_get_star (form), ==, 3);

  form_set_text (GTK_WINDOW (form), "inspected_at_row", "2024-05-20");
  form_set_text (GTK_WINDOW (form), "inspectors_row", "李娟、张敏");
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (GTK_WINDOW (form), "stage_row")), 2);
  wait_until (save_enabled, form);
  wait_until (child_closed, household);

  rows = store_list (f, "inspection");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "household"), ==, household_id);
  g_assert_cmpstr (json_object_get_string_member (o, "org_unit"), ==, UNIT);
  g_assert_cmpstr (json_object_get_string_member (o, "inspected_at"), ==, "2024-05-20");
  g_assert_cmpstr (json_object_get_string_member (o, "stage"), ==, "township");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "inspectors")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (o, "total"), ==, 99.5);
  g_assert_cmpint (json_object_get_int_member (o, "star"), ==, 3);
  g_assert_true (json_object_get_null_member (o, "rectify_by"));

  /* The household shows it. */
  {
    AdwActionRow *row;

    drain ();
    g_assert_cmpuint (jg_household_form_get_n_related (household, 0), ==, 1);
    row = jg_household_form_get_related_row (household, 0, 0);
    g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "2024-05-20"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "99.5"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "★★★"));
  }
}

static void
test_inspection_error_at_field (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *household_id = NULL;
  JgHouseholdForm *household;
  JgInspectionForm *form;
  g_autoptr(JsonArray) rows = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    household_id = put_household (store, "王芳", TRUE);
  }

  fixture_open_window (f);
  household = open_household (f, household_id);
  form = inspect (household);
  score_all (form, 0.5);   /* 50: fails */
  form_set_text (GTK_WINDOW (form), "inspected_at_row", "2024-05-20");
  form_set_text (GTK_WINDOW (form), "rectify_by_row", "2024-01-01");
  wait_until (save_enabled, form);
  wait_until (field_error_shown, &(FieldRef) { GTK_WINDOW (form), "rectify_by" });
  rows = store_list (f, "inspection");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  g_clear_pointer (&rows, json_array_unref);

  form_set_text (GTK_WINDOW (form), "rectify_by_row", "2024-07-01");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (child_closed, household);
  rows = store_list (f, "inspection");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "rectify_by"),
                   ==, "2024-07-01");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (rows, 0), "passed"));
}

static gboolean
submit_enabled (gpointer data)
{
  wait_until (household_shown, data);
  return gtk_widget_activate_action (GTK_WIDGET (data), "form.submit", NULL);
}

static void
assert_no_inspection (Fixture *f)
{
  g_autoptr(JsonArray) rows = store_list (f, "inspection");

  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

/* An inspection goes to review only with what a reviewer needs: who
 * inspected, a score (or a veto hit) and, when it failed, a deadline.
 * Each refusal shows at its field (exploratory test village-gui item 6);
 * a draft may still be saved half done. */
static void
test_inspection_submit_needs (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *household_id = NULL;
  JgHouseholdForm *household;
  JgInspectionForm *form;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    household_id = put_household (store, "王芳", TRUE);
  }

  fixture_open_window (f);
  household = open_household (f, household_id);
  form = inspect (household);
  form_set_text (GTK_WINDOW (form), "inspected_at_row", "2024-05-20");

  /* Submitted straight away: who inspected? */
  wait_until (submit_enabled, form);
  wait_until (field_error_shown, &(FieldRef) { GTK_WINDOW (form), "inspectors" });
  assert_no_inspection (f);

  /* Nothing scored. */
  form_set_text (GTK_WINDOW (form), "inspectors_row", "李娟、张敏");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (field_error_shown, &(FieldRef) { GTK_WINDOW (form), "item_scores" });
  g_assert_false (form_field_shows_error (GTK_WINDOW (form), "inspectors"));
  assert_no_inspection (f);

  /* Scored 50: failed, so a deadline is needed. */
  score_all (form, 0.5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (field_error_shown, &(FieldRef) { GTK_WINDOW (form), "rectify_by" });
  g_assert_nonnull (strstr (form_field_error_text (GTK_WINDOW (form), "rectify_by"), "deadline"));
  assert_no_inspection (f);

  form_set_text (GTK_WINDOW (form), "rectify_by_row", "2024-07-01");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (child_closed, household);
  rows = store_list (f, "inspection");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
  g_assert_cmpstr (json_object_get_string_member (o, "rectify_by"), ==, "2024-07-01");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "inspectors")), ==, 2);
  g_clear_pointer (&rows, json_array_unref);

  /* A draft may be saved with nothing in it, to be finished later. */
  form = inspect (household);
  form_set_text (GTK_WINDOW (form), "inspected_at_row", "2024-05-21");
  wait_until (save_enabled, form);
  wait_until (child_closed, household);
  rows = store_list (f, "inspection");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
}

static gboolean
consent_known (gpointer data)
{
  JgAwardForm *form = data;

  return gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (form), "household_row")));
}

static void
test_nominate_from_household (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *household_id = NULL;
  JgHouseholdForm *household;
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    household_id = put_household (store, "王芳", FALSE);
  }

  fixture_open_window (f);
  household = open_household (f, household_id);
  g_object_set_data (G_OBJECT (household), "test-action", (gpointer) "form.nominate");
  wait_until (action_enabled, household);
  form = jg_household_form_get_child_form (household);
  g_assert_true (JG_IS_AWARD_FORM (form));
  wait_until (consent_known, form);

  /* No consent: said up front. */
  g_assert_true (jg_award_form_get_consent_missing (JG_AWARD_FORM (form)));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (form, "consent_revealer"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "family_name_row"))), !=, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "org_unit_row"))), ==, UNIT);
  {
    GListModel *types = adw_combo_row_get_model (ADW_COMBO_ROW (form_child (form, "award_type_row")));

    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (types), 0), ==, "最美家庭");
  }

  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (form, "award_type_row")), 2);   /* 五好家庭 */
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (form, "level_row")), 0);
  form_set_text (form, "year_row", "2024");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (form_child (form, "deeds_view"))),
                            "孝老爱亲，邻里和睦", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (child_closed, household);

  rows = store_list (f, "award");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "household"), ==, household_id);
  g_assert_cmpstr (json_object_get_string_member (o, "award_type"), ==, "five_good_family");
  g_assert_cmpstr (json_object_get_string_member (o, "level"), ==, "village");
  g_assert_cmpint (json_object_get_int_member (o, "year"), ==, 2024);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "nominated");
  g_assert_cmpstr (json_object_get_string_member (o, "deeds"), ==, "孝老爱亲，邻里和睦");

  drain ();
  g_assert_cmpuint (jg_household_form_get_n_related (household, 2), ==, 1);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (jg_household_form_get_related_row (household, 2, 0))),
                            "五好家庭"));
}

/* A designation only submitted is no title: the household form said
 * "自 … 起有效" of it as of a granted one. */
static void
test_designation_state_shown (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *pending_household = NULL;
  g_autofree char *granted_household = NULL;
  JgHouseholdForm *household;
  AdwActionRow *row;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    g_free (store_put_designation (store, "张兰", "测试牌001", "submitted", &pending_household));
    g_free (store_put_designation (store, "李芳", "测试牌002", "approved", &granted_household));
  }

  fixture_open_window (f);
  household = open_household (f, pending_household);
  drain ();
  g_assert_cmpuint (jg_household_form_get_n_related (household, 1), ==, 1);
  row = jg_household_form_get_related_row (household, 1, 0);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "测试牌001"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not granted yet (Submitted); not in force");
  gtk_window_destroy (GTK_WINDOW (household));
  wait_until (form_closed, f->window);

  household = open_household (f, granted_household);
  drain ();
  row = jg_household_form_get_related_row (household, 1, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Valid from 2024-04-01");
}

static void
test_award_page_new (Fixture       *f,
                     gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  wait_page (f->window, "award");
  jg_window_set_visible_page (f->window, "award");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL));
  form = jg_window_get_form (f->window);
  g_assert_true (JG_IS_AWARD_FORM (form));

  /* Neither a household nor a family: the store says so at the field. */
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "family_name_row", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "household" });

  /* A township award without the village one below it. */
  form_set_text (form, "family_name_row", "张三家庭");
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (form, "level_row")), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "level" });

  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (form, "level_row")), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (form_closed, f->window);
  rows = store_list (f, "award");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "family_name"), ==, "张三家庭");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "review_state"), ==, "submitted");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (wait_page (f->window, "award"))), ==, 1);
}

typedef struct
{
  JgRecordList *model;
  guint         n;
} Count;

static gboolean
model_has_n (gpointer data)
{
  Count *c = data;

  return jg_record_list_get_ready (c->model) && !jg_record_list_get_loading (c->model) &&
         g_list_model_get_n_items (G_LIST_MODEL (c->model)) == c->n;
}

static void
put_activity (JgStore    *store,
              const char *title,
              const char *category,
              const char *state)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "title", title);
  json_object_set_string_member (o, "category", category);
  json_object_set_string_member (o, "start_at", "2024-03-08T09:30");
  json_object_set_string_member (o, "review_state", state);
  id = jg_store_put (store, "activity", o, &error);
  g_assert_no_error (error);
}

static void
test_list_filters (Fixture       *f,
                   gconstpointer  data)
{
  JgRecordPage *page;
  JgRecordList *model;
  GtkDropDown *state;
  GtkDropDown *category;
  GtkLabel *count;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    put_activity (store, "宣讲一", "outreach_talk", "draft");
    put_activity (store, "宣讲二", "outreach_talk", "submitted");
    put_activity (store, "培训", "training", "submitted");
    put_activity (store, "慰问", "care_visit", "draft");
  }

  fixture_open_window (f);
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  state = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE, "state_dropdown"));
  category = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE, "category_dropdown"));
  count = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE, "count_label"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (category)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (category)), ==, 9);

  gtk_drop_down_set_selected (state, 2);   /* Submitted */
  wait_until (model_has_n, &(Count) { model, 2 });
  g_assert_cmpstr (gtk_label_get_text (count), ==, "2 records");

  gtk_drop_down_set_selected (category, 1);   /* 宣讲 */
  wait_until (model_has_n, &(Count) { model, 1 });
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 record");

  gtk_drop_down_set_selected (state, 3);   /* Approved */
  wait_until (model_has_n, &(Count) { model, 0 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "no-results");

  gtk_drop_down_set_selected (state, 0);
  gtk_drop_down_set_selected (category, 0);
  wait_until (model_has_n, &(Count) { model, 4 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");

  /* Households have no category. */
  page = jg_window_get_page (f->window, "household");
  wait_page (f->window, "household");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE,
                                                                                      "category_dropdown"))));
}

/* The other villages of the builtin slice the unit filter tests use. */
#define UNIT_SAME_TOWNSHIP "331082004200"   /* 大田街道 · 上街头村委会 */
#define UNIT_OTHER_TOWNSHIP "331082005200"  /* 邵家渡街道 · 邵家渡村委会 */

static void
put_activity_at (JgStore    *store,
                 const char *title,
                 const char *unit,
                 const char *start_at)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (o, "org_unit", unit);
  json_object_set_string_member (o, "title", title);
  json_object_set_string_member (o, "category", "outreach_talk");
  json_object_set_string_member (o, "start_at", start_at);
  id = jg_store_put (store, "activity", o, &error);
  g_assert_no_error (error);
}

static void
put_award (JgStore    *store,
           const char *family,
           int         year)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "family_name", family);
  json_object_set_string_member (o, "award_type", "most_beautiful_family");
  json_object_set_string_member (o, "level", "village");
  json_object_set_int_member (o, "year", year);
  id = jg_store_put (store, "award", o, &error);
  g_assert_no_error (error);
}

static void
import_units (JgStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_org_units_import_builtin (store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static GObject *
page_child (JgRecordPage *page,
            const char   *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
units_listed (gpointer data)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (data))) > 1;
}

/* The position of the drop-down's item with that exact text. */
static guint
dropdown_find (GtkDropDown *dropdown,
               const char  *text)
{
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (items), i), text) == 0)
      return i;
  g_error ("No “%s” in the drop-down", text);
  return 0;
}

static gboolean
item_loaded (gpointer data)
{
  Count *c = data;
  g_autoptr(JgRecord) record = g_list_model_get_item (G_LIST_MODEL (c->model), c->n);

  return record != NULL && jg_record_get_loaded (record);
}

/* A member of the list's item at position, once its page has arrived. */
static const char *
item_string (JgRecordList *model,
             guint         position,
             const char   *member)
{
  g_autoptr(JgRecord) record = NULL;

  wait_until (item_loaded, &(Count) { model, position });
  record = g_list_model_get_item (G_LIST_MODEL (model), position);
  /* The list keeps the record: the string outlives this reference. */
  return json_object_get_string_member (jg_record_get_object (record), member);
}

static int
this_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_year (now);
}

static void
test_list_unit_filter (Fixture       *f,
                       gconstpointer  data)
{
  JgRecordPage *page;
  JgRecordList *model;
  GtkDropDown *unit;
  GtkLabel *count;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    import_units (store);
    put_activity_at (store, "宣讲一", UNIT, "2024-03-08T09:30");
    put_activity_at (store, "宣讲二", UNIT, "2024-04-08T09:30");
    put_activity_at (store, "培训", UNIT_SAME_TOWNSHIP, "2024-05-08T09:30");
    put_activity_at (store, "慰问", UNIT_OTHER_TOWNSHIP, "2024-06-08T09:30");
  }

  fixture_open_window (f);
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  unit = GTK_DROP_DOWN (page_child (page, "unit_dropdown"));
  count = GTK_LABEL (page_child (page, "count_label"));
  wait_until (units_listed, unit);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (unit)));
  /* All units, then the county's 19 townships and 678 villages. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (unit)), ==, 1 + 19 + 678);
  g_assert_cmpuint (gtk_drop_down_get_selected (unit), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);

  gtk_drop_down_set_selected (unit, dropdown_find (unit, "大田街道 · 大田刘村委会"));
  wait_until (model_has_n, &(Count) { model, 2 });
  g_assert_cmpstr (gtk_label_get_text (count), ==, "2 records");
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (item_string (model, i, "org_unit"), ==, UNIT);

  /* A township is its villages. */
  gtk_drop_down_set_selected (unit, dropdown_find (unit, "大田街道"));
  wait_until (model_has_n, &(Count) { model, 3 });

  gtk_drop_down_set_selected (unit, dropdown_find (unit, "邵家渡街道 · 邵家渡村委会"));
  wait_until (model_has_n, &(Count) { model, 1 });
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 record");

  /* A village without records: no results, and the filter stays to undo. */
  gtk_drop_down_set_selected (unit, dropdown_find (unit, "大田街道 · 浦山居委会"));
  wait_until (model_has_n, &(Count) { model, 0 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "no-results");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (unit)));

  gtk_drop_down_set_selected (unit, 0);
  wait_until (model_has_n, &(Count) { model, 4 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");
  g_assert_cmpstr (gtk_label_get_text (count), ==, "4 records");
}

static void
test_list_date_filter (Fixture       *f,
                       gconstpointer  data)
{
  int year = this_year ();
  g_autofree char *january = g_strdup_printf ("%d-01-15T10:00", year);
  g_autofree char *june = g_strdup_printf ("%d-06-01T00:00", year);
  g_autofree char *last_year = g_strdup_printf ("%d-12-31T23:30", year - 1);
  JgRecordPage *page;
  JgRecordList *model;
  GtkDropDown *date;
  GListModel *items;
  g_autofree char *year_label = g_strdup_printf ("%d", year);
  g_autofree char *last_year_label = g_strdup_printf ("%d", year - 1);

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    put_activity_at (store, "一月", UNIT, january);
    put_activity_at (store, "六月", UNIT, june);
    put_activity_at (store, "去年", UNIT, last_year);
    put_activity_at (store, "从前", UNIT, "2020-03-08T09:30");
    put_award (store, "张家", year);
    put_award (store, "李家", year - 1);
    put_award (store, "王家", year - 1);
  }

  fixture_open_window (f);
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  date = GTK_DROP_DOWN (page_child (page, "date_dropdown"));
  items = gtk_drop_down_get_model (date);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (date)));
  /* Any time, this year, last year, the twelve months of this year. */
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 15);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (items), 1), ==, year_label);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (items), 2), ==, last_year_label);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  /* No org units in this store: no unit filter. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "unit_dropdown"))));

  gtk_drop_down_set_selected (date, 1);
  wait_until (model_has_n, &(Count) { model, 2 });
  for (guint i = 0; i < 2; i++)
    g_assert_true (g_str_has_prefix (item_string (model, i, "start_at"), year_label));

  gtk_drop_down_set_selected (date, 2);
  wait_until (model_has_n, &(Count) { model, 1 });

  gtk_drop_down_set_selected (date, 3);   /* January */
  wait_until (model_has_n, &(Count) { model, 1 });
  gtk_drop_down_set_selected (date, 3 + 5);   /* June, from its first minute */
  wait_until (model_has_n, &(Count) { model, 1 });
  gtk_drop_down_set_selected (date, 3 + 1);   /* February */
  wait_until (model_has_n, &(Count) { model, 0 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "no-results");

  gtk_drop_down_set_selected (date, 0);
  wait_until (model_has_n, &(Count) { model, 4 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");

  /* Awards by year only. */
  page = jg_window_get_page (f->window, "award");
  model = wait_page (f->window, "award");
  date = GTK_DROP_DOWN (page_child (page, "date_dropdown"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (date)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (date)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  gtk_drop_down_set_selected (date, 2);
  wait_until (model_has_n, &(Count) { model, 2 });
  gtk_drop_down_set_selected (date, 1);
  wait_until (model_has_n, &(Count) { model, 1 });

  /* Households have no date to filter on. */
  page = jg_window_get_page (f->window, "household");
  wait_page (f->window, "household");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "date_dropdown"))));
}

static void
test_list_filters_combined (Fixture       *f,
                            gconstpointer  data)
{
  int year = this_year ();
  g_autofree char *now = g_strdup_printf ("%d-03-08T09:30", year);
  g_autofree char *before = g_strdup_printf ("%d-03-08T09:30", year - 1);
  JgRecordPage *page;
  JgRecordList *model;
  GtkDropDown *unit;
  GtkDropDown *date;
  GtkEditable *search;
  GtkLabel *count;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    import_units (store);
    put_activity_at (store, "宣讲甲", UNIT, now);
    put_activity_at (store, "宣讲乙", UNIT_OTHER_TOWNSHIP, now);
    put_activity_at (store, "宣讲丙", UNIT, before);
    put_activity_at (store, "培训", UNIT, now);
  }

  fixture_open_window (f);
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  unit = GTK_DROP_DOWN (page_child (page, "unit_dropdown"));
  date = GTK_DROP_DOWN (page_child (page, "date_dropdown"));
  search = GTK_EDITABLE (page_child (page, "search_entry"));
  count = GTK_LABEL (page_child (page, "count_label"));
  wait_until (units_listed, unit);

  gtk_drop_down_set_selected (unit, dropdown_find (unit, "大田街道 · 大田刘村委会"));
  wait_until (model_has_n, &(Count) { model, 3 });
  gtk_drop_down_set_selected (date, 1);   /* this year */
  wait_until (model_has_n, &(Count) { model, 2 });
  gtk_editable_set_text (search, "宣讲");
  wait_until (model_has_n, &(Count) { model, 1 });
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 record");
  g_assert_cmpstr (item_string (model, 0, "title"), ==, "宣讲甲");

  /* Every filter and the search narrow together. */
  gtk_drop_down_set_selected (date, 2);   /* last year */
  wait_until (model_has_n, &(Count) { model, 1 });
  gtk_drop_down_set_selected (unit, dropdown_find (unit, "邵家渡街道 · 邵家渡村委会"));
  wait_until (model_has_n, &(Count) { model, 0 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "no-results");

  gtk_drop_down_set_selected (unit, 0);
  wait_until (model_has_n, &(Count) { model, 1 });
  gtk_drop_down_set_selected (date, 0);
  wait_until (model_has_n, &(Count) { model, 3 });
  gtk_editable_set_text (search, "");
  wait_until (model_has_n, &(Count) { model, 4 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");
}

static char *
put_volunteer (JgStore    *store,
               const char *name)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "name", name);
  json_object_set_boolean_member (o, "active", TRUE);
  id = jg_store_put (store, "volunteer", o, &error);
  g_assert_no_error (error);
  return id;
}

/* Two approved hours, approved by a county reviewer on this store. */
static void
put_approved_hours (JgStore    *store,
                    const char *volunteer)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonObject) approve = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "volunteer", volunteer);
  json_object_set_int_member (o, "minutes", 120);
  json_object_set_string_member (o, "service_type", "care_visit");
  json_object_set_string_member (o, "served_at", "2024-03-08T09:00");
  json_object_set_string_member (o, "review_state", "submitted");
  id = jg_store_put (store, "service_entry", o, &error);
  g_assert_no_error (error);

  g_assert_true (jg_store_set_meta (store, "role", "county_reviewer", &error));
  g_assert_true (jg_store_set_meta (store, "org_unit", "331082", &error));
  json_object_set_string_member (approve, "id", id);
  json_object_set_string_member (approve, "review_state", "approved");
  again = jg_store_put (store, "service_entry", approve, &error);
  g_assert_no_error (error);
  g_assert_true (jg_store_set_meta (store, "role", "", &error));
  g_assert_true (jg_store_set_meta (store, "org_unit", "", &error));
}

static gboolean
label_is (gpointer data)
{
  GtkLabel *label = data;

  return g_strcmp0 (gtk_label_get_text (label), g_object_get_data (G_OBJECT (label), "test-text")) == 0;
}

static void
wait_label (GtkLabel   *label,
            const char *text)
{
  g_object_set_data_full (G_OBJECT (label), "test-text", g_strdup (text), g_free);
  wait_until (label_is, label);
}

static gboolean
volunteer_child_closed (gpointer data)
{
  GtkWindow *child = jg_volunteer_form_get_child_form (JG_VOLUNTEER_FORM (data));

  if (child != NULL &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (child, "error_revealer"))))
    g_error ("The form shows: %s", gtk_label_get_text (GTK_LABEL (form_child (child, "error_label"))));
  return child == NULL;
}

static gboolean
subtitle_shown (gpointer data)
{
  const char *s = adw_action_row_get_subtitle (ADW_ACTION_ROW (form_child (GTK_WINDOW (data), "volunteer_row")));

  return s != NULL && *s != '\0';
}

static GtkWindow *
open_ledger (JgVolunteerForm *form,
             const char      *action)
{
  GtkWindow *child;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), action, NULL));
  child = jg_volunteer_form_get_child_form (form);
  g_assert_true (JG_IS_LEDGER_FORM (child));
  wait_until (subtitle_shown, child);
  return child;
}

static gboolean
newest_history_is_haircut (gpointer data)
{
  GtkWidget *row = GTK_WIDGET (jg_volunteer_form_get_history_row (data, 0));

  return row != NULL &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "理发服务") != NULL;
}

static void
test_time_bank (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  JgVolunteerForm *form;
  GtkWindow *child;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    volunteer_id = put_volunteer (store, "李娟");
    put_approved_hours (store, volunteer_id);
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_label (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label")), "2.0 h");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (form_child (GTK_WINDOW (form), "earned_label"))), ==, "2.0 h");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (form_child (GTK_WINDOW (form), "star_label"))), ==, "No star yet");

  /* Add hours: an entry submitted for review (a ledger entry cannot be
   * opened again, so a draft would stay one for ever), in the history,
   * not yet in the balance. */
  child = open_ledger (form, "form.add-hours");
  /* The picker is the type of service, not a service (village-gui.md item 10). */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (form_child (child, "service_type_row"))),
                   ==, "Service Type");
  form_set_text (child, "minutes_row", "90");
  form_set_text (child, "served_at_row", "2024-06-01 14:00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (volunteer_child_closed, form);
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < 2; i++)
    if (json_object_get_int_member (json_array_get_object_element (rows, i), "minutes") == 90)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, i), "review_state"),
                       ==, "submitted");
  g_clear_pointer (&rows, json_array_unref);
  drain ();
  {
    AdwActionRow *newest = jg_volunteer_form_get_history_row (form, 0);

    g_assert_nonnull (newest);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "2024-06-01"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "Submitted"));
  }

  /* Redeem more than is available: refused at the minutes. */
  child = open_ledger (form, "form.redeem");
  form_set_text (child, "minutes_row", "180");
  form_set_text (child, "item_name_row", "理发服务");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { child, "minutes" });
  g_assert_nonnull (strstr (form_field_error_text (child, "minutes"), "120"));
  rows = store_list (f, "redemption");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  g_clear_pointer (&rows, json_array_unref);

  /* Within the balance it is recorded, pending the server's decision. */
  form_set_text (child, "minutes_row", "60");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (volunteer_child_closed, form);
  rows = store_list (f, "redemption");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (o, "minutes"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
  g_assert_cmpstr (json_object_get_string_member (o, "item_name"), ==, "理发服务");
  wait_label (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label")), "1.0 h");
  /* The history reloads on its own after the save, and says the hours
   * are asked for, not yet redeemed (village-gui.md item 10). */
  wait_until (newest_history_is_haircut, form);
  {
    AdwActionRow *newest = jg_volunteer_form_get_history_row (form, 0);

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (newest)), ==,
                     "Redemption asked for: 理发服务");
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (newest), "Pending"));
  }
}

static JsonObject *
entry_at (const char *volunteer,
          gint64      minutes,
          const char *served_at)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "volunteer", volunteer);
  json_object_set_int_member (o, "minutes", minutes);
  json_object_set_string_member (o, "service_type", "care_visit");
  json_object_set_string_member (o, "served_at", served_at);
  json_object_set_string_member (o, "review_state", "submitted");
  return o;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
ledger_flags_asked (gpointer data)
{
  return jg_ledger_form_get_flags_dialog (JG_LEDGER_FORM (data)) != NULL;
}

/* The time bank's checks (overlap, more than 8 h a day) are shown to the
 * recorder before the entry is written, as a warning she may go back from
 * or confirm; an entry with a date and no time overlaps nothing, so two
 * services recorded for one day are not asked about (village-gui.md
 * item 3). */
static void
test_time_bank_flags_shown (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  JgVolunteerForm *form;
  GtkWindow *child;
  AdwMessageDialog *dialog;
  g_autoptr(JsonArray) rows = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) morning = NULL;
    g_autoptr(JsonObject) dated = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    volunteer_id = put_volunteer (store, "罗燕");
    morning = entry_at (volunteer_id, 120, "2024-06-01T09:00");
    a = jg_store_put (store, "service_entry", morning, &error);
    g_assert_no_error (error);
    dated = entry_at (volunteer_id, 120, "2024-06-02T00:00");
    b = jg_store_put (store, "service_entry", dated, &error);
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_label (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label")), "0.0 h");

  /* Overlapping the morning's entry, and 12 h that day: asked. */
  child = open_ledger (form, "form.add-hours");
  form_set_text (child, "minutes_row", "600");
  form_set_text (child, "served_at_row", "2024-06-01 10:00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (ledger_flags_asked, child);
  dialog = jg_ledger_form_get_flags_dialog (JG_LEDGER_FORM (child));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Overlaps 1 other entry"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "more than the daily limit"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "back");

  /* Going back writes nothing and leaves the form as it was. */
  adw_message_dialog_response (dialog, "back");
  drain ();
  g_assert_null (jg_ledger_form_get_flags_dialog (JG_LEDGER_FORM (child)));
  g_assert_true (jg_volunteer_form_get_child_form (form) == child);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (child, "minutes_row"))), ==, "600");
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_clear_pointer (&rows, json_array_unref);

  /* Confirmed, it is written as it is: flagged, not refused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (ledger_flags_asked, child);
  adw_message_dialog_response (jg_ledger_form_get_flags_dialog (JG_LEDGER_FORM (child)), "submit");
  wait_until (volunteer_child_closed, form);
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_clear_pointer (&rows, json_array_unref);

  /* A second entry with only the date, on a day that has one: no overlap,
   * not over the limit, nothing to ask. */
  child = open_ledger (form, "form.add-hours");
  form_set_text (child, "minutes_row", "120");
  form_set_text (child, "served_at_row", "2024-06-02");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (volunteer_child_closed, form);
  g_assert_null (find_message_dialog ());
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 4);
}

/* The "Reverse…" button of a history row, or NULL. */
static GtkWidget *
find_reverse_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "form.reverse") == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_reverse_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  JgVolunteerForm *form;
  guint            n;
} HistoryCount;

static gboolean
history_has_n (gpointer data)
{
  HistoryCount *c = data;

  return jg_volunteer_form_get_history_row (c->form, c->n - 1) != NULL &&
         jg_volunteer_form_get_history_row (c->form, c->n) == NULL;
}

static gboolean
volunteer_error_shown (gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (GTK_WINDOW (data), "error_revealer")));
}

/* Asks for the reason of a reversal of history row @position and gives it. */
static void
reverse_row (JgVolunteerForm *form,
             guint            position,
             const char      *reason)
{
  GtkWidget *button = find_reverse_button (GTK_WIDGET (jg_volunteer_form_get_history_row (form, position)));
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dialog = jg_volunteer_form_get_reverse_dialog (form);
  g_assert_nonnull (dialog);
  /* No reason, no reversal. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "reverse"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "reverse"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), reason);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "reverse"));
  adw_message_dialog_response (dialog, "reverse");
  g_assert_null (jg_volunteer_form_get_reverse_dialog (form));
}

/* A mistaken entry is corrected from the volunteer's history by a
 * reversing entry with a reason (DOMAIN.md), submitted for review; the
 * ledger's refusals show in the form (exploratory test item 4). */
static void
test_time_bank_reverse (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  g_autoptr(JsonArray) rows = NULL;
  JgVolunteerForm *form;
  const char *redemption_id;
  JsonObject *reversal = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    volunteer_id = put_volunteer (store, "李娟");
    put_approved_hours (store, volunteer_id);
    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "volunteer", volunteer_id);
    json_object_set_int_member (o, "minutes", 100);
    json_object_set_string_member (o, "item", "goods");
    json_object_set_string_member (o, "item_name", "理发服务");
    json_object_set_string_member (o, "review_state", "submitted");
    id = jg_store_put (store, "redemption", o, &error);
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_until (history_has_n, &(HistoryCount) { form, 2 });

  /* Row 1, the approved hours: 100 of its 120 minutes are promised to the
   * redemption, so the ledger refuses, and the form says why. */
  reverse_row (form, 1, "录入重复");
  wait_until (volunteer_error_shown, form);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (form_child (GTK_WINDOW (form), "error_label"))),
                            "reverse the redemption first"));
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_clear_pointer (&rows, json_array_unref);

  /* Row 0, the redemption: reversed, submitted for review. */
  reverse_row (form, 0, "兑换取消");
  wait_until (history_has_n, &(HistoryCount) { form, 3 });
  rows = store_list (f, "redemption");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  redemption_id = NULL;
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);

      if (json_object_has_member (o, "reverses") && !json_object_get_null_member (o, "reverses"))
        reversal = o;
      else
        redemption_id = json_object_get_string_member (o, "id");
    }
  g_assert_nonnull (reversal);
  g_assert_cmpstr (json_object_get_string_member (reversal, "reverses"), ==, redemption_id);
  g_assert_cmpstr (json_object_get_string_member (reversal, "reason"), ==, "兑换取消");
  g_assert_cmpstr (json_object_get_string_member (reversal, "review_state"), ==, "submitted");
  g_assert_cmpint (json_object_get_int_member (reversal, "minutes"), ==, 100);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (GTK_WINDOW (form), "error_revealer"))));

  /* The history: the reversal on top; neither it nor the redemption it
   * cancels offers another; the service entry still does. */
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (jg_volunteer_form_get_history_row (form, 0))),
                            "Reversal of redemption"));
  g_assert_null (find_reverse_button (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0))));
  /* It says why it was made. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (jg_volunteer_form_get_history_row (form, 0)),
                            "Reason: 兑换取消"));
  g_assert_null (find_reverse_button (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 1))));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (jg_volunteer_form_get_history_row (form, 1)),
                            "Reversal recorded"));
  g_assert_nonnull (find_reverse_button (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 2))));
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The review state of @id, the reversal, as the store holds it now:
 * "deleted" once withdrawn. */
typedef struct
{
  Fixture    *f;
  const char *id;
  const char *state;
} ReversalState;

static gboolean
reversal_state_is (gpointer data)
{
  ReversalState *r = data;
  g_autoptr(JgStore) store = jg_store_open (r->f->path, 0, NULL);
  g_autoptr(JsonObject) o = store ? jg_store_get (store, "service_entry", r->id, NULL) : NULL;

  if (o == NULL)
    return FALSE;
  if (json_object_get_boolean_member_with_default (o, "deleted", FALSE))
    return g_strcmp0 (r->state, "deleted") == 0;
  return g_strcmp0 (json_object_get_string_member_with_default (o, "review_state", NULL), r->state) == 0;
}

static void
return_reversal (Fixture    *f,
                 const char *id,
                 const char *note)
{
  g_autoptr(JgStore) store = fixture_open_store (f);
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *put = NULL;

  g_assert_true (jg_store_set_meta (store, "role", "county_reviewer", &error));
  g_assert_true (jg_store_set_meta (store, "org_unit", "331082", &error));
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "review_state", "returned");
  json_object_set_string_member (o, "review_note", note);
  put = jg_store_put (store, "service_entry", o, &error);
  g_assert_no_error (error);
  g_assert_true (jg_store_set_meta (store, "role", "", &error));
  g_assert_true (jg_store_set_meta (store, "org_unit", "", &error));
}

typedef struct
{
  JgVolunteerForm *form;
  const char      *name;
} RowButton;

static gboolean
row0_has_button (gpointer data)
{
  RowButton *b = data;
  AdwActionRow *row = jg_volunteer_form_get_history_row (b->form, 0);

  return row != NULL && find_named (GTK_WIDGET (row), b->name) != NULL;
}

/* A reversal the reviewer returned is answered from the history: its
 * reason corrected and submitted again, or withdrawn, after which the
 * entry counts as before and may be reversed again. */
static void
test_time_bank_returned_reversal (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  g_autofree char *reversal = NULL;
  JgVolunteerForm *form;
  AdwMessageDialog *dialog;
  GtkWidget *button;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    volunteer_id = put_volunteer (store, "李娟");
    put_approved_hours (store, volunteer_id);
    rows = jg_store_list (store, "service_entry", NULL, &error);
    g_assert_no_error (error);
    reversal = jg_ledger_reverse (store, "service_entry",
                                  json_object_get_string_member (json_array_get_object_element (rows, 0), "id"),
                                  "录入重复", &error);
    g_assert_no_error (error);
  }
  return_reversal (f, reversal, "请写明重复的日期");

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_until (history_has_n, &(HistoryCount) { form, 2 });

  /* The returned reversal on top says what the reviewer asked, and
   * offers both answers. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (jg_volunteer_form_get_history_row (form, 0)),
                            "请写明重复的日期"));
  button = find_named (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0)), "correct-reversal");
  g_assert_nonnull (button);
  g_assert_nonnull (find_named (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0)), "withdraw-reversal"));
  g_signal_emit_by_name (button, "clicked");
  dialog = jg_volunteer_form_get_reverse_dialog (form);
  g_assert_nonnull (dialog);
  /* The reason as it stands; never blank. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))), ==, "录入重复");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), " ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "submit"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "3月8日录入重复");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "submit"));
  adw_message_dialog_response (dialog, "submit");
  wait_until (reversal_state_is, &(ReversalState) { f, reversal, "submitted" });
  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = jg_store_get (store, "service_entry", reversal, NULL);

    g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "3月8日录入重复");
    g_assert_cmpint (json_object_get_int_member (o, "minutes"), ==, 120);
  }
  /* Submitted again, it offers neither. */
  wait_until (history_has_n, &(HistoryCount) { form, 2 });
  drain ();
  g_assert_null (find_named (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0)), "correct-reversal"));

  /* Returned once more, and withdrawn this time. */
  return_reversal (f, reversal, "不需要冲正");
  jg_store_worker_notify_changed (f->worker, "service_entry");
  wait_until (row0_has_button, &(RowButton) { form, "withdraw-reversal" });
  g_signal_emit_by_name (find_named (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0)), "withdraw-reversal"),
                         "clicked");
  dialog = jg_volunteer_form_get_reverse_dialog (form);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "withdraw");
  wait_until (reversal_state_is, &(ReversalState) { f, reversal, "deleted" });
  /* The entry counts as before, and may be reversed again. */
  wait_until (history_has_n, &(HistoryCount) { form, 1 });
  drain ();
  g_assert_nonnull (find_reverse_button (GTK_WIDGET (jg_volunteer_form_get_history_row (form, 0))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label"))), ==, "2.0 h");
}

/* A redemption the server refused shows as refused, with the server's
 * reason, takes nothing off and offers no reversal. */
static void
test_time_bank_refused_redemption (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  g_autofree char *redemption = NULL;
  JgVolunteerForm *form;
  AdwActionRow *row;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(GError) error = NULL;

    volunteer_id = put_volunteer (store, "李娟");
    put_approved_hours (store, volunteer_id);
    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "volunteer", volunteer_id);
    json_object_set_int_member (o, "minutes", 60);
    json_object_set_string_member (o, "item", "goods");
    json_object_set_string_member (o, "item_name", "大米一袋");
    redemption = jg_store_put (store, "redemption", o, &error);
    g_assert_no_error (error);
    /* As the sync records the server's refusal. */
    g_assert_true (jg_ledger_record_refusal (store, "redemption", redemption,
                                             "另一台电脑已兑换了这些时长", &error));
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_until (history_has_n, &(HistoryCount) { form, 2 });
  drain ();
  row = jg_volunteer_form_get_history_row (form, 0);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "大米一袋"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Not granted"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "另一台电脑已兑换了这些时长"));
  g_assert_null (find_reverse_button (GTK_WIDGET (row)));
  wait_label (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label")), "2.0 h");
}

/* The history is in the order the hours were served, newest first, not
 * in the order they were typed in. */
static void
test_time_bank_history_order (Fixture       *f,
                              gconstpointer  data)
{
  static const char * const served[] = { "2024-03-01T09:00", "2024-03-08T09:00", "2024-03-05T09:00" };
  static const char * const shown[] = { "2024-03-08", "2024-03-05", "2024-03-01" };
  g_autofree char *volunteer_id = NULL;
  JgVolunteerForm *form;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    volunteer_id = put_volunteer (store, "李娟");
    for (guint i = 0; i < G_N_ELEMENTS (served); i++)
      {
        g_autoptr(JsonObject) o = json_object_new ();
        g_autoptr(GError) error = NULL;
        g_autofree char *id = NULL;

        json_object_set_string_member (o, "org_unit", UNIT);
        json_object_set_string_member (o, "volunteer", volunteer_id);
        json_object_set_int_member (o, "minutes", 60);
        json_object_set_string_member (o, "service_type", "care_visit");
        json_object_set_string_member (o, "served_at", served[i]);
        id = jg_store_put (store, "service_entry", o, &error);
        g_assert_no_error (error);
      }
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_until (history_has_n, &(HistoryCount) { form, 3 });
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (jg_volunteer_form_get_history_row (form, i)),
                                     shown[i]));
}

/* Hours typed are not thrown away without asking, as in the record forms;
 * a form nobody touched closes at once. */
static void
test_time_bank_discard (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *volunteer_id = NULL;
  JgVolunteerForm *form;
  GtkWindow *child;
  AdwMessageDialog *dialog;
  g_autoptr(JsonArray) rows = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    volunteer_id = put_volunteer (store, "李娟");
  }

  fixture_open_window (f);
  wait_page (f->window, "volunteer");
  form = JG_VOLUNTEER_FORM (jg_window_open_form (f->window, "volunteer", volunteer_id));
  wait_label (GTK_LABEL (form_child (GTK_WINDOW (form), "available_label")), "0.0 h");

  for (guint redeem = 0; redeem <= 1; redeem++)
    {
      child = open_ledger (form, redeem ? "form.redeem" : "form.add-hours");
      drain ();
      g_assert_false (jg_form_has_changes (GTK_WIDGET (child)));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "window.close", NULL));
      wait_until (volunteer_child_closed, form);
    }

  child = open_ledger (form, "form.add-hours");
  drain ();
  form_set_text (child, "minutes_row", "90");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "window.close", NULL));
  drain ();
  g_assert_true (jg_volunteer_form_get_child_form (form) == child);
  dialog = jg_form_get_discard_dialog (GTK_WIDGET (child));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == child);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");

  adw_message_dialog_response (dialog, "keep");
  drain ();
  g_assert_null (jg_form_get_discard_dialog (GTK_WIDGET (child)));
  g_assert_true (jg_volunteer_form_get_child_form (form) == child);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (child, "minutes_row"))), ==, "90");

  gtk_window_close (child);
  drain ();
  dialog = jg_form_get_discard_dialog (GTK_WIDGET (child));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  wait_until (volunteer_child_closed, form);
  drain ();
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

static gboolean
participants_loaded (gpointer data)
{
  return jg_ledger_form_get_participant_check (JG_LEDGER_FORM (data), "王芳") != NULL;
}

static gboolean
activity_child_closed (gpointer data)
{
  return jg_activity_form_get_child_form (JG_ACTIVITY_FORM (data)) == NULL;
}

static gboolean
activity_loaded (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (data), "hours_group")));
}

/* Hours for participants: the one whose hours overlap is named. */
static void
test_participant_hours_flags (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *activity_id = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GtkWindow *form;
  GtkWindow *child;
  AdwMessageDialog *dialog;
  const char *body;
  g_autoptr(JsonArray) rows = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(JsonObject) earlier = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *e = NULL;

    a = put_volunteer (store, "王芳");
    b = put_volunteer (store, "李娟");
    earlier = entry_at (b, 60, "2024-06-01T09:30");
    e = jg_store_put (store, "service_entry", earlier, &error);
    g_assert_no_error (error);
    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "title", "关爱留守儿童");
    json_object_set_string_member (o, "category", "care_visit");
    json_object_set_string_member (o, "start_at", "2024-06-01T09:00");
    activity_id = jg_store_put (store, "activity", o, &error);
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  wait_page (f->window, "activity");
  form = jg_window_open_form (f->window, "activity", activity_id);
  wait_until (activity_loaded, form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.participant-hours", NULL));
  child = jg_activity_form_get_child_form (JG_ACTIVITY_FORM (form));
  wait_until (participants_loaded, child);
  drain ();
  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "王芳"), TRUE);
  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "李娟"), TRUE);
  form_set_text (child, "minutes_row", "120");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (ledger_flags_asked, child);
  dialog = jg_ledger_form_get_flags_dialog (JG_LEDGER_FORM (child));
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "李娟:"));
  g_assert_null (strstr (body, "王芳"));
  g_assert_nonnull (strstr (body, "Overlaps 1 other entry"));
  adw_message_dialog_response (dialog, "submit");
  wait_until (activity_child_closed, form);
  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
}

static void
test_participant_hours (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *activity_id = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  GtkWindow *form;
  GtkWindow *child;
  g_autoptr(JsonArray) rows = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(GError) error = NULL;

    a = put_volunteer (store, "王芳");
    b = put_volunteer (store, "李娟");
    c = put_volunteer (store, "张敏");
    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "title", "关爱留守儿童");
    json_object_set_string_member (o, "category", "care_visit");
    json_object_set_string_member (o, "start_at", "2024-06-01T09:00");
    activity_id = jg_store_put (store, "activity", o, &error);
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  wait_page (f->window, "activity");
  form = jg_window_open_form (f->window, "activity", activity_id);
  wait_until (activity_loaded, form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.participant-hours", NULL));
  child = jg_activity_form_get_child_form (JG_ACTIVITY_FORM (form));
  g_assert_true (JG_IS_LEDGER_FORM (child));
  wait_until (participants_loaded, child);
  drain ();
  /* The volunteers to tick, not a number of participants (village-gui.md item 10). */
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (form_child (child, "volunteers_group"))),
                   ==, "Volunteers Who Took Part");

  /* The activity's date and category filled in are no edit ... */
  g_assert_false (jg_form_has_changes (GTK_WIDGET (child)));
  gtk_window_close (child);
  wait_until (activity_child_closed, form);

  /* ... a tick is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.participant-hours", NULL));
  child = jg_activity_form_get_child_form (JG_ACTIVITY_FORM (form));
  wait_until (participants_loaded, child);
  drain ();
  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "李娟"), TRUE);
  gtk_window_close (child);
  drain ();
  g_assert_nonnull (jg_form_get_discard_dialog (GTK_WIDGET (child)));
  adw_message_dialog_response (jg_form_get_discard_dialog (GTK_WIDGET (child)), "keep");
  drain ();
  g_assert_true (jg_activity_form_get_child_form (JG_ACTIVITY_FORM (form)) == child);
  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "李娟"), FALSE);

  /* Nobody ticked: said so, nothing written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (form_child (child, "error_revealer"))));

  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "王芳"), TRUE);
  gtk_check_button_set_active (jg_ledger_form_get_participant_check (JG_LEDGER_FORM (child), "张敏"), TRUE);
  form_set_text (child, "minutes_row", "150");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (child), "form.save", NULL));
  wait_until (activity_child_closed, form);

  rows = store_list (f, "service_entry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      const char *v = json_object_get_string_member (o, "volunteer");

      g_assert_true (g_strcmp0 (v, a) == 0 || g_strcmp0 (v, c) == 0);
      g_assert_cmpint (json_object_get_int_member (o, "minutes"), ==, 150);
      g_assert_cmpstr (json_object_get_string_member (o, "activity"), ==, activity_id);
      g_assert_cmpstr (json_object_get_string_member (o, "service_type"), ==, "care_visit");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "served_at"), "2024-06-01T09:00"));
      g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
    }
  (void) b;
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/jg/ui/inspection/live-score", test_inspection_live_score);
  ADD ("/jg/ui/inspection/error-at-field", test_inspection_error_at_field);
  ADD ("/jg/ui/inspection/submit-needs", test_inspection_submit_needs);
  ADD ("/jg/ui/award/nominate-from-household", test_nominate_from_household);
  ADD ("/jg/ui/award/page-new", test_award_page_new);
  ADD ("/jg/ui/designation/state-shown", test_designation_state_shown);
  ADD ("/jg/ui/list/filters", test_list_filters);
  ADD ("/jg/ui/list/unit-filter", test_list_unit_filter);
  ADD ("/jg/ui/list/date-filter", test_list_date_filter);
  ADD ("/jg/ui/list/filters-combined", test_list_filters_combined);
  ADD ("/jg/ui/time-bank/volunteer", test_time_bank);
  ADD ("/jg/ui/time-bank/participants", test_participant_hours);
  ADD ("/jg/ui/time-bank/participants-flags", test_participant_hours_flags);
  ADD ("/jg/ui/time-bank/flags-shown", test_time_bank_flags_shown);
  ADD ("/jg/ui/time-bank/discard", test_time_bank_discard);
  ADD ("/jg/ui/time-bank/reverse", test_time_bank_reverse);
  ADD ("/jg/ui/time-bank/returned-reversal", test_time_bank_returned_reversal);
  ADD ("/jg/ui/time-bank/refused-redemption", test_time_bank_refused_redemption);
  ADD ("/jg/ui/time-bank/history-order", test_time_bank_history_order);
#undef ADD

  return g_test_run ();
}
