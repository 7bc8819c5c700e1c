/**
 * ChunkRing: a single-producer/single-consumer ring of timestamped PCM chunks over one SharedArrayBuffer, from the
 * vocoder (a Worker) to the AudioWorklet that plays them. After Chrome Labs' FreeQueue:
 * - each side owns one index and is its only writer (producer `writeSeq`, consumer `readSeq`), stored with Atomics
 *   after the data, so a consumer that sees the index also sees the chunk;
 * - N+1 slots tell full from empty; `push` and `pull` never block and return whether they did anything;
 * - unlike the hand ring, nothing is ever dropped silently: a full ring refuses the push (the producer is ahead
 *   of the audio clock by more than the ring holds and should wait), because dropping audio would be audible;
 * - the consumer also publishes the audio clock (`playheadFrame`) and its counters through the same buffer, so
 *   the producer can schedule chunks on the audio clock without messages.
 * Nothing here allocates after construction.
 */
import { InvalidArgumentError } from '../errors.js';

const WRITE_SEQ = 0;
const READ_SEQ = 1;
const CAPACITY = 2;
const MAX_SAMPLES = 3;
const PLAYHEAD = 4;      // audio-clock frame of the last rendered block's end (wraps at 2^31, ~12 h at 48 kHz)
const UNDERRUNS = 5;     // blocks that ran out of audio while a sound was playing
const LATE_CHUNKS = 6;   // chunks that arrived entirely in the past
const MAGIC = 7;
const HEADER_INTS = 8;
const MAGIC_VALUE = 0x43524e47; // 'CRNG'

export interface ChunkRingLayout {
  /** Chunks the ring holds (N; the ring has N+1 slots). */
  capacityChunks: number;
  /** Largest chunk, in samples. */
  maxChunkSamples: number;
}

export function chunkRingByteLength({ capacityChunks, maxChunkSamples }: ChunkRingLayout): number {
  const slots = capacityChunks + 1;
  return 4 * HEADER_INTS + 8 * slots /* start frames */ + 8 * slots /* lengths and flags */ + 4 * maxChunkSamples * slots;
}

