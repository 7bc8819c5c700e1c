import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MATERIALS, MATERIAL_NAMES, getMaterial, instantiateMaterial, modesFor } from '../../src/sim/materials.js';
import { renderMaterialView } from '../../src/sim/texture.js';
import { visualFeatures, VISUAL_FEATURE_DIM } from '../../src/sim/visual-features.js';
import { generateScene } from '../../src/sim/scene.js';
import { captureItem, videoCameras } from '../../src/sim/capture.js';
import { planAction } from '../../src/sim/actions.js';
import { ContactSoundEngine } from '../../src/sim/engine.js';
import { Room } from '../../src/sim/room.js';
import { ContactTracker } from '../../src/sim/contact.js';
import { renderContactAudio } from '../../src/sim/render.js';
import { Rng } from '../../src/sim/rng.js';
import { InvalidArgumentError, InvalidTrajectoryError, UnknownMaterialError } from '../../src/errors.js';

const dist = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));

test('each material has its own look: views of one material (other spots, other objects) are closer than views of another', () => {
  const feats = MATERIALS.map((m) => [1, 2, 3].map((seed) => visualFeatures(renderMaterialView(m, { sizePx: 32, seed, centerUM: seed * 0.3 }), 32)));
  for (let i = 0; i < feats.length; i++) {
    assert.equal(feats[i]![0]!.length, VISUAL_FEATURE_DIM);
    const within = Math.max(dist(feats[i]![0]!, feats[i]![1]!), dist(feats[i]![0]!, feats[i]![2]!));
    let nearestOther = Infinity, nearestName = '';
    for (let j = 0; j < feats.length; j++) if (j !== i) {
      const d = dist(feats[i]![0]!, feats[j]![0]!);
      if (d < nearestOther) { nearestOther = d; nearestName = MATERIALS[j]!.name; }
    }
    assert.ok(within < nearestOther, `${MATERIALS[i]!.name}: within ${within.toFixed(2)} vs nearest other (${nearestName}) ${nearestOther.toFixed(2)}`);
  }
  const a = renderMaterialView(getMaterial('wood'), { sizePx: 64, seed: 5 }), b = renderMaterialView(getMaterial('wood'), { sizePx: 64, seed: 5 });
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), 'textures are deterministic');
  assert.equal(a.length, 64 * 64 * 3);
});

test('captured items are reproducible from their seed and carry the hands into the views', () => {
  const scene = generateScene(2, 0);
  const cams = videoCameras(scene, 0, 99);
  const a = captureItem({ scene, surfaceIndex: 0, action: 'pat', durationSec: 2, seed: 5, cameras: cams });
  const b = captureItem({ scene, surfaceIndex: 0, action: 'pat', durationSec: 2, seed: 5, cameras: cams });
  const c = captureItem({ scene, surfaceIndex: 0, action: 'pat', durationSec: 2, seed: 6, cameras: cams });
  assert.ok(Buffer.from(a.audio.buffer).equals(Buffer.from(b.audio.buffer)), 'same seed, same audio');
  assert.ok(Buffer.from(a.views[2]!.keypointsCam.buffer).equals(Buffer.from(b.views[2]!.keypointsCam.buffer)), 'same seed, same keypoints');
  assert.ok(!Buffer.from(a.audio.buffer).equals(Buffer.from(c.audio.buffer)), 'another seed, other audio');
  assert.equal(a.frames, 60);
  assert.equal(a.visualFrames, 8);
  // The hand is in the local views: skin-fraction feature (index 58) is non-zero in most frames.
  const acting = a.plan.acting[1] ? 1 : 0;
  if (a.valid[acting * 1] || a.valid[2 + acting]) {
    let withSkin = 0;
    for (let v = 0; v < a.visualFrames; v++) if (a.views[0]!.localFeatures[v * VISUAL_FEATURE_DIM + 58]! > 0) withSkin++;
    assert.ok(withSkin >= a.visualFrames / 2, `hand visible in ${withSkin}/${a.visualFrames} local views`);
  }
});

test('impossible parameters, unknown names and NaN trajectories raise typed errors', () => {
  assert.throws(() => getMaterial('unobtainium'), (e: unknown) => e instanceof UnknownMaterialError && e.code === 'UNKNOWN_MATERIAL' && /wood/.test(e.message));
  assert.throws(() => instantiateMaterial('Wood'), UnknownMaterialError);
  assert.throws(() => modesFor(getMaterial('wood'), -1), InvalidArgumentError);
  const surface = generateScene(1, 0).surfaces[0]!;
  assert.throws(() => planAction(new Rng(1), 'juggle' as never, surface, 8), InvalidArgumentError);
  assert.throws(() => planAction(new Rng(1), 'tap', surface, Number.NaN), InvalidArgumentError);
  const engine = new ContactSoundEngine(instantiateMaterial('glass'));
  assert.throws(() => engine.impact(0, { speedMps: Number.NaN, part: 'fingertip' }), InvalidArgumentError);
  assert.throws(() => engine.impact(0, { speedMps: -1, part: 'fingertip' }), InvalidArgumentError);
  assert.throws(() => engine.impact(0, { speedMps: 1, part: 'elbow' as never }), InvalidArgumentError);
  assert.throws(() => engine.setContact(Number.POSITIVE_INFINITY, 1), InvalidArgumentError);
  assert.throws(() => new Room({ t60Sec: -1 }), InvalidArgumentError);
  assert.throws(() => new Room({ noiseFloorDb: 0 }), InvalidArgumentError);
  const tracker = new ContactTracker([surface]);
  const kp = new Float64Array(63).fill(0.3); kp[10] = Number.NaN;
  assert.throws(() => tracker.update(0, [kp, null], [], []), InvalidTrajectoryError);
  assert.throws(() => tracker.update(0, [new Float64Array(12), null], [], []), InvalidTrajectoryError);
  assert.throws(() => tracker.update(Number.NaN, [null, null], [], []), InvalidTrajectoryError);
  const nanHand = { keypointsAt: (_t: number, out: Float64Array) => { out.fill(Number.NaN); } };
  assert.throws(() => renderContactAudio({ id: 'x', surfaces: [surface], roomT60Sec: 0.2, roomWetGain: 0.1, noiseFloorDb: -60, background: [0, 0, 0] }, [nanHand], 1), InvalidTrajectoryError);
  assert.throws(() => renderMaterialView(getMaterial('wood'), { sizePx: 0 }), InvalidArgumentError);
  assert.ok(MATERIAL_NAMES.length >= 12, 'material count');
});
