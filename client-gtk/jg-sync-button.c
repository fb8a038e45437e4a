/* jg-sync-button.c: the header bar's sync indicator and its popover
 *
 * Shows where this profile stands with its server: local only, offline,
 * syncing, changes waiting, problems (changes the server refused, fields
 * edited in two places) or up to date.  The numbers come from the store
 * worker; the sync itself is JgSyncClient's, in a thread of its own with
 * its own store connection.  It starts on demand, when the network comes
 * back and every few minutes while "auto-sync" is on.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "jg-export.h"
#include "jg-error.h"
#include "jg-gui.h"
#include "jg-json.h"
#include "jg-record.h"
#include "jg-sync-button.h"
#include "jg-sync-client.h"

#define TICK_SECONDS 30

struct _JgSyncButton
{
  AdwBin           parent_instance;

  JgStoreWorker   *worker;
  JgSyncClient    *client;
  GSettings       *settings;
  GNetworkMonitor *monitor;
  gboolean         network_available;

  JsonObject      *status;
  JsonObject      *problems;
  GCancellable    *status_cancellable;
  GCancellable    *problems_cancellable;
  GCancellable    *sync_cancellable;

  gboolean         syncing;
  gboolean         manual;
  gboolean         synced_once;
  guint            pushed;
  guint            pulled;
  char            *last_error;
  gboolean         sign_in_again;  /* the last sync's sign-in was refused */
  const char      *state;
  char            *label_text;

  guint            auto_source;
  guint            tick_source;

  /* Template widgets */
  GtkMenuButton   *menu_button;      /* the bin's child */
  GtkStack        *icon_stack;
  GtkImage        *icon;
  GtkSpinner      *spinner;
  GtkLabel        *label;
  GtkPopover      *popover;         /* owned by menu_button */
  GtkLabel        *title_label;
  GtkLabel        *detail_label;
  GtkProgressBar  *progress_bar;
  GtkLabel        *error_label;
  GtkWidget       *cancel_button;
  GtkWidget       *sign_in_button;
  GtkWidget       *move_button;
  GtkWidget       *problems_scroller;
  GtkWidget       *rejected_heading;
  GtkWidget       *rejected_hint;
  GtkListBox      *rejected_list;
  GtkWidget       *conflicts_heading;
  GtkWidget       *conflicts_hint;
  GtkListBox      *conflict_list;
};

G_DEFINE_FINAL_TYPE (JgSyncButton, jg_sync_button, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_NETWORK_MONITOR,
  PROP_STATE,
  PROP_SYNCING,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void refresh_status (JgSyncButton *self);
static void start_sync     (JgSyncButton *self,
                            gboolean      manual);

/* ---- reading the status ---- */

static gint64
status_int (JgSyncButton *self,
            const char   *member)
{
  if (self->status == NULL || !json_object_has_member (self->status, member))
    return 0;
  return json_object_get_int_member (self->status, member);
}

static const char *
status_string (JgSyncButton *self,
               const char   *member)
{
  if (self->status == NULL)
    return NULL;
  return json_object_get_string_member_with_default (self->status, member, NULL);
}

static gboolean
signed_in (JgSyncButton *self)
{
  return self->status != NULL &&
         json_object_get_boolean_member_with_default (self->status, "signed_in", FALSE);
}

/* "Synced 5 minutes ago" */
static char *
synced_text (const char *iso8601)
{
  g_autoptr(GDateTime) then = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan span;
  int n;

  if (then == NULL)
    return g_strdup (_("Not synced yet"));
  span = g_date_time_difference (now, then);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Synced just now"));
  if (span < G_TIME_SPAN_HOUR)
    {
      n = (int) (span / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d minute ago",
                                           "Synced %d minutes ago", n), n);
    }
  if (span < G_TIME_SPAN_DAY)
    {
      n = (int) (span / G_TIME_SPAN_HOUR);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %d hour ago",
                                           "Synced %d hours ago", n), n);
    }
  local = g_date_time_to_local (then);
  {
    g_autofree char *date = g_date_time_format (local, "%x");

    /* Translators: %s is a date */
    return g_strdup_printf (_("Synced on %s"), date);
  }
}

