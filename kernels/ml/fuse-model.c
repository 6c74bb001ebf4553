/* gst-emo — fusion model: file format, validation, inference.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * File format (text, one keyword per line, numbers written with %.17g,
 * read locale-independently):
 *
 *   emo-fuser 1
 *   method svr
 *   attributes 3 arousal valence liking
 *   inputs 9 egemaps-func_STD egemaps-xbow ...
 *   stages 2
 *   stage 1 <in_dim> <n_offsets> <offset>...
 *   attr arousal <bias> <n_weights> <weight>...     (one line per attribute)
 *   ...
 *   stage 2 ...
 *   record <free text>                               (zero or more)
 *   end
 *
 * Everything is validated before the model is returned.
 */
#include "fuse-model.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (emo - fuse - error - quark, emo_fuse_error);

EmoFuseModel *
emo_fuse_model_new (const gchar * method, guint n_attrs,
    const gchar * const *attrs, guint n_inputs, const gchar * const *inputs)
{
  EmoFuseModel *m = g_new0 (EmoFuseModel, 1);
  guint i;

  m->method = g_strdup (method);
  m->n_attrs = n_attrs;
  m->attrs = g_new0 (gchar *, n_attrs + 1);
  for (i = 0; i < n_attrs; i++)
    m->attrs[i] = g_strdup (attrs[i]);
  m->n_inputs = n_inputs;
  m->inputs = g_new0 (gchar *, n_inputs + 1);
  for (i = 0; i < n_inputs; i++)
    m->inputs[i] = g_strdup (inputs[i]);
  m->record = g_ptr_array_new_with_free_func (g_free);
  return m;
}

static void
stage_clear (EmoFuseStage * st)
{
  g_free (st->offsets);
  g_free (st->weights);
  g_free (st->bias);
}

void
emo_fuse_model_free (EmoFuseModel * m)
{
  guint s;

  if (!m)
    return;
  for (s = 0; s < m->n_stages; s++)
    stage_clear (&m->stages[s]);
  g_free (m->stages);
  g_free (m->method);
  g_strfreev (m->attrs);
  g_strfreev (m->inputs);
  if (m->record)
    g_ptr_array_unref (m->record);
  g_free (m);
}

guint
emo_fuse_model_stage_in_dim (const EmoFuseModel * m, guint s)
{
  return m->n_inputs * m->n_attrs + s * m->n_attrs;
}

EmoFuseStage *
emo_fuse_model_add_stage (EmoFuseModel * m, const gint * offsets,
    guint n_offsets)
{
  EmoFuseStage *st;

  m->stages = g_renew (EmoFuseStage, m->stages, m->n_stages + 1);
  st = &m->stages[m->n_stages];
  st->n_offsets = n_offsets;
  st->offsets = g_memdup2 (offsets, n_offsets * sizeof (gint));
  st->in_dim = emo_fuse_model_stage_in_dim (m, m->n_stages);
  st->weights = g_new0 (gdouble, (gsize) m->n_attrs * n_offsets * st->in_dim);
  st->bias = g_new0 (gdouble, m->n_attrs);
  m->n_stages++;
  return st;
}

