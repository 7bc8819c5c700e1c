/**
 * Reads a dataset in the released layout: ours (dataset.json present, log-mel stored as is) or the paper's
 * released files (no manifest; mels normalised to [0, 1], converted here to our log-mel; CLIP features in
 * place of ours). Every array is shape-checked; anything off raises InvalidDatasetError naming the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidDatasetError, InvalidNpyError } from '../errors.js';
import { readNpy, type NpyArray } from '../io/npy.js';
import { FEATURES } from '../dsp/features.js';
import { MANIFEST_FORMAT, paths, type Split } from './layout.js';

export type DatasetKind = 'simulated' | 'released';

export interface DatasetIndex {
  root: string;
  kind: DatasetKind;
  split: Split;
  manifest: Record<string, unknown> | null;
}

export interface DatasetItem {
  scene: string;
  item: string;
  /** 80 × frames, ln(max(mel, 1e-5)) in our feature contract. */
  melLog: Float32Array;
  melFrames: number;
  /** frames × 2 × 21 × 3 (30 Hz). */
  keypoints: Float32Array;
  keypointFrames: number;
  /** Visual features (ours or CLIP), frames × dim, with their shape. */
  visual: { data: Float32Array; shape: number[] } | null;
  visualLocal: { data: Float32Array; shape: number[] } | null;
  labels: Record<string, unknown> | null;
}

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new InvalidDatasetError(`${what} not found: ${path}`);
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new InvalidDatasetError(`${what} is not valid JSON (${path}): ${(e as Error).message}`); }
}

export function openDataset(root: string): DatasetIndex {
  const split = readJson(paths.split(root), 'split.json') as Partial<Split>;
  for (const key of ['train', 'val', 'test'] as const) {
    const list = split[key];
    if (!Array.isArray(list) || !list.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string')) {
      throw new InvalidDatasetError(`split.json: '${key}' must be a list of [scene, item] pairs`);
    }
  }
  let manifest: Record<string, unknown> | null = null;
  if (existsSync(paths.manifest(root))) {
    manifest = readJson(paths.manifest(root), 'dataset.json') as Record<string, unknown>;
    if (manifest.format !== MANIFEST_FORMAT) throw new InvalidDatasetError(`dataset.json format '${String(manifest.format)}' is not ${MANIFEST_FORMAT}`);
  }
  return { root, kind: manifest ? 'simulated' : 'released', split: split as Split, manifest };
}

/**
 * The released mels are x = (dB + 100) / 100 clipped to [0, 1] with dB = 20·log10(mag) − 20 (their vocoder
 * script); back to magnitude: 10^((100x − 100 + 20) / 20), then our ln(max(mag, 1e-5)).
 */
export function releasedMelToLog(x: Float32Array, logFloor = FEATURES.logFloor): Float32Array {
  const out = new Float32Array(x.length);
  const lnFloor = Math.log(logFloor);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) throw new InvalidDatasetError(`released mel holds a non-finite value at ${i}`);
    const db = 100 * v - 100;
    const lnMag = ((db + 20) / 20) * Math.LN10;
    out[i] = Math.max(lnMag, lnFloor);
  }
  return out;
}

function loadNpy(path: string, what: string): NpyArray {
  if (!existsSync(path)) throw new InvalidDatasetError(`${what} not found: ${path}`);
  try { return readNpy(readFileSync(path)); } catch (e) {
    if (e instanceof InvalidNpyError) throw new InvalidDatasetError(`${what} (${path}): ${e.message}`);
    throw e;
  }
}

function asFloat32(a: NpyArray, path: string): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  if (a.data instanceof Float64Array) return Float32Array.from(a.data);
  throw new InvalidDatasetError(`${path}: expected float32/float64, got ${a.dtype}`);
}

function optionalFeatures(path: string, what: string): { data: Float32Array; shape: number[] } | null {
  if (!existsSync(path)) return null;
  const a = loadNpy(path, what);
  if (a.shape.length !== 2) throw new InvalidDatasetError(`${what} (${path}) must be frames × dim, got shape (${a.shape.join(', ')})`);
  return { data: asFloat32(a, path), shape: a.shape };
}

export function readItem(ds: DatasetIndex, scene: string, item: string): DatasetItem {
  const { root } = ds;
  const melPath = paths.mel(root, scene, item);
  const mel = loadNpy(melPath, 'mel');
  if (mel.shape.length !== 2 || mel.shape[0] !== FEATURES.nMels) {
    throw new InvalidDatasetError(`mel (${melPath}) must be ${FEATURES.nMels} × T, got (${mel.shape.join(', ')})`);
  }
  let melLog = asFloat32(mel, melPath);
  if (ds.kind === 'released') melLog = releasedMelToLog(melLog);
  const kpPath = paths.keypoints(root, scene, item);
  const kp = loadNpy(kpPath, 'hand keypoints');
  const s = kp.shape;
  if (s.length !== 4 || s[1] !== 2 || s[2] !== 21 || s[3] !== 3) {
    throw new InvalidDatasetError(`hand keypoints (${kpPath}) must be T × 2 × 21 × 3, got (${s.join(', ')})`);
  }
  const keypoints = asFloat32(kp, kpPath);
  for (let i = 0; i < keypoints.length; i++) {
    if (!Number.isFinite(keypoints[i]!)) throw new InvalidDatasetError(`hand keypoints (${kpPath}) hold a non-finite value at ${i}`);
  }
  const ours = ds.kind === 'simulated';
  const labelsPath = paths.labels(root, scene, item);
  return {
    scene, item, melLog, melFrames: mel.shape[1]!, keypoints, keypointFrames: s[0]!,
    visual: optionalFeatures(ours ? paths.visual(root, scene, item) : paths.clip(root, scene, item), 'visual features'),
    visualLocal: optionalFeatures(ours ? paths.visualLocal(root, scene, item) : paths.clipLocal(root, scene, item), 'local visual features'),
    labels: existsSync(labelsPath) ? (readJson(labelsPath, 'labels') as Record<string, unknown>) : null,
  };
}
