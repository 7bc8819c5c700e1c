/**
 * HandResampler: irregular, jittery hand frames (60–90 Hz, dropped frames, gaps) → frames on a fixed
 * grid t_k = startSec + k / rateHz (the model's 30 Hz). Each output is produced as soon as an input at
 * or after its time exists (latency: at most one input period).
 *
 * The rule, per hand, for output time t between the input frames a (t_a ≤ t) and b (t_b ≥ t):
 * 1. both valid and t_b − t_a ≤ maxGapSec       → linear interpolation (jitter and dropped frames);
 * 2. otherwise, a valid and t − t_a ≤ holdSec   → hold a (a hand that just vanished);
 *    otherwise, b valid and t_b − t ≤ holdSec   → take b (a hand that is just appearing or returning);
 * 3. otherwise                                  → not tracked (zeros, as in the paper).
 * Consequences: a hand never moves along the straight line between where it vanished and where it
 * returns (no teleport sweep, hence no fake velocity and no fake contact sound); across a gap longer than
 * maxGapSec the output is zeros except for holdSec at either edge.
 *
 * Bad input never throws: a frame whose time is not after the previous one (time going backwards, or a
 * duplicate) is ignored and counted; non-finite keypoints drop that hand for that frame (HandFrame.sanitize).
 * Outputs wait in a fixed queue (`queueFrames`) until pulled; if the caller does not pull for a long time
 * (or a long stall produces many ticks at once) the oldest outputs are dropped and counted.
 * Allocation-free after construction.
 */
import { InvalidArgumentError } from '../errors.js';
import { HandFrame } from './hand-frame.js';
import { FLOATS_PER_HAND } from './joints.js';

export interface HandResamplerOptions {
  /** Output rate (the model's action rate). */
  rateHz: number;
  /** Time of output frame 0; default: the first input frame's time. */
  startSec?: number;
  /** Longest input gap bridged by interpolation. */
  maxGapSec: number;
  /** How long a hand's last (or first) valid pose may be held at the edge of a gap. */
  holdSec: number;
  /** Outputs kept until pulled. */
  queueFrames: number;
}

export class HandResampler {
  static getDefaults(): HandResamplerOptions {
    // 0.1 s bridges several dropped frames at 60–90 Hz yet is short next to a stroke; the hold of
    // 1/30 s covers one output period, so a hand vanishing between two ticks still reaches the next one.
    return { rateHz: 30, maxGapSec: 0.1, holdSec: 1 / 30, queueFrames: 64 };
  }

  readonly options: Readonly<HandResamplerOptions>;
  private readonly prev = new HandFrame();
  private readonly next = new HandFrame();
  private havePrev = false;
  private haveNext = false;
  private startSec = NaN;
  private tick = 0;
  private readonly queue: HandFrame[];
  private queueHead = 0;
  private queueCount = 0;
  /** Inputs ignored because their time was not after the previous input's (or not finite). */
  nonMonotonicFrames = 0;
  /** Hands dropped from single inputs because of NaN/±Infinity coordinates. */
  nonFiniteHands = 0;
  /** Outputs dropped because the queue was full. */
  droppedOutputs = 0;

