/* emovisfeat: GstHarness tests. Frame count and timestamps independent of
 * the video rate, all seven input formats with odd strides, upstream face
 * metas, GAP frames without a face, the output face meta and element
 * messages, a real face found by the built-in detector (opencv-doc media),
 * bad input (black, white, noise, tiny frames, caps changes), cascade
 * errors naming the file, latency, flush and EOS. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <gst/emo/gstemo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* these tests describe the cascade + vis-v1 path; test-emovisfeat-cnn.c
 * the CNN + vis-v2 one */
#define V1 "feature-set=vis-v1 detector=cascade "
#define DIMS 170
#define FACE_FRACTION (DIMS - 2)
#define FACES_MEAN (DIMS - 1)
#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

typedef enum
{ PAT_NOISE, PAT_BLACK, PAT_WHITE, PAT_IMAGE } Pattern;

static const guint8 *image_data;
static gint image_w, image_h;

static guint8
pixel (Pattern pat, gint x, gint y, guint seed)
{
  switch (pat) {
    case PAT_BLACK:
      return 0;
    case PAT_WHITE:
      return 255;
    case PAT_IMAGE:
      return image_data[MIN (y, image_h - 1) * image_w + MIN (x, image_w - 1)];
    case PAT_NOISE:
    default:
      return (guint8) (((x * 7919u + y * 104729u +
                  seed * 31u) ^ (x * y)) * 2654435761u >> 24);
  }
}

/* A frame of @format with the given grey pattern in luma (or in R=G=B),
 * each plane's stride padded by @pad bytes (described by a GstVideoMeta). */
static GstBuffer *
make_frame (GstVideoFormat format, gint w, gint h, gint pad, Pattern pat,
    guint seed)
{
  GstVideoInfo info;
  GstBuffer *b;
  GstVideoFrame f;
  gsize offset[GST_VIDEO_MAX_PLANES], size = 0;
  gint stride[GST_VIDEO_MAX_PLANES];
  guint p;
  gint x, y;

  gst_video_info_set_format (&info, format, w, h);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&info); p++) {
    gint ph = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info.finfo, p, h);
    stride[p] = GST_VIDEO_INFO_PLANE_STRIDE (&info, p) + pad;
    offset[p] = size;
    size += (gsize) stride[p] * ph;
  }
  b = gst_buffer_new_allocate (NULL, size, NULL);
  gst_buffer_memset (b, 0, 128, size);
  gst_buffer_add_video_meta_full (b, GST_VIDEO_FRAME_FLAG_NONE, format, w, h,
      GST_VIDEO_INFO_N_PLANES (&info), offset, stride);
  fail_unless (gst_video_frame_map (&f, &info, b, GST_MAP_WRITE));
  for (y = 0; y < h; y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f,
        0) + y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (&f, 0);
    for (x = 0; x < w; x++) {
      guint8 v = pixel (pat, x, y, seed);
      if (GST_VIDEO_INFO_IS_RGB (&info)) {
        row[x * ps + GST_VIDEO_FRAME_COMP_POFFSET (&f, 0)] = v;
        row[x * ps + GST_VIDEO_FRAME_COMP_POFFSET (&f, 1)] = v;
        row[x * ps + GST_VIDEO_FRAME_COMP_POFFSET (&f, 2)] = v;
      } else {
        row[x] = v;
      }
    }
  }
  gst_video_frame_unmap (&f);
  return b;
}

static gchar *
caps_str (GstVideoFormat format, gint w, gint h, gint fps)
{
  return
      g_strdup_printf
      ("video/x-raw,format=%s,width=%d,height=%d,framerate=%d/1",
      gst_video_format_to_string (format), w, h, fps);
}

