/**
 * Sound for an annotated scene with the public HearingHands API: one HearingHands per material of the annotation,
 * each with its flat surface at height 0, and every hand frame routed to the instance of the region the hand is over,
 * with the hand lowered by that region's top (so "the table at 0.75 m" and "the pot lid at 0.89 m" both become the
 * instance's surface). The other instances see that hand as untracked.
 *
 * Why not one instance: HearingHands takes one material and one surface height at creation and has no setter yet
 * (see the issue note); re-creating it at contact time would cost a Worker start per touch.
 *
 * Rules (why they are safe): a hand that appears in an instance while already at or below the surface is not an
 * impact there (ContactTracker: "came back already touching, we never saw it strike"), so switching regions never
 * makes a false tap; a hand moving between two regions of the SAME material is shown untracked for one frame, so
 * its instance never sees a height jump. While a hand touches a region it stays routed to it even when it sinks
 * through (a virtual table does not stop a real hand).
 */
import { HearingHands, type HearingHandsOptions } from '../../src/runtime/browser/hearing-hands.js';
import { HandFrame, type HandIndex } from '../../src/hand/hand-frame.js';
import { FLOATS_PER_HAND } from '../../src/hand/joints.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';
import { TOUCH_M } from '../../src/sim/contact.js';
import { materialsOf, regionUnder, topOf, type Annotation, type Region } from './annotation.js';

export interface SurfaceRouterOptions extends Pick<HearingHandsOptions, 'workerUrl' | 'workletUrl' | 'marginSec' | 'model' | 'backend' | 'modelTickFrames' | 'onsetBackstop' | 'ortUrl' | 'allowProceduralFallback' | 'on'> {
  annotation: Annotation;
  audioContext: AudioContext;
  /** Materials that get a sound instance (default all of the annotation's); regions of others stay silent. */
  materials?: string[];
  /** Where instance `i` (material `materials[i]`) plays; e.g. a voice of the output chain. */
  destinationFor(material: string, index: number): AudioNode;
}

export interface ContactEvent {
  hand: HandIndex;
  region: string;
  material: string;
  /** Page seconds (XR frame clock) at which the skin reached the surface (interpolated between frames). */
  timeSec: number;
}

/** Where a hand is relative to the scene this frame. */
export interface HandOver {
  region: Region;
  /** Skin-to-top clearance (m), negative when pressed in. */
  clearanceM: number;
  /** The wrist, for placing the sound. */
  wrist: [number, number, number];
}

const STICKY_ABOVE_M = 0.02;

export class SurfaceRouter {
  readonly materials: string[];
  readonly instances: HearingHands[];
  /** Per hand: the region under it (null when none or untracked). */
  readonly over: [HandOver | null, HandOver | null] = [null, null];
  private readonly contactListeners = new Set<(e: ContactEvent) => void>();
  private readonly out = new HandFrame();
  private readonly prevClearance = [Infinity, Infinity];
  private readonly prevTime = [0, 0];
  private readonly hideOnce = [false, false];

  private constructor(readonly annotation: Annotation, materials: string[], instances: HearingHands[]) {
    this.materials = materials;
    this.instances = instances;
  }

  static async create(opts: SurfaceRouterOptions): Promise<SurfaceRouter> {
    const materials = opts.materials ?? materialsOf(opts.annotation);
    const instances: HearingHands[] = [];
    try {
      // One at a time: each adds the worklet module and starts a Worker; in parallel they only compete for the cores.
      for (const [i, material] of materials.entries()) {
        // The model looks at the material around where hands work: the middle of the first region of it.
        const r = opts.annotation.regions.find((x) => x.material === material)!;
        const { annotation: _a, materials: _m, destinationFor, ...runtime } = opts;
        instances.push(await HearingHands.create({
          ...runtime, material, surfaceHeightM: 0, surfaceCenterM: [(r.min[0] + r.max[0]) / 2, (r.min[2] + r.max[2]) / 2],
          // The runtime's own output chain would place the sound at the hand it sees, which the router has lowered
          // by the region's top: the caller's chain (destinationFor) places it at the real hand instead.
          output: false,
          destination: destinationFor(material, i),
        }));
      }
    } catch (e) {
      await Promise.all(instances.map((h) => h.dispose()));
      throw e;
    }
    return new SurfaceRouter(opts.annotation, materials, instances);
  }

  onContact(listener: (e: ContactEvent) => void): () => void {
    this.contactListeners.add(listener);
    return () => this.contactListeners.delete(listener);
  }

  /** Routes one hand frame (page-clock time, scene frame) to the instances. Never throws. */
  push(frame: HandFrame): void {
    for (let h = 0; h < 2; h++) this.locate(frame, h as HandIndex);
    for (let m = 0; m < this.instances.length; m++) {
      const out = this.out;
      out.timeSec = frame.timeSec;
      for (let h = 0; h < 2; h++) {
        const over = this.over[h];
        if (!over || over.region.material !== this.materials[m] || this.hideOnce[h]) { out.clearHand(h as HandIndex); continue; }
        const src = frame.hand(h as HandIndex), dst = out.hand(h as HandIndex), top = topOf(over.region);
        for (let i = 0; i < FLOATS_PER_HAND; i += 3) { dst[i] = src[i]!; dst[i + 1] = src[i + 1]! - top; dst[i + 2] = src[i + 2]!; }
        out.valid[h] = 1;
      }
      this.instances[m]!.push(out);
    }
    this.hideOnce[0] = this.hideOnce[1] = false;
  }

  private locate(frame: HandFrame, h: HandIndex): void {
    const prev = this.over[h];
    if (!frame.valid[h]) { this.over[h] = null; this.prevClearance[h] = Infinity; return; }
    const kp = frame.hand(h);
    let low = Infinity, lx = 0, lz = 0;
    for (let k = 0; k < 21; k++) {
      const y = kp[k * 3 + 1]! - KEYPOINT_RADIUS_M[k]!;
      if (y < low) { low = y; lx = kp[k * 3]!; lz = kp[k * 3 + 2]!; }
    }
    let region: Region | null = null;
    if (prev && low < topOf(prev.region) + STICKY_ABOVE_M && regionUnder({ ...this.annotation, regions: [prev.region] }, lx, -Infinity, lz, 0.01, Infinity)) region = prev.region;
    else region = regionUnder(this.annotation, lx, low, lz);
    if (!region) { this.over[h] = null; this.prevClearance[h] = Infinity; return; }
    const clearanceM = low - topOf(region);
    if (prev && prev.region !== region) {
      if (prev.region.material === region.material) this.hideOnce[h] = true;
      this.prevClearance[h] = Infinity;
    }
    // Contact: the skin crosses the top between the previous frame and this one.
    const before = this.prevClearance[h]!;
    if (before > TOUCH_M && Number.isFinite(before) && clearanceM <= TOUCH_M) {
      const frac = (before - TOUCH_M) / (before - clearanceM);
      const e: ContactEvent = { hand: h, region: region.name, material: region.material, timeSec: this.prevTime[h]! + frac * (frame.timeSec - this.prevTime[h]!) };
      for (const l of this.contactListeners) { try { l(e); } catch { /* a listener's error is its own */ } }
    }
    this.prevClearance[h] = clearanceM;
    this.prevTime[h] = frame.timeSec;
    this.over[h] = { region, clearanceM, wrist: [kp[0]!, kp[1]!, kp[2]!] };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.instances.map((h) => h.dispose()));
  }
}
