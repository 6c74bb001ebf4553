/* emo report: a finished batch seen at once, as a text table and a
 * self-contained HTML page (one row per input: duration, mean and range of
 * each attribute, a small inline plot, links to the outputs).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * It reads only what the batch left: the JSON-lines summaries in the output
 * folder (emo-batch.jsonl, emo-batch.shard-I-of-N.jsonl; a later line for
 * the same input replaces an earlier one) and the prediction CSVs they
 * name. The page has no script and no external resource: plots are SVG
 * images in data: URIs, so it can be mailed or archived as one file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "emo-commands.h"
#include "emo-output.h"
#include "io/emo-table.h"

#define N_ATTR 3
#define PLOT_W 240
#define PLOT_H 48

static const gchar *const attrs[N_ATTR] = { "arousal", "valence", "liking" };
static const gchar *const colours[N_ATTR] = { "#d62728", "#1f77b4", "#2ca02c" };

static gchar *opt_html;

static GOptionEntry entries[] = {
  {"html", 'o', 0, G_OPTION_ARG_FILENAME, &opt_html,
      "HTML page to write (default DIR/report.html)", "FILE"},
  {NULL}
};

typedef struct
{
  gchar *input, *rel, *status, *reason;
  gdouble duration, seconds;
  GPtrArray *hrefs;             /* outputs relative to the batch folder */
  gboolean has[N_ATTR];
  gdouble mean[N_ATTR], lo[N_ATTR], hi[N_ATTR];
  gchar *plot;                  /* data: URI, or NULL */
} Row;

static void
row_free (Row * r)
{
  g_free (r->input);
  g_free (r->rel);
  g_free (r->status);
  g_free (r->reason);
  g_ptr_array_unref (r->hrefs);
  g_free (r->plot);
  g_free (r);
}

static const gchar *
member_string (JsonObject * o, const gchar * name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) &&
      json_node_get_value_type (n) == G_TYPE_STRING ?
      json_node_get_string (n) : NULL;
}

static gdouble
member_double (JsonObject * o, const gchar * name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_double (n) : NAN;
}

/* An output path as the batch wrote it ("out/s1/x.csv" for -o out) made
 * relative to the batch folder, so links work wherever the page is opened. */
static gchar *
href_of (const gchar * path, const gchar * out_dir)
{
  gsize n = out_dir ? strlen (out_dir) : 0;

  if (n && g_str_has_prefix (path, out_dir) && path[n] == '/')
    return g_strdup (path + n + 1);
  return g_path_get_basename (path);
}

static Row *
row_from_json (JsonObject * o)
{
  Row *r = g_new0 (Row, 1);
  JsonArray *outs = json_object_has_member (o, "outputs") ?
      json_object_get_array_member (o, "outputs") : NULL;
  const gchar *out_dir = member_string (o, "output_dir");
  guint i;

  r->input = g_strdup (member_string (o, "input"));
  r->rel = g_strdup (member_string (o, "rel"));
  r->status = g_strdup (member_string (o, "status"));
  r->reason = g_strdup (member_string (o, "reason"));
  r->duration = member_double (o, "duration_s");
  r->seconds = member_double (o, "seconds");
  r->hrefs = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; outs && i < json_array_get_length (outs); i++) {
    const gchar *p = json_array_get_string_element (outs, i);
    if (p)
      g_ptr_array_add (r->hrefs, href_of (p, out_dir));
  }
  return r;
}