/* Pushes frames at @fps (0: variable, 10-50 ms apart) covering @dur. */
static guint
push_frames (GstHarness * h, GstVideoFormat format, gint w, gint h_, gint pad,
    Pattern pat, gint fps, GstClockTime start, GstClockTime dur, gboolean roi)
{
  GstClockTime t = start;
  guint n = 0;
  GRand *r = g_rand_new_with_seed (7);

  while (t < start + dur) {
    GstBuffer *b = make_frame (format, w, h_, pad, pat, n);
    GstClockTime step = fps > 0 ? gst_util_uint64_scale_int (GST_SECOND, 1, fps)
        : (GstClockTime) g_rand_int_range (r, 10, 51) * GST_MSECOND;
    GST_BUFFER_PTS (b) = t;
    GST_BUFFER_DURATION (b) = step;
    if (roi)
      gst_buffer_add_video_region_of_interest_meta (b, "face", w / 4, h_ / 4,
          w / 2, h_ / 2);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
    n++;
    t = fps > 0 ? start + gst_util_uint64_scale_int (n * GST_SECOND, 1,
        fps) : t + step;
  }
  g_rand_free (r);
  return n;
}

static gboolean
have_cascade (void)
{
  return g_file_test (CASCADE, G_FILE_TEST_EXISTS);
}

/* Pulls every output frame, checking size, timestamps on the hop grid from
 * @first_k, and finite values. Returns the frames (caller unrefs). */
static GPtrArray *
pull_frames (GstHarness * h, guint64 first_k)
{
  GPtrArray *a =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *b;

  while ((b = gst_harness_try_pull (h))) {
    GstMapInfo m;
    guint i;
    fail_unless_equals_uint64 (gst_buffer_get_size (b), DIMS * sizeof (gfloat));
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b),
        (first_k + a->len) * 100 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), 100 * GST_MSECOND);
    gst_buffer_map (b, &m, GST_MAP_READ);
    for (i = 0; i < DIMS; i++)
      fail_unless (isfinite (((gfloat *) m.data)[i]), "value %u not finite", i);
    gst_buffer_unmap (b, &m);
    g_ptr_array_add (a, b);
  }
  return a;
}

static gfloat
value (GstBuffer * b, guint i)
{
  gfloat v;
  gst_buffer_extract (b, i * sizeof (gfloat), &v, sizeof (v));
  return v;
}

GST_START_TEST (test_caps_and_names)
{
  GstHarness *h =
      gst_harness_new_parse ("emovisfeat " V1 "roi-source=upstream");
  gchar *cs = caps_str (GST_VIDEO_FORMAT_GRAY8, 64, 48, 25);
  GstCaps *caps;
  GstEmoFramesInfo info;
  GstEvent *ev;
  gchar **names = NULL;
  guint n = 0;

  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_GRAY8, 64, 48, 0, PAT_NOISE, 25, 0,
      GST_SECOND / 2, TRUE);
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_emo_frames_info_init (&info);
  fail_unless (gst_emo_frames_info_from_caps (&info, caps));
  fail_unless_equals_int (info.dims, DIMS);
  fail_unless_equals_int (info.rate_n, 10);
  fail_unless_equals_int (info.rate_d, 1);
  fail_unless_equals_string (info.layout, "vis-v1");
  gst_emo_frames_info_clear (&info);
  gst_caps_unref (caps);
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_CUSTOM_DOWNSTREAM_STICKY,
      0);
  fail_unless (ev && gst_emo_event_parse_feature_names (ev, &names, &n));
  fail_unless_equals_int (n, DIMS);
  fail_unless_equals_string (names[0], "face_cx_mean");
  fail_unless_equals_string (names[84], "face_cx_std");
  fail_unless_equals_string (names[DIMS - 2], "face_fraction");
  fail_unless_equals_string (names[DIMS - 1], "faces_mean");
  g_strfreev (names);
  gst_event_unref (ev);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* One frame per 100 ms whatever the frame rate, for every input format. */
