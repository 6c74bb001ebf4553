/* emo train: multitask (or single-task) emotion models from AVEC-style
 * feature and label folders, with the weighted CCC loss of Atmaja & Akagi
 * (ICASSP 2020).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "emo-commands.h"
#include "emo-output.h"
#include "io/emo-table.h"
#include "ml/emo-model.h"
#include "ml/emo-trainer.h"

#define EMO_TRAIN_CONSTANT_SCALE 1e12f

static gchar *opt_features, *opt_labels, *opt_dev_features, *opt_dev_labels;
static gchar *opt_model = NULL, *opt_weights, *opt_hidden, *opt_out;
static gchar *opt_attrs, *opt_layout, *opt_optim, *opt_search_log;
static gchar *opt_normalise, *opt_describe;
static gdouble opt_norm_warmup = EMO_NORM_DEFAULT_WARMUP, opt_norm_window = 0.0;
static gint opt_search, opt_epochs = 50, opt_batch =
    34, opt_chunk, opt_threads = 1;
static gint opt_seed = 1;
static gboolean opt_stl, opt_quiet;
static gdouble opt_delay, opt_lr = 5e-4, opt_dropout = 0.4, opt_clip =
    5.0, opt_l2;

static GOptionEntry entries[] = {
  {"features", 'f', 0, G_OPTION_ARG_FILENAME, &opt_features,
      "Folder of training feature CSV/ARFF files", "DIR"},
  {"labels", 'l', 0, G_OPTION_ARG_FILENAME, &opt_labels,
      "Folder of training label CSVs (same file names)", "DIR"},
  {"devel-features", 0, 0, G_OPTION_ARG_FILENAME, &opt_dev_features,
      "Development features (epoch and weight choice)", "DIR"},
  {"devel-labels", 0, 0, G_OPTION_ARG_FILENAME, &opt_dev_labels,
      "Development labels", "DIR"},
  {"model", 'm', 0, G_OPTION_ARG_STRING, &opt_model,
      "lstm (default), mlp or linear", "KIND"},
  {"weights", 'w', 0, G_OPTION_ARG_STRING, &opt_weights,
        "Loss weights a,b,c (default 1,1,1; the paper's best 0.7,0.2,1.0)",
      "A,B,C"},
  {"search", 0, 0, G_OPTION_ARG_INT, &opt_search,
        "Random search over N weight draws in [0,1], best by mean dev CCC (resumable)",
      "N"},
  {"search-log", 0, 0, G_OPTION_ARG_FILENAME, &opt_search_log,
      "Search log to resume from (default OUT.search.tsv)", "FILE"},
  {"stl", 0, 0, G_OPTION_ARG_NONE, &opt_stl,
      "Train one single-task model per attribute (OUT-<attr>.emo)", NULL},
  {"delay", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_delay,
        "Annotation delay in seconds: labels are shifted this much earlier (default 0)",
      "S"},
  {"epochs", 'e', 0, G_OPTION_ARG_INT, &opt_epochs, "Epochs (default 50)", "N"},
  {"hidden", 0, 0, G_OPTION_ARG_STRING, &opt_hidden,
      "Hidden layer sizes (default lstm 256,128,64; mlp 64)", "H1,H2,..."},
  {"dropout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_dropout,
      "Dropout after each hidden layer (default 0.4)", "P"},
  {"lr", 0, 0, G_OPTION_ARG_DOUBLE, &opt_lr, "Learning rate (default 5e-4)",
      "LR"},
  {"optimizer", 0, 0, G_OPTION_ARG_STRING, &opt_optim,
      "rmsprop (default) or adam", "NAME"},
  {"batch", 'b', 0, G_OPTION_ARG_INT, &opt_batch,
      "Sequences per update (default 34)", "N"},
  {"chunk", 0, 0, G_OPTION_ARG_INT, &opt_chunk,
        "Cut training sequences into chunks of N frames (default 0: whole)",
      "N"},
  {"clip", 0, 0, G_OPTION_ARG_DOUBLE, &opt_clip,
      "Gradient norm clipping (default 5, 0 = off)", "X"},
  {"l2", 0, 0, G_OPTION_ARG_DOUBLE, &opt_l2,
      "L2 weight decay (ridge penalty for --model linear)", "X"},
  {"seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Random seed (default 1)", "N"},
  {"threads", 0, 0, G_OPTION_ARG_INT, &opt_threads,
        "OpenBLAS threads (default 1: the LSTMs here are small, and on a shared machine a second spinning BLAS thread made training 16x slower, bench/emodb-train.sh)",
      "N"},
  {"attributes", 'a', 0, G_OPTION_ARG_STRING, &opt_attrs,
        "Attributes to predict (default arousal,valence,liking where labelled)",
      "LIST"},
  {"layout", 0, 0, G_OPTION_ARG_STRING, &opt_layout,
        "Feature layout name stored in the model (default avec-csv, emoparse's)",
      "NAME"},
  {"normalise", 0, 0, G_OPTION_ARG_STRING, &opt_normalise,
        "fixed (default: training statistics) or stream (each file z-scored by running statistics, as emomtl does per stream)",
      "MODE"},
  {"norm-warmup", 0, 0, G_OPTION_ARG_DOUBLE, &opt_norm_warmup,
        "--normalise stream: weight of the training statistics as a prior, in seconds of frames (default 3)",
      "S"},
  {"norm-window", 0, 0, G_OPTION_ARG_DOUBLE, &opt_norm_window,
        "--normalise stream: forget frames older than about S seconds (default 0: never)",
      "S"},
  {"describe", 0, 0, G_OPTION_ARG_STRING, &opt_describe,
        "Describe the training data in the model's record with this text instead of the folder paths",
      "TEXT"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Model file to write",
      "FILE"},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No per-epoch lines", NULL},
  {NULL}
};

/* A folder of features matched with its labels, cropped to common length. */
typedef struct
{
  GPtrArray *feat, *lab;        /* EmoTable* */
  GArray *seqs;                 /* EmoSeq (x normalised in place later) */
  GPtrArray *bufs;              /* owned x / y copies */
  guint n_in;
  guint64 frames;
  double rate;
} DataSet;

