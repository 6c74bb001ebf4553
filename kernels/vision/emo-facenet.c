/* gst-emo — the face-api.js face networks (see emo-facenet.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every step mirrors face-api.js 1.7.15 (src/tinyYolov2/TinyYolov2Base.ts,
 * src/faceFeatureExtractor/, src/dom/NetInput.ts, src/ops/) so that our
 * numbers agree with its own within float rounding; where face-api.js does
 * something odd on purpose or by accident, the comment says so.
 */
#include <math.h>
#include <string.h>

#include "ml/emo-nn.h"
#include "vision/emo-cnn.h"
#include "vision/emo-facenet.h"

#define FE_INPUT 112            /* feature extractor input side */
#define FE_BLOCKS 4
#define N_ANCHORS 5
#define NMS_IOU 0.4
#define N_BUFS 8

/* src/tinyFaceDetector/const.ts */
static const double anchors[N_ANCHORS][2] = {
  {1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061},
  {4.266906, 5.178857}, {9.041765, 10.66308},
};

static const float det_mean[3] = { 117.001f, 114.697f, 97.404f };
static const float fe_mean[3] = { 122.782f, 117.001f, 104.298f };

static const gchar *expr_names[EMO_FACE_N_EXPR] = {
  "neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"
};

typedef struct
{
  const float *dw, *pw, *bias;
  guint cin, cout;
} SepConv;

typedef struct
{
  const float *filters, *bias;
} Conv;

typedef struct
{
  Conv conv0;                   /* 3x3, 3 -> 16, VALID */
  SepConv sep[5];               /* conv1 .. conv5 */
  Conv conv8;                   /* 1x1, 512 -> 25 */
} Detector;

typedef struct
{
  Conv conv0;                   /* dense0/conv0: 3x3 stride 2, 3 -> 32 */
  SepConv sep[FE_BLOCKS][4];    /* [block][conv]; [0][0] unused */
  const float *fc_w, *fc_b;
  guint n_out;
} FaceNet;

struct _EmoFaceNets
{
  EmoCnnWeights *files[3];
  Detector det;
  FaceNet lm, ex;
  float *buf[N_BUFS];
  gsize buf_len[N_BUFS];
};

const gchar *
emo_face_expression_name (int expr)
{
  return expr >= 0 && expr < EMO_FACE_N_EXPR ? expr_names[expr] : NULL;
}

/* ---------------------------------------------------------------- load */

static const float *
get4 (EmoCnnWeights * w, const gchar * name, guint a, guint b, guint c,
    guint d, GError ** error)
{
  guint dims[4] = { a, b, c, d };
  guint n = d ? 4 : c ? 3 : b ? 2 : 1;
  return emo_cnn_weights_get (w, name, n, dims, error);
}

static gboolean
get_conv (EmoCnnWeights * w, const gchar * prefix, guint k, guint cin,
    guint cout, Conv * conv, GError ** error)
{
  gchar *f = g_strdup_printf ("%s/filters", prefix);
  gchar *b = g_strdup_printf ("%s/bias", prefix);
  conv->filters = get4 (w, f, k, k, cin, cout, error);
  conv->bias = conv->filters ? get4 (w, b, cout, 0, 0, 0, error) : NULL;
  g_free (f);
  g_free (b);
  return conv->bias != NULL;
}

static gboolean
get_sep (EmoCnnWeights * w, const gchar * prefix, guint cin, guint cout,
    SepConv * s, GError ** error)
{
  gchar *d = g_strdup_printf ("%s/depthwise_filter", prefix);
  gchar *p = g_strdup_printf ("%s/pointwise_filter", prefix);
  gchar *b = g_strdup_printf ("%s/bias", prefix);
  s->cin = cin;
  s->cout = cout;
  s->dw = get4 (w, d, 3, 3, cin, 1, error);
  s->pw = s->dw ? get4 (w, p, 1, 1, cin, cout, error) : NULL;
  s->bias = s->pw ? get4 (w, b, cout, 0, 0, 0, error) : NULL;
  g_free (d);
  g_free (p);
  g_free (b);
  return s->bias != NULL;
}

