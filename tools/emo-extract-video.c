/* gst-emo: emo extract for video (and audio) tracks of media files,
 * decoded with GStreamer's decodebin and analysed by the plugin's own
 * elements, so the numbers equal those of a live pipeline.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <gst/gst.h>
#include <gst/emo/gstemo.h>

#include "emo-output.h"
#include "emo-extract-video.h"
#include "io/emo-table.h"

typedef struct
{
  const gchar *kind;            /* "video" or "audio" */
  const gchar *media_prefix;    /* caps prefix decodebin pads must have */
  GstElement *first;            /* where a decodebin pad links */
  GstElement *sink;
  gboolean linked;
  GArray *values;               /* gfloat */
  GArray *times;                /* gdouble */
  guint dims;
} Branch;

typedef struct
{
  Branch br[2];
  GstElement *pipe;
  gint no_more_pads;            /* atomic */
  gboolean eos_sent;
} Ctx;

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Branch * b)
{
  GstMapInfo m;
  gdouble t;

  if (!gst_buffer_map (buf, &m, GST_MAP_READ))
    return;
  if (b->dims == 0)
    b->dims = (guint) (m.size / sizeof (gfloat));
  if (m.size == b->dims * sizeof (gfloat)) {
    g_array_append_vals (b->values, m.data, b->dims);
    t = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) /
        (gdouble) GST_SECOND : b->times->len;
    g_array_append_val (b->times, t);
  }
  gst_buffer_unmap (buf, &m);
}

static void
on_pad_added (GstElement * dec, GstPad * pad, Ctx * ctx)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *media;
  guint i;
  gboolean taken = FALSE;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  for (i = 0; i < 2 && !taken; i++) {
    Branch *b = &ctx->br[i];
    if (b->first && !b->linked && g_str_has_prefix (media, b->media_prefix)) {
      GstPad *sinkpad = gst_element_get_static_pad (b->first, "sink");
      if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
        b->linked = taken = TRUE;
      gst_object_unref (sinkpad);
    }
  }
  if (!taken) {
    /* a stream nobody asked for (or a second one of a kind): discard it */
    GstElement *fs = gst_element_factory_make ("fakesink", NULL);
    GstPad *sinkpad;
    g_object_set (fs, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (ctx->pipe), fs);
    gst_element_sync_state_with_parent (fs);
    sinkpad = gst_element_get_static_pad (fs, "sink");
    gst_pad_link (pad, sinkpad);
    gst_object_unref (sinkpad);
  }
  gst_caps_unref (caps);
}

static void
on_no_more_pads (GstElement * dec, Ctx * ctx)
{
  g_atomic_int_set (&ctx->no_more_pads, 1);
}

/* A requested kind of stream the file does not have: end that branch (from
 * the application thread) so the pipeline can finish; write_branch then
 * reports it. */
static void
end_unlinked_branches (Ctx * ctx)
{
  guint i;

  if (ctx->eos_sent || !g_atomic_int_get (&ctx->no_more_pads))
    return;
  ctx->eos_sent = TRUE;
  for (i = 0; i < 2; i++) {
    Branch *b = &ctx->br[i];
    if (b->first && !b->linked) {
      GstPad *sinkpad = gst_element_get_static_pad (b->first, "sink");
      gst_pad_send_event (sinkpad, gst_event_new_eos ());
      gst_object_unref (sinkpad);
    }
  }
}

static GstElement *
make (const gchar * factory, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e)
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN,
        "GStreamer element \"%s\" not found (is the gst-emo plugin on GST_PLUGIN_PATH, "
        "and gst-plugins-base installed?)", factory);
  return e;
}