static void
dataset_free (DataSet * d)
{
  if (!d)
    return;
  if (d->feat)
    g_ptr_array_unref (d->feat);
  if (d->lab)
    g_ptr_array_unref (d->lab);
  if (d->seqs)
    g_array_unref (d->seqs);
  if (d->bufs)
    g_ptr_array_unref (d->bufs);
  g_free (d);
}

static gchar *
base_key (const EmoTable * t)
{
  return g_path_get_basename (t->path);
}

/* Reads and pairs the folders; x and y are copied so that the delay shift
 * and normalisation never touch the tables. */
static DataSet *
dataset_load (const gchar * fdir, const gchar * ldir, gchar ** attrs,
    guint delay_frames, GError ** error)
{
  DataSet *d = g_new0 (DataSet, 1);
  GHashTable *by_name;
  guint i, k, n_attr = g_strv_length (attrs);

  d->feat = emo_table_read_dir (fdir, error);
  if (!d->feat)
    goto fail;
  d->lab = emo_table_read_dir (ldir, error);
  if (!d->lab)
    goto fail;
  d->seqs = g_array_new (FALSE, FALSE, sizeof (EmoSeq));
  d->bufs = g_ptr_array_new_with_free_func (g_free);
  by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < d->feat->len; i++) {
    EmoTable *f = g_ptr_array_index (d->feat, i);
    g_hash_table_insert (by_name, base_key (f), f);
  }
  d->n_in = ((EmoTable *) g_ptr_array_index (d->feat, 0))->n_cols;
  for (i = 0; i < d->lab->len; i++) {
    EmoTable *l = g_ptr_array_index (d->lab, i);
    gchar *key = base_key (l);
    EmoTable *f = g_hash_table_lookup (by_name, key);
    gint cols[EMO_NET_MAX_OUTPUTS];
    guint T, t;
    float *x, *y;
    EmoSeq s;

    g_free (key);
    if (!f) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_MISMATCH,
          "%s: no feature file of the same name in %s", l->path, fdir);
      g_hash_table_unref (by_name);
      goto fail;
    }
    if (f->n_cols != d->n_in) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_MISMATCH,
          "%s: %u feature columns, %s has %u", f->path, f->n_cols,
          ((EmoTable *) g_ptr_array_index (d->feat, 0))->path, d->n_in);
      g_hash_table_unref (by_name);
      goto fail;
    }
    for (k = 0; k < n_attr; k++) {
      cols[k] = emo_table_find_column (l, attrs[k]);
      if (cols[k] < 0) {
        g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_MISMATCH,
            "%s: no label column \"%s\"", l->path, attrs[k]);
        g_hash_table_unref (by_name);
        goto fail;
      }
    }
    if (d->rate == 0 && f->n_rows > 1 && f->timestamps[1] > f->timestamps[0])
      d->rate = 1.0 / (f->timestamps[1] - f->timestamps[0]);
    T = MIN (f->n_rows, l->n_rows);
    if (T <= delay_frames + 1)
      continue;                 /* too short to train on after the shift */
    T -= delay_frames;
    x = g_new (float, (gsize) T * d->n_in);
    y = g_new (float, (gsize) T * n_attr);
    memcpy (x, f->data, (gsize) T * d->n_in * sizeof (float));
    for (t = 0; t < T; t++)
      for (k = 0; k < n_attr; k++) {
        float v = l->data[(gsize) (t + delay_frames) * l->n_cols + cols[k]];
        if (!isfinite (v)) {
          g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_NUMBER,
              "%s: label %s at row %u is not a finite number", l->path,
              attrs[k], t + delay_frames + 1);
          g_free (x);
          g_free (y);
          g_hash_table_unref (by_name);
          goto fail;
        }
        y[(gsize) t * n_attr + k] = v;
      }
    g_ptr_array_add (d->bufs, x);
    g_ptr_array_add (d->bufs, y);
    s.x = x;
    s.y = y;
    s.T = T;
    g_array_append_val (d->seqs, s);
    d->frames += T;
  }
  g_hash_table_unref (by_name);
  if (d->seqs->len == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY,
        "%s: no labelled sequence longer than the delay", ldir);
    goto fail;
  }
  if (d->rate <= 0)
    d->rate = 10.0;
  return d;

