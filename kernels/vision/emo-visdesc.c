/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "vision/emo-visdesc.h"

#include <math.h>
#include <string.h>

/* riu2 bin of each 8-bit code: popcount when uniform, else 9 */
static guint8 riu2_table[256];

static void
riu2_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    gint c;
    for (c = 0; c < 256; c++) {
      gint i, trans = 0, ones = 0;
      for (i = 0; i < 8; i++) {
        gint a = (c >> i) & 1, b = (c >> ((i + 1) & 7)) & 1;
        trans += a != b;
        ones += a;
      }
      riu2_table[c] = (guint8) (trans <= 2 ? ones : 9);
    }
    g_once_init_leave (&done, 1);
  }
}

static void
l1_normalise (gfloat * h, gint n)
{
  gdouble s = 0;
  gint i;

  for (i = 0; i < n; i++)
    s += h[i];
  if (s > 0)
    for (i = 0; i < n; i++)
      h[i] = (gfloat) (h[i] / s);
}

/* Cell index of interior coordinate (i over [1, n-1)) on a grid of g. */
static inline gint
cell_of (gint i, gint n, gint g)
{
  gint c = (gint) (((gint64) (i - 1) * g) / MAX (n - 2, 1));
  return CLAMP (c, 0, g - 1);
}

void
emo_lbp_riu2_histograms (const guint8 * img, gint width, gint height,
    gsize stride, gint grid, gfloat * out)
{
  gint x, y, n = grid * grid * EMO_VIS_LBP_BINS;

  riu2_init ();
  memset (out, 0, n * sizeof (gfloat));
  if (width < 3 || height < 3 || grid < 1)
    return;
  for (y = 1; y < height - 1; y++) {
    const guint8 *r0 = img + (gsize) (y - 1) * stride;
    const guint8 *r1 = r0 + stride, *r2 = r1 + stride;
    gint cy = cell_of (y, height, grid);
    for (x = 1; x < width - 1; x++) {
      gint c = r1[x], code;
      /* neighbours clockwise from the top-left */
      code = (r0[x - 1] >= c) | (r0[x] >= c) << 1 | (r0[x + 1] >= c) << 2 |
          (r1[x + 1] >= c) << 3 | (r2[x + 1] >= c) << 4 | (r2[x] >= c) << 5 |
          (r2[x - 1] >= c) << 6 | (r1[x - 1] >= c) << 7;
      out[(cy * grid + cell_of (x, width, grid)) * EMO_VIS_LBP_BINS +
          riu2_table[code]] += 1.0f;
    }
  }
  for (x = 0; x < grid * grid; x++)
    l1_normalise (out + x * EMO_VIS_LBP_BINS, EMO_VIS_LBP_BINS);
}

void
emo_hog_histograms (const guint8 * img, gint width, gint height, gsize stride,
    gint grid, gint bins, gfloat * out)
{
  gint x, y, n = grid * grid * bins;

  memset (out, 0, n * sizeof (gfloat));
  if (width < 3 || height < 3 || grid < 1 || bins < 1)
    return;
  for (y = 1; y < height - 1; y++) {
    const guint8 *r = img + (gsize) y * stride;
    gint cy = cell_of (y, height, grid);
    for (x = 1; x < width - 1; x++) {
      gint gx = r[x + 1] - r[x - 1];
      gint gy = (gint) r[x + stride] - (gint) r[x - stride];
      gdouble mag, ang, pos;
      gint b0, b1;
      gfloat *h;
      if (gx == 0 && gy == 0)
        continue;
      mag = sqrt ((gdouble) gx * gx + (gdouble) gy * gy);
      ang = atan2 (gy, gx) * (180.0 / G_PI);
      if (ang < 0)
        ang += 180.0;
      if (ang >= 180.0)
        ang -= 180.0;
      /* linear vote between the two nearest bin centres, wrapping at 180 */
      pos = ang * bins / 180.0 - 0.5;
      b0 = (gint) floor (pos);
      pos -= b0;
      b1 = b0 + 1;
      if (b0 < 0)
        b0 += bins;
      if (b1 >= bins)
        b1 -= bins;
      h = out + (cy * grid + cell_of (x, width, grid)) * bins;
      h[b0] += (gfloat) (mag * (1.0 - pos));
      h[b1] += (gfloat) (mag * pos);
    }
  }
  for (x = 0; x < grid * grid; x++)
    l1_normalise (out + x * bins, bins);
}

