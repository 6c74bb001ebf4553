/* Face networks against face-api.js's own JavaScript: stored reference
 * outputs (tests/data/facenet-ref*.txt, written by
 * bench/facenet-reference.sh) are recomputed from the same pixels and
 * compared: boxes (IoU, score, coordinates), 68 landmarks, 7 expression
 * probabilities and the 256-value embedding. Also the engine's layers
 * against direct formulas, damaged weights files and bad images.
 *
 * `unit-vision-facenet --dump DIR [FER_DIR]` writes the test images as raw
 * RGB into DIR (cases.txt lists them) for the reference script. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ml/emo-nn.h"
#include "ml/emo-model.h"
#include "vision/emo-cnn.h"
#include "vision/emo-facenet.h"
#include "facenet-cases.h"

#define REF_MIN_SCORE 0.3f
#define TOL 1e-3
#define FER_PER_CLASS 3

static const gchar *fer_classes[] = {
  "angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"
};

static gchar *
src_path (const gchar * rel)
{
  const gchar *root = g_getenv ("EMO_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", rel, NULL);
}

static gchar *
fer_dir (void)
{
  const gchar *d = g_getenv ("EMO_SHARED_DATA");
  gchar *p = g_build_filename (d ? d : "../shared/data", "fer2013", NULL);
  if (!g_file_test (p, G_FILE_TEST_IS_DIR)) {
    g_free (p);
    return NULL;
  }
  return p;
}

static gint
cmp_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The first FER_PER_CLASS test-split files of each class, sorted. */
static GPtrArray *
fer_files (const gchar * dir)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint k;

  for (k = 0; k < G_N_ELEMENTS (fer_classes); k++) {
    gchar *sub = g_build_filename (dir, "test", fer_classes[k], NULL);
    GDir *d = g_dir_open (sub, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    const gchar *n;
    guint i;
    while (d && (n = g_dir_read_name (d)))
      g_ptr_array_add (names, g_strdup (n));
    if (d)
      g_dir_close (d);
    g_ptr_array_sort (names, cmp_names);
    for (i = 0; i < names->len && i < FER_PER_CLASS; i++)
      g_ptr_array_add (out, g_strdup_printf ("test/%s/%s", fer_classes[k],
              (gchar *) names->pdata[i]));
    g_ptr_array_unref (names);
    g_free (sub);
  }
  return out;
}

/* ---------------------------------------------------------------- dump */

static void
dump_image (FILE * list, const gchar * dir, const gchar * name,
    const FnImage * im, guint idx)
{
  gchar *fname = g_strdup_printf ("img%03u.rgb", idx);
  gchar *path = g_build_filename (dir, fname, NULL);
  g_file_set_contents (path, (const gchar *) im->rgb,
      (gssize) im->width * im->height * 3, NULL);
  fprintf (list, "%s %d %d %s\n", name, im->width, im->height, fname);
  g_free (path);
  g_free (fname);
}

static int
dump (const gchar * dir, const gchar * fer)
{
  gchar *lp = g_build_filename (dir, "cases.txt", NULL);
  FILE *list;
  guint i, idx = 0;

  g_mkdir_with_parents (dir, 0755);
  list = fopen (lp, "w");
  g_free (lp);
  if (!list)
    return 1;
  for (i = 0; i < G_N_ELEMENTS (fn_cases); i++) {
    FnImage im;
    if (!fn_case_image (&fn_cases[i], &im)) {
      g_printerr ("cannot decode %s\n", fn_cases[i].name);
      return 1;
    }
    dump_image (list, dir, fn_cases[i].name, &im, idx++);
    fn_image_clear (&im);
  }
  if (fer) {
    GPtrArray *files = fer_files (fer);
    for (i = 0; i < files->len; i++) {
      FnImage im;
      gchar *p = g_build_filename (fer, files->pdata[i], NULL);
      if (fn_decode (p, 0, &im)) {
        gchar *name = g_strdup_printf ("fer2013/%s",
            (gchar *) files->pdata[i]);
        dump_image (list, dir, name, &im, idx++);
        g_free (name);
        fn_image_clear (&im);
      }
      g_free (p);
    }
    g_ptr_array_unref (files);
  }
  fclose (list);
  return 0;
}

/* ---------------------------------------------------------------- reference */

typedef struct
{
  EmoFaceBox box;
  float lm[136], ex[7], emb[256];
  gboolean valid;               /* FALSE: the reference had no crop */
} RefFace;

