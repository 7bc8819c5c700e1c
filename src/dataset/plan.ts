/**
 * What a simulated dataset of H hours contains, decided from the seed alone (so any subset of items can
 * be generated in any order, by any worker, with identical bytes): scenes of ~150 items (20 min, like the
 * paper's ~1,400 s per scene), videos of 5 consecutive 8 s items filmed from one camera placement at one
 * region (surface), three rendered views per video, and an action per item.
 *
 * Splits (paper 4.1: no test camera view overlaps training): `split.json` holds out whole regions
 * (one surface per scene for test; val = another region in scenes with ≥ 5, else the last take of each
 * remaining region, whose camera placement is its own). `split_viewpoint.json` holds out the side view.
 */
import { InvalidArgumentError } from '../errors.js';
import { ACTION_NAMES, type ActionName } from '../sim/actions.js';
import { Rng } from '../sim/rng.js';
import { generateScene, type Scene } from '../sim/scene.js';
import { VIEW_COUNT } from '../sim/capture.js';
import { ITEM_SEC, itemName, type ItemKey, type Split, type SplitName } from './layout.js';

export const ITEMS_PER_SCENE = 150;
export const ITEMS_PER_VIDEO = 5;

export interface PlannedSound {
  /** Position in the plan (the order of the manifest). */
  index: number;
  sceneIndex: number;
  sceneId: string;
  region: number;
  take: number;
  startSec: number;
  action: ActionName;
  seed: number;
  videoSeed: number;
  split: SplitName;
}

export interface DatasetPlan {
  seed: number;
  hours: number;
  scenes: Scene[];
  sounds: PlannedSound[];
}

export function planDataset(seed: number, hours: number): DatasetPlan {
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new InvalidArgumentError(`seed must be an integer in 0…2^32-1, got ${seed}`);
  if (!(hours > 0 && hours <= 1000)) throw new InvalidArgumentError(`hours must be in (0, 1000], got ${hours}`);
  const total = Math.max(1, Math.ceil((hours * 3600) / ITEM_SEC));
  const sceneCount = Math.max(1, Math.ceil(total / ITEMS_PER_SCENE));
  const scenes = Array.from({ length: sceneCount }, (_, i) => generateScene(seed, i));
  const sounds: PlannedSound[] = [];
  for (let s = 0; s < sceneCount; s++) {
    const scene = scenes[s]!;
    const n = scene.surfaces.length;
    const count = Math.floor(total / sceneCount) + (s < total % sceneCount ? 1 : 0);
    const videos = Math.ceil(count / ITEMS_PER_VIDEO);
    // Regions are filmed in order, so holding out the last ones keeps small datasets mostly for training.
    const testRegion = n - 1 - (s % n), valRegion = n >= 5 ? (testRegion + n - 1) % n : -1;
    const takesPerRegion = Math.ceil(videos / n);
    const rng = Rng.derive(seed, `actions:${s}`);
    for (let i = 0; i < count; i++) {
      const video = Math.floor(i / ITEMS_PER_VIDEO);
      const region = video % n, take = Math.floor(video / n);
      const lastTake = take === takesPerRegion - 1 || (video + n >= videos);
      const split: SplitName = region === testRegion ? 'test'
        : region === valRegion || (valRegion < 0 && lastTake && takesPerRegion > 1) ? 'val' : 'train';
      const startSec = (i % ITEMS_PER_VIDEO) * ITEM_SEC;
      sounds.push({
        index: sounds.length, sceneIndex: s, sceneId: scene.id, region, take, startSec,
        action: rng.pick(ACTION_NAMES),
        seed: Rng.derive(seed, `item:${s}:${region}:${take}:${startSec}`).nextUint32(),
        videoSeed: Rng.derive(seed, `video:${s}:${region}:${take}`).nextUint32(),
        split,
      });
    }
  }
  return { seed, hours, scenes, sounds };
}

export function soundItemKey(p: PlannedSound, view: number): ItemKey {
  return { sceneId: p.sceneId, region: p.region, take: p.take, view, startSec: p.startSec };
}

/** split.json (held-out regions, all views of a video together) and split_viewpoint.json (held-out side view). */
export function buildSplits(plan: DatasetPlan): { byRegion: Split; byViewpoint: Split } {
  const byRegion: Split = { train: [], val: [], test: [] };
  const byViewpoint: Split = { train: [], val: [], test: [] };
  for (const p of plan.sounds) {
    for (let v = 0; v < VIEW_COUNT; v++) {
      const entry: [string, string] = [p.sceneId, itemName(soundItemKey(p, v))];
      byRegion[p.split].push(entry);
      if (v < VIEW_COUNT - 1) byViewpoint.train.push(entry);
      else (p.split === 'val' ? byViewpoint.val : byViewpoint.test).push(entry);
    }
  }
  return { byRegion, byViewpoint };
}
