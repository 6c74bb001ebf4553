/* emoparse: AVEC CSV in, frames on the hop grid out (features or predictions),
 * gaps filled with GAP frames, clear errors on bad input. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/emo/gstemo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static GstHarness *
run (const gchar * desc, const gchar * csv, GstFlowReturn * eos_ok)
{
  GstHarness *h = gst_harness_new_parse (desc);
  GstBuffer *b = gst_buffer_new_memdup (csv, strlen (csv));

  gst_harness_set_src_caps_str (h, "text/csv");
  /* split in two pushes to check accumulation */
  if (strlen (csv) > 10) {
    GstBuffer *b2 =
        gst_buffer_copy_region (b, GST_BUFFER_COPY_ALL, 10, strlen (csv) - 10);
    GstBuffer *b1 = gst_buffer_copy_region (b, GST_BUFFER_COPY_ALL, 0, 10);
    gst_buffer_unref (b);
    fail_unless_equals_int (gst_harness_push (h, b1), GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h, b2), GST_FLOW_OK);
  } else {
    gst_harness_push (h, b);
  }
  *eos_ok =
      gst_harness_push_event (h,
      gst_event_new_eos ())? GST_FLOW_OK : GST_FLOW_ERROR;
  return h;
}

GST_START_TEST (test_predictions_with_gap)
{
  const gchar *csv = "name;timestamp;arousal;valence;liking\n"
      "'X';0.000000;0.1;0.2;0.3\n'X';0.100000;0.4;0.5;0.6\n'X';0.400000;0.7;0.8;0.9\n";
  GstFlowReturn r;
  GstHarness *h = run ("emoparse content=predictions source=svr", csv, &r);
  GstBuffer *b;
  GstEmoPredictionMeta *m;
  GstEmoFramesInfo info;
  GstCaps *caps;
  guint i;

  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 5);
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_emo_frames_info_init (&info);
  fail_unless (gst_emo_frames_info_from_caps (&info, caps));
  fail_unless_equals_int (info.dims, 3);
  fail_unless_equals_string (info.layout, "predictions");
  gst_caps_unref (caps);
  gst_emo_frames_info_clear (&info);
  for (i = 0; i < 5; i++) {
    b = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 100 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), 100 * GST_MSECOND);
    m = gst_buffer_get_emo_prediction_meta (b);
    if (i == 2 || i == 3) {
      fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
      fail_unless (m == NULL);
    } else {
      fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
      fail_unless (m != NULL);
      fail_unless_equals_string (m->source, "svr");
      fail_unless_equals_string (m->names[2], "liking");
    }
    if (i == 4)
      fail_unless_equals_float (m->values[1], 0.8f);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_features_columns)
{
  const gchar *csv = "name;frameTime;a;b;c\n'X';0.0;1;2;3\n'X';0.1;4;5;6\n";
  GstFlowReturn r;
  GstHarness *h = run ("emoparse columns=c,a layout=my-feat", csv, &r);
  GstBuffer *b;
  GstEvent *ev;
  gfloat v[2];
  gchar **names;
  guint n;

  b = gst_harness_pull (h);
  gst_buffer_extract (b, 0, v, sizeof (v));
  fail_unless_equals_float (v[0], 3.0f);
  fail_unless_equals_float (v[1], 1.0f);
  fail_unless (gst_buffer_get_emo_prediction_meta (b) == NULL);
  gst_buffer_unref (b);
  /* feature names event reached downstream */
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_CUSTOM_DOWNSTREAM_STICKY,
      0);
  fail_unless (ev != NULL);
  fail_unless (gst_emo_event_parse_feature_names (ev, &names, &n));
  fail_unless_equals_int (n, 2);
  fail_unless_equals_string (names[0], "c");
  g_strfreev (names);
  gst_event_unref (ev);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_errors)
{
  GstFlowReturn r;
  GstHarness *h;

  /* ragged CSV: an element error, no frames */
  h = run ("emoparse", "name;timestamp;a\n'X';0;1\n'X';0.1;1;2\n", &r);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);

  h = run ("emoparse columns=nope", "name;timestamp;a\n'X';0;1\n", &r);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Careless CSV as pandas and spreadsheets write it: numeric session names,
 * a byte order mark; and times that cannot be placed on the grid. */
