/**
 * The onset backstop (src/runtime/onset-backstop.ts): a contact the model left silent gets the procedural strike, on
 * time and without clicks; a contact the model sounds is left alone, and the model's audio passes through unchanged.
 * The model's side is a scripted stream here (what a model that sounds / does not sound a contact would emit), so
 * both branches are exercised on purpose; the last test runs the shipped model itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Dsp } from '../../src/dsp/index.js';
import type { HandFrame } from '../../src/hand/hand-frame.js';
import { Trajectory } from '../../src/hand/trajectory.js';
import { findClicks } from '../../src/runtime/clicks.js';
import { createGenerator } from '../../src/runtime/create-generator.js';
import type { PcmChunk, SoundGenerator } from '../../src/runtime/generator.js';
import { OnsetBackstop } from '../../src/runtime/onset-backstop.js';
import { runSimulatedSession } from '../../src/runtime/simulated-session.js';
import { SHIPPED_MODEL_PATHS } from '../../src/model/shipped.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';

const RATE = 48000;

/** Emits a fixed stream as a model does: in chunks, `aheadSec` before they play (stream sample 0 = first frame). */
class ScriptedModel implements SoundGenerator {
  readonly kind = 'model' as const;
  readonly outputRate = RATE;
  originSec = NaN;
  /** Runs this much further ahead when asked (as ModelGenerator does). */
  extraLeadSec = 0;
  private done = 0;
  constructor(private readonly stream: Float32Array, private readonly aheadSec = 0.1, private readonly chunk = 3072) {}
  push(frame: HandFrame): void { if (Number.isNaN(this.originSec)) this.originSec = frame.timeSec; }
  async advance(nowSec: number): Promise<PcmChunk[]> {
    const out: PcmChunk[] = [];
    const until = Math.min(this.stream.length, Math.floor((nowSec + this.aheadSec + this.extraLeadSec - this.originSec) * RATE));
    for (; this.done + this.chunk <= until; this.done += this.chunk) out.push({ startSample: this.done, samples: this.stream.slice(this.done, this.done + this.chunk) });
    return out;
  }
  async finish(): Promise<PcmChunk[]> {
    const rest = { startSample: this.done, samples: this.stream.slice(this.done) };
    this.done = this.stream.length;
    return [rest];
  }
  async dispose(): Promise<void> {}
}

/** A quiet noise floor, plus (optionally) a decaying 700 Hz strike 4 ms after each contact. */
function modelStream(durSec: number, strikesSec: number[]): Float32Array {
  const x = new Float32Array(Math.round(durSec * RATE));
  let s = 7;
  for (let i = 0; i < x.length; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = 2e-4 * (s / 2 ** 32 - 0.5); }
  for (const t of strikesSec) {
    const a = Math.round((t + 0.004) * RATE);
    for (let i = 0; a + i < x.length && i < 0.3 * RATE; i++) x[a + i]! += 0.4 * Math.exp(-i / (0.04 * RATE)) * Math.sin((2 * Math.PI * 700 * i) / RATE);
  }
  return x;
}

const CONTACTS = [0.6, 1.7, 2.8];
const traj = () => tapTrajectory({ contactsSec: CONTACTS, durationSec: 3.4, speedMps: 0.6, rateHz: 90 });

async function play(gen: SoundGenerator, t: Trajectory = traj()) {
  return runSimulatedSession(gen, t, { computeSec: 0.002 });
}

test('onset backstop: contacts the model left silent get the procedural strike, on time, without clicks', async () => {
  const dsp = await Dsp.create();
  const gen = new OnsetBackstop({ model: new ScriptedModel(modelStream(4.2, [])), material: 'wood' });
  const run = await play(gen);
  assert.deepEqual(gen.stats, { impacts: CONTACTS.length, sounded: CONTACTS.length, retimed: 0 });
  const onsets = dsp.onsets(dsp.resample(run.output, RATE, 16000));
  // The same session 14 s into the hand clock (a browser session's clock does not start at the first frame).
  const t = traj(), late = new OnsetBackstop({ model: new ScriptedModel(modelStream(4.2, [])), material: 'wood' });
  const shifted = await play(late, new Trajectory(t.timesSec.map((x) => x + 14), t.keypointsM, t.valid, t.info));
  assert.deepEqual(late.stats, gen.stats);
  const onsetsShifted = dsp.onsets(dsp.resample(shifted.output.subarray(14 * RATE), RATE, 16000));
  assert.deepEqual([...onsetsShifted].map((x) => x.toFixed(3)), [...onsets].map((x) => x.toFixed(3)));
  for (const c of CONTACTS) {
    const lag = Math.min(...onsets.map((o) => Math.abs(o - c)));
    assert.ok(lag < 0.015, `contact at ${c} s: nearest onset ${lag * 1000} ms away (onsets ${[...onsets].join(', ')})`);
  }
  assert.deepEqual(findClicks(run.output, RATE, onsets), []);
  assert.equal(run.dropouts, 0);
  // Nothing of the procedural engine outside the strikes' spans: there the output is the model's own quiet floor.
  const quiet = run.output.subarray(Math.round(0.2 * RATE), Math.round(0.55 * RATE));
  assert.ok(Math.max(...quiet.map(Math.abs)) < 2e-4, 'procedural sound before the first contact');
});

