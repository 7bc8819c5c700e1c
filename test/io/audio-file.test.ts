// decodeToModelRate: WAV bytes → 16 kHz mono with the real DSP resampler.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dsp } from '../../src/dsp/index.js';
import { decodeToModelRate, downmix } from '../../src/io/audio-file.js';
import { writeWav } from '../../src/io/wav.js';
import { InvalidAudioError, UnsupportedRateError, WavFormatError } from '../../src/errors.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'wav');
let dsp: Dsp;
before(async () => { dsp = await Dsp.create(); });
after(() => dsp.dispose());

/** Amplitude of the component at `hz` (a single DFT bin; exact when the signal holds whole periods). */
function toneAmplitude(x: Float32Array, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < x.length; n++) {
    re += x[n]! * Math.cos((2 * Math.PI * hz * n) / rate);
    im -= x[n]! * Math.sin((2 * Math.PI * hz * n) / rate);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

test('16 kHz mono passes through untouched', () => {
  const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) * 0.5);
  const audio = decodeToModelRate(writeWav([x], 16000, { format: 'float32' }), dsp);
  assert.deepEqual(audio.samples, x);
  assert.equal(audio.resampled, false);
  assert.equal(audio.downmixed, false);
  assert.equal(audio.description, '16000 Hz mono float32 → 16000 Hz mono');
  assert.equal(audio.durationSec, 1000 / 16000);
});

test('sox 44.1 kHz stereo 24-bit file: downmixed, resampled, tones kept', () => {
  const audio = decodeToModelRate(new Uint8Array(readFileSync(join(fixtures, 'stereo-44k1-pcm24.wav'))), dsp);
  assert.equal(audio.sampleRate, 16000);
  assert.equal(audio.samples.length, Math.ceil((2205 * 16000) / 44100));
  assert.equal(audio.description, '44100 Hz stereo pcm24 → 16000 Hz mono (downmix, resample)');
  assert.deepEqual(audio.source, { sampleRate: 44100, channels: 2, format: 'pcm24', samplesPerChannel: 2205 });
  // Left 1 kHz, right 3 kHz, both at −3 dB: the average holds each tone at half that level, nothing else.
  const expected = 10 ** (-3 / 20) / 2;
  for (const hz of [1000, 3000]) {
    const a = toneAmplitude(audio.samples, hz, 16000);
    assert.ok(Math.abs(a - expected) < 0.01 * expected, `${hz} Hz amplitude ${a}, expected ${expected}`);
  }
  for (const hz of [2000, 5000, 7000]) {
    assert.ok(toneAmplitude(audio.samples, hz, 16000) < 1e-3 * expected, `energy at ${hz} Hz`);
  }
});

test('downmix averages channels', () => {
  assert.deepEqual(Array.from(downmix([new Float32Array([1, 0.5]), new Float32Array([0, -0.5])])), [0.5, 0]);
});

test('typed errors: no samples, NaN, unreadable bytes, an unconvertible rate', () => {
  assert.throws(() => decodeToModelRate(writeWav([new Float32Array(0)], 16000), dsp), InvalidAudioError);
  const nan = writeWav([new Float32Array(10)], 16000, { format: 'float32' });
  new DataView(nan.buffer).setFloat32(48, Number.NaN, true);
  assert.throws(() => decodeToModelRate(nan, dsp), InvalidAudioError);
  assert.throws(() => decodeToModelRate(new Uint8Array(0), dsp), WavFormatError);
  assert.throws(() => decodeToModelRate(writeWav([new Float32Array(100)], 44101), dsp), UnsupportedRateError);
});
