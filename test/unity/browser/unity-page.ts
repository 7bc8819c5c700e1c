/**
 * Test page: what a Unity WebGL player does with the plugin, without Unity. The Emscripten-like harness links the
 * .jslib and the runtime .jspre (texts passed in by the test); the "game" creates an instance, writes each hand frame
 * into its heap (as the C# component's float[126] would be) and pushes it by pointer once per display frame, while a
 * recorder worklet after the runtime's output captures what was played.
 */
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { tapTrajectory } from '../../helpers/tap-trajectory.js';
import { loadJslib, type EmscriptenHarness, type SentMessage } from '../emscripten-harness.js';
import { UNITY_STATS_FIELDS } from '../../../src/unity/unity-abi.js';

export interface TapsResult {
  sampleRate: number;
  samples: number[];
  startFrame: number;
  contactsAudioSec: number[];
  /** How many pushes returned each code. */
  pushCodes: Record<string, number>;
  /** Cost of each HearingHands_PushFrame call in the page (µs; the page clock has 5 µs steps). */
  pushMicros: number[];
  /** Stats block read back through HearingHands_GetStats after the taps. */
  stats: Record<string, number>;
  sent: SentMessage[];
}

export interface ProceduralRunResult extends TapsResult {
  statsAfterNaN: Record<string, number>;
  listener: number[];
  failedStart: SentMessage | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GAME_OBJECT = 'HandSounds';

interface Player {
  h: EmscriptenHarness;
  ctx: AudioContext;
  recBuffer: SharedArrayBuffer;
  handle: number;
  framePtr: number;
  readStats(): Record<string, number>;
}

/** A "player": the linked plugin, an AudioContext routed into a recorder, and one instance created with `options`. */
async function startPlayer(jslib: string, jspre: string, options: object, recordSec: number): Promise<Player> {
  const h = loadJslib({ jslib, jspre });
  const ctx = new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
  await ctx.audioWorklet.addModule('/bundles/recorder.js');
  const recBuffer = new SharedArrayBuffer(8 + 4 * Math.ceil(48000 * recordSec)); // whole floats, or the recorder cannot view it
  const rec = new AudioWorkletNode(ctx, 'test-recorder', { processorOptions: { buffer: recBuffer } });
  rec.connect(ctx.destination);
  // What a WebGL template would do to route the plugin's sound (here: into the recorder).
  (globalThis as unknown as { HearingHandsUnity: { setAudioOutput(c: AudioContext, d: AudioNode): void } }).HearingHandsUnity.setAudioOutput(ctx, rec);
  const handle = h.exports._HearingHands_Create!(h.allocString(JSON.stringify(options)), h.allocString(GAME_OBJECT));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady' || m.method === 'OnHearingHandsError', 60_000);
  await ctx.resume();
  await sleep(1000); // let the sampler learn the audio clock's bursts
  const framePtr = h.allocFloats(126);
  const statsPtr = h.allocFloats(UNITY_STATS_FIELDS.length);
  const readStats = () => {
    h.exports._HearingHands_GetStats!(handle, statsPtr, UNITY_STATS_FIELDS.length);
    const v = h.readFloats(statsPtr, UNITY_STATS_FIELDS.length);
    return Object.fromEntries(UNITY_STATS_FIELDS.map((k, i) => [k, v[i]!]));
  };
  return { h, ctx, recBuffer, handle, framePtr, readStats };
}

/**
 * Like a player: once per display frame (requestAnimationFrame), the current pose — the newest trajectory frame
 * (240 Hz) at or before now — pushed once, and stamped by the plugin with the page clock at the call.
 */
async function playTaps(p: Player, contactsSec: number[], durationSec: number): Promise<TapsResult> {
  const { h, ctx } = p;
  const pushCodes: Record<string, number> = {};
  const pushTimes: number[] = [];
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
        h.writeFloats(p.framePtr, frame.keypointsM); // the C# component's float[126] on the heap
        const mask = (frame.valid[0] ? 1 : 0) | (frame.valid[1] ? 2 : 0);
        const a = performance.now();
        const code = h.exports._HearingHands_PushFrame!(p.handle, p.framePtr, 126, mask);
        pushTimes.push(performance.now() - a);
        pushCodes[code] = (pushCodes[code] ?? 0) + 1;
      }
      if (next < traj.timesSec.length) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  await sleep(600);
  const header = new Int32Array(p.recBuffer, 0, 2);
  const capacity = (p.recBuffer.byteLength - 8) / 4;
  const recorded = new Float32Array(p.recBuffer, 8, Math.min(capacity, Atomics.load(header, 1)));
  return {
    sampleRate: ctx.sampleRate, samples: Array.from(recorded), startFrame: Atomics.load(header, 0),
    contactsAudioSec: contactsSec.map((c) => t0 + c + offset), pushCodes, pushMicros: pushTimes.map((ms) => ms * 1000),
    stats: p.readStats(), sent: h.sent,
  };
}

async function stopPlayer(p: Player): Promise<void> {
  p.h.exports._HearingHands_Dispose!(p.handle);
  await sleep(200);
  await p.ctx.close();
}

/** The procedural generator: taps, then the error paths (a NaN hand, a listener pose, a failing second instance). */
async function runProcedural(jslib: string, jspre: string, contactsSec: number[], durationSec: number): Promise<ProceduralRunResult> {
  const p = await startPlayer(jslib, jspre, { material: 'wood', surfaceHeightM: 0, marginSec: 0, modelUrl: '', workerUrl: '', workletUrl: '' }, durationSec + 5);
  const taps = await playTaps(p, contactsSec, durationSec);
  const { h } = p;
  const values = new Float32Array(126).fill(0.1);
  values[3] = NaN; // left hand
  h.writeFloats(p.framePtr, values);
  h.exports._HearingHands_PushFrame!(p.handle, p.framePtr, 126, 3);
  const statsAfterNaN = p.readStats();
  h.writeFloats(p.framePtr, [0.1, 1.6, 0.2, 0, 0, -1, 0, 1, 0]);
  h.exports._HearingHands_SetListenerPose!(p.handle, p.framePtr, 9);
  const l = p.ctx.listener;
  const listener = [l.positionX.value, l.positionY.value, l.positionZ.value, l.forwardZ.value];
  const bad = h.exports._HearingHands_Create!(h.allocString(JSON.stringify({ material: 'unobtainium' })), h.allocString(GAME_OBJECT));
  const failedStart = await h.waitForMessage((m) => m.method === 'OnHearingHandsError' && JSON.parse(m.payload).handle === bad, 30_000).catch(() => null);
  h.exports._HearingHands_Dispose!(bad);
  await stopPlayer(p);
  return { ...taps, statsAfterNaN, listener, failedStart, sent: h.sent };
}

/** The flow model through onnxruntime-web (wasm), loaded from this origin as a Unity build would from StreamingAssets. */
async function runModel(jslib: string, jspre: string, contactsSec: number[], durationSec: number): Promise<TapsResult> {
  const p = await startPlayer(jslib, jspre, {
    material: 'wood', surfaceHeightM: 0, marginSec: 0, modelUrl: '/models/hh-flow-s.json', backend: 'wasm', ortUrl: '/ort/',
    allowProceduralFallback: false, workerUrl: '', workletUrl: '',
  }, durationSec + 40); // the recorder runs while the model loads
  const taps = await playTaps(p, contactsSec, durationSec);
  await stopPlayer(p);
  return taps;
}

declare global { interface Window { unityTest: { ready: boolean; runProcedural: typeof runProcedural; runModel: typeof runModel } } }
window.unityTest = { ready: true, runProcedural, runModel };
