#!/bin/bash
# Valgrind memcheck over the element tests (GstHarness programs in
# tests/elements), one process each (CK_FORK=no), with the documented
# one-time suppressions of tests/valgrind.supp. Reports, per test, the bytes
# definitely lost and the loss records whose allocation stack reaches
# gst-emo's own code (gst/, plugins/, kernels/, tests/); exits 1 if any.
#
#   bench/valgrind.sh [BUILD_DIR] [TEST...]     (default: every element test
#                                                 except robust-live, whose
#                                                 live timing valgrind's
#                                                 slowdown would break)
# Logs: BUILD_DIR/valgrind/<test>.log. Sizes are reduced under valgrind
# (EMO_CYCLES=3, EMO_SOAK_MINUTES=2). Takes tens of minutes; run it niced.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}; shift || true
command -v valgrind > /dev/null || { echo "valgrind not installed" >&2; exit 77; }
OUT=$BUILD/valgrind; mkdir -p "$OUT"
export GST_PLUGIN_PATH_1_0=$BUILD/plugins GST_REGISTRY_1_0=$BUILD/tests/registry.bin
export LD_LIBRARY_PATH=$BUILD/gst OPENBLAS_NUM_THREADS=1 GST_DEBUG='*:1'
export CK_FORK=no CK_DEFAULT_TIMEOUT=0 G_SLICE=always-malloc G_DEBUG=gc-friendly
export EMO_CYCLES=3 EMO_SOAK_MINUTES=2 EMO_SOAK_FIRST=1
export EMO_SHARED_DATA=${EMO_SHARED_DATA:-$SRC/../shared/data} EMO_SOURCE_ROOT=$SRC EMO_BUILD_ROOT=$BUILD
# refresh the registry outside valgrind so that plugin scanning is not measured
gst-inspect-1.0 emo > /dev/null 2>&1 || true
if [ $# -gt 0 ]; then TESTS=("$@"); else
  TESTS=()
  for t in "$BUILD"/tests/elements/element-*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    n=${t##*/element-}
    [ "$n" = robust-live ] && continue
    TESTS+=("$n")
  done
fi
status=0
printf "%-16s %8s %12s %12s %s\n" test result "def. lost" "ours (recs)" seconds
for n in "${TESTS[@]}"; do
  log=$OUT/$n.log; start=$(date +%s)
  timeout -k 10 1800 valgrind --tool=memcheck --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --num-callers=40 --suppressions="$SRC/tests/valgrind.supp" \
    "$BUILD/tests/elements/element-$n" > "$log" 2>&1
  rc=$?
  lost=$(grep -o "definitely lost: [0-9,]* bytes" "$log" | tail -1 | grep -o "[0-9,]*" | tr -d ,)
  # loss records (blocks between blank ==PID== lines) naming one of our files
  ours=$(awk '/definitely lost in loss record/ {rec=1; buf=""} rec {buf=buf $0 "\n"}
       /^==[0-9]+== $/ { if (rec && buf ~ /\((gstemo|emo-|test-|robust-)[a-z0-9_-]*\.[ch]:[0-9]+\)/) n++; rec=0 }
       END {print n+0}' "$log")
  errs=$(grep -o "ERROR SUMMARY: [0-9]*" "$log" | tail -1 | grep -o "[0-9]*$")
  result=ok
  [ "$rc" -ne 0 ] && result="rc=$rc"
  [ "${ours:-0}" -gt 0 ] && { result=LEAK; status=1; }
  [ "${errs:-0}" -gt 0 ] && [ "$result" = ok ] && result="errors=$errs"
  [ "$rc" -ne 0 ] && status=1
  printf "%-16s %8s %12s %12s %s\n" "$n" "$result" "${lost:-?}" "${ours:-?}" $(( $(date +%s) - start ))
done
exit $status
