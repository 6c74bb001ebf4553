/* gst-emo — the emotion read-out panel and the time-series plot, with cairo.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * All geometry is in "panel units" designed for 480-line video and
 * multiplied by the caller's scale, so the panel keeps its proportions at
 * any size.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw/emo-draw.h"

/* panel geometry in units */
#define PAD 8.0
#define BARS_W 210.0
#define ROW_H 28.0
#define BARS_H (ROW_H * EMO_DRAW_N_ATTRS)
#define PLANE 130.0
#define LABEL_W 58.0
#define TRACK_W 100.0
#define TRACK_H 12.0

static const gchar *attr_labels[EMO_DRAW_N_ATTRS] =
    { "arousal", "valence", "liking" };

/* bar colours: arousal warm, valence cool, liking green */
static const gdouble attr_rgb[EMO_DRAW_N_ATTRS][3] = {
  {0.95, 0.45, 0.20}, {0.25, 0.60, 0.95}, {0.35, 0.80, 0.35},
};

gboolean
emo_draw_panel_size (guint parts, gdouble scale, gint * width, gint * height)
{
  gdouble w, h;
  gboolean bars = (parts & EMO_DRAW_BARS) != 0;
  gboolean plane = (parts & EMO_DRAW_PLANE) != 0;

  if (!bars && !plane) {
    *width = *height = 0;
    return FALSE;
  }
  if (bars && plane) {
    w = PAD + BARS_W + PAD + PLANE + PAD;
    h = PAD + PLANE + PAD;
  } else if (bars) {
    w = PAD + BARS_W + PAD;
    h = PAD + BARS_H + PAD;
  } else {
    w = PAD + PLANE + PAD;
    h = PAD + PLANE + PAD;
  }
  *width = (gint) ceil (w * scale);
  *height = (gint) ceil (h * scale);
  return TRUE;
}

static gdouble
clamp1 (gdouble v)
{
  return v < -1.0 ? -1.0 : (v > 1.0 ? 1.0 : v);
}

static void
rounded_rect (cairo_t * cr, gdouble x, gdouble y, gdouble w, gdouble h,
    gdouble r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static gboolean
attr_ok (const EmoDrawState * st, guint i)
{
  return st->present[i] && isfinite (st->values[i]);
}

/* The parts of the bars that do not depend on the values: labels, tracks,
 * zero marks. */
static void
draw_bars_static (cairo_t * cr)
{
  guint i;

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
      CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 12.0);
  for (i = 0; i < EMO_DRAW_N_ATTRS; i++) {
    gdouble y = i * ROW_H;
    gdouble ty = y + (ROW_H - TRACK_H) / 2;
    gdouble cx = LABEL_W + TRACK_W / 2;

    cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
    cairo_move_to (cr, 0, y + ROW_H / 2 + 4.5);
    cairo_show_text (cr, attr_labels[i]);

    rounded_rect (cr, LABEL_W, ty, TRACK_W, TRACK_H, TRACK_H / 2);
    cairo_set_source_rgba (cr, 1, 1, 1, 0.18);
    cairo_fill (cr);

    cairo_set_source_rgba (cr, 1, 1, 1, 0.7);
    cairo_rectangle (cr, cx - 0.75, ty - 2, 1.5, TRACK_H + 4);
    cairo_fill (cr);
  }
}

/* Bar fills and printed values. */
static void
draw_bars_dynamic (cairo_t * cr, const EmoDrawState * st)
{
  guint i;
  gchar text[32];

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
      CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 12.0);
  for (i = 0; i < EMO_DRAW_N_ATTRS; i++) {
    gdouble y = i * ROW_H;
    gdouble ty = y + (ROW_H - TRACK_H) / 2;
    gdouble cx = LABEL_W + TRACK_W / 2;
    gboolean ok = attr_ok (st, i);

    if (ok) {
      gdouble v = clamp1 (st->values[i]);
      gdouble x0 = cx, x1 = cx + v * TRACK_W / 2;
      cairo_rectangle (cr, MIN (x0, x1), ty + 1, MAX (fabs (x1 - x0), 1.0),
          TRACK_H - 2);
      cairo_set_source_rgba (cr, attr_rgb[i][0], attr_rgb[i][1],
          attr_rgb[i][2], 0.95);
      cairo_fill (cr);
      /* out-of-range values stay short so the panel keeps its size */
      if (fabs (st->values[i]) < 100.0)
        g_snprintf (text, sizeof text, "%+.2f", st->values[i]);
      else
        g_snprintf (text, sizeof text, "%+.0e", st->values[i]);
      /* redraw the zero mark over the fill */
      cairo_set_source_rgba (cr, 1, 1, 1, 0.7);
      cairo_rectangle (cr, cx - 0.75, ty - 2, 1.5, TRACK_H + 4);
      cairo_fill (cr);
    } else {
      g_strlcpy (text, "n/a", sizeof text);
    }
    cairo_set_source_rgba (cr, 1, 1, 1, ok ? 0.95 : 0.45);
    cairo_move_to (cr, LABEL_W + TRACK_W + 8, y + ROW_H / 2 + 4.5);
    cairo_show_text (cr, text);
  }
}

