/* emooverlay: the panel changes pixels inside its box and none outside, in
 * every supported format; each video frame shows the emotion frame covering
 * its start (25/30/60 fps, at the start and one hour in); hold-time after
 * the end of the emotion stream; no emotion frames -> untouched video; face
 * box from a region-of-interest meta; flushing forgets held frames. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/emo/gstemo.h>
#include <math.h>
#include <string.h>

#include "draw/emo-draw.h"

#define W 320
#define H 240
#define HOP (100 * GST_MSECOND)

typedef struct
{
  GstHarness *v;                /* video_sink -> src */
  GstHarness *e;                /* emo_sink */
  GstVideoInfo info;
} Fixture;

static void
fixture_init (Fixture * fx, const gchar * format, gint width, gint height,
    gint fps, gboolean with_emo, const gchar * props)
{
  GstCaps *caps;

  fx->v = gst_harness_new_with_padnames ("emooverlay", "video_sink", "src");
  if (props && *props) {
    gchar **kv = g_strsplit (props, " ", -1);
    guint i;
    for (i = 0; kv[i]; i++) {
      gchar **p = g_strsplit (kv[i], "=", 2);
      if (p[0] && p[1])
        gst_util_set_object_arg (G_OBJECT (fx->v->element), p[0], p[1]);
      g_strfreev (p);
    }
    g_strfreev (kv);
  }
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, format,
      "width", G_TYPE_INT, width, "height", G_TYPE_INT, height,
      "framerate", GST_TYPE_FRACTION, fps, 1, NULL);
  fail_unless (gst_video_info_from_caps (&fx->info, caps));
  gst_harness_set_src_caps (fx->v, caps);
  fx->e = NULL;
  if (with_emo) {
    fx->e = gst_harness_new_with_element (fx->v->element, "emo_sink", NULL);
    gst_harness_set_src_caps (fx->e, gst_emo_frames_caps_new (3, 10, 1,
            "predictions"));
  }
}

static void
fixture_clear (Fixture * fx)
{
  if (fx->e)
    gst_harness_teardown (fx->e);
  gst_harness_teardown (fx->v);
}

static GstBuffer *
emo_frame (guint64 k, gfloat a, gfloat v, gfloat l, guint n)
{
  static const gchar *names[] = { "arousal", "valence", "liking" };
  gfloat vals[3] = { a, v, l };
  GstBuffer *b = gst_buffer_new_allocate (NULL, 3 * sizeof (gfloat), NULL);

  gst_buffer_fill (b, 0, vals, sizeof vals);
  GST_BUFFER_PTS (b) = k * HOP;
  GST_BUFFER_DURATION (b) = HOP;
  gst_buffer_add_emo_prediction_meta (b, "test", 1, n, names, vals, NULL);
  return b;
}

/* emotion frames 0 .. n-1, all with the same values */
static void
push_emo_frames (Fixture * fx, guint n, gfloat a, gfloat v, gfloat l,
    guint n_values)
{
  guint k;

  for (k = 0; k < n; k++)
    fail_unless_equals_int (gst_harness_push (fx->e, emo_frame (k, a, v, l,
                n_values)), GST_FLOW_OK);
}

/* a pattern with no zero bytes, different in every plane */
static GstBuffer *
video_frame (Fixture * fx, GstClockTime pts)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, fx->info.size, NULL);
  GstVideoFrame f;
  guint p;
  gint x, y;

  fail_unless (gst_video_frame_map (&f, &fx->info, b, GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&f); p++) {
    guint8 *d = GST_VIDEO_FRAME_PLANE_DATA (&f, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&f, p);
    gint rows = GST_VIDEO_FRAME_COMP_HEIGHT (&f, p == 0 ? 0 : 1);
    for (y = 0; y < rows; y++)
      for (x = 0; x < stride; x++)
        d[y * stride + x] = 60 + (x * 7 + y * 13 + p * 29) % 150;
  }
  gst_video_frame_unmap (&f);
  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = GST_CLOCK_TIME_NONE;
  return b;
}

/* Does byte x of row y of plane p belong to a pixel (or chroma sample)
 * touching the rectangle? */
