/* jg-award.c: family awards: workflow, level ladder, consent before public notice */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-error.h"
#include "jg-award.h"

gboolean
jg_award_check_write (JgStore           *store,
                     const JgEntityDef *entity,
                     JsonObject        *old_record,
                     JsonObject        *new_record,
                     GError           **error)
{
  return TRUE;
}
