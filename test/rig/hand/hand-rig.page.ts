/**
 * The hand rig page: IWER emulates a Quest 3 with hand tracking; Babylon's WebXRHandTracking reads the
 * emulated hands; our BabylonHandSource turns each XR frame into a HandFrame pushed into a real HandRing;
 * a real Worker consumes it at 30 Hz. The right hand follows `scriptedHandPositionM`.
 * Exposes `window.handRig.run(config)` for playwright; the demo and the audio tests reuse the setup.
 */
import { XRDevice, metaQuest3 } from 'iwer';
import { Engine } from '@babylonjs/core/Engines/engine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight.js';
import { WebXRDefaultExperience } from '@babylonjs/core/XR/webXRDefaultExperience.js';
import { WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.js';
import { HandRing } from '../../../src/hand/hand-ring.js';
import { HandFrame } from '../../../src/hand/hand-frame.js';
import { BabylonHandSource } from '../../../src/hand/sources/babylon-hand-source.js';
import { scriptedHandPositionM, SCRIPTED_PATH_DURATION_SEC } from './scripted-path.js';
import type { ConsumerReport, FromConsumer, ToConsumer } from './protocol.js';

export interface HandRigConfig {
  useRightHandedSystem: boolean;
  ringCapacityFrames: number;
  /** Extra seconds recorded after the scripted path ends. */
  tailSec: number;
  /** Path-time interval [from, to) (s) during which the right hand is disconnected (tracking lost). */
  vanishSec?: [number, number];
}

export interface HandRigResult {
  /** XR frame time (s, page clock) at which the scripted path's t = 0 was applied. */
  pathStartSec: number;
  frameRateHz: number;
  pushed: number;
  sourceStats: BabylonHandSource['stats'];
  /** Pairs [ours xyz, Babylon's wrist joint mesh xyz] sampled during the run. */
  babylonWristCheck: number[][];
  consumer: ConsumerReport;
  crossOriginIsolated: boolean;
}

export interface RingLatencyResult {
  consumer: ConsumerReport;
  /** Page-side push cost per frame (µs), one value per batch of 2000 pushes. */
  pushUsPerFrame: number[];
  /** Worker-side pull cost per frame (µs), one value per batch of 2000 pulls. */
  pullUsPerFrame: number[];
}

function startConsumer(ring: HandRing): Promise<Worker> {
  const worker = new Worker('/bundles/hand-consumer.js', { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onerror = (e) => reject(new Error(`consumer worker failed: ${e.message}`));
    worker.onmessage = (e: MessageEvent<FromConsumer>) => { if (e.data.type === 'ready') resolve(worker); };
    const init: ToConsumer = { type: 'init', ringBuffer: ring.buffer, timeOriginMs: performance.timeOrigin, resampler: { rateHz: 30 } };
    worker.postMessage(init);
  });
}

function consumerReport(worker: Worker): Promise<ConsumerReport> {
  return new Promise((resolve) => {
    worker.onmessage = (e: MessageEvent<FromConsumer>) => { if (e.data.type === 'report') resolve(e.data.report); };
    worker.postMessage({ type: 'flush' } satisfies ToConsumer);
  });
}

async function run(config: HandRigConfig): Promise<HandRigResult> {
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true } as Parameters<XRDevice['installRuntime']>[0]);
  device.primaryInputMode = 'hand';

  const canvas = document.getElementById('canvas') as HTMLCanvasElement;
  const engine = new Engine(canvas, true, { preserveDrawingBuffer: false, stencil: false });
  const scene = new Scene(engine);
  scene.useRightHandedSystem = config.useRightHandedSystem;
  new FreeCamera('camera', new Vector3(0, 1.6, 0), scene);
  new HemisphericLight('light', new Vector3(0, 1, 0), scene);
  const xr = await WebXRDefaultExperience.CreateAsync(scene, {
    disableDefaultUI: true, disableTeleportation: true, disablePointerSelection: true, disableNearInteraction: true,
    // Nothing from the network: no controller profiles/meshes, no default hand meshes (CDN assets).
    inputOptions: { doNotLoadControllerMeshes: true, disableOnlineControllerRepository: true },
    handSupportOptions: { handMeshes: { disableDefaultMeshes: true }, jointMeshes: { invisible: true } },
  });
  const sessionManager = xr.baseExperience.sessionManager;
  const handTracking = xr.baseExperience.featuresManager.getEnabledFeature(WebXRHandTracking.Name) as WebXRHandTracking;
  if (!handTracking) throw new Error('WebXRHandTracking was not enabled');

  const ring = HandRing.create({ capacityFrames: config.ringCapacityFrames });
  const worker = await startConsumer(ring);
  const source = new BabylonHandSource({ sessionManager, handTracking });
  let pushed = 0;
  const wristCheck: number[][] = [];
  const last = new HandFrame();
  source.start((f) => { ring.push(f); last.copyFrom(f); pushed++; });

  // Drive the right hand. IWER computes a frame's input poses in onFrameStart, before any XR callback, so
  // the pose for the frame's own timestamp is set there (setting it from an XR callback would only show
  // one frame later). Connection changes may lag a frame; they only need to straddle the vanish window.
  let pathStartSec = NaN;
  const right = device.hands.right;
  if (!right) throw new Error('IWER has no right hand');
  const iwerFrameStart = right.onFrameStart.bind(right);
  right.onFrameStart = (frame) => {
    const nowSec = frame.predictedDisplayTime / 1000;
    if (Number.isNaN(pathStartSec)) pathStartSec = nowSec;
    const [x, y, z] = scriptedHandPositionM(nowSec - pathStartSec);
    right.position.set(x, y, z);
    iwerFrameStart(frame);
  };
  sessionManager.onXRFrameObservable.add(() => {
    if (!config.vanishSec || Number.isNaN(pathStartSec)) return;
    const pathSec = sessionManager.currentTimestamp / 1000 - pathStartSec;
    right.connected = !(pathSec >= config.vanishSec[0] && pathSec < config.vanishSec[1]);
  });
  // After Babylon's own hand update, compare its wrist joint mesh with what we pushed this frame.
  scene.onAfterRenderObservable.add(() => {
    const mesh = handTracking.getHandByHandedness('right')?.getJointMesh('wrist' as never);
    if (mesh && last.valid[1] && wristCheck.length < 200 && pushed % 5 === 0) {
      wristCheck.push([last.keypointsM[63]!, last.keypointsM[64]!, last.keypointsM[65]!, mesh.position.x, mesh.position.y, mesh.position.z]);
    }
  });

  await xr.baseExperience.enterXRAsync('immersive-vr', 'local-floor');
  engine.runRenderLoop(() => scene.render());
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, (SCRIPTED_PATH_DURATION_SEC + config.tailSec) * 1000 + 300));
  const elapsedSec = (performance.now() - t0) / 1000;
  source.stop();
  const consumer = await consumerReport(worker);
  await xr.baseExperience.exitXRAsync().catch(() => undefined);
  engine.stopRenderLoop();
  worker.terminate();
  return {
    pathStartSec, frameRateHz: pushed / elapsedSec, pushed, sourceStats: { ...source.stats },
    babylonWristCheck: wristCheck, consumer, crossOriginIsolated,
  };
}

