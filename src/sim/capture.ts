/**
 * One simulated capture item: an action on a surface of a scene, rendered as everything the paper's
 * dataset holds for it: 16 kHz sound, 30 Hz two-hand keypoints as a tracker would report them (noise,
 * dropouts; per view, in that camera's frame), 4 Hz global and local views with their visual features,
 * and the contact labels the sound is aligned to.
 */
import { InvalidArgumentError } from '../errors.js';
import { HandMotion, planAction, type ActionName, type ActionPlan } from './actions.js';
import { HAND_VALUES, KEYPOINT_COUNT, type Vec3 } from './hand-skeleton.js';
import { renderContactAudio, type ContactSpan } from './render.js';
import type { ImpactEvent } from './contact.js';
import { Rng } from './rng.js';
import { cameraViews, fromSurface, toCameraFrame, type Camera, type Scene } from './scene.js';
import { drawHands, localCamera, renderBackground } from './views.js';
import { VISUAL_FEATURE_DIM, visualFeatures } from './visual-features.js';

export const SAMPLE_RATE = 16000;
export const KEYPOINT_FPS = 30;
export const VISUAL_FPS = 4;
export const VIEW_COUNT = 3;
export const VIEW_NAMES = ['original', 'top', 'side'] as const;
export const LOCAL_VIEW_PX = 32;
export const GLOBAL_VIEW_PX = 32;

export interface CaptureRequest {
  scene: Scene;
  surfaceIndex: number;
  action: ActionName;
  durationSec: number;
  /** Seed of this item (derive it from the dataset seed and the item's name). */
  seed: number;
  /** The three cameras of the video this item belongs to. */
  cameras: [Camera, Camera, Camera];
}

export interface CapturedView {
  /** frames × 2 × 21 × 3 in this view's camera frame (OpenCV axes), zeros where a hand is not tracked. */
  keypointsCam: Float32Array;
  globalFeatures: Float32Array; // visualFrames × VISUAL_FEATURE_DIM
  localFeatures: Float32Array;
  localViews: Uint8Array; // visualFrames × px × px × 3
}

export interface CapturedItem {
  audio: Float32Array;
  /** frames × 2 × 21 × 3, scene frame, tracked (noisy, with dropouts). */
  keypointsScene: Float32Array;
  /** frames × 2: 1 when the tracker reported that hand. */
  valid: Uint8Array;
  frames: number;
  visualFrames: number;
  views: CapturedView[];
  impacts: ImpactEvent[];
  spans: ContactSpan[];
  plan: ActionPlan;
}

/** Cameras for one video (placement) looking at a surface: derived from a seed, shared by its items. */
export function videoCameras(scene: Scene, surfaceIndex: number, seed: number): [Camera, Camera, Camera] {
  const s = scene.surfaces[surfaceIndex];
  if (!s) throw new InvalidArgumentError(`scene ${scene.id} has no surface ${surfaceIndex}`);
  const rng = new Rng(seed);
  const target = fromSurface(s, rng.uniform(-0.3, 0.3) * s.halfUM, rng.uniform(-0.3, 0.3) * s.halfVM, 0.05);
  return cameraViews(rng, target, s.normal);
}

