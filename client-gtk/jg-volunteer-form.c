/* jg-volunteer-form.c: the form of a volunteer (巾帼志愿者)
 *
 * New or existing (record-id).  An existing record is read through the
 * worker; saving sends, in one put, the fields the user changed on the versions
 * she saw (jg_form_load_async()), so the store takes all of them or none,
 * and its error is shown at its field.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-config.h"
#include "jg-volunteer-form.h"
#include "jg-form.h"
#include "jg-ledger-form.h"
#include "jg-validate.h"

#define ENTITY "volunteer"

struct _JgVolunteerForm
{
  AdwWindow       parent_instance;

  JgStoreWorker  *worker;
  char           *record_id;
  JsonObject     *record;        /* as read, NULL for a new one */
  GCancellable   *cancellable;
  GCancellable   *ledger_cancellable;   /* the current reads of the time bank */
  GtkWindow      *child_form;           /* adding or redeeming hours, until destroyed */
  GPtrArray      *history_rows;
  GHashTable     *history_titles;       /* entry id -> its row's title, for the reversal dialog */
  AdwMessageDialog *reverse_dialog;     /* asking for a reversal's reason, until it answers */
  char           *reverse_entity;
  char           *reverse_id;
  guint           busy : 1;

  /* Template widgets */
  AdwPreferencesGroup *time_bank_group;
  AdwPreferencesGroup *history_group;
  GtkLabel       *available_label;
  GtkLabel       *earned_label;
  GtkLabel       *redeemed_label;
  GtkLabel       *pending_label;
  GtkLabel       *star_label;
  GtkRevealer    *review_revealer;
  GtkLabel       *review_label;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwEntryRow    *name_row;
  AdwComboRow    *gender_row;
  AdwEntryRow    *birth_year_row;
  AdwEntryRow    *phone_row;
  AdwEntryRow    *id_last4_row;
  AdwEntryRow    *org_unit_row;
  AdwEntryRow    *team_row;
  AdwEntryRow    *skills_row;
  AdwEntryRow    *joined_at_row;
  GtkSwitch      *active_switch;
};

