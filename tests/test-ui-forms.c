/* test-ui-forms.c: the record forms, driven through their widgets */

#include "config.h"

#include <string.h>

#include "jg-form.h"
#include "jg-record.h"
#include "jg-ui-test.h"

static gboolean
form_closed (gpointer data)
{
  return jg_window_get_form (JG_WINDOW (data)) == NULL;
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

typedef struct
{
  GtkWindow  *form;
  const char *row;
  const char *text;
} RowText;

/* An existing record's form has read it when a row shows its value. */
static gboolean
row_shows (gpointer data)
{
  RowText *r = data;

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (form_child (r->form, r->row))), r->text) == 0;
}

static gboolean
revealer_revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (data));
}

static GtkWindow *
new_form (Fixture    *f,
          const char *entity)
{
  GtkWindow *form;

  wait_page (f->window, entity);
  jg_window_set_visible_page (f->window, entity);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL));
  form = jg_window_get_form (f->window);
  g_assert_nonnull (form);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form)));
  return form;
}

static void
fill_activity (GtkWindow *form)
{
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "title_row", "三八妇女节宣讲");
  adw_combo_row_set_selected (ADW_COMBO_ROW (form_child (form, "category_row")), 1);   /* 培训 */
  form_set_text (form, "start_at_row", "2024-03-08 09:30");
  form_set_text (form, "location_row", "大田刘村文化礼堂");
  form_set_text (form, "participants_row", "40");
  form_set_text (form, "participants_women_row", "35");
  form_set_text (form, "participants_children_row", "5");
  form_set_text (form, "beneficiaries_row", "120");
  form_set_text (form, "funds_yuan_row", "1500.5");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (form_child (form, "summary_view"))),
                            "宣讲《妇女权益保障法》", -1);
}

static void
test_category_labels (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *form;
  GListModel *labels;

  fixture_open_window (f);
  form = new_form (f, "activity");
  labels = adw_combo_row_get_model (ADW_COMBO_ROW (form_child (form, "category_row")));
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, 8);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0), ==, "宣讲");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 1), ==, "培训");
}

static void
test_create_activity (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;
  JgRecordList *model;
  JgRecordPage *page;

  fixture_open_window (f);
  form = new_form (f, "activity");
  fill_activity (form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);

  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "三八妇女节宣讲");
  g_assert_cmpstr (json_object_get_string_member (o, "category"), ==, "training");
  g_assert_cmpstr (json_object_get_string_member (o, "org_unit"), ==, UNIT);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "start_at"), "2024-03-08T09:30"));
  g_assert_cmpstr (json_object_get_string_member (o, "location"), ==, "大田刘村文化礼堂");
  g_assert_cmpint (json_object_get_int_member (o, "participants"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (o, "participants_women"), ==, 35);
  g_assert_cmpint (json_object_get_int_member (o, "participants_children"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "beneficiaries"), ==, 120);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "funds_yuan"), 1500.5, 0.001);
  g_assert_cmpstr (json_object_get_string_member (o, "summary"), ==, "宣讲《妇女权益保障法》");
  g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "draft");

  /* The list shows it without being asked. */
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");

  /* The next record gets the same village. */
  form = new_form (f, "activity");
  wait_until (row_shows, &(RowText) { form, "org_unit_row", UNIT });
}

static void
test_women_above_participants (Fixture       *f,
                               gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  form = new_form (f, "activity");
  fill_activity (form);
  form_set_text (form, "participants_row", "10");
  form_set_text (form, "participants_women_row", "20");
  form_set_text (form, "participants_children_row", "0");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "participants_women" });

  g_assert_cmpstr (form_field_error_text (form, "participants_women"), !=, "");
  g_assert_false (form_field_shows_error (form, "title"));
  g_assert_true (jg_window_get_form (f->window) == form);
  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);

  /* Fixed, it saves, and the error goes away. */
  form_set_text (form, "participants_women_row", "8");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  g_clear_pointer (&rows, json_array_unref);
  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void
