/* gst-emo — compositing a cairo ARGB32 layer into raw video memory.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Packed RGB: the "over" operator on the layer's premultiplied colour,
 *   d = s + d * (255 - a) / 255 per channel (alpha channel likewise).
 * YUV (I420, NV12): the layer is un-premultiplied, converted to Y'CbCr with
 *   the frame's colour matrix (kr, kb) and range, and mixed with straight
 *   alpha. Luma per pixel; each chroma sample uses the mean alpha of its four
 *   pixels and the alpha-weighted mean colour, so edges stay clean.
 * A pixel (or chroma sample) with zero alpha is never written: video
 * outside the drawing stays bit-identical.
 */
#include <math.h>

#include "draw/emo-draw.h"

/* v / 255 rounded, for v in 0..65535, without a division */
static inline gint
div255 (gint v)
{
  v += 128;
  return (v + (v >> 8)) >> 8;
}

static inline guint8
mix (gint s, gint d, gint a)
{
  /* s, d in 0..255, a in 0..255: (s*a + d*(255-a)) / 255, rounded */
  return (guint8) div255 (s * a + d * (255 - a));
}

typedef struct
{
  gdouble ky[3];                /* Y' from R', G', B' (0..1) */
  gdouble kcb, kcr;             /* 1 / (2 (1 - kb)), 1 / (2 (1 - kr)) */
  gdouble y_off, y_scale, c_scale;
} YuvCoef;

static void
yuv_coef_init (YuvCoef * c, const EmoImage * img)
{
  gdouble kr = img->kr > 0 && img->kr < 1 ? img->kr : 0.299;
  gdouble kb = img->kb > 0 && img->kb < 1 ? img->kb : 0.114;

  c->ky[0] = kr;
  c->ky[1] = 1.0 - kr - kb;
  c->ky[2] = kb;
  c->kcb = 1.0 / (2.0 * (1.0 - kb));
  c->kcr = 1.0 / (2.0 * (1.0 - kr));
  if (img->full_range) {
    c->y_off = 0;
    c->y_scale = 255;
    c->c_scale = 255;
  } else {
    c->y_off = 16;
    c->y_scale = 219;
    c->c_scale = 224;
  }
}

/* premultiplied ARGB32 pixel -> straight R, G, B in 0..1 and alpha 0..255 */
static inline gint
unpremul (guint32 p, gdouble * r, gdouble * g, gdouble * b)
{
  gint a = p >> 24;

  if (a == 0) {
    *r = *g = *b = 0;
    return 0;
  }
  *r = MIN (1.0, ((p >> 16) & 0xff) / (gdouble) a);
  *g = MIN (1.0, ((p >> 8) & 0xff) / (gdouble) a);
  *b = MIN (1.0, (p & 0xff) / (gdouble) a);
  return a;
}

static inline gint
clamp255 (gdouble v)
{
  gint i = (gint) lrint (v);
  return i < 0 ? 0 : (i > 255 ? 255 : i);
}

/* The part of a layer that lands inside an image: its pixels, where its
 * top-left corner sits in the image, and the image rectangle it covers. */
typedef struct
{
  const guint8 *src;
  gint stride;
  gint lx, ly;
  gint x0, y0, x1, y1;
} LayerView;

/* Clips `layer` placed at (x, y) to `img`: FALSE when the layer is not
 * ARGB32 or misses the image. The pixels are not fetched yet. */
static gboolean
layer_clip (LayerView * v, const EmoImage * img, cairo_surface_t * layer,
    gint x, gint y)
{
  if (cairo_image_surface_get_format (layer) != CAIRO_FORMAT_ARGB32)
    return FALSE;
  v->src = NULL;
  v->stride = 0;
  v->lx = x;
  v->ly = y;
  v->x0 = MAX (x, 0);
  v->y0 = MAX (y, 0);
  v->x1 = MIN (x + cairo_image_surface_get_width (layer), img->width);
  v->y1 = MIN (y + cairo_image_surface_get_height (layer), img->height);
  return v->x0 < v->x1 && v->y0 < v->y1;
}

/* Fetches the layer's pixels once pending drawing is flushed; FALSE if the
 * surface has none. */
static gboolean
layer_fetch (LayerView * v, cairo_surface_t * layer)
{
  cairo_surface_flush (layer);
  v->stride = cairo_image_surface_get_stride (layer);
  v->src = cairo_image_surface_get_data (layer);
  return v->src != NULL;
}

