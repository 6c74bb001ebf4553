/* emo extract: eGeMAPS v02 features from audio files (libsndfile) into
 * AVEC-style CSV or ARFF, one file per input. Uses the same kernel code as
 * the emoaudiofeat element, so the numbers are identical for equal samples.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sndfile.h>

#include "emo-batch.h"
#include "emo-commands.h"
#include "emo-extract-image.h"
#include "emo-output.h"
#include "emo-extract-video.h"
#include "dsp/emo-audiofeat.h"
#include "io/emo-table.h"       /* EMO_IO_ERROR */

#define BLOCK_FRAMES 8192

static gchar *opt_out;
static gchar *opt_set;
static gdouble opt_window = 4.0;
static gdouble opt_hop = 0.1;
static gchar *opt_format;
static gboolean opt_quiet;
static gchar *opt_modality;

static GOptionEntry entries[] = {
  {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
      "Output folder (created if missing)", "DIR"},
  {"feature-set", 's', 0, G_OPTION_ARG_STRING, &opt_set,
        "egemaps-functionals (88, default), egemaps-lld-meanstd (50) or egemaps-lld (25)",
      "SET"},
  {"window", 'w', 0, G_OPTION_ARG_DOUBLE, &opt_window,
      "Trailing window in seconds (default 4)", "S"},
  {"hop", 0, 0, G_OPTION_ARG_DOUBLE, &opt_hop,
      "Hop between frames in seconds (default 0.1)", "S"},
  {"format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "csv (default) or arff",
      "FMT"},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No progress line", NULL},
  {"modality", 'm', 0, G_OPTION_ARG_STRING, &opt_modality,
      "audio (default: libsndfile), video (emovisfeat on the video track) or both "
        "(decoded once with GStreamer; writes DIR/audio and DIR/video)", "M"},
  {NULL}
};

/* Rows go to the file as they come (memory stays flat for long inputs),
 * through the tables' streaming writer. */
typedef struct
{
  FILE *f;
  GString *line;
  const gchar *name;
  EmoTableFormat format;
  gdouble hop_s;
  guint64 rows;
  gboolean failed;
} Writer;

static void
on_frame (guint64 index, const gfloat * values, guint dims,
    gfloat voiced_fraction, gpointer user_data)
{
  Writer *w = user_data;

  emo_table_append_row (w->line, w->format, w->name, index * w->hop_s, values,
      dims, EMO_TABLE_PRECISION, NULL);
  if (w->line->len > 65536) {
    if (fwrite (w->line->str, 1, w->line->len, w->f) != w->line->len)
      w->failed = TRUE;
    g_string_truncate (w->line, 0);
  }
  w->rows = index + 1;
}

static void
progress (const gchar * name, guint i, guint n, gdouble done, gdouble total_s,
    gdouble elapsed, gboolean final)
{
  gdouble pct = total_s > 0 ? 100.0 * done / total_s : 100.0;

  fprintf (stderr, "\r[%u/%u] %s: %5.1f%% of %.1f s audio, %.0fx real time%s",
      i + 1, n, name, MIN (pct, 100.0), total_s,
      elapsed > 0 ? done / elapsed : 0.0, final ? "\n" : "");
  fflush (stderr);
}

/* still images: a count every 500 images and at the end */
static void
progress_still (const gchar * name, gint i, gint n)
{
  if (i % 500 == 0 || i == n)
    fprintf (stderr, "\r[%d/%d] %s%s", i, n, name, i == n ? "\n" : "");
}

