/* libFuzzer target: the face network weights file parser (emo-cnn.h). The
 * CRC is checked once as in normal loading, then skipped so the fuzzer
 * reaches the tensor table checks. */
#include <stdint.h>
#include <stddef.h>
#include <math.h>
#include "vision/emo-cnn.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *e = NULL;
  EmoCnnWeights *w;

  w = emo_cnn_weights_parse (data, size, "fuzz", TRUE, &e);
  emo_cnn_weights_free (w);
  g_clear_error (&e);
  w = emo_cnn_weights_parse (data, size, "fuzz", FALSE, &e);
  if (w) {
    /* every tensor of a file that loads is readable, finite, and found by
     * name with its own shape */
    guint i;
    gsize k;
    for (i = 0; i < w->n_tensors; i++) {
      const EmoCnnTensor *t = &w->tensors[i];
      const float *v = emo_cnn_weights_get (w, t->name, t->ndim, t->dims, NULL);
      if (v != t->data)
        __builtin_trap ();
      for (k = 0; k < t->count; k++)
        if (!isfinite (v[k]))
          __builtin_trap ();
    }
    /* a shape that differs is refused with a message */
    if (w->n_tensors > 0) {
      guint d[4] = { 0, 0, 0, 0 };
      if (emo_cnn_weights_get (w, w->tensors[0].name, 4, d, &e))
        __builtin_trap ();
      g_clear_error (&e);
    }
    emo_cnn_weights_free (w);
  }
  g_clear_error (&e);
  return 0;
}