typedef struct
{
  gchar *name;
  int width, height;
  int n_det[2];                 /* at 416 and 320 */
  EmoFaceBox det[2][16];
  int n_faces;
  RefFace faces[8];
} RefCase;

static const int det_sizes[2] = { 416, 320 };

static gboolean
read_floats (gchar ** tok, guint n, float *out)
{
  guint i;
  for (i = 0; i < n; i++) {
    if (!tok[i])
      return FALSE;
    out[i] = (float) g_ascii_strtod (tok[i], NULL);
  }
  return tok[n] == NULL;
}

/* Parses the reference text: `case NAME W H`, `det SIZE x y w h score`,
 * `face x y w h`, `lm ...136`, `ex ...7`, `emb ...256`, `noface`. */
static GPtrArray *
read_reference (const gchar * path)
{
  gchar *text = NULL, **lines;
  GPtrArray *cases = g_ptr_array_new ();
  RefCase *c = NULL;
  guint i;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return cases;
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar **t = g_strsplit (lines[i], " ", -1);
    RefFace *f = c && c->n_faces ? &c->faces[c->n_faces - 1] : NULL;
    if (!t[0] || t[0][0] == '#' || t[0][0] == 0) {
    } else if (strcmp (t[0], "case") == 0) {
      c = g_new0 (RefCase, 1);
      c->name = g_strdup (t[1]);
      c->width = atoi (t[2]);
      c->height = atoi (t[3]);
      g_ptr_array_add (cases, c);
    } else if (strcmp (t[0], "det") == 0 && c) {
      int s = atoi (t[1]) == 416 ? 0 : 1;
      g_assert_cmpint (c->n_det[s], <, 16);
      g_assert_true (read_floats (t + 2, 5,
              (float *) &c->det[s][c->n_det[s]++]));
    } else if (strcmp (t[0], "face") == 0 && c) {
      g_assert_cmpint (c->n_faces, <, 8);
      f = &c->faces[c->n_faces++];
      g_assert_true (read_floats (t + 1, 4, (float *) &f->box));
      f->valid = TRUE;
    } else if (strcmp (t[0], "noface") == 0 && f) {
      f->valid = FALSE;
    } else if (strcmp (t[0], "lm") == 0 && f) {
      g_assert_true (read_floats (t + 1, 136, f->lm));
    } else if (strcmp (t[0], "ex") == 0 && f) {
      g_assert_true (read_floats (t + 1, 7, f->ex));
    } else if (strcmp (t[0], "emb") == 0 && f) {
      g_assert_true (read_floats (t + 1, 256, f->emb));
    }
    g_strfreev (t);
  }
  g_strfreev (lines);
  g_free (text);
  return cases;
}

static void
ref_case_free (gpointer p)
{
  RefCase *c = p;
  g_free (c->name);
  g_free (c);
}

static double
box_iou (const EmoFaceBox * a, const EmoFaceBox * b)
{
  double w = MAX (0.0, MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x));
  double h = MAX (0.0, MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y));
  double inter = w * h;
  return inter / ((double) a->w * a->h + (double) b->w * b->h - inter);
}

typedef struct
{
  double box_coord, box_score, lm, lm_rel, ex, emb, min_iou;
  guint n_boxes, n_faces, n_cases;
} Stats;

/* Every reference box clear of the threshold has a partner of ours and vice
 * versa; coordinates compared relative to the image size. */
