/* gst-emo: batch runs of emo extract / predict / annotate over a corpus.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each input runs in its own worker process (this same program, the same
 * command, one input): a crash or a hang on one corrupt file cannot take the
 * batch down, memory stays per file, and the single-file command is the only
 * implementation of what a file gets. The parent lists the inputs, keeps N
 * workers busy, shows one progress display, writes a JSON-lines summary and
 * reports every failure at the end.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "emo-batch.h"
#include "emo-commands.h"
#include "emo-output.h"
#include "io/emo-table.h"

const gchar *const emo_batch_media_extensions[] = {
  ".mp4", ".mkv", ".webm", ".mov", ".avi", ".wav", ".flac", ".ogg", ".oga",
  ".opus", ".mp3", ".m4a", ".aac", NULL
};

const gchar *const emo_batch_table_extensions[] = { ".csv", ".arff", NULL };

static const gchar *const attr_names[3] = { "arousal", "valence", "liking" };

/* Batch options: only their names and argument kinds are used here (the
 * values are taken while splitting argv); the group shows them in --help. */
static gint dummy_int;
static gchar *dummy_str;
static gchar **dummy_strv;
static gboolean dummy_bool;
static const GOptionEntry batch_entries[] = {
  {"jobs", 'j', 0, G_OPTION_ARG_INT, &dummy_int,
      "Batch: worker processes (default: the number of cores)", "N"},
  {"shard", 0, 0, G_OPTION_ARG_STRING, &dummy_str,
        "Batch: only the inputs of shard I of N (stable: hash of the path relative to the corpus root)",
      "I/N"},
  {"manifest", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dummy_strv,
        "Batch: file listing one input path per line (- for standard input)",
      "FILE"},
  {"root", 0, 0, G_OPTION_ARG_FILENAME, &dummy_str,
        "Batch: corpus root; outputs mirror input paths relative to it (default: each folder argument, else the current folder)",
      "DIR"},
  {"summary", 0, 0, G_OPTION_ARG_FILENAME, &dummy_str,
        "Batch: JSON-lines summary (default OUT/emo-batch.jsonl, or OUT/emo-batch.shard-I-of-N.jsonl)",
      "FILE"},
  {"formats", 0, 0, G_OPTION_ARG_STRING, &dummy_str,
        "Batch annotate: outputs per input among mp4, mkv, webm, csv, vtt, json, png (default mp4,csv)",
      "LIST"},
  {"force", 0, 0, G_OPTION_ARG_NONE, &dummy_bool,
      "Batch: redo inputs whose outputs are complete and current", NULL},
  {NULL}
};

typedef struct
{
  gint jobs;
  guint shard_i, shard_n;
  GPtrArray *manifests;
  gchar *root, *summary, *formats, *out;
  gboolean force, any;
} BatchOpts;

typedef struct _Batch Batch;

typedef struct
{
  Batch *b;
  gchar *path;                  /* as the worker gets it */
  gchar *rel;                   /* relative to the corpus root */
  gchar *stem;                  /* rel without its extension */
  GPtrArray *outputs;           /* planned output paths, primary first */
  GPid pid;
  gint64 t0;
  gdouble seconds, duration;
  gdouble mean[3];
  gboolean has_mean[3];
  gboolean signalled;
  const gchar *status;          /* done, current, failed, interrupted */
  gchar *reason, *log;
  gchar *redo;                  /* why a previous result was not kept */
} Job;

struct _Batch
{
  const EmoBatchCommand *c;
  BatchOpts o;
  GPtrArray *fwd;               /* options forwarded to every worker */
  GPtrArray *pos;               /* positional arguments */
  GPtrArray *opt_in;            /* input folders given by the command's input option */
  GPtrArray *jobs;              /* Job *, this shard's inputs in rel order */
  guint n_listed, next, running, n_done, n_failed, n_current, n_interrupted;
  gdouble media_s;
  gint64 t0;
  GMainLoop *loop;
  guint n_signals;
  gboolean tty;
  gint64 last_draw;
  FILE *summary;
  gchar *summary_path;
  gchar **envp;
  gchar *exe;
  gchar *key;                   /* what the workers are asked: recorded, compared on resume */
  GHashTable *digests;          /* model path -> SHA-256, for the resume checks */
  struct stat out_st;
  gboolean out_st_valid;
};

/* ---- small pieces (pure) --------------------------------------------------- */

guint
emo_batch_shard_of (const gchar * rel_path, guint n)
{
  guint64 h = 14695981039346656037ULL;
  const guchar *p;

  for (p = (const guchar *) rel_path; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL;
  }
  return n ? (guint) (h % n) : 0;
}

gboolean
emo_batch_parse_shard (const gchar * s, guint * index, guint * n)
{
  guint64 i, k;
  gchar *end;

  if (!s || !g_ascii_isdigit (*s))
    return FALSE;
  i = g_ascii_strtoull (s, &end, 10);
  if (*end != '/' || !g_ascii_isdigit (end[1]))
    return FALSE;
  k = g_ascii_strtoull (end + 1, &end, 10);
  if (*end || k == 0 || k > 1000000 || i >= k)
    return FALSE;
  *index = (guint) i;
  *n = (guint) k;
  return TRUE;
}

gchar *
emo_batch_relative_path (const gchar * path, const gchar * root)
{
  gchar *ap = g_canonicalize_filename (path, NULL);
  gchar *ar = g_canonicalize_filename (root ? root : ".", NULL);
  gsize lr = strlen (ar);
  gchar *rel;

  if (lr == 1)                  /* root is "/" */
    rel = g_strdup (ap + 1);
  else if (g_str_has_prefix (ap, ar) && ap[lr] == '/' && ap[lr + 1])
    rel = g_strdup (ap + lr + 1);
  else
    rel = g_strdup (ap + 1);
  g_free (ap);
  g_free (ar);
  return rel;
}

