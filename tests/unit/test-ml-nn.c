/* Unit tests of the neural network kernels: finite-difference checks of
 * every backward pass (LSTM, MLP, linear, dropout, CCC loss), streaming
 * versus whole-sequence inference, optimisers and clipping. */
#include <glib.h>
#include <math.h>
#include <string.h>
#include "ml/emo-nn.h"

static void
fill_normal (float *p, gsize n, double s, EmoRng * rng)
{
  gsize i;
  for (i = 0; i < n; i++)
    p[i] = (float) (s * emo_rng_normal (rng));
}

typedef struct
{
  EmoNet *net;
  EmoNetWork *w;
  EmoNetState *init;            /* initial state (random), copied per run */
  EmoNetState *st;
  const float *x;
  const float *gold;
  const float *proj;            /* for the linear test loss */
  guint T;
  gboolean ccc;
  gboolean dropout;
  float weights[3];
} Problem;

/* Loss of one forward pass; dropout masks are the same on every call
 * because the rng is re-seeded. */
static double
problem_loss (Problem * p, float *dy)
{
  EmoRng rng;
  float *y = g_new (float, p->T * p->net->n_out);
  double L = 0.0;
  guint k;

  emo_rng_init (&rng, 99);
  emo_net_state_copy_to (p->init, p->st);
  emo_net_forward (p->net, p->st, p->w, p->x, p->T, y,
      p->dropout ? &rng : NULL);
  if (p->ccc) {
    L = emo_ccc_loss (y, p->gold, p->T, p->net->n_out, p->weights, dy, 1.0f);
  } else {
    for (k = 0; k < p->T * p->net->n_out; k++) {
      L += (double) p->proj[k] * y[k];
      if (dy)
        dy[k] = p->proj[k];
    }
  }
  g_free (y);
  return L;
}

static void
check_gradients (EmoNetKind kind, guint n_hidden, const guint * hidden,
    gboolean ccc, gboolean dropout, gboolean random_state)
{
  const guint n_in = 4, n_out = 3, T = 9;
  EmoRng rng;
  Problem p = { 0, };
  float *x, *gold, *proj, *grad, *dy, *dx;
  double num, ana, err_num = 0, err_den = 0, worst = 0;
  gsize i;
  guint l, j;

  emo_rng_init (&rng, 1234 + kind * 7 + n_hidden);
  p.net = emo_net_new (kind, n_in, n_hidden, hidden, n_out, NULL);
  g_assert_nonnull (p.net);
  emo_net_init_weights (p.net, &rng);
  /* biases non-zero too, so their gradients are exercised */
  for (i = 0; i < p.net->n_params; i++)
    p.net->params[i] += (float) (0.1 * emo_rng_normal (&rng));
  p.net->dropout = dropout ? 0.3f : 0.0f;
  p.dropout = dropout;
  p.w = emo_net_work_new (p.net, T);
  p.init = emo_net_state_new (p.net);
  p.st = emo_net_state_new (p.net);
  if (random_state)
    for (l = 0; l < p.init->n_layers; l++) {
      fill_normal (p.init->h[l], p.init->H[l], 0.5, &rng);
      fill_normal (p.init->c[l], p.init->H[l], 0.5, &rng);
    }
  x = g_new (float, T * n_in);
  gold = g_new (float, T * n_out);
  proj = g_new (float, T * n_out);
  fill_normal (x, T * n_in, 1.0, &rng);
  fill_normal (gold, T * n_out, 0.5, &rng);
  fill_normal (proj, T * n_out, 1.0, &rng);
  p.x = x;
  p.gold = gold;
  p.proj = proj;
  p.T = T;
  p.ccc = ccc;
  p.weights[0] = 0.7f;
  p.weights[1] = 0.2f;
  p.weights[2] = 1.0f;

  grad = g_new0 (float, p.net->n_params);
  dy = g_new (float, T * n_out);
  dx = g_new (float, T * n_in);
  problem_loss (&p, dy);
  emo_net_backward (p.net, p.w, dy, grad, dx);

  for (i = 0; i < p.net->n_params; i++) {
    float keep = p.net->params[i];
    const float h = 3e-3f;
    double lp, lm;
    p.net->params[i] = keep + h;
    lp = problem_loss (&p, NULL);
    p.net->params[i] = keep - h;
    lm = problem_loss (&p, NULL);
    p.net->params[i] = keep;
    num = (lp - lm) / (2.0 * h);
    ana = grad[i];
    err_num += (num - ana) * (num - ana);
    err_den += (num + ana) * (num + ana);
    worst = MAX (worst, fabs (num - ana) / (1e-2 + fabs (num)));
    if (fabs (num - ana) > 2e-3 + 3e-2 * fabs (num))
      g_error ("%s param %zu: analytic %g numeric %g",
          emo_net_kind_name (kind), i, ana, num);
  }
  g_assert_cmpfloat (sqrt (err_num / (err_den + 1e-30)), <, 5e-3);

  /* gradient with respect to the input */
  for (j = 0; j < T * n_in; j++) {
    float keep = x[j];
    const float h = 3e-3f;
    double lp, lm;
    x[j] = keep + h;
    lp = problem_loss (&p, NULL);
    x[j] = keep - h;
    lm = problem_loss (&p, NULL);
    x[j] = keep;
    num = (lp - lm) / (2.0 * h);
    if (fabs (num - dx[j]) > 2e-3 + 3e-2 * fabs (num))
      g_error ("%s input %u: analytic %g numeric %g",
          emo_net_kind_name (kind), j, dx[j], num);
  }
  g_test_message ("%s: %zu params, worst rel err %.2e",
      emo_net_kind_name (kind), p.net->n_params, worst);

  g_free (grad);
  g_free (dy);
  g_free (dx);
  g_free (x);
  g_free (gold);
  g_free (proj);
  emo_net_state_free (p.init);
  emo_net_state_free (p.st);
  emo_net_work_free (p.w);
  emo_net_free (p.net);
}

