/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emooverlay
 * @title: emooverlay
 *
 * Draws dimensional emotion predictions over video: three labelled bars
 * (arousal, valence, liking, each in [-1, 1], "n/a" for an attribute the
 * prediction lacks), a valence-arousal plane with the current point and a
 * fading trail of the last #GstEmoOverlay:trail-length nanoseconds, and the
 * face box when the emotion frame carries a #GstVideoRegionOfInterestMeta of
 * type "face" (in the pixel coordinates of this video).
 *
 * It has the pads of `textoverlay`: `video_sink` (raw video), `emo_sink`
 * (an emotion frame stream whose frames carry a #GstEmoPredictionMeta; the
 * newest prediction on each frame is shown) and `src` (the same video).
 * Emotion frames (10 per second by default) are held and each video frame
 * shows the newest emotion frame whose start running time is at or before
 * the video frame's start running time; selection compares running times as
 * integers, so there is no drift however long the stream. With
 * #GstEmoOverlay:wait (the default) a video frame waits until an emotion
 * frame covering it has arrived, the emotion stream has ended, or the
 * emotion pad is unlinked; so a slower analysis branch never makes the
 * overlay lag behind the picture.
 *
 * A prediction stays visible up to #GstEmoOverlay:hold-time past its end:
 * across GAP frames (no usable input), after the emotion stream's EOS, or
 * when it stops. After that the panel disappears and video passes untouched.
 * With no emotion frames at all, video passes untouched.
 *
 * Formats: BGRA, RGBA, ARGB, ABGR, BGRx, RGBx, xRGB, xBGR are drawn on
 * directly; I420 and NV12 through an ARGB layer that is converted with the
 * stream's colour matrix and range and mixed into the Y plane per pixel and
 * into the chroma planes per 2x2 block (mean alpha, alpha-weighted colour).
 * Pixels outside the panel (and the face box) are never written.
 *
 * The element adds no latency of its own; its latency answer combines the
 * video and emotion branches (live if either is, minimum the larger of the
 * two), so a live sink waits long enough for the analysis.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=preds.csv ! emoparse content=predictions ! o.emo_sink \
 *   videotestsrc num-buffers=100 ! video/x-raw,width=640,height=480 ! emooverlay name=o ! videoconvert ! autovideosink
 * ]| Shows stored predictions over a test picture.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstemoelements.h"
#include "gstemooverlay.h"
#include "draw/emo-draw.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_overlay_debug);
#define GST_CAT_DEFAULT gst_emo_overlay_debug

#define VIDEO_FORMATS "{ BGRA, RGBA, ARGB, ABGR, BGRx, RGBx, xRGB, xBGR, I420, NV12 }"

static GstStaticPadTemplate video_sink_template =
GST_STATIC_PAD_TEMPLATE ("video_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate emo_sink_template =
GST_STATIC_PAD_TEMPLATE ("emo_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_MEDIA_TYPE ", dims = (int) [ 1, 65535 ], "
        "rate = (fraction) [ 1/1, 1000/1 ]"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

enum
{
  PROP_0,
  PROP_POSITION,
  PROP_SCALE,
  PROP_OPACITY,
  PROP_TRAIL_LENGTH,
  PROP_HOLD_TIME,
  PROP_PARTS,
  PROP_WAIT,
};

#define DEFAULT_POSITION GST_EMO_OVERLAY_POSITION_TOP_LEFT
#define DEFAULT_SCALE 1.0
#define DEFAULT_OPACITY 0.9
#define DEFAULT_TRAIL_LENGTH (5 * GST_SECOND)
#define DEFAULT_HOLD_TIME (1 * GST_SECOND)
#define DEFAULT_PARTS (GST_EMO_OVERLAY_PARTS_BARS | GST_EMO_OVERLAY_PARTS_PLANE | GST_EMO_OVERLAY_PARTS_FACE)
#define DEFAULT_WAIT TRUE
#define MAX_TRAIL_LENGTH (60 * GST_SECOND)

/* Emotion frames held ahead of the video; the emotion pad blocks beyond
 * this (bounded memory when the emotion stream runs ahead, e.g. emoparse). */
#define MAX_PENDING 64
/* Hard bound on trail points whatever the frame rate. */
#define MAX_TRAIL_POINTS 4096
/* Panel margin from the frame edge, in panel units. */
#define MARGIN 12.0

#define GST_TYPE_EMO_OVERLAY_POSITION (gst_emo_overlay_position_get_type ())
static GType
gst_emo_overlay_position_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_OVERLAY_POSITION_TOP_LEFT, "Top left corner", "top-left"},
    {GST_EMO_OVERLAY_POSITION_TOP_RIGHT, "Top right corner", "top-right"},
    {GST_EMO_OVERLAY_POSITION_BOTTOM_LEFT, "Bottom left corner", "bottom-left"},
    {GST_EMO_OVERLAY_POSITION_BOTTOM_RIGHT, "Bottom right corner",
        "bottom-right"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoOverlayPosition", values);
}

#define GST_TYPE_EMO_OVERLAY_PARTS (gst_emo_overlay_parts_get_type ())
static GType
gst_emo_overlay_parts_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    {GST_EMO_OVERLAY_PARTS_BARS, "Bars for arousal, valence, liking", "bars"},
    {GST_EMO_OVERLAY_PARTS_PLANE, "Valence-arousal plane with trail", "plane"},
    {GST_EMO_OVERLAY_PARTS_FACE, "Face box from the emotion frame", "face"},
    {GST_EMO_OVERLAY_PARTS_LANDMARKS,
        "The face's 68 landmarks (emovisfeat vis-v2 face meta)", "landmarks"},
    {0, NULL, NULL}
  };

  return emo_element_register_flags (&type, "GstEmoOverlayParts", values);
}

