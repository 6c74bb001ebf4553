/* emoexport: CSV / JSON lines / WebVTT output checked line by line. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/emo/gstemo.h>
#include <string.h>
#include <json-glib/json-glib.h>

static const gchar *attrs[] = { "arousal", "valence", "liking" };

static GstBuffer *
frame (guint k, gfloat f0, gfloat f1, gboolean pred, gfloat a)
{
  gfloat v[2] = { f0, f1 };
  gfloat p[3] = { a, -a, 0.5f };
  GstBuffer *b = gst_buffer_new_allocate (NULL, sizeof (v), NULL);

  gst_buffer_fill (b, 0, v, sizeof (v));
  GST_BUFFER_PTS (b) = k * 100 * GST_MSECOND;
  GST_BUFFER_DURATION (b) = 100 * GST_MSECOND;
  if (pred)
    gst_buffer_add_emo_prediction_meta (b, "test", 1, 3, attrs, p, NULL);
  return b;
}

static GstHarness *
setup (const gchar * desc)
{
  GstHarness *h = gst_harness_new_parse (desc);
  const gchar *names[] = { "F0", "loud" };

  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (2, 10, 1, "test"));
  gst_harness_push_event (h, gst_emo_event_new_feature_names (names, 2));
  return h;
}

static gchar *
pull_all (GstHarness * h)
{
  GString *s = g_string_new (NULL);
  GstBuffer *b;

  while ((b = gst_harness_try_pull (h))) {
    GstMapInfo m;
    gst_buffer_map (b, &m, GST_MAP_READ);
    g_string_append_len (s, (const gchar *) m.data, m.size);
    gst_buffer_unmap (b, &m);
    gst_buffer_unref (b);
  }
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_csv)
{
  GstHarness *h = setup ("emoexport format=csv precision=4 name-column=rec1");
  gchar *out, **lines;
  GstCaps *caps;

  fail_unless_equals_int (gst_harness_push (h, frame (0, 1.5f, 2.0f, TRUE,
              0.25f)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, frame (1, 3.0f, NAN, FALSE, 0)),
      GST_FLOW_OK);
  out = pull_all (h);
  lines = g_strsplit (out, "\n", -1);
  fail_unless_equals_string (lines[0],
      "name;timestamp;F0;loud;arousal;valence;liking");
  fail_unless_equals_string (lines[1], "'rec1';0.000000;1.5;2;0.25;-0.25;0.5");
  fail_unless_equals_string (lines[2], "'rec1';0.100000;3;nan;nan;nan;nan");
  fail_unless_equals_string (lines[3], "");
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          "text/x-raw"));
  gst_caps_unref (caps);
  g_strfreev (lines);
  g_free (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_jsonl)
{
  GstHarness *h = setup ("emoexport format=jsonl");
  gchar *out, **lines;
  JsonParser *p = json_parser_new ();
  JsonObject *o, *pred;
  GstBuffer *b = frame (2, 1.0f, INFINITY, TRUE, 0.5f);

  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_GAP);
  gst_harness_push (h, b);
  out = pull_all (h);
  lines = g_strsplit (out, "\n", -1);
  fail_unless (json_parser_load_from_data (p, lines[0], -1, NULL));
  o = json_node_get_object (json_parser_get_root (p));
  fail_unless_equals_float (json_object_get_double_member (o, "t"), 0.2);
  fail_unless (json_object_get_boolean_member (o, "gap"));
  fail_unless (json_node_is_null (json_array_get_element
          (json_object_get_array_member (o, "features"), 1)));
  pred = json_object_get_object_member (o, "prediction");
  fail_unless_equals_float (json_object_get_double_member (pred, "arousal"),
      0.5);
  fail_unless_equals_string (json_object_get_string_member (pred, "source"),
      "test");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (o, "predictions")), 1);
  fail_unless_equals_string (lines[1], "");
  g_strfreev (lines);
  g_free (out);
  g_object_unref (p);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_webvtt)
{
  GstHarness *h = setup ("emoexport format=webvtt");
  gchar *out;

  gst_harness_push (h, frame (0, 0, 0, TRUE, 0.25f));
  gst_harness_push (h, frame (1, 0, 0, TRUE, 0.25f));
  gst_harness_push (h, frame (2, 0, 0, FALSE, 0));
  gst_harness_push (h, frame (36000, 0, 0, TRUE, -1.0f));
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_all (h);
  fail_unless_equals_string (out, "WEBVTT\n\n"
      "00:00:00.000 --> 00:00:00.100\narousal +0.25  valence -0.25  liking +0.50\n\n"
      "00:00:00.100 --> 00:00:00.200\narousal +0.25  valence -0.25  liking +0.50\n\n"
      "01:00:00.000 --> 01:00:00.100\narousal -1.00  valence +1.00  liking +0.50\n\n");
  g_free (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_webvtt_merge)
{
  GstHarness *h = setup ("emoexport format=webvtt merge-cues=true");
  gchar *out;

  gst_harness_push (h, frame (0, 0, 0, TRUE, 0.25f));
  gst_harness_push (h, frame (1, 0, 0, TRUE, 0.251f));  /* same rounded text */
  gst_harness_push (h, frame (2, 0, 0, TRUE, 0.5f));
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_all (h);
  fail_unless_equals_string (out, "WEBVTT\n\n"
      "00:00:00.000 --> 00:00:00.200\narousal +0.25  valence -0.25  liking +0.50\n\n"
      "00:00:00.200 --> 00:00:00.300\narousal +0.50  valence -0.50  liking +0.50\n\n");
  g_free (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_wrong_size)
{
  GstHarness *h = setup ("emoexport");
  GstBuffer *b = gst_buffer_new_allocate (NULL, 3, NULL);

  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_ERROR);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_bad_caps)
{
  GstHarness *h = gst_harness_new ("emoexport");
  GstCaps *c = gst_caps_from_string ("audio/x-raw");
  /* caps the template refuses: negotiation must fail, nothing crashes */
  fail_if (gst_pad_peer_query_accept_caps (h->srcpad, c));
  gst_caps_unref (c);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
emoexport_suite (void)
{
  Suite *s = suite_create ("emoexport");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_csv);
  tcase_add_test (tc, test_jsonl);
  tcase_add_test (tc, test_webvtt);
  tcase_add_test (tc, test_webvtt_merge);
  tcase_add_test (tc, test_wrong_size);
  tcase_add_test (tc, test_bad_caps);
  return s;
}

GST_CHECK_MAIN (emoexport);
