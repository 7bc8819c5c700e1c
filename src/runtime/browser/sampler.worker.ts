/**
 * The sampler Worker: drains the HandRing, advances the sound generator (the flow model through onnxruntime-web, or
 * the procedural baseline: browser-generator.ts chooses) and puts the audio it makes on the audio clock through the
 * ChunkRing. It waits on the HandRing (Atomics.wait, allowed in Workers) with a short timeout, so it also keeps
 * producing (ringing, silence) while no hand frames come.
 *
 * Clocks: hand frames carry page-relative seconds; the worklet publishes the audio clock (frames) after each
 * block. Hand times are put on one session clock (epoch seconds since this worker started: the page and the
 * worker have different performance.timeOrigin); the offset audio − session comes from the playhead readings.
 * Browsers render audio in bursts of several blocks (the device buffer), so a reading lies anywhere between "just
 * rendered" and a burst ahead; the offset is the largest reading of the last second, so a chunk made for
 * session time t is placed where the audio thread has certainly not been yet (the burst is the price). A larger
 * offset leaves a gap between consecutive chunks (bursts make it grow at the start, once); a smaller one makes them
 * overlap. The playback timeline fades across a gap and crossfades an overlap, but in a ringing sound any such seam
 * is a dip, so a continuous stream keeps its placement while the estimate only wobbles (stream-placement.ts). The
 * window lets the offset come down when the audio clock runs slow against the page's (measured: a loaded machine's
 * audio clock lost ~60 ms in 45 s, which a largest-ever offset turned into 60 ms more latency); a suspended context
 * restarts it (the page says so), and so does a reading far below it (a clock that stood still).
 *
 * Every stream is in fact placed by the smallest reading of the last second (where the audio thread can be at the
 * earliest), and its generator makes its audio the spread of the readings further ahead to make up for it
 * (`extraLeadSec`: the model runs its ticks that much earlier, the procedural one renders further): the burst then
 * costs no latency. The procedural generator renders speculatively (procedural-generator.ts): before each step's
 * frames it commits the audio up to the playhead (plus a guard): an impact in those frames is re-rendered from there
 * and spliced into the audio already queued, instead of waiting behind it. Its latency is then the time to the audio
 * thread's next block, not the bursts and margins. The model's onset backstop is told the same commit point, and
 * splices its strikes and moved onsets in from there (onset-backstop.ts).
 */
import { ChunkRing } from '../../audio/chunk-ring.js';
import { HandFrame } from '../../hand/hand-frame.js';
import { HandRing } from '../../hand/hand-ring.js';
import { BackendUnavailableError, HearingHandsError } from '../../errors.js';
import type { PcmChunk } from '../generator.js';
import { OnsetBackstop } from '../onset-backstop.js';
import { ProceduralGenerator } from '../procedural-generator.js';
import { buildGenerator, type BuiltGenerator } from './browser-generator.js';
import { ContactEvents } from './contact-events.js';
import { StreamPlacement } from './stream-placement.js';
import type { FromSampler, SamplerInit, SimulatedFault, ToSampler } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;
const post = (m: FromSampler) => self.postMessage(m);
const postError = (err: unknown, fatal: boolean) => {
  const code = err instanceof HearingHandsError ? err.code : 'INTERNAL';
  // An unexpected error (not one of ours) carries its stack: it is a bug to report.
  const message = err instanceof HearingHandsError ? err.message : String((err as Error)?.stack ?? err);
  post({ type: 'error', code, message, fatal });
};

/** An audio clock this far behind its largest reading has stopped (no device burst is this long). */
const CLOCK_STALL_SEC = 0.15;
/** The clock offset is the largest playhead reading of this long. */
const OFFSET_WINDOW_SEC = 1;
/**
 * A continuous stream keeps its placement while the offset estimate stays this close to it (stream-placement.ts): the
 * estimate's moves of a few frames (seen: up to ~1 ms) would otherwise each be a seam in a ringing sound.
 */
