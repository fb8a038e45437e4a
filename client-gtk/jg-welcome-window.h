/* jg-welcome-window.h: first start, and adding a profile */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JG_TYPE_WELCOME_WINDOW (jg_welcome_window_get_type ())
G_DECLARE_FINAL_TYPE (JgWelcomeWindow, jg_welcome_window, JG, WELCOME_WINDOW, AdwApplicationWindow)

JgWelcomeWindow *jg_welcome_window_new              (GtkApplication  *application,
                                                     const char      *profiles_dir);
const char      *jg_welcome_window_get_profiles_dir (JgWelcomeWindow *self);
gboolean         jg_welcome_window_get_busy         (JgWelcomeWindow *self);
void             jg_welcome_window_sign_in_again    (JgWelcomeWindow *self,
                                                     const char      *path,
                                                     const char      *url,
                                                     const char      *username);
void             jg_welcome_window_sign_in_local    (JgWelcomeWindow *self,
                                                     const char      *path);

G_END_DECLS