/* As the lists show it: a choice by its label, yes/no, phones masked
 * outside the record's own form. */
static char *
value_text (const char *entity,
            const char *field,
            JsonNode   *value)
{
  char *text = jg_export_list_value (entity, field, value);

  return text != NULL ? text : g_strdup (_("(empty)"));
}

static const char *
field_name (const char *field)
{
  const char *label = jg_field_label (field);

  return label != NULL ? label : field;
}

/* ---- showing it ---- */

static void
update_actions (JgSyncButton *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.now",
                                 self->worker != NULL && signed_in (self) && !self->syncing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.cancel", self->syncing);
}

static void
set_state (JgSyncButton *self,
           const char   *state,
           const char   *icon_name,
           char         *label)    /* (transfer full) */
{
  gtk_label_set_text (self->label, label);
  g_free (self->label_text);
  self->label_text = label;
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_stack_set_visible_child_name (self->icon_stack, icon_name ? "icon" : "spinner");
  gtk_spinner_set_spinning (self->spinner, icon_name == NULL);

  if (g_strcmp0 (self->state, state) != 0)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
update_ui (JgSyncButton *self)
{
  gint64 pending = status_int (self, "pending");
  gint64 problems = status_int (self, "rejected_records") + status_int (self, "conflicts");
  const char *server = status_string (self, "server_url");
  g_autofree char *synced = synced_text (status_string (self, "last_sync"));
  g_autofree char *waiting = NULL;
  g_autofree char *detail = NULL;

  if (pending > 0)
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " change waiting to be sent",
                                            "%" PRId64 " changes waiting to be sent", pending), pending);
  else
    waiting = g_strdup (_("Every change has been sent"));

  if (self->syncing)
    {
      char *progress;

      if (self->pushed == 0 && self->pulled == 0)
        progress = g_strdup (_("Syncing…"));
      else
        /* Translators: while syncing; the numbers of changes */
        progress = g_strdup_printf (_("Syncing… %u sent, %u received"), self->pushed, self->pulled);
      set_state (self, "syncing", NULL, progress);
      gtk_label_set_text (self->title_label, progress);
      detail = g_strdup_printf ("%s · %s", server ? server : "", waiting);
    }
  else if (!signed_in (self))
    {
      set_state (self, "local-only", "computer-symbolic", g_strdup (_("Local only")));
      gtk_label_set_text (self->title_label, _("Local only"));
      if (server != NULL)
        /* Translators: %s is the server's address */
        detail = g_strdup_printf (_("Signed out of %s. The records stay on this computer until you sign in again."), server);
      else if (self->status != NULL && json_object_get_boolean_member_with_default (self->status, "demo", FALSE))
        detail = g_strdup (_("This profile holds demo data: it stays on this computer and is never sent to a server."));
      else
        detail = g_strdup (_("This profile is not connected to a server: its records stay on this computer."));
    }
  else if (!self->network_available)
    {
      set_state (self, "offline", "network-offline-symbolic", g_strdup (_("Offline")));
      gtk_label_set_text (self->title_label, _("Offline"));
      detail = g_strdup_printf ("%s · %s", synced, waiting);
    }
  else if (problems > 0)
    {
      char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " problem",
                                                 "%" PRId64 " problems", problems), problems);

      set_state (self, "problems", "dialog-warning-symbolic", text);
      gtk_label_set_text (self->title_label, _("Some changes need attention"));
      detail = g_strdup_printf ("%s · %s", synced, waiting);
    }
  else if (pending > 0)
    {
      set_state (self, "pending", "emblem-synchronizing-symbolic",
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " change waiting",
                                               "%" PRId64 " changes waiting", pending), pending));
      gtk_label_set_text (self->title_label, self->label_text);
      detail = g_strdup_printf ("%s · %s", synced, server ? server : "");
    }
  else if (self->last_error != NULL)
    {
      set_state (self, "failed", "dialog-error-symbolic", g_strdup (_("Sync failed")));
      gtk_label_set_text (self->title_label, _("The last sync failed"));
      detail = g_strdup_printf ("%s · %s", synced, server ? server : "");
    }
  else
    {
      set_state (self, "up-to-date", "emblem-ok-symbolic", g_strdup (synced));
      gtk_label_set_text (self->title_label, _("Up to date"));
      detail = g_strdup_printf ("%s · %s", synced, server ? server : "");
    }

  gtk_label_set_text (self->detail_label, detail);
  jg_gui_set_tooltip (GTK_WIDGET (self->menu_button), detail);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->syncing);
  gtk_widget_set_visible (self->cancel_button, self->syncing);
  gtk_label_set_text (self->error_label, self->last_error ? self->last_error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), self->last_error != NULL && !self->syncing);
  /* Signed out, or refused by the server: the same user signs in again.
   * Never signed in: the records can go to a server from now on, unless
   * they are made up. */
  gtk_widget_set_visible (self->sign_in_button,
                          !self->syncing && ((self->sign_in_again && self->last_error != NULL) ||
                                             (self->status != NULL && !signed_in (self) && server != NULL)));
  gtk_widget_set_visible (self->move_button,
                          !self->syncing && self->status != NULL && !signed_in (self) && server == NULL &&
                          !json_object_get_boolean_member_with_default (self->status, "demo", FALSE));
  update_actions (self);
}