static gboolean
in_rect (const GstVideoInfo * info, guint p, gint x, gint y, gint rx, gint ry,
    gint rw, gint rh)
{
  gint x0, x1, y0, y1;
  GstVideoFormat fmt = GST_VIDEO_INFO_FORMAT (info);

  if (fmt == GST_VIDEO_FORMAT_I420 || fmt == GST_VIDEO_FORMAT_NV12) {
    if (p == 0) {
      x0 = x1 = x;
      y0 = y1 = y;
    } else {
      gint cx = fmt == GST_VIDEO_FORMAT_NV12 ? x / 2 : x;
      x0 = 2 * cx;
      x1 = 2 * cx + 1;
      y0 = 2 * y;
      y1 = 2 * y + 1;
    }
  } else {
    x0 = x1 = x / 4;
    y0 = y1 = y;
  }
  return x1 >= rx && x0 < rx + rw && y1 >= ry && y0 < ry + rh;
}

/* Counts differing bytes inside and outside the rectangle. */
static void
compare (const GstVideoInfo * info, GstBuffer * a, GstBuffer * b, gint rx,
    gint ry, gint rw, gint rh, guint * diff_in, guint * diff_out,
    guint * total_in)
{
  GstVideoFrame fa, fb;
  guint p;
  gint x, y;

  *diff_in = *diff_out = *total_in = 0;
  fail_unless (gst_video_frame_map (&fa, (GstVideoInfo *) info, a,
          GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fb, (GstVideoInfo *) info, b,
          GST_MAP_READ));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&fa); p++) {
    const guint8 *da = GST_VIDEO_FRAME_PLANE_DATA (&fa, p);
    const guint8 *db = GST_VIDEO_FRAME_PLANE_DATA (&fb, p);
    gint sa = GST_VIDEO_FRAME_PLANE_STRIDE (&fa, p);
    gint sb = GST_VIDEO_FRAME_PLANE_STRIDE (&fb, p);
    gint rows = GST_VIDEO_FRAME_COMP_HEIGHT (&fa, p == 0 ? 0 : 1);
    gint bytes = GST_VIDEO_FRAME_COMP_WIDTH (&fa, p == 0 ? 0 : 1) *
        GST_VIDEO_FRAME_COMP_PSTRIDE (&fa, p == 0 ? 0 : 1);
    for (y = 0; y < rows; y++) {
      for (x = 0; x < bytes; x++) {
        gboolean in = in_rect (info, p, x, y, rx, ry, rw, rh);
        gboolean d = da[y * sa + x] != db[y * sb + x];
        if (in) {
          (*total_in)++;
          *diff_in += d;
        } else {
          *diff_out += d;
        }
      }
    }
  }
  gst_video_frame_unmap (&fa);
  gst_video_frame_unmap (&fb);
}

static void
panel_rect (gdouble scale, gint height, gint * x, gint * y, gint * w, gint * h)
{
  gdouble eff = scale * height / 480.0;
  fail_unless (emo_draw_panel_size (EMO_DRAW_BARS | EMO_DRAW_PLANE, eff, w, h));
  *x = *y = (gint) lrint (12.0 * eff);
}

static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
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

/* Pushes a video frame at `pts`, pulls the output and tells whether the
 * overlay changed any byte of it. */
static gboolean
frame_changed (Fixture * fx, GstClockTime pts)
{
  GstBuffer *in = video_frame (fx, pts), *out;
  gboolean changed;

  fail_unless_equals_int (gst_harness_push (fx->v, gst_buffer_ref (in)),
      GST_FLOW_OK);
  out = gst_harness_pull (fx->v);
  fail_unless (out != NULL);
  changed = !buffers_equal (in, out);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  return changed;
}

static const gchar *formats[] = { "BGRA", "RGBA", "BGRx", "RGBx", "ARGB",
  "xBGR", "I420", "NV12"
};

