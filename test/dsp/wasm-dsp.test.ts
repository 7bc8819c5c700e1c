import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { InvalidAudioError, InvalidArgumentError, SignalTooShortError, UnsupportedRateError } from '../../src/errors.js';
import { maxDbInBand, powerSpectrumDb, relativeL2, seededNoise, tones } from '../helpers/spectrum.js';

const dsp = await Dsp.create();
const { nFft, hop } = dsp.settings;

function naiveFrameDft(x: Float32Array, frame: number, k: number): [number, number] {
  let re = 0, im = 0;
  for (let t = 0; t < nFft; t++) {
    let idx = frame * hop + t - nFft / 2;
    if (idx < 0) idx = -idx;
    if (idx >= x.length) idx = 2 * (x.length - 1) - idx;
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / nFft);
    re += x[idx]! * w * Math.cos((-2 * Math.PI * k * t) / nFft);
    im += x[idx]! * w * Math.sin((-2 * Math.PI * k * t) / nFft);
  }
  return [re, im];
}

test('STFT frames match a float64 DFT with reflect padding (first, middle, last frame)', () => {
  const x = seededNoise(5000, 7);
  const { re, im, frames, bins } = dsp.stft(x);
  assert.equal(frames, 1 + Math.floor(5000 / hop));
  for (const f of [0, 9, frames - 1]) {
    const ref: number[] = [], got: number[] = [];
    for (let k = 0; k < bins; k += 13) {
      const [r, i] = naiveFrameDft(x, f, k);
      ref.push(r, i);
      got.push(re[f * bins + k]!, im[f * bins + k]!);
    }
    assert.ok(relativeL2(got, ref) < 1e-5, `frame ${f}: ${relativeL2(got, ref)}`);
  }
});

test('STFT → iSTFT reconstructs to ≤ 1e-5 relative error', () => {
  for (const [name, x] of [
    ['noise', seededNoise(16000, 3)],
    ['odd length', seededNoise(12345, 4)],
    ['tones', tones(9000, 16000, [220, 3100, 7700])],
  ] as const) {
    const s = dsp.stft(x);
    const y = dsp.istft(s.re, s.im, s.frames, x.length);
    const err = relativeL2(y, x);
    assert.ok(err <= 1e-5, `${name}: ${err}`);
  }
});

test('mel: frame count, non-negativity, log floor', () => {
  const x = seededNoise(16000, 9);
  const lin = dsp.mel(x, { log: false });
  const log = dsp.mel(x);
  assert.equal(lin.length, 63 * 80);
  for (let i = 0; i < lin.length; i++) {
    assert.ok(lin[i]! >= 0);
    assert.ok(Math.abs(log[i]! - Math.log(Math.max(lin[i]!, 1e-5))) < 1e-5);
  }
  const silent = dsp.mel(new Float32Array(4000));
  assert.ok(silent.every((v) => Math.abs(v - Math.log(1e-5)) < 1e-6));
});

test('mel filterbank: 80 Slaney triangles with slaney area normalisation', () => {
  const fb = dsp.melFilterbank(); // bins × mels
  const bins = dsp.bins;
  for (let m = 0; m < 80; m++) {
    let peak = 0, peakBin = 0, nonZero = 0;
    for (let k = 0; k < bins; k++) {
      const w = fb[k * 80 + m]!;
      assert.ok(w >= 0);
      if (w > peak) { peak = w; peakBin = k; }
      if (w > 0) nonZero++;
    }
    assert.ok(nonZero >= 1, `filter ${m} is empty`);
    if (m > 0) {
      let prevPeakBin = 0, prevPeak = 0;
      for (let k = 0; k < bins; k++) if (fb[k * 80 + m - 1]! > prevPeak) { prevPeak = fb[k * 80 + m - 1]!; prevPeakBin = k; }
      assert.ok(peakBin >= prevPeakBin, 'filter centres increase');
    }
  }
});

test('resampler 16 kHz → 48/44.1 kHz: images of passband content below −80 dB', () => {
  const x = tones(32768, 16000, [440, 3000, 7000]);
  for (const outRate of [48000, 44100]) {
    const y = dsp.resample(x, 16000, outRate);
    assert.equal(y.length, Math.ceil((x.length * outRate) / 16000));
    const db = powerSpectrumDb(y, 4096, 65536);
    const signal = maxDbInBand(db, outRate, 0, 7200);
    const images = maxDbInBand(db, outRate, 8000, outRate / 2);
    assert.ok(images - signal < -80, `${outRate}: images at ${(images - signal).toFixed(1)} dB`);
  }
});

test('resampler 48/44.1 kHz → 16 kHz: aliases of content above 8 kHz below −80 dB', () => {
  for (const inRate of [48000, 44100]) {
    // A wanted tone at 1 kHz and unwanted ones above the new Nyquist frequency, all equally loud.
    const x = tones(inRate * 2, inRate, [1000, 9000, 12500, 20000]);
    const y = dsp.resample(x, inRate, 16000);
    const db = powerSpectrumDb(y, 2048, 16384);
    const wanted = maxDbInBand(db, 16000, 900, 1100);
    const aliases = Math.max(maxDbInBand(db, 16000, 0, 800), maxDbInBand(db, 16000, 1200, 8000));
    assert.ok(aliases - wanted < -80, `${inRate}: aliases at ${(aliases - wanted).toFixed(1)} dB`);
  }
});

test('resampler: passband is flat and time-aligned (a sine maps onto the same sine)', () => {
  const x = tones(16000, 16000, [1000], 0.5);
  const y = dsp.resample(x, 16000, 48000);
  let maxErr = 0;
  for (let i = 600; i < y.length - 600; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000)));
  assert.ok(maxErr < 1e-4, `max error ${maxErr}`);
});

