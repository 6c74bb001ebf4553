/* Live graphs (is-live=true test sources, a clocked sink) through the whole
 * analysis chain, with faults injected by pad probes: a video source that
 * stalls for seconds, dropped video frames, one modality ending early, caps
 * renegotiation mid-stream; and the latency each element and the pipeline
 * report. Every run is bounded by a deadline; each test takes a few seconds
 * of live time.
 *
 * Graph:  audiotestsrc ! emoaudiofeat ! emomtl (audio) ! queue ! fuse.
 *         videotestsrc ! [face ROI] ! emovisfeat ! emomtl (video) ! queue ! fuse.
 *         emofuse mode=mean latency=200 ms ! fakesink sync=true
 * A pad probe on the video source attaches a "face" region of interest (as
 * facedetect would), so video frames give real (non-GAP) predictions. */
#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <gst/emo/gstemo.h>
#include <math.h>
#include "robust-util.h"

#define HOP (100 * GST_MSECOND)
#define MAX_FRAMES 1000

static void
models_setup (void)
{
  robust_models_write ("live", EMO_NET_MLP);
}

typedef struct
{
  GMutex lock;
  guint n;
  GstClockTime pts[MAX_FRAMES];
  gint64 arrival[MAX_FRAMES];   /* monotonic us */
  gboolean has_audio[MAX_FRAMES], has_video[MAX_FRAMES], finite[MAX_FRAMES];
  /* video faults */
  GstClockTime stall_at;        /* block once for stall_us at this PTS */
  gulong stall_us;
  gboolean stalled;
  gint64 stall_start, stall_end;
  GstClockTime drop_from, drop_to;      /* drop 2 of 3 frames in this range */
  guint video_seen, video_dropped;
  gint counts[6];               /* buffers out of asrc af am vsrc vf vm */
} Run;

static const gchar *count_names[6] = { "asrc", "af", "am", "vsrc", "vf", "vm" };

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
  return GST_PAD_PROBE_OK;
}

static Run *
run_new (void)
{
  Run *r = g_new0 (Run, 1);
  g_mutex_init (&r->lock);
  r->stall_at = r->drop_from = r->drop_to = GST_CLOCK_TIME_NONE;
  return r;
}

static void
run_free (Run * r)
{
  g_mutex_clear (&r->lock);
  g_free (r);
}

static GstPadProbeReturn
fused_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Run *r = data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  GstEmoPredictionMeta *m = gst_buffer_get_emo_prediction_meta (b);
  guint i;

  g_mutex_lock (&r->lock);
  if (r->n < MAX_FRAMES) {
    gboolean finite = TRUE;
    r->pts[r->n] = GST_BUFFER_PTS (b);
    r->arrival[r->n] = g_get_monotonic_time ();
    r->has_audio[r->n] =
        gst_buffer_get_emo_prediction_meta_by_source (b, "audio") != NULL;
    r->has_video[r->n] =
        gst_buffer_get_emo_prediction_meta_by_source (b, "video") != NULL;
    if (m)
      for (i = 0; i < m->n_values; i++)
        finite = finite && isfinite (m->values[i]);
    r->finite[r->n] = finite;
    r->n++;
  }
  g_mutex_unlock (&r->lock);
  return GST_PAD_PROBE_OK;
}

/* On the video source's output: add a face box; stall or drop frames. */
static GstPadProbeReturn
video_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Run *r = data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (b);

  r->video_seen++;
  if (GST_CLOCK_TIME_IS_VALID (r->drop_from) && pts >= r->drop_from
      && pts < r->drop_to && r->video_seen % 3 != 0) {
    r->video_dropped++;
    return GST_PAD_PROBE_DROP;
  }
  if (GST_CLOCK_TIME_IS_VALID (r->stall_at) && pts >= r->stall_at
      && !r->stalled) {
    r->stalled = TRUE;
    r->stall_start = g_get_monotonic_time ();
    g_usleep (r->stall_us);
    r->stall_end = g_get_monotonic_time ();
  }
  b = gst_buffer_make_writable (b);
  gst_buffer_add_video_region_of_interest_meta (b, "face", 40, 20, 64, 64);
  GST_PAD_PROBE_INFO_DATA (info) = b;
  return GST_PAD_PROBE_OK;
}

