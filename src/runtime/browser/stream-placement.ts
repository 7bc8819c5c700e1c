/**
 * Where the sampler Worker puts a generator's stream on the audio clock. Its estimate of the audio-clock offset (the
 * largest playhead reading of the last second) moves by a few frames now and then — a reading leaves the window, a
 * burst comes — and placing every chunk by the latest estimate put consecutive chunks of one continuous sound a few
 * frames apart (a gap) or a few frames into each other (an overlap): a seam in the middle of a ringing sound, which
 * the playback timeline can only smooth into a short dip. So a chunk that continues the stream keeps the placement
 * of the chunk before it while the estimate stays within `toleranceFrames` of it, and follows the estimate at once
 * where that costs nothing: the stream starts (or starts over), or the sound there is silent. Beyond the tolerance
 * (a real change of the audio clock: a drift, a burst far beyond the others) it follows too, and the timeline
 * crossfades or fades across that one seam.
 */
export class StreamPlacement {
  /** Audio-clock frame of stream sample 0 (NaN until the first chunk). */
  private anchor = NaN;
  /** The stream sample after the last placed chunk, and that chunk's last value. */
  private nextSample = NaN;
  private lastValue = 0;
  /** The stream sample of the chunk that set the present anchor (audio before it was placed with another anchor). */
  private anchoredFrom = NaN;

  constructor(readonly toleranceFrames: number, readonly quietLevel = 1e-4) {}

  /** Forgets the stream (a new generator, a restarted clock): the next chunk takes the estimate. */
  reset(): void {
    this.anchor = NaN;
    this.nextSample = NaN;
    this.lastValue = 0;
    this.anchoredFrom = NaN;
  }

  /**
   * The audio-clock frame for a chunk that starts at stream sample `startSample`, given `anchorNow`: the frame the
   * present clock-offset estimate puts stream sample 0 at (an integer). A chunk continues the stream when it starts at
   * its end, or inside it (a re-render of the end of the stream from an earlier sample: speculative generators).
   */
  frameFor(anchorNow: number, startSample: number, samples: Float32Array): number {
    if (anchorNow !== this.anchor) {
      const continues = startSample <= this.nextSample && !Number.isNaN(this.anchor);
      if (!continues || Math.abs(anchorNow - this.anchor) > this.toleranceFrames || this.quiet(samples)) {
        this.anchor = anchorNow;
        this.anchoredFrom = startSample;
      }
    }
    const end = startSample + samples.length;
    if (!(end < this.nextSample)) {
      this.nextSample = end;
      if (samples.length > 0) this.lastValue = samples[samples.length - 1]!;
    }
    return this.anchor + startSample;
  }

  /** The audio-clock frame of stream sample 0 now (NaN before the first chunk). */
  get anchorFrame(): number { return this.anchor; }

  /**
   * Whether the audio placed from stream sample `startSample` on was all placed with the present anchor (a re-render
   * from there lands exactly on it), i.e. the anchor was set by an earlier chunk at or before that sample.
   */
  sameAnchorFrom(startSample: number): boolean { return startSample >= this.anchoredFrom; }

  /** Whether a chunk placed with `anchorNow` would keep the present anchor (a continuing stream, estimate in tolerance). */
  keeps(anchorNow: number): boolean {
    return !Number.isNaN(this.anchor) && Math.abs(anchorNow - this.anchor) <= this.toleranceFrames;
  }

  /** The end of the last placed chunk on the audio clock (NaN before the first). */
  get endFrame(): number { return this.anchor + this.nextSample; }

  private quiet(samples: Float32Array): boolean {
    const q = this.quietLevel;
    if (!(Math.abs(this.lastValue) < q)) return false;
    for (let i = 0; i < samples.length; i++) if (!(Math.abs(samples[i]!) < q)) return false;
    return true;
  }
}
