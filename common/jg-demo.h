/* jg-demo.h: the demo data generator: a believable county
 *
 * Households, activities, volunteers and their time-bank ledger, courtyard
 * inspections, designations and family awards for a year, on the org units
 * of the store (the built-in 临海市 slice when it has none).  Everything is
 * written with jg_store_put(), so every rule applies and the change log is
 * the real one.  The same seed gives the same records (ids and timestamps
 * aside).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/* The app's demo mode, and the county-scale benchmark. */
#define JG_DEMO_SMALL_HOUSEHOLDS   300
#define JG_DEMO_COUNTY_HOUSEHOLDS  200000

typedef struct
{
  guint       households;   /* 0: JG_DEMO_SMALL_HOUSEHOLDS */
  guint32     seed;         /* same seed, same records */
  int         year;         /* 0: last year; never a year still to come */
  const char *county;       /* division code of the county; NULL: the first in the store */
  guint       batch_size;   /* writes per transaction, at village boundaries; 0: 5000 */
  gboolean    for_server;   /* the changes will be pushed to a server, which judges an
                             * award's notice by the day of its stamp: notices go up
                             * today and none is granted (also when signed in) */
} JgDemoOptions;

typedef void (*JgDemoProgressFunc) (double      fraction,
                                    const char *message,
                                    gpointer    user_data);

JsonObject *jg_demo_generate (JgStore             *store,
                              const JgDemoOptions *options,
                              GCancellable        *cancellable,
                              JgDemoProgressFunc   progress,
                              gpointer             progress_data,
                              GError             **error);

G_END_DECLS
