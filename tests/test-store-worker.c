/* test-store-worker.c: JgStoreWorker, the app's store thread, without GTK */

#include "config.h"

#include <glib/gstdio.h>

#include "jg-store-worker.h"

static void
count_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gint64 *n = user_data;
  g_autoptr(GError) error = NULL;

  *n = jg_store_worker_count_finish (JG_STORE_WORKER (object), result, &error);
  g_assert_no_error (error);
}

/* A window lets its worker go as soon as the answer it waited for has
 * come.  The worker's task may still be on its way out on the worker's
 * thread: the worker must then be closed on the caller's thread, not on
 * its own (which would wait for itself to end: GLib aborts).  Many
 * rounds, as the order of the two threads differs from one to the next. */
static void
test_let_go_after_answer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jinguo-worker-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);

  for (guint round = 0; round < 300; round++)
    {
      JgStoreWorker *worker = jg_store_worker_new (path);
      JgStoreWorker *gone = worker;
      gint64 n = -1;

      g_object_add_weak_pointer (G_OBJECT (worker), (gpointer *) &gone);
      jg_store_worker_count_where_async (worker, "household", NULL, NULL, NULL, count_done, &n);
      while (n < 0)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (n, ==, 0);
      g_object_unref (worker);
      while (gone != NULL)
        g_main_context_iteration (NULL, TRUE);
    }

  {
    const char *names[] = { "store.db", "store.db-wal", "store.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *file = g_build_filename (dir, names[i], NULL);

        g_remove (file);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jg/store-worker/let-go-after-answer", test_let_go_after_answer);

  return g_test_run ();
}
