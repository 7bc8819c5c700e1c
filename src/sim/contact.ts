/**
 * Geometry → contact. Given hand keypoints over time and the scene's surfaces, finds when the skin of a
 * hand reaches a surface (impacts, with the normal speed and the striking part), and while it stays
 * there how fast it slides and how hard it presses. Works at any update rate: 1 kHz in the offline
 * renderer, the tracker's 30–90 Hz in the live backend (the crossing time is interpolated between
 * updates, so contact timing does not depend on the frame rate).
 */
import { InvalidTrajectoryError } from '../errors.js';
import { FINGERTIPS, HAND_VALUES, KEYPOINT_COUNT, KEYPOINT_RADIUS_M, PALM_POINTS } from './hand-skeleton.js';

// A local typed copy: hot loops read it 21 times per hand per millisecond.
const RADIUS_M = Float64Array.from(KEYPOINT_RADIUS_M);
import type { ContactPart } from './engine.js';
import type { Surface } from './scene.js';

/** Skin closer than this to a surface touches it; it must rise above RELEASE_M to let go (tracker jitter). */
export const TOUCH_M = 1e-6;
export const RELEASE_M = 0.002;
/** Static contact: resting force plus soft-tissue compression. */
const REST_FORCE_N = 0.4;
const TISSUE_STIFFNESS_NPM = 900;

export interface ImpactEvent {
  hand: number;
  timeSec: number;
  speedMps: number;
  part: ContactPart;
  surfaceIndex: number;
}

export interface HandContact {
  touching: boolean;
  surfaceIndex: number;
  slideSpeedMps: number;
  normalForceN: number;
  compressionSpeedMps: number;
}

export interface Clearance { clearanceM: number; surfaceIndex: number; keypoint: number }

const isTip = new Set<number>(FINGERTIPS);

/** Smallest skin-to-surface distance of one hand (negative = pressed into it); surfaceIndex -1 if none below. */
export function handClearance(surfaces: readonly Surface[], kp: ArrayLike<number>, perKeypoint?: Float64Array, perSurface?: Int32Array): Clearance {
  let best = Infinity, bestS = -1, bestK = -1;
  if (perKeypoint) perKeypoint.fill(Infinity);
  if (perSurface) perSurface.fill(-1);
  for (const s of surfaces) {
    const c = s.center, n = s.normal, tu = s.tangentU, tv = s.tangentV;
    // A hand spans < 25 cm from its wrist: skip surfaces it cannot reach this instant.
    const wx = kp[0]! - c[0], wy = kp[1]! - c[1], wz = kp[2]! - c[2];
    const wh = wx * n[0] + wy * n[1] + wz * n[2];
    if (wh > 0.25 || wh < -0.3) continue;
    if (Math.abs(wx * tu[0] + wy * tu[1] + wz * tu[2]) > s.halfUM + 0.25 || Math.abs(wx * tv[0] + wy * tv[1] + wz * tv[2]) > s.halfVM + 0.25) continue;
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      const r = RADIUS_M[k]!;
      const dx = kp[k * 3]! - c[0], dy = kp[k * 3 + 1]! - c[1], dz = kp[k * 3 + 2]! - c[2];
      const h = dx * n[0] + dy * n[1] + dz * n[2];
      if (h < -0.05) continue;
      const clear = h - r;
      if (clear >= best && !perKeypoint) continue;
      const u = dx * tu[0] + dy * tu[1] + dz * tu[2], v = dx * tv[0] + dy * tv[1] + dz * tv[2];
      if (Math.abs(u) > s.halfUM + r || Math.abs(v) > s.halfVM + r) continue;
      if (perKeypoint && clear < perKeypoint[k]!) { perKeypoint[k] = clear; if (perSurface) perSurface[k] = s.index; }
      if (clear < best) { best = clear; bestS = s.index; bestK = k; }
    }
  }
  return { clearanceM: best, surfaceIndex: bestS, keypoint: bestK };
}

export function assertFiniteHand(kp: ArrayLike<number>, what: string): void {
  if (kp.length !== HAND_VALUES) throw new InvalidTrajectoryError(`${what}: expected ${HAND_VALUES} numbers (21 keypoints × xyz), got ${kp.length}`);
  for (let i = 0; i < HAND_VALUES; i++) {
    if (!Number.isFinite(kp[i]!)) throw new InvalidTrajectoryError(`${what}: keypoint ${Math.floor(i / 3)} has a non-finite coordinate (${kp[i]})`);
  }
}

