/* Every readable and writable property of every element of the emo plugin
 * keeps what is written to it: each gets a value other than the one a fresh
 * element reads, and after all are written each reads back exactly its own
 * value (a property stored in the wrong field is caught). Then the defaults
 * are written back and read back. */
#include <gst/check/gstcheck.h>

/* A valid value of `pspec` that differs from `cur`, or FALSE when the type is
 * not one this test knows how to vary. */
static gboolean
other_value (GParamSpec * pspec, const GValue * cur, GValue * out)
{
  GType t = G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (pspec));

  g_value_init (out, G_PARAM_SPEC_VALUE_TYPE (pspec));
  if (GST_IS_PARAM_SPEC_FRACTION (pspec)) {
    GstParamSpecFraction *p = GST_PARAM_SPEC_FRACTION (pspec);
    if (gst_value_get_fraction_numerator (cur) == p->max_num
        && gst_value_get_fraction_denominator (cur) == p->max_den)
      gst_value_set_fraction (out, p->min_num, p->min_den);
    else
      gst_value_set_fraction (out, p->max_num, p->max_den);
    return TRUE;
  }
  if (GST_IS_PARAM_SPEC_ARRAY_LIST (pspec)) {
    GValue v = G_VALUE_INIT;
    GParamSpec *elem = GST_PARAM_SPEC_ARRAY_LIST (pspec)->element_spec;
    /* two elements, each the element spec's maximum or minimum */
    if (!elem || gst_value_array_get_size (cur) == 2)
      return TRUE;
    if (!other_value (elem, g_param_spec_get_default_value (elem), &v)) {
      g_value_unset (out);
      return FALSE;
    }
    gst_value_array_append_value (out, &v);
    gst_value_array_append_value (out, &v);
    g_value_unset (&v);
    return TRUE;
  }
  switch (t) {
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (out, !g_value_get_boolean (cur));
      return TRUE;
    case G_TYPE_INT:{
      GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
      g_value_set_int (out, g_value_get_int (cur) == p->maximum ?
          p->minimum : p->maximum);
      return TRUE;
    }
    case G_TYPE_UINT:{
      GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
      g_value_set_uint (out, g_value_get_uint (cur) == p->maximum ?
          p->minimum : p->maximum);
      return TRUE;
    }
    case G_TYPE_UINT64:{
      GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
      /* the largest value may be rounded by the element (to the 10 ms
       * grid), the smallest is a legal grid point in every element */
      g_value_set_uint64 (out, g_value_get_uint64 (cur) == p->minimum ?
          p->maximum : p->minimum);
      return TRUE;
    }
    case G_TYPE_DOUBLE:{
      GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (pspec);
      g_value_set_double (out, g_value_get_double (cur) == p->maximum ?
          p->minimum : p->maximum);
      return TRUE;
    }
    case G_TYPE_ENUM:{
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      guint i;
      for (i = 0; i < klass->n_values; i++) {
        if (klass->values[i].value != g_value_get_enum (cur)) {
          g_value_set_enum (out, klass->values[i].value);
          return TRUE;
        }
      }
      return FALSE;
    }
    case G_TYPE_FLAGS:{
      GFlagsClass *klass = G_PARAM_SPEC_FLAGS (pspec)->flags_class;
      g_value_set_flags (out, g_value_get_flags (cur) == klass->mask ?
          0 : klass->mask);
      return TRUE;
    }
    case G_TYPE_STRING:
      g_value_set_string (out, "properties-test-value");
      return TRUE;
    default:
      g_value_unset (out);
      return FALSE;
  }
}

/* Only the element's own read-write properties (not name, parent, nor the
 * base class's). */
static gboolean
is_own_property (GParamSpec * pspec, GstElement * e)
{
  return pspec->owner_type == G_OBJECT_TYPE (e)
      && (pspec->flags & (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY))
      == G_PARAM_READWRITE;
}

