/* jg-cli.c: jinguo-cli, the headless front end over libjinguo-common
 *
 * JSON on stdout, a message on stderr and a non-zero status on failure.
 * Exit statuses: 0 ok, 1 failure, 2 usage, 65 bad input data, 66 no input.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "jg-cli.h"
#include "jg-cli-private.h"
#include "jg-common.h"
#include "jg-export.h"
#include "jg-json.h"
#include "jg-ledger.h"
#include "jg-org-units.h"

int
jg_cli_fail_usage (const char *message)
{
  g_printerr ("jinguo-cli: %s\n", message);
  g_printerr (_("Try “jinguo-cli --help”.\n"));
  return EXIT_USAGE;
}

static int
exit_status_for (const GError *error)
{
  if (error->domain != JG_ERROR)
    return error->domain == G_FILE_ERROR ? EXIT_NOINPUT : 1;
  /* docs/cli.md: every code has its status; no default, so that a new
   * code does not compile (-Wswitch) before it has one. */
  switch ((JgErrorCode) error->code)
    {
    case JG_ERROR_INVALID:
    case JG_ERROR_UNKNOWN_ENTITY:
    case JG_ERROR_UNKNOWN_FIELD:
    case JG_ERROR_WRONG_TYPE:
    case JG_ERROR_REQUIRED:
    case JG_ERROR_OUT_OF_RANGE:
    case JG_ERROR_TOO_LONG:
    case JG_ERROR_NOT_ALLOWED_VALUE:
    case JG_ERROR_READ_ONLY:
    case JG_ERROR_IMMUTABLE:
    case JG_ERROR_DELETED:
    case JG_ERROR_MALFORMED:
    case JG_ERROR_PROTOCOL_VERSION:
    case JG_ERROR_CLOCK_SKEW:
    case JG_ERROR_PERMISSION:
    case JG_ERROR_OUT_OF_SCOPE:
    case JG_ERROR_INSUFFICIENT_BALANCE:
    case JG_ERROR_TRANSITION:
    case JG_ERROR_CONSENT_REQUIRED:
    case JG_ERROR_CONFLICT:
    case JG_ERROR_OTHER_UNIT:
    case JG_ERROR_IN_USE:
      return EXIT_DATAERR;
    case JG_ERROR_NOT_FOUND:
      return EXIT_NOINPUT;
    case JG_ERROR_BUSY:
      return EXIT_TEMPFAIL;
    case JG_ERROR_UNAUTHORIZED:
      return EXIT_NOPERM;
    case JG_ERROR_FAILED:
    case JG_ERROR_STORE:
    case JG_ERROR_STORE_NEWER:
    case JG_ERROR_NOT_A_STORE:
      return 1;
    }
  return 1;
}

int
jg_cli_fail (const GError *error)
{
  const char *field = jg_error_get_field (error);

  if (error->domain == JG_ERROR && field != NULL)
    g_printerr ("jinguo-cli: %s (%s: %s)\n", error->message, jg_error_code_name (error->code), field);
  else if (error->domain == JG_ERROR)
    g_printerr ("jinguo-cli: %s (%s)\n", error->message, jg_error_code_name (error->code));
  else
    g_printerr ("jinguo-cli: %s\n", error->message);
  return exit_status_for (error);
}

void
jg_cli_print_node (JgCliGlobals *globals,
            JsonNode     *node)
{
  g_autofree char *text = jg_json_to_string (node, !globals->compact);

  /* One write: a reader of a pipe never sees half a document. */
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
jg_cli_print_object (JgCliGlobals *globals,
              JsonObject   *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  jg_cli_print_node (globals, node);
}

void
jg_cli_print_array (JgCliGlobals *globals,
             JsonArray    *array)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);

  jg_cli_print_node (globals, node);
}

JgStore *
jg_cli_open_store (JgCliGlobals  *globals,
            JgStoreFlags   flags,
            GError       **error)
{
  if (globals->db_path == NULL || *globals->db_path == '\0')
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("No store given: use --db FILE or set JINGUO_DB"));
      return NULL;
    }
  return jg_store_open (globals->db_path, flags, error);
}

