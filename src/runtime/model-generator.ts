/**
 * The model as a SoundGenerator: chunk-causal generation that runs a little ahead of the hands.
 *
 * Each `advance(now)` generates every chunk whose last mel frame is centred at or before now + anticipationSec
 * (stream time 0 = the first hand frame). A chunk's conditioning comes from the ActionTimeline: measured 30 Hz
 * grid frames where the hands have been seen, predicted ones just beyond (constant velocity, clamped by the
 * surfaces). Keypoints are expressed in the camera frame (x right, y down, z forward), as the training data's
 * HaMeR-style keypoints are; the visual rows come from the VisualContext at 4 Hz. The chunk's log-mel goes through
 * the streaming vocoder, which emits audio up to nFft/2 − hop samples behind the newest frame.
 */
import type { Dsp } from '../dsp/index.js';
import type { HandFrame } from '../hand/hand-frame.js';
import type { FlowModel, MelStream } from '../model/index.js';
import type { Camera } from '../sim/scene.js';
import { VocoderStage } from '../vocoder/vocoder-stage.js';
import { InvalidArgumentError } from '../errors.js';
import { ActionTimeline, type SurfaceClamp } from './action-timeline.js';
import type { ModelTimings, PcmChunk, SoundGenerator } from './generator.js';
import type { VisualContext } from './visual-context.js';
import { ConditioningBuilder } from './conditioning-builder.js';

export interface ModelGeneratorOptions {
  model: FlowModel;
  dsp: Dsp;
  outputRate: number;
  camera: Camera;
  visual: VisualContext;
  /**
   * Mel frames per tick (default: the manifest's chunkFrames, what the model was trained to denoise at once; the
   * tick graph takes any count, and fewer frames per tick means less anticipation is needed).
   */
  tickFrames?: number;
  /**
   * How far ahead of the newest hand frame generation runs. Default: just enough that the audio never runs dry
   * between ticks — a tick's frames, plus the vocoder's hold-back (nFft/2 − hop), plus one hop for the frame whose
   * centre is still ahead, plus one audio-thread block (128 frames at the output rate) and 5 ms for the sampler.
   */
  anticipationSec?: number;
  clamp?: SurfaceClamp;
  seed?: number;
  /**
   * Run further ahead by the measured cost of the ticks (default true, for live use). False makes the output depend
   * only on the inputs and the seed (reproducible renders and tests).
   */
  adaptToTickCost?: boolean;
  /** Griffin-Lim iterations per frame in the vocoder (default: the vocoder stage's). */
  vocoderIterations?: number;
  /**
   * A vocoder stage to play through (reset here) instead of a new one. A stage's memory lives in its Dsp for the Dsp's
   * life, so a caller that makes many generators on one Dsp (an evaluation: one per item) passes the same stage to
   * each. It must have been made on `dsp` with this outputRate, take chunks of tickFrames, and the generators that
   * share it must not run at the same time.
   */
  vocoder?: VocoderStage;
}

export class ModelGenerator implements SoundGenerator {
  readonly kind = 'model' as const;
  readonly outputRate: number;
  readonly anticipationSec: number;
  private readonly actions: ActionTimeline;
  private readonly stream: MelStream;
  private readonly vocoder: VocoderStage;
  private readonly chunkFrames: number;
  private readonly hopSec: number;
  private readonly conditioning: ConditioningBuilder;
  /** Mel frames generated so far. */
  framesDone = 0;
  /**
   * How much earlier than the hand clock's mapping the stream is placed (the sampler Worker places it by the smallest
   * audio-clock reading of the last second, the audio thread's bursts being up to this much ahead of it): the chunks
   * must be made that much further ahead.
   */
  extraLeadSec = 0;
  /** Smoothed wall time of one tick (s). */
  private tickSecEma = 0;
  /** Time spent in the model and the vocoder (for the per-stage report). */
  readonly timings: ModelTimings = { modelMs: 0, vocoderMs: 0, conditioningMs: 0, ticks: 0 };

