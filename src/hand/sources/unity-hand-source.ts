/**
 * Hand frames pushed by a Unity WebGL build (the `.jslib` bridge): Unity XR Hands gives 26 joint
 * positions per hand (XRHandJointID order, Wrist first; Unity's left-handed, +Z-forward world). The bridge
 * calls `submit` once per Unity frame; this source maps to MANO 21 (Z negated to right-handed), applies
 * the registration and hands the frame to the listener. Never throws into the caller's frame loop.
 */
import { HandFrame, type HandIndex } from '../hand-frame.js';
import { UNITY_XR_HANDS_JOINTS } from '../joints.js';
import type { SceneRegistration } from '../registration.js';
import { manoFromUnityPositions } from '../remap.js';
import { deliverFrame, emptyStats, type HandFrameListener, type HandSource } from '../source.js';

const UNITY_FLOATS = UNITY_XR_HANDS_JOINTS.length * 3;

export class UnityHandSource implements HandSource {
  readonly kind = 'unity-xr-hands';
  readonly stats = emptyStats();
  private readonly frame = new HandFrame();
  private listener: HandFrameListener | null = null;
  private lastTimeSec = -Infinity;

  constructor(readonly options: { registration?: SceneRegistration | null } = {}) {}

  start(listener: HandFrameListener): void { this.listener = listener; }
  stop(): void { this.listener = null; }
  dispose(): void { this.stop(); }

  /** One Unity frame: 26 × xyz per tracked hand, or null for a hand that is not tracked. Returns whether it was delivered. */
  submit(timeSec: number, left: ArrayLike<number> | null, right: ArrayLike<number> | null): boolean {
    if (!this.listener) return false;
    const f = this.frame;
    f.timeSec = timeSec;
    this.fill(0, left);
    this.fill(1, right);
    this.options.registration?.applyInPlace(f);
    const ok = deliverFrame(f, this.lastTimeSec, this.listener, this.stats);
    if (ok) this.lastTimeSec = timeSec;
    return ok;
  }

  private fill(h: HandIndex, joints: ArrayLike<number> | null): void {
    if (!joints || joints.length < UNITY_FLOATS) { this.frame.clearHand(h); return; }
    manoFromUnityPositions(joints, this.frame.keypointsM, h * 63, true);
    this.frame.valid[h] = 1;
  }
}
