/* Bad input through front end + model chains (GstHarness): a source that
 * stalls for seconds (timestamp jump, with and without DISCONT), silence,
 * black frames, NaN/Inf feature values and predictions, EOS before one
 * window; and the `model` property changed in READY (accepted) and in
 * PLAYING (refused with a warning) for emomtl and emofuse. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/emo/gstemo.h>
#include <math.h>
#include "robust-util.h"

#define HOP (100 * GST_MSECOND)
#define RATE 16000
#define W 160
#define H 120

static gchar *audio_model, *video_model, *small_a, *small_b;

static void
models_setup (void)
{
  audio_model = robust_write_model ("input-audio", EMO_NET_LSTM,
      ROBUST_AUDIO_LAYOUT, ROBUST_AUDIO_DIMS, 8, 3, 100.0f);
  video_model = robust_write_model ("input-video", EMO_NET_MLP,
      ROBUST_VIDEO_LAYOUT, ROBUST_VIDEO_DIMS, 8, 5, 10.0f);
  small_a = robust_write_model ("input-small-a", EMO_NET_MLP, "robust-4", 4,
      4, 7, 1.0f);
  small_b = robust_write_model ("input-small-b", EMO_NET_MLP, "robust-4", 4,
      4, 9, 1.0f);
}

static void
models_teardown (void)
{
  gchar **p[] = { &audio_model, &video_model, &small_a, &small_b };
  guint i;
  for (i = 0; i < G_N_ELEMENTS (p); i++) {
    g_unlink (*p[i]);
    g_clear_pointer (p[i], g_free);
  }
}

/* ---- helpers ---------------------------------------------------------- */

static void
push_audio (GstHarness * h, GstClockTime start, GstClockTime dur,
    gboolean silence, gboolean discont)
{
  guint n = 1600, k, i, nbuf = dur / HOP;
  for (k = 0; k < nbuf; k++) {
    GstBuffer *b = gst_buffer_new_allocate (NULL, n * sizeof (float), NULL);
    GstMapInfo map;
    float *x;
    guint64 s0 = gst_util_uint64_scale (start + k * HOP, RATE, GST_SECOND);
    gst_buffer_map (b, &map, GST_MAP_WRITE);
    x = (float *) map.data;
    for (i = 0; i < n; i++)
      x[i] = silence ? 0.0f : (float) (0.3 * sin (2 * G_PI * 180.0 * (s0 + i)
              / RATE) + 0.1 * sin (2 * G_PI * 360.0 * (s0 + i) / RATE));
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = start + k * HOP;
    GST_BUFFER_DURATION (b) = HOP;
    if (discont && k == 0)
      GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  }
}

/* GRAY8 frames at 25 fps: a textured or black picture, with a face box. */
static void
push_video (GstHarness * h, GstClockTime start, GstClockTime dur,
    gboolean black, gboolean discont)
{
  guint nf = dur / (40 * GST_MSECOND), k, x, y;
  for (k = 0; k < nf; k++) {
    GstBuffer *b = gst_buffer_new_allocate (NULL, W * H, NULL);
    GstMapInfo map;
    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (y = 0; y < H; y++)
      for (x = 0; x < W; x++)
        map.data[y * W + x] = black ? 0 : (guint8) ((x * 7 + y * 13 +
                k * 5 + ((x / 8 + y / 8) % 2) * 90) & 0xff);
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = start + k * 40 * GST_MSECOND;
    GST_BUFFER_DURATION (b) = 40 * GST_MSECOND;
    if (discont && k == 0)
      GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
    gst_buffer_add_video_region_of_interest_meta (b, "face", 40, 20, 64, 64);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  }
}

static GPtrArray *
pull_all (GstHarness * h)
{
  GPtrArray *a = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstBuffer *b;
  while ((b = gst_harness_try_pull (h)))
    g_ptr_array_add (a, b);
  return a;
}

/* Frames on the grid from 0, no slot skipped; payload and newest prediction
 * finite; GAP frames have a zero payload. Returns the number of GAP frames
 * with PTS in [from, to). */
