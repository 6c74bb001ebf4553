/* gst-emo — AVEC-style CSV and numeric ARFF tables.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The readers are written to be fed hostile input (they have fuzz targets):
 * every field is length-bounded by the buffer, nothing is NUL-terminated in
 * place, and all errors name the origin and the 1-based line.
 */
#include "emo-table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (emo - io - error - quark, emo_io_error)
#define MAX_COLS 100000
     static gint cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return x < y ? -1 : x > y;
}

EmoTable *
emo_table_new (const gchar * name, guint n_rows, guint n_cols)
{
  EmoTable *t = g_new0 (EmoTable, 1);
  guint i;

  t->name = g_strdup (name ? name : "");
  t->n_rows = n_rows;
  t->n_cols = n_cols;
  t->timestamps = g_new0 (gdouble, MAX (n_rows, 1));
  t->data = g_new0 (gfloat, MAX ((gsize) n_rows * n_cols, 1));
  t->col_names = g_new0 (gchar *, n_cols + 1);
  for (i = 0; i < n_cols; i++)
    t->col_names[i] = g_strdup_printf ("v%u", i);
  return t;
}

void
emo_table_free (EmoTable * t)
{
  if (!t)
    return;
  g_free (t->name);
  g_free (t->path);
  g_free (t->timestamps);
  g_free (t->lines);
  g_free (t->data);
  g_strfreev (t->col_names);
  g_free (t);
}

gint
emo_table_find_column (const EmoTable * t, const gchar * name)
{
  guint i;

  for (i = 0; i < t->n_cols; i++)
    if (g_ascii_strcasecmp (t->col_names[i], name) == 0)
      return (gint) i;
  return -1;
}

/* ---- field splitting ---------------------------------------------------- */

typedef struct
{
  const gchar *p;
  gsize len;
} Field;

static gchar *
field_strip_dup (Field f)
{
  const gchar *s = f.p;
  gsize n = f.len;

  while (n > 0 && g_ascii_isspace (*s)) {
    s++;
    n--;
  }
  while (n > 0 && g_ascii_isspace (s[n - 1]))
    n--;
  if (n >= 2 && ((s[0] == '\'' && s[n - 1] == '\'') || (s[0] == '"'
              && s[n - 1] == '"'))) {
    s++;
    n -= 2;
  }
  return g_strndup (s, n);
}

