/* gst-emo — model files (see emo-model.h and docs/model-format.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>

#include "ml/emo-model.h"
#include "ml/emo-binfile.h"

#define HEADER_SIZE EMO_BINFILE_HEADER_SIZE

/* ---------------------------------------------------------------- model */

EmoModel *
emo_model_new (const gchar * layout, EmoNet * net,
    const gchar * const *attr_names)
{
  EmoModel *m = g_new0 (EmoModel, 1);
  guint i;

  m->layout = g_strdup (layout);
  m->net = net;
  m->n_in = net->n_in;
  m->frame_rate = 10.0f;
  m->mean = g_new0 (float, m->n_in);
  m->std = g_new (float, m->n_in);
  for (i = 0; i < m->n_in; i++)
    m->std[i] = 1.0f;
  m->attr_names = g_strdupv ((gchar **) attr_names);
  m->rec.weights = g_new (float, net->n_out);
  m->rec.dev_ccc = g_new (float, net->n_out);
  for (i = 0; i < net->n_out; i++) {
    m->rec.weights[i] = 1.0f;
    m->rec.dev_ccc[i] = NAN;
  }
  m->rec.data = g_strdup ("");
  m->rec.notes = g_strdup ("");
  return m;
}

void
emo_model_free (EmoModel * m)
{
  if (!m)
    return;
  g_free (m->layout);
  g_free (m->mean);
  g_free (m->std);
  emo_net_free (m->net);
  g_strfreev (m->attr_names);
  g_free (m->rec.data);
  g_free (m->rec.notes);
  g_free (m->rec.weights);
  g_free (m->rec.dev_ccc);
  g_free (m);
}

gint
emo_model_find_attr (const EmoModel * m, const gchar * name)
{
  guint i;
  for (i = 0; m->attr_names && m->attr_names[i]; i++)
    if (!g_strcmp0 (m->attr_names[i], name))
      return (gint) i;
  return -1;
}

static gboolean
string_ok (const gchar * s, gboolean allow_empty)
{
  gsize n;
  if (!s)
    return FALSE;
  n = strlen (s);
  if (n > EMO_MODEL_MAX_STRING || (!allow_empty && n == 0))
    return FALSE;
  return g_utf8_validate (s, -1, NULL);
}

static gboolean
name_ok (const gchar * s)
{
  const gchar *p;
  if (!string_ok (s, FALSE) || strlen (s) > 64)
    return FALSE;
  for (p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.'
        && *p != '+')
      return FALSE;             /* '+': emofuse mode=concat joins layouts with it */
  return TRUE;
}

