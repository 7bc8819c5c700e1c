// Band-limited rational resampler (polyphase windowed sinc, Kaiser window). Streaming: each instance keeps its
// own input history, so chunks can be fed one by one and the output is the same as for the whole signal.
// The filter is centred on each output instant (zero phase); the cost is a lookahead of taps/2 input samples.
import { allocF32, ldf, stf, ldv } from './memory';

function besselI0(x: f64): f64 {
  let sum = 1.0, term = 1.0;
  const q = x * x / 4.0;
  for (let k = 1; k < 64; k++) {
    term *= q / (<f64>k * <f64>k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export class Resampler {
  up: i32 = 1;        // L
  down: i32 = 1;      // M
  taps: i32 = 4;      // T per phase (multiple of 4)
  coef: usize = 0;    // f32[L × T]
  buf: usize = 0;     // input history
  bufCap: i32 = 0;
  bufLen: i32 = 0;
  bufStart: i64 = 0;  // absolute input index of buf[0]
  nextOut: i64 = 0;   // absolute output index of the next sample to produce

  reset(): void {
    // T zeros standing for the input before the signal starts.
    memory.fill(this.buf, 0, <usize>this.taps << 2);
    this.bufLen = this.taps;
    this.bufStart = -<i64>this.taps;
    this.nextOut = 0;
  }
}

/**
 * Creates a resampler from inRate to outRate, reduced to up/down = L/M. passband and stopband are fractions of
 * the lower Nyquist frequency; attenuationDb sets the Kaiser window.
 */
export function resamplerCreate(up: i32, down: i32, inRate: f64, outRate: f64, passband: f64, stopband: f64, attenuationDb: f64): Resampler {
  const r = new Resampler();
  r.up = up; r.down = down;
  const nyqLow = Math.min(inRate, outRate) / 2.0;
  const transition = (stopband - passband) * nyqLow / inRate;   // cycles per input sample
  const cutoff = 0.5 * (stopband + passband) * nyqLow / inRate;  // cycles per input sample
  const beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7) : 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
  let taps = <i32>Math.ceil((attenuationDb - 7.95) / (2.285 * 2.0 * Math.PI * transition)) + 1;
  taps = (taps + 3) & ~3;
  r.taps = taps;
  r.coef = allocF32(up * taps);
  const half = <f64>taps / 2.0;
  const i0b = besselI0(beta);
  for (let p = 0; p < up; p++) {
    const frac = <f64>p / <f64>up;
    let sum = 0.0;
    for (let i = 0; i < taps; i++) {
      const d = frac - <f64>(i - (taps >> 1) + 1); // output instant minus input index
      const x = d / half;
      const w = Math.abs(x) >= 1.0 ? 0.0 : besselI0(beta * Math.sqrt(1.0 - x * x)) / i0b;
      const a = 2.0 * cutoff * d;
      const sinc = Math.abs(a) < 1e-12 ? 1.0 : Math.sin(Math.PI * a) / (Math.PI * a);
      const h = 2.0 * cutoff * sinc * w;
      stf(r.coef, p * taps + i, <f32>h);
      sum += h;
    }
    // Unit DC gain on every phase (no ripple on constant signals).
    for (let i = 0; i < taps; i++) stf(r.coef, p * taps + i, <f32>(<f64>ldf(r.coef, p * taps + i) / sum));
  }
  r.bufCap = taps * 4 + 4096;
  r.buf = allocF32(r.bufCap);
  r.reset();
  return r;
}

export function resamplerTaps(r: Resampler): i32 { return r.taps; }
export function resamplerReset(r: Resampler): void { r.reset(); }

/** Largest number of outputs that feeding nIn more samples can produce (for sizing the output buffer). */
export function resamplerMaxOut(r: Resampler, nIn: i32): i32 {
  return <i32>((<i64>(r.bufLen + nIn) * <i64>r.up) / <i64>r.down) + 2;
}

/** Feeds x[0..nIn) and writes every output that is now computable to out. Returns the output count. */
export function resamplerProcess(r: Resampler, x: usize, nIn: i32, out: usize): i32 {
  const T = r.taps, L = <i64>r.up, M = <i64>r.down;
  if (r.bufLen + nIn > r.bufCap) {
    let c = r.bufCap;
    while (c < r.bufLen + nIn) c <<= 1;
    const nb = allocF32(c);
    memory.copy(nb, r.buf, <usize>r.bufLen << 2);
    r.buf = nb; r.bufCap = c;
  }
  memory.copy(r.buf + (<usize>r.bufLen << 2), x, <usize>nIn << 2);
  r.bufLen += nIn;
  const end = r.bufStart + <i64>r.bufLen;
  let produced = 0;
  while (true) {
    const pos = r.nextOut * M;
    const base = pos / L;
    const first = base - <i64>(T >> 1) + 1;
    if (first + <i64>T > end) break;
    const phase = <i32>(pos % L);
    const src = r.buf + (<usize>(first - r.bufStart) << 2);
    const c = r.coef + (<usize>(phase * T) << 2);
    let acc = f32x4.splat(0);
    for (let i = 0; i < T; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(src + (<usize>i << 2)), ldv(c, i)));
    stf(out, produced, f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    produced++;
    r.nextOut++;
  }
  // Drop the input that no future output needs.
  const need = (r.nextOut * M) / L - <i64>(T >> 1) + 1;
  const drop = <i32>Math.min(<f64>(need - r.bufStart), <f64>r.bufLen);
  if (drop > 0) {
    memory.copy(r.buf, r.buf + (<usize>drop << 2), <usize>(r.bufLen - drop) << 2);
    r.bufLen -= drop;
    r.bufStart += <i64>drop;
  }
  return produced;
}
