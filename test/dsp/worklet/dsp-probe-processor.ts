/**
 * Test processor: proves the DSP core instantiates synchronously inside a real AudioWorkletGlobalScope and runs
 * without allocating in process(). It synthesises a 16 kHz tone and streams it through the WASM resampler to the
 * context rate.
 */
import { Dsp } from '../../../src/dsp/index.js';
import type { Resampler } from '../../../src/dsp/index.js';

declare const sampleRate: number;
declare class AudioWorkletProcessor { readonly port: MessagePort; }
declare function registerProcessor(name: string, ctor: unknown): void;

const SOURCE_RATE = 16000;

class DspProbeProcessor extends AudioWorkletProcessor {
  private readonly resampler: Resampler;
  private readonly chunk = new Float32Array(64);
  private readonly converted: Float32Array;
  private readonly fifo = new Float32Array(8192);
  private fifoRead = 0;
  private fifoWrite = 0;
  private phase = 0;

  constructor() {
    super();
    const dsp = Dsp.createSync();
    this.resampler = dsp.createResampler(SOURCE_RATE, sampleRate);
    this.converted = new Float32Array(this.resampler.maxOutput(this.chunk.length));
    this.port.postMessage({ type: 'ready', latency: this.resampler.latencyInputSamples });
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    while (this.fifoWrite - this.fifoRead < out.length) {
      for (let i = 0; i < this.chunk.length; i++) {
        this.chunk[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * this.phase++) / SOURCE_RATE);
      }
      const n = this.resampler.processInto(this.chunk, this.converted);
      for (let i = 0; i < n; i++) this.fifo[this.fifoWrite++ & 8191] = this.converted[i]!;
    }
    for (let i = 0; i < out.length; i++) out[i] = this.fifo[this.fifoRead++ & 8191]!;
    return true;
  }
}

registerProcessor('dsp-probe', DspProbeProcessor);
