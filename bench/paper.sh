#!/bin/bash
# The shapes of Atmaja & Akagi (ICASSP 2020) Tables 2 and 3 through the
# project's own tools, on the generated corpus (docs/corpus.md), sessions
# split by speaker into train / development / test:
#   Table 2: STL per attribute vs MTL with equal weights vs MTL with the
#            paper's weights (0.7, 0.2, 1.0) vs MTL with searched weights,
#            for audio and for visual features;
#   Table 3: unimodal audio, unimodal visual, early fusion (emofuse
#            mode=concat features), late fusion (mean of the two MTL models),
#            multistage fusion (SVR stacking, 1..5 stages, fitted on devel).
# Everything is scored on devel and on the held-out test speakers, and the
# tables are written into docs/results.md between markers.
#
#   bench/paper.sh [--corpus DIR] [--search N] [--no-docs] [-- EMO_TRAIN_ARGS...]
#
# --corpus: a corpus from bench/gen-corpus.sh (default: its default OUT;
#           generated with its defaults if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus"
emo="${EMO_TOOL:-$root/build/tools/emo}"
search=6; docs=1
TRAIN_ARGS=(--model lstm --hidden 64,32 --dropout 0.3 --epochs 30 --batch 8 --chunk 100 --lr 1e-3 --optimizer adam --seed 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --search) search="$2"; shift 2 ;;
    --no-docs) docs=0; shift ;;
    --) shift; TRAIN_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "paper: unknown argument $1" >&2; exit 2 ;;
  esac
done
export GST_PLUGIN_PATH_1_0="${GST_PLUGIN_PATH_1_0:-$root/build/plugins}"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
[ -f "$corpus/meta.json" ] || "$here/gen-corpus.sh" "$corpus"
delay=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["delay"])' "$corpus/meta.json")
W="$corpus/paper"
mkdir -p "$W"
T0=$(date +%s)

