/**
 * The XR demo page: a Gaussian-splat room you can touch and hear.
 *   hands (WebXR via Babylon, IWER's emulated Quest on a desktop, or a replayed trajectory)
 *     → SurfaceRouter (which annotated region is under each hand) → one HearingHands per material
 *     → output chain (Tone.js: HRTF panner per material at the touching hand, limiter) → tap → speakers
 *   the tap feeds the spectrogram (AnalyserNode) and a recorder ring (onsets → live latency; the test's recording).
 * URL options: ?desktop=1 forces the emulated Quest; ?splat=<url>&annotation=<url> load another scene;
 * ?regions=0 hides the region outlines; ?sound=model runs the flow model (models/hh-flow-s-live-d2, onnxruntime-web: WebGPU
 * when the browser has an adapter, else wasm; ?backend=wasm|webgpu forces one; ?ticks=1|2 makes its ticks 16|32 ms:
 * less to predict, more session runs; ?backstop=0 turns off the procedural strike for contacts the model leaves silent)
 * instead of the procedural baseline;
 * ?materials=wood,metal limits the sound instances (one sampler Worker, and with the model one ONNX session, each).
 */
import { WebXRDefaultExperience } from '@babylonjs/core/XR/webXRDefaultExperience.js';
import { WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.js';
import { WebXRState } from '@babylonjs/core/XR/webXRTypes.js';
import { HandFrame, type HandIndex } from '../../src/hand/hand-frame.js';
import { BabylonHandSource } from '../../src/hand/sources/babylon-hand-source.js';
import { OutputChain, createLimiterNode } from '../../src/audio/output-chain.js';
import { TOUCH_M } from '../../src/sim/contact.js';
import { parseAnnotation, topOf, type Annotation } from './annotation.js';
import { createDemoScene } from './splat-scene.js';
import { SurfaceRouter, type ContactEvent } from './surface-router.js';
import { HandMarkers } from './hand-markers.js';
import { RingRecorder } from './audio/ring-recorder.js';
import { AudioClock } from './audio/audio-clock.js';
import { OnsetFollower } from './audio/onset-follower.js';
import { LatencyMeter } from './latency-meter.js';
import { MelSpectrogram } from './mel-spectrogram.js';
import { Hud, type HudState } from './hud.js';
import { XrHudPanel } from './xr-hud-panel.js';
import { EmulatedQuest, type StrikeOptions } from './desktop/emulated-quest.js';
import { attachDeskControls } from './desktop/desk-controls.js';
import { BUNDLED_TRAJECTORIES, loadReplay, playOnPageClock } from './desktop/replay.js';
import { CaptureRecorder, type CaptureResult } from './capture/capture-recorder.js';
import type { XrDemoApi } from './demo-api.js';

const BUNDLES = { sampler: './bundles/sampler.js', playback: './bundles/playback.js', recorder: './bundles/recorder.js' };
const MODEL_MANIFEST = './models/hh-flow-s-live-d2.json'; // trained for the live path (src/model/shipped.ts)
// With the model, each material is one ONNX session ticking all the time: by default only the table's and the pot's.
const MODEL_DEFAULT_MATERIALS = ['wood', 'metal'];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function webgpuAvailable(): Promise<boolean> {
  try { return !!(await navigator.gpu?.requestAdapter()); } catch { return false; }
}

async function immersiveSupported(): Promise<boolean> {
  try { return !!(await navigator.xr?.isSessionSupported('immersive-vr')); } catch { return false; }
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const hudState: HudState = {
    mode: 'starting', backend: 'starting', webgpu: (await webgpuAvailable()) ? 'available' : 'not available',
    latency: null, hands: ['—', '—'], underruns: 0, stepMs: 0, capture: null, message: '',
  };
  const hud = new Hud($('hud-text'), $('level-bar'));
  hud.render(hudState);

  // The emulator must replace navigator.xr before Babylon looks for it.
  const desktop = params.get('desktop') === '1' || !(await immersiveSupported());
  const quest = desktop ? EmulatedQuest.install() : null;

  const annotationUrl = params.get('annotation') ?? './scene/room.annotation.json';
  const annotation: Annotation = parseAnnotation(await (await fetch(annotationUrl)).json());
  const canvas = $<HTMLCanvasElement>('render-canvas');
  const demo = await createDemoScene(canvas, { splatUrl: params.get('splat') ?? './scene/room.splat', annotation, showRegions: params.get('regions') !== '0' });
  const markers = new HandMarkers(demo.scene);

  // Audio: router → output chain → tap (spectrogram, recorder) → speakers.
  const context = new AudioContext({ latencyHint: 'interactive' });
  const outRecorder = await RingRecorder.create(context, BUNDLES.recorder, 30);
  const tap = new GainNode(context);
  const spectrogram = new MelSpectrogram(context, $<HTMLCanvasElement>('spectrogram'));
  tap.connect(spectrogram.analyser);
  tap.connect(outRecorder.node).connect(context.destination);
  const useModel = params.get('sound') === 'model';
  const all = [...new Set(annotation.regions.map((r) => r.material))];
  const materials = (params.get('materials')?.split(',') ?? (useModel ? MODEL_DEFAULT_MATERIALS : all)).filter((m) => all.includes(m));
  const backend = (params.get('backend') ?? 'auto') as 'auto' | 'webgpu' | 'wasm';
  const errors: string[] = [];
  const latency = new LatencyMeter();
  // The playback module (loaded again by each HearingHands: a module is evaluated once) brings the look-ahead-free
  // limiter: Tone.Limiter's DynamicsCompressorNode would delay every sound by 6 ms.
  await context.audioWorklet.addModule(BUNDLES.playback);
  // The spherical-head binaural panner (the runtime's default; its processor is in the same module): ~5 ms sooner
  // than Chromium's HRTF panner.
  const chain = new OutputChain({ context, voices: materials.length, destination: tap, limiter: createLimiterNode(context), panningModel: 'spherical-head' });
  const router = await SurfaceRouter.create({
    annotation, materials, audioContext: context, workerUrl: BUNDLES.sampler, workletUrl: BUNDLES.playback,
    ...(useModel ? { model: { manifestUrl: new URL(MODEL_MANIFEST, location.href) }, backend, ortUrl: new URL('./ort/', location.href).href } : {}),
    ...(useModel && params.get('ticks') ? { modelTickFrames: Number(params.get('ticks')) } : {}),
    ...(useModel && params.get('backstop') === '0' ? { onsetBackstop: false } : {}),
    on: (e) => {
      if (e.type === 'error') { errors.push(`${e.code}: ${e.message}`); hudState.message = `error: ${e.message}`; }
      // Latency is measured from the runtime's own contact time (where it placed the sound), not the page's estimate.
      if (e.type === 'contact') latency.contact(e.timeSec, e.material);
      if (e.type === 'backend') hudState.message = e.previous ? `sound backend ${e.previous} → ${e.backend}: ${e.reason}` : '';
    },
    destinationFor: (_m, i) => { const g = new GainNode(context); chain.connectVoice(i, g); return g; },
  });
  const clock = new AudioClock(context);
  const onsets = new OnsetFollower(outRecorder);
  const contacts: ContactEvent[] = [];
  router.onContact((e) => contacts.push(e));
  const capture = new CaptureRecorder(context, BUNDLES.recorder);
  const xrPanel = new XrHudPanel(demo.scene, $<HTMLCanvasElement>('spectrogram'));

  // Every hand frame, whatever its origin, goes through here.
  let frames = 0;
  const onFrame = (f: HandFrame) => {
    frames++;
    router.push(f);
    markers.update(f);
    const over = router.over[1] ?? router.over[0];
    capture.addFrame(f, over ? over.region : null);
  };

  const xr = await WebXRDefaultExperience.CreateAsync(demo.scene, {
    disableDefaultUI: true, disableTeleportation: true, disablePointerSelection: true, disableNearInteraction: true,
    // Nothing from the network: no controller profiles or meshes, no default hand meshes (CDN assets).
    inputOptions: { doNotLoadControllerMeshes: true, disableOnlineControllerRepository: true },
    handSupportOptions: { handMeshes: { disableDefaultMeshes: true }, jointMeshes: { invisible: true } },
  });
  const handTracking = xr.baseExperience.featuresManager.getEnabledFeature(WebXRHandTracking.Name) as WebXRHandTracking;
  const handSource = new BabylonHandSource({ sessionManager: xr.baseExperience.sessionManager, handTracking });
  // Only frames of the (emulated) headset's own hands teach the emulator where their skin is, not replays.
  handSource.start((f) => { quest?.observe(f); onFrame(f); });
  xr.baseExperience.onStateChangedObservable.add((s) => {
    if (s === WebXRState.IN_XR) hudState.mode = 'immersive';
    if (s === WebXRState.NOT_IN_XR) hudState.mode = 'desktop';
    xrPanel.setVisible(s === WebXRState.IN_XR); // the DOM HUD is visible outside VR
  });
  xrPanel.setVisible(false);
  const enterVR = async () => {
    await context.resume();
    await xr.baseExperience.enterXRAsync('immersive-vr', 'local-floor');
  };

  // Desktop controls: keyboard hands, replays.
  if (quest) attachDeskControls(quest, annotation, (h) => { hudState.message = `keyboard moves the ${h === 0 ? 'left' : 'right'} hand`; });
  const replay = async (name: string) => {
    await context.resume();
    const r = await loadReplay(`./trajectories/${name}.json`, annotation);
    hudState.mode = 'replay';
    playOnPageClock(r, onFrame);
    return { region: r.region, durationSec: r.durationSec };
  };

  // Buttons.
  $('enter-vr').onclick = () => { void enterVR().catch((e: Error) => { hudState.message = `cannot enter VR: ${e.message}`; }); };
  $('enter-vr').textContent = desktop ? 'Enter VR (emulated Quest)' : 'Enter VR';
  const select = $<HTMLSelectElement>('replay-select');
  for (const n of BUNDLED_TRAJECTORIES) select.add(new Option(n, n));
  $('replay').onclick = () => { void replay(select.value).catch((e: Error) => { hudState.message = `replay: ${e.message}`; }); };
  $('regions').onclick = () => { for (const b of demo.regionOutlines) b.setEnabled(!b.isEnabled()); };
  let lastCapture: CaptureResult | null = null;
  let modeBeforeCapture: HudState['mode'] = 'desktop';
  const startCapture = async () => { await context.resume(); await capture.start(); modeBeforeCapture = hudState.mode; hudState.mode = 'capture'; };
  const stopCapture = async () => {
    const cam = xr.baseExperience.state === WebXRState.IN_XR ? xr.baseExperience.camera : demo.camera;
    const fwd = cam.getDirection({ x: 0, y: 0, z: -1 } as never);
    hudState.capture = { levelDb: capture.levelDb, seconds: capture.seconds(), status: 'saving…' };
    lastCapture = await capture.stopAndSave('./api/capture', { position: [cam.globalPosition.x, cam.globalPosition.y, cam.globalPosition.z], forward: [fwd.x, fwd.y, fwd.z] });
    hudState.capture = { levelDb: -Infinity, seconds: lastCapture.seconds, status: `saved ${lastCapture.items.length} item(s)` };
    hudState.mode = modeBeforeCapture;
    return lastCapture;
  };
  $('capture').onclick = () => {
    const p = capture.recording ? stopCapture() : startCapture();
    void p.catch((e: Error) => { hudState.message = `capture: ${e.message}`; });
  };

  // Per frame: clocks, onsets → latency, spectrogram, HUD, panner positions.
  let lastHudMs = 0;
  const hudSeen: string[] = []; // every distinct HUD line shown (tests check what the user saw)
  hudState.mode = 'desktop';
  demo.engine.runRenderLoop(() => {
    demo.scene.render();
    clock.update();
    capture.update();
    const heard = onsets.poll().map((t) => clock.contextToPageSec(t));
    latency.onsets(heard);
    spectrogram.draw(performance.now());
    const cam = demo.scene.activeCamera;
    if (cam) {
      const f = cam.getDirection({ x: 0, y: 0, z: cam.getScene().useRightHandedSystem ? -1 : 1 } as never);
      chain.setListener({ x: cam.globalPosition.x, y: cam.globalPosition.y, z: cam.globalPosition.z }, { x: f.x, y: f.y, z: f.z });
    }
    for (let h = 0; h < 2; h++) {
      const o = router.over[h];
      if (o && materials.includes(o.region.material)) chain.setVoicePosition(materials.indexOf(o.region.material), { x: o.wrist[0], y: o.wrist[1], z: o.wrist[2] });
    }
    const now = performance.now();
    if (now - lastHudMs > 100) {
      lastHudMs = now;
      const s = router.instances[0]!.stats();
      hudState.backend = s.generator === 'model' ? `model on ${s.backend}` : s.generator;
      hudState.stepMs = Math.max(...router.instances.map((i) => i.stats().lastStepMs));
      hudState.underruns = router.instances.reduce((n, i) => n + i.stats().underruns, 0);
      hudState.hands = [0, 1].map((h) => {
        const o = router.over[h];
        return o ? `${o.region.material} (${o.region.name}${o.clearanceM <= TOUCH_M ? ', touching' : `, ${(o.clearanceM * 100).toFixed(0)} cm above`})` : '—';
      }) as [string, string];
      const last = latency.last();
      hudState.latency = last ? { lastMs: last.latencyMs, medianMs: latency.medianMs()!, count: latency.readings.length, region: last.region } : null;
      if (capture.recording) hudState.capture = { levelDb: capture.levelDb, seconds: capture.seconds(), status: 'recording' };
      const lines = hud.render(hudState);
      for (const l of lines) if (!hudSeen.includes(l)) { hudSeen.push(l); if (hudSeen.length > 300) hudSeen.shift(); }
      xrPanel.draw(lines);
    }
  });

  // For tests and the console.
  window.xrDemo = {
    ready: true, desktop, annotation, errors, contacts,
    hudText: () => $('hud-text').textContent ?? '',
    hudState: () => JSON.parse(JSON.stringify(hudState)) as HudState,
    hudSeen: () => [...hudSeen],
    frames: () => frames,
    fps: () => demo.engine.getFps(),
    spectrogramDb: () => spectrogram.lastColumnDb,
    splatCount: () => (demo.splat as unknown as { splatCount?: number } | null)?.splatCount ?? 0,
    setSplatVisible: (v: boolean) => { demo.splat?.setEnabled(v); },
    enterVR,
    inXR: () => xr.baseExperience.state === WebXRState.IN_XR,
    /** Strikes region `region` with an emulated hand, at its middle or at (x, z). */
    strike: async (hand: HandIndex, region: string, at?: [number, number], options?: Partial<StrikeOptions>) => {
      if (!quest) throw new Error('strike needs the emulated Quest (?desktop=1)');
      const r = annotation.regions.find((x) => x.name === region);
      if (!r) throw new Error(`no region '${region}'`);
      const [x, z] = at ?? [(r.min[0] + r.max[0]) / 2, (r.min[2] + r.max[2]) / 2];
      return quest.strike(hand, x, z, topOf(r), options);
    },
    calibrated: () => quest?.calibrated ?? false,
    replay,
    startCapture, stopCapture,
    recording: (fromPageSec: number) => {
      const sr = outRecorder.sampleRate, startFrame = outRecorder.startFrame();
      const fromIndex = Math.max(outRecorder.oldest(), Math.round(clock.pageToContextSec(fromPageSec) * sr) - startFrame);
      const out = new Float32Array(outRecorder.written() - fromIndex);
      outRecorder.read(fromIndex, out);
      return { sampleRate: sr, startContextSec: (startFrame + fromIndex) / sr, samples: Array.from(out), offsetSec: clock.offsetSec(), includesOutputLatency: clock.includesOutputLatency };
    },
  } satisfies XrDemoApi;
}

main().catch((e: Error) => {
  console.error(e);
  const el = document.getElementById('hud-text');
  if (el) el.textContent = `The demo could not start: ${e.message}`;
  window.xrDemo = { ready: false, fatal: e.message } as XrDemoApi;
});
