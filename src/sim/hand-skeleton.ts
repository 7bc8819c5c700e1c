/**
 * A kinematic hand: 21 keypoints in MANO/HaMeR order (wrist; thumb CMC, MCP, IP, tip; index MCP, PIP, DIP,
 * tip; middle …; ring …; little …) from a small pose (wrist position, palm orientation, per-finger curl,
 * spread, size). Bone lengths are an adult hand's (≈ 18.5 cm wrist to middle tip); curling bends each
 * finger toward the palm, so a fist presents its knuckles and a claw its fingertips, as real hands do.
 */
export const KEYPOINT_COUNT = 21;
export const HAND_VALUES = KEYPOINT_COUNT * 3;

export const FINGERTIPS = [4, 8, 12, 16, 20] as const;
/** Keypoints that belong to the palm (wrist and the four finger MCPs) and to knuckles (PIP/DIP joints). */
export const PALM_POINTS = [0, 5, 9, 13, 17] as const;
export const KNUCKLE_POINTS = [6, 7, 10, 11, 14, 15, 18, 19] as const;

/** Soft-tissue radius around each keypoint (m): the skin touches before the joint centre does. */
export const KEYPOINT_RADIUS_M: readonly number[] = [
  0.016, 0.01, 0.009, 0.008, 0.007,
  0.013, 0.009, 0.008, 0.007,
  0.013, 0.009, 0.008, 0.007,
  0.013, 0.009, 0.008, 0.007,
  0.012, 0.008, 0.007, 0.006,
];

export type Vec3 = [number, number, number];

export interface HandPose {
  wrist: Vec3;
  /** Unit vector from wrist toward the fingers. */
  forward: Vec3;
  /** Unit vector out of the palm (orthogonal to forward). */
  palmar: Vec3;
  handedness: 'left' | 'right';
  /** Per finger (thumb, index, middle, ring, little): 0 straight … 1 fully curled. */
  curl: [number, number, number, number, number];
  /** 0 fingers together … 1 spread. */
  spread: number;
  /** Hand size relative to the average adult hand. */
  scale: number;
}

// Finger MCP positions in the hand frame (forward, thumb-side) in metres, phalanx lengths, base splay (rad).
const MCP_F = [0.088, 0.092, 0.086, 0.076];
const MCP_S = [0.026, 0.004, -0.016, -0.034];
const PHALANX = [[0.042, 0.025, 0.021], [0.046, 0.029, 0.022], [0.043, 0.027, 0.021], [0.034, 0.02, 0.018]];
const SPLAY = [0.08, 0.0, -0.08, -0.17];
const THUMB = [0.042, 0.033, 0.028];
// Flexion (rad) at MCP, PIP, DIP for curl = 1.
const FLEX = [1.35, 1.75, 1.15];

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
export function normalize(a: Vec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
}
export function dot(a: Vec3, b: Vec3): number { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

/** The thumb-side axis: right hand s = forward × palmar, left hand mirrored. */
export function thumbSide(pose: Pick<HandPose, 'forward' | 'palmar' | 'handedness'>): Vec3 {
  const s = cross(pose.forward, pose.palmar);
  return pose.handedness === 'right' ? s : [-s[0], -s[1], -s[2]];
}

/** Writes 63 numbers (21 × xyz) for `pose` into `out` at `offset`. */
export function handKeypoints(pose: HandPose, out: Float64Array | Float32Array, offset = 0): void {
  const f = pose.forward, p = pose.palmar, s = thumbSide(pose), k = pose.scale;
  const w = pose.wrist;
  const put = (idx: number, x: number, y: number, z: number) => {
    out[offset + idx * 3] = x; out[offset + idx * 3 + 1] = y; out[offset + idx * 3 + 2] = z;
  };
  put(0, w[0], w[1], w[2]);
  // Thumb: its base points forward and to the thumb side, and curls across the palm.
  {
    const c = pose.curl[0];
    let x = w[0] + k * (0.022 * f[0] + 0.022 * s[0]);
    let y = w[1] + k * (0.022 * f[1] + 0.022 * s[1]);
    let z = w[2] + k * (0.022 * f[2] + 0.022 * s[2]);
    put(1, x, y, z);
    const d0 = normalize([0.62 * f[0] + 0.7 * s[0], 0.62 * f[1] + 0.7 * s[1], 0.62 * f[2] + 0.7 * s[2]]);
    const bend = normalize([0.75 * p[0] - 0.55 * s[0] + 0.2 * f[0], 0.75 * p[1] - 0.55 * s[1] + 0.2 * f[1], 0.75 * p[2] - 0.55 * s[2] + 0.2 * f[2]]);
    let theta = 0;
    for (let j = 0; j < 3; j++) {
      theta += c * (j === 0 ? 0.5 : 0.9);
      const ct = Math.cos(theta), st = Math.sin(theta), len = k * THUMB[j]!;
      x += len * (ct * d0[0] + st * bend[0]); y += len * (ct * d0[1] + st * bend[1]); z += len * (ct * d0[2] + st * bend[2]);
      put(2 + j, x, y, z);
    }
  }
  for (let finger = 0; finger < 4; finger++) {
    const base = 5 + finger * 4;
    let x = w[0] + k * (MCP_F[finger]! * f[0] + MCP_S[finger]! * s[0]);
    let y = w[1] + k * (MCP_F[finger]! * f[1] + MCP_S[finger]! * s[1]);
    let z = w[2] + k * (MCP_F[finger]! * f[2] + MCP_S[finger]! * s[2]);
    put(base, x, y, z);
    const splay = SPLAY[finger]! * (0.4 + 1.2 * pose.spread);
    const cs = Math.cos(splay), ss = Math.sin(splay);
    const d0: Vec3 = [cs * f[0] + ss * s[0], cs * f[1] + ss * s[1], cs * f[2] + ss * s[2]];
    const c = pose.curl[finger + 1]!;
    let theta = 0;
    for (let j = 0; j < 3; j++) {
      theta += c * FLEX[j]!;
      const ct = Math.cos(theta), st = Math.sin(theta), len = k * PHALANX[finger]![j]!;
      x += len * (ct * d0[0] + st * p[0]); y += len * (ct * d0[1] + st * p[1]); z += len * (ct * d0[2] + st * p[2]);
      put(base + 1 + j, x, y, z);
    }
  }
}
