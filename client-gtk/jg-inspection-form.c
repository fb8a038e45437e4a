/* jg-inspection-form.c: the form of a courtyard inspection (美丽庭院评估)
 *
 * New (household-id: the household inspected) or existing (record-id).  The
 * rubric is data, so its sections, items and veto items are rows built from
 * it; every change rescores with jg_rubric_score(), a pure computation, so
 * the totals and stars are live.  Saving goes through the worker like every
 * other form; the store scores again and keeps its own total.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "jg-form.h"
#include "jg-inspection-form.h"
#include "jg-rubric.h"

#define ENTITY "inspection"

struct _JgInspectionForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *record_id;
  char           *household_id;
  char           *org_unit;      /* the household's */
  JsonObject     *record;        /* as read, NULL for a new one */
  JgRubric       *rubric;
  GCancellable   *cancellable;
  GPtrArray      *item_spins;    /* GtkSpinButton per item, in rubric order */
  GPtrArray      *section_labels;
  GPtrArray      *veto_checks;   /* GtkCheckButton per veto item */
  double          total;
  int             star;
  guint           passed : 1;
  guint           busy : 1;

  /* Template widgets */
  GtkRevealer    *review_revealer;
  GtkLabel       *review_label;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwActionRow   *household_row;
  AdwEntryRow    *inspected_at_row;
  AdwEntryRow    *inspectors_row;
  AdwComboRow    *stage_row;
  GtkBox         *sections_box;
  AdwPreferencesGroup *veto_hits_row;
  GtkLabel       *total_label;
  GtkLabel       *star_label;
  AdwEntryRow    *rectify_by_row;
  GtkTextView    *notes_view;
};

G_DEFINE_FINAL_TYPE (JgInspectionForm, jg_inspection_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_RECORD_ID,
  PROP_HOUSEHOLD_ID,
  PROP_TOTAL,
  PROP_STAR,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const fields[] = {
  "household", "inspected_at", "inspectors", "stage", "item_scores", "veto_hits",
  "rectify_by", "notes", NULL
};

static const char * const bound_by_name[] = {
  "household_error",
  "inspected_at_error",
  "inspectors_error",
  "stage_error",
  "item_scores_row",
  "item_scores_error",
  "veto_hits_error",
  "rectify_by_error",
  "delete_button",
  NULL
};

static const char * const stages[] = {
  "self", "village", "township", "county", "third_party", "reinspection", NULL
};

static void
update_actions (JgInspectionForm *self)
{
  gboolean ready = self->rubric != NULL && self->household_id != NULL &&
                   (self->record_id == NULL || self->record != NULL);

  jg_form_update_save_actions (GTK_WIDGET (self), self->record, ready, self->busy);
}

static JsonObject *
collect_scores (JgInspectionForm *self)
{
  JsonObject *scores = json_object_new ();
  guint k = 0;

  for (guint s = 0; s < jg_rubric_get_n_sections (self->rubric); s++)
    for (guint i = 0; i < jg_rubric_get_n_items (self->rubric, s); i++, k++)
      {
        const JgRubricEntry *item = jg_rubric_get_item (self->rubric, s, i);
        double points = gtk_spin_button_get_value (g_ptr_array_index (self->item_spins, k));

        if (points == (gint64) points)
          json_object_set_int_member (scores, item->code, (gint64) points);
        else
          json_object_set_double_member (scores, item->code, points);
      }
  return scores;
}

static JsonArray *
collect_vetoes (JgInspectionForm *self)
{
  JsonArray *hits = json_array_new ();

  for (guint v = 0; v < self->veto_checks->len; v++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->veto_checks, v)))
      json_array_add_string_element (hits, jg_rubric_get_veto (self->rubric, v)->code);
  return hits;
}

static char *
stars_text (JgRubric *rubric,
            int       star)
{
  GString *s;

  if (star <= 0)
    return g_strdup (_("No star"));
  s = g_string_new (NULL);
  for (int i = 0; i < (int) jg_rubric_get_n_stars (rubric); i++)
    g_string_append (s, i < star ? "★" : "☆");
  return g_string_free (s, FALSE);
}