static GstElement *
make_graph (Run * r, gint audio_buffers, gint video_buffers)
{
  GError *err = NULL;
  gchar *desc =
      g_strdup_printf
      ("audiotestsrc name=asrc is-live=true num-buffers=%d samplesperbuffer=320 wave=saw freq=150 volume=0.3 "
      "! capsfilter name=acaps caps=audio/x-raw,rate=16000,channels=1 ! queue "
      "! emoaudiofeat name=af ! emomtl name=am model=\"%s\" source=audio ! queue ! fuse.sink_0 "
      "videotestsrc name=vsrc is-live=true num-buffers=%d pattern=ball "
      "! capsfilter name=vcaps caps=video/x-raw,format=I420,width=160,height=120,framerate=25/1 ! queue "
      "! emovisfeat name=vf ! emomtl name=vm model=\"%s\" source=video ! queue ! fuse.sink_1 "
      "emofuse name=fuse mode=mean latency=200000000 ! fakesink name=sink sync=true",
      audio_buffers, robust_audio_model, video_buffers, robust_video_model);
  GstElement *p = gst_parse_launch (desc, &err), *e;
  GstPad *pad;

  g_free (desc);
  fail_unless (p != NULL && err == NULL, "parse: %s", err ? err->message : "");
  e = gst_bin_get_by_name (GST_BIN (p), "fuse");
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, fused_probe, r, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (p), "vsrc");
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, video_probe, r, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  {
    guint i;
    for (i = 0; i < G_N_ELEMENTS (count_names); i++) {
      e = gst_bin_get_by_name (GST_BIN (p), count_names[i]);
      pad = gst_element_get_static_pad (e, "src");
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_probe,
          &r->counts[i], NULL);
      gst_object_unref (pad);
      gst_object_unref (e);
    }
  }
  return p;
}

/* Runs until `n` fused frames (or EOS when n is 0) with a deadline; fails
 * on an error or the deadline; returns TRUE if EOS was seen. */
static gboolean
run_graph (GstElement * p, Run * r, guint n, guint timeout_s)
{
  GstBus *bus = gst_element_get_bus (p);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gboolean eos = FALSE;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (;;) {
    GstMessage *m;
    guint have;
    if (g_get_monotonic_time () >= deadline) {
      GstState cur = GST_STATE_VOID_PENDING, pend = GST_STATE_VOID_PENDING;
      gst_element_get_state (p, &cur, &pend, 0);
      GST_DEBUG_BIN_TO_DOT_FILE (GST_BIN (p), GST_DEBUG_GRAPH_SHOW_ALL,
          "robust-live-froze");
      fail ("graph froze: %u fused frames after %u s (state %s/%s; buffers "
          "out of asrc %d af %d am %d vsrc %d vf %d vm %d)", r->n, timeout_s,
          gst_element_state_get_name (cur), gst_element_state_get_name (pend),
          r->counts[0], r->counts[1], r->counts[2], r->counts[3],
          r->counts[4], r->counts[5]);
    }
    m = gst_bus_timed_pop_filtered (bus, 20 * GST_MSECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
    if (m) {
      if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
        GError *err = NULL;
        gst_message_parse_error (m, &err, NULL);
        fail ("error from %s: %s", GST_OBJECT_NAME (m->src), err->message);
      }
      gst_message_unref (m);
      eos = TRUE;
      break;
    }
    g_mutex_lock (&r->lock);
    have = r->n;
    g_mutex_unlock (&r->lock);
    if (n > 0 && have >= n)
      break;
  }
  gst_object_unref (bus);
  return eos;
}

/* Fused frames are on the hop grid, one per slot, none skipped, finite. */
static void
check_grid (Run * r)
{
  guint i;
  fail_unless (r->n > 0);
  for (i = 0; i < r->n; i++) {
    fail_unless (r->finite[i], "frame %u not finite", i);
    fail_unless (r->pts[i] % HOP == 0, "frame %u off the grid: %"
        GST_TIME_FORMAT, i, GST_TIME_ARGS (r->pts[i]));
    if (i > 0)
      fail_unless_equals_uint64 (r->pts[i], r->pts[i - 1] + HOP);
  }
}

/* Largest wall-clock gap between two fused frames arriving at the sink, in
 * microseconds, over frames [from, to). */
static gint64
max_arrival_gap (Run * r, guint from, guint to)
{
  gint64 g = 0;
  guint i;
  for (i = MAX (from, 1); i < MIN (to, r->n); i++)
    g = MAX (g, r->arrival[i] - r->arrival[i - 1]);
  return g;
}

static GstClockTime
query_latency (GstElement * p, const gchar * name, gboolean * live,
    GstClockTime * max)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), name);
  GstPad *pad = gst_element_get_static_pad (e, "src");
  GstQuery *q = gst_query_new_latency ();
  GstClockTime min;

  fail_unless (gst_pad_query (pad, q), "%s: latency query failed", name);
  gst_query_parse_latency (q, live, &min, max);
  gst_query_unref (q);
  gst_object_unref (pad);
  gst_object_unref (e);
  return min;
}