#define gst_emo_overlay_parent_class parent_class
G_DEFINE_TYPE (GstEmoOverlay, gst_emo_overlay, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emooverlay, "emooverlay", GST_RANK_NONE,
    GST_TYPE_EMO_OVERLAY, emo_element_init (plugin));

static void gst_emo_overlay_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_overlay_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_overlay_finalize (GObject * object);
static GstStateChangeReturn gst_emo_overlay_change_state (GstElement * element,
    GstStateChange transition);
static GstFlowReturn gst_emo_overlay_video_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buf);
static GstFlowReturn gst_emo_overlay_emo_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buf);
static gboolean gst_emo_overlay_video_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_overlay_emo_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_overlay_src_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_overlay_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static gboolean gst_emo_overlay_emo_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static GstIterator *gst_emo_overlay_iterate_internal_links (GstPad * pad,
    GstObject * parent);

static void
gst_emo_overlay_class_init (GstEmoOverlayClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_emo_overlay_set_property;
  gobject_class->get_property = gst_emo_overlay_get_property;
  gobject_class->finalize = gst_emo_overlay_finalize;

  g_object_class_install_property (gobject_class, PROP_POSITION,
      g_param_spec_enum ("position", "Position",
          "Corner of the video where the panel is drawn",
          GST_TYPE_EMO_OVERLAY_POSITION, DEFAULT_POSITION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SCALE,
      g_param_spec_double ("scale", "Scale",
          "Size of the panel; 1.0 is a panel of 364x146 pixels on 480-line "
          "video, scaled with the video height", 0.1, 8.0, DEFAULT_SCALE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_OPACITY,
      g_param_spec_double ("opacity", "Opacity",
          "Opacity of the panel (0 = invisible, 1 = opaque)", 0.0, 1.0,
          DEFAULT_OPACITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_TRAIL_LENGTH,
      g_param_spec_uint64 ("trail-length", "Trail length",
          "Length of the fading valence-arousal trail in nanoseconds (0 = no trail)",
          0, MAX_TRAIL_LENGTH, DEFAULT_TRAIL_LENGTH,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_HOLD_TIME,
      g_param_spec_uint64 ("hold-time", "Hold time",
          "How long a prediction stays visible after its frame ended (GAP "
          "frames, end of the emotion stream), in nanoseconds; "
          "GST_CLOCK_TIME_NONE (18446744073709551615) keeps it forever", 0,
          G_MAXUINT64, DEFAULT_HOLD_TIME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_PARTS,
      g_param_spec_flags ("parts", "Parts", "Which parts to draw",
          GST_TYPE_EMO_OVERLAY_PARTS, DEFAULT_PARTS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_WAIT,
      g_param_spec_boolean ("wait", "Wait",
          "Hold each video frame until the emotion frame covering it has "
          "arrived (or the emotion stream ended); FALSE draws whatever has "
          "arrived (never blocks the video)", DEFAULT_WAIT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class,
      &video_sink_template);
  gst_element_class_add_static_pad_template (element_class, &emo_sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Emotion overlay", "Filter/Editor/Video",
      "Draws arousal, valence and liking bars, a valence-arousal plane and the "
      "face box over video", EMO_PACKAGE_CONTACT);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_emo_overlay_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_OVERLAY_POSITION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_OVERLAY_PARTS, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_overlay_debug, "emooverlay", 0,
      "emotion overlay");
}

static void
gst_emo_overlay_init (GstEmoOverlay * self)
{
  self->video_sinkpad =
      gst_pad_new_from_static_template (&video_sink_template, "video_sink");
  gst_pad_set_chain_function (self->video_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_video_chain));
  gst_pad_set_event_function (self->video_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_video_event));
  gst_pad_set_iterate_internal_links_function (self->video_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_iterate_internal_links));
  GST_PAD_SET_PROXY_CAPS (self->video_sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->video_sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->video_sinkpad);

  self->emo_sinkpad =
      gst_pad_new_from_static_template (&emo_sink_template, "emo_sink");
  gst_pad_set_chain_function (self->emo_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_emo_chain));
  gst_pad_set_event_function (self->emo_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_emo_event));
  gst_pad_set_query_function (self->emo_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_emo_query));
  gst_pad_set_iterate_internal_links_function (self->emo_sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_iterate_internal_links));
  gst_element_add_pad (GST_ELEMENT (self), self->emo_sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_event_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_src_event));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_src_query));
  gst_pad_set_iterate_internal_links_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_overlay_iterate_internal_links));
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->position = DEFAULT_POSITION;
  self->scale = DEFAULT_SCALE;
  self->opacity = DEFAULT_OPACITY;
  self->trail_length = DEFAULT_TRAIL_LENGTH;
  self->hold_time = DEFAULT_HOLD_TIME;
  self->parts = DEFAULT_PARTS;
  self->wait = DEFAULT_WAIT;

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->pending);
  self->trail = g_array_new (FALSE, FALSE, sizeof (GstEmoOverlayTrailPoint));
  gst_segment_init (&self->video_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->emo_segment, GST_FORMAT_TIME);
  self->emo_known_until = GST_CLOCK_TIME_NONE;
  self->emo_hop = GST_SECOND / 10;
  self->blend_cache = emo_blend_cache_new ();
  self->panel_cache = emo_panel_cache_new ();
}

