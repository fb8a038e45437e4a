/* main.c: the jinguo desktop app */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "jg-application.h"
#include "jg-common.h"
#include "jg-gui.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JgApplication) app = NULL;

  setlocale (LC_ALL, "");
  jg_common_init ();   /* binds the text domain */
  textdomain (GETTEXT_PACKAGE);

  jg_gui_init ();

  app = jg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
