/* jg-bar-chart.c: a labelled bar chart drawn with GtkSnapshot
 *
 * Bars from a list of (label, value), a value axis with three round ticks
 * and its title, the labels under the bars (Chinese when the UI is, as the
 * caller gives them).  With "horizontal" the bars run left to right, one row
 * each, after a column of names as wide as the longest needs (up to
 * MAX_NAME_CHARS, then ellipsized): for names such as units, which do not
 * fit under a bar.  Each bar's tooltip, and the chart's accessible
 * description, give the names and values in full.  Colours follow the
 * theme: the bars use the accent colour, text the widget's own colour.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jg-bar-chart.h"
#include "jg-gui.h"

struct _JgBarChart
{
  GtkWidget  parent_instance;

  char      *title;
  char      *y_label;
  GStrv      labels;
  double    *values;
  guint      n;
  gboolean   horizontal;
  int        name_width;   /* of the name column, -1 until measured */
};

G_DEFINE_FINAL_TYPE (JgBarChart, jg_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_Y_LABEL,
  PROP_HORIZONTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define PAD 8.0
/* Horizontal bars: the longest name shown whole, in characters as wide as
 * a Chinese one; the height of a row over that of its name; the space
 * between the names and the bars; the narrowest the bars may get. */
#define MAX_NAME_CHARS 12
#define ROW_SPACING 8
#define NAME_GAP 8.0
#define MIN_BARS_WIDTH 80

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

static char *
format_value (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static double
top_value (JgBarChart *self)
{
  double max = 0;

  for (guint i = 0; i < self->n; i++)
    max = MAX (max, self->values[i]);
  return nice_max (max);
}

/* The name column of horizontal bars: the longest name's width, at most
 * MAX_NAME_CHARS Chinese characters.  Kept until the data or the style
 * changes, as measure and snapshot both need it. */
static int
name_width (JgBarChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) cap = NULL;
  g_autoptr(GString) wide = g_string_new (NULL);
  int width = 0, cap_width, w;

  if (self->name_width >= 0)
    return self->name_width;

  for (guint i = 0; i < MAX_NAME_CHARS; i++)
    g_string_append (wide, "国");
  cap = layout_new (widget, wide->str, TRUE);
  pango_layout_get_pixel_size (cap, &cap_width, NULL);
  for (guint i = 0; i < self->n; i++)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->labels[i], TRUE);

      pango_layout_get_pixel_size (layout, &w, NULL);
      width = MAX (width, w);
    }
  self->name_width = MIN (width, cap_width);
  return self->name_width;
}

static int
small_line_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = layout_new (widget, "0国", TRUE);
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

/* Where things go, for snapshot, tooltips and measure alike. */
typedef struct
{
  double top_value;
  double top;       /* of the title, then of the y label */
  double plot_x, plot_y, plot_w, plot_h;  /* the bars' area */
  double label_h;   /* of a small line */
  double axis_w;    /* vertical: the tick labels left of the plot */
  double value_w;   /* horizontal: room right of the longest bar */
  double slot;      /* per bar: its column's width, or its row's height */
} Geometry;

static gboolean
compute_geometry (JgBarChart *self,
                  double      width,
                  double      height,
                  Geometry   *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int lw, lh;

  memset (g, 0, sizeof *g);
  g->top_value = top_value (self);
  g->top = PAD;
  g->label_h = small_line_height (widget);

  /* The widest tick label (and, for horizontal bars, value label). */
  for (int t = 0; t <= 2; t++)
    {
      g_autofree char *text = g_strdup_printf ("%g", g->top_value * t / 2);
      g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      g->axis_w = MAX (g->axis_w, lw);
    }

  g->plot_y = g->top;
  if (self->title != NULL)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->title, FALSE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      g->plot_y += lh + 4;
    }
  if (self->y_label != NULL)
    g->plot_y += g->label_h + 2;

  if (self->horizontal)
    {
      for (guint i = 0; i < self->n; i++)
        {
          g_autofree char *text = format_value (self->values[i]);
          g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);

          pango_layout_get_pixel_size (layout, &lw, &lh);
          g->value_w = MAX (g->value_w, lw + 4);
        }
      /* The last tick label is centred on the plot's right edge. */
      g->value_w = MAX (g->value_w, g->axis_w / 2);
      g->plot_x = PAD + name_width (self) + NAME_GAP;
      g->plot_w = width - g->plot_x - g->value_w - PAD;
      g->plot_h = height - g->plot_y - PAD - g->label_h - 4;
      g->slot = self->n > 0 ? g->plot_h / self->n : 0;
    }
  else
    {
      g->plot_x = PAD + g->axis_w + 6;
      g->plot_w = width - g->plot_x - PAD;
      g->plot_h = height - g->plot_y - PAD - g->label_h - 4;
      g->slot = self->n > 0 ? g->plot_w / self->n : 0;
    }
  return g->plot_h >= 10 && g->plot_w >= 10;
}

