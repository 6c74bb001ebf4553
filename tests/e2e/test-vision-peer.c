/* gst-emo: peer check of the built-in face detector against OpenCV's
 * (gst-plugins-bad `facedetect`, Debian gstreamer1.0-opencv) on
 * Megamind.avi from opencv-doc. Both run in one pipeline on the same RGB
 * frames; emovisfeat ignores facedetect's ROI metas (roi-source=detector)
 * and posts its box per frame. On the frames where facedetect finds exactly
 * one face, emovisfeat's box must overlap it with IoU >= 0.5 on at least
 * 90% of them (facedetect with minimum size 48, emovisfeat's default, which
 * also halves its cost). Runs the pure detector (detect-interval=1) and the default
 * detection + tracking; prints both figures. Exit 77 when the media, the
 * cascade or facedetect are missing. */
#include <string.h>
#include <gst/gst.h>
#include "vision/emo-image.h"

#define MEDIA "/usr/share/doc/opencv-doc/examples/data/Megamind.avi"
#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

#define N_CONFIGS 2
static const gchar *configs[N_CONFIGS] = { "detect-interval=1", "" };

typedef struct
{
  gint n_peer;                  /* faces found by facedetect, -1 unknown */
  EmoRect peer;
  gboolean have_ours[N_CONFIGS];
  EmoRect ours[N_CONFIGS];
  gchar source[N_CONFIGS][16];
} FrameRec;

static gboolean
get_rect (const GstStructure * s, EmoRect * r, GType t)
{
  if (t == G_TYPE_UINT) {
    guint x, y, w, h;
    if (!gst_structure_get (s, "x", G_TYPE_UINT, &x, "y", G_TYPE_UINT, &y,
            "width", G_TYPE_UINT, &w, "height", G_TYPE_UINT, &h, NULL))
      return FALSE;
    *r = (EmoRect) {
    (gint) x, (gint) y, (gint) w, (gint) h};
    return TRUE;
  }
  return gst_structure_get (s, "x", G_TYPE_INT, &r->x, "y", G_TYPE_INT, &r->y,
      "width", G_TYPE_INT, &r->width, "height", G_TYPE_INT, &r->height, NULL);
}

/* One pipeline: facedetect once, then a tee into one emovisfeat per
 * configuration (named v0, v1, ...), no queues, unsynchronised sinks. */
static GHashTable *
run (void)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipe;
  GstBus *bus;
  GHashTable *frames =
      g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GHashTable *counters =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean done = FALSE;
  GError *err = NULL;
  guint i;

  g_string_append (desc,
      "filesrc location=" MEDIA " ! decodebin ! videoconvert ! "
      "video/x-raw,format=RGB ! facedetect display=false updates=every_frame qos=false "
      "min-size-width=48 min-size-height=48 ! tee name=t");
  for (i = 0; i < N_CONFIGS; i++)
    g_string_append_printf (desc,
        " t. ! emovisfeat name=v%u roi-source=detector "
        "post-messages=true %s ! fakesink sync=false async=false", i,
        configs[i]);
  pipe = gst_parse_launch (desc->str, &err);
  g_string_free (desc, TRUE);
  g_assert_no_error (err);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while (!done) {
    GstMessage *m = gst_bus_timed_pop (bus, 300 * GST_SECOND);
    const GstStructure *s;
    guint64 ts;
    FrameRec *f;

    if (!m)
      g_error ("pipeline timed out");
    switch (GST_MESSAGE_TYPE (m)) {
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      case GST_MESSAGE_ERROR:{
        gchar *dbg = NULL;
        gst_message_parse_error (m, &err, &dbg);
        g_error ("%s (%s)", err->message, dbg);
        break;
      }
      case GST_MESSAGE_ELEMENT:
        s = gst_message_get_structure (m);
        if (!gst_structure_has_name (s, "facedetect")
            && !gst_structure_has_name (s, "emovisfeat"))
          break;
        /* match frames by their order per element (timestamps of this AVI repeat) */
        {
          const gchar *src = GST_OBJECT_NAME (GST_MESSAGE_SRC (m));
          guint64 *cnt = g_hash_table_lookup (counters, src);
          if (!cnt) {
            cnt = g_new0 (guint64, 1);
            g_hash_table_insert (counters, g_strdup (src), cnt);
          }
          ts = (*cnt)++;
        }
        f = g_hash_table_lookup (frames, &ts);
        if (!f) {
          gint64 *key = g_new (gint64, 1);
          *key = (gint64) ts;
          f = g_new0 (FrameRec, 1);
          f->n_peer = -1;
          g_hash_table_insert (frames, key, f);
        }
        if (gst_structure_has_name (s, "facedetect")) {
          const GValue *faces = gst_structure_get_value (s, "faces");
          f->n_peer = (faces && GST_VALUE_HOLDS_LIST (faces)) ? (gint)
              gst_value_list_get_size (faces) : 0;
          if (f->n_peer == 1) {
            const GstStructure *fs =
                gst_value_get_structure (gst_value_list_get_value (faces, 0));
            if (!get_rect (fs, &f->peer, G_TYPE_UINT))
              f->n_peer = -1;
          }
        } else if (gst_structure_has_name (s, "emovisfeat")) {
          gboolean face = FALSE;
          const gchar *name = GST_OBJECT_NAME (GST_MESSAGE_SRC (m));
          guint c = (guint) g_ascii_strtoull (name + 1, NULL, 10);
          g_assert_cmpuint (c, <, N_CONFIGS);
          gst_structure_get_boolean (s, "face", &face);
          f->have_ours[c] = face && get_rect (s, &f->ours[c], G_TYPE_INT);
          g_strlcpy (f->source[c], gst_structure_get_string (s, "source"), 16);
        }
        break;
      default:
        break;
    }
    gst_message_unref (m);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_hash_table_unref (counters);
  return frames;
}