gboolean
emo_model_validate (const EmoModel * m, const gchar * origin, GError ** error)
{
  const EmoNet *net = m->net;
  guint i, j;

#define FAIL(...) do { gchar *_m = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT, "%s: %s", origin, _m); \
    g_free (_m); return FALSE; } while (0)

  if (!name_ok (m->layout))
    FAIL ("layout name is empty, longer than 64 bytes or not [A-Za-z0-9_.+-]");
  if (!net)
    FAIL ("no network");
  if (m->n_in != net->n_in)
    FAIL ("feature count %u differs from the network's input size %u",
        m->n_in, net->n_in);
  if (emo_net_count_params (net->kind, net->n_in, net->n_hidden, net->hidden,
          net->n_out) != net->n_params || net->n_params == 0)
    FAIL ("architecture is invalid or does not match the weight count");
  if (!isfinite (m->frame_rate) || m->frame_rate <= 0.0f
      || m->frame_rate > 1000.0f)
    FAIL ("frame rate %g is not in (0, 1000]", m->frame_rate);
  if (!isfinite (net->dropout) || net->dropout < 0.0f || net->dropout >= 1.0f)
    FAIL ("dropout %g is not in [0, 1)", net->dropout);
  for (i = 0; i < m->n_in; i++) {
    if (!isfinite (m->mean[i]))
      FAIL ("normalisation mean of feature %u is not finite", i);
    if (!isfinite (m->std[i]) || m->std[i] <= 0.0f)
      FAIL ("normalisation scale of feature %u is %g (must be finite and > 0)",
          i, m->std[i]);
  }
  if (!m->attr_names || g_strv_length (m->attr_names) != net->n_out)
    FAIL ("%u attribute names for %u outputs",
        m->attr_names ? g_strv_length (m->attr_names) : 0, net->n_out);
  for (i = 0; i < net->n_out; i++) {
    if (!name_ok (m->attr_names[i]))
      FAIL ("attribute name %u is empty, too long or not [A-Za-z0-9_.+-]", i);
    for (j = 0; j < i; j++)
      if (!strcmp (m->attr_names[i], m->attr_names[j]))
        FAIL ("attribute \"%s\" appears twice", m->attr_names[i]);
  }
  for (i = 0; i < net->n_params; i++)
    if (!isfinite (net->params[i]))
      FAIL ("weight %u is not finite", i);
  if (!string_ok (m->rec.data, TRUE) || !string_ok (m->rec.notes, TRUE))
    FAIL ("training record text is too long or not UTF-8");
  if (!isfinite (m->rec.delay) || m->rec.delay < 0.0f || m->rec.delay > 60.0f)
    FAIL ("delay %g s is not in [0, 60]", m->rec.delay);
  for (i = 0; i < net->n_out; i++) {
    if (!isfinite (m->rec.weights[i]) || m->rec.weights[i] < 0.0f
        || m->rec.weights[i] > 1000.0f)
      FAIL ("loss weight %u is %g (must be in [0, 1000])", i,
          m->rec.weights[i]);
    if (!isnan (m->rec.dev_ccc[i]) && !(m->rec.dev_ccc[i] >= -1.0f
            && m->rec.dev_ccc[i] <= 1.0f))
      FAIL ("development CCC %u is %g (must be in [-1, 1] or NaN)", i,
          m->rec.dev_ccc[i]);
  }
  if (m->norm != EMO_NORM_FIXED && m->norm != EMO_NORM_STREAM)
    FAIL ("unknown normalisation mode %u", (guint) m->norm);
  if (!isfinite (m->norm_warmup) || m->norm_warmup < 0.0f
      || m->norm_warmup > EMO_NORM_MAX_SECONDS)
    FAIL ("normalisation warm-up %g s is not in [0, %g]", m->norm_warmup,
        EMO_NORM_MAX_SECONDS);
  if (!isfinite (m->norm_window) || m->norm_window < 0.0f
      || m->norm_window > EMO_NORM_MAX_SECONDS
      || (m->norm_window > 0.0f && m->norm_window * m->frame_rate < 1.0f))
    FAIL ("normalisation window %g s is not 0 or in [1 frame, %g s]",
        m->norm_window, EMO_NORM_MAX_SECONDS);
  if (m->rec.epoch > m->rec.epochs)
    FAIL ("chosen epoch %u is after the last epoch %u", m->rec.epoch,
        m->rec.epochs);
#undef FAIL
  return TRUE;
}

/* ---------------------------------------------------------------- writer */

static void
put_u32 (GByteArray * b, guint32 v)
{
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_u64 (GByteArray * b, guint64 v)
{
  g_byte_array_append (b, (const guint8 *) &v, 8);
}

static void
put_f32s (GByteArray * b, const float *v, gsize n)
{
  g_byte_array_append (b, (const guint8 *) v, (guint) (n * sizeof (float)));
}

static void
put_str (GByteArray * b, const gchar * s)
{
  guint32 n = s ? (guint32) strlen (s) : 0;
  put_u32 (b, n);
  g_byte_array_append (b, (const guint8 *) s, n);
}

guint8 *
emo_model_serialise (const EmoModel * m, gsize * len)
{
  GByteArray *b = g_byte_array_new ();
  const EmoNet *net = m->net;
  guint32 crc, plen;
  guint i;

  g_byte_array_append (b, (const guint8 *) EMO_MODEL_MAGIC, 8);
  put_u32 (b, EMO_MODEL_VERSION);
  put_u32 (b, EMO_MODEL_BOM);
  put_u32 (b, 0);               /* payload length, patched below */
  put_u32 (b, 0);               /* crc, patched below */

  put_str (b, m->layout);
  put_u32 (b, m->n_in);
  put_f32s (b, &m->frame_rate, 1);
  put_f32s (b, m->mean, m->n_in);
  put_f32s (b, m->std, m->n_in);
  put_u32 (b, net->kind);
  put_u32 (b, net->n_hidden);
  for (i = 0; i < net->n_hidden; i++)
    put_u32 (b, net->hidden[i]);
  put_f32s (b, &net->dropout, 1);
  put_u32 (b, net->n_out);
  for (i = 0; i < net->n_out; i++)
    put_str (b, m->attr_names[i]);
  put_u64 (b, net->n_params);
  put_f32s (b, net->params, net->n_params);
  put_str (b, m->rec.data);
  put_str (b, m->rec.notes);
  put_f32s (b, m->rec.weights, net->n_out);
  put_f32s (b, m->rec.dev_ccc, net->n_out);
  put_f32s (b, &m->rec.delay, 1);
  put_u32 (b, m->rec.epoch);
  put_u32 (b, m->rec.epochs);
  put_u64 (b, m->rec.seed);
  /* version 2 */
  put_u32 (b, m->norm);
  put_f32s (b, &m->norm_warmup, 1);
  put_f32s (b, &m->norm_window, 1);

  plen = b->len - HEADER_SIZE;
  crc = emo_crc32 (0, b->data + HEADER_SIZE, plen);
  memcpy (b->data + 16, &plen, 4);
  memcpy (b->data + 20, &crc, 4);
  *len = b->len;
  return g_byte_array_free (b, FALSE);
}

gboolean
emo_model_save (const EmoModel * m, const gchar * path, GError ** error)
{
  gsize len;
  guint8 *data;
  GError *e = NULL;
  gboolean ok;

  if (!emo_model_validate (m, path, error))
    return FALSE;
  data = emo_model_serialise (m, &len);
  ok = g_file_set_contents (path, (const gchar *) data, len, &e);
  g_free (data);
  if (!ok) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
  }
  return ok;
}

