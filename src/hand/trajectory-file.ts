/**
 * Trajectory files on disk (Node only: not exported from the browser-safe `index.ts`). The format follows
 * the extension: `.json` (DESIGN.md's human form), `.hht` (the binary twin), `.npy` (HaMeR T × 2 × 21 × 3
 * at 30 Hz). Unreadable/unwritable files are FileIoError; malformed contents InvalidTrajectoryError /
 * InvalidNpyError.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { FileIoError, InvalidTrajectoryError } from '../errors.js';
import { Trajectory } from './trajectory.js';
import { parseTrajectoryJson, stringifyTrajectoryJson } from './trajectory-json.js';
import { decodeTrajectoryBinary, encodeTrajectoryBinary } from './trajectory-binary.js';
import { encodeHamerNpy, trajectoryFromHamerNpy, type HamerKeypointsOptions } from './npy-keypoints.js';

export const TRAJECTORY_EXTENSIONS = ['.json', '.hht', '.npy'] as const;

function formatOf(path: string): (typeof TRAJECTORY_EXTENSIONS)[number] {
  const ext = extname(path).toLowerCase();
  if ((TRAJECTORY_EXTENSIONS as readonly string[]).includes(ext)) return ext as (typeof TRAJECTORY_EXTENSIONS)[number];
  throw new InvalidTrajectoryError(`${path}: unknown trajectory extension "${ext}" (use ${TRAJECTORY_EXTENSIONS.join(', ')})`);
}

export function readTrajectoryFile(path: string, npyOptions: HamerKeypointsOptions = {}): Trajectory {
  const format = formatOf(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FileIoError(`cannot read trajectory ${path}: ${(e as Error).message}`, { cause: e });
  }
  const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === '.json') return parseTrajectoryJson(bytes.toString('utf8'));
    if (format === '.hht') return decodeTrajectoryBinary(u8);
    return trajectoryFromHamerNpy(u8, npyOptions);
  } catch (e) {
    if (e instanceof Error) e.message = `${path}: ${e.message}`;
    throw e;
  }
}

export function writeTrajectoryFile(path: string, traj: Trajectory): void {
  const format = formatOf(path);
  const data = format === '.json' ? stringifyTrajectoryJson(traj) : format === '.hht' ? encodeTrajectoryBinary(traj) : encodeHamerNpy(traj);
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new FileIoError(`cannot write trajectory ${path}: ${(e as Error).message}`, { cause: e });
  }
}
