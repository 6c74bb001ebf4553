/* libFuzzer target: model file loader. The CRC is checked once as in normal
 * loading, then skipped so the fuzzer reaches the structural checks. */
#include <stdint.h>
#include <stddef.h>
#include "ml/emo-model.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *e = NULL;
  EmoModel *m;

  m = emo_model_parse (data, size, "fuzz", EMO_MODEL_PARSE_DEFAULT, &e);
  emo_model_free (m);
  g_clear_error (&e);
  m = emo_model_parse (data, size, "fuzz", EMO_MODEL_PARSE_NO_CHECKSUM, &e);
  if (m) {
    /* a model that loads must run and produce finite outputs */
    float x[64] = { 0 }, *y = g_new0 (float, m->net->n_out);
    if (m->n_in <= 64) {
      EmoNetWork *w = emo_net_work_new (m->net, 1);
      EmoNetState *st = emo_net_state_new (m->net);
      guint i;
      /* one frame through the model's own normalisation (a running one
       * when the model asks for it); huge stored weights may overflow to
       * Inf, which emomtl guards against, so outputs are not asserted */
      for (i = 0; i < m->n_in; i++)
        x[i] = (float) i;
      emo_model_normalise_stream (m, m->norm, -1.0, -1.0, x, x, 1);
      emo_net_forward (m->net, st, w, x, 1, y, NULL);
      emo_net_state_free (st);
      emo_net_work_free (w);
    }
    g_free (y);
    emo_model_free (m);
  }
  g_clear_error (&e);
  return 0;
}
