/* gst-emo — eGeMAPS v02 feature sets over a trailing window every hop
 * (no GStreamer). The one code path shared by the emoaudiofeat element and
 * `emo extract`, so both give identical numbers for identical samples.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_AUDIOFEAT_H
#define EMO_AUDIOFEAT_H

#include <glib.h>

#include "dsp/egemaps-lld.h"

G_BEGIN_DECLS

/* The first three follow openSMILE's eGeMAPSv02 (layouts egemaps-v02-*);
 * the other three are this project's first variant of the same names
 * (layouts emo-acoustic-v1-*), kept for models trained on it. */
typedef enum {
  EMO_FEATURE_SET_FUNCTIONALS = 0,  /* 88 eGeMAPS v02 functionals */
  EMO_FEATURE_SET_LLD_MEANSTD = 1,  /* mean and std of the 25 LLDs: 50 */
  EMO_FEATURE_SET_LLD = 2,          /* the 25 LLDs, averaged over the hop */
  EMO_FEATURE_SET_V1_FUNCTIONALS = 3,
  EMO_FEATURE_SET_V1_LLD_MEANSTD = 4,
  EMO_FEATURE_SET_V1_LLD = 5,
} EmoFeatureSet;

#define EMO_FEATURE_SET_N 6
/* the openSMILE-defined set a set corresponds to, and its LLD variant */
#define EMO_FEATURE_SET_BASE(s) ((EmoFeatureSet) ((guint) (s) % 3))
#define EMO_FEATURE_SET_VARIANT(s) \
  ((guint) (s) >= 3 ? EMO_LLD_EMO_V1 : EMO_LLD_OPENSMILE)

#define EMO_EGEMAPS_N_FUNCTIONALS 88
#define EMO_AUDIOFEAT_MIN_RATE 16000
#define EMO_AUDIOFEAT_MAX_RATE 48000

/* Short names used by the element property and `emo extract --feature-set`. */
const gchar *emo_feature_set_nick (EmoFeatureSet set);
gboolean emo_feature_set_from_nick (const gchar * nick, EmoFeatureSet * set);
/* Layout names for application/x-emo-frames caps. */
const gchar *emo_feature_set_layout (EmoFeatureSet set);
guint emo_feature_set_dims (EmoFeatureSet set);
/* Feature names (static strings). */
const gchar *emo_feature_set_name (EmoFeatureSet set, guint i);

typedef struct _EmoAudioFeat EmoAudioFeat;

/* @index: frame number from the first sample (frame k covers samples
 * [k*hop, (k+1)*hop) and summarises the window ending at (k+1)*hop);
 * @voiced_fraction: share of voiced LLD frames in the window. */
typedef void (*EmoAudioFeatFunc) (guint64 index, const gfloat * values, guint dims,
    gfloat voiced_fraction, gpointer user_data);

/* @window_ms and @hop_ms are multiples of 10 ms; window >= hop.
 * @pitch_lag: frames the openSMILE pitch smoother may wait for its paths to
 * agree (EMO_LLD_OPENSMILE_LAG as openSMILE; 2 for an 80 ms look-ahead at
 * some cost in fidelity); ignored by the v1 sets. */
EmoAudioFeat *emo_audio_feat_new (guint rate, EmoFeatureSet set, guint window_ms,
    guint hop_ms, GError ** error);
EmoAudioFeat *emo_audio_feat_new_full (guint rate, EmoFeatureSet set,
    guint window_ms, guint hop_ms, guint pitch_lag, GError ** error);
void emo_audio_feat_free (EmoAudioFeat * af);
void emo_audio_feat_reset (EmoAudioFeat * af);
guint emo_audio_feat_dims (const EmoAudioFeat * af);
/* Output frames a stream of @n_samples yields: ceil (duration / hop), as
 * counted on the 10 ms LLD grid. */
guint64 emo_audio_feat_frames_for (const EmoAudioFeat * af, guint64 n_samples);
/* Samples that must arrive after the end of hop k before frame k is out. */
guint emo_audio_feat_lookahead_samples (const EmoAudioFeat * af);

/* Mono samples; NaN/Inf count as silence. */
void emo_audio_feat_push (EmoAudioFeat * af, const gfloat * mono, gsize n,
    EmoAudioFeatFunc func, gpointer user_data);
/* End of stream: emits the remaining frames (see frames_for), then resets. */
void emo_audio_feat_finish (EmoAudioFeat * af, EmoAudioFeatFunc func, gpointer user_data);

/* Interleaved -> mono (channel average), into @out (n_frames values). */
void emo_audio_downmix_f32 (const gfloat * in, guint channels, gsize n_frames, gfloat * out);
void emo_audio_downmix_s16 (const gint16 * in, guint channels, gsize n_frames, gfloat * out);

/* Exposed for tests: the 88 functionals over @n LLD frames lasting @n*10 ms
 * (v1 definitions; @scratch holds 2 n + 2 values). */
void emo_egemaps_functionals (const EmoLldFrame * frames, guint n, gfloat * out,
    gfloat * scratch);
/* The same by openSMILE's definitions, @T seconds per LLD frame (its frame
 * step, hop / rate); @scratch holds 7 (n + 1) values. */
void emo_egemaps_functionals_os (const EmoLldFrame * frames, guint n, gfloat T,
    gfloat * out, gfloat * scratch);

G_END_DECLS

#endif