/* ---- commands -------------------------------------------------------- */

static int
cmd_init (JgCliGlobals  *globals,
          int            argc,
          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) out = json_object_new ();

  if (argc != 1)
    return jg_cli_fail_usage (_("“init” takes no arguments"));

  store = jg_cli_open_store (globals, JG_STORE_CREATE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  /* A new store is usable at once: it knows the built-in 临海市 units. */
  if (jg_org_units_count (store, NULL) == 0 &&
      !jg_org_units_import_builtin (store, NULL, NULL, NULL, &error))
    return jg_cli_fail (error);

  json_object_set_string_member (out, "path", jg_store_get_path (store));
  json_object_set_string_member (out, "replica", jg_store_get_replica_id (store));
  json_object_set_int_member (out, "schema_version", jg_store_get_schema_version (store));
  jg_cli_print_object (globals, out);
  return 0;
}

static JsonObject *
parse_object_arg (const char  *text,
                  GError     **error)
{
  g_autoptr(JsonNode) node = jg_json_parse (text, -1, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_MALFORMED, _("The record must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

static int
cmd_put (JgCliGlobals  *globals,
         int            argc,
         char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *id = NULL;

  if (argc != 3)
    return jg_cli_fail_usage (_("Usage: put ENTITY JSON"));

  if (jg_entity_lookup (argv[1]) == NULL)
    {
      g_set_error (&error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY, _("Unknown record type “%s”"), argv[1]);
      return jg_cli_fail (error);
    }
  fields = parse_object_arg (argv[2], &error);
  if (fields == NULL)
    return jg_cli_fail (error);
  /* What get adds to a service entry is not a field: a record read back
   * can be put again. */
  if (strcmp (argv[1], "service_entry") == 0)
    json_object_remove_member (fields, "flags");

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);

  id = jg_store_put (store, argv[1], fields, &error);
  if (id == NULL)
    return jg_cli_fail (error);

  out = json_object_new ();
  json_object_set_string_member (out, "id", id);
  jg_cli_print_object (globals, out);
  return 0;
}

gboolean
jg_cli_add_flags (JgStore     *store,
                  const char  *entity,
                  JsonObject  *record,
                  GError     **error)
{
  JsonArray *flags;

  if (g_strcmp0 (entity, "service_entry") != 0)
    return TRUE;
  flags = jg_ledger_flag_details (store, NULL, record, error);
  if (flags == NULL)
    return FALSE;
  json_object_set_array_member (record, "flags", flags);
  return TRUE;
}

static int
cmd_get (JgCliGlobals  *globals,
         int            argc,
         char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) record = NULL;

  if (argc != 3)
    return jg_cli_fail_usage (_("Usage: get ENTITY ID"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  record = jg_store_get (store, argv[1], argv[2], &error);
  if (record == NULL || !jg_cli_add_flags (store, argv[1], record, &error))
    return jg_cli_fail (error);
  jg_cli_print_object (globals, record);
  return 0;
}

static int
cmd_list (JgCliGlobals  *globals,
          int            argc,
          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) records = NULL;
  JgListQuery query = { 0 };

  if (argc == 3 && strcmp (argv[2], "--all") == 0)
    query.include_deleted = TRUE;
  else if (argc != 2)
    return jg_cli_fail_usage (_("Usage: list ENTITY [--all]"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  records = jg_store_list (store, argv[1], &query, &error);
  if (records == NULL)
    return jg_cli_fail (error);
  /* A list masks phone numbers, as the app's lists do (DOMAIN.md); the
   * record's own view, get, shows the whole number. */
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *phone = record ? jg_json_get_string (record, "phone") : NULL;

      if (phone != NULL)
        {
          g_autofree char *masked = jg_export_mask_phone (phone);

          json_object_set_string_member (record, "phone", masked);
        }
      /* How many flags a service entry has; get names them. */
      if (record != NULL && strcmp (argv[1], "service_entry") == 0)
        {
          g_autoptr(JsonArray) flags = jg_ledger_flag_details (store, NULL, record, &error);

          if (flags == NULL)
            return jg_cli_fail (error);
          json_object_set_int_member (record, "flag_count", json_array_get_length (flags));
        }
    }
  jg_cli_print_array (globals, records);
  return 0;
}

static int
cmd_delete (JgCliGlobals  *globals,
            int            argc,
            char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) out = json_object_new ();

  if (argc != 3)
    return jg_cli_fail_usage (_("Usage: delete ENTITY ID"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  if (!jg_store_delete (store, argv[1], argv[2], &error))
    return jg_cli_fail (error);
  json_object_set_string_member (out, "id", argv[2]);
  json_object_set_boolean_member (out, "deleted", TRUE);
  jg_cli_print_object (globals, out);
  return 0;
}

static int
cmd_export_changes (JgCliGlobals  *globals,
                    int            argc,
                    char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  gint64 since = 0;

  if (argc == 3 && g_str_has_prefix (argv[1], "--since="))
    return jg_cli_fail_usage (_("Usage: export-changes [--since N]"));
  if (argc == 2 && g_str_has_prefix (argv[1], "--since="))
    {
      if (!g_ascii_string_to_signed (argv[1] + 8, 10, 0, G_MAXINT64, &since, NULL))
        return jg_cli_fail_usage (_("--since takes a whole number"));
    }
  else if (argc == 3 && strcmp (argv[1], "--since") == 0)
    {
      if (!g_ascii_string_to_signed (argv[2], 10, 0, G_MAXINT64, &since, NULL))
        return jg_cli_fail_usage (_("--since takes a whole number"));
    }
  else if (argc != 1)
    return jg_cli_fail_usage (_("Usage: export-changes [--since N]"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  bundle = jg_store_export_bundle (store, since, &error);
  if (bundle == NULL)
    return jg_cli_fail (error);
  {
    JgCliGlobals compact = *globals;

    compact.compact = TRUE;
    jg_cli_print_node (&compact, bundle);
  }
  return 0;
}

gboolean
jg_cli_read_input (const char  *path,
            char       **data,
            gsize       *len,
            GError     **error)
{
  if (strcmp (path, "-") == 0)
    {
      GByteArray *buf = g_byte_array_new ();
      guint8 chunk[65536];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_byte_array_append (buf, chunk, (guint) n);
      if (ferror (stdin))
        {
          g_byte_array_unref (buf);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("Cannot read standard input"));
          return FALSE;
        }
      *len = buf->len;
      g_byte_array_append (buf, (const guint8 *) "", 1);
      *data = (char *) g_byte_array_free (buf, FALSE);
      return TRUE;
    }
  return g_file_get_contents (path, data, len, error);
}

static int
cmd_import_changes (JgCliGlobals  *globals,
                    int            argc,
                    char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  g_autoptr(JsonObject) out = json_object_new ();
  g_autofree char *data = NULL;
  JgApplyCounts counts = { 0 };
  gsize len = 0;

  if (argc != 2)
    return jg_cli_fail_usage (_("Usage: import-changes FILE"));

  if (!jg_cli_read_input (argv[1], &data, &len, &error))
    return jg_cli_fail (error);
  bundle = jg_json_parse (data, (gssize) len, &error);
  if (bundle == NULL)
    {
      g_prefix_error (&error, _("Cannot read the change bundle: "));
      return jg_cli_fail (error);
    }

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  if (!jg_store_import_bundle (store, bundle, &counts, &error))
    return jg_cli_fail (error);

  json_object_set_int_member (out, "accepted", counts.accepted);
  json_object_set_int_member (out, "duplicates", counts.duplicates);
  json_object_set_int_member (out, "conflicts", counts.conflicts);
  jg_cli_print_object (globals, out);
  return 0;
}

static int
cmd_conflicts (JgCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) conflicts = NULL;
  gboolean all = FALSE;

  if (argc == 2 && strcmp (argv[1], "--all") == 0)
    all = TRUE;
  else if (argc != 1)
    return jg_cli_fail_usage (_("Usage: conflicts [--all]"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  conflicts = jg_store_list_conflicts (store, all, &error);
  if (conflicts == NULL)
    return jg_cli_fail (error);
  /* A list: phones masked, as in "list" and the app. */
  jg_export_mask_conflicts (conflicts);
  jg_cli_print_array (globals, conflicts);
  return 0;
}

static const JgCliCommandInfo commands[] = {
  { "init", cmd_init, "", N_("Create the store (or show the one there is)") },
  { "put", cmd_put, "ENTITY JSON", N_("Create a record, or update the fields named when the JSON has an “id”") },
  { "get", cmd_get, "ENTITY ID", N_("Print one record") },
  { "list", cmd_list, "ENTITY [--all]", N_("Print all records of a type (--all: with deleted ones)") },
  { "delete", cmd_delete, "ENTITY ID", N_("Delete a record (it stays as a tombstone)") },
  { "export-changes", cmd_export_changes, "[--since N]", N_("Write a change bundle to stdout") },
  { "import-changes", cmd_import_changes, "FILE", N_("Merge another store’s change bundle (- for stdin)") },
  { "conflicts", cmd_conflicts, "[--all]", N_("Print the conflicts the merge found (--all: with settled ones)") },
};

/* Commands of the other parts of the CLI (jg-cli-*.c). */
static const JgCliCommandInfo * const more_commands[] = {
  jg_cli_domain_commands,
  jg_cli_sync_commands,
};

static void
print_help (void)
{
  guint n;
  const JgEntityDef * const *entities = jg_entity_all (&n);

  g_print ("%s\n\n", _("Usage: jinguo-cli [--db FILE] [--compact] COMMAND [ARGUMENTS]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *left = g_strdup_printf ("%s %s", commands[i].name, commands[i].args);
      g_print ("  %-30s %s\n", left, _(commands[i].help));
    }
  for (guint m = 0; m < G_N_ELEMENTS (more_commands); m++)
    for (const JgCliCommandInfo *c = more_commands[m]; c->name; c++)
      {
        g_autofree char *left = g_strdup_printf ("%s %s", c->name, c->args);
        g_print ("  %-30s %s\n", left, _(c->help));
      }
  g_print ("\n%s", _("Record types:"));
  for (guint i = 0; i < n; i++)
    g_print (" %s", entities[i]->name);
  g_print ("\n\n%s\n", _("The store is FILE, or $JINGUO_DB when --db is not given."));
}

int
jg_cli_main (int    argc,
             char **argv)
{
  JgCliGlobals globals = { 0 };
  int i;

  setlocale (LC_ALL, "");
  jg_common_init ();
  textdomain (GETTEXT_PACKAGE);

  globals.db_path = g_getenv ("JINGUO_DB");

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (arg[0] != '-')
        break;
      if (strcmp (arg, "--db") == 0)
        {
          if (++i >= argc)
            return jg_cli_fail_usage (_("--db needs a file name"));
          globals.db_path = argv[i];
        }
      else if (g_str_has_prefix (arg, "--db="))
        globals.db_path = arg + 5;
      else if (strcmp (arg, "--compact") == 0)
        globals.compact = TRUE;
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          print_help ();
          return 0;
        }
      else if (strcmp (arg, "--version") == 0)
        {
          g_print ("jinguo-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        {
          g_autofree char *msg = g_strdup_printf (_("Unknown option “%s”"), arg);
          return jg_cli_fail_usage (msg);
        }
    }

  if (i >= argc)
    return jg_cli_fail_usage (_("No command given"));

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (strcmp (argv[i], commands[c].name) == 0)
      return commands[c].run (&globals, argc - i, argv + i);
  for (guint m = 0; m < G_N_ELEMENTS (more_commands); m++)
    for (const JgCliCommandInfo *c = more_commands[m]; c->name; c++)
      if (strcmp (argv[i], c->name) == 0)
        return c->run (&globals, argc - i, argv + i);

  {
    g_autofree char *msg = g_strdup_printf (_("Unknown command “%s”"), argv[i]);
    return jg_cli_fail_usage (msg);
  }
}
