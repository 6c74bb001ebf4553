/* emoaudiofeat: caps, timestamps, chunking, gaps, flushes, bad input. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/emo/gstemo.h>
#include <math.h>
#include <string.h>

#define RATE 16000

static gfloat *
sine (guint rate, gdouble secs, gdouble f, gdouble amp)
{
  gsize n = (gsize) (rate * secs), i;
  gfloat *x = g_new (gfloat, n);
  for (i = 0; i < n; i++)
    x[i] = (gfloat) (amp * sin (2 * G_PI * f * i / rate));
  return x;
}

static GstHarness *
make (const gchar * props, const gchar * caps)
{
  gchar *desc = g_strdup_printf ("emoaudiofeat %s", props ? props : "");
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

/* Pushes @n frames of @bpf bytes starting at @pts in buffers of @chunk frames. */
static void
push_audio (GstHarness * h, const void *data, gsize n, guint bpf, guint rate,
    GstClockTime pts, gsize chunk)
{
  gsize off = 0;
  while (off < n) {
    gsize m = MIN (chunk, n - off);
    GstBuffer *b =
        gst_buffer_new_memdup ((const guint8 *) data + off * bpf, m * bpf);
    GST_BUFFER_PTS (b) = pts + gst_util_uint64_scale (off, GST_SECOND, rate);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale (m, GST_SECOND, rate);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
    off += m;
  }
}

static GPtrArray *
pull_all (GstHarness * h)
{
  GPtrArray *a =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *b;
  while ((b = gst_harness_try_pull (h)))
    g_ptr_array_add (a, b);
  return a;
}

static gfloat
value (GstBuffer * b, guint i)
{
  gfloat v;
  fail_unless (gst_buffer_extract (b, i * 4, &v, 4) == 4);
  return v;
}

static void
assert_finite (GPtrArray * a)
{
  guint i, j;
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    for (j = 0; j < gst_buffer_get_size (b) / 4; j++)
      fail_unless (isfinite (value (b, j)), "frame %u value %u not finite", i,
          j);
  }
}

static GPtrArray *
run_f32 (const gchar * props, const gfloat * x, gsize n, gsize chunk)
{
  GstHarness *h = make (props,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;
  push_audio (h, x, n, 4, RATE, 0, chunk);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  gst_harness_teardown (h);
  return a;
}

GST_START_TEST (test_basic)
{
  gfloat *x = sine (RATE, 2.0, 220, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;
  GstCaps *caps;
  GstEmoFramesInfo info;
  GstEvent *ev;
  gchar **names;
  guint n_names, i;

  push_audio (h, x, 2 * RATE, 4, RATE, 0, 1000);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 20);
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 100 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), 100 * GST_MSECOND);
    fail_unless_equals_int (gst_buffer_get_size (b), 88 * 4);
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    if (i >= 2)                 /* F0 mean in semitones from 27.5 Hz: 220 Hz = 36 */
      fail_unless (fabsf (value (b, 0) - 36.0f) < 0.5f, "frame %u F0 %f", i,
          value (b, 0));
    {
      GstCustomMeta *m = gst_buffer_get_custom_meta (b, "GstEmoVoicingMeta");
      gfloat vf = -1;
      fail_unless (m != NULL);
      fail_unless (gst_structure_get (gst_custom_meta_get_structure (m),
              "voiced-fraction", G_TYPE_FLOAT, &vf, NULL));
      fail_unless (vf > 0.9f && vf <= 1.0f, "voiced fraction %f", vf);
    }
  }
  assert_finite (a);
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_emo_frames_info_init (&info);
  fail_unless (gst_emo_frames_info_from_caps (&info, caps));
  fail_unless_equals_int (info.dims, 88);
  fail_unless_equals_string (info.layout, "egemaps-v02-func");
  fail_unless_equals_uint64 (info.hop, 100 * GST_MSECOND);
  gst_emo_frames_info_clear (&info);
  gst_caps_unref (caps);
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_CUSTOM_DOWNSTREAM_STICKY,
      0);
  fail_unless (ev != NULL);
  fail_unless (gst_emo_event_parse_feature_names (ev, &names, &n_names));
  fail_unless_equals_int (n_names, 88);
  fail_unless_equals_string (names[0], "F0semitoneFrom27.5Hz_sma3nz_amean");
  fail_unless_equals_string (names[87], "equivalentSoundLevel_dBp");
  g_strfreev (names);
  gst_event_unref (ev);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

static void
assert_same (GPtrArray * a, GPtrArray * b)
{
  guint i;
  fail_unless_equals_int (a->len, b->len);
  for (i = 0; i < a->len; i++) {
    GstBuffer *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);
    GstMapInfo mx, my;
    fail_unless_equals_uint64 (GST_BUFFER_PTS (x), GST_BUFFER_PTS (y));
    gst_buffer_map (x, &mx, GST_MAP_READ);
    gst_buffer_map (y, &my, GST_MAP_READ);
    fail_unless_equals_int (mx.size, my.size);
    fail_unless (memcmp (mx.data, my.data, mx.size) == 0, "frame %u differs",
        i);
    gst_buffer_unmap (x, &mx);
    gst_buffer_unmap (y, &my);
  }
}

