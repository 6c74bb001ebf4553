/* libFuzzer target: the eGeMAPS kernel on arbitrary samples.
 * Byte 0: rate, feature set, sample type; byte 1: hop; byte 2: chunk size;
 * the rest: S16 or raw float32 samples (NaN, Inf, huge values included).
 * Every output value must be finite and the frame count as documented. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <math.h>
#include <stdlib.h>
#include "dsp/emo-audiofeat.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

typedef struct
{
  guint64 frames;
  guint dims;
} Count;

static void
check_frame (guint64 index, const gfloat * v, guint dims, gfloat vf,
    gpointer user_data)
{
  Count *c = user_data;
  guint i;

  if (index != c->frames || dims != c->dims || !(vf >= 0 && vf <= 1))
    abort ();
  for (i = 0; i < dims; i++)
    if (!isfinite (v[i]))
      abort ();
  c->frames++;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static const guint rates[] = { 16000, 22050, 44100, 48000 };
  EmoAudioFeat *af;
  EmoFeatureSet set;
  guint rate, hop_ms, chunk;
  gboolean is_float;
  gsize n, i, off = 0;
  gfloat *x;
  Count c = { 0 };

  if (size < 3)
    return 0;
  rate = rates[data[0] & 3];
  set = (EmoFeatureSet) ((data[0] >> 2) % 3);
  is_float = (data[0] >> 4) & 1;
  hop_ms = 10 * (1 + data[1] % 20);
  chunk = 1 + data[2] * 7;
  data += 3;
  size -= 3;
  n = is_float ? size / 4 : size / 2;
  x = g_new (gfloat, MAX (n, 1));
  for (i = 0; i < n; i++) {
    if (is_float) {
      memcpy (&x[i], data + 4 * i, 4);
    } else {
      gint16 s;
      memcpy (&s, data + 2 * i, 2);
      x[i] = s / 32768.0f;
    }
  }
  af = emo_audio_feat_new (rate, set, 4 * hop_ms, hop_ms, NULL);
  if (!af)
    abort ();
  c.dims = emo_audio_feat_dims (af);
  while (off < n) {
    gsize m = MIN (chunk, n - off);
    emo_audio_feat_push (af, x + off, m, check_frame, &c);
    off += m;
  }
  emo_audio_feat_finish (af, check_frame, &c);
  if (c.frames != emo_audio_feat_frames_for (af, n))
    abort ();
  emo_audio_feat_free (af);
  g_free (x);
  return 0;
}