GOptionGroup *
emo_batch_option_group (void)
{
  GOptionGroup *g = g_option_group_new ("batch",
      "Batch options (many inputs: files, folders, manifests; see docs/batch.md):",
      "Show the batch options", NULL, NULL);

  g_option_group_add_entries (g, batch_entries);
  return g;
}

static const GOptionEntry *
find_entry (const GOptionEntry * e, const gchar * long_name, gchar short_name)
{
  for (; e && e->long_name; e++) {
    if (long_name && !strcmp (e->long_name, long_name))
      return e;
    if (!long_name && short_name && e->short_name == short_name)
      return e;
  }
  return NULL;
}

static gboolean
takes_value (const GOptionEntry * e)
{
  return e->arg != G_OPTION_ARG_NONE &&
      !(e->arg == G_OPTION_ARG_CALLBACK && (e->flags & G_OPTION_FLAG_NO_ARG));
}

static void
job_free (Job * j)
{
  g_free (j->path);
  g_free (j->rel);
  g_free (j->stem);
  g_free (j->reason);
  g_free (j->log);
  g_free (j->redo);
  if (j->outputs)
    g_ptr_array_unref (j->outputs);
  g_free (j);
}

/* ---- argv: batch options, forwarded options, inputs ------------------------ */

static gboolean
set_batch_option (Batch * b, const gchar * name, const gchar * val,
    GError ** error)
{
  BatchOpts *o = &b->o;
  gchar *end = NULL;

  o->any = TRUE;
  if (!strcmp (name, "jobs")) {
    gint64 v = g_ascii_strtoll (val, &end, 10);
    if (!*val || *end || v < 1 || v > 1024)
      goto bad;
    o->jobs = (gint) v;
  } else if (!strcmp (name, "shard")) {
    if (!emo_batch_parse_shard (val, &o->shard_i, &o->shard_n))
      goto bad;
  } else if (!strcmp (name, "manifest")) {
    g_ptr_array_add (o->manifests, g_strdup (val));
  } else if (!strcmp (name, "root")) {
    g_free (o->root);
    o->root = g_strdup (val);
  } else if (!strcmp (name, "summary")) {
    g_free (o->summary);
    o->summary = g_strdup (val);
  } else if (!strcmp (name, "formats")) {
    g_free (o->formats);
    o->formats = g_strdup (val);
  } else if (!strcmp (name, "force")) {
    o->force = TRUE;
  }
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
      "--%s: bad value \"%s\"%s", name, val,
      !strcmp (name, "shard") ? " (I/N with 0 <= I < N)" : "");
  return FALSE;
}

/* Sorts one option token (and its value) into batch options, the output
 * folder, an input option, or options forwarded to the workers. Returns the
 * number of argv entries consumed, 0 on error. */
static gint
take_option (Batch * b, gint i, int argc, char **argv, GError ** error)
{
  const gchar *t = argv[i], *val = NULL, *eq;
  const GOptionEntry *be, *ce;
  gchar *name;
  gint used = 1;
  gboolean is_out, is_in;

  if (t[1] == '-') {
    eq = strchr (t, '=');
    name = eq ? g_strndup (t + 2, eq - t - 2) : g_strdup (t + 2);
    val = eq ? eq + 1 : NULL;
    be = find_entry (batch_entries, name, 0);
    ce = find_entry (b->c->entries, name, 0);
  } else {
    be = find_entry (batch_entries, NULL, t[1]);
    ce = find_entry (b->c->entries, NULL, t[1]);
    name = g_strdup (be ? be->long_name : ce ? ce->long_name : "");
    if (t[2] && ((be && takes_value (be)) || (ce && takes_value (ce))))
      val = t + 2;
  }
  is_out = ce && !strcmp (ce->long_name, b->c->out_option);
  is_in = ce && b->c->input_option && !strcmp (ce->long_name,
      b->c->input_option);
  if (((be && takes_value (be)) || (ce && takes_value (ce))) && !val) {
    if (i + 1 >= argc) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "missing value for %s", t);
      used = 0;
      goto out;
    }
    val = argv[i + 1];
    used = 2;
  }
  if (be) {
    if (!set_batch_option (b, name, val, error))
      used = 0;
  } else if (is_out) {
    g_free (b->o.out);
    b->o.out = g_strdup (val);
  } else if (is_in) {
    g_ptr_array_add (b->opt_in, g_strdup (val));
  } else {
    gint k;
    for (k = 0; k < used; k++)
      g_ptr_array_add (b->fwd, g_strdup (argv[i + k]));
  }
out:
  g_free (name);
  return used;
}

static gboolean
split_args (Batch * b, int argc, char **argv, GError ** error)
{
  gint i = 1;

  while (i < argc) {
    const gchar *t = argv[i];
    gint used;

    if (!strcmp (t, "--")) {
      for (i++; i < argc; i++)
        g_ptr_array_add (b->pos, g_strdup (argv[i]));
      break;
    }
    if (t[0] != '-' || !t[1]) {
      g_ptr_array_add (b->pos, g_strdup (t));
      i++;
      continue;
    }
    used = take_option (b, i, argc, argv, error);
    if (!used)
      return FALSE;
    i += used;
  }
  return TRUE;
}