void
emo_fuse_model_add_record (EmoFuseModel * m, const gchar * fmt, ...)
{
  va_list ap;
  gchar *s, *p;

  va_start (ap, fmt);
  s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  /* one line each: the format is line based */
  for (p = s; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  g_ptr_array_add (m->record, s);
}

guint
emo_fuse_stage_future (const EmoFuseStage * st)
{
  guint i, f = 0;
  for (i = 0; i < st->n_offsets; i++)
    if (st->offsets[i] > 0 && (guint) st->offsets[i] > f)
      f = st->offsets[i];
  return f;
}

guint
emo_fuse_stage_past (const EmoFuseStage * st)
{
  guint i, p = 0;
  for (i = 0; i < st->n_offsets; i++)
    if (st->offsets[i] < 0 && (guint) (-st->offsets[i]) > p)
      p = -st->offsets[i];
  return p;
}

guint
emo_fuse_model_latency (const EmoFuseModel * m, gboolean causal)
{
  guint s, l = 0;
  if (causal)
    return 0;
  for (s = 0; s < m->n_stages; s++)
    l += emo_fuse_stage_future (&m->stages[s]);
  return l;
}

static gboolean
name_is_valid (const gchar * s)
{
  const gchar *p;
  if (!s || !*s || strlen (s) > 128)
    return FALSE;
  for (p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("_.+-:", *p))
      return FALSE;
  return TRUE;
}

gboolean
emo_fuse_model_validate (const EmoFuseModel * m, GError ** error)
{
  guint s, i, j;

#define FAIL(...) do { g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_FORMAT, __VA_ARGS__); return FALSE; } while (0)
  if (!name_is_valid (m->method))
    FAIL ("invalid method name");
  if (m->n_attrs < 1 || m->n_attrs > EMO_FUSE_MAX_ATTRS)
    FAIL ("%u attributes (1..%d allowed)", m->n_attrs, EMO_FUSE_MAX_ATTRS);
  if (m->n_inputs < 1 || m->n_inputs > EMO_FUSE_MAX_INPUTS)
    FAIL ("%u inputs (1..%d allowed)", m->n_inputs, EMO_FUSE_MAX_INPUTS);
  if (m->n_stages < 1 || m->n_stages > EMO_FUSE_MAX_STAGES)
    FAIL ("%u stages (1..%d allowed)", m->n_stages, EMO_FUSE_MAX_STAGES);
  for (i = 0; i < m->n_attrs; i++) {
    if (!name_is_valid (m->attrs[i]))
      FAIL ("invalid attribute name");
    for (j = 0; j < i; j++)
      if (!strcmp (m->attrs[i], m->attrs[j]))
        FAIL ("attribute \"%s\" listed twice", m->attrs[i]);
  }
  for (i = 0; i < m->n_inputs; i++)
    if (!name_is_valid (m->inputs[i]))
      FAIL ("invalid input name");
  for (s = 0; s < m->n_stages; s++) {
    const EmoFuseStage *st = &m->stages[s];
    gsize nw = (gsize) st->n_offsets * st->in_dim * m->n_attrs;
    if (st->in_dim != emo_fuse_model_stage_in_dim (m, s))
      FAIL ("stage %u: input dimension %u, expected %u", s + 1, st->in_dim,
          emo_fuse_model_stage_in_dim (m, s));
    if (st->n_offsets < 1 || st->n_offsets > EMO_FUSE_MAX_OFFSETS)
      FAIL ("stage %u: %u offsets (1..%d allowed)", s + 1, st->n_offsets,
          EMO_FUSE_MAX_OFFSETS);
    for (i = 0; i < st->n_offsets; i++)
      if (st->offsets[i] < -EMO_FUSE_MAX_OFFSET
          || st->offsets[i] > EMO_FUSE_MAX_OFFSET)
        FAIL ("stage %u: offset %d out of range", s + 1, st->offsets[i]);
    for (i = 0; i < m->n_attrs; i++)
      if (!isfinite (st->bias[i]))
        FAIL ("stage %u: bias of %s is not finite", s + 1, m->attrs[i]);
    for (i = 0; i < nw; i++)
      if (!isfinite (st->weights[i]) || fabs (st->weights[i]) > 1e12)
        FAIL ("stage %u: weight %u is not finite", s + 1, i);
  }
#undef FAIL
  return TRUE;
}

static void
append_double (GString * s, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_c (s, ' ');
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
}

gchar *
emo_fuse_model_to_string (const EmoFuseModel * m)
{
  GString *s = g_string_new (NULL);
  guint st_i, i, a;

  g_string_append_printf (s, "%s %d\n", EMO_FUSE_MODEL_MAGIC,
      EMO_FUSE_MODEL_VERSION);
  g_string_append_printf (s, "method %s\n", m->method);
  g_string_append_printf (s, "attributes %u", m->n_attrs);
  for (i = 0; i < m->n_attrs; i++)
    g_string_append_printf (s, " %s", m->attrs[i]);
  g_string_append_printf (s, "\ninputs %u", m->n_inputs);
  for (i = 0; i < m->n_inputs; i++)
    g_string_append_printf (s, " %s", m->inputs[i]);
  g_string_append_printf (s, "\nstages %u\n", m->n_stages);
  for (st_i = 0; st_i < m->n_stages; st_i++) {
    const EmoFuseStage *st = &m->stages[st_i];
    guint nw = st->n_offsets * st->in_dim;
    g_string_append_printf (s, "stage %u %u %u", st_i + 1, st->in_dim,
        st->n_offsets);
    for (i = 0; i < st->n_offsets; i++)
      g_string_append_printf (s, " %d", st->offsets[i]);
    g_string_append_c (s, '\n');
    for (a = 0; a < m->n_attrs; a++) {
      g_string_append_printf (s, "attr %s", m->attrs[a]);
      append_double (s, st->bias[a]);
      g_string_append_printf (s, " %u", nw);
      for (i = 0; i < nw; i++)
        append_double (s, st->weights[(gsize) a * nw + i]);
      g_string_append_c (s, '\n');
    }
  }
  for (i = 0; i < m->record->len; i++)
    g_string_append_printf (s, "record %s\n",
        (const gchar *) g_ptr_array_index (m->record, i));
  g_string_append (s, "end\n");
  return g_string_free (s, FALSE);
}

gboolean
emo_fuse_model_save (const EmoFuseModel * m, const gchar * path,
    GError ** error)
{
  gchar *s;
  gboolean ok;
  GError *e = NULL;

  if (!emo_fuse_model_validate (m, error))
    return FALSE;
  s = emo_fuse_model_to_string (m);
  ok = g_file_set_contents (path, s, -1, &e);
  g_free (s);
  if (!ok) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_OPEN,
        "cannot write %s: %s", path, e->message);
    g_error_free (e);
  }
  return ok;
}

