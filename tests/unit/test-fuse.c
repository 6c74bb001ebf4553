/* Unit tests of the fusion kernels: model file round trip and validation,
 * streaming runner against the batch reference, the CCC-weighted fuser's
 * gradient (finite differences) and solver, and liblinear SVR stacking. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "ml/fuse-model.h"
#include "ml/fuse-train.h"
#include "ml/emo-metrics.h"

static const gchar *attrs3[] = { "arousal", "valence", "liking", NULL };
static const gchar *inputs2[] = { "audio", "video", NULL };

static EmoFuseModel *
random_model (guint n_stages, GRand * r)
{
  EmoFuseModel *m = emo_fuse_model_new ("svr", 3, attrs3, 2, inputs2);
  guint s, i;
  for (s = 0; s < n_stages; s++) {
    gint offs[] = { -3, -1, 0, 2, 5 };
    EmoFuseStage *st = emo_fuse_model_add_stage (m, offs, G_N_ELEMENTS (offs));
    for (i = 0; i < 3 * st->n_offsets * st->in_dim; i++)
      st->weights[i] = g_rand_double_range (r, -0.2, 0.2);
    for (i = 0; i < 3; i++)
      st->bias[i] = g_rand_double_range (r, -1, 1);
  }
  emo_fuse_model_add_record (m, "test model\nwith newline");
  return m;
}

static void
test_roundtrip (void)
{
  GRand *r = g_rand_new_with_seed (3);
  EmoFuseModel *m = random_model (3, r), *m2;
  GError *e = NULL;
  gchar *s = emo_fuse_model_to_string (m), *s2;
  guint st, i;

  m2 = emo_fuse_model_parse (s, strlen (s), "mem", &e);
  g_assert_no_error (e);
  g_assert_nonnull (m2);
  g_assert_cmpuint (m2->n_stages, ==, 3);
  g_assert_cmpstr (m2->inputs[1], ==, "video");
  for (st = 0; st < 3; st++) {
    g_assert_cmpuint (m2->stages[st].in_dim, ==, 6 + 3 * st);
    for (i = 0; i < 3 * m->stages[st].n_offsets * m->stages[st].in_dim; i++)
      g_assert_true (m->stages[st].weights[i] == m2->stages[st].weights[i]);
    for (i = 0; i < 3; i++)
      g_assert_true (m->stages[st].bias[i] == m2->stages[st].bias[i]);
  }
  g_assert_cmpuint (m2->record->len, ==, 1);
  s2 = emo_fuse_model_to_string (m2);
  g_assert_cmpstr (s, ==, s2);
  /* latency: sum of the stages' future reach */
  g_assert_cmpuint (emo_fuse_model_latency (m2, FALSE), ==, 15);
  g_assert_cmpuint (emo_fuse_model_latency (m2, TRUE), ==, 0);
  g_free (s);
  g_free (s2);
  emo_fuse_model_free (m);
  emo_fuse_model_free (m2);
  g_rand_free (r);
}

static void
expect_parse_error (const gchar * text, gint code)
{
  GError *e = NULL;
  EmoFuseModel *m = emo_fuse_model_parse (text, strlen (text), "bad.emo", &e);
  g_assert_null (m);
  g_assert_error (e, EMO_FUSE_ERROR, code);
  g_assert_true (g_str_has_prefix (e->message, "bad.emo"));
  g_error_free (e);
}

