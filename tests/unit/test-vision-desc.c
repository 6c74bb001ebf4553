/* gst-emo: known-answer tests of the face descriptors and their pooling
 * (kernels/vision/emo-visdesc.c). */
#include <math.h>
#include <string.h>
#include "vision/emo-visdesc.h"

#define P EMO_VIS_PATCH

static void
test_lbp_constant (void)
{
  guint8 img[P * P];
  gfloat h[EMO_VIS_GRID * EMO_VIS_GRID * EMO_VIS_LBP_BINS];
  gint c, b;

  /* every neighbour equals the centre: code 255, uniform with 8 ones */
  memset (img, 77, sizeof (img));
  emo_lbp_riu2_histograms (img, P, P, P, EMO_VIS_GRID, h);
  for (c = 0; c < EMO_VIS_GRID * EMO_VIS_GRID; c++)
    for (b = 0; b < EMO_VIS_LBP_BINS; b++)
      g_assert_cmpfloat (h[c * EMO_VIS_LBP_BINS + b], ==, b == 8 ? 1.0f : 0.0f);
}

static void
test_lbp_stripes (void)
{
  guint8 img[P * P];
  gfloat h[EMO_VIS_GRID * EMO_VIS_GRID * EMO_VIS_LBP_BINS];
  gint x, y, c;

  /* vertical 1-pixel stripes: dark centres see only brighter-or-equal
   * neighbours (bin 8); bright centres have two equal neighbours above and
   * below, four 0/1 transitions, so they are non-uniform (bin 9) */
  for (y = 0; y < P; y++)
    for (x = 0; x < P; x++)
      img[y * P + x] = (x & 1) ? 255 : 0;
  emo_lbp_riu2_histograms (img, P, P, P, EMO_VIS_GRID, h);
  for (c = 0; c < EMO_VIS_GRID * EMO_VIS_GRID; c++) {
    gfloat *hc = h + c * EMO_VIS_LBP_BINS;
    g_assert_cmpfloat_with_epsilon (hc[8] + hc[9], 1.0f, 1e-6);
    g_assert_cmpfloat (hc[8], >, 0.4f);
    g_assert_cmpfloat (hc[9], >, 0.4f);
  }
}

static void
test_hog_edges (void)
{
  guint8 img[P * P];
  gfloat h[EMO_VIS_GRID * EMO_VIS_GRID * EMO_VIS_HOG_BINS];
  gint x, y, c, b;

  /* vertical edge (dark left, bright right): horizontal gradient, angle 0,
   * halfway between the centres of bin 8 (170 deg) and bin 0 (10 deg) */
  for (y = 0; y < P; y++)
    for (x = 0; x < P; x++)
      img[y * P + x] = x < P / 2 ? 0 : 255;
  emo_hog_histograms (img, P, P, P, EMO_VIS_GRID, EMO_VIS_HOG_BINS, h);
  for (c = 0; c < EMO_VIS_GRID * EMO_VIS_GRID; c++) {
    for (b = 0; b < EMO_VIS_HOG_BINS; b++)
      g_assert_cmpfloat_with_epsilon (h[c * EMO_VIS_HOG_BINS + b],
          (b == 0 || b == 8) ? 0.5f : 0.0f, 1e-6);
  }
  /* horizontal edge: vertical gradient, 90 deg, the centre of bin 4 */
  for (y = 0; y < P; y++)
    for (x = 0; x < P; x++)
      img[y * P + x] = y < P / 2 ? 0 : 200;
  emo_hog_histograms (img, P, P, P, EMO_VIS_GRID, EMO_VIS_HOG_BINS, h);
  for (c = 0; c < EMO_VIS_GRID * EMO_VIS_GRID; c++)
    for (b = 0; b < EMO_VIS_HOG_BINS; b++)
      g_assert_cmpfloat_with_epsilon (h[c * EMO_VIS_HOG_BINS + b],
          b == 4 ? 1.0f : 0.0f, 1e-6);
  /* flat: no gradient, zeros rather than NaN */
  memset (img, 9, sizeof (img));
  emo_hog_histograms (img, P, P, P, EMO_VIS_GRID, EMO_VIS_HOG_BINS, h);
  for (b = 0; b < (gint) G_N_ELEMENTS (h); b++)
    g_assert_cmpfloat (h[b], ==, 0.0f);
}