/* ---- parser ---- */

typedef struct
{
  gchar **lines;
  guint n_lines;
  guint cur;                    /* index of the next line */
  gchar **tok;                  /* tokens of the current line */
  guint n_tok;
  const gchar *origin;
} Reader;

static gboolean
reader_next (Reader * r)
{
  g_strfreev (r->tok);
  r->tok = NULL;
  r->n_tok = 0;
  while (r->cur < r->n_lines) {
    gchar **parts = g_strsplit_set (r->lines[r->cur++], " \t\r", -1);
    GPtrArray *v = g_ptr_array_new ();
    guint i;
    for (i = 0; parts[i]; i++) {
      if (*parts[i])
        g_ptr_array_add (v, parts[i]);
      else
        g_free (parts[i]);
    }
    g_free (parts);
    if (v->len == 0) {
      g_ptr_array_free (v, TRUE);
      continue;
    }
    r->n_tok = v->len;
    g_ptr_array_add (v, NULL);
    r->tok = (gchar **) g_ptr_array_free (v, FALSE);
    return TRUE;
  }
  return FALSE;
}

static gboolean
parse_int (const gchar * s, gint64 lo, gint64 hi, gint64 * out)
{
  gchar *end = NULL;
  gint64 v;
  if (!s || !*s)
    return FALSE;
  v = g_ascii_strtoll (s, &end, 10);
  if (!end || *end || v < lo || v > hi)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_double (const gchar * s, gdouble * out)
{
  gchar *end = NULL;
  gdouble v;
  if (!s || !*s)
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (!end || *end || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* "keyword N name..." -> strv */
static gchar **
parse_names (Reader * r, const gchar * key, guint max, guint * n_out)
{
  gint64 n;
  guint i;
  gchar **v;
  if (r->n_tok < 2 || strcmp (r->tok[0], key)
      || !parse_int (r->tok[1], 1, max, &n)
      || r->n_tok != (guint) n + 2)
    return NULL;
  v = g_new0 (gchar *, n + 1);
  for (i = 0; i < n; i++)
    v[i] = g_strdup (r->tok[i + 2]);
  *n_out = n;
  return v;
}

EmoFuseModel *
emo_fuse_model_parse (const gchar * text, gsize len, const gchar * origin,
    GError ** error)
{
  Reader r = { 0 };
  EmoFuseModel *m = NULL;
  gchar *copy = NULL, *method = NULL;
  gchar **attrs = NULL, **inputs = NULL;
  guint n_attrs = 0, n_inputs = 0, s, a, i;
  gint64 v, n_stages;
  const gchar *what = "header";

  if (!origin)
    origin = "fuser";
  if (len > 256 * 1024 * 1024 || memchr (text, 0, len)) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_FORMAT,
        "%s: not a text fuser file", origin);
    return NULL;
  }
  copy = g_strndup (text, len);
  r.lines = g_strsplit (copy, "\n", -1);
  r.n_lines = g_strv_length (r.lines);
  r.origin = origin;

  if (!reader_next (&r) || r.n_tok != 2
      || strcmp (r.tok[0], EMO_FUSE_MODEL_MAGIC)) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_FORMAT,
        "%s: not a gst-emo fuser file (no \"%s\" header)", origin,
        EMO_FUSE_MODEL_MAGIC);
    goto fail;
  }
  if (!parse_int (r.tok[1], 1, G_MAXINT, &v))
    goto bad;
  if (v > EMO_FUSE_MODEL_VERSION) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_VERSION,
        "%s: fuser format version %" G_GINT64_FORMAT " is newer than this "
        "gst-emo reads (%d)", origin, v, EMO_FUSE_MODEL_VERSION);
    goto fail;
  }
  what = "method";
  if (!reader_next (&r) || r.n_tok != 2 || strcmp (r.tok[0], "method"))
    goto bad;
  method = g_strdup (r.tok[1]);
  what = "attributes";
  if (!reader_next (&r)
      || !(attrs =
          parse_names (&r, "attributes", EMO_FUSE_MAX_ATTRS, &n_attrs)))
    goto bad;
  what = "inputs";
  if (!reader_next (&r)
      || !(inputs = parse_names (&r, "inputs", EMO_FUSE_MAX_INPUTS, &n_inputs)))
    goto bad;
  m = emo_fuse_model_new (method, n_attrs, (const gchar * const *) attrs,
      n_inputs, (const gchar * const *) inputs);
  what = "stages";
  if (!reader_next (&r) || r.n_tok != 2 || strcmp (r.tok[0], "stages")
      || !parse_int (r.tok[1], 1, EMO_FUSE_MAX_STAGES, &n_stages))
    goto bad;
  for (s = 0; s < n_stages; s++) {
    gint64 in_dim, n_off, nw;
    gint offs[EMO_FUSE_MAX_OFFSETS];
    EmoFuseStage *st;
    what = "stage";
    if (!reader_next (&r) || r.n_tok < 4 || strcmp (r.tok[0], "stage")
        || !parse_int (r.tok[1], s + 1, s + 1, &v)
        || !parse_int (r.tok[2], 1, G_MAXINT, &in_dim)
        || in_dim != emo_fuse_model_stage_in_dim (m, s)
        || !parse_int (r.tok[3], 1, EMO_FUSE_MAX_OFFSETS, &n_off)
        || r.n_tok != 4 + (guint) n_off)
      goto bad;
    for (i = 0; i < n_off; i++) {
      if (!parse_int (r.tok[4 + i], -EMO_FUSE_MAX_OFFSET, EMO_FUSE_MAX_OFFSET,
              &v))
        goto bad;
      offs[i] = v;
    }
    {
      /* every weight takes at least two characters: refuse sizes the text
       * cannot hold before allocating them */
      guint64 rest = 0, k;
      for (k = r.cur; k < r.n_lines; k++)
        rest += strlen (r.lines[k]) + 1;
      if ((guint64) n_attrs * n_off * in_dim * 2 > rest)
        goto bad;
    }
    st = emo_fuse_model_add_stage (m, offs, n_off);
    for (a = 0; a < n_attrs; a++) {
      what = "attr";
      if (!reader_next (&r) || r.n_tok < 4 || strcmp (r.tok[0], "attr")
          || strcmp (r.tok[1], m->attrs[a])
          || !parse_double (r.tok[2], &st->bias[a])
          || !parse_int (r.tok[3], 1, G_MAXINT, &nw)
          || nw != (gint64) n_off * in_dim || r.n_tok != 4 + (guint) nw)
        goto bad;
      for (i = 0; i < nw; i++)
        if (!parse_double (r.tok[4 + i], &st->weights[(gsize) a * nw + i]))
          goto bad;
    }
  }
  what = "end";
  for (;;) {
    if (!reader_next (&r))
      goto bad;
    if (!strcmp (r.tok[0], "end") && r.n_tok == 1)
      break;
    if (strcmp (r.tok[0], "record"))
      goto bad;
    {
      gchar *line = g_strjoinv (" ", r.tok + 1);
      g_ptr_array_add (m->record, line);
    }
  }
  if (reader_next (&r)) {
    what = "trailing data";
    goto bad;
  }
  if (!emo_fuse_model_validate (m, error)) {
    g_prefix_error (error, "%s: ", origin);
    goto fail;
  }
  g_strfreev (r.lines);
  g_strfreev (attrs);
  g_strfreev (inputs);
  g_free (method);
  g_free (copy);
  return m;

