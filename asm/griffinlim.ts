// Phase recovery: the "fast" Griffin-Lim (Perraudin et al. 2013, momentum as in torchaudio.functional.griffinlim),
// and mel → linear magnitude by non-negative least squares (multiplicative updates on the sparse filterbank).
import { Scratch, ldf, stf, ldv, stv } from './memory';
import { nFft, hop, nBins, nMels, stft, istft, melOfMagnitude } from './spectral';
import { melStart, melLen, melOffset, melWeights } from './spectral';
import { ldi } from './memory';
import { PhaseGradient, pgCreate, pgFrame, pgReset } from './phase-gradient';

const angRe = new Scratch();
const angIm = new Scratch();
const prevRe = new Scratch();
const prevIm = new Scratch();
const specRe = new Scratch();
const specIm = new Scratch();
const signal = new Scratch();
let phaseGradient: PhaseGradient | null = null;

let rngState: u32 = 1;
function rand01(): f64 {
  // xorshift32: deterministic from the seed, identical in every runtime.
  let x = rngState;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  rngState = x;
  return <f64>x / 4294967296.0;
}

/**
 * Griffin-Lim from a magnitude spectrogram mag[frames × nBins]. Writes `length` samples to out.
 * Starts from phase-gradient phases (phase-gradient.ts, frame by frame) when `fromPhaseGradient`; else seed = 0 starts
 * from zero phase, any other seed from uniform random phase drawn from it.
 * Returns 0, or -1 when `length` is too short to re-analyse (≤ nFft/2).
 */
export function griffinLim(mag: usize, frames: i32, iterations: i32, momentum: f32, seed: u32, fromPhaseGradient: bool, out: usize, length: i32): i32 {
  if (length <= (nFft >> 1)) return -1;
  const count = frames * nBins;
  const ar = angRe.ensure(count + 4), ai = angIm.ensure(count + 4);
  const pr = prevRe.ensure(count + 4), pi = prevIm.ensure(count + 4);
  const sr = specRe.ensure(count + 4), si = specIm.ensure(count + 4);
  const x = signal.ensure(length + 4);
  if (fromPhaseGradient) startFromPhaseGradient(mag, frames, ar, ai, sr, si);
  else {
    rngState = seed == 0 ? 1 : seed;
    for (let i = 0; i < count; i++) {
      if (seed == 0) { stf(ar, i, 1); stf(ai, i, 0); }
      else {
        const a = 2.0 * Math.PI * rand01();
        stf(ar, i, <f32>Math.cos(a)); stf(ai, i, <f32>Math.sin(a));
      }
    }
  }
  memory.fill(pr, 0, <usize>count << 2);
  memory.fill(pi, 0, <usize>count << 2);
  const alpha = momentum / (<f32>1 + momentum);
  const va = f32x4.splat(alpha), tiny = f32x4.splat(<f32>1e-16);
  for (let it = 0; it < iterations; it++) {
    // Project onto consistent spectrograms: istft(|S| e^{iφ}) then stft.
    for (let i = 0; i < count; i++) {
      const m = ldf(mag, i);
      stf(sr, i, m * ldf(ar, i)); stf(si, i, m * ldf(ai, i));
    }
    istft(sr, si, frames, x, length);
    const f = stft(x, length, sr, si);
    // Re-analysis of `length` samples can give a different frame count; only the overlap is used.
    const usable = min(f, frames) * nBins;
    let i = 0;
    for (; i + 4 <= usable; i += 4) {
      const rr = ldv(sr, i), ri = ldv(si, i);
      const nr = f32x4.sub(rr, f32x4.mul(ldv(pr, i), va));
      const ni = f32x4.sub(ri, f32x4.mul(ldv(pi, i), va));
      const norm = f32x4.add(f32x4.sqrt(f32x4.add(f32x4.mul(nr, nr), f32x4.mul(ni, ni))), tiny);
      stv(ar, i, f32x4.div(nr, norm)); stv(ai, i, f32x4.div(ni, norm));
      stv(pr, i, rr); stv(pi, i, ri);
    }
    for (; i < usable; i++) {
      const rr = ldf(sr, i), ri = ldf(si, i);
      const nr = rr - ldf(pr, i) * alpha, ni = ri - ldf(pi, i) * alpha;
      const norm = Mathf.sqrt(nr * nr + ni * ni) + <f32>1e-16;
      stf(ar, i, nr / norm); stf(ai, i, ni / norm);
      stf(pr, i, rr); stf(pi, i, ri);
    }
  }
  for (let i = 0; i < count; i++) {
    const m = ldf(mag, i);
    stf(sr, i, m * ldf(ar, i)); stf(si, i, m * ldf(ai, i));
  }
  istft(sr, si, frames, out, length);
  return 0;
}

