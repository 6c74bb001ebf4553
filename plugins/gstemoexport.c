/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emoexport
 * @title: emoexport
 *
 * Turns an emotion frame stream into text: AVEC-style CSV, JSON lines or
 * WebVTT subtitles, for `filesink`, `appsink` or a muxer.
 *
 * - `csv`: a header `name;timestamp;<feature names>;<attribute names>` (feature
 *   names from the stream's feature-names event, attribute names from the
 *   newest prediction of the first frame), then one row per frame: the
 *   `name` property, the frame's stream time in seconds, its features (if
 *   #GstEmoExport:features) and the newest prediction. A frame without a
 *   prediction, or a prediction lacking an attribute, writes `nan` there.
 * - `jsonl`: one JSON object per frame: `t` (double, s), `duration` (double,
 *   s), `gap` (boolean, no usable input), `features` (array, if enabled),
 *   `prediction` (object: `source`, `stage`, one number per attribute; the
 *   newest) and `predictions` (array of every prediction on the frame, oldest
 *   first). Non-finite numbers are written as `null`.
 * - `webvtt`: the `WEBVTT` header, then one cue per frame, or with
 *   #GstEmoExport:merge-cues one cue per run of frames whose rounded text is
 *   equal, carrying the newest prediction (`arousal 0.12 · valence -0.05`).
 *   Frames without a prediction produce no cue.
 *
 * The element adds no latency except in merge mode, where a cue is pushed
 * when its run ends (unbounded; use it for files, not live displays).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=Devel_DE_01.csv ! emoparse content=predictions ! emoexport format=webvtt ! filesink location=de01.vtt
 * ]| Converts stored AVEC predictions to a WebVTT subtitle track.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "gstemoelements.h"
#include "gstemoexport.h"
#include "io/emo-table.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_export_debug);
#define GST_CAT_DEFAULT gst_emo_export_debug

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS
    ("text/x-raw, format=(string)utf8; application/x-subtitle-vtt"));

enum
{
  PROP_0,
  PROP_FORMAT,
  PROP_PRECISION,
  PROP_FEATURES,
  PROP_MERGE_CUES,
  PROP_NAME_COLUMN,
};

#define DEFAULT_FORMAT GST_EMO_EXPORT_FORMAT_CSV
#define DEFAULT_PRECISION 6
#define DEFAULT_FEATURES TRUE
#define DEFAULT_MERGE_CUES FALSE
#define DEFAULT_NAME_COLUMN "emo"

#define GST_TYPE_EMO_EXPORT_FORMAT (gst_emo_export_format_get_type ())
static GType
gst_emo_export_format_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_EXPORT_FORMAT_CSV, "AVEC-style CSV with header", "csv"},
    {GST_EMO_EXPORT_FORMAT_JSONL, "One JSON object per line", "jsonl"},
    {GST_EMO_EXPORT_FORMAT_WEBVTT, "WebVTT subtitles", "webvtt"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoExportFormat", values);
}

#define gst_emo_export_parent_class parent_class
G_DEFINE_TYPE (GstEmoExport, gst_emo_export, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emoexport, "emoexport", GST_RANK_NONE,
    GST_TYPE_EMO_EXPORT, emo_element_init (plugin));

static void gst_emo_export_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_export_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_export_finalize (GObject * object);
static GstStateChangeReturn gst_emo_export_change_state (GstElement * element,
    GstStateChange transition);
static gboolean gst_emo_export_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static GstFlowReturn gst_emo_export_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);

