// Real FFT of size N through a complex FFT of size M = N/2 (split-radix trick), complex data kept as
// separate re/im arrays so that butterflies of stages with half-size ≥ 4 run four at a time in SIMD.
import { allocF32, ldf, stf, ldi, sti, ldv, stv } from './memory';

export let fftN: i32 = 0;   // real size
let fftM: i32 = 0;          // complex size N/2
let bitrev: usize = 0;      // i32[M]
let stageRe: usize = 0;     // f32[M]: for a stage of half-size h, entries h..2h-1 hold exp(-2πi j / 2h)
let stageIm: usize = 0;
let splitRe: usize = 0;     // f32[M+1]: exp(-2πi k / N)
let splitIm: usize = 0;
export let zRe: usize = 0;  // complex work arrays f32[M]
export let zIm: usize = 0;

/** Builds twiddle and bit-reversal tables for real size n (a power of two ≥ 16). */
export function fftInit(n: i32): void {
  fftN = n;
  const m = n >> 1;
  fftM = m;
  let bits = 0;
  while ((1 << bits) < m) bits++;
  bitrev = allocF32(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    sti(bitrev, i, r);
  }
  stageRe = allocF32(m);
  stageIm = allocF32(m);
  for (let h = 1; h < m; h <<= 1) {
    for (let j = 0; j < h; j++) {
      const a = -Math.PI * <f64>j / <f64>h;
      stf(stageRe, h + j, <f32>Math.cos(a));
      stf(stageIm, h + j, <f32>Math.sin(a));
    }
  }
  splitRe = allocF32(m + 1);
  splitIm = allocF32(m + 1);
  for (let k = 0; k <= m; k++) {
    const a = -2.0 * Math.PI * <f64>k / <f64>n;
    stf(splitRe, k, <f32>Math.cos(a));
    stf(splitIm, k, <f32>Math.sin(a));
  }
  zRe = allocF32(m);
  zIm = allocF32(m);
}

/** In-place forward complex FFT of zRe/zIm, whose input is already in bit-reversed order. */
function complexFftBitReversed(): void {
  const m = fftM;
  for (let k = 0; k < m; k += 2) {
    const ar = ldf(zRe, k), ai = ldf(zIm, k), br = ldf(zRe, k + 1), bi = ldf(zIm, k + 1);
    stf(zRe, k, ar + br); stf(zIm, k, ai + bi);
    stf(zRe, k + 1, ar - br); stf(zIm, k + 1, ai - bi);
  }
  for (let k = 0; k < m; k += 4) {
    // half-size 2: twiddles 1 and -i
    const a0r = ldf(zRe, k), a0i = ldf(zIm, k), a1r = ldf(zRe, k + 1), a1i = ldf(zIm, k + 1);
    const b0r = ldf(zRe, k + 2), b0i = ldf(zIm, k + 2), b1r = ldf(zRe, k + 3), b1i = ldf(zIm, k + 3);
    const t1r = b1i, t1i = -b1r;
    stf(zRe, k, a0r + b0r); stf(zIm, k, a0i + b0i);
    stf(zRe, k + 2, a0r - b0r); stf(zIm, k + 2, a0i - b0i);
    stf(zRe, k + 1, a1r + t1r); stf(zIm, k + 1, a1i + t1i);
    stf(zRe, k + 3, a1r - t1r); stf(zIm, k + 3, a1i - t1i);
  }
  for (let h = 4; h < m; h <<= 1) {
    for (let k = 0; k < m; k += h << 1) {
      for (let j = 0; j < h; j += 4) {
        const wr = ldv(stageRe, h + j), wi = ldv(stageIm, h + j);
        const ia = k + j, ib = k + j + h;
        const ar = ldv(zRe, ia), ai = ldv(zIm, ia), br = ldv(zRe, ib), bi = ldv(zIm, ib);
        const tr = f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi));
        const ti = f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr));
        stv(zRe, ia, f32x4.add(ar, tr)); stv(zIm, ia, f32x4.add(ai, ti));
        stv(zRe, ib, f32x4.sub(ar, tr)); stv(zIm, ib, f32x4.sub(ai, ti));
      }
    }
  }
}

