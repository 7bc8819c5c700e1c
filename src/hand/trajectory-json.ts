/**
 * The human-readable trajectory file (DESIGN.md "Trajectory files"):
 *   { "format": "hearing-hands/trajectory@1", "units": "m", "up": "y", "material": "wood",
 *     "frames": [ { "t": 0.0, "left": null, "right": [x0, y0, z0, …63 numbers] }, … ] }
 * Coordinates: metres, right-handed, +Y up, in the scene's frame; keypoints in MANO order.
 * Unknown top-level fields are ignored (forward compatible); everything else is checked, and a file that
 * breaks a rule gets an InvalidTrajectoryError naming the frame and field.
 */
import { InvalidTrajectoryError } from '../errors.js';
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from './joints.js';
import { Trajectory, type TrajectoryInfo } from './trajectory.js';

export const TRAJECTORY_JSON_FORMAT = 'hearing-hands/trajectory@1';

export function parseTrajectoryJson(text: string): Trajectory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InvalidTrajectoryError(`trajectory is not valid JSON: ${(e as Error).message}`);
  }
  return trajectoryFromJsonValue(doc);
}

export function trajectoryFromJsonValue(doc: unknown): Trajectory {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InvalidTrajectoryError('trajectory must be a JSON object');
  const o = doc as Record<string, unknown>;
  if (o.format !== TRAJECTORY_JSON_FORMAT) throw new InvalidTrajectoryError(`trajectory "format" must be "${TRAJECTORY_JSON_FORMAT}", got ${JSON.stringify(o.format)}`);
  if (o.units !== undefined && o.units !== 'm') throw new InvalidTrajectoryError(`trajectory "units" must be "m", got ${JSON.stringify(o.units)}`);
  if (o.up !== undefined && o.up !== 'y') throw new InvalidTrajectoryError(`trajectory "up" must be "y", got ${JSON.stringify(o.up)}`);
  const info: TrajectoryInfo = {};
  for (const key of ['material', 'scene'] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v.length === 0) throw new InvalidTrajectoryError(`trajectory "${key}" must be a non-empty string`);
    info[key] = v;
  }
  const frames = o.frames;
  if (!Array.isArray(frames) || frames.length === 0) throw new InvalidTrajectoryError('trajectory "frames" must be a non-empty array');
  const n = frames.length;
  const times = new Float64Array(n), kp = new Float32Array(n * FLOATS_PER_FRAME), valid = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const f = frames[i] as Record<string, unknown> | null;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new InvalidTrajectoryError(`frames[${i}] must be an object`);
    if (typeof f.t !== 'number' || !Number.isFinite(f.t)) throw new InvalidTrajectoryError(`frames[${i}].t must be a finite number of seconds`);
    times[i] = f.t;
    (['left', 'right'] as const).forEach((side, h) => {
      const v = f[side];
      if (v === null || v === undefined) return;
      if (!Array.isArray(v) || v.length !== FLOATS_PER_HAND) throw new InvalidTrajectoryError(`frames[${i}].${side} must be null or ${FLOATS_PER_HAND} numbers (21 keypoints × xyz), got ${Array.isArray(v) ? v.length + ' items' : typeof v}`);
      const base = i * FLOATS_PER_FRAME + h * FLOATS_PER_HAND;
      for (let j = 0; j < FLOATS_PER_HAND; j++) {
        const x = v[j];
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidTrajectoryError(`frames[${i}].${side}[${j}] must be a finite number, got ${JSON.stringify(x)}`);
        kp[base + j] = x;
      }
      valid[2 * i + h] = 1;
    });
  }
  return new Trajectory(times, kp, valid, info);
}

/** Serialises with 6 decimals (micrometres, microseconds): exact enough, and a readable file. */
export function stringifyTrajectoryJson(traj: Trajectory): string {
  const frames: string[] = [];
  const num = (x: number) => String(Math.round(x * 1e6) / 1e6);
  for (let i = 0; i < traj.frameCount; i++) {
    const hand = (h: number) => {
      if (!traj.valid[2 * i + h]) return 'null';
      const base = i * FLOATS_PER_FRAME + h * FLOATS_PER_HAND;
      return '[' + Array.from(traj.keypointsM.subarray(base, base + FLOATS_PER_HAND), num).join(',') + ']';
    };
    frames.push(`    { "t": ${num(traj.timesSec[i]!)}, "left": ${hand(0)}, "right": ${hand(1)} }`);
  }
  const head: string[] = [`"format": "${TRAJECTORY_JSON_FORMAT}"`, '"units": "m"', '"up": "y"'];
  if (traj.info.material) head.push(`"material": ${JSON.stringify(traj.info.material)}`);
  if (traj.info.scene) head.push(`"scene": ${JSON.stringify(traj.info.scene)}`);
  return `{ ${head.join(', ')},\n  "frames": [\n${frames.join(',\n')}\n  ] }\n`;
}
