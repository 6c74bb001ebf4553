/* libFuzzer target: OpenCV cascade XML parser (kernels/vision/emo-cascade.c).
 * Anything that parses is also evaluated on a textured window of its own
 * size and run through the detector, so a cascade that passes validation
 * can never read outside its arrays or the image. */
#include <stdint.h>
#include <stddef.h>
#include "vision/emo-cascade.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *e = NULL;
  EmoCascade *c = emo_cascade_parse ((const gchar *) data, size, &e);

  if (c) {
    gint w, h, x, y, iw, ih;
    guint8 *img;
    EmoIntegral ii;
    EmoDetector *d;
    EmoDetectParams p;
    GArray *out = g_array_new (FALSE, FALSE, sizeof (EmoDetection));

    emo_cascade_get_window (c, &w, &h);
    iw = w + 7;
    ih = h + 5;
    img = g_malloc ((gsize) iw * ih);
    for (y = 0; y < ih; y++)
      for (x = 0; x < iw; x++)
        img[y * iw + x] = (guint8) ((x * 37 + y * 91 + (x * y) % 13) & 0xff);
    emo_integral_init (&ii);
    emo_integral_compute (&ii, img, iw, ih, iw, TRUE);
    emo_cascade_run_at (c, &ii, 0, 0);  /* no rotated sums yet: refused if needed */
    emo_integral_compute_tilted (&ii, img, iw);
    emo_cascade_run_at (c, &ii, 0, 0);
    emo_cascade_run_at (c, &ii, 7, 5);
    emo_cascade_run_at (c, &ii, 8, 0);  /* out of bounds: refused */
    d = emo_detector_new (c);
    emo_detect_params_init (&p);
    p.min_neighbors = 1;
    p.scale_factor = 1.3;
    emo_detector_detect (d, img, iw, ih, iw, &p, out);
    emo_detector_free (d);
    emo_integral_clear (&ii);
    g_array_unref (out);
    g_free (img);
    emo_cascade_free (c);
  }
  g_clear_error (&e);
  return 0;
}
