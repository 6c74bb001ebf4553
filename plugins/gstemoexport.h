/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_EMO_EXPORT_H__
#define __GST_EMO_EXPORT_H__

#include <gst/gst.h>
#include <gst/emo/gstemo.h>

G_BEGIN_DECLS

#define GST_TYPE_EMO_EXPORT (gst_emo_export_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoExport, gst_emo_export, GST, EMO_EXPORT, GstElement)

typedef enum {
  GST_EMO_EXPORT_FORMAT_CSV,
  GST_EMO_EXPORT_FORMAT_JSONL,
  GST_EMO_EXPORT_FORMAT_WEBVTT,
} GstEmoExportFormat;

struct _GstEmoExport {
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties */
  GstEmoExportFormat format;
  guint precision;
  gboolean features;
  gboolean merge_cues;
  gchar *name;

  /* stream state */
  GstEmoFramesInfo info;
  gboolean have_info;
  gchar **feature_names;
  guint n_feature_names;
  gchar **pred_names;           /* prediction columns fixed by the first frame (csv) */
  gboolean header_done;
  GstSegment segment;
  gboolean caps_sent;

  /* webvtt cue merging */
  gchar *cue_text;
  GstClockTime cue_start;
  GstClockTime cue_end;
};

G_END_DECLS

#endif
