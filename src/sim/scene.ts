/**
 * Scenes of the simulated capture: rectangular surfaces (a table top, a shelf, a wall panel, a patch of
 * ground) made of material instances, at positions in a scene frame (metres, y up). Touching is purely
 * geometric: a hand touches a surface when its skin reaches the surface's plane inside its extent.
 * Each surface is a "region" (the paper's unit of interaction), filmed from camera placements with three
 * rendered views (original, top, side) as the paper's synthetic-view augmentation does.
 */
import { InvalidArgumentError } from '../errors.js';
import { MATERIAL_NAMES, instantiateMaterial, type MaterialInstance } from './materials.js';
import { Rng } from './rng.js';
import { cross, normalize, type Vec3 } from './hand-skeleton.js';

export interface Surface {
  index: number;
  material: MaterialInstance;
  center: Vec3;
  /** Unit normal pointing out of the surface (the side hands come from). */
  normal: Vec3;
  tangentU: Vec3;
  tangentV: Vec3;
  halfUM: number;
  halfVM: number;
  textureSeed: number;
}

export interface Camera {
  position: Vec3;
  /** OpenCV convention (as HaMeR): x right, y down, z forward. */
  right: Vec3;
  down: Vec3;
  forward: Vec3;
  fovDeg: number;
}

export interface Scene {
  id: string;
  surfaces: Surface[];
  roomT60Sec: number;
  roomWetGain: number;
  noiseFloorDb: number;
  /** Background colour seen where no surface is hit. */
  background: Vec3;
}

export function makeSurface(index: number, material: MaterialInstance, center: Vec3, normal: Vec3, halfUM: number, halfVM: number, textureSeed: number): Surface {
  if (!(halfUM > 0 && halfVM > 0)) throw new InvalidArgumentError(`surface extents must be positive, got ${halfUM} × ${halfVM}`);
  if (![...center, ...normal].every(Number.isFinite)) throw new InvalidArgumentError('surface centre and normal must be finite');
  const n = normalize(normal);
  const ref: Vec3 = Math.abs(n[1]) > 0.9 ? [1, 0, 0] : [0, 1, 0];
  const tangentV = normalize(cross(n, ref));
  const tangentU = normalize(cross(tangentV, n));
  return { index, material, center, normal: n, tangentU, tangentV, halfUM, halfVM, textureSeed };
}

/** Generates scene number `sceneIndex` of a dataset seeded with `seed`: 3–5 surfaces of distinct materials. */
export function generateScene(seed: number, sceneIndex: number): Scene {
  const rng = Rng.derive(seed, `scene:${sceneIndex}`);
  const count = rng.int(3, 5);
  // One shuffled order of all materials per dataset, dealt to the scenes in turn (each takes as many as it
  // has surfaces), so that five scenes already cover every material while each scene has its own mix.
  const order = [...MATERIAL_NAMES];
  const deal = Rng.derive(seed, 'materials');
  for (let i = order.length - 1; i > 0; i--) { const j = deal.int(0, i); [order[i], order[j]] = [order[j]!, order[i]!]; }
  let first = 0;
  for (let k = 0; k < sceneIndex; k++) first += Rng.derive(seed, `scene:${k}`).int(3, 5);
  const names = Array.from({ length: count }, (_, i) => order[(first + i) % order.length]!);
  const surfaces: Surface[] = [];
  for (let i = 0; i < count; i++) {
    const material = instantiateMaterial(names[i]!, rng);
    const vertical = rng.bool(0.2) && !['snow', 'foliage', 'carpet'].includes(names[i]!);
    const height = ['snow', 'carpet', 'stone'].includes(names[i]!) ? rng.uniform(0, 0.05) : rng.uniform(0.4, 0.95);
    const x = i * 1.4 + rng.uniform(-0.1, 0.1);
    const center: Vec3 = vertical ? [x, rng.uniform(0.9, 1.3), -0.3] : [x, height, 0];
    const normal: Vec3 = vertical ? [0, 0, 1] : [0, 1, 0];
    surfaces.push(makeSurface(i, material, center, normal, rng.uniform(0.25, 0.5), rng.uniform(0.2, 0.4), rng.int(1, 1e6)));
  }
  return {
    id: `S${String(sceneIndex).padStart(3, '0')}`,
    surfaces,
    roomT60Sec: rng.uniform(0.15, 0.6),
    roomWetGain: rng.uniform(0.04, 0.18),
    noiseFloorDb: rng.uniform(-74, -60),
    background: [rng.uniform(60, 200), rng.uniform(60, 200), rng.uniform(60, 200)],
  };
}

