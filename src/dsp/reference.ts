/**
 * A plain, readable float64 reference of the audio features, used ONLY in tests to cross-check the WASM
 * kernels (src/dsp/index.ts) and, through the torchaudio fixtures, this file itself. It favours clarity
 * over speed: no buffer reuse, no SIMD, a textbook radix-2 FFT.
 *
 * Conventions follow torchaudio 0.13 (`torch.stft(center=True, pad_mode="reflect")`, periodic Hann,
 * `melscale_fbanks(norm="slaney", mel_scale="slaney")`, `torch.istft`). Spectra are frame-major:
 * element [frame * bins + bin].
 */
import { FEATURES, type FeatureSettings, frameCount } from './features.js';
import { InvalidArgumentError, InvalidAudioError, SignalTooShortError } from '../errors.js';

export interface ReferenceSpectrum {
  re: Float64Array;
  im: Float64Array;
  frames: number;
  bins: number;
}

/** Periodic Hann window (torch.hann_window(n, periodic=True)): 0.5 − 0.5·cos(2πk/n). */
export function periodicHann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let k = 0; k < length; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / length);
  return w;
}

/** Mirror `pad` samples at both ends without repeating the edge sample (numpy/torch "reflect"). */
export function reflectPad(signal: ArrayLike<number>, pad: number): Float64Array {
  const n = signal.length;
  if (pad >= n) {
    throw new SignalTooShortError(`reflect padding of ${pad} samples needs more than ${pad} samples, got ${n}`);
  }
  const out = new Float64Array(n + 2 * pad);
  for (let i = 0; i < out.length; i++) {
    let j = i - pad;
    if (j < 0) j = -j;
    else if (j >= n) j = 2 * (n - 1) - j;
    out[i] = signal[j]!;
  }
  return out;
}

/** In-place iterative radix-2 complex FFT (forward, no scaling). `re.length` must be a power of two. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n === 0 || (n & (n - 1)) !== 0) throw new InvalidArgumentError(`FFT size must be a power of two, got ${n}`);
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  // Butterflies; twiddles computed directly (accurate in float64, no recurrence drift).
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    for (let k = 0; k < half; k++) {
      const angle = (-2 * Math.PI * k) / size;
      const wr = Math.cos(angle);
      const wi = Math.sin(angle);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

function checkSignal(signal: ArrayLike<number>): void {
  if (signal.length === 0) throw new InvalidAudioError('empty signal');
  for (let i = 0; i < signal.length; i++) {
    if (!Number.isFinite(signal[i]!)) throw new InvalidAudioError(`sample ${i} is ${signal[i]}`);
  }
}

/** One-sided STFT: centre (reflect) padding, periodic Hann, hop from the settings. */
export function referenceStft(signal: ArrayLike<number>, settings: FeatureSettings = FEATURES): ReferenceSpectrum {
  checkSignal(signal);
  const { nFft, hop } = settings;
  const padded = reflectPad(signal, nFft / 2);
  const window = periodicHann(nFft);
  const frames = frameCount(signal.length, settings);
  const bins = nFft / 2 + 1;
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const fr = new Float64Array(nFft);
  const fi = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < nFft; k++) {
      fr[k] = padded[t * hop + k]! * window[k]!;
      fi[k] = 0;
    }
    fftInPlace(fr, fi);
    re.set(fr.subarray(0, bins), t * bins);
    im.set(fi.subarray(0, bins), t * bins);
  }
  return { re, im, frames, bins };
}

/** |STFT|, frames × bins. */
export function referenceMagnitude(signal: ArrayLike<number>, settings: FeatureSettings = FEATURES): Float64Array {
  const { re, im } = referenceStft(signal, settings);
  const mag = new Float64Array(re.length);
  for (let i = 0; i < re.length; i++) mag[i] = Math.hypot(re[i]!, im[i]!);
  return mag;
}

// Slaney's mel scale (librosa htk=False, torchaudio mel_scale="slaney"): linear below 1 kHz, log above.
const SLANEY_HZ_PER_MEL = 200 / 3;
const SLANEY_LOG_START_HZ = 1000;
const SLANEY_LOG_START_MEL = SLANEY_LOG_START_HZ / SLANEY_HZ_PER_MEL;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

export function hzToSlaneyMel(hz: number): number {
  if (hz < SLANEY_LOG_START_HZ) return hz / SLANEY_HZ_PER_MEL;
  return SLANEY_LOG_START_MEL + Math.log(hz / SLANEY_LOG_START_HZ) / SLANEY_LOG_STEP;
}

