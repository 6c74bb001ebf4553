/* gst-emo — thin wrapper around gstreamer-fft-1.0.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "dsp/emo-fft.h"

#include <gst/fft/gstfftf32.h>

struct _EmoFft
{
  guint len;
  GstFFTF32 *fwd;
  GstFFTF32 *inv;
};

guint
emo_fft_fast_length (guint n)
{
  gint l;

  if (n < 2)
    n = 2;
  l = gst_fft_next_fast_length ((gint) n);
  while (l & 1)
    l = gst_fft_next_fast_length (l + 1);
  return (guint) l;
}

EmoFft *
emo_fft_new (guint len)
{
  EmoFft *fft;

  g_return_val_if_fail (len >= 2 && (len & 1) == 0, NULL);
  fft = g_new0 (EmoFft, 1);
  fft->len = len;
  fft->fwd = gst_fft_f32_new ((gint) len, FALSE);
  fft->inv = gst_fft_f32_new ((gint) len, TRUE);
  return fft;
}

void
emo_fft_free (EmoFft * fft)
{
  if (!fft)
    return;
  gst_fft_f32_free (fft->fwd);
  gst_fft_f32_free (fft->inv);
  g_free (fft);
}

guint
emo_fft_length (const EmoFft * fft)
{
  return fft->len;
}

/* GstFFTF32Complex is two floats, r then i: the interleaved layout. */
G_STATIC_ASSERT (sizeof (GstFFTF32Complex) == 2 * sizeof (gfloat));

void
emo_fft_forward (EmoFft * fft, const gfloat * in, gfloat * out)
{
  gst_fft_f32_fft (fft->fwd, in, (GstFFTF32Complex *) out);
}

void
emo_fft_inverse (EmoFft * fft, const gfloat * in, gfloat * out)
{
  gst_fft_f32_inverse_fft (fft->inv, (const GstFFTF32Complex *) in, out);
}
