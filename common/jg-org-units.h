/* jg-org-units.h: org units: import from division-code CSVs, lookup, subtrees */
#pragma once

#include "jg-store.h"

G_BEGIN_DECLS

G_END_DECLS
