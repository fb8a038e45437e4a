/* jg-gui.h: set-up of libjinguo-gui */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void       jg_gui_init         (void);
GSettings *jg_gui_settings_new (void);

G_END_DECLS