GST_START_TEST (test_rates_and_formats)
{
  const GstVideoFormat formats[] =
      { GST_VIDEO_FORMAT_GRAY8, GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGR,
    GST_VIDEO_FORMAT_RGBx, GST_VIDEO_FORMAT_BGRx
  };
  const gint rates[] = { 25, 30, 60, 0 };
  guint fi, ri;

  for (fi = 0; fi < G_N_ELEMENTS (formats); fi++) {
    for (ri = 0; ri < G_N_ELEMENTS (rates); ri++) {
      GstHarness *h =
          gst_harness_new_parse ("emovisfeat " V1 "roi-source=upstream");
      gchar *cs = caps_str (formats[fi], 66, 50, rates[ri] ? rates[ri] : 30);
      GPtrArray *out;
      guint i;

      gst_harness_set_src_caps_str (h, cs);
      g_free (cs);
      /* odd padding: strides that are not a multiple of 4 */
      push_frames (h, formats[fi], 66, 50, 3, PAT_NOISE, rates[ri], 0,
          2 * GST_SECOND, TRUE);
      gst_harness_push_event (h, gst_event_new_eos ());
      out = pull_frames (h, 0);
      fail_unless_equals_int (out->len, 20);
      for (i = 0; i < out->len; i++) {
        GstBuffer *b = g_ptr_array_index (out, i);
        fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
        fail_unless_equals_float (value (b, FACE_FRACTION), 1.0f);
        fail_unless_equals_float (value (b, FACES_MEAN), 1.0f);
        /* centre x of the upstream box (16 + 33/2) / 66 = 0.4924 */
        fail_unless (fabs (value (b, 0) - (16 + 16.5) / 66.0) < 1e-5);
      }
      g_ptr_array_unref (out);
      gst_harness_teardown (h);
    }
  }
}

GST_END_TEST;

/* The same pooled values at 25 and at 60 frames/s for a static scene. */
GST_START_TEST (test_rate_independent_values)
{
  gfloat v[2][DIMS];
  const gint rates[2] = { 25, 60 };
  guint r, i;

  for (r = 0; r < 2; r++) {
    GstHarness *h =
        gst_harness_new_parse ("emovisfeat " V1 "roi-source=upstream");
    gchar *cs = caps_str (GST_VIDEO_FORMAT_GRAY8, 64, 48, rates[r]);
    GstClockTime t;
    guint n = 0;
    GPtrArray *out;

    gst_harness_set_src_caps_str (h, cs);
    g_free (cs);
    for (t = 0; t < 2 * GST_SECOND;
        t = gst_util_uint64_scale_int (++n * GST_SECOND, 1, rates[r])) {
      GstBuffer *b =
          make_frame (GST_VIDEO_FORMAT_GRAY8, 64, 48, 0, PAT_NOISE, 0);
      GST_BUFFER_PTS (b) = t;
      gst_buffer_add_video_region_of_interest_meta (b, "face", 8, 8, 40, 32);
      gst_harness_push (h, b);
    }
    gst_harness_push_event (h, gst_event_new_eos ());
    out = pull_frames (h, 0);
    fail_unless_equals_int (out->len, 20);
    gst_buffer_extract (g_ptr_array_index (out, 19), 0, v[r], sizeof (v[r]));
    g_ptr_array_unref (out);
    gst_harness_teardown (h);
  }
  for (i = 0; i < DIMS; i++)
    fail_unless (fabs (v[0][i] - v[1][i]) < 1e-4, "dim %u: %g vs %g", i,
        v[0][i], v[1][i]);
  /* static scene: no motion, no velocity */
  for (i = 3; i < 8; i++)
    fail_unless_equals_float (v[0][i], 0.0f);
}

GST_END_TEST;

/* Black, white and noise frames: no face, GAP frames with zero payload;
 * frames smaller than the cascade window too. */
