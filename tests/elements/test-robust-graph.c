/* Whole-graph robustness: state cycling of an annotate-like graph and a soak
 * of audio + video front ends, MTL and fusion, with resident memory and
 * thread count read from /proc.
 *
 * Sizes come from the environment so that bench/ runs the full forms:
 *   EMO_CYCLES        PLAYING -> NULL -> PLAYING cycles (default 20, ASan 5; bench/cycles.sh: 100)
 *   EMO_SOAK_MINUTES  stream minutes of the soak (default 3, ASan 2; bench/soak.sh: 60)
 *   EMO_SOAK_FIRST    first checkpoint in stream minutes (default 1; bench: 5)
 *   EMO_SOAK_WALL=1   checkpoints in wall-clock minutes instead: the sources
 *                     run without end and the stream is stopped (EOS) after
 *                     EMO_SOAK_MINUTES minutes of wall time
 * The RSS bounds are not checked under AddressSanitizer (its quarantine holds
 * freed memory; its leak checker covers that build at exit). */
#include <gst/check/gstcheck.h>
#include <math.h>
#include <stdio.h>
#include <malloc.h>
#include "robust-util.h"

static void
models_setup (void)
{
  robust_models_write ("graph", EMO_NET_LSTM);
}

/* ---- state cycling ---------------------------------------------------- */

static gint fused_frames, video_frames;

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer counter)
{
  g_atomic_int_inc ((gint *) counter);
  return GST_PAD_PROBE_OK;
}

static void
add_count_probe (GstElement * bin, const gchar * name, gint * counter)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (bin), name);
  GstPad *pad;

  fail_unless (e != NULL, "no element %s", name);
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_probe, counter,
      NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

/* Runs the pipeline until both counters reach `n` (or an error, or the
 * deadline), returns TRUE if they did. */
static gboolean
run_until (GstElement * p, gint * a, gint * b, gint n, guint timeout_s)
{
  GstBus *bus = gst_element_get_bus (p);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gboolean ok = FALSE;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 20 * GST_MSECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
    if (m) {
      GError *err = NULL;
      if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
        gst_message_parse_error (m, &err, NULL);
        g_printerr ("error from %s: %s\n", GST_OBJECT_NAME (m->src),
            err->message);
        g_clear_error (&err);
      }
      gst_message_unref (m);
      break;
    }
    if (g_atomic_int_get (a) >= n && g_atomic_int_get (b) >= n) {
      ok = TRUE;
      break;
    }
  }
  gst_object_unref (bus);
  return ok;
}