/* A revoked or expired sign-in: the account page, filled in with the
 * server and user name of this profile, so that only the password is
 * asked again.  Signing in again keeps the profile and its records. */
static void
sign_in_clicked_cb (JgSyncButton *self)
{
  const char *url = status_string (self, "server_url");
  const char *username = status_string (self, "username");

  gtk_menu_button_popdown (self->menu_button);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sign-in", "(ss)", url ? url : "", username ? username : "");
}

static void
move_clicked_cb (JgSyncButton *self)
{
  gtk_menu_button_popdown (self->menu_button);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.move-to-server", NULL);
}

static void
open_record_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  JgSyncButton *self = user_data;
  const char *entity = g_object_get_data (G_OBJECT (button), "entity");
  const char *id = g_object_get_data (G_OBJECT (button), "record");

  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[OPEN_RECORD], 0, entity, id);
}

static GtkWidget *
problem_row (JgSyncButton *self,
             const char   *title,
             const char   *subtitle,
             const char   *entity,
             const char   *record)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  /* A record the device no longer holds has no button. */
  if (record == NULL)
    return row;

  button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  jg_gui_set_tooltip (button, _("Open the record to correct it"));
  g_object_set_data_full (G_OBJECT (button), "entity", g_strdup (entity), g_free);
  g_object_set_data_full (G_OBJECT (button), "record", g_strdup (record), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (open_record_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void refresh_problems (JgSyncButton *self);
static void show_toast       (JgSyncButton *self,
                              const char   *message);

static void
dismiss_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgSyncButton) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The count follows the worker's "changed"; the list is read again. */
  if (jg_store_worker_dismiss_conflict_finish (JG_STORE_WORKER (object), result, &error) < 0)
    show_toast (self, error->message);
  refresh_problems (self);
}

