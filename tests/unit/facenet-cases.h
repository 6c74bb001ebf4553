/* Test images of the face networks, shared by the reference test
 * (test-vision-facenet.c), its dump mode (which feeds the JavaScript
 * reference, bench/facenet-reference.js) and the speed bench: media decoded
 * once with GStreamer to packed RGB (filesrc ! decodebin ! videoconvert !
 * RGB), then transformed with exact integer operations (nearest-neighbour
 * scaling, crops, flips) so that both sides see the same bytes. */
#ifndef FACENET_CASES_H
#define FACENET_CASES_H

#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>

typedef struct
{
  guint8 *rgb;                  /* tightly packed, stride = 3 * width */
  int width, height;
} FnImage;

static inline void
fn_image_clear (FnImage * im)
{
  g_free (im->rgb);
  im->rgb = NULL;
}

/* Frame @frame (0 = first) of an image or video, as packed RGB. */
static inline gboolean
fn_decode (const gchar * path, int frame, FnImage * im)
{
  gchar *esc = g_strescape (path, NULL);
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! video/x-raw,format=RGB ! appsink name=s sync=false",
      esc);
  GstElement *pipe = gst_parse_launch (desc, NULL), *sink;
  GstSample *sample = NULL;
  int i;

  g_free (esc);
  g_free (desc);
  im->rgb = NULL;
  if (!pipe)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  for (i = 0; i <= frame; i++) {
    if (sample)
      gst_sample_unref (sample);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        10 * GST_SECOND);
    if (!sample)
      break;
  }
  if (sample) {
    GstVideoInfo info;
    GstVideoFrame vf;
    if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
        && gst_video_frame_map (&vf, &info, gst_sample_get_buffer (sample),
            GST_MAP_READ)) {
      int y, w = GST_VIDEO_INFO_WIDTH (&info), h = GST_VIDEO_INFO_HEIGHT (&info);
      im->rgb = g_malloc ((gsize) w * h * 3);
      for (y = 0; y < h; y++)
        memcpy (im->rgb + (gsize) y * w * 3,
            (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vf, 0)
            + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0), w * 3);
      im->width = w;
      im->height = h;
      gst_video_frame_unmap (&vf);
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return im->rgb != NULL;
}

typedef enum
{
  FN_FULL,
  FN_SCALE,                     /* a = numerator, b = denominator */
  FN_CROP,                      /* a, b, c, d = x, y, w, h (clipped) */
  FN_HFLIP,
  FN_VFLIP,
  FN_BLACK,                     /* a x b black image, no file */
} FnOp;

typedef struct
{
  const gchar *name;
  const gchar *file;            /* inside the opencv-doc data folder */
  int frame;
  FnOp op;
  int a, b, c, d;
} FnCase;

#define FN_OPENCV_DATA "/usr/share/doc/opencv-doc/examples/data"

static const FnCase fn_cases[] = {
  {"messi", "messi5.jpg", 0, FN_FULL},
  {"messi-x1/2", "messi5.jpg", 0, FN_SCALE, 1, 2},
  {"messi-x1/4", "messi5.jpg", 0, FN_SCALE, 1, 4},
  {"messi-x3/2", "messi5.jpg", 0, FN_SCALE, 3, 2},
  {"messi-x2", "messi5.jpg", 0, FN_SCALE, 2, 1},
  {"messi-hflip", "messi5.jpg", 0, FN_HFLIP},
  {"messi-vflip", "messi5.jpg", 0, FN_VFLIP},
  {"messi-crop-face", "messi5.jpg", 0, FN_CROP, 150, 30, 200, 160},
  {"messi-crop-tight", "messi5.jpg", 0, FN_CROP, 195, 60, 90, 110},
  {"messi-crop-border", "messi5.jpg", 0, FN_CROP, 225, 40, 200, 200},
  {"messi-crop-portrait", "messi5.jpg", 0, FN_CROP, 170, 0, 120, 342},
  {"vtest-0", "vtest.avi", 0, FN_FULL},
  {"vtest-100", "vtest.avi", 100, FN_FULL},
  {"megamind-0", "Megamind.avi", 0, FN_FULL},
  {"megamind-60", "Megamind.avi", 60, FN_FULL},
  {"megamind-120", "Megamind.avi", 120, FN_FULL},
  {"megamind-200", "Megamind.avi", 200, FN_FULL},
  {"black-640x480", NULL, 0, FN_BLACK, 640, 480},
  {"black-1x1", NULL, 0, FN_BLACK, 1, 1},
  {"black-7x5", NULL, 0, FN_BLACK, 7, 5},
};

/* Applies the case's transform to @src into @dst (new buffer). */
static inline void
fn_transform (const FnCase * c, const FnImage * src, FnImage * dst)
{
  int x, y, sx, sy;

  switch (c->op) {
    case FN_SCALE:
      dst->width = MAX (1, src->width * c->a / c->b);
      dst->height = MAX (1, src->height * c->a / c->b);
      break;
    case FN_CROP:
      dst->width = MIN (c->c, src->width - c->a);
      dst->height = MIN (c->d, src->height - c->b);
      break;
    case FN_BLACK:
      dst->width = c->a;
      dst->height = c->b;
      break;
    default:
      dst->width = src->width;
      dst->height = src->height;
  }
  dst->rgb = g_malloc0 ((gsize) dst->width * dst->height * 3);
  if (c->op == FN_BLACK)
    return;
  for (y = 0; y < dst->height; y++)
    for (x = 0; x < dst->width; x++) {
      sx = x;
      sy = y;
      if (c->op == FN_SCALE) {
        sx = x * c->b / c->a;
        sy = y * c->b / c->a;
      } else if (c->op == FN_CROP) {
        sx = x + c->a;
        sy = y + c->b;
      } else if (c->op == FN_HFLIP) {
        sx = src->width - 1 - x;
      } else if (c->op == FN_VFLIP) {
        sy = src->height - 1 - y;
      }
      memcpy (dst->rgb + ((gsize) y * dst->width + x) * 3,
          src->rgb + ((gsize) sy * src->width + sx) * 3, 3);
    }
}

/* The case's image, or FALSE when its media file is absent. */
static inline gboolean
fn_case_image (const FnCase * c, FnImage * im)
{
  FnImage src = { NULL, 0, 0 };
  gchar *path;
  gboolean ok;

  if (c->op == FN_BLACK) {
    fn_transform (c, &src, im);
    return TRUE;
  }
  path = g_build_filename (FN_OPENCV_DATA, c->file, NULL);
  ok = fn_decode (path, c->frame, &src);
  g_free (path);
  if (!ok)
    return FALSE;
  fn_transform (c, &src, im);
  fn_image_clear (&src);
  return TRUE;
}

#endif