GST_START_TEST (test_pixels_only_in_panel)
{
  const gchar *format = formats[__i__];
  Fixture fx;
  GstBuffer *in, *out;
  guint diff_in, diff_out, total_in;
  gint rx, ry, rw, rh;

  fixture_init (&fx, format, W, H, 25, TRUE, NULL);
  push_emo_frames (&fx, 10, 0.5f, -0.3f, 0.2f, 3);
  in = video_frame (&fx, 520 * GST_MSECOND);
  fail_unless_equals_int (gst_harness_push (fx.v, gst_buffer_ref (in)),
      GST_FLOW_OK);
  out = gst_harness_pull (fx.v);
  fail_unless (out != NULL);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 520 * GST_MSECOND);

  panel_rect (1.0, H, &rx, &ry, &rw, &rh);
  compare (&fx.info, in, out, rx, ry, rw, rh, &diff_in, &diff_out, &total_in);
  GST_INFO ("%s: %u/%u bytes differ inside, %u outside", format, diff_in,
      total_in, diff_out);
  fail_unless_equals_int (diff_out, 0);
  /* the translucent background alone changes almost every byte */
  fail_unless (diff_in > total_in / 2, "%s: only %u of %u bytes changed",
      format, diff_in, total_in);

  gst_buffer_unref (in);
  gst_buffer_unref (out);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Output frames change exactly when the covering emotion frame changes. */
static void
check_selection (gint fps, guint64 first_k, guint n_video)
{
  Fixture fx;
  GstBuffer *prev = NULL;
  guint64 k, n0, n;
  gint64 prev_k = -1;
  guint changes = 0;

  fixture_init (&fx, "BGRx", W, H, fps, TRUE, "trail-length=0");
  /* emotion frames covering the whole video window, distinct values */
  for (k = first_k; k < first_k + (n_video * 10) / fps + 2; k++)
    fail_unless_equals_int (gst_harness_push (fx.e, emo_frame (k,
                -0.95f + 0.1f * (k % 20), 0.0f, 0.0f, 3)), GST_FLOW_OK);

  n0 = gst_util_uint64_scale_ceil (first_k * HOP, fps, GST_SECOND);
  for (n = n0; n < n0 + n_video; n++) {
    GstClockTime t = gst_util_uint64_scale (n, GST_SECOND, fps);
    gint64 want_k = t / HOP;
    GstBuffer *out;

    fail_unless_equals_int (gst_harness_push (fx.v, video_frame (&fx, t)),
        GST_FLOW_OK);
    out = gst_harness_pull (fx.v);
    if (prev) {
      gboolean same = buffers_equal (prev, out);
      fail_unless (same == (want_k == prev_k),
          "%d fps, frame %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT
          ": emotion frame %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT
          " but output %s", fps, n, GST_TIME_ARGS (t), want_k, prev_k,
          same ? "unchanged" : "changed");
      changes += !same;
      gst_buffer_unref (prev);
    }
    prev = out;
    prev_k = want_k;
  }
  gst_buffer_unref (prev);
  /* 10 emotion frames per second of video */
  fail_unless (changes + 1 >= (n_video * 10) / fps);
  fixture_clear (&fx);
}

GST_START_TEST (test_selection_25_30_60)
{
  static const gint fps[] = { 25, 30, 60 };
  check_selection (fps[__i__], 0, 2 * fps[__i__]);
  /* one hour in: no drift */
  check_selection (fps[__i__], 35990, 2 * fps[__i__]);
}

GST_END_TEST;

GST_START_TEST (test_no_emo_frames)
{
  Fixture fx;

  /* emotion pad linked, stream ends without frames: video passes */
  fixture_init (&fx, "I420", W, H, 30, TRUE, NULL);
  fail_unless (gst_harness_push_event (fx.e, gst_event_new_eos ()));
  fail_if (frame_changed (&fx, 0));
  fixture_clear (&fx);

  /* emotion pad not linked: video passes */
  fixture_init (&fx, "RGBA", W, H, 30, FALSE, NULL);
  fail_if (frame_changed (&fx, 0));
  fixture_clear (&fx);
}

GST_END_TEST;

GST_START_TEST (test_hold_after_eos)
{
  Fixture fx;

  fixture_init (&fx, "BGRA", W, H, 25, TRUE, "hold-time=500000000");
  push_emo_frames (&fx, 10, 0.1f, 0.2f, 0.3f, 2);
  fail_unless (gst_harness_push_event (fx.e, gst_event_new_eos ()));

  /* 1.2 s: 0.2 s after the last frame ended, within hold-time */
  fail_unless (frame_changed (&fx, 1200 * GST_MSECOND));
  /* 1.6 s: beyond hold-time, the panel is gone */
  fail_if (frame_changed (&fx, 1600 * GST_MSECOND));
  fixture_clear (&fx);
}

