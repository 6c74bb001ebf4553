#!/bin/bash
# Builds 27-dimensional feature folders from the nine AVEC 2019 CES stage-1
# prediction streams (arousal, valence, liking of each set, per recording,
# cropped to the label length) and the split used by bench/mtl-real.sh:
#   DIR/{DE,HU}-{train,dev,all}/{features,labels}/
# train = sessions 01-10, dev = sessions 11-14, all = 01-14 (test side).
# Usage: bench/mtl-data.sh DATA_DIR OUT_DIR   (nothing is written to the repo)
set -euo pipefail
DATA=${1:?data dir (../shared/data/avec2019-ces)}
OUT=${2:?output dir}
SETS="deepspectrum egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow visual-func visual-resnet visual-vgg visual-xbow"
[ -f "$OUT/.complete" ] && exit 0
rm -rf "$OUT"
for c in DE HU; do
  for part in train dev all; do
    mkdir -p "$OUT/$c-$part/features" "$OUT/$c-$part/labels"
  done
  for lab in "$DATA"/labels_devel/Devel_${c}_*.csv; do
    f=$(basename "$lab")
    n=$(( $(wc -l < "$lab") - 1 ))
    num=${f#Devel_${c}_}; num=${num%.csv}
    part=train; [ "$((10#$num))" -gt 10 ] && part=dev
    header="name;timestamp"
    files=()
    for s in $SETS; do
      header="$header;${s}_arousal;${s}_valence;${s}_liking"
      files+=("$DATA/baseline_predictions/predictions_$s/$f")
    done
    # rows 2..n+1 of each prediction file; a short file repeats its last row
    awk -F';' -v n="$n" -v header="$header" -v nf="${#files[@]}" '
      FNR == 1 { k++; next }
      { r = FNR - 1; if (r <= n) { v[k, r] = $3 ";" $4 ";" $5; name[r] = $1; ts[r] = $2; last[k] = r } }
      END {
        print header
        for (r = 1; r <= n; r++) {
          line = name[r] == "" ? name[last[1]] : name[r]
          t = ts[r] == "" ? sprintf("%.6f", (r - 1) * 0.1) : ts[r]
          line = line ";" t
          for (i = 1; i <= nf; i++) line = line ";" ((i, r) in v ? v[i, r] : v[i, last[i]])
          print line
        }
      }' "${files[@]}" > "$OUT/$c-$part/features/$f"
    cp "$lab" "$OUT/$c-$part/labels/$f"
    cp "$OUT/$c-$part/features/$f" "$OUT/$c-all/features/$f"
    cp "$lab" "$OUT/$c-all/labels/$f"
  done
done
touch "$OUT/.complete"
