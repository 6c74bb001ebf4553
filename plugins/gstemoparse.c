/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-emoparse
 * @title: emoparse
 *
 * Reads an AVEC-style CSV (`name;timestamp;v1;v2;...`, `;` or `,`, optional
 * header, quoted names; the format of the AVEC 2019 feature, label and
 * prediction files) and outputs an emotion frame stream on the hop grid.
 *
 * With `content=features` the selected columns are the frame payload (layout
 * from the #GstEmoParse:layout property, feature names from the header,
 * sent as the feature-names event). With `content=predictions` the
 * attribute columns (`arousal`, `valence`, `liking` if present, else all, or
 * the #GstEmoParse:columns list) become a #GstEmoPredictionMeta (source from
 * #GstEmoParse:source, stage 1) and also the payload (layout `predictions`),
 * so stored stage-1 predictions can be fused or stacked by any graph.
 *
 * Rows are placed on the grid by their timestamp: PTS = round(t / hop) * hop.
 * A jump in the timestamps produces GAP frames (zero payload, no prediction,
 * %GST_BUFFER_FLAG_GAP) so that the stream stays on the grid. With a header,
 * its timestamp column decides whether the first column is a name (so a
 * numeric session name is not read as a time); a UTF-8 byte order mark is
 * skipped. Timestamps going backwards or repeated, more than 1 ms off the
 * grid, two rows in one frame, rows typically more than 10 frames apart
 * (milliseconds instead of seconds) and absurd times (beyond 10^6 s) are
 * errors naming the file and line.
 *
 * The whole file is read before the first frame is pushed (CSV files are
 * small; this element is for files, not live input). A flushing seek in time
 * reads the file again from its first byte (upstream must seek in bytes, as
 * filesrc does) and pushes the frames from the seek position on, in a
 * segment starting there.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=Devel_DE_01.csv ! emoparse content=predictions source=svr ! emoexport format=jsonl ! fdsink
 * ]| Prints the stored predictions of one recording as JSON lines.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstemoelements.h"
#include "gstemoparse.h"
#include "io/emo-table.h"

GST_DEBUG_CATEGORY_STATIC (gst_emo_parse_debug);
#define GST_CAT_DEFAULT gst_emo_parse_debug

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_EMO_FRAMES_CAPS_TEMPLATE));

enum
{
  PROP_0,
  PROP_CONTENT,
  PROP_LAYOUT,
  PROP_COLUMNS,
  PROP_SOURCE,
  PROP_RATE,
};

#define DEFAULT_CONTENT GST_EMO_PARSE_CONTENT_FEATURES
#define DEFAULT_LAYOUT "avec-csv"
#define DEFAULT_SOURCE "emoparse"
#define MAX_FILE_SIZE (512 * 1024 * 1024)
/* a timestamp jump of more than this many hops is a fault, not a gap */
#define MAX_GAP_FRAMES (24 * 3600 * 100)

#define GST_TYPE_EMO_PARSE_CONTENT (gst_emo_parse_content_get_type ())
static GType
gst_emo_parse_content_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_EMO_PARSE_CONTENT_FEATURES, "Columns are features (frame payload)",
        "features"},
    {GST_EMO_PARSE_CONTENT_PREDICTIONS,
        "Columns are predictions (prediction meta and payload)", "predictions"},
    {0, NULL, NULL}
  };

  return emo_element_register_enum (&type, "GstEmoParseContent", values);
}

#define gst_emo_parse_parent_class parent_class
G_DEFINE_TYPE (GstEmoParse, gst_emo_parse, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (emoparse, "emoparse", GST_RANK_NONE,
    GST_TYPE_EMO_PARSE, emo_element_init (plugin));

static void gst_emo_parse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_emo_parse_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_emo_parse_finalize (GObject * object);
static GstStateChangeReturn gst_emo_parse_change_state (GstElement * element,
    GstStateChange transition);
static gboolean gst_emo_parse_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_emo_parse_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static gboolean gst_emo_parse_src_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static GstFlowReturn gst_emo_parse_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);

