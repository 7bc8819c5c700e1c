/**
 * Trajectory: a whole hand recording in memory (flat typed arrays, frame-major), the common form of the
 * JSON file, its binary twin and HaMeR `.npy` arrays. Frame i: time timesSec[i], keypoints
 * keypointsM[i·126 … i·126+125] ([hand][keypoint][xyz], hand 0 = left), validity valid[2i], valid[2i+1].
 */
import { InvalidTrajectoryError } from '../errors.js';
import { HandFrame } from './hand-frame.js';
import { FLOATS_PER_FRAME } from './joints.js';

export interface TrajectoryInfo {
  /** The touched material, when no scene is given (DESIGN.md). */
  material?: string;
  /** A scene file the trajectory was captured in, when known. */
  scene?: string;
}

export class Trajectory {
  readonly timesSec: Float64Array;
  readonly keypointsM: Float32Array;
  readonly valid: Uint8Array;
  readonly info: TrajectoryInfo;

  constructor(timesSec: Float64Array, keypointsM: Float32Array, valid: Uint8Array, info: TrajectoryInfo = {}) {
    const n = timesSec.length;
    if (keypointsM.length !== n * FLOATS_PER_FRAME || valid.length !== 2 * n) {
      throw new InvalidTrajectoryError(`trajectory arrays disagree: ${n} times, ${keypointsM.length} keypoint floats (want ${n * FLOATS_PER_FRAME}), ${valid.length} flags (want ${2 * n})`);
    }
    for (let i = 0; i < n; i++) {
      const t = timesSec[i]!;
      if (!Number.isFinite(t)) throw new InvalidTrajectoryError(`frame ${i}: time ${t} is not finite`);
      if (i > 0 && !(t > timesSec[i - 1]!)) throw new InvalidTrajectoryError(`frame ${i}: time ${t} s is not after the previous frame's ${timesSec[i - 1]} s (time must increase)`);
    }
    // Invariant shared with HandFrame: an untracked hand is zeros.
    for (let i = 0; i < 2 * n; i++) {
      if (valid[i]! > 1) throw new InvalidTrajectoryError(`frame ${i >> 1}: validity flag must be 0 or 1`);
      if (!valid[i]) keypointsM.fill(0, i * 63, i * 63 + 63);
    }
    for (let i = 0; i < keypointsM.length; i++) {
      const x = keypointsM[i]!;
      if (x - x !== 0) throw new InvalidTrajectoryError(`frame ${Math.floor(i / FLOATS_PER_FRAME)}: keypoint value ${x} is not finite`);
    }
    this.timesSec = timesSec;
    this.keypointsM = keypointsM;
    this.valid = valid;
    this.info = info;
  }

  get frameCount(): number { return this.timesSec.length; }

  get durationSec(): number { return this.frameCount ? this.timesSec[this.frameCount - 1]! - this.timesSec[0]! : 0; }

  /** Copies frame i into `out`. */
  frameAt(i: number, out: HandFrame): HandFrame {
    out.timeSec = this.timesSec[i]!;
    out.keypointsM.set(this.keypointsM.subarray(i * FLOATS_PER_FRAME, (i + 1) * FLOATS_PER_FRAME));
    out.valid[0] = this.valid[2 * i]!;
    out.valid[1] = this.valid[2 * i + 1]!;
    return out;
  }

  /** Builds a trajectory from frames (copied), e.g. frames captured from a live source. */
  static fromFrames(frames: readonly HandFrame[], info: TrajectoryInfo = {}): Trajectory {
    const n = frames.length;
    const times = new Float64Array(n), kp = new Float32Array(n * FLOATS_PER_FRAME), valid = new Uint8Array(2 * n);
    frames.forEach((f, i) => {
      times[i] = f.timeSec;
      kp.set(f.keypointsM, i * FLOATS_PER_FRAME);
      valid[2 * i] = f.valid[0]!;
      valid[2 * i + 1] = f.valid[1]!;
    });
    return new Trajectory(times, kp, valid, info);
  }
}

/**
 * Appends live frames to growable arrays (for capture from an XR session): amortised O(1), copies each
 * frame. Frames whose time does not increase, or whose values are not finite, are sanitised the same way
 * as everywhere else (dropped frame / dropped hand) rather than failing the capture.
 */
export class TrajectoryRecorder {
  private times = new Float64Array(256);
  private kp = new Float32Array(256 * FLOATS_PER_FRAME);
  private valid = new Uint8Array(512);
  private n = 0;
  private readonly scratch = new HandFrame();
  droppedFrames = 0;

  constructor(readonly info: TrajectoryInfo = {}) {}

  get frameCount(): number { return this.n; }

  add(frame: HandFrame): boolean {
    if (!Number.isFinite(frame.timeSec) || (this.n > 0 && !(frame.timeSec > this.times[this.n - 1]!))) {
      this.droppedFrames++;
      return false;
    }
    if (this.n === this.times.length) this.grow();
    const f = this.scratch.copyFrom(frame);
    f.sanitize();
    this.times[this.n] = f.timeSec;
    this.kp.set(f.keypointsM, this.n * FLOATS_PER_FRAME);
    this.valid[2 * this.n] = f.valid[0]!;
    this.valid[2 * this.n + 1] = f.valid[1]!;
    this.n++;
    return true;
  }

  toTrajectory(): Trajectory {
    return new Trajectory(this.times.slice(0, this.n), this.kp.slice(0, this.n * FLOATS_PER_FRAME), this.valid.slice(0, 2 * this.n), { ...this.info });
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap); t.set(this.times); this.times = t;
    const k = new Float32Array(cap * FLOATS_PER_FRAME); k.set(this.kp); this.kp = k;
    const v = new Uint8Array(cap * 2); v.set(this.valid); this.valid = v;
  }
}