/* ---------------------------------------------------------------- reader */

/* n floats; count checked against the remaining bytes before allocating */
static float *
get_f32s (EmoBinReader * r, guint64 n, const gchar * what)
{
  float *v;
  if (r->failed)
    return NULL;
  if (n > (r->len - r->pos) / 4) {
    emo_bin_need (r, (gsize) MIN (n * 4, G_MAXSIZE / 2), what);
    return NULL;
  }
  v = g_new (float, MAX (n, 1));
  memcpy (v, r->data + r->pos, n * 4);
  r->pos += n * 4;
  return v;
}

static gchar *
get_str (EmoBinReader * r, const gchar * what)
{
  guint32 n = emo_bin_u32 (r, what);
  gchar *s;
  if (r->failed)
    return NULL;
  if (n > EMO_MODEL_MAX_STRING) {
    g_set_error (r->error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
        "%s: %s is %u bytes long at offset %" G_GSIZE_FORMAT " (limit %d)",
        r->origin, what, n, r->pos - 4, EMO_MODEL_MAX_STRING);
    r->failed = TRUE;
    return NULL;
  }
  if (!emo_bin_need (r, n, what))
    return NULL;
  if (memchr (r->data + r->pos, 0, n)) {
    g_set_error (r->error, EMO_ML_ERROR, EMO_ML_ERROR_FORMAT,
        "%s: %s at offset %" G_GSIZE_FORMAT " contains a NUL byte", r->origin,
        what, r->pos);
    r->failed = TRUE;
    return NULL;
  }
  s = g_strndup ((const gchar *) r->data + r->pos, n);
  r->pos += n;
  return s;
}

static const EmoBinFormat model_format = {
  EMO_MODEL_MAGIC, "gst-emo model file", EMO_MODEL_BOM, 1, EMO_MODEL_VERSION
};

/* The layout name; files made before egemaps-v02 meant openSMILE's
 * features name the variant they were trained on, so that they never run
 * on different numbers. */
static gchar *
parse_layout (EmoBinReader * r, guint32 version)
{
  gchar *layout = get_str (r, "layout name");
  gchar **parts;

  if (!layout || version >= 3 || !strstr (layout, "egemaps-v02-"))
    return layout;
  parts = g_strsplit (layout, "egemaps-v02-", -1);
  g_free (layout);
  layout = g_strjoinv ("emo-acoustic-v1-", parts);
  g_strfreev (parts);
  return layout;
}

/* Architecture, attribute names and weights; sizes are checked against the
 * file before anything large is allocated. */
