# emo extract has two routes to acoustic features, kept on purpose
# (docs/batch.md, "Two extraction routes"): audio files through libsndfile
# straight into the feature kernel (no GStreamer start-up: the cheap route
# for large audio corpora), and media files through GStreamer (decodebin !
# audioconvert ! audioresample ! emoaudiofeat; any container and codec, and
# one decode for --modality both). They must agree: the same PCM samples in
# a WAV file and in a Matroska file give byte-identical feature CSVs, for
# mono 16 kHz, stereo 44.1 kHz with different channels (downmix), 48 kHz.
. "$(dirname "$0")/lib.sh"
for e in matroskamux x264enc interleave emoaudiofeat emovisfeat; do
  gst gst-inspect-1.0 "$e" > /dev/null 2>&1 || skip "element $e not available"
done
VIDEO="videotestsrc num-buffers=150 ! video/x-raw,width=160,height=120,framerate=25/1 ! x264enc speed-preset=ultrafast ! queue ! m."
mkmedia() { # NAME CAPS SOURCE...
  local n=$1 caps=$2; shift 2
  gst gst-launch-1.0 -q "$@" ! audioconvert ! "$caps" ! tee name=t \
    t. ! queue ! wavenc ! filesink location="$TMP/$n.wav" \
    t. ! queue ! matroskamux name=m ! filesink location="$TMP/$n.mkv" \
    $VIDEO || fail "$n: test media"
}
mkmedia mono16 audio/x-raw,rate=16000,channels=1,format=S16LE \
  audiotestsrc num-buffers=60 samplesperbuffer=1600 wave=pink-noise
mkmedia stereo44 audio/x-raw,rate=44100,channels=2,format=S16LE \
  interleave name=i audiotestsrc num-buffers=60 samplesperbuffer=4410 wave=sine freq=180 volume=0.5 ! i. \
  audiotestsrc num-buffers=60 samplesperbuffer=4410 wave=pink-noise volume=0.3 ! i. i.
mkmedia mono48 audio/x-raw,rate=48000,channels=1,format=S16LE \
  audiotestsrc num-buffers=60 samplesperbuffer=4800 wave=saw freq=300
for n in mono16 stereo44 mono48; do
  "$EMO_TOOL" extract -q "$TMP/$n.wav" -o "$TMP/snd" || fail "$n: libsndfile route"
  "$EMO_TOOL" extract -q --modality both "$TMP/$n.mkv" -o "$TMP/gst" || fail "$n: GStreamer route"
  rows=$(($(wc -l < "$TMP/snd/$n.csv") - 1))
  [ "$rows" -ge 50 ] || fail "$n: only $rows rows"
  cmp "$TMP/snd/$n.csv" "$TMP/gst/audio/$n.csv" || fail "$n: the two routes differ"
  echo "$n: $rows rows, identical"
done
echo "1 passed, 0 failed"
