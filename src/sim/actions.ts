/**
 * Hand actions as kinematic two-hand trajectories. An action is planned as strokes on one surface
 * (approach → contact → release), each with its own speed, lift height, hold, press depth and sliding;
 * the hand shape (curl, pitch) decides which part strikes (index tip for a tap, knuckles for a knock, the
 * palm for a slap). `HandMotion.keypointsAt(t)` evaluates the hand at any time, so physics can run at
 * 1 kHz while the dataset records 30 Hz frames (with a tracker's noise and dropouts added on top).
 *
 * The planner places the hand so that its lowest skin point reaches the surface exactly at each stroke's
 * touchdown time with the planned normal speed; touching itself is detected from geometry afterwards.
 */
import { InvalidArgumentError } from '../errors.js';
import { HAND_VALUES, KEYPOINT_COUNT, KEYPOINT_RADIUS_M, handKeypoints, type HandPose, type Vec3 } from './hand-skeleton.js';

// A local typed copy: hot loops read it 21 times per hand per millisecond.
const RADIUS_M = Float64Array.from(KEYPOINT_RADIUS_M);
import { Rng } from './rng.js';
import { fromSurface, type Surface } from './scene.js';

export const ACTION_NAMES = ['tap', 'knock', 'hit', 'pat', 'scratch', 'rub', 'press', 'swipe'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export function isActionName(x: string): x is ActionName { return (ACTION_NAMES as readonly string[]).includes(x); }

export interface Stroke {
  /** Touchdown time (s) and the normal speed there (m/s). */
  t0: number;
  speedMps: number;
  approachSec: number;
  liftM: number;
  holdSec: number;
  releaseSec: number;
  /** Deepest soft-tissue compression during the hold (m). */
  depthM: number;
  /** Fraction of the hold spent ramping into and out of the depth. */
  depthRamp: number;
  /** Target point on the surface (m). */
  u: number; v: number;
  slide: 'none' | 'oscillate' | 'linear';
  slideAmpM: number; slideHz: number; slideAngle: number;
  /** Extra finger curl reached during the hold (a squeeze). */
  squeeze: number;
}

export interface HandPlan {
  handedness: 'left' | 'right';
  present: boolean;
  curl: [number, number, number, number, number];
  spread: number;
  pitchRad: number;
  yawRad: number;
  scale: number;
  /** Hover point when no stroke is near (surface coords, height of lowest skin). */
  restU: number; restV: number; restH: number;
  strokes: Stroke[];
  wobbleM: number;
  wobbleHz: [number, number, number];
  wobblePhase: [number, number, number];
}

export interface ActionPlan {
  action: ActionName;
  durationSec: number;
  surface: Surface;
  /** Index 0 = left hand, 1 = right hand (the order of HaMeR's two-hand arrays). */
  hands: [HandPlan, HandPlan];
  /** Which hands act (the others idle or are absent). */
  acting: boolean[];
}

interface ActionStyle {
  curl: () => [number, number, number, number, number];
  pitchDeg: [number, number];
  spread: number;
  stroke: (rng: Rng, t0: number) => Omit<Stroke, 't0' | 'u' | 'v'>;
  gapSec: (rng: Rng, i: number) => number;
}

const impact = (rng: Rng, speed: [number, number], lift: [number, number], hold: [number, number]) => {
  const speedMps = rng.logUniform(speed[0], speed[1]);
  const liftM = rng.uniform(lift[0], lift[1]);
  return {
    speedMps, liftM,
    approachSec: (1.5 * liftM) / speedMps,
    holdSec: rng.uniform(hold[0], hold[1]),
    releaseSec: Math.max(0.05, (2 * liftM) / Math.max(0.1, speedMps)),
    depthM: 0, depthRamp: 0.3, slide: 'none' as const, slideAmpM: 0, slideHz: 0, slideAngle: 0, squeeze: 0,
  };
};

function styleFor(action: ActionName, rng: Rng): ActionStyle {
  const u = (a: number, b: number) => rng.uniform(a, b);
  switch (action) {
    case 'tap': return {
      // Mostly the index finger, sometimes the middle one: the extended finger strikes, the others curl away.
      curl: () => {
        const c: [number, number, number, number, number] = [0.5, u(0.75, 1), u(0.75, 1), u(0.8, 1), u(0.8, 1)];
        c[rng.bool(0.75) ? 1 : 2] = u(0, 0.2);
        return c;
      },
      pitchDeg: [40, 62], spread: 0.3,
      stroke: (r) => impact(r, [0.12, 0.9], [0.015, 0.05], [0.01, 0.06]),
      gapSec: (r) => r.uniform(0.12, 0.9),
    };
    case 'knock': return {
      curl: () => [0.7, u(0.88, 1), u(0.88, 1), u(0.88, 1), u(0.88, 1)], pitchDeg: [78, 92], spread: 0.1,
      stroke: (r) => impact(r, [0.35, 1.6], [0.03, 0.08], [0.004, 0.015]),
      gapSec: (r, i) => (i % 3 === 2 ? r.uniform(0.8, 2) : r.uniform(0.06, 0.2)),
    };
    case 'hit': return {
      curl: () => [0.05, u(0, 0.04), u(0, 0.04), u(0, 0.04), u(0, 0.04)], pitchDeg: [-6, 3], spread: 0.4,
      stroke: (r) => impact(r, [0.8, 3], [0.1, 0.25], [0.03, 0.1]),
      gapSec: (r) => r.uniform(0.5, 2),
    };
    case 'pat': return {
      curl: () => [0.1, u(0.0, 0.06), u(0.0, 0.06), u(0.0, 0.06), u(0.0, 0.06)], pitchDeg: [-6, 2], spread: 0.3,
      stroke: (r) => impact(r, [0.2, 0.8], [0.03, 0.08], [0.04, 0.15]),
      gapSec: (r) => r.uniform(0.1, 0.5),
    };
    case 'scratch': return {
      curl: () => [0.4, u(0.45, 0.62), u(0.45, 0.62), u(0.45, 0.62), u(0.45, 0.62)], pitchDeg: [58, 72], spread: 0.35,
      stroke: (r) => ({ ...impact(r, [0.03, 0.12], [0.02, 0.05], [0.8, 2.5]), depthM: r.uniform(0.001, 0.004), depthRamp: 0.08,
        slide: 'oscillate' as const, slideAmpM: r.uniform(0.005, 0.03), slideHz: r.uniform(2.5, 7), slideAngle: r.uniform(0, Math.PI) }),
      gapSec: (r) => r.uniform(0.3, 1.2),
    };
    case 'rub': return {
      curl: () => [0.15, u(0.05, 0.2), u(0.05, 0.2), u(0.05, 0.2), u(0.05, 0.2)], pitchDeg: [0, 10], spread: 0.25,
      stroke: (r) => ({ ...impact(r, [0.03, 0.1], [0.03, 0.06], [1.5, 4]), depthM: r.uniform(0.002, 0.006), depthRamp: 0.06,
        slide: 'oscillate' as const, slideAmpM: r.uniform(0.04, 0.12), slideHz: r.uniform(0.6, 2), slideAngle: r.uniform(0, Math.PI) }),
      gapSec: (r) => r.uniform(0.3, 1),
    };
    case 'press': return {
      curl: () => [0.25, u(0.15, 0.3), u(0.15, 0.3), u(0.15, 0.3), u(0.15, 0.3)], pitchDeg: [0, 15], spread: 0.35,
      stroke: (r) => ({ ...impact(r, [0.03, 0.12], [0.03, 0.07], [0.8, 2.5]), depthM: r.uniform(0.004, 0.015), depthRamp: 0.4, squeeze: r.uniform(0.2, 0.55) }),
      gapSec: (r) => r.uniform(0.4, 1.2),
    };
    case 'swipe': return {
      curl: () => [0.4, u(0.2, 0.35), u(0.2, 0.35), u(0.5, 0.8), u(0.5, 0.8)], pitchDeg: [25, 40], spread: 0.2,
      stroke: (r) => {
        const holdSec = r.uniform(0.15, 0.4);
        return { ...impact(r, [0.08, 0.25], [0.02, 0.05], [holdSec, holdSec]), depthM: r.uniform(0.001, 0.003), depthRamp: 0.15,
          slide: 'linear' as const, slideAmpM: r.uniform(0.08, 0.25), slideHz: 0, slideAngle: r.uniform(0, 2 * Math.PI) };
      },
      gapSec: (r) => r.uniform(0.4, 1.5),
    };
  }
}

function idleHand(rng: Rng, handedness: 'left' | 'right', surface: Surface, present: boolean): HandPlan {
  const side = handedness === 'left' ? -1 : 1;
  return {
    handedness, present,
    curl: [rng.uniform(0.1, 0.5), rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6)],
    spread: rng.uniform(0.1, 0.5), pitchRad: rng.uniform(-0.2, 0.4), yawRad: rng.uniform(-0.6, 0.6) + (side < 0 ? 0.3 : -0.3),
    scale: rng.uniform(0.9, 1.1),
    restU: side * rng.uniform(0.15, 0.4), restV: rng.uniform(-0.15, 0.15), restH: rng.uniform(0.08, 0.3),
    strokes: [],
    wobbleM: rng.uniform(0.002, 0.006),
    wobbleHz: [rng.uniform(0.2, 0.8), rng.uniform(0.3, 1.2), rng.uniform(0.5, 1.5)],
    wobblePhase: [rng.uniform(0, 6.28), rng.uniform(0, 6.28), rng.uniform(0, 6.28)],
  };
}

