/* Output files of the emo commands: written whole or not at all, never onto
 * an input, and described by one completeness record. docs/outputs.md is
 * the user-facing description of this contract.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_OUTPUT_H
#define EMO_OUTPUT_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_OUTPUT_ERROR (emo_output_error_quark ())
GQuark emo_output_error_quark (void);

typedef enum
{
  EMO_OUTPUT_ERROR_SAME_FILE,   /* an output is (or would replace) an input */
  EMO_OUTPUT_ERROR_IO,          /* create, write, sync or rename failed */
  EMO_OUTPUT_ERROR_FORMAT       /* a record that is not emo-record/1 JSON */
} EmoOutputError;

#define EMO_RECORD_FORMAT "emo-record/1"
#define EMO_RECORD_SUFFIX ".emo-record.json"

/* ---- same-file guard ------------------------------------------------------ */

/* FALSE (EMO_OUTPUT_ERROR_SAME_FILE, naming both files) when an existing
 * output path is the same file as an existing input, compared by device and
 * inode after following symbolic links: catches "./x", symlinks and hard
 * links. Paths that do not exist (yet) never match; an input that is a
 * folder stands for the files directly in it. NULL-terminated arrays; NULL
 * entries are not allowed, a NULL array is empty. */
gboolean emo_output_refuse_inputs (const gchar * const *outputs,
    const gchar * const *inputs, GError ** error);

/* ---- one output file ------------------------------------------------------ */

typedef struct _EmoOutput EmoOutput;

/* Creates an empty temporary file ".TARGETNAME.partial-XXXXXX" in the
 * target's folder (same file system, so the final rename is atomic), with
 * the permissions a new file would get under the umask. The caller writes
 * the temporary by its path, then calls exactly one of commit or discard. */
EmoOutput *emo_output_new (const gchar * target, GError ** error);
const gchar *emo_output_temp_path (const EmoOutput * o);
const gchar *emo_output_target (const EmoOutput * o);
/* Flushes the temporary to disk and renames it onto the target; on failure
 * removes the temporary. Frees `o` in both cases. */
gboolean emo_output_commit (EmoOutput * o, GError ** error);
/* Removes the temporary and frees `o`. NULL is allowed. */
void emo_output_discard (EmoOutput * o);

/* ---- the completeness record ---------------------------------------------- */

typedef struct _EmoRecord EmoRecord;

/* "<primary output>.emo-record.json" (newly allocated) */
gchar *emo_record_path_for (const gchar * primary_output);

/* A record for `command` ("annotate", "extract", ...), "started" = now,
 * tool version = this build's. */
EmoRecord *emo_record_new (const gchar * command);
/* Each stats the file now: inputs by size and modification time, models by
 * SHA-256, outputs by size and SHA-256 (add outputs after they are
 * committed). Paths are kept as given. A file that cannot be read is kept
 * with size -1 (and no digest), which no later check accepts as current.
 * An input that is a folder is added as the files directly in it. */
void emo_record_add_input (EmoRecord * r, const gchar * path);
void emo_record_add_model (EmoRecord * r, const gchar * path);
void emo_record_add_output (EmoRecord * r, const gchar * path);
/* Options that change outputs; setting a key again replaces its value. */
void emo_record_set_option (EmoRecord * r, const gchar * key,
    const gchar * value);
void emo_record_set_frames (EmoRecord * r, guint64 frames);
/* Writes the record (status "complete" or "partial", "finished" = now)
 * through an EmoOutput, so a reader never sees half a record. */
gboolean emo_record_write (EmoRecord * r, const gchar * record_path,
    gboolean complete, GError ** error);
EmoRecord *emo_record_read (const gchar * record_path, GError ** error);
/* TRUE when `recorded` says complete for the same command and tool version,
 * every recorded output exists with its recorded size, every output listed
 * in `wanted` is among them, and the inputs (path, size, mtime), the models
 * (path, SHA-256) and the options equal those of `wanted`; otherwise FALSE
 * with the first reason found in *why (newly allocated; `why` may be NULL). */
gboolean emo_record_is_current (const EmoRecord * recorded,
    const EmoRecord * wanted, gchar ** why);
/* Accessors for callers and tests */
const gchar *emo_record_get_status (const EmoRecord * r);
const gchar *emo_record_get_command (const EmoRecord * r);
guint64 emo_record_get_frames (const EmoRecord * r);
void emo_record_free (EmoRecord * r);

/* ---- batches --------------------------------------------------------------- */

/* A batch (tools/emo-batch.c) puts what it asked of its workers (the
 * forwarded options, the output formats) in this environment variable;
 * emo_record_new records it as option "batch", so a record says which
 * batch request made it and a changed request redoes the input. */
#define EMO_RECORD_BATCH_ENV "EMO_BATCH_KEY"

/* The value of option `key`, or NULL. */
const gchar *emo_record_get_option (const EmoRecord * r, const gchar * key);
/* TRUE when `path` is among the record's inputs (as given). */
gboolean emo_record_has_input (const EmoRecord * r, const gchar * path);
/* What running `recorded` again would want: the same command and options,
 * its inputs as they are now (size, mtime), its models' SHA-256 now, this
 * build's tool version, no outputs. The batch asks emo_record_is_current
 * with it when only the record says how the outputs were made. `digests`
 * (path -> SHA-256 hex, owned by the caller, created with g_free for both)
 * caches model digests across the inputs of one batch; NULL for none. */
EmoRecord *emo_record_wanted_again (const EmoRecord * recorded,
    GHashTable * digests);

/* A complete record for one finished output (already in place), beside
 * it: inputs, models, options as key, value, key, value, ..., NULL. */
gboolean emo_record_write_beside (const gchar * command,
    const gchar * output, const gchar * const *inputs,
    const gchar * const *models, const gchar * const *options,
    guint64 frames, GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmoRecord, emo_record_free);

G_END_DECLS

#endif
