/* Test helper: decode an image or the first frames of a video to 8-bit grey
 * with GStreamer (filesrc ! decodebin ! videoconvert ! GRAY8 ! appsink). */
#ifndef __VISION_TESTUTIL_H__
#define __VISION_TESTUTIL_H__

#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>

/* Returns a tightly packed width*height grey image or NULL. */
static inline guint8 *
vt_load_gray (const gchar * path, gint * width, gint * height)
{
  gchar *desc, *esc;
  GstElement *pipe, *sink;
  GstSample *sample;
  guint8 *img = NULL;

  esc = g_strescape (path, NULL);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert ! "
      "video/x-raw,format=GRAY8 ! appsink name=s sync=false", esc);
  g_free (esc);
  pipe = gst_parse_launch (desc, NULL);
  g_free (desc);
  if (!pipe)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  if (sample) {
    GstVideoInfo info;
    GstVideoFrame frame;
    if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) &&
        gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ)) {
      gint y, w = GST_VIDEO_INFO_WIDTH (&info), h = GST_VIDEO_INFO_HEIGHT (&info);
      img = g_malloc ((gsize) w * h);
      for (y = 0; y < h; y++)
        memcpy (img + (gsize) y * w, (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
            + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), w);
      *width = w;
      *height = h;
      gst_video_frame_unmap (&frame);
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return img;
}

#endif
