/**
 * Live hand frames from a Babylon.js WebXR session with the `WebXRHandTracking` feature enabled.
 *
 * Once per XR frame it reads all 25 joints of each hand in ONE batch (`XRFrame.fillPoses` into a
 * preallocated Float32Array; `getJointPose` per joint only where fillPoses is missing), in Babylon's
 * current reference space (so teleportation and reference-space offsets are included), keeps the 21 MANO
 * keypoints, applies the scene registration and hands the frame to the listener (e.g. `ring.push`).
 *
 * Handedness: WebXR poses are right-handed. Babylon negates Z for its default left-handed scenes; we read
 * the raw right-handed poses, so a frame is right-handed (+Y up) whatever `scene.useRightHandedSystem` is.
 * A wrist read here equals Babylon's wrist joint mesh position with Z negated when the scene is
 * left-handed (this is checked in the browser test). For a registration from a Babylon node, use
 * `SceneRegistration.fromBabylonWorldMatrix(node.getWorldMatrix().m, scene.useRightHandedSystem)`.
 *
 * Timestamps: `timeSec` is the XR frame's timestamp (`performance.now()` clock of the page) in seconds.
 * Nothing here throws into the XR frame loop: tracking loss gives an untracked hand (zeros), bad values
 * are dropped per hand, listener errors are caught and counted.
 */
