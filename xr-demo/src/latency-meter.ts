/**
 * Live motion-to-sound latency for the HUD: each contact the runtime reports (its 'contact' event: the page-clock
 * time it placed the impact at, anticipated from the hand's approach) is paired with the first output onset heard
 * within [−200 ms, +300 ms] of it (audio clock mapped to the page clock, output latency included where the browser
 * reports it). The label is the contact's material.
 */
export interface LatencyReading { region: string; latencyMs: number }

export class LatencyMeter {
  private readonly pending: { timeSec: number; region: string }[] = [];
  readonly readings: LatencyReading[] = [];

  contact(timeSec: number, region: string): void {
    this.pending.push({ timeSec, region });
    if (this.pending.length > 16) this.pending.shift();
  }

  /** Onsets in page seconds, in time order. */
  onsets(pageSecs: readonly number[]): void {
    for (const t of pageSecs) {
      const i = this.pending.findIndex((c) => t >= c.timeSec - 0.2 && t <= c.timeSec + 0.3);
      if (i < 0) continue;
      const c = this.pending[i]!;
      this.pending.splice(0, i + 1);
      this.readings.push({ region: c.region, latencyMs: (t - c.timeSec) * 1000 });
      if (this.readings.length > 50) this.readings.shift();
    }
    // Contacts nothing answered within the window are dropped.
    const now = performance.now() / 1000;
    while (this.pending.length && this.pending[0]!.timeSec < now - 1) this.pending.shift();
  }

  last(): LatencyReading | null { return this.readings[this.readings.length - 1] ?? null; }

  medianMs(): number | null {
    if (!this.readings.length) return null;
    const s = this.readings.map((r) => r.latencyMs).sort((a, b) => a - b);
    return s[s.length >> 1]!;
  }
}