export class ChunkRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacityChunks: number;
  readonly maxChunkSamples: number;
  private readonly slots: number;
  private readonly header: Int32Array;
  private readonly starts: Float64Array;
  private readonly lengths: Int32Array;
  /** Per slot: 1 = splice (see push). */
  private readonly flags: Int32Array;
  private readonly samples: Float32Array;
  /** Start frame of the chunk returned by the last successful pull. */
  lastStartFrame = 0;
  /** Whether the chunk returned by the last successful pull is to be spliced in (see push). */
  lastSplice = false;

  private constructor(buffer: SharedArrayBuffer, capacityChunks: number, maxChunkSamples: number) {
    this.buffer = buffer;
    this.capacityChunks = capacityChunks;
    this.maxChunkSamples = maxChunkSamples;
    this.slots = capacityChunks + 1;
    let offset = 4 * HEADER_INTS;
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.starts = new Float64Array(buffer, offset, this.slots);
    offset += 8 * this.slots;
    this.lengths = new Int32Array(buffer, offset, this.slots);
    this.flags = new Int32Array(buffer, offset + 4 * this.slots, this.slots);
    offset += 8 * this.slots;
    this.samples = new Float32Array(buffer, offset, maxChunkSamples * this.slots);
  }

  /** Creates a ring in a new SharedArrayBuffer. */
  static create(layout: ChunkRingLayout): ChunkRing {
    const { capacityChunks, maxChunkSamples } = layout;
    if (!Number.isInteger(capacityChunks) || capacityChunks < 1 || capacityChunks > 4096) {
      throw new InvalidArgumentError(`capacityChunks must be an integer in 1…4096, got ${capacityChunks}`);
    }
    if (!Number.isInteger(maxChunkSamples) || maxChunkSamples < 1 || maxChunkSamples > 1 << 20) {
      throw new InvalidArgumentError(`maxChunkSamples must be an integer in 1…2^20, got ${maxChunkSamples}`);
    }
    const ring = new ChunkRing(new SharedArrayBuffer(chunkRingByteLength(layout)), capacityChunks, maxChunkSamples);
    ring.header[CAPACITY] = capacityChunks;
    ring.header[MAX_SAMPLES] = maxChunkSamples;
    Atomics.store(ring.header, MAGIC, MAGIC_VALUE);
    return ring;
  }

  /** Attaches to a ring made by `create` (e.g. in the AudioWorklet, from processorOptions). */
  static attach(buffer: SharedArrayBuffer): ChunkRing {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < 4 * HEADER_INTS) {
      throw new InvalidArgumentError('ChunkRing.attach needs the SharedArrayBuffer of a ChunkRing');
    }
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    if (Atomics.load(header, MAGIC) !== MAGIC_VALUE) throw new InvalidArgumentError('buffer is not a ChunkRing');
    const layout = { capacityChunks: header[CAPACITY]!, maxChunkSamples: header[MAX_SAMPLES]! };
    if (buffer.byteLength !== chunkRingByteLength(layout)) throw new InvalidArgumentError('ChunkRing buffer has the wrong size');
    return new ChunkRing(buffer, layout.capacityChunks, layout.maxChunkSamples);
  }

  /** Chunks waiting to be pulled. */
  available(): number {
    return (Atomics.load(this.header, WRITE_SEQ) - Atomics.load(this.header, READ_SEQ)) | 0;
  }

  /**
   * Producer: queues `samples` to start at audio-clock frame `startFrame`. Returns false (and queues nothing)
   * when the ring is full. Chunks longer than maxChunkSamples are a caller error. `splice`: the chunk re-renders audio
   * queued before and equals it up to its first changed sample, so it replaces it from its start without a crossfade.
   */
  push(startFrame: number, samples: Float32Array, length = samples.length, splice = false): boolean {
    if (length > this.maxChunkSamples || length < 1 || length > samples.length) {
      throw new InvalidArgumentError(`chunk of ${length} samples; the ring takes 1…${this.maxChunkSamples}`);
    }
    if (!Number.isFinite(startFrame)) throw new InvalidArgumentError(`chunk start frame must be finite, got ${startFrame}`);
    const w = Atomics.load(this.header, WRITE_SEQ);
    const r = Atomics.load(this.header, READ_SEQ);
    if (((w - r) | 0) >= this.capacityChunks) return false;
    const slot = (w >>> 0) % this.slots;
    this.starts[slot] = startFrame;
    this.lengths[slot] = length;
    this.flags[slot] = splice ? 1 : 0;
    const base = slot * this.maxChunkSamples;
    for (let i = 0; i < length; i++) this.samples[base + i] = samples[i]!;
    Atomics.store(this.header, WRITE_SEQ, (w + 1) | 0);
    return true;
  }

  /** Consumer: copies the oldest chunk into `out` and returns its length (0 when empty); its start frame is in lastStartFrame. */
  pull(out: Float32Array): number {
    const r = Atomics.load(this.header, READ_SEQ);
    const w = Atomics.load(this.header, WRITE_SEQ);
    if (r === w) return 0;
    const slot = (r >>> 0) % this.slots;
    const length = this.lengths[slot]!;
    this.lastStartFrame = this.starts[slot]!;
    this.lastSplice = this.flags[slot] === 1;
    const base = slot * this.maxChunkSamples;
    const n = Math.min(length, out.length);
    for (let i = 0; i < n; i++) out[i] = this.samples[base + i]!;
    Atomics.store(this.header, READ_SEQ, (r + 1) | 0);
    return n;
  }

  /** Consumer: publishes the audio clock (frames) after rendering a block. */
  setPlayhead(frame: number): void { Atomics.store(this.header, PLAYHEAD, frame | 0); }
  /** Producer: the audio clock as last published by the consumer. */
  playhead(): number { return Atomics.load(this.header, PLAYHEAD) >>> 0; }

  countUnderrun(): void { Atomics.add(this.header, UNDERRUNS, 1); }
  countLateChunk(): void { Atomics.add(this.header, LATE_CHUNKS, 1); }
  underruns(): number { return Atomics.load(this.header, UNDERRUNS); }
  lateChunks(): number { return Atomics.load(this.header, LATE_CHUNKS); }
}
