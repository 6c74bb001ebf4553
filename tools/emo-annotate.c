/* emo annotate: one command from a video file to an annotated video, the
 * numbers (CSV, WebVTT, JSON lines) and a plot.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The graph is composed from the elements that are registered: the stored
 * prediction path (`--predictions`, emoparse) always works; the analysis path
 * (emoaudiofeat / emovisfeat -> emomtl -> emofuse) is used when its elements
 * and model files exist. `--print-pipeline` shows the graph as a
 * gst-launch-1.0 line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/emo/gstemo.h>

#include "emo-batch.h"
#include "emo-commands.h"
#include "emo-output.h"
#include "emo-plot.h"
#include "dsp/emo-audiofeat.h"
#include "ml/emo-model.h"
#include "ml/fuse-model.h"

static gchar *opt_out;
static gchar *opt_csv;
static gchar *opt_vtt;
static gchar *opt_json;
static gchar *opt_plot;
static gchar *opt_fusion;
static gchar *opt_models;
static gchar *opt_profile;
static gchar *opt_predictions;
static gboolean opt_no_video;
static gboolean opt_quiet;
static gboolean opt_print;
static gint opt_quantizer = 21;
static gint opt_encoder_threads;
static gchar *opt_position;

static GOptionEntry entries[] = {
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
        "Annotated video to write (.mp4, .mkv or .webm; default IN-emo.mp4 in the current folder)",
      "OUT"},
  {"csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv,
      "Write predictions as AVEC-style CSV (one row per 100 ms)", "FILE"},
  {"vtt", 0, 0, G_OPTION_ARG_FILENAME, &opt_vtt,
      "Write predictions as WebVTT subtitles", "FILE"},
  {"json", 0, 0, G_OPTION_ARG_FILENAME, &opt_json,
      "Write predictions as JSON lines", "FILE"},
  {"plot", 0, 0, G_OPTION_ARG_FILENAME, &opt_plot,
      "Write a PNG plot of arousal, valence, liking over time", "FILE.png"},
  {"fusion", 0, 0, G_OPTION_ARG_STRING, &opt_fusion,
        "Audiovisual fusion: late (mean of the two models, default), multistage (stage-2 model) or early (one model on concatenated features)",
      "late|multistage|early"},
  {"models", 0, 0, G_OPTION_ARG_FILENAME, &opt_models,
        "Folder of model files (*.emo; default: the installed models, or models/ of the source tree)",
      "DIR"},
  {"speaker-profile", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile,
        "Keep the audio model's per-stream normalisation statistics in FILE across runs: read before, updated after (one file per speaker; emomtl norm-stats)",
      "FILE"},
  {"predictions", 0, 0, G_OPTION_ARG_FILENAME, &opt_predictions,
        "Overlay stored predictions from a CSV instead of analysing (name;timestamp;arousal;valence[;liking])",
      "FILE.csv"},
  {"no-video", 0, 0, G_OPTION_ARG_NONE, &opt_no_video,
      "Write only the exports and the plot, no annotated video", NULL},
  {"position", 0, 0, G_OPTION_ARG_STRING, &opt_position,
        "Corner of the read-out (top-left, top-right, bottom-left, bottom-right)",
      "CORNER"},
  {"quantizer", 0, 0, G_OPTION_ARG_INT, &opt_quantizer,
      "x264 constant quality (0-50, lower is better; default 21)", "Q"},
  {"encoder-threads", 0, 0, G_OPTION_ARG_INT, &opt_encoder_threads,
      "Video encoder threads (default 0: as many as the encoder likes)", "N"},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No progress display", NULL},
  {"print-pipeline", 0, 0, G_OPTION_ARG_NONE, &opt_print,
        "Print the graph as a gst-launch-1.0 command line (runnable, outputs written in place) and exit",
      NULL},
  {NULL}
};

typedef struct
{
  gchar *audio, *video, *stage2, *early;
  /* what each was trained on, for the report */
  gchar *audio_desc, *video_desc, *stage2_desc, *early_desc;
  gboolean video_generated;     /* the video model was trained on generated faces */
  /* emoaudiofeat's feature-set for the audio model's layout */
  const gchar *audio_set;
} Models;

typedef struct
{
  const gchar *mux;
  const gchar *venc;
  const gchar *aenc;
} Container;

/* Smallest frame an annotated video is made of: measured, 4x4 and 8x8
 * inputs fail to negotiate (x264enc, vp8enc after the overlay) and 2x2
 * stalls the H.264 path; 16x16 works. */
#define MIN_VIDEO_SIZE 16

/* what the overlay draws on */
#define VIDEO_FORMATS "video/x-raw,format={I420,NV12,BGRx,BGRA,RGBx,RGBA}"

/* The files one run writes, in this order; the primary output (the record
 * sits beside it) is the first one that is written. */
enum
{ OUT_VIDEO, OUT_CSV, OUT_VTT, OUT_JSON, OUT_PLOT, N_OUTS };
static const gchar *const out_sinks[N_OUTS] =
    { "outsink", "csvsink", "vttsink", "jsonsink", NULL };

typedef struct
{
  const gchar *in;
  gchar *uri;
  gchar *name;                  /* the CSV name column */
  const gchar *fusion;
  Models models;
  GString *report;              /* where the predictions come from */
  gboolean video_out, use_vana, use_aana;
  Container cont;
  gchar *target[N_OUTS];        /* NULL: not written */
  EmoOutput *tmp[N_OUTS];       /* their temporaries while running */
  EmoRecord *record;

  GstElement *pipeline;
  GMainLoop *loop;
  guint sigint_id, sigterm_id;
  int status;
  gboolean interrupted;
  gboolean before_first_frame;  /* Ctrl-C came before any frame was out */
  gboolean has_video, has_audio;
  guint width, height;          /* of the video stream */
  GstClockTime duration;
  gint64 t_start;

  GMutex lock;                  /* protects the fields below (streaming threads) */
  GstClockTime position;        /* stream time of the newest media buffer */
  guint64 frames;               /* video frames through the overlay */
  guint64 decoded;              /* decoded buffers entering the graph */
  GstSegment progress_segment;
  GstSegment emo_segment;
  EmoPlotSeries *series;

  gboolean tty;
  gint64 last_line;
  GstElement *vin, *ain;        /* where decoded streams go */
  gboolean video_linked, audio_linked;
} Annotate;

/* ---- inputs ---------------------------------------------------------------- */

static gchar *
input_uri (const gchar * path, GError ** err)
{
  if (gst_uri_is_valid (path))
    return g_strdup (path);
  return gst_filename_to_uri (path, err);
}