GST_START_TEST (test_buffer_sizes)
{
  gfloat *x = sine (RATE, 0.7, 150, 0.5);
  gsize n = (gsize) (0.7 * RATE);
  GPtrArray *a = run_f32 (NULL, x, n, n), *b = run_f32 (NULL, x, n, 37), *c =
      run_f32 (NULL, x, n, 1);

  fail_unless_equals_int (a->len, 7);
  assert_same (a, b);
  assert_same (a, c);
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);
  g_ptr_array_unref (c);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_s16_stereo_downmix)
{
  gsize n = RATE, i;
  gint16 *mono = g_new (gint16, n), *st = g_new (gint16, 2 * n);
  GstHarness *h;
  GPtrArray *a, *b;

  for (i = 0; i < n; i++) {
    mono[i] = (gint16) (8000 * sin (2 * G_PI * 180 * i / RATE));
    st[2 * i] = st[2 * i + 1] = mono[i];
  }
  h = make (NULL,
      "audio/x-raw,format=S16LE,rate=16000,channels=1,layout=interleaved");
  push_audio (h, mono, n, 2, RATE, 0, 512);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  gst_harness_teardown (h);
  h = make (NULL,
      "audio/x-raw,format=S16LE,rate=16000,channels=2,layout=interleaved");
  push_audio (h, st, n, 4, RATE, 0, 700);
  gst_harness_push_event (h, gst_event_new_eos ());
  b = pull_all (h);
  gst_harness_teardown (h);
  fail_unless_equals_int (a->len, 10);
  assert_same (a, b);
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);
  g_free (mono);
  g_free (st);
}

GST_END_TEST;

