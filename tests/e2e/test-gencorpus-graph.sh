# The whole audiovisual path at small scale on generated sessions:
# emo-gencorpus -> emoaudiofeat / emovisfeat features (gst-launch) -> emo train
# (STL and MTL, audio, video, early fusion) -> emo predict -> emo fuse-train /
# emo fuse (late fusion) -> emo eval, then one live graph with both branches,
# emomtl on each and emofuse. Skips while an element or command is missing.
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
       ta. ! queue ! emoexport format=csv name-column="$n" ! filesink location="$TMP/fa/$n.csv" \
       ta. ! queue ! f.sink_0 \
    d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! tee name=tv \
       tv. ! queue ! emoexport format=csv name-column="$n" ! filesink location="$TMP/fv/$n.csv" \
       tv. ! queue ! f.sink_1 \
    emofuse name=f mode=concat ! emoexport format=csv name-column="$n" ! filesink location="$TMP/fe/$n.csv" \
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
declare -A LAYOUT=([fa]=egemaps-v02-func [fv]=vis-v1 [fe]=egemaps-v02-func+vis-v1)
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

echo "test-set CCC (3 speakers x 2 sessions of 16 s; tiny models; plumbing, not a benchmark):"
for p in p-fa-test p-fv-test p-fe-test p-stl-test p-late-test; do
  out=$("$EMO_TOOL" eval --labels "$L/test/labels" --predictions "$TMP/$p") || fail "eval $p"
  echo "$p: $(echo "$out" | awk '$1=="arousal"||$1=="valence"||$1=="liking"{printf "%s %s  ", $1, $2}')"
  echo "$out" | awk '$1=="arousal"{ exit !($2 == $2 + 0 && $2 > -1 && $2 <= 1) }' || fail "$p: bad CCC"
done
# arousal drives F0, loudness and rate: the audio model must beat chance on the held-out speaker
"$EMO_TOOL" eval --labels "$L/test/labels" --predictions "$TMP/p-fa-test" |
  awk '$1=="arousal"{ exit !($2 > 0.1) }' || fail "audio MTL does not learn arousal"

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
# early fusion live: concatenated features straight into the early model
gst gst-launch-1.0 -q filesrc location="$C/video/$n.mkv" ! matroskademux name=d \
  d. ! queue ! audioconvert ! audioresample ! emoaudiofeat ! f.sink_0 \
  d. ! queue ! h264parse ! avdec_h264 ! videoconvert ! emovisfeat ! f.sink_1 \
  emofuse name=f mode=concat ! emomtl model="$TMP/fe-mtl.emo" ! emoexport format=csv name-column="$n" features=false ! \
  filesink location="$TMP/live-early.csv" || fail "live early-fusion graph"
rows=$(($(wc -l < "$TMP/live-early.csv") - 1))
[ "$rows" -ge 150 ] || fail "live early-fusion graph wrote $rows rows"
head -1 "$TMP/live-early.csv" | grep -q arousal || fail "live early-fusion CSV has no predictions"
echo "ok"
