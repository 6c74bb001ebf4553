# emo report in a real browser: a small audio corpus through batch extract
# and batch predict, `emo report`, then the page rendered by headless
# Chromium over the DevTools protocol (puppeteer-core): no console errors,
# every image loaded, one row per input; a screenshot is kept beside the
# test logs. Chromium is not part of tools/install-deps.sh (the README's
# setup stays lean): without it this test skips; bench/report-browser.sh
# installs chromium and puppeteer-core, then runs it.
. "$(dirname "$0")/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
PUPPETEER="${EMO_NODE_DIR:-$HOME/.cache/gst-emo-node}/node_modules/puppeteer-core"
[ -n "$CHROMIUM" ] || skip "chromium not installed (bench/report-browser.sh installs it, then runs this test)"
command -v node > /dev/null || skip "node not installed"
[ -d "$PUPPETEER" ] || skip "puppeteer-core not in $PUPPETEER (bench/report-browser.sh installs it)"
MODEL="$EMO_SOURCE_ROOT/models/emodb-audio.emo"
[ -f "$MODEL" ] || skip "no shipped audio model"

mkdir -p "$TMP/wav/a" "$TMP/wav/b"
i=0
for spec in "sine freq=220 volume=0.3" "pink-noise volume=0.8" "sine freq=880 volume=0.9"; do
  i=$((i + 1)); d=a; [ $i -eq 3 ] && d=b
  gst gst-launch-1.0 -q audiotestsrc num-buffers=60 wave=$spec ! audio/x-raw,rate=16000,channels=1 \
    ! wavenc ! filesink location="$TMP/wav/$d/s$i.wav" || fail "test audio"
done
"$EMO_TOOL" extract "$TMP/wav" -o "$TMP/feat" -j 2 > "$TMP/x.log" 2>&1 || { cat "$TMP/x.log"; fail "batch extract"; }
[ -s "$TMP/feat/a/s1.csv" ] && [ -s "$TMP/feat/b/s3.csv" ] || fail "extract did not mirror the folders"
"$EMO_TOOL" predict -m "$MODEL" "$TMP/feat" -o "$TMP/pred" -j 2 > "$TMP/p.log" 2>&1 || { cat "$TMP/p.log"; fail "batch predict"; }
[ -s "$TMP/pred/a/s2.csv" ] || fail "predict did not mirror the folders"
"$EMO_TOOL" report "$TMP/pred" | tee "$TMP/r.log" || fail "emo report"
[ "$(grep -c '^a/s\|^b/s' "$TMP/r.log")" -eq 3 ] || fail "report table: not 3 rows"

LOGDIR="$EMO_BUILD_ROOT/meson-logs"
mkdir -p "$LOGDIR"
SHOT="$LOGDIR/report-browser.png"
timeout 120 node "$EMO_SOURCE_ROOT/tests/browser/render-page.cjs" "$PUPPETEER" "$CHROMIUM" \
  "$TMP/pred/report.html" "$SHOT" | tee "$TMP/b.log" || fail "the page did not render cleanly"
grep -q "^rows 3, images 3 loaded 3" "$TMP/b.log" || fail "rows/images: $(grep rows "$TMP/b.log")"
[ -s "$SHOT" ] || fail "no screenshot"
echo "screenshot saved: $SHOT"
echo "1 passed, 0 failed"
