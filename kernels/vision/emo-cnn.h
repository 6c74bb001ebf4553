/* gst-emo — a small convolutional inference engine on OpenBLAS (no
 * GStreamer): the weights file format of the face networks and the layers
 * they use, computed as TensorFlow(.js) computes them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Activations are float HWC (row-major height x width x channels, one
 * image). Filters keep TensorFlow's layouts: a convolution filter is
 * [kh][kw][in][out], a depthwise filter [kh][kw][channels] (multiplier 1),
 * a pointwise filter [in][out], a dense weight matrix [in][out].
 * Padding follows TensorFlow: VALID uses no padding; SAME gives
 * ceil(in / stride) outputs and pads (out - 1) * stride + k - in positions,
 * the smaller half before and the larger half after (asymmetric when the
 * total is odd, which happens on stride-2 layers of even-sized inputs).
 */
#ifndef EMO_CNN_H
#define EMO_CNN_H

#include <glib.h>

G_BEGIN_DECLS

/* ---- weights file (format in docs/face-nets.md) ---- */
#define EMO_CNN_MAGIC "EMOFACEN"
#define EMO_CNN_VERSION 1
#define EMO_CNN_BOM 0x01020304u
#define EMO_CNN_MAX_TENSORS 256
#define EMO_CNN_MAX_DIM 65536
#define EMO_CNN_MAX_VALUES (16u << 20)  /* per file */

typedef struct
{
  gchar *name;
  guint ndim;
  guint dims[4];
  gsize count;
  const float *data;            /* inside the owning EmoCnnWeights */
} EmoCnnTensor;

typedef struct
{
  gchar *net;                   /* network name written by the importer */
  gchar *source;                /* where the values came from */
  gchar *origin;                /* file name, for error messages */
  guint n_tensors;
  EmoCnnTensor *tensors;
  float *values;
} EmoCnnWeights;

/* Parses a weights file held in memory. @origin names it in errors
 * (EMO_ML_ERROR domain). @check_crc FALSE skips the checksum (fuzzing). */
EmoCnnWeights *emo_cnn_weights_parse (const guint8 * data, gsize len,
    const gchar * origin, gboolean check_crc, GError ** error);
EmoCnnWeights *emo_cnn_weights_load (const gchar * path, GError ** error);
void emo_cnn_weights_free (EmoCnnWeights * w);

/* The tensor @name with exactly the shape @dims[@ndim], or NULL and an
 * error naming the file, the tensor and both shapes. */
const float *emo_cnn_weights_get (const EmoCnnWeights * w, const gchar * name,
    guint ndim, const guint * dims, GError ** error);

/* Float arrays for weights and activations (megabytes, held for the nets'
 * lifetime): mapped from the system directly where mmap exists, so that
 * freeing them always returns the memory. Through malloc, glibc keeps such
 * blocks on its heap once a freed mapping has raised its threshold, and a
 * process that loads and frees the nets repeatedly (an element cycling
 * through its states) sees its resident size drift by their size. */
float *emo_cnn_alloc (gsize n_floats);
void emo_cnn_free (float *p);

/* ---- layers ---- */
typedef enum
{
  EMO_CNN_SAME,
  EMO_CNN_VALID,
} EmoCnnPadding;

/* Output size along one axis; 0 when the input is too small (VALID). */
guint emo_cnn_out_size (guint in, guint k, guint stride, EmoCnnPadding pad);
/* Padding before the first input position along one axis. */
guint emo_cnn_pad_before (guint in, guint k, guint stride, EmoCnnPadding pad);

/* Full convolution (im2col + one sgemm per band of output rows), bias
 * added when not NULL. @scratch holds emo_cnn_conv2d_scratch() floats. */
gsize emo_cnn_conv2d_scratch (guint w, guint c, guint k, guint stride,
    EmoCnnPadding pad);
void emo_cnn_conv2d (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint out_c, guint stride,
    EmoCnnPadding pad, const float *bias, float *out, float *scratch);

/* The same for output rows oy0 .. oy1 - 1 only (clamped to the output),
 * written from the start of @out: lets a caller pool or reduce a band at a
 * time instead of holding the whole output. */
void emo_cnn_conv2d_rows (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint out_c, guint stride,
    EmoCnnPadding pad, const float *bias, guint oy0, guint oy1, float *out,
    float *scratch);

/* Depthwise k x k convolution, channel multiplier 1, no bias. */
void emo_cnn_depthwise (const float *in, guint h, guint w, guint c,
    const float *filter, guint k, guint stride, EmoCnnPadding pad,
    float *out);

/* 1x1 convolution over @n_pixels pixels (one sgemm), bias when not NULL. */
void emo_cnn_pointwise (const float *in, guint n_pixels, guint c,
    const float *filter, guint out_c, const float *bias, float *out);

/* Pooling; padded positions are ignored (TensorFlow: a max over the window
 * part inside the input, an average over that part's count). */
void emo_cnn_maxpool (const float *in, guint h, guint w, guint c, guint k,
    guint stride, EmoCnnPadding pad, float *out);
void emo_cnn_avgpool (const float *in, guint h, guint w, guint c, guint k,
    guint stride, EmoCnnPadding pad, float *out);

/* out[j] = sum_i in[i] * weights[i][j] + bias[j] */
void emo_cnn_dense (const float *in, guint n_in, const float *weights,
    const float *bias, guint n_out, float *out);

void emo_cnn_relu (float *x, gsize n);
/* As face-api.js computes it: relu(x - a x) + a x. */
void emo_cnn_leaky_relu (float *x, gsize n, float alpha);
/* y = a + b elementwise (may alias) */
void emo_cnn_add (const float *a, const float *b, float *y, gsize n);
/* In place, numerically stable. */
void emo_cnn_softmax (float *x, guint n);

G_END_DECLS
#endif /* EMO_CNN_H */