test('onset backstop: a contact the model sounds is left to the model, sample for sample', async () => {
  const stream = modelStream(4.2, CONTACTS);
  const alone = await play(new ScriptedModel(stream));
  const gen = new OnsetBackstop({ model: new ScriptedModel(stream), material: 'wood' });
  const backed = await play(gen);
  assert.deepEqual(gen.stats, { impacts: CONTACTS.length, sounded: 0, retimed: 0 });
  let worst = 0;
  for (let i = 0; i < alone.output.length; i++) worst = Math.max(worst, Math.abs(alone.output[i]! - backed.output[i]!));
  assert.equal(worst, 0, `the model's audio changed by up to ${worst}`);
});

test('onset backstop: a model onset 30 ms late is moved to the contact: the model\'s own sound, once, on time, without clicks', async () => {
  const dsp = await Dsp.create();
  const lateSec = 0.03;
  const stream = modelStream(4.2, CONTACTS.map((c) => c + lateSec));
  // A model 0.2 s ahead has the moved sound made already; one 0.1 s ahead is handed on short of its end while the
  // move lasts, and runs that much further ahead meanwhile (its extraLeadSec), so the playback never runs dry.
  for (const aheadSec of [0.2, 0.1]) {
    const gen = new OnsetBackstop({ model: new ScriptedModel(stream, aheadSec), material: 'wood' });
    const run = await play(gen);
    assert.deepEqual(gen.stats, { impacts: CONTACTS.length, sounded: 0, retimed: CONTACTS.length }, `model ${aheadSec} s ahead`);
    const onsets = [...dsp.onsets(dsp.resample(run.output, RATE, 16000))];
    for (const c of CONTACTS) {
      const near = onsets.filter((o) => o > c - 0.1 && o < c + 0.2);
      assert.equal(near.length, 1, `contact at ${c} s: onsets ${near.join(', ')} (one expected: moved, not doubled)`);
      assert.ok(Math.abs(near[0]! - c) < 0.015, `contact at ${c} s: onset at ${near[0]} (the model's was ${lateSec * 1000} ms late)`);
      // The sound at the contact is the model's strike, moved: 80 ms of the output (after the onset's first 10 ms,
      // where the timeline crossfades at its playhead) are the model's stream some 15–30 ms later (as far as the
      // onset moved: to the contact, or to the earliest it could still play).
      const a = Math.round((near[0]! + 0.01) * RATE), n = Math.round(0.08 * RATE);
      let best = { err: Infinity, lagMs: 0 };
      for (let lag = 0; lag <= 0.04 * RATE; lag++) {
        let err = 0, ref = 0;
        for (let i = 0; i < n; i++) { err += (run.output[a + i]! - stream[a + i + lag]!) ** 2; ref += stream[a + i + lag]! ** 2; }
        if (err / ref < best.err) best = { err: err / ref, lagMs: lag / RATE * 1000 };
      }
      // Exact where the model had made the whole move already; within 1 % where it was handed on in parts (the
      // timeline crossfades each part in at its playhead when that has come close).
      assert.ok(best.err < (aheadSec >= 0.2 ? 1e-6 : 1e-2) && best.lagMs >= 15 && best.lagMs <= 30, `model ${aheadSec} s ahead, contact at ${c} s: the output matches the model's stream ${best.lagMs} ms later with relative error ${best.err}`);
    }
    assert.deepEqual(findClicks(run.output, RATE, onsets), []);
    assert.equal(run.dropouts, 0);
  }
  // Off: the model's onsets stay where they were.
  const off = new OnsetBackstop({ model: new ScriptedModel(stream, 0.2), material: 'wood', retimeAfterSec: Infinity });
  const kept = await play(off);
  assert.equal(off.stats.retimed, 0);
  const keptOnsets = [...dsp.onsets(dsp.resample(kept.output, RATE, 16000))];
  for (const c of CONTACTS) assert.ok(keptOnsets.some((o) => Math.abs(o - (c + lateSec)) < 0.01), `retiming off: onset near ${c + lateSec} s`);
});

