/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emomtl
 * @title: emomtl
 *
 * Runs a trained model file (`emo train`, format in docs/model-format.md)
 * on an emotion frame stream and adds one #GstEmoPredictionMeta per frame:
 * arousal, valence and liking (or whichever attributes the model declares).
 * The features pass through unchanged. The model is an LSTM (the multitask
 * network of Atmaja & Akagi 2020), an MLP or a linear model; an LSTM keeps its
 * recurrent state from frame to frame.
 *
 * The stream's `layout` and `dims` must equal the model's layout name and
 * feature count, and its rate the model's frame rate; otherwise caps
 * negotiation fails with an error that names the model file and both sides.
 *
 * Timestamps stay on the signal's timeline: the annotation delay the model
 * was trained with is not applied here (only `emo predict`, writing
 * label-timeline CSVs for scoring, shifts predictions).
 *
 * GAP frames (no usable input upstream) do not advance the state. With
 * #GstEmoMtl:gap-policy `hold` they carry the last prediction (before the
 * first real frame: the model's output for an average frame from the zero
 * state); with `skip` they carry no prediction. The state is reset on
 * DISCONT, on flush and on a new stream; #GstEmoMtl:reset-interval also
 * resets it every N frames, bounding how far back the model remembers on
 * endless streams.
 *
 * ## Per-stream normalisation
 *
 * A model hears features standardised either with its fixed training
 * statistics or, per stream, with running statistics of the stream itself
 * (mean and standard deviation of every feature so far), which takes out
 * what belongs to the speaker, the language or the microphone rather than
 * to the emotion. #GstEmoMtl:normalise picks it; `auto` (default) does what
 * the model was trained with (`emo train --normalise stream`). The running
 * statistics start at the model's training statistics, which count as
 * #GstEmoMtl:norm-warmup seconds of frames, so the first predictions are the
 * fixed-normalisation ones and the stream's own statistics take over
 * smoothly; #GstEmoMtl:norm-window forgets frames older than about that many
 * seconds (0: the whole stream). GAP frames do not enter the statistics. The
 * statistics start afresh on a new stream (STREAM_START) and in READY; they
 * survive flushing seeks and DISCONT, which stay within the same recording.
 * Running a model trained with fixed statistics per stream is allowed (a
 * rough speaker adaptation); docs/mtl.md has the measured effect of both.
 *
 * A minute of a voice is too little to tell the speaker from the emotion,
 * so statistics can outlive the stream: with #GstEmoMtl:norm-stats set to a
 * file (a speaker profile), the statistics are read from it at start when it
 * exists, kept across streams, and written back at EOS and when the element
 * stops. One file per speaker (or microphone, or room) then carries what
 * was learnt about them from one session to the next.
 *
 * The element has no lookahead: it answers the latency query with the
 * upstream latency unchanged.
 *
 * Non-finite feature values stand for the training mean; a frame without a
 * single finite value carries NaN for every attribute (nothing measured).
 *
 * OpenBLAS's thread count is process-wide, so the element leaves it alone:
 * applications should run with `OPENBLAS_NUM_THREADS=1` (frames come one at
 * a time, extra BLAS threads only spin).
 *
 * With #GstEmoMtl:post-messages, an element message named `emomtl` is posted
 * per frame:
 *
 * - `source` (string): the meta's source (the model's name).
 * - `stage` (int): 1.
 * - one double per attribute, e.g. `arousal`, `valence`, `liking`.
 * - `timestamp`, `stream-time`, `running-time`, `duration` (guint64, ns).
 * - `gap` (boolean): the frame was a GAP frame (held prediction).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=features.csv ! emoparse layout=avec-ces-27 ! emomtl model=de.emo ! emoexport ! filesink location=out.csv
 * ]| Predicts arousal, valence and liking for every row of a feature CSV and
 * writes the features plus the predictions as CSV.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstemoelements.h"
#include "gstemomtl.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_mtl_debug);
#define GST_CAT_DEFAULT gst_emo_mtl_debug

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_SOURCE,
  PROP_POST_MESSAGES,
  PROP_GAP_POLICY,
  PROP_RESET_INTERVAL,
  PROP_NORMALISE,
  PROP_NORM_WARMUP,
  PROP_NORM_WINDOW,
  PROP_NORM_STATS,
};

