/* jg-window-actions.c: the window's actions and when they are enabled */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-window-private.h"

static void
jg_window_actions_new_record (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  JgWindow *self = JG_WINDOW (widget);
  JgRecordPage *page = jg_window_get_visible_page (self);

  if (page != NULL)
    jg_window_open_form (self, jg_record_page_get_entity (page), NULL);
}

static void
jg_window_actions_search (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  JgRecordPage *page = jg_window_get_visible_page (JG_WINDOW (widget));

  if (page != NULL)
    jg_record_page_focus_search (page);
}

static void
jg_window_actions_show_page (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  jg_window_set_visible_page (JG_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
jg_window_actions_preferences (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  jg_window_show_preferences (JG_WINDOW (widget));
}

void
_jg_window_class_actions_init (JgWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.new-record", NULL,
                                   jg_window_actions_new_record);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   jg_window_actions_search);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   jg_window_actions_show_page);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL,
                                   jg_window_actions_preferences);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "activity");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "volunteer");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "household");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "award");
}

/* The one place that decides which actions can run now. */
void
_jg_window_actions_update (JgWindow *self)
{
  JgRecordPage *page = jg_window_get_visible_page (self);
  const char *entity = page ? jg_record_page_get_entity (page) : NULL;
  gboolean has_worker = self->worker != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-record",
                                 has_worker && self->form == NULL &&
                                 _jg_window_form_type (entity) != G_TYPE_INVALID);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", has_worker && page != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", has_worker);
}