G_DEFINE_FINAL_TYPE (JgVolunteerForm, jg_volunteer_form, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_RECORD_ID,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const fields[] = {
  "name", "gender", "birth_year", "phone", "id_last4", "org_unit", "team", "skills",
  "joined_at", "active", NULL
};

static const char * const bound_by_name[] = {
  "name_error",
  "gender_error",
  "birth_year_error",
  "phone_error",
  "id_last4_error",
  "org_unit_error",
  "team_error",
  "skills_error",
  "joined_at_error",
  "active_error",
  "active_row",
  "delete_button",
  NULL
};

static void
update_actions (JgVolunteerForm *self)
{
  jg_form_update_save_actions (GTK_WIDGET (self), self->record,
                               self->record_id == NULL || self->record != NULL, self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.add-hours",
                                 self->record != NULL && self->child_form == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.redeem",
                                 self->record != NULL && self->child_form == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.reverse",
                                 self->record != NULL && self->reverse_dialog == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.correct-reversal",
                                 self->record != NULL && self->reverse_dialog == NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.withdraw-reversal",
                                 self->record != NULL && self->reverse_dialog == NULL && !self->busy);
}

static void
set_hours (GtkLabel *label,
           gint64    minutes)
{
  g_autofree char *text = jg_form_format_hours (minutes);

  gtk_label_set_text (label, text);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgVolunteerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  JgLedgerBalance balance;
  guint star;

  if (!jg_store_worker_balance_finish (JG_STORE_WORKER (object), result, &balance, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        jg_form_show_error (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, error,
                            self->error_revealer, self->error_label);
      return;
    }

  set_hours (self->available_label, balance.available_minutes);
  set_hours (self->earned_label, balance.earned_minutes);
  set_hours (self->redeemed_label, balance.redeemed_minutes);
  set_hours (self->pending_label, balance.pending_minutes);
  star = jg_ledger_star_level (balance.lifetime_approved_minutes);
  if (star == 0)
    gtk_label_set_text (self->star_label, _("No star yet"));
  else
    {
      g_autoptr(GString) stars = g_string_new (NULL);

      for (guint i = 0; i < star; i++)
        g_string_append (stars, "★");
      gtk_label_set_text (self->star_label, stars->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->time_bank_group), TRUE);
}

static const char *
review_label (const char *state)
{
  if (g_strcmp0 (state, "submitted") == 0)
    return _("Submitted");
  if (g_strcmp0 (state, "approved") == 0)
    return _("Approved");
  if (g_strcmp0 (state, "returned") == 0)
    return _("Returned");
  return _("Draft");
}

/* Where a reversing entry stands: in review, or refused by the server
 * (jg_ledger_record_refusal()), when it cancels nothing. */
static const char *
reversal_label (JsonObject *entry)
{
  if (g_strcmp0 (json_object_get_string_member_with_default (entry, "status", NULL), "rejected") == 0)
    /* Translators: a reversing entry (冲正) the server refused: 未通过 */
    return C_("reversal", "Refused");
  return review_label (json_object_get_string_member_with_default (entry, "review_state", NULL));
}

/* What the server decided about a redemption, in the words of the time
 * bank: nothing is redeemed before it is accepted. */
static const char *
redemption_status_label (const char *status)
{
  if (g_strcmp0 (status, "accepted") == 0)
    /* Translators: a redemption the server accepted: 已兑换 */
    return C_("redemption", "Redeemed");
  if (g_strcmp0 (status, "rejected") == 0)
    /* Translators: a redemption the server refused: 未通过 */
    return C_("redemption", "Not granted");
  /* Translators: a redemption not decided yet: 待审定 */
  return C_("redemption", "Pending");
}

static void
ledger_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JgVolunteerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) entries = NULL;
  JgConfig *config = jg_config_get_default ();

  entries = jg_store_worker_ledger_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  for (guint i = 0; i < self->history_rows->len; i++)
    adw_preferences_group_remove (self->history_group, g_ptr_array_index (self->history_rows, i));
  g_ptr_array_set_size (self->history_rows, 0);
  g_hash_table_remove_all (self->history_titles);
  if (entries == NULL)
    {
      jg_form_show_error (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, error,
                          self->error_revealer, self->error_label);
      return;
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      gboolean redemption = g_strcmp0 (json_object_get_string_member_with_default (e, "entity", NULL),
                                       "redemption") == 0;
      /* A reversal takes back what its entry gave or took, once approved. */
      gboolean reversal = json_object_get_string_member_with_default (e, "reverses", NULL) != NULL;
      gint64 minutes = jg_form_get_int (e, "minutes", 0);
      g_autofree char *hours = jg_form_format_hours (minutes);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      const char *state = json_object_get_string_member_with_default (e, "review_state", NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *amount;

      if (redemption)
        {
          const char *item_name = json_object_get_string_member_with_default (e, "item_name", "");

          if (reversal)
            /* Translators: a time-bank entry cancelling a redemption (冲正) */
            title = g_strdup_printf (_("Reversal of redemption: %s"), item_name);
          else if (g_strcmp0 (json_object_get_string_member_with_default (e, "status", NULL), "accepted") == 0)
            title = g_strdup_printf (_("Redeemed: %s"), item_name);
          else
            /* Translators: a redemption asked for, pending or refused (申请兑换) */
            title = g_strdup_printf (_("Redemption asked for: %s"), item_name);
          /* A reversal counts from its approval, a redemption from its decision. */
          subtitle = g_strdup_printf ("%.10s · %s", json_object_get_string_member_with_default (e, "created_at", ""),
                                      reversal ? reversal_label (e)
                                               : redemption_status_label (json_object_get_string_member_with_default (e, "status", NULL)));
          amount = gtk_label_new (NULL);
        }
      else
        {
          const char *type = jg_config_get_label (config, "service_types",
                                                  json_object_get_string_member_with_default (e, "service_type", ""),
                                                  TRUE);

          if (reversal)
            /* Translators: a time-bank entry cancelling hours served (冲正) */
            title = g_strdup_printf (_("Reversal: %s"), type);
          else
            title = g_strdup (type);
          subtitle = g_strdup_printf ("%.10s · %s", json_object_get_string_member_with_default (e, "served_at", ""),
                                      reversal ? reversal_label (e) : review_label (state));
          amount = gtk_label_new (NULL);
        }
      {
        /* A refused redemption took nothing off, a refused reversal
         * cancelled nothing. */
        gboolean refused = g_strcmp0 (json_object_get_string_member_with_default (e, "status", NULL), "rejected") == 0;
        g_autofree char *signed_hours = g_strconcat (refused ? "" : redemption != reversal ? "−" : "+", hours, NULL);

        gtk_label_set_text (GTK_LABEL (amount), signed_hours);
        if (refused)
          gtk_widget_add_css_class (amount, "dim-label");
        g_hash_table_insert (self->history_titles,
                             g_strdup (json_object_get_string_member_with_default (e, "id", "")),
                             g_strdup_printf ("%s %s", title, signed_hours));
      }
      if (json_object_get_string_member_with_default (e, JG_STORE_WORKER_REVERSED_BY, NULL) != NULL)
        {
          /* Translators: the entry has a reversing entry (冲正); it
           * counts once the reversal is approved */
          g_autofree char *more = g_strdup_printf ("%s · %s", subtitle, _("Reversal recorded"));

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
      /* A reversal says why it was made, and a returned one what the
       * reviewer asked. */
      if (reversal && !jg_validate_text_is_blank (json_object_get_string_member_with_default (e, "reason", NULL)))
        {
          /* Translators: why a reversing entry (冲正) was made */
          g_autofree char *more = g_strdup_printf (_("%s\nReason: %s"), subtitle,
                                                   json_object_get_string_member (e, "reason"));

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
      if (reversal && g_strcmp0 (state, "returned") == 0 &&
          !jg_validate_text_is_blank (json_object_get_string_member_with_default (e, "review_note", NULL)))
        {
          /* Translators: the reviewer's note on a returned entry (退回意见) */
          g_autofree char *more = g_strdup_printf (_("%s\nReviewer’s note: %s"), subtitle,
                                                   json_object_get_string_member (e, "review_note"));

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
      /* Why the server refused it, in its words. */
      if (g_strcmp0 (json_object_get_string_member_with_default (e, "status", NULL), "rejected") == 0 &&
          !jg_validate_text_is_blank (json_object_get_string_member_with_default (e, "status_reason", NULL)))
        {
          /* Translators: why a redemption or a reversal was refused */
          g_autofree char *more = g_strdup_printf (_("%s\nWhy refused: %s"), subtitle,
                                                   json_object_get_string_member (e, "status_reason"));

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
      gtk_widget_add_css_class (amount, "numeric");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);
      /* A mistake is corrected by a reversing entry (DOMAIN.md), once. */
      if (jg_ledger_entry_reversible (e) &&
          json_object_get_string_member_with_default (e, JG_STORE_WORKER_REVERSED_BY, NULL) == NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("Re_verse…"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, _("Record a reversing entry that cancels this one"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "form.reverse");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)",
                                            redemption ? "redemption" : "service_entry",
                                            json_object_get_string_member_with_default (e, "id", ""));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      /* A reversal the reviewer returned is answered: its reason
       * corrected and submitted again, or the reversal withdrawn
       * (jg_ledger_field_correctable(), jg_ledger_check_withdrawal()). */
      if (reversal && g_strcmp0 (state, "returned") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (e, "status", NULL), "rejected") != 0)
        {
          const char *entity = redemption ? "redemption" : "service_entry";
          const char *id = json_object_get_string_member_with_default (e, "id", "");
          GtkWidget *correct = gtk_button_new_with_mnemonic (_("_Correct…"));
          GtkWidget *withdraw = gtk_button_new_with_mnemonic (_("_Withdraw…"));

          gtk_widget_set_name (correct, "correct-reversal");
          gtk_widget_set_valign (correct, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (correct, _("Correct the reason and submit the reversal again"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (correct), "form.correct-reversal");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (correct), "(sss)", entity, id,
                                            json_object_get_string_member_with_default (e, "reason", ""));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), correct);
          gtk_widget_set_name (withdraw, "withdraw-reversal");
          gtk_widget_set_valign (withdraw, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (withdraw, _("Withdraw the reversal; the entry counts as before"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (withdraw), "form.withdraw-reversal");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (withdraw), "(ss)", entity, id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), withdraw);
        }
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
  if (json_array_get_length (entries) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No hours recorded yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), TRUE);
}

static void
read_time_bank (JgVolunteerForm *self)
{
  if (self->record_id == NULL)
    return;

  g_cancellable_cancel (self->ledger_cancellable);
  g_clear_object (&self->ledger_cancellable);
  self->ledger_cancellable = g_cancellable_new ();
  jg_store_worker_balance_async (self->worker, self->record_id, self->ledger_cancellable,
                                 balance_cb, g_object_ref (self));
  jg_store_worker_ledger_async (self->worker, self->record_id, self->ledger_cancellable,
                                ledger_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgVolunteerForm *self,
                   const char      *entity,
                   JgStoreWorker   *worker)
{
  if (self->record != NULL &&
      (g_strcmp0 (entity, "service_entry") == 0 || g_strcmp0 (entity, "redemption") == 0))
    read_time_bank (self);
}

static void
child_form_destroy_cb (JgVolunteerForm *self,
                       GtkWindow       *form)
{
  if (self->child_form != form)
    return;
  self->child_form = NULL;
  update_actions (self);
}

static void
open_ledger_form (JgVolunteerForm *self,
                  const char      *kind)
{
  if (self->child_form != NULL)
    {
      gtk_window_present (self->child_form);
      return;
    }
  self->child_form = g_object_new (JG_TYPE_LEDGER_FORM,
                                   "worker", self->worker,
                                   "kind", kind,
                                   "volunteer-id", self->record_id,
                                   "transient-for", self,
                                   "modal", TRUE,
                                   NULL);
  g_signal_connect_object (self->child_form, "destroy", G_CALLBACK (child_form_destroy_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (self->child_form);
  update_actions (self);
}

static void
add_hours_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  open_ledger_form (JG_VOLUNTEER_FORM (widget), "service_entry");
}

static void
redeem_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  open_ledger_form (JG_VOLUNTEER_FORM (widget), "redemption");
}

/* ---- reversing an entry ---- */

typedef enum
{
  REVERSAL_NEW,       /* a reversing entry for the entry @id */
  REVERSAL_CORRECT,   /* the returned reversal @id, its reason corrected, submitted again */
  REVERSAL_WITHDRAW,  /* the returned reversal @id withdrawn (a tombstone) */
} ReversalMode;

typedef struct
{
  ReversalMode mode;
  char *entity;
  char *id;
  char *reason;
} Reversal;

static void
reversal_free (Reversal *r)
{
  g_free (r->entity);
  g_free (r->id);
  g_free (r->reason);
  g_free (r);
}

/* On the worker's thread. */
static JsonNode *
reverse_func (JgStore            *store,
              gpointer            data,
              JgDemoProgressFunc  report,
              gpointer            report_data,
              GCancellable       *cancellable,
              GError            **error)
{
  Reversal *r = data;
  g_autofree char *id = NULL;
  JsonNode *node;

  switch (r->mode)
    {
    case REVERSAL_NEW:
      id = jg_ledger_reverse (store, r->entity, r->id, r->reason, error);
      break;
    case REVERSAL_CORRECT:
      {
        /* Through jg_store_put(): the ledger's and the workflow's rules
         * decide, as for any write (only the reason may change; the
         * answered note is cleared with the resubmission). */
        g_autoptr(JsonObject) fields = json_object_new ();
        g_autofree char *reason = g_strstrip (g_strdup (r->reason));

        json_object_set_string_member (fields, "id", r->id);
        json_object_set_string_member (fields, "reason", reason);
        json_object_set_string_member (fields, "review_state", "submitted");
        id = jg_store_put (store, r->entity, fields, error);
      }
      break;
    case REVERSAL_WITHDRAW:
      if (jg_store_delete (store, r->entity, r->id, error))
        id = g_strdup (r->id);
      break;
    default:
      g_assert_not_reached ();
    }
  if (id == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, id);
  return node;
}

static void
reverse_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgVolunteerForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  update_actions (self);
  /* The history reloads on the worker's "changed" and shows the reversal. */
  if (node == NULL)
    jg_form_show_error (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, error,
                        self->error_revealer, self->error_label);
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "jg-response");

  adw_message_dialog_set_response_enabled (dialog, response,
                                           !jg_validate_text_is_blank (gtk_editable_get_text (entry)));
}

static void
reverse_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     JgVolunteerForm  *self)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  ReversalMode mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "jg-mode"));
  Reversal *r;

  self->reverse_dialog = NULL;
  update_actions (self);
  if (g_strcmp0 (response, g_object_get_data (G_OBJECT (dialog), "jg-response")) != 0 ||
      (extra != NULL && jg_validate_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (extra)))))
    return;

  r = g_new0 (Reversal, 1);
  r->mode = mode;
  r->entity = g_strdup (self->reverse_entity);
  r->id = g_strdup (self->reverse_id);
  r->reason = extra != NULL ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (extra))) : NULL;
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  self->busy = TRUE;
  update_actions (self);
  jg_store_worker_run_async (self->worker, reverse_func, r, (GDestroyNotify) reversal_free,
                             r->entity, NULL, NULL, self->cancellable,
                             reverse_cb, g_object_ref (self));
}

