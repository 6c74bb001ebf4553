/* gst-emo — drawing of emotion read-outs with cairo, and blending of an
 * ARGB layer into raw video planes (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_DRAW_H
#define EMO_DRAW_H

#include <glib.h>
#include <cairo.h>

G_BEGIN_DECLS

/* ---- the read-out panel ------------------------------------------------ */

typedef enum {
  EMO_DRAW_BARS = 1 << 0,       /* three labelled bars with values */
  EMO_DRAW_PLANE = 1 << 1,      /* valence-arousal plane with trail */
  EMO_DRAW_FACE = 1 << 2,       /* face box (drawn by the caller into the video) */
} EmoDrawParts;

#define EMO_DRAW_N_ATTRS 3      /* arousal, valence, liking */

/* One past point of the valence-arousal trail. */
typedef struct {
  gdouble age;                  /* seconds before the current point, >= 0 */
  gfloat arousal;
  gfloat valence;
} EmoDrawTrailPoint;

/* What the panel shows. An attribute that is not present (a model without
 * liking, a non-finite value) is drawn as "n/a", never as a number. */
typedef struct {
  gboolean present[EMO_DRAW_N_ATTRS];   /* arousal, valence, liking */
  gfloat values[EMO_DRAW_N_ATTRS];
  const EmoDrawTrailPoint *trail;       /* oldest first */
  guint n_trail;
  gdouble trail_length;                 /* seconds; points older are not drawn */
} EmoDrawState;

/* Size in pixels of the panel for these parts at this scale (1.0 = the panel
 * designed for 480-line video). Returns FALSE when no part is drawn in the
 * panel (parts has neither BARS nor PLANE). */
gboolean emo_draw_panel_size (guint parts, gdouble scale, gint * width,
    gint * height);

/* Draws the panel into `cr` (origin at the panel's top-left, clear
 * beforehand), faded by `opacity` in [0,1]. */
void emo_draw_panel (cairo_t * cr, guint parts, gdouble scale,
    gdouble opacity, const EmoDrawState * state);

/* The same, with the parts that do not depend on the state (background,
 * labels, tracks, axes) kept in `cache` between calls (rebuilt when parts
 * or scale change). cache may be NULL. */
typedef struct _EmoPanelCache EmoPanelCache;

EmoPanelCache *emo_panel_cache_new (void);
void emo_panel_cache_free (EmoPanelCache * cache);
void emo_draw_panel_cached (cairo_t * cr, guint parts, gdouble scale,
    gdouble opacity, const EmoDrawState * state, EmoPanelCache * cache);

/* ---- blending into raw video ------------------------------------------ */

typedef enum {
  EMO_IMAGE_PACKED4,            /* 4 bytes per pixel, RGB in any order, alpha or padding */
  EMO_IMAGE_I420,               /* Y, U, V planes, chroma 2x2 subsampled */
  EMO_IMAGE_NV12,               /* Y plane, interleaved UV plane, 2x2 subsampled */
} EmoImageLayout;

/* A raw video frame as plain memory. For PACKED4, r/g/b/a are byte offsets
 * within a pixel (a = -1: padding byte, left untouched). For YUV layouts,
 * kr/kb are the luma coefficients of the colour matrix (BT.601: 0.299,
 * 0.114; BT.709: 0.2126, 0.0722) and full_range selects 0-255 instead of
 * 16-235/16-240 code values. */
typedef struct {
  EmoImageLayout layout;
  gint width;
  gint height;
  guint8 *data[3];
  gint stride[3];
  gint r, g, b, a;
  gdouble kr, kb;
  gboolean full_range;
} EmoImage;

/* Composites a premultiplied ARGB32 cairo image surface (`layer`, flushed)
 * with its top-left at (x, y) over `img` ("over" operator, straight alpha
 * for YUV). Pixels where the layer is fully transparent, and every pixel
 * outside the layer's rectangle, are left untouched (for 2x2-subsampled
 * chroma: chroma samples whose four pixels are all transparent). */
void emo_image_blend_layer (EmoImage * img, cairo_surface_t * layer, gint x,
    gint y);

/* The layer converted for one YUV frame geometry: luma and chroma values
 * with their alphas, so that blending a frame is integer mixing only. The
 * conversion runs when the layer, its position or the frame geometry /
 * colour matrix changed (emo_blend_cache_invalidate after redrawing). */
typedef struct _EmoBlendCache EmoBlendCache;

EmoBlendCache *emo_blend_cache_new (void);
void emo_blend_cache_free (EmoBlendCache * cache);
void emo_blend_cache_invalidate (EmoBlendCache * cache);

/* As emo_image_blend_layer (same result), through `cache` for YUV images. */
void emo_image_blend_layer_cached (EmoImage * img, cairo_surface_t * layer,
    gint x, gint y, EmoBlendCache * cache);

/* Draws the outline of a rectangle (x, y, w, h in image pixels, clipped to
 * the image) `thickness` pixels wide in an opaque colour (r, g, b in 0-255). */
void emo_image_draw_box (EmoImage * img, gint x, gint y, gint w, gint h,
    gint thickness, guint8 r, guint8 g, guint8 b);

/* ---- time-series plot ---------------------------------------------------- */

/* A PNG plot of attributes over time: `n_series` series of `n` values
 * (row-major [series][n]), time stamps `t` (seconds). Non-finite values
 * break the line. Returns FALSE and sets `error` (G_FILE_ERROR) if the file
 * cannot be written or the input is empty. */
gboolean emo_plot_write_png (const gchar * path, gint width, gint height,
    const gchar * title, const gdouble * t, guint n,
    const gchar * const *names, const gfloat * values, guint n_series,
    GError ** error);

G_END_DECLS

#endif /* EMO_DRAW_H */
