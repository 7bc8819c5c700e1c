// Phase from magnitude by phase-gradient heap integration, one frame at a time (RTPGHI: Průša & Holighaus,
// "Phase vocoder done right", EUSIPCO 2017; Průša, Balazs & Søndergaard, IEEE/ACM TASLP 2017).
//
// For a Gaussian window exp(−π u²/λ) the STFT phase φ (window-centred convention) follows from the log-magnitude s:
//   ∂φ/∂t = ω + (2π/λ) ∂s/∂ω      (instantaneous frequency: where a partial sits between bins)
//   ∂φ/∂ω = −(λ/2π) ∂s/∂t         (local group delay: where an attack sits inside the frame)
// A Hann window is close to the Gaussian with λ = 0.25645 N². Starting from the loudest coefficients, each new
// frame's phases are integrated from the previous frame's (time direction) and from louder neighbours in the same
// frame (frequency direction). The frequency direction is what the phase-vocoder initialisation lacks: it places an
// attack's energy at its instant in the frame instead of spreading it over the whole window (pre-echo).
// Streaming has no next frame, so ∂s/∂t is the backward difference plus the curvature an impulse's log-magnitude
// has under this window (−2π/λ per sample²), which moves the estimate from half a hop back to the frame itself.
import { allocF32, ldf, stf, ldi, sti } from './memory';
import { nFft, hop, nBins } from './spectral';

/** Coefficients quieter than this, relative to the loudest of the two frames, keep the phase-vocoder phase. */
const TOLERANCE: f32 = 1e-5;
const BUCKETS: i32 = 256;
const BUCKET_NEPER: f32 = 0.05; // 256 buckets span 12.8 neper, beyond the tolerance's 11.5

/** Largest phase step between bins (rad): π would put an attack at the window's edge; beyond it, outside the frame. */
const MAX_BIN_STEP: f64 = 3.0;

export class PhaseGradient {
  lambda: f64 = 0;
  sPrev: usize = 0;   // f32[nBins] log-magnitude of the previous frame
  sCur: usize = 0;    // f32[nBins] log-magnitude of the new frame
  tgPrev: usize = 0;  // f32[nBins] phase advance over one hop at the previous frame (rad)
  tgCur: usize = 0;
  fg: usize = 0;      // f32[nBins] phase step to the next bin at the new frame (rad)
  phase: usize = 0;   // f32[nBins] window-centred phase of the new frame
  done: usize = 0;    // i32[nBins] 1 = phase of the new frame assigned
  // The coefficients to integrate from, loudest first: b (previous frame) or nBins + b (new frame), in buckets of
  // 0.05 neper (0.43 dB) of log-magnitude below the peak, each a stack linked through `next`. Exact order within a
  // bucket does not matter to the integration; with a binary heap the whole start took 140 µs per frame, with this 58.
  bucketHead: usize = 0; // i32[BUCKETS]: first entry of each bucket, −1 = empty
  next: usize = 0;       // i32[2 × nBins]: the entry below each in its bucket
  top: i32 = -1;         // no bucket above this one holds anything
  logPeak: f32 = 0;
  cached: bool = false; // sCur/tgCur hold the frame the next call gives as its previous one
}

export function pgCreate(): PhaseGradient {
  const p = new PhaseGradient();
  p.lambda = 0.25645 * <f64>nFft * <f64>nFft;
  p.sPrev = allocF32(nBins + 4); p.sCur = allocF32(nBins + 4);
  p.tgPrev = allocF32(nBins + 4); p.tgCur = allocF32(nBins + 4);
  p.fg = allocF32(nBins + 4); p.phase = allocF32(nBins + 4);
  p.done = allocF32(nBins + 4);
  p.bucketHead = allocF32(BUCKETS + 4); p.next = allocF32(2 * nBins + 4);
  return p;
}

/** Forgets the previous frame (a stream's start). */
export function pgReset(p: PhaseGradient): void { p.cached = false; }

/** Natural log of each magnitude, floored 160 dB under the frame's peak (silence has no slope to follow). */
function logMagnitudes(mag: usize, dst: usize): void {
  let peak: f32 = 0;
  for (let b = 0; b < nBins; b++) peak = max(peak, ldf(mag, b));
  const floor = max(peak * <f32>1e-8, <f32>1e-30);
  for (let b = 0; b < nBins; b++) stf(dst, b, Mathf.log(max(ldf(mag, b), floor)));
}

/** Phase advance over one hop for each bin: its centre frequency plus the offset the magnitude's slope across bins says. */
function timeGradient(s: usize, dst: usize, lambda: f64): void {
  const centre = 2.0 * Math.PI * <f64>hop / <f64>nFft;
  const slope = <f64>hop * <f64>nFft / lambda;
  for (let b = 0; b < nBins; b++) {
    const ds: f64 = b == 0 || b == nBins - 1 ? 0.0 : 0.5 * (<f64>ldf(s, b + 1) - <f64>ldf(s, b - 1));
    stf(dst, b, <f32>(centre * <f64>b + slope * ds));
  }
}

function queueClear(p: PhaseGradient): void {
  for (let q = 0; q < BUCKETS; q++) sti(p.bucketHead, q, -1);
  p.top = -1;
}

function queuePush(p: PhaseGradient, entry: i32, logMag: f32): void {
  const q = min(BUCKETS - 1, max(0, BUCKETS - 1 - <i32>((p.logPeak - logMag) / BUCKET_NEPER)));
  sti(p.next, entry, ldi(p.bucketHead, q));
  sti(p.bucketHead, q, entry);
  if (q > p.top) p.top = q;
}

