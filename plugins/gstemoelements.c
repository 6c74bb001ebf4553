/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One-time initialisation shared by every element of the plugin: register
 * the prediction meta and the plugin-wide debug category.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstemoelements.h"
#include <gst/emo/gstemo.h>

GST_DEBUG_CATEGORY (emo_debug);

void
emo_element_init (GstPlugin * plugin)
{
  static gsize res = FALSE;

  if (g_once_init_enter (&res)) {
    GST_DEBUG_CATEGORY_INIT (emo_debug, "emo", 0, "gst-emo plugin");
    (void) gst_emo_prediction_meta_get_info ();
    g_once_init_leave (&res, TRUE);
  }
}
