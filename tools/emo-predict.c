/* emo predict: run model files over a folder of feature files and write
 * AVEC-style prediction CSVs on the label timeline.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "emo-batch.h"
#include "emo-commands.h"
#include "emo-output.h"
#include "io/emo-table.h"
#include "ml/emo-runner.h"
#include "ml/emo-trainer.h"

static gchar **opt_models;
static gchar *opt_features, *opt_out;
static gboolean opt_signal_time, opt_info, opt_clip;
static gchar *opt_normalise, *opt_norm_stats;
static gboolean opt_norm_persist;
static gdouble opt_norm_warmup = -1.0, opt_norm_window = -1.0;

static GOptionEntry entries[] = {
  {"model", 'm', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_models,
      "Model file (repeat to combine single-task models)", "FILE"},
  {"features", 'f', 0, G_OPTION_ARG_FILENAME, &opt_features,
      "Folder of feature CSV/ARFF files", "DIR"},
  {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
      "Folder for prediction CSVs (same file names)", "DIR"},
  {"signal-time", 0, 0, G_OPTION_ARG_NONE, &opt_signal_time,
        "Do not apply the model's delay (predictions on the signal's timeline, as emomtl)",
      NULL},
  {"normalise", 0, 0, G_OPTION_ARG_STRING, &opt_normalise,
        "auto (default: as the model was trained), fixed or stream (each file is one stream, as emomtl's normalise property)",
      "MODE"},
  {"norm-warmup", 0, 0, G_OPTION_ARG_DOUBLE, &opt_norm_warmup,
      "Stream normalisation warm-up in seconds (default: the model's)", "S"},
  {"norm-window", 0, 0, G_OPTION_ARG_DOUBLE, &opt_norm_window,
        "Stream normalisation window in seconds, 0 = whole file (default: the model's)",
      "S"},
  {"norm-persist", 0, 0, G_OPTION_ARG_NONE, &opt_norm_persist,
        "Stream normalisation: carry the statistics from file to file (in name order: one speaker's sessions)",
      NULL},
  {"norm-stats", 0, 0, G_OPTION_ARG_FILENAME, &opt_norm_stats,
        "Stream normalisation: speaker profile read before the first file (if it exists) and written after the last (as emomtl norm-stats); implies --norm-persist",
      "FILE"},
  {"clip", 0, 0, G_OPTION_ARG_NONE, &opt_clip,
        "One prediction per file (short clips): the mean of the later half of its frame predictions (at most the first 2 s left out), one row at time 0, no delay shift",
      NULL},
  {"info", 0, 0, G_OPTION_ARG_NONE, &opt_info,
      "Print what the model files contain and exit", NULL},
  {NULL}
};

/* frames per forward call (longer files are run in pieces, state kept) */
#define PREDICT_CHUNK 2048

/* --normalise auto (or absent): as the model was trained */
static EmoNormMode
effective_mode (const EmoModel * m)
{
  if (!opt_normalise || g_str_equal (opt_normalise, "auto"))
    return m->norm;
  return g_str_equal (opt_normalise, "stream") ? EMO_NORM_STREAM :
      EMO_NORM_FIXED;
}

/* --clip: the frame predictions o[T][n] become one row at time 0 */
#define CLIP_SKIP_SECONDS 2.0
static EmoTable *
clip_table (EmoTable * o, double frame_rate)
{
  EmoTable *c = emo_table_new (o->name, 1, o->n_cols);
  guint k;

  for (k = 0; k < o->n_cols; k++) {
    g_free (c->col_names[k]);
    c->col_names[k] = g_strdup (o->col_names[k]);
  }
  c->timestamps[0] = 0.0;
  emo_clip_summary (o->data, o->n_rows, o->n_cols,
      emo_clip_first_frame (o->n_rows, frame_rate, CLIP_SKIP_SECONDS), c->data);
  emo_table_free (o);
  return c;
}

/* One feature table through every model: the attribute columns side by
 * side, on the label timeline unless --signal-time. Each file is a stream:
 * the recurrent state starts at zero, the running statistics too unless
 * they persist across files. */
