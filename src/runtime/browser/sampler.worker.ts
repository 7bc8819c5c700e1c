/**
 * The sampler Worker: drains the HandRing, advances the sound generator and puts the audio it makes on the audio
 * clock through the ChunkRing. It waits on the HandRing (Atomics.wait, allowed in Workers) with a short timeout, so
 * it also keeps producing (ringing, silence) while no hand frames come.
 *
 * Clocks: hand frames carry page-relative seconds; the worklet publishes the audio clock (frames) after each
 * block. Hand times are put on one session clock (epoch seconds since this worker started: the page and the
 * worker have different performance.timeOrigin); the offset audio − session comes from the playhead readings.
 * Browsers render audio in bursts of several blocks (the device buffer), so a reading lies anywhere between "just
 * rendered" and a burst ahead; the offset is the largest reading so far, so a chunk made for session time t is
 * placed where the audio thread has certainly not been yet (the burst is the price, paid once). It never decreases:
 * a smaller offset would leave a gap in the audio (a dropout), a larger one only overlaps what is already placed,
 * which the playback timeline crossfades. (Clock drift between the two clocks, a few ms per minute at most, can
 * therefore only add latency.)
 */
import { ChunkRing } from '../../audio/chunk-ring.js';
import { HandFrame } from '../../hand/hand-frame.js';
import { HandRing } from '../../hand/hand-ring.js';
import { HearingHandsError } from '../../errors.js';
import type { PcmChunk, SoundGenerator } from '../generator.js';
import { ProceduralGenerator } from '../procedural-generator.js';
import type { FromSampler, SamplerInit, ToSampler } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;
const post = (m: FromSampler) => self.postMessage(m);

let running = false;

self.onmessage = (e: MessageEvent<ToSampler>) => {
  const msg = e.data;
  if (msg.type === 'stop') { running = false; return; }
  if (msg.type === 'init') start(msg).catch((err: unknown) => {
    const code = err instanceof HearingHandsError ? err.code : 'INTERNAL';
    post({ type: 'error', code, message: (err as Error).message });
  });
};

async function start(init: SamplerInit): Promise<void> {
  const hands = HandRing.attach(init.handRing);
  const chunks = ChunkRing.attach(init.chunkRing);
  const generator: SoundGenerator = new ProceduralGenerator({
    outputRate: init.outputRate, material: init.generator.material, surfaceHeightM: init.generator.surfaceHeightM,
    marginSec: init.generator.marginSec,
  });
  post({ type: 'ready', generator: generator.kind });
  const rate = init.outputRate;
  const sessionStartMs = performance.timeOrigin + performance.now();
  const sessionSec = () => (performance.timeOrigin + performance.now() - sessionStartMs) / 1000;
  const pageToSessionSec = (init.pageTimeOriginMs - sessionStartMs) / 1000;
  const frame = new HandFrame();
  let offsetSec = NaN; // audio clock − session clock (s)
  let steps = 0, produced = 0, refused = 0, lastStepMs = 0;
  let lastStats = 0;
  running = true;
  while (running) {
    hands.waitForFrame(4);
    const t0 = performance.now();
    // Hand frames: page-relative seconds → session seconds.
    while (hands.pull(frame)) {
      frame.timeSec += pageToSessionSec;
      generator.push(frame);
    }
    const now = sessionSec();
    const playhead = chunks.playhead();
    if (playhead > 0) {
      const reading = playhead / rate - now;
      if (!(reading <= offsetSec)) offsetSec = reading; // first reading, or a larger one
    }
    if (Number.isNaN(offsetSec)) { await idle(); continue; } // no audio clock yet
    const out: PcmChunk[] = await generator.advance(now);
    for (const c of out) {
      const startFrame = Math.round((generator.originSec + offsetSec) * rate) + c.startSample;
      // Chunks bigger than a ring slot go in slot-sized pieces.
      for (let o = 0; o < c.samples.length; o += chunks.maxChunkSamples) {
        const piece = c.samples.subarray(o, Math.min(c.samples.length, o + chunks.maxChunkSamples));
        if (chunks.push(startFrame + o, piece)) produced++; else refused++;
      }
    }
    steps++;
    lastStepMs = performance.now() - t0;
    if (now - lastStats > 0.25) {
      lastStats = now;
      post({ type: 'stats', steps, chunks: produced, refusedChunks: refused, lastStepMs, clockOffsetSec: offsetSec });
    }
    if (steps % 64 === 0) await idle(); // let 'stop' messages in
  }
  await generator.dispose();
}

const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
