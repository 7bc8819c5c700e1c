// WAV reading/writing: files from an independent writer (sox), hand-built edge cases, round trips, and
// every kind of bad input giving a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav, writeWav } from '../../src/io/wav.js';
import { InvalidArgumentError, InvalidAudioError, WavFormatError } from '../../src/errors.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'wav');
const load = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const MINUS_3_DB = 10 ** (-3 / 20);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function zeroCrossings(x: Float32Array): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1]! < 0) !== (x[i]! < 0)) n++;
  return n;
}

test('reads sox files in every supported encoding to the same samples', () => {
  const truth = readWav(load('mono-8k-float64.wav'));
  assert.equal(truth.format, 'float64');
  assert.equal(truth.sampleRate, 8000);
  assert.equal(truth.channels.length, 1);
  assert.equal(truth.channels[0]!.length, 400);
  const peak = Math.max(...truth.channels[0]!.map(Math.abs));
  assert.ok(Math.abs(peak - MINUS_3_DB) < 1e-2, `peak ${peak}`); // 8 samples per period: peaks are sampled coarsely
  const cases: [string, string, number][] = [
    ['mono-8k-pcm8.wav', 'pcm8', 1 / 128],
    ['mono-8k-pcm16.wav', 'pcm16', 1 / 32768],
    ['mono-8k-pcm32.wav', 'pcm32', 1e-7], // WAVE_FORMAT_EXTENSIBLE
    ['mono-8k-float32.wav', 'float32', 1e-7], // has a `fact` chunk before `data`
  ];
  for (const [file, format, tolerance] of cases) {
    const wav = readWav(load(file));
    assert.equal(wav.format, format, file);
    assert.equal(wav.sampleRate, 8000, file);
    const err = maxAbsDiff(wav.channels[0]!, truth.channels[0]!);
    assert.ok(err <= tolerance, `${file}: max error ${err} > ${tolerance}`);
  }
});

test('reads 44.1 kHz stereo 24-bit WAVE_FORMAT_EXTENSIBLE with channels in order', () => {
  const wav = readWav(load('stereo-44k1-pcm24.wav'));
  assert.equal(wav.format, 'pcm24');
  assert.equal(wav.sampleRate, 44100);
  assert.equal(wav.channels.length, 2);
  assert.equal(wav.channels[0]!.length, 2205);
  // Left is 1 kHz, right 3 kHz: 2 zero crossings per period over 0.05 s.
  assert.ok(Math.abs(zeroCrossings(wav.channels[0]!) - 100) <= 1);
  assert.ok(Math.abs(zeroCrossings(wav.channels[1]!) - 300) <= 1);
  for (const ch of wav.channels) {
    const peak = Math.max(...ch.map(Math.abs));
    assert.ok(Math.abs(peak - MINUS_3_DB) < 2e-3, `peak ${peak}`);
  }
});

test('A-law (a compressed codec) is refused by name', () => {
  assert.throws(() => readWav(load('mono-8k-alaw.wav')), (e: unknown) =>
    e instanceof WavFormatError && /A-law/.test(e.message) && e.code === 'WAV_FORMAT');
});

test('round trip: pcm16, pcm24 and float32, mono and stereo', () => {
  const n = 1001;
  const left = new Float32Array(n).map((_, i) => Math.sin(i * 0.05) * 0.9);
  const right = new Float32Array(n).map((_, i) => ((i * 7919) % 2001) / 1000 - 1); // covers ±1 exactly
  for (const [format, tolerance] of [['pcm16', 0.5 / 32768], ['pcm24', 0.5 / 8388608], ['float32', 0]] as const) {
    for (const channels of [[left], [left, right]]) {
      const back = readWav(writeWav(channels, 22050, { format }));
      assert.equal(back.format, format);
      assert.equal(back.sampleRate, 22050);
      assert.equal(back.channels.length, channels.length);
      channels.forEach((ch, c) => {
        // +1.0 cannot be represented in PCM (full scale is 1 − 1/2^(bits−1)): allow that one step.
        const step = format === 'pcm16' ? 1 / 32768 : format === 'pcm24' ? 1 / 8388608 : 0;
        const err = maxAbsDiff(back.channels[c]!, ch);
        assert.ok(err <= Math.max(tolerance, step) + 1e-9, `${format} ch${c}: ${err}`);
      });
    }
  }
});

test('PCM writing clamps out-of-range samples; float32 keeps them', () => {
  const x = new Float32Array([2, -2, 0.5]);
  assert.deepEqual(Array.from(readWav(writeWav([x], 16000)).channels[0]!), [32767 / 32768, -1, 0.5]);
  assert.deepEqual(Array.from(readWav(writeWav([x], 16000, { format: 'float32' })).channels[0]!), [2, -2, 0.5]);
});

/** A RIFF file from raw chunks, so that layouts sox never writes can be tested. */
function riff(chunks: [string, Uint8Array][]): Uint8Array {
  const parts: number[] = [];
  for (const [id, body] of chunks) {
    for (const ch of id) parts.push(ch.charCodeAt(0));
    parts.push(body.length & 0xff, (body.length >> 8) & 0xff, (body.length >> 16) & 0xff, body.length >>> 24);
    parts.push(...body);
    if (body.length & 1) parts.push(0);
  }
  const size = 4 + parts.length;
  return new Uint8Array([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, size >>> 24,
    0x57, 0x41, 0x56, 0x45, ...parts]);
}