static gboolean
discover (Annotate * a, const gchar * uri, const gchar * path)
{
  GError *err = NULL;
  GstDiscoverer *dc = gst_discoverer_new (30 * GST_SECOND, &err);
  GstDiscovererInfo *info;
  GList *l;
  gboolean ok = FALSE;

  if (!dc) {
    emo_fail ("cannot inspect %s: %s", path, err->message);
    g_error_free (err);
    return FALSE;
  }
  info = gst_discoverer_discover_uri (dc, uri, &err);
  switch (info ? gst_discoverer_info_get_result (info) : GST_DISCOVERER_ERROR) {
    case GST_DISCOVERER_OK:
      ok = TRUE;
      break;
    case GST_DISCOVERER_MISSING_PLUGINS:{
      const gchar **d = info ?
          gst_discoverer_info_get_missing_elements_installer_details (info) :
          NULL;
      gchar *desc = NULL;
      if (d && d[0]) {
        /* "gstreamer|1.0|app|Description|type" */
        gchar **f = g_strsplit (d[0], "|", -1);
        if (g_strv_length (f) >= 4)
          desc = g_strdup (f[3]);
        g_strfreev (f);
      }
      emo_fail ("no decoder for this format: %s needs %s (install the "
          "GStreamer plugin that provides it)", path,
          desc ? desc : "a plugin that is not installed");
      g_free (desc);
      break;
    }
    case GST_DISCOVERER_TIMEOUT:
      emo_fail ("%s: timed out while inspecting the file", path);
      break;
    default:
      emo_fail ("cannot read %s: not a media file GStreamer can decode (%s)",
          path, err ? err->message : "unknown error");
      break;
  }
  g_clear_error (&err);
  if (ok) {
    a->duration = gst_discoverer_info_get_duration (info);
    l = gst_discoverer_info_get_video_streams (info);
    for (GList * i = l; i; i = i->next) {
      if (!gst_discoverer_video_info_is_image (i->data) && !a->has_video) {
        a->has_video = TRUE;
        a->width = gst_discoverer_video_info_get_width (i->data);
        a->height = gst_discoverer_video_info_get_height (i->data);
      }
    }
    gst_discoverer_stream_info_list_free (l);
    l = gst_discoverer_info_get_audio_streams (info);
    a->has_audio = l != NULL;
    gst_discoverer_stream_info_list_free (l);
    if (!a->has_video && !a->has_audio) {
      emo_fail ("%s has no audio or video stream", path);
      ok = FALSE;
    }
  }
  if (info)
    gst_discoverer_info_unref (info);
  g_object_unref (dc);
  return ok;
}

/* ---- models ---------------------------------------------------------------- */


static void
models_clear (Models * m)
{
  g_free (m->audio);
  g_free (m->video);
  g_free (m->stage2);
  g_free (m->early);
  g_free (m->audio_desc);
  g_free (m->video_desc);
  g_free (m->stage2_desc);
  g_free (m->early_desc);
}

static const gchar *
default_models_dir (void)
{
  static gchar *dir;
  if (!dir) {
    if (g_file_test (EMO_MODELS_DIR, G_FILE_TEST_IS_DIR))
      dir = g_strdup (EMO_MODELS_DIR);
    else
      dir = g_build_filename (EMO_SOURCE_ROOT, "models", NULL);
  }
  return dir;
}

static gboolean
is_fuser_file (const gchar * path)
{
  gchar buf[16] = { 0 };
  FILE *f = fopen (path, "rb");
  gboolean yes = FALSE;

  if (f) {
    yes = fread (buf, 1, strlen (EMO_FUSE_MODEL_MAGIC), f) ==
        strlen (EMO_FUSE_MODEL_MAGIC)
        && !memcmp (buf, EMO_FUSE_MODEL_MAGIC, strlen (EMO_FUSE_MODEL_MAGIC));
    fclose (f);
  }
  return yes;
}

/* A stage-2 fuser file: the first one found is used. */
static gboolean
take_fuser (const gchar * path, const gchar * name, Models * m)
{
  GError *err = NULL;
  EmoFuseModel *fm = emo_fuse_model_load (path, &err);

  if (!fm) {
    emo_fail ("unreadable model %s: %s", path, err->message);
    g_clear_error (&err);
    return FALSE;
  }
  if (!m->stage2) {
    m->stage2 = g_strdup (path);
    m->stage2_desc = g_strdup_printf ("  stage-2 fuser %s (%s over %u "
        "stage-1 models)%s%s\n", name, fm->method, fm->n_inputs,
        fm->record && fm->record->len ? ": " : "",
        fm->record && fm->record->len ?
        (const gchar *) g_ptr_array_index (fm->record, 0) : "");
  }
  emo_fuse_model_free (fm);
  return TRUE;
}

/* Which slot a model fills, from the layout it was trained on (NULL: none);
 * *kind names it for the report. */
static gchar **
model_slot (Models * m, const EmoModel * model, gchar *** desc,
    const gchar ** kind)
{
  const gchar *l = model->layout;

  if (strchr (l, '+')) {
    *desc = &m->early_desc;
    *kind = "early fusion";
    return &m->early;
  }
  if (g_str_has_prefix (l, "egemaps") || g_str_has_prefix (l, "emo-acoustic")
      || g_str_has_prefix (l, "audio")) {
    EmoFeatureSet set = EMO_FEATURE_SET_FUNCTIONALS;
    if (!m->audio && emo_feature_set_from_nick (l, &set))
      m->audio_set = emo_feature_set_nick (set);
    *desc = &m->audio_desc;
    *kind = "audio";
    return &m->audio;
  }
  if (g_str_has_prefix (l, "vis") || g_str_has_prefix (l, "video")) {
    *desc = &m->video_desc;
    *kind = "video";
    return &m->video;
  }
  if (g_str_has_prefix (l, "pred") || g_str_has_prefix (l, "stage")) {
    *desc = &m->stage2_desc;
    *kind = "stage-2 fusion";
    return &m->stage2;
  }
  return NULL;
}

/* Whether the model's training record, notes or file name say it was
 * trained on generated (synthetic) data. */
static gboolean
trained_on_generated (const EmoModel * model, const gchar * name)
{
  gchar *low = g_ascii_strdown (model->rec.data ? model->rec.data : "", -1);
  gchar *notes = g_ascii_strdown (model->rec.notes ? model->rec.notes : "",
      -1);
  gchar *name_low = g_ascii_strdown (name, -1);
  gboolean generated = strstr (low, "generat") || strstr (low, "synth")
      || strstr (low, "gencorpus") || strstr (notes, "generat")
      || strstr (notes, "gencorpus") || strstr (name_low, "gencorpus");

  g_free (low);
  g_free (notes);
  g_free (name_low);
  return generated;
}

/* A stage-1 or early-fusion model: the first of each kind is used; for
 * video, one trained on real faces wins over one trained on generated
 * faces (kept for tests). */
static void
take_model (Models * m, const EmoModel * model, const gchar * path,
    const gchar * name)
{
  gchar **slot, **desc = NULL;
  const gchar *kind = NULL;
  const gchar *data = model->rec.data && *model->rec.data ?
      model->rec.data : "(no training record)";
  gboolean generated;

  slot = model_slot (m, model, &desc, &kind);
  if (!slot)
    return;
  generated = trained_on_generated (model, name);
  if (*slot && !(slot == &m->video && m->video_generated && !generated))
    return;
  g_free (*slot);
  g_free (*desc);
  if (slot == &m->video)
    m->video_generated = generated;
  *slot = g_strdup (path);
  *desc = g_strdup_printf ("  %s model %s (layout %s, input normalised %s)"
      ": trained on %s\n%s%s", kind, name, model->layout,
      model->norm == EMO_NORM_STREAM ? "per stream" : "with fixed "
      "statistics", data, slot == &m->video && generated ?
      "  note: the visual model was trained on generated faces; on real "
      "faces its predictions are not reliable\n" : "",
      slot == &m->audio && opt_profile ? (model->norm == EMO_NORM_STREAM ?
          "  speaker profile: the audio model's running statistics are "
          "read from and written back to the profile\n" :
          "  note: --speaker-profile is not used: the audio model "
          "normalises with fixed statistics\n") : "");
}