GST_START_TEST (test_live_latency)
{
  Run *r = run_new ();
  GstElement *p = make_graph (r, -1, -1);
  GstQuery *q;
  gboolean live;
  GstClockTime min, max, af, vf, am, vm, fuse, src_a, src_v;

  run_graph (p, r, 15, 30);
  src_a = query_latency (p, "asrc", &live, &max);
  src_v = query_latency (p, "vsrc", &live, &max);
  af = query_latency (p, "af", &live, &max);
  fail_unless (live);
  /* emoaudiofeat: hop + 460 ms on top of the source (openSMILE's pitch
   * smoother waits up to 40 frames; low-latency=true would make it 80 ms) */
  fail_unless_equals_uint64 (af, src_a + HOP + 460 * GST_MSECOND);
  vf = query_latency (p, "vf", &live, &max);
  fail_unless (live);
  /* emovisfeat: hop + one video frame (40 ms at 25 fps) */
  fail_unless_equals_uint64 (vf, src_v + HOP + 40 * GST_MSECOND);
  am = query_latency (p, "am", &live, &max);
  vm = query_latency (p, "vm", &live, &max);
  fail_unless_equals_uint64 (am, af);   /* emomtl adds nothing */
  fail_unless_equals_uint64 (vm, vf);
  fuse = query_latency (p, "fuse", &live, &max);
  fail_unless (live);
  /* the slower branch plus the aggregator's own latency property */
  fail_unless_equals_uint64 (fuse, MAX (af, vf) + 200 * GST_MSECOND);

  q = gst_query_new_latency ();
  fail_unless (gst_element_query (p, q));
  gst_query_parse_latency (q, &live, &min, &max);
  gst_query_unref (q);
  g_print ("latency: audio src %" GST_TIME_FORMAT ", emoaudiofeat %"
      GST_TIME_FORMAT ", emovisfeat %" GST_TIME_FORMAT ", emofuse %"
      GST_TIME_FORMAT ", pipeline %" GST_TIME_FORMAT "\n",
      GST_TIME_ARGS (src_a), GST_TIME_ARGS (af), GST_TIME_ARGS (vf),
      GST_TIME_ARGS (fuse), GST_TIME_ARGS (min));
  fail_unless (live);
  /* ... plus the sink's processing deadline */
  {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
    GstClockTime deadline = 0;
    g_object_get (sink, "processing-deadline", &deadline, NULL);
    gst_object_unref (sink);
    fail_unless_equals_uint64 (min, fuse + deadline);
  }
  fail_unless (min < GST_SECOND, "pipeline latency %" GST_TIME_FORMAT,
      GST_TIME_ARGS (min));
  fail_unless (!GST_CLOCK_TIME_IS_VALID (max) || max >= min);

  gst_element_set_state (p, GST_STATE_NULL);
  check_grid (r);
  gst_object_unref (p);
  run_free (r);
}

GST_END_TEST;

GST_START_TEST (test_live_video_stalls)
{
  Run *r = run_new ();
  GstElement *p = make_graph (r, -1, -1);
  guint i, during = 0, video_after = 0;
  gint64 gap;

  r->stall_at = GST_SECOND;
  r->stall_us = 2 * G_USEC_PER_SEC;
  run_graph (p, r, 45, 30);
  gst_element_set_state (p, GST_STATE_NULL);
  fail_unless (r->stalled);
  check_grid (r);
  for (i = 0; i < r->n; i++) {
    if (r->arrival[i] > r->stall_start && r->arrival[i] < r->stall_end)
      during++;
    if (r->arrival[i] > r->stall_end + 500000 && r->has_video[i])
      video_after++;
  }
  gap = max_arrival_gap (r, 0, r->n);
  g_print ("video stall 2 s: %u fused frames during it, largest gap "
      "between fused frames %.2f s, %u with video after\n", during,
      gap / 1e6, video_after);
  /* fusion went on from the audio branch while the video branch was stuck */
  fail_unless (during >= 10, "only %u fused frames during a 2 s stall", during);
  fail_unless (gap < G_USEC_PER_SEC, "output stopped for %.2f s", gap / 1e6);
  /* and the video branch came back */
  fail_unless (video_after > 0, "video never came back after the stall");
  gst_object_unref (p);
  run_free (r);
}

GST_END_TEST;

