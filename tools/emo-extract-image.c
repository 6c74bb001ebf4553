/* gst-emo: emo extract on still images. The image is decoded to RGB with
 * GStreamer, then the kernels the emovisfeat element uses describe it: the
 * CNN detector, the still-image face choice, landmarks + expression
 * (vis-v2) or the box descriptor (vis-v1), pooled over one hop.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>

#include "emo-extract-image.h"
#include "io/emo-table.h"
#include "vision/emo-facefeat.h"
#include "vision/emo-facenet.h"
#include "vision/emo-visdesc.h"

#define MAX_BOXES 8

struct _EmoStillExtractor
{
  gboolean v2;
  gchar *out_dir;
  EmoFaceNets *nets;
  EmoVisPool *pool;
  gfloat *vec, *pooled;
  guint frame_dims, pooled_dims;
  gchar **names;
  GString *faces;               /* still-faces.tsv */
  /* JPEG decoding kept running across images (a pipeline per image costs
   * ~0.2 s of wall time, most of a 48x48 image's budget) */
  GstElement *jpipe, *jsrc, *jsink;
};

static void stop_jpeg (EmoStillExtractor * x);

gboolean
emo_is_still_image (const gchar * path)
{
  gchar *low = g_ascii_strdown (path, -1);
  gboolean yes = g_str_has_suffix (low, ".jpg")
      || g_str_has_suffix (low, ".jpeg") || g_str_has_suffix (low, ".png");

  g_free (low);
  return yes;
}

EmoStillExtractor *
emo_still_extractor_new (const gchar * layout, const gchar * out_dir,
    GError ** error)
{
  EmoStillExtractor *x;
  gchar *dir;

  if (layout && strcmp (layout, EMO_FACEFEAT_LAYOUT)
      && strcmp (layout, EMO_VIS_LAYOUT)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "unknown visual feature set \"%s\" (vis-v2, vis-v1)", layout);
    return NULL;
  }
  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  x = g_new0 (EmoStillExtractor, 1);
  x->v2 = !layout || !strcmp (layout, EMO_FACEFEAT_LAYOUT);
  dir = emo_face_models_default_dir ();
  x->nets = emo_face_nets_load (dir, error);
  g_free (dir);
  if (!x->nets) {
    g_free (x);
    return NULL;
  }
  x->out_dir = g_strdup (out_dir);
  x->frame_dims = x->v2 ? EMO_FACEFEAT_FRAME_DIMS : EMO_VIS_FRAME_DIMS;
  x->pooled_dims = 2 * x->frame_dims + 2;
  x->pool = emo_vis_pool_new (x->frame_dims, 1);
  x->vec = g_new0 (gfloat, x->frame_dims);
  x->pooled = g_new0 (gfloat, x->pooled_dims);
  x->names = x->v2 ? emo_facefeat_names () : emo_vis_feature_names ();
  x->faces = g_string_new ("name\thow\tx\ty\twidth\theight\tscore\tfaces\n");
  return x;
}

void
emo_still_extractor_free (EmoStillExtractor * x)
{
  if (!x)
    return;
  stop_jpeg (x);
  emo_face_nets_free (x->nets);
  emo_vis_pool_free (x->pool);
  g_free (x->vec);
  g_free (x->pooled);
  g_strfreev (x->names);
  g_string_free (x->faces, TRUE);
  g_free (x->out_dir);
  g_free (x);
}

gboolean
emo_still_extractor_finish (EmoStillExtractor * x, GError ** error)
{
  gchar *path = g_build_filename (x->out_dir, "still-faces.tsv", NULL);
  gboolean exists = g_file_test (path, G_FILE_TEST_EXISTS);
  const gchar *rows = x->faces->str;
  FILE *f;

  /* appended, so that several runs into one folder keep every row */
  if (exists)
    rows = strchr (rows, '\n') + 1;
  f = fopen (path, "a");
  if (!f || fputs (rows, f) < 0 || fclose (f) != 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "cannot write %s",
        path);
    g_free (path);
    return FALSE;
  }
  g_free (path);
  return TRUE;
}

