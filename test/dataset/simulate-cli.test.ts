import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/commands/simulate.js';
import { InvalidArgumentError } from '../../src/errors.js';

test('simulate --out --hours --seed writes a dataset and refuses bad arguments with typed errors', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hh-simcli-'));
  const write = process.stdout.write.bind(process.stdout), writeErr = process.stderr.write.bind(process.stderr);
  let printed = '';
  try {
    process.stdout.write = ((chunk: string) => { printed += chunk; return true; }) as typeof process.stdout.write;
    const code = await run(['--out', join(tmp, 'd'), '--hours', '0.003', '--seed', '4', '--quiet', '--workers', '1']);
    process.stdout.write = write;
    assert.equal(code, 0);
    assert.ok(existsSync(join(tmp, 'd', 'split.json')) && existsSync(join(tmp, 'd', 'dataset.json')));
    assert.match(printed, /2 sounds \(0\.00 h of audio\) × 3 views = 6 items/);
    await assert.rejects(run(['--out', join(tmp, 'd'), '--hours', '0.003']), (e: unknown) => e instanceof InvalidArgumentError && /not empty/.test(e.message));
    await assert.rejects(run(['--out', join(tmp, 'e'), '--hours', 'lots']), InvalidArgumentError);
    await assert.rejects(run(['--out', join(tmp, 'e'), '--hours=-2']), InvalidArgumentError);
    await assert.rejects(run(['--out', join(tmp, 'e'), '--seed', '1.5']), InvalidArgumentError);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    assert.equal(await run([]), 2, 'no --out is a usage error');
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('simulate --only test --max-sounds writes just those sounds, byte-identical to the whole dataset, and a split listing them', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hh-simonly-'));
  try {
    assert.equal(await run(['--out', join(tmp, 'all'), '--hours', '0.05', '--seed', '5', '--quiet', '--workers', '1']), 0);
    assert.equal(await run(['--out', join(tmp, 'some'), '--hours', '0.05', '--seed', '5', '--quiet', '--workers', '1', '--only', 'test', '--max-sounds', '2']), 0);
    const all = JSON.parse(readFileSync(join(tmp, 'all', 'split.json'), 'utf8')) as Record<string, [string, string][]>;
    const some = JSON.parse(readFileSync(join(tmp, 'some', 'split.json'), 'utf8')) as Record<string, [string, string][]>;
    assert.equal(some['train']!.length + some['val']!.length, 0);
    assert.equal(some['test']!.length, 2 * 3, 'two sounds, three views each');
    for (const [scene, item] of some['test']!) {
      assert.ok(all['test']!.some(([s, i]) => s === scene && i === item), `${item} is a test item of the whole dataset`);
      const a = readFileSync(join(tmp, 'all', scene, 'mel', `${item}.npy`)), b = readFileSync(join(tmp, 'some', scene, 'mel', `${item}.npy`));
      assert.ok(a.equals(b), `${item}: same bytes`);
    }
    await assert.rejects(run(['--out', join(tmp, 'x'), '--only', 'dev']), InvalidArgumentError);
    await assert.rejects(run(['--out', join(tmp, 'x'), '--max-sounds', '3']), InvalidArgumentError);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