GST_START_TEST (test_state_cycles)
{
  /* under ASan (no RSS bound, its leak checker instead) a few cycles do */
  guint cycles = robust_env_uint ("EMO_CYCLES", ROBUST_ASAN ? 5 : 20), i;
  guint warm = ROBUST_ASAN ? 2 : 10;
  guint threads0 = 0, threads_max = 0;
  guint64 rss0 = 0, rss1 = 0;
  gchar *desc;
  GstElement *p;
  GError *err = NULL;

  /* glibc gives new threads their own malloc arenas (up to 8 per core) and
   * every cycle starts new streaming threads, so with the default the RSS
   * climbs to a plateau as arenas are added (measured: +5 MB, flat after
   * ~120 cycles; bench/cycles.sh shows both). One arena makes the RSS
   * measure our heap. EMO_CYCLES_DEFAULT_MALLOC=1 keeps the default. */
  if (!robust_env_uint ("EMO_CYCLES_DEFAULT_MALLOC", 0))
    mallopt (M_ARENA_MAX, 1);
  /* meson sets MALLOC_PERTURB_, which touches every allocated page */
  mallopt (M_PERTURB, 0);
  desc =
      g_strdup_printf
      ("videotestsrc pattern=ball ! video/x-raw,format=I420,width=160,height=120,framerate=25/1 ! tee name=v "
      "v. ! queue ! ov.video_sink "
      "v. ! queue ! emovisfeat ! emomtl model=\"%s\" source=video ! queue ! fuse.sink_0 "
      "audiotestsrc wave=saw freq=150 volume=0.3 samplesperbuffer=1600 "
      "! audio/x-raw,rate=16000,channels=1 ! queue ! emoaudiofeat "
      "! emomtl model=\"%s\" source=audio ! queue ! fuse.sink_1 "
      "emofuse name=fuse mode=mean ! queue ! ov.emo_sink "
      "emooverlay name=ov ! fakesink sync=false", robust_video_model,
      robust_audio_model);
  p = gst_parse_launch (desc, &err);
  g_free (desc);
  fail_unless (p != NULL && err == NULL, "parse: %s", err ? err->message : "");
  add_count_probe (p, "fuse", &fused_frames);
  add_count_probe (p, "ov", &video_frames);

  for (i = 0; i < cycles + warm; i++) {
    guint t;
    g_atomic_int_set (&fused_frames, 0);
    g_atomic_int_set (&video_frames, 0);
    fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless (run_until (p, &fused_frames, &video_frames, 3, 30),
        "cycle %u: no frames (fused %d, video %d)", i,
        g_atomic_int_get (&fused_frames), g_atomic_int_get (&video_frames));
    fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    t = robust_threads ();
    if (i + 1 == warm) {
      threads0 = t;
      rss0 = robust_rss_kb ();
    }
    threads_max = MAX (threads_max, t);
    if ((i + 1 - warm) % 10 == 0 && i + 1 > warm)
      g_print ("cycle %3u: threads %u RSS %" G_GUINT64_FORMAT " kB\n",
          i + 1 - warm, t, robust_rss_kb ());
  }
  gst_object_unref (p);
  rss1 = robust_rss_kb ();
  g_print ("state cycles: %u (+%u warm-up), threads after NULL %u (max %u), "
      "RSS %" G_GUINT64_FORMAT " kB -> %" G_GUINT64_FORMAT " kB (%+"
      G_GINT64_FORMAT " kB)\n", cycles, warm, threads0, threads_max, rss0,
      rss1, (gint64) rss1 - (gint64) rss0);
  /* threads: streaming threads are joined at NULL, none may pile up */
  fail_unless (threads_max <= threads0,
      "threads grew from %u to %u over %u cycles", threads0, threads_max,
      cycles);
  /* memory: measured +0.5 MB over the first 30 cycles, then flat to 300;
   * a leak of a window of frames or of an element's buffers per cycle
   * (100 kB or more) exceeds 2 MB within 20 cycles. Small leaks are
   * valgrind's job (bench/valgrind.sh). */
  if (!ROBUST_ASAN && !robust_under_valgrind ()
      && !robust_env_uint ("EMO_CYCLES_DEFAULT_MALLOC", 0))
    fail_unless (rss1 <= rss0 + 2048,
        "RSS grew from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
        " kB over %u cycles", rss0, rss1, cycles);
}

GST_END_TEST;

/* ---- soak ------------------------------------------------------------- */

typedef struct
{
  GstClockTime first, last;     /* checkpoints, stream time */
  GstClockTime next;
  GstClockTime step;
  guint64 rss_first, rss_last;
  gint64 t0;
  gboolean wall;
  guint64 frames, bad_values, bad_pts;
} Soak;

