/* gst-emo: unit tests of the cascade parser, evaluator and detector
 * (kernels/vision/emo-cascade.c). Real cascades come from Debian's
 * opencv-data and test images from opencv-doc; those cases skip when the
 * packages are missing. */
#include <string.h>
#include <glib/gstdio.h>
#include "vision/emo-cascade.h"
#include "vision-testutil.h"

#define HAAR_DIR "/usr/share/opencv4/haarcascades"
#define LBP_DIR "/usr/share/opencv4/lbpcascades"
#define DATA_DIR "/usr/share/doc/opencv-doc/examples/data"

/* One stage, one stump on a two-rectangle feature (top half minus bottom
 * half of a 6x6 window): threshold 2.0, leaves -1 / +1, stage threshold 0.5. */
static const gchar *tiny_haar =
    "<?xml version=\"1.0\"?>\n<opencv_storage>\n"
    "<cascade type_id=\"opencv-cascade-classifier\"><stageType>BOOST</stageType>\n"
    "<featureType>HAAR</featureType><height>6</height><width>6</width>\n"
    "<stageParams><maxWeakCount>1</maxWeakCount></stageParams>\n"
    "<featureParams><maxCatCount>0</maxCatCount></featureParams>\n"
    "<stageNum>1</stageNum><stages><_><maxWeakCount>1</maxWeakCount>\n"
    "<stageThreshold>0.5</stageThreshold><weakClassifiers><_>\n"
    "<internalNodes>0 -1 0 2.0</internalNodes><leafValues>-1. 1.</leafValues></_>\n"
    "</weakClassifiers></_></stages>\n"
    "<features><_><rects><_>0 0 6 3 1.</_><_>0 3 6 3 -1.</_></rects></_></features>\n"
    "</cascade></opencv_storage>\n";

/* One stage, one LBP stump on 1x1 cells; the subset holds only code 255
 * (word 7, bit 31): a centre darker than all neighbours goes left (+1). */
static const gchar *tiny_lbp =
    "<opencv_storage><cascade type_id=\"opencv-cascade-classifier\">"
    "<stageType>BOOST</stageType><featureType>LBP</featureType>"
    "<height>3</height><width>3</width>"
    "<featureParams><maxCatCount>256</maxCatCount><featSize>1</featSize></featureParams>"
    "<stageNum>1</stageNum><stages><_><maxWeakCount>1</maxWeakCount>"
    "<stageThreshold>0.5</stageThreshold><weakClassifiers><_>"
    "<internalNodes>0 -1 0 0 0 0 0 0 0 0 -2147483648</internalNodes>"
    "<leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>"
    "<features><_><rect>0 0 1 1</rect></_></features></cascade></opencv_storage>";

static EmoCascade *
parse_or_fail (const gchar * text)
{
  GError *err = NULL;
  EmoCascade *c = emo_cascade_parse (text, -1, &err);
  g_assert_no_error (err);
  g_assert_nonnull (c);
  return c;
}

static void
fill (guint8 * img, gint w, gint h, gint top, gint bottom)
{
  gint y;
  for (y = 0; y < h; y++)
    memset (img + y * w, y < h / 2 ? top : bottom, w);
}

static void
test_tiny_haar (void)
{
  EmoCascade *c = parse_or_fail (tiny_haar);
  EmoIntegral ii;
  guint8 img[36];
  gint w, h;

  emo_cascade_get_window (c, &w, &h);
  g_assert_cmpint (w, ==, 6);
  g_assert_cmpint (h, ==, 6);
  g_assert_cmpint (emo_cascade_get_feature_type (c), ==, EMO_CASCADE_HAAR);
  g_assert_cmpuint (emo_cascade_get_n_stages (c), ==, 1);
  emo_integral_init (&ii);

  /* top bright: value = 18*200 / (16 * 100) = 2.25 >= 2 -> leaf +1 -> accept */
  fill (img, 6, 6, 200, 0);
  emo_integral_compute (&ii, img, 6, 6, 6, TRUE);
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 0, 0), ==, 1);
  /* bottom bright: value -2.25 -> leaf -1 -> rejected by stage 0 */
  fill (img, 6, 6, 0, 200);
  emo_integral_compute (&ii, img, 6, 6, 6, TRUE);
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 0, 0), ==, 0);
  /* flat window: cannot be normalised, rejected before any stage */
  fill (img, 6, 6, 90, 90);
  emo_integral_compute (&ii, img, 6, 6, 6, TRUE);
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 0, 0), <, 0);
  /* out of bounds */
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 1, 0), <, 0);
  emo_integral_clear (&ii);
  emo_cascade_free (c);
}

