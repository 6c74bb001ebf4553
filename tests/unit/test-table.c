/* Unit tests: AVEC CSV and ARFF readers, writers and their error messages. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "io/emo-table.h"

static EmoTable *
parse (const gchar * s, GError ** e)
{
  return emo_table_parse_csv (s, strlen (s), "t.csv", e);
}

static void
test_avec_semicolon (void)
{
  GError *e = NULL;
  EmoTable *t = parse ("name;timestamp;arousal;valence;liking\n"
      "'Devel_DE_01';0.000000;0.1;0.2;0.3\n'Devel_DE_01';0.100000;-0.1;-0.2;1e-3\n",
      &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->name, ==, "Devel_DE_01");
  g_assert_cmpuint (t->n_rows, ==, 2);
  g_assert_cmpuint (t->n_cols, ==, 3);
  g_assert_cmpstr (t->col_names[1], ==, "valence");
  g_assert_cmpfloat_with_epsilon (t->timestamps[1], 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (t->data[5], 1e-3, 1e-9);
  g_assert_cmpint (emo_table_find_column (t, "liking"), ==, 2);
  g_assert_cmpint (emo_table_find_column (t, "nope"), ==, -1);
  emo_table_free (t);
}

static void
test_comma_noheader_quotes (void)
{
  GError *e = NULL;
  EmoTable *t = parse ("\"a b\",0.0,1,2\r\n\"a b\",0.1,3,4\r\n\r\n", &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->name, ==, "a b");
  g_assert_cmpuint (t->n_cols, ==, 2);
  g_assert_cmpstr (t->col_names[0], ==, "v0");
  g_assert_cmpfloat (t->data[3], ==, 4);
  emo_table_free (t);
  /* no name column: the base name of the origin is the name */
  t = parse ("0.0;5\n0.1;6\n", &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->name, ==, "t");
  g_assert_cmpuint (t->n_cols, ==, 1);
  emo_table_free (t);
}

static void
test_errors (void)
{
  GError *e = NULL;
  EmoTable *t;

  t = parse ("name;timestamp;a\n'x';0;1\n'x';0.1;1;2\n", &e);
  g_assert_null (t);
  g_assert_error (e, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT);
  g_assert_nonnull (strstr (e->message, "t.csv:3"));
  g_clear_error (&e);

  t = parse ("name;timestamp;a\n'x';0;1\n'x';0.1;abc\n", &e);
  g_assert_null (t);
  g_assert_error (e, EMO_IO_ERROR, EMO_IO_ERROR_NUMBER);
  g_assert_nonnull (strstr (e->message, "t.csv:3"));
  g_assert_nonnull (strstr (e->message, "abc"));
  g_clear_error (&e);

  t = parse ("name;timestamp;a\n", &e);
  g_assert_null (t);
  g_assert_error (e, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY);
  g_clear_error (&e);

  t = parse ("", &e);
  g_assert_null (t);
  g_clear_error (&e);

  t = emo_table_read_csv ("/nonexistent/x.csv", &e);
  g_assert_null (t);
  g_assert_error (e, EMO_IO_ERROR, EMO_IO_ERROR_OPEN);
  g_clear_error (&e);
}

static void
test_arff (void)
{
  const gchar *s = "@relation 'test'\n\n@attribute name string\n"
      "@attribute frameTime numeric\n@attribute F0_mean numeric\n"
      "@attribute 'loud ness' real\n@attribute class {a,b}\n\n@data\n\n"
      "'seq1',0.0,100.5,0.25,a\n'seq1',0.1,?,0.5,b\n";
  GError *e = NULL;
  EmoTable *t = emo_table_parse_arff (s, strlen (s), "x.arff", &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->name, ==, "seq1");
  g_assert_cmpuint (t->n_cols, ==, 2);
  g_assert_cmpuint (t->n_rows, ==, 2);
  g_assert_cmpstr (t->col_names[1], ==, "loud ness");
  g_assert_cmpfloat_with_epsilon (t->timestamps[1], 0.1, 1e-12);
  g_assert_true (isnan (t->data[2]));
  emo_table_free (t);

  t = emo_table_parse_arff ("@data\n1,2\n", 11, "y.arff", &e);
  g_assert_null (t);
  g_assert_nonnull (strstr (e->message, "y.arff:1"));
  g_clear_error (&e);
}

