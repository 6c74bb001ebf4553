/* gst-emo — small neural networks on OpenBLAS: stacked LSTM, MLP and linear
 * models with forward and backward passes, dropout, the weighted CCC loss,
 * RMSprop/Adam and gradient clipping (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Conventions: row-major everywhere, a weight matrix is W[out][in] and a
 * layer computes Y = X W^T + b for X[T][in]. All parameters of a network live
 * in one float block (`params`) so that the optimisers and the model file see
 * a flat vector; gradients use the same layout.
 *
 * One forward code path serves training and inference: emo_net_forward()
 * runs T frames from a state and leaves the final state behind, so feeding a
 * sequence frame by frame (T = 1, state kept) computes the same as feeding it
 * whole.
 */
#ifndef EMO_NN_H
#define EMO_NN_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_ML_ERROR (emo_ml_error_quark ())
GQuark emo_ml_error_quark (void);

typedef enum {
  EMO_ML_ERROR_ARCH,            /* invalid architecture */
  EMO_ML_ERROR_OPEN,            /* model file cannot be read/written */
  EMO_ML_ERROR_FORMAT,          /* model file malformed, truncated, corrupt */
  EMO_ML_ERROR_VERSION,         /* unsupported version or byte order */
  EMO_ML_ERROR_MISMATCH,        /* data do not fit the model */
  EMO_ML_ERROR_DATA,            /* training data unusable */
} EmoMlError;

#define EMO_NET_MAX_LAYERS 8
#define EMO_NET_MAX_UNITS 4096
#define EMO_NET_MAX_INPUTS 65536
#define EMO_NET_MAX_OUTPUTS 16

/* The one matrix product: C[M][N] = alpha * op(A) op(B) + beta * C, row-major,
 * op(X) = X^T when the flag is set (cblas_sgemm underneath). */
void emo_gemm (gboolean trans_a, gboolean trans_b, guint M, guint N, guint K,
    float alpha, const float *A, guint lda, const float *B, guint ldb,
    float beta, float *C, guint ldc);

/* Pins OpenBLAS to n threads (the plugin uses 1). */
void emo_blas_set_threads (int n);

/* ---- deterministic random numbers (xoshiro128** seeded by splitmix64) ---- */
typedef struct {
  guint32 s[4];
} EmoRng;

void emo_rng_init (EmoRng * rng, guint64 seed);
guint32 emo_rng_u32 (EmoRng * rng);
/* uniform in [0, 1) */
double emo_rng_uniform (EmoRng * rng);
double emo_rng_normal (EmoRng * rng);
/* Fisher-Yates shuffle of n indices */
void emo_rng_shuffle (EmoRng * rng, guint * idx, guint n);

/* ---- networks ---- */
typedef enum {
  EMO_NET_LINEAR = 0,           /* Dense(n_out) on the input */
  EMO_NET_MLP = 1,              /* Dense(h1, tanh) ... -> Dense(n_out) */
  EMO_NET_LSTM = 2,             /* LSTM(h1) ... -> Dense(n_out) per frame */
} EmoNetKind;

typedef struct {
  gsize W, U, b;                /* offsets into params; U unused for dense */
  guint in, out;                /* `out` = H for LSTM (4H gate rows) */
} EmoNetLayer;

typedef struct {
  EmoNetKind kind;
  guint n_in;
  guint n_out;
  guint n_hidden;               /* hidden layers (LSTM or dense) */
  guint hidden[EMO_NET_MAX_LAYERS];
  float dropout;                /* after each hidden layer, training only */
  EmoNetLayer layers[EMO_NET_MAX_LAYERS + 1];   /* hidden..., head */
  gsize n_params;
  float *params;
} EmoNet;

/* Returns the parameter count of an architecture, 0 if it is invalid. */
gsize emo_net_count_params (EmoNetKind kind, guint n_in, guint n_hidden,
    const guint * hidden, guint n_out);

/* New network with zeroed parameters, or NULL (with error) on an invalid
 * architecture. */
EmoNet *emo_net_new (EmoNetKind kind, guint n_in, guint n_hidden,
    const guint * hidden, guint n_out, GError ** error);
