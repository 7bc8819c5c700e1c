// Streaming Griffin-Lim: magnitude frames arrive a few at a time (a generated chunk); the phases of the newest
// frames are estimated by fast Griffin-Lim iterations with the already-committed frames that overlap them held
// fixed as context (the idea of RTISI, Zhu et al. 2007), so the waveform stays phase-continuous across chunk
// boundaries. Each new frame starts from phases integrated from the magnitudes' slopes (phase-gradient.ts), which
// already place partials and attacks; then 2 iterations (the default) settle it against its context. Committed frames
// go through the streaming iSTFT (overlap-add.ts).
import { allocF32, ldf, stf, ldi, sti, ldv, stv } from './memory';
import { nFft, hop, nBins, window } from './spectral';
import { rfft, irfft } from './fft';
import { OverlapAdd, olaCreate, olaReset, olaAddFrame, olaEmit, olaRegateFrame } from './overlap-add';
import { PhaseGradient, pgCreate, pgFrame, pgReset } from './phase-gradient';

export class StreamingGriffinLim {
  context: i32 = 0;     // committed frames kept as context (those overlapping a new frame)
  maxFrames: i32 = 0;   // context + largest chunk
  iterations: i32 = 2;
  momentum: f32 = 0.99;
  frames: i32 = 0;      // frames currently in the window (context first)
  mag: usize = 0;       // f32[maxFrames × nBins]
  re: usize = 0;        // committed/estimated spectrum of the window frames
  im: usize = 0;
  prevRe: usize = 0;    // previous projection (momentum)
  prevIm: usize = 0;
  seg: usize = 0;       // synthesis of the window, f32[nFft + hop × (maxFrames − 1)]
  segEnv: usize = 0;
  time: usize = 0;      // f32[nFft]
  tmpRe: usize = 0;     // f32[nBins]
  tmpIm: usize = 0;
  ola: OverlapAdd = changetype<OverlapAdd>(0); // committed frames → final samples
  committed: i64 = 0;   // absolute index of the next frame to commit
  attackAt: i64 = -1000000; // absolute sample of the latest detected attack
  attackFirstFrame: i64 = -1; // absolute index of the first frame that saw it jump
  attackLastFrame: i64 = -1;  // and of the latest
  gates: usize = 0;         // i32[maxFrames]: the gate each window frame was added with (0 = none)
  hopCos: usize = 0;        // f32[nBins]: each bin's phase advance over a hop (its centre frequency × hop), as cos/sin
  hopSin: usize = 0;
  gateMargin: i32 = 0;      // samples before the attack estimate the gate opens (negative: after it)
  attackRatio: f64 = 16.0;  // a frame whose energy is this many times the previous one's holds an attack (12.04 dB)
  phaseGradient: PhaseGradient | null = null; // initial phases by heap integration (else the phase vocoder's)
}

export function sglCreate(maxChunkFrames: i32, iterations: i32, momentum: f32, phaseGradient: bool, attackRatio: f64, gateMargin: i32): StreamingGriffinLim {
  const s = new StreamingGriffinLim();
  s.attackRatio = attackRatio;
  s.gateMargin = gateMargin;
  s.context = (nFft + hop - 1) / hop - 1;
  s.maxFrames = s.context + maxChunkFrames;
  s.iterations = iterations;
  s.momentum = momentum;
  const cells = s.maxFrames * nBins + 4;
  s.mag = allocF32(cells); s.re = allocF32(cells); s.im = allocF32(cells);
  s.prevRe = allocF32(cells); s.prevIm = allocF32(cells);
  const segLen = nFft + hop * (s.maxFrames - 1) + 4;
  s.seg = allocF32(segLen); s.segEnv = allocF32(segLen);
  s.gates = allocF32(s.maxFrames + 4);
  s.hopCos = allocF32(nBins + 4); s.hopSin = allocF32(nBins + 4);
  for (let b = 0; b < nBins; b++) {
    const a = <f64>(2.0 * Math.PI) * <f64>b * <f64>hop / <f64>nFft;
    stf(s.hopCos, b, <f32>Math.cos(a)); stf(s.hopSin, b, <f32>Math.sin(a));
  }
  s.time = allocF32(nFft); s.tmpRe = allocF32(nBins + 4); s.tmpIm = allocF32(nBins + 4);
  s.ola = olaCreate(1);
  if (phaseGradient) s.phaseGradient = pgCreate();
  sglReset(s);
  return s;
}