static Batch *
batch_new (const EmoBatchCommand * c)
{
  Batch *b = g_new0 (Batch, 1);

  b->c = c;
  b->o.manifests = g_ptr_array_new_with_free_func (g_free);
  b->fwd = g_ptr_array_new_with_free_func (g_free);
  b->pos = g_ptr_array_new_with_free_func (g_free);
  b->opt_in = g_ptr_array_new_with_free_func (g_free);
  b->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  return b;
}

static void
batch_free (Batch * b)
{
  g_ptr_array_unref (b->o.manifests);
  g_free (b->o.root);
  g_free (b->o.summary);
  g_free (b->o.formats);
  g_free (b->o.out);
  g_ptr_array_unref (b->fwd);
  g_ptr_array_unref (b->pos);
  g_ptr_array_unref (b->opt_in);
  g_ptr_array_unref (b->jobs);
  if (b->summary)
    fclose (b->summary);
  g_free (b->summary_path);
  g_strfreev (b->envp);
  g_free (b->exe);
  g_free (b->key);
  if (b->digests)
    g_hash_table_destroy (b->digests);
  if (b->loop)
    g_main_loop_unref (b->loop);
  g_free (b);
}

static gboolean
asks_help (int argc, char **argv)
{
  gint i;

  for (i = 1; i < argc; i++) {
    if (g_str_has_prefix (argv[i], "--help") || !strcmp (argv[i], "-h")
        || !strcmp (argv[i], "-?") || !strcmp (argv[i], "--print-pipeline")
        || !strcmp (argv[i], "--info"))
      return TRUE;
  }
  return FALSE;
}

gboolean
emo_batch_wanted (const EmoBatchCommand * c, int argc, char **argv)
{
  Batch *b;
  gboolean want = FALSE;
  guint i, n_pos_files = 0;

  /* a worker runs one input, never a batch of its own */
  if (asks_help (argc, argv) || g_getenv ("EMO_BATCH_WORKER"))
    return FALSE;
  b = batch_new (c);
  if (!split_args (b, argc, argv, NULL)) {
    /* let the batch report the usage error if a batch option is involved */
    want = b->o.any;
    goto out;
  }
  want = b->o.any;
  for (i = 0; i < b->pos->len && !want; i++) {
    const gchar *p = g_ptr_array_index (b->pos, i);
    if (!strcmp (p, "-") || g_file_test (p, G_FILE_TEST_IS_DIR))
      want = TRUE;
    else
      n_pos_files++;
  }
  /* annotate takes one input, predict a folder option or one file: a list
   * of files means a batch */
  if (!want && n_pos_files > 1 && !strcmp (c->command, "annotate"))
    want = TRUE;
  if (!want && n_pos_files > 1 && !strcmp (c->command, "predict"))
    want = TRUE;
out:
  batch_free (b);
  return want;
}

/* ---- inputs ------------------------------------------------------------ */

static gboolean
has_extension (const EmoBatchCommand * c, const gchar * name)
{
  const gchar *dot = strrchr (name, '.');
  gchar *low;
  gboolean ok = FALSE;
  guint i;

  if (!dot)
    return FALSE;
  low = g_ascii_strdown (dot, -1);
  for (i = 0; c->extensions[i] && !ok; i++)
    ok = !strcmp (low, c->extensions[i]);
  g_free (low);
  return ok;
}

static gchar *
strip_extension (const gchar * rel)
{
  gchar *s = g_strdup (rel);
  gchar *slash = strrchr (s, '/'), *dot = strrchr (s, '.');

  if (dot && dot > (slash ? slash + 1 : s))
    *dot = '\0';
  return s;
}

static void
add_input (Batch * b, GHashTable * seen, const gchar * path, const gchar * root)
{
  gchar *abs = g_canonicalize_filename (path, NULL);
  Job *j;

  if (g_hash_table_contains (seen, abs)) {
    g_free (abs);
    return;
  }
  g_hash_table_add (seen, abs);
  j = g_new0 (Job, 1);
  j->b = b;
  j->path = g_strdup (path);
  j->rel = emo_batch_relative_path (path, root);
  j->stem = strip_extension (j->rel);
  g_ptr_array_add (b->jobs, j);
}

static gboolean
is_out_dir (Batch * b, const gchar * dir)
{
  struct stat st;

  return b->out_st_valid && g_stat (dir, &st) == 0 &&
      st.st_dev == b->out_st.st_dev && st.st_ino == b->out_st.st_ino;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Files of a folder and its subfolders that the command takes, in name
 * order; hidden entries and the output folder are skipped. */
static gboolean
walk (Batch * b, GHashTable * seen, const gchar * dir, const gchar * root,
    GError ** error)
{
  GDir *d = g_dir_open (dir, 0, error);
  GPtrArray *names;
  const gchar *n;
  guint i;
  gboolean ok = TRUE;

  if (!d)
    return FALSE;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((n = g_dir_read_name (d)))
    if (n[0] != '.')
      g_ptr_array_add (names, g_strdup (n));
  g_dir_close (d);
  g_ptr_array_sort (names, cmp_str);
  for (i = 0; i < names->len && ok; i++) {
    gchar *full = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
    if (g_file_test (full, G_FILE_TEST_IS_DIR)) {
      if (!is_out_dir (b, full))
        ok = walk (b, seen, full, root, error);
    } else if (has_extension (b->c, full)) {
      add_input (b, seen, full, root);
    }
    g_free (full);
  }
  g_ptr_array_unref (names);
  return ok;
}

static gchar *
read_stdin (void)
{
  GString *s = g_string_new (NULL);
  gchar buf[65536];
  gsize got;

  while ((got = fread (buf, 1, sizeof buf, stdin)) > 0)
    g_string_append_len (s, buf, got);
  return g_string_free (s, FALSE);
}

/* One path per line; blank lines and lines starting with '#' are skipped;
 * relative paths are relative to the current folder. */
static gboolean
read_manifest (Batch * b, GHashTable * seen, const gchar * file,
    GError ** error)
{
  gchar *text = NULL, **lines;
  const gchar *root = b->o.root ? b->o.root : ".";
  guint i;

  if (!strcmp (file, "-"))
    text = read_stdin ();
  else if (!g_file_get_contents (file, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar *l = g_strstrip (lines[i]);
    if (*l && *l != '#')
      add_input (b, seen, l, root);
  }
  g_strfreev (lines);
  g_free (text);
  return TRUE;
}

static gint
cmp_job (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Job * const *) a)->rel, (*(Job * const *) b)->rel);
}

