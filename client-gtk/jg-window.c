/* jg-window.c: the main window: one page per record type */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jg-activity-form.h"
#include "jg-award-form.h"
#include "jg-form.h"
#include "jg-gui.h"
#include "jg-household-form.h"
#include "jg-preferences-window.h"
#include "jg-review.h"
#include "jg-volunteer-form.h"
#include "jg-window-private.h"

G_DEFINE_FINAL_TYPE (JgWindow, jg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
_jg_window_form_type (const char *entity)
{
  if (g_strcmp0 (entity, "activity") == 0)
    return JG_TYPE_ACTIVITY_FORM;
  if (g_strcmp0 (entity, "household") == 0)
    return JG_TYPE_HOUSEHOLD_FORM;
  if (g_strcmp0 (entity, "volunteer") == 0)
    return JG_TYPE_VOLUNTEER_FORM;
  if (g_strcmp0 (entity, "award") == 0)
    return JG_TYPE_AWARD_FORM;
  return G_TYPE_INVALID;
}

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.jinguo.Jinguo", TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
visible_child_changed_cb (JgWindow     *self,
                          GParamSpec   *pspec,
                          AdwViewStack *stack)
{
  _jg_window_actions_update (self);
}

static void
activate_record_cb (JgWindow     *self,
                    JgRecord     *record,
                    JgRecordPage *page)
{
  jg_window_open_form (self, jg_record_get_entity (record), jg_record_get_id (record));
}

/* "Saved" alone would hide that the record went to a reviewer. */
static void
form_saved_cb (JgWindow   *self,
               const char *id,
               GtkWindow  *form)
{
  jg_window_add_toast (self, jg_form_was_submitted (GTK_WIDGET (form)) ? _("Submitted for review") : _("Saved"));
}

static void
form_destroy_cb (JgWindow  *self,
                 GtkWindow *form)
{
  if (self->form != form)
    return;
  self->form = NULL;
  _jg_window_actions_update (self);
}

static void
sync_open_record_cb (JgWindow     *self,
                     const char   *entity,
                     const char   *id,
                     JgSyncButton *button)
{
  if (_jg_window_form_type (entity) == G_TYPE_INVALID)
    {
      /* Inspections and time bank entries have no page of their own. */
      jg_window_add_toast (self, _("Open it from its household or volunteer"));
      return;
    }
  jg_window_open_form (self, entity, id);
}

static GtkWidget *
add_page (JgWindow   *self,
          GtkWidget  *child,
          const char *name,
          const char *title,
          const char *icon_name)
{
  AdwViewStackPage *page = adw_view_stack_add_titled (self->stack, child, name, title);

  adw_view_stack_page_set_icon_name (page, icon_name);
  return child;
}

/* Added and removed rather than hidden: libadwaita 1.2's view switchers
 * trip over hidden pages when the window goes away. */
static void
set_review_pages (JgWindow *self,
                  gboolean  shown)
{
  if (shown && self->review_page == NULL)
    {
      self->review_page = JG_REVIEW_PAGE (add_page (self, g_object_new (JG_TYPE_REVIEW_PAGE, "worker", self->worker, NULL),
                                                    "review", _("Review"), "object-select-symbolic"));
      self->conflicts_page = JG_CONFLICTS_PAGE (add_page (self, g_object_new (JG_TYPE_CONFLICTS_PAGE, "worker", self->worker, NULL),
                                                          "conflicts", _("Conflicts"), "dialog-warning-symbolic"));
      self->overview_page = JG_OVERVIEW_PAGE (add_page (self, g_object_new (JG_TYPE_OVERVIEW_PAGE, "worker", self->worker, NULL),
                                                        "overview", _("Overview"), "x-office-spreadsheet-symbolic"));
      if (self->wanted_page != NULL &&
          adw_view_stack_get_child_by_name (self->stack, self->wanted_page) != NULL)
        adw_view_stack_set_visible_child_name (self->stack, self->wanted_page);
    }
  else if (!shown && self->review_page != NULL)
    {
      adw_view_stack_remove (self->stack, GTK_WIDGET (g_steal_pointer (&self->review_page)));
      adw_view_stack_remove (self->stack, GTK_WIDGET (g_steal_pointer (&self->conflicts_page)));
      adw_view_stack_remove (self->stack, GTK_WIDGET (g_steal_pointer (&self->overview_page)));
    }
  /* Only the first answer after the window opened restores the page. */
  g_clear_pointer (&self->wanted_page, g_free);
}

/* Reviewer roles, and the local user of a local-only profile (who reviews
 * her own unit), get the review, conflicts and overview pages. */
static JsonNode *
actor_func (JgStore            *store,
            gpointer            data,
            JgDemoProgressFunc  report,
            gpointer            report_data,
            GCancellable       *cancellable,
            GError            **error)
{
  g_auto(JgActor) actor = { 0 };
  JsonNode *node;

  if (!jg_review_get_actor (store, &actor, error))
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (node, actor.local_only || jg_review_role_is_reviewer (actor.role));
  return node;
}

static void
actor_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->actor_cancellable);
  if (node == NULL)
    {
      jg_window_add_toast (self, error->message);
      return;
    }
  self->reviewer = json_node_get_boolean (node);
  set_review_pages (self, self->reviewer);
  _jg_window_actions_update (self);
}