  constructor(private readonly opts: ModelGeneratorOptions) {
    const { model, dsp, outputRate } = opts;
    this.outputRate = outputRate;
    const c = model.manifest.conditioning;
    this.chunkFrames = opts.tickFrames ?? model.manifest.stream.chunkFrames;
    if (!Number.isInteger(this.chunkFrames) || this.chunkFrames < 1 || this.chunkFrames > 64) throw new InvalidArgumentError(`tickFrames must be an integer in 1…64, got ${this.chunkFrames}`);
    const hopSec = dsp.settings.hop / dsp.settings.sampleRate;
    const holdBackSec = (dsp.settings.nFft / 2 - dsp.settings.hop) / dsp.settings.sampleRate;
    this.anticipationSec = opts.anticipationSec ?? (this.chunkFrames + 1) * hopSec + holdBackSec + 128 / outputRate + 0.005;
    if (!(this.anticipationSec >= 0 && this.anticipationSec <= 0.5)) throw new InvalidArgumentError(`anticipationSec must be in 0…0.5, got ${this.anticipationSec}`);
    if (opts.visual.dim !== c.visualDim) throw new InvalidArgumentError(`visual context gives ${opts.visual.dim}-d rows; the model takes ${c.visualDim}`);
    // A model that looks ahead needs the hands predicted that much further.
    const lookaheadSec = c.actionLookaheadFrames / c.actionFps;
    this.actions = new ActionTimeline({ rateHz: c.actionFps, maxAnticipationSec: this.anticipationSec + lookaheadSec + 0.04, clamp: opts.clamp });
    this.stream = model.createStream({ seed: opts.seed ?? 0 });
    this.vocoder = opts.vocoder ? reusedStage(opts.vocoder, outputRate, this.chunkFrames, opts.vocoderIterations)
      : new VocoderStage(dsp, { outputRate, maxChunkFrames: this.chunkFrames, ...(opts.vocoderIterations !== undefined ? { iterations: opts.vocoderIterations } : {}) });
    this.hopSec = dsp.settings.hop / dsp.settings.sampleRate;
    this.conditioning = new ConditioningBuilder(this.actions, opts.camera, opts.visual,
      { actionFps: c.actionFps, visualFps: c.visualFps, visualDim: c.visualDim, hopSec: this.hopSec, actionLookaheadFrames: c.actionLookaheadFrames });
  }

  get originSec(): number { return this.actions.startSec; }

  /** Stream time (s, the hands' clock) up to which mel frames have been generated. */
  get generatedUntilSec(): number { return this.actions.startSec + this.framesDone * this.hopSec; }

  push(frame: HandFrame): void { this.actions.push(frame); }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const out: PcmChunk[] = [];
    if (Number.isNaN(this.actions.startSec)) return out;
    // Run further ahead by what the ticks have been costing: the audio must not run dry while one is computed.
    const horizon = nowSec + this.anticipationSec + this.extraLeadSec + 1.5 * this.tickSecEma - this.actions.startSec;
    while ((this.framesDone + this.chunkFrames - 1) * this.hopSec <= horizon) {
      const t0 = performance.now();
      out.push(await this.tick());
      if (this.opts.adaptToTickCost !== false) this.tickSecEma += 0.2 * ((performance.now() - t0) / 1000 - this.tickSecEma);
    }
    return out;
  }

  async finish(): Promise<PcmChunk[]> {
    return [this.vocoder.flush()];
  }

  async dispose(): Promise<void> {}

  private async tick(): Promise<PcmChunk> {
    const k = this.chunkFrames;
    const t0 = performance.now();
    const { action, visual } = this.conditioning.build(this.framesDone, k);
    const t1 = performance.now();
    const mel = await this.stream.tick(action, visual);
    const t2 = performance.now();
    const chunk = this.vocoder.pushMel(mel);
    const t3 = performance.now();
    this.timings.conditioningMs += t1 - t0;
    this.timings.modelMs += t2 - t1;
    this.timings.vocoderMs += t3 - t2;
    this.timings.ticks++;
    this.framesDone += k;
    return chunk;
  }
}

/** A caller's vocoder stage, checked against what this generator will push through it, and started over. */
function reusedStage(stage: VocoderStage, outputRate: number, chunkFrames: number, iterations: number | undefined): VocoderStage {
  if (stage.outputRate !== outputRate) throw new InvalidArgumentError(`the vocoder stage plays at ${stage.outputRate} Hz; the generator's outputRate is ${outputRate}`);
  if (stage.maxChunkFrames < chunkFrames) throw new InvalidArgumentError(`the vocoder stage takes chunks of up to ${stage.maxChunkFrames} frames; ticks are ${chunkFrames}`);
  if (iterations !== undefined) throw new InvalidArgumentError('vocoderIterations is for a stage the generator makes; set them on the stage given');
  stage.reset();
  return stage;
}
