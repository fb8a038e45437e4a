/* jg-ledger-form.h: a new time bank entry (时间银行): hours served or redeemed */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_LEDGER_FORM (jg_ledger_form_get_type ())
G_DECLARE_FINAL_TYPE (JgLedgerForm, jg_ledger_form, JG, LEDGER_FORM, AdwWindow)

GtkCheckButton   *jg_ledger_form_get_participant_check (JgLedgerForm *self,
                                                        const char   *name);
AdwMessageDialog *jg_ledger_form_get_flags_dialog      (JgLedgerForm *self);

G_END_DECLS