static gboolean
bind_detector (EmoCnnWeights * w, Detector * det, GError ** error)
{
  guint i;
  if (!get_conv (w, "conv0", 3, 3, 16, &det->conv0, error))
    return FALSE;
  for (i = 0; i < 5; i++) {
    gchar *p = g_strdup_printf ("conv%u", i + 1);
    gboolean ok = get_sep (w, p, 16u << i, 32u << i, &det->sep[i], error);
    g_free (p);
    if (!ok)
      return FALSE;
  }
  return get_conv (w, "conv8", 1, 512, N_ANCHORS * 5, &det->conv8, error);
}

static gboolean
bind_facenet (EmoCnnWeights * w, FaceNet * fn, guint n_out, GError ** error)
{
  static const guint ch[FE_BLOCKS] = { 32, 64, 128, 256 };
  guint b, c;

  if (!get_conv (w, "dense0/conv0", 3, 3, 32, &fn->conv0, error))
    return FALSE;
  for (b = 0; b < FE_BLOCKS; b++)
    for (c = b == 0 ? 1 : 0; c < 4; c++) {
      gchar *p = g_strdup_printf ("dense%u/conv%u", b, c);
      guint cin = c == 0 ? ch[b - 1] : ch[b];
      gboolean ok = get_sep (w, p, cin, ch[b], &fn->sep[b][c], error);
      g_free (p);
      if (!ok)
        return FALSE;
    }
  fn->n_out = n_out;
  fn->fc_w = get4 (w, "fc/weights", 256, n_out, 0, 0, error);
  fn->fc_b = fn->fc_w ? get4 (w, "fc/bias", n_out, 0, 0, 0, error) : NULL;
  return fn->fc_b != NULL;
}

static EmoCnnWeights *
load_file (const gchar * dir, const gchar * name, const gchar * net,
    GError ** error)
{
  gchar *path = g_build_filename (dir, name, NULL);
  EmoCnnWeights *w = emo_cnn_weights_load (path, error);

  if (w && strcmp (w->net, net) != 0) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_MISMATCH, "%s: holds the "
        "network \"%s\", expected \"%s\"", path, w->net, net);
    emo_cnn_weights_free (w);
    w = NULL;
  }
  g_free (path);
  return w;
}

EmoFaceNets *
emo_face_nets_load (const gchar * dir, GError ** error)
{
  EmoFaceNets *nets = g_new0 (EmoFaceNets, 1);

  if (!dir) {
    g_set_error (error, EMO_ML_ERROR, EMO_ML_ERROR_OPEN, "no face network "
        "folder given");
    goto fail;
  }
  nets->files[0] = load_file (dir, EMO_FACE_DETECTOR_FILE,
      "tiny_face_detector", error);
  if (!nets->files[0] || !bind_detector (nets->files[0], &nets->det, error))
    goto fail;
  nets->files[1] = load_file (dir, EMO_FACE_LANDMARK_FILE,
      "face_landmark_68", error);
  if (!nets->files[1] || !bind_facenet (nets->files[1], &nets->lm,
          EMO_FACE_N_LANDMARKS * 2, error))
    goto fail;
  nets->files[2] = load_file (dir, EMO_FACE_EXPRESSION_FILE,
      "face_expression", error);
  if (!nets->files[2] || !bind_facenet (nets->files[2], &nets->ex,
          EMO_FACE_N_EXPR, error))
    goto fail;
  return nets;
fail:
  emo_face_nets_free (nets);
  return NULL;
}

void
emo_face_nets_free (EmoFaceNets * nets)
{
  guint i;

  if (!nets)
    return;
  for (i = 0; i < 3; i++)
    emo_cnn_weights_free (nets->files[i]);
  for (i = 0; i < N_BUFS; i++)
    emo_cnn_free (nets->buf[i]);
  g_free (nets);
}

