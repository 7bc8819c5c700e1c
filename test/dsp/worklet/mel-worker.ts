// Test worker: computes a mel spectrogram with its own DSP instance and posts the first values back.
import { parentPort } from 'node:worker_threads';
import { Dsp } from '../../../src/dsp/index.js';

const dsp = await Dsp.create();
const x = new Float32Array(4000).map((_, i) => Math.sin(i / 5));
parentPort!.postMessage(Array.from(dsp.mel(x).subarray(0, 8)));
