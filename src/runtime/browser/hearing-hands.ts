/**
 * The public entry point in the browser:
 *
 *   const hh = await HearingHands.create({
 *     workerUrl, workletUrl,                         // the bundled sampler.worker.ts and playback-processor.ts
 *     model: { manifestUrl: '/models/hh-flow-s-live-d2.json' }, backend: 'auto', ortUrl: '/ort/',
 *   });
 *   hh.on((e) => { if (e.type === 'contact') …; if (e.type === 'backend') …; if (e.type === 'error') … });
 *   hh.attach(handSource);   // e.g. new BabylonHandSource({ … }) — or hh.push(frame) from plain WebXR / Unity
 *   …
 *   await hh.dispose();
 *
 * Threads: hand frames go from here into a HandRing (no allocation, no locks); the sampler Worker turns them into
 * audio (the flow model through onnxruntime-web — WebGPU EP when there is an adapter, else wasm — or the procedural
 * baseline) and puts it on the audio clock through a ChunkRing; the playback AudioWorklet plays it (crossfades, fades
 * on underrun); the output chain (Tone.js) places it at the touching hand and limits it. Everything is loaded from
 * the page's own origin: onnxruntime-web's dist files from `ortUrl`, the model from its manifest URL.
 * Frame times are page seconds (performance.now() / 1000, which is what WebXR frame times are on).
 */
import { ChunkRing } from '../../audio/chunk-ring.js';
import { PLAYBACK_PROCESSOR_NAME } from '../../audio/processor-names.js';
import { createLimiterNode, type Vec3, type VoicePanning } from '../../audio/output-chain.js';
import { HandRing } from '../../hand/hand-ring.js';
import type { HandFrame } from '../../hand/hand-frame.js';
import type { HandSource } from '../../hand/source.js';
import {
  BackendUnavailableError, HearingHandsError, InvalidArgumentError, ModelLoadError, ModelMismatchError, type ErrorCode,
} from '../../errors.js';
import { HandVoices } from './hand-voices.js';
import type { ActiveBackend, BackendChoice, BackstopReport, FromSampler, ModelSource, SamplerStats, SimulatedFault, ToSampler } from './protocol.js';

export type { ActiveBackend, BackendChoice } from './protocol.js';

/** The model: its manifest's URL (the tick graph is read from beside it), or the manifest and the tick graph's bytes. */
export type ModelOption =
  | { manifestUrl: string | URL }
  | { manifest: string | object; tickBytes: ArrayBuffer | Uint8Array };

export interface HearingHandsOptions {
  workerUrl: string | URL;
  workletUrl: string | URL;
  /** Default: a new AudioContext (interactive latency). */
  audioContext?: AudioContext;
  model?: ModelOption;
  /** Default 'auto' with a model (WebGPU when an adapter exists, else wasm), 'procedural' without. */
  backend?: BackendChoice;
  /**
   * When the model cannot run (missing, corrupt, mismatched): true (default) plays the procedural baseline after an
   * 'error' event saying why; false makes create() reject with that typed error.
   */
  allowProceduralFallback?: boolean;
  /**
   * Mel frames per model tick (default: the manifest's chunkFrames, 4 = 64 ms). Fewer frames per tick means the
   * model's audio is made closer to when it plays, so the hands are predicted less far ahead and more strikes are
   * sounded on time (models/README.md, "Live"), at the cost of more session runs per second.
   */
  modelTickFrames?: number;
  /**
   * The onset backstop (default true): a contact the model leaves silent — a strike too sudden for the hands it
   * predicted — gets the procedural engine's strike, judged on the model's own audio around the contact. False = the
   * model's audio alone.
   */
  onsetBackstop?: boolean;
  /**
   * Diagnostics: a 'backstop' event for each impact the onset backstop judges (what it did and when, on the audio
   * clock), to see why a contact sounded when it did. Default false.
   */
  reportBackstop?: boolean;
  /** onnxruntime-web's dist folder on this origin (default './ort/' beside the page). Never a CDN. */
  ortUrl?: string | URL;
  /** The touched material when no scene is given (default wood), and the surface's height in the scene frame. */
  material?: string;
  surfaceHeightM?: number;
  /** Where on the surface the hands work (x, z in metres; default 0, 0): the model's view is centred there. */
  surfaceCenterM?: [number, number];
  /**
   * Audio the procedural sampler makes ahead of its next step (default 0.015 s), on top of the audio thread's render
   * bursts. It renders that audio speculatively and splices a new impact in at the audio thread's next block
   * (procedural-generator.ts), so the margin costs no latency: more margin is fewer dropouts on a busy machine (a
   * Worker step that comes late), and more re-rendering.
   */
  marginSec?: number;
  /** Where the audio goes (default the context's destination), after the output chain. */
  destination?: AudioNode;
  /**
   * The output chain (Tone.js): per-hand voices (a 3D panner at each hand; the hand that struck last gets the sound),
   * limiter, soft clip. `false` bypasses it: the worklet's mono output goes straight to the destination.
   * `panningModel` defaults to 'spherical-head', our binaural panner (src/audio/spherical-head.ts): measured in the
   * browser bench, it sounds 5 ms sooner than Chromium's 'HRTF' panner (whose FFT blocks delay every sound) and does
   * not click as the hand moves; 'HRTF' adds elevation and front/back cues at that cost.
   */
  output?: false | { perHand?: boolean; panningModel?: VoicePanning; limiterDb?: number };
  /** A listener attached before the Worker starts, so it also hears the start-up events (backend chosen, fallback reason). */
  on?: (e: HearingHandsEvent) => void;
  /** Tests only: lets simulateFault('fail-session') fail the wasm session mid-run (a standby session is kept). */
  faultInjection?: boolean;
}

