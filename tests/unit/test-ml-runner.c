/* Unit tests of the model runner (normalise -> forward -> guard): it gives
 * exactly what normalising and running the network by hand gives, frame at
 * a time as a whole sequence at once, keeps missing frames missing, and
 * guards a non-finite output from finite input. */
#include <glib.h>
#include <math.h>
#include <string.h>
#include "config.h"
#include "ml/emo-runner.h"
#include "ml/emo-trainer.h"

#define N_IN 5
#define T_LEN 40

static EmoModel *
make_model (EmoNetKind kind, EmoNormMode norm)
{
  guint hidden[] = { 8, 6 };
  const gchar *names[] = { "arousal", "valence", NULL };
  EmoRng rng;
  EmoNet *net;
  EmoModel *m;
  guint i;

  net = emo_net_new (kind, N_IN, kind == EMO_NET_LINEAR ? 0 : 2, hidden, 2,
      NULL);
  emo_rng_init (&rng, 5);
  emo_net_init_weights (net, &rng);
  m = emo_model_new ("test-v1", net, names);
  m->frame_rate = 10.0f;
  for (i = 0; i < N_IN; i++) {
    m->mean[i] = 0.5f * i;
    m->std[i] = 1.0f + 0.25f * i;
  }
  m->norm = norm;
  m->norm_warmup = 1.0f;
  return m;
}

static void
fill (float *x, guint T, guint seed)
{
  EmoRng rng;
  guint i;
  emo_rng_init (&rng, seed);
  for (i = 0; i < T * N_IN; i++)
    x[i] = (float) (2.0 * emo_rng_normal (&rng) + 0.3 * (i % N_IN));
}

/* the path emo predict and emomtl had before the runner */
static void
by_hand (const EmoModel * m, const float *x, guint T, float *y)
{
  float *xn = g_new (float, T * N_IN);
  EmoNetWork *w = emo_net_work_new (m->net, T);
  EmoNetState *st = emo_net_state_new (m->net);

  emo_model_normalise_stream (m, m->norm, -1.0, -1.0, x, xn, T);
  emo_net_predict (m->net, w, st, xn, T, y);
  emo_net_state_free (st);
  emo_net_work_free (w);
  g_free (xn);
}

static void
test_same_as_by_hand (void)
{
  EmoNormMode modes[] = { EMO_NORM_FIXED, EMO_NORM_STREAM };
  guint k, t, i;

  for (k = 0; k < 2; k++) {
    EmoModel *m = make_model (EMO_NET_LSTM, modes[k]);
    float x[T_LEN * N_IN], ref[T_LEN * 2], all[T_LEN * 2], one[T_LEN * 2];
    EmoModelRunner *r = emo_model_runner_new (m, m->norm, -1, -1, T_LEN);
    EmoModelRunner *r1 = emo_model_runner_new (m, m->norm, -1, -1, 1);

    fill (x, T_LEN, 11 + k);
    by_hand (m, x, T_LEN, ref);
    g_assert_cmpuint (emo_model_runner_process (r, x, T_LEN, all), ==, 0);
    /* whole sequence: bit for bit the same */
    g_assert_cmpmem (ref, sizeof ref, all, sizeof all);
    /* frame at a time (emomtl): the same up to BLAS rounding */
    for (t = 0; t < T_LEN; t++)
      emo_model_runner_process (r1, x + t * N_IN, 1, one + t * 2);
    for (i = 0; i < T_LEN * 2; i++)
      g_assert_cmpfloat_with_epsilon (one[i], ref[i], 1e-5);
    /* a second file after a state reset, statistics reset (as predict
     * does per file) repeats the first */
    emo_model_runner_reset_state (r);
    if (r->norm)
      emo_stream_norm_reset (r->norm);
    emo_model_runner_process (r, x, T_LEN, all);
    g_assert_cmpmem (ref, sizeof ref, all, sizeof all);
    emo_model_runner_free (r);
    emo_model_runner_free (r1);
    emo_model_free (m);
  }
}

/* A frame with no finite input carries NaN and changes nothing: the other
 * frames predict as if it were not there. Partly missing frames predict. */