#define PLANE_M 12.0            /* margin for the axis names */
#define TRAIL_LEVELS 8

static gboolean
trail_ok (const EmoDrawTrailPoint * p, gdouble len)
{
  return isfinite (p->arousal) && isfinite (p->valence) && p->age >= 0
      && p->age < len;
}

/* 0 (newest) .. TRAIL_LEVELS-1 (oldest) */
static guint
trail_level (const EmoDrawTrailPoint * p, gdouble len)
{
  guint l = (guint) (p->age / len * TRAIL_LEVELS);
  return MIN (l, TRAIL_LEVELS - 1);
}

static void
draw_plane_static (cairo_t * cr)
{
  const gdouble m = PLANE_M;
  const gdouble side = PLANE - 2 * m;
  const gdouble cx = PLANE / 2, cy = PLANE / 2;

  /* frame and axes */
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, m, m, side, side);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.10);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.35);
  cairo_stroke (cr);
  cairo_move_to (cr, m, cy);
  cairo_line_to (cr, m + side, cy);
  cairo_move_to (cr, cx, m);
  cairo_line_to (cr, cx, m + side);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.5);
  cairo_stroke (cr);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
      CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 9.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_move_to (cr, cx + 3, m - 3);
  cairo_show_text (cr, "arousal");
  cairo_move_to (cr, m + side - 36, cy + 10);
  cairo_show_text (cr, "valence");
}

static void
draw_plane_dynamic (cairo_t * cr, const EmoDrawState * st)
{
  const gdouble side = PLANE - 2 * PLANE_M;
  const gdouble cx = PLANE / 2, cy = PLANE / 2;
  const gdouble half = side / 2;
  guint i;
  gboolean have_point = attr_ok (st, 0) && attr_ok (st, 1);

  /* trail: older points fade out linearly over trail_length; drawn in
   * TRAIL_LEVELS alpha steps, one path per step (one cairo stroke/fill
   * per step instead of one per point keeps this cheap at 10 Hz) */
  if (st->trail && st->n_trail > 0 && st->trail_length > 0) {
    guint level;
    for (level = 0; level < TRAIL_LEVELS; level++) {
      gdouble a = 1.0 - (gdouble) level / TRAIL_LEVELS;
      gboolean any = FALSE;

      for (i = 0; i + 1 < st->n_trail; i++) {
        const EmoDrawTrailPoint *p = &st->trail[i], *q = &st->trail[i + 1];
        if (!trail_ok (p, st->trail_length) || !isfinite (q->arousal)
            || !isfinite (q->valence)
            || trail_level (p, st->trail_length) != level)
          continue;
        cairo_move_to (cr, cx + clamp1 (p->valence) * half,
            cy - clamp1 (p->arousal) * half);
        cairo_line_to (cr, cx + clamp1 (q->valence) * half,
            cy - clamp1 (q->arousal) * half);
        any = TRUE;
      }
      if (any) {
        cairo_set_source_rgba (cr, 1.0, 0.85, 0.3, 0.6 * a);
        cairo_set_line_width (cr, 1.5);
        cairo_stroke (cr);
      }
      any = FALSE;
      for (i = 0; i < st->n_trail; i++) {
        const EmoDrawTrailPoint *p = &st->trail[i];
        if (!trail_ok (p, st->trail_length)
            || trail_level (p, st->trail_length) != level)
          continue;
        cairo_rectangle (cr, cx + clamp1 (p->valence) * half - 1.5,
            cy - clamp1 (p->arousal) * half - 1.5, 3.0, 3.0);
        any = TRUE;
      }
      if (any) {
        cairo_set_source_rgba (cr, 1.0, 0.85, 0.3, 0.8 * a);
        cairo_fill (cr);
      }
    }
  }

  if (have_point) {
    gdouble x = cx + clamp1 (st->values[1]) * half;
    gdouble y = cy - clamp1 (st->values[0]) * half;
    cairo_arc (cr, x, y, 5.0, 0, 2 * G_PI);
    cairo_set_source_rgba (cr, 1.0, 0.85, 0.2, 1.0);
    cairo_fill_preserve (cr);
    cairo_set_source_rgba (cr, 0, 0, 0, 0.9);
    cairo_set_line_width (cr, 1.5);
    cairo_stroke (cr);
  }
}

/* Draws the static (state == NULL) or the dynamic part of the panel, in
 * panel units. */