static EmoNet *
parse_net (EmoBinReader * r, guint32 n_in, gchar *** names)
{
  guint32 kind, n_hidden, n_out, i;
  guint hidden[EMO_NET_MAX_LAYERS];
  guint64 n_params;
  gsize expect;
  float *dropout;
  EmoNet *net;

  kind = emo_bin_u32 (r, "model kind");
  n_hidden = emo_bin_u32 (r, "layer count");
  if (r->failed)
    return NULL;
  if (kind > EMO_NET_LSTM)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "unknown model kind %u", kind),
        NULL;
  if (n_hidden > EMO_NET_MAX_LAYERS)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "%u hidden layers (limit %d)",
        n_hidden, EMO_NET_MAX_LAYERS), NULL;
  for (i = 0; i < n_hidden; i++)
    hidden[i] = emo_bin_u32 (r, "layer size");
  dropout = get_f32s (r, 1, "dropout");
  n_out = emo_bin_u32 (r, "attribute count");
  if (r->failed)
    goto fail;
  if (n_out == 0 || n_out > EMO_NET_MAX_OUTPUTS) {
    emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "attribute count %u is not in 1..%d",
        n_out, EMO_NET_MAX_OUTPUTS);
    goto fail;
  }
  *names = g_new0 (gchar *, n_out + 1);
  for (i = 0; i < n_out; i++)
    (*names)[i] = get_str (r, "attribute name");
  n_params = emo_bin_u64 (r, "weight count");
  if (r->failed)
    goto fail;
  expect = emo_net_count_params ((EmoNetKind) kind, n_in, n_hidden, hidden,
      n_out);
  if (expect == 0) {
    emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "invalid architecture: %s with %u "
        "inputs, %u hidden layers, %u outputs", emo_net_kind_name (kind),
        n_in, n_hidden, n_out);
    goto fail;
  }
  if (n_params != expect) {
    emo_bin_fail (r, EMO_ML_ERROR_FORMAT,
        "%" G_GUINT64_FORMAT " weights stored, " "the architecture needs %"
        G_GSIZE_FORMAT, n_params, expect);
    goto fail;
  }
  if (!emo_bin_need (r, expect * 4, "weights"))
    goto fail;
  net = emo_net_new ((EmoNetKind) kind, n_in, n_hidden, hidden, n_out, NULL);
  memcpy (net->params, r->data + r->pos, net->n_params * 4);
  r->pos += net->n_params * 4;
  net->dropout = *dropout;
  g_free (dropout);
  return net;

fail:
  g_free (dropout);
  return NULL;
}

/* one float into *out when it can be read; *out is kept otherwise */
static void
get_f32_into (EmoBinReader * r, float *out, const gchar * what)
{
  float *tmp = get_f32s (r, 1, what);
  if (tmp)
    *out = *tmp;
  g_free (tmp);
}

/* n floats replacing *out when they can be read */
static void
get_f32s_into (EmoBinReader * r, float **out, guint n, const gchar * what)
{
  float *tmp = get_f32s (r, n, what);
  if (tmp) {
    g_free (*out);
    *out = tmp;
  }
}

/* The training record and, from version 2, the normalisation mode. */
static void
parse_record (EmoBinReader * r, EmoModel * m, guint32 version)
{
  g_free (m->rec.data);
  g_free (m->rec.notes);
  m->rec.data = get_str (r, "training data description");
  m->rec.notes = get_str (r, "training notes");
  get_f32s_into (r, &m->rec.weights, m->net->n_out, "loss weights");
  get_f32s_into (r, &m->rec.dev_ccc, m->net->n_out, "development CCC");
  get_f32_into (r, &m->rec.delay, "delay");
  m->rec.epoch = emo_bin_u32 (r, "chosen epoch");
  m->rec.epochs = emo_bin_u32 (r, "epoch count");
  m->rec.seed = emo_bin_u64 (r, "seed");
  if (version >= 2) {
    m->norm = (EmoNormMode) emo_bin_u32 (r, "normalisation mode");
    get_f32_into (r, &m->norm_warmup, "normalisation warm-up");
    get_f32_into (r, &m->norm_window, "normalisation window");
  }
  if (!m->rec.data)
    m->rec.data = g_strdup ("");
  if (!m->rec.notes)
    m->rec.notes = g_strdup ("");
}

EmoModel *
emo_model_parse (const guint8 * data, gsize len, const gchar * origin,
    EmoModelParseFlags flags, GError ** error)
{
  EmoBinReader r;
  EmoModel *m = NULL;
  EmoNet *net;
  guint32 version, n_in;
  gchar *layout = NULL, **names = NULL;
  float frame_rate = 0;
  gsize norm_pos;

  emo_bin_reader_init (&r, data, len, origin, error);
  version = emo_bin_check_header (&r, &model_format,
      !(flags & EMO_MODEL_PARSE_NO_CHECKSUM));
  if (version == 0)
    return NULL;
  layout = parse_layout (&r, version);
  n_in = emo_bin_u32 (&r, "feature count");
  get_f32_into (&r, &frame_rate, "frame rate");
  if (r.failed)
    goto fail;
  if (n_in == 0 || n_in > EMO_NET_MAX_INPUTS) {
    emo_bin_fail (&r, EMO_ML_ERROR_FORMAT, "feature count %u is not in 1..%d",
        n_in, EMO_NET_MAX_INPUTS);
    goto fail;
  }
  /* normalisation statistics: read once the architecture is known sane */
  norm_pos = r.pos;
  if (!emo_bin_need (&r, (gsize) n_in * 8, "normalisation statistics"))
    goto fail;
  r.pos += (gsize) n_in *8;
  net = parse_net (&r, n_in, &names);
  if (!net)
    goto fail;
  m = emo_model_new (layout, net, (const gchar * const *) names);
  memcpy (m->mean, data + norm_pos, (gsize) n_in * 4);
  memcpy (m->std, data + norm_pos + (gsize) n_in * 4, (gsize) n_in * 4);
  m->frame_rate = frame_rate;
  parse_record (&r, m, version);
  if (r.failed)
    goto fail;
  if (r.pos != len) {
    emo_bin_fail (&r, EMO_ML_ERROR_FORMAT,
        "%" G_GSIZE_FORMAT " unexpected bytes " "after the training record",
        len - r.pos);
    goto fail;
  }
  if (!emo_model_validate (m, origin, error))
    goto fail;
  g_free (layout);
  g_strfreev (names);
  return m;

fail:
  g_free (layout);
  g_strfreev (names);
  emo_model_free (m);
  return NULL;
}

