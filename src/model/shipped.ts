/**
 * The models shipped in models/ and what each is for. Both are the same network; they differ in what their
 * lookahead hand frames were in training (models/README.md):
 *  - live: mostly the frames a live tick predicts (constant velocity, stopped at the surface) — it sounds a contact
 *    when the prediction shows it, so the streaming runtime's sound is on time;
 *  - offline: the true future frames — the better sampler when the whole trajectory is known (render --mode
 *    offline, the evaluation table).
 * Paths are relative to the repository root.
 */
export const SHIPPED_MODEL_PATHS = {
  live: 'models/hh-flow-s-live.json',
  offline: 'models/hh-flow-s.json',
} as const;

export type ShippedModelUse = keyof typeof SHIPPED_MODEL_PATHS;
