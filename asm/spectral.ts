// STFT / iSTFT with torch semantics (centre=True, reflect padding, periodic Hann, onesided) and the
// Slaney mel filterbank of torchaudio (norm="slaney", mel_scale="slaney"), stored sparsely.
import { allocF32, Scratch, ldf, stf, ldi, sti, ldv, stv } from './memory';
import { fftInit, rfft, irfft } from './fft';

export let nFft: i32 = 0;
export let hop: i32 = 0;
export let nBins: i32 = 0;
export let nMels: i32 = 0;
let sampleRate: f64 = 0;
export let window: usize = 0;   // f32[nFft]
let frameRe: usize = 0;         // f32[nBins] scratch spectrum of one frame
let frameIm: usize = 0;
let frameMag: usize = 0;
let frameTime: usize = 0;       // f32[nFft]
let melStart: usize = 0;        // i32[nMels]: first bin of each filter
let melLen: usize = 0;          // i32[nMels]: number of bins of each filter
let melOffset: usize = 0;       // i32[nMels]: offset of each filter's weights in melWeights
let melWeights: usize = 0;      // f32[sum of lengths]
export let melDense: usize = 0; // f32[nMels × nBins] (row-major, per mel) for export/inspection
const padded = new Scratch();
const ola = new Scratch();
const env = new Scratch();

function hzToMelSlaney(f: f64): f64 {
  const fSp = 200.0 / 3.0;
  if (f < 1000.0) return f / fSp;
  return 1000.0 / fSp + Math.log(f / 1000.0) / (Math.log(6.4) / 27.0);
}
function melToHzSlaney(m: f64): f64 {
  const fSp = 200.0 / 3.0;
  const minLogMel = 1000.0 / fSp;
  if (m < minLogMel) return m * fSp;
  return 1000.0 * Math.exp((Math.log(6.4) / 27.0) * (m - minLogMel));
}

/** Configures the feature pipeline. Returns 0 on success, or a negative error code. */
export function configure(n: i32, hopSize: i32, mels: i32, sr: f64, fMin: f64, fMax: f64): i32 {
  if (n < 16 || (n & (n - 1)) != 0) return -1;
  if (hopSize <= 0 || hopSize > n) return -2;
  if (mels <= 0 || fMax <= fMin || fMax > sr / 2 || fMin < 0) return -3;
  nFft = n; hop = hopSize; nBins = (n >> 1) + 1; nMels = mels; sampleRate = sr;
  fftInit(n);
  window = allocF32(n);
  for (let i = 0; i < n; i++) stf(window, i, <f32>(0.5 - 0.5 * Math.cos(2.0 * Math.PI * <f64>i / <f64>n)));
  frameRe = allocF32(nBins + 3);
  frameIm = allocF32(nBins + 3);
  frameMag = allocF32(nBins + 3);
  frameTime = allocF32(n);
  // Filterbank exactly as torchaudio.functional.melscale_fbanks builds it.
  const mMin = hzToMelSlaney(fMin), mMax = hzToMelSlaney(fMax);
  melDense = allocF32(mels * nBins);
  melStart = allocF32(mels); melLen = allocF32(mels); melOffset = allocF32(mels);
  let total = 0;
  for (let m = 0; m < mels; m++) {
    const f0 = melToHzSlaney(mMin + (mMax - mMin) * <f64>m / <f64>(mels + 1));
    const f1 = melToHzSlaney(mMin + (mMax - mMin) * <f64>(m + 1) / <f64>(mels + 1));
    const f2 = melToHzSlaney(mMin + (mMax - mMin) * <f64>(m + 2) / <f64>(mels + 1));
    const enorm = 2.0 / (f2 - f0);
    let first = -1, last = -1;
    for (let k = 0; k < nBins; k++) {
      const f = (sr / 2.0) * <f64>k / <f64>(nBins - 1);
      const down = (f - f0) / (f1 - f0);
      const up = (f2 - f) / (f2 - f1);
      const w = Math.max(0.0, Math.min(down, up)) * enorm;
      stf(melDense, m * nBins + k, <f32>w);
      if (w > 0) { if (first < 0) first = k; last = k; }
    }
    if (first < 0) { first = 0; last = -1; }
    sti(melStart, m, first); sti(melLen, m, last - first + 1); sti(melOffset, m, total);
    total += last - first + 1;
  }
  melWeights = allocF32(total + 4);
  for (let m = 0; m < mels; m++) {
    const s = ldi(melStart, m), l = ldi(melLen, m), o = ldi(melOffset, m);
    for (let i = 0; i < l; i++) stf(melWeights, o + i, ldf(melDense, m * nBins + s + i));
  }
  return 0;
}

export function frameCountFor(nSamples: i32): i32 { return 1 + nSamples / hop; }

/** Reflect-pads x[0..n) by nFft/2 on both sides into the padded scratch. Needs n > nFft/2. */
function reflectPad(x: usize, n: i32): usize {
  const half = nFft >> 1;
  const p = padded.ensure(n + nFft + 4);
  memory.copy(p + (<usize>half << 2), x, <usize>n << 2);
  for (let i = 1; i <= half; i++) {
    stf(p, half - i, ldf(x, i));
    stf(p, half + n - 1 + i, ldf(x, n - 1 - i));
  }
  return p;
}

