import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SceneVisualContext, singleSurfaceScene } from '../../src/runtime/visual-context.js';
import { defaultCamera } from '../../src/runtime/trajectory-scene.js';
import { ModelMismatchError } from '../../src/errors.js';

const camera = defaultCamera({ heightM: 0.75, x: 0, z: -0.4 });

test('visual context: the materials look different; global and global + local layouts; wrong widths refused', () => {
  const wood = new SceneVisualContext(singleSurfaceScene('wood', 0.75), camera, 128);
  const metal = new SceneVisualContext(singleSurfaceScene('metal', 0.75), camera, 128);
  const a = new Float32Array(128), b = new Float32Array(128);
  wood.features([null, null], a);
  metal.features([null, null], b);
  let diff = 0;
  for (let i = 0; i < 128; i++) diff += Math.abs(a[i]! - b[i]!);
  assert.ok(diff > 1, `wood and metal views differ by ${diff}`);
  const global = new SceneVisualContext(singleSurfaceScene('wood', 0.75), camera, 64);
  const g = new Float32Array(64);
  global.features([null, null], g);
  assert.deepEqual(g, a.subarray(0, 64), 'the global part is the same view');
  assert.throws(() => new SceneVisualContext(singleSurfaceScene('wood'), camera, 16), ModelMismatchError);
});
