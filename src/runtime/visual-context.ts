/**
 * Visual context for the model: the look of the touched surface, as features of rendered views at 4 Hz — the same
 * renderer and feature extractor the simulated capture used to make the training data (src/sim/capture.ts,
 * views.ts, visual-features.ts): the camera's view of the scene with the hands drawn in (global) and, when the model
 * was trained with it, a close-up re-centred on the spot under the hand nearest to a surface (local), in that order.
 */
import { instantiateMaterial } from '../sim/materials.js';
import { makeSurface, type Camera, type Scene } from '../sim/scene.js';
import type { Vec3 } from '../sim/hand-skeleton.js';
import { drawHands, localCamera, renderBackground, type RenderedView } from '../sim/views.js';
import { VISUAL_FEATURE_DIM, visualFeatures } from '../sim/visual-features.js';
import { GLOBAL_VIEW_PX, LOCAL_VIEW_PX } from '../sim/capture.js';
import { handClearance } from '../sim/contact.js';
import { ModelMismatchError } from '../errors.js';

export interface VisualContext {
  readonly dim: number;
  /** Features of the views with these hands (scene frame, 63 floats each, null = not tracked) into out. */
  features(hands: readonly (Float32Array | null)[], out: Float32Array): void;
}

/** A single flat surface of a named material at height `surfaceHeightM` (when the caller has no scene). */
export function singleSurfaceScene(material: string, surfaceHeightM = 0): Scene {
  const surface = makeSurface(0, instantiateMaterial(material), [0, surfaceHeightM, 0], [0, 1, 0], 1000, 1000, 1);
  return { id: `flat-${material}`, surfaces: [surface], roomT60Sec: 0.3, roomWetGain: 0.1, noiseFloorDb: -70, background: [0.5, 0.6, 0.7] };
}

export class SceneVisualContext implements VisualContext {
  readonly dim: number;
  private readonly background: RenderedView;
  private readonly withLocal: boolean;
  /** The spot the close-up looks at: under the hand nearest a surface, kept while no hand is tracked. */
  private target: Vec3;

  constructor(readonly scene: Scene, readonly camera: Camera, modelDim: number) {
    if (modelDim !== VISUAL_FEATURE_DIM && modelDim !== 2 * VISUAL_FEATURE_DIM) {
      throw new ModelMismatchError(`the model expects ${modelDim}-d visual features; this runtime renders ${VISUAL_FEATURE_DIM} (global view) or ${2 * VISUAL_FEATURE_DIM} (global + local views)`);
    }
    this.dim = modelDim;
    this.withLocal = modelDim === 2 * VISUAL_FEATURE_DIM;
    this.background = renderBackground(scene, camera, GLOBAL_VIEW_PX);
    const s = scene.surfaces[0]!;
    this.target = [s.center[0], s.center[1], s.center[2]];
  }

  features(hands: readonly (Float32Array | null)[], out: Float32Array): void {
    const img = drawHands(this.background, this.camera, hands);
    visualFeatures(img, GLOBAL_VIEW_PX, out.subarray(0, VISUAL_FEATURE_DIM) as Float32Array<ArrayBuffer>);
    if (!this.withLocal) return;
    this.updateTarget(hands);
    const lcam = localCamera(this.target, this.camera);
    const local = drawHands(renderBackground(this.scene, lcam, LOCAL_VIEW_PX), lcam, hands);
    visualFeatures(local, LOCAL_VIEW_PX, out.subarray(VISUAL_FEATURE_DIM, 2 * VISUAL_FEATURE_DIM) as Float32Array<ArrayBuffer>);
  }

  /** The point on the nearest surface under the lowest keypoint of the hand closest to touching. */
  private updateTarget(hands: readonly (Float32Array | null)[]): void {
    let best = Infinity;
    for (const kp of hands) {
      if (!kp) continue;
      const c = handClearance(this.scene.surfaces, kp);
      if (c.surfaceIndex < 0 || c.clearanceM >= best) continue;
      best = c.clearanceM;
      const s = this.scene.surfaces[c.surfaceIndex]!, k = c.keypoint;
      const h = (kp[k * 3]! - s.center[0]) * s.normal[0] + (kp[k * 3 + 1]! - s.center[1]) * s.normal[1] + (kp[k * 3 + 2]! - s.center[2]) * s.normal[2];
      this.target = [kp[k * 3]! - h * s.normal[0], kp[k * 3 + 1]! - h * s.normal[1], kp[k * 3 + 2]! - h * s.normal[2]];
    }
  }
}
