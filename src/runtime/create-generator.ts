/**
 * Chooses and builds the sound generator for a trajectory (Node): the model when one is given and fits this runtime,
 * else — if the caller allows it — the procedural baseline, saying why.
 */
import type { Dsp } from '../dsp/index.js';
import type { Trajectory } from '../hand/trajectory.js';
import { HearingHandsError, ModelLoadError } from '../errors.js';
import { loadFlowModel } from '../model/load-node.js';
import type { FlowModel } from '../model/index.js';
import { getMaterial } from '../sim/materials.js';
import type { SoundGenerator } from './generator.js';
import { ModelGenerator } from './model-generator.js';
import { OnsetBackstop } from './onset-backstop.js';
import { ProceduralGenerator } from './procedural-generator.js';
import { inferSurface, trajectoryModelScene, type InferredSurface } from './trajectory-scene.js';

export interface GeneratorChoice {
  backend: 'auto' | 'model' | 'procedural';
  modelPath?: string;
  material?: string;
  outputRate: number;
  anticipationSec?: number;
  /** Mel frames per model tick (default the manifest's chunk). */
  tickFrames?: number;
  /**
   * The onset backstop (default true): the procedural engine sounds a contact the model left silent
   * (src/runtime/onset-backstop.ts). False = the model's audio alone.
   */
  backstop?: boolean;
  /** Output depends only on the inputs and the seed, never on measured compute time (renders with --compute, tests). */
  reproducible?: boolean;
  seed?: number;
}

export interface ChosenGenerator {
  generator: SoundGenerator;
  surface: InferredSurface;
  material: string;
  model?: FlowModel;
  /** Why the procedural baseline is playing instead of the model, when it is. */
  fallbackReason?: string;
}

export async function createGenerator(dsp: Dsp, traj: Trajectory, choice: GeneratorChoice): Promise<ChosenGenerator> {
  const material = choice.material ?? traj.info.material ?? 'wood';
  getMaterial(material); // an unknown name is an UnknownMaterialError listing the known ones
  const surface = inferSurface(traj);
  const procedural = () => new ProceduralGenerator({ outputRate: choice.outputRate, material, surfaceHeightM: surface.heightM, seed: choice.seed });
  if (choice.backend === 'procedural') return { generator: procedural(), surface, material };
  if (!choice.modelPath) {
    if (choice.backend === 'model') throw new ModelLoadError('no model given');
    return { generator: procedural(), surface, material, fallbackReason: 'no model given' };
  }
  try {
    const model = await loadFlowModel(choice.modelPath, 'node');
    const modelGenerator = new ModelGenerator({
      model, dsp, outputRate: choice.outputRate, ...trajectoryModelScene(surface, material, model.manifest.conditioning.visualDim), seed: choice.seed,
      anticipationSec: choice.anticipationSec, tickFrames: choice.tickFrames, adaptToTickCost: !choice.reproducible,
    });
    const generator = choice.backstop === false ? modelGenerator : new OnsetBackstop({
      model: modelGenerator, material, surfaceHeightM: surface.heightM, seed: choice.seed, adaptToTickCost: !choice.reproducible,
    });
    return { generator, surface, material, model };
  } catch (err) {
    if (choice.backend === 'model' || !(err instanceof HearingHandsError)) throw err;
    return { generator: procedural(), surface, material, fallbackReason: `${err.code}: ${err.message}` };
  }
}