static void
test_grad_lstm (void)
{
  guint h[] = { 5, 3 };
  check_gradients (EMO_NET_LSTM, 2, h, FALSE, FALSE, TRUE);
  check_gradients (EMO_NET_LSTM, 2, h, TRUE, FALSE, FALSE);
}

static void
test_grad_lstm_dropout (void)
{
  guint h[] = { 6, 4, 3 };
  check_gradients (EMO_NET_LSTM, 3, h, TRUE, TRUE, TRUE);
}

static void
test_grad_mlp (void)
{
  guint h[] = { 6, 5 };
  check_gradients (EMO_NET_MLP, 2, h, FALSE, FALSE, FALSE);
  check_gradients (EMO_NET_MLP, 2, h, TRUE, TRUE, FALSE);
}

static void
test_grad_linear (void)
{
  check_gradients (EMO_NET_LINEAR, 0, NULL, FALSE, FALSE, FALSE);
  check_gradients (EMO_NET_LINEAR, 0, NULL, TRUE, FALSE, FALSE);
}

/* The loss alone, against finite differences in double. */
static void
test_ccc_loss_grad (void)
{
  const guint T = 25, K = 3;
  float pred[75], gold[75], d[75];
  float w[3] = { 0.7f, 0.0f, 1.0f };
  EmoRng rng;
  guint i;
  double L;

  emo_rng_init (&rng, 5);
  fill_normal (pred, T * K, 1.0, &rng);
  fill_normal (gold, T * K, 1.0, &rng);
  L = emo_ccc_loss (pred, gold, T, K, w, d, 0.5f);
  g_assert_true (isfinite (L));
  g_assert_cmpfloat (L, >=, 0.0);
  g_assert_cmpfloat (L, <=, 2.0 * (0.7 + 1.0));
  for (i = 0; i < T * K; i++) {
    float keep = pred[i];
    double lp, lm, num;
    pred[i] = keep + 1e-3f;
    lp = emo_ccc_loss (pred, gold, T, K, w, NULL, 1.0f);
    pred[i] = keep - 1e-3f;
    lm = emo_ccc_loss (pred, gold, T, K, w, NULL, 1.0f);
    pred[i] = keep;
    num = 0.5 * (lp - lm) / 2e-3;
    g_assert_cmpfloat (fabs (num - d[i]), <, 1e-4 + 1e-2 * fabs (num));
    if (i % K == 1)             /* weight 0: no gradient */
      g_assert_cmpfloat (d[i], ==, 0.0f);
  }
  /* perfect prediction: loss 0; constant prediction: finite */
  L = emo_ccc_loss (gold, gold, T, K, NULL, d, 1.0f);
  g_assert_cmpfloat (fabs (L), <, 1e-6);
  memset (pred, 0, sizeof (pred));
  L = emo_ccc_loss (pred, gold, T, K, NULL, d, 1.0f);
  g_assert_cmpfloat (fabs (L - 3.0), <, 1e-6);
  for (i = 0; i < T * K; i++)
    g_assert_true (isfinite (d[i]));
  L = emo_ccc_loss (pred, pred, T, K, NULL, d, 1.0f);
  g_assert_true (isfinite (L));
}

