/* test-ui-forms.c: the record forms, driven through their widgets */

#include "config.h"

#include <string.h>

#include "jg-entity.h"
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

/* Whether a label under @widget shows @text (a toast's, for one). */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
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
  /* Saved, not submitted: the toast says so. */
  g_assert_true (shows_label (GTK_WIDGET (f->window), "Saved"));
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
  /* The toast says it went to a reviewer, not only "Saved"
   * (village-gui.md item 10). */
  g_assert_true (shows_label (GTK_WIDGET (f->window), "Submitted for review"));
  g_assert_false (shows_label (GTK_WIDGET (f->window), "Saved"));

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

typedef struct
{
  GListModel *model;
  guint       n;
} ListCount;

static gboolean
list_has_n (gpointer data)
{
  ListCount *c = data;

  return g_list_model_get_n_items (c->model) == c->n;
}

static gboolean
action_is_enabled (gpointer data)
{
  GtkWidget *form = data;

  return gtk_widget_get_visible (GTK_WIDGET (form_child (GTK_WINDOW (form), "delete_button"))) &&
         gtk_widget_is_sensitive (GTK_WIDGET (form_child (GTK_WINDOW (form), "delete_button")));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Deleted;

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deleted *d = user_data;

  d->ok = jg_store_worker_delete_finish (JG_STORE_WORKER (object), result, &d->error);
  d->done = TRUE;
}

static gboolean
deleted_done (gpointer data)
{
  return ((Deleted *) data)->done;
}

static char *
put_json (JgStore     *store,
          const char  *entity,
          const char  *json,
          GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, error);

  if (node == NULL)
    return NULL;
  return jg_store_put (store, entity, json_node_get_object (node), error);
}

