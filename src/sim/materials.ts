/**
 * The material library of the simulated capture. Each material carries physically motivated parameters:
 *  - modes: a nominal object's modal frequencies (mode-shape ratios of plates, bars or shells) whose decay
 *    follows the material's loss factor η (T60 = 6.91 / (π f η): higher modes die faster, metal rings, fabric
 *    thuds); gains fall with mode number;
 *  - stiffnessNPerM: surface contact stiffness (in series with the hand's) → contact duration → brightness;
 *  - roughness / grainM: friction noise level and asperity spacing (noise centroid ≈ sliding speed / grain);
 *  - crumple: how much a press crackles (paper, foliage, snow);
 *  - visual: colours and a pattern for the procedural texture (src/sim/texture.ts).
 * Values are order-of-magnitude physics (handbook loss factors, typical panel sizes), not measurements.
 */
import { UnknownMaterialError, InvalidArgumentError } from '../errors.js';
import { Rng } from './rng.js';

export type TexturePattern =
  | 'wood' | 'brushed' | 'speckle' | 'glass' | 'tiles' | 'weave' | 'fibers' | 'corrugated'
  | 'pebbled' | 'granite' | 'leaves' | 'snow' | 'carpet';

export interface Mode { freqHz: number; t60Sec: number; gain: number }

export interface MaterialSpec {
  readonly name: string;
  /** Fundamental of a typical object (Hz) and the mode-frequency ratios of its shape. */
  readonly fundamentalHz: number;
  readonly modeRatios: readonly number[];
  /** Internal loss factor η (dimensionless). */
  readonly lossFactor: number;
  readonly stiffnessNPerM: number;
  /** Coefficient of restitution of a hand hitting it (fraction of speed returned). */
  readonly restitution: number;
  /** 0 (glassy smooth) … 1 (very rough). */
  readonly roughness: number;
  /** Asperity spacing along the surface (m). */
  readonly grainM: number;
  /** 0 … 1: crackle under pressure. */
  readonly crumple: number;
  /** Relative loudness of the radiated modal sound (large light panels radiate well, snow barely). */
  readonly radiation: number;
  readonly visual: { readonly base: readonly [number, number, number]; readonly accent: readonly [number, number, number]; readonly pattern: TexturePattern; readonly scaleM: number };
}

// Mode-shape ratios: free plate (Chladni), free-free bar (Euler–Bernoulli), thin shell / bowl.
const PLATE = [1, 1.47, 1.94, 2.43, 2.95, 3.63, 4.22, 5.08, 5.93, 6.8];
const BAR = [1, 2.756, 5.404, 8.933, 13.34];
const SHELL = [1, 1.68, 2.47, 3.31, 4.2, 5.1, 6.07, 7.1];
const SOFT = [1, 1.6, 2.3, 3.1, 4.2];

