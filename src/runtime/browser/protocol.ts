/** Messages between the main thread (HearingHands) and the sampler Worker: discriminated unions, one job each. */
import type { BackstopDecision } from '../onset-backstop.js';

/** What the caller asks for: the model on the best EP ('auto': WebGPU when an adapter exists, else wasm), one EP, or no model. */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'procedural';
/** What is running now. */
export type ActiveBackend = 'webgpu' | 'wasm' | 'procedural';

/** Where the model comes from: a manifest URL (its tick graph is read from beside it), or the bytes themselves. */
export type ModelSource =
  | { manifestUrl: string }
  | { manifestText: string; tickBytes: ArrayBuffer };

export interface GeneratorSpec {
  backend: BackendChoice;
  model: ModelSource | null;
  /** When the model cannot run (missing, corrupt, mismatched): play the procedural baseline (after an error event) or fail. */
  allowProceduralFallback: boolean;
  /** onnxruntime-web's dist folder (absolute URL on the page's origin) or its exact glue/binary URLs. */
  ortWasmPaths: string | { mjs: string; wasm: string };
  material: string;
  surfaceHeightM: number;
  /** Where on the surface the hands work (x, z; m): the model's camera looks there. */
  surfaceCenterM: [number, number];
  /** Audio made ahead of the next sampler step (s): covers the Worker's scheduling jitter (procedural). */
  marginSec: number;
  /** Tests: a wasm standby even on the wasm EP, so that a failing session can be simulated mid-run. */
  faultInjection: boolean;
  /** Mel frames per model tick (null: the manifest's chunkFrames). */
  tickFrames: number | null;
  /** The procedural strike for a contact the model left silent (src/runtime/onset-backstop.ts). */
  onsetBackstop: boolean;
  /** Diagnostics: post each of the backstop's decisions ('backstop' messages). */
  reportBackstop: boolean;
}

/**
 * One impact the onset backstop judged (diagnostics), times on the audio clock (s): the impact, the model's onset (NaN:
 * none) and where the sound was wanted (see BackstopDecision in src/runtime/onset-backstop.ts).
 */
export interface BackstopReport {
  type: 'backstop';
  action: BackstopDecision['action'];
  impactAudioSec: number;
  /** When the sampler judged it (its hand clock, mapped as the stream is). */
  judgedAudioSec: number;
  earliestAudioSec: number;
  onsetAudioSec: number;
  targetAudioSec: number;
}

export type SamplerInit = {
  type: 'init';
  handRing: SharedArrayBuffer;
  chunkRing: SharedArrayBuffer;
  outputRate: number;
  /** The page's performance.timeOrigin (ms): hand frame times are page-relative seconds. */
  pageTimeOriginMs: number;
  generator: GeneratorSpec;
};

/** Faults a test can cause: destroy the WebGPU device, or make the model's session fail on its next run. */
export type SimulatedFault = 'lose-device' | 'fail-session';

export type ToSampler =
  | SamplerInit
  | { type: 'stop' }
  | { type: 'simulate-fault'; fault: SimulatedFault }
  /** The AudioContext runs again after a suspension: the audio clock stood still, its offset is learnt anew. */
  | { type: 'audio-clock-restarted' };

export interface SamplerStats {
  type: 'stats';
  steps: number;
  chunks: number;
  refusedChunks: number;
  lastStepMs: number;
  clockOffsetSec: number;
  /** Model only: ticks so far and their summed stage times (ms). */
  ticks: number;
  modelMs: number;
  vocoderMs: number;
  conditioningMs: number;
  /** Hands dropped from frames for non-finite coordinates. */
  droppedHands: number;
  /** Model with the onset backstop: impacts judged, and those the procedural strike sounded. */
  backstopImpacts: number;
  backstopSounded: number;
  backstopRetimed: number;
}

export type FromSampler =
  | { type: 'ready'; backend: ActiveBackend }
  | { type: 'backend'; backend: ActiveBackend; previous: ActiveBackend | null; reason: string }
  /** A hand struck the surface: hand 0 left, 1 right; time on the page clock (s). */
  | { type: 'contact'; hand: 0 | 1; timeSec: number; speedMps: number; material: string }
  | SamplerStats
  | BackstopReport
  /** fatal: the sampler could not start (create() rejects with it); otherwise it goes on (e.g. on the fallback). */
  | { type: 'error'; code: string; message: string; fatal: boolean };
