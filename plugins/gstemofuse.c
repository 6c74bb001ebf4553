/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emofuse
 * @title: emofuse
 *
 * Fuses several emotion frame streams (request pads `sink_%u`) on the hop
 * grid: early fusion of features, late fusion of predictions, or multistage
 * fusion with a model trained by `emo fuse-train`.
 *
 * - `mode=concat` (early fusion): the output frame is the inputs' features
 *   concatenated in pad order; the layout is the inputs' layouts joined with
 *   `+`, the feature names are concatenated (pads without a feature-names
 *   event contribute `<layout>_<i>`), and every prediction already on the
 *   inputs is carried along (oldest first, pad order). The output is GAP
 *   only when every input is.
 * - `mode=mean` / `mode=weighted` (late fusion): per attribute the (weighted,
 *   #GstEmoFuse:weights, one per pad in pad order, default 1) mean of the
 *   newest prediction of each pad that has one. The output attributes are
 *   the union of the attributes seen on the first fused frame, in the order
 *   arousal, valence, liking, then as met; a pad without an attribute (no
 *   liking, say) simply does not take part for it. An attribute no pad has
 *   supplied yet is NaN (not known: `nan` in CSV, `null` in JSON, `n/a` on
 *   the overlay); once supplied, its newest value is held while no pad has
 *   it. The payload is the fused values (layout `predictions`).
 * - `mode=model` (multistage fusion): the model file (#GstEmoFuse:model)
 *   maps the newest predictions of pad i (the model's i-th input, pad order)
 *   through its stacked stages. It needs the model's future context, so
 *   frame t leaves once frame t + look-ahead has arrived, and the element
 *   reports that look-ahead (frames x hop) in the latency query; at EOS the
 *   last frames are computed with the context clamped at the end.
 *   #GstEmoFuse:causal uses past context only (no latency; exact for models
 *   trained with `emo fuse-train --causal`, an approximation otherwise).
 *
 * In the prediction modes the output carries the inputs' predictions and a
 * new #GstEmoPredictionMeta (source `emofuse`, stage one above the inputs'),
 * and with #GstEmoFuse:post-messages an element message `emofuse` per frame
 * (fields as gst_emo_prediction_message_new(): `timestamp`, `stream-time`,
 * `running-time`, `duration` (guint64), `source` (string), `stage` (int),
 * `gap` (boolean), one double per attribute).
 *
 * Alignment and missing input: frames are matched by running time on the
 * hop grid (slot = running time / hop, rounded); an output frame has the
 * running time of its slot, stamped in the output segment (after a flushing
 * seek that segment starts at the seek position). Each output slot is the
 * earliest slot any pad has queued; a pad with no frame for that slot, be
 * it ended (EOS), lagging (live: the aggregator times out on it), or holding
 * a hole, is *missing*: in mean/weighted mode it is skipped, in concat and
 * model mode its last frame is held (model mode: a never-seen attribute is
 * imputed with the mean of the other pads for that frame, else 0). A frame
 * that arrives for a slot already output is dropped. Predictions on GAP
 * frames are ignored (as missing). If no pad has a prediction for a slot in
 * mean/weighted mode the output frame is GAP (zero payload, no meta). The
 * stream ends when every pad has ended. All inputs must have the same frame
 * rate; a mismatch is a negotiation error naming both pads.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 emofuse name=f mode=mean ! emoexport format=csv ! filesink location=fused.csv \
 *   filesrc location=audio/Devel_DE_01.csv ! emoparse content=predictions source=audio ! f. \
 *   filesrc location=video/Devel_DE_01.csv ! emoparse content=predictions source=video ! f.
 * ]| Late fusion (mean) of two stored stage-1 prediction files into one CSV.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gstemoelements.h"
#include "gstemofuse.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_fuse_debug);
#define GST_CAT_DEFAULT gst_emo_fuse_debug

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

enum
{
  PROP_0,
  PROP_MODE,
  PROP_WEIGHTS,
  PROP_MODEL,
  PROP_CAUSAL,
  PROP_POST_MESSAGES,
};

#define DEFAULT_MODE GST_EMO_FUSE_MODE_MEAN
#define DEFAULT_CAUSAL FALSE
#define DEFAULT_POST_MESSAGES FALSE
#define MAX_WEIGHTS 256

#define GST_TYPE_EMO_FUSE_MODE (gst_emo_fuse_mode_get_type ())
static GType
gst_emo_fuse_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_FUSE_MODE_CONCAT, "Early fusion: concatenate features", "concat"},
    {GST_EMO_FUSE_MODE_MEAN, "Late fusion: mean of the newest predictions",
        "mean"},
    {GST_EMO_FUSE_MODE_WEIGHTED,
        "Late fusion: weighted mean of the newest predictions", "weighted"},
    {GST_EMO_FUSE_MODE_MODEL,
        "Multistage fusion with a model from emo fuse-train", "model"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoFuseMode", values);
}

/* ---- pad ---- */

G_DEFINE_TYPE (GstEmoFusePad, gst_emo_fuse_pad, GST_TYPE_AGGREGATOR_PAD);

static void
gst_emo_fuse_pad_reset (GstEmoFusePad * pad)
{
  g_clear_pointer (&pad->last_frame, g_free);
  g_clear_pointer (&pad->last_attr, g_free);
  g_clear_pointer (&pad->have_attr, g_free);
}

static void
gst_emo_fuse_pad_finalize (GObject * object)
{
  GstEmoFusePad *pad = GST_EMO_FUSE_PAD (object);

  gst_emo_fuse_pad_reset (pad);
  gst_emo_frames_info_clear (&pad->info);
  g_strfreev (pad->feature_names);
  G_OBJECT_CLASS (gst_emo_fuse_pad_parent_class)->finalize (object);
}

static void
gst_emo_fuse_pad_class_init (GstEmoFusePadClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_emo_fuse_pad_finalize;
}

