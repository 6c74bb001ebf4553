/* gst-emo: landmark features (kernels/vision/emo-facefeat.c) on synthetic
 * landmarks: a known rotation gives the known pose, opening the mouth raises
 * mouth opening, and so on. */
#include <math.h>
#include <string.h>
#include "vision/emo-facefeat.h"

#define NP EMO_FACEFEAT_N_POINTS

/* A generic 3D face in the 68-point order (x right, y up, z toward the
 * camera; the six pose points at the kernel's model coordinates). */
static void
face3d (gdouble p[NP][3])
{
  static const gdouble fixed[][4] = {
    /* index, x, y, z */
    {17, -280, 245, -150}, {18, -230, 262, -130}, {19, -175, 268, -120},
    {20, -120, 262, -115}, {21, -70, 250, -110},
    {22, 70, 250, -110}, {23, 120, 262, -115}, {24, 175, 268, -120},
    {25, 230, 262, -130}, {26, 280, 245, -150},
    {27, 0, 170, -100}, {28, 0, 115, -65}, {29, 0, 57, -30}, {30, 0, 0, 0},
    {31, -60, -40, -60}, {32, -30, -45, -50}, {33, 0, -50, -40},
    {34, 30, -45, -50}, {35, 60, -40, -60},
    {36, -225, 170, -135}, {37, -175, 190, -125}, {38, -125, 190, -125},
    {39, -75, 170, -120}, {40, -125, 150, -125}, {41, -175, 150, -125},
    {42, 75, 170, -120}, {43, 125, 190, -125}, {44, 175, 190, -125},
    {45, 225, 170, -135}, {46, 175, 150, -125}, {47, 125, 150, -125},
    {48, -150, -150, -125}, {49, -100, -120, -110}, {50, -40, -105, -100},
    {51, 0, -110, -95}, {52, 40, -105, -100}, {53, 100, -120, -110},
    {54, 150, -150, -125}, {55, 100, -185, -110}, {56, 40, -200, -100},
    {57, 0, -205, -100}, {58, -40, -200, -100}, {59, -100, -185, -110},
    {60, -130, -150, -120}, {61, -50, -140, -105}, {62, 0, -140, -100},
    {63, 50, -140, -105}, {64, 130, -150, -120}, {65, 50, -160, -105},
    {66, 0, -160, -100}, {67, -50, -160, -105},
  };
  guint i;

  for (i = 0; i <= 16; i++) {
    gdouble t = G_PI * i / 16;
    p[i][0] = -290 * cos (t);
    p[i][1] = 150 - 480 * sin (t);
    p[i][2] = -300 + 235 * sin (t);
  }
  for (i = 0; i < G_N_ELEMENTS (fixed); i++) {
    gint k = (gint) fixed[i][0];
    p[k][0] = fixed[i][1];
    p[k][1] = fixed[i][2];
    p[k][2] = fixed[i][3];
  }
}

/* rotate about y (yaw), then x (pitch) with the kernel's conventions, and
 * project orthographically into a 640x480 image at 0.2 px per unit */
static void
project (gdouble p[NP][3], gdouble yaw, gdouble pitch, gfloat * lm)
{
  gdouble b = yaw * G_PI / 180, a = pitch * G_PI / 180;
  gint i;

  for (i = 0; i < NP; i++) {
    gdouble x = p[i][0], y = p[i][1], z = p[i][2];
    /* Rx(a) */
    gdouble y1 = y * cos (a) - z * sin (a), z1 = y * sin (a) + z * cos (a);
    /* Ry(b) */
    gdouble x2 = x * cos (b) + z1 * sin (b);
    lm[2 * i] = (gfloat) (320 + 0.2 * x2);
    lm[2 * i + 1] = (gfloat) (240 - 0.2 * y1);
  }
}

