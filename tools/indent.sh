#!/usr/bin/env bash
# The project's C style is GStreamer's: GNU indent with the options of
# GStreamer's gst-indent (two-space indent, braces on the `if` line, no tabs,
# 80 columns). `tools/indent.sh FILE...` reformats in place; with --check it
# changes nothing and exits non-zero listing the files that differ.
# indent is run twice because one pass of it is not always stable.
set -euo pipefail
cd "$(dirname "$0")/.."
OPTS=(--braces-on-if-line --case-brace-indentation0 --case-indentation2
  --braces-after-struct-decl-line --line-length80 --no-tabs --cuddle-else
  --dont-line-up-parentheses --continuation-indentation4 --honour-newlines
  --tab-size8 --indent-level2 --leave-preprocessor-space)
check=0
[ "${1:-}" = "--check" ] && { check=1; shift; }
if [ $# -eq 0 ]; then
  mapfile -t files < <(git ls-files '*.c' | grep -v '^tests/data/')
else
  files=("$@")
fi
command -v indent > /dev/null || { echo "indent.sh: GNU indent is missing (apt-get install indent)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
for f in "${files[@]}"; do
  indent "${OPTS[@]}" "$f" -o "$tmp/a.c" 2> /dev/null
  indent "${OPTS[@]}" "$tmp/a.c" -o "$tmp/b.c" 2> /dev/null
  if ! cmp -s "$f" "$tmp/b.c"; then
    if [ $check -eq 1 ]; then echo "style: $f differs from tools/indent.sh"; bad=1
    else cp "$tmp/b.c" "$f"; fi
  fi
done
exit $bad