/* Forgets everything the emotion stream delivered (lock held). */
static void
gst_emo_overlay_reset_emo (GstEmoOverlay * self)
{
  g_queue_clear_full (&self->pending, g_free);
  g_array_set_size (self->trail, 0);
  self->have_current = FALSE;
  self->have_shown = FALSE;
  self->shown_serial++;
  self->emo_known_until = GST_CLOCK_TIME_NONE;
  self->emo_eos = FALSE;
  gst_segment_init (&self->emo_segment, GST_FORMAT_TIME);
}

static void
gst_emo_overlay_reset (GstEmoOverlay * self)
{
  g_mutex_lock (&self->lock);
  gst_emo_overlay_reset_emo (self);
  self->video_eos = FALSE;
  self->video_flushing = FALSE;
  self->emo_flushing = FALSE;
  self->emo_hop = GST_SECOND / 10;
  gst_segment_init (&self->video_segment, GST_FORMAT_TIME);
  g_mutex_unlock (&self->lock);
  self->have_vinfo = FALSE;
  if (self->layer) {
    cairo_surface_destroy (self->layer);
    self->layer = NULL;
  }
  self->layer_valid = FALSE;
  emo_blend_cache_invalidate (self->blend_cache);
}

static void
gst_emo_overlay_finalize (GObject * object)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (object);

  g_queue_clear_full (&self->pending, g_free);
  g_array_unref (self->trail);
  if (self->layer)
    cairo_surface_destroy (self->layer);
  emo_blend_cache_free (self->blend_cache);
  emo_panel_cache_free (self->panel_cache);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static const EmoPropertyField gst_emo_overlay_fields[] = {
  {PROP_POSITION, G_STRUCT_OFFSET (GstEmoOverlay, position)},
  {PROP_SCALE, G_STRUCT_OFFSET (GstEmoOverlay, scale)},
  {PROP_OPACITY, G_STRUCT_OFFSET (GstEmoOverlay, opacity)},
  {PROP_TRAIL_LENGTH, G_STRUCT_OFFSET (GstEmoOverlay, trail_length)},
  {PROP_HOLD_TIME, G_STRUCT_OFFSET (GstEmoOverlay, hold_time)},
  {PROP_PARTS, G_STRUCT_OFFSET (GstEmoOverlay, parts)},
  {PROP_WAIT, G_STRUCT_OFFSET (GstEmoOverlay, wait)},
  {0, 0}
};

static void
gst_emo_overlay_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (object);

  GST_OBJECT_LOCK (self);
  emo_element_set_field (object, gst_emo_overlay_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (self);
  /* a video frame waiting under the old "wait" may go now */
  if (prop_id == PROP_WAIT) {
    g_mutex_lock (&self->lock);
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
  }
}

