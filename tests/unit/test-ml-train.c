/* Unit tests of the training loop on synthetic sequences whose targets are
 * smoothed functions of the input: the trainer learns them (dev CCC on held-
 * out sequences), is deterministic for a seed, and single-task weights leave
 * the other attributes' heads untouched. */
#include <glib.h>
#include <math.h>
#include <string.h>
#include "ml/emo-trainer.h"

#define NIN 4
#define NOUT 3
#define SEQ_T 120

typedef struct
{
  float x[SEQ_T * NIN];
  float y[SEQ_T * NOUT];
} SynthSeq;

/* arousal = leaky integral of x0, valence = x1 - x2 (instant),
 * liking = slow mean of x3 */
static void
make_seq (SynthSeq * s, EmoRng * rng)
{
  float a = 0, l = 0;
  guint t, i;
  for (t = 0; t < SEQ_T; t++) {
    for (i = 0; i < NIN; i++)
      s->x[t * NIN + i] = (float) emo_rng_normal (rng);
    a = 0.8f * a + 0.2f * s->x[t * NIN];
    l = 0.95f * l + 0.05f * s->x[t * NIN + 3];
    s->y[t * NOUT + 0] = a;
    s->y[t * NOUT + 1] = 0.5f * (s->x[t * NIN + 1] - s->x[t * NIN + 2]);
    s->y[t * NOUT + 2] = l;
  }
}

static EmoNet *
train_once (EmoNetKind kind, const float *weights, guint64 seed,
    EmoTrainResult * res, const float **init_out)
{
  static SynthSeq data[14];
  EmoSeq train[10], dev[4];
  EmoTrainParams p;
  EmoRng rng;
  guint i, hidden[] = { 12, 8 };
  EmoNet *net;
  GError *e = NULL;
  static float *init = NULL;

  emo_rng_init (&rng, 2024);
  for (i = 0; i < 14; i++) {
    make_seq (&data[i], &rng);
    if (i < 10)
      train[i] = (EmoSeq) {
      data[i].x, data[i].y, SEQ_T};
    else
    dev[i - 10] = (EmoSeq) {
    data[i].x, data[i].y, SEQ_T};
  }
  net = emo_net_new (kind, NIN, kind == EMO_NET_LINEAR ? 0 :
      kind == EMO_NET_MLP ? 1 : 2, hidden, NOUT, NULL);
  emo_rng_init (&rng, seed);
  emo_net_init_weights (net, &rng);
  net->dropout = 0.1f;
  g_free (init);
  init = g_memdup2 (net->params, net->n_params * 4);
  if (init_out)
    *init_out = init;
  emo_train_params_init (&p);
  p.epochs = 40;
  p.batch = 4;
  p.chunk = 60;
  p.lr = 1e-2f;
  p.optim = EMO_OPTIM_ADAM;
  p.seed = seed;
  memcpy (p.weights, weights, NOUT * sizeof (float));
  g_assert_true (emo_train (net, train, 10, dev, 4, &p, NULL, NULL, res, &e));
  g_assert_no_error (e);
  return net;
}

static void
test_learns (void)
{
  const float w[3] = { 1, 1, 1 };
  EmoTrainResult r;
  EmoNet *net = train_once (EMO_NET_LSTM, w, 5, &r, NULL);
  g_test_message ("dev CCC %.3f %.3f %.3f at epoch %u", r.dev_ccc[0],
      r.dev_ccc[1], r.dev_ccc[2], r.best_epoch);
  g_assert_cmpuint (r.best_epoch, >=, 1);
  g_assert_cmpfloat (r.dev_ccc[0], >, 0.7);
  g_assert_cmpfloat (r.dev_ccc[1], >, 0.7);
  g_assert_cmpfloat (r.dev_ccc[2], >, 0.3);
  /* the parameters left in net are those of the best epoch */
  {
    double ccc[3];
    static SynthSeq d[14];
    EmoSeq dev[4];
    EmoRng rng;
    guint i;
    emo_rng_init (&rng, 2024);
    for (i = 0; i < 14; i++)
      make_seq (&d[i], &rng);
    for (i = 0; i < 4; i++)
      dev[i] = (EmoSeq) {
      d[10 + i].x, d[10 + i].y, SEQ_T};
    emo_net_eval_ccc (net, dev, 4, ccc);
    g_assert_cmpfloat (fabs (ccc[0] - r.dev_ccc[0]), <, 1e-9);
  }
  emo_net_free (net);
}

