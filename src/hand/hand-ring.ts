/**
 * HandRing: a single-producer/single-consumer ring of HandFrames over one SharedArrayBuffer, carrying
 * timestamped frames from the XR frame loop (producer) to the sampler Worker (consumer).
 *
 * Rules (after Chrome Labs' FreeQueue, adapted to a drop-oldest policy):
 * - Each side owns one index and is the only writer of it: the producer owns `writeSeq` (and the slot
 *   stamps), the consumer owns `readSeq`. Indices are 32-bit sequence numbers (slot = seq mod slots);
 *   differences are taken modulo 2^32, so wrap-around is harmless.
 * - A ring of capacity N has N+1 slots. Writing frame `w` overwrites frame `w − N − 1`; a consumer that
 *   picks its frame `r ≥ w − N` is therefore never overwritten by the very push it is racing with.
 * - `push` never blocks and never fails: when the consumer has fallen more than N frames behind, the
 *   OLDEST unread frames are dropped (the sampler wants the freshest motion, never stale motion).
 *   The consumer notices on its next `pull`, skips to the oldest surviving frame and counts the drop.
 * - Torn reads are impossible to observe: each slot has a stamp, set to `~seq` before its data are
 *   written and to `seq` after (Atomics). The consumer checks the stamp before and after copying; if the
 *   producer lapped it mid-copy, the copy is discarded and it moves on to a newer frame.
 * - `pull` never blocks; only a Worker may wait (`waitForFrame`, Atomics.wait). The producer notifies
 *   after each push unless told not to. Nothing here allocates after construction.
 */
import { InvalidArgumentError } from '../errors.js';
import { HandFrame } from './hand-frame.js';
import { FLOATS_PER_FRAME } from './joints.js';

const WRITE_SEQ = 0;
const READ_SEQ = 1;
const CAPACITY = 2;
const MAGIC = 3;
const DROPPED = 4;
const HEADER_INTS = 8;
const MAGIC_VALUE = 0x48524e47; // 'HRNG'
const MAX_CAPACITY = 1 << 20;

export interface HandRingOptions {
  /** Frames the ring holds before dropping the oldest (N; the ring has N+1 slots). */
  capacityFrames: number;
}

/** Bytes of the SharedArrayBuffer a ring of `capacityFrames` needs. */
export function handRingByteLength(capacityFrames: number): number {
  const slots = capacityFrames + 1;
  const stampsBytes = align8(4 * slots);
  return 4 * HEADER_INTS + stampsBytes + 8 * slots + 4 * FLOATS_PER_FRAME * slots + align8(2 * slots);
}

function align8(n: number): number { return (n + 7) & ~7; }