static void
test_roundtrip (void)
{
  gchar *dir = g_dir_make_tmp ("emo-table-XXXXXX", NULL);
  gchar *p1 = g_build_filename (dir, "b.csv", NULL);
  gchar *p2 = g_build_filename (dir, "a.arff", NULL);
  EmoTable *t = emo_table_new ("seq", 3, 2), *u;
  GPtrArray *all;
  GError *e = NULL;
  guint i;

  for (i = 0; i < 6; i++)
    t->data[i] = i * 0.123456789f;
  for (i = 0; i < 3; i++)
    t->timestamps[i] = i * 0.1;
  g_assert_true (emo_table_write_csv (t, p1, &e));
  g_assert_true (emo_table_write_arff (t, p2, &e));
  u = emo_table_read (p1, &e);
  g_assert_no_error (e);
  for (i = 0; i < 6; i++)
    g_assert_cmpfloat (u->data[i], ==, t->data[i]);
  emo_table_free (u);
  all = emo_table_read_dir (dir, &e);
  g_assert_no_error (e);
  g_assert_cmpuint (all->len, ==, 2);
  /* sorted by file name: a.arff first */
  g_assert_true (g_str_has_suffix (((EmoTable *) all->pdata[0])->path,
          "a.arff"));
  for (i = 0; i < 6; i++)
    g_assert_cmpfloat (((EmoTable *) all->pdata[0])->data[i], ==, t->data[i]);
  g_ptr_array_unref (all);
  emo_table_free (t);
  g_unlink (p1);
  g_unlink (p2);
  g_rmdir (dir);
  all = emo_table_read_dir (dir, &e);
  g_assert_null (all);
  g_clear_error (&e);
  g_free (p1);
  g_free (p2);
  g_free (dir);
}

/* Refused with an error whose message contains every one of `parts`. */
static void
assert_refused (const gchar * csv, const gchar * const *parts)
{
  GError *e = NULL;
  EmoTable *t = parse (csv, &e);
  guint i;

  g_assert_null (t);
  g_assert_nonnull (e);
  for (i = 0; parts[i]; i++)
    if (!strstr (e->message, parts[i]))
      g_error ("\"%s\" not in \"%s\"", parts[i], e->message);
  g_error_free (e);
}

/* Careless input as spreadsheets and pandas write it, and times a reader
 * must refuse rather than turn into wrong frames or undefined casts. */
static void
test_timestamps (void)
{
  GError *e = NULL;
  EmoTable *t;
  GString *ms = g_string_new ("name;timestamp;a\n");
  guint i;

  /* numeric session names (pandas): the header says which column is time */
  t = parse ("name;timestamp;a;b\n7;0.0;1;2\n7;0.1;3;4\n7;0.2;5;6\n", &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->name, ==, "7");
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (t->n_cols, ==, 2);
  g_assert_cmpfloat (t->timestamps[2], ==, 0.2);
  g_assert_cmpfloat (t->data[5], ==, 6);
  g_assert_cmpuint (t->lines[2], ==, 4);
  emo_table_free (t);
  /* a header with the time column first: no name column */
  t = parse ("frameTime,a\n0.0,1\n0.1,2\n", &e);
  g_assert_no_error (e);
  g_assert_cmpuint (t->n_cols, ==, 1);
  g_assert_cmpstr (t->col_names[0], ==, "a");
  emo_table_free (t);
  /* UTF-8 byte order mark */
  t = parse ("\xef\xbb\xbfname;timestamp;arousal\n'x';0.0;0.5\n", &e);
  g_assert_no_error (e);
  g_assert_cmpstr (t->col_names[0], ==, "arousal");
  g_assert_cmpstr (t->name, ==, "x");
  emo_table_free (t);

  /* backwards, repeated, absurd and non-finite times */
  assert_refused ("name;timestamp;a\nx;0.0;1\nx;0.2;1\nx;0.1;1\n",
      (const gchar *[]) {
        "t.csv:4:", "before", "line 3", NULL
      });
  assert_refused ("name;timestamp;a\nx;0.0;1\nx;0.0;1\n", (const gchar *[]) {
        "t.csv:3:", "the same as", NULL
      });
  assert_refused ("name;timestamp;a\nx;1e12;1\n", (const gchar *[]) {
        "t.csv:2:", "1e+12", NULL
      });
  assert_refused ("name;timestamp;a\nx;0;1\nx;1e300;1\n", (const gchar *[]) {
        "t.csv:3:", NULL
      });
  assert_refused ("x;nan;1\n", (const gchar *[]) {
        "t.csv:1:", NULL
      });
  assert_refused ("x;-inf;1\n", (const gchar *[]) {
        "t.csv:1:", NULL
      });

  /* the grid of a consumer: holes are fine */
  t = parse ("x;0.0;1\nx;0.1;1\nx;0.2;1\nx;5.0;1\nx;5.1;1\nx;5.2005;1\n", &e);
  g_assert_no_error (e);
  g_assert_true (emo_table_check_grid (t, 0.1, &e));
  g_assert_no_error (e);
  emo_table_free (t);
  /* more than 1 ms off the grid */
  t = parse ("x;0.0;1\nx;0.1;1\nx;0.2025;1\n", &e);
  g_assert_false (emo_table_check_grid (t, 0.1, &e));
  g_assert_nonnull (strstr (e->message, "t.csv:3:"));
  g_assert_nonnull (strstr (e->message, "2.5 ms off"));
  g_clear_error (&e);
  emo_table_free (t);
  /* two rows in one frame */
  t = parse ("x;0.0;1\nx;0.1;1\nx;0.1008;1\n", &e);
  g_assert_false (emo_table_check_grid (t, 0.1, &e));
  g_assert_nonnull (strstr (e->message, "same"));
  g_clear_error (&e);
  emo_table_free (t);
  /* milliseconds: 30 rows would be 29,001 frames, mostly GAP */
  for (i = 0; i < 30; i++)
    g_string_append_printf (ms, "x;%u;1\n", i * 100);
  t = parse (ms->str, &e);
  g_assert_no_error (e);
  g_assert_false (emo_table_check_grid (t, 0.1, &e));
  g_assert_nonnull (strstr (e->message, "milliseconds"));
  g_clear_error (&e);
  emo_table_free (t);
  g_string_free (ms, TRUE);

  /* ARFF times too */
  {
    const gchar *arff = "@relation r\n@attribute frameTime numeric\n"
        "@attribute a numeric\n@data\n0.1,1\n0.0,2\n";
    t = emo_table_parse_arff (arff, strlen (arff), "t.arff", &e);
  }
  g_assert_null (t);
  g_assert_nonnull (strstr (e->message, "t.arff:6:"));
  g_assert_nonnull (strstr (e->message, "before"));
  g_clear_error (&e);
}

