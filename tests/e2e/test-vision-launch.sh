# emovisfeat end to end: the documented gst-launch line on Megamind.avi
# (opencv-doc) gives one CSV row per 100 ms with a face in most of them;
# emo extract --modality video|both writes the same layout; a missing
# cascade fails with a message naming the file.
. "$(dirname "$0")/lib.sh"

MEDIA=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
[ -f "$MEDIA" ] || skip "opencv-doc not installed"
[ -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml ] || skip "opencv-data not installed"

gst gst-inspect-1.0 emovisfeat > "$TMP/inspect.txt" || fail "emovisfeat not in plugin"
for p in cascade detect-interval min-face-size face-selection hold-time post-messages; do
  grep -q "$p" "$TMP/inspect.txt" || fail "property $p missing"
done

gst gst-launch-1.0 -q filesrc location="$MEDIA" ! decodebin ! videoconvert ! emovisfeat \
  ! emoexport ! filesink location="$TMP/v.csv" || fail "pipeline failed"

# 11.26 s of video: 112 or 113 hops (the last frame's timestamp decides)
rows=$(($(wc -l < "$TMP/v.csv") - 1))
[ "$rows" -ge 112 ] && [ "$rows" -le 113 ] || fail "expected 112-113 rows (one per 100 ms), got $rows"
cols=$(head -1 "$TMP/v.csv" | awk -F';' '{print NF}')
[ "$cols" -eq 172 ] || fail "expected 172 columns (name, timestamp, 170 features), got $cols"
head -1 "$TMP/v.csv" | grep -q ';face_fraction;faces_mean$' || fail "header lacks face_fraction;faces_mean"
# timestamps on the 100 ms grid; a face in most hops (faces are in view almost throughout)
awk -F';' 'NR > 1 {
    if ($2 + 0 < (NR - 2) * 0.1 - 1e-6 || $2 + 0 > (NR - 2) * 0.1 + 1e-6) { print "bad timestamp " $2 " row " NR; bad = 1 }
    for (i = 3; i <= NF; i++) if ($i == "nan" || $i == "inf" || $i == "-inf") { print "non-finite at row " NR; bad = 1 }
    if ($(NF - 1) > 0.5) face++
  }
  END { printf "hops with a face in most frames: %d of %d\n", face, NR - 1; exit bad || face < 0.8 * (NR - 1) }' \
  "$TMP/v.csv" || fail "timestamps or face coverage"

# emo extract: video only, then both tracks (decoded once)
"$EMO_TOOL" extract -q --modality video -o "$TMP/x" "$MEDIA" || fail "emo extract --modality video"
[ "$(wc -l < "$TMP/x/Megamind.csv")" -eq $((rows + 1)) ] || fail "extract video rows: $(wc -l < "$TMP/x/Megamind.csv")"
head -1 "$TMP/x/Megamind.csv" | grep -q '^name;timestamp;face_cx_mean;' || fail "extract video header"
"$EMO_TOOL" extract -q --modality both -o "$TMP/b" "$MEDIA" || fail "emo extract --modality both"
[ -s "$TMP/b/video/Megamind.csv" ] && [ -s "$TMP/b/audio/Megamind.csv" ] || fail "both: missing outputs"
cmp -s "$TMP/x/Megamind.csv" "$TMP/b/video/Megamind.csv" || fail "video features differ between runs"
# a file without video: a clear error, no hang
gst gst-launch-1.0 -q audiotestsrc num-buffers=20 ! audioconvert ! wavenc ! filesink location="$TMP/a.wav"
if timeout 60 "$EMO_TOOL" extract -q --modality video -o "$TMP/w" "$TMP/a.wav" 2> "$TMP/err.txt"; then fail "audio-only file accepted"; fi
grep -q 'no video frames' "$TMP/err.txt" || fail "audio-only message: $(cat "$TMP/err.txt")"
if "$EMO_TOOL" extract -q --modality nose -o "$TMP/n" "$MEDIA" 2> "$TMP/err.txt"; then fail "bad modality accepted"; fi
grep -q 'modality' "$TMP/err.txt" || fail "bad modality message: $(cat "$TMP/err.txt")"

# facedetect upstream: its face metas are used as they are (roi-source=auto)
if gst gst-inspect-1.0 facedetect > /dev/null 2>&1; then
  gst gst-launch-1.0 -m filesrc location=/usr/share/doc/opencv-doc/examples/data/messi5.jpg ! jpegdec \
    ! imagefreeze num-buffers=15 ! videoconvert ! video/x-raw,format=RGB,framerate=30/1 \
    ! facedetect display=false ! emovisfeat post-messages=true ! emoexport \
    ! filesink location="$TMP/up.csv" > "$TMP/up.txt" 2> /dev/null || fail "facedetect pipeline"
  peer=$(grep -m1 -o 'facedetect, .*' "$TMP/up.txt" | sed -E 's/.*x\\=\\\(uint\\\)([0-9]+).*y\\=\\\(uint\\\)([0-9]+).*width\\=\\\(uint\\\)([0-9]+).*/\1 \2 \3/')
  ours=$(grep -m1 -o 'emovisfeat, .*' "$TMP/up.txt" | sed -E 's/.*source=\(string\)upstream, x=\(int\)([0-9]+), y=\(int\)([0-9]+), width=\(int\)([0-9]+).*/\1 \2 \3/')
  [ -n "$peer" ] && [ "$peer" = "$ours" ] || fail "upstream box: facedetect '$peer', emovisfeat '$ours'"
  [ "$(wc -l < "$TMP/up.csv")" -eq 6 ] || fail "upstream: expected 5 rows"
  awk -F';' 'NR > 1 && $(NF - 1) != 1 {exit 1}' "$TMP/up.csv" || fail "upstream: face_fraction not 1"
fi

# a missing cascade: error naming the file
if gst gst-launch-1.0 -q videotestsrc num-buffers=5 ! emovisfeat cascade="$TMP/none.xml" ! fakesink \
    > "$TMP/out.txt" 2>&1; then fail "missing cascade accepted"; fi
grep -q "$TMP/none.xml" "$TMP/out.txt" || fail "error does not name the cascade: $(cat "$TMP/out.txt")"
echo "ok"
