// The paper's raw-audio metrics (STFT distance, envelope distance) and an onset detector for timing error.
import { Scratch, ldf, stf, sti } from './memory';
import { nBins, stftMagnitude, frameCountFor } from './spectral';

const magA = new Scratch();
const magB = new Scratch();

/**
 * STFT distance: root-mean-square difference of the magnitude spectrograms (contract STFT) over the frames both
 * signals have. Returns -1 if either is too short to analyse.
 */
export function stftDistance(a: usize, na: i32, b: usize, nb: i32): f64 {
  const pa = magA.ensure(frameCountFor(na) * nBins + 4);
  const pb = magB.ensure(frameCountFor(nb) * nBins + 4);
  const fa = stftMagnitude(a, na, pa);
  const fb = stftMagnitude(b, nb, pb);
  if (fa < 0 || fb < 0) return -1;
  const count = min(fa, fb) * nBins;
  let acc = 0.0;
  for (let i = 0; i < count; i++) { const d = <f64>(ldf(pa, i) - ldf(pb, i)); acc += d * d; }
  return Math.sqrt(acc / <f64>count);
}

/** RMS envelope: sqrt(mean x²) over windows of `win` samples every `hop` samples. Returns the frame count. */
export function rmsEnvelope(x: usize, n: i32, win: i32, hopSize: i32, out: usize): i32 {
  const frames = n < win ? 1 : 1 + (n - win) / hopSize;
  for (let f = 0; f < frames; f++) {
    const s = f * hopSize, e = min(n, s + win);
    let acc = 0.0;
    for (let i = s; i < e; i++) { const v = <f64>ldf(x, i); acc += v * v; }
    stf(out, f, <f32>Math.sqrt(acc / <f64>win));
  }
  return frames;
}

const envA = new Scratch();
const envB = new Scratch();

/** Envelope distance: RMS difference of the RMS envelopes (window `win`, hop `hopSize`) over the common frames. */
export function envelopeDistance(a: usize, na: i32, b: usize, nb: i32, win: i32, hopSize: i32): f64 {
  const ea = envA.ensure(na / hopSize + 8), eb = envB.ensure(nb / hopSize + 8);
  const fa = rmsEnvelope(a, na, win, hopSize, ea);
  const fb = rmsEnvelope(b, nb, win, hopSize, eb);
  const count = min(fa, fb);
  let acc = 0.0;
  for (let i = 0; i < count; i++) { const d = <f64>(ldf(ea, i) - ldf(eb, i)); acc += d * d; }
  return Math.sqrt(acc / <f64>count);
}

const energyDb = new Scratch();

/**
 * Onset detector for impact-like sounds. Short-time energy (window `win`, hop `hopSize`) of the first difference
 * (which favours the broadband attack of a contact), in dB; an onset is a rise of at least `riseDb` over two hops
 * that is the largest rise within ±3 hops, on a frame louder than (loudest − rangeDb), at least `minGap` samples
 * after the previous one. Each onset is then refined to the first sample whose |x| reaches 20 % of the attack's
 * peak. Writes up to maxOut sample indices to out (i32); returns the count.
 */
export function detectOnsets(x: usize, n: i32, win: i32, hopSize: i32, riseDb: f32, rangeDb: f32, minGap: i32, out: usize, maxOut: i32): i32 {
  if (n < win + 2) return 0;
  const frames = 1 + (n - win) / hopSize;
  const e = energyDb.ensure(frames + 4);
  let loudest: f32 = -300;
  for (let f = 0; f < frames; f++) {
    const s = f * hopSize;
    let acc: f32 = 0;
    for (let i = s + 1; i < s + win; i++) { const d = ldf(x, i) - ldf(x, i - 1); acc += d * d; }
    const db = <f32>10 * Mathf.log10(acc / <f32>win + <f32>1e-12);
    stf(e, f, db);
    if (db > loudest) loudest = db;
  }
  const floorDb = loudest - rangeDb;
  let count = 0;
  let last: i32 = -minGap - 1;
  for (let f = 2; f < frames && count < maxOut; f++) {
    const rise = ldf(e, f) - ldf(e, f - 2);
    if (rise < riseDb || ldf(e, f) < floorDb) continue;
    let isPeak = true;
    for (let g = max(2, f - 3); g <= min(frames - 1, f + 3); g++) {
      if (g == f) continue;
      const r = ldf(e, g) - ldf(e, g - 2);
      if (r > rise || (r == rise && g < f)) { isPeak = false; break; }
    }
    if (!isPeak) continue;
    // Refine inside the attack: the newest hop of frame f holds the rise; search from two hops before.
    const s0 = max(0, f * hopSize + win - 3 * hopSize), s1 = min(n, f * hopSize + win + hopSize);
    let peak: f32 = 0;
    for (let i = s0; i < s1; i++) peak = Mathf.max(peak, Mathf.abs(ldf(x, i)));
    let at = s0;
    for (let i = s0; i < s1; i++) if (Mathf.abs(ldf(x, i)) >= <f32>0.2 * peak) { at = i; break; }
    if (at - last < minGap) continue;
    sti(out, count++, at);
    last = at;
  }
  return count;
}