/** Unit phasors ar/ai of the phase-gradient phases of every frame, in order (sr/si: scratch spectra). */
function startFromPhaseGradient(mag: usize, frames: i32, ar: usize, ai: usize, sr: usize, si: usize): void {
  let pg = phaseGradient;
  if (!pg) { pg = pgCreate(); phaseGradient = pg; }
  pgReset(pg);
  for (let f = 0; f < frames; f++) {
    const at = <usize>(f * nBins) << 2, before = f > 0 ? <usize>((f - 1) * nBins) << 2 : at;
    for (let b = 0; b < nBins; b++) { stf(sr + at, b, ldf(mag + at, b)); stf(si + at, b, 0); } // quiet bins: zero phase
    pgFrame(pg, mag + at, sr + at, si + at, f > 0, mag + before, sr + before, si + before);
    for (let b = 0; b < nBins; b++) {
      const re = ldf(sr + at, b), im = ldf(si + at, b);
      const n = Mathf.sqrt(re * re + im * im);
      if (n > <f32>1e-30) { stf(ar + at, b, re / n); stf(ai + at, b, im / n); } else { stf(ar + at, b, 1); stf(ai + at, b, 0); }
    }
  }
}

const melTmp = new Scratch();
const ratio = new Scratch();

/**
 * Linear magnitude mag[frames × nBins] whose mel projection best matches mel[frames × nMels] (non-negative least
 * squares by Lee–Seung multiplicative updates, started from the filterbank transpose). `fromLog` takes ln-mel.
 */
export function melToLinear(mel: usize, frames: i32, iterations: i32, fromLog: bool, out: usize): void {
  const est = melTmp.ensure(nMels + 4);
  const num = ratio.ensure(2 * nBins + 8);
  const den = num + (<usize>(nBins + 4) << 2);
  const target = signal.ensure(nMels + 4);
  for (let f = 0; f < frames; f++) {
    const x = out + (<usize>(f * nBins) << 2);
    for (let m = 0; m < nMels; m++) {
      const v = ldf(mel + (<usize>(f * nMels) << 2), m);
      stf(target, m, fromLog ? Mathf.exp(v) : Mathf.max(v, 0));
    }
    // Initial guess: Fᵀ y normalised per bin by Σ_m w², halved (bins sit under two overlapping filters).
    for (let k = 0; k < nBins; k++) { stf(num, k, 0); stf(den, k, 0); }
    for (let m = 0; m < nMels; m++) {
      const s = ldi(melStart, m), l = ldi(melLen, m), o = ldi(melOffset, m), y = ldf(target, m);
      for (let i = 0; i < l; i++) {
        const w = ldf(melWeights, o + i);
        stf(num, s + i, ldf(num, s + i) + w * y); stf(den, s + i, ldf(den, s + i) + w * w);
      }
    }
    for (let k = 0; k < nBins; k++) { const c = ldf(den, k); stf(x, k, c > 0 ? ldf(num, k) / c * <f32>0.5 : 0); }
    for (let it = 0; it < iterations; it++) {
      melOfMagnitude(x, est, 0, false);
      // x ← x · (Fᵀ y) / (Fᵀ F x)
      for (let k = 0; k < nBins; k++) { stf(num, k, 0); stf(den, k, 0); }
      for (let m = 0; m < nMels; m++) {
        const s = ldi(melStart, m), l = ldi(melLen, m), o = ldi(melOffset, m);
        const y = ldf(target, m), e = ldf(est, m);
        for (let i = 0; i < l; i++) {
          const w = ldf(melWeights, o + i);
          stf(num, s + i, ldf(num, s + i) + w * y); stf(den, s + i, ldf(den, s + i) + w * e);
        }
      }
      for (let k = 0; k < nBins; k++) {
        const d = ldf(den, k);
        stf(x, k, d > <f32>1e-20 ? ldf(x, k) * ldf(num, k) / d : 0);
      }
    }
  }
}
