/* Unit tests for the output contract: same-file guard (names, symlinks, hard
 * links), temporary + rename, and the completeness record's round trip and
 * currency check. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emo-output.h"

static gchar *dir;

static gchar *
write_file (const gchar * name, const gchar * text)
{
  gchar *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, text, -1, NULL));
  return p;
}

static void
test_same_file (void)
{
  gchar *in = write_file ("in.csv", "a\n");
  gchar *other = write_file ("other.csv", "b\n");
  gchar *dotted = g_build_filename (dir, ".", "in.csv", NULL);
  gchar *sym = g_build_filename (dir, "link.csv", NULL);
  gchar *hard = g_build_filename (dir, "hard.csv", NULL);
  gchar *fresh = g_build_filename (dir, "new.csv", NULL);
  const gchar *inputs[] = { in, NULL };
  GError *err = NULL;

  g_assert_cmpint (symlink (in, sym), ==, 0);
  g_assert_cmpint (link (in, hard), ==, 0);
  {
    const gchar *o1[] = { in, NULL }, *o2[] = { dotted, NULL },
        *o3[] = { sym, NULL }, *o4[] = { hard, NULL }, *o5[] = { fresh,
      other, NULL
    };
    const gchar **bad[] = { o1, o2, o3, o4 };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
      g_assert_false (emo_output_refuse_inputs (bad[i], inputs, &err));
      g_assert_error (err, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_SAME_FILE);
      /* the message names both files */
      g_assert_nonnull (strstr (err->message, bad[i][0]));
      g_assert_nonnull (strstr (err->message, in));
      g_clear_error (&err);
    }
    /* a new name, or another existing file beside the input, is fine */
    g_assert_true (emo_output_refuse_inputs (o5, inputs, &err));
    g_assert_no_error (err);
  }
  g_free (in);
  g_free (other);
  g_free (dotted);
  g_free (sym);
  g_free (hard);
  g_free (fresh);
}

static guint
count_partials (void)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *n;
  guint k = 0;

  while ((n = g_dir_read_name (d)))
    if (strstr (n, ".partial-"))
      k++;
  g_dir_close (d);
  return k;
}

static void
test_temp_rename (void)
{
  gchar *target = write_file ("out.csv", "old\n");
  gchar *text = NULL;
  EmoOutput *o;
  GError *err = NULL;
  GStatBuf st;
  mode_t mask = umask (022);

  o = emo_output_new (target, &err);
  g_assert_no_error (err);
  {
    gchar *base = g_path_get_basename (emo_output_temp_path (o));
    g_assert_true (g_str_has_prefix (base, ".out.csv.partial-"));
    g_free (base);
  }
  g_assert_true (g_file_set_contents (emo_output_temp_path (o), "new\n", -1,
          NULL));
  /* until the commit, the target is untouched */
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "old\n");
  g_free (text);
  g_assert_true (emo_output_commit (o, &err));
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "new\n");
  g_free (text);
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_cmpuint (count_partials (), ==, 0);

  /* discard leaves the target as it was and no temporary */
  o = emo_output_new (target, &err);
  g_assert_true (g_file_set_contents (emo_output_temp_path (o), "half", -1,
          NULL));
  emo_output_discard (o);
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "new\n");
  g_free (text);
  g_assert_cmpuint (count_partials (), ==, 0);

  /* a folder that does not exist: an error naming the target */
  {
    gchar *bad = g_build_filename (dir, "no", "such", "x.csv", NULL);
    g_assert_null (emo_output_new (bad, &err));
    g_assert_error (err, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_IO);
    g_assert_nonnull (strstr (err->message, bad));
    g_clear_error (&err);
    g_free (bad);
  }
  umask (mask);
  g_free (target);
}

static EmoRecord *
make_record (const gchar * in, const gchar * model, const gchar * out)
{
  EmoRecord *r = emo_record_new ("predict");

  emo_record_add_input (r, in);
  emo_record_add_model (r, model);
  if (out)
    emo_record_add_output (r, out);
  emo_record_set_option (r, "normalise", "auto");
  emo_record_set_option (r, "signal-time", "false");
  return r;
}

