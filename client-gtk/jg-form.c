/* jg-form.c: what the record forms share */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-error.h"
#include "jg-form.h"
#include "jg-validate.h"

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

/* "form.save" and "form.submit": @ready when the form has what it needs
 * (an existing record read), not while @busy. */
void
jg_form_update_save_actions (GtkWidget  *form,
                             JsonObject *record,
                             gboolean    ready,
                             gboolean    busy)
{
  gboolean can_submit = jg_form_can_submit (record);

  gtk_widget_action_set_enabled (form, "form.save", !busy && ready);
  gtk_widget_action_set_enabled (form, "form.submit", !busy && ready && can_submit);
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
} Call;

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

  record = jg_store_worker_get_finish (JG_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

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

  call->put = func;
  jg_store_worker_put_async (worker, entity, object, cancellable, put_cb, call);
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
