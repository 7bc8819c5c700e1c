/**
 * The flow model at run time: the offline sampler (the paper's mode: Euler steps with classifier-free
 * guidance over a whole window, one session run per step) and chunk-causal streams (one session run per
 * tick: the tick graph holds the K guided steps and the state update). Inputs and outputs are frame-major
 * (frames × values), like the DSP's mels; the graphs are channel-major inside, so we transpose here.
 */
import { FEATURES, type FeatureSettings } from '../dsp/features.js';
import { InvalidArgumentError, ModelMismatchError } from '../errors.js';
import type { BackendName } from './backend.js';
import type { BackendOptions, OnnxRunner, RunnerBackend } from './runner.js';
import { ACTION_DIM, N_MELS, assertCompatible, type ModelManifest } from './manifest.js';
import { GaussianNoise } from './noise.js';
import { MelStream, type MelStreamOptions } from './mel-stream.js';

/** Which conditions the model sees: both (full model), or one dropped (the paper's ablations). */
export interface ConditionKeep { action: boolean; visual: boolean }
export const KEEP_ALL: ConditionKeep = Object.freeze({ action: true, visual: true });

export interface OfflineRequest {
  /** melFrames × 252 action features at the mel rate (see conditioning.ts). */
  actionMel: Float32Array;
  /** melFrames × visualDim visual features at the mel rate. */
  visualMel: Float32Array;
  steps?: number;
  guidance?: number;
  /**
   * Flow time (0 = noise … 1 = data) from which steps are guided; steps before it take the conditional velocity alone.
   * Default: the manifest's `sampling.guidanceFrom`. Guidance at the noisiest steps is what exaggerates a sound.
   */
  guidanceFrom?: number;
  keep?: ConditionKeep;
  seed?: number;
  /**
   * Log-mel frames (frame-major, n × 80) that precede the window and are given, not generated: the first n rows of
   * the conditioning belong to them. The model is chunk-causal, so a long clip is generated window by window, each
   * continuing from the end of the last (the sound of a contact rings on across the boundary).
   */
  contextLogMel?: Float32Array;
}

const STEP_INPUTS = ['x', 'mask', 't', 'action', 'visual', 'keep', 'guidance'];

export function transpose(src: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols)): Float32Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return out;
}

// Node's backends, imported only when a Node caller names one: a computed specifier, so that browser bundlers
// (which take the runners from backend-web.ts through fromRunners) never pull onnxruntime-node in.
const NODE_BACKENDS = './backend.js';

export class FlowModel {
  private constructor(
    readonly manifest: ModelManifest,
    readonly backend: RunnerBackend,
    private readonly stepRunner: OnnxRunner | null,
    readonly tick: OnnxRunner,
  ) {}

  /** Checks the manifest against this runtime, then creates both sessions (Node: onnxruntime-node or -web). */
  static async create(manifest: ModelManifest, stepBytes: Uint8Array, tickBytes: Uint8Array, backend: BackendName,
    opts: BackendOptions & { settings?: FeatureSettings } = {}): Promise<FlowModel> {
    assertCompatible(manifest, opts.settings ?? FEATURES);
    const { createRunner } = (await import(NODE_BACKENDS)) as typeof import('./backend.js');
    const step = await createRunner(stepBytes, backend, manifest.files.step, opts);
    const tick = await createRunner(tickBytes, backend, manifest.files.tick, opts).catch(async (e: unknown) => { await step.release(); throw e; });
    return FlowModel.fromRunners(manifest, tick, step);
  }

  /**
   * A model over runners made elsewhere (the browser's onnxruntime-web sessions). Without a step runner only the
   * streaming ticks run (the live path); `generate` (offline) then refuses. Checks the manifest and the graphs' inputs;
   * releases the runners when it refuses.
   */
  static async fromRunners(manifest: ModelManifest, tick: OnnxRunner, step: OnnxRunner | null = null,
    settings: FeatureSettings = FEATURES): Promise<FlowModel> {
    const release = async () => { await step?.release(); await tick.release(); };
    try { assertCompatible(manifest, settings); } catch (e) { await release(); throw e; }
    const missing = step ? STEP_INPUTS.filter((n) => !step.inputNames.includes(n)) : [];
    const states = manifest.stream.stateShapes.length;
    const guidance = manifest.stream.guidanceRows === 2 ? ['guidance'] : []; // a distilled tick has guidance folded in
    const tickMissing = ['noise', 'action', 'visual', 'keep', ...guidance, ...Array.from({ length: states }, (_, i) => `state_${i}`)]
      .filter((n) => !tick.inputNames.includes(n));
    if (missing.length > 0 || tickMissing.length > 0) {
      await release();
      throw new ModelMismatchError(`model '${manifest.name}': graphs lack inputs ${[...missing, ...tickMissing].join(', ')} that its manifest promises`);
    }
    if (guidance.length === 0 && tick.inputNames.includes('guidance')) {
      await release();
      throw new ModelMismatchError(`model '${manifest.name}': its manifest says the tick has guidance folded in (stream.guidanceRows 1), but the tick graph takes guidance`);
    }
    return new FlowModel(manifest, tick.backend, step, tick);
  }