export interface HearingHandsStats {
  /** What is generating now ('starting' until the Worker is ready). */
  backend: ActiveBackend | 'starting';
  generator: 'procedural' | 'model' | 'starting';
  steps: number;
  chunks: number;
  refusedChunks: number;
  lastStepMs: number;
  underruns: number;
  lateChunks: number;
  droppedHandFrames: number;
  /** Hands dropped from frames for NaN/inf coordinates. */
  droppedHands: number;
  /** Model ticks so far and their summed stage times (ms). */
  ticks: number;
  modelMs: number;
  vocoderMs: number;
  conditioningMs: number;
  /** With the onset backstop: contacts judged, and those it sounded because the model had not. */
  backstopImpacts: number;
  backstopSounded: number;
  /** … and those whose late model onset it moved to the contact. */
  backstopRetimed: number;
  /** The sampler's audio clock − its own clock (s): how it places chunks. */
  clockOffsetSec: number;
}

export type HearingHandsEvent =
  /** `backend` is always set by the runtime (optional for bridges that forward older events). */
  | { type: 'ready'; backend?: ActiveBackend; generator: 'procedural' | 'model' }
  | { type: 'backend'; backend: ActiveBackend; previous: ActiveBackend | null; reason: string }
  /** A hand struck the surface (time on the page clock, s). */
  | { type: 'contact'; hand: 'left' | 'right'; timeSec: number; speedMps: number; material: string }
  /** fatal: the runtime could not start (create() rejects); absent or false: it goes on (e.g. on the fallback). */
  | { type: 'error'; code: string; message: string; fatal?: boolean }
  /** With reportBackstop: one impact the onset backstop judged (audio-clock seconds; onsetAudioSec NaN: none). */
  | BackstopReport;

type Listener = (e: HearingHandsEvent) => void;

/** The typed error for a code the Worker sent (errors cross threads as code + message). */
export function errorFromCode(code: string, message: string): HearingHandsError {
  if (code === 'MODEL_LOAD') return new ModelLoadError(message);
  if (code === 'MODEL_MISMATCH') return new ModelMismatchError(message);
  if (code === 'BACKEND_UNAVAILABLE') return new BackendUnavailableError(message);
  return new HearingHandsError((code as ErrorCode) ?? 'BACKEND_UNAVAILABLE', message);
}

async function modelSource(model: ModelOption | undefined): Promise<{ source: ModelSource | null; transfer: Transferable[] }> {
  if (!model) return { source: null, transfer: [] };
  if ('manifestUrl' in model) return { source: { manifestUrl: new URL(model.manifestUrl, location.href).href }, transfer: [] };
  const manifestText = typeof model.manifest === 'string' ? model.manifest : JSON.stringify(model.manifest);
  // A copy: the caller keeps its bytes, the Worker gets its own (transferred, not cloned again).
  const tickBytes = (model.tickBytes instanceof Uint8Array ? model.tickBytes : new Uint8Array(model.tickBytes)).slice().buffer;
  return { source: { manifestText, tickBytes }, transfer: [tickBytes] };
}

