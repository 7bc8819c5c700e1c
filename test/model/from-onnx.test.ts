/**
 * models/recipe/from_onnx.py: a shipped model back into a trainable PyTorch bundle (its network from the step graph,
 * its judge from the classifier graph, its metadata from the manifest). Checked on the shipped teachers: the rebuilt
 * network reproduces the parity fixture's PyTorch outputs, and exporting it again gives the shipped step and
 * classifier graphs byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PY, RECIPE, RECIPE_ENV, recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch', 'numpy', 'onnx']);
const MODELS = new URL('../../models/', import.meta.url).pathname;

test('from_onnx: the shipped teachers rebuild to their fixtures, and export again to the same step and judge graphs', { skip, timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hh-from-onnx-'));
  try {
    for (const name of ['hh-flow-s', 'hh-flow-s-live']) {
      const out = join(dir, name);
      const line = runRecipe(['from_onnx.py', '--model', join(MODELS, `${name}.json`), '--out', out, '--check']).trim().split('\n').pop()!;
      const r = JSON.parse(line) as { name: string; parameters: number; stepRelError: number };
      assert.equal(r.name, name);
      assert.equal(r.parameters, (JSON.parse(readFileSync(join(MODELS, `${name}.json`), 'utf8')) as { parameters: number }).parameters);
      assert.ok(r.stepRelError <= 1e-5, `${name}: rebuilt network off the fixture by ${r.stepRelError}`);
      const meta = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Record<string, unknown>;
      assert.ok(meta['materialPrior'], `${name}: the bundle lost the material prior's record`);
      assert.equal(meta['importedFrom'], `models/${name}.json`);
    }
    // Export the rebuilt hh-flow-s again (no evaluation): the step and classifier graphs are the shipped ones.
    const exp = join(dir, 'export');
    runRecipe(['train.py', '--config', join(dir, 'hh-flow-s.config.json'), '--from-bundle', join(dir, 'hh-flow-s.npz'), '--out', exp, '--no-eval']);
    for (const f of ['hh-flow-s.step.onnx', 'hh-flow-s.classifier.onnx']) {
      assert.ok(readFileSync(join(exp, f)).equals(readFileSync(join(MODELS, f))), `${f} differs from the shipped file`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('from_onnx: a distilled student is refused, naming its teacher', { skip, timeout: 60_000 }, () => {
  const r = spawnSync(PY, ['from_onnx.py', '--model', join(MODELS, 'hh-flow-s-live-d2.json'), '--out', join(tmpdir(), 'hh-never')], { cwd: RECIPE, encoding: 'utf8', env: RECIPE_ENV });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /distilled student.*--model \S*hh-flow-s-live\.json/s);
});

test('from_onnx: a graph that is not a step graph is refused with a clear error', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hh-from-onnx-bad-'));
  try {
    const man = JSON.parse(readFileSync(join(MODELS, 'hh-flow-s.json'), 'utf8')) as { files: Record<string, unknown> };
    man.files['step'] = join(MODELS, 'hh-flow-s.classifier.onnx');
    writeFileSync(join(dir, 'm.json'), JSON.stringify(man));
    const r = spawnSync(PY, ['from_onnx.py', '--model', join(dir, 'm.json'), '--out', join(dir, 'b')], { cwd: RECIPE, encoding: 'utf8', env: RECIPE_ENV });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /not a step graph of export\.py/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
