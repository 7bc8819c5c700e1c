// `hearing-hands mel` end to end, as a subprocess: the output file against torchaudio's numbers, resampling
// and downmixing of a 44.1 kHz stereo 24-bit file, and every kind of bad file giving a clean typed error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dsp, FEATURES, frameCount } from '../../src/dsp/index.js';
import { relativeL2 } from '../../src/dsp/reference.js';
import { writeWav } from '../../src/io/wav.js';
import { loadF32, loadIndex } from '../fixtures/dsp/load.js';
import { isCleanError, runCli } from './run-cli.js';

let dir: string;
let dsp: Dsp;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hh-mel-'));
  dsp = await Dsp.create();
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  dsp.dispose();
});

function readF32LE(path: string): Float32Array {
  const bytes = readFileSync(path);
  assert.equal(bytes.byteLength % 4, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('16 kHz float WAV → --linear output matches torchaudio, default output is its log', async () => {
  const ref = loadIndex().signals['speech']!;
  const input = file('speech.wav', writeWav([loadF32(ref.signal)], 16000, { format: 'float32' }));
  const linearOut = join(dir, 'speech-linear.f32');
  const r = await runCli(['mel', input, '-o', linearOut, '--linear']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, new RegExp(`${ref.frames} frames × 80 linear mel`));
  assert.equal(r.stdout.trim().split('\n').length, 1, 'one-line summary');
  const linear = readF32LE(linearOut);
  assert.equal(linear.length, ref.frames * FEATURES.nMels);
  const err = relativeL2(linear, loadF32(ref.mel));
  assert.ok(err <= 1e-5, `relative L2 vs torchaudio ${err.toExponential(2)}`);

  const logOut = join(dir, 'speech-log.f32');
  const r2 = await runCli(['mel', input, '-o', logOut]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /log-mel \(min -11\.513/); // silence at the start sits on the ln(1e-5) floor
  const log = readF32LE(logOut);
  for (let i = 0; i < log.length; i++) {
    assert.ok(Math.abs(log[i]! - Math.log(Math.max(linear[i]!, FEATURES.logFloor))) <= 1e-5, `index ${i}`);
  }
});

test('44.1 kHz stereo 24-bit WAV is downmixed and resampled to 16 kHz', async (t) => {
  // Left: a 1 kHz tone at 0.5; right: silence. The downmix is a 0.25 tone, resampled to 16 kHz.
  const n = 44100;
  const left = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 44100));
  const input = file('stereo-44k1.wav', writeWav([left, new Float32Array(n)], 44100, { format: 'pcm24' }));
  const out = join(dir, 'stereo.f32');
  const r = await runCli(['mel', input, '-o', out, '--linear']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /44100 Hz stereo pcm24 → 16000 Hz mono \(downmix, resample\), 1\.000 s → 63 frames/);
  const mel = readF32LE(out);
  assert.equal(mel.length, frameCount(16000) * FEATURES.nMels);
  // The same tone synthesised directly at 16 kHz: the features agree to within the resampler's passband
  // ripple and 24-bit quantisation.
  const native = Float32Array.from({ length: 16000 }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const err = relativeL2(mel, dsp.mel(native, { log: false }));
  t.diagnostic(`mel of the resampled 44.1 kHz tone vs the native 16 kHz tone: relative L2 ${err.toExponential(2)}`);
  assert.ok(err <= 1e-3, `relative L2 vs native 16 kHz tone ${err.toExponential(2)}`);
});

test('bad files: clean typed errors on stderr, exit 1, no output written', async () => {
  const good = writeWav([new Float32Array(4000).map((_, i) => Math.sin(i / 10))], 16000);
  const nanWav = writeWav([new Float32Array(2000)], 16000, { format: 'float32' });
  new DataView(nanWav.buffer).setFloat32(44 + 4 * 1000, Number.NaN, true);
  const allNan = writeWav([new Float32Array(2000)], 16000, { format: 'float32' });
  for (let i = 0; i < 2000; i++) new DataView(allNan.buffer).setFloat32(44 + 4 * i, Number.NaN, true);
  const cases: [string, Uint8Array | string | null, string, RegExp][] = [
    ['empty.wav', new Uint8Array(0), 'WAV_FORMAT', /empty file/],
    ['nan-filled.wav', allNan, 'INVALID_AUDIO', /NaN/],
    ['one-nan.wav', nanWav, 'INVALID_AUDIO', /sample 1000 of channel 0 is NaN/],
    ['truncated.wav', good.subarray(0, 3000), 'WAV_FORMAT', /truncated/],
    ['notes.wav', 'these are notes, not audio\n', 'WAV_FORMAT', /not a WAV file/],
    ['mp3.wav', writeWavWithCodec(0x55), 'WAV_FORMAT', /MP3/],
    ['too-short.wav', writeWav([new Float32Array(300)], 16000), 'SIGNAL_TOO_SHORT', /300 samples/],
    ['no-samples.wav', writeWav([new Float32Array(0)], 16000), 'INVALID_AUDIO', /no samples/],
    ['odd-rate.wav', writeWav([new Float32Array(4000)], 44101), 'UNSUPPORTED_RATE', /44101/],
    ['missing.wav', null, 'IO', /cannot read .*missing\.wav: ENOENT/],
  ];
  // The subprocesses are independent: run them together (the CLI's start-up dominates the time).
  const results = await Promise.all(cases.map(([name, bytes]) => {
    const input = bytes === null ? join(dir, name) : file(name, bytes);
    return runCli(['mel', input, '-o', join(dir, `${name}.f32`)]);
  }));
  cases.forEach(([name, , code, message], i) => {
    const r = results[i]!;
    assert.equal(r.code, 1, `${name}: exit ${r.code}, stderr ${r.stderr}`);
    assert.ok(isCleanError(r.stderr, code), `${name}: stderr was ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, message, name);
    assert.equal(r.stdout, '', name);
    assert.ok(!existsSync(join(dir, `${name}.f32`)), `${name}: output must not be written`);
  });
});

/** A 16-bit WAV whose fmt chunk claims another codec. */
function writeWavWithCodec(code: number): Uint8Array {
  const bytes = writeWav([new Float32Array(1000)], 16000);
  new DataView(bytes.buffer).setUint16(20, code, true);
  return bytes;
}

test('an unwritable output path is a clean IO error', async () => {
  const input = file('ok.wav', writeWav([new Float32Array(2000)], 16000));
  const r = await runCli(['mel', input, '-o', join(dir, 'no-such-dir', 'out.f32')]);
  assert.equal(r.code, 1);
  assert.ok(isCleanError(r.stderr, 'IO'), r.stderr);
  assert.match(r.stderr, /cannot write .*out\.f32: ENOENT/);
});

test('usage errors exit 2 with the usage text; --help exits 0', async () => {
  const noOutput = await runCli(['mel', 'x.wav']);
  assert.equal(noOutput.code, 2);
  assert.match(noOutput.stderr, /no output file given[\s\S]*usage: hearing-hands mel/);
  const unknown = await runCli(['mel', 'x.wav', '-o', 'y.f32', '--loud']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--loud/);
  const help = await runCli(['mel', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /little-endian float32, frames × 80/);
});