/* clockwise on screen by @deg about (cx, cy), then scaled by @s */
static void
rotate_image (gfloat * lm, gdouble deg, gdouble s, gdouble cx, gdouble cy)
{
  gdouble a = deg * G_PI / 180;
  gint i;

  for (i = 0; i < NP; i++) {
    gdouble x = lm[2 * i] - cx, y = lm[2 * i + 1] - cy;
    lm[2 * i] = (gfloat) (cx + s * (x * cos (a) - y * sin (a)));
    lm[2 * i + 1] = (gfloat) (cy + s * (x * sin (a) + y * cos (a)));
  }
}

static const gfloat probs[EMO_FACEFEAT_N_EXPR] =
    { 0.5f, 0.2f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f };

static void
describe (gdouble p[NP][3], gdouble yaw, gdouble pitch, gfloat * out)
{
  gfloat lm[2 * NP];

  project (p, yaw, pitch, lm);
  g_assert_true (emo_facefeat_describe (lm, probs, out));
}

static void
test_pose (void)
{
  static const gdouble yaws[] = { 0, 20, -35, 10 };
  static const gdouble pitches[] = { 0, 0, 0, 15 };
  gdouble p[NP][3];
  gfloat lm[2 * NP];
  gdouble pose[3];
  guint i;

  face3d (p);
  for (i = 0; i < G_N_ELEMENTS (yaws); i++) {
    project (p, yaws[i], pitches[i], lm);
    g_assert_true (emo_face_head_pose (lm, pose));
    g_assert_cmpfloat_with_epsilon (pose[0], yaws[i], 0.5);
    g_assert_cmpfloat_with_epsilon (pose[1], pitches[i], 0.5);
    g_assert_cmpfloat_with_epsilon (pose[2], 0, 0.5);
  }
  /* turned clockwise on screen by 12 degrees and scaled: roll 12 */
  project (p, 0, 0, lm);
  rotate_image (lm, 12, 1.7, 300, 250);
  g_assert_true (emo_face_head_pose (lm, pose));
  g_assert_cmpfloat_with_epsilon (pose[0], 0, 0.5);
  g_assert_cmpfloat_with_epsilon (pose[1], 0, 0.5);
  g_assert_cmpfloat_with_epsilon (pose[2], 12, 0.5);
}

static void
test_align_invariant (void)
{
  gdouble p[NP][3], iod0, iod1;
  gfloat lm[2 * NP], a0[2 * NP], a1[2 * NP];
  gint i;

  face3d (p);
  project (p, 0, 0, lm);
  g_assert_true (emo_face_align (lm, a0, &iod0));
  /* eye centres at (-0.5, 0) and (0.5, 0), 60 px apart at 0.2 px/unit */
  g_assert_cmpfloat_with_epsilon (iod0, 60.0, 1e-3);
  /* outer corner of the left eye: x -225 units, eye centres at -150 and
   * 150, so -0.75 inter-ocular units, at the eyes' height (170 - 170) */
  g_assert_cmpfloat_with_epsilon (a0[2 * 36], -0.75, 1e-4);
  g_assert_cmpfloat_with_epsilon (a0[2 * 36 + 1], 0.0, 1e-4);
  rotate_image (lm, -25, 0.6, 100, 400);
  g_assert_true (emo_face_align (lm, a1, &iod1));
  g_assert_cmpfloat_with_epsilon (iod1, 36.0, 1e-3);
  for (i = 0; i < 2 * NP; i++)
    g_assert_cmpfloat_with_epsilon (a0[i], a1[i], 1e-4);
}

static gfloat
au (const gfloat * v, EmoFaceFeatAu k)
{
  return v[EMO_FACEFEAT_AU_OFFSET + k];
}