/* On every change: pure computation, no I/O. */
static void
rescore (JgInspectionForm *self)
{
  g_autoptr(JsonObject) scores = NULL;
  g_autoptr(JsonArray) hits = NULL;
  g_autoptr(JsonObject) section_totals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *total = NULL;
  g_autofree char *stars = NULL;
  double old_total = self->total;
  int old_star = self->star;
  double sum = 0;
  int star = 0;
  gboolean passed = FALSE;

  if (self->rubric == NULL)
    return;

  scores = collect_scores (self);
  hits = collect_vetoes (self);
  if (!jg_rubric_score (self->rubric, scores, hits, &sum, &section_totals, &star, &passed, &error))
    {
      /* The spin buttons keep every score in range: a bug if reached. */
      g_warning ("Could not score the inspection: %s", error->message);
      return;
    }

  for (guint s = 0; s < jg_rubric_get_n_sections (self->rubric); s++)
    {
      const JgRubricEntry *section = jg_rubric_get_section (self->rubric, s);
      JsonNode *node = json_object_get_member (section_totals, section->code);
      g_autofree char *text = g_strdup_printf (_("%g of %g"), node ? json_node_get_double (node) : 0.0,
                                               section->max);

      gtk_label_set_text (g_ptr_array_index (self->section_labels, s), text);
    }

  total = g_strdup_printf (_("%g of %g"), sum, jg_rubric_get_max_total (self->rubric));
  gtk_label_set_text (self->total_label, total);
  stars = stars_text (self->rubric, star);
  gtk_label_set_text (self->star_label, stars);
  if (star > 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->star_label), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->star_label), "error");

  /* A failed inspection needs a deadline for putting things right. */
  gtk_widget_set_visible (GTK_WIDGET (self->rectify_by_row), !passed);

  self->total = sum;
  self->star = star;
  self->passed = passed;
  if (old_total != sum)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  if (old_star != star)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAR]);
}

static void
build_rubric (JgInspectionForm *self)
{
  gboolean zh = jg_ui_is_chinese ();

  for (guint s = 0; s < jg_rubric_get_n_sections (self->rubric); s++)
    {
      const JgRubricEntry *section = jg_rubric_get_section (self->rubric, s);
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      GtkWidget *sum = gtk_label_new (NULL);

      adw_preferences_group_set_title (group, zh ? section->label_zh : section->label);
      gtk_widget_add_css_class (sum, "numeric");
      gtk_widget_add_css_class (sum, "heading");
      adw_preferences_group_set_header_suffix (group, sum);
      g_ptr_array_add (self->section_labels, sum);

      for (guint i = 0; i < jg_rubric_get_n_items (self->rubric, s); i++)
        {
          const JgRubricEntry *item = jg_rubric_get_item (self->rubric, s, i);
          GtkWidget *row = adw_action_row_new ();
          /* Whole or half points (jg-rubric.c). */
          GtkWidget *spin = gtk_spin_button_new_with_range (0, item->max, 0.5);
          g_autofree char *subtitle = g_strdup_printf (_("%s, up to %g points"), item->code, item->max);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zh ? item->label_zh : item->label);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
          gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
          gtk_widget_set_name (spin, item->code);
          g_signal_connect_object (spin, "value-changed", G_CALLBACK (rescore), self, G_CONNECT_SWAPPED);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
          adw_preferences_group_add (group, row);
          g_ptr_array_add (self->item_spins, spin);
        }
      gtk_box_append (self->sections_box, GTK_WIDGET (group));
    }

  for (guint v = 0; v < jg_rubric_get_n_vetoes (self->rubric); v++)
    {
      const JgRubricEntry *veto = jg_rubric_get_veto (self->rubric, v);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), zh ? veto->label_zh : veto->label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), veto->code);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_name (check, veto->code);
      g_signal_connect_object (check, "toggled", G_CALLBACK (rescore), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->veto_hits_row, row);
      g_ptr_array_add (self->veto_checks, check);
    }
  rescore (self);
}

static void
show_household (JgInspectionForm *self,
                JsonObject       *household)
{
  const char *head = json_object_get_string_member_with_default (household, "head_name", "");
  const char *address = json_object_get_string_member_with_default (household, "address", NULL);
  g_autofree char *subtitle = address && *address ? g_strdup_printf ("%s · %s", head, address)
                                                  : g_strdup (head);

  adw_action_row_set_subtitle (self->household_row, subtitle);
  g_free (self->org_unit);
  self->org_unit = g_strdup (json_object_get_string_member_with_default (household, "org_unit", NULL));
}

