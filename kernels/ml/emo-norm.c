/* gst-emo — running per-stream feature normalisation (see emo-norm.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include <string.h>

#include "ml/emo-nn.h"
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
  floor_var = EMO_NORM_MIN_STD_RATIO * EMO_NORM_MIN_STD_RATIO * s->prior_var[i];
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

/* ------------------------------------------------------------ profiles */

gchar *
emo_stream_norm_stats_to_data (const EmoStreamNorm * s, const gchar * layout,
    gsize * len)
{
  GKeyFile *kf = g_key_file_new ();
  gchar *data;

  g_key_file_set_integer (kf, EMO_NORM_STATS_GROUP, "version",
      EMO_NORM_STATS_VERSION);
  g_key_file_set_string (kf, EMO_NORM_STATS_GROUP, "layout", layout);
  g_key_file_set_integer (kf, EMO_NORM_STATS_GROUP, "features", (gint) s->n);
  g_key_file_set_uint64 (kf, EMO_NORM_STATS_GROUP, "frames", s->frames);
  g_key_file_set_double_list (kf, EMO_NORM_STATS_GROUP, "weight", s->w, s->n);
  g_key_file_set_double_list (kf, EMO_NORM_STATS_GROUP, "mean", s->mu, s->n);
  g_key_file_set_double_list (kf, EMO_NORM_STATS_GROUP, "scatter", s->m2, s->n);
  data = g_key_file_to_data (kf, len, NULL);
  g_key_file_free (kf);
  return data;
}

/* the limits keep every later sum finite in double precision (a weight of
 * 1e12 frames is 300 years at 100 frames/s) */
#define MAX_WEIGHT 1e12
#define MAX_ABS_MEAN 1e15
#define MAX_VARIANCE 1e30

static gdouble *
get_list (GKeyFile * kf, const gchar * key, guint n, double lo, double hi,
    const gchar * origin, GError ** error)
{
  GError *e = NULL;
  gsize got = 0, i;
  gdouble *v = g_key_file_get_double_list (kf, EMO_NORM_STATS_GROUP, key,
      &got, &e);

  if (!v) {
    /* an empty list is NULL without an error */
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT, "%s: %s: %s",
        origin, key, e ? e->message : "no values");
    g_clear_error (&e);
    return NULL;
  }
  if (got != n) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
        "%s: %s has %" G_GSIZE_FORMAT " values, expected %u", origin, key,
        got, n);
    g_free (v);
    return NULL;
  }
  for (i = 0; i < got; i++)
    if (!isfinite (v[i]) || v[i] < lo || v[i] > hi) {
      g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
          "%s: %s value %" G_GSIZE_FORMAT " is %g (must be in [%g, %g])",
          origin, key, i, v[i], lo, hi);
      g_free (v);
      return NULL;
    }
  return v;
}

gboolean
emo_stream_norm_stats_from_data (EmoStreamNorm * s, const gchar * layout,
    const gchar * data, gsize len, const gchar * origin, GError ** error)
{
  GKeyFile *kf = g_key_file_new ();
  GError *e = NULL;
  gchar *file_layout = NULL;
  gdouble *w = NULL, *mu = NULL, *m2 = NULL;
  gint version, features;
  guint64 frames;
  gboolean ok = FALSE;
  guint i;

  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, &e)) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
        "%s: not a statistics file: %s", origin, e->message);
    goto out;
  }
  version = g_key_file_get_integer (kf, EMO_NORM_STATS_GROUP, "version", &e);
  if (e) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT, "%s: %s", origin,
        e->message);
    goto out;
  }
  if (version != EMO_NORM_STATS_VERSION) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_VERSION,
        "%s: statistics version %d is not supported (this build reads %d)",
        origin, version, EMO_NORM_STATS_VERSION);
    goto out;
  }
  file_layout = g_key_file_get_string (kf, EMO_NORM_STATS_GROUP, "layout", &e);
  if (!file_layout || g_strcmp0 (file_layout, layout) != 0) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_MISMATCH,
        "%s: statistics of layout \"%s\", the model's is \"%s\"", origin,
        file_layout ? file_layout : "(none)", layout);
    goto out;
  }
  features = g_key_file_get_integer (kf, EMO_NORM_STATS_GROUP, "features", &e);
  if (e || features != (gint) s->n) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_MISMATCH,
        "%s: statistics of %d features, the model has %u", origin,
        e ? -1 : features, s->n);
    goto out;
  }
  frames = g_key_file_get_uint64 (kf, EMO_NORM_STATS_GROUP, "frames", &e);
  if (e) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT, "%s: frames: %s",
        origin, e->message);
    goto out;
  }
  if (!(w = get_list (kf, "weight", s->n, 0.0, MAX_WEIGHT, origin, error))
      || !(mu = get_list (kf, "mean", s->n, -MAX_ABS_MEAN, MAX_ABS_MEAN,
              origin, error))
      || !(m2 = get_list (kf, "scatter", s->n, 0.0, MAX_WEIGHT * MAX_VARIANCE,
              origin, error)))
    goto out;
  for (i = 0; i < s->n; i++)
    if (m2[i] > w[i] * MAX_VARIANCE) {
      g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
          "%s: scatter of feature %u is %g for a weight of %g (variance "
          "above %g)", origin, i, m2[i], w[i], MAX_VARIANCE);
      goto out;
    }
  for (i = 0; i < s->n; i++) {
    s->w[i] = w[i];
    s->mu[i] = mu[i];
    s->m2[i] = m2[i];
  }
  s->frames = frames;
  ok = TRUE;
out:
  g_clear_error (&e);
  g_free (file_layout);
  g_free (w);
  g_free (mu);
  g_free (m2);
  g_key_file_free (kf);
  return ok;
}

gboolean
emo_stream_norm_stats_save (const EmoStreamNorm * s, const gchar * layout,
    const gchar * path, GError ** error)
{
  gsize len;
  gchar *data = emo_stream_norm_stats_to_data (s, layout, &len);
  GError *e = NULL;
  gboolean ok = g_file_set_contents (path, data, len, &e);

  g_free (data);
  if (!ok) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
  }
  return ok;
}

gboolean
emo_stream_norm_stats_load (EmoStreamNorm * s, const gchar * layout,
    const gchar * path, gboolean missing_ok, gboolean * loaded, GError ** error)
{
  gchar *data = NULL;
  gsize len = 0;
  GError *e = NULL;
  gboolean ok;

  *loaded = FALSE;
  if (!g_file_get_contents (path, &data, &len, &e)) {
    ok = missing_ok && g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    if (!ok)
      g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return ok;
  }
  ok = emo_stream_norm_stats_from_data (s, layout, data, len, path, error);
  *loaded = ok;
  g_free (data);
  return ok;
}
