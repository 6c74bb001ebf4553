/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emoaudiofeat
 * @title: emoaudiofeat
 *
 * Computes eGeMAPS v02 acoustic features (Eyben et al. 2016; parameters of
 * openSMILE's eGeMAPSv02 configuration) from raw audio and outputs them as
 * an emotion frame stream (`application/x-emo-frames`): 25 low-level
 * descriptors every 10 ms (20 ms Hamming frames; 60 ms Gaussian frames for
 * F0, jitter, shimmer, HNR), summarised every #GstEmoAudioFeat:hop over the
 * trailing #GstEmoAudioFeat:window.
 *
 * Feature sets (#GstEmoAudioFeat:feature-set) and their caps `layout`:
 * - `egemaps-functionals` (layout `egemaps-v02-func`, 88 values): the
 *   eGeMAPS v02 functionals.
 * - `egemaps-lld-meanstd` (layout `egemaps-v02-lld-meanstd`, 50 values):
 *   mean and standard deviation of each LLD over the window, as the AVEC
 *   2019 baseline summarised eGeMAPS (voiced-only LLDs over voiced frames).
 * - `egemaps-lld` (layout `egemaps-v02-lld`, 25 values): the LLDs averaged
 *   over the hop (with hop=10000000 the 10 ms LLD contours themselves).
 *
 * Input: `audio/x-raw`, F32LE or S16LE, interleaved, any number of channels
 * (averaged to mono), 16000 to 48000 Hz. Lower rates are refused with an
 * error asking for `audioresample` (the alpha-ratio and Hammarberg bands
 * reach 5 kHz). NaN and infinite samples are treated as silence.
 *
 * Timing: frame k has PTS k*hop on the running-time grid and duration hop;
 * it summarises the window ending at (k+1)*hop. Before a whole window has
 * been seen, frames use the frames that are there. Latency is hop + 80 ms
 * (half the 60 ms pitch frame + 10 ms, four frames of Viterbi pitch decision
 * delay, one of smoothing), answered in the latency query. A gap (GAP event
 * or flag, or a timestamp jump) ends the analysis like EOS, produces frames
 * flagged GST_BUFFER_FLAG_GAP with zero payload for the grid points it
 * covers, and starts afresh after it; a flush resets everything. At EOS the
 * frames up to the last sample are pushed.
 *
 * The feature names travel in the sticky feature-names event
 * (gst_emo_event_parse_feature_names()). `emo extract` computes the same
 * numbers from files.
 *
 * Voicing rides along on every non-GAP frame as a #GstCustomMeta named
 * `GstEmoVoicingMeta` (no tags, so transforms copy it) whose structure holds
 * `voiced-fraction` (float, 0-1): the share of voiced 10 ms frames in the
 * frame's window. Read it with
 * `gst_buffer_get_custom_meta (buf, "GstEmoVoicingMeta")`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=speech.wav ! decodebin ! audioconvert ! audioresample ! emoaudiofeat ! emoexport format=csv ! filesink location=speech.csv
 * ]| Writes the 88 eGeMAPS functionals over 4 s every 100 ms as CSV.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstemoelements.h"
#include "gstemoaudiofeat.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_audio_feat_debug);
#define GST_CAT_DEFAULT gst_emo_audio_feat_debug

#define SINK_CAPS "audio/x-raw, format = (string) { F32LE, S16LE }, " \
    "rate = (int) [ 16000, 48000 ], channels = (int) [ 1, MAX ], " \
    "layout = (string) interleaved"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SINK_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_MEDIA_TYPE ", dims = (int) { 88, 50, 25 }, "
        "rate = (fraction) [ 1/60, 100/1 ], layout = (string) { egemaps-v02-func, "
        "egemaps-v02-lld-meanstd, egemaps-v02-lld }"));

enum
{
  PROP_0,
  PROP_FEATURE_SET,
  PROP_WINDOW,
  PROP_HOP,
  PROP_LOW_LATENCY,
};

#define VOICING_META_NAME "GstEmoVoicingMeta"