static void
load_record (JgInspectionForm *self,
             JsonObject *r)
{
  const char *stage = json_object_get_string_member_with_default (r, "stage", NULL);
  const char *notes = json_object_get_string_member_with_default (r, "notes", NULL);
  JsonNode *node;
  guint k = 0;

  jg_form_load_text (self->inspected_at_row, r, "inspected_at");
  jg_form_load_text (self->rectify_by_row, r, "rectify_by");
  for (guint i = 0; stages[i]; i++)
    if (g_strcmp0 (stages[i], stage) == 0)
      adw_combo_row_set_selected (self->stage_row, i);

  node = json_object_get_member (r, "inspectors");
  {
    g_autoptr(GString) text = g_string_new (NULL);

    if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
      {
        JsonArray *a = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (a); i++)
          g_string_append_printf (text, "%s%s", i ? ", " : "", json_array_get_string_element (a, i));
      }
    /* Also when a record shown before had some. */
    gtk_editable_set_text (GTK_EDITABLE (self->inspectors_row), text->str);
  }

  node = json_object_get_member (r, "item_scores");
  for (guint s = 0; s < jg_rubric_get_n_sections (self->rubric); s++)
    for (guint i = 0; i < jg_rubric_get_n_items (self->rubric, s); i++, k++)
      {
        const JgRubricEntry *item = jg_rubric_get_item (self->rubric, s, i);
        double points = 0;

        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
            json_object_has_member (json_node_get_object (node), item->code))
          points = json_node_get_double (json_object_get_member (json_node_get_object (node), item->code));
        gtk_spin_button_set_value (g_ptr_array_index (self->item_spins, k), points);
      }

  node = json_object_get_member (r, "veto_hits");
  for (guint v = 0; v < self->veto_checks->len; v++)
    {
      gboolean hit = FALSE;

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (node)) && !hit; i++)
          hit = g_strcmp0 (jg_rubric_get_veto (self->rubric, v)->code,
                           json_array_get_string_element (json_node_get_array (node), i)) == 0;
      gtk_check_button_set_active (g_ptr_array_index (self->veto_checks, v), hit);
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
  gtk_window_set_title (GTK_WINDOW (self), _("Courtyard Inspection"));
  jg_form_show_review (r, self->review_revealer, self->review_label);
  rescore (self);
}

static JsonObject *
collect_fields (JgInspectionForm *self)
{
  JsonObject *o = json_object_new ();
  g_autofree char *inspected_at = jg_form_entry_dup_text (self->inspected_at_row);
  g_autofree char *inspectors = jg_form_entry_dup_text (self->inspectors_row);
  g_autofree char *rectify_by = jg_form_entry_dup_text (self->rectify_by_row);
  g_autofree char *notes = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter begin, end;
  guint stage = adw_combo_row_get_selected (self->stage_row);
  JsonArray *names = json_array_new ();

  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  notes = gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);

  if (self->record_id != NULL)
    json_object_set_string_member (o, "id", self->record_id);
  jg_form_set_text (o, "org_unit", self->org_unit);
  jg_form_set_text (o, "household", self->household_id);
  jg_form_set_text (o, "inspected_at", inspected_at);
  jg_form_set_text (o, "stage", stage < G_N_ELEMENTS (stages) - 1 ? stages[stage] : NULL);
  json_object_set_string_member (o, "rubric", jg_rubric_get_id (self->rubric));
  json_object_set_int_member (o, "rubric_version", jg_rubric_get_version (self->rubric));
  json_object_set_object_member (o, "item_scores", collect_scores (self));
  json_object_set_array_member (o, "veto_hits", collect_vetoes (self));

  /* Inspectors are typed as a list: "王芳, 李娟" or "王芳、李娟". */
  if (inspectors != NULL)
    {
      g_auto(GStrv) parts = g_regex_split_simple ("[,，、;；]", inspectors, 0, 0);

      for (guint i = 0; parts[i]; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            json_array_add_string_element (names, parts[i]);
        }
    }
  json_object_set_array_member (o, "inspectors", names);

  jg_form_set_text (o, "rectify_by", self->passed ? NULL : rectify_by);
  jg_form_set_text (o, "notes", *notes ? notes : NULL);
  return o;
}

