/**
 * Visual context for the model: the look of the touched surface, as features of a rendered view at 4 Hz — the same
 * renderer and feature extractor the simulated capture used to make the training data (src/sim/views.ts,
 * src/sim/visual-features.ts): the camera's view of the scene with the hands drawn in.
 */
import { instantiateMaterial } from '../sim/materials.js';
import { makeSurface, type Camera, type Scene } from '../sim/scene.js';
import { drawHands, renderBackground, type RenderedView } from '../sim/views.js';
import { VISUAL_FEATURE_DIM, visualFeatures } from '../sim/visual-features.js';
import { GLOBAL_VIEW_PX } from '../sim/capture.js';
import { ModelMismatchError } from '../errors.js';

export interface VisualContext {
  readonly dim: number;
  /** Features of the view with these hands (scene frame, 63 floats each, null = not tracked) into out. */
  features(hands: readonly (Float32Array | null)[], out: Float32Array): void;
}

/** A single flat surface of a named material at height `surfaceHeightM` (when the caller has no scene). */
export function singleSurfaceScene(material: string, surfaceHeightM = 0): Scene {
  const surface = makeSurface(0, instantiateMaterial(material), [0, surfaceHeightM, 0], [0, 1, 0], 1000, 1000, 1);
  return { id: `flat-${material}`, surfaces: [surface], roomT60Sec: 0.3, roomWetGain: 0.1, noiseFloorDb: -70, background: [0.5, 0.6, 0.7] };
}

export class SceneVisualContext implements VisualContext {
  readonly dim = VISUAL_FEATURE_DIM;
  private readonly background: RenderedView;

  constructor(readonly scene: Scene, readonly camera: Camera, modelDim: number) {
    if (modelDim !== VISUAL_FEATURE_DIM) {
      throw new ModelMismatchError(`the model expects ${modelDim}-d visual features; this runtime renders ${VISUAL_FEATURE_DIM}-d ones`);
    }
    this.background = renderBackground(scene, camera, GLOBAL_VIEW_PX);
  }

  features(hands: readonly (Float32Array | null)[], out: Float32Array): void {
    const img = drawHands(this.background, this.camera, hands);
    visualFeatures(img, GLOBAL_VIEW_PX, out as Float32Array<ArrayBuffer>);
  }
}
