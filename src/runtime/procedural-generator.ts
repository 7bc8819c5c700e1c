/**
 * The procedural baseline as a SoundGenerator: the simulated capture's contact-sound engine driven by the live hand
 * frames (src/sim/procedural-backend.ts), rendered straight at the output rate. It is the fallback when no model
 * fits, and the reference every quality table compares against. Its stream sample 0 is hand time 0.
 *
 * Speculative mode (the browser sampler, once it calls `commitUntil`): the audio must be made well ahead of the audio
 * thread (the Worker steps irregularly, the audio thread renders in bursts), and an impact seen after the audio for
 * its time was made would otherwise have to wait until the end of that audio. So the backend itself only renders up
 * to the commit point (what the audio thread is about to play), and a twin renders the rest ahead from a copy of its
 * state: when frames arrive, the twin re-renders from the commit point and the chunk replaces the earlier one from
 * there. Until the first new impact or contact change both renders are the same, sample for sample (both render in
 * blocks on one 128-sample grid), so the replacement is spliced in without a crossfade (PcmChunk.splice).
 */
import { HandFrame } from '../hand/hand-frame.js';
import { ProceduralBackend, type ProceduralBackendOptions } from '../sim/procedural-backend.js';
import type { PcmChunk, SoundGenerator } from './generator.js';

/** Renders are cut on this grid of stream samples, so that a re-render from a commit point matches the first render. */
const GRID = 128;

export interface ProceduralGeneratorOptions extends Omit<ProceduralBackendOptions, 'sampleRate'> {
  outputRate: number;
  /**
   * Audio rendered beyond the time of the next step (default 8 ms: a worklet block at 48 kHz is 2.7 ms, the fade-out
   * at the end of the audio 2 ms, and the sampler needs its own few ms). The audio
   * thread must never run dry between two sampler steps, so each step renders up to (now + typical step interval +
   * margin); an impact seen at the next step then starts where that audio ends, i.e. about `marginSec` after it.
   */
  marginSec?: number;
}

export class ProceduralGenerator implements SoundGenerator {
  readonly kind = 'procedural' as const;
  readonly outputRate: number;
  readonly originSec = 0;
  private readonly backend: ProceduralBackend;
  private readonly marginSec: number;
  private lastTimeSec = -Infinity;
  /** Smoothed interval between sampler steps (starts at a 90 Hz frame period). */
  private intervalSec = 1 / 90;
  private lastAdvanceSec = -Infinity;
  private readonly frame = new HandFrame();
  private readonly backendOptions: ProceduralBackendOptions;
  /** Speculative mode: the twin that renders ahead of the commit point (null until the first commitUntil). */
  private twin: ProceduralBackend | null = null;
  /** Frames reached the backend since the twin last copied it. */
  private respeculate = false;
  /** End (exclusive) of the audio handed out so far. */
  private horizon = 0;
  private discard = new Float32Array(0);
  /**
   * Speculative mode: audio made this much further ahead (s) on top of the step interval and margin. The sampler sets
   * it to how far the audio thread may run ahead of the placement (its bursts); it costs no latency here.
   */
  extraLeadSec = 0;

  constructor(opts: ProceduralGeneratorOptions) {
    const { outputRate, marginSec, ...rest } = opts;
    this.outputRate = outputRate;
    this.marginSec = marginSec ?? 0.008;
    this.backendOptions = { ...rest, sampleRate: outputRate };
    this.backend = new ProceduralBackend(this.backendOptions);
  }

  /**
   * Speculative mode: the audio before stream sample `sample` is final (the audio thread is about to play it): the
   * backend renders up to there (rounded up to the render grid), so that frames pushed from now on change the sound
   * at that point at the earliest. Returns the commit point.
   */
  commitUntil(sample: number): number {
    if (!this.twin) {
      this.twin = new ProceduralBackend(this.backendOptions);
      this.respeculate = true;
      this.horizon = this.backend.samplePosition;
    }
    const at = Math.ceil(sample / GRID) * GRID;
    const pos = this.backend.samplePosition;
    if (at > pos) {
      if (this.discard.length < at - pos) this.discard = new Float32Array(Math.max(at - pos, 4096));
      renderOnGrid(this.backend, this.discard, at - pos);
      if (at > this.horizon) { this.horizon = at; this.respeculate = true; } // ran dry: the twin starts over from here
    }
    return this.backend.samplePosition;
  }

  push(frame: HandFrame): void {
    if (!(frame.timeSec > this.lastTimeSec)) return; // out-of-order or duplicate frames carry nothing new
    // Non-finite hands are dropped for this frame (the backend would refuse the whole frame); the caller's frame
    // is left as it was.
    this.frame.copyFrom(frame).sanitize();
    this.lastTimeSec = frame.timeSec;
    this.backend.pushFrame(this.frame);
    this.respeculate = true;
  }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const dt = nowSec - this.lastAdvanceSec;
    if (dt > 0 && dt < 0.25) this.intervalSec += 0.3 * (dt - this.intervalSec);
    this.lastAdvanceSec = nowSec;
    if (this.twin) return this.speculate(nowSec);
    const target = Math.floor((nowSec + this.intervalSec + this.marginSec) * this.outputRate);
    const start = this.backend.samplePosition;
    if (target <= start) return [];
    const samples = new Float32Array(target - start);
    this.backend.render(samples);
    return [{ startSample: start, samples }];
  }

  private speculate(nowSec: number): PcmChunk[] {
    const twin = this.twin!;
    const target = Math.ceil(((nowSec + this.intervalSec + this.marginSec + this.extraLeadSec) * this.outputRate) / GRID) * GRID;
    if (this.respeculate) {
      // From the commit point, to at least the end of what was handed out (a shorter replacement would end in audio
      // made without the new frames).
      this.respeculate = false;
      twin.copySoundStateFrom(this.backend);
      const from = this.backend.samplePosition, end = Math.max(target, this.horizon);
      if (end <= from) return [];
      const samples = new Float32Array(end - from);
      renderOnGrid(twin, samples, samples.length);
      this.horizon = end;
      return [{ startSample: from, samples, splice: true }];
    }
    if (target <= this.horizon) return [];
    const samples = new Float32Array(target - this.horizon);
    renderOnGrid(twin, samples, samples.length);
    const startSample = this.horizon;
    this.horizon = target;
    return [{ startSample, samples }];
  }

  async finish(): Promise<PcmChunk[]> {
    // Let ringing modes decay for half a second.
    return this.advance(Math.max(this.backend.samplePosition, this.horizon) / this.outputRate + 0.5);
  }

  async dispose(): Promise<void> {}
}

/** Renders the next `length` samples of `backend` into out[0…length), cut wherever the stream crosses the grid. */
function renderOnGrid(backend: ProceduralBackend, out: Float32Array, length: number): void {
  let done = 0;
  while (done < length) {
    const pos = backend.samplePosition;
    const n = Math.min(length - done, (Math.floor(pos / GRID) + 1) * GRID - pos);
    backend.render(out.subarray(done, done + n));
    done += n;
  }
}