interface HandState {
  touching: boolean;
  /**
   * The touch was predicted (anticipate) and no frame has shown the skin at the surface yet: while the skin keeps
   * approaching it is the same touch even above RELEASE_M (a frame that comes sooner than the last interval finds the
   * hand still a few mm up); it is not pressing or sliding yet.
   */
  predicted: boolean;
  surfaceIndex: number;
  prevClearance: number;
  /** Normal approach speed over the previous update step (m/s): the speed just before touching. */
  prevApproach: number;
  /** The same one step earlier (to estimate the approach's acceleration at low frame rates). */
  prevApproach2: number;
  prevDt: number;
  prevDepth: number;
  prevTimeSec: number;
  prev: Float64Array;
  hasPrev: boolean;
}

export class ContactTracker {
  private readonly surfaces: readonly Surface[];
  private readonly states: HandState[];
  private readonly perKeypoint = new Float64Array(KEYPOINT_COUNT);
  private readonly perSurface = new Int32Array(KEYPOINT_COUNT);

  /**
   * Live use (frames 11–33 ms apart): when the skin is so close and fast that, at its current speed, it
   * reaches the surface before the next frame, the impact is predicted now (at t + clearance / speed)
   * instead of waiting for a frame that shows the touch, which a short tap may never produce.
   */
  readonly anticipate: boolean;

  constructor(surfaces: readonly Surface[], hands = 2, opts: { anticipate?: boolean } = {}) {
    this.surfaces = surfaces;
    this.anticipate = opts.anticipate ?? false;
    this.states = Array.from({ length: hands }, () => ({
      touching: false, predicted: false, surfaceIndex: -1, prevClearance: Infinity, prevApproach: 0, prevApproach2: 0, prevDt: 0, prevDepth: 0, prevTimeSec: 0, prev: new Float64Array(HAND_VALUES), hasPrev: false,
    }));
  }

  /**
   * Advances to `timeSec` with each hand's keypoints (null = not tracked). Pushes impacts that happened
   * since the previous update into `impacts` and writes each hand's ongoing contact into `contacts`.
   */
  update(timeSec: number, hands: readonly (ArrayLike<number> | null)[], impacts: ImpactEvent[], contacts: HandContact[]): void {
    if (!Number.isFinite(timeSec)) throw new InvalidTrajectoryError(`frame time must be finite, got ${timeSec}`);
    for (let h = 0; h < this.states.length; h++) {
      const st = this.states[h]!;
      const kp = hands[h] ?? null;
      const out = contacts[h] ?? (contacts[h] = { touching: false, surfaceIndex: -1, slideSpeedMps: 0, normalForceN: 0, compressionSpeedMps: 0 });
      if (kp === null) {
        // A lost hand lets go; when it comes back already touching we never saw it strike, so no impact.
        st.touching = false; st.predicted = false; st.hasPrev = false; st.prevClearance = -Infinity;
        out.touching = false; out.surfaceIndex = -1; out.slideSpeedMps = 0; out.normalForceN = 0; out.compressionSpeedMps = 0;
        continue;
      }
      assertFiniteHand(kp, `hand ${h} at t=${timeSec}`);
      const c = handClearance(this.surfaces, kp, this.perKeypoint, this.perSurface);
      const dt = st.hasPrev ? timeSec - st.prevTimeSec : 0;
      if (!st.touching && c.clearanceM <= TOUCH_M && c.surfaceIndex >= 0) {
        st.touching = true; st.predicted = false; st.surfaceIndex = c.surfaceIndex;
        if (st.hasPrev && Number.isFinite(st.prevClearance) && st.prevClearance > TOUCH_M && dt > 0) {
          // The hand stops at the surface inside this step, so neither the step's average speed nor a linear
          // interpolation through the surface is right: extrapolate the free approach seen in the previous
          // steps (speed and acceleration) from the last clear frame to the surface.
          const stepSpeed = (st.prevClearance - c.clearanceM) / dt;
          const accel = st.prevDt > 0 && st.prevApproach2 > 0 ? (st.prevApproach - st.prevApproach2) / st.prevDt : 0;
          const vAtPrev = st.prevApproach > 0 ? Math.max(st.prevApproach + accel * (st.prevDt / 2), 1e-6) : stepSpeed;
          let tau = st.prevClearance / Math.max(vAtPrev, 1e-6);
          if (accel > 0 && st.prevApproach > 0) tau = (-vAtPrev + Math.sqrt(vAtPrev * vAtPrev + 2 * accel * st.prevClearance)) / accel;
          const frac = Math.min(1, Math.max(0, tau / dt));
          impacts.push({
            hand: h,
            timeSec: st.prevTimeSec + dt * frac,
            speedMps: Math.max(stepSpeed, st.prevApproach > 0 ? vAtPrev + Math.max(0, accel) * tau : 0),
            part: this.partOf(c),
            surfaceIndex: c.surfaceIndex,
          });
        }
      } else if (st.touching && (c.clearanceM > RELEASE_M || c.surfaceIndex < 0)) {
        // A predicted touch holds while the skin is still on its way down; releasing it here made the frame that then
        // shows the touch strike a second time (played late: a second attack ~20 ms into the first).
        if (!(st.predicted && c.surfaceIndex === st.surfaceIndex && c.clearanceM < st.prevClearance)) { st.touching = false; st.predicted = false; }
      } else if (this.anticipate && !st.touching && st.hasPrev && dt > 0 && c.surfaceIndex >= 0 && Number.isFinite(st.prevClearance)) {
        const v = (st.prevClearance - c.clearanceM) / dt;
        if (v > 0.05 && c.clearanceM < 0.6 * v * dt) {
          st.touching = true; st.predicted = true; st.surfaceIndex = c.surfaceIndex;
          impacts.push({ hand: h, timeSec: timeSec + c.clearanceM / v, speedMps: v, part: this.partOf(c), surfaceIndex: c.surfaceIndex });
        }
      } else if (st.touching && st.predicted && c.clearanceM <= RELEASE_M) {
        st.predicted = false; // a frame shows the touch
      }
      const depth = Math.max(0, -c.clearanceM);
      // A predicted impact is still in the future: no sliding or pressing until a frame shows the touch.
      const inContact = st.touching && !st.predicted;
      out.touching = inContact;
      out.surfaceIndex = inContact ? st.surfaceIndex : -1;
      if (inContact) {
        out.normalForceN = REST_FORCE_N + TISSUE_STIFFNESS_NPM * depth;
        out.compressionSpeedMps = dt > 0 ? (depth - st.prevDepth) / dt : 0;
        out.slideSpeedMps = dt > 0 ? this.slideSpeed(st, kp, c, dt) : 0;
      } else {
        out.normalForceN = 0; out.compressionSpeedMps = 0; out.slideSpeedMps = 0;
      }
      st.prevApproach2 = st.prevApproach; st.prevDt = dt;
      st.prevApproach = dt > 0 && Number.isFinite(st.prevClearance) && Number.isFinite(c.clearanceM) ? Math.max(0, (st.prevClearance - c.clearanceM) / dt) : 0;
      st.prevClearance = c.clearanceM; st.prevDepth = depth; st.prevTimeSec = timeSec;
      for (let i = 0; i < HAND_VALUES; i++) st.prev[i] = kp[i]!;
      st.hasPrev = true;
    }
  }