/* Deletes the record @id through its form's Delete button, after asking. */
static void
delete_from_form (Fixture    *f,
                  const char *entity,
                  const char *id,
                  const char *heading)
{
  GtkWindow *form = jg_window_open_form (f->window, entity, id);
  AdwMessageDialog *dialog;

  g_assert_nonnull (form);
  wait_until (action_is_enabled, form);

  /* Asked first; cancelling deletes nothing. */
  g_signal_emit_by_name (form_child (form, "delete_button"), "clicked");
  dialog = jg_form_get_delete_dialog (GTK_WIDGET (form));
  g_assert_nonnull (dialog);
  /* It names the record, not only its kind. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  drain ();
  g_assert_null (jg_form_get_delete_dialog (GTK_WIDGET (form)));
  g_assert_true (jg_window_get_form (f->window) == form);

  g_signal_emit_by_name (form_child (form, "delete_button"), "clicked");
  dialog = jg_form_get_delete_dialog (GTK_WIDGET (form));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  wait_until (form_closed, f->window);
}

/* A household entered twice and an activity entered twice are deleted
 * from their forms: a tombstone, and the lists no longer show them
 * (exploratory test village-gui item 4).  A ledger entry is not deleted. */
static void
test_delete_records (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *household = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *activity = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *approved = NULL;
  GListModel *model;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(GError) error = NULL;
    g_autofree char *volunteer = NULL;
    const char *households[] = {
      "{\"org_unit\":\"" UNIT "\",\"head_name\":\"王秀英\"}",
      "{\"org_unit\":\"" UNIT "\",\"head_name\":\"Dup\"}",
    };
    const char *activity_json = "{\"org_unit\":\"" UNIT "\",\"title\":\"端午包粽子\",\"category\":\"culture_sports\","
                                "\"start_at\":\"2024-06-10T09:00\"}";
    g_autofree char *entry_json = NULL;

    household = put_json (store, "household", households[0], &error);
    g_assert_no_error (error);
    dup = put_json (store, "household", households[1], &error);
    g_assert_no_error (error);
    activity = put_json (store, "activity", activity_json, &error);
    g_assert_no_error (error);
    twice = put_json (store, "activity", activity_json, &error);
    g_assert_no_error (error);
    volunteer = put_json (store, "volunteer", "{\"org_unit\":\"" UNIT "\",\"name\":\"李娟\"}", &error);
    g_assert_no_error (error);
    entry_json = g_strdup_printf ("{\"org_unit\":\"" UNIT "\",\"volunteer\":\"%s\",\"minutes\":60,"
                                  "\"service_type\":\"care_visit\",\"served_at\":\"2024-06-10T09:00\"}", volunteer);
    entry = put_json (store, "service_entry", entry_json, &error);
    g_assert_no_error (error);
    approved = put_json (store, "household", "{\"org_unit\":\"" UNIT "\",\"head_name\":\"张丽\"}", &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *step = g_strdup_printf ("{\"id\":\"%s\",\"review_state\":\"%s\"}", approved,
                                                 i == 0 ? "submitted" : "approved");

        g_free (put_json (store, "household", step, &error));
        g_assert_no_error (error);
      }
  }

  fixture_open_window (f);
  model = G_LIST_MODEL (wait_page (f->window, "household"));
  wait_until (list_has_n, &(ListCount) { model, 3 });

  /* An approved record is not deleted: the button shows why, and the
   * worker refuses it too. */
  {
    GtkWindow *form = jg_window_open_form (f->window, "household", approved);
    GtkWidget *button;
    Deleted d = { 0 };

    g_assert_nonnull (form);
    wait_until (row_shows, &(RowText) { form, "head_name_row", "张丽" });
    drain ();
    button = GTK_WIDGET (form_child (form, "delete_button"));
    g_assert_true (gtk_widget_get_visible (button));
    g_assert_false (gtk_widget_is_sensitive (button));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                     "The Household has been approved, so it is not deleted; ask the reviewer to return it first");
    gtk_window_close (form);
    wait_until (form_closed, f->window);

    jg_store_worker_delete_async (f->worker, "household", approved, NULL, deleted_cb, &d);
    wait_until (deleted_done, &d);
    g_assert_false (d.ok);
    g_assert_error (d.error, JG_ERROR, JG_ERROR_TRANSITION);
    g_clear_error (&d.error);
  }

  delete_from_form (f, "household", dup, "Delete Household “Dup”?");
  wait_until (list_has_n, &(ListCount) { model, 2 });

  model = G_LIST_MODEL (wait_page (f->window, "activity"));
  wait_until (list_has_n, &(ListCount) { model, 2 });
  delete_from_form (f, "activity", twice, "Delete Activity “端午包粽子”?");
  wait_until (list_has_n, &(ListCount) { model, 1 });

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
    g_autoptr(JsonObject) h = NULL;
    g_autoptr(JsonObject) a = NULL;
    g_autoptr(JsonObject) kept = NULL;

    g_assert_no_error (error);
    h = jg_store_get (store, "household", dup, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (h, "deleted"));
    a = jg_store_get (store, "activity", twice, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (a, "deleted"));
    kept = jg_store_get (store, "household", household, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_get_boolean_member_with_default (kept, "deleted", FALSE));
  }

  /* A ledger entry: the rule's refusal, through the same worker call. */
  {
    Deleted d = { 0 };

    jg_store_worker_delete_async (f->worker, "service_entry", entry, NULL, deleted_cb, &d);
    wait_until (deleted_done, &d);
    g_assert_false (d.ok);
    g_assert_error (d.error, JG_ERROR, JG_ERROR_IMMUTABLE);
    g_assert_cmpstr (d.error->message, ==, "Ledger entries cannot be deleted; record a reversing entry instead");
    g_clear_error (&d.error);
  }
  (void) activity;
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

/* ---- a record changed elsewhere while its form is open ---- */

/* A household in the app's store, and a copy of that store on "another
 * laptop" (the county's) that has received it. */