static gboolean
extract_one (const gchar * path, EmoFeatureSet set, guint win_ms, guint hop_ms,
    gboolean arff, guint index, guint n_files, gboolean show, GError ** error)
{
  SF_INFO sfi;
  SNDFILE *sf;
  EmoAudioFeat *af = NULL;
  gfloat *block = NULL, *mono = NULL;
  Writer w = { 0 };
  gchar *base = NULL, *name = NULL, *dot, *out = NULL;
  EmoOutput *tmp = NULL;
  gboolean ok = FALSE;
  GTimer *timer = g_timer_new ();
  gdouble total_s, last_shown = 0;
  guint64 done = 0;
  guint d, dims;

  memset (&sfi, 0, sizeof (sfi));
  sf = sf_open (path, SFM_READ, &sfi);
  if (!sf) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: %s", path,
        sf_strerror (NULL));
    goto out;
  }
  if (sfi.channels < 1 || sfi.samplerate < EMO_AUDIOFEAT_MIN_RATE ||
      sfi.samplerate > EMO_AUDIOFEAT_MAX_RATE) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s: sample rate %d Hz (%d channels) not supported: resample to 16000-48000 Hz first",
        path, sfi.samplerate, sfi.channels);
    goto out;
  }
  af = emo_audio_feat_new ((guint) sfi.samplerate, set, win_ms, hop_ms, error);
  if (!af)
    goto out;
  dims = emo_audio_feat_dims (af);
  base = g_path_get_basename (path);
  name = g_strdup (base);
  dot = strrchr (name, '.');
  if (dot && dot != name)
    *dot = '\0';
  out = g_strdup_printf ("%s/%s.%s", opt_out, name, arff ? "arff" : "csv");
  tmp = emo_output_new (out, error);
  if (!tmp)
    goto out;
  w.f = fopen (emo_output_temp_path (tmp), "wb");
  if (!w.f) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: cannot write: %s",
        out, g_strerror (errno));
    goto out;
  }
  w.line = g_string_sized_new (70000);
  w.name = name;
  w.format = arff ? EMO_TABLE_FORMAT_ARFF : EMO_TABLE_FORMAT_CSV;
  w.hop_s = hop_ms / 1000.0;
  {
    const gchar **cols = g_new (const gchar *, MAX (dims, 1));
    for (d = 0; d < dims; d++)
      cols[d] = emo_feature_set_name (set, d);
    emo_table_append_header (w.line, w.format, name, cols, dims);
    g_free (cols);
  }

  block = g_new (gfloat, (gsize) BLOCK_FRAMES * sfi.channels);
  mono = g_new (gfloat, BLOCK_FRAMES);
  total_s = sfi.frames > 0 ? (gdouble) sfi.frames / sfi.samplerate : 0;
  for (;;) {
    sf_count_t got = sf_readf_float (sf, block, BLOCK_FRAMES);
    if (got <= 0)
      break;
    emo_audio_downmix_f32 (block, (guint) sfi.channels, (gsize) got, mono);
    emo_audio_feat_push (af, mono, (gsize) got, on_frame, &w);
    done += (guint64) got;
    if (show && (gdouble) done / sfi.samplerate - last_shown >= 60.0) {
      last_shown = (gdouble) done / sfi.samplerate;
      progress (base, index, n_files, last_shown, total_s,
          g_timer_elapsed (timer, NULL), FALSE);
    }
  }
  if (sf_error (sf) != SF_ERR_NO_ERROR) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s: read error after %" G_GUINT64_FORMAT " samples: %s", path, done,
        sf_strerror (sf));
    goto out;
  }
  emo_audio_feat_finish (af, on_frame, &w);
  if (show)
    progress (base, index, n_files, (gdouble) done / sfi.samplerate,
        (gdouble) done / sfi.samplerate, g_timer_elapsed (timer, NULL), TRUE);
  if (w.rows == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY,
        "%s: no audio samples", path);
    goto out;
  }
  if (fwrite (w.line->str, 1, w.line->len, w.f) != w.line->len || w.failed ||
      fclose (w.f) != 0) {
    w.f = NULL;
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s: write failed: %s",
        out, g_strerror (errno));
    goto out;
  }
  w.f = NULL;
  ok = emo_output_commit (tmp, error);
  tmp = NULL;
  if (ok) {
    gchar sw[16], sh[16];
    const gchar *ins[] = { path, NULL };
    const gchar *options[] = { "feature-set", emo_feature_set_nick (set),
      "window", sw, "hop", sh, "format", arff ? "arff" : "csv",
      "modality", "audio", NULL
    };
    g_snprintf (sw, sizeof sw, "%u", win_ms);
    g_snprintf (sh, sizeof sh, "%u", hop_ms);
    ok = emo_record_write_beside ("extract", out, ins, NULL, options, w.rows,
        error);
  }

out:
  if (w.f)
    fclose (w.f);
  emo_output_discard (tmp);
  if (w.line)
    g_string_free (w.line, TRUE);
  if (sf)
    sf_close (sf);
  emo_audio_feat_free (af);
  g_free (block);
  g_free (mono);
  g_free (base);
  g_free (name);
  g_free (out);
  g_timer_destroy (timer);
  return ok;
}

/* No feature file may be, or replace, an input: every name an input can
 * get (DIR/NAME.EXT, and DIR/audio, DIR/video for --modality both). */
static gboolean
refuse_inputs (int argc, char **argv, gboolean arff)
{
  GPtrArray *outs = g_ptr_array_new_with_free_func (g_free);
  const gchar *subs[] = { "", "audio", "video" };
  GError *err = NULL;
  gboolean ok;
  gint i;
  guint k;

  for (i = 1; i < argc; i++) {
    gchar *name = g_path_get_basename (argv[i]), *dot = strrchr (name, '.');
    gchar *fn;
    if (dot && dot != name)
      *dot = '\0';
    fn = g_strdup_printf ("%s.%s", name, arff ? "arff" : "csv");
    for (k = 0; k < G_N_ELEMENTS (subs); k++)
      g_ptr_array_add (outs, g_build_filename (opt_out, subs[k], fn, NULL));
    g_free (fn);
    g_free (name);
  }
  g_ptr_array_add (outs, NULL);
  ok = emo_output_refuse_inputs ((const gchar * const *) outs->pdata,
      (const gchar * const *) argv + 1, &err);
  if (!ok) {
    emo_fail ("extract: %s", err->message);
    g_error_free (err);
  }
  g_ptr_array_unref (outs);
  return ok;
}

