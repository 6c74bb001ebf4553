# emo annotate: Ctrl-C (SIGINT) finishes a valid, shorter output; on a
# terminal the progress is a bar (position / duration, fps, ETA).
. "$(dirname "$0")/lib.sh"

gst gst-launch-1.0 -q videotestsrc num-buffers=1000 pattern=ball \
  ! video/x-raw,width=640,height=480,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! queue ! mp4mux name=m ! filesink location="$TMP/long.mp4" \
  audiotestsrc num-buffers=1723 ! audio/x-raw,rate=44100 ! avenc_aac ! queue ! m. \
  || fail "could not make the test clip"
{
  echo "name;timestamp;arousal;valence"
  for i in $(seq 0 399); do printf "'l';%d.%d;0.5;-0.5\n" $((i / 10)) $((i % 10)); done
} > "$TMP/long.csv"

# SIGINT after a second: EOS is sent, the muxer finishes the file
"$EMO_TOOL" annotate "$TMP/long.mp4" --predictions "$TMP/long.csv" -o "$TMP/part.mp4" \
  --plot "$TMP/part.png" > "$TMP/log.txt" 2>&1 &
pid=$!
# interrupt once encoded video reaches the file (mp4mux writes samples as it
# goes, into a temporary beside the target: the target name appears only when
# the file is finished)
for _ in $(seq 1 1200); do
  tmpf=$(ls "$TMP"/.part.mp4.partial-* 2>/dev/null | head -1 || true)
  [ -n "$tmpf" ] && [ "$(stat -c %s "$tmpf" 2>/dev/null || echo 0)" -gt 200000 ] && break
  [ ! -e "$TMP/part.mp4" ] || fail "part.mp4 exists before it is finished"
  sleep 0.1
done
kill -INT $pid
rc=0; wait $pid || rc=$?
cat "$TMP/log.txt"
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGINT"
grep -q "interrupted" "$TMP/log.txt" || fail "no interruption message"
grep -qx "emo: wrote $TMP/part.mp4" "$TMP/log.txt" || fail "no wrote line for the partial file"
if ls "$TMP"/.*partial* > /dev/null 2>&1; then fail "temporary left behind"; fi
# the record says partial and names the file
grep -q '"status" : "partial"' "$TMP/part.mp4.emo-record.json" || fail "record is not partial"
grep -q "\"path\" : \"$TMP/part.png\"" "$TMP/part.mp4.emo-record.json" || fail "record lacks the plot"
gst timeout 60 gst-launch-1.0 -q filesrc location="$TMP/part.mp4" ! qtdemux name=d d.video_0 ! queue ! h264parse ! avdec_h264 \
  ! videoconvert ! video/x-raw,format=GRAY8,width=640,height=480 ! filesink location="$TMP/part.gray" \
  || fail "partial output does not decode"
frames=$(( $(stat -c %s "$TMP/part.gray") / (640 * 480) ))
echo "partial output: $frames frames"
[ "$frames" -gt 0 ] && [ "$frames" -lt 1000 ] || fail "partial output has $frames frames"
gst timeout 60 gst-launch-1.0 -q filesrc location="$TMP/part.png" ! pngdec ! fakesink || fail "no plot after SIGINT"

# the progress bar on a terminal (script gives the command a pty)
if command -v script > /dev/null; then
  script -qec "\"$EMO_TOOL\" annotate \"$TMP/long.mp4\" --predictions \"$TMP/long.csv\" --no-video --csv \"$TMP/x.csv\"" \
    /dev/null < /dev/null > "$TMP/tty.txt" 2>&1 || { cat "$TMP/tty.txt"; fail "annotate on a pty"; }
  grep -q $'\r\[' "$TMP/tty.txt" || fail "no progress bar on a terminal"
  grep -q "fps  ETA" "$TMP/tty.txt" || fail "progress bar lacks fps/ETA"
fi
echo "1 passed, 0 failed"
