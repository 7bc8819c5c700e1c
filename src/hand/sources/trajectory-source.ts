/**
 * Plays a Trajectory as a HandSource: in real time (a timer delivers each frame when the clock reaches
 * its `t`, like a live session) or as fast as possible (`playAll`, for simulated-time rendering and tests).
 */
import { HandFrame } from '../hand-frame.js';
import { SceneRegistration } from '../registration.js';
import { deliverFrame, emptyStats, type HandFrameListener, type HandSource } from '../source.js';
import type { Trajectory } from '../trajectory.js';

export interface TrajectorySourceOptions {
  /** Playback speed for real-time playback (1 = as recorded). */
  speed: number;
  /** Restart at the end. */
  loop: boolean;
  /** Keypoints are re-expressed in the scene frame with this registration (default: as stored). */
  registration: SceneRegistration | null;
  /** Wall-clock source in milliseconds (tests may inject one). */
  nowMs: () => number;
}

export class TrajectorySource implements HandSource {
  readonly kind = 'trajectory';
  readonly stats = emptyStats();
  readonly options: TrajectorySourceOptions;
  private readonly frame = new HandFrame();
  private timer: ReturnType<typeof setInterval> | null = null;
  private listener: HandFrameListener | null = null;
  private next = 0;
  private startMs = 0;
  private lastTimeSec = -Infinity;
  private loopOffsetSec = 0;

  static getDefaults(): TrajectorySourceOptions {
    return { speed: 1, loop: false, registration: null, nowMs: () => performance.now() };
  }

  constructor(readonly trajectory: Trajectory, options: Partial<TrajectorySourceOptions> = {}) {
    this.options = { ...TrajectorySource.getDefaults(), ...options };
  }

  /** Delivers every frame now, in order, synchronously. */
  playAll(listener: HandFrameListener): void {
    for (let i = 0; i < this.trajectory.frameCount; i++) this.emit(i, 0, listener);
  }

  /** Real-time playback on a timer (polls every 4 ms, so frames leave within ~4 ms of their time). */
  start(listener: HandFrameListener): void {
    this.stop();
    this.listener = listener;
    this.next = 0;
    this.loopOffsetSec = 0;
    this.startMs = this.options.nowMs();
    this.timer = setInterval(() => this.tick(), 4);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  dispose(): void { this.stop(); this.listener = null; }

  get finished(): boolean { return this.timer === null && this.next >= this.trajectory.frameCount; }

  private tick(): void {
    const traj = this.trajectory;
    const t0 = traj.timesSec[0]!;
    const elapsedSec = ((this.options.nowMs() - this.startMs) / 1000) * this.options.speed;
    while (this.next < traj.frameCount && traj.timesSec[this.next]! - t0 + this.loopOffsetSec <= elapsedSec) {
      this.emit(this.next++, this.loopOffsetSec, this.listener);
      if (this.next === traj.frameCount && this.options.loop) {
        // Keep time increasing across loops: the next lap starts one mean frame period after the last frame.
        this.loopOffsetSec += traj.durationSec + traj.durationSec / Math.max(1, traj.frameCount - 1);
        this.next = 0;
      }
    }
    if (this.next >= traj.frameCount) this.stop();
  }

  private emit(i: number, offsetSec: number, listener: HandFrameListener | null): void {
    const f = this.trajectory.frameAt(i, this.frame);
    f.timeSec += offsetSec;
    this.options.registration?.applyInPlace(f);
    if (deliverFrame(f, this.lastTimeSec, listener, this.stats)) this.lastTimeSec = f.timeSec;
  }
}
