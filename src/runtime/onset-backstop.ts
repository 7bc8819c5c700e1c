/**
 * The onset backstop: the procedural engine's strike for a contact the model left silent.
 *
 * Live, the model generates each chunk about 0.1 s before it plays, from predicted hands: a strike whose motion starts
 * after that is not in the chunk's conditioning, and the model, conditioned on its own silent past, seldom sounds it
 * later. The procedural baseline finds the same contact in the measured (and anticipated) hands within a few ms.
 * This generator runs both. The model's audio passes through unchanged; for every impact the procedural contact
 * tracker finds, the model's own audio around it — already generated, since the model runs ahead — is checked, and
 * where it has no onset there, the procedural sound of that contact is mixed in for `holdSec`. So a contact is never
 * silent, and what the model does sound stays the model's. The model's audio is released just in time (as the
 * procedural generator releases its own), so a strike can still be added to it before it is handed on.
 */
import { HandFrame } from '../hand/hand-frame.js';
import { InvalidArgumentError } from '../errors.js';
import { ProceduralBackend, type ProceduralBackendOptions } from '../sim/procedural-backend.js';
import type { ModelTimings, PcmChunk, SoundGenerator } from './generator.js';

export interface OnsetBackstopOptions {
  /** The model's generator (its stream is the one this generator releases). */
  model: SoundGenerator;
  /** The procedural engine's surface: a material and flat surface height, or a scene. */
  procedural: Omit<ProceduralBackendOptions, 'sampleRate'>;
  /** How long after an impact the model's audio may begin its onset and still count as sounding it (default 0.05 s). */
  windowSec?: number;
  /** How long the procedural sound of a missed impact plays (default 0.35 s; its last 50 ms fade out). */
  holdSec?: number;
  /**
   * The model sounds an impact when its loudest 5 ms in [impact − 10 ms, impact + windowSec] is above `floorDb`
   * (default −40 dBFS RMS) and `rise` times (default 2) its level in the 60 ms before.
   */
  floorDb?: number;
  rise?: number;
  /** Audio released beyond the next expected step (default 0.008 s, as ProceduralGenerator's marginSec). */
  marginSec?: number;
  /** Release further ahead by the measured cost of a step (default true; false = reproducible output). */
  adaptToTickCost?: boolean;
}

/** What the backstop did: impacts the procedural tracker found, and those it sounded because the model had not. */
export interface BackstopStats { impacts: number; sounded: number }

export class OnsetBackstop implements SoundGenerator {
  readonly kind = 'model' as const;
  readonly outputRate: number;
  readonly stats: BackstopStats = { impacts: 0, sounded: 0 };
  private readonly model: OnsetBackstopOptions['model'];
  private readonly backend: ProceduralBackend;
  private readonly windowSec: number;
  private readonly holdSec: number;
  private readonly floor: number;
  private readonly rise: number;
  private readonly marginSec: number;
  private readonly adapt: boolean;
  /** The model's audio by stream sample (a ring; `modelEnd` samples received, `released` handed on). */
  private history: Float32Array;
  private mask: number;
  private modelEnd = 0;
  private released = 0;
  /** Stream sample ↔ procedural sample (the procedural engine's sample 0 is hand time 0). */
  private offset = NaN;
  private seenImpacts = 0;
  /** Impacts (stream samples) still to be judged, and the spans where the procedural sound plays. */
  private readonly pending: number[] = [];
  private readonly gates: { start: number; end: number }[] = [];
  private intervalSec = 1 / 90;
  private lastAdvanceSec = -Infinity;
  private stepSecEma = 0;
  private lastFrameSec = -Infinity;
  private readonly frame = new HandFrame();

  constructor(opts: OnsetBackstopOptions) {
    this.model = opts.model;
    this.outputRate = opts.model.outputRate;
    this.backend = new ProceduralBackend({ ...opts.procedural, sampleRate: this.outputRate });
    this.windowSec = opts.windowSec ?? 0.05;
    this.holdSec = opts.holdSec ?? 0.35;
    this.floor = 10 ** ((opts.floorDb ?? -40) / 20);
    this.rise = opts.rise ?? 2;
    this.marginSec = opts.marginSec ?? 0.008;
    this.adapt = opts.adaptToTickCost !== false;
    for (const [k, v, lo, hi] of [['windowSec', this.windowSec, 0, 0.2], ['holdSec', this.holdSec, 0.06, 2], ['rise', this.rise, 1, 100], ['marginSec', this.marginSec, 0, 0.1]] as const) {
      if (!(v >= lo && v <= hi)) throw new InvalidArgumentError(`${k} must be in ${lo}…${hi}, got ${v}`);
    }
    if (!Number.isFinite(this.floor)) throw new InvalidArgumentError(`floorDb must be finite, got ${opts.floorDb}`);
    let cap = 1;
    while (cap < 2 * this.outputRate) cap *= 2;
    this.history = new Float32Array(cap);
    this.mask = cap - 1;
  }

  get originSec(): number { return this.model.originSec; }
  /** The model's own per-stage timings (when it keeps them). */
  get timings(): ModelTimings | undefined { return this.model.timings; }
  get generatedUntilSec(): number { return this.model.generatedUntilSec ?? NaN; }

