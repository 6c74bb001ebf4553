/* gst-emo — small neural networks on OpenBLAS (see emo-nn.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <cblas.h>

#include "ml/emo-nn.h"

/* OpenBLAS exports this; declared here so we do not depend on its private
 * header layout. */
extern void openblas_set_num_threads (int num_threads);

G_DEFINE_QUARK (emo - ml - error - quark, emo_ml_error)
     void emo_gemm (gboolean trans_a, gboolean trans_b, guint M, guint N,
    guint K, float alpha, const float *A, guint lda, const float *B, guint ldb,
    float beta, float *C, guint ldc)
{
  if (M == 0 || N == 0)
    return;
  if (K == 0) {
    guint i, j;
    for (i = 0; i < M; i++)
      for (j = 0; j < N; j++)
        C[(gsize) i * ldc + j] *= beta;
    return;
  }
  if (M == 1) {
    /* one row (a single frame, a recurrent step): the matrix-vector kernel
     * is several times faster than sgemm's packing for this shape */
    int incx = trans_a ? (int) lda : 1;
    if (trans_b)
      cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) N, (int) K, alpha, B,
          (int) ldb, A, incx, beta, C, 1);
    else
      cblas_sgemv (CblasRowMajor, CblasTrans, (int) K, (int) N, alpha, B,
          (int) ldb, A, incx, beta, C, 1);
    return;
  }
  cblas_sgemm (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
      trans_b ? CblasTrans : CblasNoTrans, (int) M, (int) N, (int) K, alpha,
      A, (int) lda, B, (int) ldb, beta, C, (int) ldc);
}

void
emo_blas_set_threads (int n)
{
  openblas_set_num_threads (n);
}

/* ---------------------------------------------------------------- rng */

static guint64
splitmix64 (guint64 * x)
{
  guint64 z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void
emo_rng_init (EmoRng * rng, guint64 seed)
{
  guint64 x = seed, a = splitmix64 (&x), b = splitmix64 (&x);
  rng->s[0] = (guint32) a;
  rng->s[1] = (guint32) (a >> 32);
  rng->s[2] = (guint32) b;
  rng->s[3] = (guint32) (b >> 32);
  if (!(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]))
    rng->s[0] = 1;
}

static inline guint32
rotl32 (guint32 x, int k)
{
  return (x << k) | (x >> (32 - k));
}

guint32
emo_rng_u32 (EmoRng * rng)
{
  guint32 *s = rng->s;
  guint32 result = rotl32 (s[1] * 5, 7) * 9;
  guint32 t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl32 (s[3], 11);
  return result;
}

double
emo_rng_uniform (EmoRng * rng)
{
  guint64 hi = emo_rng_u32 (rng) >> 5, lo = emo_rng_u32 (rng) >> 6;
  return (hi * 67108864.0 + lo) / 9007199254740992.0;
}

