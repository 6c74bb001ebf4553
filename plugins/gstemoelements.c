/* gst-emo
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One-time initialisation shared by every element of the plugin: register
 * the prediction meta and the plugin-wide debug category. Also the small
 * helpers the elements share for enum types and plain-field properties.
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

/* Shared by the elements with a `model` property (emomtl, emofuse): the model
 * is loaded when the element starts, so a change above READY would silently
 * not apply. Returns TRUE (and posts a warning naming both files) when the
 * change is refused. `current_path` is read under the object lock. */
gboolean
emo_element_refuse_model_change (GstElement * element, gchar ** current_path,
    const GValue * value)
{
  GstState state;
  gchar *old;

  GST_OBJECT_LOCK (element);
  state = GST_STATE (element);
  if (MAX (state, GST_STATE_PENDING (element)) <= GST_STATE_READY) {
    GST_OBJECT_UNLOCK (element);
    return FALSE;
  }
  old = g_strdup (*current_path);
  GST_OBJECT_UNLOCK (element);
  GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS,
      ("The model can only be changed in the NULL or READY state."),
      ("refused model \"%s\" in state %s, keeping \"%s\"",
          GST_STR_NULL (g_value_get_string (value)),
          gst_element_state_get_name (state), GST_STR_NULL (old)));
  g_free (old);
  return TRUE;
}

/* The body of every enum get_type function: registers `values` under `name`
 * once, thread-safe, and returns the type. `type` is the caller's static. */
GType
emo_element_register_enum (GType * type, const gchar * name,
    const GEnumValue * values)
{
  if (g_once_init_enter (type)) {
    GType t = g_enum_register_static (name, values);
    g_once_init_leave (type, t);
  }
  return *type;
}

/* Same for flags types. */
GType
emo_element_register_flags (GType * type, const gchar * name,
    const GFlagsValue * values)
{
  if (g_once_init_enter (type)) {
    GType t = g_flags_register_static (name, values);
    g_once_init_leave (type, t);
  }
  return *type;
}

static const EmoPropertyField *
find_field (const EmoPropertyField * fields, guint prop_id)
{
  for (; fields->prop_id != 0; fields++) {
    if (fields->prop_id == prop_id)
      return fields;
  }
  return NULL;
}

/* set_property for the properties listed in `fields` (object lock held by
 * the caller); any other id gets G_OBJECT_WARN_INVALID_PROPERTY_ID. */
void
emo_element_set_field (GObject * object, const EmoPropertyField * fields,
    guint prop_id, const GValue * value, GParamSpec * pspec)
{
  const EmoPropertyField *f = find_field (fields, prop_id);
  gpointer p;

  if (!f) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  p = G_STRUCT_MEMBER_P (object, f->offset);
  switch (G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (pspec))) {
    case G_TYPE_BOOLEAN:
      *(gboolean *) p = g_value_get_boolean (value);
      break;
    case G_TYPE_INT:
      *(gint *) p = g_value_get_int (value);
      break;
    case G_TYPE_UINT:
      *(guint *) p = g_value_get_uint (value);
      break;
    case G_TYPE_INT64:
      *(gint64 *) p = g_value_get_int64 (value);
      break;
    case G_TYPE_UINT64:
      *(guint64 *) p = g_value_get_uint64 (value);
      break;
    case G_TYPE_DOUBLE:
      *(gdouble *) p = g_value_get_double (value);
      break;
    case G_TYPE_ENUM:
      *(gint *) p = g_value_get_enum (value);
      break;
    case G_TYPE_FLAGS:
      *(guint *) p = g_value_get_flags (value);
      break;
    case G_TYPE_STRING:
      g_free (*(gchar **) p);
      *(gchar **) p = g_value_dup_string (value);
      break;
    default:
      g_critical ("%s: property \"%s\" of type %s cannot be a plain field",
          G_OBJECT_TYPE_NAME (object), pspec->name,
          g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
      break;
  }
}

/* get_property for the properties listed in `fields` (object lock held by
 * the caller). */
void
emo_element_get_field (GObject * object, const EmoPropertyField * fields,
    guint prop_id, GValue * value, GParamSpec * pspec)
{
  const EmoPropertyField *f = find_field (fields, prop_id);
  gconstpointer p;

  if (!f) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  p = G_STRUCT_MEMBER_P (object, f->offset);
  switch (G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (pspec))) {
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, *(const gboolean *) p);
      break;
    case G_TYPE_INT:
      g_value_set_int (value, *(const gint *) p);
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, *(const guint *) p);
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, *(const gint64 *) p);
      break;
    case G_TYPE_UINT64:
      g_value_set_uint64 (value, *(const guint64 *) p);
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (value, *(const gdouble *) p);
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value, *(const gint *) p);
      break;
    case G_TYPE_FLAGS:
      g_value_set_flags (value, *(const guint *) p);
      break;
    case G_TYPE_STRING:
      g_value_set_string (value, *(gchar * const *) p);
      break;
    default:
      g_critical ("%s: property \"%s\" of type %s cannot be a plain field",
          G_OBJECT_TYPE_NAME (object), pspec->name,
          g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)));
      break;
  }
}
