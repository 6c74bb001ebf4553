#!/bin/bash
# State cycling: 100 PLAYING -> NULL -> PLAYING cycles of the annotate-like
# graph (test sources -> emovisfeat/emoaudiofeat -> emomtl x2 -> emofuse ->
# emooverlay -> fakesink), RSS and thread count after every tenth cycle
# (tests/elements/test-robust-graph.c, test_state_cycles; CI runs 20).
#
#   bench/cycles.sh [BUILD_DIR] [CYCLES]
#
# Runs twice: with one malloc arena (as the test does, so RSS measures the
# heap) and with glibc's default per-thread arenas (RSS climbs to a plateau
# as arenas are added for the new streaming threads of each cycle).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
EXE=$BUILD/tests/elements/element-robust-graph
[ -x "$EXE" ] || { echo "build first: ninja -C $BUILD ($EXE missing)" >&2; exit 1; }
export GST_PLUGIN_PATH_1_0=$BUILD/plugins
export GST_REGISTRY_1_0=$BUILD/tests/registry.bin
export OPENBLAS_NUM_THREADS=1 GST_DEBUG='emo*:2,*:1' CK_DEFAULT_TIMEOUT=0
export EMO_CYCLES=${2:-100} GST_CHECKS=test_state_cycles
echo "== $EMO_CYCLES cycles, one malloc arena (the test's setting)"
"$EXE"
echo "== $EMO_CYCLES cycles, glibc default arenas (no RSS bound checked)"
EMO_CYCLES_DEFAULT_MALLOC=1 "$EXE"
