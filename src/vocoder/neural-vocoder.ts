/**
 * The neural vocoder (models/recipe/vocoder.py, a Vocos-style network): log-mel frames → the contract's STFT frames
 * (an ONNX graph) → the DSP core's inverse STFT → 16 kHz PCM. The alternative to Griffin-Lim's phase recovery; which of
 * the two is the default is decided by measurement (models/README.md). Its manifest must state the same feature
 * settings as the DSP core, or the vocoder is refused (ModelMismatchError), as the flow model's is.
 */
import type { Dsp } from '../dsp/index.js';
import { InvalidArgumentError, ModelLoadError, ModelMismatchError } from '../errors.js';
import { transpose } from '../model/flow-model.js';
import type { OnnxRunner, RunnerFactory } from '../model/runner.js';

export interface VocoderManifest {
  format: 'hearing-hands/vocoder@1';
  name: string;
  onnx: string;
  parameters: number;
  features: { sampleRate: number; nFft: number; hop: number; nMels: number; fMin: number; fMax: number; melScale: string; melNorm: string; power: number };
  output: { kind: 'stft'; bins: number; window: string; center: boolean; receptiveFieldFrames: number; causal: boolean };
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

/** Checks a parsed manifest against the DSP core's feature settings; returns it typed. */
export function checkVocoderManifest(m: unknown, dsp: Dsp, what: string): VocoderManifest {
  const v = m as Partial<VocoderManifest>;
  if (!v || v.format !== 'hearing-hands/vocoder@1' || typeof v.onnx !== 'string' || !v.features || !v.output) {
    throw new ModelLoadError(`${what}: not a hearing-hands/vocoder@1 manifest`);
  }
  const s = dsp.settings, f = v.features;
  const want: [string, unknown, unknown][] = [['sampleRate', f.sampleRate, s.sampleRate], ['nFft', f.nFft, s.nFft], ['hop', f.hop, s.hop],
    ['nMels', f.nMels, s.nMels], ['output.bins', v.output.bins, dsp.bins], ['output.kind', v.output.kind, 'stft']];
  for (const [k, got, expected] of want) {
    if (got !== expected) throw new ModelMismatchError(`${what}: features.${k} is ${String(got)}, the DSP core's is ${String(expected)}`);
  }
  return v as VocoderManifest;
}

export class NeuralVocoder {
  private constructor(readonly manifest: VocoderManifest, private readonly runner: OnnxRunner, private readonly dsp: Dsp) {}

  /** From a manifest and its ONNX bytes, on a runner the caller picks (onnxruntime-node or -web). */
  static async create(manifest: unknown, onnx: Uint8Array, dsp: Dsp, createRunner: RunnerFactory, what = 'vocoder'): Promise<NeuralVocoder> {
    const m = checkVocoderManifest(manifest, dsp, what);
    const runner = await createRunner(onnx, `${what} (${m.onnx})`);
    return new NeuralVocoder(m, runner, dsp);
  }

  /**
   * A whole clip: `frames` log-mel frames (frame-major, 80 each) → hop × (frames − 1) samples at 16 kHz, sample 0 at
   * frame 0's centre (as Griffin-Lim's output).
   */
  async vocode(logMel: Float32Array, frames: number): Promise<Float32Array> {
    const nMels = this.dsp.settings.nMels, bins = this.dsp.bins;
    if (!Number.isInteger(frames) || frames < 2 || logMel.length !== frames * nMels) {
      throw new InvalidArgumentError(`vocode takes frames (≥ 2) × ${nMels} log-mel values; got ${logMel.length} for ${frames} frames`);
    }
    const out = await this.runner.run({ log_mel: { data: transpose(logMel, frames, nMels), dims: [1, nMels, frames] } }); // (1, 80, T): mel-major
    const re = out['real']?.data, im = out['imag']?.data;
    if (!re || !im || re.length !== bins * frames || im.length !== bins * frames) {
      throw new ModelLoadError(`${this.manifest.name}: the graph must output real and imag of (1, ${bins}, ${frames})`);
    }
    // (1, bins, T) → frame-major (T × bins), as the DSP core's iSTFT takes them.
    return this.dsp.istft(transpose(re, bins, frames), transpose(im, bins, frames), frames);
  }

  release(): Promise<void> { return this.runner.release(); }
}
