/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:gstemocaps
 * @title: Emotion frame caps
 * @short_description: caps and feature names of the emotion frame stream
 *
 * `application/x-emo-frames, dims=(int)N, rate=(fraction)10/1, layout=(string)NAME`:
 * one buffer per hop of N native-endian float32 values, PTS = start of the hop.
 * Frame k covers running time [k*hop, (k+1)*hop).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstemocaps.h"

/**
 * gst_emo_frames_info_init:
 * @info: (out caller-allocates): info to initialise
 *
 * Sets @info to no dimensions, no layout and the default rate (10 frames per
 * second, the 100 ms grid of AVEC/SEWA labels). @info must not hold a layout
 * (use gst_emo_frames_info_clear() on a used one).
 *
 * Since: 0.1
 */
void
gst_emo_frames_info_init (GstEmoFramesInfo * info)
{
  g_return_if_fail (info != NULL);
  memset (info, 0, sizeof (*info));
  info->rate_n = GST_EMO_FRAMES_DEFAULT_RATE_N;
  info->rate_d = GST_EMO_FRAMES_DEFAULT_RATE_D;
  info->hop =
      gst_util_uint64_scale_int (GST_SECOND, info->rate_d, info->rate_n);
}

/**
 * gst_emo_frames_info_clear:
 * @info: info to clear
 *
 * Frees the layout string of @info and initialises it again, as
 * gst_emo_frames_info_init().
 *
 * Since: 0.1
 */
void
gst_emo_frames_info_clear (GstEmoFramesInfo * info)
{
  g_return_if_fail (info != NULL);
  g_free (info->layout);
  gst_emo_frames_info_init (info);
}

/**
 * gst_emo_layout_is_valid:
 * @layout: a layout name
 *
 * Layout names are non-empty, at most 1024 characters of `[A-Za-z0-9_.+-]`
 * (`+` joins the layouts of a concatenation).
 *
 * Returns: whether @layout is a valid layout name
 *
 * Since: 0.1
 */
gboolean
gst_emo_layout_is_valid (const gchar * layout)
{
  const gchar *p;

  if (!layout || !*layout || strlen (layout) > 1024)
    return FALSE;
  for (p = layout; *p; p++) {
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.'
            || *p == '+'))
      return FALSE;
  }
  return TRUE;
}

/**
 * gst_emo_frames_info_set:
 * @info: info to fill
 * @dims: values per frame, 1 to %GST_EMO_FRAMES_MAX_DIMS
 * @rate_n: frame rate numerator, positive
 * @rate_d: frame rate denominator, positive
 * @layout: a valid layout name (gst_emo_layout_is_valid())
 *
 * Fills @info and computes its hop. On invalid arguments @info is left
 * unchanged.
 *
 * Returns: %TRUE when every argument was valid
 *
 * Since: 0.1
 */
gboolean
gst_emo_frames_info_set (GstEmoFramesInfo * info, guint dims, gint rate_n,
    gint rate_d, const gchar * layout)
{
  g_return_val_if_fail (info != NULL, FALSE);
  if (dims < 1 || dims > GST_EMO_FRAMES_MAX_DIMS)
    return FALSE;
  if (rate_n <= 0 || rate_d <= 0)
    return FALSE;
  if (!gst_emo_layout_is_valid (layout))
    return FALSE;
  g_free (info->layout);
  info->dims = dims;
  info->rate_n = rate_n;
  info->rate_d = rate_d;
  info->layout = g_strdup (layout);
  info->hop = gst_util_uint64_scale_int (GST_SECOND, rate_d, rate_n);
  return TRUE;
}

/**
 * gst_emo_frames_info_from_caps:
 * @info: (out caller-allocates): info to fill
 * @caps: fixed emotion frame caps
 *
 * Returns: %TRUE if @caps are valid fixed emotion frame caps
 *
 * Since: 0.1
 */
gboolean
gst_emo_frames_info_from_caps (GstEmoFramesInfo * info, const GstCaps * caps)
{
  const GstStructure *s;
  gint dims, rn, rd;
  const gchar *layout;

  g_return_val_if_fail (info != NULL, FALSE);
  if (!caps || gst_caps_get_size (caps) != 1 || !gst_caps_is_fixed (caps))
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_has_name (s, GST_EMO_FRAMES_MEDIA_TYPE))
    return FALSE;
  if (!gst_structure_get_int (s, "dims", &dims))
    return FALSE;
  if (!gst_structure_get_fraction (s, "rate", &rn, &rd))
    return FALSE;
  layout = gst_structure_get_string (s, "layout");
  if (dims < 1)
    return FALSE;
  return gst_emo_frames_info_set (info, (guint) dims, rn, rd, layout);
}

/**
 * gst_emo_frames_info_to_caps:
 * @info: a filled info
 *
 * Returns: (transfer full): fixed caps describing @info
 *
 * Since: 0.1
 */
GstCaps *
gst_emo_frames_info_to_caps (const GstEmoFramesInfo * info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return gst_emo_frames_caps_new (info->dims, info->rate_n, info->rate_d,
      info->layout);
}

/**
 * gst_emo_frames_info_is_equal:
 * @a: an info
 * @b: another info
 *
 * Returns: whether @a and @b describe the same stream: equal dimensions,
 * equal rates (as fractions) and the same layout name
 *
 * Since: 0.1
 */
