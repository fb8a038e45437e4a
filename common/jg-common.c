/* jg-common.c: library set-up */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "jg-common.h"
#include "jg-common-resources.h"

/* The resources are registered by hand: a constructor in a static library
 * is dropped by the linker when nothing refers to it. */
void
jg_common_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      jg_common_register_resource ();
      const char *localedir = g_getenv ("JINGUO_LOCALEDIR");

      /* JINGUO_LOCALEDIR: the build tree's po/, to run without installing. */
      bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&initialized, 1);
    }
}