#define DEFAULT_MODEL NULL
#define DEFAULT_SOURCE NULL
#define DEFAULT_POST_MESSAGES FALSE
#define DEFAULT_GAP_POLICY GST_EMO_MTL_GAP_HOLD
#define DEFAULT_RESET_INTERVAL 0
#define MAX_RESET_INTERVAL G_MAXUINT
#define DEFAULT_NORMALISE GST_EMO_MTL_NORMALISE_AUTO
#define DEFAULT_NORM_WARMUP -1.0
#define DEFAULT_NORM_WINDOW -1.0
#define DEFAULT_NORM_STATS NULL

#define GST_TYPE_EMO_MTL_NORMALISE (gst_emo_mtl_normalise_get_type ())
static GType
gst_emo_mtl_normalise_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_MTL_NORMALISE_AUTO, "As the model was trained", "auto"},
    {GST_EMO_MTL_NORMALISE_FIXED, "With the model's training statistics",
        "fixed"},
    {GST_EMO_MTL_NORMALISE_STREAM, "With running statistics of the stream",
        "stream"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoMtlNormalise", values);
}

#define GST_TYPE_EMO_MTL_GAP_POLICY (gst_emo_mtl_gap_policy_get_type ())
static GType
gst_emo_mtl_gap_policy_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_MTL_GAP_HOLD, "Repeat the last prediction on GAP frames", "hold"},
    {GST_EMO_MTL_GAP_SKIP, "Add no prediction to GAP frames", "skip"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoMtlGapPolicy", values);
}

#define gst_emo_mtl_parent_class parent_class
G_DEFINE_TYPE (GstEmoMtl, gst_emo_mtl, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emomtl, "emomtl", GST_RANK_NONE,
    GST_TYPE_EMO_MTL, emo_element_init (plugin));

static void gst_emo_mtl_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_mtl_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_mtl_finalize (GObject * object);
static gboolean gst_emo_mtl_start (GstBaseTransform * trans);
static gboolean gst_emo_mtl_stop (GstBaseTransform * trans);
static gboolean gst_emo_mtl_set_caps (GstBaseTransform * trans,
    GstCaps * incaps, GstCaps * outcaps);
static gboolean gst_emo_mtl_sink_event (GstBaseTransform * trans,
    GstEvent * event);
static gboolean gst_emo_mtl_query (GstBaseTransform * trans,
    GstPadDirection direction, GstQuery * query);
static GstCaps *gst_emo_mtl_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter);
static GstFlowReturn gst_emo_mtl_transform_ip (GstBaseTransform * trans,
    GstBuffer * buf);