static void
stop_jpeg (EmoStillExtractor * x)
{
  if (!x->jpipe)
    return;
  gst_element_set_state (x->jpipe, GST_STATE_NULL);
  gst_object_unref (x->jsrc);
  gst_object_unref (x->jsink);
  gst_object_unref (x->jpipe);
  x->jpipe = x->jsrc = x->jsink = NULL;
}

/* A JPEG file through the running decoder; NULL (and the decoder stopped)
 * on any problem, the caller then takes the general path. */
static GstSample *
decode_jpeg (EmoStillExtractor * x, const gchar * path, GstVideoInfo * info)
{
  GstSample *sample;
  gchar *data;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  if (!x->jpipe) {
    x->jpipe = gst_parse_launch ("appsrc name=src format=time "
        "caps=image/jpeg,parsed=true ! jpegdec ! videoconvert "
        "! video/x-raw,format=RGB ! appsink name=sink sync=false", NULL);
    if (!x->jpipe) {
      g_free (data);
      return NULL;
    }
    x->jsrc = gst_bin_get_by_name (GST_BIN (x->jpipe), "src");
    x->jsink = gst_bin_get_by_name (GST_BIN (x->jpipe), "sink");
    gst_element_set_state (x->jpipe, GST_STATE_PLAYING);
  }
  gst_app_src_push_buffer (GST_APP_SRC (x->jsrc),
      gst_buffer_new_wrapped (data, len));
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (x->jsink),
      5 * GST_SECOND);
  if (!sample || !gst_video_info_from_caps (info, gst_sample_get_caps (sample))) {
    if (sample)
      gst_sample_unref (sample);
    stop_jpeg (x);
    return NULL;
  }
  return sample;
}

/* The image as a packed RGB sample (NULL and an error naming the file). */
static GstSample *
decode_rgb (const gchar * path, GstVideoInfo * info, GError ** error)
{
  GstElement *pipe, *src, *sink;
  GstSample *sample = NULL;
  GstMessage *msg;
  GstBus *bus;
  GError *gerr = NULL;

  pipe = gst_parse_launch ("filesrc name=src ! decodebin ! videoconvert ! "
      "video/x-raw,format=RGB ! appsink name=sink sync=false", error);
  if (!pipe)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  g_object_set (src, "location", path, NULL);
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  /* prerolled (the decoded image waits in the sink) or failed */
  bus = gst_element_get_bus (pipe);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE)
    sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 0);
  else if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &gerr, NULL);
  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  if (!sample || !gst_video_info_from_caps (info, gst_sample_get_caps (sample))) {
    if (sample)
      gst_sample_unref (sample);
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN,
        "%s: not a decodable image%s%s", path, gerr ? ": " : "",
        gerr ? gerr->message : "");
    g_clear_error (&gerr);
    return NULL;
  }
  return sample;
}

/* Describes the chosen face into x->vec; FALSE when it cannot be described
 * (degenerate landmarks): the row is then a no-face row. */
static gboolean
describe (EmoStillExtractor * x, const guint8 * rgb, gint w, gint h,
    gint stride, const gfloat box[4])
{
  EmoFaceBox fb = { box[0], box[1], box[2], box[3], 0 };
  gfloat lm[2 * EMO_FACEFEAT_N_POINTS], probs[EMO_FACEFEAT_N_EXPR];
  guint8 *gray;
  EmoVisTrack tr;
  EmoRect r;
  gint y, i;

  if (x->v2)
    return emo_face_landmarks (x->nets, rgb, w, h, stride, &fb, lm)
        && emo_face_expression (x->nets, rgb, w, h, stride, &fb, probs, NULL)
        && emo_facefeat_describe (lm, probs, x->vec);
  gray = g_malloc ((gsize) w * h);
  for (y = 0; y < h; y++)
    for (i = 0; i < w; i++) {
      const guint8 *p = rgb + (gsize) y * stride + 3 * i;
      gray[(gsize) y * w + i] = (guint8) ((77 * p[0] + 150 * p[1] + 29 * p[2])
          >> 8);
    }
  r.x = (gint) box[0];
  r.y = (gint) box[1];
  r.width = (gint) box[2];
  r.height = (gint) box[3];
  emo_vis_track_reset (&tr);
  emo_vis_describe_frame (&tr, gray, w, h, w, &r, 0.0, x->vec);
  g_free (gray);
  return TRUE;
}

