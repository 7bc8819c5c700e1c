/**
 * Joint remapping into MANO order, in one pass over preallocated arrays (called once per hand per XR frame).
 */
import { InvalidArgumentError } from '../errors.js';
import { KEYPOINTS_PER_HAND, UNITY_TO_MANO, WEBXR_JOINTS, WEBXR_TO_MANO, UNITY_XR_HANDS_JOINTS } from './joints.js';

/**
 * WebXR `fillPoses` output (25 joints × 16 floats, column-major 4×4, translation at 12..14) → 21 × xyz.
 * `flipZ` negates Z (to undo Babylon's left-handed conversion, or to apply it).
 */
export function manoFromWebXRMatrices(matrices: Float32Array, out: Float32Array, outOffset = 0, flipZ = false): void {
  const zSign = flipZ ? -1 : 1;
  for (let k = 0; k < KEYPOINTS_PER_HAND; k++) {
    const m = WEBXR_TO_MANO[k]! * 16;
    const o = outOffset + k * 3;
    out[o] = matrices[m + 12]!;
    out[o + 1] = matrices[m + 13]!;
    out[o + 2] = zSign * matrices[m + 14]!;
  }
}

/** WebXR joint positions (25 × xyz, spec order) → 21 × xyz. */
export function manoFromWebXRPositions(positions: ArrayLike<number>, out: Float32Array, outOffset = 0): void {
  gather(positions, WEBXR_JOINTS.length, WEBXR_TO_MANO, out, outOffset, 1);
}

/**
 * Unity XR Hands joint positions (26 × xyz, `XRHandJointID` order starting at Wrist) → 21 × xyz.
 * Unity is left-handed (+Z forward); `flipZ` (default true) converts to our right-handed frame.
 */
export function manoFromUnityPositions(positions: ArrayLike<number>, out: Float32Array, outOffset = 0, flipZ = true): void {
  gather(positions, UNITY_XR_HANDS_JOINTS.length, UNITY_TO_MANO, out, outOffset, flipZ ? -1 : 1);
}

function gather(src: ArrayLike<number>, joints: number, map: Readonly<Uint8Array>, out: Float32Array, outOffset: number, zSign: number): void {
  if (src.length < joints * 3) throw new InvalidArgumentError(`expected ${joints * 3} floats, got ${src.length}`);
  for (let k = 0; k < KEYPOINTS_PER_HAND; k++) {
    const s = map[k]! * 3;
    const o = outOffset + k * 3;
    out[o] = src[s]!;
    out[o + 1] = src[s + 1]!;
    out[o + 2] = zSign * src[s + 2]!;
  }
}
