/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstemoelements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (emoexport, plugin);
  ret |= GST_ELEMENT_REGISTER (emoparse, plugin);
  ret |= GST_ELEMENT_REGISTER (emomtl, plugin);
  ret |= GST_ELEMENT_REGISTER (emoaudiofeat, plugin);
  ret |= GST_ELEMENT_REGISTER (emooverlay, plugin);
  ret |= GST_ELEMENT_REGISTER (emofuse, plugin);
  ret |= GST_ELEMENT_REGISTER (emovisfeat, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, emo,
    "Dimensional emotion recognition (arousal, valence, liking) from audio and video",
    plugin_init, VERSION, "LGPL", GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
