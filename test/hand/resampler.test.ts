import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandResampler } from '../../src/hand/resampler.js';
import { HandFrame, RIGHT, LEFT } from '../../src/hand/hand-frame.js';
import { InvalidArgumentError } from '../../src/errors.js';

/** A right hand whose every coordinate equals path(t); left hand absent. */
function frameAt(t: number, path: (t: number) => number, rightValid = true): HandFrame {
  const f = new HandFrame();
  f.timeSec = t;
  if (rightValid) { f.hand(RIGHT).fill(path(t)); f.valid[RIGHT] = 1; }
  return f;
}

function run(r: HandResampler, inputs: HandFrame[]): HandFrame[] {
  const out: HandFrame[] = [];
  const o = new HandFrame();
  for (const f of inputs) { r.push(f); while (r.pull(o)) out.push(new HandFrame().copyFrom(o)); }
  return out;
}

test('jittery 72 Hz input with dropped frames → exact 30 Hz grid, linear motion reproduced', () => {
  const path = (t: number) => 0.5 - 0.2 * t; // linear: interpolation must be exact
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const inputs: HandFrame[] = [];
  for (let i = 0; i < 72 * 3; i++) {
    if (i % 7 === 3) continue; // dropped frames
    inputs.push(frameAt(i / 72 + (rand() - 0.5) * 0.004, path));
  }
  const out = run(new HandResampler({ startSec: 0.1 }), inputs);
  assert.ok(out.length >= 85 && out.length <= 90, `${out.length} frames for ~2.9 s`);
  out.forEach((f, k) => {
    assert.ok(Math.abs(f.timeSec - (0.1 + k / 30)) < 1e-9, 'on the 30 Hz grid');
    assert.equal(f.valid[RIGHT], 1);
    assert.equal(f.valid[LEFT], 0);
    assert.ok(Math.abs(f.keypointsM[63]! - path(f.timeSec)) < 1e-5, `t=${f.timeSec}`);
    assert.equal(f.keypointsM[0], 0, 'absent hand is zeros');
  });
});

test('a hand that vanishes and returns elsewhere is never swept across the gap (no teleport)', () => {
  const inputs: HandFrame[] = [];
  for (let i = 0; i <= 90; i++) {
    const t = i / 90;
    const present = t < 0.3 || t >= 0.6; // gone for 0.3 s
    inputs.push(frameAt(t, (tt) => (tt < 0.45 ? 0 : 1), present)); // returns 1 m away
  }
  const out = run(new HandResampler({ startSec: 0 }), inputs);
  for (const f of out) {
    const x = f.keypointsM[63]!;
    if (f.valid[RIGHT]) assert.ok(x === 0 || x === 1, `t=${f.timeSec.toFixed(3)}: ${x} is between the old and new place`);
    else assert.equal(x, 0);
  }
  const invalid = out.filter((f) => !f.valid[RIGHT]).map((f) => f.timeSec);
  assert.ok(invalid.length >= 7 && invalid.every((t) => t > 0.3 && t < 0.6), `untracked ticks ${invalid}`);
  // Short dropout (< maxGapSec) is bridged by interpolation.
  const short = run(new HandResampler({ startSec: 0 }), [0, 1 / 90, 5 / 90, 6 / 90, 10 / 90].map((t) => frameAt(t, (tt) => tt)));
  assert.ok(short.every((f) => f.valid[RIGHT] === 1 && Math.abs(f.keypointsM[63]! - f.timeSec) < 1e-6));
});

test('time going backwards, duplicates and NaN times are ignored and counted; NaN joints drop the hand', () => {
  const r = new HandResampler({ startSec: 0 });
  const o = new HandFrame();
  assert.equal(r.push(frameAt(0, () => 1)), true);
  assert.equal(r.push(frameAt(0.05, () => 1)), true);
  assert.equal(r.push(frameAt(0.02, () => 9)), false);
  assert.equal(r.push(frameAt(0.05, () => 9)), false);
  assert.equal(r.push(frameAt(NaN, () => 9)), false);
  assert.equal(r.nonMonotonicFrames, 3);
  const bad = frameAt(0.06, () => 2);
  bad.keypointsM[70] = NaN;
  bad.valid[LEFT] = 1; bad.keypointsM[0] = Infinity;
  assert.equal(r.push(bad), true);
  assert.equal(r.nonFiniteHands, 2);
  const got: number[] = [];
  while (r.pull(o)) { got.push(o.keypointsM[63]!); assert.ok(o.keypointsM.every(Number.isFinite)); }
  assert.deepEqual(got, [1, 1], 'ticks 0 and 1/30 from the good frames; nothing from the rejected ones');
});

test('options are validated', () => {
  assert.throws(() => new HandResampler({ rateHz: 0 }), InvalidArgumentError);
  assert.throws(() => new HandResampler({ maxGapSec: NaN }), InvalidArgumentError);
  assert.throws(() => new HandResampler({ startSec: Infinity }), InvalidArgumentError);
});

test('a producer stalled for an hour costs one queue of outputs, not an hour of them', () => {
  const r = new HandResampler({ startSec: 0, queueFrames: 8 });
  const o = new HandFrame();
  r.push(frameAt(0, () => 1));
  r.push(frameAt(3600, () => 2));
  assert.equal(r.pendingFrames, 8);
  assert.equal(r.droppedOutputs, 3600 * 30 + 1 - 8);
  const times: number[] = [];
  while (r.pull(o)) { times.push(o.timeSec); }
  assert.ok(Math.abs(times[7]! - 3600) < 1e-6, 'the newest output is at the new frame');
  assert.equal(o.valid[RIGHT], 1, 'the hand at the new frame is taken (appearing)');
});
