/**
 * The procedural baseline for the evaluation table: the simulated capture's own engine (src/sim, the
 * runtime's fallback backend) driven by the item's *tracked* keypoints (noisy, with dropouts) on the
 * item's scene, i.e. what the product plays without a model. Only for our simulated datasets: the scene
 * is rebuilt from dataset.json's seed, the keypoints are moved from the view's camera frame back to the
 * scene frame with the camera written in the item's label.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dsp } from '../../dsp/index.js';
import { planDataset } from '../../dataset/plan.js';
import { ProceduralBackend } from '../../sim/procedural-backend.js';
import type { Scene } from '../../sim/scene.js';
import type { EvalItem } from './dataset.js';
import type { Variant } from './evaluate.js';

interface CameraJson { position: number[]; right: number[]; down: number[]; forward: number[] }

export function proceduralVariant(root: string, dsp: Dsp): Variant | null {
  const manifestPath = join(root, 'dataset.json');
  if (!existsSync(manifestPath)) return null;
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { format?: string; seed?: number; hours?: number };
  if (m.format !== 'hearing-hands/simcapture@1' || typeof m.seed !== 'number' || typeof m.hours !== 'number') return null;
  const scenes = new Map<string, Scene>(planDataset(m.seed, m.hours).scenes.map((s) => [s.id, s]));
  const fps = 30, sr = dsp.settings.sampleRate;
  return {
    name: 'procedural baseline (sim engine on the tracked keypoints)',
    async generate(item: EvalItem): Promise<Float32Array> {
      const scene = scenes.get(item.scene);
      const cam = item.label['camera'] as CameraJson | undefined;
      if (!scene || !cam) throw new Error(`item ${item.name}: no scene or camera for the procedural baseline`);
      const backend = new ProceduralBackend({ scene, seed: 1 });
      const frames30 = item.keypoints.length / 126;
      const samples = (item.frames - 1) * dsp.settings.hop;
      const audio = new Float32Array(samples);
      const kp = new Float32Array(126);
      const valid = new Uint8Array(2);
      let written = 0;
      for (let k = 0; k < frames30 && written < samples; k++) {
        for (let h = 0; h < 2; h++) {
          let any = false;
          for (let j = 0; j < 21; j++) {
            const o = k * 126 + h * 63 + j * 3;
            const x = item.keypoints[o]!, y = item.keypoints[o + 1]!, z = item.keypoints[o + 2]!;
            if (x !== 0 || y !== 0 || z !== 0) any = true;
            for (let c = 0; c < 3; c++) kp[h * 63 + j * 3 + c] = cam.position[c]! + x * cam.right[c]! + y * cam.down[c]! + z * cam.forward[c]!;
          }
          valid[h] = any ? 1 : 0;
        }
        backend.pushFrame({ timeSec: k / fps, keypointsM: kp, valid });
        const until = Math.min(samples, Math.round(((k + 1) / fps) * sr));
        if (until > written) { backend.render(audio.subarray(written, until)); written = until; }
      }
      if (written < samples) backend.render(audio.subarray(written));
      return dsp.mel(audio, { log: true });
    },
  };
}