static char *
household_on_two_laptops (Fixture  *f,
                          char    **other_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = fixture_open_store (f);
  g_autoptr(JgStore) other = NULL;
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) bundle = NULL;
  char *id;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "head_name", "朱宇航");
  json_object_set_string_member (o, "address", "文化社区22幢203室");
  json_object_set_int_member (o, "member_count", 4);
  json_object_set_string_member (o, "phone", "18819829936");
  id = jg_store_put (store, "household", o, &error);
  g_assert_no_error (error);

  *other_path = g_build_filename (f->dir, "county.db", NULL);
  other = jg_store_open (*other_path, JG_STORE_CREATE, &error);
  g_assert_no_error (error);
  bundle = jg_store_export_bundle (store, 0, &error);
  g_assert_no_error (error);
  jg_store_import_bundle (other, bundle, NULL, &error);
  g_assert_no_error (error);
  return id;
}

/* The county corrects @fields on its laptop and the app's store receives
 * it, as a sync does (with a connection of its own), then tells the
 * window. */
static void
county_corrects (Fixture    *f,
                 const char *other_path,
                 JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) other = jg_store_open (other_path, 0, &error);
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  id = jg_store_put (other, "household", fields, &error);
  g_assert_no_error (error);
  bundle = jg_store_export_bundle (other, 0, &error);
  g_assert_no_error (error);
  store = jg_store_open (f->path, 0, &error);
  g_assert_no_error (error);
  jg_store_import_bundle (store, bundle, NULL, &error);
  g_assert_no_error (error);
  jg_store_worker_notify_changed (f->worker, "household");
}

static JsonObject *
store_get (Fixture    *f,
           const char *entity,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
  JsonObject *o;

  g_assert_no_error (error);
  o = jg_store_get (store, entity, id, &error);
  g_assert_no_error (error);
  return o;
}

static gboolean
changed_banner_shown (gpointer data)
{
  return jg_form_get_changed_banner (GTK_WIDGET (data)) != NULL;
}

static guint
count_hard_conflicts (Fixture    *f,
                      const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = jg_store_open (f->path, 0, &error);
  g_autoptr(JsonArray) conflicts = NULL;
  guint n = 0;

  g_assert_no_error (error);
  conflicts = jg_store_list_conflicts (store, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (c, "kind", NULL), "hard") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (c, "field", NULL), field) == 0)
        n++;
    }
  return n;
}

/* The exploratory tester's case: the county corrects the address and the
 * phone while the household's form is open; the user changes only the
 * number of members, and the phone too, and saves without looking. */
static void
test_save_keeps_changes_made_elsewhere (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *other_path = NULL;
  g_autofree char *id = household_on_two_laptops (f, &other_path);
  g_autoptr(JsonObject) correction = json_object_new ();
  g_autoptr(JsonObject) o = NULL;
  GtkWindow *form;

  fixture_open_window (f);
  form = jg_window_open_form (f->window, "household", id);
  wait_until (row_shows, &(RowText) { form, "address_row", "文化社区22幢203室" });
  form_set_text (form, "member_count_row", "5");
  form_set_text (form, "phone_row", "13700001111");

  json_object_set_string_member (correction, "id", id);
  json_object_set_string_member (correction, "address", "文化社区22幢203室（县更正）");
  json_object_set_string_member (correction, "phone", "13911112222");
  county_corrects (f, other_path, correction);

  /* She is told, and what she typed stays. */
  wait_until (changed_banner_shown, form);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "member_count_row"))), ==, "5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "address_row"))), ==, "文化社区22幢203室");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);

  o = store_get (f, "household", id);
  /* The county's address kept: she never touched it. */
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "文化社区22幢203室（县更正）");
  g_assert_cmpint (json_object_get_int_member (o, "member_count"), ==, 5);
  /* Both changed the phone: hers is the later, and the county's is not
   * lost, it is a conflict for a reviewer. */
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "13700001111");
  g_assert_cmpuint (count_hard_conflicts (f, "phone"), ==, 1);
  g_assert_cmpuint (count_hard_conflicts (f, "address"), ==, 0);
  /* A switch she never touched writes nothing (it was unset). */
  g_assert_true (json_object_get_null_member (o, "publicity_consent"));
}