export function slaneyMelToHz(mel: number): number {
  if (mel < SLANEY_LOG_START_MEL) return mel * SLANEY_HZ_PER_MEL;
  return SLANEY_LOG_START_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_LOG_START_MEL));
}

/**
 * Triangular mel filters with Slaney area normalisation, bins × nMels (bin-major, torchaudio's
 * `melscale_fbanks` layout): element [bin * nMels + mel].
 */
export function referenceMelFilterbank(settings: FeatureSettings = FEATURES): Float64Array {
  const { nFft, nMels, sampleRate, fMin, fMax } = settings;
  const bins = nFft / 2 + 1;
  // Band edges equally spaced in mel: nMels + 2 points (left edge, centres, right edge).
  const melMin = hzToSlaneyMel(fMin);
  const melMax = hzToSlaneyMel(fMax);
  const edgesHz = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edgesHz[i] = slaneyMelToHz(melMin + ((melMax - melMin) * i) / (nMels + 1));
  const fb = new Float64Array(bins * nMels);
  for (let k = 0; k < bins; k++) {
    // torchaudio takes bin frequencies from linspace(0, sample_rate // 2, bins).
    const hz = (Math.floor(sampleRate / 2) * k) / (bins - 1);
    for (let m = 0; m < nMels; m++) {
      const left = edgesHz[m]!;
      const centre = edgesHz[m + 1]!;
      const right = edgesHz[m + 2]!;
      const rising = (hz - left) / (centre - left);
      const falling = (right - hz) / (right - centre);
      const weight = Math.max(0, Math.min(rising, falling));
      fb[k * nMels + m] = weight * (2 / (right - left));
    }
  }
  return fb;
}

/** Mel spectrogram, frames × nMels. `log` gives ln(max(mel, logFloor)) like the model's features. */
export function referenceMel(
  signal: ArrayLike<number>,
  opts: { log?: boolean } = {},
  settings: FeatureSettings = FEATURES,
): Float64Array {
  const mag = referenceMagnitude(signal, settings);
  const fb = referenceMelFilterbank(settings);
  const bins = settings.nFft / 2 + 1;
  const { nMels } = settings;
  const frames = mag.length / bins;
  const mel = new Float64Array(frames * nMels);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < nMels; m++) {
      let sum = 0;
      for (let k = 0; k < bins; k++) sum += fb[k * nMels + m]! * mag[t * bins + k]!;
      mel[t * nMels + m] = opts.log === false ? sum : Math.log(Math.max(sum, settings.logFloor));
    }
  }
  return mel;
}

/**
 * Inverse STFT as torch.istft does it: inverse real FFT per frame, window, overlap-add, divide by the
 * summed squared window, drop the centre padding, and cut or zero-fill to `length` samples.
 */
export function referenceIstft(
  spectrum: Pick<ReferenceSpectrum, 're' | 'im' | 'frames'>,
  length: number,
  settings: FeatureSettings = FEATURES,
): Float64Array {
  const { nFft, hop } = settings;
  const bins = nFft / 2 + 1;
  const { re, im, frames } = spectrum;
  if (re.length !== frames * bins || im.length !== frames * bins) {
    throw new InvalidArgumentError(`spectrum must hold ${frames} × ${bins} values, got ${re.length}/${im.length}`);
  }
  const window = periodicHann(nFft);
  const total = nFft + hop * (frames - 1);
  const sum = new Float64Array(total);
  const envelope = new Float64Array(total);
  const fr = new Float64Array(nFft);
  const fi = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    // Rebuild the full Hermitian spectrum; the inverse FFT is conj(FFT(conj(X))) / n. Like irfft, the
    // imaginary parts of the DC and Nyquist bins are ignored.
    for (let k = 0; k < nFft; k++) {
      const src = k < bins ? k : nFft - k;
      fr[k] = re[t * bins + src]!;
      fi[k] = k < bins ? -im[t * bins + src]! : im[t * bins + src]!;
    }
    fi[0] = 0;
    fi[nFft / 2] = 0;
    fftInPlace(fr, fi);
    for (let k = 0; k < nFft; k++) {
      const sample = fr[k]! / nFft;
      sum[t * hop + k] += sample * window[k]!;
      envelope[t * hop + k] += window[k]! * window[k]!;
    }
  }
  const out = new Float64Array(length);
  const start = nFft / 2;
  for (let i = 0; i < length && start + i < total; i++) {
    const env = envelope[start + i]!;
    out[i] = env > 1e-11 ? sum[start + i]! / env : 0;
  }
  return out;
}

/** Relative L2 error ‖a − b‖ / ‖b‖ (‖a − b‖ when b is all zeros). */
export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new InvalidArgumentError(`length mismatch: ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}
