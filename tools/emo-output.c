/* Output files of the emo commands: same-file guard, temporary + rename,
 * completeness record. See emo-output.h and docs/outputs.md.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "emo-output.h"

GQuark
emo_output_error_quark (void)
{
  return g_quark_from_static_string ("emo-output-error-quark");
}

/* ---- same-file guard ------------------------------------------------------ */

/* Input folders stand for the files directly in them. */
static GPtrArray *
expand_inputs (const gchar * const *inputs)
{
  GPtrArray *v = g_ptr_array_new_with_free_func (g_free);
  guint j;

  for (j = 0; inputs && inputs[j]; j++) {
    GDir *d = g_file_test (inputs[j], G_FILE_TEST_IS_DIR) ?
        g_dir_open (inputs[j], 0, NULL) : NULL;
    const gchar *n;

    if (!d) {
      g_ptr_array_add (v, g_strdup (inputs[j]));
      continue;
    }
    while ((n = g_dir_read_name (d)))
      g_ptr_array_add (v, g_build_filename (inputs[j], n, NULL));
    g_dir_close (d);
  }
  return v;
}

gboolean
emo_output_refuse_inputs (const gchar * const *outputs,
    const gchar * const *inputs, GError ** error)
{
  GPtrArray *in = expand_inputs (inputs);
  gboolean ok = TRUE;
  guint i, j;

  for (i = 0; ok && outputs && outputs[i]; i++) {
    GStatBuf so;

    if (g_stat (outputs[i], &so) != 0)
      continue;
    for (j = 0; ok && j < in->len; j++) {
      const gchar *p = g_ptr_array_index (in, j);
      GStatBuf si;

      if (g_stat (p, &si) != 0 || S_ISDIR (si.st_mode))
        continue;
      if (so.st_dev == si.st_dev && so.st_ino == si.st_ino) {
        gboolean same_name = g_strcmp0 (outputs[i], p) == 0;
        g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_SAME_FILE,
            "refusing to write %s: it is the input %s%s; nothing was written "
            "(choose another output name)", outputs[i], p,
            same_name ? "" : " (the same file under another name)");
        ok = FALSE;
      }
    }
  }
  g_ptr_array_unref (in);
  return ok;
}

/* ---- one output file ------------------------------------------------------ */

struct _EmoOutput
{
  gchar *target;
  gchar *temp;
};

EmoOutput *
emo_output_new (const gchar * target, GError ** error)
{
  gchar *dir = g_path_get_dirname (target);
  gchar *base = g_path_get_basename (target);
  gchar *tmpl = g_strdup_printf ("%s/.%s.partial-XXXXXX", dir, base);
  EmoOutput *o;
  mode_t mask;
  int fd;

  g_free (dir);
  g_free (base);
  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_IO,
        "cannot write %s: %s", target, g_strerror (e));
    g_free (tmpl);
    return NULL;
  }
  /* mkstemp gives 0600 whatever it is asked; a finished output gets the
   * mode any newly created file would get */
  mask = umask (0);
  umask (mask);
  if (fchmod (fd, 0666 & ~mask) != 0) {
    /* not fatal: the file is still written, only more private */
  }
  close (fd);
  o = g_new0 (EmoOutput, 1);
  o->target = g_strdup (target);
  o->temp = tmpl;
  return o;
}

const gchar *
emo_output_temp_path (const EmoOutput * o)
{
  return o->temp;
}

const gchar *
emo_output_target (const EmoOutput * o)
{
  return o->target;
}

static void
output_free (EmoOutput * o)
{
  g_free (o->target);
  g_free (o->temp);
  g_free (o);
}

void
emo_output_discard (EmoOutput * o)
{
  if (!o)
    return;
  g_unlink (o->temp);
  output_free (o);
}

gboolean
emo_output_commit (EmoOutput * o, GError ** error)
{
  int fd = g_open (o->temp, O_RDONLY | O_CLOEXEC, 0);
  int e = 0;

  /* the data reaches the disk before the name does: after a crash the
   * target holds either the old file or the whole new one */
  if (fd < 0 || fsync (fd) != 0)
    e = errno;
  if (fd >= 0)
    close (fd);
  if (!e && g_rename (o->temp, o->target) != 0)
    e = errno;
  if (e) {
    g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_IO,
        "cannot finish %s: %s", o->target, g_strerror (e));
    emo_output_discard (o);
    return FALSE;
  }
  output_free (o);
  return TRUE;
}

/* ---- the completeness record ---------------------------------------------- */

