/* jg-activity-form.h: the form of an activity (活动) */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_ACTIVITY_FORM (jg_activity_form_get_type ())
G_DECLARE_FINAL_TYPE (JgActivityForm, jg_activity_form, JG, ACTIVITY_FORM, AdwWindow)

GtkWidget  *jg_activity_form_new           (JgStoreWorker  *worker,
                                            const char     *record_id);
const char *jg_activity_form_get_record_id (JgActivityForm *self);
GtkWindow  *jg_activity_form_get_child_form (JgActivityForm *self);

G_END_DECLS