static EmoTable *
predict_table (const EmoTable * f, GPtrArray * models,
    EmoModelRunner ** runners, gboolean persist, guint n_out, GError ** error)
{
  guint T = f->n_rows, col = 0, j, k, t;
  EmoTable *o = emo_table_new (f->name, T, n_out);

  memcpy (o->timestamps, f->timestamps, T * sizeof (gdouble));
  for (j = 0; j < models->len; j++) {
    EmoModel *m = g_ptr_array_index (models, j);
    guint K = m->net->n_out, d;
    float *y;

    if (f->n_cols != m->n_in) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_MISMATCH,
          "%s: %u feature columns, model %s expects %u (layout %s)",
          f->path, f->n_cols, opt_models[j], m->n_in, m->layout);
      emo_table_free (o);
      return NULL;
    }
    d = opt_signal_time || opt_clip ? 0 :
        (guint) lround (m->rec.delay * m->frame_rate);
    y = g_new (float, (gsize) MAX (T, 1) * K);
    emo_model_runner_reset_state (runners[j]);
    if (runners[j]->norm && !persist)
      emo_stream_norm_reset (runners[j]->norm);
    emo_model_runner_process (runners[j], f->data, T, y);
    for (k = 0; k < K; k++) {
      g_free (o->col_names[col + k]);
      o->col_names[col + k] = g_strdup (m->attr_names[k]);
      for (t = 0; t < T; t++) {
        guint src = t >= d ? t - d : 0;
        o->data[(gsize) t * n_out + col + k] = y[(gsize) src * K + k];
      }
    }
    col += K;
    g_free (y);
  }
  if (opt_clip)
    return clip_table (o, ((EmoModel *) g_ptr_array_index (models,
                0))->frame_rate);
  return o;
}

/* The model files (--info: described on the way); they must share one
 * layout. NULL (message printed) on failure. */
static GPtrArray *
load_models (guint * n_out)
{
  GPtrArray *models =
      g_ptr_array_new_with_free_func ((GDestroyNotify) emo_model_free);
  GError *err = NULL;
  guint i;

  for (i = 0; opt_models[i]; i++) {
    EmoModel *m = emo_model_load (opt_models[i], &err);
    if (!m) {
      emo_fail ("%s", err->message);
      g_error_free (err);
      goto fail;
    }
    if (opt_info) {
      gchar *d = emo_model_describe (m);
      printf ("%s: %s\n", opt_models[i], d);
      g_free (d);
    }
    if (models->len) {
      EmoModel *m0 = g_ptr_array_index (models, 0);
      if (m->n_in != m0->n_in || g_strcmp0 (m->layout, m0->layout)) {
        emo_fail ("%s: layout %s/%u features differs from %s (%s/%u)",
            opt_models[i], m->layout, m->n_in, opt_models[0], m0->layout,
            m0->n_in);
        emo_model_free (m);
        goto fail;
      }
    }
    *n_out += m->net->n_out;
    g_ptr_array_add (models, m);
  }
  return models;

fail:
  g_ptr_array_unref (models);
  return NULL;
}

/* out/<feature file name>.csv */
static gchar *
prediction_path (const EmoTable * f)
{
  gchar *base = g_path_get_basename (f->path), *path;

  if (g_str_has_suffix (base, ".arff"))
    strcpy (base + strlen (base) - 5, ".csv");
  path = g_build_filename (opt_out, base, NULL);
  g_free (base);
  return path;
}

/* No prediction file may be, or replace, a feature file or a model; then
 * the output folder exists. */
static gboolean
prepare_outputs (GPtrArray * feats)
{
  GPtrArray *outs = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *ins = g_ptr_array_new ();
  gboolean ok;
  guint i;

  for (i = 0; i < feats->len; i++) {
    EmoTable *f = g_ptr_array_index (feats, i);
    g_ptr_array_add (outs, prediction_path (f));
    g_ptr_array_add (ins, f->path);
  }
  for (i = 0; opt_models[i]; i++)
    g_ptr_array_add (ins, opt_models[i]);
  ok = emo_refuse_inputs (outs, ins);
  g_ptr_array_unref (outs);
  g_ptr_array_unref (ins);
  if (ok && g_mkdir_with_parents (opt_out, 0755) != 0) {
    emo_fail ("cannot create %s", opt_out);
    ok = FALSE;
  }
  return ok;
}

/* The record beside one prediction file. */
static gboolean
record_prediction (const EmoTable * f, const gchar * path, GError ** error)
{
  gchar w[G_ASCII_DTOSTR_BUF_SIZE], win[G_ASCII_DTOSTR_BUF_SIZE];
  const gchar *inputs[] = { f->path, NULL };
  const gchar *options[] = {
    "normalise", opt_normalise ? opt_normalise : "auto",
    "signal-time", opt_signal_time ? "true" : "false",
    "norm-warmup", g_ascii_dtostr (w, sizeof w, opt_norm_warmup),
    "norm-window", g_ascii_dtostr (win, sizeof win, opt_norm_window),
    "norm-persist", opt_norm_persist ? "true" : "false",
    "norm-stats", opt_norm_stats ? opt_norm_stats : "",
    NULL
  };

  return emo_record_write_beside ("predict", path, inputs,
      (const gchar * const *) opt_models, options, f->n_rows, error);
}

