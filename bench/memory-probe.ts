/**
 * One memory case in a fresh process, so that its peak RSS is its own (bench/memory.bench.ts spawns this):
 * `node --import tsx bench/memory-probe.ts <case> [quick]`; prints one JSON line of MiB figures.
 * Cases: baseline (Node + tsx only), dsp (DSP core: 8 s log-mel, Griffin-Lim, streaming vocoder, resampler),
 * model-node / model-wasm (the flow model in onnxruntime-node / -web: stream ticks and an offline 8 s clip).
 */
import { dspHeapBytes } from './wasm-heap.js';

const MiB = 2 ** 20;
const which = process.argv[2] ?? 'baseline';
const quick = process.argv[3] === 'quick';
const extra: Record<string, number> = {};

if (which === 'dsp') {
  const { Dsp } = await import('../src/dsp/index.js');
  const dsp = await Dsp.create();
  extra.dspHeapAfterCreateMiB = dspHeapBytes(dsp) / MiB;
  const x = new Float32Array(16000 * 8).map((_, i) => Math.sin(i * 0.05) * 0.3);
  const mag = dsp.magnitude(x);
  dsp.mel(x);
  dsp.griffinLim(mag, mag.length / dsp.bins, { iterations: quick ? 2 : 32 });
  const sgl = dsp.createStreamingGriffinLim({ maxChunkFrames: 4 });
  for (let f = 0; f + 4 <= 64; f += 4) sgl.push(mag.subarray(f * dsp.bins, (f + 4) * dsp.bins));
  dsp.resample(x, 16000, 48000);
  extra.dspHeapAfter8sMiB = dspHeapBytes(dsp) / MiB;
} else if (which === 'model-node' || which === 'model-wasm') {
  const { loadFlowModel } = await import('../src/model/load-node.js');
  const { ACTION_DIM } = await import('../src/model/manifest.js');
  const model = await loadFlowModel(new URL('../models/hh-flow-s.json', import.meta.url).pathname, which === 'model-node' ? 'node' : 'wasm', { threads: 1 });
  const n = model.manifest.stream.chunkFrames;
  const stream = model.createStream();
  const a = new Float32Array(n * ACTION_DIM), v = new Float32Array(n * model.visualDim);
  for (let i = 0; i < (quick ? 5 : 50); i++) await stream.tick(a, v);
  const frames = quick ? 64 : 500;
  await model.generate({ actionMel: new Float32Array(frames * ACTION_DIM), visualMel: new Float32Array(frames * model.visualDim), steps: quick ? 1 : model.manifest.sampling.fewSteps });
  await model.dispose();
} else if (which !== 'baseline') {
  throw new Error(`unknown memory case '${which}'`);
}

const m = process.memoryUsage();
process.stdout.write(JSON.stringify({
  case: which,
  peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
  rssMiB: m.rss / MiB, heapUsedMiB: m.heapUsed / MiB, externalMiB: m.external / MiB, arrayBuffersMiB: m.arrayBuffers / MiB,
  ...extra,
}) + '\n');
process.exit(0);
