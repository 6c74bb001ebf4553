/* Time per call of the three face networks (kernels/vision/emo-facenet.h) on
 * raw RGB images dumped by `unit-vision-facenet --dump`: CPU time of this
 * thread, best and mean of N calls after two warm-up calls, OpenBLAS on one
 * thread. Run by bench/facenet-speed.sh beside face-api.js's JavaScript.
 *
 *   facenet-speed DUMP_DIR MODEL_DIR N NAME...
 * prints: NAME NET ms_best ms_mean
 *
 *   facenet-speed --recall MODEL_DIR W H < raw RGB frames
 * compares the detector at 320 with 416 (score > 0.5) on every frame: how
 * many faces found at 416 are also found at 320 (IoU >= 0.5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ml/emo-nn.h"
#include "vision/emo-facenet.h"

static double
cpu_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct
{
  EmoFaceNets *nets;
  const guint8 *rgb;
  int w, h, what;
} Job;

/* what: 0 = detector 320, 1 = detector 416, 2 = landmarks, 3 = expression */
static void
run (const Job * j)
{
  EmoFaceBox boxes[16], box = { 0, 0, (float) j->w, (float) j->h, 1 };
  float lm[136], ex[7];

  if (j->what < 2)
    emo_face_detect (j->nets, j->rgb, j->w, j->h, j->w * 3,
        j->what ? 416 : 320, 0.5f, boxes, 16);
  else if (j->what == 2)
    emo_face_landmarks (j->nets, j->rgb, j->w, j->h, j->w * 3, &box, lm);
  else
    emo_face_expression (j->nets, j->rgb, j->w, j->h, j->w * 3, &box, ex, NULL);
}

static gboolean
find_image (const gchar * dir, const gchar * name, guint8 ** rgb, int *w,
    int *h)
{
  gchar *lp = g_build_filename (dir, "cases.txt", NULL), *text = NULL;
  gchar **lines;
  gboolean ok = FALSE;
  guint i;

  if (!g_file_get_contents (lp, &text, NULL, NULL)) {
    g_free (lp);
    return FALSE;
  }
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] && !ok; i++) {
    gchar **t = g_strsplit (lines[i], " ", -1);
    if (g_strv_length (t) == 4 && strcmp (t[0], name) == 0) {
      gchar *p = g_build_filename (dir, t[3], NULL);
      gsize len;
      *w = atoi (t[1]);
      *h = atoi (t[2]);
      ok = g_file_get_contents (p, (gchar **) rgb, &len, NULL)
          && len == (gsize) * w * *h * 3;
      g_free (p);
    }
    g_strfreev (t);
  }
  g_strfreev (lines);
  g_free (text);
  g_free (lp);
  return ok;
}

static double
iou (const EmoFaceBox * a, const EmoFaceBox * b)
{
  double w = MAX (0.0, MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x));
  double h = MAX (0.0, MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y));
  return w * h / ((double) a->w * a->h + (double) b->w * b->h - w * h);
}

static int
recall (EmoFaceNets * nets, int w, int h)
{
  gsize len = (gsize) w * h * 3;
  guint8 *rgb = g_malloc (len);
  EmoFaceBox big[16], small[16];
  int frames = 0, faces = 0, found = 0, extra = 0, nb, ns, i, j;

  while (fread (rgb, 1, len, stdin) == len) {
    nb = emo_face_detect (nets, rgb, w, h, w * 3, 416, 0.5f, big, 16);
    ns = emo_face_detect (nets, rgb, w, h, w * 3, 320, 0.5f, small, 16);
    for (i = 0; i < nb; i++) {
      gboolean hit = FALSE;
      for (j = 0; j < ns; j++)
        hit |= iou (&big[i], &small[j]) >= 0.5;
      found += hit;
    }
    for (j = 0; j < ns; j++) {
      gboolean hit = FALSE;
      for (i = 0; i < nb; i++)
        hit |= iou (&big[i], &small[j]) >= 0.5;
      extra += !hit;
    }
    faces += nb;
    frames++;
  }
  printf ("frames %d faces-416 %d found-at-320 %d (%.1f%%) only-at-320 %d\n",
      frames, faces, found, faces ? 100.0 * found / faces : 0.0, extra);
  g_free (rgb);
  return 0;
}

int
main (int argc, char **argv)
{
  static const gchar *what[] = { "detector-320", "detector-416", "landmarks",
    "expression"
  };
  GError *e = NULL;
  EmoFaceNets *nets;
  int n, a, k, i;

  if (argc == 5 && strcmp (argv[1], "--recall") == 0) {
    emo_blas_set_threads (1);
    nets = emo_face_nets_load (argv[2], &e);
    if (!nets) {
      fprintf (stderr, "%s\n", e->message);
      return 1;
    }
    n = recall (nets, atoi (argv[3]), atoi (argv[4]));
    emo_face_nets_free (nets);
    return n;
  }
  if (argc < 5) {
    fprintf (stderr, "usage: facenet-speed DUMP_DIR MODEL_DIR N NAME...\n");
    return 2;
  }
  emo_blas_set_threads (1);
  nets = emo_face_nets_load (argv[2], &e);
  if (!nets) {
    fprintf (stderr, "%s\n", e->message);
    return 1;
  }
  n = MAX (1, atoi (argv[3]));
  for (a = 4; a < argc; a++) {
    Job j = { nets, NULL, 0, 0, 0 };
    guint8 *rgb = NULL;
    if (!find_image (argv[1], argv[a], &rgb, &j.w, &j.h)) {
      fprintf (stderr, "no image %s in %s\n", argv[a], argv[1]);
      return 1;
    }
    j.rgb = rgb;
    for (k = 0; k < 4; k++) {
      double best = 1e30, sum = 0.0;
      j.what = k;
      run (&j);
      run (&j);
      for (i = 0; i < n; i++) {
        double t0 = cpu_ms (), dt;
        run (&j);
        dt = cpu_ms () - t0;
        best = MIN (best, dt);
        sum += dt;
      }
      printf ("%s %s %.3f %.3f\n", argv[a], what[k], best, sum / n);
    }
    g_free (rgb);
  }
  emo_face_nets_free (nets);
  return 0;
}
