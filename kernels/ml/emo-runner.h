/* gst-emo — the model runner: normalise -> forward -> non-finite guard,
 * the one path by which `emomtl` (a frame at a time) and `emo predict` (a
 * whole file at a time) turn feature frames into predictions.
 *
 * Per frame:
 * - a frame whose input values are ALL non-finite carries no input at all
 *   (nothing was measured): its outputs are NaN (missing, not 0, not a
 *   guess), it does not advance the recurrent state and does not enter the
 *   running statistics;
 * - otherwise the non-finite values among its inputs become the mean (0
 *   after standardisation, as before), the network runs, and an output that
 *   is still non-finite (cannot happen with validated weights and finite
 *   input) is guarded: the recurrent state is reset and that frame carries
 *   the last good prediction (before the first one: the prediction for an
 *   average frame from the zero state).
 * Attributes a model does not predict are not the runner's business: it
 * writes the model's n_out outputs only, so whoever lays them into a wider
 * row keeps NaN for the others.
 *
 * Feeding frames one at a time or many at once gives the same predictions
 * up to BLAS rounding (frame-at-a-time uses gemv-shaped products).
 * No GStreamer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_RUNNER_H
#define EMO_RUNNER_H

#include <glib.h>
#include "ml/emo-model.h"

G_BEGIN_DECLS

typedef struct {
  const EmoModel *model;        /* not owned: outlives the runner */
  EmoStreamNorm *norm;          /* running statistics; NULL: fixed */
  EmoNetState *state;
  EmoNetWork *work;
  float *xn, *y;                /* scratch, work-capacity frames */
  float *last;                  /* last good prediction (n_out) */
  guint64 bad_values;           /* non-finite inputs replaced by the mean */
  guint64 guarded;              /* frames whose output was non-finite */
  guint64 missing;              /* frames with no finite input */
} EmoModelRunner;

/* mode EMO_NORM_STREAM: a fresh running normaliser (warmup/window in
 * seconds, negative: the model's); otherwise the fixed statistics.
 * max_frames: frames per forward call (>= 1; larger calls are split). */
EmoModelRunner *emo_model_runner_new (const EmoModel * m, EmoNormMode mode,
    double warmup_s, double window_s, guint max_frames);
void emo_model_runner_free (EmoModelRunner * r);

/* Recurrent state back to zero (DISCONT, flush, a new file); the running
 * statistics stay. */
void emo_model_runner_reset_state (EmoModelRunner * r);

/* Frames x[T][n_in] -> y[T][n_out], continuing from the current state and
 * statistics. Returns the number of guarded frames of this call. */
guint emo_model_runner_process (EmoModelRunner * r, const float *x, guint T,
    float *y);

/* The prediction of the last good frame (n_out values). */
const float *emo_model_runner_last (const EmoModelRunner * r);

/* One prediction for a whole clip from its frame predictions y[T][K]: per
 * attribute the mean over frames first..T-1 where it is finite (NaN if
 * none is). */
void emo_clip_summary (const float *y, guint T, guint K, guint first,
    float *out);

/* The first frame a clip summary averages from: the later half of the
 * frames, at most `skip_s` seconds skipped. A frame's features summarise a
 * trailing window, and the first frames' windows hold little of the clip
 * (and often only the silence before it): on held-out EmoDB speakers the
 * later half scored at or above all frames and the last frame alone, most
 * with silence around the speech (docs/results.md, "A speech model that
 * generalises"). */
guint emo_clip_first_frame (guint T, double frame_rate, double skip_s);

G_END_DECLS

#endif
