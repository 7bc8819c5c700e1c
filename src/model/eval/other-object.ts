/**
 * A reference row for the evaluation table: what a generator that knows the material perfectly, but not the touched
 * object, can score. Each item's sound is rendered again by the simulator, from the item's own (true, continuous)
 * hand motion and seeds, on another object of the same material: the same material model with a new object size and
 * modal scatter (what the visual features cannot show: two pieces of wood look alike and ring differently). Its
 * material agreement is the ceiling of "material from vision" on this data; the model's rows sit below it.
 * Only for datasets made by `hearing-hands simulate` (an item is found in the plan by the seed its label carries).
 */
import type { Dsp } from '../../dsp/index.js';
import type { PlannedSound } from '../../dataset/plan.js';
import { ITEM_SEC } from '../../dataset/layout.js';
import { captureItem, videoCameras } from '../../sim/capture.js';
import { instantiateMaterial } from '../../sim/materials.js';
import { Rng } from '../../sim/rng.js';
import type { Scene } from '../../sim/scene.js';
import type { EvalItem } from './dataset.js';
import type { Variant } from './evaluate.js';
import { simulatedPlan } from './sim-items.js';

/** The simulator's sound of a planned item; `otherObject` re-instantiates the touched surface's material from that seed. */
export function replaySound(plan: { scenes: readonly Scene[] }, p: PlannedSound, otherObject?: number): Float32Array {
  const scene0 = plan.scenes[p.sceneIndex]!;
  const surface = scene0.surfaces[p.region]!;
  const scene: Scene = otherObject === undefined ? scene0 : {
    ...scene0,
    surfaces: scene0.surfaces.map((s) => (s === surface
      ? { ...s, material: instantiateMaterial(s.material.spec.name, Rng.derive(otherObject, `other-object:${p.seed}`)) } : s)),
  };
  const cameras = videoCameras(scene0, p.region, p.videoSeed);
  return captureItem({ scene, surfaceIndex: p.region, action: p.action, durationSec: ITEM_SEC, seed: p.seed, cameras }).audio;
}

export function otherObjectVariant(root: string, dsp: Dsp): Variant | null {
  const plan = simulatedPlan(root);
  if (!plan) return null;
  const bySeed = new Map(plan.sounds.map((s) => [s.seed, s]));
  return {
    name: 'reference: the simulator on the true hands, another object of the same material',
    async generate(item: EvalItem): Promise<Float32Array> {
      const p = bySeed.get(item.label['seed'] as number);
      if (!p) throw new Error(`item ${item.name}: its seed is not in the dataset's plan`);
      const audio = replaySound(plan, p, 1);
      return dsp.mel(audio.subarray(0, (item.frames - 1) * dsp.settings.hop), { log: true });
    },
  };
}