static void
gst_emo_parse_class_init (GstEmoParseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_emo_parse_set_property;
  gobject_class->get_property = gst_emo_parse_get_property;
  gobject_class->finalize = gst_emo_parse_finalize;

  g_object_class_install_property (gobject_class, PROP_CONTENT,
      g_param_spec_enum ("content", "Content",
          "What the value columns are: features (payload) or predictions (meta)",
          GST_TYPE_EMO_PARSE_CONTENT, DEFAULT_CONTENT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_LAYOUT,
      g_param_spec_string ("layout", "Layout",
          "Layout name of the output features (content=features)",
          DEFAULT_LAYOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_COLUMNS,
      g_param_spec_string ("columns", "Columns",
          "Comma-separated column names to use, in this order (NULL: all "
          "columns, or arousal,valence,liking where present for predictions)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SOURCE,
      g_param_spec_string ("source", "Source",
          "Source name written into the prediction meta (content=predictions)",
          DEFAULT_SOURCE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_RATE,
      gst_param_spec_fraction ("rate", "Rate",
          "Frame rate of the output grid (10/1 = the 100 ms AVEC grid)", 1, 1,
          1000, 1, GST_EMO_FRAMES_DEFAULT_RATE_N, GST_EMO_FRAMES_DEFAULT_RATE_D,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "AVEC CSV emotion frame parser", "Codec/Parser/Metadata",
      "Reads AVEC-style CSV features or predictions into emotion frames",
      EMO_PACKAGE_CONTACT);
  element_class->change_state = GST_DEBUG_FUNCPTR (gst_emo_parse_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_EMO_PARSE_CONTENT, 0);
  GST_DEBUG_CATEGORY_INIT (gst_emo_parse_debug, "emoparse", 0,
      "AVEC CSV parser");
}

/* Forgets the input read so far; the output segment (a seek's) stays. */
static void
gst_emo_parse_reset_data (GstEmoParse * self)
{
  g_byte_array_set_size (self->data, 0);
  self->eos_done = FALSE;
}

static void
gst_emo_parse_reset (GstEmoParse * self)
{
  gst_emo_parse_reset_data (self);
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
}

static void
gst_emo_parse_init (GstEmoParse * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_parse_sink_event));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_emo_parse_chain));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_parse_src_query));
  gst_pad_set_event_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_emo_parse_src_event));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->content = DEFAULT_CONTENT;
  self->layout = g_strdup (DEFAULT_LAYOUT);
  self->source = g_strdup (DEFAULT_SOURCE);
  self->rate_n = GST_EMO_FRAMES_DEFAULT_RATE_N;
  self->rate_d = GST_EMO_FRAMES_DEFAULT_RATE_D;
  self->data = g_byte_array_new ();
  gst_emo_parse_reset (self);
}