GST_START_TEST (test_live_dropped_frames)
{
  Run *r = run_new ();
  GstElement *p = make_graph (r, -1, -1);
  guint i, video = 0;

  r->drop_from = GST_SECOND;
  r->drop_to = 2 * GST_SECOND;
  run_graph (p, r, 30, 30);
  gst_element_set_state (p, GST_STATE_NULL);
  check_grid (r);
  fail_unless (r->video_dropped >= 10, "dropped %u", r->video_dropped);
  /* every slot in and after the dropped second still has a video prediction */
  for (i = 0; i < r->n; i++)
    if (r->pts[i] >= GST_SECOND + HOP && r->pts[i] < 2 * GST_SECOND)
      video += r->has_video[i];
  g_print ("dropped %u of %u video frames; %u of the slots in that second "
      "fused with video\n", r->video_dropped, r->video_seen, video);
  fail_unless (video >= 5, "only %u slots with video", video);
  gst_object_unref (p);
  run_free (r);
}

GST_END_TEST;

GST_START_TEST (test_live_audio_ends_early)
{
  Run *r = run_new ();
  /* audio: 50 buffers of 20 ms = 1 s; video: 3 s */
  GstElement *p = make_graph (r, 50, 75);
  guint i, after = 0, audio_after = 0;
  gboolean eos;

  eos = run_graph (p, r, 0, 30);
  gst_element_set_state (p, GST_STATE_NULL);
  fail_unless (eos, "no EOS");
  check_grid (r);
  for (i = 0; i < r->n; i++)
    if (r->pts[i] >= 1500 * GST_MSECOND) {
      after++;
      audio_after += r->has_audio[i];
      fail_unless (r->has_video[i], "frame %u without video", i);
    }
  g_print ("audio ended at 1 s: %u fused frames after 1.5 s (with audio: "
      "%u), largest gap %.2f s, last %" GST_TIME_FORMAT "\n", after,
      audio_after, max_arrival_gap (r, 0, r->n) / 1e6,
      GST_TIME_ARGS (r->pts[r->n - 1]));
  fail_unless (after >= 12, "only %u frames after the audio ended", after);
  fail_unless_equals_int (audio_after, 0);
  fail_unless (max_arrival_gap (r, 0, r->n) < G_USEC_PER_SEC);
  fail_unless (r->pts[r->n - 1] >= 2800 * GST_MSECOND);
  gst_object_unref (p);
  run_free (r);
}

GST_END_TEST;

GST_START_TEST (test_live_caps_change)
{
  Run *r = run_new ();
  GstElement *p = make_graph (r, -1, -1), *e;
  GstCaps *caps;
  GstPad *pad;
  GstStructure *s;
  gint rate = 0, width = 0;
  guint i, both_after = 0, n_change;

  run_graph (p, r, 10, 30);
  /* mid-stream: 16 kHz -> 32 kHz audio, 160x120 -> 320x240 video */
  e = gst_bin_get_by_name (GST_BIN (p), "acaps");
  caps = gst_caps_from_string ("audio/x-raw,rate=32000,channels=1");
  g_object_set (e, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (p), "vcaps");
  caps = gst_caps_from_string
      ("video/x-raw,format=I420,width=320,height=240,framerate=25/1");
  g_object_set (e, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_object_unref (e);
  n_change = r->n;
  run_graph (p, r, n_change + 25, 30);

  e = gst_bin_get_by_name (GST_BIN (p), "af");
  pad = gst_element_get_static_pad (e, "sink");
  caps = gst_pad_get_current_caps (pad);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_get_int (s, "rate", &rate);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (p), "vf");
  pad = gst_element_get_static_pad (e, "sink");
  caps = gst_pad_get_current_caps (pad);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_get_int (s, "width", &width);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (e);
  gst_element_set_state (p, GST_STATE_NULL);

  fail_unless_equals_int (rate, 32000);
  fail_unless_equals_int (width, 320);
  check_grid (r);
  for (i = n_change + 15; i < r->n; i++)
    both_after += r->has_audio[i] && r->has_video[i];
  g_print ("caps changed after %u frames; %u of the last %u frames fused "
      "both\n", n_change, both_after, r->n - n_change - 15);
  fail_unless (both_after >= 5, "only %u frames with both after the change",
      both_after);
  gst_object_unref (p);
  run_free (r);
}

GST_END_TEST;

static Suite *
robust_live_suite (void)
{
  Suite *s = suite_create ("robust-live");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, models_setup, robust_models_remove);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_live_latency);
  tcase_add_test (tc, test_live_video_stalls);
  tcase_add_test (tc, test_live_dropped_frames);
  tcase_add_test (tc, test_live_audio_ends_early);
  tcase_add_test (tc, test_live_caps_change);
  return s;
}

GST_CHECK_MAIN (robust_live);