static void
test_parse_errors (void)
{
  GRand *r = g_rand_new_with_seed (4);
  EmoFuseModel *m = random_model (1, r);
  gchar *good = emo_fuse_model_to_string (m), *bad;
  gsize len = strlen (good);
  guint cut;

  expect_parse_error ("", EMO_FUSE_ERROR_FORMAT);
  expect_parse_error ("hello world\n", EMO_FUSE_ERROR_FORMAT);
  expect_parse_error ("emo-fuser 99\nmethod svr\n", EMO_FUSE_ERROR_VERSION);
  expect_parse_error
      ("emo-fuser 1\nmethod svr\nattributes 2 a a\ninputs 1 x\nstages 1\n"
      "stage 1 2 1 0\nattr a 0 2 1 1\nattr a 0 2 1 1\nend\n",
      EMO_FUSE_ERROR_FORMAT);
  /* wrong weight count, NaN, huge offset, wrong in_dim */
  expect_parse_error
      ("emo-fuser 1\nmethod svr\nattributes 1 a\ninputs 1 x\nstages 1\n"
      "stage 1 1 1 0\nattr a 0 2 1 1\nend\n", EMO_FUSE_ERROR_FORMAT);
  expect_parse_error
      ("emo-fuser 1\nmethod svr\nattributes 1 a\ninputs 1 x\nstages 1\n"
      "stage 1 1 1 0\nattr a nan 1 1\nend\n", EMO_FUSE_ERROR_FORMAT);
  expect_parse_error
      ("emo-fuser 1\nmethod svr\nattributes 1 a\ninputs 1 x\nstages 1\n"
      "stage 1 1 1 5000\nattr a 0 1 1\nend\n", EMO_FUSE_ERROR_FORMAT);
  expect_parse_error
      ("emo-fuser 1\nmethod svr\nattributes 1 a\ninputs 1 x\nstages 1\n"
      "stage 1 2 1 0\nattr a 0 2 1 1\nend\n", EMO_FUSE_ERROR_FORMAT);
  /* trailing data after end */
  bad = g_strconcat (good, "junk\n", NULL);
  expect_parse_error (bad, EMO_FUSE_ERROR_FORMAT);
  g_free (bad);
  /* every truncation of a valid file fails cleanly */
  for (cut = 0; cut + 5 < len; cut += 7) {
    GError *e = NULL;
    EmoFuseModel *t = emo_fuse_model_parse (good, cut, "cut", &e);
    g_assert_null (t);
    g_assert_nonnull (e);
    g_error_free (e);
  }
  /* the minimal valid file */
  {
    const gchar *ok =
        "emo-fuser 1\nmethod mean\nattributes 1 a\ninputs 2 x y\nstages 1\n"
        "stage 1 2 1 0\nattr a 0 2 0.5 0.5\nend\n";
    GError *e = NULL;
    EmoFuseModel *t = emo_fuse_model_parse (ok, strlen (ok), "ok", &e);
    gfloat in[2] = { 1.0f, 3.0f }, out;
    g_assert_no_error (e);
    emo_fuse_model_apply (t, FALSE, in, 1, &out);
    g_assert_cmpfloat_with_epsilon (out, 2.0f, 1e-6);
    emo_fuse_model_free (t);
  }
  g_free (good);
  emo_fuse_model_free (m);
  g_rand_free (r);
}

/* Batch reference: stage by stage over the whole sequence. */
static void
batch_apply (const EmoFuseModel * m, gboolean causal, const gfloat * x, guint T,
    gfloat * out)
{
  guint s, t, dim = m->n_inputs * m->n_attrs, A = m->n_attrs;
  gfloat *cur = g_memdup2 (x, (gsize) T * dim * sizeof (gfloat));
  gfloat *y = g_new (gfloat, (gsize) T * A);

  for (s = 0; s < m->n_stages; s++) {
    emo_fuse_stage_apply (&m->stages[s], A, cur, T, causal, y);
    if (s + 1 < m->n_stages) {
      gfloat *nx = g_new (gfloat, (gsize) T * (dim + A));
      for (t = 0; t < T; t++) {
        memcpy (nx + (gsize) t * (dim + A), cur + (gsize) t * dim,
            dim * sizeof (gfloat));
        memcpy (nx + (gsize) t * (dim + A) + dim, y + (gsize) t * A,
            A * sizeof (gfloat));
      }
      g_free (cur);
      cur = nx;
      dim += A;
    }
  }
  memcpy (out, y, (gsize) T * A * sizeof (gfloat));
  g_free (cur);
  g_free (y);
}

