/* Throughput of the emo-nn kernels for the paper's network
 * (LSTM 256-128-64 + 3 heads): training frames/s and inference cost per
 * frame, against a plain-C reference forward pass measured in the same run.
 * Usage: mtl-speed [frames=100000] [dims=88] [threads=1] [hidden=256,128,64]
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ml/emo-nn.h"
#include "ml/emo-trainer.h"

static float
sigm (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* Straightforward loops over the same parameters: the baseline. */
static void
naive_step (const EmoNet * net, float **h, float **c, const float *x, float *y,
    float *z)
{
  guint l, j, k;
  const float *in = x;
  for (l = 0; l < net->n_hidden; l++) {
    const EmoNetLayer *L = &net->layers[l];
    const float *W = net->params + L->W, *U = net->params + L->U,
        *b = net->params + L->b;
    guint H = L->out;
    for (j = 0; j < 4 * H; j++) {
      float s = b[j];
      for (k = 0; k < L->in; k++)
        s += W[(gsize) j * L->in + k] * in[k];
      for (k = 0; k < H; k++)
        s += U[(gsize) j * H + k] * h[l][k];
      z[j] = s;
    }
    for (j = 0; j < H; j++) {
      float i_ = sigm (z[j]), f_ = sigm (z[H + j]), g_ = tanhf (z[2 * H + j]),
          o_ = sigm (z[3 * H + j]);
      c[l][j] = f_ * c[l][j] + i_ * g_;
      h[l][j] = o_ * tanhf (c[l][j]);
    }
    in = h[l];
  }
  {
    const EmoNetLayer *L = &net->layers[net->n_hidden];
    for (j = 0; j < net->n_out; j++) {
      float s = net->params[L->b + j];
      for (k = 0; k < L->in; k++)
        s += net->params[L->W + (gsize) j * L->in + k] * in[k];
      y[j] = s;
    }
  }
}

/* CPU time of this thread in microseconds: on shared cores the wall clock
 * also counts time spent waiting for other processes. */
