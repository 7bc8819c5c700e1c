/**
 * The procedural baseline as a SoundGenerator: the simulated capture's contact-sound engine driven by the live hand
 * frames (src/sim/procedural-backend.ts), rendered straight at the output rate. It is the fallback when no model
 * fits, and the reference every quality table compares against. Its stream sample 0 is hand time 0.
 */
import { HandFrame } from '../hand/hand-frame.js';
import { ProceduralBackend, type ProceduralBackendOptions } from '../sim/procedural-backend.js';
import type { PcmChunk, SoundGenerator } from './generator.js';

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

  constructor(opts: ProceduralGeneratorOptions) {
    const { outputRate, marginSec, ...rest } = opts;
    this.outputRate = outputRate;
    this.marginSec = marginSec ?? 0.008;
    this.backend = new ProceduralBackend({ ...rest, sampleRate: outputRate });
  }

  push(frame: HandFrame): void {
    if (!(frame.timeSec > this.lastTimeSec)) return; // out-of-order or duplicate frames carry nothing new
    // Non-finite hands are dropped for this frame (the backend would refuse the whole frame); the caller's frame
    // is left as it was.
    this.frame.copyFrom(frame).sanitize();
    this.lastTimeSec = frame.timeSec;
    this.backend.pushFrame(this.frame);
  }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const dt = nowSec - this.lastAdvanceSec;
    if (dt > 0 && dt < 0.25) this.intervalSec += 0.3 * (dt - this.intervalSec);
    this.lastAdvanceSec = nowSec;
    const target = Math.floor((nowSec + this.intervalSec + this.marginSec) * this.outputRate);
    const start = this.backend.samplePosition;
    if (target <= start) return [];
    const samples = new Float32Array(target - start);
    this.backend.render(samples);
    return [{ startSample: start, samples }];
  }

  async finish(): Promise<PcmChunk[]> {
    // Let ringing modes decay for half a second.
    return this.advance(this.backend.samplePosition / this.outputRate + 0.5);
  }

  async dispose(): Promise<void> {}
}
