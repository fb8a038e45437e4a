/* jg-profiles.c: the profile stores of the app: one per server and user
 *
 * A profile is a store file in the profiles folder (by default
 * $XDG_DATA_HOME/jinguo/profiles): "local.db" for work that never leaves
 * this computer, "USER@HOST-PORT.db" for a user of a county server.  The
 * folder is the truth; GSettings remembers the order and the last one.
 * Everything here that touches the disk runs in a thread.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "jg-profiles.h"

char *
jg_profiles_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "jinguo", "profiles", NULL);
}

static void
append_safe (GString    *out,
             const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '.' || c == '-' || c == '_')
        g_string_append_unichar (out, c);
      else
        g_string_append_c (out, '_');
    }
}

/* "li@county.example-8443.db": the same user on the same server always
 * gets the same store back, so signing in again carries on. */
char *
jg_profiles_file_name (const char *username,
                       const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  GString *name = g_string_new (NULL);

  append_safe (name, username);
  g_string_append_c (name, '@');
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      append_safe (name, g_uri_get_host (uri));
      if (g_uri_get_port (uri) > 0)
        g_string_append_printf (name, "-%d", g_uri_get_port (uri));
    }
  else
    append_safe (name, server_url);
  g_string_append (name, ".db");
  return g_string_free (name, FALSE);
}

/* A name for another local-only profile. */
char *
jg_profiles_free_name (const char * const *existing)
{
  if (existing == NULL || !g_strv_contains (existing, JG_PROFILES_LOCAL))
    return g_strdup (JG_PROFILES_LOCAL);
  for (guint i = 2; ; i++)
    {
      g_autofree char *name = g_strdup_printf ("local-%u.db", i);

      if (!g_strv_contains (existing, name))
        return g_steal_pointer (&name);
    }
}

char *
jg_profiles_display_name (const char *file_name)
{
  if (g_strcmp0 (file_name, JG_PROFILES_LOCAL) == 0)
    return g_strdup (_("This Computer Only"));
  if (g_str_has_prefix (file_name, "local-") && g_str_has_suffix (file_name, ".db"))
    {
      g_autofree char *n = g_strndup (file_name + 6, strlen (file_name) - 9);

      /* Translators: a second, third… profile that is never synced */
      return g_strdup_printf (_("This Computer Only (%s)"), n);
    }
  if (g_str_has_suffix (file_name, ".db"))
    return g_strndup (file_name, strlen (file_name) - 3);
  return g_strdup (file_name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GDir) dir = g_dir_open (task_data, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* No folder yet: no profile yet. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".db") && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (names, NULL), (GDestroyNotify) g_strfreev);
}

/* The file names of the profiles in @dir, sorted. */
void
jg_profiles_list_async (const char          *dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, jg_profiles_list_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, list_thread);
}

char **
jg_profiles_list_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  if (g_mkdir_with_parents (task_data, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not create the profiles folder %s: %s"),
                               (const char *) task_data, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Creates the profiles folder. */
void
jg_profiles_prepare_async (const char          *dir,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, jg_profiles_prepare_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, prepare_thread);
}

gboolean
jg_profiles_prepare_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  JgStoreWorker *worker;
  char          *path;
} Discard;

static void
discard_free (Discard *d)
{
  g_clear_object (&d->worker);
  g_free (d->path);
  g_free (d);
}

static void
discard_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Discard *d = task_data;
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  /* Closes the store (joins the worker's thread) before removing it. */
  if (d->worker != NULL)
    g_object_run_dispose (G_OBJECT (d->worker));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (d->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_task_return_boolean (task, TRUE);
}

/* Removes a profile store that was made for nothing: a failed sign-in, a
 * cancelled start.  Takes @worker (may be NULL), the one that had it open. */
void
jg_profiles_discard (JgStoreWorker *worker,
                     const char    *path)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  Discard *d = g_new0 (Discard, 1);

  d->worker = worker;
  d->path = g_strdup (path);
  g_task_set_source_tag (task, jg_profiles_discard);
  g_task_set_task_data (task, d, (GDestroyNotify) discard_free);
  g_task_run_in_thread (task, discard_thread);
}

typedef struct
{
  char          *from;
  char          *to;
} Move;

static void
move_free (Move *m)
{
  g_free (m->from);
  g_free (m->to);
  g_free (m);
}

static void
move_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Move *m = task_data;
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (g_file_test (m->to, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_path_get_basename (m->to);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("There is already a profile store called %s"), name);
      return;
    }
  /* Closed by its last connection, a store has no journal left: one
   * still there holds writes of a connection that is open (the command
   * line, say), which the store would lose under another name. */
  for (guint i = 1; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *journal = g_strconcat (m->from, suffixes[i], NULL);
      GStatBuf st;

      if (strcmp (suffixes[i], "-shm") == 0)
        continue;
      /* A connection that has just done its work (the sign-in's own)
       * may still be closing: a moment for it. */
      for (guint tries = 0; tries < 30 && g_stat (journal, &st) == 0 && st.st_size > 0; tries++)
        g_usleep (100 * 1000);
      if (g_stat (journal, &st) == 0 && st.st_size > 0)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                                   _("The profile store %s is open in another program; close it and try again"),
                                   m->from);
          return;
        }
    }
  if (g_rename (m->from, m->to) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not rename the profile store %s: %s"), m->from, g_strerror (saved));
      return;
    }
  for (guint i = 1; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *left = g_strconcat (m->from, suffixes[i], NULL);

      g_unlink (left);
    }
  g_task_return_boolean (task, TRUE);
}

/* Renames the profile store at @from to @to, in the same folder.  Every
 * connection to it must be closed first (jg_store_worker_close_async()):
 * SQLite finds a store's journal by the store's name.  Refused when @to
 * exists, or when a journal shows a connection still open. */
void
jg_profiles_move_async (const char          *from,
                        const char          *to,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Move *m = g_new0 (Move, 1);

  m->from = g_strdup (from);
  m->to = g_strdup (to);
  g_task_set_source_tag (task, jg_profiles_move_async);
  g_task_set_task_data (task, m, (GDestroyNotify) move_free);
  g_task_run_in_thread (task, move_thread);
}

gboolean
jg_profiles_move_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
