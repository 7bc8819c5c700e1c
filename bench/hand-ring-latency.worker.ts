// Worker for hand-ring.bench.ts: one producer thread pushes timestamped frames at a fixed period; one
// consumer thread waits on the ring (Atomics.wait) and records producer stamp → read latency.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { HandRing } from '../src/hand/hand-ring.js';
import { HandFrame } from '../src/hand/hand-frame.js';

const { role, buffer, frames, periodMs } = workerData as { role: 'producer' | 'consumer'; buffer: SharedArrayBuffer; frames: number; periodMs: number };
const ring = HandRing.attach(buffer);
const f = new HandFrame();
// Both threads share one clock: absolute milliseconds (each thread has its own timeOrigin).
const nowAbsMs = () => performance.timeOrigin + performance.now();

if (role === 'producer') {
  let next = performance.now();
  for (let i = 0; i < frames; i++) {
    next += periodMs;
    while (performance.now() < next) { /* spin to hold the period without timer jitter */ }
    f.timeSec = nowAbsMs() / 1000;
    ring.push(f);
  }
  parentPort!.postMessage({ done: true });
} else {
  const latencyMs: number[] = [];
  while (latencyMs.length < frames) {
    if (!ring.waitForFrame(1000)) break;
    while (ring.pull(f)) latencyMs.push(nowAbsMs() - f.timeSec * 1000);
  }
  parentPort!.postMessage({ latencyMs });
}