static float *
buf (EmoFaceNets * nets, guint i, gsize n)
{
  if (nets->buf_len[i] < n) {
    emo_cnn_free (nets->buf[i]);
    nets->buf[i] = emo_cnn_alloc (n);
    nets->buf_len[i] = n;
  }
  return nets->buf[i];
}

/* ---------------------------------------------------------------- input */

/* The network input as face-api.js builds it from an image tensor: the
 * region (x0, y0, cw, ch) of the image is padded with zeros to a square of
 * side max(cw, ch), `padl`/`padt` columns/rows before it (the rest after),
 * resized to size x size by tf.image.resizeBilinear (alignCorners and
 * halfPixelCenters false: source = dst * in / out, no half-pixel shift), then
 * normalised as (v - mean) / 255. */
typedef struct
{
  int i0, i1;                   /* source index, -1 when in the padding */
  float w;                      /* weight of i1 */
} Tap;

/* tf.image.resizeBilinear's sampling along one axis: source position
 * dst * in / out, its floor and ceiling (clamped), in the padded square;
 * positions outside the crop (the zero padding) marked -1. */
static void
taps (Tap * t, int size, int side, int pad, int extent)
{
  double ratio = (double) side / size;
  int o;

  for (o = 0; o < size; o++) {
    double f = ratio * o;
    int s0 = (int) floor (f), s1 = MIN (side - 1, (int) ceil (f));
    t[o].w = (float) (f - s0);
    t[o].i0 = s0 - pad >= 0 && s0 - pad < extent ? s0 - pad : -1;
    t[o].i1 = s1 - pad >= 0 && s1 - pad < extent ? s1 - pad : -1;
  }
}

/* The network input as face-api.js builds it from an image tensor: the
 * region (x0, y0, cw, ch) of the image is padded with zeros to a square of
 * side max(cw, ch), `padl`/`padt` columns/rows before it (the rest after),
 * resized to size x size by tf.image.resizeBilinear (alignCorners and
 * halfPixelCenters false: source = dst * in / out, no half-pixel shift), then
 * normalised as (v - mean) / 255. */
static void
make_input (const guint8 * rgb, int stride, int x0, int y0, int cw, int ch,
    int padl, int padt, int size, const float mean[3], float *out)
{
  int side = MAX (cw, ch), oy, ox, c;
  Tap *tx = g_new (Tap, 2 * size), *ty = tx + size;

  taps (tx, size, side, padl, cw);
  taps (ty, size, side, padt, ch);
  for (oy = 0; oy < size; oy++) {
    const guint8 *r0 = ty[oy].i0 < 0 ? NULL :
        rgb + (gsize) (y0 + ty[oy].i0) * stride + x0 * 3;
    const guint8 *r1 = ty[oy].i1 < 0 ? NULL :
        rgb + (gsize) (y0 + ty[oy].i1) * stride + x0 * 3;
    float wy = ty[oy].w;
    for (ox = 0; ox < size; ox++) {
      int a = tx[ox].i0 * 3, b = tx[ox].i1 * 3;
      float wx = tx[ox].w, *o = out + ((gsize) oy * size + ox) * 3;
      for (c = 0; c < 3; c++) {
        float tl = r0 && a >= 0 ? r0[a + c] : 0.0f;
        float tr = r0 && b >= 0 ? r0[b + c] : 0.0f;
        float bl = r1 && a >= 0 ? r1[a + c] : 0.0f;
        float br = r1 && b >= 0 ? r1[b + c] : 0.0f;
        float top = tl + (tr - tl) * wx, bot = bl + (br - bl) * wx;
        o[c] = (top + (bot - top) * wy - mean[c]) / 255.0f;
      }
    }
  }
  g_free (tx);
}

static gboolean
image_ok (const guint8 * rgb, int width, int height, int stride)
{
  return rgb && width > 0 && height > 0 && width <= (1 << 15)
      && height <= (1 << 15) && stride >= 3 * width;
}