gboolean
gst_emo_frames_info_is_equal (const GstEmoFramesInfo * a,
    const GstEmoFramesInfo * b)
{
  return a->dims == b->dims
      && a->rate_n * (gint64) b->rate_d == b->rate_n * (gint64) a->rate_d
      && g_strcmp0 (a->layout, b->layout) == 0;
}

/**
 * gst_emo_frames_caps_new:
 * @dims: values per frame
 * @rate_n: frame rate numerator
 * @rate_d: frame rate denominator
 * @layout: layout name
 *
 * Returns: (transfer full): fixed emotion frame caps
 *
 * Since: 0.1
 */
GstCaps *
gst_emo_frames_caps_new (guint dims, gint rate_n, gint rate_d,
    const gchar * layout)
{
  return gst_caps_new_simple (GST_EMO_FRAMES_MEDIA_TYPE,
      "dims", G_TYPE_INT, (gint) dims,
      "rate", GST_TYPE_FRACTION, rate_n, rate_d,
      "layout", G_TYPE_STRING, layout ? layout : "unknown", NULL);
}

/**
 * gst_emo_frames_time_to_index:
 * @info: stream info
 * @t: a running time
 *
 * Returns: index k of the hop containing @t (floor(t / hop))
 *
 * Since: 0.1
 */
guint64
gst_emo_frames_time_to_index (const GstEmoFramesInfo * info, GstClockTime t)
{
  g_return_val_if_fail (info != NULL && info->rate_d > 0, 0);
  if (!GST_CLOCK_TIME_IS_VALID (t))
    return 0;
  return gst_util_uint64_scale (t, info->rate_n,
      (guint64) info->rate_d * GST_SECOND);
}

/**
 * gst_emo_frames_index_to_time:
 * @info: stream info
 * @k: a frame index
 *
 * Returns: start of frame @k, k * hop computed without drift
 *
 * Since: 0.1
 */
GstClockTime
gst_emo_frames_index_to_time (const GstEmoFramesInfo * info, guint64 k)
{
  g_return_val_if_fail (info != NULL && info->rate_n > 0, 0);
  return gst_util_uint64_scale (k, (guint64) info->rate_d * GST_SECOND,
      info->rate_n);
}

/**
 * gst_emo_event_new_feature_names:
 * @names: (array length=n_names): feature names
 * @n_names: number of names
 *
 * Returns: (transfer full): a sticky custom downstream event
 *
 * Since: 0.1
 */
GstEvent *
gst_emo_event_new_feature_names (const gchar * const *names, guint n_names)
{
  GstStructure *s;
  GValue arr = G_VALUE_INIT;
  guint i;

  g_value_init (&arr, GST_TYPE_ARRAY);
  for (i = 0; i < n_names; i++) {
    GValue v = G_VALUE_INIT;
    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, names[i] ? names[i] : "");
    gst_value_array_append_and_take_value (&arr, &v);
  }
  s = gst_structure_new_empty (GST_EMO_FEATURE_NAMES_EVENT_NAME);
  gst_structure_take_value (s, "names", &arr);
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM_STICKY, s);
}

/**
 * gst_emo_event_is_feature_names:
 * @event: (nullable): an event
 *
 * Returns: whether @event is the sticky feature-names event made by
 * gst_emo_event_new_feature_names()
 *
 * Since: 0.1
 */
gboolean
gst_emo_event_is_feature_names (GstEvent * event)
{
  return event && GST_EVENT_TYPE (event) == GST_EVENT_CUSTOM_DOWNSTREAM_STICKY
      && gst_event_has_name (event, GST_EMO_FEATURE_NAMES_EVENT_NAME);
}

/**
 * gst_emo_event_parse_feature_names:
 * @event: a feature names event
 * @names: (out) (array length=n_names) (transfer full): the names
 * @n_names: (out): number of names
 *
 * Returns: %TRUE if @event is a feature names event
 *
 * Since: 0.1
 */
gboolean
gst_emo_event_parse_feature_names (GstEvent * event, gchar *** names,
    guint * n_names)
{
  const GstStructure *s;
  const GValue *arr;
  guint i, n;
  gchar **out;

  if (!gst_emo_event_is_feature_names (event))
    return FALSE;
  s = gst_event_get_structure (event);
  arr = gst_structure_get_value (s, "names");
  if (!arr || !GST_VALUE_HOLDS_ARRAY (arr))
    return FALSE;
  n = gst_value_array_get_size (arr);
  out = g_new0 (gchar *, n + 1);
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (arr, i);
    out[i] = g_strdup (G_VALUE_HOLDS_STRING (v) ? g_value_get_string (v) : "");
  }
  if (names)
    *names = out;
  else
    g_strfreev (out);
  if (n_names)
    *n_names = n;
  return TRUE;
}

/**
 * gst_emo_feature_names_default:
 * @prefix: a prefix
 * @n: count
 *
 * Returns: (transfer full): names `prefix0` .. `prefix(n-1)`
 *
 * Since: 0.1
 */
gchar **
gst_emo_feature_names_default (const gchar * prefix, guint n)
{
  gchar **out = g_new0 (gchar *, n + 1);
  guint i;

  for (i = 0; i < n; i++)
    out[i] = g_strdup_printf ("%s%u", prefix, i);
  return out;
}