/** Plans `action` on `surface` for `durationSec`, with the natural variation the dataset needs. */
export function planAction(rng: Rng, action: ActionName, surface: Surface, durationSec: number): ActionPlan {
  if (!isActionName(action)) throw new InvalidArgumentError(`unknown action '${String(action)}' (known: ${ACTION_NAMES.join(', ')})`);
  if (!(durationSec > 0.5 && durationSec <= 600)) throw new InvalidArgumentError(`durationSec must be in 0.5…600, got ${durationSec}`);
  const primary: 0 | 1 = rng.bool(0.72) ? 1 : 0;
  const otherMode = rng.next(); // < 0.4 absent, < 0.85 idle, else acting too
  const hands: [HandPlan, HandPlan] = [idleHand(rng, 'left', surface, true), idleHand(rng, 'right', surface, true)];
  const acting = [false, false];
  acting[primary] = true;
  if (otherMode < 0.4) hands[1 - primary]!.present = false;
  else if (otherMode >= 0.85 && ['tap', 'hit', 'pat', 'rub', 'press'].includes(action)) acting[1 - primary] = true;
  const umax = Math.max(0.02, surface.halfUM - 0.12), vmax = Math.max(0.02, surface.halfVM - 0.12);
  for (let h = 0; h < 2; h++) {
    if (!acting[h]) continue;
    const style = styleFor(action, rng);
    const hand = hands[h]!;
    hand.curl = style.curl();
    hand.spread = style.spread + rng.uniform(-0.1, 0.1);
    hand.pitchRad = (rng.uniform(style.pitchDeg[0], style.pitchDeg[1]) * Math.PI) / 180;
    hand.yawRad = rng.uniform(-0.5, 0.5) + (h === 0 ? 0.35 : -0.35);
    hand.restU = rng.uniform(-umax, umax) * 0.5 + (acting[0] && acting[1] ? (h === 0 ? -0.12 : 0.12) : 0);
    hand.restV = rng.uniform(-vmax, vmax) * 0.5;
    const centreU = hand.restU, centreV = hand.restV;
    // Strokes, back to back with gaps; two acting hands interleave by starting at different times.
    let t = rng.uniform(0.15, 0.9) + (h !== primary ? rng.uniform(0.1, 0.4) : 0);
    for (let i = 0; ; i++) {
      const s = style.stroke(rng, t);
      const t0 = t + s.approachSec;
      let end = t0 + s.holdSec + s.releaseSec;
      if (end > durationSec - 0.05 && hand.strokes.length === 0) {
        // Short clips still get one stroke: shorten its hold (and a swipe's travel with it) to fit.
        const hold = durationSec - 0.05 - t0 - s.releaseSec;
        if (hold >= 0.1 || (hold >= 0.004 && s.holdSec < 0.1)) {
          if (s.slide === 'linear') s.slideAmpM *= Math.min(1, hold / s.holdSec);
          s.holdSec = Math.min(s.holdSec, hold);
          end = t0 + s.holdSec + s.releaseSec;
        }
      }
      if (end > durationSec - 0.05) break;
      hand.strokes.push({ ...s, t0, u: centreU + rng.uniform(-0.04, 0.04), v: centreV + rng.uniform(-0.04, 0.04) });
      t = end + style.gapSec(rng, i);
    }
    hand.restH = hand.strokes[0]?.liftM ?? 0.05;
  }
  return { action, durationSec, surface, hands, acting };
}

