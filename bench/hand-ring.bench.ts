/**
 * Hand input costs: HandRing push/pull per frame, end-to-end ring latency (producer timestamp →
 * consumer read) between two Node threads and in headless Chromium (page → Worker, and XR frame → Worker
 * through the full IWER + Babylon rig), and the per-frame cost of the other hand stages.
 */
import { Worker } from 'node:worker_threads';
import { timeIt, summarize, type BenchOptions, type BenchSection, type BenchRow } from './lib.js';
import { HandRing } from '../src/hand/hand-ring.js';
import { HandFrame } from '../src/hand/hand-frame.js';
import { HandResampler } from '../src/hand/resampler.js';
import { SceneRegistration } from '../src/hand/registration.js';
import { manoFromWebXRMatrices } from '../src/hand/remap.js';
import { chromiumAvailable } from '../test/rig/chromium.js';
import { openHandRig } from '../test/rig/hand/hand-rig.js';

const BATCH = 256;

function perFrame(label: string, fn: () => void, reps: number): BenchRow {
  const s = timeIt(fn, reps);
  return { label, stats: s, values: { 'µs/frame (median)': (1000 * s.medianMs) / BATCH, 'µs/frame (p95)': (1000 * s.p95Ms) / BATCH } };
}

function costs(quick: boolean): BenchSection {
  const reps = quick ? 20 : 400;
  const f = new HandFrame();
  f.valid[0] = f.valid[1] = 1;
  f.keypointsM.fill(0.25);
  const ring = HandRing.create({ capacityFrames: 64 });
  const out = new HandFrame();
  ring.notifyOnPush = false;
  const rows: BenchRow[] = [];
  rows.push(perFrame(`HandRing.push (no notify), batch of ${BATCH}`, () => { for (let i = 0; i < BATCH; i++) ring.push(f); }, reps));
  ring.notifyOnPush = true;
  rows.push(perFrame(`HandRing.push (+ Atomics.notify), batch of ${BATCH}`, () => { for (let i = 0; i < BATCH; i++) ring.push(f); }, reps));
  const big = HandRing.create({ capacityFrames: BATCH });
  big.notifyOnPush = false;
  // pull needs a full ring per sample: time pulls only, refill between samples.
  const pullMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < BATCH; i++) big.push(f);
    const t0 = performance.now();
    for (let i = 0; i < BATCH; i++) big.pull(out);
    pullMs.push(performance.now() - t0);
  }
  const ps = summarize(pullMs);
  rows.push({ label: `HandRing.pull, batch of ${BATCH}`, stats: ps, values: { 'µs/frame (median)': (1000 * ps.medianMs) / BATCH, 'µs/frame (p95)': (1000 * ps.p95Ms) / BATCH } });
  const m = new Float32Array(25 * 16).map((_, i) => i * 1e-3);
  rows.push(perFrame(`WebXR 25×4×4 → MANO 21×3 (2 hands), batch of ${BATCH}`, () => {
    for (let i = 0; i < BATCH; i++) { manoFromWebXRMatrices(m, f.keypointsM, 0, false); manoFromWebXRMatrices(m, f.keypointsM, 63, false); }
  }, reps));
  rows.push(perFrame(`HandFrame.sanitize, batch of ${BATCH}`, () => { for (let i = 0; i < BATCH; i++) f.sanitize(); }, reps));
  const reg = SceneRegistration.fromScenePose({ positionM: [0.1, 0.2, 0.3], rotation: [0, Math.SQRT1_2, 0, Math.SQRT1_2], scale: 1 });
  rows.push(perFrame(`SceneRegistration.applyInPlace, batch of ${BATCH}`, () => { for (let i = 0; i < BATCH; i++) reg.applyInPlace(f); }, reps));
  const rs = new HandResampler();
  let t = 0;
  rows.push(perFrame(`HandResampler 90 Hz → 30 Hz (push + pulls), batch of ${BATCH}`, () => {
    for (let i = 0; i < BATCH; i++) { f.timeSec = (t += 1 / 90); rs.push(f); while (rs.pull(out)); }
  }, reps));
  return { name: 'Hand input: per-frame costs (Node)', description: 'Per-frame cost of each hand stage, timed over batches (the clock is too coarse for one frame).', rows };
}

async function nodeLatency(quick: boolean): Promise<BenchSection> {
  const frames = quick ? 200 : 5000;
  const ring = HandRing.create({ capacityFrames: 64 });
  const bootstrap = new URL('../test/helpers/ts-worker.mjs', import.meta.url);
  const tsModule = new URL('./hand-ring-latency.worker.ts', import.meta.url).href;
  const spawn = (role: string) => new Worker(bootstrap, { workerData: { tsModule, role, buffer: ring.buffer, frames, periodMs: 1000 / 90 } });
  const consumer = spawn('consumer');
  const result = new Promise<number[]>((resolve, reject) => { consumer.on('message', (m: { latencyMs: number[] }) => resolve(m.latencyMs)); consumer.on('error', reject); });
  await new Promise((r) => setTimeout(r, 200)); // let the consumer reach Atomics.wait
  spawn('producer');
  const latencyMs = await result;
  return {
    name: 'Hand input: ring latency between Node threads',
    description: `Producer thread pushes at 90 Hz (stamp at push), consumer thread blocked in Atomics.wait reads; ${frames} frames, capacity 64.`,
    rows: [{ label: 'push stamp → consumer read', stats: summarize(latencyMs), values: { dropped: ring.droppedFrames() } }],
  };
}

async function browserLatency(quick: boolean): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const rig = await openHandRig();
  try {
    const synthetic = await rig.ringLatency(quick ? 30 : 600, 1000 / 90);
    rows.push({ label: 'page push stamp → Worker read (90 Hz synthetic)', stats: summarize(synthetic.consumer.latencyMs) });
    const med = (xs: number[]) => summarize(xs).medianMs;
    rows.push({ label: 'HandRing.push in the page (+ notify), batches of 2000', values: { 'µs/frame (median)': med(synthetic.pushUsPerFrame) } });
    rows.push({ label: 'HandRing.pull in the Worker, batches of 2000', values: { 'µs/frame (median)': med(synthetic.pullUsPerFrame) } });
    if (!quick) {
      const xr = await rig.run({ useRightHandedSystem: false, ringCapacityFrames: 64, tailSec: 2 });
      rows.push({ label: 'XR frame time → Worker read (IWER + Babylon rig)', stats: summarize(xr.consumer.latencyMs), values: { 'XR frames/s': xr.frameRateHz } });
    }
  } finally {
    await rig.close();
  }
  return {
    name: 'Hand input: ring latency in headless Chromium',
    description: 'Cross-origin-isolated page → module Worker blocked in Atomics.wait (5 ms slices). The XR row includes the time from the XR frame start to the push (Babylon\'s frame work on SwiftShader). Browser clocks are coarsened (5 µs + jitter): per-frame costs are timed over batches of 2000.',
    rows,
  };
}

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  const sections = [costs(opts.quick), await nodeLatency(opts.quick)];
  if (chromiumAvailable()) sections.push(await browserLatency(opts.quick));
  return sections;
}
