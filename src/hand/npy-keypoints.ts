/**
 * HaMeR-style keypoint arrays as `.npy` (the released dataset's `hamer_hand_keypoints/<video>/<item>.npy`):
 * shape T × 2 × 21 × 3, float32 or float64, C order, at a fixed rate (30 Hz). Hand 0 is the left hand.
 * A hand whose 63 values are all zero is "not detected" (the paper pads missing hands with zeros).
 * Reading checks the whole header; any deviation is an InvalidNpyError.
 */
import { InvalidNpyError } from '../errors.js';
import { FLOATS_PER_FRAME, FLOATS_PER_HAND, KEYPOINTS_PER_HAND } from './joints.js';
import { Trajectory, type TrajectoryInfo } from './trajectory.js';

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyArray {
  dtype: '<f4' | '<f8';
  shape: number[];
  data: Float32Array | Float64Array;
}

/** Parses a little-endian float32/float64 C-order `.npy` (format versions 1–3). */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) throw new InvalidNpyError('not a .npy file (bad magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) { headerLen = view.getUint16(8, true); headerStart = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InvalidNpyError('.npy truncated in its header');
    headerLen = view.getUint32(8, true); headerStart = 12;
  } else throw new InvalidNpyError(`.npy format version ${major} is not supported (1–3 are)`);
  if (headerStart + headerLen > bytes.length) throw new InvalidNpyError('.npy truncated in its header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new InvalidNpyError(`.npy header is malformed: ${header.trim()}`);
  if (fortran !== 'False') throw new InvalidNpyError('.npy arrays in Fortran order are not supported (save with C order)');
  const dtype = descr === '<f4' || descr === '<f8' ? descr : null;
  if (!dtype) throw new InvalidNpyError(`.npy dtype ${descr} is not supported (little-endian float32 "<f4" or float64 "<f8")`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    if (!/^\d+$/.test(s)) throw new InvalidNpyError(`.npy shape has a bad dimension "${s}"`);
    return Number(s);
  });
  const count = shape.reduce((a, b) => a * b, 1);
  const itemBytes = dtype === '<f4' ? 4 : 8;
  const dataStart = headerStart + headerLen;
  if (bytes.length - dataStart !== count * itemBytes) throw new InvalidNpyError(`.npy data is ${bytes.length - dataStart} bytes, shape (${shape.join(', ')}) of ${dtype} needs ${count * itemBytes}`);
  const data = dtype === '<f4' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = itemBytes === 4 ? view.getFloat32(dataStart + 4 * i, true) : view.getFloat64(dataStart + 8 * i, true);
  return { dtype, shape, data };
}

/** Encodes a float32 C-order `.npy` (version 1.0). */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new InvalidNpyError(`shape (${shape.join(', ')}) does not hold ${data.length} values`);
  const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shapeText}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * data.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1; out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const o = 10 + header.length;
  for (let i = 0; i < data.length; i++) view.setFloat32(o + 4 * i, data[i]!, true);
  return out;
}

export interface HamerKeypointsOptions {
  /** Frame rate of the array (the released data: 30 Hz). */
  rateHz?: number;
  /** Time of frame 0 in seconds. */
  startSec?: number;
  info?: TrajectoryInfo;
}

/** T × 2 × 21 × 3 keypoints → Trajectory (all-zero hands, or hands with non-finite values, are untracked). */
export function trajectoryFromHamerNpy(bytes: Uint8Array, options: HamerKeypointsOptions = {}): Trajectory {
  const rateHz = options.rateHz ?? 30;
  const startSec = options.startSec ?? 0;
  if (!(rateHz > 0) || !Number.isFinite(rateHz) || !Number.isFinite(startSec)) throw new InvalidNpyError('rateHz must be positive and startSec finite');
  const arr = parseNpy(bytes);
  const s = arr.shape;
  if (s.length !== 4 || s[1] !== 2 || s[2] !== KEYPOINTS_PER_HAND || s[3] !== 3 || s[0]! < 1) {
    throw new InvalidNpyError(`HaMeR keypoints must have shape (T, 2, 21, 3) with T ≥ 1, got (${s.join(', ')})`);
  }
  const n = s[0]!;
  const times = new Float64Array(n), kp = new Float32Array(n * FLOATS_PER_FRAME), valid = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    times[i] = startSec + i / rateHz;
    for (let h = 0; h < 2; h++) {
      const base = i * FLOATS_PER_FRAME + h * FLOATS_PER_HAND;
      let any = false, finite = true;
      for (let j = base; j < base + FLOATS_PER_HAND; j++) {
        const x = arr.data[j]!;
        if (x - x !== 0) finite = false;
        else if (x !== 0) any = true;
        kp[j] = x;
      }
      valid[2 * i + h] = any && finite ? 1 : 0; // Trajectory zeroes the hands marked untracked
    }
  }
  return new Trajectory(times, kp, valid, options.info ?? {});
}

/**
 * Trajectory → T × 2 × 21 × 3 float32 `.npy`. The array has no time axis: the trajectory must already be
 * on a uniform grid (resample it with HandResampler first); untracked hands are zeros.
 */
export function encodeHamerNpy(traj: Trajectory): Uint8Array {
  return encodeNpyFloat32(traj.keypointsM, [traj.frameCount, 2, KEYPOINTS_PER_HAND, 3]);
}
