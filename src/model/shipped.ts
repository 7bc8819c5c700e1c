/**
 * The models shipped in models/ and what each is for. All are the same network (models/README.md):
 *  - live: hh-flow-s-live-d2, 2 one-row Euler steps with guidance folded in (a third of a guided 4-step tick's cost).
 *    Since session 18 it is distilled from hh-flow-s, the offline model, on the live windows (mostly the lookahead
 *    frames a live tick predicts): on the evaluation's live rows it names material and action far more often than
 *    the student of hh-flow-s-live it replaced, with the onset backstop as on time;
 *  - offline: hh-flow-s, trained on the true future frames — the better sampler when the whole trajectory is known
 *    (render --mode offline, the evaluation table).
 * hh-flow-s-live (trained mostly on predicted lookahead frames; the previous live default's teacher) still ships.
 * Paths are relative to the repository root.
 */
export const SHIPPED_MODEL_PATHS = {
  live: 'models/hh-flow-s-live-d2.json',
  offline: 'models/hh-flow-s.json',
} as const;

export type ShippedModelUse = keyof typeof SHIPPED_MODEL_PATHS;
