/* jg-overview-page.c: the figures of the reviewer's area for a year
 *
 * What jg_stats_compute() gives for the store's unit (the same numbers as
 * "jinguo-cli stats"): a summary line in the words of a work report, charts
 * and a table per township or village, with a row for the unit's own
 * records (本级) so that the rows add up to the total.  Exported as CSV or
 * XLSX, logged.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "jg-bar-chart.h"
#include "jg-config.h"
#include "jg-export.h"
#include "jg-export-ui.h"
#include "jg-form.h"
#include "jg-gui.h"
#include "jg-overview-page.h"
#include "jg-stats.h"

struct _JgOverviewPage
{
  AdwBin         parent_instance;

  JgStoreWorker *worker;
  JsonObject    *stats;
  char          *summary;
  int            year;
  GCancellable  *cancellable;
  GCancellable  *job_cancellable;

  /* Template widgets */
  GtkLabel      *unit_label;
  GtkSpinButton *year_spin;
  GtkSpinner    *spinner;
  GtkLabel      *summary_label;
  JgBarChart    *month_chart;
  JgBarChart    *category_chart;
  JgBarChart    *star_chart;
  JgBarChart    *award_chart;
  JgBarChart    *coverage_chart;
  JgBarChart    *hours_chart;
  GtkGrid       *table;
};

G_DEFINE_FINAL_TYPE (JgOverviewPage, jg_overview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_YEAR,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload         (JgOverviewPage *self);
static void update_actions (JgOverviewPage *self);

static gint64
get_int (JsonObject *o,
         const char *a,
         const char *b)
{
  if (b != NULL)
    o = json_object_get_object_member (o, a), a = b;
  return o ? json_object_get_int_member_with_default (o, a, 0) : 0;
}

static double
get_double (JsonObject *o,
            const char *a,
            const char *b)
{
  if (b != NULL)
    o = json_object_get_object_member (o, a), a = b;
  return o ? json_object_get_double_member_with_default (o, a, 0) : 0;
}

static const char *
choice_label (const char *list,
              const char *code)
{
  return jg_config_get_label (jg_config_get_default (), list, code, jg_ui_is_chinese ());
}

/* The unit's own records (本级), when it has any: a row of their own. */
static JsonObject *
own_row (JsonObject *stats)
{
  return json_object_has_member (stats, "own") ? json_object_get_object_member (stats, "own") : NULL;
}

/* The rows that add up to the total: the units below, then the unit's own
 * records (borrowed). */
static GPtrArray *
unit_rows (JsonObject *stats)
{
  JsonArray *children = json_object_get_array_member (stats, "children");
  GPtrArray *rows = g_ptr_array_new ();

  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    g_ptr_array_add (rows, json_array_get_object_element (children, i));
  if (own_row (stats) != NULL)
    g_ptr_array_add (rows, own_row (stats));
  return rows;
}

static const char *
row_name (JsonObject *stats,
          JsonObject *u)
{
  if (u == own_row (stats))
    /* Translators: the row of a township's (or county's) own records, not
     * those of the units below it: 本级 */
    return C_("overview row", "The unit itself");
  return json_object_get_string_member_with_default (u, "name", "");
}

/* A unit's row of the table, and of the export. */
static GStrv
unit_cells (JsonObject *stats,
            JsonObject *u)
{
  GPtrArray *b = g_ptr_array_new ();

  g_ptr_array_add (b, g_strdup (row_name (stats, u)));
  g_ptr_array_add (b, g_strdup (json_object_get_string_member_with_default (u, "code", "")));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "households", NULL)));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "designated_households", NULL)));
  g_ptr_array_add (b, g_strdup_printf ("%.1f", get_double (u, "coverage_percent", NULL)));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "activities", "count")));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "activities", "beneficiaries")));
  g_ptr_array_add (b, g_strdup_printf ("%.2f", get_double (u, "activities", "funds_yuan")));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "inspections", "total")));
  g_ptr_array_add (b, g_strdup_printf ("%.1f", get_double (u, "volunteer_service", "hours")));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "awards", "families")));
  g_ptr_array_add (b, g_strdup_printf ("%" PRId64, get_int (u, "awards", "total")));
  g_ptr_array_add (b, NULL);
  return (GStrv) g_ptr_array_free (b, FALSE);
}

