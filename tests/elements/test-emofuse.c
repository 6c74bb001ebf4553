/* emofuse: late fusion (mean, weighted), early fusion (concat), multistage
 * fusion with a model file; alignment on the hop grid, GAP frames, a pad
 * that ends early, a pad that lags in a live pipeline, mismatched rates,
 * latency, messages. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/check/gsttestclock.h>
#include <gst/emo/gstemo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ml/fuse-model.h"

static const gchar *avl[] = { "arousal", "valence", "liking" };

#define HOP (100 * GST_MSECOND)

static GstBuffer *
pred (guint64 k, const gchar * src, guint n, gfloat a, gfloat v, gfloat l)
{
  gfloat p[3] = { a, v, l };
  GstBuffer *b = gst_buffer_new_allocate (NULL, n * sizeof (gfloat), NULL);

  gst_buffer_fill (b, 0, p, n * sizeof (gfloat));
  GST_BUFFER_PTS (b) = k * HOP;
  GST_BUFFER_DURATION (b) = HOP;
  gst_buffer_add_emo_prediction_meta (b, src, 1, n, avl, p, NULL);
  return b;
}

static GstBuffer *
gap (guint64 k, guint n)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, n * sizeof (gfloat), NULL);
  gst_buffer_memset (b, 0, 0, n * sizeof (gfloat));
  GST_BUFFER_PTS (b) = k * HOP;
  GST_BUFFER_DURATION (b) = HOP;
  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_GAP);
  return b;
}

/* element + one harness per sink pad; h[0] also owns the src pad */
static GstElement *
make (const gchar * props, guint n, GstHarness ** h, guint dims, gint rate)
{
  gchar *desc = g_strdup_printf ("emofuse %s", props);
  GstElement *e = gst_parse_launch (desc, NULL);
  guint i;

  fail_unless (e != NULL);
  g_free (desc);
  for (i = 0; i < n; i++) {
    gchar *pn = g_strdup_printf ("sink_%u", i);
    h[i] = gst_harness_new_with_element (e, pn, i == 0 ? "src" : NULL);
    g_free (pn);
    gst_harness_set_src_caps (h[i], gst_emo_frames_caps_new (dims, rate, 1,
            "predictions"));
  }
  return e;
}

/* Pushes a list of buffers (then EOS) on its own thread: an aggregator pad
 * takes one buffer at a time, so one pad's pushes block until the other
 * pads have delivered. */
typedef struct
{
  GstHarness *h;
  GList *bufs;
} Pusher;

static gpointer
pusher_run (gpointer data)
{
  Pusher *p = data;
  GList *l;
  for (l = p->bufs; l; l = l->next)
    gst_harness_push (p->h, l->data);
  g_list_free (p->bufs);
  gst_harness_push_event (p->h, gst_event_new_eos ());
  g_free (p);
  return NULL;
}

static GThread *
push_async (GstHarness * h, GList * bufs)
{
  Pusher *p = g_new0 (Pusher, 1);
  p->h = h;
  p->bufs = bufs;
  return g_thread_new ("pusher", pusher_run, p);
}

static void
teardown (GstElement * e, GstHarness ** h, guint n)
{
  guint i;
  for (i = n; i > 0; i--)
    gst_harness_teardown (h[i - 1]);
  gst_object_unref (e);
}

static void
values (GstBuffer * b, gfloat * out, guint n)
{
  fail_unless_equals_int (gst_buffer_get_size (b), n * sizeof (gfloat));
  gst_buffer_extract (b, 0, out, n * sizeof (gfloat));
}

