#!/bin/bash
# Real-data proof of the multitask loss (issue 4): the nine AVEC 2019 CES
# stage-1 prediction streams of each recording (27 values per frame) are the
# input features; train on one culture (sessions 01-10, sessions 11-14 as the
# development set for epoch and weight choice), test on all 14 sessions of the
# other culture, both ways. Compares single-task (three models), multitask with
# the paper's weights, with equal weights and with searched weights, and a
# linear model, against the best single input stream and the plain mean of
# the nine (both fit nothing). Writes the table into docs/results.md.
#
# Usage: bench/mtl-real.sh            (resumable: trained models are kept in
#                                      the cache and skipped on a rerun)
# Env:   EMO (the emo binary), EMO_SHARED_DATA, CACHE (work dir, default
#        ~/.cache/gst-emo/mtl-real), HIDDEN (LSTM sizes, default 64,32,16),
#        EPOCHS (50), SEARCH (weight draws, 6), SEED (1), NO_DOCS=1 (print only)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EMO=${EMO:-$ROOT/build/tools/emo}
DATA=${EMO_SHARED_DATA:-$ROOT/../shared/data}/avec2019-ces
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/mtl-real}
HIDDEN=${HIDDEN:-64,32,16}
EPOCHS=${EPOCHS:-50}
SEARCH=${SEARCH:-6}
SEED=${SEED:-1}
SETS="deepspectrum egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow visual-func visual-resnet visual-vgg visual-xbow"
[ -d "$DATA/labels_devel" ] || { echo "no data at $DATA" >&2; exit 77; }
[ -x "$EMO" ] || { echo "no emo binary at $EMO (build first)" >&2; exit 1; }

D=$CACHE/data
"$ROOT/bench/mtl-data.sh" "$DATA" "$D"
RUN=$CACHE/h$HIDDEN-e$EPOCHS-s$SEED
mkdir -p "$RUN"
# Inputs are predictions already on the label timeline: no annotation delay.
OPTS="--epochs $EPOCHS --chunk 200 --batch 8 --delay 0 --seed $SEED --threads 1 -q"

# prints "arousal valence liking mean" CCCs of a prediction folder
score() {
  "$EMO" eval --labels "$1" --predictions "$2" | awk '
    $1 == "arousal" { a = $2 } $1 == "valence" { v = $2 } $1 == "liking" { l = $2 }
    END { printf "%.3f %.3f %.3f %.3f\n", a, v, l, (a + v + l) / 3 }'
}

row() { # name, scores
  set -- "$1" $2
  printf "| %s | %s | %s | %s | **%s** |\n" "$1" "$2" "$3" "$4" "$5"
}

