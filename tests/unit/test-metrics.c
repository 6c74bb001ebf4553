/* Unit tests: CCC, PCC, RMSE against known answers and an independent
 * long-double implementation of the AVEC 2019 formula. */
#include <glib.h>
#include <math.h>
#include "ml/emo-metrics.h"

static double
ref_ccc (const float *x, const float *y, size_t n)
{
  long double mx = 0, my = 0, c = 0, vx = 0, vy = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  for (i = 0; i < n; i++) {
    c += (x[i] - mx) * (y[i] - my);
    vx += (x[i] - mx) * (x[i] - mx);
    vy += (y[i] - my) * (y[i] - my);
  }
  c /= n;
  vx /= (n - 1);
  vy /= (n - 1);
  return (double) (2 * c / (vx + vy + (mx - my) * (mx - my)));
}

static void
test_identity (void)
{
  float x[100];
  int i;
  for (i = 0; i < 100; i++)
    x[i] = sinf (i * 0.1f);
  /* variances use N-1 but covariance N, so identical series give (N-1)/N */
  g_assert_cmpfloat_with_epsilon (emo_ccc (x, x, 100), 99.0 / 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (emo_pcc (x, x, 100), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (emo_rmse (x, x, 100), 0.0, 1e-12);
}

static void
test_known_shift (void)
{
  float x[1000], y[1000];
  int i;
  GRand *r = g_rand_new_with_seed (1);
  for (i = 0; i < 1000; i++) {
    x[i] = g_rand_double_range (r, -1, 1);
    y[i] = x[i] + 0.5f;
  }
  /* RMSE of a constant offset is the offset */
  g_assert_cmpfloat_with_epsilon (emo_rmse (x, y, 1000), 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (emo_pcc (x, y, 1000), 1.0, 1e-6);
  g_assert_cmpfloat (emo_ccc (x, y, 1000), <, 0.8);
  g_assert_cmpfloat_with_epsilon (emo_ccc (x, y, 1000), ref_ccc (x, y, 1000),
      1e-9);
  for (i = 0; i < 1000; i++)
    y[i] = -x[i];
  g_assert_cmpfloat_with_epsilon (emo_pcc (x, y, 1000), -1.0, 1e-6);
  g_assert_cmpfloat (emo_ccc (x, y, 1000), <, -0.99);
  g_rand_free (r);
}

static void
test_random_vs_reference (void)
{
  GRand *r = g_rand_new_with_seed (7);
  int trial;
  for (trial = 0; trial < 50; trial++) {
    size_t n = 2 + g_rand_int_range (r, 0, 5000), i;
    float *x = g_new (float, n), *y = g_new (float, n);
    EmoScoreAcc acc;
    for (i = 0; i < n; i++) {
      x[i] = g_rand_double_range (r, -1, 1);
      y[i] = 0.3f * x[i] + g_rand_double_range (r, -0.5, 0.8);
    }
    g_assert_cmpfloat_with_epsilon (emo_ccc (x, y, n), ref_ccc (x, y, n), 1e-9);
    emo_score_acc_init (&acc);
    emo_score_acc_add (&acc, x, y, n / 2);
    emo_score_acc_add (&acc, x + n / 2, y + n / 2, n - n / 2);
    g_assert_cmpfloat_with_epsilon (emo_score_acc_ccc (&acc), ref_ccc (x, y, n),
        1e-7);
    g_assert_cmpfloat_with_epsilon (emo_score_acc_pcc (&acc), emo_pcc (x, y, n),
        1e-7);
    g_assert_cmpfloat_with_epsilon (emo_score_acc_rmse (&acc), emo_rmse (x, y,
            n), 1e-7);
    g_free (x);
    g_free (y);
  }
  g_rand_free (r);
}

static void
test_degenerate (void)
{
  float c[10] = { 0 }, x[1] = { 1 };
  g_assert_true (isnan (emo_ccc (x, x, 1)));
  /* both constant and equal: 0/0, undefined; NaN, never a made-up number
   * (emo eval prints n/a and leaves it out of the mean) */
  g_assert_true (isnan (emo_ccc (c, c, 10)));
  g_assert_true (isnan (emo_pcc (c, c, 10)));
  g_assert_true (isnan (emo_rmse (c, c, 0)));
}

static void
test_align (void)
{
  float p[] = { 1, 10, 2, 20, 3, 30 };  /* 3 rows x 2 cols */
  float out[5];
  emo_align_prediction (p, 3, 2, 1, out, 5);
  g_assert_cmpfloat (out[0], ==, 10);
  g_assert_cmpfloat (out[2], ==, 30);
  g_assert_cmpfloat (out[3], ==, 30);   /* padded with the last value */
  g_assert_cmpfloat (out[4], ==, 30);
  emo_align_prediction (p, 3, 2, 0, out, 2);    /* cropped */
  g_assert_cmpfloat (out[1], ==, 2);
  emo_align_prediction (p, 0, 2, 0, out, 2);    /* empty -> zeros */
  g_assert_cmpfloat (out[0], ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/identity", test_identity);
  g_test_add_func ("/metrics/known-shift", test_known_shift);
  g_test_add_func ("/metrics/random-vs-reference", test_random_vs_reference);
  g_test_add_func ("/metrics/degenerate", test_degenerate);
  g_test_add_func ("/metrics/align", test_align);
  return g_test_run ();
}