/* Asks for the reason, then records the reversing entry. */
static void
reverse_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);
  const char *entity = NULL;
  const char *id = NULL;
  const char *title;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_variant_get (param, "(&s&s)", &entity, &id);
  title = g_hash_table_lookup (self->history_titles, id);

  g_free (self->reverse_entity);
  self->reverse_entity = g_strdup (entity);
  g_free (self->reverse_id);
  self->reverse_id = g_strdup (id);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Reverse This Entry?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is the entry, as its history row shows it */
                                  _("A reversing entry cancels “%s”. It goes to review with the reason "
                                    "and counts once approved; both entries stay in the history."),
                                  title != NULL ? title : "");
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, for example: entered twice"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reverse", _("_Reverse"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reverse",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reverse", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reverse");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "jg-mode", GINT_TO_POINTER (REVERSAL_NEW));
  g_object_set_data (G_OBJECT (dialog), "jg-response", (gpointer) "reverse");
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reverse_response_cb), self, 0);
  self->reverse_dialog = ADW_MESSAGE_DIALOG (dialog);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_reversal_target (JgVolunteerForm *self,
                     const char      *entity,
                     const char      *id)
{
  g_free (self->reverse_entity);
  self->reverse_entity = g_strdup (entity);
  g_free (self->reverse_id);
  self->reverse_id = g_strdup (id);
}

