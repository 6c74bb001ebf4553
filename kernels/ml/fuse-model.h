/* gst-emo — fusion model: stacked linear stages over stage-1 predictions
 * (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A fuser maps the predictions of N stage-1 models (each giving A attributes,
 * e.g. arousal, valence, liking) to A fused attributes, frame by frame on
 * the hop grid. It is a chain of S stages; stage s sees the original inputs
 * plus the outputs of stages 1..s-1 (multistage fusion, Atmaja & Akagi 2020),
 * each stacked over a list of frame offsets (the +-K context of the AVEC
 * 2019 organisers' fusion), and computes every attribute as
 *
 *   y_a(t) = bias_a + sum_i sum_j W_a[i][j] * x_j(t + offset_i)
 *
 * with frame indices clamped to the sequence (the first/last frame repeats).
 * Every trainer (liblinear SVR, the CCC-weighted fuser, the plain mean)
 * produces this one form, so there is a single inference path
 * (EmoFuseRunner) for `emo fuse` and the `emofuse` element.
 */
#ifndef EMO_FUSE_MODEL_H
#define EMO_FUSE_MODEL_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_FUSE_ERROR (emo_fuse_error_quark ())
GQuark emo_fuse_error_quark (void);

typedef enum {
  EMO_FUSE_ERROR_OPEN,     /* cannot read / write the file */
  EMO_FUSE_ERROR_FORMAT,   /* not a fuser file, bad syntax, bad value */
  EMO_FUSE_ERROR_VERSION,  /* a newer format version */
  EMO_FUSE_ERROR_DATA,     /* training data unusable (empty, mismatched, constant) */
  EMO_FUSE_ERROR_TRAIN,    /* the solver failed */
} EmoFuseError;

#define EMO_FUSE_MODEL_MAGIC "emo-fuser"
#define EMO_FUSE_MODEL_VERSION 1
#define EMO_FUSE_MAX_STAGES 16
#define EMO_FUSE_MAX_INPUTS 256
#define EMO_FUSE_MAX_ATTRS 32
#define EMO_FUSE_MAX_OFFSET 1000
#define EMO_FUSE_MAX_OFFSETS 201

typedef struct {
  guint n_offsets;
  gint *offsets;       /* frame offsets, ascending not required */
  guint in_dim;        /* n_inputs * n_attrs + (stage - 1) * n_attrs */
  gdouble *weights;    /* n_attrs rows of n_offsets * in_dim, offset-major */
  gdouble *bias;       /* n_attrs */
} EmoFuseStage;

typedef struct {
  gchar *method;       /* "svr", "cccw", "mean": how it was trained */
  guint n_attrs;
  gchar **attrs;       /* NULL-terminated */
  guint n_inputs;
  gchar **inputs;      /* names of the stage-1 streams, NULL-terminated */
  guint n_stages;
  EmoFuseStage *stages;
  GPtrArray *record;   /* free-text training record lines (gchar*) */
} EmoFuseModel;

EmoFuseModel *emo_fuse_model_new (const gchar * method, guint n_attrs,
    const gchar * const *attrs, guint n_inputs, const gchar * const *inputs);
void emo_fuse_model_free (EmoFuseModel * m);

/* Appends a stage with zero weights; returns it. in_dim follows from the
 * stage index. */
EmoFuseStage *emo_fuse_model_add_stage (EmoFuseModel * m, const gint * offsets,
    guint n_offsets);

/* Input dimension of stage s (0-based). */
guint emo_fuse_model_stage_in_dim (const EmoFuseModel * m, guint s);

void emo_fuse_model_add_record (EmoFuseModel * m, const gchar * fmt, ...) G_GNUC_PRINTF (2, 3);

/* Largest future / past reach of a stage, >= 0. */
guint emo_fuse_stage_future (const EmoFuseStage * st);
guint emo_fuse_stage_past (const EmoFuseStage * st);

/* Frames of look-ahead of the whole chain (sum of stage futures); 0 when
 * causal. */
guint emo_fuse_model_latency (const EmoFuseModel * m, gboolean causal);

/* The frame that context offset `offset` of frame `t` reads: t + offset
 * clamped to [0, t] when causal, else to [0, last] (the last frame there
 * is: T - 1 offline, the newest pushed when streaming). Training, offline
 * application and the streaming runner share this edge rule, so they agree
 * at the sequence ends. */
guint64 emo_fuse_context_frame (guint64 t, gint offset, guint64 last,
    gboolean causal);

/* Checks counts, names and finiteness; the loader calls it. */
gboolean emo_fuse_model_validate (const EmoFuseModel * m, GError ** error);

gchar *emo_fuse_model_to_string (const EmoFuseModel * m);
gboolean emo_fuse_model_save (const EmoFuseModel * m, const gchar * path,
    GError ** error);
/* `origin` names the input in error messages (file name). */
EmoFuseModel *emo_fuse_model_parse (const gchar * text, gsize len,
    const gchar * origin, GError ** error);
EmoFuseModel *emo_fuse_model_load (const gchar * path, GError ** error);

/* One stage on one frame: rows[i] points at the stage input vector of frame
 * t + offsets[i] (already clamped). Writes n_attrs values. */
void emo_fuse_stage_eval (const EmoFuseStage * st, guint n_attrs,
    const gfloat * const *rows, gfloat * out);

/* One stage over a whole sequence x (T x in_dim) -> out (T x n_attrs).
 * causal: positive offsets are clamped to the current frame. */
void emo_fuse_stage_apply (const EmoFuseStage * st, guint n_attrs,
    const gfloat * x, guint T, gboolean causal, gfloat * out);

/* Streaming inference: push frames of n_inputs * n_attrs values in order,
 * pop fused frames of n_attrs values; after the last frame call finish()
 * and pop the rest. Exactly one output per input, delayed by
 * emo_fuse_model_latency() frames. Memory is bounded by the context. */
typedef struct _EmoFuseRunner EmoFuseRunner;

EmoFuseRunner *emo_fuse_runner_new (const EmoFuseModel * m, gboolean causal);
void emo_fuse_runner_free (EmoFuseRunner * r);
void emo_fuse_runner_reset (EmoFuseRunner * r);
void emo_fuse_runner_push (EmoFuseRunner * r, const gfloat * frame);
void emo_fuse_runner_finish (EmoFuseRunner * r);
gboolean emo_fuse_runner_pop (EmoFuseRunner * r, gfloat * out);
guint emo_fuse_runner_pending (const EmoFuseRunner * r);

/* Whole sequence through the runner: x is T x (n_inputs*n_attrs), out is
 * T x n_attrs. */
void emo_fuse_model_apply (const EmoFuseModel * m, gboolean causal,
    const gfloat * x, guint T, gfloat * out);

G_END_DECLS

#endif
