/* jg-review-page.c: the reviewer's queues: by state, by unit, per record type
 *
 * A queue is one record type in one review state, narrowed to a unit of the
 * tree on the left (the township or village, with how many records wait in
 * each).  The list is the app's lazily read JgRecordList; a record opens
 * read-only at the side with its history from the change log.  Approving or
 * returning what is selected is one worker job and one transaction
 * (jg_review_queue_set_state()): all of the records move, or none; one
 * whose review state changed since it was listed is left as it is.
 * Awards also move through their own steps here, with jg-award.c's rules.
 * Approving a designation grants it and revoking (摘牌) one ends it, with
 * jg-rubric.c's rules (the level below first, a reason, never restored).
 * A service entry shows the time bank's flags (jg_ledger_flag_details(),
 * read on the worker with the record), and approving flagged entries asks
 * first, naming each flag.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "jg-entity.h"
#include "jg-award.h"
#include "jg-export.h"
#include "jg-export-ui.h"
#include "jg-form.h"
#include "jg-gui.h"
#include "jg-history.h"
#include "jg-json.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-record.h"
#include "jg-review-page.h"
#include "jg-review.h"
#include "jg-review-queue.h"
#include "jg-rubric.h"

struct _JgReviewPage
{
  AdwBin             parent_instance;

  JgStoreWorker     *worker;
  JgRecordList      *model;
  GtkMultiSelection *selection;
  GtkTreeListModel  *units;
  GtkSingleSelection *unit_selection;
  char              *entity;
  char              *state;
  char              *unit_path;        /* the chosen unit's, or NULL: all */
  char              *root_path;        /* the tree's root: the user's own unit */
  gboolean           root_decidable;   /* whether she decides its own records */
  JsonObject        *record;           /* the one record shown, as read */
  JsonObject        *texts;            /* field → what the details show for it
                                        * instead of an id or a bare number */
  JsonArray         *flags;            /* its time-bank flags, or NULL */
  char              *grant_refusal;    /* an award on notice: why it cannot be
                                        * granted yet (jg_award_may_grant()),
                                        * or NULL when it can */
  guint              history_length;
  GCancellable      *load_cancellable; /* reading the record and its history */
  GCancellable      *units_cancellable;
  GCancellable      *job_cancellable;  /* a batch of review steps or an export */
  int                prompt;           /* what the open prompt is for */

  /* Template widgets */
  GtkDropDown       *entity_dropdown;
  GtkDropDown       *state_dropdown;
  GtkListView       *units_view;
  GtkStack          *list_stack;
  GtkColumnView     *column_view;
  GtkStack          *detail_stack;
  AdwStatusPage     *none_page;
  GtkLabel          *detail_title;
  GtkWidget         *flags_box;
  GtkLabel          *flags_label;
  GtkWidget         *award_box;
  GtkLabel          *award_label;
  GtkWidget         *award_review_button;
  GtkWidget         *award_notice_button;
  GtkWidget         *award_objection_button;
  GtkWidget         *award_grant_button;
  GtkWidget         *award_decline_button;
  GtkWidget         *designation_box;
  GtkLabel          *designation_label;
  GtkWidget         *designation_revoke_button;
  GtkListBox        *fields_list;
  GtkListBox        *history_list;
  GtkLabel          *count_label;
  GtkWidget         *progress_box;
  GtkProgressBar    *progress_bar;
  GtkButton         *approve_button;
};

G_DEFINE_FINAL_TYPE (JgReviewPage, jg_review_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_ENTITY,
  PROP_STATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROMPT_NONE,
  PROMPT_RETURN,
  PROMPT_OBJECTION,
  PROMPT_GRANT,
  PROMPT_DECLINE,
  PROMPT_REVOKE,
};

/* The order of the drop-downs' items in the template. */
static const char * const entities[] = {
  "activity", "volunteer", "household", "award", "inspection", "service_entry",
  /* Approving a redemption accepts it (jg-ledger.c). */
  "redemption", "designation"
};
static const char * const states[] = { "submitted", "returned", "approved" };

/* What a row of each record type shows: its name and one detail. */
static const struct
{
  const char *entity;
  const char *name;
  const char *detail;
  const char *detail_title;   /* N_() */
} summaries[] = {
  { "activity", "title", "start_at", N_("Date") },
  { "volunteer", "name", "team", N_("Team") },
  { "household", "head_name", "address", N_("Address") },
  { "award", "family_name", "award_type", N_("Award") },
  /* The family a reviewer decides on; the date is in the details. */
  { "inspection", "household", "total", N_("Score") },
  { "service_entry", "served_at", "minutes", N_("Minutes") },
  { "redemption", "item_name", "minutes", N_("Minutes") },
  { "designation", "household", "level", N_("Level") },
};

static void update_actions (JgReviewPage *self);
static void reload_units   (JgReviewPage *self);

static guint
summary_index (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (summaries); i++)
    if (g_strcmp0 (summaries[i].entity, entity) == 0)
      return i;
  return 0;
}

static void
remove_all (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
toast (JgReviewPage *self,
       const char   *message)
{
  jg_export_ui_toast (GTK_WIDGET (self), message);
}

/* The records selected and read; placeholders of unread pages are left out. */
static GStrv
selected_ids (JgReviewPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return g_strv_builder_end (builder);
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(JgRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (record != NULL && jg_record_get_loaded (record))
        g_strv_builder_add (builder, jg_record_get_id (record));
    }
  return g_strv_builder_end (builder);
}

/* How many of the records selected and read may still move: all but
 * revoked designations (摘牌), whose review state stays as it is. */
static guint
n_selected_movable (JgReviewPage *self)
{
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;
  guint n = 0;

  if (self->selection == NULL)
    return 0;
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(JgRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (record != NULL && jg_record_get_loaded (record) &&
          !jg_review_is_revoked (jg_record_get_entity (record), jg_record_get_object (record)))
        n++;
    }
  return n;
}

/* ---- the list ---- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  gtk_list_item_set_child (item, label);
}

/* 已摘牌 and why, for a revoked designation; NULL for any other record. */
static char *
revoked_text (const char *entity,
              JsonObject *record)
{
  if (!jg_review_is_revoked (entity, record))
    return NULL;
  return g_strdup_printf (_("Revoked: %s"),
                          json_object_get_string_member_with_default (record, "revoked_reason", ""));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  JgRecord *record = gtk_list_item_get_item (item);
  const char *field = user_data;
  gboolean detail = FALSE;
  g_autofree char *text = NULL;
  g_autofree char *revoked = NULL;

  /* The name and detail columns follow the record type. */
  if (strcmp (field, "@name") == 0)
    field = summaries[summary_index (jg_record_get_entity (record))].name;
  else if (strcmp (field, "@detail") == 0)
    {
      field = summaries[summary_index (jg_record_get_entity (record))].detail;
      detail = TRUE;
    }
  text = jg_record_dup_display (record, field);
  /* A revoked designation says so wherever it is listed. */
  if (detail && (revoked = revoked_text (jg_record_get_entity (record), jg_record_get_object (record))) != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s · %s", text, revoked);

      g_free (text);
      text = g_steal_pointer (&both);
    }
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_columns (JgReviewPage *self)
{
  static const struct { const char *field; const char *title; gboolean expand; } columns[] = {
    { "@name", N_("Record"), TRUE },
    { "@detail", N_("Detail"), TRUE },
    { "org_unit", N_("Unit"), FALSE },
    { "review_state", N_("State"), FALSE },
    { "review_note", N_("Review Note"), TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) columns[i].field);
      column = gtk_column_view_column_new (_(columns[i].title), g_steal_pointer (&factory));
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static void
update_list_state (JgReviewPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *count = NULL;
  g_autoptr(GtkBitset) set = NULL;
  guint n_selected = 0;

  if (self->selection != NULL)
    {
      set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      n_selected = (guint) gtk_bitset_get_size (set);
    }
  gtk_stack_set_visible_child_name (self->list_stack,
                                    self->model && jg_record_list_get_ready (self->model) && n == 0
                                    ? "empty" : "list");
  if (n_selected > 0)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u record selected",
                                          "%u of %u records selected", n), n_selected, n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record", "%u records", n), n);
  gtk_label_set_text (self->count_label, count);
}

/* ---- one record: read-only, with its history ---- */

static char *
history_value (const char *entity_name,
               JsonObject *change)
{
  JsonNode *node = json_object_get_member (change, "value");
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JgRecord) record = NULL;
  const char *field = json_object_get_string_member (change, "field");

  /* Shown as the lists show it: labels for choices, masked phones. */
  json_object_set_member (object, field, node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL));
  record = jg_record_new (entity_name, object);
  return jg_record_dup_display (record, field);
}

