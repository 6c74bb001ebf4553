#!/usr/bin/env bash
# Installs face-api.js's JavaScript reference into folder $1 (npm, network):
# @vladmandic/face-api 1.7.15 with @tensorflow/tfjs and
# @tensorflow/tfjs-backend-wasm 4.22.0 (the package's default node entry needs
# @tensorflow/tfjs-node, whose install downloads a native library; the wasm
# entry does not). Used by bench/facenet-reference.sh and
# bench/facenet-speed.sh only.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"emo-faceapi-ref","version":"1.0.0","private":true}' > package.json
if [ ! -d node_modules/@vladmandic/face-api ]; then
  npm install --silent --no-audit --no-fund @tensorflow/tfjs@4.22.0 \
    @tensorflow/tfjs-backend-wasm@4.22.0 @vladmandic/face-api@1.7.15 > /dev/null
fi