/* Nothing typed yet: the form simply shows the new version, and says so. */
static void
test_unedited_form_follows_changes (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *other_path = NULL;
  g_autofree char *id = household_on_two_laptops (f, &other_path);
  g_autoptr(JsonObject) correction = json_object_new ();
  g_autoptr(JsonObject) o = NULL;
  GtkWindow *form;

  fixture_open_window (f);
  form = jg_window_open_form (f->window, "household", id);
  wait_until (row_shows, &(RowText) { form, "address_row", "文化社区22幢203室" });

  json_object_set_string_member (correction, "id", id);
  json_object_set_string_member (correction, "address", "文化社区22幢203室（县更正）");
  county_corrects (f, other_path, correction);
  wait_until (row_shows, &(RowText) { form, "address_row", "文化社区22幢203室（县更正）" });
  g_assert_nonnull (jg_form_get_changed_banner (GTK_WIDGET (form)));
  g_assert_false (jg_form_has_changes (GTK_WIDGET (form)));

  form_set_text (form, "member_count_row", "5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  o = store_get (f, "household", id);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "文化社区22幢203室（县更正）");
  g_assert_cmpint (json_object_get_int_member (o, "member_count"), ==, 5);
  g_assert_cmpuint (count_hard_conflicts (f, "address"), ==, 0);
}

/* The banner's button: the other changes fill the fields she has not
 * edited; her edits stay, and one made on both sides is named. */
static void
test_load_changes_keeps_edits (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *other_path = NULL;
  g_autofree char *id = household_on_two_laptops (f, &other_path);
  g_autoptr(JsonObject) correction = json_object_new ();
  g_autoptr(JsonObject) o = NULL;
  GtkWindow *form;
  const char *banner;

  fixture_open_window (f);
  form = jg_window_open_form (f->window, "household", id);
  wait_until (row_shows, &(RowText) { form, "address_row", "文化社区22幢203室" });
  form_set_text (form, "member_count_row", "5");
  form_set_text (form, "phone_row", "13700001111");

  json_object_set_string_member (correction, "id", id);
  json_object_set_string_member (correction, "address", "文化社区22幢203室（县更正）");
  json_object_set_string_member (correction, "phone", "13911112222");
  county_corrects (f, other_path, correction);
  wait_until (changed_banner_shown, form);

  jg_form_load_changes (GTK_WIDGET (form));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "address_row"))), ==, "文化社区22幢203室（县更正）");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "member_count_row"))), ==, "5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "phone_row"))), ==, "13700001111");
  g_assert_true (jg_form_has_changes (GTK_WIDGET (form)));
  banner = jg_form_get_changed_banner (GTK_WIDGET (form));
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, jg_field_label ("phone")));

  /* Another change signal with nothing new (any record saved, a sync):
   * the loaded changes are no news, the banner stays as it is. */
  {
    g_autofree char *before = g_strdup (jg_form_get_changed_banner (GTK_WIDGET (form)));

    jg_store_worker_notify_changed (f->worker, "household");
    for (int i = 0; i < 20; i++)
      {
        drain ();
        g_usleep (10000);
      }
    g_assert_cmpstr (jg_form_get_changed_banner (GTK_WIDGET (form)), ==, before);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  o = store_get (f, "household", id);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "文化社区22幢203室（县更正）");
  g_assert_cmpint (json_object_get_int_member (o, "member_count"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "13700001111");
  g_assert_cmpuint (count_hard_conflicts (f, "phone"), ==, 1);
}

/* DOMAIN.md's household tags and activity partners are entered in the
 * forms, and read back there. */
