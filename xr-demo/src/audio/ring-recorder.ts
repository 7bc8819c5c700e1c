/**
 * Main-thread side of the recorder worklet (ring-recorder.processor.ts): creates the node and its ring, and reads
 * what was recorded by absolute sample index, so several readers (level meter, onset follower, capture, tests) can
 * each keep their own position.
 */
import { RING_HEADER_INTS, RING_RECORDER_PROCESSOR, type RingRecorderProcessorOptions } from './ring-layout.js';
import { InvalidArgumentError } from '../../../src/errors.js';

export class RingRecorder {
  readonly node: AudioWorkletNode;
  readonly sampleRate: number;
  private readonly header: Int32Array;
  private readonly data: Float32Array;

  private constructor(node: AudioWorkletNode, buffer: SharedArrayBuffer, sampleRate: number) {
    this.node = node;
    this.sampleRate = sampleRate;
    this.header = new Int32Array(buffer, 0, RING_HEADER_INTS);
    this.data = new Float32Array(buffer, RING_HEADER_INTS * 4);
  }

  /** `moduleUrl`: the bundled processor (added once per context by the caller or here). */
  static async create(context: BaseAudioContext, moduleUrl: string, seconds: number): Promise<RingRecorder> {
    if (!(seconds > 0 && seconds <= 600)) throw new InvalidArgumentError(`ring length must be in (0, 600] s, got ${seconds}`);
    await context.audioWorklet.addModule(moduleUrl);
    const capacity = 2 ** Math.ceil(Math.log2(seconds * context.sampleRate));
    const buffer = new SharedArrayBuffer(RING_HEADER_INTS * 4 + capacity * 4);
    const processorOptions: RingRecorderProcessorOptions = { buffer };
    const node = new AudioWorkletNode(context, RING_RECORDER_PROCESSOR, {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 1, channelCountMode: 'explicit', processorOptions,
    });
    return new RingRecorder(node, buffer, context.sampleRate);
  }

  /** Samples recorded so far (absolute count). */
  written(): number { return Atomics.load(this.header, 0); }

  /** Audio-clock frame of sample 0 (valid once written() > 0). */
  startFrame(): number { return Atomics.load(this.header, 1); }

  /** Oldest sample index still in the ring. */
  oldest(): number { return Math.max(0, this.written() - this.data.length); }

  /** Copies samples [from, from + out.length) into `out`; returns how many were available (older ones are gone). */
  read(from: number, out: Float32Array): number {
    const end = Math.min(this.written(), from + out.length);
    const start = Math.max(from, this.oldest());
    const mask = this.data.length - 1;
    for (let i = start; i < end; i++) out[i - from] = this.data[i & mask]!;
    return Math.max(0, end - start);
  }
}
