/**
 * The vocoder stage of the streaming pipeline: generated log-mel frames (16 kHz model domain) → PCM at the
 * AudioContext rate, continuous across chunks. Phase recovery is the streaming Griffin-Lim of the DSP core (a
 * neural vocoder that predicts complex frames would use Dsp.createStreamingIstft in its place); the resampler is the
 * DSP core's polyphase one.
 *
 * Time bookkeeping: mel frame f is centred on model sample f × hop; the stage emits output samples in order from
 * output sample 0 (= model sample 0), so each returned chunk carries its output-rate start index. The caller adds
 * the audio-clock frame at which the stream's sample 0 plays.
 */
import type { Dsp, Resampler, StreamingGriffinLim } from '../dsp/index.js';
import { InvalidArgumentError } from '../errors.js';

export interface VocoderStageOptions {
  /** Output (AudioContext) sample rate. */
  outputRate: number;
  /** Most mel frames in one push (default 16). */
  maxChunkFrames?: number;
  /** Griffin-Lim iterations per frame (default: the streaming Griffin-Lim's, 2 after its phase-gradient start). */
  iterations?: number;
}

export interface PcmChunk {
  /** Output-rate index of samples[0], counted from the stream's start. */
  startSample: number;
  samples: Float32Array;
}

export class VocoderStage {
  readonly outputRate: number;
  /** The most mel frames one pushMel may carry. */
  readonly maxChunkFrames: number;
  /**
   * How far the output lags the centre of the newest mel frame, in seconds: the iSTFT hold-back
   * (nFft/2 − hop) plus the resampler's lookahead.
   */
  readonly latencySec: number;
  private readonly griffinLim: StreamingGriffinLim;
  private readonly resampler: Resampler | undefined;
  private emitted = 0;

  constructor(private readonly dsp: Dsp, opts: VocoderStageOptions) {
    const { outputRate } = opts;
    if (!Number.isInteger(outputRate) || outputRate < 8000 || outputRate > 384000) {
      throw new InvalidArgumentError(`outputRate must be an integer rate in 8000…384000 Hz, got ${outputRate}`);
    }
    this.outputRate = outputRate;
    this.maxChunkFrames = opts.maxChunkFrames ?? 16;
    this.griffinLim = dsp.createStreamingGriffinLim({ maxChunkFrames: this.maxChunkFrames, ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}) });
    const modelRate = dsp.settings.sampleRate;
    this.resampler = outputRate === modelRate ? undefined : dsp.createResampler(modelRate, outputRate);
    const holdBack = dsp.settings.nFft / 2 - dsp.settings.hop;
    this.latencySec = (holdBack + (this.resampler?.latencyInputSamples ?? 0)) / modelRate;
  }

  /** Pushes k log-mel frames (k × nMels, frame-major) and returns the output samples that became final. */
  pushMel(logMel: Float32Array): PcmChunk {
    const pcm = this.griffinLim.pushMel(logMel);
    return this.emit(this.resampler ? this.resampler.process(pcm) : pcm);
  }

  /** Ends the stream: returns everything still held back, then starts over at sample 0. */
  flush(): PcmChunk {
    const tail = this.griffinLim.flush();
    let out = tail;
    if (this.resampler) {
      const a = this.resampler.process(tail), b = this.resampler.flush();
      out = new Float32Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
    }
    const chunk = this.emit(out);
    this.reset();
    return chunk;
  }

  reset(): void {
    this.griffinLim.reset();
    this.resampler?.reset();
    this.emitted = 0;
  }

  private emit(samples: Float32Array): PcmChunk {
    const chunk = { startSample: this.emitted, samples };
    this.emitted += samples.length;
    return chunk;
  }
}