/* Parses a whole field as a finite or non-finite double; FALSE if not a number. */
static gboolean
field_to_double (Field f, gdouble * out)
{
  gchar buf[64];
  const gchar *s = f.p;
  gsize n = f.len;
  gchar *end = NULL;
  gdouble v;

  while (n > 0 && g_ascii_isspace (*s)) {
    s++;
    n--;
  }
  while (n > 0 && g_ascii_isspace (s[n - 1]))
    n--;
  if (n == 0 || n >= sizeof (buf))
    return FALSE;
  memcpy (buf, s, n);
  buf[n] = '\0';
  if (g_ascii_strcasecmp (buf, "nan") == 0) {
    *out = NAN;
    return TRUE;
  }
  errno = 0;
  v = g_ascii_strtod (buf, &end);
  if (end == buf || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/* Splits one line into fields on `sep`, honouring simple quotes. */
static GArray *
split_line (const gchar * line, gsize len, gchar sep, GArray * fields)
{
  gsize i, start = 0;
  gchar quote = 0;

  g_array_set_size (fields, 0);
  for (i = 0; i <= len; i++) {
    gchar c = i < len ? line[i] : sep;
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (i == len) {
        /* unterminated quote: end the field at the line end */
        Field f = { line + start, len - start };
        g_array_append_val (fields, f);
        break;
      }
      continue;
    }
    if ((c == '\'' || c == '"') && i < len) {
      /* a quote opens only at the start of a field */
      gsize k = start;
      while (k < i && g_ascii_isspace (line[k]))
        k++;
      if (k == i)
        quote = c;
      continue;
    }
    if (c == sep) {
      Field f = { line + start, i - start };
      g_array_append_val (fields, f);
      start = i + 1;
    }
  }
  return fields;
}

static gchar
detect_separator (const gchar * line, gsize len)
{
  gsize i, semi = 0, comma = 0, tab = 0;

  for (i = 0; i < len; i++) {
    if (line[i] == ';')
      semi++;
    else if (line[i] == ',')
      comma++;
    else if (line[i] == '\t')
      tab++;
  }
  if (semi >= comma && semi >= tab && semi > 0)
    return ';';
  if (comma >= tab && comma > 0)
    return ',';
  if (tab > 0)
    return '\t';
  return ';';
}

typedef struct
{
  const gchar *text;
  gsize len;
  gsize pos;
  guint lineno;
} LineReader;

static gboolean
next_line (LineReader * r, const gchar ** line, gsize * len)
{
  gsize s, e;

  if (r->pos >= r->len)
    return FALSE;
  s = r->pos;
  e = s;
  while (e < r->len && r->text[e] != '\n')
    e++;
  r->pos = e < r->len ? e + 1 : e;
  r->lineno++;
  if (e > s && r->text[e - 1] == '\r')
    e--;
  *line = r->text + s;
  *len = e - s;
  return TRUE;
}

static gboolean
line_is_blank (const gchar * line, gsize len)
{
  gsize i;

  for (i = 0; i < len; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

static gchar *
basename_noext (const gchar * origin)
{
  gchar *b = g_path_get_basename (origin ? origin : "input");
  gchar *dot = strrchr (b, '.');

  if (dot && dot != b)
    *dot = '\0';
  return b;
}

/* Is this header field the name of a timestamp column? */
static gboolean
is_time_name (const gchar * s)
{
  return g_ascii_strcasecmp (s, "timestamp") == 0 ||
      g_ascii_strcasecmp (s, "frameTime") == 0 ||
      g_ascii_strcasecmp (s, "time") == 0;
}

/* Rows must go forward in time, and a timestamp must fit every clock that
 * later holds it (nanoseconds in 64 bits, frame indices): checked on every
 * row of every reader, so that no consumer sees a backward, duplicate,
 * non-finite or absurd time. */
static gboolean
check_timestamp (const gchar * origin, guint lineno, gdouble t, guint n_rows,
    gdouble prev, guint prev_line, GError ** error)
{
  if (!isfinite (t) || fabs (t) > EMO_TABLE_MAX_TIMESTAMP) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_NUMBER,
        "%s:%u: timestamp %g is not a time in seconds between -%g and %g",
        origin, lineno, t, EMO_TABLE_MAX_TIMESTAMP, EMO_TABLE_MAX_TIMESTAMP);
    return FALSE;
  }
  if (n_rows > 0 && t <= prev) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: timestamp %g s is %s the previous row's (%g s, line %u); "
        "rows must be in time order, one per time", origin, lineno, t,
        t == prev ? "the same as" : "before", prev, prev_line);
    return FALSE;
  }
  return TRUE;
}

/* CSV parsing state, one per input. */
typedef struct
{
  const gchar *origin;
  gchar sep;
  guint n_fields;               /* fields per row, 0 before the first line */
  gint has_name;                /* -1 until decided */
  guint n_cols;
  gchar **header;
  gchar *name;
  GArray *fields, *values, *times, *lines;
} CsvState;

/* First non-blank line: a header if its last field is not a number; the
 * header's timestamp column decides whether a name column comes first
 * (a numeric session name, as pandas writes it, is then still a name). */
static gboolean
csv_first_line (CsvState * st)
{
  Field last = g_array_index (st->fields, Field, st->fields->len - 1);
  gdouble d;
  guint i;

  st->n_fields = st->fields->len;
  if (field_to_double (last, &d))
    return FALSE;
  st->header = g_new0 (gchar *, st->n_fields + 1);
  for (i = 0; i < st->n_fields; i++)
    st->header[i] = field_strip_dup (g_array_index (st->fields, Field, i));
  if (is_time_name (st->header[0]))
    st->has_name = 0;
  else if (st->n_fields > 1 && is_time_name (st->header[1]))
    st->has_name = 1;
  return TRUE;
}

