/**
 * Page clock (performance.now(), what XR frame times use) ↔ audio clock (AudioContext time). getOutputTimestamp()
 * pairs the context time of the sample being heard with the page time it is heard at, so a mapping through it
 * includes the device's output latency: "when does the user hear audio frame f". Readings jitter with the audio
 * thread's bursts; the median of the last readings is used. Without getOutputTimestamp (or before the device
 * runs) it falls back to currentTime − now, the smallest reading (currentTime runs ahead by up to a burst).
 */
export class AudioClock {
  private readonly readings: number[] = [];
  private fallback = Infinity;

  constructor(readonly context: AudioContext) {}

  /** Takes one reading; call it every frame or so. */
  update(): void {
    const ts = this.context.getOutputTimestamp?.();
    const nowSec = performance.now() / 1000;
    this.fallback = Math.min(this.fallback, this.context.currentTime - nowSec);
    if (ts && ts.contextTime !== undefined && ts.performanceTime !== undefined && ts.contextTime > 0 && ts.performanceTime > 0) {
      this.readings.push(ts.contextTime - ts.performanceTime / 1000);
      if (this.readings.length > 31) this.readings.shift();
    }
  }

  /** Audio time − page time (s). */
  offsetSec(): number {
    if (this.readings.length === 0) return Number.isFinite(this.fallback) ? this.fallback : this.context.currentTime - performance.now() / 1000;
    const sorted = [...this.readings].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  }

  /** Whether the mapping includes the device's output latency (getOutputTimestamp worked). */
  get includesOutputLatency(): boolean { return this.readings.length > 0; }

  pageToContextSec(pageSec: number): number { return pageSec + this.offsetSec(); }
  contextToPageSec(contextSec: number): number { return contextSec - this.offsetSec(); }
}
