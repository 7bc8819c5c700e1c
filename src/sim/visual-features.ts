/**
 * Our visual features in place of CLIP: a fixed 64-number descriptor of a small RGB view that keeps what
 * tells materials apart (colour, its spread and layout, texture energy and orientation, scale) and whether
 * a hand is in view. Cheap, deterministic, and the same in Node and the browser; a learned encoder can
 * replace it later without changing the dataset layout (only the width, recorded in dataset.json).
 */
import { InvalidArgumentError } from '../errors.js';

export const VISUAL_FEATURE_DIM = 64;

/** Computes the descriptor of a square RGB image (row-major, 3 bytes per pixel), values roughly in [-1, 1]. */
export function visualFeatures(rgb: Uint8Array, sizePx: number, out = new Float32Array(VISUAL_FEATURE_DIM)): Float32Array {
  const n = sizePx * sizePx;
  if (!Number.isInteger(sizePx) || sizePx < 8 || rgb.length !== n * 3) {
    throw new InvalidArgumentError(`expected a square RGB image of at least 8×8 (${sizePx}×${sizePx}×3 = ${n * 3} bytes), got ${rgb.length} bytes`);
  }
  out.fill(0);
  const lum = new Float32Array(n);
  let o = 0;
  const mean = [0, 0, 0], sq = [0, 0, 0];
  let sat = 0, val = 0, skin = 0;
  const hue = new Float64Array(8);
  for (let i = 0; i < n; i++) {
    const r = rgb[i * 3]! / 255, g = rgb[i * 3 + 1]! / 255, b = rgb[i * 3 + 2]! / 255;
    mean[0]! += r; mean[1]! += g; mean[2]! += b; sq[0]! += r * r; sq[1]! += g * g; sq[2]! += b * b;
    lum[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    const mx = Math.max(r, g, b), mn = Math.min(r, g, b), c = mx - mn;
    const s = mx > 0 ? c / mx : 0;
    sat += s; val += mx;
    if (c > 1e-6) {
      let hh = mx === r ? ((g - b) / c) % 6 : mx === g ? (b - r) / c + 2 : (r - g) / c + 4;
      if (hh < 0) hh += 6;
      hue[Math.min(7, Math.floor((hh / 6) * 8))]! += s;
    }
    if (r > 0.55 && r > g && g > b && r - b > 0.18 && r - b < 0.45 && rgb[i * 3]! - rgb[i * 3 + 1]! < 70) skin++;
  }
  // 0–5: mean and standard deviation of each channel.
  for (let c = 0; c < 3; c++) {
    const m = mean[c]! / n;
    out[o++] = m * 2 - 1;
    out[o++] = Math.sqrt(Math.max(0, sq[c]! / n - m * m)) * 4;
  }
  // 6–21: 4×4 grid of mean luminance (layout).
  const cell = sizePx / 4;
  const grid = new Float64Array(16), grid2 = new Float64Array(12);
  for (let j = 0; j < sizePx; j++) for (let i = 0; i < sizePx; i++) {
    grid[Math.floor(j / cell) * 4 + Math.floor(i / cell)]! += lum[j * sizePx + i]!;
    const q = (Math.floor((2 * j) / sizePx) * 2 + Math.floor((2 * i) / sizePx)) * 3, p = (j * sizePx + i) * 3;
    grid2[q]! += rgb[p]! / 255; grid2[q + 1]! += rgb[p + 1]! / 255; grid2[q + 2]! += rgb[p + 2]! / 255;
  }
  for (let k = 0; k < 16; k++) out[o++] = (grid[k]! / (cell * cell)) * 2 - 1;
  // 22–33: 2×2 grid of mean colour.
  for (let k = 0; k < 12; k++) out[o++] = (grid2[k]! / (n / 4)) * 2 - 1;
  // 34–43: gradient energy (x, y) and an 8-bin orientation histogram (texture direction: grain, weave).
  let gx = 0, gy = 0, lap = 0;
  const orient = new Float64Array(8);
  for (let j = 1; j < sizePx - 1; j++) for (let i = 1; i < sizePx - 1; i++) {
    const c = j * sizePx + i;
    const dx = lum[c + 1]! - lum[c - 1]!, dy = lum[c + sizePx]! - lum[c - sizePx]!;
    gx += Math.abs(dx); gy += Math.abs(dy);
    lap += Math.abs(4 * lum[c]! - lum[c - 1]! - lum[c + 1]! - lum[c - sizePx]! - lum[c + sizePx]!);
    const mag = Math.hypot(dx, dy);
    if (mag > 1e-4) {
      let a = Math.atan2(dy, dx); if (a < 0) a += Math.PI;
      orient[Math.min(7, Math.floor((a / Math.PI) * 8))]! += mag;
    }
  }
  const inner = (sizePx - 2) * (sizePx - 2);
  out[o++] = (gx / inner) * 8; out[o++] = (gy / inner) * 8;
  const osum = orient.reduce((a, b) => a + b, 0) || 1;
  for (let k = 0; k < 8; k++) out[o++] = (orient[k]! / osum) * 4 - 0.5;
  // 44–47: energy in four scale bands (differences of box blurs: fine grain vs coarse pattern).
  let prev: Float32Array = lum;
  for (const radius of [1, 2, 4, 8]) {
    const blurred = boxBlur(lum, sizePx, radius);
    let e = 0;
    for (let i = 0; i < n; i++) e += Math.abs(prev[i]! - blurred[i]!);
    out[o++] = (e / n) * 10;
    prev = blurred;
  }
  // 48–55: hue histogram weighted by saturation.
  for (let k = 0; k < 8; k++) out[o++] = (hue[k]! / n) * 4;
  // 56–63: saturation, value, skin fraction, luminance percentiles, Laplacian energy, contrast.
  out[o++] = (sat / n) * 2 - 1; out[o++] = (val / n) * 2 - 1; out[o++] = (skin / n) * 4;
  const sorted = Float32Array.from(lum).sort();
  out[o++] = sorted[Math.floor(0.1 * (n - 1))]! * 2 - 1;
  out[o++] = sorted[Math.floor(0.5 * (n - 1))]! * 2 - 1;
  out[o++] = sorted[Math.floor(0.9 * (n - 1))]! * 2 - 1;
  out[o++] = (lap / inner) * 4;
  out[o++] = (sorted[Math.floor(0.9 * (n - 1))]! - sorted[Math.floor(0.1 * (n - 1))]!) * 2;
  return out;
}

/** Separable box blur with running sums (O(n) whatever the radius), clamped at the borders. */
function boxBlur(src: Float32Array, size: number, radius: number): Float32Array {
  const tmp = new Float32Array(src.length), out = new Float32Array(src.length);
  const pass = (from: Float32Array, to: Float32Array, stride: number, step: number) => {
    for (let line = 0; line < size; line++) {
      const base = line * stride;
      let sum = 0, count = 0;
      for (let k = 0; k <= Math.min(size - 1, radius); k++) { sum += from[base + k * step]!; count++; }
      for (let i = 0; i < size; i++) {
        to[base + i * step] = sum / count;
        const add = i + radius + 1, drop = i - radius;
        if (add < size) { sum += from[base + add * step]!; count++; }
        if (drop >= 0) { sum -= from[base + drop * step]!; count--; }
      }
    }
  };
  pass(src, tmp, size, 1);
  pass(tmp, out, 1, size);
  return out;
}