static void
check_boxes (const RefCase * rc, int s, const EmoFaceBox * ours, int n,
    Stats * st)
{
  int i, j;

  for (i = 0; i < rc->n_det[s]; i++) {
    const EmoFaceBox *r = &rc->det[s][i];
    double best = 0.0;
    int bj = -1;
    if (r->score < REF_MIN_SCORE + 0.002f)
      continue;
    for (j = 0; j < n; j++)
      if (box_iou (r, &ours[j]) > best) {
        best = box_iou (r, &ours[j]);
        bj = j;
      }
    if (bj < 0 || best < 0.95)
      g_error ("%s at %d: reference box %d (%.1f %.1f %.1f %.1f %.3f) has "
          "no partner (best IoU %.3f)", rc->name, det_sizes[s], i, r->x, r->y,
          r->w, r->h, r->score, best);
    st->min_iou = MIN (st->min_iou, best);
    st->box_score = MAX (st->box_score, fabs (r->score - ours[bj].score));
    st->box_coord = MAX (st->box_coord, fabs (r->x - ours[bj].x) / rc->width);
    st->box_coord = MAX (st->box_coord, fabs (r->w - ours[bj].w) / rc->width);
    st->box_coord = MAX (st->box_coord, fabs (r->y - ours[bj].y) / rc->height);
    st->box_coord = MAX (st->box_coord, fabs (r->h - ours[bj].h) / rc->height);
    st->n_boxes++;
  }
  for (j = 0; j < n; j++) {
    gboolean found = FALSE;
    if (ours[j].score < REF_MIN_SCORE + 0.002f)
      continue;
    for (i = 0; i < rc->n_det[s]; i++)
      found |= box_iou (&rc->det[s][i], &ours[j]) >= 0.95;
    if (!found)
      g_error ("%s at %d: our box %d (%.1f %.1f %.1f %.1f %.3f) is not in "
          "the reference", rc->name, det_sizes[s], j, ours[j].x, ours[j].y,
          ours[j].w, ours[j].h, ours[j].score);
  }
}

static void
check_face (EmoFaceNets * nets, const RefCase * rc, const FnImage * im,
    const RefFace * f, Stats * st)
{
  float lm[136], ex[7], emb[256];
  gboolean ok_l, ok_e;
  double side;
  int k;

  ok_l = emo_face_landmarks (nets, im->rgb, im->width, im->height,
      im->width * 3, &f->box, lm);
  ok_e = emo_face_expression (nets, im->rgb, im->width, im->height,
      im->width * 3, &f->box, ex, emb);
  g_assert_true (ok_l == f->valid);
  g_assert_true (ok_e == f->valid);
  if (!f->valid)
    return;
  /* landmark errors also relative to the crop's longer side, the unit the
   * network outputs (its outputs are fractions of the 112-pixel input) */
  side = MAX (MIN (f->box.w, im->width), MIN (f->box.h, im->height));
  for (k = 0; k < 136; k++) {
    double d = fabs (lm[k] - f->lm[k]);
    st->lm = MAX (st->lm, d);
    st->lm_rel = MAX (st->lm_rel, d / side);
  }
  for (k = 0; k < 7; k++)
    st->ex = MAX (st->ex, fabs (ex[k] - f->ex[k]));
  for (k = 0; k < 256; k++)
    st->emb = MAX (st->emb, fabs (emb[k] - f->emb[k]));
  st->n_faces++;
  (void) rc;
}

static EmoFaceNets *
load_nets (void)
{
  gchar *dir = src_path ("models/face");
  GError *e = NULL;
  EmoFaceNets *nets = emo_face_nets_load (dir, &e);
  g_assert_no_error (e);
  g_free (dir);
  return nets;
}

static void
check_case (EmoFaceNets * nets, const RefCase * rc, const FnImage * im,
    Stats * st)
{
  EmoFaceBox boxes[16];
  int s, n, i;

  g_assert_cmpint (im->width, ==, rc->width);
  g_assert_cmpint (im->height, ==, rc->height);
  for (s = 0; s < 2; s++) {
    n = emo_face_detect (nets, im->rgb, im->width, im->height, im->width * 3,
        det_sizes[s], REF_MIN_SCORE, boxes, 16);
    g_assert_cmpint (n, >=, 0);
    check_boxes (rc, s, boxes, n, st);
  }
  for (i = 0; i < rc->n_faces; i++)
    check_face (nets, rc, im, &rc->faces[i], st);
  st->n_cases++;
}

static void
print_stats (const gchar * what, const Stats * st)
{
  g_print ("%s: %u images, %u boxes (min IoU %.5f, max |d score| %.2e, max "
      "|d coord|/size %.2e), %u faces (max |d landmark| %.2e px, %.2e of the "
      "crop side; max |d prob| %.2e; max |d embedding| %.2e)\n", what,
      st->n_cases, st->n_boxes, st->n_boxes ? st->min_iou : 1.0,
      st->box_score, st->box_coord, st->n_faces, st->lm, st->lm_rel, st->ex,
      st->emb);
}

static void
assert_stats (const Stats * st)
{
  g_assert_cmpfloat (st->box_score, <=, TOL);
  g_assert_cmpfloat (st->box_coord, <=, TOL);
  g_assert_cmpfloat (st->lm_rel, <=, TOL);
  g_assert_cmpfloat (st->ex, <=, TOL);
  g_assert_cmpfloat (st->emb, <=, TOL);
}

