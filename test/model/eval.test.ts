import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '../../src/dataset/simulate.js';
import { contactTimes } from '../../src/model/eval/dataset.js';
import { agreementMargin, aggregate, audibleContacts, confusionTable, matchOnsets, quantile } from '../../src/model/eval/metrics.js';
import { run as evalCommand } from '../../src/cli/commands/eval.js';
import { SHIPPED_MANIFEST } from './fixture.js';
import { simulatedPlan } from '../../src/model/eval/sim-items.js';
import { replaySound } from '../../src/model/eval/other-object.js';
import { itemName, paths } from '../../src/dataset/layout.js';
import { soundItemKey } from '../../src/dataset/plan.js';
import { readWav } from '../../src/io/wav.js';

test('onset matching: nearest onset within 100 ms per contact; the rest are missed, stray onsets are extra', () => {
  const m = matchOnsets([0.101, 0.5, 2.0], [0.1, 0.52, 1.0]);
  assert.deepEqual(m.errorsSec.map((e) => Math.round(e * 1000)), [1, 20]);
  assert.deepEqual(m.offsetsSec.map((e) => Math.round(e * 1000)), [1, -20]); // signed: late +, early −
  assert.equal(m.missed, 1);
  assert.equal(m.extra, 1);
  assert.equal(quantile([3, 1, 2], 0.5), 2);
  // The table's stated uncertainty: ±12.7 points at 60 items, halving with 4× the items.
  assert.equal(agreementMargin(60).toFixed(1), '12.7');
  assert.equal((agreementMargin(240) * 2).toFixed(1), agreementMargin(60).toFixed(1));
  // Only the first and third contacts make an onset in the ground truth: the audible-contacts columns score those.
  const audible = audibleContacts([0.1005, 0.3, 1.004], [0.1, 0.52, 1.0]);
  assert.deepEqual(audible, [0.1, 1.0]);
  const ma = matchOnsets([0.101, 0.5, 2.0], audible);
  const row = aggregate('x', [{ stft: 1, envelope: 2, onsetErrorsSec: m.errorsSec, contacts: 3, missed: 1, extra: 1,
    audibleErrorsSec: ma.errorsSec, audibleOffsetsSec: ma.offsetsSec, audibleContacts: audible.length, audibleMissed: ma.missed, materialAgree: true, actionAgree: false }], 1);
  assert.equal(row.onsetP95Ms.toFixed(0), '20');
  assert.equal(row.audibleOnsetP95Ms.toFixed(0), '1', 'the unsounded contact\'s 20 ms "error" is not counted');
  assert.equal(row.audibleMissedPct, 50);
  assert.equal(row.materialAgreePct, 100);
  assert.equal(row.actionAgreePct, 0);
});

test('confusion table: per model row, what the judge heard instead, most frequent first; references and unjudged rows left out', () => {
  const j = (material: string, action: string) => ({ material, action });
  const table = confusionTable([
    { variant: 'reference: ground-truth WAV', truthJudged: j('wood', 'tap'), judged: j('wood', 'knock') },
    { variant: 'full model', truthJudged: j('wood', 'tap'), judged: j('wood', 'knock') },
    { variant: 'full model', truthJudged: j('wood', 'pat'), judged: j('metal', 'hit') },
    { variant: 'full model', truthJudged: j('glass', 'tap'), judged: j('glass', 'knock') },
    { variant: 'full model', truthJudged: j('glass', 'rub'), judged: j('glass', 'rub') },
    { variant: 'few steps', truthJudged: j('wood', 'tap'), judged: j('wood', 'tap') },
    { variant: 'no judge' },
  ]);
  const lines = table.trim().split('\n');
  assert.equal(lines.length, 4, table);
  assert.equal(lines[2], '| full model | 4 | tap → knock 2, pat → hit 1 | wood → metal 1 |');
  assert.equal(lines[3], '| few steps | 1 | – | – |');
  assert.equal(confusionTable([{ variant: 'no judge' }]), '');
});

test('contact times: impacts when the label lists them, else contact starts, whatever the spelling', () => {
  assert.deepEqual(contactTimes({ impacts: [{ timeSec: 2 }, { timeSec: 1 }], contacts: [{ startSec: 0.5 }] }), [1, 2]);
  assert.deepEqual(contactTimes({ contacts: [{ startSec: 0.5 }, { tSec: 0.25 }, 3] }), [0.25, 0.5, 3]);
  assert.deepEqual(contactTimes({}), []);
});