static void
draw_panel_part (cairo_t * cr, guint parts, gdouble w, gdouble h,
    const EmoDrawState * st)
{
  gboolean bars = (parts & EMO_DRAW_BARS) != 0;
  gboolean plane = (parts & EMO_DRAW_PLANE) != 0;

  if (!st) {
    rounded_rect (cr, 0, 0, w, h, 6.0);
    cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.6);
    cairo_fill (cr);
  }
  if (bars) {
    gdouble y = PAD + (plane ? (PLANE - BARS_H) / 2 : 0);
    cairo_save (cr);
    cairo_translate (cr, PAD, y);
    if (st)
      draw_bars_dynamic (cr, st);
    else
      draw_bars_static (cr);
    cairo_restore (cr);
  }
  if (plane) {
    cairo_save (cr);
    cairo_translate (cr, bars ? PAD + BARS_W + PAD : PAD, PAD);
    if (st)
      draw_plane_dynamic (cr, st);
    else
      draw_plane_static (cr);
    cairo_restore (cr);
  }
}

void
emo_draw_panel (cairo_t * cr, guint parts, gdouble scale, gdouble opacity,
    const EmoDrawState * st)
{
  emo_draw_panel_cached (cr, parts, scale, opacity, st, NULL);
}

struct _EmoPanelCache
{
  cairo_surface_t *bg;
  guint parts;
  gdouble scale;
};

EmoPanelCache *
emo_panel_cache_new (void)
{
  return g_new0 (EmoPanelCache, 1);
}

void
emo_panel_cache_free (EmoPanelCache * cache)
{
  if (!cache)
    return;
  if (cache->bg)
    cairo_surface_destroy (cache->bg);
  g_free (cache);
}

void
emo_draw_panel_cached (cairo_t * cr, guint parts, gdouble scale,
    gdouble opacity, const EmoDrawState * st, EmoPanelCache * cache)
{
  gint w, h;

  if (!emo_draw_panel_size (parts, scale, &w, &h))
    return;
  if (cache && (!cache->bg || cache->parts != parts || cache->scale != scale)) {
    cairo_t *bcr;
    if (cache->bg)
      cairo_surface_destroy (cache->bg);
    cache->bg = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
    bcr = cairo_create (cache->bg);
    cairo_scale (bcr, scale, scale);
    draw_panel_part (bcr, parts, w / scale, h / scale, NULL);
    cairo_destroy (bcr);
    cache->parts = parts;
    cache->scale = scale;
  }
  cairo_save (cr);
  cairo_push_group (cr);
  if (cache) {
    cairo_set_source_surface (cr, cache->bg, 0, 0);
    cairo_paint (cr);
  } else {
    cairo_save (cr);
    cairo_scale (cr, scale, scale);
    draw_panel_part (cr, parts, w / scale, h / scale, NULL);
    cairo_restore (cr);
  }
  cairo_scale (cr, scale, scale);
  draw_panel_part (cr, parts, w / scale, h / scale, st);
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, CLAMP (opacity, 0.0, 1.0));
  cairo_restore (cr);
}

/* ---- plot ---------------------------------------------------------------- */

static const gdouble series_rgb[][3] = {
  {0.85, 0.33, 0.10}, {0.00, 0.45, 0.74}, {0.30, 0.65, 0.20},
  {0.49, 0.18, 0.56}, {0.93, 0.69, 0.13}, {0.30, 0.75, 0.93},
};

/* A "nice" tick step (1, 2, 5 x 10^k) giving at most max_ticks ticks. */
static gdouble
nice_step (gdouble range, gint max_ticks)
{
  gdouble raw = range / MAX (max_ticks, 1);
  gdouble p = pow (10.0, floor (log10 (raw)));
  gdouble f = raw / p;

  if (f <= 1.0)
    return p;
  if (f <= 2.0)
    return 2 * p;
  if (f <= 5.0)
    return 5 * p;
  return 10 * p;
}

static void
format_time (gchar * buf, gsize len, gdouble t, gdouble step)
{
  if (step >= 60.0 || t >= 600.0)
    g_snprintf (buf, len, "%d:%02d", (gint) (t / 60), (gint) fmod (t, 60.0));
  else if (step >= 1.0)
    g_snprintf (buf, len, "%.0f s", t);
  else
    g_snprintf (buf, len, "%.1f s", t);
}