  /** The offline step graph (absent in a streaming-only model). */
  get step(): OnnxRunner {
    if (!this.stepRunner) throw new InvalidArgumentError(`model '${this.manifest.name}' was loaded for streaming only (no step graph): offline generation is not available`);
    return this.stepRunner;
  }

  get visualDim(): number { return this.manifest.conditioning.visualDim; }

  checkConditioning(actionMel: Float32Array, visualMel: Float32Array): number {
    if (actionMel.length === 0 || actionMel.length % ACTION_DIM !== 0) {
      throw new InvalidArgumentError(`action features: length ${actionMel.length} is not a positive multiple of ${ACTION_DIM}`);
    }
    const frames = actionMel.length / ACTION_DIM;
    if (visualMel.length !== frames * this.visualDim) {
      throw new InvalidArgumentError(`visual features: expected ${frames} × ${this.visualDim} values, got ${visualMel.length}`);
    }
    return frames;
  }

  /**
   * Offline generation of a whole window: returns frames × 80 log-mel (frame-major) — without the context frames,
   * when `contextLogMel` is given.
   */
  async generate(req: OfflineRequest): Promise<Float32Array> {
    const frames = this.checkConditioning(req.actionMel, req.visualMel);
    const steps = req.steps ?? this.manifest.sampling.offlineSteps;
    const guidance = req.guidance ?? this.manifest.sampling.guidance;
    const guidanceFrom = req.guidanceFrom ?? this.manifest.sampling.guidanceFrom;
    if (!Number.isInteger(steps) || steps < 1) throw new InvalidArgumentError(`steps must be a positive integer, got ${steps}`);
    if (!(guidanceFrom >= 0 && guidanceFrom <= 1)) throw new InvalidArgumentError(`guidanceFrom must be a flow time in [0, 1], got ${guidanceFrom}`);
    const keep = req.keep ?? KEEP_ALL;
    const ctx = req.contextLogMel ?? new Float32Array(0);
    if (ctx.length % N_MELS !== 0 || ctx.length / N_MELS >= frames) {
      throw new InvalidArgumentError(`context: ${ctx.length} values is not a whole number of 80-bin frames fewer than the window's ${frames}`);
    }
    const ctxFrames = ctx.length / N_MELS;
    const x = new GaussianNoise(req.seed ?? 0).fill(new Float32Array(N_MELS * frames));
    const mask = new Float32Array(frames).fill(1, 0, ctxFrames);
    const { mean, std } = this.manifest.melNorm;
    for (let f = 0; f < ctxFrames; f++) for (let m = 0; m < N_MELS; m++) x[m * frames + f] = (ctx[f * N_MELS + m]! - mean) / std;
    const fixed = {
      mask: { data: mask, dims: [1, 1, frames] },
      action: { data: req.actionMel, dims: [1, frames, ACTION_DIM] },
      visual: { data: req.visualMel, dims: [1, frames, this.visualDim] },
      keep: { data: Float32Array.of(keep.action ? 1 : 0, keep.visual ? 1 : 0), dims: [1, 2] },
    };
    const guided = { data: Float32Array.of(guidance), dims: [1] };
    const conditionalOnly = { data: Float32Array.of(1), dims: [1] }; // g 1: the guided velocity is the conditional one
    for (let k = 0; k < steps; k++) {
      const out = await this.step.run({
        ...fixed, x: { data: x, dims: [1, N_MELS, frames] }, t: { data: Float32Array.of(k / steps), dims: [1] },
        guidance: k / steps >= guidanceFrom ? guided : conditionalOnly,
      });
      const v = out['velocity']!.data;
      for (let m = 0; m < N_MELS; m++) for (let f = ctxFrames; f < frames; f++) x[m * frames + f] = x[m * frames + f]! + v[m * frames + f]! / steps;
    }
    return this.denormalise(x, frames).slice(ctxFrames * N_MELS);
  }

  /**
   * Channel-major normalised mel (80 × frames) → frame-major log-mel (frames × 80), clamped to the range
   * the model was trained on (guidance can overshoot it, and an overshoot is a loud click, never a sound).
   */
  denormalise(x: Float32Array, frames: number): Float32Array {
    const out = transpose(x, N_MELS, frames);
    const { mean, std } = this.manifest.melNorm;
    const hi = this.manifest.melNorm.max ?? Infinity;
    const lo = Math.log(this.manifest.features.logFloor);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(hi, Math.max(lo, out[i]! * std + mean));
    return out;
  }

  /** A chunk-causal stream: each tick denoises only the newest chunk given the states of the past. */
  createStream(opts: MelStreamOptions = {}): MelStream {
    return new MelStream(this, opts);
  }

  async dispose(): Promise<void> {
    await this.stepRunner?.release();
    await this.tick.release();
  }
}