static void
show_history (JgReviewPage *self,
              JsonArray    *history)
{
  guint n = json_array_get_length (history);

  remove_all (self->history_list);
  self->history_length = n;
  /* Newest first; the field "_v" bookkeeping never reaches the log. */
  for (guint i = n; i > 0; i--)
    {
      JsonObject *c = json_array_get_object_element (history, i - 1);
      const char *field = json_object_get_string_member (c, "field");
      const char *label = jg_field_label (field);
      const char *author = json_object_get_string_member_with_default (c, "author", NULL);
      const char *replica = json_object_get_string_member (c, "replica");
      g_autofree char *value = history_value (self->entity, c);
      g_autofree char *title = g_strdup_printf ("%s: %s", label ? label : field, value);
      g_autofree char *device = NULL;
      g_autofree char *subtitle = NULL;
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (json_object_get_string_member (c, "at"), NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
      GtkWidget *row = adw_action_row_new ();

      if (json_object_get_boolean_member_with_default (c, "this_device", FALSE))
        device = g_strdup (_("this laptop"));
      else
        /* Translators: a laptop named by the first digits of its replica id */
        device = g_strdup_printf (_("laptop %.8s"), replica ? replica : "");
      /* Translators: who, when, on which laptop */
      subtitle = g_strdup_printf (_("%s · %s · %s"), author ? author : _("unknown"), when, device);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
show_award (JgReviewPage *self)
{
  const char *state = json_object_get_string_member_with_default (self->record, "state", "nominated");
  const char *start = json_object_get_string_member_with_default (self->record, "notice_start", NULL);
  const char *end = json_object_get_string_member_with_default (self->record, "notice_end", NULL);
  const char *objections = json_object_get_string_member_with_default (self->record, "objections", NULL);
  const char *certificate = json_object_get_string_member_with_default (self->record, "certificate_no", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JgRecord) record = jg_record_new ("award", self->record);
  g_autofree char *stage = jg_record_dup_display (record, "state");

  g_string_append_printf (text, _("Stage: %s"), stage);
  if (start != NULL && end != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Public notice from %s to %s"), start, end);
    }
  if (objections != NULL && *objections != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Objections: %s"), objections);
    }
  if (certificate != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Certificate number: %s"), certificate);
    }
  (void) state;
  gtk_label_set_text (self->award_label, text->str);
}

/* Where the designation shown stands, in the rubric's words. */
static void
show_designation (JgReviewPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  const char *from = json_object_get_string_member_with_default (self->record, "valid_from", "");
  const char *to = json_object_get_string_member_with_default (self->record, "valid_to", "");
  g_autofree char *text = NULL;

  switch (jg_rubric_designation_status (self->record, today))
    {
    case JG_DESIGNATION_REVOKED:
      text = g_strdup_printf (_("Revoked: %s"),
                              json_object_get_string_member_with_default (self->record, "revoked_reason", ""));
      break;
    case JG_DESIGNATION_NOT_GRANTED:
      text = g_strdup (_("Not granted yet: approving it grants the title"));
      break;
    case JG_DESIGNATION_NOT_YET:
      text = g_strdup_printf (_("Granted; in force from %s"), from);
      break;
    case JG_DESIGNATION_EXPIRED:
      text = g_strdup_printf (_("Expired on %s"), to);
      break;
    case JG_DESIGNATION_IN_FORCE:
    default:
      text = g_strdup_printf (_("In force since %s"), from);
      break;
    }
  gtk_label_set_text (self->designation_label, text);
}

/* One line per flag, as jg-ledger.c words it. */
static char *
flags_text (JsonArray *flags)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; flags != NULL && i < json_array_get_length (flags); i++)
    {
      JsonObject *flag = json_array_get_object_element (flags, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: a flag of a time-bank entry, as an item of a list */
      g_string_append_printf (text, _("• %s"), json_object_get_string_member_with_default (flag, "message", ""));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_flags (JgReviewPage *self)
{
  g_autofree char *text = flags_text (self->flags);

  gtk_label_set_text (self->flags_label, text);
  gtk_widget_set_visible (self->flags_box, *text != '\0');
}

static void
show_record (JgReviewPage *self)
{
  const JgEntityDef *entity = jg_entity_lookup (self->entity);
  g_autoptr(JgRecord) record = NULL;
  g_autofree char *title = NULL;

  remove_all (self->fields_list);
  if (self->record == NULL || entity == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  record = jg_record_new (self->entity, self->record);
  title = jg_record_dup_display (record, summaries[summary_index (self->entity)].name);
  gtk_label_set_text (self->detail_title, title);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const char *field = entity->fields[i].name;
      const char *label = jg_field_label (field);
      const char *text = self->texts ? jg_json_get_string (self->texts, field) : NULL;
      g_autofree char *value = text ? g_strdup (text) : jg_record_dup_display (record, field);
      GtkWidget *row;

      if (value == NULL || *value == '\0' || strcmp (field, "deleted") == 0)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label ? label : field);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
      gtk_widget_add_css_class (row, "property");
      gtk_list_box_append (self->fields_list, row);
    }
  show_flags (self);
  gtk_widget_set_visible (self->award_box, strcmp (self->entity, "award") == 0);
  if (strcmp (self->entity, "award") == 0)
    show_award (self);
  gtk_widget_set_visible (self->designation_box, strcmp (self->entity, "designation") == 0);
  if (strcmp (self->entity, "designation") == 0)
    show_designation (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "record");
}

typedef struct
{
  char *entity;
  char *id;
} RecordRef;

static void
record_ref_free (RecordRef *ref)
{
  g_free (ref->entity);
  g_free (ref->id);
  g_free (ref);
}

/* @text, said to be of a record deleted (elsewhere, since) when @record is. */
static char *
deleted_text (JsonObject *record,
              char       *text)
{
  char *marked;

  if (text == NULL || !json_object_get_boolean_member_with_default (record, "deleted", FALSE))
    return text;
  /* Translators: a record referred to that was deleted, e.g. "端午包粽子 (deleted)" */
  marked = g_strdup_printf (_("%s (deleted)"), text);
  g_free (text);
  return marked;
}

/* A household as its head's name and its village: "张兰 · 大田刘村委会". */
static char *
household_text (JgStore    *store,
                const char *id)
{
  g_autoptr(JsonObject) household = jg_store_get (store, "household", id, NULL);
  const char *name = household ? jg_json_get_string (household, "head_name") : NULL;
  const char *code = household ? jg_json_get_string (household, "org_unit") : NULL;
  g_autoptr(JsonObject) unit = code ? jg_org_units_lookup (store, code, NULL) : NULL;
  const char *village = unit ? jg_json_get_string (unit, "name") : NULL;

  if (name == NULL)
    return NULL;
  return deleted_text (household, village == NULL ? g_strdup (name) : g_strdup_printf ("%s · %s", name, village));
}

/* An inspection as its date, total and stars: "2024-03-01 · 100 points · ★★★". */
static char *
inspection_text (JgStore    *store,
                 const char *id)
{
  g_autoptr(JsonObject) inspection = jg_store_get (store, "inspection", id, NULL);
  g_autoptr(GString) stars = g_string_new (NULL);
  g_autofree char *score = NULL;
  double total = 0;
  gint64 star;

  if (inspection == NULL)
    return NULL;
  if (json_object_has_member (inspection, "total") && !json_object_get_null_member (inspection, "total"))
    total = json_object_get_double_member (inspection, "total");
  star = json_object_get_int_member_with_default (inspection, "star", 0);
  for (gint64 i = 0; i < star; i++)
    g_string_append (stars, "★");
  score = g_strdup_printf (_("%g points · %s"), total, star > 0 ? stars->str : _("No star"));
  return g_strdup_printf ("%s · %s", json_object_get_string_member_with_default (inspection, "inspected_at", ""),
                          score);
}

/* A record another one refers to, by what it is called, and said to be
 * deleted when it is (deleted elsewhere while this one was made). */
static char *
ref_text (JgStore    *store,
          const char *entity,
          const char *id)
{
  g_autoptr(JsonObject) target = jg_store_get (store, entity, id, NULL);

  if (target == NULL)
    return NULL;
  return deleted_text (target, jg_store_dup_record_title (store, entity, id));
}

/* The entry a reversal cancels, as the volunteer's history shows it:
 * "2025-03-04 · 家庭教育 · 2.5 h". */
static char *
reversed_text (JgStore    *store,
               const char *entity,
               const char *id)
{
  g_autoptr(JsonObject) target = jg_store_get (store, entity, id, NULL);
  g_autofree char *hours = NULL;
  const char *what;
  const char *when;

  if (target == NULL)
    return NULL;
  hours = jg_form_format_hours (json_object_get_int_member_with_default (target, "minutes", 0));
  if (strcmp (entity, "redemption") == 0)
    {
      what = json_object_get_string_member_with_default (target, "item_name", "");
      when = json_object_get_string_member_with_default (target, "created_at", "");
    }
  else
    {
      what = jg_entity_choice_label (entity, "service_type",
                                     json_object_get_string_member_with_default (target, "service_type", ""));
      when = json_object_get_string_member_with_default (target, "served_at", "");
    }
  return g_strdup_printf ("%.10s · %s · %s", when, what, hours);
}

/* What the details show, on the worker, for the fields that hold an id
 * (a volunteer, a household, an inspection), a code (a redemption's
 * beneficiary "self") or a bare number of minutes: field → text. */
static JsonObject *
detail_texts (JgStore    *store,
              const char *entity_name,
              JsonObject *record)
{
  JsonObject *texts = json_object_new ();
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  const char *reverses = jg_json_get_string (record, "reverses");
  const char *volunteer = jg_json_get_string (record, "volunteer");
  const char *beneficiary = jg_json_get_string (record, "beneficiary");
  const char *household = jg_json_get_string (record, "household");
  const char *inspection = jg_json_get_string (record, "inspection");

  if (volunteer != NULL)
    {
      g_autoptr(JsonObject) v = jg_store_get (store, "volunteer", volunteer, NULL);
      const char *name = v ? jg_json_get_string (v, "name") : NULL;

      if (name != NULL)
        json_object_set_string_member (texts, "volunteer", name);
    }
  if (g_strcmp0 (beneficiary, "self") == 0)
    /* Translators: who a time-bank redemption is for: the volunteer herself */
    json_object_set_string_member (texts, "beneficiary", C_("beneficiary", "Self"));
  if (json_object_has_member (record, "minutes") && !json_object_get_null_member (record, "minutes"))
    {
      /* As the volunteer's history shows hours. */
      g_autofree char *hours = jg_form_format_hours (json_object_get_int_member (record, "minutes"));

      /* A reversal takes back what its entry gave (hours served) or
       * took (a redemption): signed as the volunteer's history signs it. */
      if (reverses != NULL)
        {
          g_autofree char *signed_hours = g_strconcat (g_strcmp0 (entity_name, "redemption") == 0 ? "+" : "−",
                                                       hours, NULL);

          json_object_set_string_member (texts, "minutes", signed_hours);
        }
      else
        json_object_set_string_member (texts, "minutes", hours);
    }
  if (reverses != NULL && entity != NULL)
    {
      g_autofree char *text = reversed_text (store, entity->name, reverses);

      if (text != NULL)
        json_object_set_string_member (texts, "reverses", text);
    }
  /* Every other reference by what it refers to (an activity by its
   * title), not by its id. */
  for (guint i = 0; entity != NULL && i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];
      const char *id;
      g_autofree char *text = NULL;

      if (f->type != JG_FIELD_REF || f->ref_entity == NULL || json_object_has_member (texts, f->name) ||
          strcmp (f->name, "reverses") == 0 || strcmp (f->name, "household") == 0 ||
          strcmp (f->name, "inspection") == 0 || strcmp (f->name, "volunteer") == 0)
        continue;
      id = jg_json_get_string (record, f->name);
      if (id != NULL && (text = ref_text (store, f->ref_entity, id)) != NULL)
        json_object_set_string_member (texts, f->name, text);
    }
  if (household != NULL)
    {
      g_autofree char *text = household_text (store, household);

      if (text != NULL)
        json_object_set_string_member (texts, "household", text);
    }
  if (inspection != NULL)
    {
      g_autofree char *text = inspection_text (store, inspection);

      if (text != NULL)
        json_object_set_string_member (texts, "inspection", text);
    }
  return texts;
}

static JsonNode *
load_record_func (JgStore            *store,
                  gpointer            data,
                  JgDemoProgressFunc  report,
                  gpointer            report_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  RecordRef *ref = data;
  g_autoptr(JsonObject) record = jg_store_get (store, ref->entity, ref->id, error);
  g_autoptr(JsonArray) history = NULL;
  JsonObject *out;
  JsonNode *node;

  if (record == NULL)
    return NULL;
  {
    const char *code = json_object_get_string_member_with_default (record, "org_unit", NULL);
    g_autoptr(JsonObject) unit = code ? jg_org_units_lookup (store, code, NULL) : NULL;

    /* Its unit by name, as in the list. */
    if (unit != NULL && json_object_get_string_member_with_default (unit, "name", NULL) != NULL)
      json_object_set_string_member (record, JG_STORE_WORKER_UNIT_NAME, json_object_get_string_member (unit, "name"));
  }
  /* And its household by name. */
  {
    g_autoptr(JsonArray) one = json_array_new ();

    json_array_add_object_element (one, json_object_ref (record));
    jg_store_worker_add_names (store, one);
  }
  history = jg_history_list (store, ref->entity, ref->id, error);
  if (history == NULL)
    return NULL;
  out = json_object_new ();
  json_object_set_object_member (out, "texts", detail_texts (store, ref->entity, record));
  /* Whether an award on public notice may be granted yet: by the store's
   * clock, as the store will judge the step. */
  if (strcmp (ref->entity, "award") == 0 &&
      g_strcmp0 (jg_json_get_string (record, "state"), "public_notice") == 0)
    {
      g_autoptr(GError) refusal = NULL;

      if (!jg_award_may_grant (store, record, &refusal))
        json_object_set_string_member (out, "grant_refusal", refusal->message);
    }
  /* The time bank's checks, here on the worker: they read other entries. */
  if (strcmp (ref->entity, "service_entry") == 0)
    {
      JsonArray *flags = jg_ledger_flag_details (store, NULL, record, error);

      if (flags == NULL)
        {
          json_object_unref (out);
          return NULL;
        }
      json_object_set_array_member (out, "flags", flags);
    }
  json_object_set_object_member (out, "record", g_steal_pointer (&record));
  json_object_set_array_member (out, "history", g_steal_pointer (&history));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, out);
  return node;
}

static void
load_record_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  JsonObject *o;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      toast (self, error->message);
      return;
    }
  o = json_node_get_object (node);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->texts, json_object_unref);
  g_clear_pointer (&self->flags, json_array_unref);
  self->record = json_object_ref (json_object_get_object_member (o, "record"));
  self->texts = json_object_ref (json_object_get_object_member (o, "texts"));
  g_free (self->grant_refusal);
  self->grant_refusal = g_strdup (jg_json_get_string (o, "grant_refusal"));
  if (json_object_has_member (o, "flags"))
    self->flags = json_array_ref (json_object_get_array_member (o, "flags"));
  show_record (self);
  show_history (self, json_object_get_array_member (o, "history"));
  update_actions (self);
}