void emo_net_free (EmoNet * net);
EmoNet *emo_net_copy (const EmoNet * net);
/* Glorot-uniform weights, zero biases, LSTM forget-gate bias 1. */
void emo_net_init_weights (EmoNet * net, EmoRng * rng);
const gchar *emo_net_kind_name (EmoNetKind kind);
gboolean emo_net_kind_from_name (const gchar * name, EmoNetKind * kind);

/* Recurrent state (h, c of each LSTM layer); empty for MLP/linear. */
typedef struct {
  guint n_layers;
  guint H[EMO_NET_MAX_LAYERS];
  float *h[EMO_NET_MAX_LAYERS];
  float *c[EMO_NET_MAX_LAYERS];
} EmoNetState;

EmoNetState *emo_net_state_new (const EmoNet * net);
void emo_net_state_reset (EmoNetState * st);
void emo_net_state_free (EmoNetState * st);
void emo_net_state_copy_to (const EmoNetState * src, EmoNetState * dst);
/* largest |c| over all layers (for drift monitoring) */
float emo_net_state_max_abs (const EmoNetState * st);

/* Work space for up to max_T frames: the activations the backward pass needs.
 * Memory is fixed at creation. */
typedef struct _EmoNetWork EmoNetWork;

EmoNetWork *emo_net_work_new (const EmoNet * net, guint max_T);
void emo_net_work_free (EmoNetWork * w);
guint emo_net_work_capacity (const EmoNetWork * w);
/* Outputs [T][n_out] of the last forward pass (owned by the work space). */
const float *emo_net_work_output (const EmoNetWork * w);

/* Runs T <= capacity frames x[T][n_in] through the network, starting from
 * `state` (NULL: zero state) and leaving the state after the last frame in it.
 * Outputs y[T][n_out]. With `dropout_rng` non-NULL and net->dropout > 0,
 * applies (inverted) dropout after each hidden layer, as in training. */
void emo_net_forward (const EmoNet * net, EmoNetState * state, EmoNetWork * w,
    const float *x, guint T, float *y, EmoRng * dropout_rng);

/* Back-propagation through time for the last forward pass: dy[T][n_out] is
 * dL/dy; the parameter gradient is ADDED to grad (n_params floats). The
 * gradient w.r.t. the incoming state is ignored (truncated at the sequence
 * start). If dx is not NULL it receives dL/dx[T][n_in]. */
void emo_net_backward (const EmoNet * net, EmoNetWork * w, const float *dy,
    float *grad, float *dx);

/* ---- loss ---- */

/* Weighted CCC loss of one sequence: sum_k weight[k] * (1 - CCC_k) over the
 * n_out attributes, CCC computed over the T frames with population (1/T)
 * moments. pred and gold are [T][n_out]. If dpred is not NULL it receives
 * scale * dL/dpred. A small epsilon keeps constant sequences finite. */
double emo_ccc_loss (const float *pred, const float *gold, guint T,
    guint n_out, const float *weight, float *dpred, float scale);

/* ---- optimisers ---- */
typedef enum {
  EMO_OPTIM_RMSPROP = 0,
  EMO_OPTIM_ADAM = 1,
  EMO_OPTIM_SGD = 2,
} EmoOptimKind;

typedef struct {
  EmoOptimKind kind;
  float lr;
  float rho;                    /* RMSprop decay (Keras default 0.9) */
  float beta1, beta2;           /* Adam */
  float eps;
  float weight_decay;           /* L2 coefficient added to the gradient */
  gsize n;
  float *m, *v;
  guint64 t;
} EmoOptim;

EmoOptim *emo_optim_new (EmoOptimKind kind, float lr, gsize n);
void emo_optim_free (EmoOptim * o);
void emo_optim_step (EmoOptim * o, float *params, const float *grad);

/* Scales grad so its L2 norm is at most max_norm (if > 0); returns the norm
 * before clipping. */
double emo_clip_grad_norm (float *grad, gsize n, double max_norm);

G_END_DECLS

#endif
