/**
 * Motion-to-sound latency of the browser runtime itself (bench/browser/runtime-latency.ts): the flow model on
 * onnxruntime-web's wasm EP in the sampler Worker, and the procedural baseline, each over ≥ 200 taps in real time
 * (--quick: 20). Targets (issue 6): p50 ≤ 15 ms, p95 ≤ 25 ms, real-time factor ≥ 10 on one core.
 */
import { existsSync } from 'node:fs';
import { chromiumAvailable } from '../test/rig/chromium.js';
import { runtimeLatencyRows, type RuntimeLatencyCase } from './browser/runtime-latency.js';
import type { BenchOptions, BenchSection } from './lib.js';

const NAME = 'Browser: motion-to-sound latency of the runtime (headless Chromium, real time)';

export default async function run(opts: BenchOptions): Promise<BenchSection> {
  if (!chromiumAvailable()) return { name: NAME, description: 'Skipped: no Chromium.', rows: [{ label: 'skipped', values: { reason: 'no chromium' } }] };
  const contacts = opts.quick ? 20 : 200;
  const cases: RuntimeLatencyCase[] = [];
  if (existsSync(new URL('../models/hh-flow-s-live-d2.json', import.meta.url))) {
    cases.push({ label: 'model (hh-flow-s-live-d2: 2 steps, guidance folded in) + onset backstop, wasm EP (1 thread), output chain', contacts, config: { backend: 'wasm', model: 'distilled', allowProceduralFallback: false } });
    cases.push({ label: 'model (hh-flow-s-live-d2) alone, wasm EP (1 thread), output chain', contacts, config: { backend: 'wasm', model: 'distilled', allowProceduralFallback: false, onsetBackstop: false } });
    // The output chain's voices are the spherical-head binaural panner by default; with Chromium's HRTF panners instead.
    if (!opts.quick) cases.push({ label: "model (hh-flow-s-live-d2) + onset backstop with Chromium's HRTF panners", contacts: 200, config: { backend: 'wasm', model: 'distilled', allowProceduralFallback: false, panningModel: 'HRTF' } });
  }
  if (existsSync(new URL('../models/hh-flow-s-live.json', import.meta.url))) {
    cases.push({ label: 'model (hh-flow-s-live) + onset backstop, wasm EP (1 thread), output chain', contacts, config: { backend: 'wasm', model: 'shipped-live', allowProceduralFallback: false } });
    cases.push({ label: 'model (hh-flow-s-live) alone, wasm EP (1 thread), output chain', contacts, config: { backend: 'wasm', model: 'shipped-live', allowProceduralFallback: false, onsetBackstop: false } });
  }
  // The offline model live, beside the live default: trained on true future frames, so it leaves live taps silent and
  // plays only with the backstop, whose strikes are what its EVAL.md live row mostly scores (models/README.md).
  if (existsSync(new URL('../models/hh-flow-s.json', import.meta.url))) {
    cases.push({ label: 'model (hh-flow-s: the offline model, 4 steps at its few-step guidance) + onset backstop, wasm EP (1 thread), output chain', contacts, config: { backend: 'wasm', model: 'shipped', allowProceduralFallback: false } });
  }
  cases.push({ label: 'procedural, output chain', contacts, config: { backend: 'procedural' } });
  if (!opts.quick) cases.push({ label: 'procedural, output chain bypassed', contacts: 100, config: { backend: 'procedural', output: false } });
  // What the panners cost: the same chain with Chromium's HRTF panners, and with equal-power ones (no binaural cues).
  if (!opts.quick) cases.push({ label: "procedural with Chromium's HRTF panners", contacts: 100, config: { backend: 'procedural', panningModel: 'HRTF' } });
  if (!opts.quick) cases.push({ label: 'procedural with equal-power panners', contacts: 100, config: { backend: 'procedural', panningModel: 'equalpower' } });
  // HH_BENCH_CASES=a,b: only the cases whose label contains one of these (e.g. to rerun one case after a change).
  const only = process.env['HH_BENCH_CASES']?.split(',').map((x) => x.trim()).filter(Boolean);
  if (only?.length) cases.splice(0, cases.length, ...cases.filter((c) => only.some((o) => c.label.includes(o))));
  const { rows, notes } = await runtimeLatencyRows(cases);
  return {
    name: NAME,
    description: 'HearingHands in headless Chromium (HandRing → sampler Worker → ChunkRing → playback AudioWorklet → Tone output chain), ' +
      'captured by a recorder worklet after it; a tapping hand at 90 Hz in real time, contacts 0.45 s apart. Latency: the hand frame that ' +
      'first shows a contact → the first onset of its sound in the captured output (pipeline only). Per-stage times are the sampler ' +
      `Worker's; real-time factor = audio generated / (conditioning + model + vocoder) time. Targets: p50 ≤ 15 ms, p95 ≤ 25 ms, RTF ≥ 10. ${notes.join('; ')}.`,
    rows,
  };
}
