#!/bin/bash
# Real-data proof of the multitask loss: the nine AVEC 2019 CES
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
#        EPOCHS (50), SEARCH (weight draws, 6), SEEDS ("1"; several are averaged),
#        NO_DOCS=1 (print only)
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
SEEDS=${SEEDS:-$SEED}
# Inputs are predictions already on the label timeline: no annotation delay.
OPTS="--epochs $EPOCHS --chunk 200 --batch 8 --delay 0 --threads 1 -q"
OUTDIR=$CACHE/h$HIDDEN-e$EPOCHS
mkdir -p "$OUTDIR"

# prints "arousal valence liking mean" CCCs of a prediction folder
score() {
  "$EMO" eval --labels "$1" --predictions "$2" | awk '
    $1 == "arousal" { a = $2 } $1 == "valence" { v = $2 } $1 == "liking" { l = $2 }
    END { printf "%.4f %.4f %.4f %.4f\n", a, v, l, (a + v + l) / 3 }'
}

# mean over seeds (and the spread of the mean column) of "key a v l m" lines
row() { # label, key, file
  awk -v key="$2" -v label="$1" '$1 == key { n++; for (i = 2; i <= 5; i++) s[i] += $i; m[n] = $5 }
    END { if (!n) exit; mu = s[5] / n; sd = 0; for (j = 1; j <= n; j++) sd += (m[j] - mu) ^ 2
      sd = n > 1 ? sqrt(sd / (n - 1)) : 0
      spread = n > 1 ? sprintf(" ± %.3f", sd) : ""
      printf "| %s | %.3f | %.3f | %.3f | **%.3f**%s |\n", label, s[2] / n, s[3] / n, s[4] / n, mu, spread }' "$3"
}

