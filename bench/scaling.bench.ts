/**
 * How the flow model's cost grows (onnxruntime-node, 1 thread, batch 1 — the model bench has per-backend
 * absolute costs; this one has the shapes):
 * - window length: one guided velocity evaluation (offline step graph) over 32…500 frames (0.5…8 s);
 * - steps: an offline 2 s window with 1…25 Euler steps (the paper's mode is 25);
 * - concurrent voices: N chunk-causal streams each ticking once per 64 ms period, on one core.
 *   A stream carries both hands in its conditioning (absent hand = zeros), so the number of hands changes no
 *   tensor shape and costs nothing; what scales with hands in a scene is the number of sounding voices.
 * Plus side-by-side ratios from interleaved runs: few-step/25-step, ort-web wasm/ort-node, int8/fp32.
 */
import { existsSync } from 'node:fs';
import { compareAsync, sampleTimesAsync, summarize, type BenchOptions, type BenchRow, type BenchSection } from './lib.js';
import { loadFlowModel } from '../src/model/load-node.js';
import { ACTION_DIM } from '../src/model/manifest.js';
import { GaussianNoise } from '../src/model/noise.js';
import type { FlowModel } from '../src/model/flow-model.js';

const MANIFEST = new URL('../models/hh-flow-s.json', import.meta.url).pathname;

function conditioning(model: FlowModel, frames: number, seed = 1) {
  const rng = new GaussianNoise(seed);
  return {
    actionMel: rng.fill(new Float32Array(frames * ACTION_DIM)).map((v) => v * 0.1),
    visualMel: rng.fill(new Float32Array(frames * model.visualDim)),
  };
}

async function windowLength(model: FlowModel, quick: boolean): Promise<BenchRow[]> {
  const hopMs = (model.manifest.features.hop * 1000) / model.manifest.features.sampleRate;
  const rows: BenchRow[] = [];
  for (const frames of quick ? [32, 125] : [32, 64, 125, 250, 500]) {
    const c = conditioning(model, frames);
    const samples = await sampleTimesAsync(() => model.generate({ ...c, steps: 1 }), quick ? 3 : 30, quick ? 1 : 3);
    const s = summarize(samples);
    rows.push({ label: `1 guided step, ${frames} frames (${(frames * hopMs / 1000).toFixed(2)} s)`, stats: s, samplesMs: samples,
      values: { frames, 'µs per frame': (1000 * s.medianMs) / frames } });
  }
  return rows;
}

async function steps(model: FlowModel, quick: boolean): Promise<BenchRow[]> {
  const frames = 125;
  const c = conditioning(model, frames);
  const rows: BenchRow[] = [];
  for (const k of quick ? [1, 4] : [1, 2, 4, 8, 16, 25]) {
    const samples = await sampleTimesAsync(() => model.generate({ ...c, steps: k }), quick ? 2 : 10, 1);
    const s = summarize(samples);
    rows.push({ label: `2 s window, ${k} step${k > 1 ? 's' : ''}`, stats: s, values: { steps: k, 'ms per step': s.medianMs / k, 'real-time factor': s.medianMs / 2000 } });
  }
  return rows;
}

async function voices(model: FlowModel, quick: boolean): Promise<BenchRow[]> {
  const m = model.manifest;
  const n = m.stream.chunkFrames;
  const chunkMs = (n * m.features.hop * 1000) / m.features.sampleRate;
  const c = conditioning(model, n);
  const rows: BenchRow[] = [];
  for (const count of quick ? [1, 2] : [1, 2, 4, 8]) {
    const streams = Array.from({ length: count }, (_, i) => model.createStream({ seed: i + 1 }));
    const samples = await sampleTimesAsync(async () => { for (const s of streams) await s.tick(c.actionMel, c.visualMel); }, quick ? 5 : 100, quick ? 2 : 10);
    const s = summarize(samples);
    rows.push({ label: `${count} voice${count > 1 ? 's' : ''}: one tick each per ${chunkMs} ms`, stats: s, samplesMs: samples,
      values: { voices: count, 'real-time factor': s.medianMs / chunkMs, 'ms per voice': s.medianMs / count } });
  }
  return rows;
}

