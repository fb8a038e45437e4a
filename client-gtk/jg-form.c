/* jg-form.c: what the record forms share */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-error.h"
#include "jg-entity.h"
#include "jg-json.h"
#include "jg-form.h"
#include "jg-review.h"
#include "jg-validate.h"
#include "jg-window.h"

static GtkWidget *
field_widget (GtkWidget  *form,
              GType       form_type,
              const char *field,
              const char *suffix)
{
  g_autofree char *name = g_strconcat (field, suffix, NULL);
  GObject *object = gtk_widget_get_template_child (form, form_type, name);

  return GTK_IS_WIDGET (object) ? GTK_WIDGET (object) : NULL;
}

void
jg_form_clear_errors (GtkWidget          *form,
                      GType               form_type,
                      const char * const *fields,
                      GtkRevealer        *general)
{
  for (guint i = 0; fields[i]; i++)
    {
      GtkWidget *row = field_widget (form, form_type, fields[i], "_row");
      GtkWidget *error_row = field_widget (form, form_type, fields[i], "_error");

      if (row != NULL)
        gtk_widget_remove_css_class (row, "error");
      if (error_row != NULL)
        gtk_widget_set_visible (error_row, FALSE);
    }
  gtk_revealer_set_reveal_child (general, FALSE);
}

/* Returns TRUE when the error was shown at its field. */
gboolean
jg_form_show_error (GtkWidget    *form,
                    GType         form_type,
                    const GError *error,
                    GtkRevealer  *general,
                    GtkLabel     *general_label)
{
  const char *field = jg_error_get_field (error);
  GtkWidget *row = NULL;
  GtkWidget *error_row = NULL;

  if (field != NULL)
    {
      row = field_widget (form, form_type, field, "_row");
      error_row = field_widget (form, form_type, field, "_error");
    }

  if (row != NULL && error_row != NULL && GTK_IS_LIST_BOX_ROW (error_row))
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_row));

      gtk_widget_add_css_class (row, "error");
      if (GTK_IS_LABEL (label))
        gtk_label_set_text (GTK_LABEL (label), error->message);
      gtk_widget_set_visible (error_row, TRUE);
      gtk_widget_grab_focus (row);
      return TRUE;
    }

  gtk_label_set_text (general_label, error->message);
  gtk_revealer_set_reveal_child (general, TRUE);
  return FALSE;
}

/* AdwBanner is newer than libadwaita 1.2: a revealed label does its job. */
void
jg_form_show_review (JsonObject  *record,
                     GtkRevealer *revealer,
                     GtkLabel    *label)
{
  const char *state = NULL;
  const char *note = NULL;
  g_autofree char *text = NULL;

  if (record != NULL)
    {
      state = json_object_get_string_member_with_default (record, "review_state", NULL);
      note = json_object_get_string_member_with_default (record, "review_note", NULL);
    }

  if (g_strcmp0 (state, "returned") == 0)
    {
      if (note != NULL && *note != '\0')
        text = g_strdup_printf (_("Returned for changes: %s"), note);
      else
        text = g_strdup (_("Returned for changes"));
    }
  else if (g_strcmp0 (state, "submitted") == 0)
    text = g_strdup (_("Submitted for review"));
  else if (g_strcmp0 (state, "approved") == 0)
    text = g_strdup (_("Approved. Changing it sends it back for review."));

  gtk_label_set_text (label, text ? text : "");
  gtk_revealer_set_reveal_child (revealer, text != NULL);
}

/* Whether the record may be submitted for review: a new one, a draft or
 * one returned for changes. */
gboolean
jg_form_can_submit (JsonObject *record)
{
  const char *state = NULL;

  if (record != NULL)
    state = json_object_get_string_member_with_default (record, "review_state", NULL);
  return state == NULL || g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "returned") == 0;
}

static const char *form_entity (GtkWidget *form);

/* "form.save" and "form.submit": @ready when the form has what it needs
 * (an existing record read), not while @busy. */
void
jg_form_update_save_actions (GtkWidget  *form,
                             JsonObject *record,
                             gboolean    ready,
                             gboolean    busy)
{
  gboolean can_submit = jg_form_can_submit (record);
  GObject *delete_button = gtk_widget_get_template_child (form, G_OBJECT_TYPE (form), "delete_button");

  gboolean deleted = jg_form_is_deleted_elsewhere (form);

  /* A record deleted elsewhere is not saved again (its banner says so). */
  if (deleted)
    ready = FALSE;
  gtk_widget_action_set_enabled (form, "form.save", !busy && ready);
  gtk_widget_action_set_enabled (form, "form.submit", !busy && ready && can_submit);
  /* Only a record that exists can be deleted (jg_form_delete()), and not
   * an approved one: the button says why. */
  if (GTK_IS_WIDGET (delete_button))
    {
      const char *name = form_entity (form);
      const JgEntityDef *entity = name != NULL ? jg_entity_lookup (name) : NULL;
      g_autoptr(GError) refused = NULL;

      if (record != NULL && entity != NULL)
        jg_review_check_delete (entity, json_object_get_string_member_with_default (record, "review_state", NULL),
                                &refused);
      gtk_widget_set_visible (GTK_WIDGET (delete_button), record != NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (delete_button), refused != NULL ? refused->message : NULL);
      gtk_widget_action_set_enabled (form, "form.delete", !busy && !deleted && record != NULL && refused == NULL);
    }
}

