#!/bin/bash
# Does a speech model recipe hold on voices, rooms and channels it never
# heard? Leave-one-speaker-out on EmoDB, scored the way the model is used on
# short isolated clips: every held-out utterance is its own stream (`emo
# predict`, one file per stream, the default path), clean and under the
# held-out augmentations of bench/emodb-augment.sh (conditions no model is
# trained on), plus the one-pass per-speaker mode (`emo predict
# --norm-persist`: the held-out speaker's running statistics carried from
# clip to clip in name order, causal) for models normalised per stream.
#
#   bench/emodb-robust.sh --name NAME [--cache DIR] [--norm fixed|stream]
#                         [--warmup S] [--aug K] [--folds "03 08 ..."]
#                         [--final FILE] [--rescore] [-- EMO_TRAIN_ARGS...]
#
# --norm/--warmup: emo train --normalise / --norm-warmup (default fixed).
# --aug K: besides each training speaker's clean stream, K more streams of
#   the same utterances, each utterance under one training condition drawn
#   at random (seeded), in another random order (bench/emodb-augment.sh
#   --list-train). The development speaker stays clean.
# Training streams, folds and the development speaker as bench/emodb-train.sh.
# Prints and writes CACHE/robust/NAME/summary.txt: per condition the pooled
# AUC (utterance = mean of its frame predictions, as `emo predict --clip`),
# frame CCC, and the per-speaker mean AUC.
# HELD="cond ...": score only these held-out conditions (default: all).
# --rescore: keep the folds' models of an earlier run of NAME, predict and
#   score again (e.g. after adding a held-out condition).
# --final FILE: afterwards trains the same recipe on all ten speakers
#   (epochs: the median of the folds' chosen epochs) into FILE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/emodb"
emo="${EMO_TOOL:-$root/build/tools/emo}"
name=""; norm=fixed; warmup=3; aug=0; folds=""; final=""; rescore=0
TRAIN_ARGS=(--model lstm --hidden 64,32 --dropout 0.3 --epochs 30 --chunk 100 --batch 8 --lr 1e-3 --optimizer adam --seed 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --norm) norm="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --aug) aug="$2"; shift 2 ;;
    --folds) folds="$2"; shift 2 ;;
    --final) final="$2"; shift 2 ;;
    --rescore) rescore=1; shift ;;
    --) shift; TRAIN_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "emodb-robust: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$name" ] || { echo "emodb-robust: --name NAME" >&2; exit 2; }
