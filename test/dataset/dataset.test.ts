import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simulateDataset } from '../../src/dataset/simulate.js';
import { openDataset, readItem, releasedMelToLog } from '../../src/dataset/reader.js';
import { planDataset, buildSplits } from '../../src/dataset/plan.js';
import { itemName, paths, videoOfItem, viewOfItem } from '../../src/dataset/layout.js';
import { readWav } from '../../src/io/wav.js';
import { writeNpy } from '../../src/io/npy.js';
import { Dsp } from '../../src/dsp/index.js';
import { InvalidArgumentError, InvalidDatasetError } from '../../src/errors.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  }).sort();
}

const tmp = mkdtempSync(join(tmpdir(), 'hh-sim-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const HOURS = 0.006; // 3 sounds × 3 views

test('same seed → byte-identical files (1 or 2 workers); another seed → other data', async () => {
  const a = join(tmp, 'a'), b = join(tmp, 'b'), c = join(tmp, 'c');
  const sa = await simulateDataset({ out: a, hours: HOURS, seed: 7, workers: 1 });
  await simulateDataset({ out: b, hours: HOURS, seed: 7, workers: 2 });
  await simulateDataset({ out: c, hours: HOURS, seed: 8, workers: 1 });
  assert.equal(sa.sounds, 3);
  const fa = listFiles(a), fb = listFiles(b);
  assert.deepEqual(fa.map((p) => relative(a, p)), fb.map((p) => relative(b, p)));
  for (let i = 0; i < fa.length; i++) assert.ok(readFileSync(fa[i]!).equals(readFileSync(fb[i]!)), `${relative(a, fa[i]!)} differs`);
  const wavA = listFiles(a).find((p) => p.endsWith('.wav'))!, wavC = listFiles(c).find((p) => p.endsWith('.wav'))!;
  assert.ok(!readFileSync(wavA).equals(readFileSync(wavC)), 'a different seed gives different sound');
});

test('items read back in the released layout with the documented shapes, and the mel is our log-mel of the WAV', async () => {
  const root = join(tmp, 'a');
  const ds = openDataset(root);
  assert.equal(ds.kind, 'simulated');
  const all = [...ds.split.train, ...ds.split.val, ...ds.split.test];
  assert.equal(all.length, 9);
  const dsp = await Dsp.create();
  for (const [scene, item] of all) {
    const it = readItem(ds, scene, item);
    assert.equal(it.melFrames, 501);
    assert.equal(it.melLog.length, 80 * 501);
    assert.equal(it.keypointFrames, 240);
    assert.deepEqual(it.visual?.shape, [32, 64]);
    assert.deepEqual(it.visualLocal?.shape, [32, 64]);
    const labels = it.labels!;
    assert.ok(typeof labels.material === 'string' && typeof labels.action === 'string');
    // The stored mel is the mel of the stored (16-bit) WAV up to quantisation.
    const wav = readWav(readFileSync(join(root, scene, labels.wav as string)));
    assert.equal(wav.sampleRate, 16000);
    const fm = dsp.mel(wav.channels[0]!, { log: true });
    let maxErr = 0;
    for (let t = 0; t < 501; t++) for (let m = 0; m < 80; m++) {
      const ref = fm[t * 80 + m]!;
      if (ref > -7) maxErr = Math.max(maxErr, Math.abs(ref - it.melLog[m * 501 + t]!));
    }
    assert.ok(maxErr < 0.05, `mel vs WAV mel: ${maxErr}`);
    // Tracked hands have non-zero keypoints in front of the camera (z > 0); untracked ones are zeros.
    const present = labels.handsPresent as boolean[];
    for (let h = 0; h < 2; h++) {
      let zSum = 0, nonZero = 0;
      for (let f = 0; f < 240; f++) { const z = it.keypoints[((f * 2 + h) * 21) * 3 + 2]!; zSum += z; if (z !== 0) nonZero++; }
      if (present[h]) assert.ok(nonZero > 150 && zSum > 0, `hand ${h} tracked in front of the camera`);
      else assert.equal(nonZero, 0, `absent hand ${h} is zeros`);
    }
    // Sound only where the labels say the hand touches: the first audible sample lies in a contact span, and
    // within 3 ms of its start when that contact began with a firm impact.
    const contacts = labels.contacts as { startSec: number; endSec: number; impactSpeedMps?: number }[];
    if (contacts.length > 0 && viewOfItem(item) === 0) {
      const x = wav.channels[0]!, t0 = contacts[0]!.startSec;
      let floor = 0;
      const n0 = Math.max(1, Math.round(t0 * 16000) - 400);
      for (let i = 0; i < n0; i++) floor = Math.max(floor, Math.abs(x[i]!));
      let k = n0;
      while (k < x.length && Math.abs(x[k]!) <= 3 * floor + 2e-4) k++;
      const at = k / 16000;
      if (k < x.length) {
        const span = contacts.find((c) => at >= c.startSec - 0.001 && at <= c.endSec + 0.001);
        assert.ok(span, `${item}: sound at ${at.toFixed(4)} s outside every contact (${contacts.map((c) => `${c.startSec}–${c.endSec}`).join(', ')})`);
        if ((span.impactSpeedMps ?? 0) > 0.3) assert.ok(at <= span.startSec + 0.003, `${item}: impact at ${span.startSec} s heard at ${at.toFixed(4)} s`);
      }
    }
  }
  dsp.dispose();
});

test('splits hold out whole regions (all views of a video together) and the side view', () => {
  const plan = planDataset(3, 1);
  const { byRegion, byViewpoint } = buildSplits(plan);
  const train = new Set(byRegion.train.map(([s, i]) => `${s}/${i.split('_')[2]}`));
  for (const [s, i] of byRegion.test) assert.ok(!train.has(`${s}/${i.split('_')[2]}`), `test region ${s}/${i} also in train`);
  assert.ok(byRegion.test.length > 0 && byRegion.val.length > 0 && byRegion.train.length > byRegion.test.length);
  const splitOfVideo = new Map<string, string>();
  for (const key of ['train', 'val', 'test'] as const) for (const [s, i] of byRegion[key]) {
    const video = `${s}/${videoOfItem(i).replace(/_\d$/, '')}`;
    assert.equal(splitOfVideo.get(video) ?? key, key, `video ${video} is in one split`);
    splitOfVideo.set(video, key);
  }
  assert.ok(byViewpoint.train.every(([, i]) => viewOfItem(i) !== 2));
  assert.ok([...byViewpoint.val, ...byViewpoint.test].every(([, i]) => viewOfItem(i) === 2));
  assert.equal(byViewpoint.train.length + byViewpoint.val.length + byViewpoint.test.length, plan.sounds.length * 3);
  assert.throws(() => planDataset(-1, 1), InvalidArgumentError);
  assert.throws(() => planDataset(1, 0), InvalidArgumentError);
  assert.throws(() => planDataset(1, Number.NaN), InvalidArgumentError);
});

test("the reader accepts the paper's released files and converts their [0, 1] mels to our log-mel", () => {
  const root = join(tmp, 'released');
  const scene = 'lobby';
  const item = 'video_A001_02141504_C361_1_with_audio_fps_4_truncate_40_48';
  // Their normalisation of a known magnitude: dB = 20·log10(mag) − 20, x = (dB + 100) / 100.
  const frames = 500, mags = Float32Array.from({ length: 80 * frames }, (_, i) => 10 ** (-3 + (i % 50) / 20));
  const x = Float32Array.from(mags, (m) => Math.min(1, Math.max(0, (20 * Math.log10(m) - 20 + 100) / 100)));
  for (const [p, bytes] of [
    [paths.mel(root, scene, item), writeNpy(x, [80, frames])],
    [paths.keypoints(root, scene, item), writeNpy(new Float32Array(240 * 2 * 21 * 3).fill(0.1), [240, 2, 21, 3])],
    [paths.clip(root, scene, item), writeNpy(new Float32Array(32 * 512), [32, 512])],
    [paths.clipLocal(root, scene, item), writeNpy(new Float32Array(32 * 1024), [32, 1024])],
  ] as const) { mkdirSync(join(p, '..'), { recursive: true }); writeFileSync(p, bytes); }
  writeFileSync(paths.split(root), JSON.stringify({ train: [[scene, item]], val: [], test: [] }));
  const ds = openDataset(root);
  assert.equal(ds.kind, 'released');
  const it = readItem(ds, scene, item);
  assert.deepEqual(it.visual?.shape, [32, 512]);
  assert.deepEqual(it.visualLocal?.shape, [32, 1024]);
  for (let i = 0; i < mags.length; i += 37) {
    assert.ok(Math.abs(it.melLog[i]! - Math.log(Math.max(mags[i]!, 1e-5))) < 1e-3, `bin ${i}: ${it.melLog[i]} vs ${Math.log(mags[i]!)}`);
  }
  assert.ok(Math.abs(releasedMelToLog(Float32Array.of(0))[0]! - Math.log(1e-4)) < 1e-5, 'x = 0 is −100 dB + 20 → 1e-4');
  assert.equal(videoOfItem(item), 'video_A001_02141504_C361_1');
});

test('broken datasets raise InvalidDatasetError naming the problem', () => {
  const root = join(tmp, 'broken');
  mkdirSync(root, { recursive: true });
  assert.throws(() => openDataset(root), (e: unknown) => e instanceof InvalidDatasetError && /split\.json not found/.test(e.message));
  writeFileSync(paths.split(root), '{"train": [["s"]], "val": [], "test": []}');
  assert.throws(() => openDataset(root), (e: unknown) => e instanceof InvalidDatasetError && /pairs/.test(e.message));
  const item = itemName({ sceneId: 's', region: 0, take: 0, view: 0, startSec: 0 });
  writeFileSync(paths.split(root), JSON.stringify({ train: [['s', item]], val: [], test: [] }));
  const ds = openDataset(root);
  assert.throws(() => readItem(ds, 's', item), (e: unknown) => e instanceof InvalidDatasetError && /mel not found/.test(e.message));
  mkdirSync(join(root, 's', 'mel'), { recursive: true });
  writeFileSync(paths.mel(root, 's', item), writeNpy(new Float32Array(10 * 4), [10, 4]));
  assert.throws(() => readItem(ds, 's', item), (e: unknown) => e instanceof InvalidDatasetError && /80 × T/.test(e.message));
  writeFileSync(paths.mel(root, 's', item), writeNpy(new Float32Array(80 * 4), [80, 4]));
  mkdirSync(join(paths.keypoints(root, 's', item), '..'), { recursive: true });
  const kp = new Float32Array(4 * 2 * 21 * 3); kp[5] = Number.NaN;
  writeFileSync(paths.keypoints(root, 's', item), writeNpy(kp, [4, 2, 21, 3]));
  assert.throws(() => readItem(ds, 's', item), (e: unknown) => e instanceof InvalidDatasetError && /non-finite/.test(e.message));
  writeFileSync(paths.keypoints(root, 's', item), new Uint8Array([1, 2, 3]));
  assert.throws(() => readItem(ds, 's', item), (e: unknown) => e instanceof InvalidDatasetError && /hand keypoints/.test(e.message));
  assert.throws(() => videoOfItem('not_an_item'), InvalidDatasetError);
});
