/**
 * Acceptance page: IWER emulates a Quest 3 with hand tracking; Babylon's WebXRHandTracking reads the emulated hands;
 * BabylonHandSource feeds the real runtime (HearingHands: HandRing → sampler Worker → ChunkRing → playback worklet),
 * whose output a recorder worklet captures. The right hand strikes a flat surface many times along a scripted path
 * (tap-path.ts); the contact events the runtime sends (from the hand frames) are the contacts the test times.
 */
import { XRDevice, metaQuest3 } from 'iwer';
import { Engine } from '@babylonjs/core/Engines/engine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { WebXRDefaultExperience } from '@babylonjs/core/XR/webXRDefaultExperience.js';
import { WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.js';
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { BabylonHandSource } from '../../../src/hand/sources/babylon-hand-source.js';
import { KEYPOINT_RADIUS_M } from '../../../src/sim/hand-skeleton.js';
import { HearingHands, type HearingHandsEvent } from '../../../src/runtime/browser/hearing-hands.js';
import type { BackendChoice, BackstopReport } from '../../../src/runtime/browser/protocol.js';
import { ClockOffset, startCapture, toBase64 } from './capture.js';
import { skinHeightM, type TapPath } from './tap-path.js';

export interface RigTapConfig {
  path: TapPath; backend: BackendChoice; tailSec: number; modelTickFrames?: number;
  /** Model runs: the onset backstop's decisions come back in backstops (diagnostics). */
  reportBackstop?: boolean;
}

export interface RigTapResult {
  sampleRate: number;
  samplesB64: string;
  startFrame: number;
  /** Contact events' times on the audio clock (s), and their count per hand. */
  contactsAudioSec: number[];
  contactHands: string[];
  /** Scripted contact times on the audio clock (s), for comparison with the events. */
  scriptedContactsAudioSec: number[];
  backendEvents: string[];
  errors: string[];
  stats: ReturnType<HearingHands['stats']>;
  xrFrameRateHz: number;
  framesPushed: number;
  surfaceHeightM: number;
  /** XR viewer poses the hand source passed on to the runtime's listener (as HearingHands.attach wires it). */
  viewerPoses: number;
  /** The onset backstop's decisions (with config.reportBackstop), times on the audio clock. */
  backstops: BackstopReport[];
}

async function runTaps(config: RigTapConfig): Promise<RigTapResult> {
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true } as Parameters<XRDevice['installRuntime']>[0]);
  device.primaryInputMode = 'hand';
  const canvas = document.getElementById('canvas') as HTMLCanvasElement;
  canvas.width = 160; canvas.height = 120; // SwiftShader renders every pixel on the CPU the audio needs
  const engine = new Engine(canvas, false, { preserveDrawingBuffer: false, stencil: false });
  const scene = new Scene(engine);
  new FreeCamera('camera', new Vector3(0, 1.6, 0), scene);
  const xr = await WebXRDefaultExperience.CreateAsync(scene, {
    disableDefaultUI: true, disableTeleportation: true, disablePointerSelection: true, disableNearInteraction: true,
    inputOptions: { doNotLoadControllerMeshes: true, disableOnlineControllerRepository: true },
    handSupportOptions: { handMeshes: { disableDefaultMeshes: true }, jointMeshes: { invisible: true } },
  });
  const sessionManager = xr.baseExperience.sessionManager;
  const handTracking = xr.baseExperience.featuresManager.getEnabledFeature(WebXRHandTracking.Name) as WebXRHandTracking;
  const right = device.hands.right!;
  const REST = [0.15, 1.15, -0.35] as const;
  // Until calibrated the hand rests; then it follows the path (set in onFrameStart, for the frame's own time).
  let positionY = (tSec: number) => REST[1] + 0 * tSec;
  let pathStartSec = NaN;
  const iwerFrameStart = right.onFrameStart.bind(right);
  right.onFrameStart = (frame) => {
    const nowSec = frame.predictedDisplayTime / 1000;
    right.position.set(REST[0], positionY(Number.isNaN(pathStartSec) ? 0 : nowSec - pathStartSec), REST[2]);
    iwerFrameStart(frame);
  };
  await xr.baseExperience.enterXRAsync('immersive-vr', 'local-floor');
  // No drawing: the XR frame loop (which updates the hands) runs without it, and SwiftShader would spend on pixels
  // the CPU that the model and the audio need.
  engine.runRenderLoop(() => undefined);

  // Calibrate: the lowest skin point of the resting hand, relative to IWER's hand origin.
  const source = new BabylonHandSource({ sessionManager, handTracking });
  const last = new HandFrame();
  let pushed = 0;
  let sink: ((f: HandFrame) => void) | null = null;
  source.start((f) => { last.copyFrom(f); pushed++; sink?.(f); });
  const lowestSkin = () => {
    let y = Infinity;
    for (let k = 0; k < 21; k++) y = Math.min(y, last.keypointsM[63 + k * 3 + 1]! - KEYPOINT_RADIUS_M[k]!);
    return y;
  };
  for (let k = 0; k < 100 && !(last.valid[1] && pushed > 10); k++) await new Promise((r) => setTimeout(r, 50));
  const skinOffset = lowestSkin() - REST[1];
  const surfaceHeightM = REST[1] + skinOffset - config.path.liftM;

  const ctx = new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
  const durationSec = config.path.contactsSec.at(-1)! + config.tailSec;
  const capture = await startCapture(ctx, durationSec + 15);
  const events: HearingHandsEvent[] = [];
  const contactPageSec: number[] = [];
  const contactHands: string[] = [];
  const hh = await HearingHands.create({
    workerUrl: '/bundles/sampler.js', workletUrl: '/bundles/playback.js', audioContext: ctx, destination: capture.node,
    material: 'wood', surfaceHeightM, surfaceCenterM: [REST[0], REST[2]], backend: config.backend, modelTickFrames: config.modelTickFrames,
    model: config.backend === 'procedural' ? undefined : { manifestUrl: '/models/hh-flow-s-live-d2.json' }, ortUrl: '/ort/',
    allowProceduralFallback: false, ...(config.reportBackstop ? { reportBackstop: true } : {}),
    on: (e) => { events.push(e); if (e.type === 'contact') { contactPageSec.push(e.timeSec); contactHands.push(e.hand); } },
  });
  await ctx.resume();
  sink = (f) => hh.push(f);
  // The voices are heard from IWER's head, as hh.attach(source) wires it (the source already runs, for calibration).
  let viewerPoses = 0;
  source.viewer = (p, f, u) => { viewerPoses++; hh.setListener(p, f, u); };
  await new Promise((r) => setTimeout(r, 1500)); // the sampler learns the audio clock (its offset window: 1 s)
  const offset = new ClockOffset(ctx);
  const timer = setInterval(() => offset.sample(), 3);
  positionY = (t) => surfaceHeightM - skinOffset + skinHeightM(config.path, t);
  pathStartSec = performance.now() / 1000 + 0.05;
  await new Promise((r) => setTimeout(r, (durationSec + 0.05) * 1000));
  clearInterval(timer);
  source.stop();
  await new Promise((r) => setTimeout(r, 500));
  const rec = capture.read();
  const result: RigTapResult = {
    sampleRate: ctx.sampleRate, samplesB64: toBase64(rec.samples), startFrame: rec.startFrame,
    contactsAudioSec: contactPageSec.map((t) => t + offset.at(t)), contactHands,
    scriptedContactsAudioSec: config.path.contactsSec.map((c) => pathStartSec + c + offset.at(pathStartSec + c)),
    backendEvents: events.filter((e) => e.type === 'backend').map((e) => e.type === 'backend' ? `${e.previous ?? '-'}→${e.backend}` : ''),
    errors: events.filter((e) => e.type === 'error').map((e) => e.type === 'error' ? `${e.code}: ${e.message}` : ''),
    backstops: events.flatMap((e) => e.type === 'backstop' ? [e] : []),
    stats: hh.stats(), xrFrameRateHz: pushed / (durationSec + 2), framesPushed: pushed, surfaceHeightM, viewerPoses,
  };
  await hh.dispose();
  await ctx.close();
  await xr.baseExperience.exitXRAsync().catch(() => undefined);
  engine.stopRenderLoop();
  return result;
}

declare global { interface Window { hhRig: { ready: boolean; runTaps: typeof runTaps } } }
window.hhRig = { ready: true, runTaps };
