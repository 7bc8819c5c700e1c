/**
 * AudioWorklet: copies its (mono) input into a SharedArrayBuffer ring and passes it through unchanged. Used twice by
 * the demo: after the output chain (what the user hears: HUD onsets, the test's recording) and on the microphone
 * (capture mode). Layout in ring-recorder.ts. No allocation, no messages in process().
 */
import { RING_HEADER_INTS, RING_RECORDER_PROCESSOR, type RingRecorderProcessorOptions } from './ring-layout.js';

declare const currentFrame: number;
declare class AudioWorkletProcessor { readonly port: MessagePort; constructor(options?: unknown); }
declare function registerProcessor(name: string, ctor: unknown): void;

class RingRecorderProcessor extends AudioWorkletProcessor {
  private readonly header: Int32Array;
  private readonly data: Float32Array;
  private readonly mask: number;
  private started = false;

  constructor(options: { processorOptions: RingRecorderProcessorOptions }) {
    super(options);
    const buf = options.processorOptions.buffer;
    this.header = new Int32Array(buf, 0, RING_HEADER_INTS);
    this.data = new Float32Array(buf, RING_HEADER_INTS * 4);
    this.mask = this.data.length - 1;
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const x = inputs[0]?.[0];
    const n = x?.length ?? 128;
    if (!this.started) { this.started = true; Atomics.store(this.header, 1, currentFrame); }
    let w = Atomics.load(this.header, 0);
    for (let i = 0; i < n; i++) this.data[(w + i) & this.mask] = x ? x[i]! : 0;
    w += n;
    Atomics.store(this.header, 0, w); // after the data: a reader never sees samples that are not there yet
    const out = outputs[0];
    if (out) for (const ch of out) { if (x) ch.set(x); else ch.fill(0); }
    return true;
  }
}
registerProcessor(RING_RECORDER_PROCESSOR, RingRecorderProcessor);