/* ---------------------------------------------------------------- detector */

static void
sepconv (const SepConv * s, const float *in, guint h, guint w, guint stride,
    float *tmp, float *out)
{
  guint oh = emo_cnn_out_size (h, 3, stride, EMO_CNN_SAME);
  guint ow = emo_cnn_out_size (w, 3, stride, EMO_CNN_SAME);

  emo_cnn_depthwise (in, h, w, s->cin, s->dw, 3, stride, EMO_CNN_SAME, tmp);
  emo_cnn_pointwise (tmp, oh * ow, s->cin, s->pw, s->cout, s->bias, out);
}

/* TinyYolov2Base.runMobilenet with isFirstLayerConv2d: conv0 is VALID (no
 * padding, unlike the other layers), then five depthwise-separable blocks
 * each with leaky ReLU and 2x2 max pooling (stride 2, the last stride 1),
 * then the 1x1 box layer. Returns the grid side; output in *out. */
#define CONV0_BAND 16           /* conv0 output rows per band (even) */

/* conv0 (VALID, leaky ReLU) and the 2x2 stride-2 max pool after it, a band
 * of rows at a time: the full conv0 output (414x414x16 floats at 416) is
 * never held. Bands are even, so pooling windows never straddle two. */
static guint
detector_stem (EmoFaceNets * nets, const float *input, guint size, float *out)
{
  const Detector *d = &nets->det;
  guint h = size - 2, ph = emo_cnn_out_size (h, 2, 2, EMO_CNN_SAME), oy;
  float *band = buf (nets, 3, (gsize) CONV0_BAND * h * 16);
  float *scratch = buf (nets, 4, emo_cnn_conv2d_scratch (size, 3, 3, 1,
          EMO_CNN_VALID));

  for (oy = 0; oy < h; oy += CONV0_BAND) {
    guint rows = MIN (CONV0_BAND, h - oy);
    emo_cnn_conv2d_rows (input, size, size, 3, d->conv0.filters, 3, 16, 1,
        EMO_CNN_VALID, d->conv0.bias, oy, oy + rows, band, scratch);
    emo_cnn_leaky_relu (band, (gsize) rows * h * 16, 0.1f);
    emo_cnn_maxpool (band, rows, h, 16, 2, 2, EMO_CNN_SAME,
        out + (gsize) (oy / 2) * ph * 16);
  }
  return ph;
}

/* TinyYolov2Base.runMobilenet with isFirstLayerConv2d: conv0 is VALID (no
 * padding, unlike the other layers), then five depthwise-separable blocks
 * each with leaky ReLU and 2x2 max pooling (stride 2, the last stride 1),
 * then the 1x1 box layer. Returns the grid side; output in *out. */
static guint
detector_forward (EmoFaceNets * nets, const float *input, guint size,
    float **out)
{
  const Detector *d = &nets->det;
  /* the largest activation: conv1's output, (size/2)^2 x 32 */
  guint half = emo_cnn_out_size (size - 2, 2, 2, EMO_CNN_SAME);
  gsize big = (gsize) half * half * 32;
  float *a = buf (nets, 1, big), *b = buf (nets, 2, big);
  float *t = buf (nets, 5, big / 2);
  guint h, i;

  h = detector_stem (nets, input, size, b);
  for (i = 0; i < 5; i++) {
    if (i > 0) {
      emo_cnn_maxpool (a, h, h, d->sep[i].cin, 2, 2, EMO_CNN_SAME, b);
      h = emo_cnn_out_size (h, 2, 2, EMO_CNN_SAME);
    }
    sepconv (&d->sep[i], b, h, h, 1, t, a);
    emo_cnn_leaky_relu (a, (gsize) h * h * d->sep[i].cout, 0.1f);
  }
  emo_cnn_maxpool (a, h, h, 512, 2, 1, EMO_CNN_SAME, b);
  emo_cnn_pointwise (b, h * h, 512, d->conv8.filters, N_ANCHORS * 5,
      d->conv8.bias, a);
  *out = a;
  return h;
}