static void
gst_emo_fuse_pad_init (GstEmoFusePad * pad)
{
  gst_emo_frames_info_init (&pad->info);
}

/* ---- element ---- */

#define gst_emo_fuse_parent_class parent_class
G_DEFINE_TYPE (GstEmoFuse, gst_emo_fuse, GST_TYPE_AGGREGATOR);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emofuse, "emofuse", GST_RANK_NONE,
    GST_TYPE_EMO_FUSE, emo_element_init (plugin));

static void gst_emo_fuse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_fuse_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_fuse_finalize (GObject * object);
static gboolean gst_emo_fuse_start (GstAggregator * agg);
static gboolean gst_emo_fuse_stop (GstAggregator * agg);
static gboolean gst_emo_fuse_sink_event (GstAggregator * agg,
    GstAggregatorPad * pad, GstEvent * event);
static GstFlowReturn gst_emo_fuse_update_src_caps (GstAggregator * agg,
    GstCaps * caps, GstCaps ** ret);
static gboolean gst_emo_fuse_negotiated_src_caps (GstAggregator * agg,
    GstCaps * caps);
static GstFlowReturn gst_emo_fuse_aggregate (GstAggregator * agg,
    gboolean timeout);
static gboolean gst_emo_fuse_sink_query (GstAggregator * agg,
    GstAggregatorPad * pad, GstQuery * query);
static GstFlowReturn gst_emo_fuse_flush (GstAggregator * agg);

static void
gst_emo_fuse_class_init (GstEmoFuseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAggregatorClass *agg_class = GST_AGGREGATOR_CLASS (klass);

  gobject_class->set_property = gst_emo_fuse_set_property;
  gobject_class->get_property = gst_emo_fuse_get_property;
  gobject_class->finalize = gst_emo_fuse_finalize;

  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode",
          "Fusion: concat (early, features), mean / weighted (late, "
          "predictions), model (multistage, model file)",
          GST_TYPE_EMO_FUSE_MODE, DEFAULT_MODE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_WEIGHTS,
      gst_param_spec_array ("weights", "Weights",
          "mode=weighted: one non-negative weight per sink pad in pad order "
          "(missing entries weigh 1), e.g. \"<2.0, 1.0>\"",
          g_param_spec_double ("weight", "Weight", "Weight of one pad", 0.0,
              1e6, 1.0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS),
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "mode=model: fuser file written by emo fuse-train", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_CAUSAL,
      g_param_spec_boolean ("causal", "Causal",
          "mode=model: use past context only (no look-ahead latency)",
          DEFAULT_CAUSAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an \"emofuse\" element message with every fused prediction",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &sink_template, GST_TYPE_EMO_FUSE_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_AGGREGATOR_PAD);
  gst_element_class_set_static_metadata (element_class,
      "Emotion fusion", "Filter/Analyzer/Metadata",
      "Fuses emotion frame streams: concatenated features, (weighted) mean "
      "of predictions, or a multistage fusion model", EMO_PACKAGE_CONTACT);

  agg_class->start = GST_DEBUG_FUNCPTR (gst_emo_fuse_start);
  agg_class->stop = GST_DEBUG_FUNCPTR (gst_emo_fuse_stop);
  agg_class->flush = GST_DEBUG_FUNCPTR (gst_emo_fuse_flush);
  agg_class->sink_event = GST_DEBUG_FUNCPTR (gst_emo_fuse_sink_event);
  agg_class->sink_query = GST_DEBUG_FUNCPTR (gst_emo_fuse_sink_query);
  agg_class->update_src_caps = GST_DEBUG_FUNCPTR (gst_emo_fuse_update_src_caps);
  agg_class->negotiated_src_caps =
      GST_DEBUG_FUNCPTR (gst_emo_fuse_negotiated_src_caps);
  agg_class->aggregate = GST_DEBUG_FUNCPTR (gst_emo_fuse_aggregate);
  agg_class->get_next_time = gst_aggregator_simple_get_next_time;

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_FUSE_MODE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_EMO_FUSE_PAD, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_fuse_debug, "emofuse", 0, "emotion fusion");
}

static void
gst_emo_fuse_init (GstEmoFuse * self)
{
  self->mode = DEFAULT_MODE;
  self->causal = DEFAULT_CAUSAL;
  self->post_messages = DEFAULT_POST_MESSAGES;
  gst_emo_frames_info_init (&self->out_info);
  g_queue_init (&self->pending);
}

/* Hold values of the output attributes before any input supplied them: NaN
 * ("not known"), written as nan / null / n/a downstream, never a made-up 0. */
static gfloat *
unsupplied_values (guint n)
{
  gfloat *v = g_new (gfloat, MAX (n, 1));
  guint i;

  for (i = 0; i < n; i++)
    v[i] = NAN;
  return v;
}

