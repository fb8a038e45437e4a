/* jg-org-units.c: org units: import from division-code CSVs, lookup, subtrees */

#include "config.h"

#include "jg-org-units.h"
