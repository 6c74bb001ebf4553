#!/usr/bin/env bash
# Builds gst-emo twice (plain, and AddressSanitizer + UBSan) and runs every
# meson test suite in both. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}

setup() {  # dir, extra args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" > /dev/null
  else
    meson setup "$dir" "$@" > /dev/null
  fi
}

echo "== plain build"
setup build-ci -Dintrospection=enabled
ninja -C build-ci
meson test -C build-ci --print-errorlogs --num-processes "$JOBS"

echo "== AddressSanitizer + UBSan build"
setup build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false -Dintrospection=enabled
# the introspection dumper runs instrumented code at build time: no leak check there
ASAN_OPTIONS=detect_leaks=0 ninja -C build-ci-asan
meson test -C build-ci-asan --print-errorlogs --num-processes "$JOBS" --timeout-multiplier 3
