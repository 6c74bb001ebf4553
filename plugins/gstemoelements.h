/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_EMO_ELEMENTS_H__
#define __GST_EMO_ELEMENTS_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

G_BEGIN_DECLS

void emo_element_init (GstPlugin * plugin);

gboolean emo_element_refuse_model_change (GstElement * element,
    gchar ** current_path, const GValue * value);

GST_ELEMENT_REGISTER_DECLARE (emoexport);
GST_ELEMENT_REGISTER_DECLARE (emoparse);
GST_ELEMENT_REGISTER_DECLARE (emomtl);
GST_ELEMENT_REGISTER_DECLARE (emoaudiofeat);
GST_ELEMENT_REGISTER_DECLARE (emooverlay);
GST_ELEMENT_REGISTER_DECLARE (emofuse);
GST_ELEMENT_REGISTER_DECLARE (emovisfeat);

G_END_DECLS

#endif
