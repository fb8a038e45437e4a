/* jg-application.h: the desktop app */
#pragma once

#include <adwaita.h>

#include "jg-store-worker.h"

G_BEGIN_DECLS

#define JG_TYPE_APPLICATION (jg_application_get_type ())
G_DECLARE_FINAL_TYPE (JgApplication, jg_application, JG, APPLICATION, AdwApplication)

JgApplication *jg_application_new            (void);
const char    *jg_application_get_store_path (JgApplication *self);
JgStoreWorker *jg_application_get_worker     (JgApplication *self);

G_END_DECLS
