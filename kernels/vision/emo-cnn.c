/* gst-emo — a small convolutional inference engine (see emo-cnn.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The layer loops below are written for the vectoriser; -O2 (the
 * project's build type) only vectorises loops that need no run-time checks,
 * which leaves most of them scalar and the nets 2-3x slower. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("O3")
#endif

#include <math.h>
#include <string.h>

#include "ml/emo-nn.h"
#include "ml/emo-model.h"
#include "vision/emo-cnn.h"

/* Mapped blocks are invisible to AddressSanitizer: under it, malloc. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMO_CNN_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define EMO_CNN_ASAN 1
#endif
#if defined(G_OS_UNIX) && !defined(EMO_CNN_ASAN)
#define EMO_CNN_MMAP 1
#include <sys/mman.h>
#endif

#define MAX_NAME 128

/* ---------------------------------------------------------------- memory */

/* The block's size is kept in front of it (64 bytes keep the floats
 * cache-line aligned). */
#define ALLOC_HEAD 64

float *
emo_cnn_alloc (gsize n_floats)
{
  gsize len = ALLOC_HEAD + MAX (n_floats, 1) * sizeof (float);
  guint8 *p = NULL;

#ifdef EMO_CNN_MMAP
  p = mmap (NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
      -1, 0);
  /* out of memory: abort as g_malloc does */
  if (p == MAP_FAILED)
    g_error ("emo-cnn: cannot map %" G_GSIZE_FORMAT " bytes", len);
#else
  p = g_malloc (len);
#endif
  memcpy (p, &len, sizeof (len));
  return (float *) (p + ALLOC_HEAD);
}

void
emo_cnn_free (float *p)
{
  guint8 *b;
  gsize len;

  if (!p)
    return;
  b = (guint8 *) p - ALLOC_HEAD;
  memcpy (&len, b, sizeof (len));
#ifdef EMO_CNN_MMAP
  munmap (b, len);
#else
  (void) len;
  g_free (b);
#endif
}

/* ---------------------------------------------------------------- file */

/* A name: 1..MAX_NAME bytes, printable ASCII without spaces. */
static gchar *
get_name (EmoBinReader * r, const gchar * what, gboolean free_text)
{
  guint32 n = emo_bin_u32 (r, what);
  guint32 i;

  if (r->failed)
    return NULL;
  if (n == 0 || n > (free_text ? 4096u : MAX_NAME)) {
    emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "%s has length %u", what, n);
    return NULL;
  }
  if (!emo_bin_need (r, n, what))
    return NULL;
  for (i = 0; i < n; i++) {
    guint8 ch = r->data[r->pos + i];
    if (ch < 0x20 || ch > 0x7e || (!free_text && ch == ' ')) {
      emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "%s contains byte 0x%02x", what,
          ch);
      return NULL;
    }
  }
  r->pos += n;
  return g_strndup ((const gchar *) r->data + r->pos - n, n);
}

static const EmoBinFormat cnn_format = {
  EMO_CNN_MAGIC, "gst-emo face network file", EMO_CNN_BOM, EMO_CNN_VERSION,
  EMO_CNN_VERSION
};

