import { Trajectory } from '../../src/hand/trajectory.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';

export interface TapPlan {
  /** Contact times in seconds (the lowest keypoint reaches the surface). */
  contactsSec: number[];
  rateHz?: number;
  durationSec?: number;
  /** Downward speed at contact, m/s. */
  speedMps?: number;
  surfaceHeightM?: number;
}

/**
 * A right hand tapping a horizontal surface: it falls at constant speed onto the surface at each contact time,
 * rests 40 ms, lifts back at the same speed to 8 cm. 21 keypoints spread over the hand; the skin of the lowest (the
 * index fingertip, keypoint 8: its centre sits one soft-tissue radius above the skin) touches exactly at the contact
 * times. The left hand is not tracked.
 */
export function tapTrajectory(plan: TapPlan): Trajectory {
  const rate = plan.rateHz ?? 90, dur = plan.durationSec ?? 2, v = plan.speedMps ?? 0.6, h0 = plan.surfaceHeightM ?? 0;
  const n = Math.floor(dur * rate);
  const times = new Float64Array(n), kp = new Float32Array(n * 126), valid = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    times[i] = t;
    let height = 0.08;
    for (const c of plan.contactsSec) {
      const dt = t - c;
      const hFall = dt < 0 ? -dt * v : dt < 0.04 ? 0 : (dt - 0.04) * v;
      height = Math.min(height, hFall);
    }
    valid[i * 2 + 1] = 1;
    for (let k = 0; k < 21; k++) {
      const o = i * 126 + 63 + k * 3;
      kp[o] = 0.02 * (k % 5) - 0.04;
      kp[o + 1] = h0 + height + (k === 8 ? KEYPOINT_RADIUS_M[8]! : 0.03 + 0.002 * k);
      kp[o + 2] = -0.3 + 0.015 * Math.floor(k / 5);
    }
  }
  return new Trajectory(times, kp, valid, { material: 'wood' });
}