typedef struct
{
  gchar *path;
  gint64 size;                  /* -1: could not be read */
  gint64 mtime_ns;              /* inputs */
  gchar *sha256;                /* models, outputs; NULL when unreadable */
} FileEntry;

struct _EmoRecord
{
  gchar *command;
  gchar *status;
  gchar *tool_version;
  GPtrArray *inputs, *models, *outputs; /* FileEntry */
  GPtrArray *option_keys, *option_values;
  guint64 frames;
  gchar *started, *finished;
};

static void
file_entry_free (FileEntry * f)
{
  g_free (f->path);
  g_free (f->sha256);
  g_free (f);
}

static gchar *
now_iso8601 (void)
{
  GDateTime *t = g_date_time_new_now_utc ();
  gchar *s = g_date_time_format_iso8601 (t);
  g_date_time_unref (t);
  return s;
}

static gchar *
file_sha256 (const gchar * path)
{
  GChecksum *c;
  guchar buf[65536];
  gchar *hex = NULL;
  FILE *f = g_fopen (path, "rb");
  size_t n;

  if (!f)
    return NULL;
  c = g_checksum_new (G_CHECKSUM_SHA256);
  while ((n = fread (buf, 1, sizeof buf, f)) > 0)
    g_checksum_update (c, buf, n);
  if (!ferror (f))
    hex = g_strdup (g_checksum_get_string (c));
  fclose (f);
  g_checksum_free (c);
  return hex;
}

static FileEntry *
file_entry_new (const gchar * path, gboolean digest)
{
  FileEntry *f = g_new0 (FileEntry, 1);
  GStatBuf st;

  f->path = g_strdup (path);
  f->size = -1;
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode)) {
    f->size = st.st_size;
    f->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000)
        + st.st_mtim.tv_nsec;
    if (digest) {
      f->sha256 = file_sha256 (path);
      if (!f->sha256)
        f->size = -1;
    }
  }
  return f;
}

static EmoRecord *
record_alloc (void)
{
  EmoRecord *r = g_new0 (EmoRecord, 1);

  r->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  r->models = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  r->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      file_entry_free);
  r->option_keys = g_ptr_array_new_with_free_func (g_free);
  r->option_values = g_ptr_array_new_with_free_func (g_free);
  return r;
}

EmoRecord *
emo_record_new (const gchar * command)
{
  EmoRecord *r = record_alloc ();

  r->command = g_strdup (command);
  r->tool_version = g_strdup (VERSION);
  r->started = now_iso8601 ();
  if (g_getenv (EMO_RECORD_BATCH_ENV))
    emo_record_set_option (r, "batch", g_getenv (EMO_RECORD_BATCH_ENV));
  return r;
}

void
emo_record_free (EmoRecord * r)
{
  if (!r)
    return;
  g_free (r->command);
  g_free (r->status);
  g_free (r->tool_version);
  g_ptr_array_unref (r->inputs);
  g_ptr_array_unref (r->models);
  g_ptr_array_unref (r->outputs);
  g_ptr_array_unref (r->option_keys);
  g_ptr_array_unref (r->option_values);
  g_free (r->started);
  g_free (r->finished);
  g_free (r);
}

gchar *
emo_record_path_for (const gchar * primary_output)
{
  return g_strconcat (primary_output, EMO_RECORD_SUFFIX, NULL);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar **) a, *(const gchar **) b);
}

