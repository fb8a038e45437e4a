/* main.c: main() of jinguo-server */

#include "config.h"

#include "jg-server-cli.h"

int
main (int    argc,
      char **argv)
{
  return jg_server_main (argc, argv);
}
