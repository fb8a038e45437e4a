/* jg-gui.c: set-up of libjinguo-gui, and tooltips that fit Chinese
 *
 * The resources are registered by hand, as in libjinguo-common: a
 * constructor in a static library is dropped when nothing refers to it.
 *
 * GTK 4.8's own tooltip caps its label at as many character widths as the
 * text has characters; a Chinese character is two of those wide, so
 * "新建记录" wraps after every two.  Every tooltip of the app goes through
 * jg_gui_set_tooltip() (or jg_gui_fix_tooltips() for those set in a .ui
 * file), which shows the text in a label of our own with a sane width.
 */

#include "config.h"

#include <adwaita.h>

#include "jg-common.h"
#include "jg-gui.h"
#include "jg-gui-resources.h"
#include "jg-record-page.h"

void
jg_gui_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      jg_common_init ();
      jg_gui_register_resource ();
      g_type_ensure (JG_TYPE_RECORD_PAGE);
      g_once_init_leave (&initialized, 1);
    }
}

/* The app's settings, or NULL when the schema is not installed (a test
 * run without GSETTINGS_SCHEMA_DIR): then nothing is remembered. */
GSettings *
jg_gui_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.jinguo.Jinguo", TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* ---- tooltips ---- */

#define TOOLTIP_LABEL_KEY "jg-tooltip-label"
#define TOOLTIP_FIXED_KEY "jg-tooltip-fixed"

/* As wide as GTK lets a tooltip grow (50 characters), then wrapped. */
#define TOOLTIP_MAX_WIDTH_CHARS 50

/* Shows @text in @tooltip in a label that wraps only past
 * TOOLTIP_MAX_WIDTH_CHARS; for widgets that answer "query-tooltip"
 * themselves (e.g. a chart's bars). */
gboolean
jg_gui_show_tooltip (GtkWidget  *widget,
                     GtkTooltip *tooltip,
                     const char *text)
{
  GtkLabel *label;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (GTK_IS_TOOLTIP (tooltip), FALSE);

  if (text == NULL || *text == '\0')
    return FALSE;

  /* A new label each time: GTK takes the last one out of the tooltip
   * before it asks again, and a tooltip that went away may still hold it. */
  label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (label, TOOLTIP_MAX_WIDTH_CHARS);
  gtk_label_set_xalign (label, 0);
  g_object_set_data_full (G_OBJECT (widget), TOOLTIP_LABEL_KEY,
                          g_object_ref_sink (label), g_object_unref);
  gtk_label_set_text (label, text);
  gtk_tooltip_set_custom (tooltip, GTK_WIDGET (label));
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  return jg_gui_show_tooltip (widget, tooltip, gtk_widget_get_tooltip_text (widget));
}

static void
fix_tooltip (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), TOOLTIP_FIXED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), TOOLTIP_FIXED_KEY, GINT_TO_POINTER (TRUE));
  /* Before GTK's own handler, which would show the text in its label. */
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

/* Gives @widget the tooltip @text (NULL for none).  The text stays the
 * widget's "tooltip-text", so it is also its accessible description. */
void
jg_gui_set_tooltip (GtkWidget  *widget,
                    const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_set_tooltip_text (widget, text);
  if (text != NULL)
    fix_tooltip (widget);
}

/* The same for the tooltips a template set ("tooltip-text" in a .ui
 * file): called once the template of @root is built. */
void
jg_gui_fix_tooltips (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (gtk_widget_get_tooltip_text (root) != NULL)
    fix_tooltip (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    jg_gui_fix_tooltips (child);
}

/* The label the last tooltip of @widget was shown in, or NULL. */
GtkLabel *
jg_gui_get_tooltip_label (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_data (G_OBJECT (widget), TOOLTIP_LABEL_KEY);
}
