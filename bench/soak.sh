#!/bin/bash
# Soak: a long non-live stream (audiotestsrc + videotestsrc, sync=false)
# through emoaudiofeat, emovisfeat, emomtl (x2) and emofuse; reports resident
# memory (VmRSS of the process) at checkpoints and checks that the last is
# within 5% of the first (tests/elements/test-robust-graph.c, test_soak).
#
#   bench/soak.sh [BUILD_DIR]            one hour of stream time, RSS after 5 and 60 min
#   bench/soak.sh --wall [BUILD_DIR]     one hour of wall-clock time (the stream runs
#                                        ~40-70x real time meanwhile), RSS after 5 and 60 min
#
# The CI form is the same test with 3 stream minutes (checkpoints 1 and 3).
# Run it niced on a shared machine: nice -n 10 bench/soak.sh --wall
set -euo pipefail
WALL=0
if [ "${1:-}" = "--wall" ]; then WALL=1; shift; fi
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
EXE=$BUILD/tests/elements/element-robust-graph
[ -x "$EXE" ] || { echo "build first: ninja -C $BUILD ($EXE missing)" >&2; exit 1; }
export GST_PLUGIN_PATH_1_0=$BUILD/plugins
export GST_REGISTRY_1_0=$BUILD/tests/registry.bin
export OPENBLAS_NUM_THREADS=1 GST_DEBUG='emo*:2,*:1' CK_DEFAULT_TIMEOUT=0
export EMO_SOAK_MINUTES=${EMO_SOAK_MINUTES:-60} EMO_SOAK_FIRST=${EMO_SOAK_FIRST:-5} EMO_SOAK_WALL=$WALL
echo "soak: $EMO_SOAK_MINUTES $([ $WALL = 1 ] && echo wall-clock || echo stream) minutes, checkpoints every $EMO_SOAK_FIRST"
start=$(date +%s)
GST_CHECKS=test_soak "$EXE"
echo "soak: wall time $(( $(date +%s) - start )) s"
