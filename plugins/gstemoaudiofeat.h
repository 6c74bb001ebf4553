/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_AUDIO_FEAT_H__
#define __GST_EMO_AUDIO_FEAT_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>
#include <gst/emo/gstemo.h>

#include "dsp/emo-audiofeat.h"

G_BEGIN_DECLS

#define GST_TYPE_EMO_AUDIO_FEAT (gst_emo_audio_feat_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoAudioFeat, gst_emo_audio_feat, GST, EMO_AUDIO_FEAT, GstElement)

struct _GstEmoAudioFeat {
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties (GST_OBJECT_LOCK) */
  EmoFeatureSet feature_set;
  GstClockTime window;
  GstClockTime hop;
  gboolean low_latency;

  /* stream state (streaming thread) */
  GstAudioInfo info;
  gboolean have_info;
  GstCaps *refused_caps;        /* reported once */
  EmoAudioFeat *af;             /* created on the first buffer */
  EmoFeatureSet cur_set;
  GstClockTime cur_hop;
  GstEmoFramesInfo frames;
  gboolean caps_sent;
  gboolean names_sent;
  GstSegment segment;
  gboolean anchored;            /* the kernel's sample 0 sits on a grid point */
  guint64 base_k;               /* grid index of the kernel's frame 0 */
  guint64 next_k;               /* next grid index to push */
  gboolean have_next_k;
  guint64 skip;                 /* samples to drop to reach the grid point */
  GstClockTime expected;        /* running time of the next input sample */
  guint64 anchor_samples;       /* samples since the anchor (incl. skipped) */
  GstClockTime anchor_rt;
  gfloat *mono;
  gsize mono_len;
  GQueue out;                   /* frames made by the kernel callback */
};

G_END_DECLS

#endif
