/* emomtl: predictions equal the kernels' streaming inference, caps checks,
 * GAP / DISCONT / flush handling, messages, and an hour of input without
 * NaN or drift. */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/emo/gstemo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "ml/emo-model.h"

#define NIN 4

static gchar *model_path;

static void
write_model (void)
{
  const gchar *names[] = { "arousal", "valence", "liking", NULL };
  guint hidden[] = { 16, 8 };
  EmoNet *net = emo_net_new (EMO_NET_LSTM, NIN, 2, hidden, 3, NULL);
  EmoModel *m;
  EmoRng rng;
  GError *e = NULL;
  guint i;

  emo_rng_init (&rng, 11);
  emo_net_init_weights (net, &rng);
  m = emo_model_new ("test-v1", net, names);
  for (i = 0; i < NIN; i++) {
    m->mean[i] = 0.5f * i;
    m->std[i] = 1.0f + i;
  }
  m->rec.delay = 2.0f;
  model_path =
      g_build_filename (g_get_tmp_dir (), "emomtl-test-model.emo", NULL);
  g_assert_true (emo_model_save (m, model_path, &e));
  emo_model_free (m);
}

static void
frame_values (guint64 k, float *v)
{
  guint i;
  for (i = 0; i < NIN; i++)
    v[i] = (float) (sin (0.37 * k + i) * (1 + i) + 0.5 * i);
}

static GstBuffer *
frame (guint64 k, gboolean gap)
{
  float v[NIN] = { 0 };
  GstBuffer *b = gst_buffer_new_allocate (NULL, sizeof (v), NULL);
  if (gap)
    GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_GAP);
  else
    frame_values (k, v);
  gst_buffer_fill (b, 0, v, sizeof (v));
  GST_BUFFER_PTS (b) = k * 100 * GST_MSECOND;
  GST_BUFFER_DURATION (b) = 100 * GST_MSECOND;
  return b;
}

static GstHarness *
setup (const gchar * extra, const gchar * layout, guint dims)
{
  gchar *desc = g_strdup_printf ("emomtl model=\"%s\" %s", model_path,
      extra ? extra : "");
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (dims, 10, 1, layout));
  return h;
}

/* reference: the kernels directly, streaming from the zero state */
typedef struct
{
  EmoModel *m;
  EmoNetState *st;
  EmoNetWork *w;
} Ref;

static void
ref_init (Ref * r)
{
  r->m = emo_model_load (model_path, NULL);
  fail_unless (r->m != NULL);
  r->st = emo_net_state_new (r->m->net);
  r->w = emo_net_work_new (r->m->net, 1);
}

static void
ref_step (Ref * r, guint64 k, float *y)
{
  float x[NIN], xn[NIN];
  frame_values (k, x);
  emo_model_normalise (r->m, x, xn, 1);
  emo_net_forward (r->m->net, r->st, r->w, xn, 1, y, NULL);
}

static void
ref_clear (Ref * r)
{
  emo_net_state_free (r->st);
  emo_net_work_free (r->w);
  emo_model_free (r->m);
}

static void
check_pred (GstBuffer * b, const float *y, const gchar * source)
{
  GstEmoPredictionMeta *pm = gst_buffer_get_emo_prediction_meta (b);
  guint k;
  fail_unless (pm != NULL);
  fail_unless_equals_int (pm->n_values, 3);
  fail_unless_equals_string (pm->names[0], "arousal");
  fail_unless_equals_string (pm->names[2], "liking");
  fail_unless_equals_string (pm->source, source);
  for (k = 0; k < 3; k++)
    fail_unless (fabsf (pm->values[k] - y[k]) < 1e-6,
        "value %u: %g vs %g", k, pm->values[k], y[k]);
}

