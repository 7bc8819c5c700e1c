/**
 * The onset backstop: the procedural engine's strike for a contact the model left silent.
 *
 * Live, the model generates each chunk about 0.1 s before it plays, from predicted hands: a strike whose motion starts
 * after that is not in the chunk's conditioning, and the model, conditioned on its own silent past, seldom sounds it
 * later. The procedural contact tracker finds the same strike in the measured (and anticipated) hands within a few
 * ms. This generator runs the model as it is — its chunks are handed on as soon as they are made, unchanged — and for
 * every impact the tracker finds it looks at the model's own audio around the impact (already generated: the model
 * runs ahead). Where that has no onset, the procedural engine's strike (that surface's material, the impact's speed
 * and hand part, the room) is added: the audio already handed on from just before the strike to the end of the
 * model's audio is handed on again with the strike in it (the playback timeline replaces audio it has not played
 * yet), and the rest of the strike goes into the model's next chunks. So every contact is heard, and what the model
 * does sound stays the model's.
 *
 * Where the model does sound an impact but late (its onset more than `retimeAfterSec` after the earliest the impact
 * can still be heard), its own onset is moved there: the audio not yet played is handed on again with the model's
 * sound from just before its onset on, `retimeHoldSec` of it, played that much earlier, then crossfaded back to the
 * model's audio at its own time (mid-ring, where the two are alike). The model's timbre, at the contact's time.
 *
 * Where the audio thread is (the browser sampler, through `commitUntil`): a strike or a move is then placed from the
 * first sample the audio thread has not rendered yet, spliced into the queued audio (which it matches up to the strike
 * or the move), as the procedural generator's speculative render is. Without it, the earliest a strike can be placed
 * is estimated from the clock (`leadSec`, and the `extraLeadSec` that covers the audio thread's bursts).
 */
import { defaultTimelineOptions } from '../audio/chunk-timeline.js';
import { HandFrame } from '../hand/hand-frame.js';
import { InvalidArgumentError } from '../errors.js';
import type { ImpactEvent } from '../sim/contact.js';
import type { ContactSoundEngine } from '../sim/engine.js';
import { FrameContactTracker, liveRoomOptions, liveSurfaces, surfaceEngines } from '../sim/procedural-backend.js';
import { Room, type RoomOptions } from '../sim/room.js';
import type { Scene } from '../sim/scene.js';
import type { PcmChunk, SoundGenerator } from './generator.js';

export interface OnsetBackstopOptions {
  /** The model's generator. */
  model: SoundGenerator;
  /** The touched surfaces: a scene's (scene frame, metres), or one flat surface of `material` at y = `surfaceHeightM`. */
  scene?: Scene;
  material?: string;
  surfaceHeightM?: number;
  seed?: number;
  /** How long after an impact the model's audio may begin its onset and still count as sounding it (default 0.05 s). */
  windowSec?: number;
  /** Length of a strike (default 0.35 s; its last 50 ms fade out). */
  holdSec?: number;
  /**
   * The model sounds an impact when, in [impact − 10 ms, impact + windowSec], its audio has an attack as the
   * evaluation's onset detector finds them: the first-difference RMS of 8 ms rising `rise` times (default 2.8, i.e.
   * 9 dB of energy) over 4 ms, on a frame above `floorDb` (default −40 dBFS RMS). See modelOnset.
   */
  floorDb?: number;
  rise?: number;
  /**
   * A strike found after its time starts this long after the step that finds it (default 0.006 s: the audio thread's
   * next block at 48 kHz, and the chunk's way to it).
   */
  leadSec?: number;
  /** Count the step's own compute time into a strike's lead (default true; false = reproducible output). */
  adaptToTickCost?: boolean;
  /**
   * A model onset later than this after the impact's earliest playable time is moved there (default 0.01 s;
   * Infinity = never). Up to `retimeHoldSec` (default 0.12 s) of the model's sound moves, at least 40 ms more than
   * the onset moves; the model's audio must reach that far past the onset before the impact has to play, else the
   * onset stays where it is.
   */
  retimeAfterSec?: number;
  /**
   * The same threshold where the backstop is told where the audio thread is (`commitUntil`; default 0.003 s, or
   * Infinity when `retimeAfterSec` is): the earliest playable time is then known, not estimated with a margin.
   */
  retimeAfterSplicedSec?: number;
  retimeHoldSec?: number;
  /** Told of each impact judged (diagnostics: why a contact sounded when it did). */
  onDecision?: (d: BackstopDecision) => void;
}