static double
sigmoid (double x)
{
  return 1.0 / (1.0 + exp (-x));
}

typedef struct
{
  double x, y, w, h, score;     /* relative to the image */
  guint index;
} Candidate;

static int
cmp_candidates (gconstpointer pa, gconstpointer pb)
{
  const Candidate *a = pa, *b = pb;
  /* best first; on equal scores the later cell first, as face-api.js's
   * stable ascending sort popped from the end */
  if (a->score != b->score)
    return a->score < b->score ? 1 : -1;
  return a->index < b->index ? 1 : a->index > b->index ? -1 : 0;
}

static double
iou (const Candidate * a, const Candidate * b)
{
  double w = MAX (0.0, MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x));
  double h = MAX (0.0, MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y));
  double inter = w * h;
  return inter / (a->w * a->h + b->w * b->h - inter);
}

/* TinyYolov2Base.extractBoxes: the grid covers the image padded at its end to
 * a square; the reshaped size is rounded, as face-api.js does. */
static guint
decode_boxes (const float *out, guint cells, int width, int height,
    guint size, float min_score, Candidate * cand)
{
  double scale = (double) size / MAX (width, height);
  double rw = floor (width * scale + 0.5), rh = floor (height * scale + 0.5);
  double side = MAX (rw, rh), cx_f = side / rw, cy_f = side / rh;
  guint row, col, a, n = 0;

  for (row = 0; row < cells; row++)
    for (col = 0; col < cells; col++)
      for (a = 0; a < N_ANCHORS; a++) {
        const float *v = out + ((gsize) (row * cells + col) * N_ANCHORS +
            a) * 5;
        double score = sigmoid (v[4]), ctx, cty, bw, bh;
        if (min_score != 0.0f && !(score > min_score))
          continue;
        ctx = (col + sigmoid (v[0])) / cells * cx_f;
        cty = (row + sigmoid (v[1])) / cells * cy_f;
        bw = exp (v[2]) * anchors[a][0] / cells * cx_f;
        bh = exp (v[3]) * anchors[a][1] / cells * cy_f;
        cand[n].x = ctx - bw / 2;
        cand[n].y = cty - bh / 2;
        cand[n].w = bw;
        cand[n].h = bh;
        cand[n].score = score;
        cand[n].index = n;
        n++;
      }
  return n;
}

int
emo_face_detect (EmoFaceNets * nets, const guint8 * rgb, int width,
    int height, int stride, int input_size, float min_score,
    EmoFaceBox * boxes, int max_boxes)
{
  Candidate *cand;
  gboolean *gone;
  float *input, *out;
  guint cells, n, i, j;
  int kept = 0;

  if (!nets || !image_ok (rgb, width, height, stride) || input_size < 32
      || input_size > EMO_FACE_INPUT_MAX || input_size % 32 != 0
      || max_boxes < 0 || (max_boxes > 0 && !boxes) || !isfinite (min_score))
    return -1;
  input = buf (nets, 0, (gsize) input_size * input_size * 3);
  make_input (rgb, stride, 0, 0, width, height, 0, 0, input_size, det_mean,
      input);
  cells = detector_forward (nets, input, input_size, &out);
  cand = g_new (Candidate, (gsize) cells * cells * N_ANCHORS);
  n = decode_boxes (out, cells, width, height, input_size, min_score, cand);
  qsort (cand, n, sizeof (Candidate), cmp_candidates);
  /* src/ops/nonMaxSuppression.ts: greedy, drop IoU > 0.4 */
  gone = g_new0 (gboolean, MAX (n, 1));
  for (i = 0; i < n && kept < max_boxes; i++) {
    if (gone[i])
      continue;
    boxes[kept].x = (float) (cand[i].x * width);
    boxes[kept].y = (float) (cand[i].y * height);
    boxes[kept].w = (float) (cand[i].w * width);
    boxes[kept].h = (float) (cand[i].h * height);
    boxes[kept].score = (float) cand[i].score;
    kept++;
    for (j = i + 1; j < n; j++)
      if (!gone[j] && iou (&cand[i], &cand[j]) > NMS_IOU)
        gone[j] = TRUE;
  }
  g_free (gone);
  g_free (cand);
  return kept;
}

