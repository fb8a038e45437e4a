/* jg-household-form.h: the form of a household (户) */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_HOUSEHOLD_FORM (jg_household_form_get_type ())
G_DECLARE_FINAL_TYPE (JgHouseholdForm, jg_household_form, JG, HOUSEHOLD_FORM, AdwWindow)

GtkWidget  *jg_household_form_new           (JgStoreWorker  *worker,
                                            const char     *record_id);
const char *jg_household_form_get_record_id (JgHouseholdForm *self);
GtkWindow  *jg_household_form_get_child_form (JgHouseholdForm *self);
guint       jg_household_form_get_n_related  (JgHouseholdForm *self,
                                              guint            which);
AdwActionRow *jg_household_form_get_related_row (JgHouseholdForm *self,
                                                 guint            which,
                                                 guint            position);

G_END_DECLS