static gboolean
write_row (EmoStillExtractor * x, const gchar * name, gboolean arff,
    GError ** error)
{
  EmoTable *t = emo_table_new (name, 1, x->pooled_dims);
  gchar *out = g_strdup_printf ("%s/%s.%s", x->out_dir, name,
      arff ? "arff" : "csv");
  guint i;
  gboolean ok;

  t->timestamps[0] = 0;
  memcpy (t->data, x->pooled, x->pooled_dims * sizeof (gfloat));
  for (i = 0; i < x->pooled_dims; i++) {
    g_free (t->col_names[i]);
    t->col_names[i] = g_strdup (x->names[i]);
  }
  ok = arff ? emo_table_write_arff (t, out, error) : emo_table_write_csv (t,
      out, error);
  g_free (out);
  emo_table_free (t);
  return ok;
}

gboolean
emo_still_extract (EmoStillExtractor * x, const gchar * path, gboolean arff,
    GError ** error)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GstSample *sample = NULL;
  EmoFaceBox boxes[MAX_BOXES];
  EmoStillFace how;
  gfloat box[4], best[5];
  gint n = 0, w, h, stride, i, strong = 0;
  gchar *base, *name;
  gboolean ok, described;
  gchar *low = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (low, ".jpg") || g_str_has_suffix (low, ".jpeg"))
    sample = decode_jpeg (x, path, &info);
  g_free (low);
  if (!sample)
    sample = decode_rgb (path, &info, error);
  if (!sample)
    return FALSE;
  if (!gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample),
          GST_MAP_READ)) {
    gst_sample_unref (sample);
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: cannot map",
        path);
    return FALSE;
  }
  w = GST_VIDEO_FRAME_WIDTH (&frame);
  h = GST_VIDEO_FRAME_HEIGHT (&frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  /* small crops are faces by construction: no search */
  if (MIN (w, h) > EMO_STILL_SMALL_SIDE)
    n = emo_face_detect (x->nets, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), w, h,
        stride, EMO_FACE_INPUT_DEFAULT, 0.05f, boxes, MAX_BOXES);
  for (i = 0; i < n; i++)
    if (boxes[i].score >= EMO_STILL_MIN_SCORE)
      strong++;
  if (n > 0) {
    best[0] = boxes[0].x;
    best[1] = boxes[0].y;
    best[2] = boxes[0].w;
    best[3] = boxes[0].h;
    best[4] = boxes[0].score;
  }
  how = emo_still_face_choose (w, h, n > 0 ? best : NULL, box);
  described = describe (x, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), w, h,
      stride, box);
  gst_video_frame_unmap (&frame);
  gst_sample_unref (sample);

  emo_vis_pool_reset (x->pool);
  emo_vis_pool_add_frame (x->pool, described ? x->vec : NULL, MAX (strong, 1));
  if (described)
    emo_vis_pool_finish_hop (x->pool, x->pooled);
  else
    memset (x->pooled, 0, x->pooled_dims * sizeof (gfloat));

  base = g_path_get_basename (path);
  name = g_strndup (base, strrchr (base, '.') ? (gsize) (strrchr (base,
              '.') - base) : strlen (base));
  g_string_append_printf (x->faces,
      "%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.3f\t%d\n", name,
      described ? emo_still_face_name (how) : "none", box[0], box[1], box[2],
      box[3], how == EMO_STILL_FACE_DETECTED ? best[4] : 0.0, strong);
  ok = write_row (x, name, arff, error);
  g_free (base);
  g_free (name);
  return ok;
}
