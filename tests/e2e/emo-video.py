#!/usr/bin/python3
"""Test helper (numpy reference, not product code): compares raw GRAY8
frames. Usage:
  emo-video.py region A.gray B.gray W H FRAME X Y RW RH  -> prints inside/outside mean |A-B|
  emo-video.py stats F.gray W H                          -> prints n_frames min max std
"""
import sys
import numpy as np

def frames(path, w, h):
    a = np.fromfile(path, dtype=np.uint8)
    n = a.size // (w * h)
    if n * w * h != a.size:
        sys.exit("%s: %d bytes is not a whole number of %dx%d frames" % (path, a.size, w, h))
    return a.reshape(n, h, w).astype(np.int16)

if sys.argv[1] == "region":
    A, B = sys.argv[2], sys.argv[3]
    w, h, k, x, y, rw, rh = map(int, sys.argv[4:11])
    fa, fb = frames(A, w, h)[k], frames(B, w, h)[k]
    d = np.abs(fa - fb)
    inside = np.zeros_like(d, dtype=bool)
    inside[y:y + rh, x:x + rw] = True
    # codec noise bleeds across 16x16 macroblocks: leave a band out
    band = np.zeros_like(inside)
    band[max(0, y - 16):y + rh + 16, max(0, x - 16):x + rw + 16] = True
    outside = ~band
    print("%.3f %.3f" % (d[inside].mean(), d[outside].mean()))
elif sys.argv[1] == "stats":
    w, h = int(sys.argv[3]), int(sys.argv[4])
    f = frames(sys.argv[2], w, h)
    print(f.shape[0], f.min(), f.max(), "%.3f" % f.std())