static void
update_reviewer (JgWindow *self)
{
  if (self->worker == NULL)
    return;
  g_cancellable_cancel (self->actor_cancellable);
  g_clear_object (&self->actor_cancellable);
  self->actor_cancellable = g_cancellable_new ();
  jg_store_worker_run_async (self->worker, actor_func, NULL, NULL, NULL, NULL, NULL,
                             self->actor_cancellable, actor_cb, g_object_ref (self));
}

static void
worker_changed_cb (JgWindow      *self,
                   const char    *entity,
                   JgStoreWorker *worker)
{
  /* Signing in or out changes the role. */
  if (g_strcmp0 (entity, "sync") == 0)
    update_reviewer (self);
}

static void
jg_window_constructed (GObject *object)
{
  JgWindow *self = (JgWindow *)object;
  JgRecordPage *pages[] = { self->activity_page, self->volunteer_page,
                            self->household_page, self->award_page };

  G_OBJECT_CLASS (jg_window_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    jg_record_page_set_worker (pages[i], self->worker);
  jg_sync_button_set_worker (self->sync_button, self->worker);
  if (self->worker != NULL)
    g_signal_connect_object (self->worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);
  update_reviewer (self);

  if ((self->settings = settings_new ()) != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      g_autofree char *last = g_settings_get_string (self->settings, "last-page");

      /* The page shown last time.  The review pages are added only once
       * the worker has told whether the user reviews, so one of them is
       * shown when it comes (set_review_pages()), not asked of the stack
       * before it has it. */
      if (adw_view_stack_get_child_by_name (self->stack, last) != NULL)
        adw_view_stack_set_visible_child_name (self->stack, last);
      else
        self->wanted_page = g_steal_pointer (&last);
      g_settings_bind (self->settings, "last-page", self->stack, "visible-child-name", G_SETTINGS_BIND_SET);
    }

  _jg_window_actions_update (self);
}

static void
jg_window_dispose (GObject *object)
{
  JgWindow *self = (JgWindow *)object;

  if (self->form != NULL)
    {
      GtkWindow *form = g_steal_pointer (&self->form);

      g_signal_handlers_disconnect_by_data (form, self);
      gtk_window_destroy (form);
    }
  if (self->preferences != NULL)
    {
      GtkWindow *preferences = g_steal_pointer (&self->preferences);

      g_signal_handlers_disconnect_by_data (preferences, self);
      gtk_window_destroy (preferences);
    }
  g_cancellable_cancel (self->actor_cancellable);
  g_clear_object (&self->actor_cancellable);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_WINDOW);

  G_OBJECT_CLASS (jg_window_parent_class)->dispose (object);
}

static void
jg_window_finalize (GObject *object)
{
  JgWindow *self = (JgWindow *)object;

  g_clear_object (&self->worker);
  g_free (self->wanted_page);

  G_OBJECT_CLASS (jg_window_parent_class)->finalize (object);
}

