/* gst-emo command-line front end.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <locale.h>

#include "emo-commands.h"
#include "emo-output.h"

static const EmoCommand commands[] = {
  {"eval", "score predictions against labels (CCC, PCC, RMSE as AVEC 2019)",
      emo_cmd_eval},
  {"annotate", "annotate a video: overlay, CSV/WebVTT/JSON exports, plot",
      emo_cmd_annotate},
  {"plot", "plot arousal, valence, liking of a prediction CSV as PNG",
      emo_cmd_plot},
  {"extract", "eGeMAPS v02 acoustic features of audio files (CSV/ARFF)",
      emo_cmd_extract},
  {"train", "train a multitask/single-task emotion model (LSTM, MLP, linear)",
      emo_cmd_train},
  {"predict", "write prediction CSVs from model files and feature folders",
      emo_cmd_predict},
  {"fuse-train", "train a fusion model (multistage SVR, CCC-weighted, mean)",
      emo_cmd_fuse_train},
  {"fuse", "apply a fusion model to stage-1 prediction folders", emo_cmd_fuse},
  {"report", "summary table and HTML page of a finished batch", emo_cmd_report},
};

int
emo_fail (const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "emo: %s\n", msg);
  g_free (msg);
  return 1;
}

void
emo_format_hms (gchar * buf, gsize len, gdouble s)
{
  gint t = (gint) (s + 0.5);

  if (!isfinite (s) || s < 0)
    g_strlcpy (buf, "--:--", len);
  else if (t >= 3600)
    g_snprintf (buf, len, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
  else
    g_snprintf (buf, len, "%d:%02d", t / 60, t % 60);
}

gboolean
emo_refuse_inputs (GPtrArray * outs, GPtrArray * ins)
{
  GError *err = NULL;

  g_ptr_array_add (outs, NULL);
  g_ptr_array_add (ins, NULL);
  if (emo_output_refuse_inputs ((const gchar * const *) outs->pdata,
          (const gchar * const *) ins->pdata, &err))
    return TRUE;
  emo_fail ("%s", err->message);
  g_error_free (err);
  return FALSE;
}

static void
usage (FILE * f)
{
  guint i;

  fprintf (f, "Usage: emo COMMAND [OPTIONS...]\n\n"
      "Dimensional emotion recognition (arousal, valence, liking) with gst-emo %s.\n\n"
      "Commands:\n", VERSION);
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (f, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (f, "\nRun 'emo COMMAND --help' for the options of a command.\n");
}

/* Run from a build tree (build/tools/emo), use the plugin built beside it
 * before any installed one, so `emo annotate` works without GST_PLUGIN_PATH. */
static void
add_build_tree_plugin_path (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir, *plugdir, *so;

  if (!exe)
    return;
  dir = g_path_get_dirname (exe);
  plugdir = g_build_filename (dir, "..", "plugins", NULL);
  so = g_build_filename (plugdir, "libgstemo.so", NULL);
  if (g_file_test (so, G_FILE_TEST_EXISTS)) {
    const gchar *old = g_getenv ("GST_PLUGIN_PATH_1_0");
    gchar *path = old
        && *old ? g_strconcat (plugdir, ":", old, NULL) : g_strdup (plugdir);
    g_setenv ("GST_PLUGIN_PATH_1_0", path, TRUE);
    g_free (path);
  }
  g_free (so);
  g_free (plugdir);
  g_free (dir);
  g_free (exe);
}

int
main (int argc, char **argv)
{
  guint i;

  setlocale (LC_ALL, "");
  add_build_tree_plugin_path ();
  if (argc < 2) {
    usage (stderr);
    return 2;
  }
  if (!strcmp (argv[1], "--help") || !strcmp (argv[1], "-h")
      || !strcmp (argv[1], "help")) {
    usage (stdout);
    return 0;
  }
  if (!strcmp (argv[1], "--version")) {
    printf ("emo (gst-emo) %s\n", VERSION);
    return 0;
  }
  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (!strcmp (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);
  }
  fprintf (stderr, "emo: unknown command \"%s\"\n\n", argv[1]);
  usage (stderr);
  return 2;
}
