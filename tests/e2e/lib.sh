# Shared helpers for end-to-end test scripts (sourced).
set -euo pipefail
: "${EMO_BUILD_ROOT:?run through meson test}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# gst-launch-1.0 / gst-inspect-1.0 are not instrumented: under ASan they need
# the runtime preloaded (EMO_PRELOAD is set by tests/meson.build).
gst() {
  if [ -n "${EMO_PRELOAD:-}" ]; then
    LD_PRELOAD="$EMO_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@"
  else
    "$@"
  fi
}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