static void
test_deterministic (void)
{
  const float w[3] = { 0.7f, 0.2f, 1.0f };
  EmoTrainResult r1, r2;
  EmoNet *a = train_once (EMO_NET_LSTM, w, 9, &r1, NULL);
  EmoNet *b = train_once (EMO_NET_LSTM, w, 9, &r2, NULL);
  EmoNet *c = train_once (EMO_NET_LSTM, w, 10, &r2, NULL);
  g_assert_cmpmem (a->params, a->n_params * 4, b->params, b->n_params * 4);
  g_assert_true (memcmp (a->params, c->params, a->n_params * 4) != 0);
  emo_net_free (a);
  emo_net_free (b);
  emo_net_free (c);
}

static void
test_single_task (void)
{
  const float w[3] = { 0, 1, 0 };
  EmoTrainResult r;
  const float *init;
  EmoNet *net = train_once (EMO_NET_MLP, w, 3, &r, &init);
  const EmoNetLayer *head = &net->layers[net->n_hidden];
  guint j;
  /* heads of arousal (row 0) and liking (row 2) never received gradient */
  for (j = 0; j < head->in; j++) {
    g_assert_cmpfloat (net->params[head->W + j], ==, init[head->W + j]);
    g_assert_cmpfloat (net->params[head->W + 2 * head->in + j], ==,
        init[head->W + 2 * head->in + j]);
  }
  g_assert_true (memcmp (net->params + head->W + head->in,
          init + head->W + head->in, head->in * 4) != 0);
  g_assert_cmpfloat (r.dev_ccc[1], >, 0.7);
  g_assert_cmpfloat (r.dev_score, ==, r.dev_ccc[1]);
  emo_net_free (net);
}

static void
test_linear (void)
{
  const float w[3] = { 1, 1, 1 };
  EmoTrainResult r;
  EmoNet *net = train_once (EMO_NET_LINEAR, w, 3, &r, NULL);
  /* valence is linear in the input: a linear model fits it */
  g_assert_cmpfloat (r.dev_ccc[1], >, 0.9);
  emo_net_free (net);
}

static void
test_refuses (void)
{
  float x[4 * NIN] = { 0 }, y[4 * NOUT] = { 0 };
  EmoSeq s = { x, y, 1 };
  EmoTrainParams p;
  EmoTrainResult r;
  GError *e = NULL;
  guint h[] = { 3 };
  EmoNet *net = emo_net_new (EMO_NET_MLP, NIN, 1, h, NOUT, NULL);
  emo_train_params_init (&p);
  p.epochs = 1;
  g_assert_false (emo_train (net, &s, 1, NULL, 0, &p, NULL, NULL, &r, &e));
  g_assert_error (e, EMO_ML_ERROR, EMO_ML_ERROR_DATA);
  g_clear_error (&e);
  memset (p.weights, 0, sizeof (p.weights));
  s.T = 4;
  g_assert_false (emo_train (net, &s, 1, NULL, 0, &p, NULL, NULL, &r, &e));
  g_assert_error (e, EMO_ML_ERROR, EMO_ML_ERROR_DATA);
  g_clear_error (&e);
  emo_net_free (net);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  emo_blas_set_threads (1);
  g_test_add_func ("/ml/train/learns", test_learns);
  g_test_add_func ("/ml/train/deterministic", test_deterministic);
  g_test_add_func ("/ml/train/single-task", test_single_task);
  g_test_add_func ("/ml/train/linear", test_linear);
  g_test_add_func ("/ml/train/refuses", test_refuses);
  return g_test_run ();
}