#define DEFAULT_FEATURE_SET EMO_FEATURE_SET_FUNCTIONALS
#define DEFAULT_WINDOW (4 * GST_SECOND)
#define DEFAULT_HOP (100 * GST_MSECOND)
#define MIN_HOP (10 * GST_MSECOND)
#define MAX_HOP (60 * GST_SECOND)
#define MAX_WINDOW (600 * GST_SECOND)
/* a timestamp jump larger than this is a gap */
#define DISCONT_TOLERANCE (20 * GST_MSECOND)

#define GST_TYPE_EMO_AUDIO_FEAT_SET (gst_emo_audio_feat_set_get_type ())
static GType
gst_emo_audio_feat_set_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {EMO_FEATURE_SET_FUNCTIONALS, "88 eGeMAPS v02 functionals over the window",
        "egemaps-functionals"},
    {EMO_FEATURE_SET_LLD_MEANSTD,
          "Mean and std of the 25 LLDs over the window (50)",
        "egemaps-lld-meanstd"},
    {EMO_FEATURE_SET_LLD, "The 25 LLDs averaged over the hop", "egemaps-lld"},
    {EMO_FEATURE_SET_V1_FUNCTIONALS,
          "This project's first variant of the 88 functionals (for models trained on it)",
        "emo-acoustic-v1-functionals"},
    {EMO_FEATURE_SET_V1_LLD_MEANSTD,
        "First variant, LLD mean and std (50)", "emo-acoustic-v1-lld-meanstd"},
    {EMO_FEATURE_SET_V1_LLD, "First variant, the 25 LLDs",
        "emo-acoustic-v1-lld"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoAudioFeatSet", values);
}

#define gst_emo_audio_feat_parent_class parent_class
G_DEFINE_TYPE (GstEmoAudioFeat, gst_emo_audio_feat, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emoaudiofeat, "emoaudiofeat",
    GST_RANK_NONE, GST_TYPE_EMO_AUDIO_FEAT, emo_element_init (plugin));

static void gst_emo_audio_feat_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_audio_feat_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_audio_feat_finalize (GObject * object);
static GstStateChangeReturn gst_emo_audio_feat_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_emo_audio_feat_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_audio_feat_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static gboolean gst_emo_audio_feat_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static GstFlowReturn gst_emo_audio_feat_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);

