/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Viola-Jones boosted cascade evaluator for OpenCV's cascade XML files
 * (the "opencv-cascade-classifier" format written by opencv_traincascade,
 * as shipped in Debian's opencv-data: Haar features with variance
 * normalisation, or multi-block LBP features with categorical splits),
 * and a multi-scale detector with OpenCV-compatible rectangle grouping.
 * The file is data: it is parsed with GMarkup and validated completely
 * (indices, rectangle bounds, tree shape, finite numbers) before use. */
#ifndef __EMO_CASCADE_H__
#define __EMO_CASCADE_H__

#include <glib.h>
#include "vision/emo-image.h"

G_BEGIN_DECLS

#define EMO_CASCADE_ERROR (emo_cascade_error_quark ())
GQuark emo_cascade_error_quark (void);

typedef enum
{
  EMO_CASCADE_ERROR_PARSE,      /* not well-formed XML */
  EMO_CASCADE_ERROR_INVALID,    /* well-formed but not a usable cascade */
  EMO_CASCADE_ERROR_UNSUPPORTED /* a cascade variant this evaluator does not run */
} EmoCascadeError;

typedef enum
{
  EMO_CASCADE_HAAR,
  EMO_CASCADE_LBP
} EmoCascadeType;

typedef struct _EmoCascade EmoCascade;

EmoCascade *emo_cascade_parse (const gchar * text, gssize len, GError ** error);
/* Reads and parses @path; errors name the file. */
EmoCascade *emo_cascade_load (const gchar * path, GError ** error);
void emo_cascade_free (EmoCascade * c);

EmoCascadeType emo_cascade_get_feature_type (const EmoCascade * c);
void emo_cascade_get_window (const EmoCascade * c, gint * width, gint * height);
guint emo_cascade_get_n_stages (const EmoCascade * c);
guint emo_cascade_get_n_features (const EmoCascade * c);

/* Runs the cascade on the window whose top-left corner is (@x, @y) of the
 * image behind @ii (computed with squares for Haar cascades). Returns 1 when
 * every stage accepts, else -(index of the rejecting stage) (0 for the
 * first stage), or -1 - n_stages when the window is out of bounds or, for
 * Haar, too flat to normalise (standard deviation <= 10 grey levels, as
 * OpenCV's HaarEvaluator does). */
gint emo_cascade_run_at (const EmoCascade * c, const EmoIntegral * ii, gint x,
    gint y);

typedef struct
{
  EmoRect rect;
  gint neighbors;               /* raw windows merged into this detection */
} EmoDetection;

typedef struct
{
  gdouble scale_factor;         /* pyramid step, > 1 (OpenCV default 1.1) */
  gint min_neighbors;           /* OpenCV groupRectangles threshold; 0 = raw windows */
  gint min_size;                /* smallest window width in source pixels (0 = cascade size) */
  gint max_size;                /* largest window width (0 = image size) */
  EmoRect roi;                  /* search region, width 0 = whole image */
  gint step;                    /* 0: OpenCV's window step (2 pyramid pixels up to
                                 * scale 2, then 1); else the largest step in
                                 * source pixels (pyramid step 2 while 2 * scale
                                 * <= step, then 1) */
} EmoDetectParams;

void emo_detect_params_init (EmoDetectParams * p);

typedef struct _EmoDetector EmoDetector;

/* The detector borrows @c (it must outlive the detector) and keeps scratch
 * buffers between calls, so repeated detection does not allocate. */
EmoDetector *emo_detector_new (const EmoCascade * c);
void emo_detector_free (EmoDetector * d);

/* Multi-scale detection on an 8-bit grey image. Clears @out (GArray of
 * EmoDetection) and fills it with grouped detections in source pixel
 * coordinates, largest first. Returns the number of detections. */
guint emo_detector_detect (EmoDetector * d, const guint8 * img, gint width,
    gint height, gsize stride, const EmoDetectParams * p, GArray * out);

/* OpenCV-compatible grouping of raw windows (cv::groupRectangles with
 * eps = 0.2): clusters of similar rectangles are averaged, clusters with
 * at most @min_neighbors members dropped, and small clusters inside larger
 * ones removed. @rects is replaced by the result. */
void emo_group_rectangles (GArray * rects, gint min_neighbors, gdouble eps);

G_END_DECLS

#endif /* __EMO_CASCADE_H__ */
