/**
 * The live path as an evaluation row: the item's tracked hands replayed through the runtime's ModelGenerator in
 * simulated time (src/runtime/simulated-session.ts) — chunk-causal ticks generated ahead of the hands, so the
 * model's lookahead frames are the runtime's *predictions* (constant velocity, kept out of the touched surface),
 * the visual rows the runtime's own rendered views of the rebuilt scene, the streaming vocoder and the audio
 * thread's timeline. The offline rows show the model the true future hands; this one shows what a user hears.
 * Only for our simulated datasets (the scene is rebuilt from dataset.json).
 */
import type { Dsp } from '../../dsp/index.js';
import { ModelGenerator } from '../../runtime/model-generator.js';
import { OnsetBackstop } from '../../runtime/onset-backstop.js';
import { runSimulatedSession } from '../../runtime/simulated-session.js';
import { planeClamp } from '../../runtime/trajectory-scene.js';
import { SceneVisualContext } from '../../runtime/visual-context.js';
import { VocoderStage } from '../../vocoder/vocoder-stage.js';
import type { FlowModel } from '../flow-model.js';
import type { EvalItem } from './dataset.js';
import type { Variant } from './evaluate.js';
import { itemCamera, sceneTrajectory, simulatedScenes } from './sim-items.js';

/**
 * `backstop`: as the product plays it, with the onset backstop (src/runtime/onset-backstop.ts: the procedural engine
 * sounds, from the scene's own surfaces, a contact the model left silent); without it, the model alone.
 */
export function liveVariant(root: string, model: FlowModel, dsp: Dsp, tickFrames = model.manifest.stream.chunkFrames, backstop = false,
  seed = 1): Variant | null {
  const scenes = simulatedScenes(root);
  if (!scenes) return null;
  const sr = dsp.settings.sampleRate;
  // One vocoder stage for all the items: each new stage would keep its memory in the Dsp for the process's life.
  const vocoder = new VocoderStage(dsp, { outputRate: sr, maxChunkFrames: tickFrames });
  return {
    name: `live path${backstop ? ' + onset backstop' : ''} (${tickFrames}-frame ticks on predicted hands, simulated time)`,
    async generate(item: EvalItem): Promise<Float32Array> {
      const scene = scenes.get(item.scene);
      const cam = itemCamera(item);
      const region = item.label['region'];
      const surface = typeof region === 'number' ? scene?.surfaces[region] : undefined;
      if (!scene || !cam || !surface) throw new Error(`item ${item.name}: no scene, camera or touched surface for the live path`);
      const modelGenerator = new ModelGenerator({
        model, dsp, outputRate: sr, camera: cam, tickFrames, seed, adaptToTickCost: false, vocoder,
        visual: new SceneVisualContext(scene, cam, model.manifest.conditioning.visualDim), clamp: planeClamp(surface),
      });
      const generator = backstop ? new OnsetBackstop({ model: modelGenerator, scene, seed, adaptToTickCost: false }) : modelGenerator;
      // A fixed 5 ms per sampler step: reproducible, and what a tick costs on one wasm thread.
      const run = await runSimulatedSession(generator, sceneTrajectory(item, cam), { computeSec: 0.005 });
      const samples = (item.frames - 1) * dsp.settings.hop;
      const audio = new Float32Array(samples);
      audio.set(run.output.subarray(0, Math.min(samples, run.output.length)));
      return dsp.mel(audio, { log: true });
    },
  };
}
