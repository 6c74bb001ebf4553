# emo annotate with stored predictions: a generated clip with audio becomes an
# annotated MP4 that decodes (video and audio), shows the panel where it
# should and nowhere else, plus CSV (one row per 100 ms), WebVTT, JSON lines
# and a PNG plot; clear errors for bad inputs.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
"$PY" -c "import numpy" 2>/dev/null || skip "needs /usr/bin/python3 with numpy"
HELPER="$(dirname "$0")/emo-video.py"
W=320; H=240

gst gst-launch-1.0 -q videotestsrc num-buffers=75 pattern=smpte75 \
  ! video/x-raw,width=$W,height=$H,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! queue ! mp4mux name=m ! filesink location="$TMP/clip.mp4" \
  audiotestsrc num-buffers=130 ! audio/x-raw,rate=44100 ! avenc_aac ! queue ! m. \
  || fail "could not make the test clip"
{
  echo "name;timestamp;arousal;valence;liking"
  for i in $(seq 0 29); do
    printf "'clip';%d.%d;0.%d;-0.%d;0.25\n" $((i / 10)) $((i % 10)) $((i % 10)) $(((i + 3) % 10))
  done
} > "$TMP/p.csv"

gst "$EMO_TOOL" annotate "$TMP/clip.mp4" --predictions "$TMP/p.csv" -o "$TMP/out.mp4" \
  --csv "$TMP/out.csv" --vtt "$TMP/out.vtt" --json "$TMP/out.jsonl" --plot "$TMP/out.png" \
  > "$TMP/log.txt" 2>&1 || { cat "$TMP/log.txt"; fail "annotate failed"; }
grep -q "stored predictions from" "$TMP/log.txt" || fail "does not say where predictions come from"
grep -q "done:" "$TMP/log.txt" || fail "no summary line"
# not a terminal: plain progress lines, no carriage returns
if grep -q $'\r' "$TMP/log.txt"; then fail "terminal progress bar written to a pipe"; fi

# the video decodes back, every frame, and the audio track is there
gst gst-launch-1.0 -q filesrc location="$TMP/out.mp4" ! qtdemux name=d d.video_0 ! queue ! h264parse ! avdec_h264 \
  ! videoconvert ! video/x-raw,format=GRAY8 ! filesink location="$TMP/out.gray" || fail "output video does not decode"
gst gst-launch-1.0 -q filesrc location="$TMP/out.mp4" ! qtdemux name=d d.audio_0 ! queue \
  ! decodebin ! audioconvert ! fakesink || fail "output has no decodable audio"
gst gst-launch-1.0 -q filesrc location="$TMP/clip.mp4" ! qtdemux name=d d.video_0 ! queue ! h264parse ! avdec_h264 \
  ! videoconvert ! video/x-raw,format=GRAY8 ! filesink location="$TMP/in.gray" || fail "input does not decode"
read -r n _ <<< "$("$PY" "$HELPER" stats "$TMP/out.gray" $W $H)"
[ "$n" -eq 75 ] || fail "expected 75 frames, decoded $n"

# overlay visible in its box (default top-left; 480-line design scaled to 240
# lines: 182x73 at 6,6), the rest equal to the unannotated frame up to codec noise
read -r din dout <<< "$("$PY" "$HELPER" region "$TMP/in.gray" "$TMP/out.gray" $W $H 40 6 6 182 73)"
echo "mean |diff| inside panel $din, outside $dout"
awk -v a="$din" 'BEGIN { exit !(a > 15) }' || fail "overlay not visible (inside diff $din)"
awk -v a="$dout" 'BEGIN { exit !(a < 2.5) }' || fail "video changed outside the overlay (diff $dout)"

# exports: one CSV row per 100 ms, values as given
[ "$(wc -l < "$TMP/out.csv")" -eq 31 ] || fail "CSV rows: $(wc -l < "$TMP/out.csv")"
head -1 "$TMP/out.csv" | grep -qx "name;timestamp;arousal;valence;liking" || fail "CSV header $(head -1 "$TMP/out.csv")"
sed -n 13p "$TMP/out.csv" | grep -qx "'clip';1.100000;0.1;-0.4;0.25" || fail "CSV row: $(sed -n 13p "$TMP/out.csv")"
head -1 "$TMP/out.vtt" | grep -qx WEBVTT || fail "WebVTT header"
grep -q -- "-->" "$TMP/out.vtt" || fail "no WebVTT cues"
[ "$(wc -l < "$TMP/out.jsonl")" -eq 30 ] || fail "JSON lines: $(wc -l < "$TMP/out.jsonl")"

# the plot is a PNG of the requested size with a picture in it (read back by pngdec)
gst gst-launch-1.0 -v filesrc location="$TMP/out.png" ! pngdec ! videoconvert ! video/x-raw,format=GRAY8 \
  ! filesink location="$TMP/plot.gray" > "$TMP/png.txt" 2>&1 || fail "plot is not a PNG"
grep -q "width=(int)1200, height=(int)400" "$TMP/png.txt" || fail "plot size"
read -r n mn mx sd <<< "$("$PY" "$HELPER" stats "$TMP/plot.gray" 1200 400)"
[ "$n" -eq 1 ] && [ "$mn" -lt 100 ] && [ "$mx" -gt 200 ] || fail "plot looks empty ($mn..$mx)"

# emo plot on the exported CSV gives the same kind of picture
"$EMO_TOOL" plot --csv "$TMP/out.csv" -o "$TMP/plot2.png" > /dev/null || fail "emo plot"
gst gst-launch-1.0 -q filesrc location="$TMP/plot2.png" ! pngdec ! fakesink || fail "emo plot PNG"

