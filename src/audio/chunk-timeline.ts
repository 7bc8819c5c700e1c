/**
 * ChunkTimeline: where chunks meet the audio clock. Chunks are written into a circular buffer at their start frame;
 * rendering reads it in order. It lives on the audio thread, so nothing here allocates after construction.
 *
 * Rules (each is about never clicking):
 * - A chunk that overlaps audio already placed replaces it, with an equal-power crossfade over the first
 *   `crossfadeFrames` of the overlap (a regenerated chunk replacing an anticipated one, or overlapping windows).
 * - A chunk that starts where nothing is playing fades in over `fadeInFrames` (a generated chunk may not start at
 *   zero); and audio that arrives while a fade-out is under way brings the output gain back up at the same rate.
 * - Where the placed audio runs out (a stalled producer, or simply the end of a sound), the last `fadeOutFrames`
 *   before the end are ramped to silence. A producer that keeps at least that much audio ahead of the playhead
 *   never hears the ramp. That includes audio followed by a gap and then a later chunk: it ends with the same ramp
 *   (the later chunk moves the end of the placed audio past the gap, so the ramp is written into the audio then).
 * - An overlap too short for the crossfade (a continuous stream re-placed a few frames earlier: the sampler's clock
 *   offset moved) is not squeezed into those frames — an equal-power curve over a few frames is a bump, a switch
 *   between two signals in a few frames is a step — the older audio ramps out just before the chunk instead, and
 *   the chunk fades in, as across a gap.
 * - The parts of a chunk that lie in the past are skipped; a chunk entirely in the past is counted as late.
 * - A splice (a re-render of placed audio that is the same as it up to its first changed sample: the procedural
 *   sampler's speculation) overwrites the placed audio from its start with no equal-power crossfade and no fade-in,
 *   where it starts inside audio still to play; over its first `fadeInFrames` it goes linearly from the placed audio
 *   to its own (identical audio stays identical; a re-render that has drifted from what it replaces — seen in the
 *   browser: one-sample steps of ~10 % of a ringing sound — joins without a step). One that starts in the past (the audio thread got there first) is placed
 *   as any other chunk: the crossfade hides what its skipped head would have changed.
 */
import { InvalidArgumentError } from '../errors.js';

export interface ChunkTimelineOptions {
  /** Frames the timeline holds ahead of the playhead (rounded up to a power of two). */
  capacityFrames: number;
  crossfadeFrames: number;
  fadeInFrames: number;
  fadeOutFrames: number;
}

export type PlaceResult = 'placed' | 'late' | 'truncated';

/**
 * The playback defaults at a sample rate (shared by the AudioWorklet and the simulated audio thread): 1 s ahead,
 * 5 ms equal-power crossfades, 1 ms fade-in (audio resuming after a dropout must not click), 2 ms fade-out.
 */
export function defaultTimelineOptions(sampleRate: number): ChunkTimelineOptions {
  return {
    capacityFrames: sampleRate,
    crossfadeFrames: Math.round(0.005 * sampleRate),
    fadeInFrames: Math.round(0.001 * sampleRate),
    fadeOutFrames: Math.round(0.002 * sampleRate),
  };
}

export class ChunkTimeline {
  readonly capacityFrames: number;
  private readonly mask: number;
  private readonly buffer: Float32Array;
  private readonly fadeOld: Float32Array;  // cos ramp, crossfadeFrames long
  private readonly fadeNew: Float32Array;  // sin ramp
  private readonly fadeInFrames: number;
  private readonly fadeOutFrames: number;
  /** Next frame to render. */
  playhead = 0;
  /** End (exclusive) of the placed audio. */
  coveredEnd = 0;
  /** Whether the last rendered block still had audio (to count underruns once per dropout). */
  private audible = false;
  /** Output gain: follows the fade-out down at once, climbs back over fadeInFrames (a rescued dip must not click). */
  private gain = 0;

