/* test-ui-window.c: the main window, its pages and lists */

#include "config.h"

#include <string.h>

#include "jg-record.h"
#include "jg-sync-button.h"
#include "jg-ui-test.h"
#include "../client-gtk/jg-window-private.h"

static const char * const entities[] = { "activity", "volunteer", "household", "award" };

static void
test_window_opens (Fixture       *f,
                   gconstpointer  data)
{
  fixture_open_window (f);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (jg_window_get_worker (f->window) == f->worker);
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      JgRecordPage *page = jg_window_get_page (f->window, entities[i]);

      g_assert_nonnull (page);
      g_assert_cmpstr (jg_record_page_get_entity (page), ==, entities[i]);
      g_assert_true (jg_record_page_get_worker (page) == f->worker);
    }
  /* The worker created the profile's folder and the store in it. */
  wait_page (f->window, "activity");
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_empty_states (Fixture       *f,
                   gconstpointer  data)
{
  fixture_open_window (f);

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      JgRecordPage *page = jg_window_get_page (f->window, entities[i]);
      JgRecordList *model = wait_page (f->window, entities[i]);
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;

      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
      g_assert_cmpstr (jg_record_page_get_state (page), ==, "empty");
      g_object_get (page, "empty-title", &title, "empty-description", &description, NULL);
      g_assert_true (g_str_has_prefix (title, "No "));
      g_assert_nonnull (strstr (title, "Yet"));
      g_assert_nonnull (description);
      g_assert_cmpstr (description, !=, "");
    }
}

static void
test_actions_follow_page (Fixture       *f,
                          gconstpointer  data)
{
  GtkWindow *form;

  fixture_open_window (f);
  wait_page (f->window, "award");

  /* Every page has its form: here a nomination. */
  jg_window_set_visible_page (f->window, "award");
  g_assert_true (jg_window_get_visible_page (f->window) == jg_window_get_page (f->window, "award"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL));
  form = jg_window_get_form (f->window);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (form), ==, "JgAwardForm");
  gtk_window_close (form);
  drain ();
  g_assert_null (jg_window_get_form (f->window));

  jg_window_set_visible_page (f->window, "household");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL));
  form = jg_window_get_form (f->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (form), ==, "JgHouseholdForm");

  /* One form at a time. */
  gtk_window_close (form);
  drain ();
  g_assert_null (jg_window_get_form (f->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "volunteer"));
  g_assert_true (jg_window_get_visible_page (f->window) == jg_window_get_page (f->window, "volunteer"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
}

static void
put_activity (JgStore    *store,
              const char *title,
              const char *location)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (o, "org_unit", UNIT);
  json_object_set_string_member (o, "title", title);
  json_object_set_string_member (o, "category", "training");
  json_object_set_string_member (o, "start_at", "2024-03-08T09:30");
  json_object_set_string_member (o, "location", location);
  json_object_set_int_member (o, "participants", 30);
  id = jg_store_put (store, "activity", o, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
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
test_search_filters (Fixture       *f,
                     gconstpointer  data)
{
  JgRecordPage *page;
  JgRecordList *model;
  GtkEditable *entry;
  g_autoptr(JgRecord) record = NULL;
  g_autofree char *title = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);

    put_activity (store, "三八妇女节宣讲", "大田刘村文化礼堂");
    put_activity (store, "家庭教育讲座", "大田街道");
    put_activity (store, "Spring cleaning", "Village square");
  }

  fixture_open_window (f);
  page = jg_window_get_page (f->window, "activity");
  model = wait_page (f->window, "activity");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");

  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (page), JG_TYPE_RECORD_PAGE, "search_entry"));
  gtk_editable_set_text (entry, "宣讲");
  wait_until (model_has_n, &(Count) { model, 1 });
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_clear_object (&record);
  drain ();
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (jg_record_get_loaded (record));
  title = jg_record_dup_display (record, "title");
  g_assert_cmpstr (title, ==, "三八妇女节宣讲");

  /* Any text field: here the place. */
  gtk_editable_set_text (entry, "大田");
  wait_until (model_has_n, &(Count) { model, 2 });

  /* LIKE's wildcards are only text. */
  gtk_editable_set_text (entry, "%");
  wait_until (model_has_n, &(Count) { model, 0 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "no-results");

  gtk_editable_set_text (entry, "");
  wait_until (model_has_n, &(Count) { model, 3 });
  g_assert_cmpstr (jg_record_page_get_state (page), ==, "list");
}

