// Capture mode's server side without a browser: a synthetic upload (hand frames on the page clock, 48 kHz audio
// starting at a known page time) must become items that the dataset reader loads, with the touch and its click at
// the same item time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dsp } from '../../src/dsp/index.js';
import { HandFrame } from '../../src/hand/hand-frame.js';
import { TrajectoryRecorder } from '../../src/hand/trajectory.js';
import { openDataset, readItem } from '../../src/dataset/index.js';
import { readWav } from '../../src/io/wav.js';
import { CAPTURE_FORMAT, decodeCapture, encodeCapture, type CapturePayload } from '../../xr-demo/src/capture/capture-payload.js';
import { writeCapture } from '../../xr-demo/server/capture-writer.js';

const AUDIO_START = 100.2, TOUCH = 101.5, TABLE = 0.75;

function payload(seconds: number, rate = 48000): CapturePayload {
  const rec = new TrajectoryRecorder();
  const f = new HandFrame();
  for (let t = 100; t < AUDIO_START + seconds + 0.5; t += 1 / 72) {
    f.clear();
    f.timeSec = t;
    // A flat right hand 20 cm above the table that drops onto it at TOUCH (1 m/s) and stays.
    const y = TABLE + Math.max(0, Math.min(0.2, (TOUCH - t) * 1));
    for (let k = 0; k < 21; k++) f.keypointsM.set([0.01 * k, y, -0.5], 63 + 3 * k);
    f.valid[1] = 1;
    rec.add(f);
  }
  const audio = new Float32Array(Math.round(seconds * rate));
  const click = Math.round((TOUCH - AUDIO_START) * rate);
  for (let i = 0; i < 400; i++) audio[click + i] = 0.5 * Math.exp(-i / 80) * Math.sin(i * 0.3);
  return {
    header: { format: CAPTURE_FORMAT, sampleRate: rate, audioStartPageSec: AUDIO_START, camera: { position: [0, 1.5, 0.3], forward: [0, -0.6, -0.8] }, region: 'table', material: 'wood', clock: 'test' },
    trajectory: rec.toTrajectory(), audio,
  };
}

test('capture writer: payload round trip, items in the released layout, touch and click at the same item time', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hh-capture-'));
  try {
    const p = decodeCapture(encodeCapture(payload(10)));
    assert.equal(p.audio.length, 480000);
    assert.equal(p.header.audioStartPageSec, AUDIO_START);
    const dsp = await Dsp.create();
    const w = writeCapture(root, p, dsp);
    assert.equal(w.items.length, 2, '10 s → two 8 s items, the second padded');
    const ds = openDataset(root);
    assert.equal(ds.kind, 'simulated');
    assert.deepEqual(ds.split.train.map((e) => e[1]), w.items);
    const item = readItem(ds, w.scene, w.items[0]!);
    assert.equal(item.keypointFrames, 240);
    assert.equal(item.melFrames, 501);
    const labels = item.labels as { camera: { position: number[]; right: number[]; down: number[]; forward: number[] }; paddedSec: number };
    assert.equal(labels.paddedSec, 0);
    // Keypoints back in the scene frame: the hand reaches the table at item frame (TOUCH − AUDIO_START) · 30 = 39.
    const c = labels.camera;
    const sceneY = (f: number) => c.position[1]! + c.right[1]! * item.keypoints[f * 126 + 63]! + c.down[1]! * item.keypoints[f * 126 + 64]! + c.forward[1]! * item.keypoints[f * 126 + 65]!;
    const touchFrame = [...Array(240).keys()].find((f) => sceneY(f) <= TABLE + 1e-4);
    assert.equal(touchFrame, 39);
    assert.ok(Math.abs(sceneY(0) - (TABLE + 0.2)) < 1e-4);
    // The click is at the same item time in the WAV (16 kHz).
    const wav = readWav(new Uint8Array(readFileSync(join(root, w.scene, 'audio', `${w.items[0]}.wav`)))).channels[0]!;
    const onsets = dsp.onsets(wav);
    assert.ok(onsets.length >= 1 && Math.abs(onsets[0]! - (TOUCH - AUDIO_START)) < 0.01, `onsets ${Array.from(onsets)}`);
    // The second item: 2 s of audio then padding; hands tracked only while recorded.
    const second = readItem(ds, w.scene, w.items[1]!);
    assert.ok(Math.abs((second.labels as { paddedSec: number }).paddedSec - 6) < 0.01);
    const trackedAt = (f: number) => second.keypoints.subarray(f * 126 + 63, f * 126 + 126).some((v) => v !== 0);
    assert.ok(trackedAt(30) && !trackedAt(100));
    // A second recording is the next take, appended to the split.
    const w2 = writeCapture(root, decodeCapture(encodeCapture(payload(3))), dsp);
    assert.equal(w2.take, 2);
    assert.equal(openDataset(root).split.train.length, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('capture writer: a recording without hand frames gives untracked hands, not an error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hh-capture-'));
  try {
    const p = payload(2);
    const empty = decodeCapture(encodeCapture({ ...p, trajectory: new TrajectoryRecorder().toTrajectory() }));
    assert.equal(empty.trajectory.frameCount, 0);
    const w = writeCapture(root, empty, await Dsp.create());
    const item = readItem(openDataset(root), w.scene, w.items[0]!);
    assert.ok(item.keypoints.every((v) => v === 0));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('capture payload: a body that is not a capture is refused with a clear error', () => {
  assert.throws(() => decodeCapture(new Uint8Array(16)), /bad magic/);
  const good = encodeCapture(payload(1));
  assert.throws(() => decodeCapture(good.subarray(0, good.length - 4)), /header says/);
});
