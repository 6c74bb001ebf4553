/* emo fuse-train: train a fusion model (multistage SVR stacking, the
 * CCC-weighted fuser, or the plain mean) on stage-1 prediction folders.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emo-commands.h"
#include "emo-output.h"
#include "ml/fuse-data.h"
#include "ml/fuse-train.h"

static void
print_line (const gchar * msg, gpointer user_data)
{
  printf ("%s\n", msg);
  fflush (stdout);
}

/* "a,b,c" -> doubles; FALSE on junk */
static gboolean
parse_list (const gchar * s, GArray * out, gboolean integer)
{
  gchar **v = g_strsplit (s, ",", -1);
  guint i;
  gboolean ok = TRUE;
  for (i = 0; v[i] && ok; i++) {
    gchar *end = NULL;
    g_strstrip (v[i]);
    if (integer) {
      gint64 k = g_ascii_strtoll (v[i], &end, 10);
      guint u = (guint) k;
      ok = *v[i] && end && !*end && k >= 0 && k <= 10000;
      if (ok)
        g_array_append_val (out, u);
    } else {
      gdouble d = g_ascii_strtod (v[i], &end);
      ok = *v[i] && end && !*end && isfinite (d);
      if (ok)
        g_array_append_val (out, d);
    }
  }
  g_strfreev (v);
  return ok && out->len > 0;
}

gchar **
emo_fuse_collect_inputs (gchar ** opt_inputs, int argc, char **argv)
{
  GPtrArray *v = g_ptr_array_new ();
  gint i;
  for (i = 0; opt_inputs && opt_inputs[i]; i++)
    g_ptr_array_add (v, g_strdup (opt_inputs[i]));
  /* `--inputs A B C`: GOption takes A, the rest stay as arguments */
  for (i = 1; i < argc; i++)
    g_ptr_array_add (v, g_strdup (argv[i]));
  g_ptr_array_add (v, NULL);
  return (gchar **) g_ptr_array_free (v, FALSE);
}

/* inputs + labels as one NULL-terminated list (not owning) */
static GPtrArray *
all_inputs (gchar ** inputs, gchar * labels)
{
  GPtrArray *ins = g_ptr_array_new ();
  guint i;

  for (i = 0; inputs[i]; i++)
    g_ptr_array_add (ins, inputs[i]);
  g_ptr_array_add (ins, labels);
  g_ptr_array_add (ins, NULL);
  return ins;
}

/* The fuser file is no input (the folders hold files). */
static gboolean
fuser_refuse_inputs (const gchar * out, gchar ** inputs, gchar * labels,
    GError ** error)
{
  const gchar *outs[] = { out, NULL };
  GPtrArray *ins = all_inputs (inputs, labels);
  gboolean ok = emo_output_refuse_inputs (outs,
      (const gchar * const *) ins->pdata, error);

  g_ptr_array_unref (ins);
  return ok;
}

/* The record beside the fuser: every file it was fitted on and the command
 * line (every option shapes it). */
static gboolean
fuser_record (const gchar * out, gchar ** inputs, gchar * labels,
    const gchar * args, GError ** error)
{
  const gchar *options[] = { "arguments", args, NULL };
  GPtrArray *ins = all_inputs (inputs, labels);
  gboolean ok = emo_record_write_beside ("fuse-train", out,
      (const gchar * const *) ins->pdata, NULL, options, 0, error);

  g_ptr_array_unref (ins);
  return ok;
}

/* --method, --stages, --causal, --best-loso and --context-style into o;
 * FALSE after saying what is wrong. */