static void
gst_emo_overlay_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GST_OBJECT_LOCK (object);
  emo_element_get_field (object, gst_emo_overlay_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (object);
}

static GstStateChangeReturn
gst_emo_overlay_change_state (GstElement * element, GstStateChange transition)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      gst_emo_overlay_reset (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* release streaming threads blocked in either chain function */
      g_mutex_lock (&self->lock);
      self->video_flushing = TRUE;
      self->emo_flushing = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_emo_overlay_reset (self);
  return ret;
}

static GstIterator *
gst_emo_overlay_iterate_internal_links (GstPad * pad, GstObject * parent)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);
  GstPad *other = NULL;
  GstIterator *it;
  GValue v = G_VALUE_INIT;

  /* the emotion pad has no internal link: caps, allocation and most
   * queries concern the video path only */
  if (pad == self->srcpad)
    other = self->video_sinkpad;
  else if (pad == self->video_sinkpad)
    other = self->srcpad;
  if (!other)
    return gst_iterator_new_single (GST_TYPE_PAD, NULL);
  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

/* ---- emotion pad ---------------------------------------------------------- */

static GQuark
face_quark (void)
{
  static GQuark q = 0;
  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("face");
  return q;
}

/* The `landmarks` array of the face meta's `emovisfeat` parameters. */
static void
frame_landmarks (GstEmoOverlayFrame * f, GstVideoRegionOfInterestMeta * roi)
{
  GstStructure *p = gst_video_region_of_interest_meta_get_param (roi,
      "emovisfeat");
  const GValue *arr = p ? gst_structure_get_value (p, "landmarks") : NULL;
  guint i;

  f->has_landmarks = arr && GST_VALUE_HOLDS_ARRAY (arr)
      && gst_value_array_get_size (arr) == 2 * GST_EMO_OVERLAY_N_LANDMARKS;
  for (i = 0; f->has_landmarks && i < 2 * GST_EMO_OVERLAY_N_LANDMARKS; i++) {
    const GValue *v = gst_value_array_get_value (arr, i);
    f->has_landmarks = G_VALUE_HOLDS_FLOAT (v)
        && isfinite (g_value_get_float (v));
    if (f->has_landmarks)
      f->landmarks[i] = g_value_get_float (v);
  }
}

static void
frame_from_buffer (GstEmoOverlayFrame * f, GstBuffer * buf)
{
  static const gchar *attrs[3] = { "arousal", "valence", "liking" };
  GstEmoPredictionMeta *meta;
  GstVideoRegionOfInterestMeta *roi;
  gpointer state = NULL;
  guint i;

  f->gap = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP);
  meta = f->gap ? NULL : gst_buffer_get_emo_prediction_meta (buf);
  for (i = 0; i < 3; i++) {
    gfloat v = NAN;
    f->present[i] = meta && gst_emo_prediction_meta_lookup (meta, attrs[i], &v)
        && isfinite (v);
    f->values[i] = f->present[i] ? v : NAN;
    if (f->present[i])
      f->has_pred = TRUE;
  }
  while ((roi = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    if (roi->roi_type == face_quark () && roi->w > 0 && roi->h > 0) {
      f->has_face = TRUE;
      f->face_x = roi->x;
      f->face_y = roi->y;
      f->face_w = roi->w;
      f->face_h = roi->h;
      frame_landmarks (f, roi);
      break;
    }
  }
}

static GstFlowReturn
gst_emo_overlay_emo_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);
  GstEmoOverlayFrame *f;
  GstClockTime pts = GST_BUFFER_PTS (buf), start, dur;

  if (!GST_CLOCK_TIME_IS_VALID (pts)) {
    GST_WARNING_OBJECT (self, "emotion frame without timestamp dropped");
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }

  g_mutex_lock (&self->lock);
  start = gst_segment_to_running_time (&self->emo_segment, GST_FORMAT_TIME,
      pts);
  dur = GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) :
      self->emo_hop;
  g_mutex_unlock (&self->lock);
  if (!GST_CLOCK_TIME_IS_VALID (start)) {
    GST_LOG_OBJECT (self, "emotion frame outside the segment dropped");
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }

  f = g_new0 (GstEmoOverlayFrame, 1);
  f->start = start;
  f->end = start + dur;
  frame_from_buffer (f, buf);
  gst_buffer_unref (buf);

  g_mutex_lock (&self->lock);
  while (!self->emo_flushing && !self->video_eos
      && self->pending.length >= MAX_PENDING)
    g_cond_wait (&self->cond, &self->lock);
  if (self->emo_flushing) {
    g_mutex_unlock (&self->lock);
    g_free (f);
    return GST_FLOW_FLUSHING;
  }
  if (self->video_eos) {
    /* nothing left to draw on; keep accepting so that a tee feeding
     * exports next to this overlay is not stopped */
    g_mutex_unlock (&self->lock);
    g_free (f);
    return GST_FLOW_OK;
  }
  g_queue_push_tail (&self->pending, f);
  if (!GST_CLOCK_TIME_IS_VALID (self->emo_known_until)
      || f->end > self->emo_known_until)
    self->emo_known_until = f->end;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return GST_FLOW_OK;
}