/* Frees all streaming state (model, runner, negotiated output). */
static void
gst_emo_fuse_reset (GstEmoFuse * self)
{
  GList *l;

  g_queue_clear_full (&self->pending, (GDestroyNotify) gst_buffer_unref);
  g_clear_pointer (&self->runner, emo_fuse_runner_free);
  g_clear_pointer (&self->model, emo_fuse_model_free);
  gst_emo_frames_info_clear (&self->out_info);
  gst_emo_frames_info_init (&self->out_info);
  self->have_out_info = FALSE;
  g_clear_pointer (&self->attrs, g_strfreev);
  self->n_attrs = 0;
  g_clear_pointer (&self->last_out, g_free);
  self->have_last_out = FALSE;
  self->have_slot = FALSE;
  self->next_slot = 0;
  self->names_sent = FALSE;
  self->max_stage = 0;
  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    gst_emo_fuse_pad_reset (GST_EMO_FUSE_PAD (l->data));
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_fuse_finalize (GObject * object)
{
  GstEmoFuse *self = GST_EMO_FUSE (object);

  gst_emo_fuse_reset (self);
  gst_emo_frames_info_clear (&self->out_info);
  g_free (self->weights);
  g_free (self->model_path);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* properties copied as they are; weights is an array */
static const EmoPropertyField gst_emo_fuse_fields[] = {
  {PROP_MODE, G_STRUCT_OFFSET (GstEmoFuse, mode)},
  {PROP_MODEL, G_STRUCT_OFFSET (GstEmoFuse, model_path)},
  {PROP_CAUSAL, G_STRUCT_OFFSET (GstEmoFuse, causal)},
  {PROP_POST_MESSAGES, G_STRUCT_OFFSET (GstEmoFuse, post_messages)},
  {0, 0}
};

static void
gst_emo_fuse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoFuse *self = GST_EMO_FUSE (object);

  /* The model is loaded when the element starts: a change after that would
   * silently not apply, so it is refused. */
  if (prop_id == PROP_MODEL
      && emo_element_refuse_model_change (GST_ELEMENT (self), &self->model_path,
          value))
    return;
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WEIGHTS:{
      guint i, n = MIN (gst_value_array_get_size (value), MAX_WEIGHTS);
      g_free (self->weights);
      self->weights = g_new0 (gdouble, MAX (n, 1));
      self->n_weights = n;
      for (i = 0; i < n; i++) {
        const GValue *v = gst_value_array_get_value (value, i);
        gdouble w = 1.0;
        if (G_VALUE_HOLDS_DOUBLE (v))
          w = g_value_get_double (v);
        else if (G_VALUE_HOLDS_FLOAT (v))
          w = g_value_get_float (v);
        else if (G_VALUE_HOLDS_INT (v))
          w = g_value_get_int (v);
        self->weights[i] = (isfinite (w) && w >= 0) ? w : 0.0;
      }
      break;
    }
    default:
      emo_element_set_field (object, gst_emo_fuse_fields, prop_id, value,
          pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_fuse_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstEmoFuse *self = GST_EMO_FUSE (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WEIGHTS:{
      guint i;
      for (i = 0; i < self->n_weights; i++) {
        GValue v = G_VALUE_INIT;
        g_value_init (&v, G_TYPE_DOUBLE);
        g_value_set_double (&v, self->weights[i]);
        gst_value_array_append_value (value, &v);
        g_value_unset (&v);
      }
      break;
    }
    default:
      emo_element_get_field (object, gst_emo_fuse_fields, prop_id, value,
          pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Latency of mode=model: the model's look-ahead in frames times the hop. */
static void
gst_emo_fuse_update_latency (GstEmoFuse * self)
{
  GstClockTime lat = 0, hop = 100 * GST_MSECOND;

  if (self->have_out_info && GST_CLOCK_TIME_IS_VALID (self->out_info.hop))
    hop = self->out_info.hop;
  if (self->model)
    lat = emo_fuse_model_latency (self->model, self->causal) * hop;
  gst_aggregator_set_latency (GST_AGGREGATOR (self), lat, lat);
}

static gboolean
gst_emo_fuse_start (GstAggregator * agg)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);
  GError *err = NULL;
  gchar *path;
  GstEmoFuseMode mode;
  gboolean causal;

  gst_emo_fuse_reset (self);
  GST_OBJECT_LOCK (self);
  mode = self->mode;
  path = g_strdup (self->model_path);
  causal = self->causal;
  GST_OBJECT_UNLOCK (self);

  if (mode == GST_EMO_FUSE_MODE_MODEL) {
    if (!path || !*path)
      goto no_model;
    self->model = emo_fuse_model_load (path, &err);
    if (!self->model)
      goto bad_model;
    self->runner = emo_fuse_runner_new (self->model, causal);
    self->attrs = g_strdupv (self->model->attrs);
    self->n_attrs = self->model->n_attrs;
    self->last_out = unsupplied_values (self->n_attrs);
    GST_INFO_OBJECT (self,
        "model %s: %u inputs, %u stages, look-ahead %u frames", path,
        self->model->n_inputs, self->model->n_stages,
        emo_fuse_model_latency (self->model, causal));
  }
  gst_emo_fuse_update_latency (self);
  g_free (path);
  return TRUE;

  /* ERRORS */
no_model:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("No fusion model given (mode=model needs the model property)."),
        (NULL));
    g_free (path);
    return FALSE;
  }
bad_model:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load fusion model \"%s\".", path), ("%s", err->message));
    g_error_free (err);
    g_free (path);
    return FALSE;
  }
}

static gboolean
gst_emo_fuse_stop (GstAggregator * agg)
{
  gst_emo_fuse_reset (GST_EMO_FUSE (agg));
  return TRUE;
}

static GstFlowReturn
gst_emo_fuse_flush (GstAggregator * agg)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);

  g_queue_clear_full (&self->pending, (GDestroyNotify) gst_buffer_unref);
  if (self->runner)
    emo_fuse_runner_reset (self->runner);
  self->have_slot = FALSE;
  return GST_FLOW_OK;
}