const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** Cubic Hermite between (p0, slope m0) and (p1, slope m1) over the unit interval (slopes per unit s). */
function hermite(s: number, p0: number, m0: number, p1: number, m1: number): number {
  const s2 = s * s, s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1 + (s3 - s2) * m1;
}

interface Placement { h: number; u: number; v: number; squeeze: number }

/** Tangential offset of the stroke's target at time t: zero outside the hold except for a one-way swipe. */
function slideOffset(s: Stroke, t: number): [number, number] {
  let a = 0;
  const tEnd = s.t0 + s.holdSec;
  if (s.slide === 'linear') a = s.slideAmpM * (smoothstep((t - s.t0) / s.holdSec) - 0.5);
  else if (s.slide === 'oscillate' && t > s.t0 && t < tEnd) {
    const fade = Math.min(0.15, s.holdSec / 3);
    a = s.slideAmpM * smoothstep((t - s.t0) / fade) * smoothstep((tEnd - t) / fade) * Math.sin(2 * Math.PI * s.slideHz * (t - s.t0));
  }
  return [a * Math.cos(s.slideAngle), a * Math.sin(s.slideAngle)];
}

/** Evaluates one planned hand at any time. */
export class HandMotion {
  readonly plan: HandPlan;
  readonly surface: Surface;
  private readonly local = new Float64Array(HAND_VALUES);
  private readonly anchor: number;
  private readonly pose: HandPose;

