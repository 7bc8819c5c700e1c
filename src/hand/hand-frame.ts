/**
 * One instant of hand input: 2 hands × 21 keypoints × xyz (MANO order, metres, scene frame,
 * right-handed, +Y up), a validity flag per hand and a timestamp. Hand 0 is the left hand, hand 1 the
 * right (as in HaMeR's T × 2 × 21 × 3 arrays). A hand that is not tracked is all zeros with its flag
 * cleared, as in the paper.
 *
 * Frames are reused objects (no allocation on the hot path): sources fill one frame per XR frame and
 * consumers copy what they keep.
 */
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from './joints.js';

export const LEFT = 0;
export const RIGHT = 1;
export type HandIndex = typeof LEFT | typeof RIGHT;

export class HandFrame {
  /** Seconds on the producer's clock (XR frame time, or the trajectory's `t`). */
  timeSec = 0;
  /** [hand][keypoint][xyz], 126 floats, metres. */
  readonly keypointsM = new Float32Array(FLOATS_PER_FRAME);
  /** Per hand: 1 when tracked this frame, 0 when not (its keypoints are then zeros). */
  readonly valid = new Uint8Array(2);

  /** The 63 floats of one hand (a view, no copy; allocate these once, outside hot loops). */
  hand(h: HandIndex): Float32Array {
    return this.keypointsM.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
  }

  copyFrom(other: HandFrame): this {
    this.timeSec = other.timeSec;
    this.keypointsM.set(other.keypointsM);
    this.valid[0] = other.valid[0]!;
    this.valid[1] = other.valid[1]!;
    return this;
  }

  /** Marks hand `h` as not tracked: zeros and flag cleared. */
  clearHand(h: HandIndex): void {
    this.keypointsM.fill(0, h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
    this.valid[h] = 0;
  }

  clear(): void {
    this.keypointsM.fill(0);
    this.valid[0] = 0;
    this.valid[1] = 0;
  }

  /**
   * Enforces the frame's invariants in place, never throwing (this runs inside the XR frame loop):
   * a hand with any non-finite coordinate is dropped (zeros, invalid), and an invalid hand is zeroed.
   * Returns how many hands were dropped for non-finite values (0–2), so callers can count them.
   */
  sanitize(): number {
    let dropped = 0;
    for (let h = 0; h < 2; h++) {
      const base = h * FLOATS_PER_HAND;
      let finite = true;
      for (let i = base; i < base + FLOATS_PER_HAND; i++) {
        // x - x is NaN for NaN and ±Infinity, 0 otherwise: one test for both.
        const x = this.keypointsM[i]!;
        if (x - x !== 0) { finite = false; break; }
      }
      if (!finite && this.valid[h]) dropped++;
      if (!finite || !this.valid[h]) this.clearHand(h as HandIndex);
    }
    return dropped;
  }
}