static gboolean
gst_emo_fuse_sink_event (GstAggregator * agg, GstAggregatorPad * apad,
    GstEvent * event)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);
  GstEmoFusePad *pad = GST_EMO_FUSE_PAD (apad);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    GstEmoFramesInfo info;
    GList *l;
    GstEmoFusePad *other = NULL;

    gst_event_parse_caps (event, &caps);
    gst_emo_frames_info_init (&info);
    if (!gst_emo_frames_info_from_caps (&info, caps)) {
      gst_emo_frames_info_clear (&info);
      GST_ELEMENT_ERROR (self, STREAM, FORMAT,
          ("Pad %s: not an emotion frame stream.", GST_PAD_NAME (pad)),
          ("caps %" GST_PTR_FORMAT, caps));
      gst_event_unref (event);
      return FALSE;
    }
    GST_OBJECT_LOCK (self);
    for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next) {
      GstEmoFusePad *p = l->data;
      if (p != pad && p->have_info && (p->info.rate_n != info.rate_n
              || p->info.rate_d != info.rate_d)) {
        other = gst_object_ref (p);
        break;
      }
    }
    if (!other) {
      if (pad->have_info && pad->info.dims != info.dims)
        g_clear_pointer (&pad->last_frame, g_free);
      gst_emo_frames_info_clear (&pad->info);
      pad->info = info;
      pad->have_info = TRUE;
    }
    GST_OBJECT_UNLOCK (self);
    if (other) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT,
          ("Inputs have different frame rates: %s is %d/%d, %s is %d/%d frames/s.",
              GST_PAD_NAME (pad), info.rate_n, info.rate_d,
              GST_PAD_NAME (other), other->info.rate_n, other->info.rate_d),
          ("emofuse aligns frames on one hop grid; resample the streams first"));
      gst_object_unref (other);
      gst_emo_frames_info_clear (&info);
      gst_event_unref (event);
      return FALSE;
    }
    self->names_sent = FALSE;
    gst_pad_mark_reconfigure (GST_AGGREGATOR_SRC_PAD (agg));
    gst_event_unref (event);
    return TRUE;
  }
  if (gst_emo_event_is_feature_names (event)) {
    gchar **names = NULL;
    guint n = 0;
    if (gst_emo_event_parse_feature_names (event, &names, &n)) {
      GST_OBJECT_LOCK (self);
      g_strfreev (pad->feature_names);
      pad->feature_names = names;
      pad->n_feature_names = n;
      GST_OBJECT_UNLOCK (self);
      self->names_sent = FALSE;
    }
    gst_event_unref (event);
    return TRUE;
  }
  return GST_AGGREGATOR_CLASS (parent_class)->sink_event (agg, apad, event);
}

static gboolean
gst_emo_fuse_sink_query (GstAggregator * agg, GstAggregatorPad * pad,
    GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *tmpl =
        gst_pad_get_pad_template_caps (GST_PAD (pad)), *res;
    GstEmoFramesInfo rate;
    GList *l;
    gboolean have_rate = FALSE;

    /* once a pad has a rate, offer only that rate to the others */
    gst_query_parse_caps (query, &filter);
    gst_emo_frames_info_init (&rate);
    GST_OBJECT_LOCK (agg);
    for (l = GST_ELEMENT (agg)->sinkpads; l; l = l->next) {
      GstEmoFusePad *p = l->data;
      if (GST_AGGREGATOR_PAD (p) != pad && p->have_info) {
        rate.rate_n = p->info.rate_n;
        rate.rate_d = p->info.rate_d;
        have_rate = TRUE;
        break;
      }
    }
    GST_OBJECT_UNLOCK (agg);
    if (have_rate) {
      GstCaps *c = gst_caps_make_writable (tmpl);
      gst_caps_set_simple (c, "rate", GST_TYPE_FRACTION, rate.rate_n,
          rate.rate_d, NULL);
      tmpl = c;
    }
    res =
        filter ? gst_caps_intersect_full (filter, tmpl,
        GST_CAPS_INTERSECT_FIRST)
        : gst_caps_ref (tmpl);
    gst_caps_unref (tmpl);
    gst_query_set_caps_result (query, res);
    gst_caps_unref (res);
    return TRUE;
  }
  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS) {
    /* accept any emotion frame caps here so that a rate mismatch reaches
     * the caps event handler, which explains it, instead of failing as a
     * bare not-negotiated */
    GstCaps *caps, *tmpl = gst_pad_get_pad_template_caps (GST_PAD (pad));
    gst_query_parse_accept_caps (query, &caps);
    gst_query_set_accept_caps_result (query, gst_caps_can_intersect (caps,
            tmpl));
    gst_caps_unref (tmpl);
    return TRUE;
  }
  return GST_AGGREGATOR_CLASS (parent_class)->sink_query (agg, pad, query);
}

static gint
attr_rank (const gchar * name)
{
  if (!g_strcmp0 (name, "arousal"))
    return 0;
  if (!g_strcmp0 (name, "valence"))
    return 1;
  if (!g_strcmp0 (name, "liking"))
    return 2;
  return 3;
}

/* mean/weighted: output attributes from the queued frames' predictions. */
static gboolean
collect_attrs (GstEmoFuse * self, GList * pads)
{
  GPtrArray *names = g_ptr_array_new ();
  GList *l;
  guint i, j;

  for (l = pads; l; l = l->next) {
    GstBuffer *b = l->data ? gst_aggregator_pad_peek_buffer (l->data) : NULL;
    GstEmoPredictionMeta *m;
    if (!b)
      continue;
    m = gst_buffer_get_emo_prediction_meta (b);
    for (i = 0; m && i < m->n_values; i++) {
      gboolean seen = FALSE;
      for (j = 0; j < names->len; j++)
        seen |= !g_strcmp0 (g_ptr_array_index (names, j), m->names[i]);
      if (!seen && m->names[i])
        g_ptr_array_add (names, g_strdup (m->names[i]));
    }
    gst_buffer_unref (b);
  }
  if (names->len == 0) {
    g_ptr_array_free (names, TRUE);
    return FALSE;
  }
  /* arousal, valence, liking first, the rest as met (stable) */
  for (i = 1; i < names->len; i++)
    for (j = i; j > 0 && attr_rank (g_ptr_array_index (names, j)) <
        attr_rank (g_ptr_array_index (names, j - 1)); j--) {
      gpointer t = names->pdata[j];
      names->pdata[j] = names->pdata[j - 1];
      names->pdata[j - 1] = t;
    }
  g_strfreev (self->attrs);
  self->n_attrs = names->len;
  g_ptr_array_add (names, NULL);
  self->attrs = (gchar **) g_ptr_array_free (names, FALSE);
  g_free (self->last_out);
  self->last_out = unsupplied_values (self->n_attrs);
  return TRUE;
}