fail:
  dataset_free (d);
  return NULL;
}

/* mean / std over all training frames */
static void
fit_normalisation (EmoModel * m, DataSet * d)
{
  guint i, j;
  double *s = g_new0 (double, m->n_in), *ss = g_new0 (double, m->n_in);
  guint64 n = 0;
  for (i = 0; i < d->seqs->len; i++) {
    EmoSeq *q = &g_array_index (d->seqs, EmoSeq, i);
    guint t;
    for (t = 0; t < q->T; t++)
      for (j = 0; j < m->n_in; j++) {
        double v = q->x[(gsize) t * m->n_in + j];
        if (isfinite (v)) {
          s[j] += v;
          ss[j] += v * v;
        }
      }
    n += q->T;
  }
  for (j = 0; j < m->n_in; j++) {
    double mu = s[j] / MAX (n, 1), var = ss[j] / MAX (n, 1) - mu * mu;
    m->mean[j] = (float) mu;
    /* a value constant in training taught the model nothing: a huge scale
     * makes it ~0 after normalisation, so that where it does vary in use
     * (a window's standard deviation in video, when the model was trained
     * on still images) it cannot drive weights that never learned */
    m->std[j] = var > 1e-12 ? (float) sqrt (var) : EMO_TRAIN_CONSTANT_SCALE;
  }
  g_free (s);
  g_free (ss);
}

/* the model's normalisation, as emomtl applies it: fixed statistics, or a
 * fresh running normaliser per file (one file = one stream) */
static void
apply_normalisation (const EmoModel * m, DataSet * d)
{
  guint i;
  for (i = 0; i < d->seqs->len; i++) {
    EmoSeq *q = &g_array_index (d->seqs, EmoSeq, i);
    emo_model_normalise_stream (m, m->norm, -1.0, -1.0, q->x, (float *) q->x,
        q->T);
  }
}

typedef struct
{
  gchar **attrs;
  guint n;
  const gchar *tag;
} Progress;

static void
print_epoch (const EmoEpochReport * r, gpointer user_data)
{
  Progress *p = user_data;
  guint k;
  if (opt_quiet)
    return;
  printf ("%sepoch %3u/%u  loss %.4f  dev CCC", p->tag, r->epoch, r->epochs,
      r->train_loss);
  for (k = 0; k < p->n; k++)
    printf (" %s %.3f", p->attrs[k], r->dev_ccc[k]);
  printf ("  mean %.3f%s  %.0f frames/s\n", r->dev_score, r->best ? " *" : "",
      r->seconds > 0 ? r->frames / r->seconds : 0.0);
  fflush (stdout);
}

static gboolean
parse_list (const gchar * s, float *out, guint n, gboolean ints)
{
  gchar **parts = g_strsplit (s, ",", -1);
  guint i, len = g_strv_length (parts);
  gboolean ok = len == n || (ints && len >= 1 && len <= EMO_NET_MAX_LAYERS);
  for (i = 0; ok && i < len; i++) {
    gchar *end;
    double v = g_ascii_strtod (parts[i], &end);
    if (end == parts[i] || *end || !isfinite (v) || v < 0)
      ok = FALSE;
    else
      out[i] = (float) v;
  }
  g_strfreev (parts);
  return ok;
}

/* Everything fixed across the models one run trains. */
typedef struct
{
  EmoNetKind kind;
  guint n_hidden;
  guint hidden[EMO_NET_MAX_LAYERS];
  guint n_in;
  double rate;
  gchar *data_desc;
} Setup;

/* Trains one model for the attributes attrs (columns col0.. of the label
 * arrays in d/dev are selected by `sel`). */
