/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:gstemometa
 * @title: GstEmoPredictionMeta
 * @short_description: dimensional emotion predictions on emotion frames
 *
 * Every stage that predicts (emomtl, emofuse) adds one #GstEmoPredictionMeta
 * to the emotion frame it outputs. Stages never remove older ones, so a frame
 * that went through two stages carries both; gst_buffer_get_emo_prediction_meta()
 * returns the newest.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include "gstemometa.h"

static gboolean
gst_emo_prediction_meta_init (GstMeta * meta, gpointer params,
    GstBuffer * buffer)
{
  GstEmoPredictionMeta *m = (GstEmoPredictionMeta *) meta;

  m->n_values = 0;
  m->values = NULL;
  m->confidence = NULL;
  m->names = NULL;
  m->source = NULL;
  m->stage = 0;
  m->order = 0;
  return TRUE;
}

static void
gst_emo_prediction_meta_free (GstMeta * meta, GstBuffer * buffer)
{
  GstEmoPredictionMeta *m = (GstEmoPredictionMeta *) meta;

  g_free (m->values);
  g_free (m->confidence);
  g_strfreev (m->names);
  g_free (m->source);
  m->values = NULL;
  m->confidence = NULL;
  m->names = NULL;
  m->source = NULL;
}

static void
fill_meta (GstEmoPredictionMeta * m, const gchar * source, gint stage,
    guint n_values, const gchar * const *names, const gfloat * values,
    const gfloat * confidence)
{
  guint i;

  m->n_values = n_values;
  m->values = g_new0 (gfloat, MAX (n_values, 1));
  if (values)
    memcpy (m->values, values, n_values * sizeof (gfloat));
  m->confidence = NULL;
  if (confidence) {
    m->confidence = g_new (gfloat, MAX (n_values, 1));
    memcpy (m->confidence, confidence, n_values * sizeof (gfloat));
  }
  m->names = g_new0 (gchar *, n_values + 1);
  for (i = 0; i < n_values; i++)
    m->names[i] = g_strdup ((names && names[i]) ? names[i] : "");
  m->source = g_strdup (source ? source : "");
  m->stage = stage;
}

static gboolean
gst_emo_prediction_meta_transform (GstBuffer * dest, GstMeta * meta,
    GstBuffer * buffer, GQuark type, gpointer data)
{
  GstEmoPredictionMeta *src = (GstEmoPredictionMeta *) meta;
  GstEmoPredictionMeta *dst;

  /* Predictions describe the whole frame, so a copy (whole or part of the
   * buffer) keeps them unchanged; other transforms (scaling, conversion)
   * have no meaning for them and drop them, as GstAudioLevelMeta does. */
  if (!GST_META_TRANSFORM_IS_COPY (type))
    return FALSE;
  dst = (GstEmoPredictionMeta *) gst_buffer_add_meta (dest,
      GST_EMO_PREDICTION_META_INFO, NULL);
  if (!dst)
    return FALSE;
  fill_meta (dst, src->source, src->stage, src->n_values,
      (const gchar * const *) src->names, src->values, src->confidence);
  dst->order = src->order;
  return TRUE;
}

/**
 * gst_emo_prediction_meta_api_get_type:
 *
 * The API type of #GstEmoPredictionMeta. It has no tags: predictions are
 * pure content, so transforms that copy buffers keep them.
 *
 * Returns: the #GType of the meta API
 *
 * Since: 0.1
 */
GType
gst_emo_prediction_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType _type = gst_meta_api_type_register ("GstEmoPredictionMetaAPI", tags);
    g_once_init_leave (&type, _type);
  }
  return type;
}

/**
 * gst_emo_prediction_meta_get_info:
 *
 * Registers the meta implementation on first use.
 *
 * Returns: the #GstMetaInfo of #GstEmoPredictionMeta
 *
 * Since: 0.1
 */
const GstMetaInfo *
gst_emo_prediction_meta_get_info (void)
{
  static const GstMetaInfo *meta_info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) & meta_info)) {
    const GstMetaInfo *mi = gst_meta_register (GST_EMO_PREDICTION_META_API_TYPE,
        "GstEmoPredictionMeta", sizeof (GstEmoPredictionMeta),
        gst_emo_prediction_meta_init, gst_emo_prediction_meta_free,
        gst_emo_prediction_meta_transform);
    g_once_init_leave ((GstMetaInfo **) & meta_info, (GstMetaInfo *) mi);
  }
  return meta_info;
}

/**
 * gst_buffer_iterate_emo_prediction_meta:
 * @buffer: a #GstBuffer
 * @state: (inout) (nullable): an opaque state pointer, %NULL to start
 *
 * Iterate the prediction metas of @buffer (in no particular order; use
 * #GstEmoPredictionMeta.order to sort).
 *
 * Returns: (transfer none) (nullable): the next meta or %NULL when done
 *
 * Since: 0.1
 */
GstEmoPredictionMeta *
gst_buffer_iterate_emo_prediction_meta (GstBuffer * buffer, gpointer * state)
{
  return (GstEmoPredictionMeta *) gst_buffer_iterate_meta_filtered (buffer,
      state, GST_EMO_PREDICTION_META_API_TYPE);
}

