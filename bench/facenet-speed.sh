#!/usr/bin/env bash
# Time per call of the three face networks, ours (C, OpenBLAS on one thread,
# CPU time of the calling thread, best of N) beside face-api.js's own
# JavaScript on the same raw RGB images (tfjs WebAssembly backend, best of N:
# wall clock and the node process's CPU time), printed as ratios (JS / ours).
# The JavaScript side is installed with npm into a cache folder on first use
# (bench/facenet-node-setup.sh); the images come from `unit-vision-facenet
# --dump`. Landmarks and expression use the whole image as the face box.
#
#   bash bench/facenet-speed.sh [N (20)] ; BUILD=build dir
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${BUILD:-$ROOT/build}
N=${1:-20}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo}
IMAGES="messi megamind-60 vtest-0"
ninja -C "$B" bench/facenet-speed tests/unit/unit-vision-facenet > /dev/null
scratch=$(mktemp -d /tmp/emo-facespeed-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
"$B/tests/unit/unit-vision-facenet" --dump "$scratch" > /dev/null
bash "$ROOT/bench/facenet-node-setup.sh" "$CACHE/faceapi-node"
cp "$ROOT/bench/facenet-speed.js" "$CACHE/faceapi-node/"
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 "$B/bench/facenet-speed" "$scratch" "$ROOT/models/face" "$N" $IMAGES > "$scratch/ours.txt"
# shellcheck disable=SC2086
node "$CACHE/faceapi-node/facenet-speed.js" "$scratch" \
  "$CACHE/faceapi-node/node_modules/@vladmandic/face-api/model" "$N" $IMAGES > "$scratch/js.txt"
echo "Face networks, ms per call (best of $N; $(date -u +%Y-%m-%d); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
awk 'NR == FNR { cpu[$1" "$2] = $3; next }
  FNR == 1 { printf "%-13s %-13s %10s %10s %10s %9s %9s\n", "image", "net", "ours cpu", "js cpu", "js wall", "cpu ratio", "wall/ours" }
  { k = $1" "$2; printf "%-13s %-13s %10.2f %10.2f %10.2f %8.1fx %8.1fx\n", $1, $2, cpu[k], $4, $3, $4 / cpu[k], $3 / cpu[k] }' \
  "$scratch/ours.txt" "$scratch/js.txt"
# What detecting at 320 instead of 416 costs in faces found: every frame of
# Megamind.avi (the opencv-doc clip with faces), decoded by GStreamer.
MEGAMIND=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
if [ -f "$MEGAMIND" ]; then
  echo
  echo "Detector at 320 against 416 (score > 0.5, match IoU >= 0.5), Megamind.avi:"
  gst-launch-1.0 -q filesrc location="$MEGAMIND" ! decodebin ! videoconvert ! \
    video/x-raw,format=RGB,width=720,height=528 ! fdsink fd=1 |
    OPENBLAS_NUM_THREADS=1 "$B/bench/facenet-speed" --recall "$ROOT/models/face" 720 528
fi