static void
test_tags_and_partners (Fixture       *f,
                        gconstpointer  data)
{
  GtkWindow *form;
  g_autoptr(JsonArray) households = NULL;
  g_autoptr(JsonArray) activities = NULL;
  JsonObject *o;
  JsonArray *tags;

  fixture_open_window (f);
  form = new_form (f, "household");
  form_set_text (form, "org_unit_row", UNIT);
  form_set_text (form, "head_name_row", "王芳");
  form_set_text (form, "member_count_row", "4");
  form_set_text (form, "tags_row", "留守、 低保");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  households = store_list (f, "household");
  o = json_array_get_object_element (households, 0);
  tags = json_object_get_array_member (o, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "留守");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "低保");
  form = jg_window_open_form (f->window, "household", json_object_get_string_member (o, "id"));
  wait_until (row_shows, &(RowText) { form, "tags_row", "留守, 低保" });
  gtk_window_close (form);
  wait_until (form_closed, f->window);

  form = new_form (f, "activity");
  fill_activity (form);
  form_set_text (form, "partners_row", "大田街道卫生服务中心");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL));
  wait_until (form_closed, f->window);
  activities = store_list (f, "activity");
  o = json_array_get_object_element (activities, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "partners"), ==, "大田街道卫生服务中心");
  form = jg_window_open_form (f->window, "activity", json_object_get_string_member (o, "id"));
  wait_until (row_shows, &(RowText) { form, "partners_row", "大田街道卫生服务中心" });
}

/* Another laptop deletes the household while its form is open here, and a
 * sync merges the deletion: the banner says it was deleted (not merely
 * changed), what she typed stays shown, saving is refused rather than
 * bringing the household back, and the banner's button closes the form. */
static void
test_deleted_elsewhere (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *other_path = NULL;
  g_autofree char *id = household_on_two_laptops (f, &other_path);
  g_autoptr(JsonObject) o = NULL;
  GtkWindow *form;
  const char *banner;

  fixture_open_window (f);
  form = jg_window_open_form (f->window, "household", id);
  wait_until (row_shows, &(RowText) { form, "address_row", "文化社区22幢203室" });
  form_set_text (form, "member_count_row", "5");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JgStore) other = jg_store_open (other_path, 0, &error);
    g_autoptr(JgStore) store = NULL;
    g_autoptr(JsonNode) bundle = NULL;

    g_assert_no_error (error);
    g_assert_true (jg_store_delete (other, "household", id, &error));
    bundle = jg_store_export_bundle (other, 0, &error);
    g_assert_no_error (error);
    store = jg_store_open (f->path, 0, &error);
    g_assert_no_error (error);
    jg_store_import_bundle (store, bundle, NULL, &error);
    g_assert_no_error (error);
    jg_store_worker_notify_changed (f->worker, "household");
  }

  wait_until (changed_banner_shown, form);
  banner = jg_form_get_changed_banner (GTK_WIDGET (form));
  g_assert_nonnull (strstr (banner, "deleted"));
  g_assert_true (jg_form_is_deleted_elsewhere (GTK_WIDGET (form)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (form, "member_count_row"))), ==, "5");

  /* Saving does nothing: the household stays deleted, her value unsaved. */
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (jg_window_get_form (f->window) == form);
  o = store_get (f, "household", id);
  g_assert_true (json_object_get_boolean_member (o, "deleted"));
  g_assert_cmpint (json_object_get_int_member (o, "member_count"), !=, 5);

  /* The banner's button closes the form, without asking about her edits. */
  jg_form_load_changes (GTK_WIDGET (form));
  wait_until (form_closed, f->window);
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
  ADD ("/jg/ui/form/delete-records", test_delete_records);
  ADD ("/jg/ui/form/new-records-in-own-unit", test_new_records_in_own_unit);
  ADD ("/jg/ui/form/numbers-start-blank", test_numbers_start_blank);
  ADD ("/jg/ui/form/untouched-numbers-null", test_untouched_numbers_null);
  ADD ("/jg/ui/form/required-number-blank", test_required_number_blank);
  ADD ("/jg/ui/form/save-keeps-changes-made-elsewhere", test_save_keeps_changes_made_elsewhere);
  ADD ("/jg/ui/form/unedited-form-follows-changes", test_unedited_form_follows_changes);
  ADD ("/jg/ui/form/load-changes-keeps-edits", test_load_changes_keeps_edits);
  ADD ("/jg/ui/form/deleted-elsewhere", test_deleted_elsewhere);
  ADD ("/jg/ui/form/tags-and-partners", test_tags_and_partners);
#undef ADD

  return g_test_run ();
}