static const char * const column_titles[] = {
  N_("Unit"), N_("Code"), N_("Households"), N_("Demonstration"), N_("Coverage %"),
  N_("Activities"), N_("Beneficiaries"),
  /* Translators: a column: the activities' funds in yuan (经费（元）) */
  N_("Funds (yuan)"),
  N_("Inspections"), N_("Volunteer Hours"),
  /* Translators: a column: how many families hold an award (表彰家庭户数) */
  N_("Families Awarded"),
  /* Translators: a column: how many awards were given (a family may hold several) */
  N_("Awards Given"),
};

static GStrv
column_headers (void)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (column_titles); i++)
    g_strv_builder_add (b, _(column_titles[i]));
  return g_strv_builder_end (b);
}

static char *
summary_text (JsonObject *u)
{
  g_autofree char *funds = g_strdup_printf ("%.2f", get_double (u, "activities", "funds_yuan") / 10000.0);
  g_autofree char *hours = g_strdup_printf ("%.1f", get_double (u, "volunteer_service", "hours"));
  g_autofree char *coverage = g_strdup_printf ("%.1f", get_double (u, "coverage_percent", NULL));

  g_autofree char *figures = NULL;
  gint64 not_approved = get_int (u, "not_approved", "total");

  /* Translators: a work report's summary line, like
   * "开展活动X场，受益X人次，发放慰问金X万元；…"; the last two numbers are
   * the families awarded (each once) and the awards they hold */
  figures = g_strdup_printf (_("%" PRId64 " activities held, %" PRId64
                            " beneficiaries (person-times), %s ten thousand yuan spent; "
                            "%s volunteer service hours; %" PRId64
                            " demonstration households, %s%% of all households; "
                            "%" PRId64 " courtyard inspections; %" PRId64
                            " families awarded (%" PRId64 " awards)."),
                          get_int (u, "activities", "count"),
                          get_int (u, "activities", "beneficiaries"),
                          funds, hours,
                          get_int (u, "designated_households", NULL), coverage,
                          get_int (u, "inspections", "total"),
                          get_int (u, "awards", "families"),
                          get_int (u, "awards", "total"));
  if (not_approved == 0)
    return g_steal_pointer (&figures);

  /* The figures are of approved records; say what they leave out: every
   * record not approved yet, drafts and returned ones too (the CLI's
   * not_approved), not only those a reviewer has before them. */
  /* Translators: %s is the summary line before it, ending in a full stop */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s Only approved records are counted; %" PRId64 " record is not approved yet (a draft, submitted or returned).",
                                       "%s Only approved records are counted; %" PRId64 " records are not approved yet (drafts, submitted or returned).",
                                       (gulong) not_approved),
                          figures, not_approved);
}

/* A star key of the figures ("0".."3", more with a county's own rubric). */
static char *
star_label (const char *key)
{
  gint64 star = g_ascii_strtoll (key, NULL, 10);

  switch (star)
    {
    case 0:
      return g_strdup (_("No star"));
    case 1:
      /* Translators: an inspection's star level under a bar: 一星 */
      return g_strdup (C_("stars", "One star"));
    case 2:
      /* Translators: 二星 */
      return g_strdup (C_("stars", "Two stars"));
    case 3:
      /* Translators: 三星 */
      return g_strdup (C_("stars", "Three stars"));
    default:
      /* Translators: a star level above three under a bar: “%d星” */
      return g_strdup_printf (C_("stars", "%d stars"), (int) star);
    }
}

static void
chart_from_object (JgBarChart *chart,
                   JsonObject *object,
                   const char *member,
                   const char *list)
{
  g_autoptr(GList) keys = object ? json_object_get_members (object) : NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (GList *l = keys; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      double v = JSON_NODE_HOLDS_OBJECT (node)
                 ? (double) json_object_get_int_member_with_default (json_node_get_object (node), member, 0)
                 : json_node_get_double (node);

      if (g_strcmp0 (list, "stars") == 0)
        g_ptr_array_add (labels, star_label (l->data));
      else
        g_ptr_array_add (labels, g_strdup (list ? choice_label (list, l->data) : l->data));
      g_array_append_val (values, v);
    }
  jg_bar_chart_set_data (chart, (const char * const *) labels->pdata, (double *) values->data, values->len);
}

