#!/usr/bin/python3
# An independent writer of the model file format (docs/model-format.md),
# written from the description, not from kernels/ml/emo-model.c: makes the
# version 2 seed tests/fuzz/corpus/model/stream.emo (an MLP that asks for
# per-stream normalisation) that tests/unit/test-ml-model.c loads.
#
#   write-model-seed.py OUT.emo
import struct
import sys
import zlib


def s(text):
    b = text.encode()
    return struct.pack("<I", len(b)) + b


def main():
    n_in, hidden, n_out = 3, 4, 2
    p = s("seed-v1") + struct.pack("<I", n_in) + struct.pack("<f", 10.0)
    p += struct.pack("<3f", 1.0, 2.0, 3.0) + struct.pack("<3f", 0.5, 1.0, 2.0)
    p += struct.pack("<II", 1, 1) + struct.pack("<I", hidden)   # MLP, one layer
    p += struct.pack("<f", 0.25) + struct.pack("<I", n_out) + s("arousal") + s("valence")
    n_params = hidden * n_in + hidden + n_out * hidden + n_out
    p += struct.pack("<Q", n_params) + struct.pack("<%df" % n_params,
                                                   *[0.01 * ((i * 7) % 13 - 6) for i in range(n_params)])
    p += s("independent writer") + s("")
    p += struct.pack("<2f", 1.0, 0.5) + struct.pack("<2f", float("nan"), float("nan"))
    p += struct.pack("<f", 2.0) + struct.pack("<II", 0, 0) + struct.pack("<Q", 7)
    p += struct.pack("<I", 1) + struct.pack("<ff", 30.0, 120.0)     # version 2: stream
    head = b"EMOMODEL" + struct.pack("<IIII", 2, 0x01020304, len(p), zlib.crc32(p) & 0xffffffff)
    with open(sys.argv[1], "wb") as f:
        f.write(head + p)


if __name__ == "__main__":
    main()
