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

typedef struct
{
  GstClockTime hop, window, hold_time;
  gchar *cascade;
  guint detect_interval, min_face_size, min_neighbors;
  gdouble scale_factor;
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
  GstClockTime last_pts, frame_duration;
};

G_END_DECLS

#endif /* __GST_EMO_VISFEAT_H__ */
