import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkTimeline } from '../../src/audio/chunk-timeline.js';
import { ChunkRing } from '../../src/audio/chunk-ring.js';
import { InvalidArgumentError } from '../../src/errors.js';

const opts = { capacityFrames: 4096, crossfadeFrames: 64, fadeInFrames: 8, fadeOutFrames: 32 };

function renderAll(t: ChunkTimeline, frames: number, block = 128): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i += block) t.render(out, i, Math.min(block, frames - i));
  return out;
}

const sine = (n: number, f = 0.01, a = 0.5) => Float32Array.from({ length: n }, (_, i) => a * Math.sin(2 * Math.PI * f * i + 0.3));

/**
 * The click bound used across the audio tests: outside onsets, no sample-to-sample step may exceed twice the largest
 * step of the source audio itself (a fade or crossfade over ≥ 8 frames stays well inside it; a cut does not).
 */
function maxStep(x: Float32Array, from = 0, to = x.length): number {
  let m = 0;
  for (let i = Math.max(1, from); i < to; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}

test('a chunk plays at its frame; contiguous chunks join seamlessly', () => {
  const t = new ChunkTimeline(opts);
  t.reset(0);
  const a = sine(1000);
  t.place(300, a.subarray(0, 500), 500);
  t.place(800, a.subarray(500), 500);
  const y = renderAll(t, 2048);
  for (let i = 0; i < 300; i++) assert.equal(y[i], 0);
  // after the 8-frame fade-in, identical to the source up to the final 32-frame fade-out
  for (let i = 8; i < 1000 - 32; i++) assert.ok(Math.abs(y[300 + i]! - a[i]!) < 1e-7, `at ${i}`);
  for (let i = 1300; i < 2048; i++) assert.equal(y[i], 0);
  assert.ok(maxStep(y) <= 2 * maxStep(a), `max step ${maxStep(y)} vs source ${maxStep(a)}`);
});

test('an overlapping chunk replaces older audio with an equal-power crossfade and no click', () => {
  const t = new ChunkTimeline(opts);
  t.reset(0);
  const old = sine(2000, 0.01, 0.5);
  const fresh = sine(1000, 0.013, 0.4);
  t.place(0, old, old.length);
  t.place(600, fresh, fresh.length); // ends at 1600, inside the old audio: crossfades back out at the tail
  const y = renderAll(t, 2048);
  for (let i = 600 + 64; i < 1600 - 64; i++) assert.ok(Math.abs(y[i]! - fresh[i - 600]!) < 1e-7);
  for (let i = 1600; i < 2000 - 32; i++) assert.ok(Math.abs(y[i]! - old[i]!) < 1e-7);
  const bound = Math.max(maxStep(old), maxStep(fresh)) * 2;
  assert.ok(maxStep(y, 1, 2048) <= bound, `max step ${maxStep(y)} > ${bound}`);
});

test('running out of audio fades to silence instead of clicking; a late chunk is reported', () => {
  const t = new ChunkTimeline(opts);
  t.reset(0);
  const dc = new Float32Array(500).fill(0.8); // worst case: cut off at full level
  t.place(0, dc, 500);
  const out = new Float32Array(128);
  let ranOut = false;
  const y: number[] = [];
  for (let b = 0; b < 6; b++) { ranOut = t.render(out, 0, 128) || ranOut; y.push(...out); }
  assert.ok(ranOut, 'the dropout is reported');
  assert.ok(maxStep(Float32Array.from(y)) <= 0.8 / 8 + 1e-6, `step ${maxStep(Float32Array.from(y))}`);
  assert.ok(Math.abs(y[499]! - 0.8 / 32) < 1e-6, 'last frame at 1/32 of the level');
  assert.equal(t.place(100, dc, 500), 'late');
  assert.equal(t.place(760, dc, 50), 'placed'); // partly in the past
});

test('chunks partly in the past play their remaining part; too far ahead is truncated', () => {
  const t = new ChunkTimeline({ ...opts, capacityFrames: 1024 });
  t.reset(1000);
  const ramp = Float32Array.from({ length: 300 }, (_, i) => i / 300);
  assert.equal(t.place(900, ramp, 300), 'placed');
  const out = new Float32Array(64);
  t.render(out, 0, 64);
  assert.ok(Math.abs(out[20]! - ramp[120]!) < 1e-7);
  assert.equal(t.place(1064 + 1000, ramp, 300), 'truncated');
  assert.throws(() => new ChunkTimeline({ ...opts, crossfadeFrames: -1 }), InvalidArgumentError);
});

test('ChunkRing: FIFO order, full ring refuses, counters and clock shared through the buffer', () => {
  const ring = ChunkRing.create({ capacityChunks: 3, maxChunkSamples: 16 });
  const consumer = ChunkRing.attach(ring.buffer);
  const out = new Float32Array(16);
  assert.equal(consumer.pull(out), 0);
  for (let i = 0; i < 3; i++) assert.ok(ring.push(i * 100, new Float32Array(8).fill(i + 1)));
  assert.equal(ring.push(300, new Float32Array(8)), false, 'full');
  for (let i = 0; i < 3; i++) {
    assert.equal(consumer.pull(out), 8);
    assert.equal(consumer.lastStartFrame, i * 100);
    assert.equal(out[7], i + 1);
  }
  // wrap-around many times
  for (let i = 0; i < 1000; i++) {
    assert.ok(ring.push(i, new Float32Array([i, i + 1]), 2));
    assert.equal(consumer.pull(out), 2);
    assert.equal(out[1], i + 1);
  }
  consumer.setPlayhead(123456);
  assert.equal(ring.playhead(), 123456);
  consumer.countUnderrun();
  assert.equal(ring.underruns(), 1);
  assert.throws(() => ring.push(0, new Float32Array(17)), InvalidArgumentError);
  assert.throws(() => ring.push(NaN, new Float32Array(2)), InvalidArgumentError);
  assert.throws(() => ChunkRing.attach(new SharedArrayBuffer(64)), InvalidArgumentError);
});

test('audio that arrives while the fade-out is under way climbs back, never jumps', () => {
  const t = new ChunkTimeline(opts); // 32-frame fade-out, 8-frame fade-in
  t.reset(0);
  const dc = new Float32Array(4096).fill(0.8);
  t.place(0, dc, 200);
  const y = new Float32Array(512);
  t.render(y, 0, 180); // 20 frames before the end: the fade-out has begun
  t.place(200, dc.subarray(200), 300); // contiguous continuation, a little late for the fade
  t.render(y, 180, 332);
  assert.ok(maxStep(y, 1, 500) <= 0.8 / 8 + 1e-6, `step ${maxStep(y, 1, 500)}`);
  assert.ok(Math.abs(y[400]! - 0.8) < 1e-6, 'back to full level');
});