static void
test_reference_opencv (void)
{
  gchar *path = src_path ("tests/data/facenet-ref.txt");
  GPtrArray *ref = read_reference (path);
  EmoFaceNets *nets;
  Stats st = { 0 };
  guint i, j;

  g_free (path);
  g_assert_cmpuint (ref->len, ==, G_N_ELEMENTS (fn_cases));
  if (!g_file_test (FN_OPENCV_DATA "/messi5.jpg", G_FILE_TEST_EXISTS)) {
    g_ptr_array_free (ref, TRUE);
    g_test_skip ("opencv-doc not installed");
    return;
  }
  st.min_iou = 1.0;
  nets = load_nets ();
  for (i = 0; i < G_N_ELEMENTS (fn_cases); i++) {
    FnImage im;
    RefCase *rc = NULL;
    for (j = 0; j < ref->len; j++)
      if (strcmp (((RefCase *) ref->pdata[j])->name, fn_cases[i].name) == 0)
        rc = ref->pdata[j];
    g_assert_nonnull (rc);
    g_assert_true (fn_case_image (&fn_cases[i], &im));
    check_case (nets, rc, &im, &st);
    fn_image_clear (&im);
  }
  print_stats ("opencv-doc media", &st);
  assert_stats (&st);
  g_assert_cmpuint (st.n_boxes, >=, 10);
  g_assert_cmpuint (st.n_faces, >=, 20);
  emo_face_nets_free (nets);
  g_ptr_array_set_free_func (ref, ref_case_free);
  g_ptr_array_unref (ref);
}

static void
test_reference_fer2013 (void)
{
  gchar *fer = fer_dir (), *path;
  GPtrArray *ref;
  EmoFaceNets *nets;
  Stats st = { 0 };
  guint i;

  if (!fer) {
    g_test_skip ("FER2013 not available (../shared/data/fer2013)");
    return;
  }
  path = src_path ("tests/data/facenet-ref-fer2013.txt");
  ref = read_reference (path);
  g_free (path);
  g_assert_cmpuint (ref->len, >=, 20);
  st.min_iou = 1.0;
  nets = load_nets ();
  for (i = 0; i < ref->len; i++) {
    RefCase *rc = ref->pdata[i];
    gchar *p = g_build_filename (fer, rc->name + strlen ("fer2013/"), NULL);
    FnImage im;
    g_assert_true (fn_decode (p, 0, &im));
    check_case (nets, rc, &im, &st);
    fn_image_clear (&im);
    g_free (p);
  }
  print_stats ("FER2013", &st);
  assert_stats (&st);
  g_assert_cmpuint (st.n_faces, >=, 20);
  emo_face_nets_free (nets);
  g_ptr_array_set_free_func (ref, ref_case_free);
  g_ptr_array_unref (ref);
  g_free (fer);
}

/* ---------------------------------------------------------------- engine */

/* Direct TensorFlow-style convolution for comparison. */
static float
conv_at (const float *in, guint h, guint w, guint c, const float *f, guint k,
    guint co, guint oc, guint s, int pt, int pl, guint oy, guint ox)
{
  float sum = 0.0f;
  guint ky, kx, ci;
  for (ky = 0; ky < k; ky++)
    for (kx = 0; kx < k; kx++) {
      int iy = (int) (oy * s + ky) - pt, ix = (int) (ox * s + kx) - pl;
      if (iy < 0 || ix < 0 || iy >= (int) h || ix >= (int) w)
        continue;
      for (ci = 0; ci < c; ci++)
        sum += in[((gsize) iy * w + ix) * c + ci] *
            f[(((gsize) ky * k + kx) * c + ci) * co + oc];
    }
  return sum;
}