static void
dismiss_clicked_cb (GtkButton    *button,
                    JgSyncButton *self)
{
  if (self->worker == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  jg_store_worker_dismiss_conflict_async (self->worker, g_object_get_data (G_OBJECT (button), "jg-conflict"),
                                          NULL, dismiss_cb, g_object_ref (self));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* The row of one refused change, or of several of one record refused for
 * the same reason (@group: their objects of jg_sync_list_rejected()). */
static GtkWidget *
rejected_row (JgSyncButton *self,
              GPtrArray    *group)
{
  JsonObject *r = group->pdata[0];
  const char *field = json_object_get_string_member_with_default (r, "field", "");
  const char *entity = json_object_get_string_member_with_default (r, "entity", "");
  const char *record_title = json_object_get_string_member_with_default (r, "title", NULL);
  const char *reason = json_object_get_string_member_with_default (r, "reason", NULL);
  g_autofree char *value = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *gone_subtitle = NULL;
  gboolean gone = json_object_get_boolean_member_with_default (r, "gone", FALSE);
  GtkWidget *row;

  if (group->len == 1)
    {
      value = value_text (entity, field, json_object_get_member (r, "value"));
      title = g_strdup_printf ("%s · %s", jg_entity_label (entity), jg_field_label (field) ? jg_field_label (field) : field);
      /* The reason in the reader's language, from the refusal's code; the
       * server's own words (in its language) when this version does not
       * know the code. */
      subtitle = reason
        /* Translators: the value sent, then why it was refused */
        ? g_strdup_printf (_("“%s” was refused: %s"), value, reason)
        /* Translators: the value sent, then the server's reason: its code and message */
        : g_strdup_printf (_("“%s” was refused (%s): %s"), value,
                           json_object_get_string_member_with_default (r, "code", ""),
                           json_object_get_string_member_with_default (r, "message", ""));
    }
  else
    {
      g_autoptr(GString) fields = g_string_new (NULL);

      for (guint i = 0; i < group->len; i++)
        {
          const char *name = json_object_get_string_member_with_default (group->pdata[i], "field", "");
          const char *label = jg_field_label (name) ? jg_field_label (name) : name;

          /* The record has left the area: the values sent are all this
           * computer holds of it, one a line. */
          if (gone)
            {
              g_autofree char *sent = value_text (entity, name, json_object_get_member (group->pdata[i], "value"));

              if (i > 0)
                g_string_append_c (fields, '\n');
              /* Translators: a field of a record and the value sent, in a list of them */
              g_string_append_printf (fields, _("%s: “%s”"), label, sent);
              continue;
            }
          if (i > 0)
            /* Translators: between the names of fields in a list */
            g_string_append (fields, _(", "));
          g_string_append (fields, label);
        }
      title = record_title != NULL && *record_title != '\0'
              ? g_strdup_printf ("%s · %s", jg_entity_label (entity), record_title)
              : g_strdup (jg_entity_label (entity));
      if (gone)
        /* Translators: why a record's values were refused, then the values, a line each */
        subtitle = g_strdup_printf (_("Refused: %s\n%s"),
                                    reason ? reason : json_object_get_string_member_with_default (r, "message", ""),
                                    fields->str);
      else
        subtitle = reason
          /* Translators: the fields of a record sent (a list), then why they were refused */
          ? g_strdup_printf (_("%s were refused: %s"), fields->str, reason)
          /* Translators: the fields of a record sent (a list), then the server's reason: its code and message */
          : g_strdup_printf (_("%s were refused (%s): %s"), fields->str,
                             json_object_get_string_member_with_default (r, "code", ""),
                             json_object_get_string_member_with_default (r, "message", ""));
    }

  /* The record left the user's area since: nothing to open, the value is
   * what is left of the edit. */
  if (gone && group->len == 1)
    /* Translators: a refused value (first line) whose record was moved out of the user's area since */
    gone_subtitle = g_strdup_printf (_("%s\nThe record has left your area since: give this value to whoever keeps it now"),
                                     subtitle);
  else if (gone)
    /* Translators: refused values (the lines before) whose record was moved out of the user's area since */
    gone_subtitle = g_strdup_printf (_("%s\nThe record has left your area since: give these values to whoever keeps it now"),
                                     subtitle);
  row = problem_row (self, title, gone ? gone_subtitle : subtitle, entity,
                     gone ? NULL : json_object_get_string_member_with_default (r, "record", ""));

  /* The server's own words, for whoever reads its language. */
  if (reason != NULL)
    jg_gui_set_tooltip (row, json_object_get_string_member_with_default (r, "message", ""));
  return row;
}

static void
update_problems (JgSyncButton *self)
{
  JsonArray *rejected = NULL, *conflicts = NULL;
  guint n_rejected = 0, n_conflicts = 0;

  clear_list (self->rejected_list);
  clear_list (self->conflict_list);

  if (self->problems != NULL)
    {
      rejected = json_object_get_array_member (self->problems, "rejected");
      conflicts = json_object_get_array_member (self->problems, "conflicts");
      n_rejected = rejected ? json_array_get_length (rejected) : 0;
      n_conflicts = conflicts ? json_array_get_length (conflicts) : 0;
    }

  /* A record refused whole (out of the user's area, say) is one row that
   * names its fields, not a row for each of them. */
  {
    g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

    for (guint i = 0; i < n_rejected; i++)
      {
        JsonObject *r = json_array_get_object_element (rejected, i);
        /* The same record refused for the same reason: the reason is
         * worded from the code and the field it names (jg_error_reason()),
         * as jg_store_sync_status() counts "rejected_records". */
        g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%s",
                                                json_object_get_string_member_with_default (r, "record", ""),
                                                json_object_get_string_member_with_default (r, "code", ""),
                                                json_object_get_string_member_with_default (r, "reason_field", ""));
        GPtrArray *group = g_hash_table_lookup (groups, key);

        if (group == NULL)
          {
            group = g_ptr_array_new ();
            g_ptr_array_add (order, group);
            g_hash_table_insert (groups, g_steal_pointer (&key), group);
          }
        g_ptr_array_add (group, r);
      }
    for (guint i = 0; i < order->len; i++)
      gtk_list_box_append (self->rejected_list, rejected_row (self, order->pdata[i]));
  }

  for (guint i = 0; i < n_conflicts; i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);
      JsonArray *values = json_object_get_array_member (c, "values");
      const char *field = json_object_get_string_member_with_default (c, "field", "");
      const char *entity = json_object_get_string_member_with_default (c, "entity", "");
      const char *record_title = json_object_get_string_member_with_default (c, "title", NULL);
      /* A soft conflict is two fields of one record edited apart: each
       * value is said under its own field, and the heading names none. */
      gboolean hard = g_strcmp0 (json_object_get_string_member_with_default (c, "kind", "hard"), "hard") == 0;
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (hard)
        title = record_title
          ? g_strdup_printf ("%s · %s · %s", jg_entity_label (entity), record_title, field_name (field))
          : g_strdup_printf ("%s · %s", jg_entity_label (entity), field_name (field));
      else
        title = g_strdup_printf ("%s · %s", jg_entity_label (entity),
                                 record_title ? record_title : json_object_get_string_member_with_default (c, "record", ""));

      for (guint v = 0; values != NULL && v < json_array_get_length (values); v++)
        {
          JsonObject *side = json_array_get_object_element (values, v);
          const char *side_field = json_object_get_string_member_with_default (side, "field", field);
          g_autofree char *value = value_text (entity, side_field, json_object_get_member (side, "value"));
          JsonNode *author = json_object_get_member (side, "author");
          const char *who = author && JSON_NODE_HOLDS_VALUE (author) ? json_node_get_string (author) : NULL;
          g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (
            json_object_get_string_member_with_default (side, "at", ""), NULL);
          g_autoptr(GDateTime) local = at ? g_date_time_to_local (at) : NULL;
          g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");

          if (v > 0)
            g_string_append_c (subtitle, '\n');
          if (hard)
            /* Translators: a value of a field edited in two places, who set it and when */
            g_string_append_printf (subtitle, _("“%s” by %s, %s"), value,
                                    who ? who : _("someone unknown"), when);
          else
            /* Translators: a field, the value set, who set it and when */
            g_string_append_printf (subtitle, _("%s: “%s” by %s, %s"), field_name (side_field), value,
                                    who ? who : _("someone unknown"), when);
        }
      {
        GtkWidget *row = problem_row (self, title, subtitle->str, entity,
                                      json_object_get_string_member_with_default (c, "record", ""));

        /* Nothing to decide in a soft conflict or an edit that met a
         * deletion: whoever has seen it may dismiss it, village staff
         * too (they have no conflicts page). */
        if (!hard)
          {
            GtkWidget *button = gtk_button_new_with_mnemonic (_("_Dismiss"));

            gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
            gtk_widget_set_name (button, "dismiss");
            jg_gui_set_tooltip (button, _("Mark as seen: it leaves this page and the sync count"));
            g_object_set_data_full (G_OBJECT (button), "jg-conflict",
                                    g_strdup (json_object_get_string_member (c, "id")), g_free);
            g_signal_connect (button, "clicked", G_CALLBACK (dismiss_clicked_cb), self);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          }
        gtk_list_box_append (self->conflict_list, row);
      }
    }

  gtk_widget_set_visible (self->problems_scroller, n_rejected + n_conflicts > 0);
  gtk_widget_set_visible (self->rejected_heading, n_rejected > 0);
  gtk_widget_set_visible (self->rejected_hint, n_rejected > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_list), n_rejected > 0);
  gtk_widget_set_visible (self->conflicts_heading, n_conflicts > 0);
  gtk_widget_set_visible (self->conflicts_hint, n_conflicts > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_list), n_conflicts > 0);
}