import type { Observer } from '@babylonjs/core/Misc/observable.js';
import type { WebXRSessionManager } from '@babylonjs/core/XR/webXRSessionManager.js';
import type { WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.pure.js';
import { HandFrame, type HandIndex } from '../hand-frame.js';
import { WEBXR_JOINTS } from '../joints.js';
import type { SceneRegistration } from '../registration.js';
import { manoFromWebXRMatrices } from '../remap.js';
import { deliverFrame, emptyStats, type HandFrameListener, type HandSource, type Vec3, type ViewerListener } from '../source.js';

// The few WebXR members used here, typed structurally so this file does not depend on which WebXR
// typings (Babylon's, @types/webxr) a project has.
interface XRSpaceLike { readonly __space?: never }
interface XRHandLike { get(joint: string): XRSpaceLike | undefined }
interface XRPoseLike { transform: { matrix: Float32Array } }
export interface XRFrameLike {
  fillPoses?(spaces: XRSpaceLike[], baseSpace: XRSpaceLike, transforms: Float32Array): boolean;
  getJointPose?(joint: XRSpaceLike, baseSpace: XRSpaceLike): XRPoseLike | null | undefined;
  getViewerPose?(baseSpace: XRSpaceLike): XRPoseLike | null | undefined;
}

export interface BabylonHandSourceOptions {
  sessionManager: WebXRSessionManager;
  handTracking: WebXRHandTracking;
  registration?: SceneRegistration | null;
}

const HANDEDNESS = ['left', 'right'] as const;

export class BabylonHandSource implements HandSource {
  readonly kind = 'webxr-babylon';
  readonly stats = emptyStats();
  private readonly frame = new HandFrame();
  private readonly matrices = new Float32Array(WEBXR_JOINTS.length * 16);
  /** Joint spaces per hand, rebuilt only when the XRHand object changes (a new input source). */
  private readonly spaces: [XRSpaceLike[], XRSpaceLike[]] = [[], []];
  private readonly spacesOf: [unknown, unknown] = [null, null];
  private observer: Observer<unknown> | null = null;
  private listener: HandFrameListener | null = null;
  private lastTimeSec = -Infinity;
  /** Told the viewer's pose each XR frame (same space and registration as the hands; see HandSource.viewer). */
  viewer: ViewerListener | null = null;
  /** The pose handed to `viewer`, reused every frame (the XR loop allocates nothing here). */
  private readonly viewerPose: { position: Vec3; forward: Vec3; up: Vec3 } = { position: { x: 0, y: 0, z: 0 }, forward: { x: 0, y: 0, z: -1 }, up: { x: 0, y: 1, z: 0 } };

  constructor(readonly options: BabylonHandSourceOptions) {}

  start(listener: HandFrameListener): void {
    this.stop();
    this.listener = listener;
    this.observer = this.options.sessionManager.onXRFrameObservable.add((xrFrame) => this.onXRFrame(xrFrame as unknown as XRFrameLike)) as Observer<unknown> | null;
  }

  stop(): void {
    if (this.observer) this.options.sessionManager.onXRFrameObservable.remove(this.observer as never);
    this.observer = null;
  }

  dispose(): void { this.stop(); this.listener = null; }

  /** Reads one XR frame (public for callers that drive their own frame loop). Never throws. */
  onXRFrame(xrFrame: XRFrameLike): void {
    const f = this.frame;
    try {
      f.timeSec = this.options.sessionManager.currentTimestamp / 1000;
      for (let h = 0; h < 2; h++) this.readHand(xrFrame, h as HandIndex);
      this.options.registration?.applyInPlace(f);
    } catch {
      // A misbehaving runtime must not break the XR loop: report this frame as untracked.
      f.clear();
    }
    if (deliverFrame(f, this.lastTimeSec, this.listener, this.stats)) this.lastTimeSec = f.timeSec;
    if (this.viewer) this.readViewer(xrFrame);
  }

  /** The viewer pose of this XR frame to `viewer`: its position, −z axis (forward) and +y axis (up). Never throws. */
  private readViewer(xrFrame: XRFrameLike): void {
    try {
      const base = this.options.sessionManager.referenceSpace as XRSpaceLike;
      const m = base && xrFrame.getViewerPose ? xrFrame.getViewerPose(base)?.transform.matrix : undefined;
      if (!m) return;
      for (let i = 0; i < 16; i++) if (!Number.isFinite(m[i])) return;
      const { position, forward, up } = this.viewerPose;
      position.x = m[12]!; position.y = m[13]!; position.z = m[14]!;
      forward.x = -m[8]!; forward.y = -m[9]!; forward.z = -m[10]!;
      up.x = m[4]!; up.y = m[5]!; up.z = m[6]!;
      const reg = this.options.registration;
      if (reg) { reg.mapInPlace(position); reg.mapInPlace(forward, true); reg.mapInPlace(up, true); }
      this.viewer!(position, forward, up);
    } catch {
      // The head pose is a nicety: a runtime or listener that fails here leaves the last pose in place.
    }
  }

  private readHand(xrFrame: XRFrameLike, h: HandIndex): void {
    const hand = this.options.handTracking.getHandByHandedness(HANDEDNESS[h])?.xrController.inputSource.hand as XRHandLike | undefined;
    const base = this.options.sessionManager.referenceSpace as XRSpaceLike;
    if (!hand || !base) { this.frame.clearHand(h); return; }
    const spaces = this.jointSpaces(hand, h);
    let ok = false;
    if (spaces.length === WEBXR_JOINTS.length) {
      if (xrFrame.fillPoses) ok = xrFrame.fillPoses(spaces, base, this.matrices);
      else if (xrFrame.getJointPose) {
        ok = true;
        for (let j = 0; j < spaces.length && ok; j++) {
          const pose = xrFrame.getJointPose(spaces[j]!, base);
          if (pose) this.matrices.set(pose.transform.matrix, j * 16); else ok = false;
        }
      }
    }
    if (!ok) { this.frame.clearHand(h); return; }
    manoFromWebXRMatrices(this.matrices, this.frame.keypointsM, h * 63, false);
    this.frame.valid[h] = 1;
  }

  private jointSpaces(hand: XRHandLike, h: HandIndex): XRSpaceLike[] {
    if (this.spacesOf[h] !== hand) {
      const list: XRSpaceLike[] = [];
      for (const name of WEBXR_JOINTS) {
        const s = hand.get(name);
        if (s) list.push(s);
      }
      this.spaces[h] = list;
      this.spacesOf[h] = hand;
    }
    return this.spaces[h];
  }
}
