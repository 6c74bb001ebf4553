/* gst-emo — streaming eGeMAPS v02 low-level descriptors (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Mono float samples in, one smoothed LLD frame per 10 ms out, through a
 * callback. Frame j describes the 20 ms analysis frame starting at sample
 * j*hop; its 60 ms pitch frame is centred on the same point. Output depends
 * only on the sample sequence, never on how it was chunked.
 */
#ifndef EMO_EGEMAPS_LLD_H
#define EMO_EGEMAPS_LLD_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  EMO_LLD_LOUDNESS = 0,
  EMO_LLD_ALPHA_RATIO,
  EMO_LLD_HAMMARBERG,
  EMO_LLD_SLOPE_0_500,
  EMO_LLD_SLOPE_500_1500,
  EMO_LLD_SPECTRAL_FLUX,
  EMO_LLD_MFCC1,
  EMO_LLD_MFCC2,
  EMO_LLD_MFCC3,
  EMO_LLD_MFCC4,
  /* voiced-only ("nz") descriptors from here: 0 in unvoiced frames */
  EMO_LLD_F0_SEMITONE,
  EMO_LLD_JITTER,
  EMO_LLD_SHIMMER_DB,
  EMO_LLD_HNR_DB,
  EMO_LLD_H1_H2,
  EMO_LLD_H1_A3,
  EMO_LLD_F1_FREQ,
  EMO_LLD_F1_BW,
  EMO_LLD_F1_AMP,
  EMO_LLD_F2_FREQ,
  EMO_LLD_F2_BW,
  EMO_LLD_F2_AMP,
  EMO_LLD_F3_FREQ,
  EMO_LLD_F3_BW,
  EMO_LLD_F3_AMP,
  EMO_LLD_N
} EmoLldIndex;

#define EMO_LLD_FIRST_NZ EMO_LLD_F0_SEMITONE

/* The 9 spectral LLDs of voiced frames (alphaRatioV ... mfcc4V) and the 5 of
 * unvoiced frames (alphaRatioUV ... spectralFluxUV), each selected first
 * and then smoothed over its own frames only (openSMILE's sma3nz of the
 * selection); 0 in frames of the other kind. */
#define EMO_LLD_N_SPEC_V 9
#define EMO_LLD_N_SPEC_UV 5

typedef struct {
  gfloat v[EMO_LLD_N];     /* smoothed LLDs (sma3 / sma3nz) */
  gfloat sv[EMO_LLD_N_SPEC_V];  /* spectral LLDs, voiced selection (sma3nz) */
  gfloat su[EMO_LLD_N_SPEC_UV]; /* spectral LLDs, unvoiced selection (sma3nz) */
  gfloat f0_hz;            /* unsmoothed F0 of the frame, 0 when unvoiced */
  gfloat energy;           /* mean square of the 20 ms frame (for Leq) */
  gboolean voiced;
} EmoLldFrame;

typedef void (*EmoLldFrameFunc) (guint64 index, const EmoLldFrame * frame,
    gpointer user_data);

typedef struct _EmoEgemapsLld EmoEgemapsLld;

/* Names as openSMILE's eGeMAPSv02 LLD output spells them. */
const gchar *emo_lld_name (guint i);

/* Which definition the descriptors follow.
 * EMO_LLD_OPENSMILE: openSMILE 3's eGeMAPSv02 (frame j and its 60 ms pitch
 *   frame both start at sample j * round (0.01 * rate); pitch by its
 *   subharmonic summation and Viterbi smoother, which decides a frame once
 *   all candidate paths agree, at most @lag frames later (40 as openSMILE).
 * EMO_LLD_EMO_V1: this project's first variant (streaming, 80 ms look-ahead,
 *   centred pitch frame, own pitch tracker; docs/audio-features.md). */
typedef enum {
  EMO_LLD_OPENSMILE = 0,
  EMO_LLD_EMO_V1 = 1,
} EmoLldVariant;

#define EMO_LLD_OPENSMILE_LAG 40
#define EMO_LLD_OPENSMILE_LAG_MIN 2

/* Rates 8000..192000 Hz are computed; the element/tool enforce 16-48 kHz.
 * emo_egemaps_lld_new () is the openSMILE variant with its 40-frame lag. */
EmoEgemapsLld *emo_egemaps_lld_new (guint rate, GError ** error);
EmoEgemapsLld *emo_egemaps_lld_new_full (guint rate, EmoLldVariant variant,
    guint lag, GError ** error);
EmoLldVariant emo_egemaps_lld_variant (const EmoEgemapsLld * lld);
void emo_egemaps_lld_free (EmoEgemapsLld * lld);
void emo_egemaps_lld_reset (EmoEgemapsLld * lld);
guint emo_egemaps_lld_rate (const EmoEgemapsLld * lld);
/* Samples per LLD hop (10 ms), rounded; frame j starts at sample
 * round (j * rate / 100), so the actual step alternates at rates such as
 * 22050 Hz. */
guint emo_egemaps_lld_hop (const EmoEgemapsLld * lld);
/* LLD frames a stream of @n_samples yields (those starting before its end). */
guint64 emo_egemaps_lld_frames_for (const EmoEgemapsLld * lld, guint64 n_samples);
/* Samples after the end of frame j's hop that must arrive before frame j is
 * emitted (pitch frame half-width + Viterbi lag + smoothing). */
guint emo_egemaps_lld_lookahead (const EmoEgemapsLld * lld);
/* The same in nanoseconds for a given rate, without an instance. */
guint64 emo_egemaps_lld_lookahead_ns (guint rate, EmoLldVariant variant,
    guint lag);

/* Non-finite samples count as 0; |x| is clipped at 8 (full scale is 1). */
void emo_egemaps_lld_push (EmoEgemapsLld * lld, const gfloat * x, gsize n,
    EmoLldFrameFunc func, gpointer user_data);
/* End of stream: the frames starting before the last sample are emitted
 * (the tail is zero padded), then the state is reset. */
void emo_egemaps_lld_finish (EmoEgemapsLld * lld, EmoLldFrameFunc func,
    gpointer user_data);
guint64 emo_egemaps_lld_samples_pushed (const EmoEgemapsLld * lld);

G_END_DECLS

#endif
