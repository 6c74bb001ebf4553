/* gst-emo — training fusion models (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Three trainers produce an EmoFuseModel (fuse-model.h):
 *  - "svr": the AVEC 2019 organisers' / Atmaja & Akagi recipe: per target
 *    attribute a linear epsilon-SVR (liblinear solver 13,
 *    L2R_L1LOSS_SVR_DUAL, epsilon 0, tolerance 1e-4, bias feature 1 as
 *    scikit-learn's LinearSVR) on every attribute of every input stacked
 *    over +-K frames; K and C chosen by CCC on the training data; stage s
 *    sees the inputs plus the outputs of stages 1..s-1.
 *  - "cccw": per attribute non-negative weights on the simplex over the
 *    inputs' predictions of that attribute, maximising Pearson correlation
 *    minus lambda * ||w - 1/N||^2 (shrinkage toward the plain mean), an
 *    optional centred (or trailing, when causal) moving average over +-h
 *    frames, and a scale/bias correction toward the training gold applied
 *    with strength beta in [0,1]; lambda, beta and h chosen by
 *    leave-one-sequence-out CCC.
 *  - "mean": the plain mean of the inputs (the late-fusion baseline).
 */
#ifndef EMO_FUSE_TRAIN_H
#define EMO_FUSE_TRAIN_H

#include <glib.h>
#include "fuse-model.h"

G_BEGIN_DECLS

/* Training data: sequences of frames. x is T x dim (stage input, i.e.
 * input-major: x[m * n_attrs + a]), gold is T x n_attrs. */
typedef struct {
  guint T;
  gfloat *x;
  gfloat *gold;           /* may be NULL for data without labels */
  gchar *name;
  gchar *group;           /* subject / culture tag for leave-one-out */
} EmoFuseSeq;

typedef struct {
  guint n_inputs, n_attrs, dim;
  GPtrArray *seqs;        /* EmoFuseSeq* */
} EmoFuseData;

EmoFuseData *emo_fuse_data_new (guint n_inputs, guint n_attrs);
void emo_fuse_data_free (EmoFuseData * d);
/* Takes ownership of x and gold (g_malloc'd). */
EmoFuseSeq *emo_fuse_data_add (EmoFuseData * d, const gchar * name, guint T,
    gfloat * x, gfloat * gold);
guint64 emo_fuse_data_frames (const EmoFuseData * d);

/* Context layouts for the SVR stacking. */
typedef enum {
  EMO_FUSE_CONTEXT_SYMMETRIC,   /* offsets -K..K */
  EMO_FUSE_CONTEXT_ORGANISERS,  /* AVEC 2019 fuse_results.py: 0, 0..-(K-1), 0..K-1 */
  EMO_FUSE_CONTEXT_CAUSAL,      /* offsets -2K..0 (same width, past only) */
} EmoFuseContextStyle;

/* Fills offsets (room for 2K+1); returns their number. */
guint emo_fuse_context_offsets (EmoFuseContextStyle style, guint K, gint * offsets);

/* CCC of column a of the fused output against gold over all sequences
 * concatenated (AVEC 2019 definition). out[i] is T_i x n_attrs. */
gdouble emo_fuse_score (const EmoFuseData * d, gfloat * const *out, guint a);

/* ---- liblinear SVR stage ---- */

/* Stacked design matrix for one offset list over stage inputs of dimension
 * `dim` (per sequence, indices clamped inside each sequence); built once,
 * fitted for several attributes and C. */
typedef struct _EmoFuseSvrProblem EmoFuseSvrProblem;

EmoFuseSvrProblem *emo_fuse_svr_problem_new (const EmoFuseData * d,
    gfloat * const *x, guint dim, const gint * offsets, guint n_offsets,
    gboolean causal);
void emo_fuse_svr_problem_free (EmoFuseSvrProblem * p);
/* Fits attribute a with complexity C; w gets n_offsets * dim weights in the
 * fuser layout, *bias the intercept. */
gboolean emo_fuse_svr_problem_fit (EmoFuseSvrProblem * p, guint a, gdouble C,
    gdouble * w, gdouble * bias, GError ** error);

/* ---- CCC-weighted fuser ---- */

typedef struct {
  gdouble lambda;         /* shrinkage of the weights toward 1/N */
  gdouble beta;           /* strength of the scale/bias correction, 0..1 */
  guint h;                /* smoothing half-width in frames */
} EmoFuseCccwParams;

/* Objective of the weight fit and its gradient (exposed for the
 * finite-difference test): J(w) = c.w / sqrt(w'Sw * vy) - lambda*|w-u|^2. */
gdouble emo_fuse_cccw_objective (guint n, const gdouble * S, const gdouble * c,
    gdouble vy, gdouble lambda, const gdouble * w, gdouble * grad);
/* Maximises the objective over the simplex by projected gradient ascent. */
void emo_fuse_cccw_solve (guint n, const gdouble * S, const gdouble * c,
    gdouble vy, gdouble lambda, gdouble * w);
/* Euclidean projection onto {w >= 0, sum w = 1}. */
void emo_fuse_simplex_project (guint n, gdouble * w);

/* ---- multistage training ---- */

typedef void (*EmoFuseLogFunc) (const gchar * msg, gpointer user_data);

typedef struct {
  const gchar *method;            /* "svr", "cccw", "mean" */
  guint n_stages;                 /* svr: 1..16 */
  EmoFuseContextStyle style;
  const guint *contexts;          /* K candidates (one = fixed) */
  guint n_contexts;
  const gdouble *cs;              /* C candidates */
  guint n_cs;
  gboolean causal;
  /* cccw grids (NULL: defaults) */
  const gdouble *lambdas; guint n_lambdas;
  const gdouble *betas; guint n_betas;
  const guint *hs; guint n_hs;
  gboolean one_se;                /* cccw: one-standard-error rule */
  EmoFuseLogFunc log;
  gpointer log_data;
} EmoFuseTrainOptions;

void emo_fuse_train_options_init (EmoFuseTrainOptions * o);

/* Trains a fuser. attrs / inputs name the attributes and input streams.
 * If `eval` is non-NULL its per-stage CCC is also computed; stage_ccc gets
 * n_stages x n_attrs training CCC and eval_ccc the same on `eval` (either
 * may be NULL). */
EmoFuseModel *emo_fuse_train (const EmoFuseData * train,
    const EmoFuseData * eval, const gchar * const *attrs,
    const gchar * const *inputs, const EmoFuseTrainOptions * opt,
    gdouble * stage_ccc, gdouble * eval_ccc, GError ** error);

/* Leave-one-sequence-out: for every sequence, trains on all the others with
 * `opt` (its log muted) and applies the model to the held-out one. ccc gets
 * n_stages x n_attrs CCC of the held-out predictions concatenated (stage s
 * = the chain truncated after s stages). */
gboolean emo_fuse_loso (const EmoFuseData * d, const gchar * const *attrs,
    const gchar * const *inputs, const EmoFuseTrainOptions * opt,
    gdouble * ccc, GError ** error);

G_END_DECLS

#endif
