#!/usr/bin/env bash
# Builds gst-emo twice (plain, and AddressSanitizer + UBSan) and runs every
# meson test suite in both. This is the README's test command and what CI runs.
# Both builds always run; the exit status is non-zero if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
status=0

setup() {  # dir, extra args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" > /dev/null
  else
    meson setup "$dir" "$@" > /dev/null
  fi
}

echo "== plain build: all suites"
setup build-ci -Dintrospection=enabled || exit 1
ninja -C build-ci || exit 1
meson test -C build-ci --print-errorlogs --num-processes "$JOBS" || status=1

echo "== AddressSanitizer + UBSan build: all suites"
setup build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false -Dintrospection=enabled || exit 1
# the introspection dumper runs instrumented code at build time: no leak check there
ASAN_OPTIONS=detect_leaks=0 ninja -C build-ci-asan || exit 1
meson test -C build-ci-asan --print-errorlogs --num-processes "$JOBS" --timeout-multiplier 3 || status=1

if [ "$status" -ne 0 ]; then
  echo "== some tests failed (see the logs above)"
fi
exit $status
