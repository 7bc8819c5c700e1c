/**
 * Test page: the real browser runtime (HearingHands: HandRing → sampler Worker → ChunkRing → playback worklet) in a
 * real-time AudioContext, fed a tapping hand in real time; a recorder worklet after it captures what was played.
 * A run can ask for a model backend, a broken model, and faults at given times (NaN hands, a stalled producer, a
 * lost device or failing session, a suspended context), and returns the capture with every event the runtime sent.
 */
import { HearingHands, type HearingHandsEvent, type HearingHandsOptions, type ModelOption } from '../../../src/runtime/browser/hearing-hands.js';
import type { BackendChoice, SimulatedFault } from '../../../src/runtime/browser/protocol.js';
import { HandFrame } from '../../../src/hand/hand-frame.js';
import type { VoicePanning } from '../../../src/audio/output-chain.js';
import { tapTrajectory } from '../../helpers/tap-trajectory.js';
import { ClockOffset, startCapture, toBase64 } from './capture.js';

export type ModelChoice = 'shipped' | 'shipped-live' | 'distilled' | 'missing' | 'corrupt' | 'mismatched' | null;

export interface TapRunConfig {
  contactsSec: number[];
  durationSec: number;
  backend?: BackendChoice;
  model?: ModelChoice;
  allowProceduralFallback?: boolean;
  faultInjection?: boolean;
  /** With the model: the onset backstop (the runtime's default: on). */
  onsetBackstop?: boolean;
  /** Trajectory-time intervals [from, to): the right hand's keypoints are NaN / no frames are pushed at all. */
  nanSec?: [number, number];
  stallSec?: [number, number];
  /** Faults posted to the sampler at trajectory times. */
  faults?: { atSec: number; fault: SimulatedFault }[];
  /** The context is suspended at this trajectory time (the test clicks the page to resume it). */
  suspendAtSec?: number;
  rateHz?: number;
  /** false: bypass the output chain (panners, limiter). */
  output?: false;
  /** Downward speed at contact (m/s; default 0.6). */
  speedMps?: number;
  /** The onset backstop's decisions as 'backstop' events (diagnostics). */
  reportBackstop?: boolean;
  /** The output chain's panners (default HRTF). */
  panningModel?: VoicePanning;
}

export interface TapRunResult {
  sampleRate: number;
  /** Recorded output (base64 float32), starting at audio-clock frame startFrame. */
  samplesB64: string;
  startFrame: number;
  /** Contact times on the audio clock (seconds). */
  contactsAudioSec: number[];
  /** Audio-clock times of the trajectory's start and of each fault. */
  trajStartAudioSec: number;
  stats: ReturnType<HearingHands['stats']>;
  /** How long create() took (s). */
  createSec: number;
  /** Every event, with the page time it arrived. */
  events: (HearingHandsEvent & { atPageSec: number })[];
  errors: string[];
  /** Trajectory times (s) at which the worklet's underrun counter went up (a fade to silence: a gap). */
  underrunsAtSec: number[];
  /** Audio-clock times when the context was suspended / seen running again. */
  suspendedAudioSec: number | null;
  resumed: boolean;
  createError: { name: string; code: string; message: string } | null;
}

async function modelOption(choice: ModelChoice): Promise<ModelOption | undefined> {
  if (choice === null) return undefined;
  if (choice === 'shipped') return { manifestUrl: '/models/hh-flow-s.json' };
  if (choice === 'shipped-live') return { manifestUrl: '/models/hh-flow-s-live.json' };
  if (choice === 'distilled') return { manifestUrl: '/models/hh-flow-s-live-d2.json' };
  if (choice === 'missing') return { manifestUrl: '/models/no-such-model.json' };
  const manifest = JSON.parse(await (await fetch('/models/hh-flow-s.json')).text()) as { features: { sampleRate: number } };
  if (choice === 'mismatched') {
    manifest.features.sampleRate = 22050;
    return { manifest, tickBytes: new Uint8Array(16) };
  }
  // Corrupt: the real graph's first bytes, then garbage.
  const bytes = new Uint8Array(await (await fetch('/models/hh-flow-s.tick4.onnx')).arrayBuffer());
  for (let i = 64; i < bytes.length; i += 7) bytes[i] = (bytes[i]! * 31 + i) & 255;
  return { manifest, tickBytes: bytes.subarray(0, 200_000) };
}