TABLE=$OUTDIR/table.md
: > "$TABLE"
for dir in DE:HU HU:DE; do
  tr=${dir%:*}; te=${dir#*:}
  SC=$OUTDIR/scores-$tr-to-$te.txt
  DV=$OUTDIR/dev-$tr-to-$te.txt
  : > "$SC"; : > "$DV"
  for seed in $SEEDS; do
    W=$OUTDIR/s$seed/$tr-to-$te
    mkdir -p "$W"
    common=(-f "$D/$tr-train/features" -l "$D/$tr-train/labels"
      --devel-features "$D/$tr-dev/features" --devel-labels "$D/$tr-dev/labels" $OPTS --seed "$seed")
    lstm=("${common[@]}" --hidden "$HIDDEN")
    t0=$(date +%s)
    [ -f "$W/stl-liking.emo" ] || "$EMO" train "${lstm[@]}" --stl -o "$W/stl.emo"
    [ -f "$W/mtl-paper.emo" ] || "$EMO" train "${lstm[@]}" --weights 0.7,0.2,1.0 -o "$W/mtl-paper.emo"
    [ -f "$W/mtl-equal.emo" ] || "$EMO" train "${lstm[@]}" --weights 1,1,1 -o "$W/mtl-equal.emo"
    [ -f "$W/linear-paper.emo" ] || "$EMO" train "${common[@]}" --model linear --lr 1e-2 \
        --weights 0.7,0.2,1.0 -o "$W/linear-paper.emo"
    "$EMO" train "${lstm[@]}" --search "$SEARCH" -o "$W/mtl-search.emo" \
        --search-log "$W/mtl-search.tsv" | grep -E '^(resuming|search done)' || true
    echo "seed $seed, $tr -> $te: training done in $(( $(date +%s) - t0 )) s"
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
      echo "$m $(score "$D/$te-all/labels" "$W/pred-$m-$te-all")" >> "$SC"
      echo "$m $(score "$D/$tr-dev/labels" "$W/pred-$m-$tr-dev")" >> "$DV"
    done
    awk -F'\t' 'BEGIN { b = -9 } $1 ~ /^[0-9]+$/ && $NF + 0 > b { b = $NF + 0; w = sprintf("%.2f,%.2f,%.2f", $2, $3, $4) } END { print w }' \
      "$W/mtl-search.tsv" > "$W/search-weights.txt"
  done

  # references that fit nothing: each stream alone, and the mean of the nine
  best_name=; best=; best_mean=-9
  for s in $SETS; do
    sc=$(score "$D/$te-all/labels" "$DATA/baseline_predictions/predictions_$s")
    m=$(echo "$sc" | awk '{print $4}')
    if awk -v a="$m" -v b="$best_mean" 'BEGIN { exit !(a > b) }'; then best_mean=$m; best=$sc; best_name=$s; fi
  done
  echo "best $best" >> "$SC"
  P9=$OUTDIR/pred-mean9-$te
  mkdir -p "$P9"
  for f in "$D/$te-all/features"/*.csv; do
    awk -F';' 'NR == 1 { print "name;timestamp;arousal;valence;liking"; next }
      { a = v = l = 0; for (i = 0; i < 9; i++) { a += $(3 + 3 * i); v += $(4 + 3 * i); l += $(5 + 3 * i) }
        printf "%s;%s;%.6f;%.6f;%.6f\n", $1, $2, a / 9, v / 9, l / 9 }' "$f" > "$P9/$(basename "$f")"
  done
  echo "mean9 $(score "$D/$te-all/labels" "$P9")" >> "$SC"
  nseeds=$(echo $SEEDS | wc -w)
  weights=$(for seed in $SEEDS; do cat "$OUTDIR/s$seed/$tr-to-$te/search-weights.txt"; done | paste -sd' ')

  {
    echo
    echo "### Train $tr (sessions 01-10; dev 11-14) -> test $te (all 14 sessions)"
    echo
    echo "| system | arousal | valence | liking | mean |"
    echo "|---|---|---|---|---|"
    row "best single input stream ($best_name, chosen on the test set)" best "$SC"
    row "mean of the nine streams" mean9 "$SC"
    row "STL LSTM (three models)" stl "$SC"
    row "MTL LSTM, paper weights 0.7,0.2,1.0" mtl-paper "$SC"
    row "MTL LSTM, equal weights 1,1,1" mtl-equal "$SC"
    row "MTL LSTM, searched weights ($SEARCH draws, best by dev CCC per seed: $weights)" mtl-search "$SC"
    row "linear, CCC loss, paper weights" linear-paper "$SC"
    echo
    echo "Trained systems: mean over $nseeds seed(s) ($SEEDS), ± the standard deviation of the mean CCC"
    echo "across seeds. Development CCC ($tr sessions 11-14, used for epoch and weight choice, not a"
    echo "test figure), mean over seeds, arousal/valence/liking/mean:"
    for m in stl mtl-paper mtl-equal mtl-search linear-paper; do
      awk -v key=$m '$1 == key { n++; for (i = 2; i <= 5; i++) s[i] += $i }
        END { printf "%s %.3f/%.3f/%.3f/%.3f; ", key, s[2] / n, s[3] / n, s[4] / n, s[5] / n }' "$DV"
    done
    echo
  } >> "$TABLE"
done

SECTION=$OUTDIR/section.md
{
  echo "## Multitask learning"
  echo
  echo "Produced by \`bench/mtl-real.sh\` on $(date -u +%Y-%m-%d) (seeds $SEEDS). Inputs: the nine AVEC 2019 CES"
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
  echo
  echo "What these figures do and do not show is discussed in docs/mtl.md (\"Real-data proof\")."
  SPEED=${XDG_CACHE_HOME:-$HOME/.cache}/gst-emo/mtl-speed.md
  if [ -f "$SPEED" ]; then echo; cat "$SPEED"; fi
} > "$SECTION"
cat "$SECTION"

if [ -z "${NO_DOCS:-}" ]; then
  RES=$ROOT/docs/results.md
  [ -f "$RES" ] || printf "# Results\n\nMeasured figures; each section names the script that produced it.\n\n" > "$RES"
  # replace our section (up to the next "## " heading) or append it
  awk -v sec="$SECTION" '
    /^## Multitask learning/ { while ((getline l < sec) > 0) print l; print ""; skip = 1; done = 1; next }
    skip && /^## / { skip = 0 }
    !skip { print }
    END { if (!done) { print ""; while ((getline l < sec) > 0) print l } }' "$RES" > "$RES.tmp"
  mv "$RES.tmp" "$RES"
  echo "updated $RES"
fi