/* A read or put of a form's record under way. */
typedef struct
{
  GtkWidget        *form;
  GType             form_type;
  GtkRevealer      *general;
  GtkLabel         *general_label;
  JgFormLoadedFunc  loaded;
  JgFormPutFunc     put;
  gboolean          seen;      /* the put of the record jg_form_load_async() read */
} Call;

typedef struct _Seen Seen;

/* The record a form edits as the form read it: each field's version, so
 * that a save writes only what the user changed, on the versions she saw
 * (jg_store_put_seen()), and a change made elsewhere meanwhile (a sync, or
 * another window) is noticed, shown in a banner and can be loaded into
 * the fields she has not edited. */
struct _Seen
{
  GtkWidget        *form;          /* not a reference: it owns this */
  JgStoreWorker    *worker;
  char             *entity;
  char             *id;
  JsonObject       *versions;      /* what a put's bases are: the versions shown */
  JsonObject       *read_versions; /* the record's versions as last read: a change
                                    * elsewhere is one the store shows past these */
  JsonObject       *latest;        /* changed elsewhere, not loaded yet */
  JsonObject       *latest_versions;
  GCancellable     *cancellable;   /* the form's */
  JgFormLoadedFunc  loaded;
  JgFormFillFunc    fill;
  GtkRevealer      *banner;
  GtkLabel         *banner_label;
  GtkWidget        *banner_button;
  gboolean          saving;
  gboolean          deleted;       /* deleted elsewhere: the banner closes the form */
  char             *title;         /* the record's title as last read, for the
                                    * "Delete?" dialog */
};

#define SEEN_KEY "jg-form-seen"

/* The record type of the form's record, once read. */
static const char *
form_entity (GtkWidget *form)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  return seen != NULL ? seen->entity : NULL;
}
static Seen       *seen_for         (GtkWidget  *form,
                                     const char *entity,
                                     const char *id);
static JsonObject *seen_narrow_put  (GtkWidget  *form,
                                     Seen       *seen,
                                     JsonObject *object);
static void        seen_set_versions (Seen      *seen,
                                     JsonObject *versions);
static void        seen_set_read_versions (Seen      *seen,
                                       JsonObject *versions);

static Call *
call_new (GtkWidget   *form,
          GType        form_type,
          GtkRevealer *general,
          GtkLabel    *general_label)
{
  Call *call = g_new0 (Call, 1);

  call->form = g_object_ref (form);
  call->form_type = form_type;
  call->general = g_object_ref (general);
  call->general_label = g_object_ref (general_label);
  return call;
}

static void
call_free (Call *call)
{
  g_clear_object (&call->general_label);
  g_clear_object (&call->general);
  g_clear_object (&call->form);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;

  g_autoptr(JsonObject) versions = NULL;

  record = jg_store_worker_get_seen_finish (JG_STORE_WORKER (object), result, &versions, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (call->seen)
    {
      Seen *seen = g_object_get_data (G_OBJECT (call->form), SEEN_KEY);

      if (seen != NULL && versions != NULL)
        {
          seen_set_versions (seen, versions);
          seen_set_read_versions (seen, versions);
          g_free (seen->title);
          seen->title = g_strdup (jg_store_worker_get_title (JG_STORE_WORKER (object), result));
        }
    }
  if (record == NULL)
    jg_form_show_error (call->form, call->form_type, error, call->general, call->general_label);
  call->loaded (call->form, record);
}

/* Reads a record for @form; its error goes to its field or to @general. */
void
jg_form_get_async (GtkWidget        *form,
                   GType             form_type,
                   JgStoreWorker    *worker,
                   const char       *entity,
                   const char       *id,
                   GCancellable     *cancellable,
                   GtkRevealer      *general,
                   GtkLabel         *general_label,
                   JgFormLoadedFunc  func)
{
  Call *call = call_new (form, form_type, general, general_label);

  call->loaded = func;
  jg_store_worker_get_async (worker, entity, id, cancellable, get_cb, call);
}

/* Before a put: the errors of the last one cleared and, for "Submit for
 * Review", the record marked submitted. */
void
jg_form_prepare_put (GtkWidget          *form,
                     GType               form_type,
                     const char * const *fields,
                     GtkRevealer        *general,
                     JsonObject         *object,
                     gboolean            submit)
{
  jg_form_clear_errors (form, form_type, fields, general);
  if (submit)
    json_object_set_string_member (object, "review_state", "submitted");
  /* For jg_form_was_submitted(): the saved toast says what happened. */
  g_object_set_data (G_OBJECT (form), "jg-form-submitted", GINT_TO_POINTER (submit));
}

/* Whether the form's last save (jg_form_prepare_put()) also submitted the
 * record for review. */
gboolean
jg_form_was_submitted (GtkWidget *form)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (form), "jg-form-submitted"));
}

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = jg_store_worker_put_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (call->seen)
    {
      Seen *seen = g_object_get_data (G_OBJECT (call->form), SEEN_KEY);

      if (seen != NULL)
        seen->saving = FALSE;
    }

  call->put (call->form, id);
  if (id == NULL)
    jg_form_show_error (call->form, call->form_type, error, call->general, call->general_label);
}