  /**
   * Which part strikes. A palm arrives as one: if the wrist (3 cm) and two finger bases (2 cm) are close
   * behind the first touch the whole hand's mass is in it (slap, pat); otherwise a fingertip or a knuckle.
   */
  private partOf(c: Clearance): ContactPart {
    const near = (k: number, m: number) => this.perSurface[k] === c.surfaceIndex && this.perKeypoint[k]! <= c.clearanceM + m;
    let mcps = 0;
    for (const k of PALM_POINTS) if (k !== 0 && near(k, 0.02)) mcps++;
    if (near(0, 0.03) && mcps >= 2) return 'palm';
    return isTip.has(c.keypoint) ? 'fingertip' : 'knuckle';
  }

  /** Mean tangential speed of the skin that touches (within 4 mm of the deepest point). */
  private slideSpeed(st: HandState, kp: ArrayLike<number>, c: Clearance, dt: number): number {
    const s = this.surfaces[c.surfaceIndex];
    if (!s) return 0;
    let sum = 0, n = 0;
    for (let k = 0; k < KEYPOINT_COUNT; k++) {
      if (this.perSurface[k] !== c.surfaceIndex || this.perKeypoint[k]! > c.clearanceM + 0.004) continue;
      const dx = kp[k * 3]! - st.prev[k * 3]!, dy = kp[k * 3 + 1]! - st.prev[k * 3 + 1]!, dz = kp[k * 3 + 2]! - st.prev[k * 3 + 2]!;
      const dn = dx * s.normal[0] + dy * s.normal[1] + dz * s.normal[2];
      const tx = dx - dn * s.normal[0], ty = dy - dn * s.normal[1], tz = dz - dn * s.normal[2];
      sum += Math.hypot(tx, ty, tz); n++;
    }
    return n > 0 ? sum / n / dt : 0;
  }
}
