#!/bin/bash
# Frames per second of emovisfeat on 640x480 video, one thread: descriptor
# path alone (baseline), detection every 5 frames with tracking, detection
# on every frame. Usage: bench/vision-fps.sh [build-dir] [n_frames]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-900}
export GST_PLUGIN_PATH_1_0="$build/plugins"
export GST_REGISTRY_1_0="$build/bench-registry.bin"
export OPENBLAS_NUM_THREADS=1
exec taskset -c 0 "$build/bench/vision-fps" "$n"
