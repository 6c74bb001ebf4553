#!/usr/bin/env bash
# Installs every Debian (bookworm) package gst-emo needs to build, test and
# run its examples. Needs root (uses sudo when not root).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS=(
  # build
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libopenblas-dev libsndfile1-dev liblinear-dev libjson-glib-dev libcairo2-dev
  gobject-introspection libgirepository1.0-dev
  # run: GStreamer tools and plugins for decoding, encoding and muxing media
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
  # tests, examples and references
  python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 python3-numpy python3-sklearn
  espeak-ng opencv-data opencv-doc gstreamer1.0-opencv valgrind
  # style check (tools/indent.sh: GStreamer's gst-indent options)
  indent
)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" > /dev/null
echo "gst-emo: Debian packages installed"