static void
test_runner_matches_batch (void)
{
  GRand *r = g_rand_new_with_seed (5);
  guint lens[] = { 1, 2, 4, 9, 40, 300 }, li, causal;

  for (li = 0; li < G_N_ELEMENTS (lens); li++) {
    for (causal = 0; causal < 2; causal++) {
      EmoFuseModel *m = random_model (3, r);
      guint T = lens[li], i, t, got = 0;
      gfloat *x = g_new (gfloat, T * 6), *ref = g_new (gfloat, T * 3), *run =
          g_new (gfloat, T * 3);
      EmoFuseRunner *rn = emo_fuse_runner_new (m, causal);
      for (i = 0; i < T * 6; i++)
        x[i] = g_rand_double_range (r, -1, 1);
      batch_apply (m, causal, x, T, ref);
      for (t = 0; t < T; t++) {
        emo_fuse_runner_push (rn, x + t * 6);
        while (emo_fuse_runner_pop (rn, run + got * 3))
          got++;
        /* the runner holds back exactly the model's look-ahead */
        g_assert_cmpuint (got, ==, t + 1 > emo_fuse_model_latency (m, causal) ?
            t + 1 - emo_fuse_model_latency (m, causal) : 0);
      }
      emo_fuse_runner_finish (rn);
      while (got < T && emo_fuse_runner_pop (rn, run + got * 3))
        got++;
      g_assert_cmpuint (got, ==, T);
      g_assert_false (emo_fuse_runner_pop (rn, run));
      for (i = 0; i < T * 3; i++)
        g_assert_cmpfloat_with_epsilon (run[i], ref[i], 1e-5);
      /* reset gives the same answer again */
      emo_fuse_runner_reset (rn);
      emo_fuse_runner_free (rn);
      g_free (x);
      g_free (ref);
      g_free (run);
      emo_fuse_model_free (m);
    }
  }
  g_rand_free (r);
}

static void
test_context_offsets (void)
{
  gint o[64];
  guint n = emo_fuse_context_offsets (EMO_FUSE_CONTEXT_ORGANISERS, 3, o);
  gint want[] = { 0, 0, -1, -2, 0, 1, 2 };
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpmem (o, sizeof want, want, sizeof want);
  n = emo_fuse_context_offsets (EMO_FUSE_CONTEXT_SYMMETRIC, 2, o);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (o[0], ==, -2);
  g_assert_cmpint (o[4], ==, 2);
  n = emo_fuse_context_offsets (EMO_FUSE_CONTEXT_CAUSAL, 2, o);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (o[0], ==, -4);
  g_assert_cmpint (o[4], ==, 0);
}

static void
test_simplex (void)
{
  gdouble w[4] = { 0.9, -0.3, 0.6, 0.2 }, s = 0;
  guint i;
  emo_fuse_simplex_project (4, w);
  for (i = 0; i < 4; i++) {
    g_assert_cmpfloat (w[i], >=, 0);
    s += w[i];
  }
  g_assert_cmpfloat_with_epsilon (s, 1.0, 1e-12);
  /* (0.9, 0.6) shifted by 0.25 */
  g_assert_cmpfloat_with_epsilon (w[0], 0.65, 1e-12);
  g_assert_cmpfloat_with_epsilon (w[2], 0.35, 1e-12);
  g_assert_cmpfloat (w[1], ==, 0);
}

