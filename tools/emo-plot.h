/* gst-emo command-line front end: arousal/valence/liking over time as a PNG.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_PLOT_H
#define EMO_PLOT_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_PLOT_N_ATTRS 3

/* Predictions collected over time: arousal, valence, liking (NaN where a
 * frame had none). */
typedef struct {
  GArray *t;                          /* gdouble, seconds */
  GArray *v[EMO_PLOT_N_ATTRS];        /* gfloat */
} EmoPlotSeries;

EmoPlotSeries *emo_plot_series_new (void);
void emo_plot_series_free (EmoPlotSeries * s);
void emo_plot_series_add (EmoPlotSeries * s, gdouble t, const gfloat * values);

/* Writes the PNG (attributes that are NaN everywhere are left out). */
gboolean emo_plot_series_write (const EmoPlotSeries * s, const gchar * path,
    gint width, gint height, const gchar * title, GError ** error);

/* The same, whole or not at all: written beside `path` under a temporary
 * name and renamed onto it when complete (tools/emo-output.h). */
gboolean emo_plot_series_save (const EmoPlotSeries * s, const gchar * path,
    gint width, gint height, const gchar * title, GError ** error);

G_END_DECLS

#endif