static void
test_tiny_lbp (void)
{
  EmoCascade *c = parse_or_fail (tiny_lbp);
  EmoIntegral ii;
  guint8 img[9] = { 200, 200, 200, 200, 100, 200, 200, 200, 200 };

  g_assert_cmpint (emo_cascade_get_feature_type (c), ==, EMO_CASCADE_LBP);
  emo_integral_init (&ii);
  emo_integral_compute (&ii, img, 3, 3, 3, FALSE);
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 0, 0), ==, 1);
  img[0] = 50;                  /* code 127: not in the subset */
  emo_integral_compute (&ii, img, 3, 3, 3, FALSE);
  g_assert_cmpint (emo_cascade_run_at (c, &ii, 0, 0), ==, 0);
  emo_integral_clear (&ii);
  emo_cascade_free (c);
}

static void
expect_error (const gchar * text, gint code, const gchar * needle)
{
  GError *err = NULL;
  EmoCascade *c = emo_cascade_parse (text, -1, &err);

  g_assert_null (c);
  g_assert_error (err, EMO_CASCADE_ERROR, code);
  if (needle && !strstr (err->message, needle))
    g_error ("message \"%s\" lacks \"%s\"", err->message, needle);
  g_error_free (err);
}

static gchar *
replace (const gchar * s, const gchar * a, const gchar * b)
{
  gchar **parts = g_strsplit (s, a, 2);
  gchar *r;
  g_assert_nonnull (parts[1]);
  r = g_strconcat (parts[0], b, parts[1], NULL);
  g_strfreev (parts);
  return r;
}

static void
test_malformed (void)
{
  struct
  {
    const gchar *from, *to;
    gint code;
    const gchar *needle;
  } cases[] = {
    {"</cascade>", "", EMO_CASCADE_ERROR_PARSE, NULL},
    {"0 -1 0 2.0", "0 -1 7 2.0", EMO_CASCADE_ERROR_INVALID, "feature 7"},
    {"0 -1 0 2.0", "1 -1 0 2.0", EMO_CASCADE_ERROR_INVALID, "child"},
    {"0 -1 0 2.0", "0 -1 0 nan", EMO_CASCADE_ERROR_INVALID, "number"},
    {"0 -1 0 2.0", "0 -1 0", EMO_CASCADE_ERROR_INVALID, "internalNodes"},
    {"-1. 1.", "-1.", EMO_CASCADE_ERROR_INVALID, "leafValues"},
    {"0 3 6 3 -1.", "0 4 6 3 -1.", EMO_CASCADE_ERROR_INVALID, "outside"},
    {"<width>6</width>", "<width>100000</width>", EMO_CASCADE_ERROR_INVALID,
        "width"},
    {"<width>6</width>", "", EMO_CASCADE_ERROR_INVALID, "width"},
    {"HAAR", "HOG", EMO_CASCADE_ERROR_UNSUPPORTED, "HOG"},
    /* tilted: rows y .. y+w+h, columns x-h .. x+w must fit */
    {"</rects>", "</rects><tilted>1</tilted>", EMO_CASCADE_ERROR_INVALID,
        "tilted rectangle"},
    {"<stageThreshold>0.5</stageThreshold>", "", EMO_CASCADE_ERROR_INVALID,
        "stageThreshold"},
    {"<cascade type_id=\"opencv-cascade-classifier\">",
          "<old type_id=\"opencv-haar-classifier\"></old><cascade>",
        EMO_CASCADE_ERROR_UNSUPPORTED, "old-style"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *t = replace (tiny_haar, cases[i].from, cases[i].to);
    expect_error (t, cases[i].code, cases[i].needle);
    g_free (t);
  }
  expect_error ("", EMO_CASCADE_ERROR_PARSE, NULL);
  expect_error ("<html></html>", EMO_CASCADE_ERROR_INVALID, "opencv_storage");
  expect_error ("<opencv_storage></opencv_storage>", EMO_CASCADE_ERROR_INVALID,
      "cascade");
}

static void
test_missing_file (void)
{
  GError *err = NULL;
  EmoCascade *c = emo_cascade_load ("/nonexistent/dir/face.xml", &err);

  g_assert_null (c);
  g_assert_nonnull (err);
  g_assert_nonnull (strstr (err->message, "/nonexistent/dir/face.xml"));
  g_error_free (err);
}

static void
test_grouping (void)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  EmoDetection d = { {100, 100, 50, 50}, 1 };
  EmoDetection *r;
  gint i;

  for (i = 0; i < 4; i++) {
    d.rect.x = 100 + i;         /* 100..103 -> mean 101.5 -> 102 (rounded) */
    g_array_append_val (a, d);
  }
  d.rect.x = 300;               /* a lone window: dropped at min_neighbors 3 */
  g_array_append_val (a, d);
  emo_group_rectangles (a, 3, 0.2);
  g_assert_cmpuint (a->len, ==, 1);
  r = &g_array_index (a, EmoDetection, 0);
  g_assert_cmpint (r->neighbors, ==, 4);
  g_assert_cmpint (r->rect.x, ==, 102);
  g_assert_cmpint (r->rect.y, ==, 100);
  g_assert_cmpint (r->rect.width, ==, 50);
  g_array_unref (a);
}

