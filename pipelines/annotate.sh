#!/bin/sh
# The graph `emo annotate` builds, as one gst-launch-1.0 line.
#
#   pipelines/annotate.sh IN OUT.mp4 MODELS_DIR     analyse: audio + video models, late fusion
#   pipelines/annotate.sh IN OUT.mp4 PREDS.csv      overlay stored predictions (no models)
#
# MODELS_DIR holds audio.emo (layout egemaps-v02-func) and video.emo (layout
# vis-v1), as written by `emo train`. OUT gets the video with the read-out
# drawn on it, H.264 + AAC in MP4, audio kept; OUT.csv the fused predictions
# (one row per 100 ms).
#
# Queue sizes come from the latency the elements answer in the latency query:
#   emoaudiofeat  hop + 460 ms = 560 ms   (openSMILE's pitch smoother waits up to
#                 40 frames, 60 ms pitch frame; low-latency=true: hop + 80 ms)
#   emovisfeat    hop + 1 video frame = 140 ms at 25 fps
#   emomtl, emofuse (mean), emooverlay: 0
# emooverlay holds each video frame until the emotion frame covering it has
# arrived, so the queue in front of its video pad must hold the analysis
# latency plus one decoded audio buffer: 560 ms + ~25 ms, rounded up to 1 s
# for the encoder/demuxer interleaving. The encoder queues hold x264's
# look-ahead (veryfast: ~10 frames).
set -eu
[ $# -eq 3 ] || { echo "usage: $0 IN OUT.mp4 MODELS_DIR|PREDICTIONS.csv" >&2; exit 2; }
IN=$1; OUT=$2; SRC=$3
CSV="${OUT%.*}.csv"
NAME=$(basename "${IN%.*}")

case "$SRC" in
  *.csv)
    # stored predictions: emoparse turns the CSV into the emotion frame stream
    exec gst-launch-1.0 -e \
      filesrc location="$SRC" ! emoparse content=predictions ! tee name=emo \
      uridecodebin uri="file://$(realpath "$IN")" name=dec \
      dec. ! video/x-raw ! queue max-size-time=1000000000 ! videoconvert \
        ! emooverlay name=ov ! videoconvert \
        ! x264enc speed-preset=veryfast pass=qual quantizer=21 ! h264parse ! queue ! mux. \
      emo. ! queue ! ov.emo_sink \
      emo. ! queue ! emoexport format=csv name-column="$NAME" features=false ! filesink location="$CSV" \
      dec. ! audio/x-raw ! queue max-size-time=3000000000 ! audioconvert ! audioresample \
        ! avenc_aac ! queue ! mux. \
      mp4mux name=mux ! filesink location="$OUT"
    ;;
  *)
    # analysis: decoded audio and video each feed a front end and a model;
    # emofuse averages the two predictions (late fusion)
    exec gst-launch-1.0 -e \
      uridecodebin uri="file://$(realpath "$IN")" name=dec \
      dec. ! video/x-raw ! videoconvert ! video/x-raw,format=I420 ! tee name=v \
        v. ! queue max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0 ! ov.video_sink \
        v. ! queue ! emovisfeat ! emomtl model="$SRC/video.emo" source=video ! queue ! fuse. \
      dec. ! audio/x-raw ! tee name=a \
        a. ! queue ! audioconvert ! audioresample ! emoaudiofeat \
          ! emomtl model="$SRC/audio.emo" source=audio ! queue ! fuse. \
        a. ! queue max-size-time=3000000000 max-size-buffers=0 max-size-bytes=0 \
          ! audioconvert ! audioresample ! avenc_aac ! queue ! mux. \
      emofuse name=fuse mode=mean ! tee name=emo \
        emo. ! queue ! ov.emo_sink \
        emo. ! queue ! emoexport format=csv name-column="$NAME" features=false ! filesink location="$CSV" \
      emooverlay name=ov ! videoconvert \
        ! x264enc speed-preset=veryfast pass=qual quantizer=21 ! h264parse ! queue ! mux. \
      mp4mux name=mux ! filesink location="$OUT"
    ;;
esac