static void
show_toast (JgSyncButton *self,
            const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

/* ---- the store's side ---- */

static void
problems_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) problems = jg_store_worker_sync_problems_finish (JG_STORE_WORKER (object), result, &error);
  JgSyncButton *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_SYNC_BUTTON (user_data);
  g_clear_object (&self->problems_cancellable);
  if (problems == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->problems, json_object_unref);
  self->problems = g_steal_pointer (&problems);
  update_problems (self);
}

static void
refresh_problems (JgSyncButton *self)
{
  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->problems_cancellable);
  g_clear_object (&self->problems_cancellable);
  self->problems_cancellable = g_cancellable_new ();
  jg_store_worker_sync_problems_async (self->worker, self->problems_cancellable, problems_cb, self);
}

static void
unschedule (JgSyncButton *self)
{
  g_clear_handle_id (&self->auto_source, g_source_remove);
}

static gboolean
auto_sync_cb (gpointer user_data)
{
  JgSyncButton *self = user_data;

  if (self->network_available)
    start_sync (self, FALSE);
  return G_SOURCE_CONTINUE;
}

static gboolean
auto_sync_enabled (JgSyncButton *self)
{
  return self->settings != NULL && g_settings_get_boolean (self->settings, "auto-sync");
}

static void
schedule (JgSyncButton *self)
{
  guint minutes;

  unschedule (self);
  if (!auto_sync_enabled (self) || !signed_in (self))
    return;
  minutes = g_settings_get_uint (self->settings, "sync-interval");
  self->auto_source = g_timeout_add_seconds (MAX (minutes, 1) * 60, auto_sync_cb, self);
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = jg_store_worker_sync_status_finish (JG_STORE_WORKER (object), result, &error);
  JgSyncButton *self;
  gboolean was_signed_in, had_problems;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_SYNC_BUTTON (user_data);
  g_clear_object (&self->status_cancellable);
  if (status == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  was_signed_in = signed_in (self);
  had_problems = self->problems != NULL;
  g_clear_pointer (&self->status, json_object_unref);
  self->status = g_steal_pointer (&status);

  if (was_signed_in != signed_in (self))
    schedule (self);
  if (status_int (self, "rejected") + status_int (self, "conflicts") > 0 || had_problems)
    refresh_problems (self);
  update_ui (self);

  /* A profile that is signed in syncs once when it opens. */
  if (!self->synced_once && signed_in (self) && auto_sync_enabled (self) && self->network_available)
    start_sync (self, FALSE);
}

static void
refresh_status (JgSyncButton *self)
{
  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->status_cancellable);
  g_clear_object (&self->status_cancellable);
  self->status_cancellable = g_cancellable_new ();
  jg_store_worker_sync_status_async (self->worker, self->status_cancellable, status_cb, self);
}

