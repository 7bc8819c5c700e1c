/**
 * The evaluation's view of a dataset in the released layout (DESIGN.md), read the same way as
 * models/recipe/data.py: split.json, mel/<item>.npy (80 × T log-mel, or the paper's [0, 1] mels),
 * hamer_hand_keypoints/<video>/<item>.npy (T30 × 2 × 21 × 3), visual features (ours, else CLIP's pair),
 * labels/<item>.json (material, action, contact times) and, when present, the ground-truth WAV.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDatasetError } from '../../errors.js';
import { readNpy } from '../../io/npy.js';
import { readWav } from '../../io/wav.js';

export interface EvalItem {
  scene: string;
  name: string;
  /** frames × 80 log-mel (frame-major). */
  logMel: Float32Array;
  frames: number;
  /** T30 × 126 keypoints. */
  keypoints: Float32Array;
  /** Tv × D visual features. */
  visual: Float32Array;
  visualDim: number;
  material?: string;
  action?: string;
  contactsSec: number[];
  /** Ground-truth waveform at 16 kHz when the dataset has it. */
  wave?: Float32Array;
  /** The raw label JSON (cameras, impacts, …). */
  label: Record<string, unknown>;
}

/** Visual-feature folders, concatenated per frame; the first group with any file wins (as in data.py). */
const VISUAL_DIRS = [['visual_features', 'visual_features_local'], ['clip_features', 'clip_features_local']];

function findNpy(sceneDir: string, sub: string, item: string): string | null {
  const p = join(sceneDir, sub, `${item}.npy`);
  if (existsSync(p)) return p;
  const d = join(sceneDir, sub);
  if (!existsSync(d)) return null;
  for (const v of readdirSync(d).sort()) {
    const q = join(d, v, `${item}.npy`);
    if (existsSync(q)) return q;
  }
  return null;
}

function floats(path: string): { data: Float32Array; shape: number[] } {
  const a = readNpy(new Uint8Array(readFileSync(path)));
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>, Number);
  return { data, shape: a.shape };
}

/**
 * Audible contact onsets from a label JSON: the labelled impacts when the writer lists them (a slide or a
 * slow press starts a contact without a sharp onset), else the contact start times. Tolerates the field
 * spellings writers use (as data.py does).
 */
export function contactTimes(label: Record<string, unknown>): number[] {
  const out: number[] = [];
  const keys = Array.isArray(label['impacts']) ? ['impacts'] : ['contacts', 'contactTimesSec', 'contactTimes', 'events'];
  for (const key of keys) {
    const list = label[key];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (typeof c === 'number') out.push(c);
      else if (c && typeof c === 'object') {
        for (const k of ['tSec', 'startSec', 'timeSec', 't', 'start', 'time', 'onsetSec']) {
          const v = (c as Record<string, unknown>)[k];
          if (typeof v === 'number') { out.push(v); break; }
        }
      }
    }
  }
  return out.sort((a, b) => a - b);
}

function releasedToLogMel(x: Float32Array): Float32Array {
  return x.map((v) => Math.log(Math.max(10 ** ((100 * v - 100 + 20) / 20), 1e-5)));
}

export function readSplit(root: string): Record<string, [string, string][]> {
  const p = join(root, 'split.json');
  if (!existsSync(p)) throw new InvalidDatasetError(`no split.json in ${root}`);
  return JSON.parse(readFileSync(p, 'utf8')) as Record<string, [string, string][]>;
}

/**
 * Up to `limit` items of a split (all when `limit` is absent), evenly spaced over it, so a limit still covers its
 * scenes, regions, materials and views; loaded.
 */
export function loadSplitItems(root: string, split: string, limit?: number): EvalItem[] {
  const all = readSplit(root)[split] ?? [];
  const n = limit ?? all.length;
  const picked = n >= all.length ? all : Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!);
  return picked.map(([scene, name]) => loadEvalItem(root, scene, name));
}

export function loadEvalItem(root: string, scene: string, name: string): EvalItem {
  const sceneDir = [join(root, scene), root].find((d) => existsSync(join(d, 'mel', `${name}.npy`)));
  if (!sceneDir) throw new InvalidDatasetError(`no mel/${name}.npy under ${join(root, scene)} or ${root}`);
  const mel = floats(join(sceneDir, 'mel', `${name}.npy`));
  if (mel.shape.length !== 2 || mel.shape[0] !== 80) throw new InvalidDatasetError(`${name}: mel shape ${mel.shape} is not 80 × T`);
  const frames = mel.shape[1]!;
  let minV = Infinity, maxV = -Infinity;
  for (const v of mel.data) { minV = Math.min(minV, v); maxV = Math.max(maxV, v); }
  const logCm = minV >= 0 && maxV <= 1 ? releasedToLogMel(mel.data) : mel.data;
  const logMel = new Float32Array(frames * 80);
  for (let m = 0; m < 80; m++) for (let f = 0; f < frames; f++) logMel[f * 80 + m] = logCm[m * frames + f]!;
  const kpPath = findNpy(sceneDir, 'hamer_hand_keypoints', name);
  if (!kpPath) throw new InvalidDatasetError(`${name}: no hamer_hand_keypoints/*/${name}.npy`);
  const keypoints = floats(kpPath).data;
  let visual: Float32Array | null = null, visualDim = 0;
  for (const dirs of VISUAL_DIRS) {
    const parts = dirs.map((d) => findNpy(sceneDir, d, name)).filter((p): p is string => p !== null).map(floats);
    if (parts.length === 0) continue;
    const rows = Math.min(...parts.map((p) => p.shape[0]!));
    const dims = parts.map((p) => p.data.length / p.shape[0]!);
    visualDim = dims.reduce((a, b) => a + b, 0);
    visual = new Float32Array(rows * visualDim);
    for (let r = 0; r < rows; r++) {
      let o = r * visualDim;
      parts.forEach((p, i) => { visual!.set(p.data.subarray(r * dims[i]!, (r + 1) * dims[i]!), o); o += dims[i]!; });
    }
    break;
  }
  if (!visual) throw new InvalidDatasetError(`${name}: no visual features`);
  let label: Record<string, unknown> = {};
  const lp = join(sceneDir, 'labels', `${name}.json`);
  if (existsSync(lp)) label = JSON.parse(readFileSync(lp, 'utf8')) as Record<string, unknown>;
  let wave: Float32Array | undefined;
  const wavCandidates = [...(typeof label['wav'] === 'string' ? [join(sceneDir, label['wav'])] : []),
    join(sceneDir, 'wav', `${name}.wav`), join(sceneDir, 'audio', `${name}.wav`)];
  for (const wp of wavCandidates) {
    if (existsSync(wp)) {
      const w = readWav(new Uint8Array(readFileSync(wp)));
      if (w.sampleRate === 16000) wave = w.channels[0];
      break;
    }
  }
  return {
    scene, name, logMel, frames, keypoints, visual, visualDim, label,
    ...(typeof label['material'] === 'string' ? { material: label['material'] } : {}),
    ...(typeof label['action'] === 'string' ? { action: label['action'] } : {}),
    contactsSec: contactTimes(label),
    ...(wave ? { wave } : {}),
  };
}