double
emo_rng_normal (EmoRng * rng)
{
  double u1 = emo_rng_uniform (rng), u2 = emo_rng_uniform (rng);
  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

void
emo_rng_shuffle (EmoRng * rng, guint * idx, guint n)
{
  guint i;
  for (i = n; i > 1; i--) {
    guint j = (guint) (emo_rng_uniform (rng) * i);
    guint tmp = idx[i - 1];
    if (j >= i)
      j = i - 1;
    idx[i - 1] = idx[j];
    idx[j] = tmp;
  }
}

/* ---------------------------------------------------------------- net */

const gchar *
emo_net_kind_name (EmoNetKind kind)
{
  switch (kind) {
    case EMO_NET_LINEAR:
      return "linear";
    case EMO_NET_MLP:
      return "mlp";
    case EMO_NET_LSTM:
      return "lstm";
  }
  return "invalid";
}

gboolean
emo_net_kind_from_name (const gchar * name, EmoNetKind * kind)
{
  if (!g_strcmp0 (name, "linear") || !g_strcmp0 (name, "ridge"))
    *kind = EMO_NET_LINEAR;
  else if (!g_strcmp0 (name, "mlp"))
    *kind = EMO_NET_MLP;
  else if (!g_strcmp0 (name, "lstm"))
    *kind = EMO_NET_LSTM;
  else
    return FALSE;
  return TRUE;
}

/* Lays out the parameters; returns the count (0 if invalid). */
static gsize
net_layout (EmoNetKind kind, guint n_in, guint n_hidden, const guint * hidden,
    guint n_out, EmoNetLayer * layers)
{
  gsize off = 0;
  guint l, in = n_in;

  if (n_in == 0 || n_in > EMO_NET_MAX_INPUTS || n_out == 0
      || n_out > EMO_NET_MAX_OUTPUTS || n_hidden > EMO_NET_MAX_LAYERS)
    return 0;
  if (kind == EMO_NET_LINEAR && n_hidden != 0)
    return 0;
  if (kind != EMO_NET_LINEAR && kind != EMO_NET_MLP && kind != EMO_NET_LSTM)
    return 0;
  if (kind != EMO_NET_LINEAR && n_hidden == 0)
    return 0;
  for (l = 0; l < n_hidden; l++) {
    guint H = hidden[l];
    guint rows = kind == EMO_NET_LSTM ? 4 * H : H;
    EmoNetLayer L = { 0, };
    if (H == 0 || H > EMO_NET_MAX_UNITS)
      return 0;
    L.in = in;
    L.out = H;
    L.W = off;
    off += (gsize) rows *in;
    if (kind == EMO_NET_LSTM) {
      L.U = off;
      off += (gsize) rows *H;
    }
    L.b = off;
    off += rows;
    if (layers)
      layers[l] = L;
    in = H;
  }
  if (layers) {
    EmoNetLayer L = { 0, };
    L.in = in;
    L.out = n_out;
    L.W = off;
    L.b = off + (gsize) n_out *in;
    layers[n_hidden] = L;
  }
  off += (gsize) n_out *in + n_out;
  return off;
}

gsize
emo_net_count_params (EmoNetKind kind, guint n_in, guint n_hidden,
    const guint * hidden, guint n_out)
{
  return net_layout (kind, n_in, n_hidden, hidden, n_out, NULL);
}

EmoNet *
emo_net_new (EmoNetKind kind, guint n_in, guint n_hidden, const guint * hidden,
    guint n_out, GError ** error)
{
  EmoNet *net;
  gsize n;

  n = net_layout (kind, n_in, n_hidden, hidden, n_out, NULL);
  if (n == 0) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_ARCH,
        "invalid network: kind %d, %u inputs, %u hidden layers, %u outputs "
        "(layers 1..%u units, linear has none, others need at least one)",
        kind, n_in, n_hidden, n_out, EMO_NET_MAX_UNITS);
    return NULL;
  }
  net = g_new0 (EmoNet, 1);
  net->kind = kind;
  net->n_in = n_in;
  net->n_out = n_out;
  net->n_hidden = n_hidden;
  if (n_hidden)
    memcpy (net->hidden, hidden, n_hidden * sizeof (guint));
  net->n_params = net_layout (kind, n_in, n_hidden, hidden, n_out, net->layers);
  net->params = g_new0 (float, net->n_params);
  return net;
}

void
emo_net_free (EmoNet * net)
{
  if (!net)
    return;
  g_free (net->params);
  g_free (net);
}

EmoNet *
emo_net_copy (const EmoNet * net)
{
  EmoNet *c = g_new (EmoNet, 1);
  *c = *net;
  c->params = g_memdup2 (net->params, net->n_params * sizeof (float));
  return c;
}

static void
fill_uniform (float *p, gsize n, double limit, EmoRng * rng)
{
  gsize i;
  for (i = 0; i < n; i++)
    p[i] = (float) ((2.0 * emo_rng_uniform (rng) - 1.0) * limit);
}

