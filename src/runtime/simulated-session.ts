/**
 * The live path, replayed in simulated time (the CLI's `render --mode stream`, the latency bench, tests).
 *
 * Hand frames arrive at their timestamps; the sampler (one worker) takes every frame that has arrived while it was
 * busy (as it drains the HandRing), pushes them to the generator and advances it once — at the latest `idleSec` after
 * its last step even when no frame came (the Worker waits at most that long for one: a 30 Hz tracker must not
 * leave the audio dry between its frames); what it generates becomes available
 * to the audio thread when the computation ends — its measured wall time, or a fixed time for reproducible runs.
 * The audio thread is modelled exactly: the same ChunkTimeline the AudioWorklet uses renders 128-frame blocks on
 * the audio clock (= the hand clock here), and a chunk only affects blocks that start after it became available
 * (the parts already played are late and skipped, as they would be live). The output is time-aligned with the
 * hand clock: sample 0 is t = 0.
 *
 * `speculative`: as the browser sampler does, each step first tells the generator where the audio thread is
 * (`commitUntil`: the playhead plus a guard that covers the step's compute), and chunks marked `splice` are spliced in.
 */
import { HandFrame } from '../hand/hand-frame.js';
import type { Trajectory } from '../hand/trajectory.js';
import { ChunkTimeline, defaultTimelineOptions } from '../audio/chunk-timeline.js';
import { InvalidArgumentError } from '../errors.js';
import type { PcmChunk, SoundGenerator } from './generator.js';

export interface SimulatedSessionOptions {
  /** 'measured' = each step takes its real wall time; a number = that many seconds per step (reproducible). */
  computeSec?: 'measured' | number;
  blockFrames?: number;
  /** Audio rendered after the last frame (default 0.6 s). */
  tailSec?: number;
  /** The longest the sampler waits for a hand frame before it steps anyway (default 0.004 s, as the Worker). */
  idleSec?: number;
  /** Tell the generator the audio thread's position each step and splice what it marks so (default false). */
  speculative?: boolean;
}

export interface SimulatedRun {
  /** Output at the generator's rate, sample 0 = hand time 0. */
  output: Float32Array;
  sampleRate: number;
  /** Per sampler step (it drains all frames that have arrived, then advances once): compute time in ms. */
  stepMs: number[];
  chunks: number;
  /** Chunks that arrived entirely too late to play, and chunk samples skipped because their time had passed. */
  lateChunks: number;
  lateSamples: number;
  /** Blocks in which the audio ran out while a sound was playing. */
  dropouts: number;
}

export async function runSimulatedSession(generator: SoundGenerator, trajectory: Trajectory,
  opts: SimulatedSessionOptions = {}): Promise<SimulatedRun> {
  const rate = generator.outputRate;
  const block = opts.blockFrames ?? 128;
  const computeSec = opts.computeSec ?? 'measured';
  if (computeSec !== 'measured' && !(computeSec >= 0)) throw new InvalidArgumentError(`computeSec must be 'measured' or ≥ 0, got ${computeSec}`);
  const n = trajectory.timesSec.length;
  if (n === 0) throw new InvalidArgumentError('the trajectory has no frames');
  const endSec = trajectory.timesSec[n - 1]! + (opts.tailSec ?? 0.6);
  if (trajectory.timesSec[0]! < 0) throw new InvalidArgumentError('trajectory times must not be negative');
  const output = new Float32Array(Math.ceil(endSec * rate) + block);
  const timeline = new ChunkTimeline({ ...defaultTimelineOptions(rate), capacityFrames: rate * 2 });
  timeline.reset(0);
  const run: SimulatedRun = { output, sampleRate: rate, stepMs: [], chunks: 0, lateChunks: 0, lateSamples: 0, dropouts: 0 };

  const renderUntil = (sec: number) => {
    const target = Math.min(output.length - block, Math.ceil(sec * rate));
    while (timeline.playhead < target) {
      if (timeline.render(output, timeline.playhead, block)) run.dropouts++;
    }
  };
  const place = (chunks: PcmChunk[]) => {
    for (const c of chunks) {
      if (c.samples.length === 0) continue;
      run.chunks++;
      const start = Math.round(generator.originSec * rate) + c.startSample;
      const late = Math.max(0, timeline.playhead - start);
      run.lateSamples += Math.min(late, c.samples.length);
      if (timeline.place(start, c.samples, c.samples.length, opts.speculative === true && c.splice === true) === 'late') run.lateChunks++;
    }
  };

  // The sampler drains every frame that has arrived (as from the HandRing), then advances once.
  const frame = new HandFrame();
  let workerFreeSec = 0;
  const idleSec = opts.idleSec ?? 0.004;
  if (!(idleSec > 0)) throw new InvalidArgumentError(`idleSec must be > 0, got ${idleSec}`);
  // The browser sampler's guard is 1 ms (its chunk reaches the ring within it); here a step's audio becomes available
  // only when its compute ends, so a fixed compute time is added (measured compute: the generator adds what it spent).
  const guardFrames = Math.round((0.001 + (computeSec === 'measured' ? 0 : computeSec)) * rate);
  for (let i = 0; i < n;) {
    // The next frame's arrival, or the idle wake-up (never before the worker is free, never before the first frame).
    const startSec = i === 0 ? Math.max(trajectory.timesSec[0]!, workerFreeSec)
      : Math.max(workerFreeSec, Math.min(trajectory.timesSec[i]!, workerFreeSec + idleSec));
    renderUntil(startSec);
    const t0 = performance.now();
    if (opts.speculative && generator.commitUntil && !Number.isNaN(generator.originSec)) {
      generator.commitUntil(timeline.playhead + guardFrames - Math.round(generator.originSec * rate));
    }
    for (; i < n && trajectory.timesSec[i]! <= startSec; i++) generator.push(trajectory.frameAt(i, frame));
    const chunks = await generator.advance(startSec);
    const ms = performance.now() - t0;
    run.stepMs.push(ms);
    const doneSec = startSec + (computeSec === 'measured' ? ms / 1000 : computeSec);
    workerFreeSec = doneSec;
    renderUntil(doneSec);
    place(chunks);
  }
  place(await generator.finish());
  renderUntil(endSec);
  return run;
}