/* The tensor table: names unique, shapes bounded, total bounded. */
static gboolean
read_table (EmoBinReader * r, EmoCnnWeights * w, gsize * total)
{
  guint i, j, d;

  *total = 0;
  for (i = 0; i < w->n_tensors && !r->failed; i++) {
    EmoCnnTensor *t = &w->tensors[i];
    t->name = get_name (r, "tensor name", FALSE);
    t->ndim = emo_bin_u32 (r, "tensor rank");
    if (r->failed)
      break;
    for (j = 0; j < i; j++)
      if (strcmp (w->tensors[j].name, t->name) == 0)
        return emo_bin_fail (r, EMO_ML_ERROR_FORMAT,
            "tensor \"%s\" appears twice", t->name);
    if (t->ndim < 1 || t->ndim > 4)
      return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "tensor \"%s\" has rank %u "
          "(1 to 4 allowed)", t->name, t->ndim);
    t->count = 1;
    for (d = 0; d < t->ndim; d++) {
      t->dims[d] = emo_bin_u32 (r, "tensor shape");
      if (r->failed)
        return FALSE;
      if (t->dims[d] < 1 || t->dims[d] > EMO_CNN_MAX_DIM)
        return emo_bin_fail (r, EMO_ML_ERROR_FORMAT,
            "tensor \"%s\" has dimension " "%u", t->name, t->dims[d]);
      t->count *= t->dims[d];
      if (t->count > EMO_CNN_MAX_VALUES)
        return emo_bin_fail (r, EMO_ML_ERROR_FORMAT,
            "tensor \"%s\" is too large", t->name);
    }
    *total += t->count;
    if (*total > EMO_CNN_MAX_VALUES)
      return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "more than %u values in all",
          EMO_CNN_MAX_VALUES);
  }
  return !r->failed;
}

EmoCnnWeights *
emo_cnn_weights_parse (const guint8 * data, gsize len, const gchar * origin,
    gboolean check_crc, GError ** error)
{
  EmoBinReader r;
  EmoCnnWeights *w = g_new0 (EmoCnnWeights, 1);
  gsize total, i;
  guint k;

  emo_bin_reader_init (&r, data, len, origin, error);
  w->origin = g_strdup (origin);
  if (!emo_bin_check_header (&r, &cnn_format, check_crc))
    goto fail;
  w->net = get_name (&r, "network name", FALSE);
  w->source = get_name (&r, "source", TRUE);
  w->n_tensors = emo_bin_u32 (&r, "tensor count");
  if (r.failed)
    goto fail;
  if (w->n_tensors < 1 || w->n_tensors > EMO_CNN_MAX_TENSORS) {
    emo_bin_fail (&r, EMO_ML_ERROR_FORMAT, "tensor count %u is not in 1..%d",
        w->n_tensors, EMO_CNN_MAX_TENSORS);
    goto fail;
  }
  w->tensors = g_new0 (EmoCnnTensor, w->n_tensors);
  if (!read_table (&r, w, &total))
    goto fail;
  if (total * 4 != r.len - r.pos) {
    emo_bin_fail (&r, EMO_ML_ERROR_FORMAT, "%s: the tensor table needs %"
        G_GSIZE_FORMAT " value bytes, the file has %" G_GSIZE_FORMAT,
        total * 4 > r.len - r.pos ? "truncated" : "trailing data",
        total * 4, r.len - r.pos);
    goto fail;
  }
  w->values = emo_cnn_alloc (total);
  memcpy (w->values, data + r.pos, total * 4);
  for (i = 0; i < total; i++)
    if (!isfinite (w->values[i])) {
      emo_bin_fail (&r, EMO_ML_ERROR_FORMAT, "value %" G_GSIZE_FORMAT " is not "
          "finite", i);
      goto fail;
    }
  for (k = 0, i = 0; k < w->n_tensors; k++) {
    w->tensors[k].data = w->values + i;
    i += w->tensors[k].count;
  }
  return w;
fail:
  emo_cnn_weights_free (w);
  return NULL;
}

EmoCnnWeights *
emo_cnn_weights_load (const gchar * path, GError ** error)
{
  GError *e = NULL;
  GMappedFile *f = g_mapped_file_new (path, FALSE, &e);
  EmoCnnWeights *w;

  /* mapped, not read: no transient heap copy of the file per load (the
   * element loads the nets at every start) */
  if (!f) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return NULL;
  }
  w = emo_cnn_weights_parse ((const guint8 *) g_mapped_file_get_contents (f),
      g_mapped_file_get_length (f), path, TRUE, error);
  g_mapped_file_unref (f);
  return w;
}

void
emo_cnn_weights_free (EmoCnnWeights * w)
{
  guint i;

  if (!w)
    return;
  for (i = 0; w->tensors && i < w->n_tensors; i++)
    g_free (w->tensors[i].name);
  g_free (w->tensors);
  emo_cnn_free (w->values);
  g_free (w->net);
  g_free (w->source);
  g_free (w->origin);
  g_free (w);
}

