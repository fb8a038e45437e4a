/* jg-cli-domain.c: jinguo-cli's domain commands */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-cli-private.h"

const JgCliCommandInfo jg_cli_domain_commands[] = {
  { NULL, NULL, NULL, NULL },
};