/**
 * Forward real FFT of x[0..N) multiplied by win[0..N) (pass win = 0 for no window).
 * Writes bins 0..N/2 to outRe/outIm (N/2+1 each).
 */
export function rfft(x: usize, win: usize, outRe: usize, outIm: usize): void {
  const m = fftM;
  if (win != 0) {
    for (let i = 0; i < m; i++) {
      const r = ldi(bitrev, i);
      stf(zRe, r, ldf(x, 2 * i) * ldf(win, 2 * i));
      stf(zIm, r, ldf(x, 2 * i + 1) * ldf(win, 2 * i + 1));
    }
  } else {
    for (let i = 0; i < m; i++) {
      const r = ldi(bitrev, i);
      stf(zRe, r, ldf(x, 2 * i));
      stf(zIm, r, ldf(x, 2 * i + 1));
    }
  }
  complexFftBitReversed();
  // Split Z = FFT(x_even + i x_odd) into X[k] = Fe[k] + W^k Fo[k].
  const z0r = ldf(zRe, 0), z0i = ldf(zIm, 0);
  stf(outRe, 0, z0r + z0i); stf(outIm, 0, 0);
  stf(outRe, m, z0r - z0i); stf(outIm, m, 0);
  for (let k = 1; k < m; k++) {
    const zr = ldf(zRe, k), zi = ldf(zIm, k);
    const cr = ldf(zRe, m - k), ci = -ldf(zIm, m - k); // conj(Z[M-k])
    const fer = <f32>0.5 * (zr + cr), fei = <f32>0.5 * (zi + ci);
    const dr = zr - cr, di = zi - ci;
    const for_ = <f32>0.5 * di, foi = <f32>-0.5 * dr; // (Zk - conj Z[M-k]) / 2i
    const wr = ldf(splitRe, k), wi = ldf(splitIm, k);
    stf(outRe, k, fer + (for_ * wr - foi * wi));
    stf(outIm, k, fei + (for_ * wi + foi * wr));
  }
}

/** Inverse real FFT (scaled by 1/N, like numpy/torch irfft) of bins 0..N/2 to out[0..N). */
export function irfft(inRe: usize, inIm: usize, out: usize): void {
  const m = fftM;
  // Rebuild Z[k] = Fe[k] + i Fo[k], with Fe = (X[k] + conj X[M-k]) / 2 and Fo = (X[k] - conj X[M-k]) / (2 W^k);
  // conjugated (for the inverse via the forward transform) and stored bit-reversed.
  for (let k = 0; k < m; k++) {
    // The imaginary parts of the DC and Nyquist bins are ignored, as by numpy/torch irfft (a real signal has none).
    const xr = ldf(inRe, k), xi = k == 0 ? <f32>0 : ldf(inIm, k);
    const cr = ldf(inRe, m - k), ci = k == 0 ? <f32>0 : -ldf(inIm, m - k);
    const fer = <f32>0.5 * (xr + cr), fei = <f32>0.5 * (xi + ci);
    const dr = <f32>0.5 * (xr - cr), di = <f32>0.5 * (xi - ci);
    // divide by W^k = multiply by conj(W^k)
    const wr = ldf(splitRe, k), wi = -ldf(splitIm, k);
    const for_ = dr * wr - di * wi, foi = dr * wi + di * wr;
    // Z = Fe + i Fo
    const Zr = fer - foi, Zi = fei + for_;
    const r = ldi(bitrev, k);
    stf(zRe, r, Zr);
    stf(zIm, r, -Zi);
  }
  complexFftBitReversed();
  const s = <f32>(1.0 / <f64>m);
  for (let i = 0; i < m; i++) {
    stf(out, 2 * i, ldf(zRe, i) * s);
    stf(out, 2 * i + 1, -ldf(zIm, i) * s);
  }
}