test_empty_title (Fixture       *f,
                  gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  form = new_form (f, "activity");
  fill_activity (form);
  form_set_text (form, "title_row", "   ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "title" });

  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

static void
test_submit_for_review (Fixture       *f,
                        gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  form = new_form (f, "activity");
  fill_activity (form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (form_closed, f->window);

  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "review_state"),
                   ==, "submitted");
}

static void
test_returned_shows_note (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkWindow *form;
  GtkRevealer *revealer;
  const char *text;

  {
    /* A county reviewer returns a submitted record on this store. */
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(JsonObject) back = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *again = NULL;

    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "title", "关爱留守儿童");
    json_object_set_string_member (o, "category", "care_visit");
    json_object_set_string_member (o, "start_at", "2024-06-01T09:00");
    json_object_set_string_member (o, "review_state", "submitted");
    id = jg_store_put (store, "activity", o, &error);
    g_assert_no_error (error);

    g_assert_true (jg_store_set_meta (store, "role", "county_reviewer", &error));
    g_assert_true (jg_store_set_meta (store, "org_unit", "331082", &error));
    json_object_set_string_member (back, "id", id);
    json_object_set_string_member (back, "review_state", "returned");
    json_object_set_string_member (back, "review_note", "请补充活动照片");
    again = jg_store_put (store, "activity", back, &error);
    g_assert_no_error (error);
    g_assert_true (jg_store_set_meta (store, "role", "", &error));
    g_assert_true (jg_store_set_meta (store, "org_unit", "", &error));
  }

  fixture_open_window (f);
  wait_page (f->window, "activity");
  form = jg_window_open_form (f->window, "activity", id);
  g_assert_nonnull (form);
  revealer = GTK_REVEALER (form_child (form, "review_revealer"));
  wait_until (revealer_revealed, revealer);
  text = gtk_label_get_text (GTK_LABEL (form_child (form, "review_label")));
  g_assert_nonnull (strstr (text, "请补充活动照片"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "title_row"))), ==, "关爱留守儿童");

  /* Edited and sent again. */
  form_set_text (form, "location_row", "大田刘村");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.submit", NULL));
  wait_until (form_closed, f->window);
  {
    g_autoptr(JsonArray) rows = store_list (f, "activity");
    JsonObject *o = json_array_get_object_element (rows, 0);

    g_assert_cmpstr (json_object_get_string_member (o, "review_state"), ==, "submitted");
    g_assert_cmpstr (json_object_get_string_member (o, "location"), ==, "大田刘村");
  }
}

static void
test_household_phone (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *form;
  JgRecordList *model;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JgRecord) record = NULL;
  g_autofree char *masked = NULL;
  const char *id;

  fixture_open_window (f);
  form = new_form (f, "household");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "head_name_row", "王芳");
  form_set_text (form, "address_row", "大田刘村12号");
  form_set_text (form, "member_count_row", "4");

  /* A phone the store refuses is shown at the phone row. */
  form_set_text (form, "phone_row", "12345");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "phone" });
  rows = store_list (f, "household");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  g_clear_pointer (&rows, json_array_unref);

  form_set_text (form, "phone_row", "13812345678");
  gtk_switch_set_active (GTK_SWITCH (form_child (form, "publicity_consent_switch")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);

  rows = store_list (f, "household");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "phone"), ==, "13812345678");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (rows, 0), "publicity_consent"));
  id = json_object_get_string_member (json_array_get_object_element (rows, 0), "id");

  /* Masked in the list ... */
  model = wait_page (f->window, "household");
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_clear_object (&record);
  drain ();
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  masked = jg_record_dup_display (record, "phone");
  g_assert_cmpstr (masked, ==, "138****5678");

  /* ... full in the record's own form. */
  form = jg_window_open_form (f->window, "household", id);
  drain ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "phone_row"))), ==, "13812345678");
}

static void
test_volunteer_id_number (Fixture       *f,
                          gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;

  fixture_open_window (f);
  form = new_form (f, "volunteer");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "name_row", "李娟");
  form_set_text (form, "birth_year_row", "1985");
  form_set_text (form, "phone_row", "13900001111");

  /* PIPL: never the full ID number. */
  form_set_text (form, "id_last4_row", "33108219850101002X");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "id_last4" });
  rows = store_list (f, "volunteer");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  g_clear_pointer (&rows, json_array_unref);

  form_set_text (form, "id_last4_row", "002x");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  rows = store_list (f, "volunteer");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "李娟");
  g_assert_cmpstr (json_object_get_string_member (o, "gender"), ==, "female");
  g_assert_cmpint (json_object_get_int_member (o, "birth_year"), ==, 1985);
  g_assert_cmpstr (json_object_get_string_member (o, "id_last4"), ==, "002X");
  g_assert_true (json_object_get_boolean_member (o, "active"));
}

