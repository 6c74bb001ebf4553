#!/bin/sh
# Live annotation: camera + microphone in, annotated picture in a window.
#
#   pipelines/live.sh MODELS_DIR
#
# MODELS_DIR holds audio.emo (layout egemaps-v02-func) and video.emo (layout
# vis-v1). Sources and sink can be replaced through the environment, e.g. for
# a test or another device:
#   VIDEO_SRC="v4l2src device=/dev/video1"   (default v4l2src)
#   AUDIO_SRC="alsasrc device=hw:1"          (default pulsesrc)
#   SINK="fakesink sync=true"                (default autovideosink)
#
# Latency: every element answers the latency query (emoaudiofeat with
# low-latency=true hop + 80 ms,
# emovisfeat hop + one video frame, emomtl / emofuse mean / emooverlay 0) and
# emooverlay combines its two inputs, so the sink shows each picture about
# 200 ms late, with the read-out that describes it. The queues hold at least
# that much (1 s). emofuse gets latency=200 ms so that a branch that falls
# behind on a loaded machine is waited for that long before being skipped.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 MODELS_DIR" >&2; exit 2; }
M=$1
VIDEO_SRC=${VIDEO_SRC:-v4l2src}
AUDIO_SRC=${AUDIO_SRC:-pulsesrc}
SINK=${SINK:-autovideosink}

# shellcheck disable=SC2086  # the *_SRC / SINK variables are pipeline fragments
exec gst-launch-1.0 -e \
  $VIDEO_SRC ! videoconvert ! videoscale ! video/x-raw,format=I420,width=640,height=480 ! tee name=v \
    v. ! queue max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0 ! ov.video_sink \
    v. ! queue leaky=downstream max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0 \
      ! emovisfeat ! emomtl model="$M/video.emo" source=video ! queue ! fuse. \
  $AUDIO_SRC ! audioconvert ! audioresample ! audio/x-raw,rate=16000,channels=1 \
    ! queue max-size-time=1000000000 ! emoaudiofeat low-latency=true ! emomtl model="$M/audio.emo" source=audio ! queue ! fuse. \
  emofuse name=fuse mode=mean latency=200000000 ! queue ! ov.emo_sink \
  emooverlay name=ov ! videoconvert ! $SINK
