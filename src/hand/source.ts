/**
 * One interface for every origin of hand frames: a live WebXR session (Babylon), a Unity bridge, or a
 * file played back. A source calls its listener once per new frame with a frame object it owns and
 * reuses; the listener copies what it keeps (typically `ring.push(frame)`). A listener that throws is
 * caught and counted: nothing is ever thrown into an XR frame loop.
 */
import type { Vec3 } from '../audio/spherical-head.js';
import type { HandFrame } from './hand-frame.js';

export type HandFrameListener = (frame: HandFrame) => void;

export interface HandSourceStats {
  /** Frames delivered to the listener. */
  frames: number;
  /** Hands dropped from a frame because a coordinate was NaN/±Infinity. */
  nonFiniteHands: number;
  /** Frames not delivered because their time did not increase. */
  nonMonotonicFrames: number;
  /** Exceptions thrown by the listener (caught). */
  listenerErrors: number;
}

export type { Vec3 };
/**
 * The viewer's (head's) pose, in the same frame as the hand keypoints: position (m), forward and up directions. The
 * objects are the source's own, reused each frame: the listener copies what it keeps (as with frames).
 */
export type ViewerListener = (position: Vec3, forward: Vec3, up: Vec3) => void;

export interface HandSource {
  readonly kind: 'webxr-babylon' | 'trajectory' | (string & {});
  readonly stats: Readonly<HandSourceStats>;
  /**
   * Sources that know where the head is (a live XR session) call this once per frame, when set: HearingHands.attach
   * sets it so that its voices are heard from the head.
   */
  viewer?: ViewerListener | null;
  start(listener: HandFrameListener): void;
  stop(): void;
  dispose(): void;
}

export function emptyStats(): HandSourceStats {
  return { frames: 0, nonFiniteHands: 0, nonMonotonicFrames: 0, listenerErrors: 0 };
}

/** Sanitises, checks time order and delivers one frame; never throws (shared by all sources). */
export function deliverFrame(frame: HandFrame, lastTimeSec: number, listener: HandFrameListener | null, stats: HandSourceStats): boolean {
  if (!Number.isFinite(frame.timeSec) || !(frame.timeSec > lastTimeSec)) { stats.nonMonotonicFrames++; return false; }
  stats.nonFiniteHands += frame.sanitize();
  if (!listener) return true;
  try {
    listener(frame);
    stats.frames++;
  } catch {
    stats.listenerErrors++;
  }
  return true;
}