[ -x "$emo" ] || { echo "emodb-robust: no emo tool at $emo" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1
export GST_PLUGIN_PATH_1_0="${GST_PLUGIN_PATH_1_0:-$root/build/plugins}"
py=/usr/bin/python3
utts="$cache/utterances.tsv"
[ -f "$cache/features/none/.done" ] || { echo "emodb-robust: run bench/emodb-train.sh once (labels, folds, features)" >&2; exit 1; }
held=${HELD:-$("$here/emodb-augment.sh" --list-held)}
train_conds=$("$here/emodb-augment.sh" --list-train)
need="$held"
for k in $(seq 1 "$aug"); do [ -f "$cache/features/mix-$k/.done" ] || need="$held $train_conds"; done
"$here/emodb-augment.sh" --cache "$cache" --conditions "$need"

streams() {  # featdir outdir seed
  [ -f "$2/.done" ] && return 0
  $py "$here/emodb-streams.py" "$utts" "$1" "$cache/labels" "$2" --seed "$3"
  touch "$2/.done"
}
streams "$cache/features/none" "$cache/streams/none" 1
for k in $(seq 1 "$aug"); do
  mix="$cache/features/mix-$k"
  if [ ! -f "$mix/.done" ]; then
    rm -rf "$mix"; mkdir -p "$mix"
    # utterance -> one training condition, drawn with seed k
    $py - "$utts" "$cache/features" "$mix" "$k" $train_conds <<'EOF'
import csv, os, random, sys
tsv, feat, out, k, conds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
rng = random.Random(1000 + k)
for r in sorted(csv.DictReader(open(tsv), delimiter="\t"), key=lambda r: r["utt"]):
    c = rng.choice(conds)
    os.symlink(os.path.join(feat, "aug-" + c, r["utt"] + ".csv"), os.path.join(out, r["utt"] + ".csv"))
EOF
    touch "$mix/.done"
  fi
  streams "$mix" "$cache/streams/mix-$k" $((k + 1))
done

run="$cache/robust/$name"
if [ "$rescore" = 1 ]; then rm -rf "$run"/pred-* "$run"/fold-*/in-*; else rm -rf "$run"; fi
mkdir -p "$run"
[ -n "$folds" ] || folds=$(ls "$cache/folds")
extra=(--normalise "$norm" --norm-warmup "$warmup")
t0=$(date +%s)
for s in $folds; do
  f="$cache/folds/$s"; d="$run/fold-$s"; dv=$(cat "$f/devel-speaker")
  if [ "$rescore" = 1 ] && [ -f "$d/model.emo" ]; then :; else
  mkdir -p "$d/train/features" "$d/train/labels" "$d/devel/features" "$d/devel/labels"
  for sp in $(ls "$cache/folds"); do
    [ "$sp" = "$s" ] && continue
    if [ "$sp" = "$dv" ]; then
      ln -s "$cache/streams/none/features/$sp.csv" "$d/devel/features/"
      ln -s "$cache/streams/none/labels/$sp.csv" "$d/devel/labels/"
      continue
    fi
    ln -s "$cache/streams/none/features/$sp.csv" "$d/train/features/"
    ln -s "$cache/streams/none/labels/$sp.csv" "$d/train/labels/"
    for k in $(seq 1 "$aug"); do
      ln -s "$cache/streams/mix-$k/features/$sp.csv" "$d/train/features/$sp-m$k.csv"
      ln -s "$cache/streams/mix-$k/labels/$sp.csv" "$d/train/labels/$sp-m$k.csv"
    done
  done
  "$emo" train --features "$d/train/features" --labels "$d/train/labels" \
    --devel-features "$d/devel/features" --devel-labels "$d/devel/labels" \
    --attributes arousal,valence --delay 0 --layout egemaps-v02-func --quiet \
    "${TRAIN_ARGS[@]}" "${extra[@]}" -o "$d/model.emo" > "$d/train.log" 2>&1 \
    || { cat "$d/train.log"; echo "emodb-robust: training fold $s failed" >&2; exit 1; }
  fi
  for c in clean $held; do
    src="$cache/features/none"; [ "$c" = clean ] || src="$cache/features/aug-$c"
    mkdir -p "$d/in-$c"
    while read -r u; do ln -s "$src/$u.csv" "$d/in-$c/"; done < "$f/test.list"
    "$emo" predict --model "$d/model.emo" --features "$d/in-$c" --out "$run/pred-$c" > /dev/null
  done
  if [ "$norm" = stream ]; then
    "$emo" predict --model "$d/model.emo" --norm-persist --features "$d/in-clean" --out "$run/pred-persist" > /dev/null
  fi
  echo "fold $s (devel $dv): $(tail -1 "$d/train.log")"
done
echo "emodb-robust: $name: LOSO in $(( $(date +%s) - t0 )) s"
{
  echo "== $name: norm $norm (warm-up $warmup s), $aug augmented stream(s) per speaker; ${TRAIN_ARGS[*]}"
  $py "$here/emodb-robust-score.py" "$utts" "clean (one clip per stream)" "$run/pred-clean" --header
  $py "$here/emodb-robust-score.py" "$utts" "clean, last frame per clip" "$run/pred-clean" --last
  [ -d "$run/pred-persist" ] && $py "$here/emodb-robust-score.py" "$utts" "clean, speaker profile 1 pass" "$run/pred-persist"
  for c in $held; do
    $py "$here/emodb-robust-score.py" "$utts" "held-out: $c" "$run/pred-$c"
  done
} | tee "$run/summary.txt"

if [ -n "$final" ]; then
  d="$run/final"
  mkdir -p "$d/features" "$d/labels"
  for sp in $(ls "$cache/folds"); do
    ln -s "$cache/streams/none/features/$sp.csv" "$d/features/"
    ln -s "$cache/streams/none/labels/$sp.csv" "$d/labels/"
    for k in $(seq 1 "$aug"); do
      ln -s "$cache/streams/mix-$k/features/$sp.csv" "$d/features/$sp-m$k.csv"
      ln -s "$cache/streams/mix-$k/labels/$sp.csv" "$d/labels/$sp-m$k.csv"
    done
  done
  ep=$(for s in $folds; do grep -o 'epoch [0-9]* of' "$run/fold-$s/train.log" | tail -1 | awk '{print $2}'; done | sort -n |
       awk '{a[NR]=$1} END { if (NR) print a[int((NR+1)/2)]; }')
  args=("${TRAIN_ARGS[@]}")
  [ -n "$ep" ] && args+=(--epochs "$ep")
  "$emo" train --features "$d/features" --labels "$d/labels" \
    --attributes arousal,valence --delay 0 --layout egemaps-v02-func --quiet "${extra[@]}" \
    --describe "EmoDB, all 10 speakers, one clean stream each plus $aug stream(s) of augmented copies (speed, pitch, noise, reverberation, level, band limiting, codecs: bench/emodb-augment.sh; bench/emodb-robust.sh --name $name --final)" \
    "${args[@]}" -o "$final" | tail -2
  echo "emodb-robust: wrote $final (epochs ${ep:-default})"
fi