static void
gst_emo_audio_feat_class_init (GstEmoAudioFeatClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_emo_audio_feat_set_property;
  gobject_class->get_property = gst_emo_audio_feat_get_property;
  gobject_class->finalize = gst_emo_audio_feat_finalize;

  /**
   * GstEmoAudioFeat:feature-set:
   *
   * Which features each frame carries (88, 50 or 25 values).
   */
  g_object_class_install_property (gobject_class, PROP_FEATURE_SET,
      g_param_spec_enum ("feature-set", "Feature set",
          "Features per frame: 88 functionals, 50 LLD mean/std, or 25 LLDs",
          GST_TYPE_EMO_AUDIO_FEAT_SET, DEFAULT_FEATURE_SET,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoAudioFeat:window:
   *
   * Length of the trailing window summarised by each frame, in nanoseconds,
   * rounded to 10 ms; at least the hop.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "Trailing analysis window in ns (multiple of 10 ms, >= hop)",
          MIN_HOP, MAX_WINDOW, DEFAULT_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoAudioFeat:hop:
   *
   * Time between output frames in nanoseconds, rounded to 10 ms.
   */
  g_object_class_install_property (gobject_class, PROP_HOP,
      g_param_spec_uint64 ("hop", "Hop",
          "Output frame interval in ns (multiple of 10 ms)", MIN_HOP, MAX_HOP,
          DEFAULT_HOP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoAudioFeat:low-latency:
   *
   * openSMILE's pitch smoother may wait up to 40 frames (400 ms) for its
   * candidate paths to agree; with this set it decides after 2 frames, so
   * the look-ahead stays at 80 ms, at a cost in fidelity
   * (docs/audio-features.md). No effect on the emo-acoustic-v1 sets.
   */
  g_object_class_install_property (gobject_class, PROP_LOW_LATENCY,
      g_param_spec_boolean ("low-latency", "Low latency",
          "Decide pitch after 2 frames instead of openSMILE's up to 40 (80 ms look-ahead instead of 460 ms)",
          FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "eGeMAPS acoustic features", "Filter/Analyzer/Audio",
      "Computes eGeMAPS v02 acoustic features (LLDs and functionals) as an emotion frame stream",
      EMO_PACKAGE_CONTACT);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_emo_audio_feat_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_AUDIO_FEAT_SET, 0);
  if (!gst_meta_get_info (VOICING_META_NAME)) {
    static const gchar *no_tags[] = { NULL };
    gst_meta_register_custom (VOICING_META_NAME, no_tags, NULL, NULL, NULL);
  }
  GST_DEBUG_CATEGORY_INIT (gst_emo_audio_feat_debug, "emoaudiofeat", 0,
      "eGeMAPS acoustic features");
}

static void
clear_queue (GstEmoAudioFeat * self)
{
  GstBuffer *b;

  while ((b = g_queue_pop_head (&self->out)))
    gst_buffer_unref (b);
}

/* Forget the stream: the next buffer anchors anew. */
static void
gst_emo_audio_feat_reset (GstEmoAudioFeat * self)
{
  if (self->af)
    emo_audio_feat_reset (self->af);
  self->anchored = FALSE;
  self->have_next_k = FALSE;
  self->next_k = 0;
  self->skip = 0;
  self->expected = GST_CLOCK_TIME_NONE;
  clear_queue (self);
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
}

static void
gst_emo_audio_feat_init (GstEmoAudioFeat * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_audio_feat_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_audio_feat_sink_query));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_audio_feat_chain));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_audio_feat_src_query));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->feature_set = DEFAULT_FEATURE_SET;
  self->window = DEFAULT_WINDOW;
  self->hop = DEFAULT_HOP;
  g_queue_init (&self->out);
  gst_audio_info_init (&self->info);
  gst_emo_frames_info_init (&self->frames);
  gst_emo_audio_feat_reset (self);
}

static void
free_stream (GstEmoAudioFeat * self)
{
  gst_emo_audio_feat_reset (self);
  emo_audio_feat_free (self->af);
  self->af = NULL;
  g_free (self->mono);
  self->mono = NULL;
  self->mono_len = 0;
  self->have_info = FALSE;
  self->caps_sent = FALSE;
  gst_caps_replace (&self->refused_caps, NULL);
}

static void
gst_emo_audio_feat_finalize (GObject * object)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (object);

  free_stream (self);
  gst_emo_frames_info_clear (&self->frames);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstClockTime
round_10ms (GstClockTime t)
{
  guint64 n = (t + 5 * GST_MSECOND) / (10 * GST_MSECOND);
  return MAX (n, 1) * 10 * GST_MSECOND;
}

/* window and hop are rounded to the 10 ms analysis grid on the way in */
static const EmoPropertyField gst_emo_audio_feat_fields[] = {
  {PROP_FEATURE_SET, G_STRUCT_OFFSET (GstEmoAudioFeat, feature_set)},
  {PROP_WINDOW, G_STRUCT_OFFSET (GstEmoAudioFeat, window)},
  {PROP_HOP, G_STRUCT_OFFSET (GstEmoAudioFeat, hop)},
  {PROP_LOW_LATENCY, G_STRUCT_OFFSET (GstEmoAudioFeat, low_latency)},
  {0, 0}
};

static void
gst_emo_audio_feat_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WINDOW:
      self->window = round_10ms (g_value_get_uint64 (value));
      break;
    case PROP_HOP:
      self->hop = round_10ms (g_value_get_uint64 (value));
      break;
    default:
      emo_element_set_field (object, gst_emo_audio_feat_fields, prop_id, value,
          pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_audio_feat_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GST_OBJECT_LOCK (object);
  emo_element_get_field (object, gst_emo_audio_feat_fields, prop_id, value,
      pspec);
  GST_OBJECT_UNLOCK (object);
}

