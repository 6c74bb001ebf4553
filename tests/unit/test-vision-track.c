/* gst-emo: the face-following policy (kernels/vision/emo-track.c): when the
 * detector runs, which face is chosen, tracking in between, hold, loss. */
#include <string.h>
#include "vision/emo-track.h"

#define W 160
#define H 120

typedef struct
{
  guint calls;
  GArray *boxes;                /* what the fake detector finds */
} FakeDetector;

static gboolean
fake_detect (gpointer user_data, GArray * out)
{
  FakeDetector *d = user_data;

  d->calls++;
  g_array_set_size (out, 0);
  g_array_append_vals (out, d->boxes->data, d->boxes->len);
  return TRUE;
}

/* a textured frame (the tracker needs structure to match) */
static void
textured (guint8 * img)
{
  gint x, y;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      img[y * W + x] = (guint8) ((x * 37 + y * 91 + ((x * y) % 13) * 17) & 255);
}

static void
test_select (void)
{
  EmoRect b[3] = { {0, 0, 20, 20}, {70, 50, 20, 20}, {100, 10, 50, 50} };
  EmoRect prev = { 2, 1, 20, 20 };

  g_assert_cmpint (emo_face_select (b, 3, EMO_FACE_SELECT_LARGEST, NULL, W, H),
      ==, 2);
  g_assert_cmpint (emo_face_select (b, 3, EMO_FACE_SELECT_CENTER, NULL, W, H),
      ==, 1);
  g_assert_cmpint (emo_face_select (b, 3, EMO_FACE_SELECT_STICKY, &prev, W, H),
      ==, 0);
  /* sticky without a previous box: the largest */
  g_assert_cmpint (emo_face_select (b, 3, EMO_FACE_SELECT_STICKY, NULL, W, H),
      ==, 2);
  g_assert_cmpint (emo_face_select (b, 0, EMO_FACE_SELECT_LARGEST, NULL, W, H),
      ==, -1);
}

static void
test_cadence_and_tracking (void)
{
  static guint8 img[W * H];
  EmoFaceFollow f;
  FakeDetector d = { 0, g_array_new (FALSE, FALSE, sizeof (EmoRect)) };
  EmoRect face = { 40, 30, 48, 48 };
  guint i;

  textured (img);
  g_array_append_val (d.boxes, face);
  emo_face_follow_init (&f, 5, EMO_FACE_SELECT_LARGEST, 100);
  for (i = 0; i < 12; i++) {
    EmoFaceSource s = emo_face_follow_frame (&f, fake_detect, &d, img, W, H,
        W, i * 10);
    /* a search on frames 0, 5, 10; the tracker in between */
    if (i % 5 == 0) {
      g_assert_cmpint (s, ==, EMO_FACE_SOURCE_DETECTOR);
      g_assert_cmpint (f.selected, ==, 0);
    } else {
      g_assert_cmpint (s, ==, EMO_FACE_SOURCE_TRACKER);
      g_assert_cmpint (f.selected, ==, -1);
    }
    /* a static image: the box does not move */
    g_assert_cmpint (f.box.x, ==, face.x);
    g_assert_cmpint (f.box.y, ==, face.y);
    g_assert_cmpuint (f.n_faces, ==, 1);
  }
  g_assert_cmpuint (d.calls, ==, 3);
  emo_face_follow_clear (&f);
  g_array_unref (d.boxes);
}

static void
test_lost_then_held_then_none (void)
{
  static guint8 img[W * H], flat[W * H];
  EmoFaceFollow f;
  FakeDetector d = { 0, g_array_new (FALSE, FALSE, sizeof (EmoRect)) };
  EmoRect face = { 40, 30, 48, 48 };
  EmoFaceSource s;

  textured (img);
  memset (flat, 0, sizeof (flat));
  g_array_append_val (d.boxes, face);
  emo_face_follow_init (&f, 5, EMO_FACE_SELECT_LARGEST, 100);
  s = emo_face_follow_frame (&f, fake_detect, &d, img, W, H, W, 0);
  g_assert_cmpint (s, ==, EMO_FACE_SOURCE_DETECTOR);

  /* the face vanishes: the detector finds nothing, the template no longer
   * matches, so the box is held */
  g_array_set_size (d.boxes, 0);
  s = emo_face_follow_frame (&f, fake_detect, &d, flat, W, H, W, 40);
  g_assert_cmpint (s, ==, EMO_FACE_SOURCE_HELD);
  g_assert_cmpuint (d.calls, ==, 1);
  /* lost: the next frame searches again (not 5 frames later) */
  s = emo_face_follow_frame (&f, fake_detect, &d, flat, W, H, W, 80);
  g_assert_cmpint (s, ==, EMO_FACE_SOURCE_HELD);
  g_assert_cmpuint (d.calls, ==, 2);
  g_assert_cmpuint (f.n_faces, ==, 0);
  /* past the hold time: no face */
  s = emo_face_follow_frame (&f, fake_detect, &d, flat, W, H, W, 101);
  g_assert_cmpint (s, ==, EMO_FACE_SOURCE_NONE);
  g_assert_false (f.have_box);

  /* back: found at once (the face was just lost) */
  g_array_append_val (d.boxes, face);
  s = emo_face_follow_frame (&f, fake_detect, &d, img, W, H, W, 120);
  g_assert_cmpint (s, ==, EMO_FACE_SOURCE_DETECTOR);
  emo_face_follow_clear (&f);
  g_array_unref (d.boxes);
}