/**
 * One impact judged, in stream samples: the tracker's impact time, when it was judged (the step's hand-clock time),
 * the earliest sample the backstop could still change, the model's onset (−1: none) and where the sound was wanted;
 * `action`: the model's onset kept, moved, the
 * procedural strike added, or a late onset that could not be moved (another move under way, or too little audio).
 */
export interface BackstopDecision {
  action: 'kept' | 'moved' | 'struck' | 'unmoved';
  impactSample: number;
  judgedSample: number;
  earliestSample: number;
  onsetSample: number;
  targetSample: number;
}

/**
 * What the backstop did: impacts the tracker found, those it struck because the model had not sounded them, and those
 * whose late model onset it moved to the impact.
 */
export interface BackstopStats { impacts: number; sounded: number; retimed: number }

interface Strike { start: number; samples: Float32Array }

export class OnsetBackstop implements SoundGenerator {
  readonly kind = 'model' as const;
  readonly outputRate: number;
  readonly stats: BackstopStats = { impacts: 0, sounded: 0, retimed: 0 };
  private readonly model: SoundGenerator;
  private readonly tracker: FrameContactTracker;
  private readonly engines: ContactSoundEngine[];
  private readonly roomOptions: RoomOptions;
  private readonly windowSec: number;
  private readonly holdSec: number;
  private readonly floor: number;
  private readonly rise: number;
  private readonly leadSec: number;
  private readonly adapt: boolean;
  private readonly retimeAfterN: number;
  private readonly retimeAfterSplicedN: number;
  private readonly retimeHoldN: number;
  /** Equal-power crossfade into and out of a retimed onset (samples). */
  private readonly retimeFadeN: number;
  /** The playback timeline's crossfade: a re-handed chunk starts that early, so the fade lies before the strike. */
  private readonly crossfadeN: number;
  /** The model's own audio by stream sample (a ring), `modelEnd` samples of it so far. */
  private readonly history: Float32Array;
  private readonly mask: number;
  private modelEnd = 0;
  /**
   * A moved onset being handed on: stream sample t plays the model's audio at t + shift (crossfaded in at inAt, back
   * out at backAt); handed on up to `until`, `shift` short of the model's end until the crossfade back is reached.
   */
  private retiming: { shift: number; inAt: number; fadeIn: number; backAt: number; until: number } | null = null;
  /** The lead the Worker gives (its clock readings' spread), and what a move adds to the model's while it lasts. */
  private baseExtraLead = 0;
  private moveLeadSec = 0;
  /**
   * Speculative placement (`commitUntil`): the first stream sample the audio thread has not rendered, and when that
   * was read (performance.now() ms). NaN: not told.
   */
  private commitN = NaN;
  private commitAtMs = 0;
  /** Reads the same commit point anew (the browser sampler: the live playhead), right before a strike or move is placed. */
  private liveCommit: (() => number) | null = null;
  /** With a commit point: a move crossfades into the moved sound over this long, this long before its onset. */
  private readonly commitFadeN: number;
  private readonly commitPreN: number;
  private readonly onDecision: ((d: BackstopDecision) => void) | undefined;
  /** modelOnset's frame and hop (8 ms, 2 ms: the evaluation detector's). */
  private readonly onsetWinN: number;
  private readonly onsetHopN: number;
  /** Audio modelOnset reads past its window: its last frame, and the hops after it that it compares rises with. */
  private readonly onsetLookN: number;
  private readonly pending: ImpactEvent[] = [];
  private readonly strikes: Strike[] = [];
  private lastFrameSec = -Infinity;
  private readonly frame = new HandFrame();

