/* jg-cli-sync.c: jinguo-cli's sync commands: login, sync, resolve, rejected
 *
 * The same engine as the GTK app (JgSyncClient); the CLI only spins a main
 * loop until the operation's callback has run.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "jg-cli-private.h"
#include "jg-store-private.h"
#include "jg-sync-client.h"

typedef struct
{
  GMainLoop  *loop;
  JsonObject *result;
  GError     *error;
} Wait;

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->result = jg_sync_client_login_finish (JG_SYNC_CLIENT (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->result = jg_sync_client_sync_finish (JG_SYNC_CLIENT (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static char *
read_password (GError **error)
{
  const char *env = g_getenv ("JINGUO_PASSWORD");
  char buf[1024];

  if (env != NULL)
    return g_strdup (env);
  if (fgets (buf, sizeof buf, stdin) == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_REQUIRED,
                   _("No password: set JINGUO_PASSWORD or give it on standard input"));
      return NULL;
    }
  buf[strcspn (buf, "\r\n")] = '\0';
  return g_strdup (buf);
}

static int
cmd_login (JgCliGlobals  *globals,
           int            argc,
           char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *password = NULL;
  Wait w = { 0 };

  if (argc != 3)
    return jg_cli_fail_usage (_("Usage: login URL USERNAME"));
  if (globals->db_path == NULL)
    {
      g_set_error (&error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("No store given: use --db FILE or set JINGUO_DB"));
      return jg_cli_fail (error);
    }
  password = read_password (&error);
  if (password == NULL)
    return jg_cli_fail (error);

  client = jg_sync_client_new (globals->db_path);
  loop = g_main_loop_new (NULL, FALSE);
  w.loop = loop;
  jg_sync_client_login_async (client, argv[1], argv[2], password, NULL, login_done, &w);
  g_main_loop_run (loop);
  memset (password, 0, strlen (password));

  if (w.result == NULL)
    {
      int status = jg_cli_fail (w.error);

      g_clear_error (&w.error);
      return status;
    }
  jg_cli_print_object (globals, w.result);
  json_object_unref (w.result);
  return 0;
}

static void
on_progress (JgSyncClient *client,
             const char   *phase,
             guint         pushed,
             guint         pulled,
             gpointer      user_data)
{
  if (g_getenv ("JINGUO_VERBOSE"))
    g_printerr ("jinguo-cli: %s: %u sent, %u received\n", phase, pushed, pulled);
}

static int
cmd_sync (JgCliGlobals  *globals,
          int            argc,
          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Wait w = { 0 };

  if (argc != 1)
    return jg_cli_fail_usage (_("“sync” takes no arguments"));
  if (globals->db_path == NULL)
    {
      g_set_error (&error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("No store given: use --db FILE or set JINGUO_DB"));
      return jg_cli_fail (error);
    }

  client = jg_sync_client_new (globals->db_path);
  g_signal_connect (client, "progress", G_CALLBACK (on_progress), NULL);
  loop = g_main_loop_new (NULL, FALSE);
  w.loop = loop;
  jg_sync_client_sync_async (client, NULL, sync_done, &w);
  g_main_loop_run (loop);

  if (w.result == NULL)
    {
      int status = jg_cli_fail (w.error);

      g_clear_error (&w.error);
      return status;
    }
  jg_cli_print_object (globals, w.result);
  json_object_unref (w.result);
  return 0;
}

static int
cmd_resolve (JgCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *change_id = NULL;
  const char *value_text = NULL;

  if (argc == 4 && strcmp (argv[2], "--value") == 0)
    value_text = argv[3];
  else if (argc == 3 && g_str_has_prefix (argv[2], "--value="))
    value_text = argv[2] + 8;
  else
    return jg_cli_fail_usage (_("Usage: resolve CONFLICT_ID --value JSON"));

  value = jg_json_parse (value_text, -1, &error);
  if (value == NULL)
    return jg_cli_fail (error);
  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  change_id = jg_sync_resolve_conflict (store, argv[1], value, &error);
  if (change_id == NULL)
    return jg_cli_fail (error);

  out = json_object_new ();
  json_object_set_string_member (out, "conflict", argv[1]);
  json_object_set_string_member (out, "change", change_id);
  json_object_set_boolean_member (out, "resolved", TRUE);
  jg_cli_print_object (globals, out);
  return 0;
}

/* A soft conflict (other fields of a record edited at once: nothing to
 * decide) marked as seen on this laptop, as the app's Dismiss does. */
static int
cmd_dismiss (JgCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) out = json_object_new ();
  guint n = 0;

  if (argc != 2)
    return jg_cli_fail_usage (_("Usage: dismiss CONFLICT_ID|--all-soft"));
  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  if (strcmp (argv[1], "--all-soft") == 0)
    {
      if (!jg_store_dismiss_soft_conflicts (store, &n, &error))
        return jg_cli_fail (error);
    }
  else
    {
      if (!jg_store_dismiss_conflict (store, argv[1], &error))
        return jg_cli_fail (error);
      n = 1;
      json_object_set_string_member (out, "conflict", argv[1]);
    }
  json_object_set_int_member (out, "dismissed", n);
  jg_cli_print_object (globals, out);
  return 0;
}

static int
cmd_rejected (JgCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) list = NULL;

  if (argc != 1)
    return jg_cli_fail_usage (_("“rejected” takes no arguments"));
  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  list = jg_sync_list_rejected (store, &error);
  if (list == NULL)
    return jg_cli_fail (error);
  jg_cli_print_array (globals, list);
  return 0;
}

const JgCliCommandInfo jg_cli_sync_commands[] = {
  { "login", cmd_login, "URL USERNAME", N_("Sign in to a sync server (password from JINGUO_PASSWORD or stdin)") },
  { "sync", cmd_sync, "", N_("Send local changes and receive the server’s; prints a summary") },
  { "resolve", cmd_resolve, "CONFLICT_ID --value JSON", N_("Decide a conflict: the chosen value becomes a new change") },
  { "dismiss", cmd_dismiss, "CONFLICT_ID|--all-soft", N_("Mark a soft conflict as seen here (--all-soft: every one); hard ones are decided") },
  { "rejected", cmd_rejected, "", N_("List the changes the server refused (kept, not sent again until edited)") },
  { NULL, NULL, NULL, NULL },
};