bad:
  g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_FORMAT,
      "%s:%u: malformed \"%s\" line", origin, r.cur, what);
fail:
  g_strfreev (r.tok);
  g_strfreev (r.lines);
  g_strfreev (attrs);
  g_strfreev (inputs);
  g_free (method);
  g_free (copy);
  emo_fuse_model_free (m);
  return NULL;
}

EmoFuseModel *
emo_fuse_model_load (const gchar * path, GError ** error)
{
  gchar *text;
  gsize len;
  GError *e = NULL;
  EmoFuseModel *m;

  if (!g_file_get_contents (path, &text, &len, &e)) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return NULL;
  }
  m = emo_fuse_model_parse (text, len, path, error);
  g_free (text);
  return m;
}

/* ---- inference ---- */

void
emo_fuse_stage_eval (const EmoFuseStage * st, guint n_attrs,
    const gfloat * const *rows, gfloat * out)
{
  guint a, i, j, nw = st->n_offsets * st->in_dim;

  for (a = 0; a < n_attrs; a++) {
    const gdouble *w = st->weights + (gsize) a * nw;
    gdouble acc = st->bias[a];
    for (i = 0; i < st->n_offsets; i++) {
      const gfloat *x = rows[i];
      const gdouble *wi = w + (gsize) i * st->in_dim;
      for (j = 0; j < st->in_dim; j++)
        acc += wi[j] * x[j];
    }
    out[a] = (gfloat) acc;
  }
}