/* Writes a record for @form; its error goes to its field or to @general. */
void
jg_form_put_async (GtkWidget     *form,
                   GType          form_type,
                   JgStoreWorker *worker,
                   const char    *entity,
                   JsonObject    *object,
                   GCancellable  *cancellable,
                   GtkRevealer   *general,
                   GtkLabel      *general_label,
                   JgFormPutFunc  func)
{
  Call *call = call_new (form, form_type, general, general_label);
  Seen *seen = seen_for (form, entity, jg_json_get_string (object, "id"));
  g_autoptr(JsonObject) versions = NULL;

  call->put = func;
  call->seen = seen != NULL;
  if (seen != NULL)
    {
      versions = seen_narrow_put (form, seen, object);
      seen->saving = TRUE;
    }
  jg_store_worker_put_seen_async (worker, entity, object, versions, cancellable, put_cb, call);
}

/* ---- unsaved changes ---- */

/* What a form looked like when it was filled (its fields as a put would
 * send them), to tell whether closing it would lose something. */
typedef struct
{
  JgFormCollectFunc  collect;
  char              *pristine;
  AdwMessageDialog  *dialog;     /* asking, until it answers */
  gboolean           closing;    /* saved or discarded: close without asking */
} Watch;

#define WATCH_KEY "jg-form-watch"

static void
watch_free (Watch *watch)
{
  if (watch->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&watch->dialog)));
  g_free (watch->pristine);
  g_free (watch);
}

static char *
watch_snapshot (GtkWidget *form,
                Watch     *watch)
{
  g_autoptr(JsonObject) fields = watch->collect (form);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, fields);
  return json_to_string (node, FALSE);
}

static gboolean
close_form_idle (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GtkWidget        *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);

  if (watch == NULL)
    return;
  watch->dialog = NULL;
  /* Closed once the dialog is done with its response: closing the form
   * now would take the dialog, its transient child, away under it. */
  if (g_strcmp0 (response, "discard") == 0)
    {
      watch->closing = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, close_form_idle, g_object_ref (form), g_object_unref);
    }
}

static gboolean
close_request_cb (GtkWindow *form,
                  Watch     *watch)
{
  GtkWidget *dialog;

  if (watch->closing || !jg_form_has_changes (GTK_WIDGET (form)))
    return FALSE;

  if (watch->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (watch->dialog));
      return TRUE;
    }
  dialog = adw_message_dialog_new (form, _("Discard Changes?"),
                                   _("The changes to this record have not been saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), form, 0);
  watch->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* Asks before closing @form (Cancel, Escape, the window's close button)
 * when its fields differ from what jg_form_mark_pristine() last saw. */
void
jg_form_watch_changes (GtkWidget         *form,
                       JgFormCollectFunc  collect)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->collect = collect;
  g_object_set_data_full (G_OBJECT (form), WATCH_KEY, watch, (GDestroyNotify) watch_free);
  g_signal_connect (form, "close-request", G_CALLBACK (close_request_cb), watch);
  jg_form_mark_pristine (form);
}

/* The form as it is now counts as unchanged: after it was filled with
 * defaults or with the record read. */
void
jg_form_mark_pristine (GtkWidget *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);

  if (watch == NULL)
    return;
  g_free (watch->pristine);
  watch->pristine = watch_snapshot (form, watch);
}

gboolean
jg_form_has_changes (GtkWidget *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);
  g_autofree char *now = NULL;

  if (watch == NULL)
    return FALSE;
  now = watch_snapshot (form, watch);
  return g_strcmp0 (now, watch->pristine) != 0;
}

/* The "Discard changes?" dialog while it is shown. */
AdwMessageDialog *
jg_form_get_discard_dialog (GtkWidget *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);

  return watch ? watch->dialog : NULL;
}

/* ---- deleting the record ---- */

typedef struct
{
  GtkWidget         *form;      /* not a reference: the data lives on it */
  GType              form_type;
  JgStoreWorker     *worker;
  char              *entity;
  char              *id;
  GCancellable      *cancellable;
  GtkRevealer       *general;
  GtkLabel          *general_label;
  AdwMessageDialog  *dialog;    /* asking, until it answers */
} Delete;

#define DELETE_KEY "jg-form-delete"

static void
delete_free (Delete *d)
{
  if (d->dialog != NULL)
    {
      GtkWindow *dialog = GTK_WINDOW (g_steal_pointer (&d->dialog));

      g_signal_handlers_disconnect_by_data (dialog, d);
      gtk_window_destroy (dialog);
    }
  g_clear_object (&d->worker);
  g_clear_object (&d->cancellable);
  g_free (d->entity);
  g_free (d->id);
  g_free (d);
}