static void
test_real_cascades_parse (void)
{
  const gchar *dirs[] = { HAAR_DIR, LBP_DIR };
  guint i, n_ok = 0;

  if (!g_file_test (HAAR_DIR "/haarcascade_frontalface_default.xml",
          G_FILE_TEST_EXISTS)) {
    g_test_skip ("opencv-data not installed");
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (dirs); i++) {
    GDir *d = g_dir_open (dirs[i], 0, NULL);
    const gchar *fn;
    g_assert_nonnull (d);
    while ((fn = g_dir_read_name (d))) {
      gchar *p = g_build_filename (dirs[i], fn, NULL);
      GError *err = NULL;
      EmoCascade *c = emo_cascade_load (p, &err);
      /* only the old file format may be refused, with a message naming the file */
      if (!c) {
        g_assert_error (err, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_UNSUPPORTED);
        g_assert_nonnull (strstr (err->message, p));
        g_assert_nonnull (strstr (err->message, "old-style"));
        g_test_message ("%s", err->message);
        g_error_free (err);
      } else {
        n_ok++;
        emo_cascade_free (c);
      }
      g_free (p);
    }
    g_dir_close (d);
  }
  g_assert_cmpuint (n_ok, >=, 21);
}

static void
detect_messi (const gchar * cascade)
{
  /* the one face in messi5.jpg, annotated by eye */
  const EmoRect face = { 227, 94, 36, 36 };
  GError *err = NULL;
  EmoCascade *c;
  EmoDetector *d;
  EmoDetectParams p;
  GArray *out;
  guint8 *img;
  gint w, h;
  guint i;
  gdouble best = 0;

  if (!g_file_test (cascade, G_FILE_TEST_EXISTS)
      || !g_file_test (DATA_DIR "/messi5.jpg", G_FILE_TEST_EXISTS)) {
    g_test_skip ("opencv-data or opencv-doc not installed");
    return;
  }
  c = emo_cascade_load (cascade, &err);
  g_assert_no_error (err);
  img = vt_load_gray (DATA_DIR "/messi5.jpg", &w, &h);
  g_assert_nonnull (img);
  g_assert_cmpint (w, ==, 548);
  d = emo_detector_new (c);
  out = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  emo_detect_params_init (&p);
  emo_detector_detect (d, img, w, h, w, &p, out);
  for (i = 0; i < out->len; i++)
    best =
        MAX (best, emo_rect_iou (&g_array_index (out, EmoDetection, i).rect,
            &face));
  g_test_message ("%s: %u detections, best IoU %.2f", cascade, out->len, best);
  g_assert_cmpfloat (best, >=, 0.5);
  g_assert_cmpuint (out->len, <=, 3);

  /* a search region around the face finds it again; min size above it does not */
  p.roi = (EmoRect) {
  180, 50, 130, 130};
  emo_detector_detect (d, img, w, h, w, &p, out);
  g_assert_cmpuint (out->len, >=, 1);
  g_assert_cmpfloat (emo_rect_iou (&g_array_index (out, EmoDetection, 0).rect,
          &face), >=, 0.5);
  p.min_size = 60;
  emo_detector_detect (d, img, w, h, w, &p, out);
  for (i = 0; i < out->len; i++)
    g_assert_cmpint (g_array_index (out, EmoDetection, i).rect.width, >=, 60);

  g_array_unref (out);
  emo_detector_free (d);
  emo_cascade_free (c);
  g_free (img);
}

