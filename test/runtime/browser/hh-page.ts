/**
 * Test page: the real browser runtime (HearingHands: HandRing → sampler Worker → ChunkRing → playback worklet) in a
 * real-time AudioContext, fed a tapping hand in real time; a recorder worklet after it captures what was played.
 */
import { HearingHands } from '../../../src/runtime/browser/hearing-hands.js';
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { tapTrajectory } from '../../helpers/tap-trajectory.js';

export interface TapRunResult {
  sampleRate: number;
  /** Recorded output, starting at audio-clock frame startFrame. */
  samples: number[];
  startFrame: number;
  /** Contact times on the audio clock (seconds). */
  contactsAudioSec: number[];
  stats: ReturnType<HearingHands['stats']>;
  errors: string[];
}

async function runTaps(contactsSec: number[], durationSec: number): Promise<TapRunResult> {
  const ctx = new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
  await ctx.audioWorklet.addModule('/bundles/recorder.js');
  const recBuffer = new SharedArrayBuffer(8 + 4 * 48000 * (durationSec + 5));
  const rec = new AudioWorkletNode(ctx, 'test-recorder', { processorOptions: { buffer: recBuffer } });
  rec.connect(ctx.destination);
  const hh = await HearingHands.create({ workerUrl: '/bundles/sampler.js', workletUrl: '/bundles/playback.js', audioContext: ctx, destination: rec, material: 'wood' });
  const errors: string[] = [];
  hh.on((e) => { if (e.type === 'error') errors.push(`${e.code}: ${e.message}`); });
  await ctx.resume();
  await new Promise((r) => setTimeout(r, 1000)); // let the sampler learn the audio clock's bursts
  const traj = tapTrajectory({ contactsSec, durationSec });
  const t0 = performance.now() / 1000 + 0.05;
  let offset = Infinity; // audio clock − page clock, smallest reading (currentTime lags by up to a block)
  const frame = new HandFrame();
  await new Promise<void>((resolve) => {
    let i = 0;
    const pump = () => {
      const now = performance.now() / 1000;
      offset = Math.min(offset, ctx.currentTime - now);
      while (i < traj.timesSec.length && t0 + traj.timesSec[i]! <= now) {
        traj.frameAt(i++, frame);
        frame.timeSec += t0;
        hh.push(frame);
      }
      if (i < traj.timesSec.length) setTimeout(pump, 2); else resolve();
    };
    pump();
  });
  await new Promise((r) => setTimeout(r, 600));
  const header = new Int32Array(recBuffer, 0, 2);
  const recorded = new Float32Array(recBuffer, 8, Atomics.load(header, 1));
  const result: TapRunResult = {
    sampleRate: ctx.sampleRate,
    samples: Array.from(recorded),
    startFrame: Atomics.load(header, 0),
    contactsAudioSec: contactsSec.map((c) => t0 + c + offset),
    stats: hh.stats(),
    errors,
  };
  await hh.dispose();
  await ctx.close();
  return result;
}

declare global { interface Window { hhTest: { ready: boolean; runTaps: typeof runTaps } } }
window.hhTest = { ready: true, runTaps };
