/**
 * The recipe's flow-time distribution for training windows (models/recipe/train.py flow_times, `train.timeSampling`):
 * each choice draws what its closed form says, repeatably, and a malformed choice is refused with its name.
 * Runs models/recipe/check_time_sampling.py (Debian's python3-torch; CI installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch']);

interface Stats { mean: number; median: number; below01: number; min: number; max: number; repeatable: boolean }

test('training flow times: uniform, power and logit-normal draws follow their closed forms; bad specs are refused', { skip, timeout: 120_000 }, () => {
  const out = JSON.parse(runRecipe(['check_time_sampling.py']).trim().split('\n').pop()!) as Record<string, Stats> & { refused: string[] };
  const near = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) < 0.005, `${what}: ${got}, expected ${want}`);
  for (const name of ['absent', 'uniform', 'power2', 'power3', 'power3Half', 'logitNormal']) {
    const s = out[name]!;
    assert.ok(s.min >= 0 && s.max <= 1, `${name}: draws outside [0, 1]`);
    assert.equal(s.repeatable, true, `${name}: the same seed gave other draws`);
  }
  assert.deepEqual(out['absent'], out['uniform'], 'no timeSampling must be the uniform one');
  near(out['uniform']!.mean, 0.5, 'uniform mean');
  near(out['uniform']!.below01, 0.1, 'uniform P(t < 0.1)');
  // t = u^p: mean 1/(p + 1), P(t < 0.1) = 0.1^(1/p): the noisiest steps get more of the training.
  near(out['power2']!.mean, 1 / 3, 'power 2 mean');
  near(out['power2']!.below01, Math.sqrt(0.1), 'power 2 P(t < 0.1)');
  near(out['power3']!.mean, 1 / 4, 'power 3 mean');
  near(out['power3']!.below01, 0.1 ** (1 / 3), 'power 3 P(t < 0.1)');
  // Half the windows drawn uniformly: the cleanest steps keep half their training.
  near(out['power3Half']!.mean, 0.5 * 0.5 + 0.5 / 4, 'power 3, uniform share 0.5: mean');
  near(out['power3Half']!.below01, 0.5 * 0.1 + 0.5 * 0.1 ** (1 / 3), 'power 3, uniform share 0.5: P(t < 0.1)');
  near(out['logitNormal']!.median, 1 / (1 + Math.exp(1)), 'logit-normal(-1, 1) median');
  assert.equal(out.refused.length, 9, `refused only ${out.refused.length} of 9 malformed specs`);
  for (const msg of out.refused) assert.match(msg, /train\.timeSampling must be/);
});
