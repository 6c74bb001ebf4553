#!/usr/bin/env bash
# Runs every libFuzzer target (clang, ASan + UBSan) for SECONDS each (default
# 600), starting from the committed seeds. New coverage goes to a scratch
# corpus under the build dir; crashing inputs are written to
# build-fuzz/crashes/<target>/ and reported: fix the bug, then commit the input
# to tests/fuzz/corpus/<target>/ so it replays as a regression test in CI.
#
#   bash bench/fuzz.sh            # 10 minutes per target
#   bash bench/fuzz.sh 30         # CI smoke length
#   bash bench/fuzz.sh 600 model  # one target
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-600}
ONLY=${2:-}
B=build-fuzz
if [ ! -f "$B/build.ninja" ]; then
  CC=clang meson setup "$B" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dintrospection=disabled > /dev/null
fi
ninja -C "$B" > /dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# the caps target calls gst_init(): no registry rescan inside the fuzzer
export GST_REGISTRY_UPDATE=no
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
status=0
printf "%-12s %10s %12s %8s %s\n" target seconds executions crashes corpus
for exe in "$B"/tests/fuzz/fuzz-*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  name=${exe##*/fuzz-}
  [ -z "$ONLY" ] || [ "$ONLY" = "$name" ] || continue
  work="$B/corpus/$name"; crashes="$B/crashes/$name"
  mkdir -p "$work" "$crashes"
  log="$B/fuzz-$name.log"
  set +e
  "$exe" -max_total_time="$SECONDS_PER" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$name" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(awk "/stat::number_of_executed_units/ {print \$2}" "$log" | tail -1)
  n_crash=$(find "$crashes" -type f | wc -l)
  printf "%-12s %10s %12s %8s %s\n" "$name" "$SECONDS_PER" "${execs:-?}" "$n_crash" "$(ls "$work" | wc -l)"
  if [ "$rc" -ne 0 ] || [ "$n_crash" -ne 0 ]; then
    status=1
    echo "  finding in $name: see $log and $crashes" >&2
  fi
done
exit $status