async function ratios(node: FlowModel, quick: boolean): Promise<BenchRow[]> {
  const m = node.manifest;
  const rows: BenchRow[] = [];
  const frames = 125;
  const c = conditioning(node, frames);
  const few = await compareAsync(() => node.generate({ ...c, steps: m.sampling.fewSteps }), () => node.generate({ ...c, steps: m.sampling.offlineSteps }), quick ? 2 : 10, 1);
  rows.push({ label: `ort-node: 2 s window, ${m.sampling.fewSteps} steps`, stats: few.a, values: { [`${m.sampling.fewSteps}-step / ${m.sampling.offlineSteps}-step`]: few.ratio } });
  rows.push({ label: `ort-node: 2 s window, ${m.sampling.offlineSteps} steps`, stats: few.b });

  const wasm = await loadFlowModel(MANIFEST, 'wasm', { threads: 1 });
  try {
    const n = m.stream.chunkFrames;
    const t = conditioning(node, n);
    const sw = wasm.createStream(), sn = node.createStream();
    const tick = await compareAsync(() => sw.tick(t.actionMel, t.visualMel), () => sn.tick(t.actionMel, t.visualMel), quick ? 5 : 100, quick ? 2 : 10);
    rows.push({ label: 'streaming tick, ort-web wasm (Node, 1 thread)', stats: tick.a, samplesMs: tick.samplesA, values: { 'wasm / node': tick.ratio } });
    rows.push({ label: 'streaming tick, ort-node (1 thread)', stats: tick.b, samplesMs: tick.samplesB });
  } finally {
    await wasm.dispose();
  }
  const int8 = MANIFEST.replace(/\.json$/, '.int8.json');
  rows.push({ label: 'int8 / fp32', values: { result: existsSync(int8) ? 'an int8 manifest exists but is not benched yet' : 'not measured: models/ ships the fp32 model only' } });
  return rows;
}

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  if (!existsSync(MANIFEST)) return [{ name: 'Scaling', description: 'Skipped: models/hh-flow-s.json absent.', rows: [{ label: 'skipped', values: { reason: 'no model' } }] }];
  const model = await loadFlowModel(MANIFEST, 'node', { threads: 1 });
  try {
    const name = `${model.manifest.name} (${model.manifest.parameters.toLocaleString('en')} parameters)`;
    return [
      { name: 'Scaling: model cost vs window length', description: `${name}, ort-node, 1 thread, batch 1: one guided step (conditional + unconditional rows in one batch) over the whole window. Cost per frame should stay flat (the network is convolutional).`, rows: await windowLength(model, opts.quick), xKey: 'frames' },
      { name: 'Scaling: model cost vs Euler steps', description: `${name}, ort-node, 1 thread: offline sampling of a 2 s window (125 frames) at guidance ${model.manifest.sampling.guidance}; one session run per step, so cost should be linear in steps.`, rows: await steps(model, opts.quick), xKey: 'steps' },
      { name: 'Scaling: concurrent voices (streaming ticks)', description: `${name}, ort-node, 1 thread: N independent streams each ticked once per 64 ms period, one after another on one core. Real-time factor = time for all N ticks / 64 ms; below 1 keeps up. Hands: a stream carries both hands, so hand count does not change the cost.`, rows: await voices(model, opts.quick), xKey: 'voices' },
      { name: 'Ratios: side by side in one run', description: 'Interleaved runs (alternating order), so machine noise hits both candidates alike; the ratio is of medians. WASM/JS for the DSP kernels is in the DSP section.', rows: await ratios(model, opts.quick) },
    ];
  } finally {
    await model.dispose();
  }
}
