/**
 * The paper's evaluation (section 5.1) on held-out items: every variant's log-mel is vocoded with the
 * DSP core's Griffin-Lim, then compared with the ground truth: STFT and envelope distances (DSP metrics),
 * onset timing against the labelled contact times (Dsp.onsets), and material / action agreement between
 * the classifier's labels for generated and ground-truth mels (our stand-in for CLAP-acc).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dsp } from '../../dsp/index.js';
import { createRunner, type BackendName, type OnnxRunner } from '../backend.js';
import { actionFeatures, toMelRate } from '../conditioning.js';
import { transpose, type FlowModel } from '../flow-model.js';
import { ACTION_DIM, N_MELS } from '../manifest.js';
import type { NeuralVocoder } from '../../vocoder/neural-vocoder.js';
import { vocodeClip } from '../../vocoder/vocode-clip.js';
import type { EvalItem } from './dataset.js';
import { aggregate, audibleContacts, matchOnsets, type ItemScore, type Judged, type VariantRow } from './metrics.js';

/** A way of producing an item's log-mel (frames × 80) from its conditioning. */
export interface Variant {
  name: string;
  generate(item: EvalItem, cond: { actionMel: Float32Array; visualMel: Float32Array }): Promise<Float32Array>;
}

/** `seed`: the noise every row starts from (each item the same noise in every row, so rows compare). */
export function modelVariants(model: FlowModel, fewSteps: number, seed = 1): Variant[] {
  const { offlineSteps, guidance, guidanceFrom, fewGuidance, fewGuidanceFrom } = model.manifest.sampling;
  const sampler = (steps: number, g: number, from: number) => `${steps} steps, g ${g}${from > 0 ? ` from flow time ${from}` : ''}`;
  const offline = (name: string, steps: number, keep = { action: true, visual: true }, g = guidance, from = guidanceFrom): Variant => ({
    name, generate: (_item, c) => model.generate({ ...c, steps, guidance: g, guidanceFrom: from, keep, seed }),
  });
  return [
    offline(`full model, ${sampler(offlineSteps, guidance, guidanceFrom)}`, offlineSteps),
    // The paper's sampler guides every step: its row stays for comparison where the model guides later.
    ...(guidanceFrom > 0 ? [offline(`full model, ${sampler(offlineSteps, guidance, 0)} (guided at every step, as the paper)`,
      offlineSteps, undefined, guidance, 0)] : []),
    offline(`w/o hand pose (action dropped), ${offlineSteps} steps`, offlineSteps, { action: false, visual: true }),
    offline(`w/o visual (visual dropped), ${offlineSteps} steps`, offlineSteps, { action: true, visual: false }),
    offline(`full model, ${sampler(fewSteps, guidance, guidanceFrom)}`, fewSteps),
    // The few-step sampler: its guidance in its interval, as the tick graph runs it.
    ...(fewGuidance !== guidance || fewGuidanceFrom !== guidanceFrom
      ? [offline(`full model, ${sampler(fewSteps, fewGuidance, fewGuidanceFrom)} (few-step guidance)`, fewSteps, undefined, fewGuidance, fewGuidanceFrom)] : []),
    streamingVariant(model, seed),
  ];
}

/**
 * The streaming ticks as the runtime runs them (MelStream: chunk by chunk, causal states), at `guidance` (default the
 * manifest's sampling.fewGuidance; a distilled tick has its guidance folded in and takes none).
 */
export function streamingVariant(model: FlowModel, seed = 1, guidance = model.manifest.sampling.fewGuidance): Variant {
  const { chunkFrames: n, tickSteps, guidanceRows } = model.manifest.stream;
  const from = model.manifest.sampling.fewGuidanceFrom;
  return {
    name: `streaming ticks (${n} frames = ${(n * 16).toFixed(0)} ms, ${tickSteps} steps, `
      + `${guidanceRows === 1 ? `distilled: g ${guidance} folded in` : `g ${guidance}`}${from > 0 ? ` from flow time ${from}` : ''})`,
    async generate(item, c) {
      const stream = model.createStream({ seed, guidance });
      const out = new Float32Array(item.frames * N_MELS);
      for (let f = 0; f < item.frames; f += n) {
        const m = Math.min(n, item.frames - f);
        out.set(await stream.tick(c.actionMel.subarray(f * ACTION_DIM, (f + m) * ACTION_DIM),
          c.visualMel.subarray(f * model.visualDim, (f + m) * model.visualDim)), f * N_MELS);
      }
      return out;
    },
  };
}

