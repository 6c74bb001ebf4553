#!/usr/bin/env bash
# Checks the C style, builds gst-emo twice (plain, and AddressSanitizer + UBSan) and runs every
# meson test suite in both, then runs each libFuzzer target for 30 s (the
# 10-minute runs are `bash bench/fuzz.sh`). This is the README's test command
# and what CI runs.
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

echo "== style: every C file as tools/indent.sh (GStreamer's gst-indent) formats it"
bash tools/indent.sh --check || status=1
echo "== functions: none over 150 lines or nested deeper than 5 (tools/check-functions.py)"
python3 tools/check-functions.py $(git ls-files 'gst/*.c' 'plugins/*.c' 'kernels/*.c' 'tools/*.c') || status=1

echo "== plain build: all suites"
setup build-ci -Dintrospection=enabled || exit 1
ninja -C build-ci || exit 1
meson test -C build-ci --print-errorlogs --num-processes "$JOBS" || status=1

echo "== AddressSanitizer + UBSan build: all suites"
setup build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false -Dintrospection=enabled || exit 1
# the introspection dumper runs instrumented code at build time: no leak check there
ASAN_OPTIONS=detect_leaks=0 ninja -C build-ci-asan || exit 1
meson test -C build-ci-asan --print-errorlogs --num-processes "$JOBS" --timeout-multiplier 3 || status=1

echo "== libFuzzer smoke: every fuzz target for ${FUZZ_SECONDS:-30} s (clang, ASan + UBSan)"
bash bench/fuzz.sh "${FUZZ_SECONDS:-30}" || status=1

count() {  # field name -> sum over both builds' meson logs
  cat build-ci/meson-logs/testlog.txt build-ci-asan/meson-logs/testlog.txt 2>/dev/null \
    | awk -v f="^$1:" '$0 ~ f {n += $2} END {print n + 0}'
}
passed=$(count Ok); failed=$(( $(count Fail) + $(count Timeout) )); skipped=$(count Skipped)
if [ "$status" -ne 0 ]; then
  echo "== some tests failed (see the logs above)"
  [ "$failed" -gt 0 ] || failed=1
fi
echo "ci: $passed passed, $failed failed, $skipped skipped"
exit $status
