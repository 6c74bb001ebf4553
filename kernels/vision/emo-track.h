/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Frame-to-frame face box tracking between detections: the box content is
 * kept as a EMO_TRACK_TEMPLATE^2 grey template; in the next frame the box's
 * neighbourhood is resampled once at the template's scale and the template
 * is matched there by exhaustive sum of absolute differences (translation
 * only; the box size is left to the next detection). */
#ifndef __EMO_TRACK_H__
#define __EMO_TRACK_H__

#include <glib.h>
#include "vision/emo-image.h"

G_BEGIN_DECLS

#define EMO_TRACK_TEMPLATE 32
#define EMO_TRACK_MARGIN 8      /* search +- this many template pixels */

typedef struct
{
  guint8 tmpl[EMO_TRACK_TEMPLATE * EMO_TRACK_TEMPLATE];
  guint8 search[(EMO_TRACK_TEMPLATE + 2 * EMO_TRACK_MARGIN) *
      (EMO_TRACK_TEMPLATE + 2 * EMO_TRACK_MARGIN)];
  EmoRect box;
  gboolean valid;
} EmoTracker;

/* Starts tracking @box in the grey frame. */
void emo_tracker_init (EmoTracker * t, const guint8 * gray, gint width,
    gint height, gsize stride, const EmoRect * box);

/* Finds the box in a new frame. Returns the mean absolute difference per
 * template pixel of the best match (0..255) and moves t->box there; the
 * template is refreshed from the new position when the match is at most
 * @max_mad, else the tracker becomes invalid and returns the difference. */
gdouble emo_tracker_update (EmoTracker * t, const guint8 * gray, gint width,
    gint height, gsize stride, gdouble max_mad);

G_END_DECLS

#endif /* __EMO_TRACK_H__ */
