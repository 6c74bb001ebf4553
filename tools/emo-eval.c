/* emo eval: score predictions against labels as AVEC 2019 does.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emo-commands.h"
#include "io/emo-table.h"
#include "ml/emo-metrics.h"

static gchar *opt_labels;
static gchar *opt_preds;
static gboolean opt_per_file;
static gchar *opt_attrs;
static gint opt_precision = 4;

static GOptionEntry entries[] = {
  {"labels", 'l', 0, G_OPTION_ARG_FILENAME, &opt_labels, "Folder of label CSVs",
      "DIR"},
  {"predictions", 'p', 0, G_OPTION_ARG_FILENAME, &opt_preds,
      "Folder of prediction CSVs (same file names)", "DIR"},
  {"per-file", 0, 0, G_OPTION_ARG_NONE, &opt_per_file,
      "Also print scores per file and their average", NULL},
  {"attributes", 'a', 0, G_OPTION_ARG_STRING, &opt_attrs,
        "Comma-separated attributes (default: arousal,valence,liking, those present)",
      "LIST"},
  {"precision", 0, 0, G_OPTION_ARG_INT, &opt_precision,
      "Decimals printed (default 4)", "N"},
  {NULL}
};

static gchar *
file_key (const EmoTable * t)
{
  return g_path_get_basename (t->path);
}

/* More label/prediction rows apart than this draws a warning. */
#define MAX_ROW_MISMATCH 5

static const gchar *
fmt_score (gchar * buf, gsize len, double v)
{
  if (!isfinite (v))
    return "n/a";
  g_snprintf (buf, len, "%.*f", opt_precision, v);
  return buf;
}

/* The table over all files concatenated. CCC and PCC of two series that
 * are both constant (and, for CCC, equal) are 0/0: undefined, printed as
 * n/a with the reason, and the mean is taken over the attributes where
 * they are defined, said so, rather than becoming NaN. */
static void
print_summary (gchar ** attrs, guint n_attrs, const EmoScoreAcc * acc,
    guint n_files)
{
  double m[3] = { 0, 0, 0 };
  guint n[3] = { 0, 0, 0 }, a, k;
  gchar b[3][G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%-10s %8s %8s %8s   (%u files concatenated)\n", "attribute", "CCC",
      "PCC", "RMSE", n_files);
  for (a = 0; a < n_attrs; a++) {
    double v[3] = { emo_score_acc_ccc (&acc[a]), emo_score_acc_pcc (&acc[a]),
      emo_score_acc_rmse (&acc[a])
    };
    for (k = 0; k < 3; k++)
      if (isfinite (v[k])) {
        m[k] += v[k];
        n[k]++;
      }
    printf ("%-10s %8s %8s %8s\n", attrs[a], fmt_score (b[0], sizeof b[0],
            v[0]), fmt_score (b[1], sizeof b[1], v[1]), fmt_score (b[2],
            sizeof b[2], v[2]));
    if (!isfinite (v[0]) || !isfinite (v[1]))
      fprintf (stderr, "emo: note: %s: %s undefined: predictions and labels "
          "are constant%s\n", attrs[a], isfinite (v[0]) ? "PCC" : "CCC and "
          "PCC", isfinite (v[0]) ? "" : " and equal");
  }
  for (k = 0; k < 3; k++)
    m[k] = n[k] ? m[k] / n[k] : NAN;
  printf ("%-10s %8s %8s %8s\n", "mean", fmt_score (b[0], sizeof b[0], m[0]),
      fmt_score (b[1], sizeof b[1], m[1]), fmt_score (b[2], sizeof b[2], m[2]));
  if (n[0] < n_attrs || n[1] < n_attrs)
    fprintf (stderr, "emo: note: the mean is over the attributes where the "
        "score is defined\n");
}

/* arousal, valence and liking where the labels have them, else every
 * label column */
static gchar **
default_attributes (const EmoTable * l0)
{
  static const gchar *def[] = { "arousal", "valence", "liking" };
  GPtrArray *v = g_ptr_array_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (def); i++)
    if (emo_table_find_column (l0, def[i]) >= 0)
      g_ptr_array_add (v, g_strdup (def[i]));
  if (v->len == 0)
    for (i = 0; i < l0->n_cols; i++)
      g_ptr_array_add (v, g_strdup (l0->col_names[i]));
  g_ptr_array_add (v, NULL);
  return (gchar **) g_ptr_array_free (v, FALSE);
}

/* One attribute of one file: into the concatenated scores, and its CCC into
 * the per-file sum (sum[0]) and count (sum[1]) where it is defined, so that
 * an undefined file score is left out of the per-file mean rather than
 * counted as 0. FALSE after saying what is wrong. */
