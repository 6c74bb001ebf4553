/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "vision/emo-image.h"

#include <math.h>
#include <string.h>

void
emo_gray_from_packed_rgb (guint8 * dst, gsize dst_stride, const guint8 * src,
    gsize src_stride, gint width, gint height, guint pixel_stride,
    guint r_off, guint g_off, guint b_off)
{
  gint x, y;

  for (y = 0; y < height; y++) {
    const guint8 *s = src + (gsize) y * src_stride;
    guint8 *d = dst + (gsize) y * dst_stride;
    for (x = 0; x < width; x++, s += pixel_stride)
      d[x] =
          (guint8) ((77 * s[r_off] + 150 * s[g_off] + 29 * s[b_off] +
              128) >> 8);
  }
}

#define RESAMPLE_BITS 11
#define RESAMPLE_ONE (1 << RESAMPLE_BITS)

void
emo_gray_resample (const guint8 * src, gint sw, gint sh, gsize sstride,
    gdouble rx, gdouble ry, gdouble rw, gdouble rh,
    guint8 * dst, gint dw, gint dh, gsize dstride)
{
  gint *xo, *xw;
  gint x, y;
  gdouble sx_scale, sy_scale;

  if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0)
    return;
  sx_scale = rw / dw;
  sy_scale = rh / dh;
  /* per-column source index (pair x0, x0+1 clamped) and fixed-point weight */
  xo = g_new (gint, 2 * (gsize) dw);
  xw = g_new (gint, dw);
  for (x = 0; x < dw; x++) {
    gdouble sx = rx + (x + 0.5) * sx_scale - 0.5;
    gint x0 = (gint) floor (sx);
    gdouble f = sx - x0;
    gint x1 = x0 + 1;
    if (x0 < 0) {
      x0 = x1 = 0;
      f = 0;                    /* left of the first centre: repeat the border */
    }
    if (x1 >= sw) {
      x1 = sw - 1;
      if (x0 >= sw) {
        x0 = sw - 1;
        f = 0;
      }
    }
    xo[2 * x] = x0;
    xo[2 * x + 1] = x1;
    xw[x] = (gint) lround (f * RESAMPLE_ONE);
  }
  for (y = 0; y < dh; y++) {
    gdouble sy = ry + (y + 0.5) * sy_scale - 0.5;
    gint y0 = (gint) floor (sy), y1;
    gdouble f = sy - y0;
    gint wy;
    const guint8 *r0, *r1;
    guint8 *d = dst + (gsize) y * dstride;

    y1 = y0 + 1;
    if (y0 < 0) {
      y0 = y1 = 0;
      f = 0;
    }
    if (y1 >= sh) {
      y1 = sh - 1;
      if (y0 >= sh) {
        y0 = sh - 1;
        f = 0;
      }
    }
    wy = (gint) lround (f * RESAMPLE_ONE);
    r0 = src + (gsize) y0 *sstride;
    r1 = src + (gsize) y1 *sstride;
    for (x = 0; x < dw; x++) {
      gint a = xo[2 * x], b = xo[2 * x + 1], wx = xw[x];
      gint top = r0[a] * (RESAMPLE_ONE - wx) + r0[b] * wx;
      gint bot = r1[a] * (RESAMPLE_ONE - wx) + r1[b] * wx;
      gint64 v = (gint64) top * (RESAMPLE_ONE - wy) + (gint64) bot * wy;
      d[x] =
          (guint8) ((v + (1 << (2 * RESAMPLE_BITS -
                      1))) >> (2 * RESAMPLE_BITS));
    }
  }
  g_free (xo);
  g_free (xw);
}

void
emo_integral_init (EmoIntegral * ii)
{
  memset (ii, 0, sizeof (*ii));
}

void
emo_integral_clear (EmoIntegral * ii)
{
  g_free (ii->sum);
  g_free (ii->sqsum);
  g_free (ii->tilted);
  g_free (ii->scratch);
  emo_integral_init (ii);
}

