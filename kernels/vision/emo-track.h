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

/* ---- which face to follow, and when to search again ---------------------
 *
 * The policy between a face detector (any: it is called back) and the
 * template tracker above, for one followed face:
 *  - a full search every @detect_interval frames (with or without a face
 *    in view), and on the frame after the face was lost;
 *  - several faces: the selection rule picks one;
 *  - between searches, and when a search misses a face still followed, the
 *    tracker moves the box; a box whose centre left the frame is dropped;
 *  - when both fail the last box is kept ("held") for @hold_time, then the
 *    frame has no face.
 * Times are in any unit that only grows (the element uses nanoseconds of
 * running time); @hold_time is in the same unit. */

typedef enum
{
  EMO_FACE_SELECT_LARGEST,
  EMO_FACE_SELECT_CENTER,
  EMO_FACE_SELECT_STICKY,
} EmoFaceSelect;

typedef enum
{
  EMO_FACE_SOURCE_NONE,
  EMO_FACE_SOURCE_UPSTREAM,
  EMO_FACE_SOURCE_DETECTOR,
  EMO_FACE_SOURCE_TRACKER,
  EMO_FACE_SOURCE_HELD,
} EmoFaceSource;

/* Template tracking gives up above this mean absolute difference per pixel
 * (grey levels) between the face template and its best match. */
#define EMO_FACE_TRACK_MAX_MAD 24.0

/* Finds the faces of the current frame into @out (EmoRect, cleared by the
 * callee); returns FALSE when no search could be run. */
typedef gboolean (*EmoFaceDetectFunc) (gpointer user_data, GArray * out);

typedef struct
{
  /* settings */
  guint detect_interval;
  EmoFaceSelect selection;
  guint64 hold_time;
  /* state */
  EmoTracker tracker;
  gboolean have_box;
  EmoRect box;
  gboolean have_box_time;
  guint64 box_time;             /* time of the last confirmed box */
  guint frames_since_detect;
  guint n_faces;                /* faces in view at the last search */
  GArray *faces;                /* EmoRect: the faces of the last search */
  gint selected;                /* index in faces of the followed one, or -1 */
} EmoFaceFollow;

void emo_face_follow_init (EmoFaceFollow * f, guint detect_interval,
    EmoFaceSelect selection, guint64 hold_time);
void emo_face_follow_clear (EmoFaceFollow * f);
/* Forgets the followed face (new stream position, new frame size). */
void emo_face_follow_reset (EmoFaceFollow * f);

/* Index of the face @sel picks among @n boxes in a @width x @height frame
 * (@prev: the previously followed box for "sticky", or NULL); -1 if n is 0. */
gint emo_face_select (const EmoRect * boxes, guint n, EmoFaceSelect sel,
    const EmoRect * prev, gint width, gint height);

/* One frame with a detector: decides whether to call @detect, then tracks
 * or holds. On return f->box is the followed box (unless NONE), f->faces
 * the boxes of the last search and f->selected the followed one among them
 * when this frame ran a search that found it (else -1). */
EmoFaceSource emo_face_follow_frame (EmoFaceFollow * f,
    EmoFaceDetectFunc detect, gpointer user_data, const guint8 * gray,
    gint width, gint height, gsize stride, guint64 t);

/* One frame whose boxes come from elsewhere (upstream metas): @n boxes,
 * already clipped to the frame; no tracking, no hold. */
EmoFaceSource emo_face_follow_given (EmoFaceFollow * f, const EmoRect * boxes,
    guint n, gint width, gint height, guint64 t);

/* "none", "upstream", "detector", "tracker" or "held". */
const gchar *emo_face_source_name (EmoFaceSource s);

G_END_DECLS

#endif /* __EMO_TRACK_H__ */
