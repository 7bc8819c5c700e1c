/**
 * Procedural surface textures, one pattern per material, as a pure function of (surface u, v in metres,
 * seed): so the same spot of the same object always looks the same from every viewpoint, and a local view
 * of the touched surface can be rendered at any scale. This stands in for the paper's Gaussian-splat
 * renders: what matters for the model is that appearance carries material information.
 */
import { InvalidArgumentError } from '../errors.js';
import type { MaterialSpec } from './materials.js';

function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix | 0, 0x27d4eb2d) ^ Math.imul(iy | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const smooth = (t: number) => t * t * (3 - 2 * t);

function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x), iy = Math.floor(y);
  const fx = smooth(x - ix), fy = smooth(y - iy);
  const a = hash2(ix, iy, seed), b = hash2(ix + 1, iy, seed), c = hash2(ix, iy + 1, seed), d = hash2(ix + 1, iy + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

function fbm(x: number, y: number, seed: number, octaves = 4): number {
  let sum = 0, amp = 0.5, norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x, y, seed + o * 101);
    norm += amp; amp *= 0.5; x *= 2.03; y *= 1.97;
  }
  return sum / norm;
}

/** Distance to the nearest and second-nearest feature point of a jittered grid (Worley noise). */
function worley(x: number, y: number, seed: number): [number, number, number] {
  const ix = Math.floor(x), iy = Math.floor(y);
  let d1 = 9, d2 = 9, id = 0;
  for (let j = -1; j <= 1; j++) {
    for (let i = -1; i <= 1; i++) {
      const cx = ix + i, cy = iy + j;
      const px = cx + hash2(cx, cy, seed), py = cy + hash2(cx, cy, seed + 7);
      const d = Math.hypot(px - x, py - y);
      if (d < d1) { d2 = d1; d1 = d; id = hash2(cx, cy, seed + 13); } else if (d < d2) d2 = d;
    }
  }
  return [d1, d2, id];
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Writes the colour (0–255 floats) of material `spec` at surface point (uM, vM) into out[0..2].
 * `seed` makes each object's pattern its own (knots, tile offsets).
 */
export function textureColor(spec: MaterialSpec, uM: number, vM: number, seed: number, out: Float64Array | number[]): void {
  const { base, accent, pattern, scaleM } = spec.visual;
  const x = uM / scaleM, y = vM / scaleM;
  let t = 0, shade = 1;
  switch (pattern) {
    case 'wood': {
      const warp = 1.8 * fbm(x * 0.35, y * 2.5, seed);
      const ring = 0.5 + 0.5 * Math.sin(2 * Math.PI * (y * 1.4 + warp));
      t = ring * ring * ring; shade = 0.9 + 0.2 * fbm(x * 4, y * 30, seed + 3);
      break;
    }
    case 'brushed':
      t = fbm(x * 0.3, y * 25, seed); shade = 0.9 + 0.25 * (0.5 + 0.5 * Math.sin(0.6 * x + 0.3 * y)); break;
    case 'speckle':
      t = hash2(Math.floor(x * 3), Math.floor(y * 3), seed) > 0.9 ? 1 : 0.15 * fbm(x, y, seed); break;
    case 'glass':
      // Clear glass: the tint of what is behind it, faint streaks of reflected light, no grain.
      t = 0.35 * Math.max(0, Math.sin(6 * (x + y) + fbm(x * 2, y * 2, seed) * 2)) ** 6; shade = 0.97 + 0.05 * fbm(x * 8, y * 8, seed + 1); break;
    case 'tiles': {
      const fx = x - Math.floor(x), fy = y - Math.floor(y);
      const grout = Math.min(fx, 1 - fx, fy, 1 - fy) < 0.04 ? 1 : 0;
      t = grout; shade = 0.95 + 0.08 * hash2(Math.floor(x), Math.floor(y), seed) + 0.04 * fbm(x * 6, y * 6, seed);
      break;
    }
    case 'weave': {
      const over = (Math.floor(x) + Math.floor(y)) & 1;
      const thread = over ? Math.sin(Math.PI * (y - Math.floor(y))) : Math.sin(Math.PI * (x - Math.floor(x)));
      t = 1 - thread; shade = 0.9 + 0.15 * fbm(x * 0.2, y * 0.2, seed);
      break;
    }
    case 'fibers':
      t = 0.6 * fbm(x * 0.5, y * 3, seed) ** 2 + 0.3 * fbm(x * 3, y * 0.5, seed + 5) ** 3; break;
    case 'corrugated':
      t = 0.5 + 0.5 * Math.sin(2 * Math.PI * x); t = t * t; shade = 0.92 + 0.12 * fbm(x * 0.3, y * 2, seed); break;
    case 'pebbled': {
      const [d1, d2] = worley(x, y, seed);
      t = Math.min(1, (d2 - d1) < 0.12 ? 1 : d1 * 0.8); shade = 0.9 + 0.15 * fbm(x * 0.2, y * 0.2, seed + 2);
      break;
    }
    case 'granite': {
      const h = hash2(Math.floor(x * 2), Math.floor(y * 2), seed);
      t = h > 0.8 ? 1 : h < 0.12 ? -0.6 : 0.35 * fbm(x, y, seed); break;
    }
    case 'leaves': {
      const [d1, d2, id] = worley(x, y, seed);
      t = (d2 - d1) < 0.08 ? 1.4 : 0.2 + 0.8 * id; shade = 0.85 + 0.3 * (1 - d1);
      break;
    }
    case 'snow':
      t = fbm(x * 0.1, y * 0.1, seed) * 0.8; shade = hash2(Math.floor(x * 4), Math.floor(y * 4), seed) > 0.985 ? 1.08 : 1; break;
    case 'carpet':
      t = hash2(Math.floor(x * 2), Math.floor(y * 2), seed) * 0.7 + 0.3 * fbm(x * 0.1, y * 0.1, seed); break;
  }
  for (let c = 0; c < 3; c++) out[c] = clamp255((base[c]! + (accent[c]! - base[c]!) * t) * shade);
}

export interface MaterialViewOptions {
  /** Side of the square image in pixels (32 or 64 are typical). */
  sizePx?: number;
  /** Side of the viewed patch on the surface (m). */
  widthM?: number;
  centerUM?: number;
  centerVM?: number;
  seed?: number;
}

/** Renders a top-down RGB view (row-major, 3 bytes per pixel) of a patch of the material's surface. */
export function renderMaterialView(spec: MaterialSpec, opts: MaterialViewOptions = {}): Uint8Array {
  const size = opts.sizePx ?? 32, width = opts.widthM ?? 0.15;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new InvalidArgumentError(`sizePx must be an integer in 1…4096, got ${size}`);
  if (!(width > 0) || !Number.isFinite(width)) throw new InvalidArgumentError(`widthM must be positive, got ${width}`);
  const img = new Uint8Array(size * size * 3);
  const rgb = new Float64Array(3);
  const cu = opts.centerUM ?? 0, cv = opts.centerVM ?? 0, seed = opts.seed ?? 1;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      textureColor(spec, cu + ((i + 0.5) / size - 0.5) * width, cv + ((j + 0.5) / size - 0.5) * width, seed, rgb);
      const o = (j * size + i) * 3;
      img[o] = Math.round(rgb[0]!); img[o + 1] = Math.round(rgb[1]!); img[o + 2] = Math.round(rgb[2]!);
    }
  }
  return img;
}