static guint
check_frames (GPtrArray * a, GstClockTime from, GstClockTime to,
    gboolean need_prediction)
{
  guint i, gaps = 0;
  fail_unless (a->len > 0, "no frames");
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    GstEmoPredictionMeta *m = gst_buffer_get_emo_prediction_meta (b);
    gboolean gap = GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP);
    GstMapInfo map;
    gsize j;

    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * HOP);
    gst_buffer_map (b, &map, GST_MAP_READ);
    for (j = 0; j < map.size / sizeof (float); j++) {
      float v = ((const float *) map.data)[j];
      fail_unless (isfinite (v), "frame %u value %u not finite", i, (guint) j);
      if (gap)
        fail_unless (v == 0.0f, "GAP frame %u with a payload", i);
    }
    gst_buffer_unmap (b, &map);
    if (need_prediction) {
      fail_unless (m != NULL, "frame %u without prediction", i);
      for (j = 0; j < m->n_values; j++)
        fail_unless (isfinite (m->values[j]), "frame %u prediction %u",
            i, (guint) j);
    }
    if (gap && GST_BUFFER_PTS (b) >= from && GST_BUFFER_PTS (b) < to)
      gaps++;
  }
  return gaps;
}

static GstHarness *
audio_chain (void)
{
  gchar *d = g_strdup_printf ("emoaudiofeat ! emomtl model=\"%s\"",
      audio_model);
  GstHarness *h = gst_harness_new_parse (d);
  g_free (d);
  gst_harness_set_src_caps_str (h,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  return h;
}

static GstHarness *
video_chain (void)
{
  gchar *d =
      g_strdup_printf ("emovisfeat roi-source=upstream ! emomtl model=\"%s\"",
      video_model);
  GstHarness *h = gst_harness_new_parse (d);
  g_free (d);
  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=GRAY8,width=160,height=120,framerate=25/1");
  return h;
}

/* ---- stalls and gaps -------------------------------------------------- */

/* The source stops for 3 s and resumes with later timestamps (no DISCONT
 * flag, as a live source that stalled would): frames for the stall are GAP,
 * the grid continues, predictions stay finite (held over GAP). */
static void
audio_stall (gboolean discont)
{
  GstHarness *h = audio_chain ();
  GPtrArray *a;
  guint gaps, i, real_after = 0;

  push_audio (h, 0, GST_SECOND, FALSE, FALSE);
  push_audio (h, 4 * GST_SECOND, GST_SECOND, FALSE, discont);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 50);
  gaps = check_frames (a, GST_SECOND, 4 * GST_SECOND, TRUE);
  for (i = 41; i < a->len; i++)
    real_after += !GST_BUFFER_FLAG_IS_SET (g_ptr_array_index (a, i),
        GST_BUFFER_FLAG_GAP);
  fail_unless_equals_int (gaps, 30);
  fail_unless_equals_int (real_after, 9);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_START_TEST (test_audio_stall)
{
  audio_stall (FALSE);
  audio_stall (TRUE);
}

GST_END_TEST;

static void
video_stall (gboolean discont)
{
  GstHarness *h = video_chain ();
  GPtrArray *a;
  guint gaps, i, real_after = 0;

  push_video (h, 0, GST_SECOND, FALSE, FALSE);
  push_video (h, 4 * GST_SECOND, GST_SECOND, FALSE, discont);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless (a->len >= 49 && a->len <= 50, "%u frames", a->len);
  gaps = check_frames (a, GST_SECOND + HOP, 4 * GST_SECOND, TRUE);
  for (i = 41; i < a->len; i++)
    real_after += !GST_BUFFER_FLAG_IS_SET (g_ptr_array_index (a, i),
        GST_BUFFER_FLAG_GAP);
  fail_unless (gaps >= 28, "only %u GAP frames in a 3 s stall", gaps);
  fail_unless (real_after >= 8, "only %u real frames after it", real_after);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_START_TEST (test_video_stall)
{
  video_stall (FALSE);
  video_stall (TRUE);
}

GST_END_TEST;

/* ---- silence, black, NaN ---------------------------------------------- */

/* Silence is evidence, not missing data: real frames, finite. */
GST_START_TEST (test_audio_silence)
{
  GstHarness *h = audio_chain ();
  GPtrArray *a;

  push_audio (h, 0, 2 * GST_SECOND, TRUE, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 20);
  fail_unless_equals_int (check_frames (a, 0, GST_CLOCK_TIME_NONE, TRUE), 0);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A black (uniform) face region: descriptors that divide by contrast or
 * gradient energy must stay finite. */
GST_START_TEST (test_video_black)
{
  GstHarness *h = video_chain ();
  GPtrArray *a;

  push_video (h, 0, 2 * GST_SECOND, TRUE, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless (a->len >= 19, "%u frames", a->len);
  fail_unless_equals_int (check_frames (a, 0, GST_CLOCK_TIME_NONE, TRUE), 0);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* EOS before a whole window (4 s) and before one hop of video. */
GST_START_TEST (test_eos_before_window)
{
  GstHarness *h = audio_chain ();
  GPtrArray *a;

  push_audio (h, 0, 3 * HOP, FALSE, FALSE);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 3);
  check_frames (a, 0, 0, TRUE);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);

  h = video_chain ();
  push_video (h, 0, 80 * GST_MSECOND, FALSE, FALSE);    /* 2 frames */
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 1);
  check_frames (a, 0, 0, TRUE);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstBuffer *
frame4 (guint k, float bad)
{
  float v[4] = { 0.1f * k, -0.2f, bad, 1.0f };
  GstBuffer *b = gst_buffer_new_allocate (NULL, sizeof (v), NULL);
  gst_buffer_fill (b, 0, v, sizeof (v));
  GST_BUFFER_PTS (b) = k * HOP;
  GST_BUFFER_DURATION (b) = HOP;
  return b;
}

/* NaN / Inf features into emomtl: predictions stay finite. */
GST_START_TEST (test_nan_features_into_model)
{
  gchar *d = g_strdup_printf ("emomtl model=\"%s\"", small_a);
  GstHarness *h = gst_harness_new_parse (d);
  const float bad[] = { NAN, INFINITY, -INFINITY, 3e38f, 0.5f };
  GPtrArray *a;
  guint k;

  g_free (d);
  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (4, 10, 1, "robust-4"));
  for (k = 0; k < 10; k++)
    fail_unless_equals_int (gst_harness_push (h, frame4 (k,
                bad[k % G_N_ELEMENTS (bad)])), GST_FLOW_OK);
  a = pull_all (h);
  fail_unless_equals_int (a->len, 10);
  for (k = 0; k < a->len; k++) {
    GstEmoPredictionMeta *m =
        gst_buffer_get_emo_prediction_meta (g_ptr_array_index (a, k));
    guint j;
    fail_unless (m != NULL);
    for (j = 0; j < m->n_values; j++)
      fail_unless (isfinite (m->values[j]), "frame %u attr %u", k, j);
  }
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A NaN prediction on one pad of emofuse is ignored, not averaged in. */
GST_START_TEST (test_nan_prediction_into_fuse)
{
  GstElement *e = gst_element_factory_make ("emofuse", NULL);
  GstHarness *h0, *h1;
  const gchar *names[] = { "arousal", "valence", NULL };
  guint k;

  gst_util_set_object_arg (G_OBJECT (e), "mode", "mean");
  h0 = gst_harness_new_with_element (e, "sink_0", "src");
  h1 = gst_harness_new_with_element (e, "sink_1", NULL);
  gst_harness_set_src_caps (h0, gst_emo_frames_caps_new (4, 10, 1, "r"));
  gst_harness_set_src_caps (h1, gst_emo_frames_caps_new (4, 10, 1, "r"));
  for (k = 0; k < 5; k++) {
    float good[] = { 0.5f, -0.25f }, nan[] = { NAN, INFINITY };
    GstBuffer *b0 = frame4 (k, 0), *b1 = frame4 (k, 0);
    gst_buffer_add_emo_prediction_meta (b0, "a", 1, 2, names, good, NULL);
    gst_buffer_add_emo_prediction_meta (b1, "b", 1, 2, names, nan, NULL);
    fail_unless_equals_int (gst_harness_push (h0, b0), GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h1, b1), GST_FLOW_OK);
  }
  gst_harness_push_event (h0, gst_event_new_eos ());
  gst_harness_push_event (h1, gst_event_new_eos ());
  for (k = 0; k < 5; k++) {
    GstBuffer *b = gst_harness_pull (h0);
    GstEmoPredictionMeta *m = gst_buffer_get_emo_prediction_meta (b);
    gfloat v = 0;
    fail_unless (m != NULL);
    fail_unless (gst_emo_prediction_meta_lookup (m, "arousal", &v));
    fail_unless (fabs (v - 0.5) < 1e-6, "arousal %g", v);
    fail_unless (gst_emo_prediction_meta_lookup (m, "valence", &v));
    fail_unless (fabs (v + 0.25) < 1e-6, "valence %g", v);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h1);
  gst_harness_teardown (h0);
  gst_object_unref (e);
}

GST_END_TEST;

/* ---- model property and states ---------------------------------------- */

static GstMessage *
pop_warning (GstBus * bus)
{
  return gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_WARNING);
}

static void
check_refused (GstElement * e, const gchar * keep, const gchar * factory)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gchar *dbg = NULL, *now = NULL;

  gst_element_set_bus (e, bus);
  g_object_set (e, "model", "/nonexistent/other.emo", NULL);
  m = pop_warning (bus);
  fail_unless (m != NULL, "%s: no warning for a model change in PLAYING",
      factory);
  gst_message_parse_warning (m, &err, &dbg);
  g_print ("%s in PLAYING: warning \"%s\" (%s)\n", factory, err->message, dbg);
  fail_unless (strstr (err->message, "model") != NULL);
  fail_unless (strstr (dbg, "/nonexistent/other.emo") != NULL);
  fail_unless (strstr (dbg, "PLAYING") != NULL);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (m);
  g_object_get (e, "model", &now, NULL);
  fail_unless (g_strcmp0 (now, keep) == 0, "model now %s", now);
  g_free (now);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
}