void
emo_net_init_weights (EmoNet * net, EmoRng * rng)
{
  guint l;

  memset (net->params, 0, net->n_params * sizeof (float));
  for (l = 0; l <= net->n_hidden; l++) {
    EmoNetLayer *L = &net->layers[l];
    gboolean lstm = net->kind == EMO_NET_LSTM && l < net->n_hidden;
    guint rows = lstm ? 4 * L->out : L->out;
    fill_uniform (net->params + L->W, (gsize) rows * L->in,
        sqrt (6.0 / (L->in + rows)), rng);
    if (lstm) {
      guint j;
      fill_uniform (net->params + L->U, (gsize) rows * L->out,
          sqrt (6.0 / (L->out + rows)), rng);
      for (j = 0; j < L->out; j++)
        net->params[L->b + L->out + j] = 1.0f;  /* forget gate */
    }
  }
}

/* ---------------------------------------------------------------- state */

EmoNetState *
emo_net_state_new (const EmoNet * net)
{
  EmoNetState *st = g_new0 (EmoNetState, 1);
  guint l;
  if (net->kind == EMO_NET_LSTM) {
    st->n_layers = net->n_hidden;
    for (l = 0; l < st->n_layers; l++) {
      st->H[l] = net->hidden[l];
      st->h[l] = g_new0 (float, st->H[l]);
      st->c[l] = g_new0 (float, st->H[l]);
    }
  }
  return st;
}

void
emo_net_state_reset (EmoNetState * st)
{
  guint l;
  for (l = 0; l < st->n_layers; l++) {
    memset (st->h[l], 0, st->H[l] * sizeof (float));
    memset (st->c[l], 0, st->H[l] * sizeof (float));
  }
}

void
emo_net_state_free (EmoNetState * st)
{
  guint l;
  if (!st)
    return;
  for (l = 0; l < st->n_layers; l++) {
    g_free (st->h[l]);
    g_free (st->c[l]);
  }
  g_free (st);
}

void
emo_net_state_copy_to (const EmoNetState * src, EmoNetState * dst)
{
  guint l;
  g_return_if_fail (src->n_layers == dst->n_layers);
  for (l = 0; l < src->n_layers; l++) {
    g_return_if_fail (src->H[l] == dst->H[l]);
    memcpy (dst->h[l], src->h[l], src->H[l] * sizeof (float));
    memcpy (dst->c[l], src->c[l], src->H[l] * sizeof (float));
  }
}

float
emo_net_state_max_abs (const EmoNetState * st)
{
  float m = 0.0f;
  guint l, j;
  for (l = 0; l < st->n_layers; l++)
    for (j = 0; j < st->H[l]; j++)
      m = MAX (m, fabsf (st->c[l][j]));
  return m;
}

/* ---------------------------------------------------------------- work */

struct _EmoNetWork
{
  guint cap, T;
  guint n_hidden;
  gboolean dropped;
  float keep_scale;
  float *x;                     /* cap * n_in, copy of the input */
  float *h0[EMO_NET_MAX_LAYERS], *c0[EMO_NET_MAX_LAYERS];
  float *z[EMO_NET_MAX_LAYERS]; /* LSTM: gate activations cap*4H; MLP: tanh out */
  float *c[EMO_NET_MAX_LAYERS]; /* LSTM cell cap*H */
  float *tc[EMO_NET_MAX_LAYERS];        /* tanh(c) */
  float *h[EMO_NET_MAX_LAYERS]; /* layer output before dropout cap*H */
  float *hd[EMO_NET_MAX_LAYERS];        /* after dropout (own buffer) */
  float *mask[EMO_NET_MAX_LAYERS];      /* 0 or 1/(1-p) */
  float *y;                     /* cap * n_out */
  float *bufA, *bufB, *bufC;    /* backward scratch cap * maxdim */
  float *dh, *dc, *dhn;         /* per-step scratch, max H (4H for dhn) */
};