guint64
emo_fuse_context_frame (guint64 t, gint offset, guint64 last, gboolean causal)
{
  gint64 k = (gint64) t + offset;
  gint64 hi = causal ? (gint64) t : (gint64) last;

  return (guint64) CLAMP (k, 0, hi);
}

void
emo_fuse_stage_apply (const EmoFuseStage * st, guint n_attrs,
    const gfloat * x, guint T, gboolean causal, gfloat * out)
{
  const gfloat **rows = g_new (const gfloat *, st->n_offsets);
  guint t, i;

  for (t = 0; t < T; t++) {
    for (i = 0; i < st->n_offsets; i++)
      rows[i] = x + (gsize) emo_fuse_context_frame (t, st->offsets[i], T - 1,
          causal) * st->in_dim;
    emo_fuse_stage_eval (st, n_attrs, rows, out + (gsize) t * n_attrs);
  }
  g_free (rows);
}

/* Streaming cascade. Stage s keeps a ring of its input vectors covering
 * frames [t - past, t + future] around the next frame t to compute; when
 * y_s(t) is known, x_{s+1}(t) = [x_s(t), y_s(t)] enters stage s+1. */
typedef struct
{
  const EmoFuseStage *st;
  guint past, future, cap;
  gfloat *ring;                 /* cap x in_dim */
  guint64 n_in;                 /* frames received */
  guint64 n_out;                /* frames computed */
  const gfloat **rows;
  gfloat *next;                 /* in_dim + n_attrs: the next stage's input */
} RunStage;

struct _EmoFuseRunner
{
  const EmoFuseModel *m;
  gboolean causal, finished;
  RunStage *rs;
  GQueue out;                   /* gfloat[n_attrs] each */
};

EmoFuseRunner *
emo_fuse_runner_new (const EmoFuseModel * m, gboolean causal)
{
  EmoFuseRunner *r = g_new0 (EmoFuseRunner, 1);
  guint s;

  r->m = m;
  r->causal = causal;
  r->rs = g_new0 (RunStage, m->n_stages);
  for (s = 0; s < m->n_stages; s++) {
    RunStage *rs = &r->rs[s];
    rs->st = &m->stages[s];
    rs->past = emo_fuse_stage_past (rs->st);
    rs->future = causal ? 0 : emo_fuse_stage_future (rs->st);
    rs->cap = rs->past + rs->future + 2;
    rs->ring = g_new0 (gfloat, (gsize) rs->cap * rs->st->in_dim);
    rs->rows = g_new (const gfloat *, rs->st->n_offsets);
    rs->next = g_new0 (gfloat, rs->st->in_dim + m->n_attrs);
  }
  g_queue_init (&r->out);
  return r;
}