/* side information (the face box) on an input frame reaches the fused frame */
GST_START_TEST (test_face_box_carried)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstBuffer *b, *vid = pred (0, "video", 3, 0.4f, 0.0f, 0.2f);
  GstVideoRegionOfInterestMeta *roi;

  gst_buffer_add_video_region_of_interest_meta (vid, "face", 10, 20, 30, 40);
  gst_harness_push (h[0], pred (0, "audio", 3, 0.2f, 0.4f, 0.6f));
  gst_harness_push (h[1], vid);
  b = gst_harness_pull (h[0]);
  roi = gst_buffer_get_video_region_of_interest_meta (b);
  fail_unless (roi != NULL);
  fail_unless_equals_int (roi->roi_type, g_quark_from_string ("face"));
  fail_unless_equals_int (roi->x, 10);
  fail_unless_equals_int (roi->h, 40);
  gst_buffer_unref (b);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_mean)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean post-messages=true", 2, h, 3, 10);
  GstBus *bus = gst_bus_new ();
  GstBuffer *b;
  GstEmoPredictionMeta *m;
  GstMessage *msg;
  const GstStructure *s;
  gfloat v[3];
  gdouble d;

  gst_element_set_bus (e, bus);
  gst_harness_push (h[0], pred (0, "audio", 3, 0.2f, 0.4f, 0.6f));
  gst_harness_push (h[1], pred (0, "video", 3, 0.4f, 0.0f, 0.2f));
  b = gst_harness_pull (h[0]);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 0);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), HOP);
  values (b, v, 3);
  fail_unless_equals_float (v[0], 0.3f);
  fail_unless_equals_float (v[1], 0.2f);
  fail_unless_equals_float (v[2], 0.4f);
  m = gst_buffer_get_emo_prediction_meta (b);
  fail_unless_equals_string (m->source, "emofuse");
  fail_unless_equals_int (m->stage, 2);
  /* the inputs' predictions travel along, older than the fused one */
  fail_unless_equals_int (gst_buffer_get_n_emo_prediction_metas (b), 3);
  fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
          "audio") != NULL);
  fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
          "video") != NULL);
  gst_buffer_unref (b);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "emofuse"));
  fail_unless (gst_structure_get_double (s, "valence", &d));
  fail_unless (fabs (d - 0.2) < 1e-6);
  gst_message_unref (msg);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_weighted_and_missing_attribute)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=weighted weights=\"<3.0, 1.0>\"", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];

  gst_harness_set_src_caps (h[1], gst_emo_frames_caps_new (2, 10, 1,
          "predictions"));
  gst_harness_push (h[0], pred (0, "a", 3, 1.0f, 0.0f, 0.5f));
  /* this input has no liking */
  gst_harness_push (h[1], pred (0, "b", 2, 0.0f, 1.0f, 0.0f));
  b = gst_harness_pull (h[0]);
  values (b, v, 3);
  fail_unless_equals_float (v[0], 0.75f);
  fail_unless_equals_float (v[1], 0.25f);
  /* liking from the only pad that has it */
  fail_unless_equals_float (v[2], 0.5f);
  gst_buffer_unref (b);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_gap_and_alignment)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];
  guint k;

  GList *l0 = NULL, *l1 = NULL;
  GThread *t0, *t1;

  /* pad 1 starts two frames later and its timestamps jitter by 3 ms; its
   * frame 3 is GAP (ignored); pad 0 has a GAP at 4, pad 1 has a hole at 5 */
  for (k = 0; k < 7; k++)
    l0 = g_list_append (l0, k == 4 ? gap (k, 3) : pred (k, "a", 3, k, 0, 0));
  for (k = 2; k < 7; k++) {
    GstBuffer *x;
    if (k == 5)
      continue;
    x = k == 3 ? gap (k, 3) : pred (k, "b", 3, 10 * k, 0, 0);
    GST_BUFFER_PTS (x) += 3 * GST_MSECOND;
    l1 = g_list_append (l1, x);
  }
  t0 = push_async (h[0], l0);
  t1 = push_async (h[1], l1);
  {
    gfloat want[] = { 0, 1, 11, 3, 40, 5, 33 };
    for (k = 0; k < 7; k++) {
      b = gst_harness_pull (h[0]);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (b), k * HOP);
      fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
      values (b, v, 3);
      fail_unless_equals_float (v[0], want[k]);
      gst_buffer_unref (b);
    }
  }
  g_thread_join (t0);
  g_thread_join (t1);
  /* EOS once both ended (the aggregator pushes it on its own thread) */
  {
    GstEvent *ev;
    gboolean eos = FALSE;
    while (!eos && (ev = gst_harness_pull_event (h[0]))) {
      eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
      gst_event_unref (ev);
    }
    fail_unless (eos);
  }
  gst_harness_teardown (h[1]);
  gst_harness_teardown (h[0]);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_all_gap_gives_gap)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];

  gst_harness_push (h[0], pred (0, "a", 3, 0.5f, 0.5f, 0.5f));
  gst_harness_push (h[1], pred (0, "b", 3, 0.5f, 0.5f, 0.5f));
  gst_harness_push (h[0], gap (1, 3));
  gst_harness_push (h[1], gap (1, 3));
  gst_buffer_unref (gst_harness_pull (h[0]));
  b = gst_harness_pull (h[0]);
  fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
  fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
          "emofuse") == NULL);
  values (b, v, 3);
  fail_unless_equals_float (v[0], 0.0f);
  gst_buffer_unref (b);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_eos_on_one_pad)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];
  guint k;

  gst_harness_push (h[1], pred (0, "b", 3, 1.0f, 1.0f, 1.0f));
  gst_harness_push_event (h[1], gst_event_new_eos ());
  for (k = 0; k < 20; k++)
    gst_harness_push (h[0], pred (k, "a", 3, 0.0f, 0.0f, 0.0f));
  /* the ended pad does not stall the other: all 20 frames come out */
  for (k = 0; k < 20; k++) {
    b = gst_harness_pull (h[0]);
    values (b, v, 3);
    fail_unless_equals_float (v[0], k == 0 ? 0.5f : 0.0f);
    gst_buffer_unref (b);
  }
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_live_lagging_pad)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean latency=0", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];
  guint k, got = 0;

  /* live: the harness sources answer the latency query as live and the
   * element runs on a test clock; pad 1 delivers nothing */
  gst_harness_use_testclock (h[0]);
  for (k = 0; k < 5; k++) {
    gst_harness_push (h[0], pred (k, "a", 3, k, 0, 0));
    /* the aggregator waits on the clock for pad 1, then times out */
    fail_unless (gst_harness_crank_single_clock_wait (h[0]));
    b = gst_harness_pull (h[0]);
    values (b, v, 3);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), got * HOP);
    fail_unless_equals_float (v[0], (gfloat) got);
    gst_buffer_unref (b);
    got++;
  }
  fail_unless_equals_int (got, 5);
  /* the lagging pad's late frames are dropped; new ones are fused */
  gst_harness_push (h[1], pred (0, "b", 3, 100, 0, 0));
  gst_harness_push (h[1], pred (5, "b", 3, 10, 0, 0));
  gst_harness_push (h[0], pred (5, "a", 3, 20, 0, 0));
  b = gst_harness_pull (h[0]);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 5 * HOP);
  values (b, v, 3);
  fail_unless_equals_float (v[0], 15.0f);
  gst_buffer_unref (b);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_mismatched_rates)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 1, h, 3, 10);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (e, bus);
  h[1] = gst_harness_new_with_element (e, "sink_1", NULL);
  gst_harness_set_src_caps (h[1], gst_emo_frames_caps_new (3, 25, 1,
          "predictions"));
  /* caps events are handled on the aggregator's thread: wait for it */
  gst_harness_push (h[0], pred (0, "a", 3, 0, 0, 0));
  gst_harness_push (h[1], pred (0, "b", 3, 0, 0, 0));
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "different frame rates") != NULL, "%s",
      err->message);
  fail_unless (strstr (err->message, "25/1") != NULL);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  teardown (e, h, 2);
}