/* Sorts the *.emo files of `dir` by what they consume: the layout of the
 * feature stream a model was trained on names its front end. Prints each
 * model it uses with what it was trained on. */
static gboolean
find_models (const gchar * dir, Models * m, GString * report)
{
  GDir *d;
  const gchar *name;
  GError *err = NULL;
  gboolean ok = TRUE;

  d = g_dir_open (dir, 0, &err);
  if (!d) {
    g_string_append_printf (report, "models folder %s: %s\n", dir,
        err->message);
    g_error_free (err);
    return TRUE;
  }
  while ((name = g_dir_read_name (d))) {
    gchar *path;
    EmoModel *model;

    if (!g_str_has_suffix (name, ".emo") && !g_str_has_suffix (name, ".fuser"))
      continue;
    path = g_build_filename (dir, name, NULL);
    if (is_fuser_file (path)) {
      ok = take_fuser (path, name, m) && ok;
    } else if ((model = emo_model_load (path, &err))) {
      take_model (m, model, path, name);
      emo_model_free (model);
    } else {
      /* an unreadable model is an error, not something to skip silently */
      emo_fail ("unreadable model %s: %s", path, err->message);
      g_clear_error (&err);
      ok = FALSE;
    }
    g_free (path);
  }
  g_dir_close (d);
  return ok;
}

static gboolean
have_element (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);
  if (f)
    gst_object_unref (f);
  return f != NULL;
}

/* ---- output ---------------------------------------------------------------- */


static gboolean
pick_container (const gchar * out, Container * c)
{
  gchar *lower = g_ascii_strdown (out, -1);
  gboolean ok = TRUE;

  memset (c, 0, sizeof *c);
  if (g_str_has_suffix (lower, ".mp4") || g_str_has_suffix (lower, ".m4v")
      || g_str_has_suffix (lower, ".mov")) {
    c->mux = g_str_has_suffix (lower, ".mov") ? "qtmux" : "mp4mux";
    c->venc = "x264enc";
    c->aenc = have_element ("avenc_aac") ? "avenc_aac" :
        (have_element ("voaacenc") ? "voaacenc" : "lamemp3enc");
  } else if (g_str_has_suffix (lower, ".mkv")) {
    c->mux = "matroskamux";
    c->venc = "x264enc";
    c->aenc = have_element ("opusenc") ? "opusenc" : "vorbisenc";
  } else if (g_str_has_suffix (lower, ".webm")) {
    c->mux = "webmmux";
    c->venc = "vp8enc";
    c->aenc = have_element ("opusenc") ? "opusenc" : "vorbisenc";
  } else {
    ok = FALSE;
  }
  g_free (lower);
  return ok;
}

static const gchar *
plugin_package (const gchar * element)
{
  if (!strcmp (element, "x264enc") || !strcmp (element, "lamemp3enc"))
    return "gstreamer1.0-plugins-ugly";
  if (!strcmp (element, "avenc_aac"))
    return "gstreamer1.0-libav";
  if (!strcmp (element, "voaacenc"))
    return "gstreamer1.0-plugins-bad";
  return "gstreamer1.0-plugins-good/-base";
}

/* ---- pipeline -------------------------------------------------------------- */

static GstPadProbeReturn drop_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer data);

static void
report_link_failure (Annotate * a, GstPad * pad, const gchar * name)
{
  if (g_str_has_prefix (name, "video/"))
    g_printerr ("emo: could not link the decoded %s stream (%ux%u pixels); "
        "--no-video writes the exports without an annotated video\n", name,
        a->width, a->height);
  else
    g_printerr ("emo: could not link the decoded %s stream\n", name);
}

static void
on_pad_added (GstElement * dec, GstPad * pad, Annotate * a)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;
  GstElement *target = NULL;
  GstPad *sink;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  g_mutex_lock (&a->lock);
  if (g_str_has_prefix (name, "video/") && a->vin && !a->video_linked) {
    target = a->vin;
    a->video_linked = TRUE;
  } else if (g_str_has_prefix (name, "audio/") && a->ain && !a->audio_linked) {
    target = a->ain;
    a->audio_linked = TRUE;
  }
  g_mutex_unlock (&a->lock);
  gst_caps_unref (caps);

  if (!target) {
    /* a stream we do not use (second audio track, subtitles): discard */
    GstElement *sinkel = gst_element_factory_make ("fakesink", NULL);
    g_object_set (sinkel, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (a->pipeline), sinkel);
    gst_element_sync_state_with_parent (sinkel);
    target = sinkel;
  }
  sink = gst_element_get_static_pad (target, "sink");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    report_link_failure (a, pad, name);
  else if (a->interrupted && (target == a->vin || target == a->ain)) {
    /* a stream that appears after Ctrl-C ends where it enters */
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, drop_probe, NULL, NULL);
    gst_pad_send_event (sink, gst_event_new_eos ());
  }
  gst_object_unref (sink);
}

static GstPadProbeReturn
progress_probe (GstPad * pad, GstPadProbeInfo * info, Annotate * a)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstClockTime st;
    g_mutex_lock (&a->lock);
    st = gst_segment_to_stream_time (&a->progress_segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
    if (GST_CLOCK_TIME_IS_VALID (st))
      a->position = st;
    a->frames++;
    g_mutex_unlock (&a->lock);
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT) {
      g_mutex_lock (&a->lock);
      gst_event_copy_segment (ev, &a->progress_segment);
      g_mutex_unlock (&a->lock);
    }
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
emo_probe (GstPad * pad, GstPadProbeInfo * info, Annotate * a)
{
  static const gchar *attrs[3] = { "arousal", "valence", "liking" };

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstEmoPredictionMeta *m = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)
        ? NULL : gst_buffer_get_emo_prediction_meta (buf);
    gfloat v[3];
    GstClockTime st;
    guint i;

    for (i = 0; i < 3; i++)
      if (!m || !gst_emo_prediction_meta_lookup (m, attrs[i], &v[i]))
        v[i] = NAN;
    g_mutex_lock (&a->lock);
    st = gst_segment_to_stream_time (&a->emo_segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
    if (GST_CLOCK_TIME_IS_VALID (st))
      emo_plot_series_add (a->series, (gdouble) st / GST_SECOND, v);
    if (!a->has_video && GST_CLOCK_TIME_IS_VALID (st))
      a->position = st;
    g_mutex_unlock (&a->lock);
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT) {
      g_mutex_lock (&a->lock);
      gst_event_copy_segment (ev, &a->emo_segment);
      g_mutex_unlock (&a->lock);
    }
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
on_progress (gpointer data)
{
  Annotate *a = data;
  gdouble pos, dur, elapsed, fps, eta, frac;
  guint64 frames;
  gchar spos[32], sdur[32], seta[32];
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&a->lock);
  pos = GST_CLOCK_TIME_IS_VALID (a->position) ?
      (gdouble) a->position / GST_SECOND : 0.0;
  frames = a->frames;
  g_mutex_unlock (&a->lock);
  dur = GST_CLOCK_TIME_IS_VALID (a->duration) && a->duration > 0 ?
      (gdouble) a->duration / GST_SECOND : NAN;
  elapsed = (now - a->t_start) / 1e6;
  fps = elapsed > 0 ? frames / elapsed : 0;
  frac = isfinite (dur) ? CLAMP (pos / dur, 0.0, 1.0) : NAN;
  eta = pos > 0 && isfinite (dur) ? (dur - pos) * elapsed / pos : NAN;
  emo_format_hms (spos, sizeof spos, pos);
  emo_format_hms (sdur, sizeof sdur, dur);
  emo_format_hms (seta, sizeof seta, eta);

  if (a->tty) {
    gchar bar[31];
    gint i, fill = isfinite (frac) ? (gint) (frac * 30) : 0;
    for (i = 0; i < 30; i++)
      bar[i] = i < fill ? '#' : '-';
    bar[30] = 0;
    fprintf (stderr, "\r[%s] %s / %s %3.0f%%  %5.1f fps  ETA %s   ", bar, spos,
        sdur, isfinite (frac) ? frac * 100 : 0.0, fps, seta);
    fflush (stderr);
  } else if (now - a->last_line >= 5 * G_USEC_PER_SEC) {
    a->last_line = now;
    fprintf (stderr, "emo: %s / %s (%.0f%%), %.1f fps, ETA %s\n", spos, sdur,
        isfinite (frac) ? frac * 100 : 0.0, fps, seta);
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
drop_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  return GST_PAD_PROBE_DROP;
}

