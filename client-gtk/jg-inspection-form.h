/* jg-inspection-form.h: the form of a courtyard inspection (美丽庭院评估) */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_INSPECTION_FORM (jg_inspection_form_get_type ())
G_DECLARE_FINAL_TYPE (JgInspectionForm, jg_inspection_form, JG, INSPECTION_FORM, AdwWindow)

GtkWidget      *jg_inspection_form_new               (JgStoreWorker    *worker,
                                                      const char       *household_id);
GtkSpinButton  *jg_inspection_form_get_score_spin    (JgInspectionForm *self,
                                                      const char       *code);
GtkCheckButton *jg_inspection_form_get_veto_check    (JgInspectionForm *self,
                                                      const char       *code);
GtkLabel       *jg_inspection_form_get_section_label (JgInspectionForm *self,
                                                      guint             section);
double          jg_inspection_form_get_total         (JgInspectionForm *self);
int             jg_inspection_form_get_star          (JgInspectionForm *self);

G_END_DECLS
