/* jg-window-private.h: what jg-window.c and jg-window-actions.c share */
#pragma once

#include "jg-conflicts-page.h"
#include "jg-overview-page.h"
#include "jg-review-page.h"
#include "jg-sync-button.h"
#include "jg-window.h"

G_BEGIN_DECLS

struct _JgWindow
{
  AdwApplicationWindow  parent_instance;

  JgStoreWorker        *worker;
  GSettings            *settings;
  GtkWindow            *form;            /* the open record form, until destroyed */
  GtkWindow            *preferences;     /* the preferences, until destroyed */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  JgSyncButton         *sync_button;
  GMenu                *profile_section;
  AdwViewStack         *stack;
  JgRecordPage         *activity_page;
  JgRecordPage         *volunteer_page;
  JgRecordPage         *household_page;
  JgRecordPage         *award_page;
  JgReviewPage         *review_page;
  JgConflictsPage      *conflicts_page;
  JgOverviewPage       *overview_page;
  GCancellable         *actor_cancellable;
  gboolean              reviewer;
  char                 *wanted_page; /* the last page of the session before, not there yet */
};

void _jg_window_class_actions_init (JgWindowClass *klass);
void _jg_window_actions_update     (JgWindow      *self);
GType _jg_window_form_type         (const char    *entity);

G_END_DECLS