  constructor(opts: OnsetBackstopOptions) {
    this.model = opts.model;
    const fs = this.outputRate = opts.model.outputRate;
    this.windowSec = opts.windowSec ?? 0.05;
    this.holdSec = opts.holdSec ?? 0.35;
    this.floor = 10 ** ((opts.floorDb ?? -40) / 20);
    this.rise = opts.rise ?? 2.8;
    this.leadSec = opts.leadSec ?? 0.006;
    this.adapt = opts.adaptToTickCost !== false;
    this.onDecision = opts.onDecision;
    this.onsetWinN = Math.round(0.008 * fs);
    this.onsetHopN = Math.round(0.002 * fs);
    this.onsetLookN = this.onsetWinN + 3 * this.onsetHopN;
    const retimeAfter = opts.retimeAfterSec ?? 0.01, retimeHold = opts.retimeHoldSec ?? 0.12;
    const retimeAfterSpliced = opts.retimeAfterSplicedSec ?? (retimeAfter === Infinity ? Infinity : Math.min(retimeAfter, 0.003));
    for (const [k, v, lo, hi] of [['windowSec', this.windowSec, 0, 0.2], ['holdSec', this.holdSec, 0.06, 2], ['rise', this.rise, 1, 100], ['leadSec', this.leadSec, 0, 0.1],
      ['retimeAfterSec', retimeAfter, 0, Infinity], ['retimeAfterSplicedSec', retimeAfterSpliced, 0, Infinity], ['retimeHoldSec', retimeHold, 0.03, 0.5]] as const) {
      if (!(v >= lo && v <= hi)) throw new InvalidArgumentError(`${k} must be in ${lo}…${hi}, got ${v}`);
    }
    if (!(this.floor > 0 && this.floor < 1)) throw new InvalidArgumentError(`floorDb must be below 0 dBFS, got ${opts.floorDb}`);
    // The procedural baseline's surfaces, engines and room: a strike sounds as the baseline would sound it.
    const surfaces = liveSurfaces(opts);
    this.tracker = new FrameContactTracker(surfaces);
    this.engines = surfaceEngines(surfaces, fs, opts.seed);
    this.roomOptions = liveRoomOptions(fs, { scene: opts.scene })!; // never null: the room is not turned off
    this.crossfadeN = defaultTimelineOptions(fs).crossfadeFrames;
    this.retimeAfterN = Math.round(Math.min(retimeAfter, 10) * fs);
    this.retimeAfterSplicedN = Math.round(Math.min(retimeAfterSpliced, 10) * fs);
    this.retimeHoldN = Math.round(retimeHold * fs);
    this.retimeFadeN = Math.round(0.01 * fs);
    this.commitFadeN = Math.round(0.002 * fs);
    this.commitPreN = Math.round(0.001 * fs);
    let cap = 1;
    while (cap < 2 * fs) cap *= 2;
    this.history = new Float32Array(cap);
    this.mask = cap - 1;
  }

  get originSec(): number { return this.model.originSec; }
  get timings() { return this.model.timings; }
  get generatedUntilSec(): number | undefined { return this.model.generatedUntilSec; }
  /**
   * Forwarded to the model (plus a move's shift while one lasts); a strike found late is placed that much further
   * ahead too (it is placed as the stream).
   */
  get extraLeadSec(): number { return this.baseExtraLead; }
  set extraLeadSec(v: number) { this.baseExtraLead = v; this.setMoveLead(this.moveLeadSec); }

  /** The lead a move adds to the model's (0 when none lasts), on top of the Worker's. */
  private setMoveLead(sec: number): void {
    this.moveLeadSec = sec;
    this.model.extraLeadSec = this.baseExtraLead + sec;
  }