static void
gst_emo_parse_finalize (GObject * object)
{
  GstEmoParse *self = GST_EMO_PARSE (object);

  g_byte_array_unref (self->data);
  g_free (self->layout);
  g_free (self->columns);
  g_free (self->source);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* properties copied as they are; rate is a fraction in two fields */
static const EmoPropertyField gst_emo_parse_fields[] = {
  {PROP_CONTENT, G_STRUCT_OFFSET (GstEmoParse, content)},
  {PROP_LAYOUT, G_STRUCT_OFFSET (GstEmoParse, layout)},
  {PROP_COLUMNS, G_STRUCT_OFFSET (GstEmoParse, columns)},
  {PROP_SOURCE, G_STRUCT_OFFSET (GstEmoParse, source)},
  {0, 0}
};

static void
gst_emo_parse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEmoParse *self = GST_EMO_PARSE (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RATE:
      self->rate_n = gst_value_get_fraction_numerator (value);
      self->rate_d = gst_value_get_fraction_denominator (value);
      break;
    default:
      emo_element_set_field (object, gst_emo_parse_fields, prop_id, value,
          pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_emo_parse_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstEmoParse *self = GST_EMO_PARSE (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RATE:
      gst_value_set_fraction (value, self->rate_n, self->rate_d);
      break;
    default:
      emo_element_get_field (object, gst_emo_parse_fields, prop_id, value,
          pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStateChangeReturn
gst_emo_parse_change_state (GstElement * element, GstStateChange transition)
{
  GstEmoParse *self = GST_EMO_PARSE (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_emo_parse_reset (self);
  return ret;
}

static GstFlowReturn
gst_emo_parse_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstEmoParse *self = GST_EMO_PARSE (parent);
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  if (self->data->len + map.size > MAX_FILE_SIZE) {
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, STREAM, TOO_LAZY, ("CSV input too large."),
        ("more than %d bytes", MAX_FILE_SIZE));
    return GST_FLOW_ERROR;
  }
  g_byte_array_append (self->data, map.data, map.size);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

/* Picks the columns to output; returns an array of column indices. */
static GArray *
select_columns (GstEmoParse * self, const EmoTable * t, gchar ** missing)
{
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (gint));
  gchar **want = NULL;
  guint i;

  *missing = NULL;
  if (self->columns && *self->columns) {
    want = g_strsplit (self->columns, ",", -1);
    for (i = 0; want[i]; i++) {
      gint c;
      g_strstrip (want[i]);
      c = emo_table_find_column (t, want[i]);
      if (c < 0) {
        *missing = g_strdup (want[i]);
        g_strfreev (want);
        g_array_free (idx, TRUE);
        return NULL;
      }
      g_array_append_val (idx, c);
    }
    g_strfreev (want);
    return idx;
  }
  if (self->content == GST_EMO_PARSE_CONTENT_PREDICTIONS) {
    static const gchar *attrs[] = { "arousal", "valence", "liking" };
    for (i = 0; i < G_N_ELEMENTS (attrs); i++) {
      gint c = emo_table_find_column (t, attrs[i]);
      if (c >= 0)
        g_array_append_val (idx, c);
    }
    if (idx->len > 0)
      return idx;
  }
  for (i = 0; i < t->n_cols; i++) {
    gint c = i;
    g_array_append_val (idx, c);
  }
  return idx;
}

static GstFlowReturn
push_frame (GstEmoParse * self, GstClockTime pts, GstClockTime dur,
    const gfloat * vals, guint n, gboolean gap, const gchar * const *names)
{
  GstBuffer *out;

  /* after a seek: only the frames of the requested segment */
  if (pts + dur <= self->segment.start || (GST_CLOCK_TIME_IS_VALID
          (self->segment.stop) && pts >= self->segment.stop))
    return GST_FLOW_OK;
  out = gst_buffer_new_allocate (NULL, n * sizeof (gfloat), NULL);
  if (gap)
    gst_buffer_memset (out, 0, 0, n * sizeof (gfloat));
  else
    gst_buffer_fill (out, 0, vals, n * sizeof (gfloat));
  GST_BUFFER_PTS (out) = pts;
  GST_BUFFER_DTS (out) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (out) = dur;
  if (gap)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_GAP);
  else if (self->content == GST_EMO_PARSE_CONTENT_PREDICTIONS)
    gst_buffer_add_emo_prediction_meta (out, self->source, 1, n, names, vals,
        NULL);
  return gst_pad_push (self->srcpad, out);
}

/* The input's name for messages: the upstream file, if it says. */
static gchar *
input_name (GstEmoParse * self)
{
  GstQuery *q = gst_query_new_uri ();
  gchar *uri = NULL, *name = NULL;

  if (gst_pad_peer_query (self->sinkpad, q))
    gst_query_parse_uri (q, &uri);
  gst_query_unref (q);
  if (uri)
    name = g_filename_from_uri (uri, NULL, NULL);
  if (!name && uri)
    name = g_strdup (uri);
  g_free (uri);
  return name ? name : g_strdup ("CSV input");
}

static GstFlowReturn
gst_emo_parse_emit (GstEmoParse * self)
{
  GError *err = NULL;
  EmoTable *t;
  GArray *idx;
  gchar *missing = NULL, *layout, *origin;
  GstEmoFramesInfo info;
  GstCaps *caps;
  gchar **names;
  gfloat *row;
  guint i, c, n;
  guint64 next_k = 0;
  gboolean first = TRUE;
  GstFlowReturn ret = GST_FLOW_OK;

  origin = input_name (self);
  t = emo_table_parse_csv ((const gchar *) self->data->data, self->data->len,
      origin, &err);
  g_free (origin);
  /* rows are placed on the frame grid: off-grid, doubled or sparse
   * (milliseconds) timestamps would give wrong or mostly-GAP frames */
  if (t && !emo_table_check_grid (t, (gdouble) self->rate_d / self->rate_n,
          &err))
    g_clear_pointer (&t, emo_table_free);
  if (!t) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Could not parse the CSV input."),
        ("%s", err->message));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }
  idx = select_columns (self, t, &missing);
  if (!idx) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("The CSV input has no column \"%s\".", missing),
        ("columns property: %s", self->columns));
    g_free (missing);
    emo_table_free (t);
    return GST_FLOW_ERROR;
  }
  n = idx->len;
  names = g_new0 (gchar *, n + 1);
  for (c = 0; c < n; c++)
    names[c] = g_strdup (t->col_names[g_array_index (idx, gint, c)]);

  layout = g_strdup (self->content == GST_EMO_PARSE_CONTENT_PREDICTIONS ?
      "predictions" : self->layout);
  gst_emo_frames_info_init (&info);
  if (!gst_emo_frames_info_set (&info, n, self->rate_n, self->rate_d, layout)) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Invalid layout name \"%s\".",
            layout), ("layout names are [A-Za-z0-9_.+-]+"));
    ret = GST_FLOW_ERROR;
    goto done;
  }
  caps = gst_emo_frames_info_to_caps (&info);
  gst_pad_set_caps (self->srcpad, caps);
  gst_caps_unref (caps);
  gst_pad_push_event (self->srcpad,
      gst_emo_event_new_feature_names ((const gchar * const *) names, n));
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&self->segment));

  row = g_new (gfloat, n);
  for (i = 0; i < t->n_rows && ret == GST_FLOW_OK; i++) {
    gdouble ts = t->timestamps[i];
    guint64 k;

    if (ts < 0) {
      GST_WARNING_OBJECT (self, "row %u: negative timestamp %f skipped", i, ts);
      continue;
    }
    k = (guint64) floor (ts * info.rate_n / info.rate_d + 0.5);
    if (!first && k < next_k) {
      GST_DEBUG_OBJECT (self,
          "row %u: slot %" G_GUINT64_FORMAT " already filled", i, k);
      continue;
    }
    if (first)
      next_k = k;
    if (k - next_k > MAX_GAP_FRAMES) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Timestamp jump too large."),
          ("row %u: jump from %f s to %f s", i,
              (gdouble) next_k * info.rate_d / info.rate_n, ts));
      ret = GST_FLOW_ERROR;
      break;
    }
    while (next_k < k && ret == GST_FLOW_OK) {
      ret = push_frame (self, gst_emo_frames_index_to_time (&info, next_k),
          info.hop, NULL, n, TRUE, NULL);
      next_k++;
    }
    if (ret != GST_FLOW_OK)
      break;
    for (c = 0; c < n; c++) {
      gfloat v = t->data[(gsize) i * t->n_cols + g_array_index (idx, gint, c)];
      row[c] = v;
    }
    ret = push_frame (self, gst_emo_frames_index_to_time (&info, k), info.hop,
        row, n, FALSE, (const gchar * const *) names);
    next_k = k + 1;
    first = FALSE;
  }
  g_free (row);