static void
worker_changed_cb (JgSyncButton  *self,
                   const char    *entity,
                   JgStoreWorker *worker)
{
  /* A write adds changes to send; sign-out drops the token. */
  refresh_status (self);
}

/* ---- syncing ---- */

static void
progress_cb (JgSyncButton *self,
             const char   *phase,
             guint         pushed,
             guint         pulled,
             JgSyncClient *client)
{
  if (!self->syncing)
    return;
  self->pushed = pushed;
  self->pulled = pulled;
  gtk_progress_bar_pulse (self->progress_bar);
  update_ui (self);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  static const char * const entities[] = { "activity", "volunteer", "household", "award",
                                           "service_entry", "redemption", "inspection", "designation" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = jg_sync_client_sync_finish (JG_SYNC_CLIENT (object), result, &error);
  JgSyncButton *self;
  gint64 pulled = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JG_SYNC_BUTTON (user_data);
  g_clear_object (&self->sync_cancellable);
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);

  g_clear_pointer (&self->last_error, g_free);
  self->sign_in_again = FALSE;
  if (summary == NULL)
    {
      self->last_error = g_strdup (error->message);
      self->sign_in_again = g_error_matches (error, JG_ERROR, JG_ERROR_UNAUTHORIZED);
      /* Automatic attempts fail quietly into the indicator; a click
       * deserves an answer. */
      if (self->manual)
        show_toast (self, error->message);
    }
  else
    {
      gint64 snapshot = 0, removed = 0;

      jg_json_get_int (summary, "pulled", &pulled);
      jg_json_get_int (summary, "snapshot", &snapshot);
      jg_json_get_int (summary, "removed", &removed);
      /* The sync wrote with its own connection: the lists reread.  A new
       * device's first sync receives records as a snapshot; records a
       * reviewer moved to another unit leave. */
      if (pulled > 0 || snapshot > 0 || removed > 0)
        for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
          jg_store_worker_notify_changed (self->worker, entities[i]);
    }
  update_ui (self);
  refresh_status (self);
}