static EmoModel *
train_model (const Setup * su, DataSet * train, DataSet * dev,
    gchar ** all_attrs, const guint * sel, guint n_sel, const float *weights,
    const gchar * tag, EmoTrainResult * res, GError ** error)
{
  const gchar *names[EMO_NET_MAX_OUTPUTS + 1] = { NULL, };
  guint n_all = g_strv_length (all_attrs), i, t, k;
  EmoNet *net;
  EmoModel *m;
  EmoTrainParams p;
  EmoRng rng;
  GArray *tr, *dv = NULL;
  GPtrArray *ybufs = g_ptr_array_new_with_free_func (g_free);
  Progress prog = { NULL, n_sel, tag };
  gchar **sel_names = g_new0 (gchar *, n_sel + 1);
  gboolean ok;

  for (k = 0; k < n_sel; k++) {
    names[k] = all_attrs[sel[k]];
    sel_names[k] = all_attrs[sel[k]];
  }
  prog.attrs = sel_names;
  net = emo_net_new (su->kind, su->n_in, su->n_hidden, su->hidden, n_sel,
      error);
  if (!net) {
    g_free (sel_names);
    g_ptr_array_unref (ybufs);
    return NULL;
  }
  net->dropout = (float) opt_dropout;
  emo_rng_init (&rng, (guint64) opt_seed);
  emo_net_init_weights (net, &rng);
  m = emo_model_new (opt_layout ? opt_layout : "avec-csv", net, names);
  m->frame_rate = (float) su->rate;
  m->rec.delay = (float) opt_delay;
  m->rec.seed = (guint64) opt_seed;
  g_free (m->rec.data);
  m->rec.data = g_strdup (su->data_desc);
  for (k = 0; k < n_sel; k++)
    m->rec.weights[k] = weights[k];

  /* label columns selected per sequence */
  tr = g_array_new (FALSE, FALSE, sizeof (EmoSeq));
  for (i = 0; i < 2; i++) {
    DataSet *d = i ? dev : train;
    GArray *out;
    guint s;
    if (!d)
      continue;
    out = g_array_new (FALSE, FALSE, sizeof (EmoSeq));
    for (s = 0; s < d->seqs->len; s++) {
      EmoSeq q = g_array_index (d->seqs, EmoSeq, s);
      float *y = g_new (float, (gsize) q.T * n_sel);
      for (t = 0; t < q.T; t++)
        for (k = 0; k < n_sel; k++)
          y[(gsize) t * n_sel + k] = q.y[(gsize) t * n_all + sel[k]];
      q.y = y;
      g_ptr_array_add (ybufs, y);
      g_array_append_val (out, q);
    }
    if (i) {
      dv = out;
    } else {
      g_array_unref (tr);
      tr = out;
    }
  }

  emo_train_params_init (&p);
  p.epochs = (guint) opt_epochs;
  p.batch = (guint) opt_batch;
  p.chunk = (guint) opt_chunk;
  p.lr = (float) opt_lr;
  p.optim = (opt_optim && !g_ascii_strcasecmp (opt_optim, "adam")) ?
      EMO_OPTIM_ADAM : EMO_OPTIM_RMSPROP;
  p.clip = (float) opt_clip;
  p.weight_decay = (float) opt_l2;
  p.seed = (guint64) opt_seed;
  for (k = 0; k < n_sel; k++)
    p.weights[k] = weights[k];

  ok = emo_train (net, (EmoSeq *) tr->data, tr->len,
      dv ? (EmoSeq *) dv->data : NULL, dv ? dv->len : 0, &p, print_epoch,
      &prog, res, error);
  m->rec.epochs = p.epochs;
  m->rec.epoch = res->best_epoch;
  for (k = 0; k < n_sel; k++)
    m->rec.dev_ccc[k] = (float) res->dev_ccc[k];
  g_free (m->rec.notes);
  m->rec.notes = g_strdup_printf ("%s %s lr %g batch %u chunk %u dropout %g "
      "clip %g l2 %g; %u training sequences, %u development",
      emo_net_kind_name (su->kind), p.optim == EMO_OPTIM_ADAM ? "adam" :
      "rmsprop", p.lr, p.batch, p.chunk, opt_dropout, p.clip, p.weight_decay,
      tr->len, dv ? dv->len : 0);

  g_array_unref (tr);
  if (dv)
    g_array_unref (dv);
  g_ptr_array_unref (ybufs);
  g_free (sel_names);
  if (!ok) {
    emo_model_free (m);
    return NULL;
  }
  return m;
}

static gchar *
stl_path (const gchar * out, const gchar * attr)
{
  const gchar *dot = strrchr (out, '.');
  const gchar *slash = strrchr (out, '/');
  if (dot && (!slash || dot > slash))
    return g_strdup_printf ("%.*s-%s%s", (int) (dot - out), out, attr, dot);
  return g_strdup_printf ("%s-%s", out, attr);
}

static double
mean_finite (const double *v, guint n)
{
  double s = 0;
  guint k;
  for (k = 0; k < n; k++)
    s += isfinite (v[k]) ? v[k] : 0.0;
  return n ? s / n : NAN;
}

/* the command line, for the record: every option of train changes the model */
static gchar *train_arguments;

/* The record beside the model: the data folders' files and the command
 * line. Returns the exit status. */