export class HearingHands {
  readonly context: AudioContext;
  readonly node: AudioWorkletNode;
  private readonly handRing: HandRing;
  private readonly chunkRing: ChunkRing;
  private readonly worker: Worker;
  private source: HandSource | null = null;
  /** The output chain (null when bypassed). */
  voices: HandVoices | null = null;
  private readonly listeners = new Set<Listener>();
  private last: SamplerStats | null = null;
  private activeBackend: HearingHandsStats['backend'] = 'starting';
  private disposed = false;
  private wasSuspended = false;
  private readonly onStateChange = () => {
    if (this.context.state === 'suspended') this.wasSuspended = true;
    else if (this.context.state === 'running' && this.wasSuspended && !this.disposed) {
      this.wasSuspended = false;
      this.worker.postMessage({ type: 'audio-clock-restarted' } satisfies ToSampler);
    }
  };
  private readonly resumeOnGesture = () => { if (!this.disposed && this.context.state === 'suspended') void this.context.resume().catch(() => undefined); };

  private constructor(context: AudioContext, node: AudioWorkletNode, handRing: HandRing, chunkRing: ChunkRing, worker: Worker) {
    this.context = context; this.node = node; this.handRing = handRing; this.chunkRing = chunkRing; this.worker = worker;
    worker.onmessage = (e: MessageEvent<FromSampler>) => {
      const m = e.data;
      if (m.type === 'stats') this.last = m;
      else if (m.type === 'ready') { this.activeBackend = m.backend; this.emit({ type: 'ready', backend: m.backend, generator: m.backend === 'procedural' ? 'procedural' : 'model' }); }
      else if (m.type === 'backend') { this.activeBackend = m.backend; this.emit(m); }
      else if (m.type === 'contact') {
        this.voices?.contact(m.hand);
        this.emit({ type: 'contact', hand: m.hand === 0 ? 'left' : 'right', timeSec: m.timeSec, speedMps: m.speedMps, material: m.material });
      }
      else if (m.type === 'error' || m.type === 'backstop') this.emit(m);
    };
    worker.onerror = (e) => this.emit({ type: 'error', code: 'BACKEND_UNAVAILABLE', message: `sampler worker: ${e.message}`, fatal: true });
    // Browsers suspend a context made without a user gesture (and some suspend it later): resume on the next gesture.
    for (const ev of ['pointerdown', 'keydown', 'touchend']) globalThis.addEventListener?.(ev, this.resumeOnGesture);
    // While suspended the audio clock stood still: the sampler learns its offset anew once it runs again.
    context.addEventListener('statechange', this.onStateChange);
  }

