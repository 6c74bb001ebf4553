#!/bin/bash
# Generate the benchmark corpus with tools/emo-gencorpus and measure it:
# generation speed (x real time), the causal links (docs/corpus.md), and how
# far the labels are from the hidden truth (annotation delay + noise), as CCC
# by `emo eval`: the ceiling any model can reach on these labels.
#
#   bench/gen-corpus.sh [OUT] [--sessions N] [--speakers N] [--duration S] [--max-duration S] [--seed N]
#
# OUT defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus (outside the repo).
# Default size: 16 sessions of 45-75 s over 8 speakers (about 16 minutes; the size
# docs/corpus.md and docs/results.md report).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus"
sessions=16; speakers=8; duration=45; maxdur=75; seed=1
emo="${EMO_TOOL:-$root/build/tools/emo}"
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="$2"; shift 2 ;;
    --speakers) speakers="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --max-duration) maxdur="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "gen-corpus: unknown option $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
rm -rf "$out"
t0=$(date +%s.%N)
/usr/bin/python3 "$root/tools/emo-gencorpus" generate --out "$out" --seed "$seed" \
  --sessions "$sessions" --speakers "$speakers" --duration "$duration" --max-duration "$maxdur"
t1=$(date +%s.%N)
total=$(/usr/bin/python3 -c 'import json,sys; print(sum(s["duration"] for s in json.load(open(sys.argv[1]))["sessions"]))' "$out/meta.json")
echo
echo "== generated $sessions sessions, $total s of audio+video in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s: $(awk -v a="$t0" -v b="$t1" -v t="$total" 'BEGIN { printf "%.2f", t / (b - a) }') x real time"
echo
echo "== causal links (within-speaker Pearson r; docs/corpus.md)"
/usr/bin/python3 "$root/tools/emo-gencorpus" check "$out"
if [ -x "$emo" ]; then
  echo
  echo "== labels vs hidden truth on the signal timeline (the delay is not undone)"
  "$emo" eval --labels "$out/labels" --predictions "$out/truth"
  # undo the known delay: truth shifted later by the delay = what labels describe
  delay=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["delay"])' "$out/meta.json")
  mkdir -p "$out/.shifted"
  for f in "$out"/truth/*.csv; do
    awk -F';' -v d="$delay" 'NR == 1 { print; next } { v[NR] = $0; n = NR }
      END { k = int(d * 10 + 0.5); for (i = 2; i <= n; i++) { j = i - k; if (j < 2) j = 2;
            split(v[j], a, ";"); split(v[i], b, ";"); print b[1] ";" b[2] ";" a[3] ";" a[4] ";" a[5] } }' \
      "$f" > "$out/.shifted/$(basename "$f")"
  done
  echo
  echo "== labels vs hidden truth delayed by $delay s (annotator noise and lag jitter only: the ceiling)"
  "$emo" eval --labels "$out/labels" --predictions "$out/.shifted"
  rm -rf "$out/.shifted"
fi