/* Two inputs whose outputs would have the same names (x.wav and x.flac in
 * one folder) are an error, not a silent overwrite. */
static gboolean
check_collisions (Batch * b, GError ** error)
{
  GHashTable *stems = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < b->jobs->len && ok; i++) {
    Job *j = g_ptr_array_index (b->jobs, i);
    Job *other = g_hash_table_lookup (stems, j->stem);
    if (other) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
          "%s and %s would write the same outputs (%s.*): rename one, or "
          "set --root so their relative paths differ", other->path, j->path,
          j->stem);
      ok = FALSE;
    }
    g_hash_table_insert (stems, j->stem, j);
  }
  g_hash_table_destroy (stems);
  return ok;
}

static gboolean
collect_inputs (Batch * b, GError ** error)
{
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < b->pos->len && ok; i++) {
    const gchar *p = g_ptr_array_index (b->pos, i);
    if (!strcmp (p, "-"))
      ok = read_manifest (b, seen, "-", error);
    else if (g_file_test (p, G_FILE_TEST_IS_DIR))
      ok = walk (b, seen, p, b->o.root ? b->o.root : p, error);
    else
      add_input (b, seen, p, b->o.root ? b->o.root : ".");
  }
  for (i = 0; i < b->opt_in->len && ok; i++) {
    const gchar *p = g_ptr_array_index (b->opt_in, i);
    ok = walk (b, seen, p, b->o.root ? b->o.root : p, error);
  }
  for (i = 0; i < b->o.manifests->len && ok; i++)
    ok = read_manifest (b, seen, g_ptr_array_index (b->o.manifests, i), error);
  g_hash_table_destroy (seen);
  if (!ok)
    return FALSE;
  g_ptr_array_sort (b->jobs, cmp_job);
  if (!check_collisions (b, error))
    return FALSE;
  b->n_listed = b->jobs->len;
  if (b->o.shard_n > 1) {
    for (i = b->jobs->len; i-- > 0;) {
      Job *j = g_ptr_array_index (b->jobs, i);
      if (emo_batch_shard_of (j->rel, b->o.shard_n) != b->o.shard_i)
        g_ptr_array_remove_index (b->jobs, i);
    }
  }
  return TRUE;
}

/* ---- outputs of one input ------------------------------------------------ */

static const gchar *
forwarded_value (Batch * b, const gchar * long_name, gchar short_name)
{
  const gchar *val = NULL;
  gsize ln = strlen (long_name);
  guint i;

  for (i = 0; i < b->fwd->len; i++) {
    const gchar *t = g_ptr_array_index (b->fwd, i);
    const gchar *next = i + 1 < b->fwd->len ?
        g_ptr_array_index (b->fwd, i + 1) : NULL;
    if (g_str_has_prefix (t, "--") && !strncmp (t + 2, long_name, ln)) {
      if (t[2 + ln] == '=')
        val = t + 3 + ln;
      else if (!t[2 + ln])
        val = next;
    } else if (short_name && t[0] == '-' && t[1] == short_name) {
      val = t[2] ? t + 2 : next;
    }
  }
  return val;
}

static gboolean
check_formats (const gchar * formats, GError ** error)
{
  static const gchar *known[] =
      { "mp4", "mkv", "webm", "mov", "csv", "vtt", "json", "png", NULL };
  gchar **f = g_strsplit (formats, ",", -1);
  guint i, n_video = 0;
  gboolean ok = TRUE;

  for (i = 0; f[i] && ok; i++) {
    if (!g_strv_contains (known, f[i])) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--formats: unknown format \"%s\" (mp4, mkv, webm, mov, csv, vtt, "
          "json, png)", f[i]);
      ok = FALSE;
    }
    if (!strcmp (f[i], "mp4") || !strcmp (f[i], "mkv")
        || !strcmp (f[i], "webm") || !strcmp (f[i], "mov"))
      n_video++;
  }
  if (ok && n_video > 1) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--formats: one video container at most");
    ok = FALSE;
  }
  g_strfreev (f);
  return ok;
}

/* The outputs each command writes for one input, primary first: its
 * completeness record sits beside the primary. */