GST_START_TEST (test_mtl_model_property_states)
{
  GstElement *e = gst_element_factory_make ("emomtl", NULL);
  GstHarness *h;
  GstBus *bus = gst_bus_new ();
  GstBuffer *b;
  GstEmoPredictionMeta *m;
  gchar *now = NULL;

  g_object_set (e, "model", small_a, NULL);
  /* READY: accepted, no warning, and the new model is the one that runs */
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_set (e, "model", small_b, NULL);
  fail_unless (pop_warning (bus) == NULL);
  g_object_get (e, "model", &now, NULL);
  fail_unless_equals_string (now, small_b);
  g_free (now);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);

  h = gst_harness_new_with_element (e, "sink", "src");
  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (4, 10, 1, "robust-4"));
  b = gst_harness_push_and_pull (h, frame4 (0, 0.5f));
  m = gst_buffer_get_emo_prediction_meta (b);
  fail_unless (m != NULL);
  fail_unless (strstr (m->source, "input-small-b") != NULL, "source %s",
      m->source);
  gst_buffer_unref (b);

  /* PLAYING: refused with a warning, the running model stays */
  check_refused (e, small_b, "emomtl");
  b = gst_harness_push_and_pull (h, frame4 (1, 0.5f));
  m = gst_buffer_get_emo_prediction_meta (b);
  fail_unless (strstr (m->source, "input-small-b") != NULL);
  gst_buffer_unref (b);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_fuse_model_property_states)
{
  GstElement *e = gst_element_factory_make ("emofuse", NULL);
  GstHarness *h0;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *now = NULL;

  /* READY: accepted; the (missing) file is what the element then loads */
  gst_util_set_object_arg (G_OBJECT (e), "mode", "model");
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_set (e, "model", "/nonexistent/ready.emo", NULL);
  fail_unless (pop_warning (bus) == NULL);
  g_object_get (e, "model", &now, NULL);
  fail_unless_equals_string (now, "/nonexistent/ready.emo");
  g_free (now);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "ready.emo") != NULL ||
      strstr (err->message, "model") != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);

  /* PLAYING (mean mode): refused with a warning */
  gst_util_set_object_arg (G_OBJECT (e), "mode", "mean");
  g_object_set (e, "model", NULL, NULL);
  h0 = gst_harness_new_with_element (e, "sink_0", "src");
  fail_unless_equals_int (GST_STATE (e), GST_STATE_PLAYING);
  check_refused (e, NULL, "emofuse");
  gst_harness_teardown (h0);
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
robust_input_suite (void)
{
  Suite *s = suite_create ("robust-input");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, models_setup, models_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_audio_stall);
  tcase_add_test (tc, test_video_stall);
  tcase_add_test (tc, test_audio_silence);
  tcase_add_test (tc, test_video_black);
  tcase_add_test (tc, test_eos_before_window);
  tcase_add_test (tc, test_nan_features_into_model);
  tcase_add_test (tc, test_nan_prediction_into_fuse);
  tcase_add_test (tc, test_mtl_model_property_states);
  tcase_add_test (tc, test_fuse_model_property_states);
  return s;
}

GST_CHECK_MAIN (robust_input);
