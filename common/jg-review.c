/* jg-review.c: review states and who may move a record between them */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-error.h"
#include "jg-review.h"

gboolean
jg_review_check_write (JgStore           *store,
                      const JgEntityDef *entity,
                      JsonObject        *old_record,
                      JsonObject        *new_record,
                      GError           **error)
{
  return TRUE;
}
