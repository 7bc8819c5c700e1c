/**
 * ActionTimeline: the hand keypoints on the model's 30 Hz grid, measured where hand frames have arrived and
 * anticipated a little beyond. Live generation must run slightly ahead of the newest hand frame (the vocoder holds
 * back 16 ms and the 30 Hz grid point after a contact lies up to 33 ms after it), so the grid frames just past the
 * newest input are predicted: constant velocity from the last two valid frames of each hand, for at most
 * `maxAnticipationSec`, and never through a surface (the optional clamp moves keypoints back onto it: a hand
 * heading for the table is predicted to land on it, which is exactly the contact the sound needs).
 * Grid frame k sits at startSec + k / rateHz; startSec is the first frame's time.
 */
import { HandFrame } from '../hand/hand-frame.js';
import { HandResampler } from '../hand/resampler.js';
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from '../hand/joints.js';
import { InvalidArgumentError } from '../errors.js';

/** Moves the keypoints of one hand (63 floats, scene frame) out of any surface they would penetrate, in place. */
export type SurfaceClamp = (hand: Float32Array) => void;

export interface ActionTimelineOptions {
  rateHz: number;
  /** How far past the newest hand frame a hand may be predicted (default 0.06 s). */
  maxAnticipationSec: number;
  /** Measured grid frames kept (a ring; default 256 ≈ 8.5 s). */
  historyFrames: number;
  clamp?: SurfaceClamp;
}

export type GridFrameKind = 'measured' | 'predicted';

export class ActionTimeline {
  readonly options: ActionTimelineOptions;
  private readonly resampler: HandResampler;
  private readonly history: Float32Array;
  private readonly historyValid: Uint8Array;
  /** Grid frames measured so far (index of the next one). */
  measuredFrames = 0;
  startSec = NaN;
  /** Time of the newest hand frame pushed. */
  latestSec = -Infinity;
  private readonly last = [new HandFrame(), new HandFrame()]; // per hand: newest valid raw frame
  private readonly before = [new HandFrame(), new HandFrame()]; // per hand: the valid raw frame before it
  private readonly haveLast = [false, false];
  private readonly haveBefore = [false, false];
  private readonly pulled = new HandFrame();
  private readonly scratchHand = new Float32Array(FLOATS_PER_HAND);

  constructor(options: Partial<ActionTimelineOptions> = {}) {
    this.options = { rateHz: 30, maxAnticipationSec: 0.06, historyFrames: 256, ...options };
    const { rateHz, maxAnticipationSec, historyFrames } = this.options;
    if (!(rateHz > 0) || !(maxAnticipationSec >= 0) || !Number.isInteger(historyFrames) || historyFrames < 4) {
      throw new InvalidArgumentError(`invalid action timeline options ${JSON.stringify(this.options)}`);
    }
    this.resampler = new HandResampler({ rateHz, queueFrames: 64 });
    this.history = new Float32Array(historyFrames * FLOATS_PER_FRAME);
    this.historyValid = new Uint8Array(historyFrames * 2);
  }

  /** Takes one hand frame (any rate; bad frames are handled by the resampler's documented rules). */
  push(frame: HandFrame): void {
    if (!Number.isFinite(frame.timeSec) || frame.timeSec <= this.latestSec) {
      this.resampler.push(frame); // counted there as non-monotonic
      return;
    }
    if (Number.isNaN(this.startSec)) this.startSec = frame.timeSec;
    this.latestSec = frame.timeSec;
    this.resampler.push(frame);
    while (this.resampler.pull(this.pulled)) {
      const slot = this.measuredFrames % this.options.historyFrames;
      this.history.set(this.pulled.keypointsM, slot * FLOATS_PER_FRAME);
      this.historyValid[slot * 2] = this.pulled.valid[0]!;
      this.historyValid[slot * 2 + 1] = this.pulled.valid[1]!;
      this.measuredFrames++;
    }
    for (let h = 0; h < 2; h++) {
      if (!frame.valid[h] || !handFinite(frame, h)) continue;
      if (this.haveLast[h]) { this.before[h]!.copyFrom(this.last[h]!); this.haveBefore[h] = true; }
      this.last[h]!.copyFrom(frame);
      this.haveLast[h] = true;
    }
    for (let h = 0; h < 2; h++) {
      // A hand that is lost now must not be extrapolated from a stale pose later.
      if (!frame.valid[h]) { this.haveLast[h] = false; this.haveBefore[h] = false; }
    }
  }

  /** Time of grid frame k. */
  timeOf(k: number): number { return this.startSec + k / this.options.rateHz; }

  /**
   * Writes grid frame k (126 floats + 2 validity flags) and says whether it was measured or predicted. Frames older
   * than the history are refused; a hand that cannot be predicted is zeros (not tracked).
   */
  gridFrame(k: number, keypoints: Float32Array, valid: Uint8Array): GridFrameKind {
    const { historyFrames } = this.options;
    if (k < 0 || k < this.measuredFrames - historyFrames) throw new InvalidArgumentError(`grid frame ${k} is no longer kept`);
    if (k < this.measuredFrames) {
      const slot = k % historyFrames;
      keypoints.set(this.history.subarray(slot * FLOATS_PER_FRAME, (slot + 1) * FLOATS_PER_FRAME));
      valid[0] = this.historyValid[slot * 2]!;
      valid[1] = this.historyValid[slot * 2 + 1]!;
      return 'measured';
    }
    const t = this.timeOf(k);
    for (let h = 0; h < 2; h++) {
      const out = keypoints.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
      valid[h] = this.predictHand(h, t, out) ? 1 : 0;
      if (!valid[h]) out.fill(0);
    }
    return 'predicted';
  }

  private predictHand(h: number, t: number, out: Float32Array): boolean {
    if (!this.haveLast[h]) return false;
    const last = this.last[h]!;
    const ahead = t - last.timeSec;
    if (ahead > this.options.maxAnticipationSec + 1 / this.options.rateHz) return false;
    const p = last.keypointsM.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
    if (!this.haveBefore[h] || ahead <= 0) { out.set(p); return true; }
    const prev = this.before[h]!;
    const dt = last.timeSec - prev.timeSec;
    const q = prev.keypointsM.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
    const lead = Math.min(ahead, this.options.maxAnticipationSec);
    for (let i = 0; i < FLOATS_PER_HAND; i++) out[i] = p[i]! + ((p[i]! - q[i]!) / dt) * lead;
    if (this.options.clamp) {
      this.scratchHand.set(out);
      this.options.clamp(this.scratchHand);
      out.set(this.scratchHand);
    }
    return true;
  }

  /** Hand frames the resampler refused or repaired (for the HUD and tests). */
  counters(): { nonMonotonicFrames: number; nonFiniteHands: number } {
    return { nonMonotonicFrames: this.resampler.nonMonotonicFrames, nonFiniteHands: this.resampler.nonFiniteHands };
  }
}

function handFinite(frame: HandFrame, h: number): boolean {
  const kp = frame.keypointsM;
  for (let i = h * FLOATS_PER_HAND; i < (h + 1) * FLOATS_PER_HAND; i++) if (!Number.isFinite(kp[i]!)) return false;
  return true;
}
