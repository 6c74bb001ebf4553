/* Seeks through every element that sets timestamps: emoaudiofeat,
 * emovisfeat, emomtl, emofuse and emoparse, alone and in the annotate graph
 * (a short clip written at test time, both front ends, the two shipped
 * models, emofuse, emooverlay). After a flushing seek a segment starts at the
 * seek position: every frame must carry a timestamp inside it, on the hop
 * grid counted from the segment's start, and the overlay must keep drawing. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <gst/emo/gstemo.h>

#define HOP (100 * GST_MSECOND)
#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

static gchar *
model_path (const gchar * name)
{
  return g_build_filename (EMO_SOURCE_ROOT, "models", name, NULL);
}

static gboolean
have_elements (const gchar * const *names)
{
  guint i;

  for (i = 0; names[i]; i++) {
    GstElementFactory *f = gst_element_factory_find (names[i]);
    if (!f) {
      g_print ("SKIP: no element %s\n", names[i]);
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
}

/* ---- what one pad saw after the seek ---------------------------------- */

typedef struct
{
  GstClockTime seek;            /* frames count from the segment at or after it */
  gboolean seen_segment;
  GstSegment segment;
  GArray *pts;                  /* GstClockTime of every buffer after it */
  GArray *first_value;          /* gfloat: first payload value */
  guint gaps;
  GMutex lock;
} Watch;

static void
watch_init (Watch * w, GstClockTime seek)
{
  memset (w, 0, sizeof *w);
  w->seek = seek;
  w->pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  w->first_value = g_array_new (FALSE, FALSE, sizeof (gfloat));
  g_mutex_init (&w->lock);
}

static void
watch_clear (Watch * w)
{
  g_array_free (w->pts, TRUE);
  g_array_free (w->first_value, TRUE);
  g_mutex_clear (&w->lock);
}

static GstPadProbeReturn
watch_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Watch *w = data;

  g_mutex_lock (&w->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT) {
      const GstSegment *s;
      gst_event_parse_segment (ev, &s);
      /* the seek's segment, not the one before the seek */
      if (s->start + GST_MSECOND >= w->seek) {
        w->segment = *s;
        w->seen_segment = TRUE;
      }
    }
  } else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
    if (w->seen_segment) {
      GstClockTime t = GST_BUFFER_PTS (b);
      gfloat v = NAN;
      g_array_append_val (w->pts, t);
      if (gst_buffer_get_size (b) >= sizeof v)
        gst_buffer_extract (b, 0, &v, sizeof v);
      g_array_append_val (w->first_value, v);
      if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP))
        w->gaps++;
    }
  }
  g_mutex_unlock (&w->lock);
  return GST_PAD_PROBE_OK;
}

static void
watch_pad (GstElement * bin, const gchar * element, const gchar * pad_name,
    Watch * w)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (bin), element);
  GstPad *pad;

  fail_unless (e != NULL, "no element %s", element);
  pad = gst_element_get_static_pad (e, pad_name);
  fail_unless (pad != NULL, "no pad %s.%s", element, pad_name);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, watch_probe, w, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

/* Every frame seen after the seek lies inside the seek's segment, the first
 * one starts there and all are on the hop grid counted from it; returns the
 * number of frames. */
static guint
check_grid (Watch * w, const gchar * what)
{
  guint i;

  fail_unless (w->seen_segment, "%s: no segment from the seek", what);
  fail_unless_equals_uint64 (w->segment.start, w->seek);
  fail_unless (w->pts->len > 0, "%s: no frame after the seek", what);
  for (i = 0; i < w->pts->len; i++) {
    GstClockTime t = g_array_index (w->pts, GstClockTime, i);
    GstClockTime rt = gst_segment_to_running_time (&w->segment,
        GST_FORMAT_TIME, t);
    fail_unless (GST_CLOCK_TIME_IS_VALID (t), "%s: frame %u: no PTS", what, i);
    fail_unless (GST_CLOCK_TIME_IS_VALID (rt),
        "%s: frame %u: PTS %" GST_TIME_FORMAT " outside the segment from %"
        GST_TIME_FORMAT, what, i, GST_TIME_ARGS (t),
        GST_TIME_ARGS (w->segment.start));
    fail_unless_equals_uint64 (t, w->seek + i * HOP);
  }
  return w->pts->len;
}