GST_END_TEST;

GST_START_TEST (test_concat)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=concat", 1, h, 2, 10);
  const gchar *n0[] = { "f0", "loud" };
  gfloat f0[2] = { 1, 2 }, f1[3] = { 3, 4, 5 }, out[5];
  GstBuffer *b0, *b1, *b;
  GstEvent *ev;
  GstCaps *caps;
  GstEmoFramesInfo info;
  gboolean seen_names = FALSE;
  guint k;

  gst_harness_set_src_caps (h[0], gst_emo_frames_caps_new (2, 10, 1,
          "audio-v1"));
  gst_harness_push_event (h[0], gst_emo_event_new_feature_names (n0, 2));
  h[1] = gst_harness_new_with_element (e, "sink_1", NULL);
  gst_harness_set_src_caps (h[1], gst_emo_frames_caps_new (3, 10, 1, "vis-v1"));
  for (k = 0; k < 3; k++) {
    b0 = gst_buffer_new_memdup (f0, sizeof f0);
    GST_BUFFER_PTS (b0) = k * HOP;
    GST_BUFFER_DURATION (b0) = HOP;
    gst_buffer_add_emo_prediction_meta (b0, "audio-mtl", 1, 3, avl, f1, NULL);
    gst_harness_push (h[0], b0);
    if (k < 2) {
      b1 = gst_buffer_new_memdup (f1, sizeof f1);
      GST_BUFFER_PTS (b1) = k * HOP;
      GST_BUFFER_DURATION (b1) = HOP;
      gst_harness_push (h[1], b1);
    } else {
      gst_harness_push_event (h[1], gst_event_new_eos ());
    }
  }
  for (k = 0; k < 3; k++) {
    b = gst_harness_pull (h[0]);
    values (b, out, 5);
    /* the ended pad's last frame is held */
    fail_unless_equals_float (out[0], 1);
    fail_unless_equals_float (out[2], 3);
    fail_unless_equals_float (out[4], 5);
    fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
            "audio-mtl") != NULL);
    fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b,
            "emofuse") == NULL);
    gst_buffer_unref (b);
  }
  caps = gst_pad_get_current_caps (h[0]->sinkpad);
  gst_emo_frames_info_init (&info);
  fail_unless (gst_emo_frames_info_from_caps (&info, caps));
  fail_unless_equals_int (info.dims, 5);
  fail_unless_equals_string (info.layout, "audio-v1+vis-v1");
  gst_emo_frames_info_clear (&info);
  gst_caps_unref (caps);
  while ((ev = gst_harness_try_pull_event (h[0]))) {
    gchar **names;
    guint n;
    if (gst_emo_event_is_feature_names (ev)
        && gst_emo_event_parse_feature_names (ev, &names, &n)) {
      fail_unless_equals_int (n, 5);
      fail_unless_equals_string (names[1], "loud");
      fail_unless_equals_string (names[2], "vis-v1_0");
      g_strfreev (names);
      seen_names = TRUE;
    }
    gst_event_unref (ev);
  }
  fail_unless (seen_names);
  teardown (e, h, 2);
}