static gchar *
shape_str (guint ndim, const guint * dims)
{
  GString *s = g_string_new ("[");
  guint i;
  for (i = 0; i < ndim; i++)
    g_string_append_printf (s, "%s%u", i ? ", " : "", dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

const float *
emo_cnn_weights_get (const EmoCnnWeights * w, const gchar * name, guint ndim,
    const guint * dims, GError ** error)
{
  guint i;

  for (i = 0; i < w->n_tensors; i++) {
    const EmoCnnTensor *t = &w->tensors[i];
    gchar *want, *have;
    if (strcmp (t->name, name) != 0)
      continue;
    if (t->ndim == ndim && memcmp (t->dims, dims, ndim * sizeof (guint)) == 0)
      return t->data;
    want = shape_str (ndim, dims);
    have = shape_str (t->ndim, t->dims);
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_MISMATCH, "%s: tensor "
        "\"%s\" has shape %s, the network needs %s", w->origin, name, have,
        want);
    g_free (want);
    g_free (have);
    return NULL;
  }
  g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_MISMATCH, "%s: tensor \"%s\" "
      "is missing (is this the right network file?)", w->origin, name);
  return NULL;
}

/* ---------------------------------------------------------------- layers */

guint
emo_cnn_out_size (guint in, guint k, guint stride, EmoCnnPadding pad)
{
  if (pad == EMO_CNN_SAME)
    return (in + stride - 1) / stride;
  return in >= k ? (in - k) / stride + 1 : 0;
}

guint
emo_cnn_pad_before (guint in, guint k, guint stride, EmoCnnPadding pad)
{
  guint out = emo_cnn_out_size (in, k, stride, pad);
  gint total;

  if (pad == EMO_CNN_VALID || out == 0)
    return 0;
  total = (gint) ((out - 1) * stride + k) - (gint) in;
  return total > 0 ? (guint) total / 2 : 0;
}

/* Output rows per im2col band: bounded so that the band stays in cache-ish
 * memory (and the scratch buffer small) even for a 416x416 input. */
#define BAND_VALUES (1u << 18)

static guint
band_rows (guint ow, guint c, guint k)
{
  gsize row = (gsize) ow * k * k * c;
  guint n = row ? (guint) (BAND_VALUES / row) : 1;
  return MAX (n, 1);
}

gsize
emo_cnn_conv2d_scratch (guint w, guint c, guint k, guint stride,
    EmoCnnPadding pad)
{
  guint ow = emo_cnn_out_size (w, k, stride, pad);
  return (gsize) band_rows (ow, c, k) * ow * k * k * c;
}

/* The k x k x c window whose top-left input position is (y0, x0), in the
 * filter's [ky][kx][ci] order, zeros where the window leaves the input. */
static void
im2col_pixel (const float *in, guint h, guint w, guint c, guint k, gint y0,
    gint x0, float *restrict row)
{
  guint ky, kx, j;

  for (ky = 0; ky < k; ky++)
    for (kx = 0; kx < k; kx++) {
      gint iy = y0 + (gint) ky, ix = x0 + (gint) kx;
      float *restrict dst = row + ((gsize) ky * k + kx) * c;
      /* c is 3 here: a call to memcpy per tap costs more than the copy */
      if (iy < 0 || iy >= (gint) h || ix < 0 || ix >= (gint) w) {
        for (j = 0; j < c; j++)
          dst[j] = 0.0f;
      } else {
        const float *restrict src = in + ((gsize) iy * w + ix) * c;
        for (j = 0; j < c; j++)
          dst[j] = src[j];
      }
    }
}

