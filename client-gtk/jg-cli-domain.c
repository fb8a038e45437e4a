/* jg-cli-domain.c: jinguo-cli's domain commands: org units, demo data,
 * time-bank balances, review steps and the annual figures */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jg-cli-private.h"
#include "jg-demo.h"
#include "jg-org-units.h"
#include "jg-review.h"
#include "jg-stats.h"

static const char * const unit_levels[] = { "province", "prefecture", "county", "township", "village" };

/* What an import leaves in the store, level by level. */
static JsonObject *
unit_counts (JgStore *store)
{
  JsonObject *out = json_object_new ();
  JsonObject *levels = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (unit_levels); i++)
    json_object_set_int_member (levels, unit_levels[i], jg_org_units_count (store, unit_levels[i]));
  json_object_set_int_member (out, "org_units", jg_org_units_count (store, NULL));
  json_object_set_object_member (out, "levels", levels);
  return out;
}

static int
org_units_import (JgCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) out = NULL;
  const char *dir = NULL;
  const char *edition = JG_ORG_UNITS_EDITION;
  gboolean builtin = strcmp (argv[1], "import-builtin") == 0;

  /* argv: org-units import DIR [--edition E] | org-units import-builtin */
  for (int i = 2; i < argc; i++)
    {
      if (!builtin && strcmp (argv[i], "--edition") == 0 && i + 1 < argc)
        edition = argv[++i];
      else if (!builtin && g_str_has_prefix (argv[i], "--edition="))
        edition = argv[i] + strlen ("--edition=");
      else if (!builtin && dir == NULL && argv[i][0] != '-')
        dir = argv[i];
      else
        return jg_cli_fail_usage (_("Usage: org-units import DIR [--edition E] | org-units import-builtin"));
    }
  if (!builtin && dir == NULL)
    return jg_cli_fail_usage (_("Usage: org-units import DIR [--edition E]"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  if (builtin ? !jg_org_units_import_builtin (store, NULL, NULL, NULL, &error)
              : !jg_org_units_import_csv_dir (store, dir, edition, NULL, NULL, NULL, &error))
    return jg_cli_fail (error);

  out = unit_counts (store);
  json_object_set_string_member (out, "edition", builtin ? JG_ORG_UNITS_EDITION : edition);
  jg_cli_print_object (globals, out);
  return 0;
}

static int
org_units_list (JgCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonArray) units = NULL;

  if (argc > 3)
    return jg_cli_fail_usage (_("Usage: org-units list [CODE]"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  units = jg_org_units_children (store, argc == 3 ? argv[2] : NULL, &error);
  if (units == NULL)
    return jg_cli_fail (error);
  jg_cli_print_array (globals, units);
  return 0;
}

static int
org_units_show (JgCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) unit = NULL;

  if (argc != 3)
    return jg_cli_fail_usage (_("Usage: org-units show CODE"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  unit = jg_org_units_lookup (store, argv[2], &error);
  if (unit == NULL)
    return jg_cli_fail (error);
  jg_cli_print_object (globals, unit);
  return 0;
}

static int
cmd_org_units (JgCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  if (argc >= 2 && (strcmp (argv[1], "import") == 0 || strcmp (argv[1], "import-builtin") == 0))
    return org_units_import (globals, argc, argv);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return org_units_list (globals, argc, argv);
  if (argc >= 2 && strcmp (argv[1], "show") == 0)
    return org_units_show (globals, argc, argv);
  return jg_cli_fail_usage (_("Usage: org-units import DIR | import-builtin | list [CODE] | show CODE"));
}

static gboolean
parse_uint_option (const char  *name,
                   const char  *text,
                   guint64      min,
                   guint64      max,
                   guint64     *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static int
cmd_demo (JgCliGlobals  *globals,
          int            argc,
          char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JgDemoOptions options = { .households = JG_DEMO_SMALL_HOUSEHOLDS, .seed = 1 };
  const char *usage = _("Usage: demo [--households N] [--seed S] [--year Y] [--county CODE]");

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;
      guint64 n;

      if (strcmp (arg, "--households") == 0 && parse_uint_option (arg, value, 1, 10000000, &n))
        options.households = (guint) n;
      else if (strcmp (arg, "--seed") == 0 && parse_uint_option (arg, value, 0, G_MAXUINT32, &n))
        options.seed = (guint32) n;
      else if (strcmp (arg, "--year") == 0 && parse_uint_option (arg, value, 2000, 9999, &n))
        options.year = (int) n;
      else if (strcmp (arg, "--county") == 0 && value != NULL)
        options.county = value;
      else
        return jg_cli_fail_usage (usage);
      i++;
    }

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  summary = jg_demo_generate (store, &options, NULL, NULL, NULL, &error);
  if (summary == NULL)
    return jg_cli_fail (error);
  jg_cli_print_object (globals, summary);
  return 0;
}

static int
cmd_balance (JgCliGlobals  *globals,
             int            argc,
             char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) balance = NULL;

  if (argc != 2)
    return jg_cli_fail_usage (_("Usage: balance VOLUNTEER_ID"));

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  balance = jg_stats_volunteer_balance (store, argv[1], &error);
  if (balance == NULL)
    return jg_cli_fail (error);
  jg_cli_print_object (globals, balance);
  return 0;
}

static const struct
{
  const char *action;
  const char *state;
} review_actions[] = {
  { "submit", "submitted" },
  { "approve", "approved" },
  { "return", "returned" },
};

static int
cmd_review (JgCliGlobals  *globals,
            int            argc,
            char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *id = NULL;
  const char *usage = _("Usage: review ENTITY ID submit|approve|return [--note TEXT]");
  const char *state = NULL;
  const char *note = NULL;

  if (argc < 4)
    return jg_cli_fail_usage (usage);
  for (guint i = 0; i < G_N_ELEMENTS (review_actions); i++)
    if (strcmp (argv[3], review_actions[i].action) == 0)
      state = review_actions[i].state;
  if (state == NULL)
    return jg_cli_fail_usage (usage);
  for (int i = 4; i < argc; i++)
    {
      if (strcmp (argv[i], "--note") == 0 && i + 1 < argc)
        note = argv[++i];
      else if (g_str_has_prefix (argv[i], "--note="))
        note = argv[i] + strlen ("--note=");
      else
        return jg_cli_fail_usage (usage);
    }

  if (jg_entity_lookup (argv[1]) == NULL)
    {
      g_set_error (&error, JG_ERROR, JG_ERROR_UNKNOWN_ENTITY, _("Unknown record type “%s”"), argv[1]);
      return jg_cli_fail (error);
    }

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);

  /* A step on a record that is not there must not create one. */
  record = jg_store_get (store, argv[1], argv[2], &error);
  if (record == NULL)
    return jg_cli_fail (error);
  /* A step that is not this user's, or that changes nothing, is said so. */
  if (!jg_review_check_request (store, record, state, &error))
    return jg_cli_fail (error);
  g_clear_pointer (&record, json_object_unref);

  /* Through jg_store_put(), as the store's user: every rule of the
   * workflow applies, the note rule included. */
  fields = json_object_new ();
  json_object_set_string_member (fields, "id", argv[2]);
  json_object_set_string_member (fields, "review_state", state);
  if (note != NULL)
    json_object_set_string_member (fields, "review_note", note);
  id = jg_store_put (store, argv[1], fields, &error);
  if (id == NULL)
    return jg_cli_fail (error);

  record = jg_store_get (store, argv[1], id, &error);
  if (record == NULL || !jg_cli_add_flags (store, argv[1], record, &error))
    return jg_cli_fail (error);
  /* The decision stands (the flags are for a reviewer to weigh, not a
   * refusal), but one taken over a flag is said where a person sees it. */
  if (strcmp (state, "approved") == 0 && json_object_has_member (record, "flags"))
    {
      JsonArray *flags = json_object_get_array_member (record, "flags");

      for (guint i = 0; i < json_array_get_length (flags); i++)
        {
          JsonObject *flag = json_array_get_object_element (flags, i);

          g_printerr ("jinguo-cli: ");
          g_printerr (_("warning: approved despite a flag: %s (%s)"),
                      json_object_get_string_member (flag, "message"),
                      json_object_get_string_member (flag, "code"));
          g_printerr ("\n");
        }
    }
  jg_cli_print_object (globals, record);
  return 0;
}

static int
cmd_stats (JgCliGlobals  *globals,
           int            argc,
           char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgStore) store = NULL;
  g_autoptr(JsonObject) stats = NULL;
  const char *usage = _("Usage: stats [--org CODE] [--year Y]");
  const char *org = NULL;
  int year = 0;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;
      guint64 n;

      if (strcmp (arg, "--org") == 0 && value != NULL)
        org = value;
      else if (strcmp (arg, "--year") == 0 && parse_uint_option (arg, value, 1900, 9998, &n))
        year = (int) n;
      else
        return jg_cli_fail_usage (usage);
      i++;
    }

  store = jg_cli_open_store (globals, JG_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    return jg_cli_fail (error);
  stats = jg_stats_compute (store, org, year, &error);
  if (stats == NULL)
    return jg_cli_fail (error);
  jg_cli_print_object (globals, stats);
  return 0;
}

const JgCliCommandInfo jg_cli_domain_commands[] = {
  { "org-units", cmd_org_units, "import DIR | import-builtin | list [CODE] | show CODE",
    N_("Import org units from division-code CSVs (or the built-in Linhai slice), list a unit’s children, show one") },
  { "demo", cmd_demo, "[--households N] [--seed S] [--year Y] [--county CODE]",
    N_("Fill the store with a year of demo records (300 households unless told)") },
  { "balance", cmd_balance, "VOLUNTEER_ID",
    N_("Print a volunteer’s time-bank balance in minutes, lifetime hours and star level") },
  { "review", cmd_review, "ENTITY ID submit|approve|return [--note TEXT]",
    N_("Move a record along the review workflow as this store’s user") },
  { "stats", cmd_stats, "[--org CODE] [--year Y]",
    N_("Print a year’s figures for a unit (this store’s own unless told) and each unit below it") },
  { NULL, NULL, NULL, NULL },
};
