/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_EMO_OVERLAY_H__
#define __GST_EMO_OVERLAY_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <cairo.h>
#include <gst/emo/gstemo.h>

G_BEGIN_DECLS

#define GST_TYPE_EMO_OVERLAY (gst_emo_overlay_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoOverlay, gst_emo_overlay, GST, EMO_OVERLAY, GstElement)

typedef enum {
  GST_EMO_OVERLAY_POSITION_TOP_LEFT,
  GST_EMO_OVERLAY_POSITION_TOP_RIGHT,
  GST_EMO_OVERLAY_POSITION_BOTTOM_LEFT,
  GST_EMO_OVERLAY_POSITION_BOTTOM_RIGHT,
} GstEmoOverlayPosition;

typedef enum {
  GST_EMO_OVERLAY_PARTS_BARS = 1 << 0,
  GST_EMO_OVERLAY_PARTS_PLANE = 1 << 1,
  GST_EMO_OVERLAY_PARTS_FACE = 1 << 2,
  GST_EMO_OVERLAY_PARTS_LANDMARKS = 1 << 3,
} GstEmoOverlayParts;

#define GST_EMO_OVERLAY_N_LANDMARKS 68

/* One emotion frame as the overlay keeps it (no buffer is held). Times are
 * running times. */
typedef struct {
  GstClockTime start;
  GstClockTime end;
  gboolean gap;
  gboolean has_pred;
  gboolean present[3];          /* arousal, valence, liking */
  gfloat values[3];
  gboolean has_face;
  gint face_x, face_y, face_w, face_h;
  /* the face meta's `landmarks` parameter (emovisfeat vis-v2), if any */
  gboolean has_landmarks;
  gfloat landmarks[2 * GST_EMO_OVERLAY_N_LANDMARKS];
} GstEmoOverlayFrame;

typedef struct {
  GstClockTime t;
  gfloat arousal;
  gfloat valence;
} GstEmoOverlayTrailPoint;

struct _GstEmoOverlay {
  GstElement parent;

  GstPad *video_sinkpad;
  GstPad *emo_sinkpad;
  GstPad *srcpad;

  /* properties (object lock) */
  GstEmoOverlayPosition position;
  gdouble scale;
  gdouble opacity;
  GstClockTime trail_length;
  GstClockTime hold_time;
  guint parts;
  gboolean wait;

  /* video (streaming thread of the video pad) */
  GstVideoInfo vinfo;
  gboolean have_vinfo;
  GstSegment video_segment;

  /* shared between the two streaming threads (lock + cond) */
  GMutex lock;
  GCond cond;
  gboolean video_flushing;
  gboolean video_eos;
  gboolean emo_flushing;
  gboolean emo_eos;
  GstSegment emo_segment;
  GstClockTime emo_hop;
  GstClockTime emo_known_until;  /* emo frames are known up to this running time */
  GQueue pending;                /* GstEmoOverlayFrame*, not yet reached by the video */
  GArray *trail;                 /* GstEmoOverlayTrailPoint, oldest first */
  GstEmoOverlayFrame current;    /* newest frame reached by the video */
  gboolean have_current;
  GstEmoOverlayFrame shown;      /* newest frame with a prediction reached */
  gboolean have_shown;
  guint64 shown_serial;

  /* drawing cache (video thread) */
  cairo_surface_t *layer;
  gpointer blend_cache;
  gpointer panel_cache;          /* EmoPanelCache: the static part of the panel */          /* EmoBlendCache: the layer converted for YUV */
  guint64 layer_serial;
  guint layer_parts;
  gdouble layer_scale;
  gdouble layer_opacity;
  GstClockTime layer_trail;
  gboolean layer_valid;
};

G_END_DECLS

#endif /* __GST_EMO_OVERLAY_H__ */