void
emo_record_add_input (EmoRecord * r, const gchar * path)
{
  GPtrArray *files;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_ptr_array_add (r->inputs, file_entry_new (path, FALSE));
    return;
  }
  /* a folder read as a whole: each file in it, in name order */
  {
    const gchar *in[] = { path, NULL };
    files = expand_inputs (in);
  }
  g_ptr_array_sort (files, compare_strings);
  for (i = 0; i < files->len; i++)
    if (g_file_test (g_ptr_array_index (files, i), G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (r->inputs, file_entry_new (g_ptr_array_index (files,
                  i), FALSE));
  g_ptr_array_unref (files);
}

void
emo_record_add_model (EmoRecord * r, const gchar * path)
{
  g_ptr_array_add (r->models, file_entry_new (path, TRUE));
}

void
emo_record_add_output (EmoRecord * r, const gchar * path)
{
  g_ptr_array_add (r->outputs, file_entry_new (path, TRUE));
}

void
emo_record_set_option (EmoRecord * r, const gchar * key, const gchar * value)
{
  guint i;

  for (i = 0; i < r->option_keys->len; i++) {
    if (!strcmp (g_ptr_array_index (r->option_keys, i), key)) {
      g_free (r->option_values->pdata[i]);
      r->option_values->pdata[i] = g_strdup (value ? value : "");
      return;
    }
  }
  g_ptr_array_add (r->option_keys, g_strdup (key));
  g_ptr_array_add (r->option_values, g_strdup (value ? value : ""));
}

void
emo_record_set_frames (EmoRecord * r, guint64 frames)
{
  r->frames = frames;
}

const gchar *
emo_record_get_status (const EmoRecord * r)
{
  return r->status;
}

const gchar *
emo_record_get_command (const EmoRecord * r)
{
  return r->command;
}

guint64
emo_record_get_frames (const EmoRecord * r)
{
  return r->frames;
}

static void
build_files (JsonBuilder * b, const gchar * member, GPtrArray * files,
    gboolean size, gboolean mtime, gboolean sha)
{
  guint i;

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (i = 0; i < files->len; i++) {
    FileEntry *f = g_ptr_array_index (files, i);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "path");
    json_builder_add_string_value (b, f->path);
    if (size) {
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, f->size);
    }
    if (mtime) {
      json_builder_set_member_name (b, "mtime_ns");
      json_builder_add_int_value (b, f->mtime_ns);
    }
    if (sha) {
      json_builder_set_member_name (b, "sha256");
      if (f->sha256)
        json_builder_add_string_value (b, f->sha256);
      else
        json_builder_add_null_value (b);
    }
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

static void
build_member (JsonBuilder * b, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gchar *
record_to_json (const EmoRecord * r)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *g = json_generator_new ();
  JsonNode *root;
  gchar *s;
  guint i;

  json_builder_begin_object (b);
  build_member (b, "record", EMO_RECORD_FORMAT);
  build_member (b, "command", r->command);
  build_member (b, "status", r->status);
  build_member (b, "tool_version", r->tool_version);
  build_files (b, "inputs", r->inputs, TRUE, TRUE, FALSE);
  build_files (b, "models", r->models, FALSE, FALSE, TRUE);
  build_files (b, "outputs", r->outputs, TRUE, FALSE, TRUE);
  json_builder_set_member_name (b, "options");
  json_builder_begin_object (b);
  for (i = 0; i < r->option_keys->len; i++)
    build_member (b, g_ptr_array_index (r->option_keys, i),
        g_ptr_array_index (r->option_values, i));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, (gint64) r->frames);
  build_member (b, "started", r->started);
  build_member (b, "finished", r->finished);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  json_generator_set_pretty (g, TRUE);
  s = json_generator_to_data (g, NULL);
  json_node_unref (root);
  g_object_unref (g);
  g_object_unref (b);
  return s;
}

gboolean
emo_record_write (EmoRecord * r, const gchar * record_path,
    gboolean complete, GError ** error)
{
  EmoOutput *o;
  gchar *json;
  gboolean ok;

  g_free (r->status);
  r->status = g_strdup (complete ? "complete" : "partial");
  g_free (r->finished);
  r->finished = now_iso8601 ();
  o = emo_output_new (record_path, error);
  if (!o)
    return FALSE;
  json = record_to_json (r);
  ok = g_file_set_contents_full (emo_output_temp_path (o), json, -1,
      G_FILE_SET_CONTENTS_NONE, 0666, error);
  g_free (json);
  if (!ok) {
    emo_output_discard (o);
    return FALSE;
  }
  return emo_output_commit (o, error);
}

/* ---- reading -------------------------------------------------------------- */

static gboolean
read_files (JsonObject * root, const gchar * member, GPtrArray * files,
    GError ** error)
{
  JsonArray *a;
  guint i;

  if (!json_object_has_member (root, member))
    return TRUE;
  a = json_object_get_array_member (root, member);
  for (i = 0; a && i < json_array_get_length (a); i++) {
    JsonObject *o = json_array_get_object_element (a, i);
    FileEntry *f;

    if (!o || !json_object_has_member (o, "path")) {
      g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_FORMAT,
          "\"%s\" entry %u has no path", member, i);
      return FALSE;
    }
    f = g_new0 (FileEntry, 1);
    f->path = g_strdup (json_object_get_string_member (o, "path"));
    f->size = json_object_get_int_member_with_default (o, "size", -1);
    f->mtime_ns = json_object_get_int_member_with_default (o, "mtime_ns", 0);
    f->sha256 = g_strdup (json_object_get_string_member_with_default (o,
            "sha256", NULL));
    g_ptr_array_add (files, f);
  }
  return TRUE;
}