static gboolean
method_options (EmoFuseTrainOptions * o, const gchar * method, gint stages,
    gboolean causal, gboolean best_loso, const gchar * style)
{
  emo_fuse_train_options_init (o);
  o->method = method ? method : "svr";
  if (strcmp (o->method, "svr") && strcmp (o->method, "cccw")
      && strcmp (o->method, "mean"))
    return !emo_fail ("unknown --method \"%s\" (svr, cccw, mean)", o->method);
  if (stages < 1 || stages > EMO_FUSE_MAX_STAGES)
    return !emo_fail ("--stages %d out of range 1..%d", stages,
        EMO_FUSE_MAX_STAGES);
  if (strcmp (o->method, "svr") && stages != 1)
    return !emo_fail ("--stages applies to --method svr only");
  o->n_stages = stages;
  o->causal = causal;
  o->one_se = !best_loso;
  if (!style)
    return TRUE;
  if (!strcmp (style, "organisers"))
    o->style = EMO_FUSE_CONTEXT_ORGANISERS;
  else if (!strcmp (style, "symmetric"))
    o->style = EMO_FUSE_CONTEXT_SYMMETRIC;
  else
    return !emo_fail ("unknown --context-style \"%s\" (symmetric, organisers)",
        style);
  return TRUE;
}

/* The K and C candidates: listed, the paper's search grid, or one each;
 * FALSE after saying what is wrong. */
static gboolean
grid_options (GArray * ks, GArray * cs, const gchar * contexts, gint context,
    const gchar * complexities, gboolean search)
{
  guint i;

  if (contexts) {
    if (!parse_list (contexts, ks, TRUE))
      return !emo_fail ("bad --contexts \"%s\"", contexts);
  } else if (search) {
    guint def[] = { 11, 13, 15, 17, 19 };
    g_array_append_vals (ks, def, 5);
  } else {
    guint k = context > 0 ? (guint) context : 15;
    if (context < 0 || context > 500)
      return !emo_fail ("--context %d out of range 1..500", context);
    g_array_append_val (ks, k);
  }
  for (i = 0; i < ks->len; i++)
    if (g_array_index (ks, guint, i) < 1 || g_array_index (ks, guint, i) > 500)
      return !emo_fail ("context %u out of range 1..500",
          g_array_index (ks, guint, i));
  if (complexities) {
    if (!parse_list (complexities, cs, FALSE))
      return !emo_fail ("bad --complexities \"%s\"", complexities);
  } else if (search) {
    gdouble def[] = { 0.001, 0.01, 0.1, 1.0 };
    g_array_append_vals (cs, def, 4);
  } else {
    gdouble c = 0.01;
    g_array_append_val (cs, c);
  }
  for (i = 0; i < cs->len; i++)
    if (!(g_array_index (cs, gdouble, i) > 0))
      return !emo_fail ("C must be positive");
  return TRUE;
}

/* --loso: leave-one-file-out CCC of every stage */
static gboolean
print_loso (EmoFuseData * train, gchar ** attrs, gchar ** names,
    const EmoFuseTrainOptions * o, GError ** error)
{
  gdouble *lc = g_new0 (gdouble, (gsize) o->n_stages * train->n_attrs);
  guint s, a;

  printf ("leave-one-file-out over %u files ...\n", train->seqs->len);
  if (!emo_fuse_loso (train, (const gchar * const *) attrs,
          (const gchar * const *) names, o, lc, error)) {
    g_free (lc);
    return FALSE;
  }
  for (s = 0; s < (strcmp (o->method, "svr") ? 1 : o->n_stages); s++) {
    gdouble mean = 0;
    printf ("stage %u loso CCC", s + 1);
    for (a = 0; a < train->n_attrs; a++) {
      printf (" %s %.4f", attrs[a], lc[s * train->n_attrs + a]);
      mean += lc[s * train->n_attrs + a] / train->n_attrs;
    }
    printf (" mean %.4f\n", mean);
  }
  g_free (lc);
  return TRUE;
}

/* Loads the training (and held-out) files, fits the fuser and prints its
 * figures; NULL with the reason in error. */