static void
test_missing_frames (void)
{
  EmoModel *m = make_model (EMO_NET_LSTM, EMO_NORM_STREAM);
  float x[T_LEN * N_IN], xg[(T_LEN + 2) * N_IN];
  float ref[T_LEN * 2], y[(T_LEN + 2) * 2];
  EmoModelRunner *r = emo_model_runner_new (m, m->norm, -1, -1, 7);
  guint i;

  fill (x, T_LEN, 3);
  by_hand (m, x, T_LEN, ref);
  /* frames 0..9, a missing frame, 10..29, a missing frame, 30..39 */
  memcpy (xg, x, 10 * N_IN * sizeof (float));
  for (i = 0; i < N_IN; i++)
    xg[10 * N_IN + i] = NAN;
  memcpy (xg + 11 * N_IN, x + 10 * N_IN, 20 * N_IN * sizeof (float));
  for (i = 0; i < N_IN; i++)
    xg[31 * N_IN + i] = i % 2 ? INFINITY : NAN;
  memcpy (xg + 32 * N_IN, x + 30 * N_IN, 10 * N_IN * sizeof (float));
  g_assert_cmpuint (emo_model_runner_process (r, xg, T_LEN + 2, y), ==, 0);
  g_assert_cmpuint (r->missing, ==, 2);
  g_assert_true (isnan (y[10 * 2]) && isnan (y[10 * 2 + 1]));
  g_assert_true (isnan (y[31 * 2]) && isnan (y[31 * 2 + 1]));
  for (i = 0; i < 10 * 2; i++)
    g_assert_cmpfloat_with_epsilon (y[i], ref[i], 1e-5);
  for (i = 0; i < 20 * 2; i++)
    g_assert_cmpfloat_with_epsilon (y[11 * 2 + i], ref[10 * 2 + i], 1e-5);
  for (i = 0; i < 10 * 2; i++)
    g_assert_cmpfloat_with_epsilon (y[32 * 2 + i], ref[30 * 2 + i], 1e-5);
  emo_model_runner_free (r);

  /* one value missing: the mean stands in, the frame predicts */
  r = emo_model_runner_new (m, EMO_NORM_FIXED, -1, -1, 4);
  x[2] = NAN;
  emo_model_runner_process (r, x, 3, y);
  g_assert_true (isfinite (y[0]) && isfinite (y[1]));
  g_assert_cmpuint (r->bad_values, ==, 1);
  emo_model_runner_free (r);
  emo_model_free (m);
}

/* A linear model whose weights overflow on a large (finite) input: that
 * frame carries the previous good prediction, the others are untouched. */
static void
test_guard (void)
{
  EmoModel *m = make_model (EMO_NET_LINEAR, EMO_NORM_FIXED);
  EmoNetLayer *L = &m->net->layers[0];
  float x[4 * N_IN] = { 0, }, y[4 * 2], y1[4 * 2];
  EmoModelRunner *r;
  guint i, t;

  for (i = 0; i < N_IN; i++)
    m->mean[i] = 0.0f, m->std[i] = 1.0f;
  m->net->params[L->W] = 1e37f; /* output 0 <- input 0 */
  m->net->params[L->b] = 0.25f;
  m->net->params[L->b + 1] = -0.5f;
  x[0 * N_IN] = 1e-37f;         /* frame 0: finite, small */
  x[1 * N_IN] = 1000.0f;        /* frame 1: 1e40 overflows */
  x[2 * N_IN] = -2e-37f;        /* frame 2: fine again */
  x[3 * N_IN] = -1e6f;          /* frame 3: -inf */
  r = emo_model_runner_new (m, EMO_NORM_FIXED, -1, -1, 4);
  /* before any frame: the prediction of the average (zero) frame */
  g_assert_cmpfloat_with_epsilon (emo_model_runner_last (r)[0], 0.25f, 1e-6);
  g_assert_cmpuint (emo_model_runner_process (r, x, 4, y), ==, 2);
  for (i = 0; i < 8; i++)
    g_assert_true (isfinite (y[i]));
  g_assert_cmpmem (y + 2, 2 * sizeof (float), y, 2 * sizeof (float));
  g_assert_cmpmem (y + 6, 2 * sizeof (float), y + 4, 2 * sizeof (float));
  g_assert_cmpuint (r->guarded, ==, 2);
  emo_model_runner_free (r);
  /* frame at a time: the same */
  r = emo_model_runner_new (m, EMO_NORM_FIXED, -1, -1, 1);
  for (t = 0; t < 4; t++)
    emo_model_runner_process (r, x + t * N_IN, 1, y1 + t * 2);
  g_assert_cmpmem (y, sizeof y, y1, sizeof y1);
  emo_model_runner_free (r);
  emo_model_free (m);
}

static void
test_clip_summary (void)
{
  float y[4 * 3] = { 1, NAN, 5, 2, NAN, 5, 3, NAN, 5, NAN, NAN, INFINITY };
  float out[3];

  emo_clip_summary (y, 4, 3, 0, out);
  g_assert_cmpfloat (out[0], ==, 2.0f);
  g_assert_true (isnan (out[1]));
  g_assert_cmpfloat (out[2], ==, 5.0f);
  emo_clip_summary (y, 4, 3, 1, out);
  g_assert_cmpfloat (out[0], ==, 2.5f);
  emo_clip_summary (y, 0, 3, 0, out);
  g_assert_true (isnan (out[0]));
  /* the later half, at most 2 s skipped */
  g_assert_cmpuint (emo_clip_first_frame (30, 10.0, 2.0), ==, 15);
  g_assert_cmpuint (emo_clip_first_frame (31, 10.0, 2.0), ==, 15);
  g_assert_cmpuint (emo_clip_first_frame (100, 10.0, 2.0), ==, 20);
  g_assert_cmpuint (emo_clip_first_frame (1, 10.0, 2.0), ==, 0);
  g_assert_cmpuint (emo_clip_first_frame (0, 10.0, 2.0), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  emo_blas_set_threads (1);
  g_test_add_func ("/ml/runner/same-as-by-hand", test_same_as_by_hand);
  g_test_add_func ("/ml/runner/missing-frames", test_missing_frames);
  g_test_add_func ("/ml/runner/guard", test_guard);
  g_test_add_func ("/ml/runner/clip-summary", test_clip_summary);
  return g_test_run ();
}