export class HandRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacityFrames: number;
  private readonly slots: number;
  private readonly header: Int32Array;
  private readonly stamps: Int32Array;
  private readonly timesSec: Float64Array;
  private readonly keypoints: Float32Array;
  /** One view per slot, made once: pull copies with `set` (memcpy) without allocating a subarray. */
  private readonly slotKeypoints: Float32Array[];
  private readonly valid: Uint8Array;
  /** Producer-side option: wake a consumer blocked in `waitForFrame` after each push. */
  notifyOnPush = true;

  /** A new, empty ring (on the producer's or the consumer's side; send `buffer` to the other). */
  static create(options: HandRingOptions): HandRing {
    const n = options.capacityFrames;
    if (!Number.isInteger(n) || n < 1 || n > MAX_CAPACITY) {
      throw new InvalidArgumentError(`HandRing capacityFrames must be an integer in 1..${MAX_CAPACITY}, got ${n}`);
    }
    if (typeof SharedArrayBuffer === 'undefined') {
      throw new InvalidArgumentError('SharedArrayBuffer is unavailable: serve the page with COOP same-origin and COEP require-corp');
    }
    const buffer = new SharedArrayBuffer(handRingByteLength(n));
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    header[CAPACITY] = n;
    header[MAGIC] = MAGIC_VALUE;
    return new HandRing(buffer);
  }

  /** Wraps a buffer made by `HandRing.create` (e.g. received by postMessage in a Worker). */
  static attach(buffer: SharedArrayBuffer): HandRing {
    return new HandRing(buffer);
  }

  private constructor(buffer: SharedArrayBuffer) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < 4 * HEADER_INTS) {
      throw new InvalidArgumentError('HandRing.attach needs the SharedArrayBuffer of a HandRing');
    }
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    const n = header[CAPACITY]!;
    if (header[MAGIC] !== MAGIC_VALUE || n < 1 || n > MAX_CAPACITY || buffer.byteLength !== handRingByteLength(n)) {
      throw new InvalidArgumentError('HandRing.attach: buffer is not a HandRing (bad magic, capacity or size)');
    }
    this.buffer = buffer;
    this.capacityFrames = n;
    this.slots = n + 1;
    this.header = header;
    let offset = 4 * HEADER_INTS;
    this.stamps = new Int32Array(buffer, offset, this.slots);
    offset += align8(4 * this.slots);
    this.timesSec = new Float64Array(buffer, offset, this.slots);
    offset += 8 * this.slots;
    this.keypoints = new Float32Array(buffer, offset, FLOATS_PER_FRAME * this.slots);
    this.slotKeypoints = Array.from({ length: this.slots }, (_, s) => new Float32Array(buffer, offset + 4 * FLOATS_PER_FRAME * s, FLOATS_PER_FRAME));
    offset += 4 * FLOATS_PER_FRAME * this.slots;
    this.valid = new Uint8Array(buffer, offset, 2 * this.slots);
    // Slot stamps need no initialisation: the consumer only reads a slot after writeSeq has passed it.
  }

  // ---- producer side -------------------------------------------------------------------------------

  /**
   * Copies `frame` into the ring. Never blocks. Returns false when this push dropped the oldest unread
   * frame (the consumer is more than N frames behind), true otherwise.
   */
  push(frame: HandFrame): boolean {
    const w = Atomics.load(this.header, WRITE_SEQ);
    const slot = (w >>> 0) % this.slots;
    Atomics.store(this.stamps, slot, ~w);
    this.timesSec[slot] = frame.timeSec;
    this.keypoints.set(frame.keypointsM, slot * FLOATS_PER_FRAME);
    this.valid[2 * slot] = frame.valid[0]!;
    this.valid[2 * slot + 1] = frame.valid[1]!;
    Atomics.store(this.stamps, slot, w);
    Atomics.store(this.header, WRITE_SEQ, (w + 1) | 0);
    if (this.notifyOnPush) Atomics.notify(this.header, WRITE_SEQ);
    return ((w + 1 - Atomics.load(this.header, READ_SEQ)) | 0) <= this.capacityFrames;
  }

  // ---- consumer side -------------------------------------------------------------------------------

  /**
   * Copies the oldest available frame into `out` and returns true, or returns false when the ring is
   * empty. Never blocks. Frames dropped by the producer are skipped (and counted in `droppedFrames`).
   */
  pull(out: HandFrame): boolean {
    let r = Atomics.load(this.header, READ_SEQ);
    for (;;) {
      const w = Atomics.load(this.header, WRITE_SEQ);
      const unread = (w - r) | 0;
      if (unread <= 0) return false;
      if (unread > this.capacityFrames) {
        const skip = unread - this.capacityFrames;
        Atomics.store(this.header, DROPPED, (Atomics.load(this.header, DROPPED) + skip) | 0);
        r = (r + skip) | 0;
        Atomics.store(this.header, READ_SEQ, r);
      }
      const slot = (r >>> 0) % this.slots;
      if (Atomics.load(this.stamps, slot) !== r) continue; // overwritten since we looked: re-read writeSeq
      out.timeSec = this.timesSec[slot]!;
      out.keypointsM.set(this.slotKeypoints[slot]!);
      out.valid[0] = this.valid[2 * slot]!;
      out.valid[1] = this.valid[2 * slot + 1]!;
      if (Atomics.load(this.stamps, slot) !== r) continue; // lapped mid-copy: discard, take a newer one
      Atomics.store(this.header, READ_SEQ, (r + 1) | 0);
      return true;
    }
  }

  /** Worker only (Atomics.wait): blocks until a frame is available or `timeoutMs` passes. */
  waitForFrame(timeoutMs: number): boolean {
    const r = Atomics.load(this.header, READ_SEQ);
    const w = Atomics.load(this.header, WRITE_SEQ);
    if (((w - r) | 0) > 0) return true;
    Atomics.wait(this.header, WRITE_SEQ, w, timeoutMs);
    return ((Atomics.load(this.header, WRITE_SEQ) - r) | 0) > 0;
  }

  // ---- either side (reads only) ----------------------------------------------------------------------

  /** Frames the consumer can pull now (at most capacityFrames). */
  availableFrames(): number {
    const unread = (Atomics.load(this.header, WRITE_SEQ) - Atomics.load(this.header, READ_SEQ)) | 0;
    return Math.min(Math.max(unread, 0), this.capacityFrames);
  }

  /** Frames pushed since creation (mod 2^32). */
  pushedFrames(): number { return Atomics.load(this.header, WRITE_SEQ) >>> 0; }

  /** Frames the consumer skipped because the producer overwrote them (drop-oldest). */
  droppedFrames(): number { return Atomics.load(this.header, DROPPED) >>> 0; }
}