GST_END_TEST;

static gchar *
write_model (gboolean future)
{
  const gchar *a2[] = { "arousal", "valence" }, *in[] = { "audio", "video" };
  EmoFuseModel *m = emo_fuse_model_new ("svr", 2, a2, 2, in);
  gint offs[] = { -1, 0, 1 };
  EmoFuseStage *st = emo_fuse_model_add_stage (m, offs, future ? 3 : 2);
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("emofuse-XXXXXX.emo", &path, NULL);
  guint i;

  close (fd);
  for (i = 0; i < 2 * st->n_offsets * st->in_dim; i++)
    st->weights[i] = 0.1 * (i % 5) - 0.2;
  st->bias[0] = 0.05;
  st->bias[1] = -0.05;
  fail_unless (emo_fuse_model_save (m, path, NULL));
  emo_fuse_model_free (m);
  return path;
}

GST_START_TEST (test_model)
{
  gchar *path = write_model (TRUE), *props =
      g_strdup_printf ("mode=model model=\"%s\"", path);
  GstHarness *h[2];
  GstElement *e = make (props, 2, h, 3, 10);
  EmoFuseModel *m = emo_fuse_model_load (path, NULL);
  gfloat x[8 * 4], ref[8 * 2], v[2];
  GstBuffer *b;
  GstQuery *q;
  GstClockTime min, max;
  gboolean live;
  guint k;

  fail_unless (m != NULL);
  for (k = 0; k < 8; k++) {
    /* pad 1 has no liking and the model does not need it; pad 0 lacks
     * valence at frame 3 (GAP): its last value is held */
    x[k * 4 + 0] = 0.1f * k;
    x[k * 4 + 1] = k == 3 ? 0.1f * 2 : 0.1f * k;
    x[k * 4 + 2] = -0.05f * k;
    x[k * 4 + 3] = 0.02f * k * k;
    gst_harness_push (h[0], k == 3 ? pred (k, "a", 1, 0.1f * k, 0, 0) :
        pred (k, "a", 3, 0.1f * k, 0.1f * k, 0.9f));
    gst_harness_push (h[1], pred (k, "v", 2, -0.05f * k, 0.02f * k * k, 0));
  }
  emo_fuse_model_apply (m, FALSE, x, 8, ref);
  /* one frame of look-ahead: 7 out before EOS */
  for (k = 0; k < 7; k++) {
    b = gst_harness_pull (h[0]);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), k * HOP);
    values (b, v, 2);
    fail_unless (fabs (v[0] - ref[k * 2]) < 1e-5
        && fabs (v[1] - ref[k * 2 + 1]) < 1e-5, "frame %u: %f %f vs %f %f", k,
        v[0], v[1], ref[k * 2], ref[k * 2 + 1]);
    fail_unless (gst_buffer_get_emo_prediction_meta_by_source (b, "v") != NULL);
    gst_buffer_unref (b);
  }
  fail_unless (gst_harness_try_pull (h[0]) == NULL);
  gst_harness_push_event (h[0], gst_event_new_eos ());
  gst_harness_push_event (h[1], gst_event_new_eos ());
  b = gst_harness_pull (h[0]);
  values (b, v, 2);
  fail_unless (fabs (v[0] - ref[14]) < 1e-5);
  gst_buffer_unref (b);
  /* latency: the model's look-ahead, one hop */
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (h[0]->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (min >= HOP, "latency %" GST_TIME_FORMAT, GST_TIME_ARGS (min));
  gst_query_unref (q);
  teardown (e, h, 2);
  emo_fuse_model_free (m);
  g_free (props);

  /* causal: no look-ahead, output immediately */
  props = g_strdup_printf ("mode=model causal=true model=\"%s\"", path);
  e = make (props, 2, h, 3, 10);
  gst_harness_push (h[0], pred (0, "a", 3, 0.1f, 0.1f, 0.9f));
  gst_harness_push (h[1], pred (0, "v", 3, 0.1f, 0.1f, 0.9f));
  b = gst_harness_pull (h[0]);
  gst_buffer_unref (b);
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (h[0]->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (min < HOP);
  gst_query_unref (q);
  teardown (e, h, 2);
  g_free (props);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_model_errors)
{
  GstElement *e;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *path = g_build_filename (g_get_tmp_dir (), "emofuse-bad.emo", NULL);

  g_file_set_contents (path, "emo-fuser 1\nmethod svr\n", -1, NULL);
  e = gst_element_factory_make ("emofuse", NULL);
  g_object_set (e, "mode", 3, "model", path, NULL);
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "emofuse-bad.emo") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (e);
  gst_object_unref (bus);
  g_unlink (path);
  g_free (path);

  /* a model for 2 inputs on 3 pads */
  {
    gchar *mp = write_model (FALSE), *props =
        g_strdup_printf ("mode=model model=\"%s\"", mp);
    GstHarness *h[3];
    bus = gst_bus_new ();
    e = make (props, 3, h, 3, 10);
    gst_element_set_bus (e, bus);
    gst_harness_push (h[0], pred (0, "a", 3, 0, 0, 0));
    gst_harness_push (h[1], pred (0, "a", 3, 0, 0, 0));
    gst_harness_push (h[2], pred (0, "a", 3, 0, 0, 0));
    msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (strstr (err->message, "expects 2 inputs") != NULL, "%s",
        err->message);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_bus (e, NULL);
    gst_object_unref (bus);
    teardown (e, h, 3);
    g_unlink (mp);
    g_free (mp);
    g_free (props);
  }
}

