# emo fuse-train / emo fuse on the real AVEC 2019 development predictions:
#  - one SVR stage with the organisers' stacking (K=11, C=0.001: a reduced
#    grid that runs in seconds) matches scikit-learn's LinearSVR on the same recipe within 0.01
#    CCC per attribute;
#  - emo fuse (the element's inference code) reproduces the CCC that
#    fuse-train printed, checked with emo eval (within 0.001: emo fuse runs
#    over the whole input files, so the context at the end of each file
#    differs from the label-length sequences used in training);
#  - bad inputs fail with a message naming the file.
. "$(dirname "$0")/lib.sh"
D="${EMO_SHARED_DATA}/avec2019-ces"
[ -d "$D/labels_devel" ] || skip "no AVEC 2019 data at $D"
IN=()
for s in egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow deepspectrum visual-func visual-xbow visual-resnet visual-vgg; do
  IN+=("$D/baseline_predictions/predictions_$s")
done

"$EMO_TOOL" fuse-train --labels "$D/labels_devel" --context-style organisers \
  --contexts 11 --complexities 0.001 -o "$TMP/svr.emo" --inputs "${IN[@]}" > "$TMP/train.txt"
cat "$TMP/train.txt"
ours=$(awk '/^stage 1 train CCC/{print $6, $8, $10}' "$TMP/train.txt")
[ -n "$ours" ] || fail "no stage line"

# inference through emo fuse, scored by emo eval, gives the printed figures
"$EMO_TOOL" fuse --model "$TMP/svr.emo" --out "$TMP/fused" --inputs "${IN[@]}"
[ "$(ls "$TMP/fused"/*.csv | wc -l)" -eq 28 ] || fail "expected 28 fused files"
ev=$("$EMO_TOOL" eval --labels "$D/labels_devel" --predictions "$TMP/fused" |
  awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} $1=="liking"{l=$2} END{print a, v, l}')
echo "emo fuse + emo eval: $ev   fuse-train: $ours"
# within: max |a_i - b_i| < tol over two 3-vectors
within() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN{n=split(a,x," "); m=split(b,y," "); if (n!=3||m!=3) exit 1;
  for(i=1;i<=3;i++){d=x[i]-y[i]; if(d<0)d=-d; printf " %+.4f", x[i]-y[i]; if(!(d<tol)) bad=1}; print ""; exit bad}'; }
within "$ev" "$ours" 0.001 ||
  fail "emo fuse does not reproduce the training CCC"

# scikit-learn reference of the same recipe
if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
  ref=$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 -W ignore "$EMO_SOURCE_ROOT/bench/fusion-sklearn.py" "$D" --context 11 --C 0.001 |
    awk '/^stage 1/{print $(NF-2), $(NF-1), $NF}')
  echo "sklearn LinearSVR: $ref"
  within "$ref" "$ours" 0.01 ||
    fail "more than 0.01 from scikit-learn"
else
  echo "no scikit-learn under /usr/bin/python3: reference comparison skipped"
fi

# errors name the culprit
if "$EMO_TOOL" fuse-train --labels "$TMP/nope" -o "$TMP/x.emo" --inputs "${IN[0]}" 2> "$TMP/err"; then fail "missing labels accepted"; fi
grep -q "nope" "$TMP/err" || fail "error does not name the folder: $(cat "$TMP/err")"
head -c 300 "$TMP/svr.emo" > "$TMP/cut.emo"
if "$EMO_TOOL" fuse --model "$TMP/cut.emo" --out "$TMP/o2" --inputs "${IN[@]}" 2> "$TMP/err"; then fail "truncated model accepted"; fi
grep -q "cut.emo" "$TMP/err" || fail "error does not name the model: $(cat "$TMP/err")"
if "$EMO_TOOL" fuse --model "$TMP/svr.emo" --out "$TMP/o3" --inputs "${IN[0]}" 2> "$TMP/err"; then fail "wrong input count accepted"; fi
grep -q "expects 9 input" "$TMP/err" || fail "unclear input-count error: $(cat "$TMP/err")"
echo "ok"
