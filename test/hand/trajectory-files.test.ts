import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandFrame } from '../../src/hand/hand-frame.js';
import { Trajectory, TrajectoryRecorder } from '../../src/hand/trajectory.js';
import { parseTrajectoryJson, stringifyTrajectoryJson } from '../../src/hand/trajectory-json.js';
import { encodeTrajectoryBinary, decodeTrajectoryBinary } from '../../src/hand/trajectory-binary.js';
import { parseNpy, encodeNpyFloat32, trajectoryFromHamerNpy, encodeHamerNpy } from '../../src/hand/npy-keypoints.js';
import { TrajectorySource } from '../../src/hand/sources/trajectory-source.js';
import { SceneRegistration } from '../../src/hand/registration.js';
import { InvalidNpyError, InvalidTrajectoryError } from '../../src/errors.js';

const hand = (base: number) => Array.from({ length: 63 }, (_, i) => Math.round((base + i * 0.001) * 1e6) / 1e6);

const example = {
  format: 'hearing-hands/trajectory@1', units: 'm', up: 'y', material: 'wood',
  frames: [
    { t: 0, left: null, right: hand(0.1) },
    { t: 0.0111, left: hand(0.2), right: hand(0.3) },
    { t: 0.0222, left: hand(0.25), right: null },
  ],
};

function sample(): Trajectory { return parseTrajectoryJson(JSON.stringify(example)); }

test('JSON: the DESIGN.md form parses, with per-hand validity, and round-trips', () => {
  const t = sample();
  assert.equal(t.frameCount, 3);
  assert.equal(t.info.material, 'wood');
  assert.deepEqual(Array.from(t.valid), [0, 1, 1, 1, 1, 0]);
  assert.ok(Math.abs(t.keypointsM[63 + 5]! - 0.105) < 1e-7, 'right hand of frame 0 is floats 63..125');
  assert.equal(t.keypointsM[0], 0, 'a null hand is zeros');
  const again = parseTrajectoryJson(stringifyTrajectoryJson(t));
  assert.deepEqual(again, t);
});

test('JSON: malformed files are InvalidTrajectoryError naming what is wrong', () => {
  const bad = (patch: (d: any) => void, pattern: RegExp) => {
    const d = structuredClone(example) as any;
    patch(d);
    assert.throws(() => parseTrajectoryJson(JSON.stringify(d)), (e: unknown) => e instanceof InvalidTrajectoryError && pattern.test((e as Error).message));
  };
  assert.throws(() => parseTrajectoryJson('{"format": '), InvalidTrajectoryError);
  bad((d) => { d.format = 'other@1'; }, /format/);
  bad((d) => { d.units = 'cm'; }, /units/);
  bad((d) => { d.frames = []; }, /non-empty/);
  bad((d) => { d.frames[1].right = [1, 2, 3]; }, /frames\[1\]\.right/);
  bad((d) => { d.frames[2].left[7] = 'x'; }, /frames\[2\]\.left\[7\]/);
  bad((d) => { d.frames[2].left[7] = null; }, /finite/);
  bad((d) => { d.frames[2].t = 0.001; }, /time must increase/);
  bad((d) => { delete d.frames[0].t; }, /frames\[0\]\.t/);
});

test('binary twin: round-trips exactly, fixed size per frame; corrupt bytes are refused', () => {
  const t = sample();
  const bytes = encodeTrajectoryBinary(t);
  assert.deepEqual(decodeTrajectoryBinary(bytes), t);
  const metaBytes = new DataView(bytes.buffer).getUint32(8, true);
  assert.equal(bytes.length, ((12 + metaBytes + 7) & ~7) + 3 * (8 + 126 * 4 + 2), 'fixed 514 bytes per frame after the header');
  assert.throws(() => decodeTrajectoryBinary(bytes.subarray(0, bytes.length - 1)), InvalidTrajectoryError);
  const badMagic = bytes.slice(); badMagic[0] = 0;
  assert.throws(() => decodeTrajectoryBinary(badMagic), /magic/);
  const nanTime = bytes.slice();
  new DataView(nanTime.buffer).setFloat64((12 + new DataView(bytes.buffer).getUint32(8, true) + 7) & ~7, NaN, true);
  assert.throws(() => decodeTrajectoryBinary(nanTime), /not finite/);
});

test('npy: HaMeR T×2×21×3 → trajectory at 30 Hz, zero hands untracked; round-trip; bad files refused', () => {
  const T = 4;
  const data = new Float32Array(T * 126);
  for (let i = 0; i < T; i++) for (let j = 0; j < 63; j++) data[i * 126 + 63 + j] = 1 + i + j / 100; // right hand only
  data[2 * 126 + 5] = 0.5; // frame 2 has a left hand too
  const bytes = encodeNpyFloat32(data, [T, 2, 21, 3]);
  assert.equal((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64, 0, 'header aligned to 64 bytes like numpy');
  const t = trajectoryFromHamerNpy(bytes);
  assert.deepEqual(Array.from(t.timesSec), [0, 1 / 30, 2 / 30, 3 / 30]);
  assert.deepEqual(Array.from(t.valid), [0, 1, 0, 1, 1, 1, 0, 1]);
  assert.deepEqual(trajectoryFromHamerNpy(encodeHamerNpy(t)), t);
  assert.deepEqual(parseNpy(bytes).shape, [T, 2, 21, 3]);
  assert.throws(() => trajectoryFromHamerNpy(encodeNpyFloat32(new Float32Array(126), [1, 2, 63])), /shape \(T, 2, 21, 3\)/);
  assert.throws(() => parseNpy(bytes.subarray(0, bytes.length - 4)), InvalidNpyError);
  assert.throws(() => parseNpy(new Uint8Array(20)), /magic/);
  const f8 = new TextDecoder('latin1').decode(bytes).replace("'<f4'", "'>f4'");
  assert.throws(() => parseNpy(Uint8Array.from(f8, (c) => c.charCodeAt(0))), /dtype >f4/);
  // NaN in an array: that hand is untracked, not a crash.
  data[63] = NaN;
  assert.equal(trajectoryFromHamerNpy(encodeNpyFloat32(data, [T, 2, 21, 3])).valid[1], 0);
});

test('npy written by numpy (float64, version 1.0 header) is read', () => {
  // Bytes as numpy 1.24 writes np.zeros((1,2,21,3)) with [0,1,0,0] = 0.25 (header text copied from numpy).
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 21, 3), }";
  const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
  const bytes = new Uint8Array(10 + padded.length + 8 * 126);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) bytes[10 + i] = padded.charCodeAt(i);
  new DataView(bytes.buffer).setFloat64(10 + padded.length + 8 * 63, 0.25, true);
  const t = trajectoryFromHamerNpy(bytes);
  assert.deepEqual(Array.from(t.valid), [0, 1]);
  assert.equal(t.keypointsM[63], 0.25);
});

