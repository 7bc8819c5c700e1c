/**
 * The output chain's limiter as an AudioWorklet processor, with no look-ahead: a native DynamicsCompressorNode (what
 * Tone.Limiter wraps) delays everything by its fixed 6 ms pre-delay, which would be 6 ms more motion-to-sound latency.
 * Peak limiting without look-ahead: the gain drops at once to keep the loudest channel at the threshold (the waveform
 * stays continuous: the output meets the threshold where the input crosses it) and recovers exponentially (release).
 * Below the threshold the signal passes unchanged. Registered from the playback worklet's module (playback-processor.ts),
 * so the page loads one worklet file. process() never allocates.
 */
import { LIMITER_PROCESSOR_NAME } from './processor-names.js';
import { worklet } from './worklet-scope.js';


export interface LimiterProcessorOptions {
  /** Threshold in dBFS (default −1). */
  thresholdDb?: number;
  /** Time constant of the gain's recovery (default 0.25 s, Tone.Limiter's release). */
  releaseSec?: number;
}

class LimiterProcessor extends worklet.AudioWorkletProcessor {
  private readonly threshold: number;
  private readonly release: number;
  private gain = 1;

  constructor(options: { processorOptions?: LimiterProcessorOptions }) {
    super(options);
    const o = options.processorOptions ?? {};
    this.threshold = Math.pow(10, (o.thresholdDb ?? -1) / 20);
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
    const thr = this.threshold, rel = this.release, last = input.length - 1;
    let g = this.gain;
    for (let i = 0; i < n; i++) {
      let peak = 0;
      for (let c = 0; c <= last; c++) { const a = Math.abs(input[c]![i]!); if (a > peak) peak = a; }
      const target = peak > thr ? thr / peak : 1;
      g = target < g ? target : g + (target - g) * rel;
      for (let c = 0; c < output.length; c++) output[c]![i] = input[c < last ? c : last]![i]! * g;
    }
    this.gain = g;
    return true;
  }
}

worklet.registerProcessor(LIMITER_PROCESSOR_NAME, LimiterProcessor);