gboolean
emo_plot_write_png (const gchar * path, gint width, gint height,
    const gchar * title, const gdouble * t, guint n,
    const gchar * const *names, const gfloat * values, guint n_series,
    GError ** error)
{
  cairo_surface_t *surf;
  cairo_t *cr;
  cairo_status_t st;
  gdouble t0, t1, ymin = -1.0, ymax = 1.0, step, v;
  gdouble L = 64, R = 20, T = 44, B = 48;
  gdouble pw, ph;
  guint i, s;
  gchar buf[64];
  gboolean ok = TRUE;

  if (n == 0 || n_series == 0 || !t) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "Nothing to plot into \"%s\": no predictions", path);
    return FALSE;
  }
  if (width < 200 || height < 150 || width > 16384 || height > 16384) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "Plot size %dx%d out of range (200x150 to 16384x16384)", width, height);
    return FALSE;
  }
  t0 = t1 = NAN;
  for (i = 0; i < n; i++) {
    if (!isfinite (t[i]))
      continue;
    if (!(t0 <= t[i]))
      t0 = t[i];
    if (!(t1 >= t[i]))
      t1 = t[i];
  }
  if (!isfinite (t0)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "Nothing to plot into \"%s\": no finite time stamps", path);
    return FALSE;
  }
  if (t1 - t0 < 1e-3)
    t1 = t0 + 1.0;
  for (i = 0; i < n * n_series; i++) {
    v = values[i];
    if (!isfinite (v))
      continue;
    ymin = MIN (ymin, v);
    ymax = MAX (ymax, v);
  }
  pw = width - L - R;
  ph = height - T - B;

  surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surf);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
      CAIRO_FONT_WEIGHT_NORMAL);

  /* grid and y ticks */
  cairo_set_font_size (cr, 11);
  cairo_set_line_width (cr, 1.0);
  step = nice_step (ymax - ymin, 8);
  for (v = ceil (ymin / step) * step; v <= ymax + 1e-9; v += step) {
    gdouble y = T + ph * (ymax - v) / (ymax - ymin);
    cairo_set_source_rgb (cr, fabs (v) < 1e-9 ? 0.55 : 0.88,
        fabs (v) < 1e-9 ? 0.55 : 0.88, fabs (v) < 1e-9 ? 0.55 : 0.88);
    cairo_move_to (cr, L, floor (y) + 0.5);
    cairo_line_to (cr, L + pw, floor (y) + 0.5);
    cairo_stroke (cr);
    g_snprintf (buf, sizeof buf, "%+.1f", fabs (v) < 1e-9 ? 0.0 : v);
    cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
    cairo_move_to (cr, 8, y + 4);
    cairo_show_text (cr, buf);
  }
  /* x ticks */
  step = nice_step (t1 - t0, 10);
  for (v = ceil (t0 / step) * step; v <= t1 + 1e-9; v += step) {
    gdouble x = L + pw * (v - t0) / (t1 - t0);
    cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
    cairo_move_to (cr, floor (x) + 0.5, T);
    cairo_line_to (cr, floor (x) + 0.5, T + ph);
    cairo_stroke (cr);
    format_time (buf, sizeof buf, v, step);
    cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
    cairo_move_to (cr, x - 12, T + ph + 16);
    cairo_show_text (cr, buf);
  }
  cairo_rectangle (cr, L + 0.5, T + 0.5, pw, ph);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_stroke (cr);
  cairo_move_to (cr, L + pw / 2 - 20, height - 10);
  cairo_show_text (cr, "time");

  /* series: lines broken at non-finite values */
  cairo_save (cr);
  cairo_rectangle (cr, L, T, pw, ph);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.6);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (s = 0; s < n_series; s++) {
    const gdouble *c = series_rgb[s % G_N_ELEMENTS (series_rgb)];
    gboolean pen = FALSE;
    for (i = 0; i < n; i++) {
      gdouble x, y;
      v = values[(gsize) s * n + i];
      if (!isfinite (v) || !isfinite (t[i])) {
        pen = FALSE;
        continue;
      }
      x = L + pw * (t[i] - t0) / (t1 - t0);
      y = T + ph * (ymax - v) / (ymax - ymin);
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
    }
    cairo_set_source_rgb (cr, c[0], c[1], c[2]);
    cairo_stroke (cr);
  }
  cairo_restore (cr);

  /* legend and title */
  cairo_set_font_size (cr, 12);
  for (s = 0; s < n_series; s++) {
    const gdouble *c = series_rgb[s % G_N_ELEMENTS (series_rgb)];
    gdouble x = L + 10 + s * 110;
    cairo_set_source_rgb (cr, c[0], c[1], c[2]);
    cairo_rectangle (cr, x, T - 16, 18, 4);
    cairo_fill (cr);
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
    cairo_move_to (cr, x + 24, T - 10);
    cairo_show_text (cr, names && names[s] ? names[s] : "?");
  }
  if (title) {
    cairo_set_font_size (cr, 13);
    cairo_move_to (cr, L, 18);
    cairo_show_text (cr, title);
  }
  cairo_destroy (cr);
  st = cairo_surface_status (surf);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_write_to_png (surf, path);
  if (st != CAIRO_STATUS_SUCCESS) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
        "Could not write the plot \"%s\": %s", path,
        cairo_status_to_string (st));
    ok = FALSE;
  }
  cairo_surface_destroy (surf);
  return ok;
}