GST_END_TEST;

GST_START_TEST (test_gap_start_and_empty_pad)
{
  GstHarness *h[3];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstBuffer *b;
  gfloat v[3];

  /* pad 2 ends without ever sending caps or data */
  h[2] = gst_harness_new_with_element (e, "sink_2", NULL);
  gst_harness_push_event (h[2], gst_event_new_stream_start ("empty"));
  gst_harness_push_event (h[2], gst_event_new_eos ());
  /* both others start with GAP frames: no prediction to learn the
   * attributes from, the usual three are used */
  gst_harness_push (h[0], gap (0, 3));
  gst_harness_push (h[1], gap (0, 3));
  b = gst_harness_pull (h[0]);
  fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
  values (b, v, 3);
  gst_buffer_unref (b);
  gst_harness_push (h[0], pred (1, "a", 3, 0.5f, 0.5f, 0.5f));
  gst_harness_push (h[1], pred (1, "b", 3, 0.1f, 0.1f, 0.1f));
  b = gst_harness_pull (h[0]);
  values (b, v, 3);
  fail_unless_equals_float (v[2], 0.3f);
  gst_buffer_unref (b);
  teardown (e, h, 3);
}

GST_END_TEST;

/* No input has supplied liking yet (both start with GAP frames, so the
 * usual three attributes are output; the audio model has no liking): liking
 * is NaN, in the payload and the meta, not a made-up 0, until an input
 * supplies it; then the newest value is held. */
