#!/bin/bash
# Training throughput and inference cost of the paper's network
# (LSTM 256-128-64 + three heads, 88 inputs), with a plain-C forward pass as
# the baseline measured in the same run. Target: < 100 us per frame on one core.
# Usage: bench/mtl-speed.sh [frames (100000)] ; BUILD=build dir
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BUILD:-$ROOT/build}/bench/mtl-speed
FRAMES=${1:-100000}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo}
[ -x "$BIN" ] || { echo "build first: ninja -C build" >&2; exit 1; }
mkdir -p "$CACHE"
OUT=$CACHE/mtl-speed.md   # bench/mtl-real.sh copies it into docs/results.md
{
  echo "### Speed (bench/mtl-speed.sh, $(date -u +%Y-%m-%d))"
  echo
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared with other jobs)."
  echo "CPU time (this thread) is the cost of the work; wall clock also counts waiting for other jobs."
  echo
  echo '```'
  echo "== paper network, 1 thread"
  OPENBLAS_NUM_THREADS=1 "$BIN" "$FRAMES" 88 1
  echo "== training with 2 threads"
  "$BIN" 20000 88 2 | grep '^training'
  echo "== the network of bench/mtl-real.sh (LSTM 64-32-16, 27 inputs)"
  "$BIN" 20000 27 1 64,32,16 | grep -E '^(network|training|inference, 1 thread, streaming)'
  echo '```'
} | tee "$OUT"
