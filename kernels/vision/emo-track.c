/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "vision/emo-track.h"

#include <math.h>
#include <string.h>

#define T EMO_TRACK_TEMPLATE
#define M EMO_TRACK_MARGIN
#define S (T + 2 * M)

void
emo_tracker_init (EmoTracker * t, const guint8 * gray, gint width, gint height,
    gsize stride, const EmoRect * box)
{
  t->valid = FALSE;
  t->box = *box;
  if (!gray || width <= 0 || height <= 0 || box->width <= 0 || box->height <= 0)
    return;
  emo_gray_resample (gray, width, height, stride, box->x, box->y, box->width,
      box->height, t->tmpl, T, T, T);
  t->valid = TRUE;
}

gdouble
emo_tracker_update (EmoTracker * t, const guint8 * gray, gint width,
    gint height, gsize stride, gdouble max_mad)
{
  gdouble sx, sy;
  guint32 best = G_MAXUINT32;
  gint bx = M, by = M, dx, dy, y, x;
  gdouble mad;

  if (!t->valid || !gray || width <= 0 || height <= 0)
    return 255.0;
  /* source pixels per template pixel */
  sx = (gdouble) t->box.width / T;
  sy = (gdouble) t->box.height / T;
  emo_gray_resample (gray, width, height, stride, t->box.x - M * sx,
      t->box.y - M * sy, S * sx, S * sy, t->search, S, S, S);
  for (dy = 0; dy <= 2 * M; dy++) {
    for (dx = 0; dx <= 2 * M; dx++) {
      guint32 sad = 0;
      for (y = 0; y < T && sad < best; y++) {
        const guint8 *a = t->tmpl + y * T, *b = t->search + (dy + y) * S + dx;
        for (x = 0; x < T; x++)
          sad += (guint32) ABS ((gint) a[x] - (gint) b[x]);
      }
      /* prefer the smaller displacement on ties */
      if (sad < best || (sad == best
              && ABS (dx - M) + ABS (dy - M) < ABS (bx - M) + ABS (by - M))) {
        best = sad;
        bx = dx;
        by = dy;
      }
    }
  }
  mad = best / (gdouble) (T * T);
  t->box.x += (gint) lround ((bx - M) * sx);
  t->box.y += (gint) lround ((by - M) * sy);
  if (mad > max_mad) {
    t->valid = FALSE;
    return mad;
  }
  for (y = 0; y < T; y++)
    memcpy (t->tmpl + y * T, t->search + (by + y) * S + bx, T);
  return mad;
}