static void
load_record (JgReviewPage *self,
             const char   *id)
{
  RecordRef *ref;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (id == NULL || self->worker == NULL)
    {
      g_clear_pointer (&self->record, json_object_unref);
      g_clear_pointer (&self->texts, json_object_unref);
      g_clear_pointer (&self->flags, json_array_unref);
      g_clear_pointer (&self->grant_refusal, g_free);
      self->history_length = 0;
      show_record (self);
      update_actions (self);
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  ref = g_new0 (RecordRef, 1);
  ref->entity = g_strdup (self->entity);
  ref->id = g_strdup (id);
  jg_store_worker_run_async (self->worker, load_record_func, ref, (GDestroyNotify) record_ref_free,
                             NULL, NULL, NULL, self->load_cancellable,
                             load_record_cb, g_object_ref (self));
}

/* The details and the buttons follow what is selected now: after a
 * selection, and after the list changed under it (an approved or returned
 * record leaves the list, and its selection with it). */
static void
sync_selection (JgReviewPage *self)
{
  g_auto(GStrv) ids = selected_ids (self);
  guint n = g_strv_length (ids);
  const char *shown = self->record ? json_object_get_string_member_with_default (self->record, "id", NULL) : NULL;

  update_list_state (self);
  if (n == 1)
    {
      if (g_strcmp0 (shown, ids[0]) != 0)
        load_record (self, ids[0]);
    }
  else
    load_record (self, NULL);

  if (n > 1)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Record Selected",
                                                             "%u Records Selected", n), n);

      adw_status_page_set_title (self->none_page, title);
      adw_status_page_set_description (self->none_page, _("Approve or return them all at once"));
    }
  else
    {
      adw_status_page_set_title (self->none_page, _("No Record Selected"));
      adw_status_page_set_description (self->none_page,
                                       _("Select a record to see it with its history; select several to approve them at once"));
    }
  update_actions (self);
}