static void
test_cancel_writes_nothing (Fixture       *f,
                            gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  AdwMessageDialog *dialog;

  fixture_open_window (f);
  form = new_form (f, "activity");
  drain ();
  fill_activity (form);

  /* Edits are not thrown away without asking ... */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "window.close", NULL));
  drain ();
  g_assert_true (jg_window_get_form (f->window) == form);
  dialog = jg_form_get_discard_dialog (GTK_WIDGET (form));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == form);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");

  /* ... "Keep Editing" keeps them ... */
  adw_message_dialog_response (dialog, "keep");
  drain ();
  g_assert_null (jg_form_get_discard_dialog (GTK_WIDGET (form)));
  g_assert_true (jg_window_get_form (f->window) == form);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "title_row"))), ==, "三八妇女节宣讲");

  /* ... and "Discard" closes the form, writing nothing. */
  gtk_window_close (form);
  drain ();
  dialog = jg_form_get_discard_dialog (GTK_WIDGET (form));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  wait_until (form_closed, f->window);
  drain ();
  rows = store_list (f, "activity");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

/* Nothing changed, nothing to ask: a blank form, or a record only read. */
static void
test_cancel_unchanged_closes (Fixture       *f,
                              gconstpointer  data)
{
  static const char * const entities[] = { "activity", "volunteer", "household", "award" };
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      form = new_form (f, entities[i]);
      drain ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "window.close", NULL));
      wait_until (form_closed, f->window);
    }

  form = new_form (f, "activity");
  fill_activity (form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  rows = store_list (f, "activity");
  form = jg_window_open_form (f->window, "activity",
                              json_object_get_string_member (json_array_get_object_element (rows, 0), "id"));
  wait_until (row_shows, &(RowText) { form, "title_row", "三八妇女节宣讲" });
  drain ();
  g_assert_false (jg_form_has_changes (GTK_WIDGET (form)));
  gtk_window_close (form);
  wait_until (form_closed, f->window);
}

static const char *
row_text (GtkWindow  *form,
          const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (form_child (form, name)));
}

/* A blank form shows its numbers blank: 0 is a count, not "not known". */
static void
test_numbers_start_blank (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *entity; const char *row; } numbers[] = {
    { "volunteer", "birth_year_row" },
    { "household", "member_count_row" },
    { "activity", "participants_row" },
    { "activity", "participants_women_row" },
    { "activity", "participants_children_row" },
    { "activity", "beneficiaries_row" },
    { "activity", "funds_yuan_row" },
  };

  fixture_open_window (f);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      GtkWindow *form = new_form (f, numbers[i].entity);

      g_assert_true (ADW_IS_ENTRY_ROW (form_child (form, numbers[i].row)));
      g_assert_cmpstr (row_text (form, numbers[i].row), ==, "");
      gtk_window_destroy (form);
      drain ();
    }
}

/* Untouched optional numbers are stored as nothing, and read back blank;
 * numbers typed with a Chinese input method's full-width digits count. */
static void
test_untouched_numbers_null (Fixture       *f,
                             gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *o;
  const char *id;

  fixture_open_window (f);
  form = new_form (f, "volunteer");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "name_row", "陈静");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);

  form = new_form (f, "activity");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "title_row", "家风家训宣讲");
  form_set_text (form, "start_at_row", "2024-05-15 14:00");
  form_set_text (form, "participants_row", "３０");
  form_set_text (form, "funds_yuan_row", "200。5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);

  rows = store_list (f, "volunteer");
  o = json_array_get_object_element (rows, 0);
  g_assert_true (!json_object_has_member (o, "birth_year") || json_object_get_null_member (o, "birth_year"));
  id = json_object_get_string_member (o, "id");
  form = jg_window_open_form (f->window, "volunteer", id);
  wait_until (row_shows, &(RowText) { form, "name_row", "陈静" });
  g_assert_cmpstr (row_text (form, "birth_year_row"), ==, "");
  gtk_window_destroy (form);
  drain ();
  g_clear_pointer (&rows, json_array_unref);

  rows = store_list (f, "activity");
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (o, "participants"), ==, 30);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "funds_yuan"), 200.5, 0.001);
  for (guint i = 0; i < 3; i++)
    {
      const char *field = (const char *[]) { "participants_women", "participants_children", "beneficiaries" }[i];

      g_assert_true (!json_object_has_member (o, field) || json_object_get_null_member (o, field));
    }
  id = json_object_get_string_member (o, "id");
  form = jg_window_open_form (f->window, "activity", id);
  wait_until (row_shows, &(RowText) { form, "title_row", "家风家训宣讲" });
  g_assert_cmpstr (row_text (form, "participants_row"), ==, "30");
  g_assert_cmpstr (row_text (form, "participants_women_row"), ==, "");
  g_assert_cmpstr (row_text (form, "funds_yuan_row"), ==, "200.5");
}

