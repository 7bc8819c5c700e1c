/**
 * The recipe's material prior (models/recipe/material_prior.py): the visual encoder in front of the network that
 * pulls each visual frame towards its material's mean training frame, so the network hears the material of a
 * surface it never saw. Runs models/recipe/check_material_prior.py (Debian's python3-torch; CI installs it) on
 * synthetic surfaces whose frames are a noisy code of their material.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch', 'numpy']);
let checked: Record<string, unknown> | undefined;
/** check_material_prior.py's report, run once for both tests (~15 s). */
const check = () => (checked ??= JSON.parse(runRecipe(['check_material_prior.py']).trim().split('\n').pop()!) as Record<string, unknown>);

test('material prior: names held-out surfaces\' material, pulls their frames halfway to its prototype, survives export twin and bundle; none without labels', { skip, timeout: 120_000 }, () => {
  const m = check();
  const n = (k: string) => m[k] as number;
  assert.deepEqual(m['materials'], ['fabric', 'glass', 'metal', 'wood']);
  assert.ok(n('heldFrameAccuracy') >= 0.8, `held-out surfaces: frame accuracy ${n('heldFrameAccuracy')}`);
  assert.ok(n('formulaMaxError') < 1e-6, `(1 - mix) v + mix Σ p·prototype off by ${n('formulaMaxError')}`);
  assert.ok(n('prototypeMaxError') < 1e-5, `prototypes are not the materials' mean training frames (${n('prototypeMaxError')})`);
  assert.equal(n('identityMaxError'), 0, 'mix 0 must leave the frames as they are');
  // mix 0.5 with the right material: half the distance to the material's prototype.
  assert.ok(n('distToOwnPrototypeAfter') < 0.6 * n('distToOwnPrototypeBefore'),
    `distance to the own prototype ${n('distToOwnPrototypeBefore')} → ${n('distToOwnPrototypeAfter')}`);
  assert.ok(n('priorChangesVelocity') > 1e-3, 'the network ignores the prior');
  assert.ok(n('twinMaxError') < 1e-5, `the export's channels-last twin differs by ${n('twinMaxError')}`);
  assert.equal(n('roundTripMaxError'), 0, 'a bundle lost the prior');
  assert.equal(m['copyFrozen'], true, 'a student or fine-tuned copy must not train its teacher\'s prior');
  assert.deepEqual(m['unlabelled'], { prior: false, why: 'the training items name fewer than 2 materials' });
});

test('material prior --keep-prototypes: refitted on more surfaces, its prototypes and mix stay and it names more held-out surfaces; a kept material missing from the data is refused', { skip, timeout: 120_000 }, () => {
  const k = check()['keep'] as Record<string, unknown>;
  assert.equal(k['prototypesKept'], true, 'the network behind the prior must get the prototypes it learned on');
  assert.equal(k['mix'], 0.7, 'the kept prior\'s mix, not the fit\'s default');
  assert.equal(k['classifierRefitted'], true);
  assert.ok((k['keptItemAccuracy'] as number) >= (k['fewItemAccuracy'] as number) + 0.15,
    `held-out surfaces named: one training surface per material ${k['fewItemAccuracy']}, twenty ${k['keptItemAccuracy']}`);
  const missing = k['missingMaterials'] as { prior: boolean; why: string };
  assert.equal(missing.prior, false);
  assert.match(missing.why, /missing \['fabric', 'wood'\]/);
});
