/* Reading the project's versioned binary files (models, face networks):
 * one bounds-checked cursor and one header check, so every binary format
 * fails the same way, with the file's name and the offset.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_BINFILE_H
#define EMO_BINFILE_H

#include <glib.h>

G_BEGIN_DECLS

/* magic (8 bytes), version, byte-order mark, payload length, CRC-32 */
#define EMO_BINFILE_HEADER_SIZE 24

/* A cursor over a whole file in memory. After the first failure every read
 * returns 0 / NULL and `failed` stays set; the first error is kept. */
typedef struct
{
  const guint8 *data;
  gsize len, pos;
  const gchar *origin;          /* file name for messages */
  GError **error;
  gboolean failed;
} EmoBinReader;

/* What a format's header must say. */
typedef struct
{
  const gchar *magic;           /* 8 bytes */
  const gchar *what;            /* e.g. "gst-emo model file" */
  guint32 bom;
  guint32 min_version, max_version;
} EmoBinFormat;

void emo_bin_reader_init (EmoBinReader * r, const guint8 * data, gsize len,
    const gchar * origin, GError ** error);
gboolean emo_bin_fail (EmoBinReader * r, gint code, const gchar * fmt, ...)
    G_GNUC_PRINTF (3, 4);
gboolean emo_bin_need (EmoBinReader * r, gsize n, const gchar * what);
guint32 emo_bin_u32 (EmoBinReader * r, const gchar * what);
guint64 emo_bin_u64 (EmoBinReader * r, const gchar * what);
/* the header; the version, or 0 after failing. The CRC covers the payload. */
guint32 emo_bin_check_header (EmoBinReader * r, const EmoBinFormat * f,
    gboolean check_crc);

guint32 emo_crc32 (guint32 crc, const guint8 * p, gsize n);

G_END_DECLS

#endif
