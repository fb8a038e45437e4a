/* jg-gui.c: set-up of libjinguo-gui
 *
 * The resources are registered by hand, as in libjinguo-common: a
 * constructor in a static library is dropped when nothing refers to it.
 */

#include "config.h"

#include <adwaita.h>

#include "jg-common.h"
#include "jg-gui.h"
#include "jg-gui-resources.h"
#include "jg-record-page.h"

void
jg_gui_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      jg_common_init ();
      jg_gui_register_resource ();
      g_type_ensure (JG_TYPE_RECORD_PAGE);
      g_once_init_leave (&initialized, 1);
    }
}

/* The app's settings, or NULL when the schema is not installed (a test
 * run without GSETTINGS_SCHEMA_DIR): then nothing is remembered. */
GSettings *
jg_gui_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.jinguo.Jinguo", TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}
