/* libFuzzer target: fuser model file parser (+ inference on what parses). */
#include <stdint.h>
#include <stddef.h>
#include "ml/fuse-model.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *e = NULL;
  EmoFuseModel *m =
      emo_fuse_model_parse ((const gchar *) data, size, "fuzz", &e);
  if (m) {
    guint d = m->n_inputs * m->n_attrs, t;
    gfloat *x = g_new0 (gfloat, (gsize) d * 8), *y =
        g_new (gfloat, (gsize) m->n_attrs * 8);
    gchar *s;
    for (t = 0; t < d * 8; t++)
      x[t] = (gfloat) (t % 7) * 0.1f;
    emo_fuse_model_apply (m, FALSE, x, 8, y);
    emo_fuse_model_apply (m, TRUE, x, 8, y);
    s = emo_fuse_model_to_string (m);
    g_free (s);
    g_free (x);
    g_free (y);
    emo_fuse_model_free (m);
  }
  g_clear_error (&e);
  return 0;
}