EmoNetWork *
emo_net_work_new (const EmoNet * net, guint max_T)
{
  EmoNetWork *w = g_new0 (EmoNetWork, 1);
  gsize cap = MAX (max_T, 1);
  guint l, maxdim = MAX (net->n_in, net->n_out), maxH = 1;

  w->cap = (guint) cap;
  w->n_hidden = net->n_hidden;
  w->x = g_new0 (float, cap * net->n_in);
  for (l = 0; l < net->n_hidden; l++) {
    guint H = net->hidden[l];
    gboolean lstm = net->kind == EMO_NET_LSTM;
    maxdim = MAX (maxdim, lstm ? 4 * H : H);
    maxH = MAX (maxH, H);
    w->h0[l] = g_new0 (float, H);
    w->c0[l] = g_new0 (float, H);
    w->z[l] = g_new0 (float, cap * (lstm ? 4 * H : H));
    if (lstm) {
      w->c[l] = g_new0 (float, cap * H);
      w->tc[l] = g_new0 (float, cap * H);
      w->h[l] = g_new0 (float, cap * H);
    }
    w->hd[l] = g_new0 (float, cap * H);
    w->mask[l] = g_new0 (float, cap * H);
  }
  w->y = g_new0 (float, cap * net->n_out);
  w->bufA = g_new0 (float, cap * maxdim);
  w->bufB = g_new0 (float, cap * maxdim);
  w->bufC = g_new0 (float, cap * maxdim);
  w->dh = g_new0 (float, maxH);
  w->dc = g_new0 (float, maxH);
  w->dhn = g_new0 (float, 4 * maxH);
  return w;
}

void
emo_net_work_free (EmoNetWork * w)
{
  guint l;
  if (!w)
    return;
  g_free (w->x);
  for (l = 0; l < w->n_hidden; l++) {
    g_free (w->h0[l]);
    g_free (w->c0[l]);
    g_free (w->z[l]);
    g_free (w->c[l]);
    g_free (w->tc[l]);
    g_free (w->h[l]);
    g_free (w->hd[l]);
    g_free (w->mask[l]);
  }
  g_free (w->y);
  g_free (w->bufA);
  g_free (w->bufB);
  g_free (w->bufC);
  g_free (w->dh);
  g_free (w->dc);
  g_free (w->dhn);
  g_free (w);
}

guint
emo_net_work_capacity (const EmoNetWork * w)
{
  return w->cap;
}

const float *
emo_net_work_output (const EmoNetWork * w)
{
  return w->y;
}