static void
gst_emo_mtl_class_init (GstEmoMtlClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gobject_class->set_property = gst_emo_mtl_set_property;
  gobject_class->get_property = gst_emo_mtl_get_property;
  gobject_class->finalize = gst_emo_mtl_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Path of the model file (emo train -o FILE)", DEFAULT_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SOURCE,
      g_param_spec_string ("source", "Source",
          "Source name written into the prediction meta (NULL: the model "
          "file's base name without extension)", DEFAULT_SOURCE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an \"emomtl\" element message with the prediction of every "
          "frame", DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_GAP_POLICY,
      g_param_spec_enum ("gap-policy", "GAP policy",
          "What GAP frames (no usable input) carry; they never advance the "
          "state", GST_TYPE_EMO_MTL_GAP_POLICY, DEFAULT_GAP_POLICY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RESET_INTERVAL,
      g_param_spec_uint ("reset-interval", "Reset interval",
          "Reset the recurrent state every this many frames, bounding the "
          "model's memory on endless streams (0: only on DISCONT/flush)", 0,
          MAX_RESET_INTERVAL, DEFAULT_RESET_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_NORMALISE,
      g_param_spec_enum ("normalise", "Normalise",
          "How features are standardised before the model: the model's "
          "training statistics, or running statistics of this stream "
          "(per-speaker/session normalisation)", GST_TYPE_EMO_MTL_NORMALISE,
          DEFAULT_NORMALISE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_NORM_WARMUP,
      g_param_spec_double ("norm-warmup", "Normalisation warm-up",
          "Per-stream normalisation: weight of the training statistics, in "
          "seconds of frames, before the stream's own take over (-1: the "
          "model's, or 3 s for a model trained with fixed statistics)", -1.0,
          EMO_NORM_MAX_SECONDS, DEFAULT_NORM_WARMUP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_NORM_WINDOW,
      g_param_spec_double ("norm-window", "Normalisation window",
          "Per-stream normalisation: forget frames older than about this "
          "many seconds (0: keep the whole stream; -1: the model's)", -1.0,
          EMO_NORM_MAX_SECONDS, DEFAULT_NORM_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  g_object_class_install_property (gobject_class, PROP_NORM_STATS,
      g_param_spec_string ("norm-stats", "Normalisation statistics file",
          "Per-stream normalisation: a speaker profile; statistics are read "
          "from this file at start (when it exists), kept across streams and "
          "written back at EOS and on stop (NULL: start afresh every stream)",
          DEFAULT_NORM_STATS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Emotion model (LSTM, MLP or linear)", "Filter/Analyzer/Metadata",
      "Predicts arousal, valence and liking from emotion frames with a "
      "trained model file", EMO_PACKAGE_CONTACT);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_emo_mtl_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_emo_mtl_stop);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_emo_mtl_set_caps);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_emo_mtl_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_emo_mtl_query);
  trans_class->transform_caps = GST_DEBUG_FUNCPTR (gst_emo_mtl_transform_caps);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_emo_mtl_transform_ip);
  trans_class->passthrough_on_same_caps = FALSE;
  trans_class->transform_ip_on_passthrough = FALSE;

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_MTL_GAP_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_MTL_NORMALISE, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_mtl_debug, "emomtl", 0,
      "emotion model inference");
}

static void
gst_emo_mtl_init (GstEmoMtl * self)
{
  self->model_path = g_strdup (DEFAULT_MODEL);
  self->source = g_strdup (DEFAULT_SOURCE);
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->gap_policy = DEFAULT_GAP_POLICY;
  self->reset_interval = DEFAULT_RESET_INTERVAL;
  self->normalise = DEFAULT_NORMALISE;
  self->norm_warmup = DEFAULT_NORM_WARMUP;
  self->norm_window = DEFAULT_NORM_WINDOW;
  self->norm_stats = g_strdup (DEFAULT_NORM_STATS);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}

/* Frees everything start() created; one place for stop and finalize. */
static void
gst_emo_mtl_reset (GstEmoMtl * self)
{
  g_clear_pointer (&self->runner, emo_model_runner_free);
  emo_model_free (self->model);
  self->model = NULL;
  g_clear_pointer (&self->norm_stats_path, g_free);
  self->norm_saved_frames = 0;
  g_clear_pointer (&self->y, g_free);
  g_clear_pointer (&self->source_name, g_free);
  self->caps_error_posted = FALSE;
  self->frames_since_reset = 0;
  self->dims = 0;
}

static void
gst_emo_mtl_finalize (GObject * object)
{
  GstEmoMtl *self = GST_EMO_MTL (object);

  gst_emo_mtl_reset (self);
  g_free (self->model_path);
  g_free (self->source);
  g_free (self->norm_stats);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static const EmoPropertyField gst_emo_mtl_fields[] = {
  {PROP_MODEL, G_STRUCT_OFFSET (GstEmoMtl, model_path)},
  {PROP_SOURCE, G_STRUCT_OFFSET (GstEmoMtl, source)},
  {PROP_POST_MESSAGES, G_STRUCT_OFFSET (GstEmoMtl, post_messages)},
  {PROP_GAP_POLICY, G_STRUCT_OFFSET (GstEmoMtl, gap_policy)},
  {PROP_RESET_INTERVAL, G_STRUCT_OFFSET (GstEmoMtl, reset_interval)},
  {PROP_NORMALISE, G_STRUCT_OFFSET (GstEmoMtl, normalise)},
  {PROP_NORM_WARMUP, G_STRUCT_OFFSET (GstEmoMtl, norm_warmup)},
  {PROP_NORM_WINDOW, G_STRUCT_OFFSET (GstEmoMtl, norm_window)},
  {PROP_NORM_STATS, G_STRUCT_OFFSET (GstEmoMtl, norm_stats)},
  {0, 0}
};

static void
gst_emo_mtl_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoMtl *self = GST_EMO_MTL (object);

  /* The model is loaded when the element starts: a change after that would
   * silently not apply, so it is refused. */
  if (prop_id == PROP_MODEL
      && emo_element_refuse_model_change (GST_ELEMENT (self), &self->model_path,
          value))
    return;
  GST_OBJECT_LOCK (self);
  emo_element_set_field (object, gst_emo_mtl_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_mtl_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GST_OBJECT_LOCK (object);
  emo_element_get_field (object, gst_emo_mtl_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (object);
}

static void
gst_emo_mtl_reset_state (GstEmoMtl * self)
{
  if (self->runner)
    emo_model_runner_reset_state (self->runner);
  self->frames_since_reset = 0;
}

static gboolean
gst_emo_mtl_start (GstBaseTransform * trans)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);
  GError *err = NULL;
  gchar *path, *source;
  GstEmoMtlNormalise normalise;
  gdouble warmup, window;
  gboolean per_stream, loaded = FALSE;
  gchar *stats;
  EmoStreamNorm *norm;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->model_path);
  source = g_strdup (self->source);
  normalise = self->normalise;
  warmup = self->norm_warmup;
  window = self->norm_window;
  stats = self->norm_stats && *self->norm_stats ?
      g_strdup (self->norm_stats) : NULL;
  GST_OBJECT_UNLOCK (self);

  if (!path || !*path)
    goto no_model;
  /* OpenBLAS's thread count is process-wide: a host application's to set
   * (OPENBLAS_NUM_THREADS=1, docs/mtl.md), never an element's */
  self->model = emo_model_load (path, &err);
  if (!self->model)
    goto load_failed;
  if (!source || !*source) {
    gchar *base = g_path_get_basename (path), *dot = strrchr (base, '.');
    if (dot && dot != base)
      *dot = '\0';
    g_free (source);
    source = base;
  }
  self->source_name = source;
  per_stream = normalise == GST_EMO_MTL_NORMALISE_STREAM ||
      (normalise == GST_EMO_MTL_NORMALISE_AUTO
      && self->model->norm == EMO_NORM_STREAM);
  /* one frame at a time */
  self->runner = emo_model_runner_new (self->model, per_stream ?
      EMO_NORM_STREAM : EMO_NORM_FIXED, warmup, window, 1);
  norm = self->runner->norm;
  if (per_stream) {
    GST_INFO_OBJECT (self, "per-stream normalisation, warm-up %g frames, "
        "forgetting factor %g", norm->prior_weight, norm->decay);
    if (stats) {
      if (!emo_stream_norm_stats_load (norm, self->model->layout, stats,
              TRUE, &loaded, &err))
        goto stats_failed;
      if (loaded)
        GST_INFO_OBJECT (self, "%s: statistics of %" G_GUINT64_FORMAT
            " frames loaded", stats, norm->frames);
      else
        GST_INFO_OBJECT (self, "%s: new profile", stats);
      self->norm_stats_path = stats;
      self->norm_saved_frames = norm->frames;
      stats = NULL;
    }
  } else if (self->model->norm == EMO_NORM_STREAM) {
    GST_WARNING_OBJECT (self, "%s was trained on per-stream normalised "
        "features; normalise=fixed feeds it something else", path);
  }
  if (stats)
    GST_WARNING_OBJECT (self, "norm-stats %s unused: normalisation is fixed",
        stats);
  g_free (stats);
  self->y = g_new0 (float, self->model->net->n_out);
  gst_emo_mtl_reset_state (self);
  GST_INFO_OBJECT (self, "loaded %s", path);
  g_free (path);
  return TRUE;

  /* ERRORS */
no_model:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("No model file given."), ("Set the \"model\" property."));
    g_free (path);
    g_free (source);
    return FALSE;
  }
