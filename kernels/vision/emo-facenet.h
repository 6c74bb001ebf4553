/* gst-emo — the three pretrained face networks of face-api.js (MIT; weights
 * imported by tools/import-faceapi.py into models/face/): the tiny face
 * detector, the 68-point landmark regressor and the 7-class expression
 * classifier, computed as face-api.js 1.7.15 computes them (input
 * preprocessing, box decoding, non-maximum suppression). Plain C on the
 * engine in emo-cnn.h; no GStreamer. docs/face-nets.md has the details and
 * the measured agreement with the JavaScript reference.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * All images are packed 8-bit RGB (3 bytes per pixel) with @stride bytes per
 * row; coordinates are pixels of that image. An EmoFaceNets holds scratch
 * buffers: one per thread (element instance).
 */
#ifndef EMO_FACENET_H
#define EMO_FACENET_H

#include <glib.h>

G_BEGIN_DECLS

/* file names inside the weights folder */
#define EMO_FACE_DETECTOR_FILE "tiny_face_detector.emofn"
#define EMO_FACE_LANDMARK_FILE "face_landmark_68.emofn"
#define EMO_FACE_EXPRESSION_FILE "face_expression.emofn"

#define EMO_FACE_INPUT_DEFAULT 320      /* detector input, pixels */
#define EMO_FACE_INPUT_REFERENCE 416    /* face-api.js's default */
#define EMO_FACE_INPUT_MAX 1024
#define EMO_FACE_MIN_SCORE_DEFAULT 0.5f /* face-api.js's default */
#define EMO_FACE_EMBEDDING 256  /* expression net's penultimate values */
#define EMO_FACE_N_LANDMARKS 68

typedef struct
{
  float x, y, w, h, score;
} EmoFaceBox;

/* face-api.js's order */
typedef enum
{
  EMO_FACE_EXPR_NEUTRAL,
  EMO_FACE_EXPR_HAPPY,
  EMO_FACE_EXPR_SAD,
  EMO_FACE_EXPR_ANGRY,
  EMO_FACE_EXPR_FEARFUL,
  EMO_FACE_EXPR_DISGUSTED,
  EMO_FACE_EXPR_SURPRISED,
  EMO_FACE_N_EXPR
} EmoFaceExpression;

/* "neutral", "happy", ... (NULL outside the range) */
const gchar *emo_face_expression_name (int expr);

typedef struct _EmoFaceNets EmoFaceNets;

/* Loads the three files from @dir (models/face/ in the source tree,
 * EMO_MODELS_DIR "/face" installed). NULL and an error naming the bad file
 * when one is missing, damaged, foreign or of the wrong shape. */
EmoFaceNets *emo_face_nets_load (const gchar * dir, GError ** error);
void emo_face_nets_free (EmoFaceNets * nets);

/* Detector at @input_size x @input_size (a multiple of 32 in 32..1024; 320
 * default, 416 face-api.js's default): boxes scoring above @min_score after
 * non-maximum suppression (IoU 0.4), best first, at most @max_boxes; returns
 * their count, 0 for an image with no face, -1 on bad arguments (size,
 * NULL pointers). Boxes are face-api.js's, not clipped to the image. */
int emo_face_detect (EmoFaceNets * nets, const guint8 * rgb, int width,
    int height, int stride, int input_size, float min_score,
    EmoFaceBox * boxes, int max_boxes);

/* 68 landmarks (x0, y0, x1, y1, ...) in image pixels for the face in @box:
 * the box clipped to the image and rounded down is cropped, padded to a
 * square and resized to 112x112, as face-api.js does. FALSE (landmarks
 * untouched) when the clipped box is empty or arguments are bad. */
gboolean emo_face_landmarks (EmoFaceNets * nets, const guint8 * rgb,
    int width, int height, int stride, const EmoFaceBox * box,
    float landmarks[136]);

/* 7 expression probabilities (softmax, EmoFaceExpression order) for the
 * face in @box (same crop as the landmarks), and the 256 average-pooled
 * values the classifier reads when @embedding is not NULL. FALSE as for
 * emo_face_landmarks(). */
gboolean emo_face_expression (EmoFaceNets * nets, const guint8 * rgb,
    int width, int height, int stride, const EmoFaceBox * box,
    float probs[7], float *embedding);

/* face-api.js's "aligned" face box (FaceLandmarks.align, used by its
 * withFaceLandmarks().withFaceExpressions() chain for the expression crop):
 * the bounding box of the 68 points, widened by 20% of its width and height
 * (half on each side); @score copied. The box of the points is taken as
 * face-api.js's minBbox computes it, with maxima starting at 0. */
void emo_face_aligned_box (const float landmarks[136], float score,
    EmoFaceBox * box);

G_END_DECLS
#endif /* EMO_FACENET_H */