  constructor(options: Partial<HandResamplerOptions> = {}) {
    const o = { ...HandResampler.getDefaults(), ...options };
    for (const [k, v] of [['rateHz', o.rateHz], ['maxGapSec', o.maxGapSec], ['holdSec', o.holdSec]] as const) {
      if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`HandResampler ${k} must be a positive number, got ${v}`);
    }
    if (!Number.isInteger(o.queueFrames) || o.queueFrames < 1) throw new InvalidArgumentError(`HandResampler queueFrames must be a positive integer, got ${o.queueFrames}`);
    if (o.startSec !== undefined && !Number.isFinite(o.startSec)) throw new InvalidArgumentError(`HandResampler startSec must be finite, got ${o.startSec}`);
    this.options = o;
    this.queue = Array.from({ length: o.queueFrames }, () => new HandFrame());
    if (o.startSec !== undefined) this.startSec = o.startSec;
  }

  /** Time of the next output frame to be computed (NaN before the first input when no startSec was given). */
  nextOutputSec(): number { return this.startSec + this.tick / this.options.rateHz; }

  /** Outputs ready to pull. */
  get pendingFrames(): number { return this.queueCount; }

  /** Feeds one input frame (copied) and computes the outputs it completes. Returns false when it was ignored. */
  push(frame: HandFrame): boolean {
    const t = frame.timeSec;
    const last = this.haveNext ? this.next.timeSec : -Infinity;
    if (!Number.isFinite(t) || !(t > last)) { this.nonMonotonicFrames++; return false; }
    if (this.haveNext) { this.prev.copyFrom(this.next); this.havePrev = true; }
    this.next.copyFrom(frame);
    this.nonFiniteHands += this.next.sanitize();
    this.haveNext = true;
    if (Number.isNaN(this.startSec)) this.startSec = t;
    // After a long stall, outputs that would only be pushed out of the queue again are skipped, not computed.
    const due = Math.floor((t - this.startSec) * this.options.rateHz + 1e-9) + 1 - this.tick;
    if (due > this.queue.length) {
      this.droppedOutputs += due - this.queue.length;
      this.tick += due - this.queue.length;
    }
    for (let tk = this.nextOutputSec(); tk <= t; tk = this.nextOutputSec()) {
      const out = this.enqueueSlot();
      out.timeSec = tk;
      const a = this.havePrev && this.prev.timeSec <= tk ? this.prev : null;
      for (let h = 0; h < 2; h++) this.resampleHand(h, tk, a, this.next, out);
      this.tick++;
    }
    return true;
  }

  /** Copies the oldest ready output into `out` and returns true, or returns false when none is ready. */
  pull(out: HandFrame): boolean {
    if (this.queueCount === 0) return false;
    out.copyFrom(this.queue[this.queueHead]!);
    this.queueHead = (this.queueHead + 1) % this.queue.length;
    this.queueCount--;
    return true;
  }

  /** Forgets all input and output (e.g. after the session restarted); the grid restarts at the next input unless startSec was given. */
  reset(): void {
    this.havePrev = this.haveNext = false;
    this.tick = 0;
    this.queueCount = 0;
    this.startSec = this.options.startSec ?? NaN;
  }

  private enqueueSlot(): HandFrame {
    const cap = this.queue.length;
    if (this.queueCount === cap) {
      this.queueHead = (this.queueHead + 1) % cap;
      this.queueCount--;
      this.droppedOutputs++;
    }
    const slot = this.queue[(this.queueHead + this.queueCount) % cap]!;
    this.queueCount++;
    return slot;
  }

  private resampleHand(h: number, t: number, a: HandFrame | null, b: HandFrame, out: HandFrame): void {
    const { maxGapSec, holdSec } = this.options;
    const base = h * FLOATS_PER_HAND;
    const aValid = a !== null && a.valid[h] === 1;
    const bValid = b.valid[h] === 1;
    const dst = out.keypointsM;
    if (aValid && bValid && b.timeSec - a!.timeSec <= maxGapSec) {
      const span = b.timeSec - a!.timeSec;
      const w = span > 0 ? (t - a!.timeSec) / span : 1;
      const ka = a!.keypointsM, kb = b.keypointsM;
      for (let i = base; i < base + FLOATS_PER_HAND; i++) dst[i] = ka[i]! + w * (kb[i]! - ka[i]!);
      out.valid[h] = 1;
    } else if (aValid && t - a!.timeSec <= holdSec) {
      copyHand(a!.keypointsM, dst, base);
      out.valid[h] = 1;
    } else if (bValid && b.timeSec - t <= holdSec) {
      copyHand(b.keypointsM, dst, base);
      out.valid[h] = 1;
    } else {
      dst.fill(0, base, base + FLOATS_PER_HAND);
      out.valid[h] = 0;
    }
  }
}

function copyHand(src: Float32Array, dst: Float32Array, base: number): void {
  for (let i = base; i < base + FLOATS_PER_HAND; i++) dst[i] = src[i]!;
}