static void
check_streaming (EmoNetKind kind, guint n_hidden, const guint * hidden)
{
  const guint n_in = 7, n_out = 3, T = 300;
  EmoRng rng;
  EmoNet *net = emo_net_new (kind, n_in, n_hidden, hidden, n_out, NULL);
  EmoNetWork *whole = emo_net_work_new (net, T), *one =
      emo_net_work_new (net, 1);
  EmoNetState *s1 = emo_net_state_new (net), *s2 = emo_net_state_new (net);
  float *x = g_new (float, T * n_in), *y1 = g_new (float, T * n_out), y2[3];
  double worst = 0;
  guint t, k;

  emo_rng_init (&rng, 77);
  emo_net_init_weights (net, &rng);
  net->dropout = 0.4f;          /* must be inactive at inference */
  fill_normal (x, T * n_in, 1.0, &rng);
  emo_net_forward (net, s1, whole, x, T, y1, NULL);
  for (t = 0; t < T; t++) {
    emo_net_forward (net, s2, one, x + t * n_in, 1, y2, NULL);
    for (k = 0; k < n_out; k++) {
      g_assert_true (isfinite (y2[k]));
      worst = MAX (worst, fabs (y2[k] - y1[t * n_out + k]));
    }
  }
  g_test_message ("%s streaming max diff %.3g", emo_net_kind_name (kind),
      worst);
  g_assert_cmpfloat (worst, <, 1e-5);
  /* final states agree too */
  for (k = 0; k < s1->n_layers; k++)
    for (t = 0; t < s1->H[k]; t++)
      g_assert_cmpfloat (fabs (s1->c[k][t] - s2->c[k][t]), <, 1e-5);
  /* and the output depends on the past: a reset changes it (LSTM only) */
  if (kind == EMO_NET_LSTM) {
    emo_net_state_reset (s2);
    emo_net_forward (net, s2, one, x + (T - 1) * n_in, 1, y2, NULL);
    g_assert_cmpfloat (fabs (y2[0] - y1[(T - 1) * n_out]), >, 1e-6);
  }
  g_free (x);
  g_free (y1);
  emo_net_state_free (s1);
  emo_net_state_free (s2);
  emo_net_work_free (whole);
  emo_net_work_free (one);
  emo_net_free (net);
}

static void
test_streaming (void)
{
  guint paper[] = { 64, 32, 16 };
  guint m[] = { 16 };
  check_streaming (EMO_NET_LSTM, 3, paper);
  check_streaming (EMO_NET_MLP, 1, m);
  check_streaming (EMO_NET_LINEAR, 0, NULL);
}