/* One data row (fields already split); FALSE with `error` set. */
static gboolean
csv_data_row (CsvState * st, guint lineno, GError ** error)
{
  guint i, first_num, n_rows = st->times->len;
  gdouble d;

  if (st->fields->len != st->n_fields) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: ragged row: %u fields, expected %u", st->origin, lineno,
        st->fields->len, st->n_fields);
    return FALSE;
  }
  if (st->has_name < 0)
    st->has_name = !field_to_double (g_array_index (st->fields, Field, 0), &d);
  if (st->n_cols == 0) {
    if (st->n_fields < (guint) (st->has_name ? 3 : 2)) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
          "%s:%u: need %s timestamp and at least one value column",
          st->origin, lineno, st->has_name ? "a name," : "a");
      return FALSE;
    }
    st->n_cols = st->n_fields - (st->has_name ? 2 : 1);
  }
  first_num = st->has_name ? 1 : 0;
  if (st->has_name && !st->name)
    st->name = field_strip_dup (g_array_index (st->fields, Field, 0));

  for (i = first_num; i < st->n_fields; i++) {
    Field f = g_array_index (st->fields, Field, i);
    if (!field_to_double (f, &d)) {
      gchar *bad = field_strip_dup (f);
      if (strlen (bad) > 40)
        bad[40] = '\0';
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_NUMBER,
          "%s:%u: column %u: \"%s\" is not a number", st->origin, lineno,
          i + 1, bad);
      g_free (bad);
      return FALSE;
    }
    if (i == first_num) {
      if (!check_timestamp (st->origin, lineno, d, n_rows,
              n_rows ? g_array_index (st->times, gdouble, n_rows - 1) : 0,
              n_rows ? g_array_index (st->lines, guint, n_rows - 1) : 0, error))
        return FALSE;
      g_array_append_val (st->times, d);
      g_array_append_val (st->lines, lineno);
    } else {
      gfloat fv = (gfloat) d;
      g_array_append_val (st->values, fv);
    }
  }
  return TRUE;
}

/* A parser's accumulated rows become a table (the arrays are taken);
 * column names are left to the caller. */
static EmoTable *
table_take (gchar ** name, const gchar * origin, GArray ** times,
    GArray ** lines, GArray ** values, guint n_cols)
{
  EmoTable *t = g_new0 (EmoTable, 1);

  t->name = *name ? *name : basename_noext (origin);
  *name = NULL;
  t->path = g_strdup (origin);
  t->n_rows = (*times)->len;
  t->n_cols = n_cols;
  t->timestamps = (gdouble *) g_array_free (*times, FALSE);
  *times = NULL;
  t->lines = (guint *) g_array_free (*lines, FALSE);
  *lines = NULL;
  t->data = (gfloat *) g_array_free (*values, FALSE);
  *values = NULL;
  t->col_names = g_new0 (gchar *, n_cols + 1);
  return t;
}

static EmoTable *
csv_finish (CsvState * st)
{
  EmoTable *t;
  guint i;

  t = table_take (&st->name, st->origin, &st->times, &st->lines, &st->values,
      st->n_cols);
  for (i = 0; i < st->n_cols; i++) {
    guint hi = i + (st->has_name ? 2 : 1);
    if (st->header && hi < st->n_fields && st->header[hi][0])
      t->col_names[i] = g_strdup (st->header[hi]);
    else
      t->col_names[i] = g_strdup_printf ("v%u", i);
  }
  return t;
}

EmoTable *
emo_table_parse_csv (const gchar * text, gsize len, const gchar * origin,
    GError ** error)
{
  LineReader r = { text, len, 0, 0 };
  CsvState st = { 0 };
  const gchar *line;
  gsize llen;
  EmoTable *t = NULL;

  st.origin = origin ? origin : "<memory>";
  st.has_name = -1;
  st.fields = g_array_new (FALSE, FALSE, sizeof (Field));
  st.values = g_array_new (FALSE, FALSE, sizeof (gfloat));
  st.times = g_array_new (FALSE, FALSE, sizeof (gdouble));
  st.lines = g_array_new (FALSE, FALSE, sizeof (guint));
  if (text == NULL)
    r.len = 0;
  /* a UTF-8 byte order mark (spreadsheet exports) is no part of the header */
  if (r.len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    r.pos = 3;

  while (next_line (&r, &line, &llen)) {
    if (line_is_blank (line, llen))
      continue;
    if (!st.sep)
      st.sep = detect_separator (line, llen);
    split_line (line, llen, st.sep, st.fields);
    if (st.fields->len > MAX_COLS) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
          "%s:%u: too many columns (%u)", st.origin, r.lineno, st.fields->len);
      goto done;
    }
    if (st.n_fields == 0 && csv_first_line (&st))
      continue;
    if (!csv_data_row (&st, r.lineno, error))
      goto done;
  }
  if (st.times->len == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY,
        "%s: no data rows", st.origin);
    goto done;
  }
  t = csv_finish (&st);