GST_START_TEST (test_careless_csv)
{
  GString *csv = g_string_new ("name;timestamp;arousal;valence\n");
  GstFlowReturn r;
  GstHarness *h;
  GstBuffer *b;
  GstEmoPredictionMeta *m;
  gfloat v;
  guint i;

  /* session "7" (pandas writes names unquoted): 50 rows, 50 frames */
  for (i = 0; i < 50; i++)
    g_string_append_printf (csv, "7;%.1f;%.2f;0\n", i * 0.1, i / 100.0);
  h = run ("emoparse content=predictions", csv->str, &r);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 50);
  for (i = 0; i < 50; i++) {
    b = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 100 * GST_MSECOND);
    m = gst_buffer_get_emo_prediction_meta (b);
    fail_unless (gst_emo_prediction_meta_lookup (m, "arousal", &v));
    fail_unless (fabsf (v - i / 100.0f) < 1e-6f);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);

  /* a UTF-8 byte order mark before the header */
  h = run ("emoparse content=predictions",
      "\xef\xbb\xbfname;timestamp;arousal\n'x';0.0;0.5\n'x';0.1;0.25\n", &r);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  b = gst_harness_pull (h);
  m = gst_buffer_get_emo_prediction_meta (b);
  fail_unless (gst_emo_prediction_meta_lookup (m, "arousal", &v));
  fail_unless_equals_float (v, 0.5f);
  gst_buffer_unref (b);
  gst_harness_teardown (h);

  /* milliseconds: 30 rows, refused (were 29,001 frames, mostly GAP) */
  g_string_assign (csv, "name;timestamp;arousal\n");
  for (i = 0; i < 30; i++)
    g_string_append_printf (csv, "x;%u;0.1\n", i * 100);
  h = run ("emoparse content=predictions", csv->str, &r);
  fail_unless_equals_int (r, GST_FLOW_ERROR);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);

  /* backwards, off the grid, absurd: refused, no frames */
  {
    const gchar *bad[] = {
      "name;timestamp;a\nx;0.0;1\nx;0.2;1\nx;0.1;1\n",
      "name;timestamp;a\nx;0.0;1\nx;0.13;1\n",
      "name;timestamp;a\nx;1e12;1\n",
      "name;timestamp;a\nx;0;1\nx;1e300;1\n",
    };
    for (i = 0; i < G_N_ELEMENTS (bad); i++) {
      h = run ("emoparse", bad[i], &r);
      fail_unless_equals_int (r, GST_FLOW_ERROR);
      fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
      gst_harness_teardown (h);
    }
  }
  g_string_free (csv, TRUE);
}

GST_END_TEST;

/* The error names the file and the line. */
GST_START_TEST (test_error_names_file_and_line)
{
  gchar *path = g_strdup_printf ("%s/emo-parse-back-%u.csv", g_get_tmp_dir (),
      (guint) getpid ());
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! emoparse "
      "! fakesink", path), *where;
  GstElement *p;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  fail_unless (g_file_set_contents (path,
          "name;timestamp;a\nx;0.0;1\nx;0.2;1\nx;0.1;1\n", -1, NULL));
  p = gst_parse_launch (desc, NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &dbg);
  where = g_strdup_printf ("%s:4:", path);
  fail_unless (dbg && strstr (dbg, where), "%s", dbg);
  fail_unless (strstr (dbg, "before"), "%s", dbg);
  g_free (where);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_unlink (path);
  g_free (path);
  g_free (desc);
}

GST_END_TEST;

static Suite *
emoparse_suite (void)
{
  Suite *s = suite_create ("emoparse");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_predictions_with_gap);
  tcase_add_test (tc, test_features_columns);
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_careless_csv);
  tcase_add_test (tc, test_error_names_file_and_line);
  return s;
}

GST_CHECK_MAIN (emoparse);