/* The segment of either sink pad: only TIME segments are accepted. */
static gboolean
gst_emo_overlay_take_segment (GstEmoOverlay * self, GstEvent * event,
    GstSegment * segment, const gchar * stream)
{
  const GstSegment *seg;

  gst_event_parse_segment (event, &seg);
  if (seg->format != GST_FORMAT_TIME) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("%s segment is not in TIME format", stream));
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  gst_segment_copy_into (seg, segment);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Stream-start, EOS and flushing do the same on both sink pads, each to its
 * own pad's state; a waiting video frame is woken where it may go on
 * (self->lock held). */
static void
gst_emo_overlay_track_input (GstEmoOverlay * self, GstEventType type,
    GstSegment * segment, gboolean * eos, gboolean * flushing)
{
  switch (type) {
    case GST_EVENT_STREAM_START:
      *eos = FALSE;
      break;
    case GST_EVENT_EOS:
      *eos = TRUE;
      g_cond_broadcast (&self->cond);
      break;
    case GST_EVENT_FLUSH_START:
      *flushing = TRUE;
      g_cond_broadcast (&self->cond);
      break;
    case GST_EVENT_FLUSH_STOP:
      *flushing = FALSE;
      *eos = FALSE;
      gst_segment_init (segment, GST_FORMAT_TIME);
      g_cond_broadcast (&self->cond);
      break;
    default:
      break;
  }
}

static gboolean
gst_emo_overlay_emo_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);
  gboolean ret = TRUE;

  GST_LOG_OBJECT (pad, "%" GST_PTR_FORMAT, event);
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstEmoFramesInfo info;

      gst_event_parse_caps (event, &caps);
      gst_emo_frames_info_init (&info);
      if (!gst_emo_frames_info_from_caps (&info, caps)) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
            ("invalid emotion frame caps %" GST_PTR_FORMAT, caps));
        ret = FALSE;
      } else {
        g_mutex_lock (&self->lock);
        self->emo_hop = info.hop;
        g_mutex_unlock (&self->lock);
      }
      gst_emo_frames_info_clear (&info);
      break;
    }
    case GST_EVENT_SEGMENT:
      ret = gst_emo_overlay_take_segment (self, event, &self->emo_segment,
          "emotion stream");
      break;
    case GST_EVENT_GAP:{
      GstClockTime ts, dur, rt;

      /* nothing to show there, but the video need not wait for it */
      gst_event_parse_gap (event, &ts, &dur);
      g_mutex_lock (&self->lock);
      rt = gst_segment_to_running_time (&self->emo_segment, GST_FORMAT_TIME,
          ts);
      if (GST_CLOCK_TIME_IS_VALID (rt)) {
        rt += GST_CLOCK_TIME_IS_VALID (dur) ? dur : 0;
        if (!GST_CLOCK_TIME_IS_VALID (self->emo_known_until)
            || rt > self->emo_known_until)
          self->emo_known_until = rt;
        g_cond_broadcast (&self->cond);
      }
      g_mutex_unlock (&self->lock);
      break;
    }
    case GST_EVENT_STREAM_START:
    case GST_EVENT_EOS:
    case GST_EVENT_FLUSH_START:
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock (&self->lock);
      /* a flush also forgets what the emotion stream delivered */
      if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
        gst_emo_overlay_reset_emo (self);
      gst_emo_overlay_track_input (self, GST_EVENT_TYPE (event),
          &self->emo_segment, &self->emo_eos, &self->emo_flushing);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  /* nothing of the emotion stream goes downstream */
  gst_event_unref (event);
  return ret;
}