static void
plan_outputs (Batch * b, Job * j)
{
  gchar *base = g_build_filename (b->o.out, j->stem, NULL);

  j->outputs = g_ptr_array_new_with_free_func (g_free);
  if (!strcmp (b->c->command, "annotate")) {
    /* in the order emo annotate writes them: its primary output first */
    static const gchar *const order[] =
        { "mp4", "mkv", "webm", "mov", "csv", "vtt", "json", "png", NULL };
    gchar **f = g_strsplit (b->o.formats ? b->o.formats : "mp4,csv", ",", -1);
    guint i;
    for (i = 0; order[i]; i++) {
      const gchar *ext = !strcmp (order[i], "json") ? "jsonl" : order[i];
      if (g_strv_contains ((const gchar * const *) f, order[i]))
        g_ptr_array_add (j->outputs, g_strdup_printf ("%s.%s", base, ext));
    }
    g_strfreev (f);
  } else if (!strcmp (b->c->command, "extract")) {
    const gchar *fmt = forwarded_value (b, "format", 'f');
    const gchar *mod = forwarded_value (b, "modality", 'm');
    gchar *dir = g_path_get_dirname (base), *name = g_path_get_basename (base);
    if (!fmt)
      fmt = "csv";
    if (mod && !strcmp (mod, "both")) {
      g_ptr_array_add (j->outputs, g_strdup_printf ("%s/audio/%s.%s", dir,
              name, fmt));
      g_ptr_array_add (j->outputs, g_strdup_printf ("%s/video/%s.%s", dir,
              name, fmt));
    } else {
      g_ptr_array_add (j->outputs, g_strdup_printf ("%s.%s", base, fmt));
    }
    g_free (dir);
    g_free (name);
  } else {
    g_ptr_array_add (j->outputs, g_strdup_printf ("%s.csv", base));
  }
  g_free (base);
}

static const gchar *
annotate_flag (const gchar * path)
{
  if (g_str_has_suffix (path, ".csv"))
    return "--csv";
  if (g_str_has_suffix (path, ".vtt"))
    return "--vtt";
  if (g_str_has_suffix (path, ".jsonl"))
    return "--json";
  if (g_str_has_suffix (path, ".png"))
    return "--plot";
  return "-o";
}

static gchar **
worker_argv (Batch * b, Job * j)
{
  GPtrArray *a = g_ptr_array_new ();
  gchar *dir = NULL;
  guint i;

  g_ptr_array_add (a, g_strdup (b->exe));
  g_ptr_array_add (a, g_strdup (b->c->command));
  for (i = 0; i < b->fwd->len; i++)
    g_ptr_array_add (a, g_strdup (g_ptr_array_index (b->fwd, i)));
  if (find_entry (b->c->entries, "quiet", 0))
    g_ptr_array_add (a, g_strdup ("--quiet"));
  if (!strcmp (b->c->command, "annotate")) {
    gboolean video = FALSE;
    for (i = 0; i < j->outputs->len; i++) {
      const gchar *p = g_ptr_array_index (j->outputs, i);
      const gchar *flag = annotate_flag (p);
      video |= !strcmp (flag, "-o");
      g_ptr_array_add (a, g_strdup (flag));
      g_ptr_array_add (a, g_strdup (p));
    }
    if (!video)
      g_ptr_array_add (a, g_strdup ("--no-video"));
    if (b->o.jobs > 1) {
      /* N workers on N cores: one encoder thread each */
      g_ptr_array_add (a, g_strdup ("--encoder-threads"));
      g_ptr_array_add (a, g_strdup ("1"));
    }
  } else {
    gchar *base = g_build_filename (b->o.out, j->stem, NULL);
    dir = g_path_get_dirname (base);
    g_free (base);
    g_ptr_array_add (a, g_strdup ("--out"));
    g_ptr_array_add (a, dir);
  }
  /* a relative input named like an option */
  g_ptr_array_add (a, j->path[0] == '-' ? g_strconcat ("./", j->path, NULL) :
      g_strdup (j->path));
  g_ptr_array_add (a, NULL);
  return (gchar **) g_ptr_array_free (a, FALSE);
}

/* ---- after a worker: what it wrote, what it says ------------------------- */

/* Duration covered by the frames of a CSV (last timestamp plus one step)
 * and the mean of each attribute column it has. */
static void
read_result (Job * j, const gchar * csv)
{
  EmoTable *t = emo_table_read_csv (csv, NULL);
  guint k, r;

  if (!t)
    return;
  if (t->n_rows > 0) {
    gdouble step = t->n_rows > 1 ? t->timestamps[t->n_rows - 1] -
        t->timestamps[t->n_rows - 2] : 0.1;
    j->duration = t->timestamps[t->n_rows - 1] + step;
  }
  for (k = 0; k < 3; k++) {
    gint c = emo_table_find_column (t, attr_names[k]);
    gdouble s = 0;
    guint n = 0;
    if (c < 0)
      continue;
    /* frames without a value for the attribute (NaN) do not count */
    for (r = 0; r < t->n_rows; r++) {
      gdouble v = t->data[(gsize) r * t->n_cols + c];
      if (isfinite (v)) {
        s += v;
        n++;
      }
    }
    j->mean[k] = n ? s / n : 0;
    j->has_mean[k] = n > 0;
  }
  emo_table_free (t);
}

/* The worker's own words: the last "emo: " line of its log (else the last
 * line), so a failure reads as the single command would have said it. */
static gchar *
reason_from_log (const gchar * log)
{
  gchar *text = NULL, **lines, *r = NULL;
  gint i;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit_set (text, "\r\n", -1);
  for (i = (gint) g_strv_length (lines) - 1; i >= 0 && !r; i--) {
    gchar *l = g_strstrip (lines[i]);
    if (g_str_has_prefix (l, "emo: ") && !g_str_has_prefix (l, "emo: done")
        && !g_str_has_prefix (l, "emo: wrote"))
      r = g_strdup (l + 5);
  }
  for (i = (gint) g_strv_length (lines) - 1; i >= 0 && !r; i--)
    if (*g_strstrip (lines[i]))
      r = g_strdup (lines[i]);
  g_strfreev (lines);
  g_free (text);
  return r;
}