static void
test_invalid_arch (void)
{
  guint h[] = { 0 };
  guint big[] = { EMO_NET_MAX_UNITS + 1 };
  guint ok[] = { 4 };
  GError *e = NULL;
  g_assert_null (emo_net_new (EMO_NET_LSTM, 3, 1, h, 3, &e));
  g_assert_nonnull (e);
  g_clear_error (&e);
  g_assert_null (emo_net_new (EMO_NET_LSTM, 3, 1, big, 3, &e));
  g_clear_error (&e);
  g_assert_null (emo_net_new (EMO_NET_LSTM, 3, 0, NULL, 3, &e));
  g_clear_error (&e);
  g_assert_null (emo_net_new (EMO_NET_LINEAR, 3, 1, ok, 3, &e));
  g_clear_error (&e);
  g_assert_null (emo_net_new (EMO_NET_MLP, 0, 1, ok, 3, &e));
  g_clear_error (&e);
  g_assert_cmpuint (emo_net_count_params (EMO_NET_LSTM, 3, 1, ok, 2), ==,
      4 * 4 * 3 + 4 * 4 * 4 + 16 + 2 * 4 + 2);
}

/* Both optimisers reach the minimum of a quadratic; clipping scales. */
static void
test_optimisers (void)
{
  EmoOptimKind kinds[] = { EMO_OPTIM_RMSPROP, EMO_OPTIM_ADAM, EMO_OPTIM_SGD };
  guint k, it, i;
  for (k = 0; k < G_N_ELEMENTS (kinds); k++) {
    float p[4] = { 3, -2, 1, 5 }, target[4] = { 1, 1, -1, 0 }, g[4];
    EmoOptim *o = emo_optim_new (kinds[k], 0.01f, 4);
    for (it = 0; it < 3000; it++) {
      for (i = 0; i < 4; i++)
        g[i] = 2 * (p[i] - target[i]);
      emo_optim_step (o, p, g);
    }
    for (i = 0; i < 4; i++)
      g_assert_cmpfloat (fabs (p[i] - target[i]), <, 0.05);
    emo_optim_free (o);
  }
  {
    float g[2] = { 3, 4 };
    g_assert_cmpfloat (emo_clip_grad_norm (g, 2, 1.0), ==, 5.0);
    g_assert_cmpfloat (fabs (g[0] - 0.6f), <, 1e-6);
    g_assert_cmpfloat (fabs (g[1] - 0.8f), <, 1e-6);
    g_assert_cmpfloat (emo_clip_grad_norm (g, 2, 10.0), <, 1.0 + 1e-6);
    g_assert_cmpfloat (fabs (g[1] - 0.8f), <, 1e-6);
  }
}

static void
test_rng (void)
{
  EmoRng a, b;
  guint i, idx[50], seen[50] = { 0 };
  double s = 0;
  emo_rng_init (&a, 42);
  emo_rng_init (&b, 42);
  for (i = 0; i < 1000; i++) {
    double u = emo_rng_uniform (&a);
    g_assert_cmpfloat (u, ==, emo_rng_uniform (&b));
    g_assert_cmpfloat (u, >=, 0.0);
    g_assert_cmpfloat (u, <, 1.0);
    s += u;
  }
  g_assert_cmpfloat (fabs (s / 1000 - 0.5), <, 0.05);
  for (i = 0; i < 50; i++)
    idx[i] = i;
  emo_rng_shuffle (&a, idx, 50);
  for (i = 0; i < 50; i++)
    seen[idx[i]]++;
  for (i = 0; i < 50; i++)
    g_assert_cmpuint (seen[i], ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  emo_blas_set_threads (1);
  g_test_add_func ("/ml/nn/grad-lstm", test_grad_lstm);
  g_test_add_func ("/ml/nn/grad-lstm-dropout", test_grad_lstm_dropout);
  g_test_add_func ("/ml/nn/grad-mlp", test_grad_mlp);
  g_test_add_func ("/ml/nn/grad-linear", test_grad_linear);
  g_test_add_func ("/ml/nn/ccc-loss-grad", test_ccc_loss_grad);
  g_test_add_func ("/ml/nn/streaming-equals-whole", test_streaming);
  g_test_add_func ("/ml/nn/invalid-arch", test_invalid_arch);
  g_test_add_func ("/ml/nn/optimisers", test_optimisers);
  g_test_add_func ("/ml/nn/rng", test_rng);
  return g_test_run ();
}