/* the layer row under image row y (index it with x - v->lx) */
static inline const guint32 *
layer_row (const LayerView * v, gint y)
{
  return (const guint32 *) (v->src + (gsize) (y - v->ly) * v->stride);
}

/* Y' code value of one layer pixel; returns its alpha (0: nothing drawn,
 * *luma is 0 then). */
static inline gint
layer_luma (const YuvCoef * c, guint32 p, gint * luma)
{
  gdouble r, g, b;
  gint a = unpremul (p, &r, &g, &b);

  *luma = a ? clamp255 (c->y_off + c->y_scale * (c->ky[0] * r + c->ky[1] * g
          + c->ky[2] * b)) : 0;
  return a;
}

/* Chroma sample (cx, cy): Cb and Cr code values of the alpha-weighted mean
 * colour of its pixels inside the image, and their mean alpha, pixels
 * outside the layer counting as transparent. Returns the alpha (0: nothing
 * drawn, *cb and *cr are 0 then). */
static gint
layer_chroma (const YuvCoef * c, const EmoImage * img, const LayerView * v,
    gint cx, gint cy, gint * cb, gint * cr)
{
  gdouble sum_a = 0, sum_cb = 0, sum_cr = 0;
  gint n = 0, dx, dy, a_mean;

  for (dy = 0; dy < 2; dy++) {
    for (dx = 0; dx < 2; dx++) {
      gint px = 2 * cx + dx, py = 2 * cy + dy;
      gdouble r, g, b, yl;
      gint a;
      if (px >= img->width || py >= img->height)
        continue;
      n++;
      if (px < v->x0 || px >= v->x1 || py < v->y0 || py >= v->y1)
        continue;
      a = unpremul (layer_row (v, py)[px - v->lx], &r, &g, &b);
      if (a == 0)
        continue;
      yl = c->ky[0] * r + c->ky[1] * g + c->ky[2] * b;
      sum_a += a;
      sum_cb += a * (b - yl) * c->kcb;
      sum_cr += a * (r - yl) * c->kcr;
    }
  }
  a_mean = (sum_a > 0 && n > 0) ? clamp255 (sum_a / n) : 0;
  *cb = a_mean ? clamp255 (128 + c->c_scale * sum_cb / sum_a) : 0;
  *cr = a_mean ? clamp255 (128 + c->c_scale * sum_cr / sum_a) : 0;
  return a_mean;
}

/* the U and V bytes of chroma row cy; step between samples in *step */
static inline void
chroma_row (EmoImage * img, gint cy, guint8 ** pu, guint8 ** pv, gint * step)
{
  *pu = img->data[1] + (gsize) cy *img->stride[1];
  if (img->layout == EMO_IMAGE_I420) {
    *pv = img->data[2] + (gsize) cy *img->stride[2];
    *step = 1;
  } else {
    *pv = *pu + 1;
    *step = 2;
  }
}

static void
blend_packed (EmoImage * img, const LayerView * v)
{
  gint x, y, lx = v->lx;

  for (y = v->y0; y < v->y1; y++) {
    const guint32 *s = layer_row (v, y);
    guint8 *d = img->data[0] + (gsize) y * img->stride[0];
    for (x = v->x0; x < v->x1; x++) {
      guint32 p = s[x - lx];
      gint a = p >> 24;
      guint8 *px = d + (gsize) x * 4;
      if (a == 0)
        continue;
      /* premultiplied over: d = s + d (255 - a) / 255 */
      px[img->r] =
          (guint8) MIN (255,
          ((p >> 16) & 0xff) + div255 (px[img->r] * (255 - a)));
      px[img->g] =
          (guint8) MIN (255,
          ((p >> 8) & 0xff) + div255 (px[img->g] * (255 - a)));
      px[img->b] =
          (guint8) MIN (255, (p & 0xff) + div255 (px[img->b] * (255 - a)));
      if (img->a >= 0)
        px[img->a] = (guint8) MIN (255, a + div255 (px[img->a] * (255 - a)));
    }
  }
}

