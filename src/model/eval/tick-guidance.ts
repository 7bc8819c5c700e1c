/**
 * The streaming tick's guidance, chosen on the path the runtime plays: the streaming ticks (chunk by chunk, causal
 * states) vocoded by the streaming Griffin-Lim, judged on validation items, at each candidate guidance and several
 * noise seeds. The recipe's own choice (sampler_sweep.choose_few_guidance) samples whole windows offline in PyTorch
 * without a vocoder, which is not what the tick does: guidance that lifts material there can smear onsets here.
 */
import type { Dsp } from '../../dsp/index.js';
import type { FlowModel } from '../flow-model.js';
import type { EvalItem } from './dataset.js';
import { evaluate, streamingVariant, type MelClassifier } from './evaluate.js';

/** One candidate's scores, averaged over the seeds (and each seed's, to show the spread). */
export interface GuidanceScore {
  guidance: number;
  materialAgreePct: number;
  actionAgreePct: number;
  audibleOnsetP95Ms: number;
  perSeed: { seed: number; materialAgreePct: number; actionAgreePct: number; audibleOnsetP95Ms: number }[];
}

export interface GuidanceChoice {
  how: string;
  /** Per candidate guidance (guidanceKey): [material agree %, action agree %, audible contacts' onset error p95 ms], the means over the seeds. */
  val: Record<string, [number, number, number]>;
  chosen: number;
  /** False when no candidate kept onset p95 within the bound (the one with the smallest p95 is chosen). */
  withinOnsetBound: boolean;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** "2.0", "2.5": as the recipe's records spell guidances, and never an integer-like key (those would reorder). */
const guidanceKey = (g: number) => (Number.isInteger(g) ? g.toFixed(1) : String(g));

/**
 * Of the candidates whose mean onset p95 (the contacts the ground truth sounds: the table's audible column) is within `maxOnsetP95Ms`, the one with the largest material + action
 * agreement (a tie goes to the lower guidance: guidance exaggerates attacks); when none is within, the one with the
 * smallest onset p95.
 */
export function chooseGuidance(scores: readonly GuidanceScore[], maxOnsetP95Ms: number): { chosen: number; withinOnsetBound: boolean } {
  if (scores.length === 0) throw new RangeError('chooseGuidance: no candidates');
  const within = scores.filter((s) => s.audibleOnsetP95Ms <= maxOnsetP95Ms);
  if (within.length === 0) {
    const best = [...scores].sort((a, b) => a.audibleOnsetP95Ms - b.audibleOnsetP95Ms || a.guidance - b.guidance)[0]!;
    return { chosen: best.guidance, withinOnsetBound: false };
  }
  const sum = (s: GuidanceScore) => s.materialAgreePct + s.actionAgreePct;
  const best = [...within].sort((a, b) => sum(b) - sum(a) || a.guidance - b.guidance)[0]!;
  return { chosen: best.guidance, withinOnsetBound: true };
}

export interface TickGuidanceOptions {
  candidates: readonly number[];
  seeds: readonly number[];
  maxOnsetP95Ms: number;
  /** Where the items come from, for the record. */
  dataLabel: string;
  onProgress?: (msg: string) => void;
}

/** Scores every candidate guidance on `items` (the streaming ticks, vocoded as played, judged) and chooses one. */
export async function measureTickGuidance(items: EvalItem[], model: FlowModel, dsp: Dsp, judge: MelClassifier,
  opts: TickGuidanceOptions): Promise<{ scores: GuidanceScore[]; choice: GuidanceChoice }> {
  if (model.manifest.stream.guidanceRows !== 2) {
    throw new RangeError(`model '${model.manifest.name}': its tick has its guidance folded in (distilled), so there is none to choose`);
  }
  if (opts.candidates.length === 0 || opts.seeds.length === 0) throw new RangeError('measureTickGuidance: give at least one candidate and one seed');
  // One evaluation of every candidate at every seed: the reference rows (the truth through the vocoder) once, not per candidate.
  const runs = opts.candidates.flatMap((guidance) => opts.seeds.map((seed) => ({ guidance, seed, variant: streamingVariant(model, seed, guidance) })));
  const { rows } = await evaluate(items, runs.map((r) => r.variant), model, dsp, judge,
    { vocoder: 'stream', ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const modelRows = rows.slice(rows.length - runs.length); // after the references, one row per run, in order
  const scores = opts.candidates.map((g): GuidanceScore => {
    const perSeed = runs.flatMap((r, i) => (r.guidance === g ? [{ seed: r.seed, materialAgreePct: modelRows[i]!.materialAgreePct,
      actionAgreePct: modelRows[i]!.actionAgreePct, audibleOnsetP95Ms: modelRows[i]!.audibleOnsetP95Ms }] : []));
    const mean = (k: 'materialAgreePct' | 'actionAgreePct' | 'audibleOnsetP95Ms') => perSeed.reduce((a, s) => a + s[k], 0) / perSeed.length;
    return { guidance: g, materialAgreePct: mean('materialAgreePct'), actionAgreePct: mean('actionAgreePct'), audibleOnsetP95Ms: mean('audibleOnsetP95Ms'), perSeed };
  });
  return { scores, choice: guidanceChoice(scores, { items: items.length, seeds: opts.seeds, dataLabel: opts.dataLabel, maxOnsetP95Ms: opts.maxOnsetP95Ms }) };
}

/** The choice among `scores` (chooseGuidance), with the record the manifest keeps of how it was made. */
export function guidanceChoice(scores: readonly GuidanceScore[], on: { items: number; seeds: readonly number[]; dataLabel: string; maxOnsetP95Ms: number }): GuidanceChoice {
  const { chosen, withinOnsetBound } = chooseGuidance(scores, on.maxOnsetP95Ms);
  const val = Object.fromEntries(scores.map((s) => [guidanceKey(s.guidance),
    [round1(s.materialAgreePct), round1(s.actionAgreePct), round1(s.audibleOnsetP95Ms)] as [number, number, number]]));
  const how = `streaming ticks as the runtime plays them (vocoded by the streaming Griffin-Lim) on ${on.items} items of ${on.dataLabel}, `
    + `noise seeds ${on.seeds.join(', ')}: [material agree %, action agree %, onset error p95 ms of the contacts the truth sounds] per guidance, `
    + `means over the seeds; of those with that p95 <= ${on.maxOnsetP95Ms} ms the largest material + action sum wins (hearing-hands tick-guidance)`;
  return { how, val, chosen, withinOnsetBound };
}