  /**
   * Where the audio thread is: stream samples before `sample` have been rendered or are about to be (the browser
   * sampler's playhead plus a guard). From then on strikes and moves are placed from there (see the header), plus
   * the time the step has taken since. `live` reads the same point anew: each strike and move is placed from the later
   * of the two, read after the strike is rendered. The audio thread renders in bursts (measured in headless Chromium:
   * a strike placed from the step's first reading, before its 1–5 ms render, was overtaken by a burst in a third of
   * the late contacts and sounded ~20 ms late, crossfaded in instead of spliced). Returns `sample`.
   */
  commitUntil(sample: number, live?: () => number): number {
    this.commitN = sample;
    this.commitAtMs = performance.now();
    this.liveCommit = live ?? null;
    return sample;
  }

  push(frame: HandFrame): void {
    this.model.push(frame);
    if (!(frame.timeSec > this.lastFrameSec)) return;
    this.lastFrameSec = frame.timeSec;
    // A non-finite hand is untracked for this frame (the model hears it so too).
    this.frame.copyFrom(frame).sanitize();
    this.tracker.update(this.frame);
    for (const imp of this.tracker.impacts) this.pending.push({ ...imp });
  }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const t0 = performance.now();
    // Strikes first: the model's audio around a new impact is usually there already (it runs ahead). A step that
    // strikes hands the strike on at once and leaves the model's tick to the next step (it runs ahead by more than
    // one step), so the strike does not wait behind a tick.
    const struck: PcmChunk[] = [];
    this.judge(nowSec, 0, struck);
    if (struck.length > 0) return struck;
    const out = this.take(await this.model.advance(nowSec));
    this.judge(nowSec, this.adapt ? (performance.now() - t0) / 1000 : 0, out);
    return out;
  }

  /** Judges the impacts whose window the model's audio covers (or that cannot wait); strikes where it is silent. */
  private judge(nowSec: number, spentSec: number, out: PcmChunk[]): void {
    if (Number.isNaN(this.model.originSec)) return;
    const toSample = (sec: number) => Math.round((sec - this.model.originSec) * this.outputRate);
    const speculative = !Number.isNaN(this.commitN);
    // The first sample a strike or a move can still change: where the audio thread is (read as late as possible), or
    // its estimate from the clock.
    const earliestNow = () => speculative
      ? Math.max(this.commitN + (this.adapt ? Math.max(0, Math.round(((performance.now() - this.commitAtMs) / 1000) * this.outputRate)) : 0),
        this.liveCommit ? this.liveCommit() : -Infinity)
      : toSample(nowSec + spentSec + this.leadSec + this.extraLeadSec);
    const windowN = Math.round(this.windowSec * this.outputRate);
    while (this.pending.length > 0) {
      const imp = this.pending[0]!;
      let earliest = earliestNow();
      const at = toSample(imp.timeSec);
      // Judged once the model's audio covers the window (the model runs ahead, so usually at once), or when waiting
      // longer would delay the strike.
      if (at + windowN + this.onsetLookN > this.modelEnd && at > earliest) break;
      const onset = this.modelOnset(at);
      if (onset >= 0) {
        earliest = earliestNow();
        // Spliced in (speculative), the crossfade into the moved sound must lie in audio still to be played.
        const target = Math.max(at, earliest + (speculative ? this.commitPreN + this.commitFadeN : 0));
        let action: BackstopDecision['action'] = 'kept';
        if (onset - target > (speculative ? this.retimeAfterSplicedN : this.retimeAfterN)) {
          if (this.retime(onset, target, out, speculative)) { this.stats.retimed++; action = 'moved'; }
          else if (at > earliest) break; // the model's audio does not reach far enough past the onset yet: next step
          else action = 'unmoved';
        }
        this.onDecision?.({ action, impactSample: at, judgedSample: toSample(nowSec), earliestSample: earliest, onsetSample: onset, targetSample: target });
        this.pending.shift();
        this.stats.impacts++;
        continue;
      }
      this.pending.shift();
      this.stats.impacts++;
      this.stats.sounded++;
      const strike = this.strike(imp);
      earliest = earliestNow(); // after the render: the audio thread may have moved on meanwhile
      strike.start = Math.max(at, earliest);
      this.strikes.push(strike);
      this.onDecision?.({ action: 'struck', impactSample: at, judgedSample: toSample(nowSec), earliestSample: earliest, onsetSample: -1, targetSample: strike.start });
      // The model's audio already handed on from just before the strike: handed on again, with the strike in it.
      // Spliced in from the first sample still to play (it matches the queued audio up to the strike), else from a
      // crossfade before the strike.
      const from = Math.max(strike.start - this.crossfadeN, this.modelEnd - this.history.length + 1, 0, speculative ? earliest : 0);
      if (from < this.handedEnd) out.push({ ...this.mixed(from, this.handedEnd), ...(speculative ? { splice: true } : {}) });
    }
  }

  async finish(): Promise<PcmChunk[]> {
    const out = this.take(await this.model.finish());
    const r = this.retiming;
    if (r) { // the model ends: crossfade back at once
      r.backAt = Math.min(r.backAt, r.until);
      if (r.until < this.modelEnd) out.push(this.retimed(Math.max(r.until - 2 * this.crossfadeN, 0), this.modelEnd, r.until));
      this.endMove();
    }
    // Strikes that ring on past the end of the model's stream.
    let end = this.modelEnd;
    for (const s of this.strikes) end = Math.max(end, s.start + s.samples.length);
    if (end > this.modelEnd) {
      const tail = new Float32Array(end - this.modelEnd);
      this.addStrikes(this.modelEnd, tail);
      out.push({ startSample: this.modelEnd, samples: tail });
    }
    this.strikes.length = 0;
    return out;
  }

  async dispose(): Promise<void> { await this.model.dispose(); }

  /** Keeps the model's chunks (its own audio, for judging) and hands them on with any strike that overlaps them. */
  private take(chunks: PcmChunk[]): PcmChunk[] {
    const out: PcmChunk[] = [];
    const r = this.retiming;
    for (const c of chunks) {
      const n = c.samples.length;
      if (n === 0) continue;
      for (let s = this.modelEnd; s < c.startSample; s++) this.history[s & this.mask] = 0;
      for (let i = 0; i < n; i++) this.history[(c.startSample + i) & this.mask] = c.samples[i]!;
      this.modelEnd = Math.max(this.modelEnd, c.startSample + n);
      if (r) continue; // handed on below, as the moved onset's continuation
      const samples = this.strikes.length > 0 ? Float32Array.from(c.samples) : c.samples;
      this.addStrikes(c.startSample, samples);
      out.push({ startSample: c.startSample, samples });
    }
    if (r) {
      const until = this.retimeUntil(r);
      // From two crossfades before what was handed on: the timeline crossfaded the last chunk's tail back into the
      // model's unmoved audio still queued after it, and crossfades into this chunk over audio it already has.
      if (until > r.until) out.push(this.retimed(Math.max(r.until - 2 * this.crossfadeN, 0), until, r.until));
      r.until = until;
      if (until === this.modelEnd) this.endMove();
    }
    // Strikes wholly handed on are done.
    for (let i = this.strikes.length - 1; i >= 0; i--) {
      const s = this.strikes[i]!;
      if (s.start + s.samples.length <= this.modelEnd) this.strikes.splice(i, 1);
    }
    return out;
  }

  private addStrikes(start: number, samples: Float32Array): void {
    for (const s of this.strikes) {
      const a = Math.max(start, s.start), b = Math.min(start + samples.length, s.start + s.samples.length);
      for (let t = a; t < b; t++) samples[t - start]! += s.samples[t - s.start]!;
    }
  }

  /** The model's audio of [from, to) with the strikes in it. */
  private mixed(from: number, to: number): PcmChunk {
    const samples = new Float32Array(to - from);
    for (let i = 0; i < samples.length; i++) samples[i] = this.history[(from + i) & this.mask]!;
    this.addStrikes(from, samples);
    return { startSample: from, samples };
  }

  /** The engine's sound of one impact on its surface (its start is set once the sound is made). */
  private strike(imp: ImpactEvent): Strike {
    const fs = this.outputRate, n = Math.round(this.holdSec * fs), fade = Math.round(0.05 * fs);
    const engine = this.engines[imp.surfaceIndex]!;
    engine.samplePosition = 0;
    engine.reset(); // each strike is rendered whole, from silence; strikes that overlap are summed
    engine.impact(0, { speedMps: Math.min(imp.speedMps, 30), part: imp.part });
    const samples = new Float32Array(n);
    engine.process(samples, 0, n);
    new Room(this.roomOptions).process(samples); // a room of its own: the buffer is not the continuation of the last
    for (let i = 0; i < fade; i++) samples[n - 1 - i]! *= i / fade;
    return { start: NaN, samples };
  }

  /** How far the model's audio has been handed on (short of its end while a moved onset is handed on). */
  private get handedEnd(): number { return this.retiming ? this.retiming.until : this.modelEnd; }

  /**
   * Moves the model's onset at stream sample `onset` to `target` (earlier by `shift`): from just before `target` the
   * model's audio `shift` later is crossfaded in, held `retimeHoldSec` (at least until the model's audio at its own
   * time is 40 ms past its onset, so the onset is not heard twice) and crossfaded back. Handed on now up to `shift`
   * short of the model's end, the rest as the model's next chunks come. False (nothing handed on) while another
   * onset is being moved or where the audio from before `target` is no longer kept. `splice`: the crossfade in is
   * short and the chunk starts with it, spliced in (speculative placement: it all lies in audio still to play).
   */
  private retime(onset: number, target: number, out: PcmChunk[], splice = false): boolean {
    const fs = this.outputRate, shift = onset - target;
    const fadeIn = splice ? this.commitFadeN : this.retimeFadeN;
    // The crossfade into the moved sound: before its onset, in the quiet.
    const inAt = target - (splice ? this.commitPreN : Math.round(0.005 * fs)) - fadeIn;
    const from = splice ? inAt : Math.max(0, inAt - this.crossfadeN); // else the timeline's own crossfade lies on identical audio
    if (this.retiming || from < this.modelEnd - this.history.length + 1 || this.modelEnd - shift <= target) return false;
    const r = { shift, inAt, fadeIn, backAt: target + Math.max(this.retimeHoldN, shift + Math.round(0.04 * fs)), until: from };
    this.retiming = r;
    const until = this.retimeUntil(r);
    out.push(splice ? { ...this.retimed(from, until), splice: true } : this.retimed(from, until));
    r.until = until;
    if (until === this.modelEnd) this.endMove();
    // While the move is handed on `shift` short of the model's end, the model runs that much further ahead, so the
    // audio ahead of the playhead does not shrink.
    else this.setMoveLead(shift / this.outputRate);
    return true;
  }

  private endMove(): void {
    this.retiming = null;
    this.setMoveLead(0);
  }

  /** How far a moved onset can be handed on: all of the model's audio once the crossfade back is in it. */
  private retimeUntil(r: { shift: number; backAt: number }): number {
    return r.backAt + this.retimeFadeN + r.shift <= this.modelEnd ? this.modelEnd : this.modelEnd - r.shift;
  }

  /**
   * [from, to) of the moving onset's audio (strikes in it); kept as the model's audio handed on. Before `handed` it
   * is handed on already (kept in the history as it was).
   */
  private retimed(from: number, to: number, handed = from): PcmChunk {
    const r = this.retiming!, fade = this.retimeFadeN;
    const samples = new Float32Array(to - from);
    for (let i = 0; i < samples.length; i++) {
      const t = from + i;
      if (t < handed) { samples[i] = this.history[t & this.mask]!; continue; }
      // Weight of the moved sound: 0 before inAt, 1 from inAt + fadeIn to backAt, 0 from backAt + fade (equal power).
      const w = t < r.inAt || t >= r.backAt + fade ? 0 : t < r.inAt + r.fadeIn ? (t - r.inAt) / r.fadeIn : t < r.backAt ? 1 : 1 - (t - r.backAt) / fade;
      const moved = w > 0 && t + r.shift < this.modelEnd ? this.history[(t + r.shift) & this.mask]! : 0;
      samples[i] = Math.sin(w * Math.PI / 2) * moved + Math.cos(w * Math.PI / 2) * this.history[t & this.mask]!;
    }
    // What is handed on is the model's audio from now on (a later judgement or strike builds on it). Moved audio is
    // read `shift` ahead of what is written, so nothing read later has been overwritten.
    for (let i = 0; i < samples.length; i++) this.history[(from + i) & this.mask] = samples[i]!;
    this.addStrikes(from, samples);
    return { startSample: from, samples };
  }

  /**
   * The model's own onset for an impact at stream sample `s`, found as the evaluation's detector finds onsets
   * (asm/metrics.ts detectOnsets), so that what the backstop keeps or moves is the attack a listener and the metrics
   * hear: in [s − 10 ms, s + windowSec], the first 8 ms frame (2 ms hop) whose first-difference energy (the broadband
   * attack) rose `rise`² (default 2.8: 9 dB) over the two hops before and is the largest such rise within ±3 hops, and
   * whose RMS is above `floorDb`; refined to the first sample reaching 20 % of the attack's peak. −1: none (the model
   * left the impact silent). A plain level rise was too lenient: d2's soft swells before its attacks counted as
   * onsets, so late attacks were kept, or moved by too little (measured in the browser: 10–30 ms late after a move).
   */
  private modelOnset(s: number): number {
    const r = this.outputRate, win = this.onsetWinN, hop = this.onsetHopN;
    const oldest = Math.max(0, this.modelEnd - this.history.length + 1);
    const x = (i: number) => this.history[i & this.mask]!;
    /** First-difference energy of [a, a + win) in dB, and its plain RMS (−Infinity / 0 outside the audio kept). */
    const diffDb = (a: number) => {
      if (a - 1 < oldest || a + win > this.modelEnd) return -Infinity;
      let acc = 0;
      for (let i = a; i < a + win; i++) { const d = x(i) - x(i - 1); acc += d * d; }
      return 10 * Math.log10(acc / win + 1e-12);
    };
    const rms = (a: number) => {
      let e = 0;
      for (let i = a; i < a + win; i++) e += x(i) * x(i);
      return Math.sqrt(e / win);
    };
    const riseOf = (a: number) => diffDb(a) - diffDb(a - 2 * hop);
    const riseDb = 20 * Math.log10(this.rise);
    // (Frames past the model's audio count as no rise: an impact that cannot wait is judged on the audio there is.)
    const last = Math.min(s + Math.round(this.windowSec * r), this.modelEnd - win);
    for (let a = s - Math.round(0.01 * r); a <= last; a += hop) {
      const rise = riseOf(a);
      if (!(rise >= riseDb) || rms(a) < this.floor) continue;
      let peak = true;
      for (let g = a - 3 * hop; g <= a + 3 * hop && peak; g += hop) {
        if (g === a) continue;
        const rg = riseOf(g);
        if (rg > rise || (rg === rise && g < a)) peak = false;
      }
      if (!peak) continue;
      // The frame's newest hop holds the rise: from two hops before it, the first sample at 20 % of the attack's peak.
      const s0 = Math.max(oldest, a + win - 3 * hop), s1 = Math.min(this.modelEnd, a + win + hop);
      let top = 0;
      for (let i = s0; i < s1; i++) top = Math.max(top, Math.abs(x(i)));
      for (let i = s0; i < s1; i++) if (Math.abs(x(i)) >= 0.2 * top) return i;
      return s0;
    }
    return -1;
  }
}
