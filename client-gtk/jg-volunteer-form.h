/* jg-volunteer-form.h: the form of a volunteer (巾帼志愿者) */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_VOLUNTEER_FORM (jg_volunteer_form_get_type ())
G_DECLARE_FINAL_TYPE (JgVolunteerForm, jg_volunteer_form, JG, VOLUNTEER_FORM, AdwWindow)

GtkWidget  *jg_volunteer_form_new           (JgStoreWorker  *worker,
                                            const char     *record_id);
const char *jg_volunteer_form_get_record_id (JgVolunteerForm *self);
GtkWindow  *jg_volunteer_form_get_child_form (JgVolunteerForm *self);
AdwActionRow *jg_volunteer_form_get_history_row (JgVolunteerForm *self,
                                                 guint            position);
AdwMessageDialog *jg_volunteer_form_get_reverse_dialog (JgVolunteerForm *self);

G_END_DECLS
