/**
 * The procedural backend (src/sim/procedural-backend.ts) as the runtime would drive it: 90 Hz hand frames,
 * 128-sample render blocks at 16 kHz, on one core. Target (issue 4): 1 s of audio in ≤ 5 ms.
 * Also the offline simulator's cost per 8 s item (sound only, and with views/features), which sets the
 * dataset generation rate.
 */
import type { BenchOptions, BenchSection } from './lib.js';
import { summarize } from './lib.js';
import { ProceduralBackend } from '../src/sim/procedural-backend.js';
import { HandMotion, planAction, type ActionName } from '../src/sim/actions.js';
import { renderContactAudio } from '../src/sim/render.js';
import { captureItem, videoCameras } from '../src/sim/capture.js';
import { generateScene } from '../src/sim/scene.js';
import { Rng } from '../src/sim/rng.js';

const FS = 16000, FPS = 90, BLOCK = 128;

/** Precomputed 90 Hz frames (126 floats + validity) of one action, so only the backend is timed. */
function framesFor(action: ActionName | 'idle', seconds: number) {
  const scene = generateScene(5, 0);
  const surface = scene.surfaces[0]!;
  const plan = planAction(Rng.derive(5, action), action === 'idle' ? 'tap' : action, surface, seconds);
  const motions = plan.hands.map((h) => (h.present ? new HandMotion(action === 'idle' ? { ...h, strokes: [], restH: 0.1 } : h, surface) : null));
  const n = Math.floor(seconds * FPS);
  const kp = new Float64Array(63);
  const frames = Array.from({ length: n }, (_, f) => {
    const keypointsM = new Float32Array(126), valid = new Uint8Array(2);
    motions.forEach((m, h) => { if (m) { m.keypointsAt(f / FPS, kp); keypointsM.set(kp, h * 63); valid[h] = 1; } });
    return { timeSec: f / FPS, keypointsM, valid };
  });
  return { scene, frames };
}

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  const seconds = opts.quick ? 2 : 8;
  const rows: BenchSection['rows'] = [];
  for (const action of ['idle', 'tap', 'knock', 'hit', 'scratch', 'rub'] as const) {
    const { scene, frames } = framesFor(action, seconds);
    const block = new Float32Array(BLOCK);
    const reps = opts.quick ? 2 : 6;
    const perSecondMs: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      const backend = new ProceduralBackend({ scene });
      let next = 0;
      const t0 = performance.now();
      for (let start = 0; start < seconds * FS; start += BLOCK) {
        const end = (start + BLOCK) / FS;
        while (next < frames.length && frames[next]!.timeSec <= end) backend.pushFrame(frames[next++]!);
        backend.render(block);
      }
      if (r > 0) perSecondMs.push((performance.now() - t0) / seconds); // first run warms the JIT
    }
    const s = summarize(perSecondMs);
    rows.push({ label: `${action} (scene with room, 90 Hz frames, 128-sample blocks)`, stats: s,
      values: { 'ms per 1 s audio (median)': s.medianMs, 'real-time factor': 1000 / s.medianMs, 'target ms': 5 } });
  }

  const offline: BenchSection['rows'] = [];
  const scene = generateScene(9, 0);
  const itemReps = opts.quick ? 1 : 4;
  for (const action of ['tap', 'scratch', 'hit'] as const) {
    const soundMs: number[] = [], fullMs: number[] = [];
    for (let r = 0; r < itemReps + 1; r++) {
      const plan = planAction(Rng.derive(r, action), action, scene.surfaces[0]!, 8);
      const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null));
      let t0 = performance.now();
      renderContactAudio(scene, motions, 8, { seed: r });
      const a = performance.now() - t0;
      t0 = performance.now();
      captureItem({ scene, surfaceIndex: 0, action, durationSec: 8, seed: r, cameras: videoCameras(scene, 0, r) });
      const b = performance.now() - t0;
      if (r > 0) { soundMs.push(a); fullMs.push(b); }
    }
    offline.push({ label: `${action}: 8 s sound (kinematics + 1 kHz contact + synthesis + room)`, stats: summarize(soundMs) });
    offline.push({ label: `${action}: 8 s item with 3 views × 32 global+local renders and features`, stats: summarize(fullMs) });
  }
  return [
    { name: 'Procedural backend (streaming, one core)', description: 'Time to render 1 s of 16 kHz audio from live hand frames; target ≤ 5 ms.', rows },
    { name: 'Simulated capture (offline, one core)', description: 'Cost of one 8 s item; `simulate` adds mel, files and 2 workers.', rows: offline },
  ];
}