  push(frame: HandFrame): void {
    this.model.push(frame);
    if (!(frame.timeSec > this.lastFrameSec) || Number.isNaN(this.model.originSec)) return;
    this.lastFrameSec = frame.timeSec;
    this.startOffset(); // the engine's clock must have reached the session before it schedules a strike in it
    // The engine refuses a non-finite hand; it hears that hand as untracked for this frame (the model does too).
    this.frame.copyFrom(frame).sanitize();
    this.backend.pushFrame(this.frame);
  }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const t0 = performance.now();
    this.take(await this.model.advance(nowSec));
    if (Number.isNaN(this.model.originSec)) return [];
    const dt = nowSec - this.lastAdvanceSec;
    if (dt > 0 && dt < 0.25) this.intervalSec += 0.3 * (dt - this.intervalSec);
    this.lastAdvanceSec = nowSec;
    const horizonSec = nowSec + this.intervalSec + this.marginSec + 1.5 * this.stepSecEma;
    const out = this.release(Math.floor(horizonSec * this.outputRate) - this.startOffset(), false);
    if (this.adapt) this.stepSecEma += 0.2 * ((performance.now() - t0) / 1000 - this.stepSecEma);
    return out;
  }

  async finish(): Promise<PcmChunk[]> {
    this.take(await this.model.finish());
    if (Number.isNaN(this.offset)) return [];
    let end = this.modelEnd;
    for (const g of this.gates) end = Math.max(end, g.end);
    return this.release(end, true);
  }

  async dispose(): Promise<void> { await this.model.dispose(); }

  /** The procedural engine's sample for stream sample 0, fixed at the model's first frame. */
  private startOffset(): number {
    if (Number.isNaN(this.offset)) {
      this.offset = Math.round(this.model.originSec * this.outputRate);
      // The engine's stream starts at hand time 0: render (and drop) up to the model's first sample.
      const scratch = new Float32Array(Math.min(this.outputRate, Math.max(1, this.offset)));
      while (this.backend.samplePosition < this.offset) {
        this.backend.render(scratch.subarray(0, Math.min(scratch.length, this.offset - this.backend.samplePosition)));
      }
    }
    return this.offset;
  }

  /** Appends the model's chunks to the history (its stream is contiguous; a gap would be silence). */
  private take(chunks: PcmChunk[]): void {
    for (const c of chunks) {
      const n = c.samples.length;
      if (n === 0) continue;
      for (let s = this.modelEnd; s < c.startSample; s++) this.history[s & this.mask] = 0;
      for (let i = 0; i < n; i++) this.history[(c.startSample + i) & this.mask] = c.samples[i]!;
      this.modelEnd = Math.max(this.modelEnd, c.startSample + n);
      if (this.modelEnd - this.released > this.history.length) throw new InvalidArgumentError('the model ran more than 2 s ahead of its release');
    }
  }

  /** Hands on the stream up to `target` (never beyond the model's audio unless `all`), with missed strikes added. */
  private release(target: number, all: boolean): PcmChunk[] {
    const offset = this.startOffset();
    // Impacts the engine scheduled since the last release (it places each at its time, or at once if that has passed).
    const log = this.backend.impactLog;
    const fresh = this.backend.impactCount - this.seenImpacts;
    for (let i = Math.max(0, log.length - fresh); i < log.length; i++) this.pending.push(log[i]!.scheduledSample - offset);
    this.seenImpacts = this.backend.impactCount;
    const end = all ? target : Math.min(target, this.modelEnd);
    const windowN = Math.round(this.windowSec * this.outputRate);
    while (this.pending.length > 0) {
      const s = this.pending[0]!;
      // Judged once the model's audio covers the window, or when the impact is about to be handed on.
      if (!all && s + windowN > this.modelEnd && s >= end) break;
      this.pending.shift();
      this.stats.impacts++;
      if (!this.modelSounds(s)) {
        this.stats.sounded++;
        this.gates.push({ start: s, end: s + Math.round(this.holdSec * this.outputRate) });
      }
    }
    if (end <= this.released) return [];
    const n = end - this.released;
    const samples = new Float32Array(n);
    const proc = new Float32Array(n);
    this.backend.render(proc);
    const r = this.outputRate, rampIn = Math.round(0.002 * r), rampOut = Math.round(0.05 * r);
    for (let i = 0; i < n; i++) {
      const s = this.released + i;
      let g = 0;
      for (const gate of this.gates) {
        if (s < gate.start - rampIn || s >= gate.end) continue;
        // In over 2 ms before the impact (the engine may still ring from an earlier strike), out over the last 50 ms.
        const w = Math.min(1, (s - (gate.start - rampIn)) / rampIn, (gate.end - s) / rampOut);
        if (w > g) g = w;
      }
      samples[i] = (s < this.modelEnd ? this.history[s & this.mask]! : 0) + g * proc[i]!;
    }
    this.released = end;
    while (this.gates.length > 0 && this.gates[0]!.end <= end) this.gates.shift();
    return [{ startSample: end - n, samples }];
  }

  /** Whether the model's audio has an onset within the window around stream sample `s`. */
  private modelSounds(s: number): boolean {
    const r = this.outputRate, frame = Math.round(0.005 * r), hop = Math.max(1, frame >> 1);
    const oldest = Math.max(0, this.modelEnd - this.history.length);
    const rms = (a: number, b: number) => {
      a = Math.max(a, oldest); b = Math.min(b, this.modelEnd);
      if (b <= a) return 0;
      let e = 0;
      for (let i = a; i < b; i++) { const v = this.history[i & this.mask]!; e += v * v; }
      return Math.sqrt(e / (b - a));
    };
    const before = rms(s - Math.round(0.07 * r), s - Math.round(0.01 * r));
    let peak = 0;
    for (let a = s - Math.round(0.01 * r); a + frame <= s + Math.round(this.windowSec * r); a += hop) peak = Math.max(peak, rms(a, a + frame));
    return peak >= this.floor && peak >= this.rise * before;
  }
}