static guint
pad_index (gconstpointer pad)
{
  guint idx = G_MAXUINT;
  if (sscanf (GST_PAD_NAME (pad), "sink_%u", &idx) != 1)
    idx = G_MAXUINT;
  return idx;
}

static gint
compare_pads (gconstpointer a, gconstpointer b)
{
  guint ia = pad_index (a), ib = pad_index (b);
  return ia < ib ? -1 : ia > ib;
}

static gpointer
ref_pad (gconstpointer pad, gpointer unused)
{
  return gst_object_ref ((gpointer) pad);
}

/* Sink pads (ref'd) in pad order: sink_0, sink_1, ... */
static GList *
get_sinkpads (GstEmoFuse * self)
{
  GList *pads;
  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->sinkpads, ref_pad, NULL);
  GST_OBJECT_UNLOCK (self);
  return g_list_sort (pads, compare_pads);
}

static GstFlowReturn
gst_emo_fuse_update_src_caps (GstAggregator * agg, GstCaps * caps,
    GstCaps ** ret)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);
  GList *all = get_sinkpads (self), *pads = g_list_copy (all), *l;
  GstEmoFramesInfo out;
  GstCaps *c;
  guint dims = 0;
  gint rate_n = 0, rate_d = 1;
  GString *layout = g_string_new (NULL);
  GstFlowReturn fr = GST_FLOW_OK;
  gboolean all_ready = TRUE;

  gst_emo_frames_info_init (&out);
  /* a pad that ended without ever sending caps takes no part */
  for (l = pads; l; l = l->next) {
    GstEmoFusePad *p = l->data;
    gboolean eos = gst_aggregator_pad_is_eos (GST_AGGREGATOR_PAD (p));
    GstBuffer *b = gst_aggregator_pad_peek_buffer (GST_AGGREGATOR_PAD (p));
    if (b)
      gst_buffer_unref (b);
    else if (!eos)
      all_ready = FALSE;
    if (eos && !b && !p->have_info)
      l->data = NULL;
  }
  GST_OBJECT_LOCK (self);
  for (l = pads; l; l = l->next) {
    GstEmoFusePad *p = l->data;
    if (!p || !p->have_info)
      continue;
    rate_n = p->info.rate_n;
    rate_d = p->info.rate_d;
    dims += p->info.dims;
    if (layout->len)
      g_string_append_c (layout, '+');
    g_string_append (layout, p->info.layout);
  }
  /* every pad must have caps before the output can be described */
  for (l = pads; l; l = l->next)
    if (l->data && !GST_EMO_FUSE_PAD (l->data)->have_info)
      rate_n = 0;
  GST_OBJECT_UNLOCK (self);
  if (rate_n == 0) {
    fr = GST_AGGREGATOR_FLOW_NEED_DATA;
    goto done;
  }
  switch (self->mode) {
    case GST_EMO_FUSE_MODE_CONCAT:
      if (dims > GST_EMO_FRAMES_MAX_DIMS || layout->len > 1024) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT,
            ("Concatenated features too large (%u values).", dims), (NULL));
        fr = GST_FLOW_NOT_NEGOTIATED;
        goto done;
      }
      gst_emo_frames_info_set (&out, dims, rate_n, rate_d, layout->str);
      break;
    case GST_EMO_FUSE_MODE_MODEL:
      gst_emo_frames_info_set (&out, self->n_attrs, rate_n, rate_d,
          "predictions");
      break;
    default:
      if (!self->attrs && !collect_attrs (self, pads)) {
        if (!all_ready) {
          fr = GST_AGGREGATOR_FLOW_NEED_DATA;
          goto done;
        }
        /* every pad has a frame (or ended) and none carries a prediction
         * (GAP frames at the start): use the usual three attributes */
        self->attrs = g_strsplit ("arousal,valence,liking", ",", -1);
        self->n_attrs = 3;
        g_free (self->last_out);
        self->last_out = unsupplied_values (self->n_attrs);
      }
      gst_emo_frames_info_set (&out, self->n_attrs, rate_n, rate_d,
          "predictions");
      break;
  }
  c = gst_emo_frames_info_to_caps (&out);
  *ret = gst_caps_intersect (c, caps);
  gst_caps_unref (c);
  if (gst_caps_is_empty (*ret))
    fr = GST_FLOW_NOT_NEGOTIATED;

done:
  gst_emo_frames_info_clear (&out);
  g_string_free (layout, TRUE);
  g_list_free_full (all, gst_object_unref);
  g_list_free (pads);
  return fr;
}

static gboolean
gst_emo_fuse_negotiated_src_caps (GstAggregator * agg, GstCaps * caps)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);

  gst_emo_frames_info_clear (&self->out_info);
  gst_emo_frames_info_init (&self->out_info);
  if (!gst_emo_frames_info_from_caps (&self->out_info, caps))
    return FALSE;
  self->have_out_info = TRUE;
  self->names_sent = FALSE;
  gst_emo_fuse_update_latency (self);
  return GST_AGGREGATOR_CLASS (parent_class)->negotiated_src_caps (agg, caps);
}

/* Slot of a buffer on the hop grid, from its running time. */
static gboolean
buffer_slot (GstEmoFusePad * pad, GstBuffer * buf, guint64 * slot)
{
  GstClockTime rt;

  if (!GST_BUFFER_PTS_IS_VALID (buf) || !pad->have_info)
    return FALSE;
  rt = gst_segment_to_running_time (&GST_AGGREGATOR_PAD (pad)->segment,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return FALSE;
  *slot = gst_util_uint64_scale_round (rt, pad->info.rate_n,
      (guint64) pad->info.rate_d * GST_SECOND);
  return TRUE;
}

static void
send_feature_names (GstEmoFuse * self, GList * pads)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GList *l;
  guint i;
  GstEvent *ev;

  GST_OBJECT_LOCK (self);
  for (l = pads; l; l = l->next) {
    GstEmoFusePad *p = l->data;
    if (!p->have_info)
      continue;
    for (i = 0; i < p->info.dims; i++) {
      if (p->feature_names && p->n_feature_names == p->info.dims)
        g_ptr_array_add (names, g_strdup (p->feature_names[i]));
      else
        g_ptr_array_add (names, g_strdup_printf ("%s_%u", p->info.layout, i));
    }
  }
  GST_OBJECT_UNLOCK (self);
  ev = gst_emo_event_new_feature_names ((const gchar * const *) names->pdata,
      names->len);
  g_ptr_array_unref (names);
  gst_pad_push_event (GST_AGGREGATOR_SRC_PAD (self), ev);
  self->names_sent = TRUE;
}

