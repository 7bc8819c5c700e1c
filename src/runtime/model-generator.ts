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
import { HandFrame } from '../hand/hand-frame.js';
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from '../hand/joints.js';
import { actionFeatures, ACTION_DIM, type FlowModel, type MelStream } from '../model/index.js';
import type { Camera } from '../sim/scene.js';
import { VocoderStage } from '../vocoder/vocoder-stage.js';
import { InvalidArgumentError } from '../errors.js';
import { ActionTimeline, type SurfaceClamp } from './action-timeline.js';
import type { PcmChunk, SoundGenerator } from './generator.js';
import type { VisualContext } from './visual-context.js';

export interface ModelGeneratorOptions {
  model: FlowModel;
  dsp: Dsp;
  outputRate: number;
  camera: Camera;
  visual: VisualContext;
  /** How far ahead of the newest hand frame generation runs (default 0.05 s). */
  anticipationSec?: number;
  clamp?: SurfaceClamp;
  seed?: number;
  /** Griffin-Lim iterations per frame in the vocoder (default 8). */
  vocoderIterations?: number;
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
  private readonly melPerGrid: number;   // grid (30 Hz) frames per mel frame
  private readonly melPerVisual: number; // visual (4 Hz) frames per mel frame
  /** Mel frames generated so far. */
  framesDone = 0;
  /** Time spent in the model and the vocoder (for the per-stage report). */
  readonly timings = { modelMs: 0, vocoderMs: 0, conditioningMs: 0, ticks: 0 };
  private readonly grid = new Float32Array(2 * FLOATS_PER_FRAME);
  private readonly gridValid = new Uint8Array(2);
  private readonly visualRow: Float32Array;
  private cachedVisualFrame = -1;

  constructor(private readonly opts: ModelGeneratorOptions) {
    const { model, dsp, outputRate } = opts;
    this.outputRate = outputRate;
    this.anticipationSec = opts.anticipationSec ?? 0.05;
    if (!(this.anticipationSec >= 0 && this.anticipationSec <= 0.5)) throw new InvalidArgumentError(`anticipationSec must be in 0…0.5, got ${this.anticipationSec}`);
    const c = model.manifest.conditioning;
    if (opts.visual.dim !== c.visualDim) throw new InvalidArgumentError(`visual context gives ${opts.visual.dim}-d rows; the model takes ${c.visualDim}`);
    this.actions = new ActionTimeline({ rateHz: c.actionFps, maxAnticipationSec: this.anticipationSec + 0.04, clamp: opts.clamp });
    this.stream = model.createStream({ seed: opts.seed ?? 0 });
    this.chunkFrames = model.manifest.stream.chunkFrames;
    this.vocoder = new VocoderStage(dsp, { outputRate, maxChunkFrames: this.chunkFrames, iterations: opts.vocoderIterations ?? 8 });
    this.hopSec = dsp.settings.hop / dsp.settings.sampleRate;
    this.melPerGrid = c.actionFps * this.hopSec;
    this.melPerVisual = c.visualFps * this.hopSec;
    this.visualRow = new Float32Array(c.visualDim);
  }

  get originSec(): number { return this.actions.startSec; }

  push(frame: HandFrame): void { this.actions.push(frame); }

  async advance(nowSec: number): Promise<PcmChunk[]> {
    const out: PcmChunk[] = [];
    if (Number.isNaN(this.actions.startSec)) return out;
    const horizon = nowSec + this.anticipationSec - this.actions.startSec;
    while ((this.framesDone + this.chunkFrames - 1) * this.hopSec <= horizon) out.push(await this.tick());
    return out;
  }

  async finish(): Promise<PcmChunk[]> {
    return [this.vocoder.flush()];
  }

  async dispose(): Promise<void> {}

  private async tick(): Promise<PcmChunk> {
    const k = this.chunkFrames, first = this.framesDone;
    const t0 = performance.now();
    const action = new Float32Array(k * ACTION_DIM);
    const visual = new Float32Array(k * this.visualRow.length);
    for (let i = 0; i < k; i++) {
      this.actionRow(first + i, action.subarray(i * ACTION_DIM, (i + 1) * ACTION_DIM));
      visual.set(this.visualRowFor(first + i), i * this.visualRow.length);
    }
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

  /** Action features of mel frame i: its 30 Hz grid frame (causal nearest) and the one before, in camera frame. */
  private actionRow(i: number, out: Float32Array): void {
    const g = Math.floor(i * this.melPerGrid);
    const pair = this.grid;
    for (let j = 0; j < 2; j++) {
      const kp = pair.subarray(j * FLOATS_PER_FRAME, (j + 1) * FLOATS_PER_FRAME);
      const gi = g - 1 + j;
      if (gi < 0) { kp.fill(0); continue; }
      this.actions.gridFrame(gi, kp, this.gridValid);
      for (let h = 0; h < 2; h++) {
        const hand = kp.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
        if (this.gridValid[h]) toCameraFrame(hand, this.opts.camera);
        else hand.fill(0);
      }
    }
    const rows = actionFeatures(pair, this.actions.options.rateHz);
    out.set(rows.subarray(ACTION_DIM, 2 * ACTION_DIM));
  }

  private visualRowFor(i: number): Float32Array {
    const v = Math.floor(i * this.melPerVisual);
    if (v !== this.cachedVisualFrame) {
      // The view at the visual frame's time, with the hands drawn where they are (or are predicted to be) then.
      const g = Math.max(0, Math.round(v / this.opts.model.manifest.conditioning.visualFps * this.actions.options.rateHz));
      const kp = this.grid.subarray(0, FLOATS_PER_FRAME);
      const ok = this.safeGridFrame(g, kp);
      const hands = [0, 1].map((h) => (ok && this.gridValid[h] ? kp.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND) : null));
      this.opts.visual.features(hands, this.visualRow);
      this.cachedVisualFrame = v;
    }
    return this.visualRow;
  }

  private safeGridFrame(g: number, kp: Float32Array): boolean {
    try { this.actions.gridFrame(g, kp, this.gridValid); return true; } catch { return false; }
  }
}

/** Scene frame → camera frame (x right, y down, z forward), in place, for one hand's 21 keypoints. */
export function toCameraFrame(hand: Float32Array, cam: Camera): void {
  for (let k = 0; k < 21; k++) {
    const dx = hand[k * 3]! - cam.position[0], dy = hand[k * 3 + 1]! - cam.position[1], dz = hand[k * 3 + 2]! - cam.position[2];
    hand[k * 3] = dx * cam.right[0] + dy * cam.right[1] + dz * cam.right[2];
    hand[k * 3 + 1] = dx * cam.down[0] + dy * cam.down[1] + dz * cam.down[2];
    hand[k * 3 + 2] = dx * cam.forward[0] + dy * cam.forward[1] + dz * cam.forward[2];
  }
}