int
main (int argc, char **argv)
{
  GHashTable *frames;
  guint c;
  gboolean ok = TRUE;

  gst_init (&argc, &argv);
  if (!g_file_test (MEDIA, G_FILE_TEST_EXISTS)
      || !g_file_test (CASCADE, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: opencv-doc or opencv-data not installed\n");
    return 77;
  }
  if (!gst_registry_check_feature_version (gst_registry_get (), "facedetect", 1,
          0, 0)) {
    g_print ("SKIP: facedetect (gstreamer1.0-opencv) not installed\n");
    return 77;
  }
  frames = run ();
  for (c = 0; c < N_CONFIGS; c++) {
    GHashTableIter it;
    gpointer k, v;
    gint n_frames = 0, n_one = 0, hits = 0;
    GHashTable *by_src =
        g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GString *detail = g_string_new (NULL);
    gdouble rate;

    g_hash_table_iter_init (&it, frames);
    while (g_hash_table_iter_next (&it, &k, &v)) {
      FrameRec *f = v;
      gint *cnt;
      gboolean hit;
      n_frames++;
      if (f->n_peer != 1)
        continue;
      n_one++;
      hit = f->have_ours[c] && emo_rect_iou (&f->ours[c], &f->peer) >= 0.5;
      hits += hit;
      if (!hit && g_getenv ("EMO_PEER_VERBOSE"))
        g_print ("  miss frame %" G_GINT64_FORMAT
            ": peer %d %d %d %d, ours (%s) %d %d %d %d\n", *(gint64 *) k,
            f->peer.x, f->peer.y, f->peer.width, f->peer.height, f->source[c],
            f->ours[c].x, f->ours[c].y, f->ours[c].width, f->ours[c].height);
      cnt = g_hash_table_lookup (by_src, f->source[c]);
      if (!cnt) {
        cnt = g_new0 (gint, 2);
        g_hash_table_insert (by_src, g_strdup (f->source[c]), cnt);
      }
      cnt[0]++;
      cnt[1] += hit;
    }
    g_hash_table_iter_init (&it, by_src);
    while (g_hash_table_iter_next (&it, &k, &v))
      g_string_append_printf (detail, " %s %d/%d", (gchar *) k, ((gint *) v)[1],
          ((gint *) v)[0]);
    rate = n_one ? (gdouble) hits / n_one : 0.0;
    g_print ("emovisfeat %s: %d frames, facedetect found one face on %d, "
        "IoU >= 0.5 on %.1f%% of them (by source, hits/frames:%s)\n",
        configs[c][0] ? configs[c] : "(defaults)", n_frames, n_one, 100 * rate,
        detail->str);
    g_string_free (detail, TRUE);
    g_hash_table_unref (by_src);
    if (n_one < 100 || rate < 0.9)
      ok = FALSE;
  }
  g_hash_table_unref (frames);
  return ok ? 0 : 1;
}
