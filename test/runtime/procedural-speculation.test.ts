import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { ChunkTimeline, defaultTimelineOptions } from '../../src/audio/chunk-timeline.js';
import { HandFrame } from '../../src/hand/hand-frame.js';
import { findClicks } from '../../src/runtime/clicks.js';
import { ProceduralGenerator } from '../../src/runtime/procedural-generator.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';

const dsp = await Dsp.create();
const RATE = 48000;

/**
 * The browser sampler's speculative procedural path in simulated time: the audio thread renders 10 ms bursts (a
 * device buffer), the sampler steps every 4 ms and at each 90 Hz frame (which reaches it 2 ms late), commits the audio
 * up to the playhead + 1 ms, and its chunks go through a ChunkTimeline with their splice flags.
 */
async function run(contactsSec: number[], durationSec: number) {
  const traj = tapTrajectory({ contactsSec, durationSec });
  const gen = new ProceduralGenerator({ outputRate: RATE, material: 'wood', surfaceHeightM: 0, marginSec: 0.015 });
  const timeline = new ChunkTimeline(defaultTimelineOptions(RATE));
  timeline.reset(0);
  const burst = 480, out = new Float32Array(Math.round(durationSec * RATE));
  const handedOut = new Float32Array(out.length + RATE);
  const frame = new HandFrame();
  let next = 0, rendered = 0, splices = 0, handedEnd = 0;
  const changedAtSec: number[] = [];
  const stepTimes: number[] = [];
  for (let t = 0.004; t < durationSec; t += 0.004) stepTimes.push(t);
  for (const ft of traj.timesSec) stepTimes.push(ft + 0.002);
  stepTimes.sort((a, b) => a - b);
  for (const t of stepTimes) {
    const playhead = (Math.floor((t * RATE) / burst) + 1) * burst;
    while (rendered < Math.min(playhead, out.length)) { timeline.render(out, rendered, 128); rendered += 128; }
    gen.extraLeadSec = burst / RATE;
    const commit = gen.commitUntil(playhead + 48);
    assert.ok(commit >= playhead + 48 && commit < playhead + 48 + 128);
    while (next < traj.timesSec.length && traj.timesSec[next]! + 0.002 <= t) gen.push(traj.frameAt(next++, frame));
    for (const c of await gen.advance(t)) {
      if (c.splice) {
        splices++;
        assert.ok(c.startSample >= commit, 'a splice starts at the commit point');
        for (let i = 0; i < c.samples.length && c.startSample + i < handedEnd; i++) {
          if (handedOut[c.startSample + i] !== c.samples[i]) { changedAtSec.push((c.startSample + i) / RATE); break; }
        }
      }
      handedEnd = Math.max(handedEnd, c.startSample + c.samples.length);
      handedOut.set(c.samples.subarray(0, Math.max(0, Math.min(c.samples.length, handedOut.length - c.startSample))), c.startSample);
      timeline.place(c.startSample, c.samples, c.samples.length, c.splice === true);
    }
  }
  while (rendered < out.length) { timeline.render(out, rendered, Math.min(128, out.length - rendered)); rendered += 128; }
  return { out, splices, changedAtSec };
}

test('speculative procedural generator: re-renders match the audio they replace until a frame changes it, taps sound within a burst', async () => {
  const contacts = [0.3, 0.75, 1.21, 1.64];
  const { out, splices, changedAtSec } = await run(contacts, 2.1);
  assert.ok(splices > 100, `${splices} splices`);
  assert.ok(changedAtSec.length >= contacts.length, 'each tap changed a re-render');
  // A re-render differs from what it replaces only where a tap changed the sound (an impact, then the touch and the
  // lift), never in the air between taps (the same state, rendered on the same grid, sample for sample).
  for (const c of changedAtSec) assert.ok(contacts.some((k) => c > k - 0.03 && c < k + 0.06), `a re-render changed the sound at ${c.toFixed(3)} s`);
  const onsets = dsp.onsets(dsp.resample(out, RATE, 16000));
  assert.equal(onsets.length, contacts.length, `onsets ${Array.from(onsets)}`);
  for (let i = 0; i < contacts.length; i++) {
    const lag = onsets[i]! - contacts[i]!;
    // The impact is predicted from the frame before the contact, and goes in at the commit point at the latest.
    assert.ok(lag > -0.005 && lag < 0.015, `tap ${i}: ${(lag * 1000).toFixed(1)} ms`);
  }
  assert.deepEqual(findClicks(out, RATE, onsets), [], 'no clicks');
});