/** Ring-only latency: synthetic frames pushed from the page every `periodMs`, stamped at push time. */
async function ringLatency(frames: number, periodMs: number): Promise<RingLatencyResult> {
  const ring = HandRing.create({ capacityFrames: 64 });
  const worker = await startConsumer(ring);
  const f = new HandFrame();
  f.valid[1] = 1;
  for (let i = 0; i < frames; i++) {
    await new Promise((r) => setTimeout(r, periodMs));
    f.timeSec = performance.now() / 1000;
    f.keypointsM.fill(i * 1e-3, 63);
    ring.push(f);
  }
  await new Promise((r) => setTimeout(r, 50));
  const consumer = await consumerReport(worker);
  const pullUsPerFrame = await new Promise<number[]>((resolve) => {
    worker.onmessage = (e: MessageEvent<FromConsumer>) => { if (e.data.type === 'pullBench') resolve(e.data.usPerFrame); };
    worker.postMessage({ type: 'pullBench', batches: 20, batchFrames: 2000 } satisfies ToConsumer);
  });
  worker.terminate();
  // Push cost: a quiet ring (no consumer) so only the push itself is timed; batches beat the 5 µs clock.
  const quiet = HandRing.create({ capacityFrames: 64 });
  quiet.notifyOnPush = true;
  const batch = 2000;
  const pushUsPerFrame: number[] = [];
  for (let b = 0; b < 20; b++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) { f.timeSec = i; quiet.push(f); }
    pushUsPerFrame.push((1000 * (performance.now() - t0)) / batch);
  }
  return { consumer, pushUsPerFrame, pullUsPerFrame };
}

declare global {
  interface Window { handRig: { run: typeof run; ringLatency: typeof ringLatency; ready: boolean } }
}
window.handRig = { run, ringLatency, ready: true };