/* One band of im2col rows, output rows oy0 .. oy1 - 1. */
static void
im2col_band (const float *in, guint h, guint w, guint c, guint k, guint s,
    guint pt, guint pl, guint oy0, guint oy1, guint ow, float *cols)
{
  guint oy, ox;
  gsize kc = (gsize) k * k * c;

  for (oy = oy0; oy < oy1; oy++)
    for (ox = 0; ox < ow; ox++)
      im2col_pixel (in, h, w, c, k, (gint) (oy * s) - (gint) pt,
          (gint) (ox * s) - (gint) pl,
          cols + ((gsize) (oy - oy0) * ow + ox) * kc);
}

static void
add_bias (float *out, gsize n_pixels, guint c, const float *bias)
{
  gsize p;
  guint j;

  if (!bias)
    return;
  for (p = 0; p < n_pixels; p++)
    for (j = 0; j < c; j++)
      out[p * c + j] += bias[j];
}

void
emo_cnn_conv2d_rows (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint out_c, guint stride,
    EmoCnnPadding pad, const float *bias, guint oy0, guint oy1, float *out,
    float *scratch)
{
  guint oh = emo_cnn_out_size (h, k, stride, pad);
  guint ow = emo_cnn_out_size (w, k, stride, pad);
  guint pt = emo_cnn_pad_before (h, k, stride, pad);
  guint pl = emo_cnn_pad_before (w, k, stride, pad);
  guint band = band_rows (ow, c, k), oy;
  guint kc = k * k * c;

  oy1 = MIN (oy1, oh);
  for (oy = oy0; oy < oy1; oy += band) {
    guint end = MIN (oy1, oy + band);
    im2col_band (in, h, w, c, k, stride, pt, pl, oy, end, ow, scratch);
    emo_gemm (FALSE, FALSE, (end - oy) * ow, out_c, kc, 1.0f, scratch, kc,
        filter, out_c, 0.0f, out + (gsize) (oy - oy0) * ow * out_c, out_c);
  }
  if (oy1 > oy0)
    add_bias (out, (gsize) (oy1 - oy0) * ow, out_c, bias);
}

void
emo_cnn_conv2d (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint out_c, guint stride,
    EmoCnnPadding pad, const float *bias, float *out, float *scratch)
{
  emo_cnn_conv2d_rows (in, h, w, c, filter, k, out_c, stride, pad, bias, 0,
      G_MAXUINT, out, scratch);
}

/* One output pixel of a depthwise convolution: the window at (y0, x0),
 * taps outside the input skipped (zero padding). */
static void
depthwise_pixel (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, gint y0, gint x0, float *restrict o)
{
  guint ky, kx, j;

  for (j = 0; j < c; j++)
    o[j] = 0.0f;
  for (ky = 0; ky < k; ky++) {
    gint iy = y0 + (gint) ky;
    if (iy < 0 || iy >= (gint) h)
      continue;
    for (kx = 0; kx < k; kx++) {
      gint ix = x0 + (gint) kx;
      const float *restrict x, *restrict f;
      if (ix < 0 || ix >= (gint) w)
        continue;
      x = in + ((gsize) iy * w + ix) * c;
      f = filter + ((gsize) ky * k + kx) * c;
      for (j = 0; j < c; j++)
        o[j] += x[j] * f[j];
    }
  }
}

void
emo_cnn_depthwise (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint stride, EmoCnnPadding pad, float *out)
{
  guint oh = emo_cnn_out_size (h, k, stride, pad);
  guint ow = emo_cnn_out_size (w, k, stride, pad);
  gint pt = (gint) emo_cnn_pad_before (h, k, stride, pad);
  gint pl = (gint) emo_cnn_pad_before (w, k, stride, pad);
  guint oy, ox;

  for (oy = 0; oy < oh; oy++)
    for (ox = 0; ox < ow; ox++)
      depthwise_pixel (in, h, w, c, filter, k, (gint) (oy * stride) - pt,
          (gint) (ox * stride) - pl, out + ((gsize) oy * ow + ox) * c);
}