/* ---- output ---- */

static GstClockTime
frame_pts (GstEmoAudioFeat * self, guint64 k)
{
  GstClockTime rt = gst_emo_frames_index_to_time (&self->frames, k);
  GstClockTime pts = gst_segment_position_from_running_time (&self->segment,
      GST_FORMAT_TIME, rt);

  return GST_CLOCK_TIME_IS_VALID (pts) ? pts : rt;
}

static GstBuffer *
new_frame (GstEmoAudioFeat * self, guint64 k, const gfloat * values)
{
  gsize size = self->frames.dims * sizeof (gfloat);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  if (values)
    gst_buffer_fill (buf, 0, values, size);
  else
    gst_buffer_memset (buf, 0, 0, size);
  GST_BUFFER_PTS (buf) = frame_pts (self, k);
  GST_BUFFER_DURATION (buf) = frame_pts (self, k + 1) - GST_BUFFER_PTS (buf);
  GST_BUFFER_OFFSET (buf) = k;
  if (!values)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
  return buf;
}

static void
on_frame (guint64 index, const gfloat * values, guint dims,
    gfloat voiced_fraction, gpointer user_data)
{
  GstEmoAudioFeat *self = user_data;
  guint64 k = self->base_k + index;

  GstBuffer *buf;
  GstCustomMeta *meta;

  if (self->have_next_k && k < self->next_k)
    return;
  buf = new_frame (self, k, values);
  meta = gst_buffer_add_custom_meta (buf, VOICING_META_NAME);
  if (meta)
    gst_structure_set (gst_custom_meta_get_structure (meta), "voiced-fraction",
        G_TYPE_FLOAT, voiced_fraction, NULL);
  g_queue_push_tail (&self->out, buf);
  self->next_k = k + 1;
  self->have_next_k = TRUE;
}

/* GAP frames for grid points up to (excluding) @k_end. */
static void
queue_gap_frames (GstEmoAudioFeat * self, guint64 k_end)
{
  guint64 k;

  if (!self->have_next_k)
    return;
  for (k = self->next_k; k < k_end; k++)
    g_queue_push_tail (&self->out, new_frame (self, k, NULL));
  if (k_end > self->next_k)
    self->next_k = k_end;
}

static gboolean
ensure_caps (GstEmoAudioFeat * self)
{
  EmoFeatureSet set;
  GstClockTime hop;
  guint hop_ms, g, a, b;
  GstCaps *caps;
  gboolean ret;

  if (self->caps_sent)
    return TRUE;
  GST_OBJECT_LOCK (self);
  set = self->feature_set;
  hop = self->hop;
  GST_OBJECT_UNLOCK (self);
  hop_ms = (guint) (hop / GST_MSECOND);
  a = 1000;
  b = hop_ms;
  while (b) {
    g = a % b;
    a = b;
    b = g;
  }
  if (!gst_emo_frames_info_set (&self->frames, emo_feature_set_dims (set),
          1000 / a, hop_ms / a, emo_feature_set_layout (set)))
    return FALSE;
  self->cur_set = set;
  self->cur_hop = hop;
  caps = gst_emo_frames_info_to_caps (&self->frames);
  ret = gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  self->caps_sent = ret;
  self->names_sent = FALSE;
  return ret;
}

static void
push_names (GstEmoAudioFeat * self)
{
  guint i, n = self->frames.dims;
  const gchar **names = g_new0 (const gchar *, n + 1);

  for (i = 0; i < n; i++)
    names[i] = emo_feature_set_name (self->cur_set, i);
  gst_pad_push_event (self->srcpad, gst_emo_event_new_feature_names (names, n));
  g_free (names);
}

static GstFlowReturn
push_queued (GstEmoAudioFeat * self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GstBuffer *b;

  if (!self->names_sent && !g_queue_is_empty (&self->out)) {
    push_names (self);
    self->names_sent = TRUE;
  }
  while ((b = g_queue_pop_head (&self->out))) {
    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (b);
      continue;
    }
    ret = gst_pad_push (self->srcpad, b);
  }
  return ret;
}