done:
  g_strfreev (st.header);
  g_free (st.name);
  g_array_free (st.fields, TRUE);
  if (st.values)
    g_array_free (st.values, TRUE);
  if (st.times)
    g_array_free (st.times, TRUE);
  if (st.lines)
    g_array_free (st.lines, TRUE);
  return t;
}

gboolean
emo_table_check_grid (const EmoTable * t, gdouble hop, GError ** error)
{
  const gchar *origin = t->path ? t->path : "table";
  gdouble *steps;
  gdouble median;
  guint i;

  g_return_val_if_fail (hop > 0, FALSE);
  for (i = 0; i < t->n_rows; i++) {
    gdouble k = floor (t->timestamps[i] / hop + 0.5);
    gdouble off = fabs (t->timestamps[i] - k * hop);
    guint line = t->lines ? t->lines[i] : i + 1;
    if (off > EMO_TABLE_GRID_TOLERANCE) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
          "%s:%u: timestamp %g s is %.1f ms off the %g s grid (at most %g ms)",
          origin, line, t->timestamps[i], off * 1e3, hop,
          EMO_TABLE_GRID_TOLERANCE * 1e3);
      return FALSE;
    }
    if (i > 0 && k == floor (t->timestamps[i - 1] / hop + 0.5)) {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
          "%s:%u: timestamp %g s falls in the same %g s frame as the "
          "previous row's (%g s)", origin, line, t->timestamps[i], hop,
          t->timestamps[i - 1]);
      return FALSE;
    }
  }
  if (t->n_rows < 3)
    return TRUE;
  /* holes are fine (a face out of view), but rows typically many frames
   * apart mean another unit (milliseconds), or another grid */
  steps = g_new (gdouble, t->n_rows - 1);
  for (i = 1; i < t->n_rows; i++)
    steps[i - 1] = t->timestamps[i] - t->timestamps[i - 1];
  qsort (steps, t->n_rows - 1, sizeof (gdouble), cmp_double);
  median = steps[(t->n_rows - 1) / 2];
  g_free (steps);
  if (median > EMO_TABLE_MAX_STEP * hop) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s: rows are typically %g s apart on a %g s grid%s; timestamps are "
        "in seconds, one row per frame", origin, median, hop,
        fabs (median / hop - 1000.0) < 1.0 ? " (milliseconds?)" : "");
    return FALSE;
  }
  return TRUE;
}

static gchar *
read_file_or_error (const gchar * path, gsize * len, GError ** error)
{
  gchar *contents = NULL;
  GError *e = NULL;

  if (!g_file_get_contents (path, &contents, len, &e)) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return NULL;
  }
  return contents;
}

typedef EmoTable *(*TableParser) (const gchar * text, gsize len,
    const gchar * origin, GError ** error);

/* A whole file through one of the parsers; the table keeps the path. */
static EmoTable *
read_table_file (const gchar * path, TableParser parse, GError ** error)
{
  gsize len;
  gchar *text = read_file_or_error (path, &len, error);
  EmoTable *t;

  if (!text)
    return NULL;
  t = parse (text, len, path, error);
  g_free (text);
  if (t) {
    g_free (t->path);
    t->path = g_strdup (path);
  }
  return t;
}

EmoTable *
emo_table_read_csv (const gchar * path, GError ** error)
{
  return read_table_file (path, emo_table_parse_csv, error);
}

/* ---- ARFF --------------------------------------------------------------- */

typedef enum
{ ATT_NUMERIC, ATT_STRING, ATT_NOMINAL } AttKind;

static gboolean
starts_with_ci (const gchar * s, gsize len, const gchar * kw)
{
  gsize k = strlen (kw);
  return len >= k && g_ascii_strncasecmp (s, kw, k) == 0;
}

/* ARFF parsing state, one per input. */
typedef struct
{
  const gchar *origin;
  GArray *kinds;                /* AttKind per attribute */
  GPtrArray *att_names;
  GArray *fields, *values, *times, *lines;
  gint name_att, time_att;
  guint n_cols;
  gchar *name;
} ArffState;

