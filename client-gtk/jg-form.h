/* jg-form.h: what the record forms share
 *
 * A form's template names the widgets of a field after it: "<field>_row" is
 * the row that holds the value and "<field>_error" an AdwPreferencesRow right
 * under it whose label shows what is wrong.  An error about a field with no
 * row goes to the form's general error label.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

/* Called when a read started by jg_form_get_async() is over (never when it
 * was cancelled), with the record read, or NULL once its error is shown. */
typedef void (*JgFormLoadedFunc) (GtkWidget  *form,
                                  JsonObject *record);

/* Called when a put started by jg_form_put_async() is over (never when it
 * was cancelled), with the id of the record written, or NULL when it
 * failed; its error is shown right after the function returns. */
typedef void (*JgFormPutFunc)    (GtkWidget  *form,
                                  const char *id);

/* The record's fields as the form would put them now. */
typedef JsonObject *(*JgFormCollectFunc) (GtkWidget *form);

/* Shows @record's fields in the form's widgets, and nothing else. */
typedef void (*JgFormFillFunc) (GtkWidget  *form,
                                JsonObject *record);

void      jg_form_watch_changes     (GtkWidget          *form,
                                     JgFormCollectFunc   collect);
void      jg_form_mark_pristine     (GtkWidget          *form);
gboolean  jg_form_has_changes       (GtkWidget          *form);
AdwMessageDialog *jg_form_get_discard_dialog (GtkWidget *form);

void      jg_form_delete            (GtkWidget          *form,
                                     GType               form_type,
                                     JgStoreWorker      *worker,
                                     const char         *entity,
                                     const char         *id,
                                     GCancellable       *cancellable,
                                     GtkRevealer        *general,
                                     GtkLabel           *general_label);
AdwMessageDialog *jg_form_get_delete_dialog (GtkWidget *form);

void      jg_form_clear_errors      (GtkWidget          *form,
                                     GType               form_type,
                                     const char * const *fields,
                                     GtkRevealer        *general);
gboolean  jg_form_show_error        (GtkWidget          *form,
                                     GType               form_type,
                                     const GError       *error,
                                     GtkRevealer        *general,
                                     GtkLabel           *general_label);
void      jg_form_show_review       (JsonObject         *record,
                                     GtkRevealer        *revealer,
                                     GtkLabel           *label);
gboolean  jg_form_can_submit        (JsonObject         *record);
void      jg_form_update_save_actions (GtkWidget      *form,
                                       JsonObject     *record,
                                       gboolean        ready,
                                       gboolean        busy);

void      jg_form_get_async         (GtkWidget          *form,
                                     GType               form_type,
                                     JgStoreWorker      *worker,
                                     const char         *entity,
                                     const char         *id,
                                     GCancellable       *cancellable,
                                     GtkRevealer        *general,
                                     GtkLabel           *general_label,
                                     JgFormLoadedFunc    func);
void      jg_form_load_async        (GtkWidget          *form,
                                     GType               form_type,
                                     JgStoreWorker      *worker,
                                     const char         *entity,
                                     const char         *id,
                                     GCancellable       *cancellable,
                                     GtkRevealer        *review_revealer,
                                     GtkRevealer        *general,
                                     GtkLabel           *general_label,
                                     JgFormLoadedFunc    loaded,
                                     JgFormFillFunc      fill);
gboolean    jg_form_is_deleted_elsewhere (GtkWidget *form);
const char *jg_form_get_changed_banner (GtkWidget       *form);
void      jg_form_load_changes      (GtkWidget          *form);
void      jg_form_prepare_put       (GtkWidget          *form,
                                     GType               form_type,
                                     const char * const *fields,
                                     GtkRevealer        *general,
                                     JsonObject         *object,
                                     gboolean            submit);
gboolean  jg_form_was_submitted     (GtkWidget          *form);
void      jg_form_put_async         (GtkWidget          *form,
                                     GType               form_type,
                                     JgStoreWorker      *worker,
                                     const char         *entity,
                                     JsonObject         *object,
                                     GCancellable       *cancellable,
                                     GtkRevealer        *general,
                                     GtkLabel           *general_label,
                                     JgFormPutFunc       func);
void      jg_form_saved             (GtkWidget          *form,
                                     guint               saved_signal,
                                     const char         *id,
                                     AdwEntryRow        *org_unit_row);

char     *jg_form_entry_dup_text    (AdwEntryRow        *row);
void      jg_form_set_text          (JsonObject         *fields,
                                     const char         *name,
                                     const char         *text);
void      jg_form_load_text         (AdwEntryRow        *row,
                                     JsonObject         *record,
                                     const char         *field);
void      jg_form_set_list          (JsonObject         *fields,
                                     const char         *name,
                                     AdwEntryRow        *row);
void      jg_form_load_list         (AdwEntryRow        *row,
                                     JsonObject         *record,
                                     const char         *field);
void      jg_form_set_number        (JsonObject         *fields,
                                     const char         *name,
                                     AdwEntryRow        *row,
                                     gboolean            real);
void      jg_form_load_number       (AdwEntryRow        *row,
                                     JsonObject         *record,
                                     const char         *field);
gint64    jg_form_get_int           (JsonObject         *record,
                                     const char         *field,
                                     gint64              fallback);
char     *jg_form_text_to_datetime  (const char         *text);
char     *jg_form_datetime_to_text  (const char         *value);

char     *jg_form_dup_today         (void);
char     *jg_form_format_hours      (gint64              minutes);

char     *jg_form_choose_org_unit   (const char         *own,
                                     const char         *last);
void      jg_form_fill_org_unit     (GtkWidget          *form,
                                     JgStoreWorker      *worker,
                                     AdwEntryRow        *row,
                                     GCancellable       *cancellable);
char     *jg_form_dup_last_org_unit (void);
void      jg_form_set_last_org_unit (const char         *code);

G_END_DECLS