static void
test_motion (void)
{
  guint8 a[P * P], b[P * P];
  gfloat m[2];

  memset (a, 100, sizeof (a));
  memcpy (b, a, sizeof (a));
  emo_motion_energy (a, b, P, P, P, m);
  g_assert_cmpfloat (m[0], ==, 0.0f);
  g_assert_cmpfloat (m[1], ==, 0.0f);
  /* the mouth (lower half) moves by 51 grey levels, the brows do not */
  memset (b + P * P / 2, 151, P * P / 2);
  emo_motion_energy (a, b, P, P, P, m);
  g_assert_cmpfloat (m[0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (m[1], 51.0f / 255.0f, 1e-6);
}

static void
make_frame (guint8 * img, gint w, gint h, gint shift)
{
  gint x, y;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      img[y * w + x] = (guint8) ((((x + shift) / 8) + (y / 8)) % 2 ? 200 : 40);
}

static void
test_describe_frame (void)
{
  gint w = 160, h = 120, i;
  guint8 *img = g_malloc (w * h);
  EmoVisTrack tr;
  gfloat v0[EMO_VIS_FRAME_DIMS], v1[EMO_VIS_FRAME_DIMS], v2[EMO_VIS_FRAME_DIMS];
  EmoRect box = { 40, 20, 64, 64 }, moved = { 48, 20, 64, 64 };

  make_frame (img, w, h, 0);
  emo_vis_track_reset (&tr);
  emo_vis_describe_frame (&tr, img, w, h, w, &box, 0.0, v0);
  /* geometry */
  g_assert_cmpfloat_with_epsilon (v0[0], 72.0f / 160.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (v0[1], 52.0f / 120.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (v0[2], 64.0f / 160.0f, 1e-6);
  /* first frame of a track: no velocity, no motion */
  for (i = 3; i < 8; i++)
    g_assert_cmpfloat (v0[i], ==, 0.0f);
  /* a static frame 40 ms later: still no motion */
  emo_vis_describe_frame (&tr, img, w, h, w, &box, 0.04, v1);
  for (i = 3; i < 8; i++)
    g_assert_cmpfloat (v1[i], ==, 0.0f);
  g_assert_cmpmem (v0 + 8, (EMO_VIS_FRAME_DIMS - 8) * sizeof (gfloat),
      v1 + 8, (EMO_VIS_FRAME_DIMS - 8) * sizeof (gfloat));
  /* the box moves 8 px right in 40 ms: vx = (8/160) / 0.04 = 1.25 per s */
  emo_vis_describe_frame (&tr, img, w, h, w, &moved, 0.08, v2);
  g_assert_cmpfloat_with_epsilon (v2[3], 1.25f, 1e-4);
  g_assert_cmpfloat (v2[4], ==, 0.0f);
  g_assert_cmpfloat (v2[6], >, 0.0f);
  /* histograms are L1-normalised per cell */
  for (i = 0; i < EMO_VIS_GRID * EMO_VIS_GRID; i++) {
    gfloat s = 0;
    gint b;
    for (b = 0; b < EMO_VIS_LBP_BINS; b++)
      s += v2[EMO_VIS_LBP_OFFSET + i * EMO_VIS_LBP_BINS + b];
    g_assert_cmpfloat_with_epsilon (s, 1.0f, 1e-5);
  }
  for (i = 0; i < EMO_VIS_FRAME_DIMS; i++)
    g_assert_true (isfinite (v2[i]));
  /* a box partly outside the frame and a one-pixel frame stay finite */
  box = (EmoRect) {
  -30, 100, 64, 64};
  emo_vis_describe_frame (&tr, img, w, h, w, &box, 0.12, v2);
  emo_vis_describe_frame (&tr, img, 1, 1, 1, &box, 0.16, v2);
  for (i = 0; i < EMO_VIS_FRAME_DIMS; i++)
    g_assert_true (isfinite (v2[i]));
  g_free (img);
}

static void
test_pool (void)
{
  EmoVisPool *p = emo_vis_pool_new (2, 3);
  gfloat out[6], v[2], bad[2] = { NAN, 1 };

  /* hop 0: values 1 and 3 in dim 0, constant 5 in dim 1; one faceless frame */
  v[0] = 1;
  v[1] = 5;
  emo_vis_pool_add_frame (p, v, 1);
  v[0] = 3;
  emo_vis_pool_add_frame (p, v, 2);
  emo_vis_pool_add_frame (p, NULL, 0);
  emo_vis_pool_add_frame (p, bad, 1);   /* non-finite: counted as faceless */
  g_assert_cmpuint (emo_vis_pool_hop_frames (p), ==, 4);
  g_assert_cmpuint (emo_vis_pool_hop_face_frames (p), ==, 2);
  emo_vis_pool_finish_hop (p, out);
  g_assert_cmpfloat (out[0], ==, 2.0f);
  g_assert_cmpfloat (out[1], ==, 5.0f);
  g_assert_cmpfloat_with_epsilon (out[2], 1.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (out[3], 0.0f, 1e-6);
  g_assert_cmpfloat (out[4], ==, 0.5f);
  g_assert_cmpfloat (out[5], ==, 1.0f);
  /* an empty hop: the window still holds hop 0 */
  g_assert_cmpuint (emo_vis_pool_hop_frames (p), ==, 0);
  emo_vis_pool_finish_hop (p, out);
  g_assert_cmpfloat (out[0], ==, 2.0f);
  /* two more hops with 7: hop 0 leaves the 3-hop window */
  v[0] = 7;
  emo_vis_pool_add_frame (p, v, 1);
  emo_vis_pool_finish_hop (p, out);
  g_assert_cmpfloat_with_epsilon (out[0], 11.0f / 3.0f, 1e-5);
  emo_vis_pool_add_frame (p, v, 1);
  emo_vis_pool_finish_hop (p, out);
  g_assert_cmpfloat (out[0], ==, 7.0f);
  g_assert_cmpfloat (out[2], ==, 0.0f);
  g_assert_cmpfloat (out[4], ==, 1.0f);
  /* reset: zeros, no NaN from an empty window */
  emo_vis_pool_reset (p);
  emo_vis_pool_finish_hop (p, out);
  g_assert_cmpfloat (out[0], ==, 0.0f);
  g_assert_cmpfloat (out[4], ==, 0.0f);
  emo_vis_pool_free (p);
}

/* The same signal seen at 25 and at 60 frames/s pools to the same values. */
static void
test_pool_rate_independent (void)
{
  gint rates[2] = { 25, 60 }, r, k;
  gfloat res[2][4];

  for (r = 0; r < 2; r++) {
    EmoVisPool *p = emo_vis_pool_new (1, 40);
    gint n = 0;
    for (k = 0; k < 40; k++) {
      /* frames whose time falls in hop k (100 ms) */
      while (n * 1000 / rates[r] < (k + 1) * 100) {
        gfloat v = (gfloat) sin (2 * G_PI * 0.5 * n / rates[r]);
        emo_vis_pool_add_frame (p, &v, 1);
        n++;
      }
      emo_vis_pool_finish_hop (p, res[r]);
    }
    emo_vis_pool_free (p);
  }
  g_assert_cmpfloat_with_epsilon (res[0][0], res[1][0], 0.02);
  g_assert_cmpfloat_with_epsilon (res[0][1], res[1][1], 0.02);
  g_assert_cmpfloat_with_epsilon (res[0][1], (gfloat) G_SQRT2 / 2, 0.02);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vision/desc/lbp-constant", test_lbp_constant);
  g_test_add_func ("/vision/desc/lbp-stripes", test_lbp_stripes);
  g_test_add_func ("/vision/desc/hog-edges", test_hog_edges);
  g_test_add_func ("/vision/desc/motion", test_motion);
  g_test_add_func ("/vision/desc/describe-frame", test_describe_frame);
  g_test_add_func ("/vision/desc/pool", test_pool);
  g_test_add_func ("/vision/desc/pool-rate-independent",
      test_pool_rate_independent);
  return g_test_run ();
}
