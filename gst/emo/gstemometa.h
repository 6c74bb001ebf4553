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

GType gst_emo_prediction_meta_api_get_type (void);
const GstMetaInfo *gst_emo_prediction_meta_get_info (void);

GstEmoPredictionMeta *gst_buffer_add_emo_prediction_meta (GstBuffer * buffer,
    const gchar * source, gint stage, guint n_values,
    const gchar * const * names, const gfloat * values,
    const gfloat * confidence);

GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta (GstBuffer * buffer);

GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta_by_source (GstBuffer * buffer,
    const gchar * source);

guint gst_buffer_get_n_emo_prediction_metas (GstBuffer * buffer);

GstEmoPredictionMeta *gst_buffer_get_emo_prediction_meta_nth (GstBuffer * buffer,
    guint order);

GstEmoPredictionMeta *gst_buffer_iterate_emo_prediction_meta (GstBuffer * buffer,
    gpointer * state);

gboolean gst_emo_prediction_meta_lookup (const GstEmoPredictionMeta * meta,
    const gchar * name, gfloat * value);

gfloat gst_emo_prediction_meta_get_value (const GstEmoPredictionMeta * meta,
    guint index);

const gchar *gst_emo_prediction_meta_get_name (const GstEmoPredictionMeta * meta,
    guint index);

gfloat gst_emo_prediction_meta_get_confidence (const GstEmoPredictionMeta * meta,
    guint index);

guint gst_emo_prediction_meta_get_n_values (const GstEmoPredictionMeta * meta);

const gchar *gst_emo_prediction_meta_get_source (const GstEmoPredictionMeta * meta);

GstStructure *gst_emo_prediction_meta_to_structure (const GstEmoPredictionMeta * meta,
    const gchar * name);

GstMessage *gst_emo_prediction_message_new (GstObject * src,
    const GstEmoPredictionMeta * meta, GstSegment * segment, GstBuffer * buffer);

G_END_DECLS

#endif /* __GST_EMO_META_H__ */
