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

GType emo_element_register_enum (GType * type, const gchar * name,
    const GEnumValue * values);
GType emo_element_register_flags (GType * type, const gchar * name,
    const GFlagsValue * values);

/**
 * EmoPropertyField:
 * @prop_id: the property id, never 0 (0 ends a table)
 * @offset: where the value lives in the instance struct, as
 *   G_STRUCT_OFFSET (GstEmoSomething, field)
 *
 * A property kept as a plain field of the instance: the field's C type
 * follows the property's value type (gboolean, gint, guint, gint64, guint64,
 * gdouble, an enum or guint flags, or an owned gchar * for strings).
 * Properties that need more than a copy (clamping, arrays, side effects)
 * stay in the element's own switch.
 */
typedef struct
{
  guint prop_id;
  gsize offset;
} EmoPropertyField;

void emo_element_set_field (GObject * object, const EmoPropertyField * fields,
    guint prop_id, const GValue * value, GParamSpec * pspec);
void emo_element_get_field (GObject * object, const EmoPropertyField * fields,
    guint prop_id, GValue * value, GParamSpec * pspec);

GST_ELEMENT_REGISTER_DECLARE (emoexport);
GST_ELEMENT_REGISTER_DECLARE (emoparse);
GST_ELEMENT_REGISTER_DECLARE (emomtl);
GST_ELEMENT_REGISTER_DECLARE (emoaudiofeat);
GST_ELEMENT_REGISTER_DECLARE (emooverlay);
GST_ELEMENT_REGISTER_DECLARE (emofuse);
GST_ELEMENT_REGISTER_DECLARE (emovisfeat);

G_END_DECLS

#endif