static void
test_action_units (void)
{
  gdouble p[NP][3], q[NP][3];
  gfloat v0[EMO_FACEFEAT_FRAME_DIMS], v1[EMO_FACEFEAT_FRAME_DIMS];
  gint i;

  face3d (p);
  describe (p, 0, 0, v0);
  /* the neutral shape's values, in inter-ocular units (300 model units) */
  g_assert_cmpfloat_with_epsilon (au (v0, EMO_FACEFEAT_LIP_STRETCH), 1.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (au (v0, EMO_FACEFEAT_MOUTH_OPEN), 20 / 300.,
      1e-4);
  g_assert_cmpfloat_with_epsilon (au (v0, EMO_FACEFEAT_EYE_OPEN_L), 40 / 300.,
      1e-4);
  for (i = 0; i < EMO_FACEFEAT_N_EXPR; i++)
    g_assert_cmpfloat (v0[EMO_FACEFEAT_EXPR_OFFSET + i], ==, probs[i]);

  /* mouth open, jaw down: lower lip and chin move down by 60 units */
  memcpy (q, p, sizeof (q));
  for (i = 55; i <= 59; i++)
    q[i][1] -= 60;
  for (i = 65; i <= 67; i++)
    q[i][1] -= 60;
  for (i = 5; i <= 11; i++)
    q[i][1] -= 60;
  describe (q, 0, 0, v1);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_MOUTH_OPEN),
      80 / 300., 1e-3);
  g_assert_cmpfloat (au (v1, EMO_FACEFEAT_JAW_DROP), >,
      au (v0, EMO_FACEFEAT_JAW_DROP) + 0.15);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_BROW_RAISE_L),
      au (v0, EMO_FACEFEAT_BROW_RAISE_L), 1e-4);

  /* smile: mouth corners up and out */
  memcpy (q, p, sizeof (q));
  q[48][1] += 40;
  q[54][1] += 40;
  q[48][0] -= 30;
  q[54][0] += 30;
  describe (q, 0, 0, v1);
  g_assert_cmpfloat (au (v1, EMO_FACEFEAT_LIP_CORNER_PULL), >,
      au (v0, EMO_FACEFEAT_LIP_CORNER_PULL) + 0.1);
  g_assert_cmpfloat (au (v1, EMO_FACEFEAT_LIP_STRETCH), >,
      au (v0, EMO_FACEFEAT_LIP_STRETCH) + 0.15);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_MOUTH_OPEN),
      au (v0, EMO_FACEFEAT_MOUTH_OPEN), 1e-4);

  /* left brow raised, brows drawn together on the right side */
  memcpy (q, p, sizeof (q));
  for (i = 17; i <= 21; i++)
    q[i][1] += 30;
  q[22][0] -= 30;
  describe (q, 0, 0, v1);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_BROW_RAISE_L),
      au (v0, EMO_FACEFEAT_BROW_RAISE_L) + 0.1, 1e-4);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_BROW_RAISE_R),
      au (v0, EMO_FACEFEAT_BROW_RAISE_R) + 0.0, 0.02);
  g_assert_cmpfloat (au (v1, EMO_FACEFEAT_BROW_GAP), <,
      au (v0, EMO_FACEFEAT_BROW_GAP) - 0.05);

  /* eyes closed */
  memcpy (q, p, sizeof (q));
  for (i = 36; i <= 47; i++)
    q[i][1] = 170;
  describe (q, 0, 0, v1);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_EYE_OPEN_L), 0, 1e-4);
  g_assert_cmpfloat_with_epsilon (au (v1, EMO_FACEFEAT_EYE_OPEN_R), 0, 1e-4);
}

static void
test_bad_input (void)
{
  gfloat lm[2 * NP], out[EMO_FACEFEAT_FRAME_DIMS], bad[EMO_FACEFEAT_N_EXPR];
  gdouble p[NP][3], pose[3];
  gint i;

  /* all points in one place: no inter-ocular distance */
  for (i = 0; i < 2 * NP; i++)
    lm[i] = 10.0f;
  g_assert_false (emo_facefeat_describe (lm, probs, out));
  g_assert_false (emo_face_head_pose (lm, pose));
  face3d (p);
  project (p, 0, 0, lm);
  lm[17] = NAN;
  g_assert_false (emo_facefeat_describe (lm, probs, out));
  project (p, 0, 0, lm);
  memcpy (bad, probs, sizeof (bad));
  bad[3] = INFINITY;
  g_assert_false (emo_facefeat_describe (lm, bad, out));
  g_assert_true (emo_facefeat_describe (lm, probs, out));
  for (i = 0; i < EMO_FACEFEAT_FRAME_DIMS; i++)
    g_assert_true (isfinite (out[i]));
}

