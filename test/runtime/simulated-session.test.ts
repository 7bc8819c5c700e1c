import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { ProceduralGenerator } from '../../src/runtime/procedural-generator.js';
import { runSimulatedSession } from '../../src/runtime/simulated-session.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';
import { findClicks } from '../../src/runtime/clicks.js';

const dsp = await Dsp.create();

test('procedural generator through the simulated live path: each tap sounds within 20 ms of its contact', async () => {
  const contacts = [0.4, 0.9, 1.37];
  const traj = tapTrajectory({ contactsSec: contacts, durationSec: 1.8 });
  const gen = new ProceduralGenerator({ outputRate: 48000, material: 'wood', surfaceHeightM: 0, room: false });
  const run = await runSimulatedSession(gen, traj, { computeSec: 0.002 });
  assert.equal(run.sampleRate, 48000);
  const at16k = dsp.resample(run.output, 48000, 16000);
  const onsets = dsp.onsets(at16k);
  assert.equal(onsets.length, contacts.length, `onsets ${Array.from(onsets)}`);
  for (let i = 0; i < contacts.length; i++) {
    const lag = onsets[i]! - contacts[i]!;
    assert.ok(lag >= -0.001 && lag <= 0.02, `tap ${i}: sound ${(lag * 1000).toFixed(1)} ms after contact`);
  }
  // Silence before the first contact (nothing generated from a hand in the air).
  let before = 0;
  for (let i = 0; i < Math.floor(0.35 * 48000); i++) before = Math.max(before, Math.abs(run.output[i]!));
  assert.ok(before < 1e-4, `sound before any contact: ${before}`);
  assert.equal(run.stepMs.length, traj.timesSec.length, "a fast sampler steps once per frame");
  assert.deepEqual(findClicks(run.output, 48000, onsets), [], 'no clicks');
});

test('a slow sampler (50 ms per step) drains the frames that queued up and makes sound late, never early', async () => {
  const traj = tapTrajectory({ contactsSec: [0.5], durationSec: 1 });
  const gen = new ProceduralGenerator({ outputRate: 16000, material: 'metal', surfaceHeightM: 0, room: false });
  const run = await runSimulatedSession(gen, traj, { computeSec: 0.05 });
  const onsets = dsp.onsets(run.output);
  assert.ok(onsets.length >= 1);
  // Up to two steps late: the contact frame may wait for the busy sampler, then its step takes 50 ms.
  assert.ok(onsets[0]! >= 0.5 && onsets[0]! < 0.5 + 2 * 0.05 + 0.01, `onset ${onsets[0]}`);
  assert.ok(run.stepMs.length < traj.timesSec.length / 3, `${run.stepMs.length} steps for ${traj.timesSec.length} frames`);
});