/* Side information (the face box as GstVideoRegionOfInterestMeta, voicing,
 * ...) travels as metas on emotion frames and every element copies it through
 * (docs/design.md section 1): copy every meta of `in` other than predictions with
 * its own transform function. */
static gboolean
copy_side_meta (GstBuffer * in, GstMeta ** meta, gpointer user_data)
{
  GstBuffer *out = user_data;
  const GstMetaInfo *info = (*meta)->info;
  GstMetaTransformCopy copy = { FALSE, 0, (gsize) - 1 };

  if (info->api == GST_EMO_PREDICTION_META_API_TYPE || !info->transform_func)
    return TRUE;
  info->transform_func (out, *meta, in, _gst_meta_transform_copy, &copy);
  return TRUE;
}

/* Re-adds the prediction metas of `in` (oldest first) to `out`, and copies
 * its side-information metas. */
static gint
carry_predictions (GstBuffer * out, GstBuffer * in)
{
  guint n = gst_buffer_get_n_emo_prediction_metas (in), k, found = 0;
  gint max_stage = 0;

  gst_buffer_foreach_meta (in, copy_side_meta, out);

  GST_DEBUG ("carrying %u predictions", n);
  for (k = 0; found < n && k < n + 64; k++) {
    GstEmoPredictionMeta *m = gst_buffer_get_emo_prediction_meta_nth (in, k);
    if (!m)
      continue;
    found++;
    gst_buffer_add_emo_prediction_meta (out, m->source, m->stage, m->n_values,
        (const gchar * const *) m->names, m->values, m->confidence);
    max_stage = MAX (max_stage, m->stage);
  }
  return max_stage;
}

static GstFlowReturn
finish_output (GstEmoFuse * self, GstBuffer * out, const gfloat * vals,
    gboolean gap)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstSegment *seg = &GST_AGGREGATOR_PAD (agg->srcpad)->segment;
  gboolean post;

  if (gap) {
    gst_buffer_memset (out, 0, 0, self->out_info.dims * sizeof (gfloat));
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_GAP);
  } else if (vals) {
    GstEmoPredictionMeta *m;
    gst_buffer_fill (out, 0, vals, self->n_attrs * sizeof (gfloat));
    m = gst_buffer_add_emo_prediction_meta (out, "emofuse", self->max_stage + 1,
        self->n_attrs, (const gchar * const *) self->attrs, vals, NULL);
    GST_OBJECT_LOCK (self);
    post = self->post_messages;
    GST_OBJECT_UNLOCK (self);
    if (post)
      gst_element_post_message (GST_ELEMENT (self),
          gst_emo_prediction_message_new (GST_OBJECT (self), m, seg, out));
  }
  seg->position = GST_BUFFER_PTS (out) + GST_BUFFER_DURATION (out);
  return gst_aggregator_finish_buffer (agg, out);
}

/* Timestamp of the running time `rt` in the output segment. Slots are
 * counted in running time; after a flushing seek the output segment starts
 * at the seek position, so the running time itself is no valid timestamp
 * there (downstream would find every frame before the segment). */
static GstClockTime
output_pts (GstEmoFuse * self, GstClockTime rt)
{
  GstSegment *seg =
      &GST_AGGREGATOR_PAD (GST_AGGREGATOR_SRC_PAD (self))->segment;
  GstClockTime pts;

  GST_OBJECT_LOCK (self);
  pts = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, rt);
  GST_OBJECT_UNLOCK (self);
  return GST_CLOCK_TIME_IS_VALID (pts) ? pts : rt;
}

static GstBuffer *
new_output (GstEmoFuse * self, guint64 slot)
{
  GstBuffer *out = gst_buffer_new_allocate (NULL,
      self->out_info.dims * sizeof (gfloat), NULL);
  GstClockTime t0 = output_pts (self,
      gst_emo_frames_index_to_time (&self->out_info, slot));
  GstClockTime t1 = output_pts (self,
      gst_emo_frames_index_to_time (&self->out_info, slot + 1));

  GST_BUFFER_PTS (out) = t0;
  GST_BUFFER_DTS (out) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (out) = t1 - t0;
  return out;
}

/* mode=model: pushes the pending buffers for which the runner has values. */
static GstFlowReturn
drain_model (GstEmoFuse * self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  gfloat *y = g_newa (gfloat, self->n_attrs);

  while (ret == GST_FLOW_OK && emo_fuse_runner_pending (self->runner) > 0) {
    GstBuffer *out = g_queue_pop_head (&self->pending);
    emo_fuse_runner_pop (self->runner, y);
    if (!out)
      continue;
    ret = finish_output (self, out, y, FALSE);
  }
  return ret;
}

/* Before the output is negotiated: EOS if every pad ended without data,
 * else wait for more. */
static GstFlowReturn
aggregate_unnegotiated (GstEmoFuse * self, GList * pads)
{
  gboolean ended = TRUE;
  GList *l;

  for (l = pads; l; l = l->next) {
    GstBuffer *b = gst_aggregator_pad_peek_buffer (l->data);
    if (b || !gst_aggregator_pad_is_eos (l->data))
      ended = FALSE;
    if (b)
      gst_buffer_unref (b);
  }
  /* update_src_caps asked for more data (caps or first frames had not all
   * arrived) and the base class cleared the reconfigure flag: ask again, or
   * the output is never negotiated and the graph stalls (seen in live graphs
   * under load) */
  if (!ended)
    gst_pad_mark_reconfigure (GST_AGGREGATOR_SRC_PAD (self));
  return ended ? GST_FLOW_EOS : GST_AGGREGATOR_FLOW_NEED_DATA;
}