static EmoRecord *
record_from_root (JsonObject * root, GError ** error)
{
  EmoRecord *r = record_alloc ();
  JsonObject *opts;

  r->command = g_strdup (json_object_get_string_member_with_default (root,
          "command", ""));
  r->status = g_strdup (json_object_get_string_member_with_default (root,
          "status", ""));
  r->tool_version =
      g_strdup (json_object_get_string_member_with_default (root,
          "tool_version", ""));
  r->started = g_strdup (json_object_get_string_member_with_default (root,
          "started", ""));
  r->finished = g_strdup (json_object_get_string_member_with_default (root,
          "finished", ""));
  r->frames = (guint64) MAX (0, json_object_get_int_member_with_default (root,
          "frames", 0));
  if (!read_files (root, "inputs", r->inputs, error)
      || !read_files (root, "models", r->models, error)
      || !read_files (root, "outputs", r->outputs, error)) {
    emo_record_free (r);
    return NULL;
  }
  opts = json_object_has_member (root, "options") ?
      json_object_get_object_member (root, "options") : NULL;
  if (opts) {
    GList *keys = json_object_get_members (opts);
    for (GList * l = keys; l; l = l->next)
      emo_record_set_option (r, l->data,
          json_object_get_string_member_with_default (opts, l->data, ""));
    g_list_free (keys);
  }
  return r;
}

EmoRecord *
emo_record_read (const gchar * record_path, GError ** error)
{
  JsonParser *p = json_parser_new ();
  JsonNode *node;
  JsonObject *root;
  EmoRecord *r = NULL;
  GError *e = NULL;

  if (!json_parser_load_from_file (p, record_path, &e)) {
    g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_FORMAT,
        "%s: %s", record_path, e->message);
    g_error_free (e);
    goto out;
  }
  node = json_parser_get_root (p);
  root = node && JSON_NODE_HOLDS_OBJECT (node) ?
      json_node_get_object (node) : NULL;
  if (!root || g_strcmp0 (json_object_get_string_member_with_default (root,
              "record", NULL), EMO_RECORD_FORMAT)) {
    g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_FORMAT,
        "%s: not an %s record", record_path, EMO_RECORD_FORMAT);
    goto out;
  }
  r = record_from_root (root, &e);
  if (!r) {
    g_set_error (error, EMO_OUTPUT_ERROR, EMO_OUTPUT_ERROR_FORMAT,
        "%s: %s", record_path, e->message);
    g_error_free (e);
  }
out:
  g_object_unref (p);
  return r;
}

/* ---- is it current? ------------------------------------------------------- */

static const FileEntry *
find_entry (GPtrArray * files, const gchar * path)
{
  guint i;

  for (i = 0; i < files->len; i++) {
    const FileEntry *f = g_ptr_array_index (files, i);
    if (!strcmp (f->path, path))
      return f;
  }
  return NULL;
}

/* The recorded list and the wanted list name the same files with the same
 * identity (size+mtime for inputs, digest for models). */
static gchar *
files_differ (const gchar * what, GPtrArray * rec, GPtrArray * want,
    gboolean by_digest)
{
  guint i;

  if (rec->len != want->len)
    return g_strdup_printf ("%s: %u recorded, %u now", what, rec->len,
        want->len);
  for (i = 0; i < want->len; i++) {
    const FileEntry *w = g_ptr_array_index (want, i);
    const FileEntry *f = find_entry (rec, w->path);

    if (!f)
      return g_strdup_printf ("%s %s is not in the record", what, w->path);
    if (w->size < 0)
      return g_strdup_printf ("%s %s cannot be read", what, w->path);
    if (by_digest ? g_strcmp0 (f->sha256, w->sha256) != 0 :
        (f->size != w->size || f->mtime_ns != w->mtime_ns))
      return g_strdup_printf ("%s %s changed since the record was written",
          what, w->path);
  }
  return NULL;
}

static gchar *
options_differ (const EmoRecord * rec, const EmoRecord * want)
{
  guint i, j;

  if (rec->option_keys->len != want->option_keys->len)
    return g_strdup ("the options differ");
  for (i = 0; i < want->option_keys->len; i++) {
    const gchar *k = g_ptr_array_index (want->option_keys, i);
    gboolean same = FALSE;

    for (j = 0; j < rec->option_keys->len; j++)
      if (!strcmp (k, g_ptr_array_index (rec->option_keys, j)))
        same = !strcmp (g_ptr_array_index (want->option_values, i),
            g_ptr_array_index (rec->option_values, j));
    if (!same)
      return g_strdup_printf ("option %s differs", k);
  }
  return NULL;
}