static void
household_cb (GtkWidget  *widget,
              JsonObject *household)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (widget);

  self->busy = FALSE;
  if (household != NULL)
    {
      /* What the household fills in is no edit. */
      gboolean changed = jg_form_has_changes (widget);

      show_household (self, household);
      if (!changed)
        jg_form_mark_pristine (widget);
    }
  update_actions (self);
}

static void
read_household (JgInspectionForm *self)
{
  self->busy = TRUE;
  jg_form_get_async (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM, self->worker, "household",
                     self->household_id, self->cancellable,
                     self->error_revealer, self->error_label, household_cb);
}

/* For jg_form_watch_changes(). */
static JsonObject *
collect_cb (GtkWidget *form)
{
  return collect_fields (JG_INSPECTION_FORM (form));
}

/* For jg_form_load_async(): a record changed elsewhere, with the user's
 * edits over it. */
static void
fill_cb (GtkWidget  *form,
         JsonObject *record)
{
  load_record (JG_INSPECTION_FORM (form), record);
}

static void
loaded_cb (GtkWidget  *widget,
           JsonObject *record)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (widget);
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (record != NULL)
    {
      const char *rubric_id = json_object_get_string_member_with_default (record, "rubric", NULL);
      gint64 version = jg_form_get_int (record, "rubric_version", 0);
      g_autoptr(JgRubric) rubric = NULL;

      /* An inspection is always shown with the rubric version it names. */
      rubric = jg_rubric_lookup (rubric_id, version, &error);
      if (rubric != NULL && jg_rubric_get_version (rubric) != jg_rubric_get_version (self->rubric))
        {
          g_warning ("Inspection %s uses rubric version %" PRId64 ", shown with %" PRId64,
                     self->record_id, version, jg_rubric_get_version (self->rubric));
        }
      g_free (self->household_id);
      self->household_id = g_strdup (json_object_get_string_member_with_default (record, "household", NULL));
    }
  if (record == NULL || self->household_id == NULL)
    {
      /* The read's own error is shown already; this is the rubric's. */
      if (error != NULL)
        jg_form_show_error (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM, error,
                            self->error_revealer, self->error_label);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->record, json_object_unref);
  self->record = json_object_ref (record);
  load_record (self, self->record);
  jg_form_mark_pristine (widget);
  read_household (self);
  update_actions (self);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    jg_form_saved (widget, signals[SAVED], id, NULL);
}