  constructor(opts: ChunkTimelineOptions) {
    for (const key of ['capacityFrames', 'crossfadeFrames', 'fadeInFrames', 'fadeOutFrames'] as const) {
      const v = opts[key];
      if (!Number.isInteger(v) || v < (key === 'capacityFrames' ? 1 : 0)) throw new InvalidArgumentError(`${key} must be a non-negative integer, got ${v}`);
    }
    let cap = 1;
    while (cap < opts.capacityFrames) cap *= 2;
    this.capacityFrames = cap;
    this.mask = cap - 1;
    this.buffer = new Float32Array(cap);
    const xf = opts.crossfadeFrames;
    this.fadeOld = new Float32Array(xf);
    this.fadeNew = new Float32Array(xf);
    for (let j = 0; j < xf; j++) {
      const a = ((j + 0.5) / xf) * (Math.PI / 2);
      this.fadeOld[j] = Math.cos(a);
      this.fadeNew[j] = Math.sin(a);
    }
    this.fadeInFrames = opts.fadeInFrames;
    this.fadeOutFrames = opts.fadeOutFrames;
  }

  /** Moves the playhead (e.g. to the audio clock at start) and forgets everything placed. */
  reset(frame: number): void {
    this.buffer.fill(0);
    this.playhead = frame;
    this.coveredEnd = frame;
    this.audible = false;
    this.gain = 0;
  }

  /** Skips the playhead forward to `frame` (blocks the audio thread missed), discarding what lay in between. */
  advanceTo(frame: number): void {
    const mask = this.mask, buf = this.buffer;
    const n = Math.min(frame - this.playhead, this.capacityFrames);
    for (let i = 0; i < n; i++) buf[(this.playhead + i) & mask] = 0;
    if (frame > this.playhead) this.playhead = frame;
  }

  /** Writes data[0..length) to start at `startFrame` (`splice`: see the rules above). */
  place(startFrame: number, data: Float32Array, length: number, splice = false): PlaceResult {
    let skip = 0;
    let s0 = Math.round(startFrame);
    if (s0 < this.playhead) { skip = this.playhead - s0; s0 = this.playhead; }
    if (skip >= length) return 'late';
    let n = length - skip;
    let result: PlaceResult = 'placed';
    const limit = this.playhead + this.capacityFrames;
    if (s0 + n > limit) { n = Math.max(0, limit - s0); result = 'truncated'; }
    const overlap = Math.max(0, Math.min(this.coveredEnd, s0 + n) - s0);
    const spliced = splice && skip === 0 && overlap > 0;
    const ramp = this.fadeOld.length;
    const newEnd = Math.max(this.coveredEnd, s0 + n);
    // Older audio still to play that ends at a gap before this chunk: it gets the fade-out it would have had if
    // nothing came after it (the render's ramp follows the end of the placed audio, which this chunk moves on).
    if (s0 > this.coveredEnd && this.coveredEnd > this.playhead) this.fadeOutUntil(this.coveredEnd, newEnd);
    // An overlap too short to crossfade, with the chunk running on past the older audio (a continuous stream
    // re-placed a few frames earlier), and room before it for the fade-out: the older audio ends with its fade-out
    // just before the chunk, which then starts as after a gap.
    const cut = !spliced && overlap > 0 && overlap < ramp && s0 + n > this.coveredEnd && s0 - this.playhead >= this.fadeOutFrames;
    if (cut) this.fadeOutUntil(s0, newEnd);
    // Crossfade into older audio at the head of the overlap …
    const headFade = cut || spliced ? 0 : Math.min(overlap, ramp);
    // … and back out of the new chunk into older audio when the chunk ends inside it.
    const tailStart = s0 + n < this.coveredEnd ? n - Math.min(ramp, n) : n;
    const tailFade = n - tailStart;
    // A chunk that starts where nothing plays (a gap before it, or the audio ran out) fades in by itself: the gap
    // before it counts as covered, so the output gain alone would already be up.
    const startsInSilence = cut || (overlap === 0 && (s0 > this.coveredEnd || this.coveredEnd <= this.playhead));
    const fadeIn = startsInSilence ? Math.min(this.fadeInFrames, n) : 0;
    // A splice joins the placed audio linearly (both are the same sound: an equal-power curve would bump it by 3 dB).
    const spliceRamp = spliced ? Math.min(this.fadeInFrames, overlap) : 0;
    // After a run-out the output is silent: its gain may jump back up there, and the chunk's own fade-in (not two
    // ramps on top of each other) brings the sound in.
    if (startsInSilence && this.coveredEnd <= this.playhead) this.gain = 1;
    const mask = this.mask, buf = this.buffer;
    for (let j = 0; j < n; j++) {
      const idx = (s0 + j) & mask;
      const old = buf[idx]!;
      let v = data[skip + j]!;
      if (j < headFade) {
        // Equal-power; an overlap shorter than the ramp uses the ramp compressed to its length.
        const k = headFade === ramp ? j : Math.floor((j * ramp) / headFade);
        v = old * this.fadeOld[k]! + v * this.fadeNew[k]!;
      } else if (j < spliceRamp) {
        v = old + ((v - old) * (j + 1)) / (spliceRamp + 1);
      } else if (j < fadeIn) {
        v = (v * (j + 1)) / (fadeIn + 1);
      }
      if (j >= tailStart) {
        const k = tailFade === ramp ? j - tailStart : Math.floor(((j - tailStart) * ramp) / tailFade);
        v = v * this.fadeOld[k]! + old * this.fadeNew[k]!;
      }
      buf[idx] = v;
    }
    this.coveredEnd = newEnd;
    return result;
  }