static void
gst_emo_export_class_init (GstEmoExportClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_emo_export_set_property;
  gobject_class->get_property = gst_emo_export_get_property;
  gobject_class->finalize = gst_emo_export_finalize;

  /**
   * GstEmoExport:format:
   *
   * Output text format.
   */
  g_object_class_install_property (gobject_class, PROP_FORMAT,
      g_param_spec_enum ("format", "Format", "Output text format",
          GST_TYPE_EMO_EXPORT_FORMAT, DEFAULT_FORMAT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PRECISION,
      g_param_spec_uint ("precision", "Precision",
          "Significant digits of feature and prediction values", 1, 17,
          DEFAULT_PRECISION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_FEATURES,
      g_param_spec_boolean ("features", "Features",
          "Write the feature values (csv, jsonl); predictions are always written",
          DEFAULT_FEATURES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MERGE_CUES,
      g_param_spec_boolean ("merge-cues", "Merge cues",
          "WebVTT: one cue per run of frames with equal rounded text instead of one per frame",
          DEFAULT_MERGE_CUES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_NAME_COLUMN,
      g_param_spec_string ("name-column", "Name column",
          "Value of the first (name) column of CSV rows", DEFAULT_NAME_COLUMN,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Emotion frame export",
      "Formatter/Metadata",
      "Writes emotion frames and predictions as CSV, JSON lines or WebVTT",
      EMO_PACKAGE_CONTACT);

  element_class->change_state = GST_DEBUG_FUNCPTR (gst_emo_export_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_EXPORT_FORMAT, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_export_debug, "emoexport", 0,
      "Emotion frame export");
}

static void
gst_emo_export_reset (GstEmoExport * self)
{
  gst_emo_frames_info_clear (&self->info);
  self->have_info = FALSE;
  g_strfreev (self->feature_names);
  self->feature_names = NULL;
  self->n_feature_names = 0;
  g_strfreev (self->pred_names);
  self->pred_names = NULL;
  self->header_done = FALSE;
  self->caps_sent = FALSE;
  g_free (self->cue_text);
  self->cue_text = NULL;
  self->cue_start = self->cue_end = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
}

static void
gst_emo_export_init (GstEmoExport * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_export_sink_event));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_export_chain));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->format = DEFAULT_FORMAT;
  self->precision = DEFAULT_PRECISION;
  self->features = DEFAULT_FEATURES;
  self->merge_cues = DEFAULT_MERGE_CUES;
  self->name = g_strdup (DEFAULT_NAME_COLUMN);
  gst_emo_frames_info_init (&self->info);
  gst_emo_export_reset (self);
}

static void
gst_emo_export_finalize (GObject * object)
{
  GstEmoExport *self = GST_EMO_EXPORT (object);

  gst_emo_export_reset (self);
  g_free (self->name);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* properties copied as they are; name-column falls back to its default */
static const EmoPropertyField gst_emo_export_fields[] = {
  {PROP_FORMAT, G_STRUCT_OFFSET (GstEmoExport, format)},
  {PROP_PRECISION, G_STRUCT_OFFSET (GstEmoExport, precision)},
  {PROP_FEATURES, G_STRUCT_OFFSET (GstEmoExport, features)},
  {PROP_MERGE_CUES, G_STRUCT_OFFSET (GstEmoExport, merge_cues)},
  {PROP_NAME_COLUMN, G_STRUCT_OFFSET (GstEmoExport, name)},
  {0, 0}
};

static void
gst_emo_export_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoExport *self = GST_EMO_EXPORT (object);

  GST_OBJECT_LOCK (self);
  emo_element_set_field (object, gst_emo_export_fields, prop_id, value, pspec);
  if (prop_id == PROP_NAME_COLUMN && !self->name)
    self->name = g_strdup (DEFAULT_NAME_COLUMN);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_export_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GST_OBJECT_LOCK (object);
  emo_element_get_field (object, gst_emo_export_fields, prop_id, value, pspec);
  GST_OBJECT_UNLOCK (object);
}

static GstStateChangeReturn
gst_emo_export_change_state (GstElement * element, GstStateChange transition)
{
  GstEmoExport *self = GST_EMO_EXPORT (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_emo_export_reset (self);
  return ret;
}

/* ---- formatting helpers ------------------------------------------------- */

static void
append_vtt_time (GString * s, GstClockTime t)
{
  guint64 ms = GST_CLOCK_TIME_IS_VALID (t) ? t / GST_MSECOND : 0;

  g_string_append_printf (s, "%02" G_GUINT64_FORMAT ":%02u:%02u.%03u",
      ms / 3600000, (guint) ((ms / 60000) % 60), (guint) ((ms / 1000) % 60),
      (guint) (ms % 1000));
}

static GstFlowReturn
push_text (GstEmoExport * self, GString * s, GstClockTime pts, GstClockTime dur)
{
  GstBuffer *out;
  gsize len = s->len;

  out = gst_buffer_new_wrapped (g_string_free (s, FALSE), len);
  GST_BUFFER_PTS (out) = pts;
  GST_BUFFER_DURATION (out) = dur;
  return gst_pad_push (self->srcpad, out);
}

static void
ensure_src_caps (GstEmoExport * self)
{
  GstCaps *caps;
  GstSegment seg;

  if (self->caps_sent)
    return;
  if (self->format == GST_EMO_EXPORT_FORMAT_WEBVTT)
    caps = gst_caps_new_empty_simple ("application/x-subtitle-vtt");
  else
    caps =
        gst_caps_new_simple ("text/x-raw", "format", G_TYPE_STRING, "utf8",
        NULL);
  gst_pad_set_caps (self->srcpad, caps);
  gst_caps_unref (caps);
  /* the sink segment was forwarded already; nothing else to send */
  (void) seg;
  self->caps_sent = TRUE;
}

static gchar *
feature_name (GstEmoExport * self, guint i)
{
  if (self->feature_names && i < self->n_feature_names
      && self->feature_names[i][0])
    return g_strdup (self->feature_names[i]);
  return g_strdup_printf ("f%u", i);
}

/* The CSV header: feature names (if written), then the attributes of the
 * first frame's newest prediction, which fix the columns of every row. */
static GString *
csv_header (GstEmoExport * self, GstEmoPredictionMeta * pm)
{
  GString *s = g_string_new (NULL);
  GPtrArray *cols = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; self->features && i < self->info.dims; i++)
    g_ptr_array_add (cols, feature_name (self, i));
  g_strfreev (self->pred_names);
  self->pred_names = g_new0 (gchar *, (pm ? pm->n_values : 0) + 1);
  for (i = 0; pm && i < pm->n_values; i++) {
    self->pred_names[i] = g_strdup (pm->names[i]);
    g_ptr_array_add (cols, g_strdup (pm->names[i]));
  }
  emo_table_append_header (s, EMO_TABLE_FORMAT_CSV, NULL,
      (const gchar * const *) cols->pdata, cols->len);
  g_ptr_array_unref (cols);
  return s;
}

static GString *
format_csv_row (GstEmoExport * self, const gfloat * feat, guint n,
    GstEmoPredictionMeta * pm, gdouble t)
{
  GString *s = g_string_new (NULL);
  guint nf = self->features ? self->info.dims : 0, np = 0, i;
  gfloat *row;

  while (self->pred_names && self->pred_names[np])
    np++;
  row = g_new (gfloat, MAX (nf + np, 1));
  /* a missing feature or attribute is written as nan */
  for (i = 0; i < nf; i++)
    row[i] = i < n ? feat[i] : NAN;
  for (i = 0; i < np; i++) {
    row[nf + i] = NAN;
    if (pm)
      gst_emo_prediction_meta_lookup (pm, self->pred_names[i], &row[nf + i]);
  }
  emo_table_append_row (s, EMO_TABLE_FORMAT_CSV, self->name, t, row, nf + np,
      self->precision, "nan");
  g_free (row);
  return s;
}

static void
json_add_number (JsonBuilder * b, gdouble v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
json_add_prediction (JsonBuilder * b, GstEmoPredictionMeta * pm)
{
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, pm->source);
  json_builder_set_member_name (b, "stage");
  json_builder_add_int_value (b, pm->stage);
  for (i = 0; i < pm->n_values; i++) {
    json_builder_set_member_name (b, pm->names[i]);
    json_add_number (b, pm->values[i]);
  }
  if (pm->confidence) {
    json_builder_set_member_name (b, "confidence");
    json_builder_begin_array (b);
    for (i = 0; i < pm->n_values; i++)
      json_add_number (b, pm->confidence[i]);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
}

static GString *
format_jsonl (GstEmoExport * self, GstBuffer * buf, const gfloat * feat,
    guint n, gdouble t)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *g;
  JsonNode *root;
  GstEmoPredictionMeta *pm;
  guint i, np;
  gchar *str;
  GString *s;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "t");
  json_builder_add_double_value (b, t);
  json_builder_set_member_name (b, "duration");
  json_add_number (b, GST_BUFFER_DURATION_IS_VALID (buf) ?
      GST_BUFFER_DURATION (buf) / (gdouble) GST_SECOND : NAN);
  json_builder_set_member_name (b, "gap");
  json_builder_add_boolean_value (b, GST_BUFFER_FLAG_IS_SET (buf,
          GST_BUFFER_FLAG_GAP));
  if (self->features) {
    json_builder_set_member_name (b, "features");
    json_builder_begin_array (b);
    for (i = 0; i < n; i++)
      json_add_number (b, feat[i]);
    json_builder_end_array (b);
  }
  pm = gst_buffer_get_emo_prediction_meta (buf);
  json_builder_set_member_name (b, "prediction");
  if (pm)
    json_add_prediction (b, pm);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "predictions");
  json_builder_begin_array (b);
  np = gst_buffer_get_n_emo_prediction_metas (buf);
  for (i = 0; i < np; i++) {
    GstEmoPredictionMeta *m = gst_buffer_get_emo_prediction_meta_nth (buf, i);
    if (m)
      json_add_prediction (b, m);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  g = json_generator_new ();
  json_generator_set_root (g, root);
  str = json_generator_to_data (g, NULL);
  s = g_string_new (str);
  g_string_append_c (s, '\n');
  g_free (str);
  json_node_unref (root);
  g_object_unref (g);
  g_object_unref (b);
  return s;
}