static int
record_training (const gchar * out)
{
  const gchar *ins[] = { opt_features, opt_labels,
    opt_dev_features ? opt_dev_features : NULL, opt_dev_labels, NULL
  };
  const gchar *options[] = { "arguments", train_arguments ?
        train_arguments : "", NULL
  };
  GError *err = NULL;

  if (!emo_record_write_beside ("train", out, ins, NULL, options, 0, &err)) {
    int r = emo_fail ("%s", err->message);
    g_error_free (err);
    return r;
  }
  return 0;
}

/* Checks the options that need no data. Returns 0 or emo_fail's status. */
static int
check_options (Setup * su)
{
  if (!opt_features || !opt_labels || !opt_out)
    return
        emo_fail
        ("train needs --features DIR --labels DIR -o FILE (see emo train --help)");
  if (!!opt_dev_features != !!opt_dev_labels)
    return emo_fail ("--devel-features and --devel-labels go together");
  {
    /* the model file (and the search table beside it) is no input */
    gchar *tsv = g_strdup_printf ("%s.search.tsv", opt_out);
    const gchar *outs[] = { opt_out, tsv, opt_search_log, NULL };
    const gchar *ins[] = { opt_features, opt_labels,
      opt_dev_features ? opt_dev_features : opt_features,
      opt_dev_labels ? opt_dev_labels : opt_labels, NULL
    };
    GError *err = NULL;
    gboolean ok = emo_output_refuse_inputs (outs, ins, &err);
    g_free (tsv);
    if (!ok) {
      int r = emo_fail ("%s", err->message);
      g_error_free (err);
      return r;
    }
  }
  if (!emo_net_kind_from_name (opt_model ? opt_model : "lstm", &su->kind))
    return emo_fail ("unknown --model \"%s\" (lstm, mlp or linear)", opt_model);
  if (opt_epochs < 1 || opt_batch < 1 || opt_chunk < 0 || opt_threads < 1
      || opt_search < 0 || !(opt_delay >= 0 && opt_delay <= 60)
      || !(opt_dropout >= 0 && opt_dropout < 1) || !(opt_lr > 0))
    return
        emo_fail
        ("invalid numeric option (epochs, batch >= 1; chunk, search >= 0; "
        "delay in [0,60]; dropout in [0,1); lr > 0)");
  if (opt_normalise && !g_str_equal (opt_normalise, "fixed")
      && !g_str_equal (opt_normalise, "stream"))
    return emo_fail ("unknown --normalise \"%s\" (fixed or stream)",
        opt_normalise);
  if (!(opt_norm_warmup >= 0 && opt_norm_warmup <= EMO_NORM_MAX_SECONDS)
      || !(opt_norm_window >= 0 && opt_norm_window <= EMO_NORM_MAX_SECONDS))
    return emo_fail ("--norm-warmup and --norm-window are seconds in [0, %g]",
        EMO_NORM_MAX_SECONDS);
  if (opt_search && (opt_stl || opt_weights))
    return emo_fail ("--search draws the weights: not with --weights or --stl");
  if (opt_search && !opt_dev_features)
    return
        emo_fail
        ("--search picks weights by development CCC: give --devel-features/--devel-labels");
  return 0;
}

/* Hidden layer sizes: the kind's default or --hidden. */
static int
setup_hidden (Setup * su)
{
  float h[EMO_NET_MAX_LAYERS];
  gchar **parts;
  guint n, k;

  if (su->kind == EMO_NET_LSTM) {
    su->n_hidden = 3;
    su->hidden[0] = 256;
    su->hidden[1] = 128;
    su->hidden[2] = 64;
  } else if (su->kind == EMO_NET_MLP) {
    su->n_hidden = 1;
    su->hidden[0] = 64;
  }
  if (!opt_hidden)
    return 0;
  parts = g_strsplit (opt_hidden, ",", -1);
  n = g_strv_length (parts);
  g_strfreev (parts);
  if (su->kind == EMO_NET_LINEAR || !parse_list (opt_hidden, h, n, TRUE))
    return emo_fail ("--hidden \"%s\": give 1 to %d sizes for lstm/mlp",
        opt_hidden, EMO_NET_MAX_LAYERS);
  su->n_hidden = n;
  for (k = 0; k < n; k++)
    su->hidden[k] = (guint) h[k];
  return 0;
}

/* The attributes: given, or those of arousal/valence/liking the labels
 * have. NULL (and a message printed) on failure. */