function fmtBody(code: number, channels: number, rate: number, bits: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, rate * channels * bits / 8, true);
  v.setUint16(12, channels * bits / 8, true);
  v.setUint16(14, bits, true);
  return b;
}

const int16 = (...xs: number[]) => new Uint8Array(new Int16Array(xs).buffer);

test('skips unknown chunks, including odd-sized ones with their pad byte', () => {
  const bytes = riff([
    ['LIST', new Uint8Array([1, 2, 3])], // odd size: one pad byte follows
    ['fmt ', fmtBody(1, 1, 16000, 16)],
    ['junk', new Uint8Array(5)],
    ['data', int16(16384, -16384, 32767)],
    ['cue ', new Uint8Array(4)], // chunks after data are ignored
  ]);
  const wav = readWav(bytes);
  assert.deepEqual(Array.from(wav.channels[0]!), [0.5, -0.5, 32767 / 32768]);
});

test('an odd-length 8-bit data chunk is read fully', () => {
  const wav = readWav(riff([['fmt ', fmtBody(1, 1, 8000, 8)], ['data', new Uint8Array([128, 255, 0])]]));
  assert.deepEqual(Array.from(wav.channels[0]!), [0, 127 / 128, -1]);
});

test('bad input gives typed errors with clear messages', () => {
  const good = writeWav([new Float32Array(100)], 16000);
  const expectWav = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => readWav(bytes), (e: unknown) => e instanceof WavFormatError && pattern.test(e.message),
      `expected WavFormatError matching ${pattern}`);
  expectWav(new Uint8Array(0), /empty/);
  expectWav(good.subarray(0, 8), /truncated/);
  expectWav(good.subarray(0, 30), /truncated|no fmt/);
  expectWav(good.subarray(0, 44 + 100), /truncated: data chunk declares 200 bytes but only 100 remain/);
  expectWav(riff([['fmt ', fmtBody(1, 1, 16000, 16)]]), /no data chunk/);
  expectWav(riff([['data', int16(1)], ['fmt ', fmtBody(1, 1, 16000, 16)]]), /before the fmt/);
  expectWav(new TextEncoder().encode('ID3\u0003 this is an mp3, not a wav'), /not a WAV/);
  expectWav(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000AVI LIST'), /not a WAV/);
  expectWav(riff([['fmt ', fmtBody(1, 0, 16000, 16)], ['data', int16(1)]]), /zero channels/);
  expectWav(riff([['fmt ', fmtBody(1, 1, 0, 16)], ['data', int16(1)]]), /0 Hz/);
  expectWav(riff([['fmt ', fmtBody(1, 1, 16000, 12)], ['data', int16(1)]]), /bit depth 12/);
  expectWav(riff([['fmt ', fmtBody(3, 1, 16000, 16)], ['data', int16(1)]]), /float bit depth 16/);
  expectWav(riff([['fmt ', fmtBody(0x55, 1, 16000, 16)], ['data', int16(1)]]), /MP3/);
});

test('NaN or infinite float samples are refused (never passed on silently)', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
    const body = new Uint8Array(new Float32Array([0, 0.5, bad, 0]).buffer);
    const bytes = riff([['fmt ', fmtBody(3, 1, 16000, 32)], ['data', body]]);
    assert.throws(() => readWav(bytes), (e: unknown) => e instanceof InvalidAudioError && /sample 2/.test(e.message));
  }
  assert.throws(() => writeWav([new Float32Array([Number.NaN])], 16000), InvalidAudioError);
});

test('writeWav refuses impossible arguments', () => {
  assert.throws(() => writeWav([], 16000), InvalidArgumentError);
  assert.throws(() => writeWav([new Float32Array(2), new Float32Array(3)], 16000), InvalidArgumentError);
  assert.throws(() => writeWav([new Float32Array(2)], 44100.5), InvalidArgumentError);
  assert.throws(() => writeWav([new Float32Array(2)], 0), InvalidArgumentError);
});

test('an empty (zero-frame) but well-formed WAV reads as zero samples', () => {
  const wav = readWav(writeWav([new Float32Array(0), new Float32Array(0)], 48000));
  assert.equal(wav.channels.length, 2);
  assert.equal(wav.channels[0]!.length, 0);
});

test('a data chunk of unknown size (0xFFFFFFFF, written by streaming writers) runs to the end of the file', () => {
  const bytes = writeWav([new Float32Array([0.25, -0.25]), new Float32Array([0.5, -0.5])], 16000);
  new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
  const wav = readWav(bytes);
  assert.deepEqual(Array.from(wav.channels[0]!), [0.25, -0.25]);
  assert.deepEqual(Array.from(wav.channels[1]!), [0.5, -0.5]);
});

test('interleaving: a NaN in the second channel is reported with its channel and index', () => {
  const bytes = writeWav([new Float32Array(3), new Float32Array(3)], 16000, { format: 'float32' });
  new DataView(bytes.buffer).setFloat32(44 + 4 * (2 * 2 + 1), Number.NaN, true); // frame 2, channel 1
  assert.throws(() => readWav(bytes), (e: unknown) => e instanceof InvalidAudioError && /sample 2 of channel 1/.test(e.message));
});
