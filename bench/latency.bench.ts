/**
 * Motion-to-sound latency of the live path (DESIGN.md, "Performance targets"), replayed in simulated time with the
 * sampler's measured compute time: from the hand frame that first shows a contact to the first onset of that
 * contact in what the audio thread played (pipeline only: no tracker or device output latency). Many taps at
 * random times and speeds on several materials; per backend. Also the real-time factor and per-stage times.
 */
import { Dsp } from '../src/dsp/index.js';
import { Trajectory } from '../src/hand/trajectory.js';
import { existsSync } from 'node:fs';
import { createGenerator } from '../src/runtime/create-generator.js';
import { runSimulatedSession } from '../src/runtime/simulated-session.js';
import { impactTimes } from '../src/runtime/trajectory-scene.js';
import { singleSurfaceScene } from '../src/runtime/visual-context.js';
import { matchOnsets, percentile } from '../src/runtime/latency.js';
import { OnsetBackstop } from '../src/runtime/onset-backstop.js';
import { SHIPPED_MODEL_PATHS } from '../src/model/shipped.js';
import { tapTrajectory } from '../test/helpers/tap-trajectory.js';
import { summarize, type BenchOptions, type BenchRow, type BenchSection } from './lib.js';

const MATERIALS = ['wood', 'metal', 'glass', 'plastic', 'ceramic', 'stone'];

function randomTaps(seed: number, count: number): { traj: Trajectory; material: string } {
  let s = seed >>> 0 || 1;
  const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32; };
  const contacts: number[] = [];
  let t = 0.3;
  // Spaced so that one tap has rung out before the next (onsets are measured on the audio).
  for (let i = 0; i < count; i++) { t += 0.9 + rnd() * 0.4; contacts.push(t); }
  const traj = tapTrajectory({ contactsSec: contacts, durationSec: t + 0.4, speedMps: 0.3 + rnd() * 0.9, rateHz: rnd() < 0.5 ? 72 : 90 });
  return { traj, material: MATERIALS[seed % MATERIALS.length]! };
}

export default async function run(opts: BenchOptions): Promise<BenchSection> {
  const dsp = await Dsp.create();
  const trajectories = opts.quick ? 2 : 12;
  const perTrajectory = opts.quick ? 5 : 20;
  const rows: BenchRow[] = [];
  const modelPath = process.env['HH_BENCH_MODEL'] ?? [SHIPPED_MODEL_PATHS.live, SHIPPED_MODEL_PATHS.offline].find((p) => existsSync(p));
  // The model alone, and as the product plays it: with the onset backstop (src/runtime/onset-backstop.ts).
  const configs: { label: string; backend: 'procedural' | 'model'; tickFrames: number | undefined; backstop: boolean; speculative?: boolean }[] = [
    { label: 'procedural', backend: 'procedural', tickFrames: undefined, backstop: false },
    // As the browser sampler runs them: told where the audio thread is each step, new impacts spliced in from there.
    { label: 'procedural, spliced at the audio thread (as in the browser)', backend: 'procedural', tickFrames: undefined, backstop: false, speculative: true },
    { label: 'model alone, 4-frame ticks', backend: 'model', tickFrames: 4, backstop: false },
    { label: 'model + onset backstop, 4-frame ticks', backend: 'model', tickFrames: 4, backstop: true },
    { label: 'model + onset backstop spliced at the audio thread (as in the browser), 4-frame ticks', backend: 'model', tickFrames: 4, backstop: true, speculative: true },
    { label: 'model alone, 1-frame ticks', backend: 'model', tickFrames: 1, backstop: false },
    { label: 'model + onset backstop, 1-frame ticks', backend: 'model', tickFrames: 1, backstop: true },
  ];
  for (const { label, backend, tickFrames, backstop, speculative } of configs) {
    const fromFrame: number[] = [], fromContact: number[] = [], steps: number[] = [];
    let missed = 0, contactsTotal = 0, audioSec = 0, wallSec = 0, skipped = '';
    const stageMs = { modelMs: 0, vocoderMs: 0, conditioningMs: 0, ticks: 0 };
    const backstopped = { impacts: 0, sounded: 0, retimed: 0 };
    for (let k = 0; k < trajectories; k++) {
      const { traj, material } = randomTaps(1000 + k, perTrajectory);
      let chosen;
      try {
        chosen = await createGenerator(dsp, traj, { backend, modelPath, material, outputRate: 48000, tickFrames, backstop });
      } catch (e) { skipped = (e as Error).message; break; }
      const w0 = performance.now();
      const result = await runSimulatedSession(chosen.generator, traj, { computeSec: 'measured', speculative: speculative === true });
      wallSec += (performance.now() - w0) / 1000;
      audioSec += result.output.length / result.sampleRate;
      steps.push(...result.stepMs);
      const t = chosen.generator.timings;
      if (t) { stageMs.modelMs += t.modelMs; stageMs.vocoderMs += t.vocoderMs; stageMs.conditioningMs += t.conditioningMs; stageMs.ticks += t.ticks; }
      if (chosen.generator instanceof OnsetBackstop) {
        backstopped.impacts += chosen.generator.stats.impacts; backstopped.sounded += chosen.generator.stats.sounded;
        backstopped.retimed += chosen.generator.stats.retimed;
      }
      await chosen.generator.dispose();
      const contacts = impactTimes(traj, singleSurfaceScene(material, chosen.surface.heightM).surfaces);
      // The hand frame that first shows each contact.
      const frames = contacts.map((c) => traj.timesSec.find((t) => t >= c - 1e-9) ?? c);
      const onsets = dsp.onsets(dsp.resample(result.output, 48000, 16000));
      const m = matchOnsets(frames, onsets, 0.05, 0.2);
      missed += m.missed;
      contactsTotal += contacts.length;
      fromFrame.push(...m.lagsSec.filter((x) => !Number.isNaN(x)).map((x) => x * 1000));
      const mc = matchOnsets(contacts, onsets, 0.05, 0.2);
      fromContact.push(...mc.lagsSec.filter((x) => !Number.isNaN(x)).map((x) => x * 1000));
    }
    if (skipped || fromFrame.length === 0) {
      rows.push({ label: `${label}: not measured`, values: { reason: skipped || 'no contacts sounded' } });
      continue;
    }
    const stats = summarize(fromFrame);
    rows.push({
      label: `${label}: contact frame → sound`, stats, samplesMs: fromFrame,
      values: {
        contacts: contactsTotal, missed, 'p50 from contact instant (ms)': percentile(fromContact, 0.5),
        'real-time factor': audioSec / wallSec, 'step p95 (ms)': percentile(steps, 0.95),
        ...(backstop ? { 'impacts the backstop sounded': `${backstopped.sounded} of ${backstopped.impacts}`, 'late model onsets moved': backstopped.retimed } : {}),
        ...(stageMs.ticks ? { 'model ms/tick': stageMs.modelMs / stageMs.ticks, 'vocoder ms/tick': stageMs.vocoderMs / stageMs.ticks, 'conditioning ms/tick': stageMs.conditioningMs / stageMs.ticks } : {}),
      },
    });
  }
  return {
    name: 'Motion-to-sound latency (live path, simulated time, measured compute)',
    description: 'From the hand frame that first shows a contact to the first onset of its sound in what the audio thread ' +
      'played (the same ChunkTimeline as the AudioWorklet, 128-frame blocks at 48 kHz); taps at random times and speeds, ' +
      '72/90 Hz tracking, six materials. Targets (issue 6): p50 ≤ 15 ms, p95 ≤ 25 ms. "Missed" = no onset within 200 ms.',
    rows,
  };
}
