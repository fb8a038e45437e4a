/* jg-demo.h: the demo data generator: a believable county */
#pragma once

#include "jg-store.h"

G_BEGIN_DECLS

G_END_DECLS
