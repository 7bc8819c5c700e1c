// Streaming inverse STFT: complex frames are windowed, overlap-added into an accumulator and normalised by the
// summed squared window (torch.istft semantics, centre=True: frame f is centred on sample f × hop). A sample is
// emitted once no later frame can touch it: nFft/2 − hop samples behind the centre of the newest frame.
import { allocF32, ldf, stf, ldv, stv } from './memory';
import { nFft, hop, nBins, window } from './spectral';
import { irfft } from './fft';

export class OverlapAdd {
  acc: usize = 0;       // f32[accLen]: Σ w · frame, absolute samples accStart …
  accEnv: usize = 0;    // f32[accLen]: Σ w²
  accLen: i32 = 0;
  accStart: i64 = 0;
  emitted: i64 = 0;     // next absolute sample to emit
  nextFrame: i64 = 0;   // absolute index of the next frame to add
  time: usize = 0;      // f32[nFft] scratch
}

export function olaCreate(maxChunkFrames: i32): OverlapAdd {
  const o = new OverlapAdd();
  o.accLen = nFft + hop * (maxChunkFrames + 1) + 4;
  o.acc = allocF32(o.accLen);
  o.accEnv = allocF32(o.accLen);
  o.time = allocF32(nFft);
  olaReset(o);
  return o;
}

export function olaReset(o: OverlapAdd): void {
  o.nextFrame = 0;
  o.emitted = 0;
  o.accStart = -<i64>(nFft >> 1); // frame 0 is centred on sample 0
  memory.fill(o.acc, 0, <usize>o.accLen << 2);
  memory.fill(o.accEnv, 0, <usize>o.accLen << 2);
}

/**
 * Adds the next frame (bins 0 … nFft/2 in re/im). At most maxChunkFrames frames between two olaEmit calls.
 * `gateBefore` > 0 silences the frame's first samples up to that index (with a short ramp), to keep an attack from
 * being smeared back before it happened; pass 0 for none.
 */
export function olaAddFrame(o: OverlapAdd, re: usize, im: usize, gateBefore: i32 = 0): void {
  irfft(re, im, o.time);
  if (gateBefore > 0) for (let i = 0; i < min(gateBefore, nFft); i++) stf(o.time, i, ldf(o.time, i) * gateGain(i, gateBefore));
  const base = <i32>(o.nextFrame * <i64>hop - <i64>(nFft >> 1) - o.accStart);
  for (let i = 0; i < nFft; i += 4) {
    const w = ldv(window, i);
    stv(o.acc, base + i, f32x4.add(ldv(o.acc, base + i), f32x4.mul(ldv(o.time, i), w)));
    stv(o.accEnv, base + i, f32x4.add(ldv(o.accEnv, base + i), f32x4.mul(w, w)));
  }
  o.nextFrame++;
}

const GATE_RAMP: i32 = 32;

/** The gate's gain at a frame's sample i: 0 before the gate, a 32-sample ramp up to it, 1 from it (0 = no gate). */
function gateGain(i: i32, gateBefore: i32): f32 {
  if (gateBefore <= 0) return 1;
  const end = min(gateBefore, nFft), start = max(0, end - GATE_RAMP);
  return i < start ? <f32>0 : i < end ? <f32>(i - start) / <f32>GATE_RAMP : <f32>1;
}

/**
 * Moves the gate of an already added frame (absolute index `frame`, spectrum re/im as added) from `oldGate` to
 * `newGate`, in the samples not yet emitted: a later estimate of an attack silences what the earlier one let through.
 */
export function olaRegateFrame(o: OverlapAdd, re: usize, im: usize, frame: i64, oldGate: i32, newGate: i32): void {
  if (oldGate == newGate) return;
  irfft(re, im, o.time);
  const frameStart = frame * <i64>hop - <i64>(nFft >> 1);
  const from = <i32>Math.max(0, <f64>(o.emitted - frameStart));
  for (let i = from; i < nFft; i++) {
    const d = gateGain(i, newGate) - gateGain(i, oldGate);
    if (d == 0) continue;
    const j = <i32>(frameStart + <i64>i - o.accStart);
    stf(o.acc, j, ldf(o.acc, j) + d * ldf(o.time, i) * ldf(window, i));
  }
}

/** Writes the samples that became final to out and returns their count. */
export function olaEmit(o: OverlapAdd, out: usize): i32 {
  const finalEnd = o.nextFrame * <i64>hop - <i64>(nFft >> 1);
  let produced = 0;
  while (o.emitted < finalEnd) {
    const j = <i32>(o.emitted - o.accStart);
    const e = ldf(o.accEnv, j);
    stf(out, produced++, e > <f32>1e-8 ? ldf(o.acc, j) / e : 0);
    o.emitted++;
  }
  // Drop what is emitted, but never past the start of the next frame's span (before sample 0 at stream start).
  const keepFrom = o.emitted < finalEnd ? o.emitted : finalEnd;
  const drop = <i32>(Math.max(0, <f64>(keepFrom - o.accStart)));
  if (drop > 0) {
    const keep = o.accLen - drop;
    memory.copy(o.acc, o.acc + (<usize>drop << 2), <usize>keep << 2);
    memory.copy(o.accEnv, o.accEnv + (<usize>drop << 2), <usize>keep << 2);
    memory.fill(o.acc + (<usize>keep << 2), 0, <usize>drop << 2);
    memory.fill(o.accEnv + (<usize>keep << 2), 0, <usize>drop << 2);
    o.accStart += <i64>drop;
  }
  return produced;
}

/** Streaming iSTFT for a vocoder that predicts complex frames: adds k frames (k × nBins each) and emits. */
export function olaPush(o: OverlapAdd, re: usize, im: usize, k: i32, out: usize): i32 {
  for (let f = 0; f < k; f++) {
    const off = <usize>(f * nBins) << 2;
    olaAddFrame(o, re + off, im + off);
  }
  return olaEmit(o, out);
}
