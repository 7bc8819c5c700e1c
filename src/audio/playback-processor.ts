/**
 * The AudioWorklet processor that plays generated audio: it drains the ChunkRing into a ChunkTimeline at each
 * chunk's audio-clock frame and renders the timeline (crossfades, fade-in, fade-out on underrun: see
 * chunk-timeline.ts). Bundle this file for the AudioWorkletGlobalScope (scripts/build-worklets.mjs). process()
 * never allocates, blocks or throws: an unexpected error silences the block and is counted, never propagated.
 */
import { ChunkRing } from './chunk-ring.js';
import { ChunkTimeline, defaultTimelineOptions } from './chunk-timeline.js';
import { PLAYBACK_PROCESSOR_NAME } from './processor-names.js';
import { worklet } from './worklet-scope.js';
// The output chain's limiter comes in the same module (one worklet file for the page).
import './limiter-processor.js';
import './binaural-processor.js';

/** The audio clock in frames (a Number in browsers; node-web-audio-api exposes a BigInt). */
const clockFrame = (): number => Number(worklet.currentFrame);

export interface PlaybackProcessorOptions {
  /** The SharedArrayBuffer of a ChunkRing. */
  ring: SharedArrayBuffer;
  /** Frames the timeline can hold ahead of the playhead (default 1 s). */
  timelineFrames?: number;
  /** Equal-power crossfade where chunks overlap (default 5 ms). */
  crossfadeFrames?: number;
  /** Fade-in of a chunk that starts into silence (default 1 ms: audio resuming after a dropout must not click). */
  fadeInFrames?: number;
  /** Fade-out where the audio runs out (default 2 ms). */
  fadeOutFrames?: number;
}

class PlaybackProcessor extends worklet.AudioWorkletProcessor {
  private readonly ring: ChunkRing;
  private readonly timeline: ChunkTimeline;
  private readonly scratch: Float32Array;
  private stopped = false;
  private errors = 0;

  constructor(options: { processorOptions: PlaybackProcessorOptions }) {
    super(options);
    const o = options.processorOptions;
    this.ring = ChunkRing.attach(o.ring);
    const d = defaultTimelineOptions(worklet.sampleRate);
    this.timeline = new ChunkTimeline({
      capacityFrames: o.timelineFrames ?? d.capacityFrames,
      crossfadeFrames: o.crossfadeFrames ?? d.crossfadeFrames,
      fadeInFrames: o.fadeInFrames ?? d.fadeInFrames,
      fadeOutFrames: o.fadeOutFrames ?? d.fadeOutFrames,
    });
    this.scratch = new Float32Array(this.ring.maxChunkSamples);
    this.timeline.reset(clockFrame());
    this.port.onmessage = (e: MessageEvent<{ type: 'stop' }>) => { if (e.data?.type === 'stop') this.stopped = true; };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    if (!channels || channels.length === 0) return !this.stopped;
    const out = channels[0]!;
    try {
      const now = clockFrame();
      if (now > this.timeline.playhead) this.timeline.advanceTo(now);
      let n: number;
      while ((n = this.ring.pull(this.scratch)) > 0) {
        if (this.timeline.place(this.ring.lastStartFrame, this.scratch, n, this.ring.lastSplice) === 'late') this.ring.countLateChunk();
      }
      if (this.timeline.render(out, 0, out.length)) this.ring.countUnderrun();
      for (let c = 1; c < channels.length; c++) channels[c]!.set(out);
      this.ring.setPlayhead(now + out.length);
    } catch (err) {
      // Reported once (posting allocates; this path is exceptional), then counted silently.
      if (this.errors++ === 0) this.port.postMessage({ type: 'error', message: String(err) });
      for (let c = 0; c < channels.length; c++) channels[c]!.fill(0);
    }
    return !this.stopped;
  }
}

worklet.registerProcessor(PLAYBACK_PROCESSOR_NAME, PlaybackProcessor);