/* `@attribute NAME TYPE` (NAME may be quoted). */
static gboolean
arff_attribute (ArffState * st, const gchar * line, gsize llen, guint lineno,
    GError ** error)
{
  const gchar *p = line + 10, *end = line + llen, *ns, *ne;
  gchar *type;
  gint kind;

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p < end && (*p == '\'' || *p == '"')) {
    gchar q = *p++;
    ns = p;
    while (p < end && *p != q)
      p++;
    ne = p;
    if (p < end)
      p++;
  } else {
    ns = p;
    while (p < end && !g_ascii_isspace (*p))
      p++;
    ne = p;
  }
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (ns == ne || p >= end) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: malformed @attribute line", st->origin, lineno);
    return FALSE;
  }
  type = g_strndup (p, end - p);
  g_strstrip (type);
  if (g_ascii_strcasecmp (type, "numeric") == 0 ||
      g_ascii_strcasecmp (type, "real") == 0 ||
      g_ascii_strcasecmp (type, "integer") == 0)
    kind = ATT_NUMERIC;
  else if (g_ascii_strcasecmp (type, "string") == 0)
    kind = ATT_STRING;
  else if (type[0] == '{')
    kind = ATT_NOMINAL;
  else {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: unsupported attribute type \"%.40s\"", st->origin, lineno,
        type);
    g_free (type);
    return FALSE;
  }
  g_free (type);
  if (st->att_names->len >= MAX_COLS) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: too many attributes", st->origin, lineno);
    return FALSE;
  }
  g_array_append_val (st->kinds, kind);
  g_ptr_array_add (st->att_names, g_strndup (ns, ne - ns));
  return TRUE;
}

/* `@data`: the first string attribute is the name, the first numeric one
 * called frameTime/timestamp/time the timestamp, the other numeric ones
 * the columns. */
static gboolean
arff_data_start (ArffState * st, guint lineno, GError ** error)
{
  guint i;

  if (st->att_names->len == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: @data before any @attribute", st->origin, lineno);
    return FALSE;
  }
  for (i = 0; i < st->att_names->len; i++) {
    gint k = g_array_index (st->kinds, gint, i);
    const gchar *an = g_ptr_array_index (st->att_names, i);
    if (k == ATT_STRING && st->name_att < 0)
      st->name_att = i;
    else if (k == ATT_NUMERIC && st->time_att < 0 && is_time_name (an))
      st->time_att = i;
    else if (k == ATT_NUMERIC)
      st->n_cols++;
  }
  if (st->n_cols == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: no numeric attributes", st->origin, lineno);
    return FALSE;
  }
  return TRUE;
}

/* One numeric field of a data row (`?` is missing: NaN). */
static gboolean
arff_number (ArffState * st, Field f, guint att, guint lineno, gdouble * d,
    GError ** error)
{
  gchar *bad;

  if (field_to_double (f, d))
    return TRUE;
  bad = field_strip_dup (f);
  if (g_strcmp0 (bad, "?") == 0) {
    g_free (bad);
    *d = NAN;
    return TRUE;
  }
  if (strlen (bad) > 40)
    bad[40] = '\0';
  g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_NUMBER,
      "%s:%u: attribute %u: \"%s\" is not a number", st->origin, lineno,
      att + 1, bad);
  g_free (bad);
  return FALSE;
}

static gboolean
arff_data_row (ArffState * st, const gchar * line, gsize llen, guint lineno,
    GError ** error)
{
  guint i, nt = st->times->len;
  gdouble d;

  if (line[0] == '{') {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: sparse ARFF rows are not supported", st->origin, lineno);
    return FALSE;
  }
  split_line (line, llen, ',', st->fields);
  if (st->fields->len != st->att_names->len) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
        "%s:%u: ragged row: %u fields, expected %u", st->origin, lineno,
        st->fields->len, st->att_names->len);
    return FALSE;
  }
  for (i = 0; i < st->fields->len; i++) {
    Field f = g_array_index (st->fields, Field, i);
    if ((gint) i == st->name_att) {
      if (!st->name)
        st->name = field_strip_dup (f);
      continue;
    }
    if (g_array_index (st->kinds, gint, i) != ATT_NUMERIC)
      continue;
    if (!arff_number (st, f, i, lineno, &d, error))
      return FALSE;
    if ((gint) i == st->time_att) {
      if (!check_timestamp (st->origin, lineno, d, nt,
              nt ? g_array_index (st->times, gdouble, nt - 1) : 0,
              nt ? g_array_index (st->lines, guint, nt - 1) : 0, error))
        return FALSE;
      g_array_append_val (st->times, d);
    } else {
      gfloat fv = (gfloat) d;
      g_array_append_val (st->values, fv);
    }
  }
  if (st->time_att < 0) {
    gdouble ts = nt * 0.1;
    g_array_append_val (st->times, ts);
  }
  g_array_append_val (st->lines, lineno);
  return TRUE;
}

