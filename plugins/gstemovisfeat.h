/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_VISFEAT_H__
#define __GST_EMO_VISFEAT_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/emo/gstemo.h>

#include "vision/emo-cascade.h"
#include "vision/emo-facefeat.h"
#include "vision/emo-facenet.h"
#include "vision/emo-visdesc.h"
#include "vision/emo-track.h"

G_BEGIN_DECLS

#define GST_TYPE_EMO_VISFEAT (gst_emo_visfeat_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoVisfeat, gst_emo_visfeat, GST, EMO_VISFEAT, GstElement)

/* the kernel's rules, values shared */
typedef enum
{
  GST_EMO_VISFEAT_SELECT_LARGEST = EMO_FACE_SELECT_LARGEST,
  GST_EMO_VISFEAT_SELECT_CENTER = EMO_FACE_SELECT_CENTER,
  GST_EMO_VISFEAT_SELECT_STICKY = EMO_FACE_SELECT_STICKY,
} GstEmoVisfeatSelection;

typedef enum
{
  GST_EMO_VISFEAT_ROI_AUTO,
  GST_EMO_VISFEAT_ROI_UPSTREAM,
  GST_EMO_VISFEAT_ROI_DETECTOR,
} GstEmoVisfeatRoiSource;

typedef enum
{
  GST_EMO_VISFEAT_DETECTOR_CNN,
  GST_EMO_VISFEAT_DETECTOR_CASCADE,
} GstEmoVisfeatDetector;

typedef enum
{
  GST_EMO_VISFEAT_FEATURES_V2,
  GST_EMO_VISFEAT_FEATURES_V1,
} GstEmoVisfeatFeatureSet;

/* faces analysed (landmarks + expression) per analysis, at most */
#define GST_EMO_VISFEAT_MAX_FACES 8

/* one face of the current hop's analysis, for the output metas */
typedef struct
{
  EmoRect box;
  gfloat score;                 /* detector score, 0 when not from the CNN */
  gboolean followed;
  gboolean analysed;            /* landmarks and probs hold values */
  gfloat landmarks[2 * EMO_FACEFEAT_N_POINTS];
  gfloat probs[EMO_FACEFEAT_N_EXPR];
} GstEmoVisfeatFace;

typedef struct
{
  GstClockTime hop, window, hold_time;
  gchar *cascade, *face_models;
  guint detect_interval, min_face_size, min_neighbors;
  guint detector_size, landmark_interval;
  gdouble scale_factor, min_score;
  GstEmoVisfeatDetector detector;
  GstEmoVisfeatFeatureSet feature_set;
  GstEmoVisfeatSelection selection;
  GstEmoVisfeatRoiSource roi_source;
  gboolean post_messages;
} GstEmoVisfeatSettings;

struct _GstEmoVisfeat
{
  GstElement parent;

  GstPad *sinkpad, *srcpad;

  /* properties (under the object lock) */
  GstEmoVisfeatSettings props;

  /* streaming state (streaming thread only) */
  GstEmoVisfeatSettings cur;    /* settings copied at start */
  GstVideoInfo vinfo;
  gboolean have_vinfo;
  GstSegment segment;
  gboolean src_caps_sent;
  EmoCascade *cascade;
  EmoDetector *detector;
  EmoFaceNets *nets;
  EmoFaceBox cnn_boxes[GST_EMO_VISFEAT_MAX_FACES];
  guint n_cnn_boxes;
  /* the frame as packed RGB for the nets, made on demand */
  GstVideoConverter *convert;
  GstVideoInfo rgb_info;
  GstBuffer *rgb_buf;           /* owns rgb */
  guint8 *rgb;
  gboolean rgb_ready;
  guint pool_dims;
  GArray *dets;
  guint8 *gray;
  gsize gray_alloc;
  EmoVisTrack track;
  EmoVisPool *pool;
  gfloat *frame_vec;
  guint window_hops;
  GstEmoFramesInfo frames;      /* output rate and layout */

  /* face tracking */
  EmoFaceFollow follow;
  GArray *upstream;             /* EmoRect: face metas of this frame */
  gboolean upstream_latched;

  /* hop bookkeeping */
  gboolean have_hop;
  guint64 hop_index;
  gboolean hop_has_box;
  EmoRect hop_box;
  guint hop_faces;
  gboolean hop_analysed;        /* vis-v2: the hop's analysis slot is used */
  guint frames_since_analysis;
  GstEmoVisfeatFace hop_face[GST_EMO_VISFEAT_MAX_FACES];
  guint n_hop_face;
  GstClockTime last_pts, frame_duration;
};

G_END_DECLS

#endif /* __GST_EMO_VISFEAT_H__ */