  /**
   * Writes into the unplayed audio before frame `end` the fade-out the render would give it if the placed audio ended
   * there, although after this placement it ends at `newEnd`. The render's gain is simulated both ways from the
   * present gain, and the samples are scaled by their ratio, so what plays is exactly the ramp (continuing one the
   * render has already begun) and the render's own gain, which no longer falls there, is not applied twice.
   */
  private fadeOutUntil(end: number, newEnd: number): void {
    const fade = this.fadeOutFrames, mask = this.mask, buf = this.buffer;
    const rise = 1 / Math.max(1, this.fadeInFrames);
    const from = Math.max(this.playhead, end - fade);
    // Up to the ramp both gains only climb towards 1 (the render's target is 1 far from an end).
    let would = this.gain, now = this.gain;
    if (from > this.playhead) would = now = Math.min(1, this.gain + rise * (from - this.playhead));
    for (let s = from; s < end; s++) {
      const w = (end - s) / fade; // 0 < w ≤ 1 here
      const left = newEnd - s;
      const n = left <= 0 ? 0 : left < fade ? left / fade : 1;
      would = w < would ? w : Math.min(w, would + rise);
      now = n < now ? n : Math.min(n, now + rise);
      const idx = s & mask;
      buf[idx] = now > 0 ? (buf[idx]! * would) / now : 0;
    }
  }

  /**
   * Renders `count` frames from the playhead into out[offset…], clearing what it read, and advances the playhead.
   * Returns true if this block ran out of audio after audible output (an underrun or the end of a sound).
   */
  render(out: Float32Array, offset: number, count: number): boolean {
    const mask = this.mask, buf = this.buffer, fade = this.fadeOutFrames;
    const rise = 1 / Math.max(1, this.fadeInFrames);
    const end = this.coveredEnd;
    let gain = this.gain;
    for (let i = 0; i < count; i++) {
      const s = this.playhead + i;
      const idx = s & mask;
      const left = end - s;
      let target = 1;
      if (left <= 0) target = 0;
      else if (left < fade) target = left / fade;
      // Audio that arrives while the fade-out is under way would jump back to full level: climb instead.
      gain = target < gain ? target : Math.min(target, gain + rise);
      out[offset + i] = buf[idx]! * gain;
      buf[idx] = 0;
    }
    this.gain = gain;
    this.playhead += count;
    const audibleNow = end > this.playhead;
    const ranOut = this.audible && !audibleNow;
    this.audible = audibleNow;
    return ranOut;
  }
}
