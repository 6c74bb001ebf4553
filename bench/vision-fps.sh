#!/bin/bash
# Frames per second of emovisfeat on 640x480 video, one thread: the vis-v1
# descriptor path alone (baseline), the cascade every 5 frames, and the CNN
# front end (vis-v2): default (detector 320 every 5th frame, tracking between,
# landmarks + expression once per hop), landmarks on every frame, detector at
# 416, detector on every frame. Usage: bench/vision-fps.sh [build-dir] [n_frames]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-900}
export GST_PLUGIN_PATH_1_0="$build/plugins"
export GST_REGISTRY_1_0="$build/bench-registry.bin"
export OPENBLAS_NUM_THREADS=1
exec taskset -c 0 "$build/bench/vision-fps" "$n"
