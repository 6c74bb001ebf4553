#!/usr/bin/env bash
# Installs what the browser check of `emo report` needs and runs it:
# Debian chromium (apt) and puppeteer-core (npm, no browser download, into
# ~/.cache/gst-emo-node or $EMO_NODE_DIR). Kept out of tools/install-deps.sh
# so the README's setup stays lean; without these tests/e2e/test-report-browser.sh
# skips with a message saying to run this script.
#   bench/report-browser.sh [BUILD_DIR]    (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
NODE_DIR=${EMO_NODE_DIR:-$HOME/.cache/gst-emo-node}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v chromium > /dev/null; then
  $SUDO apt-get install -y -qq --no-install-recommends chromium nodejs npm > /dev/null
fi
if [ ! -d "$NODE_DIR/node_modules/puppeteer-core" ]; then
  mkdir -p "$NODE_DIR"
  # 23.x is the last series for node 18/20 (Debian bookworm's nodejs is 18)
  (cd "$NODE_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund puppeteer-core@23.11.1 > /dev/null)
fi
EMO_NODE_DIR="$NODE_DIR" meson test -C "$BUILD" e2e-report-browser --print-errorlogs
grep -E "rows|screenshot" "$BUILD/meson-logs/testlog.txt" | tail -3