/* ---- running a graph through a seek ----------------------------------- */

/* Waits for one of `types` (or an error, which fails the test). */
static void
wait_for (GstElement * p, GstMessageType types, const gchar * what)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      types | GST_MESSAGE_ERROR);

  fail_unless (m != NULL, "timeout waiting for %s", what);
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;
    gst_message_parse_error (m, &err, &dbg);
    fail ("error from %s waiting for %s: %s (%s)", GST_OBJECT_NAME (m->src),
        what, err->message, dbg ? dbg : "");
  }
  gst_message_unref (m);
  gst_object_unref (bus);
}

/* Prerolls, seeks (flushing, accurate) to `pos` (up to `stop` if valid),
 * plays to EOS. */
static void
seek_and_play (GstElement * p, GstClockTime pos, GstClockTime stop)
{
  fail_unless (gst_element_set_state (p, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  wait_for (p, GST_MESSAGE_ASYNC_DONE, "preroll");
  fail_unless (gst_element_seek (p, 1.0, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, pos,
          GST_CLOCK_TIME_IS_VALID (stop) ? GST_SEEK_TYPE_SET :
          GST_SEEK_TYPE_NONE, (gint64) stop), "seek refused");
  wait_for (p, GST_MESSAGE_ASYNC_DONE, "preroll after the seek");
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  wait_for (p, GST_MESSAGE_EOS, "EOS");
  fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
}

static GstElement *
launch (const gchar * desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL && err == NULL, "parse %s: %s", desc,
      err ? err->message : "");
  return p;
}

/* ---- front ends and emomtl -------------------------------------------- */

/* audiotestsrc (4 s) -> emoaudiofeat -> emomtl, seek to 1.5 s: features and
 * predictions from 1.5 s on, on the grid, inside the segment; emomtl keeps
 * the front end's timestamps. */
GST_START_TEST (test_seek_audio_and_mtl)
{
  gchar *model = model_path ("emodb-audio.emo"), *desc;
  GstClockTime pos = 1500 * GST_MSECOND;
  GstElement *p;
  Watch feat, mtl;
  guint i, n;

  desc = g_strdup_printf ("audiotestsrc num-buffers=40 samplesperbuffer=1600 "
      "wave=saw freq=180 volume=0.3 ! audio/x-raw,rate=16000,channels=1 "
      "! emoaudiofeat name=feat "
      "! emomtl name=mtl model=\"%s\" " "! fakesink sync=false", model);
  p = launch (desc);
  watch_init (&feat, pos);
  watch_init (&mtl, pos);
  watch_pad (p, "feat", "src", &feat);
  watch_pad (p, "mtl", "src", &mtl);
  /* the source counts num-buffers from the seek: the seek ends the stream */
  seek_and_play (p, pos, 4 * GST_SECOND);
  n = check_grid (&feat, "emoaudiofeat");
  /* 1.5 s to 4 s: 25 frames */
  fail_unless_equals_int (n, 25);
  fail_unless_equals_int (check_grid (&mtl, "emomtl"), n);
  for (i = 0; i < n; i++)
    fail_unless (isfinite (g_array_index (mtl.first_value, gfloat, i)));
  watch_clear (&feat);
  watch_clear (&mtl);
  gst_object_unref (p);
  g_free (desc);
  g_free (model);
}

GST_END_TEST;

/* videotestsrc (3 s) -> emovisfeat, seek to 1.2 s: one frame per hop from
 * 1.2 s on (GAP frames: no face in a test pattern). */
GST_START_TEST (test_seek_visfeat)
{
  GstClockTime pos = 1200 * GST_MSECOND;
  GstElement *p;
  Watch w;

  if (!g_file_test (CASCADE, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: no cascade %s\n", CASCADE);
    return;
  }
  p = launch ("videotestsrc num-buffers=75 ! video/x-raw,format=I420,"
      "width=160,height=120,framerate=25/1 ! emovisfeat name=feat "
      "! fakesink sync=false");
  watch_init (&w, pos);
  watch_pad (p, "feat", "src", &w);
  seek_and_play (p, pos, 3 * GST_SECOND);
  /* 1.2 s to 3 s: 18 frames */
  fail_unless_equals_int (check_grid (&w, "emovisfeat"), 18);
  watch_clear (&w);
  gst_object_unref (p);
}

GST_END_TEST;

/* ---- emoparse and emofuse on stored predictions ----------------------- */

/* A prediction CSV of `rows` rows; arousal of row i is i / 100 + offset. */
static gchar *
write_predictions (const gchar * tag, guint rows, gfloat offset)
{
  GString *s = g_string_new ("name;timestamp;arousal;valence\n");
  gchar *path = g_strdup_printf ("%s/emo-seek-%s-%u.csv", g_get_tmp_dir (),
      tag, (guint) getpid ());
  guint i;

  for (i = 0; i < rows; i++)
    g_string_append_printf (s, "s;%.1f;%.3f;%.3f\n", i * 0.1,
        i / 100.0 + offset, -0.5);
  fail_unless (g_file_set_contents (path, s->str, -1, NULL));
  g_string_free (s, TRUE);
  return path;
}

/* filesrc -> emoparse, seek to 1.0 s: the frames from 1.0 s on, carrying
 * the rows of those timestamps. */
GST_START_TEST (test_seek_parse)
{
  gchar *csv = write_predictions ("parse", 30, 0.0f), *desc;
  GstClockTime pos = GST_SECOND;
  GstElement *p;
  Watch w;
  guint i, n;

  desc = g_strdup_printf ("filesrc location=\"%s\" ! emoparse name=parse "
      "content=predictions ! fakesink sync=false", csv);
  p = launch (desc);
  watch_init (&w, pos);
  watch_pad (p, "parse", "src", &w);
  seek_and_play (p, pos, GST_CLOCK_TIME_NONE);
  n = check_grid (&w, "emoparse");
  fail_unless_equals_int (n, 20);
  for (i = 0; i < n; i++)
    fail_unless (fabsf (g_array_index (w.first_value, gfloat, i) -
            (10 + i) / 100.0f) < 1e-5f, "frame %u carries the wrong row", i);
  watch_clear (&w);
  gst_object_unref (p);
  g_unlink (csv);
  g_free (csv);
  g_free (desc);
}

GST_END_TEST;

/* Two stored prediction files -> emoparse x2 -> emofuse mode=mean, seek to
 * 0.7 s: fused frames from 0.7 s on, the mean of the two rows of the same
 * timestamp. */
GST_START_TEST (test_seek_fuse)
{
  gchar *a = write_predictions ("fa", 30, 0.0f);
  gchar *b = write_predictions ("fb", 30, 0.2f), *desc;
  GstClockTime pos = 700 * GST_MSECOND;
  GstElement *p;
  Watch w;
  guint i, n;

  desc = g_strdup_printf ("emofuse name=f mode=mean ! fakesink sync=false "
      "filesrc location=\"%s\" ! emoparse content=predictions ! f.sink_0 "
      "filesrc location=\"%s\" ! emoparse content=predictions ! f.sink_1",
      a, b);
  p = launch (desc);
  watch_init (&w, pos);
  watch_pad (p, "f", "src", &w);
  seek_and_play (p, pos, GST_CLOCK_TIME_NONE);
  n = check_grid (&w, "emofuse");
  fail_unless_equals_int (n, 23);
  for (i = 0; i < n; i++)
    fail_unless (fabsf (g_array_index (w.first_value, gfloat, i) -
            ((7 + i) / 100.0f + 0.1f)) < 1e-5f, "fused frame %u is wrong", i);
  watch_clear (&w);
  gst_object_unref (p);
  g_unlink (a);
  g_unlink (b);
  g_free (a);
  g_free (b);
  g_free (desc);
}

GST_END_TEST;

/* ---- the annotate graph on a file ------------------------------------- */

/* Video frames entering the overlay after the seek (deep copies by PTS) and
 * how many left it drawn on. */
typedef struct
{
  GstClockTime seek;
  gboolean in_seen, out_seen;
  GHashTable *in;               /* PTS -> GstBuffer copy */
  guint out, drawn;
  GstClockTime first_out;
  GMutex lock;
} Drawn;

static gboolean
segment_from_seek (GstEvent * ev, GstClockTime seek)
{
  const GstSegment *s;

  if (GST_EVENT_TYPE (ev) != GST_EVENT_SEGMENT)
    return FALSE;
  gst_event_parse_segment (ev, &s);
  return s->start + GST_MSECOND >= seek;
}

static gboolean
same_bytes (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}

static GstPadProbeReturn
overlay_in_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Drawn *d = data;

  g_mutex_lock (&d->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    d->in_seen |= segment_from_seek (GST_PAD_PROBE_INFO_EVENT (info), d->seek);
  else if (d->in_seen) {
    GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
    g_hash_table_insert (d->in, GUINT_TO_POINTER (GST_BUFFER_PTS (b)),
        gst_buffer_copy_deep (b));
  }
  g_mutex_unlock (&d->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
overlay_out_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Drawn *d = data;

  g_mutex_lock (&d->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    d->out_seen |= segment_from_seek (GST_PAD_PROBE_INFO_EVENT (info), d->seek);
  else if (d->out_seen) {
    GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
    GstBuffer *in = g_hash_table_lookup (d->in,
        GUINT_TO_POINTER (GST_BUFFER_PTS (b)));
    fail_unless (in != NULL, "overlay output %" GST_TIME_FORMAT
        " without its input", GST_TIME_ARGS (GST_BUFFER_PTS (b)));
    /* the demuxer starts at the key frame before the seek position; frames
     * before the segment are not shown (the sink clips them) */
    if (GST_BUFFER_PTS (b) >= d->seek) {
      if (d->out++ == 0)
        d->first_out = GST_BUFFER_PTS (b);
      d->drawn += !same_bytes (in, b);
    }
  }
  g_mutex_unlock (&d->lock);
  return GST_PAD_PROBE_OK;
}

static void
drawn_watch (GstElement * p, Drawn * d)
{
  GstElement *ov = gst_bin_get_by_name (GST_BIN (p), "ov");
  GstPad *in = gst_element_get_static_pad (ov, "video_sink");
  GstPad *out = gst_element_get_static_pad (ov, "src");
  GstPadProbeType t = GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM;

  gst_pad_add_probe (in, t, overlay_in_probe, d, NULL);
  gst_pad_add_probe (out, t, overlay_out_probe, d, NULL);
  gst_object_unref (in);
  gst_object_unref (out);
  gst_object_unref (ov);
}

/* Writes a 4 s Matroska clip: 320x240 at 25 fps (a face photo when
 * opencv-doc is installed, else a test pattern) and a 16 kHz voice-like
 * saw tone. Raw streams, so no encoder is needed. */
static gchar *
write_clip (void)
{
  gchar *path = g_strdup_printf ("%s/emo-seek-clip-%u.mkv", g_get_tmp_dir (),
      (guint) getpid ());
  gchar *video, *desc;
  GstElement *p;

  if (g_file_test (MESSI, G_FILE_TEST_EXISTS))
    video = g_strdup_printf ("filesrc location=%s ! jpegdec ! videoconvert "
        "! videoscale ! video/x-raw,format=I420,width=320,height=240 "
        "! imagefreeze num-buffers=100 ! video/x-raw,framerate=25/1", MESSI);
  else
    video = g_strdup ("videotestsrc num-buffers=100 pattern=ball "
        "! video/x-raw,format=I420,width=320,height=240,framerate=25/1");
  desc = g_strdup_printf ("%s ! queue ! matroskamux name=m ! filesink "
      "location=\"%s\" audiotestsrc num-buffers=40 samplesperbuffer=1600 "
      "wave=saw freq=160 volume=0.3 ! audio/x-raw,format=S16LE,rate=16000,"
      "channels=1 ! queue ! m.", video, path);
  p = launch (desc);
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  wait_for (p, GST_MESSAGE_EOS, "the clip written");
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (video);
  g_free (desc);
  return path;
}

/* The graph of `emo annotate` on a file, seek to 2 s: fused frames from
 * 2 s on inside the segment, and the overlay draws on the video after the
 * seek (it dropped every fused frame as outside the segment when emofuse
 * stamped running time). */
GST_START_TEST (test_seek_annotate_graph)
{
  static const gchar *need[] = { "matroskamux", "matroskademux", "jpegdec",
    "imagefreeze", NULL
  };
  gchar *audio = model_path ("emodb-audio.emo");
  gchar *video = model_path ("gencorpus-video.emo");
  gchar *clip, *desc;
  GstClockTime pos = 2 * GST_SECOND;
  GstElement *p;
  Watch fused, afeat, vfeat;
  Drawn d = { 0 };

  if (!have_elements (need) || !g_file_test (CASCADE, G_FILE_TEST_EXISTS))
    return;
  clip = write_clip ();
  desc = g_strdup_printf ("filesrc location=\"%s\" ! matroskademux name=d "
      "d.video_0 ! queue ! tee name=t "
      "t. ! queue ! emovisfeat name=vfeat ! emomtl model=\"%s\" source=video "
      "! queue ! f.sink_1 "
      "t. ! queue max-size-time=0 max-size-buffers=0 max-size-bytes=0 "
      "! ov.video_sink "
      "d.audio_0 ! queue ! audioconvert ! audioresample ! emoaudiofeat "
      "name=afeat "
      "! emomtl model=\"%s\" source=audio ! queue ! f.sink_0 "
      "emofuse name=f mode=mean ! queue ! ov.emo_sink "
      "emooverlay name=ov ! fakesink sync=false", clip, video, audio);
  p = launch (desc);
  watch_init (&fused, pos);
  watch_init (&afeat, pos);
  watch_init (&vfeat, pos);
  watch_pad (p, "f", "src", &fused);
  watch_pad (p, "afeat", "src", &afeat);
  watch_pad (p, "vfeat", "src", &vfeat);
  d.seek = pos;
  d.in = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) gst_buffer_unref);
  g_mutex_init (&d.lock);
  drawn_watch (p, &d);

  seek_and_play (p, pos, GST_CLOCK_TIME_NONE);

  fail_unless_equals_int (check_grid (&afeat, "emoaudiofeat"), 20);
  fail_unless_equals_int (check_grid (&vfeat, "emovisfeat"), 20);
  fail_unless_equals_int (check_grid (&fused, "emofuse"), 20);
  fail_unless (fused.gaps < 20, "every fused frame is GAP");
  g_print ("after the seek to 2 s: %u fused frames (first at %" GST_TIME_FORMAT
      "), %u of %u video frames drawn on (first at %" GST_TIME_FORMAT ")\n",
      fused.pts->len, GST_TIME_ARGS (g_array_index (fused.pts, GstClockTime,
              0)), d.drawn, d.out, GST_TIME_ARGS (d.first_out));
  /* 2 s of 25 fps video after the seek; each one shows a prediction */
  fail_unless_equals_int (d.out, 50);
  fail_unless_equals_uint64 (d.first_out, pos);
  fail_unless_equals_int (d.drawn, d.out);

  watch_clear (&fused);
  watch_clear (&afeat);
  watch_clear (&vfeat);
  g_hash_table_unref (d.in);
  g_mutex_clear (&d.lock);
  gst_object_unref (p);
  g_unlink (clip);
  g_free (clip);
  g_free (desc);
  g_free (audio);
  g_free (video);
}

GST_END_TEST;

static Suite *
seek_suite (void)
{
  Suite *s = suite_create ("seek");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 240);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_seek_audio_and_mtl);
  tcase_add_test (tc, test_seek_visfeat);
  tcase_add_test (tc, test_seek_parse);
  tcase_add_test (tc, test_seek_fuse);
  tcase_add_test (tc, test_seek_annotate_graph);
  return s;
}

GST_CHECK_MAIN (seek);