void
emo_motion_energy (const guint8 * cur, const guint8 * prev, gint width,
    gint height, gsize stride, gfloat out[2])
{
  gint x, y, half = height / 2;
  guint64 s[2] = { 0, 0 };
  guint64 n[2] = { 0, 0 };

  for (y = 0; y < height; y++) {
    const guint8 *a = cur + (gsize) y * stride, *b = prev + (gsize) y *stride;
    gint part = y < half ? 0 : 1;
    guint32 acc = 0;
    for (x = 0; x < width; x++)
      acc += (guint32) ABS ((gint) a[x] - (gint) b[x]);
    s[part] += acc;
    n[part] += width;
  }
  out[0] = n[0] ? (gfloat) (s[0] / (255.0 * n[0])) : 0.0f;
  out[1] = n[1] ? (gfloat) (s[1] / (255.0 * n[1])) : 0.0f;
}

void
emo_vis_track_reset (EmoVisTrack * tr)
{
  memset (tr, 0, sizeof (*tr));
}

void
emo_vis_describe_frame (EmoVisTrack * tr, const guint8 * gray, gint width,
    gint height, gsize stride, const EmoRect * box, gdouble t, gfloat * out)
{
  gdouble geom[3];
  gdouble dt;
  gint i;

  memset (out, 0, EMO_VIS_FRAME_DIMS * sizeof (gfloat));
  if (width <= 0 || height <= 0 || box->width <= 0 || box->height <= 0)
    return;
  emo_gray_resample (gray, width, height, stride, box->x, box->y, box->width,
      box->height, tr->patch, EMO_VIS_PATCH, EMO_VIS_PATCH, EMO_VIS_PATCH);

  geom[0] = (box->x + 0.5 * box->width) / width;
  geom[1] = (box->y + 0.5 * box->height) / height;
  geom[2] = (gdouble) box->width / width;
  dt = t - tr->prev_t;
  for (i = 0; i < 3; i++)
    out[EMO_VIS_GEOM_OFFSET + i] = (gfloat) geom[i];
  if (tr->have_prev && dt > 1e-6 && isfinite (dt)) {
    gfloat m[2];
    for (i = 0; i < 3; i++)
      out[EMO_VIS_GEOM_OFFSET + 3 + i] =
          (gfloat) ((geom[i] - tr->prev_geom[i]) / dt);
    emo_motion_energy (tr->patch, tr->prev_patch, EMO_VIS_PATCH, EMO_VIS_PATCH,
        EMO_VIS_PATCH, m);
    out[EMO_VIS_MOTION_OFFSET] = (gfloat) (m[0] / dt);
    out[EMO_VIS_MOTION_OFFSET + 1] = (gfloat) (m[1] / dt);
  }
  emo_lbp_riu2_histograms (tr->patch, EMO_VIS_PATCH, EMO_VIS_PATCH,
      EMO_VIS_PATCH, EMO_VIS_GRID, out + EMO_VIS_LBP_OFFSET);
  emo_hog_histograms (tr->patch, EMO_VIS_PATCH, EMO_VIS_PATCH, EMO_VIS_PATCH,
      EMO_VIS_GRID, EMO_VIS_HOG_BINS, out + EMO_VIS_HOG_OFFSET);

  memcpy (tr->prev_patch, tr->patch, sizeof (tr->patch));
  memcpy (tr->prev_geom, geom, sizeof (geom));
  tr->prev_t = t;
  tr->have_prev = TRUE;
}

/* ---- pooling ------------------------------------------------------------ */

typedef struct
{
  guint frames, face_frames;
  guint64 faces;
  gdouble *sum, *sumsq;
} HopAcc;

struct _EmoVisPool
{
  guint dims, n_hops, cur;
  HopAcc *hops;
  gdouble *mem;
};

EmoVisPool *
emo_vis_pool_new (guint dims, guint window_hops)
{
  EmoVisPool *p;
  guint i;

  g_return_val_if_fail (dims > 0 && window_hops > 0, NULL);
  p = g_new0 (EmoVisPool, 1);
  p->dims = dims;
  p->n_hops = window_hops;
  p->hops = g_new0 (HopAcc, window_hops);
  p->mem = g_new0 (gdouble, 2 * (gsize) dims * window_hops);
  for (i = 0; i < window_hops; i++) {
    p->hops[i].sum = p->mem + 2 * (gsize) dims *i;
    p->hops[i].sumsq = p->hops[i].sum + dims;
  }
  return p;
}

void
emo_vis_pool_free (EmoVisPool * p)
{
  if (!p)
    return;
  g_free (p->hops);
  g_free (p->mem);
  g_free (p);
}

