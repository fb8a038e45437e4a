/* jg-server-cli.h: jinguo-server's command line: serve and the admin commands */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int jg_server_main (int    argc,
                    char **argv);

G_END_DECLS