static void
bar_rect (JgBarChart      *self,
          const Geometry  *g,
          guint            i,
          graphene_rect_t *rect)
{
  double share = self->values[i] / g->top_value;

  if (self->horizontal)
    {
      double bar = MAX (2, g->slot * 0.7);

      graphene_rect_init (rect, (float) g->plot_x, (float) (g->plot_y + g->slot * i + (g->slot - bar) / 2),
                          (float) (g->plot_w * share), (float) bar);
    }
  else
    {
      double bar = MAX (2, g->slot * 0.7);
      double h = g->plot_h * share;

      graphene_rect_init (rect, (float) (g->plot_x + g->slot * i + (g->slot - bar) / 2),
                          (float) (g->plot_y + g->plot_h - h), (float) bar, (float) h);
    }
}

/* The bar whose column or row holds (x, y), or -1. */
static int
bar_at (JgBarChart *self,
        double      x,
        double      y)
{
  Geometry g;
  double pos;

  if (self->n == 0 ||
      !compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), &g))
    return -1;
  if (self->horizontal)
    {
      if (y < g.plot_y || y >= g.plot_y + g.plot_h || x < PAD)
        return -1;
      pos = (y - g.plot_y) / g.slot;
    }
  else
    {
      if (x < g.plot_x || x >= g.plot_x + g.plot_w || y < g.plot_y)
        return -1;
      pos = (x - g.plot_x) / g.slot;
    }
  return pos < self->n ? (int) pos : -1;
}

/* What a screen reader says of the image, after its title: every bar, in
 * full. */
static void
update_description (JgBarChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  for (guint i = 0; i < self->n; i++)
    {
      g_autofree char *text = jg_bar_chart_dup_bar_text (self, i);

      if (i > 0)
        /* Translators: between two bars in a chart's description */
        g_string_append (description, C_("bar chart", "; "));
      g_string_append (description, text);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
}

static void
jg_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  JgBarChart *self = JG_BAR_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent = { 0.21, 0.52, 0.89, 1.0 }, grid;
  Geometry g;
  int lw, lh;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha = 0.15f;

  if (!compute_geometry (self, width, height, &g))
    return;

  if (self->title != NULL)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->title, FALSE);

      draw_text (snapshot, layout, PAD, g.top, &fg);
    }
  if (self->y_label != NULL)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->y_label, TRUE);

      draw_text (snapshot, layout, self->horizontal ? g.plot_x : PAD, g.plot_y - g.label_h - 2, &fg);
    }

  /* The value axis: ticks at 0, half and the top. */
  for (int t = 0; t <= 2; t++)
    {
      g_autofree char *text = g_strdup_printf ("%g", g.top_value * t / 2);
      g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);

      pango_layout_get_pixel_size (layout, &lw, &lh);
      if (self->horizontal)
        {
          double x = g.plot_x + g.plot_w * t / 2;

          draw_text (snapshot, layout, x - lw / 2.0, g.plot_y + g.plot_h + 4, &fg);
          gtk_snapshot_append_color (snapshot, &grid,
                                     &GRAPHENE_RECT_INIT ((float) x, (float) g.plot_y, 1, (float) g.plot_h));
        }
      else
        {
          double y = g.plot_y + g.plot_h - g.plot_h * t / 2;

          draw_text (snapshot, layout, g.plot_x - 6 - lw, y - lh / 2.0, &fg);
          gtk_snapshot_append_color (snapshot, &grid,
                                     &GRAPHENE_RECT_INIT ((float) g.plot_x, (float) y, (float) g.plot_w, 1));
        }
    }

  for (guint i = 0; i < self->n; i++)
    {
      g_autoptr(PangoLayout) layout = layout_new (widget, self->labels[i], TRUE);
      graphene_rect_t rect;

      bar_rect (self, &g, i, &rect);
      gtk_snapshot_append_color (snapshot, &accent, &rect);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      if (self->horizontal)
        {
          double row_y = g.plot_y + g.slot * i;
          g_autofree char *text = format_value (self->values[i]);
          g_autoptr(PangoLayout) value = layout_new (widget, text, TRUE);

          pango_layout_set_width (layout, name_width (self) * PANGO_SCALE);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          draw_text (snapshot, layout, PAD, row_y + (g.slot - lh) / 2, &fg);
          pango_layout_get_pixel_size (value, &lw, &lh);
          draw_text (snapshot, value, rect.origin.x + rect.size.width + 4, row_y + (g.slot - lh) / 2, &fg);
        }
      else
        {
          pango_layout_set_width (layout, (int) (g.slot * PANGO_SCALE));
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          draw_text (snapshot, layout, g.plot_x + g.slot * i, g.plot_y + g.plot_h + 4, &fg);
        }
    }
}