GST_START_TEST (test_unsupplied_attribute_is_nan)
{
  GstHarness *h[2];
  GstElement *e = make ("mode=mean", 2, h, 3, 10);
  GstEmoPredictionMeta *m;
  GstBuffer *b;
  gfloat v[3], l;

  gst_harness_push (h[0], gap (0, 3));
  gst_harness_push (h[1], gap (0, 3));
  gst_buffer_unref (gst_harness_pull (h[0]));
  gst_harness_set_src_caps (h[0], gst_emo_frames_caps_new (2, 10, 1,
          "predictions"));
  gst_harness_push (h[0], pred (1, "audio", 2, 0.4f, -0.2f, 0.0f));
  gst_harness_push (h[1], gap (1, 3));
  b = gst_harness_pull (h[0]);
  values (b, v, 3);
  fail_unless_equals_float (v[0], 0.4f);
  fail_unless (isnan (v[2]), "liking %f invented", v[2]);
  m = gst_buffer_get_emo_prediction_meta_by_source (b, "emofuse");
  fail_unless (m != NULL);
  fail_unless (gst_emo_prediction_meta_lookup (m, "liking", &l));
  fail_unless (isnan (l));
  gst_buffer_unref (b);
  /* the video branch supplies liking, then goes GAP again: held */
  gst_harness_push (h[0], pred (2, "audio", 2, 0.4f, -0.2f, 0.0f));
  gst_harness_push (h[1], pred (2, "video", 3, 0.0f, 0.0f, 0.6f));
  b = gst_harness_pull (h[0]);
  values (b, v, 3);
  fail_unless_equals_float (v[2], 0.6f);
  gst_buffer_unref (b);
  gst_harness_push (h[0], pred (3, "audio", 2, 0.4f, -0.2f, 0.0f));
  gst_harness_push (h[1], gap (3, 3));
  b = gst_harness_pull (h[0]);
  values (b, v, 3);
  fail_unless_equals_float (v[2], 0.6f);
  gst_buffer_unref (b);
  teardown (e, h, 2);
}

GST_END_TEST;

/* A stored prediction file without liking and one with liking from 0.5 s,
 * fused and written as CSV, JSON lines and WebVTT: before 0.5 s liking is
 * `nan`, `null` and `n/a`, never 0. */
