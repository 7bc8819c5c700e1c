/**
 * The compact binary twin of the trajectory JSON, for bulk data (datasets, long captures). Layout, all
 * little-endian:
 *   0   8 bytes  magic "HHTRAJ" 0x01 0x00 (format version 1)
 *   8   u32      byte length L of the metadata JSON
 *   12  L bytes  UTF-8 JSON {"units":"m","up":"y","frames":T, "material"?: …, "scene"?: …}
 *       zero padding to a multiple of 8
 *       f64 × T        times in seconds (strictly increasing)
 *       f32 × T × 126  keypoints, frame-major [frame][hand][keypoint][xyz], metres (zeros for an untracked hand)
 *       u8  × T × 2    validity [frame][hand]
 * It holds exactly what the JSON holds (same coordinate conventions), ~0.5 kB per frame, and exact float32 values.
 */
import { InvalidTrajectoryError } from '../errors.js';
import { FLOATS_PER_FRAME } from './joints.js';
import { Trajectory, type TrajectoryInfo } from './trajectory.js';

const MAGIC = [0x48, 0x48, 0x54, 0x52, 0x41, 0x4a, 0x01, 0x00]; // "HHTRAJ" v1

export function encodeTrajectoryBinary(traj: Trajectory): Uint8Array {
  const n = traj.frameCount;
  const meta = new TextEncoder().encode(JSON.stringify({ units: 'm', up: 'y', frames: n, ...traj.info }));
  const dataStart = align8(12 + meta.length);
  const total = dataStart + 8 * n + 4 * FLOATS_PER_FRAME * n + 2 * n;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, meta.length, true);
  out.set(meta, 12);
  let o = dataStart;
  for (let i = 0; i < n; i++, o += 8) view.setFloat64(o, traj.timesSec[i]!, true);
  for (let i = 0; i < n * FLOATS_PER_FRAME; i++, o += 4) view.setFloat32(o, traj.keypointsM[i]!, true);
  out.set(traj.valid, o);
  return out;
}

export function decodeTrajectoryBinary(bytes: Uint8Array): Trajectory {
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw new InvalidTrajectoryError('not a binary trajectory (bad magic; expected "HHTRAJ" version 1)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLen = view.getUint32(8, true);
  if (12 + metaLen > bytes.length) throw new InvalidTrajectoryError('binary trajectory truncated inside its metadata');
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + metaLen))) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidTrajectoryError(`binary trajectory metadata is not valid JSON: ${(e as Error).message}`);
  }
  const n = meta.frames;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InvalidTrajectoryError('binary trajectory metadata needs "frames": a positive integer');
  if (meta.units !== 'm' || meta.up !== 'y') throw new InvalidTrajectoryError('binary trajectory metadata must say "units": "m" and "up": "y"');
  const dataStart = align8(12 + metaLen);
  const expected = dataStart + 8 * n + 4 * FLOATS_PER_FRAME * n + 2 * n;
  if (bytes.length !== expected) throw new InvalidTrajectoryError(`binary trajectory of ${n} frames must be ${expected} bytes, got ${bytes.length}`);
  const times = new Float64Array(n), kp = new Float32Array(n * FLOATS_PER_FRAME);
  let o = dataStart;
  for (let i = 0; i < n; i++, o += 8) times[i] = view.getFloat64(o, true);
  for (let i = 0; i < n * FLOATS_PER_FRAME; i++, o += 4) kp[i] = view.getFloat32(o, true);
  const valid = bytes.slice(o, o + 2 * n);
  const info: TrajectoryInfo = {};
  if (typeof meta.material === 'string') info.material = meta.material;
  if (typeof meta.scene === 'string') info.scene = meta.scene;
  return new Trajectory(times, kp, valid, info);
}

function align8(n: number): number { return (n + 7) & ~7; }