static void
test_engine_layers (void)
{
  const guint h = 9, w = 8, c = 3, k = 3, co = 4;
  float in[9 * 8 * 3], f[3 * 3 * 3 * 4], out[5 * 4 * 4], *scratch, dw[27];
  float dout[5 * 4 * 3], pool[5 * 4 * 3];
  guint i, oy, ox, j;
  EmoRng rng;

  /* SAME on stride 2: 9 -> 5 (pad 1 + 1), 8 -> 4 (pad 0 before, 1 after:
   * TensorFlow puts the odd pixel at the end) */
  g_assert_cmpuint (emo_cnn_out_size (9, 3, 2, EMO_CNN_SAME), ==, 5);
  g_assert_cmpuint (emo_cnn_pad_before (9, 3, 2, EMO_CNN_SAME), ==, 1);
  g_assert_cmpuint (emo_cnn_out_size (8, 3, 2, EMO_CNN_SAME), ==, 4);
  g_assert_cmpuint (emo_cnn_pad_before (8, 3, 2, EMO_CNN_SAME), ==, 0);
  g_assert_cmpuint (emo_cnn_out_size (8, 3, 1, EMO_CNN_VALID), ==, 6);
  g_assert_cmpuint (emo_cnn_out_size (2, 3, 1, EMO_CNN_VALID), ==, 0);

  emo_rng_init (&rng, 7);
  for (i = 0; i < G_N_ELEMENTS (in); i++)
    in[i] = (float) emo_rng_normal (&rng);
  for (i = 0; i < G_N_ELEMENTS (f); i++)
    f[i] = (float) emo_rng_normal (&rng);
  for (i = 0; i < G_N_ELEMENTS (dw); i++)
    dw[i] = (float) emo_rng_normal (&rng);
  scratch = g_new (float, emo_cnn_conv2d_scratch (w, c, k, 2, EMO_CNN_SAME));
  emo_cnn_conv2d (in, h, w, c, f, k, co, 2, EMO_CNN_SAME, NULL, out, scratch);
  g_free (scratch);
  for (oy = 0; oy < 5; oy++)
    for (ox = 0; ox < 4; ox++)
      for (j = 0; j < co; j++)
        g_assert_cmpfloat_with_epsilon (out[(oy * 4 + ox) * co + j],
            conv_at (in, h, w, c, f, k, co, j, 2, 1, 0, oy, ox), 1e-4);
  /* depthwise = a convolution whose filter is diagonal in channels */
  emo_cnn_depthwise (in, h, w, c, dw, k, 2, EMO_CNN_SAME, dout);
  for (oy = 0; oy < 5; oy++)
    for (ox = 0; ox < 4; ox++)
      for (j = 0; j < c; j++) {
        float fd[27 * 3] = { 0 };
        guint t;
        for (t = 0; t < 9; t++)
          fd[(t * c + j) * c + j] = dw[t * c + j];
        g_assert_cmpfloat_with_epsilon (dout[(oy * 4 + ox) * c + j],
            conv_at (in, h, w, c, fd, k, c, j, 2, 1, 0, oy, ox), 1e-4);
      }
  /* 2x2 max pooling, SAME, stride 2 on 9x8: the last row of windows holds
   * one input row only */
  emo_cnn_maxpool (in, h, w, c, 2, 2, EMO_CNN_SAME, pool);
  for (ox = 0; ox < 4; ox++)
    for (j = 0; j < c; j++)
      g_assert_cmpfloat (pool[(4 * 4 + ox) * c + j], ==,
          MAX (in[(8 * w + 2 * ox) * c + j], in[(8 * w + 2 * ox + 1) * c + j]));
  /* leaky ReLU 0.1 */
  {
    float v[2] = { -2.0f, 3.0f };
    emo_cnn_leaky_relu (v, 2, 0.1f);
    g_assert_cmpfloat_with_epsilon (v[0], -0.2f, 1e-6);
    g_assert_cmpfloat_with_epsilon (v[1], 3.0f, 1e-6);
  }
}

/* ---------------------------------------------------------------- bad input */

static gchar *
copy_models (const gchar * tmp)
{
  const gchar *files[] = { EMO_FACE_DETECTOR_FILE, EMO_FACE_LANDMARK_FILE,
    EMO_FACE_EXPRESSION_FILE
  };
  gchar *src = src_path ("models/face");
  guint i;

  for (i = 0; i < 3; i++) {
    gchar *a = g_build_filename (src, files[i], NULL);
    gchar *b = g_build_filename (tmp, files[i], NULL);
    gchar *data;
    gsize len;
    g_assert_true (g_file_get_contents (a, &data, &len, NULL));
    g_assert_true (g_file_set_contents (b, data, (gssize) len, NULL));
    g_free (data);
    g_free (a);
    g_free (b);
  }
  return src;
}

/* Replaces @file in @dir by @len bytes of @data and expects loading to
 * fail with a message naming the file and containing @what. */
