# The whole audiovisual path at small scale on generated sessions:
# emo-gencorpus -> emoaudiofeat / emovisfeat features (gst-launch) -> emo train
# (STL and MTL, audio, video, early fusion) -> emo predict -> emo fuse-train /
# emo fuse (late fusion; multistage SVR and CCC-weighted over audio, visual and
# early fusion) -> emo eval, then live graphs: both branches with emomtl on
# each and emofuse mean; early fusion and 2-stage multistage fusion in one
# graph, checked against emo fuse. Skips while an element or command is missing.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
GEN="$EMO_SOURCE_ROOT/tools/emo-gencorpus"
command -v espeak-ng >/dev/null || skip "espeak-ng not installed"
"$PY" -c 'import numpy' 2>/dev/null || skip "python3-numpy not installed"
[ -f /usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg ] || skip "opencv-doc not installed"
for e in x264enc emoaudiofeat emovisfeat emomtl emofuse emoexport; do
  gst gst-inspect-1.0 "$e" >/dev/null 2>&1 || skip "element $e not available yet"
done
for c in train predict fuse-train fuse eval; do
  "$EMO_TOOL" "$c" --help >/dev/null 2>&1 || skip "emo $c not available yet"
done

C="$TMP/corpus"
# 3 speakers -> train S01, devel S02, test S03; two sessions each
"$PY" "$GEN" generate --out "$C" --seed 3 --sessions 6 --speakers 3 --duration 16 --quiet || fail "generate"