/* Drops frames for slots already output and returns the earliest queued
 * slot (G_MAXUINT64 if none); tells whether every pad ended and whether a
 * pad that has not ended has nothing queued. */
static guint64
earliest_slot (GstEmoFuse * self, GList * pads, gboolean * all_eos,
    gboolean * empty_live)
{
  guint64 slot = G_MAXUINT64, s;
  GList *l;

  *all_eos = TRUE;
  *empty_live = FALSE;
  for (l = pads; l; l = l->next) {
    GstEmoFusePad *p = l->data;
    GstAggregatorPad *ap = GST_AGGREGATOR_PAD (p);
    GstBuffer *b;
    while ((b = gst_aggregator_pad_peek_buffer (ap))) {
      if (!buffer_slot (p, b, &s)) {
        GST_WARNING_OBJECT (p, "dropping a frame without a valid timestamp");
      } else if (self->have_slot && s < self->next_slot) {
        GST_DEBUG_OBJECT (p, "dropping late frame for slot %" G_GUINT64_FORMAT,
            s);
      } else {
        slot = MIN (slot, s);
        gst_buffer_unref (b);
        break;
      }
      gst_buffer_unref (b);
      gst_aggregator_pad_drop_buffer (ap);
    }
    if (b || !gst_aggregator_pad_is_eos (ap))
      *all_eos = FALSE;
    if (!b && !gst_aggregator_pad_is_eos (ap))
      *empty_live = TRUE;
  }
  return slot;
}

/* Takes each pad's frame for `slot` (NULL where a pad has none). */
static void
take_slot (GList * pads, guint64 slot, GstBuffer ** bufs)
{
  GList *l;
  guint i;

  for (l = pads, i = 0; l; l = l->next, i++) {
    GstEmoFusePad *p = l->data;
    GstBuffer *b = gst_aggregator_pad_peek_buffer (GST_AGGREGATOR_PAD (p));
    guint64 s;
    if (b && buffer_slot (p, b, &s) && s == slot) {
      bufs[i] = b;
      gst_aggregator_pad_drop_buffer (GST_AGGREGATOR_PAD (p));
    } else if (b) {
      gst_buffer_unref (b);
    }
  }
}

/* Carries the predictions of `in` to `out` and notes the highest stage. */
static void
carry_and_note_stage (GstEmoFuse * self, GstBuffer * out, GstBuffer * in)
{
  gint st = carry_predictions (out, in);

  self->max_stage = MAX (self->max_stage, st);
}

/* mode=concat: the pads' features side by side; a missing pad holds its
 * last frame (zeros before its first). */
static GstFlowReturn
fuse_concat (GstEmoFuse * self, GList * pads, GstBuffer ** bufs,
    GstBuffer * out)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstMapInfo map;
  gsize off = 0;
  gboolean all_gap = TRUE;
  GList *l;
  guint i;

  gst_buffer_map (out, &map, GST_MAP_WRITE);
  for (l = pads, i = 0; l; l = l->next, i++) {
    GstEmoFusePad *p = l->data;
    gsize n = p->info.dims * sizeof (gfloat);
    if (off + n > map.size)
      break;
    if (bufs[i] && gst_buffer_get_size (bufs[i]) >= n) {
      gst_buffer_extract (bufs[i], 0, map.data + off, n);
      if (!GST_BUFFER_FLAG_IS_SET (bufs[i], GST_BUFFER_FLAG_GAP)) {
        all_gap = FALSE;
        if (!p->last_frame)
          p->last_frame = g_malloc (n);
        memcpy (p->last_frame, map.data + off, n);
      }
      carry_predictions (out, bufs[i]);
    } else if (p->last_frame) {
      /* missing (ended, lagging): hold its last frame */
      memcpy (map.data + off, p->last_frame, n);
    } else {
      memset (map.data + off, 0, n);
    }
    off += n;
  }
  gst_buffer_unmap (out, &map);
  if (all_gap)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_GAP);
  GST_AGGREGATOR_PAD (agg->srcpad)->segment.position =
      GST_BUFFER_PTS (out) + GST_BUFFER_DURATION (out);
  return gst_aggregator_finish_buffer (agg, out);
}

/* mode=mean / weighted: per attribute the (weighted) mean of the pads'
 * finite predictions; GAP when no pad has one. */
static GstFlowReturn
fuse_mean (GstEmoFuse * self, GList * pads, GstBuffer ** bufs, GstBuffer * out)
{
  gdouble *sum = g_newa (gdouble, self->n_attrs);
  gdouble *wsum = g_newa (gdouble, self->n_attrs);
  gfloat *vals = g_newa (gfloat, self->n_attrs);
  gboolean any = FALSE;
  gdouble *weights;
  guint n_weights, i, a, idx;
  GList *l;

  GST_OBJECT_LOCK (self);
  n_weights = self->mode == GST_EMO_FUSE_MODE_WEIGHTED ? self->n_weights : 0;
  weights = g_memdup2 (self->weights, n_weights * sizeof (gdouble));
  GST_OBJECT_UNLOCK (self);
  memset (sum, 0, self->n_attrs * sizeof (gdouble));
  memset (wsum, 0, self->n_attrs * sizeof (gdouble));
  for (l = pads, i = 0; l; l = l->next, i++) {
    GstEmoPredictionMeta *m;
    gdouble w = 1.0;
    if (!bufs[i])
      continue;
    carry_and_note_stage (self, out, bufs[i]);
    if (GST_BUFFER_FLAG_IS_SET (bufs[i], GST_BUFFER_FLAG_GAP))
      continue;
    m = gst_buffer_get_emo_prediction_meta (bufs[i]);
    idx = pad_index (l->data);
    if (idx < n_weights)
      w = weights[idx];
    if (!m || !(w > 0))
      continue;
    for (a = 0; a < self->n_attrs; a++) {
      gfloat v;
      if (gst_emo_prediction_meta_lookup (m, self->attrs[a], &v)
          && isfinite (v)) {
        sum[a] += w * v;
        wsum[a] += w;
        any = TRUE;
      }
    }
  }
  g_free (weights);
  if (any) {
    for (a = 0; a < self->n_attrs; a++)
      vals[a] = wsum[a] > 0 ? sum[a] / wsum[a] : self->last_out[a];
    memcpy (self->last_out, vals, self->n_attrs * sizeof (gfloat));
  }
  return finish_output (self, out, any ? vals : NULL, !any);
}

