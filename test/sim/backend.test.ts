import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProceduralBackend, renderFramesProcedural } from '../../src/sim/procedural-backend.js';
import { HandMotion, planAction } from '../../src/sim/actions.js';
import { renderContactAudio } from '../../src/sim/render.js';
import { instantiateMaterial } from '../../src/sim/materials.js';
import { makeSurface, type Scene } from '../../src/sim/scene.js';
import { Rng } from '../../src/sim/rng.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';
import { InvalidArgumentError, InvalidTrajectoryError, UnknownMaterialError } from '../../src/errors.js';

const FS = 16000;
const scene: Scene = {
  id: 'B', surfaces: [makeSurface(0, instantiateMaterial('ceramic', new Rng(4)), [0, 0, 0], [0, 1, 0], 1000, 1000, 3)],
  roomT60Sec: 0.3, roomWetGain: 0.1, noiseFloorDb: -60, background: [100, 100, 100],
};

/** Streams `seconds` of hand motion at `fps` through the backend in 128-sample blocks, frames first. */
function stream(motions: (HandMotion | null)[], seconds: number, fps: number, backend: ProceduralBackend): Float32Array {
  const out = new Float32Array(Math.round(seconds * FS));
  const block = new Float32Array(128);
  const frame = { timeSec: 0, keypointsM: new Float32Array(126), valid: new Uint8Array(2) };
  const kp = new Float64Array(63);
  let nextFrame = 0;
  for (let start = 0; start < out.length; start += 128) {
    const blockEndSec = (start + 128) / FS;
    while (nextFrame / fps <= blockEndSec) {
      frame.timeSec = nextFrame / fps;
      motions.forEach((m, h) => {
        frame.valid[h] = m ? 1 : 0;
        if (m) { m.keypointsAt(frame.timeSec, kp); frame.keypointsM.set(kp, h * 63); } else frame.keypointsM.fill(0, h * 63, h * 63 + 63);
      });
      backend.pushFrame(frame);
      nextFrame++;
    }
    backend.render(block);
    out.set(block.subarray(0, Math.min(128, out.length - start)), start);
  }
  return out;
}

test('the streaming backend sounds the same contacts as the offline renderer, at the same times', () => {
  const plan = planAction(new Rng(21), 'tap', scene.surfaces[0]!, 4);
  const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null));
  const offline = renderContactAudio(scene, motions, 4, { dry: true });
  assert.ok(offline.impacts.length >= 2, 'the plan taps');
  for (const fps of [90, 60]) {
    const backend = new ProceduralBackend({ scene, room: false });
    const live = stream(motions, 4, fps, backend);
    assert.equal(backend.impactLog.length, offline.impacts.length, `${fps} fps: same number of impacts`);
    backend.impactLog.forEach((imp, i) => {
      const ref = offline.impacts[i]!;
      assert.ok(Math.abs(imp.timeSec - ref.timeSec) < 0.002, `${fps} fps: impact ${i} at ${imp.timeSec.toFixed(4)} vs ${ref.timeSec.toFixed(4)} s`);
      assert.equal(imp.part, ref.part, `${fps} fps: same striking part`);
      assert.ok(Math.abs(imp.speedMps - ref.speedMps) / ref.speedMps < 0.35, `${fps} fps: speed ${imp.speedMps.toFixed(3)} vs ${ref.speedMps.toFixed(3)}`);
    });
    // Live, a contact is known only once a frame shows it: the sound starts at the contact time, or at the
    // latest with the first block rendered after that frame arrived (never early).
    let onset = 0;
    while (onset < live.length && live[onset] === 0) onset++;
    const contact = offline.impacts[0]!.timeSec, seenAt = Math.ceil(contact * fps) / fps;
    const latest = Math.ceil((seenAt * FS) / 128) * 128 / FS;
    assert.ok(onset / FS >= contact - 0.001 && onset / FS <= latest + 1e-9,
      `${fps} fps: first sound at ${(onset / FS).toFixed(4)} s; contact at ${contact.toFixed(4)} s, seen in the frame at ${seenAt.toFixed(4)} s`);
  }
});

test('a hovering hand makes no sound; a hand that reappears already touching does not strike', () => {
  const plan = planAction(new Rng(5), 'tap', scene.surfaces[0]!, 2);
  const hover = plan.hands.map((h) => (h.present ? new HandMotion({ ...h, strokes: [], restH: 0.005 }, scene.surfaces[0]!) : null));
  const backend = new ProceduralBackend({ scene, room: false });
  assert.ok(stream(hover, 2, 72, backend).every((x) => x === 0), 'silence');

  // A hand pressed on the surface that only becomes tracked while touching: no impact is invented.
  const b2 = new ProceduralBackend({ material: 'wood', room: false });
  const kp = new Float32Array(126);
  for (let k = 0; k < 21; k++) { kp[63 + k * 3] = 0.01 * k; kp[63 + k * 3 + 1] = 0.005; kp[63 + k * 3 + 2] = 0; }
  b2.pushFrame({ timeSec: 0, keypointsM: kp, valid: [0, 0] });
  b2.pushFrame({ timeSec: 0.011, keypointsM: kp, valid: [0, 1] });
  assert.equal(b2.impactLog.length, 0);
});