# features through the elements, one CSV per session and modality
mkdir -p "$TMP/fa" "$TMP/fv" "$TMP/fe"
for mkv in "$C"/video/*.mkv; do
  n=$(basename "$mkv" .mkv)
  gst gst-launch-1.0 -q filesrc location="$mkv" ! matroskademux name=d \
    d. ! queue ! audioconvert ! audioresample ! emoaudiofeat ! tee name=ta \
       ta. ! queue ! emoexport format=csv precision=9 name-column="$n" ! filesink location="$TMP/fa/$n.csv" \
       ta. ! queue ! f.sink_0 \
    d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! tee name=tv \
       tv. ! queue ! emoexport format=csv precision=9 name-column="$n" ! filesink location="$TMP/fv/$n.csv" \
       tv. ! queue ! f.sink_1 \
    emofuse name=f mode=concat ! emoexport format=csv precision=9 name-column="$n" ! filesink location="$TMP/fe/$n.csv" \
    || fail "$n: feature graph"
  rows=$(($(wc -l < "$C/labels/$n.csv") - 1))
  for m in fa fv fe; do
    got=$(($(wc -l < "$TMP/$m/$n.csv") - 1))
    [ "$got" -ge $((rows - 2)) ] && [ "$got" -le $((rows + 2)) ] || fail "$n: $m has $got rows, labels $rows"
    grep -qiE 'nan|inf' "$TMP/$m/$n.csv" && fail "$n: $m has non-finite values"
  done
done
na=$(head -1 "$TMP/fa/$(ls "$TMP/fa" | head -1)" | tr ';' '\n' | wc -l)
nv=$(head -1 "$TMP/fv/$(ls "$TMP/fv" | head -1)" | tr ';' '\n' | wc -l)
ne=$(head -1 "$TMP/fe/$(ls "$TMP/fe" | head -1)" | tr ';' '\n' | wc -l)
[ "$ne" -eq $((na + nv - 2)) ] || fail "early fusion has $ne columns, audio $na + video $nv"

split() {  # modality split -> folder of that split's feature files
  mkdir -p "$TMP/$1-$2"
  for f in "$C"/splits/"$2"/labels/*.csv; do ln -sf "$TMP/$1/$(basename "$f")" "$TMP/$1-$2/"; done
  echo "$TMP/$1-$2"
}
L="$C/splits"
ARGS=(--model lstm --hidden 16 --epochs 6 --batch 2 --lr 3e-3 --optimizer adam --delay 2 --quiet --seed 1)
# the layout stored in a model must be the stream's caps layout, or emomtl refuses it
declare -A LAYOUT=([fa]=egemaps-v02-func [fv]=vis-v2 [fe]=egemaps-v02-func+vis-v2)
for m in fa fv fe; do
  "$EMO_TOOL" train --features "$(split $m train)" --labels "$L/train/labels" \
    --devel-features "$(split $m devel)" --devel-labels "$L/devel/labels" \
    "${ARGS[@]}" --layout "${LAYOUT[$m]}" -o "$TMP/$m-mtl.emo" > "$TMP/$m-mtl.log" 2>&1 || { cat "$TMP/$m-mtl.log"; fail "train $m MTL"; }
  for s in devel test; do
    "$EMO_TOOL" predict --model "$TMP/$m-mtl.emo" --features "$(split $m $s)" --out "$TMP/p-$m-$s" >/dev/null \
      || fail "predict $m $s"
  done
done
"$EMO_TOOL" train --features "$(split fa train)" --labels "$L/train/labels" \
  --devel-features "$(split fa devel)" --devel-labels "$L/devel/labels" \
  "${ARGS[@]}" --layout egemaps-v02-func --stl -o "$TMP/fa-stl.emo" > "$TMP/fa-stl.log" 2>&1 || { cat "$TMP/fa-stl.log"; fail "train STL"; }
for a in arousal valence liking; do [ -s "$TMP/fa-stl-$a.emo" ] || fail "no STL model for $a"; done
"$EMO_TOOL" predict --model "$TMP/fa-stl-arousal.emo" --model "$TMP/fa-stl-valence.emo" \
  --model "$TMP/fa-stl-liking.emo" --features "$(split fa test)" --out "$TMP/p-stl-test" >/dev/null || fail "predict STL"

# late fusion fitted on devel, applied to test
"$EMO_TOOL" fuse-train --labels "$L/devel/labels" --inputs "$TMP/p-fa-devel" --inputs "$TMP/p-fv-devel" \
  -o "$TMP/late.fuse" > "$TMP/fuse.log" 2>&1 || { cat "$TMP/fuse.log"; fail "fuse-train"; }
"$EMO_TOOL" fuse --model "$TMP/late.fuse" --inputs "$TMP/p-fa-test" --inputs "$TMP/p-fv-test" \
  --out "$TMP/p-late-test" >/dev/null || fail "fuse"

# multistage fusion (the paper's: SVR stacking, stage 2 also sees stage 1's
# output) and the CCC-weighted fuser over audio, visual and early-fusion MTL,
# fitted on devel, applied to test. Tiny context: 2 devel sessions = 320 frames.
# (input folders named alike in every split: a fuser checks input names)
for s in devel test; do
  mkdir -p "$TMP/s1-$s"
  for m in fa fv fe; do ln -s "$TMP/p-$m-$s" "$TMP/s1-$s/$m"; done
done
MS_IN=(--inputs "$TMP/s1-devel/fa" "$TMP/s1-devel/fv" "$TMP/s1-devel/fe")
MS_TEST=(--inputs "$TMP/s1-test/fa" "$TMP/s1-test/fv" "$TMP/s1-test/fe")
"$EMO_TOOL" fuse-train --labels "$L/devel/labels" --method svr --stages 2 --context 3 --complexities 0.01 \
  -o "$TMP/ms.fuse" "${MS_IN[@]}" > "$TMP/ms.log" 2>&1 || { cat "$TMP/ms.log"; fail "fuse-train svr 2 stages"; }
"$EMO_TOOL" fuse-train --labels "$L/devel/labels" --method cccw \
  -o "$TMP/cccw.fuse" "${MS_IN[@]}" > "$TMP/cccw.log" 2>&1 || { cat "$TMP/cccw.log"; fail "fuse-train cccw"; }
grep -q '^method svr' "$TMP/ms.fuse" && grep -q '^stages 2' "$TMP/ms.fuse" || fail "ms.fuse is not a 2-stage SVR fuser"
grep -q '^method cccw' "$TMP/cccw.fuse" || fail "cccw.fuse is not a cccw fuser"
# cccw's weights per attribute lie on the simplex (printed with 3 decimals)
grep -c '^cccw [a-z]*: h=.* weights=' "$TMP/cccw.log" | grep -qx 3 || fail "cccw log has no weights for 3 attributes"
sed -n 's/^cccw \([a-z]*\): h=.* weights=\([-0-9.,]*\) .*/\1 \2/p' "$TMP/cccw.log" |
  awk '{n=split($2,w,","); s=0; for(i=1;i<=n;i++){if(w[i]<0) exit 1; s+=w[i]} if(n!=3||s<0.998||s>1.002) exit 1}' ||
  fail "cccw weights are not on the simplex: $(grep 'weights=' "$TMP/cccw.log")"
