#!/usr/bin/env bash
# Regenerates the stored reference outputs of the face networks
# (tests/data/facenet-ref.txt, and tests/data/facenet-ref-fer2013.txt when
# ../shared/data/fer2013 exists) from face-api.js's own JavaScript: the
# package's dist/face-api.node-wasm.js with @tensorflow/tfjs and the
# WebAssembly backend, installed with npm into a scratch folder (needs the
# network; never needed to build or test). The images come from the C test's
# own decoding (unit-vision-facenet --dump), so both sides see the same bytes.
#
#   bash bench/facenet-reference.sh [BUILD_DIR]     (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
ninja -C "$B" tests/unit/unit-vision-facenet > /dev/null
scratch=$(mktemp -d /tmp/emo-faceref-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
FER=../shared/data/fer2013
fer_arg=()
[ -d "$FER" ] && fer_arg=("$FER")
"$B/tests/unit/unit-vision-facenet" --dump "$scratch/images" "${fer_arg[@]}"
bash bench/facenet-node-setup.sh "$scratch/node"
cp bench/facenet-reference.js "$scratch/node/"
node "$scratch/node/facenet-reference.js" "$scratch/images" \
  "$scratch/node/node_modules/@vladmandic/face-api/model" \
  tests/data/facenet-ref.txt tests/data/facenet-ref-fer2013.txt
echo "wrote tests/data/facenet-ref.txt$([ -d "$FER" ] && echo ' and tests/data/facenet-ref-fer2013.txt')"