static void
test_search_misses_tracker_answers (void)
{
  static guint8 img[W * H];
  EmoFaceFollow f;
  FakeDetector d = { 0, g_array_new (FALSE, FALSE, sizeof (EmoRect)) };
  EmoRect face = { 40, 30, 48, 48 };
  guint i;

  textured (img);
  g_array_append_val (d.boxes, face);
  emo_face_follow_init (&f, 2, EMO_FACE_SELECT_LARGEST, 0);
  g_assert_cmpint (emo_face_follow_frame (&f, fake_detect, &d, img, W, H, W,
          0), ==, EMO_FACE_SOURCE_DETECTOR);
  g_array_set_size (d.boxes, 0);
  /* every search misses, the face is still there: the tracker keeps it */
  for (i = 1; i < 6; i++)
    g_assert_cmpint (emo_face_follow_frame (&f, fake_detect, &d, img, W, H, W,
            i), ==, EMO_FACE_SOURCE_TRACKER);
  g_assert_cmpuint (d.calls, >=, 3);
  emo_face_follow_clear (&f);
  g_array_unref (d.boxes);
}

/* nothing in view: a search every detect_interval frames, not every frame */
static void
test_no_face_cadence (void)
{
  static guint8 img[W * H];
  EmoFaceFollow f;
  FakeDetector d = { 0, g_array_new (FALSE, FALSE, sizeof (EmoRect)) };
  guint i;

  textured (img);
  emo_face_follow_init (&f, 5, EMO_FACE_SELECT_LARGEST, 0);
  for (i = 0; i < 20; i++)
    g_assert_cmpint (emo_face_follow_frame (&f, fake_detect, &d, img, W, H, W,
            i), ==, EMO_FACE_SOURCE_NONE);
  g_assert_cmpuint (d.calls, ==, 4);
  emo_face_follow_clear (&f);
  g_array_unref (d.boxes);
}

static void
test_given_and_reset (void)
{
  EmoFaceFollow f;
  EmoRect b[2] = { {0, 0, 10, 10}, {50, 50, 30, 30} };

  emo_face_follow_init (&f, 5, EMO_FACE_SELECT_LARGEST, 100);
  g_assert_cmpint (emo_face_follow_given (&f, b, 2, W, H, 0), ==,
      EMO_FACE_SOURCE_UPSTREAM);
  g_assert_cmpint (f.selected, ==, 1);
  g_assert_cmpuint (f.n_faces, ==, 2);
  g_assert_cmpint (f.box.x, ==, 50);
  /* no upstream box: no face, no hold */
  g_assert_cmpint (emo_face_follow_given (&f, NULL, 0, W, H, 1), ==,
      EMO_FACE_SOURCE_NONE);
  g_assert_cmpstr (emo_face_source_name (EMO_FACE_SOURCE_HELD), ==, "held");
  emo_face_follow_reset (&f);
  g_assert_false (f.have_box);
  g_assert_cmpuint (f.faces->len, ==, 0);
  emo_face_follow_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vision/follow/select", test_select);
  g_test_add_func ("/vision/follow/cadence", test_cadence_and_tracking);
  g_test_add_func ("/vision/follow/lost", test_lost_then_held_then_none);
  g_test_add_func ("/vision/follow/search-misses",
      test_search_misses_tracker_answers);
  g_test_add_func ("/vision/follow/given", test_given_and_reset);
  g_test_add_func ("/vision/follow/no-face", test_no_face_cadence);
  return g_test_run ();
}