static gboolean
gst_emo_overlay_emo_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *caps;

      gst_query_parse_caps (query, &filter);
      caps = gst_pad_get_pad_template_caps (pad);
      if (filter) {
        GstCaps *tmp = gst_caps_intersect_full (filter, caps,
            GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (caps);
        caps = tmp;
      }
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:{
      GstCaps *caps, *tmpl;

      gst_query_parse_accept_caps (query, &caps);
      tmpl = gst_pad_get_pad_template_caps (pad);
      gst_query_set_accept_caps_result (query,
          gst_caps_can_intersect (caps, tmpl));
      gst_caps_unref (tmpl);
      return TRUE;
    }
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

/* ---- video pad ------------------------------------------------------------ */

static gboolean
gst_emo_overlay_video_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);

  GST_LOG_OBJECT (pad, "%" GST_PTR_FORMAT, event);
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstVideoInfo info;

      gst_event_parse_caps (event, &caps);
      if (!gst_video_info_from_caps (&info, caps)) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
            ("invalid video caps %" GST_PTR_FORMAT, caps));
        gst_event_unref (event);
        return FALSE;
      }
      self->vinfo = info;
      self->have_vinfo = TRUE;
      self->layer_valid = FALSE;
      break;
    }
    case GST_EVENT_SEGMENT:
      if (!gst_emo_overlay_take_segment (self, event, &self->video_segment,
              "video")) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_STREAM_START:
    case GST_EVENT_EOS:
    case GST_EVENT_FLUSH_START:
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock (&self->lock);
      gst_emo_overlay_track_input (self, GST_EVENT_TYPE (event),
          &self->video_segment, &self->video_eos, &self->video_flushing);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Moves every pending emotion frame that starts at or before running time
 * `vt` into the shown state and the trail (lock held). */
static void
gst_emo_overlay_advance (GstEmoOverlay * self, GstClockTime vt,
    GstClockTime trail_length)
{
  GstEmoOverlayFrame *f;
  gboolean moved = FALSE;

  while ((f = g_queue_peek_head (&self->pending)) && f->start <= vt) {
    g_queue_pop_head (&self->pending);
    self->current = *f;
    self->have_current = TRUE;
    if (f->has_pred) {
      GstEmoOverlayTrailPoint p = { f->start, f->values[0], f->values[1] };
      self->shown = *f;
      self->have_shown = TRUE;
      self->shown_serial++;
      g_array_append_val (self->trail, p);
    }
    g_free (f);
    moved = TRUE;
  }
  if (moved) {
    guint drop = 0;
    /* keep the trail within trail_length before the shown frame */
    while (drop < self->trail->len) {
      GstEmoOverlayTrailPoint *p =
          &g_array_index (self->trail, GstEmoOverlayTrailPoint, drop);
      if (self->trail->len - drop <= MAX_TRAIL_POINTS
          && p->t + trail_length >= self->shown.start)
        break;
      drop++;
    }
    if (drop > 0)
      g_array_remove_range (self->trail, 0, drop);
    g_cond_broadcast (&self->cond);
  }
}

static gboolean
visible_at (const GstEmoOverlayFrame * f, GstClockTime vt, GstClockTime hold)
{
  if (!GST_CLOCK_TIME_IS_VALID (hold))
    return TRUE;
  return vt < f->end + hold;
}

/* Renders the panel layer for the shown frame (lock held, video thread). */
static void
gst_emo_overlay_render (GstEmoOverlay * self, guint parts, gdouble scale,
    gdouble opacity, GstClockTime trail_length)
{
  EmoDrawState st;
  EmoDrawTrailPoint *pts;
  cairo_t *cr;
  gint w, h;
  guint i, n = 0;

  if (self->layer_valid && self->layer_serial == self->shown_serial
      && self->layer_parts == parts && self->layer_scale == scale
      && self->layer_opacity == opacity && self->layer_trail == trail_length)
    return;

  if (!emo_draw_panel_size (parts, scale, &w, &h))
    return;
  if (!self->layer || cairo_image_surface_get_width (self->layer) != w
      || cairo_image_surface_get_height (self->layer) != h) {
    if (self->layer)
      cairo_surface_destroy (self->layer);
    self->layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  }

  memset (&st, 0, sizeof st);
  for (i = 0; i < 3; i++) {
    st.present[i] = self->shown.present[i];
    st.values[i] = self->shown.values[i];
  }
  pts = g_new (EmoDrawTrailPoint, MAX (self->trail->len, 1));
  for (i = 0; i < self->trail->len; i++) {
    GstEmoOverlayTrailPoint *p =
        &g_array_index (self->trail, GstEmoOverlayTrailPoint, i);
    if (p->t > self->shown.start)
      continue;
    pts[n].age = (gdouble) (self->shown.start - p->t) / GST_SECOND;
    pts[n].arousal = p->arousal;
    pts[n].valence = p->valence;
    n++;
  }
  st.trail = pts;
  st.n_trail = n;
  st.trail_length = (gdouble) trail_length / GST_SECOND;

  cr = cairo_create (self->layer);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  emo_draw_panel_cached (cr, parts, scale, opacity, &st, self->panel_cache);
  cairo_destroy (cr);
  cairo_surface_flush (self->layer);
  emo_blend_cache_invalidate (self->blend_cache);
  g_free (pts);

  self->layer_valid = TRUE;
  self->layer_serial = self->shown_serial;
  self->layer_parts = parts;
  self->layer_scale = scale;
  self->layer_opacity = opacity;
  self->layer_trail = trail_length;
}

