/**
 * The numbers that cross the Unity ⇄ JavaScript boundary (`unity/Plugins/WebGL/HearingHands.jslib`): return codes,
 * the float layout of a frame, of a listener pose and of the stats block, and the names of the C# methods that
 * `SendMessage` calls. `unity/Runtime/HearingHandsNative.cs` mirrors them; test/unity checks that both agree.
 */
import { FLOATS_PER_FRAME } from '../hand/joints.js';

/** Floats in one pushed frame: 2 hands × 21 MANO keypoints × xyz, already in the module's frame (see docs/unity.md). */
export const UNITY_FRAME_FLOATS = FLOATS_PER_FRAME;
/** Listener pose: position xyz, forward xyz, up xyz (module frame). */
export const UNITY_POSE_FLOATS = 9;
/** Bits of the `validMask` argument of a pushed frame. */
export const VALID_LEFT = 1;
export const VALID_RIGHT = 2;

/** Return codes of the plugin's per-call functions (0 and above: success or a benign drop). */
export const BridgeResult = {
  /** The frame was handed to the runtime / the call took effect. */
  ok: 1,
  /** Nothing to do yet: the instance is still starting, has failed, or the frame's time did not increase. */
  notDelivered: 0,
  unknownHandle: -1,
  /** A float count that does not match the layout (e.g. a frame that is not 126 floats). */
  badLength: -2,
  /** The runtime this build carries cannot do what was asked. */
  unsupported: -3,
} as const;
export type BridgeResult = (typeof BridgeResult)[keyof typeof BridgeResult];

/** Order of the floats that `HearingHands_GetStats` writes. */
export const UNITY_STATS_FIELDS = [
  'state', 'generator', 'backend', 'steps', 'chunks', 'refusedChunks', 'lastStepMs', 'underruns', 'lateChunks',
  'droppedHandFrames', 'framesDelivered', 'nonFiniteHands', 'outputLatencySec',
] as const;
export type UnityStatsField = (typeof UNITY_STATS_FIELDS)[number];

/** `state` values in the stats block. */
export const INSTANCE_STATES = ['starting', 'ready', 'failed', 'disposed'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];
/** `generator` values in the stats block. */
export const GENERATOR_CODES = ['starting', 'procedural', 'model'] as const;
/** `backend` values in the stats block: what generates now. */
export const BACKEND_CODES = ['starting', 'procedural', 'wasm', 'webgpu'] as const;

/** C# methods on the caller's GameObject that the bridge calls with `SendMessage` (one JSON string argument). */
export const UNITY_CALLBACKS = {
  /** `{ handle, generator, backend }`: the sampler runs. */
  ready: 'OnHearingHandsReady',
  /** `{ handle, backend, previous, reason }`: the runtime moved to another backend (e.g. WebGPU lost → wasm). */
  backend: 'OnHearingHandsBackend',
  /** `{ handle, code, message }`: ErrorCode of src/errors.ts, or the runtime's own codes (WORKER, INTERNAL). */
  error: 'OnHearingHandsError',
  /** `{ handle, type, … }`: any other runtime event, passed through as it is. */
  event: 'OnHearingHandsEvent',
} as const;
