/**
 * BabylonHandSource paths that IWER cannot reach (the browser rig covers the real fillPoses path): the
 * per-joint getJointPose fallback, a runtime that throws, NaN poses and lost tracking. The XR frame and
 * Babylon objects are minimal stand-ins with only the members the source reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebXRSessionManager } from '@babylonjs/core/XR/webXRSessionManager.js';
import type { WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.pure.js';
import { BabylonHandSource, type XRFrameLike } from '../../src/hand/sources/babylon-hand-source.js';
import { WEBXR_JOINTS } from '../../src/hand/joints.js';
import { HandFrame } from '../../src/hand/hand-frame.js';

function setup(handsPresent: { left: boolean; right: boolean }) {
  const spaces = new Map(WEBXR_JOINTS.map((name, i) => [name, { name, i }]));
  const hand = { get: (j: string) => spaces.get(j as (typeof WEBXR_JOINTS)[number]) };
  const session = { referenceSpace: { ref: true }, currentTimestamp: 1000, onXRFrameObservable: { add: () => null, remove: () => true } };
  const tracking = {
    getHandByHandedness: (h: 'left' | 'right') => (handsPresent[h] ? { xrController: { inputSource: { hand } } } : null),
  };
  const src = new BabylonHandSource({ sessionManager: session as unknown as WebXRSessionManager, handTracking: tracking as unknown as WebXRHandTracking });
  const got: HandFrame[] = [];
  src.start((f) => got.push(new HandFrame().copyFrom(f)));
  return { src, session, got };
}

const poseOf = (i: number, z = -i) => ({ transform: { matrix: Float32Array.from({ length: 16 }, (_, k) => (k === 12 ? i : k === 13 ? 10 + i : k === 14 ? z : k % 5 === 0 ? 1 : 0)) } });

test('getJointPose fallback reads every joint; frames are right-handed MANO', () => {
  const { src, got } = setup({ left: false, right: true });
  const frame: XRFrameLike = { getJointPose: (s) => poseOf((s as unknown as { i: number }).i) };
  src.onXRFrame(frame);
  assert.equal(got.length, 1);
  assert.deepEqual(Array.from(got[0]!.valid), [0, 1]);
  assert.deepEqual(Array.from(got[0]!.keypointsM.subarray(63, 66)), [0, 10, -0], 'wrist');
  assert.deepEqual(Array.from(got[0]!.keypointsM.subarray(63 + 15, 63 + 18)), [6, 16, -6], 'index MCP from joint 6');
  assert.equal(got[0]!.timeSec, 1);
});

test('a runtime that throws, a missing joint pose, NaN poses: untracked hands, never an exception', () => {
  const { src, session, got } = setup({ left: true, right: true });
  src.onXRFrame({ fillPoses: () => { throw new Error('runtime bug'); } });
  assert.deepEqual(Array.from(got[0]!.valid), [0, 0]);
  session.currentTimestamp = 1011;
  src.onXRFrame({ getJointPose: (s) => ((s as unknown as { i: number }).i === 3 ? null : poseOf(1)) });
  assert.deepEqual(Array.from(got[1]!.valid), [0, 0], 'one joint missing → hand untracked');
  session.currentTimestamp = 1022;
  src.onXRFrame({ fillPoses: (_s, _b, out) => { out.fill(NaN); return true; } });
  assert.deepEqual(Array.from(got[2]!.valid), [0, 0]);
  assert.ok(got[2]!.keypointsM.every((x) => x === 0));
  assert.equal(src.stats.nonFiniteHands, 2);
  session.currentTimestamp = 1022; // same timestamp again: not delivered
  src.onXRFrame({ fillPoses: () => true });
  assert.equal(got.length, 3);
  assert.equal(src.stats.nonMonotonicFrames, 1);
});

test('the viewer pose goes to `viewer` each frame, through the registration, in the hands\' frame', async () => {
  const { SceneRegistration } = await import('../../src/hand/registration.js');
  const { src, session } = setup({ left: false, right: true });
  const poses: unknown[] = [];
  src.viewer = (p, f, u) => poses.push([p, f, u]);
  // A head at (0.1, 1.6, 0.2) turned 90° to the left (its −z axis along world −x), column-major as WebXR gives it.
  const head = Float32Array.from([0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0.1, 1.6, 0.2, 1]);
  src.onXRFrame({ getJointPose: () => poseOf(1), getViewerPose: () => ({ transform: { matrix: head } }) });
  const close = (a: { x: number; y: number; z: number }, b: number[]) => [a.x, a.y, a.z].every((v, i) => Math.abs(v - b[i]!) < 1e-6);
  const [p, f, u] = poses[0] as { x: number; y: number; z: number }[];
  assert.ok(close(p!, [0.1, 1.6, 0.2]) && close(f!, [-1, 0, 0]) && close(u!, [0, 1, 0]), JSON.stringify(poses[0]));
  // With the scene registered 1 m further along x, the head moves with the hands; directions do not.
  const moved = new BabylonHandSource({ ...src.options, registration: SceneRegistration.fromScenePose({ positionM: [-1, 0, 0], rotation: [0, 0, 0, 1], scale: 1 }) });
  moved.viewer = (pp, ff) => poses.push([pp, ff]);
  moved.onXRFrame({ getViewerPose: () => ({ transform: { matrix: head } }) });
  const [p2, f2] = poses[1] as { x: number; y: number; z: number }[];
  assert.ok(close(p2!, [1.1, 1.6, 0.2]) && close(f2!, [-1, 0, 0]), JSON.stringify(poses[1]));
  // No viewer pose, a throwing runtime, NaN: nothing told, nothing thrown.
  session.currentTimestamp = 2000;
  src.onXRFrame({ getJointPose: () => poseOf(1), getViewerPose: () => { throw new Error('runtime bug'); } });
  session.currentTimestamp = 2011;
  src.onXRFrame({ getJointPose: () => poseOf(1), getViewerPose: () => ({ transform: { matrix: new Float32Array(16).fill(NaN) } }) });
  assert.equal(poses.length, 2);
});