load_failed:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load model file \"%s\".", path), ("%s", err->message));
    g_error_free (err);
    g_free (path);
    g_free (source);
    return FALSE;
  }
stats_failed:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not read normalisation statistics \"%s\".", stats),
        ("%s", err->message));
    g_error_free (err);
    g_free (stats);
    g_free (path);
    gst_emo_mtl_reset (self);
    return FALSE;
  }
}

/* writes the speaker profile when it has new frames */
static void
gst_emo_mtl_save_stats (GstEmoMtl * self)
{
  GError *err = NULL;
  EmoStreamNorm *norm = self->runner ? self->runner->norm : NULL;

  if (!norm || !self->norm_stats_path
      || norm->frames == self->norm_saved_frames)
    return;
  if (!emo_stream_norm_stats_save (norm, self->model->layout,
          self->norm_stats_path, &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write normalisation statistics \"%s\".",
            self->norm_stats_path), ("%s", err->message));
    g_error_free (err);
    return;
  }
  GST_INFO_OBJECT (self, "wrote %s (%" G_GUINT64_FORMAT " frames)",
      self->norm_stats_path, norm->frames);
  self->norm_saved_frames = norm->frames;
}

static gboolean
gst_emo_mtl_stop (GstBaseTransform * trans)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);

  gst_emo_mtl_save_stats (self);

  if (self->runner && self->runner->bad_values)
    GST_INFO_OBJECT (self, "%" G_GUINT64_FORMAT " non-finite input values "
        "were replaced by the training mean", self->runner->bad_values);
  gst_emo_mtl_reset (self);
  return TRUE;
}

