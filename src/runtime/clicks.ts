/**
 * Click detection for the "never a click" rule. A click is a discontinuity: a spike in the second difference
 * (x[i+1] − 2x[i] + x[i−1]) that is larger than `minJump` and more than `ratio` times the RMS of the second
 * differences in the surrounding `windowSec` — a tone's second difference is small and smooth, noise's is Gaussian
 * (6 σ: about once per 10⁹ samples), a step or a glitch stands far out — outside the first `onsetGuardSec` after an
 * onset (an attack is allowed to be sudden). A cut-off sound, a chunk placed at the wrong offset or a missing
 * crossfade all produce one; a click buried in loud noise is inaudible and is not counted.
 */
export interface ClickOptions {
  minJump?: number;
  ratio?: number;
  windowSec?: number;
  onsetGuardSec?: number;
}

/** Sample indices of the clicks in x (rate Hz), given the onsets (seconds) where sudden jumps are expected. */
export function findClicks(x: Float32Array, rate: number, onsetsSec: ArrayLike<number>, opts: ClickOptions = {}): number[] {
  const minJump = opts.minJump ?? 0.02, ratio = opts.ratio ?? 6;
  const half = Math.max(8, Math.round(((opts.windowSec ?? 0.005) * rate) / 2));
  const guard = Math.round((opts.onsetGuardSec ?? 0.02) * rate);
  const n = x.length;
  const d2 = new Float64Array(n); // squared second differences, with a running sum for the local RMS
  for (let i = 1; i < n - 1; i++) d2[i] = (x[i + 1]! - 2 * x[i]! + x[i - 1]!) ** 2;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + d2[i]!;
  const guarded = new Uint8Array(n);
  for (let j = 0; j < onsetsSec.length; j++) {
    const s = Math.max(0, Math.round(onsetsSec[j]! * rate) - guard / 4);
    for (let i = s; i < Math.min(n, s + guard); i++) guarded[i] = 1;
  }
  const clicks: number[] = [];
  for (let i = 1; i < n; i++) {
    const jump = Math.sqrt(d2[i]!);
    if (jump < minJump || guarded[i]) continue;
    const a = Math.max(1, i - half), b = Math.min(n, i + half + 1);
    const others = cum[b]! - cum[a]! - d2[i]!;
    const rms = Math.sqrt(others / Math.max(1, b - a - 1));
    if (jump > ratio * rms) clicks.push(i);
  }
  return clicks;
}