GST_START_TEST (test_no_face_gap)
{
  const Pattern pats[] = { PAT_BLACK, PAT_WHITE, PAT_NOISE };
  const gint sizes[][2] = { {160, 120}, {16, 12}, {1, 1}, {33, 17} };
  guint pi, si;

  if (!have_cascade ())
    return;
  for (pi = 0; pi < G_N_ELEMENTS (pats); pi++) {
    for (si = 0; si < G_N_ELEMENTS (sizes); si++) {
      GstHarness *h =
          gst_harness_new_parse ("emovisfeat " V1
          "detect-interval=1 min-face-size=0");
      gint w = sizes[si][0], hh = sizes[si][1];
      gchar *cs = caps_str (GST_VIDEO_FORMAT_I420, w, hh, 30);
      GPtrArray *out;
      guint i, j;

      gst_harness_set_src_caps_str (h, cs);
      g_free (cs);
      push_frames (h, GST_VIDEO_FORMAT_I420, w, hh, 1, pats[pi], 30, 0,
          GST_SECOND / 2, FALSE);
      gst_harness_push_event (h, gst_event_new_eos ());
      out = pull_frames (h, 0);
      fail_unless_equals_int (out->len, 5);
      for (i = 0; i < out->len; i++) {
        GstBuffer *b = g_ptr_array_index (out, i);
        if (pats[pi] == PAT_NOISE && w >= 100)
          continue;             /* noise may fool a cascade; it must only stay finite */
        fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
        for (j = 0; j < DIMS; j++)
          fail_unless_equals_float (value (b, j), 0.0f);
        fail_if (gst_buffer_get_video_region_of_interest_meta (b));
      }
      g_ptr_array_unref (out);
      gst_harness_teardown (h);
    }
  }
}

GST_END_TEST;

/* Upstream boxes only in the first half second: then hold-time does not
 * apply (upstream is the authority) and frames become GAP; the face meta
 * and the element messages follow. */