static void
test_cccw_gradient (void)
{
  GRand *r = g_rand_new_with_seed (6);
  guint n = 5, i, j, k;
  gdouble A[25], S[25], c[5], w[5], g[5], lambda = 0.3, vy = 1.7, h = 1e-6;

  for (i = 0; i < 25; i++)
    A[i] = g_rand_double_range (r, -1, 1);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      S[i * n + j] = i == j ? 0.5 : 0;
      for (k = 0; k < n; k++)
        S[i * n + j] += A[i * n + k] * A[j * n + k];
    }
  for (i = 0; i < n; i++) {
    c[i] = g_rand_double_range (r, -0.5, 1);
    w[i] = g_rand_double_range (r, 0.05, 1);
  }
  emo_fuse_cccw_objective (n, S, c, vy, lambda, w, g);
  for (i = 0; i < n; i++) {
    gdouble wp[5], wm[5], fd;
    memcpy (wp, w, sizeof wp);
    memcpy (wm, w, sizeof wm);
    wp[i] += h;
    wm[i] -= h;
    fd = (emo_fuse_cccw_objective (n, S, c, vy, lambda, wp, NULL) -
        emo_fuse_cccw_objective (n, S, c, vy, lambda, wm, NULL)) / (2 * h);
    g_assert_cmpfloat_with_epsilon (g[i], fd, 1e-6 * MAX (1.0, fabs (fd)));
  }
  g_rand_free (r);
}

/* Synthetic fusion data: input 0 is the gold plus small noise, input 1 is
 * the gold plus large noise, input 2 is pure noise. */
static EmoFuseData *
synth_data (guint n_seq, guint T, guint seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  EmoFuseData *d = emo_fuse_data_new (3, 1);
  guint i, t;
  for (i = 0; i < n_seq; i++) {
    gfloat *x = g_new (gfloat, T * 3), *gold = g_new (gfloat, T);
    gdouble v = 0;
    gchar *name = g_strdup_printf ("seq%u", i);
    for (t = 0; t < T; t++) {
      v = 0.95 * v + g_rand_double_range (r, -0.1, 0.1);
      gold[t] = v;
      x[t * 3 + 0] = 0.6 * v + g_rand_double_range (r, -0.05, 0.05);
      x[t * 3 + 1] = 0.6 * v + g_rand_double_range (r, -0.4, 0.4);
      x[t * 3 + 2] = g_rand_double_range (r, -0.3, 0.3);
    }
    emo_fuse_data_add (d, name, T, x, gold);
    g_free (name);
  }
  g_rand_free (r);
  return d;
}

static void
test_cccw_train (void)
{
  EmoFuseData *tr = synth_data (8, 300, 7), *ev = synth_data (4, 300, 8);
  const gchar *a1[] = { "arousal", NULL }, *in3[] =
      { "good", "noisy", "noise", NULL };
  EmoFuseTrainOptions o;
  EmoFuseModel *m, *mean;
  GError *e = NULL;
  gdouble tc[1], ec[1], mtc[1], mec[1];
  const EmoFuseStage *st;
  gdouble w0 = 0, w2 = 0;
  guint i;

  emo_fuse_train_options_init (&o);
  o.method = "cccw";
  /* default (one-standard-error rule) also beats the mean held out */
  m = emo_fuse_train (tr, ev, a1, in3, &o, tc, ec, &e);
  g_assert_no_error (e);
  o.method = "mean";
  mean = emo_fuse_train (tr, ev, a1, in3, &o, mtc, mec, &e);
  g_assert_no_error (e);
  g_assert_cmpfloat (ec[0], >, mec[0] + 0.02);
  emo_fuse_model_free (m);
  emo_fuse_model_free (mean);
  /* the best leave-one-out setting */
  o.method = "cccw";
  o.one_se = FALSE;
  m = emo_fuse_train (tr, ev, a1, in3, &o, tc, ec, &e);
  g_assert_no_error (e);
  g_assert_nonnull (m);
  g_assert_true (emo_fuse_model_validate (m, NULL));
  o.method = "mean";
  mean = emo_fuse_train (tr, ev, a1, in3, &o, mtc, mec, &e);
  g_assert_no_error (e);
  /* the weighted fuser puts its weight on the clean input and beats the
   * mean on held-out sequences */
  st = &m->stages[0];
  for (i = 0; i < st->n_offsets; i++) {
    w0 += st->weights[i * st->in_dim + 0];
    w2 += st->weights[i * st->in_dim + 2];
  }
  g_assert_cmpfloat (w0, >, 0.5);
  g_assert_cmpfloat (fabs (w2), <, 0.1);
  g_assert_cmpfloat (ec[0], >, mec[0] + 0.05);
  g_assert_cmpfloat (ec[0], >, 0.8);
  emo_fuse_model_free (m);
  emo_fuse_model_free (mean);
  emo_fuse_data_free (tr);
  emo_fuse_data_free (ev);
}