export const MATERIALS: readonly MaterialSpec[] = Object.freeze([
  { name: 'wood', fundamentalHz: 210, modeRatios: PLATE, lossFactor: 0.012, stiffnessNPerM: 3e6, restitution: 0.5, roughness: 0.45, grainM: 0.0008, crumple: 0, radiation: 1.0,
    visual: { base: [150, 100, 55], accent: [95, 58, 28], pattern: 'wood', scaleM: 0.05 } },
  { name: 'metal', fundamentalHz: 520, modeRatios: PLATE, lossFactor: 0.0008, stiffnessNPerM: 2e7, restitution: 0.7, roughness: 0.2, grainM: 0.0002, crumple: 0, radiation: 0.8,
    visual: { base: [170, 174, 180], accent: [120, 124, 130], pattern: 'brushed', scaleM: 0.02 } },
  { name: 'plastic', fundamentalHz: 380, modeRatios: PLATE, lossFactor: 0.03, stiffnessNPerM: 1e6, restitution: 0.55, roughness: 0.25, grainM: 0.0004, crumple: 0.15, radiation: 0.8,
    visual: { base: [40, 110, 190], accent: [30, 90, 160], pattern: 'speckle', scaleM: 0.01 } },
  { name: 'glass', fundamentalHz: 1450, modeRatios: SHELL, lossFactor: 0.0015, stiffnessNPerM: 3e7, restitution: 0.75, roughness: 0.05, grainM: 0.0001, crumple: 0, radiation: 0.55,
    visual: { base: [175, 205, 210], accent: [235, 245, 248], pattern: 'glass', scaleM: 0.2 } },
  { name: 'ceramic', fundamentalHz: 980, modeRatios: SHELL, lossFactor: 0.003, stiffnessNPerM: 2.5e7, restitution: 0.7, roughness: 0.12, grainM: 0.0002, crumple: 0, radiation: 0.7,
    visual: { base: [235, 232, 222], accent: [150, 160, 170], pattern: 'tiles', scaleM: 0.1 } },
  { name: 'fabric', fundamentalHz: 110, modeRatios: SOFT, lossFactor: 0.35, stiffnessNPerM: 1.2e4, restitution: 0.1, roughness: 0.7, grainM: 0.0015, crumple: 0.1, radiation: 0.35,
    visual: { base: [150, 40, 50], accent: [110, 25, 35], pattern: 'weave', scaleM: 0.004 } },
  { name: 'paper', fundamentalHz: 420, modeRatios: PLATE, lossFactor: 0.06, stiffnessNPerM: 4e4, restitution: 0.2, roughness: 0.35, grainM: 0.0003, crumple: 0.9, radiation: 0.6,
    visual: { base: [240, 238, 228], accent: [205, 200, 188], pattern: 'fibers', scaleM: 0.01 } },
  { name: 'cardboard', fundamentalHz: 160, modeRatios: PLATE, lossFactor: 0.05, stiffnessNPerM: 2e5, restitution: 0.3, roughness: 0.5, grainM: 0.004, crumple: 0.45, radiation: 0.9,
    visual: { base: [190, 150, 100], accent: [160, 120, 75], pattern: 'corrugated', scaleM: 0.008 } },
  { name: 'leather', fundamentalHz: 140, modeRatios: SOFT, lossFactor: 0.15, stiffnessNPerM: 6e4, restitution: 0.25, roughness: 0.4, grainM: 0.001, crumple: 0.05, radiation: 0.45,
    visual: { base: [95, 55, 35], accent: [60, 32, 20], pattern: 'pebbled', scaleM: 0.006 } },
  { name: 'stone', fundamentalHz: 750, modeRatios: BAR, lossFactor: 0.006, stiffnessNPerM: 4e7, restitution: 0.6, roughness: 0.6, grainM: 0.0012, crumple: 0, radiation: 0.45,
    visual: { base: [128, 126, 122], accent: [70, 68, 66], pattern: 'granite', scaleM: 0.01 } },
  { name: 'foliage', fundamentalHz: 260, modeRatios: SOFT, lossFactor: 0.25, stiffnessNPerM: 5e3, restitution: 0.15, roughness: 0.65, grainM: 0.006, crumple: 0.8, radiation: 0.5,
    visual: { base: [60, 125, 45], accent: [30, 80, 25], pattern: 'leaves', scaleM: 0.04 } },
  { name: 'snow', fundamentalHz: 90, modeRatios: SOFT, lossFactor: 0.5, stiffnessNPerM: 2e4, restitution: 0.05, roughness: 0.55, grainM: 0.002, crumple: 1.0, radiation: 0.25,
    visual: { base: [238, 242, 248], accent: [200, 210, 225], pattern: 'snow', scaleM: 0.005 } },
  { name: 'carpet', fundamentalHz: 85, modeRatios: SOFT, lossFactor: 0.45, stiffnessNPerM: 8e3, restitution: 0.08, roughness: 0.8, grainM: 0.0025, crumple: 0.05, radiation: 0.25,
    visual: { base: [90, 95, 120], accent: [60, 65, 90], pattern: 'carpet', scaleM: 0.003 } },
  { name: 'bamboo', fundamentalHz: 330, modeRatios: BAR, lossFactor: 0.008, stiffnessNPerM: 5e6, restitution: 0.55, roughness: 0.3, grainM: 0.0006, crumple: 0, radiation: 0.9,
    visual: { base: [205, 180, 110], accent: [160, 135, 70], pattern: 'wood', scaleM: 0.02 } },
] satisfies MaterialSpec[]);

export const MATERIAL_NAMES: readonly string[] = MATERIALS.map((m) => m.name);

export function getMaterial(name: string): MaterialSpec {
  const m = MATERIALS.find((x) => x.name === name);
  if (!m) throw new UnknownMaterialError(String(name), MATERIAL_NAMES);
  return m;
}

export function materialIndex(name: string): number {
  const i = MATERIAL_NAMES.indexOf(name);
  if (i < 0) throw new UnknownMaterialError(String(name), MATERIAL_NAMES);
  return i;
}

/** One concrete object made of a material: its own size (so its own modes), as in a real scene. */
export interface MaterialInstance {
  readonly spec: MaterialSpec;
  readonly modes: readonly Mode[];
  /** Size relative to the nominal object (>1: bigger and lower). */
  readonly sizeScale: number;
}

const MAX_MODE_HZ = 7600; // below Nyquist at 16 kHz with margin for the resonators

/** Modes of an object of `sizeScale` (f ∝ 1/size for a plate of fixed thickness ratio). */
export function modesFor(spec: MaterialSpec, sizeScale = 1, jitter?: Rng): Mode[] {
  if (!(sizeScale > 0) || !Number.isFinite(sizeScale)) throw new InvalidArgumentError(`sizeScale must be a positive number, got ${sizeScale}`);
  const modes: Mode[] = [];
  spec.modeRatios.forEach((ratio, k) => {
    const detune = jitter ? 1 + 0.03 * jitter.normal() : 1;
    const freqHz = (spec.fundamentalHz / sizeScale) * ratio * detune;
    if (freqHz >= MAX_MODE_HZ || freqHz <= 20) return;
    const eta = spec.lossFactor * (jitter ? jitter.uniform(0.85, 1.2) : 1);
    const t60Sec = Math.min(4, 6.91 / (Math.PI * freqHz * eta));
    // Radiation efficiency and modal mass: gains fall off with mode order, with per-object scatter.
    const gain = (1 / (1 + 0.35 * k)) * (jitter ? jitter.uniform(0.55, 1.45) : 1);
    modes.push({ freqHz, t60Sec, gain });
  });
  return modes;
}

export function instantiateMaterial(name: string, rng?: Rng): MaterialInstance {
  const spec = getMaterial(name);
  const sizeScale = rng ? rng.logUniform(0.7, 1.45) : 1;
  return { spec, modes: modesFor(spec, sizeScale, rng), sizeScale };
}