ccc3() { awk '$1=="arousal"{a=$2} $1=="valence"{v=$2} $1=="liking"{l=$2} END{print a, v, l}'; }
same3() { awk -v a="$1" -v b="$2" 'BEGIN{n=split(a,x," "); if(n!=3||split(b,y," ")!=3) exit 1
  for(i=1;i<=3;i++){d=x[i]-y[i]; if(d<0)d=-d; if(!(d<=1.5e-4)) exit 1}}'; }
for f in ms cccw; do
  # applying the fuser to the data it was fitted on reproduces the CCC fuse-train
  # printed for its last stage (fit data, not a held-out figure): training and
  # emo fuse share one inference path
  "$EMO_TOOL" fuse --model "$TMP/$f.fuse" "${MS_IN[@]}" --out "$TMP/p-$f-devel" >/dev/null || fail "fuse $f devel"
  got=$("$EMO_TOOL" eval --labels "$L/devel/labels" --predictions "$TMP/p-$f-devel" | ccc3)
  want=$(grep '^stage [0-9]* train CCC' "$TMP/$f.log" | tail -1 | awk '{print $6, $8, $10}')
  same3 "$got" "$want" || fail "$f: emo eval of emo fuse on devel ($got) is not fuse-train's figure ($want)"
  "$EMO_TOOL" fuse --model "$TMP/$f.fuse" "${MS_TEST[@]}" --out "$TMP/p-$f-test" >/dev/null || fail "fuse $f test"
  for lab in "$L"/test/labels/*.csv; do
    p="$TMP/p-$f-test/$(basename "$lab")"
    [ "$(wc -l < "$p")" -eq "$(wc -l < "$TMP/p-fa-test/$(basename "$lab")")" ] || fail "$f: $p rows differ from its inputs"
    grep -qiE 'nan|inf' "$p" && fail "$f: $p has non-finite values"
  done
done
echo "test-set CCC (3 speakers x 2 sessions of 16 s; tiny models; plumbing, not a benchmark):"
for p in p-fa-test p-fv-test p-fe-test p-stl-test p-late-test p-ms-test p-cccw-test; do
  out=$("$EMO_TOOL" eval --labels "$L/test/labels" --predictions "$TMP/$p") || fail "eval $p"
  echo "$p: $(echo "$out" | awk '$1=="arousal"||$1=="valence"||$1=="liking"{printf "%s %s  ", $1, $2}')"
  echo "$out" | awk '$1=="arousal"{ exit !($2 == $2 + 0 && $2 > -1 && $2 <= 1) }' || fail "$p: bad CCC"
done
# The generator drives loudness with arousal, so the graph's audio features
# must carry it: loudness mean against the arousal label over the training
# and development sessions. (Held-out CCC of these tiny models is not
# asserted: with one speaker per split and 6 epochs it ranges from -0.16 to
# 0.64 over seeds for either feature variant; bench/paper.sh measures skill.)
"$PY" - "$TMP/fa" "$L" <<'PYEOF' || fail "audio features do not follow arousal"
import glob, os, sys
import numpy as np
feat, splits = sys.argv[1], sys.argv[2]
xs, ys = [], []
for split in ("train", "devel"):
    for lab in sorted(glob.glob(os.path.join(splits, split, "labels", "*.csv"))):
        f = os.path.join(feat, os.path.basename(lab))
        head = open(f).readline().strip().split(";")
        x = np.genfromtxt(f, delimiter=";", skip_header=1)[:, head.index("loudness_sma3_amean")]
        lh = open(lab).readline().strip().split(";")
        y = np.genfromtxt(lab, delimiter=";", skip_header=1)[:, lh.index("arousal")]
        n = min(len(x), len(y))
        xs.append(x[:n]); ys.append(y[:n])
r = np.corrcoef(np.concatenate(xs), np.concatenate(ys))[0, 1]
print("loudness mean vs arousal over train+devel sessions: r = %.2f" % r)
sys.exit(0 if r > 0.3 else 1)
PYEOF

# one live graph: both branches, a model on each, late fusion by mean
n=$(basename "$(ls "$C"/splits/test/video/*.mkv | head -1)" .mkv)
gst gst-launch-1.0 -q filesrc location="$C/video/$n.mkv" ! matroskademux name=d \
  d. ! queue ! audioconvert ! audioresample ! emoaudiofeat ! emomtl model="$TMP/fa-mtl.emo" ! f.sink_0 \
  d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! emomtl model="$TMP/fv-mtl.emo" ! f.sink_1 \
  emofuse name=f mode=mean ! emoexport format=csv name-column="$n" features=false ! \
  filesink location="$TMP/live.csv" || fail "live graph"
rows=$(($(wc -l < "$TMP/live.csv") - 1))
[ "$rows" -ge 150 ] || fail "live graph wrote $rows rows"
head -1 "$TMP/live.csv" | grep -q arousal || fail "live graph CSV has no predictions: $(head -1 "$TMP/live.csv")"
# one live graph for early and multistage fusion: the audio and visual branches
# feed their MTL models and, concatenated, the early-fusion model; the three
# stage-1 streams feed emofuse mode=model with the 2-stage SVR fuser. Every
# stage-1 stream and the fused one are exported (9 digits: float32 exactly).
E="emoexport format=csv name-column=$n features=false precision=9"
mkdir -p "$TMP/live/fa" "$TMP/live/fv" "$TMP/live/fe"
gst gst-launch-1.0 -q filesrc location="$C/video/$n.mkv" ! matroskademux name=d \
  d. ! queue ! audioconvert ! audioresample ! emoaudiofeat ! tee name=ta \
    ta. ! queue ! ef.sink_0 \
    ta. ! queue ! emomtl model="$TMP/fa-mtl.emo" ! tee name=pa \
      pa. ! queue ! ms.sink_0  pa. ! queue ! $E ! filesink location="$TMP/live/fa/$n.csv" \
  d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! tee name=tv \
    tv. ! queue ! ef.sink_1 \
    tv. ! queue ! emomtl model="$TMP/fv-mtl.emo" ! tee name=pv \
      pv. ! queue ! ms.sink_1  pv. ! queue ! $E ! filesink location="$TMP/live/fv/$n.csv" \
  emofuse name=ef mode=concat ! emomtl model="$TMP/fe-mtl.emo" ! tee name=pe \
    pe. ! queue ! ms.sink_2  pe. ! queue ! $E ! filesink location="$TMP/live/fe/$n.csv" \
  emofuse name=ms mode=model model="$TMP/ms.fuse" ! $E ! filesink location="$TMP/live-ms.csv" \
  || fail "live early + multistage fusion graph"
rows=$(($(wc -l < "$TMP/live/fe/$n.csv") - 1))
[ "$rows" -ge 150 ] || fail "live early-fusion branch wrote $rows rows"
head -1 "$TMP/live/fe/$n.csv" | grep -q arousal || fail "live early-fusion CSV has no predictions"
for m in fa fv fe; do
  [ "$(wc -l < "$TMP/live/$m/$n.csv")" -eq "$(wc -l < "$TMP/live-ms.csv")" ] || fail "live $m and fused row counts differ"
done
head -1 "$TMP/live-ms.csv" | grep -q 'arousal;valence;liking$' || fail "fused CSV header: $(head -1 "$TMP/live-ms.csv")"
grep -qiE 'nan|inf' "$TMP/live-ms.csv" && fail "live multistage output has non-finite values"
maxdiff() { # two CSVs with the attributes as the last 3 columns, same rows
  [ "$(wc -l < "$1")" -eq "$(wc -l < "$2")" ] || { echo "rows $(wc -l < "$1") vs $(wc -l < "$2")"; return; }
  paste -d';' "$1" "$2" | awk -F';' -v n1="$(head -1 "$1" | tr ';' '\n' | wc -l)" 'NR>1{
    for(i=0;i<3;i++){d=$(n1-2+i)-$(NF-2+i); if(d<0)d=-d; if(d>m)m=d}} END{printf "%.7f\n", m}'
}
# emo fuse on the graph's own stage-1 streams must give the graph's fused
# stream: same fuser, same inputs (float32 written with 9 digits, read back
# exactly); only the summation order may differ, a few float32 ulps of
# values of order 1, so 1e-5 is ample, while a real divergence (a frame
# shifted, inputs swapped, the context clamped differently at EOS) moves
# these smooth but not constant streams by 1e-3 or more.
"$EMO_TOOL" fuse --model "$TMP/ms.fuse" --inputs "$TMP/live/fa" "$TMP/live/fv" "$TMP/live/fe" \
  --out "$TMP/live-tool" >/dev/null || fail "emo fuse on the live stage-1 streams"
d=$(maxdiff "$TMP/live-ms.csv" "$TMP/live-tool/$n.csv")
echo "live multistage vs emo fuse on the graph's stage-1 streams: max diff $d"
awk -v d="$d" 'BEGIN{exit !(d == d + 0 && d < 1e-5)}' || fail "emofuse mode=model and emo fuse disagree: $d"
# the whole live chain against the tool chain on the same session: features
# exported by the first graph (9 digits), emo predict --signal-time (emomtl
# keeps the signal's timeline; emo predict would shift by the 2 s label
# delay), emo fuse.
mkdir -p "$TMP/sig"
for m in fa fv fe; do
  "$EMO_TOOL" predict --signal-time --model "$TMP/$m-mtl.emo" --features "$(split $m test)" \
    --out "$TMP/sig/$m" >/dev/null || fail "predict --signal-time $m"
done
"$EMO_TOOL" fuse --model "$TMP/ms.fuse" --inputs "$TMP/sig/fa" "$TMP/sig/fv" "$TMP/sig/fe" \
  --out "$TMP/sig-ms" >/dev/null || fail "emo fuse on emo predict --signal-time"
# Measured: 5e-7. emomtl steps the LSTM frame by frame, emo predict runs the
# sequence, so BLAS sums in another order and the recurrence carries the
# rounding along; 1e-4 leaves room for that (and other BLAS builds) and is
# still three orders below a one-frame shift (mean frame-to-frame change of
# these streams ~0.05).
for m in fa fv fe ms; do
  if [ $m = ms ]; then d=$(maxdiff "$TMP/live-ms.csv" "$TMP/sig-ms/$n.csv"); else d=$(maxdiff "$TMP/live/$m/$n.csv" "$TMP/sig/$m/$n.csv"); fi
  echo "live $m vs the tool chain (emo predict --signal-time$([ $m = ms ] && echo ' + emo fuse')): max diff $d"
  awk -v d="$d" 'BEGIN{exit !(d == d + 0 && d < 1e-4)}' || fail "live $m and the tool chain disagree: $d"
done
echo ok