static void
start_sync (JgSyncButton *self,
            gboolean      manual)
{
  if (self->syncing || self->worker == NULL || !signed_in (self))
    return;

  if (self->client == NULL)
    {
      self->client = jg_sync_client_new (jg_store_worker_get_path (self->worker));
      g_signal_connect_object (self->client, "progress", G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
    }
  self->syncing = TRUE;
  self->synced_once = TRUE;
  self->manual = manual;
  self->pushed = 0;
  self->pulled = 0;
  self->sync_cancellable = g_cancellable_new ();
  jg_sync_client_sync_async (self->client, self->sync_cancellable, sync_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  update_ui (self);
}

static void
cancel_sync (JgSyncButton *self)
{
  if (!self->syncing)
    return;
  /* The thread stops at its next step; what it saved stays saved. */
  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  update_ui (self);
  refresh_status (self);
}

static void
network_changed_cb (JgSyncButton    *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  gboolean came_back = available && !self->network_available;

  self->network_available = available;
  update_ui (self);
  if (came_back && auto_sync_enabled (self))
    start_sync (self, FALSE);
}

static void
settings_changed_cb (JgSyncButton *self,
                     const char   *key,
                     GSettings    *settings)
{
  schedule (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  JgSyncButton *self = user_data;

  /* "Synced 2 minutes ago" gets older. */
  update_ui (self);
  return G_SOURCE_CONTINUE;
}

static void
popover_show_cb (JgSyncButton *self,
                 GtkPopover   *popover)
{
  refresh_status (self);
  refresh_problems (self);
}

/* ---- actions ---- */

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  start_sync (JG_SYNC_BUTTON (widget), TRUE);
}

static void
sync_cancel_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  cancel_sync (JG_SYNC_BUTTON (widget));
}

/* ---- the object ---- */

static void
jg_sync_button_dispose (GObject *object)
{
  JgSyncButton *self = (JgSyncButton *)object;

  g_cancellable_cancel (self->status_cancellable);
  g_cancellable_cancel (self->problems_cancellable);
  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->status_cancellable);
  g_clear_object (&self->problems_cancellable);
  g_clear_object (&self->sync_cancellable);
  g_clear_handle_id (&self->auto_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->worker);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_SYNC_BUTTON);

  G_OBJECT_CLASS (jg_sync_button_parent_class)->dispose (object);
}

static void
jg_sync_button_finalize (GObject *object)
{
  JgSyncButton *self = (JgSyncButton *)object;

  g_clear_pointer (&self->status, json_object_unref);
  g_clear_pointer (&self->problems, json_object_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->label_text, g_free);

  G_OBJECT_CLASS (jg_sync_button_parent_class)->finalize (object);
}