const PLACEMENT_TOLERANCE_SEC = 0.002;
/**
 * A speculative generator commits the audio up to this far past the published playhead: the chunk it makes still has
 * to reach the ring before the audio thread gets there (rounded up to its 128-sample render grid on top).
 */
const COMMIT_GUARD_SEC = 0.001;

/** The largest value pushed in the last `windowSec` (8 buckets; no allocation). */
class WindowMax {
  private readonly buckets = new Float64Array(8).fill(-Infinity);
  private bucket = -Infinity;
  constructor(private readonly windowSec: number) {}
  clear(): void { this.buckets.fill(-Infinity); }
  push(tSec: number, v: number): number {
    const n = this.buckets.length;
    const b = Math.floor((tSec * n) / this.windowSec);
    for (let k = Math.max(this.bucket + 1, b - n + 1); k <= b; k++) this.buckets[((k % n) + n) % n] = -Infinity;
    if (b > this.bucket) this.bucket = b;
    const i = ((b % n) + n) % n;
    if (v > this.buckets[i]!) this.buckets[i] = v;
    let m = -Infinity;
    for (let k = 0; k < n; k++) if (this.buckets[k]! > m) m = this.buckets[k]!;
    return m;
  }
}

let running = false;
/** Set by the page when its AudioContext runs again after a suspension. */
let clockRestarted = false;
let built: BuiltGenerator | null = null;
let initSpec: SamplerInit['generator'] | null = null;
let initRate = 48000;
/** Set when the model's runner switched EP: the stream is checked against the present once. */
let failedOver = false;
/** A stream this far from the present after a switch (a primary too slow to keep up) restarts at the present. */
const RESYNC_SEC = 0.3;
/** Model audio ending this far behind the playhead for this long: over budget. */
const BEHIND_SEC = 0.2;
const BEHIND_FOR_SEC = 1.0;

self.onmessage = (e: MessageEvent<ToSampler>) => {
  const msg = e.data;
  if (msg.type === 'stop') { running = false; return; }
  if (msg.type === 'simulate-fault') { simulateFault(msg.fault); return; }
  if (msg.type === 'audio-clock-restarted') { clockRestarted = true; return; }
  if (msg.type === 'init') start(msg).catch((err: unknown) => postError(err, !built));
};

function simulateFault(fault: SimulatedFault): void {
  if (fault === 'lose-device') {
    if (built?.device) built.device.destroy();
    else postError(new HearingHandsError('BACKEND_UNAVAILABLE', 'no WebGPU device to lose'), false);
  } else if (built?.failover) built.failover.failPrimaryNextRun();
  else postError(new HearingHandsError('BACKEND_UNAVAILABLE', 'the running backend has no standby to fail over to'), false);
}

/** A stream sample's time on the audio clock (the running stream's placement). */
let toAudioSec = (_sample: number): number => NaN;

