/* jg-cli-private.h: what the parts of jinguo-cli share */
#pragma once

#include "jg-common.h"

G_BEGIN_DECLS

#define EXIT_USAGE   2
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66
#define EXIT_TEMPFAIL 75
#define EXIT_NOPERM   77

typedef struct
{
  const char *db_path;
  gboolean    compact;
} JgCliGlobals;

typedef int (*JgCliCommand) (JgCliGlobals *globals,
                             int           argc,
                             char        **argv);

/* argv[0] is the command's name. */
typedef struct
{
  const char   *name;
  JgCliCommand  run;
  const char   *args;
  const char   *help;   /* N_() */
} JgCliCommandInfo;

/* Each ends with an entry whose name is NULL. */
extern const JgCliCommandInfo jg_cli_domain_commands[];
extern const JgCliCommandInfo jg_cli_sync_commands[];

int       jg_cli_fail_usage   (const char    *message);
int       jg_cli_fail         (const GError  *error);
void      jg_cli_print_node   (JgCliGlobals  *globals,
                               JsonNode      *node);
void      jg_cli_print_object (JgCliGlobals  *globals,
                               JsonObject    *object);
void      jg_cli_print_array  (JgCliGlobals  *globals,
                               JsonArray     *array);
JgStore  *jg_cli_open_store   (JgCliGlobals  *globals,
                               JgStoreFlags   flags,
                               GError       **error);
/* Adds "flags" (jg_ledger_flag_details()) to a service entry as get and
 * review print it; other records are left as they are. */
gboolean  jg_cli_add_flags    (JgStore       *store,
                               const char    *entity,
                               JsonObject    *record,
                               GError       **error);
gboolean  jg_cli_read_input   (const char    *path,
                               char         **data,
                               gsize         *len,
                               GError       **error);

G_END_DECLS
