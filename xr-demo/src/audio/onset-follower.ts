/**
 * Finds sound onsets in a RingRecorder as it fills (for the HUD's live latency): the RMS of each 128-sample block
 * against the mean of the previous 8 blocks (≈ 21 ms at 48 kHz); an onset is a block that is loud enough
 * (> −48 dBFS) and 3× louder than that, at least 80 ms after the previous onset. Cheap enough for every frame;
 * the test measures onsets offline with the Dsp, this is only the live readout.
 */
import type { RingRecorder } from './ring-recorder.js';

const BLOCK = 128;
const HISTORY = 8;

export class OnsetFollower {
  private next: number;
  private readonly block = new Float32Array(BLOCK);
  private readonly history = new Float32Array(HISTORY);
  private h = 0;
  private lastOnsetFrame = -Infinity;
  /** Level of the latest block (RMS), for meters. */
  levelRms = 0;
  peak = 0;

  constructor(private readonly ring: RingRecorder, readonly thresholdRms = 0.004) {
    this.next = ring.written();
  }

  /** Consumes what was recorded since the last call; returns onset times on the audio clock (s). */
  poll(): number[] {
    const onsets: number[] = [];
    const written = this.ring.written();
    this.next = Math.max(this.next, this.ring.oldest());
    this.peak = 0;
    while (this.next + BLOCK <= written) {
      this.ring.read(this.next, this.block);
      let e = 0;
      for (let i = 0; i < BLOCK; i++) { const v = this.block[i]!; e += v * v; this.peak = Math.max(this.peak, Math.abs(v)); }
      const rms = Math.sqrt(e / BLOCK);
      let mean = 0;
      for (let i = 0; i < HISTORY; i++) mean += this.history[i]!;
      mean /= HISTORY;
      const frame = this.ring.startFrame() + this.next;
      if (rms > this.thresholdRms && rms > 3 * mean && frame - this.lastOnsetFrame > 0.08 * this.ring.sampleRate) {
        onsets.push(frame / this.ring.sampleRate);
        this.lastOnsetFrame = frame;
      }
      this.history[this.h] = rms;
      this.h = (this.h + 1) % HISTORY;
      this.levelRms = rms;
      this.next += BLOCK;
    }
    return onsets;
  }
}