done:
  gst_emo_frames_info_clear (&info);
  g_free (layout);
  g_strfreev (names);
  g_array_free (idx, TRUE);
  emo_table_free (t);
  return ret;
}

static gboolean
gst_emo_parse_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoParse *self = GST_EMO_PARSE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
    case GST_EVENT_SEGMENT:
      /* our own caps and a TIME segment are sent when the file is parsed */
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_EOS:{
      GstFlowReturn ret;
      if (!self->eos_done) {
        self->eos_done = TRUE;
        ret = gst_emo_parse_emit (self);
        if (ret == GST_FLOW_ERROR) {
          /* the error is posted; EOS would preroll the sinks behind it and
           * race with the application's shutdown: end the stream here */
          gst_event_unref (event);
          return FALSE;
        }
        if (ret != GST_FLOW_OK && ret != GST_FLOW_EOS
            && ret != GST_FLOW_FLUSHING)
          GST_ELEMENT_FLOW_ERROR (self, ret);
      }
      break;
    }
    case GST_EVENT_FLUSH_STOP:
      gst_emo_parse_reset_data (self);
      GST_OBJECT_LOCK (self);
      if (self->have_seek)
        self->segment = self->seek_segment;
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* A flushing seek in time: the file is read again from its first byte (the
 * whole file is needed to place rows on the grid) and only the frames of the
 * requested segment are pushed, under that segment. */
static gboolean
gst_emo_parse_src_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstEmoParse *self = GST_EMO_PARSE (parent);
  GstSegment seg;
  GstEvent *upstream;
  gdouble rate;
  GstFormat format;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  gint64 start, stop;
  gboolean ok;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEEK)
    return gst_pad_event_default (pad, parent, event);
  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start,
      &stop_type, &stop);
  if (format != GST_FORMAT_TIME || rate <= 0 || !(flags & GST_SEEK_FLAG_FLUSH)) {
    GST_DEBUG_OBJECT (self, "only flushing forward seeks in time");
    gst_event_unref (event);
    return FALSE;
  }
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_segment_do_seek (&seg, rate, format, flags, start_type, start,
      stop_type, stop, NULL);
  upstream = gst_event_new_seek (1.0, GST_FORMAT_BYTES, GST_SEEK_FLAG_FLUSH,
      GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_NONE, -1);
  gst_event_set_seqnum (upstream, gst_event_get_seqnum (event));
  gst_event_unref (event);
  /* the segment applies from the flush-stop on, which the upstream seek
   * sends before its streaming thread starts again */
  GST_OBJECT_LOCK (self);
  self->seek_segment = seg;
  self->have_seek = TRUE;
  GST_OBJECT_UNLOCK (self);
  ok = gst_pad_push_event (self->sinkpad, upstream);
  GST_OBJECT_LOCK (self);
  self->have_seek = FALSE;
  GST_OBJECT_UNLOCK (self);
  return ok;
}

static gboolean
gst_emo_parse_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:
      /* the whole file is read first: not for live use */
      gst_query_set_latency (query, FALSE, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}