test('streaming resampler: chunk-by-chunk output equals whole-signal output', () => {
  const x = seededNoise(10000, 11);
  const whole = dsp.createResampler(16000, 44100);
  const ref = [...whole.process(x), ...whole.flush()];
  const chunked = dsp.createResampler(16000, 44100);
  const got: number[] = [];
  const out = new Float32Array(chunked.maxOutput(997));
  for (let i = 0; i < x.length; i += 997) {
    const n = chunked.processInto(x.subarray(i, Math.min(x.length, i + 997)), out);
    for (let j = 0; j < n; j++) got.push(out[j]!);
  }
  got.push(...chunked.flush());
  assert.equal(got.length, ref.length);
  assert.ok(relativeL2(got, ref) < 1e-6);
});

test('onsets: impacts found within ±1 ms; silence and steady noise give none', () => {
  const sr = 16000;
  const x = new Float32Array(sr * 2);
  const truth = [0.1, 0.43, 0.8, 1.234, 1.7];
  for (const [j, t] of truth.entries()) {
    const at = Math.round(t * sr);
    for (let i = 0; i < 1600 && at + i < x.length; i++) x[at + i]! += (0.3 + 0.1 * j) * Math.exp(-i / 200) * Math.sin(i * (0.3 + 0.2 * j));
  }
  const noise = seededNoise(x.length, 5, 0.001);
  for (let i = 0; i < x.length; i++) x[i]! += noise[i]!;
  const found = dsp.onsets(x);
  assert.equal(found.length, truth.length, `found ${Array.from(found)}`);
  for (let i = 0; i < truth.length; i++) assert.ok(Math.abs(found[i]! - truth[i]!) <= 0.001, `${found[i]} vs ${truth[i]}`);
  assert.equal(dsp.onsets(new Float32Array(sr)).length, 0);
  assert.equal(dsp.onsets(seededNoise(sr, 2, 0.2)).length, 0);
});

test('metrics: zero for identical signals, grow with the difference', () => {
  const a = seededNoise(16000, 1, 0.3);
  const b = a.map((v, i) => v + (i % 7 === 0 ? 0.05 : 0));
  const c = a.map((v, i) => v + (i % 7 === 0 ? 0.2 : 0));
  assert.equal(dsp.stftDistance(a, a), 0);
  assert.equal(dsp.envelopeDistance(a, a), 0);
  assert.ok(dsp.stftDistance(a, b) > 0 && dsp.stftDistance(a, c) > dsp.stftDistance(a, b));
  assert.ok(dsp.envelopeDistance(a, c) > dsp.envelopeDistance(a, b));
  assert.ok(Math.abs(dsp.stftDistance(a, c) - dsp.stftDistance(c, a)) < 1e-9);
});

test('Griffin-Lim: converges with iterations and is deterministic for a seed', () => {
  const x = tones(8000, 16000, [300, 1200, 2500]);
  const mag = dsp.magnitude(x);
  const frames = mag.length / dsp.bins;
  const sc = (y: Float32Array) => {
    const m = dsp.magnitude(y);
    return relativeL2(m.subarray(0, mag.length), mag);
  };
  const few = sc(dsp.griffinLim(mag, frames, { iterations: 2 }));
  const many = sc(dsp.griffinLim(mag, frames, { iterations: 32 }));
  assert.ok(many < few, `${many} !< ${few}`);
  const a = dsp.griffinLim(mag, frames, { iterations: 4, seed: 42 });
  const b = dsp.griffinLim(mag, frames, { iterations: 4, seed: 42 });
  assert.deepEqual(a, b);
});

test('mel → linear → Griffin-Lim gives audio whose mel is close to the target', () => {
  const x = tones(16000, 16000, [400, 1800, 5000]);
  const mel = dsp.mel(x, { log: false });
  const frames = mel.length / 80;
  const lin = dsp.melToLinear(mel, frames, { log: false });
  const y = dsp.griffinLim(lin, frames, { iterations: 32, length: x.length });
  const melY = dsp.mel(y, { log: false });
  assert.ok(relativeL2(melY, mel) < 0.25, `mel error ${relativeL2(melY, mel)}`);
});

test('bad input: typed errors with clear messages', () => {
  assert.throws(() => dsp.mel(new Float32Array(0)), InvalidAudioError);
  const nan = new Float32Array(4000); nan[1234] = NaN;
  assert.throws(() => dsp.mel(nan), (e: unknown) => e instanceof InvalidAudioError && /index 1234/.test(e.message));
  const inf = new Float32Array(4000); inf[5] = Infinity;
  assert.throws(() => dsp.stft(inf), InvalidAudioError);
  assert.throws(() => dsp.mel(new Float32Array(300)), SignalTooShortError);
  assert.throws(() => dsp.resample(new Float32Array(100), 16000, 0), UnsupportedRateError);
  assert.throws(() => dsp.resample(new Float32Array(100), 16000.5, 48000), UnsupportedRateError);
  assert.throws(() => dsp.createResampler(16000, 999983), UnsupportedRateError);
  assert.throws(() => dsp.istft(new Float32Array(10), new Float32Array(10), 3), InvalidArgumentError);
  assert.throws(() => dsp.griffinLim(new Float32Array(dsp.bins), 1), SignalTooShortError);
  assert.throws(() => dsp.griffinLim(new Float32Array(dsp.bins * 8), 8, { momentum: 1.5 }), InvalidArgumentError);
});

test('instances are independent (own memory)', async () => {
  const other = await Dsp.create();
  const x = seededNoise(8000, 21);
  assert.deepEqual(other.mel(x), dsp.mel(x));
});
