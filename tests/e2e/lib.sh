# Shared helpers for end-to-end test scripts (sourced).
set -euo pipefail
: "${EMO_BUILD_ROOT:?run through meson test}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# gst-launch-1.0 / gst-inspect-1.0 are not instrumented: under ASan they need
# the runtime preloaded (EMO_PRELOAD is set by tests/meson.build).
# Every gst-launch-1.0 run is bounded: on a loaded machine gst-launch-1.0 1.22
# can stay in its main loop after printing an element error raised during
# preroll (seen in CI-like runs, not reproducible alone); a bound turns such a
# hang into a non-zero exit that the test judges, never a stalled suite.
GST_TIMEOUT=${EMO_GST_TIMEOUT:-180}
gst() {
  if [ -n "${EMO_PRELOAD:-}" ]; then
    LD_PRELOAD="$EMO_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
      timeout -k 10 "$GST_TIMEOUT" "$@"
  else
    timeout -k 10 "$GST_TIMEOUT" "$@"
  fi
}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
