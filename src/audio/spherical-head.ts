/**
 * The spherical-head model of binaural hearing (Brown & Duda, "A structural model for binaural sound synthesis", IEEE
 * Trans. Speech and Audio Processing 6(5), 1998): each ear hears the source through a delay (Woodworth's path around
 * a rigid sphere) and a one-pole/one-zero head-shadow filter whose high-frequency gain runs from +6 dB (ear facing
 * the source) to −20 dB (ear in the shadow). Both depend only on the angle between the source and the ear's axis.
 *
 * Why we have it: Chromium's HRTF PannerNode convolves in 512-point FFT blocks and delays the sound by ~5.3 ms at
 * 48 kHz, which was most of the output chain's share of motion-to-sound latency (docs/bench.md); this model delays
 * the nearer ear by nothing and the farther one by the interaural time difference (≤ 0.66 ms). It has no pinna, so
 * it gives no elevation and no front/back cue (sources on a cone around the ear axis sound alike).
 *
 * Pure functions, shared by the main thread (pose → parameters) and the AudioWorklet (parameters → filters).
 */

/** Head radius (m): Brown & Duda's average adult head. */
export const HEAD_RADIUS_M = 0.0875;
export const SPEED_OF_SOUND_MPS = 343;
/** The head-shadow filter's least high-frequency gain (−20 dB), reached this far from the ear's axis (150°). */
const ALPHA_MIN = 0.1;
const THETA_MIN_RAD = (150 * Math.PI) / 180;

/**
 * The extra path (s) to an ear from a far source at incidence θ from the ear's axis (cosθ given), relative to the ear
 * that faces it straight on: Woodworth's formula, (a/c)(1 − cos θ) while the ear sees the source, (a/c)(1 + θ − π/2)
 * around the sphere behind it. 0 at θ = 0, a/c (0.255 ms) at 90°, (a/c)(1 + π/2) (0.655 ms) at 180°.
 */
export function earDelaySec(cosIncidence: number): number {
  const c = Math.max(-1, Math.min(1, cosIncidence));
  const a = HEAD_RADIUS_M / SPEED_OF_SOUND_MPS;
  return c >= 0 ? a * (1 - c) : a * (1 + Math.acos(c) - Math.PI / 2);
}

/** The head-shadow filter's gain at high frequencies for incidence θ (cosθ given): 2 at 0°, 0.1 at 150°. */
export function headShadowAlpha(cosIncidence: number): number {
  const theta = Math.acos(Math.max(-1, Math.min(1, cosIncidence)));
  return 1 + ALPHA_MIN / 2 + (1 - ALPHA_MIN / 2) * Math.cos((theta / THETA_MIN_RAD) * Math.PI);
}

/**
 * The head-shadow filter H(s) = (1 + α s/2ω0) / (1 + s/2ω0), ω0 = c/a, through the bilinear transform at `sampleRate`:
 * y[n] = b0 x[n] + b1 x[n−1] − a1 y[n−1]. Its pole does not depend on α, so the filter stays stable while α moves,
 * and b0, b1 are linear in α (the worklet interpolates α per sample). DC gain 1, Nyquist gain α.
 */
export function headShadowCoefficients(alpha: number, sampleRate: number): { b0: number; b1: number; a1: number } {
  const k = headShadowK(sampleRate);
  return { b0: (1 + alpha * k) / (1 + k), b1: (1 - alpha * k) / (1 + k), a1: (1 - k) / (1 + k) };
}

/** The bilinear transform's 2 fs / (2 ω0) for the head-shadow filter (12.2 at 48 kHz). */
export function headShadowK(sampleRate: number): number {
  return (sampleRate * HEAD_RADIUS_M) / SPEED_OF_SOUND_MPS;
}

export interface Vec3 { x: number; y: number; z: number }

/**
 * Where a source is for the head: `lateral` = the cosine of its angle from the right ear's axis (+1: to the right,
 * −1: to the left, 0: anywhere in the median plane) and its distance (m). The head's right is forward × up.
 * A source at the head's centre is straight ahead (lateral 0). Non-finite input gives NaN.
 */
export function headRelative(source: Vec3, head: Vec3, forward: Vec3, up: Vec3): { lateral: number; distanceM: number } {
  const rx = forward.y * up.z - forward.z * up.y, ry = forward.z * up.x - forward.x * up.z, rz = forward.x * up.y - forward.y * up.x;
  const rn = Math.hypot(rx, ry, rz);
  const dx = source.x - head.x, dy = source.y - head.y, dz = source.z - head.z;
  const d = Math.hypot(dx, dy, dz);
  if (!(rn > 0)) return { lateral: NaN, distanceM: d };
  return { lateral: d > 1e-9 ? (dx * rx + dy * ry + dz * rz) / (d * rn) : 0, distanceM: d };
}

/** Web Audio's 'inverse' distance model (PannerNode): ref / (ref + rolloff (max(d, ref) − ref)). */
export function inverseDistanceGain(distanceM: number, refDistanceM: number, rolloff: number): number {
  const d = Math.max(distanceM, refDistanceM);
  return refDistanceM / (refDistanceM + rolloff * (d - refDistanceM));
}