static gboolean
gst_emo_mtl_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);
  GstEmoFramesInfo info;
  const EmoModel *m = self->model;
  double rate;

  gst_emo_frames_info_init (&info);
  if (!gst_emo_frames_info_from_caps (&info, incaps))
    goto bad_caps;
  if (!m)
    goto no_model;
  if (g_strcmp0 (info.layout, m->layout) != 0 || info.dims != m->n_in)
    goto mismatch;
  rate = (double) info.rate_n / info.rate_d;
  if (fabs (rate - m->frame_rate) > 1e-3 * m->frame_rate)
    goto rate_mismatch;
  self->dims = info.dims;
  gst_emo_frames_info_clear (&info);
  gst_emo_mtl_reset_state (self);
  return TRUE;

  /* ERRORS */
bad_caps:
  {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Invalid emotion frame caps."),
        ("%" GST_PTR_FORMAT, incaps));
    gst_emo_frames_info_clear (&info);
    return FALSE;
  }
no_model:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No model loaded."), (NULL));
    gst_emo_frames_info_clear (&info);
    return FALSE;
  }
mismatch:
  {
    if (self->caps_error_posted) {
      gst_emo_frames_info_clear (&info);
      return FALSE;
    }
    self->caps_error_posted = TRUE;
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Model \"%s\" expects layout \"%s\" with %u features, the stream "
            "has layout \"%s\" with %u.", self->model_path, m->layout,
            m->n_in, info.layout, info.dims), ("caps: %" GST_PTR_FORMAT,
            incaps));
    gst_emo_frames_info_clear (&info);
    return FALSE;
  }
rate_mismatch:
  {
    if (self->caps_error_posted) {
      gst_emo_frames_info_clear (&info);
      return FALSE;
    }
    self->caps_error_posted = TRUE;
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Model \"%s\" was trained at %g frames/s, the stream has %d/%d.",
            self->model_path, m->frame_rate, info.rate_n, info.rate_d), (NULL));
    gst_emo_frames_info_clear (&info);
    return FALSE;
  }
}

static gboolean
gst_emo_mtl_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      gst_emo_mtl_save_stats (self);
      break;
    case GST_EVENT_STREAM_START:
      /* a new stream may be another speaker: its statistics start afresh,
       * unless they belong to a speaker profile */
      if (self->runner && self->runner->norm && !self->norm_stats_path)
        emo_stream_norm_reset (self->runner->norm);
      /* fall through */
    case GST_EVENT_FLUSH_STOP:
      GST_DEBUG_OBJECT (self, "%s: state reset", GST_EVENT_TYPE_NAME (event));
      gst_emo_mtl_reset_state (self);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

