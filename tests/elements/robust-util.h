/* Helpers shared by the robustness tests (tests/elements/test-robust-*.c):
 * small model files written from the kernels, and the process's resident
 * memory and thread count read from /proc. Header-only, static functions. */
#ifndef EMO_ROBUST_UTIL_H
#define EMO_ROBUST_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "ml/emo-model.h"

/* Layouts and dimensions of the front ends' default feature sets. */
#define ROBUST_AUDIO_LAYOUT "egemaps-v02-func"
#define ROBUST_AUDIO_DIMS 88
#define ROBUST_VIDEO_LAYOUT "vis-v1"
#define ROBUST_VIDEO_DIMS 170

/* AddressSanitizer keeps freed memory in a quarantine, so RSS is no measure
 * of leaks under it (its own leak checker is, at exit). */
#if defined(__SANITIZE_ADDRESS__)
#define ROBUST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROBUST_ASAN 1
#endif
#endif
#ifndef ROBUST_ASAN
#define ROBUST_ASAN 0
#endif

/* Valgrind's RSS is its own; it preloads vgpreload_*.so into the client. */
G_GNUC_UNUSED static gboolean
robust_under_valgrind (void)
{
  const gchar *p = g_getenv ("LD_PRELOAD");
  return p && strstr (p, "vgpreload") != NULL;
}

/* Writes a small model (kind, one hidden layer of `hidden` units, outputs
 * arousal/valence/liking, Glorot-initialised from `seed`) for `layout` with
 * `dims` inputs to a new file in the temp dir; returns its path. The
 * normalisation is mean 0, std `scale`, so raw features of any magnitude
 * stay in range. */
G_GNUC_UNUSED static gchar *
robust_write_model (const gchar * tag, EmoNetKind kind, const gchar * layout,
    guint dims, guint hidden, guint seed, float scale)
{
  const gchar *names[] = { "arousal", "valence", "liking", NULL };
  guint h[] = { hidden };
  EmoNet *net = emo_net_new (kind, dims, 1, h, 3, NULL);
  EmoModel *m;
  EmoRng rng;
  GError *e = NULL;
  gchar *path;
  guint i;

  g_assert_nonnull (net);
  emo_rng_init (&rng, seed);
  emo_net_init_weights (net, &rng);
  m = emo_model_new (layout, net, names);
  for (i = 0; i < dims; i++) {
    m->mean[i] = 0.0f;
    m->std[i] = scale;
  }
  path = g_strdup_printf ("%s/emo-robust-%s-%u.emo", g_get_tmp_dir (), tag,
      (guint) getpid ());
  if (!emo_model_save (m, path, &e))
    g_error ("saving %s: %s", path, e->message);
  emo_model_free (m);
  return path;
}

/* The two models the whole-graph tests run: an MLP on the audio
 * functionals and a `video_kind` network on the face descriptors, written
 * under names starting with `tag`; robust_models_remove() deletes them. */
G_GNUC_UNUSED static gchar *robust_audio_model, *robust_video_model;

G_GNUC_UNUSED static void
robust_models_write (const gchar * tag, EmoNetKind video_kind)
{
  gchar *a = g_strdup_printf ("%s-audio", tag), *v = g_strdup_printf ("%s-video", tag);

  robust_audio_model = robust_write_model (a, EMO_NET_MLP,
      ROBUST_AUDIO_LAYOUT, ROBUST_AUDIO_DIMS, 8, 3, 100.0f);
  robust_video_model = robust_write_model (v, video_kind,
      ROBUST_VIDEO_LAYOUT, ROBUST_VIDEO_DIMS, 8, 5, 10.0f);
  g_free (a);
  g_free (v);
}

G_GNUC_UNUSED static void
robust_models_remove (void)
{
  g_unlink (robust_audio_model);
  g_unlink (robust_video_model);
  g_clear_pointer (&robust_audio_model, g_free);
  g_clear_pointer (&robust_video_model, g_free);
}

/* VmRSS of this process in kB, 0 if unknown. */
G_GNUC_UNUSED static guint64
robust_rss_kb (void)
{
  gchar *txt = NULL, *p;
  guint64 kb = 0;

  if (!g_file_get_contents ("/proc/self/status", &txt, NULL, NULL))
    return 0;
  p = strstr (txt, "VmRSS:");
  if (p)
    kb = g_ascii_strtoull (p + 6, NULL, 10);
  g_free (txt);
  return kb;
}

/* Number of threads of this process (entries of /proc/self/task). */
G_GNUC_UNUSED static guint
robust_threads (void)
{
  GDir *d = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (!d)
    return 0;
  while (g_dir_read_name (d))
    n++;
  g_dir_close (d);
  return n;
}

/* Reads an unsigned integer from the environment, or `def`. */
G_GNUC_UNUSED static guint64
robust_env_uint (const gchar * name, guint64 def)
{
  const gchar *v = g_getenv (name);
  return (v && *v) ? g_ascii_strtoull (v, NULL, 10) : def;
}

#endif