int
emo_cmd_extract (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  EmoFeatureSet set = EMO_FEATURE_SET_FUNCTIONALS;
  gboolean arff = FALSE, show;
  EmoStillExtractor *still = NULL;
  guint win_ms, hop_ms;
  gint i;
  int ret = 1;
  static const EmoBatchCommand batch = { "extract", entries, "out", NULL,
    emo_batch_media_extensions
  };

  if (emo_batch_wanted (&batch, argc, argv))
    return emo_batch_run (&batch, argc, argv);
  ctx = g_option_context_new ("IN... - eGeMAPS v02 features of audio files");
  g_option_context_set_summary (ctx,
      "Reads audio files with libsndfile (wav, flac, ogg, ...; 16-48 kHz, channels\n"
      "averaged) and writes one AVEC-style CSV (name;timestamp;features) or ARFF per\n"
      "file into --out. Row k describes [k*hop, (k+1)*hop) and summarises the window\n"
      "ending at (k+1)*hop; the numbers equal those of the emoaudiofeat element.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, emo_batch_option_group ());
  g_option_context_set_help_enabled (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("extract: %s", err->message);
    goto out;
  }
  if (argc < 2 || !opt_out) {
    ret =
        emo_fail
        ("extract needs input files and --out DIR (see emo extract --help)");
    goto out;
  }
  /* vis-v1 / vis-v2 name the feature set of still images */
  if (opt_set && !g_str_has_prefix (opt_set, "vis-")
      && !emo_feature_set_from_nick (opt_set, &set)) {
    ret = emo_fail ("extract: unknown feature set \"%s\" (egemaps-functionals, "
        "egemaps-lld-meanstd, egemaps-lld)", opt_set);
    goto out;
  }
  if (opt_format && !strcmp (opt_format, "arff"))
    arff = TRUE;
  else if (opt_format && strcmp (opt_format, "csv")) {
    ret = emo_fail ("extract: unknown format \"%s\" (csv, arff)", opt_format);
    goto out;
  }
  if (!(opt_hop >= 0.01 && opt_hop <= 60 && opt_window >= opt_hop
          && opt_window <= 600)) {
    ret =
        emo_fail
        ("extract: need 0.01 <= --hop <= 60 and --hop <= --window <= 600 seconds");
    goto out;
  }
  if (!refuse_inputs (argc, argv, arff))
    goto out;
  win_ms = (guint) lround (opt_window * 100) * 10;
  hop_ms = (guint) lround (opt_hop * 100) * 10;
  if (g_mkdir_with_parents (opt_out, 0755) != 0) {
    ret =
        emo_fail ("extract: cannot create %s: %s", opt_out, g_strerror (errno));
    goto out;
  }
  show = !opt_quiet;
  if (opt_modality && strcmp (opt_modality, "audio")
      && strcmp (opt_modality, "video")
      && strcmp (opt_modality, "both")) {
    ret =
        emo_fail ("extract: unknown modality \"%s\" (audio, video, both)",
        opt_modality);
    goto out;
  }
  for (i = 1; i < argc; i++) {
    if (emo_is_still_image (argv[i])) {
      if (!still && !(still = emo_still_extractor_new (opt_set, opt_out, &err))) {
        ret = emo_fail ("extract: %s", err->message);
        goto out;
      }
      if (!emo_still_extract (still, argv[i], arff, &err)) {
        ret = emo_fail ("extract: %s", err->message);
        goto out;
      }
      if (show)
        progress_still (argv[i], i, argc - 1);
      continue;
    }
    if (opt_modality && strcmp (opt_modality, "audio")) {
      gboolean both = !strcmp (opt_modality, "both");
      gchar *vdir =
          both ? g_build_filename (opt_out, "video", NULL) : g_strdup (opt_out);
      gchar *adir = both ? g_build_filename (opt_out, "audio", NULL) : NULL;
      gboolean ok =
          emo_extract_media_file (argv[i], vdir, adir, hop_ms / 1000.0,
          win_ms / 1000.0, opt_set, arff, i - 1, argc - 1, show, &err);
      g_free (vdir);
      g_free (adir);
      if (!ok) {
        ret = emo_fail ("extract: %s", err->message);
        goto out;
      }
      continue;
    }
    if (!extract_one (argv[i], set, win_ms, hop_ms, arff, i - 1, argc - 1, show,
            &err)) {
      ret = emo_fail ("extract: %s", err->message);
      goto out;
    }
  }
  if (still && !emo_still_extractor_finish (still, &err)) {
    ret = emo_fail ("extract: %s", err->message);
    goto out;
  }
  ret = 0;

out:
  emo_still_extractor_free (still);
  g_clear_error (&err);
  g_option_context_free (ctx);
  return ret;
}