/* The main window, where the toast goes: the form's, or its parent
 * form's (an inspection opened from its household). */
static GtkWindow *
main_window (GtkWidget *form)
{
  GtkWindow *w = GTK_WINDOW (form);

  while (gtk_window_get_transient_for (w) != NULL)
    w = gtk_window_get_transient_for (w);
  return w != GTK_WINDOW (form) ? w : NULL;
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) form = user_data;
  g_autoptr(GError) error = NULL;
  Delete *d;

  if (!jg_store_worker_delete_finish (JG_STORE_WORKER (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  d = g_object_get_data (G_OBJECT (form), DELETE_KEY);
  if (d == NULL)
    return;
  if (error != NULL)
    {
      jg_form_show_error (form, d->form_type, error, d->general, d->general_label);
      return;
    }

  {
    Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);
    GtkWindow *window = main_window (form);

    if (watch != NULL)
      watch->closing = TRUE;
    if (JG_IS_WINDOW (window))
      jg_window_add_toast (JG_WINDOW (window), _("Deleted"));
  }
  gtk_window_close (GTK_WINDOW (form));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Delete           *d)
{
  d->dialog = NULL;
  if (g_strcmp0 (response, "delete") != 0)
    return;
  gtk_revealer_set_reveal_child (d->general, FALSE);
  jg_store_worker_delete_async (d->worker, d->entity, d->id, d->cancellable,
                                delete_cb, g_object_ref (d->form));
}

/* Asks whether to delete the record @id of @entity that @form shows, and
 * deletes it through @worker (jg_store_delete(): a tombstone, never a
 * removed row; a ledger entry is refused, it is reversed).  The form then
 * closes and the lists drop the record; a refusal shows in @general. */
void
jg_form_delete (GtkWidget     *form,
                GType          form_type,
                JgStoreWorker *worker,
                const char    *entity,
                const char    *id,
                GCancellable  *cancellable,
                GtkRevealer   *general,
                GtkLabel      *general_label)
{
  Delete *d = g_object_get_data (G_OBJECT (form), DELETE_KEY);
  GtkWidget *dialog;
  Seen *seen;

  g_return_if_fail (JG_IS_STORE_WORKER (worker));
  g_return_if_fail (id != NULL);

  if (d != NULL && d->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (d->dialog));
      return;
    }
  d = g_new0 (Delete, 1);
  d->form = form;
  d->form_type = form_type;
  d->worker = g_object_ref (worker);
  d->entity = g_strdup (entity);
  d->id = g_strdup (id);
  d->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  d->general = general;
  d->general_label = general_label;
  g_object_set_data_full (G_OBJECT (form), DELETE_KEY, d, (GDestroyNotify) delete_free);

  dialog = adw_message_dialog_new (GTK_WINDOW (form), NULL, NULL);
  seen = seen_for (form, entity, id);
  if (seen != NULL && seen->title != NULL && *seen->title != '\0')
    /* Translators: the first %s is the kind of record, e.g. Household;
     * the second what it is called, e.g. the head's name */
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete %s “%s”?"),
                                       jg_entity_label (entity), seen->title);
  else
    /* Translators: %s is the kind of record, e.g. Household */
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete %s?"), jg_entity_label (entity));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("It will no longer be listed or counted. The deletion reaches the county "
                                 "with the next sync, and the record is kept in the history as deleted."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), d);
  d->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The "Delete?" dialog while it is shown. */
AdwMessageDialog *
jg_form_get_delete_dialog (GtkWidget *form)
{
  Delete *d = g_object_get_data (G_OBJECT (form), DELETE_KEY);

  return d ? d->dialog : NULL;
}

/* ---- the record read, and changed elsewhere meanwhile ---- */

static void
seen_free (Seen *seen)
{
  g_signal_handlers_disconnect_by_data (seen->worker, seen->form);
  g_clear_object (&seen->worker);
  g_clear_object (&seen->cancellable);
  g_clear_pointer (&seen->versions, json_object_unref);
  g_clear_pointer (&seen->read_versions, json_object_unref);
  g_clear_pointer (&seen->latest, json_object_unref);
  g_clear_pointer (&seen->latest_versions, json_object_unref);
  g_free (seen->entity);
  g_free (seen->id);
  g_free (seen->title);
  g_free (seen);
}

static Seen *
seen_for (GtkWidget  *form,
          const char *entity,
          const char *id)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  if (seen == NULL || seen->versions == NULL || id == NULL ||
      g_strcmp0 (seen->entity, entity) != 0 || g_strcmp0 (seen->id, id) != 0)
    return NULL;
  return seen;
}

static void
seen_set_versions (Seen       *seen,
                   JsonObject *versions)
{
  g_clear_pointer (&seen->versions, json_object_unref);
  seen->versions = json_object_ref (versions);
}