static gchar *
vtt_text (GstEmoExport * self, GstEmoPredictionMeta * pm)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < pm->n_values; i++) {
    if (i)
      g_string_append (s, "  ");
    g_string_append_printf (s, "%s ", pm->names[i]);
    /* cue text is for people: fixed two decimals */
    if (isfinite (pm->values[i]))
      g_string_append_printf (s, "%+.2f", pm->values[i]);
    else
      g_string_append (s, "n/a");
  }
  return g_string_free (s, FALSE);
}

static GstFlowReturn
flush_cue (GstEmoExport * self)
{
  GString *s;
  GstClockTime start = self->cue_start, end = self->cue_end;

  if (!self->cue_text)
    return GST_FLOW_OK;
  s = g_string_new (NULL);
  append_vtt_time (s, start);
  g_string_append (s, " --> ");
  append_vtt_time (s, end);
  g_string_append_printf (s, "\n%s\n\n", self->cue_text);
  g_free (self->cue_text);
  self->cue_text = NULL;
  return push_text (self, s, start, end - start);
}

static GstFlowReturn
gst_emo_export_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoExport *self = GST_EMO_EXPORT (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  GstMapInfo map;
  GstEmoPredictionMeta *pm;
  GstClockTime pts, dur, st;
  const gfloat *feat;
  guint n;
  gdouble t;
  GString *s = NULL;

  if (!self->have_info)
    goto not_negotiated;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    goto map_failed;
  if (map.size != self->info.dims * sizeof (gfloat)) {
    gst_buffer_unmap (buf, &map);
    goto wrong_size;
  }
  feat = (const gfloat *) map.data;
  n = self->info.dims;
  pts = GST_BUFFER_PTS (buf);
  dur =
      GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) :
      self->info.hop;
  st = gst_segment_to_stream_time (&self->segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (st))
    st = pts;
  t = GST_CLOCK_TIME_IS_VALID (st) ? st / (gdouble) GST_SECOND : NAN;
  pm = gst_buffer_get_emo_prediction_meta (buf);

  ensure_src_caps (self);

  switch (self->format) {
    case GST_EMO_EXPORT_FORMAT_CSV:
      if (!self->header_done) {
        s = csv_header (self, pm);
        self->header_done = TRUE;
        ret = push_text (self, s, pts, 0);
        if (ret != GST_FLOW_OK)
          break;
      }
      s = format_csv_row (self, feat, n, pm, t);
      ret = push_text (self, s, pts, dur);
      break;
    case GST_EMO_EXPORT_FORMAT_JSONL:
      s = format_jsonl (self, buf, feat, n, t);
      ret = push_text (self, s, pts, dur);
      break;
    case GST_EMO_EXPORT_FORMAT_WEBVTT:{
      gchar *text;
      if (!self->header_done) {
        self->header_done = TRUE;
        ret = push_text (self, g_string_new ("WEBVTT\n\n"), pts, 0);
        if (ret != GST_FLOW_OK)
          break;
      }
      if (!pm || !GST_CLOCK_TIME_IS_VALID (st)) {
        ret = flush_cue (self);
        break;
      }
      text = vtt_text (self, pm);
      if (self->merge_cues && self->cue_text
          && strcmp (text, self->cue_text) == 0 && self->cue_end == st) {
        self->cue_end = st + dur;
        g_free (text);
        break;
      }
      ret = flush_cue (self);
      self->cue_text = text;
      self->cue_start = st;
      self->cue_end = st + dur;
      if (!self->merge_cues && ret == GST_FLOW_OK)
        ret = flush_cue (self);
      break;
    }
  }

  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return ret;

  /* ERRORS */
