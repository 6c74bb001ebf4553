/* gst-emo: many inputs through one emo command (extract, predict, annotate):
 * input lists, a stable shard partition, worker processes, a per-batch
 * summary. docs/batch.md describes the behaviour for users.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_BATCH_H
#define EMO_BATCH_H

#include <glib.h>

G_BEGIN_DECLS

/* What the batch needs to know about the command it drives. */
typedef struct
{
  const gchar *command;         /* "annotate", "extract", "predict" */
  const GOptionEntry *entries;  /* the command's own options: tells options from inputs */
  const gchar *out_option;      /* long name of its output option, taken by the batch */
  const gchar *input_option;    /* long name of an option naming an input folder, or NULL */
  const gchar *const *extensions;       /* the files a folder contributes (lower case, with dot) */
} EmoBatchCommand;

/* What a folder contributes: media files (extract, annotate), feature
 * tables (predict). */
extern const gchar *const emo_batch_media_extensions[];
extern const gchar *const emo_batch_table_extensions[];

/* TRUE when argv asks for a batch: a batch option (-j, --shard, --manifest,
 * --root, --summary, --formats, --force), a folder or "-" among the
 * inputs, or (annotate) more than one input. */
gboolean emo_batch_wanted (const EmoBatchCommand * c, int argc, char **argv);

/* Runs the batch; the exit status of the command: 0 when every input is
 * done or current, 1 when any failed (all are listed on stderr), 130 when
 * interrupted, 2 on a usage error. */
int emo_batch_run (const EmoBatchCommand * c, int argc, char **argv);

/* The shard (0..n-1) of an input: FNV-1a 64 of its path relative to the
 * corpus root, modulo n. Depends on nothing else (listing order, machine). */
guint emo_batch_shard_of (const gchar * rel_path, guint n);

/* The batch options, for a command's --help */
GOptionGroup *emo_batch_option_group (void);

/* Parses "I/N" (0 <= I < N <= 1000000). */
gboolean emo_batch_parse_shard (const gchar * s, guint * index, guint * n);

/* Path of `path` relative to the folder `root` (both made absolute against
 * the current folder and normalised, symbolic links not followed); when
 * `path` is not under `root`, its absolute path without the leading "/". */
gchar *emo_batch_relative_path (const gchar * path, const gchar * root);

G_END_DECLS

#endif