static gboolean
record_loaded (gpointer data)
{
  JgRecordList *model = data;
  g_autoptr(JgRecord) record = g_list_model_get_item (G_LIST_MODEL (model), 449);

  return jg_record_get_loaded (record);
}

static void
test_lazy_pages (Fixture       *f,
                 gconstpointer  data)
{
  JgRecordList *model;
  g_autoptr(JgRecord) last = NULL;
  g_autoptr(JgRecord) first = NULL;
  g_autofree char *name = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(GError) error = NULL;

    g_assert_true (jg_store_begin (store, &error));
    for (guint i = 0; i < 450; i++)
      {
        g_autoptr(JsonObject) o = json_object_new ();
        g_autofree char *head = g_strdup_printf ("户主%03u", i);
        g_autofree char *id = NULL;

        json_object_set_string_member (o, "org_unit", UNIT);
        json_object_set_string_member (o, "head_name", head);
        json_object_set_int_member (o, "member_count", 3);
        id = jg_store_put (store, "household", o, &error);
        g_assert_no_error (error);
      }
    g_assert_true (jg_store_commit (store, &error));
  }

  fixture_open_window (f);
  model = wait_page (f->window, "household");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 450);

  /* Not read until asked for: a placeholder first, then the page. */
  last = g_list_model_get_item (G_LIST_MODEL (model), 449);
  g_assert_nonnull (last);
  g_assert_false (jg_record_get_loaded (last));
  g_assert_true (jg_record_list_get_loading (model));
  wait_until (record_loaded, model);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 450));

  /* Newest first: the last row is the first household recorded. */
  g_clear_object (&last);
  last = g_list_model_get_item (G_LIST_MODEL (model), 449);
  name = jg_record_dup_display (last, "head_name");
  g_assert_cmpstr (name, ==, "户主000");
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_nonnull (first);
}

static void
test_mask_phone (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "13812345678", "138****5678" },
    { "0576-8512345", "057*****2345" },
    { "8512345", "***2345" },
    { "1234", "****" },
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = jg_mask_phone (cases[i].in);

      g_assert_cmpstr (masked, ==, cases[i].out);
    }
}

static void
test_list_masks_phones (Fixture       *f,
                        gconstpointer  data)
{
  JgRecordList *model;
  g_autoptr(JgRecord) record = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *members = NULL;

  {
    g_autoptr(JgStore) store = fixture_open_store (f);
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    json_object_set_string_member (o, "org_unit", UNIT);
    json_object_set_string_member (o, "head_name", "王芳");
    json_object_set_int_member (o, "member_count", 4);
    json_object_set_string_member (o, "phone", "13812345678");
    id = jg_store_put (store, "household", o, &error);
    g_assert_no_error (error);
  }

  fixture_open_window (f);
  model = wait_page (f->window, "household");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_clear_object (&record);
  drain ();
  record = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (jg_record_get_loaded (record));

  phone = jg_record_dup_display (record, "phone");
  g_assert_cmpstr (phone, ==, "138****5678");
  members = jg_record_dup_display (record, "member_count");
  g_assert_cmpstr (members, ==, "4");
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* In a 1280 px window the view switcher stays in the header bar whatever
 * the sync button says, with the reviewer's seven pages too. */
static void
test_switcher_stays_put (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const texts[] = {
    "刚刚同步", "1 分钟前已同步", "同步中…已发送 1200 条，已接收 3400 条",
    "Synced 59 minutes ago", "Syncing… 1200 sent, 3400 received",
  };
  AdwViewSwitcherTitle *title;
  GtkLabel *label;

  fixture_open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  wait_page (f->window, "activity");
  drain ();
  title = ADW_VIEW_SWITCHER_TITLE (find_descendant (GTK_WIDGET (f->window), ADW_TYPE_VIEW_SWITCHER_TITLE));
  label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (jg_window_get_sync_button (f->window)),
                                                    JG_TYPE_SYNC_BUTTON, "label"));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), >=, 1260);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gtk_label_set_text (label, texts[i]);
      drain ();
      g_assert_false (adw_view_switcher_title_get_title_visible (title));
    }
}

/* ---- tooltips ---- */

