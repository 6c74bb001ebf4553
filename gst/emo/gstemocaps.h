/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_CAPS_H__
#define __GST_EMO_CAPS_H__

#include <gst/gst.h>
#include <gst/emo/emo-prelude.h>

G_BEGIN_DECLS

/**
 * GST_EMO_FRAMES_MEDIA_TYPE:
 *
 * Media type of the emotion frame stream: one buffer per hop holding
 * `dims` native-endian float32 values.
 */
#define GST_EMO_FRAMES_MEDIA_TYPE "application/x-emo-frames"

/**
 * GST_EMO_FRAMES_CAPS_TEMPLATE:
 *
 * Template caps string matching any emotion frame stream.
 */
#define GST_EMO_FRAMES_CAPS_TEMPLATE GST_EMO_FRAMES_MEDIA_TYPE ", " \
    "dims = (int) [ 1, 65535 ], rate = (fraction) [ 1/1, 1000/1 ]"

#define GST_EMO_FRAMES_DEFAULT_RATE_N 10
#define GST_EMO_FRAMES_DEFAULT_RATE_D 1

#define GST_EMO_FRAMES_MAX_DIMS 65535

typedef struct _GstEmoFramesInfo GstEmoFramesInfo;

/**
 * GstEmoFramesInfo:
 * @dims: number of float32 values per frame
 * @rate_n: frame rate numerator (frames per second)
 * @rate_d: frame rate denominator
 * @layout: name of the feature vector layout
 * @hop: duration of one frame (1 / rate) in nanoseconds
 */
struct _GstEmoFramesInfo {
  guint dims;
  gint rate_n;
  gint rate_d;
  gchar *layout;
  GstClockTime hop;
};

GST_EMO_API
void gst_emo_frames_info_init (GstEmoFramesInfo * info);
GST_EMO_API
void gst_emo_frames_info_clear (GstEmoFramesInfo * info);
GST_EMO_API
gboolean gst_emo_frames_info_set (GstEmoFramesInfo * info, guint dims,
    gint rate_n, gint rate_d, const gchar * layout);
GST_EMO_API
gboolean gst_emo_frames_info_from_caps (GstEmoFramesInfo * info, const GstCaps * caps);
GST_EMO_API
GstCaps *gst_emo_frames_info_to_caps (const GstEmoFramesInfo * info);
GST_EMO_API
gboolean gst_emo_frames_info_is_equal (const GstEmoFramesInfo * a, const GstEmoFramesInfo * b);

GST_EMO_API
GstCaps *gst_emo_frames_caps_new (guint dims, gint rate_n, gint rate_d, const gchar * layout);

GST_EMO_API
gboolean gst_emo_layout_is_valid (const gchar * layout);

GST_EMO_API
guint64 gst_emo_frames_time_to_index (const GstEmoFramesInfo * info, GstClockTime t);
GST_EMO_API
GstClockTime gst_emo_frames_index_to_time (const GstEmoFramesInfo * info, guint64 k);

/* Feature names travel as a custom sticky downstream event. */

/**
 * GST_EMO_FEATURE_NAMES_EVENT_NAME:
 *
 * Name of the structure of the sticky custom downstream event that carries
 * the names of the features of an emotion frame stream.
 */
#define GST_EMO_FEATURE_NAMES_EVENT_NAME "GstEmoFeatureNames"

GST_EMO_API
GstEvent *gst_emo_event_new_feature_names (const gchar * const * names, guint n_names);
GST_EMO_API
gboolean gst_emo_event_is_feature_names (GstEvent * event);
GST_EMO_API
gboolean gst_emo_event_parse_feature_names (GstEvent * event, gchar *** names, guint * n_names);

GST_EMO_API
gchar **gst_emo_feature_names_default (const gchar * prefix, guint n);

G_END_DECLS

#endif /* __GST_EMO_CAPS_H__ */