static void
seen_set_read_versions (Seen       *seen,
                        JsonObject *versions)
{
  g_clear_pointer (&seen->read_versions, json_object_unref);
  seen->read_versions = json_object_ref (versions);
}

static JsonObject *
dup_pristine (GtkWidget *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);
  g_autoptr(JsonNode) node = NULL;

  if (watch == NULL || watch->pristine == NULL)
    return NULL;
  node = json_from_string (watch->pristine, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* The fields the user has changed in the form: name -> value as a put
 * would send it. */
static JsonObject *
dup_edits (GtkWidget *form)
{
  Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);
  g_autoptr(JsonObject) pristine = dup_pristine (form);
  g_autoptr(JsonObject) now = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *edits = json_object_new ();

  if (watch == NULL || pristine == NULL)
    return edits;
  now = watch->collect (form);
  members = json_object_get_members (now);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *value = json_object_get_member (now, l->data);

      if (strcmp (l->data, "id") == 0)
        continue;
      if (!json_object_has_member (pristine, l->data) ||
          !json_node_equal (value, json_object_get_member (pristine, l->data)))
        json_object_set_member (edits, l->data, json_node_copy (value));
    }
  return edits;
}

/* Leaves in @object (a put of the record read) only the fields the user
 * changed, and what the form adds on its own (the review state of a
 * submit); returns the versions she saw, the put's bases. */
static JsonObject *
seen_narrow_put (GtkWidget  *form,
                 Seen       *seen,
                 JsonObject *object)
{
  g_autoptr(JsonObject) pristine = dup_pristine (form);
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l && pristine; l = l->next)
    {
      const char *name = l->data;

      if (strcmp (name, "id") == 0 || !json_object_has_member (pristine, name))
        continue;
      if (json_node_equal (json_object_get_member (object, name),
                           json_object_get_member (pristine, name)))
        json_object_remove_member (object, name);
    }
  return json_object_ref (seen->versions);
}

/* The labels of @fields, "地址、电话". */
static char *
fields_text (GPtrArray *fields)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      if (i > 0)
        /* TRANSLATORS: between the names of fields in a list */
        g_string_append (text, C_("list", ", "));
      g_string_append (text, jg_field_label (g_ptr_array_index (fields, i)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_banner (Seen       *seen,
             const char *text,
             gboolean    offer_load)
{
  gtk_label_set_text (seen->banner_label, text ? text : "");
  gtk_widget_set_visible (seen->banner_button, offer_load);
  gtk_revealer_set_reveal_child (seen->banner, text != NULL);
}

/* Shows @record (changed elsewhere) in the form: every field the user has
 * not edited takes its new value; her edits stay, and keep the versions
 * she saw, so that saving one changed on both sides records a conflict. */
static void
seen_load (Seen       *seen,
           JsonObject *record,
           JsonObject *versions)
{
  GtkWidget *form = seen->form;
  g_autoptr(JsonObject) edits = dup_edits (form);
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(JsonObject) new_versions = json_object_new ();
  g_autoptr(GPtrArray) both = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) members = NULL;
  g_autoptr(GList) edited = json_object_get_members (edits);

  members = json_object_get_members (versions);
  for (GList *l = members; l; l = l->next)
    json_object_set_int_member (new_versions, l->data, json_object_get_int_member (versions, l->data));
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (record);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (merged, l->data, json_node_copy (json_object_get_member (record, l->data)));

  for (GList *l = edited; l; l = l->next)
    {
      const char *name = l->data;
      gint64 was = json_object_get_int_member_with_default (seen->versions, name, 0);

      json_object_set_member (merged, name, json_node_copy (json_object_get_member (edits, name)));
      if (json_object_has_member (new_versions, name))
        {
          if (json_object_get_int_member (new_versions, name) != was)
            g_ptr_array_add (both, g_strdup (name));
          json_object_set_int_member (new_versions, name, was);
        }
    }

  g_clear_pointer (&seen->latest, json_object_unref);
  g_clear_pointer (&seen->latest_versions, json_object_unref);
  seen_set_versions (seen, new_versions);
  seen_set_read_versions (seen, versions);
  /* The form takes the record as read (and as pristine), then her edits
   * over it. */
  seen->loaded (form, record);
  if (edited != NULL)
    seen->fill (form, merged);

  if (both->len > 0)
    {
      g_autofree char *names = fields_text (both);
      g_autofree char *text =
        g_strdup_printf (_("Also changed elsewhere: %s. Saving keeps your values there and records a conflict for a reviewer to decide."),
                         names);

      show_banner (seen, text, FALSE);
    }
  else if (edited != NULL)
    show_banner (seen, NULL, FALSE);
  else
    show_banner (seen, _("This record was changed elsewhere. The form shows the new version."), FALSE);
}

static void
load_changes_cb (GtkButton *button,
                 Seen      *seen)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) versions = NULL;

  if (seen->deleted)
    {
      Watch *watch = g_object_get_data (G_OBJECT (seen->form), WATCH_KEY);

      /* She chose to close it: there is nothing left to save her values to. */
      if (watch != NULL)
        watch->closing = TRUE;
      gtk_window_close (GTK_WINDOW (seen->form));
      return;
    }
  if (seen->latest == NULL)
    return;
  record = json_object_ref (seen->latest);
  versions = json_object_ref (seen->latest_versions);
  seen_load (seen, record, versions);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) form = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) versions = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) edits = NULL;
  Seen *seen;
  gboolean changed = FALSE;

  record = jg_store_worker_get_seen_finish (JG_STORE_WORKER (object), result, &versions, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);
  /* A save of this form under way writes the record itself. */
  if (record == NULL || seen == NULL || seen->versions == NULL || seen->saving)
    return;
  g_free (seen->title);
  seen->title = g_strdup (jg_store_worker_get_title (JG_STORE_WORKER (object), result));

  /* Deleted elsewhere (another laptop, merged by a sync): no version of
   * it to load, and a save would be refused (jg_store_put_seen(): an edit
   * never brings a deleted record back).  What she typed stays shown. */
  if (json_object_get_boolean_member_with_default (record, "deleted", FALSE))
    {
      if (seen->deleted)
        return;
      seen->deleted = TRUE;
      g_clear_pointer (&seen->latest, json_object_unref);
      g_clear_pointer (&seen->latest_versions, json_object_unref);
      gtk_button_set_label (GTK_BUTTON (seen->banner_button), _("_Close Form"));
      gtk_widget_set_tooltip_text (seen->banner_button, NULL);
      show_banner (seen, _("This record was deleted elsewhere. It can no longer be saved; "
                           "what you typed is still shown so that you can copy it."),
                   TRUE);
      gtk_widget_action_set_enabled (form, "form.save", FALSE);
      gtk_widget_action_set_enabled (form, "form.submit", FALSE);
      gtk_widget_action_set_enabled (form, "form.delete", FALSE);
      return;
    }

  /* Against the versions last read, not the ones her edits keep: after
   * "Load Changes" a field edited on both sides keeps its old version, and
   * is no news. */
  members = json_object_get_members (versions);
  for (GList *l = members; l && !changed; l = l->next)
    changed = json_object_get_int_member (versions, l->data) !=
              json_object_get_int_member_with_default (seen->read_versions ? seen->read_versions : seen->versions,
                                                       l->data, 0);
  if (!changed)
    return;
  /* Nothing changed by the user's versions either (an edit of hers
   * already shown keeps the version she saw). */
  if (seen->latest_versions != NULL && json_object_equal (seen->latest_versions, versions))
    return;

  edits = dup_edits (form);
  if (json_object_get_size (edits) == 0)
    {
      /* Nothing typed yet: the form simply shows the new version. */
      seen_load (seen, record, versions);
      return;
    }
  g_clear_pointer (&seen->latest, json_object_unref);
  g_clear_pointer (&seen->latest_versions, json_object_unref);
  seen->latest = json_object_ref (record);
  seen->latest_versions = json_object_ref (versions);
  show_banner (seen, _("This record was changed elsewhere while you were editing it. Saving keeps those changes, except in the fields you edited."),
               TRUE);
}