/* ---------------------------------------------------------------- faces */

/* One densely connected block (denseBlock4): the first convolution scales
 * down by 2, each later one reads the ReLU of the sum of all before it. The
 * sums are added in face-api.js's order (float addition is not
 * associative). @x is read, the result lands in bufs[0]. */
static guint
dense_block (const FaceNet * fn, guint b, const float *x, guint h,
    float **bufs, float *scratch)
{
  const SepConv *s = fn->sep[b];
  float *o1 = bufs[0], *o2 = bufs[1], *o3 = bufs[2], *o4 = bufs[3];
  float *t = bufs[4], *in = bufs[5];
  guint oh = emo_cnn_out_size (h, 3, 2, EMO_CNN_SAME), c;
  gsize n;

  if (b == 0) {
    emo_cnn_conv2d (x, h, h, 3, fn->conv0.filters, 3, 32, 2, EMO_CNN_SAME,
        fn->conv0.bias, o1, scratch);
    c = 32;
  } else {
    sepconv (&s[0], x, h, h, 2, t, o1);
    c = s[0].cout;
  }
  n = (gsize) oh *oh * c;
  emo_cnn_relu (o1, n);
  sepconv (&s[1], o1, oh, oh, 1, t, o2);
  emo_cnn_add (o1, o2, in, n);
  emo_cnn_relu (in, n);
  sepconv (&s[2], in, oh, oh, 1, t, o3);
  emo_cnn_add (o2, o3, in, n);
  emo_cnn_add (o1, in, in, n);
  emo_cnn_relu (in, n);
  sepconv (&s[3], in, oh, oh, 1, t, o4);
  emo_cnn_add (o3, o4, o4, n);
  emo_cnn_add (o2, o4, o4, n);
  emo_cnn_add (o1, o4, o1, n);
  emo_cnn_relu (o1, n);
  return oh;
}

/* Clips the box to the image and rounds down as Box.clipAtImageBorders;
 * FALSE when nothing is left. */
static gboolean
face_crop (const EmoFaceBox * box, int width, int height, int crop[4])
{
  double x, y, w, h;

  if (!box || !isfinite (box->x) || !isfinite (box->y) || !isfinite (box->w)
      || !isfinite (box->h))
    return FALSE;
  x = MAX ((double) box->x, 0.0);
  y = MAX ((double) box->y, 0.0);
  w = MIN ((double) box->x + box->w - x, width - x);
  h = MIN ((double) box->y + box->h - y, height - y);
  if (!(x < width && y < height && w >= 1.0 && h >= 1.0))
    return FALSE;
  crop[0] = (int) floor (x);
  crop[1] = (int) floor (y);
  crop[2] = (int) floor (w);
  crop[3] = (int) floor (h);
  return TRUE;
}

/* FaceFeatureExtractor + the fully connected layer: the crop padded to a
 * square in the middle (padToSquare with isCenterImage: Math.round(d / 2)
 * after, the rest before), 112x112, four dense blocks, 7x7 average pooling
 * to 256 values (copied to @feat when not NULL), then fc into @out. */