test('bad live input raises typed errors', () => {
  const b = new ProceduralBackend({ material: 'metal' });
  const kp = new Float32Array(126).fill(0.5);
  kp[70] = Number.NaN;
  assert.throws(() => b.pushFrame({ timeSec: 0, keypointsM: kp, valid: [0, 1] }), InvalidTrajectoryError);
  kp[70] = 0.5;
  b.pushFrame({ timeSec: 1, keypointsM: kp, valid: [0, 1] });
  assert.throws(() => b.pushFrame({ timeSec: 0.5, keypointsM: kp, valid: [0, 1] }), InvalidArgumentError);
  assert.throws(() => b.pushFrame({ timeSec: 2, keypointsM: new Float32Array(10), valid: [0, 1] }), InvalidArgumentError);
  assert.throws(() => new ProceduralBackend({ material: 'unobtainium' }), UnknownMaterialError);
  assert.throws(() => new ProceduralBackend({ material: 'wood', sampleRate: 100 }), InvalidArgumentError);
});

test('renderFramesProcedural plays a frame list like the live loop does, time-aligned from t = 0', () => {
  const plan = planAction(new Rng(33), 'knock', scene.surfaces[0]!, 3);
  const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null));
  const kp = new Float64Array(63);
  const frames = Array.from({ length: 3 * 60 }, (_, f) => {
    const keypointsM = new Float32Array(126), valid = new Uint8Array(2);
    motions.forEach((m, h) => { if (m) { m.keypointsAt(f / 60, kp); keypointsM.set(kp, h * 63); valid[h] = 1; } });
    return { timeSec: f / 60, keypointsM, valid };
  });
  const offline = renderFramesProcedural(frames, { scene, room: false, durationSec: 3 });
  const live = stream(motions, 3, 60, new ProceduralBackend({ scene, room: false }));
  assert.equal(offline.length, 3 * FS);
  assert.ok(offline.some((x) => x !== 0), 'the knocks sound');
  assert.deepEqual(offline, live);
});

/** A right hand whose lowest skin is `clearM` above a flat surface at y = 0 (every keypoint's skin at that height). */
function handAt(clearM: number): Float32Array {
  const kp = new Float32Array(126);
  for (let k = 0; k < 21; k++) { kp[63 + k * 3] = 0.01 * k; kp[63 + k * 3 + 1] = clearM + KEYPOINT_RADIUS_M[k]!; kp[63 + k * 3 + 2] = 0; }
  return kp;
}

test('a predicted impact is not struck again when the next frame, sooner than usual, still shows the hand a few mm up', () => {
  // Seen live (IWER hand, 16–60 frames/s): a strike at 0.6 m/s is predicted from a frame 8.4 mm up; the next frame
  // comes 9 ms later with the skin still 3 mm up (above the 2 mm release height), and the one after shows it pressed
  // in. The prediction was let go at the 3 mm frame, so the pressed frame struck again — played at once, ~20 ms into
  // the first strike's sound: a second attack.
  const strike = (clears: [number, number][]) => {
    const b = new ProceduralBackend({ material: 'wood', room: false, sampleRate: 48000 });
    const out = new Float32Array(128);
    for (const [t, h] of clears) {
      while (b.samplePosition < Math.round(t * 48000)) b.render(out);
      b.pushFrame({ timeSec: t, keypointsM: handAt(h), valid: [0, 1] });
    }
    return b.impactLog;
  };
  const fall = (t: number) => Math.max(-0.003, 0.6 * (0.1 - t)); // reaches the surface at 0.1 s, then 3 mm in
  const once = strike([0, 0.03, 0.06, 0.086, 0.095, 0.11, 0.13, 0.16].map((t) => [t, fall(t)]));
  assert.equal(once.length, 1, `impacts at ${once.map((i) => i.timeSec.toFixed(4))}`);
  assert.ok(Math.abs(once[0]!.timeSec - 0.1) < 0.001, `at ${once[0]!.timeSec}`);
  // A predicted touch the hand pulls back from (it stops approaching above the release height) is let go: the
  // strike that follows is a new one.
  const twice = strike([[0, 0.05], [0.03, 0.032], [0.056, 0.0084], [0.07, 0.012], [0.1, 0.02], [0.13, 0.002], [0.15, -0.003]]);
  assert.equal(twice.length, 2, `impacts at ${twice.map((i) => i.timeSec.toFixed(4))}`);
});
