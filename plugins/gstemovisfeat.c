/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emovisfeat
 * @title: emovisfeat
 *
 * Face-region visual features from raw video, as an emotion frame stream
 * (layout `vis-v1`, 170 float values per frame; every dimension is listed in
 * docs/visual-features.md).
 *
 * The face comes from a #GstVideoRegionOfInterestMeta of type "face"
 * attached upstream (for example by `facedetect`) or, without one, from the
 * built-in Viola-Jones detector running an OpenCV cascade file
 * (#GstEmoVisfeat:cascade): a full multi-scale search every
 * #GstEmoVisfeat:detect-interval frames starting at
 * #GstEmoVisfeat:min-face-size (so the search runs on a downscaled image),
 * and between them template tracking of the last box (translation found by
 * matching a 32x32 grey template in the box's neighbourhood). When the face is lost, the last box is kept for
 * #GstEmoVisfeat:hold-time, then the frame counts as "no face". With
 * several faces in view, #GstEmoVisfeat:face-selection picks one.
 *
 * Every video frame with a face gives an 84-value descriptor of the face
 * box resampled to 48x48 grey pixels: geometry and head motion, upper and
 * lower face motion energy, LBP and HOG histograms on a 2x2 grid. Every
 * #GstEmoVisfeat:hop of running time, the element pushes one emotion frame
 * holding mean and standard deviation of the descriptors over the last
 * #GstEmoVisfeat:window, the fraction of frames with a face and the mean
 * number of faces in view. Frame k covers running time [k*hop, (k+1)*hop)
 * whatever the video frame rate. A hop without any frame with a face is
 * pushed as a GAP frame (zero payload, %GST_BUFFER_FLAG_GAP).
 *
 * Each emotion frame with a face carries a #GstVideoRegionOfInterestMeta of
 * type "face" (the last box of the hop, video pixel coordinates) with a
 * parameter structure `emovisfeat` holding `faces` (int, faces in view).
 *
 * Latency: a frame is pushed when the first video frame of the next hop
 * arrives, so the element reports hop + one video frame duration; it has
 * no other lookahead.
 *
 * With #GstEmoVisfeat:post-messages, every video frame posts an element
 * message named `emovisfeat`:
 *
 * - `timestamp` (guint64): buffer timestamp
 * - `stream-time` (guint64), `running-time` (guint64), `duration` (guint64)
 * - `faces` (gint): faces in view (last full detection, or upstream metas)
 * - `face` (gboolean): a face box was used for this frame
 * - `source` (string): "upstream", "detector" (full search), "tracker"
 *   (local search), "held" (last box kept) or "none"
 * - `x`, `y`, `width`, `height` (gint): the face box in pixels (only when
 *   `face` is TRUE)
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=Megamind.avi ! decodebin ! videoconvert ! emovisfeat ! emoexport ! filesink location=v.csv
 * ]| Writes one row of 170 visual features every 100 ms of the video.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstemoelements.h"
#include "gstemovisfeat.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_visfeat_debug);
#define GST_CAT_DEFAULT gst_emo_visfeat_debug

#define VIDEO_FORMATS "{ GRAY8, I420, NV12, RGB, BGR, RGBx, BGRx }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_MEDIA_TYPE
        ", dims = (int) 312, rate = (fraction) [ 1/1, 100/1 ], "
        "layout = (string) " EMO_FACEFEAT_LAYOUT "; "
        GST_EMO_FRAMES_MEDIA_TYPE
        ", dims = (int) 170, rate = (fraction) [ 1/1, 100/1 ], "
        "layout = (string) " EMO_VIS_LAYOUT));

G_STATIC_ASSERT (EMO_VIS_POOLED_DIMS == 170);
G_STATIC_ASSERT (EMO_FACEFEAT_POOLED_DIMS == 312);
G_STATIC_ASSERT (EMO_FACEFEAT_N_EXPR == EMO_FACE_N_EXPR);

enum
{
  PROP_0,
  PROP_HOP,
  PROP_WINDOW,
  PROP_CASCADE,
  PROP_DETECT_INTERVAL,
  PROP_MIN_FACE_SIZE,
  PROP_SCALE_FACTOR,
  PROP_MIN_NEIGHBORS,
  PROP_FACE_SELECTION,
  PROP_ROI_SOURCE,
  PROP_HOLD_TIME,
  PROP_POST_MESSAGES,
  PROP_DETECTOR,
  PROP_FEATURE_SET,
  PROP_FACE_MODELS,
  PROP_DETECTOR_SIZE,
  PROP_MIN_SCORE,
  PROP_LANDMARK_INTERVAL,
};

#define DEFAULT_HOP (100 * GST_MSECOND)
#define DEFAULT_WINDOW (4 * GST_SECOND)
#define DEFAULT_CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
#define DEFAULT_DETECT_INTERVAL 5
#define DEFAULT_MIN_FACE_SIZE 48
#define DEFAULT_SCALE_FACTOR 1.2
#define DEFAULT_MIN_NEIGHBORS 3
#define DEFAULT_FACE_SELECTION GST_EMO_VISFEAT_SELECT_LARGEST
#define DEFAULT_ROI_SOURCE GST_EMO_VISFEAT_ROI_AUTO
#define DEFAULT_HOLD_TIME (500 * GST_MSECOND)
#define DEFAULT_POST_MESSAGES FALSE
#define DEFAULT_DETECTOR GST_EMO_VISFEAT_DETECTOR_CNN
#define DEFAULT_FEATURE_SET GST_EMO_VISFEAT_FEATURES_V2
#define DEFAULT_DETECTOR_SIZE EMO_FACE_INPUT_DEFAULT
#define DEFAULT_MIN_SCORE EMO_FACE_MIN_SCORE_DEFAULT
#define DEFAULT_LANDMARK_INTERVAL 0

/* Largest detector window step in video pixels: 2 pyramid pixels while that
 * is at most this, then 1 (OpenCV steps by 1 from scale 2 on, 2-3x slower). */
#define DETECT_MAX_STEP 8

#define GST_TYPE_EMO_VISFEAT_SELECTION (gst_emo_visfeat_selection_get_type ())
static GType
gst_emo_visfeat_selection_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_VISFEAT_SELECT_LARGEST, "The largest face", "largest"},
    {GST_EMO_VISFEAT_SELECT_CENTER, "The face nearest the frame centre",
        "center"},
    {GST_EMO_VISFEAT_SELECT_STICKY,
          "The face overlapping the previous box most, else the largest",
        "sticky"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoVisfeatSelection", values);
}

