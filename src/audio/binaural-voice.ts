/**
 * One voice of the output chain through the low-latency binaural panner (binaural-processor.ts, the spherical-head
 * model): the main-thread side, which turns the hand's and the head's poses into the processor's two parameters
 * (the hand's lateral angle and its distance gain). The head is the pose given to setListener (OutputChain's and
 * HearingHands' setListener pass it on), kept here rather than read back from the context's AudioListener: a value
 * set on an AudioParam reads back only after the audio thread's next block. The context must have loaded the playback
 * worklet module.
 */
import { BINAURAL_PROCESSOR_NAME } from './processor-names.js';
import { headRelative, inverseDistanceGain, type Vec3 } from './spherical-head.js';

export interface BinauralVoiceOptions {
  /** Distance model as the chain's PannerNodes have it ('inverse'): full level up to refDistanceM. */
  refDistanceM: number;
  rolloff: number;
}

export class BinauralVoice {
  readonly node: AudioWorkletNode;
  private readonly lateral: AudioParam;
  private readonly gain: AudioParam;
  private source: Vec3 = { x: 0, y: 0, z: -1 };
  /** The head: at the scene origin facing −z until setListener says otherwise (as a fresh AudioListener). */
  private head: Vec3 = { x: 0, y: 0, z: 0 };
  private forward: Vec3 = { x: 0, y: 0, z: -1 };
  private up: Vec3 = { x: 0, y: 1, z: 0 };

  constructor(context: BaseAudioContext, private readonly opts: BinauralVoiceOptions) {
    this.node = new AudioWorkletNode(context, BINAURAL_PROCESSOR_NAME, {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers',
    });
    const params = this.node.parameters as unknown as ReadonlyMap<string, AudioParam>; // a maplike (DOM.Iterable's typing)
    this.lateral = params.get('lateral')!;
    this.gain = params.get('gain')!;
    this.update();
  }

  /** The hand (scene frame, metres). */
  setSource(p: Vec3): void { this.source = { ...p }; this.update(); }

  /** The head moved: position, forward and up. */
  setListener(position: Vec3, forward: Vec3, up: Vec3): void {
    this.head = { ...position }; this.forward = { ...forward }; this.up = { ...up };
    this.update();
  }

  dispose(): void { this.node.disconnect(); }

  private update(): void {
    const { lateral, distanceM } = headRelative(this.source, this.head, this.forward, this.up);
    if (!Number.isFinite(lateral) || !Number.isFinite(distanceM)) return; // a degenerate pose: keep the last
    this.lateral.value = lateral;
    this.gain.value = inverseDistanceGain(distanceM, this.opts.refDistanceM, this.opts.rolloff);
  }
}
