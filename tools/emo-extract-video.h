/* gst-emo: feature extraction from media files through GStreamer
 * (decodebin), for `emo extract --modality video|both`.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_EXTRACT_VIDEO_H
#define EMO_EXTRACT_VIDEO_H

#include <glib.h>

G_BEGIN_DECLS

/* Decodes @path once and writes AVEC-style CSV (name;timestamp;features) or
 * ARFF files named after the input (extension dropped): visual features
 * (decodebin ! videoconvert ! emovisfeat) into @video_dir when it is not
 * NULL, acoustic features (decodebin ! audioconvert ! audioresample !
 * emoaudiofeat, feature set nick @audio_set or NULL for the default) into
 * @audio_dir when it is not NULL. Frames are @hop_s apart and summarise
 * @window_s. Rows of hops without a face (GAP frames) hold zeros, their
 * face_fraction column is 0. Errors name the file. @index / @n_files only
 * label the progress line shown when @show. */
gboolean emo_extract_media_file (const gchar * path, const gchar * video_dir,
    const gchar * audio_dir, gdouble hop_s, gdouble window_s,
    const gchar * audio_set, gboolean arff, guint index, guint n_files,
    gboolean show, GError ** error);

G_END_DECLS

#endif
