/* gst-emo — evaluation metrics as AVEC 2019 computes them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reference: AVEC 2019 CES baseline, calc_scores.py (CCC with population
 * covariance and sample variances, matching Matlab's nanvar).
 */
#include "emo-metrics.h"

#include <math.h>

double
emo_ccc_strided (const float *pred, size_t ps, const float *gold, size_t gs,
    size_t n)
{
  double mx = 0.0, my = 0.0, cov = 0.0, vx = 0.0, vy = 0.0, den;
  size_t i;

  if (n < 2)
    return NAN;
  /* two passes in double: the series are short (1e5) and this is exact enough
   * to reproduce published figures to 1e-6 */
  for (i = 0; i < n; i++) {
    mx += pred[i * ps];
    my += gold[i * gs];
  }
  mx /= (double) n;
  my /= (double) n;
  for (i = 0; i < n; i++) {
    double dx = pred[i * ps] - mx, dy = gold[i * gs] - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  cov /= (double) n;
  vx /= (double) (n - 1);
  vy /= (double) (n - 1);
  den = vx + vy + (mx - my) * (mx - my);
  if (!(den > 0.0))
    return NAN;
  return 2.0 * cov / den;
}

double
emo_ccc (const float *pred, const float *gold, size_t n)
{
  return emo_ccc_strided (pred, 1, gold, 1, n);
}

double
emo_pcc (const float *pred, const float *gold, size_t n)
{
  double mx = 0.0, my = 0.0, cov = 0.0, vx = 0.0, vy = 0.0;
  size_t i;

  if (n < 2)
    return NAN;
  for (i = 0; i < n; i++) {
    mx += pred[i];
    my += gold[i];
  }
  mx /= (double) n;
  my /= (double) n;
  for (i = 0; i < n; i++) {
    double dx = pred[i] - mx, dy = gold[i] - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  if (!(vx > 0.0) || !(vy > 0.0))
    return NAN;
  return cov / sqrt (vx * vy);
}

double
emo_rmse (const float *pred, const float *gold, size_t n)
{
  double s = 0.0;
  size_t i;

  if (n == 0)
    return NAN;
  for (i = 0; i < n; i++) {
    double d = (double) pred[i] - gold[i];
    s += d * d;
  }
  return sqrt (s / (double) n);
}

void
emo_align_prediction (const float *pred, size_t n_pred, size_t stride,
    size_t col, float *out, size_t n_gold)
{
  size_t i;
  float last = 0.0f;

  for (i = 0; i < n_gold; i++) {
    if (i < n_pred)
      last = pred[i * stride + col];
    out[i] = last;
  }
}

void
emo_score_acc_init (EmoScoreAcc * acc)
{
  acc->n = acc->sx = acc->sy = acc->sxx = acc->syy = acc->sxy = acc->sse = 0.0;
}

void
emo_score_acc_add (EmoScoreAcc * acc, const float *pred, const float *gold,
    size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    double x = pred[i], y = gold[i];
    acc->n += 1.0;
    acc->sx += x;
    acc->sy += y;
    acc->sxx += x * x;
    acc->syy += y * y;
    acc->sxy += x * y;
    acc->sse += (x - y) * (x - y);
  }
}

double
emo_score_acc_ccc (const EmoScoreAcc * a)
{
  double mx, my, cov, vx, vy, den;

  if (a->n < 2)
    return NAN;
  mx = a->sx / a->n;
  my = a->sy / a->n;
  cov = a->sxy / a->n - mx * my;
  vx = (a->sxx - a->n * mx * mx) / (a->n - 1);
  vy = (a->syy - a->n * my * my) / (a->n - 1);
  den = vx + vy + (mx - my) * (mx - my);
  if (!(den > 0.0))
    return NAN;
  return 2.0 * cov / den;
}

double
emo_score_acc_pcc (const EmoScoreAcc * a)
{
  double mx, my, cov, vx, vy;

  if (a->n < 2)
    return NAN;
  mx = a->sx / a->n;
  my = a->sy / a->n;
  cov = a->sxy / a->n - mx * my;
  vx = a->sxx / a->n - mx * mx;
  vy = a->syy / a->n - my * my;
  if (!(vx > 0.0) || !(vy > 0.0))
    return NAN;
  return cov / sqrt (vx * vy);
}

double
emo_score_acc_rmse (const EmoScoreAcc * a)
{
  return a->n > 0 ? sqrt (a->sse / a->n) : NAN;
}