async function start(init: SamplerInit): Promise<void> {
  const hands = HandRing.attach(init.handRing);
  const chunks = ChunkRing.attach(init.chunkRing);
  const spec = init.generator;
  initSpec = spec; initRate = init.outputRate;
  built = await buildGenerator(spec, init.outputRate, {
    onFailover: (e) => {
      failedOver = true;
      const backend = e.to === 'node' ? 'wasm' : e.to;
      if (built) built = { ...built, backend };
      post({ type: 'backend', backend, previous: e.from === 'node' ? 'wasm' : e.from, reason: e.reason });
    },
    onNotice: (e) => postError(e, false),
    // Stream samples → audio clock, where the stream is placed (set once the placement exists, below).
    onBackstopDecision: (d) => post({ type: 'backstop', action: d.action, impactAudioSec: toAudioSec(d.impactSample), judgedAudioSec: toAudioSec(d.judgedSample),
      earliestAudioSec: toAudioSec(d.earliestSample), onsetAudioSec: d.onsetSample < 0 ? NaN : toAudioSec(d.onsetSample),
      targetAudioSec: toAudioSec(d.targetSample) }),
  });
  // The reason the model is not playing comes first, then the backend that plays instead.
  if (built.fallback) postError(built.fallback, false);
  post({ type: 'backend', backend: built.backend, previous: null, reason: built.fallback ? `fallback: ${built.fallback.message}` : `chosen (${spec.backend})` });
  post({ type: 'ready', backend: built.backend });
  let generator = built.generator;
  let behindSinceSec = NaN; // since when the generated audio has ended behind the playhead
  const contacts = new ContactEvents(spec.material, spec.surfaceHeightM);
  const rate = init.outputRate;
  const sessionStartMs = performance.timeOrigin + performance.now();
  const sessionSec = () => (performance.timeOrigin + performance.now() - sessionStartMs) / 1000;
  const pageToSessionSec = (init.pageTimeOriginMs - sessionStartMs) / 1000;
  const frame = new HandFrame();
  let offsetSec = NaN; // audio clock − session clock (s)
  let minOffsetSec = NaN; // the smallest reading of the window (where streams are placed)
  const recentMax = new WindowMax(OFFSET_WINDOW_SEC);
  const recentMinNeg = new WindowMax(OFFSET_WINDOW_SEC); // of −reading
  const guardFrames = Math.round(COMMIT_GUARD_SEC * rate);
  const placement = new StreamPlacement(Math.round(PLACEMENT_TOLERANCE_SEC * rate));
  toAudioSec = (sample) => (placement.anchorFrame + sample) / rate;
  /** The stream's anchor the commit point was given against this step; liveCommit reads the playhead anew against it. */
  let commitAnchor = 0;
  const liveCommit = () => chunks.playhead() + guardFrames - commitAnchor;
  let steps = 0, produced = 0, refused = 0, lastStepMs = 0, droppedHands = 0;
  let lastStats = 0, lastErrorSec = -Infinity;
  running = true;
  while (running) {
    hands.waitForFrame(4);
    const t0 = performance.now();
    const now = sessionSec();
    const playhead = chunks.playhead();
    if (clockRestarted && playhead > 0) { clockRestarted = false; recentMax.clear(); recentMinNeg.clear(); offsetSec = NaN; placement.reset(); } // relearn
    if (playhead > 0) {
      const reading = playhead / rate - now;
      // Far behind every burst: the audio clock stood still (a suspended context). Re-anchor, or all later sound would
      // come that much late; the gap is the suspension's, not ours.
      if (reading < offsetSec - CLOCK_STALL_SEC) { recentMax.clear(); recentMinNeg.clear(); }
      offsetSec = recentMax.push(now, reading);
      minOffsetSec = -recentMinNeg.push(now, -reading);
    }
    // Every stream is placed by the smallest reading (the earliest the audio thread can be); what it makes is made the
    // spread of the readings further ahead instead (the model's ticks and strikes, the procedural render).
    if (playhead > 0) generator.extraLeadSec = offsetSec - minOffsetSec;
    if (generator.commitUntil && playhead > 0 && !Number.isNaN(generator.originSec)) {
      // Frames from here on sound from the commit point on (the procedural render, the backstop's strikes and moves).
      const anchorNow = Math.round((generator.originSec + minOffsetSec) * rate);
      commitAnchor = placement.keeps(anchorNow) ? placement.anchorFrame : anchorNow;
      generator.commitUntil(playhead + guardFrames - commitAnchor, liveCommit);
    }
    while (hands.pull(frame)) {
      droppedHands += frame.sanitize(); // NaN/inf hands are untracked for that frame, never garbage in the model
      contacts.push(frame, (c) => post({ type: 'contact', ...c }));
      frame.timeSec += pageToSessionSec; // page-relative seconds → session seconds
      generator.push(frame);
    }
    if (Number.isNaN(offsetSec)) { await idle(); continue; } // no audio clock yet
    let out: PcmChunk[] = [];
    try {
      out = await generator.advance(sessionSec()); // the frames just pulled are all before it
    } catch (err) {
      // Both sessions failed (or a bug): say so at most once a second and keep trying; the worklet fades to silence.
      if (now - lastErrorSec > 1) { lastErrorSec = now; postError(err, false); }
      await idle();
      continue;
    }
    const anchorNow = Math.round((generator.originSec + minOffsetSec) * rate);
    for (const c of out) {
      const anchorBefore = placement.anchorFrame;
      const startFrame = placement.frameFor(anchorNow, c.startSample, c.samples);
      // A re-render is spliced in only where it lands exactly on the audio it re-renders: not across a re-anchoring.
      const splice = c.splice === true && placement.anchorFrame === anchorBefore && placement.sameAnchorFrom(c.startSample);
      // Chunks bigger than a ring slot go in slot-sized pieces.
      for (let o = 0; o < c.samples.length; o += chunks.maxChunkSamples) {
        const piece = c.samples.subarray(o, Math.min(c.samples.length, o + chunks.maxChunkSamples));
        if (chunks.push(startFrame + o, piece, piece.length, splice)) produced++; else refused++;
      }
    }
    // After a switch from a primary that could not keep up (WebGPU on a software adapter), the stream is far behind
    // or far ahead of the present (it runs ahead by its tick cost): restart it at the present on the same sessions.
    if (failedOver && generator.kind === 'model' && built.remake) {
      failedOver = false;
      if (Math.abs((generator.generatedUntilSec ?? now) - now) > RESYNC_SEC) {
        generator = built.remake();
        placement.reset();
        built = { ...built, generator };
      }
    }
    // The budget: a model that cannot keep up on this machine makes late audio (silence, then stale sound). When the
    // caller allows it, the procedural baseline takes over after a second of that, saying why.
    if (out.length > 0 && generator.kind === 'model' && spec.allowProceduralFallback) {
      const endFrame = placement.endFrame;
      if ((chunks.playhead() - endFrame) / rate > BEHIND_SEC) {
        if (Number.isNaN(behindSinceSec)) behindSinceSec = now;
        else if (now - behindSinceSec > BEHIND_FOR_SEC) {
          const previous = built.backend;
          postError(new BackendUnavailableError(`the model (${previous}) cannot keep up on this machine: its audio ends ${((chunks.playhead() - endFrame) / rate * 1000).toFixed(0)} ms behind the playhead; the procedural baseline plays instead`), false);
          generator = await proceduralFrom(now);
          placement.reset();
          built = { ...built, generator, backend: 'procedural', failover: null };
          post({ type: 'backend', backend: 'procedural', previous, reason: 'over budget' });
          behindSinceSec = NaN;
        }
      } else behindSinceSec = NaN;
    }
    steps++;
    lastStepMs = performance.now() - t0;
    if (now - lastStats > 0.25) {
      lastStats = now;
      const t = generator.timings ?? { ticks: 0, modelMs: 0, vocoderMs: 0, conditioningMs: 0 };
      const b = generator instanceof OnsetBackstop ? generator.stats : { impacts: 0, sounded: 0, retimed: 0 };
      post({ type: 'stats', steps, chunks: produced, refusedChunks: refused, lastStepMs, clockOffsetSec: offsetSec, droppedHands,
        ticks: t.ticks, modelMs: t.modelMs, vocoderMs: t.vocoderMs, conditioningMs: t.conditioningMs,
        backstopImpacts: b.impacts, backstopSounded: b.sounded, backstopRetimed: b.retimed });
    }
    if (steps % 64 === 0) await idle(); // let 'stop' messages in
  }
  await generator.dispose();
}

/** A procedural generator already at session time `now` (its stream starts at 0: the past is rendered and dropped). */
async function proceduralFrom(nowSec: number): Promise<ProceduralGenerator> {
  const spec = initSpec!;
  const p = new ProceduralGenerator({ outputRate: initRate, material: spec.material, surfaceHeightM: spec.surfaceHeightM, marginSec: spec.marginSec });
  await p.advance(nowSec - 0.03);
  return p;
}

const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
