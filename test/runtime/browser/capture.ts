/**
 * Page-side helpers shared by the runtime's browser test pages: a recorder worklet after the runtime that captures
 * what was really played (indexed by audio-clock frame), the page → audio clock offset, and the capture's transfer
 * to Node as base64 float32 (a JSON array of millions of numbers would be slow).
 */
export interface Capture {
  readonly node: AudioWorkletNode;
  /** Audio-clock frame of sample 0, and the samples recorded so far. */
  read(): { startFrame: number; samples: Float32Array };
}

export async function startCapture(ctx: AudioContext, seconds: number): Promise<Capture> {
  await ctx.audioWorklet.addModule('/bundles/recorder.js');
  const buffer = new SharedArrayBuffer(8 + 4 * Math.ceil(ctx.sampleRate * seconds));
  const node = new AudioWorkletNode(ctx, 'test-recorder', { processorOptions: { buffer } });
  node.connect(ctx.destination);
  const header = new Int32Array(buffer, 0, 2);
  return {
    node,
    read: () => ({ startFrame: Atomics.load(header, 0), samples: new Float32Array(buffer, 8, Math.min(Atomics.load(header, 1), (buffer.byteLength - 8) / 4)).slice() }),
  };
}

/**
 * audio clock − page clock (s): the smallest reading (currentTime lags by up to a block). Readings in the first
 * 300 ms after the context (re)starts running are ignored: currentTime stands still there while the page clock runs.
 */
export class ClockOffset {
  value = Infinity;
  private ignoreUntilSec = -Infinity;
  private wasRunning: boolean;
  constructor(private readonly ctx: AudioContext) { this.wasRunning = ctx.state === 'running'; }
  sample(): void {
    const now = performance.now() / 1000;
    const running = this.ctx.state === 'running';
    if (running && !this.wasRunning) this.ignoreUntilSec = now + 0.3;
    this.wasRunning = running;
    if (running && now >= this.ignoreUntilSec) {
      const v = this.ctx.currentTime - now;
      this.value = Math.min(this.value, v);
      this.times.push(now); this.values.push(v);
    }
  }
  /**
   * The offset around page time t (the smallest reading within ±0.5 s): on a loaded machine the audio clock drifts
   * against the page's by tens of ms over a long run, and one offset for the whole run would count that as latency.
   */
  at(tSec: number): number {
    let m = Infinity;
    for (let i = 0; i < this.times.length; i++) if (Math.abs(this.times[i]! - tSec) <= 0.5 && this.values[i]! < m) m = this.values[i]!;
    return Number.isFinite(m) ? m : this.value;
  }
  private readonly times: number[] = [];
  private readonly values: number[] = [];
}

export function toBase64(samples: Float32Array): string {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