test('TrajectorySource plays every frame in order with registration; recorder captures and sanitises', () => {
  const t = sample();
  const reg = SceneRegistration.fromScenePose({ positionM: [0, 1, 0], rotation: [0, 0, 0, 1], scale: 1 });
  const src = new TrajectorySource(t, { registration: reg });
  const rec = new TrajectoryRecorder({ material: 'wood' });
  src.playAll((f) => { rec.add(f); });
  assert.equal(src.stats.frames, 3);
  const back = rec.toTrajectory();
  assert.ok(Math.abs(back.keypointsM[64]! - (t.keypointsM[64]! - 1)) < 1e-6, 'y shifted into the scene frame');
  assert.equal(back.keypointsM[0], 0, 'untracked hand not moved');
  const f = new HandFrame(); f.timeSec = 0; // time going backwards
  assert.equal(rec.add(f), false);
  assert.equal(rec.droppedFrames, 1);
  // A listener that throws is contained.
  const src2 = new TrajectorySource(t);
  src2.playAll(() => { throw new Error('boom'); });
  assert.equal(src2.stats.listenerErrors, 3);
});

test('TrajectorySource real-time playback delivers frames when their time comes', async () => {
  let now = 0;
  const src = new TrajectorySource(sample(), { nowMs: () => now });
  const got: number[] = [];
  src.start((f) => got.push(f.timeSec));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(got, [0]);
  now = 15;
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(got, [0, 0.0111]);
  now = 1000;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(got.length, 3);
  assert.ok(src.finished);
  src.dispose();
});

test('trajectory files on disk: format by extension, round-trip, typed errors', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { readTrajectoryFile, writeTrajectoryFile } = await import('../../src/hand/trajectory-file.js');
  const { FileIoError } = await import('../../src/errors.js');
  const dir = mkdtempSync(join(tmpdir(), 'hh-traj-'));
  try {
    const t = sample();
    for (const ext of ['.json', '.hht']) {
      writeTrajectoryFile(join(dir, 'a' + ext), t);
      assert.deepEqual(readTrajectoryFile(join(dir, 'a' + ext)), t);
    }
    const grid = parseTrajectoryJson(JSON.stringify({ ...example, frames: example.frames.map((f, i) => ({ ...f, t: i / 30 })) }));
    writeTrajectoryFile(join(dir, 'a.npy'), grid);
    assert.deepEqual(Array.from(readTrajectoryFile(join(dir, 'a.npy')).valid), Array.from(grid.valid));
    assert.throws(() => readTrajectoryFile(join(dir, 'missing.json')), FileIoError);
    assert.throws(() => readTrajectoryFile(join(dir, 'a.txt')), /unknown trajectory extension/);
    writeFileSync(join(dir, 'bad.json'), '{"format": "hearing-hands/trajectory@1", "frames": [{"t": 0, "right": [1]}]}');
    assert.throws(() => readTrajectoryFile(join(dir, 'bad.json')), (e: unknown) => e instanceof InvalidTrajectoryError && /bad\.json: frames\[0\]\.right/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('UnityHandSource: 26 Unity joints → MANO 21, right-handed; NaN hand dropped; time order enforced', async () => {
  const { UnityHandSource } = await import('../../src/hand/sources/unity-hand-source.js');
  const src = new UnityHandSource();
  const got: HandFrame[] = [];
  src.start((f) => got.push(new HandFrame().copyFrom(f)));
  const joints = Float32Array.from({ length: 78 }, (_, i) => i);
  assert.equal(src.submit(0.01, null, joints), true);
  assert.deepEqual(Array.from(got[0]!.keypointsM.subarray(63, 66)), [0, 1, -2], 'wrist, Z negated');
  assert.deepEqual(Array.from(got[0]!.keypointsM.subarray(66, 69)), [6, 7, -8], 'thumb CMC = ThumbMetacarpal (skips Palm)');
  assert.deepEqual(Array.from(got[0]!.valid), [0, 1]);
  const nan = joints.slice(); nan[10] = NaN;
  assert.equal(src.submit(0.02, nan, joints), true);
  assert.deepEqual(Array.from(got[1]!.valid), [0, 1]);
  assert.equal(src.stats.nonFiniteHands, 1);
  assert.equal(src.submit(0.015, joints, joints), false, 'time going backwards is not delivered');
  assert.equal(src.stats.nonMonotonicFrames, 1);
});
