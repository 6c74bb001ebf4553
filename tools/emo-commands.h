/* gst-emo command-line front end: one function per subcommand.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_COMMANDS_H
#define EMO_COMMANDS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const gchar *name;
  const gchar *summary;
  int (*run) (int argc, char **argv);
} EmoCommand;

int emo_cmd_eval (int argc, char **argv);
int emo_cmd_annotate (int argc, char **argv);
int emo_cmd_plot (int argc, char **argv);
int emo_cmd_extract (int argc, char **argv);
int emo_cmd_train (int argc, char **argv);
int emo_cmd_predict (int argc, char **argv);
int emo_cmd_fuse_train (int argc, char **argv);
int emo_cmd_fuse (int argc, char **argv);
int emo_cmd_report (int argc, char **argv);

/* The files `emo annotate` writes for one input; NULL: not written (video
 * NULL: IN-emo.mp4 in the current folder unless --no-video). */
typedef struct
{
  const gchar *video, *csv, *vtt, *json, *plot;
} EmoAnnotateOutputs;
/* One input through the graph the parsed annotate options describe;
 * returns the exit status. */
int emo_annotate_input (const gchar * in, const EmoAnnotateOutputs * w);
gchar **emo_fuse_collect_inputs (gchar ** opt_inputs, int argc, char **argv);

/* Prints "emo: <message>" to stderr; returns exit status 1. */
int emo_fail (const gchar * fmt, ...) G_GNUC_PRINTF (1, 2);

/* "m:ss" or "h:mm:ss" for progress displays ("--:--" when unknown). */
void emo_format_hms (gchar * buf, gsize len, gdouble seconds);

/* Refuses (and says why) when one of the NULL-terminated outputs would be
 * or would replace one of the NULL-terminated inputs; both arrays are
 * terminated here. */
gboolean emo_refuse_inputs (GPtrArray * outs, GPtrArray * ins);

G_END_DECLS

#endif
