/* gst-emo — loading fusion data from AVEC-style prediction folders.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuse-data.h"

#include <math.h>
#include <string.h>

#include "io/emo-table.h"
#include "ml/emo-metrics.h"

gchar *
emo_fuse_input_name (const gchar * dir)
{
  gchar *tmp = g_strdup (dir), *base, *p, *out;
  gsize l = strlen (tmp);

  while (l > 1 && tmp[l - 1] == G_DIR_SEPARATOR)
    tmp[--l] = 0;
  base = g_path_get_basename (tmp);
  g_free (tmp);
  p = g_str_has_prefix (base,
      "predictions_") ? base + strlen ("predictions_") : base;
  out = g_strdup (*p ? p : "input");
  g_free (base);
  for (p = out; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("_.+-:", *p))
      *p = '_';
  return out;
}

static gboolean
fill_columns (const EmoTable * t, const gchar * const *attrs, guint n_attrs,
    gfloat * dst, guint stride, guint off, guint T, GError ** error)
{
  gfloat *col = g_new (gfloat, MAX (T, 1));
  guint a, k;

  if (t->n_rows == 0) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA, "%s: no rows",
        t->path);
    g_free (col);
    return FALSE;
  }
  for (a = 0; a < n_attrs; a++) {
    gint c = emo_table_find_column (t, attrs[a]);
    if (c < 0) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
          "%s: no column \"%s\"", t->path, attrs[a]);
      g_free (col);
      return FALSE;
    }
    emo_align_prediction (t->data, t->n_rows, t->n_cols, c, col, T);
    for (k = 0; k < T; k++) {
      if (!isfinite (col[k])) {
        g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
            "%s: row %u: %s is not finite", t->path, MIN (k, t->n_rows - 1) + 1,
            attrs[a]);
        g_free (col);
        return FALSE;
      }
      dst[(gsize) k * stride + off + a] = col[k];
    }
  }
  g_free (col);
  return TRUE;
}

EmoFuseData *
emo_fuse_data_load (const gchar * labels, const gchar * const *inputs,
    const gchar * const *attrs, const gchar * match, GError ** error)
{
  guint n_in = g_strv_length ((gchar **) inputs);
  guint n_attrs = g_strv_length ((gchar **) attrs), i, m;
  GPtrArray *master = NULL;
  EmoFuseData *d = NULL;

  if (n_in == 0 || n_attrs == 0) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "no inputs or no attributes");
    return NULL;
  }
  master = emo_table_read_dir (labels ? labels : inputs[0], error);
  if (!master)
    return NULL;
  d = emo_fuse_data_new (n_in, n_attrs);
  for (i = 0; i < master->len; i++) {
    EmoTable *lt = g_ptr_array_index (master, i);
    gchar *base = g_path_get_basename (lt->path);
    guint T = lt->n_rows;
    gfloat *x, *gold = NULL;

    if (match && !g_pattern_match_simple (match, base)) {
      g_free (base);
      continue;
    }
    if (T == 0) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA, "%s: no rows",
          lt->path);
      g_free (base);
      goto fail;
    }
    x = g_new (gfloat, (gsize) T * n_in * n_attrs);
    if (labels) {
      gold = g_new (gfloat, (gsize) T * n_attrs);
      if (!fill_columns (lt, attrs, n_attrs, gold, n_attrs, 0, T, error)) {
        g_free (x);
        g_free (gold);
        g_free (base);
        goto fail;
      }
    }
    for (m = 0; m < n_in; m++) {
      gchar *p = g_build_filename (inputs[m], base, NULL);
      EmoTable *pt = emo_table_read (p, error);
      gboolean ok = pt && fill_columns (pt, attrs, n_attrs, x, n_in * n_attrs,
          m * n_attrs, T, error);
      if (!pt)
        g_prefix_error (error, "input %s: ", inputs[m]);
      emo_table_free (pt);
      g_free (p);
      if (!ok) {
        g_free (x);
        g_free (gold);
        g_free (base);
        goto fail;
      }
    }
    {
      gchar *name = g_strdup (base), *dot = strrchr (name, '.');
      EmoFuseSeq *s;
      if (dot)
        *dot = 0;
      s = emo_fuse_data_add (d, name, T, x, gold);
      s->group = g_strdup (name);
      g_free (name);
    }
    g_free (base);
  }
  if (d->seqs->len == 0) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "no files%s%s in %s", match ? " matching " : "", match ? match : "",
        labels ? labels : inputs[0]);
    goto fail;
  }
  g_ptr_array_unref (master);
  return d;

fail:
  g_ptr_array_unref (master);
  emo_fuse_data_free (d);
  return NULL;
}