/* A returned reversal: its reason corrected, then submitted again. */
static void
correct_reversal_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);
  const char *entity = NULL;
  const char *id = NULL;
  const char *reason = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_variant_get (param, "(&s&s&s)", &entity, &id, &reason);
  set_reversal_target (self, entity, id);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Correct the Reversal?"),
                                   _("The reviewer returned this reversal. Correct its reason and it goes "
                                     "to review again; what it cancels stays as recorded."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), reason);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "submit", _("_Submit Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "submit",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "submit",
                                           !jg_validate_text_is_blank (reason));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "submit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "jg-mode", GINT_TO_POINTER (REVERSAL_CORRECT));
  g_object_set_data (G_OBJECT (dialog), "jg-response", (gpointer) "submit");
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reverse_response_cb), self, 0);
  self->reverse_dialog = ADW_MESSAGE_DIALOG (dialog);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A returned reversal withdrawn: the entry it would cancel counts as
 * before, and can be reversed again. */
static void
withdraw_reversal_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);
  const char *entity = NULL;
  const char *id = NULL;
  GtkWidget *dialog;

  g_variant_get (param, "(&s&s)", &entity, &id);
  set_reversal_target (self, entity, id);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Withdraw the Reversal?"),
                                   _("The reversal is deleted. The entry it would have cancelled counts as "
                                     "before and can be reversed again later."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "withdraw", _("_Withdraw"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "withdraw",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "jg-mode", GINT_TO_POINTER (REVERSAL_WITHDRAW));
  g_object_set_data (G_OBJECT (dialog), "jg-response", (gpointer) "withdraw");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reverse_response_cb), self, 0);
  self->reverse_dialog = ADW_MESSAGE_DIALOG (dialog);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char * const genders[] = { "female", "male", NULL };