GST_END_TEST;

GST_START_TEST (test_gap_and_nan)
{
  Fixture fx;
  GstBuffer *gap;
  gfloat nan3[3] = { NAN, NAN, NAN };

  fixture_init (&fx, "NV12", W, H, 25, TRUE, "hold-time=0");
  /* a frame whose values are all NaN draws no panel */
  gap = gst_buffer_new_allocate (NULL, sizeof nan3, NULL);
  gst_buffer_fill (gap, 0, nan3, sizeof nan3);
  GST_BUFFER_PTS (gap) = 0;
  GST_BUFFER_DURATION (gap) = HOP;
  {
    static const gchar *names[] = { "arousal", "valence", "liking" };
    gst_buffer_add_emo_prediction_meta (gap, "test", 1, 3, names, nan3, NULL);
  }
  gst_harness_push (fx.e, gap);
  /* a GAP frame: zero payload, flagged */
  gap = gst_buffer_new_allocate (NULL, sizeof nan3, NULL);
  gst_buffer_memset (gap, 0, 0, sizeof nan3);
  GST_BUFFER_PTS (gap) = HOP;
  GST_BUFFER_DURATION (gap) = HOP;
  GST_BUFFER_FLAG_SET (gap, GST_BUFFER_FLAG_GAP);
  gst_harness_push (fx.e, gap);
  gst_harness_push (fx.e, emo_frame (2, 0.4f, 0.4f, 0.0f, 2));

  fail_if (frame_changed (&fx, 50 * GST_MSECOND));
  fail_if (frame_changed (&fx, 150 * GST_MSECOND));
  /* a prediction without liking is drawn */
  fail_unless (frame_changed (&fx, 250 * GST_MSECOND));
  fixture_clear (&fx);
}

GST_END_TEST;

GST_START_TEST (test_face_box)
{
  Fixture fx;
  GstBuffer *in, *out, *e;
  GstVideoFrame fi, fo;
  const guint8 *pi, *po;
  gint si;

  fixture_init (&fx, "BGRx", W, H, 25, TRUE, "parts=face");
  e = emo_frame (0, 0.1f, 0.1f, 0.1f, 3);
  gst_buffer_add_video_region_of_interest_meta (e, "face", 100, 80, 60, 70);
  gst_harness_push (fx.e, e);
  gst_harness_push (fx.e, emo_frame (1, 0.1f, 0.1f, 0.1f, 3));

  in = video_frame (&fx, 40 * GST_MSECOND);
  gst_harness_push (fx.v, gst_buffer_ref (in));
  out = gst_harness_pull (fx.v);
  fail_unless (gst_video_frame_map (&fi, &fx.info, in, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fo, &fx.info, out, GST_MAP_READ));
  pi = GST_VIDEO_FRAME_PLANE_DATA (&fi, 0);
  po = GST_VIDEO_FRAME_PLANE_DATA (&fo, 0);
  si = GST_VIDEO_FRAME_PLANE_STRIDE (&fi, 0);
  /* top edge drawn, centre and far corner untouched; no panel (parts=face) */
  fail_if (memcmp (pi + 80 * si + 120 * 4, po + 80 * si + 120 * 4, 3) == 0);
  fail_unless (memcmp (pi + 115 * si + 130 * 4, po + 115 * si + 130 * 4,
          4) == 0);
  fail_unless (memcmp (pi + 20 * si + 20 * 4, po + 20 * si + 20 * 4, 4) == 0);
  gst_video_frame_unmap (&fi);
  gst_video_frame_unmap (&fo);
  gst_buffer_unref (in);
  gst_buffer_unref (out);

  /* the next emotion frame has no face: no box */
  fail_if (frame_changed (&fx, 120 * GST_MSECOND));
  fixture_clear (&fx);
}

GST_END_TEST;