static void
show (JgOverviewPage *self)
{
  JsonObject *unit = json_object_get_object_member (self->stats, "unit");
  g_autoptr(GPtrArray) rows = unit_rows (self->stats);
  JsonObject *activities = json_object_get_object_member (unit, "activities");
  g_auto(GStrv) headers = column_headers ();
  GtkWidget *child;
  guint n = rows->len;

  gtk_label_set_text (self->unit_label, json_object_get_string_member_with_default (unit, "name", ""));
  g_free (self->summary);
  self->summary = summary_text (unit);
  gtk_label_set_text (self->summary_label, self->summary);

  /* Months are "01".."12" in the figures. */
  {
    JsonObject *by_month = json_object_get_object_member (activities, "by_month");
    const char *labels[12];
    char *owned[12];
    double values[12];

    for (int m = 0; m < 12; m++)
      {
        g_autofree char *key = g_strdup_printf ("%02d", m + 1);
        JsonObject *o = by_month ? json_object_get_object_member (by_month, key) : NULL;

        /* Translators: a month's label under a bar: "1月" */
        owned[m] = g_strdup_printf (C_("chart month", "%d"), m + 1);
        labels[m] = owned[m];
        values[m] = o ? (double) json_object_get_int_member_with_default (o, "count", 0) : 0;
      }
    jg_bar_chart_set_data (self->month_chart, labels, values, 12);
    for (int m = 0; m < 12; m++)
      g_free (owned[m]);
  }
  chart_from_object (self->category_chart, json_object_get_object_member (activities, "by_category"),
                     "beneficiaries", "activity_categories");
  chart_from_object (self->star_chart,
                     json_object_get_object_member (json_object_get_object_member (unit, "inspections"), "by_star"),
                     NULL, "stars");
  chart_from_object (self->award_chart,
                     json_object_get_object_member (json_object_get_object_member (unit, "awards"), "by_type"),
                     NULL, "award_types");
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    g_autoptr(GArray) coverage = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) hours = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < n; i++)
      {
        JsonObject *c = rows->pdata[i];
        double v = get_double (c, "coverage_percent", NULL);
        double h = get_double (c, "volunteer_service", "hours");

        g_ptr_array_add (labels, (gpointer) row_name (self->stats, c));
        g_array_append_val (coverage, v);
        g_array_append_val (hours, h);
      }
    jg_bar_chart_set_data (self->coverage_chart, (const char * const *) labels->pdata,
                           (double *) coverage->data, n);
    jg_bar_chart_set_data (self->hours_chart, (const char * const *) labels->pdata,
                           (double *) hours->data, n);
  }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table))) != NULL)
    gtk_grid_remove (self->table, child);
  for (guint c = 0; headers[c]; c++)
    {
      GtkWidget *label = gtk_label_new (headers[c]);

      gtk_widget_add_css_class (label, "heading");
      gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
      gtk_grid_attach (self->table, label, (int) c, 0, 1, 1);
    }
  for (guint r = 0; r <= n; r++)
    {
      JsonObject *u = r < n ? rows->pdata[r] : unit;
      g_auto(GStrv) cells = unit_cells (self->stats, u);

      for (guint c = 0; cells[c]; c++)
        {
          GtkWidget *label = gtk_label_new (cells[c]);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          if (c > 0)
            gtk_widget_add_css_class (label, "numeric");
          if (r == n)
            gtk_widget_add_css_class (label, "heading");
          gtk_grid_attach (self->table, label, (int) c, (int) r + 1, 1, 1);
        }
    }
}

static JsonNode *
stats_func (JgStore            *store,
            gpointer            data,
            JgDemoProgressFunc  report,
            gpointer            report_data,
            GCancellable       *cancellable,
            GError            **error)
{
  JsonObject *stats = jg_stats_compute (store, NULL, GPOINTER_TO_INT (data), error);
  JsonNode *node;

  if (stats == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, stats);
  return node;
}