  constructor(plan: HandPlan, surface: Surface) {
    this.plan = plan; this.surface = surface;
    const n = surface.normal, tu = surface.tangentU, tv = surface.tangentV;
    const cy = Math.cos(plan.yawRad), sy = Math.sin(plan.yawRad), cp = Math.cos(plan.pitchRad), sp = Math.sin(plan.pitchRad);
    const hdir: Vec3 = [cy * tu[0] + sy * tv[0], cy * tu[1] + sy * tv[1], cy * tu[2] + sy * tv[2]];
    const forward: Vec3 = [cp * hdir[0] - sp * n[0], cp * hdir[1] - sp * n[1], cp * hdir[2] - sp * n[2]];
    const palmar: Vec3 = [-sp * hdir[0] - cp * n[0], -sp * hdir[1] - cp * n[1], -sp * hdir[2] - cp * n[2]];
    this.pose = { wrist: [0, 0, 0], forward, palmar, handedness: plan.handedness, curl: [...plan.curl], spread: plan.spread, scale: plan.scale };
    this.anchor = this.lowestSkin(0).k;
  }

  private cachedSqueeze = NaN;
  private cachedLowest = { k: 0, off: 0 };

  /** Lowest skin point of the hand shape (wrist at origin) for the given squeeze (cached: shapes rarely change). */
  private lowestSkin(squeeze: number): { k: number; off: number } {
    if (squeeze === this.cachedSqueeze) return this.cachedLowest;
    for (let f = 0; f < 5; f++) this.pose.curl[f] = Math.min(1, this.plan.curl[f]! + squeeze);
    handKeypoints(this.pose, this.local);
    const n = this.surface.normal;
    let off = Infinity, k = 0;
    for (let i = 0; i < KEYPOINT_COUNT; i++) {
      const h = this.local[i * 3]! * n[0] + this.local[i * 3 + 1]! * n[1] + this.local[i * 3 + 2]! * n[2] - RADIUS_M[i]!;
      if (h < off) { off = h; k = i; }
    }
    this.cachedSqueeze = squeeze; this.cachedLowest = { k, off };
    return this.cachedLowest;
  }

