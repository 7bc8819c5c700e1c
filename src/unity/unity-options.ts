/**
 * The options string that the C# component passes to `HearingHands_Create`: the JSON that Unity's `JsonUtility`
 * writes for `HearingHandsOptions` (unity/Runtime/HearingHandsOptions.cs). JsonUtility writes every field, so an
 * empty string means "not set". Checked here once, at create time, so that the per-frame path trusts it.
 */
import { InvalidArgumentError } from '../errors.js';
import type { BackendChoice, HearingHandsOptions } from '../runtime/browser/hearing-hands.js';

const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'procedural'];

export interface UnityRuntimeOptions {
  material?: string;
  surfaceHeightM?: number;
  marginSec?: number;
  /** URL of a model manifest to run instead of the procedural generator ('' or absent: procedural). */
  modelUrl?: string;
  /** With a model: mel frames per tick (absent or C#'s 0: the manifest's). */
  modelTickFrames?: number;
  /** With a model: 'auto' (WebGPU when there is an adapter, else wasm), 'webgpu', 'wasm' or 'procedural'. */
  backend?: BackendChoice;
  /** onnxruntime-web's dist folder on the page's origin (the runtime's default: 'ort/' beside the page). */
  ortUrl?: string;
  /** A model that cannot run: true plays the procedural baseline after an error (the runtime's default), false fails. */
  allowProceduralFallback?: boolean;
  /** With a model: the procedural strike for a contact the model left silent (the runtime's default: true). */
  onsetBackstop?: boolean;
  /** Where the sampler Worker and the playback worklet are served; absent: the copies inside the plugin. */
  workerUrl?: string;
  workletUrl?: string;
}

export function parseUnityOptions(json: string): UnityRuntimeOptions {
  let raw: unknown;
  try {
    raw = json.trim() === '' ? {} : JSON.parse(json);
  } catch (e) {
    throw new InvalidArgumentError(`options are not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidArgumentError('options must be a JSON object');
  const o = raw as Record<string, unknown>;
  const out: UnityRuntimeOptions = {};
  for (const key of ['material', 'modelUrl', 'ortUrl', 'workerUrl', 'workletUrl'] as const) {
    const v = o[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new InvalidArgumentError(`option ${key} must be a string, got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  const surface = o['surfaceHeightM'];
  if (surface !== undefined) {
    if (typeof surface !== 'number' || !Number.isFinite(surface)) throw new InvalidArgumentError(`option surfaceHeightM must be a finite number, got ${JSON.stringify(surface)}`);
    out.surfaceHeightM = surface;
  }
  const margin = o['marginSec'];
  if (margin !== undefined && margin !== 0) { // JsonUtility writes 0 for a field left at its C# default of 0
    if (typeof margin !== 'number' || !(margin > 0 && margin < 1)) throw new InvalidArgumentError(`option marginSec must be seconds in (0, 1), got ${JSON.stringify(margin)}`);
    out.marginSec = margin;
  }
  const ticks = o['modelTickFrames'];
  if (ticks !== undefined && ticks !== 0) { // JsonUtility writes 0 for the C# default: the model's own
    if (typeof ticks !== 'number' || !Number.isInteger(ticks) || ticks < 1 || ticks > 64) throw new InvalidArgumentError(`option modelTickFrames must be an integer in 1…64 (0: the model's own), got ${JSON.stringify(ticks)}`);
    out.modelTickFrames = ticks;
  }
  const backend = o['backend'];
  if (backend !== undefined && backend !== '') {
    if (!BACKENDS.includes(backend as BackendChoice)) throw new InvalidArgumentError(`option backend must be one of ${BACKENDS.join(', ')}, got ${JSON.stringify(backend)}`);
    out.backend = backend as BackendChoice;
  }
  for (const key of ['allowProceduralFallback', 'onsetBackstop'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new InvalidArgumentError(`option ${key} must be true or false, got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  return out;
}

/**
 * The runtime's options for these: the Worker/worklet URLs to use when the options name none, and where the page
 * wants the sound (HearingHandsUnity.setAudioOutput).
 */
export function toHearingHandsOptions(
  o: UnityRuntimeOptions,
  embedded: () => { worker: string; worklet: string },
  output: { context?: AudioContext; destination?: AudioNode },
): HearingHandsOptions {
  const urls = o.workerUrl && o.workletUrl ? { worker: o.workerUrl, worklet: o.workletUrl } : embedded();
  const opts: HearingHandsOptions = { workerUrl: o.workerUrl ?? urls.worker, workletUrl: o.workletUrl ?? urls.worklet };
  if (o.material !== undefined) opts.material = o.material;
  if (o.surfaceHeightM !== undefined) opts.surfaceHeightM = o.surfaceHeightM;
  if (o.marginSec !== undefined) opts.marginSec = o.marginSec;
  if (o.modelUrl !== undefined) opts.model = { manifestUrl: o.modelUrl };
  if (o.modelTickFrames !== undefined) opts.modelTickFrames = o.modelTickFrames;
  if (o.backend !== undefined) opts.backend = o.backend;
  if (o.ortUrl !== undefined) opts.ortUrl = o.ortUrl;
  if (o.allowProceduralFallback !== undefined) opts.allowProceduralFallback = o.allowProceduralFallback;
  if (o.onsetBackstop !== undefined) opts.onsetBackstop = o.onsetBackstop;
  if (output.context) opts.audioContext = output.context;
  if (output.destination) opts.destination = output.destination;
  return opts;
}
