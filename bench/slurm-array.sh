#!/usr/bin/env bash
# The corpus batch on real cluster engines, compared with one process:
#  - Slurm: installs Debian slurm-wlm and munge, starts a single-node cluster
#    on this machine (munged as the munge user; slurmctld and slurmd with
#    proctrack/linuxproc and task/none: no systemd, no cgroups), submits
#    pipelines/batch-slurm.sh as 4-task arrays (extract, then predict after
#    it, and annotate) over a small generated corpus and waits for them;
#  - GNU parallel (Debian parallel): the same 4 shards as 4 jobs, 2 at a
#    time, on this machine (the recipe in docs/batch.md adds --sshlogin);
# then compares each with a single-process run of the same commands:
# features, predictions and exports identical byte for byte, videos
# identical in their decoded frames, completeness records identical but for
# their time fields. Needs root (apt-get, daemons).
#
#   bench/slurm-array.sh [BUILD_DIR] [SESSIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
BUILD=${1:-build}
SESSIONS=${2:-6}
EMO="$SRC/$BUILD/tools/emo"
[ -x "$EMO" ] || { echo "no $EMO: build first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "run as root (installs packages, starts daemons)" >&2; exit 1; }
export GST_PLUGIN_PATH_1_0="$SRC/$BUILD/plugins" OPENBLAS_NUM_THREADS=1
W=$(mktemp -d /tmp/emo-slurm.XXXXXX)
chmod 755 "$W"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2> /dev/null || true; done
  rm -rf "$W" 2> /dev/null || true
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
command -v slurmctld > /dev/null && command -v munged > /dev/null && command -v parallel > /dev/null \
  || apt-get install -y -qq --no-install-recommends slurm-wlm munge parallel bc > /dev/null

echo "== corpus: $SESSIONS generated sessions (tools/emo-gencorpus)"
/usr/bin/python3 tools/emo-gencorpus generate --out "$W/gen" --seed 11 \
  --sessions "$SESSIONS" --speakers 3 --duration 6 --quiet
mkdir -p "$W/corpus/a" "$W/corpus/b/c"
i=0
for f in "$W/gen/video/"*.mkv; do
  d=a; [ $((i % 2)) -eq 1 ] && d=b/c
  n=$(basename "$f" .mkv)
  cp "$f" "$W/corpus/$d/$n.mkv"
  mkdir -p "$W/wav/$d"; cp "$W/gen/audio/$n.wav" "$W/wav/$d/$n.wav"
  i=$((i + 1))
done

# The three steps, in a run folder: same relative paths in every run, so
# the records (paths as given) can be compared.
ANN_OPTS=(--formats mp4,csv,vtt,json --encoder-threads 1)
single_run() {
  local r=$W/runs/single
  mkdir -p "$r" && cd "$r"
  "$EMO" extract ../../wav -o feat -j 1 > log.txt 2>&1
  "$EMO" predict -m "$SRC/models/emodb-audio.emo" feat -o pred -j 1 >> log.txt 2>&1
  "$EMO" annotate ../../corpus -o ann -j 1 "${ANN_OPTS[@]}" >> log.txt 2>&1
  cd "$SRC"
}

echo "== single process"
t0=$(date +%s.%N); single_run; t1=$(date +%s.%N)
printf "   %.1f s\n" "$(echo "$t1 - $t0" | bc -l)"

# ---- Slurm: a one-node cluster on localhost ----------------------------------
echo "== Slurm: single-node cluster"
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2> /dev/null
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! pgrep -u munge munged > /dev/null; then
  runuser -u munge -- /usr/sbin/munged
fi
munge -n | unmunge > /dev/null || { echo "munge does not work" >&2; exit 1; }
HOST=$(hostname -s)
S=$W/slurm
mkdir -p "$S/state" "$S/spool"
cat > "$S/slurm.conf" <<EOF
ClusterName=emo
SlurmctldHost=$HOST
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=emo Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$S/slurm.conf
slurmctld -D -f "$SLURM_CONF" > "$S/ctld.out" 2>&1 & PIDS+=($!)
sleep 2
slurmd -D -f "$SLURM_CONF" > "$S/d.out" 2>&1 & PIDS+=($!)
for _ in $(seq 1 60); do
  sinfo -h -o %T 2> /dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o "   node %N: %T, %c CPUs" || { cat "$S"/*.log; exit 1; }

R=$W/runs/slurm
mkdir -p "$R"
cd "$R"
export EMO
A=$(sbatch --parsable --array=0-3 -o "$R/x-%a.log" "$SRC/pipelines/batch-slurm.sh" extract ../../wav feat)
B=$(sbatch --parsable --array=0-3 -o "$R/p-%a.log" --dependency=afterok:"$A" \
  "$SRC/pipelines/batch-slurm.sh" predict feat pred -m "$SRC/models/emodb-audio.emo")
C=$(sbatch --parsable --array=0-3 -o "$R/a-%a.log" "$SRC/pipelines/batch-slurm.sh" \
  annotate ../../corpus ann "${ANN_OPTS[@]}")
cd "$SRC"
echo "   submitted arrays $A (extract), $B (predict, after $A), $C (annotate)"
t0=$(date +%s.%N)
for _ in $(seq 1 900); do
  [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
  sleep 1
done
t1=$(date +%s.%N)
printf "   all tasks finished in %.1f s\n" "$(echo "$t1 - $t0" | bc -l)"
scontrol show job "$A" "$B" "$C" 2> /dev/null | grep -o "JobState=[A-Z]*" | sort | uniq -c | sed 's/^/   /' || true
for f in "$R"/*-?.log; do grep -q "^emo: .*failed:" "$f" && { echo "   task log $f:"; cat "$f"; }; done || true

# ---- GNU parallel: 4 shards, 2 jobs at a time ---------------------------------
echo "== GNU parallel"
P=$W/runs/parallel
mkdir -p "$P" && cd "$P"
t0=$(date +%s.%N)
parallel -j 2 "$EMO" extract ../../wav -o feat --shard {}/4 -j 1 ::: 0 1 2 3 > log.txt 2>&1
parallel -j 2 "$EMO" predict -m "$SRC/models/emodb-audio.emo" feat -o pred --shard {}/4 -j 1 ::: 0 1 2 3 >> log.txt 2>&1
parallel -j 2 "$EMO" annotate ../../corpus -o ann --shard {}/4 -j 1 "${ANN_OPTS[@]}" ::: 0 1 2 3 >> log.txt 2>&1
t1=$(date +%s.%N)
cd "$SRC"
printf "   %.1f s\n" "$(echo "$t1 - $t0" | bc -l)"

# ---- compare ------------------------------------------------------------------
frames() {
  gst-launch-1.0 -q filesrc location="$1" ! qtdemux ! h264parse ! avdec_h264 ! videoconvert \
    ! video/x-raw,format=I420 ! filesink location="$2"
}
compare() {
  local name=$1 a=$W/runs/single b=$W/runs/$1 bad=0 n_bytes=0 n_video=0 n_rec=0
  while read -r f; do
    [ -e "$b/$f" ] || { echo "   $name: missing $f"; bad=1; continue; }
    case $f in
      *.mp4)
        frames "$a/$f" "$W/fa.yuv"; frames "$b/$f" "$W/fb.yuv"
        cmp -s "$W/fa.yuv" "$W/fb.yuv" || { echo "   $name: $f decoded frames differ"; bad=1; }
        n_video=$((n_video + 1)) ;;
      *.emo-record.json)
        /usr/bin/python3 - "$a/$f" "$b/$f" <<'EOF' || { echo "   $name: record $f differs"; bad=1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("started", None); r.pop("finished", None)
    for o in r.get("outputs", []):
        if o["path"].endswith(".mp4"):   # container metadata (creation time) may differ
            o.pop("sha256", None); o.pop("size", None)
sys.exit(0 if a == b else 1)
EOF
        n_rec=$((n_rec + 1)) ;;
      *)
        cmp -s "$a/$f" "$b/$f" || { echo "   $name: $f differs"; bad=1; }
        n_bytes=$((n_bytes + 1)) ;;
    esac
  done < <(cd "$a" && find feat pred ann -type f ! -path '*/.emo-batch/*' ! -name 'emo-batch*.jsonl' | sort)
  extra=$(cd "$b" && find feat pred ann -type f ! -path '*/.emo-batch/*' ! -name 'emo-batch*.jsonl' | wc -l)
  total=$(cd "$a" && find feat pred ann -type f ! -path '*/.emo-batch/*' ! -name 'emo-batch*.jsonl' | wc -l)
  [ "$extra" -eq "$total" ] || { echo "   $name: $extra files, single run $total"; bad=1; }
  echo "   $name vs single process: $n_bytes files byte-identical, $n_video videos frame-identical, $n_rec records identical but for time fields: $([ $bad -eq 0 ] && echo IDENTICAL || echo DIFFERENT)"
  return $bad
}
echo "== comparison"
status=0
compare slurm || status=1
compare parallel || status=1
exit $status
