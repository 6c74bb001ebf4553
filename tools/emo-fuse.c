/* emo fuse: apply a fuser from `emo fuse-train` to prediction folders.
 * The per-frame computation is EmoFuseRunner, the same code the emofuse
 * element runs.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "emo-commands.h"
#include "emo-output.h"
#include "io/emo-table.h"
#include "ml/fuse-data.h"
#include "ml/fuse-model.h"


/* No fused file may be, or replace, a stage-1 file or the model. */
static gboolean
refuse_inputs (const EmoFuseData * d, gchar ** inputs, const gchar * out,
    const gchar * model)
{
  GPtrArray *outs = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *ins = g_ptr_array_new ();
  gboolean ok;
  guint i;

  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = g_ptr_array_index (d->seqs, i);
    gchar *fn = g_strdup_printf ("%s.csv", s->name);
    g_ptr_array_add (outs, g_build_filename (out, fn, NULL));
    g_free (fn);
  }
  for (i = 0; inputs[i]; i++)
    g_ptr_array_add (ins, inputs[i]);
  g_ptr_array_add (ins, (gpointer) model);
  ok = emo_refuse_inputs (outs, ins);
  g_ptr_array_unref (outs);
  g_ptr_array_unref (ins);
  return ok;
}

/* The record beside one fused file: the stage-1 files of its name. */
static gboolean
record_fused (const gchar * path, const gchar * name, gchar ** inputs,
    const gchar * model, gboolean causal, const gchar * match, guint T,
    GError ** error)
{
  GPtrArray *ins = g_ptr_array_new_with_free_func (g_free);
  const gchar *models[] = { model, NULL };
  const gchar *options[] = { "causal", causal ? "true" : "false",
    "match", match ? match : "", NULL
  };
  gboolean ok;
  guint i;

  for (i = 0; inputs[i]; i++) {
    gchar *fn = g_strdup_printf ("%s.csv", name);
    gchar *p = g_build_filename (inputs[i], fn, NULL);
    g_free (fn);
    if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (ins, p);
    else
      g_free (p);
  }
  g_ptr_array_add (ins, NULL);
  ok = emo_record_write_beside ("fuse", path,
      (const gchar * const *) ins->pdata, models, options, T, error);
  g_ptr_array_unref (ins);
  return ok;
}

int
emo_cmd_fuse (int argc, char **argv)
{
  gchar *opt_model = NULL, **opt_inputs = NULL, *opt_out = NULL, *opt_match =
      NULL;
  gboolean opt_causal = FALSE;
  gdouble opt_hop = 0.1;
  GOptionEntry entries[] = {
    {"model", 'm', 0, G_OPTION_ARG_FILENAME, &opt_model,
        "Fuser file from emo fuse-train", "FILE"},
    {"inputs", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_inputs,
          "Stage-1 prediction folders, in the model's order (repeat, or list after it)",
        "DIR"},
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out,
        "Folder for the fused prediction CSVs", "DIR"},
    {"match", 0, 0, G_OPTION_ARG_STRING, &opt_match,
        "Only files matching this glob", "GLOB"},
    {"causal", 0, 0, G_OPTION_ARG_NONE, &opt_causal,
        "Past context only (as emofuse causal=true): no look-ahead", NULL},
    {"hop", 0, 0, G_OPTION_ARG_DOUBLE, &opt_hop,
        "Frame hop in seconds for the timestamps (0.1)", "S"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  gchar **inputs = NULL;
  EmoFuseModel *model = NULL;
  EmoFuseData *d = NULL;
  guint i, n_in, t, a;
  int ret = 1;

  ctx =
      g_option_context_new ("- fuse stage-1 predictions with a trained fuser");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  inputs = emo_fuse_collect_inputs (opt_inputs, argc, argv);
  n_in = g_strv_length (inputs);
  if (!opt_model || n_in == 0 || !opt_out) {
    ret =
        emo_fail
        ("fuse needs --model FILE, --inputs DIR... and --out DIR (see emo fuse --help)");
    goto out;
  }
  if (!(opt_hop > 0 && opt_hop < 3600)) {
    ret = emo_fail ("--hop must be in (0, 3600) seconds");
    goto out;
  }
  model = emo_fuse_model_load (opt_model, &err);
  if (!model) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (n_in != model->n_inputs) {
    gchar *want = g_strjoinv (",", model->inputs);
    ret = emo_fail ("%s expects %u input folders (%s), got %u", opt_model,
        model->n_inputs, want, n_in);
    g_free (want);
    goto out;
  }
  for (i = 0; i < n_in; i++) {
    gchar *nm = emo_fuse_input_name (inputs[i]);
    if (strcmp (nm, model->inputs[i]))
      fprintf (stderr,
          "emo: warning: input %u is %s, the model was trained with %s there\n",
          i + 1, nm, model->inputs[i]);
    g_free (nm);
  }
  d = emo_fuse_data_load (NULL, (const gchar * const *) inputs,
      (const gchar * const *) model->attrs, opt_match, &err);
  if (!d) {
    ret = emo_fail ("%s", err->message);
    goto out;
  }
  if (!refuse_inputs (d, inputs, opt_out, opt_model))
    goto out;
  if (g_mkdir_with_parents (opt_out, 0755) != 0) {
    ret = emo_fail ("cannot create %s", opt_out);
    goto out;
  }
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = g_ptr_array_index (d->seqs, i);
    EmoTable *tab = emo_table_new (s->name, s->T, model->n_attrs);
    gchar *fn = g_strdup_printf ("%s.csv", s->name), *path =
        g_build_filename (opt_out, fn, NULL);
    gfloat *y = g_new (gfloat, (gsize) s->T * model->n_attrs);
    gboolean ok;

    emo_fuse_model_apply (model, opt_causal, s->x, s->T, y);
    for (a = 0; a < model->n_attrs; a++) {
      g_free (tab->col_names[a]);
      tab->col_names[a] = g_strdup (model->attrs[a]);
    }
    for (t = 0; t < s->T; t++) {
      tab->timestamps[t] = t * opt_hop;
      memcpy (tab->data + (gsize) t * model->n_attrs,
          y + (gsize) t * model->n_attrs, model->n_attrs * sizeof (gfloat));
    }
    ok = emo_table_write_csv (tab, path, &err)
        && record_fused (path, s->name, inputs, opt_model, opt_causal,
        opt_match, s->T, &err);
    emo_table_free (tab);
    g_free (y);
    g_free (fn);
    g_free (path);
    if (!ok) {
      ret = emo_fail ("%s", err->message);
      goto out;
    }
  }
  printf ("fused %u files into %s (look-ahead %u frames)\n", d->seqs->len,
      opt_out, emo_fuse_model_latency (model, opt_causal));
  ret = 0;

out:
  g_clear_error (&err);
  emo_fuse_model_free (model);
  emo_fuse_data_free (d);
  g_strfreev (inputs);
  g_strfreev (opt_inputs);
  g_free (opt_model);
  g_free (opt_out);
  g_free (opt_match);
  g_option_context_free (ctx);
  return ret;
}