void
emo_integral_compute (EmoIntegral * ii, const guint8 * img, gint width,
    gint height, gsize stride, gboolean with_squares)
{
  gsize need, is;
  gint x, y;

  g_return_if_fail (width >= 0 && height >= 0);
  is = (gsize) width + 1;
  need = is * ((gsize) height + 1);
  if (need > ii->alloc) {
    g_free (ii->sum);
    g_free (ii->sqsum);
    ii->sum = g_new (guint32, need);
    ii->sqsum = g_new (guint32, need);
    ii->alloc = need;
  }
  ii->width = width;
  ii->height = height;
  ii->stride = is;
  ii->have_tilted = FALSE;
  memset (ii->sum, 0, is * sizeof (guint32));
  if (with_squares)
    memset (ii->sqsum, 0, is * sizeof (guint32));
  for (y = 0; y < height; y++) {
    const guint8 *s = img + (gsize) y * stride;
    guint32 *prev = ii->sum + (gsize) y * is, *cur = prev + is;
    guint32 run = 0;
    cur[0] = 0;
    for (x = 0; x < width; x++) {
      run += s[x];
      cur[x + 1] = prev[x + 1] + run;
    }
    if (with_squares) {
      guint32 *qp = ii->sqsum + (gsize) y * is, *qc = qp + is;
      guint32 rq = 0;
      qc[0] = 0;
      for (x = 0; x < width; x++) {
        rq += (guint32) s[x] * s[x];
        qc[x + 1] = qp[x + 1] + rq;
      }
    }
  }
}

void
emo_integral_compute_tilted (EmoIntegral * ii, const guint8 * img, gsize stride)
{
  /* T(X,Y) = T(X-1,Y-1) + T(X+1,Y-1) - T(X,Y-2) + I(X-1,Y-1) + I(X-1,Y-2)
   * (inclusion-exclusion of the two smaller triangles), on a table padded
   * by H+1 columns on each side so the recursion never leaves it; pixels
   * outside the image are 0. */
  gint w = ii->width, h = ii->height, pad = h + 1;
  gint pw = w + 1 + 2 * pad, X, Y;
  gsize need = (gsize) pw * (h + 1), out = ii->stride * ((gsize) h + 1);
  guint32 *t;

  if (need > ii->scratch_alloc) {
    g_free (ii->scratch);
    ii->scratch = g_new (guint32, need);
    ii->scratch_alloc = need;
  }
  if (out > ii->tilted_alloc) {
    g_free (ii->tilted);
    ii->tilted = g_new (guint32, out);
    ii->tilted_alloc = out;
  }
  t = ii->scratch;
  /* unsigned: sums wrap like the other tables, rectangle sums stay exact */
  memset (t, 0, (gsize) pw * sizeof (guint32));
  for (Y = 1; Y <= h; Y++) {
    guint32 *row = t + (gsize) Y * pw, *up = row - pw;
    const guint32 *up2 = Y >= 2 ? row - 2 * pw : NULL;
    const guint8 *i1 = img + (gsize) (Y - 1) * stride;
    const guint8 *i2 = Y >= 2 ? img + (gsize) (Y - 2) * stride : NULL;
    row[0] = row[pw - 1] = 0;
    for (X = 1; X < pw - 1; X++) {
      gint ix = X - pad - 1;    /* image column of the apex */
      guint32 v = up[X - 1] + up[X + 1] - (up2 ? up2[X] : 0);
      if (ix >= 0 && ix < w) {
        v += i1[ix];
        if (i2)
          v += i2[ix];
      }
      row[X] = v;
    }
    /* padded columns far left/right hold partial sums we never read */
  }
  for (Y = 0; Y <= h; Y++)
    for (X = 0; X <= w; X++)
      ii->tilted[(gsize) Y * ii->stride + X] = t[(gsize) Y * pw + X + pad];
  ii->have_tilted = TRUE;
}

gdouble
emo_rect_iou (const EmoRect * a, const EmoRect * b)
{
  gint x0 = MAX (a->x, b->x), y0 = MAX (a->y, b->y);
  gint x1 = MIN (a->x + a->width, b->x + b->width);
  gint y1 = MIN (a->y + a->height, b->y + b->height);
  gdouble inter, uni;

  if (a->width <= 0 || a->height <= 0 || b->width <= 0 || b->height <= 0)
    return 0.0;
  if (x1 <= x0 || y1 <= y0)
    return 0.0;
  inter = (gdouble) (x1 - x0) * (y1 - y0);
  uni = (gdouble) a->width * a->height + (gdouble) b->width * b->height - inter;
  return inter / uni;
}

gboolean
emo_rect_clip (EmoRect * r, gint width, gint height)
{
  gint64 x0 = MAX (r->x, 0), y0 = MAX (r->y, 0);
  gint64 x1 = MIN ((gint64) r->x + r->width, width);
  gint64 y1 = MIN ((gint64) r->y + r->height, height);

  if (r->width <= 0 || r->height <= 0 || x1 <= x0 || y1 <= y0) {
    r->x = r->y = r->width = r->height = 0;
    return FALSE;
  }
  r->x = (gint) x0;
  r->y = (gint) y0;
  r->width = (gint) (x1 - x0);
  r->height = (gint) (y1 - y0);
  return TRUE;
}
