/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_META_H__
#define __GST_EMO_META_H__

#include <gst/gst.h>
#include <gst/emo/emo-prelude.h>

G_BEGIN_DECLS

#define GST_EMO_PREDICTION_META_API_TYPE (gst_emo_prediction_meta_api_get_type ())
#define GST_EMO_PREDICTION_META_INFO (gst_emo_prediction_meta_get_info ())

typedef struct _GstEmoPredictionMeta GstEmoPredictionMeta;

/**
 * GstEmoPredictionMeta:
 * @meta: parent #GstMeta
 * @n_values: number of attributes predicted
 * @values: (array length=n_values): predicted values, one per attribute
 * @confidence: (array length=n_values) (nullable): per-attribute confidence in [0,1], or %NULL
 * @names: (array length=n_values): attribute names ("arousal", "valence", "liking", ...)
 * @source: the stage that produced it ("audio-mtl", "emofuse", ...)
 * @stage: stage index (1 for a model on features, 2.. for fusion stages)
 * @order: position among the prediction metas of the buffer; higher is newer
 *
 * Dimensional emotion predictions attached to an emotion frame. A buffer may
 * carry several: the newest (highest @order) is the answer, older ones are
 * what fusion stages consume. The meta has no tags, so every transform keeps it.
 */
struct _GstEmoPredictionMeta {
  GstMeta meta;

  guint n_values;
  gfloat *values;
  gfloat *confidence;
  gchar **names;
  gchar *source;
  gint stage;
  guint order;
};

GST_EMO_API
GType gst_emo_prediction_meta_api_get_type (void);
GST_EMO_API
const GstMetaInfo *gst_emo_prediction_meta_get_info (void);

GST_EMO_API
GstEmoPredictionMeta *gst_buffer_add_emo_prediction_meta (GstBuffer * buffer,
    const gchar * source, gint stage, guint n_values,
    const gchar * const * names, const gfloat * values,
    const gfloat * confidence);

GST_EMO_API
GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta (GstBuffer * buffer);

GST_EMO_API
GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta_by_source (GstBuffer * buffer,
    const gchar * source);

GST_EMO_API
guint gst_buffer_get_n_emo_prediction_metas (GstBuffer * buffer);

GST_EMO_API
GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta_nth (GstBuffer * buffer,
    guint order);

GST_EMO_API
GstEmoPredictionMeta *gst_buffer_iterate_emo_prediction_meta (GstBuffer * buffer,
    gpointer * state);

GST_EMO_API
gboolean gst_emo_prediction_meta_lookup (const GstEmoPredictionMeta * meta,
    const gchar * name, gfloat * value);

GST_EMO_API
gfloat gst_emo_prediction_meta_get_value (const GstEmoPredictionMeta * meta,
    guint index);

GST_EMO_API
const gchar *gst_emo_prediction_meta_get_name (const GstEmoPredictionMeta * meta,
    guint index);

GST_EMO_API
gfloat gst_emo_prediction_meta_get_confidence (const GstEmoPredictionMeta * meta,
    guint index);

GST_EMO_API
guint gst_emo_prediction_meta_get_n_values (const GstEmoPredictionMeta * meta);

GST_EMO_API
const gchar *gst_emo_prediction_meta_get_source (const GstEmoPredictionMeta * meta);

GST_EMO_API
GstStructure *gst_emo_prediction_meta_to_structure (const GstEmoPredictionMeta * meta,
    const gchar * name);

GST_EMO_API
GstMessage *gst_emo_prediction_message_new (GstObject * src,
    const GstEmoPredictionMeta * meta, const GstSegment * segment, GstBuffer * buffer);

G_END_DECLS

#endif /* __GST_EMO_META_H__ */