static GstPadProbeReturn
soak_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Soak *s = data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (b);
  GstMapInfo map;

  if (pts != s->frames * 100 * GST_MSECOND)
    s->bad_pts++;
  if (gst_buffer_map (b, &map, GST_MAP_READ)) {
    const float *v = (const float *) map.data;
    gsize i;
    for (i = 0; i < map.size / sizeof (float); i++)
      if (!isfinite (v[i]))
        s->bad_values++;
    gst_buffer_unmap (b, &map);
  }
  s->frames++;
  /* checkpoint at the end of a frame whose end reaches it */
  if (!s->wall && GST_CLOCK_TIME_IS_VALID (pts)
      && pts + 100 * GST_MSECOND >= s->next) {
    guint64 rss = robust_rss_kb ();
    gdouble wall = (g_get_monotonic_time () - s->t0) / 1e6;
    g_print ("soak: stream %5.1f min  wall %7.1f s  RSS %" G_GUINT64_FORMAT
        " kB\n", s->next / 60e9, wall, rss);
    if (s->next == s->first)
      s->rss_first = rss;
    if (s->next == s->last)
      s->rss_last = rss;
    s->next += s->step;
  }
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_soak)
{
  guint minutes = robust_env_uint ("EMO_SOAK_MINUTES", ROBUST_ASAN ? 2 : 3);
  guint first_min = robust_env_uint ("EMO_SOAK_FIRST", 1);
  Soak s = { 0 };
  gchar *desc;
  GstElement *p, *fuse;
  GstPad *pad;
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;

  fail_unless (first_min >= 1 && first_min < minutes);
  s.first = first_min * 60 * GST_SECOND;
  s.last = minutes * 60 * GST_SECOND;
  s.next = s.first;
  s.step = first_min * 60 * GST_SECOND;
  s.wall = robust_env_uint ("EMO_SOAK_WALL", 0) != 0;
  desc =
      g_strdup_printf
      ("audiotestsrc num-buffers=%d samplesperbuffer=1600 wave=saw freq=150 volume=0.3 "
      "! audio/x-raw,rate=16000,channels=1 ! emoaudiofeat "
      "! emomtl model=\"%s\" source=audio ! queue ! fuse.sink_0 "
      "videotestsrc num-buffers=%d pattern=ball ! video/x-raw,format=I420,width=160,height=120,framerate=25/1 "
      "! emovisfeat ! emomtl model=\"%s\" source=video ! queue ! fuse.sink_1 "
      "emofuse name=fuse mode=mean ! fakesink sync=false",
      s.wall ? -1 : (gint) minutes * 600, robust_audio_model,
      s.wall ? -1 : (gint) minutes * 60 * 25, robust_video_model);
  p = gst_parse_launch (desc, &err);
  g_free (desc);
  fail_unless (p != NULL && err == NULL, "parse: %s", err ? err->message : "");
  fuse = gst_bin_get_by_name (GST_BIN (p), "fuse");
  pad = gst_element_get_static_pad (fuse, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, soak_probe, &s, NULL);
  gst_object_unref (pad);
  gst_object_unref (fuse);

  s.t0 = g_get_monotonic_time ();
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (p);
  if (s.wall) {
    /* checkpoints on the wall clock, then EOS */
    while (s.next <= s.last) {
      m = gst_bus_timed_pop_filtered (bus, GST_SECOND,
          GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
      if (m) {
        if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
          gst_message_parse_error (m, &err, NULL);
          fail ("error from %s: %s", GST_OBJECT_NAME (m->src), err->message);
        }
        fail ("EOS before the last checkpoint");
      }
      if ((GstClockTime) (g_get_monotonic_time () - s.t0) * GST_USECOND >=
          s.next) {
        guint64 rss = robust_rss_kb ();
        g_print ("soak: wall %5.1f min  stream %8.1f min  RSS %"
            G_GUINT64_FORMAT " kB\n", s.next / 60e9, s.frames / 600.0, rss);
        if (s.next == s.first)
          s.rss_first = rss;
        if (s.next == s.last)
          s.rss_last = rss;
        s.next += s.step;
      }
    }
    gst_element_send_event (p, gst_event_new_eos ());
  }
  /* bounded: the stream runs far faster than real time */
  m = gst_bus_timed_pop_filtered (bus, (GstClockTime) (minutes * 60 + 60) *
      GST_SECOND, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (m != NULL, "soak did not finish in time");
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (m, &err, NULL);
    fail ("error from %s: %s", GST_OBJECT_NAME (m->src), err->message);
  }
  gst_message_unref (m);
  gst_object_unref (bus);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);

  g_print ("soak: %" G_GUINT64_FORMAT " fused frames, RSS after %u min %"
      G_GUINT64_FORMAT " kB, after %u min %" G_GUINT64_FORMAT " kB (%+.2f%%)\n",
      s.frames, first_min, s.rss_first, minutes, s.rss_last,
      s.rss_first ? 100.0 * ((gdouble) s.rss_last - s.rss_first) /
      s.rss_first : 0.0);
  if (s.wall)
    fail_unless (s.frames >= (guint64) minutes * 600, "slower than real time");
  else
    fail_unless_equals_uint64 (s.frames, (guint64) minutes * 600);
  fail_unless_equals_uint64 (s.bad_pts, 0);
  fail_unless_equals_uint64 (s.bad_values, 0);
  fail_unless (s.rss_first > 0 && s.rss_last > 0);
  if (!ROBUST_ASAN && !robust_under_valgrind ())
    fail_unless (s.rss_last * 100 <= s.rss_first * 105,
        "RSS grew more than 5%%: %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
        " kB", s.rss_first, s.rss_last);
}

GST_END_TEST;

static Suite *
robust_graph_suite (void)
{
  Suite *s = suite_create ("robust-graph");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, models_setup, robust_models_remove);
  tcase_set_timeout (tc, 0);
  tcase_add_test (tc, test_state_cycles);
  tcase_add_test (tc, test_soak);
  return s;
}

GST_CHECK_MAIN (robust_graph);