static void
blend_yuv (EmoImage * img, const LayerView * v)
{
  YuvCoef c;
  gint x, y, cx, cy, lx = v->lx;

  yuv_coef_init (&c, img);

  /* luma */
  for (y = v->y0; y < v->y1; y++) {
    const guint32 *s = layer_row (v, y);
    guint8 *d = img->data[0] + (gsize) y * img->stride[0];
    for (x = v->x0; x < v->x1; x++) {
      gint luma, a = layer_luma (&c, s[x - lx], &luma);
      if (a)
        d[x] = mix (luma, d[x], a);
    }
  }

  /* chroma: one sample per 2x2 block, in image coordinates */
  for (cy = v->y0 / 2; cy <= (v->y1 - 1) / 2; cy++) {
    guint8 *pu, *pv;
    gint step;

    chroma_row (img, cy, &pu, &pv, &step);
    for (cx = v->x0 / 2; cx <= (v->x1 - 1) / 2; cx++) {
      gint cb, cr, a = layer_chroma (&c, img, v, cx, cy, &cb, &cr);
      if (!a)
        continue;
      pu[cx * step] = mix (cb, pu[cx * step], a);
      pv[cx * step] = mix (cr, pv[cx * step], a);
    }
  }
}

void
emo_image_blend_layer (EmoImage * img, cairo_surface_t * layer, gint x, gint y)
{
  LayerView v;

  g_return_if_fail (img != NULL && layer != NULL);
  if (!layer_clip (&v, img, layer, x, y) || !layer_fetch (&v, layer))
    return;

  if (img->layout == EMO_IMAGE_PACKED4)
    blend_packed (img, &v);
  else
    blend_yuv (img, &v);
}

struct _EmoBlendCache
{
  gboolean valid;
  /* the geometry it was built for */
  EmoImageLayout layout;
  gint width, height, x, y;
  gdouble kr, kb;
  gboolean full_range;
  /* clipped luma rectangle and its values */
  gint x0, y0, x1, y1;
  guint8 *luma;                 /* (x1-x0)*(y1-y0) pairs: value, alpha */
  /* chroma samples cx0..cx1, cy0..cy1 inclusive */
  gint cx0, cy0, cx1, cy1;
  guint8 *chroma;               /* triples: u, v, alpha */
};

EmoBlendCache *
emo_blend_cache_new (void)
{
  return g_new0 (EmoBlendCache, 1);
}

void
emo_blend_cache_free (EmoBlendCache * cache)
{
  if (!cache)
    return;
  g_free (cache->luma);
  g_free (cache->chroma);
  g_free (cache);
}

void
emo_blend_cache_invalidate (EmoBlendCache * cache)
{
  if (cache)
    cache->valid = FALSE;
}

/* The values blend_yuv mixes in, stored instead of mixed. */
static void
cache_build (EmoBlendCache * c, const EmoImage * img, const LayerView * v)
{
  YuvCoef k;
  gint x, y, cx, cy, i = 0, lx = v->lx;

  yuv_coef_init (&k, img);
  c->x0 = v->x0;
  c->y0 = v->y0;
  c->x1 = v->x1;
  c->y1 = v->y1;
  g_free (c->luma);
  c->luma = g_malloc ((gsize) (c->x1 - c->x0) * (c->y1 - c->y0) * 2);
  for (y = c->y0; y < c->y1; y++) {
    const guint32 *s = layer_row (v, y);
    for (x = c->x0; x < c->x1; x++, i += 2) {
      gint luma, a = layer_luma (&k, s[x - lx], &luma);
      c->luma[i] = luma;
      c->luma[i + 1] = a;
    }
  }

  c->cx0 = c->x0 / 2;
  c->cy0 = c->y0 / 2;
  c->cx1 = (c->x1 - 1) / 2;
  c->cy1 = (c->y1 - 1) / 2;
  g_free (c->chroma);
  c->chroma =
      g_malloc ((gsize) (c->cx1 - c->cx0 + 1) * (c->cy1 - c->cy0 + 1) * 3);
  i = 0;
  for (cy = c->cy0; cy <= c->cy1; cy++) {
    for (cx = c->cx0; cx <= c->cx1; cx++, i += 3) {
      gint cb, cr, a = layer_chroma (&k, img, v, cx, cy, &cb, &cr);
      c->chroma[i] = cb;
      c->chroma[i + 1] = cr;
      c->chroma[i + 2] = a;
    }
  }
}