static void
facenet_forward (EmoFaceNets * nets, const FaceNet * fn, const guint8 * rgb,
    int stride, const int crop[4], float *feat, float *out)
{
  gsize big = (gsize) (FE_INPUT / 2) * (FE_INPUT / 2) * 32;
  float *bufs[6], *x = buf (nets, 6, big), *scratch, pooled[256];
  int d = ABS (crop[2] - crop[3]), before = d - (int) floor (d * 0.5 + 0.5);
  guint h = FE_INPUT, b, i;

  for (i = 0; i < 6; i++)
    bufs[i] = buf (nets, i, big);
  scratch = buf (nets, 7, emo_cnn_conv2d_scratch (FE_INPUT, 3, 3, 2,
          EMO_CNN_SAME));
  make_input (rgb, stride, crop[0], crop[1], crop[2], crop[3],
      crop[3] > crop[2] ? before : 0, crop[2] > crop[3] ? before : 0,
      FE_INPUT, fe_mean, x);
  for (b = 0; b < FE_BLOCKS; b++) {
    h = dense_block (fn, b, x, h, bufs, scratch);
    memcpy (x, bufs[0], (gsize) h * h * fn->sep[b][3].cout * sizeof (float));
  }
  emo_cnn_avgpool (x, h, h, 256, 7, 2, EMO_CNN_VALID, pooled);
  if (feat)
    memcpy (feat, pooled, sizeof (pooled));
  emo_cnn_dense (pooled, 256, fn->fc_w, fn->fc_b, fn->n_out, out);
}

gboolean
emo_face_landmarks (EmoFaceNets * nets, const guint8 * rgb, int width,
    int height, int stride, const EmoFaceBox * box, float landmarks[136])
{
  int crop[4], i;
  float out[136], pad_x, pad_y, in_w, in_h;
  double scale;

  if (!nets || !landmarks || !image_ok (rgb, width, height, stride)
      || !face_crop (box, width, height, crop))
    return FALSE;
  facenet_forward (nets, &nets->lm, rgb, stride, crop, NULL, out);
  /* FaceLandmark68NetBase.postProcess: undo the centred padding (assumed
   * exactly half, even when padToSquare rounded it) and the scaling */
  scale = (double) FE_INPUT / MAX (crop[2], crop[3]);
  in_w = (float) (crop[2] * scale);
  in_h = (float) (crop[3] * scale);
  pad_x = in_w < in_h ? fabsf (in_w - in_h) / 2 : 0.0f;
  pad_y = in_h < in_w ? fabsf (in_w - in_h) / 2 : 0.0f;
  for (i = 0; i < EMO_FACE_N_LANDMARKS; i++) {
    float rx = (out[2 * i] * FE_INPUT - pad_x) / in_w;
    float ry = (out[2 * i + 1] * FE_INPUT - pad_y) / in_h;
    /* face-api.js shifts by the unrounded detection box; we shift by the
     * crop the net saw, which is where the points are */
    landmarks[2 * i] = (float) ((double) rx * crop[2] + crop[0]);
    landmarks[2 * i + 1] = (float) ((double) ry * crop[3] + crop[1]);
  }
  return TRUE;
}

gboolean
emo_face_expression (EmoFaceNets * nets, const guint8 * rgb, int width,
    int height, int stride, const EmoFaceBox * box, float probs[7],
    float *embedding)
{
  int crop[4];

  if (!nets || !probs || !image_ok (rgb, width, height, stride)
      || !face_crop (box, width, height, crop))
    return FALSE;
  facenet_forward (nets, &nets->ex, rgb, stride, crop, embedding, probs);
  emo_cnn_softmax (probs, EMO_FACE_N_EXPR);
  return TRUE;
}

void
emo_face_aligned_box (const float landmarks[136], float score, EmoFaceBox * box)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = 0.0, y1 = 0.0, w, h;
  int i;

  for (i = 0; i < EMO_FACE_N_LANDMARKS; i++) {
    x0 = MIN (x0, landmarks[2 * i]);
    y0 = MIN (y0, landmarks[2 * i + 1]);
    x1 = MAX (x1, landmarks[2 * i]);
    y1 = MAX (y1, landmarks[2 * i + 1]);
  }
  w = x1 - x0;
  h = y1 - y0;
  box->x = (float) (x0 - w * 0.2 / 2);
  box->y = (float) (y0 - h * 0.2 / 2);
  box->w = (float) (w + w * 0.2);
  box->h = (float) (h + h * 0.2);
  box->score = score;
}
