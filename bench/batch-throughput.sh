#!/usr/bin/env bash
# Throughput of batches: `emo extract`, `emo predict` and `emo annotate`
# over a generated corpus of N files (default 50), with 1 worker and with 2
# workers (-j; each worker single-threaded), in the same run. Prints files
# per hour, media hours per core-hour and the 2-vs-1 wall-time ratio; then
# the fixed cost per file inside a batch (a batch of very short files, where
# the media work is negligible) and the cold start of one process.
#
#   bench/batch-throughput.sh [BUILD_DIR] [N_FILES] [SESSION_SECONDS]
#
# The corpus: SESSIONS (5) sessions of emo-gencorpus (speech + a moving
# face), each copied to N/SESSIONS names in nested folders, so every file
# is real audiovisual content and the work per file is known; it is
# generated once per run (about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-50}
DUR=${3:-8}
SESSIONS=${SESSIONS:-5}
EMO="$PWD/$BUILD/tools/emo"
[ -x "$EMO" ] || { echo "no $EMO: build first (ninja -C $BUILD)" >&2; exit 1; }
export GST_PLUGIN_PATH_1_0="$PWD/$BUILD/plugins"
export OPENBLAS_NUM_THREADS=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CORES=$(nproc)

echo "== corpus: $SESSIONS generated sessions of ${DUR} s, copied to $N files"
/usr/bin/python3 tools/emo-gencorpus generate --out "$TMP/gen" --seed 7 \
  --sessions "$SESSIONS" --speakers "$SESSIONS" --duration "$DUR" --quiet
mapfile -t MKV < <(ls "$TMP/gen/video/"*.mkv)
for i in $(seq 0 $((N - 1))); do
  src=${MKV[$((i % ${#MKV[@]}))]}
  d="$TMP/corpus/g$((i % 5))"
  mkdir -p "$d" "$TMP/wav/g$((i % 5))"
  cp "$src" "$d/f$i.mkv"
  cp "$TMP/gen/audio/$(basename "$src" .mkv).wav" "$TMP/wav/g$((i % 5))/f$i.wav"
done
MEDIA_S=$(/usr/bin/python3 - "$TMP/wav" <<'EOF'
import os, sys, wave
t = 0.0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        with wave.open(os.path.join(root, f)) as w:
            t += w.getnframes() / w.getframerate()
print("%.3f" % t)
EOF
)
echo "   $N files, $MEDIA_S s of media; $CORES cores; load now: $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s.%N; }
# run LABEL JOBS CMD...: wall and CPU (user+sys of the children) seconds
run() {
  local label=$1 jobs=$2; shift 2
  local t0 t1 cpu
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$TMP/time" "$@" -j "$jobs" > "$TMP/$label.log" 2>&1 \
    || { tail -5 "$TMP/$label.log"; echo "FAILED: $label" >&2; exit 1; }
  t1=$(now)
  cpu=$(awk '{print $1 + $2}' "$TMP/time")
  WALL=$(echo "$t1 - $t0" | bc -l)
  # per core-hour from wall time x workers (what a reserved core costs),
  # and from CPU time (what the work costs, whatever else loads the machine)
  printf "   %-9s -j %d: wall %6.1f s, cpu %6.1f s; %6.0f files/h; media h per core-h: %5.1f (wall x jobs), %5.1f (cpu)\n" \
    "$label" "$jobs" "$WALL" "$cpu" "$(echo "$N * 3600 / $WALL" | bc -l)" \
    "$(echo "$MEDIA_S / ($WALL * $jobs)" | bc -l)" "$(echo "$MEDIA_S / $cpu" | bc -l)"
}

for cmd in extract predict annotate; do
  echo "== $cmd"
  for j in 1 2; do
    rm -rf "$TMP/out-$cmd-$j"
    case $cmd in
      extract) run "$cmd" $j "$EMO" extract "$TMP/wav" -o "$TMP/out-$cmd-$j" ;;
      predict) run "$cmd" $j "$EMO" predict -m models/emodb-audio.emo "$TMP/out-extract-1" \
                 -o "$TMP/out-$cmd-$j" ;;
      annotate) run "$cmd" $j "$EMO" annotate "$TMP/corpus" -o "$TMP/out-$cmd-$j" --formats mp4,csv ;;
    esac
    eval "W_${cmd}_$j=$WALL"
  done
  eval "w1=\$W_${cmd}_1 w2=\$W_${cmd}_2"
  printf "   %s: 2 workers / 1 worker throughput = %.2fx\n" "$cmd" "$(echo "$w1 / $w2" | bc -l)"
done
# identical results whatever the worker count
for cmd in extract predict; do
  diff -r -q -x '.emo-batch' -x 'emo-batch*.jsonl' -x '*.emo-record.json' \
    "$TMP/out-$cmd-1" "$TMP/out-$cmd-2" > /dev/null \
    && echo "   $cmd: outputs with 1 and 2 workers identical" \
    || echo "   $cmd: OUTPUTS DIFFER between 1 and 2 workers"
done

echo "== fixed cost per file inside a batch (50 files of 0.2 s, -j 1)"
mkdir -p "$TMP/tiny"
gst-launch-1.0 -q audiotestsrc num-buffers=4 samplesperbuffer=800 wave=pink-noise \
  ! audio/x-raw,rate=16000,channels=1 ! wavenc ! filesink location="$TMP/tiny/t0.wav"
for i in $(seq 1 49); do cp "$TMP/tiny/t0.wav" "$TMP/tiny/t$i.wav"; done
for j in 1 2; do
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$TMP/time" "$EMO" extract "$TMP/tiny" -o "$TMP/tiny-out$j" -j $j > /dev/null 2>&1
  t1=$(now)
  printf "   extract -j %d: %6.1f ms wall per file, %5.1f ms CPU per file (worker start, read, features, CSV, summary)\n" \
    $j "$(echo "($t1 - $t0) * 1000 / 50" | bc -l)" "$(awk '{print ($1 + $2) * 1000 / 50}' "$TMP/time")"
done

echo "== cold start of one process (median of 5)"
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
for what in version extract annotate; do
  for k in 1 2 3 4 5; do
    case $what in
      version) set -- "$EMO" --version ;;
      extract) set -- "$EMO" extract -q "$TMP/tiny/t0.wav" -o "$TMP/cold" ;;
      annotate) set -- "$EMO" annotate -q "$TMP/tiny/t0.wav" --no-video --csv "$TMP/cold.csv" ;;
    esac
    /usr/bin/time -f "%e %U %S" -o "$TMP/time" "$@" > /dev/null 2>&1
    awk '{printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000}' "$TMP/time"
  done > "$TMP/cold.txt"
  printf "   %-9s %7.1f ms wall, %6.1f ms CPU\n" "$what" "$(cut -d' ' -f1 "$TMP/cold.txt" | med)" \
    "$(cut -d' ' -f2 "$TMP/cold.txt" | med)"
done
echo "   (annotate: GStreamer registry, file inspection, model loading, graph start and stop for 0.2 s of audio)"