export function sglReset(s: StreamingGriffinLim): void {
  s.frames = 0;
  s.committed = 0;
  s.attackAt = -1000000;
  s.attackFirstFrame = -1;
  s.attackLastFrame = -1;
  const pg = s.phaseGradient;
  if (pg) pgReset(pg);
  olaReset(s.ola);
}

/**
 * Offset (samples, from the newest frame's centre) of an impulse that the previous frame, one hop earlier, would have
 * seen with `ratio` = E(previous) / E(newest) of the newest frame's energy (ratio of squared Hann weights). Coarse grid.
 */
function attackOffset(ratio: f64): i32 {
  const half = <f64>(nFft >> 1);
  let best = 0, bestErr: f64 = 1e30;
  for (let u = -(nFft >> 1); u < (nFft >> 1); u += 4) {
    const wNow = 0.5 + 0.5 * Math.cos(2.0 * Math.PI * <f64>u / <f64>nFft);
    const uPrev = <f64>u + <f64>hop;
    const wPrev = Math.abs(uPrev) >= half ? 0.0 : 0.5 + 0.5 * Math.cos(2.0 * Math.PI * uPrev / <f64>nFft);
    if (wNow < 1e-6) continue;
    const err = Math.abs(Math.log((wPrev * wPrev + 1e-12) / (wNow * wNow) / (ratio + 1e-12)));
    if (err < bestErr) { bestErr = err; best = u; }
  }
  return best;
}

/** The gate (samples silenced from the frame's start) of frame `frame` for an attack at `attackAt`; 0 = none. */
function gateIn(attackAt: i64, frame: i64): i32 {
  const frameStart = frame * <i64>hop - <i64>(nFft >> 1);
  return attackAt > frameStart && attackAt < frameStart + <i64>nFft ? <i32>(attackAt - frameStart) : 0;
}

/** Synthesis of all window frames into seg/segEnv (window-relative sample positions f × hop). */
function synthesise(s: StreamingGriffinLim): void {
  const len = nFft + hop * (s.frames - 1);
  memory.fill(s.seg, 0, <usize>len << 2);
  memory.fill(s.segEnv, 0, <usize>len << 2);
  for (let f = 0; f < s.frames; f++) {
    const o = <usize>(f * nBins) << 2;
    irfft(s.re + o, s.im + o, s.time);
    const base = f * hop;
    for (let i = 0; i < nFft; i += 4) {
      const w = ldv(window, i);
      stv(s.seg, base + i, f32x4.add(ldv(s.seg, base + i), f32x4.mul(ldv(s.time, i), w)));
      stv(s.segEnv, base + i, f32x4.add(ldv(s.segEnv, base + i), f32x4.mul(w, w)));
    }
  }
  for (let i = 0; i < len; i++) {
    const e = ldf(s.segEnv, i);
    stf(s.seg, i, e > <f32>1e-8 ? ldf(s.seg, i) / e : 0);
  }
}

/**
 * Pushes k magnitude frames (k × nBins) and writes the samples that became final to out. Returns their count
 * (k × hop in steady state; out must hold k × hop + nFft). Frames are solved one at a time: each then has all of
 * its overlapping predecessors settled as context, which measured clearly better than solving a chunk jointly
 * (spectral convergence 0.13 vs 0.23 at 8 iterations) for a modest cost.
 */
export function sglPush(s: StreamingGriffinLim, magIn: usize, k: i32, out: usize): i32 {
  let produced = 0;
  for (let f = 0; f < k; f++) {
    produced += pushFrames(s, magIn + (<usize>(f * nBins) << 2), 1, out + (<usize>produced << 2));
  }
  return produced;
}

