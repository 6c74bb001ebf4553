/* gst-emo — loading fusion data from AVEC-style prediction folders.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_FUSE_DATA_H
#define EMO_FUSE_DATA_H

#include <glib.h>
#include "fuse-train.h"

G_BEGIN_DECLS

/* Reads one sequence per label file of `labels` (or, when labels is NULL,
 * per file of the first input folder), each input folder holding a file of
 * the same name. `match` (glob on the file name, NULL = all) selects files.
 * Predictions are aligned to the label length as AVEC does (crop, or repeat
 * the last value); without labels, to the first input's length. attrs:
 * attribute columns to read (NULL-terminated). */
EmoFuseData *emo_fuse_data_load (const gchar * labels,
    const gchar * const *inputs, const gchar * const *attrs,
    const gchar * match, GError ** error);

/* Stream name for an input folder: its base name without "predictions_". */
gchar *emo_fuse_input_name (const gchar * dir);

G_END_DECLS

#endif
