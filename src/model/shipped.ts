/**
 * The models shipped in models/ and what each is for. All are the same network; hh-flow-s and hh-flow-s-live differ
 * in what their lookahead hand frames were in training (models/README.md):
 *  - live: hh-flow-s-live-d2, hh-flow-s-live distilled to 2 one-row Euler steps with its guidance folded in (a
 *    third of its tick's cost, the same quality on the evaluation's live rows). hh-flow-s-live was trained mostly
 *    on the frames a live tick predicts (constant velocity, stopped at the surface) — it sounds a contact when the
 *    prediction shows it, so the streaming runtime's sound is on time;
 *  - offline: hh-flow-s, trained on the true future frames — the better sampler when the whole trajectory is known
 *    (render --mode offline, the evaluation table).
 * Paths are relative to the repository root.
 */
export const SHIPPED_MODEL_PATHS = {
  live: 'models/hh-flow-s-live-d2.json',
  offline: 'models/hh-flow-s.json',
} as const;

export type ShippedModelUse = keyof typeof SHIPPED_MODEL_PATHS;
