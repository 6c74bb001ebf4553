// gst-emo — time per call of face-api.js's own networks (the reference for
// bench/facenet-speed.sh): the same raw RGB images as our C bench, the tfjs
// WebAssembly backend, best of N calls after two warm-up calls, wall clock
// and this process's CPU time (user + system; the wasm backend may use
// helper threads).
//   node facenet-speed.js DUMP_DIR MODEL_DIR N NAME...
// prints: NAME NET ms_best_wall ms_best_cpu
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

function image(dir, name) {
  for (const line of fs.readFileSync(path.join(dir, 'cases.txt'), 'utf8').trim().split('\n')) {
    const [n, w, h, file] = line.split(' ');
    if (n === name) {
      const bytes = fs.readFileSync(path.join(dir, file));
      return tf.tensor3d(new Int32Array(bytes), [Number(h), Number(w), 3], 'int32');
    }
  }
  throw new Error(`no image ${name}`);
}

async function time(n, fn) {
  let wall = Infinity;
  let cpu = Infinity;
  await fn();
  await fn();
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e3);
  }
  return [wall, cpu];
}

async function main() {
  const [dir, models, nStr, ...names] = process.argv.slice(2);
  const n = Number(nStr);
  await tf.setBackend('wasm');
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceExpressionNet.loadFromDisk(models);
  for (const name of names) {
    const img = image(dir, name);
    const nets = {
      'detector-320': () => faceapi.nets.tinyFaceDetector.locateFaces(img,
        new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.5 })),
      'detector-416': () => faceapi.nets.tinyFaceDetector.locateFaces(img,
        new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 })),
      // the whole image as the face crop, as the C bench does
      landmarks: () => faceapi.nets.faceLandmark68Net.detectLandmarks(img),
      expression: () => faceapi.nets.faceExpressionNet.predictExpressions(img),
    };
    for (const [net, fn] of Object.entries(nets)) {
      const [wall, cpu] = await time(n, fn);
      console.log(`${name} ${net} ${wall.toFixed(3)} ${cpu.toFixed(3)}`);
    }
    img.dispose();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