static gchar **
choose_attributes (void)
{
  static const gchar *def[] = { "arousal", "valence", "liking" };
  GError *err = NULL;
  GPtrArray *lab, *v;
  gchar **attrs;
  guint k, n;

  if (opt_attrs) {
    attrs = g_strsplit (opt_attrs, ",", -1);
  } else {
    lab = emo_table_read_dir (opt_labels, &err);
    if (!lab) {
      emo_fail ("labels: %s", err->message);
      g_error_free (err);
      return NULL;
    }
    v = g_ptr_array_new ();
    for (k = 0; k < G_N_ELEMENTS (def); k++)
      if (emo_table_find_column (g_ptr_array_index (lab, 0), def[k]) >= 0)
        g_ptr_array_add (v, g_strdup (def[k]));
    g_ptr_array_add (v, NULL);
    attrs = (gchar **) g_ptr_array_free (v, FALSE);
    g_ptr_array_unref (lab);
  }
  n = g_strv_length (attrs);
  if (n == 0 || n > EMO_NET_MAX_OUTPUTS) {
    emo_fail ("%s: no arousal/valence/liking columns (use --attributes)",
        opt_labels);
    g_strfreev (attrs);
    return NULL;
  }
  return attrs;
}

/* Training (and development) data, shifted by the delay, and the record's
 * description of them. Returns 0 or emo_fail's status. */
static int
load_data (Setup * su, gchar ** attrs, DataSet ** train, DataSet ** dev)
{
  GError *err = NULL;
  guint delay_frames;
  int ret;

  /* the delay in frames needs the rate: read once without shift to learn it */
  *train = dataset_load (opt_features, opt_labels, attrs, 0, &err);
  if (!*train)
    goto fail;
  su->rate = (*train)->rate;
  delay_frames = (guint) lround (opt_delay * su->rate);
  if (delay_frames) {
    dataset_free (*train);
    *train = dataset_load (opt_features, opt_labels, attrs, delay_frames, &err);
    if (!*train)
      goto fail;
  }
  su->n_in = (*train)->n_in;
  if (opt_dev_features) {
    *dev = dataset_load (opt_dev_features, opt_dev_labels, attrs,
        delay_frames, &err);
    if (!*dev)
      goto fail;
    if ((*dev)->n_in != su->n_in)
      return emo_fail ("%s: %u feature columns, training features have %u",
          opt_dev_features, (*dev)->n_in, su->n_in);
  }
  if (opt_describe)
    su->data_desc = g_strdup_printf ("%s (%u training sequences, %"
        G_GUINT64_FORMAT " frames; %u development)", opt_describe,
        (*train)->seqs->len, (*train)->frames, *dev ? (*dev)->seqs->len : 0);
  else
    su->data_desc = g_strdup_printf ("train %s + %s (%u sequences, %"
        G_GUINT64_FORMAT " frames); dev %s (%u sequences)", opt_features,
        opt_labels, (*train)->seqs->len, (*train)->frames,
        opt_dev_features ? opt_dev_features : "none",
        *dev ? (*dev)->seqs->len : 0);
  printf ("emo train: %s, %u features at %g frames/s, delay %g s (%u frames), "
      "%u training sequences (%" G_GUINT64_FORMAT " frames), %u development\n",
      emo_net_kind_name (su->kind), su->n_in, su->rate, opt_delay,
      delay_frames, (*train)->seqs->len, (*train)->frames,
      *dev ? (*dev)->seqs->len : 0);
  return 0;

fail:
  ret = emo_fail ("%s", err->message);
  g_error_free (err);
  return ret;
}

/* The training statistics (stored in every model) and the normalisation
 * mode, applied to the data in place as emomtl will apply them. */
static EmoModel *
fit_and_apply_normalisation (const Setup * su, DataSet * train, DataSet * dev)
{
  EmoNet *tmp = emo_net_new (EMO_NET_LINEAR, su->n_in, 0, NULL, 1, NULL);
  const gchar *nm[] = { "x", NULL };
  EmoModel *norm_model = emo_model_new ("x", tmp, nm);

  norm_model->frame_rate = (float) su->rate;
  fit_normalisation (norm_model, train);
  if (opt_normalise && g_str_equal (opt_normalise, "stream")) {
    norm_model->norm = EMO_NORM_STREAM;
    norm_model->norm_warmup = (float) opt_norm_warmup;
    norm_model->norm_window = (float) opt_norm_window;
    printf ("input normalised per file by running statistics (warm-up %g s, "
        "window %g s)\n", opt_norm_warmup, opt_norm_window);
  }
  apply_normalisation (norm_model, train);
  if (dev)
    apply_normalisation (norm_model, dev);
  return norm_model;
}

/* A trained model gets the normalisation it was trained with. */
static void
finish_model (EmoModel * m, const EmoModel * norm_model)
{
  memcpy (m->mean, norm_model->mean, m->n_in * sizeof (float));
  memcpy (m->std, norm_model->std, m->n_in * sizeof (float));
  m->norm = norm_model->norm;
  m->norm_warmup = norm_model->norm_warmup;
  m->norm_window = norm_model->norm_window;
}

/* Everything one run trains on. */
typedef struct
{
  Setup su;
  DataSet *train, *dev;
  gchar **attrs;
  guint n_attr;
  EmoModel *norm_model;
} Run;

