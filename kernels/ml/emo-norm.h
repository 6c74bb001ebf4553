/* gst-emo — running per-stream feature normalisation.
 *
 * Standardises each feature with the mean and standard deviation of the
 * stream seen so far (one speaker, one session, one microphone), so that a
 * model hears every voice relative to itself. The running estimates start at
 * a prior (the model's training statistics) that counts as `warmup` frames
 * of data, so the first frames are normalised as the fixed training
 * statistics would and the stream's own statistics take over smoothly:
 * after `warmup` frames they weigh half. With a finite `window` (frames) old
 * frames are forgotten exponentially (time constant `window`), so the
 * statistics follow a drifting stream; window 0 keeps the whole stream. The
 * prior is never forgotten: with a window the data's weight saturates near
 * `window` frames and the prior keeps its `warmup`, a fixed shrinkage.
 *
 * Causal: the output for frame t uses frames 0..t only. Non-finite input
 * values are left out of the statistics and come out as 0 (the mean). The
 * standard deviation is floored at EMO_NORM_MIN_STD_RATIO times the prior's,
 * so a feature that is constant in a stream (silence, a frozen camera)
 * cannot blow up. docs/mtl.md ("Per-stream normalisation") explains the choice.
 * No GStreamer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_NORM_H
#define EMO_NORM_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_NORM_MIN_STD_RATIO 0.1

typedef struct {
  guint n;
  double prior_weight;          /* warm-up, in frames (>= 0) */
  double decay;                 /* per-frame forgetting factor, 1 = none */
  double *prior_mean, *prior_var;
  double *w, *mu, *m2;          /* per feature: data weight, mean, sum of squares */
  guint64 frames;               /* frames seen since the last reset */
} EmoStreamNorm;

/* prior_mean/prior_std: n values each (std > 0). warmup_frames >= 0;
 * window_frames 0 (whole stream) or >= 1. */
EmoStreamNorm *emo_stream_norm_new (guint n, const float *prior_mean,
    const float *prior_std, double warmup_frames, double window_frames);
void emo_stream_norm_free (EmoStreamNorm * s);
void emo_stream_norm_reset (EmoStreamNorm * s);

/* Feeds T frames x[T][n] (row-major) through the normaliser, writing the
 * standardised z[T][n] (x and z may alias). Returns the number of
 * non-finite input values replaced by 0. */
guint emo_stream_norm_process (EmoStreamNorm * s, const float *x, float *z,
    guint T);

/* The current estimate for feature i (mean and standard deviation,
 * prior included, floor applied). */
void emo_stream_norm_estimate (const EmoStreamNorm * s, guint i,
    double *mean, double *std);

/* Statistics that outlive a stream ("speaker profile"): the data part of
 * the estimate (weights, means, scatter per feature; not the prior, which
 * comes from the model) as a small GKeyFile text:
 *
 *   [emo-norm-stats]
 *   version=1
 *   layout=egemaps-v02-func
 *   features=88
 *   frames=1234
 *   weight=...;   (n values)
 *   mean=...;
 *   scatter=...;
 *
 * Loading checks everything (version, layout, feature count, finite
 * values, weight >= 0, scatter >= 0) and names the file in the error.
 * The fuzz target tests/fuzz/fuzz-norm-stats.c feeds it arbitrary bytes. */
#define EMO_NORM_STATS_GROUP "emo-norm-stats"
#define EMO_NORM_STATS_VERSION 1

gchar *emo_stream_norm_stats_to_data (const EmoStreamNorm * s,
    const gchar * layout, gsize * len);
gboolean emo_stream_norm_stats_from_data (EmoStreamNorm * s,
    const gchar * layout, const gchar * data, gsize len, const gchar * origin,
    GError ** error);
gboolean emo_stream_norm_stats_save (const EmoStreamNorm * s,
    const gchar * layout, const gchar * path, GError ** error);
/* Loads into s (whose prior stays); a missing file is not an error when
 * missing_ok: *loaded tells whether anything was read. */
gboolean emo_stream_norm_stats_load (EmoStreamNorm * s, const gchar * layout,
    const gchar * path, gboolean missing_ok, gboolean * loaded,
    GError ** error);

G_END_DECLS

#endif
