/**
 * A tiny ray-caster for the simulated capture's visual input: a global view of the scene from a camera
 * (the paper's tripod view and its synthetic top/side views) and a local view re-centred on the touched
 * spot, both with the hands drawn in (joint discs, skin coloured, depth-tested against the surfaces).
 * Output: RGB bytes, row-major. Small images (32–64 px) are all the model's visual encoder needs.
 */
import { InvalidArgumentError } from '../errors.js';
import { KEYPOINT_COUNT, KEYPOINT_RADIUS_M, type Vec3 } from './hand-skeleton.js';
import { textureColor } from './texture.js';
import { lookAt, type Camera, type Scene } from './scene.js';

// Bones of the MANO skeleton (parent → child), to draw fingers as chains of discs rather than dots.
const BONES: [number, number][] = [
  [0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 6], [6, 7], [7, 8], [0, 9], [9, 10], [10, 11], [11, 12],
  [0, 13], [13, 14], [14, 15], [15, 16], [0, 17], [17, 18], [18, 19], [19, 20], [5, 9], [9, 13], [13, 17],
];
const SKIN: [Vec3, Vec3] = [[214, 170, 140], [196, 150, 120]];
const LIGHT: Vec3 = [0.3, 0.85, 0.42];

export interface RenderedView { rgb: Uint8Array; depth: Float32Array; sizePx: number }

/** Renders the scene's surfaces from `camera` (no hands). */
export function renderBackground(scene: Scene, camera: Camera, sizePx: number): RenderedView {
  if (!Number.isInteger(sizePx) || sizePx < 4 || sizePx > 1024) throw new InvalidArgumentError(`sizePx must be an integer in 4…1024, got ${sizePx}`);
  const rgb = new Uint8Array(sizePx * sizePx * 3), depth = new Float32Array(sizePx * sizePx).fill(Infinity);
  const tanHalf = Math.tan((camera.fovDeg * Math.PI) / 360);
  const { position: o, forward: f, right: r, down: d } = camera;
  const col = new Float64Array(3);
  for (let j = 0; j < sizePx; j++) {
    const y = ((j + 0.5) / sizePx - 0.5) * 2 * tanHalf;
    for (let i = 0; i < sizePx; i++) {
      const x = ((i + 0.5) / sizePx - 0.5) * 2 * tanHalf;
      const dx = f[0] + x * r[0] + y * d[0], dy = f[1] + x * r[1] + y * d[1], dz = f[2] + x * r[2] + y * d[2];
      let bestT = Infinity, bestS = -1, bu = 0, bv = 0;
      for (const s of scene.surfaces) {
        const n = s.normal;
        const denom = dx * n[0] + dy * n[1] + dz * n[2];
        if (Math.abs(denom) < 1e-9) continue;
        const t = ((s.center[0] - o[0]) * n[0] + (s.center[1] - o[1]) * n[1] + (s.center[2] - o[2]) * n[2]) / denom;
        if (t <= 1e-4 || t >= bestT) continue;
        const px = o[0] + t * dx - s.center[0], py = o[1] + t * dy - s.center[1], pz = o[2] + t * dz - s.center[2];
        const u = px * s.tangentU[0] + py * s.tangentU[1] + pz * s.tangentU[2];
        const v = px * s.tangentV[0] + py * s.tangentV[1] + pz * s.tangentV[2];
        if (Math.abs(u) > s.halfUM || Math.abs(v) > s.halfVM) continue;
        bestT = t; bestS = s.index; bu = u; bv = v;
      }
      const p = (j * sizePx + i) * 3;
      if (bestS >= 0) {
        const s = scene.surfaces[bestS]!;
        textureColor(s.material.spec, bu, bv, s.textureSeed, col);
        const lambert = 0.55 + 0.45 * Math.abs(s.normal[0] * LIGHT[0] + s.normal[1] * LIGHT[1] + s.normal[2] * LIGHT[2]);
        rgb[p] = Math.round(col[0]! * lambert); rgb[p + 1] = Math.round(col[1]! * lambert); rgb[p + 2] = Math.round(col[2]! * lambert);
        depth[j * sizePx + i] = bestT;
      } else {
        const shade = 0.8 + 0.2 * (1 - j / sizePx);
        rgb[p] = Math.round(scene.background[0] * shade); rgb[p + 1] = Math.round(scene.background[1] * shade); rgb[p + 2] = Math.round(scene.background[2] * shade);
      }
    }
  }
  return { rgb, depth, sizePx };
}