EmoModel *
emo_model_load (const gchar * path, GError ** error)
{
  gchar *data = NULL;
  gsize len = 0;
  GError *e = NULL;
  EmoModel *m;

  if (!g_file_get_contents (path, &data, &len, &e)) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return NULL;
  }
  m = emo_model_parse ((const guint8 *) data, len, path,
      EMO_MODEL_PARSE_DEFAULT, error);
  g_free (data);
  return m;
}

guint
emo_model_normalise (const EmoModel * m, const float *x, float *out, guint T)
{
  guint t, i, bad_values = 0;
  for (t = 0; t < T; t++) {
    const float *xi = x + (gsize) t * m->n_in;
    float *o = out + (gsize) t * m->n_in;
    for (i = 0; i < m->n_in; i++) {
      float v = (xi[i] - m->mean[i]) / m->std[i];
      if (!isfinite (v)) {
        v = 0.0f;
        bad_values++;
      }
      o[i] = v;
    }
  }
  return bad_values;
}

const gchar *
emo_norm_mode_name (EmoNormMode mode)
{
  switch (mode) {
    case EMO_NORM_FIXED:
      return "fixed";
    case EMO_NORM_STREAM:
      return "stream";
  }
  return "unknown";
}

EmoStreamNorm *
emo_model_stream_norm_new (const EmoModel * m, double warmup_s, double window_s)
{
  double warmup = warmup_s >= 0.0 ? warmup_s : m->norm == EMO_NORM_STREAM ?
      m->norm_warmup : EMO_NORM_DEFAULT_WARMUP;
  double window = window_s >= 0.0 ? window_s : m->norm_window;
  double wf = window * m->frame_rate;

  return emo_stream_norm_new (m->n_in, m->mean, m->std,
      warmup * m->frame_rate, wf > 0.0 && wf < 1.0 ? 1.0 : wf);
}

guint
emo_model_normalise_stream (const EmoModel * m, EmoNormMode mode,
    double warmup_s, double window_s, const float *x, float *out, guint T)
{
  EmoStreamNorm *sn;
  guint bad_values;

  if (mode != EMO_NORM_STREAM)
    return emo_model_normalise (m, x, out, T);
  sn = emo_model_stream_norm_new (m, warmup_s, window_s);
  bad_values = emo_stream_norm_process (sn, x, out, T);
  emo_stream_norm_free (sn);
  return bad_values;
}

gchar *
emo_model_describe (const EmoModel * m)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "%s model, layout %s (%u features, %g frames/s)",
      emo_net_kind_name (m->net->kind), m->layout, m->n_in, m->frame_rate);
  if (m->net->n_hidden) {
    g_string_append (s, ", hidden");
    for (i = 0; i < m->net->n_hidden; i++)
      g_string_append_printf (s, "%s%u", i ? "," : " ", m->net->hidden[i]);
  }
  g_string_append_printf (s, ", %" G_GSIZE_FORMAT " weights; predicts",
      m->net->n_params);
  for (i = 0; i < m->net->n_out; i++)
    g_string_append_printf (s, " %s (loss weight %g, dev CCC %.3f)",
        m->attr_names[i], m->rec.weights[i], m->rec.dev_ccc[i]);
  if (m->norm == EMO_NORM_STREAM) {
    g_string_append_printf (s, "; input normalised per stream (warm-up %g s, ",
        m->norm_warmup);
    if (m->norm_window > 0.0f)
      g_string_append_printf (s, "window %g s)", m->norm_window);
    else
      g_string_append (s, "whole stream)");
  }
  g_string_append_printf (s, "; delay %g s; epoch %u of %u; data: %s; %s",
      m->rec.delay, m->rec.epoch, m->rec.epochs, m->rec.data, m->rec.notes);
  return g_string_free (s, FALSE);
}
