/* libFuzzer target: AVEC CSV reader, and the grid check emoparse runs on
 * what it read (100 ms and 10 ms hops). */
#include <stdint.h>
#include <stddef.h>
#include "io/emo-table.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *e = NULL;
  EmoTable *t = emo_table_parse_csv ((const gchar *) data, size, "fuzz", &e);
  if (t) {
    gchar *s = emo_table_to_csv_string (t);
    g_free (s);
    if (!emo_table_check_grid (t, 0.1, &e))
      g_clear_error (&e);
    if (!emo_table_check_grid (t, 0.01, &e))
      g_clear_error (&e);
    emo_table_free (t);
  }
  g_clear_error (&e);
  return 0;
}