#define GST_TYPE_EMO_VISFEAT_ROI_SOURCE (gst_emo_visfeat_roi_source_get_type ())
static GType
gst_emo_visfeat_roi_source_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_VISFEAT_ROI_AUTO,
          "Upstream face metas once one has been seen, else the built-in detector",
        "auto"},
    {GST_EMO_VISFEAT_ROI_UPSTREAM, "Only upstream face metas", "upstream"},
    {GST_EMO_VISFEAT_ROI_DETECTOR, "Only the built-in detector", "detector"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoVisfeatRoiSource", values);
}

#define GST_TYPE_EMO_VISFEAT_DETECTOR (gst_emo_visfeat_detector_get_type ())
static GType
gst_emo_visfeat_detector_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_VISFEAT_DETECTOR_CNN,
        "Tiny-YOLOv2 CNN face detector (face-api.js weights)", "cnn"},
    {GST_EMO_VISFEAT_DETECTOR_CASCADE,
        "Viola-Jones cascade (OpenCV cascade file)", "cascade"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoVisfeatDetector", values);
}

#define GST_TYPE_EMO_VISFEAT_FEATURE_SET (gst_emo_visfeat_feature_set_get_type ())
static GType
gst_emo_visfeat_feature_set_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_VISFEAT_FEATURES_V2,
          "Landmarks, head pose, AU-like distances, expression (312 values)",
        EMO_FACEFEAT_LAYOUT},
    {GST_EMO_VISFEAT_FEATURES_V1,
        "Box geometry, motion, LBP, HOG (170 values)", EMO_VIS_LAYOUT},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoVisfeatFeatureSet", values);
}

#define gst_emo_visfeat_parent_class parent_class
G_DEFINE_TYPE (GstEmoVisfeat, gst_emo_visfeat, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emovisfeat, "emovisfeat", GST_RANK_NONE,
    GST_TYPE_EMO_VISFEAT, emo_element_init (plugin));

static void gst_emo_visfeat_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_visfeat_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_visfeat_finalize (GObject * object);
static GstStateChangeReturn gst_emo_visfeat_change_state (GstElement * element,
    GstStateChange transition);
static gboolean gst_emo_visfeat_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_visfeat_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static GstFlowReturn gst_emo_visfeat_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);

