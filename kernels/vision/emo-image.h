/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Grey-level image helpers for the vision kernels: luma from packed RGB,
 * bilinear resampling of a region, integral images, rectangle overlap.
 * Plain C + GLib, no GStreamer. Images are 8-bit, row-major, with an
 * explicit stride in bytes. */
#ifndef __EMO_IMAGE_H__
#define __EMO_IMAGE_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint x, y, width, height;
} EmoRect;

/* Luma (ITU-R BT.601, integer weights 77/150/29 over 256) of packed RGB-like
 * pixels: @pixel_stride bytes per pixel, the red/green/blue bytes at the
 * given offsets inside a pixel. */
void emo_gray_from_packed_rgb (guint8 * dst, gsize dst_stride,
    const guint8 * src, gsize src_stride, gint width, gint height,
    guint pixel_stride, guint r_off, guint g_off, guint b_off);

/* Bilinear resampling of the region (@rx, @ry, @rw, @rh) of @src (in source
 * pixels, may reach outside the image: border pixels are repeated) into a
 * @dw x @dh image. Pixel centres are mapped as OpenCV's INTER_LINEAR does:
 * sx = rx + (dx + 0.5) * rw / dw - 0.5. */
void emo_gray_resample (const guint8 * src, gint sw, gint sh, gsize sstride,
    gdouble rx, gdouble ry, gdouble rw, gdouble rh,
    guint8 * dst, gint dw, gint dh, gsize dstride);

/* Integral image of sums and of squared sums, (width+1) x (height+1)
 * entries, first row and column zero. Entries are unsigned 32-bit and wrap
 * around on large images: the sum over any rectangle is still exact as long
 * as it fits in 32 bits (always true for sums; for squared sums up to
 * 66051 pixels), because modular arithmetic cancels the wrap. */
typedef struct
{
  gint width, height;
  gsize stride;                 /* entries per row: width + 1 */
  guint32 *sum;
  guint32 *sqsum;
  gsize alloc;                  /* entries allocated in each table */
  guint32 *tilted;              /* 45-degree sums, see emo_integral_compute_tilted */
  gsize tilted_alloc;
  gboolean have_tilted;         /* @tilted belongs to the current image */
  guint32 *scratch;             /* padded work table for the tilted sums */
  gsize scratch_alloc;
} EmoIntegral;

void emo_integral_init (EmoIntegral * ii);
void emo_integral_clear (EmoIntegral * ii);
/* @with_squares: also fill @sqsum (Haar variance normalisation needs it). */
void emo_integral_compute (EmoIntegral * ii, const guint8 * img, gint width,
    gint height, gsize stride, gboolean with_squares);

/* Rotated (45 degree) integral image as OpenCV's cv::integral computes it
 * (Lienhart & Maydt 2002): tilted(X, Y) is the sum of the pixels (x, y)
 * with y < Y and |x - X + 1| <= Y - y - 1, i.e. the upward-widening
 * triangle whose apex is pixel (X-1, Y-1). Same layout and stride as @sum;
 * call after emo_integral_compute with the same image. */
void emo_integral_compute_tilted (EmoIntegral * ii, const guint8 * img,
    gsize stride);

static inline guint32
emo_integral_rect (const guint32 * t, gsize stride, gint x, gint y, gint w,
    gint h)
{
  const guint32 *a = t + (gsize) y * stride + x;
  const guint32 *b = a + (gsize) h * stride;
  return b[w] - b[0] - a[w] + a[0];
}

/* Intersection over union of two boxes (0 when either is empty). */
gdouble emo_rect_iou (const EmoRect * a, const EmoRect * b);
/* Clips @r to [0,w) x [0,h); returns FALSE when nothing is left. */
gboolean emo_rect_clip (EmoRect * r, gint width, gint height);

G_END_DECLS

#endif /* __EMO_IMAGE_H__ */
