/* libFuzzer target: normalisation statistics file (speaker profile) parser;
 * what parses is used to normalise a few frames and written back. */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include "ml/emo-norm.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  float pm[3] = { 0, 1, 2 }, ps[3] = { 1, 1, 1 }, x[12], z[12];
  EmoStreamNorm *s = emo_stream_norm_new (3, pm, ps, 5.0, 0.0);
  GError *e = NULL;
  guint i;

  if (emo_stream_norm_stats_from_data (s, "seed-v1", (const gchar *) data,
          size, "fuzz", &e)) {
    gchar *out;
    gsize len;
    for (i = 0; i < 12; i++)
      x[i] = (float) i;
    emo_stream_norm_process (s, x, z, 4);
    for (i = 0; i < 12; i++)
      if (isnan (z[i]))
        __builtin_trap ();      /* validated statistics never give NaN */
    out = emo_stream_norm_stats_to_data (s, "seed-v1", &len);
    g_free (out);
  }
  g_clear_error (&e);
  emo_stream_norm_free (s);
  return 0;
}
