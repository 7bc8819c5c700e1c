/**
 * The runtime's output through the Tone.js output chain (src/audio/output-chain.ts): the playback worklet's mono
 * sound goes to one voice per hand (each a 3D panner: HRTF, or the spherical-head binaural one) through a gain each; the hand that struck last gets the
 * sound (equal-power crossfade over 15 ms, so a switch never clicks), and each voice's panner follows its hand's index
 * fingertip. Then the chain's limiter and soft clipper. With `perHand: false` there is one voice, placed at the hand
 * that struck last.
 */
import { OutputChain, type VoicePanning } from '../../audio/output-chain.js';
import type { HandFrame } from '../../hand/hand-frame.js';

export interface HandVoicesOptions {
  context: AudioContext;
  source: AudioNode;
  destination: AudioNode;
  perHand: boolean;
  panningModel: VoicePanning;
  limiterDb: number;
  /** A limiter node instead of Tone.Limiter (see OutputChainOptions.limiter). */
  limiter?: AudioNode;
}

const INDEX_TIP = 8;
const CROSSFADE_SEC = 0.015;
/** Panner updates at most this often (s): a panner position is a few AudioParam events, not per XR frame. */
const POSITION_EVERY_SEC = 1 / 30;

export class HandVoices {
  readonly chain: OutputChain;
  private readonly gains: GainNode[];
  private active = 1;
  private lastPositionSec = -Infinity;

  constructor(private readonly opts: HandVoicesOptions) {
    const voices = opts.perHand ? 2 : 1;
    this.chain = new OutputChain({ context: opts.context, voices, panningModel: opts.panningModel, limiterDb: opts.limiterDb, destination: opts.destination, limiter: opts.limiter });
    this.gains = Array.from({ length: voices }, (_, v) => {
      const g = opts.context.createGain();
      g.gain.value = voices === 1 || v === this.active ? 1 : 0;
      opts.source.connect(g);
      this.chain.connectVoice(v, g);
      return g;
    });
  }

  /** A hand struck (0 left, 1 right): its voice takes the sound. */
  contact(hand: 0 | 1): void {
    if (this.gains.length === 1 || hand === this.active) { this.active = hand; return; }
    const t = this.opts.context.currentTime;
    this.gains.forEach((g, v) => {
      const target = v === hand ? 1 : 0;
      g.gain.cancelScheduledValues(t);
      g.gain.setValueAtTime(g.gain.value, t);
      // Equal power: sin/cos ramps sampled as a curve.
      const curve = Float32Array.from({ length: 16 }, (_, i) => {
        const u = i / 15, from = g.gain.value;
        return target === 1 ? Math.max(from, Math.sin((u * Math.PI) / 2)) : from * Math.cos((u * Math.PI) / 2);
      });
      g.gain.setValueCurveAtTime(curve, t, CROSSFADE_SEC);
    });
    this.active = hand;
  }

  /** Places the voices at the hands' index fingertips (throttled; untracked hands keep their place). */
  follow(frame: HandFrame): void {
    if (frame.timeSec - this.lastPositionSec < POSITION_EVERY_SEC) return;
    this.lastPositionSec = frame.timeSec;
    for (let v = 0; v < this.gains.length; v++) {
      const hand = this.gains.length === 1 ? this.active : v;
      if (!frame.valid[hand]) continue;
      const o = hand * 63 + INDEX_TIP * 3;
      this.chain.setVoicePosition(v, { x: frame.keypointsM[o]!, y: frame.keypointsM[o + 1]!, z: frame.keypointsM[o + 2]! });
    }
  }

  dispose(): void {
    for (const g of this.gains) g.disconnect();
    this.chain.dispose();
  }
}