static void
test_detect_messi_haar (void)
{
  detect_messi (HAAR_DIR "/haarcascade_frontalface_default.xml");
}

static void
test_detect_messi_lbp (void)
{
  detect_messi (LBP_DIR "/lbpcascade_frontalface.xml");
}

static void
test_detect_degenerate (void)
{
  GError *err = NULL;
  EmoCascade *c;
  EmoDetector *d;
  EmoDetectParams p;
  GArray *out;
  guint8 *img;
  gint w = 320, h = 240, i;
  GRand *r = g_rand_new_with_seed (42);

  c = emo_cascade_load (HAAR_DIR "/haarcascade_frontalface_default.xml", &err);
  if (!c) {
    g_error_free (err);
    g_test_skip ("opencv-data not installed");
    g_rand_free (r);
    return;
  }
  d = emo_detector_new (c);
  out = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  emo_detect_params_init (&p);
  img = g_malloc (w * h);
  memset (img, 0, w * h);
  g_assert_cmpuint (emo_detector_detect (d, img, w, h, w, &p, out), ==, 0);
  memset (img, 255, w * h);
  g_assert_cmpuint (emo_detector_detect (d, img, w, h, w, &p, out), ==, 0);
  for (i = 0; i < w * h; i++)
    img[i] = g_rand_int_range (r, 0, 256);
  /* noise: defined output (few or no boxes, all inside the image) */
  emo_detector_detect (d, img, w, h, w, &p, out);
  for (i = 0; i < (gint) out->len; i++) {
    EmoRect *b = &g_array_index (out, EmoDetection, i).rect;
    g_assert_cmpint (b->x, >=, 0);
    g_assert_cmpint (b->x + b->width, <=, w);
  }
  /* smaller than the cascade window, odd stride, empty ROI, NULL image */
  g_assert_cmpuint (emo_detector_detect (d, img, 23, 17, 31, &p, out), ==, 0);
  p.roi = (EmoRect) {
  400, 400, 10, 10};
  g_assert_cmpuint (emo_detector_detect (d, img, w, h, w, &p, out), ==, 0);
  g_assert_cmpuint (emo_detector_detect (d, NULL, w, h, w, &p, out), ==, 0);
  g_free (img);
  g_array_unref (out);
  emo_detector_free (d);
  emo_cascade_free (c);
  g_rand_free (r);
}

/* The rotated integral image against its definition (OpenCV's):
 * tilted(X, Y) = sum of I(x, y) over y < Y, |x - X + 1| <= Y - y - 1. */
static void
test_tilted_integral (void)
{
  gint w = 13, h = 9, X, Y, x, y, i;
  guint8 img[13 * 9];
  EmoIntegral ii;

  for (i = 0; i < w * h; i++)
    img[i] = (guint8) ((i * 37 + 11) % 251);
  emo_integral_init (&ii);
  emo_integral_compute (&ii, img, w, h, w, FALSE);
  g_assert_false (ii.have_tilted);
  emo_integral_compute_tilted (&ii, img, w);
  g_assert_true (ii.have_tilted);
  for (Y = 0; Y <= h; Y++)
    for (X = 0; X <= w; X++) {
      guint32 s = 0;
      for (y = 0; y < Y; y++)
        for (x = 0; x < w; x++)
          if (ABS (x - X + 1) <= Y - y - 1)
            s += img[y * w + x];
      g_assert_cmpuint (ii.tilted[Y * ii.stride + X], ==, s);
    }
  emo_integral_clear (&ii);
}