/* --stl: the model of attribute k, OUT-<attr>.emo */
static int
train_stl_one (Run * r, guint k)
{
  GError *err = NULL;
  EmoTrainResult res;
  float w1 = 1.0f;
  gchar *tag = g_strdup_printf ("[%s] ", r->attrs[k]);
  gchar *path = stl_path (opt_out, r->attrs[k]);
  EmoModel *m = train_model (&r->su, r->train, r->dev, r->attrs, &k, 1, &w1,
      tag, &res, &err);
  int ret = 0;

  g_free (tag);
  if (!m) {
    ret = emo_fail ("%s: %s", r->attrs[k], err->message);
    goto out;
  }
  finish_model (m, r->norm_model);
  if (!emo_model_save (m, path, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  printf ("wrote %s (%s, epoch %u, dev CCC %.3f)\n", path, r->attrs[k],
      res.best_epoch, res.dev_ccc[0]);

out:
  emo_model_free (m);
  g_free (path);
  g_clear_error (&err);
  return ret;
}

/* Reads a search log: the last finished draw and the best score so far. */
static void
search_log_resume (const gchar * log_path, gint * done, double *best)
{
  gchar *log_text = NULL, **lines, **l;

  if (!g_file_get_contents (log_path, &log_text, NULL, NULL))
    return;
  lines = g_strsplit (log_text, "\n", -1);
  for (l = lines; *l; l++) {
    gchar **f = g_strsplit (*l, "\t", -1);
    if (g_strv_length (f) >= 2 && g_ascii_isdigit (f[0][0])) {
      double s = g_ascii_strtod (f[g_strv_length (f) - 1], NULL);
      *done = MAX (*done, atoi (f[0]));
      if (isfinite (s) && s > *best)
        *best = s;
    }
    g_strfreev (f);
  }
  g_strfreev (lines);
  g_free (log_text);
}

/* header only in a new file (a run stopped before its first draw finished
 * leaves just the header behind) */
static void
search_log_header (FILE * lf, const Run * r)
{
  guint k;

  if (ftell (lf) != 0)
    return;
  fprintf (lf, "draw");
  for (k = 0; k < r->n_attr; k++)
    fprintf (lf, "\tw_%s", r->attrs[k]);
  fprintf (lf, "\tepoch");
  for (k = 0; k < r->n_attr; k++)
    fprintf (lf, "\tdev_%s", r->attrs[k]);
  fprintf (lf, "\tdev_mean\n");
  fflush (lf);
}

static void
search_log_row (FILE * lf, const Run * r, gint i, const float *weights,
    const EmoTrainResult * res, double score)
{
  guint k;

  fprintf (lf, "%d", i);
  for (k = 0; k < r->n_attr; k++)
    fprintf (lf, "\t%.6f", weights[k]);
  fprintf (lf, "\t%u", res->best_epoch);
  for (k = 0; k < r->n_attr; k++)
    fprintf (lf, "\t%.6f", res->dev_ccc[k]);
  fprintf (lf, "\t%.6f\n", score);
  fflush (lf);
}

/* One draw of the search: trains, and saves the model if it is the best so
 * far. Returns 0 or emo_fail's status. */
static int
search_draw (Run * r, gint i, const float *weights, const guint * sel,
    FILE * lf, double *best)
{
  GError *err = NULL;
  EmoTrainResult res;
  EmoModel *m;
  gchar *tag, *n;
  double score;
  guint k;
  int ret;

  tag = g_strdup_printf ("[draw %d/%d] ", i, opt_search);
  printf ("%sweights", tag);
  for (k = 0; k < r->n_attr; k++)
    printf (" %.3f", weights[k]);
  printf ("\n");
  m = train_model (&r->su, r->train, r->dev, r->attrs, sel, r->n_attr,
      weights, tag, &res, &err);
  g_free (tag);
  if (!m) {
    ret = emo_fail ("draw %d: %s", i, err->message);
    g_error_free (err);
    return ret;
  }
  score = mean_finite (res.dev_ccc, r->n_attr);
  if (score > *best) {
    *best = score;
    finish_model (m, r->norm_model);
    n = g_strdup_printf ("%s; weight search: draw %d of %d (seed %d)",
        m->rec.notes, i, opt_search, opt_seed);
    g_free (m->rec.notes);
    m->rec.notes = n;
    if (!emo_model_save (m, opt_out, &err)) {
      ret = emo_fail ("%s", err->message);
      g_error_free (err);
      emo_model_free (m);
      return ret;
    }
    printf ("new best (mean dev CCC %.3f): wrote %s\n", score, opt_out);
  }
  search_log_row (lf, r, i, weights, &res, score);
  emo_model_free (m);
  return 0;
}

/* --search N: draw i is a function of (seed, i) only, so a rerun resumes:
 * draws in the log are skipped and the best model so far stays on disk */
static int
train_search (Run * r, const guint * sel)
{
  gchar *log_path = opt_search_log ? g_strdup (opt_search_log) :
      g_strdup_printf ("%s.search.tsv", opt_out);
  float weights[EMO_NET_MAX_OUTPUTS];
  double best = -G_MAXDOUBLE;
  gint i, done = 0;
  guint k;
  FILE *lf = NULL;
  EmoRng draw;
  int ret = 0;

  search_log_resume (log_path, &done, &best);
  if (done)
    printf ("resuming search from %s: %d draws done, best mean dev CCC %.3f\n",
        log_path, done, best);
  if (done && !g_file_test (opt_out, G_FILE_TEST_EXISTS)) {
    ret = emo_fail ("%s lists finished draws but %s (their best model) is "
        "missing", log_path, opt_out);
    goto out;
  }
  lf = g_fopen (log_path, "a");
  if (!lf) {
    ret = emo_fail ("cannot append to search log %s", log_path);
    goto out;
  }
  search_log_header (lf, r);
  emo_rng_init (&draw, (guint64) opt_seed * 7919 + 17);
  for (i = 1; i <= opt_search && ret == 0; i++) {
    for (k = 0; k < r->n_attr; k++)
      weights[k] = (float) emo_rng_uniform (&draw);
    if (i > done)
      ret = search_draw (r, i, weights, sel, lf, &best);
  }
  if (ret == 0)
    printf ("search done: best mean dev CCC %.3f in %s (log %s)\n", best,
        opt_out, log_path);

out:
  if (lf)
    fclose (lf);
  g_free (log_path);
  return ret;
}

/* one model for all attributes */
static int
train_single (Run * r, const float *weights, const guint * sel)
{
  GError *err = NULL;
  EmoTrainResult res;
  EmoModel *m;
  int ret;

  m = train_model (&r->su, r->train, r->dev, r->attrs, sel, r->n_attr,
      weights, "", &res, &err);
  if (!m) {
    ret = emo_fail ("%s", err->message);
    g_error_free (err);
    return ret;
  }
  finish_model (m, r->norm_model);
  if (!emo_model_save (m, opt_out, &err)) {
    ret = emo_fail ("%s", err->message);
    g_error_free (err);
    emo_model_free (m);
    return ret;
  }
  printf ("wrote %s (epoch %u of %d, %.0f training frames/s)\n", opt_out,
      res.best_epoch, opt_epochs, res.frames_per_second);
  emo_model_free (m);
  return record_training (opt_out);
}

int
emo_cmd_train (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  Run r = { {0,}, };
  float weights[EMO_NET_MAX_OUTPUTS];
  guint sel[EMO_NET_MAX_OUTPUTS];
  guint k;
  int ret = 1;

  ctx = g_option_context_new ("- train an emotion model (emomtl, emo predict)");
  g_option_context_set_summary (ctx,
      "Trains an LSTM (default: the paper's LSTM 256-128-64, dropout 0.4, RMSprop\n"
      "lr 5e-4, batch 34, 50 epochs), MLP or linear model on the weighted CCC\n"
      "loss L = a(1-CCC_arousal) + b(1-CCC_valence) + c(1-CCC_liking), each CCC\n"
      "over one sequence, averaged over the batch. With a development set the\n"
      "epoch with the best mean development CCC is kept.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_free (train_arguments);
  train_arguments = g_strjoinv (" ", argv + 1);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if ((ret = check_options (&r.su)) != 0)
    goto out;
  /* the command owns its process: --threads (default 1) */
  emo_blas_set_threads (opt_threads);
  if ((ret = setup_hidden (&r.su)) != 0)
    goto out;
  r.attrs = choose_attributes ();
  if (!r.attrs) {
    ret = 1;
    goto out;
  }
  r.n_attr = g_strv_length (r.attrs);
  for (k = 0; k < r.n_attr; k++) {
    weights[k] = 1.0f;
    sel[k] = k;
  }
  if (opt_weights && !parse_list (opt_weights, weights, r.n_attr, FALSE)) {
    ret = emo_fail ("--weights \"%s\": give %u non-negative numbers",
        opt_weights, r.n_attr);
    goto out;
  }
  if ((ret = load_data (&r.su, r.attrs, &r.train, &r.dev)) != 0)
    goto out;
  r.norm_model = fit_and_apply_normalisation (&r.su, r.train, r.dev);

  if (opt_stl) {
    for (k = 0, ret = 0; k < r.n_attr && ret == 0; k++)
      ret = train_stl_one (&r, k);
  } else if (opt_search) {
    ret = train_search (&r, sel);
  } else {
    ret = train_single (&r, weights, sel);
  }

out:
  emo_model_free (r.norm_model);
  dataset_free (r.train);
  dataset_free (r.dev);
  g_strfreev (r.attrs);
  g_free (r.su.data_desc);
  g_clear_error (&err);
  g_option_context_free (ctx);
  return ret;
}
