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

/* ---- following one face ------------------------------------------------- */

/* frames_since_detect value that forces a search on the next frame */
#define SEARCH_NOW (G_MAXUINT / 2)

void
emo_face_follow_init (EmoFaceFollow * f, guint detect_interval,
    EmoFaceSelect selection, guint64 hold_time)
{
  memset (f, 0, sizeof (*f));
  f->detect_interval = MAX (1, detect_interval);
  f->selection = selection;
  f->hold_time = hold_time;
  f->faces = g_array_new (FALSE, FALSE, sizeof (EmoRect));
  emo_face_follow_reset (f);
}

void
emo_face_follow_clear (EmoFaceFollow * f)
{
  if (f->faces)
    g_array_unref (f->faces);
  f->faces = NULL;
}

void
emo_face_follow_reset (EmoFaceFollow * f)
{
  f->have_box = FALSE;
  memset (&f->box, 0, sizeof (f->box));
  f->have_box_time = FALSE;
  f->box_time = 0;
  f->frames_since_detect = SEARCH_NOW;
  f->n_faces = 0;
  f->tracker.valid = FALSE;
  f->selected = -1;
  if (f->faces)
    g_array_set_size (f->faces, 0);
}

gint
emo_face_select (const EmoRect * boxes, guint n, EmoFaceSelect sel,
    const EmoRect * prev, gint width, gint height)
{
  guint i;
  gint best = -1;
  gdouble best_score = -G_MAXDOUBLE;

  for (i = 0; i < n; i++) {
    const EmoRect *r = &boxes[i];
    gdouble score = (gdouble) r->width * r->height;
    if (sel == EMO_FACE_SELECT_CENTER) {
      gdouble dx = r->x + r->width * 0.5 - width * 0.5;
      gdouble dy = r->y + r->height * 0.5 - height * 0.5;
      score = -(dx * dx + dy * dy);
    } else if (sel == EMO_FACE_SELECT_STICKY && prev) {
      /* overlap first, area breaks ties */
      score += 1e12 * emo_rect_iou (r, prev);
    }
    if (score > best_score) {
      best_score = score;
      best = (gint) i;
    }
  }
  return best;
}

static void
confirm_box (EmoFaceFollow * f, const EmoRect * box, guint64 t)
{
  f->box = *box;
  f->have_box = TRUE;
  f->have_box_time = TRUE;
  f->box_time = t;
}

EmoFaceSource
emo_face_follow_given (EmoFaceFollow * f, const EmoRect * boxes, guint n,
    gint width, gint height, guint64 t)
{
  gint sel;

  g_array_set_size (f->faces, 0);
  if (n > 0)
    g_array_append_vals (f->faces, boxes, n);
  f->n_faces = n;
  sel = emo_face_select (boxes, n, f->selection, f->have_box ? &f->box : NULL,
      width, height);
  f->selected = sel;
  if (sel < 0) {
    f->have_box = FALSE;
    return EMO_FACE_SOURCE_NONE;
  }
  confirm_box (f, &boxes[sel], t);
  return EMO_FACE_SOURCE_UPSTREAM;
}

/* Between searches: moves the box with the tracker; FALSE when lost. */
static gboolean
track_box (EmoFaceFollow * f, const guint8 * gray, gint width, gint height,
    gsize stride, guint64 t)
{
  const EmoRect *b = &f->tracker.box;
  gint64 cx, cy;

  if (!f->tracker.valid)
    return FALSE;
  emo_tracker_update (&f->tracker, gray, width, height, stride,
      EMO_FACE_TRACK_MAX_MAD);
  if (!f->tracker.valid)
    return FALSE;
  /* a box whose centre left the frame is not followed any further */
  cx = (gint64) b->x + b->width / 2;
  cy = (gint64) b->y + b->height / 2;
  if (cx < 0 || cy < 0 || cx >= width || cy >= height) {
    f->tracker.valid = FALSE;
    return FALSE;
  }
  confirm_box (f, b, t);
  return TRUE;
}

EmoFaceSource
emo_face_follow_frame (EmoFaceFollow * f, EmoFaceDetectFunc detect,
    gpointer user_data, const guint8 * gray, gint width, gint height,
    gsize stride, guint64 t)
{
  f->selected = -1;
  /* no face in view: search every detect_interval frames too (a CNN
   * search costs as much as many frames of tracking); a face just lost is
   * searched for on the next frame (SEARCH_NOW) */
  if (f->frames_since_detect + 1 >= f->detect_interval) {
    f->frames_since_detect = 0;
    if (detect && detect (user_data, f->faces)) {
      gint sel;
      f->n_faces = f->faces->len;
      sel = emo_face_select ((const EmoRect *) f->faces->data, f->faces->len,
          f->selection, f->have_box ? &f->box : NULL, width, height);
      if (sel >= 0) {
        f->selected = sel;
        confirm_box (f, &g_array_index (f->faces, EmoRect, sel), t);
        emo_tracker_init (&f->tracker, gray, width, height, stride, &f->box);
        return EMO_FACE_SOURCE_DETECTOR;
      }
    }
  } else {
    f->frames_since_detect++;
  }
  /* between searches, or when a search misses a face still followed */
  if (f->have_box) {
    if (track_box (f, gray, width, height, stride, t))
      return EMO_FACE_SOURCE_TRACKER;
    /* lost: search the whole frame on the next frame */
    f->frames_since_detect = SEARCH_NOW;
  }
  if (f->have_box && f->have_box_time && t >= f->box_time
      && t - f->box_time <= f->hold_time)
    return EMO_FACE_SOURCE_HELD;
  f->have_box = FALSE;
  return EMO_FACE_SOURCE_NONE;
}

const gchar *
emo_face_source_name (EmoFaceSource s)
{
  static const gchar *const names[] = { "none", "upstream", "detector",
    "tracker", "held"
  };
  return (guint) s < G_N_ELEMENTS (names) ? names[s] : "none";
}