GST_START_TEST (test_predictions_match_kernels)
{
  GstHarness *h = setup (NULL, "test-v1", NIN);
  Ref r;
  guint64 k;
  float y[3];

  ref_init (&r);
  for (k = 0; k < 50; k++) {
    GstBuffer *b;
    fail_unless_equals_int (gst_harness_push (h, frame (k, FALSE)),
        GST_FLOW_OK);
    b = gst_harness_pull (h);
    ref_step (&r, k, y);
    check_pred (b, y, "emomtl-test-model");
    /* features pass through untouched */
    {
      float v[NIN], x[NIN];
      gst_buffer_extract (b, 0, v, sizeof (v));
      frame_values (k, x);
      fail_unless (memcmp (v, x, sizeof (v)) == 0);
    }
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), k * 100 * GST_MSECOND);
    gst_buffer_unref (b);
  }
  ref_clear (&r);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap_discont_flush)
{
  GstHarness *h = setup ("source=audio-mtl", "test-v1", NIN);
  Ref r;
  float y[3], held[3];
  GstBuffer *b;
  guint64 k;

  ref_init (&r);
  for (k = 0; k < 10; k++) {
    gst_harness_push (h, frame (k, FALSE));
    b = gst_harness_pull (h);
    ref_step (&r, k, y);
    check_pred (b, y, "audio-mtl");
    gst_buffer_unref (b);
  }
  memcpy (held, y, sizeof (y));
  /* two GAP frames: last prediction held, state not advanced */
  for (k = 10; k < 12; k++) {
    gst_harness_push (h, frame (k, TRUE));
    b = gst_harness_pull (h);
    fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    check_pred (b, held, "audio-mtl");
    gst_buffer_unref (b);
  }
  gst_harness_push (h, frame (12, FALSE));
  b = gst_harness_pull (h);
  ref_step (&r, 12, y);
  check_pred (b, y, "audio-mtl");
  gst_buffer_unref (b);

  /* DISCONT: from the zero state again */
  b = frame (13, FALSE);
  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
  gst_harness_push (h, b);
  b = gst_harness_pull (h);
  emo_net_state_reset (r.st);
  ref_step (&r, 13, y);
  check_pred (b, y, "audio-mtl");
  gst_buffer_unref (b);
  gst_harness_push (h, frame (14, FALSE));
  b = gst_harness_pull (h);
  ref_step (&r, 14, y);
  check_pred (b, y, "audio-mtl");
  gst_buffer_unref (b);

  /* flush: reset too */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  }
  gst_harness_push (h, frame (15, FALSE));
  b = gst_harness_pull (h);
  emo_net_state_reset (r.st);
  ref_step (&r, 15, y);
  check_pred (b, y, "audio-mtl");
  gst_buffer_unref (b);

  ref_clear (&r);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap_skip_and_first_gap)
{
  GstHarness *h = setup ("gap-policy=skip", "test-v1", NIN);
  GstBuffer *b;
  gst_harness_push (h, frame (0, TRUE));
  b = gst_harness_pull (h);
  fail_unless (gst_buffer_get_emo_prediction_meta (b) == NULL);
  gst_buffer_unref (b);
  gst_harness_teardown (h);

  /* hold before any real frame: a finite neutral prediction */
  h = setup (NULL, "test-v1", NIN);
  gst_harness_push (h, frame (0, TRUE));
  b = gst_harness_pull (h);
  {
    GstEmoPredictionMeta *pm = gst_buffer_get_emo_prediction_meta (b);
    fail_unless (pm != NULL);
    fail_unless (isfinite (pm->values[0]) && isfinite (pm->values[2]));
  }
  gst_buffer_unref (b);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstMessage *
pop_error (GstBus * bus)
{
  return gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
}

/* An emomtl configured with `model` (and `norm-stats` when not NULL) must
 * refuse to start, posting an error whose message names `in_message` and
 * whose debug text contains `in_debug`. */
static void
expect_start_error (const gchar * model, const gchar * stats,
    const gchar * in_message, const gchar * in_debug)
{
  GstElement *e = gst_element_factory_make ("emomtl", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  g_object_set (e, "model", model, "norm-stats", stats, NULL);
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = pop_error (bus);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  if (in_message)
    fail_unless (strstr (err->message, in_message) != NULL, "%s", err->message);
  if (in_debug)
    fail_unless (dbg && strstr (dbg, in_debug) != NULL, "%s", dbg);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_START_TEST (test_caps_mismatch)
{
  const gchar *layouts[] = { "other-v1", "test-v1" };
  guint dims[] = { NIN, NIN + 1 };
  guint i;

  for (i = 0; i < 2; i++) {
    GstHarness *h;
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    GError *err = NULL;
    gchar *desc = g_strdup_printf ("emomtl model=\"%s\"", model_path);

    h = gst_harness_new_parse (desc);
    g_free (desc);
    gst_element_set_bus (h->element, bus);
    gst_harness_set_src_caps (h, gst_emo_frames_caps_new (dims[i], 10, 1,
            layouts[i]));
    fail_if (gst_harness_push (h, frame (0, FALSE)) == GST_FLOW_OK);
    msg = pop_error (bus);
    fail_unless (msg != NULL);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (strstr (err->message, "expects layout \"test-v1\" with 4"),
        "%s", err->message);
    fail_unless (strstr (err->message, "emomtl-test-model.emo") != NULL);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_model)
{
  gchar *bad = g_build_filename (g_get_tmp_dir (), "emomtl-bad.emo", NULL);

  g_file_set_contents (bad, "EMOMODEL\001\000\000\000", 12, NULL);
  expect_start_error (bad, NULL, "emomtl-bad.emo", "truncated");
  /* no model at all */
  expect_start_error (NULL, NULL, NULL, NULL);
  g_unlink (bad);
  g_free (bad);
}

GST_END_TEST;

GST_START_TEST (test_messages_and_latency)
{
  GstHarness *h = setup ("post-messages=true", "test-v1", NIN);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint n = 0;
  guint64 k;

  gst_element_set_bus (h->element, bus);
  for (k = 0; k < 5; k++) {
    gst_harness_push (h, frame (k, FALSE));
    gst_buffer_unref (gst_harness_pull (h));
  }
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    gdouble a;
    guint64 ts;
    fail_unless (gst_structure_has_name (s, "emomtl"));
    fail_unless (gst_structure_get_double (s, "arousal", &a));
    fail_unless (isfinite (a));
    fail_unless (gst_structure_get_uint64 (s, "timestamp", &ts));
    fail_unless_equals_uint64 (ts, n * 100 * GST_MSECOND);
    fail_unless_equals_string (gst_structure_get_string (s, "source"),
        "emomtl-test-model");
    n++;
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n, 5);
  /* no lookahead: the element adds nothing to upstream's latency */
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 0);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* An hour of frames (10/s): a one-minute pattern repeated 60 times. Once the
 * state has forgotten the start, each minute must give the same outputs as
 * the previous one: no NaN, no drift. With reset-interval the state is
 * bounded by construction and the same holds. */
static void
run_hour (const gchar * extra)
{
  GstHarness *h = setup (extra, "test-v1", NIN);
  const guint period = 600, minutes = 60;
  float *minute2 = g_new (float, period * 3), *last = g_new (float, period * 3);
  double worst = 0;
  guint64 k;

  for (k = 0; k < (guint64) period * minutes; k++) {
    GstBuffer *b;
    GstEmoPredictionMeta *pm;
    guint i;
    fail_unless_equals_int (gst_harness_push (h, frame (k % period, FALSE)),
        GST_FLOW_OK);
    b = gst_harness_pull (h);
    pm = gst_buffer_get_emo_prediction_meta (b);
    for (i = 0; i < 3; i++)
      fail_unless (isfinite (pm->values[i]), "NaN at frame %" G_GUINT64_FORMAT,
          k);
    if (k / period == 1)
      memcpy (minute2 + (k % period) * 3, pm->values, 3 * sizeof (float));
    if (k / period == minutes - 1)
      memcpy (last + (k % period) * 3, pm->values, 3 * sizeof (float));
    gst_buffer_unref (b);
  }
  for (k = 0; k < period * 3; k++)
    worst = MAX (worst, fabs (minute2[k] - last[k]));
  GST_INFO ("%s: max difference minute 2 vs minute 60: %g", extra, worst);
  fail_unless (worst < 1e-4, "drift %g", worst);
  g_free (minute2);
  g_free (last);
  gst_harness_teardown (h);
}

GST_START_TEST (test_hour_no_drift)
{
  run_hour ("");
  run_hour ("reset-interval=600");
}

GST_END_TEST;

/* a copy of the test model that asks for per-stream normalisation */
static gchar *
write_stream_model (float std, float warmup)
{
  EmoModel *m = emo_model_load (model_path, NULL);
  gchar *path = g_build_filename (g_get_tmp_dir (),
      std < 0.01f ? "emomtl-test-stream-tiny.emo" : "emomtl-test-stream.emo",
      NULL);
  GError *e = NULL;
  guint i;

  fail_unless (m != NULL);
  m->norm = EMO_NORM_STREAM;
  m->norm_warmup = warmup;
  m->norm_window = 0.0f;
  if (std < 0.01f)
    for (i = 0; i < NIN; i++)
      m->std[i] = std;
  fail_unless (emo_model_save (m, path, &e));
  emo_model_free (m);
  return path;
}

static GstHarness *
setup_model (const gchar * path, const gchar * extra)
{
  gchar *desc = g_strdup_printf ("emomtl model=\"%s\" %s", path, extra);
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps (h, gst_emo_frames_caps_new (NIN, 10, 1, "test-v1"));
  return h;
}

/* the model asks for per-stream statistics: the element equals the batch
 * path (emo predict, emo train) over the same frames, GAP frames stay out
 * of the statistics, and normalise=fixed overrides it */
GST_START_TEST (test_stream_normalisation)
{
  gchar *path = write_stream_model (1.0f, 2.0f);
  const guint T = 100, GAPK = 40;
  EmoModel *m = emo_model_load (path, NULL);
  float *x = g_new (float, T * NIN), *xn = g_new (float, T * NIN);
  float *yr = g_new (float, T * 3), xf[NIN], xfn[NIN], yf[3];
  EmoNetState *st = emo_net_state_new (m->net), *stf;
  EmoNetWork *w = emo_net_work_new (m->net, T);
  GstHarness *h = setup_model (path, ""), *hf;
  guint64 k;
  guint t = 0;

  /* reference: the non-GAP frames as one stream */
  for (k = 0; k < T + 1; k++)
    if (k != GAPK)
      frame_values (k, x + (gsize) (t++) * NIN);
  emo_model_normalise_stream (m, m->norm, -1, -1, x, xn, T);
  emo_net_forward (m->net, st, w, xn, T, yr, NULL);

  t = 0;
  for (k = 0; k < T + 1; k++) {
    GstBuffer *b;
    fail_unless_equals_int (gst_harness_push (h, frame (k, k == GAPK)),
        GST_FLOW_OK);
    b = gst_harness_pull (h);
    if (k == GAPK)
      check_pred (b, yr + (gsize) (t - 1) * 3, "emomtl-test-stream");
    else
      check_pred (b, yr + (gsize) (t++) * 3, "emomtl-test-stream");
    gst_buffer_unref (b);
  }
  /* the per-stream input differs from the fixed one (else this proves
   * nothing): normalise=fixed gives the fixed-statistics predictions */
  hf = setup_model (path, "normalise=fixed");
  stf = emo_net_state_new (m->net);
  for (k = 0; k < 30; k++) {
    GstBuffer *b;
    fail_unless_equals_int (gst_harness_push (hf, frame (k, FALSE)),
        GST_FLOW_OK);
    b = gst_harness_pull (hf);
    frame_values (k, xf);
    emo_model_normalise (m, xf, xfn, 1);
    emo_net_forward (m->net, stf, w, xfn, 1, yf, NULL);
    check_pred (b, yf, "emomtl-test-stream");
    if (k == 29)
      fail_unless (fabsf (yf[0] - yr[29 * 3]) > 1e-4,
          "stream and fixed normalisation agree: %g", yf[0]);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (hf);
  gst_harness_teardown (h);
  emo_net_state_free (stf);
  emo_net_state_free (st);
  emo_net_work_free (w);
  emo_model_free (m);
  g_unlink (path);
  g_free (path);
  g_free (x);
  g_free (xn);
  g_free (yr);
}

GST_END_TEST;

/* what it is for: a voice that is louder, higher, through another
 * microphone (every feature x -> a x + b) gives the same predictions */
GST_START_TEST (test_stream_normalisation_invariance)
{
  gchar *path = write_stream_model (1e-4f, 0.0f);
  GstHarness *h1 = setup_model (path, ""), *h2 = setup_model (path, "");
  GstHarness *hfix = setup_model (path, "normalise=fixed");
  gdouble max_diff = 0.0, max_fix = 0.0;
  guint64 k;

  for (k = 0; k < 200; k++) {
    GstBuffer *b1 = frame (k, FALSE), *b2 = frame (k, FALSE), *b3;
    float v[NIN];
    guint i;
    GstEmoPredictionMeta *p1, *p2, *p3;

    gst_buffer_extract (b2, 0, v, sizeof (v));
    for (i = 0; i < NIN; i++)
      v[i] = (2.5f + i) * v[i] + 40.0f - 9.0f * i;
    gst_buffer_fill (b2, 0, v, sizeof (v));
    b3 = gst_buffer_copy (b2);
    fail_unless_equals_int (gst_harness_push (h1, b1), GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h2, b2), GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (hfix, b3), GST_FLOW_OK);
    b1 = gst_harness_pull (h1);
    b2 = gst_harness_pull (h2);
    b3 = gst_harness_pull (hfix);
    p1 = gst_buffer_get_emo_prediction_meta (b1);
    p2 = gst_buffer_get_emo_prediction_meta (b2);
    p3 = gst_buffer_get_emo_prediction_meta (b3);
    for (i = 0; i < 3; i++) {
      max_diff = MAX (max_diff, fabs (p1->values[i] - p2->values[i]));
      max_fix = MAX (max_fix, fabs (p1->values[i] - p3->values[i]));
    }
    gst_buffer_unref (b1);
    gst_buffer_unref (b2);
    gst_buffer_unref (b3);
  }
  GST_INFO ("max difference %g (fixed statistics: %g)", max_diff, max_fix);
  fail_unless (max_diff < 1e-4, "scaled voice changes predictions by %g",
      max_diff);
  fail_unless (max_fix > 0.01, "fixed normalisation is as invariant (%g)?",
      max_fix);
  gst_harness_teardown (h1);
  gst_harness_teardown (h2);
  gst_harness_teardown (hfix);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

/* a speaker profile: session 1 leaves its statistics in a file, session 2
 * (a new element, a new stream) starts from them, exactly as if both
 * sessions had been one stream for the normaliser (the network state starts
 * afresh); a damaged profile stops the element with the file named */
GST_START_TEST (test_norm_stats_profile)
{
  gchar *path = write_stream_model (1.0f, 2.0f);
  gchar *stats = g_build_filename (g_get_tmp_dir (), "emomtl-test.stats", NULL);
  gchar *opt = g_strdup_printf ("norm-stats=\"%s\"", stats);
  const guint T1 = 60, T2 = 40;
  EmoModel *m = emo_model_load (path, NULL);
  float *x = g_new (float, (T1 + T2) * NIN), *xn =
      g_new (float, (T1 + T2) * NIN);
  float *y = g_new (float, T2 * 3);
  EmoNetState *st = emo_net_state_new (m->net);
  EmoNetWork *w = emo_net_work_new (m->net, T2);
  GstHarness *h;
  guint64 k;

  g_unlink (stats);
  for (k = 0; k < T1 + T2; k++)
    frame_values (k, x + k * NIN);
  emo_model_normalise_stream (m, m->norm, -1, -1, x, xn, T1 + T2);
  emo_net_forward (m->net, st, w, xn + T1 * NIN, T2, y, NULL);

  h = setup_model (path, opt);
  for (k = 0; k < T1; k++) {
    fail_unless_equals_int (gst_harness_push (h, frame (k, FALSE)),
        GST_FLOW_OK);
    gst_buffer_unref (gst_harness_pull (h));
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless (g_file_test (stats, G_FILE_TEST_EXISTS), "no profile at EOS");
  gst_harness_teardown (h);

  h = setup_model (path, opt);
  for (k = T1; k < T1 + T2; k++) {
    GstBuffer *b;
    fail_unless_equals_int (gst_harness_push (h, frame (k, FALSE)),
        GST_FLOW_OK);
    b = gst_harness_pull (h);
    check_pred (b, y + (k - T1) * 3, "emomtl-test-stream");
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);
  {
    /* written back on stop: 100 frames now */
    gchar *text = NULL;
    fail_unless (g_file_get_contents (stats, &text, NULL, NULL));
    fail_unless (strstr (text, "frames=100") != NULL, "%s", text);
    g_free (text);
  }

  /* a damaged profile */
  g_file_set_contents (stats, "[emo-norm-stats]\nversion=1\nlayout=other\n", -1,
      NULL);
  expect_start_error (path, stats, "emomtl-test.stats", "layout \"other\"");

  g_unlink (stats);
  g_unlink (path);
  emo_net_state_free (st);
  emo_net_work_free (w);
  emo_model_free (m);
  g_free (x);
  g_free (xn);
  g_free (y);
  g_free (opt);
  g_free (stats);
  g_free (path);
}

GST_END_TEST;

static Suite *
emomtl_suite (void)
{
  Suite *s = suite_create ("emomtl");
  TCase *tc = tcase_create ("general");

  write_model ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_predictions_match_kernels);
  tcase_add_test (tc, test_gap_discont_flush);
  tcase_add_test (tc, test_gap_skip_and_first_gap);
  tcase_add_test (tc, test_caps_mismatch);
  tcase_add_test (tc, test_bad_model);
  tcase_add_test (tc, test_messages_and_latency);
  tcase_add_test (tc, test_hour_no_drift);
  tcase_add_test (tc, test_stream_normalisation);
  tcase_add_test (tc, test_stream_normalisation_invariance);
  tcase_add_test (tc, test_norm_stats_profile);
  return s;
}

GST_CHECK_MAIN (emomtl);