static void
selection_changed_cb (JgReviewPage      *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  sync_selection (self);
}

static void
model_changed_cb (JgReviewPage *self)
{
  sync_selection (self);
}

/* The queue offers only what this user may decide: at the root of a
 * signed-in reviewer's tree, her own unit, the records of the units below
 * it, not its own (a unit above decides those, jg_review_can_decide()). */
static void
apply_unit_filter (JgReviewPage *self)
{
  const char *path = self->unit_path;
  gboolean below = FALSE;

  if (self->model == NULL)
    return;
  if (self->root_path != NULL && !self->root_decidable &&
      (path == NULL || strcmp (path, self->root_path) == 0))
    {
      path = self->root_path;
      below = TRUE;
    }
  jg_record_list_set_filter (self->model, JG_STORE_WORKER_UNIT_BELOW, below ? path : NULL);
  jg_record_list_set_filter (self->model, JG_STORE_WORKER_UNIT_PATH, below ? NULL : path);
}

static void
rebuild_model (JgReviewPage *self)
{
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  if (self->worker != NULL)
    {
      self->model = jg_record_list_new (self->worker, self->entity);
      jg_record_list_set_filter (self->model, "review_state", self->state);
      apply_unit_filter (self);
      g_signal_connect_object (self->model, "notify::ready", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
      self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      /* From the selection, not the list: it has moved its selected
       * positions by the time it passes the change on. */
      g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->selection, "selection-changed",
                               G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
    }
  load_record (self, NULL);
  update_list_state (self);
  update_actions (self);
}

/* ---- the units tree ---- */

static GListModel *
unit_children_cb (gpointer item,
                  gpointer user_data)
{
  JsonObject *unit = jg_record_get_object (JG_RECORD (item));
  JsonArray *children = json_object_get_array_member (unit, "children");
  GListStore *store;

  if (children == NULL || json_array_get_length (children) == 0)
    return NULL;
  store = g_list_store_new (JG_TYPE_RECORD);
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      g_autoptr(JgRecord) child = jg_record_new ("org_unit", json_array_get_object_element (children, i));

      g_list_store_append (store, child);
    }
  return G_LIST_MODEL (store);
}

static void
setup_unit_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);
}

static void
bind_unit_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  g_autoptr(GObject) record = gtk_tree_list_row_get_item (row);
  JsonObject *unit = jg_record_get_object (JG_RECORD (record));
  g_autofree char *count = g_strdup_printf ("%" PRId64, json_object_get_int_member (unit, "count"));

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)),
                      json_object_get_string_member_with_default (unit, "name", ""));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), count);
}

static void
unit_selected_cb (JgReviewPage       *self,
                  GParamSpec         *pspec,
                  GtkSingleSelection *selection)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
  const char *path = NULL;
  g_autoptr(GObject) item = NULL;

  if (row != NULL)
    {
      item = gtk_tree_list_row_get_item (row);
      path = json_object_get_string_member_with_default (jg_record_get_object (JG_RECORD (item)), "path", NULL);
    }
  if (g_strcmp0 (path, self->unit_path) == 0)
    {
      /* The root's rights may have changed with a sign-in. */
      apply_unit_filter (self);
      return;
    }
  g_free (self->unit_path);
  self->unit_path = g_strdup (path);
  apply_unit_filter (self);
  load_record (self, NULL);
}

typedef struct
{
  char *entity;
  char *state;
} UnitsQuery;

static void
units_query_free (UnitsQuery *q)
{
  g_free (q->entity);
  g_free (q->state);
  g_free (q);
}

static JsonNode *
units_func (JgStore            *store,
            gpointer            data,
            JgDemoProgressFunc  report,
            gpointer            report_data,
            GCancellable       *cancellable,
            GError            **error)
{
  UnitsQuery *q = data;
  JsonObject *root = jg_review_queue_units (store, q->entity, NULL, q->state, error);
  JsonNode *node;

  if (root == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

/* Finds the row of the unit at path, expanding as it goes. */
static guint
find_unit_row (GtkTreeListModel *units,
               const char       *path)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (units));

  for (guint i = 0; path != NULL && i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (units), i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
      const char *p = json_object_get_string_member_with_default (jg_record_get_object (JG_RECORD (item)), "path", NULL);

      if (g_strcmp0 (p, path) == 0)
        return i;
      if (p != NULL && g_str_has_prefix (path, p))
        {
          gtk_tree_list_row_set_expanded (row, TRUE);
          n = g_list_model_get_n_items (G_LIST_MODEL (units));
        }
    }
  return 0;
}

