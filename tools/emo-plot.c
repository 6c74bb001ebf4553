/* emo plot: arousal/valence/liking over time as a PNG (cairo), from a
 * prediction CSV; the same plot `emo annotate --plot` writes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>

#include "emo-commands.h"
#include "emo-plot.h"
#include "emo-output.h"
#include "draw/emo-draw.h"
#include "io/emo-table.h"

static const gchar *attr_names[EMO_PLOT_N_ATTRS] =
    { "arousal", "valence", "liking" };

EmoPlotSeries *
emo_plot_series_new (void)
{
  EmoPlotSeries *s = g_new0 (EmoPlotSeries, 1);
  guint i;

  s->t = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (i = 0; i < EMO_PLOT_N_ATTRS; i++)
    s->v[i] = g_array_new (FALSE, FALSE, sizeof (gfloat));
  return s;
}

void
emo_plot_series_free (EmoPlotSeries * s)
{
  guint i;

  if (!s)
    return;
  g_array_unref (s->t);
  for (i = 0; i < EMO_PLOT_N_ATTRS; i++)
    g_array_unref (s->v[i]);
  g_free (s);
}

void
emo_plot_series_add (EmoPlotSeries * s, gdouble t, const gfloat * values)
{
  guint i;

  g_array_append_val (s->t, t);
  for (i = 0; i < EMO_PLOT_N_ATTRS; i++)
    g_array_append_val (s->v[i], values[i]);
}

gboolean
emo_plot_series_write (const EmoPlotSeries * s, const gchar * path,
    gint width, gint height, const gchar * title, GError ** error)
{
  const gchar *names[EMO_PLOT_N_ATTRS];
  gfloat *vals;
  guint n = s->t->len, n_series = 0, i, k;
  gboolean ok;

  vals = g_new (gfloat, (gsize) MAX (n, 1) * EMO_PLOT_N_ATTRS);
  for (i = 0; i < EMO_PLOT_N_ATTRS; i++) {
    gboolean any = FALSE;
    for (k = 0; k < n && !any; k++)
      any = isfinite (g_array_index (s->v[i], gfloat, k));
    if (!any)
      continue;
    for (k = 0; k < n; k++)
      vals[(gsize) n_series * n + k] = g_array_index (s->v[i], gfloat, k);
    names[n_series++] = attr_names[i];
  }
  if (n_series == 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "Nothing to plot into \"%s\": no arousal, valence or liking values",
        path);
    g_free (vals);
    return FALSE;
  }
  ok = emo_plot_write_png (path, width, height, title,
      (const gdouble *) s->t->data, n, names, vals, n_series, error);
  g_free (vals);
  return ok;
}

gboolean
emo_plot_series_save (const EmoPlotSeries * s, const gchar * path,
    gint width, gint height, const gchar * title, GError ** error)
{
  EmoOutput *o = emo_output_new (path, error);
  GError *err = NULL;

  if (!o)
    return FALSE;
  if (!emo_plot_series_write (s, emo_output_temp_path (o), width, height,
          title, &err)) {
    /* name the file the user asked for, not the temporary */
    gchar **parts = g_strsplit (err->message, emo_output_temp_path (o), -1);
    gchar *msg = g_strjoinv (path, parts);
    g_set_error_literal (error, err->domain, err->code, msg);
    g_free (msg);
    g_strfreev (parts);
    g_error_free (err);
    emo_output_discard (o);
    return FALSE;
  }
  return emo_output_commit (o, error);
}

static gchar *opt_csv;
static gchar *opt_out;
static gint opt_width = 1200;
static gint opt_height = 400;
static gchar *opt_title;

static GOptionEntry entries[] = {
  {"csv", 'c', 0, G_OPTION_ARG_FILENAME, &opt_csv,
        "Prediction CSV (name;timestamp;arousal;valence;liking, as emoexport writes)",
      "FILE"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "PNG file to write",
      "FILE.png"},
  {"width", 0, 0, G_OPTION_ARG_INT, &opt_width,
      "Width in pixels (default 1200)", "N"},
  {"height", 0, 0, G_OPTION_ARG_INT, &opt_height,
      "Height in pixels (default 400)", "N"},
  {"title", 0, 0, G_OPTION_ARG_STRING, &opt_title,
      "Title (default: the CSV's name)", "TEXT"},
  {NULL}
};

int
emo_cmd_plot (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  EmoTable *t = NULL;
  EmoPlotSeries *s = NULL;
  gint cols[EMO_PLOT_N_ATTRS];
  guint i, r, found = 0;
  gchar *title = NULL;
  int ret = 1;

  ctx = g_option_context_new ("- plot arousal, valence and liking over time");
  g_option_context_set_summary (ctx,
      "Writes a PNG of the prediction columns arousal, valence and liking of a CSV\n"
      "(those present) against the timestamp column.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!opt_csv || !opt_out) {
    ret =
        emo_fail
        ("plot needs --csv FILE and -o FILE.png (see emo plot --help)");
    goto out;
  }
  {
    const gchar *outs[] = { opt_out, NULL }, *ins[] = { opt_csv, NULL };
    if (!emo_output_refuse_inputs (outs, ins, &err)) {
      ret = emo_fail ("%s", err->message);
      goto out;
    }
  }
  t = emo_table_read (opt_csv, &err);
  if (!t) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  for (i = 0; i < EMO_PLOT_N_ATTRS; i++) {
    cols[i] = emo_table_find_column (t, attr_names[i]);
    found += cols[i] >= 0;
  }
  if (found == 0) {
    ret = emo_fail ("%s: no arousal, valence or liking column", opt_csv);
    goto out;
  }
  s = emo_plot_series_new ();
  for (r = 0; r < t->n_rows; r++) {
    gfloat v[EMO_PLOT_N_ATTRS];
    for (i = 0; i < EMO_PLOT_N_ATTRS; i++)
      v[i] = cols[i] >= 0 ? t->data[(gsize) r * t->n_cols + cols[i]] : NAN;
    emo_plot_series_add (s, t->timestamps[r], v);
  }
  title = g_strdup (opt_title ? opt_title : t->name);
  if (!emo_plot_series_save (s, opt_out, opt_width, opt_height, title, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  printf ("emo: wrote %s (%u points)\n", opt_out, t->n_rows);
  {
    gchar w[16], h[16];
    const gchar *ins[] = { opt_csv, NULL };
    const gchar *options[] = { "width", w, "height", h, "title", title, NULL };
    g_snprintf (w, sizeof w, "%d", opt_width);
    g_snprintf (h, sizeof h, "%d", opt_height);
    if (!emo_record_write_beside ("plot", opt_out, ins, NULL, options,
            t->n_rows, &err)) {
      ret = emo_fail ("%s", err->message);
      goto out;
    }
  }
  ret = 0;

out:
  g_clear_error (&err);
  g_free (title);
  emo_plot_series_free (s);
  if (t)
    emo_table_free (t);
  g_option_context_free (ctx);
  return ret;
}
