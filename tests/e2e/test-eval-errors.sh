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

# 3 prediction rows scored against 300 label rows: a warning naming both
mkdir -p "$TMP/l3" "$TMP/p3"
{ echo "name;timestamp;arousal"; for i in $(seq 0 299); do echo "'s';$((i / 10)).$((i % 10));0.$((i % 7))"; done; } > "$TMP/l3/s.csv"
printf "name;timestamp;arousal\n's';0;0.1\n's';0.1;0.2\n's';0.2;0.3\n" > "$TMP/p3/s.csv"
"$EMO_TOOL" eval --labels "$TMP/l3" --predictions "$TMP/p3" > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "eval 3 vs 300"; }
grep -q "warning: .*p3/s.csv has 3 rows, its labels .*l3/s.csv 300" "$TMP/out" || { cat "$TMP/out"; fail "no length warning"; }
# a few rows apart is normal: no warning
{ echo "name;timestamp;arousal"; for i in $(seq 0 297); do echo "'s';$((i / 10)).$((i % 10));0.$((i % 5))"; done; } > "$TMP/p3/s.csv"
"$EMO_TOOL" eval --labels "$TMP/l3" --predictions "$TMP/p3" > "$TMP/out" 2>&1 || fail "eval 298 vs 300"
if grep -q "warning" "$TMP/out"; then cat "$TMP/out"; fail "warning for 2 rows"; fi

# labels and predictions both constant and equal: CCC and PCC are undefined
# (0/0): n/a with the reason, and the mean over the defined attributes
mkdir -p "$TMP/lc" "$TMP/pc"
{ echo "name;timestamp;arousal;valence"; for i in $(seq 0 49); do echo "'c';$((i / 10)).$((i % 10));0.5;0.$((i % 9))"; done; } > "$TMP/lc/c.csv"
{ echo "name;timestamp;arousal;valence"; for i in $(seq 0 49); do echo "'c';$((i / 10)).$((i % 10));0.5;0.$((i % 9))"; done; } > "$TMP/pc/c.csv"
"$EMO_TOOL" eval --labels "$TMP/lc" --predictions "$TMP/pc" > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "eval constant"; }
cat "$TMP/out"
if grep -qi "nan" "$TMP/out"; then fail "nan printed"; fi
grep -Eq "^arousal +n/a +n/a +0.0000" "$TMP/out" || fail "constant arousal not n/a"
v=$(awk '$1 == "valence" { print $2 " " $3 }' "$TMP/out")
awk '$1 == "mean" { print $2 " " $3 }' "$TMP/out" | grep -qx "$v" || fail "mean is not over the defined attribute"
grep -q "arousal: CCC and PCC undefined: predictions and labels are constant and equal" "$TMP/out" || fail "no reason"
# per file: the per-file mean leaves a file whose CCC is undefined out,
# rather than counting it as 0
{ echo "name;timestamp;arousal;valence"; for i in $(seq 0 49); do echo "'d';$((i / 10)).$((i % 10));0.$((i % 7));0.$((i % 9))"; done; } > "$TMP/lc/d.csv"
{ echo "name;timestamp;arousal;valence"; for i in $(seq 0 49); do echo "'d';$((i / 10)).$((i % 10));0.$((i % 6));0.$((i % 9))"; done; } > "$TMP/pc/d.csv"
"$EMO_TOOL" eval --per-file --labels "$TMP/lc" --predictions "$TMP/pc" > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "eval per file"; }
cat "$TMP/out"
d=$(awk '$1 == "d.csv" { print $2 }' "$TMP/out")
[ -n "$d" ] && [ "$d" != "n/a" ] || fail "file d has no arousal CCC"
awk '$1 == "c.csv" { print $2 }' "$TMP/out" | grep -qx "n/a" || fail "file c arousal is not n/a"
awk '$1 == "per-file" { print $3 }' "$TMP/out" | grep -qx "$d" || fail "per-file mean counts the undefined file"
echo "11 passed, 0 failed"
