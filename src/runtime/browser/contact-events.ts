/**
 * Contacts as events for the page (the sampler Worker posts them): the simulated capture's contact geometry
 * (src/sim/contact.ts) against the one flat surface the runtime knows, fed the live hand frames. Sound does not wait
 * for this — the generators find contacts themselves; this only tells the app which hand struck, when, and what.
 */
import type { HandFrame } from '../../hand/hand-frame.js';
import { FLOATS_PER_HAND } from '../../hand/joints.js';
import { ContactTracker, type HandContact, type ImpactEvent } from '../../sim/contact.js';
import { singleSurfaceScene } from '../visual-context.js';

export interface ContactEvent { hand: 0 | 1; timeSec: number; speedMps: number; material: string }

export class ContactEvents {
  private readonly tracker: ContactTracker;
  private readonly impacts: ImpactEvent[] = [];
  private readonly contacts: HandContact[] = [];
  private readonly hands: (Float32Array | null)[] = [null, null];
  private lastTimeSec = -Infinity;

  constructor(private readonly material: string, surfaceHeightM: number) {
    this.tracker = new ContactTracker(singleSurfaceScene(material, surfaceHeightM).surfaces, 2);
  }

  /** Feeds one sanitised frame (finite keypoints or untracked hands); calls `emit` for each impact it shows. */
  push(frame: HandFrame, emit: (e: ContactEvent) => void): void {
    if (!(frame.timeSec > this.lastTimeSec)) return;
    this.lastTimeSec = frame.timeSec;
    for (let h = 0; h < 2; h++) this.hands[h] = frame.valid[h] ? frame.keypointsM.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND) : null;
    this.impacts.length = 0;
    this.tracker.update(frame.timeSec, this.hands, this.impacts, this.contacts);
    for (const i of this.impacts) emit({ hand: i.hand === 0 ? 0 : 1, timeSec: i.timeSec, speedMps: i.speedMps, material: this.material });
  }
}