static void
stats_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JgOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_clear_object (&self->cancellable);
  if (node == NULL)
    {
      jg_export_ui_toast (GTK_WIDGET (self), error->message);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->stats, json_object_unref);
  self->stats = json_object_ref (json_node_get_object (node));
  show (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
reload (JgOverviewPage *self)
{
  if (self->worker == NULL || self->year == 0)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  jg_store_worker_run_async (self->worker, stats_func, GINT_TO_POINTER (self->year), NULL, NULL,
                             NULL, NULL, self->cancellable, stats_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
worker_changed_cb (JgOverviewPage *self,
                   const char     *entity,
                   JgStoreWorker  *worker)
{
  /* Only when shown: a county's figures are not free. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    g_clear_pointer (&self->stats, json_object_unref);
}

static void
map_cb (JgOverviewPage *self)
{
  if (self->stats == NULL && self->cancellable == NULL)
    reload (self);
}

static void
year_changed_cb (JgOverviewPage *self,
                 GtkSpinButton  *spin)
{
  jg_overview_page_set_year (self, gtk_spin_button_get_value_as_int (spin));
}

/* ---- export ---- */

typedef struct
{
  JgExportTable *table;
  char          *path;
} Export;

static void
export_free (Export *e)
{
  jg_export_table_free (e->table);
  g_free (e->path);
  g_free (e);
}

static JsonNode *
export_func (JgStore            *store,
             gpointer            data,
             JgDemoProgressFunc  report,
             gpointer            report_data,
             GCancellable       *cancellable,
             GError            **error)
{
  Export *e = data;
  JsonNode *node;

  /* Figures, not personal data: nothing to mask, still logged. */
  if (!jg_export_write_logged (store, e->table, e->path, jg_export_format_for_path (e->path), FALSE, error))
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, e->table->rows->len);
  return node;
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JgOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = jg_store_worker_run_finish (JG_STORE_WORKER (object), result, &error);
  g_autofree char *message = NULL;

  g_clear_object (&self->job_cancellable);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    message = g_strdup (_("Overview exported"));
  jg_export_ui_toast (GTK_WIDGET (self), message);
}

/* The table shown: one row per unit, the unit's own records (本级) when it
 * has any, and the total. */
void
jg_overview_page_export_to_file (JgOverviewPage *self,
                                 const char     *path)
{
  g_auto(GStrv) headers = column_headers ();
  g_autoptr(GPtrArray) rows = NULL;
  Export *e;

  g_return_if_fail (JG_IS_OVERVIEW_PAGE (self));

  if (self->worker == NULL || self->stats == NULL || self->job_cancellable != NULL)
    return;
  e = g_new0 (Export, 1);
  e->path = g_strdup (path);
  e->table = jg_export_table_new (NULL, (const char * const *) headers);
  e->table->title = g_strdup_printf ("overview %d %s", self->year,
                                     json_object_get_string_member_with_default (
                                       json_object_get_object_member (self->stats, "unit"), "code", ""));
  {
    /* Translators: the overview's sheet in an Excel export; the argument
       is the year.  At most 31 characters, none of []:*?/ or a backslash */
    g_autofree char *sheet = g_strdup_printf (_("Overview %d"), self->year);

    jg_export_table_set_sheet_name (e->table, sheet);
  }
  jg_export_table_set_text_column (e->table, 1);   /* the unit's division code */
  rows = unit_rows (self->stats);
  for (guint i = 0; i <= rows->len; i++)
    {
      JsonObject *u = i < rows->len ? rows->pdata[i] : json_object_get_object_member (self->stats, "unit");
      g_auto(GStrv) cells = unit_cells (self->stats, u);

      jg_export_table_add_row (e->table, (const char * const *) cells);
    }
  self->job_cancellable = g_cancellable_new ();
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  jg_store_worker_run_async (self->worker, export_func, e, (GDestroyNotify) export_free, NULL,
                             NULL, NULL, self->job_cancellable, export_cb, g_object_ref (self));
}

static void
export_chosen_cb (GtkWidget  *widget,
                  const char *path,
                  gpointer    user_data)
{
  jg_overview_page_export_to_file (JG_OVERVIEW_PAGE (widget), path);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  JgOverviewPage *self = JG_OVERVIEW_PAGE (widget);
  /* Translators: the suggested name of the overview's export file, for
   * a year; keep “.xlsx” */
  g_autofree char *name = g_strdup_printf (_("overview-%d.xlsx"), self->year);

  jg_export_ui_choose (widget, name, export_chosen_cb, NULL);
}

/* The one place that decides which actions can run now. */
static void
update_actions (JgOverviewPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.export",
                                 self->stats != NULL && self->job_cancellable == NULL);
}

/* ---- GObject ---- */

static void
jg_overview_page_dispose (GObject *object)
{
  JgOverviewPage *self = (JgOverviewPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->stats, json_object_unref);
  g_clear_pointer (&self->summary, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (jg_overview_page_parent_class)->dispose (object);
}

static void
jg_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgOverviewPage *self = JG_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;

    case PROP_YEAR:
      g_value_set_int (value, self->year);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, jg_overview_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgOverviewPage *self = JG_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      jg_overview_page_set_worker (self, g_value_get_object (value));
      break;

    case PROP_YEAR:
      jg_overview_page_set_year (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_overview_page_class_init (JgOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_overview_page_dispose;
  object_class->get_property = jg_overview_page_get_property;
  object_class->set_property = jg_overview_page_set_property;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, JG_TYPE_STORE_WORKER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_YEAR] =
    g_param_spec_int ("year", NULL, NULL, 0, 9999, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JG_TYPE_BAR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/jinguo/Jinguo/jg-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, unit_label);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, year_spin);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, month_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, category_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, star_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, award_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, coverage_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, hours_chart);
  gtk_widget_class_bind_template_child (widget_class, JgOverviewPage, table);
  gtk_widget_class_bind_template_callback (widget_class, year_changed_cb);

  gtk_widget_class_install_action (widget_class, "overview.export", NULL, export_action);
}

static void
jg_overview_page_init (JgOverviewPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  jg_gui_fix_tooltips (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  /* Last year: the year a work report is written about. */
  jg_overview_page_set_year (self, g_date_time_get_year (now) - 1);
  update_actions (self);
}

JgStoreWorker *
jg_overview_page_get_worker (JgOverviewPage *self)
{
  g_return_val_if_fail (JG_IS_OVERVIEW_PAGE (self), NULL);

  return self->worker;
}

/* Reads nothing until it is shown or asked for a year. */
void
jg_overview_page_set_worker (JgOverviewPage *self,
                             JgStoreWorker  *worker)
{
  g_return_if_fail (JG_IS_OVERVIEW_PAGE (self));

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (!g_set_object (&self->worker, worker))
    return;
  if (worker != NULL)
    g_signal_connect_object (worker, "changed", G_CALLBACK (worker_changed_cb), self, G_CONNECT_SWAPPED);
  g_clear_pointer (&self->stats, json_object_unref);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

int
jg_overview_page_get_year (JgOverviewPage *self)
{
  g_return_val_if_fail (JG_IS_OVERVIEW_PAGE (self), 0);

  return self->year;
}

void
jg_overview_page_set_year (JgOverviewPage *self,
                           int             year)
{
  g_return_if_fail (JG_IS_OVERVIEW_PAGE (self));

  if (self->year == year)
    return;
  self->year = year;
  if (gtk_spin_button_get_value_as_int (self->year_spin) != year)
    gtk_spin_button_set_value (self->year_spin, year);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_YEAR]);
}

/* The figures shown: jg_stats_compute() for the store's unit and year. */
JsonObject *
jg_overview_page_get_stats (JgOverviewPage *self)
{
  g_return_val_if_fail (JG_IS_OVERVIEW_PAGE (self), NULL);

  return self->stats;
}

const char *
jg_overview_page_get_summary (JgOverviewPage *self)
{
  g_return_val_if_fail (JG_IS_OVERVIEW_PAGE (self), NULL);

  return self->summary;
}

gboolean
jg_overview_page_get_busy (JgOverviewPage *self)
{
  g_return_val_if_fail (JG_IS_OVERVIEW_PAGE (self), FALSE);

  return self->cancellable != NULL || self->job_cancellable != NULL;
}
