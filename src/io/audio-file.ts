/**
 * From WAV bytes to the model's domain: mono at the feature sample rate (16 kHz). Channels are averaged
 * (downmix) and the rate converted with the DSP core's band-limited resampler. The result says what was
 * done, so that a CLI can tell the user ("44100 Hz stereo pcm24 → 16000 Hz mono").
 */
import { FEATURES } from '../dsp/features.js';
import { InvalidAudioError } from '../errors.js';
import { readWav, type WavSampleFormat } from './wav.js';

/** The part of `Dsp` this module needs (keeps it testable without building the WASM core). */
export interface ResamplingCore {
  resample(signal: Float32Array, inRate: number, outRate: number): Float32Array;
  readonly settings?: { readonly sampleRate: number };
}

export interface ModelRateAudio {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  durationSec: number;
  source: { sampleRate: number; channels: number; format: WavSampleFormat; samplesPerChannel: number };
  downmixed: boolean;
  resampled: boolean;
  /** One line describing the conversion, e.g. "44100 Hz stereo pcm24 → 16000 Hz mono (downmix, resample)". */
  description: string;
}

/** Averages channels into one (a single channel is copied). */
export function downmix(channels: Float32Array[]): Float32Array {
  const n = channels[0]?.length ?? 0;
  if (channels.length === 1) return channels[0]!.slice();
  const out = new Float32Array(n);
  const scale = 1 / channels.length;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const ch of channels) sum += ch[i]!;
    out[i] = sum * scale;
  }
  return out;
}

function channelWord(n: number): string {
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n}-channel`;
}

/**
 * Decodes a WAV file to mono at the model rate. Throws WavFormatError for unreadable bytes,
 * InvalidAudioError for a file without samples or with NaN/Inf, UnsupportedRateError for a rate the
 * resampler cannot convert exactly.
 */
export function decodeToModelRate(bytes: Uint8Array, dsp: ResamplingCore): ModelRateAudio {
  const wav = readWav(bytes);
  const samplesPerChannel = wav.channels[0]!.length;
  if (samplesPerChannel === 0) throw new InvalidAudioError('the WAV file holds no samples (empty data chunk)');
  const targetRate = dsp.settings?.sampleRate ?? FEATURES.sampleRate;
  const downmixed = wav.channels.length > 1;
  const mono = downmix(wav.channels);
  const resampled = wav.sampleRate !== targetRate;
  const samples = resampled ? dsp.resample(mono, wav.sampleRate, targetRate) : mono;
  const steps = [downmixed ? 'downmix' : '', resampled ? 'resample' : ''].filter(Boolean);
  const description = `${wav.sampleRate} Hz ${channelWord(wav.channels.length)} ${wav.format} → ${targetRate} Hz mono` +
    (steps.length ? ` (${steps.join(', ')})` : '');
  return {
    samples,
    sampleRate: targetRate,
    durationSec: samples.length / targetRate,
    source: { sampleRate: wav.sampleRate, channels: wav.channels.length, format: wav.format, samplesPerChannel },
    downmixed,
    resampled,
    description,
  };
}
