/**
 * The tick's guidance interval (manifest sampling.fewGuidanceFrom; models/recipe/tick_graph.py): passes before the
 * interval run the conditional row alone. Runs models/recipe/check_tick_interval.py (Debian's python3-torch; CI
 * installs it) on a network with random weights. The shipped graph itself is checked against its fixture in
 * onnx-parity.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch']);

interface Row { tickVsOfflineSampler: number; graphVsStreamTick: number }

test('tick guidance interval: a tick from silence is the offline sampler with the same interval; the fused graph matches; guidance moot before it', { skip, timeout: 120_000 }, () => {
  const out = JSON.parse(runRecipe(['check_tick_interval.py']).trim().split('\n').pop()!) as Record<string, unknown>;
  for (const start of ['0.0', '0.4', '0.8']) {
    const row = out[start] as Row;
    assert.ok(row.tickVsOfflineSampler < 1e-5, `from ${start}: the tick is not the offline sampler (${row.tickVsOfflineSampler})`);
    assert.ok(row.graphVsStreamTick < 1e-5, `from ${start}: the exported layout differs from StreamTick (${row.graphVsStreamTick})`);
  }
  assert.equal(out['guidanceMootPastLastStep'], 0, 'a tick with no guided pass still depends on its guidance input');
  assert.ok((out['intervalChangesSound'] as number) > 1e-2, 'the interval changed nothing: it is ignored');
  assert.match(String(out['foldedRefused']), /folded tick has no guidance/);
});
