/**
 * Conditioning features, exactly as models/recipe/data.py computes them in training (keep both in step):
 *  - action: per 30 Hz frame, 2 × 21 × 3 keypoints (m) then their backward-difference velocities (m/s);
 *    a hand that is all zeros (missing) has zero velocity into and out of that frame;
 *  - nearest upsampling to the mel frame rate: mel frame i takes source frame floor(i · fps · hop / sampleRate)
 *    + lookahead (0 = causal; a model may take its action a few 30 Hz frames ahead — manifest
 *    conditioning.actionLookaheadFrames — which the live runtime supplies by anticipating the hands).
 */
import { FEATURES, type FeatureSettings } from '../dsp/features.js';
import { InvalidArgumentError } from '../errors.js';
import { ACTION_DIM } from './manifest.js';

const HAND_VALUES = 63;
const POSE_VALUES = 2 * HAND_VALUES;

/** T30 × 126 keypoints (frame-major: left hand's 63 then right's) → T30 × 252 action features. */
export function actionFeatures(keypoints: Float32Array, fps: number): Float32Array {
  if (keypoints.length % POSE_VALUES !== 0) {
    throw new InvalidArgumentError(`keypoints length ${keypoints.length} is not a multiple of ${POSE_VALUES} (2 × 21 × 3)`);
  }
  const frames = keypoints.length / POSE_VALUES;
  const out = new Float32Array(frames * ACTION_DIM);
  const present = new Uint8Array(frames * 2);
  for (let k = 0; k < frames; k++) {
    for (let h = 0; h < 2; h++) {
      let any = 0;
      for (let j = 0; j < HAND_VALUES; j++) {
        const v = keypoints[k * POSE_VALUES + h * HAND_VALUES + j]!;
        const clean = Number.isFinite(v) ? v : 0; // NaN/inf (lost tracking) count as missing, as in training
        out[k * ACTION_DIM + h * HAND_VALUES + j] = clean;
        if (clean !== 0) any = 1;
      }
      present[k * 2 + h] = any;
    }
  }
  const fps32 = Math.fround(fps);
  for (let k = 1; k < frames; k++) {
    for (let h = 0; h < 2; h++) {
      if (!present[k * 2 + h] || !present[(k - 1) * 2 + h]) continue;
      for (let j = 0; j < HAND_VALUES; j++) {
        const i = h * HAND_VALUES + j;
        const d = Math.fround(out[k * ACTION_DIM + i]! - out[(k - 1) * ACTION_DIM + i]!);
        out[k * ACTION_DIM + POSE_VALUES + i] = Math.fround(d * fps32);
      }
    }
  }
  return out;
}

/** Source frame index for mel frame i (nearest, `lookahead` source frames ahead; 0 = causal). */
export function sourceFrameIndex(melFrame: number, fps: number, srcFrames: number, settings: FeatureSettings = FEATURES,
  lookahead = 0): number {
  return Math.min(srcFrames - 1, Math.floor((melFrame * fps * settings.hop) / settings.sampleRate) + lookahead);
}

/** Upsamples srcFrames × dim rows to melFrames × dim rows (frames starting at `firstMelFrame`). */
export function toMelRate(src: Float32Array, dim: number, fps: number, melFrames: number, firstMelFrame = 0,
  settings: FeatureSettings = FEATURES, lookahead = 0): Float32Array {
  if (dim <= 0 || src.length % dim !== 0 || src.length === 0) {
    throw new InvalidArgumentError(`conditioning rows: length ${src.length} is not a positive multiple of ${dim}`);
  }
  const srcFrames = src.length / dim;
  const out = new Float32Array(melFrames * dim);
  for (let i = 0; i < melFrames; i++) {
    const k = sourceFrameIndex(firstMelFrame + i, fps, srcFrames, settings, lookahead);
    out.set(src.subarray(k * dim, (k + 1) * dim), i * dim);
  }
  return out;
}
