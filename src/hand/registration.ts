/**
 * Scene-frame registration. Hand keypoints arrive in the XR reference space (WebXR: right-handed, +Y up,
 * metres). The reconstructed scene is placed in that space with a pose: p_xr = t + s·R·p_scene
 * (translation t, rotation R, uniform scale s: a scan at 1:1 has s = 1; a scaled-down diorama s < 1).
 * `SceneRegistration` maps keypoints into the scene's frame, so that contact lookups against the scene's
 * geometry and the model's action share one frame:
 * - units 'metres' (default): p = Rᵀ(p_xr − t) — the scene's origin and axes, but distances stay the
 *   metres the hand really moved (hand speed, and hence impact loudness, does not depend on how the
 *   scene was scaled);
 * - units 'scene': p = Rᵀ(p_xr − t) / s — the scene's own units (what its geometry is stored in).
 * Hands that are not tracked stay zeros (they are not transformed).
 */
import { InvalidArgumentError } from '../errors.js';
import { HandFrame } from './hand-frame.js';
import { FLOATS_PER_HAND, KEYPOINTS_PER_HAND } from './joints.js';
import type { Vec3 } from './source.js';

export type RegistrationUnits = 'metres' | 'scene';

export interface ScenePose {
  /** Where the scene's origin is, in the XR reference space (metres). */
  positionM: readonly [number, number, number];
  /** The scene's orientation as a unit quaternion [x, y, z, w]. */
  rotation: readonly [number, number, number, number];
  /** Uniform scale from scene units to XR metres. */
  scale: number;
}

export class SceneRegistration {
  /** Row-major 3×4 affine [r00 r01 r02 tx; r10 …; r20 …] applied to XR-space points. */
  private readonly m = new Float64Array(12);

  private constructor(m: ArrayLike<number>) { this.m.set(m); }

  static identity(): SceneRegistration {
    return new SceneRegistration([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  }

  /** From the scene's pose in the XR reference space (see the file comment for `units`). */
  static fromScenePose(pose: ScenePose, units: RegistrationUnits = 'metres'): SceneRegistration {
    const [px, py, pz] = pose.positionM;
    let [x, y, z, w] = pose.rotation;
    const s = pose.scale;
    if (![px, py, pz, x, y, z, w, s].every(Number.isFinite) || !(s > 0)) {
      throw new InvalidArgumentError('SceneRegistration: pose must be finite with a positive scale');
    }
    const n = Math.hypot(x, y, z, w);
    if (Math.abs(n - 1) > 1e-3) throw new InvalidArgumentError(`SceneRegistration: rotation quaternion must be unit length, got |q| = ${n}`);
    x /= n; y /= n; z /= n; w /= n;
    // R (scene → XR) from the quaternion; we apply Rᵀ.
    const r = [
      1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
      2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
      2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
    ];
    const k = units === 'scene' ? 1 / s : 1;
    const out: number[] = [];
    for (let row = 0; row < 3; row++) {
      // Row `row` of Rᵀ is column `row` of R.
      const a = r[row]! * k, b = r[3 + row]! * k, c = r[6 + row]! * k;
      out.push(a, b, c, -(a * px + b * py + c * pz));
    }
    return new SceneRegistration(out);
  }

  /**
   * From a scene node's world matrix as Babylon stores it (`node.getWorldMatrix().m`: 16 floats,
   * translation at 12..14, rotation·scale in the upper 3×3, row-vector convention). When the Babylon
   * scene is left-handed (`useRightHandedSystem` false), Babylon's world is the XR space with Z negated,
   * so the matrix is conjugated by that flip to act on right-handed XR points and to give right-handed
   * scene coordinates.
   */
  static fromBabylonWorldMatrix(m: ArrayLike<number>, useRightHandedSystem: boolean, units: RegistrationUnits = 'metres'): SceneRegistration {
    if (m.length !== 16 || !Array.prototype.every.call(m, Number.isFinite)) {
      throw new InvalidArgumentError('SceneRegistration.fromBabylonWorldMatrix needs 16 finite numbers');
    }
    // Column-vector form A (3×3) and t: p_world = A·p_local + t, with A[i][j] = m[j*4+i].
    const f = useRightHandedSystem ? 1 : -1; // flip of Z on both sides: A' = F·A·F, t' = F·t
    const sgn = (i: number) => (i === 2 ? f : 1);
    const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => sgn(i) * sgn(j) * m[j * 4 + i]!));
    const t = [m[12]!, m[13]!, f * m[14]!];
    const det = A[0]![0]! * (A[1]![1]! * A[2]![2]! - A[1]![2]! * A[2]![1]!)
      - A[0]![1]! * (A[1]![0]! * A[2]![2]! - A[1]![2]! * A[2]![0]!)
      + A[0]![2]! * (A[1]![0]! * A[2]![1]! - A[1]![1]! * A[2]![0]!);
    if (!(Math.abs(det) > 1e-12)) throw new InvalidArgumentError('SceneRegistration: world matrix is singular');
    const s = Math.cbrt(Math.abs(det));
    // Inverse of A by cofactors.
    const inv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
      const r0 = [0, 1, 2].filter((x) => x !== j), c0 = [0, 1, 2].filter((x) => x !== i);
      const minor = A[r0[0]!]![c0[0]!]! * A[r0[1]!]![c0[1]!]! - A[r0[0]!]![c0[1]!]! * A[r0[1]!]![c0[0]!]!;
      return ((i + j) % 2 === 0 ? 1 : -1) * minor / det;
    }));
    const k = units === 'metres' ? s : 1;
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const row = inv[i]!.map((v) => v * k);
      out.push(row[0]!, row[1]!, row[2]!, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!));
    }
    return new SceneRegistration(out);
  }

  /** Maps one point [x, y, z] (for tests and tools). */
  mapPoint(p: readonly [number, number, number]): [number, number, number] {
    const m = this.m;
    return [0, 1, 2].map((r) => m[r * 4]! * p[0] + m[r * 4 + 1]! * p[1] + m[r * 4 + 2]! * p[2] + m[r * 4 + 3]!) as [number, number, number];
  }

  /** Maps a point in place, or a direction (`direction`: the rotation and scale only, no translation); no allocation. */
  mapInPlace(v: Vec3, direction = false): void {
    const m = this.m, x = v.x, y = v.y, z = v.z, t = direction ? 0 : 1;
    v.x = m[0]! * x + m[1]! * y + m[2]! * z + t * m[3]!;
    v.y = m[4]! * x + m[5]! * y + m[6]! * z + t * m[7]!;
    v.z = m[8]! * x + m[9]! * y + m[10]! * z + t * m[11]!;
  }

  /** Maps the tracked hands of `frame` in place (no allocation). */
  applyInPlace(frame: HandFrame): void {
    const m = this.m, k = frame.keypointsM;
    for (let h = 0; h < 2; h++) {
      if (!frame.valid[h]) continue;
      for (let j = 0; j < KEYPOINTS_PER_HAND; j++) {
        const o = h * FLOATS_PER_HAND + j * 3;
        const x = k[o]!, y = k[o + 1]!, z = k[o + 2]!;
        k[o] = m[0]! * x + m[1]! * y + m[2]! * z + m[3]!;
        k[o + 1] = m[4]! * x + m[5]! * y + m[6]! * z + m[7]!;
        k[o + 2] = m[8]! * x + m[9]! * y + m[10]! * z + m[11]!;
      }
    }
  }
}
