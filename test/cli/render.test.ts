// `hearing-hands render` end to end: a tapping trajectory written to a file, rendered through the live path in
// simulated time; the WAV must be time-aligned with the trajectory and the taps audible at their contacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dsp } from '../../src/dsp/index.js';
import { writeTrajectoryFile } from '../../src/hand/trajectory-file.js';
import { readWav } from '../../src/io/wav.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';
import { isCleanError, runCli } from './run-cli.js';

let dir: string;
let dsp: Dsp;
const contacts = [0.3, 0.75, 1.2];
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hh-render-'));
  dsp = await Dsp.create();
  writeTrajectoryFile(join(dir, 'taps.json'), tapTrajectory({ contactsSec: contacts, durationSec: 1.6 }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('render (procedural backend): time-aligned WAV, taps at their contacts, measurements printed', async () => {
  const out = join(dir, 'taps.wav');
  const r = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--backend', 'procedural', '--compute', '0.002', '--rate', '44100']);
  assert.equal(r.code, 0, r.stderr);
  for (const label of ['backend    procedural', 'contacts   3 in the trajectory; 3 sounded', 'latency p50', 'real-time factor']) {
    assert.ok(r.stdout.includes(label), `stdout lacks '${label}':\n${r.stdout}`);
  }
  const wav = readWav(new Uint8Array(readFileSync(out)));
  assert.equal(wav.sampleRate, 44100);
  const x = dsp.resample(wav.channels[0]!, 44100, 16000);
  const onsets = dsp.onsets(x);
  assert.equal(onsets.length, contacts.length, `onsets ${Array.from(onsets)}`);
  for (let i = 0; i < contacts.length; i++) {
    assert.ok(onsets[i]! - contacts[i]! >= 0 && onsets[i]! - contacts[i]! < 0.02, `tap ${i} at ${onsets[i]}`);
  }
});

test('render: bad input fails cleanly', async () => {
  writeFileSync(join(dir, 'broken.json'), '{ "format": "hearing-hands/trajectory@1", "frames": [ { "t": 0, "left": null, "right": [1, 2] } ] }');
  const broken = await runCli(['render', join(dir, 'broken.json'), '-o', join(dir, 'x.wav')]);
  assert.equal(broken.code, 1);
  assert.ok(isCleanError(broken.stderr, 'INVALID_TRAJECTORY'), broken.stderr);
  const material = await runCli(['render', join(dir, 'taps.json'), '-o', join(dir, 'x.wav'), '--material', 'unobtainium']);
  assert.equal(material.code, 1);
  assert.ok(isCleanError(material.stderr, 'UNKNOWN_MATERIAL'), material.stderr);
  const rate = await runCli(['render', join(dir, 'taps.json'), '-o', join(dir, 'x.wav'), '--rate', 'fast']);
  assert.ok(isCleanError(rate.stderr, 'INVALID_ARGUMENT'), rate.stderr);
  const missing = await runCli(['render', join(dir, 'nope.json'), '-o', join(dir, 'x.wav')]);
  assert.equal(missing.code, 1);
  const model = await runCli(['render', join(dir, 'taps.json'), '-o', join(dir, 'x.wav'), '--backend', 'model', '--model', join(dir, 'nope.json')]);
  assert.ok(isCleanError(model.stderr, 'MODEL_LOAD'), model.stderr);
  const usage = await runCli(['render', join(dir, 'taps.json')]);
  assert.equal(usage.code, 2);
});

test('render --mode offline (the paper sampler over the whole trajectory): time-aligned WAV from the shipped model, measurements printed', async () => {
  const out = join(dir, 'offline.wav');
  const r = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--mode', 'offline', '--steps', '4', '--rate', '16000']);
  assert.equal(r.code, 0, r.stderr);
  for (const label of ['model offline (hh-flow-s', '4 steps at guidance 4.5 from flow time 0.4', '1 window(s)', 'contacts   3 in the trajectory', 'real-time factor']) {
    assert.ok(r.stdout.includes(label), `stdout lacks '${label}':\n${r.stdout}`);
  }
  const wav = readWav(new Uint8Array(readFileSync(out)));
  assert.equal(wav.sampleRate, 16000);
  // Mel frames cover the trajectory (sample 0 = t 0): 1.6 s within a hop.
  assert.ok(Math.abs(wav.channels[0]!.length / 16000 - 1.6) < 0.02, `length ${wav.channels[0]!.length / 16000} s`);
  let peak = 0;
  for (const v of wav.channels[0]!) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak > 0.01, `the render is silent (peak ${peak})`);
  const bad = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--mode', 'offline', '--backend', 'procedural']);
  assert.ok(isCleanError(bad.stderr, 'INVALID_ARGUMENT'), bad.stderr);
  const steps = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--mode', 'offline', '--steps', '0']);
  assert.ok(isCleanError(steps.stderr, 'INVALID_ARGUMENT'), steps.stderr);
  const from = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--mode', 'offline', '--guidance-from', '2']);
  assert.ok(isCleanError(from.stderr, 'INVALID_ARGUMENT'), from.stderr);
  const every = await runCli(['render', join(dir, 'taps.json'), '-o', out, '--mode', 'offline', '--steps', '2', '--guidance-from', '0', '--rate', '16000']);
  assert.equal(every.code, 0, every.stderr);
  assert.ok(every.stdout.includes('2 steps at guidance 4.5, '), every.stdout); // guided at every step: no 'from'
});
