/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_EMO_FUSE_H__
#define __GST_EMO_FUSE_H__

#include <gst/gst.h>
#include <gst/base/gstaggregator.h>
#include <gst/emo/gstemo.h>

#include "ml/fuse-model.h"

G_BEGIN_DECLS

#define GST_TYPE_EMO_FUSE_PAD (gst_emo_fuse_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoFusePad, gst_emo_fuse_pad, GST, EMO_FUSE_PAD, GstAggregatorPad)

#define GST_TYPE_EMO_FUSE (gst_emo_fuse_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoFuse, gst_emo_fuse, GST, EMO_FUSE, GstAggregator)

typedef enum {
  GST_EMO_FUSE_MODE_CONCAT,
  GST_EMO_FUSE_MODE_MEAN,
  GST_EMO_FUSE_MODE_WEIGHTED,
  GST_EMO_FUSE_MODE_MODEL,
} GstEmoFuseMode;

struct _GstEmoFusePad {
  GstAggregatorPad parent;

  /* streaming thread / under the element's object lock */
  GstEmoFramesInfo info;
  gboolean have_info;
  gchar **feature_names;
  guint n_feature_names;
  /* hold-last state */
  gfloat *last_frame;           /* info.dims values of the newest frame */
  gfloat *last_attr;            /* model mode: one value per model attribute */
  gboolean *have_attr;
};

struct _GstEmoFuse {
  GstAggregator parent;

  /* properties */
  GstEmoFuseMode mode;
  gdouble *weights;
  guint n_weights;
  gchar *model_path;
  gboolean causal;
  gboolean post_messages;

  /* state */
  EmoFuseModel *model;
  EmoFuseRunner *runner;
  GstEmoFramesInfo out_info;
  gboolean have_out_info;
  gchar **attrs;                /* output attribute names */
  guint n_attrs;
  gfloat *last_out;             /* hold for attributes no pad gave */
  gboolean have_last_out;
  guint64 next_slot;
  gboolean have_slot;
  gboolean names_sent;
  GQueue pending;               /* model mode: buffers waiting for fused values */
  gint max_stage;
};

G_END_DECLS

#endif