/* A cascade with tilted features (upper body) on basketball1.png: the two
 * boxes OpenCV 4.6 (facedetect, scale 1.1, no minimum size) reports. */
static void
test_detect_tilted (void)
{
  const EmoRect ref[2] = { {175, 113, 94, 77}, {509, 196, 122, 100} };
  const gchar *cascade = HAAR_DIR "/haarcascade_upperbody.xml";
  GError *err = NULL;
  EmoCascade *c;
  EmoDetector *d;
  EmoDetectParams p;
  GArray *out;
  guint8 *img;
  gint w, h;
  guint i, j;

  if (!g_file_test (cascade, G_FILE_TEST_EXISTS)
      || !g_file_test (DATA_DIR "/basketball1.png", G_FILE_TEST_EXISTS)) {
    g_test_skip ("opencv-data or opencv-doc not installed");
    return;
  }
  c = emo_cascade_load (cascade, &err);
  g_assert_no_error (err);
  img = vt_load_gray (DATA_DIR "/basketball1.png", &w, &h);
  g_assert_nonnull (img);
  d = emo_detector_new (c);
  out = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  emo_detect_params_init (&p);
  emo_detector_detect (d, img, w, h, w, &p, out);
  g_assert_cmpuint (out->len, ==, 2);
  for (j = 0; j < 2; j++) {
    gdouble best = 0;
    for (i = 0; i < out->len; i++)
      best =
          MAX (best, emo_rect_iou (&g_array_index (out, EmoDetection, i).rect,
              &ref[j]));
    g_assert_cmpfloat (best, >=, 0.95);
  }
  g_array_unref (out);
  emo_detector_free (d);
  emo_cascade_free (c);
  g_free (img);
}

static void
test_resample_integral (void)
{
  guint8 src[4] = { 0, 100, 200, 255 }, dst[16];
  EmoIntegral ii;
  EmoRect a = { 0, 0, 10, 10 }, b = { 5, 0, 10, 10 }, c = { 20, 20, 5, 5 };

  /* 2x2 -> 1x1 is the mean of the four pixels (centres map to 0.5, 0.5) */
  emo_gray_resample (src, 2, 2, 2, 0, 0, 2, 2, dst, 1, 1, 1);
  g_assert_cmpint (dst[0], ==, (0 + 100 + 200 + 255 + 2) / 4);
  /* identity */
  emo_gray_resample (src, 2, 2, 2, 0, 0, 2, 2, dst, 2, 2, 2);
  g_assert_cmpmem (dst, 4, src, 4);
  emo_integral_init (&ii);
  emo_integral_compute (&ii, src, 2, 2, 2, TRUE);
  g_assert_cmpuint (emo_integral_rect (ii.sum, ii.stride, 0, 0, 2, 2), ==, 555);
  g_assert_cmpuint (emo_integral_rect (ii.sqsum, ii.stride, 1, 1, 1, 1), ==,
      255 * 255);
  emo_integral_clear (&ii);
  g_assert_cmpfloat_with_epsilon (emo_rect_iou (&a, &b), 50.0 / 150.0, 1e-9);
  g_assert_cmpfloat (emo_rect_iou (&a, &c), ==, 0.0);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vision/cascade/tiny-haar", test_tiny_haar);
  g_test_add_func ("/vision/cascade/tiny-lbp", test_tiny_lbp);
  g_test_add_func ("/vision/cascade/malformed", test_malformed);
  g_test_add_func ("/vision/cascade/missing-file", test_missing_file);
  g_test_add_func ("/vision/cascade/grouping", test_grouping);
  g_test_add_func ("/vision/cascade/real-cascades-parse",
      test_real_cascades_parse);
  g_test_add_func ("/vision/cascade/detect-messi-haar", test_detect_messi_haar);
  g_test_add_func ("/vision/cascade/detect-messi-lbp", test_detect_messi_lbp);
  g_test_add_func ("/vision/cascade/detect-degenerate", test_detect_degenerate);
  g_test_add_func ("/vision/image/resample-integral", test_resample_integral);
  g_test_add_func ("/vision/image/tilted-integral", test_tilted_integral);
  g_test_add_func ("/vision/cascade/detect-tilted", test_detect_tilted);
  return g_test_run ();
}