/** Draws hands (each 63 numbers or null) into a copy of `bg`, depth-tested. */
export function drawHands(bg: RenderedView, camera: Camera, hands: readonly (ArrayLike<number> | null)[]): Uint8Array {
  const size = bg.sizePx, rgb = bg.rgb.slice(), zbuf = bg.depth.slice();
  const focal = size / (2 * Math.tan((camera.fovDeg * Math.PI) / 360));
  const { position: o, forward: f, right: r, down: d } = camera;
  const disc = (x: number, y: number, z: number, radiusM: number, color: Vec3) => {
    const wx = x - o[0], wy = y - o[1], wz = z - o[2];
    const cz = wx * f[0] + wy * f[1] + wz * f[2];
    if (cz < 0.03) return;
    const cx = (wx * r[0] + wy * r[1] + wz * r[2]) / cz * focal + size / 2;
    const cy = (wx * d[0] + wy * d[1] + wz * d[2]) / cz * focal + size / 2;
    const rad = Math.max(0.5, (radiusM * focal) / cz);
    const i0 = Math.max(0, Math.floor(cx - rad)), i1 = Math.min(size - 1, Math.ceil(cx + rad));
    const j0 = Math.max(0, Math.floor(cy - rad)), j1 = Math.min(size - 1, Math.ceil(cy + rad));
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const ddx = i + 0.5 - cx, ddy = j + 0.5 - cy;
        const q = (ddx * ddx + ddy * ddy) / (rad * rad);
        if (q > 1) continue;
        const z = cz - radiusM * Math.sqrt(1 - q);
        if (z >= zbuf[j * size + i]!) continue;
        zbuf[j * size + i] = z;
        const shade = 0.7 + 0.3 * Math.sqrt(1 - q);
        const p = (j * size + i) * 3;
        rgb[p] = Math.round(color[0] * shade); rgb[p + 1] = Math.round(color[1] * shade); rgb[p + 2] = Math.round(color[2] * shade);
      }
    }
  };
  hands.forEach((kp, h) => {
    if (!kp) return;
    const color = SKIN[h % 2]!;
    for (const [a, b] of BONES) {
      const ra = KEYPOINT_RADIUS_M[a]!, rb = KEYPOINT_RADIUS_M[b]!;
      for (let s = 0; s <= 3; s++) {
        const w = s / 3;
        disc(kp[a * 3]! + (kp[b * 3]! - kp[a * 3]!) * w, kp[a * 3 + 1]! + (kp[b * 3 + 1]! - kp[a * 3 + 1]!) * w, kp[a * 3 + 2]! + (kp[b * 3 + 2]! - kp[a * 3 + 2]!) * w, ra + (rb - ra) * w, color);
      }
    }
    for (let k = 0; k < KEYPOINT_COUNT; k++) disc(kp[k * 3]!, kp[k * 3 + 1]!, kp[k * 3 + 2]!, KEYPOINT_RADIUS_M[k]!, color);
  });
  return rgb;
}

/** A camera re-centred on `target` (the touched spot), looking from the side of `from`, 25 cm away. */
export function localCamera(target: Vec3, from: Camera, distanceM = 0.25): Camera {
  const dx = from.position[0] - target[0], dy = from.position[1] - target[1], dz = from.position[2] - target[2];
  const n = Math.hypot(dx, dy, dz) || 1;
  return lookAt([target[0] + (dx / n) * distanceM, target[1] + (dy / n) * distanceM, target[2] + (dz / n) * distanceM], target, 40);
}