static EmoFuseModel *
fit_fuser (const gchar * labels, gchar ** inputs, gchar ** attrs,
    const gchar * match, const gchar * eval_match,
    const EmoFuseTrainOptions * o, gboolean loso, GError ** error)
{
  guint i, n_in = g_strv_length (inputs);
  EmoFuseData *train, *eval = NULL;
  EmoFuseModel *model = NULL;
  gchar **names = NULL;

  train = emo_fuse_data_load (labels, (const gchar * const *) inputs,
      (const gchar * const *) attrs, match, error);
  if (!train)
    return NULL;
  if (eval_match) {
    eval = emo_fuse_data_load (labels, (const gchar * const *) inputs,
        (const gchar * const *) attrs, eval_match, error);
    if (!eval)
      goto out;
  }
  names = g_new0 (gchar *, n_in + 1);
  for (i = 0; i < n_in; i++)
    names[i] = emo_fuse_input_name (inputs[i]);
  printf ("fuse-train: method %s, %u inputs, %u training files (%"
      G_GUINT64_FORMAT " frames)%s\n", o->method, n_in, train->seqs->len,
      emo_fuse_data_frames (train),
      eval ? ", scoring held-out files too" : " (CCC on the training files)");
  model = emo_fuse_train (train, eval, (const gchar * const *) attrs,
      (const gchar * const *) names, o, NULL, NULL, error);
  if (model && loso && !print_loso (train, attrs, names, o, error)) {
    emo_fuse_model_free (model);
    model = NULL;
  }
out:
  emo_fuse_data_free (train);
  emo_fuse_data_free (eval);
  g_strfreev (names);
  return model;
}