static void
write_summary_line (Batch * b, Job * j)
{
  JsonBuilder *jb = json_builder_new ();
  JsonGenerator *gen;
  JsonNode *root;
  gchar *line;
  guint i;

  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "input");
  json_builder_add_string_value (jb, j->path);
  json_builder_set_member_name (jb, "rel");
  json_builder_add_string_value (jb, j->rel);
  json_builder_set_member_name (jb, "status");
  json_builder_add_string_value (jb, j->status);
  json_builder_set_member_name (jb, "reason");
  if (j->reason)
    json_builder_add_string_value (jb, j->reason);
  else
    json_builder_add_null_value (jb);
  json_builder_set_member_name (jb, "duration_s");
  if (j->duration > 0)
    json_builder_add_double_value (jb, j->duration);
  else
    json_builder_add_null_value (jb);
  json_builder_set_member_name (jb, "seconds");
  json_builder_add_double_value (jb, j->seconds);
  json_builder_set_member_name (jb, "outputs");
  json_builder_begin_array (jb);
  for (i = 0; i < j->outputs->len; i++) {
    const gchar *p = g_ptr_array_index (j->outputs, i);
    if (g_file_test (p, G_FILE_TEST_EXISTS))
      json_builder_add_string_value (jb, p);
  }
  json_builder_end_array (jb);
  for (i = 0; i < 3; i++) {
    json_builder_set_member_name (jb, attr_names[i]);
    if (j->has_mean[i])
      json_builder_add_double_value (jb, j->mean[i]);
    else
      json_builder_add_null_value (jb);
  }
  json_builder_set_member_name (jb, "output_dir");
  json_builder_add_string_value (jb, b->o.out);
  json_builder_set_member_name (jb, "redo");
  if (j->redo)
    json_builder_add_string_value (jb, j->redo);
  else
    json_builder_add_null_value (jb);
  json_builder_set_member_name (jb, "log");
  json_builder_add_string_value (jb, j->log ? j->log : "");
  json_builder_end_object (jb);
  root = json_builder_get_root (jb);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  line = json_generator_to_data (gen, NULL);
  fprintf (b->summary, "%s\n", line);
  fflush (b->summary);
  g_free (line);
  g_object_unref (gen);
  json_node_unref (root);
  g_object_unref (jb);
}

/* ---- progress ------------------------------------------------------------ */

static void
draw_status (Batch * b)
{
  guint n = b->jobs->len;
  guint fin = b->n_done + b->n_failed + b->n_current + b->n_interrupted;
  guint worked = b->n_done + b->n_failed;
  gdouble el = (g_get_monotonic_time () - b->t0) / 1e6;
  gdouble eta = worked > 0 ? el / worked * (n - fin) : NAN;
  gchar seta[32];

  emo_format_hms (seta, sizeof seta, eta);
  fprintf (stderr, "\r[%u/%u] %u done, %u current, %u failed, %.2f h media, "
      "%.0f files/h, %.0fx real time, ETA %s   ", fin, n, b->n_done,
      b->n_current, b->n_failed, b->media_s / 3600.0,
      el > 0 ? worked * 3600.0 / el : 0.0, el > 0 ? b->media_s / el : 0.0,
      seta);
  fflush (stderr);
}

static gboolean
on_draw (gpointer data)
{
  draw_status (data);
  return G_SOURCE_CONTINUE;
}

static void
report_job (Batch * b, Job * j)
{
  guint fin = b->n_done + b->n_failed + b->n_current + b->n_interrupted;

  if (b->tty) {
    if (!strcmp (j->status, "failed") || !strcmp (j->status, "interrupted"))
      fprintf (stderr, "\r\033[K%s %s: %s\n", j->status, j->path,
          j->reason ? j->reason : "");
    draw_status (b);
    return;
  }
  fprintf (stderr, "emo: [%u/%u] %s %s", fin, b->jobs->len, j->status, j->path);
  if (!strcmp (j->status, "done"))
    fprintf (stderr, " (%.1f s media in %.1f s)", j->duration, j->seconds);
  if (j->reason)
    fprintf (stderr, ": %s", j->reason);
  fprintf (stderr, "\n");
}

/* ---- workers ------------------------------------------------------------- */

static void start_more (Batch * b);

static void
finish_job (Job * j, gboolean ok, const gchar * how)
{
  Batch *b = j->b;
  guint i;

  j->seconds = (g_get_monotonic_time () - j->t0) / 1e6;
  if (ok) {
    guint n_there = 0;
    for (i = 0; i < j->outputs->len; i++)
      n_there += g_file_test (g_ptr_array_index (j->outputs, i),
          G_FILE_TEST_EXISTS);
    for (i = 0; i < j->outputs->len; i++)
      if (g_str_has_suffix (g_ptr_array_index (j->outputs, i), ".csv")) {
        read_result (j, g_ptr_array_index (j->outputs, i));
        break;
      }
    if (n_there == 0) {
      ok = FALSE;
      j->reason = g_strdup ("the command wrote no output");
    }
  } else {
    gchar *r = reason_from_log (j->log);
    j->reason = g_strdup_printf ("%s (%s)", r ? r : "no message", how);
    g_free (r);
  }
  if (j->signalled) {
    j->status = "interrupted";
    b->n_interrupted++;
  } else if (ok) {
    j->status = "done";
    b->n_done++;
    b->media_s += j->duration;
  } else {
    j->status = "failed";
    b->n_failed++;
  }
  write_summary_line (b, j);
  report_job (b, j);
}

