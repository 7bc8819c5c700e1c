/**
 * A sound generator turns hand frames into PCM at the output rate, as the live pipeline needs it: frames are pushed
 * as they arrive, and `advance(nowSec)` returns the audio that became final, each chunk stamped with its
 * position in the generator's stream (stream sample 0 plays at `originSec` on the hand clock).
 * The same generators run in the sampler Worker (live) and in Node (render, benches, tests).
 */
import type { HandFrame } from '../hand/hand-frame.js';

export interface PcmChunk {
  /** Output-rate index of samples[0] in this generator's stream. */
  startSample: number;
  samples: Float32Array;
  /**
   * The chunk replaces audio of this stream handed out before, and is the same as it up to the first sample that
   * changed: it is to be spliced in from its start without a crossfade (a speculative re-render).
   */
  splice?: boolean;
}

/** Time spent per stage by a model generator (summed over its ticks). */
export interface ModelTimings { modelMs: number; vocoderMs: number; conditioningMs: number; ticks: number }

export interface SoundGenerator {
  /** 'model' or 'procedural' (shown in HUDs and results). */
  readonly kind: 'model' | 'procedural';
  readonly outputRate: number;
  /** Hand-clock time of stream sample 0 (NaN until the first frame). */
  readonly originSec: number;
  push(frame: HandFrame): void;
  /** Generates what the hand data up to `nowSec` allows; returns the newly final audio (possibly none). */
  advance(nowSec: number): Promise<PcmChunk[]>;
  /** Ends the stream: the held-back tail. */
  finish(): Promise<PcmChunk[]>;
  dispose(): Promise<void>;
  /** A model generator's per-stage times (absent for the procedural one). */
  readonly timings?: ModelTimings;
  /**
   * Where the generator can make its audio further ahead (model, procedural): how much earlier than the hand clock's
   * mapping its stream is placed on the audio clock (the sampler Worker sets it each step).
   */
  extraLeadSec?: number;
  /**
   * Speculative placement (procedural, onset backstop): stream samples before `sample` are rendered or about to be
   * (the browser sampler tells where the audio thread is, each step); new sound is spliced in from there on. Returns
   * the commit point it used. `live`, where given, reads the same point anew (the audio thread moves on during a step;
   * the onset backstop reads it again right before it places a strike).
   */
  commitUntil?(sample: number, live?: () => number): number;
  /** A model generator: the hand-clock time up to which it has generated (it runs ahead of the hands). */
  readonly generatedUntilSec?: number;
}