int
emo_cmd_predict (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  GPtrArray *models = NULL, *feats = NULL;
  EmoModelRunner **runners = NULL;      /* per model */
  gboolean persist;
  guint i, j, n_out = 0;
  int ret = 1;
  static const EmoBatchCommand batch = { "predict", entries, "out", "features",
    emo_batch_table_extensions
  };

  if (emo_batch_wanted (&batch, argc, argv))
    return emo_batch_run (&batch, argc, argv);
  ctx =
      g_option_context_new
      ("[FEATURES...] - predict arousal, valence, liking with model files");
  g_option_context_set_summary (ctx,
      "Writes name;timestamp;<attributes> per feature file. The model's annotation\n"
      "delay is applied back (prediction for label time t comes from the features\n"
      "at t - delay; the first frames repeat the first prediction), so the CSVs\n"
      "score directly against label files with emo eval.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, emo_batch_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!opt_models || (!opt_info && ((!opt_features && argc < 2)
              || !opt_out))) {
    ret =
        emo_fail
        ("predict needs --model FILE --features DIR --out DIR (see emo predict --help)");
    goto out;
  }
  if (opt_normalise && !g_str_equal (opt_normalise, "auto")
      && !g_str_equal (opt_normalise, "fixed")
      && !g_str_equal (opt_normalise, "stream")) {
    ret =
        emo_fail ("unknown --normalise \"%s\" (auto, fixed or stream)",
        opt_normalise);
    goto out;
  }
  if (opt_norm_warmup > EMO_NORM_MAX_SECONDS
      || opt_norm_window > EMO_NORM_MAX_SECONDS) {
    ret =
        emo_fail ("--norm-warmup and --norm-window are at most %g s",
        EMO_NORM_MAX_SECONDS);
    goto out;
  }
  models = load_models (&n_out);
  if (!models)
    goto out;
  if (opt_info) {
    ret = 0;
    goto out;
  }
  if (n_out > 64) {
    ret = emo_fail ("too many attributes");
    goto out;
  }
  /* feature files as arguments (one per batch worker), or a folder */
  if (argc > 1 && !opt_features) {
    feats = g_ptr_array_new_with_free_func ((GDestroyNotify) emo_table_free);
    for (i = 1; i < (guint) argc; i++) {
      EmoTable *t = emo_table_read (argv[i], &err);
      if (!t)
        break;
      g_ptr_array_add (feats, t);
    }
    if (err)
      g_clear_pointer (&feats, g_ptr_array_unref);
  } else {
    feats = emo_table_read_dir (opt_features, &err);
  }
  if (!feats) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!prepare_outputs (feats))
    goto out;
  /* the command owns its process: one BLAS thread (each file's frames are
   * one sequence; a second thread only spins) */
  emo_blas_set_threads (1);
  persist = opt_norm_persist || opt_norm_stats;
  runners = g_new0 (EmoModelRunner *, models->len + 1);
  for (j = 0; j < models->len; j++) {
    EmoModel *m = g_ptr_array_index (models, j);
    gboolean loaded;
    runners[j] = emo_model_runner_new (m, effective_mode (m),
        opt_norm_warmup, opt_norm_window, PREDICT_CHUNK);
    if (persist && !runners[j]->norm)
      g_printerr ("%s normalises with fixed statistics: --norm-persist and "
          "--norm-stats do not apply to it\n", opt_models[j]);
    if (opt_norm_stats && runners[j]->norm
        && !emo_stream_norm_stats_load (runners[j]->norm, m->layout,
            opt_norm_stats, TRUE, &loaded, &err)) {
      ret = emo_fail ("%s", err->message);
      goto out;
    }
  }

  for (i = 0; i < feats->len; i++) {
    EmoTable *f = g_ptr_array_index (feats, i);
    EmoTable *o;
    gchar *path;

    o = predict_table (f, models, runners, persist, n_out, &err);
    if (!o) {
      ret = emo_fail ("%s", err->message);
      goto out;
    }
    path = prediction_path (f);
    /* written whole (temporary + rename), then its record */
    if (!emo_table_write_csv (o, path, &err)
        || !record_prediction (f, path, &err)) {
      ret = emo_fail ("%s", err->message);
      g_free (path);
      emo_table_free (o);
      goto out;
    }
    g_free (path);
    emo_table_free (o);
  }
  if (opt_norm_stats && runners[0]->norm
      && !emo_stream_norm_stats_save (runners[0]->norm,
          ((EmoModel *) g_ptr_array_index (models, 0))->layout, opt_norm_stats,
          &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  printf ("wrote %u prediction files to %s\n", feats->len, opt_out);
  ret = 0;

out:
  if (runners) {
    for (j = 0; runners[j]; j++)
      emo_model_runner_free (runners[j]);
    g_free (runners);
  }
  if (models)
    g_ptr_array_unref (models);
  if (feats)
    g_ptr_array_unref (feats);
  g_clear_error (&err);
  g_option_context_free (ctx);
  return ret;
}