/* appends the branch's elements to @pipe and links them */
static gboolean
build_branch (GstElement * pipe, Branch * b, const gchar * const *chain,
    guint n, GstClockTime hop, GstClockTime window, const gchar * set,
    GError ** error)
{
  GstElement *prev = NULL, *e;
  guint i;

  for (i = 0; i <= n; i++) {
    e = make (i < n ? chain[i] : "fakesink", error);
    if (!e)
      return FALSE;
    gst_bin_add (GST_BIN (pipe), e);
    if (i + 1 == n) {
      /* the analysis element */
      g_object_set (e, "hop", (guint64) hop, "window", (guint64) window, NULL);
      if (set)
        gst_util_set_object_arg (G_OBJECT (e), "feature-set", set);
    }
    if (prev && !gst_element_link (prev, e)) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "cannot link %s",
          chain[i - 1]);
      return FALSE;
    }
    if (!prev)
      b->first = e;
    prev = e;
  }
  b->sink = prev;
  g_object_set (prev, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (prev, "handoff", G_CALLBACK (on_handoff), b);
  return TRUE;
}

static gboolean
write_branch (Branch * b, const gchar * path, const gchar * dir,
    const gchar * name, gboolean arff, GError ** error)
{
  EmoTable *t;
  GstPad *pad;
  GstEvent *ev;
  gchar **names = NULL, *out;
  guint n_names = 0, rows = b->times->len, i;
  gboolean ok;

  if (rows == 0 || b->dims == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY, "%s: no %s frames%s",
        path, b->kind, b->linked ? "" : " (no decodable stream of that kind)");
    return FALSE;
  }
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "cannot create %s",
        dir);
    return FALSE;
  }
  t = emo_table_new (name, rows, b->dims);
  memcpy (t->timestamps, b->times->data, rows * sizeof (gdouble));
  memcpy (t->data, b->values->data, (gsize) rows * b->dims * sizeof (gfloat));
  pad = gst_element_get_static_pad (b->sink, "sink");
  ev = gst_pad_get_sticky_event (pad, GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, 0);
  if (ev && gst_emo_event_parse_feature_names (ev, &names, &n_names)
      && n_names == b->dims) {
    for (i = 0; i < b->dims; i++) {
      g_free (t->col_names[i]);
      t->col_names[i] = g_strdup (names[i]);
    }
  }
  g_strfreev (names);
  if (ev)
    gst_event_unref (ev);
  gst_object_unref (pad);
  out = g_strdup_printf ("%s/%s.%s", dir, name, arff ? "arff" : "csv");
  ok = arff ? emo_table_write_arff (t, out, error) : emo_table_write_csv (t,
      out, error);
  if (ok) {
    const gchar *ins[] = { path, NULL };
    const gchar *options[] = { "modality", b->kind, "format",
      arff ? "arff" : "csv", NULL
    };
    ok = emo_record_write_beside ("extract", out, ins, NULL, options, rows,
        error);
  }
  g_free (out);
  emo_table_free (t);
  return ok;
}