@inline function magnitudeOfFrame(): void {
  const b = nBins;
  let k = 0;
  for (; k + 4 <= b; k += 4) {
    const r = ldv(frameRe, k), i = ldv(frameIm, k);
    stv(frameMag, k, f32x4.sqrt(f32x4.add(f32x4.mul(r, r), f32x4.mul(i, i))));
  }
  for (; k < b; k++) {
    const r = ldf(frameRe, k), i = ldf(frameIm, k);
    stf(frameMag, k, Mathf.sqrt(r * r + i * i));
  }
}

/** mel[m] = Σ_k fb[m][k] · mag[k], over each filter's non-zero bins only. */
export function melOfMagnitude(mag: usize, out: usize, logFloor: f32, useLog: bool): void {
  for (let m = 0; m < nMels; m++) {
    const s = ldi(melStart, m), l = ldi(melLen, m), o = ldi(melOffset, m);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= l; i += 4) acc = f32x4.add(acc, f32x4.mul(ldv(melWeights, o + i), ldv(mag, s + i)));
    let v = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; i < l; i++) v += ldf(melWeights, o + i) * ldf(mag, s + i);
    if (useLog) v = Mathf.log(Mathf.max(v, logFloor));
    stf(out, m, v);
  }
}

/** Mel spectrogram of x[0..n): writes frames × nMels (frame-major) to out. Returns the frame count, or -1. */
export function melSpectrogram(x: usize, n: i32, out: usize, logFloor: f32, useLog: bool): i32 {
  if (n <= (nFft >> 1)) return -1;
  const p = reflectPad(x, n);
  const frames = frameCountFor(n);
  for (let f = 0; f < frames; f++) {
    rfft(p + (<usize>(f * hop) << 2), window, frameRe, frameIm);
    magnitudeOfFrame();
    melOfMagnitude(frameMag, out + (<usize>(f * nMels) << 2), logFloor, useLog);
  }
  return frames;
}

/** Complex STFT: writes frames × nBins to re/im. Returns the frame count, or -1 if the signal is too short. */
export function stft(x: usize, n: i32, re: usize, im: usize): i32 {
  if (n <= (nFft >> 1)) return -1;
  const p = reflectPad(x, n);
  const frames = frameCountFor(n);
  for (let f = 0; f < frames; f++) {
    const o = <usize>(f * nBins) << 2;
    rfft(p + (<usize>(f * hop) << 2), window, re + o, im + o);
  }
  return frames;
}

/** Magnitude STFT: writes frames × nBins. Returns the frame count, or -1. */
export function stftMagnitude(x: usize, n: i32, out: usize): i32 {
  if (n <= (nFft >> 1)) return -1;
  const p = reflectPad(x, n);
  const frames = frameCountFor(n);
  for (let f = 0; f < frames; f++) {
    rfft(p + (<usize>(f * hop) << 2), window, frameRe, frameIm);
    magnitudeOfFrame();
    memory.copy(out + (<usize>(f * nBins) << 2), frameMag, <usize>nBins << 2);
  }
  return frames;
}

/**
 * Inverse STFT (torch.istft, centre=True): windowed overlap-add divided by the summed squared window,
 * trimmed by nFft/2, `length` samples to out. Samples where the window sum is ~0 are written as 0.
 */
export function istft(re: usize, im: usize, frames: i32, out: usize, length: i32): void {
  const total = nFft + hop * (frames - 1);
  const y = ola.ensure(total + 4);
  const e = env.ensure(total + 4);
  memory.fill(y, 0, <usize>total << 2);
  memory.fill(e, 0, <usize>total << 2);
  for (let f = 0; f < frames; f++) {
    const o = <usize>(f * nBins) << 2;
    irfft(re + o, im + o, frameTime);
    const base = f * hop;
    let i = 0;
    for (; i + 4 <= nFft; i += 4) {
      const w = ldv(window, i);
      stv(y, base + i, f32x4.add(ldv(y, base + i), f32x4.mul(ldv(frameTime, i), w)));
      stv(e, base + i, f32x4.add(ldv(e, base + i), f32x4.mul(w, w)));
    }
  }
  const start = nFft >> 1;
  for (let i = 0; i < length; i++) {
    const t = start + i;
    let v: f32 = 0;
    if (t < total) {
      const d = ldf(e, t);
      if (d > <f32>1e-11) v = ldf(y, t) / d;
    }
    stf(out, i, v);
  }
}

export { frameRe, frameIm, frameMag, melStart, melLen, melOffset, melWeights };

/** Pointer to the analysis window f32[nFft]. */
export function windowPtr(): usize { return window; }
/** Pointer to the dense mel filterbank f32[nMels × nBins] (torchaudio's fb, transposed). */
export function melFilterbankPtr(): usize { return melDense; }
