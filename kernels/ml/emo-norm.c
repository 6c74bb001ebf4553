/* gst-emo — running per-stream feature normalisation (see emo-norm.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include "ml/emo-norm.h"

EmoStreamNorm *
emo_stream_norm_new (guint n, const float *prior_mean, const float *prior_std,
    double warmup_frames, double window_frames)
{
  EmoStreamNorm *s;
  guint i;

  g_return_val_if_fail (n > 0 && prior_mean && prior_std, NULL);
  g_return_val_if_fail (warmup_frames >= 0.0 && isfinite (warmup_frames), NULL);
  g_return_val_if_fail (window_frames == 0.0 || (window_frames >= 1.0
          && isfinite (window_frames)), NULL);

  s = g_new0 (EmoStreamNorm, 1);
  s->n = n;
  s->prior_weight = warmup_frames;
  /* exponential forgetting with time constant `window` frames */
  s->decay = window_frames > 0.0 ? exp (-1.0 / window_frames) : 1.0;
  s->prior_mean = g_new (double, n);
  s->prior_var = g_new (double, n);
  s->w = g_new (double, n);
  s->mu = g_new (double, n);
  s->m2 = g_new (double, n);
  for (i = 0; i < n; i++) {
    double sd = isfinite (prior_std[i]) && prior_std[i] > 0.0f ?
        prior_std[i] : 1.0;
    s->prior_mean[i] = isfinite (prior_mean[i]) ? prior_mean[i] : 0.0;
    s->prior_var[i] = sd * sd;
  }
  emo_stream_norm_reset (s);
  return s;
}

void
emo_stream_norm_free (EmoStreamNorm * s)
{
  if (!s)
    return;
  g_free (s->prior_mean);
  g_free (s->prior_var);
  g_free (s->w);
  g_free (s->mu);
  g_free (s->m2);
  g_free (s);
}

void
emo_stream_norm_reset (EmoStreamNorm * s)
{
  guint i;
  for (i = 0; i < s->n; i++) {
    s->w[i] = 0.0;
    s->mu[i] = 0.0;
    s->m2[i] = 0.0;
  }
  s->frames = 0;
}

void
emo_stream_norm_estimate (const EmoStreamNorm * s, guint i, double *mean,
    double *std)
{
  double pw = s->prior_weight, w = s->w[i], W = pw + w, m, v, d, floor_var;

  if (W <= 0.0) {
    /* no prior and nothing seen yet: the prior is all there is */
    *mean = s->prior_mean[i];
    *std = sqrt (s->prior_var[i]);
    return;
  }
  /* pooled estimate: prior as pw pseudo-frames with mean prior_mean and
   * variance prior_var, the data as weight w with mean mu and scatter m2 */
  m = (pw * s->prior_mean[i] + w * s->mu[i]) / W;
  d = s->mu[i] - s->prior_mean[i];
  v = (pw * s->prior_var[i] + s->m2[i] + (pw * w / W) * d * d) / W;
  floor_var = EMO_NORM_MIN_STD_RATIO * EMO_NORM_MIN_STD_RATIO *
      s->prior_var[i];
  *mean = m;
  *std = sqrt (v > floor_var ? v : floor_var);
}

guint
emo_stream_norm_process (EmoStreamNorm * s, const float *x, float *z, guint T)
{
  guint t, i, replaced = 0;

  for (t = 0; t < T; t++) {
    const float *xt = x + (gsize) t * s->n;
    float *zt = z + (gsize) t * s->n;
    for (i = 0; i < s->n; i++) {
      double v = xt[i], mean, std, delta;
      if (!isfinite (v)) {
        zt[i] = 0.0f;
        replaced++;
        continue;
      }
      /* weighted Welford update; forgetting scales the old weight and
       * scatter alike (the mean is unchanged by it) */
      s->w[i] = s->w[i] * s->decay + 1.0;
      s->m2[i] *= s->decay;
      delta = v - s->mu[i];
      s->mu[i] += delta / s->w[i];
      s->m2[i] += delta * (v - s->mu[i]);
      emo_stream_norm_estimate (s, i, &mean, &std);
      zt[i] = (float) ((v - mean) / std);
    }
    s->frames++;
  }
  return replaced;
}