/* After an interruption: audio that ran ahead in the queues stops where the
 * video stopped, so the file's tracks have equal length. */
static GstPadProbeReturn
cut_audio_probe (GstPad * pad, GstPadProbeInfo * info, Annotate * a)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime cut;

  g_mutex_lock (&a->lock);
  cut = a->position;
  g_mutex_unlock (&a->lock);
  if (GST_CLOCK_TIME_IS_VALID (cut) && GST_BUFFER_PTS_IS_VALID (buf)
      && GST_BUFFER_PTS (buf) > cut + GST_SECOND / 10)
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

static gboolean
end_inputs (Annotate * a)
{
  GstElement *amuxq = gst_bin_get_by_name (GST_BIN (a->pipeline), "amuxq");
  GstElement *inputs[2] = { a->vin, a->ain };
  gboolean any = FALSE;
  guint i;

  if (amuxq && a->has_video) {
    GstPad *p = gst_element_get_static_pad (amuxq, "src");
    gst_pad_add_probe (p, GST_PAD_PROBE_TYPE_BUFFER,
        (GstPadProbeCallback) cut_audio_probe, a, NULL);
    gst_object_unref (p);
  }
  if (amuxq)
    gst_object_unref (amuxq);

  for (i = 0; i < 2; i++) {
    GstPad *pad;
    if (!inputs[i])
      continue;
    pad = gst_element_get_static_pad (inputs[i], "sink");
    if (gst_pad_is_linked (pad)) {
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST, drop_probe, NULL, NULL);
      gst_pad_send_event (pad, gst_event_new_eos ());
      any = TRUE;
    }
    gst_object_unref (pad);
  }
  return any;
}

static gboolean
on_sigint (gpointer data)
{
  Annotate *a = data;

  if (!a->interrupted) {
    guint64 frames;

    a->interrupted = TRUE;
    g_mutex_lock (&a->lock);
    frames = a->frames;
    g_mutex_unlock (&a->lock);
    if (frames == 0) {
      /* nothing to finish: an EOS now would race the decoder's first pads
       * (a stream linked after the EOS ends in "Internal data stream
       * error") for a file with no frame in it */
      a->status = 130;
      a->before_first_frame = TRUE;
      g_main_loop_quit (a->loop);
      return G_SOURCE_CONTINUE;
    }
    fprintf (stderr, "\nemo: interrupted; finishing the output so far "
        "(Ctrl-C again to abort)\n");
    /* EOS where the decoded streams enter our graph: the demuxer may run in
     * pull mode, where an EOS sent to the source element is not seen */
    if (!end_inputs (a))
      gst_element_send_event (a->pipeline, gst_event_new_eos ());
    return G_SOURCE_CONTINUE;
  }
  fprintf (stderr, "emo: aborted\n");
  a->status = 130;
  g_main_loop_quit (a->loop);
  return G_SOURCE_CONTINUE;
}

/* kill, timeout: stop at once; the temporaries are removed on the way out */
static gboolean
on_sigterm (gpointer data)
{
  Annotate *a = data;

  fprintf (stderr, "emo: terminated\n");
  a->status = 143;
  g_main_loop_quit (a->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer data)
{
  Annotate *a = data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_EOS:
      g_main_loop_quit (a->loop);
      break;
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL, *src = gst_object_get_path_string (msg->src);
      gst_message_parse_error (msg, &err, &dbg);
      if (a->tty && !opt_quiet)
        fprintf (stderr, "\n");
      if (opt_predictions && g_str_has_prefix (GST_OBJECT_NAME (msg->src),
              "emoparse")) {
        /* the detail names the line: "...\nCSV input:2: column 3: ..." */
        const gchar *nl = dbg ? strrchr (dbg, '\n') : NULL;
        emo_fail ("%s: %s %s", opt_predictions, err->message,
            nl ? nl + 1 : (dbg ? dbg : ""));
      } else {
        emo_fail ("%s: %s", GST_OBJECT_NAME (msg->src), err->message);
        if (dbg)
          fprintf (stderr, "emo:   (%s: %s)\n", src, dbg);
      }
      g_error_free (err);
      g_free (dbg);
      g_free (src);
      a->status = 1;
      g_main_loop_quit (a->loop);
      break;
    }
    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (msg)) {
        gchar *d = gst_missing_plugin_message_get_description (msg);
        emo_fail ("no decoder for this format: missing %s", d);
        g_free (d);
      }
      break;
    default:
      break;
  }
  return TRUE;
}

static gchar *
default_output (const gchar * in)
{
  gchar *base = g_path_get_basename (in);
  gchar *dot = strrchr (base, '.');
  gchar *out;

  if (dot && dot != base)
    *dot = 0;
  out = g_strconcat (base, "-emo.mp4", NULL);
  g_free (base);
  return out;
}

static void
append_export (GString * d, const gchar * format, const gchar * name)
{
  g_string_append_printf (d, " emot. ! queue max-size-time=0 max-size-bytes=0 "
      "max-size-buffers=1000 ! emoexport format=%s%s ! filesink name=%s "
      "sync=false", format,
      !strcmp (format, "csv") ? " features=false name-column=@NAME@" :
      (!strcmp (format, "webvtt") ? " merge-cues=true" : " features=false"),
      name);
}

/* The emotion frame stream for the input: stored predictions or analysis.
 * Appends a description ending in "tee name=emot" and names the decoded
 * branches' entries "vana"/"aana" when analysis consumes them. */