void
emo_cnn_pointwise (const float *in, guint n_pixels, guint c,
    const float *filter, guint out_c, const float *bias, float *out)
{
  emo_gemm (FALSE, FALSE, n_pixels, out_c, c, 1.0f, in, c, filter, out_c,
      0.0f, out, out_c);
  add_bias (out, n_pixels, out_c, bias);
}

/* One pooling window, rows y0 .. y1 - 1 and columns x0 .. x1 - 1 (already
 * clipped to the input). */
static void
pool_window (const float *in, guint w, guint c, gint y0, gint y1, gint x0,
    gint x1, gboolean average, float *restrict o)
{
  gint iy, ix, n = (y1 - y0) * (x1 - x0);
  guint j;

  for (j = 0; j < c; j++)
    o[j] = average ? 0.0f : -G_MAXFLOAT;
  for (iy = y0; iy < y1; iy++)
    for (ix = x0; ix < x1; ix++) {
      const float *restrict x = in + ((gsize) iy * w + ix) * c;
      if (average)
        for (j = 0; j < c; j++)
          o[j] += x[j];
      else
        for (j = 0; j < c; j++)
          o[j] = o[j] > x[j] ? o[j] : x[j];
    }
  if (average && n > 0)
    for (j = 0; j < c; j++)
      o[j] /= (float) n;
}

static void
pool (const float *in, guint h, guint w, guint c, guint k, guint stride,
    EmoCnnPadding pad, gboolean average, float *out)
{
  guint oh = emo_cnn_out_size (h, k, stride, pad);
  guint ow = emo_cnn_out_size (w, k, stride, pad);
  gint pt = (gint) emo_cnn_pad_before (h, k, stride, pad);
  gint pl = (gint) emo_cnn_pad_before (w, k, stride, pad);
  guint oy, ox;

  for (oy = 0; oy < oh; oy++)
    for (ox = 0; ox < ow; ox++) {
      gint y0 = (gint) (oy * stride) - pt, x0 = (gint) (ox * stride) - pl;
      pool_window (in, w, c, MAX (y0, 0), MIN (y0 + (gint) k, (gint) h),
          MAX (x0, 0), MIN (x0 + (gint) k, (gint) w), average,
          out + ((gsize) oy * ow + ox) * c);
    }
}

void
emo_cnn_maxpool (const float *in, guint h, guint w, guint c, guint k,
    guint stride, EmoCnnPadding pad, float *out)
{
  pool (in, h, w, c, k, stride, pad, FALSE, out);
}

void
emo_cnn_avgpool (const float *in, guint h, guint w, guint c, guint k,
    guint stride, EmoCnnPadding pad, float *out)
{
  pool (in, h, w, c, k, stride, pad, TRUE, out);
}

void
emo_cnn_dense (const float *in, guint n_in, const float *weights,
    const float *bias, guint n_out, float *out)
{
  guint j;

  emo_gemm (FALSE, FALSE, 1, n_out, n_in, 1.0f, in, n_in, weights, n_out,
      0.0f, out, n_out);
  if (bias)
    for (j = 0; j < n_out; j++)
      out[j] += bias[j];
}

void
emo_cnn_relu (float *x, gsize n)
{
  gsize i;
  for (i = 0; i < n; i++)
    x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
emo_cnn_leaky_relu (float *x, gsize n, float alpha)
{
  gsize i;
  for (i = 0; i < n; i++) {
    float m = x[i] * alpha, d = x[i] - m;
    x[i] = (d > 0.0f ? d : 0.0f) + m;
  }
}

void
emo_cnn_add (const float *a, const float *b, float *y, gsize n)
{
  gsize i;
  for (i = 0; i < n; i++)
    y[i] = a[i] + b[i];
}

void
emo_cnn_softmax (float *x, guint n)
{
  float m = -G_MAXFLOAT, s = 0.0f;
  guint i;

  for (i = 0; i < n; i++)
    m = MAX (m, x[i]);
  for (i = 0; i < n; i++) {
    x[i] = expf (x[i] - m);
    s += x[i];
  }
  for (i = 0; i < n; i++)
    x[i] /= s;
}
