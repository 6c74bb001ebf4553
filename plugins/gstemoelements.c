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
