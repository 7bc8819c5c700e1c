/**
 * What capture mode sends to the dev server: one binary body, so 8 s of 48 kHz audio does not travel as JSON.
 *   'HHCP' | u32 header bytes | header JSON (UTF-8) | pad to 4 | trajectory (.hht, src/hand/trajectory-binary.ts)
 *   | pad to 4 | float32 mono audio (little-endian)
 * Clocks: hand frame times and `audioStartPageSec` are both page seconds (performance.now() / 1000), so the server
 * can put the keypoints on the audio's timeline (audio sample 0 = item time 0).
 */
import { encodeTrajectoryBinary, decodeTrajectoryBinary } from '../../../src/hand/trajectory-binary.js';
import { Trajectory } from '../../../src/hand/trajectory.js';
import { InvalidArgumentError } from '../../../src/errors.js';

export const CAPTURE_FORMAT = 'hearing-hands/capture@1';
const MAGIC = 0x50434848; // 'HHCP' little-endian

export interface CaptureHeader {
  format: typeof CAPTURE_FORMAT;
  sampleRate: number;
  /** Page time (s) at which audio sample 0 was captured. */
  audioStartPageSec: number;
  /** The headset at the start (scene frame): the camera the keypoints are expressed in. */
  camera: { position: [number, number, number]; forward: [number, number, number] } | null;
  /** The annotated region touched most while recording, and its material (labels). */
  region: string | null;
  material: string | null;
  /** How the page→audio clock mapping was made (for the labels). */
  clock: string;
}

export interface CapturePayload { header: CaptureHeader; trajectory: Trajectory; audio: Float32Array }

const pad4 = (n: number) => (n + 3) & ~3;

export function encodeCapture(p: CapturePayload): Uint8Array<ArrayBuffer> {
  // No hand frames (recorded outside a session): no trajectory bytes; the items get untracked hands.
  const traj = p.trajectory.frameCount > 0 ? encodeTrajectoryBinary(p.trajectory) : new Uint8Array(0);
  const header = new TextEncoder().encode(JSON.stringify({ ...p.header, trajectoryBytes: traj.length, audioSamples: p.audio.length }));
  const trajAt = pad4(8 + header.length), audioAt = pad4(trajAt + traj.length);
  const out = new Uint8Array(audioAt + p.audio.length * 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, header.length, true);
  out.set(header, 8);
  out.set(traj, trajAt);
  for (let i = 0; i < p.audio.length; i++) dv.setFloat32(audioAt + 4 * i, p.audio[i]!, true);
  return out;
}

export function decodeCapture(bytes: Uint8Array): CapturePayload {
  if (bytes.length < 8) throw new InvalidArgumentError('capture: body too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new InvalidArgumentError('capture: not a hearing-hands capture (bad magic)');
  const headerLen = dv.getUint32(4, true);
  if (8 + headerLen > bytes.length) throw new InvalidArgumentError('capture: truncated header');
  let h: CaptureHeader & { trajectoryBytes: number; audioSamples: number };
  try { h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))); } catch (e) { throw new InvalidArgumentError(`capture: header is not JSON (${(e as Error).message})`); }
  if (h.format !== CAPTURE_FORMAT) throw new InvalidArgumentError(`capture: format must be ${CAPTURE_FORMAT}`);
  if (!(h.sampleRate >= 8000 && h.sampleRate <= 192000) || !Number.isFinite(h.audioStartPageSec)) throw new InvalidArgumentError('capture: bad sampleRate or audioStartPageSec');
  const trajAt = pad4(8 + headerLen), audioAt = pad4(trajAt + h.trajectoryBytes);
  if (audioAt + 4 * h.audioSamples !== bytes.length) throw new InvalidArgumentError(`capture: body is ${bytes.length} bytes, header says ${audioAt + 4 * h.audioSamples}`);
  const trajectory = h.trajectoryBytes > 0 ? decodeTrajectoryBinary(bytes.slice(trajAt, trajAt + h.trajectoryBytes))
    : new Trajectory(new Float64Array(0), new Float32Array(0), new Uint8Array(0));
  const audio = new Float32Array(h.audioSamples);
  for (let i = 0; i < audio.length; i++) audio[i] = dv.getFloat32(audioAt + 4 * i, true);
  const { trajectoryBytes: _t, audioSamples: _a, ...header } = h;
  return { header, trajectory, audio };
}
