// Worker for hand-ring.test.ts: one thread produces, another consumes, through one HandRing.
import { parentPort, workerData } from 'node:worker_threads';
import { HandRing } from '../../src/hand/hand-ring.js';
import { HandFrame } from '../../src/hand/hand-frame.js';

const { role, buffer, frames, lossless } = workerData as { role: 'producer' | 'consumer'; buffer: SharedArrayBuffer; frames: number; lossless: boolean };
const ring = HandRing.attach(buffer);
const f = new HandFrame();

if (role === 'producer') {
  ring.notifyOnPush = false; // the consumer spins; notify would only cost time here
  for (let seq = 0; seq < frames; seq++) {
    // Lossless mode: wait for space so nothing is dropped (the XR loop never does this; it drops oldest).
    if (lossless) while (ring.availableFrames() >= ring.capacityFrames) { /* spin */ }
    f.timeSec = seq;
    // Every float encodes the sequence number, so a torn frame (two frames mixed) is detectable.
    for (let i = 0; i < 126; i++) f.keypointsM[i] = seq * 2 + (i & 1);
    f.valid[0] = seq & 1; f.valid[1] = (seq >> 1) & 1;
    ring.push(f);
  }
} else {
  const errors: string[] = [];
  let received = 0, last = -1;
  while (last < frames - 1) {
    if (!ring.pull(f)) continue;
    received++;
    const seq = f.timeSec;
    if (!(seq > last)) errors.push(`reordered: ${seq} after ${last}`);
    if (lossless && seq !== last + 1) errors.push(`gap: ${last} → ${seq}`);
    for (let i = 0; i < 126; i++) if (f.keypointsM[i] !== seq * 2 + (i & 1)) { errors.push(`torn frame ${seq} at float ${i}`); break; }
    if (f.valid[0] !== (seq & 1) || f.valid[1] !== ((seq >> 1) & 1)) errors.push(`torn flags at ${seq}`);
    last = seq;
    if (errors.length > 10) break;
  }
  parentPort!.postMessage({ received, dropped: ring.droppedFrames(), errors });
}