export class MelClassifier {
  private constructor(private readonly runner: OnnxRunner, readonly materials: readonly string[], readonly actions: readonly string[]) {}
  static async load(path: string, backend: BackendName, materials: readonly string[], actions: readonly string[]): Promise<MelClassifier> {
    return new MelClassifier(await createRunner(new Uint8Array(readFileSync(path)), backend, path), materials, actions);
  }
  async classify(logMel: Float32Array, frames: number): Promise<Judged> {
    const out = await this.runner.run({ log_mel: { data: transpose(logMel, frames, N_MELS), dims: [1, N_MELS, frames] } });
    const argmax = (a: Float32Array) => a.reduce((bi, v, i) => (v > a[bi]! ? i : bi), 0);
    return { material: this.materials[argmax(out['material_logits']!.data)]!, action: this.actions[argmax(out['action_logits']!.data)]! };
  }
  release(): Promise<void> { return this.runner.release(); }
}

export function conditioningOf(item: EvalItem, model: FlowModel): { actionMel: Float32Array; visualMel: Float32Array } {
  const { actionFps, visualFps, actionLookaheadFrames } = model.manifest.conditioning;
  return {
    actionMel: toMelRate(actionFeatures(item.keypoints, actionFps), ACTION_DIM, actionFps, item.frames, 0, undefined, actionLookaheadFrames),
    visualMel: toMelRate(item.visual, item.visualDim, visualFps, item.frames),
  };
}

/** 'neural': EvalOptions.neural (a NeuralVocoder, src/vocoder/neural-vocoder.ts). */
export type VocoderName = 'stream' | 'offline' | 'neural';

/**
 * Log-mel → 16 kHz. 'stream' is the product's path: the streaming Griffin-Lim stage (phase-continuous,
 * attack-gated against mel-inversion pre-echo; src/vocoder/vocode-clip.ts); 'offline' is the whole-clip fast
 * Griffin-Lim (32 iterations). Output sample 0 is frame 0's centre, length hop × (frames − 1).
 */
export function vocode(dsp: Dsp, logMel: Float32Array, frames: number, vocoder: Exclude<VocoderName, 'neural'> = 'stream'): Float32Array {
  if (vocoder === 'offline') return dsp.griffinLim(dsp.melToLinear(logMel, frames), frames, { iterations: 32 });
  return vocodeClip(dsp, logMel, frames);
}

export interface EvalOptions {
  onProgress?: (msg: string) => void;
  vocoder?: VocoderName;
  /** The neural vocoder, for vocoder 'neural'. */
  neural?: NeuralVocoder;
  /** Also aggregate each variant over the items this predicate keeps (e.g. materials seen in training). */
  subset?: (item: EvalItem) => boolean;
}

/** One item's scores under one variant: what the table's row averages, for looking at items and confusions. */
export interface ItemResult {
  variant: string;
  scene: string;
  item: string;
  /** The item's own labels, when the dataset has them. */
  material?: string;
  action?: string;
  /** The judge's labels for the ground truth and for the generated sound. */
  truthJudged?: Judged;
  judged?: Judged;
  stft: number;
  envelope: number;
  audibleContacts: number;
  audibleMissed: number;
  audibleOnsetErrorsMs: number[];
  /** Signed, in the same order: + the generated onset is late, − early. */
  audibleOnsetOffsetsMs: number[];
}

export interface EvalResult { rows: VariantRow[]; subsetRows: VariantRow[]; subsetItems: number; perItem: ItemResult[] }

/** The judge's labels `p` for a sound and `g` for the item's truth, and what they say: agreement, and accuracy against the item's own labels. */
function verdicts(item: EvalItem, g: Judged, p: Judged): Pick<ItemScore, 'judged' | 'truthJudged' | 'materialAgree' | 'actionAgree' | 'materialCorrect' | 'actionCorrect'> {
  return { judged: p, truthJudged: g, materialAgree: p.material === g.material, actionAgree: p.action === g.action,
    ...(item.material ? { materialCorrect: p.material === item.material } : {}), ...(item.action ? { actionCorrect: p.action === item.action } : {}) };
}