static void
expect_bad (const gchar * dir, const gchar * file, const gchar * data,
    gssize len, const gchar * what)
{
  gchar *p = g_build_filename (dir, file, NULL), *orig;
  gsize olen;
  GError *e = NULL;
  EmoFaceNets *nets;

  g_assert_true (g_file_get_contents (p, &orig, &olen, NULL));
  g_assert_true (g_file_set_contents (p, data, len, NULL));
  nets = emo_face_nets_load (dir, &e);
  g_assert_null (nets);
  g_assert_nonnull (e);
  if (g_test_verbose ())
    g_print ("%s\n", e->message);
  g_assert_nonnull (strstr (e->message, file));
  g_assert_nonnull (strstr (e->message, what));
  g_error_free (e);
  g_assert_true (g_file_set_contents (p, orig, (gssize) olen, NULL));
  g_free (orig);
  g_free (p);
}

static void
test_bad_weights (void)
{
  gchar *tmp = g_dir_make_tmp ("emo-facenet-XXXXXX", NULL);
  gchar *src = copy_models (tmp), *p, *data;
  gsize len;
  GError *e = NULL;
  EmoFaceNets *nets;

  nets = emo_face_nets_load (tmp, &e);
  g_assert_no_error (e);
  emo_face_nets_free (nets);

  p = g_build_filename (tmp, EMO_FACE_LANDMARK_FILE, NULL);
  g_assert_true (g_file_get_contents (p, &data, &len, NULL));
  /* foreign file */
  expect_bad (tmp, EMO_FACE_LANDMARK_FILE, "<html>not a net</html>", -1,
      "not a gst-emo face network file");
  /* truncated */
  expect_bad (tmp, EMO_FACE_LANDMARK_FILE, data, (gssize) len - 100,
      "truncated");
  /* one flipped byte in the values */
  data[len / 2] ^= 0x40;
  expect_bad (tmp, EMO_FACE_LANDMARK_FILE, data, (gssize) len, "checksum");
  data[len / 2] ^= 0x40;
  /* a future version */
  data[8] = 9;
  expect_bad (tmp, EMO_FACE_LANDMARK_FILE, data, (gssize) len, "version 9");
  data[8] = 1;
  /* a tensor of the wrong shape or name is refused, naming both shapes */
  {
    EmoCnnWeights *w = emo_cnn_weights_parse ((const guint8 *) data, len,
        "lm.emofn", TRUE, &e);
    guint d7[2] = { 256, 7 };
    g_assert_no_error (e);
    g_assert_null (emo_cnn_weights_get (w, "fc/weights", 2, d7, &e));
    g_assert_nonnull (strstr (e->message, "lm.emofn: tensor \"fc/weights\" "
            "has shape [256, 136], the network needs [256, 7]"));
    g_clear_error (&e);
    g_assert_null (emo_cnn_weights_get (w, "conv8/bias", 2, d7, &e));
    g_assert_nonnull (strstr (e->message, "missing"));
    g_clear_error (&e);
    emo_cnn_weights_free (w);
  }
  /* the wrong network under the right name */
  g_free (p);
  p = g_build_filename (tmp, EMO_FACE_DETECTOR_FILE, NULL);
  expect_bad (tmp, EMO_FACE_DETECTOR_FILE, data, (gssize) len,
      "holds the network \"face_landmark_68\"");
  g_free (data);
  g_free (p);
  /* missing file */
  p = g_build_filename (tmp, EMO_FACE_EXPRESSION_FILE, NULL);
  g_assert_cmpint (g_unlink (p), ==, 0);
  nets = emo_face_nets_load (tmp, &e);
  g_assert_null (nets);
  g_assert_nonnull (strstr (e->message, EMO_FACE_EXPRESSION_FILE));
  g_clear_error (&e);
  g_free (p);
  {
    GDir *d = g_dir_open (tmp, 0, NULL);
    const gchar *n;
    while ((n = g_dir_read_name (d))) {
      gchar *q = g_build_filename (tmp, n, NULL);
      g_unlink (q);
      g_free (q);
    }
    g_dir_close (d);
  }
  g_rmdir (tmp);
  g_free (tmp);
  g_free (src);
}

