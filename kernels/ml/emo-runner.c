/* gst-emo — the model runner (emo-runner.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>

#include "ml/emo-runner.h"

EmoModelRunner *
emo_model_runner_new (const EmoModel * m, EmoNormMode mode, double warmup_s,
    double window_s, guint max_frames)
{
  EmoModelRunner *r;
  EmoNetState *zero;

  g_return_val_if_fail (m != NULL && max_frames >= 1, NULL);
  r = g_new0 (EmoModelRunner, 1);
  r->model = m;
  if (mode == EMO_NORM_STREAM)
    r->norm = emo_model_stream_norm_new (m, warmup_s, window_s);
  r->state = emo_net_state_new (m->net);
  r->work = emo_net_work_new (m->net, max_frames);
  r->xn = g_new0 (float, (gsize) max_frames * m->n_in);
  r->y = g_new0 (float, (gsize) max_frames * m->net->n_out);
  r->last = g_new0 (float, m->net->n_out);
  /* what a guarded frame carries before any good one: the prediction for
   * an average frame (all zeros after standardisation) from the zero state */
  zero = emo_net_state_new (m->net);
  emo_net_forward (m->net, zero, r->work, r->xn, 1, r->last, NULL);
  emo_net_state_free (zero);
  return r;
}

void
emo_model_runner_free (EmoModelRunner * r)
{
  if (!r)
    return;
  if (r->norm)
    emo_stream_norm_free (r->norm);
  emo_net_state_free (r->state);
  emo_net_work_free (r->work);
  g_free (r->xn);
  g_free (r->y);
  g_free (r->last);
  g_free (r);
}

void
emo_model_runner_reset_state (EmoModelRunner * r)
{
  emo_net_state_reset (r->state);
}

const float *
emo_model_runner_last (const EmoModelRunner * r)
{
  return r->last;
}

static gboolean
frame_missing (const float *x, guint n)
{
  guint i;
  for (i = 0; i < n; i++)
    if (isfinite (x[i]))
      return FALSE;
  return TRUE;
}

static gboolean
frame_finite (const float *y, guint n)
{
  guint k;
  for (k = 0; k < n; k++)
    if (!isfinite (y[k]))
      return FALSE;
  return TRUE;
}

/* n normalised frames xn through the network into y, guarding non-finite
 * outputs: the state is reset after a bad frame and the frames after it
 * run again from that reset state, exactly as one frame at a time would. */
static guint
forward_guarded (EmoModelRunner * r, const float *xn, guint n, float *y)
{
  const EmoNet *net = r->model->net;
  guint K = net->n_out, s = 0, i, guarded = 0;

  while (s < n) {
    emo_net_forward (net, r->state, r->work, xn + (gsize) s * net->n_in,
        n - s, r->y, NULL);
    for (i = 0; i < n - s; i++)
      if (!frame_finite (r->y + (gsize) i * K, K))
        break;
    memcpy (y + (gsize) s * K, r->y, (gsize) i * K * sizeof (float));
    if (i > 0)
      memcpy (r->last, r->y + (gsize) (i - 1) * K, K * sizeof (float));
    if (i == n - s)
      break;
    memcpy (y + (gsize) (s + i) * K, r->last, K * sizeof (float));
    emo_net_state_reset (r->state);
    guarded++;
    s += i + 1;
  }
  return guarded;
}

guint
emo_model_runner_process (EmoModelRunner * r, const float *x, guint T, float *y)
{
  const EmoModel *m = r->model;
  guint n_in = m->n_in, K = m->net->n_out;
  guint cap = emo_net_work_capacity (r->work), t = 0, k, guarded = 0;

  while (t < T) {
    guint e = t, n;

    if (frame_missing (x + (gsize) t * n_in, n_in)) {
      for (k = 0; k < K; k++)
        y[(gsize) t * K + k] = NAN;
      r->missing++;
      t++;
      continue;
    }
    while (e < T && e - t < cap && !frame_missing (x + (gsize) e * n_in, n_in))
      e++;
    n = e - t;
    if (r->norm)
      r->bad_values += emo_stream_norm_process (r->norm,
          x + (gsize) t * n_in, r->xn, n);
    else
      r->bad_values += emo_model_normalise (m, x + (gsize) t * n_in, r->xn, n);
    guarded += forward_guarded (r, r->xn, n, y + (gsize) t * K);
    t = e;
  }
  r->guarded += guarded;
  return guarded;
}

guint
emo_clip_first_frame (guint T, double frame_rate, double skip_s)
{
  double cap = skip_s * frame_rate;
  guint half = T / 2;

  return cap >= 0.0 && cap < half ? (guint) cap : half;
}

void
emo_clip_summary (const float *y, guint T, guint K, guint first, float *out)
{
  guint k, t;

  for (k = 0; k < K; k++) {
    double s = 0.0;
    guint n = 0;
    for (t = first; t < T; t++) {
      float v = y[(gsize) t * K + k];
      if (isfinite (v)) {
        s += v;
        n++;
      }
    }
    out[k] = n ? (float) (s / n) : NAN;
  }
}