/* The built-in Viola-Jones detector (detector=cascade). */
static void
install_cascade_properties (GObjectClass * gobject_class)
{
  /**
   * GstEmoVisfeat:cascade:
   *
   * OpenCV cascade XML file (opencv_traincascade format, Haar or LBP
   * features) for the built-in face detector.
   */
  g_object_class_install_property (gobject_class, PROP_CASCADE,
      g_param_spec_string ("cascade", "Cascade",
          "OpenCV cascade XML file (Haar or LBP) of the built-in face detector",
          DEFAULT_CASCADE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DETECT_INTERVAL,
      g_param_spec_uint ("detect-interval", "Detection interval",
          "Full face search every N video frames; local tracking in between", 1,
          1000, DEFAULT_DETECT_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MIN_FACE_SIZE,
      g_param_spec_uint ("min-face-size", "Minimum face size",
          "Smallest face width searched, in video pixels (0 = cascade window)",
          0, 4096, DEFAULT_MIN_FACE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SCALE_FACTOR,
      g_param_spec_double ("scale-factor", "Scale factor",
          "Step between the scales of the detector's image pyramid", 1.05, 2.0,
          DEFAULT_SCALE_FACTOR,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MIN_NEIGHBORS,
      g_param_spec_uint ("min-neighbors", "Minimum neighbours",
          "Raw detections a face needs to be kept (OpenCV minNeighbors)", 0,
          100, DEFAULT_MIN_NEIGHBORS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
}

/* The CNN face nets (detector=cnn) and the vis-v2 layout they feed. */
static void
install_cnn_properties (GObjectClass * gobject_class)
{
  /**
   * GstEmoVisfeat:detector:
   *
   * Face detector: the CNN (default; needs the face network weights) or the
   * Viola-Jones cascade of #GstEmoVisfeat:cascade. #GstEmoVisfeat:cascade,
   * #GstEmoVisfeat:scale-factor, #GstEmoVisfeat:min-neighbors and
   * #GstEmoVisfeat:min-face-size apply to the cascade only;
   * #GstEmoVisfeat:detector-size and #GstEmoVisfeat:min-score to the CNN.
   */
  g_object_class_install_property (gobject_class, PROP_DETECTOR,
      g_param_spec_enum ("detector", "Detector", "Face detector",
          GST_TYPE_EMO_VISFEAT_DETECTOR, DEFAULT_DETECTOR,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoVisfeat:feature-set:
   *
   * Output layout: `vis-v2` (landmarks, pose, AU-like distances,
   * expression; needs the face network weights) or `vis-v1` (the box
   * descriptor models trained before vis-v2 expect).
   */
  g_object_class_install_property (gobject_class, PROP_FEATURE_SET,
      g_param_spec_enum ("feature-set", "Feature set",
          "Output layout (caps layout name)", GST_TYPE_EMO_VISFEAT_FEATURE_SET,
          DEFAULT_FEATURE_SET,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_FACE_MODELS,
      g_param_spec_string ("face-models", "Face models",
          "Folder of the face network weights (NULL: the installed ones, "
          "else the source tree's models/face)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DETECTOR_SIZE,
      g_param_spec_uint ("detector-size", "Detector size",
          "CNN detector input size in pixels (multiple of 32; 416 is "
          "face-api.js's default)", 32, EMO_FACE_INPUT_MAX,
          DEFAULT_DETECTOR_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MIN_SCORE,
      g_param_spec_double ("min-score", "Minimum score",
          "CNN detector score a face needs", 0.05, 0.99, DEFAULT_MIN_SCORE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoVisfeat:landmark-interval:
   *
   * vis-v2: landmarks and expression on the first frame with a face of
   * every hop (0, the default), or every N video frames.
   */
  g_object_class_install_property (gobject_class, PROP_LANDMARK_INTERVAL,
      g_param_spec_uint ("landmark-interval", "Landmark interval",
          "Landmarks + expression every N video frames (0 = once per hop)", 0,
          1000, DEFAULT_LANDMARK_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
}

static void
gst_emo_visfeat_class_init (GstEmoVisfeatClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_emo_visfeat_set_property;
  gobject_class->get_property = gst_emo_visfeat_get_property;
  gobject_class->finalize = gst_emo_visfeat_finalize;

  /**
   * GstEmoVisfeat:hop:
   *
   * Duration of one emotion frame in nanoseconds (the output rate is its
   * inverse).
   */
  g_object_class_install_property (gobject_class, PROP_HOP,
      g_param_spec_uint64 ("hop", "Hop", "Duration of one emotion frame (ns)",
          10 * GST_MSECOND, GST_SECOND, DEFAULT_HOP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstEmoVisfeat:window:
   *
   * Duration over which the per-frame descriptors are pooled, ending with
   * the current hop (rounded to whole hops).
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "Pooling window ending with the current hop (ns, whole hops)",
          10 * GST_MSECOND, 60 * GST_SECOND, DEFAULT_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  install_cascade_properties (gobject_class);
  g_object_class_install_property (gobject_class, PROP_FACE_SELECTION,
      g_param_spec_enum ("face-selection", "Face selection",
          "Which face to describe when several are in view",
          GST_TYPE_EMO_VISFEAT_SELECTION, DEFAULT_FACE_SELECTION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ROI_SOURCE,
      g_param_spec_enum ("roi-source", "ROI source",
          "Where face boxes come from", GST_TYPE_EMO_VISFEAT_ROI_SOURCE,
          DEFAULT_ROI_SOURCE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_HOLD_TIME,
      g_param_spec_uint64 ("hold-time", "Hold time",
          "How long the last face box is kept when the detector loses the face (ns)",
          0, 10 * GST_SECOND, DEFAULT_HOLD_TIME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an element message with the face box for every video frame",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  install_cnn_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Visual emotion features", "Filter/Analyzer/Video",
      "Face landmarks, head pose, action-unit-like distances and expression "
      "(vis-v2), or box geometry, LBP, HOG and motion (vis-v1), pooled per hop",
      EMO_PACKAGE_CONTACT);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_emo_visfeat_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_VISFEAT_SELECTION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_VISFEAT_ROI_SOURCE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_VISFEAT_DETECTOR, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_VISFEAT_FEATURE_SET, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_visfeat_debug, "emovisfeat", 0,
      "Visual emotion features");
}

static void
settings_copy (GstEmoVisfeatSettings * dst, const GstEmoVisfeatSettings * src)
{
  g_free (dst->cascade);
  g_free (dst->face_models);
  *dst = *src;
  dst->cascade = g_strdup (src->cascade);
  dst->face_models = g_strdup (src->face_models);
}

static void
reset_tracking (GstEmoVisfeat * self)
{
  emo_face_follow_reset (&self->follow);
  emo_vis_track_reset (&self->track);
}

static void
free_rgb (GstEmoVisfeat * self)
{
  if (self->convert)
    gst_video_converter_free (self->convert);
  self->convert = NULL;
  gst_clear_buffer (&self->rgb_buf);
  self->rgb = NULL;
  self->rgb_ready = FALSE;
}

/* Forget everything that depends on the position in the stream. */
static void
reset_stream (GstEmoVisfeat * self)
{
  reset_tracking (self);
  self->upstream_latched = FALSE;
  self->have_hop = FALSE;
  self->hop_index = 0;
  self->hop_has_box = FALSE;
  self->hop_faces = 0;
  self->hop_analysed = FALSE;
  self->frames_since_analysis = G_MAXUINT / 2;
  self->n_hop_face = 0;
  self->last_pts = GST_CLOCK_TIME_NONE;
  if (self->pool)
    emo_vis_pool_reset (self->pool);
}

/* Drop all analysis state (stop / finalize). */
static void
gst_emo_visfeat_reset (GstEmoVisfeat * self)
{
  emo_detector_free (self->detector);
  self->detector = NULL;
  emo_cascade_free (self->cascade);
  self->cascade = NULL;
  if (self->nets)
    emo_face_nets_free (self->nets);
  self->nets = NULL;
  free_rgb (self);
  self->n_cnn_boxes = 0;
  emo_vis_pool_free (self->pool);
  self->pool = NULL;
  g_free (self->gray);
  self->gray = NULL;
  self->gray_alloc = 0;
  g_free (self->frame_vec);
  self->frame_vec = NULL;
  self->have_vinfo = FALSE;
  self->src_caps_sent = FALSE;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  self->frame_duration = GST_CLOCK_TIME_NONE;
  reset_stream (self);
}

static void
gst_emo_visfeat_init (GstEmoVisfeat * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_visfeat_sink_event));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_visfeat_chain));
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_visfeat_src_query));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->props.hop = DEFAULT_HOP;
  self->props.window = DEFAULT_WINDOW;
  self->props.cascade = g_strdup (DEFAULT_CASCADE);
  self->props.detect_interval = DEFAULT_DETECT_INTERVAL;
  self->props.min_face_size = DEFAULT_MIN_FACE_SIZE;
  self->props.scale_factor = DEFAULT_SCALE_FACTOR;
  self->props.min_neighbors = DEFAULT_MIN_NEIGHBORS;
  self->props.selection = DEFAULT_FACE_SELECTION;
  self->props.roi_source = DEFAULT_ROI_SOURCE;
  self->props.hold_time = DEFAULT_HOLD_TIME;
  self->props.post_messages = DEFAULT_POST_MESSAGES;
  self->props.detector = DEFAULT_DETECTOR;
  self->props.feature_set = DEFAULT_FEATURE_SET;
  self->props.detector_size = DEFAULT_DETECTOR_SIZE;
  self->props.min_score = DEFAULT_MIN_SCORE;
  self->props.landmark_interval = DEFAULT_LANDMARK_INTERVAL;
  self->dets = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  self->upstream = g_array_new (FALSE, FALSE, sizeof (EmoRect));
  gst_emo_frames_info_init (&self->frames);
  emo_face_follow_init (&self->follow, DEFAULT_DETECT_INTERVAL,
      (EmoFaceSelect) DEFAULT_FACE_SELECTION, DEFAULT_HOLD_TIME);
  gst_emo_visfeat_reset (self);
}

static void
gst_emo_visfeat_finalize (GObject * object)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (object);

  gst_emo_visfeat_reset (self);
  g_array_unref (self->dets);
  g_array_unref (self->upstream);
  emo_face_follow_clear (&self->follow);
  gst_emo_frames_info_clear (&self->frames);
  g_free (self->props.cascade);
  g_free (self->cur.cascade);
  g_free (self->props.face_models);
  g_free (self->cur.face_models);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* properties copied as they are; cascade falls back to its default */
static const EmoPropertyField gst_emo_visfeat_fields[] = {
  {PROP_HOP, G_STRUCT_OFFSET (GstEmoVisfeat, props.hop)},
  {PROP_WINDOW, G_STRUCT_OFFSET (GstEmoVisfeat, props.window)},
  {PROP_CASCADE, G_STRUCT_OFFSET (GstEmoVisfeat, props.cascade)},
  {PROP_DETECT_INTERVAL, G_STRUCT_OFFSET (GstEmoVisfeat,
          props.detect_interval)},
  {PROP_MIN_FACE_SIZE, G_STRUCT_OFFSET (GstEmoVisfeat, props.min_face_size)},
  {PROP_SCALE_FACTOR, G_STRUCT_OFFSET (GstEmoVisfeat, props.scale_factor)},
  {PROP_MIN_NEIGHBORS, G_STRUCT_OFFSET (GstEmoVisfeat, props.min_neighbors)},
  {PROP_FACE_SELECTION, G_STRUCT_OFFSET (GstEmoVisfeat, props.selection)},
  {PROP_ROI_SOURCE, G_STRUCT_OFFSET (GstEmoVisfeat, props.roi_source)},
  {PROP_HOLD_TIME, G_STRUCT_OFFSET (GstEmoVisfeat, props.hold_time)},
  {PROP_POST_MESSAGES, G_STRUCT_OFFSET (GstEmoVisfeat, props.post_messages)},
  {PROP_DETECTOR, G_STRUCT_OFFSET (GstEmoVisfeat, props.detector)},
  {PROP_FEATURE_SET, G_STRUCT_OFFSET (GstEmoVisfeat, props.feature_set)},
  {PROP_FACE_MODELS, G_STRUCT_OFFSET (GstEmoVisfeat, props.face_models)},
  {PROP_DETECTOR_SIZE, G_STRUCT_OFFSET (GstEmoVisfeat, props.detector_size)},
  {PROP_MIN_SCORE, G_STRUCT_OFFSET (GstEmoVisfeat, props.min_score)},
  {PROP_LANDMARK_INTERVAL, G_STRUCT_OFFSET (GstEmoVisfeat,
          props.landmark_interval)},
  {0, 0}
};

static void
gst_emo_visfeat_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (object);

  GST_OBJECT_LOCK (self);
  emo_element_set_field (object, gst_emo_visfeat_fields, prop_id, value, pspec);
  if (prop_id == PROP_CASCADE && !self->props.cascade)
    self->props.cascade = g_strdup (DEFAULT_CASCADE);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_visfeat_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GST_OBJECT_LOCK (object);
  emo_element_get_field (object, gst_emo_visfeat_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (object);
}

static guint64
gcd64 (guint64 a, guint64 b)
{
  while (b) {
    guint64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static gboolean
is_v2 (GstEmoVisfeat * self)
{
  return self->cur.feature_set == GST_EMO_VISFEAT_FEATURES_V2;
}

/* Output info, pool and per-frame vector for the current feature set. */
static void
setup_layout (GstEmoVisfeat * self)
{
  gboolean v2 = is_v2 (self);
  guint64 g = gcd64 (GST_SECOND, self->cur.hop);

  self->pool_dims = v2 ? EMO_FACEFEAT_FRAME_DIMS : EMO_VIS_FRAME_DIMS;
  gst_emo_frames_info_set (&self->frames,
      v2 ? EMO_FACEFEAT_POOLED_DIMS : EMO_VIS_POOLED_DIMS,
      (gint) (GST_SECOND / g), (gint) (self->cur.hop / g),
      v2 ? EMO_FACEFEAT_LAYOUT : EMO_VIS_LAYOUT);
  emo_vis_pool_free (self->pool);
  self->pool = emo_vis_pool_new (self->pool_dims, self->window_hops);
  g_free (self->frame_vec);
  self->frame_vec = g_new0 (gfloat, self->pool_dims);
}

/* The face network weights: the property, else the default folder. */
static gchar *
face_models_dir (GstEmoVisfeat * self)
{
  if (self->cur.face_models)
    return g_strdup (self->cur.face_models);
  return emo_face_models_default_dir ();
}

static gboolean
load_cascade (GstEmoVisfeat * self)
{
  GError *err = NULL;

  self->cascade = emo_cascade_load (self->cur.cascade, &err);
  if (self->cascade) {
    self->detector = emo_detector_new (self->cascade);
    return TRUE;
  }
  if (err->code == EMO_CASCADE_ERROR_PARSE && !g_file_test (self->cur.cascade,
          G_FILE_TEST_IS_REGULAR))
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not read face cascade file \"%s\".", self->cur.cascade),
        ("%s", err->message));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Face cascade file \"%s\" is not a usable OpenCV cascade.",
            self->cur.cascade), ("%s", err->message));
  g_error_free (err);
  return FALSE;
}

static gboolean
load_nets (GstEmoVisfeat * self)
{
  GError *err = NULL;
  gchar *dir = face_models_dir (self);

  self->nets = emo_face_nets_load (dir, &err);
  if (!self->nets) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Face network weights in \"%s\" are not usable: %s", dir,
            err->message), (NULL));
    g_error_free (err);
  }
  g_free (dir);
  return self->nets != NULL;
}

/* READY -> PAUSED: copy the settings, load the detector and the nets,
 * allocate the pool. */
static gboolean
gst_emo_visfeat_start (GstEmoVisfeat * self)
{
  gboolean detect, v2;

  GST_OBJECT_LOCK (self);
  settings_copy (&self->cur, &self->props);
  GST_OBJECT_UNLOCK (self);
  v2 = is_v2 (self);
  if (self->cur.detector_size % 32) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("detector-size %u is not a multiple of 32.", self->cur.detector_size),
        (NULL));
    return FALSE;
  }

  self->window_hops =
      (guint) MAX (1, (self->cur.window + self->cur.hop / 2) / self->cur.hop);
  setup_layout (self);
  self->follow.detect_interval = MAX (1, self->cur.detect_interval);
  self->follow.selection = (EmoFaceSelect) self->cur.selection;
  self->follow.hold_time = self->cur.hold_time;

  detect = self->cur.roi_source != GST_EMO_VISFEAT_ROI_UPSTREAM;
  if (detect && self->cur.detector == GST_EMO_VISFEAT_DETECTOR_CASCADE
      && !load_cascade (self))
    return FALSE;
  if ((v2 || (detect && self->cur.detector == GST_EMO_VISFEAT_DETECTOR_CNN))
      && !load_nets (self))
    return FALSE;
  reset_stream (self);
  return TRUE;
}

static GstStateChangeReturn
gst_emo_visfeat_change_state (GstElement * element, GstStateChange transition)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_emo_visfeat_reset (self);
    if (!gst_emo_visfeat_start (self)) {
      gst_emo_visfeat_reset (self);
      return GST_STATE_CHANGE_FAILURE;
    }
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_emo_visfeat_reset (self);
  return ret;
}

/* ---- output ------------------------------------------------------------- */

/* Before the first output caps: when downstream cannot take the chosen
 * layout but takes the other one (emomtl with a model of the other layout
 * says so in caps queries), switch, so that older models keep working
 * with the default element. FALSE if the switch needs nets that do not
 * load (the error is posted). */
static gboolean
negotiate_layout (GstEmoVisfeat * self)
{
  GstCaps *want, *other, *peer;
  gboolean v2 = is_v2 (self), switch_set;
  guint64 g = gcd64 (GST_SECOND, self->cur.hop);
  gint rn = (gint) (GST_SECOND / g), rd = (gint) (self->cur.hop / g);

  want = gst_emo_frames_caps_new (self->frames.dims, rn, rd,
      self->frames.layout);
  other = gst_emo_frames_caps_new (v2 ? EMO_VIS_POOLED_DIMS :
      EMO_FACEFEAT_POOLED_DIMS, rn, rd, v2 ? EMO_VIS_LAYOUT :
      EMO_FACEFEAT_LAYOUT);
  peer = gst_pad_peer_query_caps (self->srcpad, NULL);
  switch_set = peer && !gst_caps_can_intersect (peer, want)
      && gst_caps_can_intersect (peer, other);
  gst_caps_unref (want);
  gst_caps_unref (other);
  if (peer)
    gst_caps_unref (peer);
  if (!switch_set)
    return TRUE;
  GST_INFO_OBJECT (self, "downstream takes only %s",
      v2 ? EMO_VIS_LAYOUT : EMO_FACEFEAT_LAYOUT);
  self->cur.feature_set = v2 ? GST_EMO_VISFEAT_FEATURES_V1 :
      GST_EMO_VISFEAT_FEATURES_V2;
  setup_layout (self);
  return self->nets || !is_v2 (self) || load_nets (self);
}

static void
ensure_src_caps (GstEmoVisfeat * self)
{
  GstCaps *caps;
  gchar **names;

  if (self->src_caps_sent)
    return;
  caps = gst_emo_frames_info_to_caps (&self->frames);
  gst_pad_set_caps (self->srcpad, caps);
  gst_caps_unref (caps);
  names = is_v2 (self) ? emo_facefeat_names () : emo_vis_feature_names ();
  gst_pad_push_event (self->srcpad, gst_emo_event_new_feature_names (
          (const gchar * const *) names, self->frames.dims));
  g_strfreev (names);
  self->src_caps_sent = TRUE;
}

static GQuark
face_quark (void)
{
  static GQuark q = 0;

  if (!q)
    q = g_quark_from_static_string ("face");
  return q;
}

/* The parameters of one face meta: `faces` (int) as in vis-v1, and with
 * vis-v2 `followed` (boolean), `score` (double, CNN detector score), and
 * when analysed `landmarks` (array of 136 floats, x0 y0 x1 y1 ... in video
 * pixels) and one double per expression (`neutral` ... `surprised`). */
static GstStructure *
face_params (GstEmoVisfeat * self, const GstEmoVisfeatFace * f)
{
  GstStructure *st = gst_structure_new ("emovisfeat", "faces", G_TYPE_INT,
      (gint) self->hop_faces, NULL);
  guint i;

  if (!f)
    return st;
  gst_structure_set (st, "followed", G_TYPE_BOOLEAN, f->followed, "score",
      G_TYPE_DOUBLE, (gdouble) f->score, NULL);
  if (f->analysed) {
    GValue arr = G_VALUE_INIT, v = G_VALUE_INIT;
    g_value_init (&arr, GST_TYPE_ARRAY);
    g_value_init (&v, G_TYPE_FLOAT);
    for (i = 0; i < 2 * EMO_FACEFEAT_N_POINTS; i++) {
      g_value_set_float (&v, f->landmarks[i]);
      gst_value_array_append_value (&arr, &v);
    }
    gst_structure_take_value (st, "landmarks", &arr);
    g_value_unset (&v);
    for (i = 0; i < EMO_FACEFEAT_N_EXPR; i++)
      gst_structure_set (st, emo_face_expression_name ((int) i),
          G_TYPE_DOUBLE, (gdouble) f->probs[i], NULL);
  }
  return st;
}

static void
add_face_meta (GstEmoVisfeat * self, GstBuffer * out, const EmoRect * r,
    const GstEmoVisfeatFace * f)
{
  GstVideoRegionOfInterestMeta *roi =
      gst_buffer_add_video_region_of_interest_meta_id (out, face_quark (),
      r->x, r->y, r->width, r->height);

  gst_video_region_of_interest_meta_add_param (roi, face_params (self, f));
}

/* Face metas of the hop: with vis-v2 every analysed face, the followed one
 * first (readers that take the first face meta get it); else the last box
 * of the hop. */
static void
add_face_metas (GstEmoVisfeat * self, GstBuffer * out)
{
  guint i;

  if (is_v2 (self) && self->n_hop_face > 0) {
    for (i = 0; i < self->n_hop_face; i++)
      if (self->hop_face[i].followed)
        add_face_meta (self, out, &self->hop_face[i].box, &self->hop_face[i]);
    for (i = 0; i < self->n_hop_face; i++)
      if (!self->hop_face[i].followed)
        add_face_meta (self, out, &self->hop_face[i].box, &self->hop_face[i]);
  } else if (self->hop_has_box) {
    add_face_meta (self, out, &self->hop_box, NULL);
  }
}

/* Pushes the emotion frame of the current hop and starts the next one. */
static GstFlowReturn
finish_hop (GstEmoVisfeat * self)
{
  GstBuffer *out;
  GstClockTime rt, pts;
  gboolean gap;
  GstMapInfo map;

  /* vis-v2 once per hop: a hop without analysis is a hop without a face */
  if (is_v2 (self) && self->cur.landmark_interval == 0 && !self->hop_analysed)
    emo_vis_pool_add_frame (self->pool, NULL, self->hop_faces);
  gap = emo_vis_pool_hop_face_frames (self->pool) == 0;
  ensure_src_caps (self);
  out = gst_buffer_new_allocate (NULL, self->frames.dims * sizeof (gfloat),
      NULL);
  gst_buffer_map (out, &map, GST_MAP_WRITE);
  if (gap) {
    memset (map.data, 0, map.size);
    emo_vis_pool_finish_hop (self->pool, NULL);
  } else {
    emo_vis_pool_finish_hop (self->pool, (gfloat *) map.data);
  }
  gst_buffer_unmap (out, &map);

  rt = gst_emo_frames_index_to_time (&self->frames, self->hop_index);
  pts =
      gst_segment_position_from_running_time (&self->segment, GST_FORMAT_TIME,
      rt);
  GST_BUFFER_PTS (out) = GST_CLOCK_TIME_IS_VALID (pts) ? pts : rt;
  GST_BUFFER_DURATION (out) = self->cur.hop;
  if (gap)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_GAP);
  add_face_metas (self, out);

  self->hop_index++;
  self->hop_has_box = FALSE;
  self->hop_faces = 0;
  self->hop_analysed = FALSE;
  self->n_hop_face = 0;
  return gst_pad_push (self->srcpad, out);
}

/* Pushes every hop that ends at or before running time @rt. */
static GstFlowReturn
advance_to (GstEmoVisfeat * self, GstClockTime rt)
{
  guint64 k = gst_emo_frames_time_to_index (&self->frames, rt);
  GstFlowReturn ret = GST_FLOW_OK;

  if (!self->have_hop) {
    self->have_hop = TRUE;
    self->hop_index = k;
    return GST_FLOW_OK;
  }
  while (self->hop_index < k && ret == GST_FLOW_OK)
    ret = finish_hop (self);
  return ret;
}

/* ---- faces -------------------------------------------------------------- */

/* Face boxes of type "face" attached upstream, clipped to the frame. */
static void
collect_upstream (GstEmoVisfeat * self, GstBuffer * buf, gint width,
    gint height, GArray * out)
{
  gpointer state = NULL;
  GstMeta *m;

  g_array_set_size (out, 0);
  while ((m = gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) m;
    EmoRect r;
    if (roi->roi_type != face_quark ())
      continue;
    r.x = (gint) MIN (roi->x, (guint) G_MAXINT);
    r.y = (gint) MIN (roi->y, (guint) G_MAXINT);
    r.width = (gint) MIN (roi->w, (guint) G_MAXINT);
    r.height = (gint) MIN (roi->h, (guint) G_MAXINT);
    if (emo_rect_clip (&r, width, height))
      g_array_append_val (out, r);
  }
}

typedef struct
{
  GstEmoVisfeat *self;
  GstVideoFrame *frame;
  const guint8 *gray;
  gint width, height;
  gsize stride;
} DetectCtx;

/* The frame as packed RGB for the nets: RGB frames as they are, others
 * converted once per frame and only when a net runs on it. NULL if the
 * conversion cannot be set up. */
static const guint8 *
frame_rgb (GstEmoVisfeat * self, GstVideoFrame * frame, gint * stride)
{
  GstVideoFrame out;

  if (GST_VIDEO_FRAME_FORMAT (frame) == GST_VIDEO_FORMAT_RGB) {
    *stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
    return GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  }
  if (!self->convert) {
    gst_video_info_set_format (&self->rgb_info, GST_VIDEO_FORMAT_RGB,
        GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame));
    /* the converter wants equal rates and aspect */
    self->rgb_info.fps_n = frame->info.fps_n;
    self->rgb_info.fps_d = frame->info.fps_d;
    self->rgb_info.par_n = frame->info.par_n;
    self->rgb_info.par_d = frame->info.par_d;
    self->rgb_info.interlace_mode = frame->info.interlace_mode;
    self->convert = gst_video_converter_new (&frame->info, &self->rgb_info,
        NULL);
    if (!self->convert)
      return NULL;
    self->rgb = g_malloc (self->rgb_info.size);
    self->rgb_buf = gst_buffer_new_wrapped_full (0, self->rgb,
        self->rgb_info.size, 0, self->rgb_info.size, self->rgb, g_free);
    self->rgb_ready = FALSE;
  }
  *stride = GST_VIDEO_INFO_PLANE_STRIDE (&self->rgb_info, 0);
  if (self->rgb_ready)
    return self->rgb;
  if (!gst_video_frame_map (&out, &self->rgb_info, self->rgb_buf,
          GST_MAP_WRITE))
    return NULL;
  gst_video_converter_frame (self->convert, frame, &out);
  gst_video_frame_unmap (&out);
  self->rgb_ready = TRUE;
  return self->rgb;
}

/* The CNN detector as the face follower's search; the boxes kept (clipped
 * to the frame, non-empty) and their scores in self->cnn_boxes. */
static gboolean
detect_cnn (gpointer user_data, GArray * out)
{
  DetectCtx *ctx = user_data;
  GstEmoVisfeat *self = ctx->self;
  EmoFaceBox boxes[GST_EMO_VISFEAT_MAX_FACES];
  const guint8 *rgb;
  gint stride, n, i;

  g_array_set_size (out, 0);
  self->n_cnn_boxes = 0;
  if (!self->nets || !(rgb = frame_rgb (self, ctx->frame, &stride)))
    return FALSE;
  n = emo_face_detect (self->nets, rgb, ctx->width, ctx->height, stride,
      (int) self->cur.detector_size, (float) self->cur.min_score, boxes,
      GST_EMO_VISFEAT_MAX_FACES);
  if (n < 0)
    return FALSE;
  for (i = 0; i < n; i++) {
    EmoRect r;
    if (!isfinite (boxes[i].x) || !isfinite (boxes[i].y)
        || !isfinite (boxes[i].w) || !isfinite (boxes[i].h))
      continue;
    r.x = (gint) CLAMP (floorf (boxes[i].x), -1e6f, 1e6f);
    r.y = (gint) CLAMP (floorf (boxes[i].y), -1e6f, 1e6f);
    r.width = (gint) CLAMP (roundf (boxes[i].w), 0.f, 1e6f);
    r.height = (gint) CLAMP (roundf (boxes[i].h), 0.f, 1e6f);
    if (!emo_rect_clip (&r, ctx->width, ctx->height))
      continue;
    g_array_append_val (out, r);
    self->cnn_boxes[self->n_cnn_boxes++] = boxes[i];
  }
  return TRUE;
}

/* The cascade detector as the face follower's search. */
static gboolean
detect_cascade (gpointer user_data, GArray * out)
{
  DetectCtx *ctx = user_data;
  GstEmoVisfeat *self = ctx->self;
  EmoDetectParams p;
  guint i;

  g_array_set_size (out, 0);
  if (!self->detector)
    return FALSE;
  emo_detect_params_init (&p);
  p.scale_factor = self->cur.scale_factor;
  p.min_neighbors = (gint) self->cur.min_neighbors;
  p.step = DETECT_MAX_STEP;
  p.min_size = (gint) self->cur.min_face_size;
  emo_detector_detect (self->detector, ctx->gray, ctx->width, ctx->height,
      ctx->stride, &p, self->dets);
  for (i = 0; i < self->dets->len; i++)
    g_array_append_val (out, g_array_index (self->dets, EmoDetection, i).rect);
  return TRUE;
}

/* Finds the face for this frame (self->follow.box) and says where it came
 * from. */
static EmoFaceSource
find_face (GstEmoVisfeat * self, GstBuffer * buf, GstVideoFrame * frame,
    const guint8 * gray, gsize stride, GstClockTime rt)
{
  GstEmoVisfeatRoiSource src = self->cur.roi_source;
  gint width = GST_VIDEO_FRAME_WIDTH (frame);
  gint height = GST_VIDEO_FRAME_HEIGHT (frame);
  DetectCtx ctx = { self, frame, gray, width, height, stride };

  if (src != GST_EMO_VISFEAT_ROI_DETECTOR) {
    collect_upstream (self, buf, width, height, self->upstream);
    if (self->upstream->len > 0)
      self->upstream_latched = TRUE;
    if (src == GST_EMO_VISFEAT_ROI_UPSTREAM || self->upstream_latched)
      return emo_face_follow_given (&self->follow,
          (const EmoRect *) self->upstream->data, self->upstream->len, width,
          height, rt);
  }
  if (self->cur.detector == GST_EMO_VISFEAT_DETECTOR_CNN)
    return self->nets ? emo_face_follow_frame (&self->follow, detect_cnn,
        &ctx, gray, width, height, stride, rt) : EMO_FACE_SOURCE_NONE;
  return self->detector ? emo_face_follow_frame (&self->follow,
      detect_cascade, &ctx, gray, width, height, stride, rt) :
      EMO_FACE_SOURCE_NONE;
}

/* ---- vis-v2 analysis ---------------------------------------------------- */

/* Is this frame an analysis slot (landmarks + expression)? */
static gboolean
analysis_due (GstEmoVisfeat * self)
{
  if (self->cur.landmark_interval == 0)
    return !self->hop_analysed;
  if (self->frames_since_analysis + 1 >= self->cur.landmark_interval
      || self->frames_since_analysis >= G_MAXUINT / 4) {
    self->frames_since_analysis = 0;
    return TRUE;
  }
  self->frames_since_analysis++;
  return FALSE;
}

/* CNN score of the last search's box overlapping @r most (0 without). */
static gfloat
cnn_score (GstEmoVisfeat * self, const EmoRect * r)
{
  gdouble best = 0.3;
  gfloat score = 0;
  guint i;

  if (self->cur.detector != GST_EMO_VISFEAT_DETECTOR_CNN)
    return 0;
  for (i = 0; i < self->n_cnn_boxes && i < self->follow.faces->len; i++) {
    gdouble iou = emo_rect_iou (r, &g_array_index (self->follow.faces,
            EmoRect, i));
    if (iou > best) {
      best = iou;
      score = self->cnn_boxes[i].score;
    }
  }
  return score;
}

static GstEmoVisfeatFace *
analyse_one (GstEmoVisfeat * self, const guint8 * rgb, gint width,
    gint height, gint stride, const EmoRect * r, gboolean followed)
{
  GstEmoVisfeatFace *f = &self->hop_face[self->n_hop_face++];
  EmoFaceBox fb = { r->x, r->y, r->width, r->height, 0 };

  f->box = *r;
  f->score = cnn_score (self, r);
  f->followed = followed;
  f->analysed = rgb
      && emo_face_landmarks (self->nets, rgb, width, height, stride, &fb,
      f->landmarks)
      && emo_face_expression (self->nets, rgb, width, height, stride, &fb,
      f->probs, NULL);
  return f;
}

/* Landmarks and expression of every face in view (the followed one at its
 * current box, the others at their boxes of the last search); the followed
 * face's vector, or "no face", goes into the pool. */
static void
analyse_faces (GstEmoVisfeat * self, GstVideoFrame * frame, gboolean face)
{
  gint width = GST_VIDEO_FRAME_WIDTH (frame);
  gint height = GST_VIDEO_FRAME_HEIGHT (frame);
  const guint8 *rgb = NULL;
  gboolean described = FALSE;
  gint stride = 0;
  guint i;

  self->hop_analysed = TRUE;
  self->n_hop_face = 0;
  if (face) {
    GstEmoVisfeatFace *f;
    rgb = frame_rgb (self, frame, &stride);
    f = analyse_one (self, rgb, width, height, stride, &self->follow.box, TRUE);
    described = f->analysed
        && emo_facefeat_describe (f->landmarks, f->probs, self->frame_vec);
    for (i = 0; i < self->follow.faces->len
        && self->n_hop_face < GST_EMO_VISFEAT_MAX_FACES; i++) {
      const EmoRect *r = &g_array_index (self->follow.faces, EmoRect, i);
      if (emo_rect_iou (r, &self->follow.box) < 0.3)
        analyse_one (self, rgb, width, height, stride, r, FALSE);
    }
  }
  emo_vis_pool_add_frame (self->pool, described ? self->frame_vec : NULL,
      self->follow.n_faces);
}

static void
post_face_message (GstEmoVisfeat * self, GstBuffer * buf, GstClockTime rt,
    const gchar * source, gboolean face)
{
  GstClockTime pts = GST_BUFFER_PTS (buf);
  GstStructure *s = gst_structure_new ("emovisfeat",
      "timestamp", G_TYPE_UINT64, pts,
      "stream-time", G_TYPE_UINT64,
      gst_segment_to_stream_time (&self->segment, GST_FORMAT_TIME, pts),
      "running-time", G_TYPE_UINT64, rt,
      "duration", G_TYPE_UINT64, GST_BUFFER_DURATION (buf),
      "faces", G_TYPE_INT, (gint) self->follow.n_faces,
      "face", G_TYPE_BOOLEAN, face,
      "source", G_TYPE_STRING, source, NULL);

  if (face)
    gst_structure_set (s, "x", G_TYPE_INT, self->follow.box.x, "y",
        G_TYPE_INT, self->follow.box.y, "width", G_TYPE_INT,
        self->follow.box.width, "height", G_TYPE_INT, self->follow.box.height,
        NULL);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

/* ---- processing --------------------------------------------------------- */

/* The frame's grey levels: the luma plane as it is, or converted from packed
 * RGB (BT.601 weights). */
static const guint8 *
frame_gray (GstEmoVisfeat * self, GstVideoFrame * frame, gsize * stride)
{
  gint width = GST_VIDEO_FRAME_WIDTH (frame);
  gint height = GST_VIDEO_FRAME_HEIGHT (frame);
  gsize need = (gsize) width * height;

  switch (GST_VIDEO_FRAME_FORMAT (frame)) {
    case GST_VIDEO_FORMAT_GRAY8:
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_NV12:
      *stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
      return GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
    default:
      break;
  }
  if (need > self->gray_alloc) {
    g_free (self->gray);
    self->gray = g_malloc (need);
    self->gray_alloc = need;
  }
  emo_gray_from_packed_rgb (self->gray, width,
      GST_VIDEO_FRAME_PLANE_DATA (frame, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0), width, height,
      GST_VIDEO_FRAME_COMP_PSTRIDE (frame, 0),
      GST_VIDEO_FRAME_COMP_POFFSET (frame, 0),
      GST_VIDEO_FRAME_COMP_POFFSET (frame, 1),
      GST_VIDEO_FRAME_COMP_POFFSET (frame, 2));
  *stride = width;
  return self->gray;
}

/* The frame's contribution to the hop: vis-v1 describes every frame with a
 * face; vis-v2 analyses the frames that are analysis slots. */
static void
describe_frame (GstEmoVisfeat * self, GstVideoFrame * frame,
    const guint8 * gray, gsize stride, gboolean face, GstClockTime rt)
{
  if (face) {
    self->hop_has_box = TRUE;
    self->hop_box = self->follow.box;
  }
  self->hop_faces = self->follow.n_faces;
  if (is_v2 (self)) {
    if (analysis_due (self))
      analyse_faces (self, frame, face);
  } else if (face) {
    emo_vis_describe_frame (&self->track, gray, GST_VIDEO_FRAME_WIDTH (frame),
        GST_VIDEO_FRAME_HEIGHT (frame), stride, &self->follow.box,
        rt / (gdouble) GST_SECOND, self->frame_vec);
    emo_vis_pool_add_frame (self->pool, self->frame_vec, self->follow.n_faces);
  } else {
    emo_vis_track_reset (&self->track);
    emo_vis_pool_add_frame (self->pool, NULL, self->follow.n_faces);
  }
}

static GstFlowReturn
gst_emo_visfeat_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (parent);
  GstFlowReturn ret;
  GstVideoFrame frame;
  GstClockTime pts, rt;
  const guint8 *gray;
  gsize stride;
  EmoFaceSource source;
  gboolean face, post;

  if (!self->have_vinfo)
    goto not_negotiated;

  pts = GST_BUFFER_PTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (pts)) {
    /* no timestamp: continue from the previous frame */
    if (GST_CLOCK_TIME_IS_VALID (self->last_pts)
        && GST_CLOCK_TIME_IS_VALID (self->frame_duration))
      pts = self->last_pts + self->frame_duration;
    else
      pts =
          GST_CLOCK_TIME_IS_VALID (self->last_pts) ? self->
          last_pts : self->segment.start;
  }
  self->last_pts = pts;
  rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (rt)) {
    GST_LOG_OBJECT (self, "frame outside the segment, dropped");
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  ret = advance_to (self, rt);
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buf);
    return ret;
  }
  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT))
    emo_vis_track_reset (&self->track);

  if (!gst_video_frame_map (&frame, &self->vinfo, buf, GST_MAP_READ))
    goto map_failed;
  self->rgb_ready = FALSE;
  gray = frame_gray (self, &frame, &stride);
  source = find_face (self, buf, &frame, gray, stride, rt);
  face = source != EMO_FACE_SOURCE_NONE;
  describe_frame (self, &frame, gray, stride, face, rt);
  gst_video_frame_unmap (&frame);

  GST_OBJECT_LOCK (self);
  post = self->props.post_messages;
  GST_OBJECT_UNLOCK (self);
  if (post)
    post_face_message (self, buf, rt, emo_face_source_name (source), face);

  gst_buffer_unref (buf);
  return GST_FLOW_OK;

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
    GST_ELEMENT_ERROR (self, STREAM, FAILED, ("Could not map a video frame."),
        ("buffer of %" G_GSIZE_FORMAT " bytes does not match %" GST_PTR_FORMAT,
            gst_buffer_get_size (buf), self->sinkpad));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
}

