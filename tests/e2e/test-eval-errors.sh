# emo eval: clear errors naming file and line.
. "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/l" "$TMP/p" "$TMP/empty"
printf "name;timestamp;arousal\n'a';0;0.1\n'a';0.1;0.2\n" > "$TMP/l/a.csv"
expect_err() {  # pattern, args...
  local pat=$1; shift
  if "$EMO_TOOL" eval "$@" > "$TMP/out" 2>&1; then fail "accepted: $*"; fi
  grep -q -- "$pat" "$TMP/out" || { cat "$TMP/out"; fail "message lacks '$pat'"; }
}
expect_err "No such file" --labels "$TMP/nope" --predictions "$TMP/p"
expect_err "no .csv or .arff files" --labels "$TMP/l" --predictions "$TMP/empty"
printf "name;timestamp;arousal\n'a';0;0.1\n'a';0.1;0.2;9\n" > "$TMP/p/a.csv"
expect_err "a.csv:3: ragged row" --labels "$TMP/l" --predictions "$TMP/p"
printf "name;timestamp;arousal\n'a';0;0.1\n'a';0.1;x\n" > "$TMP/p/a.csv"
expect_err "a.csv:3: column 3: \"x\" is not a number" --labels "$TMP/l" --predictions "$TMP/p"
rm "$TMP/p/a.csv"; printf "name;timestamp;arousal\n'b';0;0.1\n" > "$TMP/p/b.csv"
expect_err "no prediction file" --labels "$TMP/l" --predictions "$TMP/p"
printf "name;timestamp;valence\n'a';0;0.1\n" > "$TMP/p/a.csv"
expect_err "no column \"arousal\" in the predictions" --labels "$TMP/l" --predictions "$TMP/p"
expect_err "needs --labels" --labels "$TMP/l"
echo "7 passed, 0 failed"
