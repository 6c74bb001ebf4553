/* gst-emo — AVEC-style CSV and numeric ARFF tables (no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EMO_TABLE_H
#define EMO_TABLE_H

#include <glib.h>

G_BEGIN_DECLS

#define EMO_IO_ERROR (emo_io_error_quark ())
GQuark emo_io_error_quark (void);

typedef enum {
  EMO_IO_ERROR_OPEN,      /* file cannot be opened / read */
  EMO_IO_ERROR_FORMAT,    /* structurally wrong: ragged row, bad header */
  EMO_IO_ERROR_NUMBER,    /* a field that should be a number is not */
  EMO_IO_ERROR_EMPTY,     /* no data rows, or an empty folder */
  EMO_IO_ERROR_MISMATCH,  /* names/columns do not match between files */
} EmoIoError;

/* One sequence: rows on a time grid, numeric columns.
 * `name` is the sequence name from the first column (quotes stripped) or,
 * if the file has none, the file's base name without extension. */
typedef struct {
  gchar *name;
  gchar *path;
  guint n_rows;
  guint n_cols;          /* numeric columns after name and timestamp */
  gdouble *timestamps;   /* n_rows, seconds */
  gfloat *data;          /* n_rows * n_cols, row-major */
  gchar **col_names;     /* n_cols names (NULL-terminated) */
} EmoTable;

EmoTable *emo_table_new (const gchar * name, guint n_rows, guint n_cols);
void emo_table_free (EmoTable * t);

/* AVEC-style CSV: `name;timestamp;v1;v2...` with `;` or `,` separators,
 * optional header line, optional (single or double) quoted names; a file
 * without a name column starts with the timestamp. `origin` names the input
 * in error messages (file:line). */
EmoTable *emo_table_parse_csv (const gchar * text, gsize len,
    const gchar * origin, GError ** error);
EmoTable *emo_table_read_csv (const gchar * path, GError ** error);

/* openSMILE/WEKA numeric ARFF: @relation, @attribute NAME numeric|real|string,
 * @data rows; a leading string attribute is the name, an attribute called
 * frameTime/timestamp/time the timestamp; nominal (class) attributes are skipped. */
EmoTable *emo_table_parse_arff (const gchar * text, gsize len,
    const gchar * origin, GError ** error);
EmoTable *emo_table_read_arff (const gchar * path, GError ** error);

/* By extension (.arff -> ARFF, else CSV). */
EmoTable *emo_table_read (const gchar * path, GError ** error);

/* All *.csv / *.arff files of a folder, sorted by file name. Returns an array
 * of EmoTable* (free with g_ptr_array_unref) or NULL with error. */
GPtrArray *emo_table_read_dir (const gchar * dir, GError ** error);

gint emo_table_find_column (const EmoTable * t, const gchar * name);

/* Writes `name;timestamp;cols...` with a header, numbers with %.6f for
 * timestamps and %.9g for values (locale independent). */
gboolean emo_table_write_csv (const EmoTable * t, const gchar * path, GError ** error);
gchar *emo_table_to_csv_string (const EmoTable * t);
gboolean emo_table_write_arff (const EmoTable * t, const gchar * path, GError ** error);

G_END_DECLS

#endif
