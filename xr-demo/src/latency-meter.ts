/**
 * Live motion-to-sound latency for the HUD: each contact the runtime reports (its 'contact' event: the page-clock
 * time it placed the impact at, anticipated from the hand's approach) is paired with the first output onset heard
 * within [−200 ms, +300 ms] of it (audio clock mapped to the page clock, output latency included where the browser
 * reports it). The label is the contact's material.
 *
 * The two arrive in either order: the sound is often heard before the contact event reaches the page (the runtime
 * anticipates the impact, and its event crosses a Worker and waits for the next render frame), so onsets nothing
 * has claimed yet are kept for a moment too.
 */
export interface LatencyReading { region: string; latencyMs: number }

const BEFORE_SEC = 0.2; // an onset this long before the contact still counts as its sound
const AFTER_SEC = 0.3; // … and this long after
const KEEP_SEC = 1; // unpaired contacts and onsets older than this (page clock) are dropped

export class LatencyMeter {
  private readonly pending: { timeSec: number; region: string }[] = [];
  private readonly unclaimedOnsets: number[] = [];
  readonly readings: LatencyReading[] = [];

  /** A contact the runtime reported (page seconds). Pairs with an onset already heard, if one fits. */
  contact(timeSec: number, region: string, nowSec = performance.now() / 1000): void {
    this.prune(nowSec);
    const i = this.unclaimedOnsets.findIndex((t) => inWindow(t, timeSec));
    if (i >= 0) {
      this.record(region, this.unclaimedOnsets[i]! - timeSec);
      this.unclaimedOnsets.splice(0, i + 1);
    } else {
      this.pending.push({ timeSec, region });
      if (this.pending.length > 16) this.pending.shift();
    }
  }

  /** Onsets in page seconds, in time order. */
  onsets(pageSecs: readonly number[], nowSec = performance.now() / 1000): void {
    this.prune(nowSec);
    for (const t of pageSecs) {
      const i = this.pending.findIndex((c) => inWindow(t, c.timeSec));
      if (i < 0) {
        this.unclaimedOnsets.push(t);
        if (this.unclaimedOnsets.length > 16) this.unclaimedOnsets.shift();
        continue;
      }
      const c = this.pending[i]!;
      this.pending.splice(0, i + 1);
      this.record(c.region, t - c.timeSec);
    }
  }

  last(): LatencyReading | null { return this.readings[this.readings.length - 1] ?? null; }

  medianMs(): number | null {
    if (!this.readings.length) return null;
    const s = this.readings.map((r) => r.latencyMs).sort((a, b) => a - b);
    return s[s.length >> 1]!;
  }

  private record(region: string, latencySec: number): void {
    this.readings.push({ region, latencyMs: latencySec * 1000 });
    if (this.readings.length > 50) this.readings.shift();
  }

  /** Contacts nothing answered, and onsets no contact claimed, within KEEP_SEC are dropped. */
  private prune(nowSec: number): void {
    while (this.pending.length && this.pending[0]!.timeSec < nowSec - KEEP_SEC) this.pending.shift();
    while (this.unclaimedOnsets.length && this.unclaimedOnsets[0]! < nowSec - KEEP_SEC) this.unclaimedOnsets.shift();
  }
}

function inWindow(onsetSec: number, contactSec: number): boolean {
  return onsetSec >= contactSec - BEFORE_SEC && onsetSec <= contactSec + AFTER_SEC;
}