static void
test_record (void)
{
  gchar *in = write_file ("feat.csv", "name;timestamp;x\n'a';0;1\n");
  gchar *model = write_file ("m.emo", "model-bytes");
  gchar *out = write_file ("pred.csv", "name;timestamp;arousal\n");
  gchar *rpath = emo_record_path_for (out);
  gchar *why = NULL, *json = NULL;
  EmoRecord *r, *back, *want;
  GError *err = NULL;

  g_assert_true (g_str_has_suffix (rpath, "pred.csv.emo-record.json"));
  r = make_record (in, model, out);
  emo_record_set_frames (r, 42);
  g_assert_true (emo_record_write (r, rpath, TRUE, &err));
  g_assert_no_error (err);
  g_assert_true (g_file_get_contents (rpath, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"record\" : \"emo-record/1\""));
  g_assert_nonnull (strstr (json, "\"status\" : \"complete\""));
  {
    /* SHA-256 of "model-bytes" */
    gchar *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
        "model-bytes", -1);
    g_assert_nonnull (strstr (json, sha));
    g_free (sha);
  }
  g_free (json);

  back = emo_record_read (rpath, &err);
  g_assert_no_error (err);
  g_assert_cmpstr (emo_record_get_command (back), ==, "predict");
  g_assert_cmpstr (emo_record_get_status (back), ==, "complete");
  g_assert_cmpuint (emo_record_get_frames (back), ==, 42);

  /* unchanged: current */
  want = make_record (in, model, NULL);
  g_assert_true (emo_record_is_current (back, want, &why));
  g_assert_null (why);
  emo_record_free (want);

  /* another option value: redo */
  want = make_record (in, model, NULL);
  emo_record_set_option (want, "normalise", "stream");
  g_assert_false (emo_record_is_current (back, want, &why));
  g_assert_nonnull (strstr (why, "normalise"));
  g_clear_pointer (&why, g_free);
  emo_record_free (want);

  /* a changed model (same size, other bytes): redo */
  g_assert_true (g_file_set_contents (model, "MODEL-bytes", -1, NULL));
  want = make_record (in, model, NULL);
  g_assert_false (emo_record_is_current (back, want, &why));
  g_assert_nonnull (strstr (why, "m.emo"));
  g_clear_pointer (&why, g_free);
  emo_record_free (want);
  g_assert_true (g_file_set_contents (model, "model-bytes", -1, NULL));

  /* a changed input (size): redo */
  g_assert_true (g_file_set_contents (in, "name;timestamp;x\n", -1, NULL));
  want = make_record (in, model, NULL);
  g_assert_false (emo_record_is_current (back, want, &why));
  g_assert_nonnull (strstr (why, "feat.csv"));
  g_clear_pointer (&why, g_free);
  emo_record_free (want);
  g_assert_true (g_file_set_contents (in, "name;timestamp;x\n'a';0;1\n", -1,
          NULL));

  /* a truncated output: redo */
  g_assert_true (g_file_set_contents (out, "name", -1, NULL));
  emo_record_free (back);
  back = emo_record_read (rpath, &err);
  want = make_record (in, model, NULL);
  g_assert_false (emo_record_is_current (back, want, &why));
  g_assert_nonnull (strstr (why, "pred.csv"));
  g_clear_pointer (&why, g_free);
  emo_record_free (want);
  emo_record_free (back);

  /* a partial record is never current */
  g_assert_true (emo_record_write (r, rpath, FALSE, &err));
  back = emo_record_read (rpath, &err);
  g_assert_cmpstr (emo_record_get_status (back), ==, "partial");
  want = make_record (in, model, NULL);
  g_assert_false (emo_record_is_current (back, want, NULL));
  emo_record_free (want);
  emo_record_free (back);
  emo_record_free (r);

  /* not a record */
  g_assert_true (g_file_set_contents (rpath, "{\"record\": \"x\"}", -1, NULL));
  g_assert_null (emo_record_read (rpath, &err));
  g_assert_error (err, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_FORMAT);
  g_clear_error (&err);
  g_assert_true (g_file_set_contents (rpath, "{", -1, NULL));
  g_assert_null (emo_record_read (rpath, &err));
  g_clear_error (&err);
  g_assert_cmpuint (count_partials (), ==, 0);

  g_free (in);
  g_free (model);
  g_free (out);
  g_free (rpath);
}

/* The batch's resume check: a record written under a batch key carries it;
 * wanted_again reproduces the recorded request, so the record is current
 * until an input or a model changes; the digest cache is filled once. */
static void
test_batch_again (void)
{
  gchar *in = write_file ("b-in.wav", "RIFF");
  gchar *model = write_file ("b-model.emo", "model one");
  gchar *out = write_file ("b-out.csv", "x;y\n");
  gchar *rp = g_build_filename (dir, "b-out.csv.emo-record.json", NULL);
  GHashTable *digests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  EmoRecord *r, *rec, *want;
  GError *err = NULL;
  gchar *why = NULL;

  g_setenv (EMO_RECORD_BATCH_ENV, "extract --hop 0.1", TRUE);
  r = emo_record_new ("extract");
  g_unsetenv (EMO_RECORD_BATCH_ENV);
  emo_record_add_input (r, in);
  emo_record_add_model (r, model);
  emo_record_set_option (r, "hop", "0.1");
  emo_record_add_output (r, out);
  g_assert_true (emo_record_write (r, rp, TRUE, &err));
  g_assert_no_error (err);
  emo_record_free (r);

  rec = emo_record_read (rp, &err);
  g_assert_no_error (err);
  g_assert_cmpstr (emo_record_get_option (rec, "batch"), ==,
      "extract --hop 0.1");
  g_assert_true (emo_record_has_input (rec, in));
  g_assert_false (emo_record_has_input (rec, model));
  want = emo_record_wanted_again (rec, digests);
  g_assert_true (emo_record_is_current (rec, want, &why));
  g_assert_null (why);
  g_assert_cmpuint (g_hash_table_size (digests), ==, 1);
  emo_record_free (want);
  /* a retrained model (same size): the cache would hide it within one
   * batch, a new batch (empty cache) sees it */
  g_assert_true (g_file_set_contents (model, "model two", -1, NULL));
  want = emo_record_wanted_again (rec, NULL);
  g_assert_false (emo_record_is_current (rec, want, &why));
  g_assert_nonnull (strstr (why, "model"));
  g_clear_pointer (&why, g_free);
  emo_record_free (want);
  emo_record_free (rec);
  g_hash_table_destroy (digests);
  g_free (in);
  g_free (model);
  g_free (out);
  g_free (rp);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("emo-output-XXXXXX", NULL);
  g_test_add_func ("/output/same-file", test_same_file);
  g_test_add_func ("/output/temp-rename", test_temp_rename);
  g_test_add_func ("/output/record", test_record);
  g_test_add_func ("/output/batch-again", test_batch_again);
  ret = g_test_run ();
  {
    gchar *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      ret = 1;
    g_free (cmd);
  }
  g_free (dir);
  return ret;
}
