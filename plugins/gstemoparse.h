/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_EMO_PARSE_H__
#define __GST_EMO_PARSE_H__

#include <gst/gst.h>
#include <gst/emo/gstemo.h>

G_BEGIN_DECLS

#define GST_TYPE_EMO_PARSE (gst_emo_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstEmoParse, gst_emo_parse, GST, EMO_PARSE, GstElement)

typedef enum {
  GST_EMO_PARSE_CONTENT_FEATURES,
  GST_EMO_PARSE_CONTENT_PREDICTIONS,
} GstEmoParseContent;

struct _GstEmoParse {
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties */
  GstEmoParseContent content;
  gchar *layout;
  gchar *columns;
  gchar *source;
  gint rate_n, rate_d;

  /* state */
  GByteArray *data;
  gboolean eos_done;
  gboolean upstream_is_time;
  GstSegment segment;           /* of the output: TIME from 0, or a seek's */
  GstSegment seek_segment;      /* under the object lock: seek in progress */
  gboolean have_seek;
};

G_END_DECLS

#endif
