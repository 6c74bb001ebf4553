# emo annotate with models: tiny linear models are trained here on features of
# a clip (opencv-doc's Megamind.avi video + a generated tone), then the clip is
# annotated through the analysis graph (emoaudiofeat/emovisfeat -> emomtl ->
# emofuse -> emooverlay); pipelines/annotate.sh (both modes) and
# pipelines/live.sh (live test sources) run too. The models are meaningless;
# what is tested is the graph.
. "$(dirname "$0")/lib.sh"
MEGA=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
[ -f "$MEGA" ] || skip "needs $MEGA (Debian package opencv-doc)"
PIPES="$EMO_SOURCE_ROOT/pipelines"
cd "$TMP"
mkdir -p fa gencorpus-fv l models

gst gst-launch-1.0 -q audiotestsrc wave=sine freq=220 num-buffers=1120 samplesperbuffer=160 \
  ! audio/x-raw,rate=16000,channels=1 ! tee name=t t. ! queue ! wavenc ! filesink location=clip.wav \
  filesrc location="$MEGA" ! decodebin ! videoconvert ! videorate ! x264enc speed-preset=ultrafast \
  ! queue ! mp4mux name=m ! filesink location=clip.mp4 t. ! queue ! audioconvert ! avenc_aac ! queue ! m. \
  || fail "could not make the clip"
{
  echo "name;timestamp;arousal;valence;liking"
  for i in $(seq 0 111); do
    printf "'clip';%d.%d;0.%d;-0.%d;0.%d\n" $((i / 10)) $((i % 10)) $((i % 7)) $((i % 5)) $((i % 3))
  done
} > l/clip.csv
"$EMO_TOOL" extract -q -o fa clip.wav || fail "audio features"
"$EMO_TOOL" extract -q --modality video -o gencorpus-fv clip.mp4 || fail "video features"
"$EMO_TOOL" train -q --model linear --layout egemaps-v02-func --features fa --labels l \
  --epochs 5 -o models/audio.emo > /dev/null || fail "train audio"
"$EMO_TOOL" train -q --model linear --layout vis-v2 --features gencorpus-fv --labels l \
  --epochs 5 -o models/video.emo > /dev/null || fail "train video"

"$EMO_TOOL" annotate clip.mp4 --models models -o out.mp4 --csv out.csv --plot out.png \
  > log.txt 2>&1 || { cat log.txt; fail "annotate with models"; }
cat log.txt
grep -q "audio model audio.emo (layout egemaps-v02-func, input normalised with fixed statistics): trained on" log.txt || fail "audio model not reported"
grep -q "video model video.emo (layout vis-v2, input normalised with fixed statistics): trained on" log.txt || fail "video model not reported"
grep -q "late fusion" log.txt || fail "fusion not reported"
# the video model's training record names the generated corpus: flagged
grep -q "trained on generated faces" log.txt || fail "generated-face model not flagged"
rows=$(($(wc -l < out.csv) - 1))
[ "$rows" -ge 110 ] && [ "$rows" -le 113 ] || fail "CSV has $rows rows for 11.2 s"
gst gst-launch-1.0 -q filesrc location=out.mp4 ! qtdemux name=d d.video_0 ! queue ! h264parse \
  ! avdec_h264 ! fakesink || fail "annotated video does not decode"
gst gst-launch-1.0 -q filesrc location=out.png ! pngdec ! fakesink || fail "plot"

# a speaker profile: an audio model normalised per stream keeps its statistics
# across runs in the profile file (the second run starts from the first's)
mkdir -p models-s
"$EMO_TOOL" train -q --model linear --layout egemaps-v02-func --features fa --labels l \
  --epochs 5 --normalise stream -o models-s/audio.emo > /dev/null || fail "train stream audio"
for run in 1 2; do
  "$EMO_TOOL" annotate clip.mp4 --models models-s --speaker-profile spk.stats --no-video --csv prof$run.csv \
    > logp$run.txt 2>&1 || { cat logp$run.txt; fail "annotate with a speaker profile ($run)"; }
done
grep -q "input normalised per stream" logp1.txt || fail "per-stream model not reported"
grep -q "speaker profile: the audio model's running statistics" logp1.txt || fail "profile not reported"
f1=$(sed -n 's/^frames=//p' spk.stats)
[ "${f1:-0}" -ge 200 ] || fail "profile after two runs holds ${f1:-no} frames"
cmp -s prof1.csv prof2.csv && fail "the second run did not start from the profile"
"$EMO_TOOL" annotate clip.mp4 --models models --speaker-profile spk2.stats --no-video --csv prof3.csv \
  > logp3.txt 2>&1 || fail "annotate, fixed model with a profile"
grep -q "speaker-profile is not used" logp3.txt || fail "unused profile not reported"

# fusion modes without their models say so and fall back
"$EMO_TOOL" annotate clip.mp4 --models models --fusion multistage --no-video --csv ms.csv > log2.txt 2>&1 \
  || { cat log2.txt; fail "multistage fallback"; }
grep -q "multistage fusion needs a stage-2 model" log2.txt || fail "multistage fallback not reported"
"$EMO_TOOL" annotate clip.mp4 --models models --fusion early --no-video --csv ea.csv > log3.txt 2>&1 \
  || { cat log3.txt; fail "early fallback"; }
grep -q "early fusion needs" log3.txt || fail "early fallback not reported"

# the same graph as one gst-launch-1.0 line, with models and with stored predictions
gst sh "$PIPES/annotate.sh" clip.mp4 pa.mp4 models > pa.log 2>&1 || { cat pa.log; fail "pipelines/annotate.sh (models)"; }
[ "$(($(wc -l < pa.csv) - 1))" -ge 110 ] || fail "pipelines/annotate.sh CSV rows"
gst sh "$PIPES/annotate.sh" clip.mp4 ps.mp4 l/clip.csv > ps.log 2>&1 || { cat ps.log; fail "pipelines/annotate.sh (stored)"; }
[ "$(wc -l < ps.csv)" -eq 113 ] || fail "stored-predictions CSV rows: $(wc -l < ps.csv)"
gst gst-launch-1.0 -q filesrc location=ps.mp4 ! qtdemux name=d d.video_0 ! queue ! h264parse \
  ! avdec_h264 ! fakesink || fail "pipelines/annotate.sh output does not decode"

# live: test sources in real time, 3 s
VIDEO_SRC="videotestsrc is-live=true num-buffers=75 pattern=ball" \
AUDIO_SRC="audiotestsrc is-live=true num-buffers=30 samplesperbuffer=1600" \
SINK="fakesink sync=true" gst timeout 60 sh "$PIPES/live.sh" models > live.log 2>&1 \
  || { cat live.log; fail "pipelines/live.sh"; }
grep -q "EOS received" live.log || fail "live pipeline did not end cleanly"
echo "1 passed, 0 failed"