/* Every summary line of the folder, the latest per input. */
static GPtrArray *
read_summaries (const gchar * dir, GError ** error)
{
  GDir *d = g_dir_open (dir, 0, error);
  GPtrArray *rows;
  GHashTable *by_rel;
  const gchar *n;

  if (!d)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  by_rel = g_hash_table_new (g_str_hash, g_str_equal);
  while ((n = g_dir_read_name (d))) {
    gchar *path, *text = NULL, **lines;
    guint i;

    if (!g_str_has_prefix (n, "emo-batch") || !g_str_has_suffix (n, ".jsonl"))
      continue;
    path = g_build_filename (dir, n, NULL);
    if (g_file_get_contents (path, &text, NULL, NULL)) {
      lines = g_strsplit (text, "\n", -1);
      for (i = 0; lines[i]; i++) {
        JsonNode *node = *lines[i] ? json_from_string (lines[i], NULL) : NULL;
        Row *r, *old;
        if (!node || !JSON_NODE_HOLDS_OBJECT (node)) {
          if (node)
            json_node_unref (node);
          continue;
        }
        r = row_from_json (json_node_get_object (node));
        json_node_unref (node);
        if (!r->rel || !r->status) {
          row_free (r);
          continue;
        }
        old = g_hash_table_lookup (by_rel, r->rel);
        if (old)
          g_ptr_array_remove (rows, old);
        g_hash_table_insert (by_rel, r->rel, r);
        g_ptr_array_add (rows, r);
      }
      g_strfreev (lines);
    }
    g_free (text);
    g_free (path);
  }
  g_dir_close (d);
  g_hash_table_destroy (by_rel);
  return rows;
}

static gchar *
svg_plot (const EmoTable * t, const gint * col)
{
  GString *s = g_string_new (NULL);
  gchar *b64, *uri;
  guint k, r, step = MAX (1, t->n_rows / PLOT_W);
  gdouble t0 = t->timestamps[0];
  gdouble span = MAX (t->timestamps[t->n_rows - 1] - t0, 1e-9);
  gchar x[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, "<svg xmlns='http://www.w3.org/2000/svg' "
      "width='%d' height='%d' viewBox='0 0 %d %d'>"
      "<rect width='%d' height='%d' fill='#fafafa'/>"
      "<line x1='0' y1='%d' x2='%d' y2='%d' stroke='#bbb'/>", PLOT_W, PLOT_H,
      PLOT_W, PLOT_H, PLOT_W, PLOT_H, PLOT_H / 2, PLOT_W, PLOT_H / 2);
  for (k = 0; k < N_ATTR; k++) {
    if (col[k] < 0)
      continue;
    g_string_append_printf (s, "<polyline fill='none' stroke='%s' "
        "stroke-width='1.2' points='", colours[k]);
    for (r = 0; r < t->n_rows; r += step) {
      gdouble v = t->data[(gsize) r * t->n_cols + col[k]];
      if (!isfinite (v))
        continue;
      v = CLAMP (v, -1.0, 1.0);
      /* SVG numbers use '.', whatever the user's locale */
      g_string_append_printf (s, "%s,", g_ascii_formatd (x, sizeof x, "%.1f",
              (t->timestamps[r] - t0) / span * (PLOT_W - 1)));
      g_string_append_printf (s, "%s ", g_ascii_formatd (x, sizeof x, "%.1f",
              (1.0 - v) / 2.0 * (PLOT_H - 1)));
    }
    g_string_append (s, "'/>");
  }
  g_string_append (s, "</svg>");
  b64 = g_base64_encode ((const guchar *) s->str, s->len);
  uri = g_strconcat ("data:image/svg+xml;base64,", b64, NULL);
  g_free (b64);
  g_string_free (s, TRUE);
  return uri;
}