static void
units_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  g_autoptr(GListStore) roots = NULL;
  g_autoptr(JgRecord) root = NULL;
  g_autofree char *keep = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      toast (self, error->message);
      return;
    }

  g_free (self->root_path);
  self->root_path = g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "path", NULL));
  self->root_decidable = json_object_get_boolean_member_with_default (json_node_get_object (node), "decidable", TRUE);
  roots = g_list_store_new (JG_TYPE_RECORD);
  root = jg_record_new ("org_unit", json_node_get_object (node));
  g_list_store_append (roots, root);

  keep = g_strdup (self->unit_path);
  g_signal_handlers_disconnect_by_data (self->unit_selection, self);
  g_clear_object (&self->units);
  self->units = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&roots)), FALSE, FALSE,
                                         unit_children_cb, NULL, NULL);
  {
    g_autoptr(GtkTreeListRow) first = g_list_model_get_item (G_LIST_MODEL (self->units), 0);

    gtk_tree_list_row_set_expanded (first, TRUE);
  }
  gtk_single_selection_set_model (self->unit_selection, G_LIST_MODEL (self->units));
  gtk_single_selection_set_selected (self->unit_selection, find_unit_row (self->units, keep));
  g_signal_connect_object (self->unit_selection, "notify::selected-item",
                           G_CALLBACK (unit_selected_cb), self, G_CONNECT_SWAPPED);
  unit_selected_cb (self, NULL, self->unit_selection);
}

static void
reload_units (JgReviewPage *self)
{
  UnitsQuery *q;

  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->units_cancellable);
  g_clear_object (&self->units_cancellable);
  self->units_cancellable = g_cancellable_new ();
  q = g_new0 (UnitsQuery, 1);
  q->entity = g_strdup (self->entity);
  q->state = g_strdup (self->state);
  jg_store_worker_run_async (self->worker, units_func, q, (GDestroyNotify) units_query_free,
                             NULL, NULL, NULL, self->units_cancellable, units_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgReviewPage  *self,
                   const char    *entity,
                   JgStoreWorker *worker)
{
  if (g_strcmp0 (entity, self->entity) == 0 || g_strcmp0 (entity, "sync") == 0)
    {
      reload_units (self);
      /* The record shown may have moved on. */
      if (self->record != NULL)
        load_record (self, json_object_get_string_member (self->record, "id"));
    }
}

/* ---- batch steps and exports ---- */

static void
set_busy (JgReviewPage *self,
          gboolean      busy)
{
  if (busy == (self->job_cancellable != NULL))
    return;
  if (busy)
    self->job_cancellable = g_cancellable_new ();
  else
    g_clear_object (&self->job_cancellable);
  gtk_widget_set_visible (self->progress_box, busy);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  JgReviewPage *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, message);
}

typedef struct
{
  char  *entity;
  GStrv  ids;
  char  *state;
  char  *note;
  char  *from_state;
} Batch;

static void
batch_free (Batch *b)
{
  g_free (b->entity);
  g_strfreev (b->ids);
  g_free (b->state);
  g_free (b->note);
  g_free (b->from_state);
  g_free (b);
}

static JsonNode *
batch_func (JgStore            *store,
            gpointer            data,
            JgDemoProgressFunc  report,
            gpointer            report_data,
            GCancellable       *cancellable,
            GError            **error)
{
  Batch *b = data;
  guint skipped = 0;
  g_auto(GStrv) titles = NULL;
  gint64 n = jg_review_queue_set_state (store, b->entity, (const char * const *) b->ids, b->state, b->note,
                                        b->from_state, &skipped, &titles, report, report_data, cancellable, error);
  JsonObject *counts;
  JsonArray *names;

  if (n < 0)
    return NULL;
  counts = json_object_new ();
  json_object_set_int_member (counts, "moved", n);
  json_object_set_int_member (counts, "skipped", skipped);
  names = json_array_new ();
  for (guint i = 0; titles != NULL && titles[i] != NULL; i++)
    json_array_add_string_element (names, titles[i]);
  json_object_set_array_member (counts, "skipped_titles", names);
  return json_node_init_object (json_node_alloc (), counts);
}

#define MAX_SKIPPED_NAMED 3

/* The records a batch left as they were, by name: up to three, then how
 * many more ("“甲”, “乙”, “丙” and 2 more"). */
static char *
skipped_names (JsonArray *titles)
{
  guint n = titles ? json_array_get_length (titles) : 0;
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < MIN (n, MAX_SKIPPED_NAMED); i++)
    {
      if (i > 0)
        g_string_append (names, C_("list", ", "));
      /* Translators: a record's name, quoted */
      g_string_append_printf (names, _("“%s”"), json_array_get_string_element (titles, i));
    }
  if (n > MAX_SKIPPED_NAMED)
    {
      guint more = n - MAX_SKIPPED_NAMED;

      /* Translators: after the names of three records, how many more there are */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more", more),
                              names->str, more);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  const char *state = g_object_get_data (G_OBJECT (self), "batch-state");
  g_autofree char *message = NULL;
  guint n, skipped;

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      toast (self, _("Cancelled; no record was changed"));
      return;
    }
  if (node == NULL)
    {
      /* Translators: nothing was changed because of this error */
      message = g_strdup_printf (_("No record was changed: %s"), error->message);
      toast (self, message);
      return;
    }
  n = (guint) json_object_get_int_member (json_node_get_object (node), "moved");
  skipped = (guint) json_object_get_int_member (json_node_get_object (node), "skipped");
  if (g_strcmp0 (state, "returned") == 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record returned", "%u records returned", n), n);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record approved", "%u records approved", n), n);
  if (skipped > 0)
    {
      g_autofree char *names = skipped_names (json_object_get_array_member (json_node_get_object (node),
                                                                           "skipped_titles"));
      g_autofree char *skipped_text =
        /* Translators: appended to "3 records approved"; the records were
         * approved or returned by someone else, or changed by a sync (a
         * designation revoked, for one), while this reviewer was choosing;
         * then their names */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u left as it is, its review state changed meanwhile: %s",
                                      "%u left as they are, their review state changed meanwhile: %s",
                                      skipped), skipped, names);
      /* Translators: "3 records approved" and "1 left as it is: …", joined */
      g_autofree char *both = g_strdup_printf (_("%s; %s"), message, skipped_text);

      g_free (message);
      message = g_steal_pointer (&both);
    }
  toast (self, message);
}

static void
set_state_of (JgReviewPage *self,
              GStrv         ids,
              const char   *state,
              const char   *note)
{
  Batch *b;

  if (self->worker == NULL || self->job_cancellable != NULL || ids == NULL || ids[0] == NULL)
    return;
  set_busy (self, TRUE);
  g_object_set_data_full (G_OBJECT (self), "batch-state", g_strdup (state), g_free);
  b = g_new0 (Batch, 1);
  b->entity = g_strdup (self->entity);
  b->ids = g_strdupv (ids);
  b->state = g_strdup (state);
  b->note = g_strdup (note);
  b->from_state = g_strdup (self->state);
  jg_store_worker_run_async (self->worker, batch_func, b, (GDestroyNotify) batch_free,
                             self->entity, progress_cb, self, self->job_cancellable,
                             batch_cb, g_object_ref (self));
}

/**
 * jg_review_page_set_selected_state:
 * @state: "approved" or "returned"
 * @note: (nullable): the review note; returning needs one
 *
 * Moves every selected record in one worker job: all or none.
 */
void
jg_review_page_set_selected_state (JgReviewPage *self,
                                   const char   *state,
                                   const char   *note)
{
  g_auto(GStrv) ids = NULL;

  g_return_if_fail (JG_IS_REVIEW_PAGE (self));

  ids = selected_ids (self);
  set_state_of (self, ids, state, note);
}