GST_START_TEST (test_flush_forgets)
{
  Fixture fx;

  fixture_init (&fx, "RGBx", W, H, 25, TRUE, "wait=false");
  push_emo_frames (&fx, 10, 0.1f, 0.2f, 0.3f, 3);
  fail_unless (gst_harness_push_event (fx.e, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (fx.e, gst_event_new_flush_stop (TRUE)));
  /* the emotion stream restarts: a segment again, then nothing yet */
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    fail_unless (gst_harness_push_event (fx.e, gst_event_new_segment (&seg)));
  }
  fail_if (frame_changed (&fx, 500 * GST_MSECOND));
  fixture_clear (&fx);
}

GST_END_TEST;

/* A seek from downstream reaches both upstreams. */
GST_START_TEST (test_seek_both_pads)
{
  Fixture fx;
  guint v0, e0;

  fixture_init (&fx, "I420", W, H, 25, TRUE, NULL);
  v0 = gst_harness_upstream_events_received (fx.v);
  e0 = gst_harness_upstream_events_received (fx.e);
  fail_unless (gst_harness_push_upstream_event (fx.v,
          gst_event_new_seek (1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH,
              GST_SEEK_TYPE_SET, 10 * GST_SECOND, GST_SEEK_TYPE_NONE, 0)));
  fail_unless_equals_int (gst_harness_upstream_events_received (fx.v), v0 + 1);
  fail_unless_equals_int (gst_harness_upstream_events_received (fx.e), e0 + 1);
  fixture_clear (&fx);
}

GST_END_TEST;

typedef struct
{
  GstHarness *h;
  GstBuffer *buf;
  GstFlowReturn ret;
} PushJob;

static gpointer
push_thread (gpointer data)
{
  PushJob *j = data;
  j->ret = gst_harness_push (j->h, j->buf);
  return NULL;
}

GST_START_TEST (test_wait_for_emo)
{
  Fixture fx;
  PushJob job;
  GThread *th;
  GstBuffer *out;

  fixture_init (&fx, "BGRA", W, H, 25, TRUE, NULL);
  job.h = fx.v;
  job.buf = video_frame (&fx, 250 * GST_MSECOND);
  th = g_thread_new ("video", push_thread, &job);
  /* the video frame at 0.25 s waits for the emotion frame covering it */
  gst_harness_push (fx.e, emo_frame (0, 0.1f, 0.2f, 0.3f, 3));
  gst_harness_push (fx.e, emo_frame (1, 0.1f, 0.2f, 0.3f, 3));
  g_usleep (100 * 1000);
  fail_unless_equals_int (gst_harness_buffers_received (fx.v), 0);
  gst_harness_push (fx.e, emo_frame (2, 0.1f, 0.2f, 0.3f, 3));
  g_thread_join (th);
  fail_unless_equals_int (job.ret, GST_FLOW_OK);
  out = gst_harness_pull (fx.v);
  fail_unless (out != NULL);
  gst_buffer_unref (out);

  /* EOS on the emotion pad releases a waiting video frame */
  job.buf = video_frame (&fx, 2 * GST_SECOND);
  th = g_thread_new ("video", push_thread, &job);
  g_usleep (50 * 1000);
  fail_unless (gst_harness_push_event (fx.e, gst_event_new_eos ()));
  g_thread_join (th);
  fail_unless_equals_int (job.ret, GST_FLOW_OK);
  out = gst_harness_pull (fx.v);
  gst_buffer_unref (out);
  fixture_clear (&fx);
}

GST_END_TEST;

