// `hearing-hands dsp-demo` end to end on the bundled example: it must write a 48 kHz WAV that sounds like the
// input (same spectrum envelope) and print its measurements; a bad input must fail cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dsp } from '../../src/dsp/index.js';
import { relativeL2 } from '../../src/dsp/reference.js';
import { decodeToModelRate } from '../../src/io/audio-file.js';
import { readWav } from '../../src/io/wav.js';
import { isCleanError, repoRoot, runCli } from './run-cli.js';

let dir: string;
let dsp: Dsp;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hh-demo-'));
  dsp = await Dsp.create();
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  dsp.dispose();
});

test('demo on the bundled speech: 48 kHz WAV whose mel resembles the input, measurements printed', async () => {
  const out = join(dir, 'nested', 'demo.wav'); // the folder does not exist yet: the demo creates it
  const r = await runCli(['dsp-demo', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  for (const label of ['input', 'mel', 'mel→linear', 'griffin-lim 32 iterations', 'spectral convergence', 'resample', 'output']) {
    assert.ok(r.stdout.includes(label), `stdout lacks '${label}':\n${r.stdout}`);
  }
  const sc = Number(/spectral convergence ([0-9.]+) \(vs Griffin-Lim's target\)/.exec(r.stdout)?.[1]);
  assert.ok(sc > 0 && sc < 0.3, `spectral convergence ${sc}`);

  const wav = readWav(new Uint8Array(readFileSync(out)));
  assert.equal(wav.sampleRate, 48000);
  assert.equal(wav.channels.length, 1);
  const input = decodeToModelRate(new Uint8Array(readFileSync(join(repoRoot, 'examples', 'speech-espeak-22k.wav'))), dsp);
  assert.equal(wav.channels[0]!.length, Math.ceil(input.samples.length * 3));
  // Back at 16 kHz, the reconstruction's log-mel is close to the input's (phase is lost, the envelope is not).
  const back = dsp.resample(wav.channels[0]!, 48000, 16000);
  const err = relativeL2(dsp.mel(back), dsp.mel(input.samples));
  assert.ok(err < 0.1, `log-mel relative L2 between output and input ${err.toFixed(3)}`);
});

test('demo with a non-WAV input fails with a clean typed error', async () => {
  const bad = join(dir, 'bad.wav');
  writeFileSync(bad, 'not audio');
  const r = await runCli(['dsp-demo', '-i', bad, '-o', join(dir, 'never.wav')]);
  assert.equal(r.code, 1);
  assert.ok(isCleanError(r.stderr, 'WAV_FORMAT'), r.stderr);
  const iters = await runCli(['dsp-demo', '--iterations', 'many']);
  assert.equal(iters.code, 1);
  assert.ok(isCleanError(iters.stderr, 'INVALID_ARGUMENT'), iters.stderr);
});
