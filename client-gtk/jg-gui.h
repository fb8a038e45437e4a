/* jg-gui.h: set-up of libjinguo-gui */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void jg_gui_init (void);

G_END_DECLS