static void
seen_changed_cb (JgStoreWorker *worker,
                 const char    *entity,
                 GtkWidget     *form)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  if (seen == NULL || seen->versions == NULL || seen->saving ||
      g_strcmp0 (entity, seen->entity) != 0 || g_cancellable_is_cancelled (seen->cancellable))
    return;
  jg_store_worker_get_async (worker, seen->entity, seen->id, seen->cancellable,
                             check_cb, g_object_ref (form));
}

/* Reads the record @form edits (jg_form_get_async()) and keeps what it
 * saw: jg_form_put_async() then writes only the fields the user changed,
 * on the versions she saw, and a change to the record made elsewhere while
 * the form is open is shown in a banner under @review_revealer, with a
 * button that loads it (through @loaded, then @fill with her edits over
 * it) into the fields she has not edited.  @form must call
 * jg_form_watch_changes(). */
void
jg_form_load_async (GtkWidget        *form,
                    GType             form_type,
                    JgStoreWorker    *worker,
                    const char       *entity,
                    const char       *id,
                    GCancellable     *cancellable,
                    GtkRevealer      *review_revealer,
                    GtkRevealer      *general,
                    GtkLabel         *general_label,
                    JgFormLoadedFunc  loaded,
                    JgFormFillFunc    fill)
{
  Seen *seen = g_new0 (Seen, 1);
  Call *call = call_new (form, form_type, general, general_label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Load Changes"));

  seen->form = form;
  seen->worker = g_object_ref (worker);
  seen->entity = g_strdup (entity);
  seen->id = g_strdup (id);
  seen->cancellable = g_object_ref (cancellable);
  seen->loaded = loaded;
  seen->fill = fill;

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show the other changes in the fields you have not edited"));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_add_css_class (box, "jg-banner");
  gtk_widget_add_css_class (box, "warning");
  seen->banner = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (seen->banner, box);
  seen->banner_label = GTK_LABEL (label);
  seen->banner_button = button;
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (review_revealer))),
                              GTK_WIDGET (seen->banner), GTK_WIDGET (review_revealer));
  g_signal_connect (button, "clicked", G_CALLBACK (load_changes_cb), seen);

  g_object_set_data_full (G_OBJECT (form), SEEN_KEY, seen, (GDestroyNotify) seen_free);
  g_signal_connect_object (worker, "changed", G_CALLBACK (seen_changed_cb), form, 0);

  call->loaded = loaded;
  call->seen = TRUE;
  jg_store_worker_get_async (worker, entity, id, cancellable, get_cb, call);
}