static void
test_svr_recovers_linear_map (void)
{
  /* gold(t) = 0.5 x0(t-1) + 0.3 x1(t+1) + 0.1 exactly: an epsilon-free L1
   * SVR with little regularisation recovers it */
  GRand *r = g_rand_new_with_seed (9);
  EmoFuseData *d = emo_fuse_data_new (2, 1);
  guint i, t, T = 400;
  gint offs[3];
  guint n_off = emo_fuse_context_offsets (EMO_FUSE_CONTEXT_SYMMETRIC, 1, offs);
  gdouble w[6], bias;
  GError *e = NULL;
  EmoFuseSvrProblem *p;
  gfloat **xs;

  for (i = 0; i < 3; i++) {
    gfloat *x = g_new (gfloat, T * 2), *gold = g_new (gfloat, T);
    for (t = 0; t < T * 2; t++)
      x[t] = g_rand_double_range (r, -1, 1);
    for (t = 0; t < T; t++) {
      guint tm = t > 0 ? t - 1 : 0, tp = t + 1 < T ? t + 1 : T - 1;
      gold[t] = 0.5 * x[tm * 2] + 0.3 * x[tp * 2 + 1] + 0.1;
    }
    emo_fuse_data_add (d, "s", T, x, gold);
  }
  xs = g_new (gfloat *, 3);
  for (i = 0; i < 3; i++)
    xs[i] = ((EmoFuseSeq *) g_ptr_array_index (d->seqs, i))->x;
  p = emo_fuse_svr_problem_new (d, xs, 2, offs, n_off, FALSE);
  g_assert_true (emo_fuse_svr_problem_fit (p, 0, 10.0, w, &bias, &e));
  g_assert_no_error (e);
  /* layout: offset-major; offsets -1, 0, 1 */
  g_assert_cmpfloat_with_epsilon (w[0], 0.5, 0.02);
  g_assert_cmpfloat_with_epsilon (w[5], 0.3, 0.02);
  g_assert_cmpfloat_with_epsilon (w[1], 0.0, 0.02);
  g_assert_cmpfloat_with_epsilon (w[2], 0.0, 0.02);
  g_assert_cmpfloat_with_epsilon (bias, 0.1, 0.02);
  emo_fuse_svr_problem_free (p);
  g_free (xs);
  emo_fuse_data_free (d);
  g_rand_free (r);
}

