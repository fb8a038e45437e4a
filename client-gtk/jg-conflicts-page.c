/* jg-conflicts-page.c: the conflicts sync found, for a reviewer to settle
 *
 * A hard conflict shows both values side by side with who wrote each and
 * when; the reviewer keeps one or types another, and
 * jg_sync_resolve_conflict() makes that decision a new change, which every
 * laptop receives with the next sync.  Soft conflicts ask for no
 * decision: whoever has seen one may dismiss it (jg_store_dismiss_conflict(),
 * on this laptop only), one by one or all at once.
 * Deciding is a reviewer's act (jg_review_store_may_resolve(), read on the
 * worker with the list): a conflict this user may not decide is shown
 * with both values and who decides it, without the buttons.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-entity.h"
#include "jg-error.h"
#include "jg-export.h"
#include "jg-export-ui.h"
#include "jg-gui.h"
#include "jg-json.h"
#include "jg-review.h"
#include "jg-conflicts-page.h"
#include "jg-sync-client.h"

struct _JgConflictsPage
{
  AdwBin         parent_instance;

  JgStoreWorker *worker;
  JsonArray     *conflicts;
  char          *role;             /* the user's, or NULL for a local-only profile */
  GCancellable  *cancellable;      /* reading the list */
  GCancellable  *job_cancellable;  /* a decision being written */

  /* Template widgets */
  GtkStack      *stack;
  GtkWidget     *hard_group;
  GtkLabel      *hard_heading;
  GtkLabel      *hard_hint;
  GtkWidget     *soft_group;
  GtkListBox    *hard_list;
  GtkListBox    *soft_list;
  GtkWidget     *dismiss_all_button;
};

G_DEFINE_FINAL_TYPE (JgConflictsPage, jg_conflicts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (JgConflictsPage *self);

static void
remove_all (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* As every list shows it: a choice by its label, a phone masked
 * (DOMAIN.md); "Keep" still writes the value itself. */
static char *
value_text (const char *entity,
            const char *field,
            JsonNode   *node)
{
  char *text = jg_export_list_value (entity, field, node);

  return text ? text : g_strdup (_("(empty)"));
}

static char *
side_text (JsonObject *side)
{
  const char *author = json_object_get_string_member_with_default (side, "author", NULL);
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (json_object_get_string_member (side, "at"), NULL);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");

  /* Translators: who wrote a value, when, and on which laptop */
  return g_strdup_printf (_("%s · %s · laptop %.8s"), author ? author : _("unknown"), when,
                          json_object_get_string_member_with_default (side, "replica", ""));
}

/* Who decides a conflict this user may not, in the user's terms. */
static const char *
who_decides (JgConflictsPage *self)
{
  if (self->role == NULL)
    return _("Only conflicts over records of this profile’s own unit and the units below it are decided here");
  if (!jg_review_role_is_reviewer (self->role))
    return _("A reviewer of the township or county decides; the newer value is kept until then");
  return _("A reviewer of a unit above this record’s unit decides; the newer value is kept until then");
}

static void
keep_clicked_cb (GtkButton       *button,
                 JgConflictsPage *self)
{
  JsonNode *value = g_object_get_data (G_OBJECT (button), "jg-value");
  const char *id = g_object_get_data (G_OBJECT (button), "jg-conflict");

  jg_conflicts_page_resolve (self, id, value);
}

/* What was typed, read as the field's value (a choice by its label too,
 * a number in digits); a toast says what the field takes otherwise. */
static void
typed_apply_cb (AdwEntryRow     *row,
                JgConflictsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "jg-conflict");
  const JgFieldDef *def = g_object_get_data (G_OBJECT (row), "jg-field");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (def == NULL)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, text);
    }
  else if ((value = jg_field_value_from_text (def, text, &error)) == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  jg_conflicts_page_resolve (self, id, value);
}

/* The choice picked in the drop-down, by its code. */
static void
choice_apply_cb (GtkButton       *button,
                 JgConflictsPage *self)
{
  AdwComboRow *row = g_object_get_data (G_OBJECT (button), "jg-row");
  const char *id = g_object_get_data (G_OBJECT (row), "jg-conflict");
  const JgFieldDef *def = g_object_get_data (G_OBJECT (row), "jg-field");
  const char * const *codes = jg_field_choices (def);
  guint i = adw_combo_row_get_selected (row);
  g_autoptr(JsonNode) value = NULL;

  if (codes == NULL || i == GTK_INVALID_LIST_POSITION || i >= g_strv_length ((char **) codes))
    return;
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, codes[i]);
  jg_conflicts_page_resolve (self, id, value);
}