/* Whether the record @form edits was deleted elsewhere while it was open
 * (a sync merged another laptop's deletion). */
gboolean
jg_form_is_deleted_elsewhere (GtkWidget *form)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  return seen != NULL && seen->deleted;
}

/* The banner saying the record changed elsewhere, when it is shown. */
const char *
jg_form_get_changed_banner (GtkWidget *form)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  if (seen == NULL || !gtk_revealer_get_reveal_child (seen->banner))
    return NULL;
  return gtk_label_get_text (seen->banner_label);
}

/* Loads the changes the banner offers, as its button does. */
void
jg_form_load_changes (GtkWidget *form)
{
  Seen *seen = g_object_get_data (G_OBJECT (form), SEEN_KEY);

  if (seen != NULL)
    load_changes_cb (NULL, seen);
}

/* After a put: the org unit kept for the next record (when the form has
 * one), the form's "saved" signal emitted and the form closed. */
void
jg_form_saved (GtkWidget   *form,
               guint        saved_signal,
               const char  *id,
               AdwEntryRow *org_unit_row)
{
  if (org_unit_row != NULL)
    {
      g_autofree char *org_unit = jg_form_entry_dup_text (org_unit_row);

      jg_form_set_last_org_unit (org_unit);
    }
  {
    Watch *watch = g_object_get_data (G_OBJECT (form), WATCH_KEY);

    if (watch != NULL)
      watch->closing = TRUE;
  }
  g_signal_emit (form, saved_signal, 0, id);
  gtk_window_close (GTK_WINDOW (form));
}

/* The row's text without surrounding space, or NULL when blank. */
char *
jg_form_entry_dup_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (jg_validate_text_is_blank (text))
    return NULL;
  return g_strstrip (g_strdup (text));
}

void
jg_form_set_text (JsonObject *fields,
                  const char *name,
                  const char *text)
{
  if (text == NULL)
    json_object_set_null_member (fields, name);
  else
    json_object_set_string_member (fields, name, text);
}

void
jg_form_load_text (AdwEntryRow *row,
                   JsonObject  *record,
                   const char  *field)
{
  const char *text = json_object_get_string_member_with_default (record, field, NULL);

  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* A list typed in one row: "留守, 低保" or "留守、低保"; nothing typed is
 * no value (null). */
void
jg_form_set_list (JsonObject  *fields,
                  const char  *name,
                  AdwEntryRow *row)
{
  g_autofree char *text = jg_form_entry_dup_text (row);
  g_auto(GStrv) parts = NULL;
  JsonArray *items;

  if (text == NULL)
    {
      json_object_set_null_member (fields, name);
      return;
    }
  items = json_array_new ();
  parts = g_regex_split_simple ("[,，、;；]", text, 0, 0);
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        json_array_add_string_element (items, parts[i]);
    }
  json_object_set_array_member (fields, name, items);
}

void
jg_form_load_list (AdwEntryRow *row,
                   JsonObject  *record,
                   const char  *field)
{
  JsonNode *node = record ? json_object_get_member (record, field) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          const char *item = json_array_get_string_element (a, i);

          if (item == NULL)
            continue;
          if (text->len > 0)
            g_string_append (text, ", ");
          g_string_append (text, item);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (row), text->str);
}

/* A number as people type it: digits, maybe full-width ones from a
 * Chinese input method, maybe a decimal point; NULL for anything else. */
static char *
normalize_number (const char *text)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      if (g_unichar_isspace (c))
        continue;
      if (digit >= 0)
        g_string_append_c (s, (char) ('0' + digit));
      else if (c == '.' || c == 0xFF0E /* ． */ || c == 0x3002 /* 。 */)
        g_string_append_c (s, '.');
      else if (c == '-' || c == 0xFF0D /* － */)
        g_string_append_c (s, '-');
      else
        return NULL;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A number row's value: nothing typed is no value (null), a number is the
 * number (@real: always a double), and anything else goes through as
 * typed, so that the store's message about it appears at the field. */
void
jg_form_set_number (JsonObject  *fields,
                    const char  *name,
                    AdwEntryRow *row,
                    gboolean     real)
{
  g_autofree char *text = jg_form_entry_dup_text (row);
  g_autofree char *number = text ? normalize_number (text) : NULL;
  gint64 i;
  double d;
  char *end = NULL;

  if (text == NULL)
    json_object_set_null_member (fields, name);
  else if (number != NULL && !real && g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64, &i, NULL))
    json_object_set_int_member (fields, name, i);
  else if (number != NULL && real && *number != '\0' &&
           (d = g_ascii_strtod (number, &end), end != NULL && *end == '\0'))
    json_object_set_double_member (fields, name, d);
  else
    json_object_set_string_member (fields, name, text);
}

