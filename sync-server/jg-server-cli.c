/* jg-server-cli.c: jinguo-server COMMAND [OPTIONS]
 *
 * The admin commands live in the server's binary (DESIGN.md): init,
 * user-add, token-revoke, backup, and serve.  A message on stderr and a
 * non-zero status on failure.
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "jg-common.h"
#include "jg-org-units.h"
#include "jg-server.h"
#include "jg-server-backend.h"
#include "jg-review.h"
#include "jg-server-cli.h"
#include "jg-store-private.h"

static int
fail (const GError *error)
{
  g_printerr ("jinguo-server: %s\n", error->message);
  return 1;
}

static int
fail_usage (const char *message)
{
  g_printerr ("jinguo-server: %s\n", message);
  return 2;
}

static gboolean
parse_options (GOptionEntry  *entries,
               const char    *summary,
               int           *argc,
               char        ***argv,
               GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”"), (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

/* ---- init ----------------------------------------------------------------- */

static int
cmd_init (int    argc,
          char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *org_csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "org-csv", 0, 0, G_OPTION_ARG_FILENAME, &org_csv, N_("Import org units from division-code CSVs"), "DIR" },
    { NULL }
  };

  if (!parse_options (entries, _("Create a server store"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL)
    return fail_usage (_("init needs --db FILE"));

  store = jg_store_open (db, JG_STORE_CREATE | JG_STORE_DURABLE, &error);
  if (store == NULL || !jg_server_backend_init_store (store, &error))
    return fail (error);

  if (org_csv != NULL)
    {
      if (!jg_org_units_import_csv_dir (store, org_csv, JG_ORG_UNITS_EDITION, NULL, NULL, NULL, &error))
        return fail (error);
    }
  else if (jg_org_units_count (store, NULL) <= 0 &&
           !jg_org_units_import_builtin (store, NULL, NULL, NULL, &error))
    return fail (error);

  g_print ("%s\n", _("The server store is ready."));
  return 0;
}

/* ---- user-add --------------------------------------------------------------- */

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
cmd_user_add (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *username = NULL;
  g_autofree char *role = NULL;
  g_autofree char *org = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  guint signed_out = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("The user's name"), "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("village_staff, township_staff, county_reviewer or county_admin"), "ROLE" },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("The division code of the user's unit"), "CODE" },
    { NULL }
  };

  if (!parse_options (entries, _("Add a user, or reset an existing one"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL || username == NULL || role == NULL || org == NULL)
    return fail_usage (_("user-add needs --db, --username, --role and --org"));

  password = read_password (&error);
  if (password == NULL)
    return fail (error);
  store = jg_store_open (db, JG_STORE_DURABLE, &error);
  if (store == NULL ||
      !jg_server_backend_user_add (store, username, role, org, password, &signed_out, &error))
    {
      sodium_memzero (password, strlen (password));
      return fail (error);
    }
  sodium_memzero (password, strlen (password));
  g_print (_("User “%s” added.\n"), username);
  if (signed_out > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "The user’s role or unit changed: %u device was signed out and signs in again.\n",
                          "The user’s role or unit changed: %u devices were signed out and sign in again.\n",
                          signed_out), signed_out);
  return 0;
}

/* ---- token-revoke ------------------------------------------------------------- */

static int
cmd_token_revoke (int    argc,
                  char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  guint n = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("Whose devices to sign out"), "NAME" },
    { NULL }
  };

  if (!parse_options (entries, _("Sign out every device of a user"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL || username == NULL)
    return fail_usage (_("token-revoke needs --db and --username"));

  store = jg_store_open (db, JG_STORE_DURABLE, &error);
  if (store == NULL || !jg_server_backend_token_revoke (store, username, &n, &error))
    return fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u device signed out.\n", "%u devices signed out.\n", n), n);
  return 0;
}

/* ---- user-disable and user-list -------------------------------------------- */

static int
cmd_user_disable (int    argc,
                  char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  guint n = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("Who may no longer sign in"), "NAME" },
    { NULL }
  };

  if (!parse_options (entries, _("Stop a user signing in and sign out their devices"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL || username == NULL)
    return fail_usage (_("user-disable needs --db and --username"));

  store = jg_store_open (db, JG_STORE_DURABLE, &error);
  if (store == NULL || !jg_server_backend_user_disable (store, username, &n, &error))
    return fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "User “%s” disabled; %u device signed out.\n",
                        "User “%s” disabled; %u devices signed out.\n", n), username, n);
  return 0;
}