static void
step_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = jg_store_worker_put_finish (JG_STORE_WORKER (object), result, &error);

  set_busy (self, FALSE);
  if (id == NULL)
    toast (self, error->message);
  else
    toast (self, _("Saved"));
}

/**
 * jg_review_page_award_step:
 * @to: (nullable): the award's next state, or %NULL to stay
 * @field: (nullable): a field the step writes
 * @value: (nullable): its value
 *
 * One step of the award shown, through jg_store_put(): jg-award.c decides
 * whether it may be taken (consent, notice period, certificate number).
 */
void
jg_review_page_award_step (JgReviewPage *self,
                           const char   *to,
                           const char   *field,
                           const char   *value)
{
  g_autoptr(JsonObject) fields = NULL;

  g_return_if_fail (JG_IS_REVIEW_PAGE (self));

  if (self->worker == NULL || self->record == NULL || self->job_cancellable != NULL ||
      g_strcmp0 (self->entity, "award") != 0)
    return;
  fields = json_object_new ();
  json_object_set_string_member (fields, "id", json_object_get_string_member (self->record, "id"));
  if (to != NULL)
    json_object_set_string_member (fields, "state", to);
  if (field != NULL)
    json_object_set_string_member (fields, field, value);
  set_busy (self, TRUE);
  jg_store_worker_put_async (self->worker, "award", fields, self->job_cancellable,
                             step_cb, g_object_ref (self));
}

/**
 * jg_review_page_revoke_designation:
 * @reason: why (摘牌), which the rules require
 *
 * Revokes the designation shown, through jg_store_put(): jg-rubric.c
 * decides (a reason; a revoked title is never restored).
 */
void
jg_review_page_revoke_designation (JgReviewPage *self,
                                   const char   *reason)
{
  g_autoptr(JsonObject) fields = NULL;

  g_return_if_fail (JG_IS_REVIEW_PAGE (self));

  if (self->worker == NULL || self->record == NULL || self->job_cancellable != NULL ||
      g_strcmp0 (self->entity, "designation") != 0)
    return;
  fields = json_object_new ();
  json_object_set_string_member (fields, "id", json_object_get_string_member (self->record, "id"));
  json_object_set_boolean_member (fields, "revoked", TRUE);
  json_object_set_string_member (fields, "revoked_reason", reason);
  set_busy (self, TRUE);
  jg_store_worker_put_async (self->worker, "designation", fields, self->job_cancellable,
                             step_cb, g_object_ref (self));
}

typedef struct
{
  char   *entity;
  char   *state;
  char   *unit_path;
  char   *path;
} Export;

static void
export_free (Export *e)
{
  g_free (e->entity);
  g_free (e->state);
  g_free (e->unit_path);
  g_free (e->path);
  g_free (e);
}

static JsonNode *
export_func (JgStore            *store,
             gpointer            data,
             JgDemoProgressFunc  report,
             gpointer            report_data,
             GCancellable       *cancellable,
             GError            **error)
{
  Export *e = data;
  JgListQuery query = { .org_unit_prefix = e->unit_path };
  g_autoptr(JsonObject) equal = json_object_new ();
  g_autoptr(JgExportTable) table = NULL;
  JgExportFormat format = jg_export_format_for_path (e->path);
  JsonNode *node;

  json_object_set_string_member (equal, "review_state", e->state);
  if (report != NULL)
    report (0.1, _("Reading the records"), report_data);
  table = jg_export_records_table (store, e->entity, &query, equal, JG_EXPORT_FLAGS_NONE, cancellable, error);
  if (table == NULL)
    return NULL;
  /* What the log says was exported: the list, its state and unit. */
  g_free (table->title);
  table->title = g_strdup_printf ("%s %s %s", e->entity, e->state, e->unit_path ? e->unit_path : "/");
  if (report != NULL)
    report (0.6, _("Writing the file"), report_data);
  if (!jg_export_write_logged (store, table, e->path, format, TRUE, error))
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, table->rows->len);
  return node;
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  g_autofree char *message = NULL;
  guint n;

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      toast (self, message);
      return;
    }
  n = (guint) json_node_get_int (node);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u record", "Exported %u records", n), n);
  toast (self, message);
}

/* Writes the queue shown (every record of it, not only those read so far)
 * to path, CSV or XLSX by its extension, with phones masked; logged. */
void
jg_review_page_export_to_file (JgReviewPage *self,
                               const char   *path)
{
  Export *e;

  g_return_if_fail (JG_IS_REVIEW_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->worker == NULL || self->job_cancellable != NULL)
    return;
  set_busy (self, TRUE);
  e = g_new0 (Export, 1);
  e->entity = g_strdup (self->entity);
  e->state = g_strdup (self->state);
  e->unit_path = g_strdup (self->unit_path);
  e->path = g_strdup (path);
  jg_store_worker_run_async (self->worker, export_func, e, (GDestroyNotify) export_free,
                             NULL, progress_cb, self, self->job_cancellable,
                             export_cb, g_object_ref (self));
}

static void
export_chosen_cb (GtkWidget  *widget,
                  const char *path,
                  gpointer    user_data)
{
  jg_review_page_export_to_file (JG_REVIEW_PAGE (widget), path);
}

/* ---- prompts ---- */

static void
prompt_entry_changed_cb (GtkEditable      *entry,
                         AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  adw_message_dialog_set_response_enabled (dialog, "ok", *stripped != '\0');
}

static void
prompt_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    JgReviewPage     *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  int prompt = self->prompt;

  self->prompt = PROMPT_NONE;
  if (g_strcmp0 (response, "ok") != 0 || *text == '\0')
    return;

  switch (prompt)
    {
    case PROMPT_RETURN:
      jg_review_page_set_selected_state (self, "returned", text);
      break;

    case PROMPT_OBJECTION:
      {
        const char *old = json_object_get_string_member_with_default (self->record, "objections", NULL);
        g_autofree char *all = old && *old ? g_strconcat (old, "\n", text, NULL) : g_strdup (text);

        jg_review_page_award_step (self, NULL, "objections", all);
      }
      break;

    case PROMPT_GRANT:
      jg_review_page_award_step (self, "awarded", "certificate_no", text);
      break;

    case PROMPT_DECLINE:
      jg_review_page_award_step (self, "declined", "decline_reason", text);
      break;

    case PROMPT_REVOKE:
      jg_review_page_revoke_designation (self, text);
      break;

    default:
      break;
    }
}

static void
prompt (JgReviewPage *self,
        int           kind,
        const char   *heading,
        const char   *body,
        const char   *placeholder,
        const char   *ok_label,
        gboolean      destructive)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  GtkWidget *entry = gtk_entry_new ();

  self->prompt = kind;
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", ok_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (prompt_entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (prompt_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- approving flagged service entries ---- */

/* The entries checked ("ids") and those of them that have flags
 * ("flagged": {"id", "served_at", "flags"}). */
