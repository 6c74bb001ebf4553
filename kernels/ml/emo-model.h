/* gst-emo — model files: a network plus everything needed to use it
 * (feature layout, normalisation, attribute names) and how it was trained.
 * Format: docs/model-format.md. No GStreamer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_MODEL_H
#define EMO_MODEL_H

#include <glib.h>
#include "ml/emo-nn.h"
#include "ml/emo-binfile.h"
#include "ml/emo-norm.h"

G_BEGIN_DECLS

#define EMO_MODEL_MAGIC "EMOMODEL"
/* Version 3: the layout names egemaps-v02-* mean openSMILE's eGeMAPSv02;
 * files of versions 1 and 2 were made on this project's first variant of
 * those features and are read with the layouts renamed emo-acoustic-v1-*. */
#define EMO_MODEL_VERSION 3      /* writes 3, reads 1 to 3 */
#define EMO_MODEL_BOM 0x01020304u
#define EMO_MODEL_MAX_STRING 4096

typedef struct {
  gchar *data;                  /* what it was trained on (free text) */
  gchar *notes;                 /* optimiser, epochs, search... (free text) */
  float *weights;               /* n_out loss weights (a, b, c) */
  float *dev_ccc;               /* n_out dev CCC of the chosen epoch, NaN if none */
  float delay;                  /* seconds the labels were shifted in training */
  guint epoch;                  /* chosen epoch, 1-based (0: none) */
  guint epochs;                 /* epochs run */
  guint64 seed;
} EmoTrainRecord;

/* How the network's input is standardised. */
typedef enum {
  EMO_NORM_FIXED = 0,           /* (x - mean) / std with the stored training statistics */
  EMO_NORM_STREAM = 1,          /* running per-stream statistics (emo-norm.h), the
                                 * stored statistics as their prior */
} EmoNormMode;

#define EMO_NORM_MAX_SECONDS 86400.0f
/* warm-up when a model trained with fixed statistics is run per stream */
#define EMO_NORM_DEFAULT_WARMUP 3.0

typedef struct {
  gchar *layout;                /* feature layout name (caps `layout`) */
  guint n_in;
  float frame_rate;             /* frames per second the model expects */
  float *mean, *std;            /* n_in each: x' = (x - mean) / std */
  EmoNormMode norm;             /* how the network was trained (format v2) */
  float norm_warmup;            /* EMO_NORM_STREAM: prior weight, seconds */
  float norm_window;            /* EMO_NORM_STREAM: forgetting, seconds (0: none) */
  EmoNet *net;
  gchar **attr_names;           /* n_out names, NULL-terminated */
  EmoTrainRecord rec;
} EmoModel;

typedef enum {
  EMO_MODEL_PARSE_DEFAULT = 0,
  /* skip the CRC (the fuzz target uses it to reach the deeper checks) */
  EMO_MODEL_PARSE_NO_CHECKSUM = 1 << 0,
} EmoModelParseFlags;

/* Takes ownership of net; mean/std start at 0/1, record empty. */
EmoModel *emo_model_new (const gchar * layout, EmoNet * net,
    const gchar * const *attr_names);
void emo_model_free (EmoModel * m);

/* Checks everything a loaded model must satisfy; `origin` prefixes errors. */
gboolean emo_model_validate (const EmoModel * m, const gchar * origin,
    GError ** error);

/* CRC-32 (IEEE 802.3 polynomial, zlib's crc32) of @n bytes continuing @crc;
 * shared by every gst-emo file format that carries a checksum. */

guint8 *emo_model_serialise (const EmoModel * m, gsize * len);
gboolean emo_model_save (const EmoModel * m, const gchar * path, GError ** error);
EmoModel *emo_model_parse (const guint8 * data, gsize len, const gchar * origin,
    EmoModelParseFlags flags, GError ** error);
EmoModel *emo_model_load (const gchar * path, GError ** error);

/* x[T][n_in] -> out[T][n_in] standardised; non-finite inputs become 0
 * (the training mean). Returns the number of values replaced. */
guint emo_model_normalise (const EmoModel * m, const float *x, float *out,
    guint T);

/* A running normaliser for one stream with the model's statistics as its
 * prior; warmup/window in seconds (negative: the model's own). */
EmoStreamNorm *emo_model_stream_norm_new (const EmoModel * m,
    double warmup_s, double window_s);

/* Standardises one whole stream x[T][n_in] -> out (may alias) as a stream
 * element would from its start: with the fixed statistics, or with a fresh
 * running normaliser (warmup/window in seconds, negative: the model's).
 * Returns the number of non-finite values replaced. */
guint emo_model_normalise_stream (const EmoModel * m, EmoNormMode mode,
    double warmup_s, double window_s, const float *x, float *out, guint T);

const gchar *emo_norm_mode_name (EmoNormMode mode);

gint emo_model_find_attr (const EmoModel * m, const gchar * name);

/* One-paragraph human-readable summary (emo predict --info). */
gchar *emo_model_describe (const EmoModel * m);

G_END_DECLS

#endif