/* The one writer: the text emo_table_write_csv/arff, emoexport and emo
 * extract wrote before they shared it, byte for byte. */
static void
test_writer (void)
{
  EmoTable *t = emo_table_new ("S 1", 2, 2);
  const gchar *cols[] = { "a", "b" };
  gfloat row[3] = { 0.1f, NAN, 1e-7f };
  gchar *csv, *path, *arff;
  GString *s = g_string_new (NULL);
  GError *e = NULL;

  g_free (t->col_names[0]);
  t->col_names[0] = g_strdup ("arousal");
  t->timestamps[1] = 0.1;
  t->data[0] = 0.25f;
  t->data[1] = -1.5f;
  t->data[2] = 1.0f / 3.0f;
  t->data[3] = 123456.789f;
  csv = emo_table_to_csv_string (t);
  g_assert_cmpstr (csv, ==, "name;timestamp;arousal;v1\n"
      "'S 1';0.000000;0.25;-1.5\n" "'S 1';0.100000;0.333333343;123456.789\n");
  path = g_build_filename (g_get_tmp_dir (), "emo-writer-test.arff", NULL);
  g_assert_true (emo_table_write_arff (t, path, &e));
  g_assert_true (g_file_get_contents (path, &arff, NULL, NULL));
  g_assert_cmpstr (arff, ==, "@relation 'S 1'\n\n@attribute name string\n"
      "@attribute frameTime numeric\n@attribute arousal numeric\n"
      "@attribute v1 numeric\n\n@data\n\n"
      "'S 1',0.000000,0.25,-1.5\n'S 1',0.100000,0.333333343,123456.789\n");
  g_unlink (path);

  /* streaming, emoexport's way: its precision, non-finite as "nan" */
  emo_table_append_header (s, EMO_TABLE_FORMAT_CSV, NULL, cols, 2);
  emo_table_append_row (s, EMO_TABLE_FORMAT_CSV, "emo", 12.5, row, 3, 3, "nan");
  g_assert_cmpstr (s->str, ==, "name;timestamp;a;b\n"
      "'emo';12.500000;0.1;nan;1e-07\n");
  g_string_free (s, TRUE);
  g_free (csv);
  g_free (arff);
  g_free (path);
  emo_table_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/table/avec-semicolon", test_avec_semicolon);
  g_test_add_func ("/table/comma-noheader-quotes", test_comma_noheader_quotes);
  g_test_add_func ("/table/errors", test_errors);
  g_test_add_func ("/table/arff", test_arff);
  g_test_add_func ("/table/roundtrip", test_roundtrip);
  g_test_add_func ("/table/timestamps", test_timestamps);
  g_test_add_func ("/table/writer", test_writer);
  return g_test_run ();
}