/* mode=model: the newest value of each attribute per pad (never seen:
 * the mean of the other pads for this frame, else 0) into the runner. */
static GstFlowReturn
fuse_model (GstEmoFuse * self, GList * pads, GstBuffer ** bufs, GstBuffer * out)
{
  const EmoFuseModel *mdl = self->model;
  gfloat *x = g_new0 (gfloat, mdl->n_inputs * mdl->n_attrs);
  gdouble *isum = g_newa (gdouble, mdl->n_attrs);
  guint *icnt = g_newa (guint, mdl->n_attrs);
  GList *l;
  guint i, a;

  memset (isum, 0, mdl->n_attrs * sizeof (gdouble));
  memset (icnt, 0, mdl->n_attrs * sizeof (guint));
  for (l = pads, i = 0; l; l = l->next, i++) {
    GstEmoFusePad *p = l->data;
    GstEmoPredictionMeta *m = NULL;
    if (!p->last_attr) {
      p->last_attr = g_new0 (gfloat, mdl->n_attrs);
      p->have_attr = g_new0 (gboolean, mdl->n_attrs);
    }
    if (bufs[i]) {
      carry_and_note_stage (self, out, bufs[i]);
      if (!GST_BUFFER_FLAG_IS_SET (bufs[i], GST_BUFFER_FLAG_GAP))
        m = gst_buffer_get_emo_prediction_meta (bufs[i]);
    }
    for (a = 0; m && a < mdl->n_attrs; a++) {
      gfloat v;
      if (gst_emo_prediction_meta_lookup (m, mdl->attrs[a], &v)
          && isfinite (v)) {
        p->last_attr[a] = v;
        p->have_attr[a] = TRUE;
        isum[a] += v;
        icnt[a]++;
      }
    }
  }
  for (l = pads, i = 0; l; l = l->next, i++) {
    GstEmoFusePad *p = l->data;
    for (a = 0; a < mdl->n_attrs; a++)
      x[i * mdl->n_attrs + a] = p->have_attr[a] ? p->last_attr[a] :
          (icnt[a] ? isum[a] / icnt[a] : 0.0f);
  }
  g_queue_push_tail (&self->pending, out);
  emo_fuse_runner_push (self->runner, x);
  g_free (x);
  return drain_model (self);
}

/* One output frame per call, for the earliest slot any pad has queued (as
 * audiomixer's aggregate_one_buffer, one helper per mode). */
static GstFlowReturn
gst_emo_fuse_aggregate (GstAggregator * agg, gboolean timeout)
{
  GstEmoFuse *self = GST_EMO_FUSE (agg);
  GList *pads = get_sinkpads (self);
  guint n_pads = g_list_length (pads), i;
  GstBuffer **bufs = g_new0 (GstBuffer *, MAX (n_pads, 1));
  gboolean all_eos, empty_live;
  GstFlowReturn ret;
  guint64 slot;
  GstBuffer *out;

  if (!self->have_out_info) {
    ret = aggregate_unnegotiated (self, pads);
    goto done;
  }
  if (self->mode == GST_EMO_FUSE_MODE_MODEL && n_pads != self->model->n_inputs) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("The fusion model expects %u inputs, the element has %u sink pads.",
            self->model->n_inputs, n_pads), ("model inputs: %s ...",
            self->model->inputs[0]));
    ret = GST_FLOW_ERROR;
    goto done;
  }
  slot = earliest_slot (self, pads, &all_eos, &empty_live);
  if (slot == G_MAXUINT64) {
    ret = GST_AGGREGATOR_FLOW_NEED_DATA;
    if (all_eos) {
      ret = GST_FLOW_OK;
      if (self->runner) {
        emo_fuse_runner_finish (self->runner);
        ret = drain_model (self);
      }
      if (ret == GST_FLOW_OK)
        ret = GST_FLOW_EOS;
    }
    goto done;
  }
  if (empty_live && !timeout) {
    /* a pad is still expected to deliver (non-live: the base class only
     * calls us when all have data or ended) */
    ret = GST_AGGREGATOR_FLOW_NEED_DATA;
    goto done;
  }
  take_slot (pads, slot, bufs);
  self->have_slot = TRUE;
  self->next_slot = slot + 1;

  if (!self->names_sent && self->mode == GST_EMO_FUSE_MODE_CONCAT)
    send_feature_names (self, pads);

  out = new_output (self, slot);
  switch (self->mode) {
    case GST_EMO_FUSE_MODE_CONCAT:
      ret = fuse_concat (self, pads, bufs, out);
      break;
    case GST_EMO_FUSE_MODE_MODEL:
      ret = fuse_model (self, pads, bufs, out);
      break;
    default:
      ret = fuse_mean (self, pads, bufs, out);
      break;
  }

done:
  for (i = 0; i < n_pads; i++)
    if (bufs[i])
      gst_buffer_unref (bufs[i]);
  g_free (bufs);
  g_list_free_full (pads, gst_object_unref);
  return ret;
}