  private placement(t: number): Placement {
    const p = this.plan, strokes = p.strokes;
    let i = 0;
    while (i < strokes.length && strokes[i]!.t0 + strokes[i]!.holdSec + strokes[i]!.releaseSec < t) i++;
    const s = strokes[i];
    const prev = strokes[i - 1];
    if (s && t >= s.t0 - s.approachSec) {
      const [du, dv] = slideOffset(s, t);
      if (t < s.t0) {
        const x = (t - (s.t0 - s.approachSec)) / s.approachSec;
        return { h: hermite(x, s.liftM, 0, 0, -s.speedMps * s.approachSec), u: s.u + du, v: s.v + dv, squeeze: 0 };
      }
      const tEnd = s.t0 + s.holdSec;
      if (t <= tEnd) {
        const ramp = Math.max(1e-3, s.depthRamp * s.holdSec);
        const env = smoothstep((t - s.t0) / ramp) * smoothstep((tEnd - t) / ramp);
        return { h: -s.depthM * env, u: s.u + du, v: s.v + dv, squeeze: s.squeeze * env };
      }
      const x = (t - tEnd) / s.releaseSec;
      return { h: hermite(x, 0, 0.5 * s.speedMps * s.releaseSec + 0.02, s.liftM, 0), u: s.u + du, v: s.v + dv, squeeze: 0 };
    }
    // Hovering: glide from where the previous stroke ended (or rest) to where the next begins.
    let from = { u: p.restU, v: p.restV, h: p.restH, t: 0 };
    if (prev) {
      const tEnd = prev.t0 + prev.holdSec + prev.releaseSec, [du, dv] = slideOffset(prev, tEnd);
      from = { u: prev.u + du, v: prev.v + dv, h: prev.liftM, t: tEnd };
    }
    let to = { u: from.u, v: from.v, h: from.h, t: from.t + 1 };
    if (s) {
      const tStart = s.t0 - s.approachSec, [du, dv] = slideOffset(s, tStart);
      to = { u: s.u + du, v: s.v + dv, h: s.liftM, t: tStart };
    }
    const x = smoothstep((t - from.t) / Math.max(1e-3, to.t - from.t));
    return { h: from.h + (to.h - from.h) * x, u: from.u + (to.u - from.u) * x, v: from.v + (to.v - from.v) * x, squeeze: 0 };
  }

  /** Writes the 21 keypoints (scene frame, metres) at time t into out[offset … offset+63). */
  keypointsAt(t: number, out: Float64Array | Float32Array, offset = 0): void {
    const pl = this.placement(t);
    const p = this.plan;
    // Idle sway fades out near the surface (sideways over 6 cm, so it never reads as sliding; vertically
    // over 3 cm, flat at contact so it adds no approach speed), so contact timing and sliding are the plan's.
    const hPos = Math.max(0, pl.h);
    const side = p.wobbleM * smoothstep(hPos / 0.06), up = p.wobbleM * smoothstep(hPos / 0.03);
    const wu = side * Math.sin(2 * Math.PI * p.wobbleHz[0] * t + p.wobblePhase[0]);
    const wv = side * Math.sin(2 * Math.PI * p.wobbleHz[1] * t + p.wobblePhase[1]);
    const wh = up * 0.5 * (1 + Math.sin(2 * Math.PI * p.wobbleHz[2] * t + p.wobblePhase[2]));
    const { off } = this.lowestSkin(pl.squeeze);
    const a = this.anchor, l = this.local, s = this.surface;
    const au = l[a * 3]! * s.tangentU[0] + l[a * 3 + 1]! * s.tangentU[1] + l[a * 3 + 2]! * s.tangentU[2];
    const av = l[a * 3]! * s.tangentV[0] + l[a * 3 + 1]! * s.tangentV[1] + l[a * 3 + 2]! * s.tangentV[2];
    const wrist = fromSurface(s, pl.u + wu - au, pl.v + wv - av, pl.h + wh - off);
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      out[offset + k * 3] = l[k * 3]! + wrist[0];
      out[offset + k * 3 + 1] = l[k * 3 + 1]! + wrist[1];
      out[offset + k * 3 + 2] = l[k * 3 + 2]! + wrist[2];
    }
  }
}
