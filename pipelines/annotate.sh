#!/bin/sh
# The graph `emo annotate` builds, as one gst-launch-1.0 line. The stored-
# predictions graph below is word for word what
#   emo annotate IN --predictions PREDS.csv -o OUT.mp4 --csv OUT.csv --print-pipeline
# prints (tests/e2e/test-annotate.sh compares them); the analysis graph is
# what it prints for an input with audio and video and a models folder with
# one audio and one video model (late fusion). `--print-pipeline` prints the
# exact graph for any input and options.
#
#   pipelines/annotate.sh IN OUT.mp4 MODELS_DIR     analyse: audio + video models, late fusion
#   pipelines/annotate.sh IN OUT.mp4 PREDS.csv      overlay stored predictions (no models)
#
# MODELS_DIR holds audio.emo and video.emo, as written by `emo train`;
# AUDIO_SET (default egemaps-functionals) is emoaudiofeat's feature set for
# the audio model's layout (`emo predict --info -m audio.emo` shows it).
# OUT gets the video with the read-out drawn on it, H.264 + AAC in MP4,
# audio kept; OUT.csv the predictions (one row per 100 ms). IN needs video
# and audio; the decoder's streams go to the queues "vin" and "ain".
#
# Queue sizes: emooverlay holds each video frame until the emotion frame
# covering it has arrived, so the queue in front of it holds up to 10 s
# (the analysis latency plus decoder and muxer interleaving), in time only;
# the audio queue in front of the encoder likewise. vin/ain are short, the
# encoder queues unbounded (x264's look-ahead), the emotion queues count
# frames (100 to the overlay, 1000 to an export). videorate gives the
# overlay a steady frame rate from variable-rate inputs.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 IN OUT.mp4 MODELS_DIR|PREDICTIONS.csv" >&2; exit 2; }
IN=$1; OUT=$2; SRC=$3
CSV="${OUT%.*}.csv"
NAME=$(basename "$IN"); NAME=${NAME%.*}; NAME=$(printf %s "$NAME" | tr -c 'A-Za-z0-9_-' '_')
URI="file://$(realpath "$IN")"
FORMATS='video/x-raw,format={I420,NV12,BGRx,BGRA,RGBx,RGBA}'
UNBOUNDED="max-size-time=0 max-size-bytes=0 max-size-buffers=0"
HOLD="max-size-time=10000000000 max-size-bytes=0 max-size-buffers=0"

case "$SRC" in
  *.csv)
    # stored predictions: emoparse turns the CSV into the emotion frame stream
    exec gst-launch-1.0 -e uridecodebin name=dec uri="$URI" \
      filesrc name=predsrc location="$SRC" ! emoparse content=predictions source=stored ! tee name=emot \
      dec. ! video/x-raw ! queue name=vin max-size-time=0 max-size-bytes=0 max-size-buffers=8 \
        ! videoconvert ! videorate ! "$FORMATS" ! tee name=vt \
      vt. ! queue $HOLD ! emooverlay name=ov ! videoconvert \
        ! x264enc speed-preset=veryfast pass=qual quantizer=21 ! h264parse ! queue $UNBOUNDED ! mux. \
      mp4mux name=mux ! filesink name=outsink location="$OUT" sync=false \
      emot. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=100 ! ov.emo_sink \
      dec. ! audio/x-raw ! queue name=ain max-size-time=0 max-size-bytes=0 max-size-buffers=64 ! tee name=at \
      at. ! queue $HOLD ! audioconvert ! audioresample ! avenc_aac ! queue name=amuxq $UNBOUNDED ! mux. \
      emot. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=1000 \
        ! emoexport format=csv features=false name-column="$NAME" ! filesink name=csvsink location="$CSV" sync=false
    ;;
  *)
    # analysis: decoded audio and video each feed a front end and a model;
    # emofuse averages the two predictions (late fusion)
    exec gst-launch-1.0 -e uridecodebin name=dec uri="$URI" \
      aana. ! queue ! audioconvert ! audioresample ! emoaudiofeat feature-set="${AUDIO_SET:-egemaps-functionals}" \
        ! emomtl name=amtl model="$SRC/audio.emo" source=audio ! queue ! fuse. \
      vana. ! queue ! videoconvert ! emovisfeat ! emomtl name=vmtl model="$SRC/video.emo" source=video ! queue ! fuse. \
      emofuse name=fuse mode=mean ! tee name=emot \
      dec. ! video/x-raw ! queue name=vin max-size-time=0 max-size-bytes=0 max-size-buffers=8 \
        ! videoconvert ! videorate ! "$FORMATS" ! tee name=vt \
      vt. ! queue name=vana \
      vt. ! queue $HOLD ! emooverlay name=ov ! videoconvert \
        ! x264enc speed-preset=veryfast pass=qual quantizer=21 ! h264parse ! queue $UNBOUNDED ! mux. \
      mp4mux name=mux ! filesink name=outsink location="$OUT" sync=false \
      emot. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=100 ! ov.emo_sink \
      dec. ! audio/x-raw ! queue name=ain max-size-time=0 max-size-bytes=0 max-size-buffers=64 ! tee name=at \
      at. ! queue name=aana \
      at. ! queue $HOLD ! audioconvert ! audioresample ! avenc_aac ! queue name=amuxq $UNBOUNDED ! mux. \
      emot. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=1000 \
        ! emoexport format=csv features=false name-column="$NAME" ! filesink name=csvsink location="$CSV" sync=false
    ;;
esac
