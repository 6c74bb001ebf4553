/* gst-emo: emo extract on still images (jpg, png): one hop of visual
 * features per image, with the face chosen as for tight crops
 * (emo_still_face_choose).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_EXTRACT_IMAGE_H
#define EMO_EXTRACT_IMAGE_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EmoStillExtractor EmoStillExtractor;

/* TRUE for the still image names emo extract takes (.jpg, .jpeg, .png). */
gboolean emo_is_still_image (const gchar * path);

/* @layout: "vis-v2" (default when NULL) or "vis-v1". Loads the face nets
 * once. Output files go to @out_dir, and the face each image was described
 * with into @out_dir/still-faces.tsv (name, how, x, y, width, height,
 * score, faces). */
EmoStillExtractor *emo_still_extractor_new (const gchar * layout,
    const gchar * out_dir, GError ** error);
/* One image into @out_dir/<name>.csv (or .arff): one row at time 0 in the
 * layout of emovisfeat on that image (mean of one analysis, standard
 * deviation 0, face_fraction 1, faces_mean = faces the detector found, at
 * least 1). */
gboolean emo_still_extract (EmoStillExtractor * x, const gchar * path,
    gboolean arff, GError ** error);
/* Appends the rows of this run to still-faces.tsv (header when new);
 * FALSE if it cannot. */
gboolean emo_still_extractor_finish (EmoStillExtractor * x, GError ** error);
void emo_still_extractor_free (EmoStillExtractor * x);

G_END_DECLS

#endif