static gboolean
jg_bar_chart_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip)
{
  JgBarChart *self = JG_BAR_CHART (widget);
  int i = bar_at (self, x, y);
  g_autofree char *text = NULL;

  if (i < 0)
    return FALSE;
  text = jg_bar_chart_dup_bar_text (self, i);
  return jg_gui_show_tooltip (widget, tooltip, text);
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
  JgBarChart *self = JG_BAR_CHART (widget);

  if (!self->horizontal)
    {
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        *minimum = 200, *natural = 360;
      else
        *minimum = 160, *natural = 200;
      return;
    }

  /* Every name readable, every row as high as a name and some. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (PAD + name_width (self) + NAME_GAP + MIN_BARS_WIDTH + 40 + PAD);
      *natural = MAX (*minimum, 360);
    }
  else
    {
      Geometry g;

      compute_geometry (self, 0, 0, &g);
      /* With height 0, plot_h is minus what is not the plot. */
      *minimum = (int) ceil (-g.plot_h + MAX (1, self->n) * (g.label_h + ROW_SPACING));
      *natural = MAX (*minimum, 200);
    }
}

static void
jg_bar_chart_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  JgBarChart *self = JG_BAR_CHART (widget);

  GTK_WIDGET_CLASS (jg_bar_chart_parent_class)->css_changed (widget, change);
  /* The font may be another. */
  self->name_width = -1;
  if (self->horizontal)
    gtk_widget_queue_resize (widget);
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

    case PROP_HORIZONTAL:
      g_value_set_boolean (value, self->horizontal);
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

    case PROP_HORIZONTAL:
      jg_bar_chart_set_horizontal (self, g_value_get_boolean (value));
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
  widget_class->query_tooltip = jg_bar_chart_query_tooltip;
  widget_class->css_changed = jg_bar_chart_css_changed;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_Y_LABEL] =
    g_param_spec_string ("y-label", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Bars left to right after a column of names, for long names. */
  properties[PROP_HORIZONTAL] =
    g_param_spec_boolean ("horizontal", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jg_bar_chart_init (JgBarChart *self)
{
  self->name_width = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
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
  update_description (self);
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
  self->name_width = -1;

  update_description (self);
  if (self->horizontal)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
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

gboolean
jg_bar_chart_get_horizontal (JgBarChart *self)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), FALSE);

  return self->horizontal;
}

void
jg_bar_chart_set_horizontal (JgBarChart *self,
                             gboolean    horizontal)
{
  g_return_if_fail (JG_IS_BAR_CHART (self));

  horizontal = !!horizontal;
  if (self->horizontal == horizontal)
    return;
  self->horizontal = horizontal;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HORIZONTAL]);
}

/* A bar's name and value in full, as its tooltip shows them. */
char *
jg_bar_chart_dup_bar_text (JgBarChart *self,
                           guint       i)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (JG_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (i < self->n, NULL);

  value = format_value (self->values[i]);
  if (self->y_label != NULL)
    /* Translators: a bar's tooltip: its name, value and unit ("古城街道：61.5（小时）") */
    return g_strdup_printf (C_("bar chart", "%s: %s (%s)"), self->labels[i], value, self->y_label);
  /* Translators: a bar's tooltip: its name and value ("古城街道：61.5") */
  return g_strdup_printf (C_("bar chart", "%s: %s"), self->labels[i], value);
}

/* The width of the name column of horizontal bars: names up to this wide
 * show in full. */
int
jg_bar_chart_get_name_width (JgBarChart *self)
{
  g_return_val_if_fail (JG_IS_BAR_CHART (self), 0);

  return name_width (self);
}

/* Where bar @i is drawn, in the chart's coordinates; FALSE when the chart
 * is too small to draw bars. */
gboolean
jg_bar_chart_get_bar_area (JgBarChart      *self,
                           guint            i,
                           graphene_rect_t *area)
{
  Geometry g;

  g_return_val_if_fail (JG_IS_BAR_CHART (self), FALSE);
  g_return_val_if_fail (i < self->n, FALSE);

  if (!compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), &g))
    return FALSE;
  bar_rect (self, &g, i, area);
  return TRUE;
}
