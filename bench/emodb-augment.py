#!/usr/bin/python3
# Augmented copies of EmoDB for bench/emodb-augment.sh. One process per
# condition, not per file: the utterances are laid end to end with a second
# of silence between them, the effect (sox) or codec (a GStreamer encoder
# and its decoder) runs once over the whole, and the result is cut back into
# utterances at the scaled offsets. The silence keeps reverberation tails
# and codec frames from leaking into the next utterance. Additive noise is
# mixed here, per utterance, at the utterance's own speech-to-noise ratio,
# seeded by the utterance name and condition (the same audio every run).
#
#   emodb-augment.py WAV_DIR OUT_DIR CONDITION
import os
import subprocess
import sys
import tempfile
import wave
import zlib

import numpy as np

RATE = 22050  # EmoDB's; checked on reading
GAP = RATE  # one second of silence between utterances

SOX = {
    "speed0.9": ["speed", "0.9", "rate", str(RATE)],
    "speed1.1": ["speed", "1.1", "rate", str(RATE)],
    "pitch-2": ["pitch", "-200"],
    "pitch+2": ["pitch", "200"],
    "reverb": ["reverb", "50", "50", "60", "100", "10", "gain", "-n", "-1"],
    "hall": ["speed", "0.95", "rate", str(RATE), "reverb", "90", "30", "100", "100", "60", "2", "gain", "-n", "-1"],
    "gain-15": ["gain", "-15"],
    "gain+6": ["gain", "-l", "6"],
    "tel": ["sinc", "300-3400", "rate", "8000", "rate", str(RATE)],
    "small": ["highpass", "400", "lowpass", "6000", "gain", "-25"],
}
SPEED = {"speed0.9": 0.9, "speed1.1": 1.1, "hall": 0.95}
CODEC = {
    "mp3": "lamemp3enc target=bitrate bitrate=32 cbr=true ! mpegaudioparse ! mpg123audiodec",
    "opus": "audioresample ! audio/x-raw,rate=48000 ! opusenc bitrate=12000 ! opusdec",
    "amr": "audioresample ! audio/x-raw,rate=8000 ! amrnbenc band-mode=MR122 ! amrnbdec",
    "mulaw": "audioresample ! audio/x-raw,rate=8000 ! mulawenc ! mulawdec",
}
NOISE = {"white20": ("white", 20.0), "pink10": ("pink", 10.0), "brown5": ("brown", 5.0)}
# an isolated clip as other corpora cut them: 0.8 s before and 0.5 s after
# the speech, with a room's noise floor 45 dB below the speech throughout
PADDED = (0.8, 0.5, 45.0)


def read(path):
    with wave.open(path, "rb") as r:
        if r.getframerate() != RATE or r.getnchannels() != 1 or r.getsampwidth() != 2:
            raise ValueError("%s: expected %d Hz mono 16-bit" % (path, RATE))
        return np.frombuffer(r.readframes(r.getnframes()), dtype="<i2").astype(float)


def write(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes())


def coloured(n, colour, rng):
    w = rng.standard_normal(n)
    if colour == "white":
        return w
    spec = np.fft.rfft(w)
    f = np.arange(len(spec), dtype=float)
    f[0] = 1.0
    spec /= np.sqrt(f) if colour == "pink" else f
    return np.fft.irfft(spec, n)


def add_noise(x, name, cond):
    colour, snr = NOISE[cond]
    rng = np.random.default_rng(zlib.crc32(("%s %s" % (name, cond)).encode()))
    n = coloured(len(x), colour, rng)
    y = x + n * np.sqrt(np.mean(x ** 2) / (np.mean(n ** 2) * 10 ** (snr / 10.0)))
    peak = np.max(np.abs(y))
    return y * (32767 / peak) if peak > 32767 else y  # unclipped, SNR kept


def main():
    wavdir, out, cond = sys.argv[1:4]
    names = sorted(f for f in os.listdir(wavdir) if f.endswith(".wav"))
    xs = [read(os.path.join(wavdir, f)) for f in names]
    os.makedirs(out, exist_ok=True)
    if cond == "padded":
        for f, x in zip(names, xs):
            y = np.concatenate([np.zeros(int(PADDED[0] * RATE)), x, np.zeros(int(PADDED[1] * RATE))])
            rng = np.random.default_rng(zlib.crc32(("%s %s" % (f, cond)).encode()))
            n = rng.standard_normal(len(y))
            write(os.path.join(out, f), y + n * np.sqrt(np.mean(x ** 2) / 10 ** (PADDED[2] / 10.0)))
        return 0
    if cond in NOISE:
        for f, x in zip(names, xs):
            write(os.path.join(out, f), add_noise(x, f, cond))
        return 0
    if cond not in SOX and cond not in CODEC:
        sys.stderr.write("emodb-augment: unknown condition %s\n" % cond)
        return 2
    starts, pos = [], GAP
    for x in xs:
        starts.append(pos)
        pos += len(x) + GAP
    whole = np.zeros(pos)
    for s, x in zip(starts, xs):
        whole[s:s + len(x)] = x
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        write(src, whole)
        if cond in SOX:
            subprocess.run(["sox", "-V1", src, dst] + SOX[cond], check=True)
        else:
            subprocess.run("gst-launch-1.0 -q filesrc location=%s ! wavparse ! audioconvert ! %s ! "
                           "audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=%d,channels=1 ! "
                           "wavenc ! filesink location=%s" % (src, CODEC[cond], RATE, dst), shell=True, check=True)
        y = read(dst)
    f = SPEED.get(cond, 1.0)
    for name, s, x in zip(names, starts, xs):
        a, b = int(round(s / f)), int(round((s + len(x)) / f))
        write(os.path.join(out, name), y[a:min(b, len(y))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