function pushFrames(s: StreamingGriffinLim, magIn: usize, k: i32, out: usize): i32 {
  const first = s.frames;                       // index of the first new frame in the window
  memory.copy(s.mag + (<usize>(first * nBins) << 2), magIn, <usize>(k * nBins) << 2);
  s.frames += k;
  // Initial phase of each new frame: the previous frame's phase advanced by each bin's centre frequency over a hop.
  for (let f = first; f < s.frames; f++) {
    const o = f * nBins;
    for (let b = 0; b < nBins; b++) {
      const m = ldf(s.mag, o + b);
      stf(s.prevRe, o + b, 0); stf(s.prevIm, o + b, 0); // no momentum carried into a new frame (nor across a reset)
      if (f == 0) { stf(s.re, o + b, m); stf(s.im, o + b, 0); continue; }
      const pr = ldf(s.re, o - nBins + b), pi = ldf(s.im, o - nBins + b);
      const c = ldf(s.hopCos, b), sn = ldf(s.hopSin, b);
      let r = pr * c - pi * sn, i = pr * sn + pi * c;
      const n = Mathf.sqrt(r * r + i * i);
      if (n > <f32>1e-20) { r = r / n * m; i = i / n * m; } else { r = m; i = 0; }
      stf(s.re, o + b, r); stf(s.im, o + b, i);
    }
    const pg = s.phaseGradient;
    if (pg) {
      const at = <usize>o << 2, before = f > 0 ? <usize>(o - nBins) << 2 : at;
      pgFrame(pg, s.mag + at, s.re + at, s.im + at, f > 0, s.mag + before, s.re + before, s.im + before);
    }
  }
  const alpha = s.momentum / (<f32>1 + s.momentum);
  for (let it = 0; it < s.iterations; it++) {
    synthesise(s);
    for (let f = first; f < s.frames; f++) {
      rfft(s.seg + (<usize>(f * hop) << 2), window, s.tmpRe, s.tmpIm);
      const o = f * nBins;
      for (let b = 0; b < nBins; b++) {
        const rr = ldf(s.tmpRe, b), ri = ldf(s.tmpIm, b);
        const nr = rr - alpha * ldf(s.prevRe, o + b), ni = ri - alpha * ldf(s.prevIm, o + b);
        stf(s.prevRe, o + b, rr); stf(s.prevIm, o + b, ri);
        const n = Mathf.sqrt(nr * nr + ni * ni) + <f32>1e-16;
        const m = ldf(s.mag, o + b);
        stf(s.re, o + b, nr / n * m); stf(s.im, o + b, ni / n * m);
      }
    }
  }
  // Commit the new frames: they are final now. Magnitude-only inversion smears an attack across the whole window
  // (pre-echo, up to a hop or two early); where a frame's energy jumps ≥ 12 dB over the previous one, estimate where
  // the attack sits and keep this and the following overlapping frames silent before it.
  for (let f = first; f < s.frames; f++) {
    const o = f * nBins;
    const absFrame = s.committed++;
    const centre = absFrame * <i64>hop;
    if (f > 0) {
      let eNow: f64 = 0, ePrev: f64 = 0;
      for (let b = 0; b < nBins; b++) {
        const m = <f64>ldf(s.mag, o + b), p = <f64>ldf(s.mag, o - nBins + b);
        eNow += m * m; ePrev += p * p;
      }
      if (eNow > s.attackRatio * ePrev && eNow > 1e-12) {
        s.attackAt = centre + <i64>attackOffset(ePrev / eNow) - <i64>s.gateMargin;
        // A frame that still jumps sees more of the same attack, so its estimate is better: the frames of this
        // attack already added move their gates to it, in the samples not yet emitted (the first estimate is
        // often ~8 ms early, and what it let through would sound, and be heard, as the attack).
        if (s.attackLastFrame == absFrame - 1) {
          for (let m = max(s.attackFirstFrame, absFrame - <i64>f); m < absFrame; m++) {
            const wf = f - <i32>(absFrame - m);
            const mo = <usize>(wf * nBins) << 2;
            const gate = gateIn(s.attackAt, m);
            olaRegateFrame(s.ola, s.re + mo, s.im + mo, m, ldi(s.gates, wf), gate);
            sti(s.gates, wf, gate);
          }
        } else s.attackFirstFrame = absFrame;
        s.attackLastFrame = absFrame;
      }
    }
    const gate = gateIn(s.attackAt, absFrame);
    sti(s.gates, f, gate);
    olaAddFrame(s.ola, s.re + (<usize>o << 2), s.im + (<usize>o << 2), gate);
  }
  const produced = olaEmit(s.ola, out);
  if (s.frames > s.context) {
    const shift = s.frames - s.context;
    const cells = <usize>(s.context * nBins) << 2, from = <usize>(shift * nBins) << 2;
    memory.copy(s.mag, s.mag + from, cells);
    memory.copy(s.re, s.re + from, cells);
    memory.copy(s.im, s.im + from, cells);
    memory.copy(s.gates, s.gates + (<usize>shift << 2), <usize>s.context << 2);
    s.frames = s.context;
  }
  return produced;
}

export function sglContextFrames(s: StreamingGriffinLim): i32 { return s.context; }
