/* fuzz-bundle.c: libFuzzer target for the change-bundle decoder
 *
 * Input: the bytes of a change bundle (what "jinguo-cli import" reads and
 * what a pulled page's changes are made of).  jg_json_parse, then
 * jg_bundle_parse, which runs jg_change_from_json on every change.
 * Beyond "no crash", what is accepted must survive the round trip that the
 * change log and every later bundle depend on: each accepted change written
 * with jg_change_to_json must parse back to the same change.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jg-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical is a bug in the decoder's guards: make it a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  return 0;
}

static void
check_round_trip (const JgChange *change)
{
  g_autoptr(JsonNode) node = jg_change_to_json (change);
  g_autofree char *text = jg_json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = jg_json_parse (text, -1, &error);
  g_autoptr(JgChange) back = NULL;

  if (again == NULL)
    {
      g_printerr ("an accepted change does not parse once written: %s\n%s\n", error->message, text);
      abort ();
    }
  back = jg_change_from_json (again, &error);
  if (back == NULL)
    {
      g_printerr ("an accepted change is refused once written: %s\n%s\n", error->message, text);
      abort ();
    }
  if (strcmp (back->replica, change->replica) != 0 || back->counter != change->counter ||
      strcmp (back->entity, change->entity) != 0 || strcmp (back->record, change->record) != 0 ||
      strcmp (back->field, change->field) != 0 || g_strcmp0 (back->value, change->value) != 0 ||
      back->hlc != change->hlc || back->base != change->base || back->rbase != change->rbase ||
      g_strcmp0 (back->author, change->author) != 0 || back->seq != change->seq)
    {
      g_printerr ("a change is not the same once written and read back:\n%s\n", text);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  gint64 last_seq = 0;

  root = jg_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }
  changes = jg_bundle_parse (root, &last_seq, &error);
  if (changes == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }
  for (guint i = 0; i < changes->len; i++)
    check_round_trip (changes->pdata[i]);
  return 0;
}