static EmoTable *
arff_finish (ArffState * st)
{
  EmoTable *t;
  guint i, c = 0;

  t = table_take (&st->name, st->origin, &st->times, &st->lines, &st->values,
      st->n_cols);
  for (i = 0; i < st->att_names->len; i++) {
    if ((gint) i == st->name_att || (gint) i == st->time_att ||
        g_array_index (st->kinds, gint, i) != ATT_NUMERIC)
      continue;
    t->col_names[c++] = g_strdup (g_ptr_array_index (st->att_names, i));
  }
  return t;
}

EmoTable *
emo_table_parse_arff (const gchar * text, gsize len, const gchar * origin,
    GError ** error)
{
  LineReader r = { text, len, 0, 0 };
  ArffState st = { 0 };
  const gchar *line;
  gsize llen;
  gboolean in_data = FALSE, ok = TRUE;
  EmoTable *t = NULL;

  st.origin = origin ? origin : "<memory>";
  st.kinds = g_array_new (FALSE, FALSE, sizeof (gint));
  st.att_names = g_ptr_array_new_with_free_func (g_free);
  st.fields = g_array_new (FALSE, FALSE, sizeof (Field));
  st.values = g_array_new (FALSE, FALSE, sizeof (gfloat));
  st.times = g_array_new (FALSE, FALSE, sizeof (gdouble));
  st.lines = g_array_new (FALSE, FALSE, sizeof (guint));
  st.name_att = st.time_att = -1;
  if (text == NULL)
    r.len = 0;

  while (ok && next_line (&r, &line, &llen)) {
    gsize s = 0;
    while (s < llen && g_ascii_isspace (line[s]))
      s++;
    line += s;
    llen -= s;
    if (llen == 0 || line[0] == '%')
      continue;
    if (in_data) {
      ok = arff_data_row (&st, line, llen, r.lineno, error);
    } else if (starts_with_ci (line, llen, "@relation")) {
      continue;
    } else if (starts_with_ci (line, llen, "@data")) {
      in_data = TRUE;
      ok = arff_data_start (&st, r.lineno, error);
    } else if (starts_with_ci (line, llen, "@attribute")) {
      ok = arff_attribute (&st, line, llen, r.lineno, error);
    } else {
      g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_FORMAT,
          "%s:%u: expected @relation, @attribute or @data", st.origin,
          r.lineno);
      ok = FALSE;
    }
  }
  if (ok && (!in_data || st.times->len == 0)) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY,
        "%s: no data rows", st.origin);
    ok = FALSE;
  }
  if (ok)
    t = arff_finish (&st);

  g_free (st.name);
  g_array_free (st.kinds, TRUE);
  g_ptr_array_free (st.att_names, TRUE);
  g_array_free (st.fields, TRUE);
  if (st.values)
    g_array_free (st.values, TRUE);
  if (st.times)
    g_array_free (st.times, TRUE);
  if (st.lines)
    g_array_free (st.lines, TRUE);
  return t;
}

EmoTable *
emo_table_read_arff (const gchar * path, GError ** error)
{
  return read_table_file (path, emo_table_parse_arff, error);
}

