/**
 * The DSP core in a browser Worker (where the live vocoder runs): log-mel of 1 s, one 64 ms vocoder tick
 * (mel → linear of 4 frames, then a 4-frame streaming Griffin-Lim push at 8 iterations) and one 64 ms chunk
 * through the streaming 16 kHz → 48 kHz resampler. Same work as bench/dsp.bench.ts does in Node.
 */
import { Dsp } from '../../src/dsp/index.js';
import type { BrowserCaseResult, WorkerReply, WorkerRequest } from './protocol.js';
import { median, noise, sampleAsync } from './timing.js';
import { dspHeapBytes } from '../wasm-heap.js';

async function dspCase(reps: number): Promise<BrowserCaseResult> {
  const dsp = await Dsp.create();
  const sr = dsp.settings.sampleRate;
  const second = noise(sr);
  const melReps = reps, tickReps = reps * 4;
  const melSamples = await sampleAsync(() => dsp.mel(second), melReps);

  const frames = 4;
  const mel = dsp.mel(second).subarray(0, frames * dsp.settings.nMels);
  const sgl = dsp.createStreamingGriffinLim({ maxChunkFrames: frames, iterations: 8 });
  const out = new Float32Array(sgl.maxOutput(frames));
  const invSamples = await sampleAsync(() => dsp.melToLinear(mel, frames), tickReps);
  const mag = dsp.melToLinear(mel, frames);
  const glSamples = await sampleAsync(() => sgl.pushInto(mag, out), tickReps);

  const chunk = second.subarray(0, frames * dsp.settings.hop);
  const rs = dsp.createResampler(sr, 48000);
  const rsOut = new Float32Array(rs.maxOutput(chunk.length));
  const rsSamples = await sampleAsync(() => rs.processInto(chunk, rsOut), tickReps);
  const tickMs = (frames * dsp.settings.hop * 1000) / sr;
  const heap = dspHeapBytes(dsp);
  dsp.dispose();
  return {
    rows: [
      { label: 'log-mel of 1 s (WASM, Worker)', samplesMs: melSamples, values: { 'ms per s audio': median(melSamples) } },
      { label: `mel → linear, ${frames} frames (one ${tickMs} ms tick)`, samplesMs: invSamples, values: { 'share of tick (%)': (100 * median(invSamples)) / tickMs } },
      { label: `streaming Griffin-Lim push, ${frames} frames × 8 it`, samplesMs: glSamples, values: { 'share of tick (%)': (100 * median(glSamples)) / tickMs } },
      { label: `resampler 16 → 48 kHz, ${chunk.length}-sample chunk`, samplesMs: rsSamples, values: { 'share of tick (%)': (100 * median(rsSamples)) / tickMs } },
      { label: 'Dsp WASM heap after the above', values: { 'MiB': heap / 2 ** 20 } },
    ],
    notes: [],
  };
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  let reply: WorkerReply;
  try {
    if (e.data.type !== 'dsp') throw new Error(`dsp worker cannot run '${e.data.type}'`);
    reply = { type: 'result', result: await dspCase(e.data.reps) };
  } catch (err) {
    reply = { type: 'error', message: String((err as Error)?.stack ?? err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