static gboolean
compose_emo (GString * d, Annotate * a, const Models * m, const gchar * fusion,
    gboolean * use_vana, gboolean * use_aana, GString * report)
{
  gboolean audio_ok, video_ok;

  *use_vana = *use_aana = FALSE;
  if (opt_predictions) {
    g_string_append (d, " filesrc name=predsrc ! emoparse content=predictions "
        "source=stored ! tee name=emot");
    g_string_append_printf (report, "  stored predictions from %s (no models "
        "run)\n", opt_predictions);
    return TRUE;
  }

  audio_ok = a->has_audio && m->audio && have_element ("emoaudiofeat")
      && have_element ("emomtl");
  video_ok = a->has_video && m->video && have_element ("emovisfeat")
      && have_element ("emomtl");

  if (!strcmp (fusion, "early")) {
    if (a->has_audio && a->has_video && m->early && have_element ("emofuse")
        && have_element ("emoaudiofeat") && have_element ("emovisfeat")) {
      g_string_append (d, " aana. ! queue ! audioconvert ! audioresample ! "
          "emoaudiofeat ! queue ! fuse.");
      g_string_append (d,
          " vana. ! queue ! videoconvert ! emovisfeat ! queue ! fuse.");
      g_string_append (d,
          " emofuse name=fuse mode=concat ! emomtl name=emtl "
          "! tee name=emot");
      g_string_append (report, m->early_desc);
      *use_vana = *use_aana = TRUE;
      return TRUE;
    }
    g_string_append (report, "  early fusion needs audio and video, "
        "emoaudiofeat, emovisfeat, emofuse and an early-fusion model; falling "
        "back to late fusion\n");
  }

  if (audio_ok && video_ok && have_element ("emofuse")) {
    g_string_append_printf (d, " aana. ! queue ! audioconvert ! audioresample "
        "! emoaudiofeat feature-set=%s ! emomtl name=amtl source=audio ! queue "
        "! fuse.", m->audio_set ? m->audio_set : "egemaps-functionals");
    g_string_append (d, " vana. ! queue ! videoconvert ! emovisfeat ! "
        "emomtl name=vmtl source=video ! queue ! fuse.");
    g_string_append (report, m->audio_desc);
    g_string_append (report, m->video_desc);
    if (!strcmp (fusion, "multistage") && m->stage2) {
      g_string_append (d, " emofuse name=fuse mode=model ! tee name=emot");
      g_string_append (report, m->stage2_desc);
    } else {
      if (!strcmp (fusion, "multistage"))
        g_string_append (report, "  multistage fusion needs a stage-2 model; "
            "using late fusion (mean)\n");
      g_string_append (d, " emofuse name=fuse mode=mean ! tee name=emot");
      g_string_append (report, "  late fusion: mean of the two models\n");
    }
    *use_vana = *use_aana = TRUE;
    return TRUE;
  }
  if (audio_ok) {
    g_string_append_printf (d, " aana. ! queue ! audioconvert ! audioresample "
        "! emoaudiofeat feature-set=%s ! emomtl name=amtl source=audio ! tee "
        "name=emot", m->audio_set ? m->audio_set : "egemaps-functionals");
    g_string_append (report, m->audio_desc);
    if (a->has_video)
      g_string_append (report, "  video not analysed (no usable visual model "
          "or element): the predictions come from the audio alone\n");
    *use_aana = TRUE;
    return TRUE;
  }
  if (video_ok) {
    g_string_append (d, " vana. ! queue ! videoconvert ! emovisfeat ! "
        "emomtl name=vmtl source=video ! tee name=emot");
    g_string_append (report, m->video_desc);
    if (a->has_audio)
      g_string_append (report, "  audio not analysed (no usable audio model "
          "or element): the predictions come from the video alone\n");
    *use_vana = TRUE;
    return TRUE;
  }
  return FALSE;
}

static void
set_if (GstElement * pipeline, const gchar * name, const gchar * prop,
    const gchar * value)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  if (e) {
    g_object_set (e, prop, value, NULL);
    gst_object_unref (e);
  }
}


/* ---- one run, step by step --------------------------------------------------- */

static void
annotate_init (Annotate * a, const gchar * in)
{
  memset (a, 0, sizeof *a);
  a->in = in;
  g_mutex_init (&a->lock);
  a->position = GST_CLOCK_TIME_NONE;
  a->duration = GST_CLOCK_TIME_NONE;
  gst_segment_init (&a->progress_segment, GST_FORMAT_TIME);
  gst_segment_init (&a->emo_segment, GST_FORMAT_TIME);
  a->series = emo_plot_series_new ();
  a->report = g_string_new (NULL);
  a->fusion = opt_fusion ? opt_fusion : "late";
  /* Ctrl-C and SIGTERM are ours from the start: one that comes while the
   * input is inspected is handled when the run would begin */
  a->loop = g_main_loop_new (NULL, FALSE);
  a->sigint_id = g_unix_signal_add (SIGINT, on_sigint, a);
  a->sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, a);
}

static void
annotate_clear (Annotate * a)
{
  guint i;

  g_source_remove (a->sigint_id);
  g_source_remove (a->sigterm_id);
  for (i = 0; i < N_OUTS; i++) {
    emo_output_discard (a->tmp[i]);
    g_free (a->target[i]);
  }
  if (a->vin)
    gst_object_unref (a->vin);
  if (a->ain)
    gst_object_unref (a->ain);
  if (a->pipeline)
    gst_object_unref (a->pipeline);
  if (a->loop)
    g_main_loop_unref (a->loop);
  emo_record_free (a->record);
  emo_plot_series_free (a->series);
  g_mutex_clear (&a->lock);
  models_clear (&a->models);
  g_string_free (a->report, TRUE);
  g_free (a->uri);
  g_free (a->name);
}

/* Options that do not depend on the input. */
static gboolean
check_options (void)
{
  const gchar *fusion = opt_fusion ? opt_fusion : "late";

  if (strcmp (fusion, "late") && strcmp (fusion, "multistage")
      && strcmp (fusion, "early")) {
    emo_fail ("--fusion must be late, multistage or early, not \"%s\"", fusion);
    return FALSE;
  }
  if (opt_position && strcmp (opt_position, "top-left")
      && strcmp (opt_position, "top-right")
      && strcmp (opt_position, "bottom-left")
      && strcmp (opt_position, "bottom-right")) {
    emo_fail ("--position must be top-left, top-right, bottom-left or "
        "bottom-right, not \"%s\"", opt_position);
    return FALSE;
  }
  if (opt_encoder_threads < 0 || opt_encoder_threads > 256) {
    emo_fail ("--encoder-threads must be in 0-256");
    return FALSE;
  }
  if (opt_quantizer < 0 || opt_quantizer > 50) {
    emo_fail ("--quantizer must be in 0-50");
    return FALSE;
  }
  if (opt_predictions && !g_file_test (opt_predictions, G_FILE_TEST_IS_REGULAR)) {
    emo_fail ("no such file: %s", opt_predictions);
    return FALSE;
  }
  if (opt_models && !g_file_test (opt_models, G_FILE_TEST_IS_DIR)) {
    emo_fail ("no such models folder: %s", opt_models);
    return FALSE;
  }
  if (!have_element ("emooverlay") || !have_element ("emoexport")
      || !have_element ("emoparse")) {
    emo_fail ("the gst-emo plugin is not installed (GST_PLUGIN_PATH?)");
    return FALSE;
  }
  return TRUE;
}

