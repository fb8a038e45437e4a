/* jg-demo.c: the demo data generator: a believable county */

#include "config.h"

#include "jg-demo.h"
