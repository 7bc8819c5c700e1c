/**
 * The public entry point in the browser:
 *
 *   const hh = await HearingHands.create({ material: 'wood', workerUrl, workletUrl });
 *   hh.attach(handSource);   // e.g. new BabylonHandSource({ … }) — or hh.push(frame) from plain WebXR / Unity
 *   …
 *   await hh.dispose();
 *
 * Threads: hand frames go from here into a HandRing (no allocation, no locks); the sampler Worker turns them into
 * audio and puts it on the audio clock through a ChunkRing; the playback AudioWorklet plays it (crossfades, fades on
 * underrun); the output chain (Tone.js) places it at the hand and limits it. `workerUrl` and `workletUrl` are the
 * bundled sampler.worker.ts and playback-processor.ts (same origin; nothing is fetched from elsewhere).
 * Frame times are page seconds (performance.now() / 1000, which is what WebXR frame times are on).
 */
import { ChunkRing } from '../../audio/chunk-ring.js';
import { PLAYBACK_PROCESSOR_NAME } from '../../audio/processor-names.js';
import { HandRing } from '../../hand/hand-ring.js';
import type { HandFrame } from '../../hand/hand-frame.js';
import type { HandSource } from '../../hand/source.js';
import { InvalidArgumentError, HearingHandsError } from '../../errors.js';
import type { FromSampler, ToSampler } from './protocol.js';

export interface HearingHandsOptions {
  workerUrl: string | URL;
  workletUrl: string | URL;
  /** Default: a new AudioContext (interactive latency). */
  audioContext?: AudioContext;
  /** The touched material when no scene is given (default wood), and the surface's height in the scene frame. */
  material?: string;
  surfaceHeightM?: number;
  /**
   * Audio the sampler makes ahead of its next step (default 0.015 s). A browser Worker is not scheduled as
   * punctually as the simulated one: less margin is less latency, and more dropouts on a busy machine.
   */
  marginSec?: number;
  /** Where the audio goes (default the context's destination); the output chain can be put in between. */
  destination?: AudioNode;
}

export interface HearingHandsStats {
  generator: 'procedural' | 'model' | 'starting';
  steps: number;
  chunks: number;
  refusedChunks: number;
  lastStepMs: number;
  underruns: number;
  lateChunks: number;
  droppedHandFrames: number;
}

type Listener = (e: { type: 'error'; code: string; message: string } | { type: 'ready'; generator: string }) => void;

export class HearingHands {
  readonly context: AudioContext;
  readonly node: AudioWorkletNode;
  private readonly handRing: HandRing;
  private readonly chunkRing: ChunkRing;
  private readonly worker: Worker;
  private source: HandSource | null = null;
  private readonly listeners = new Set<Listener>();
  private last: Extract<FromSampler, { type: 'stats' }> | null = null;
  private generator: HearingHandsStats['generator'] = 'starting';
  private disposed = false;

  private constructor(context: AudioContext, node: AudioWorkletNode, handRing: HandRing, chunkRing: ChunkRing, worker: Worker) {
    this.context = context; this.node = node; this.handRing = handRing; this.chunkRing = chunkRing; this.worker = worker;
    worker.onmessage = (e: MessageEvent<FromSampler>) => {
      const m = e.data;
      if (m.type === 'stats') this.last = m;
      else if (m.type === 'ready') { this.generator = m.generator; this.emit({ type: 'ready', generator: m.generator }); }
      else if (m.type === 'error') this.emit({ type: 'error', code: m.code, message: m.message });
    };
    worker.onerror = (e) => this.emit({ type: 'error', code: 'WORKER', message: e.message });
  }

  static async create(opts: HearingHandsOptions): Promise<HearingHands> {
    if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) {
      throw new HearingHandsError('BACKEND_UNAVAILABLE', 'SharedArrayBuffer needs a cross-origin isolated page (serve it with COOP: same-origin and COEP: require-corp)');
    }
    const context = opts.audioContext ?? new AudioContext({ latencyHint: 'interactive' });
    const rate = context.sampleRate;
    await context.audioWorklet.addModule(opts.workletUrl);
    const chunkRing = ChunkRing.create({ capacityChunks: 256, maxChunkSamples: Math.ceil(rate * 0.1) });
    const handRing = HandRing.create({ capacityFrames: 256 });
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR_NAME, {
      numberOfInputs: 0, outputChannelCount: [1], processorOptions: { ring: chunkRing.buffer },
    });
    node.connect(opts.destination ?? context.destination);
    const worker = new Worker(opts.workerUrl, { type: 'module' });
    const hh = new HearingHands(context, node, handRing, chunkRing, worker);
    const ready = new Promise<void>((resolve, reject) => {
      const off = hh.on((e) => {
        off();
        if (e.type === 'ready') resolve(); else reject(new HearingHandsError('BACKEND_UNAVAILABLE', `sampler failed to start: ${e.message}`));
      });
    });
    const init: ToSampler = {
      type: 'init', handRing: handRing.buffer, chunkRing: chunkRing.buffer, outputRate: rate,
      pageTimeOriginMs: performance.timeOrigin,
      generator: { kind: 'procedural', material: opts.material ?? 'wood', surfaceHeightM: opts.surfaceHeightM ?? 0, marginSec: opts.marginSec ?? 0.015 },
    };
    worker.postMessage(init);
    await ready;
    // A context created without a user gesture starts suspended: resume it now, and on the next gesture.
    if (context.state === 'suspended') {
      const resume = () => { void context.resume(); };
      void context.resume().catch(() => undefined);
      for (const ev of ['pointerdown', 'keydown', 'touchend']) globalThis.addEventListener?.(ev, resume, { once: true });
    }
    return hh;
  }

  /** Feeds one hand frame (never throws into the XR frame loop: a full ring drops the oldest frame). */
  push(frame: HandFrame): void {
    if (!this.disposed) this.handRing.push(frame);
  }

  /** Starts a hand source (Babylon WebXR, a trajectory, Unity) whose frames go to `push`. */
  attach(source: HandSource): void {
    if (this.disposed) throw new InvalidArgumentError('HearingHands has been disposed');
    this.source?.stop();
    this.source = source;
    source.start((f) => this.push(f));
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): HearingHandsStats {
    const s = this.last;
    return {
      generator: this.generator, steps: s?.steps ?? 0, chunks: s?.chunks ?? 0, refusedChunks: s?.refusedChunks ?? 0,
      lastStepMs: s?.lastStepMs ?? 0, underruns: this.chunkRing.underruns(), lateChunks: this.chunkRing.lateChunks(),
      droppedHandFrames: this.handRing.droppedFrames(),
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.source?.stop();
    this.worker.postMessage({ type: 'stop' } satisfies ToSampler);
    this.node.port.postMessage({ type: 'stop' });
    this.node.disconnect();
    setTimeout(() => this.worker.terminate(), 100);
  }

  private emit(e: Parameters<Listener>[0]): void {
    for (const l of this.listeners) { try { l(e); } catch { /* a listener's error is its own */ } }
  }
}