static void
load_record (JgVolunteerForm *self,
             JsonObject *r)
{
  const char *gender = json_object_get_string_member_with_default (r, "gender", NULL);

  jg_form_load_text (self->name_row, r, "name");
  /* The full number only here, in the record's own form. */
  jg_form_load_text (self->phone_row, r, "phone");
  jg_form_load_text (self->id_last4_row, r, "id_last4");
  jg_form_load_text (self->org_unit_row, r, "org_unit");
  jg_form_load_text (self->team_row, r, "team");
  jg_form_load_text (self->skills_row, r, "skills");
  jg_form_load_text (self->joined_at_row, r, "joined_at");
  adw_combo_row_set_selected (self->gender_row, g_strcmp0 (gender, "male") == 0 ? 1 : 0);
  jg_form_load_number (self->birth_year_row, r, "birth_year");
  gtk_switch_set_active (self->active_switch,
                         json_object_get_boolean_member_with_default (r, "active", TRUE));

  gtk_window_set_title (GTK_WINDOW (self), _("Volunteer"));
  jg_form_show_review (r, self->review_revealer, self->review_label);
}

static JsonObject *
collect_fields (JgVolunteerForm *self)
{
  JsonObject *o = json_object_new ();
  g_autofree char *name = jg_form_entry_dup_text (self->name_row);
  g_autofree char *phone = jg_form_entry_dup_text (self->phone_row);
  g_autofree char *id_last4 = jg_form_entry_dup_text (self->id_last4_row);
  g_autofree char *org_unit = jg_form_entry_dup_text (self->org_unit_row);
  g_autofree char *team = jg_form_entry_dup_text (self->team_row);
  g_autofree char *skills = jg_form_entry_dup_text (self->skills_row);
  g_autofree char *joined_at = jg_form_entry_dup_text (self->joined_at_row);
  guint gender = adw_combo_row_get_selected (self->gender_row);

  if (self->record_id != NULL)
    json_object_set_string_member (o, "id", self->record_id);
  jg_form_set_text (o, "org_unit", org_unit);
  jg_form_set_text (o, "name", name);
  jg_form_set_text (o, "gender", gender < 2 ? genders[gender] : NULL);
  jg_form_set_number (o, "birth_year", self->birth_year_row, FALSE);
  jg_form_set_text (o, "phone", phone);
  jg_form_set_text (o, "id_last4", id_last4);
  jg_form_set_text (o, "team", team);
  jg_form_set_text (o, "skills", skills);
  jg_form_set_text (o, "joined_at", joined_at);
  json_object_set_boolean_member (o, "active", gtk_switch_get_active (self->active_switch));
  return o;
}

