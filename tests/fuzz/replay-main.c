/* Replays every file of a corpus folder through a libFuzzer entry point, so
 * the committed seeds and past crashers run as regression tests without
 * libFuzzer (and under ASan in CI). */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
main (int argc, char **argv)
{
  GDir *d;
  const gchar *fn;
  guint n = 0;

  if (argc < 2)
    return 2;
  d = g_dir_open (argv[1], 0, NULL);
  if (!d) {
    fprintf (stderr, "no corpus at %s\n", argv[1]);
    return 1;
  }
  while ((fn = g_dir_read_name (d))) {
    gchar *p = g_build_filename (argv[1], fn, NULL), *buf;
    gsize len;
    if (g_file_get_contents (p, &buf, &len, NULL)) {
      LLVMFuzzerTestOneInput ((const uint8_t *) buf, len);
      g_free (buf);
      n++;
    }
    g_free (p);
  }
  g_dir_close (d);
  printf ("replayed %u inputs\n", n);
  return n > 0 ? 0 : 1;
}