static void
on_worker_exit (GPid pid, gint wait_status, gpointer data)
{
  Job *j = data;
  Batch *b = j->b;
  GError *err = NULL;
  gboolean ok = g_spawn_check_wait_status (wait_status, &err);

  g_spawn_close_pid (pid);
  j->pid = 0;
  b->running--;
  finish_job (j, ok, ok ? NULL : err->message);
  g_clear_error (&err);
  start_more (b);
}

/* Own process group: a terminal's Ctrl-C reaches the batch only, which
 * passes one SIGINT to each worker (a second one would abort it). */
static void
worker_setup (gpointer data)
{
  setpgid (0, 0);
}

static gboolean
make_parent_dirs (const gchar * path, GError ** error)
{
  gchar *dir = g_path_get_dirname (path);
  gboolean ok = g_mkdir_with_parents (dir, 0755) == 0;

  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot create %s: %s", dir, g_strerror (errno));
  g_free (dir);
  return ok;
}

static gboolean
spawn_worker (Batch * b, Job * j, GError ** error)
{
  gchar **argv;
  gint log_fd, null_fd;
  gboolean ok;
  guint i;

  for (i = 0; i < j->outputs->len; i++)
    if (!make_parent_dirs (g_ptr_array_index (j->outputs, i), error))
      return FALSE;
  j->log = g_strdup_printf ("%s/.emo-batch/logs/%s.log", b->o.out, j->stem);
  if (!make_parent_dirs (j->log, error))
    return FALSE;
  log_fd = g_open (j->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot write %s: %s", j->log, g_strerror (errno));
    return FALSE;
  }
  null_fd = g_open ("/dev/null", O_RDONLY | O_CLOEXEC, 0);
  argv = worker_argv (b, j);
  ok = g_spawn_async_with_fds (NULL, argv, b->envp, G_SPAWN_DO_NOT_REAP_CHILD,
      worker_setup, NULL, &j->pid, null_fd, log_fd, log_fd, error);
  g_strfreev (argv);
  close (log_fd);
  if (null_fd >= 0)
    close (null_fd);
  return ok;
}

/* Complete and current according to the completeness record beside the
 * first planned output that has one (the primary output of the command);
 * else FALSE with the reason to redo in j->redo. */
static gboolean
job_is_current (Batch * b, Job * j)
{
  EmoRecord *rec = NULL, *want;
  gboolean ok = FALSE;
  guint i;

  for (i = 0; i < j->outputs->len && !rec; i++) {
    gchar *rp = emo_record_path_for (g_ptr_array_index (j->outputs, i));
    if (g_file_test (rp, G_FILE_TEST_EXISTS))
      rec = emo_record_read (rp, NULL);
    g_free (rp);
  }
  if (!rec) {
    j->redo = g_strdup ("no completeness record");
    return FALSE;
  }
  if (!emo_record_has_input (rec, j->path))
    j->redo = g_strdup ("the record is for another input");
  else if (g_strcmp0 (emo_record_get_option (rec, "batch"), b->key))
    j->redo = g_strdup ("the record is from another request (options, "
        "formats or a single run)");
  else {
    want = emo_record_wanted_again (rec, b->digests);
    ok = emo_record_is_current (rec, want, &j->redo);
    emo_record_free (want);
  }
  emo_record_free (rec);
  return ok;
}

static void
keep_current (Batch * b, Job * j)
{
  guint i;

  j->status = "current";
  b->n_current++;
  for (i = 0; i < j->outputs->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (j->outputs, i), ".csv")) {
      read_result (j, g_ptr_array_index (j->outputs, i));
      break;
    }
  write_summary_line (b, j);
  if (!b->tty)
    report_job (b, j);
}

static void
start_more (Batch * b)
{
  while (!b->n_signals && b->running < (guint) b->o.jobs
      && b->next < b->jobs->len) {
    Job *j = g_ptr_array_index (b->jobs, b->next++);
    GError *err = NULL;

    if (!b->o.force && job_is_current (b, j)) {
      keep_current (b, j);
      continue;
    }
    j->t0 = g_get_monotonic_time ();
    if (!spawn_worker (b, j, &err)) {
      j->seconds = 0;
      j->reason = g_strdup (err->message);
      j->status = "failed";
      b->n_failed++;
      write_summary_line (b, j);
      report_job (b, j);
      g_clear_error (&err);
      continue;
    }
    b->running++;
    g_child_watch_add (j->pid, on_worker_exit, j);
  }
  if (b->running == 0 && (b->n_signals || b->next >= b->jobs->len))
    g_main_loop_quit (b->loop);
}

/* SIGINT / SIGTERM (Ctrl-C, scancel, a preempted job): no new inputs; the
 * running workers get SIGINT and finish what they can (emo annotate closes a
 * playable partial file); a second signal passes on and aborts them. */
static gboolean
on_signal (gpointer data)
{
  Batch *b = data;
  guint i;

  b->n_signals++;
  fprintf (stderr, "%semo: interrupted: %s %u running input%s%s\n",
      b->tty ? "\n" : "", b->n_signals == 1 ? "finishing" : "aborting",
      b->running, b->running == 1 ? "" : "s",
      b->n_signals == 1 ? " (again to abort)" : "");
  for (i = 0; i < b->jobs->len; i++) {
    Job *j = g_ptr_array_index (b->jobs, i);
    if (j->pid > 0) {
      j->signalled = TRUE;
      kill (j->pid, SIGINT);
    }
  }
  if (b->running == 0)
    g_main_loop_quit (b->loop);
  return G_SOURCE_CONTINUE;
}

/* ---- the batch ----------------------------------------------------------- */

