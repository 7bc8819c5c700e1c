import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { simulateDataset } from '../../src/dataset/simulate.js';
import { chooseGuidance, type GuidanceScore } from '../../src/model/eval/tick-guidance.js';
import { run as tickGuidance } from '../../src/cli/commands/tick-guidance.js';
import { DISTILLED_MANIFEST, SHIPPED_MANIFEST } from './fixture.js';

const score = (guidance: number, material: number, action: number, p95: number): GuidanceScore =>
  ({ guidance, materialAgreePct: material, actionAgreePct: action, audibleOnsetP95Ms: p95, perSeed: [] });

test('tick guidance: the largest material + action sum within the onset bound; ties to the lower guidance; none within, the smallest p95', () => {
  // 3 has the best sum but smears onsets past the bound: 2.5 wins.
  assert.deepEqual(chooseGuidance([score(2, 88, 87, 19), score(2.5, 91, 87, 19.8), score(3, 93, 86, 24.8)], 20), { chosen: 2.5, withinOnsetBound: true });
  // Equal sums: the lower guidance (guidance exaggerates attacks).
  assert.equal(chooseGuidance([score(3, 90, 85, 18), score(2, 85, 90, 18)], 20).chosen, 2);
  // Nobody within the bound: the candidate with the smallest p95, and the record says so.
  assert.deepEqual(chooseGuidance([score(2, 80, 80, 30), score(1.5, 70, 70, 25)], 20), { chosen: 1.5, withinOnsetBound: false });
  assert.throws(() => chooseGuidance([], 20), RangeError);
});

/** A copy of a shipped model in `dir` (manifest and the files it names), so --write never touches the shipped one. */
function copyModel(manifestPath: string, dir: string): string {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, unknown> };
  const files = (Object.values(manifest.files).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v) : []))
    .filter((f): f is string => typeof f === 'string' && f.endsWith('.onnx')));
  for (const f of files) copyFileSync(join(dirname(manifestPath), f), join(dir, f));
  const out = join(dir, basename(manifestPath));
  copyFileSync(manifestPath, out);
  return out;
}

test('hearing-hands tick-guidance scores each guidance over seeds on the streaming path and records the choice with --write', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hh-tickg-'));
  try {
    await simulateDataset({ out: join(dir, 'data'), hours: 0.01, seed: 3, workers: 1 });
    const shippedText = readFileSync(SHIPPED_MANIFEST, 'utf8');
    const model = copyModel(SHIPPED_MANIFEST, dir);
    const before = JSON.parse(readFileSync(model, 'utf8')) as { sampling: Record<string, number>; metrics: Record<string, unknown> };
    const code = await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--split', 'train', '--limit', '2',
      '--candidates', '0.5,4', '--seeds', '1,2', '--max-onset-p95', '1000', '--json', join(dir, 'choice.json'), '--write']);
    assert.equal(code, 0);
    const out = JSON.parse(readFileSync(join(dir, 'choice.json'), 'utf8')) as { scores: GuidanceScore[]; choice: { chosen: number; val: Record<string, number[]>; withinOnsetBound: boolean } };
    assert.deepEqual(out.scores.map((s) => s.guidance), [0.5, 4]);
    for (const s of out.scores) {
      assert.deepEqual(s.perSeed.map((p) => p.seed), [1, 2]);
      assert.ok(s.perSeed.every((p) => Number.isFinite(p.materialAgreePct) && Number.isFinite(p.actionAgreePct)));
      // The candidate's score is the mean of its seeds'.
      assert.ok(Math.abs(s.materialAgreePct - (s.perSeed[0]!.materialAgreePct + s.perSeed[1]!.materialAgreePct) / 2) < 1e-9);
    }
    assert.deepEqual(Object.keys(out.choice.val), ['0.5', '4.0']);
    assert.equal(out.choice.chosen, chooseGuidance(out.scores, 1000).chosen);
    const after = JSON.parse(readFileSync(model, 'utf8')) as { sampling: Record<string, number>; metrics: Record<string, unknown> };
    assert.equal(after.sampling['fewGuidance'], out.choice.chosen);
    assert.deepEqual(after.metrics['tickGuidanceChoice'], out.choice);
    // Everything else in the manifest is as it was (the recipe's own choice stays on record).
    assert.deepEqual({ ...after, sampling: { ...after.sampling, fewGuidance: 0 }, metrics: { ...after.metrics, tickGuidanceChoice: 0 } },
      { ...before, sampling: { ...before.sampling, fewGuidance: 0 }, metrics: { ...before.metrics, tickGuidanceChoice: 0 } });

    // Candidates measured apart (another process) and chosen among together: --scores merges earlier --json runs.
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--split', 'train', '--limit', '2', '--candidates', '2',
      '--seeds', '1,2', '--max-onset-p95', '1000', '--json', join(dir, 'more.json')]), 0);
    const more = JSON.parse(readFileSync(join(dir, 'more.json'), 'utf8')) as { scores: GuidanceScore[] };
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--split', 'train', '--max-onset-p95', '1000',
      '--scores', `${join(dir, 'choice.json')},${join(dir, 'more.json')}`, '--write']), 0);
    const merged = JSON.parse(readFileSync(model, 'utf8')) as { sampling: Record<string, number>; metrics: Record<string, { val: Record<string, number[]>; chosen: number }> };
    assert.deepEqual(Object.keys(merged.metrics['tickGuidanceChoice']!.val), ['0.5', '2.0', '4.0']);
    assert.equal(merged.sampling['fewGuidance'], chooseGuidance([...out.scores, ...more.scores], 1000).chosen);
    // The same guidance twice, or scores of another model, are refused.
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--split', 'train', '--scores', `${join(dir, 'more.json')},${join(dir, 'more.json')}`]), 1);
    assert.equal(await tickGuidance(['--model', SHIPPED_MANIFEST, '--data', join(dir, 'data'), '--split', 'train', '--scores', join(dir, 'more.json')]), 1);
    assert.equal(readFileSync(SHIPPED_MANIFEST, 'utf8'), shippedText);

    // A distilled tick has its guidance folded in: nothing to choose, and its manifest is left alone.
    const distilled = copyModel(DISTILLED_MANIFEST, dir);
    const text = readFileSync(distilled, 'utf8');
    assert.equal(await tickGuidance(['--model', distilled, '--data', join(dir, 'data'), '--split', 'train', '--write']), 1);
    assert.equal(readFileSync(distilled, 'utf8'), text);
    // Bad flags are usage errors.
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--candidates', '2,x']), 2);
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--seeds', '1.5']), 2);
    assert.equal(await tickGuidance(['--model', model, '--data', join(dir, 'data'), '--split', 'nope']), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
