/* gst-emo — training loop (see emo-trainer.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>

#include "ml/emo-trainer.h"
#include "ml/emo-metrics.h"

void
emo_train_params_init (EmoTrainParams * p)
{
  guint k;
  memset (p, 0, sizeof (*p));
  p->epochs = 50;
  p->batch = 34;
  p->lr = 5e-4f;
  p->optim = EMO_OPTIM_RMSPROP;
  p->clip = 5.0f;
  for (k = 0; k < EMO_NET_MAX_OUTPUTS; k++)
    p->weights[k] = 1.0f;
  p->seed = 1;
}

void
emo_net_predict (const EmoNet * net, EmoNetWork * w, EmoNetState * st,
    const float *x, guint T, float *y)
{
  guint cap = emo_net_work_capacity (w), t = 0;
  emo_net_state_reset (st);
  while (t < T) {
    guint n = MIN (cap, T - t);
    emo_net_forward (net, st, w, x + (gsize) t * net->n_in, n,
        y + (gsize) t * net->n_out, NULL);
    t += n;
  }
}

void
emo_net_eval_ccc (const EmoNet * net, const EmoSeq * seqs, guint n, double *ccc)
{
  EmoScoreAcc acc[EMO_NET_MAX_OUTPUTS];
  guint i, k, maxT = 1;
  EmoNetWork *w;
  EmoNetState *st;
  float *y, *col_p, *col_g;

  for (i = 0; i < n; i++)
    maxT = MAX (maxT, seqs[i].T);
  w = emo_net_work_new (net, MIN (maxT, 4096));
  st = emo_net_state_new (net);
  y = g_new (float, (gsize) maxT * net->n_out);
  col_p = g_new (float, maxT);
  col_g = g_new (float, maxT);
  for (k = 0; k < net->n_out; k++)
    emo_score_acc_init (&acc[k]);
  for (i = 0; i < n; i++) {
    guint t;
    emo_net_predict (net, w, st, seqs[i].x, seqs[i].T, y);
    for (k = 0; k < net->n_out; k++) {
      for (t = 0; t < seqs[i].T; t++) {
        col_p[t] = y[(gsize) t * net->n_out + k];
        col_g[t] = seqs[i].y[(gsize) t * net->n_out + k];
      }
      emo_score_acc_add (&acc[k], col_p, col_g, seqs[i].T);
    }
  }
  for (k = 0; k < net->n_out; k++)
    ccc[k] = emo_score_acc_ccc (&acc[k]);
  g_free (y);
  g_free (col_p);
  g_free (col_g);
  emo_net_state_free (st);
  emo_net_work_free (w);
}

static double
dev_score (const EmoNet * net, const EmoTrainParams * p, const double *ccc)
{
  double s = 0;
  guint k, n = 0;
  for (k = 0; k < net->n_out; k++)
    if (p->weights[k] > 0.0f) {
      s += isfinite (ccc[k]) ? ccc[k] : 0.0;
      n++;
    }
  return n ? s / n : NAN;
}

gboolean
emo_train (EmoNet * net, const EmoSeq * train, guint n_train,
    const EmoSeq * dev, guint n_dev, const EmoTrainParams * p,
    EmoEpochFunc func, gpointer user_data, EmoTrainResult * result,
    GError ** error)
{
  GArray *pieces;               /* EmoSeq: training sequences cut into chunks */
  EmoRng rng;
  EmoOptim *opt;
  EmoNetWork *w;
  float *grad, *dy, *best = NULL;
  guint i, k, epoch, maxT = 0, *order;
  double best_score = -G_MAXDOUBLE, total_s = 0;
  guint64 total_frames = 0;
  gboolean any_weight = FALSE, ok = TRUE;

  memset (result, 0, sizeof (*result));
  for (k = 0; k < net->n_out; k++) {
    result->dev_ccc[k] = NAN;
    if (p->weights[k] > 0.0f)
      any_weight = TRUE;
  }
  result->dev_score = NAN;
  if (!any_weight) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_DATA,
        "all loss weights are zero: nothing to train");
    return FALSE;
  }
  pieces = g_array_new (FALSE, FALSE, sizeof (EmoSeq));
  for (i = 0; i < n_train; i++) {
    guint t = 0, c = p->chunk ? p->chunk : train[i].T;
    /* CCC needs at least two frames; a tail shorter than half a chunk is
     * merged into the previous chunk */
    while (t < train[i].T) {
      EmoSeq s;
      guint len = MIN (c, train[i].T - t);
      if (train[i].T - t - len < c / 2)
        len = train[i].T - t;
      s.x = train[i].x + (gsize) t *net->n_in;
      s.y = train[i].y + (gsize) t *net->n_out;
      s.T = len;
      if (len >= 2)
        g_array_append_val (pieces, s);
      maxT = MAX (maxT, len);
      t += len;
    }
  }
  if (pieces->len == 0) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_DATA,
        "no training sequence has two or more frames");
    g_array_unref (pieces);
    return FALSE;
  }

  emo_rng_init (&rng, p->seed);
  opt = emo_optim_new (p->optim, p->lr, net->n_params);
  opt->weight_decay = p->weight_decay;
  w = emo_net_work_new (net, maxT);
  grad = g_new (float, net->n_params);
  dy = g_new (float, (gsize) maxT * net->n_out);
  order = g_new (guint, pieces->len);
  for (i = 0; i < pieces->len; i++)
    order[i] = i;

  for (epoch = 1; epoch <= p->epochs; epoch++) {
    EmoEpochReport rep = { 0, };
    gint64 t0 = g_get_monotonic_time ();
    double loss_sum = 0;
    guint b0, batch = MAX (p->batch, 1);

    emo_rng_shuffle (&rng, order, pieces->len);
    for (b0 = 0; b0 < pieces->len; b0 += batch) {
      guint nb = MIN (batch, pieces->len - b0);
      memset (grad, 0, net->n_params * sizeof (float));
      for (i = 0; i < nb; i++) {
        const EmoSeq *s = &g_array_index (pieces, EmoSeq, order[b0 + i]);
        emo_net_forward (net, NULL, w, s->x, s->T, NULL, &rng);
        /* scale 1/nb: the loss is the batch mean of per-sequence losses */
        loss_sum += emo_ccc_loss (emo_net_work_output (w), s->y, s->T,
            net->n_out, p->weights, dy, 1.0f / nb);
        emo_net_backward (net, w, dy, grad, NULL);
        rep.frames += s->T;
      }
      emo_clip_grad_norm (grad, net->n_params, p->clip);
      emo_optim_step (opt, net->params, grad);
    }
    rep.seconds = (g_get_monotonic_time () - t0) / 1e6;
    total_s += rep.seconds;
    total_frames += rep.frames;
    rep.epoch = epoch;
    rep.epochs = p->epochs;
    rep.train_loss = loss_sum / pieces->len;
    for (k = 0; k < net->n_out; k++)
      rep.dev_ccc[k] = NAN;
    rep.dev_score = NAN;
    if (n_dev > 0) {
      emo_net_eval_ccc (net, dev, n_dev, rep.dev_ccc);
      rep.dev_score = dev_score (net, p, rep.dev_ccc);
    }
    if (!isfinite (rep.train_loss)) {
      g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_DATA,
          "training diverged at epoch %u (loss is not finite)", epoch);
      ok = FALSE;
      break;
    }
    /* without a dev set the last epoch is kept */
    if (n_dev == 0 || (isfinite (rep.dev_score) && rep.dev_score > best_score)) {
      rep.best = TRUE;
      best_score = n_dev ? rep.dev_score : best_score;
      result->best_epoch = epoch;
      result->dev_score = rep.dev_score;
      for (k = 0; k < net->n_out; k++)
        result->dev_ccc[k] = rep.dev_ccc[k];
      if (n_dev) {
        if (!best)
          best = g_new (float, net->n_params);
        memcpy (best, net->params, net->n_params * sizeof (float));
      }
    }
    if (func)
      func (&rep, user_data);
  }
  if (best)
    memcpy (net->params, best, net->n_params * sizeof (float));
  result->frames_per_second = total_s > 0 ? total_frames / total_s : 0;

  g_free (best);
  g_free (order);
  g_free (dy);
  g_free (grad);
  emo_net_work_free (w);
  emo_optim_free (opt);
  g_array_unref (pieces);
  return ok;
}
