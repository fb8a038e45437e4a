/* jg-award-form.h: the form of a family award nomination (家庭表彰) */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_AWARD_FORM (jg_award_form_get_type ())
G_DECLARE_FINAL_TYPE (JgAwardForm, jg_award_form, JG, AWARD_FORM, AdwWindow)

GtkWidget *jg_award_form_new                 (JgStoreWorker *worker,
                                              const char    *household_id);
gboolean   jg_award_form_get_consent_missing (JgAwardForm   *self);

G_END_DECLS
