/**
 * Test page: what a Unity WebGL player does with the plugin, without Unity. The Emscripten-like harness links the
 * .jslib and the runtime .jspre (texts passed in by the test); the "game" creates an instance, writes each hand frame
 * into its heap (as the C# component's float[126] would be) and pushes it by pointer, in real time, while a recorder
 * worklet after the runtime's output captures what was played. Then the error paths: a NaN hand, a listener pose,
 * a failing second instance.
 */
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { tapTrajectory } from '../../helpers/tap-trajectory.js';
import { loadJslib, type SentMessage } from '../emscripten-harness.js';
import { UNITY_STATS_FIELDS } from '../../../src/unity/unity-abi.js';

export interface UnityRunResult {
  sampleRate: number;
  samples: number[];
  startFrame: number;
  contactsAudioSec: number[];
  /** How many pushes returned each code. */
  pushCodes: Record<string, number>;
  /** Stats block read back through HearingHands_GetStats after the taps and after the NaN frame. */
  stats: Record<string, number>;
  statsAfterNaN: Record<string, number>;
  listener: number[];
  sent: SentMessage[];
  failedStart: SentMessage | null;
  /** Cost of each HearingHands_PushFrame call in the page (µs; the page clock has 5 µs steps). */
  pushMicros: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(jslib: string, jspre: string, contactsSec: number[], durationSec: number): Promise<UnityRunResult> {
  const h = loadJslib({ jslib, jspre });
  const ctx = new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
  await ctx.audioWorklet.addModule('/bundles/recorder.js');
  const recBuffer = new SharedArrayBuffer(8 + 4 * 48000 * (durationSec + 5));
  const rec = new AudioWorkletNode(ctx, 'test-recorder', { processorOptions: { buffer: recBuffer } });
  rec.connect(ctx.destination);
  // What a WebGL template would do to route the plugin's sound (here: into the recorder).
  (globalThis as unknown as { HearingHandsUnity: { setAudioOutput(c: AudioContext, d: AudioNode): void } }).HearingHandsUnity.setAudioOutput(ctx, rec);

  const options = JSON.stringify({ material: 'wood', surfaceHeightM: 0, marginSec: 0, modelUrl: '', workerUrl: '', workletUrl: '' });
  const handle = h.exports._HearingHands_Create!(h.allocString(options), h.allocString('HandSounds'));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady' || m.method === 'OnHearingHandsError', 30_000);
  await ctx.resume();
  await sleep(1000); // let the sampler learn the audio clock's bursts

  const framePtr = h.allocFloats(126);
  const statsPtr = h.allocFloats(UNITY_STATS_FIELDS.length);
  const readStats = () => {
    h.exports._HearingHands_GetStats!(handle, statsPtr, UNITY_STATS_FIELDS.length);
    const v = h.readFloats(statsPtr, UNITY_STATS_FIELDS.length);
    return Object.fromEntries(UNITY_STATS_FIELDS.map((k, i) => [k, v[i]!]));
  };
  const pushCodes: Record<string, number> = {};
  const pushTimes: number[] = [];
  // Like a player: once per display frame (requestAnimationFrame), the current pose — the newest trajectory frame
  // (240 Hz) at or before now — pushed once, and stamped by the plugin with the page clock at the call.
  const traj = tapTrajectory({ contactsSec, durationSec, rateHz: 240 });
  const frame = new HandFrame();
  const t0 = performance.now() / 1000 + 0.05;
  let offset = Infinity; // audio clock − page clock, smallest reading
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now() / 1000;
      offset = Math.min(offset, ctx.currentTime - now);
      let i = -1;
      while (next < traj.timesSec.length && t0 + traj.timesSec[next]! <= now) i = next++;
      if (i >= 0) {
        traj.frameAt(i, frame);
        h.writeFloats(framePtr, frame.keypointsM); // the C# component's float[126] on the heap
        const mask = (frame.valid[0] ? 1 : 0) | (frame.valid[1] ? 2 : 0);
        const a = performance.now();
        const code = h.exports._HearingHands_PushFrame!(handle, framePtr, 126, mask);
        pushTimes.push(performance.now() - a);
        pushCodes[code] = (pushCodes[code] ?? 0) + 1;
      }
      if (next < traj.timesSec.length) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  await sleep(600);
  const header = new Int32Array(recBuffer, 0, 2);
  const recorded = new Float32Array(recBuffer, 8, Atomics.load(header, 1));
  const stats = readStats();

  // Error paths, after the recording: a frame whose left hand has a NaN, a listener pose, a second instance that
  // cannot start (unknown material).
  frame.keypointsM.fill(0.1);
  frame.keypointsM[3] = NaN;
  h.writeFloats(framePtr, frame.keypointsM);
  h.exports._HearingHands_PushFrame!(handle, framePtr, 126, 3);
  const statsAfterNaN = readStats();
  h.writeFloats(framePtr, [0.1, 1.6, 0.2, 0, 0, -1, 0, 1, 0]);
  h.exports._HearingHands_SetListenerPose!(handle, framePtr, 9);
  const l = ctx.listener;
  const listener = [l.positionX.value, l.positionY.value, l.positionZ.value, l.forwardZ.value];
  const bad = h.exports._HearingHands_Create!(h.allocString(JSON.stringify({ material: 'unobtainium' })), h.allocString('HandSounds'));
  const failedStart = await h.waitForMessage((m) => m.method === 'OnHearingHandsError' && JSON.parse(m.payload).handle === bad, 30_000).catch(() => null);
  h.exports._HearingHands_Dispose!(bad);
  h.exports._HearingHands_Dispose!(handle);
  await sleep(200);
  await ctx.close();
  return {
    sampleRate: ctx.sampleRate, samples: Array.from(recorded), startFrame: Atomics.load(header, 0),
    contactsAudioSec: contactsSec.map((c) => t0 + c + offset), pushCodes, stats, statsAfterNaN, listener,
    sent: h.sent, failedStart, pushMicros: pushTimes.map((ms) => ms * 1000),
  };
}

declare global { interface Window { unityTest: { ready: boolean; run: typeof run } } }
window.unityTest = { ready: true, run };