TABLE=$RUN/table.md
: > "$TABLE"
for dir in DE:HU HU:DE; do
  tr=${dir%:*}; te=${dir#*:}
  W=$RUN/$tr-to-$te
  mkdir -p "$W"
  common=(-f "$D/$tr-train/features" -l "$D/$tr-train/labels"
    --devel-features "$D/$tr-dev/features" --devel-labels "$D/$tr-dev/labels" $OPTS)
  lstm=("${common[@]}" --hidden "$HIDDEN")
  t0=$(date +%s)
  [ -f "$W/stl-liking.emo" ] || "$EMO" train "${lstm[@]}" --stl -o "$W/stl.emo"
  [ -f "$W/mtl-paper.emo" ] || "$EMO" train "${lstm[@]}" --weights 0.7,0.2,1.0 -o "$W/mtl-paper.emo"
  [ -f "$W/mtl-equal.emo" ] || "$EMO" train "${lstm[@]}" --weights 1,1,1 -o "$W/mtl-equal.emo"
  [ -f "$W/linear-paper.emo" ] || "$EMO" train "${common[@]}" --model linear --lr 1e-2 \
      --weights 0.7,0.2,1.0 -o "$W/linear-paper.emo"
  "$EMO" train "${lstm[@]}" --search "$SEARCH" -o "$W/mtl-search.emo" \
      --search-log "$W/mtl-search.tsv" | grep -E '^(resuming|search done|new best)' || true
  echo "$tr -> $te: training done in $(( $(date +%s) - t0 )) s"

  for m in stl mtl-paper mtl-equal mtl-search linear-paper; do
    if [ $m = stl ]; then
      models=(--model "$W/stl-arousal.emo" --model "$W/stl-valence.emo" --model "$W/stl-liking.emo")
    else
      models=(--model "$W/$m.emo")
    fi
    for part in "$te-all" "$tr-dev"; do
      rm -rf "$W/pred-$m-$part"
      "$EMO" predict "${models[@]}" --features "$D/$part/features" --out "$W/pred-$m-$part" >/dev/null
    done
  done

  # references that fit nothing: each stream alone, and the mean of the nine
  best_name=; best=; best_mean=-9
  for s in $SETS; do
    sc=$(score "$D/$te-all/labels" "$DATA/baseline_predictions/predictions_$s")
    m=$(echo "$sc" | awk '{print $4}')
    if awk -v a="$m" -v b="$best_mean" 'BEGIN { exit !(a > b) }'; then best_mean=$m; best=$sc; best_name=$s; fi
  done
  mkdir -p "$W/pred-mean9"
  for f in "$D/$te-all/features"/*.csv; do
    awk -F';' 'NR == 1 { print "name;timestamp;arousal;valence;liking"; next }
      { a = v = l = 0; for (i = 0; i < 9; i++) { a += $(3 + 3 * i); v += $(4 + 3 * i); l += $(5 + 3 * i) }
        printf "%s;%s;%.6f;%.6f;%.6f\n", $1, $2, a / 9, v / 9, l / 9 }' "$f" > "$W/pred-mean9/$(basename "$f")"
  done
  search_w=$(awk -F'\t' 'NR > 1 && $NF > b { b = $NF; w = sprintf("%.2f,%.2f,%.2f", $2, $3, $4) } END { print w }' "$W/mtl-search.tsv")
  ndraws=$(awk 'NR > 1' "$W/mtl-search.tsv" | wc -l)

  {
    echo
    echo "### Train $tr (sessions 01-10; dev 11-14) -> test $te (all 14 sessions)"
    echo
    echo "| system | arousal | valence | liking | mean |"
    echo "|---|---|---|---|---|"
    row "best single input stream ($best_name, chosen on the test set)" "$best"
    row "mean of the nine streams" "$(score "$D/$te-all/labels" "$W/pred-mean9")"
    row "STL LSTM (three models)" "$(score "$D/$te-all/labels" "$W/pred-stl-$te-all")"
    row "MTL LSTM, paper weights 0.7,0.2,1.0" "$(score "$D/$te-all/labels" "$W/pred-mtl-paper-$te-all")"
    row "MTL LSTM, equal weights 1,1,1" "$(score "$D/$te-all/labels" "$W/pred-mtl-equal-$te-all")"
    row "MTL LSTM, searched weights $search_w ($ndraws draws, by dev CCC)" "$(score "$D/$te-all/labels" "$W/pred-mtl-search-$te-all")"
    row "linear (CCC loss, paper weights)" "$(score "$D/$te-all/labels" "$W/pred-linear-paper-$te-all")"
    echo
    echo "Development CCC ($tr sessions 11-14, used for epoch/weight choice, not a test figure):"
    echo "STL $(score "$D/$tr-dev/labels" "$W/pred-stl-$tr-dev"),"
    echo "MTL paper $(score "$D/$tr-dev/labels" "$W/pred-mtl-paper-$tr-dev"),"
    echo "MTL searched $(score "$D/$tr-dev/labels" "$W/pred-mtl-search-$tr-dev") (arousal valence liking mean)."
  } >> "$TABLE"
done

SECTION=$RUN/section.md
{
  echo "## Multitask learning (issue 4)"
  echo
  echo "Produced by \`bench/mtl-real.sh\` on $(date -u +%Y-%m-%d) (seed $SEED). Inputs: the nine AVEC 2019 CES"
  echo "stage-1 prediction streams per recording (27 values per frame, standardised with training"
  echo "statistics). LSTM($HIDDEN) with dropout 0.4 after each layer and three linear heads, RMSprop"
  echo "lr 5e-4, $EPOCHS epochs, epoch chosen by mean development CCC; training sequences cut into"
  echo "20 s chunks, 8 chunks per batch (10 training recordings would otherwise give one update per"
  echo "epoch); CCC in the loss per chunk, averaged over the batch. No label delay: the input streams"
  echo "are already on the label timeline. The network is smaller than the paper's LSTM(256,128,64)"
  echo "because the run has to fit on two shared cores (see docs/mtl.md for the paper-size timing)."
  echo "Test CCC is computed as AVEC 2019 does (all files of the test culture concatenated); the test"
  echo "culture is never seen in training, epoch choice or weight search."
  cat "$TABLE"
} > "$SECTION"
cat "$SECTION"

if [ -z "${NO_DOCS:-}" ]; then
  RES=$ROOT/docs/results.md
  [ -f "$RES" ] || printf "# Results\n\nMeasured figures; each section names the script that produced it.\n\n" > "$RES"
  # replace our section (up to the next "## " heading) or append it
  awk -v sec="$SECTION" '
    /^## Multitask learning \(issue 4\)/ { while ((getline l < sec) > 0) print l; print ""; skip = 1; done = 1; next }
    skip && /^## / { skip = 0 }
    !skip { print }
    END { if (!done) { print ""; while ((getline l < sec) > 0) print l } }' "$RES" > "$RES.tmp"
  mv "$RES.tmp" "$RES"
  echo "updated $RES"
fi