EmoTable *
emo_table_read (const gchar * path, GError ** error)
{
  if (g_str_has_suffix (path, ".arff") || g_str_has_suffix (path, ".ARFF"))
    return emo_table_read_arff (path, error);
  return emo_table_read_csv (path, error);
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

GPtrArray *
emo_table_read_dir (const gchar * dir, GError ** error)
{
  GDir *d;
  GError *e = NULL;
  const gchar *fn;
  GPtrArray *names, *tables;
  guint i;

  d = g_dir_open (dir, 0, &e);
  if (!d) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
    return NULL;
  }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((fn = g_dir_read_name (d))) {
    if (g_str_has_suffix (fn, ".csv") || g_str_has_suffix (fn, ".arff"))
      g_ptr_array_add (names, g_strdup (fn));
  }
  g_dir_close (d);
  if (names->len == 0) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_EMPTY,
        "%s: no .csv or .arff files in this folder", dir);
    g_ptr_array_free (names, TRUE);
    return NULL;
  }
  g_ptr_array_sort (names, cmp_str);
  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) emo_table_free);
  for (i = 0; i < names->len; i++) {
    gchar *p = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
    EmoTable *t = emo_table_read (p, error);
    g_free (p);
    if (!t) {
      g_ptr_array_free (names, TRUE);
      g_ptr_array_unref (tables);
      return NULL;
    }
    g_ptr_array_add (tables, t);
  }
  g_ptr_array_free (names, TRUE);
  return tables;
}

void
emo_table_append_header (GString * s, EmoTableFormat format,
    const gchar * name, const gchar * const *cols, guint n_cols)
{
  guint j;

  if (format == EMO_TABLE_FORMAT_ARFF) {
    g_string_append_printf (s, "@relation '%s'\n\n@attribute name string\n"
        "@attribute frameTime numeric\n", name);
    for (j = 0; j < n_cols; j++)
      g_string_append_printf (s, "@attribute %s numeric\n", cols[j]);
    g_string_append (s, "\n@data\n\n");
    return;
  }
  g_string_append (s, "name;timestamp");
  for (j = 0; j < n_cols; j++)
    g_string_append_printf (s, ";%s", cols[j]);
  g_string_append_c (s, '\n');
}

void
emo_table_append_row (GString * s, EmoTableFormat format, const gchar * name,
    gdouble t, const gfloat * values, guint n, guint precision,
    const gchar * nonfinite)
{
  gchar sep = format == EMO_TABLE_FORMAT_ARFF ? ',' : ';';
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[16];
  guint j;

  g_snprintf (fmt, sizeof (fmt), "%%.%ug", precision);
  g_string_append_printf (s, "'%s'%c%s", name, sep,
      g_ascii_formatd (buf, sizeof (buf), "%.6f", t));
  for (j = 0; j < n; j++) {
    g_string_append_c (s, sep);
    if (nonfinite && !isfinite (values[j]))
      g_string_append (s, nonfinite);
    else
      g_string_append (s, g_ascii_formatd (buf, sizeof (buf), fmt, values[j]));
  }
  g_string_append_c (s, '\n');
}

/* The whole table as text in `format`. */
static GString *
table_to_text (const EmoTable * t, EmoTableFormat format)
{
  GString *s =
      g_string_sized_new (64 + (gsize) t->n_rows * (t->n_cols + 2) * 12);
  guint i;

  emo_table_append_header (s, format, t->name,
      (const gchar * const *) t->col_names, t->n_cols);
  for (i = 0; i < t->n_rows; i++)
    emo_table_append_row (s, format, t->name, t->timestamps[i],
        t->data + (gsize) i * t->n_cols, t->n_cols, EMO_TABLE_PRECISION, NULL);
  return s;
}

gchar *
emo_table_to_csv_string (const EmoTable * t)
{
  return g_string_free (table_to_text (t, EMO_TABLE_FORMAT_CSV), FALSE);
}

gboolean
emo_table_write_csv (const EmoTable * t, const gchar * path, GError ** error)
{
  gchar *s = emo_table_to_csv_string (t);
  GError *e = NULL;
  gboolean ok = g_file_set_contents (path, s, -1, &e);

  g_free (s);
  if (!ok) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
  }
  return ok;
}

gboolean
emo_table_write_arff (const EmoTable * t, const gchar * path, GError ** error)
{
  GString *s = table_to_text (t, EMO_TABLE_FORMAT_ARFF);
  GError *e = NULL;
  gboolean ok = g_file_set_contents (path, s->str, s->len, &e);

  g_string_free (s, TRUE);
  if (!ok) {
    g_set_error (error, EMO_IO_ERROR, EMO_IO_ERROR_OPEN, "%s", e->message);
    g_error_free (e);
  }
  return ok;
}
