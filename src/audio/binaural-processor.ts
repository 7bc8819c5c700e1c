/**
 * A voice's low-latency binaural panner as an AudioWorklet processor (the spherical-head model: spherical-head.ts):
 * mono in, stereo out; each ear reads the input through its own fractional delay (the nearer ear: none) and its
 * head-shadow filter, times the distance gain. Parameters (k-rate AudioParams, set by the main thread from the hand's
 * and the head's poses): `lateral` (−1 left … +1 right) and `gain`. They glide to new values over ~5 ms, and the
 * delays and filters follow them sample by sample, so a moving hand never steps the waveform. Registered from the
 * playback worklet's module (playback-processor.ts), so the page loads one worklet file. process() never allocates.
 */
import { BINAURAL_PROCESSOR_NAME } from './processor-names.js';
import { worklet } from './worklet-scope.js';
import { earDelaySec, headShadowAlpha, headShadowCoefficients, headShadowK } from './spherical-head.js';


/** The delay line: a power of two above the largest interaural delay (0.66 ms = 32 frames at 48 kHz) plus a block. */
const LINE = 512;
/** Parameters glide to their targets with this time constant. */
const GLIDE_SEC = 0.005;

class BinauralProcessor extends worklet.AudioWorkletProcessor {
  static get parameterDescriptors() {
    return [
      { name: 'lateral', defaultValue: 0, minValue: -1, maxValue: 1, automationRate: 'k-rate' },
      { name: 'gain', defaultValue: 1, minValue: 0, maxValue: 16, automationRate: 'k-rate' },
    ];
  }

  private readonly line = new Float32Array(LINE);
  private write = 0;
  /** Per ear (0 left, 1 right): the delay (frames) and shadow gain at the end of the last block, the filter states. */
  private readonly delay = new Float64Array(2);
  private readonly alpha = new Float64Array(2);
  private readonly xPrev = new Float64Array(2);
  private readonly yPrev = new Float64Array(2);
  private lateral = 0;
  private gain = 1;
  private started = false;
  private readonly k: number;
  private readonly a1: number;

  constructor(options?: unknown) {
    super(options);
    this.k = headShadowK(worklet.sampleRate);
    this.a1 = headShadowCoefficients(1, worklet.sampleRate).a1; // the pole, whatever α (b0, b1 are linear in α: see process)
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean {
    const output = outputs[0];
    if (!output || output.length === 0) return true;
    const n = output[0]!.length;
    const input = inputs[0];
    const x = input && input.length > 0 ? input[0]! : null;
    const targetLateral = clampFinite(parameters['lateral']![0]!, -1, 1, this.lateral);
    const targetGain = clampFinite(parameters['gain']![0]!, 0, 16, this.gain);
    if (!this.started) { this.started = true; this.lateral = targetLateral; this.gain = targetGain; this.setEars(targetLateral, this.delay, this.alpha); }
    // This block's end values (a one-pole glide per block), reached linearly across the block.
    const g = 1 - Math.exp(-n / (GLIDE_SEC * worklet.sampleRate));
    const lateralEnd = this.lateral + (targetLateral - this.lateral) * g;
    const gainStart = this.gain, gainEnd = this.gain + (targetGain - this.gain) * g;
    const d0 = this.delay[0]!, d1 = this.delay[1]!, al0 = this.alpha[0]!, al1 = this.alpha[1]!;
    this.setEars(lateralEnd, this.delay, this.alpha);
    const dd0 = (this.delay[0]! - d0) / n, dd1 = (this.delay[1]! - d1) / n;
    const da0 = (this.alpha[0]! - al0) / n, da1 = (this.alpha[1]! - al1) / n;
    const dg = (gainEnd - gainStart) / n;
    const left = output[0]!, right = output.length > 1 ? output[1]! : null;
    const line = this.line, mask = LINE - 1, k = this.k, a1 = this.a1, inv = 1 / (1 + k);
    let w = this.write;
    let xl = this.xPrev[0]!, yl = this.yPrev[0]!, xr = this.xPrev[1]!, yr = this.yPrev[1]!;
    for (let i = 0; i < n; i++) {
      line[w] = x ? x[i]! : 0;
      const gi = gainStart + dg * (i + 1);
      // Each ear: its fractional delay (linear interpolation), then the head shadow with this sample's α.
      const vl = readDelayed(line, w, d0 + dd0 * (i + 1), mask);
      const vr = readDelayed(line, w, d1 + dd1 * (i + 1), mask);
      const aL = al0 + da0 * (i + 1), aR = al1 + da1 * (i + 1);
      const outL = ((1 + aL * k) * vl + (1 - aL * k) * xl) * inv - a1 * yl;
      const outR = ((1 + aR * k) * vr + (1 - aR * k) * xr) * inv - a1 * yr;
      xl = vl; yl = outL; xr = vr; yr = outR;
      left[i] = outL * gi;
      if (right) right[i] = outR * gi;
      w = (w + 1) & mask;
    }
    this.write = w;
    this.xPrev[0] = xl; this.yPrev[0] = flushDenormal(yl); this.xPrev[1] = xr; this.yPrev[1] = flushDenormal(yr);
    this.lateral = lateralEnd;
    this.gain = gainEnd;
    for (let c = 2; c < output.length; c++) output[c]!.fill(0);
    return true;
  }

  /** Each ear's delay (frames; the nearer ear's is 0) and shadow gain for a source at `lateral`. */
  private setEars(lateral: number, delay: Float64Array, alpha: Float64Array): void {
    const dl = earDelaySec(-lateral), dr = earDelaySec(lateral), common = Math.min(dl, dr);
    delay[0] = (dl - common) * worklet.sampleRate;
    delay[1] = (dr - common) * worklet.sampleRate;
    alpha[0] = headShadowAlpha(-lateral);
    alpha[1] = headShadowAlpha(lateral);
  }
}

function readDelayed(line: Float32Array, w: number, delay: number, mask: number): number {
  const i = Math.floor(delay), f = delay - i;
  const a = line[(w - i) & mask]!, b = line[(w - i - 1) & mask]!;
  return a + (b - a) * f;
}

function clampFinite(v: number, lo: number, hi: number, fallback: number): number {
  return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : fallback;
}

function flushDenormal(v: number): number { return Math.abs(v) < 1e-20 ? 0 : v; }

worklet.registerProcessor(BINAURAL_PROCESSOR_NAME, BinauralProcessor);
