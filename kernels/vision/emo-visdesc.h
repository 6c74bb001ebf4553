/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Per-frame face descriptors and their pooling over a window (layout
 * "vis-v1", documented dimension by dimension in docs/visual-features.md).
 *
 * Per frame, on the face box resampled to EMO_VIS_PATCH x EMO_VIS_PATCH
 * grey pixels:
 *   geometry  6  centre x, centre y (fractions of frame width/height),
 *                size (box width / frame width), and their velocities (1/s)
 *   motion    2  mean absolute frame difference of the patch, upper and
 *                lower half (grey fraction per second)
 *   LBP      40  rotation-invariant uniform LBP(8,1) histograms (10 bins),
 *                2x2 grid of cells, each L1-normalised
 *   HOG      36  unsigned gradient orientation histograms (9 bins over
 *                0-180 degrees, magnitude weighted), 2x2 cells, L1-normalised
 * Pooled per hop over the window: mean and standard deviation of the 84
 * per-frame values over the frames with a face, then the fraction of
 * frames with a face and the mean number of faces in view: 170 values. */
#ifndef __EMO_VISDESC_H__
#define __EMO_VISDESC_H__

#include <glib.h>
#include "vision/emo-image.h"

G_BEGIN_DECLS

#define EMO_VIS_PATCH 48
#define EMO_VIS_GRID 2
#define EMO_VIS_LBP_BINS 10
#define EMO_VIS_HOG_BINS 9

#define EMO_VIS_GEOM_OFFSET 0
#define EMO_VIS_MOTION_OFFSET 6
#define EMO_VIS_LBP_OFFSET 8
#define EMO_VIS_HOG_OFFSET (EMO_VIS_LBP_OFFSET + EMO_VIS_GRID * EMO_VIS_GRID * EMO_VIS_LBP_BINS)
#define EMO_VIS_FRAME_DIMS (EMO_VIS_HOG_OFFSET + EMO_VIS_GRID * EMO_VIS_GRID * EMO_VIS_HOG_BINS)
#define EMO_VIS_POOLED_DIMS (2 * EMO_VIS_FRAME_DIMS + 2)
#define EMO_VIS_LAYOUT "vis-v1"

/* Rotation-invariant uniform LBP(8,1) ("riu2", Ojala et al. 2002): the 8
 * neighbours of each interior pixel are thresholded at the centre value
 * (>= gives 1); a code with at most two 0/1 transitions around the circle
 * goes to bin "number of ones" (0..8), any other to bin 9. Histograms of a
 * @grid x @grid partition of the interior, each L1-normalised, written to
 * @out (grid*grid*10 values, cell-major, rows first). */
void emo_lbp_riu2_histograms (const guint8 * img, gint width, gint height,
    gsize stride, gint grid, gfloat * out);

/* Unsigned-orientation gradient histograms (central differences,
 * orientation in [0, 180) split into @bins equal bins with linear
 * interpolation between neighbouring bins, weighted by gradient
 * magnitude) over a @grid x @grid partition, each L1-normalised (an
 * all-flat cell gives zeros). @out holds grid*grid*bins values. Bin b is
 * centred on (b + 0.5) * 180 / bins degrees. */
void emo_hog_histograms (const guint8 * img, gint width, gint height,
    gsize stride, gint grid, gint bins, gfloat * out);

/* Mean absolute difference between two equally sized images, in grey
 * fractions (0..1), over the upper and the lower half of the rows. */
void emo_motion_energy (const guint8 * cur, const guint8 * prev, gint width,
    gint height, gsize stride, gfloat out[2]);

/* Per-face-track state for the per-frame descriptor. */
typedef struct
{
  guint8 patch[EMO_VIS_PATCH * EMO_VIS_PATCH];
  guint8 prev_patch[EMO_VIS_PATCH * EMO_VIS_PATCH];
  gdouble prev_geom[3];
  gdouble prev_t;
  gboolean have_prev;
} EmoVisTrack;

void emo_vis_track_reset (EmoVisTrack * tr);

/* Describes the face @box (frame pixels, clipped by the caller or not) in
 * the grey frame at time @t (seconds) into @out[EMO_VIS_FRAME_DIMS].
 * Velocities and motion are zero on the first frame of a track (after a
 * reset or a frame without a face) and when time does not advance. */
void emo_vis_describe_frame (EmoVisTrack * tr, const guint8 * gray,
    gint width, gint height, gsize stride, const EmoRect * box, gdouble t,
    gfloat * out);

/* Names of the EMO_VIS_POOLED_DIMS pooled values in order (NULL-terminated,
 * free with g_strfreev): "<name>_mean" for the 84 per-frame values, then
 * "<name>_std", then "face_fraction" and "faces_mean". Per-frame names:
 * face_cx, face_cy, face_size, face_vx, face_vy, face_vsize, motion_upper,
 * motion_lower, lbp_r<row>c<col>_u<ones> (ones 0..8) and lbp_r<row>c<col>_nu
 * (non-uniform), hog_r<row>c<col>_<centre degrees>. */
gchar **emo_vis_feature_names (void);
/* The names of a pooled vector: each of the n per-frame names (taken and
 * freed) with _mean, then with _std, then face_fraction and faces_mean, as
 * emo_vis_pool lays the values out. */
gchar **emo_vis_pooled_names (gchar ** base, guint n);

/* Window pooling over per-hop accumulators: memory and cost per hop do
 * not depend on the video frame rate. */
typedef struct _EmoVisPool EmoVisPool;

EmoVisPool *emo_vis_pool_new (guint dims, guint window_hops);
void emo_vis_pool_free (EmoVisPool * p);
void emo_vis_pool_reset (EmoVisPool * p);
/* One video frame: @vec (dims values) when a face was described, NULL when
 * not; @n_faces faces in view. */
void emo_vis_pool_add_frame (EmoVisPool * p, const gfloat * vec, guint n_faces);
/* Frames and face frames added to the current hop so far. */
guint emo_vis_pool_hop_frames (const EmoVisPool * p);
guint emo_vis_pool_hop_face_frames (const EmoVisPool * p);
/* Writes mean[dims], std[dims], face fraction, mean face count over the
 * window ending with the current hop into @out (2*dims+2 values; zeros
 * where the window has no face frame), then starts a new hop. */
void emo_vis_pool_finish_hop (EmoVisPool * p, gfloat * out);

G_END_DECLS

#endif /* __EMO_VISDESC_H__ */