test('onset backstop told where the audio thread is (the browser\'s commit point): strikes and moves are spliced in from there, whatever lead the clock estimate needs', async () => {
  const dsp = await Dsp.create();
  // The Worker's clock readings spread 15 ms (the audio thread's bursts): placed by the clock estimate, a strike found
  // late waits that much longer; placed from the audio thread's position, it does not.
  const lags = async (stream: Float32Array, speculative: boolean) => {
    const actions: string[] = [];
    const gen = new OnsetBackstop({ model: new ScriptedModel(stream, 0.2), material: 'wood', adaptToTickCost: false, onDecision: (d) => actions.push(d.action) });
    gen.extraLeadSec = 0.015;
    const run = await runSimulatedSession(gen, traj(), { computeSec: 0.002, speculative });
    const onsets = [...dsp.onsets(dsp.resample(run.output, RATE, 16000))];
    assert.deepEqual(findClicks(run.output, RATE, onsets), []);
    assert.equal(run.dropouts, 0);
    return { stats: gen.stats, actions, lagsMs: CONTACTS.map((c) => {
      const near = onsets.filter((o) => o > c - 0.1 && o < c + 0.2);
      assert.equal(near.length, 1, `contact at ${c} s: onsets ${near.join(', ')} (one expected)`);
      return (near[0]! - c) * 1000;
    }) };
  };
  const silent = modelStream(4.2, []);
  const struck = await lags(silent, true), struckByEstimate = await lags(silent, false);
  assert.deepEqual(struck.stats, { impacts: 3, sounded: 3, retimed: 0 });
  assert.deepEqual(struck.actions, ['struck', 'struck', 'struck']); // as reported to onDecision (HearingHands reportBackstop)
  for (const [i, lag] of struck.lagsMs.entries()) {
    assert.ok(lag > -2 && lag < 8, `strike ${i}: ${lag} ms after its contact`);
    assert.ok(struckByEstimate.lagsMs[i]! > lag + 10, `strike ${i}: ${struckByEstimate.lagsMs[i]} ms placed by the clock estimate, ${lag} ms spliced`);
  }
  // A model onset 30 ms late: moved to where the audio thread is (by the estimate, only to the clock's lead).
  const late = modelStream(4.2, CONTACTS.map((c) => c + 0.03));
  const moved = await lags(late, true), movedByEstimate = await lags(late, false);
  assert.deepEqual(moved.stats, { impacts: 3, sounded: 0, retimed: 3 });
  assert.deepEqual(moved.actions, ['moved', 'moved', 'moved']);
  for (const [i, lag] of moved.lagsMs.entries()) {
    assert.ok(lag > -2 && lag < 10, `moved onset ${i}: ${lag} ms after its contact`);
    assert.ok(movedByEstimate.lagsMs[i]! > lag + 10, `onset ${i}: ${movedByEstimate.lagsMs[i]} ms by the clock estimate, ${lag} ms spliced`);
  }
});

test('onset backstop: a strike the model sounds too late counts as missed; NaN hands do not stop it', async () => {
  const gen = new OnsetBackstop({ model: new ScriptedModel(modelStream(4.2, CONTACTS.map((c) => c + 0.09))), material: 'metal' });
  const t = traj();
  t.keypointsM.fill(NaN, 40 * 126 + 63, 40 * 126 + 126); // one frame's right hand lost to NaN, far from any contact
  const run = await play(gen, t);
  assert.equal(gen.stats.sounded, CONTACTS.length);
  assert.ok(run.output.every(Number.isFinite));
  assert.throws(() => new OnsetBackstop({ model: new ScriptedModel(new Float32Array(1)), windowSec: 1 }), /windowSec/);
});

const modelPath = SHIPPED_MODEL_PATHS.live;
test('onset backstop with the shipped live model: every contact judged, the model audio unchanged outside the strikes it adds', { skip: !existsSync(modelPath) && 'no shipped model' }, async () => {
  const dsp = await Dsp.create();
  const t = traj();
  const make = (backstop: boolean) => createGenerator(dsp, t, { backend: 'model', modelPath, material: 'wood', outputRate: RATE, tickFrames: 4, reproducible: true, seed: 3, backstop });
  const alone = await play((await make(false)).generator);
  const gen = (await make(true)).generator;
  assert.ok(gen instanceof OnsetBackstop);
  const backed = await play(gen);
  assert.equal(gen.stats.impacts, CONTACTS.length);
  // Where no strike was added and no onset moved (until 20 ms before the first contact) the two outputs are the
  // model's, identical.
  const end = Math.round((CONTACTS[0]! - 0.02) * RATE);
  let worst = 0;
  for (let i = 0; i < end; i++) worst = Math.max(worst, Math.abs(alone.output[i]! - backed.output[i]!));
  assert.ok(worst < 1e-6, `model audio changed by ${worst} before any strike`);
  if (gen.stats.sounded === 0 && gen.stats.retimed === 0) assert.deepEqual(backed.output, alone.output);
});
