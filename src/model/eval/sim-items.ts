/**
 * What the evaluation needs to replay one of our simulated items the way the product would see it: the item's
 * scene rebuilt from dataset.json's seed, and its tracked keypoints moved from the view's camera frame (as stored,
 * HaMeR-style) back to the scene frame with the camera written in the item's label. Only for datasets made by
 * `hearing-hands simulate`; null otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDataset, type DatasetPlan } from '../../dataset/plan.js';
import { Trajectory } from '../../hand/trajectory.js';
import type { Camera, Scene } from '../../sim/scene.js';
import type { EvalItem } from './dataset.js';

/** The simulated dataset's scenes by id, or null when `root` is not one. */
export function simulatedScenes(root: string): Map<string, Scene> | null {
  const plan = simulatedPlan(root);
  return plan ? new Map<string, Scene>(plan.scenes.map((s) => [s.id, s])) : null;
}

/** The simulated dataset's plan (its scenes and sounds, rebuilt from dataset.json's seed), or null when `root` is not one. */
export function simulatedPlan(root: string): DatasetPlan | null {
  const manifestPath = join(root, 'dataset.json');
  if (!existsSync(manifestPath)) return null;
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { format?: string; seed?: number; hours?: number };
  if (m.format !== 'hearing-hands/simcapture@1' || typeof m.seed !== 'number' || typeof m.hours !== 'number') return null;
  return planDataset(m.seed, m.hours);
}

/** The camera the item's keypoints are expressed in (its label's), or null. */
export function itemCamera(item: EvalItem): Camera | null {
  const c = item.label['camera'] as Partial<Camera> | undefined;
  if (!c?.position || !c.right || !c.down || !c.forward) return null;
  return { position: c.position, right: c.right, down: c.down, forward: c.forward, fovDeg: c.fovDeg ?? 60 };
}

/** The item's 30 Hz keypoints as a scene-frame trajectory (an all-zero hand = not tracked). */
export function sceneTrajectory(item: EvalItem, cam: Camera, fps = 30): Trajectory {
  const n = item.keypoints.length / 126;
  const times = new Float64Array(n), kp = new Float32Array(n * 126), valid = new Uint8Array(n * 2);
  for (let k = 0; k < n; k++) {
    times[k] = k / fps;
    for (let h = 0; h < 2; h++) {
      let any = false;
      for (let j = 0; j < 21; j++) {
        const o = k * 126 + h * 63 + j * 3;
        const x = item.keypoints[o]!, y = item.keypoints[o + 1]!, z = item.keypoints[o + 2]!;
        if (x !== 0 || y !== 0 || z !== 0) any = true;
        for (let c = 0; c < 3; c++) kp[o + c] = cam.position[c]! + x * cam.right[c]! + y * cam.down[c]! + z * cam.forward[c]!;
      }
      valid[k * 2 + h] = any ? 1 : 0;
      if (!any) kp.fill(0, k * 126 + h * 63, k * 126 + (h + 1) * 63);
    }
  }
  return new Trajectory(times, kp, valid);
}