void
emo_image_blend_layer_cached (EmoImage * img, cairo_surface_t * layer,
    gint x, gint y, EmoBlendCache * c)
{
  LayerView v;
  gint xx, yy, i;

  g_return_if_fail (img != NULL && layer != NULL);
  if (!c || img->layout == EMO_IMAGE_PACKED4) {
    emo_image_blend_layer (img, layer, x, y);
    return;
  }
  if (!layer_clip (&v, img, layer, x, y))
    return;

  if (!c->valid || c->layout != img->layout || c->width != img->width
      || c->height != img->height || c->x != x || c->y != y
      || c->kr != img->kr || c->kb != img->kb
      || c->full_range != img->full_range) {
    if (!layer_fetch (&v, layer))
      return;
    cache_build (c, img, &v);
    c->layout = img->layout;
    c->width = img->width;
    c->height = img->height;
    c->x = x;
    c->y = y;
    c->kr = img->kr;
    c->kb = img->kb;
    c->full_range = img->full_range;
    c->valid = TRUE;
  }

  i = 0;
  for (yy = c->y0; yy < c->y1; yy++) {
    guint8 *d = img->data[0] + (gsize) yy * img->stride[0];
    for (xx = c->x0; xx < c->x1; xx++, i += 2) {
      gint a = c->luma[i + 1];
      if (a)
        d[xx] = mix (c->luma[i], d[xx], a);
    }
  }
  i = 0;
  for (yy = c->cy0; yy <= c->cy1; yy++) {
    guint8 *pu, *pv;
    gint step;

    chroma_row (img, yy, &pu, &pv, &step);
    for (xx = c->cx0; xx <= c->cx1; xx++, i += 3) {
      gint a = c->chroma[i + 2];
      if (!a)
        continue;
      pu[xx * step] = mix (c->chroma[i], pu[xx * step], a);
      pv[xx * step] = mix (c->chroma[i + 1], pv[xx * step], a);
    }
  }
}

static void
fill_rect (EmoImage * img, gint x0, gint y0, gint x1, gint y1, guint8 r,
    guint8 g, guint8 b)
{
  gint x, y;

  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, img->width);
  y1 = MIN (y1, img->height);
  if (x0 >= x1 || y0 >= y1)
    return;

  if (img->layout == EMO_IMAGE_PACKED4) {
    for (y = y0; y < y1; y++) {
      guint8 *d = img->data[0] + (gsize) y * img->stride[0];
      for (x = x0; x < x1; x++) {
        d[x * 4 + img->r] = r;
        d[x * 4 + img->g] = g;
        d[x * 4 + img->b] = b;
        if (img->a >= 0)
          d[x * 4 + img->a] = 255;
      }
    }
  } else {
    YuvCoef c;
    gdouble rf = r / 255.0, gf = g / 255.0, bf = b / 255.0, yl;
    guint8 Y, U, V;

    yuv_coef_init (&c, img);
    yl = c.ky[0] * rf + c.ky[1] * gf + c.ky[2] * bf;
    Y = clamp255 (c.y_off + c.y_scale * yl);
    U = clamp255 (128 + c.c_scale * (bf - yl) * c.kcb);
    V = clamp255 (128 + c.c_scale * (rf - yl) * c.kcr);
    for (y = y0; y < y1; y++)
      for (x = x0; x < x1; x++)
        img->data[0][(gsize) y * img->stride[0] + x] = Y;
    for (y = y0 / 2; y <= (y1 - 1) / 2; y++) {
      for (x = x0 / 2; x <= (x1 - 1) / 2; x++) {
        if (img->layout == EMO_IMAGE_I420) {
          img->data[1][(gsize) y * img->stride[1] + x] = U;
          img->data[2][(gsize) y * img->stride[2] + x] = V;
        } else {
          img->data[1][(gsize) y * img->stride[1] + 2 * x] = U;
          img->data[1][(gsize) y * img->stride[1] + 2 * x + 1] = V;
        }
      }
    }
  }
}

void
emo_image_draw_box (EmoImage * img, gint x, gint y, gint w, gint h,
    gint thickness, guint8 r, guint8 g, guint8 b)
{
  gint t = MAX (thickness, 1);

  g_return_if_fail (img != NULL);
  if (w <= 0 || h <= 0)
    return;
  /* even edges for subsampled chroma */
  if (img->layout != EMO_IMAGE_PACKED4) {
    x &= ~1;
    y &= ~1;
    t = (t + 1) & ~1;
  }
  fill_rect (img, x, y, x + w, y + t, r, g, b);
  fill_rect (img, x, y + h - t, x + w, y + h, r, g, b);
  fill_rect (img, x, y, x + t, y + h, r, g, b);
  fill_rect (img, x + w - t, y, x + w, y + h, r, g, b);
}