async function runTaps(config: TapRunConfig): Promise<TapRunResult> {
  const ctx = new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
  state.suspended = false;
  // The capture runs from now: through create() (tens of seconds for the WebGPU warm-up on SwiftShader when the
  // machine is loaded) and the run.
  const capture = await startCapture(ctx, config.durationSec + (config.backend === 'webgpu' ? 90 : 15));
  const startSec = performance.now() / 1000;
  const events: TapRunResult['events'] = [];
  const options: HearingHandsOptions = {
    workerUrl: '/bundles/sampler.js', workletUrl: '/bundles/playback.js', audioContext: ctx, destination: capture.node,
    material: 'wood', backend: config.backend, model: await modelOption(config.model ?? null), ortUrl: '/ort/',
    allowProceduralFallback: config.allowProceduralFallback, faultInjection: config.faultInjection,
    ...(config.onsetBackstop === undefined ? {} : { onsetBackstop: config.onsetBackstop }),
    ...(config.reportBackstop ? { reportBackstop: true } : {}),
    ...(config.output === false ? { output: false as const } : config.panningModel ? { output: { panningModel: config.panningModel } } : {}),
    surfaceCenterM: [0, -0.3], on: (e) => events.push({ ...e, atPageSec: performance.now() / 1000 }),
  };
  let hh: HearingHands;
  try {
    hh = await HearingHands.create(options);
  } catch (e) {
    await ctx.close();
    const err = e as Error & { code?: string };
    return { createError: { name: err.name, code: err.code ?? '', message: err.message } } as TapRunResult;
  }
  const createdSec = performance.now() / 1000;
  await ctx.resume();
  await new Promise((r) => setTimeout(r, 1500)); // the sampler learns the audio clock (its offset window: 1 s)
  const traj = tapTrajectory({ contactsSec: config.contactsSec, durationSec: config.durationSec, rateHz: config.rateHz ?? 90, speedMps: config.speedMps });
  const t0 = performance.now() / 1000 + 0.05;
  const offset = new ClockOffset(ctx);
  const frame = new HandFrame();
  const faults = [...(config.faults ?? [])];
  let suspendedAudioSec: number | null = null;
  let suspended = false;
  const underrunsAtSec: number[] = [];
  let underruns = hh.stats().underruns;
  await new Promise<void>((resolve) => {
    let i = 0;
    const pump = () => {
      const now = performance.now() / 1000;
      offset.sample();
      const u = hh.stats().underruns;
      if (u > underruns) { underruns = u; underrunsAtSec.push(now - t0); }
      while (faults.length > 0 && t0 + faults[0]!.atSec <= now) hh.simulateFault(faults.shift()!.fault);
      if (config.suspendAtSec !== undefined && !suspended && t0 + config.suspendAtSec <= now) {
        suspended = true;
        suspendedAudioSec = ctx.currentTime;
        void ctx.suspend().then(() => { state.suspended = true; });
      }
      while (i < traj.timesSec.length && t0 + traj.timesSec[i]! <= now) {
        const tt = traj.timesSec[i]!;
        traj.frameAt(i++, frame);
        if (config.stallSec && tt >= config.stallSec[0] && tt < config.stallSec[1]) continue;
        if (config.nanSec && tt >= config.nanSec[0] && tt < config.nanSec[1]) frame.keypointsM.fill(NaN, 63);
        frame.timeSec += t0;
        hh.push(frame);
      }
      if (i < traj.timesSec.length) setTimeout(pump, 2); else resolve();
    };
    pump();
  });
  // With a suspended context, wait for the test's click to resume it (and then for the audio to play out).
  if (suspended) for (let k = 0; k < 100 && ctx.state !== 'running'; k++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 800));
  const rec = capture.read();
  const errors = events.filter((e) => e.type === 'error').map((e) => `${(e as { code: string }).code}: ${(e as { message: string }).message}`);
  const result: TapRunResult = {
    sampleRate: ctx.sampleRate,
    samplesB64: toBase64(rec.samples),
    startFrame: rec.startFrame,
    contactsAudioSec: config.contactsSec.map((c) => t0 + c + offset.at(t0 + c)),
    trajStartAudioSec: t0 + offset.at(t0),
    stats: hh.stats(), createSec: createdSec - startSec,
    events, errors, underrunsAtSec, suspendedAudioSec, resumed: ctx.state === 'running', createError: null,
  };
  await hh.dispose();
  await ctx.close();
  return result;
}

/** What the Node side polls (e.g. to click the page once the context is suspended). */
const state = { suspended: false };

declare global { interface Window { hhTest: { ready: boolean; runTaps: typeof runTaps; state: typeof state } } }
window.hhTest = { ready: true, runTaps, state };
