import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { ProceduralGenerator } from '../../src/runtime/procedural-generator.js';
import { runSimulatedSession } from '../../src/runtime/simulated-session.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';
import { findClicks } from '../../src/runtime/clicks.js';
import { existsSync } from 'node:fs';
import { createGenerator } from '../../src/runtime/create-generator.js';
import { SHIPPED_MODEL_PATHS } from '../../src/model/shipped.js';

const LIVE_MODEL = new URL(`../../${SHIPPED_MODEL_PATHS.live}`, import.meta.url).pathname;

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
  // A fast sampler steps at every frame, and in between at most idleSec (4 ms) after its last step ends.
  assert.ok(run.stepMs.length >= traj.timesSec.length, `${run.stepMs.length} steps for ${traj.timesSec.length} frames`);
  assert.ok(run.stepMs.length <= traj.timesSec.length * Math.ceil((1 / 90) / 0.006 + 1), `${run.stepMs.length} steps`);
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

test('a 30 Hz tracker (the dataset rate) leaves no gaps: the sampler steps between frames, as the Worker does', async () => {
  const traj = tapTrajectory({ contactsSec: [0.4, 0.9, 1.37], durationSec: 1.8, rateHz: 30 });
  const procedural = await runSimulatedSession(new ProceduralGenerator({ outputRate: 48000, material: 'wood', surfaceHeightM: 0, room: false }), traj, { computeSec: 0.002 });
  // Stepping only when a frame arrives (every 33 ms) let both the procedural margin and the model's lead run dry.
  assert.ok(procedural.dropouts <= 1, `procedural: ${procedural.dropouts} dropouts`);
  if (existsSync(LIVE_MODEL)) {
    const { generator } = await createGenerator(dsp, traj, { backend: 'model', modelPath: LIVE_MODEL, material: 'wood', outputRate: 48000, reproducible: true });
    const model = await runSimulatedSession(generator, traj, { computeSec: 0.005 });
    assert.ok(model.dropouts <= 1, `model: ${model.dropouts} dropouts, ${model.lateSamples} late samples`);
  }
});
