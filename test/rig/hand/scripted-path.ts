/**
 * The scripted right-hand path of the browser rig, shared by the page (which drives IWER's hand along
 * it) and the test (which checks what the consumer Worker received): rest, lower 15 cm onto a table
 * height, rest on the table, lift back, rest. Smooth (raised-cosine) moves, metres, XR reference space.
 */
export const REST_POSITION_M = [0.15, 1.15, -0.35] as const;
export const TABLE_DROP_M = 0.15;

const PHASES_SEC = { rest: 0.5, down: 0.5, onTable: 0.3, up: 0.5 } as const;
export const SCRIPTED_PATH_DURATION_SEC = PHASES_SEC.rest * 2 + PHASES_SEC.down + PHASES_SEC.onTable + PHASES_SEC.up;

function ease(u: number): number { return 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, u))); }

/** Hand position at `tSec` after the path started. */
export function scriptedHandPositionM(tSec: number): [number, number, number] {
  const { rest, down, onTable, up } = PHASES_SEC;
  let drop = 0;
  if (tSec < rest) drop = 0;
  else if (tSec < rest + down) drop = ease((tSec - rest) / down);
  else if (tSec < rest + down + onTable) drop = 1;
  else drop = 1 - ease((tSec - rest - down - onTable) / up);
  // A little sideways drift too, so that x and z are checked, not only y.
  const drift = 0.05 * ease(tSec / SCRIPTED_PATH_DURATION_SEC);
  return [REST_POSITION_M[0] + drift, REST_POSITION_M[1] - TABLE_DROP_M * drop, REST_POSITION_M[2] - drift];
}