/* A stored number as the row shows it; a null or missing one leaves the
 * row empty, never 0. */
void
jg_form_load_number (AdwEntryRow *row,
                     JsonObject  *record,
                     const char  *field)
{
  JsonNode *node = record ? json_object_get_member (record, field) : NULL;
  g_autofree char *text = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          /* Yuan with at most two decimals, without trailing zeros. */
          text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", json_node_get_double (node)));
          if (strchr (text, '.') != NULL)
            {
              char *p = text + strlen (text) - 1;

              while (*p == '0')
                *p-- = '\0';
              if (*p == '.')
                *p = '\0';
            }
        }
      else if (type == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (node));
    }
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

gint64
jg_form_get_int (JsonObject *record,
                 const char *field,
                 gint64      fallback)
{
  JsonNode *node;

  if (record == NULL || !json_object_has_member (record, field))
    return fallback;
  node = json_object_get_member (record, field);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

/* People type "2024-03-08 09:30" or just a date; the store wants
 * "2024-03-08T09:30".  Anything else goes through as typed, so that the
 * store's message about it appears at the field. */
char *
jg_form_text_to_datetime (const char *text)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (strlen (copy) == 10)
    return g_strconcat (copy, "T00:00", NULL);
  if (strlen (copy) >= 16 && copy[10] == ' ')
    copy[10] = 'T';
  return g_steal_pointer (&copy);
}

char *
jg_form_datetime_to_text (const char *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (strlen (value) >= 16 && value[10] == 'T')
    return g_strdup_printf ("%.10s %.5s", value, value + 11);
  return g_strdup (value);
}

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.jinguo.Jinguo", TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* The org unit of the record saved last: a village laptop records for
 * one village, so it is filled in for the next record. */
char *
jg_form_dup_last_org_unit (void)
{
  g_autoptr(GSettings) settings = settings_new ();

  if (settings == NULL)
    return g_strdup ("");
  return g_settings_get_string (settings, "last-org-unit");
}

void
jg_form_set_last_org_unit (const char *code)
{
  g_autoptr(GSettings) settings = settings_new ();

  if (settings != NULL && code != NULL)
    g_settings_set_string (settings, "last-org-unit", code);
}

/* The unit a new record starts with: the one of the record saved last when
 * it lies in the signed-in user's subtree (a township's staff record for
 * its villages; division codes nest by prefix), else the user's own unit;
 * with nobody signed in (a local profile), the one saved last.  Empty when
 * there is none. */
char *
jg_form_choose_org_unit (const char *own,
                         const char *last)
{
  gboolean has_own = own != NULL && *own != '\0';
  gboolean has_last = last != NULL && *last != '\0';

  if (has_last && (!has_own || g_str_has_prefix (last, own)))
    return g_strdup (last);
  return g_strdup (has_own ? own : "");
}

typedef struct
{
  GtkWidget   *form;
  AdwEntryRow *row;
  char        *last;
} FillUnit;

static void
fill_unit_free (FillUnit *fill)
{
  g_clear_object (&fill->row);
  g_clear_object (&fill->form);
  g_free (fill->last);
  g_free (fill);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FillUnit, fill_unit_free)

static void
own_unit_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FillUnit) fill = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *own = jg_store_worker_dup_meta_finish (JG_STORE_WORKER (object), result, &error);
  g_autofree char *code = NULL;
  gboolean changed;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Whatever was typed or read meanwhile (an award's household) wins. */
  if (*gtk_editable_get_text (GTK_EDITABLE (fill->row)) != '\0')
    return;
  code = jg_form_choose_org_unit (own, fill->last);
  changed = jg_form_has_changes (fill->form);
  gtk_editable_set_text (GTK_EDITABLE (fill->row), code);
  /* A default, not an edit. */
  if (!changed)
    jg_form_mark_pristine (fill->form);
}

/* Fills a new record's unit row (jg_form_choose_org_unit()), once the
 * worker has read who is signed in. */
void
jg_form_fill_org_unit (GtkWidget     *form,
                       JgStoreWorker *worker,
                       AdwEntryRow   *row,
                       GCancellable  *cancellable)
{
  FillUnit *fill = g_new0 (FillUnit, 1);

  fill->form = g_object_ref (form);
  fill->row = g_object_ref (row);
  fill->last = jg_form_dup_last_org_unit ();
  jg_store_worker_dup_meta_async (worker, "org_unit", cancellable, own_unit_cb, fill);
}

/* "YYYY-MM-DD", the store's date format. */
char *
jg_form_dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* Minutes as hours with one decimal: the unit a volunteer thinks in. */
char *
jg_form_format_hours (gint64 minutes)
{
  return g_strdup_printf (_("%.1f h"), (double) minutes / 60.0);
}
