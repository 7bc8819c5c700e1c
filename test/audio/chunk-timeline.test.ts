import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkTimeline, defaultTimelineOptions } from '../../src/audio/chunk-timeline.js';
import { findClicks } from '../../src/runtime/clicks.js';
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

/** 200 frames of DC 0.8 placed and 180 of them rendered into y: 20 frames before their end, the fade-out has begun. */
function dcFadingOut() {
  const t = new ChunkTimeline(opts); // 32-frame fade-out, 8-frame fade-in
  t.reset(0);
  const dc = new Float32Array(4096).fill(0.8);
  t.place(0, dc, 200);
  const y = new Float32Array(512);
  t.render(y, 0, 180);
  return { t, dc, y };
}

test('audio that arrives while the fade-out is under way climbs back, never jumps', () => {
  const { t, dc, y } = dcFadingOut();
  t.place(200, dc.subarray(200), 300); // contiguous continuation, a little late for the fade
  t.render(y, 180, 332);
  assert.ok(maxStep(y, 1, 500) <= 0.8 / 8 + 1e-6, `step ${maxStep(y, 1, 500)}`);
  assert.ok(Math.abs(y[400]! - 0.8) < 1e-6, 'back to full level');
});

/**
 * The sampler Worker places one contiguous generator stream on the audio clock through an offset it re-estimates as it
 * goes (the largest playhead reading of the last second), so consecutive chunks of one continuous sound can land a few
 * frames apart (a gap) or a few frames into each other (a short overlap). Seen in the browser acceptance run: the audio
 * before such a gap stopped dead (a step to zero: nothing faded it, because the chunk after the gap had already moved
 * the end of the placed audio past it), and an overlap of a few frames squeezed the 5 ms equal-power crossfade into
 * those frames (a +3 dB bump of a few samples). Either way a click in the middle of a ringing sound.
 */
test('chunks of one continuous sound placed a few frames apart or into each other join without a click', () => {
  const rate = 48000, o = defaultTimelineOptions(rate);
  // A bright, loud ringing sound (modes 210 Hz … 6.5 kHz, peak ≈ 0.5): any cut or squeezed crossfade stands out.
  const modes = [[210, 0.2], [580, 0.1], [1130, 0.06], [1870, 0.04], [2790, 0.03], [3900, 0.02], [6500, 0.015]] as const;
  const total = rate * 2;
  const sound = Float32Array.from({ length: total }, (_, i) => modes.reduce((s, [f, a], k) => s + a * Math.sin((2 * Math.PI * f * i) / rate + k), 0));
  // The chunk placements the sampler made: the stream's frame offset moves by a few frames now and then (both ways).
  const shifts = [0, 19, 2, -7, 45, 0, -1, 1, -24, 6, -3, 17, 3, -45];
  for (const mode of ['gaps and overlaps', 'gaps only', 'overlaps only'] as const) {
    const t = new ChunkTimeline(o);
    t.reset(0);
    const out = new Float32Array(total + rate / 2);
    const chunk = 480, lead = 720; // 10 ms chunks, placed 15 ms ahead of the playhead (as the sampler does)
    let anchor = 4800, next = 0, k = 0;
    for (let b = 0; b < out.length; b += 128) {
      while (next < total && anchor + next < b + 128 + lead) {
        const s = shifts[k++ % shifts.length]!;
        if (mode === 'gaps and overlaps' || (mode === 'gaps only' ? s > 0 : s < 0)) anchor += s;
        t.place(anchor + next, sound.subarray(next, next + chunk), chunk);
        next += chunk;
      }
      t.render(out, b, 128);
    }
    const clicks = findClicks(out, rate, [4800 / rate]);
    assert.deepEqual(clicks.map((i) => i / rate), [], `${mode}: clicks at ${clicks.slice(0, 8).map((i) => `${i} (${out[i - 1]!.toFixed(3)} → ${out[i]!.toFixed(3)} → ${out[i + 1]!.toFixed(3)})`).join(', ')}`);
    // Still the sound at full level between the seams: the fades are local.
    let peak = 0;
    for (let i = rate; i < rate + 4800; i++) peak = Math.max(peak, Math.abs(out[i]!));
    assert.ok(peak > 0.4, `${mode}: peak ${peak}`);
  }
});

test('a chunk placed after a gap while the fade-out before it is under way continues that ramp, then fades in', () => {
  const { t, dc, y } = dcFadingOut();
  t.place(230, dc, 200); // 30 frames after the end
  t.render(y, 180, 332);
  for (let i = 180; i < 200; i++) assert.ok(Math.abs(y[i]! - (0.8 * (200 - i)) / 32) < 1e-6, `frame ${i}: ${y[i]}`);
  for (let i = 200; i < 230; i++) assert.equal(y[i], 0);
  assert.ok(maxStep(y, 1, 512) <= 0.8 / 8 + 1e-6, `step ${maxStep(y, 1, 512)}`);
  assert.ok(Math.abs(y[300]! - 0.8) < 1e-6, 'the next chunk at full level');
});

test('a splice replaces placed audio from its start (a 1 ms linear join, no crossfade); one that starts in the past is crossfaded', () => {
  const base = sine(2048);
  const changed = Float32Array.from(base, (v, i) => (i >= 600 ? v + 0.2 * Math.sin(0.3 * (i - 600)) : v)); // the same until 600
  const t = new ChunkTimeline(opts);
  t.reset(0);
  t.place(0, base, 1024);
  t.place(256, changed.subarray(256), 1792, true);
  const out = renderAll(t, 2048);
  for (let i = opts.fadeInFrames; i < 2048 - opts.fadeOutFrames; i++) assert.equal(out[i], changed[i], `sample ${i}`);
  // Spliced after the playhead passed its start: placed as any overlapping chunk (crossfaded), never a step.
  const u = new ChunkTimeline(opts);
  u.reset(0);
  u.place(0, base, 1024);
  const first = new Float32Array(384);
  u.render(first, 0, 384);
  u.place(256, changed.subarray(256), 1792, true);
  const rest = renderAll(u, 1536);
  assert.notEqual(rest[10], changed[394], 'crossfaded from the old audio');
  for (let i = opts.crossfadeFrames; i < 1400; i++) assert.equal(rest[i], changed[384 + i], `sample ${384 + i}`);
  assert.ok(maxStep(rest, 0, 1400) <= 2 * Math.max(maxStep(base), maxStep(changed)));
  // A re-render that drifted from the audio it replaces (offset by 0.1 from its start) joins it without a step.
  const drifted = Float32Array.from(base, (v) => v + 0.1);
  const w = new ChunkTimeline(opts);
  w.reset(0);
  w.place(0, base, 1024);
  w.place(256, drifted.subarray(256), 1024, true);
  const joined = renderAll(w, 1024);
  assert.ok(maxStep(joined, 200, 900) <= maxStep(base) + 0.1 / opts.fadeInFrames + 1e-6, `step ${maxStep(joined, 200, 900)}`);
  for (let i = 256 + opts.fadeInFrames; i < 900; i++) assert.equal(joined[i], drifted[i], `sample ${i}`);
  // The ring carries the flag.
  const ring = ChunkRing.create({ capacityChunks: 2, maxChunkSamples: 8 });
  const consumer = ChunkRing.attach(ring.buffer);
  ring.push(0, new Float32Array(4), 4, true);
  ring.push(4, new Float32Array(4));
  const o = new Float32Array(8);
  consumer.pull(o); assert.equal(consumer.lastSplice, true);
  consumer.pull(o); assert.equal(consumer.lastSplice, false);
});
