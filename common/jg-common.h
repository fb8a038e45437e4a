/* jg-common.h: libjinguo-common, the model and rules without any UI */
#pragma once

#include "jg-change.h"
#include "jg-config.h"
#include "jg-entity.h"
#include "jg-error.h"
#include "jg-hlc.h"
#include "jg-id.h"
#include "jg-json.h"
#include "jg-merge.h"
#include "jg-rules.h"
#include "jg-store.h"

G_BEGIN_DECLS

void jg_common_init (void);

G_END_DECLS
