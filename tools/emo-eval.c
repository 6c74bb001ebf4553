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

  if (opt_attrs) {
    attrs = g_strsplit (opt_attrs, ",", -1);
  } else {
    EmoTable *l0 = g_ptr_array_index (labels, 0);
    static const gchar *def[] = { "arousal", "valence", "liking" };
    GPtrArray *v = g_ptr_array_new ();
    for (i = 0; i < G_N_ELEMENTS (def); i++)
      if (emo_table_find_column (l0, def[i]) >= 0)
        g_ptr_array_add (v, g_strdup (def[i]));
    if (v->len == 0)
      for (i = 0; i < l0->n_cols; i++)
        g_ptr_array_add (v, g_strdup (l0->col_names[i]));
    g_ptr_array_add (v, NULL);
    attrs = (gchar **) g_ptr_array_free (v, FALSE);
  }
  n_attrs = g_strv_length (attrs);
  acc = g_new (EmoScoreAcc, n_attrs);
  for (a = 0; a < n_attrs; a++)
    emo_score_acc_init (&acc[a]);
  file_sum = g_new0 (gdouble, n_attrs * 3);

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
    for (a = 0; a < n_attrs; a++) {
      gint lc = emo_table_find_column (l, attrs[a]);
      gint pc = emo_table_find_column (p, attrs[a]);
      gfloat *gold, *al;
      guint r;
      if (lc < 0) {
        ret =
            emo_fail ("%s: no column \"%s\" in the labels", l->path, attrs[a]);
        goto out;
      }
      if (pc < 0) {
        ret =
            emo_fail ("%s: no column \"%s\" in the predictions", p->path,
            attrs[a]);
        goto out;
      }
      gold = g_new (gfloat, l->n_rows);
      al = g_new (gfloat, l->n_rows);
      for (r = 0; r < l->n_rows; r++)
        gold[r] = l->data[(gsize) r * l->n_cols + lc];
      emo_align_prediction (p->data, p->n_rows, p->n_cols, pc, al, l->n_rows);
      for (r = 0; r < l->n_rows; r++) {
        if (!isfinite (gold[r]) || !isfinite (al[r])) {
          ret =
              emo_fail ("%s: row %u: %s is not finite in %s",
              isfinite (gold[r]) ? p->path : l->path, r + 1, attrs[a],
              isfinite (gold[r]) ? "the predictions" : "the labels");
          g_free (gold);
          g_free (al);
          goto out;
        }
      }
      emo_score_acc_add (&acc[a], al, gold, l->n_rows);
      {
        double c = emo_ccc (al, gold, l->n_rows);
        double pc_ = emo_pcc (al, gold, l->n_rows);
        double rm = emo_rmse (al, gold, l->n_rows);
        file_sum[a * 3 + 0] += isfinite (c) ? c : 0.0;
        file_sum[a * 3 + 1] += isfinite (pc_) ? pc_ : 0.0;
        file_sum[a * 3 + 2] += rm;
        if (opt_per_file)
          printf (" %10.*f", opt_precision, c);
      }
      g_free (gold);
      g_free (al);
    }
    if (opt_per_file)
      printf ("\n");
  }

  if (opt_per_file) {
    printf ("%-24s", "per-file mean");
    for (a = 0; a < n_attrs; a++)
      printf (" %10.*f", opt_precision, file_sum[a * 3] / labels->len);
    printf ("\n\n");
  }

  printf ("%-10s %8s %8s %8s   (%u files concatenated)\n", "attribute", "CCC",
      "PCC", "RMSE", labels->len);
  {
    double m[3] = { 0, 0, 0 };
    for (a = 0; a < n_attrs; a++) {
      double c = emo_score_acc_ccc (&acc[a]);
      double p = emo_score_acc_pcc (&acc[a]);
      double r = emo_score_acc_rmse (&acc[a]);
      printf ("%-10s %8.*f %8.*f %8.*f\n", attrs[a], opt_precision, c,
          opt_precision, p, opt_precision, r);
      m[0] += c;
      m[1] += p;
      m[2] += r;
    }
    printf ("%-10s %8.*f %8.*f %8.*f\n", "mean", opt_precision, m[0] / n_attrs,
        opt_precision, m[1] / n_attrs, opt_precision, m[2] / n_attrs);
  }
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