GST_START_TEST (test_upstream_meta_and_messages)
{
  GstHarness *h =
      gst_harness_new_parse ("emovisfeat " V1
      "roi-source=auto post-messages=true");
  GstBus *bus = gst_bus_new ();
  gchar *cs = caps_str (GST_VIDEO_FORMAT_RGB, 64, 48, 20);
  GPtrArray *out;
  GstBuffer *b;
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *param;
  GstMessage *msg;
  gint faces = 0, x = -1, y, w, hh, n_msgs = 0;
  gboolean face;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_RGB, 64, 48, 0, PAT_NOISE, 20, 0,
      GST_SECOND / 2, TRUE);
  push_frames (h, GST_VIDEO_FORMAT_RGB, 64, 48, 0, PAT_NOISE, 20,
      GST_SECOND / 2, GST_SECOND / 2, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_frames (h, 0);
  fail_unless_equals_int (out->len, 10);
  b = g_ptr_array_index (out, 0);
  roi = gst_buffer_get_video_region_of_interest_meta (b);
  fail_unless (roi != NULL);
  fail_unless_equals_string (g_quark_to_string (roi->roi_type), "face");
  fail_unless_equals_int (roi->x, 16);
  fail_unless_equals_int (roi->y, 12);
  fail_unless_equals_int (roi->w, 32);
  fail_unless_equals_int (roi->h, 24);
  param = gst_video_region_of_interest_meta_get_param (roi, "emovisfeat");
  fail_unless (param && gst_structure_get_int (param, "faces", &faces));
  fail_unless_equals_int (faces, 1);
  b = g_ptr_array_index (out, 9);
  fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
  fail_if (gst_buffer_get_video_region_of_interest_meta (b));
  g_ptr_array_unref (out);

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    const gchar *src;
    guint64 ts;
    if (gst_structure_has_name (s, "emovisfeat")) {
      fail_unless (gst_structure_get_uint64 (s, "timestamp", &ts));
      fail_unless (gst_structure_get_boolean (s, "face", &face));
      src = gst_structure_get_string (s, "source");
      if (ts < GST_SECOND / 2) {
        fail_unless (face);
        fail_unless_equals_string (src, "upstream");
        fail_unless (gst_structure_get (s, "x", G_TYPE_INT, &x, "y", G_TYPE_INT,
                &y, "width", G_TYPE_INT, &w, "height", G_TYPE_INT, &hh, NULL));
        fail_unless_equals_int (x, 16);
        fail_unless_equals_int (w, 32);
      } else {
        fail_if (face);
        fail_unless_equals_string (src, "none");
      }
      n_msgs++;
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n_msgs, 20);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

static guint8 *
load_gray (const gchar * path, gint * w, gint * h)
{
  gchar *desc =
      g_strdup_printf ("filesrc location=%s ! decodebin ! videoconvert ! "
      "video/x-raw,format=GRAY8 ! appsink name=s sync=false", path);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  GstSample *s;
  guint8 *img = NULL;

  g_free (desc);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  s = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  if (s) {
    GstVideoInfo info;
    GstVideoFrame f;
    gint y;
    gst_video_info_from_caps (&info, gst_sample_get_caps (s));
    gst_video_frame_map (&f, &info, gst_sample_get_buffer (s), GST_MAP_READ);
    *w = info.width;
    *h = info.height;
    img = g_malloc (*w * *h);
    for (y = 0; y < *h; y++)
      memcpy (img + y * *w, (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0), *w);
    gst_video_frame_unmap (&f);
    gst_sample_unref (s);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return img;
}

/* messi5.jpg (one 36x36 face at 227,94) as a 0.6 s still at 30 fps: the
 * built-in detector finds and tracks the face in every hop. */
GST_START_TEST (test_detects_real_face)
{
  GstHarness *h;
  guint8 *img;
  gchar *cs;
  GPtrArray *out;
  guint i;

  if (!have_cascade () || !g_file_test (MESSI, G_FILE_TEST_EXISTS))
    return;
  img = load_gray (MESSI, &image_w, &image_h);
  fail_unless (img != NULL);
  image_data = img;
  h = gst_harness_new_parse ("emovisfeat " V1
      "min-face-size=24 scale-factor=1.1");
  cs = caps_str (GST_VIDEO_FORMAT_BGRx, image_w, image_h, 30);
  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_BGRx, image_w, image_h, 0, PAT_IMAGE, 30, 0,
      6 * GST_SECOND / 10, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_frames (h, 0);
  fail_unless_equals_int (out->len, 6);
  for (i = 0; i < out->len; i++) {
    GstBuffer *b = g_ptr_array_index (out, i);
    GstVideoRegionOfInterestMeta *roi =
        gst_buffer_get_video_region_of_interest_meta (b);
    gdouble ix, iy, inter, uni;
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    fail_unless (roi != NULL);
    ix = MIN (roi->x + roi->w, 227 + 36) - (gdouble) MAX (roi->x, 227);
    iy = MIN (roi->y + roi->h, 94 + 36) - (gdouble) MAX (roi->y, 94);
    inter = MAX (ix, 0) * MAX (iy, 0);
    uni = roi->w * roi->h + 36.0 * 36 - inter;
    fail_unless (inter / uni >= 0.5, "hop %u: box %u %u %u %u", i, roi->x,
        roi->y, roi->w, roi->h);
    fail_unless_equals_float (value (b, FACE_FRACTION), 1.0f);
    /* a still: no head motion, no facial motion */
    fail_unless (fabs (value (b, 3)) < 1e-6 && fabs (value (b, 6)) < 1e-6);
  }
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (img);
  image_data = NULL;
}

GST_END_TEST;

static void
expect_cascade_error (const gchar * path)
{
  GstElement *e = gst_element_factory_make ("emovisfeat", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_util_set_object_arg (G_OBJECT (e), "feature-set", "vis-v1");
  gst_util_set_object_arg (G_OBJECT (e), "detector", "cascade");
  gst_element_set_bus (e, bus);
  g_object_set (e, "cascade", path, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (strstr (err->message, path) != NULL, "\"%s\" does not name %s",
      err->message, path);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

/* vis-v2 on the same still (the cascade's box, the nets describe it): every
 * hop has a face meta marked followed with 136 landmark values near the box
 * and expression probabilities summing to 1; the row has 312 values. */
GST_START_TEST (test_v2_face_meta)
{
  static const gchar *expr[] = { "neutral", "happy", "sad", "angry",
    "fearful", "disgusted", "surprised"
  };
  GstHarness *h;
  guint8 *img;
  gchar *cs;
  GPtrArray *out;
  guint i, k;

  if (!have_cascade () || !g_file_test (MESSI, G_FILE_TEST_EXISTS))
    return;
  img = load_gray (MESSI, &image_w, &image_h);
  fail_unless (img != NULL);
  image_data = img;
  h = gst_harness_new_parse ("emovisfeat detector=cascade "
      "min-face-size=24 scale-factor=1.1");
  cs = caps_str (GST_VIDEO_FORMAT_BGRx, image_w, image_h, 30);
  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_BGRx, image_w, image_h, 0, PAT_IMAGE, 30, 0,
      4 * GST_SECOND / 10, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  {
    GstBuffer *b;
    while ((b = gst_harness_try_pull (h)))
      g_ptr_array_add (out, b);
  }
  fail_unless_equals_int (out->len, 4);
  for (i = 0; i < out->len; i++) {
    GstBuffer *b = g_ptr_array_index (out, i);
    GstVideoRegionOfInterestMeta *roi =
        gst_buffer_get_video_region_of_interest_meta (b);
    GstStructure *p;
    const GValue *lm;
    gboolean followed = FALSE;
    gdouble sum = 0, pr;

    fail_unless_equals_int (gst_buffer_get_size (b), 312 * sizeof (gfloat));
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    fail_unless_equals_float (value (b, 310), 1.0f);
    fail_unless (roi != NULL);
    p = gst_video_region_of_interest_meta_get_param (roi, "emovisfeat");
    fail_unless (p != NULL);
    fail_unless (gst_structure_get_boolean (p, "followed", &followed));
    fail_unless (followed);
    lm = gst_structure_get_value (p, "landmarks");
    fail_unless (lm != NULL && gst_value_array_get_size (lm) == 136);
    for (k = 0; k < 136; k++) {
      gfloat v = g_value_get_float (gst_value_array_get_value (lm, k));
      gdouble lo = (k % 2 ? roi->y : roi->x) - 0.5 * roi->w;
      gdouble hi = (k % 2 ? roi->y + roi->h : roi->x + roi->w) + 0.5 * roi->w;
      fail_unless (v >= lo && v <= hi, "landmark value %u: %f", k, v);
    }
    for (k = 0; k < G_N_ELEMENTS (expr); k++) {
      fail_unless (gst_structure_get_double (p, expr[k], &pr));
      fail_unless (pr >= 0 && pr <= 1);
      sum += pr;
    }
    fail_unless (fabs (sum - 1.0) < 1e-4, "expression sum %f", sum);
  }
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (img);
  image_data = NULL;
}

GST_END_TEST;

GST_START_TEST (test_cascade_errors)
{
  gchar *dir = g_dir_make_tmp ("emovisfeat-XXXXXX", NULL);
  gchar *bad = g_build_filename (dir, "broken.xml", NULL);
  gchar *missing = g_build_filename (dir, "missing.xml", NULL);

  expect_cascade_error (missing);
  fail_unless (g_file_set_contents (bad,
          "<opencv_storage><cascade><featureType>HAAR", -1, NULL));
  expect_cascade_error (bad);
  fail_unless (g_file_set_contents (bad,
          "<opencv_storage><cascade></cascade></opencv_storage>", -1, NULL));
  expect_cascade_error (bad);
  g_unlink (bad);
  g_rmdir (dir);
  g_free (bad);
  g_free (missing);
  g_free (dir);
}

GST_END_TEST;

/* Size and format change mid-stream: frames keep coming on the grid. */
GST_START_TEST (test_caps_change)
{
  GstHarness *h;
  gchar *cs;
  GPtrArray *out;

  if (!have_cascade ())
    return;
  h = gst_harness_new_parse ("emovisfeat " V1 "");
  cs = caps_str (GST_VIDEO_FORMAT_I420, 160, 120, 30);
  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_I420, 160, 120, 0, PAT_NOISE, 30, 0,
      GST_SECOND, TRUE);
  cs = caps_str (GST_VIDEO_FORMAT_RGBx, 50, 30, 30);
  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_RGBx, 50, 30, 0, PAT_NOISE, 30, GST_SECOND,
      GST_SECOND, TRUE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_frames (h, 0);
  fail_unless_equals_int (out->len, 20);
  /* after the change, the face meta is the new frame's upstream box */
  {
    GstVideoRegionOfInterestMeta *roi =
        gst_buffer_get_video_region_of_interest_meta (g_ptr_array_index (out,
            19));
    fail_unless (roi != NULL);
    fail_unless_equals_int (roi->x, 12);
    fail_unless_equals_int (roi->w, 25);
    /* the window mixes both geometries: centre x between 0.49 and 0.5 */
    fail_unless (value (g_ptr_array_index (out, 19), 0) > 0.489f);
    fail_unless (value (g_ptr_array_index (out, 19), 0) < 0.501f);
  }
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_latency)
{
  GstHarness *h =
      gst_harness_new_parse ("emovisfeat " V1
      "roi-source=upstream hop=200000000");
  gchar *cs = caps_str (GST_VIDEO_FORMAT_GRAY8, 32, 32, 25);

  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  gst_harness_set_upstream_latency (h, 10 * GST_MSECOND);
  /* 10 ms upstream + 200 ms hop + one 40 ms frame */
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 250 * GST_MSECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Flush forgets the hop position; a segment starting later shifts PTS
 * back to stream time; a gap in the video gives GAP frames. */
GST_START_TEST (test_flush_and_gaps)
{
  GstHarness *h =
      gst_harness_new_parse ("emovisfeat " V1 "roi-source=upstream");
  gchar *cs = caps_str (GST_VIDEO_FORMAT_GRAY8, 32, 32, 30);
  GPtrArray *out;
  guint i;

  gst_harness_set_src_caps_str (h, cs);
  g_free (cs);
  push_frames (h, GST_VIDEO_FORMAT_GRAY8, 32, 32, 0, PAT_NOISE, 30, 0,
      GST_SECOND / 2, TRUE);
  /* nothing between 0.5 s and 1.0 s */
  push_frames (h, GST_VIDEO_FORMAT_GRAY8, 32, 32, 0, PAT_NOISE, 30, GST_SECOND,
      GST_SECOND / 2, TRUE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_frames (h, 0);
  fail_unless_equals_int (out->len, 15);
  for (i = 0; i < out->len; i++)
    fail_unless_equals_int (GST_BUFFER_FLAG_IS_SET (g_ptr_array_index (out, i),
            GST_BUFFER_FLAG_GAP) ? 1 : 0, (i >= 5 && i < 10) ? 1 : 0);
  g_ptr_array_unref (out);

  gst_harness_push_event (h, gst_event_new_flush_start ());
  gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
  }
  push_frames (h, GST_VIDEO_FORMAT_GRAY8, 32, 32, 0, PAT_NOISE, 30, 0,
      GST_SECOND / 5, TRUE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_frames (h, 0);
  fail_unless_equals_int (out->len, 2);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
emovisfeat_suite (void)
{
  Suite *s = suite_create ("emovisfeat");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_caps_and_names);
  tcase_add_test (tc, test_rates_and_formats);
  tcase_add_test (tc, test_rate_independent_values);
  tcase_add_test (tc, test_no_face_gap);
  tcase_add_test (tc, test_upstream_meta_and_messages);
  tcase_add_test (tc, test_detects_real_face);
  tcase_add_test (tc, test_v2_face_meta);
  tcase_add_test (tc, test_cascade_errors);
  tcase_add_test (tc, test_caps_change);
  tcase_add_test (tc, test_latency);
  tcase_add_test (tc, test_flush_and_gaps);
  return s;
}

GST_CHECK_MAIN (emovisfeat);
