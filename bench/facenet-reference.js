// gst-emo — reference outputs of the face networks from face-api.js's own
// JavaScript (@vladmandic/face-api 1.7.15, dist/face-api.node-wasm.js, the
// tfjs WebAssembly backend), for the images that the C test dumps as raw RGB.
// Run by bench/facenet-reference.sh (needs npm); never at run time.
//
// node facenet-reference.js DUMP_DIR MODEL_DIR OUT_OPENCV OUT_FER2013
// Output lines: `case NAME W H`, `det SIZE x y w h score` (score > 0.3),
// `face x y w h` (the box given to the face nets: the whole image, then the
// best three detections at 416), then `lm` (68 x, y in image pixels), `ex`
// (7 probabilities), `emb` (the 256 pooled values) or `noface`.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const EXPR = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'];
const fmt = (v) => Number(v).toPrecision(9);

async function faceLines(img, W, H, box) {
  const out = [`face ${[box.x, box.y, box.width, box.height].map(fmt).join(' ')}`];
  const rect = new faceapi.Rect(box.x, box.y, box.width, box.height);
  const crops = await faceapi.extractFaceTensors(img, [rect]);
  if (crops.length === 0) {
    out.push('noface');
    return out;
  }
  const crop = crops[0];
  // the points are relative to the crop the net saw: shift by its origin
  const origin = rect.clipAtImageBorders(W, H);
  const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop);
  out.push('lm ' + lm.positions.map((p) => `${fmt(p.x + origin.x)} ${fmt(p.y + origin.y)}`).join(' '));
  const ex = await faceapi.nets.faceExpressionNet.predictExpressions(crop);
  out.push('ex ' + EXPR.map((k) => fmt(ex[k])).join(' '));
  const emb = await faceapi.nets.faceExpressionNet.faceFeatureExtractor.forward(crop);
  out.push('emb ' + Array.from(await emb.data()).map(fmt).join(' '));
  emb.dispose();
  crop.dispose();
  return out;
}

async function caseLines(dir, name, W, H, file) {
  const bytes = fs.readFileSync(path.join(dir, file));
  const img = tf.tensor3d(new Int32Array(bytes), [H, W, 3], 'int32');
  const out = [`case ${name} ${W} ${H}`];
  let best = [];
  for (const size of [416, 320]) {
    const dets = await faceapi.nets.tinyFaceDetector.locateFaces(img,
      new faceapi.TinyFaceDetectorOptions({ inputSize: size, scoreThreshold: 0.3 }));
    for (const d of dets.slice(0, 16)) {
      out.push(`det ${size} ${[d.box.x, d.box.y, d.box.width, d.box.height, d.score].map(fmt).join(' ')}`);
    }
    if (size === 416) best = dets.slice(0, 3);
  }
  const boxes = [{ x: 0, y: 0, width: W, height: H }].concat(best.map((d) => d.box));
  for (const b of boxes) out.push(...await faceLines(img, W, H, b));
  img.dispose();
  return out;
}

async function main() {
  const [dir, models, outOpencv, outFer] = process.argv.slice(2);
  await tf.setBackend('wasm');
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceExpressionNet.loadFromDisk(models);
  const head = [`# face-api.js ${faceapi.version}, tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`,
    '# written by bench/facenet-reference.sh; checked by tests/unit/test-vision-facenet.c'];
  const opencv = [...head];
  const fer = [...head];
  const cases = fs.readFileSync(path.join(dir, 'cases.txt'), 'utf8').trim().split('\n');
  for (const line of cases) {
    const [name, w, h, file] = line.split(' ');
    const lines = await caseLines(dir, name, Number(w), Number(h), file);
    (name.startsWith('fer2013/') ? fer : opencv).push(...lines);
  }
  fs.writeFileSync(outOpencv, opencv.join('\n') + '\n');
  if (outFer && fer.length > head.length) fs.writeFileSync(outFer, fer.join('\n') + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