/* @text and spaces to fill @width columns of a terminal (a Chinese
 * character takes two). */
static char *
padded (const char *text,
        int         width)
{
  GString *out = g_string_new (text);
  int used = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    used += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  while (used++ < width)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static int
cmd_user_list (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) users = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!parse_options (entries, _("List the users, with their roles, units and signed-in devices"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL)
    return fail_usage (_("user-list needs --db"));

  store = jg_store_open (db, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL || (users = jg_server_backend_user_list (store, &error)) == NULL)
    return fail (error);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), users);
      g_autofree char *text = jg_json_to_string (node, TRUE);

      g_print ("%s\n", text);
      return 0;
    }
  {
    /* TRANSLATORS: column headings of jinguo-server user-list */
    g_autofree char *h1 = padded (_("Username"), 20);
    g_autofree char *h2 = padded (_("Role"), 22);
    g_autofree char *h3 = padded (_("Status"), 8);
    g_autofree char *h4 = padded (_("Devices"), 8);

    g_print ("%s %s %s %s %s\n", h1, h2, h3, h4, _("Unit"));
  }
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *u = json_array_get_object_element (users, i);
      g_autofree char *name = padded (json_object_get_string_member (u, "username"), 20);
      g_autofree char *role = padded (jg_review_role_title (json_object_get_string_member (u, "role")), 22);
      g_autofree char *status = padded (json_object_get_boolean_member (u, "disabled") ? _("disabled") : _("active"), 8);
      g_autofree char *devices = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (u, "devices"));
      g_autofree char *devices_col = padded (devices, 8);

      g_print ("%s %s %s %s %s %s\n", name, role, status, devices_col,
               json_object_get_string_member (u, "org_unit"),
               json_object_get_string_member_with_default (u, "unit_name", ""));
    }
  return 0;
}

/* ---- backup --------------------------------------------------------------------- */