static void
jg_sync_button_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgSyncButton *self = JG_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_sync_button_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgSyncButton *self = JG_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      jg_sync_button_set_worker (self, g_value_get_object (value));
      break;

    case PROP_NETWORK_MONITOR:
      jg_sync_button_set_network_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_sync_button_class_init (JgSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_sync_button_dispose;
  object_class->finalize = jg_sync_button_finalize;
  object_class->get_property = jg_sync_button_get_property;
  object_class->set_property = jg_sync_button_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL,
                         G_TYPE_NETWORK_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* "local-only", "offline", "syncing", "problems", "pending", "failed",
   * "up-to-date" */
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgSyncButton::open-record:
   * @entity: the record type
   * @id: the record
   *
   * The user wants to correct a record the server refused a change of.
   */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-sync-button.ui");
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, icon);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, label);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, title_label);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, detail_label);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, move_button);
  gtk_widget_class_bind_template_callback (widget_class, move_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, problems_scroller);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, rejected_heading);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, rejected_hint);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, rejected_list);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, conflicts_heading);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, conflicts_hint);
  gtk_widget_class_bind_template_child (widget_class, JgSyncButton, conflict_list);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);

  gtk_widget_class_install_action (widget_class, "sync.now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "sync.cancel", NULL, sync_cancel_action);
}

static void
jg_sync_button_init (JgSyncButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
  /* Not template children: AdwBin unparents its child itself. */
  self->menu_button = GTK_MENU_BUTTON (adw_bin_get_child (ADW_BIN (self)));
  self->popover = gtk_menu_button_get_popover (self->menu_button);

  self->settings = jg_gui_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::auto-sync",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::sync-interval",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  jg_sync_button_set_network_monitor (self, g_network_monitor_get_default ());
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  update_ui (self);
}

JgStoreWorker *
jg_sync_button_get_worker (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->worker;
}

void
jg_sync_button_set_worker (JgSyncButton  *self,
                           JgStoreWorker *worker)
{
  g_return_if_fail (JG_IS_SYNC_BUTTON (self));
  g_return_if_fail (!worker || JG_IS_STORE_WORKER (worker));

  if (self->worker == worker)
    return;

  cancel_sync (self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);
  g_clear_object (&self->client);
  g_clear_pointer (&self->status, json_object_unref);
  g_clear_pointer (&self->problems, json_object_unref);
  g_clear_pointer (&self->last_error, g_free);
  self->synced_once = FALSE;
  if (worker != NULL)
    g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);

  update_problems (self);
  update_ui (self);
  schedule (self);
  refresh_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

GNetworkMonitor *
jg_sync_button_get_network_monitor (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->monitor;
}

/* Tests give a monitor whose network comes and goes on demand. */
void
jg_sync_button_set_network_monitor (JgSyncButton    *self,
                                    GNetworkMonitor *monitor)
{
  g_return_if_fail (JG_IS_SYNC_BUTTON (self));
  g_return_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  self->network_available = monitor == NULL || g_network_monitor_get_network_available (monitor);
  if (monitor != NULL)
    g_signal_connect_object (monitor, "network-changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  update_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
}

const char *
jg_sync_button_get_state (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->state;
}

/* The text beside the icon in the header bar. */
const char *
jg_sync_button_get_label (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->label_text;
}

gboolean
jg_sync_button_get_syncing (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), FALSE);

  return self->syncing;
}

/* The last status read from the store (jg_store_worker_sync_status_async()),
 * or NULL before the first. */
JsonObject *
jg_sync_button_get_status (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->status;
}

JsonObject *
jg_sync_button_get_problems (JgSyncButton *self)
{
  g_return_val_if_fail (JG_IS_SYNC_BUTTON (self), NULL);

  return self->problems;
}

void
jg_sync_button_sync_now (JgSyncButton *self)
{
  g_return_if_fail (JG_IS_SYNC_BUTTON (self));

  start_sync (self, TRUE);
}

/* Rereads the status and the problems from the store. */
void
jg_sync_button_refresh (JgSyncButton *self)
{
  g_return_if_fail (JG_IS_SYNC_BUTTON (self));

  refresh_status (self);
  refresh_problems (self);
}