static JsonNode *
flagged_func (JgStore            *store,
              gpointer            data,
              JgDemoProgressFunc  report,
              gpointer            report_data,
              GCancellable       *cancellable,
              GError            **error)
{
  const char * const *ids = data;
  g_autoptr(JsonArray) flagged = json_array_new ();
  JsonArray *checked = json_array_new ();
  JsonObject *out = json_object_new ();
  JsonNode *node;

  json_object_set_array_member (out, "ids", checked);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(JsonArray) flags = NULL;
      JsonObject *o;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          (record = jg_store_get (store, "service_entry", ids[i], error)) == NULL)
        {
          json_object_unref (out);
          return NULL;
        }
      json_array_add_string_element (checked, ids[i]);
      /* As the details show them: for a submitted entry, recorder =
       * approver names this store's user. */
      flags = jg_ledger_flag_details (store, NULL, record, error);
      if (flags == NULL)
        {
          json_object_unref (out);
          return NULL;
        }
      if (json_array_get_length (flags) == 0)
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "id", ids[i]);
      json_object_set_string_member (o, "served_at",
                                     json_object_get_string_member_with_default (record, "served_at", ""));
      json_object_set_array_member (o, "flags", g_steal_pointer (&flags));
      json_array_add_object_element (flagged, o);
    }
  json_object_set_array_member (out, "flagged", g_steal_pointer (&flagged));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, out);
  return node;
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     JgReviewPage     *self)
{
  GStrv ids = g_object_get_data (G_OBJECT (dialog), "ids");

  if (g_strcmp0 (response, "approve") == 0)
    set_state_of (self, ids, "approved", NULL);
}

/* Asks before approving entries with flags, listing each flag. */
static void
confirm_flagged (JgReviewPage *self,
                 GStrv         ids,
                 JsonArray    *flagged)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint n = g_strv_length (ids);
  guint n_flagged = json_array_get_length (flagged);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (n == 1)
    g_string_append (body, _("The time bank’s checks found this entry worth a look before it counts:"));
  else
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                               "%u of the %u entries to approve is worth a look before it counts:",
                                               "%u of the %u entries to approve are worth a look before they count:",
                                               n_flagged),
                            n_flagged, n);
  for (guint i = 0; i < n_flagged; i++)
    {
      JsonObject *entry = json_array_get_object_element (flagged, i);
      g_autofree char *text = flags_text (json_object_get_array_member (entry, "flags"));

      g_string_append (body, "\n\n");
      if (n > 1)
        {
          g_autofree char *when = g_strdup (json_object_get_string_member (entry, "served_at"));

          g_strdelimit (when, "T", ' ');
          /* Translators: the entry (when it was served) whose flags follow */
          g_string_append_printf (body, _("Entry of %s:"), when);
          g_string_append_c (body, '\n');
        }
      g_string_append (body, text);
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   g_dngettext (GETTEXT_PACKAGE, "Approve a Flagged Entry?",
                                                "Approve Flagged Entries?", n_flagged),
                                   body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "approve", _("_Approve Anyway"),
                                    NULL);
  /* Looking again is the safe answer; approving is a choice made on purpose. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ids", g_strdupv (ids), (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
flagged_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  JsonArray *checked;
  JsonArray *flagged;

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      toast (self, error->message);
      return;
    }
  checked = json_object_get_array_member (json_node_get_object (node), "ids");
  flagged = json_object_get_array_member (json_node_get_object (node), "flagged");
  for (guint i = 0; i < json_array_get_length (checked); i++)
    g_strv_builder_add (builder, json_array_get_string_element (checked, i));
  ids = g_strv_builder_end (builder);
  if (json_array_get_length (flagged) == 0)
    set_state_of (self, ids, "approved", NULL);
  else
    confirm_flagged (self, ids, flagged);
}

/* ---- actions ---- */

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  JgReviewPage *self = JG_REVIEW_PAGE (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (g_strcmp0 (self->entity, "service_entry") != 0)
    {
      set_state_of (self, ids, "approved", NULL);
      return;
    }
  /* Service entries are checked first, on the worker: the checks read
   * the volunteer's other entries. */
  if (self->worker == NULL || self->job_cancellable != NULL || ids[0] == NULL)
    return;
  set_busy (self, TRUE);
  jg_store_worker_run_async (self->worker, flagged_func, g_strdupv (ids), (GDestroyNotify) g_strfreev,
                             NULL, NULL, NULL, self->job_cancellable,
                             flagged_cb, g_object_ref (self));
}

static void
return_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgReviewPage *self = JG_REVIEW_PAGE (widget);
  g_auto(GStrv) ids = selected_ids (self);
  guint n = g_strv_length (ids);
  g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Return %u Record?",
                                                           "Return %u Records?", n), n);

  prompt (self, PROMPT_RETURN, heading,
          _("Say what needs to change; the village sees this note with the record"),
          _("Review note"), _("_Return"), FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgReviewPage *self = JG_REVIEW_PAGE (widget);

  g_cancellable_cancel (self->job_cancellable);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgReviewPage *self = JG_REVIEW_PAGE (widget);
  const JgEntityDef *entity = jg_entity_lookup (self->entity);
  const JgFieldDef *state = entity ? jg_entity_field (entity, "review_state", NULL) : NULL;
  /* Translators: the suggested name of an export of the review list: the
   * record type, then the review state; keep “.csv” */
  g_autofree char *name = g_strdup_printf (_("%s-%s.csv"), jg_entity_label (self->entity),
                                           state ? jg_choice_label (state, self->state) : self->state);

  jg_export_ui_choose (widget, name, export_chosen_cb, NULL);
}

static void
award_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  JgReviewPage *self = JG_REVIEW_PAGE (widget);

  if (strcmp (action_name, "review.award-review") == 0)
    jg_review_page_award_step (self, "under_review", NULL, NULL);
  else if (strcmp (action_name, "review.award-notice") == 0)
    jg_review_page_award_step (self, "public_notice", NULL, NULL);
  else if (strcmp (action_name, "review.award-objection") == 0)
    prompt (self, PROMPT_OBJECTION, _("Record an Objection"),
            _("Who objected during the public notice, and why"),
            _("Objection"), _("_Record"), FALSE);
  else if (strcmp (action_name, "review.award-grant") == 0)
    prompt (self, PROMPT_GRANT, _("Grant the Award"),
            _("The award is granted with the number of its certificate"),
            _("Certificate number"), _("_Grant"), FALSE);
  else if (strcmp (action_name, "review.award-decline") == 0)
    prompt (self, PROMPT_DECLINE, _("Decline the Nomination?"),
            _("Say why; the village sees the reason with the award"),
            _("Reason"), _("_Decline"), TRUE);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  prompt (JG_REVIEW_PAGE (widget), PROMPT_REVOKE, _("Revoke the Designation?"),
          _("The household loses the title (摘牌) for good; say why, for example two failed re-inspections"),
          _("Reason"), _("_Revoke"), TRUE);
}