static void
test_names (void)
{
  gchar **names = emo_facefeat_names ();
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  g_assert_cmpuint (g_strv_length (names), ==, EMO_FACEFEAT_POOLED_DIMS);
  for (i = 0; names[i]; i++) {
    g_assert_false (g_hash_table_contains (seen, names[i]));
    g_hash_table_add (seen, names[i]);
  }
  g_assert_cmpstr (names[0], ==, "head_yaw_mean");
  g_assert_cmpstr (names[EMO_FACEFEAT_EXPR_OFFSET + 1], ==, "expr_happy_mean");
  g_assert_cmpstr (names[EMO_FACEFEAT_FRAME_DIMS + 10], ==,
      "au_mouth_open_std");
  g_assert_cmpstr (names[EMO_FACEFEAT_POOLED_DIMS - 1], ==, "faces_mean");
  g_hash_table_unref (seen);
  g_strfreev (names);
}

static void
test_still_choose (void)
{
  gfloat box[4];
  gfloat face[5] = { 100, 80, 120, 140, 0.9f };

  /* a 48x48 crop: the whole image, whatever the detector said */
  g_assert_cmpint (emo_still_face_choose (48, 48, face, box), ==,
      EMO_STILL_FACE_SMALL);
  g_assert_cmpfloat (box[2], ==, 48);
  g_assert_cmpint (emo_still_face_choose (640, 129, NULL, box), ==,
      EMO_STILL_FACE_NO_BOX);
  g_assert_cmpint (emo_still_face_choose (640, 128, NULL, box), ==,
      EMO_STILL_FACE_SMALL);
  /* a real box in a scene */
  g_assert_cmpint (emo_still_face_choose (640, 480, face, box), ==,
      EMO_STILL_FACE_DETECTED);
  g_assert_cmpfloat (box[0], ==, 100);
  g_assert_cmpfloat (box[3], ==, 140);
  /* a weak box */
  face[4] = 0.49f;
  g_assert_cmpint (emo_still_face_choose (640, 480, face, box), ==,
      EMO_STILL_FACE_NO_BOX);
  g_assert_cmpfloat (box[0], ==, 0);
  g_assert_cmpfloat (box[2], ==, 640);
  /* the share of the image the box covers, after clipping: 45%, 50% */
  face[0] = -50;
  face[1] = 0;
  face[2] = 150;
  face[3] = 180;
  face[4] = 0.8f;
  g_assert_cmpint (emo_still_face_choose (200, 200, face, box), ==,
      EMO_STILL_FACE_DETECTED);
  face[3] = 250;
  g_assert_cmpint (emo_still_face_choose (200, 200, face, box), ==,
      EMO_STILL_FACE_DETECTED);
  /* 150 x 200 inside: 75% */
  face[2] = 200;
  g_assert_cmpint (emo_still_face_choose (200, 200, face, box), ==,
      EMO_STILL_FACE_LARGE_BOX);
  g_assert_cmpstr (emo_still_face_name (EMO_STILL_FACE_LARGE_BOX), ==,
      "large-box");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vision/facefeat/pose", test_pose);
  g_test_add_func ("/vision/facefeat/align", test_align_invariant);
  g_test_add_func ("/vision/facefeat/action-units", test_action_units);
  g_test_add_func ("/vision/facefeat/bad-input", test_bad_input);
  g_test_add_func ("/vision/facefeat/names", test_names);
  g_test_add_func ("/vision/facefeat/still-choose", test_still_choose);
  return g_test_run ();
}