static gboolean
score_file (const EmoTable * l, const EmoTable * p, const gchar * attr,
    EmoScoreAcc * acc, gdouble sum[2])
{
  gint lc = emo_table_find_column (l, attr);
  gint pc = emo_table_find_column (p, attr);
  gfloat *gold, *al;
  gboolean ok = TRUE;
  double c;
  guint r;

  if (lc < 0)
    return !emo_fail ("%s: no column \"%s\" in the labels", l->path, attr);
  if (pc < 0)
    return !emo_fail ("%s: no column \"%s\" in the predictions", p->path, attr);
  gold = g_new (gfloat, l->n_rows);
  al = g_new (gfloat, l->n_rows);
  for (r = 0; r < l->n_rows; r++)
    gold[r] = l->data[(gsize) r * l->n_cols + lc];
  emo_align_prediction (p->data, p->n_rows, p->n_cols, pc, al, l->n_rows);
  for (r = 0; r < l->n_rows && ok; r++)
    if (!isfinite (gold[r]) || !isfinite (al[r]))
      ok = !emo_fail ("%s: row %u: %s is not finite in %s",
          isfinite (gold[r]) ? p->path : l->path, r + 1, attr,
          isfinite (gold[r]) ? "the predictions" : "the labels");
  if (ok) {
    emo_score_acc_add (acc, al, gold, l->n_rows);
    c = emo_ccc (al, gold, l->n_rows);
    if (isfinite (c)) {
      sum[0] += c;
      sum[1] += 1;
    }
    if (opt_per_file) {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      printf (" %10s", fmt_score (buf, sizeof buf, c));
    }
  }
  g_free (gold);
  g_free (al);
  return ok;
}

int
emo_cmd_eval (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  GPtrArray *labels = NULL, *preds = NULL;
  GHashTable *pred_by_file = NULL;
  gchar **attrs = NULL;
  guint n_attrs, i, a;
  EmoScoreAcc *acc = NULL;
  gdouble *file_sum = NULL;
  int ret = 1;

  ctx = g_option_context_new ("- score predictions against labels");
  g_option_context_set_summary (ctx,
      "Concordance correlation (CCC), Pearson correlation (PCC) and RMSE per attribute,\n"
      "over all files concatenated, exactly as the AVEC 2019 scoring script computes them:\n"
      "predictions cropped to the label length, a short one padded with its last value.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  opt_precision = CLAMP (opt_precision, 1, 12);
  if (!opt_labels || !opt_preds) {
    ret =
        emo_fail
        ("eval needs --labels DIR and --predictions DIR (see emo eval --help)");
    goto out;
  }
  labels = emo_table_read_dir (opt_labels, &err);
  if (!labels) {
    ret = emo_fail ("labels: %s", err->message);
    goto out;
  }
  preds = emo_table_read_dir (opt_preds, &err);
  if (!preds) {
    ret = emo_fail ("predictions: %s", err->message);
    goto out;
  }
  pred_by_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < preds->len; i++) {
    EmoTable *p = g_ptr_array_index (preds, i);
    g_hash_table_insert (pred_by_file, file_key (p), p);
  }

  attrs = opt_attrs ? g_strsplit (opt_attrs, ",", -1) :
      default_attributes (g_ptr_array_index (labels, 0));
  n_attrs = g_strv_length (attrs);
  acc = g_new (EmoScoreAcc, n_attrs);
  for (a = 0; a < n_attrs; a++)
    emo_score_acc_init (&acc[a]);
  file_sum = g_new0 (gdouble, n_attrs * 2);

  if (opt_per_file) {
    printf ("%-24s", "file");
    for (a = 0; a < n_attrs; a++)
      printf (" %10s", attrs[a]);
    printf ("   (CCC)\n");
  }

  for (i = 0; i < labels->len; i++) {
    EmoTable *l = g_ptr_array_index (labels, i);
    gchar *key = file_key (l);
    EmoTable *p = g_hash_table_lookup (pred_by_file, key);
    if (!p) {
      ret = emo_fail ("%s: no prediction file %s/%s", l->path, opt_preds, key);
      g_free (key);
      goto out;
    }
    if (opt_per_file)
      printf ("%-24s", key);
    g_free (key);
    /* a few frames differ routinely (rounding of the last hop); more means
     * the files do not describe the same recording span */
    if (p->n_rows + MAX_ROW_MISMATCH < l->n_rows
        || l->n_rows + MAX_ROW_MISMATCH < p->n_rows)
      fprintf (stderr, "emo: warning: %s has %u rows, its labels %s %u: the "
          "predictions are %s to the labels' length\n", p->path, p->n_rows,
          l->path, l->n_rows, p->n_rows < l->n_rows ?
          "padded with their last value" : "cropped");
    for (a = 0; a < n_attrs; a++)
      if (!score_file (l, p, attrs[a], &acc[a], &file_sum[a * 2]))
        goto out;
    if (opt_per_file)
      printf ("\n");
  }

  if (opt_per_file) {
    printf ("%-24s", "per-file mean");
    for (a = 0; a < n_attrs; a++) {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      gdouble n = file_sum[a * 2 + 1];
      printf (" %10s", fmt_score (buf, sizeof buf,
              n > 0 ? file_sum[a * 2] / n : NAN));
    }
    printf ("\n\n");
  }

  print_summary (attrs, n_attrs, acc, labels->len);
  ret = 0;

out:
  g_clear_error (&err);
  if (labels)
    g_ptr_array_unref (labels);
  if (pred_by_file)
    g_hash_table_unref (pred_by_file);
  if (preds)
    g_ptr_array_unref (preds);
  g_strfreev (attrs);
  g_free (acc);
  g_free (file_sum);
  g_option_context_free (ctx);
  return ret;
}
