/* jinguo-cli.c: main() of the headless front end */

#include "config.h"

#include "jg-cli.h"

int
main (int    argc,
      char **argv)
{
  return jg_cli_main (argc, argv);
}