gboolean
emo_extract_media_file (const gchar * path, const gchar * video_dir,
    const gchar * audio_dir, gdouble hop_s, gdouble window_s,
    const gchar * audio_set, gboolean arff, guint index, guint n_files,
    gboolean show, GError ** error)
{
  static const gchar *video_chain[] = { "videoconvert", "emovisfeat" };
  static const gchar *audio_chain[] =
      { "audioconvert", "audioresample", "emoaudiofeat" };
  Ctx ctx;
  Branch *br = ctx.br;
  GstElement *pipe = NULL, *src, *dec;
  GstBus *bus = NULL;
  GstClockTime hop = (GstClockTime) (hop_s * GST_SECOND + 0.5);
  GstClockTime window = (GstClockTime) (window_s * GST_SECOND + 0.5);
  gboolean ok = FALSE, done = FALSE;
  gchar *base = NULL, *name = NULL, *dot;
  GTimer *timer = g_timer_new ();
  gdouble last_shown = 0;
  guint i;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  memset (&ctx, 0, sizeof (ctx));
  br[0].kind = "video";
  br[0].media_prefix = "video/";
  br[1].kind = "audio";
  br[1].media_prefix = "audio/";
  for (i = 0; i < 2; i++) {
    br[i].values = g_array_new (FALSE, FALSE, sizeof (gfloat));
    br[i].times = g_array_new (FALSE, FALSE, sizeof (gdouble));
  }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: no such file",
        path);
    goto out;
  }

  pipe = ctx.pipe = gst_pipeline_new ("extract");
  if (!(src = make ("filesrc", error)) || !(dec = make ("decodebin", error)))
    goto out;
  g_object_set (src, "location", path, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, dec, NULL);
  gst_element_link (src, dec);
  if (video_dir
      && !build_branch (pipe, &br[0], video_chain, 2, hop, window, NULL, error))
    goto out;
  if (audio_dir
      && !build_branch (pipe, &br[1], audio_chain, 3, hop, window, audio_set,
          error))
    goto out;
  g_signal_connect (dec, "pad-added", G_CALLBACK (on_pad_added), &ctx);
  g_signal_connect (dec, "no-more-pads", G_CALLBACK (on_no_more_pads), &ctx);

  base = g_path_get_basename (path);
  name = g_strdup (base);
  dot = strrchr (name, '.');
  if (dot && dot != name)
    *dot = '\0';

  bus = gst_element_get_bus (pipe);
  if (gst_element_set_state (pipe,
          GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *e = NULL;
    if (m)
      gst_message_parse_error (m, &e, NULL);
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: cannot start: %s",
        path, e ? e->message : "state change failed");
    g_clear_error (&e);
    if (m)
      gst_message_unref (m);
    goto out;
  }
  while (!done) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, GST_SECOND / 10,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    end_unlinked_branches (&ctx);
    if (!m) {
      gint64 pos = -1, dur = -1;
      if (g_timer_elapsed (timer, NULL) - last_shown < 1.0)
        continue;
      last_shown = g_timer_elapsed (timer, NULL);
      if (show && gst_element_query_position (pipe, GST_FORMAT_TIME, &pos)) {
        gst_element_query_duration (pipe, GST_FORMAT_TIME, &dur);
        fprintf (stderr, "\r[%u/%u] %s: %5.1f%% of %.1f s, %.1fx real time",
            index + 1, n_files, base, dur > 0 ? MIN (100.0,
                100.0 * pos / dur) : 0.0, dur > 0 ? dur / 1e9 : 0.0,
            pos / 1e9 / MAX (g_timer_elapsed (timer, NULL), 1e-3));
        fflush (stderr);
      }
      continue;
    }
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *e = NULL;
      gchar *dbg = NULL;
      gst_message_parse_error (m, &e, &dbg);
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT, "%s: %s%s%s", path,
          e->message, g_atomic_int_get (&ctx.no_more_pads) && ((!br[0].linked
                  && video_dir) || (!br[1].linked
                  && audio_dir)) ? " (a requested stream kind is missing)" : "",
          "");
      g_clear_error (&e);
      g_free (dbg);
      gst_message_unref (m);
      goto out;
    }
    done = TRUE;
    gst_message_unref (m);
  }
  if (show)
    fprintf (stderr, "\r[%u/%u] %s: done in %.1f s%30s\n", index + 1, n_files,
        base, g_timer_elapsed (timer, NULL), "");
  if (video_dir && !write_branch (&br[0], path, video_dir, name, arff, error))
    goto out;
  if (audio_dir && !write_branch (&br[1], path, audio_dir, name, arff, error))
    goto out;
  ok = TRUE;

out:
  if (pipe)
    gst_element_set_state (pipe, GST_STATE_NULL);
  if (bus)
    gst_object_unref (bus);
  if (pipe)
    gst_object_unref (pipe);
  for (i = 0; i < 2; i++) {
    g_array_unref (br[i].values);
    g_array_unref (br[i].times);
  }
  g_free (base);
  g_free (name);
  g_timer_destroy (timer);
  return ok;
}
