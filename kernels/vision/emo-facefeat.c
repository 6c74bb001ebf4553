/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* install and source paths of the face weights */
#include "config.h"
#include "vision/emo-facefeat.h"
#include "vision/emo-visdesc.h"

#include <math.h>
#include <string.h>

#define NP EMO_FACEFEAT_N_POINTS
#define X(lm, i) ((gdouble) (lm)[2 * (i)])
#define Y(lm, i) ((gdouble) (lm)[2 * (i) + 1])

static gboolean
all_finite (const gfloat * v, gint n)
{
  gint i;

  for (i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

static void
mean_point (const gfloat * lm, gint first, gint last, gdouble * x, gdouble * y)
{
  gint i;

  *x = *y = 0;
  for (i = first; i <= last; i++) {
    *x += X (lm, i);
    *y += Y (lm, i);
  }
  *x /= last - first + 1;
  *y /= last - first + 1;
}

gboolean
emo_face_align (const gfloat * lm, gfloat * out, gdouble * iod_px)
{
  gdouble lx, ly, rx, ry, cx, cy, dx, dy, iod, c, s;
  gint i;

  if (!all_finite (lm, 2 * NP))
    return FALSE;
  mean_point (lm, 36, 41, &lx, &ly);
  mean_point (lm, 42, 47, &rx, &ry);
  dx = rx - lx;
  dy = ry - ly;
  iod = sqrt (dx * dx + dy * dy);
  if (!(iod >= 1.0))
    return FALSE;
  cx = (lx + rx) / 2;
  cy = (ly + ry) / 2;
  /* rotate by minus the eye line's angle, then scale */
  c = dx / iod;
  s = dy / iod;
  for (i = 0; i < NP; i++) {
    gdouble px = X (lm, i) - cx, py = Y (lm, i) - cy;
    out[2 * i] = (gfloat) ((c * px + s * py) / iod);
    out[2 * i + 1] = (gfloat) ((-s * px + c * py) / iod);
  }
  if (iod_px)
    *iod_px = iod;
  return TRUE;
}

/* The generic six-point face (x right, y up, z toward the camera, nose tip
 * at the origin; arbitrary units, only proportions matter) of S. Mallick,
 * "Head Pose Estimation using OpenCV and Dlib", LearnOpenCV (2016), with the
 * 68-point indices it is matched to. */
static const gint pose_index[6] = { 30, 8, 36, 45, 48, 54 };

static const gdouble pose_model[6][3] = {
  {0.0, 0.0, 0.0},              /* nose tip */
  {0.0, -330.0, -65.0},         /* chin */
  {-225.0, 170.0, -135.0},      /* outer corner of the image-left eye */
  {225.0, 170.0, -135.0},       /* outer corner of the image-right eye */
  {-150.0, -150.0, -125.0},     /* image-left mouth corner */
  {150.0, -150.0, -125.0},      /* image-right mouth corner */
};

static gboolean
invert3 (const gdouble a[3][3], gdouble inv[3][3])
{
  gdouble det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
      - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
      + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  gint i, j;

  if (fabs (det) < 1e-12)
    return FALSE;
  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++) {
      /* cofactor of a[j][i] */
      gint r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 =
          (i + 2) % 3;
      inv[i][j] = (a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]) / det;
    }
  return TRUE;
}

static gboolean
normalise3 (gdouble v[3])
{
  gdouble n = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  gint i;

  if (!(n > 1e-12))
    return FALSE;
  for (i = 0; i < 3; i++)
    v[i] /= n;
  return TRUE;
}

/* Least-squares 2x3 projection M (rows m[0], m[1]) from the centred model
 * points to the centred image points (y up). */