int
emo_cmd_fuse_train (int argc, char **argv)
{
  gchar *opt_labels = NULL, **opt_inputs = NULL, *opt_out = NULL;
  gchar *opt_method = NULL, *opt_match = NULL, *opt_eval_match = NULL;
  gchar *opt_contexts = NULL, *opt_cs = NULL, *opt_style = NULL, *opt_attrs =
      NULL;
  gint opt_stages = 1, opt_context = 0;
  gchar *args = NULL;
  gboolean opt_search = FALSE, opt_causal = FALSE, opt_best_loso =
      FALSE, opt_loso = FALSE;
  GOptionEntry entries[] = {
    {"labels", 'l', 0, G_OPTION_ARG_FILENAME, &opt_labels,
        "Folder of label CSVs", "DIR"},
    {"inputs", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_inputs,
          "Folder of stage-1 prediction CSVs (repeat, or list folders after it)",
        "DIR"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Fuser file to write",
        "FILE"},
    {"method", 'm', 0, G_OPTION_ARG_STRING, &opt_method,
          "svr (multistage SVR stacking, default), cccw (CCC-weighted, generalises), mean",
        "METHOD"},
    {"stages", 's', 0, G_OPTION_ARG_INT, &opt_stages,
        "Number of SVR stages (1..16, default 1)", "N"},
    {"context", 'k', 0, G_OPTION_ARG_INT, &opt_context,
        "Context +-K frames (default 15)", "K"},
    {"search", 0, 0, G_OPTION_ARG_NONE, &opt_search,
          "Search K in 11..19 and C in 0.001,0.01,0.1,1 per attribute (the paper's protocol)",
        NULL},
    {"contexts", 0, 0, G_OPTION_ARG_STRING, &opt_contexts,
        "K candidates (comma list)", "LIST"},
    {"complexities", 'C', 0, G_OPTION_ARG_STRING, &opt_cs,
        "C candidates (comma list, default 0.01)", "LIST"},
    {"context-style", 0, 0, G_OPTION_ARG_STRING, &opt_style,
          "symmetric (-K..K, default) or organisers (AVEC 2019 fuse_results.py layout)",
        "STYLE"},
    {"causal", 0, 0, G_OPTION_ARG_NONE, &opt_causal,
        "Use past context only (no look-ahead)", NULL},
    {"best-loso", 0, 0, G_OPTION_ARG_NONE, &opt_best_loso,
          "cccw: take the best leave-one-out setting (default: the simplest within one standard error)",
        NULL},
    {"loso", 0, 0, G_OPTION_ARG_NONE, &opt_loso,
          "Also evaluate leave-one-file-out (one file = one subject): train on the others, score the one left out",
        NULL},
    {"match", 0, 0, G_OPTION_ARG_STRING, &opt_match,
        "Train on files matching this glob (default all)", "GLOB"},
    {"eval-match", 0, 0, G_OPTION_ARG_STRING, &opt_eval_match,
        "Also score each stage on held-out files matching this glob", "GLOB"},
    {"attributes", 'a', 0, G_OPTION_ARG_STRING, &opt_attrs,
          "Attributes to fuse (default arousal,valence,liking; every input and label file needs them)",
        "LIST"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  gchar **inputs = NULL, **attrs = NULL;
  EmoFuseModel *model = NULL;
  EmoFuseTrainOptions o;
  GArray *ks = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *cs = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint n_in;
  int ret = 1;

  ctx = g_option_context_new ("- train a fusion model on stage-1 predictions");
  g_option_context_set_summary (ctx,
      "Fits a fuser from stage-1 prediction folders (one per model, AVEC CSV files named\n"
      "as the labels) and prints the CCC of every stage. Methods: svr is the AVEC 2019\n"
      "organisers' / Atmaja & Akagi multistage recipe (liblinear L2R_L1LOSS_SVR_DUAL per\n"
      "attribute over all inputs stacked +-K frames); cccw fits non-negative weights that\n"
      "maximise CCC with shrinkage toward the mean, chosen by leave-one-file-out; mean\n"
      "averages the inputs.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  args = g_strjoinv (" ", argv + 1);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  inputs = emo_fuse_collect_inputs (opt_inputs, argc, argv);
  n_in = g_strv_length (inputs);
  if (!opt_labels || n_in == 0 || !opt_out) {
    ret =
        emo_fail
        ("fuse-train needs --labels DIR, --inputs DIR... and -o FILE (see emo fuse-train --help)");
    goto out;
  }
  if (!fuser_refuse_inputs (opt_out, inputs, opt_labels, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!method_options (&o, opt_method, opt_stages, opt_causal, opt_best_loso,
          opt_style)
      || !grid_options (ks, cs, opt_contexts, opt_context, opt_cs, opt_search))
    goto out;
  o.contexts = (const guint *) ks->data;
  o.n_contexts = ks->len;
  o.cs = (const gdouble *) cs->data;
  o.n_cs = cs->len;
  o.log = print_line;

  if (opt_attrs) {
    attrs = g_strsplit (opt_attrs, ",", -1);
  } else {
    attrs = g_strsplit ("arousal,valence,liking", ",", -1);
  }
  model = fit_fuser (opt_labels, inputs, attrs, opt_match, opt_eval_match, &o,
      opt_loso, &err);
  if (!model) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!emo_fuse_model_save (model, opt_out, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  printf ("wrote %s (%u stage%s, look-ahead %u frames)\n", opt_out,
      model->n_stages, model->n_stages > 1 ? "s" : "",
      emo_fuse_model_latency (model, FALSE));
  if (!fuser_record (opt_out, inputs, opt_labels, args, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  ret = 0;

out:
  g_clear_error (&err);
  emo_fuse_model_free (model);
  g_strfreev (inputs);
  g_strfreev (attrs);
  g_strfreev (opt_inputs);
  g_free (args);
  g_free (opt_labels);
  g_free (opt_out);
  g_free (opt_method);
  g_free (opt_match);
  g_free (opt_eval_match);
  g_free (opt_contexts);
  g_free (opt_cs);
  g_free (opt_style);
  g_free (opt_attrs);
  g_array_unref (ks);
  g_array_unref (cs);
  g_option_context_free (ctx);
  return ret;
}