static void
test_bad_images (void)
{
  EmoFaceNets *nets = load_nets ();
  guint8 *img = g_malloc0 (640 * 480 * 3);
  EmoFaceBox boxes[8], box;
  float lm[136], ex[7];
  int n, k;

  /* black frames: no face, defined result */
  n = emo_face_detect (nets, img, 640, 480, 640 * 3, 320, 0.5f, boxes, 8);
  g_assert_cmpint (n, ==, 0);
  /* bad arguments */
  g_assert_cmpint (emo_face_detect (nets, img, 640, 480, 640 * 3, 300, 0.5f,
          boxes, 8), ==, -1);
  g_assert_cmpint (emo_face_detect (nets, img, 640, 480, 100, 320, 0.5f,
          boxes, 8), ==, -1);
  g_assert_cmpint (emo_face_detect (nets, NULL, 640, 480, 640 * 3, 320, 0.5f,
          boxes, 8), ==, -1);
  g_assert_cmpint (emo_face_detect (nets, img, 0, 480, 640 * 3, 320, 0.5f,
          boxes, 8), ==, -1);
  /* tiny images: every size from 1x1 runs */
  for (k = 1; k < 6; k++)
    g_assert_cmpint (emo_face_detect (nets, img, k, 7 - k, k * 3, 416, 0.0f,
            boxes, 8), ==, 8);
  /* boxes at and beyond the border: clipped like face-api.js, or refused */
  box = (EmoFaceBox) {
  -50, -40, 100, 90, 1};
  g_assert_true (emo_face_landmarks (nets, img, 640, 480, 1920, &box, lm));
  for (k = 0; k < 136; k++)
    g_assert_true (isfinite (lm[k]));
  g_assert_true (emo_face_expression (nets, img, 640, 480, 1920, &box, ex,
          NULL));
  box = (EmoFaceBox) {
  600, 400, 100, 200, 1};
  g_assert_true (emo_face_expression (nets, img, 640, 480, 1920, &box, ex,
          NULL));
  g_assert_cmpfloat_with_epsilon (ex[0] + ex[1] + ex[2] + ex[3] + ex[4] +
      ex[5] + ex[6], 1.0, 1e-5);
  box = (EmoFaceBox) {
  640, 0, 10, 10, 1};
  g_assert_false (emo_face_landmarks (nets, img, 640, 480, 1920, &box, lm));
  box = (EmoFaceBox) {
  -20, 10, 20.5f, 10, 1};
  g_assert_false (emo_face_landmarks (nets, img, 640, 480, 1920, &box, lm));
  box = (EmoFaceBox) {
  NAN, 0, 10, 10, 1};
  g_assert_false (emo_face_expression (nets, img, 640, 480, 1920, &box, ex,
          NULL));
  /* a one-pixel face */
  box = (EmoFaceBox) {
  5, 5, 1, 1, 1};
  g_assert_true (emo_face_landmarks (nets, img, 640, 480, 1920, &box, lm));
  g_free (img);
  emo_face_nets_free (nets);
}

/* face-api.js's aligned box: points spanning x 10..60, y 20..100 give the
 * span widened by 20% (5 and 8 pixels each side) */
static void
test_aligned_box (void)
{
  float lm[136];
  EmoFaceBox b;
  int i;

  for (i = 0; i < 68; i++) {
    lm[2 * i] = 10.0f + 50.0f * (i % 2);
    lm[2 * i + 1] = 20.0f + 80.0f * (i % 3 == 0);
  }
  emo_face_aligned_box (lm, 0.75f, &b);
  g_assert_cmpfloat_with_epsilon (b.x, 5.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (b.y, 12.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (b.w, 60.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (b.h, 96.0, 1e-4);
  g_assert_cmpfloat (b.score, ==, 0.75f);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  if (argc >= 3 && strcmp (argv[1], "--dump") == 0)
    return dump (argv[2], argc >= 4 ? argv[3] : NULL);
  g_test_init (&argc, &argv, NULL);
  emo_blas_set_threads (1);
  g_test_add_func ("/facenet/engine-layers", test_engine_layers);
  g_test_add_func ("/facenet/aligned-box", test_aligned_box);
  g_test_add_func ("/facenet/bad-weights", test_bad_weights);
  g_test_add_func ("/facenet/bad-images", test_bad_images);
  g_test_add_func ("/facenet/reference-opencv", test_reference_opencv);
  g_test_add_func ("/facenet/reference-fer2013", test_reference_fer2013);
  return g_test_run ();
}