void
emo_fuse_runner_reset (EmoFuseRunner * r)
{
  guint s;
  for (s = 0; s < r->m->n_stages; s++)
    r->rs[s].n_in = r->rs[s].n_out = 0;
  r->finished = FALSE;
  g_queue_clear_full (&r->out, g_free);
}

void
emo_fuse_runner_free (EmoFuseRunner * r)
{
  guint s;
  if (!r)
    return;
  for (s = 0; s < r->m->n_stages; s++) {
    g_free (r->rs[s].ring);
    g_free (r->rs[s].rows);
    g_free (r->rs[s].next);
  }
  g_free (r->rs);
  g_queue_clear_full (&r->out, g_free);
  g_free (r);
}

static void stage_push (EmoFuseRunner * r, guint s, const gfloat * x);

/* Computes every frame of stage s that has enough context. */
static void
stage_drain (EmoFuseRunner * r, guint s, gboolean finished)
{
  RunStage *rs = &r->rs[s];
  const EmoFuseStage *st = rs->st;
  guint n_attrs = r->m->n_attrs, i;

  while (rs->n_out < rs->n_in && (finished
          || rs->n_out + rs->future < rs->n_in)) {
    guint64 t = rs->n_out;
    gfloat *y = rs->next + st->in_dim;
    for (i = 0; i < st->n_offsets; i++) {
      guint64 j = emo_fuse_context_frame (t, st->offsets[i], rs->n_in - 1,
          r->causal);
      rs->rows[i] = rs->ring + (gsize) (j % rs->cap) * st->in_dim;
    }
    emo_fuse_stage_eval (st, n_attrs, rs->rows, y);
    rs->n_out++;
    if (s + 1 < r->m->n_stages) {
      memcpy (rs->next, rs->ring + (gsize) (t % rs->cap) * st->in_dim,
          st->in_dim * sizeof (gfloat));
      stage_push (r, s + 1, rs->next);
    } else {
      g_queue_push_tail (&r->out, g_memdup2 (y, n_attrs * sizeof (gfloat)));
    }
  }
}

static void
stage_push (EmoFuseRunner * r, guint s, const gfloat * x)
{
  RunStage *rs = &r->rs[s];
  memcpy (rs->ring + (gsize) (rs->n_in % rs->cap) * rs->st->in_dim, x,
      rs->st->in_dim * sizeof (gfloat));
  rs->n_in++;
  stage_drain (r, s, FALSE);
}

void
emo_fuse_runner_push (EmoFuseRunner * r, const gfloat * frame)
{
  g_return_if_fail (!r->finished);
  stage_push (r, 0, frame);
}

void
emo_fuse_runner_finish (EmoFuseRunner * r)
{
  guint s;
  if (r->finished)
    return;
  r->finished = TRUE;
  /* stage s's flush feeds stage s+1 before that one flushes */
  for (s = 0; s < r->m->n_stages; s++)
    stage_drain (r, s, TRUE);
}

gboolean
emo_fuse_runner_pop (EmoFuseRunner * r, gfloat * out)
{
  gfloat *y = g_queue_pop_head (&r->out);
  if (!y)
    return FALSE;
  memcpy (out, y, r->m->n_attrs * sizeof (gfloat));
  g_free (y);
  return TRUE;
}

guint
emo_fuse_runner_pending (const EmoFuseRunner * r)
{
  return r->out.length;
}

void
emo_fuse_model_apply (const EmoFuseModel * m, gboolean causal,
    const gfloat * x, guint T, gfloat * out)
{
  EmoFuseRunner *r = emo_fuse_runner_new (m, causal);
  guint t, k = 0, d = m->n_inputs * m->n_attrs;

  for (t = 0; t < T; t++) {
    emo_fuse_runner_push (r, x + (gsize) t * d);
    while (k < T && emo_fuse_runner_pop (r, out + (gsize) k * m->n_attrs))
      k++;
  }
  emo_fuse_runner_finish (r);
  while (k < T && emo_fuse_runner_pop (r, out + (gsize) k * m->n_attrs))
    k++;
  emo_fuse_runner_free (r);
}
