/* gst-emo — reading the project's versioned binary files (emo-binfile.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "ml/emo-binfile.h"
#include "ml/emo-nn.h"

guint32
emo_crc32 (guint32 crc, const guint8 * p, gsize n)
{
  static guint32 table[256];
  static gsize inited = 0;
  gsize i;

  if (g_once_init_enter (&inited)) {
    guint32 k, c;
    int j;
    for (k = 0; k < 256; k++) {
      c = k;
      for (j = 0; j < 8; j++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[k] = c;
    }
    g_once_init_leave (&inited, 1);
  }
  crc = ~crc;
  for (i = 0; i < n; i++)
    crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

void
emo_bin_reader_init (EmoBinReader * r, const guint8 * data, gsize len,
    const gchar * origin, GError ** error)
{
  r->data = data;
  r->len = len;
  r->pos = 0;
  r->origin = origin;
  r->error = error;
  r->failed = FALSE;
}

gboolean
emo_bin_fail (EmoBinReader * r, gint code, const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  if (r->failed)
    return FALSE;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (r->error, EMO_ML_ERROR, code, "%s: %s", r->origin, msg);
  g_free (msg);
  r->failed = TRUE;
  return FALSE;
}

gboolean
emo_bin_need (EmoBinReader * r, gsize n, const gchar * what)
{
  if (r->failed)
    return FALSE;
  if (n > r->len - r->pos)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "truncated: %s needs %"
        G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT " but only %"
        G_GSIZE_FORMAT " remain", what, n, r->pos, r->len - r->pos);
  return TRUE;
}

guint32
emo_bin_u32 (EmoBinReader * r, const gchar * what)
{
  guint32 v = 0;

  if (emo_bin_need (r, 4, what)) {
    memcpy (&v, r->data + r->pos, 4);
    r->pos += 4;
  }
  return v;
}

guint64
emo_bin_u64 (EmoBinReader * r, const gchar * what)
{
  guint64 v = 0;

  if (emo_bin_need (r, 8, what)) {
    memcpy (&v, r->data + r->pos, 8);
    r->pos += 8;
  }
  return v;
}

guint32
emo_bin_check_header (EmoBinReader * r, const EmoBinFormat * f,
    gboolean check_crc)
{
  guint32 version, bom, plen, crc;
  gsize payload;

  if (r->len < 8 || memcmp (r->data, f->magic, 8) != 0)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "not a %s (no \"%s\" magic "
        "at the start)", f->what, f->magic);
  r->pos = 8;
  version = emo_bin_u32 (r, "version");
  bom = emo_bin_u32 (r, "byte-order mark");
  plen = emo_bin_u32 (r, "payload length");
  crc = emo_bin_u32 (r, "checksum");
  if (r->failed)
    return 0;
  if (bom == GUINT32_SWAP_LE_BE (f->bom))
    return emo_bin_fail (r, EMO_ML_ERROR_VERSION, "written on a machine of "
        "the other byte order; re-save it on this one");
  if (bom != f->bom)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "corrupt header: byte-order "
        "mark is 0x%08x, expected 0x%08x", bom, f->bom);
  if (version < f->min_version || version > f->max_version)
    return emo_bin_fail (r, EMO_ML_ERROR_VERSION, "format version %u is not "
        "supported (this build reads versions %u to %u)", version,
        f->min_version, f->max_version);
  payload = r->len - EMO_BINFILE_HEADER_SIZE;
  if ((gsize) plen != payload)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "%s: header says %u payload "
        "bytes, file has %" G_GSIZE_FORMAT, plen > payload ? "truncated" :
        "trailing data", plen, payload);
  if (check_crc && emo_crc32 (0, r->data + EMO_BINFILE_HEADER_SIZE, plen)
      != crc)
    return emo_bin_fail (r, EMO_ML_ERROR_FORMAT, "checksum mismatch: the file "
        "is corrupted");
  return version;
}