static void
test_svr_multistage (void)
{
  EmoFuseData *tr = synth_data (6, 200, 10), *ev = synth_data (3, 200, 11);
  const gchar *a1[] = { "arousal", NULL }, *in3[] =
      { "good", "noisy", "noise", NULL };
  EmoFuseTrainOptions o;
  EmoFuseModel *m, *m2;
  GError *e = NULL;
  gdouble tc[3], ec[3];
  guint ks[] = { 2, 4 };
  gdouble cs[] = { 0.01, 0.1 };
  gchar *s;
  EmoFuseSeq *s0 = g_ptr_array_index (ev->seqs, 0);
  gfloat *out;

  emo_fuse_train_options_init (&o);
  o.n_stages = 3;
  o.contexts = ks;
  o.n_contexts = 2;
  o.cs = cs;
  o.n_cs = 2;
  m = emo_fuse_train (tr, ev, a1, in3, &o, tc, ec, &e);
  g_assert_no_error (e);
  g_assert_cmpuint (m->n_stages, ==, 3);
  g_assert_cmpuint (m->stages[2].in_dim, ==, 3 + 2);
  g_assert_cmpfloat (tc[0], >, 0.8);
  g_assert_cmpfloat (ec[0], >, 0.8);
  /* the file round trip keeps the function: the saved model's output on a
   * held-out sequence equals the last stage's reported CCC input */
  s = emo_fuse_model_to_string (m);
  m2 = emo_fuse_model_parse (s, strlen (s), "mem", &e);
  g_assert_no_error (e);
  out = g_new (gfloat, s0->T);
  emo_fuse_model_apply (m2, FALSE, s0->x, s0->T, out);
  g_assert_cmpfloat (emo_ccc (out, s0->gold, s0->T), >, 0.8);
  g_free (out);
  g_free (s);
  emo_fuse_model_free (m);
  emo_fuse_model_free (m2);
  /* bad options and data are errors, not crashes */
  o.n_stages = 0;
  g_assert_null (emo_fuse_train (tr, NULL, a1, in3, &o, NULL, NULL, &e));
  g_assert_error (e, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA);
  g_clear_error (&e);
  o.n_stages = 1;
  o.method = "bogus";
  g_assert_null (emo_fuse_train (tr, NULL, a1, in3, &o, NULL, NULL, &e));
  g_clear_error (&e);
  emo_fuse_data_free (tr);
  emo_fuse_data_free (ev);
  tr = emo_fuse_data_new (3, 1);
  o.method = "svr";
  g_assert_null (emo_fuse_train (tr, NULL, a1, in3, &o, NULL, NULL, &e));
  g_assert_error (e, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA);
  g_clear_error (&e);
  emo_fuse_data_free (tr);
}

static void
test_loso (void)
{
  EmoFuseData *d = synth_data (5, 150, 12);
  const gchar *a1[] = { "arousal", NULL }, *in3[] =
      { "good", "noisy", "noise", NULL };
  EmoFuseTrainOptions o;
  GError *e = NULL;
  gdouble tc[2], lc[2], mlc[1];
  EmoFuseModel *m;

  emo_fuse_train_options_init (&o);
  o.method = "mean";
  /* nothing is fitted: leave-one-out equals the plain score */
  m = emo_fuse_train (d, NULL, a1, in3, &o, tc, NULL, &e);
  g_assert_no_error (e);
  emo_fuse_model_free (m);
  g_assert_true (emo_fuse_loso (d, a1, in3, &o, mlc, &e));
  g_assert_no_error (e);
  g_assert_cmpfloat_with_epsilon (mlc[0], tc[0], 1e-9);
  /* a fitted fuser scores lower held out than on its training data, but
   * still above the mean on this data */
  o.method = "svr";
  o.n_stages = 2;
  m = emo_fuse_train (d, NULL, a1, in3, &o, tc, NULL, &e);
  g_assert_no_error (e);
  emo_fuse_model_free (m);
  g_assert_true (emo_fuse_loso (d, a1, in3, &o, lc, &e));
  g_assert_cmpfloat (lc[0], <, tc[0]);
  g_assert_cmpfloat (lc[1], <, tc[1]);
  g_assert_cmpfloat (lc[0], >, mlc[0]);
  emo_fuse_data_free (d);
  /* too few sequences */
  d = synth_data (2, 50, 13);
  g_assert_false (emo_fuse_loso (d, a1, in3, &o, lc, &e));
  g_assert_error (e, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA);
  g_clear_error (&e);
  emo_fuse_data_free (d);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuse/model/roundtrip", test_roundtrip);
  g_test_add_func ("/fuse/model/parse-errors", test_parse_errors);
  g_test_add_func ("/fuse/runner/matches-batch", test_runner_matches_batch);
  g_test_add_func ("/fuse/context/offsets", test_context_offsets);
  g_test_add_func ("/fuse/cccw/simplex", test_simplex);
  g_test_add_func ("/fuse/cccw/gradient", test_cccw_gradient);
  g_test_add_func ("/fuse/cccw/train", test_cccw_train);
  g_test_add_func ("/fuse/svr/linear-map", test_svr_recovers_linear_map);
  g_test_add_func ("/fuse/svr/multistage", test_svr_multistage);
  g_test_add_func ("/fuse/loso", test_loso);
  return g_test_run ();
}