static void
read_back (GstElement * e, GParamSpec * pspec, const GValue * want,
    const gchar * what)
{
  GValue got = G_VALUE_INIT;
  gchar *w, *g;

  g_value_init (&got, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (e), pspec->name, &got);
  w = g_strdup_value_contents (want);
  g = g_strdup_value_contents (&got);
  fail_unless (g_param_values_cmp (pspec, &got, want) == 0,
      "%s:%s: wrote %s %s, read back %s", GST_ELEMENT_NAME (e), pspec->name,
      what, w, g);
  g_free (w);
  g_free (g);
  g_value_unset (&got);
}

/* Writes every property first and reads them all back afterwards, so that a
 * property stored in another property's field shows up. */
static void
check_element (GstElementFactory * factory, guint * n_checked)
{
  GstElement *e = gst_element_factory_create (factory, NULL);
  GParamSpec **props;
  GValue *want, *def;
  guint i, n;

  fail_unless (e != NULL, "could not create %s", GST_OBJECT_NAME (factory));
  props = g_object_class_list_properties (G_OBJECT_GET_CLASS (e), &n);
  want = g_new0 (GValue, n);
  def = g_new0 (GValue, n);
  for (i = 0; i < n; i++) {
    GValue cur = G_VALUE_INIT;

    if (!is_own_property (props[i], e))
      continue;
    g_value_init (&cur, G_PARAM_SPEC_VALUE_TYPE (props[i]));
    g_object_get_property (G_OBJECT (e), props[i]->name, &cur);
    if (other_value (props[i], &cur, &want[i])) {
      fail_unless (g_param_values_cmp (props[i], &cur, &want[i]) != 0,
          "%s:%s: no other value to write", GST_OBJECT_NAME (factory),
          props[i]->name);
      g_object_set_property (G_OBJECT (e), props[i]->name, &want[i]);
    } else {
      GST_INFO ("%s:%s: type %s not varied", GST_OBJECT_NAME (factory),
          props[i]->name, g_type_name (G_PARAM_SPEC_VALUE_TYPE (props[i])));
    }
    g_value_unset (&cur);
  }
  for (i = 0; i < n; i++) {
    if (G_IS_VALUE (&want[i]))
      read_back (e, props[i], &want[i], "");
  }

  /* the defaults go back in (a NULL string may read back as the element's
   * documented fallback, so those are left out) */
  for (i = 0; i < n; i++) {
    if (!G_IS_VALUE (&want[i]))
      continue;
    g_value_init (&def[i], G_PARAM_SPEC_VALUE_TYPE (props[i]));
    g_param_value_set_default (props[i], &def[i]);
    g_object_set_property (G_OBJECT (e), props[i]->name, &def[i]);
  }
  for (i = 0; i < n; i++) {
    if (!G_IS_VALUE (&def[i]))
      continue;
    if (!(G_VALUE_HOLDS_STRING (&def[i])
            && g_value_get_string (&def[i]) == NULL))
      read_back (e, props[i], &def[i], "the default");
    g_value_unset (&def[i]);
    g_value_unset (&want[i]);
    (*n_checked)++;
  }
  g_free (want);
  g_free (def);
  g_free (props);
  gst_object_unref (e);
}

GST_START_TEST (test_property_round_trip)
{
  GList *features, *l;
  guint n_elements = 0, n_checked = 0;

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      "emo");
  for (l = features; l; l = l->next) {
    if (!GST_IS_ELEMENT_FACTORY (l->data))
      continue;
    check_element (GST_ELEMENT_FACTORY (l->data), &n_checked);
    n_elements++;
  }
  gst_plugin_feature_list_free (features);
  GST_INFO ("%u properties of %u elements checked", n_checked, n_elements);
  fail_unless (n_elements >= 7, "only %u elements", n_elements);
  /* every element has properties of its own; most are plain values */
  fail_unless (n_checked >= 3 * n_elements, "only %u properties checked",
      n_checked);
}

GST_END_TEST;

static Suite *
properties_suite (void)
{
  Suite *s = suite_create ("properties");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_property_round_trip);
  return s;
}

GST_CHECK_MAIN (properties);
