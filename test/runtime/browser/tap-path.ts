/**
 * The acceptance test's scripted strike: the lowest skin point of the right hand, relative to the surface (m), at
 * time t (s) of a path that strikes at each contact time — falls at `speedMps`, reaches the surface exactly at the
 * contact, goes 3 mm in (IWER hands are not stopped by anything; the penetration makes the touch unambiguous),
 * rests there `restSec`, lifts back at the same speed to `liftM`.
 */
export interface TapPath { contactsSec: number[]; speedMps: number; restSec: number; liftM: number }

export function skinHeightM(path: TapPath, tSec: number): number {
  let h = path.liftM;
  for (const c of path.contactsSec) {
    const dt = tSec - c;
    const here = dt < 0 ? -dt * path.speedMps : dt < path.restSec ? -0.003 : (dt - path.restSec) * path.speedMps - 0.003;
    h = Math.min(h, here);
  }
  return h;
}