/* The input exists and decodes; the models that will run are chosen. */
static gboolean
open_input (Annotate * a)
{
  GError *err = NULL;

  if (!gst_uri_is_valid (a->in) && !g_file_test (a->in, G_FILE_TEST_EXISTS)) {
    emo_fail ("no such file: %s", a->in);
    return FALSE;
  }
  a->uri = input_uri (a->in, &err);
  if (!a->uri) {
    emo_fail ("%s: %s", a->in, err->message);
    g_error_free (err);
    return FALSE;
  }
  if (!discover (a, a->uri, a->in))
    return FALSE;
  if (!opt_predictions && !find_models (opt_models ? opt_models :
          default_models_dir (), &a->models, a->report))
    return FALSE;
  /* the CSV name column: the input's base name without extension */
  a->name = g_path_get_basename (a->in);
  if (strrchr (a->name, '.') && strrchr (a->name, '.') != a->name)
    *strrchr (a->name, '.') = 0;
  for (gchar * c = a->name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
      *c = '_';
  return TRUE;
}

/* Which files this run writes, and that none of them is an input or another
 * of them: checked before anything is written. */
static gboolean
plan_outputs (Annotate * a, const EmoAnnotateOutputs * w)
{
  const gchar *inputs[3] = { a->in, opt_predictions, NULL };
  GError *err = NULL;
  guint i, j;

  a->video_out = a->has_video && !opt_no_video;
  if (!a->has_video && w->video)
    fprintf (stderr, "emo: %s has no video track; no annotated video is "
        "written (exports and plot only)\n", a->in);
  if (a->video_out && (a->width < MIN_VIDEO_SIZE || a->height < MIN_VIDEO_SIZE)) {
    emo_fail ("%s: the video is %ux%u pixels; an annotated video needs at "
        "least %dx%d (the encoders and the read-out panel do not handle "
        "smaller frames). Use --no-video to write only the exports and the "
        "plot", a->in, a->width, a->height, MIN_VIDEO_SIZE, MIN_VIDEO_SIZE);
    return FALSE;
  }
  if (a->video_out) {
    a->target[OUT_VIDEO] = w->video ? g_strdup (w->video) :
        default_output (a->in);
    if (!pick_container (a->target[OUT_VIDEO], &a->cont)) {
      emo_fail ("%s: unsupported output type (use .mp4, .mov, .mkv or .webm)",
          a->target[OUT_VIDEO]);
      return FALSE;
    }
    if (!have_element (a->cont.venc) || !have_element (a->cont.mux)
        || (a->has_audio && !have_element (a->cont.aenc))) {
      const gchar *miss = !have_element (a->cont.venc) ? a->cont.venc :
          (!have_element (a->cont.mux) ? a->cont.mux : a->cont.aenc);
      emo_fail ("cannot write %s: encoder %s missing (install %s)",
          a->target[OUT_VIDEO], miss, plugin_package (miss));
      return FALSE;
    }
  }
  a->target[OUT_CSV] = g_strdup (w->csv);
  a->target[OUT_VTT] = g_strdup (w->vtt);
  a->target[OUT_JSON] = g_strdup (w->json);
  a->target[OUT_PLOT] = g_strdup (w->plot);
  for (i = 0; i < N_OUTS; i++) {
    const gchar *one[2] = { a->target[i], NULL };
    if (!a->target[i])
      continue;
    if (!emo_output_refuse_inputs (one, inputs, &err)) {
      emo_fail ("%s", err->message);
      g_error_free (err);
      return FALSE;
    }
    for (j = i + 1; j < N_OUTS; j++) {
      const gchar *other[2] = { a->target[j], NULL };
      if (a->target[j] && (!strcmp (a->target[i], a->target[j])
              || !emo_output_refuse_inputs (other, one, NULL))) {
        emo_fail ("%s is named for two outputs; give each its own file",
            a->target[j]);
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* Decoded video: converted, at a steady rate, to the overlay and encoder
 * and/or the analysis. */
static void
append_video_branches (GString * d, const Annotate * a)
{
  g_string_append (d, " queue name=vin max-size-time=0 max-size-bytes=0 "
      "max-size-buffers=8 ! videoconvert ! videorate ! " VIDEO_FORMATS
      " ! tee name=vt");
  if (a->use_vana)
    g_string_append (d, " vt. ! queue name=vana");
  if (!a->video_out)
    return;
  /* the overlay waits for the analysis: room for its latency */
  g_string_append_printf (d, " vt. ! queue max-size-time=10000000000 "
      "max-size-bytes=0 max-size-buffers=0 ! emooverlay name=ov%s%s ! "
      "videoconvert ! ", opt_position ? " position=" : "",
      opt_position ? opt_position : "");
  if (!strcmp (a->cont.venc, "x264enc"))
    g_string_append_printf (d, "x264enc speed-preset=veryfast pass=qual "
        "quantizer=%d", opt_quantizer);
  else
    g_string_append (d, "vp8enc deadline=1 cpu-used=8");
  if (opt_encoder_threads > 0)
    g_string_append_printf (d, " threads=%d", opt_encoder_threads);
  if (!strcmp (a->cont.venc, "x264enc"))
    g_string_append (d, " ! h264parse");
  g_string_append_printf (d, " ! queue max-size-time=0 max-size-bytes=0 "
      "max-size-buffers=0 ! mux. %s name=mux ! filesink name=outsink "
      "sync=false", a->cont.mux);
  g_string_append (d, " emot. ! queue max-size-time=0 max-size-bytes=0 "
      "max-size-buffers=100 ! ov.emo_sink");
}

static void
append_audio_branches (GString * d, const Annotate * a)
{
  g_string_append (d, " queue name=ain max-size-time=0 max-size-bytes=0 "
      "max-size-buffers=64 ! tee name=at");
  if (a->use_aana)
    g_string_append (d, " at. ! queue name=aana");
  if (a->video_out)
    g_string_append_printf (d, " at. ! queue max-size-time=10000000000 "
        "max-size-bytes=0 max-size-buffers=0 ! audioconvert ! audioresample "
        "! %s ! queue name=amuxq max-size-time=0 max-size-bytes=0 "
        "max-size-buffers=0 ! mux.", a->cont.aenc);
}

/* The whole graph as a gst-launch-1.0 description (file locations are set
 * on the named sinks afterwards). NULL when no analysis is possible. */
static gchar *
describe_graph (Annotate * a)
{
  GString *d = g_string_new (NULL);
  gchar **parts, *desc;

  if (!compose_emo (d, a, &a->models, a->fusion, &a->use_vana, &a->use_aana,
          a->report)) {
    emo_fail ("no analysis available for %s: it needs %s%s%s and their "
        "model files in %s; or overlay stored predictions with "
        "--predictions FILE.csv", a->in,
        a->has_audio ? "emoaudiofeat + emomtl" : "",
        a->has_audio && a->has_video ? " or " : "",
        a->has_video ? "emovisfeat + emomtl" : "",
        opt_models ? opt_models : default_models_dir ());
    if (a->report->len)
      fprintf (stderr, "%s", a->report->str);
    g_string_free (d, TRUE);
    return NULL;
  }
  /* decode only when something consumes the media */
  if (a->video_out || a->use_vana || a->use_aana)
    g_string_prepend (d, "uridecodebin name=dec ");
  if (a->has_video && (a->video_out || a->use_vana))
    append_video_branches (d, a);
  if (a->has_audio && (a->video_out || a->use_aana))
    append_audio_branches (d, a);
  if (a->target[OUT_CSV])
    append_export (d, "csv", "csvsink");
  if (a->target[OUT_VTT])
    append_export (d, "webvtt", "vttsink");
  if (a->target[OUT_JSON])
    append_export (d, "jsonl", "jsonsink");
  if (!a->video_out && !a->target[OUT_CSV] && !a->target[OUT_VTT]
      && !a->target[OUT_JSON])
    /* nothing but the plot, or nothing at all: still run the analysis */
    g_string_append (d, " emot. ! queue ! fakesink sync=false");

  parts = g_strsplit (d->str, "@NAME@", -1);
  desc = g_strjoinv (a->name, parts);
  g_strfreev (parts);
  g_string_free (d, TRUE);
  return desc;
}

static GstPadProbeReturn
decoded_probe (GstPad * pad, GstPadProbeInfo * info, Annotate * a)
{
  g_mutex_lock (&a->lock);
  a->decoded++;
  g_mutex_unlock (&a->lock);
  return GST_PAD_PROBE_OK;
}

static void
add_probe (Annotate * a, const gchar * element, const gchar * pad,
    GstPadProbeType type, GstPadProbeCallback cb)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (a->pipeline), element);
  GstPad *p;

  if (!e)
    return;
  p = gst_element_get_static_pad (e, pad);
  gst_pad_add_probe (p, type, cb, a, NULL);
  gst_object_unref (p);
  gst_object_unref (e);
}

/* What the record says produced the outputs. */
static void
record_sources (Annotate * a)
{
  GstElement *pl = a->pipeline;
  struct
  {
    const gchar *element, *path;
  } used[] = {
    {"amtl", a->models.audio}, {"vmtl", a->models.video},
    {"emtl", a->models.early},
    {"fuse", !strcmp (a->fusion, "multistage") ? a->models.stage2 : NULL},
  };
  guint i;
  gchar q[8];

  a->record = emo_record_new ("annotate");
  emo_record_add_input (a->record, a->in);
  if (opt_predictions)
    emo_record_add_input (a->record, opt_predictions);
  for (i = 0; i < G_N_ELEMENTS (used); i++) {
    GstElement *e = gst_bin_get_by_name (GST_BIN (pl), used[i].element);
    if (e && used[i].path)
      emo_record_add_model (a->record, used[i].path);
    if (e)
      gst_object_unref (e);
  }
  emo_record_set_option (a->record, "fusion", a->fusion);
  emo_record_set_option (a->record, "predictions", opt_predictions ?
      opt_predictions : "");
  emo_record_set_option (a->record, "speaker-profile", opt_profile ?
      opt_profile : "");
  emo_record_set_option (a->record, "no-video", opt_no_video ? "true" :
      "false");
  emo_record_set_option (a->record, "position", opt_position ? opt_position :
      "top-left");
  g_snprintf (q, sizeof q, "%d", opt_quantizer);
  emo_record_set_option (a->record, "quantizer", q);
}

/* The pipeline from the description, writing into the temporaries. */
static gboolean
build_pipeline (Annotate * a, const gchar * desc)
{
  GError *err = NULL;
  GstElement *e;
  guint i;

  a->pipeline = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
      &err);
  if (!a->pipeline) {
    emo_fail ("could not build the pipeline: %s", err->message);
    g_error_free (err);
    return FALSE;
  }
  for (i = 0; i < N_OUTS; i++) {
    if (!a->target[i] || !out_sinks[i])
      continue;
    a->tmp[i] = emo_output_new (a->target[i], &err);
    if (!a->tmp[i]) {
      emo_fail ("%s", err->message);
      g_error_free (err);
      return FALSE;
    }
    set_if (a->pipeline, out_sinks[i], "location",
        emo_output_temp_path (a->tmp[i]));
  }
  set_if (a->pipeline, "dec", "uri", a->uri);
  if (opt_predictions)
    set_if (a->pipeline, "predsrc", "location", opt_predictions);
  if (a->models.audio)
    set_if (a->pipeline, "amtl", "model", a->models.audio);
  if (opt_profile)
    set_if (a->pipeline, "amtl", "norm-stats", opt_profile);
  if (a->models.video)
    set_if (a->pipeline, "vmtl", "model", a->models.video);
  if (a->models.early)
    set_if (a->pipeline, "emtl", "model", a->models.early);
  if (a->models.stage2 && !strcmp (a->fusion, "multistage"))
    set_if (a->pipeline, "fuse", "model", a->models.stage2);

  a->vin = gst_bin_get_by_name (GST_BIN (a->pipeline), "vin");
  a->ain = gst_bin_get_by_name (GST_BIN (a->pipeline), "ain");
  e = gst_bin_get_by_name (GST_BIN (a->pipeline), "dec");
  if (e) {
    g_signal_connect (e, "pad-added", G_CALLBACK (on_pad_added), a);
    gst_object_unref (e);
  }
  add_probe (a, "vin", "sink", GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) decoded_probe);
  add_probe (a, "ain", "sink", GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) decoded_probe);
  /* progress: video frames leaving the overlay, or the emotion stream */
  add_probe (a, a->video_out ? "ov" : "emot", a->video_out ? "src" : "sink",
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      (GstPadProbeCallback) progress_probe);
  add_probe (a, "emot", "sink",
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      (GstPadProbeCallback) emo_probe);
  /* inputs and models as they are when the run starts */
  record_sources (a);
  return TRUE;
}