# --- features through the elements (cached)
if [ ! -f "$W/features.done" ]; then
  rm -rf "$W/feat"; mkdir -p "$W/feat/audio" "$W/feat/video" "$W/feat/early"
  for mkv in "$corpus"/video/*.mkv; do
    n=$(basename "$mkv" .mkv)
    gst-launch-1.0 -q filesrc location="$mkv" ! matroskademux name=d \
      d. ! queue ! audioconvert ! audioresample ! emoaudiofeat ! tee name=ta \
         ta. ! queue ! emoexport format=csv name-column="$n" ! filesink location="$W/feat/audio/$n.csv" \
         ta. ! queue ! f.sink_0 \
      d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! tee name=tv \
         tv. ! queue ! emoexport format=csv name-column="$n" ! filesink location="$W/feat/video/$n.csv" \
         tv. ! queue ! f.sink_1 \
      emofuse name=f mode=concat ! emoexport format=csv name-column="$n" ! filesink location="$W/feat/early/$n.csv"
  done
  touch "$W/features.done"
fi
echo "paper: features ready ($(($(date +%s) - T0)) s)"

# per split folders of feature files (symlinks)
for m in audio video early; do
  for s in train devel test; do
    d="$W/split/$m/$s"; rm -rf "$d"; mkdir -p "$d"
    for f in "$corpus"/splits/$s/labels/*.csv; do ln -s "$W/feat/$m/$(basename "$f")" "$d/"; done
  done
done
L="$corpus/splits"

ccc3() {  # labels-dir preds-dir -> "A V L mean"
  "$emo" eval --labels "$1" --predictions "$2" |
    awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} $1=="liking"{l=$2} END{printf "%.3f %.3f %.3f %.3f", a, v, l, (a+v+l)/3}'
}
train() {  # modality name extra-args... -> model(s) under $W/models/name
  local m=$1 name=$2; shift 2
  local layout
  case $m in audio) layout=egemaps-v02-func ;; video) layout=vis-v1 ;; early) layout=egemaps-v02-func+vis-v1 ;; esac
  mkdir -p "$W/models"
  "$emo" train --layout "$layout" --features "$W/split/$m/train" --labels "$L/train/labels" \
    --devel-features "$W/split/$m/devel" --devel-labels "$L/devel/labels" \
    --delay "$delay" --quiet "${TRAIN_ARGS[@]}" "$@" -o "$W/models/$name.emo" > "$W/models/$name.log" 2>&1 \
    || { cat "$W/models/$name.log"; echo "paper: training $name failed" >&2; exit 1; }
}
predict() {  # modality name models... -> $W/pred/name/{devel,test}
  local m=$1 name=$2; shift 2
  local args=()
  for x in "$@"; do args+=(--model "$W/models/$x.emo"); done
  for s in devel test; do
    rm -rf "$W/pred/$name/$s"
    "$emo" predict "${args[@]}" --features "$W/split/$m/$s" --out "$W/pred/$name/$s" > /dev/null
  done
}
row() {  # label name -> markdown row with devel and test CCCs
  local d t
  d=$(ccc3 "$L/devel/labels" "$W/pred/$2/devel"); t=$(ccc3 "$L/test/labels" "$W/pred/$2/test")
  echo "| $1 | $(echo $d | tr ' ' '|' | sed 's/|/ | /g') | $(echo $t | tr ' ' '|' | sed 's/|/ | /g') |"
}

# --- Table 2
T2="| model | dev A | dev V | dev L | dev mean | test A | test V | test L | test mean |
|---|---|---|---|---|---|---|---|---|"
for m in audio video; do
  train $m $m-stl --stl
  predict $m $m-stl $m-stl-arousal $m-stl-valence $m-stl-liking
  train $m $m-mtl-equal --weights 1,1,1
  predict $m $m-mtl-equal $m-mtl-equal
  train $m $m-mtl-paper --weights 0.7,0.2,1.0
  predict $m $m-mtl-paper $m-mtl-paper
  train $m $m-mtl-search --search "$search"
  predict $m $m-mtl-search $m-mtl-search
  # the draw with the best mean development CCC (the one the search kept)
  w=$(awk -F'\t' '$1 != "draw" && $9 > best { best = $9; w = sprintf("%.2f, %.2f, %.2f", $2, $3, $4) } END { print w }' \
      "$W/models/$m-mtl-search.emo.search.tsv" 2>/dev/null || true)
  T2="$T2
$(row "$m STL (three models)" $m-stl)
$(row "$m MTL 1, 1, 1" $m-mtl-equal)
$(row "$m MTL 0.7, 0.2, 1.0 (paper)" $m-mtl-paper)
$(row "$m MTL searched (${w:-see log}, $search draws)" $m-mtl-search)"
  echo "paper: table 2 $m done ($(($(date +%s) - T0)) s)"
done

# --- Table 3
train early early-mtl --weights 1,1,1
predict early early-mtl early-mtl
T3="| system | dev A | dev V | dev L | dev mean | test A | test V | test L | test mean |
|---|---|---|---|---|---|---|---|---|
$(row "audio (MTL 1,1,1)" audio-mtl-equal)
$(row "visual (MTL 1,1,1)" video-mtl-equal)
$(row "early fusion (emofuse concat -> MTL)" early-mtl)"
ins=("$W/pred/audio-mtl-equal" "$W/pred/video-mtl-equal")
# fuser inputs as $W/fin/<split>/<model>: a fuser records its inputs' folder
# names and warns when they differ at apply time
for s in devel test; do
  mkdir -p "$W/fin/$s"
  for x in "${ins[@]}"; do ln -sfn "$x/$s" "$W/fin/$s/$(basename "$x")"; done
done
fuse() {  # name fuse-train-args... (fitted on devel, applied to devel and test)
  local name=$1; shift
  mkdir -p "$W/fusers"
  "$emo" fuse-train --labels "$L/devel/labels" --inputs "$W/fin/devel/$(basename "${ins[0]}")" \
    --inputs "$W/fin/devel/$(basename "${ins[1]}")" \
    "$@" -o "$W/fusers/$name.fuse" > "$W/fusers/$name.log" 2>&1 \
    || { cat "$W/fusers/$name.log"; echo "paper: fuse-train $name failed" >&2; exit 1; }
  for s in devel test; do
    rm -rf "$W/pred/$name/$s"
    "$emo" fuse --model "$W/fusers/$name.fuse" --inputs "$W/fin/$s/$(basename "${ins[0]}")" \
      --inputs "$W/fin/$s/$(basename "${ins[1]}")" --out "$W/pred/$name/$s" > /dev/null
  done
}
fuse late-mean --method mean
T3="$T3
$(row "late fusion (mean)" late-mean)"
for st in 1 2 3 4 5; do
  fuse ms$st --method svr --stages $st --context 15 -C 0.01
  T3="$T3
$(row "multistage fusion, $st stage(s) (SVR, fitted on devel)" ms$st)"
done
fuse cccw --method cccw
T3="$T3
$(row "CCC-weighted fusion (fitted on devel)" cccw)"
echo "paper: table 3 done ($(($(date +%s) - T0)) s)"

nsess=$(/usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); from collections import Counter; c=Counter(s["split"] for s in m["sessions"]); t=Counter(); [t.update({s["split"]: s["duration"]}) for s in m["sessions"]]; print(", ".join("%s %d sessions (%.0f s)" % (k, c[k], t[k]) for k in ("train","devel","test")))' "$corpus/meta.json")
gen=$(/usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("--sessions %d --speakers %d --seed %d" % (len(m["sessions"]), len(m["speakers"]), m["seed"]))' "$corpus/meta.json")
seed=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seed"])' "$corpus/meta.json")
# the exact command (session lengths: gen-corpus.sh's default 45-75 s)
default_corpus="${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/corpus"
if [ "$corpus" = "$default_corpus" ]; then regen="bench/gen-corpus.sh $gen && bench/paper.sh"
else regen="bench/gen-corpus.sh DIR $gen && bench/paper.sh --corpus DIR"; fi
section="<!-- bench/paper.sh begin -->
## The paper's tables on the generated corpus

Regenerate: \`$regen\` (corpus seed $seed; $nsess; speakers disjoint
across splits). Model arguments: \`${TRAIN_ARGS[*]}\`, annotation delay $delay s. CCC as AVEC 2019
(all sessions of a split concatenated). Fusers are fitted on devel, so their devel columns are the
paper's protocol (fit and score on the same data) and only the test columns are held out. Run on
$(date -u +%Y-%m-%d) in $(($(date +%s) - T0)) s.

### Table 2 shape: single-task vs multitask

$T2

### Table 3 shape: modalities and fusion

$T3

These are sessions rendered by tools/emo-gencorpus (docs/corpus.md): the figures compare methods
against each other on one synthetic task and say nothing about real recordings.
<!-- bench/paper.sh end -->"
echo "$section"
if [ "$docs" = 1 ]; then
  f="$root/docs/results.md"
  [ -f "$f" ] || echo "# Results" > "$f"
  if grep -q '<!-- bench/paper.sh begin -->' "$f"; then
    /usr/bin/python3 - "$f" "$section" <<'EOF'
import sys
p, sec = sys.argv[1], sys.argv[2]
s = open(p).read()
a = s.index("<!-- bench/paper.sh begin -->")
b = s.index("<!-- bench/paper.sh end -->") + len("<!-- bench/paper.sh end -->")
open(p, "w").write(s[:a] + sec + s[b:])
EOF
  else
    printf '\n%s\n' "$section" >> "$f"
  fi
  echo "paper: wrote docs/results.md"
fi
