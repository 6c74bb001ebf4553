#!/bin/sh
# Late fusion of stored stage-1 predictions of one recording with emofuse.
#
#   pipelines/late-fusion.sh OUT.csv PRED1.csv PRED2.csv [...]
#
# Each input is an AVEC-style prediction CSV (name;timestamp;arousal;valence;
# liking), e.g. ../shared/data/avec2019-ces/baseline_predictions/predictions_*/
# Devel_DE_01.csv. MODE=mean (default) or MODE=weighted WEIGHTS="<2.0,1.0,...>"
# (one weight per input, in order). Output: CSV with the fused prediction.
# Latency: none added (emofuse mean/weighted is frame by frame).
set -eu
[ $# -ge 3 ] || { echo "usage: $0 OUT.csv PRED1.csv PRED2.csv [...]" >&2; exit 2; }
out=$1; shift
mode=${MODE:-mean}
props="mode=$mode"
[ -n "${WEIGHTS:-}" ] && props="$props weights=\"$WEIGHTS\""
set -- "$@"
branches=""
i=0
for f in "$@"; do
  branches="$branches filesrc location=\"$f\" ! emoparse content=predictions source=in$i ! f.sink_$i"
  i=$((i+1))
done
eval "${GST_LAUNCH:-gst-launch-1.0} -q emofuse name=f $props ! emoexport format=csv ! filesink location=\"$out\" $branches"
