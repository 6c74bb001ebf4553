# Output files of every emo command: never onto an input (same name, ./name,
# symlink, hard link), whole or absent (no decodable frame, full disk, early
# Ctrl-C), a "wrote" line only for a finished file, and the completeness
# record beside each output (docs/outputs.md).
. "$(dirname "$0")/lib.sh"
E="$EMO_TOOL"
cd "$TMP"
: > log

sum() { sha256sum "$1" | cut -d' ' -f1; }
# the listing of a folder, hidden files included (temporaries start with a dot)
listing() { (cd "$1" && ls -A | sort | tr '\n' ' '); }
# FILE is a record of COMMAND with STATUS that lists OUTPUT among its outputs
check_record() { # file command status output
  /usr/bin/python3 - "$@" <<'EOF' || fail "record $1"
import json, os, sys
path, command, status, output = sys.argv[1:5]
r = json.load(open(path))
assert r["record"] == "emo-record/1", r["record"]
assert r["command"] == command, r["command"]
assert r["status"] == status, r["status"]
outs = {o["path"]: o for o in r["outputs"]}
assert output in outs, (output, list(outs))
assert outs[output]["size"] == os.path.getsize(output), "size"
assert len(outs[output]["sha256"]) == 64
assert r["inputs"] and all(i["size"] > 0 for i in r["inputs"]), r["inputs"]
for k in ("tool_version", "options", "frames", "started", "finished"):
    assert k in r, k
EOF
}

# ---- a clip, stored predictions ----------------------------------------------
gst gst-launch-1.0 -q videotestsrc num-buffers=50 pattern=ball \
  ! video/x-raw,width=160,height=120,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! queue ! matroskamux name=m ! filesink location=in.mkv \
  audiotestsrc num-buffers=86 ! audio/x-raw,rate=44100 ! vorbisenc ! queue ! m. \
  || fail "could not make the test clip"
{
  echo "name;timestamp;arousal;valence;liking"
  for i in $(seq 0 19); do printf "'in';%d.%d;0.5;-0.5;0.1\n" $((i / 10)) $((i % 10)); done
} > p.csv
IN_SUM=$(sum in.mkv); P_SUM=$(sum p.csv)
ln -s in.mkv link.mkv
ln in.mkv hard.mkv

# ---- 1. emo annotate refuses every output that is an input --------------------
before=$(listing .)
for args in "-o in.mkv" "-o ./in.mkv" "-o link.mkv" "-o hard.mkv" "--csv in.mkv" \
    "--vtt in.mkv" "--json in.mkv" "--plot in.mkv" "--csv p.csv" "--no-video --json p.csv" \
    "-o $TMP/in.mkv"; do
  rc=0; "$E" annotate in.mkv --predictions p.csv $args -q > log 2>&1 || rc=$?
  [ "$rc" -ne 0 ] || fail "annotate $args: exit 0"
  grep -q "refusing to write .*: it is the input" log || { cat log; fail "annotate $args: message"; }
  [ "$(sum in.mkv)" = "$IN_SUM" ] && [ "$(sum p.csv)" = "$P_SUM" ] || fail "annotate $args changed an input"
done
rc=0; "$E" annotate in.mkv --predictions p.csv --csv x.txt --vtt x.txt -q > log 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "named for two outputs" log || fail "one file for two outputs accepted"
[ "$(listing .)" = "$before" ] || fail "refused runs left files: $(listing .)"
echo "1: annotate refuses outputs that are inputs"

# a normal run: every output whole, one record beside the video, last
"$E" annotate in.mkv --predictions p.csv -o out.mp4 --csv out.csv --vtt out.vtt \
  --json out.jsonl --plot out.png -q > log 2>&1 || { cat log; fail "annotate"; }
for f in out.mp4 out.csv out.vtt out.jsonl out.png; do
  grep -qx "emo: wrote $f" log || fail "no wrote line for $f"
  check_record out.mp4.emo-record.json annotate complete "$f"