/* Mean, range and plot from the row's prediction CSV (its first .csv). */
static void
row_measure (Row * r, const gchar * dir)
{
  EmoTable *t = NULL;
  gint col[N_ATTR];
  guint i, k, n;

  for (i = 0; i < r->hrefs->len && !t; i++) {
    const gchar *h = g_ptr_array_index (r->hrefs, i);
    if (g_str_has_suffix (h, ".csv")) {
      gchar *p = g_build_filename (dir, h, NULL);
      t = emo_table_read_csv (p, NULL);
      g_free (p);
    }
  }
  if (!t || t->n_rows == 0)
    goto out;
  for (k = 0, n = 0; k < N_ATTR; k++) {
    guint row, m;
    col[k] = emo_table_find_column (t, attrs[k]);
    if (col[k] < 0)
      continue;
    r->lo[k] = INFINITY;
    r->hi[k] = -INFINITY;
    r->mean[k] = 0;
    /* frames without a value for the attribute (NaN) do not count */
    for (row = 0, m = 0; row < t->n_rows; row++) {
      gdouble v = t->data[(gsize) row * t->n_cols + col[k]];
      if (!isfinite (v))
        continue;
      r->mean[k] += v;
      r->lo[k] = MIN (r->lo[k], v);
      r->hi[k] = MAX (r->hi[k], v);
      m++;
    }
    if (!m) {
      col[k] = -1;
      continue;
    }
    r->mean[k] /= m;
    r->has[k] = TRUE;
    n++;
  }
  if (n)
    r->plot = svg_plot (t, col);
out:
  if (t)
    emo_table_free (t);
}

static gint
cmp_row (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Row * const *) a)->rel, (*(Row * const *) b)->rel);
}

static void
html_text (GString * s, const gchar * text)
{
  gchar *e = g_markup_escape_text (text ? text : "", -1);
  g_string_append (s, e);
  g_free (e);
}

static void
html_row (GString * s, const Row * r)
{
  guint i, k;
  gboolean ok = !strcmp (r->status, "done") || !strcmp (r->status, "current");

  g_string_append_printf (s, "<tr class='%s'><td>", ok ? "ok" : "bad");
  html_text (s, r->rel);
  g_string_append (s, "</td><td>");
  html_text (s, r->status);
  if (r->reason) {
    g_string_append (s, "<div class='why'>");
    html_text (s, r->reason);
    g_string_append (s, "</div>");
  }
  if (isfinite (r->duration))
    g_string_append_printf (s, "</td><td class='n'>%.1f", r->duration);
  else
    g_string_append (s, "</td><td class='n'>");
  for (k = 0; k < N_ATTR; k++) {
    if (r->has[k])
      g_string_append_printf (s, "</td><td class='n'>%+.3f<div class='rng'>"
          "%+.2f&hellip;%+.2f</div>", r->mean[k], r->lo[k], r->hi[k]);
    else
      g_string_append (s, "</td><td class='n'>");
  }
  g_string_append (s, "</td><td>");
  if (r->plot)
    g_string_append_printf (s, "<img alt='plot of %s' width='%d' height='%d' "
        "src='%s'>", r->rel, PLOT_W, PLOT_H, r->plot);
  g_string_append (s, "</td><td>");
  for (i = 0; i < r->hrefs->len; i++) {
    const gchar *h = g_ptr_array_index (r->hrefs, i);
    gchar *esc = g_uri_escape_string (h, "/", FALSE);
    gchar *ext = strrchr (h, '.');
    g_string_append_printf (s, "<a href='%s'>%s</a> ", esc, ext ? ext + 1 : h);
    g_free (esc);
  }
  g_string_append (s, "</td></tr>\n");
}

static gchar *
html_page (GPtrArray * rows, const gchar * dir, guint n_ok, guint n_bad,
    gdouble media_s)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append (s, "<!DOCTYPE html>\n<html lang='en'><head><meta "
      "charset='utf-8'><title>emo report: ");
  html_text (s, dir);
  g_string_append (s, "</title><style>"
      "body{font:14px sans-serif;margin:1.5em}"
      "table{border-collapse:collapse}td,th{padding:3px 8px;"
      "border-bottom:1px solid #ddd;vertical-align:top}"
      "td.n{text-align:right;font-variant-numeric:tabular-nums}"
      ".rng,.why{font-size:11px;color:#666}tr.bad{background:#fde8e8}"
      ".key span{padding:0 6px}</style></head><body>\n<h1>emo report</h1>\n");
  g_string_append_printf (s, "<p>%u inputs: %u done, %u failed or "
      "interrupted; %.2f h of media. <span class='key'>Plots: "
      "<span style='color:%s'>arousal</span><span style='color:%s'>valence"
      "</span><span style='color:%s'>liking</span> from -1 to +1."
      "</span></p>\n", rows->len, n_ok, n_bad, media_s / 3600.0, colours[0],
      colours[1], colours[2]);
  g_string_append (s, "<table><thead><tr><th>input</th><th>status</th>"
      "<th>seconds</th><th>arousal</th><th>valence</th><th>liking</th>"
      "<th>over time</th><th>outputs</th></tr></thead><tbody>\n");
  for (i = 0; i < rows->len; i++)
    html_row (s, g_ptr_array_index (rows, i));
  g_string_append (s, "</tbody></table>\n</body></html>\n");
  return g_string_free (s, FALSE);
}

