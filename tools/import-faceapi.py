#!/usr/bin/python3
# gst-emo — imports the pretrained face networks of the npm package
# @vladmandic/face-api 1.7.15 (an MIT-licensed fork of face-api.js 0.22.2)
# into our own weights format (docs/face-nets.md): tiny_face_detector,
# face_landmark_68 and face_expression.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: /usr/bin/python3 tools/import-faceapi.py [OUTDIR]   (default models/face)
#
# The packages are fetched with `npm pack` into a scratch folder outside the
# repository; every file used is checked against the SHA-256 written below so
# that a changed upstream file can never slip in unnoticed. The weights are
# data (tensor values), not code: we keep the values, dequantised to float32
# exactly as tfjs does (q * scale + min), and write them with the tensor names
# and shapes of the manifest. The MIT notices of both projects are copied
# beside the converted files.
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

FORK = ('@vladmandic/face-api', '1.7.15')
ORIGINAL = ('face-api.js', '0.22.2')

# package-relative path -> SHA-256 of the file as published
SHA256 = {
    'model/tiny_face_detector_model-weights_manifest.json':
    '5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5',
    'model/tiny_face_detector_model.bin':
    'b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871',
    'model/face_landmark_68_model-weights_manifest.json':
    'ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9',
    'model/face_landmark_68_model.bin':
    '4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b',
    'model/face_expression_model-weights_manifest.json':
    '5b349c17c7836da506e03422cd6461c74085d8bb2713ad4114647dc5d28174c8',
    'model/face_expression_model.bin':
    '9a9840f2cf1f4c7eab95f197512569345c00d2426754d4608b92af30e0300f3d',
    'LICENSE':
    '9a3442b79acaf4fbc7c2e07b7e2d8f84af9bb3871bf08a69d80304ab00640e9a',
}
SHA256_ORIGINAL = {
    'LICENSE':
    'a75d0c9ddf275d6e25f1e449cc8f8dfa8dab7756cc0e8a360dfedc9c7784d0a5',
}

NETS = ['tiny_face_detector', 'face_landmark_68', 'face_expression']

MAGIC = b'EMOFACEN'
VERSION = 1
BOM = 0x01020304


def fail(msg):
    sys.exit('import-faceapi: ' + msg)


def npm_pack(name, version, scratch):
    """Fetches and unpacks one npm package; returns its folder."""
    dest = os.path.join(scratch, name.replace('/', '+'))
    os.makedirs(dest)
    out = subprocess.run(['npm', 'pack', '--silent', '%s@%s' % (name, version)],
                         cwd=dest, capture_output=True, text=True)
    if out.returncode != 0:
        fail('npm pack %s@%s failed:\n%s' % (name, version, out.stderr))
    tgz = [f for f in os.listdir(dest) if f.endswith('.tgz')]
    if len(tgz) != 1:
        fail('npm pack %s@%s gave no tarball' % (name, version))
    subprocess.run(['tar', 'xzf', tgz[0]], cwd=dest, check=True)
    return os.path.join(dest, 'package')


def checked_read(root, rel, table):
    path = os.path.join(root, rel)
    with open(path, 'rb') as f:
        data = f.read()
    got = hashlib.sha256(data).hexdigest()
    if got != table[rel]:
        fail('%s: SHA-256 %s, expected %s' % (rel, got, table[rel]))
    return data


def dequantise(raw, off, spec):
    """One tensor of a tfjs weights manifest as float32, as tfjs decodes it."""
    n = int(np.prod(spec['shape'])) if spec['shape'] else 1
    q = spec.get('quantization')
    if spec['dtype'] != 'float32':
        fail('%s: dtype %s not handled' % (spec['name'], spec['dtype']))
    if q is None:
        vals = np.frombuffer(raw, '<f4', n, off)
        return vals.astype(np.float32), off + 4 * n
    if q['dtype'] != 'uint8':
        fail('%s: quantisation %s not handled' % (spec['name'], q['dtype']))
    u = np.frombuffer(raw, np.uint8, n, off)
    # tfjs: values[i] = v * scale + min in double, stored in a Float32Array
    vals = (u.astype(np.float64) * q['scale'] + q['min']).astype(np.float32)
    return vals, off + n


def string(s):
    b = s.encode('utf-8')
    return struct.pack('<I', len(b)) + b


def convert(pkg, net):
    manifest = json.loads(checked_read(
        pkg, 'model/%s_model-weights_manifest.json' % net, SHA256))
    if len(manifest) != 1 or manifest[0]['paths'] != ['%s_model.bin' % net]:
        fail('%s: unexpected manifest layout' % net)
    raw = checked_read(pkg, 'model/%s_model.bin' % net, SHA256)
    tensors, off = [], 0
    for spec in manifest[0]['weights']:
        vals, off = dequantise(raw, off, spec)
        if not np.all(np.isfinite(vals)):
            fail('%s: non-finite values' % spec['name'])
        tensors.append((spec['name'], spec['shape'], vals))
    if off != len(raw):
        fail('%s: manifest covers %d of %d bytes' % (net, off, len(raw)))
    source = '%s %s model/%s_model.bin sha256 %s' % (
        FORK[0], FORK[1], net, SHA256['model/%s_model.bin' % net])
    payload = string(net) + string(source) + struct.pack('<I', len(tensors))
    for name, shape, _ in tensors:
        payload += string(name) + struct.pack('<I', len(shape))
        payload += struct.pack('<%dI' % len(shape), *shape)
    for _, _, vals in tensors:
        payload += vals.astype('<f4').tobytes()
    header = MAGIC + struct.pack('<IIII', VERSION, BOM, len(payload),
                                 zlib.crc32(payload) & 0xffffffff)
    return header + payload, tensors


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'models', 'face')
    os.makedirs(outdir, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix='emo-faceapi-')
    try:
        pkg = npm_pack(FORK[0], FORK[1], scratch)
        orig = npm_pack(ORIGINAL[0], ORIGINAL[1], scratch)
        for net in NETS:
            blob, tensors = convert(pkg, net)
            path = os.path.join(outdir, net + '.emofn')
            with open(path, 'wb') as f:
                f.write(blob)
            print('%s: %d tensors, %d parameters, %d bytes' % (
                path, len(tensors), sum(t[2].size for t in tensors), len(blob)))
        with open(os.path.join(outdir, 'LICENSE.face-api.js'), 'wb') as f:
            f.write(checked_read(orig, 'LICENSE', SHA256_ORIGINAL))
        with open(os.path.join(outdir, 'LICENSE.vladmandic-face-api'), 'wb') as f:
            f.write(checked_read(pkg, 'LICENSE', SHA256))
    finally:
        shutil.rmtree(scratch)


if __name__ == '__main__':
    main()
