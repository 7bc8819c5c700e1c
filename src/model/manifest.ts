/**
 * The model manifest (DESIGN.md, "Model files"): the JSON written beside each exported ONNX file by
 * models/recipe/train.py. The runtime reads it, checks it against its own feature settings and tensor
 * layout, and refuses a model that disagrees, with a ModelMismatchError that names every difference.
 */
import { FEATURES, featureMismatches, type FeatureSettings } from '../dsp/features.js';
import { ModelLoadError, ModelMismatchError } from '../errors.js';

export const MANIFEST_FORMAT = 'hearing-hands/model@1';
/** 2 hands × 21 keypoints × xyz positions, then the same for their velocities. */
export const ACTION_DIM = 252;
export const N_MELS = 80;

export interface ModelManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly name: string;
  readonly features: FeatureSettings;
  readonly files: {
    readonly step: string; readonly tick: string; readonly classifier?: string;
    /** Weight-only int8 copies of the graphs (4× smaller downloads, same fp32 arithmetic once loaded). */
    readonly quantized?: { readonly step: string; readonly tick: string };
  };
  readonly parameters: number;
  /** Normalisation of log-mel inside the graphs; `max` (the training data's loudest value) clamps outputs. */
  readonly melNorm: { readonly mean: number; readonly std: number; readonly max?: number };
  readonly window: { readonly trainFrames: number; readonly receptiveFieldFrames: number; readonly offlineSec: number };
  readonly stream: {
    readonly chunkFrames: number;
    readonly tickSteps: number;
    /** Per block: the causal-convolution state's dims after the batch axis ([frames, channels]); guidanceRows × batch rows. */
    readonly stateShapes: readonly (readonly [number, number])[];
    /**
     * Rows per item in the tick graph: 2 = the conditional and unconditional branches of guidance (the graph takes a
     * `guidance` input); 1 = a distilled network with guidance folded in (no `guidance` input). Absent: 2.
     */
    readonly guidanceRows: 1 | 2;
  };
  readonly conditioning: {
    readonly actionDim: number;
    readonly actionFps: number;
    /** Action frames the model looks ahead of each mel frame (0 = causal; the runtime anticipates the hands that far). */
    readonly actionLookaheadFrames: number;
    readonly visualDim: number;
    readonly visualFps: number;
    readonly width: number;
    /**
     * The visual encoder inside the graphs (recipe/material_prior.py), or null: each visual frame is pulled `mix` of
     * the way to the mean training frame of the materials it probably shows. The runtime feeds raw visual rows either way.
     */
    readonly materialPrior: { readonly mix: number; readonly materials: readonly string[] } | null;
  };
  /**
   * Offline: the paper's steps and guidance; `guidanceFrom` (default 0) is the flow time from which the offline sampler
   * guides: earlier steps take the conditional velocity alone (guidance in a limited interval, Kynkäänniemi et al. 2024).
   * Few-step (ticks): its own guidance, chosen on validation data, guided from `fewGuidanceFrom` (default 0: every
   * step). The tick graph has that interval built in (recipe/tick_graph.py); a distilled tick has it folded in.
   */
  readonly sampling: {
    readonly offlineSteps: number; readonly guidance: number; readonly guidanceFrom: number;
    readonly fewSteps: number; readonly fewGuidance: number; readonly fewGuidanceFrom: number;
  };
  readonly labels: { readonly materials: readonly string[]; readonly actions: readonly string[] };
  readonly training: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ModelLoadError(`model manifest: ${where} must be an object`);
  return v as Json;
}
function materialPrior(v: unknown): ModelManifest['conditioning']['materialPrior'] {
  if (v === undefined) return null;
  const p = obj(v, 'conditioning.materialPrior');
  const mix = num(p, 'mix', 'conditioning.materialPrior', false);
  if (mix < 0 || mix > 1) throw new ModelLoadError(`model manifest: conditioning.materialPrior.mix must be in [0, 1], got ${mix}`);
  return { mix, materials: strList(p['materials'], 'conditioning.materialPrior.materials') };
}
function num(o: Json, key: string, where: string, positive = true): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) {
    throw new ModelLoadError(`model manifest: ${where}.${key} must be a ${positive ? 'positive ' : ''}finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}
function quantizedFiles(q: Json): { step: string; tick: string } {
  return { step: str(q, 'step', 'files.quantized'), tick: str(q, 'tick', 'files.quantized') };
}
function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new ModelLoadError(`model manifest: ${where}.${key} must be a non-empty string`);
  return v;
}
function strList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ModelLoadError(`model manifest: ${where} must be a list of strings`);
  return v as string[];
}

/** Parses and shape-checks a manifest (ModelLoadError on malformed JSON or fields). */
export function parseManifest(text: string, source = 'manifest'): ModelManifest {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    throw new ModelLoadError(`model manifest ${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const m = obj(raw, 'root');
  if (m['format'] !== MANIFEST_FORMAT) {
    throw new ModelMismatchError(`model manifest ${source}: format ${JSON.stringify(m['format'])} is not ${MANIFEST_FORMAT}`);
  }
  const files = obj(m['files'], 'files');
  const melNorm = obj(m['melNorm'], 'melNorm');
  const window = obj(m['window'], 'window');
  const stream = obj(m['stream'], 'stream');
  const cond = obj(m['conditioning'], 'conditioning');
  const sampling = obj(m['sampling'], 'sampling');
  const labels = m['labels'] === undefined ? { materials: [], actions: [] } : obj(m['labels'], 'labels');
  const shapes = stream['stateShapes'];
  if (!Array.isArray(shapes) || shapes.some((s) => !Array.isArray(s) || s.length !== 2 || s.some((d) => !Number.isInteger(d) || d <= 0))) {
    throw new ModelLoadError('model manifest: stream.stateShapes must be a list of [frames, channels] positive integers');
  }
  const classifier = files['classifier'];
  return {
    format: MANIFEST_FORMAT,
    name: str(m, 'name', 'root'),
    features: obj(m['features'], 'features') as unknown as FeatureSettings,
    files: {
      step: str(files, 'step', 'files'), tick: str(files, 'tick', 'files'), ...(typeof classifier === 'string' ? { classifier } : {}),
      ...(files['quantized'] === undefined ? {} : { quantized: quantizedFiles(obj(files['quantized'], 'files.quantized')) }),
    },
    parameters: num(m, 'parameters', 'root'),
    melNorm: { mean: num(melNorm, 'mean', 'melNorm', false), std: num(melNorm, 'std', 'melNorm'),
      ...(melNorm['max'] === undefined ? {} : { max: num(melNorm, 'max', 'melNorm', false) }) },
    window: {
      trainFrames: num(window, 'trainFrames', 'window'),
      receptiveFieldFrames: num(window, 'receptiveFieldFrames', 'window'),
      offlineSec: num(window, 'offlineSec', 'window'),
    },
    stream: {
      chunkFrames: num(stream, 'chunkFrames', 'stream'),
      tickSteps: num(stream, 'tickSteps', 'stream'),
      stateShapes: (shapes as [number, number][]).map(([c, f]) => [c, f] as const),
      guidanceRows: guidanceRows(stream['guidanceRows']),
    },
    conditioning: {
      actionDim: num(cond, 'actionDim', 'conditioning'),
      actionFps: num(cond, 'actionFps', 'conditioning'),
      actionLookaheadFrames: cond['actionLookaheadFrames'] === undefined ? 0 : num(cond, 'actionLookaheadFrames', 'conditioning', false),
      visualDim: num(cond, 'visualDim', 'conditioning'),
      visualFps: num(cond, 'visualFps', 'conditioning'),
      width: num(cond, 'width', 'conditioning'),
      materialPrior: materialPrior(cond['materialPrior']),
    },
    sampling: {
      offlineSteps: num(sampling, 'offlineSteps', 'sampling'),
      guidance: num(sampling, 'guidance', 'sampling', false),
      guidanceFrom: guidanceFrom(sampling['guidanceFrom'], 'guidanceFrom'),
      fewSteps: num(sampling, 'fewSteps', 'sampling'),
      fewGuidance: sampling['fewGuidance'] === undefined ? num(sampling, 'guidance', 'sampling', false) : num(sampling, 'fewGuidance', 'sampling', false),
      fewGuidanceFrom: guidanceFrom(sampling['fewGuidanceFrom'], 'fewGuidanceFrom'),
    },
    labels: { materials: strList(labels['materials'], 'labels.materials'), actions: strList(labels['actions'], 'labels.actions') },
    training: m['training'] === undefined ? {} : obj(m['training'], 'training'),
    metrics: m['metrics'] === undefined ? {} : obj(m['metrics'], 'metrics'),
  };
}

/**
 * Refuses a model that was trained on other features or another conditioning layout than this runtime
 * computes: every feature setting must be present and equal, and the action layout must be ours.
 */
export function assertCompatible(manifest: ModelManifest, settings: FeatureSettings = FEATURES, source = manifest.name): void {
  const problems = featureMismatches(settings, manifest.features);
  for (const key of Object.keys(settings)) {
    if (!(key in manifest.features)) problems.push(`${key}: expected ${String(settings[key as keyof FeatureSettings])}, missing`);
  }
  const la = manifest.conditioning.actionLookaheadFrames;
  if (!Number.isInteger(la) || la < 0 || la > 8) problems.push(`conditioning.actionLookaheadFrames: expected an integer in 0…8, got ${la}`);
  if (manifest.conditioning.actionDim !== ACTION_DIM) problems.push(`conditioning.actionDim: expected ${ACTION_DIM}, got ${manifest.conditioning.actionDim}`);
  if (problems.length > 0) {
    throw new ModelMismatchError(`model '${source}' does not match this runtime's audio features: ${problems.join('; ')}`);
  }
}

function guidanceFrom(v: unknown, key: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number' && v >= 0 && v < 1) return v;
  throw new ModelLoadError(`model manifest: sampling.${key} must be a flow time in [0, 1), got ${JSON.stringify(v)}`);
}

function guidanceRows(v: unknown): 1 | 2 {
  if (v === undefined) return 2;
  if (v === 1 || v === 2) return v;
  throw new ModelLoadError(`model manifest: stream.guidanceRows must be 1 or 2, got ${JSON.stringify(v)}`);
}
