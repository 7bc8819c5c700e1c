/**
 * The procedural baseline for the evaluation table: the simulated capture's own engine (src/sim, the
 * runtime's fallback backend) driven by the item's *tracked* keypoints (noisy, with dropouts) on the
 * item's scene, i.e. what the product plays without a model. Only for our simulated datasets: the scene
 * is rebuilt from dataset.json's seed, the keypoints are moved from the view's camera frame back to the
 * scene frame with the camera written in the item's label.
 */
import type { Dsp } from '../../dsp/index.js';
import { HandFrame } from '../../hand/hand-frame.js';
import { ProceduralBackend } from '../../sim/procedural-backend.js';
import type { EvalItem } from './dataset.js';
import type { Variant } from './evaluate.js';
import { itemCamera, sceneTrajectory, simulatedScenes } from './sim-items.js';

export function proceduralVariant(root: string, dsp: Dsp): Variant | null {
  const scenes = simulatedScenes(root);
  if (!scenes) return null;
  const sr = dsp.settings.sampleRate;
  return {
    name: 'procedural baseline (sim engine on the tracked keypoints)',
    async generate(item: EvalItem): Promise<Float32Array> {
      const scene = scenes.get(item.scene);
      const cam = itemCamera(item);
      if (!scene || !cam) throw new Error(`item ${item.name}: no scene or camera for the procedural baseline`);
      const backend = new ProceduralBackend({ scene, seed: 1 });
      const traj = sceneTrajectory(item, cam);
      const samples = (item.frames - 1) * dsp.settings.hop;
      const audio = new Float32Array(samples);
      const frame = new HandFrame();
      let written = 0;
      for (let k = 0; k < traj.timesSec.length && written < samples; k++) {
        traj.frameAt(k, frame);
        backend.pushFrame({ timeSec: frame.timeSec, keypointsM: frame.keypointsM, valid: frame.valid });
        const until = Math.min(samples, Math.round(((k + 1) / 30) * sr));
        if (until > written) { backend.render(audio.subarray(written, until)); written = until; }
      }
      if (written < samples) backend.render(audio.subarray(written));
      return dsp.mel(audio, { log: true });
    },
  };
}