static inline float
sigmoidf (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* Z[T][rows] = X W^T + b */
static void
dense_forward (const float *X, guint T, guint in, const float *W,
    const float *b, guint rows, float *Z)
{
  guint t;
  for (t = 0; t < T; t++)
    memcpy (Z + (gsize) t * rows, b, rows * sizeof (float));
  emo_gemm (FALSE, TRUE, T, rows, in, 1.0f, X, in, W, in, 1.0f, Z, rows);
}

static void
lstm_forward (const EmoNet * net, guint l, EmoNetWork * w, const float *X,
    guint T)
{
  const EmoNetLayer *L = &net->layers[l];
  const float *W = net->params + L->W, *U = net->params + L->U,
      *b = net->params + L->b;
  guint H = L->out, G = 4 * H, t, j;
  float *Z = w->z[l];

  dense_forward (X, T, L->in, W, b, G, Z);
  for (t = 0; t < T; t++) {
    const float *hp = t ? w->h[l] + (gsize) (t - 1) * H : w->h0[l];
    const float *cp = t ? w->c[l] + (gsize) (t - 1) * H : w->c0[l];
    float *z = Z + (gsize) t * G;
    float *c = w->c[l] + (gsize) t * H, *tc = w->tc[l] + (gsize) t *H;
    float *h = w->h[l] + (gsize) t * H;

    emo_gemm (FALSE, TRUE, 1, G, H, 1.0f, hp, H, U, H, 1.0f, z, G);
    for (j = 0; j < H; j++) {
      float i_ = sigmoidf (z[j]);
      float f_ = sigmoidf (z[H + j]);
      float g_ = tanhf (z[2 * H + j]);
      float o_ = sigmoidf (z[3 * H + j]);
      z[j] = i_;
      z[H + j] = f_;
      z[2 * H + j] = g_;
      z[3 * H + j] = o_;
      c[j] = f_ * cp[j] + i_ * g_;
      tc[j] = tanhf (c[j]);
      h[j] = o_ * tc[j];
    }
  }
}

void
emo_net_forward (const EmoNet * net, EmoNetState * state, EmoNetWork * w,
    const float *x, guint T, float *y, EmoRng * dropout_rng)
{
  guint l;
  const float *X;
  gsize k;

  g_return_if_fail (T <= w->cap);
  w->T = T;
  memcpy (w->x, x, (gsize) T * net->n_in * sizeof (float));
  X = w->x;
  w->dropped = dropout_rng && net->dropout > 0.0f && net->n_hidden > 0;
  w->keep_scale = w->dropped ? 1.0f / (1.0f - net->dropout) : 1.0f;

  for (l = 0; l < net->n_hidden; l++) {
    const EmoNetLayer *L = &net->layers[l];
    guint H = L->out;
    const float *out;

    if (net->kind == EMO_NET_LSTM) {
      if (state) {
        memcpy (w->h0[l], state->h[l], H * sizeof (float));
        memcpy (w->c0[l], state->c[l], H * sizeof (float));
      } else {
        memset (w->h0[l], 0, H * sizeof (float));
        memset (w->c0[l], 0, H * sizeof (float));
      }
      lstm_forward (net, l, w, X, T);
      if (state && T > 0) {
        memcpy (state->h[l], w->h[l] + (gsize) (T - 1) * H, H * sizeof (float));
        memcpy (state->c[l], w->c[l] + (gsize) (T - 1) * H, H * sizeof (float));
      }
      out = w->h[l];
    } else {
      float *Z = w->z[l];
      dense_forward (X, T, L->in, net->params + L->W, net->params + L->b, H, Z);
      for (k = 0; k < (gsize) T * H; k++)
        Z[k] = tanhf (Z[k]);
      out = Z;
    }
    if (w->dropped) {
      float *m = w->mask[l], *hd = w->hd[l];
      for (k = 0; k < (gsize) T * H; k++) {
        m[k] = emo_rng_uniform (dropout_rng) < net->dropout ? 0.0f :
            w->keep_scale;
        hd[k] = out[k] * m[k];
      }
    } else {
      memcpy (w->hd[l], out, (gsize) T * H * sizeof (float));
    }
    X = w->hd[l];
  }
  {
    const EmoNetLayer *L = &net->layers[net->n_hidden];
    dense_forward (X, T, L->in, net->params + L->W, net->params + L->b,
        net->n_out, w->y);
  }
  if (y)
    memcpy (y, w->y, (gsize) T * net->n_out * sizeof (float));
}

/* dH[T][H] (gradient on the layer's pre-dropout output) -> dZ[T][4H] by
 * back-propagation through time, then the parameter gradients. */
static void
lstm_backward (const EmoNet * net, guint l, EmoNetWork * w, const float *X,
    const float *dH, float *dZ, float *grad, float *dX)
{
  const EmoNetLayer *L = &net->layers[l];
  const float *W = net->params + L->W, *U = net->params + L->U;
  guint H = L->out, G = 4 * H, T = w->T, j;
  gint t;
  float *dh = w->dh, *dc = w->dc, *dhn = w->dhn;

  memset (dhn, 0, H * sizeof (float));  /* dL/dh_{t} from step t+1 */
  memset (dc, 0, H * sizeof (float));   /* dL/dc_{t} from step t+1 */
  for (t = (gint) T - 1; t >= 0; t--) {
    const float *z = w->z[l] + (gsize) t * G;
    const float *tc = w->tc[l] + (gsize) t * H;
    const float *cp = t ? w->c[l] + (gsize) (t - 1) * H : w->c0[l];
    float *dz = dZ + (gsize) t * G;
    for (j = 0; j < H; j++) {
      float i_ = z[j], f_ = z[H + j], g_ = z[2 * H + j], o_ = z[3 * H + j];
      float dht = dH[(gsize) t * H + j] + dhn[j];
      float dct = dht * o_ * (1.0f - tc[j] * tc[j]) + dc[j];
      float do_ = dht * tc[j];
      dz[j] = dct * g_ * i_ * (1.0f - i_);
      dz[H + j] = dct * cp[j] * f_ * (1.0f - f_);
      dz[2 * H + j] = dct * i_ * (1.0f - g_ * g_);
      dz[3 * H + j] = do_ * o_ * (1.0f - o_);
      dc[j] = dct * f_;
    }
    /* dh_{t-1} = dz U  ([1][4H] x [4H][H]) */
    emo_gemm (FALSE, FALSE, 1, H, G, 1.0f, dz, G, U, H, 0.0f, dh, H);
    memcpy (dhn, dh, H * sizeof (float));
  }
  /* dW += dZ^T X, dU += dZ^T H_prev, db += sum dZ */
  emo_gemm (TRUE, FALSE, G, L->in, T, 1.0f, dZ, G, X, L->in, 1.0f,
      grad + L->W, L->in);
  if (T > 1)
    emo_gemm (TRUE, FALSE, G, H, T - 1, 1.0f, dZ + G, G, w->h[l], H, 1.0f,
        grad + L->U, H);
  emo_gemm (TRUE, FALSE, G, H, 1, 1.0f, dZ, G, w->h0[l], H, 1.0f,
      grad + L->U, H);
  for (t = 0; t < (gint) T; t++)
    for (j = 0; j < G; j++)
      grad[L->b + j] += dZ[(gsize) t * G + j];
  if (dX)
    emo_gemm (FALSE, FALSE, T, L->in, G, 1.0f, dZ, G, W, L->in, 0.0f, dX,
        L->in);
}

/* Dense layer: dZ[T][rows] given; accumulates dW, db and writes dX. */
static void
dense_backward (const float *X, guint T, guint in, const float *W,
    guint rows, const float *dZ, float *gW, float *gb, float *dX)
{
  guint t, j;
  emo_gemm (TRUE, FALSE, rows, in, T, 1.0f, dZ, rows, X, in, 1.0f, gW, in);
  for (t = 0; t < T; t++)
    for (j = 0; j < rows; j++)
      gb[j] += dZ[(gsize) t * rows + j];
  if (dX)
    emo_gemm (FALSE, FALSE, T, in, rows, 1.0f, dZ, rows, W, in, 0.0f, dX, in);
}

void
emo_net_backward (const EmoNet * net, EmoNetWork * w, const float *dy,
    float *grad, float *dx)
{
  guint T = w->T, l;
  const EmoNetLayer *Lh = &net->layers[net->n_hidden];
  const float *Xh = net->n_hidden ? w->hd[net->n_hidden - 1] : w->x;
  float *dA = w->bufA, *dB = w->bufB;
  gsize k;

  if (T == 0)
    return;
  /* head: dA = dL/d(input of head) */
  dense_backward (Xh, T, Lh->in, net->params + Lh->W, net->n_out, dy,
      grad + Lh->W, grad + Lh->b, net->n_hidden ? dA : dx);

  for (l = net->n_hidden; l-- > 0;) {
    const EmoNetLayer *L = &net->layers[l];
    const float *X = l ? w->hd[l - 1] : w->x;
    float *dXl = l ? dB : dx;
    guint H = L->out;
    float *tmp;

    if (w->dropped)
      for (k = 0; k < (gsize) T * H; k++)
        dA[k] *= w->mask[l][k];
    if (net->kind == EMO_NET_LSTM) {
      lstm_backward (net, l, w, X, dA, w->bufC, grad, dXl);
    } else {
      const float *Z = w->z[l];
      for (k = 0; k < (gsize) T * H; k++)
        dA[k] *= 1.0f - Z[k] * Z[k];
      dense_backward (X, T, L->in, net->params + L->W, H, dA, grad + L->W,
          grad + L->b, dXl);
    }
    tmp = dA;
    dA = dB;
    dB = tmp;
  }
}

/* ---------------------------------------------------------------- loss */

double
emo_ccc_loss (const float *pred, const float *gold, guint T, guint n_out,
    const float *weight, float *dpred, float scale)
{
  const double eps = 1e-8;
  double loss = 0.0;
  guint k, t;

  if (dpred)
    memset (dpred, 0, (gsize) T * n_out * sizeof (float));
  if (T == 0)
    return 0.0;
  for (k = 0; k < n_out; k++) {
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, num, den, ccc;
    if (weight && weight[k] == 0.0f)
      continue;
    for (t = 0; t < T; t++) {
      mx += pred[(gsize) t * n_out + k];
      my += gold[(gsize) t * n_out + k];
    }
    mx /= T;
    my /= T;
    for (t = 0; t < T; t++) {
      double dx = pred[(gsize) t * n_out + k] - mx;
      double dy = gold[(gsize) t * n_out + k] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    sxx /= T;
    syy /= T;
    sxy /= T;
    num = 2.0 * sxy;
    den = sxx + syy + (mx - my) * (mx - my) + eps;
    ccc = num / den;
    loss += (weight ? weight[k] : 1.0) * (1.0 - ccc);
    if (dpred) {
      double wk = (weight ? weight[k] : 1.0) * scale;
      for (t = 0; t < T; t++) {
        double dx = pred[(gsize) t * n_out + k] - mx;
        double dy = gold[(gsize) t * n_out + k] - my;
        /* d num = 2 dy/T ; d den = 2 (dx + (mx - my)) / T */
        double dccc = (2.0 * dy / T * den - num * 2.0 * (dx + (mx - my)) / T)
            / (den * den);
        dpred[(gsize) t * n_out + k] = (float) (-wk * dccc);
      }
    }
  }
  return loss;
}

/* ---------------------------------------------------------------- optim */

EmoOptim *
emo_optim_new (EmoOptimKind kind, float lr, gsize n)
{
  EmoOptim *o = g_new0 (EmoOptim, 1);
  o->kind = kind;
  o->lr = lr;
  o->rho = 0.9f;
  o->beta1 = 0.9f;
  o->beta2 = 0.999f;
  o->eps = 1e-7f;
  o->n = n;
  o->m = g_new0 (float, n);
  o->v = g_new0 (float, n);
  return o;
}

void
emo_optim_free (EmoOptim * o)
{
  if (!o)
    return;
  g_free (o->m);
  g_free (o->v);
  g_free (o);
}

void
emo_optim_step (EmoOptim * o, float *params, const float *grad)
{
  gsize i;
  o->t++;
  switch (o->kind) {
    case EMO_OPTIM_RMSPROP:
      for (i = 0; i < o->n; i++) {
        float g = grad[i] + o->weight_decay * params[i];
        o->v[i] = o->rho * o->v[i] + (1.0f - o->rho) * g * g;
        params[i] -= o->lr * g / (sqrtf (o->v[i]) + o->eps);
      }
      break;
    case EMO_OPTIM_ADAM:{
      double c1 = 1.0 - pow (o->beta1, (double) o->t);
      double c2 = 1.0 - pow (o->beta2, (double) o->t);
      float a = (float) (o->lr * sqrt (c2) / c1);
      for (i = 0; i < o->n; i++) {
        float g = grad[i] + o->weight_decay * params[i];
        o->m[i] = o->beta1 * o->m[i] + (1.0f - o->beta1) * g;
        o->v[i] = o->beta2 * o->v[i] + (1.0f - o->beta2) * g * g;
        params[i] -= a * o->m[i] / (sqrtf (o->v[i]) + o->eps);
      }
      break;
    }
    case EMO_OPTIM_SGD:
      for (i = 0; i < o->n; i++)
        params[i] -= o->lr * (grad[i] + o->weight_decay * params[i]);
      break;
  }
}

double
emo_clip_grad_norm (float *grad, gsize n, double max_norm)
{
  double s = 0.0, norm;
  gsize i;
  for (i = 0; i < n; i++)
    s += (double) grad[i] * grad[i];
  norm = sqrt (s);
  if (max_norm > 0.0 && norm > max_norm) {
    float f = (float) (max_norm / norm);
    for (i = 0; i < n; i++)
      grad[i] *= f;
  }
  return norm;
}
