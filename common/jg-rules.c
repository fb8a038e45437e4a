/* jg-rules.c: the domain's rules on a local write */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-award.h"
#include "jg-error.h"
#include "jg-ledger.h"
#include "jg-review.h"
#include "jg-rubric.h"
#include "jg-rules.h"
#include "jg-validate.h"

static gboolean
is_null (JsonObject *record,
         const char *field)
{
  JsonNode *node = json_object_get_member (record, field);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) == '\0');
}

static gboolean
check_required (const JgEntityDef *entity,
                JsonObject        *record,
                GError           **error)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if ((f->flags & JG_FIELD_FLAG_REQUIRED) && is_null (record, f->name))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, f->name,
                              _("“%s” is required"), f->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_immutable (const JgEntityDef *entity,
                 JsonObject        *old_record,
                 JsonObject        *new_record,
                 GError           **error)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if (!(f->flags & JG_FIELD_FLAG_IMMUTABLE))
        continue;
      if (!json_node_equal (json_object_get_member (old_record, f->name),
                            json_object_get_member (new_record, f->name)))
        {
          jg_set_field_error (error, JG_ERROR_IMMUTABLE, f->name,
                              _("“%s” cannot be changed once recorded; record a reversing entry instead"),
                              f->name);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
jg_rules_check_write (JgStore           *store,
                      const JgEntityDef *entity,
                      JsonObject        *old_record,
                      JsonObject        *new_record,
                      GError           **error)
{
  if (!check_required (entity, new_record, error))
    return FALSE;
  if (old_record != NULL && !check_immutable (entity, old_record, new_record, error))
    return FALSE;

  /* The order matters: values first, then the workflow, then the
   * signed-in user's area (what the server would reject is refused now,
   * not at the next sync), then the rules of each record type (which may
   * fill in computed fields). */
  return jg_validate_record (store, entity, old_record, new_record, error) &&
         jg_review_check_write (store, entity, old_record, new_record, error) &&
         jg_review_check_scope (store, old_record, new_record, error) &&
         jg_rubric_check_write (store, entity, old_record, new_record, error) &&
         jg_ledger_check_write (store, entity, old_record, new_record, error) &&
         jg_award_check_write (store, entity, old_record, new_record, error);
}
