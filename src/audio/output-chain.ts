/**
 * The output chain (Tone.js): one voice per hand, each a 3D panner (HRTF by default) placed at the touching hand,
 * or the low-latency spherical-head binaural panner ('spherical-head': binaural-processor.ts; ~5 ms less latency than
 * Chromium's HRTF, no elevation or front/back cues),
 * then a shared limiter and a safety clipper in front of the destination. The limiter (a fast compressor) keeps the
 * level musical; the clipper is the identity below 0.9 and bends softly to ±1 above it, because a compressor alone
 * still overshoots on sudden very loud input (measured +4 dBFS at 26 dB over the threshold). Positions are in the scene frame the listener is given in
 * (metres; Web Audio and WebXR agree: right-handed, +y up, −z forward).
 * The chain wraps the caller's native context without making it Tone's global context, and never closes it.
 */
import * as Tone from 'tone';
import { InvalidArgumentError } from '../errors.js';
import { BinauralVoice } from './binaural-voice.js';
import { LIMITER_PROCESSOR_NAME } from './processor-names.js';
import type { Vec3 } from './spherical-head.js';

export interface OutputChainOptions {
  /** The native (Offline)AudioContext that plays the sound. */
  context: BaseAudioContext;
  /** Number of voices (default 2: left hand, right hand). */
  voices?: number;
  /**
   * Panning model of every voice (default 'HRTF'). 'spherical-head' needs the playback worklet module loaded in the
   * context (as for `limiter`).
   */
  panningModel?: VoicePanning;
  /** Limiter threshold in dBFS (default −1). */
  limiterDb?: number;
  /** Where the chain ends (default the context's destination). */
  destination?: AudioNode;
  /**
   * A limiter node to use instead of Tone.Limiter (a native DynamicsCompressorNode, which delays the sound by its 6 ms
   * look-ahead): the playback module's look-ahead-free limiter (limiter-processor.ts), as HearingHands makes it.
   */
  limiter?: AudioNode;
}

export type { Vec3 };
/** Web Audio's panning models, or our low-latency binaural one (binaural-processor.ts). */
export type VoicePanning = PanningModelType | 'spherical-head';
/** The voices' distance model (Web Audio's 'inverse'): full level within half a metre. */
const REF_DISTANCE_M = 0.5, ROLLOFF = 1;

/**
 * The playback module's look-ahead-free limiter (limiter-processor.ts) as a stereo node for `limiter`: the context must
 * have loaded the playback worklet module (playback-processor.ts registers it).
 */
export function createLimiterNode(context: BaseAudioContext, thresholdDb = -1): AudioWorkletNode {
  return new AudioWorkletNode(context, LIMITER_PROCESSOR_NAME, {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit',
    processorOptions: { thresholdDb },
  });
}

export class OutputChain {
  readonly voices: number;
  private readonly tone: Tone.BaseContext;
  private readonly panners: (Tone.Panner3D | BinauralVoice)[];
  private readonly limiter: Tone.Limiter | AudioNode;
  private readonly clipper: Tone.WaveShaper;
  private disposed = false;

  constructor(opts: OutputChainOptions) {
    const voices = opts.voices ?? 2;
    if (!Number.isInteger(voices) || voices < 1 || voices > 16) throw new InvalidArgumentError(`voices must be an integer in 1…16, got ${voices}`);
    this.voices = voices;
    const native = opts.context;
    // No look-ahead: Tone schedules every parameter change (a panner's position, the listener's) at currentTime +
    // lookAhead (default 0.1 s), which would move each voice 100 ms after its hand. And no clock of its own (a Worker
    // ticking every 50 ms, never stopped: disposing a Tone context would close the caller's): nothing here uses the Transport.
    this.tone = isOffline(native) ? new Tone.OfflineContext(native)
      : new Tone.Context({ context: native as AudioContext, lookAhead: 0, clockSource: 'offline' });
    const context = this.tone;
    this.limiter = opts.limiter ?? new Tone.Limiter({ context, threshold: opts.limiterDb ?? -1 });
    const panning = opts.panningModel ?? 'HRTF';
    this.panners = Array.from({ length: voices }, () => {
      if (panning === 'spherical-head') {
        const v = new BinauralVoice(native, { refDistanceM: REF_DISTANCE_M, rolloff: ROLLOFF });
        Tone.connect(v.node, this.limiter);
        return v;
      }
      const p = new Tone.Panner3D({ context, panningModel: panning, distanceModel: 'inverse', refDistance: REF_DISTANCE_M, rolloffFactor: ROLLOFF });
      Tone.connect(p, this.limiter);
      return p;
    });
    this.clipper = new Tone.WaveShaper({ context, mapping: softClip, length: 4096 });
    Tone.connect(this.limiter, this.clipper);
    Tone.connect(this.clipper, opts.destination ?? native.destination);
  }

  /** Connects a native node (e.g. the playback worklet of that hand) into voice `voice`. */
  connectVoice(voice: number, source: AudioNode): void {
    const p = this.panner(voice);
    Tone.connect(source, p instanceof BinauralVoice ? p.node : p);
  }

  /** Places voice `voice` (the hand that touches) in the scene frame. Non-finite positions are ignored. */
  setVoicePosition(voice: number, p: Vec3): void {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(p.z)) return;
    const panner = this.panner(voice);
    if (panner instanceof BinauralVoice) panner.setSource(p);
    else panner.setPosition(p.x, p.y, p.z);
  }

  /** Places the listener (the head) with its forward and up vectors. Non-finite values are ignored. */
  setListener(position: Vec3, forward: Vec3 = { x: 0, y: 0, z: -1 }, up: Vec3 = { x: 0, y: 1, z: 0 }): void {
    const all = [position.x, position.y, position.z, forward.x, forward.y, forward.z, up.x, up.y, up.z];
    if (!all.every(Number.isFinite)) return;
    const l = this.tone.listener;
    l.positionX.value = position.x; l.positionY.value = position.y; l.positionZ.value = position.z;
    l.forwardX.value = forward.x; l.forwardY.value = forward.y; l.forwardZ.value = forward.z;
    l.upX.value = up.x; l.upY.value = up.y; l.upZ.value = up.z;
    for (const p of this.panners) if (p instanceof BinauralVoice) p.setListener(position, forward, up);
  }

  dispose(): this {
    if (this.disposed) return this;
    this.disposed = true;
    for (const p of this.panners) p.dispose();
    if (this.limiter instanceof Tone.Limiter) this.limiter.dispose(); else this.limiter.disconnect();
    this.clipper.dispose();
    return this;
  }

  private panner(voice: number): Tone.Panner3D | BinauralVoice {
    if (this.disposed) throw new InvalidArgumentError('the output chain has been disposed');
    const p = this.panners[voice];
    if (!p) throw new InvalidArgumentError(`voice ${voice} does not exist (0…${this.voices - 1})`);
    return p;
  }
}

/** Identity up to |x| = 0.9, then a tanh knee that never exceeds 1. */
function softClip(x: number): number {
  const a = Math.abs(x);
  return a <= 0.9 ? x : Math.sign(x) * (0.9 + 0.1 * Math.tanh((a - 0.9) / 0.1));
}

function isOffline(ctx: BaseAudioContext): ctx is OfflineAudioContext {
  return typeof (ctx as OfflineAudioContext).startRendering === 'function';
}