static void
save (JgInspectionForm *self,
      gboolean          submit)
{
  g_autoptr(JsonObject) fields_object = NULL;

  if (self->rubric == NULL)
    return;
  fields_object = collect_fields (self);
  jg_form_prepare_put (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM, fields, self->error_revealer,
                       fields_object, submit);
  self->busy = TRUE;
  update_actions (self);
  jg_form_put_async (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM, self->worker, ENTITY, fields_object,
                     self->cancellable, self->error_revealer, self->error_label, put_cb);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (JG_INSPECTION_FORM (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  save (JG_INSPECTION_FORM (widget), TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (widget);

  jg_form_delete (widget, JG_TYPE_INSPECTION_FORM, self->worker, ENTITY, self->record_id, self->cancellable,
                  self->error_revealer, self->error_label);
}

static void
jg_inspection_form_constructed (GObject *object)
{
  JgInspectionForm *self = (JgInspectionForm *)object;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (jg_inspection_form_parent_class)->constructed (object);

  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    gtk_string_list_append (labels, _("Self-assessment"));
    gtk_string_list_append (labels, _("Village assessment"));
    gtk_string_list_append (labels, _("Township review"));
    gtk_string_list_append (labels, _("County spot check"));
    gtk_string_list_append (labels, _("Third party"));
    gtk_string_list_append (labels, _("Re-inspection"));
    adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (labels));
    adw_combo_row_set_selected (self->stage_row, 1);
  }

  /* The newest version for a new inspection; built in, so no file is read. */
  self->rubric = jg_rubric_lookup (JG_RUBRIC_DEFAULT_ID, 0, &error);
  if (self->rubric == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
    }
  else
    build_rubric (self);

  if (self->record_id != NULL)
    {
      self->busy = TRUE;
      jg_form_load_async (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM, self->worker, ENTITY,
                         self->record_id, self->cancellable, self->review_revealer,
                         self->error_revealer, self->error_label, loaded_cb, fill_cb);
    }
  else
    {
      g_autofree char *today = jg_form_dup_today ();

      gtk_window_set_title (GTK_WINDOW (self), _("New Courtyard Inspection"));
      gtk_editable_set_text (GTK_EDITABLE (self->inspected_at_row), today);
      if (self->household_id != NULL)
        read_household (self);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_inspection_form_dispose (GObject *object)
{
  JgInspectionForm *self = (JgInspectionForm *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_INSPECTION_FORM);
  g_clear_pointer (&self->item_spins, g_ptr_array_unref);
  g_clear_pointer (&self->section_labels, g_ptr_array_unref);
  g_clear_pointer (&self->veto_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_inspection_form_parent_class)->dispose (object);
}

static void
jg_inspection_form_finalize (GObject *object)
{
  JgInspectionForm *self = (JgInspectionForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->rubric);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->record_id, g_free);
  g_clear_pointer (&self->household_id, g_free);
  g_clear_pointer (&self->org_unit, g_free);

  G_OBJECT_CLASS (jg_inspection_form_parent_class)->finalize (object);
}

static void
jg_inspection_form_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;

    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;

    case PROP_TOTAL:
      g_value_set_double (value, self->total);
      break;

    case PROP_STAR:
      g_value_set_int (value, self->star);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_inspection_form_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  JgInspectionForm *self = JG_INSPECTION_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_RECORD_ID:
      self->record_id = g_value_dup_string (value);
      break;

    case PROP_HOUSEHOLD_ID:
      self->household_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_inspection_form_class_init (JgInspectionFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_inspection_form_constructed;
  object_class->dispose = jg_inspection_form_dispose;
  object_class->finalize = jg_inspection_form_finalize;
  object_class->get_property = jg_inspection_form_get_property;
  object_class->set_property = jg_inspection_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOTAL] =
    g_param_spec_double ("total", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STAR] =
    g_param_spec_int ("star", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgInspectionForm::saved:
   * @id: the id of the record written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-inspection-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, review_label);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, household_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, inspected_at_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, inspectors_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, stage_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, sections_box);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, veto_hits_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, total_label);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, star_label);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, rectify_by_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspectionForm, notes_view);
  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_inspection_form_init (JgInspectionForm *self)
{
  self->cancellable = g_cancellable_new ();
  self->item_spins = g_ptr_array_new ();
  self->section_labels = g_ptr_array_new ();
  self->veto_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_inspection_form_new (JgStoreWorker *worker,
                        const char    *household_id)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_INSPECTION_FORM,
                       "worker", worker,
                       "household-id", household_id,
                       NULL);
}

/* The spin button of a rubric item, by its code (e.g. "R1"). */
GtkSpinButton *
jg_inspection_form_get_score_spin (JgInspectionForm *self,
                                   const char       *code)
{
  g_return_val_if_fail (JG_IS_INSPECTION_FORM (self), NULL);

  for (guint k = 0; self->item_spins && k < self->item_spins->len; k++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (self->item_spins, k)), code) == 0)
      return g_ptr_array_index (self->item_spins, k);
  return NULL;
}

/* The check button of a veto item, by its code (e.g. "V1"). */
GtkCheckButton *
jg_inspection_form_get_veto_check (JgInspectionForm *self,
                                   const char       *code)
{
  g_return_val_if_fail (JG_IS_INSPECTION_FORM (self), NULL);

  for (guint v = 0; self->veto_checks && v < self->veto_checks->len; v++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (self->veto_checks, v)), code) == 0)
      return g_ptr_array_index (self->veto_checks, v);
  return NULL;
}

double
jg_inspection_form_get_total (JgInspectionForm *self)
{
  g_return_val_if_fail (JG_IS_INSPECTION_FORM (self), 0);

  return self->total;
}

int
jg_inspection_form_get_star (JgInspectionForm *self)
{
  g_return_val_if_fail (JG_IS_INSPECTION_FORM (self), 0);

  return self->star;
}

/* The label of a section's live total, by the section's position. */
GtkLabel *
jg_inspection_form_get_section_label (JgInspectionForm *self,
                                      guint             section)
{
  g_return_val_if_fail (JG_IS_INSPECTION_FORM (self), NULL);

  if (self->section_labels == NULL || section >= self->section_labels->len)
    return NULL;
  return g_ptr_array_index (self->section_labels, section);
}