test('hearing-hands eval writes the quality table for the shipped model on a tiny simulated capture', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hh-eval-'));
  try {
    await simulateDataset({ out: join(dir, 'data'), hours: 0.01, seed: 3, workers: 1 });
    const out = join(dir, 'EVAL.md');
    const code = await evalCommand(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--split', 'train', '--limit', '2',
      '--out', out, '--json', join(dir, 'eval.json'), '--items-json', join(dir, 'items.json')]);
    assert.equal(code, 0);
    const doc = readFileSync(out, 'utf8');
    for (const row of ['reference: ground-truth WAV', 'another object of the same material', 'full model, 25 steps', 'w/o hand pose', 'w/o visual', 'streaming ticks', 'live path (4-frame ticks on predicted hands', 'procedural baseline']) {
      assert.ok(doc.includes(row), `missing row ${row}`);
    }
    assert.match(doc, /### What the judge hears instead[^\n]*\n\n\| variant \| items \| action: truth → generated/);
    assert.match(doc, /\| full model, 25 steps, g [\d.]+( from flow time [\d.]+)? \| 2 \| /);
    const rows = (JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as { rows: { variant: string; items: number; stft: number; materialAgreePct: number; actionAgreePct: number }[] }).rows;
    assert.ok(rows.every((r) => r.items === 2 && Number.isFinite(r.stft)));
    // Every item's scores per row: the row's agreement is the share of its items whose judged labels agree.
    type Judged = { material: string; action: string };
    const perItem = (JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8')) as { items: { variant: string; item: string; judged?: Judged;
      truthJudged?: Judged; stft: number; audibleOnsetErrorsMs: number[]; audibleOnsetOffsetsMs: number[] }[] }).items;
    assert.equal(perItem.length, rows.length * 2);
    // Onset offsets are the errors with their sign (+ late, − early).
    assert.ok(perItem.every((p) => p.audibleOnsetOffsetsMs.length === p.audibleOnsetErrorsMs.length
      && p.audibleOnsetOffsetsMs.every((o, i) => Math.abs(Math.abs(o) - p.audibleOnsetErrorsMs[i]!) < 1e-9)));
    for (const row of rows) {
      const mine = perItem.filter((p) => p.variant === row.variant);
      assert.equal(mine.length, 2, row.variant);
      assert.ok(mine.every((p) => p.judged && p.truthJudged), row.variant);
      const pct = (f: (p: { judged?: Judged; truthJudged?: Judged }) => boolean) => (100 * mine.filter(f).length) / mine.length;
      assert.equal(pct((p) => p.judged!.material === p.truthJudged!.material), row.materialAgreePct, row.variant);
      assert.equal(pct((p) => p.judged!.action === p.truthJudged!.action), row.actionAgreePct, row.variant);
    }
    assert.equal(await evalCommand(['--model', SHIPPED_MANIFEST]), 2); // no --data
    // --rows: only the rows named (by part of their name), beside the two ground-truth references; none named is an error.
    const some = join(dir, 'EVAL-some.md');
    assert.equal(await evalCommand(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--split', 'train', '--limit', '1',
      '--rows', 'w/o visual, procedural', '--out', some]), 0);
    const someRows = readFileSync(some, 'utf8').split('\n').filter((l) => /^\| [^v-]/.test(l) && !l.startsWith('| variant')).map((l) => l.split(' | ')[0]!.slice(2));
    assert.deepEqual([...new Set(someRows)], ['reference: ground-truth WAV', 'reference: ground-truth mel → streaming Griffin-Lim',
      'w/o visual (visual dropped), 25 steps', 'procedural baseline (sim engine on the tracked keypoints)']);
    assert.match(readFileSync(some, 'utf8'), /--rows 'w\/o visual, procedural'/);
    assert.equal(await evalCommand(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--split', 'train', '--limit', '1', '--rows', 'no such row', '--out', some]), 2);
    // --seed: the model's rows start from other noise (the default is 1), and the table says which.
    const streamingStft = async (seed: string[]) => {
      const json = join(dir, `seed${seed.join('')}.json`);
      assert.equal(await evalCommand(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--split', 'train', '--limit', '1',
        '--rows', 'streaming ticks', '--out', some, '--json', json, ...seed]), 0);
      return (JSON.parse(readFileSync(json, 'utf8')) as { rows: { variant: string; stft: number }[] }).rows.find((r) => r.variant.startsWith('streaming'))!.stft;
    };
    const first = await streamingStft([]);
    assert.equal(await streamingStft(['--seed', '1']), first);
    assert.notEqual(await streamingStft(['--seed', '2']), first);
    assert.match(readFileSync(some, 'utf8'), / --seed 2`/);
    for (const bad of ['-1', '1.5', 'x']) {
      assert.equal(await evalCommand(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--seed', bad, '--out', some]), 2);
    }
    // The other-object reference replays an item's sound: on the same object it is the dataset's WAV (to 16-bit
    // rounding); on another object of the material it rings differently, at the same contacts.
    const plan = simulatedPlan(join(dir, 'data'))!;
    const sound = plan.sounds.find((p) => p.split === 'train')!;
    const wav = readWav(readFileSync(paths.audio(join(dir, 'data'), sound.sceneId, itemName(soundItemKey(sound, 0))))).channels[0]!;
    const same = replaySound(plan, sound), other = replaySound(plan, sound, 1);
    assert.equal(same.length, wav.length);
    let maxErr = 0, diff = 0, energy = 0;
    for (let i = 0; i < wav.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(same[i]! - wav[i]!));
      diff += (other[i]! - same[i]!) ** 2; energy += same[i]! ** 2;
    }
    assert.ok(maxErr <= 1 / 32768 + 1e-6, `same object: max |difference| ${maxErr}`);
    assert.ok(diff > 0.05 * energy, `another object sounds the same: ${diff / energy}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