/* For jg_form_watch_changes(). */
static JsonObject *
collect_cb (GtkWidget *form)
{
  return collect_fields (JG_VOLUNTEER_FORM (form));
}

/* For jg_form_load_async(): a record changed elsewhere, with the user's
 * edits over it. */
static void
fill_cb (GtkWidget  *form,
         JsonObject *record)
{
  load_record (JG_VOLUNTEER_FORM (form), record);
}

static void
loaded_cb (GtkWidget  *widget,
           JsonObject *record)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);

  self->busy = FALSE;
  if (record != NULL)
    {
      g_clear_pointer (&self->record, json_object_unref);
      self->record = json_object_ref (record);
      load_record (self, self->record);
      jg_form_mark_pristine (widget);
      read_time_bank (self);
    }
  update_actions (self);
}

static void
put_cb (GtkWidget  *widget,
        const char *id)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);

  self->busy = FALSE;
  update_actions (self);
  if (id != NULL)
    jg_form_saved (widget, signals[SAVED], id, self->org_unit_row);
}

static void
save (JgVolunteerForm *self,
      gboolean        submit)
{
  g_autoptr(JsonObject) fields_object = collect_fields (self);

  jg_form_prepare_put (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, fields, self->error_revealer,
                       fields_object, submit);
  self->busy = TRUE;
  update_actions (self);
  jg_form_put_async (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, self->worker, ENTITY, fields_object,
                     self->cancellable, self->error_revealer, self->error_label, put_cb);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (JG_VOLUNTEER_FORM (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  save (JG_VOLUNTEER_FORM (widget), TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (widget);

  jg_form_delete (widget, JG_TYPE_VOLUNTEER_FORM, self->worker, ENTITY, self->record_id, self->cancellable,
                  self->error_revealer, self->error_label);
}

static void
jg_volunteer_form_constructed (GObject *object)
{
  JgVolunteerForm *self = (JgVolunteerForm *)object;

  G_OBJECT_CLASS (jg_volunteer_form_parent_class)->constructed (object);

  {
    g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

    gtk_string_list_append (labels, _("Female"));
    gtk_string_list_append (labels, _("Male"));
    adw_combo_row_set_model (self->gender_row, G_LIST_MODEL (labels));
  }

  if (self->record_id != NULL)
    {
      self->busy = TRUE;
      g_signal_connect_object (self->worker, "changed", G_CALLBACK (worker_changed_cb),
                               self, G_CONNECT_SWAPPED);
      jg_form_load_async (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM, self->worker, ENTITY,
                         self->record_id, self->cancellable, self->review_revealer,
                         self->error_revealer, self->error_label, loaded_cb, fill_cb);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Volunteer"));
      gtk_switch_set_active (self->active_switch, TRUE);
      jg_form_fill_org_unit (GTK_WIDGET (self), self->worker, self->org_unit_row, self->cancellable);
    }
  jg_form_watch_changes (GTK_WIDGET (self), collect_cb);
  update_actions (self);
}

static void
jg_volunteer_form_dispose (GObject *object)
{
  JgVolunteerForm *self = (JgVolunteerForm *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->ledger_cancellable);
  if (self->child_form != NULL)
    {
      GtkWindow *form = g_steal_pointer (&self->child_form);

      g_signal_handlers_disconnect_by_data (form, self);
      gtk_window_destroy (form);
    }
  if (self->reverse_dialog != NULL)
    {
      GtkWindow *dialog = GTK_WINDOW (g_steal_pointer (&self->reverse_dialog));

      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (dialog);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_VOLUNTEER_FORM);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_clear_pointer (&self->history_titles, g_hash_table_unref);

  G_OBJECT_CLASS (jg_volunteer_form_parent_class)->dispose (object);
}

static void
jg_volunteer_form_finalize (GObject *object)
{
  JgVolunteerForm *self = (JgVolunteerForm *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->ledger_cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->record_id, g_free);
  g_clear_pointer (&self->reverse_entity, g_free);
  g_clear_pointer (&self->reverse_id, g_free);

  G_OBJECT_CLASS (jg_volunteer_form_parent_class)->finalize (object);
}

static void
jg_volunteer_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_volunteer_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgVolunteerForm *self = JG_VOLUNTEER_FORM (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    case PROP_RECORD_ID:
      self->record_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_volunteer_form_class_init (JgVolunteerFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_volunteer_form_constructed;
  object_class->dispose = jg_volunteer_form_dispose;
  object_class->finalize = jg_volunteer_form_finalize;
  object_class->get_property = jg_volunteer_form_get_property;
  object_class->set_property = jg_volunteer_form_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgVolunteerForm::saved:
   * @id: the id of the record written
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-volunteer-form.ui");
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, review_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, review_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, gender_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, birth_year_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, phone_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, id_last4_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, org_unit_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, team_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, skills_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, joined_at_row);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, active_switch);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, time_bank_group);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, history_group);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, available_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, earned_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, redeemed_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, pending_label);
  gtk_widget_class_bind_template_child (widget_class, JgVolunteerForm, star_label);
  /* Rows found by their field's name (jg-form.h), not kept in the struct. */
  for (guint i = 0; bound_by_name[i]; i++)
    gtk_widget_class_bind_template_child_full (widget_class, bound_by_name[i], FALSE, 0);

  gtk_widget_class_install_action (widget_class, "form.add-hours", NULL, add_hours_action);
  gtk_widget_class_install_action (widget_class, "form.redeem", NULL, redeem_action);
  gtk_widget_class_install_action (widget_class, "form.reverse", "(ss)", reverse_action);
  gtk_widget_class_install_action (widget_class, "form.correct-reversal", "(sss)", correct_reversal_action);
  gtk_widget_class_install_action (widget_class, "form.withdraw-reversal", "(ss)", withdraw_reversal_action);
  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "form.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_volunteer_form_init (JgVolunteerForm *self)
{
  self->cancellable = g_cancellable_new ();
  self->history_rows = g_ptr_array_new ();
  self->history_titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_volunteer_form_new (JgStoreWorker *worker,
                      const char    *record_id)
{
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_VOLUNTEER_FORM,
                       "worker", worker,
                       "record-id", record_id,
                       NULL);
}

const char *
jg_volunteer_form_get_record_id (JgVolunteerForm *self)
{
  g_return_val_if_fail (JG_IS_VOLUNTEER_FORM (self), NULL);

  return self->record_id;
}

/* "Add hours" or "Redeem" opened from this form, if any. */
GtkWindow *
jg_volunteer_form_get_child_form (JgVolunteerForm *self)
{
  g_return_val_if_fail (JG_IS_VOLUNTEER_FORM (self), NULL);

  return self->child_form;
}

/* A row of the history, newest first. */
AdwActionRow *
jg_volunteer_form_get_history_row (JgVolunteerForm *self,
                                   guint            position)
{
  g_return_val_if_fail (JG_IS_VOLUNTEER_FORM (self), NULL);

  if (position >= self->history_rows->len)
    return NULL;
  return g_ptr_array_index (self->history_rows, position);
}

/* The dialog asking for a reversal's reason, while it is shown. */
AdwMessageDialog *
jg_volunteer_form_get_reverse_dialog (JgVolunteerForm *self)
{
  g_return_val_if_fail (JG_IS_VOLUNTEER_FORM (self), NULL);

  return self->reverse_dialog;
}
