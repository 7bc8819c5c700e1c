// `hearing-hands demo` (the README's main command): renders every bundled trajectory and reports what it measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../src/io/wav.js';
import { repoRoot, runCli } from './run-cli.js';

test('demo renders each bundled trajectory to out/<name>.wav with latency and real-time factor', async () => {
  const r = await runCli(['demo', '--compute', '0.002']);
  assert.equal(r.code, 0, r.stderr);
  const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.json'));
  assert.ok(examples.length >= 3);
  for (const f of examples) {
    assert.ok(r.stdout.includes(`== ${f}`), `no section for ${f}`);
    const wav = readWav(new Uint8Array(readFileSync(join(repoRoot, 'out', f.replace(/\.json$/, '.wav')))));
    assert.equal(wav.sampleRate, 48000);
    let peak = 0;
    for (const v of wav.channels[0]!) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak > 0.001, `${f} is silent`);
  }
  for (const label of ['backend', 'real-time factor', 'latency p50', 'output']) assert.ok(r.stdout.includes(label), `no '${label}'`);
});