static gboolean
fit_projection (const gfloat * lm, gdouble m[2][3])
{
  gdouble pm[6][3], pi[6][2], mc[3] = { 0 }, ic[2] = { 0 };
  gdouble ata[3][3] = { {0} }, inv[3][3], atb[3][2] = { {0} };
  gint k, i, j;

  for (k = 0; k < 6; k++) {
    for (i = 0; i < 3; i++)
      mc[i] += pose_model[k][i] / 6;
    ic[0] += X (lm, pose_index[k]) / 6;
    ic[1] += -Y (lm, pose_index[k]) / 6;
  }
  for (k = 0; k < 6; k++) {
    for (i = 0; i < 3; i++)
      pm[k][i] = pose_model[k][i] - mc[i];
    pi[k][0] = X (lm, pose_index[k]) - ic[0];
    pi[k][1] = -Y (lm, pose_index[k]) - ic[1];
  }
  for (k = 0; k < 6; k++)
    for (i = 0; i < 3; i++) {
      for (j = 0; j < 3; j++)
        ata[i][j] += pm[k][i] * pm[k][j];
      for (j = 0; j < 2; j++)
        atb[i][j] += pm[k][i] * pi[k][j];
    }
  if (!invert3 (ata, inv))
    return FALSE;
  for (j = 0; j < 2; j++)
    for (i = 0; i < 3; i++)
      m[j][i] = inv[i][0] * atb[0][j] + inv[i][1] * atb[1][j]
          + inv[i][2] * atb[2][j];
  return TRUE;
}

gboolean
emo_face_head_pose (const gfloat * lm, gdouble pose[3])
{
  gdouble m[2][3], r1[3], r2[3], c[3], d[3], r3[3];
  gint i;

  if (!all_finite (lm, 2 * NP) || !fit_projection (lm, m))
    return FALSE;
  memcpy (r1, m[0], sizeof (r1));
  memcpy (r2, m[1], sizeof (r2));
  if (!normalise3 (r1) || !normalise3 (r2))
    return FALSE;
  /* nearest orthonormal pair, symmetric in the two rows */
  for (i = 0; i < 3; i++) {
    c[i] = r1[i] + r2[i];
    d[i] = r1[i] - r2[i];
  }
  if (!normalise3 (c) || !normalise3 (d))
    return FALSE;
  for (i = 0; i < 3; i++) {
    r1[i] = (c[i] + d[i]) / G_SQRT2;
    r2[i] = (c[i] - d[i]) / G_SQRT2;
  }
  r3[0] = r1[1] * r2[2] - r1[2] * r2[1];
  r3[1] = r1[2] * r2[0] - r1[0] * r2[2];
  r3[2] = r1[0] * r2[1] - r1[1] * r2[0];
  /* R = Rz(g) Ry(b) Rx(a): R20 = -sin b, R21/R22 = tan a, R10/R00 = tan g;
   * Rz(g) > 0 turns counter-clockwise with y up, so roll is -g */
  pose[0] = asin (CLAMP (-r3[0], -1.0, 1.0)) * 180.0 / G_PI;
  pose[1] = atan2 (r3[1], r3[2]) * 180.0 / G_PI;
  pose[2] = -atan2 (r2[0], r1[0]) * 180.0 / G_PI;
  return TRUE;
}

static gdouble
dist (const gfloat * a, gint i, gint j)
{
  gdouble dx = X (a, i) - X (a, j), dy = Y (a, i) - Y (a, j);

  return sqrt (dx * dx + dy * dy);
}

/* AU-like distances on the aligned shape (y down, inter-ocular units). */
static void
au_distances (const gfloat * a, gfloat * au)
{
  gdouble lx, ly, rx, ry, bl = 0, br = 0;
  gint i;

  mean_point (a, 36, 41, &lx, &ly);
  mean_point (a, 42, 47, &rx, &ry);
  for (i = 0; i < 5; i++) {
    bl += ly - Y (a, 17 + i);
    br += ry - Y (a, 22 + i);
  }
  au[EMO_FACEFEAT_BROW_RAISE_L] = (gfloat) (bl / 5);
  au[EMO_FACEFEAT_BROW_RAISE_R] = (gfloat) (br / 5);
  au[EMO_FACEFEAT_BROW_GAP] = (gfloat) dist (a, 21, 22);
  au[EMO_FACEFEAT_EYE_OPEN_L] =
      (gfloat) ((dist (a, 37, 41) + dist (a, 38, 40)) / 2);
  au[EMO_FACEFEAT_EYE_OPEN_R] =
      (gfloat) ((dist (a, 43, 47) + dist (a, 44, 46)) / 2);
  /* corners above the middle of the lips: positive */
  au[EMO_FACEFEAT_LIP_CORNER_PULL] =
      (gfloat) ((Y (a, 51) + Y (a, 57)) / 2 - (Y (a, 48) + Y (a, 54)) / 2);
  au[EMO_FACEFEAT_LIP_STRETCH] = (gfloat) dist (a, 48, 54);
  au[EMO_FACEFEAT_MOUTH_OPEN] =
      (gfloat) ((dist (a, 61, 67) + dist (a, 62, 66) + dist (a, 63, 65)) / 3);
  au[EMO_FACEFEAT_JAW_DROP] = (gfloat) (Y (a, 8) - Y (a, 33));
}