static int
label_lines (GtkLabel *label)
{
  g_autoptr(PangoLayout) one = gtk_widget_create_pango_layout (GTK_WIDGET (label), gtk_label_get_text (label));
  int nat_w, h, line_h;

  pango_layout_get_pixel_size (one, NULL, &line_h);
  gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat_w, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_VERTICAL, nat_w, &h, NULL, NULL, NULL);
  return (h + line_h / 2) / line_h;
}

static GtkLabel *
query_tooltip (GtkWidget *widget)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_true (shown);
  return jg_gui_get_tooltip_label (widget);
}

/* A short Chinese tooltip is one line, where GTK 4.8's own tooltip label
 * (as many character widths as characters) breaks it after two. */
static void
test_tooltip_one_line (void)
{
  GtkWidget *button = g_object_ref_sink (gtk_button_new ());
  GtkWidget *gtk_like = g_object_ref_sink (gtk_label_new ("新建记录"));
  GtkLabel *label;

  gtk_label_set_wrap (GTK_LABEL (gtk_like), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (gtk_like), g_utf8_strlen ("新建记录", -1));
  g_assert_cmpint (label_lines (GTK_LABEL (gtk_like)), >=, 2);

  jg_gui_set_tooltip (button, "新建记录");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "新建记录");
  label = query_tooltip (button);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "新建记录");
  g_assert_cmpint (label_lines (label), ==, 1);

  /* A long one still wraps, at a normal width. */
  jg_gui_set_tooltip (button, "同步失败：服务器拒绝了三条更改，请打开这些记录逐一改正后再同步，或者联系上级审核人员说明情况后再处理剩下的记录");
  label = query_tooltip (button);
  g_assert_cmpint (label_lines (label), >=, 2);

  g_assert_finalize_object (button);
  g_assert_finalize_object (gtk_like);
}

static void
check_tooltips (GtkWidget *widget,
                guint     *n)
{
  const char *text = gtk_widget_get_tooltip_text (widget);

  if (text != NULL)
    {
      GtkLabel *label = query_tooltip (widget);

      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_label_get_text (label), ==, text);
      (*n)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_tooltips (child, n);
}

/* Every tooltip of the window's templates goes through our label. */
static void
test_window_tooltips (Fixture       *f,
                      gconstpointer  data)
{
  guint n = 0;

  fixture_open_window (f);
  wait_page (f->window, "activity");
  check_tooltips (GTK_WIDGET (f->window), &n);
  /* New Record, Main Menu, Sync, and the record pages' filters. */
  g_assert_cmpuint (n, >=, 4);
}

static gboolean
review_page_shown (gpointer data)
{
  JgWindow *window = data;

  return window->review_page != NULL &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (window->stack), "review") == 0;
}

/* The window opens on the page shown last time, a review page too: those
 * come only once the worker has said the user reviews (the fixture's
 * local-only profile does), and asking the stack for one before it has
 * it was a libadwaita warning, fatal here, and the first page shown. */
static void
test_last_page (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.jinguo.Jinguo");

  g_assert_true (g_settings_set_string (settings, "last-page", "review"));
  fixture_open_window (f);
  wait_until (review_page_shown, f->window);

  /* And the page chosen now is the one remembered. */
  adw_view_stack_set_visible_child_name (f->window->stack, "household");
  {
    g_autofree char *last = g_settings_get_string (settings, "last-page");

    g_assert_cmpstr (last, ==, "household");
  }
  adw_view_stack_set_visible_child_name (f->window->stack, "activity");
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/jg/ui/window/opens", test_window_opens);
  ADD ("/jg/ui/window/switcher-stays-put", test_switcher_stays_put);
  ADD ("/jg/ui/window/empty-states", test_empty_states);
  ADD ("/jg/ui/window/actions-follow-page", test_actions_follow_page);
  ADD ("/jg/ui/list/search", test_search_filters);
  ADD ("/jg/ui/list/lazy-pages", test_lazy_pages);
  ADD ("/jg/ui/list/masks-phones", test_list_masks_phones);
  ADD ("/jg/ui/window/tooltips", test_window_tooltips);
  ADD ("/jg/ui/window/last-page", test_last_page);
#undef ADD
  g_test_add_func ("/jg/ui/mask-phone", test_mask_phone);
  g_test_add_func ("/jg/ui/tooltip/one-line", test_tooltip_one_line);

  return g_test_run ();
}