/* End the current analysis like EOS: the frames up to the last sample. */
static void
drain (GstEmoAudioFeat * self)
{
  if (self->af && self->anchored)
    emo_audio_feat_finish (self->af, on_frame, self);
  self->anchored = FALSE;
}

static gboolean
ensure_kernel (GstEmoAudioFeat * self)
{
  EmoFeatureSet set;
  GstClockTime win, hop;
  GError *err = NULL;
  guint lag;

  if (self->af)
    return TRUE;
  GST_OBJECT_LOCK (self);
  set = self->feature_set;
  win = self->window;
  hop = self->hop;
  lag = self->low_latency ? EMO_LLD_OPENSMILE_LAG_MIN : EMO_LLD_OPENSMILE_LAG;
  GST_OBJECT_UNLOCK (self);
  if (win < hop) {
    GST_WARNING_OBJECT (self,
        "window %" GST_TIME_FORMAT " shorter than hop, using the hop",
        GST_TIME_ARGS (win));
    win = hop;
  }
  self->af = emo_audio_feat_new_full (GST_AUDIO_INFO_RATE (&self->info), set,
      (guint) (win / GST_MSECOND), (guint) (hop / GST_MSECOND), lag, &err);
  if (!self->af)
    goto kernel_failed;
  return TRUE;

  /* ERRORS */
kernel_failed:
  {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("Could not set up the feature extractor."), ("%s", err->message));
    g_clear_error (&err);
    return FALSE;
  }
}

/* ---- events and queries ---- */

static gboolean
set_caps (GstEmoAudioFeat * self, GstCaps * caps)
{
  GstAudioInfo info;
  gint rate;

  /* upstream re-sends a refused sticky caps event with every item: report
   * the problem once */
  if (self->refused_caps && gst_caps_is_equal (caps, self->refused_caps))
    return FALSE;
  if (!gst_audio_info_from_caps (&info, caps))
    goto bad_caps;
  rate = GST_AUDIO_INFO_RATE (&info);
  if (GST_AUDIO_INFO_FORMAT (&info) != GST_AUDIO_FORMAT_F32LE &&
      GST_AUDIO_INFO_FORMAT (&info) != GST_AUDIO_FORMAT_S16LE)
    goto bad_caps;
  if (rate < EMO_AUDIOFEAT_MIN_RATE || rate > EMO_AUDIOFEAT_MAX_RATE)
    goto bad_rate;
  if (self->have_info && (GST_AUDIO_INFO_RATE (&self->info) != rate)) {
    /* a new rate starts a new analysis */
    drain (self);
    emo_audio_feat_free (self->af);
    self->af = NULL;
  }
  self->info = info;
  self->have_info = TRUE;
  return ensure_caps (self);

  /* ERRORS */
bad_caps:
  {
    gst_caps_replace (&self->refused_caps, caps);
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Unsupported audio format."),
        ("need F32LE or S16LE interleaved audio, got %" GST_PTR_FORMAT, caps));
    return FALSE;
  }
bad_rate:
  {
    gst_caps_replace (&self->refused_caps, caps);
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Sample rate %d Hz is not supported: resample to 16000-48000 Hz "
            "(insert audioresample before emoaudiofeat).", rate),
        ("the eGeMAPS alpha ratio and Hammarberg index use bands up to 5 kHz"));
    return FALSE;
  }
}