/* Runs the pipeline to EOS, an error or Ctrl-C; a->status says which. */
static void
run_pipeline (Annotate * a)
{
  GstBus *bus = gst_element_get_bus (a->pipeline);
  guint bus_id, timer_id = 0;

  bus_id = gst_bus_add_watch (bus, on_bus, a);
  /* a signal that came before the run */
  while (g_main_context_iteration (NULL, FALSE));
  if (a->status != 0) {
    g_source_remove (bus_id);
    gst_object_unref (bus);
    return;
  }
  a->tty = isatty (fileno (stderr));
  a->t_start = g_get_monotonic_time ();
  a->last_line = a->t_start;
  if (!opt_quiet)
    timer_id = g_timeout_add (a->tty ? 250 : 1000, on_progress, a);

  if (gst_element_set_state (a->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* the bus carries the reason */
    a->status = 1;
    while (TRUE) {
      GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (!m)
        break;
      on_bus (bus, m, a);
      gst_message_unref (m);
    }
    if (a->status == 1)
      emo_fail ("could not start the pipeline");
    a->status = 1;
  } else {
    a->status = 0;
    g_main_loop_run (a->loop);
  }
  if (timer_id) {
    if (a->status == 0)
      on_progress (a);
    g_source_remove (timer_id);
    if (a->tty)
      fprintf (stderr, "\n");
  }
  gst_element_set_state (a->pipeline, GST_STATE_NULL);
  g_source_remove (bus_id);
  gst_object_unref (bus);
}

static void
discard_outputs (Annotate * a)
{
  guint i;

  for (i = 0; i < N_OUTS; i++) {
    emo_output_discard (a->tmp[i]);
    a->tmp[i] = NULL;
  }
}

/* Renames the finished outputs into place (plot included), each announced
 * only once it exists; the record goes last. */
static int
commit_outputs (Annotate * a)
{
  const gchar *primary = NULL;
  GError *err = NULL;
  gchar *rpath;
  guint i;

  for (i = 0; i < N_OUTS; i++) {
    if (!a->target[i])
      continue;
    if (i == OUT_PLOT) {
      if (!emo_plot_series_save (a->series, a->target[i], 1200, 400, a->name,
              &err))
        goto fail;
    } else {
      EmoOutput *o = a->tmp[i];
      a->tmp[i] = NULL;
      if (!emo_output_commit (o, &err))
        goto fail;
    }
    printf ("emo: wrote %s\n", a->target[i]);
    emo_record_add_output (a->record, a->target[i]);
    if (!primary)
      primary = a->target[i];
  }
  if (!primary)
    return 0;
  emo_record_set_frames (a->record, a->frames);
  rpath = emo_record_path_for (primary);
  if (!emo_record_write (a->record, rpath, !a->interrupted, &err)) {
    g_free (rpath);
    goto fail;
  }
  g_free (rpath);
  return 0;

fail:
  emo_fail ("%s", err->message);
  g_error_free (err);
  discard_outputs (a);
  return 1;
}

/* After the run: whole outputs into place, anything else removed. */
static int
finish_outputs (Annotate * a)
{
  gboolean decodes = a->video_out || a->use_vana || a->use_aana;

  if (a->before_first_frame) {
    discard_outputs (a);
    emo_fail ("interrupted before the first frame; nothing written");
    return 130;
  }
  if (a->status != 0) {
    discard_outputs (a);
    fprintf (stderr, "emo: nothing written\n");
    return a->status;
  }
  if ((decodes && a->decoded == 0) || (a->video_out && a->frames == 0)
      || (!decodes && a->series->t->len == 0)) {
    discard_outputs (a);
    if (decodes)
      return emo_fail ("no video or audio frames could be decoded from %s; "
          "nothing written", a->in);
    return emo_fail ("no predictions in %s; nothing written",
        opt_predictions ? opt_predictions : a->in);
  }
  printf ("emo: %s%.1f s of media in %.1f s (%" G_GUINT64_FORMAT
      " %s frames, %u emotion frames)\n", a->interrupted ? "interrupted: " :
      "done: ", GST_CLOCK_TIME_IS_VALID (a->position) ?
      (gdouble) a->position / GST_SECOND : 0.0,
      (g_get_monotonic_time () - a->t_start) / 1e6, a->frames,
      a->video_out ? "video" : "emotion", a->series->t->len);
  return commit_outputs (a);
}

/* name=NAME in `desc` gets PROP='VALUE' (shell-quoted) after it. */
static gchar *
with_property (gchar * desc, const gchar * name, const gchar * prop,
    const gchar * value)
{
  gchar *key = g_strdup_printf (" name=%s", name), *at, *q, *out;
  gsize end;

  at = value ? strstr (desc, key) : NULL;
  if (!at) {
    g_free (key);
    return desc;
  }
  end = (at - desc) + strlen (key);
  q = g_shell_quote (value);
  out = g_strdup_printf ("%.*s %s=%s%s", (int) end, desc, prop, q, desc + end);
  g_free (q);
  g_free (key);
  g_free (desc);
  return out;
}

/* The graph as a runnable shell command: what the program links on
 * pad-added (decoded video to "vin", audio to "ain") is written as caps-
 * filtered links, and the locations it sets are filled in. */
static void
print_launch_line (Annotate * a, const gchar * desc)
{
  gchar *d = g_strdup (desc), **parts;
  guint i;

  parts = g_strsplit (d, " queue name=vin ", -1);
  g_free (d);
  d = g_strjoinv (" dec. ! video/x-raw ! queue name=vin ", parts);
  g_strfreev (parts);
  parts = g_strsplit (d, " queue name=ain ", -1);
  g_free (d);
  d = g_strjoinv (" dec. ! audio/x-raw ! queue name=ain ", parts);
  g_strfreev (parts);
  /* the caps' braces would be expanded by bash */
  parts = g_strsplit (d, " " VIDEO_FORMATS " ", -1);
  g_free (d);
  d = g_strjoinv (" '" VIDEO_FORMATS "' ", parts);
  g_strfreev (parts);
  d = with_property (d, "dec", "uri", a->uri);
  d = with_property (d, "predsrc", "location", opt_predictions);
  for (i = 0; i < N_OUTS; i++)
    if (out_sinks[i])
      d = with_property (d, out_sinks[i], "location", a->target[i]);
  d = with_property (d, "amtl", "model", a->models.audio);
  d = with_property (d, "amtl", "norm-stats", opt_profile);
  d = with_property (d, "vmtl", "model", a->models.video);
  d = with_property (d, "emtl", "model", a->models.early);
  if (!strcmp (a->fusion, "multistage"))
    d = with_property (d, "fuse", "model", a->models.stage2);
  printf ("gst-launch-1.0 -e %s\n", d);
  g_free (d);
}

int
emo_annotate_input (const gchar * in, const EmoAnnotateOutputs * w)
{
  Annotate a;
  gchar *desc = NULL;
  int ret = 1;

  annotate_init (&a, in);
  if (!open_input (&a) || !plan_outputs (&a, w))
    goto out;
  desc = describe_graph (&a);
  if (!desc)
    goto out;
  if (opt_print) {
    print_launch_line (&a, desc);
    ret = 0;
    goto out;
  }
  if (!build_pipeline (&a, desc))
    goto out;
  printf ("emo: annotating %s%s%s\n", in, a.target[OUT_VIDEO] ? " -> " : "",
      a.target[OUT_VIDEO] ? a.target[OUT_VIDEO] : "");
  printf ("emo: predictions from:\n%s", a.report->str);
  fflush (stdout);
  run_pipeline (&a);
  ret = finish_outputs (&a);

out:
  annotate_clear (&a);
  g_free (desc);
  return ret;
}

int
emo_cmd_annotate (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  EmoAnnotateOutputs w;
  int ret = 1;
  static const EmoBatchCommand batch = { "annotate", entries, "output", NULL,
    emo_batch_media_extensions
  };

  if (emo_batch_wanted (&batch, argc, argv))
    return emo_batch_run (&batch, argc, argv);
  ctx =
      g_option_context_new
      ("IN - annotate a video with arousal, valence and liking");
  g_option_context_set_summary (ctx,
      "Decodes IN, predicts dimensional emotion from its audio and video (or overlays\n"
      "stored predictions with --predictions), draws the read-out over the video and\n"
      "encodes it with the audio kept; optionally writes the numbers and a plot.\n"
      "Outputs appear under their names only when finished; Ctrl-C stops early and\n"
      "still leaves a playable, shorter file (its record says \"partial\").");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, emo_batch_option_group ());
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (argc != 2) {
    ret =
        emo_fail
        ("annotate needs exactly one input file (see emo annotate --help)");
    goto out;
  }
  if (!check_options ())
    goto out;
  w.video = opt_out;
  w.csv = opt_csv;
  w.vtt = opt_vtt;
  w.json = opt_json;
  w.plot = opt_plot;
  ret = emo_annotate_input (argv[1], &w);

out:
  g_clear_error (&err);
  g_option_context_free (ctx);
  return ret;
}