/**
 * gst_buffer_get_n_emo_prediction_metas:
 * @buffer: a #GstBuffer
 *
 * Returns: how many prediction metas @buffer carries
 *
 * Since: 0.1
 */
guint
gst_buffer_get_n_emo_prediction_metas (GstBuffer * buffer)
{
  gpointer state = NULL;
  guint n = 0;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), 0);
  while (gst_buffer_iterate_emo_prediction_meta (buffer, &state))
    n++;
  return n;
}

/**
 * gst_buffer_add_emo_prediction_meta:
 * @buffer: a writable #GstBuffer
 * @source: name of the producing stage
 * @stage: stage index
 * @n_values: number of attributes
 * @names: (array length=n_values): attribute names
 * @values: (array length=n_values): predicted values
 * @confidence: (array length=n_values) (nullable): confidences or %NULL
 *
 * Adds a prediction as the newest one of @buffer.
 *
 * Returns: (transfer none): the added meta
 *
 * Since: 0.1
 */
GstEmoPredictionMeta *
gst_buffer_add_emo_prediction_meta (GstBuffer * buffer, const gchar * source,
    gint stage, guint n_values, const gchar * const *names,
    const gfloat * values, const gfloat * confidence)
{
  GstEmoPredictionMeta *m;
  GstEmoPredictionMeta *it;
  gpointer state = NULL;
  guint order = 0;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (gst_buffer_is_writable (buffer), NULL);
  g_return_val_if_fail (n_values == 0 || values != NULL, NULL);

  while ((it = gst_buffer_iterate_emo_prediction_meta (buffer, &state)))
    order = MAX (order, it->order + 1);

  m = (GstEmoPredictionMeta *) gst_buffer_add_meta (buffer,
      GST_EMO_PREDICTION_META_INFO, NULL);
  if (!m)
    return NULL;
  fill_meta (m, source, stage, n_values, names, values, confidence);
  m->order = order;
  return m;
}

/**
 * gst_buffer_get_emo_prediction_meta_nth:
 * @buffer: a #GstBuffer
 * @order: position (0 = oldest)
 *
 * Returns: (transfer none) (nullable): the meta at position @order
 *
 * Since: 0.1
 */
GstEmoPredictionMeta *
gst_buffer_get_emo_prediction_meta_nth (GstBuffer * buffer, guint order)
{
  GstEmoPredictionMeta *it;
  gpointer state = NULL;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  while ((it = gst_buffer_iterate_emo_prediction_meta (buffer, &state)))
    if (it->order == order)
      return it;
  return NULL;
}

/**
 * gst_buffer_get_emo_prediction_meta:
 * @buffer: a #GstBuffer
 *
 * Returns: (transfer none) (nullable): the newest prediction of @buffer
 *
 * Since: 0.1
 */
GstEmoPredictionMeta *
gst_buffer_get_emo_prediction_meta (GstBuffer * buffer)
{
  GstEmoPredictionMeta *it, *best = NULL;
  gpointer state = NULL;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  while ((it = gst_buffer_iterate_emo_prediction_meta (buffer, &state)))
    if (!best || it->order > best->order)
      best = it;
  return best;
}

/**
 * gst_buffer_get_emo_prediction_meta_by_source:
 * @buffer: a #GstBuffer
 * @source: a stage name
 *
 * Returns: (transfer none) (nullable): the newest prediction from @source
 *
 * Since: 0.1
 */
GstEmoPredictionMeta *
gst_buffer_get_emo_prediction_meta_by_source (GstBuffer * buffer,
    const gchar * source)
{
  GstEmoPredictionMeta *it, *best = NULL;
  gpointer state = NULL;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (source != NULL, NULL);
  while ((it = gst_buffer_iterate_emo_prediction_meta (buffer, &state)))
    if (g_strcmp0 (it->source, source) == 0 && (!best
            || it->order > best->order))
      best = it;
  return best;
}

/**
 * gst_emo_prediction_meta_lookup:
 * @meta: a #GstEmoPredictionMeta
 * @name: attribute name
 * @value: (out): the value
 *
 * Returns: %TRUE if @meta predicts @name
 *
 * Since: 0.1
 */