/** Scores each variant on each item; the first row is the vocoder-only reference (ground-truth mel → Griffin-Lim). */
export async function evaluate(items: EvalItem[], variants: Variant[], model: FlowModel, dsp: Dsp,
  classifier: MelClassifier | null, opts: EvalOptions = {}): Promise<EvalResult> {
  const gtWave = new Map<EvalItem, Float32Array>();
  const gtLabel = new Map<EvalItem, Judged>();
  const truthLabel = async (clf: MelClassifier, item: EvalItem): Promise<Judged> => {
    let g = gtLabel.get(item);
    if (!g) { g = await clf.classify(item.logMel, item.frames); gtLabel.set(item, g); }
    return g;
  };
  const neural = opts.neural;
  if (opts.vocoder === 'neural' && !neural) throw new Error("vocoder 'neural' needs EvalOptions.neural");
  const toWave = async (logMel: Float32Array, frames: number): Promise<Float32Array> =>
    (opts.vocoder === 'neural' ? neural!.vocode(logMel, frames) : vocode(dsp, logMel, frames, opts.vocoder));
  // The contacts the ground truth sounds (its WAV where the dataset has one, else its mel through the vocoder).
  const audible = new Map<EvalItem, number[]>();
  const audibleOf = async (item: EvalItem): Promise<number[]> => {
    let a = audible.get(item);
    if (!a) {
      const ref = item.wave ?? gtWave.get(item) ?? await toWave(item.logMel, item.frames);
      a = audibleContacts(dsp.onsets(ref), item.contactsSec);
      audible.set(item, a);
    }
    return a;
  };
  const onsetScores = async (onsets: ArrayLike<number>, item: EvalItem) => {
    const m = matchOnsets(onsets, item.contactsSec), au = await audibleOf(item), ma = matchOnsets(onsets, au);
    return { onsetErrorsSec: m.errorsSec, contacts: item.contactsSec.length, missed: m.missed, extra: m.extra,
      audibleErrorsSec: ma.errorsSec, audibleOffsetsSec: ma.offsetsSec, audibleContacts: au.length, audibleMissed: ma.missed };
  };
  const score = async (item: EvalItem, logMel: Float32Array): Promise<ItemScore> => {
    const wave = await toWave(logMel, item.frames);
    let ref = gtWave.get(item);
    if (!ref) { ref = item.wave ?? await toWave(item.logMel, item.frames); gtWave.set(item, ref); }
    const n = Math.min(wave.length, ref.length);
    const a = wave.subarray(0, n), b = ref.subarray(0, n);
    const s: ItemScore = { stft: dsp.stftDistance(a, b), envelope: dsp.envelopeDistance(a, b), ...(await onsetScores(dsp.onsets(a), item)) };
    return classifier ? { ...s, ...verdicts(item, await truthLabel(classifier, item), await classifier.classify(logMel, item.frames)) } : s;
  };
  const rows: VariantRow[] = [];
  const subsetRows: VariantRow[] = [];
  const keep = opts.subset ?? (() => true);
  const perItem: ItemResult[] = [];
  const push = (name: string, scores: ItemScore[], seconds: number) => {
    rows.push(aggregate(name, scores, seconds));
    scores.forEach((sc, i) => {
      const it = items[i]!;
      perItem.push({ variant: name, scene: it.scene, item: it.name, ...(it.material ? { material: it.material } : {}), ...(it.action ? { action: it.action } : {}),
        ...(sc.truthJudged ? { truthJudged: sc.truthJudged } : {}), ...(sc.judged ? { judged: sc.judged } : {}), stft: sc.stft, envelope: sc.envelope,
        audibleContacts: sc.audibleContacts, audibleMissed: sc.audibleMissed, audibleOnsetErrorsMs: sc.audibleErrorsSec.map((e) => e * 1000),
        audibleOnsetOffsetsMs: sc.audibleOffsetsSec.map((e) => e * 1000) });
    });
    const sub = scores.filter((_, i) => keep(items[i]!));
    subsetRows.push(aggregate(name, sub, (seconds * sub.length) / Math.max(1, scores.length)));
  };
  if (items.every((it) => it.wave)) {
    // How well the onset detector and the classifier do on the truth itself (distances are 0 by definition).
    const truth: ItemScore[] = [];
    for (const item of items) {
      const g = classifier ? await truthLabel(classifier, item) : null;
      truth.push({ stft: 0, envelope: 0, ...(await onsetScores(dsp.onsets(item.wave!), item)), ...(g ? verdicts(item, g, g) : {}) });
    }
    push('reference: ground-truth WAV', truth, 0);
  }
  const refScores: ItemScore[] = [];
  const t0 = performance.now();
  for (const item of items) refScores.push(await score(item, item.logMel));
  push(`reference: ground-truth mel → ${opts.vocoder === 'neural' ? `neural vocoder (${neural!.manifest.name})` : opts.vocoder === 'offline' ? 'offline Griffin-Lim' : 'streaming Griffin-Lim'}`, refScores, (performance.now() - t0) / 1000);
  for (const v of variants) {
    const scores: ItemScore[] = [];
    const t1 = performance.now();
    for (const item of items) scores.push(await score(item, await v.generate(item, conditioningOf(item, model))));
    push(v.name, scores, (performance.now() - t1) / 1000);
    opts.onProgress?.(`${v.name}: done (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  }
  return { rows, subsetRows, subsetItems: items.filter(keep).length, perItem };
}

export function classifierPath(manifestPath: string, file: string | undefined): string | null {
  return file ? join(dirname(manifestPath), file) : null;
}
