/* jg-bar-chart.c: a labelled bar chart drawn with GtkSnapshot
 *
 * Bars from a list of (label, value), a y axis with three round ticks and
 * the axis title, the labels under the bars (Chinese when the UI is, as the
 * caller gives them).  Colours follow the theme: the bars use the accent
 * colour, text the widget's own colour.
 */

#include "config.h"

#include <math.h>

#include "jg-bar-chart.h"

struct _JgBarChart
{
  GtkWidget  parent_instance;

  char      *title;
  char      *y_label;
  GStrv      labels;
  double    *values;
  guint      n;
};

G_DEFINE_FINAL_TYPE (JgBarChart, jg_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_Y_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PAD 8.0

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static double
nice_max (double max)
{
  double step, mag;

  if (max <= 0)
    return 1;
  mag = pow (10, floor (log10 (max)));
  step = max / mag;
  if (step <= 1)
    return mag;
  if (step <= 2)
    return 2 * mag;
  if (step <= 5)
    return 5 * mag;
  return 10 * mag;
}

static PangoLayout *
layout_new (GtkWidget  *widget,
            const char *text,
            gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
draw_text (GtkSnapshot *snapshot,
           PangoLayout *layout,
           double       x,
           double       y,
           GdkRGBA     *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
jg_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  JgBarChart *self = JG_BAR_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent = { 0.21, 0.52, 0.89, 1.0 }, grid;
  double top = PAD, left, bottom, axis_w = 0, label_h = 0, title_h = 0;
  double max = 0, top_value;
  int lw, lh;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha = 0.15f;

  if (self->title != NULL)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->title, FALSE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      draw_text (snapshot, layout, PAD, top, &fg);
      title_h = lh + 4;
    }
  top += title_h;

  for (guint i = 0; i < self->n; i++)
    max = MAX (max, self->values[i]);
  top_value = nice_max (max);

  /* The y axis: ticks at 0, half and the top, and its title. */
  for (int t = 0; t <= 2; t++)
    {
      g_autofree char *text = g_strdup_printf ("%g", top_value * t / 2);
      g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      axis_w = MAX (axis_w, lw);
      label_h = MAX (label_h, lh);
    }
  if (self->y_label != NULL)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->y_label, TRUE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      draw_text (snapshot, layout, PAD, top, &fg);
      top += lh + 2;
    }
  left = PAD + axis_w + 6;
  bottom = height - PAD - label_h - 4;
  if (bottom - top < 10 || width - left - PAD < 10)
    return;

  for (int t = 0; t <= 2; t++)
    {
      double y = bottom - (bottom - top) * t / 2;
      g_autofree char *text = g_strdup_printf ("%g", top_value * t / 2);
      g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      draw_text (snapshot, layout, left - 6 - lw, y - lh / 2.0, &fg);
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT ((float) left, (float) y, (float) (width - left - PAD), 1));
    }

  if (self->n == 0)
    return;

  {
    double slot = (width - left - PAD) / self->n;
    double bar = MAX (2, slot * 0.7);

    for (guint i = 0; i < self->n; i++)
      {
        double h = (bottom - top) * self->values[i] / top_value;
        double x = left + slot * i + (slot - bar) / 2;
        g_autoptr(PangoLayout) layout = layout_new (widget, self->labels[i], TRUE);

        gtk_snapshot_append_color (snapshot, &accent,
                                   &GRAPHENE_RECT_INIT ((float) x, (float) (bottom - h), (float) bar, (float) h));
        pango_layout_set_width (layout, (int) (slot * PANGO_SCALE));
        pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
        draw_text (snapshot, layout, left + slot * i, bottom + 4, &fg);
      }
  }
}

static void
jg_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 200, *natural = 360;
  else
    *minimum = 160, *natural = 200;
}

static void
jg_bar_chart_finalize (GObject *object)
{
  JgBarChart *self = (JgBarChart *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->y_label, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->values, g_free);

  G_OBJECT_CLASS (jg_bar_chart_parent_class)->finalize (object);
}

static void
jg_bar_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JgBarChart *self = JG_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_Y_LABEL:
      g_value_set_string (value, self->y_label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_bar_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JgBarChart *self = JG_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      jg_bar_chart_set_title (self, g_value_get_string (value));
      break;

    case PROP_Y_LABEL:
      jg_bar_chart_set_y_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_bar_chart_class_init (JgBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = jg_bar_chart_finalize;
  object_class->get_property = jg_bar_chart_get_property;
  object_class->set_property = jg_bar_chart_set_property;
  widget_class->snapshot = jg_bar_chart_snapshot;
  widget_class->measure = jg_bar_chart_measure;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_Y_LABEL] =
    g_param_spec_string ("y-label", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jg_bar_chart_init (JgBarChart *self)
{
}

GtkWidget *
jg_bar_chart_new (void)
{
  return g_object_new (JG_TYPE_BAR_CHART, NULL);
}

const char *
jg_bar_chart_get_title (JgBarChart *self)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), NULL);

  return self->title;
}

void
jg_bar_chart_set_title (JgBarChart *self,
                        const char *title)
{
  g_return_if_fail (JG_IS_BAR_CHART (self));

  if (!set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
jg_bar_chart_get_y_label (JgBarChart *self)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), NULL);

  return self->y_label;
}

void
jg_bar_chart_set_y_label (JgBarChart *self,
                          const char *y_label)
{
  g_return_if_fail (JG_IS_BAR_CHART (self));

  if (!set_str (&self->y_label, y_label))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_LABEL]);
}

void
jg_bar_chart_set_data (JgBarChart         *self,
                       const char * const *labels,
                       const double       *values,
                       guint               n)
{
  g_return_if_fail (JG_IS_BAR_CHART (self));

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  self->labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->labels[i] = g_strdup (labels[i]);
  self->values = g_memdup2 (values, sizeof (double) * MAX (n, 1));
  self->n = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
jg_bar_chart_get_n_bars (JgBarChart *self)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), 0);

  return self->n;
}

double
jg_bar_chart_get_value (JgBarChart *self,
                        guint       i)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), 0);
  g_return_val_if_fail (i < self->n, 0);

  return self->values[i];
}
