import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SceneRegistration } from '../../src/hand/registration.js';
import { HandFrame, LEFT, RIGHT } from '../../src/hand/hand-frame.js';
import { InvalidArgumentError } from '../../src/errors.js';

const close = (a: number[], b: number[], tol = 1e-9) => a.every((x, i) => Math.abs(x - b[i]!) < tol);
const s = Math.SQRT1_2;

test('scene pose: a point placed at p_scene by the pose maps back to p_scene (scene units) or to metres', () => {
  // Scene rotated 90° about +Y, scaled ×2, origin at (1, 0, -2): p_xr = t + s R p_scene.
  const pose = { positionM: [1, 0, -2] as const, rotation: [0, s, 0, s] as const, scale: 2 };
  const pScene = [0.5, 0.25, 0];
  // R(90° about Y) · (x, y, z) = (z, y, -x)
  const pXr: [number, number, number] = [1 + 2 * pScene[2]!, 0 + 2 * pScene[1]!, -2 - 2 * pScene[0]!];
  assert.ok(close(SceneRegistration.fromScenePose(pose, 'scene').mapPoint(pXr), pScene));
  assert.ok(close(SceneRegistration.fromScenePose(pose, 'metres').mapPoint(pXr), pScene.map((x) => 2 * x)));
  assert.ok(close(SceneRegistration.identity().mapPoint(pXr), pXr));
});

test('Babylon world matrix: right-handed scene inverts the node transform; left-handed flips Z in and out', () => {
  // Babylon row-vector matrix of scaling 2, rotation 90° about Y, translation (1, 0, -2): m[j*4+i] = A[i][j].
  // A = 2·R_y(90°) = [[0,0,2],[0,2,0],[-2,0,0]].
  const m = [0, 0, -2, 0, 0, 2, 0, 0, 2, 0, 0, 0, 1, 0, -2, 1];
  const pLocal = [0.5, 0.25, 0.1];
  const pWorld = [1 + 2 * 0.1, 0.5, -2 - 1]; // A·p + t
  assert.ok(close(SceneRegistration.fromBabylonWorldMatrix(m, true, 'scene').mapPoint(pWorld as [number, number, number]), pLocal));
  // Left-handed Babylon: its world is the XR space with Z negated, and its local frame likewise.
  const pXr: [number, number, number] = [pWorld[0]!, pWorld[1]!, -pWorld[2]!];
  const lh = SceneRegistration.fromBabylonWorldMatrix(m, false, 'scene').mapPoint(pXr);
  assert.ok(close(lh, [pLocal[0]!, pLocal[1]!, -pLocal[2]!]), `${lh}`);
  const metres = SceneRegistration.fromBabylonWorldMatrix(m, true, 'metres').mapPoint(pWorld as [number, number, number]);
  assert.ok(close(metres, pLocal.map((x) => 2 * x)));
});

test('applyInPlace moves tracked hands only; bad poses are refused', () => {
  const reg = SceneRegistration.fromScenePose({ positionM: [0, 0.75, 0], rotation: [0, 0, 0, 1], scale: 1 });
  const f = new HandFrame();
  f.hand(RIGHT).fill(1); f.valid[RIGHT] = 1;
  reg.applyInPlace(f);
  assert.deepEqual(Array.from(f.keypointsM.subarray(63, 66)), [1, 0.25, 1]);
  assert.ok(f.hand(LEFT).every((x) => x === 0), 'untracked hand stays zeros');
  assert.throws(() => SceneRegistration.fromScenePose({ positionM: [0, 0, 0], rotation: [0, 0, 0, 2], scale: 1 }), InvalidArgumentError);
  assert.throws(() => SceneRegistration.fromScenePose({ positionM: [0, NaN, 0], rotation: [0, 0, 0, 1], scale: 1 }), InvalidArgumentError);
  assert.throws(() => SceneRegistration.fromBabylonWorldMatrix(new Array(16).fill(0), true), /singular/);
});