static void
hop_clear (EmoVisPool * p, HopAcc * h)
{
  h->frames = h->face_frames = 0;
  h->faces = 0;
  memset (h->sum, 0, 2 * (gsize) p->dims * sizeof (gdouble));
}

void
emo_vis_pool_reset (EmoVisPool * p)
{
  guint i;

  for (i = 0; i < p->n_hops; i++)
    hop_clear (p, &p->hops[i]);
  p->cur = 0;
}

void
emo_vis_pool_add_frame (EmoVisPool * p, const gfloat * vec, guint n_faces)
{
  HopAcc *h = &p->hops[p->cur];
  guint i;

  h->frames++;
  h->faces += n_faces;
  if (!vec)
    return;
  for (i = 0; i < p->dims; i++)
    if (!isfinite (vec[i]))
      return;                   /* never let a non-finite value into the sums */
  h->face_frames++;
  for (i = 0; i < p->dims; i++) {
    h->sum[i] += vec[i];
    h->sumsq[i] += (gdouble) vec[i] * vec[i];
  }
}

guint
emo_vis_pool_hop_frames (const EmoVisPool * p)
{
  return p->hops[p->cur].frames;
}

guint
emo_vis_pool_hop_face_frames (const EmoVisPool * p)
{
  return p->hops[p->cur].face_frames;
}

void
emo_vis_pool_finish_hop (EmoVisPool * p, gfloat * out)
{
  guint i, k, frames = 0, face_frames = 0;
  guint64 faces = 0;
  if (out) {
    memset (out, 0, (2 * (gsize) p->dims + 2) * sizeof (gfloat));
    for (k = 0; k < p->n_hops; k++) {
      frames += p->hops[k].frames;
      face_frames += p->hops[k].face_frames;
      faces += p->hops[k].faces;
    }
    if (face_frames > 0) {
      for (i = 0; i < p->dims; i++) {
        gdouble s = 0, ss = 0, m, v;
        for (k = 0; k < p->n_hops; k++) {
          s += p->hops[k].sum[i];
          ss += p->hops[k].sumsq[i];
        }
        m = s / face_frames;
        v = ss / face_frames - m * m;
        out[i] = (gfloat) m;
        out[p->dims + i] = (gfloat) sqrt (v > 0 ? v : 0);
      }
    }
    if (frames > 0) {
      out[2 * p->dims] = (gfloat) ((gdouble) face_frames / frames);
      out[2 * p->dims + 1] = (gfloat) ((gdouble) faces / frames);
    }
  }
  p->cur = (p->cur + 1) % p->n_hops;
  hop_clear (p, &p->hops[p->cur]);
}

gchar **
emo_vis_feature_names (void)
{
  static const gchar *geom[8] = { "face_cx", "face_cy", "face_size", "face_vx",
    "face_vy", "face_vsize", "motion_upper", "motion_lower"
  };
  gchar *base[EMO_VIS_FRAME_DIMS];
  gint i, r, c, b, k = 0;

  for (i = 0; i < 8; i++)
    base[k++] = g_strdup (geom[i]);
  for (r = 0; r < EMO_VIS_GRID; r++)
    for (c = 0; c < EMO_VIS_GRID; c++)
      for (b = 0; b < EMO_VIS_LBP_BINS; b++)
        base[k++] = b < 9 ? g_strdup_printf ("lbp_r%dc%d_u%d", r, c, b)
            : g_strdup_printf ("lbp_r%dc%d_nu", r, c);
  for (r = 0; r < EMO_VIS_GRID; r++)
    for (c = 0; c < EMO_VIS_GRID; c++)
      for (b = 0; b < EMO_VIS_HOG_BINS; b++)
        base[k++] = g_strdup_printf ("hog_r%dc%d_%03d", r, c,
            (gint) ((b + 0.5) * 180 / EMO_VIS_HOG_BINS));
  g_assert (k == EMO_VIS_FRAME_DIMS);
  return emo_vis_pooled_names (base, EMO_VIS_FRAME_DIMS);
}

gchar **
emo_vis_pooled_names (gchar ** base, guint n)
{
  gchar **names = g_new0 (gchar *, 2 * n + 3);
  guint i;

  for (i = 0; i < n; i++) {
    names[i] = g_strconcat (base[i], "_mean", NULL);
    names[n + i] = g_strconcat (base[i], "_std", NULL);
    g_free (base[i]);
  }
  names[2 * n] = g_strdup ("face_fraction");
  names[2 * n + 1] = g_strdup ("faces_mean");
  return names;
}
