/* Cycles every element of the emo plugin through all state changes. */
#include <gst/check/gstcheck.h>

GST_START_TEST (test_state_changes)
{
  GstPlugin *plugin = gst_registry_find_plugin (gst_registry_get (), "emo");
  GList *features, *l;
  guint n = 0;

  fail_unless (plugin != NULL, "plugin emo not found on GST_PLUGIN_PATH");
  features =
      gst_registry_get_feature_list_by_plugin (gst_registry_get (), "emo");
  for (l = features; l; l = l->next) {
    GstPluginFeature *f = l->data;
    GstElement *e;
    if (!GST_IS_ELEMENT_FACTORY (f))
      continue;
    e = gst_element_factory_create (GST_ELEMENT_FACTORY (f), NULL);
    fail_unless (e != NULL, "could not create %s", GST_OBJECT_NAME (f));
    GST_INFO ("cycling %s", GST_OBJECT_NAME (f));
    gst_element_set_state (e, GST_STATE_READY);
    gst_element_set_state (e, GST_STATE_PAUSED);
    gst_element_set_state (e, GST_STATE_READY);
    gst_element_set_state (e, GST_STATE_NULL);
    gst_element_set_state (e, GST_STATE_PAUSED);
    gst_element_set_state (e, GST_STATE_NULL);
    gst_object_unref (e);
    n++;
  }
  fail_unless (n >= 2, "only %u elements", n);
  gst_plugin_feature_list_free (features);
  gst_object_unref (plugin);
}

GST_END_TEST;

static Suite *
states_suite (void)
{
  Suite *s = suite_create ("states");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_state_changes);
  return s;
}

GST_CHECK_MAIN (states);