/** A camera at `position` looking at `target` (world up = +y). */
export function lookAt(position: Vec3, target: Vec3, fovDeg = 60): Camera {
  const forward = normalize([target[0] - position[0], target[1] - position[1], target[2] - position[2]]);
  let right = cross(forward, [0, 1, 0]);
  if (Math.hypot(...right) < 1e-6) right = [1, 0, 0];
  right = normalize(right);
  const down = cross(forward, right);
  return { position, right, down, forward, fovDeg };
}

/**
 * The three views of one camera placement looking at `target`: 0 the tripod camera, 1 a top view, 2 a
 * side view (the paper's synthetic views of the same interaction).
 */
export function cameraViews(rng: Rng, target: Vec3, surfaceNormal: Vec3): [Camera, Camera, Camera] {
  const horizontal = Math.abs(surfaceNormal[1]) > 0.9;
  const dist = rng.uniform(0.7, 1.3);
  const az = horizontal ? rng.uniform(-Math.PI, Math.PI) : rng.uniform(-0.5, 0.5);
  const el = horizontal ? rng.uniform(0.35, 0.8) : rng.uniform(-0.1, 0.3);
  const at = (azR: number, elR: number, d: number): Vec3 => horizontal
    ? [target[0] + d * Math.cos(elR) * Math.sin(azR), target[1] + d * Math.sin(elR), target[2] + d * Math.cos(elR) * Math.cos(azR)]
    : [target[0] + d * Math.cos(elR) * Math.sin(azR), target[1] + d * Math.sin(elR), target[2] + d * Math.cos(elR) * Math.cos(azR)];
  const top = horizontal ? at(az, Math.min(1.45, el + 0.6), dist * 0.9) : at(az, el + 0.5, dist);
  const side = at(az + rng.uniform(0.6, 1.0) * (rng.bool() ? 1 : -1), el, dist);
  return [lookAt(at(az, el, dist), target), lookAt(top, target), lookAt(side, target)];
}

/** Scene frame → camera frame (x right, y down, z forward), in place, for one hand's 21 keypoints (63 floats). */
export function toCameraFrame(hand: Float32Array, cam: Camera): void {
  for (let k = 0; k < 21; k++) {
    const dx = hand[k * 3]! - cam.position[0], dy = hand[k * 3 + 1]! - cam.position[1], dz = hand[k * 3 + 2]! - cam.position[2];
    hand[k * 3] = dx * cam.right[0] + dy * cam.right[1] + dz * cam.right[2];
    hand[k * 3 + 1] = dx * cam.down[0] + dy * cam.down[1] + dz * cam.down[2];
    hand[k * 3 + 2] = dx * cam.forward[0] + dy * cam.forward[1] + dz * cam.forward[2];
  }
}

/** Coordinates of world point p in surface s: (u, v) along the surface and height above it. */
export function toSurface(s: Surface, p: ArrayLike<number>, o = 0): [number, number, number] {
  const dx = p[o]! - s.center[0], dy = p[o + 1]! - s.center[1], dz = p[o + 2]! - s.center[2];
  return [
    dx * s.tangentU[0] + dy * s.tangentU[1] + dz * s.tangentU[2],
    dx * s.tangentV[0] + dy * s.tangentV[1] + dz * s.tangentV[2],
    dx * s.normal[0] + dy * s.normal[1] + dz * s.normal[2],
  ];
}

export function fromSurface(s: Surface, u: number, v: number, h: number): Vec3 {
  return [
    s.center[0] + u * s.tangentU[0] + v * s.tangentV[0] + h * s.normal[0],
    s.center[1] + u * s.tangentU[1] + v * s.tangentV[1] + h * s.normal[1],
    s.center[2] + u * s.tangentU[2] + v * s.tangentV[2] + h * s.normal[2],
  ];
}
