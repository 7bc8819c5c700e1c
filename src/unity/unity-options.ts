/**
 * The options string that the C# component passes to `HearingHands_Create`: the JSON that Unity's `JsonUtility`
 * writes for `HearingHandsOptions` (unity/Runtime/HearingHandsOptions.cs). JsonUtility writes every field, so an
 * empty string means "not set". Checked here once, at create time, so that the per-frame path trusts it.
 */
import { InvalidArgumentError } from '../errors.js';

export interface UnityRuntimeOptions {
  material?: string;
  surfaceHeightM?: number;
  marginSec?: number;
  /** URL of a model manifest to run instead of the procedural generator ('' or absent: procedural). */
  modelUrl?: string;
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
  for (const key of ['material', 'modelUrl', 'workerUrl', 'workletUrl'] as const) {
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
  return out;
}
