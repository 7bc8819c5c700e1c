/**
 * The room around the microphone, applied in place to the mixed contact sound (streaming, any block):
 * a short feedback-delay-network reverb (4 lines, Hadamard mixing, frequency-dependent damping: T60 of a
 * furnished room, 0.15–0.6 s), a soft limiter (a recorder's gain stage, never a hard clip), and the
 * microphone's noise floor. O(1) per sample, deterministic from its seed.
 */
import { InvalidArgumentError } from '../errors.js';

export interface RoomOptions {
  sampleRate?: number;
  /** Reverberation time (s); 0 = dry. */
  t60Sec?: number;
  /** Reverb level relative to the direct sound. */
  wetGain?: number;
  /** Noise floor level (dBFS RMS); -Infinity = none. */
  noiseFloorDb?: number;
  seed?: number;
}

const LINE_SAMPLES_16K = [353, 449, 587, 709];

export class Room {
  readonly sampleRate: number;
  readonly t60Sec: number;
  readonly wetGain: number;
  readonly noiseFloorDb: number;
  private readonly lines: Float64Array[];
  private readonly idx = [0, 0, 0, 0];
  private readonly fb: Float64Array;
  private readonly lp = new Float64Array(4);
  private readonly damp: number;
  private readonly noiseAmp: number;
  private noiseState: number;
  private noiseLp = 0;

  constructor(opts: RoomOptions = {}) {
    const fs = opts.sampleRate ?? 16000;
    const t60 = opts.t60Sec ?? 0.3, wet = opts.wetGain ?? 0.12, floor = opts.noiseFloorDb ?? -60;
    if (!(fs >= 8000 && fs <= 192000)) throw new InvalidArgumentError(`sampleRate must be in 8000…192000 Hz, got ${fs}`);
    if (!(t60 >= 0 && t60 <= 5)) throw new InvalidArgumentError(`t60Sec must be in 0…5 s, got ${t60}`);
    if (!(wet >= 0 && wet <= 2)) throw new InvalidArgumentError(`wetGain must be in 0…2, got ${wet}`);
    if (Number.isNaN(floor) || floor > -20) throw new InvalidArgumentError(`noiseFloorDb must be ≤ -20 dBFS, got ${floor}`);
    this.sampleRate = fs; this.t60Sec = t60; this.wetGain = wet; this.noiseFloorDb = floor;
    const lens = LINE_SAMPLES_16K.map((l) => Math.max(1, Math.round((l * fs) / 16000)));
    this.lines = lens.map((l) => new Float64Array(l));
    this.fb = Float64Array.from(lens, (l) => (t60 > 0 ? Math.pow(10, (-3 * l) / (t60 * fs)) : 0));
    this.damp = 0.35; // one-pole low-pass in the loop: high frequencies die first, as in real rooms
    // RMS of the low-passed uniform noise below is amplitude/3 (uniform σ² = 1/3, the low-pass keeps 1/3 of it).
    this.noiseAmp = Number.isFinite(floor) ? Math.pow(10, floor / 20) * 3 : 0;
    this.noiseState = ((opts.seed ?? 7) * 747796405 + 2891336453) >>> 0 || 1;
  }

  private tailEnergy = 0;

  /** Processes `buf[offset … offset+length)` in place. */
  process(buf: Float32Array, offset = 0, length = buf.length - offset): void {
    const [l0, l1, l2, l3] = this.lines as [Float64Array, Float64Array, Float64Array, Float64Array];
    const idx = this.idx, fb = this.fb, lp = this.lp, damp = this.damp, wet = this.wetGain;
    let useReverb = this.t60Sec > 0 && wet > 0;
    if (useReverb && this.tailEnergy < 1e-18) {
      // Silent input into a silent room: nothing to reverberate (the idle case of the live backend).
      let peak = 0;
      for (let i = offset; i < offset + length; i++) { const a = Math.abs(buf[i]!); if (a > peak) peak = a; }
      if (peak === 0) useReverb = false;
    }
    let tail = 0;
    for (let i = offset; i < offset + length; i++) {
      const dry = buf[i]!;
      let out = dry;
      if (useReverb) {
        const o0 = l0[idx[0]!]!, o1 = l1[idx[1]!]!, o2 = l2[idx[2]!]!, o3 = l3[idx[3]!]!;
        lp[0] = o0 + damp * (lp[0]! - o0); lp[1] = o1 + damp * (lp[1]! - o1);
        lp[2] = o2 + damp * (lp[2]! - o2); lp[3] = o3 + damp * (lp[3]! - o3);
        const a = lp[0]!, b = lp[1]!, c = lp[2]!, d = lp[3]!;
        // Hadamard 4×4 (orthogonal, /2) keeps the loop lossless before the per-line gains.
        l0[idx[0]!] = dry + 0.5 * fb[0]! * (a + b + c + d);
        l1[idx[1]!] = dry + 0.5 * fb[1]! * (a - b + c - d);
        l2[idx[2]!] = dry + 0.5 * fb[2]! * (a + b - c - d);
        l3[idx[3]!] = dry + 0.5 * fb[3]! * (a - b - c + d);
        if (++idx[0]! >= l0.length) idx[0] = 0;
        if (++idx[1]! >= l1.length) idx[1] = 0;
        if (++idx[2]! >= l2.length) idx[2] = 0;
        if (++idx[3]! >= l3.length) idx[3] = 0;
        const r = 0.5 * (o0 + o1 + o2 + o3);
        tail += r * r;
        out += wet * r;
      }
      // Soft knee above 0.8 so that loud slaps saturate like a recorder instead of wrapping.
      const mag = Math.abs(out);
      if (mag > 0.8) out = Math.sign(out) * (0.8 + 0.2 * Math.tanh((mag - 0.8) / 0.2));
      if (this.noiseAmp > 0) {
        let x = this.noiseState;
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        this.noiseState = x;
        this.noiseLp += 0.5 * ((x / 2147483648 - 1) - this.noiseLp);
        out += this.noiseAmp * this.noiseLp;
      }
      buf[i] = out;
    }
    if (useReverb) this.tailEnergy = tail / Math.max(1, length);
  }
}