/** The loudest entry (within a bucket), or −1 when none is left. */
function queuePop(p: PhaseGradient): i32 {
  while (p.top >= 0 && ldi(p.bucketHead, p.top) < 0) p.top--;
  if (p.top < 0) return -1;
  const e = ldi(p.bucketHead, p.top);
  sti(p.bucketHead, p.top, ldi(p.next, e));
  return e;
}

/**
 * Sets the new frame's spectrum (re/im, frame-start phase convention as the STFT here computes it) from its
 * magnitudes `mag`, given the previous frame's magnitudes and spectrum (`hasPrev` false at a stream's start).
 * Coefficients below the tolerance keep what re/im already hold (the caller's phase-vocoder guess).
 */
export function pgFrame(p: PhaseGradient, mag: usize, re: usize, im: usize,
  hasPrev: bool, prevMag: usize, prevRe: usize, prevIm: usize): void {
  let peak: f32 = 0;
  for (let b = 0; b < nBins; b++) peak = max(peak, ldf(mag, b));
  if (hasPrev) for (let b = 0; b < nBins; b++) peak = max(peak, ldf(prevMag, b));
  if (peak <= <f32>0) { p.cached = false; return; }
  const tol = peak * TOLERANCE;
  // The previous frame's log-magnitudes and advances are this call's last "new frame" ones when frames come in order.
  if (hasPrev && p.cached) {
    let t = p.sPrev; p.sPrev = p.sCur; p.sCur = t;
    t = p.tgPrev; p.tgPrev = p.tgCur; p.tgCur = t;
  } else if (hasPrev) {
    logMagnitudes(prevMag, p.sPrev);
    timeGradient(p.sPrev, p.tgPrev, p.lambda);
  }
  logMagnitudes(mag, p.sCur);
  timeGradient(p.sCur, p.tgCur, p.lambda);
  p.cached = true;
  // Phase step per bin = −(λ / (N·hop)) · ∂s/∂frame; ∂s/∂frame = backward difference − π·hop²/λ (see the top).
  const fScale = -p.lambda / (<f64>nFft * <f64>hop);
  const curvature = Math.PI * <f64>hop * <f64>hop / p.lambda;
  for (let b = 0; b < nBins; b++) {
    const ds: f64 = hasPrev ? <f64>ldf(p.sCur, b) - <f64>ldf(p.sPrev, b) - curvature : 0.0;
    stf(p.fg, b, <f32>Math.max(-MAX_BIN_STEP, Math.min(MAX_BIN_STEP, fScale * ds)));
    sti(p.done, b, ldf(mag, b) < tol ? 1 : 0); // quiet coefficients are left as they are
  }
  p.logPeak = Mathf.log(peak);
  queueClear(p);
  if (hasPrev) {
    for (let b = 0; b < nBins; b++) if (ldf(prevMag, b) >= tol) queuePush(p, b, ldf(p.sPrev, b));
  }
  let remaining = 0;
  for (let b = 0; b < nBins; b++) if (ldi(p.done, b) == 0) remaining++;
  while (remaining > 0) {
    const e = queuePop(p);
    if (e < 0) {
      // Nothing louder to integrate from (a stream's start, or after silence): the loudest unassigned bin starts
      // a new island at phase 0.
      let best = -1; let bestMag: f32 = -1;
      for (let b = 0; b < nBins; b++) if (ldi(p.done, b) == 0 && ldf(mag, b) > bestMag) { bestMag = ldf(mag, b); best = b; }
      stf(p.phase, best, 0); sti(p.done, best, 1); remaining--;
      queuePush(p, nBins + best, ldf(p.sCur, best));
      continue;
    }
    if (e < nBins) {
      // A coefficient of the previous frame: carry its phase one hop forward (trapezoid of the two frames' advances).
      const b = e;
      if (ldi(p.done, b) != 0) continue;
      const pr = ldf(prevRe, b), pi = ldf(prevIm, b);
      const prevPhase = Mathf.atan2(pi, pr) - <f32>Math.PI * <f32>(b & 1); // frame-start → window-centred
      stf(p.phase, b, prevPhase + <f32>0.5 * (ldf(p.tgPrev, b) + ldf(p.tgCur, b)));
      sti(p.done, b, 1); remaining--;
      queuePush(p, nBins + b, ldf(p.sCur, b));
    } else {
      // A coefficient of the new frame: integrate to its neighbours across frequency.
      const b = e - nBins;
      const ph = ldf(p.phase, b), g = ldf(p.fg, b);
      if (b + 1 < nBins && ldi(p.done, b + 1) == 0) {
        stf(p.phase, b + 1, ph + <f32>0.5 * (g + ldf(p.fg, b + 1)));
        sti(p.done, b + 1, 1); remaining--;
        queuePush(p, nBins + b + 1, ldf(p.sCur, b + 1));
      }
      if (b > 0 && ldi(p.done, b - 1) == 0) {
        stf(p.phase, b - 1, ph - <f32>0.5 * (g + ldf(p.fg, b - 1)));
        sti(p.done, b - 1, 1); remaining--;
        queuePush(p, nBins + b - 1, ldf(p.sCur, b - 1));
      }
    }
  }
  for (let b = 0; b < nBins; b++) {
    const m = ldf(mag, b);
    if (m < tol) continue;
    const ph = ldf(p.phase, b) + <f32>Math.PI * <f32>(b & 1); // window-centred → frame-start
    stf(re, b, m * Mathf.cos(ph)); stf(im, b, m * Mathf.sin(ph));
  }
}
