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
  guint *lines;          /* n_rows 1-based input lines, or NULL */
} EmoTable;

EmoTable *emo_table_new (const gchar * name, guint n_rows, guint n_cols);
void emo_table_free (EmoTable * t);

/* Timestamps beyond this many seconds (11.6 days) are refused: no stream
 * is that long, and far larger ones overflow nanosecond clocks and frame
 * indices. */
#define EMO_TABLE_MAX_TIMESTAMP 1e6
/* emo_table_check_grid(): how far (s) a timestamp may lie off the grid, and
 * how many frames apart rows may typically be */
#define EMO_TABLE_GRID_TOLERANCE 0.001
#define EMO_TABLE_MAX_STEP 10.0

/* AVEC-style CSV: `name;timestamp;v1;v2...` with `;` or `,` separators,
 * optional header line, optional (single or double) quoted names; a file
 * without a name column starts with the timestamp. With a header, a column
 * called timestamp/frameTime/time decides whether a name column comes first
 * (so a numeric name is a name); without one, a first field that is not a
 * number is the name. A UTF-8 byte order mark is skipped. Timestamps must
 * increase from row to row and lie within +-EMO_TABLE_MAX_TIMESTAMP.
 * `origin` names the input in error messages (file:line). */
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

/* For consumers that place rows on a frame grid of `hop` seconds: FALSE
 * (error naming the file and line) if a timestamp lies more than
 * EMO_TABLE_GRID_TOLERANCE off the grid, two rows fall in one frame, or rows
 * are typically more than EMO_TABLE_MAX_STEP frames apart (timestamps in
 * milliseconds, say). */
gboolean emo_table_check_grid (const EmoTable * t, gdouble hop, GError ** error);

/* Writes `name;timestamp;cols...` with a header, numbers with %.6f for
 * timestamps and %.9g for values (locale independent). */
/* The one AVEC CSV / ARFF writer, streaming: a header, then rows, appended
 * to `s`. CSV: `name;timestamp;cols...`; ARFF: @relation, name (string)
 * and frameTime attributes, the columns (numeric), @data. A row is
 * 'name', the time with %.6f and each value with `precision` significant
 * digits (EMO_TABLE_PRECISION for the tables), a non-finite value as
 * `nonfinite` if given (else as printf writes it). emo_table_write_*,
 * emoexport and emo extract all write through these. */
typedef enum {
  EMO_TABLE_FORMAT_CSV,
  EMO_TABLE_FORMAT_ARFF,
} EmoTableFormat;
#define EMO_TABLE_PRECISION 9
void emo_table_append_header (GString * s, EmoTableFormat format,
    const gchar * name, const gchar * const *cols, guint n_cols);
void emo_table_append_row (GString * s, EmoTableFormat format,
    const gchar * name, gdouble t, const gfloat * values, guint n,
    guint precision, const gchar * nonfinite);

gboolean emo_table_write_csv (const EmoTable * t, const gchar * path, GError ** error);
gchar *emo_table_to_csv_string (const EmoTable * t);
gboolean emo_table_write_arff (const EmoTable * t, const gchar * path, GError ** error);

G_END_DECLS

#endif