/* A required number left blank gets the store's "required" message at
 * its row; text that is no number gets the store's message too. */
static void
test_required_number_blank (Fixture       *f,
                            gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) rows = NULL;

  fixture_open_window (f);
  form = new_form (f, "award");
  g_assert_cmpstr (row_text (form, "year_row"), !=, "");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "family_name_row", "王家");
  form_set_text (form, "year_row", "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (field_error_shown, &(FieldRef) { form, "year" });
  g_assert_cmpstr (form_field_error_text (form, "year"), !=, "");

  form_set_text (form, "year_row", "去年");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  drain ();
  wait_until (field_error_shown, &(FieldRef) { form, "year" });
  rows = store_list (f, "award");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

static void
test_choose_org_unit (void)
{
  static const struct { const char *own, *last, *expected; } cases[] = {
    { NULL, NULL, "" },
    { "", "", "" },
    { NULL, UNIT, UNIT },                         /* local profile: the last one */
    { UNIT, NULL, UNIT },                         /* signed in: her own unit */
    { "331082004", UNIT, UNIT },                  /* a township's village */
    { UNIT, "331082001001", UNIT },               /* another user's village */
    { "331082004", "331082001001", "331082004" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = jg_form_choose_org_unit (cases[i].own, cases[i].last);

      g_assert_cmpstr (code, ==, cases[i].expected);
    }
}

/* Every new record starts in the signed-in user's unit. */
static void
test_new_records_in_own_unit (Fixture       *f,
                              gconstpointer  data)
{
  static const char * const entities[] = { "activity", "volunteer", "household", "award" };

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(GError) error = NULL;

    g_assert_true (jg_store_set_meta (store, "role", "village_staff", &error));
    g_assert_true (jg_store_set_meta (store, "org_unit", UNIT, &error));
  }

  fixture_open_window (f);
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      GtkWindow *form = new_form (f, entities[i]);

      wait_until (row_shows, &(RowText) { form, "org_unit_row", UNIT });
      gtk_window_destroy (form);
      drain ();
    }
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/jg/ui/activity/category-labels", test_category_labels);
  ADD ("/jg/ui/activity/create", test_create_activity);
  ADD ("/jg/ui/activity/women-above-participants", test_women_above_participants);
  ADD ("/jg/ui/activity/empty-title", test_empty_title);
  ADD ("/jg/ui/activity/submit-for-review", test_submit_for_review);
  ADD ("/jg/ui/activity/returned-shows-note", test_returned_shows_note);
  ADD ("/jg/ui/activity/cancel-writes-nothing", test_cancel_writes_nothing);
  ADD ("/jg/ui/form/cancel-unchanged-closes", test_cancel_unchanged_closes);
  ADD ("/jg/ui/household/phone", test_household_phone);
  ADD ("/jg/ui/volunteer/id-number", test_volunteer_id_number);
  g_test_add_func ("/jg/ui/form/choose-org-unit", test_choose_org_unit);
  ADD ("/jg/ui/form/new-records-in-own-unit", test_new_records_in_own_unit);
  ADD ("/jg/ui/form/numbers-start-blank", test_numbers_start_blank);
  ADD ("/jg/ui/form/untouched-numbers-null", test_untouched_numbers_null);
  ADD ("/jg/ui/form/required-number-blank", test_required_number_blank);
#undef ADD

  return g_test_run ();
}