/* The one place that decides which actions can run now. */
static void
update_actions (JgReviewPage *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  g_auto(GStrv) ids = selected_ids (self);
  guint n = g_strv_length (ids);
  guint n_movable = n_selected_movable (self);
  gboolean idle = self->worker != NULL && self->job_cancellable == NULL;
  gboolean can_review = idle && n_movable > 0 && g_strcmp0 (self->state, "submitted") == 0;
  gboolean can_take_back = idle && n_movable > 0 && g_strcmp0 (self->state, "approved") == 0 &&
                           g_strcmp0 (self->entity, "service_entry") != 0;
  const char *award_state = NULL;
  g_autofree char *label = NULL;

  if (self->record != NULL && n == 1 && g_strcmp0 (self->entity, "award") == 0)
    award_state = json_object_get_string_member_with_default (self->record, "state", "nominated");

  gtk_widget_action_set_enabled (w, "review.approve", can_review);
  gtk_widget_action_set_enabled (w, "review.return", can_review || can_take_back);
  gtk_widget_action_set_enabled (w, "review.cancel", self->job_cancellable != NULL);
  gtk_widget_action_set_enabled (w, "review.export", idle);

  {
    gboolean on_notice = g_strcmp0 (award_state, "public_notice") == 0;
    /* Granting waits for the notice's end (jg_award_may_grant()): the
     * button stays in sight, insensitive, and says until when. */
    const struct { const char *action; GtkWidget *button; gboolean shown; gboolean enabled; } award[] = {
      { "review.award-review", self->award_review_button, g_strcmp0 (award_state, "nominated") == 0, TRUE },
      { "review.award-notice", self->award_notice_button, g_strcmp0 (award_state, "under_review") == 0, TRUE },
      { "review.award-objection", self->award_objection_button, on_notice, TRUE },
      { "review.award-grant", self->award_grant_button, on_notice, self->grant_refusal == NULL },
      { "review.award-decline", self->award_decline_button,
        g_strcmp0 (award_state, "under_review") == 0 || on_notice, TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (award); i++)
      {
        gtk_widget_action_set_enabled (w, award[i].action, idle && award[i].shown && award[i].enabled);
        gtk_widget_set_visible (award[i].button, award[i].shown);
      }
    gtk_widget_set_tooltip_text (self->award_grant_button, on_notice ? self->grant_refusal : NULL);
  }

  {
    /* Only a granted title can be revoked; one not yet granted is returned. */
    gboolean revocable = self->record != NULL && n == 1 && g_strcmp0 (self->entity, "designation") == 0 &&
                         g_strcmp0 (json_object_get_string_member_with_default (self->record, "review_state", NULL),
                                    "approved") == 0 &&
                         !json_object_get_boolean_member_with_default (self->record, "revoked", FALSE);

    gtk_widget_action_set_enabled (w, "review.designation-revoke", idle && revocable);
    gtk_widget_set_visible (self->designation_revoke_button, revocable);
  }

  if (n > 1)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Approve %u", "_Approve %u", n), n);
  else
    label = g_strdup (_("_Approve"));
  gtk_button_set_label (self->approve_button, label);
}

/* ---- drop-downs ---- */

static void
entity_selected_cb (JgReviewPage *self,
                    GParamSpec   *pspec,
                    GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (entities))
    jg_review_page_set_entity (self, entities[i]);
}

static void
state_selected_cb (JgReviewPage *self,
                   GParamSpec   *pspec,
                   GtkDropDown  *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (states))
    jg_review_page_set_state (self, states[i]);
}

/* ---- GObject ---- */

static void
jg_review_page_dispose (GObject *object)
{
  JgReviewPage *self = (JgReviewPage *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->units_cancellable);
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->units_cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  if (self->units_view != NULL)
    gtk_list_view_set_model (self->units_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->unit_selection);
  g_clear_object (&self->units);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->texts, json_object_unref);
  g_clear_pointer (&self->flags, json_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_REVIEW_PAGE);

  G_OBJECT_CLASS (jg_review_page_parent_class)->dispose (object);
}

static void
jg_review_page_finalize (GObject *object)
{
  JgReviewPage *self = (JgReviewPage *)object;

  g_clear_pointer (&self->entity, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->unit_path, g_free);
  g_clear_pointer (&self->root_path, g_free);
  g_clear_pointer (&self->grant_refusal, g_free);

  G_OBJECT_CLASS (jg_review_page_parent_class)->finalize (object);
}

static void
jg_review_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgReviewPage *self = JG_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, jg_review_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_review_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgReviewPage *self = JG_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      jg_review_page_set_worker (self, g_value_get_object (value));
      break;

    case PROP_ENTITY:
      jg_review_page_set_entity (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      jg_review_page_set_state (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_review_page_class_init (JgReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_review_page_dispose;
  object_class->finalize = jg_review_page_finalize;
  object_class->get_property = jg_review_page_get_property;
  object_class->set_property = jg_review_page_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, "activity",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "submitted",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, entity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, units_view);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, none_page);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, flags_box);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, flags_label);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_box);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_label);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_review_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_notice_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_objection_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_grant_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, award_decline_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, designation_box);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, designation_label);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, designation_revoke_button);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, fields_list);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JgReviewPage, approve_button);
  gtk_widget_class_bind_template_callback (widget_class, entity_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, state_selected_cb);

  gtk_widget_class_install_action (widget_class, "review.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "review.return", NULL, return_action);
  gtk_widget_class_install_action (widget_class, "review.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "review.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "review.award-review", NULL, award_action);
  gtk_widget_class_install_action (widget_class, "review.award-notice", NULL, award_action);
  gtk_widget_class_install_action (widget_class, "review.award-objection", NULL, award_action);
  gtk_widget_class_install_action (widget_class, "review.award-grant", NULL, award_action);
  gtk_widget_class_install_action (widget_class, "review.award-decline", NULL, award_action);
  gtk_widget_class_install_action (widget_class, "review.designation-revoke", NULL, revoke_action);
}

static void
jg_review_page_init (JgReviewPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->entity = g_strdup ("activity");
  self->state = g_strdup ("submitted");

  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
  add_columns (self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_unit_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_unit_cb), NULL);
  gtk_list_view_set_factory (self->units_view, factory);
  self->unit_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->unit_selection, TRUE);
  gtk_list_view_set_model (self->units_view, GTK_SELECTION_MODEL (self->unit_selection));

  update_list_state (self);
  update_actions (self);
}

JgStoreWorker *
jg_review_page_get_worker (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->worker;
}

void
jg_review_page_set_worker (JgReviewPage  *self,
                           JgStoreWorker *worker)
{
  g_return_if_fail (JG_IS_REVIEW_PAGE (self));
  g_return_if_fail (!worker || JG_IS_STORE_WORKER (worker));

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (!g_set_object (&self->worker, worker))
    return;
  if (worker != NULL)
    g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_model (self);
  reload_units (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

const char *
jg_review_page_get_entity (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->entity;
}

void
jg_review_page_set_entity (JgReviewPage *self,
                           const char   *entity)
{
  g_return_if_fail (JG_IS_REVIEW_PAGE (self));

  if (entity == NULL || jg_entity_lookup (entity) == NULL || g_strcmp0 (self->entity, entity) == 0)
    return;
  g_free (self->entity);
  self->entity = g_strdup (entity);
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strcmp (entities[i], entity) == 0)
      gtk_drop_down_set_selected (self->entity_dropdown, i);
  rebuild_model (self);
  reload_units (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTITY]);
}

const char *
jg_review_page_get_state (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->state;
}

void
jg_review_page_set_state (JgReviewPage *self,
                          const char   *state)
{
  g_return_if_fail (JG_IS_REVIEW_PAGE (self));

  if (state == NULL || g_strcmp0 (self->state, state) == 0)
    return;
  g_free (self->state);
  self->state = g_strdup (state);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (strcmp (states[i], state) == 0)
      gtk_drop_down_set_selected (self->state_dropdown, i);
  if (self->model != NULL)
    jg_record_list_set_filter (self->model, "review_state", state);
  load_record (self, NULL);
  reload_units (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
jg_review_page_get_busy (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), FALSE);

  return self->job_cancellable != NULL;
}

JgRecordList *
jg_review_page_get_model (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->model;
}

GtkSelectionModel *
jg_review_page_get_selection (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/* The units tree: GtkTreeListRows of JgRecords ("org_unit") with "count". */
GListModel *
jg_review_page_get_units (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return G_LIST_MODEL (self->units);
}

/* The time-bank flags of the service entry shown (jg_ledger_flag_details());
 * NULL when no service entry is. */
JsonArray *
jg_review_page_get_flags (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->flags;
}

/* The record shown at the side, as read; NULL when none is. */
JsonObject *
jg_review_page_get_record (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), NULL);

  return self->record;
}

guint
jg_review_page_get_history_length (JgReviewPage *self)
{
  g_return_val_if_fail (JG_IS_REVIEW_PAGE (self), 0);

  return self->history_length;
}