static double
cpu_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main (int argc, char **argv)
{
  guint frames = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  guint dims = argc > 2 ? (guint) atoi (argv[2]) : 88;
  int threads = argc > 3 ? atoi (argv[3]) : 1;
  guint hidden[EMO_NET_MAX_LAYERS] = { 256, 128, 64 }, n_hidden = 3;
  const guint seq_len = 1000, n_inf = 3000;
  EmoNet *net;
  EmoRng rng;
  float *x, *y, *ys, *yn, *z, *h[EMO_NET_MAX_LAYERS], *c[EMO_NET_MAX_LAYERS];
  EmoSeq *seqs;
  guint n_seq, i, l;
  EmoTrainParams p;
  EmoTrainResult res;
  EmoNetWork *w1, *wseq;
  EmoNetState *st;
  gint64 t0;
  double us_stream, us_naive, us_seq, maxdiff =
      0, c0, cpu_stream, cpu_naive, cpu_seq, cpu_train;

  if (argc > 4) {
    gchar **parts = g_strsplit (argv[4], ",", -1);
    n_hidden = MIN (g_strv_length (parts), EMO_NET_MAX_LAYERS);
    for (i = 0; i < n_hidden; i++)
      hidden[i] = (guint) atoi (parts[i]);
    g_strfreev (parts);
  }
  if (frames < seq_len || dims == 0 || threads < 1) {
    fprintf (stderr,
        "usage: mtl-speed [frames>=1000] [dims] [threads] [h1,h2,..]\n");
    return 2;
  }
  net = emo_net_new (EMO_NET_LSTM, dims, n_hidden, hidden, 3, NULL);
  if (!net)
    return 2;
  emo_rng_init (&rng, 1);
  emo_net_init_weights (net, &rng);
  net->dropout = 0.4f;
  n_seq = frames / seq_len;
  x = g_new (float, (gsize) n_seq * seq_len * dims);
  y = g_new (float, (gsize) n_seq * seq_len * 3);
  for (i = 0; i < n_seq * seq_len * dims; i++)
    x[i] = (float) emo_rng_normal (&rng);
  for (i = 0; i < n_seq * seq_len * 3; i++)
    y[i] = (float) (0.3 * emo_rng_normal (&rng));
  seqs = g_new (EmoSeq, n_seq);
  for (i = 0; i < n_seq; i++)
    seqs[i] = (EmoSeq) {
    x + (gsize) i *seq_len * dims, y + (gsize) i *seq_len * 3, seq_len};

  printf ("network: LSTM(");
  for (l = 0; l < n_hidden; l++)
    printf ("%s%u", l ? "," : "", hidden[l]);
  printf (") + 3 heads on %u inputs, %" G_GSIZE_FORMAT " weights\n", dims,
      net->n_params);

  /* training: one epoch of the paper's recipe (batch 34 whole sequences) */
  emo_blas_set_threads (threads);
  emo_train_params_init (&p);
  p.epochs = 1;
  c0 = cpu_us ();
  emo_train (net, seqs, n_seq, NULL, 0, &p, NULL, NULL, &res, NULL);
  cpu_train = cpu_us () - c0;
  printf ("training: %u frames x %u dims, %d OpenBLAS thread(s): %.0f frames/s "
      "wall clock (forward + backward + RMSprop)", n_seq * seq_len, dims,
      threads, res.frames_per_second);
  if (threads == 1)
    printf (", %.0f frames/s of CPU time", n_seq * seq_len / (cpu_train / 1e6));
  printf ("\n");

  /* inference on one core */
  emo_blas_set_threads (1);
  w1 = emo_net_work_new (net, 1);
  wseq = emo_net_work_new (net, seq_len);
  st = emo_net_state_new (net);
  ys = g_new (float, 3 * n_inf);
  yn = g_new (float, 3 * n_inf);
  z = g_new (float, 4 * 4096);
  for (l = 0; l < n_hidden; l++) {
    h[l] = g_new0 (float, hidden[l]);
    c[l] = g_new0 (float, hidden[l]);
  }
  t0 = g_get_monotonic_time ();
  c0 = cpu_us ();
  for (i = 0; i < n_inf; i++)
    emo_net_forward (net, st, w1, x + (gsize) i * dims, 1, ys + 3 * i, NULL);
  cpu_stream = (cpu_us () - c0) / n_inf;
  us_stream = (g_get_monotonic_time () - t0) / (double) n_inf;
  t0 = g_get_monotonic_time ();
  c0 = cpu_us ();
  for (i = 0; i < n_inf; i++)
    naive_step (net, h, c, x + (gsize) i * dims, yn + 3 * i, z);
  cpu_naive = (cpu_us () - c0) / n_inf;
  us_naive = (g_get_monotonic_time () - t0) / (double) n_inf;
  for (i = 0; i < 3 * n_inf; i++)
    maxdiff = MAX (maxdiff, fabs (ys[i] - yn[i]));
  emo_net_state_reset (st);
  t0 = g_get_monotonic_time ();
  c0 = cpu_us ();
  for (i = 0; i < n_inf / seq_len; i++)
    emo_net_forward (net, st, wseq, x + (gsize) i * seq_len * dims, seq_len,
        NULL, NULL);
  cpu_seq = (cpu_us () - c0) / (n_inf / seq_len * seq_len);
  us_seq =
      (g_get_monotonic_time () - t0) / (double) (n_inf / seq_len * seq_len);

  printf
      ("inference, 1 thread, streaming (1 frame, state kept): %.1f us/frame CPU, %.1f wall\n",
      cpu_stream, us_stream);
  printf
      ("inference, 1 thread, whole sequences of %u frames:    %.1f us/frame CPU, %.1f wall\n",
      seq_len, cpu_seq, us_seq);
  printf
      ("baseline, plain C loops, streaming:                 %.1f us/frame CPU, %.1f wall\n",
      cpu_naive, us_naive);
  printf
      ("speed-up over the baseline (CPU time): streaming %.2fx, whole sequence %.2fx "
      "(max |difference| %.2g)\n", cpu_naive / cpu_stream, cpu_naive / cpu_seq,
      maxdiff);

  for (l = 0; l < n_hidden; l++) {
    g_free (h[l]);
    g_free (c[l]);
  }
  g_free (z);
  g_free (ys);
  g_free (yn);
  emo_net_state_free (st);
  emo_net_work_free (w1);
  emo_net_work_free (wseq);
  g_free (seqs);
  g_free (x);
  g_free (y);
  emo_net_free (net);
  return maxdiff < 1e-3 ? 0 : 1;
}
