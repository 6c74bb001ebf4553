/* libFuzzer target: emotion-frame caps strings and layout names, and the
 * feature-names event built from arbitrary names. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <gst/gst.h>
#include <gst/emo/gstemo.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static gboolean inited = FALSE;
  gchar *s;
  GstCaps *caps;
  GstEmoFramesInfo info;

  if (!inited) {
    gst_init (NULL, NULL);
    inited = TRUE;
  }
  {
    /* GStreamer 1.22's caps parser leaks on malformed nested arrays/lists
     * (upstream; suppressed in tests/lsan.supp by its function name). Deeply
     * nested input pushes that function out of the leak report's stack, so
     * it is skipped: no emotion-frame caps nest beyond a few levels. */
    gint depth = 0, max_depth = 0;
    size_t i;
    for (i = 0; i < size; i++) {
      if (data[i] == '<' || data[i] == '{' || data[i] == '(' || data[i] == '[')
        max_depth = MAX (max_depth, ++depth);
      else if (data[i] == '>' || data[i] == '}' || data[i] == ')'
          || data[i] == ']')
        depth--;
    }
    if (max_depth > 6)
      return 0;
  }
  s = g_strndup ((const gchar *) data, size);
  gst_emo_frames_info_init (&info);
  caps = gst_caps_from_string (s);
  if (caps) {
    if (gst_emo_frames_info_from_caps (&info, caps)) {
      GstCaps *back = gst_emo_frames_info_to_caps (&info);
      GstEmoFramesInfo again;
      gst_emo_frames_info_init (&again);
      /* a valid info must survive the round trip unchanged */
      if (!gst_emo_frames_info_from_caps (&again, back) ||
          !gst_emo_frames_info_is_equal (&info, &again))
        __builtin_trap ();
      gst_emo_frames_info_clear (&again);
      gst_caps_unref (back);
    }
    gst_caps_unref (caps);
  }
  (void) gst_emo_layout_is_valid (s);
  {
    gchar **names = g_strsplit (s, ",", 64);
    guint n = g_strv_length (names), k = 0;
    gchar **out = NULL;
    GstEvent *ev =
        gst_emo_event_new_feature_names ((const gchar * const *) names, n);
    if (!gst_emo_event_parse_feature_names (ev, &out, &k) || k != n)
      __builtin_trap ();
    g_strfreev (out);
    gst_event_unref (ev);
    g_strfreev (names);
  }
  gst_emo_frames_info_clear (&info);
  g_free (s);
  return 0;
}
