/** Test AudioWorklet: records its input into a SharedArrayBuffer, indexed by audio-clock frame from its first block. */
declare const currentFrame: number;
declare class AudioWorkletProcessor { readonly port: MessagePort; constructor(options?: unknown); }
declare function registerProcessor(name: string, ctor: unknown): void;

class RecorderProcessor extends AudioWorkletProcessor {
  private readonly header: Int32Array;
  private readonly data: Float32Array;
  private start = -1;
  constructor(options: { processorOptions: { buffer: SharedArrayBuffer } }) {
    super(options);
    this.header = new Int32Array(options.processorOptions.buffer, 0, 2);
    this.data = new Float32Array(options.processorOptions.buffer, 8);
  }
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const frame = Number(currentFrame);
    if (this.start < 0) { this.start = frame; Atomics.store(this.header, 0, frame); }
    const x = inputs[0]?.[0];
    const o = frame - this.start;
    if (x && o + x.length <= this.data.length) this.data.set(x, o);
    Atomics.store(this.header, 1, o + 128);
    const out = outputs[0]?.[0];
    if (out && x) out.set(x);
    return true;
  }
}
registerProcessor('test-recorder', RecorderProcessor);
