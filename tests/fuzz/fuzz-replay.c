/* fuzz-replay.c: runs a fuzz target over its corpus without libFuzzer
 *
 * Linked with one fuzz-*.c in every build (gcc too), so the seeds and every
 * input that once crashed a target are regression tests in the
 * 'reliability' suite and under ASan+UBSan in CI.  Arguments: files or
 * directories of inputs.  TAP output, one case per input.
 */

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort hands pointers to the elements. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    collect (names->pdata[i], files);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      collect (argv[i], files);

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (files->pdata[i]);
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      if (!g_file_get_contents (files->pdata[i], &contents, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, base, error->message);
          status = 1;
          continue;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
      printf ("ok %u - %s\n", i + 1, base);
      fflush (stdout);
    }
  return status;
}