gboolean
emo_facefeat_describe (const gfloat * lm, const gfloat * probs, gfloat * out)
{
  gfloat aligned[2 * NP];
  gdouble pose[3];
  gint i;

  if (!probs || !all_finite (probs, EMO_FACEFEAT_N_EXPR))
    return FALSE;
  if (!emo_face_align (lm, aligned, NULL) || !emo_face_head_pose (lm, pose))
    return FALSE;
  for (i = 0; i < 3; i++)
    out[EMO_FACEFEAT_POSE_OFFSET + i] = (gfloat) pose[i];
  au_distances (aligned, out + EMO_FACEFEAT_AU_OFFSET);
  memcpy (out + EMO_FACEFEAT_EXPR_OFFSET, probs,
      EMO_FACEFEAT_N_EXPR * sizeof (gfloat));
  memcpy (out + EMO_FACEFEAT_SHAPE_OFFSET, aligned, sizeof (aligned));
  return TRUE;
}

gchar **
emo_facefeat_names (void)
{
  static const gchar *fixed[EMO_FACEFEAT_SHAPE_OFFSET] = {
    "head_yaw", "head_pitch", "head_roll",
    "au_brow_raise_l", "au_brow_raise_r", "au_brow_gap", "au_eye_open_l",
    "au_eye_open_r", "au_lip_corner_pull", "au_lip_stretch", "au_mouth_open",
    "au_jaw_drop",
    "expr_neutral", "expr_happy", "expr_sad", "expr_angry", "expr_fearful",
    "expr_disgusted", "expr_surprised"
  };
  gchar *base[EMO_FACEFEAT_FRAME_DIMS];
  gint i, k = 0;

  for (i = 0; i < EMO_FACEFEAT_SHAPE_OFFSET; i++)
    base[k++] = g_strdup (fixed[i]);
  for (i = 0; i < NP; i++) {
    base[k++] = g_strdup_printf ("lm%02d_x", i);
    base[k++] = g_strdup_printf ("lm%02d_y", i);
  }
  g_assert (k == EMO_FACEFEAT_FRAME_DIMS);
  return emo_vis_pooled_names (base, EMO_FACEFEAT_FRAME_DIMS);
}

EmoStillFace
emo_still_face_choose (gint width, gint height, const gfloat * best,
    gfloat box[4])
{
  EmoStillFace how;

  if (MIN (width, height) <= EMO_STILL_SMALL_SIDE)
    how = EMO_STILL_FACE_SMALL;
  else if (!best || !(best[4] >= EMO_STILL_MIN_SCORE))
    how = EMO_STILL_FACE_NO_BOX;
  else {
    /* the part of the box inside the image */
    gdouble x0 = MAX (best[0], 0), y0 = MAX (best[1], 0);
    gdouble x1 = MIN (best[0] + best[2], width);
    gdouble y1 = MIN (best[1] + best[3], height);
    gdouble area = MAX (x1 - x0, 0) * MAX (y1 - y0, 0);
    how = area >= EMO_STILL_LARGE_SHARE * width * height ?
        EMO_STILL_FACE_LARGE_BOX : EMO_STILL_FACE_DETECTED;
  }
  if (how == EMO_STILL_FACE_DETECTED) {
    memcpy (box, best, 4 * sizeof (gfloat));
  } else {
    box[0] = box[1] = 0;
    box[2] = (gfloat) width;
    box[3] = (gfloat) height;
  }
  return how;
}

const gchar *
emo_still_face_name (EmoStillFace how)
{
  static const gchar *const names[] = { "detected", "small", "no-box",
    "large-box"
  };
  return (guint) how < G_N_ELEMENTS (names) ? names[how] : "detected";
}

gchar *
emo_face_models_default_dir (void)
{
#ifdef EMO_MODELS_DIR
  gchar *installed = g_build_filename (EMO_MODELS_DIR, "face", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return installed;
  g_free (installed);
#endif
#ifdef EMO_SOURCE_ROOT
  return g_build_filename (EMO_SOURCE_ROOT, "models", "face", NULL);
#else
  return g_strdup ("models/face");
#endif
}
