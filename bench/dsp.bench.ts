/**
 * DSP kernels: the WASM core against a plain-JS pipeline built on fft.js (the popular JS FFT) doing the same
 * work on the same frames (reflect pad, Hann window, real FFT, magnitude, sparse Slaney mel), per second of
 * 16 kHz audio; plus Griffin-Lim, mel inversion, resampling and onset detection costs.
 */
import FFT from 'fft.js';
import { Dsp, type StreamingGriffinLimOptions } from '../src/dsp/index.js';
import { compare, timeIt, type BenchOptions, type BenchSection } from './lib.js';

/** The same log-mel pipeline as asm/spectral.ts, in JavaScript on fft.js. */
function makeJsLogMel(dsp: Dsp) {
  const { nFft, hop, nMels, logFloor } = dsp.settings;
  const bins = dsp.bins;
  const fft = new FFT(nFft);
  const fb = dsp.melFilterbank(); // bins × mels
  // Sparse filters, as the WASM side stores them.
  const starts: number[] = [], weights: Float32Array[] = [];
  for (let m = 0; m < nMels; m++) {
    let first = -1, last = -1;
    for (let k = 0; k < bins; k++) if (fb[k * nMels + m]! > 0) { if (first < 0) first = k; last = k; }
    starts.push(first);
    const w = new Float32Array(last - first + 1);
    for (let k = first; k <= last; k++) w[k - first] = fb[k * nMels + m]!;
    weights.push(w);
  }
  const window = new Float64Array(nFft).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
  const frame = new Array<number>(nFft).fill(0);
  const spec = fft.createComplexArray() as number[];
  const mag = new Float32Array(bins);
  return (x: Float32Array, out: Float32Array) => {
    const n = x.length, half = nFft / 2;
    const padded = new Float32Array(n + nFft);
    padded.set(x, half);
    for (let i = 1; i <= half; i++) { padded[half - i] = x[i]!; padded[half + n - 1 + i] = x[n - 1 - i]!; }
    const frames = 1 + Math.floor(n / hop);
    for (let f = 0; f < frames; f++) {
      const o = f * hop;
      for (let i = 0; i < nFft; i++) frame[i] = padded[o + i]! * window[i]!;
      fft.realTransform(spec, frame);
      for (let k = 0; k < bins; k++) { const re = spec[2 * k]!, im = spec[2 * k + 1]!; mag[k] = Math.sqrt(re * re + im * im); }
      for (let m = 0; m < nMels; m++) {
        const w = weights[m]!, s = starts[m]!;
        let acc = 0;
        for (let i = 0; i < w.length; i++) acc += w[i]! * mag[s + i]!;
        out[f * nMels + m] = Math.log(Math.max(acc, logFloor));
      }
    }
    return frames;
  };
}

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  const dsp = await Dsp.create();
  const sr = dsp.settings.sampleRate;
  const seconds = 1;
  const x = new Float32Array(sr * seconds);
  let s = 12345;
  for (let i = 0; i < x.length; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = (s / 2 ** 32 - 0.5) * 0.5; }
  const reps = opts.quick ? 20 : 400;

  const jsLogMel = makeJsLogMel(dsp);
  const jsOut = new Float32Array(dsp.frameCount(x.length) * dsp.settings.nMels);
  // Same answer first: the comparison is only fair if both compute the same features.
  jsLogMel(x, jsOut);
  const wasmOut = dsp.mel(x);
  let maxDiff = 0;
  for (let i = 0; i < jsOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(jsOut[i]! - wasmOut[i]!));
  if (maxDiff > 1e-3) throw new Error(`JS and WASM log-mel disagree by ${maxDiff}`);

  const mel = compare(() => dsp.mel(x), () => jsLogMel(x, jsOut), reps);
  const stft = timeIt(() => dsp.stft(x), reps);
  const mag = dsp.magnitude(x);
  const frames = mag.length / dsp.bins;
  const gl = timeIt(() => dsp.griffinLim(mag, frames, { iterations: 32 }), opts.quick ? 3 : 30);
  const glSeeded = timeIt(() => dsp.griffinLim(mag, frames, { iterations: 32, phaseInit: 'seeded' }), opts.quick ? 3 : 30);
  const melLin = dsp.mel(x);
  const inv = timeIt(() => dsp.melToLinear(melLin, frames), opts.quick ? 3 : 30);
  const x48 = dsp.resample(x, sr, 48000);
  const up48 = timeIt(() => dsp.resample(x, sr, 48000), opts.quick ? 5 : 100);
  const up44 = timeIt(() => dsp.resample(x, sr, 44100), opts.quick ? 5 : 100);
  const down48 = timeIt(() => dsp.resample(x48, 48000, sr), opts.quick ? 5 : 100);
  const onsets = timeIt(() => dsp.onsets(x), opts.quick ? 5 : 100);
  // Streaming vocoder: the whole second pushed 4 frames (64 ms) at a time, as a live tick would; the default (phase-
  // gradient start, 2 iterations per frame) and the start it replaced (phase vocoder, 8 iterations).
  const streamingGl = (opts2: StreamingGriffinLimOptions) => {
    const sgl = dsp.createStreamingGriffinLim({ maxChunkFrames: 4, ...opts2 });
    const sglOut = new Float32Array(sgl.maxOutput(4));
    const tick = dsp.bins * 4;
    return timeIt(() => {
      for (let f = 0; f + 4 <= frames; f += 4) sgl.pushInto(mag.subarray(f * dsp.bins, f * dsp.bins + tick), sglOut);
    }, opts.quick ? 3 : 30);
  };
  const streamGl = streamingGl({});
  const streamGlOld = streamingGl({ phaseInit: 'phase-vocoder', iterations: 8 });
  const perSec = (ms: number) => ms / seconds;

  return [{
    name: 'DSP kernels (per second of 16 kHz audio)',
    description: `WASM (AssemblyScript, SIMD) vs JavaScript on fft.js ${'4.0.4'} doing the same log-mel work on the same ` +
      `${frames} frames (max |difference| ${maxDiff.toExponential(2)}). Ratios are medians from interleaved runs.`,
    rows: [
      { label: 'log-mel, WASM', stats: mel.a, samplesMs: mel.samplesA, values: { 'ms per s audio': perSec(mel.a.medianMs), 'JS/WASM': 1 / mel.ratio } },
      { label: 'log-mel, JS (fft.js)', stats: mel.b, samplesMs: mel.samplesB, values: { 'ms per s audio': perSec(mel.b.medianMs) } },
      { label: 'complex STFT, WASM', stats: stft, values: { 'ms per s audio': perSec(stft.medianMs) } },
      { label: 'Griffin-Lim 32 it, WASM (default: phase-gradient start)', stats: gl, values: { 'ms per s audio': perSec(gl.medianMs), 'real-time factor': gl.medianMs / 1000 / seconds } },
      { label: 'Griffin-Lim 32 it, WASM (seeded random start)', stats: glSeeded, values: { 'ms per s audio': perSec(glSeeded.medianMs), 'real-time factor': glSeeded.medianMs / 1000 / seconds } },
      { label: 'streaming Griffin-Lim (default: phase-gradient start, 2 it/frame), 4-frame pushes', stats: streamGl, values: { 'ms per s audio': perSec(streamGl.medianMs), 'per 64 ms tick (ms)': streamGl.medianMs / Math.floor(frames / 4) } },
      { label: 'streaming Griffin-Lim (phase-vocoder start, 8 it/frame), 4-frame pushes', stats: streamGlOld, values: { 'ms per s audio': perSec(streamGlOld.medianMs), 'per 64 ms tick (ms)': streamGlOld.medianMs / Math.floor(frames / 4) } },
      { label: 'mel → linear (NNLS 30 it)', stats: inv, values: { 'ms per s audio': perSec(inv.medianMs) } },
      { label: 'resample 16k → 48k', stats: up48, values: { 'ms per s audio': perSec(up48.medianMs) } },
      { label: 'resample 16k → 44.1k', stats: up44, values: { 'ms per s audio': perSec(up44.medianMs) } },
      { label: 'resample 48k → 16k', stats: down48, values: { 'ms per s audio': perSec(down48.medianMs) } },
      { label: 'onset detection', stats: onsets, values: { 'ms per s audio': perSec(onsets.medianMs) } },
    ],
  }];
}