/* The request every worker gets, as one string: the command, the options
 * passed on, the formats. Thread counts are left out on purpose: they
 * change how fast, not what. */
static gchar *
batch_key (Batch * b)
{
  GString *k = g_string_new (b->c->command);
  guint i;

  for (i = 0; i < b->fwd->len; i++) {
    g_string_append_c (k, ' ');
    g_string_append (k, g_ptr_array_index (b->fwd, i));
  }
  if (!strcmp (b->c->command, "annotate"))
    g_string_append_printf (k, " --formats %s",
        b->o.formats ? b->o.formats : "mp4,csv");
  return g_string_free (k, FALSE);
}

static gboolean
prepare (Batch * b, GError ** error)
{
  guint i;

  if (!b->o.out) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "a batch needs an output folder: --%s DIR", b->c->out_option);
    return FALSE;
  }
  if (b->o.formats && strcmp (b->c->command, "annotate")) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--formats is for emo annotate");
    return FALSE;
  }
  if (b->o.formats && !check_formats (b->o.formats, error))
    return FALSE;
  if (g_mkdir_with_parents (b->o.out, 0755) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot create %s: %s", b->o.out, g_strerror (errno));
    return FALSE;
  }
  b->out_st_valid = g_stat (b->o.out, &b->out_st) == 0;
  if (!collect_inputs (b, error))
    return FALSE;
  for (i = 0; i < b->jobs->len; i++)
    plan_outputs (b, g_ptr_array_index (b->jobs, i));
  if (b->n_listed == 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
        "no inputs (a folder contributes files ending in %s...)",
        b->c->extensions[0]);
    return FALSE;
  }
  if (!b->o.summary)
    b->summary_path = b->o.shard_n > 1 ?
        g_strdup_printf ("%s/emo-batch.shard-%u-of-%u.jsonl", b->o.out,
        b->o.shard_i, b->o.shard_n) :
        g_build_filename (b->o.out, "emo-batch.jsonl", NULL);
  else
    b->summary_path = g_strdup (b->o.summary);
  b->summary = g_fopen (b->summary_path, "w");
  if (!b->summary) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot write %s: %s", b->summary_path, g_strerror (errno));
    return FALSE;
  }
  b->exe = g_file_read_link ("/proc/self/exe", error);
  if (!b->exe)
    return FALSE;
  b->envp = g_get_environ ();
  b->key = batch_key (b);
  b->envp = g_environ_setenv (b->envp, EMO_RECORD_BATCH_ENV, b->key, TRUE);
  b->envp = g_environ_setenv (b->envp, "EMO_BATCH_WORKER", "1", TRUE);
  b->digests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (b->o.jobs > 1) {
    /* N single-threaded workers use N cores; threaded BLAS in each would
     * only oversubscribe them */
    b->envp = g_environ_setenv (b->envp, "OPENBLAS_NUM_THREADS", "1", TRUE);
    b->envp = g_environ_setenv (b->envp, "OMP_NUM_THREADS", "1", TRUE);
  }
  return TRUE;
}

static int
finish (Batch * b)
{
  guint i;
  gdouble el = (g_get_monotonic_time () - b->t0) / 1e6;

  if (b->tty)
    fprintf (stderr, "\n");
  fprintf (stderr, "emo: %s: %u done, %u current, %u failed, %u interrupted, "
      "%u not started of %u inputs", b->c->command, b->n_done, b->n_current,
      b->n_failed, b->n_interrupted, b->jobs->len - b->next, b->jobs->len);
  if (b->o.shard_n > 1)
    fprintf (stderr, " (shard %u/%u of %u)", b->o.shard_i, b->o.shard_n,
        b->n_listed);
  fprintf (stderr, "; %.2f h media in %.1f s; summary %s\n",
      b->media_s / 3600.0, el, b->summary_path);
  if (b->n_failed) {
    fprintf (stderr, "emo: %u input%s failed:\n", b->n_failed,
        b->n_failed == 1 ? "" : "s");
    for (i = 0; i < b->jobs->len; i++) {
      Job *j = g_ptr_array_index (b->jobs, i);
      if (j->status && !strcmp (j->status, "failed"))
        fprintf (stderr, "  %s: %s\n", j->path, j->reason);
    }
  }
  if (b->n_signals)
    return 130;
  return b->n_failed ? 1 : 0;
}

int
emo_batch_run (const EmoBatchCommand * c, int argc, char **argv)
{
  Batch *b = batch_new (c);
  GError *err = NULL;
  guint sig_int, sig_term, draw_id = 0;
  int ret;

  b->o.jobs = (gint) g_get_num_processors ();
  if (!split_args (b, argc, argv, &err) || !prepare (b, &err)) {
    ret = emo_fail ("%s: %s", c->command, err->message);
    if (err->domain == G_OPTION_ERROR)
      ret = 2;
    g_clear_error (&err);
    batch_free (b);
    return ret;
  }
  b->loop = g_main_loop_new (NULL, FALSE);
  b->tty = isatty (fileno (stderr));
  b->t0 = g_get_monotonic_time ();
  sig_int = g_unix_signal_add (SIGINT, on_signal, b);
  sig_term = g_unix_signal_add (SIGTERM, on_signal, b);
  if (b->tty)
    draw_id = g_timeout_add (500, on_draw, b);
  start_more (b);
  if (b->running > 0)
    g_main_loop_run (b->loop);
  if (draw_id)
    g_source_remove (draw_id);
  g_source_remove (sig_int);
  g_source_remove (sig_term);
  ret = finish (b);
  batch_free (b);
  return ret;
}