static gchar *
outputs_missing (const EmoRecord * rec, const EmoRecord * want)
{
  guint i;

  for (i = 0; i < rec->outputs->len; i++) {
    const FileEntry *f = g_ptr_array_index (rec->outputs, i);
    GStatBuf st;

    if (g_stat (f->path, &st) != 0)
      return g_strdup_printf ("output %s is missing", f->path);
    if (f->size < 0 || st.st_size != f->size)
      return g_strdup_printf ("output %s has changed size", f->path);
  }
  for (i = 0; i < want->outputs->len; i++) {
    const FileEntry *w = g_ptr_array_index (want->outputs, i);
    if (!find_entry (rec->outputs, w->path))
      return g_strdup_printf ("output %s is not in the record", w->path);
  }
  return NULL;
}

gboolean
emo_record_is_current (const EmoRecord * recorded, const EmoRecord * wanted,
    gchar ** why)
{
  gchar *reason = NULL;

  if (g_strcmp0 (recorded->status, "complete"))
    reason = g_strdup_printf ("the record says %s", recorded->status);
  else if (g_strcmp0 (recorded->command, wanted->command))
    reason = g_strdup_printf ("written by emo %s, not emo %s",
        recorded->command, wanted->command);
  else if (g_strcmp0 (recorded->tool_version, wanted->tool_version))
    reason = g_strdup_printf ("written by version %s, this is %s",
        recorded->tool_version, wanted->tool_version);
  if (!reason)
    reason = outputs_missing (recorded, wanted);
  if (!reason)
    reason = files_differ ("input", recorded->inputs, wanted->inputs, FALSE);
  if (!reason)
    reason = files_differ ("model", recorded->models, wanted->models, TRUE);
  if (!reason)
    reason = options_differ (recorded, wanted);
  if (why)
    *why = reason;
  else
    g_free (reason);
  return reason == NULL;
}

/* ---- batches --------------------------------------------------------------- */

const gchar *
emo_record_get_option (const EmoRecord * r, const gchar * key)
{
  guint i;

  for (i = 0; i < r->option_keys->len; i++)
    if (!strcmp (g_ptr_array_index (r->option_keys, i), key))
      return g_ptr_array_index (r->option_values, i);
  return NULL;
}

gboolean
emo_record_has_input (const EmoRecord * r, const gchar * path)
{
  return find_entry (r->inputs, path) != NULL;
}

EmoRecord *
emo_record_wanted_again (const EmoRecord * recorded, GHashTable * digests)
{
  EmoRecord *w = emo_record_new (recorded->command);
  guint i;

  /* exactly the recorded options, not this process's environment */
  g_ptr_array_set_size (w->option_keys, 0);
  g_ptr_array_set_size (w->option_values, 0);
  for (i = 0; i < recorded->option_keys->len; i++)
    emo_record_set_option (w, g_ptr_array_index (recorded->option_keys, i),
        g_ptr_array_index (recorded->option_values, i));
  for (i = 0; i < recorded->inputs->len; i++)
    emo_record_add_input (w,
        ((FileEntry *) g_ptr_array_index (recorded->inputs, i))->path);
  for (i = 0; i < recorded->models->len; i++) {
    const gchar *path =
        ((FileEntry *) g_ptr_array_index (recorded->models, i))->path;
    const gchar *known = digests ? g_hash_table_lookup (digests, path) : NULL;
    FileEntry *f;

    if (!known) {
      emo_record_add_model (w, path);
      f = g_ptr_array_index (w->models, w->models->len - 1);
      if (digests && f->sha256)
        g_hash_table_insert (digests, g_strdup (path), g_strdup (f->sha256));
      continue;
    }
    f = g_new0 (FileEntry, 1);
    f->path = g_strdup (path);
    f->sha256 = g_strdup (known);
    f->size = 0;
    g_ptr_array_add (w->models, f);
  }
  return w;
}

/* ---- one call for simple writers ------------------------------------------ */

gboolean
emo_record_write_beside (const gchar * command, const gchar * output,
    const gchar * const *inputs, const gchar * const *models,
    const gchar * const *options, guint64 frames, GError ** error)
{
  EmoRecord *r = emo_record_new (command);
  gchar *rpath = emo_record_path_for (output);
  gboolean ok;
  guint i;

  for (i = 0; inputs && inputs[i]; i++)
    emo_record_add_input (r, inputs[i]);
  for (i = 0; models && models[i]; i++)
    emo_record_add_model (r, models[i]);
  for (i = 0; options && options[i] && options[i + 1]; i += 2)
    emo_record_set_option (r, options[i], options[i + 1]);
  emo_record_add_output (r, output);
  emo_record_set_frames (r, frames);
  ok = emo_record_write (r, rpath, TRUE, error);
  g_free (rpath);
  emo_record_free (r);
  return ok;
}
