/* gst-emo benchmark: emovisfeat frames per second on 640x480 I420 video,
 * one thread (GstHarness: every buffer is processed in the calling
 * thread), CPU time of the process. Frames are Megamind.avi (opencv-doc)
 * scaled to 640x480 and decoded into memory first, then fed in a loop with
 * 30 fps timestamps.
 *
 * Configurations: the descriptor path alone, face box given as an upstream
 * ROI meta (baseline), built-in detection every 5 frames with tracking in
 * between (the default), detection on every frame. Prints fps and the cost
 * per frame relative to the baseline. Usage: vision-fps [n_frames] */
#include <string.h>
#include <time.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#define MEDIA "/usr/share/doc/opencv-doc/examples/data/Megamind.avi"

static GPtrArray *
decode_frames (void)
{
  GstElement *pipe, *sink;
  GPtrArray *frames =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstSample *s;

  pipe =
      gst_parse_launch ("filesrc location=" MEDIA
      " ! decodebin ! videoconvert ! "
      "videoscale ! video/x-raw,format=I420,width=640,height=480 ! appsink name=s sync=false",
      NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((s = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    g_ptr_array_add (frames, gst_buffer_copy_deep (gst_sample_get_buffer (s)));
    gst_sample_unref (s);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return frames;
}

static gdouble
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Returns frames per second of CPU time. */
static gdouble
run (GPtrArray * frames, guint n, const gchar * props, gboolean add_roi)
{
  GstHarness *h = gst_harness_new_parse (props);
  guint i;
  gdouble t0, t1;
  GstBuffer *out;

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=I420,width=640,height=480,"
      "framerate=30/1,pixel-aspect-ratio=1/1");
  /* warm-up: state change, cascade loading, first allocations */
  t0 = 0;
  for (i = 0; i < n + 30; i++) {
    GstBuffer *b =
        gst_buffer_copy (g_ptr_array_index (frames, i % frames->len));
    if (i == 30)
      t0 = cpu_seconds ();
    GST_BUFFER_PTS (b) = gst_util_uint64_scale (i, GST_SECOND, 30);
    GST_BUFFER_DURATION (b) = GST_SECOND / 30;
    if (add_roi)
      gst_buffer_add_video_region_of_interest_meta (b, "face", 240, 120, 160,
          160);
    gst_harness_push (h, b);
    while ((out = gst_harness_try_pull (h)))
      gst_buffer_unref (out);
  }
  t1 = cpu_seconds ();
  gst_harness_teardown (h);
  return n / (t1 - t0);
}

typedef struct
{
  const gchar *label, *props;
  gboolean roi;
} Config;

int
main (int argc, char **argv)
{
  static const Config configs[] = {
    {"v1 descriptors only (upstream face box)",
        "emovisfeat feature-set=vis-v1 roi-source=upstream", TRUE},
    {"v1 cascade every 5 frames + tracking",
          "emovisfeat feature-set=vis-v1 detector=cascade detect-interval=5",
        FALSE},
    {"v2 default: CNN 320 every 5th, lm/hop", "emovisfeat", FALSE},
    {"v2 CNN 320 every 5th, lm every frame",
        "emovisfeat landmark-interval=1", FALSE},
    {"v2 CNN 416 every 5th, lm/hop", "emovisfeat detector-size=416", FALSE},
    {"v2 CNN 320 every frame, lm/hop", "emovisfeat detect-interval=1", FALSE},
  };
  GPtrArray *frames;
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 900;
  gdouble fps[G_N_ELEMENTS (configs)];
  guint i;

  gst_init (&argc, &argv);
  if (!g_file_test (MEDIA, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s missing (Debian opencv-doc)\n", MEDIA);
    return 77;
  }
  frames = decode_frames ();
  if (frames->len == 0) {
    g_printerr ("could not decode %s\n", MEDIA);
    return 1;
  }
  for (i = 0; i < G_N_ELEMENTS (configs); i++)
    fps[i] = run (frames, n, configs[i].props, configs[i].roi);
  g_print ("emovisfeat, 640x480 I420, %u frames, one thread (CPU time)\n", n);
  for (i = 0; i < G_N_ELEMENTS (configs); i++)
    g_print ("  %-40s %8.1f fps  %6.3f ms/frame  %5.1fx baseline cost\n",
        configs[i].label, fps[i], 1000 / fps[i], fps[0] / fps[i]);
  g_print ("  target >= 100 fps in the default configuration: %s\n",
      fps[2] >= 100 ? "met" : "NOT met");
  g_ptr_array_unref (frames);
  return 0;
}
