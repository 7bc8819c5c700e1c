/** Test-side spectral analysis in float64 with fft.js (an independent FFT), Blackman-Harris windowed. */
import FFT from 'fft.js';

/** Power spectrum in dB (relative to full scale) of x[start .. start+size), size a power of two. */
export function powerSpectrumDb(x: Float32Array, start: number, size: number): Float64Array {
  const fft = new FFT(size);
  const input = new Array<number>(size);
  const a0 = 0.35875, a1 = 0.48829, a2 = 0.14128, a3 = 0.01168;
  let wsum = 0;
  for (let i = 0; i < size; i++) {
    const p = (2 * Math.PI * i) / (size - 1);
    const w = a0 - a1 * Math.cos(p) + a2 * Math.cos(2 * p) - a3 * Math.cos(3 * p);
    wsum += w;
    input[i] = (x[start + i] ?? 0) * w;
  }
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const db = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) {
    const re = out[2 * k]!, im = out[2 * k + 1]!;
    const amp = (2 * Math.sqrt(re * re + im * im)) / wsum;
    db[k] = 20 * Math.log10(amp + 1e-20);
  }
  return db;
}

/** Largest level in dB over bins whose frequency lies in [loHz, hiHz]. */
export function maxDbInBand(db: Float64Array, sampleRate: number, loHz: number, hiHz: number): number {
  const size = (db.length - 1) * 2;
  let m = -Infinity;
  for (let k = 0; k < db.length; k++) {
    const f = (k * sampleRate) / size;
    if (f >= loHz && f <= hiHz) m = Math.max(m, db[k]!);
  }
  return m;
}

export function seededNoise(n: number, seed = 1, amplitude = 0.5): Float32Array {
  let s = seed >>> 0 || 1;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    x[i] = ((s / 2 ** 32) * 2 - 1) * amplitude;
  }
  return x;
}

export function tones(n: number, sampleRate: number, freqsHz: number[], amplitude = 0.2): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const f of freqsHz) v += Math.sin((2 * Math.PI * f * i) / sampleRate);
    x[i] = v * amplitude;
  }
  return x;
}

export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
