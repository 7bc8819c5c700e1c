import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { HandRing } from '../../src/hand/hand-ring.js';
import { HandFrame } from '../../src/hand/hand-frame.js';
import { InvalidArgumentError } from '../../src/errors.js';

function frameFor(seq: number, f = new HandFrame()): HandFrame {
  f.timeSec = seq / 90;
  for (let i = 0; i < 126; i++) f.keypointsM[i] = seq + i / 1000;
  f.valid[0] = seq & 1; f.valid[1] = 1;
  return f;
}

test('empty ring: pull returns false and leaves the frame alone', () => {
  const ring = HandRing.create({ capacityFrames: 4 });
  const out = frameFor(7);
  assert.equal(ring.pull(out), false);
  assert.equal(out.timeSec, 7 / 90);
  assert.equal(ring.availableFrames(), 0);
});

test('FIFO order across many wrap-arounds, frames copied intact', () => {
  const ring = HandRing.create({ capacityFrames: 3 });
  const out = new HandFrame();
  let next = 0;
  for (let seq = 0; seq < 50; seq++) {
    assert.equal(ring.push(frameFor(seq)), true);
    if (seq % 3 === 2) {
      while (ring.pull(out)) {
        assert.deepEqual(out, frameFor(next));
        next++;
      }
    }
  }
  while (ring.pull(out)) next++;
  assert.equal(next, 50);
  assert.equal(ring.droppedFrames(), 0);
});

test('full ring drops the OLDEST frames: the consumer gets the newest N, in order', () => {
  const ring = HandRing.create({ capacityFrames: 4 });
  for (let seq = 0; seq < 4; seq++) assert.equal(ring.push(frameFor(seq)), true);
  assert.equal(ring.availableFrames(), 4);
  assert.equal(ring.push(frameFor(4)), false, 'push past capacity reports a drop');
  for (let seq = 5; seq < 10; seq++) ring.push(frameFor(seq));
  assert.equal(ring.availableFrames(), 4);
  const out = new HandFrame();
  const got: number[] = [];
  while (ring.pull(out)) got.push(Math.round(out.timeSec * 90));
  assert.deepEqual(got, [6, 7, 8, 9]);
  assert.equal(ring.droppedFrames(), 6);
});

test('capacity 1 works (2 slots)', () => {
  const ring = HandRing.create({ capacityFrames: 1 });
  const out = new HandFrame();
  ring.push(frameFor(1)); ring.push(frameFor(2));
  assert.equal(ring.pull(out), true);
  assert.equal(out.keypointsM[0], 2);
  assert.equal(ring.pull(out), false);
});

test('attach: a second view over the same buffer sees the frames; foreign buffers are refused', () => {
  const ring = HandRing.create({ capacityFrames: 8 });
  ring.push(frameFor(3));
  const other = HandRing.attach(ring.buffer);
  const out = new HandFrame();
  assert.equal(other.pull(out), true);
  assert.equal(out.keypointsM[5], Math.fround(3.005));
  assert.throws(() => HandRing.attach(new SharedArrayBuffer(1024)), InvalidArgumentError);
  assert.throws(() => HandRing.create({ capacityFrames: 0 }), InvalidArgumentError);
  assert.throws(() => HandRing.create({ capacityFrames: 2.5 }), InvalidArgumentError);
});

test('sequence numbers wrap past 2^31 without losing order', () => {
  const ring = HandRing.create({ capacityFrames: 4 });
  // Start both indices just below the wrap (test-only poke at the header: [writeSeq, readSeq, …]).
  const header = new Int32Array(ring.buffer, 0, 2);
  header[0] = 0x7ffffffe; header[1] = 0x7ffffffe;
  const out = new HandFrame();
  for (let seq = 0; seq < 10; seq++) {
    ring.push(frameFor(seq));
    assert.equal(ring.pull(out), true);
    assert.equal(out.keypointsM[0], seq);
  }
});

function runStress(capacity: number, frames: number, lossless: boolean): Promise<{ received: number; dropped: number; errors: string[] }> {
  const ring = HandRing.create({ capacityFrames: capacity });
  const bootstrap = new URL('../helpers/ts-worker.mjs', import.meta.url);
  const tsModule = new URL('./ring-stress.worker.ts', import.meta.url).href;
  const spawn = (role: string) => new Worker(bootstrap, { workerData: { tsModule, role, buffer: ring.buffer, frames, lossless } });
  return new Promise((resolve, reject) => {
    const consumer = spawn('consumer');
    const producer = spawn('producer');
    producer.on('error', reject);
    consumer.on('error', reject);
    consumer.on('message', (m) => resolve(m as { received: number; dropped: number; errors: string[] }));
  });
}

test('two threads, 1e6 frames, lossless (producer waits for space): all arrive, none torn or reordered', async () => {
  const r = await runStress(64, 1_000_000, true);
  assert.deepEqual(r.errors, []);
  assert.equal(r.received, 1_000_000);
  assert.equal(r.dropped, 0);
});

test('two threads, 1e6 frames, free-running producer on a tiny ring: drops, but none torn or reordered', async () => {
  const r = await runStress(4, 1_000_000, false);
  assert.deepEqual(r.errors, []);
  assert.equal(r.received + r.dropped, 1_000_000, 'every frame either received or counted as dropped');
  assert.ok(r.received > 0);
});
