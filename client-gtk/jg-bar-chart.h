/* jg-bar-chart.h: a labelled bar chart drawn with GtkSnapshot */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JG_TYPE_BAR_CHART (jg_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (JgBarChart, jg_bar_chart, JG, BAR_CHART, GtkWidget)

GtkWidget  *jg_bar_chart_new         (void);
const char *jg_bar_chart_get_title   (JgBarChart         *self);
void        jg_bar_chart_set_title   (JgBarChart         *self,
                                      const char         *title);
const char *jg_bar_chart_get_y_label (JgBarChart         *self);
void        jg_bar_chart_set_y_label (JgBarChart         *self,
                                      const char         *y_label);
void        jg_bar_chart_set_data    (JgBarChart         *self,
                                      const char * const *labels,
                                      const double       *values,
                                      guint               n);
guint       jg_bar_chart_get_n_bars  (JgBarChart         *self);
double      jg_bar_chart_get_value   (JgBarChart         *self,
                                      guint               i);
gboolean    jg_bar_chart_get_horizontal (JgBarChart      *self);
void        jg_bar_chart_set_horizontal (JgBarChart      *self,
                                         gboolean         horizontal);
char       *jg_bar_chart_dup_bar_text   (JgBarChart      *self,
                                         guint            i);
int         jg_bar_chart_get_name_width (JgBarChart      *self);
gboolean    jg_bar_chart_get_bar_area   (JgBarChart      *self,
                                         guint            i,
                                         graphene_rect_t *area);

G_END_DECLS