static int
cmd_backup (int    argc,
            char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_("The copy to write"), "FILE" },
    { NULL }
  };

  if (!parse_options (entries, _("Copy the store while the server runs"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL || to == NULL)
    return fail_usage (_("backup needs --db and --to"));

  {
    g_autoptr(GFile) from_file = g_file_new_for_commandline_arg (db);
    g_autoptr(GFile) to_file = g_file_new_for_commandline_arg (to);
    g_autofree char *from_real = realpath (db, NULL);
    g_autofree char *to_real = realpath (to, NULL);

    /* A copy over its own store would be no backup at all. */
    if (g_file_equal (from_file, to_file) || (from_real != NULL && g_strcmp0 (from_real, to_real) == 0))
      return fail_usage (_("--to must be another file than the store"));
  }

  store = jg_store_open (db, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return fail (error);
  if (sqlite3_open_v2 (to, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_printerr ("jinguo-server: %s: %s\n", to, dest ? sqlite3_errmsg (dest) : "out of memory");
      sqlite3_close (dest);
      return 1;
    }
  /* The online backup copies a consistent snapshot while others write;
   * it restarts by itself when the source changes under it. */
  backup = sqlite3_backup_init (dest, "main", jg_store_get_db (store), "main");
  if (backup == NULL)
    {
      g_printerr ("jinguo-server: %s\n", sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return 1;
    }
  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (50);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_printerr ("jinguo-server: %s\n", sqlite3_errstr (rc));
      sqlite3_close (dest);
      return 1;
    }
  /* The copy names the history it was taken from: served again, it
   * starts a new one, and the devices learn that it may lack what the
   * server acknowledged after the copy (jg_server_backend_open_history). */
  rc = sqlite3_exec (dest, "INSERT OR REPLACE INTO meta (key, value) "
                     "SELECT 'backup_of', value FROM meta WHERE key = 'history'", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_printerr ("jinguo-server: %s: %s\n", to, sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return 1;
    }
  sqlite3_close (dest);
  g_print (_("Backed up to %s\n"), to);
  return 0;
}

/* ---- serve ------------------------------------------------------------------------ */

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
split_listen (const char  *listen,
              char       **host,
              guint       *port,
              GError     **error)
{
  const char *colon = strrchr (listen, ':');
  guint64 p = 0;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080"));
      return FALSE;
    }
  if (colon == listen)
    *host = g_strdup ("127.0.0.1");
  else if (listen[0] == '[' && colon[-1] == ']')
    *host = g_strndup (listen + 1, (gsize) (colon - listen - 2));
  else
    *host = g_strndup (listen, (gsize) (colon - listen));
  *port = (guint) p;
  return TRUE;
}

/* Every connection holds a file descriptor.  The usual soft limit (1,024)
 * is a few hundred devices and idle clients away; the hard limit is what
 * the system allows a server. */
static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint port = 0;
  gint idle_timeout = JG_SERVER_DEFAULT_IDLE_TIMEOUT;
  guint sigterm, sigint;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server's store"), "FILE" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address and port (port 0: any free one, printed)"), "ADDR:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("TLS certificate (PEM)"), "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("TLS private key (PEM)"), "FILE" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      N_("Close a connection that sends or takes nothing for this long (default 60; 0: never)"), "SECONDS" },
    { NULL }
  };

  if (!parse_options (entries, _("Serve the sync protocol"), &argc, &argv, &error))
    return fail_usage (error->message);
  if (db == NULL)
    return fail_usage (_("serve needs --db FILE"));
  if (idle_timeout < 0)
    return fail_usage (_("--idle-timeout takes a number of seconds, 0 or more"));
  if (!split_listen (listen ? listen : "127.0.0.1:8080", &host, &port, &error))
    return fail_usage (error->message);

  raise_file_limit ();
  server = jg_server_new (db, &error);
  if (server != NULL)
    jg_server_set_idle_timeout (server, (guint) idle_timeout);
  if (server == NULL || !jg_server_listen (server, host, port, cert, key, &error))
    return fail (error);

  /* Handlers first: whoever reads the port may ask us to stop at once. */
  loop = g_main_loop_new (NULL, FALSE);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);

  if (port == 0)
    {
      g_print ("%u\n", jg_server_get_port (server));
      fflush (stdout);
    }
  else
    g_printerr (_("jinguo-server: listening on %s:%u\n"), host, port);

  g_main_loop_run (loop);
  g_source_remove (sigterm);
  g_source_remove (sigint);

  /* Finish what was accepted before going away. */
  jg_server_shutdown (server);
  return 0;
}

/* ---- main -------------------------------------------------------------------------- */

static const struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *help;
} commands[] = {
  { "init", cmd_init, N_("--db FILE [--org-csv DIR]: create a server store") },
  { "user-add", cmd_user_add, N_("--db FILE --username U --role ROLE --org CODE: add a user (password from JINGUO_PASSWORD or stdin)") },
  { "token-revoke", cmd_token_revoke, N_("--db FILE --username U: sign out every device of a user") },
  { "user-disable", cmd_user_disable, N_("--db FILE --username U: stop a user signing in, and sign out their devices") },
  { "user-list", cmd_user_list, N_("--db FILE [--json]: list the users") },
  { "serve", cmd_serve, N_("--db FILE [--listen ADDR:PORT] [--tls-cert F --tls-key F] [--idle-timeout S]: serve") },
  { "backup", cmd_backup, N_("--db FILE --to FILE: copy the store while it is in use") },
};

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: jinguo-server COMMAND [OPTIONS]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-14s %s\n", commands[i].name, _(commands[i].help));
}

int
jg_server_main (int    argc,
                char **argv)
{
  setlocale (LC_ALL, "");
  jg_common_init ();
  textdomain (GETTEXT_PACKAGE);

  if (sodium_init () < 0)
    {
      g_printerr ("jinguo-server: %s\n", _("libsodium cannot start"));
      return 1;
    }
  if (argc < 2)
    {
      print_help ();
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_help ();
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("jinguo-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  {
    g_autofree char *msg = g_strdup_printf (_("Unknown command “%s”"), argv[1]);
    return fail_usage (msg);
  }
}