static gboolean
gst_emo_visfeat_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstVideoInfo info;

      gst_event_parse_caps (event, &caps);
      if (!gst_video_info_from_caps (&info, caps)) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("Invalid video caps."), ("caps: %" GST_PTR_FORMAT, caps));
        gst_event_unref (event);
        return FALSE;
      }
      if (self->have_vinfo && (info.width != self->vinfo.width
              || info.height != self->vinfo.height)) {
        /* boxes from the old geometry mean nothing now; pooling goes on */
        GST_INFO_OBJECT (self, "frame size changed to %dx%d", info.width,
            info.height);
        reset_tracking (self);
      }
      free_rgb (self);
      if (!self->src_caps_sent && !negotiate_layout (self)) {
        gst_event_unref (event);
        return FALSE;
      }
      self->vinfo = info;
      self->have_vinfo = TRUE;
      self->frame_duration = info.fps_n > 0 ?
          gst_util_uint64_scale_int (GST_SECOND, info.fps_d,
          info.fps_n) : GST_CLOCK_TIME_NONE;
      ensure_src_caps (self);
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_SEGMENT:{
      GstSegment seg;
      gst_event_copy_segment (event, &seg);
      if (seg.format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT,
            ("Video segment not in time format."), ("format %s",
                gst_format_get_name (seg.format)));
        gst_event_unref (event);
        return FALSE;
      }
      self->segment = seg;
      ensure_src_caps (self);
      break;
    }
    case GST_EVENT_GAP:{
      GstClockTime ts, dur, rt;
      gst_event_parse_gap (event, &ts, &dur);
      if (self->pool && GST_CLOCK_TIME_IS_VALID (ts)) {
        if (GST_CLOCK_TIME_IS_VALID (dur))
          ts += dur;
        rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, ts);
        if (GST_CLOCK_TIME_IS_VALID (rt) && self->have_hop)
          advance_to (self, rt);
      }
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_EOS:
      if (self->have_hop && self->pool)
        finish_hop (self);
      self->have_hop = FALSE;
      break;
    case GST_EVENT_FLUSH_STOP:
      reset_stream (self);
      gst_segment_init (&self->segment, GST_FORMAT_TIME);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_emo_visfeat_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstEmoVisfeat *self = GST_EMO_VISFEAT (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:{
      gboolean live;
      GstClockTime min, max, ours, hop;

      if (!gst_pad_peer_query (self->sinkpad, query))
        return FALSE;
      gst_query_parse_latency (query, &live, &min, &max);
      GST_OBJECT_LOCK (self);
      hop = self->props.hop;
      GST_OBJECT_UNLOCK (self);
      /* a hop is complete when the first frame of the next one arrives */
      ours =
          hop +
          (GST_CLOCK_TIME_IS_VALID (self->
              frame_duration) ? self->frame_duration : 0);
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
