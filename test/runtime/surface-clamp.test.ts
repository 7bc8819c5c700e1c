/** The tilted-surface clamp the runtime's predicted hands go through (the live evaluation row uses it on any surface). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { horizontalSurfaceClamp, planeClamp } from '../../src/runtime/trajectory-scene.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';

test('planeClamp keeps every keypoint its radius outside a tilted surface, and leaves the ones outside alone', () => {
  const s = Math.SQRT1_2;
  const clamp = planeClamp({ center: [0, 1, 0], normal: [s, s, 0] }); // a 45° wall through (0, 1, 0)
  const hand = new Float32Array(63);
  for (let k = 0; k < 21; k++) { hand[k * 3] = k < 10 ? -0.05 : 0.5; hand[k * 3 + 1] = 1; hand[k * 3 + 2] = 0.01 * k; }
  const before = hand.slice();
  clamp(hand);
  for (let k = 0; k < 21; k++) {
    const d = (hand[k * 3]! - 0) * s + (hand[k * 3 + 1]! - 1) * s;
    if (k < 10) assert.ok(Math.abs(d - KEYPOINT_RADIUS_M[k]!) < 1e-6, `keypoint ${k}: ${d} from the plane`);
    else assert.deepEqual([...hand.subarray(k * 3, k * 3 + 3)], [...before.subarray(k * 3, k * 3 + 3)]);
    assert.equal(hand[k * 3 + 2], before[k * 3 + 2]); // moved along the normal only
  }
});

test('horizontalSurfaceClamp lifts sunk keypoints to the table plus their radius, and only along y', () => {
  const clamp = horizontalSurfaceClamp(0.75);
  const hand = new Float32Array(63);
  for (let k = 0; k < 21; k++) { hand[k * 3] = 0.1 * k; hand[k * 3 + 1] = k % 2 ? 0.7 : 0.9; hand[k * 3 + 2] = -0.2; }
  const before = hand.slice();
  clamp(hand);
  for (let k = 0; k < 21; k++) {
    const want = k % 2 ? 0.75 + KEYPOINT_RADIUS_M[k]! : 0.9;
    assert.ok(Math.abs(hand[k * 3 + 1]! - want) < 1e-6, `keypoint ${k}: y ${hand[k * 3 + 1]} want ${want}`);
    assert.equal(hand[k * 3], before[k * 3]);
    assert.equal(hand[k * 3 + 2], before[k * 3 + 2]);
  }
});