/* A third value: a drop-down of the choices for a choice field, else a
 * box to type it in. */
static GtkWidget *
other_value_row (JgConflictsPage  *self,
                 JsonObject       *c,
                 const JgFieldDef *def)
{
  const char * const *codes = def != NULL ? jg_field_choices (def) : NULL;
  GtkWidget *row;

  if (codes != NULL)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use"));

      for (guint i = 0; codes[i] != NULL; i++)
        gtk_string_list_append (labels, jg_choice_label (def, codes[i]));
      row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Or choose the right value"));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "use-choice");
      g_object_set_data (G_OBJECT (button), "jg-row", row);
      g_signal_connect_object (button, "clicked", G_CALLBACK (choice_apply_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Or type the right value"));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      g_signal_connect_object (row, "apply", G_CALLBACK (typed_apply_cb), self, 0);
    }
  gtk_widget_set_name (row, "other-value");
  g_object_set_data_full (G_OBJECT (row), "jg-conflict",
                          g_strdup (json_object_get_string_member (c, "id")), g_free);
  g_object_set_data (G_OBJECT (row), "jg-field", (gpointer) def);
  return row;
}

static GtkWidget *
hard_row (JgConflictsPage *self,
          JsonObject      *c)
{
  const char *field = json_object_get_string_member (c, "field");
  const char *entity_name = json_object_get_string_member (c, "entity");
  const JgEntityDef *entity = jg_entity_lookup (entity_name);
  const JgFieldDef *def = entity ? jg_entity_field (entity, field, NULL) : NULL;
  JsonArray *values = json_object_get_array_member (c, "values");
  GtkWidget *expander = adw_expander_row_new ();
  gboolean may_resolve = json_object_get_boolean_member_with_default (c, "may_resolve", FALSE);
  const char *label = jg_field_label (field);
  g_autofree char *title = g_strdup_printf ("%s · %s", jg_entity_label (entity_name), label ? label : field);
  GtkWidget *typed;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  /* The record as people know it (its head, its title), else its id. */
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 json_object_get_string_member_with_default (c, "title",
                                                                             json_object_get_string_member (c, "record")));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *side = json_array_get_object_element (values, i);
      JsonNode *value = json_object_get_member (side, "value");
      g_autofree char *text = value_text (entity_name, field, value);
      g_autofree char *who = side_text (side);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), who);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      if (!may_resolve)
        continue;

      button = gtk_button_new_with_mnemonic (_("_Keep"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, i == 0 ? "keep-a" : "keep-b");
      g_object_set_data_full (G_OBJECT (button), "jg-value",
                              value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL),
                              (GDestroyNotify) json_node_unref);
      g_object_set_data_full (G_OBJECT (button), "jg-conflict",
                              g_strdup (json_object_get_string_member (c, "id")), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (keep_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  if (may_resolve)
    typed = other_value_row (self, c, def);
  else
    {
      typed = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (typed), who_decides (self));
      gtk_widget_add_css_class (typed, "dim-label");
      gtk_widget_set_name (typed, "who-decides");
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), typed);
  return expander;
}

static void
dismiss_clicked_cb (GtkButton       *button,
                    JgConflictsPage *self)
{
  jg_conflicts_page_dismiss (self, g_object_get_data (G_OBJECT (button), "jg-conflict"));
}

static void
dismiss_all_clicked_cb (JgConflictsPage *self)
{
  jg_conflicts_page_dismiss (self, NULL);
}

