/* gst-emo — thin wrapper around gstreamer-fft-1.0 (the only GStreamer use in kernels/).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_FFT_H
#define EMO_FFT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EmoFft EmoFft;

/* Smallest length >= n (even) the FFT handles fast. */
guint emo_fft_fast_length (guint n);

/* A real FFT of length @len (even). One allocation; transforms allocate nothing. */
EmoFft *emo_fft_new (guint len);
void emo_fft_free (EmoFft * fft);
guint emo_fft_length (const EmoFft * fft);

/* @in: len real samples; @out: (len/2+1) complex values as interleaved re,im. */
void emo_fft_forward (EmoFft * fft, const gfloat * in, gfloat * out);
/* Unnormalised inverse: @in (len/2+1) interleaved complex, @out len reals
 * (len times the original signal). */
void emo_fft_inverse (EmoFft * fft, const gfloat * in, gfloat * out);

G_END_DECLS

#endif
