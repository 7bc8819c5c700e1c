/**
 * The flow model's cost per backend (onnxruntime-node CPU, onnxruntime-web wasm; 1 thread each, batch 1):
 * one streaming tick (the newest 4 mel frames = 64 ms of audio: K Euler steps + the state update, one session run)
 * of the offline model and of the live one (distilled: 2 one-row steps), and an 8 s offline clip (500 frames, 25
 * guided Euler steps at g 4.5, the paper's mode).
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sampleTimesAsync, summarize, type BenchOptions, type BenchRow, type BenchSection } from './lib.js';
import { loadFlowModel } from '../src/model/load-node.js';
import { ACTION_DIM } from '../src/model/manifest.js';
import { GaussianNoise } from '../src/model/noise.js';
import type { BackendName } from '../src/model/backend.js';
import type { FlowModel } from '../src/model/flow-model.js';
import { SHIPPED_MODEL_PATHS } from '../src/model/shipped.js';

const MANIFEST = new URL(`../${SHIPPED_MODEL_PATHS.offline}`, import.meta.url).pathname;
const LIVE_MANIFEST = new URL(`../${SHIPPED_MODEL_PATHS.live}`, import.meta.url).pathname;

/** Summary of an async call timed `reps` times after `warmup` untimed calls. */
async function timeAsync(fn: () => Promise<unknown>, reps: number, warmup: number) {
  return summarize(await sampleTimesAsync(fn, reps, warmup));
}

/** One streaming tick of `model`, timed. */
async function tickRow(model: FlowModel, backend: BackendName, rng: GaussianNoise, opts: BenchOptions): Promise<BenchRow> {
  const m = model.manifest;
  const n = m.stream.chunkFrames;
  const chunkMs = (n * m.features.hop * 1000) / m.features.sampleRate;
  const action = rng.fill(new Float32Array(n * ACTION_DIM)).map((v) => v * 0.1);
  const visual = rng.fill(new Float32Array(n * model.visualDim));
  const stream = model.createStream();
  const tick = await timeAsync(() => stream.tick(action, visual), opts.quick ? 10 : 200, opts.quick ? 3 : 20);
  const guidance = m.stream.guidanceRows === 1 ? `g ${m.sampling.fewGuidance} folded in` : `g ${m.sampling.fewGuidance}`;
  return { label: `${backend}: ${m.name} streaming tick (${n} frames = ${chunkMs} ms, ${m.stream.tickSteps} steps, ${guidance})`, stats: tick,
    values: { 'ms per 64 ms audio': (tick.medianMs * 64) / chunkMs, 'real-time factor': tick.medianMs / chunkMs } };
}

export default async function run(opts: BenchOptions): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  let desc = '';
  for (const backend of ['node', 'wasm'] as BackendName[]) {
    const model = await loadFlowModel(MANIFEST, backend, { threads: 1 });
    const m = model.manifest;
    const rng = new GaussianNoise(1);
    rows.push(await tickRow(model, backend, rng, opts));
    const live = await loadFlowModel(LIVE_MANIFEST, backend, { threads: 1 });
    rows.push(await tickRow(live, backend, rng, opts));
    await live.dispose();
    const frames = 500;
    const a8 = rng.fill(new Float32Array(frames * ACTION_DIM)).map((v) => v * 0.1);
    const v8 = rng.fill(new Float32Array(frames * model.visualDim));
    for (const steps of [m.sampling.offlineSteps, m.sampling.fewSteps]) {
      const clip = await timeAsync(() => model.generate({ actionMel: a8, visualMel: v8, steps }), opts.quick ? 1 : 5, 1);
      rows.push({ label: `${backend}: 8 s offline clip (${frames} frames, ${steps} steps, g ${m.sampling.guidance})`, stats: clip,
        values: { 'ms per 64 ms audio': (clip.medianMs * 64) / 8000, 'real-time factor': clip.medianMs / 8000 } });
    }
    const bytes = statSync(join(dirname(MANIFEST), m.files.tick)).size;
    desc = `Model ${m.name}: ${m.parameters.toLocaleString('en')} parameters, tick graph ${(bytes / 2 ** 20).toFixed(2)} MiB fp32; `
      + `1 intra-op thread, batch 1. Target (issue 5): ≤ 5 ms per 64 ms of audio on one core with onnxruntime-web wasm.`;
    await model.dispose();
  }
  return { name: 'model: flow generation per backend', description: desc, rows };
}