static GtkWidget *
soft_row (JgConflictsPage *self,
          JsonObject      *c)
{
  JsonArray *values = json_object_get_array_member (c, "values");
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  gboolean deleted = g_strcmp0 (json_object_get_string_member (c, "kind"), "delete") == 0;
  g_autofree char *title = g_strdup_printf ("%s · %s", jg_entity_label (json_object_get_string_member (c, "entity")),
                                            json_object_get_string_member_with_default (c, "title",
                                                                                        json_object_get_string_member (c, "record")));

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *side = json_array_get_object_element (values, i);
      g_autofree char *who = side_text (side);
      const char *field = json_object_get_string_member_with_default (side, "field", "");
      const char *label = jg_field_label (field);

      if (i > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, "%s: %s", label ? label : field, who);
    }
  /* An edit that met a deletion: the deletion stands, the edit is not
   * applied; said so, not "both kept". */
  if (deleted)
    g_string_prepend (subtitle, _("The record was deleted; the edit made meanwhile was not applied\n"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  /* Nothing to decide: it may go once seen (jg_store_dismiss_conflict()). */
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Dismiss"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "dismiss");
      jg_gui_set_tooltip (button, deleted ? _("Mark as seen: the record stays deleted; it leaves this page and the sync count")
                                          : _("Mark as seen: it leaves this page and the sync count"));
      g_object_set_data_full (G_OBJECT (button), "jg-conflict",
                              g_strdup (json_object_get_string_member (c, "id")), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (dismiss_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show (JgConflictsPage *self)
{
  guint n_hard = 0, n_soft = 0, n_decidable = 0, n_dismissable = 0;

  remove_all (self->hard_list);
  remove_all (self->soft_list);
  for (guint i = 0; self->conflicts && i < json_array_get_length (self->conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (self->conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "hard") == 0)
        {
          gtk_list_box_append (self->hard_list, hard_row (self, c));
          n_hard++;
          if (json_object_get_boolean_member_with_default (c, "may_resolve", FALSE))
            n_decidable++;
        }
      else
        {
          gtk_list_box_append (self->soft_list, soft_row (self, c));
          n_soft++;
          if (g_strcmp0 (json_object_get_string_member (c, "kind"), "soft") == 0)
            n_dismissable++;
        }
    }
  /* Words for what this user can do here: decide, or wait for whom. */
  if (n_decidable > 0)
    {
      gtk_label_set_text (self->hard_heading, _("Decide"));
      gtk_label_set_text (self->hard_hint,
                          _("The same field was changed on two laptops. Keep one value or type the right one; your decision reaches every laptop with the next sync."));
    }
  else
    {
      gtk_label_set_text (self->hard_heading, _("Waiting for a Reviewer"));
      gtk_label_set_text (self->hard_hint,
                          self->role != NULL && !jg_review_role_is_reviewer (self->role)
                          ? _("The same field was changed on two laptops. The newer value is kept until a reviewer of the township or county decides; the decision reaches this laptop with a sync.")
                          : _("The same field was changed on two laptops. The newer value is kept until a reviewer of a higher unit decides; the decision reaches this laptop with a sync."));
    }
  gtk_widget_set_visible (self->hard_group, n_hard > 0);
  gtk_widget_set_visible (self->soft_group, n_soft > 0);
  gtk_widget_set_visible (self->dismiss_all_button, n_dismissable > 0);
  gtk_stack_set_visible_child_name (self->stack, n_hard + n_soft > 0 ? "list" : "empty");
}

static JsonNode *
list_func (JgStore            *store,
           gpointer            data,
           JgDemoProgressFunc  report,
           gpointer            report_data,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(JsonArray) array = jg_store_list_conflicts (store, FALSE, error);
  g_autoptr(JsonObject) out = NULL;
  g_auto(JgActor) actor = { 0 };
  JsonNode *node;

  if (array == NULL || !jg_review_get_actor (store, &actor, error))
    return NULL;
  /* Whether this user may decide each one: the rule resolving applies. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *c = json_array_get_object_element (array, i);
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean may;

      if (g_strcmp0 (json_object_get_string_member (c, "kind"), "hard") != 0)
        continue;
      record = jg_store_get (store, json_object_get_string_member (c, "entity"),
                             json_object_get_string_member (c, "record"), NULL);
      may = record != NULL &&
            jg_review_store_may_resolve (store, jg_json_get_string (record, "org_unit"),
                                         json_object_get_string_member (c, "field"), &local_error);
      if (local_error != NULL && !g_error_matches (local_error, JG_ERROR, JG_ERROR_PERMISSION))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      json_object_set_boolean_member (c, "may_resolve", may);
    }
  out = json_object_new ();
  json_object_set_array_member (out, "conflicts", g_steal_pointer (&array));
  if (!actor.local_only)
    json_object_set_string_member (out, "role", actor.role);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, out);
  return node;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JgConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->conflicts, json_array_unref);
  self->conflicts = json_array_ref (json_object_get_array_member (json_node_get_object (node), "conflicts"));
  g_free (self->role);
  self->role = g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "role", NULL));
  show (self);
}

static void
reload (JgConflictsPage *self)
{
  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  jg_store_worker_run_async (self->worker, list_func, NULL, NULL, NULL, NULL, NULL,
                             self->cancellable, list_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgConflictsPage *self,
                   const char      *entity,
                   JgStoreWorker   *worker)
{
  reload (self);
}

typedef struct
{
  char     *id;
  JsonNode *value;
  char     *entity;
} Decision;

static void
decision_free (Decision *d)
{
  g_free (d->id);
  g_free (d->entity);
  json_node_unref (d->value);
  g_free (d);
}

static JsonNode *
resolve_func (JgStore            *store,
              gpointer            data,
              JgDemoProgressFunc  report,
              gpointer            report_data,
              GCancellable       *cancellable,
              GError            **error)
{
  Decision *d = data;
  g_autofree char *change = jg_sync_resolve_conflict (store, d->id, d->value, error);
  JsonNode *node;

  if (change == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, change);
  return node;
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  g_clear_object (&self->job_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  jg_export_ui_toast (GTK_WIDGET (self), _("Decided; every laptop receives it with the next sync"));
  reload (self);
}

/* Settles one conflict with value, through the worker. */
void
jg_conflicts_page_resolve (JgConflictsPage *self,
                           const char      *conflict_id,
                           JsonNode        *value)
{
  Decision *d;
  const char *entity = NULL;

  g_return_if_fail (JG_IS_CONFLICTS_PAGE (self));
  g_return_if_fail (conflict_id != NULL && value != NULL);

  if (self->worker == NULL || self->job_cancellable != NULL)
    return;
  for (guint i = 0; self->conflicts && i < json_array_get_length (self->conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (self->conflicts, i);

      if (g_strcmp0 (json_object_get_string_member (c, "id"), conflict_id) == 0)
        entity = json_object_get_string_member (c, "entity");
    }
  self->job_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  d = g_new0 (Decision, 1);
  d->id = g_strdup (conflict_id);
  d->value = json_node_copy (value);
  d->entity = g_strdup (entity);
  /* "changed" for the record's type refreshes its lists and this page. */
  jg_store_worker_run_async (self->worker, resolve_func, d, (GDestroyNotify) decision_free,
                             entity ? entity : "sync", NULL, NULL, self->job_cancellable,
                             resolve_cb, g_object_ref (self));
}

static void
dismiss_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 n = jg_store_worker_dismiss_conflict_finish (JG_STORE_WORKER (object), result, &error);

  g_clear_object (&self->job_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n < 0)
    jg_export_ui_toast (GTK_WIDGET (self), error->message);
  reload (self);
}

/* Marks a soft conflict as seen on this laptop, through the worker; every
 * open soft one when @conflict_id is NULL.  The page and the sync count
 * follow ("changed"). */
void
jg_conflicts_page_dismiss (JgConflictsPage *self,
                           const char      *conflict_id)
{
  g_return_if_fail (JG_IS_CONFLICTS_PAGE (self));

  if (self->worker == NULL || self->job_cancellable != NULL)
    return;
  self->job_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  jg_store_worker_dismiss_conflict_async (self->worker, conflict_id, self->job_cancellable,
                                          dismiss_cb, g_object_ref (self));
}

static void
jg_conflicts_page_dispose (GObject *object)
{
  JgConflictsPage *self = (JgConflictsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->conflicts, json_array_unref);
  g_clear_pointer (&self->role, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_CONFLICTS_PAGE);

  G_OBJECT_CLASS (jg_conflicts_page_parent_class)->dispose (object);
}

static void
jg_conflicts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JgConflictsPage *self = JG_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->job_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_conflicts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JgConflictsPage *self = JG_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      jg_conflicts_page_set_worker (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_conflicts_page_class_init (JgConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_conflicts_page_dispose;
  object_class->get_property = jg_conflicts_page_get_property;
  object_class->set_property = jg_conflicts_page_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_group);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_heading);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_hint);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, soft_group);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, hard_list);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, soft_list);
  gtk_widget_class_bind_template_child (widget_class, JgConflictsPage, dismiss_all_button);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_all_clicked_cb);
}

static void
jg_conflicts_page_init (JgConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
}

JgStoreWorker *
jg_conflicts_page_get_worker (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), NULL);

  return self->worker;
}

void
jg_conflicts_page_set_worker (JgConflictsPage *self,
                              JgStoreWorker   *worker)
{
  g_return_if_fail (JG_IS_CONFLICTS_PAGE (self));

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (!g_set_object (&self->worker, worker))
    return;
  if (worker != NULL)
    g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

/* The open conflicts as jg_store_list_conflicts() gives them, each hard
 * one with "may_resolve": whether this user may decide it; NULL before
 * the first read. */
JsonArray *
jg_conflicts_page_get_conflicts (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), NULL);

  return self->conflicts;
}

gboolean
jg_conflicts_page_get_busy (JgConflictsPage *self)
{
  g_return_val_if_fail (JG_IS_CONFLICTS_PAGE (self), FALSE);

  return self->job_cancellable != NULL;
}
