/* gst-emo — training loop for EmoNet: mini-batches of whole (or chunked)
 * sequences, weighted CCC loss per sequence averaged over the batch,
 * RMSprop/Adam with clipping, epoch chosen on development CCC. No GStreamer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_TRAINER_H
#define EMO_TRAINER_H

#include <glib.h>
#include "ml/emo-nn.h"

G_BEGIN_DECLS

/* One sequence: x[T][n_in] (already normalised), y[T][n_out] gold aligned
 * with x (the caller shifts labels by the delay). Pointers are borrowed. */
typedef struct {
  const float *x;
  const float *y;
  guint T;
} EmoSeq;

typedef struct {
  guint epochs;                 /* paper: 50 */
  guint batch;                  /* sequences per update, paper: 34 */
  guint chunk;                  /* split training sequences into chunks of
                                 * this many frames (0: whole sequences) */
  float lr;                     /* paper: 5e-4 */
  EmoOptimKind optim;           /* paper: RMSprop */
  float clip;                   /* global gradient norm limit (0: none) */
  float weight_decay;           /* L2 (ridge) coefficient */
  float weights[EMO_NET_MAX_OUTPUTS];   /* loss weights a, b, c, ... */
  guint64 seed;
} EmoTrainParams;

typedef struct {
  guint epoch;                  /* 1-based */
  guint epochs;
  double train_loss;            /* mean weighted loss per sequence */
  double dev_ccc[EMO_NET_MAX_OUTPUTS];  /* NaN without a dev set */
  double dev_score;             /* mean dev CCC over weighted attributes */
  gboolean best;                /* best so far */
  double seconds;
  guint64 frames;               /* training frames processed this epoch */
} EmoEpochReport;

typedef void (*EmoEpochFunc) (const EmoEpochReport * r, gpointer user_data);

typedef struct {
  guint best_epoch;             /* 0 if no epoch ran */
  double dev_ccc[EMO_NET_MAX_OUTPUTS];
  double dev_score;
  double frames_per_second;     /* training throughput */
} EmoTrainResult;

void emo_train_params_init (EmoTrainParams * p);

/* Trains net in place (weights must be initialised); with a dev set, the
 * parameters of the epoch with the best dev score are left in net. */
gboolean emo_train (EmoNet * net, const EmoSeq * train, guint n_train,
    const EmoSeq * dev, guint n_dev, const EmoTrainParams * p,
    EmoEpochFunc func, gpointer user_data, EmoTrainResult * result,
    GError ** error);

/* Inference over a whole sequence from the zero state, in pieces of the
 * work space's capacity (state carried, so identical to one pass). */
void emo_net_predict (const EmoNet * net, EmoNetWork * w, EmoNetState * st,
    const float *x, guint T, float *y);

/* CCC per output over all sequences concatenated (AVEC 2019 formula). */
void emo_net_eval_ccc (const EmoNet * net, const EmoSeq * seqs, guint n,
    double *ccc);

G_END_DECLS

#endif