static gchar *
fuse_to_text (const gchar * a, const gchar * b, const gchar * format)
{
  gchar *out = g_strdup_printf ("%s/emo-fuse-nan-%u.%s", g_get_tmp_dir (),
      (guint) getpid (), format), *txt = NULL;
  gchar *desc = g_strdup_printf ("emofuse name=f mode=mean ! emoexport "
      "format=%s ! filesink location=\"%s\" "
      "filesrc location=\"%s\" ! emoparse content=predictions ! f.sink_0 "
      "filesrc location=\"%s\" ! emoparse content=predictions ! f.sink_1",
      format, out, a, b);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (p != NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  fail_unless (g_file_get_contents (out, &txt, NULL, NULL));
  g_unlink (out);
  g_free (out);
  g_free (desc);
  return txt;
}

GST_START_TEST (test_unsupplied_attribute_in_outputs)
{
  gchar *a = g_strdup_printf ("%s/emo-fuse-nan-a-%u.csv", g_get_tmp_dir (),
      (guint) getpid ());
  gchar *b = g_strdup_printf ("%s/emo-fuse-nan-b-%u.csv", g_get_tmp_dir (),
      (guint) getpid ());
  gchar *txt, **lines;
  GString *sa = g_string_new ("name;timestamp;arousal;valence\n");
  GString *sb = g_string_new ("name;timestamp;arousal;valence;liking\n");
  guint i;

  for (i = 0; i < 10; i++) {
    g_string_append_printf (sa, "x;%.1f;0.2;0.1\n", i * 0.1);
    if (i >= 5)
      g_string_append_printf (sb, "x;%.1f;0.4;0.3;0.5\n", i * 0.1);
  }
  fail_unless (g_file_set_contents (a, sa->str, -1, NULL));
  fail_unless (g_file_set_contents (b, sb->str, -1, NULL));

  txt = fuse_to_text (a, b, "csv");
  lines = g_strsplit (txt, "\n", -1);
  fail_unless (g_str_has_suffix (lines[0], ";arousal;valence;liking"),
      "header %s", lines[0]);
  for (i = 1; i <= 10; i++) {
    fail_unless (lines[i] != NULL);
    fail_unless (g_str_has_suffix (lines[i], i <= 5 ? ";nan" : ";0.5"),
        "row %u: %s", i, lines[i]);
  }
  g_strfreev (lines);
  g_free (txt);

  txt = fuse_to_text (a, b, "jsonl");
  lines = g_strsplit (txt, "\n", -1);
  for (i = 0; i < 10; i++)
    fail_unless (strstr (lines[i], i < 5 ? "\"liking\":null" :
            "\"liking\":0.5") != NULL, "line %u: %s", i, lines[i]);
  g_strfreev (lines);
  g_free (txt);

  txt = fuse_to_text (a, b, "webvtt");
  fail_unless (strstr (txt, "liking n/a") != NULL, "%s", txt);
  fail_unless (strstr (txt, "liking +0.50") != NULL, "%s", txt);
  fail_if (strstr (txt, "liking +0.00") != NULL, "%s", txt);
  g_free (txt);

  g_unlink (a);
  g_unlink (b);
  g_free (a);
  g_free (b);
  g_string_free (sa, TRUE);
  g_string_free (sb, TRUE);
}

GST_END_TEST;

static Suite *
emofuse_suite (void)
{
  Suite *s = suite_create ("emofuse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_mean);
  tcase_add_test (tc, test_face_box_carried);
  tcase_add_test (tc, test_weighted_and_missing_attribute);
  tcase_add_test (tc, test_gap_and_alignment);
  tcase_add_test (tc, test_all_gap_gives_gap);
  tcase_add_test (tc, test_eos_on_one_pad);
  tcase_add_test (tc, test_live_lagging_pad);
  tcase_add_test (tc, test_mismatched_rates);
  tcase_add_test (tc, test_concat);
  tcase_add_test (tc, test_model);
  tcase_add_test (tc, test_model_errors);
  tcase_add_test (tc, test_gap_start_and_empty_pad);
  tcase_add_test (tc, test_unsupplied_attribute_is_nan);
  tcase_add_test (tc, test_unsupplied_attribute_in_outputs);
  return s;
}

GST_CHECK_MAIN (emofuse);
