#!/bin/bash
# Training throughput and inference cost of the paper's network
# (LSTM 256-128-64 + three heads, 88 inputs), with a plain-C forward pass as
# the baseline measured in the same run. Target: < 100 us per frame on one core.
# Usage: bench/mtl-speed.sh [frames (100000)] ; BUILD=build dir
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BUILD:-$ROOT/build}/bench/mtl-speed
FRAMES=${1:-100000}
[ -x "$BIN" ] || { echo "build first: ninja -C build" >&2; exit 1; }
echo "== 1 thread"
OPENBLAS_NUM_THREADS=1 "$BIN" "$FRAMES" 88 1
echo "== training with 2 threads"
"$BIN" "$FRAMES" 88 2 | grep '^training'
echo "== the network used in bench/mtl-real.sh (LSTM 64-32-16, 27 inputs)"
"$BIN" 20000 27 1 64,32,16 | grep -E '^(training|inference, 1 thread, streaming)'