static void
image_from_frame (EmoImage * img, GstVideoFrame * frame)
{
  const GstVideoInfo *info = &frame->info;
  const GstVideoFormatInfo *finfo = info->finfo;
  guint i;

  memset (img, 0, sizeof *img);
  img->width = GST_VIDEO_INFO_WIDTH (info);
  img->height = GST_VIDEO_INFO_HEIGHT (info);
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (frame) && i < 3; i++) {
    img->data[i] = GST_VIDEO_FRAME_PLANE_DATA (frame, i);
    img->stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE (frame, i);
  }
  switch (GST_VIDEO_INFO_FORMAT (info)) {
    case GST_VIDEO_FORMAT_I420:
      img->layout = EMO_IMAGE_I420;
      break;
    case GST_VIDEO_FORMAT_NV12:
      img->layout = EMO_IMAGE_NV12;
      break;
    default:
      img->layout = EMO_IMAGE_PACKED4;
      img->r = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, GST_VIDEO_COMP_R);
      img->g = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, GST_VIDEO_COMP_G);
      img->b = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, GST_VIDEO_COMP_B);
      img->a = GST_VIDEO_FORMAT_INFO_HAS_ALPHA (finfo) ?
          (gint) GST_VIDEO_FORMAT_INFO_POFFSET (finfo, GST_VIDEO_COMP_A) : -1;
      break;
  }
  if (img->layout != EMO_IMAGE_PACKED4) {
    if (!gst_video_color_matrix_get_Kr_Kb (info->colorimetry.matrix, &img->kr,
            &img->kb)) {
      img->kr = 0.299;
      img->kb = 0.114;
    }
    img->full_range = info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;
  }
}

