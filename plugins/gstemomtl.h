/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_MTL_H__
#define __GST_EMO_MTL_H__

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>
#include <gst/emo/gstemo.h>

#include "ml/emo-runner.h"

G_BEGIN_DECLS

#define GST_TYPE_EMO_MTL (gst_emo_mtl_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoMtl, gst_emo_mtl, GST, EMO_MTL, GstBaseTransform)

typedef enum {
  GST_EMO_MTL_GAP_HOLD = 0,
  GST_EMO_MTL_GAP_SKIP = 1,
} GstEmoMtlGapPolicy;

typedef enum {
  GST_EMO_MTL_NORMALISE_AUTO = 0,
  GST_EMO_MTL_NORMALISE_FIXED = 1,
  GST_EMO_MTL_NORMALISE_STREAM = 2,
} GstEmoMtlNormalise;

struct _GstEmoMtl {
  GstBaseTransform parent;

  /* properties (GST_OBJECT_LOCK) */
  gchar *model_path;
  gchar *source;
  gboolean post_messages;
  GstEmoMtlGapPolicy gap_policy;
  guint reset_interval;
  GstEmoMtlNormalise normalise;
  gdouble norm_warmup, norm_window;
  gchar *norm_stats;

  /* streaming state (streaming thread; created in start, freed in stop) */
  EmoModel *model;
  gchar *source_name;          /* source written into the meta */
  EmoModelRunner *runner;       /* normalise, forward, guard; runner->norm:
                                 * running per-stream statistics, or NULL */
  gchar *norm_stats_path;       /* speaker profile to write back, or NULL */
  guint64 norm_saved_frames;    /* norm->frames when last written */
  float *y;                    /* one prediction */
  gboolean caps_error_posted;   /* one error per stream, not per retry */
  guint64 frames_since_reset;
  guint dims;
};

G_END_DECLS

#endif