static void
print_table (GPtrArray * rows)
{
  guint i, k;

  printf ("%-40s %-11s %8s %16s %16s %16s\n", "input", "status", "seconds",
      "arousal", "valence", "liking");
  for (i = 0; i < rows->len; i++) {
    const Row *r = g_ptr_array_index (rows, i);
    printf ("%-40s %-11s %8.1f", r->rel, r->status,
        isfinite (r->duration) ? r->duration : 0.0);
    for (k = 0; k < N_ATTR; k++) {
      if (r->has[k])
        printf ("  %+.2f [%+.2f,%+.2f]", r->mean[k], r->lo[k], r->hi[k]);
      else
        printf (" %16s", "-");
    }
    printf ("\n");
  }
}

static gboolean
write_page (const gchar * path, const gchar * html, GError ** error)
{
  EmoOutput *o = emo_output_new (path, error);

  if (!o)
    return FALSE;
  if (!g_file_set_contents (emo_output_temp_path (o), html, -1, error)) {
    emo_output_discard (o);
    return FALSE;
  }
  return emo_output_commit (o, error);
}

int
emo_cmd_report (int argc, char **argv)
{
  GOptionContext *ctx = g_option_context_new ("DIR - report on a batch");
  GError *err = NULL;
  GPtrArray *rows = NULL;
  gchar *html = NULL, *page = NULL;
  guint i, n_ok = 0, n_bad = 0;
  gdouble media_s = 0;
  int ret = 1;

  g_option_context_set_summary (ctx,
      "Reads the batch summaries in DIR (emo-batch*.jsonl, written by emo\n"
      "extract/predict/annotate with an output folder) and the prediction CSVs\n"
      "they name; prints a table and writes a self-contained HTML page.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    ret = emo_fail ("report: %s", err->message);
    goto out;
  }
  if (argc != 2) {
    ret = emo_fail ("report needs one batch output folder (see emo report "
        "--help)");
    goto out;
  }
  rows = read_summaries (argv[1], &err);
  if (!rows) {
    ret = emo_fail ("report: %s", err->message);
    goto out;
  }
  if (rows->len == 0) {
    ret = emo_fail ("report: no batch summary (emo-batch*.jsonl) in %s",
        argv[1]);
    goto out;
  }
  g_ptr_array_sort (rows, cmp_row);
  for (i = 0; i < rows->len; i++) {
    Row *r = g_ptr_array_index (rows, i);
    gboolean ok = !strcmp (r->status, "done") || !strcmp (r->status,
        "current");
    if (ok) {
      row_measure (r, argv[1]);
      media_s += isfinite (r->duration) ? r->duration : 0;
    }
    n_ok += ok;
    n_bad += !ok;
  }
  print_table (rows);
  page = opt_html ? g_strdup (opt_html) : g_build_filename (argv[1],
      "report.html", NULL);
  html = html_page (rows, argv[1], n_ok, n_bad, media_s);
  if (!write_page (page, html, &err)) {
    ret = emo_fail ("report: %s", err->message);
    goto out;
  }
  printf ("emo: %u inputs (%u done, %u not); wrote %s\n", rows->len, n_ok,
      n_bad, page);
  ret = 0;
out:
  if (rows)
    g_ptr_array_unref (rows);
  g_free (html);
  g_free (page);
  g_clear_error (&err);
  g_option_context_free (ctx);
  return ret;
}
