/* jg-cli-sync.c: jinguo-cli's sync commands */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-cli-private.h"

const JgCliCommandInfo jg_cli_sync_commands[] = {
  { NULL, NULL, NULL, NULL },
};