not_negotiated:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("emotion frame received before caps"));
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
map_failed:
  {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("could not map buffer"));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
wrong_size:
  {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Emotion frame has the wrong size."),
        ("got %" G_GSIZE_FORMAT " bytes, caps say %u floats",
            gst_buffer_get_size (buf), self->info.dims));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
}

static gboolean
gst_emo_export_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoExport *self = GST_EMO_EXPORT (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstEmoFramesInfo info;

      gst_event_parse_caps (event, &caps);
      gst_emo_frames_info_init (&info);
      if (!gst_emo_frames_info_from_caps (&info, caps)) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("Invalid emotion frame caps."), ("caps: %" GST_PTR_FORMAT, caps));
        gst_event_unref (event);
        return FALSE;
      }
      if (self->have_info && self->header_done &&
          self->format == GST_EMO_EXPORT_FORMAT_CSV
          && info.dims != self->info.dims) {
        GST_ELEMENT_WARNING (self, STREAM, FORMAT,
            ("Feature count changed mid-stream (%u -> %u); CSV columns no longer match the header.",
                self->info.dims, info.dims), (NULL));
      }
      gst_emo_frames_info_clear (&self->info);
      self->info = info;
      self->have_info = TRUE;
      ensure_src_caps (self);
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &self->segment);
      ensure_src_caps (self);
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM_STICKY:
      if (gst_emo_event_is_feature_names (event)) {
        g_strfreev (self->feature_names);
        self->feature_names = NULL;
        gst_emo_event_parse_feature_names (event, &self->feature_names,
            &self->n_feature_names);
      }
      break;
    case GST_EVENT_EOS:
      flush_cue (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      g_free (self->cue_text);
      self->cue_text = NULL;
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}