static GstFlowReturn
gst_emo_overlay_video_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);
  GstEmoOverlayPosition position;
  gdouble scale, opacity, eff_scale = 1.0;
  GstClockTime trail_length, hold_time, vt = GST_CLOCK_TIME_NONE;
  guint parts;
  gboolean wait, draw_panel = FALSE, draw_face = FALSE;
  gint fx = 0, fy = 0, fw = 0, fh = 0, px = 0, py = 0;
  gfloat lm[2 * GST_EMO_OVERLAY_N_LANDMARKS];
  gboolean draw_lm = FALSE;
  GstVideoFrame frame;
  EmoImage img;

  if (!self->have_vinfo)
    goto not_negotiated;

  GST_OBJECT_LOCK (self);
  position = self->position;
  scale = self->scale;
  opacity = self->opacity;
  trail_length = self->trail_length;
  hold_time = self->hold_time;
  parts = self->parts;
  wait = self->wait;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->lock);
  if (self->video_flushing) {
    g_mutex_unlock (&self->lock);
    gst_buffer_unref (buf);
    return GST_FLOW_FLUSHING;
  }
  if (GST_BUFFER_PTS_IS_VALID (buf))
    vt = gst_segment_to_running_time (&self->video_segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
  if (GST_CLOCK_TIME_IS_VALID (vt)) {
    /* wait until the emotion frame covering vt is known */
    while (wait && !self->video_flushing && !self->emo_eos
        && !self->emo_flushing && gst_pad_is_linked (self->emo_sinkpad)
        && !(GST_CLOCK_TIME_IS_VALID (self->emo_known_until)
            && self->emo_known_until > vt)) {
      g_cond_wait (&self->cond, &self->lock);
      GST_OBJECT_LOCK (self);
      wait = self->wait;
      GST_OBJECT_UNLOCK (self);
    }
    if (self->video_flushing) {
      g_mutex_unlock (&self->lock);
      gst_buffer_unref (buf);
      return GST_FLOW_FLUSHING;
    }
    gst_emo_overlay_advance (self, vt, trail_length);

    eff_scale = scale * GST_VIDEO_INFO_HEIGHT (&self->vinfo) / 480.0;
    draw_panel = self->have_shown && visible_at (&self->shown, vt, hold_time)
        && (parts & (GST_EMO_OVERLAY_PARTS_BARS | GST_EMO_OVERLAY_PARTS_PLANE))
        && opacity > 0.0;
    if (draw_panel)
      gst_emo_overlay_render (self, parts, eff_scale, opacity, trail_length);
    draw_panel = draw_panel && self->layer_valid;
    if (self->have_current && self->current.has_face
        && (parts & GST_EMO_OVERLAY_PARTS_FACE)
        && visible_at (&self->current, vt, hold_time)) {
      draw_face = TRUE;
      fx = self->current.face_x;
      fy = self->current.face_y;
      fw = self->current.face_w;
      fh = self->current.face_h;
    }
    if (self->have_current && self->current.has_landmarks
        && (parts & GST_EMO_OVERLAY_PARTS_LANDMARKS)
        && visible_at (&self->current, vt, hold_time)) {
      draw_lm = TRUE;
      memcpy (lm, self->current.landmarks, sizeof (lm));
    }
  }
  g_mutex_unlock (&self->lock);

  if (!draw_panel && !draw_face && !draw_lm)
    return gst_pad_push (self->srcpad, buf);

  buf = gst_buffer_make_writable (buf);
  if (!gst_video_frame_map (&frame, &self->vinfo, buf, GST_MAP_READWRITE))
    goto map_failed;
  image_from_frame (&img, &frame);

  if (draw_face) {
    gint t = MAX (2, (gint) lrint (2.0 * eff_scale));
    emo_image_draw_box (&img, fx, fy, fw, fh, t, 255, 210, 40);
  }
  if (draw_lm) {
    /* one small filled square per landmark */
    gint r = MAX (1, (gint) lrint (1.5 * eff_scale)), i;
    for (i = 0; i < GST_EMO_OVERLAY_N_LANDMARKS; i++)
      emo_image_draw_box (&img, (gint) lrintf (lm[2 * i]) - r,
          (gint) lrintf (lm[2 * i + 1]) - r, 2 * r + 1, 2 * r + 1, r + 1, 80,
          230, 255);
  }
  if (draw_panel) {
    gint w = cairo_image_surface_get_width (self->layer);
    gint h = cairo_image_surface_get_height (self->layer);
    gint m = (gint) lrint (MARGIN * eff_scale);
    gboolean right = position == GST_EMO_OVERLAY_POSITION_TOP_RIGHT
        || position == GST_EMO_OVERLAY_POSITION_BOTTOM_RIGHT;
    gboolean bottom = position == GST_EMO_OVERLAY_POSITION_BOTTOM_LEFT
        || position == GST_EMO_OVERLAY_POSITION_BOTTOM_RIGHT;
    px = right ? img.width - w - m : m;
    py = bottom ? img.height - h - m : m;
    emo_image_blend_layer_cached (&img, self->layer, px, py, self->blend_cache);
  }
  gst_video_frame_unmap (&frame);
  return gst_pad_push (self->srcpad, buf);

  /* ERRORS */
not_negotiated:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("video frame received before caps"));
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
map_failed:
  {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("could not map the video frame for writing"));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
}

/* ---- src pad -------------------------------------------------------------- */

static gboolean
gst_emo_overlay_src_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_SEEK) {
    gboolean ret;
    /* the emotion branch seeks too when it can (the same demuxer, or a
     * seekable analysis branch); its answer does not decide the seek */
    if (gst_pad_is_linked (self->emo_sinkpad))
      gst_pad_push_event (self->emo_sinkpad, gst_event_ref (event));
    ret = gst_pad_push_event (self->video_sinkpad, event);
    return ret;
  }
  return gst_pad_push_event (self->video_sinkpad, event);
}

static gboolean
gst_emo_overlay_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstEmoOverlay *self = GST_EMO_OVERLAY (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live = FALSE, elive;
    GstClockTime min = 0, max = GST_CLOCK_TIME_NONE, emin, emax;
    GstQuery *q;

    if (!gst_pad_peer_query (self->video_sinkpad, query))
      return FALSE;
    gst_query_parse_latency (query, &live, &min, &max);
    if (gst_pad_is_linked (self->emo_sinkpad)) {
      q = gst_query_new_latency ();
      if (gst_pad_peer_query (self->emo_sinkpad, q)) {
        gst_query_parse_latency (q, &elive, &emin, &emax);
        if (elive) {
          live = TRUE;
          min = MAX (min, emin);
          if (GST_CLOCK_TIME_IS_VALID (emax))
            max = GST_CLOCK_TIME_IS_VALID (max) ? MIN (max, emax) : emax;
        }
      }
      gst_query_unref (q);
    }
    GST_DEBUG_OBJECT (self, "latency: live %d min %" GST_TIME_FORMAT " max %"
        GST_TIME_FORMAT, live, GST_TIME_ARGS (min), GST_TIME_ARGS (max));
    gst_query_set_latency (query, live, min, max);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}
