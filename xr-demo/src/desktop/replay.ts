/**
 * Replay of the bundled trajectories (examples/*.json) in the scene: each file's hand is moved so that the spot it
 * touches (its lowest skin point, src/runtime/trajectory-scene.ts inferSurface) lands on the middle of the first
 * annotated region of the file's material (or of `regionName`), then it plays in real time through the same path as
 * live hands. Frame times are shifted onto the page clock so the runtime and the latency meter see live-like frames.
 */
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { parseTrajectoryJson } from '../../../src/hand/trajectory-json.js';
import { TrajectorySource } from '../../../src/hand/sources/trajectory-source.js';
import { SceneRegistration } from '../../../src/hand/registration.js';
import type { HandFrameListener } from '../../../src/hand/source.js';
import { inferSurface } from '../../../src/runtime/trajectory-scene.js';
import { InvalidArgumentError } from '../../../src/errors.js';
import { regionUnder, topOf, type Annotation, type Region } from '../annotation.js';

export const BUNDLED_TRAJECTORIES = ['knock-wood', 'tap-metal', 'scratch-fabric'] as const;

export interface Replay { source: TrajectorySource; region: string; durationSec: number }

/** The spot of `region` nearest its middle where nothing else lies on top (the table's middle holds the paper). */
function openSpot(annotation: Annotation, region: Region): [number, number, number] {
  const mid = [(region.min[0] + region.max[0]) / 2, (region.min[2] + region.max[2]) / 2] as const;
  let best: [number, number, number] = [mid[0], topOf(region), mid[1]], bestD = Infinity;
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const x = region.min[0] + ((region.max[0] - region.min[0]) * i) / 20, z = region.min[2] + ((region.max[2] - region.min[2]) * j) / 20;
      // Clear of other regions by 8 cm (a hand is wider than a point).
      const clear = [-0.08, 0, 0.08].every((dx) => [-0.08, 0, 0.08].every((dz) => regionUnder(annotation, x + dx, topOf(region) + 0.01, z + dz, 0, 0) === region));
      const d = Math.hypot(x - mid[0], z - mid[1]);
      if (clear && d < bestD) { bestD = d; best = [x, topOf(region), z]; }
    }
  }
  return best;
}

export async function loadReplay(url: string, annotation: Annotation, regionName?: string): Promise<Replay> {
  const res = await fetch(url);
  if (!res.ok) throw new InvalidArgumentError(`trajectory ${url}: HTTP ${res.status}`);
  const traj = parseTrajectoryJson(await res.text());
  const material = traj.info.material ?? 'wood';
  const region = annotation.regions.find((r) => (regionName ? r.name === regionName : r.material === material));
  if (!region) throw new InvalidArgumentError(`no annotated region ${regionName ? `'${regionName}'` : `of material '${material}'`} in this scene`);
  const touch = inferSurface(traj);
  const target = openSpot(annotation, region);
  // The registration maps file space → scene: a pure translation (pose of the scene in the file's space).
  const registration = SceneRegistration.fromScenePose({
    positionM: [touch.x - target[0]!, touch.heightM - target[1]!, touch.z - target[2]!], rotation: [0, 0, 0, 1], scale: 1,
  });
  const source = new TrajectorySource(traj, { registration });
  return { source, region: region.name, durationSec: traj.durationSec };
}

/** Starts a replay whose frames arrive stamped with page time (performance.now() / 1000). */
export function playOnPageClock(replay: Replay, listener: HandFrameListener): void {
  const t0 = performance.now() / 1000 + 0.05 - replay.source.trajectory.timesSec[0]!;
  // A copy: the source keeps its own (file-time) frame for its time-order check.
  const onPage = new HandFrame();
  replay.source.start((f) => { onPage.copyFrom(f).timeSec += t0; listener(onPage); });
}