GST_START_TEST (test_latency_and_caps)
{
  Fixture fx;
  GstQuery *q;
  GstCaps *caps;
  gboolean live;
  GstClockTime min, max;

  fixture_init (&fx, "I420", W, H, 25, TRUE, NULL);
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (fx.v->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless_equals_uint64 (min, 0);
  gst_query_unref (q);

  /* only raw video in the supported formats */
  caps = gst_pad_peer_query_caps (fx.v->srcpad, NULL);
  {
    GstCaps *nv12 = gst_caps_from_string ("video/x-raw,format=NV12");
    GstCaps *yuy2 = gst_caps_from_string ("video/x-raw,format=YUY2");
    fail_unless (gst_caps_can_intersect (caps, nv12));
    fail_if (gst_caps_can_intersect (caps, yuy2));
    gst_caps_unref (nv12);
    gst_caps_unref (yuy2);
  }
  gst_caps_unref (caps);
  fixture_clear (&fx);
}

GST_END_TEST;

/* The cached YUV blend gives exactly the bytes of the direct one, at even
 * and odd positions, clipped at the frame edge. */
GST_START_TEST (test_blend_cache_exact)
{
  static const EmoImageLayout layouts[] = { EMO_IMAGE_I420, EMO_IMAGE_NV12 };
  static const gint pos[][2] = { {12, 12}, {7, 3}, {-20, 200}, {250, 231} };
  EmoDrawTrailPoint tr[20];
  EmoDrawState st;
  cairo_surface_t *layer;
  cairo_t *cr;
  EmoBlendCache *cache = emo_blend_cache_new ();
  gint w, h, i, l, p, round;
  gsize size = W * H * 3 / 2;
  guint8 *a = g_malloc (size), *b = g_malloc (size);

  memset (&st, 0, sizeof st);
  for (i = 0; i < 20; i++) {
    tr[i].age = (19 - i) * 0.1;
    tr[i].arousal = i / 20.0f;
    tr[i].valence = -i / 25.0f;
  }
  st.present[0] = st.present[1] = TRUE;
  st.values[0] = 0.4f;
  st.values[1] = -0.7f;
  st.trail = tr;
  st.n_trail = 20;
  st.trail_length = 5.0;
  fail_unless (emo_draw_panel_size (EMO_DRAW_BARS | EMO_DRAW_PLANE, 0.5, &w,
          &h));
  layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (layer);
  emo_draw_panel (cr, EMO_DRAW_BARS | EMO_DRAW_PLANE, 0.5, 0.8, &st);
  cairo_destroy (cr);

  for (l = 0; l < 2; l++) {
    for (p = 0; p < (gint) G_N_ELEMENTS (pos); p++) {
      EmoImage ia, ib;
      memset (&ia, 0, sizeof ia);
      ia.layout = layouts[l];
      ia.width = W;
      ia.height = H;
      ia.kr = 0.2126;
      ia.kb = 0.0722;
      ia.stride[0] = W;
      ia.stride[1] = layouts[l] == EMO_IMAGE_I420 ? W / 2 : W;
      ia.stride[2] = W / 2;
      ib = ia;
      ia.data[0] = a;
      ia.data[1] = a + W * H;
      ia.data[2] = a + W * H * 5 / 4;
      ib.data[0] = b;
      ib.data[1] = b + W * H;
      ib.data[2] = b + W * H * 5 / 4;
      /* twice: the second blend uses the cache built by the first */
      for (round = 0; round < 2; round++) {
        for (i = 0; i < (gint) size; i++)
          a[i] = b[i] = 16 + (i * 31) % 220;
        emo_image_blend_layer (&ia, layer, pos[p][0], pos[p][1]);
        emo_image_blend_layer_cached (&ib, layer, pos[p][0], pos[p][1], cache);
        fail_unless (memcmp (a, b, size) == 0, "layout %d pos %d: %s", l, p,
            round == 0 ? "first" : "cached");
      }
    }
  }
  cairo_surface_destroy (layer);
  emo_blend_cache_free (cache);
  g_free (a);
  g_free (b);
}

GST_END_TEST;

static Suite *
emooverlay_suite (void)
{
  Suite *s = suite_create ("emooverlay");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_pixels_only_in_panel, 0,
      G_N_ELEMENTS (formats));
  tcase_add_loop_test (tc, test_selection_25_30_60, 0, 3);
  tcase_add_test (tc, test_no_emo_frames);
  tcase_add_test (tc, test_hold_after_eos);
  tcase_add_test (tc, test_gap_and_nan);
  tcase_add_test (tc, test_face_box);
  tcase_add_test (tc, test_flush_forgets);
  tcase_add_test (tc, test_wait_for_emo);
  tcase_add_test (tc, test_latency_and_caps);
  tcase_add_test (tc, test_blend_cache_exact);
  tcase_add_test (tc, test_seek_both_pads);
  return s;
}

GST_CHECK_MAIN (emooverlay);