GST_START_TEST (test_low_rate_refused)
{
  GstHarness *h = gst_harness_new ("emoaudiofeat");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;
  gfloat z[160] = { 0 };
  GstBuffer *b;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h,
      "audio/x-raw,format=F32LE,rate=8000,channels=1,layout=interleaved");
  b = gst_buffer_new_memdup (z, sizeof (z));
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_NOT_NEGOTIATED);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (strstr (err->message, "audioresample") != NULL, "%s",
      err->message);
  fail_unless (strstr (err->message, "8000") != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nan_inf_and_short)
{
  gsize n = RATE / 2, i;
  gfloat *x = sine (RATE, 0.5, 200, 0.3);
  GPtrArray *a;

  for (i = 0; i < n; i += 5)
    x[i] = i % 2 ? NAN : (i % 3 ? INFINITY : -INFINITY);
  a = run_f32 (NULL, x, n, 333);
  fail_unless_equals_int (a->len, 5);
  assert_finite (a);
  g_ptr_array_unref (a);
  /* EOS long before one window (4 s) and before one hop: defined frames */
  a = run_f32 (NULL, x, 4000, 4000);
  fail_unless_equals_int (a->len, 3);
  assert_finite (a);
  g_ptr_array_unref (a);
  /* openSMILE analyses no frame of a stream under 50 ms: nothing out */
  a = run_f32 (NULL, x, 1, 1);
  fail_unless_equals_int (a->len, 0);
  g_ptr_array_unref (a);
  a = run_f32 ("feature-set=emo-acoustic-v1-functionals", x, 1, 1);
  fail_unless_equals_int (a->len, 1);
  assert_finite (a);
  g_ptr_array_unref (a);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_discont_gap)
{
  gfloat *x = sine (RATE, 1.0, 200, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;
  guint i;

  push_audio (h, x, RATE, 4, RATE, 0, 1600);
  push_audio (h, x, RATE, 4, RATE, 2 * GST_SECOND, 1600);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 30);
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 100 * GST_MSECOND);
    fail_unless_equals_int (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP),
        i >= 10 && i < 20);
    if (i >= 10 && i < 20)
      fail_unless (value (b, 0) == 0 && value (b, 87) == 0);
  }
  assert_finite (a);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_gap_event)
{
  gfloat *x = sine (RATE, 0.5, 200, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;
  guint i;

  push_audio (h, x, RATE / 2, 4, RATE, 0, 800);
  gst_harness_push_event (h, gst_event_new_gap (500 * GST_MSECOND,
          500 * GST_MSECOND));
  push_audio (h, x, RATE / 2, 4, RATE, GST_SECOND, 800);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 15);
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 100 * GST_MSECOND);
    fail_unless_equals_int (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP),
        i >= 5 && i < 10);
  }
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_flush_resets)
{
  gfloat *x = sine (RATE, 1.0, 200, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a, *ref;
  GstSegment seg;

  ref = run_f32 (NULL, x, RATE, 1600);
  push_audio (h, x, RATE / 2, 4, RATE, 0, 1600);
  a = pull_all (h);
  g_ptr_array_unref (a);
  gst_harness_push_event (h, gst_event_new_flush_start ());
  gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_segment (&seg));
  push_audio (h, x, RATE, 4, RATE, 0, 1600);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  /* after the flush the stream starts again: same frames as a fresh run */
  assert_same (a, ref);
  g_ptr_array_unref (a);
  g_ptr_array_unref (ref);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_latency)
{
  GstHarness *h = make ("hop=200000000",
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GstClockTime lat = gst_harness_query_latency (h);

  /* hop + openSMILE's pitch smoother (up to 40 frames) + the 60 ms frame */
  fail_unless_equals_uint64 (lat, 200 * GST_MSECOND + 460 * GST_MSECOND);
  gst_harness_teardown (h);
  h = make ("hop=200000000 low-latency=true",
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  lat = gst_harness_query_latency (h);
  fail_unless_equals_uint64 (lat, 200 * GST_MSECOND + 80 * GST_MSECOND);
  gst_harness_teardown (h);
  h = make ("hop=200000000 feature-set=emo-acoustic-v1-functionals",
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  lat = gst_harness_query_latency (h);
  fail_unless_equals_uint64 (lat, 200 * GST_MSECOND + 80 * GST_MSECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_feature_sets)
{
  gfloat *x = sine (RATE, 1.0, 200, 0.3);
  GPtrArray *a;
  guint i;

  /* openSMILE's frames: (16000 + 160 - 960) / 160 + 1 = 96 in one second */
  a = run_f32 ("feature-set=egemaps-lld hop=10000000", x, RATE, 1024);
  fail_unless_equals_int (a->len, 96);
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    fail_unless_equals_int (gst_buffer_get_size (b), 25 * 4);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 10 * GST_MSECOND);
  }
  assert_finite (a);
  g_ptr_array_unref (a);
  a = run_f32
      ("feature-set=egemaps-lld-meanstd window=1000000000 hop=250000000", x,
      RATE, 1024);
  fail_unless_equals_int (a->len, 4);
  fail_unless_equals_int (gst_buffer_get_size (g_ptr_array_index (a, 0)),
      50 * 4);
  /* F0 mean over voiced frames, index 2*10 */
  fail_unless (fabsf (value (g_ptr_array_index (a, 3),
              20) - 12 * log2f (200 / 27.5f)) < 0.5f);
  assert_finite (a);
  g_ptr_array_unref (a);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_rate_change)
{
  gfloat *x = sine (RATE, 0.5, 200, 0.3), *y = sine (44100, 0.5, 200, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;

  push_audio (h, x, RATE / 2, 4, RATE, 0, 1000);
  gst_harness_set_src_caps_str (h,
      "audio/x-raw,format=F32LE,rate=44100,channels=1,layout=interleaved");
  push_audio (h, y, 22050, 4, 44100, 500 * GST_MSECOND, 1000);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  fail_unless_equals_int (a->len, 10);
  assert_finite (a);
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
  g_free (x);
  g_free (y);
}

GST_END_TEST;

/* A stream starting off the grid (after a seek, say) anchors at the next
 * grid point: frames keep PTS k*hop on the running-time grid. */
GST_START_TEST (test_offgrid_start)
{
  gfloat *x = sine (RATE, 1.0, 200, 0.3);
  GstHarness *h = make (NULL,
      "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved");
  GPtrArray *a;
  guint i;

  push_audio (h, x, RATE, 4, RATE, 1234 * GST_MSECOND, 700);
  gst_harness_push_event (h, gst_event_new_eos ());
  a = pull_all (h);
  /* samples from 1.3 s to 2.234 s: 89 LLD frames (openSMILE's last one
   * starts 50 ms before the end), in frames 13..21 */
  fail_unless_equals_int (a->len, 9);
  for (i = 0; i < a->len; i++) {
    GstBuffer *b = g_ptr_array_index (a, i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b),
        (13 + i) * 100 * GST_MSECOND);
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
  }
  g_ptr_array_unref (a);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

static Suite *
emoaudiofeat_suite (void)
{
  Suite *s = suite_create ("emoaudiofeat");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_basic);
  tcase_add_test (tc, test_buffer_sizes);
  tcase_add_test (tc, test_s16_stereo_downmix);
  tcase_add_test (tc, test_low_rate_refused);
  tcase_add_test (tc, test_nan_inf_and_short);
  tcase_add_test (tc, test_discont_gap);
  tcase_add_test (tc, test_gap_event);
  tcase_add_test (tc, test_flush_resets);
  tcase_add_test (tc, test_latency);
  tcase_add_test (tc, test_feature_sets);
  tcase_add_test (tc, test_rate_change);
  tcase_add_test (tc, test_offgrid_start);
  return s;
}

GST_CHECK_MAIN (emoaudiofeat);