gboolean
gst_emo_prediction_meta_lookup (const GstEmoPredictionMeta * meta,
    const gchar * name, gfloat * value)
{
  guint i;

  g_return_val_if_fail (meta != NULL, FALSE);
  for (i = 0; i < meta->n_values; i++) {
    if (g_strcmp0 (meta->names[i], name) == 0) {
      if (value)
        *value = meta->values[i];
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * gst_emo_prediction_meta_get_value:
 * @meta: a #GstEmoPredictionMeta
 * @index: attribute index
 *
 * Returns: the value, NaN if @index is out of range
 *
 * Since: 0.1
 */
gfloat
gst_emo_prediction_meta_get_value (const GstEmoPredictionMeta * meta,
    guint index)
{
  g_return_val_if_fail (meta != NULL, NAN);
  return index < meta->n_values ? meta->values[index] : NAN;
}

/**
 * gst_emo_prediction_meta_get_confidence:
 * @meta: a #GstEmoPredictionMeta
 * @index: attribute index
 *
 * Returns: the confidence, or -1 if none
 *
 * Since: 0.1
 */
gfloat
gst_emo_prediction_meta_get_confidence (const GstEmoPredictionMeta * meta,
    guint index)
{
  g_return_val_if_fail (meta != NULL, -1.0f);
  return (meta->confidence
      && index < meta->n_values) ? meta->confidence[index] : -1.0f;
}

/**
 * gst_emo_prediction_meta_get_name:
 * @meta: a #GstEmoPredictionMeta
 * @index: attribute index
 *
 * Returns: (nullable): the attribute name
 *
 * Since: 0.1
 */
const gchar *
gst_emo_prediction_meta_get_name (const GstEmoPredictionMeta * meta,
    guint index)
{
  g_return_val_if_fail (meta != NULL, NULL);
  return index < meta->n_values ? meta->names[index] : NULL;
}

/**
 * gst_emo_prediction_meta_get_n_values:
 * @meta: a #GstEmoPredictionMeta
 *
 * Returns: the number of attributes
 *
 * Since: 0.1
 */
guint
gst_emo_prediction_meta_get_n_values (const GstEmoPredictionMeta * meta)
{
  g_return_val_if_fail (meta != NULL, 0);
  return meta->n_values;
}

/**
 * gst_emo_prediction_meta_get_source:
 * @meta: a #GstEmoPredictionMeta
 *
 * Returns: the producing stage
 *
 * Since: 0.1
 */
const gchar *
gst_emo_prediction_meta_get_source (const GstEmoPredictionMeta * meta)
{
  g_return_val_if_fail (meta != NULL, NULL);
  return meta->source;
}

/**
 * gst_emo_prediction_meta_to_structure:
 * @meta: a #GstEmoPredictionMeta
 * @name: structure name
 *
 * Builds a structure with `source` (string), `stage` (int) and one double
 * field per attribute, named after it.
 *
 * Returns: (transfer full): a new #GstStructure
 *
 * Since: 0.1
 */
GstStructure *
gst_emo_prediction_meta_to_structure (const GstEmoPredictionMeta * meta,
    const gchar * name)
{
  GstStructure *s;
  guint i;

  g_return_val_if_fail (meta != NULL, NULL);
  s = gst_structure_new (name, "source", G_TYPE_STRING, meta->source,
      "stage", G_TYPE_INT, meta->stage, NULL);
  for (i = 0; i < meta->n_values; i++) {
    if (meta->names[i] && meta->names[i][0])
      gst_structure_set (s, meta->names[i], G_TYPE_DOUBLE,
          (gdouble) meta->values[i], NULL);
  }
  return s;
}

/**
 * gst_emo_prediction_message_new:
 * @src: the posting element
 * @meta: the prediction
 * @segment: (nullable): the segment of @buffer, for running time
 * @buffer: the emotion frame carrying @meta
 *
 * Builds the element message emotion elements post, named after the element
 * factory (`emomtl`, `emofuse`). Fields: `timestamp`, `stream-time`,
 * `running-time`, `duration` (guint64, ns), `source` (string), `stage` (int),
 * `gap` (boolean), then one double per attribute (`arousal`, `valence`, ...).
 *
 * Returns: (transfer full): a new element message
 *
 * Since: 0.1
 */
GstMessage *
gst_emo_prediction_message_new (GstObject * src,
    const GstEmoPredictionMeta * meta, const GstSegment * segment,
    GstBuffer * buffer)
{
  GstStructure *s;
  GstElementFactory *f = NULL;
  const gchar *name = "emo";
  GstClockTime ts, rt = GST_CLOCK_TIME_NONE, st = GST_CLOCK_TIME_NONE;

  g_return_val_if_fail (meta != NULL, NULL);
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  if (src && GST_IS_ELEMENT (src))
    f = gst_element_get_factory (GST_ELEMENT (src));
  if (f)
    name = gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (f));

  ts = GST_BUFFER_PTS (buffer);
  if (segment && segment->format == GST_FORMAT_TIME
      && GST_CLOCK_TIME_IS_VALID (ts)) {
    rt = gst_segment_to_running_time (segment, GST_FORMAT_TIME, ts);
    st = gst_segment_to_stream_time (segment, GST_FORMAT_TIME, ts);
  }
  s = gst_emo_prediction_meta_to_structure (meta, name);
  gst_structure_set (s,
      "timestamp", G_TYPE_UINT64, ts,
      "stream-time", G_TYPE_UINT64, st,
      "running-time", G_TYPE_UINT64, rt,
      "duration", G_TYPE_UINT64, GST_BUFFER_DURATION (buffer),
      "gap", G_TYPE_BOOLEAN, GST_BUFFER_FLAG_IS_SET (buffer,
          GST_BUFFER_FLAG_GAP), NULL);
  return gst_message_new_element (src, s);
}
