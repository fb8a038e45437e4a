/* jg-gui.h: set-up of libjinguo-gui */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       jg_gui_init         (void);
GSettings *jg_gui_settings_new (void);

void       jg_gui_set_tooltip       (GtkWidget  *widget,
                                     const char *text);
void       jg_gui_fix_tooltips      (GtkWidget  *root);
gboolean   jg_gui_show_tooltip      (GtkWidget  *widget,
                                     GtkTooltip *tooltip,
                                     const char *text);
GtkLabel  *jg_gui_get_tooltip_label (GtkWidget  *widget);

G_END_DECLS