/* Frames pass through unchanged; once the model is loaded the sink accepts
 * only its layout and size, so that a front end offering several layouts
 * (emovisfeat's feature-set) can pick the model's in a caps query. */
static GstCaps *
gst_emo_mtl_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);
  const EmoModel *m = self->model;
  GstCaps *ret = GST_BASE_TRANSFORM_CLASS (parent_class)->transform_caps
      (trans, direction, caps, filter);

  if (direction == GST_PAD_SRC && m && m->layout) {
    GstCaps *mc = gst_caps_new_simple (GST_EMO_FRAMES_MEDIA_TYPE, "dims",
        G_TYPE_INT, (gint) m->n_in, "layout", G_TYPE_STRING, m->layout, NULL);
    GstCaps *r = gst_caps_intersect (ret, mc);
    gst_caps_unref (mc);
    gst_caps_unref (ret);
    ret = r;
  }
  return ret;
}

static gboolean
gst_emo_mtl_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  gboolean ret;

  ret = GST_BASE_TRANSFORM_CLASS (parent_class)->query (trans, direction,
      query);
  if (ret && GST_QUERY_TYPE (query) == GST_QUERY_LATENCY
      && direction == GST_PAD_SRC) {
    gboolean live;
    GstClockTime min, max;
    /* one frame in, its prediction out: no lookahead to add */
    gst_query_parse_latency (query, &live, &min, &max);
    GST_DEBUG_OBJECT (trans, "latency: upstream %" GST_TIME_FORMAT
        " + 0", GST_TIME_ARGS (min));
  }
  return ret;
}

static GstFlowReturn
gst_emo_mtl_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstEmoMtl *self = GST_EMO_MTL (trans);
  const EmoModel *m = self->model;
  gboolean gap, post;
  GstEmoMtlGapPolicy policy;
  guint interval;
  GstEmoPredictionMeta *meta;
  GstMapInfo map;
  const float *values;
  gsize size;

  if (G_UNLIKELY (!m || self->dims == 0))
    goto not_negotiated;

  GST_OBJECT_LOCK (self);
  post = self->post_messages;
  policy = self->gap_policy;
  interval = self->reset_interval;
  GST_OBJECT_UNLOCK (self);

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT)) {
    GST_DEBUG_OBJECT (self, "DISCONT: state reset");
    gst_emo_mtl_reset_state (self);
  }
  gap = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP);

  if (gap) {
    if (policy == GST_EMO_MTL_GAP_SKIP)
      return GST_FLOW_OK;
    values = emo_model_runner_last (self->runner);
  } else {
    if (!gst_buffer_map (buf, &map, GST_MAP_READ))
      goto map_failed;
    if (map.size != (gsize) self->dims * sizeof (float)) {
      size = map.size;
      gst_buffer_unmap (buf, &map);
      goto wrong_size;
    }
    if (interval > 0 && self->frames_since_reset >= interval)
      gst_emo_mtl_reset_state (self);
    /* a non-finite output from finite input (cannot happen with validated
     * weights) resets the state and carries the last good prediction; a
     * frame without any finite value carries NaN (nothing measured) */
    if (emo_model_runner_process (self->runner, (const float *) map.data, 1,
            self->y)) {
      GST_WARNING_OBJECT (self, "non-finite output, state reset");
      self->frames_since_reset = 0;
    } else {
      self->frames_since_reset++;
    }
    gst_buffer_unmap (buf, &map);
    values = self->y;
  }

  meta = gst_buffer_add_emo_prediction_meta (buf, self->source_name, 1,
      m->net->n_out, (const gchar * const *) m->attr_names, values, NULL);
  if (post && meta) {
    GstMessage *msg = gst_emo_prediction_message_new (GST_OBJECT (self), meta,
        &trans->segment, buf);
    gst_element_post_message (GST_ELEMENT (self), msg);
  }
  return GST_FLOW_OK;

  /* ERRORS */
not_negotiated:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("frames arrived before caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
map_failed:
  {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("could not map buffer"));
    return GST_FLOW_ERROR;
  }
wrong_size:
  {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Frame of %" G_GSIZE_FORMAT " bytes, expected %u floats.", size,
            self->dims), (NULL));
    return GST_FLOW_ERROR;
  }
}