done
[ "$(ls -A | grep -c emo-record)" -eq 1 ] || fail "more than one record"
# the record comes after the outputs (it is the last file written)
[ out.mp4.emo-record.json -nt out.png ] || [ ! out.png -nt out.mp4.emo-record.json ] || fail "record older than an output"
echo "record: annotate"

# ---- 2. the other commands refuse outputs that are inputs ---------------------
mkdir -p feat lab
for r in 1 2 3; do
  awk -v name="s$r" -v ff="feat/s$r.csv" -v lf="lab/s$r.csv" -v seed=$r 'BEGIN { srand(seed)
    print "name;timestamp;x0;x1" > ff; print "name;timestamp;arousal;valence" > lf
    for (t = 0; t < 100; t++) { a = rand(); b = rand()
      printf "\x27%s\x27;%.6f;%.5f;%.5f\n", name, t / 10, a, b > ff
      printf "\x27%s\x27;%.6f;%.5f;%.5f\n", name, t / 10, a - 0.5, b - 0.5 > lf } }'
done
"$E" train -f feat -l lab --model linear --epochs 3 -o m.emo > log 2>&1 || { cat log; fail "train"; }
check_record m.emo.emo-record.json train complete m.emo
FEAT_SUM=$(cat feat/*.csv | sha256sum)
refused() { # what
  [ "$rc" -ne 0 ] || fail "$1: exit 0"
  grep -q "refusing to write .*: it is the input" log || { cat log; fail "$1: message"; }
  [ "$(cat feat/*.csv | sha256sum)" = "$FEAT_SUM" ] || fail "$1 changed the feature files"
  if grep -q "wrote" log; then fail "$1 says wrote"; fi
}
rc=0; "$E" predict -m m.emo -f feat -o feat > log 2>&1 || rc=$?; refused "predict -f feat -o feat"
rc=0; "$E" predict -m m.emo -f feat -o ./feat/ > log 2>&1 || rc=$?; refused "predict -o ./feat/"
ln -s feat featlink
rc=0; "$E" predict -m m.emo -f feat -o featlink > log 2>&1 || rc=$?; refused "predict -o symlink"
rc=0; "$E" plot -c feat/s1.csv -o feat/s1.csv > log 2>&1 || rc=$?; refused "plot"
rc=0; "$E" train -f feat -l lab --model linear --epochs 1 -o feat/s2.csv > log 2>&1 || rc=$?; refused "train"
# predictions, then fuse and fuse-train onto their inputs
"$E" predict -m m.emo -f feat -o pred > log 2>&1 || { cat log; fail "predict"; }
check_record pred/s1.csv.emo-record.json predict complete pred/s1.csv
grep -q '"sha256" : "'"$(sum m.emo)"'"' pred/s1.csv.emo-record.json || fail "predict record lacks the model digest"
cp -r pred pred2
"$E" fuse-train -l lab -i pred pred2 --method mean -a arousal,valence -o f.fuser > log 2>&1 || { cat log; fail "fuse-train"; }
check_record f.fuser.emo-record.json fuse-train complete f.fuser
PRED_SUM=$(cat pred/*.csv | sha256sum)
rc=0; "$E" fuse -m f.fuser -i pred pred2 -o pred > log 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "refusing to write" log && [ "$(cat pred/*.csv | sha256sum)" = "$PRED_SUM" ] \
  || { cat log; fail "fuse -o onto its input folder"; }
rc=0; "$E" fuse-train -l lab -i pred pred2 --method mean -a arousal,valence -o pred/s1.csv > log 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "refusing to write" log || { cat log; fail "fuse-train onto an input"; }
"$E" fuse -m f.fuser -i pred pred2 -o fused > log 2>&1 || { cat log; fail "fuse"; }
check_record fused/s1.csv.emo-record.json fuse complete fused/s1.csv
"$E" plot -c pred/s1.csv -o s1.png > log 2>&1 || { cat log; fail "plot"; }
check_record s1.png.emo-record.json plot complete s1.png
# extract: a wav beside its features is fine, a feature file that is the input is not
mkdir wav
gst gst-launch-1.0 -q audiotestsrc num-buffers=200 wave=pink-noise ! audio/x-raw,rate=16000,channels=1 \
  ! wavenc ! filesink location=wav/a.wav || fail "wav"
"$E" extract -q wav/a.wav --out wav > log 2>&1 || { cat log; fail "extract beside the input"; }
check_record wav/a.csv.emo-record.json extract complete wav/a.csv
cp wav/a.wav wav/b.csv
B_SUM=$(sum wav/b.csv)
rc=0; "$E" extract -q wav/b.csv --out wav > log 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "refusing to write" log && [ "$(sum wav/b.csv)" = "$B_SUM" ] \
  || { cat log; fail "extract onto its input"; }
echo "2: predict, fuse, plot, extract, train, fuse-train refuse outputs that are inputs"

# ---- 3. no decodable frame: non-zero, a reason, no new file -------------------
# a video file cut after its headers (the old code wrote an unplayable mp4)
gst gst-launch-1.0 -q videotestsrc num-buffers=50 ! video/x-raw,width=160,height=120,framerate=25/1 \
  ! x264enc speed-preset=ultrafast ! matroskamux ! filesink location=v.mkv || fail "video clip"
head -c 1000 v.mkv > cut.mkv
mkdir cut && before=$(listing cut)
rc=0; "$E" annotate cut.mkv --predictions p.csv -o cut/o.mp4 --csv cut/o.csv -q > log 2>&1 || rc=$?
cat log
[ "$rc" -ne 0 ] || fail "cut file: exit 0"
grep -q "no video or audio frames could be decoded from cut.mkv" log || fail "cut file: message"
if grep -q "wrote" log; then fail "cut file: says wrote"; fi
[ "$(listing cut)" = "$before" ] || fail "cut file left: $(listing cut)"
echo "3: no decodable frames"

# ---- 10. a 1x1 video: the limit and the way out --------------------------------
gst gst-launch-1.0 -q videotestsrc num-buffers=25 ! video/x-raw,width=1,height=1,framerate=25/1,format=RGB \
  ! matroskamux ! filesink location=tiny.mkv || fail "tiny clip"
rc=0; "$E" annotate tiny.mkv --predictions p.csv -o tiny.mp4 -q > log 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "1x1 pixels.*at least 16x16.*--no-video" log || { cat log; fail "1x1: message"; }
[ ! -e tiny.mp4 ] || fail "1x1: file written"
"$E" annotate tiny.mkv --predictions p.csv --no-video --csv tiny.csv -q > log 2>&1 || { cat log; fail "1x1 --no-video"; }
[ "$(wc -l < tiny.csv)" -eq 21 ] || fail "1x1 --no-video CSV rows"
echo "10: 1x1 video"

# ---- 5. a full disk: no broken outputs ----------------------------------------
if mkdir full && mount -t tmpfs -o size=16k tmpfs full 2> /dev/null; then
  trap 'umount "$TMP/full" 2> /dev/null || true; rm -rf "$TMP"' EXIT
  rc=0; "$E" annotate in.mkv --predictions p.csv -o full/o.mp4 --csv full/o.csv --vtt full/o.vtt -q \
    > log 2>&1 || rc=$?
  cat log
  [ "$rc" -ne 0 ] || fail "full disk: exit 0"
  [ -z "$(listing full)" ] || fail "full disk left: $(listing full)"
  if grep -q "wrote" log; then fail "full disk: says wrote"; fi
  # an older complete file of the same name survives a failed run
  umount full && mount -t tmpfs -o size=16k tmpfs full
  echo old > full/o.csv
  rc=0; "$E" annotate in.mkv --predictions p.csv -o full/o.mp4 --csv full/o.csv -q > log 2>&1 || rc=$?
  [ "$rc" -ne 0 ] && [ "$(cat full/o.csv)" = old ] && [ "$(listing full)" = "o.csv " ] \
    || fail "full disk: old file replaced or temporaries left ($(listing full))"
  umount full
  echo "5: full disk"
else
  echo "5: SKIP (cannot mount a small tmpfs: not root)"
fi

# ---- 4. Ctrl-C in the first moments ------------------------------------------
gst gst-launch-1.0 -q videotestsrc num-buffers=500 pattern=ball \
  ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc speed-preset=ultrafast \
  ! queue ! mp4mux name=m ! filesink location=long.mp4 \
  audiotestsrc num-buffers=862 ! audio/x-raw,rate=44100 ! avenc_aac ! queue ! m. \
  || fail "could not make the long clip"
{
  echo "name;timestamp;arousal;valence"
  for i in $(seq 0 199); do printf "'l';%d.%d;0.5;-0.5\n" $((i / 10)) $((i % 10)); done
} > long.csv
# job control: a background job gets SIGINT as from a terminal (not ignored)
set -m
n_partial=0; n_nothing=0; n_killed=0; n_done=0
for delay in 0.02 0.1 0.2 0.4 0.7 1.0 1.3 1.6 2.0 2.5 3.0; do
  rm -rf ci && mkdir ci
  "$E" annotate long.mp4 --predictions long.csv -o ci/o.mp4 --csv ci/o.csv > ci.log 2>&1 &
  pid=$!
  sleep "$delay"
  kill -INT $pid 2> /dev/null || true
  rc=0; wait $pid || rc=$?
  if grep -q "Internal data stream error" ci.log; then cat ci.log; fail "Ctrl-C after $delay s: stream error"; fi
  if grep -q "interrupted before the first frame; nothing written" ci.log; then
    [ "$rc" -eq 130 ] || fail "Ctrl-C after $delay s: nothing written but exit $rc"
    [ -z "$(listing ci)" ] || fail "Ctrl-C after $delay s: files left: $(listing ci)"
    if grep -q "wrote" ci.log; then fail "Ctrl-C after $delay s: nothing written, yet 'wrote'"; fi
    n_nothing=$((n_nothing + 1))
  elif [ "$rc" -eq 130 ] && ! grep -q "emo:" ci.log; then
    # the signal came before the command set up its handler (process start)
    [ -z "$(listing ci)" ] || fail "Ctrl-C after $delay s: killed, files left: $(listing ci)"
    n_killed=$((n_killed + 1))
  elif grep -q "^emo: done:" ci.log; then
    # the run ended before the signal
    check_record ci/o.mp4.emo-record.json annotate complete ci/o.mp4
    n_done=$((n_done + 1))
  else
    [ "$rc" -eq 0 ] || { cat ci.log; fail "Ctrl-C after $delay s: exit $rc"; }
    grep -qx "emo: wrote ci/o.mp4" ci.log || { cat ci.log; fail "Ctrl-C after $delay s: no wrote line"; }
    if grep -q "not written" ci.log; then fail "Ctrl-C after $delay s: both wrote and not written"; fi
    gst gst-launch-1.0 -q filesrc location=ci/o.mp4 ! qtdemux name=d d.video_0 ! queue ! h264parse \
      ! avdec_h264 ! fakesink || fail "Ctrl-C after $delay s: partial file does not decode"
    check_record ci/o.mp4.emo-record.json annotate partial ci/o.mp4
    [ "$(listing ci)" = "o.csv o.mp4 o.mp4.emo-record.json " ] || fail "Ctrl-C after $delay s: $(listing ci)"
    n_partial=$((n_partial + 1))
  fi
done
set +m
[ $((n_partial + n_nothing)) -gt 0 ] || fail "no run was interrupted"
echo "4: early Ctrl-C: $n_partial partial files, $n_nothing with nothing written, $n_killed killed before set-up, $n_done finished first"
echo "1 passed, 0 failed"
