/* jg-cli.h: jinguo-cli's commands, in a library so that tests link them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int jg_cli_main (int    argc,
                 char **argv);

G_END_DECLS