# pipelines/annotate.sh runs word for word the graph emo annotate prints
# with --print-pipeline (and that line runs as it stands)
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\nfor a in "$@"; do printf "%%s\\n" "$a"; done\n' > "$TMP/fakebin/gst-launch-1.0"
chmod +x "$TMP/fakebin/gst-launch-1.0"
PATH="$TMP/fakebin:$PATH" sh "$EMO_SOURCE_ROOT/pipelines/annotate.sh" "$TMP/clip.mp4" "$TMP/pl.mp4" "$TMP/p.csv" \
  > "$TMP/script-args.txt"
line=$("$EMO_TOOL" annotate "$TMP/clip.mp4" --predictions "$TMP/p.csv" -o "$TMP/pl.mp4" --csv "$TMP/pl.csv" --print-pipeline)
(PATH="$TMP/fakebin:$PATH"; eval "$line") > "$TMP/emo-args.txt"
diff "$TMP/emo-args.txt" "$TMP/script-args.txt" || fail "pipelines/annotate.sh differs from emo annotate --print-pipeline"
(eval "gst $line") > "$TMP/pp.log" 2>&1 || { cat "$TMP/pp.log"; fail "--print-pipeline line does not run"; }
[ "$(wc -l < "$TMP/pl.csv")" -eq 31 ] || fail "--print-pipeline CSV rows"
rm -f "$TMP/pl.mp4" "$TMP/pl.csv"

# the same graph as one gst-launch-1.0 line (pipelines/annotate.sh, stored predictions)
gst sh "$EMO_SOURCE_ROOT/pipelines/annotate.sh" "$TMP/clip.mp4" "$TMP/pl.mp4" "$TMP/p.csv" > "$TMP/pl.log" 2>&1 \
  || { cat "$TMP/pl.log"; fail "pipelines/annotate.sh"; }
[ "$(wc -l < "$TMP/pl.csv")" -eq 31 ] || fail "pipelines/annotate.sh CSV rows"
gst gst-launch-1.0 -q filesrc location="$TMP/pl.mp4" ! qtdemux name=d d.video_0 ! queue ! h264parse ! avdec_h264 \
  ! videoconvert ! video/x-raw,format=GRAY8 ! filesink location="$TMP/pl.gray" || fail "pipelines/annotate.sh output"
read -r din dout <<< "$("$PY" "$HELPER" region "$TMP/in.gray" "$TMP/pl.gray" $W $H 40 6 6 182 73)"
awk -v a="$din" -v b="$dout" 'BEGIN { exit !(a > 15 && b < 2.5) }' || fail "pipelines/annotate.sh overlay ($din / $dout)"

# audio-only and video-only inputs work with what they have
gst gst-launch-1.0 -q audiotestsrc num-buffers=86 ! audio/x-raw,rate=44100 ! avenc_aac ! mp4mux \
  ! filesink location="$TMP/audio.mp4"
gst "$EMO_TOOL" annotate "$TMP/audio.mp4" --predictions "$TMP/p.csv" --csv "$TMP/a.csv" -q \
  > "$TMP/log2.txt" 2>&1 || { cat "$TMP/log2.txt"; fail "audio-only input"; }
[ "$(wc -l < "$TMP/a.csv")" -eq 31 ] || fail "audio-only CSV rows"
gst gst-launch-1.0 -q videotestsrc num-buffers=25 ! video/x-raw,width=160,height=120 ! x264enc \
  ! matroskamux ! filesink location="$TMP/video.mkv"
gst "$EMO_TOOL" annotate "$TMP/video.mkv" --predictions "$TMP/p.csv" -o "$TMP/v-out.mkv" -q \
  > "$TMP/log3.txt" 2>&1 || { cat "$TMP/log3.txt"; fail "video-only input"; }
gst gst-launch-1.0 -q filesrc location="$TMP/v-out.mkv" ! matroskademux ! h264parse ! avdec_h264 ! fakesink \
  || fail "video-only output does not decode"

# errors name what went wrong
expect_error() {
  local want="$1"; shift
  if gst "$EMO_TOOL" annotate "$@" > "$TMP/err.txt" 2>&1; then fail "accepted: $*"; fi
  grep -qi -- "$want" "$TMP/err.txt" || { cat "$TMP/err.txt"; fail "message for '$*' lacks '$want'"; }
}
expect_error "no such file" "$TMP/nope.mp4" --predictions "$TMP/p.csv"
expect_error "no such file" "$TMP/clip.mp4" --predictions "$TMP/nope.csv"
echo "this is not a video" > "$TMP/text.mp4"
expect_error "text.mp4" "$TMP/text.mp4" --predictions "$TMP/p.csv"
printf "name;timestamp;arousal\n'x';0;zz\n" > "$TMP/bad.csv"
expect_error "not a number" "$TMP/clip.mp4" --predictions "$TMP/bad.csv" -o "$TMP/bad.mp4"
expect_error "unsupported output" "$TMP/clip.mp4" --predictions "$TMP/p.csv" -o "$TMP/out.avi"
mkdir -p "$TMP/models"; echo "garbage" > "$TMP/models/broken.emo"
expect_error "unreadable model" "$TMP/clip.mp4" --models "$TMP/models"
expect_error "fusion" "$TMP/clip.mp4" --fusion sideways --predictions "$TMP/p.csv"
expect_error "position" "$TMP/clip.mp4" --position middle --predictions "$TMP/p.csv"
echo "1 passed, 0 failed"
