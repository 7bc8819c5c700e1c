/**
 * One chunk-causal generation stream (one hand/contact voice). Each `tick` takes the newest chunk's
 * conditioning at the mel rate, runs the tick graph once (K guided Euler steps over the chunk given the
 * fixed past, then the pass that folds the finished chunk into the per-block causal states) and returns the
 * chunk's log-mel frames. Cost per tick scales with the chunk, not with the past.
 */
import { InvalidArgumentError } from '../errors.js';
import type { FloatTensor } from './backend.js';
import type { ConditionKeep, FlowModel } from './flow-model.js';
import { ACTION_DIM, N_MELS, type ModelManifest } from './manifest.js';
import { GaussianNoise } from './noise.js';

export interface MelStreamOptions {
  /**
   * Default: the manifest's few-step guidance (the tick graph runs the few-step sampler). It applies to the tick's
   * passes from flow time `sampling.fewGuidanceFrom` on; the earlier ones are unguided (fixed in the graph).
   */
  guidance?: number;
  keep?: ConditionKeep;
  seed?: number;
}

export class MelStream {
  /** Mel frames generated so far (the index of the next tick's first frame). */
  framesDone = 0;
  private states: Float32Array[];
  private noise: GaussianNoise;
  private readonly seed: number;
  private readonly guidance: number;
  private readonly keep: Float32Array;

  constructor(private readonly model: FlowModel, opts: MelStreamOptions = {}) {
    this.states = zeroTickStates(model.manifest);
    this.seed = opts.seed ?? 0;
    this.noise = new GaussianNoise(this.seed);
    this.guidance = opts.guidance ?? model.manifest.sampling.fewGuidance;
    const keep = opts.keep ?? { action: true, visual: true };
    this.keep = Float32Array.of(keep.action ? 1 : 0, keep.visual ? 1 : 0);
  }

  /** Generates the next frames (as many as the conditioning rows; usually manifest.stream.chunkFrames). */
  async tick(actionMel: Float32Array, visualMel: Float32Array): Promise<Float32Array> {
    const frames = this.model.checkConditioning(actionMel, visualMel);
    const feeds = tickFeeds(this.model.manifest, this.noise.fill(new Float32Array(N_MELS * frames)), actionMel, visualMel,
      this.model.visualDim, this.keep, this.guidance, this.states);
    const shapes = this.model.manifest.stream.stateShapes;
    const out = await this.model.tick.run(feeds);
    this.states = shapes.map((_, i) => {
      const s = out[`next_state_${i}`];
      if (!s) throw new InvalidArgumentError(`tick graph returned no next_state_${i}`);
      return s.data;
    });
    this.framesDone += frames;
    return this.model.denormalise(out['mel']!.data, frames);
  }

  /** Start over: forget the past (silence before the next tick) and restart the noise from the seed. */
  reset(seed = this.seed): void {
    for (const s of this.states) s.fill(0);
    this.noise = new GaussianNoise(seed);
    this.framesDone = 0;
  }
}

/** The tick graph's states before any tick (silence): one per `stream.stateShapes`, of guidanceRows rows. */
export function zeroTickStates(manifest: ModelManifest): Float32Array[] {
  return manifest.stream.stateShapes.map(([a, b]) => new Float32Array(manifest.stream.guidanceRows * a * b));
}

/**
 * The tick graph's inputs for one chunk of `noise.length / 80` frames: the states hold guidanceRows rows (the
 * conditional and unconditional branches, or one for a distilled model, which then takes no guidance).
 */
export function tickFeeds(manifest: ModelManifest, noise: Float32Array, actionMel: Float32Array, visualMel: Float32Array,
  visualDim: number, keep: Float32Array, guidance: number, states: readonly Float32Array[]): Record<string, FloatTensor> {
  const frames = noise.length / N_MELS;
  const rows = manifest.stream.guidanceRows;
  const feeds: Record<string, FloatTensor> = {
    noise: { data: noise, dims: [1, N_MELS, frames] },
    action: { data: actionMel, dims: [1, frames, ACTION_DIM] },
    visual: { data: visualMel, dims: [1, frames, visualDim] },
    keep: { data: keep, dims: [1, 2] },
    ...(rows === 2 ? { guidance: { data: Float32Array.of(guidance), dims: [1] } } : {}),
  };
  manifest.stream.stateShapes.forEach(([a, b], i) => { feeds[`state_${i}`] = { data: states[i]!, dims: [rows, a, b] }; });
  return feeds;
}