  /** Resolves once the Worker generates; rejects with a typed error when it cannot (see allowProceduralFallback). */
  static async create(opts: HearingHandsOptions): Promise<HearingHands> {
    if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) {
      throw new BackendUnavailableError('SharedArrayBuffer needs a cross-origin isolated page (serve it with COOP: same-origin and COEP: require-corp)');
    }
    const backend = opts.backend ?? (opts.model ? 'auto' : 'procedural');
    if (!['auto', 'webgpu', 'wasm', 'procedural'].includes(backend)) throw new InvalidArgumentError(`backend must be auto, webgpu, wasm or procedural; got ${String(backend)}`);
    const tickFrames = opts.modelTickFrames;
    if (tickFrames !== undefined && !(Number.isInteger(tickFrames) && tickFrames >= 1 && tickFrames <= 64)) throw new InvalidArgumentError(`modelTickFrames must be an integer in 1…64, got ${String(tickFrames)}`);
    const { source, transfer } = await modelSource(opts.model);
    const context = opts.audioContext ?? new AudioContext({ latencyHint: 'interactive' });
    const rate = context.sampleRate;
    await context.audioWorklet.addModule(opts.workletUrl);
    const chunkRing = ChunkRing.create({ capacityChunks: 256, maxChunkSamples: Math.ceil(rate * 0.1) });
    const handRing = HandRing.create({ capacityFrames: 256 });
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR_NAME, {
      numberOfInputs: 0, outputChannelCount: [1], processorOptions: { ring: chunkRing.buffer },
    });
    const destination = opts.destination ?? context.destination;
    const out = opts.output;
    // The limiter from the playback module: no look-ahead (a DynamicsCompressorNode's would add 6 ms to every sound).
    const limiter = out === false ? undefined : createLimiterNode(context, out?.limiterDb ?? -1);
    const voices = out === false ? null : new HandVoices({
      context, source: node, destination, perHand: out?.perHand ?? true, panningModel: out?.panningModel ?? 'spherical-head', limiterDb: out?.limiterDb ?? -1, limiter,
    });
    if (!voices) node.connect(destination);
    const worker = new Worker(opts.workerUrl, { type: 'module' });
    const hh = new HearingHands(context, node, handRing, chunkRing, worker);
    hh.voices = voices;
    if (opts.on) hh.on(opts.on);
    const ready = new Promise<void>((resolve, reject) => {
      const off = hh.on((e) => {
        if (e.type === 'ready') { off(); resolve(); }
        else if (e.type === 'error' && e.fatal) { off(); reject(errorFromCode(e.code, e.message)); }
      });
    });
    const init: ToSampler = {
      type: 'init', handRing: handRing.buffer, chunkRing: chunkRing.buffer, outputRate: rate,
      pageTimeOriginMs: performance.timeOrigin,
      generator: {
        backend, model: source, allowProceduralFallback: opts.allowProceduralFallback ?? true,
        ortWasmPaths: new URL(opts.ortUrl ?? 'ort/', location.href).href,
        material: opts.material ?? 'wood', surfaceHeightM: opts.surfaceHeightM ?? 0, surfaceCenterM: opts.surfaceCenterM ?? [0, 0],
        marginSec: opts.marginSec ?? 0.015, faultInjection: opts.faultInjection ?? false, tickFrames: tickFrames ?? null,
        onsetBackstop: opts.onsetBackstop ?? true, reportBackstop: opts.reportBackstop ?? false,
      },
    };
    worker.postMessage(init, transfer);
    try { await ready; } catch (e) { await hh.dispose(); throw e; }
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    return hh;
  }

  /** Feeds one hand frame (never throws into the XR frame loop: a full ring drops the oldest frame). */
  push(frame: HandFrame): void {
    if (this.disposed) return;
    this.handRing.push(frame);
    this.voices?.follow(frame);
  }

  /**
   * Places the listener (the user's head, scene frame: position, forward, up) for the voices' panners, e.g. from the
   * XR viewer pose each frame. Non-finite values are ignored. Without it the head is at the scene origin facing −z.
   */
  setListener(position: Vec3, forward?: Vec3, up?: Vec3): void {
    this.voices?.chain.setListener(position, forward, up);
  }

  /**
   * Starts a hand source (Babylon WebXR, a trajectory, Unity) whose frames go to `push`. A source that knows the head
   * (BabylonHandSource: the XR viewer pose) also places the listener each frame, so `setListener` is not needed.
   */
  attach(source: HandSource): void {
    if (this.disposed) throw new InvalidArgumentError('HearingHands has been disposed');
    this.detachSource();
    this.source = source;
    if ('viewer' in source) source.viewer = (p, f, u) => this.setListener(p, f, u);
    source.start((f) => this.push(f));
  }

  private detachSource(): void {
    if (!this.source) return;
    this.source.stop();
    if ('viewer' in this.source) this.source.viewer = null;
  }

  /** Listens to every event; returns the function that stops listening. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get backend(): HearingHandsStats['backend'] { return this.activeBackend; }

  /** Tests: destroy the WebGPU device, or fail the model's session on its next run (needs faultInjection on wasm). */
  simulateFault(fault: SimulatedFault): void {
    this.worker.postMessage({ type: 'simulate-fault', fault } satisfies ToSampler);
  }

  stats(): HearingHandsStats {
    const s = this.last;
    const b = this.activeBackend;
    return {
      backend: b, generator: b === 'starting' ? 'starting' : b === 'procedural' ? 'procedural' : 'model',
      steps: s?.steps ?? 0, chunks: s?.chunks ?? 0, refusedChunks: s?.refusedChunks ?? 0,
      lastStepMs: s?.lastStepMs ?? 0, underruns: this.chunkRing.underruns(), lateChunks: this.chunkRing.lateChunks(),
      droppedHandFrames: this.handRing.droppedFrames(), droppedHands: s?.droppedHands ?? 0,
      ticks: s?.ticks ?? 0, modelMs: s?.modelMs ?? 0, vocoderMs: s?.vocoderMs ?? 0, conditioningMs: s?.conditioningMs ?? 0,
      backstopImpacts: s?.backstopImpacts ?? 0, backstopSounded: s?.backstopSounded ?? 0, backstopRetimed: s?.backstopRetimed ?? 0,
      clockOffsetSec: s?.clockOffsetSec ?? NaN,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const ev of ['pointerdown', 'keydown', 'touchend']) globalThis.removeEventListener?.(ev, this.resumeOnGesture);
    this.context.removeEventListener('statechange', this.onStateChange);
    this.detachSource();
    this.worker.postMessage({ type: 'stop' } satisfies ToSampler);
    this.node.port.postMessage({ type: 'stop' });
    this.node.disconnect();
    this.voices?.dispose();
    setTimeout(() => this.worker.terminate(), 100);
  }

  private emit(e: HearingHandsEvent): void {
    for (const l of this.listeners) { try { l(e); } catch { /* a listener's error is its own */ } }
  }
}