static void
jg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JgWindow *self = JG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  JgWindow *self = JG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_window_class_init (JgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_window_constructed;
  object_class->dispose = jg_window_dispose;
  object_class->finalize = jg_window_finalize;
  object_class->get_property = jg_window_get_property;
  object_class->set_property = jg_window_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL,
                         JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JG_TYPE_RECORD_PAGE);
  g_type_ensure (JG_TYPE_SYNC_BUTTON);
  g_type_ensure (JG_TYPE_REVIEW_PAGE);
  g_type_ensure (JG_TYPE_CONFLICTS_PAGE);
  g_type_ensure (JG_TYPE_OVERVIEW_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, profile_section);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, activity_page);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, volunteer_page);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, household_page);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, award_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_child_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_record_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_open_record_cb);

  _jg_window_class_actions_init (klass);
}

static void
jg_window_init (JgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
}

JgWindow *
jg_window_new (GtkApplication *application,
               JgStoreWorker  *worker)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (JG_IS_STORE_WORKER (worker), NULL);

  return g_object_new (JG_TYPE_WINDOW,
                       "application", application,
                       "worker", worker,
                       NULL);
}

JgStoreWorker *
jg_window_get_worker (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->worker;
}

JgRecordPage *
jg_window_get_page (JgWindow   *self,
                    const char *entity)
{
  GtkWidget *child;

  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  child = adw_view_stack_get_child_by_name (self->stack, entity);
  return JG_IS_RECORD_PAGE (child) ? JG_RECORD_PAGE (child) : NULL;
}

JgRecordPage *
jg_window_get_visible_page (JgWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  child = adw_view_stack_get_visible_child (self->stack);
  return JG_IS_RECORD_PAGE (child) ? JG_RECORD_PAGE (child) : NULL;
}

void
jg_window_set_visible_page (JgWindow   *self,
                            const char *entity)
{
  g_return_if_fail (JG_IS_WINDOW (self));

  if (jg_window_get_page (self, entity) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, entity);
}

/* Opens the form of a new record (record_id NULL) or of an existing one.
 * One form at a time: it is modal. */
GtkWindow *
jg_window_open_form (JgWindow   *self,
                     const char *entity,
                     const char *record_id)
{
  GType type;

  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  type = _jg_window_form_type (entity);
  if (type == G_TYPE_INVALID || self->worker == NULL)
    return NULL;

  if (self->form != NULL)
    {
      gtk_window_present (self->form);
      return self->form;
    }

  self->form = g_object_new (type,
                             "worker", self->worker,
                             "record-id", record_id,
                             "transient-for", self,
                             NULL);
  g_signal_connect_object (self->form, "destroy", G_CALLBACK (form_destroy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "saved", G_CALLBACK (form_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (self->form);
  _jg_window_actions_update (self);
  return self->form;
}

GtkWindow *
jg_window_get_form (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->form;
}

void
jg_window_add_toast (JgWindow   *self,
                     const char *message)
{
  g_return_if_fail (JG_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

JgSyncButton *
jg_window_get_sync_button (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->sync_button;
}

/* The application's list of profiles, shown in the primary menu. */
void
jg_window_set_profile_menu (JgWindow   *self,
                            GMenuModel *profiles)
{
  g_return_if_fail (JG_IS_WINDOW (self));
  g_return_if_fail (!profiles || G_IS_MENU_MODEL (profiles));

  g_menu_remove_all (self->profile_section);
  for (int i = 0; profiles != NULL && i < g_menu_model_get_n_items (profiles); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new_from_model (profiles, i);

      g_menu_append_item (self->profile_section, item);
    }
}

static void
preferences_destroy_cb (JgWindow  *self,
                        GtkWindow *preferences)
{
  if (self->preferences == preferences)
    self->preferences = NULL;
}

GtkWindow *
jg_window_show_preferences (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (jg_preferences_window_new (self->worker));
      gtk_window_set_transient_for (self->preferences, GTK_WINDOW (self));
      gtk_window_set_modal (self->preferences, TRUE);
      g_signal_connect_object (self->preferences, "destroy",
                               G_CALLBACK (preferences_destroy_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->preferences);
  return self->preferences;
}

GtkWindow *
jg_window_get_preferences (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->preferences;
}
