# The fusion pipelines in pipelines/ (gst-launch over stored stage-1
# predictions: filesrc ! emoparse content=predictions ! emofuse) give the
# same figures as the command-line tools:
#  - late-fusion.sh (mean) over the 14 German development files, scored with
#    emo eval, equals `emo fuse-train --method mean` on them;
#  - late-fusion.sh MODE=weighted with one non-zero weight returns that input;
#  - multistage-fusion.sh with a model from emo fuse-train equals emo fuse on
#    the same file (and runs causally);
#  - early-fusion.sh concatenates two feature files.
. "$(dirname "$0")/lib.sh"
D="${EMO_SHARED_DATA}/avec2019-ces"
[ -d "$D/labels_devel" ] || skip "no AVEC 2019 data at $D"
P="$EMO_SOURCE_ROOT/pipelines"
if [ -n "${EMO_PRELOAD:-}" ]; then
  export GST_LAUNCH="env LD_PRELOAD=$EMO_PRELOAD ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 gst-launch-1.0"
fi
SETS="egemaps-func_STD egemaps-xbow mfcc-func_STD mfcc-xbow deepspectrum visual-func visual-xbow visual-resnet visual-vgg"
IN=()
for s in $SETS; do IN+=("$D/baseline_predictions/predictions_$s"); done
files_of() { for s in $SETS; do echo "$D/baseline_predictions/predictions_$s/$1"; done; }
ccc3() { awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} $1=="liking"{l=$2} END{print a, v, l}'; }
maxdiff() { # two CSVs with the attributes as the last 3 columns
  paste -d';' "$1" "$2" | awk -F';' -v n1="$(head -1 "$1" | tr ';' '\n' | wc -l)" 'NR>1{
    for(i=0;i<3;i++){d=$(n1-2+i)-$(NF-2+i); if(d<0)d=-d; if(d>m)m=d}} END{printf "%.7f\n", m}'
}

# late fusion, the German files (a label folder of links to them)
mkdir -p "$TMP/late" "$TMP/labels"
for lab in "$D"/labels_devel/Devel_DE_*.csv; do ln -s "$lab" "$TMP/labels/"; done
for lab in "$TMP"/labels/*.csv; do
  f=$(basename "$lab")
  # shellcheck disable=SC2046
  sh "$P/late-fusion.sh" "$TMP/late/$f" $(files_of "$f") || fail "late-fusion.sh failed on $f"
done
got=$("$EMO_TOOL" eval --labels "$TMP/labels" --predictions "$TMP/late" | ccc3)
want=$("$EMO_TOOL" fuse-train --labels "$TMP/labels" --method mean -o "$TMP/mean.emo" --inputs "${IN[@]}" |
  awk '/^stage 1 train CCC/{print $6, $8, $10}')
echo "late-fusion.sh + emo eval: $got   emo fuse-train --method mean: $want"
awk -v a="$got" -v b="$want" 'BEGIN{split(a,x," "); split(b,y," "); for(i=1;i<=3;i++){d=x[i]-y[i]; if(d<0)d=-d; if(!(d<5e-4)) exit 1}}' ||
  fail "pipeline late fusion differs from emo fuse-train --method mean"

# weighted: all weight on the 6th input (visual-func) reproduces it
f=Devel_HU_03.csv
# shellcheck disable=SC2046
MODE=weighted WEIGHTS="<0,0,0,0,0,1,0,0,0>" sh "$P/late-fusion.sh" "$TMP/w.csv" $(files_of "$f")
d=$(maxdiff "$TMP/w.csv" "$D/baseline_predictions/predictions_visual-func/$f")
echo "weighted <0,..,1,..>: max diff to visual-func $d"
awk -v d="$d" 'BEGIN{exit !(d < 1e-5)}' || fail "weighted fusion does not select the input"

# multistage: model from emo fuse-train (fitted on DE), pipeline on a HU file
"$EMO_TOOL" fuse-train --labels "$D/labels_devel" --match "Devel_DE_*" --contexts 11 \
  --complexities 0.001 --stages 2 -o "$TMP/svr2.emo" --inputs "${IN[@]}" > /dev/null
"$EMO_TOOL" fuse --model "$TMP/svr2.emo" --out "$TMP/tool" --match "$f" --inputs "${IN[@]}" > /dev/null
# shellcheck disable=SC2046
sh "$P/multistage-fusion.sh" "$TMP/svr2.emo" "$TMP/ms.csv" $(files_of "$f")
[ "$(wc -l < "$TMP/ms.csv")" -eq "$(wc -l < "$TMP/tool/$f")" ] || fail "row counts differ"
d=$(maxdiff "$TMP/ms.csv" "$TMP/tool/$f")
echo "multistage-fusion.sh vs emo fuse: max diff $d"
awk -v d="$d" 'BEGIN{exit !(d < 1e-4)}' || fail "pipeline and emo fuse disagree"
"$EMO_TOOL" fuse --causal --model "$TMP/svr2.emo" --out "$TMP/toolc" --match "$f" --inputs "${IN[@]}" > /dev/null
# shellcheck disable=SC2046
CAUSAL=true sh "$P/multistage-fusion.sh" "$TMP/svr2.emo" "$TMP/msc.csv" $(files_of "$f")
d=$(maxdiff "$TMP/msc.csv" "$TMP/toolc/$f")
echo "causal: max diff $d"
awk -v d="$d" 'BEGIN{exit !(d < 1e-4)}' || fail "causal pipeline and emo fuse --causal disagree"

# early fusion of two feature files
printf 'name;timestamp;f0;loud\n' > "$TMP/a.csv"
printf 'name;timestamp;au1;au2;au3\n' > "$TMP/v.csv"
for k in 0 1 2 3 4; do
  printf "'x';%s;%s;%s\n" "$k.0" "$k" "$((k*2))" | sed 's/;\([0-9]\)\.0;/;0.\1;/' >> "$TMP/a.csv"
  printf "'x';0.%s;%s;%s;%s\n" "$k" "$((k+10))" "$((k+20))" "$((k+30))" >> "$TMP/v.csv"
done
LAYOUTS="audio-v1 vis-v1" sh "$P/early-fusion.sh" "$TMP/early.csv" "$TMP/a.csv" "$TMP/v.csv"
head -2 "$TMP/early.csv"
head -1 "$TMP/early.csv" | grep -q "f0;loud;au1;au2;au3" || fail "early fusion header"
[ "$(wc -l < "$TMP/early.csv")" -eq 6 ] || fail "early fusion rows"
awk -F';' 'NR==4 && !($3==2 && $4==4 && $5==12 && $7==32) {exit 1}' "$TMP/early.csv" || fail "early fusion values: $(sed -n 4p "$TMP/early.csv")"
echo ok