export function captureItem(req: CaptureRequest): CapturedItem {
  const { scene, surfaceIndex, action, durationSec, seed } = req;
  const surface = scene.surfaces[surfaceIndex];
  if (!surface) throw new InvalidArgumentError(`scene ${scene.id} has no surface ${surfaceIndex}`);
  const rng = new Rng(seed);
  const plan = planAction(rng, action, surface, durationSec);
  const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, surface) : null));
  const sound = renderContactAudio(scene, motions, durationSec, { seed: rng.nextUint32(), sampleRate: SAMPLE_RATE });

  // 30 Hz keypoints as a tracker reports them: clean pose + per-keypoint jitter + slow drift, and dropouts.
  const frames = Math.round(durationSec * KEYPOINT_FPS);
  const keypointsScene = new Float32Array(frames * 2 * HAND_VALUES);
  const valid = new Uint8Array(frames * 2);
  const clean = new Float64Array(HAND_VALUES);
  for (let h = 0; h < 2; h++) {
    const m = motions[h];
    if (!m) continue;
    const jitterM = rng.uniform(0.001, 0.004), driftM = rng.uniform(0.002, 0.01);
    const driftPhase = [rng.uniform(0, 6.28), rng.uniform(0, 6.28), rng.uniform(0, 6.28)];
    const dropouts: [number, number][] = [];
    if (rng.bool(0.3)) for (let d = rng.int(1, 3); d > 0; d--) { const a = rng.int(0, frames - 1); dropouts.push([a, a + rng.int(2, 15)]); }
    for (let f = 0; f < frames; f++) {
      if (dropouts.some(([a, b]) => f >= a && f < b)) continue;
      const t = f / KEYPOINT_FPS;
      m.keypointsAt(t, clean);
      const o = (f * 2 + h) * HAND_VALUES;
      for (let i = 0; i < HAND_VALUES; i++) {
        const drift = driftM * Math.sin(0.7 * t + driftPhase[i % 3]!);
        keypointsScene[o + i] = clean[i]! + drift + jitterM * rng.normal();
      }
      valid[f * 2 + h] = 1;
    }
  }

  // Views: global (tripod/top/side) and local (re-centred on the acting hand's touch point) at 4 Hz.
  const visualFrames = Math.round(durationSec * VISUAL_FPS);
  const actingHand = plan.acting[1] ? 1 : 0;
  const anchor = new Float64Array(HAND_VALUES);
  const views: CapturedView[] = req.cameras.map((cam) => {
    const keypointsCam = new Float32Array(frames * 2 * HAND_VALUES);
    for (let f = 0; f < frames; f++) for (let h = 0; h < 2; h++) {
      if (!valid[f * 2 + h]) continue;
      const o = (f * 2 + h) * HAND_VALUES;
      keypointsCam.set(keypointsScene.subarray(o, o + HAND_VALUES), o);
      toCameraFrame(keypointsCam.subarray(o, o + HAND_VALUES), cam);
    }
    const bg = renderBackground(scene, cam, GLOBAL_VIEW_PX);
    const globalFeatures = new Float32Array(visualFrames * VISUAL_FEATURE_DIM);
    const localFeatures = new Float32Array(visualFrames * VISUAL_FEATURE_DIM);
    const localViews = new Uint8Array(visualFrames * LOCAL_VIEW_PX * LOCAL_VIEW_PX * 3);
    let target: Vec3 = fromSurface(surface, plan.hands[actingHand]!.restU, plan.hands[actingHand]!.restV, 0);
    for (let v = 0; v < visualFrames; v++) {
      const f = Math.min(frames - 1, Math.round((v / VISUAL_FPS) * KEYPOINT_FPS));
      const hands = [0, 1].map((h) => (valid[f * 2 + h] ? keypointsScene.subarray((f * 2 + h) * HAND_VALUES, (f * 2 + h + 1) * HAND_VALUES) : null));
      const img = drawHands(bg, cam, hands);
      visualFeatures(img, GLOBAL_VIEW_PX, globalFeatures.subarray(v * VISUAL_FEATURE_DIM, (v + 1) * VISUAL_FEATURE_DIM));
      const tracked = hands[actingHand];
      if (tracked) {
        // The spot under the hand's lowest point (the paper re-centres its camera on each hand).
        for (let i = 0; i < HAND_VALUES; i++) anchor[i] = tracked[i]!;
        let low = 0, lowH = Infinity;
        for (let k = 0; k < KEYPOINT_COUNT; k++) {
          const hgt = (anchor[k * 3]! - surface.center[0]) * surface.normal[0] + (anchor[k * 3 + 1]! - surface.center[1]) * surface.normal[1] + (anchor[k * 3 + 2]! - surface.center[2]) * surface.normal[2];
          if (hgt < lowH) { lowH = hgt; low = k; }
        }
        target = [anchor[low * 3]! - lowH * surface.normal[0], anchor[low * 3 + 1]! - lowH * surface.normal[1], anchor[low * 3 + 2]! - lowH * surface.normal[2]];
      }
      const lcam = localCamera(target, cam);
      const local = drawHands(renderBackground(scene, lcam, LOCAL_VIEW_PX), lcam, hands);
      localViews.set(local, v * local.length);
      visualFeatures(local, LOCAL_VIEW_PX, localFeatures.subarray(v * VISUAL_FEATURE_DIM, (v + 1) * VISUAL_FEATURE_DIM));
    }
    return { keypointsCam, globalFeatures, localFeatures, localViews };
  });
  return { audio: sound.audio, keypointsScene, valid, frames, visualFrames, views, impacts: sound.impacts, spans: sound.spans, plan };
}
