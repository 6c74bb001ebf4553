/* gst-emo — evaluation metrics as AVEC 2019 computes them (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_METRICS_H
#define EMO_METRICS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lin's concordance correlation coefficient as in the AVEC 2019 scoring
 * script: covariance with 1/N, variances with 1/(N-1) (Matlab nanvar),
 * computed in double. Returns NaN for n < 2 or when the denominator is 0. */
double emo_ccc (const float *pred, const float *gold, size_t n);

/* Same as emo_ccc but with strides, for column access into row-major tables. */
double emo_ccc_strided (const float *pred, size_t pred_stride,
    const float *gold, size_t gold_stride, size_t n);

/* Pearson correlation; NaN if either side is constant or n < 2. */
double emo_pcc (const float *pred, const float *gold, size_t n);

/* Root mean squared error; NaN for n == 0. */
double emo_rmse (const float *pred, const float *gold, size_t n);

/* Aligns a prediction to a label sequence of n_gold frames the way AVEC
 * does: crop a longer prediction, pad a shorter one with its last value
 * (with 0 if it is empty). `out` has n_gold entries. Column `col` of a
 * row-major prediction with `stride` values per row is taken. */
void emo_align_prediction (const float *pred, size_t n_pred, size_t stride,
    size_t col, float *out, size_t n_gold);

/* Streaming accumulator for concatenated-sequence scores. */
typedef struct {
  double n, sx, sy, sxx, syy, sxy, sse;
} EmoScoreAcc;

void emo_score_acc_init (EmoScoreAcc * acc);
void emo_score_acc_add (EmoScoreAcc * acc, const float *pred, const float *gold, size_t n);
double emo_score_acc_ccc (const EmoScoreAcc * acc);
double emo_score_acc_pcc (const EmoScoreAcc * acc);
double emo_score_acc_rmse (const EmoScoreAcc * acc);

#ifdef __cplusplus
}
#endif

#endif
