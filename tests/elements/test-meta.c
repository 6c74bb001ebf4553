/* GstEmoPredictionMeta: add/get/iterate, newest wins, survives copies and
 * a GstBaseTransform in passthrough and in-place; caps helpers; feature-name event. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/emo/gstemo.h>

static const gchar *names3[] = { "arousal", "valence", "liking" };

GST_START_TEST (test_add_get_order)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 8, NULL);
  gfloat v1[3] = { 0.1f, 0.2f, 0.3f }, v2[2] = { -0.5f, 0.5f }, conf[2] =
      { 0.9f, 0.8f };
  GstEmoPredictionMeta *m, *a, *c;
  gfloat x;

  fail_unless (gst_buffer_get_emo_prediction_meta (b) == NULL);
  a = gst_buffer_add_emo_prediction_meta (b, "audio-mtl", 1, 3, names3, v1,
      NULL);
  fail_unless (a != NULL);
  c = gst_buffer_add_emo_prediction_meta (b, "emofuse", 2, 2, names3, v2, conf);
  fail_unless_equals_int (gst_buffer_get_n_emo_prediction_metas (b), 2);
  m = gst_buffer_get_emo_prediction_meta (b);
  fail_unless (m == c);
  fail_unless_equals_string (m->source, "emofuse");
  fail_unless_equals_int (m->order, 1);
  fail_unless (gst_emo_prediction_meta_lookup (m, "valence", &x));
  fail_unless_equals_float (x, 0.5f);
  fail_if (gst_emo_prediction_meta_lookup (m, "liking", &x));
  fail_unless_equals_float (gst_emo_prediction_meta_get_confidence (m, 1),
      0.8f);
  fail_unless_equals_float (gst_emo_prediction_meta_get_confidence (a, 1),
      -1.0f);
  fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
          "audio-mtl") == a);
  fail_unless (gst_buffer_get_emo_prediction_meta_nth (b, 0) == a);
  fail_unless (isnan (gst_emo_prediction_meta_get_value (a, 3)));
  gst_buffer_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_copy_keeps)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 8, NULL), *c;
  gfloat v1[3] = { 0.1f, 0.2f, 0.3f }, v2[3] = { 1, 2, 3 };
  GstEmoPredictionMeta *m;

  gst_buffer_add_emo_prediction_meta (b, "a", 1, 3, names3, v1, NULL);
  gst_buffer_add_emo_prediction_meta (b, "b", 2, 3, names3, v2, NULL);
  c = gst_buffer_copy (b);
  gst_buffer_unref (b);
  fail_unless_equals_int (gst_buffer_get_n_emo_prediction_metas (c), 2);
  m = gst_buffer_get_emo_prediction_meta (c);
  fail_unless_equals_string (m->source, "b");
  fail_unless_equals_float (m->values[2], 3.0f);
  fail_unless_equals_string (m->names[0], "arousal");
  /* a region copy keeps it too: the meta is pure content */
  b = gst_buffer_copy_region (c, GST_BUFFER_COPY_ALL, 0, 4);
  fail_unless_equals_int (gst_buffer_get_n_emo_prediction_metas (b), 2);
  gst_buffer_unref (b);
  gst_buffer_unref (c);
}

GST_END_TEST;

GST_START_TEST (test_through_identity)
{
  GstHarness *h = gst_harness_new_parse ("identity ! queue");
  GstBuffer *b = gst_buffer_new_allocate (NULL, 12, NULL), *out;
  gfloat v[3] = { 0.25f, -0.25f, 0.0f };

  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (3, 10, 1, "test"));
  gst_buffer_add_emo_prediction_meta (b, "x", 1, 3, names3, v, NULL);
  out = gst_harness_push_and_pull (h, b);
  fail_unless (out != NULL);
  fail_unless_equals_float (gst_buffer_get_emo_prediction_meta (out)->values[0],
      0.25f);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_caps_helpers)
{
  GstEmoFramesInfo info, info2;
  GstCaps *caps;

  gst_emo_frames_info_init (&info);
  gst_emo_frames_info_init (&info2);
  caps = gst_emo_frames_caps_new (88, 10, 1, "egemaps-v02");
  fail_unless (gst_emo_frames_info_from_caps (&info, caps));
  fail_unless_equals_int (info.dims, 88);
  fail_unless_equals_uint64 (info.hop, 100 * GST_MSECOND);
  fail_unless_equals_string (info.layout, "egemaps-v02");
  fail_unless_equals_uint64 (gst_emo_frames_index_to_time (&info, 36000),
      3600 * GST_SECOND);
  fail_unless_equals_uint64 (gst_emo_frames_time_to_index (&info,
          3600 * GST_SECOND + 99 * GST_MSECOND), 36000);
  gst_caps_unref (caps);
  caps = gst_emo_frames_info_to_caps (&info);
  fail_unless (gst_emo_frames_info_from_caps (&info2, caps));
  fail_unless (gst_emo_frames_info_is_equal (&info, &info2));
  gst_caps_unref (caps);
  /* invalid: bad layout, zero dims, unfixed */
  caps =
      gst_caps_from_string (GST_EMO_FRAMES_MEDIA_TYPE
      ", dims=(int)3, rate=(fraction)10/1, layout=(string)\"a b\"");
  fail_if (gst_emo_frames_info_from_caps (&info2, caps));
  gst_caps_unref (caps);
  caps =
      gst_caps_from_string (GST_EMO_FRAMES_MEDIA_TYPE
      ", dims=(int)0, rate=(fraction)10/1, layout=x");
  fail_if (gst_emo_frames_info_from_caps (&info2, caps));
  gst_caps_unref (caps);
  caps = gst_caps_from_string (GST_EMO_FRAMES_CAPS_TEMPLATE);
  fail_if (gst_emo_frames_info_from_caps (&info2, caps));
  gst_caps_unref (caps);
  fail_unless (gst_emo_layout_is_valid ("egemaps-v02+vis-v1"));
  fail_if (gst_emo_layout_is_valid (""));
  fail_if (gst_emo_layout_is_valid ("a;b"));
  gst_emo_frames_info_clear (&info);
  gst_emo_frames_info_clear (&info2);
}

GST_END_TEST;

GST_START_TEST (test_feature_names_event)
{
  const gchar *n[] = { "F0_mean", "loudness_mean" };
  GstEvent *e = gst_emo_event_new_feature_names (n, 2);
  gchar **out = NULL;
  guint k = 0;

  fail_unless (GST_EVENT_IS_STICKY (e));
  fail_unless (gst_emo_event_parse_feature_names (e, &out, &k));
  fail_unless_equals_int (k, 2);
  fail_unless_equals_string (out[1], "loudness_mean");
  g_strfreev (out);
  gst_event_unref (e);
  e = gst_event_new_eos ();
  fail_if (gst_emo_event_parse_feature_names (e, &out, &k));
  gst_event_unref (e);
}

GST_END_TEST;

static Suite *
meta_suite (void)
{
  Suite *s = suite_create ("emometa");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_add_get_order);
  tcase_add_test (tc, test_copy_keeps);
  tcase_add_test (tc, test_through_identity);
  tcase_add_test (tc, test_caps_helpers);
  tcase_add_test (tc, test_feature_names_event);
  return s;
}

GST_CHECK_MAIN (meta);
