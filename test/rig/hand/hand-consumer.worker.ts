/**
 * The rig's consumer Worker: stands where the sampler Worker stands in the product. It waits on the
 * HandRing (Atomics.wait, woken by the producer's notify), pulls every frame, resamples to 30 Hz and
 * keeps the outputs and the producer→consumer latency of each frame until asked for a report.
 */
import { HandRing } from '../../../src/hand/hand-ring.js';
import { HandFrame, RIGHT } from '../../../src/hand/hand-frame.js';
import { HandResampler } from '../../../src/hand/resampler.js';
import type { ConsumerReport, FromConsumer, ToConsumer } from './protocol.js';

const post = (m: FromConsumer) => (self as unknown as Worker).postMessage(m);
let ring: HandRing | null = null;
let resampler: HandResampler | null = null;
let timeOriginDeltaMs = 0;
const frame = new HandFrame();
const tick = new HandFrame();
const report: ConsumerReport = { tickTimesSec: [], rightWristM: [], valid: [], frameTimesSec: [], frameRightValid: [], framesPulled: 0, droppedFrames: 0, nonMonotonicFrames: 0, latencyMs: [], pullCostUs: 0 };
let pullTimeMs = 0;

function drain(): void {
  if (!ring || !resampler) return;
  for (;;) {
    const t0 = performance.now();
    const got = ring.pull(frame);
    const t1 = performance.now();
    if (!got) return;
    pullTimeMs += t1 - t0;
    // Producer stamps are on the page's performance clock; bring them to ours.
    report.latencyMs.push(t1 - (frame.timeSec * 1000 - timeOriginDeltaMs));
    report.framesPulled++;
    report.frameTimesSec.push(frame.timeSec);
    report.frameRightValid.push(frame.valid[RIGHT]!);
    resampler.push(frame);
    while (resampler.pull(tick)) {
      report.tickTimesSec.push(tick.timeSec);
      report.rightWristM.push(tick.keypointsM[63]!, tick.keypointsM[64]!, tick.keypointsM[65]!);
      report.valid.push(tick.valid[0]!, tick.valid[1]!);
    }
  }
}

// Wait in short slices so that messages (flush) still get through between them.
function loop(): void {
  const end = performance.now() + 40;
  while (ring && performance.now() < end) if (ring.waitForFrame(5)) drain();
  setTimeout(loop, 0);
}

self.onmessage = (e: MessageEvent<ToConsumer>) => {
  const m = e.data;
  if (m.type === 'init') {
    ring = HandRing.attach(m.ringBuffer);
    resampler = new HandResampler(m.resampler);
    timeOriginDeltaMs = performance.timeOrigin - m.timeOriginMs;
    post({ type: 'ready' });
    loop();
  } else if (m.type === 'pullBench') {
    const bench = HandRing.create({ capacityFrames: m.batchFrames });
    bench.notifyOnPush = false;
    const f = new HandFrame();
    const usPerFrame: number[] = [];
    for (let b = 0; b < m.batches; b++) {
      for (let i = 0; i < m.batchFrames; i++) bench.push(f);
      const t0 = performance.now();
      for (let i = 0; i < m.batchFrames; i++) bench.pull(f);
      usPerFrame.push((1000 * (performance.now() - t0)) / m.batchFrames);
    }
    post({ type: 'pullBench', usPerFrame });
  } else if (m.type === 'flush') {
    drain();
    report.droppedFrames = ring?.droppedFrames() ?? 0;
    report.nonMonotonicFrames = resampler?.nonMonotonicFrames ?? 0;
    report.pullCostUs = report.framesPulled ? (1000 * pullTimeMs) / report.framesPulled : 0;
    post({ type: 'report', report });
  }
};
