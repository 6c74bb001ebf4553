/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Landmark-based face features (layout "vis-v2", every dimension in
 * docs/visual-features.md) from 68 landmarks in the iBUG 300-W order (the
 * order of dlib's and face-api.js's 68-point models) and 7 expression
 * probabilities.
 *
 * Per analysed frame (EMO_FACEFEAT_FRAME_DIMS values):
 *   pose      3  yaw, pitch, roll in degrees: a scaled-orthographic fit of
 *                a generic 6-point 3D face (emo_face_head_pose)
 *   AU-like   9  distances in inter-ocular units on the aligned shape:
 *                brow raise (each side), inner brow gap, eye opening (each
 *                side), lip-corner pull, lip stretch, mouth opening, jaw drop
 *   expr      7  the expression probabilities
 *   shape   136  the 68 points aligned: origin at the eyes' midpoint, the
 *                eye line horizontal, one unit = the inter-ocular distance
 * Pooled per hop over the window with EmoVisPool (emo-visdesc.h): mean and
 * standard deviation of each, then the fraction of analysed frames with a
 * face and the mean number of faces in view.
 *
 * Point numbering (0-based): jaw 0-16, brows 17-21 and 22-26, nose 27-35,
 * eyes 36-41 and 42-47, outer lips 48-59, inner lips 60-67. "Left" and
 * "right" below are the viewer's (image) sides: points 17-21 and 36-41 are
 * on the image's left. */
#ifndef __EMO_FACEFEAT_H__
#define __EMO_FACEFEAT_H__

#include <glib.h>

G_BEGIN_DECLS

#define EMO_FACEFEAT_N_POINTS 68
#define EMO_FACEFEAT_N_EXPR 7

#define EMO_FACEFEAT_POSE_OFFSET 0
#define EMO_FACEFEAT_AU_OFFSET 3
#define EMO_FACEFEAT_N_AU 9
#define EMO_FACEFEAT_EXPR_OFFSET (EMO_FACEFEAT_AU_OFFSET + EMO_FACEFEAT_N_AU)
#define EMO_FACEFEAT_SHAPE_OFFSET (EMO_FACEFEAT_EXPR_OFFSET + EMO_FACEFEAT_N_EXPR)
#define EMO_FACEFEAT_FRAME_DIMS (EMO_FACEFEAT_SHAPE_OFFSET + 2 * EMO_FACEFEAT_N_POINTS)
#define EMO_FACEFEAT_POOLED_DIMS (2 * EMO_FACEFEAT_FRAME_DIMS + 2)
#define EMO_FACEFEAT_LAYOUT "vis-v2"

/* AU-like distances, in this order from EMO_FACEFEAT_AU_OFFSET */
typedef enum
{
  EMO_FACEFEAT_BROW_RAISE_L,
  EMO_FACEFEAT_BROW_RAISE_R,
  EMO_FACEFEAT_BROW_GAP,
  EMO_FACEFEAT_EYE_OPEN_L,
  EMO_FACEFEAT_EYE_OPEN_R,
  EMO_FACEFEAT_LIP_CORNER_PULL,
  EMO_FACEFEAT_LIP_STRETCH,
  EMO_FACEFEAT_MOUTH_OPEN,
  EMO_FACEFEAT_JAW_DROP,
} EmoFaceFeatAu;

/* Aligns @lm (x0, y0, x1, y1, ... in image pixels, y down) into @out:
 * translated so that the midpoint of the two eye centres (means of points
 * 36-41 and 42-47) is the origin, rotated so that the line from the left to
 * the right eye centre points along +x, divided by the distance between the
 * eye centres. @iod_px receives that distance (may be NULL). FALSE for
 * non-finite input or an inter-ocular distance under 1 pixel. */
gboolean emo_face_align (const gfloat * lm, gfloat * out, gdouble * iod_px);

/* Head pose in degrees from image landmarks (y down): the 2x3 scaled
 * orthographic projection that best maps six points of a generic 3D face
 * (nose tip 30, chin 8, outer eye corners 36 and 45, mouth corners 48 and
 * 54) onto the image points in the least-squares sense, made a rotation,
 * as Euler angles of R = Rz(roll) Ry(yaw) Rx(pitch). yaw > 0: the nose
 * points to the image's right; pitch > 0: the face looks down; roll > 0:
 * the face is turned clockwise on screen. FALSE for degenerate input. */
gboolean emo_face_head_pose (const gfloat * lm, gdouble pose[3]);

/* The per-frame vector (EMO_FACEFEAT_FRAME_DIMS values) for one face.
 * FALSE (out untouched) when the landmarks are degenerate or a probability
 * is not finite. */
gboolean emo_facefeat_describe (const gfloat * lm, const gfloat * probs,
    gfloat * out);

/* Names of the EMO_FACEFEAT_POOLED_DIMS pooled values in order
 * (NULL-terminated, free with g_strfreev): "<name>_mean", then
 * "<name>_std" for the per-frame values, then "face_fraction" and
 * "faces_mean". Per-frame names: head_yaw, head_pitch, head_roll,
 * au_brow_raise_l, au_brow_raise_r, au_brow_gap, au_eye_open_l,
 * au_eye_open_r, au_lip_corner_pull, au_lip_stretch, au_mouth_open,
 * au_jaw_drop, expr_neutral, expr_happy, expr_sad, expr_angry,
 * expr_fearful, expr_disgusted, expr_surprised, lm<NN>_x, lm<NN>_y. */
gchar **emo_facefeat_names (void);

/* ---- still images ---------------------------------------------------------
 * Face datasets are often tight crops, where a detector trained on scenes
 * finds nothing. How a still image's face box is chosen: */
typedef enum
{
  EMO_STILL_FACE_DETECTED,      /* the detector's best box */
  EMO_STILL_FACE_SMALL,         /* whole image: shorter side <= 128 px */
  EMO_STILL_FACE_NO_BOX,        /* whole image: no box scoring 0.5 */
  EMO_STILL_FACE_LARGE_BOX,     /* whole image: best box covers >= 60% */
} EmoStillFace;

#define EMO_STILL_SMALL_SIDE 128
#define EMO_STILL_MIN_SCORE 0.5f
#define EMO_STILL_LARGE_SHARE 0.6

/* Chooses the face box of a @width x @height still image: @best is the
 * detector's best box (x, y, w, h, score; NULL when the detector was not run
 * or found nothing). Writes @box (x, y, w, h): @best, or the whole image
 * (which the face nets pad to a square). */
EmoStillFace emo_still_face_choose (gint width, gint height,
    const gfloat * best, gfloat box[4]);

/* "detected", "small", "no-box", "large-box" */
const gchar *emo_still_face_name (EmoStillFace how);

/* Folder of the face network weights: the installed one when it exists,
 * else the source tree's models/face (uninstalled runs, tests). Free it. */
gchar *emo_face_models_default_dir (void);

G_END_DECLS

#endif /* __EMO_FACEFEAT_H__ */
