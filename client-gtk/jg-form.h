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

G_BEGIN_DECLS

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

char     *jg_form_entry_dup_text    (AdwEntryRow        *row);
void      jg_form_set_text          (JsonObject         *fields,
                                     const char         *name,
                                     const char         *text);
void      jg_form_load_text         (AdwEntryRow        *row,
                                     JsonObject         *record,
                                     const char         *field);
gint64    jg_form_get_int           (JsonObject         *record,
                                     const char         *field,
                                     gint64              fallback);
char     *jg_form_text_to_datetime  (const char         *text);
char     *jg_form_datetime_to_text  (const char         *value);

gboolean  jg_form_ui_is_chinese     (void);
char     *jg_form_dup_today         (void);
char     *jg_form_format_hours      (gint64              minutes);

char     *jg_form_dup_last_org_unit (void);
void      jg_form_set_last_org_unit (const char         *code);

G_END_DECLS
