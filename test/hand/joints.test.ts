import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MANO_KEYPOINTS, WEBXR_JOINTS, UNITY_XR_HANDS_JOINTS, WEBXR_TO_MANO, UNITY_TO_MANO,
} from '../../src/hand/joints.js';
import { manoFromWebXRMatrices, manoFromWebXRPositions, manoFromUnityPositions } from '../../src/hand/remap.js';
import { InvalidArgumentError } from '../../src/errors.js';

// MANO order written out independently of the maps, as (finger, joint) pairs in the source vocabularies.
const EXPECTED_WEBXR = [
  'wrist', 'thumb-metacarpal', 'thumb-phalanx-proximal', 'thumb-phalanx-distal', 'thumb-tip',
  ...['index-finger', 'middle-finger', 'ring-finger', 'pinky-finger'].flatMap((f) =>
    ['phalanx-proximal', 'phalanx-intermediate', 'phalanx-distal', 'tip'].map((j) => `${f}-${j}`)),
];
const EXPECTED_UNITY = [
  'Wrist', 'ThumbMetacarpal', 'ThumbProximal', 'ThumbDistal', 'ThumbTip',
  ...['Index', 'Middle', 'Ring', 'Little'].flatMap((f) => ['Proximal', 'Intermediate', 'Distal', 'Tip'].map((j) => f + j)),
];

test('joint lists have the sizes of their specs', () => {
  assert.equal(MANO_KEYPOINTS.length, 21);
  assert.equal(WEBXR_JOINTS.length, 25);
  assert.equal(UNITY_XR_HANDS_JOINTS.length, 26);
});

test('WebXR 25 → MANO 21: every keypoint comes from the joint MANO order names; metacarpals dropped', () => {
  assert.deepEqual(Array.from(WEBXR_TO_MANO, (i) => WEBXR_JOINTS[i]), EXPECTED_WEBXR);
  const used = new Set(WEBXR_TO_MANO);
  const dropped = WEBXR_JOINTS.filter((_, i) => !used.has(i));
  assert.deepEqual(dropped, ['index-finger-metacarpal', 'middle-finger-metacarpal', 'ring-finger-metacarpal', 'pinky-finger-metacarpal']);
});

test('Unity XR Hands 26 → MANO 21: palm and the four non-thumb metacarpals dropped', () => {
  assert.deepEqual(Array.from(UNITY_TO_MANO, (i) => UNITY_XR_HANDS_JOINTS[i]), EXPECTED_UNITY);
  const used = new Set(UNITY_TO_MANO);
  assert.deepEqual(UNITY_XR_HANDS_JOINTS.filter((_, i) => !used.has(i)),
    ['Palm', 'IndexMetacarpal', 'MiddleMetacarpal', 'RingMetacarpal', 'LittleMetacarpal']);
});

test('fillPoses matrices → keypoints: translation of the mapped joint lands at its MANO slot', () => {
  const m = new Float32Array(25 * 16);
  for (let j = 0; j < 25; j++) { m[j * 16 + 12] = j; m[j * 16 + 13] = 100 + j; m[j * 16 + 14] = 200 + j; m[j * 16 + 15] = 1; }
  const out = new Float32Array(126).fill(-1);
  manoFromWebXRMatrices(m, out, 63, true);
  assert.deepEqual(Array.from(out.subarray(0, 63)), new Array(63).fill(-1), 'left hand untouched');
  for (let k = 0; k < 21; k++) {
    const j = WEBXR_JOINTS.indexOf(EXPECTED_WEBXR[k] as (typeof WEBXR_JOINTS)[number]);
    assert.deepEqual(Array.from(out.subarray(63 + 3 * k, 66 + 3 * k)), [j, 100 + j, -(200 + j)], MANO_KEYPOINTS[k]);
  }
});

test('positions → keypoints for WebXR and Unity (Unity Z flipped to right-handed by default)', () => {
  const web = Float32Array.from({ length: 75 }, (_, i) => i);
  const out = new Float32Array(63);
  manoFromWebXRPositions(web, out);
  assert.deepEqual(Array.from(out.subarray(3, 6)), [3, 4, 5], 'thumb CMC = thumb-metacarpal (joint 1)');
  assert.deepEqual(Array.from(out.subarray(15, 18)), [18, 19, 20], 'index MCP = index proximal phalanx (joint 6)');
  const unity = Float32Array.from({ length: 78 }, (_, i) => i);
  manoFromUnityPositions(unity, out);
  assert.deepEqual(Array.from(out.subarray(0, 3)), [0, 1, -2]);
  assert.deepEqual(Array.from(out.subarray(60, 63)), [75, 76, -77], 'little tip = LittleTip (id 26)');
  assert.throws(() => manoFromUnityPositions(new Float32Array(75), out), InvalidArgumentError);
});