static void
handle_gap (GstEmoAudioFeat * self, GstClockTime ts, GstClockTime dur)
{
  GstClockTime rt_end;

  drain (self);
  if (!GST_CLOCK_TIME_IS_VALID (ts) || !GST_CLOCK_TIME_IS_VALID (dur)
      || !self->caps_sent)
    return;
  rt_end =
      gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, ts + dur);
  if (!GST_CLOCK_TIME_IS_VALID (rt_end))
    return;
  if (!self->have_next_k) {
    GstClockTime rt =
        gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, ts);
    self->next_k =
        GST_CLOCK_TIME_IS_VALID (rt) ?
        gst_emo_frames_time_to_index (&self->frames, rt) : 0;
    self->have_next_k = TRUE;
  }
  /* frames whose hop starts before the end of the gap */
  queue_gap_frames (self, gst_emo_frames_time_to_index (&self->frames,
          rt_end + gst_emo_frames_index_to_time (&self->frames, 1) - 1));
}

static gboolean
gst_emo_audio_feat_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (parent);
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      gst_event_parse_caps (event, &caps);
      ret = set_caps (self, caps);
      gst_event_unref (event);
      push_queued (self);
      return ret;
    }
    case GST_EVENT_SEGMENT:{
      const GstSegment *seg;
      drain (self);
      push_queued (self);
      gst_event_parse_segment (event, &seg);
      if (seg->format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Audio without timestamps."),
            ("need a TIME segment, got %s", gst_format_get_name (seg->format)));
        gst_event_unref (event);
        return FALSE;
      }
      gst_segment_copy_into (seg, &self->segment);
      return gst_pad_push_event (self->srcpad, event);
    }
    case GST_EVENT_GAP:{
      GstClockTime ts, dur;
      gst_event_parse_gap (event, &ts, &dur);
      handle_gap (self, ts, dur);
      gst_event_unref (event);
      push_queued (self);
      return TRUE;
    }
    case GST_EVENT_EOS:
      drain (self);
      push_queued (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_emo_audio_feat_reset (self);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_emo_audio_feat_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_ACCEPT_CAPS:{
      /* Accept any raw audio layout we can read so that a wrong rate
       * reaches set_caps and gets a helpful error rather than a bare
       * not-negotiated; the caps query still offers 16-48 kHz. */
      GstCaps *caps;
      GstStructure *s;
      const gchar *fmt;
      gint rate, ch;
      gst_query_parse_accept_caps (query, &caps);
      s = gst_caps_get_size (caps) == 1 ? gst_caps_get_structure (caps,
          0) : NULL;
      fmt = s ? gst_structure_get_string (s, "format") : NULL;
      gst_query_set_accept_caps_result (query, s &&
          gst_structure_has_name (s, "audio/x-raw") && fmt &&
          (!strcmp (fmt, "F32LE") || !strcmp (fmt, "S16LE")) &&
          gst_structure_get_int (s, "rate", &rate) && rate > 0 &&
          gst_structure_get_int (s, "channels", &ch) && ch > 0 &&
          !g_strcmp0 (gst_structure_get_string (s, "layout"), "interleaved"));
      GST_LOG_OBJECT (self, "accept-caps %" GST_PTR_FORMAT, caps);
      return TRUE;
    }
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static gboolean
gst_emo_audio_feat_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:{
      gboolean live;
      GstClockTime min, max, ours, hop;
      guint rate, lag;
      EmoFeatureSet set;
      if (!gst_pad_peer_query (self->sinkpad, query))
        return FALSE;
      gst_query_parse_latency (query, &live, &min, &max);
      GST_OBJECT_LOCK (self);
      hop = self->hop;
      set = self->feature_set;
      lag = self->low_latency ? EMO_LLD_OPENSMILE_LAG_MIN :
          EMO_LLD_OPENSMILE_LAG;
      GST_OBJECT_UNLOCK (self);
      rate =
          self->have_info ? (guint) GST_AUDIO_INFO_RATE (&self->info) : 16000;
      ours = hop + emo_egemaps_lld_lookahead_ns (rate,
          EMO_FEATURE_SET_VARIANT (set), lag);
      min += ours;
      if (GST_CLOCK_TIME_IS_VALID (max))
        max += ours;
      gst_query_set_latency (query, live, min, max);
      return TRUE;
    }
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

/* ---- data ---- */

static GstFlowReturn
gst_emo_audio_feat_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (parent);
  GstMapInfo map;
  GstClockTime rt = GST_CLOCK_TIME_NONE;
  gsize n, off = 0;
  guint rate, ch;

  if (!self->have_info)
    goto not_negotiated;
  if (!ensure_caps (self) || !ensure_kernel (self))
    goto not_negotiated;
  rate = GST_AUDIO_INFO_RATE (&self->info);
  ch = GST_AUDIO_INFO_CHANNELS (&self->info);
  n = gst_buffer_get_size (buf) / GST_AUDIO_INFO_BPF (&self->info);

  if (GST_BUFFER_PTS_IS_VALID (buf))
    rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)) {
    GstClockTime dur =
        GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) :
        gst_util_uint64_scale (n, GST_SECOND, rate);
    handle_gap (self, GST_BUFFER_PTS (buf), dur);
    gst_buffer_unref (buf);
    return push_queued (self);
  }

  if (self->anchored && GST_CLOCK_TIME_IS_VALID (rt) &&
      GST_CLOCK_TIME_IS_VALID (self->expected)) {
    GstClockTimeDiff diff = GST_CLOCK_DIFF (self->expected, rt);
    if (ABS (diff) > DISCONT_TOLERANCE ||
        (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT)
            && ABS (diff) > GST_MSECOND)) {
      GST_DEBUG_OBJECT (self, "discontinuity of %" GST_STIME_FORMAT,
          GST_STIME_ARGS (diff));
      drain (self);
      if (diff > 0 && self->have_next_k)
        queue_gap_frames (self, gst_emo_frames_time_to_index (&self->frames,
                rt));
    }
  }

  if (!self->anchored) {
    guint64 k0;
    GstClockTime grid;
    if (!GST_CLOCK_TIME_IS_VALID (rt))
      rt = self->have_next_k ? gst_emo_frames_index_to_time (&self->frames,
          self->next_k) : 0;
    /* first grid point at or after rt */
    k0 = gst_emo_frames_time_to_index (&self->frames, rt);
    if (gst_emo_frames_index_to_time (&self->frames, k0) < rt)
      k0++;
    if (self->have_next_k && k0 < self->next_k)
      k0 = self->next_k;
    queue_gap_frames (self, k0);
    grid = gst_emo_frames_index_to_time (&self->frames, k0);
    self->skip = gst_util_uint64_scale_round (grid - rt, rate, GST_SECOND);
    self->base_k = k0;
    self->next_k = k0;
    self->have_next_k = TRUE;
    self->anchored = TRUE;
    self->anchor_rt = rt;
    self->anchor_samples = 0;
    emo_audio_feat_reset (self->af);
  }
  self->anchor_samples += n;
  self->expected =
      self->anchor_rt + gst_util_uint64_scale (self->anchor_samples, GST_SECOND,
      rate);

  if (n > self->mono_len) {
    g_free (self->mono);
    self->mono = g_new (gfloat, n);
    self->mono_len = n;
  }
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    goto map_failed;
  if (GST_AUDIO_INFO_FORMAT (&self->info) == GST_AUDIO_FORMAT_F32LE)
    emo_audio_downmix_f32 ((const gfloat *) map.data, ch, n, self->mono);
  else
    emo_audio_downmix_s16 ((const gint16 *) map.data, ch, n, self->mono);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);

  if (self->skip) {
    off = MIN (self->skip, n);
    self->skip -= off;
  }
  if (n > off)
    emo_audio_feat_push (self->af, self->mono + off, n - off, on_frame, self);
  return push_queued (self);

  /* ERRORS */
not_negotiated:
  {
    gst_buffer_unref (buf);
    if (!self->have_info && !self->refused_caps)
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
          ("no caps before the first buffer"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
map_failed:
  {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Could not map an audio buffer."),
        (NULL));
    return GST_FLOW_ERROR;
  }
}

static GstStateChangeReturn
gst_emo_audio_feat_change_state (GstElement * element,
    GstStateChange transition)
{
  GstEmoAudioFeat *self = GST_EMO_AUDIO_FEAT (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    free_stream (self);
  return ret;
}
