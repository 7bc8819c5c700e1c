/**
 * Desktop mode without a headset: IWER's emulated Quest 3 with hand tracking, installed over the browser's
 * navigator.xr before Babylon looks for it (ENVIRONMENT.md: `forceInstall` because Chromium has a native one). The
 * headset stands at the origin looking down at the table; the hands follow targets that the keyboard controls
 * (desk-controls.ts) or scripted strikes (tests, the "tap" buttons) set. A target is where the hand's LOWEST skin
 * point should be, which is what touching is about; the offset from IWER's hand origin to that point is learned from
 * the frames the page sees (the emulated hands keep a fixed orientation).
 *
 * Hand poses are applied in each hand's onFrameStart, before IWER computes the frame's joint poses (as the browser
 * rig does), so a target set for a frame time shows in that frame.
 */
import { XRDevice, metaQuest3 } from 'iwer';
import type { HandFrame, HandIndex } from '../../../src/hand/hand-frame.js';
import { KEYPOINT_RADIUS_M } from '../../../src/sim/hand-skeleton.js';
import type { Vec3 } from '../annotation.js';

export interface StrikeOptions {
  /** Height above the surface the hand travels at (m). */
  hoverM: number;
  moveSec: number;
  /** A pause hovering above the spot before the fall. */
  settleSec: number;
  /** The fall: accelerating, so the hand arrives at hoverM · 2 / downSec. */
  downSec: number;
  /** How far below the surface the skin goes while resting on it (a virtual table does not stop a hand). */
  pressM: number;
  holdSec: number;
  upSec: number;
}

type Path = (tSec: number) => Vec3 | null;
interface PlannedPath { path: Path; contactAtSec: number; resolve: (r: { contactPageSec: number }) => void }
const HANDEDNESS = ['left', 'right'] as const;
const ease = (u: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, u)));

export class EmulatedQuest {
  readonly device: XRDevice;
  /** Per hand: target of the lowest skin point (scene frame, m). */
  readonly targets: [Vec3, Vec3] = [[-0.25, 1.0, -0.45], [0.2, 1.0, -0.45]];
  /** Per hand: IWER hand origin − lowest skin point, learned from frames. */
  private readonly skinOffset: (Vec3 | null)[] = [null, null];
  /** A strike waiting for its first frame, and the one running (with the frame time it started at). */
  private readonly pending: (PlannedPath | null)[] = [null, null];
  private readonly running: ((PlannedPath & { startSec: number }) | null)[] = [null, null];

  private constructor(device: XRDevice) {
    this.device = device;
    for (let h = 0; h < 2; h++) {
      const hand = device.hands[HANDEDNESS[h]!];
      if (!hand) throw new Error(`IWER has no ${HANDEDNESS[h]} hand`);
      const iwerFrameStart = hand.onFrameStart.bind(hand);
      hand.onFrameStart = (frame) => {
        this.apply(h as HandIndex, frame.predictedDisplayTime / 1000);
        iwerFrameStart(frame);
      };
    }
  }

  /** Installs the emulated runtime (call before creating the WebXR experience). */
  static install(): EmulatedQuest {
    const device = new XRDevice(metaQuest3, { stereoEnabled: false });
    device.installRuntime({ forceInstall: true } as Parameters<XRDevice['installRuntime']>[0]);
    device.primaryInputMode = 'hand';
    // Eyes at 1.5 m, 20 cm behind the origin, looking 35° down at the table.
    device.position.set(0.05, 1.5, 0.25);
    const pitch = (-35 * Math.PI) / 180;
    device.quaternion.set(Math.sin(pitch / 2), 0, 0, Math.cos(pitch / 2));
    return new EmulatedQuest(device);
  }

  /** Learns the origin → lowest-skin offset of each tracked hand (call with every frame the page sees). */
  observe(frame: HandFrame): void {
    for (let h = 0; h < 2; h++) {
      if (!frame.valid[h] || this.skinOffset[h]) continue;
      const kp = frame.hand(h as HandIndex), o = this.device.hands[HANDEDNESS[h]!]!.position;
      let low = Infinity, lx = 0, lz = 0;
      for (let k = 0; k < 21; k++) {
        const y = kp[k * 3 + 1]! - KEYPOINT_RADIUS_M[k]!;
        if (y < low) { low = y; lx = kp[k * 3]!; lz = kp[k * 3 + 2]!; }
      }
      this.skinOffset[h] = [o.x - lx, o.y - low, o.z - lz];
    }
  }

  /** Whether both hands' offsets are known (the hands have been seen once). */
  get calibrated(): boolean { return this.skinOffset.every((o) => o !== null); }

  /**
   * Moves hand `h` to hover over (x, z), drops its lowest skin point onto a surface at `surfaceY`, rests and lifts.
   * Resolves when done; `contactPageSec` is when the plan has the skin reach the surface (page clock).
   */
  strike(h: HandIndex, x: number, z: number, surfaceY: number, o: Partial<StrikeOptions> = {}): Promise<{ contactPageSec: number }> {
    const opt: StrikeOptions = { hoverM: 0.1, moveSec: 0.5, settleSec: 0, downSec: 0.25, pressM: 0.004, holdSec: 0.2, upSec: 0.3, ...o };
    const from: Vec3 = [...this.targets[h]];
    const hover: Vec3 = [x, surfaceY + opt.hoverM, z];
    const tDown = opt.moveSec + opt.settleSec, tContact = tDown + opt.downSec, tUp = tContact + opt.holdSec, tEnd = tUp + opt.upSec;
    const path: Path = (t) => {
      // Travel, then hover until tDown (ease() holds at 1 past moveSec).
      if (t < tDown) { const u = ease(t / opt.moveSec); return [from[0] + (hover[0] - from[0]) * u, from[1] + (hover[1] - from[1]) * u, from[2] + (hover[2] - from[2]) * u]; }
      if (t < tContact) { const u = (t - tDown) / opt.downSec; return [x, surfaceY + opt.hoverM * (1 - u * u), z]; }
      if (t < tUp) return [x, surfaceY - opt.pressM * ease((t - tContact) / 0.05), z];
      if (t < tEnd) return [x, surfaceY - opt.pressM + (opt.hoverM + opt.pressM) * ease((t - tUp) / opt.upSec), z];
      return null;
    };
    return new Promise((resolve) => {
      this.pending[h] = { path, contactAtSec: tContact, resolve };
    });
  }

  private apply(h: HandIndex, nowSec: number): void {
    const next = this.pending[h];
    if (next) { this.pending[h] = null; this.running[h] = { ...next, startSec: nowSec }; }
    const run = this.running[h];
    if (run) {
      const p = run.path(nowSec - run.startSec);
      if (p) this.targets[h] = p;
      else { this.running[h] = null; run.resolve({ contactPageSec: run.startSec + run.contactAtSec }); }
    }
    const off = this.skinOffset[h] ?? [0, 0.09, 0];
    const t = this.targets[h];
    this.device.hands[HANDEDNESS[h]!]!.position.set(t[0] + off[0], t[1] + off[1], t[2] + off[2]);
  }
}
