/**
 * What a bare trajectory file implies about its scene when no scene is given (DESIGN.md: "material names the
 * touched material when no scene is given"): one horizontal surface of that material at the height the hand's skin
 * reaches at its lowest (a hand that touches something comes to rest on it), and a tripod-like camera looking at
 * that spot from about a metre away, like the training data's views.
 */
import type { Trajectory } from '../hand/trajectory.js';
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from '../hand/joints.js';
import { KEYPOINT_RADIUS_M } from '../sim/hand-skeleton.js';
import { lookAt, type Camera, type Surface } from '../sim/scene.js';
import { ContactTracker, type HandContact, type ImpactEvent } from '../sim/contact.js';
import { InvalidTrajectoryError } from '../errors.js';
import type { SurfaceClamp } from './action-timeline.js';
import { SceneVisualContext, singleSurfaceScene } from './visual-context.js';

export interface InferredSurface {
  heightM: number;
  /** The lowest skin point (x, z) — where the hand touches. */
  x: number;
  z: number;
}

export function inferSurface(traj: Trajectory): InferredSurface {
  let best = Infinity, bx = 0, bz = 0;
  const n = traj.timesSec.length;
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < 2; h++) {
      if (!traj.valid[i * 2 + h]) continue;
      const o = i * FLOATS_PER_FRAME + h * FLOATS_PER_HAND;
      for (let k = 0; k < 21; k++) {
        const y = traj.keypointsM[o + k * 3 + 1]! - KEYPOINT_RADIUS_M[k]!;
        if (y < best) { best = y; bx = traj.keypointsM[o + k * 3]!; bz = traj.keypointsM[o + k * 3 + 2]!; }
      }
    }
  }
  if (!Number.isFinite(best)) throw new InvalidTrajectoryError('the trajectory has no tracked hand in any frame');
  return { heightM: best, x: bx, z: bz };
}

/** A camera 0.85 m in front of (+z) and 0.5 m above the touch point, looking at it. */
export function defaultCamera(surface: InferredSurface): Camera {
  const target: [number, number, number] = [surface.x, surface.heightM, surface.z];
  return lookAt([target[0], target[1] + 0.5, target[2] + 0.85], target);
}

/**
 * Keeps predicted keypoints from sinking into a flat surface of any tilt: each stays at least its skin radius on the
 * outer side (along `normal`, unit length) of the plane through `center`, moved along the normal only.
 */
export function planeClamp(surface: { center: readonly number[]; normal: readonly number[] }): SurfaceClamp {
  const [cx, cy, cz] = surface.center as [number, number, number], [nx, ny, nz] = surface.normal as [number, number, number];
  return (hand: Float32Array) => {
    for (let k = 0; k < 21; k++) {
      const o = k * 3;
      const d = (hand[o]! - cx) * nx + (hand[o + 1]! - cy) * ny + (hand[o + 2]! - cz) * nz - KEYPOINT_RADIUS_M[k]!;
      if (d < 0) { hand[o] = hand[o]! - d * nx; hand[o + 1] = hand[o + 1]! - d * ny; hand[o + 2] = hand[o + 2]! - d * nz; }
    }
  };
}

/** The clamp for a horizontal surface at `heightM` (the trajectory's inferred table). */
export function horizontalSurfaceClamp(heightM: number): SurfaceClamp {
  return planeClamp({ center: [0, heightM, 0], normal: [0, 1, 0] });
}

/** Times of the impacts in a trajectory (the simulated capture's contact geometry against the given surfaces). */
export function impactTimes(traj: Trajectory, surfaces: readonly Surface[]): number[] {
  const tracker = new ContactTracker(surfaces, 2);
  const impacts: ImpactEvent[] = [], contacts: HandContact[] = [];
  const n = traj.timesSec.length;
  const times: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = traj.timesSec[i]!;
    if (!(t > last)) continue;
    last = t;
    const hands = [0, 1].map((h) => (traj.valid[i * 2 + h] ? traj.keypointsM.subarray(i * FLOATS_PER_FRAME + h * FLOATS_PER_HAND, i * FLOATS_PER_FRAME + (h + 1) * FLOATS_PER_HAND) : null));
    if (hands.some((k) => k && !k.every(Number.isFinite))) continue;
    impacts.length = 0;
    tracker.update(t, hands, impacts, contacts);
    for (const imp of impacts) times.push(imp.timeSec);
  }
  return times.sort((a, b) => a - b);
}

/**
 * What the model hears a bare trajectory in (a file's, or the browser runtime's spec): the inferred table as the one
 * surface of `material`, the default camera looking at where the hand works, the clamp that keeps predicted hands
 * out of the table. Each call makes a fresh visual context (it follows the hands).
 */
export function trajectoryModelScene(surface: InferredSurface, material: string, visualDim: number):
  { camera: Camera; visual: SceneVisualContext; clamp: SurfaceClamp } {
  const camera = defaultCamera(surface);
  return { camera, visual: new SceneVisualContext(singleSurfaceScene(material, surface.heightM), camera, visualDim), clamp: horizontalSurfaceClamp(surface.heightM) };
}
