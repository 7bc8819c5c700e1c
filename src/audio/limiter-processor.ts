/**
 * The output chain's limiter as an AudioWorklet processor, with no look-ahead: a native DynamicsCompressorNode (what
 * Tone.Limiter wraps) delays everything by its fixed 6 ms pre-delay, which would be 6 ms more motion-to-sound latency.
 * Peak limiting without look-ahead, with a soft knee: from `kneeDb` / 2 below the threshold the gain bends down
 * smoothly (quadratic in dB), so that the output meets the threshold where the input is `kneeDb` / 2 above it, and
 * never passes it. The gain follows the loudest channel at once and recovers exponentially (release). Below the
 * knee the signal passes unchanged. A hard knee (the gain dropping to threshold / peak the moment a peak crosses the
 * threshold) flattened the loud channel's peaks with a corner, and bent the other channel's slope at the same sample:
 * the IWER rig heard those as clicks when a model's strike, heard from the head, crossed −1 dBFS. Registered from the
 * playback worklet's module (playback-processor.ts), so the page loads one worklet file. process() never allocates.
 */
import { LIMITER_PROCESSOR_NAME } from './processor-names.js';
import { worklet } from './worklet-scope.js';
import { softKneeGain } from './soft-knee.js';


export interface LimiterProcessorOptions {
  /** Threshold in dBFS (default −1). */
  thresholdDb?: number;
  /** Time constant of the gain's recovery (default 0.25 s, Tone.Limiter's release). */
  releaseSec?: number;
  /** Width of the soft knee around the threshold in dB (default 6; 0 = a hard knee). */
  kneeDb?: number;
}

class LimiterProcessor extends worklet.AudioWorkletProcessor {
  private readonly thresholdDb: number;
  private readonly kneeDb: number;
  /** Peaks below this (linear) pass at gain 1 without a logarithm. */
  private readonly kneeStart: number;
  private readonly release: number;
  private gain = 1;

  constructor(options: { processorOptions?: LimiterProcessorOptions }) {
    super(options);
    const o = options.processorOptions ?? {};
    this.thresholdDb = o.thresholdDb ?? -1;
    this.kneeDb = Math.max(1e-6, o.kneeDb ?? 6);
    this.kneeStart = Math.pow(10, (this.thresholdDb - this.kneeDb / 2) / 20);
    this.release = 1 - Math.exp(-1 / ((o.releaseSec ?? 0.25) * worklet.sampleRate));
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0], output = outputs[0];
    if (!output || output.length === 0) return true;
    const n = output[0]!.length;
    if (!input || input.length === 0) {
      for (let c = 0; c < output.length; c++) output[c]!.fill(0);
      return true;
    }
    const rel = this.release, last = input.length - 1, start = this.kneeStart;
    let g = this.gain;
    for (let i = 0; i < n; i++) {
      let peak = 0;
      for (let c = 0; c <= last; c++) { const a = Math.abs(input[c]![i]!); if (a > peak) peak = a; }
      const target = peak > start ? softKneeGain(peak, this.thresholdDb, this.kneeDb) : 1;
      g = target < g ? target : g + (target - g) * rel;
      for (let c = 0; c < output.length; c++) output[c]![i] = input[c < last ? c : last]![i]! * g;
    }
    this.gain = g;
    return true;
  }
}

worklet.registerProcessor(LIMITER_PROCESSOR_NAME, LimiterProcessor);
